#!/usr/bin/env bash
# Benchmarks the search index: builds a synthetic archive of MESSAGES messages once (cached under
# target/bench-search/), indexes it from scratch on THREADS threads, updates it with nothing changed, and runs
# a fixed set of 100 mixed queries. Prints throughput, index size, query latency p50/p99 and peak memory.
# Run from the repository root: scripts/bench-search.sh [MESSAGES] [THREADS]   (defaults: 1000000 2)
# BENCH_SLOWEST=1 also prints each query's time.
set -euo pipefail
cd "$(dirname "$0")/.."

MESSAGES="${1:-1000000}"
THREADS="${2:-2}"

mvn -q -o -pl search-index -am test-compile
mvn -q -o -pl search-index -am dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt
CP="search-index/target/test-classes:search-index/target/classes:model/target/classes:$(cat search-index/target/bench-classpath.txt)"

TIME=()
if [ -x /usr/bin/time ]; then
    TIME=(/usr/bin/time -f "peak resident memory of the whole run: %M KB")
fi
"${TIME[@]}" java -Xmx1g -cp "$CP" org.chatarchive.search.SearchBenchmark target/bench-search "$MESSAGES" "$THREADS"

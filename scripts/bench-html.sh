#!/usr/bin/env bash
# Benchmarks the HTML renderer: messages rendered per second on one large conversation.
# Run from the repository root: scripts/bench-html.sh [MESSAGES (1000000)] [THREADS (cores, at most 4)] [ROUNDS (2)]
# Builds offline, writes the archive once (cached under renderers/target/bench-html/), then renders it into
# its html/ folder ROUNDS times and prints messages/s for each round.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -q -o -pl renderers -am test-compile
mvn -q -o -pl renderers dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt
CP="renderers/target/test-classes:renderers/target/classes:model/target/classes:$(cat renderers/target/bench-classpath.txt)"

nproc_=$(nproc 2>/dev/null || echo 2)
exec java -Xmx${BENCH_HEAP:-512m} -cp "$CP" org.chatarchive.renderers.html.HtmlBenchmark "${1:-1000000}" "${2:-$(( nproc_ < 4 ? nproc_ : 4 ))}" "${3:-2}"

#!/usr/bin/env bash
# Measures PageMap.full() and PageMap.update() on a ~100 MB plain SQLite database.
# Run from the repository root: scripts/bench-pagemap.sh [ROWS]
# Builds offline, makes the database with sqlite-jdbc (under target/bench-pagemap/, remade on every run because
# the benchmark changes it), then runs org.chatarchive.readers.sqlcipher.PageMapBenchmark.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${1:-200000}"
CACHE=target/bench-pagemap
DB="$CACHE/bench.sqlite"

# One invocation, so that the reactor supplies the project's own modules to the classpath.
mvn -q -o -pl readers -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt
CP="readers/target/test-classes:readers/target/classes:$(cat readers/target/bench-classpath.txt)"

mkdir -p "$CACHE"
rm -f "$DB"
exec java -Xms1g -Xmx1g -cp "$CP" org.chatarchive.readers.sqlcipher.PageMapBenchmark "$DB" "$ROWS"

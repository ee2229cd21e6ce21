#!/usr/bin/env bash
# Benchmarks the SQLCipher codec against the JDK's bare AES-256-CBC + HMAC-SHA512.
# Run from the repository root: scripts/bench-codec.sh [ROUNDS]
# Builds offline, makes a ~200 MB SQLCipher database once (cached under target/bench-codec/), then runs
# org.chatarchive.readers.sqlcipher.CodecBenchmark on one thread.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${1:-5}"
KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
CACHE=target/bench-codec
DB="$CACHE/bench-200mb.sqlite"

mvn -q -o -pl readers -am test-compile
mvn -q -o -pl readers -am dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt
CP="readers/target/test-classes:readers/target/classes:$(cat readers/target/bench-classpath.txt)"

if [ ! -s "$DB" ]; then
    mkdir -p "$CACHE"
    if [ ! -d test-fixtures/node/node_modules/@signalapp/sqlcipher ]; then
        (cd test-fixtures/node && npm ci --no-audit --no-fund --loglevel=error)
    fi
    echo "making $DB (once) ..."
    node test-fixtures/node/make-db.mjs --out "$DB" --key "$KEY" --rows 50000 --row-bytes 2000 >"$CACHE/bench-200mb.json"
fi

exec java -Xms3g -Xmx3g -XX:+UseParallelGC -cp "$CP" org.chatarchive.readers.sqlcipher.CodecBenchmark "$DB" "$KEY" "$ROUNDS"

#!/bin/sh
# Regenerates the committed sample profile samples/signal-desktop from sample-spec.mjs.
# Run from anywhere; needs node and `npm ci` in test-fixtures/node.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/samples/signal-desktop"
spec=$(mktemp)
trap 'rm -f "$spec"' EXIT
[ -d "$here/node_modules/@signalapp/sqlcipher" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
node "$here/sample-spec.mjs" > "$spec"
rm -rf "$out/sql" "$out/attachments.noindex" "$out/stickers.noindex" "$out/config.json"
node "$here/make-profile.mjs" --spec "$spec" --out "$out" > /dev/null
# git keeps no empty directories; Signal itself would not have this file.
touch "$out/attachments.noindex/.gitkeep"
echo "sample written to samples/signal-desktop"

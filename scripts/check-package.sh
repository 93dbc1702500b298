#!/usr/bin/env bash
# The npm package as a user gets it: packed, installed into an empty folder with its dependencies
# only (no dev dependencies, no build step), and run with npx: import, search, snapshot, publish.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
fixture="$repo/../shared/fixtures/real/Dan-Irl__mlflow-testing.zip"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" >/dev/null
tgz=$(ls "$work"/trackside-*.tgz)
mkdir "$work/user"
cd "$work/user"
npm init -y >/dev/null
npm install --no-audit --no-fund --omit=dev "$tgz" >/dev/null
pkg=node_modules/trackside
# Compiled JavaScript and the built app; no TypeScript sources, no dev dependencies.
test -f "$pkg/dist/trackside.js" && test -f "$pkg/build/index.html" && test ! -e "$pkg/src"
test ! -e node_modules/vitest && test ! -e node_modules/@sveltejs/kit
npx trackside --version | grep -q '^trackside '
npx trackside import "$fixture" --db store.sqlite 2>&1 | grep -q '4 runs'
npx trackside runs store.sqlite --order-by 'attributes.start_time DESC' --max-results 2 --format table | tee runs.txt
test "$(wc -l < runs.txt)" -ge 4
npx trackside runs store.sqlite --filter "params.optimizer = 'Adam'" --json | grep -q '"run_name": "adamtest"'
if npx trackside runs store.sqlite --filter 'acc >= 0.94' 2>err.txt; then exit 1; fi
grep -q 'Invalid attribute key' err.txt
npx trackside snapshot "$fixture" -o shared.trackside
npx trackside publish shared.trackside --out site
test -f site/index.html && test -f site/_headers && test -f site/snapshot.trackside
echo "package: packed, installed and run from $work/user"

#!/usr/bin/env bash
# Builds the web UI into web/dist when something it is built from has changed: `npm ci` when
# package-lock.json is newer than the installed packages; the API types (web/src/api/schema.d.ts)
# from the server's OpenAPI document when the server binary is newer than the last generation,
# and an openapi-fetch client of them type-checked; then `npm run build` (type check + Vite).
# Quick when nothing changed, so `make` can call it every time. The server binary: $1, else
# TINHSO_BINARY, else build/tinhso.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="$(realpath -m "${1:-${TINHSO_BINARY:-$root/build/tinhso}}")"
cd "$root/web"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
# The generator rewrites schema.d.ts only when its text changes (then the build below runs);
# its own stamp keeps it from running again for the same binary.
types_stamp=node_modules/.api-types
if [[ ! -f $types_stamp || ! -f src/api/schema.d.ts || -n $(find "$binary" tools/openapi-types \
  package-lock.json -newer "$types_stamp" -print -quit) ]]; then
  node tools/openapi-types/generate.mjs "$binary"
  touch "$types_stamp"
fi
# An ordinary client made from the same document (openapi-fetch) must compile too: the issue's
# own test of the contract (tools/openapi-types/client-check.ts, with the TypeScript 5 there).
check_stamp=node_modules/.client-check
if [[ ! -f $check_stamp || -n $(find src/api/schema.d.ts tools/openapi-types/client-check.ts \
  tools/openapi-types/tsconfig.json package-lock.json -newer "$check_stamp" -print -quit) ]]; then
  echo "web: openapi-fetch client check"
  node tools/openapi-types/node_modules/typescript/bin/tsc -p tools/openapi-types
  touch "$check_stamp"
fi
stamp=dist/.built
if [[ ! -f $stamp || -n $(find src public index.html package-lock.json vite.config.ts tools/precompress.mjs tsconfig.json \
  -newer "$stamp" -print -quit) ]]; then
  echo "web: npm run build"
  npm run build --silent
  touch "$stamp"
fi

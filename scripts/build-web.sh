#!/usr/bin/env bash
# Builds the web UI into web/dist when something it is built from has changed: `npm ci` when
# package-lock.json is newer than the installed packages, then `npm run build` (type check +
# Vite). Quick when nothing changed, so `make` can call it every time.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
stamp=dist/.built
if [[ ! -f $stamp || -n $(find src public index.html package-lock.json vite.config.ts tsconfig.json \
  -newer "$stamp" -print -quit) ]]; then
  echo "web: npm run build"
  npm run build --silent
  touch "$stamp"
fi

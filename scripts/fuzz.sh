#!/usr/bin/env bash
# The libFuzzer targets of the parsers that take files from anyone: the PDF reader and signer
# (tests/pdf/fuzz_pdf.cpp), the XML signature verifier (tests/xmlsig/fuzz_xmlsig.cpp) and the
# CMS/CAdES signature verifier over a real PKI (tests/signing/fuzz_cms.cpp), built with clang
# under AddressSanitizer and UndefinedBehaviorSanitizer in build-fuzz/.
#   scripts/fuzz.sh [SECONDS]   each target for SECONDS (default 30: make test; make fuzz: 600)
# Starts from the seeds in tests/fuzz/seeds/ plus what earlier runs found (build-fuzz/corpus/);
# exits non-zero with the crashing input saved in build-fuzz/ if a target crashes.
set -euo pipefail
SECONDS_EACH=${1:-30}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FUZZ_BUILD:-$ROOT/build-fuzz}
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fsanitize=fuzzer-no-link -Wno-unknown-warning-option" \
  >/dev/null
cmake --build "$BUILD" --target tinhso_pdf_fuzz tinhso_xmlsig_fuzz tinhso_cms_fuzz -j "$(nproc)"
run() {  # name binary seeds dict
  local corpus="$BUILD/corpus/$1"
  mkdir -p "$corpus"
  echo "fuzz: $1 for ${SECONDS_EACH}s" >&2
  (cd "$BUILD" && "$2" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
    -dict="$4" -print_final_stats=1 "$corpus" "$3" 2>&1 | tail -12)
  # libFuzzer's exit code is lost in the pipe: a crash leaves a crash-* file behind.
  if compgen -G "$BUILD/crash-*" >/dev/null || compgen -G "$BUILD/leak-*" >/dev/null ||
     compgen -G "$BUILD/timeout-*" >/dev/null || compgen -G "$BUILD/oom-*" >/dev/null; then
    echo "fuzz: $1 found a failing input (in $BUILD)" >&2
    exit 1
  fi
}
run pdf "$BUILD/tests/pdf/tinhso_pdf_fuzz" "$ROOT/tests/fuzz/seeds/pdf" "$ROOT/tests/pdf/fuzz_pdf.dict"
run xmlsig "$BUILD/tests/xmlsig/tinhso_xmlsig_fuzz" "$ROOT/tests/fuzz/seeds/xml" \
  "$ROOT/tests/xmlsig/fuzz_xmlsig.dict"
run cms "$BUILD/tests/signing/tinhso_cms_fuzz" "$ROOT/tests/fuzz/seeds/cms" \
  "$ROOT/tests/signing/fuzz_cms.dict"

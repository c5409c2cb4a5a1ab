#!/usr/bin/env bash
# Installs the Debian 12 packages tinhso needs that are missing. Idempotent and quick when
# nothing is missing: it asks dpkg first and calls apt-get only for what is absent.
#   scripts/bootstrap.sh            build + test dependencies
#   scripts/bootstrap.sh --bench    also the benchmark tools (wrk, nginx)
set -euo pipefail

packages=(
  # toolchain
  cmake g++ ninja-build pkg-config clang-format git ca-certificates
  # the fuzz targets (make test runs them briefly): clang with libFuzzer and the sanitizers
  clang libclang-rt-14-dev
  # libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libssl-dev libsodium-dev libutf8proc-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev
  # password quality: libpwquality and cracklib's dictionary (cracklib-runtime builds it in
  # /var/cache/cracklib; it is only a recommendation of libcrack2, so it is named here)
  libpwquality-dev cracklib-runtime
  libgtest-dev libgmock-dev libbenchmark-dev
  libcairo2-dev libpango1.0-dev libqrencode-dev fonts-dejavu-core
  # the forms: Liberation Serif 2 has the metrics of Times New Roman (NĐ 30/2020) and, unlike
  # fonts-liberation (1.x), the Vietnamese letters
  fonts-liberation2
  # tests make real-size photos and scans (JPEG) at test time
  libjpeg62-turbo-dev
  # signatures (issue 6): XML-DSig, zlib for PDF streams
  libxmlsec1-dev zlib1g-dev
  # test services and tools (qpdf, xmlsec1 and openssl: reference tools for the signature tests)
  postgresql-15 sqlite3 curl poppler-utils qpdf xmlsec1 openssl
  # notifications: a real SMTP server on loopback (tests/support/smtp_sink.py) and dkimpy,
  # which verifies our DKIM signatures independently
  python3-aiosmtpd python3-dkim
  # the web UI is tested in Debian's Chromium through playwright-core
  chromium
)
# The web UI is built with Node.js and npm; machines of our kind ship Node 20 with npm, which
# Debian's own nodejs/npm packages would conflict with, so those are asked for only if absent.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk nginx-light python3)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "bootstrap: installing ${missing[*]}"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# A stale package list makes apt-get install fail on a fresh machine; refresh it once.
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# nginx-light starts a system nginx on port 80 when installed; the benchmark runs its own.
if [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v systemctl >/dev/null; then
  $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
fi

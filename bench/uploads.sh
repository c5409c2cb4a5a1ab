#!/usr/bin/env bash
# Memory under uploads: the server's peak resident memory while 8 clients each submit a dossier
# with a 10 MB scan at once (multipart/form-data, 3 rounds), next to its idle memory after a
# warm-up submission. Prints one JSON object:
#   {"idle_mb","peak_mb","uploads","accepted","errors"}
# Usage: bench/uploads.sh BUILD WORK (SQLite; the server spools uploads to disk either way).
set -euo pipefail
BUILD=$1
WORK=$2
BIN="$BUILD/tinhso"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
CLIENTS=8
ROUNDS=3
DIR="$WORK/uploads"
mkdir -p "$DIR"
DB="sqlite:$DIR/uploads.db"
"$BIN" migrate --database "$DB" >/dev/null
"$BIN" demo load --database "$DB" --dossiers 100 >/dev/null 2>&1
COMMUNE=$(sqlite3 "$DIR/uploads.db" "SELECT code FROM agencies WHERE kind = 'commune_pc' AND valid_to IS NULL ORDER BY code LIMIT 1")
printf 'bench-password-123\n' | "$BIN" user add --database "$DB" --kind citizen \
  --login 001199012345 --name "Nguyễn Thị Hồng Nhung" >/dev/null

# A PDF of exactly 10 MB (the default max_file_mb), mostly an incompressible stream, and a small one.
python3 - "$DIR" <<'PY'
import os, sys
def pdf(size):
    def build(n):
        objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
                b"<< /Length %d >>\nstream\n" % n + os.urandom(n) + b"\nendstream"]
        out = b"%PDF-1.7\n"
        offs = []
        for i, o in enumerate(objs):
            offs.append(len(out))
            out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
        x = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(objs) + 1)
        out += b"".join(b"%010d 00000 n\r\n" % o for o in offs)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
        return out
    n = size - len(build(0))
    for _ in range(4):
        got = len(build(n))
        if got == size: break
        n += size - got
    return build(n)
open(os.path.join(sys.argv[1], "scan.pdf"), "wb").write(pdf(10 << 20))
open(os.path.join(sys.argv[1], "small.pdf"), "wb").write(pdf(20000))
PY
cat >"$DIR/fields.json" <<JSON
{"procedure_code":"1.001193","channel":"online","locality_code":"$COMMUNE",
 "applicant":{"kind":1,"name":"Nguyễn Thị Hồng Nhung","id_number":"001199012345","phone":"0912345678"},
 "form":{"tre_ho_ten":"Nguyễn Minh An","tre_gioi_tinh":"Nam","tre_ngay_sinh":"2026-11-01",
  "tre_noi_sinh":"Bệnh viện Đa khoa tỉnh","tre_dan_toc":"Tày","tre_quoc_tich":"Việt Nam",
  "me_ho_ten":"Nguyễn Thị Hồng Nhung","me_so_dinh_danh":"001199012345","so_dien_thoai":"0912345678"}}
JSON

printf '[server]\nupload_dir = "%s"\n' "$DIR/spool" >"$DIR/tinhso.toml"
start_tinhso "$BIN" "$DB" "$DIR/serve.log" --config "$DIR/tinhso.toml"
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
TOKEN=$(bench_token 001199012345)
upload() {  # scan file → HTTP status
  curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$PORT/api/v1/dossiers" \
    -H "Authorization: Bearer $TOKEN" \
    -F "json=<$DIR/fields.json;type=application/json" \
    -F "files.TP1=@$1;filename=to-khai-scan.pdf" \
    -F "files.TP2=@$DIR/small.pdf;filename=giay-chung-sinh.pdf"
}
rss_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$PID/status"; }

# Warm up (first submission: caches, statement preparation), then take the idle figure.
warm=$(upload "$DIR/small.pdf")
[[ $warm == 201 ]] || { echo "uploads: warm-up submission refused ($warm)" >&2; exit 1; }
IDLE=$(rss_kb VmRSS)
echo 5 >"/proc/$PID/clear_refs"  # resets the peak (VmHWM) to the current resident size
: >"$DIR/statuses"
for round in $(seq 1 "$ROUNDS"); do
  echo "uploads: $CLIENTS clients × 10 MB at once (round $round of $ROUNDS) ..." >&2
  for _ in $(seq 1 "$CLIENTS"); do upload "$DIR/scan.pdf" >>"$DIR/statuses" & done
  wait $(jobs -p | grep -vx "$PID") 2>/dev/null || true
done
PEAK=$(rss_kb VmHWM)
ACCEPTED=$(grep -c '^201$' "$DIR/statuses" || true)
TOTAL=$(wc -l <"$DIR/statuses")
awk -v i="$IDLE" -v p="$PEAK" -v t="$TOTAL" -v a="$ACCEPTED" 'BEGIN {
  printf "{\"idle_mb\":%.1f,\"peak_mb\":%.1f,\"uploads\":%d,\"accepted\":%d,\"errors\":%d}\n",
    i / 1024, p / 1024, t, a, t - a }'

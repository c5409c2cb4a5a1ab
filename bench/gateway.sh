#!/usr/bin/env bash
# The data-integration gateway (issue 17), called by bench/run.sh. Prints one JSON object:
#   {"direct":[wrk…],"proxied":[wrk…],"direct_c1":[wrk…],"proxied_c1":[wrk…],"nginx_proxied":[wrk…],
#    "logged","log_verified","outbox":{…}}
# An upstream (nginx serving a citizen's record of 1 KiB, as the population database answers) is
# called straight and through tinhso's /lgsp/bench/… door with full logging (every call a
# hash-chained record signed with the province's organisation key; bodies sealed and kept), in
# turns, ROUNDS rounds each, at CONNECTIONS connections (throughput, p50, p99) and at one
# connection (the latency a call adds). Afterwards the log is time-stamped and verified: the
# figures count only if every call was recorded. Then the durable outbox delivers into nginx
# accepting everything (bench/outbox_bench.cpp).
# Usage: bench/gateway.sh BUILD WORK (SQLite, as the demo).
set -euo pipefail
BUILD=$1
WORK=$2
BIN="$BUILD/tinhso"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
ROUNDS=${BENCH_GATEWAY_ROUNDS:-3}
SECONDS_EACH=${BENCH_GATEWAY_SECONDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_WRK_THREADS:-2}
DIR="$WORK/gateway"
mkdir -p "$DIR/www"
chmod 755 "$DIR" "$DIR/www"
DB="sqlite:$DIR/gateway.db"
# The bench's own PKI master key, never the demo's var/pki-master.key.
export TINHSO_PKI_MASTER_KEY
TINHSO_PKI_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
"$BIN" migrate --database "$DB" >/dev/null
"$BIN" demo load --database "$DB" --dossiers 0 >/dev/null 2>&1
"$BIN" demo pki --database "$DB" >/dev/null

python3 - "$DIR/www/citizen.json" <<'PY'
import json, sys
record = {"error_code": "0", "message": "SUCCESS", "data": {
    "SoDinhDanh": "006095001234", "HoVaTen": "Nguyễn Thị Minh Khai", "NgaySinh": "1990-05-19",
    "GioiTinh": "2", "DanToc": "01", "TonGiao": "00", "QuocTich": "VN",
    "QueQuan": "Xã Hiệp Lực, tỉnh Bắc Kạn",
    "NoiThuongTru": "Tổ 7, phường Đức Xuân, thành phố Bắc Kạn, tỉnh Bắc Kạn"}}
text = json.dumps(record, ensure_ascii=False)
text += " " * max(0, 1024 - len(text.encode()))
open(sys.argv[1], "w").write(text)
PY
chmod a+r "$DIR/www/citizen.json"
UPORT=$(free_port)
RPORT=$(free_port)
NPORT=$(free_port)
# On RPORT every POST to /receive is accepted: the outbox's receiver. On NPORT nginx itself
# proxies to the upstream over kept-alive connections, logging nothing: the reference for what
# any reverse proxy costs on this machine, where client, proxy and upstream share the cores.
NGINX_PID=$(start_nginx "$DIR/nginx" "$DIR/www" "$UPORT" "server {
    listen 127.0.0.1:$RPORT; location = /receive { return 200 '{}'; }
  }
  upstream bench_upstream { server 127.0.0.1:$UPORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NPORT;
    location / { proxy_pass http://bench_upstream; proxy_http_version 1.1;
                 proxy_set_header Connection \"\"; }
  }")
PID=
trap 'kill $NGINX_PID ${PID:-} 2>/dev/null || true; wait 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$UPORT/citizen.json"

# The log's archives in the bench's own directory (the default is var/ under the current one).
printf '[gateway]\narchive_dir = "%s"\n' "$DIR/archives" >"$DIR/tinhso.toml"
gw() { "$BIN" gateway "$@" --database "$DB" --config "$DIR/tinhso.toml"; }
gw members add --code BENCH --name "Hệ thống đo hiệu năng" >/dev/null
gw subsystems add --member BENCH --name dancu >/dev/null
gw subsystems add --member BENCH --name motcua --rate 100000 >/dev/null
gw services put --code bench --provider BENCH/dancu --name "Dân cư (đo)" \
  --upstream "http://127.0.0.1:$UPORT" >/dev/null
gw rights grant --client BENCH/motcua --service bench >/dev/null
TOKEN=$(gw token --subsystem BENCH/motcua 2>/dev/null)

start_tinhso "$BIN" "$DB" "$DIR/serve.log" --config "$DIR/tinhso.toml"
DIRECT="http://127.0.0.1:$UPORT/citizen.json"
NGINX_PROXIED="http://127.0.0.1:$NPORT/citizen.json"
PROXIED="http://127.0.0.1:$PORT/lgsp/bench/citizen.json"
AUTH="Authorization: Bearer $TOKEN"
curl -fs -o /dev/null -H "$AUTH" "$PROXIED"
cmp -s <(curl -fs -H "$AUTH" "$PROXIED") "$DIR/www/citizen.json" ||
  { echo "gateway bench: the proxied answer differs from the upstream's" >&2; exit 1; }

# BENCH_GATEWAY_PROFILE=perf: one proxied run under `perf record --call-graph dwarf` (the data
# in $DIR/perf.data, for `perf report -i`); =ctx: the server's context switches and CPU time
# per proxied call. For finding where a call's time goes; no figures, and it stops here.
if [[ -n ${BENCH_GATEWAY_PROFILE:-} ]]; then
  switches() { cat /proc/"$PID"/task/*/status | awk '/ctxt_switches/ { s += $2 } END { print s }'; }
  ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
  c0=$(switches) t0=$(ticks)
  if [[ $BENCH_GATEWAY_PROFILE == perf ]]; then
    perf record -F 499 --call-graph dwarf,16384 -p "$PID" -o "$DIR/perf.data" \
      -- sleep "$SECONDS_EACH" >/dev/null 2>&1 &
    PERF=$!
  fi
  n=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" -H "$AUTH" "$PROXIED" |
    awk '/requests in/ { print $1 }')
  c1=$(switches) t1=$(ticks)
  [[ -n ${PERF:-} ]] && wait "$PERF"
  python3 -c "import sys; n, c, t, hz = map(int, sys.argv[1:]); print(f'{n} calls, {n / $SECONDS_EACH:.0f}/s, ' f'{c / n:.2f} context switches and {t / hz / n * 1e6:.0f} µs of CPU per call')" \
    "$n" "$((c1 - c0))" "$((t1 - t0))" "$(getconf CLK_TCK)"
  [[ $BENCH_GATEWAY_PROFILE == perf ]] && echo "perf data: $DIR/perf.data" >&2
  exit 0
fi

run() {  # connections url [header]
  local extra=()
  [[ -n "${3:-}" ]] && extra=(-H "$3")
  local threads=$THREADS
  ((threads > $1)) && threads=$1
  wrk -t"$threads" -c"$1" -d"${SECONDS_EACH}s" -s bench/wrk_report.lua "${extra[@]}" "$2" | wrk_json
}
# The server's CPU time (user + system, in clock ticks) so far: what each proxied call costs it.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
CPU_TICKS=0
direct=() proxied=() direct1=() proxied1=() nginx_proxied=()
for _ in $(seq 1 "$ROUNDS"); do
  echo "gateway: direct / through the gateway, $CONNECTIONS connections ..." >&2
  direct+=("$(run "$CONNECTIONS" "$DIRECT")")
  before=$(cpu_ticks)
  proxied+=("$(run "$CONNECTIONS" "$PROXIED" "$AUTH")")
  CPU_TICKS=$((CPU_TICKS + $(cpu_ticks) - before))
  nginx_proxied+=("$(run "$CONNECTIONS" "$NGINX_PROXIED")")
  echo "gateway: direct / through the gateway, 1 connection ..." >&2
  direct1+=("$(run 1 "$DIRECT")")
  proxied1+=("$(run 1 "$PROXIED" "$AUTH")")
done
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=

# Every proxied call is in the log, and the log verifies (its records are signed and, after
# this, time-stamped).
gw log stamp >/dev/null
VERIFY=$(gw log verify 2>&1) && VERIFIED=true || VERIFIED=false
LOGGED=$(sqlite3 "$DIR/gateway.db" "SELECT COUNT(*) FROM gateway_log WHERE service = 'bench'")

echo "gateway: outbox delivery into a receiver that accepts everything ..." >&2
OUTBOX=$("$BUILD/bench/tinhso_outbox_bench" "sqlite:$DIR/outbox.db" "http://127.0.0.1:$RPORT" \
  "${BENCH_OUTBOX_MESSAGES:-3000}" "${BENCH_OUTBOX_WORKERS:-4}")

python3 - "$LOGGED" "$VERIFIED" "$OUTBOX" "$VERIFY" "$CPU_TICKS" "$(getconf CLK_TCK)" \
  "${direct[*]}" "${proxied[*]}" "${direct1[*]}" "${proxied1[*]}" "${nginx_proxied[*]}" <<'PY'
import json, sys
logged, verified, outbox, verify = int(sys.argv[1]), sys.argv[2] == "true", json.loads(sys.argv[3]), sys.argv[4]
ticks, per_second = int(sys.argv[5]), int(sys.argv[6])
runs = [[json.loads(x) for x in a.split(" ") if x] for a in sys.argv[7:12]]
calls = sum(r["requests"] for r in runs[1])
print(json.dumps({"direct": runs[0], "proxied": runs[1], "direct_c1": runs[2],
                  "proxied_c1": runs[3], "nginx_proxied": runs[4], "logged": logged, "log_verified": verified,
                  "cpu_us_per_call": ticks / per_second * 1e6 / calls if calls else None,
                  "verify_output": verify[-400:], "outbox": outbox}))
PY

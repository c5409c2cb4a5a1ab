#!/usr/bin/env bash
# An officer's dossier list while anonymous costly requests flood in: 100 per second, half
# sign-ins with a wrong password (a password hash each) and half verifications of a PDF bomb. The
# officer's p99 is measured with wrk on an idle server (the baseline), under the same number of
# requests refused at once (400: malformed sign-ins and verifications, which cost the server
# nothing; the control, showing what the flood's client and its connections cost on the same
# cores) and under the costly flood, in turns, ROUNDS rounds each; medians. Prints one JSON
# object: {"idle_p99_ms","refused_p99_ms","flood_p99_ms","idle_runs","refused_runs",
# "flood_runs","officer_errors","flood":{"sent","answered","by_status"},"refused":{…}}
# Usage: bench/flood.sh BUILD WORK (SQLite).
set -euo pipefail
BUILD=$1
WORK=$2
BIN="$BUILD/tinhso"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
ROUNDS=${BENCH_FLOOD_ROUNDS:-5}
SECONDS_EACH=${BENCH_FLOOD_SECONDS:-8}
DIR="$WORK/flood"
mkdir -p "$DIR"
DB="sqlite:$DIR/flood.db"
"$BIN" migrate --database "$DB" >/dev/null
"$BIN" demo load --database "$DB" --dossiers 5000 >/dev/null 2>&1
COMMUNE=$(sqlite3 "$DIR/flood.db" "SELECT code FROM agencies WHERE kind = 'commune_pc' AND valid_to IS NULL ORDER BY code LIMIT 1")
printf 'bench-password-123\n' | "$BIN" user add --database "$DB" --kind officer \
  --login bench.motcua --name "Cán bộ một cửa" --agency "$COMMUNE" --roles reception >/dev/null

start_tinhso "$BIN" "$DB" "$DIR/serve.log"
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
TOKEN=$(bench_token bench.motcua)
LIST="http://127.0.0.1:$PORT/api/v1/dossiers?limit=20&queue=processing"
curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "$LIST"

officer() {  # → wrk JSON of the officer's list, 4 connections
  wrk -t1 -c4 -d"${SECONDS_EACH}s" -s bench/wrk_report.lua -H "Authorization: Bearer $TOKEN" \
    "$LIST" | wrk_json
}
# 100 anonymous requests a second, each on its own connection, for SECONDS_EACH + 1 seconds:
# `flood costly` or `flood refused`.
flood() {
  python3 - "$PORT" "$((SECONDS_EACH + 1))" "$1" <<'PY'
import asyncio, base64, json, sys, time
port, seconds, mode = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
import zlib
# A decompression bomb, as an attacker sends the public verifier: ~10 KB whose cross-reference
# stream inflates past what the file's size allows (work until the limit, then 413).
head = (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
bomb = zlib.compress(bytes(12 << 20), 9)
pdf = (head + b"3 0 obj\n<< /Type /XRef /Size 4 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
       b"/Length %d >>\nstream\n" % len(bomb) + bomb + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
       % len(head))
login = json.dumps({"login": "bench.motcua", "password": "wrong-password-123", "mode": "token"})
verify = json.dumps({"file": base64.b64encode(pdf).decode()})
if mode == "refused":  # the same routes and sizes, refused before any work (400)
    login = json.dumps({"login": "bench.motcua", "mode": "token", "padding": "x" * len(login)})
    verify = json.dumps({"file": "*" * len(verify)})
statuses = {}
sent = 0
async def one(body, path):
    try:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}").encode())
        await w.drain()
        line = await asyncio.wait_for(r.readline(), 30)
        status = line.split()[1].decode() if len(line.split()) > 1 else "none"
        w.close()
    except Exception:
        status = "error"
    statuses[status] = statuses.get(status, 0) + 1
async def main():
    global sent
    tasks, start = [], time.monotonic()
    while time.monotonic() - start < seconds:
        kind = sent % 2
        tasks.append(asyncio.create_task(
            one(login, "/api/v1/auth/login") if kind == 0 else one(verify, "/api/v1/verify")))
        sent += 1
        await asyncio.sleep(max(0, start + sent / 100 - time.monotonic()))
    await asyncio.gather(*tasks)
asyncio.run(main())
print(json.dumps({"sent": sent, "answered": sum(v for k, v in statuses.items() if k not in ("error", "none")),
                  "by_status": statuses}))
PY
}

idle_runs=() refused_runs=() flood_runs=()
for round in $(seq 1 "$ROUNDS"); do
  echo "flood: officer's list on an idle server (round $round of $ROUNDS) ..." >&2
  idle_runs+=("$(officer)")
  echo "flood: officer's list under 100 refused anonymous requests a second (round $round of $ROUNDS) ..." >&2
  flood refused >"$DIR/refused-$round.json" &
  FLOOD=$!
  refused_runs+=("$(officer)")
  wait "$FLOOD"
  echo "flood: officer's list under 100 anonymous sign-ins and verifications a second (round $round of $ROUNDS) ..." >&2
  flood costly >"$DIR/flood-$round.json" &
  FLOOD=$!
  flood_runs+=("$(officer)")
  wait "$FLOOD"
done
python3 - "$DIR" "[$(IFS=,; echo "${idle_runs[*]}")]" "[$(IFS=,; echo "${refused_runs[*]}")]" \
  "[$(IFS=,; echo "${flood_runs[*]}")]" <<'PY'
import json, sys
d, idle, refused, flood = (sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]),
                           json.loads(sys.argv[4]))
def median(xs): return sorted(xs)[len(xs) // 2]
def totals(kind):
    runs = [json.load(open(f"{d}/{kind}-{i + 1}.json")) for i in range(len(flood))]
    total = {"sent": sum(f["sent"] for f in runs), "answered": sum(f["answered"] for f in runs),
             "by_status": {}}
    for f in runs:
        for k, v in f["by_status"].items(): total["by_status"][k] = total["by_status"].get(k, 0) + v
    return total
print(json.dumps({"idle_p99_ms": median([r["p99_us"] for r in idle]) / 1000,
                  "refused_p99_ms": median([r["p99_us"] for r in refused]) / 1000,
                  "flood_p99_ms": median([r["p99_us"] for r in flood]) / 1000,
                  "idle_runs": [r["p99_us"] / 1000 for r in idle],
                  "refused_runs": [r["p99_us"] / 1000 for r in refused],
                  "flood_runs": [r["p99_us"] / 1000 for r in flood],
                  "officer_errors": sum(r["errors"] for r in idle + refused + flood),
                  "flood": totals("flood"), "refused": totals("refused")}))
PY

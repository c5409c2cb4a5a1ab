#!/usr/bin/env bash
# Dossier figures for one backend, called by bench/run.sh (under scripts/with-postgres.sh for
# PostgreSQL). Prints one JSON object on stdout; progress on stderr.
#   bench/dossiers.sh BUILD sqlite|postgres WORKDIR
# In order: public lookups and statistics on 10,000 dossiers; durable online submissions and
# acceptances through HTTP, in turns with the bare-API submission limits (one transaction per
# submission, and batches of 100); then the database is filled to 1,000,000 dossiers (timed: the demo
# loader's own figure) and lookups and statistics are measured again.
set -euo pipefail
BUILD=$1
BACKEND=$2
WORK=$3
DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_WRK_THREADS:-2}
SMALL=${BENCH_SMALL_DOSSIERS:-10000}
LARGE=${BENCH_LARGE_DOSSIERS:-1000000}
BIN="$BUILD/tinhso"

# Lookups alternate with nginx serving a file of the same size, ROUNDS times each; bench/run.sh
# reports the medians: on a small machine one run of either can be off by a tenth (thread
# placement, the host), and the ratio of two single runs taken minutes apart was off by more.
ROUNDS=${BENCH_LOOKUP_ROUNDS:-3}
ROUND_SECONDS=$(( DURATION / 2 > 3 ? DURATION / 2 : 3 ))
source bench/lib.sh

# nginx for the lookups' baseline, up for the whole run.
NGINX_ROOT="$WORK/www-$BACKEND"
mkdir -p "$NGINX_ROOT"
chmod 755 "$NGINX_ROOT"
NGINX_PORT=$(free_port)
NGINX_PID=$(start_nginx "$WORK/nginx-$BACKEND" "$NGINX_ROOT" "$NGINX_PORT")
trap 'kill "$NGINX_PID" 2>/dev/null || true' EXIT

fresh_db() {  # name → URL of an empty database
  if [[ $BACKEND == sqlite ]]; then
    rm -f "$WORK/$1.db" "$WORK/$1.db-wal" "$WORK/$1.db-shm"
    echo "sqlite:$WORK/$1.db"
  else
    psql "$TINHSO_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
    echo "${TINHSO_TEST_PG_URL%/*}/$1"
  fi
}
sql() {  # URL SQL → rows, '|'-separated
  if [[ $BACKEND == sqlite ]]; then sqlite3 "${1#sqlite:}" "$2"; else psql "$1" -AtXqc "$2"; fi
}
# After a bulk load, as an operator would after any import: PostgreSQL's autovacuum and
# checkpointer would otherwise still be working through the new rows while the figures are taken.
settle() {  # URL
  if [[ $BACKEND == postgres ]]; then psql "$1" -qXc "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null; fi
}

# The bare C APIs write into their own database (the same rows as a submission; see
# bench/submission_baseline.cpp), in turns with tinhso's submissions below.
BASE=$(fresh_db tinhso_bench_base)
"$BIN" demo load --database "$BASE" >/dev/null 2>&1

# --- tinhso -----------------------------------------------------------------------------
DB=$(fresh_db tinhso_bench)
echo "$BACKEND: demo province with $SMALL dossiers ..." >&2
"$BIN" demo load --database "$DB" --dossiers "$SMALL" >/dev/null 2>&1
settle "$DB"
COMMUNE=$(sql "$DB" "SELECT code FROM agencies WHERE kind = 'commune_pc' AND valid_to IS NULL ORDER BY code LIMIT 1")
printf 'bench-password-123\n' | "$BIN" user add --database "$DB" --kind admin --login bench.admin \
  --name "Quản trị đo hiệu năng" >/dev/null
printf 'bench-password-123\n' | "$BIN" user add --database "$DB" --kind officer \
  --login bench.motcua --name "Cán bộ một cửa" --agency "$COMMUNE" --roles reception >/dev/null
printf 'bench-password-123\n' | "$BIN" user add --database "$DB" --kind citizen \
  --login 001199012345 --name "Nguyễn Thị Hồng Nhung" >/dev/null

PID=
start_server() {
  PORT=$(free_port)
  TINHSO_RATE_PER_SECOND=10000000 TINHSO_RATE_BURST=10000000 TINHSO_ACCESS_LOG=/dev/null \
    "$BIN" serve --database "$DB" --listen "127.0.0.1:$PORT" >"$WORK/serve-$BACKEND.log" 2>&1 &
  PID=$!
  wait_http "http://127.0.0.1:$PORT/healthz"
}
stop_server() { kill "$PID"; wait "$PID" 2>/dev/null || true; }
token() {
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"bench-password-123\",\"mode\":\"token\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
lookups_and_stats() {  # label → two JSON fields
  local pairs="$WORK/pairs-$BACKEND.txt"
  sql "$DB" "SELECT code, lookup_secret FROM dossiers WHERE code IS NOT NULL ORDER BY random() LIMIT 5000" |
    tr '|' ' ' >"$pairs"
  local first
  first=$(head -1 "$pairs")
  LOOKUP_BYTES=$(curl -fs "http://127.0.0.1:$PORT/api/v1/lookup?code=${first% *}&secret=${first#* }" | wc -c)
  head -c "$LOOKUP_BYTES" /dev/zero | tr '\0' 'x' >"$NGINX_ROOT/lookup-$1.json"
  chmod 644 "$NGINX_ROOT/lookup-$1.json"
  wait_http "http://127.0.0.1:$NGINX_PORT/lookup-$1.json"
  local lookups=() nginx_runs=() round
  for round in $(seq 1 "$ROUNDS"); do
    echo "$BACKEND: public lookups on $1 dossiers, next to nginx (round $round of $ROUNDS) ..." >&2
    nginx_runs+=("$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${ROUND_SECONDS}s" -s bench/wrk_report.lua \
      "http://127.0.0.1:$NGINX_PORT/lookup-$1.json" | wrk_json)")
    lookups+=("$(PAIRS_FILE=$pairs wrk -t"$THREADS" -c"$CONNECTIONS" -d"${ROUND_SECONDS}s" \
      -s bench/wrk_lookup.lua "http://127.0.0.1:$PORT/" | wrk_json)")
  done
  local lookup_runs nginx_lookup_runs
  lookup_runs="[$(IFS=,; echo "${lookups[*]}")]"
  nginx_lookup_runs="[$(IFS=,; echo "${nginx_runs[*]}")]"
  local admin from to stats
  admin=$(token bench.admin)
  # The leader dashboard's window: the last twelve whole months, this one included (dates are
  # midnight Vietnam time). Windows cutting months in two also scan their edges' dossiers.
  from=$(date -d "$(date +%Y-%m-01) -11 months" +%F)
  to=$(date -d "$(date +%Y-%m-01) +1 month" +%F)
  echo "$BACKEND: statistics by agency over twelve months of $1 dossiers ..." >&2
  stats=$(wrk -t1 -c2 -d"${DURATION}s" -s bench/wrk_report.lua -H "Authorization: Bearer $admin" \
    "http://127.0.0.1:$PORT/api/v1/statistics/dossiers?from=$from&to=$to&group_by=agency" | wrk_json)
  # PostgreSQL: the same single-row read straight through libpq (pgbench, prepared, as many
  # connections as wrk opens) — how many lookups the database itself answers on this machine.
  local direct=null
  if [[ $BACKEND == postgres ]]; then
    local pgbench max_id
    pgbench=$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)
    max_id=$(sql "$DB" "SELECT MAX(id) FROM dossiers")
    cat >"$WORK/lookup.pgbench" <<SQL
\\set n random(1, $max_id)
SELECT d.id, d.code, d.procedure_code, d.status, d.applicant_name, d.received_at, d.due_at,
  d.original_due_at, d.finished_at, d.returned_at, d.supplement_count, d.lookup_secret,
  d.public_timeline FROM dossiers d WHERE d.id = :n;
SQL
    echo "$BACKEND: the lookup's query straight through libpq (pgbench) ..." >&2
    direct=$("$pgbench" -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" \
      -f "$WORK/lookup.pgbench" "$DB" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  fi
  echo "\"lookup_runs_$1\":$lookup_runs,\"nginx_lookup_runs_$1\":$nginx_lookup_runs,\"stats_$1\":$stats,\"lookup_bytes_$1\":$LOOKUP_BYTES,\"lookup_direct_$1\":${direct:-null}"
}

start_server
SMALL_FIGS=$(lookups_and_stats small)

# Durable online submissions (a birth registration with two PDF files, as a citizen sends it).
CITIZEN=$(token 001199012345)
RECEPTION=$(token bench.motcua)
PDF=$(printf '%%PDF-1.4\n%% to khai dang ky khai sinh\n%%%%EOF\n' | base64 -w0)
cat >"$WORK/submit-$BACKEND.json" <<JSON
{"procedure_code":"1.001193","channel":"online","locality_code":"$COMMUNE",
 "applicant":{"kind":1,"name":"Nguyễn Thị Hồng Nhung","id_number":"001199012345","phone":"0912345678"},
 "form":{"tre_ho_ten":"Nguyễn Minh An","tre_gioi_tinh":"Nam","tre_ngay_sinh":"2026-11-01",
  "tre_noi_sinh":"Bệnh viện Đa khoa tỉnh","tre_dan_toc":"Tày","tre_quoc_tich":"Việt Nam",
  "me_ho_ten":"Nguyễn Thị Hồng Nhung","me_so_dinh_danh":"001199012345","so_dien_thoai":"0912345678"},
 "files":[{"component":"TP1","name":"to-khai.pdf","content_base64":"$PDF"},
          {"component":"TP2","name":"giay-chung-sinh.pdf","content_base64":"$PDF"}]}
JSON
check=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/api/v1/dossiers" \
  -H "Authorization: Bearer $CITIZEN" -H 'Content-Type: application/json' \
  --data-binary @"$WORK/submit-$BACKEND.json")
[[ $check == 201 ]] || { echo "submission refused ($check)" >&2; exit 1; }
# Submissions, acceptances and the bare-API limits are taken in turns, ROUNDS times each, and
# reported as medians (as the lookups): a limit measured minutes apart from the figure it bounds
# met a different machine (another process, the host, PostgreSQL's checkpointer).
submit_runs=() accept_runs=() base_tx_runs=() base_batch_runs=()
fresh_ids() {  # first id → file of the dossiers after it still waiting for acceptance
  sql "$DB" "SELECT id FROM dossiers WHERE id > $1 AND status = 1 ORDER BY id" >"$WORK/ids-$BACKEND.txt"
  wc -l <"$WORK/ids-$BACKEND.txt"
}
submit() {  # seconds → one wrk JSON line
  TOKEN=$CITIZEN BODY_FILE="$WORK/submit-$BACKEND.json" wrk -t"$THREADS" -c"$CONNECTIONS" \
    -d"$1s" -s bench/wrk_submit.lua "http://127.0.0.1:$PORT/" | wrk_json
}
ACCEPT_SECONDS=$(( ROUND_SECONDS / 2 > 2 ? ROUND_SECONDS / 2 : 2 ))
for round in $(seq 1 "$ROUNDS"); do
  echo "$BACKEND: bare-API submissions, one transaction each, then in batches of 100 (round $round of $ROUNDS) ..." >&2
  base_tx_runs+=("$("$BUILD/bench/tinhso_submission_baseline" "$BASE" "$ROUND_SECONDS" 1)")
  base_batch_runs+=("$("$BUILD/bench/tinhso_submission_baseline" "$BASE" "$ROUND_SECONDS" 100)")
  BEFORE=$(sql "$DB" "SELECT MAX(id) FROM dossiers")
  echo "$BACKEND: durable online submissions through HTTP (round $round of $ROUNDS) ..." >&2
  submit_runs+=("$(submit "$ROUND_SECONDS")")
  # Acceptances take the fresh dossiers, each once. A run that outlives them repeats the last
  # one (409, an error): it is thrown away, more dossiers are submitted (not measured), and the
  # run is taken again. A figure is never taken from a run with errors.
  accepted=
  for attempt in 1 2 3; do
    supply=$(fresh_ids "$BEFORE")
    echo "$BACKEND: acceptances (transitions) through HTTP over $supply fresh dossiers (round $round, attempt $attempt) ..." >&2
    run=$(TOKEN=$RECEPTION IDS_FILE="$WORK/ids-$BACKEND.txt" THREADS=$THREADS wrk -t"$THREADS" \
      -c"$CONNECTIONS" -d"${ACCEPT_SECONDS}s" -s bench/wrk_accept.lua "http://127.0.0.1:$PORT/" |
      wrk_json)
    if [[ $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["errors"])' "$run") == 0 ]]; then accepted=$run; break; fi
    echo "$BACKEND: the acceptances ran out of dossiers; submitting more ..." >&2
    submit $(( ROUND_SECONDS * attempt )) >/dev/null
  done
  accept_runs+=("${accepted:-$run}")
done
SUBMIT_RUNS="[$(IFS=,; echo "${submit_runs[*]}")]"
ACCEPT_RUNS="[$(IFS=,; echo "${accept_runs[*]}")]"
BASE_TX_RUNS="[$(IFS=,; echo "${base_tx_runs[*]}")]"
BASE_BATCH_RUNS="[$(IFS=,; echo "${base_batch_runs[*]}")]"
stop_server

HAVE=$(sql "$DB" "SELECT COUNT(*) FROM dossiers")
ADD=$((LARGE - HAVE))
echo "$BACKEND: demo load of $ADD more dossiers ..." >&2
LOAD_START=$(date +%s.%N)
"$BIN" demo load --database "$DB" --dossiers "$ADD" >/dev/null 2>&1
LOAD_SECONDS=$(python3 -c "import time; print(round($(date +%s.%N) - $LOAD_START, 1))")
settle "$DB"
start_server
LARGE_FIGS=$(lookups_and_stats large)
stop_server
TOTAL=$(sql "$DB" "SELECT COUNT(*) FROM dossiers")

echo "{\"backend\":\"$BACKEND\",\"baseline_tx_runs\":$BASE_TX_RUNS,\"baseline_batch_runs\":$BASE_BATCH_RUNS,\
\"submit_runs\":$SUBMIT_RUNS,\"accept_runs\":$ACCEPT_RUNS,$SMALL_FIGS,$LARGE_FIGS,\"small_count\":$SMALL,\
\"large_count\":$TOTAL,\"demo_load_added\":$ADD,\"demo_load_seconds\":$LOAD_SECONDS}"

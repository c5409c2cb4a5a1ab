#!/usr/bin/env bash
# make bench: measures tinhso on loopback next to reference baselines measured in the same run,
# prints a table and writes build/bench.json:
#   {"figures":[{"name","value","unit","baseline","ratio","goal"}]}
# HTTP: wrk against tinhso (/healthz and an authenticated JSON read) and against nginx serving
# a static file of the same size as each tinhso response. Micro-benchmarks: Google Benchmark.
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
WORK=$(mktemp -d /tmp/tinhso-bench.XXXXXX)
# nginx workers run as www-data when started by root: they must be able to read the files.
chmod 755 "$WORK"
DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_WRK_THREADS:-2}
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

source bench/lib.sh
run_wrk() {  # url [header]
  local extra=()
  [[ -n "${2:-}" ]] && extra=(-H "$2")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s bench/wrk_report.lua "${extra[@]}" "$1" |
    wrk_json
}

# --- dossiers on both backends (bench/dossiers.sh) -----------------------------------------
DOSSIERS_SQLITE=$(bash bench/dossiers.sh "$BUILD" sqlite "$WORK")
# PostgreSQL as a province would run it, not as the tests' throw-away cluster: durable commits
# (fsync and full-page writes on, as SQLite's synchronous=FULL) and a buffer cache sized for the
# data (a quarter of the memory, at most 2 GB; the default 128 MB holds a tenth of a million
# dossiers).
PG_BUFFERS_MB=$(awk '/MemTotal/ { m = int($2 / 4096); print (m > 2048 ? 2048 : m) }' /proc/meminfo)
DOSSIERS_PG=$(TINHSO_PG_SERVER_OPTIONS="-c fsync=on -c full_page_writes=on -c shared_buffers=${PG_BUFFERS_MB}MB" \
  scripts/with-postgres.sh bash bench/dossiers.sh "$BUILD" postgres "$WORK")
# --- memory while 8 clients upload 10 MB files at once (bench/uploads.sh) -----------------
UPLOADS=$(bash bench/uploads.sh "$BUILD" "$WORK")
# --- an officer's reads while anonymous sign-ins and verifications flood in (bench/flood.sh) --
FLOOD=$(bash bench/flood.sh "$BUILD" "$WORK")
# --- the data-integration gateway and the outbox (bench/gateway.sh) ------------------------
GATEWAY=$(bash bench/gateway.sh "$BUILD" "$WORK")
# --- tinhso with the demo province --------------------------------------------------------
DB="sqlite:$WORK/bench.db"
"$BUILD/tinhso" migrate --database "$DB" >/dev/null
"$BUILD/tinhso" demo load --database "$DB" >/dev/null 2>&1
printf 'bench-password-123\n' | "$BUILD/tinhso" user add --database "$DB" --kind admin \
  --login bench.admin --name "Quản trị đo hiệu năng" >/dev/null
PORT=$(free_port)
# The rate limit is for the internet, not for a load generator on loopback.
TINHSO_RATE_PER_SECOND=10000000 TINHSO_RATE_BURST=10000000 TINHSO_ACCESS_LOG=/dev/null \
  "$BUILD/tinhso" serve --database "$DB" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$PORT/healthz"
TOKEN=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" \
  -H 'Content-Type: application/json' \
  -d '{"login":"bench.admin","password":"bench-password-123","mode":"token"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
READ_URL="http://127.0.0.1:$PORT/api/v1/auth/me"
HEALTH_BYTES=$(curl -fs "http://127.0.0.1:$PORT/healthz" | wc -c)
READ_BYTES=$(curl -fs -H "Authorization: Bearer $TOKEN" "$READ_URL" | wc -c)

echo "tinhso /healthz ..." >&2
T_HEALTH=$(run_wrk "http://127.0.0.1:$PORT/healthz")
echo "tinhso authenticated read ..." >&2
T_READ=$(run_wrk "$READ_URL" "Authorization: Bearer $TOKEN")
# The server stays up for the web page measurement below, against nginx serving the same files.
TINHSO_PORT=$PORT

# --- nginx serving files of the same sizes -------------------------------------------------
# (The lookups' nginx baseline is measured by bench/dossiers.sh, in turns with the lookups.)
NPORT=$(free_port)
WPORT=$(free_port)
SPORT=$(free_port)
mkdir -p "$WORK/www"
cp -r web/dist "$WORK/www-web"
chmod -R a+rX "$WORK/www-web"
head -c "$HEALTH_BYTES" /dev/zero | tr '\0' 'x' >"$WORK/www/health.json"
head -c "$READ_BYTES" /dev/zero | tr '\0' 'x' >"$WORK/www/read.json"
chmod -R a+rX "$WORK/www"
# The web UI's build, as a static host would serve it (client routes fall back to index.html).
WEB_SERVER="server {
    listen 127.0.0.1:$WPORT; root $WORK/www-web; include /etc/nginx/mime.types; gzip off;
    location / { try_files \$uri /index.html; }
  }
  # The same files as a static host would send them to a phone: the build's .gz copies
  # (gzip_static), with the API proxied to the tinhso above so that the pages can draw.
  server {
    listen 127.0.0.1:$SPORT; root $WORK/www-web; include /etc/nginx/mime.types;
    gzip_static on;
    location /api/ { proxy_pass http://127.0.0.1:$TINHSO_PORT; proxy_http_version 1.1; }
    location / { try_files \$uri /index.html; }
  }"
pids+=("$(start_nginx "$WORK/nginx" "$WORK/www" "$NPORT" "$WEB_SERVER")")
wait_http "http://127.0.0.1:$NPORT/health.json"
echo "nginx, file of the /healthz size ..." >&2
N_HEALTH=$(run_wrk "http://127.0.0.1:$NPORT/health.json")
echo "nginx, file of the read size ..." >&2
N_READ=$(run_wrk "http://127.0.0.1:$NPORT/read.json")

# --- the web UI's first page, cold cache, in Chromium --------------------------------------
echo "web UI first page load (Chromium, cold cache) ..." >&2
WEB_LOAD=$(node bench/web_load.mjs "http://127.0.0.1:$TINHSO_PORT" "http://127.0.0.1:$WPORT" 10)
# --- the portal's public pages on a rural phone: slow 3G, 4x slower CPU ----------------------
echo "web UI on slow 3G (Chromium, throttled network and CPU, cold cache) ..." >&2
WEB_SLOW3G=$(node bench/web_slow3g.mjs "http://127.0.0.1:$TINHSO_PORT" "http://127.0.0.1:$SPORT" \
  "${BENCH_SLOW3G_RUNS:-3}")
# The JavaScript the first page needs (entry + preloads), gzip-compressed as sent over a network.
WEB_JS_GZIP=$(python3 - web/dist <<'PY'
import gzip, re, sys, pathlib
dist = pathlib.Path(sys.argv[1])
html = (dist / "index.html").read_text()
files = set(re.findall(r'(?:src|href)="/(assets/[^"]+\.js)"', html))
print(sum(len(gzip.compress((dist / f).read_bytes(), 9)) for f in files))
PY
)
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=("${pids[@]:1}")

# --- signatures: tinhso next to openssl speed for the same key types -----------------------
echo "signatures: PDF 1 MB and XML, ECDSA P-256 and RSA-3072 ..." >&2
SIGNING=$("$BUILD/bench/tinhso_signing_bench" "$WORK" 3)
OPENSSL_SPEED=$(openssl speed -seconds 3 ecdsap256 rsa3072 2>/dev/null |
  python3 -c '
import json, re, sys
out = {}
for line in sys.stdin:
    m = re.match(r"\s*(?:rsa 3072 bits|256 bits ecdsa \(nistp256\))\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)", line)
    if m:
        out["rsa" if line.strip().startswith("rsa") else "ec"] = {"sign": float(m.group(1)), "verify": float(m.group(2))}
print(json.dumps(out))')

# --- micro-benchmarks ---------------------------------------------------------------------
MICRO="$WORK/micro.json"
if [[ -x "$BUILD/bench/tinhso_micro_bench" ]]; then
  echo "micro-benchmarks ..." >&2
  "$BUILD/bench/tinhso_micro_bench" --benchmark_format=json --benchmark_min_time=0.5 \
    >"$MICRO" 2>/dev/null
else
  echo '{"benchmarks":[]}' >"$MICRO"
fi

python3 - "$T_HEALTH" "$T_READ" "$N_HEALTH" "$N_READ" "$MICRO" "$BUILD/bench.json" \
  "$HEALTH_BYTES" "$READ_BYTES" "$DOSSIERS_SQLITE" "$DOSSIERS_PG" "$WEB_LOAD" \
  "$WEB_JS_GZIP" "$SIGNING" "$OPENSSL_SPEED" "$UPLOADS" "$FLOOD" "$WEB_SLOW3G" "$GATEWAY" <<'PY'
import json, sys
th, tr, nh, nr = (json.loads(a) for a in sys.argv[1:5])
web, web_js = json.loads(sys.argv[11]), int(sys.argv[12])
signing, openssl = json.loads(sys.argv[13]), json.loads(sys.argv[14])
uploads = json.loads(sys.argv[15])
flood = json.loads(sys.argv[16])
slow3g = json.loads(sys.argv[17])
gateway = json.loads(sys.argv[18])
micro = json.load(open(sys.argv[5]))
out, hb, rb = sys.argv[6], sys.argv[7], sys.argv[8]
dossier_runs = [json.loads(sys.argv[9]), json.loads(sys.argv[10])]
figs = []
# Figures whose runs had errors: never reported (a rate of refused requests says nothing), listed
# in bench.json under "not_reported", and the bench exits with status 1.
not_reported = []
def median(runs, key="rps"):  # the run with the median value of `key`
    return sorted(runs, key=lambda r: r[key])[len(runs) // 2]
def rps_list(runs, key="rps"):
    return ", ".join(f"{r[key]:.0f}" for r in runs)
def errors_in(runs):
    return sum(r.get("errors", 0) for r in runs)
def fig(name, value, unit, baseline, goal, higher_is_better=True, runs=()):
    if errors_in(runs):
        not_reported.append({"name": name, "reason": f"{errors_in(runs)} errors in its runs"})
        print(f"error: {name} not reported: {errors_in(runs)} errors in its runs", file=sys.stderr)
        return
    ratio = value / baseline if baseline else None
    figs.append({"name": name, "value": round(value, 3), "unit": unit,
                 "baseline": round(baseline, 3) if baseline is not None else None,
                 "ratio": round(ratio, 3) if ratio is not None else None, "goal": goal})
for label, t, n, goal in (("healthz", th, nh, 0.8), ("auth_read", tr, nr, 0.5)):
    fig(f"http.{label}.requests_per_second", t["rps"], "req/s", n["rps"], f">= {goal} of nginx",
        runs=[t, n])
    fig(f"http.{label}.p50_latency", t["p50_us"] / 1000, "ms", n["p50_us"] / 1000,
        "lower is better", runs=[t, n])
    fig(f"http.{label}.p99_latency", t["p99_us"] / 1000, "ms", n["p99_us"] / 1000,
        "lower is better", runs=[t, n])
for d in dossier_runs:
    b = d["backend"]
    tx_runs, batch_runs = d["baseline_tx_runs"], d["baseline_batch_runs"]
    tx = median(tx_runs, "per_second")["per_second"]
    batch = median(batch_runs, "per_second")["per_second"]
    sub_runs, acc_runs = d["submit_runs"], d["accept_runs"]
    sub, acc = median(sub_runs), median(acc_runs)
    turns = (f"medians of {len(sub_runs)} runs taken in turns: tinhso {rps_list(sub_runs)}; "
             f"one transaction {rps_list(tx_runs, 'per_second')}; "
             f"batches of 100 {rps_list(batch_runs, 'per_second')}")
    fig(f"dossiers.{b}.submissions_per_second", sub["rps"], "req/s", batch,
        ">= 0.25 of the bare batch-100 insert rate, and >= the one-transaction rate "
        f"({tx:.0f}/s: ratio {sub['rps'] / tx:.2f}; {turns})", runs=sub_runs)
    fig(f"dossiers.{b}.submission_p50", sub["p50_us"] / 1000, "ms", None, "lower is better",
        runs=sub_runs)
    fig(f"dossiers.{b}.submission_p99", sub["p99_us"] / 1000, "ms", None, "lower is better",
        runs=sub_runs)
    fig(f"dossiers.{b}.bare_insert_one_tx_per_submission", tx, "submissions/s", None, "reference")
    fig(f"dossiers.{b}.bare_insert_batch_100", batch, "submissions/s", None, "reference")
    fig(f"dossiers.{b}.transitions_per_second", acc["rps"], "req/s", batch,
        "reference: the bare batch-100 insert rate (medians of runs taken in turns: tinhso "
        f"{rps_list(acc_runs)})", runs=acc_runs)
    fig(f"dossiers.{b}.transition_p50", acc["p50_us"] / 1000, "ms", None, "lower is better",
        runs=acc_runs)
    fig(f"dossiers.{b}.transition_p99", acc["p99_us"] / 1000, "ms", None, "lower is better",
        runs=acc_runs)
    for size_label in ("small", "large"):
        count = d[f"{size_label}_count"]
        runs, nginx_runs = d[f"lookup_runs_{size_label}"], d[f"nginx_lookup_runs_{size_label}"]
        lk, st = median(runs), d[f"stats_{size_label}"]
        ng = median(nginx_runs)["rps"]
        fig(f"dossiers.{b}.lookups_per_second_at_{count}", lk["rps"], "req/s", ng,
            ">= 0.5 of nginx serving a file of the lookup's size (medians of runs taken in "
            f"turns: tinhso {rps_list(runs)}; nginx {rps_list(nginx_runs)})",
            runs=runs + nginx_runs)
        direct = d.get(f"lookup_direct_{size_label}")
        if direct:
            fig(f"dossiers.{b}.lookup_query_direct_at_{count}", direct, "queries/s", ng,
                "reference: the lookup's query through libpq alone (pgbench), next to nginx")
            fig(f"dossiers.{b}.lookups_vs_direct_query_at_{count}", lk["rps"], "req/s", direct,
                "reference: tinhso's lookups next to the database answering the query alone",
                runs=runs)
        fig(f"dossiers.{b}.lookup_p50_at_{count}", lk["p50_us"] / 1000, "ms", None,
            "lower is better", runs=runs)
        fig(f"dossiers.{b}.lookup_p99_at_{count}", lk["p99_us"] / 1000, "ms", None,
            "lower is better", runs=runs)
        fig(f"dossiers.{b}.statistics_per_second_at_{count}", st["rps"], "req/s", None,
            "a year by agency; lower p50 is better", runs=[st])
        fig(f"dossiers.{b}.statistics_p50_at_{count}", st["p50_us"] / 1000, "ms", None,
            "lower is better", runs=[st])
    fig(f"dossiers.{b}.demo_load_per_second", d["demo_load_added"] / d["demo_load_seconds"],
        "dossiers/s", None, "a million in minutes")
fig("uploads.peak_rss_mb_8x10mb", uploads["peak_mb"], "MB", uploads["idle_mb"],
    f"< 64 MB above idle (baseline: idle RSS; {uploads['peak_mb'] - uploads['idle_mb']:.1f} MB "
    f"above it, {uploads['uploads']} submissions of a 10 MB scan, 8 at once)", False,
    runs=[uploads])
fig("http.officer_read_p99_ms_under_anonymous_flood", flood["flood_p99_ms"], "ms",
    flood["idle_p99_ms"],
    "< 3x the idle p99 (baseline: the same list on an idle server, in turns; medians of "
    f"{len(flood['flood_runs'])}: idle {flood['idle_runs']}, flood {flood['flood_runs']}; "
    f"flood answers {flood['flood']['by_status']}; under the same requests refused at once: "
    f"{flood['refused_p99_ms']} ms)", False,
    runs=[{"errors": flood["officer_errors"]}])
# The control: the flood's client and connections on the same cores, with no work behind them.
# Costly work is kept away from officers when the flood costs them no more than this.
fig("http.officer_read_p99_ms_under_refused_flood", flood["refused_p99_ms"], "ms",
    flood["idle_p99_ms"],
    "reference: the same 100 requests a second refused at once with 400, next to the idle p99 "
    f"(medians of {len(flood['refused_runs'])}: {flood['refused_runs']}; answers "
    f"{flood['refused']['by_status']})", False, runs=[{"errors": flood["officer_errors"]}])
fig("web.first_page_load", web["tinhso"]["load_ms"], "ms", web["reference"]["load_ms"],
    "< 1000 ms on loopback, cold cache (baseline: nginx serving the same files)", False)
fig("web.first_page_ready", web["tinhso"]["ready_ms"], "ms", web["reference"]["ready_ms"],
    "< 1000 ms: the procedure list drawn from the API (baseline: nginx, the page shell only)",
    False)
fig("web.initial_js_gzip", web_js / 1024, "KiB", None, "lower is better")
# Time to first useful content on slow 3G (400 kbit/s, 2 s round trip) with a 4x slower CPU, cold
# cache; defined in bench/web_slow3g.mjs. Baseline: nginx sending the same build with gzip_static.
for page in ("home", "procedure", "lookup"):
    t, n = slow3g["tinhso"][f"{page}_ms"], slow3g["reference"][f"{page}_ms"]
    fig(f"web.slow3g_{page}_useful_ms", t, "ms", n,
        "under 5000 ms and <= 1.2x nginx with gzip_static (medians of "
        f"{slow3g['runs']} runs in turns: tinhso {slow3g['tinhso'][page + '_runs']}; "
        f"nginx {slow3g['reference'][page + '_runs']})", False)
# The gateway with full logging next to the same upstream called directly, in turns; counted
# only when the log holds every proxied call and verifies.
proxied_total = sum(r["requests"] for r in gateway["proxied"] + gateway["proxied_c1"])
gw_runs = gateway["proxied"] + gateway["direct"] + gateway["proxied_c1"] + gateway["direct_c1"]
if gateway["logged"] < proxied_total or not gateway["log_verified"]:
    gw_runs = gw_runs + [{"errors": 1}]
    print(f"error: the gateway's log holds {gateway['logged']} of {proxied_total} calls, "
          f"verified: {gateway['log_verified']}: {gateway['verify_output']}", file=sys.stderr)
gp, gd = median(gateway["proxied"]), median(gateway["direct"])
gp1, gd1 = median(gateway["proxied_c1"]), median(gateway["direct_c1"])
gw_turns = (f"medians of {len(gateway['proxied'])} runs in turns: through the gateway "
            f"{rps_list(gateway['proxied'])}; direct {rps_list(gateway['direct'])}; "
            f"{gateway['logged']} calls logged, signed, time-stamped and verified")
fig("gateway.proxied_rps", gp["rps"], "req/s", gd["rps"],
    ">= 0.5 of the upstream called directly, aim 0.8 (nginx serving a citizen's 1 KiB record; "
    + gw_turns + ")", runs=gw_runs)
if gateway.get("nginx_proxied"):
    gn = median(gateway["nginx_proxied"])
    fig("gateway.reference_nginx_proxy_rps", gn["rps"], "req/s", gd["rps"],
        "for reading gateway.proxied_rps: nginx itself as a reverse proxy to the same upstream "
        "(kept-alive connections, no logging, no authentication), what any proxy costs where "
        "client, proxy and upstream share this machine's cores; runs "
        + rps_list(gateway["nginx_proxied"]), runs=gateway["nginx_proxied"])
fig("gateway.proxied_p50_ms", gp["p50_us"] / 1000, "ms", gd["p50_us"] / 1000,
    "lower is better (baseline: direct, same connections)", False, runs=gw_runs)
fig("gateway.proxied_p99_ms", gp["p99_us"] / 1000, "ms", gd["p99_us"] / 1000,
    "lower is better (baseline: direct, same connections)", False, runs=gw_runs)
fig("gateway.extra_latency_per_call_ms", (gp1["p50_us"] - gd1["p50_us"]) / 1000, "ms",
    gd1["p50_us"] / 1000,
    "what a call through the gateway adds at one connection: p50 through it "
    f"({gp1['p50_us'] / 1000:.3f} ms) less p50 direct (the baseline); p99 through it "
    f"{gp1['p99_us'] / 1000:.3f} ms", False, runs=gw_runs)
if gateway.get("cpu_us_per_call"):
    fig("gateway.server_cpu_us_per_call", gateway["cpu_us_per_call"], "µs", None,
        "lower is better: tinhso's CPU time (user + system) per call through the gateway at "
        "full load, with logging", False)
ob = gateway["outbox"]
fig("gateway.outbox_delivered_per_s", ob["per_second"], "messages/s", ob["direct_per_second"],
    f"reference: the same {ob['direct']} POSTs of 1 KiB sent straight to the receiver by as many "
    f"threads, without the outbox ({ob['delivered']} delivered in {ob['seconds']} s, SQLite, "
    "one enqueue transaction each)")
for key, name in (("ec", "ecdsa_p256"), ("rsa", "rsa_3072")):
    base = openssl.get(key, {})
    for doc, what in (("pdf", "pdf_1mb"), ("xml", "xml_small")):
        got = signing[f"{doc}_{key}"]
        fig(f"signing.{what}.{name}.signatures_per_second", got["sign"], "signatures/s",
            base.get("sign"), "reference: openssl speed sign/s for the key (a time-stamped "
            "PAdES signature also hashes the file and makes the TSA's signature)")
        fig(f"signing.{what}.{name}.verifications_per_second", got["verify"], "verifications/s",
            base.get("verify"), "reference: openssl speed verify/s for the key (verifying also "
            "checks the chain, the time-stamp and revocation)")
# Names carry suffixes such as "/real_time"; a label names the baseline without them.
by_name = {b["name"].split("/")[0]: b for b in micro.get("benchmarks", [])}
for b in micro.get("benchmarks", []):
    base_name = b.get("label", "")
    if b["name"].startswith("BM_Baseline"):
        continue
    items = b.get("items_per_second")
    if items is None:
        continue
    base = by_name.get(base_name)
    base_items = base.get("items_per_second") if base else None
    fig("micro." + b["name"].removeprefix("BM_"), items, "items/s", base_items,
        "reference: " + base_name if base_name else "")
json.dump({"figures": figs, "not_reported": not_reported}, open(out, "w"), indent=2,
          ensure_ascii=False)
print(f"{'figure':45} {'value':>12} {'baseline':>12} {'ratio':>7}  unit")
for f in figs:
    b = f["baseline"] if f["baseline"] is not None else "-"
    r = f["ratio"] if f["ratio"] is not None else "-"
    print(f"{f['name']:45} {f['value']:>12} {b:>12} {r:>7}  {f['unit']}  ({f['goal']})")
print(f"(response sizes: /healthz {hb} B, read {rb} B; written to {out})")
if not_reported:
    print(f"{len(not_reported)} figures not reported: their runs had errors (see above)",
          file=sys.stderr)
    sys.exit(1)
PY

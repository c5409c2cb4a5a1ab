#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server:
#   scripts/with-postgres.sh CMD [ARGS...]
# Starts a private cluster (its own data directory, port and socket directory; any system
# cluster is left alone), exports TINHSO_TEST_PG_URL=postgresql://postgres@127.0.0.1:PORT/postgres,
# runs CMD, then always stops the server and deletes its directory. Exits with CMD's status.
# TINHSO_PG_SERVER_OPTIONS adds server settings ("-c name=value ...").
# Needs the PostgreSQL server binaries (Debian: postgresql-15), not a running cluster. As root,
# the server runs as the postgres user. TINHSO_PG_BINDIR overrides where initdb/pg_ctl are.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

bindir="${TINHSO_PG_BINDIR:-}"
if [[ -z "$bindir" ]]; then
  # Debian keeps the server binaries off PATH: take the newest installed major version.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [[ -x "$dir/initdb" ]]; then
      bindir="$dir"
      break
    fi
  done
fi
if [[ -z "$bindir" ]] && command -v initdb >/dev/null; then
  bindir="$(dirname "$(command -v initdb)")"
fi
if [[ -z "$bindir" ]]; then
  echo "with-postgres: initdb not found; install postgresql-15 (scripts/bootstrap.sh)" >&2
  exit 1
fi

as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The name carries our pid, as the test library's own clusters do: whichever runs next removes
# directories whose process is gone (a run killed with SIGKILL cannot clean up after itself).
tmp="${TMPDIR:-/tmp}"
for stale in "$tmp"/tinhso-test-pg-*; do
  [[ -d "$stale" ]] || continue
  pid="${stale##*/tinhso-test-pg-}"
  pid="${pid%%-*}"
  if [[ "$pid" =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null; then
    as_server_user "$bindir/pg_ctl" stop -D "$stale/data" -m immediate -s >/dev/null 2>&1 || true
    rm -rf "$stale"
  fi
done

dir="$(mktemp -d "$tmp/tinhso-test-pg-$$-XXXXXX")"
started=0
cleanup() {
  if [[ $started -eq 1 ]]; then
    as_server_user "$bindir/pg_ctl" stop -D "$dir/data" -m immediate -w -s >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$dir"
fi
# The postgres user may not be allowed into the caller's working directory.
cd_and_run() { (cd "$dir" && as_server_user "$@"); }

if ! cd_and_run "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C \
    --no-sync >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  echo "with-postgres: initdb failed" >&2
  exit 1
fi

for attempt in 1 2 3 4 5; do
  # A random high port; if it is taken the server fails to start and the next try takes another.
  port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
  # fsync and full_page_writes off: the data is thrown away, durability only costs time.
  options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off"
  options+=" -c max_connections=200 -c deadlock_timeout=100ms"
  # Callers may add or override settings (later ones win): make bench asks for a durable,
  # production-sized server.
  options+=" ${TINHSO_PG_SERVER_OPTIONS:-}"
  if cd_and_run "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 -s \
      -o "$options" >>"$dir/initdb.log" 2>&1; then
    started=1
    break
  fi
done
if [[ $started -ne 1 ]]; then
  cat "$dir/initdb.log" "$dir/server.log" >&2 2>/dev/null || true
  echo "with-postgres: pg_ctl start failed" >&2
  exit 1
fi

export TINHSO_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
# In the background, so that a signal to this script is handled now (bash runs traps only
# between foreground commands) and passed on; <&0 keeps stdin, which '&' would replace.
"$@" <&0 &
child=$!
trap 'kill -INT "$child" 2>/dev/null || true' INT
trap 'kill -TERM "$child" 2>/dev/null || true' TERM
trap 'kill -HUP "$child" 2>/dev/null || true' HUP
while kill -0 "$child" 2>/dev/null; do
  wait "$child" || true  # returns early when a trapped signal arrives
done
status=0
wait "$child" || status=$?
exit "$status"

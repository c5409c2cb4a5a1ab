# Helpers shared by bench/run.sh and bench/dossiers.sh (sourced, not run).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
wrk_json() { sed -n 's/^WRK_JSON //p'; }

# Starts nginx serving the files under ROOT on 127.0.0.1:PORT, configured in DIR, plus the
# optional extra server blocks; prints its pid. As root the workers run as www-data: DIR and
# ROOT must be readable by them.
start_nginx() {  # DIR ROOT PORT [EXTRA_SERVER_BLOCKS]
  local dir=$1 root=$2 port=$3 extra=${4:-}
  mkdir -p "$dir"
  chmod 755 "$dir"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log;
daemon off;
events { worker_connections 4096; }
http {
  access_log /dev/null;  # tinhso logs every request too (to /dev/null in the bench)
  default_type application/json;
  client_body_temp_path $dir; proxy_temp_path $dir; fastcgi_temp_path $dir;
  uwsgi_temp_path $dir; scgi_temp_path $dir;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$port; root $root; }
  $extra
}
CONF
  /usr/sbin/nginx -c "$dir/nginx.conf" -p "$dir" >/dev/null 2>&1 &
  echo $!
}


# Starts `tinhso serve` over DB on a free loopback port, without the internet's rate limit and
# access log (a load generator on loopback is not the internet); sets PORT and PID. Extra
# arguments go to serve.
start_tinhso() {  # BIN DB LOG [serve args...]
  local bin=$1 db=$2 log=$3
  shift 3
  PORT=$(free_port)
  TINHSO_RATE_PER_SECOND=10000000 TINHSO_RATE_BURST=10000000 TINHSO_ACCESS_LOG=/dev/null \
    "$bin" serve --database "$db" --listen "127.0.0.1:$PORT" "$@" >"$log" 2>&1 &
  PID=$!
  wait_http "http://127.0.0.1:$PORT/healthz"
}
# A bearer token for LOGIN (password bench-password-123) from the server on PORT.
bench_token() {  # LOGIN
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"bench-password-123\",\"mode\":\"token\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

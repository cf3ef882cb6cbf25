# Shared by the PostgreSQL load benches (bench/scale.sh, bench/cpu.sh); sourced, not run.
# Sets up a work dir, a throwaway PostgreSQL database and the environment every `woolly`
# of the bench reads, tracks the servers started, and cleans everything up on exit.
#
#   bench_setup NAME     WORK, DBNAME, LB_PORT, DATABASE_URL and the WOOLLY_* defaults
#   start_server ARGS... runs `env ARGS... $BIN serve` in the background, logged in $WORK
#   stop_servers         stops every server started (and waits for them)
#   write_nginx PORTS... starts nginx on 127.0.0.1:$LB_PORT, round-robin over PORTS

PG_URL_BASE="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
PIDS=()

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() {
  for _ in $(seq 1 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "error: $1 did not answer" >&2; return 1
}

stop_servers() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

bench_cleanup() {
  stop_servers
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  sleep 0.5
  psql "$PG_URL_BASE/postgres" -qc "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}

bench_setup() { # name
  WORK=$(mktemp -d "/tmp/woolly-$1-bench.XXXXXX")
  chmod 755 "$WORK"
  DBNAME="woolly_$1_bench_$$"
  psql "$PG_URL_BASE/postgres" -qc "CREATE DATABASE $DBNAME" >/dev/null
  LB_PORT=$(free_port)
  export DATABASE_URL="$PG_URL_BASE/$DBNAME" WOOLLY_DOMAIN="127.0.0.1:$LB_PORT" WOOLLY_SCHEME=http \
    WOOLLY_RATE_LIMITS=true WOOLLY_RATE_LIMIT_MULTIPLIER=1000000 RUST_LOG=warn \
    WOOLLY_DATA_DIR="$WORK/cli"
  unset WOOLLY_NODE_ID WOOLLY_REDIS_URL
  trap bench_cleanup EXIT
}

start_server() { # VAR=value ... (the last server's log: $WORK/p<n>.log)
  local n=$(( ${#PIDS[@]} + 1 ))
  env WOOLLY_DATA_DIR="$WORK/p$n" "$@" "$BIN" serve >>"$WORK/p$n.log" 2>&1 &
  PIDS+=($!)
}

write_nginx() { # ports...
  mkdir -p "$WORK/nginx"
  chmod 777 "$WORK/nginx"
  {
    echo "daemon on; pid $WORK/nginx.pid; error_log $WORK/nginx/error.log warn; worker_processes 1;"
    echo "events { worker_connections 1024; }"
    echo "http {"
    echo "  access_log off;"
    for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $WORK/nginx/$t;"; done
    echo "  upstream woolly {"
    for port in "$@"; do echo "    server 127.0.0.1:$port;"; done
    echo "    keepalive 64;"
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$LB_PORT;"
    echo "    location / {"
    echo "      proxy_pass http://woolly; proxy_http_version 1.1;"
    echo "      proxy_set_header Connection \"\"; proxy_set_header Host \$http_host;"
    echo "    }"
    echo "  }"
    echo "}"
  } >"$WORK/nginx.conf"
  nginx -c "$WORK/nginx.conf" -p "$WORK/nginx"
}

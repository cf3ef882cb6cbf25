#!/usr/bin/env bash
# Scale-out end to end: three `woolly serve` processes on one PostgreSQL database, with
# Redis (shared rate limits) and an S3-protocol server (media), behind nginx on loopback
# (round-robin). check.py then shows, through the balancer, each point of issue 14's
# "Done means" (see its docstring).
#
#   e2e/scale/run.sh [path/to/woolly]     (default: target/debug/woolly; builds nothing)
#
# Needs PostgreSQL on 127.0.0.1:5432 (or TEST_DATABASE_URL's server), Redis on
# 127.0.0.1:6379 (or TEST_REDIS_URL; the database index given there is flushed), nginx
# (Debian's; run with a private config, no root paths) and moto's S3 server (`moto_server`,
# installed from PyPI when missing, started on a free loopback port). Exits non-zero on any
# failure; logs stay in the work dir it prints.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-target/debug/woolly}"
if [ ! -x "$bin" ]; then
  echo "error: no woolly binary at $bin (build it: cargo build -p woolly-server)" >&2
  exit 2
fi
WOOLLY_BIN="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

command -v nginx >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
if ! command -v nginx >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) || {
    echo "error: nginx is missing and could not be installed" >&2; exit 2; }
fi
if ! command -v moto_server >/dev/null 2>&1; then
  pip install --quiet --disable-pip-version-check 'moto[server]' || {
    echo "error: moto_server is missing and could not be installed" >&2; exit 2; }
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { # url seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "error: $1 did not answer within $2 s" >&2
  return 1
}

work="$(mktemp -d /tmp/woolly-scale.XXXXXX)"
chmod 755 "$work"
echo "scale-out e2e: work dir $work"
pids=()
pg_admin="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_base="${pg_admin%%\?*}"; pg_base="${pg_base%/*}"
db="woolly_e2e_scale_$$"
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  sleep 1
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- PostgreSQL, Redis, S3 ---
psql "$pg_admin" -qc "CREATE DATABASE $db" >/dev/null
export DATABASE_URL="$pg_base/$db"
export WOOLLY_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/14}"
redis-cli -u "$WOOLLY_REDIS_URL" FLUSHDB >/dev/null
s3_port="$(free_port)"
moto_server -H 127.0.0.1 -p "$s3_port" >"$work/moto.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$s3_port/" 30
curl -sf -X PUT "http://127.0.0.1:$s3_port/woolly-media" -o /dev/null
export WOOLLY_S3_ENDPOINT="http://127.0.0.1:$s3_port" WOOLLY_S3_BUCKET=woolly-media \
  WOOLLY_S3_REGION=us-east-1 WOOLLY_S3_ACCESS_KEY_ID=test WOOLLY_S3_SECRET_ACCESS_KEY=test

# --- the balancer's address is the public one ---
lb_port="$(free_port)"
export WOOLLY_DOMAIN="127.0.0.1:$lb_port" WOOLLY_SCHEME=http WOOLLY_LOG_FORMAT=json \
  WOOLLY_DATA_DIR="$work/cli"
unset WOOLLY_NODE_ID
"$WOOLLY_BIN" migrate >/dev/null

# --- three servers, no node id configured: each leases its own. They share one fence on
# this host (the first leads; killing a process below may kill the leader, and the others
# then read for themselves until one leads in its place) ---
ports=() metrics=()
for i in 1 2 3; do
  port="$(free_port)"; mport="$(free_port)"
  ports+=("$port"); metrics+=("$mport")
  WOOLLY_LISTEN="127.0.0.1:$port" WOOLLY_METRICS_LISTEN="127.0.0.1:$mport" \
    WOOLLY_FENCE_SOCKET="$work/fence.sock" \
    WOOLLY_DATA_DIR="$work/p$i" "$WOOLLY_BIN" serve >"$work/p$i.out" 2>"$work/p$i.log" &
  pids+=($!)
done
for port in "${ports[@]}"; do wait_http "http://127.0.0.1:$port/health" 60; done

# --- nginx: round-robin over the three, private prefix, loopback only ---
mkdir -p "$work/nginx"
chmod 777 "$work/nginx"
cat >"$work/nginx.conf" <<NGINX
daemon on;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  client_max_body_size 20m;
  client_body_buffer_size 1m;
  upstream woolly {
    server 127.0.0.1:${ports[0]} max_fails=1 fail_timeout=30s;
    server 127.0.0.1:${ports[1]} max_fails=1 fail_timeout=30s;
    server 127.0.0.1:${ports[2]} max_fails=1 fail_timeout=30s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$lb_port;
    location / {
      proxy_pass http://woolly;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work/nginx"
wait_http "http://127.0.0.1:$lb_port/health" 10

# --- accounts and tokens (the CLI leases a node id of its own while it runs) ---
"$WOOLLY_BIN" admin create-account alice --email alice@example.com --confirmed >/dev/null
for u in w1 w2 w3 w4; do
  "$WOOLLY_BIN" admin create-account "$u" --email "$u@example.com" --confirmed >/dev/null
done
token() { "$WOOLLY_BIN" admin token "$1" --scopes "read write"; }

export LB="http://127.0.0.1:$lb_port"
export PROCESSES="$(IFS=,; echo "${ports[*]}")"
export METRICS="$(IFS=,; echo "${metrics[*]}")"
export SERVER_PIDS="${pids[1]},${pids[2]},${pids[3]}"
export S3_URL="http://127.0.0.1:$s3_port/woolly-media"
export TOKEN_LIMIT="$(token alice)" TOKEN_PROFILE="$(token alice)"
export WRITER_TOKENS="$(token w1),$(token w2),$(token w3),$(token w4)"
export PSQL_URL="$DATABASE_URL"
python3 "$here/check.py"

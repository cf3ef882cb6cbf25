#!/usr/bin/env bash
# Woolly load suite: start the binary on a fresh database, seed it, run wrk against each
# endpoint on loopback with fixed settings, print one table.
#
#   bench/run.sh [--backend sqlite|postgres] [--accounts N] [--duration 10s] [--bin PATH] [--tiny]
#                [--keep NAME] [--quick]
#
# --quick: only the ceiling and the hot read endpoints (accounts/:id, verify_credentials,
#   relationships), for before/after comparisons of a change.
# --tiny: 300 accounts, 1 s runs, debug binary allowed (CI smoke run so the suite never rots).
# --keep NAME: keep the seeded database between runs (SQLite: bench/out/NAME/, PostgreSQL:
#   database woolly_bench_NAME) and reuse it when it exists, so a 1M-account run seeds once.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=sqlite
ACCOUNTS=100000
DURATION=10s
WARMUP=2s
BIN=""
TINY=0
QUICK=0
KEEP=""
PG_URL_BASE="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) BACKEND="$2"; shift 2 ;;
    --accounts) ACCOUNTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --bin) BIN="$2"; shift 2 ;;
    --tiny) TINY=1; ACCOUNTS=300; DURATION=1s; WARMUP=1s; shift ;;
    --keep) KEEP="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
if [ -z "$BIN" ]; then
  if [ "$TINY" = 1 ] && [ -x target/debug/woolly ]; then BIN=target/debug/woolly
  else cargo build --release -p woolly-server >&2; BIN=target/release/woolly; fi
fi

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA="$WORK/data"
[ -n "$KEEP" ] && DATA="$PWD/bench/out/$KEEP" && mkdir -p "$DATA"
export WOOLLY_DATA_DIR="$DATA" WOOLLY_LISTEN="127.0.0.1:$PORT" WOOLLY_DOMAIN="127.0.0.1:$PORT" \
  WOOLLY_SCHEME=http WOOLLY_RATE_LIMITS=false RUST_LOG=warn
FRESH=1
if [ "$BACKEND" = postgres ]; then
  DBNAME="woolly_bench_$$"
  [ -n "$KEEP" ] && DBNAME="woolly_bench_$KEEP"
  if psql "$PG_URL_BASE/test" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" | grep -q 1; then
    FRESH=0
  else
    psql "$PG_URL_BASE/test" -qc "CREATE DATABASE $DBNAME" >/dev/null
  fi
  export DATABASE_URL="$PG_URL_BASE/$DBNAME"
elif [ -f "$DATA/woolly.sqlite3" ]; then
  FRESH=0
fi
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ -z "$KEEP" ] && [ "$BACKEND" = postgres ]; then
    psql "$PG_URL_BASE/test" -qc "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

SEED_SECS="reused"
if [ "$FRESH" = 1 ]; then
  echo "== seeding $ACCOUNTS accounts ($BACKEND)" >&2
  SEED_START=$(date +%s.%N)
  "$BIN" admin seed --accounts "$ACCOUNTS" --follows-per-account 10 --statuses-per-account 2 >&2
  SEED_SECS=$(python3 -c "import time; print(round(time.time()-$SEED_START,1))")
  "$BIN" admin create-account benchadmin --email benchadmin@example.com --role Owner --confirmed --password benchpassword >/dev/null
fi
TOKEN=$("$BIN" admin token benchadmin --scopes "read write follow profile admin:read admin:write")

# Start time to first served request on the migrated, seeded database.
T0=$(date +%s%N)
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"; do sleep 0.005; done
T1=$(date +%s%N)
STARTUP_MS=$(( (T1 - T0) / 1000000 ))
# The first instance request after start (its counts are warmed in the background at start).
INSTANCE_MS=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/api/v1/instance" | python3 -c 'import sys; print(round(float(sys.stdin.read())*1000))')
sleep 1
IDLE_RSS=$(rss_kb $SERVER_PID)

BASE="http://127.0.0.1:$PORT"
AUTH="Authorization: Bearer $TOKEN"
json() { python3 -c "import sys,json; d=json.load(sys.stdin); print($1)"; }
ADMIN_PAGE=$(curl -sf -H "$AUTH" "$BASE/api/v2/admin/accounts?origin=local&status=active&limit=200" || echo '[]')
LOCAL_ID=$(echo "$ADMIN_PAGE" | json "d[-1]['id'] if d else ''")
IDS40=$(echo "$ADMIN_PAGE" | json "'&'.join('id[]='+a['id'] for a in d[:40])")
IDS2=$(echo "$ADMIN_PAGE" | json "'&'.join('id[]='+a['id'] for a in d[:2])")
# Follow targets: accounts a follow can reach (confirmed, approved, not suspended/disabled).
FOLLOW_IDS=$(echo "$ADMIN_PAGE" | json "','.join([a['id'] for a in d if a['confirmed'] and a['approved'] and not a['suspended'] and not a['disabled'] and a['username'] != 'benchadmin'][:40])")
EMAIL=$(echo "$ADMIN_PAGE" | json "d[-1]['email'] if d else ''")
USERPREFIX=$(echo "$ADMIN_PAGE" | json "d[-1]['username'][:4] if d else 'a'")
DISPLAYPREFIX=$(echo "$ADMIN_PAGE" | json "(d[-1]['account']['display_name'][:3] if d else 'a').replace(' ', '%20')")
POPULAR=$(curl -sf -H "$AUTH" "$BASE/api/v1/accounts/search?q=a&limit=1" | json "d[0]['id'] if d else ''" 2>/dev/null || echo "$LOCAL_ID")
# Up to 10,000 visible local accounts, newest first, for the many-ids read.
python3 - "$BASE" "$TOKEN" "$WORK/many_ids.txt" <<'PY'
import json, sys, urllib.request
base, token, out = sys.argv[1:4]
ids, max_id = [], None
while len(ids) < 10000:
    url = base + "/api/v2/admin/accounts?origin=local&status=active&limit=200" + (f"&max_id={max_id}" if max_id else "")
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    page = json.load(urllib.request.urlopen(req))
    if not page:
        break
    ids += [a["id"] for a in page if a["confirmed"] and a["approved"]]
    max_id = page[-1]["id"]
open(out, "w").write("\n".join(ids[:10000]) + "\n")
PY
MANY_IDS=$(wc -l < "$WORK/many_ids.txt")
[ -n "$POPULAR" ] || POPULAR=$LOCAL_ID

printf "| endpoint | req/s | p50 | p99 | errors | server RSS |\n|---|---:|---:|---:|---:|---:|\n" > "$WORK/table.md"
MAX_RSS=$IDLE_RSS
run() { # name, path, [extra wrk args...]
  local name="$1" path="$2"; shift 2
  local THREADS="${THREADS:-2}" CONNS="${CONNS:-32}"
  wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "$@" "$BASE$path" >/dev/null 2>&1 || true
  local out; out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$BASE$path" 2>&1 || true)
  local rss; rss=$(rss_kb $SERVER_PID); [ "$rss" -gt "$MAX_RSS" ] && MAX_RSS=$rss
  local rps p50 p99 errs non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print int($2)}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errs=$(echo "$out" | awk '/Socket errors/ {gsub(",","");s=$4+$6+$8+$10} END {print s+0}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  printf "| %s | %s | %s | %s | %s | %s MB |\n" "$name" "${rps:-0}" "${p50:--}" "${p99:--}" "$(( errs + ${non2xx:-0} ))" "$(( rss / 1024 ))" >> "$WORK/table.md"
}

run "GET /health (ceiling, no database)" "/health"
run "GET /api/v1/accounts/:id" "/api/v1/accounts/$LOCAL_ID"
BENCH_IDS_FILE="$WORK/many_ids.txt" run "GET /api/v1/accounts/:id ($MANY_IDS ids at random)" "/" -s bench/many_accounts.lua
run "GET verify_credentials" "/api/v1/accounts/verify_credentials" -H "$AUTH"
run "GET relationships (2 ids)" "/api/v1/accounts/relationships?$IDS2" -H "$AUTH"
run "GET relationships (40 ids)" "/api/v1/accounts/relationships?$IDS40" -H "$AUTH"
if [ "$QUICK" = 0 ]; then
FOLLOWERS_PAGE=$(curl -sf -H "$AUTH" "$BASE/api/v1/accounts/$POPULAR/followers" | json "len(d)" || echo "?")
run "GET followers page ($FOLLOWERS_PAGE accounts)" "/api/v1/accounts/$POPULAR/followers" -H "$AUTH"
run "GET account statuses page" "/api/v1/accounts/$LOCAL_ID/statuses" -H "$AUTH"
# Admin list filters: latency of one page of 100 with no queueing (1 connection).
printf "\n| admin list filter (1 connection) | req/s | p50 | p99 | errors | server RSS |\n|---|---:|---:|---:|---:|---:|\n" >> "$WORK/table.md"
FILTERS=("status=active" "username=$USERPREFIX" "email=$EMAIL" "by_domain=mastodon.social"
  "role_ids%5B%5D=1" "display_name=$DISPLAYPREFIX" "status=pending" "status=disabled"
  "status=silenced" "status=suspended" "status=sensitized" "origin=remote" "ip=10.1.0.0/16" "ip=10.0.0.0/8"
  "permissions=staff" "invited_by=1")
for f in "${FILTERS[@]}"; do
  THREADS=1 CONNS=1 run "v2 ?$f" "/api/v2/admin/accounts?$f" -H "$AUTH"
done
printf "\n| endpoint (32 connections) | req/s | p50 | p99 | errors | server RSS |\n|---|---:|---:|---:|---:|---:|\n" >> "$WORK/table.md"
run "GET v2 admin status=active" "/api/v2/admin/accounts?status=active" -H "$AUTH"
run "GET v2 admin username=prefix" "/api/v2/admin/accounts?username=$USERPREFIX" -H "$AUTH"
run "GET v2 admin email=exact" "/api/v2/admin/accounts?email=$EMAIL" -H "$AUTH"
run "GET v2 admin by_domain" "/api/v2/admin/accounts?by_domain=mastodon.social" -H "$AUTH"
run "GET v2 admin role_ids[]" "/api/v2/admin/accounts?role_ids[]=1" -H "$AUTH"
BENCH_IDS="$FOLLOW_IDS" BENCH_TOKEN="$TOKEN" run "write mix (follow/unfollow/update_credentials)" "/" -s bench/follow_mix.lua
fi

# PostgreSQL runs are compared across sessions and machines: measure the machine's own
# PostgreSQL (pgbench on a throwaway scale-10 database, same client settings each time) so a
# drop can be told apart from the machine's.
CALIBRATION=""
if [ "$BACKEND" = postgres ] && [ "$TINY" = 0 ] && command -v pgbench >/dev/null; then
  psql "$PG_URL_BASE/test" -qc "DROP DATABASE IF EXISTS woolly_bench_calibration" >/dev/null 2>&1 || true
  psql "$PG_URL_BASE/test" -qc "CREATE DATABASE woolly_bench_calibration" >/dev/null
  pgbench -q -i -s 10 "$PG_URL_BASE/woolly_bench_calibration" >/dev/null 2>&1
  tps() { pgbench "$@" -c 8 -j 2 -T 10 "$PG_URL_BASE/woolly_bench_calibration" 2>/dev/null | awk '/^tps/ {print int($3)}'; }
  SELECT_TPS=$(tps -S -M prepared)
  UPDATE_TPS=$(tps -N -M prepared)
  psql "$PG_URL_BASE/test" -qc "DROP DATABASE IF EXISTS woolly_bench_calibration" >/dev/null 2>&1 || true
  CALIBRATION="machine calibration: pgbench -S ${SELECT_TPS:-?} tps, pgbench -N ${UPDATE_TPS:-?} tps (scale 10, -c8 -j2 -T10 -M prepared)"
fi

echo
echo "Woolly load suite — backend: $BACKEND, accounts: $ACCOUNTS, wrk -t2 -c32 -d$DURATION unless noted (after $WARMUP warm-up), account cache: ${WOOLLY_ACCOUNT_CACHE_MB:-8} MB"
if [ "$SEED_SECS" = reused ]; then echo "binary: $BIN; seeded database reused (--keep $KEEP)"
else echo "binary: $BIN; seeding took ${SEED_SECS}s"; fi
echo
cat "$WORK/table.md"
echo
echo "startup to first response (GET /health): ${STARTUP_MS} ms; first GET /api/v1/instance after it: ${INSTANCE_MS} ms; idle RSS: $(( IDLE_RSS / 1024 )) MB; max RSS under load: $(( MAX_RSS / 1024 )) MB"
ERRORS=$(grep -c -E ' (ERROR|WARN) ' "$WORK/server.log" || true)
echo "server log: ${ERRORS} warnings/errors"
if [ -n "$CALIBRATION" ]; then echo "$CALIBRATION"; fi
{ grep -E ' (ERROR|WARN) ' "$WORK/server.log" || true; } | sed -E 's/^[^ ]+ +//' | cut -c1-200 | sort | uniq -c | sort -rn | head -5

echo
echo "Query plans of the admin list filters ($BACKEND; woolly admin explain-accounts):"
for f in "${FILTERS[@]}"; do
  echo
  echo "GET /api/v2/admin/accounts?$f"
  "$BIN" admin explain-accounts "$f" \
    | sed 's/^/    /' || echo "    (explain failed)"
done

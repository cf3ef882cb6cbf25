#!/usr/bin/env bash
# What rate limiting costs: the same hot reads with limits off, counted in memory, and counted
# in Redis, in one run, interleaved round by round so the machine's other load hits all of
# them alike. Limits stay on but are multiplied (WOOLLY_RATE_LIMIT_MULTIPLIER) so wrk counts
# every request without being refused.
#
#   bench/ratelimit.sh [--bin PATH]... [--rounds 3] [--duration 10s] [--redis URL]
#
# --bin may be given several times (e.g. a build before and after a change): each binary is
# measured in every round. Default: target/release/woolly (built when missing).
# --redis: where the counters go (default $BENCH_REDIS_URL or redis://127.0.0.1:6379/6); the
#   keys live under woolly:rl: and expire with their window; nothing is flushed.
# Prints, per binary, endpoint and limiter: req/s of each round, median p99, the Redis/memory
# ratio of the median req/s, and Redis commands per request (INFO stats before/after, so
# anything else using the same Redis server in that moment is counted too).
set -euo pipefail
cd "$(dirname "$0")/.."

BINS=()
ROUNDS=3
DURATION=10s
WARMUP=2s
REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/6}"
ACCOUNTS=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BINS+=("$2"); shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --redis) REDIS_URL="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
command -v redis-cli >/dev/null || { echo "redis-cli is not installed" >&2; exit 2; }
redis-cli -u "$REDIS_URL" PING >/dev/null || { echo "Redis does not answer at $REDIS_URL" >&2; exit 2; }
if [ ${#BINS[@]} = 0 ]; then
  [ -x target/release/woolly ] || cargo build --release -p woolly-server >&2
  BINS=(target/release/woolly)
fi

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export WOOLLY_DATA_DIR="$WORK/data" WOOLLY_LISTEN="127.0.0.1:$PORT" WOOLLY_DOMAIN="127.0.0.1:$PORT" \
  WOOLLY_SCHEME=http RUST_LOG=warn WOOLLY_RATE_LIMIT_MULTIPLIER=1000000
unset DATABASE_URL
SERVER_PID=""
stop_server() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }
trap 'stop_server; rm -rf "$WORK"' EXIT

# One small SQLite database for every run (SQLite serves fastest, so the limiter's share of
# each request shows most).
echo "== seeding $ACCOUNTS accounts (SQLite)" >&2
"${BINS[0]}" admin seed --accounts "$ACCOUNTS" --follows-per-account 10 --statuses-per-account 2 >/dev/null
"${BINS[0]}" admin create-account benchuser --email benchuser@example.com --confirmed --password benchpassword >/dev/null
TOKEN=$("${BINS[0]}" admin token benchuser --scopes "read write")
AUTH="Authorization: Bearer $TOKEN"

commands() { redis-cli -u "$REDIS_URL" INFO stats | tr -d '\r' | awk -F: '$1=="total_commands_processed" {print $2}'; }

# run BIN_INDEX LIMITER ROUND: one server, both endpoints.
run() {
  local b="$1" limiter="$2" round="$3" bin="${BINS[$1]}"
  local env=(WOOLLY_RATE_LIMITS=true WOOLLY_REDIS_URL=)
  case "$limiter" in
    off) env=(WOOLLY_RATE_LIMITS=false WOOLLY_REDIS_URL=) ;;
    redis) env=(WOOLLY_RATE_LIMITS=true "WOOLLY_REDIS_URL=$REDIS_URL") ;;
  esac
  env "${env[@]}" "$bin" serve >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  until curl -sf -o /dev/null "$BASE/health"; do sleep 0.01; done
  local id; id=$(curl -sf -H "$AUTH" "$BASE/api/v1/accounts/verify_credentials" | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')
  for endpoint in account verify; do
    local path="/api/v1/accounts/$id" hdr=()
    [ "$endpoint" = verify ] && path="/api/v1/accounts/verify_credentials" && hdr=(-H "$AUTH")
    wrk -t2 -c32 -d"$WARMUP" "${hdr[@]}" "$BASE$path" >/dev/null 2>&1 || true
    local before after out
    before=$(commands)
    out=$(wrk -t2 -c32 -d"$DURATION" --latency "${hdr[@]}" "$BASE$path" 2>&1 || true)
    after=$(commands)
    local rps p99 total non2xx
    rps=$(echo "$out" | awk '/Requests\/sec/ {print int($2)}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    total=$(echo "$out" | awk '/requests in/ {print $1}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    echo "$b $endpoint $limiter $round ${rps:-0} ${p99:--} ${total:-0} $(( after - before )) ${non2xx:-0}" >> "$WORK/results"
    echo "   bin $b, $endpoint, $limiter, round $round: ${rps:-0} req/s, p99 ${p99:--}, non-2xx ${non2xx:-0}" >&2
  done
  stop_server
}

for round in $(seq 1 "$ROUNDS"); do
  for b in "${!BINS[@]}"; do
    for limiter in off memory redis; do run "$b" "$limiter" "$round"; done
  done
done

echo
echo "Rate limiting cost — SQLite, $ACCOUNTS accounts, wrk -t2 -c32 -d$DURATION (after $WARMUP warm-up), $ROUNDS rounds interleaved; Redis at $REDIS_URL"
for b in "${!BINS[@]}"; do echo "bin $b: ${BINS[$b]}"; done
echo
python3 - "$WORK/results" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
names = {"account": "GET /api/v1/accounts/:id (anonymous: 1 throttle)",
         "verify": "GET verify_credentials (token: 2 throttles)"}
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
print("| bin | endpoint | limiter | req/s per round | median req/s | vs memory | p99 (median) | Redis cmds/request | non-2xx |")
print("|---|---|---|---|---:|---:|---:|---:|---:|")
for b in sorted({r[0] for r in rows}):
    for e in ["account", "verify"]:
        med = {}
        for lim in ["off", "memory", "redis"]:
            rs = [r for r in rows if r[0] == b and r[1] == e and r[2] == lim]
            if not rs:
                continue
            rps = [int(r[4]) for r in rs]
            med[lim] = statistics.median(rps)
            p99 = statistics.median([ms(r[5]) for r in rs if r[5] != "-"] or [0])
            reqs = sum(int(r[6]) for r in rs)
            cmds = sum(int(r[7]) for r in rs)
            non2xx = sum(int(r[8]) for r in rs)
            vs = f"{(med[lim] / med['memory'] - 1) * 100:+.1f} %" if "memory" in med and lim != "off" else ""
            cpr = f"{cmds / reqs:.2f}" if lim == "redis" and reqs else ""
            print(f"| {b} | {names[e]} | {lim} | {', '.join(map(str, rps))} | {med[lim]:.0f} | {vs} | {p99:.2f}ms | {cpr} | {non2xx} |")
PY

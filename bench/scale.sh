#!/usr/bin/env bash
# Scale-out load table (issue 14): Woolly on PostgreSQL, one process vs three behind nginx
# round-robin on loopback, each with the in-memory rate limiter and with the Redis one, for
# the hot reads, in one run. Prints one markdown table: req/s of each endpoint and its share
# of the same round's GET /health ceiling (through the same path: the process, or nginx),
# p99, then the resident memory of each process before and after the load.
#
#   bench/scale.sh [--accounts N] [--duration 10s] [--rounds N] [--bin PATH]
#
# Three setups per limiter: one process (default threads: one per core), three processes
# behind nginx with default threads, and three with one worker thread each
# (WOOLLY_WORKER_THREADS=1: on two cores, processes × threads ≈ cores). The processes share
# one fence (WOOLLY_FENCE_SOCKET), as processes of one host should.
#
# --rounds N repeats the whole matrix N times, interleaved (each round runs every setup), and
#   prints ranges (min–max) over the rounds: the machine may be shared.
# Needs PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432; a throwaway
# database is created and dropped), Redis (BENCH_REDIS_URL, default
# redis://127.0.0.1:6379/5; keys expire by themselves, nothing is flushed), wrk and nginx
# (Debian's, run with a private config; installed when missing, as e2e/scale/run.sh does).
# Builds the release binary unless --bin is given. Rate limits stay on, multiplied
# (WOOLLY_RATE_LIMIT_MULTIPLIER) so that no request of the run is refused.
set -euo pipefail
cd "$(dirname "$0")/.."

ACCOUNTS=10000
DURATION=10s
WARMUP=2s
ROUNDS=1
BIN=""
REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/5}"
while [ $# -gt 0 ]; do
  case "$1" in
    --accounts) ACCOUNTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --bin) BIN="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
command -v nginx >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
if ! command -v nginx >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) || {
    echo "error: nginx is missing and could not be installed" >&2; exit 2; }
fi
redis-cli -u "$REDIS_URL" PING >/dev/null || { echo "error: Redis does not answer at $REDIS_URL" >&2; exit 2; }
if [ -z "$BIN" ]; then
  cargo build --release -p woolly-server >&2
  BIN="${CARGO_TARGET_DIR:-target}/release/woolly"
fi
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

source bench/lib.sh
bench_setup scale
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

echo "== seeding $ACCOUNTS accounts (postgres)" >&2
"$BIN" migrate >/dev/null
"$BIN" admin seed --accounts "$ACCOUNTS" --follows-per-account 10 --statuses-per-account 2 >&2
"$BIN" admin create-account benchadmin --email benchadmin@example.com --role Owner --confirmed --password benchpassword >/dev/null
TOKEN=$("$BIN" admin token benchadmin --scopes "read write follow profile admin:read admin:write")

PORTS=()
for _ in 1 2 3; do PORTS+=("$(free_port)"); done
start_servers() { # limiter (memory|redis), worker threads per process (0: one per core)
  local port redis=()
  [ "$1" = redis ] && redis=(WOOLLY_REDIS_URL="$REDIS_URL")
  for port in "${PORTS[@]}"; do
    # The processes of one host share one fence, as they should.
    start_server "${redis[@]}" WOOLLY_WORKER_THREADS="$2" WOOLLY_LISTEN="127.0.0.1:$port" \
      WOOLLY_FENCE_SOCKET="$WORK/fence.sock"
  done
  for port in "${PORTS[@]}"; do wait_http "http://127.0.0.1:$port/health"; done
}
write_nginx "${PORTS[@]}"

# The accounts the requests name (through process 1).
start_servers memory 0
P1="http://127.0.0.1:${PORTS[0]}"
json() { python3 -c "import sys,json; d=json.load(sys.stdin); print($1)"; }
PAGE=$(curl -sf -H "Authorization: Bearer $TOKEN" "$P1/api/v2/admin/accounts?origin=local&status=active&limit=40")
LOCAL_ID=$(echo "$PAGE" | json "d[-1]['id']")
IDS2=$(echo "$PAGE" | json "'&'.join('id[]='+a['id'] for a in d[:2])")
stop_servers

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
: >"$WORK/rss.tsv"
measure() { # setup limiter round base
  local setup="$1" limiter="$2" round="$3" base="$4"
  local name path auth out rps p99 errs non2xx
  while IFS='|' read -r name path auth; do
    local args=()
    [ "$auth" = 1 ] && args=(-H "Authorization: Bearer $TOKEN")
    wrk -t2 -c32 -d"$WARMUP" "${args[@]}" "$base$path" </dev/null >/dev/null 2>&1 || true
    out=$(wrk -t2 -c32 -d"$DURATION" --latency "${args[@]}" "$base$path" </dev/null 2>&1 || true)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print int($2)}')
    p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}')
    errs=$(echo "$out" | awk '/Socket errors/ {gsub(",","");s=$4+$6+$8+$10} END {print s+0}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$setup" "$limiter" "$name" "$round" "${rps:-0}" "${p99:-0}" "$(( errs + ${non2xx:-0} ))" >>"$RESULTS"
  done <<EOF
health|/health|0
accounts|/api/v1/accounts/$LOCAL_ID|0
verify|/api/v1/accounts/verify_credentials|1
relationships|/api/v1/accounts/relationships?$IDS2|1
EOF
}

for round in $(seq 1 "$ROUNDS"); do
  for limiter in memory redis; do
    echo "== round $round, $limiter limiter" >&2
    start_servers "$limiter" 0
    sleep 1
    for pid in "${PIDS[@]}"; do printf "%s\t%s\t%s\tidle\t%s\n" "$round" "$limiter" "$pid" "$(rss_mb "$pid")" >>"$WORK/rss.tsv"; done
    measure "1 process" "$limiter" "$round" "$P1"
    measure "3 processes + nginx" "$limiter" "$round" "http://127.0.0.1:$LB_PORT"
    for pid in "${PIDS[@]}"; do printf "%s\t%s\t%s\tloaded\t%s\n" "$round" "$limiter" "$pid" "$(rss_mb "$pid")" >>"$WORK/rss.tsv"; done
    stop_servers
    # Three processes on two cores: one worker thread each (processes × threads ≈ cores).
    start_servers "$limiter" 1
    sleep 1
    measure "3 processes (1 thread each) + nginx" "$limiter" "$round" "http://127.0.0.1:$LB_PORT"
    stop_servers
  done
done

python3 - "$RESULTS" "$WORK/rss.tsv" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = collections.defaultdict(dict)  # (setup, limiter) -> {(endpoint, round): (rps, p99, errors)}
for setup, limiter, name, rnd, rps, p99, errs in rows:
    data[(setup, limiter)][(name, rnd)] = (int(rps), float(p99), int(errs))
def rng(vals, fmt):
    lo, hi = min(vals), max(vals)
    return fmt(lo) if fmt(lo) == fmt(hi) else f"{fmt(lo)}–{fmt(hi)}"
print("| setup | rate limiter | GET /health (ceiling) | accounts/:id | verify_credentials | relationships (2 ids) | errors |")
print("|---|---|---:|---:|---:|---:|---:|")
for (setup, limiter), d in data.items():
    rounds = sorted({r for (_, r) in d})
    health = [d[("health", r)][0] for r in rounds]
    cells = [rng(health, lambda v: f"{v:,}")]
    errors = sum(v[2] for v in d.values())
    for name in ("accounts", "verify", "relationships"):
        rps = [d[(name, r)][0] for r in rounds]
        share = [d[(name, r)][0] / max(d[("health", r)][0], 1) * 100 for r in rounds]
        p99 = max(d[(name, r)][1] for r in rounds)
        cells.append(f"{rng(rps, lambda v: f'{v:,}')} ({rng(share, lambda v: f'{v:.0f}')} %), p99 {p99:.2f} ms")
    print(f"| {setup} | {limiter} | " + " | ".join(cells) + f" | {errors} |")
rss = collections.defaultdict(list)
for l in open(sys.argv[2]):
    rnd, limiter, pid, when, mb = l.split()
    rss[(limiter, when)].append(int(mb))
print()
print("Resident memory per process (MB, all rounds): " + "; ".join(
    f"{limiter} limiter {when}: {min(v)}–{max(v)}" for (limiter, when), v in rss.items()))
PY
echo
echo "wrk -t2 -c32 -d$DURATION --latency after $WARMUP warm-up; $ACCOUNTS seeded accounts; $ROUNDS round(s); nginx 1 worker, keepalive 64; binary $BIN"
echo "errors: socket errors + non-2xx responses over all rounds (a 429 would show here)"
LOGERR=$(cat "$WORK"/p*.log | grep -c -E ' (ERROR|WARN) ' || true)
echo "server logs: $LOGERR warnings/errors"

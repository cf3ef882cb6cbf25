#!/usr/bin/env bash
# CPU per request, by component (Woolly, nginx, PostgreSQL, wrk), for the hot reads on
# PostgreSQL: where a request's time goes, and A/B of binaries in one run (docs/capacity.md).
#
#   bench/cpu.sh [--bin PATH]... [--procs 1|3] [--threads N] [--fence-socket]
#                [--rounds N] [--accounts N] [--duration 12s]
#
# Each --bin (default: the release build) is measured in turn, every round: GET /health,
# then GET /api/v1/accounts/:id, each under `wrk -t2 -c32` after a 2 s warm-up. CPU is read
# from /proc/<pid>/stat over the middle half of the run and divided by the requests served
# then. --procs 3 puts three processes behind nginx (round-robin, as bench/scale.sh);
# --fence-socket gives them one WOOLLY_FENCE_SOCKET. One table row per binary, endpoint and
# round. Needs PostgreSQL (BENCH_PG_URL; a throwaway database), wrk and nginx.
set -euo pipefail
cd "$(dirname "$0")/.."

BINS=() PROCS=1 THREADS=0 SOCKET=0 ROUNDS=1 ACCOUNTS=10000 DURATION=12
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BINS+=("$2"); shift 2 ;;
    --procs) PROCS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --fence-socket) SOCKET=1; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --accounts) ACCOUNTS="$2"; shift 2 ;;
    --duration) DURATION="${2%s}"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
command -v nginx >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
if [ "${#BINS[@]}" -eq 0 ]; then
  cargo build --release -p woolly-server >&2
  BINS=("${CARGO_TARGET_DIR:-target}/release/woolly")
fi

source bench/lib.sh
bench_setup cpu

"${BINS[0]}" migrate >/dev/null
"${BINS[0]}" admin seed --accounts "$ACCOUNTS" --follows-per-account 10 --statuses-per-account 2 >/dev/null 2>&1
PORTS=() MPORTS=()
for _ in $(seq 1 "$PROCS"); do PORTS+=("$(free_port)"); MPORTS+=("$(free_port)"); done
start_servers() { # binary
  local i socket=""
  [ "$SOCKET" = 1 ] && socket="$WORK/fence.sock"
  BIN="$1"
  for i in "${!PORTS[@]}"; do
    start_server WOOLLY_METRICS_LISTEN="127.0.0.1:${MPORTS[$i]}" WOOLLY_WORKER_THREADS="$THREADS" \
      WOOLLY_LISTEN="127.0.0.1:${PORTS[$i]}" WOOLLY_FENCE_SOCKET="$socket"
  done
  for i in "${!PORTS[@]}"; do wait_http "http://127.0.0.1:${PORTS[$i]}/health"; done
}
BASE="http://127.0.0.1:${PORTS[0]}"
if [ "$PROCS" -gt 1 ]; then
  write_nginx "${PORTS[@]}"
  BASE="http://127.0.0.1:$LB_PORT"
fi
# The local account the requests name (any seeded one will do: every one is cached alike).
ACCOUNT_ID=$(psql "$DATABASE_URL" -tAc "SELECT id FROM accounts WHERE domain IS NULL ORDER BY id DESC LIMIT 1")

ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }
pg_pids() { pgrep -d' ' -x postgres || pgrep -d' ' -f 'postgres:' || true; }
nginx_pids() { pgrep -d' ' -x nginx || true; }
HZ=$(getconf CLK_TCK)
# Fence rounds and PostgreSQL snapshot reads of every process so far (their /metrics).
fence() {
  local r=0 s=0 port text
  for port in "${MPORTS[@]}"; do
    text=$(curl -sf "http://127.0.0.1:$port/metrics" || true)
    r=$((r + $(echo "$text" | awk '$1=="woolly_fence_rounds_total" {print int($2)}' | head -1) + 0))
    s=$((s + $(echo "$text" | awk '$1=="woolly_fence_snapshot_reads_total" {print int($2)}' | head -1) + 0))
  done
  echo "$r $s"
}
echo "| binary | round | endpoint | req/s | share of /health | p99 | Woolly µs/req | nginx µs/req | PostgreSQL µs/req | wrk µs/req | fence rounds/req | snapshot reads/req |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for round in $(seq 1 "$ROUNDS"); do
  for bin in "${BINS[@]}"; do
    start_servers "$bin"
    health=0
    for ep in health accounts; do
      url="$BASE/health"; [ "$ep" = accounts ] && url="$BASE/api/v1/accounts/$ACCOUNT_ID"
      wrk -t2 -c32 -d2s "$url" >/dev/null 2>&1 || true
      wrk -t2 -c32 -d"${DURATION}s" --latency "$url" >"$WORK/wrk.out" 2>&1 &
      wrk_pid=$!
      sleep $((DURATION / 4))
      w0=$(ticks "${PIDS[@]}"); n0=$(ticks $(nginx_pids)); p0=$(ticks $(pg_pids)); k0=$(ticks "$wrk_pid"); f0=$(fence); t0=$(date +%s.%N)
      sleep $((DURATION / 2))
      w1=$(ticks "${PIDS[@]}"); n1=$(ticks $(nginx_pids)); p1=$(ticks $(pg_pids)); k1=$(ticks "$wrk_pid"); f1=$(fence); t1=$(date +%s.%N)
      wait "$wrk_pid" || true
      rps=$(awk '/Requests\/sec/ {print int($2)}' "$WORK/wrk.out")
      p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.out")
      [ "$ep" = health ] && health=$rps
      python3 - "$(basename "$bin")" "$round" "$ep" "${rps:-0}" "$health" "$p99" "$HZ" \
        "$f0" "$f1" "$t0" "$t1" "$w0" "$w1" "$n0" "$n1" "$p0" "$p1" "$k0" "$k1" <<'PY'
import sys
name, rnd, ep, rps, health, p99, hz, f0, f1, t0, t1, *ticks = sys.argv[1:]
rps, health, hz = int(rps), int(health), float(hz)
served = rps * (float(t1) - float(t0))
per = [(int(b) - int(a)) / hz / max(served, 1) * 1e6 for a, b in zip(ticks[::2], ticks[1::2])]
share = f"{rps / max(health, 1) * 100:.1f} %"
(r0, s0), (r1, s1) = (map(int, f0.split()), map(int, f1.split()))
fence = f"{(r1 - r0) / max(served, 1):.3f} | {(s1 - s0) / max(served, 1):.3f}"
# A process gone before the second read (a short run) reads as nothing, not negative.
print(f"| {name} | {rnd} | {ep} | {rps:,} | {share} | {p99} | " + " | ".join(f"{v:.1f}" if v >= 0 else "—" for v in per) + f" | {fence} |")
PY
    done
    stop_servers
  done
done
echo
echo "procs=$PROCS threads=$THREADS fence socket=$SOCKET accounts=$ACCOUNTS; wrk -t2 -c32 -d${DURATION}s; CPU over the middle half of each run"

#!/usr/bin/env bash
# Woolly federation benchmark (issue 13): inbox throughput and fan-out, on loopback.
#
#   bench/federation.sh [--backend sqlite|postgres] [--actors N] [--hosts H] [--repeats R]
#                       [--concurrency C] [--bin PATH] [--tiny]
#
# A loopback "fediverse" (bench/fedpeer.py sink: H remote servers on 127.0.0.2 … 127.0.0.(H+1),
# N remote actors spread over them, their documents, keys and inboxes) and a signing load
# generator (bench/fedpeer.py load) against `woolly serve` (release build; it runs with the
# test-only WOOLLY_ALLOW_PRIVATE_FETCHES=true so it may fetch loopback actors).
#
# 1. cold inbox: N signed Follows of the local account `bench`, one from each remote actor,
#    none of them known yet: each request makes the server fetch the actor (and its key and
#    collections) first. Rate of 202s; then the time until the worker has applied them all
#    and the sink has every Accept.
# 2. warm inbox (R times): N signed Follows of a fresh local account from the same, now
#    known, actors (keys cached in the database). Rate of 202s, then the same drain time.
# 3. fan-out (R times): one PATCH update_credentials of `bench`, now followed by the N remote
#    actors on H distinct shared inboxes: time until the sink has every Update, the
#    deliveries made (must be H, one per shared inbox) and how many were correctly signed
#    (the sink verifies each against the key it fetched from Woolly's actor document).
#
# --tiny: 50 actors on 5 hosts, one repeat, debug binary allowed (CI smoke run).
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=sqlite
ACTORS=10000
HOSTS=100
REPEATS=3
CONC=32
BIN=""
TINY=0
PG_URL_BASE="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) BACKEND="$2"; shift 2 ;;
    --actors) ACTORS="$2"; shift 2 ;;
    --hosts) HOSTS="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --concurrency) CONC="$2"; shift 2 ;;
    --bin) BIN="$2"; shift 2 ;;
    --tiny) TINY=1; ACTORS=50; HOSTS=5; REPEATS=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
python3 -c 'import cryptography' 2>/dev/null \
  || pip install --quiet --disable-pip-version-check cryptography >&2 \
  || { echo "python3 with cryptography is needed (pip install cryptography)" >&2; exit 2; }
TARGET="${CARGO_TARGET_DIR:-target}"
if [ -z "$BIN" ]; then
  if [ "$TINY" = 1 ] && [ -x "$TARGET/debug/woolly" ]; then BIN="$TARGET/debug/woolly"
  else cargo build --release -p woolly-server >&2; BIN="$TARGET/release/woolly"; fi
fi

WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
SINK_PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
export WOOLLY_DATA_DIR="$WORK/data" WOOLLY_LISTEN="127.0.0.1:$PORT" WOOLLY_DOMAIN="127.0.0.1:$PORT" \
  WOOLLY_SCHEME=http WOOLLY_RATE_LIMITS=false WOOLLY_ALLOW_PRIVATE_FETCHES=true RUST_LOG=warn
if [ "$BACKEND" = postgres ]; then
  DBNAME="woolly_fedbench_$$"
  psql "$PG_URL_BASE/test" -qc "CREATE DATABASE $DBNAME" >/dev/null
  export DATABASE_URL="$PG_URL_BASE/$DBNAME"
fi
SERVER_PID="" SINK_PID="" SAMPLER_PID=""
cleanup() {
  for p in $SAMPLER_PID $SERVER_PID $SINK_PID; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  if [ "$BACKEND" = postgres ]; then
    psql "$PG_URL_BASE/test" -qc "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PEER="python3 bench/fedpeer.py"
$PEER sink --port "$SINK_PORT" --hosts "$HOSTS" --keys "$WORK/keys.pem" --keycount $(( TINY ? 2 : 16 )) 2>"$WORK/sink.log" &
SINK_PID=$!

"$BIN" admin create-account bench --email bench@example.com --confirmed --password benchpassword >/dev/null 2>>"$WORK/admin.log"
for r in $(seq 1 "$REPEATS"); do
  "$BIN" admin create-account "warm$r" --email "warm$r@example.com" --confirmed --password benchpassword >/dev/null 2>>"$WORK/admin.log"
done
TOKEN=$("$BIN" admin token bench --scopes "read write")

"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
until curl -sf -o /dev/null "$BASE/health"; do sleep 0.01; done
until curl -sf -o /dev/null "http://127.0.0.1:$SINK_PORT/_ready"; do sleep 0.05; done

# The server's RSS and CPU time (clock ticks), sampled every 0.2 s, tagged with the phase.
echo idle > "$WORK/phase"
(while kill -0 "$SERVER_PID" 2>/dev/null; do
  echo "$(cat "$WORK/phase") $(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)" \
    "$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0)"
  sleep 0.2
done) > "$WORK/rss.log" 2>/dev/null &
SAMPLER_PID=$!
sleep 0.5
TICKS=$(getconf CLK_TCK)
# CPU seconds the server used during a phase (first to last sample of it).
cpu_s() { awk -v p="$1" -v hz="$TICKS" '$1 == p {if (!n++) a = $3; b = $3} END {printf "%.1f", (b - a) / hz}' "$WORK/rss.log"; }
max_rss() { awk -v p="$1" '$1 == p && $2 > m {m = $2} END {printf "%d", m / 1024}' "$WORK/rss.log"; }
get() { python3 -c "import sys,json; d=json.loads(sys.argv[1]); print($2)" "$1"; }

LOAD="$PEER load --base $BASE --sink-port $SINK_PORT --hosts $HOSTS --keys $WORK/keys.pem --actors $ACTORS --concurrency $CONC"
ROWS=""
FAILED=""
FETCHES=""
row() { ROWS="$ROWS$1"$'\n'; }

echo "== generator ceiling (GET /health)" >&2
echo ceiling > "$WORK/phase"
CEIL=$($PEER ceiling --base "$BASE" --count $(( TINY ? 1000 : 20000 )) --concurrency "$CONC")

inbox_phase() { # name, object, tag
  local name="$1" object="$2" tag="$3" out drain
  echo "$name" > "$WORK/phase"
  curl -sf -X POST -o /dev/null "http://127.0.0.1:$SINK_PORT/_reset"
  out=$($LOAD --object "$object" --tag "$tag")
  echo "${name}-drain" > "$WORK/phase"
  drain=$($PEER wait --sink-port "$SINK_PORT" --kind Accept --count "$ACTORS" --since "$(get "$out" "d['started']")" --timeout 900)
  row "| $name | $ACTORS | $(get "$out" "d['statuses']") | $(get "$out" "d['rate']") | $(get "$out" "d['p50_ms']") / $(get "$out" "d['p99_ms']") ms | $(get "$drain" "d['received']") in $(get "$drain" "d['seconds']") s ($(get "$drain" "round(d['received']/d['seconds']) if d['seconds'] else '-'")/s), $(get "$drain" "d['sig_ok']") signed ok | $(cpu_s "$name") / $(cpu_s "${name}-drain") s | $(max_rss "$name") / $(max_rss "${name}-drain") MB |"
  echo "$name: $out; drain: $drain" >&2
  FETCHES="$FETCHES $name: $(get "$drain" "d['fetches']") actor + $(get "$drain" "d['collection_fetches']") collection fetches;"
  [ "$(get "$out" "d['statuses'] == {'202': $ACTORS}")" = True ] || FAILED="$FAILED $name:statuses"
  [ "$(get "$drain" "d['received'] == $ACTORS and d['sig_ok'] == $ACTORS")" = True ] || FAILED="$FAILED $name:accepts"
}

echo "== cold inbox: $ACTORS Follows of bench from unknown actors on $HOSTS hosts" >&2
inbox_phase cold bench cold
for r in $(seq 1 "$REPEATS"); do
  echo "== warm inbox $r: $ACTORS Follows of warm$r from known actors" >&2
  inbox_phase "warm$r" "warm$r" "warm$r"
done

FAN=""
for r in $(seq 1 "$REPEATS"); do
  echo "== fan-out $r: update_credentials of bench to $ACTORS followers on $HOSTS shared inboxes" >&2
  echo "fanout$r" > "$WORK/phase"
  out=$($PEER fanout --base "$BASE" --token "$TOKEN" --sink-port "$SINK_PORT" --expect "$HOSTS" --timeout 300)
  echo "fanout $r: $out" >&2
  [ "$(get "$out" "d['deliveries'] == d['distinct_inboxes'] == d['signed_ok'] == $HOSTS")" = True ] || FAILED="$FAILED fanout$r"
  FAN="$FAN| $r | $(get "$out" "d['seconds']") s | $(get "$out" "d['first_s']") s | $(get "$out" "d['patch_ms']") ms | $(get "$out" "d['deliveries']") | $(get "$out" "d['distinct_inboxes']") (max $(get "$out" "d['max_per_inbox']") each) | $(get "$out" "d['signed_ok']") ok, $(get "$out" "d['signed_bad']") bad | $(cpu_s "fanout$r") s | $(max_rss "fanout$r") MB |"$'\n'
done
echo done > "$WORK/phase"
sleep 0.3

echo
echo "Woolly federation benchmark — backend: $BACKEND, binary: $BIN, $ACTORS remote actors on $HOSTS loopback hosts, generator: $CONC keep-alive connections (python asyncio, requests signed before the clock starts)"
echo
echo "| inbox phase | Follows | statuses | 202/s | p50 / p99 | applied + Accept delivered (since the first POST) | server CPU (POSTs / drain) | max RSS (POSTs / drain) |"
echo "|---|---:|---|---:|---:|---|---:|---:|"
printf "%s" "$ROWS"
echo
echo "| fan-out | last delivery after PATCH | first delivery | PATCH answered | deliveries | distinct inboxes | signatures | server CPU | max RSS |"
echo "|---|---:|---:|---:|---:|---|---|---:|---:|"
printf "%s" "$FAN"
echo
echo "generator ceiling: GET /health $(get "$CEIL" "d['rate']")/s (p50 $(get "$CEIL" "d['p50_ms']") ms); idle RSS $(max_rss idle) MB"
echo "documents the server fetched from the sink:$FETCHES"
ERRORS=$(grep -c -E ' (ERROR|WARN) ' "$WORK/server.log" || true)
echo "server log: ${ERRORS} warnings/errors"
{ grep -E ' (ERROR|WARN) ' "$WORK/server.log" || true; } | sed -E 's/^[^ ]+ +//' | cut -c1-200 | sort | uniq -c | sort -rn | head -5
if [ -n "$FAILED" ]; then
  echo "FAILED:$FAILED (every POST must be answered 202, every Follow accepted, every fan-out one signed delivery per shared inbox)" >&2
  exit 1
fi

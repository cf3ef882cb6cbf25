#!/usr/bin/env bash
# The moderation console's accounts list at scale: signs in through the web form and times
# `GET /admin/accounts?<filter>` (100 rows a page, the whole HTML page) for each v2 filter,
# one request at a time over loopback: time to first byte, median and p95 of 20 requests
# after 3 warm-ups.
#
#   bench/console.sh --data bench/out/NAME [--bin target/release/woolly] [--accounts N]
#
# A data dir without a database is seeded first (`woolly admin seed`, accounts only: follows
# and statuses do not touch the list's queries).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=target/release/woolly
DATA=""
ACCOUNTS=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BIN="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --accounts) ACCOUNTS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$DATA" ] || { echo "--data DIR is required" >&2; exit 2; }
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export WOOLLY_DATA_DIR="$DATA" WOOLLY_LISTEN="127.0.0.1:$PORT" WOOLLY_DOMAIN="127.0.0.1:$PORT" \
  WOOLLY_SCHEME=http WOOLLY_RATE_LIMITS=false RUST_LOG=warn
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ ! -f "$DATA/woolly.sqlite3" ]; then
  echo "== seeding $ACCOUNTS accounts" >&2
  "$BIN" admin seed --accounts "$ACCOUNTS" --follows-per-account 0 --statuses-per-account 0 >&2
fi
"$BIN" admin create-account consolebench --email consolebench@example.com --role Owner \
  --confirmed --password consolebench-password >/dev/null 2>&1 || true

"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
until curl -sf -o /dev/null "$BASE/health"; do sleep 0.05; done

# The web sign-in: the form's CSRF token and cookie, then the session cookie.
JAR="$WORK/cookies"
FORM=$(curl -s -c "$JAR" "$BASE/admin/accounts")
CSRF=$(printf '%s' "$FORM" | sed -n 's/.*name="authenticity_token" value="\([^"]*\)".*/\1/p' | head -n1)
curl -s -o /dev/null -b "$JAR" -c "$JAR" --data-urlencode "authenticity_token=$CSRF" \
  --data-urlencode "return_to=/admin/accounts" --data-urlencode "email=consolebench@example.com" \
  --data-urlencode "password=consolebench-password" "$BASE/oauth/sign_in"
grep -q _woolly_session "$JAR" || { echo "sign-in failed" >&2; exit 1; }

# A username prefix, a display name prefix and an exact e-mail from the data set's first page.
PAGE=$(curl -s -b "$JAR" "$BASE/admin/accounts?origin=local")
USERPREFIX=$(printf '%s' "$PAGE" | grep -o 'href="/admin/accounts/[0-9]*">@[a-z_]*' | sed 's/.*@//' | grep -v consolebench | head -n1 | cut -c1-4)
EMAIL=$(printf '%s' "$PAGE" | grep -o '[a-z0-9_.]*@mail\.test' | head -n1)
INVITER=$(printf '%s' "$PAGE" | grep -o 'href="/admin/accounts/[0-9]*"' | head -n1 | grep -o '[0-9]*')

time_ms() {
  local path="$1" out=()
  for _ in 1 2 3; do curl -s -o /dev/null -b "$JAR" "$BASE$path"; done
  for _ in $(seq 1 20); do
    out+=("$(curl -s -o /dev/null -b "$JAR" -w '%{http_code} %{time_starttransfer}\n' "$BASE$path")")
  done
  printf '%s\n' "${out[@]}" | python3 -c '
import sys
rows = [l.split() for l in sys.stdin if l.strip()]
codes = "/".join(sorted({r[0] for r in rows}))
ms = sorted(float(r[1]) * 1000 for r in rows)
print(f"{ms[len(ms)//2]:.1f} | {ms[int(len(ms)*0.95)-1]:.1f} | {ms[-1]:.1f} | {codes}")'
}

echo "| GET /admin/accounts?… (1M accounts, HTML page of 100) | median ms | p95 ms | max ms | status |"
echo "|---|---:|---:|---:|---|"
for f in "" "origin=local" "origin=remote" "status=active" "status=pending" "status=disabled" \
  "status=silenced" "status=suspended" "status=sensitized" "role_ids%5B%5D=1" "permissions=staff" \
  "username=$USERPREFIX" "display_name=${USERPREFIX^}" "email=$EMAIL" "ip=10.1.0.0/16" \
  "ip=10.0.0.0/8" "by_domain=mastodon.social" "invited_by=$INVITER"; do
  echo "| ${f:-(no filter)} | $(time_ms "/admin/accounts?$f") |"
done
grep -ciE "warn|error" "$WORK/server.log" | sed 's/^/server log warnings\/errors: /'

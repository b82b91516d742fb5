#!/usr/bin/env bash
# The full test run (CI and `make test`): lint, every test marker, real servers on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False

# Under CI (CI=true) a server that does not start fails the run: its tests would only skip, and
# a green run would hide that they never ran. On a developer's machine it is a warning.
IN_CI=0
case "${CI:-}" in true|TRUE|True|1) IN_CI=1 ;; esac
server_down() {  # server_down WHAT LOG: fail under CI, warn otherwise
  if [ "$IN_CI" -eq 1 ]; then
    echo "error: $1 did not start under CI=true; its tests would skip (log: $2)" >&2
    [ -f "$2" ] && tail -n 20 "$2" >&2
    exit 1
  fi
  echo "warning: $1 did not start ($2); its test cases will skip" >&2
}

# Debian's Chromium for the real-browser test (Playwright drives it; no browser download).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# A real PostgreSQL for the SQL stores' tests (the "PostgreSQL by URL" path), on loopback only,
# in a throwaway data directory. If it cannot start, those cases skip and SQLite still runs
# (under CI the run fails instead, see server_down).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null || true
fi
PG_DIR=""
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -n "$PG_BIN" ]; then
  PG_DIR=$(mktemp -d)
  PG_PORT=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  AS=""  # the server refuses to run as root: run it as the postgres user then
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; AS="runuser -u postgres --"; fi
  if $AS "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres >"$PG_DIR/initdb.log" 2>&1 \
     && $AS "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
          -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off" start >/dev/null 2>&1; then
    export SHOPTALK_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
  fi
fi
stop_pg() { [ -n "$PG_DIR" ] && [ -n "${SHOPTALK_TEST_DATABASE_URL:-}" ] && $AS "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PG_DIR"; }
if [ -z "${SHOPTALK_TEST_DATABASE_URL:-}" ]; then
  if [ -z "$PG_BIN" ]; then
    server_down "PostgreSQL (not installed: no /usr/lib/postgresql/*/bin)" "/dev/null"
  else  # keep the logs for the message, then clean up (a half-started server is stopped first)
    SAVED=$(mktemp); cat "$PG_DIR"/*.log >"$SAVED" 2>/dev/null || true
    $AS "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"; PG_DIR=""
    server_down "PostgreSQL" "$SAVED"
  fi
fi

# A real Chroma server for the integration test (the scale-out path), on loopback only.
CHROMA_DIR=$(mktemp -d)
PORT=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$BIN/chroma run --path "$CHROMA_DIR" --host 127.0.0.1 --port "$PORT" >"$CHROMA_DIR/server.log" 2>&1 &
CHROMA_PID=$!
trap 'kill $CHROMA_PID 2>/dev/null || true; rm -rf "$CHROMA_DIR"; stop_pg || true' EXIT
CHROMA_UP=0
for _ in $(seq 1 100); do
  if curl -fs "http://127.0.0.1:$PORT/api/v2/heartbeat" >/dev/null 2>&1; then CHROMA_UP=1; break; fi
  kill -0 "$CHROMA_PID" 2>/dev/null || break  # exited: no point waiting
  sleep 0.2
done
if [ "$CHROMA_UP" -eq 1 ]; then
  export SHOPTALK_TEST_CHROMA_URL="http://127.0.0.1:$PORT"
else
  SAVED=$(mktemp); cp "$CHROMA_DIR/server.log" "$SAVED" 2>/dev/null || true
  server_down "the Chroma server" "$SAVED"
fi

$BIN/ruff check bot retrieval recsys tests scripts benchmarks  # as `make lint`
$BIN/ruff format --check bot retrieval recsys tests scripts benchmarks
$BIN/mypy
# pyproject's addopts already has -q; a second -q (-qq) would drop the closing "N passed" line.
$BIN/python -m pytest -rs -m "" --durations=15 "$@"  # -rs: say what was skipped and why

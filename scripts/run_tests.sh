#!/usr/bin/env bash
# The full test run (CI and `make test`): lint, every test marker, real servers on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False

# Debian's Chromium for the real-browser test (Playwright drives it; no browser download).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# A real Chroma server for the integration test (the scale-out path), on loopback only.
CHROMA_DIR=$(mktemp -d)
PORT=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$BIN/chroma run --path "$CHROMA_DIR" --host 127.0.0.1 --port "$PORT" >"$CHROMA_DIR/server.log" 2>&1 &
CHROMA_PID=$!
trap 'kill $CHROMA_PID 2>/dev/null || true; rm -rf "$CHROMA_DIR"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/api/v2/heartbeat" >/dev/null 2>&1 && break
  sleep 0.2
done
export SHOPTALK_TEST_CHROMA_URL="http://127.0.0.1:$PORT"

$BIN/ruff check bot retrieval recsys tests scripts
$BIN/python -m pytest -q -rs -m "" --durations=15 "$@"  # -rs: say what was skipped and why

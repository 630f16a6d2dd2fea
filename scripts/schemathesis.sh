#!/usr/bin/env bash
# Schemathesis against the running server's own OpenAPI document (/api/openapi.json): every
# operation, every check, a fixed seed and a bounded number of examples per operation, so a
# run is repeatable. The diary is on (a fresh SQLite diary in a temporary directory), so the
# episodes API is exercised too. Fails on any failure.
# Usage: scripts/schemathesis.sh [examples per operation]   (default 2000: about 6,400 cases; CI uses the default)
# The one rule the document cannot state (no dates in the future) is met by
# scripts/schemathesis/hooks.py. Needs python3 with venv; installs the pinned schemathesis into a venv under the temporary
# directory (or uses $SCHEMATHESIS if set).
set -euo pipefail
examples=${1:-2000}
seed=20261126
cd "$(dirname "$0")/.."
work=$(mktemp -d)
# A port nothing else is using (two runs on one machine must not collide).
port=${SCHEMATHESIS_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
cargo build -q --bin legcramps
bin=./target/debug/legcramps
st=${SCHEMATHESIS:-}
if [ -z "$st" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q -r scripts/requirements-schemathesis.txt
  st="$work/venv/bin/schemathesis"
fi
$bin serve --addr 127.0.0.1:$port --data-dir "$work/diary" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done
PYTHONPATH="$PWD/scripts/schemathesis" SCHEMATHESIS_HOOKS=hooks "$st" run "http://127.0.0.1:$port/api/openapi.json" \
  --checks all \
  --seed "$seed" \
  --max-examples "$examples" \
  --generation-database none \
  --workers 1 \
  --no-color \
  --report junit --report-dir "$work/report"
echo "=== schemathesis: no failures (seed $seed, at most $examples examples per operation)"

#!/usr/bin/env bash
# Load test of `legcramps serve` with wrk: 64 connections, 2 threads, 15 s per endpoint, in one
# run against one server process: GET /healthz, GET /, POST /api/v1/triage. Prints requests/s,
# latency percentiles, errors, and the server's peak RSS (VmHWM).
# wrk is one program at one address: the per-address connection cap (32) is raised for it.
# Usage: scripts/load-test.sh [seconds]   (needs wrk: apt-get install wrk)
set -euo pipefail
secs=${1:-15}
cd "$(dirname "$0")/.."
cargo build --release -q --bin legcramps
port=18080
data=$(mktemp -d)
LEGCRAMPS_MAX_CONNECTIONS_PER_ADDRESS=1000 ./target/release/legcramps serve --addr 127.0.0.1:$port --data-dir "$data" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done

lua=$(mktemp)
cat > "$lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"longest_cramp_minutes": 12, "eases_when_moving": false, "gp_open": false, "new_medication": true, "pregnant": false, "known_conditions": []}'
LUA
for target in "GET /healthz" "GET /" "POST /api/v1/triage"; do
  path=${target#* }
  echo "=== $target"
  if [ "${target%% *}" = POST ]; then
    wrk -t2 -c64 -d"${secs}s" --latency -s "$lua" "http://127.0.0.1:$port$path"
  else
    wrk -t2 -c64 -d"${secs}s" --latency "http://127.0.0.1:$port$path"
  fi
done
rm -f "$lua"
echo "=== server peak RSS: $(grep VmHWM /proc/$server/status)"

#!/usr/bin/env bash
# Two binaries side by side in one run (an old release against a new one), each serving its own
# diary on a temporary SQLite file: wrk, 2 threads, 64 connections, SECONDS per endpoint, on
# GET /healthz, GET / and POST /api/v1/triage, two rounds, alternating; then both peak RSS.
# Usage: scripts/ab-load-test.sh OLD_BINARY NEW_BINARY [SECONDS]   (ORDER="new old" to start
# with the new one). Needs wrk. Compare each binary's shares of its own /healthz rate.
set -euo pipefail
old_bin=$1; new_bin=$2; secs=${3:-8}
lua=$(mktemp)
cat > "$lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"longest_cramp_minutes": 12, "eases_when_moving": false, "gp_open": false, "new_medication": true, "pregnant": false, "known_conditions": []}'
LUA
start() { d=$(mktemp -d); LEGCRAMPS_MAX_CONNECTIONS_PER_ADDRESS=1000 "$1" serve --addr 127.0.0.1:$2 --data-dir "$d" >/dev/null 2>&1 & echo $!; }
o=$(start "$old_bin" 18181); n=$(start "$new_bin" 18182)
trap 'kill $o $n 2>/dev/null || true' EXIT
for p in 18181 18182; do for _ in $(seq 50); do curl -sf http://127.0.0.1:$p/healthz >/dev/null && break; sleep 0.1; done; done
for round in 1 2; do
  for which in ${ORDER:-old new}; do
    port=$([ $which = old ] && echo 18181 || echo 18182)
    for target in "GET /healthz" "GET /" "POST /api/v1/triage"; do
      path=${target#* }
      if [ "${target%% *}" = POST ]; then s="-s $lua"; else s=""; fi
      r=$(wrk -t2 -c64 -d${secs}s --latency $s "http://127.0.0.1:$port$path" 2>&1)
      rps=$(echo "$r" | awk '/Requests\/sec/ {print $2}')
      p99=$(echo "$r" | awk '$1=="99%" {print $2}')
      errs=$(echo "$r" | grep -E "Non-2xx|Socket errors" | tr '\n' ' ' || true)
      echo "$round $which $target $rps p99=$p99 $errs"
    done
  done
done
echo "RSS old: $(grep VmHWM /proc/$o/status)  new: $(grep VmHWM /proc/$n/status)"

#!/usr/bin/env bash
# Hardening finding 8, measured: while `legcramps import` stores a large file into a diary, a
# running `legcramps serve` on the same diary takes API writes one after another. Prints the
# import's time and the writes' latency (median, p99, max) and failures, and the same writes'
# latency with no import running, measured in the same run (the ratio is what to compare on a
# shared, noisy machine).
# Usage: scripts/import-under-load.sh [rows]   (default 444169, the probe's file)
set -euo pipefail
rows=${1:-444169}
cd "$(dirname "$0")/.."
cargo build --release -q --bin legcramps
bin=./target/release/legcramps
port=18081
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - "$rows" > "$work/big.csv" <<'PY'
import sys, datetime
n = int(sys.argv[1])
start = datetime.datetime(2010, 1, 1, tzinfo=datetime.timezone.utc)
print("id,start,duration_seconds,site,side,asleep,eased,severity,note,exercise,new_medication,new_medication_started,pregnant,short_of_fluids")
for i in range(n):
    t = (start + datetime.timedelta(minutes=11 * i)).isoformat()
    side = ["left", "right", "both"][i % 3]
    print(f"imp-{i:07d},{t},{60 + i % 500},calf,{side},{str(i % 2 == 0).lower()},yes,mild,,false,,,false,false")
PY
echo "file: $rows rows, $(du -h "$work/big.csv" | cut -f1)"
$bin serve --addr 127.0.0.1:$port --data-dir "$work/diary" 2>/dev/null &
server=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done

writes() {  # $1 = label, $2 = how many, or the pid to write until it ends; prints a summary
  python3 - "$port" "$1" "$2" <<'PY'
import json, os, sys, time, urllib.request, urllib.error
port, label, arg = sys.argv[1], sys.argv[2], sys.argv[3]
def going(i):
    if arg.startswith("pid:"):
        try:
            os.kill(int(arg[4:]), 0)
            return True
        except OSError:
            return False
    return i < int(arg)
body = json.dumps({"start": "2026-11-20T02:10:00+00:00", "minutes": 3, "site": "calf",
                   "side": "left", "asleep": True, "eased": "yes", "severity": "mild"}).encode()
lat, failed, slow, t0 = [], 0, [], time.perf_counter()
n = 0
while going(n):
    n += 1
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/episodes", data=body,
                                 headers={"Content-Type": "application/json"})
    t = time.perf_counter()
    try:
        urllib.request.urlopen(req, timeout=30).read()
    except urllib.error.HTTPError:
        failed += 1
    lat.append(time.perf_counter() - t)
    if lat[-1] > 0.5:
        slow.append(f"{lat[-1]:.1f} s at +{t - t0:.1f} s")
    time.sleep(0.02)
lat.sort()
ms = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
print(f"{label}: {n} writes, {failed} failed; median {ms(0.5):.1f} ms, p99 {ms(0.99):.1f} ms, max {lat[-1]*1000:.1f} ms")
if slow:
    print(f"  over 0.5 s: {', '.join(slow)}")
PY
}

writes "no import running" 200
start=$(date +%s.%N)
$bin import --data-dir "$work/diary" "$work/big.csv" > "$work/import.out" &
import=$!
sleep 0.5
writes "during the import" "pid:$import"
wait $import
end=$(date +%s.%N)
echo "import: $(tr '\n' ' ' < "$work/import.out")in $(python3 -c "print(f'{$end-$start:.1f}')") s"

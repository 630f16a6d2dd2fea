#!/usr/bin/env bash
# The diary's pages for ten years of cramps with a "no cramps last night" check-in every night
# (issue 21's target: the diary page and the GP summary under 20 ms). A local diary (no
# accounts) gets 3,650 cramps, one a day for ten years (awake, so no night is both), and 3,650
# check-ins through `legcramps import`; the release server then answers GET /healthz, /diary,
# /diary/summary and /diary/patterns in turn, one request at a time on one kept-alive
# connection, N rounds (default 300); the summary and patterns for all ten years ("Everything") and the summary as it first opens (the last 12 weeks). Prints each path's median and p90 server time (curl's
# time to the last byte) and the median's ratio to /healthz's in the same run.
# SQLite by default; with LEGCRAMPS_BENCH_PG set to a PostgreSQL server's URL, a fresh database
# is made on that server for the run and dropped after it.
# Usage: scripts/bench-diary-pages.sh [rounds]
#        LEGCRAMPS_BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres scripts/bench-diary-pages.sh [rounds]
set -euo pipefail
rounds=${1:-300}
cd "$(dirname "$0")/.."
# LEGCRAMPS_BENCH_BIN names another build to measure (an older version, for a before/after).
if [ -n "${LEGCRAMPS_BENCH_BIN:-}" ]; then
  bin=$LEGCRAMPS_BENCH_BIN
else
  cargo build --release -q --bin legcramps
  bin=./target/release/legcramps
fi
data=$(mktemp -d)
port=18093
server=
db=
cleanup() {
  kill $server 2>/dev/null || true
  wait $server 2>/dev/null || true
  rm -rf "$data"
  if [ -n "$db" ]; then psql -q "$LEGCRAMPS_BENCH_PG" -c "DROP DATABASE IF EXISTS $db" || true; fi
}
trap cleanup EXIT
store=(--data-dir "$data")
if [ -n "${LEGCRAMPS_BENCH_PG:-}" ]; then
  db="legcramps_bench_pages_$$"
  psql -q "$LEGCRAMPS_BENCH_PG" -c "CREATE DATABASE $db"
  store+=(--database-url "${LEGCRAMPS_BENCH_PG%/*}/$db")
  echo "PostgreSQL: database $db"
else
  echo "SQLite"
fi
python3 - "$data/ten-years.json" <<'PY'
import json, sys, datetime
first = datetime.date.today() - datetime.timedelta(days=3650)
eps, nights = [], []
for d in range(3650):
    day = first + datetime.timedelta(days=d)
    eps.append({
        "id": f"ten-years-{d}", "start": f"{day.isoformat()}T{10 + d % 8:02d}:{(d * 37) % 60:02d}:00+00:00",
        "duration_seconds": 30 + (d * 53) % 900, "site": ["calf", "foot", "thigh", "calf"][d % 4],
        "side": ["left", "right", "both"][d % 3], "asleep": False, "eased": ["yes", "no", "unsure"][d % 3],
        "severity": ["mild", "moderate", "severe"][d % 3], "note": "stretched" if d % 5 == 0 else None,
        "context": {"exercise": d % 4 == 0},
    })
    nights.append((day + datetime.timedelta(days=1)).isoformat())
json.dump({"format": "legcramps-diary", "version": 1, "episodes": eps, "checks": [],
           "nights_without_cramps": [n for n in nights if n <= datetime.date.today().isoformat()]},
          open(sys.argv[1], "w"))
PY
$bin import "${store[@]}" "$data/ten-years.json"
$bin serve --addr 127.0.0.1:$port "${store[@]}" 2>/dev/null &
server=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done
paths=(/healthz /diary "/diary/summary?weeks=all" "/diary/patterns?weeks=all" /diary/summary)
out=$(mktemp)
for _ in $(seq "$rounds"); do
  args=()
  for p in "${paths[@]}"; do args+=(-o /dev/null "http://127.0.0.1:$port$p"); done
  curl -s -w "%{url_effective} %{http_code} %{time_total}\n" "${args[@]}" >>"$out"
done
python3 - "$out" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
bad = [r for r in rows if r[1] != "200"]
assert not bad, f"not 200: {bad[:3]}"
t = {}
for url, _, s in rows:
    p = "/" + url.split("/", 3)[3]
    t.setdefault(p, []).append(float(s) * 1000)
base = statistics.median(t["/healthz"])
for p, v in t.items():
    v.sort()
    med, p90 = statistics.median(v), v[int(len(v) * 0.9)]
    print(f"{p:28} median {med:7.2f} ms  p90 {p90:7.2f} ms  median / healthz {med / base:6.1f}x  ({len(v)} requests)")
PY
rm -f "$out"

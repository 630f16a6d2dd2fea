#!/usr/bin/env bash
# Accounts at scale (issue 8), on PostgreSQL, in one run against one release server:
#   1. 100,000 accounts with 100 episodes each (10,000,000 episodes), filled with SQL;
#   2. one person's diary page and GP summary, one request at a time (target: under 20 ms);
#   3. that diary page signed in, 64 connections, against /healthz in the same run
#      (target: at least 50% of the /healthz rate);
#   4. /healthz latency alone, then with 50 connections signing in at once (real argon2id
#      checks of the right password) (target: /healthz p99 within 2x its idle p99).
# Usage: scripts/bench-accounts.sh [seconds per measurement] [accounts]
#   LEGCRAMPS_BENCH_PG (default postgres://postgres@127.0.0.1:5432): a server where a fresh
#   database is made and dropped. Needs wrk and psql.
set -euo pipefail
secs=${1:-10}
accounts=${2:-100000}
pg=${LEGCRAMPS_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
cd "$(dirname "$0")/.."
cargo build --release -q --bin legcramps
db="legcramps_bench_accounts_$$"
port=18090
host="localhost:$port"
url="http://127.0.0.1:$port"
psql "$pg/postgres" -qc "CREATE DATABASE $db"
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT

./target/release/legcramps serve --accounts --public-url "http://$host" --addr "127.0.0.1:$port" \
  --database-url "$pg/$db" 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.1; done

# One account made through the site; its password hash is copied to every other account, so
# any of them can sign in with the same password (each check is still a full argon2id).
password="correct kettle ladder orbit"
curl -sf -o /dev/null -c "$work/cookies" -H "Host: $host" -H "Sec-Fetch-Site: same-origin" \
  --data-urlencode "username=bench-0" --data-urlencode "password=$password" "$url/account/sign-up"
cookie=$(awk '$6 == "__Host-legcramps" {print $7}' "$work/cookies")
hash=$(psql "$pg/$db" -tAc "SELECT password_hash FROM accounts WHERE username = 'bench-0'")

echo "=== filling: $accounts accounts x 100 episodes"
start=$(date +%s)
psql "$pg/$db" -q <<SQL
INSERT INTO accounts (id, username, password_hash, created_utc, disabled)
SELECT md5('account' || g)::uuid::text, 'bench-' || g, '$hash', 1790000000, 0
FROM generate_series(1, $accounts - 1) g;
INSERT INTO episodes (owner, id, start_text, start_utc, local_date, duration_seconds, site, side,
  asleep, eased, severity, note, exercise, pregnant, short_of_fluids)
SELECT 'account:' || a.id, md5(a.id || e)::uuid::text,
  to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00', extract(epoch FROM t)::bigint,
  to_char(t, 'YYYY-MM-DD'), 60 + (e * 37) % 600,
  (ARRAY['calf', 'foot', 'thigh', 'other'])[1 + e % 4], (ARRAY['left', 'right', 'both'])[1 + e % 3],
  (e % 5 < 4)::int, (ARRAY['yes', 'no', 'unsure'])[1 + e % 3],
  (ARRAY['mild', 'moderate', 'severe'])[1 + e % 3],
  CASE WHEN e % 10 = 0 THEN 'Woke me at night' END, (e % 7 = 0)::int, 0, (e % 9 = 0)::int
FROM accounts a, generate_series(0, 99) e,
  LATERAL (SELECT timestamp '2026-08-01 00:00' + e * interval '22 hours' + ((e * 13) % 60) * interval '1 minute' AS t) w;
ANALYZE;
SQL
echo "filled in $(( $(date +%s) - start )) s: $(psql "$pg/$db" -tAc 'SELECT count(*) FROM accounts') accounts, $(psql "$pg/$db" -tAc 'SELECT count(*) FROM episodes') episodes"

session=(-H "Host: $host" -H "Cookie: __Host-legcramps=$cookie")
for path in /diary /diary/summary; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${session[@]}" "$url$path")
  [ "$code" = 200 ] || { echo "$path answered $code"; exit 1; }
done
echo "=== one person's pages, one request at a time (target: under 20 ms)"
for path in /diary /diary/summary; do
  echo "--- GET $path"
  wrk -t1 -c1 -d"${secs}s" --latency "${session[@]}" "$url$path" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx|Socket"
done
echo "=== throughput, 64 connections (target: the diary page at least 50% of /healthz)"
echo "--- GET /healthz"
wrk -t2 -c64 -d"${secs}s" --latency -H "Host: $host" "$url/healthz" | grep -E "99%|Requests/sec|Non-2xx|Socket"
echo "--- GET /diary, signed in"
wrk -t2 -c64 -d"${secs}s" --latency "${session[@]}" "$url/diary" | grep -E "99%|Requests/sec|Non-2xx|Socket"

echo "=== /healthz while 50 connections sign in (target: p99 within 2x idle)"
cat > "$work/sign-in.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  local body = "username=bench-" .. ((n * 7919) % $accounts) .. "&password=correct+kettle+ladder+orbit"
  return wrk.format("POST", "/account/sign-in", {
    ["Host"] = "$host",
    ["Sec-Fetch-Site"] = "same-origin",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
LUA
echo "--- GET /healthz, idle (4 connections)"
wrk -t1 -c4 -d"${secs}s" --latency -H "Host: $host" "$url/healthz" | grep -E "50%|90%|99%|Requests/sec"
echo "--- GET /healthz (4 connections) while 50 connections sign in"
wrk -t1 -c50 -d"$((secs + 2))s" --latency -s "$work/sign-in.lua" "$url/account/sign-in" >"$work/sign-ins.txt" &
signins=$!
sleep 1
wrk -t1 -c4 -d"${secs}s" --latency -H "Host: $host" "$url/healthz" | grep -E "50%|90%|99%|Requests/sec"
wait "$signins"
echo "--- the sign-ins (303 is a successful sign-in)"
grep -E "50%|99%|Requests/sec|Non-2xx|Socket" "$work/sign-ins.txt"
echo "sign-ins recorded: $(psql "$pg/$db" -tAc "SELECT count(*) FROM security_events WHERE kind = 'sign-in'"), failed: $(psql "$pg/$db" -tAc "SELECT count(*) FROM security_events WHERE kind = 'sign-in-failed'")"
echo "=== server peak RSS: $(grep VmHWM /proc/$server/status)"

#!/usr/bin/env bash
# Accounts at scale (issue 8), on PostgreSQL, in one run against one release server:
#   1. 100,000 accounts with 100 episodes each (10,000,000 episodes), filled with SQL;
#   2. one person's diary page and GP summary, one request at a time (target: under 20 ms);
#   3. that diary page signed in, 64 connections, against /healthz in the same run
#      (target: at least 50% of the /healthz rate), and the most PostgreSQL alone can answer
#      that page's queries (pgbench, no web server), beside /healthz again;
#   4. /healthz latency alone, then with 50 connections signing in at once (real argon2id
#      checks of the right password) (target: /healthz p99 within 2x its idle p99), and, for
#      reference, while one core is busy with a process that is not the server.
# Usage: scripts/bench-accounts.sh [seconds per measurement] [accounts]
#   LEGCRAMPS_BENCH_PG (default postgres://postgres@127.0.0.1:5432): a server where a fresh
#   database is made and dropped. Needs wrk, psql, pgbench and python3.
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
VACUUM ANALYZE; -- as autovacuum would soon after a load this size
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

echo "=== the bound: PostgreSQL alone answering the signed-in diary page's queries, no web server"
# The five statements one signed-in diary page sends (the session, the days with cramps, the
# page's cramps, the profile, the saved checks), as crates/store sends them (read off
# PostgreSQL's log with log_statement=all; keep in step with live_session, days_logged,
# EPISODE_COLUMNS, PROFILE_SQL and checks). pgbench runs them with the server's pool size (8)
# as clients: the most pages a second this database can serve on this machine if the web
# server cost nothing.
owner="account:$(psql "$pg/$db" -tAc "SELECT id FROM accounts WHERE username = 'bench-0'")"
hash_of_session=$(psql "$pg/$db" -tAc "SELECT id_hash FROM sessions LIMIT 1")
read -r first_day last_day < <(psql "$pg/$db" -tA -F ' ' -c "SELECT min(m), max(m) + 6 FROM (SELECT DISTINCT date_trunc('week', local_date::date)::date AS m FROM episodes WHERE owner = '$owner' ORDER BY 1 DESC LIMIT 4) w")
visible="(import_id IS NULL OR import_id NOT IN (SELECT id FROM pending_imports))"
choice() { # column, values...: as EPISODE_COLUMNS reads a choice, by its place in the list
  local col=$1; shift; local sql="CASE WHEN $col IS NULL THEN NULL" i=0
  for v in "$@"; do sql="$sql WHEN $col = '$v' THEN $i"; i=$((i + 1)); done
  echo "$sql ELSE -1 END AS $col"
}
cat > "$work/page.sql" <<SQL
SELECT s.id_hash, s.account_id, s.created_utc AS s_created, s.last_seen_utc, s.device, a.id, a.username, a.password_hash, a.created_utc, a.disabled FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = '$hash_of_session';
SELECT local_date, COUNT(*) FROM episodes WHERE owner = :o AND $visible GROUP BY local_date ORDER BY local_date;
SELECT id, start_text, duration_seconds, $(choice site calf foot thigh other), $(choice side left right both), asleep, $(choice eased yes no unsure), $(choice severity mild moderate severe), note, exercise, short_of_fluids, last_night, helped, suspected FROM episodes WHERE owner = :o AND local_date >= '$first_day' AND local_date <= '$last_day' AND $visible ORDER BY start_utc, id;
SELECT 'medicine' AS kind, id, name, started AS first_day, stopped AS last_day, from_diary FROM profile_medicines WHERE owner = :o UNION ALL SELECT 'pregnancy', id, NULL, started, ended, from_diary FROM profile_pregnancies WHERE owner = :o UNION ALL SELECT 'condition', id, name, since, NULL, CAST(0 AS SMALLINT) FROM profile_conditions WHERE owner = :o;
SELECT id, at_text, answers, shown_disposition, shown_phone_111, shown_phone_999, shown_content_version, shown_rules_version FROM checks WHERE owner = :o AND $visible ORDER BY at_utc, id;
SQL
echo "--- GET /healthz (the same measurement as above, again, beside it)"
wrk -t2 -c64 -d"${secs}s" --latency -H "Host: $host" "$url/healthz" | grep -E "Requests/sec"
echo "--- pgbench, 8 clients, the page's five queries (pages a second = tps)"
pgbench -n -M prepared -D "o=$owner" -c 8 -j 2 -T "$secs" -f "$work/page.sql" "$pg/$db" 2>&1 | grep -E "^tps|error|ERROR"

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
echo "--- for reference: GET /healthz (4 connections) while one core is busy with a process that is not the server"
# Signing in keeps one core busy hashing (the hashing threads are one fewer than the cores),
# so this is what any one busy core costs /healthz on this machine.
python3 -c "import time
end = time.time() + $((secs + 2))
x = 0
while time.time() < end:
    x += sum(i * i for i in range(1000))" &
hog=$!
sleep 1
wrk -t1 -c4 -d"${secs}s" --latency -H "Host: $host" "$url/healthz" | grep -E "50%|90%|99%|Requests/sec"
wait "$hog"
echo "--- the sign-ins (303 is a successful sign-in)"
grep -E "50%|99%|Requests/sec|Non-2xx|Socket" "$work/sign-ins.txt"
echo "sign-ins recorded: $(psql "$pg/$db" -tAc "SELECT count(*) FROM security_events WHERE kind = 'sign-in'"), failed: $(psql "$pg/$db" -tAc "SELECT count(*) FROM security_events WHERE kind = 'sign-in-failed'")"
echo "=== server peak RSS: $(grep VmHWM /proc/$server/status)"

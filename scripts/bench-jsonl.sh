#!/usr/bin/env bash
# End-to-end throughput of `legcramps triage --jsonl`: N generated assessments (default
# 100000) through the release binary, five runs, to a file and to /dev/null.
# Usage: scripts/bench-jsonl.sh [N]
set -euo pipefail
n=${1:-100000}
cd "$(dirname "$0")/.."
cargo build --release -q --bin legcramps --example gen_assessments
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/examples/gen_assessments "$n" > "$work/in.jsonl"
echo "input: $n assessments, $(wc -c < "$work/in.jsonl") bytes"
for sink in file /dev/null; do
  for run in 1 2 3 4 5; do
    out=$([ "$sink" = file ] && echo "$work/out.jsonl" || echo /dev/null)
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/rss" ./target/release/legcramps triage --jsonl "$work/in.jsonl" > "$out"
    end=$(date +%s.%N)
    python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'to {sys.argv[4]:9} run {sys.argv[5]}: {s:.3f} s, {int(sys.argv[3])/s:,.0f} assessments/s, peak RSS {open(sys.argv[6]).read().strip()} KB')" "$start" "$end" "$n" "$sink" "$run" "$work/rss"
  done
done

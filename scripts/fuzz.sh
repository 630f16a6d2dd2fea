#!/usr/bin/env bash
# Run every cargo fuzz target for a bounded time, each from its seed corpus (fuzz/seeds/) plus
# whatever it found before (fuzz/corpus/, not committed). Fails on the first crash, panic or
# broken invariant, and leaves the input that did it in fuzz/artifacts/<target>/.
# Usage: scripts/fuzz.sh [seconds per target]   (default 60; CI uses 60)
#        scripts/fuzz.sh 3600 import_csv        (one target, an hour)
# Needs the nightly toolchain and cargo-fuzz (`cargo install --locked cargo-fuzz`).
set -euo pipefail
secs=${1:-60}
shift || true
cd "$(dirname "$0")/../fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "=== $t: ${secs}s"
  # -max_len bounds an input at 64 KiB (the bodies and rows these parsers take are smaller
  # than that in practice; the size limits themselves are tested in the test suite).
  cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
    | grep -E "^(stat::number_of_executed_units|stat::new_units_added|==|SUMMARY|Done)|panicked|assert" || true
  # libFuzzer exits non-zero on a crash; the pipe above hides that, so look for what it left.
  if compgen -G "artifacts/$t/*" >/dev/null; then
    echo "!!! $t found a failing input:"; ls "artifacts/$t"
    exit 1
  fi
done
echo "=== fuzzing: no crashes"

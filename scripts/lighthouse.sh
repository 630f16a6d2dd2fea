#!/usr/bin/env bash
# Lighthouse (mobile, simulated slow 4G: its default) against the home, check, stretches and
# diary pages, on Debian's chromium. Prints a Markdown table for docs/benchmarks.md.
#
#   scripts/lighthouse.sh            (uses target/release/legcramps if built, else target/debug)
#   LEGCRAMPS_BIN=path scripts/lighthouse.sh
#
# Installs Lighthouse from npm, pinned by scripts/lighthouse/package-lock.json; never downloads
# a browser (CHROME_PATH is Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LEGCRAMPS_BIN:-}
if [ -z "$bin" ]; then
  if [ -x target/release/legcramps ]; then bin=target/release/legcramps; else bin=target/debug/legcramps; fi
fi
[ -x "$bin" ] || { echo "build first: cargo build (or --release)" >&2; exit 1; }
(cd scripts/lighthouse && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
port=${LIGHTHOUSE_PORT:-8731}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" serve --addr "127.0.0.1:$port" --data-dir "$work/diary" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
# The diary page with something in it: two quick logs.
for when in now last-night; do
  curl -fs -o /dev/null -X POST -H "Origin: http://127.0.0.1:$port" \
    --data "when=$when&side=left&severity=moderate" "http://127.0.0.1:$port/diary/quick"
done
echo "| Page | Performance | LCP | Accessibility | Best practices | SEO | Transferred |"
echo "|---|---|---|---|---|---|---|"
for page in / /check /stretches /diary; do
  out="$work/report.json"
  scripts/lighthouse/node_modules/.bin/lighthouse "http://127.0.0.1:$port$page" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --output=json --output-path="$out" >/dev/null 2>&1
  node -e '
    const r = require(process.argv[1]);
    const s = (k) => Math.round(r.categories[k].score * 100);
    const lcp = (r.audits["largest-contentful-paint"].numericValue / 1000).toFixed(2);
    const kib = (r.audits["total-byte-weight"].numericValue / 1024).toFixed(1);
    console.log(`| ${process.argv[2]} | ${s("performance")} | ${lcp} s | ${s("accessibility")} | ${s("best-practices")} | ${s("seo")} | ${kib} KiB |`);
    // Below the target, say which measure pulled the score down.
    if (s("performance") < 98) {
      for (const k of ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"]) {
        console.error(`  ${process.argv[2]} ${k}: ${r.audits[k].displayValue} (score ${r.audits[k].score})`);
      }
    }
  ' "$out" "$page"
done

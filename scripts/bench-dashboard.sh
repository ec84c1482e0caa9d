#!/usr/bin/env bash
# Speed check of the history dashboard (a benchmark, not a timed test):
# fills a history with 200 benchmarks x 100 runs of synthetic results, then
# times `metron history report -o DIR` (reading the history, change points
# for every series, every page and chart). Target: under 5 s.
# Run it on an otherwise idle machine.
#
# Usage: scripts/bench-dashboard.sh [OUT_DIR] [BENCHMARKS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-${TMPDIR:-/tmp}/metron-bench-dashboard}"
benchmarks="${2:-200}"
runs="${3:-100}"
rm -rf "$out"
mkdir -p "$out"
db="$out/history.db"

cargo build --quiet --release -p metron-cli
cargo build --quiet --release -p metron-history --example synthetic_history
target="${CARGO_TARGET_DIR:-target}/release"
"$target/examples/synthetic_history" "$db" "$benchmarks" "$runs"

start=$(date +%s.%N)
"$target/metron" history report -o "$out/site" --history "$db"
end=$(date +%s.%N)
seconds=$(echo "$end - $start" | bc -l 2>/dev/null || python3 -c "print($end - $start)")
pages=$(find "$out/site" -name '*.html' | wc -l)
size=$(du -sh "$out/site" | cut -f1)
printf 'dashboard of %s benchmarks x %s runs: %.2f s, %s pages, %s (target: under 5 s)\n' \
    "$benchmarks" "$runs" "$seconds" "$pages" "$size"

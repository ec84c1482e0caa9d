#!/usr/bin/env bash
# Size and speed check of the HTML report (a benchmark, not a timed test):
# builds a synthetic run of 100 benchmarks x 200 samples, writes its JSON,
# loads it back, renders the page and prints the render time and the page
# size. Target: under 2 s and a few MB.
#
# Usage: scripts/bench-report.sh [OUT_DIR] [BENCHMARKS] [SAMPLES]
# Honours CARGO_TARGET_DIR and CARGO_BUILD_JOBS like any cargo command.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-${TMPDIR:-/tmp}/metron-bench-report}"
benchmarks="${2:-100}"
samples="${3:-200}"

cargo run --quiet --release -p metron-report --example large_report -- \
    --benchmarks "$benchmarks" --samples "$samples" --out "$out"

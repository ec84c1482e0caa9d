#!/usr/bin/env bash
# How long the concurrency suite takes (a benchmark, not a timed test):
# builds metron with `cargo build --release`, then runs
# `metron suite concurrency --quick` and the default run, each into its own
# directory, and prints each one's wall time next to its target (quick
# <= 20 s, default <= 90 s on a 2-core machine) and the conclusions of the
# default run.
#
# Usage: scripts/bench-suite.sh [OUT_DIR] [-- extra metron suite flags]
# Honours CARGO_TARGET_DIR and CARGO_BUILD_JOBS like any cargo command.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/suite-common.sh
suite_args metron-bench-suite "$@"

# Runs the suite with the given flags into $out/$name; prints its wall time.
timed() {
    local name="$1" target="$2"
    shift 2
    local start ms status=0
    start=$(date +%s%N)
    "$metron" suite concurrency -q -o "$out/$name" "$@" >"$out/$name.txt" 2>"$out/$name.err" || status=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    printf '%-8s %3d.%01d s  (target <= %s s, exit status %d, %s/%s)\n' \
        "$name" $((ms / 1000)) $((ms % 1000 / 100)) "$target" "$status" "$out" "$name"
}

echo "metron suite concurrency on $(nproc) cores, $(python3 --version 2>&1)"
timed quick 20 --quick "${extra[@]}"
timed default 90 "${extra[@]}"
echo
sed -n '/^Conclusions:/,$p' "$out/default.txt"

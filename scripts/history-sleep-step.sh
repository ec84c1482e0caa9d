#!/usr/bin/env bash
# The history's end-to-end check with real timings (run it on an otherwise
# idle machine): 10 runs of `metron 'sleep 0.010'` and 6 of
# `metron 'sleep 0.0115'`, added as commits c1..c16, must make
# `metron history check --fail-on-regression` name c11 with a change near
# +14% and exit 1; 16 runs of `sleep 0.010` must show no change point and
# exit 0. Prints both reports and their exit statuses.
#
# Usage: scripts/history-sleep-step.sh [WORK_DIR]
set -uo pipefail
cd "$(dirname "$0")/.."

work="${1:-${TMPDIR:-/tmp}/metron-history-step}"
rm -rf "$work"
mkdir -p "$work"
cargo build --quiet --release -p metron-cli || exit 1
metron="$(pwd)/${CARGO_TARGET_DIR:-target}/release/metron"

series() { # DB FIRST_COMMAND SECOND_COMMAND
    for i in $(seq 1 16); do
        cmd="$2"
        [ "$i" -gt 10 ] && cmd="$3"
        "$metron" -q -n sleep "$cmd" --export-json "$work/run$i.json" >/dev/null || exit 1
        "$metron" history add "$work/run$i.json" --commit "c$i" --history "$1" >/dev/null || exit 1
    done
}

series "$work/step.db" 'sleep 0.010' 'sleep 0.0115'
"$metron" history check --fail-on-regression --history "$work/step.db"
echo "step: exit status $? (expected 1, change point at c11, about +14%)"

series "$work/flat.db" 'sleep 0.010' 'sleep 0.010'
"$metron" history check --fail-on-regression --history "$work/flat.db"
echo "no change: exit status $? (expected 0, no change point)"

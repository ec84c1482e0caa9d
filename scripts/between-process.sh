#!/usr/bin/env bash
# Between-process variation: the same benchmark run in two separate metron
# processes and compared with `metron compare` should be called `unchanged`
# (want ≥ 19 of 20). Criterion users report false changes here; metron's
# noise threshold (2%) and its two-test rule are what must absorb it.
# Two kinds of benchmark, TRIES pairs each (default 20):
#   - a command: `metron 'sleep 0.01'`;
#   - an in-process function: the `xorshift_chain(64)` bench.
#
#   scripts/between-process.sh [TRIES]
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-20}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo build --release -q -p metron-cli
cargo bench -q -p metron --bench closures --no-run 2>/dev/null
metron="${CARGO_TARGET_DIR:-target}/release/metron"

verdicts() {
    python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for c in r["baseline"]["changes"]:
    print(f'{c["verdict"]:<10} change {c["change"]*100:+.2f}% CI [{c["ci"]["lo"]*100:+.2f}%, {c["ci"]["hi"]*100:+.2f}%] '
          f'p_welch {c["p_welch"]:.2g} p_mw {c["p_mann_whitney"]:.2g}')
PY
}

count() { grep -c "^ *[0-9]*: unchanged" "$1" || true; }

echo "== command: metron 'sleep 0.01', two processes, metron compare"
for i in $(seq 1 "$tries"); do
    "$metron" -q --export-json "$out/a.json" 'sleep 0.01' >/dev/null
    "$metron" -q --export-json "$out/b.json" 'sleep 0.01' >/dev/null
    "$metron" compare "$out/a.json" "$out/b.json" --export-json "$out/cmp.json" >/dev/null
    printf '  %2d: %s\n' "$i" "$(verdicts "$out/cmp.json")"
done | tee "$out/cmd.txt"

echo "== in-process: xorshift_chain(64), two bench processes, metron compare"
for i in $(seq 1 "$tries"); do
    cargo bench -q -p metron --bench closures -- --exact --export-json "$out/a.json" "xorshift_chain(64)" >/dev/null
    cargo bench -q -p metron --bench closures -- --exact --export-json "$out/b.json" "xorshift_chain(64)" >/dev/null
    "$metron" compare "$out/a.json" "$out/b.json" --export-json "$out/cmp.json" >/dev/null
    printf '  %2d: %s\n' "$i" "$(verdicts "$out/cmp.json")"
done | tee "$out/fn.txt"

echo
echo "command:     unchanged in $(count "$out/cmd.txt") of $tries"
echo "in-process:  unchanged in $(count "$out/fn.txt") of $tries"

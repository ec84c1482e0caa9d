#!/usr/bin/env bash
# Run-to-run spread of wall time and of instruction counts, side by side:
# the same three benchmarks (gzip, sort, and a 1000-element sum snippet),
# measured RUNS times (10 by default) as separate processes, once on the
# wall clock and once with --clock instructions. Prints, per benchmark, the
# spread ((max - min) / median of the per-run medians) of each.
#
# Wall times need an idle machine to mean anything; counts do not.
#   scripts/count-spread.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
# METRON=path uses that binary instead of building the release one.
metron="${METRON:-target/release/metron}"
[ -n "${METRON:-}" ] || cargo build -q --release -p metron-cli
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
commands=("gzip -9 -c README.md" "sort README.md")
for i in $(seq 1 "$runs"); do
    for clock in wall instructions; do
        "$metron" -q --clock "$clock" --export-json "$out/cmd-$clock-$i.json" "${commands[@]}" >/dev/null
        "$metron" timeit -q --lang rust --clock "$clock" --export-json "$out/rust-$clock-$i.json" \
            -s 'let v: Vec<u64> = (0..1000).collect();' 'v.iter().sum::<u64>()' >/dev/null
    done
    echo "run $i of $runs done" >&2
done
python3 - "$out" "$runs" <<'PY'
import json, sys, statistics
out, runs = sys.argv[1], int(sys.argv[2])
medians = {}
for clock in ("wall", "instructions"):
    for i in range(1, runs + 1):
        for kind in ("cmd", "rust"):
            with open(f"{out}/{kind}-{clock}-{i}.json") as f:
                record = json.load(f)
            for b in record["benchmarks"]:
                summary = b["instructions"] if clock == "instructions" else b["wall"]
                medians.setdefault((b["name"], clock), []).append(summary["median"])
print(f"{'benchmark':<28} {'wall spread':>12} {'count spread':>13}   (max-min)/median over {runs} runs")
for name in dict.fromkeys(n for n, _ in medians):
    spread = lambda v: (max(v) - min(v)) / statistics.median(v) * 100
    print(f"{name:<28} {spread(medians[(name, 'wall')]):>11.3f}% {spread(medians[(name, 'instructions')]):>12.4f}%")
PY

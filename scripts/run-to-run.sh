#!/usr/bin/env bash
# Run-to-run honesty: does a run's printed 95% CI contain what other runs
# measure? Each kind of benchmark is run as RUNS independent processes;
# for every benchmark the script prints in how many runs the CI contained
# the median of all runs' medians (want at least 18 of 20), the widest CI,
# and the slowest run's wall time.
#
#   scripts/run-to-run.sh [RUNS] [--noisy]
#
# Kinds: the in-process bench `run_to_run` (an empty closure, a ~100 ns and
# a ~10 µs loop; want each run <= 4 s), the command `sleep 0.01`, the command
# `gzip -9 -c README.md`, and the Python snippet `sorted(x)` of 1000 ints.
# `--noisy` runs a bursty neighbour beside everything (scripts/noisy-neighbour.py).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/measure-common.sh
runs="$count"

measure() { # KIND COMMAND...
    local kind="$1"
    shift
    mkdir -p "$out/$kind"
    for i in $(seq 1 "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" --export-json "$out/$kind/$i.json" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        echo $((end - start)) >"$out/$kind/$i.ns"
    done
}

measure bench "$bench" --bench --quiet
measure sleep "$metron" --quiet 'sleep 0.01'
measure gzip "$metron" --quiet 'gzip -9 -c README.md'
measure python "$metron" timeit --quiet --lang python -s 'x = list(range(1000))' 'sorted(x)'

python3 - "$out" "$runs" <<'PY'
import json, os, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
for kind in ["bench", "sleep", "gzip", "python"]:
    records, seconds = [], []
    for i in range(1, runs + 1):
        p = f"{out}/{kind}/{i}.json"
        if os.path.exists(p):
            records.append(json.load(open(p)))
            seconds.append(int(open(f"{out}/{kind}/{i}.ns").read()) / 1e9)
    if not records:
        print(f"{kind}: no run wrote results")
        continue
    ids = [b.get("group", "") + b["name"] for b in records[0]["benchmarks"]]
    print(f"== {kind}: {len(records)} runs, slowest {max(seconds):.2f} s, median {statistics.median(seconds):.2f} s")
    for bid in ids:
        heads = []
        for r in records:
            for b in r["benchmarks"]:
                if b.get("group", "") + b["name"] == bid:
                    s = b["cpu"] if b["clock"] == "cpu" and b.get("cpu") else b["wall"]
                    heads.append((s["median"], s["median_ci"]["lo"], s["median_ci"]["hi"], b.get("run_level")))
        centre = statistics.median(h[0] for h in heads)
        inside = sum(1 for m, lo, hi, _ in heads if lo <= centre <= hi)
        widest = max((hi - lo) / 2 / m for m, lo, hi, _ in heads) * 100
        spread = statistics.pstdev(h[0] for h in heads) / centre * 100
        between = [h[3]["between"] * 100 for h in heads if h[3]]
        b = f", run-to-run part ±{statistics.median(between):.2f}%" if between else ""
        print(f"  {bid:<16} CI holds the median of medians in {inside:2d} of {len(heads)}"
              f"   (sd of medians {spread:.2f}%, widest CI ±{widest:.2f}%{b})")
        for n, (m, lo, hi, level) in enumerate(heads, 1):
            if not lo <= centre <= hi:
                earlier = (level or {}).get("earlier")
                memory = f"{earlier['runs']} earlier runs" if earlier else "no earlier runs"
                print(f"      missed in run {n:2d}: median {(m / centre - 1) * 100:+.2f}% off, "
                      f"CI [{(lo / centre - 1) * 100:+.2f}%, {(hi / centre - 1) * 100:+.2f}%], {memory}")
PY

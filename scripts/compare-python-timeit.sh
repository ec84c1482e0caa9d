#!/usr/bin/env bash
# metron's Python snippet driver beside `python3 -m timeit`, on the same
# statement, side by side. Each pair runs both tools one after the other
# (alternating which goes first); the per-loop figures are Python's
# "best of" line from each (the fastest sample's time per loop), and the
# ratio is the median of the per-pair ratios. On a quiet machine the ratio
# is within a few percent of 1; a busy one spreads single pairs, not the
# median of several.
#
# CPython's speed on a loop this small depends on where the process's memory
# landed (address-space layout is random per process): both tools land in
# the same few levels (here 13.8, 14.7, 15.2, 15.6, 16.1 µs), one level per
# process, so single pairs can differ by 15% either way. Read the median of
# the ratios over many pairs, and the fastest level each tool found.
#
# Each tool's invocation is also timed from start to exit (the same command
# line, `-s SETUP STATEMENT`, under both): the medians of those times say
# whether metron answers as fast as `python3 -m timeit`.
#
#   scripts/compare-python-timeit.sh [PAIRS] [STATEMENT] [SETUP]
#   (default 5, 'sorted(x)', 'x=list(range(1000))')
#
# Uses $METRON if set, else builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-5}"
stmt="${2:-sorted(x)}"
setup="${3:-x=list(range(1000))}"
python="${PYTHON:-python3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

if [[ -z "${METRON:-}" ]]; then
    echo "building metron (release)..." >&2
    cargo build --release --quiet -p metron-cli
    METRON="${CARGO_TARGET_DIR:-target}/release/metron"
fi

now() { date +%s%N; }
run_python() {
    local t0; t0=$(now)
    "$python" -m timeit -s "$setup" "$stmt" >"$out/python-$1.txt"
    echo $(( $(now) - t0 )) >"$out/python-$1.ns"
}
run_metron() {
    local t0; t0=$(now)
    "$METRON" timeit --lang python --python "$python" -q --export-json "$out/metron-$1.json" -s "$setup" "$stmt" >"$out/metron-$1.txt"
    echo $(( $(now) - t0 )) >"$out/metron-$1.ns"
}

for i in $(seq 1 "$pairs"); do
    echo "pair $i/$pairs" >&2
    if (( i % 2 )); then run_python "$i"; run_metron "$i"; else run_metron "$i"; run_python "$i"; fi
done

"$python" - "$out" "$pairs" "$stmt" "$setup" <<'PY'
import json, re, statistics, sys
out, pairs, stmt, setup = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
units = {"nsec": 1.0, "usec": 1e3, "msec": 1e6, "sec": 1e9}

def python_best(i):
    text = open(f"{out}/python-{i}.txt").read()
    m = re.search(r"(\d+) loops?, best of (\d+): ([\d.e+-]+) (nsec|usec|msec|sec) per loop", text)
    return float(m.group(3)) * units[m.group(4)], f"{m.group(1)} loops, best of {m.group(2)}"

def metron_best(i):
    b = json.load(open(f"{out}/metron-{i}.json"))["benchmarks"][0]
    return b["wall"]["min"], b["wall"]["median"], f"{b['samples']['iterations'][0]} loops, best of {len(b['samples']['iterations'])}"

print(f"statement: {stmt}   setup: {setup}")
print(f"{'pair':>4}  {'python -m timeit':>30}  {'metron timeit (best)':>30}  {'metron median':>13}  {'ratio':>6}")
ratios, pys, mets = [], [], []
for i in range(1, pairs + 1):
    py, py_how = python_best(i)
    best, median, how = metron_best(i)
    ratios.append(best / py)
    pys.append(py)
    mets.append(best)
    print(f"{i:>4}  {py / 1e3:>9.3f} µs ({py_how:>18})  {best / 1e3:>9.3f} µs ({how:>18})  {median / 1e3:>10.3f} µs  {best / py:>6.3f}")
ratio = statistics.median(ratios)
print(f"median per loop: python -m timeit {statistics.median(pys) / 1e3:.3f} µs, "
      f"metron {statistics.median(mets) / 1e3:.3f} µs; median of the per-pair ratios metron/python = {ratio:.3f} "
      f"({'within' if abs(ratio - 1) <= 0.05 else 'NOT within'} 5%)")
elapsed = lambda tool, i: int(open(f"{out}/{tool}-{i}.ns").read()) / 1e9
py_s = statistics.median(elapsed("python", i) for i in range(1, pairs + 1))
met_s = statistics.median(elapsed("metron", i) for i in range(1, pairs + 1))
print(f"time to answer (median of {pairs}): python3 -m timeit {py_s:.2f} s, metron timeit {met_s:.2f} s; "
      f"metron {'takes no longer' if met_s <= py_s else 'takes LONGER'} ({met_s / py_s:.2f}×)")
precision = re.findall(r"\(([^()]*CI ±[\d.]+%[^()]*)\)", open(f"{out}/metron-1.txt").read())
print(f"metron's precision (pair 1): {precision[0] if precision else 'not printed'}")
best = min(mets) / min(pys)
print(f"fastest over all pairs: python -m timeit {min(pys) / 1e3:.3f} µs, metron {min(mets) / 1e3:.3f} µs; "
      f"ratio {best:.3f} ({'within' if abs(best - 1) <= 0.05 else 'NOT within'} 5%)")
PY

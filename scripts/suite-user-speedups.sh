#!/usr/bin/env bash
# The "Done when" figures of the user's own workload (issue 14), to run on
# an otherwise idle machine (a timing measurement, not a test): builds
# metron --release, runs the suite on bench-suites/examples/cpu_bound.py
# (a pure-Python loop per item, 16 items) and io_bound.py (time.sleep(0.02)
# per item, 16 items), and prints each target figure from suite.json next
# to its bound, the parallelism the calibration measured, and the verdicts.
#
#   CPU-bound: process-pool ×2 >= 1.5× sequential, threads ×2 <= 1.15×
#   I/O-bound: thread-pool ×4 >= 3×
#
# Usage: scripts/suite-user-speedups.sh [OUT_DIR] [-- extra metron suite flags]
# Exit status 0 when every figure meets its bound, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/suite-common.sh
suite_args metron-suite-user "$@"
examples=bench-suites/examples

"$metron" suite concurrency -q -o "$out/cpu" --workers 2,4 \
    --python "$examples/cpu_bound.py:collatz_steps" --inputs "$examples/cpu_bound.py:items" "${extra[@]}" >"$out/cpu.txt"
"$metron" suite concurrency -q -o "$out/io" --workers 2,4 \
    --python "$examples/io_bound.py:fetch" --inputs-expr 'range(16)' "${extra[@]}" >"$out/io.txt"

python3 - "$out" <<'PY'
import json, sys

out = sys.argv[1]
ok = True

def section(name):
    with open("%s/%s/suite.json" % (out, name)) as f:
        return json.load(f)["extensions"]["suite"]

def figure(s, label):
    for w in s["figures"]["workloads"]:
        for v in w["variants"]:
            if "%s ×%d" % (v["variant"], v["workers"]) == label:
                return v["speedup"]["value"], v["level"].get("utilisation")
    return None, None

def check(name, label, bound, at_least):
    global ok
    s = section(name)
    value, util = figure(s, label)
    w = s["figures"]["workloads"][0]
    seq = w["sequential"]["median_ns"] / s["user"]["items"] / 1e6
    a = w.get("available", {})
    met = value is not None and (value >= bound if at_least else value <= bound)
    ok &= met
    print("%-4s %-16s %6.2fx (%s %.2fx) CPU/wall %s  [%s]  %.1f ms/item sequential, %.2f of %d cores available"
          % (name, label, value or 0, ">=" if at_least else "<=", bound,
             "%.2f" % util if util is not None else "-", "ok" if met else "MISSED", seq,
             a.get("measured", 0), a.get("allowed", 0)))

check("cpu", "process-pool ×2", 1.5, True)
check("cpu", "threads ×2", 1.15, False)
check("io", "thread-pool ×4", 3.0, True)
for name in ("cpu", "io"):
    for paragraph in section(name)["verdict"]:
        print("\n%s verdict: %s" % (name, paragraph))
sys.exit(0 if ok else 1)
PY

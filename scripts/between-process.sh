#!/usr/bin/env bash
# Between-process verdicts: two separately launched runs compared with
# `metron compare`. Identical code must be called `unchanged` (want at
# least 19 of 20 tries), and a real 5% slowdown `regressed` (want at least
# 18 of 20). Each try takes three runs: A, A again and B (5% slower); A/A
# and A/B are compared against the first A.
#
#   scripts/between-process.sh [TRIES] [--noisy]
#
# Kinds: the command `sleep 0.010` against `sleep 0.0105`; the in-process
# bench `run_to_run` (its ~10 µs loop, with 5% more steps via
# RUN_TO_RUN_SCALE=1.05 in a copy of the binary, standing for a rebuild);
# the Python snippet `sum(range(10000))` against
# `sum(range(10500))`. `--noisy` runs a bursty neighbour beside everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/measure-common.sh
tries="$count"

verdict() { # OLD NEW
    "$metron" compare "$1" "$2" --export-json "$out/cmp.json" >/dev/null 2>"$out/cmp.err" || true
    python3 - "$out/cmp.json" "$out/cmp.err" <<'PY'
import json, os, sys
if not os.path.exists(sys.argv[1]):
    print("error " + open(sys.argv[2]).read().strip().replace("\n", " "))
    sys.exit()
for c in json.load(open(sys.argv[1]))["baseline"]["changes"]:
    print(f'{c["verdict"]:<10} {c["change"]*100:+6.2f}% CI [{c["ci"]["lo"]*100:+6.2f}%, {c["ci"]["hi"]*100:+6.2f}%] p {c["p_run_level"]:.2g}')
PY
    rm -f "$out/cmp.json"
}

try() { # KIND A-COMMAND... -- B-COMMAND...
    local kind="$1"
    shift
    local a=() b=()
    while [ "$1" != "--" ]; do a+=("$1"); shift; done
    shift
    b=("$@")
    for i in $(seq 1 "$tries"); do
        "${a[@]}" --export-json "$out/a1.json" >/dev/null 2>&1 || true
        "${a[@]}" --export-json "$out/a2.json" >/dev/null 2>&1 || true
        env "${b[@]}" --export-json "$out/b.json" >/dev/null 2>&1 || true
        printf '  %2d  A/A %s\n' "$i" "$(verdict "$out/a1.json" "$out/a2.json")"
        printf '  %2d  A/B %s\n' "$i" "$(verdict "$out/a1.json" "$out/b.json")"
    done | tee "$out/$kind.txt"
}

echo "== command: sleep 0.010 vs 0.0105"
try command "$metron" --quiet --name sleep 'sleep 0.010' -- "$metron" --quiet --name sleep 'sleep 0.0105'
echo "== in-process: run_to_run 'loop ~10 us', 5% more steps"
# The slower code is another build: a copy of the binary, which the memory
# of earlier runs (keyed by the executable's build) tells from the first.
cp "$bench" "$out/run_to_run-slower"
try bench "$bench" --bench --exact 'loop ~10 us' --quiet -- \
    RUN_TO_RUN_SCALE=1.05 "$out/run_to_run-slower" --bench --exact 'loop ~10 us' --quiet
echo "== python: sum(range(n)), n = 10000 vs 10500"
try python "$metron" timeit --quiet --lang python -s 'n = 10000' 'sum(range(n))' -- \
    "$metron" timeit --quiet --lang python -s 'n = 10500' 'sum(range(n))'

echo
# Beside metron's counts, the best any test could do on this machine's noise
# at the time: the A/A changes show how much two runs of identical code
# differ (sd), the A/B changes how large the slowdown measured. A test that
# knew that sd exactly, one-sided at 5% (laxer than metron's two-sided test),
# would call the slowdown in Phi(change/sd - 1.645) of tries, and with the
# whole interval beyond the 1% noise floor in Phi((change - 1%)/sd - 1.645).
python3 - "$out" "$tries" <<'PY'
import re, statistics, sys
from statistics import NormalDist
out, tries = sys.argv[1], int(sys.argv[2])
phi = NormalDist().cdf
for kind in ["command", "bench", "python"]:
    text = open(f"{out}/{kind}.txt").read()
    def changes(which):
        return [float(x) for x in re.findall(which + r" \S+\s+([+-][0-9.]+)%", text)]
    aa, ab = changes("A/A"), changes("A/B")
    same = text.count("A/A unchanged")
    slower = text.count("A/B regressed")
    print(f"{kind:<8} identical code unchanged in {same:2d} of {tries}; 5% slowdown regressed in {slower:2d} of {tries}")
    if len(aa) >= 3 and ab:
        sd, change = statistics.stdev(aa), statistics.mean(ab)
        best = phi(change / sd - 1.645) if sd > 0 else 1.0
        floored = phi((change - 1.0) / sd - 1.645) if sd > 0 else 1.0
        print(f"         two runs of identical code differ by sd {sd:.2f}%; the slowdown measured {change:+.2f}%:"
              f" a test knowing that sd would call it in {best * 100:.0f}% of tries"
              f" ({floored * 100:.0f}% with the 1% noise floor)")
PY

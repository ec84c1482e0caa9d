#!/usr/bin/env bash
# metron next to hyperfine on the same commands, in one run (a benchmark,
# not a timed test). For each command, TRIES rounds (default 5), the two
# tools taking turns to go first; per tool it prints the median of the
# per-round medians and the median time the tool took to answer, then
# metron / hyperfine. Both run commands directly (hyperfine -N, metron's
# --shell auto, which runs a command without shell syntax directly), so they
# time the same thing. Last, the pair 'sleep 0.010' vs 'sleep 0.011' as each
# tool states it: hyperfine's ratio ± its propagated standard deviation,
# metron's ratio with a 95% CI and p-value. Then the loop itself: 1000
# runs of `true` under each tool (metron --runs 1000 --warmup 0 and
# hyperfine -N --runs 1000, which warms up with nothing by default: the
# same work), LOOPS alternations (default 3), the median wall time of each.
#
#   scripts/compare-hyperfine.sh [TRIES] [LOOPS]
#
# Needs hyperfine (Debian: apt-get install hyperfine). On a shared machine
# quote the ratios, not single times.
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-5}"
loops="${2:-3}"
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }
cargo build --release -q -p metron-cli
metron="$(pwd)/${CARGO_TARGET_DIR:-target}/release/metron"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

commands=(
    'true'
    'sleep 0.01'
    'sh -c "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"'
)

# Prints "<median ns> <seconds taken>" for one tool and one command.
run_tool() {
    local tool="$1" cmd="$2" json="$out/$1.json" start end
    start=$(date +%s%N)
    case "$tool" in
        metron) "$metron" -q --export-json "$json" "$cmd" >/dev/null ;;
        hyperfine) hyperfine -N --style none --export-json "$json" "$cmd" >/dev/null 2>&1 ;;
    esac
    end=$(date +%s%N)
    python3 - "$tool" "$json" "$(((end - start) / 1000000))" <<'PY'
import json, sys
tool, path, ms = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = json.load(open(path))
median = r["benchmarks"][0]["wall"]["median"] if tool == "metron" else r["results"][0]["median"] * 1e9
print(f"{median:.1f} {ms / 1000:.2f}")
PY
}

summarise() {
    python3 - "$@" <<'PY'
import statistics as st, sys
cmd, m, h = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
med = lambda xs: st.median(float(x) for x in xs)
mt, mtime = med(m[0::2]), med(m[1::2])
ht, htime = med(h[0::2]), med(h[1::2])
def t(ns):
    for unit, f in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= f:
            return f"{ns / f:.4g} {unit}"
    return f"{ns:.4g} ns"
print(f"{cmd[:44]:<44}  {t(mt):>11}  {t(ht):>11}  {mt / ht:>6.3f}  {mtime:>6.2f} s  {htime:>6.2f} s")
PY
}

echo "metron vs hyperfine -N, $tries rounds each, $(nproc) cores"
printf '%-44s  %11s  %11s  %6s  %8s  %8s\n' "command" "metron" "hyperfine" "ratio" "metron" "hyperf."
printf '%-44s  %11s  %11s  %6s  %8s  %8s\n' "" "median" "median" "m/h" "answer" "answer"
for cmd in "${commands[@]}"; do
    m=() h=()
    for i in $(seq 1 "$tries"); do
        if ((i % 2)); then
            m+=($(run_tool metron "$cmd")) h+=($(run_tool hyperfine "$cmd"))
        else
            h+=($(run_tool hyperfine "$cmd")) m+=($(run_tool metron "$cmd"))
        fi
    done
    summarise "$cmd" "${m[*]}" "${h[*]}"
done

echo
echo "== 'sleep 0.010' vs 'sleep 0.011', as each tool says it"
hyperfine -N --style none --export-json "$out/pair-h.json" 'sleep 0.010' 'sleep 0.011' >/dev/null 2>&1
python3 - "$out/pair-h.json" <<'PY'
import json, math, sys
a, b = json.load(open(sys.argv[1]))["results"]
ratio = b["mean"] / a["mean"]
sd = ratio * math.sqrt((a["stddev"] / a["mean"]) ** 2 + (b["stddev"] / b["mean"]) ** 2)
print(f"hyperfine: 'sleep 0.010' ran {ratio:.2f} ± {sd:.2f} times faster than 'sleep 0.011' ({len(a['times'])} + {len(b['times'])} runs)")
PY
printf 'metron:    %s\n' "$("$metron" -q 'sleep 0.010' 'sleep 0.011' | grep "faster than\|no significant\|no difference")"

echo
echo "== 1000 runs of 'true', $loops alternations, median wall time of the whole tool"
# Wall time of one command in seconds, to the millisecond.
wall() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo "$(((end - start) / 1000000))"
}
mw=() hw=() md=()
for i in $(seq 1 "$loops"); do
    if ((i % 2)); then
        mw+=($(wall "$metron" -q --runs 1000 --warmup 0 true)) hw+=($(wall hyperfine -N --runs 1000 --style none true))
    else
        hw+=($(wall hyperfine -N --runs 1000 --style none true)) mw+=($(wall "$metron" -q --runs 1000 --warmup 0 true))
    fi
    md+=($(wall "$metron" -q --runs 1000 true))
done
python3 - "${mw[*]}" "${hw[*]}" "${md[*]}" <<'PY'
import statistics as st, sys
m, h, d = ([int(x) / 1000 for x in a.split()] for a in sys.argv[1:4])
print(f"metron --runs 1000 --warmup 0   {st.median(m):.3f} s   (runs: {', '.join(f'{x:.3f}' for x in m)})")
print(f"hyperfine -N --runs 1000        {st.median(h):.3f} s   (runs: {', '.join(f'{x:.3f}' for x in h)})")
print(f"metron / hyperfine              {st.median(m) / st.median(h):.3f}")
print(f"metron --runs 1000 (its default warm-up of 100 ms and one run before measuring): {st.median(d):.3f} s")
PY

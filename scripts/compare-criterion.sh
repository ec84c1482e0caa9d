#!/usr/bin/env bash
# metron's in-process harness beside criterion, on the same functions
# (harness/core/benches/common/mod.rs), in one run: an empty closure and a
# ~100 ns xorshift chain. Each tool runs ROUNDS times, alternating, and the
# medians of the per-round figures are compared. Also prints how long each
# tool took to answer.
#
# On a 2-vCPU VM whose vCPUs share a physical core, anything running on the
# other vCPU slows ALU-bound loops by up to 2× while it runs; run this on an
# otherwise idle machine, and read the medians, not single rounds.
#
#   scripts/compare-criterion.sh [ROUNDS]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "building benches (release)..." >&2
cargo bench -p metron --bench closures --bench criterion_closures --no-run --quiet 2>/dev/null

for i in $(seq 1 "$rounds"); do
    echo "round $i/$rounds: metron" >&2
    start=$EPOCHREALTIME
    cargo bench -q -p metron --bench closures -- --export-json "$out/metron-$i.json" "empty closure" >/dev/null
    cargo bench -q -p metron --bench closures -- --export-json "$out/metron-chain-$i.json" "xorshift_chain(64)" >/dev/null
    echo "$start $EPOCHREALTIME" >"$out/metron-time-$i"
    echo "round $i/$rounds: criterion" >&2
    start=$EPOCHREALTIME
    cargo bench -q -p metron --bench criterion_closures >/dev/null 2>&1
    echo "$start $EPOCHREALTIME" >"$out/criterion-time-$i"
    for name in "empty closure" "xorshift_chain(64)"; do
        cp "${CARGO_TARGET_DIR:-target}/criterion/$name/new/estimates.json" "$out/criterion-$i-${name//[^a-z0-9]/_}.json"
    done
done

python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def metron(name, i):
    f = f"{out}/metron-{i}.json" if name == "empty closure" else f"{out}/metron-chain-{i}.json"
    r = json.load(open(f))
    (b,) = [b for b in r["benchmarks"] if b["name"] == name]
    return b["wall"]["median"]
def criterion(name, i, key):
    safe = "".join(c if c.isalnum() and c.islower() or c.isdigit() else "_" for c in name)
    e = json.load(open(f"{out}/criterion-{i}-{safe}.json"))
    return (e.get(key) or e["median"])["point_estimate"]
med = statistics.median
print(f"{'benchmark':<22} {'metron median':>14} {'criterion slope':>16} {'criterion median':>17} {'metron/criterion':>17}")
for name in ["empty closure", "xorshift_chain(64)"]:
    m = med([metron(name, i) for i in range(1, rounds + 1)])
    cs = med([criterion(name, i, "slope") for i in range(1, rounds + 1)])
    cm = med([criterion(name, i, "median") for i in range(1, rounds + 1)])
    print(f"{name:<22} {m:>11.3f} ns {cs:>13.3f} ns {cm:>14.3f} ns {m / cs:>16.3f}x")
def took(tool, i):
    start, end = map(float, open(f"{out}/{tool}-time-{i}").read().split())
    return end - start
mt = med([took("metron", i) for i in range(1, rounds + 1)])
ct = med([took("criterion", i) for i in range(1, rounds + 1)])
print(f"time to answer (both benchmarks, median of {rounds}): metron {mt:.1f} s, criterion {ct:.1f} s")
PY

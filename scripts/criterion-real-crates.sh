#!/usr/bin/env bash
# A published crate's criterion bench, unchanged, under real criterion and
# under metron-criterion (the one Cargo.toml line switched): how long each
# takes to answer, and each tool's median time and throughput for every
# benchmark, side by side. The benches are those of
# harness/criterion/tests/real_crates/ (adler2, base64, bytecount, itertools).
#
# Timings mean something only on an otherwise idle machine.
#
#   scripts/criterion-real-crates.sh [CRATE] [FILTER]   (default: adler2, every benchmark)
#
# e.g. scripts/criterion-real-crates.sh base64 small_input
set -euo pipefail
cd "$(dirname "$0")/.."
crate="${1:-adler2}"
filter="${2:-}"
root="$PWD"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
target="$root/target/criterion-real-crates"

for tool in metron criterion; do
    mkdir -p "$work/$tool"
    cp -r "harness/criterion/tests/real_crates/$crate/." "$work/$tool/"
    cp Cargo.lock "$work/$tool/"
done
sed -i "s|path = \"../../..\"|path = \"$root/harness/criterion\"|" "$work/metron/Cargo.toml"
# The line a project had before switching: criterion itself.
sed -i 's|^criterion = .*|criterion = { version = "0.8", default-features = false }|' "$work/criterion/Cargo.toml"

for tool in metron criterion; do
    echo "building $crate's bench with $tool..." >&2
    (cd "$work/$tool" && cargo bench -q --target-dir "$target-$tool" --no-run 2>/dev/null)
done

echo "running with metron-criterion..." >&2
start=$EPOCHREALTIME
(cd "$work/metron" && cargo bench -q --target-dir "$target-metron" -- --export-json "$work/metron.json" $filter >/dev/null)
metron_s=$(python3 -c "print($EPOCHREALTIME - $start)")

echo "running with criterion..." >&2
# criterion writes its estimates below CRITERION_HOME (not below --target-dir).
export CRITERION_HOME="$work/criterion-home"
start=$EPOCHREALTIME
(cd "$work/criterion" && cargo bench -q --target-dir "$target-criterion" -- --noplot $filter >/dev/null 2>&1)
criterion_s=$(python3 -c "print($EPOCHREALTIME - $start)")

python3 - "$work/metron.json" "$CRITERION_HOME" "$metron_s" "$criterion_s" <<'PY'
import json, pathlib, sys
metron_json, criterion_dir, metron_s, criterion_s = sys.argv[1], pathlib.Path(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
run = json.load(open(metron_json))

def criterion_figures(bench_id):
    # criterion's directory for an id: its parts, with characters it cannot use in a path replaced.
    for bench in criterion_dir.rglob("new/benchmark.json"):
        meta = json.load(open(bench))
        if meta.get("full_id") == bench_id:
            est = json.load(open(bench.parent / "estimates.json"))
            return est["median"]["point_estimate"], meta.get("throughput")
    return None, None

def rate(amount, ns):
    return amount * 1e9 / ns if amount and ns else None

print(f"{'benchmark':44} {'metron median':>14} {'criterion median':>17} {'metron thrpt/s':>15} {'criterion thrpt/s':>18}")
for b in run["benchmarks"]:
    bid = f"{b['group']}/{b['name']}" if b.get("group") else b["name"]
    m_ns = b["wall"]["median"]
    c_ns, c_thrpt = criterion_figures(bid)
    m_rate = b["throughput"][0]["median_per_s"] if b.get("throughput") else None
    c_rate = rate(next(iter(c_thrpt.values())), c_ns) if c_thrpt and c_ns else None
    fmt = lambda x, f: f(x) if x is not None else "—"
    print(f"{bid[:44]:44} {fmt(m_ns, lambda x: f'{x:.1f} ns'):>14} {fmt(c_ns, lambda x: f'{x:.1f} ns'):>17}"
          f" {fmt(m_rate, lambda x: f'{x:.4g}'):>15} {fmt(c_rate, lambda x: f'{x:.4g}'):>18}")
print(f"\ntime to answer: metron-criterion {metron_s:.1f} s, criterion {criterion_s:.1f} s"
      f" ({criterion_s / metron_s:.1f}× as long)")
PY

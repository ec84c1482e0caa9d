# Sourced by the run-to-run measurement scripts (run-to-run.sh,
# between-process.sh): reads `[COUNT] [--noisy]` into $count and $noisy,
# makes a scratch directory $out (removed on exit), builds the release
# `metron` ($metron) and the `run_to_run` bench binary ($bench), and with
# `--noisy` starts scripts/noisy-neighbour.py beside the measurement for the
# whole run (numpy is installed with pip when missing). Every run starts
# with an empty memory of earlier runs in $out/memory.
count=20
noisy=0
for a in "$@"; do
    case "$a" in
        --noisy) noisy=1 ;;
        *) count="$a" ;;
    esac
done
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# The memory of earlier runs (metron::run_memory) starts empty: the first
# runs of each benchmark have none, as on a fresh machine.
export METRON_RUN_MEMORY="$out/memory"
cargo build --release -q -p metron-cli
cargo bench -q -p metron --bench run_to_run --no-run 2>/dev/null
metron="${CARGO_TARGET_DIR:-target}/release/metron"
bench="$(ls -t "${CARGO_TARGET_DIR:-target}"/release/deps/run_to_run-* | grep -v '\.d$' | head -1)"
if [ "$noisy" = 1 ]; then
    python3 -c 'import numpy' 2>/dev/null || python3 -m pip install -q numpy >&2
    python3 "$(dirname "${BASH_SOURCE[0]}")/noisy-neighbour.py" 1 &
    neighbour=$!
    trap 'kill "$neighbour" 2>/dev/null; wait "$neighbour" 2>/dev/null; rm -rf "$out"' EXIT
    echo "bursty neighbour running (pid $neighbour)" >&2
fi

# Sourced by the suite measurement scripts (bench-suite.sh,
# suite-user-speedups.sh). `suite_args NAME "$@"` reads their arguments,
# `[OUT_DIR] [-- extra metron suite flags]`: it sets $out (default
# ${TMPDIR:-/tmp}/NAME, created) and the array $extra, and builds the
# release metron into $metron.
suite_args() {
    local name="$1"
    shift
    out="${TMPDIR:-/tmp}/$name"
    if [[ $# -gt 0 && "$1" != "--" ]]; then
        out="$1"
        shift
    fi
    [[ "${1:-}" == "--" ]] && shift
    extra=("$@")
    mkdir -p "$out"
    cargo build --release --quiet -p metron-cli
    metron="${CARGO_TARGET_DIR:-target}/release/metron"
}

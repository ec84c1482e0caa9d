#!/usr/bin/env bash
# The test command (README, .ci/run): formatting, lints, docs, then every
# test of the workspace. Tests use real components: Debian's `chromium`
# (HTML reports, the history dashboard), `openssh-server` and
# `openssh-client` (remote runs), `python3` (snippets, the Python suite, the
# history's integrity checks), `hyperfine` (its exports, imported),
# `python3-numpy` (hyperfine's scripts read metron's exports), `valgrind`
# (instruction counts) and `postgresql` (the history's PostgreSQL backend,
# against a server the tests start). What is missing is installed first
# with apt-get (as root, or through sudo), so a fresh machine needs nothing
# but a Rust toolchain; without a way to install, the tests that need a
# component fail with a message naming it.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    if command -v apt-get >/dev/null 2>&1; then
        echo "installing: ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        "${sudo[@]}" apt-get update -qq
        "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "missing and not installable here (no apt-get): ${missing[*]}" >&2
    fi
fi
# Debian's python3-numpy serves Debian's python3 only: a `python3` of its own
# (pyenv, a virtualenv) first on PATH gets numpy from PyPI instead.
if ! python3 -c 'import numpy' 2>/dev/null; then
    echo "installing numpy for $(command -v python3) with pip" >&2
    python3 -m pip install -q numpy >&2 || echo "numpy could not be installed for $(command -v python3)" >&2
fi

step() { printf '\n==> %s\n' "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "cargo test"
cargo test --workspace --locked
# The README's Rust user-function bench, once per benchmark (its process
# variants re-run the bench binary as their workers).
cargo test -p metron-suites --bench user_function --locked

step "all tests passed"

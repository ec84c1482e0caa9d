#!/usr/bin/env bash
# The test command (README, .ci/run): formatting, lints, docs, then every
# test of the workspace. Tests that need real components expect them on the
# machine: Debian's `chromium` (HTML reports) and `openssh-server` (remote
# runs); .ci/run installs them, and the tests fail with a clear message when
# they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "cargo test"
cargo test --workspace --locked

step "all tests passed"

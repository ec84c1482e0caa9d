#!/bin/sh
# Mutation fuzzing of metron's report JSON beyond the 300 mutants CI runs:
# real reports written by the real binary, mutated (deleted keys, wrong
# types, huge and non-finite numbers, huge arrays, deep nesting, duplicated
# keys, swapped sample columns, changed samples, forged summaries), then given
# to `metron compare` and `metron report` and the Markdown export. Fails on a
# panic, an abort, a hang, a refusal longer than one line, or an accepted
# file whose figures disagree with its samples; failing mutants are kept in
# target/tmp/fuzz-reports/.
#
# Usage: scripts/fuzz-reports.sh [SEED] [COUNT]     (defaults: 16 and 3000)
#   METRON_FUZZ_BIN=/path/to/metron scripts/fuzz-reports.sh 16 300
#     fuzzes another build of metron with the same mutants.
set -eu
cd "$(dirname "$0")/.."
METRON_FUZZ_SEED="${1:-16}" METRON_FUZZ_COUNT="${2:-3000}" \
    cargo test -p metron-cli --test fuzz_reports -- --nocapture

//! Benches for `--clock instructions` (see `common/counts.rs`).
//!
//! `cargo bench -p metron --bench counts -- --clock instructions` counts
//! them, with hardware counters or under Valgrind (one process per
//! benchmark).

#[path = "common/counts.rs"]
mod groups;

metron::main!(groups::one_percent, groups::same, groups::setup_excluded);

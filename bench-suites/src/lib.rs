//! metron-suites: the same workloads as sequential, thread, process,
//! thread-pool and process-pool variants, measured by metron.
//!
//! This crate answers the classic question of parallel programming — threads,
//! processes or a pool, and when does each pay off? — with measurements.
//! Every workload is split into the same tasks for every variant, every
//! variant must compute the same checksum (a variant that computes a
//! different answer is a failed run, not a fast one), and every measurement
//! goes through the harness core: the same sampler, wall and CPU clocks,
//! children's CPU included.
//!
//! * [`workload`]: what is computed — `cpu`, `io`, `mixed`, `transfer` —
//!   as deterministic tasks with a checksum.
//! * [`variant`]: how the tasks are run — the [`Variant`] trait and one
//!   module per implementation.
//! * [`worker`]: the worker processes of the process variants (the same
//!   binary re-executed with [`WORKER_ARG`]), both sides of the pipe;
//!   [`wire`]: the frames they exchange.
//! * [`variant_routine`]: a variant and a workload as a metron [`Routine`](metron::Routine);
//!   [`spawn`]: the cost of starting one thread vs one process.
//! * [`python_suite`]: the same suite in CPython, through metron's driver protocol.
//! * [`user`]: the user's own workload — a Python `FILE.py:FUNC` over items,
//!   a shell command over items — under the same variants and checks.
//! * [`available`]: how much parallelism the machine really gave each group.
//! * [`plan`]: which benchmarks a suite run consists of, and their sizes.
//! * [`figures`]: speedup, efficiency, utilisation, serial fraction and spawn
//!   cost from the results; [`conclusions`]: what they say, in words;
//!   [`recommendation`]: the short verdict, a paragraph per workload;
//!   [`extension`]: all of them, and tables of them, as the suite's section of the
//!   run report; [`group_lines`]: each finished group as lines for the terminal.
#![deny(missing_docs)]

pub mod available;
pub mod conclusions;
pub mod error;
pub mod extension;
pub mod figures;
pub mod group_lines;
pub mod plan;
pub mod python_suite;
pub mod recommendation;
pub mod spawn;
pub mod user;
pub mod variant;
pub mod variant_routine;
pub mod wire;
pub mod worker;
pub mod workload;

#[cfg(test)]
mod test_support;

pub use error::{Error, Result};
pub use plan::{Lang, Scale, SuitePlan};
pub use variant::{Variant, VariantKind};
pub use worker::{worker_main, WorkerCommand, WORKER_ARG};
pub use workload::{Job, WorkloadKind, WorkloadSpec};

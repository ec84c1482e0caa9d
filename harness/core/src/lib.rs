//! metron: a statistical benchmark harness.
//!
//! One engine behind three ways in: external commands (what hyperfine does),
//! timeit-style snippets (what Python's `timeit` does) and in-process Rust
//! closures (what criterion does). This crate is that engine; it knows nothing
//! of command-line parsing, HTML or SSH.
//!
//! The data flows in one direction:
//!
//! ```text
//! Routine --(n iterations)--> Measurement --> Sampler --> samples
//!     --> analysis (stats) --> BenchmarkResult --> compare --> RunRecord (JSON)
//! ```
//!
//! * [`clock`]: wall, process-CPU and thread-CPU clocks, chosen per platform,
//!   with their resolution and read cost measured at start-up.
//! * [`counter`]: instructions and (estimated) cycles from hardware counters or Valgrind.
//! * [`routine`]: the one trait every kind of benchmark implements, with the
//!   closure and command implementations.
//! * [`sampler`]: warm-up, automatic iteration counts, the stopping rule.
//! * [`runner`]: drives several benchmarks, interleaved or one after another.
//! * [`analysis`]: samples to a result.
//! * [`stats`]: estimators, confidence intervals and significance tests.
//! * [`compare`](mod@compare): paired comparisons within a run, changes against a baseline;
//!   [`conclusion`]: the end of a run (compare, gate, save, exit status) for every front end;
//!   [`baseline`]: where baselines are saved.
//! * [`import`]: hyperfine's and criterion's result files as runs.
//! * [`model`]: the JSON result model; [`environment`]: where a run happened;
//!   [`merge`]: runs of several hosts as one report.
//! * [`timer`] and [`bench`](mod@bench): the Rust API for `cargo bench`.
//! * [`throughput`]: bytes/s and elements/s from a declared amount per iteration.
//! * [`fingerprint`]: FNV-1a, the stable hash behind metron's names on disk.
//! * [`format`](mod@format), [`terminal`], [`time`], [`options`]: how figures are written, what
//!   a terminal shows, and how option
//!   values are spelled, shared by every front end.
#![deny(missing_docs)]

pub mod analysis;
pub mod atomic;
pub mod baseline;
pub mod bench;
pub mod clock;
pub mod compare;
pub mod conclusion;
pub mod counter;
pub mod environment;
pub mod error;
pub mod explain;
pub mod fingerprint;
pub mod format;
pub mod import;
pub mod input;
pub mod interrupt;
pub mod merge;
pub mod model;
pub mod noise;
pub mod options;
pub mod pin;
pub mod routine;
pub mod run_memory;
pub mod runner;
pub mod sampler;
pub mod stats;
pub mod terminal;
pub mod throughput;
pub mod time;
pub mod timer;

pub use analysis::BenchmarkMeta;
pub use compare::compare;
pub use error::{Error, Result};
pub use model::{BenchmarkResult, RunRecord};
pub use routine::{black_box, BatchSize, Bencher, Routine};
pub use runner::{Benchmark, Order, RunConfig, Runner};
pub use sampler::SamplerConfig;
pub use time::Nanos;

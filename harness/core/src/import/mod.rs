//! Peers' result files as metron runs: hyperfine's `--export-json` and
//! criterion's `target/criterion` directory become [`RunRecord`]s that
//! `metron report` renders and `metron compare` compares, so a team can put
//! results measured before it switched beside new ones.
//!
//! Every imported sample is one the peer measured; nothing is invented. The
//! statistics are metron's own, recomputed from those samples by
//! [`analysis::analyse`] (the peers' own summaries are kept under
//! `extensions["import"]`, so nothing the file said is lost). A run holds no
//! environment the peer did not record: the machine fields stay empty.
//!
//! * [`hyperfine`]: hyperfine's JSON schema, read here and written by
//!   `metron-report`'s hyperfine exporter from the same types.
//! * [`criterion`]: criterion's `new/sample.json`, `benchmark.json` and
//!   `estimates.json` under a `target/criterion` directory.

pub mod criterion;
pub mod hyperfine;

use std::path::{Path, PathBuf};

use crate::analysis::{self, AnalysisContext, BenchmarkMeta};
use crate::model::{BenchmarkResult, ClockKind, Environment, RoutineKind, RunRecord, Sample, Settings};

/// Why a peer's file could not be imported: one line naming the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file or directory could not be read.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not what the peer writes.
    #[error("{}: not {format} ({detail})", .path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What it should have been (`a hyperfine JSON export`).
        format: &'static str,
        /// What is wrong, e.g. serde_json's description with line and column.
        detail: String,
    },
    /// Nothing to import (a directory without benchmarks, no files).
    #[error("{}: {detail}", .path.display())]
    Empty {
        /// Where the benchmarks were looked for.
        path: PathBuf,
        /// What was missing.
        detail: String,
    },
}

/// Reads a file, naming it in the error.
fn read(path: &Path) -> Result<String, ImportError> {
    crate::input::read_to_string(path).map_err(|source| ImportError::Io { path: path.to_path_buf(), source })
}

/// One imported benchmark: what it is, how it ran, its samples.
struct Imported {
    meta: BenchmarkMeta,
    kind: RoutineKind,
    samples: Vec<Sample>,
}

/// The run the imported benchmarks make: statistics recomputed by
/// [`analysis::analyse`] (seed 0, so an import is reproducible), settings
/// that say what the peer did (a fixed number of samples, one after
/// another), and the `peer` tool named in the environment.
fn record(peer: &str, command_line: Vec<String>, benches: Vec<Imported>) -> RunRecord {
    let samples = benches.iter().map(|b| b.samples.len());
    let (min, max) = (samples.clone().min().unwrap_or(0), samples.max().unwrap_or(0));
    let settings = Settings {
        clock: ClockKind::Wall,
        precision: 0.0,
        time_budget_s: 0.0,
        min_samples: min,
        max_samples: max,
        interleaved: false,
        seed: 0,
        // The peers take one sequence of samples; comparisons across runs
        // split it into blocks (see `compare::change_with_history`).
        replicates: 1,
    };
    let environment = Environment {
        metron_version: env!("CARGO_PKG_VERSION").to_string(),
        tools: [(peer.to_string(), "imported".to_string())].into(),
        ..Environment::default()
    };
    let mut run = RunRecord::new(command_line, environment, settings);
    run.benchmarks = benches.into_iter().filter_map(analyse).collect();
    run
}

fn analyse(b: Imported) -> Option<BenchmarkResult> {
    analysis::analyse(&b.meta, b.samples, AnalysisContext::fixed_runs(b.kind, 0))
}

/// Checks a sample's time as the peer wrote it: positive, finite and at
/// most a year, what [`RunRecord::from_json`] accepts when the run is read
/// back (a zero time would make an infinite ratio in a comparison).
fn check_ns(ns: f64, path: &Path, format: &'static str, what: &str) -> Result<f64, ImportError> {
    let longest = crate::options::MAX_DURATION.as_nanos() as f64;
    if ns.is_finite() && ns > 0.0 && ns <= longest {
        Ok(ns)
    } else {
        Err(ImportError::Format { path: path.to_path_buf(), format, detail: format!("{what} is {ns} ns") })
    }
}

/// When the file was last written (RFC 3339, UTC): the nearest the file
/// comes to saying when it was measured. Empty when the OS cannot tell.
fn modified(path: &Path) -> String {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_default()
}

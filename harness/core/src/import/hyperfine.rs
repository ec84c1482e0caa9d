//! hyperfine's JSON export, the one definition of its schema in metron:
//! read here ([`import`]) and written from the same types by
//! `metron-report`'s hyperfine exporter ([`HyperfineResult::from_result`]).
//!
//! The schema is hyperfine's `src/export/json.rs` and
//! `src/benchmark/benchmark_result.rs` (1.x): `{"results": [...]}`, one
//! object per command with `command`, `mean`, `stddev` (null for one run),
//! `median`, `user`, `system`, `min`, `max`, `times`, `exit_codes`,
//! `parameters` (left out when empty) and, since 1.17, `memory_usage_byte`
//! (peak RSS of each run). Every time is in seconds; `user` and `system` are
//! means over the runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{check_ns, modified, read, record, ImportError, Imported};
use crate::analysis::BenchmarkMeta;
use crate::model::{BenchmarkResult, RoutineKind, RunRecord, Sample};

/// What the errors call a file of this format.
const FORMAT: &str = "a hyperfine JSON export";

/// A hyperfine JSON file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HyperfineExport {
    /// One entry per benchmarked command (and parameter value).
    pub results: Vec<HyperfineResult>,
}

/// One command's results, as hyperfine writes them (seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HyperfineResult {
    /// The command, or its `--command-name` when it was given one.
    pub command: String,
    /// Mean wall time of a run.
    pub mean: f64,
    /// Standard deviation of the wall times; `None` (null) for one run.
    pub stddev: Option<f64>,
    /// Median wall time.
    pub median: f64,
    /// Mean user-mode CPU time of a run. metron writes null where it does
    /// not know it (closures and snippets split no user and system time).
    pub user: Option<f64>,
    /// Mean kernel-mode CPU time of a run (null where unknown, as `user`).
    pub system: Option<f64>,
    /// Fastest run.
    pub min: f64,
    /// Slowest run.
    pub max: f64,
    /// Every run's wall time, in the order taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<Vec<f64>>,
    /// Every run's peak resident set size, in bytes (hyperfine 1.17+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_usage_byte: Option<Vec<u64>>,
    /// Every run's exit code; null for a run killed by a signal, or (in
    /// metron's exports) one whose code was not kept.
    #[serde(default)]
    pub exit_codes: Vec<Option<i32>>,
    /// Parameter values (`-P`, `-L`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
}

/// How the runs of a result ended, as far as the run record tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCodes {
    /// Every kept run exited with 0: a failing run stops its benchmark.
    AllZero,
    /// Failing runs were timed too (`--ignore-failure`): codes unknown.
    Unknown,
}

impl HyperfineResult {
    /// A metron benchmark in hyperfine's terms: per-iteration wall times
    /// (a command's sample is one run; a statement's sample is divided by
    /// its loops), their mean, standard deviation, median, min and max as
    /// metron computed them, user and system time means where the samples
    /// split them, peak RSS where every sample has it. The `command` is the
    /// benchmark's id, as hyperfine writes a `--command-name`.
    pub fn from_result(b: &BenchmarkResult, exits: ExitCodes) -> HyperfineResult {
        let secs = |ns: f64| ns / 1e9;
        let split = crate::analysis::user_system_means(&b.samples);
        let code = match exits {
            ExitCodes::AllZero => Some(0),
            ExitCodes::Unknown => None,
        };
        let w = &b.wall;
        HyperfineResult {
            command: b.id(),
            mean: secs(w.mean),
            stddev: (w.n > 1).then(|| secs(w.std_dev)),
            median: secs(w.median),
            user: split.map(|(user, _)| secs(user)),
            system: split.map(|(_, system)| secs(system)),
            min: secs(w.min),
            max: secs(w.max),
            times: Some(b.samples.iter().map(|s| secs(s.wall_per_iter())).collect()),
            memory_usage_byte: b.samples.iter().map(|s| s.max_rss_kib.map(|k| k * 1024)).collect(),
            exit_codes: vec![code; b.samples.len()],
            parameters: b.parameters.clone(),
        }
    }
}

/// Reads hyperfine JSON exports into one run, every command a benchmark
/// whose samples are its runs (`times`, with `memory_usage_byte` as peak
/// RSS). hyperfine's own summaries (mean, user, system…) are kept under
/// `extensions["import"]`: the per-run user and system times they average
/// are not in the file.
///
/// # Errors
/// [`ImportError`] naming the file: unreadable, not hyperfine's schema, a
/// result without times or with a time no run can take, the same command
/// in two files, or no results at all.
pub fn import(paths: &[PathBuf]) -> Result<RunRecord, ImportError> {
    let mut benches: Vec<Imported> = Vec::new();
    let mut summaries = serde_json::Map::new();
    for path in paths {
        let export = parse(path)?;
        for result in export.results {
            if benches.iter().any(|b| b.meta.name == result.command) {
                let detail = format!("'{}' is in an earlier file too; import the files separately", result.command);
                return Err(ImportError::Format { path: path.clone(), format: FORMAT, detail });
            }
            benches.push(benchmark(&result, path)?);
            summaries.insert(result.command.clone(), summary_of(&result));
        }
    }
    let Some(first) = paths.first() else {
        return Err(ImportError::Empty { path: PathBuf::from("."), detail: "no hyperfine files given".into() });
    };
    if benches.is_empty() {
        return Err(ImportError::Empty { path: first.clone(), detail: "no results to import".into() });
    }
    let command_line = ["metron", "import", "hyperfine"].into_iter().map(String::from);
    let command_line = command_line.chain(paths.iter().map(|p| p.display().to_string())).collect();
    let mut run = record("hyperfine", command_line, benches);
    run.environment.started_at = modified(first);
    let files: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    run.extensions
        .insert("import".into(), serde_json::json!({ "peer": "hyperfine", "files": files, "summaries": summaries }));
    Ok(run)
}

/// The file as hyperfine's schema, or one line saying why not.
fn parse(path: &Path) -> Result<HyperfineExport, ImportError> {
    let text = read(path)?;
    serde_json::from_str(&text).map_err(|e| ImportError::Format {
        path: path.to_path_buf(),
        format: FORMAT,
        detail: e.to_string(),
    })
}

/// One command as a benchmark: each run a sample of one iteration.
fn benchmark(result: &HyperfineResult, path: &Path) -> Result<Imported, ImportError> {
    let times = result.times.as_deref().unwrap_or_default();
    if times.is_empty() {
        let detail = format!("'{}' has no times (per-run wall times) to import", result.command);
        return Err(ImportError::Format { path: path.to_path_buf(), format: FORMAT, detail });
    }
    let mut samples = Vec::with_capacity(times.len());
    let mut at_ns = 0.0;
    for (i, t) in times.iter().enumerate() {
        let what = format!("'{}', run {}", result.command, i + 1);
        let mut s = Sample::timed(1, check_ns(t * 1e9, path, FORMAT, &what)?, at_ns as u64);
        s.max_rss_kib = result.memory_usage_byte.as_ref().and_then(|m| m.get(i)).map(|b| b / 1024);
        at_ns += s.wall_ns;
        samples.push(s);
    }
    let meta = BenchmarkMeta {
        name: result.command.clone(),
        group: None,
        parameters: result.parameters.clone(),
        command: Some(result.command.clone()),
        setup: None,
    };
    Ok(Imported { meta, kind: RoutineKind::Command, samples })
}

/// hyperfine's own figures for a command, kept beside the recomputed ones.
fn summary_of(r: &HyperfineResult) -> serde_json::Value {
    serde_json::json!({
        "mean_s": r.mean, "stddev_s": r.stddev, "median_s": r.median, "user_s": r.user,
        "system_s": r.system, "min_s": r.min, "max_s": r.max, "exit_codes": r.exit_codes,
    })
}

//! criterion's results directory (`target/criterion`): every benchmark's
//! latest run is a `new/` directory with `benchmark.json` (its id and
//! throughput), `sample.json` (iterations and total time of each sample, in
//! ns) and `estimates.json` (criterion's own point estimates). The layout
//! and fields are criterion 0.3–0.8's (`src/report.rs` `BenchmarkId`,
//! `src/lib.rs` `SavedSample`, `src/estimate.rs` `Estimates`).
//!
//! Ids map as the names criterion prints: `bench_function("f")` is the
//! benchmark `f`; in a group `g`, `bench_function("f")` is `g/f` and
//! `bench_with_input(BenchmarkId::new("f", 10))` is `g/f/10`, with the
//! parameters `function = f` and `input = 10` so that scaling charts can
//! draw one line per function (`BenchmarkId::from_parameter(10)`: `g/10`,
//! `input = 10`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{check_ns, modified, read, record, ImportError, Imported};
use crate::analysis::BenchmarkMeta;
use crate::model::{RoutineKind, RunRecord, Sample};

/// What the errors call the files of this format.
const FORMAT: &str = "a criterion results file";

/// `benchmark.json`: the benchmark's id.
#[derive(Debug, Deserialize)]
struct CriterionId {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
    #[serde(default)]
    throughput: Option<serde_json::Value>,
}

/// `sample.json`: one entry per sample.
#[derive(Debug, Deserialize)]
struct SavedSample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// Reads every benchmark under `dir` (a `target/criterion` directory, or
/// any directory inside it) into one run, in the order of their paths.
/// criterion's estimates and throughput are kept under
/// `extensions["import"]`, keyed by benchmark id.
///
/// # Errors
/// [`ImportError`] naming the file: a directory that cannot be read, a
/// `new/` directory whose files are missing or not criterion's, a sample
/// with no iterations or an impossible time, or no benchmark at all.
pub fn import(dir: &Path) -> Result<RunRecord, ImportError> {
    let mut found = Vec::new();
    find_new_dirs(dir, &mut found)?;
    found.sort();
    if found.is_empty() {
        let detail = "no criterion results here (looked for */new/sample.json; run cargo bench first)".into();
        return Err(ImportError::Empty { path: dir.to_path_buf(), detail });
    }
    let mut benches = Vec::new();
    let mut summaries = serde_json::Map::new();
    for new in &found {
        let (bench, summary) = benchmark(new)?;
        summaries.insert(bench.meta.id(), summary);
        benches.push(bench);
    }
    let command_line = vec!["metron".into(), "import".into(), "criterion".into(), dir.display().to_string()];
    let mut run = record("criterion", command_line, benches);
    run.environment.started_at = found.iter().map(|d| modified(&d.join("sample.json"))).max().unwrap_or_default();
    run.extensions.insert(
        "import".into(),
        serde_json::json!({ "peer": "criterion", "files": [dir.display().to_string()], "summaries": summaries }),
    );
    Ok(run)
}

/// Every `new/` directory holding a `sample.json` under `dir`.
fn find_new_dirs(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), ImportError> {
    let io = |source| ImportError::Io { path: dir.to_path_buf(), source };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") && path.join("sample.json").is_file() {
            found.push(path);
        } else {
            find_new_dirs(&path, found)?;
        }
    }
    Ok(())
}

/// Parses one of a benchmark's files.
fn parse<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ImportError> {
    let text = read(path)?;
    serde_json::from_str(&text).map_err(|e| ImportError::Format {
        path: path.to_path_buf(),
        format: FORMAT,
        detail: e.to_string(),
    })
}

/// The benchmark of one `new/` directory, and criterion's own summary of it.
fn benchmark(new: &Path) -> Result<(Imported, serde_json::Value), ImportError> {
    let id: CriterionId = parse(&new.join("benchmark.json"))?;
    let path = new.join("sample.json");
    let saved: SavedSample = parse(&path)?;
    let bad = |detail: String| ImportError::Format { path: path.clone(), format: FORMAT, detail };
    if saved.iters.len() != saved.times.len() || saved.iters.is_empty() {
        return Err(bad(format!("{} iteration counts for {} times", saved.iters.len(), saved.times.len())));
    }
    let meta = meta(&id);
    let mut samples = Vec::with_capacity(saved.times.len());
    let mut at_ns = 0.0;
    for (i, (&iters, &ns)) in saved.iters.iter().zip(&saved.times).enumerate() {
        let what = format!("'{}', sample {}", meta.id(), i + 1);
        if !(iters.is_finite() && iters >= 1.0 && iters.fract() == 0.0) {
            return Err(bad(format!("{what} has {iters} iterations")));
        }
        samples.push(Sample::timed(iters as u64, check_ns(ns, &path, FORMAT, &what)?, at_ns as u64));
        at_ns += ns;
    }
    let estimates: serde_json::Value = parse(&new.join("estimates.json"))?;
    let point = |name: &str| estimates.get(name).and_then(|e| e.get("point_estimate")).cloned();
    let summary = serde_json::json!({
        "mean_ns": point("mean"), "median_ns": point("median"), "slope_ns": point("slope"),
        "std_dev_ns": point("std_dev"), "throughput": id.throughput,
    });
    Ok((Imported { meta, kind: RoutineKind::Closure, samples }, summary))
}

/// The benchmark's name, group and parameters from criterion's id.
fn meta(id: &CriterionId) -> BenchmarkMeta {
    let mut meta = BenchmarkMeta::named(id.group_id.clone());
    let parts: Vec<&str> = [id.function_id.as_deref(), id.value_str.as_deref()].into_iter().flatten().collect();
    if parts.is_empty() {
        return meta;
    }
    meta.group = Some(id.group_id.clone());
    meta.name = parts.join("/");
    if let (Some(f), Some(_)) = (&id.function_id, &id.value_str) {
        meta.parameters.insert("function".into(), f.clone());
    }
    if let Some(v) = &id.value_str {
        meta.parameters.insert("input".into(), v.clone());
    }
    meta
}

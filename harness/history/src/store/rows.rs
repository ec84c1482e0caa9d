//! From a run to the rows that store it, and from rows back to what the
//! history's readers use: the same for every backend.

use metron::model::{benchmark_id, BenchmarkResult, RunRecord};
use serde::{Deserialize, Serialize};

use crate::estimate::Estimate;

/// What keys a run in the history besides its environment: the commit it
/// measured, the branch and a label. Unset fields come from the run (its
/// git commit and `--label`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunKey {
    /// The commit measured (`--commit`, else the run's git commit).
    pub commit: Option<String>,
    /// The branch (`--branch`).
    pub branch: Option<String>,
    /// A label (`--label`, else the run's).
    pub label: Option<String>,
}

/// A row of `runs`.
pub(crate) struct RunRow {
    pub commit: Option<String>,
    pub branch: Option<String>,
    pub label: Option<String>,
    pub host: String,
    pub started_at: String,
    pub added_at: String,
    pub json: String,
}

/// A row of `results`.
pub(crate) struct ResultRow {
    pub position: i64,
    pub benchmark: String,
    pub host: String,
    pub cpu_model: Option<String>,
    pub estimate: Estimate,
    pub json: String,
}

/// The rows of `record` under `key`.
pub(crate) fn rows(record: &RunRecord, key: &RunKey) -> (RunRow, Vec<ResultRow>) {
    let env = &record.environment;
    let mut bare = record.clone();
    bare.benchmarks.clear();
    let run = RunRow {
        commit: key.commit.clone().or_else(|| env.git_commit.clone()),
        branch: key.branch.clone(),
        label: key.label.clone().or_else(|| record.label.clone()),
        host: env.hostname.clone(),
        started_at: env.started_at.clone(),
        added_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        json: bare.to_json(),
    };
    let results = record.benchmarks.iter().enumerate().map(|(i, b)| result_row(record, i, b)).collect();
    (run, results)
}

fn result_row(record: &RunRecord, position: usize, b: &BenchmarkResult) -> ResultRow {
    let env = &record.environment;
    let (host, cpu_model) = match &b.host {
        Some(host) => {
            let remote = record.hosts.iter().find(|h| &h.host == host).and_then(|h| h.environment.as_ref());
            (host.clone(), remote.and_then(|e| e.cpu_model.clone()))
        }
        None => (env.hostname.clone(), env.cpu_model.clone()),
    };
    ResultRow {
        position: position as i64,
        benchmark: benchmark_id(b.group.as_deref(), &b.name),
        host,
        cpu_model,
        estimate: Estimate::of(b),
        json: serde_json::to_string(b).unwrap_or_default(),
    }
}

/// One benchmark's estimate in one run, with the run's key: a point of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The run's id in the history.
    pub run: i64,
    /// The commit it measured, if known.
    pub commit: Option<String>,
    /// Its branch, if given.
    pub branch: Option<String>,
    /// Its label, if any.
    pub label: Option<String>,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// The benchmark (`group/name`).
    pub benchmark: String,
    /// The host it ran on.
    pub host: String,
    /// That host's CPU model, where known.
    pub cpu_model: Option<String>,
    /// The run's estimate.
    pub estimate: Estimate,
}

impl Point {
    /// How the run is named to people: its commit (short), else its label,
    /// else its start time.
    pub fn run_name(&self) -> String {
        match (&self.commit, &self.label) {
            (Some(c), _) => c.chars().take(12).collect(),
            (None, Some(l)) => l.clone(),
            (None, None) => self.started_at.clone(),
        }
    }
}

/// A result row of either backend, read by column index: the one place
/// that knows the column order of [`super::schema::SELECT_POINTS`].
pub(crate) trait Columns {
    /// The backend's error.
    type Error;
    /// A BIGINT column.
    fn int(&self, i: usize) -> Result<i64, Self::Error>;
    /// A REAL / DOUBLE PRECISION column.
    fn real(&self, i: usize) -> Result<f64, Self::Error>;
    /// A TEXT column that may be NULL.
    fn text(&self, i: usize) -> Result<Option<String>, Self::Error>;
    /// A TEXT column that is never NULL.
    fn required_text(&self, i: usize) -> Result<String, Self::Error>;
}

/// A row of [`super::schema::SELECT_POINTS`].
pub(crate) fn point<C: Columns>(r: &C) -> Result<Point, C::Error> {
    Ok(Point {
        run: r.int(0)?,
        commit: r.text(1)?,
        branch: r.text(2)?,
        label: r.text(3)?,
        started_at: r.required_text(4)?,
        benchmark: r.required_text(5)?,
        host: r.required_text(6)?,
        cpu_model: r.text(7)?,
        estimate: Estimate {
            value_ns: r.real(8)?,
            std_error_ns: r.real(9)?,
            ci_lo_ns: r.real(10)?,
            ci_hi_ns: r.real(11)?,
        },
    })
}

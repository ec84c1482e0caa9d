//! The history dashboard: a static site of every benchmark's trend.
//!
//! It renders plain series types ([`Dashboard`]), which the caller builds
//! from wherever the history lives (`metron history report` reads them from
//! `metron-history`), so this crate knows no SQL. The site is:
//!
//! * `index.html`: one card per benchmark with a sparkline
//!   (`<figure data-chart="sparkline">`) coloured by its latest verdict
//!   (`data-verdict="regressed|improved|stable"`), linking to
//! * `b1.html`, `b2.html`, …: per benchmark, the series over the runs
//!   (`data-chart="series"`: median and its 95% CI band per run, one line
//!   per host), each change point marked with its run and size
//!   (`<g class="change-point">` in the chart, and a table).
//!
//! The pages follow the report's rules: inline CSS and SVG only, a
//! Content-Security-Policy that forbids scripts and fetches, every value
//! escaped by `maud`, file names from positions, never from names.

mod chart;
mod pages;

use std::path::{Path, PathBuf};

use metron::model::Interval;

use crate::ReportError;

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dashboard {
    /// Heading of the index (e.g. the history's location, or a project name).
    pub title: String,
    /// One entry per benchmark, in the order shown.
    pub benchmarks: Vec<Trend>,
}

/// The latest verdict on a benchmark: what its card's colour says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verdict {
    /// No change point.
    #[default]
    Stable,
    /// The last change point made it slower.
    Regressed,
    /// The last change point made it faster.
    Improved,
}

impl Verdict {
    /// The word on the page and in `data-verdict`.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Stable => "stable",
            Verdict::Regressed => "regressed",
            Verdict::Improved => "improved",
        }
    }
}

/// One benchmark over the history.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trend {
    /// The benchmark (`group/name`).
    pub name: String,
    /// Its latest verdict (over all lines: regressed if any line's last change is a regression).
    pub verdict: Verdict,
    /// The runs on the x axis, in order, as people name them (commit, label or time).
    pub runs: Vec<String>,
    /// One line per host (or CPU model, or all hosts).
    pub lines: Vec<Line>,
}

/// One host's series of a benchmark.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// The host, CPU model or "all hosts".
    pub name: String,
    /// Its runs, in order.
    pub points: Vec<TrendPoint>,
    /// Its change points, in order.
    pub changes: Vec<ChangeMark>,
}

/// One run's estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendPoint {
    /// Index into [`Trend::runs`].
    pub run: usize,
    /// Median time per iteration, ns.
    pub median_ns: f64,
    /// Its 95% CI, ns.
    pub ci: Interval,
}

/// A change point of a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChangeMark {
    /// Index into [`Trend::runs`] of the first run at the new level.
    pub run: usize,
    /// Relative change (0.14 = 14% slower).
    pub change: f64,
    /// Its 95% CI.
    pub ci: Interval,
    /// Its p-value.
    pub p_value: f64,
}

/// Writes the site into `dir` (created if needed): `index.html` and one
/// page per benchmark, each written atomically. Returns the index's path.
///
/// # Errors
/// [`ReportError::Empty`] without benchmarks, [`ReportError::Io`],
/// [`ReportError::Chart`].
pub fn write_dashboard(dashboard: &Dashboard, dir: &Path) -> Result<PathBuf, ReportError> {
    if dashboard.benchmarks.is_empty() {
        return Err(ReportError::Empty);
    }
    if dir.exists() && !dir.is_dir() {
        let source = std::io::Error::new(std::io::ErrorKind::AlreadyExists, "exists and is not a directory");
        return Err(ReportError::Io { path: dir.to_path_buf(), source });
    }
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io { path: dir.to_path_buf(), source })?;
    let write = |name: String, page: String| {
        let path = dir.join(name);
        metron::atomic::write(&path, page.as_bytes()).map_err(|source| ReportError::Io { path: path.clone(), source })
    };
    for (i, trend) in dashboard.benchmarks.iter().enumerate() {
        write(pages::page_file(i), pages::benchmark_page(dashboard, i, trend)?)?;
    }
    write("index.html".into(), pages::index(dashboard)?)?;
    Ok(dir.join("index.html"))
}

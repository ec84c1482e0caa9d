//! A series' change points read as what a team acts on: regressions and
//! improvements, each at the first run after it, and the gate
//! `metron history check --fail-on-regression` applies since a revision.

use serde::Serialize;

use crate::changepoint::{detect, ChangePoint, Detector};
use crate::series::Series;
use crate::store::Point;

/// Which way a level moved (times: up is slower).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Slower.
    Regression,
    /// Faster.
    Improvement,
}

/// How a series stands now, for colouring a dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Latest {
    /// No change point: one level throughout.
    Stable,
    /// The last change point made it slower.
    Regressed,
    /// The last change point made it faster.
    Improved,
}

/// A change point with the run where the new level starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Where and how much.
    pub change: ChangePoint,
    /// Slower or faster.
    pub direction: Direction,
    /// The first run at the new level.
    pub first: Point,
    /// Whether it counts for the gate: after `--since` (or no `--since`).
    pub since: bool,
}

/// One series with its findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The series.
    pub series: Series,
    /// Its change points, in order.
    pub findings: Vec<Finding>,
}

impl Checked {
    /// The series' state after its last change point.
    pub fn latest(&self) -> Latest {
        match self.findings.last().map(|f| f.direction) {
            None => Latest::Stable,
            Some(Direction::Regression) => Latest::Regressed,
            Some(Direction::Improvement) => Latest::Improved,
        }
    }

    /// Regressions after `--since` larger than `threshold` (a fraction).
    pub fn regressions_beyond(&self, threshold: f64) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.since && f.direction == Direction::Regression && f.change.change > threshold)
    }
}

/// Where `--since REV` puts the start of what the gate looks at: the last
/// run whose commit starts with `rev` (a short hash works), by the order
/// of the history. `None` when no run has it.
pub fn since_cutoff<'a>(points: impl IntoIterator<Item = &'a Point>, rev: &str) -> Option<(String, i64)> {
    points
        .into_iter()
        .filter(|p| p.commit.as_deref().is_some_and(|c| c.starts_with(rev)))
        .map(|p| (p.started_at.clone(), p.run))
        .max()
}

/// The change points of `series`; with `cutoff` (from [`since_cutoff`]),
/// only those whose first run comes after it count for the gate.
pub fn check(series: Series, detector: &Detector, cutoff: Option<&(String, i64)>) -> Checked {
    let findings = detect(&series.observations(), detector)
        .into_iter()
        .map(|change| {
            let first = series.points[change.index].clone();
            let since = cutoff.is_none_or(|c| (first.started_at.clone(), first.run) > *c);
            let direction = if change.change > 0.0 { Direction::Regression } else { Direction::Improvement };
            Finding { change, direction, first, since }
        })
        .collect();
    Checked { series, findings }
}

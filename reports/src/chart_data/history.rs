//! Following benchmarks across several runs: which ids appear in more than
//! one run, and where.

use metron::{BenchmarkResult, RunRecord};

/// Benchmarks that appear in at least two of the runs, for the history chart.
#[derive(Debug)]
pub(crate) struct History<'a> {
    /// One label per run, in the order given: when it started.
    pub runs: Vec<String>,
    /// One line per shared id, in order of first appearance.
    pub lines: Vec<HistoryLine<'a>>,
}

/// One benchmark id across the runs it appears in.
#[derive(Debug)]
pub(crate) struct HistoryLine<'a> {
    /// The benchmark id.
    pub id: String,
    /// `(run index, result)` for every run that has the id.
    pub points: Vec<(usize, &'a BenchmarkResult)>,
}

/// The history of `reports`, or `None` unless at least two runs share an id.
pub(crate) fn history(reports: &[RunRecord]) -> Option<History<'_>> {
    if reports.len() < 2 {
        return None;
    }
    let mut lines: Vec<HistoryLine<'_>> = Vec::new();
    for (run, report) in reports.iter().enumerate() {
        for b in &report.benchmarks {
            let id = b.id();
            match lines.iter_mut().find(|l| l.id == id) {
                // A repeated id within one run keeps its first result.
                Some(line) if line.points.last().is_some_and(|p| p.0 == run) => {}
                Some(line) => line.points.push((run, b)),
                None => lines.push(HistoryLine { id, points: vec![(run, b)] }),
            }
        }
    }
    lines.retain(|l| l.points.len() >= 2);
    if lines.is_empty() {
        return None;
    }
    let runs = reports.iter().map(|r| crate::wording::short_time(&r.environment.started_at)).collect();
    Some(History { runs, lines })
}

//! Following benchmarks across several runs: which ids appear in more than
//! one run and where, the one reference every run is measured against, and
//! how the last run changed from the one before.

use metron::compare::{against_baseline, BaselineOptions};
use metron::model::BaselineComparison;
use metron::{BenchmarkResult, RunRecord};

/// Benchmarks that appear in at least two of the runs, for the history chart.
#[derive(Debug)]
pub(crate) struct History<'a> {
    /// One label per run, in the order given: its label, or its commit and
    /// when it started.
    pub runs: Vec<String>,
    /// One line per shared id, in order of first appearance.
    pub lines: Vec<HistoryLine<'a>>,
    /// The benchmark every run's medians are divided by, the same for all
    /// runs (see [`common_reference`]).
    pub reference: Option<String>,
    /// The last run against the one before it, by the same method as a
    /// `--baseline` comparison (the samples of both are in hand).
    pub latest_change: Option<BaselineComparison>,
}

/// One benchmark id across the runs it appears in.
#[derive(Debug)]
pub(crate) struct HistoryLine<'a> {
    /// The benchmark id.
    pub id: String,
    /// `(run index, result)` for every run that has the id.
    pub points: Vec<(usize, &'a BenchmarkResult)>,
}

impl HistoryLine<'_> {
    /// The result of this id in run `run`, if that run has it.
    pub fn in_run(&self, run: usize) -> Option<&BenchmarkResult> {
        self.points.iter().find(|p| p.0 == run).map(|p| p.1)
    }
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
    let runs = reports.iter().map(crate::wording::run_tag).collect();
    let reference = common_reference(reports, &lines);
    Some(History { runs, lines, reference, latest_change: latest_change(reports) })
}

/// The one benchmark all runs are measured against: the last run's paired
/// reference when every run has it, else the first benchmark that every run
/// has. Never each run's fastest, which can be a different benchmark in
/// every run and would make the runs' relative figures incomparable.
fn common_reference(reports: &[RunRecord], lines: &[HistoryLine<'_>]) -> Option<String> {
    let in_all = |id: &str| reports.iter().all(|r| r.benchmark(id).is_some());
    let paired = reports.last()?.comparisons.first().map(|c| c.reference.clone());
    paired.filter(|id| in_all(id)).or_else(|| lines.iter().map(|l| l.id.clone()).find(|id| in_all(id)))
}

/// The last run against the one before, when they share benchmarks.
fn latest_change(reports: &[RunRecord]) -> Option<BaselineComparison> {
    let [.., old, new] = reports else { return None };
    let opts = BaselineOptions { clock: new.settings.clock, ..BaselineOptions::default() };
    let label = format!("run {}", reports.len() - 1);
    let change = against_baseline(old, new, &label, &opts);
    (!change.changes.is_empty()).then_some(change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn one_reference_for_every_run_and_the_latest_change() {
        let mut runs = vec![
            fixtures::history_run("2024-05-01T12:00:00Z", 1.0, 1),
            fixtures::history_run("2024-05-02T12:00:00Z", 1.3, 2),
        ];
        // The second run's fastest benchmark is another one: the reference stays.
        runs[1].benchmarks.swap(0, 2);
        let h = history(&runs).unwrap();
        assert_eq!(h.reference.as_deref(), Some("io/parse"));
        let change = h.latest_change.unwrap();
        assert_eq!(change.changes.len(), 3);
        assert!(change.changes.iter().all(|c| c.change > 0.2), "30% slower");
    }
}

//! The summary row: what every format says about one benchmark in its
//! table (HTML summary, Markdown table, CSV). Built once here from the
//! result and the run's comparisons; each format only decides how the
//! figures look, never which figures there are or which clock they are on.

use metron::model::{BaselineComparison, BenchmarkResult, Change, ClockKind, Summary};
use metron::RunRecord;

use crate::wording::{self, Relation};

/// One benchmark as the summary tables show it.
#[derive(Debug, Clone)]
pub(crate) struct SummaryRow<'a> {
    /// The result itself, for what only one format shows.
    pub bench: &'a BenchmarkResult,
    /// Its id (`group/name`, with the host for merged runs).
    pub id: String,
    /// The clock of every time in the row ([`BenchmarkResult::time_clock`]:
    /// counts have a table of their own, [`crate::counts`]).
    pub clock: ClockKind,
    /// Statistics on that clock.
    pub stats: &'a Summary,
    /// CPU time / wall time (medians).
    pub cpu_wall: Option<f64>,
    /// Its part in the run's paired comparisons.
    pub relation: Relation<'a>,
    /// As a candidate, its median over its reference's (shown beside the
    /// comparison's ratio, which is not a ratio of medians).
    pub median_ratio: Option<f64>,
    /// The run's comparison against a baseline, if it has one.
    pub baseline: Option<&'a BaselineComparison>,
    /// Its change against that baseline, if it is in it.
    pub change: Option<&'a Change>,
}

/// The time figures of a row, each passed through a format's own writing.
#[derive(Debug, Clone)]
pub(crate) struct Times<T> {
    /// Median.
    pub median: T,
    /// Lower end of the median's 95% CI.
    pub ci_lo: T,
    /// Upper end of the median's 95% CI.
    pub ci_hi: T,
    /// Mean.
    pub mean: T,
    /// Standard deviation.
    pub std_dev: T,
    /// Fastest.
    pub min: T,
    /// Slowest.
    pub max: T,
}

impl<T> Times<T> {
    /// The figures in table order: median, CI, mean, standard deviation,
    /// min, max.
    pub fn into_array(self) -> [T; 7] {
        [self.median, self.ci_lo, self.ci_hi, self.mean, self.std_dev, self.min, self.max]
    }
}

impl<'a> SummaryRow<'a> {
    /// The row of `bench`, a benchmark of `report`.
    pub fn new(report: &'a RunRecord, bench: &'a BenchmarkResult) -> SummaryRow<'a> {
        let id = bench.id();
        let relation = wording::relation(report, &id);
        let median_ratio = match relation {
            Relation::Candidate(c) => wording::median_ratio(report, c),
            _ => None,
        };
        SummaryRow {
            bench,
            clock: bench.time_clock(),
            stats: bench.time_summary(),
            cpu_wall: bench.cpu_utilisation(),
            relation,
            median_ratio,
            baseline: report.baseline.as_ref(),
            change: wording::change_for(report.baseline.as_ref(), &id),
            id,
        }
    }

    /// Every row of `report`, in its order.
    pub fn all(report: &'a RunRecord) -> Vec<SummaryRow<'a>> {
        report.benchmarks.iter().map(|b| SummaryRow::new(report, b)).collect()
    }

    /// Its throughput rates at the median with their 95% CIs
    /// (`1.863 GiB/s [1.850 GiB/s … 1.870 GiB/s]`, two joined by `; ` for
    /// elements and bytes); `None` when it declared none.
    pub fn throughput(&self) -> Option<String> {
        let rates: Vec<String> = self.bench.throughput.iter().map(metron::model::Rate::display).collect();
        (!rates.is_empty()).then(|| rates.join("; "))
    }

    /// The row's times, each written by `write`.
    pub fn times<T>(&self, write: impl Fn(f64) -> T) -> Times<T> {
        let s = self.stats;
        Times {
            median: write(s.median),
            ci_lo: write(s.median_ci.lo),
            ci_hi: write(s.median_ci.hi),
            mean: write(s.mean),
            std_dev: write(s.std_dev),
            min: write(s.min),
            max: write(s.max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn rows_use_the_headline_clock_and_the_comparisons() {
        let mut report = fixtures::fixed_report();
        report.benchmarks[1].clock = ClockKind::Cpu;
        let rows = SummaryRow::all(&report);
        assert_eq!(rows[1].clock, ClockKind::Cpu);
        assert_eq!(rows[1].times(|ns| ns).median, 1e6, "the CPU median of the second command");
        assert!(matches!(rows[0].relation, Relation::Reference));
        assert!(matches!(rows[1].relation, Relation::Candidate(_)));
        assert_eq!(rows[1].median_ratio, Some(2.0), "on the comparison's clock (wall)");
        assert!(rows.iter().all(|r| r.change.is_none()));
    }
}

//! From checked series to the dashboard's plain types: one trend per
//! benchmark, one line per host, runs on a shared x axis in the history's
//! order (start time, then id).

use metron::model::Interval;
use metron_history::check::{Checked, Latest};
use metron_report::dashboard::{ChangeMark, Dashboard, Line, Trend, TrendPoint, Verdict};

/// The dashboard of `results` (ordered by benchmark, then line).
pub(super) fn build(title: &str, results: &[Checked]) -> Dashboard {
    let mut benchmarks: Vec<Trend> = Vec::new();
    let mut start = 0;
    while start < results.len() {
        let name = &results[start].series.benchmark;
        let end =
            results[start..].iter().position(|c| &c.series.benchmark != name).map_or(results.len(), |n| start + n);
        benchmarks.push(trend(&results[start..end]));
        start = end;
    }
    Dashboard { title: title.to_string(), benchmarks }
}

/// One benchmark's lines (all of `lines` share the benchmark).
fn trend(lines: &[Checked]) -> Trend {
    let name = lines.first().map(|c| c.series.benchmark.clone()).unwrap_or_default();
    // The x axis: every run of any line, in the history's order.
    let mut runs: Vec<(&str, i64, String)> = lines
        .iter()
        .flat_map(|c| c.series.points.iter())
        .map(|p| (p.started_at.as_str(), p.run, p.run_name()))
        .collect();
    runs.sort();
    runs.dedup();
    let position = |run: i64| runs.iter().position(|r| r.1 == run).unwrap_or(0);
    let verdict = lines.iter().map(Checked::latest).fold(Verdict::Stable, |v, latest| match (v, latest) {
        (Verdict::Regressed, _) | (_, Latest::Regressed) => Verdict::Regressed,
        (Verdict::Improved, _) | (_, Latest::Improved) => Verdict::Improved,
        _ => Verdict::Stable,
    });
    let lines = lines
        .iter()
        .map(|c| Line {
            name: c.series.line.clone(),
            points: c
                .series
                .points
                .iter()
                .map(|p| {
                    let e = &p.estimate;
                    TrendPoint {
                        run: position(p.run),
                        median_ns: e.value_ns,
                        ci: Interval::new(e.ci_lo_ns, e.ci_hi_ns),
                    }
                })
                .collect(),
            changes: c
                .findings
                .iter()
                .map(|f| ChangeMark {
                    run: position(f.first.run),
                    change: f.change.change,
                    ci: f.change.ci,
                    p_value: f.change.p_value,
                })
                .collect(),
        })
        .collect();
    Trend { name, verdict, runs: runs.into_iter().map(|r| r.2).collect(), lines }
}

//! Charts given values at the edge of what floating point holds, past what
//! any loader accepts: every chart kind renders, with few ticks, instead of
//! looping or allocating without bound (the axis guard in `html::chart::scale`).

use metron::model::Interval;
use metron_report::dashboard::{Dashboard, Line, Trend, TrendPoint};
use metron_report::render_html;

use crate::common;
use crate::figures;

/// Per-iteration times no chart can step through naively: subnormal, huge,
/// none at all between two values, and the 1 ns .. 3e16 ns spread that
/// loaders do accept.
const EXTREMES: [f64; 6] = [5e-324, 1.0, 3e16, 1e300, 1e308, 0.0];

/// The lowest and highest time of each benchmark, in turn.
const SPREADS: [(f64, f64); 6] =
    [(1.0, 1e308), (5e-324, 1.0), (1.0, 3e16), (0.0, 5e-324), (1e300, 1e300), (5e-324, 1e308)];

/// The rich report (distributions, samples, regressions, ratios, overlays,
/// scaling, speedup) with its samples replaced by extremes.
fn extreme_run(started_at: &str, seed: usize) -> metron::RunRecord {
    let mut r = common::rich_report();
    r.environment.started_at = started_at.into();
    for (i, b) in r.benchmarks.iter_mut().enumerate() {
        for (j, s) in b.samples.iter_mut().enumerate() {
            let (lo, hi) = SPREADS[(i + seed) % SPREADS.len()];
            s.wall_ns = if j % 2 == 0 { lo } else { hi } * s.iterations as f64;
        }
    }
    r
}

#[test]
fn every_chart_kind_survives_extreme_values() {
    let runs = [extreme_run("2024-05-01T12:00:00Z", 0), extreme_run("2024-05-02T12:00:00Z", 3)];
    let page = render_html(&runs).unwrap();
    let kinds: Vec<&str> = figures(&page).iter().map(|(k, _)| *k).collect();
    for kind in ["distribution", "samples", "ratios", "history"] {
        assert!(kinds.contains(&kind), "{kind} drawn: {kinds:?}");
    }
    // A few ticks per axis, not billions: the page stays small.
    assert!(page.len() < 20_000_000, "{} bytes", page.len());
}

#[test]
fn dashboard_charts_survive_extreme_values() {
    let point = |run: usize, v: f64| TrendPoint { run, median_ns: v, ci: Interval { lo: v / 2.0, hi: v * 2.0 } };
    let points = EXTREMES.iter().chain(&[f64::NAN, f64::INFINITY]).enumerate().map(|(i, &v)| point(i, v)).collect();
    let trend = Trend {
        name: "extreme".into(),
        runs: (0..8).map(|i| format!("run {i}")).collect(),
        lines: vec![Line { name: "host".into(), points, changes: Vec::new() }],
        ..Trend::default()
    };
    let dashboard = Dashboard { title: "extremes".into(), benchmarks: vec![trend] };
    let dir = tempfile::tempdir().unwrap();
    let index = metron_report::dashboard::write_dashboard(&dashboard, dir.path()).unwrap();
    assert!(std::fs::read_to_string(index).unwrap().contains("data-chart=\"sparkline\""));
    let page = std::fs::read_dir(dir.path()).unwrap().flatten().find(|e| e.file_name() != "index.html").unwrap();
    assert!(std::fs::read_to_string(page.path()).unwrap().contains("data-chart=\"series\""));
}

//! What `metron history check` and `show` print: plain text for people,
//! JSON for scripts.

use std::fmt::Write as _;

use metron::format::{p_text, signed_percent};
use metron::time::Nanos;
use metron_history::check::{Checked, Direction};
use metron_history::Point;
use serde_json::{json, Value};

use super::Selection;

/// ` on branch B` when a branch was asked for.
pub(super) fn branch_note(selection: &Selection) -> String {
    selection.branch.as_ref().map(|b| format!(" on branch {b}")).unwrap_or_default()
}

/// The series' heading: `NAME on HOST: N runs`.
fn heading(c: &Checked) -> String {
    let n = c.series.points.len();
    format!("{} on {}: {n} run{}", c.series.benchmark, c.series.line, if n == 1 { "" } else { "s" })
}

/// One change point as a line: first run, size with its CI, p, levels.
fn finding_line(c: &Checked, i: usize) -> String {
    let f = &c.findings[i];
    let ch = &f.change;
    let word = match f.direction {
        Direction::Regression => "regression",
        Direction::Improvement => "improvement",
    };
    let before_since = if f.since { "" } else { " (before --since)" };
    format!(
        "  change point at {}: {} (95% CI {} to {}, {}), {word}{before_since}: {} -> {}",
        f.first.run_name(),
        signed_percent(ch.change),
        signed_percent(ch.ci.lo),
        signed_percent(ch.ci.hi),
        p_text(ch.p_value),
        Nanos(ch.before),
        Nanos(ch.after),
    )
}

/// `check`'s report: each series and its change points.
pub(super) fn check_report(results: &[Checked]) -> String {
    let mut out = String::new();
    for c in results {
        let count = c.findings.len();
        let _ = writeln!(
            out,
            "{}, {}",
            heading(c),
            match count {
                0 => "no change point".to_string(),
                1 => "1 change point".to_string(),
                n => format!("{n} change points"),
            }
        );
        for i in 0..count {
            let _ = writeln!(out, "{}", finding_line(c, i));
        }
    }
    out
}

/// `check --json`: one object per series.
pub(super) fn check_json(results: &[Checked]) -> Value {
    let series: Vec<Value> = results
        .iter()
        .map(|c| {
            json!({
                "benchmark": c.series.benchmark,
                "line": c.series.line,
                "runs": c.series.points.len(),
                "latest": c.latest(),
                "change_points": c.findings.iter().map(|f| json!({
                    "run": f.first.run,
                    "commit": f.first.commit,
                    "label": f.first.label,
                    "started_at": f.first.started_at,
                    "direction": f.direction,
                    "change": f.change.change,
                    "ci": f.change.ci,
                    "p_value": f.change.p_value,
                    "before_ns": f.change.before,
                    "after_ns": f.change.after,
                    "since": f.since,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "series": series })
}

/// `show`'s tables: every run of each series, change points marked.
pub(super) fn series_tables(results: &[Checked]) -> String {
    let mut out = String::new();
    for c in results {
        let _ = writeln!(out, "{}", heading(c));
        let _ = writeln!(out, "  {:>5}  {:<14} {:<21} {:>12}  95% CI", "run", "commit", "started", "median");
        for (i, p) in c.series.points.iter().enumerate() {
            if let Some(j) = c.findings.iter().position(|f| f.change.index == i) {
                let _ =
                    writeln!(out, "{}", finding_line(c, j).replacen("  change point at", "  --- change point at", 1));
            }
            let e = &p.estimate;
            let commit: String = p.commit.as_deref().or(p.label.as_deref()).unwrap_or("-").chars().take(14).collect();
            let ci = format!("{} – {}", Nanos(e.ci_lo_ns), Nanos(e.ci_hi_ns));
            let _ = writeln!(
                out,
                "  {:>5}  {commit:<14} {:<21} {:>12}  {ci}",
                p.run,
                p.started_at,
                Nanos(e.value_ns).to_string()
            );
        }
    }
    out
}

/// The one line for a benchmark the history does not have, naming a few it has.
pub(super) fn unknown_benchmark(name: &str, all: &[Point], location: &str) -> String {
    let mut names: Vec<&str> = all.iter().map(|p| p.benchmark.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return format!("no benchmark '{name}' in the history {location}: it has no runs");
    }
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("'{n}'")).collect();
    let more = if names.len() > 5 { format!(" and {} more", names.len() - 5) } else { String::new() };
    format!("no benchmark '{name}' in the history {location} (it has {}{more})", shown.join(", "))
}

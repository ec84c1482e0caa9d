//! Markdown export: hyperfine's table (`| Command | Mean [ms] | … | Relative |`)
//! with the figures metron stands behind: the median, its 95% confidence
//! interval, and the verdict of any comparison.
//!
//! One time unit serves the whole table (the one that suits the fastest
//! median) so that columns compare at a glance. Names are shown as code
//! spans, which keeps `<`, `*` and `_` literal; `|` is escaped so it cannot end
//! a cell, and line breaks become spaces.
//!
//! *Relative* is the ratio to the reference with its 95% CI when the run has
//! paired comparisons, and otherwise the median divided by the fastest
//! median (as in hyperfine) for one run, or by the median of one reference
//! shared by every run for several, so the runs' figures compare. Every
//! verdict is followed by its rule; with a baseline, an *Old → new* column
//! shows both medians.

use std::fmt::Write;

use metron::format;
use metron::model::{BaselineComparison, BenchmarkResult};
use metron::time::{significant, Nanos, TimeUnit};
use metron::RunRecord;

use crate::chart_data::shared_ids::history;
use crate::export::Exporter;
use crate::redact::Redaction;
use crate::row::SummaryRow;
use crate::wording::{self, Relation};
use crate::ReportError;

/// The Markdown format. With several runs, each run's table follows a
/// heading naming it (label, commit, when and where it ran), and without
/// paired comparisons *Relative* is to one reference shared by every run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown {
    /// What the tables leave out of what the runs recorded about their
    /// machines.
    pub redaction: Redaction,
}

impl Exporter for Markdown {
    fn extension(&self) -> &'static str {
        "md"
    }

    fn render(&self, reports: &[RunRecord]) -> Result<String, ReportError> {
        match self.redaction.apply(reports).as_slice() {
            [] => Err(ReportError::Empty),
            [one] => Ok(table(one, Reference::Fastest)),
            many => {
                let history = history(many);
                let shared = history.as_ref().and_then(|h| h.reference.as_deref());
                let reference = shared.map_or(Reference::Fastest, Reference::Shared);
                let mut tables: Vec<String> = many
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let title = format!("Run {}: {}", i + 1, wording::run_name(r));
                        format!("## {}\n\n{}", title.replace(['\n', '\r'], " "), table(r, reference))
                    })
                    .collect();
                if let Some(change) = history.as_ref().and_then(|h| h.latest_change.as_ref()) {
                    tables.push(change_table(change, many.len()));
                }
                Ok(tables.join("\n"))
            }
        }
    }
}

/// What *Relative* divides by when a run has no paired comparisons.
#[derive(Debug, Clone, Copy)]
enum Reference<'a> {
    /// The run's fastest median (hyperfine's convention, for one run).
    Fastest,
    /// This benchmark's median in the same run: one reference for all runs.
    Shared(&'a str),
}

/// The table for one run.
fn table(report: &RunRecord, reference: Reference<'_>) -> String {
    let unit = table_unit(&report.benchmarks);
    let u = unit.symbol();
    let baseline = report.baseline.is_some();
    let throughput = report.benchmarks.iter().any(|b| !b.throughput.is_empty());
    let mut out = String::new();
    let _ = write!(
        out,
        "| Command | Median [{u}] | 95% CI [{u}] | Mean ± σ [{u}] | Min [{u}] | Max [{u}] |{} Relative |{}",
        if throughput { " Throughput [95% CI] |" } else { "" },
        if baseline { " Old → new |" } else { "" }
    );
    out.push_str(" Verdict |\n|:---|---:|---:|---:|---:|---:|");
    out.push_str(if throughput { "---:|---:|" } else { "---:|" });
    out.push_str(if baseline { "---:|:---|\n" } else { ":---|\n" });
    let rows = SummaryRow::all(report);
    let divisor = match reference {
        Reference::Shared(id) => report.benchmark(id).map(|b| b.headline().median),
        Reference::Fastest => Some(rows.iter().map(|r| r.stats.median).fold(f64::INFINITY, f64::min)),
    };
    for row in &rows {
        let _ = writeln!(out, "{}", row_line(row, unit, divisor, Columns { throughput, baseline }));
    }
    if let (Reference::Shared(id), true) = (reference, report.comparisons.is_empty()) {
        let _ = writeln!(out, "\n_Relative: each median divided by the median of {} in the same run._", code_span(id));
    }
    if report.interrupted {
        out.push_str("\n_The run was interrupted; the table shows what was measured before that._\n");
    }
    out
}

/// The optional columns a table has.
#[derive(Debug, Clone, Copy)]
struct Columns {
    /// Throughput, when a benchmark of the run declared one.
    throughput: bool,
    /// Old → new, when the run was compared with a baseline.
    baseline: bool,
}

fn row_line(row: &SummaryRow<'_>, unit: TimeUnit, divisor: Option<f64>, columns: Columns) -> String {
    let t = row.times(|ns| significant(ns / unit.nanos(), 4));
    let throughput = match (columns.throughput, row.throughput()) {
        (false, _) => String::new(),
        (true, Some(text)) => format!(" {text} |"),
        (true, None) => " — |".to_string(),
    };
    let old_new = match (columns.baseline, row.change) {
        (false, _) => String::new(),
        (true, Some(c)) => format!(" {} → {} |", Nanos(c.old_median_ns), Nanos(c.new_median_ns)),
        (true, None) => " new |".to_string(),
    };
    format!(
        "| {} | {} | {} – {} | {} ± {} | {} | {} |{throughput} {} |{old_new} {} |",
        code_span(&row.id),
        t.median,
        t.ci_lo,
        t.ci_hi,
        t.mean,
        t.std_dev,
        t.min,
        t.max,
        relative(row, divisor),
        verdict(row),
    )
}

/// The last run against the one before: old → new median, the change with
/// its CI and the verdict with its rule.
fn change_table(b: &BaselineComparison, runs: usize) -> String {
    let mut out = format!(
        "## Run {} → run {}\n\n| Benchmark | Old → new | Change [95% CI] | Verdict |\n|:---|---:|---:|:---|\n",
        runs - 1,
        runs
    );
    for c in &b.changes {
        let change = format!(
            "{} ({} … {})",
            format::signed_percent(c.change),
            format::signed_percent(c.ci.lo),
            format::signed_percent(c.ci.hi)
        );
        let _ = writeln!(
            out,
            "| {} | {} → {} | {change} | {} |",
            code_span(&c.id),
            Nanos(c.old_median_ns),
            Nanos(c.new_median_ns),
            with_rule(&wording::change_rule(c, b), &format::p_text(c.p_adjusted))
        );
    }
    out
}

/// The unit that shows the fastest median with one to three integer digits.
fn table_unit(benchmarks: &[BenchmarkResult]) -> TimeUnit {
    let fastest = benchmarks.iter().map(|b| b.headline().median).filter(|m| *m > 0.0).fold(f64::INFINITY, f64::min);
    TimeUnit::for_value(if fastest.is_finite() { fastest } else { 0.0 })
}

/// The ratio to the reference with its CI (paired comparisons), else the
/// median over `divisor`.
fn relative(row: &SummaryRow<'_>, divisor: Option<f64>) -> String {
    match row.relation {
        Relation::Candidate(c) => {
            format!("{} ({}–{})", format::ratio(c.ratio), format::ratio(c.ci.lo), format::ratio(c.ci.hi))
        }
        Relation::Reference => "1.00 (reference)".to_string(),
        Relation::Unrelated => match divisor.filter(|d| *d > 0.0 && d.is_finite()) {
            Some(d) => format::ratio(row.stats.median / d),
            None => String::new(),
        },
    }
}

/// Each verdict with its p-value and the rule it follows.
fn verdict(row: &SummaryRow<'_>) -> String {
    let mut parts = Vec::new();
    if let Relation::Candidate(c) = row.relation {
        parts.push(with_rule(&wording::paired_rule(c), &format::p_text(wording::paired_p(c))));
    }
    if let (Some(c), Some(b)) = (row.change, row.baseline) {
        let change = format!(
            "{} ({} … {}), {}",
            format::signed_percent(c.change),
            format::signed_percent(c.ci.lo),
            format::signed_percent(c.ci.hi),
            format::p_text(c.p_adjusted)
        );
        parts.push(with_rule(&wording::change_rule(c, b), &change));
    }
    parts.join("; ")
}

/// `slower, p < 0.001 (rule: …)` from the rule `slower: …`.
fn with_rule(rule: &str, figures: &str) -> String {
    match rule.split_once(": ") {
        Some((word, condition)) => format!("{word}, {figures} (rule: {condition})"),
        None => format!("{rule}, {figures}"),
    }
}

/// `s` as a Markdown code span that is safe inside a table cell: a fence
/// longer than any run of backticks inside, `|` escaped, no line breaks.
fn code_span(s: &str) -> String {
    let flat = s.replace(['\n', '\r'], " ").replace('|', "\\|");
    let longest = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code_span("sleep 0.1"), "`sleep 0.1`");
        assert_eq!(code_span("a | b"), "`a \\| b`");
        assert_eq!(code_span("echo `date`"), "`` echo `date` ``");
        assert_eq!(code_span("two\nlines"), "`two lines`");
        assert_eq!(code_span("<script>"), "`<script>`");
    }

    #[test]
    fn no_runs_is_an_error() {
        assert!(matches!(Markdown::default().render(&[]), Err(ReportError::Empty)));
    }
}

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
//! paired comparisons, and otherwise (as in hyperfine) the median divided by
//! the fastest median.

use std::fmt::Write;

use metron::format;
use metron::model::BenchmarkResult;
use metron::time::{significant, TimeUnit};
use metron::RunRecord;

use crate::export::Exporter;
use crate::redact::Redaction;
use crate::wording::{self, Relation};
use crate::ReportError;

/// The Markdown format. With several runs, each run's table follows a
/// heading naming when and where it ran.
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
            [one] => Ok(table(one)),
            many => Ok(many
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let env = &r.environment;
                    let title = format!("Run {}: {} on {}", i + 1, env.started_at, env.hostname);
                    format!("## {}\n\n{}", title.replace(['\n', '\r'], " "), table(r))
                })
                .collect::<Vec<_>>()
                .join("\n")),
        }
    }
}

/// The table for one run (see [`render_markdown`](crate::render_markdown)).
pub(crate) fn table(report: &RunRecord) -> String {
    let unit = table_unit(&report.benchmarks);
    let u = unit.symbol();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| Command | Median [{u}] | 95% CI [{u}] | Mean ± σ [{u}] | Min [{u}] | Max [{u}] | Relative | Verdict |"
    );
    out.push_str("|:---|---:|---:|---:|---:|---:|---:|:---|\n");
    let fastest = report.benchmarks.iter().map(|b| b.headline().median).fold(f64::INFINITY, f64::min);
    for b in &report.benchmarks {
        let _ = writeln!(out, "{}", row(report, b, unit, fastest));
    }
    if report.interrupted {
        out.push_str("\n_The run was interrupted; the table shows what was measured before that._\n");
    }
    out
}

fn row(report: &RunRecord, b: &BenchmarkResult, unit: TimeUnit, fastest: f64) -> String {
    let s = b.headline();
    let t = |ns: f64| significant(ns / unit.nanos(), 4);
    let id = b.id();
    format!(
        "| {} | {} | {} – {} | {} ± {} | {} | {} | {} | {} |",
        code_span(&id),
        t(s.median),
        t(s.median_ci.lo),
        t(s.median_ci.hi),
        t(s.mean),
        t(s.std_dev),
        t(s.min),
        t(s.max),
        relative(report, &id, s.median, fastest),
        verdict(report, &id),
    )
}

/// The unit that shows the fastest median with one to three integer digits.
fn table_unit(benchmarks: &[BenchmarkResult]) -> TimeUnit {
    let fastest = benchmarks.iter().map(|b| b.headline().median).filter(|m| *m > 0.0).fold(f64::INFINITY, f64::min);
    TimeUnit::for_value(if fastest.is_finite() { fastest } else { 0.0 })
}

fn relative(report: &RunRecord, id: &str, median: f64, fastest: f64) -> String {
    if report.comparisons.is_empty() {
        return if fastest > 0.0 { format::ratio(median / fastest) } else { String::new() };
    }
    match wording::relation(report, id) {
        Relation::Candidate(c) => {
            format!("{} ({}–{})", format::ratio(c.ratio), format::ratio(c.ci.lo), format::ratio(c.ci.hi))
        }
        Relation::Reference => "1.00 (reference)".to_string(),
        Relation::Unrelated => String::new(),
    }
}

fn verdict(report: &RunRecord, id: &str) -> String {
    let mut parts = Vec::new();
    if let Relation::Candidate(c) = wording::relation(report, id) {
        parts.push(format!("{}, {}", wording::paired_verdict(c.verdict), format::p_text(wording::paired_p(c))));
    }
    if let Some(c) = wording::change_for(report.baseline.as_ref(), id) {
        parts.push(format!(
            "{} {} ({} … {}), {}",
            wording::change_verdict(c.verdict),
            format::signed_percent(c.change),
            format::signed_percent(c.ci.lo),
            format::signed_percent(c.ci.hi),
            format::p_text(c.p_adjusted)
        ));
    }
    parts.join("; ")
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

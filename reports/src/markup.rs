//! The summary table of the markup formats (Markdown, AsciiDoc, Org), as
//! hyperfine's `src/export/markup.rs`: the cells are decided here once,
//! each format only says how a table, a heading, code and emphasis are
//! written ([`Syntax`]), so the three formats always show the same figures.
//!
//! The table is hyperfine's (`| Command | Mean [ms] | … | Relative |`) with
//! the figures metron stands behind: the median, its 95% confidence
//! interval, and the verdict of any comparison. One time unit serves the
//! whole table (the one that suits the fastest median, or the unit the
//! run asked for with `--time-unit`) so that columns compare at a glance.
//!
//! *Relative* is the ratio to the reference with its 95% CI when the run has
//! paired comparisons, and otherwise the median divided by the fastest
//! median (as in hyperfine) for one run, or by the median of one reference
//! shared by every run for several, so the runs' figures compare. Every
//! verdict is followed by its rule; with a baseline, an *Old → new* column
//! shows both medians.

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

/// The exporter of one markup format: the same table in `S`'s syntax
/// ([`Markdown`](crate::Markdown), [`Asciidoc`](crate::Asciidoc),
/// [`Orgmode`](crate::Orgmode)). With several runs, each run's table
/// follows a heading naming it (label, commit, when and where it ran), and
/// without paired comparisons *Relative* is to one reference shared by
/// every run.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkupExporter<S> {
    /// What the tables leave out of what the runs recorded about their machines.
    pub redaction: Redaction,
    /// The unit of every time in the tables (`--time-unit`); `None`: the
    /// one that suits the fastest median.
    pub unit: Option<TimeUnit>,
    syntax: S,
}

impl<S: Syntax + Default> MarkupExporter<S> {
    /// The exporter, redacted as `redaction` says, times in `unit` when given.
    pub fn new(redaction: Redaction, unit: Option<TimeUnit>) -> MarkupExporter<S> {
        MarkupExporter { redaction, unit, syntax: S::default() }
    }
}

impl<S: Syntax> Exporter for MarkupExporter<S> {
    fn extension(&self) -> &'static str {
        S::EXTENSION
    }

    fn render(&self, reports: &[RunRecord]) -> Result<String, ReportError> {
        render(&self.syntax, reports, self.redaction, self.unit)
    }
}

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text: names, verdicts.
    Left,
    /// Figures.
    Right,
}

/// How one markup language writes the parts of the document.
pub trait Syntax {
    /// The usual file name extension, without the dot.
    const EXTENSION: &'static str;
    /// A table: the header, each column's alignment, the rows; ends with a newline.
    fn table(&self, header: &[String], align: &[Align], rows: &[Vec<String>]) -> String;
    /// A section heading, followed by a blank line.
    fn heading(&self, title: &str) -> String;
    /// A command or id, shown literally and safe inside a table cell.
    fn code(&self, text: &str) -> String;
    /// A sentence set off from the table (a note under it).
    fn emphasis(&self, text: &str) -> String;
}

/// A document of one or more runs in `syntax`: each run's table (under a
/// heading naming it when there are several), and for several runs the
/// change of the last against the one before.
fn render<S: Syntax>(
    syntax: &S,
    reports: &[RunRecord],
    redaction: Redaction,
    unit: Option<TimeUnit>,
) -> Result<String, ReportError> {
    match redaction.apply(reports).as_slice() {
        [] => Err(ReportError::Empty),
        [one] => Ok(table(syntax, one, Reference::Fastest, unit)),
        many => {
            let history = history(many);
            let shared = history.as_ref().and_then(|h| h.reference.as_deref());
            let reference = shared.map_or(Reference::Fastest, Reference::Shared);
            let mut tables: Vec<String> = many
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let title = format!("Run {}: {}", i + 1, wording::run_name(r));
                    format!(
                        "{}{}",
                        syntax.heading(&title.replace(['\n', '\r'], " ")),
                        table(syntax, r, reference, unit)
                    )
                })
                .collect();
            if let Some(change) = history.as_ref().and_then(|h| h.latest_change.as_ref()) {
                tables.push(change_table(syntax, change, many.len()));
            }
            Ok(tables.join("\n"))
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
fn table<S: Syntax>(syntax: &S, report: &RunRecord, reference: Reference<'_>, unit: Option<TimeUnit>) -> String {
    let unit = unit.unwrap_or_else(|| table_unit(&report.benchmarks));
    let u = unit.symbol();
    let baseline = report.baseline.is_some();
    let mut header: Vec<String> = ["Command", "Median", "95% CI", "Mean ± σ", "Min", "Max"]
        .iter()
        .enumerate()
        .map(|(i, h)| if i == 0 { h.to_string() } else { format!("{h} [{u}]") })
        .collect();
    let throughput = report.benchmarks.iter().any(|b| !b.throughput.is_empty());
    let mut align = vec![Align::Left];
    align.extend([Align::Right; 5]);
    if throughput {
        header.push("Throughput [95% CI]".into());
        align.push(Align::Right);
    }
    header.push("Relative".into());
    align.push(Align::Right);
    if baseline {
        header.push("Old → new".into());
        align.push(Align::Right);
    }
    header.push("Verdict".into());
    align.push(Align::Left);
    let rows = SummaryRow::all(report);
    let divisor = match reference {
        Reference::Shared(id) => report.benchmark(id).map(|b| b.headline().median),
        Reference::Fastest => Some(rows.iter().map(|r| r.stats.median).fold(f64::INFINITY, f64::min)),
    };
    let columns = Columns { throughput, baseline };
    let cells: Vec<Vec<String>> = rows.iter().map(|row| row_cells(syntax, row, unit, divisor, columns)).collect();
    let mut out = syntax.table(&header, &align, &cells);
    if let (Reference::Shared(id), true) = (reference, report.comparisons.is_empty()) {
        let note = format!("Relative: each median divided by the median of {} in the same run.", syntax.code(id));
        out.push_str(&format!("\n{}\n", syntax.emphasis(&note)));
    }
    if let Some(counts) = crate::counted_events::markup(syntax, report) {
        out.push_str(&counts);
    }
    if report.interrupted {
        let note = "The run was interrupted; the table shows what was measured before that.";
        out.push_str(&format!("\n{}\n", syntax.emphasis(note)));
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

fn row_cells<S: Syntax>(
    syntax: &S,
    row: &SummaryRow<'_>,
    unit: TimeUnit,
    divisor: Option<f64>,
    columns: Columns,
) -> Vec<String> {
    let t = row.times(|ns| significant(ns / unit.nanos(), 4));
    let mut cells = vec![
        syntax.code(&row.id),
        t.median,
        format!("{} – {}", t.ci_lo, t.ci_hi),
        format!("{} ± {}", t.mean, t.std_dev),
        t.min,
        t.max,
    ];
    if columns.throughput {
        cells.push(row.throughput().unwrap_or_else(|| "—".into()));
    }
    cells.push(relative(row, divisor));
    match (columns.baseline, row.change) {
        (false, _) => {}
        (true, Some(c)) => {
            let clock = row.baseline.map_or(row.clock, |b| b.clock);
            cells.push(format!(
                "{} → {}",
                format::per_iteration(clock, c.old_median_ns),
                format::per_iteration(clock, c.new_median_ns)
            ))
        }
        (true, None) => cells.push("new".into()),
    }
    cells.push(verdict(row));
    cells
}

/// The last run against the one before: old → new median, the change with
/// its CI and the verdict with its rule.
fn change_table<S: Syntax>(syntax: &S, b: &BaselineComparison, runs: usize) -> String {
    let header: Vec<String> = ["Benchmark", "Old → new", "Change [95% CI]", "Verdict"].map(String::from).to_vec();
    let align = [Align::Left, Align::Right, Align::Right, Align::Left];
    let rows: Vec<Vec<String>> = b
        .changes
        .iter()
        .map(|c| {
            let change = format!(
                "{} ({} … {})",
                format::signed_percent(c.change),
                format::signed_percent(c.ci.lo),
                format::signed_percent(c.ci.hi)
            );
            vec![
                syntax.code(&c.id),
                format!("{} → {}", Nanos(c.old_median_ns), Nanos(c.new_median_ns)),
                change,
                with_rule(&wording::change_rule(c, b), &format::p_text(c.p_adjusted)),
            ]
        })
        .collect();
    format!("{}{}", syntax.heading(&format!("Run {} → run {}", runs - 1, runs)), syntax.table(&header, &align, &rows))
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

/// The text on one line: a line break would end a table row.
pub(crate) fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

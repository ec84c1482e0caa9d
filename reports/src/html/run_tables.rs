//! The tables under the history chart: each benchmark's median in every
//! run, with its ratio to the one reference all runs share, and the change
//! from the run before the last to the last, old → new with its verdict.

use maud::{html, Markup};
use metron::format;
use metron::time::{Nanos, TimeUnit};

use super::chart::overlay::old_and_new;
use super::chart::Figure;
use super::comparisons::change_table;
use crate::chart_data::shared_ids::History;
use crate::ReportError;

/// Medians per benchmark and run, then the latest change with each changed
/// benchmark's old and new distributions.
///
/// # Errors
/// Chart errors.
pub(crate) fn history_tables(h: &History<'_>) -> Result<Markup, ReportError> {
    let runs = h.runs.len();
    let figures = old_and_new_figures(h)?;
    Ok(html! {
        div.table-wrap { table.history {
            thead { tr {
                th { "Benchmark" }
                @for (i, run) in h.runs.iter().enumerate() {
                    th.num { a href={ "#r" (i + 1) } { "Run " (i + 1) } div.sub { (run) } }
                }
            } }
            tbody {
                @for line in &h.lines {
                    tr {
                        td.name { (line.id) }
                        @for run in 0..runs { (median_cell(h, line, run)) }
                    }
                }
            }
        } }
        @if let Some(reference) = &h.reference {
            p.muted {
                "Under each median: its ratio to the median of " code { (reference) } " in the same run, the same \
                 reference for every run."
            }
        }
        @if let Some(change) = &h.latest_change {
            h3 { "Run " (runs - 1) " → run " (runs) }
            p.muted {
                "Each benchmark of the last run against the run before it, tested as a baseline comparison ("
                (change.verdict_test())
                @if change.multiple_comparisons != "none" { ", Benjamini-Hochberg across benchmarks" }
                ")."
            }
            (change_table(change, "history-change", "Old median", "New median"))
            div.figures { @for figure in &figures { (figure) } }
        }
    })
}

/// Most old-and-new distribution charts under the latest change: each costs
/// about 10 kB.
const MOST_OVERLAYS: usize = 12;

/// Each changed benchmark's distributions in the last two runs on one axis.
fn old_and_new_figures(h: &History<'_>) -> Result<Vec<Figure>, ReportError> {
    let (Some(change), Some(new)) = (&h.latest_change, h.runs.len().checked_sub(1)) else { return Ok(Vec::new()) };
    let old = new.saturating_sub(1);
    let mut figures = Vec::new();
    for (k, c) in change.changes.iter().take(MOST_OVERLAYS).enumerate() {
        let Some(line) = h.lines.iter().find(|l| l.id == c.id) else { continue };
        let (Some(before), Some(after)) = (line.in_run(old), line.in_run(new)) else { continue };
        let labels = (format!("run {}", old + 1), format!("run {}", new + 1));
        let id = format!("history-change-{}", k + 1);
        figures.extend(old_and_new((&labels.0, before), (&labels.1, after), change.clock, &id)?);
    }
    Ok(figures)
}

fn median_cell(h: &History<'_>, line: &crate::chart_data::shared_ids::HistoryLine<'_>, run: usize) -> Markup {
    let Some(b) = line.in_run(run) else { return html! { td.num.muted { "—" } } };
    let s = b.headline();
    let unit = TimeUnit::for_value(s.median);
    let t = |ns: f64| Nanos(ns).display_in(unit).to_string();
    let reference = h.reference.as_deref().filter(|r| *r != line.id);
    let base = reference.and_then(|r| h.lines.iter().find(|l| l.id == r)).and_then(|l| l.in_run(run));
    let ratio = base.map(|base| s.median / base.headline().median).filter(|x| x.is_finite());
    html! {
        td.num {
            (t(s.median)) " " span.ci { "[" (t(s.median_ci.lo)) " – " (t(s.median_ci.hi)) "]" }
            @if let Some(x) = ratio { div.sub { (format::ratio(x)) "× reference" } }
            @if h.reference.as_deref() == Some(line.id.as_str()) { div.sub { "reference" } }
        }
    }
}

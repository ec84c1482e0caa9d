//! The document: head with the inline stylesheet and a Content-Security-Policy
//! that forbids scripts and fetches, a header with a table of contents, the
//! history across runs, then one section per run in the order given.
//!
//! Element ids come from positions (`r2-b5` is run 2, benchmark 5), never
//! from names, so they are unique.

use maud::{html, Markup, PreEscaped, DOCTYPE};
use metron::RunRecord;

use super::chart::scaling::scaling_figures;
use super::chart::trend::history_figures;
use super::{benchmark, comparisons, metadata, run_tables, summary};
use crate::chart_data::scaling_groups::scaling_groups;
use crate::chart_data::shared_ids::{history, History};
use crate::ReportError;

const STYLE: &str = include_str!("style.css");

/// Per-benchmark charts cost about 20 kB a benchmark. Up to this many
/// benchmarks over all runs, every run gets them; beyond it only the last
/// run does, so a page of many runs stays a few MB.
const DETAIL_BUDGET: usize = 200;

/// How much of a run the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Everything, with a block of charts per benchmark.
    Full,
    /// Tables, comparisons, scaling and metadata, without per-benchmark charts.
    Summary,
}

/// Scripts, frames, fonts and fetches are all refused; only the inline
/// stylesheet and inline style attributes (legend swatches) are allowed.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// The whole page.
///
/// # Errors
/// [`ReportError::Empty`] when there is nothing to show; chart errors.
pub(crate) fn document(reports: &[RunRecord]) -> Result<String, ReportError> {
    if reports.iter().all(|r| r.benchmarks.is_empty() && r.failures.is_empty() && r.hosts.is_empty()) {
        return Err(ReportError::Empty);
    }
    let history = history(reports);
    let history_section = history.as_ref().map(history_section).transpose()?;
    let total: usize = reports.iter().map(|r| r.benchmarks.len()).sum();
    let runs = reports
        .iter()
        .enumerate()
        .map(|(i, report)| {
            let detail = if i + 1 == reports.len() || total <= DETAIL_BUDGET { Detail::Full } else { Detail::Summary };
            run_section(report, (i + 1, reports.len()), detail)
        })
        .collect::<Result<Vec<Markup>, ReportError>>()?;
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            (head(reports))
            body { main {
                (header(reports, history.is_some()))
                @if let Some(section) = history_section { (section) }
                @for run in runs { (run) }
                footer {
                    "Made by metron-report " (env!("CARGO_PKG_VERSION")) " from metron's JSON results. Times are \
                     per iteration; intervals are 95% confidence intervals."
                }
            } }
        }
    };
    Ok(page.into_string())
}

fn head(reports: &[RunRecord]) -> Markup {
    let title = match reports {
        [one] => format!("metron report: {}", crate::wording::run_name(one)),
        many => format!("metron report: {} runs", many.len()),
    };
    head_with(&title, "")
}

/// The `<head>` of every page this crate writes: the policy that forbids
/// scripts and fetches, the title, and the stylesheet with `extra_style`
/// (this crate's own text, never user text) after it.
pub(crate) fn head_with(title: &str, extra_style: &'static str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta http-equiv="Content-Security-Policy" content=(CSP);
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="generator" content={ "metron-report " (env!("CARGO_PKG_VERSION")) };
            title { (title) }
            // The stylesheets are this crate's own files, not user text.
            style { (PreEscaped(STYLE)) (PreEscaped(extra_style)) }
        }
    }
}

fn header(reports: &[RunRecord], has_history: bool) -> Markup {
    let benchmarks: usize = reports.iter().map(|r| r.benchmarks.len()).sum();
    let runs = if reports.len() == 1 { "1 run".to_string() } else { format!("{} runs", reports.len()) };
    html! {
        header.page {
            h1 { "metron report" }
            p.muted { (runs) ", " (benchmarks) " benchmark result" @if benchmarks != 1 { "s" } "." }
            nav.toc aria-label="Contents" { ul {
                @if has_history { li { a href="#history" { "History across runs" } } }
                @for (i, r) in reports.iter().enumerate() {
                    li { a href={ "#r" (i + 1) } { (run_title(r, i + 1, reports.len())) } }
                }
            } }
        }
    }
}

fn run_title(r: &RunRecord, number: usize, runs: usize) -> String {
    let prefix = if runs == 1 { "Run".to_string() } else { format!("Run {number}") };
    format!("{prefix}: {}", crate::wording::run_name(r))
}

fn history_section(h: &History<'_>) -> Result<Markup, ReportError> {
    let figures = history_figures(h)?;
    let tables = run_tables::history_tables(h)?;
    let n = h.lines.len();
    Ok(html! {
        section id="history" class="history" {
            h2 { "History across runs" }
            p { (n) " benchmark" @if n != 1 { "s" } " appear in more than one run." }
            @for figure in &figures { (figure) }
            (tables)
        }
    })
}

/// One run; `position` is (its number from 1, how many runs).
fn run_section(r: &RunRecord, position: (usize, usize), detail: Detail) -> Result<Markup, ReportError> {
    let (number, runs) = position;
    let id = format!("r{number}");
    let comparisons = comparisons::comparisons(r, &id)?;
    let baseline = comparisons::baseline(r, &id)?;
    let scaling = scaling(r, &id)?;
    let verdict = metadata::verdict(r);
    let articles = if detail == Detail::Full {
        let each = r.benchmarks.iter().enumerate();
        each.map(|(j, b)| benchmark::article(b, &format!("{id}-b{}", j + 1))).collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    Ok(html! {
        section.run id=(id) {
            h2 { (run_title(r, number, runs)) }
            @if r.interrupted {
                p.note.interrupted role="note" {
                    "This run was interrupted before it finished: the results below are what was measured until then."
                }
            }
            // What a producer concluded is the headline: before the
            // (possibly long) summary table. A producer with a short
            // verdict (the concurrency suite) leads with its pictures, then
            // the verdict and its tables; its long conclusion list follows.
            @if let Some(verdict) = &verdict {
                (scaling)
                (verdict)
                (metadata::extension_tables(r))
            } @else {
                (metadata::conclusions(r))
                (metadata::extension_tables(r))
            }
            @if !r.benchmarks.is_empty() { (summary::summary_table(r, &id, detail)) }
            @if let Some(counts) = crate::counted_events::html(r) { (counts) }
            (comparisons)
            (baseline)
            @if verdict.is_some() { (metadata::conclusions(r)) } @else { (scaling) }
            @if !r.benchmarks.is_empty() {
                @if detail == Detail::Summary {
                    p.note {
                        "Charts per benchmark are shown for the last run only on a page of this many benchmarks; \
                         a report of this run alone has them."
                    }
                } @else {
                    h3 { "Benchmarks" }
                    @for article in articles { (article) }
                }
            }
            (metadata::failures(r))
            (metadata::hosts(r))
            (metadata::environment(r))
        }
    })
}

fn scaling(r: &RunRecord, id: &str) -> Result<Markup, ReportError> {
    let groups = scaling_groups(&r.benchmarks);
    if groups.is_empty() {
        return Ok(html! {});
    }
    let drawn = groups
        .iter()
        .enumerate()
        .map(|(k, group)| Ok((group, scaling_figures(group, &format!("{id}-g{}", k + 1))?)))
        .collect::<Result<Vec<_>, ReportError>>()?;
    Ok(html! {
        h3 { "Scaling" }
        @for (group, figures) in &drawn {
            h4 { (group.title) }
            div.figures { @for figure in figures { (figure) } }
        }
    })
}

//! The document: head with the inline stylesheet and a Content-Security-Policy
//! that forbids scripts and fetches, a header with a table of contents, the
//! history across runs, then one section per run in the order given.
//!
//! Element ids come from positions (`r2-b5` is run 2, benchmark 5), never
//! from names, so they are unique and need no escaping.

use std::fmt::Write;

use metron::RunRecord;

use super::chart::history::history_figures;
use super::chart::scaling::scaling_figures;
use super::escape::esc;
use super::{benchmark, metadata, summary};
use crate::chart_data::history::{history, History};
use crate::chart_data::scaling::scaling_groups;
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
    let mut out = String::with_capacity(64 * 1024 * reports.iter().map(|r| r.benchmarks.len() + 1).sum::<usize>());
    head(&mut out, reports);
    out.push_str("<body>\n<main>\n");
    header(&mut out, reports, history.is_some());
    if let Some(h) = &history {
        history_section(&mut out, h)?;
    }
    let total: usize = reports.iter().map(|r| r.benchmarks.len()).sum();
    for (i, report) in reports.iter().enumerate() {
        let detail = if i + 1 == reports.len() || total <= DETAIL_BUDGET { Detail::Full } else { Detail::Summary };
        run_section(&mut out, report, (i + 1, reports.len()), detail)?;
    }
    let _ = writeln!(
        out,
        "<footer>Made by metron-report {} from metron's JSON results. Times are per iteration; \
         intervals are 95% confidence intervals.</footer>\n</main>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    Ok(out)
}

fn head(out: &mut String, reports: &[RunRecord]) {
    let title = match reports {
        [one] => format!("metron report: {} on {}", one.environment.started_at, one.environment.hostname),
        many => format!("metron report: {} runs", many.len()),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"metron-report {}\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&title)
    );
}

fn header(out: &mut String, reports: &[RunRecord], has_history: bool) {
    let benchmarks: usize = reports.iter().map(|r| r.benchmarks.len()).sum();
    let runs = if reports.len() == 1 { "1 run".to_string() } else { format!("{} runs", reports.len()) };
    let _ = writeln!(
        out,
        "<header class=\"page\">\n<h1>metron report</h1>\n<p class=\"muted\">{runs}, {benchmarks} benchmark result{}.</p>",
        if benchmarks == 1 { "" } else { "s" }
    );
    out.push_str("<nav class=\"toc\" aria-label=\"Contents\"><ul>\n");
    if has_history {
        out.push_str("<li><a href=\"#history\">History across runs</a></li>\n");
    }
    for (i, r) in reports.iter().enumerate() {
        let _ = writeln!(out, "<li><a href=\"#r{n}\">{}</a></li>", esc(&run_title(r, i + 1, reports.len())), n = i + 1);
    }
    out.push_str("</ul></nav>\n</header>\n");
}

fn run_title(r: &RunRecord, number: usize, runs: usize) -> String {
    let env = &r.environment;
    let prefix = if runs == 1 { "Run".to_string() } else { format!("Run {number}") };
    format!("{prefix}: {} on {}", env.started_at, env.hostname)
}

fn history_section(out: &mut String, h: &History<'_>) -> Result<(), ReportError> {
    out.push_str("<section id=\"history\" class=\"history\">\n<h2>History across runs</h2>\n");
    let _ = writeln!(
        out,
        "<p>{} benchmark{} appear in more than one run.</p>",
        h.lines.len(),
        if h.lines.len() == 1 { "" } else { "s" }
    );
    for figure in history_figures(h)? {
        out.push_str(&figure.html());
    }
    summary::history_table(out, h);
    out.push_str("</section>\n");
    Ok(())
}

/// One run; `position` is (its number from 1, how many runs).
fn run_section(out: &mut String, r: &RunRecord, position: (usize, usize), detail: Detail) -> Result<(), ReportError> {
    let (number, runs) = position;
    let id = format!("r{number}");
    let _ = writeln!(out, "<section class=\"run\" id=\"{id}\">\n<h2>{}</h2>", esc(&run_title(r, number, runs)));
    if r.interrupted {
        out.push_str(
            "<p class=\"note interrupted\" role=\"note\">This run was interrupted before it finished: the \
             results below are what was measured until then.</p>\n",
        );
    }
    // What a producer concluded is the headline: before the (possibly
    // long) summary table.
    metadata::conclusions(out, r);
    metadata::extension_tables(out, r);
    if !r.benchmarks.is_empty() {
        summary::summary_table(out, r, &id, detail);
    }
    summary::comparisons(out, r, &id)?;
    summary::baseline(out, r, &id)?;
    scaling(out, r, &id)?;
    if detail == Detail::Summary && !r.benchmarks.is_empty() {
        out.push_str(
            "<p class=\"note\">Charts per benchmark are shown for the last run only on a page of this many \
             benchmarks; a report of this run alone has them.</p>\n",
        );
    } else if !r.benchmarks.is_empty() {
        out.push_str("<h3>Benchmarks</h3>\n");
        for (j, b) in r.benchmarks.iter().enumerate() {
            benchmark::article(out, b, &format!("{id}-b{}", j + 1))?;
        }
    }
    metadata::failures(out, r);
    metadata::hosts(out, r);
    metadata::environment(out, r);
    out.push_str("</section>\n");
    Ok(())
}

fn scaling(out: &mut String, r: &RunRecord, id: &str) -> Result<(), ReportError> {
    let groups = scaling_groups(&r.benchmarks);
    if groups.is_empty() {
        return Ok(());
    }
    out.push_str("<h3>Scaling</h3>\n");
    for (k, group) in groups.iter().enumerate() {
        let _ = writeln!(out, "<h4>{}</h4>\n<div class=\"figures\">", esc(&group.title));
        for figure in scaling_figures(group, &format!("{id}-g{}", k + 1))? {
            out.push_str(&figure.html());
        }
        out.push_str("</div>\n");
    }
    Ok(())
}

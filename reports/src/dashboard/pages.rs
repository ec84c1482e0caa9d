//! The dashboard's pages, written by `maud` templates that escape every
//! value; only the stylesheet and the charts' SVG enter unescaped, as in
//! the report.

use maud::{html, Markup, PreEscaped, DOCTYPE};
use metron::time::Nanos;

use super::{chart, Dashboard, Trend};
use crate::html::page::head_with;
use crate::ReportError;

/// What the dashboard adds to the report's stylesheet.
const DASHBOARD_STYLE: &str = "
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--accent); border-radius: 6px; padding: 8px 10px; }
.card[data-verdict=regressed] { border-left-color: var(--worse); }
.card[data-verdict=improved] { border-left-color: var(--better); }
.card h2 { font-size: 15px; margin: 0 0 4px; border: 0; padding: 0; word-break: break-word; }
.card figure { margin: 0; }
.card svg { width: 100%; height: auto; }
.verdict-regressed { color: var(--worse); font-weight: 600; }
.verdict-improved { color: var(--better); font-weight: 600; }
";

/// The file of benchmark `i`'s page: from its position, never its name.
pub(crate) fn page_file(i: usize) -> String {
    format!("b{}.html", i + 1)
}

/// A whole page: the report's `<head>` with the dashboard's styles, then `body`.
fn document(title: &str, body: Markup) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            (head_with(title, DASHBOARD_STYLE))
            body { main { (body) (footer()) } }
        }
    };
    page.into_string()
}

/// The index: a card per benchmark.
///
/// # Errors
/// [`ReportError::Chart`].
pub(crate) fn index(d: &Dashboard) -> Result<String, ReportError> {
    let regressed = d.benchmarks.iter().filter(|t| t.verdict == super::Verdict::Regressed).count();
    let cards = d.benchmarks.iter().enumerate().map(|(i, t)| card(i, t)).collect::<Result<Vec<_>, _>>()?;
    let body = html! {
        header.page {
            h1 { "Performance history" }
            p.muted { (d.title) ": " (d.benchmarks.len()) " benchmarks, " (regressed) " regressed at their last change point." }
        }
        div.cards { @for c in cards { (c) } }
    };
    Ok(document(&format!("metron history: {}", d.title), body))
}

fn card(i: usize, t: &Trend) -> Result<Markup, ReportError> {
    let svg = chart::sparkline(t)?;
    let word = t.verdict.word();
    let latest = t.lines.iter().filter_map(|l| l.points.last()).map(|p| p.median_ns).next();
    Ok(html! {
        article.card data-verdict=(word) {
            h2 { a href=(page_file(i)) { (t.name) } }
            // The chart's SVG enters unescaped as the report's figures do:
            // plotters escapes the text it draws, `compact` the accessible name.
            figure.chart data-chart="sparkline" { (PreEscaped(svg)) }
            p.sub {
                span class={ "verdict-" (word) } { (word) }
                " · " (t.runs.len()) " runs"
                @if let Some(ns) = latest { " · latest " (Nanos(ns)) }
            }
        }
    })
}

/// One benchmark's page: the series chart, its change points and its runs.
///
/// # Errors
/// [`ReportError::Chart`].
pub(crate) fn benchmark_page(d: &Dashboard, _i: usize, t: &Trend) -> Result<String, ReportError> {
    let figure = chart::series(t)?;
    let body = html! {
        header.page {
            p { a href="index.html" { "← " (d.title) } }
            h1 { (t.name) }
            p.muted { "Latest verdict: " span class={ "verdict-" (t.verdict.word()) } { (t.verdict.word()) } }
        }
        (figure)
        (changes_table(t))
        (runs_table(t))
    };
    Ok(document(&format!("metron history: {}", t.name), body))
}

fn changes_table(t: &Trend) -> Markup {
    let rows: Vec<_> = t.lines.iter().flat_map(|l| l.changes.iter().map(move |c| (l, c))).collect();
    html! {
        h2 { "Change points" }
        @if rows.is_empty() {
            p { "None: one level throughout." }
        } @else {
            div.table-wrap { table.change-points {
                thead { tr { th { "host" } th { "first run at the new level" } th.num { "change" } th.num { "95% CI" } th.num { "p" } } }
                tbody { @for (line, c) in &rows {
                    tr {
                        td { (line.name) }
                        td { (t.runs.get(c.run).map_or("", String::as_str)) }
                        td.num { (metron::format::signed_percent(c.change)) }
                        td.num { (metron::format::signed_percent(c.ci.lo)) " to " (metron::format::signed_percent(c.ci.hi)) }
                        td.num { (metron::format::p_text(c.p_value)) }
                    }
                } }
            } }
        }
    }
}

fn runs_table(t: &Trend) -> Markup {
    html! {
        h2 { "Runs" }
        div.table-wrap { table.runs {
            thead { tr { th { "host" } th { "run" } th.num { "median" } th.num { "95% CI" } } }
            tbody { @for line in &t.lines { @for p in &line.points {
                tr {
                    td { (line.name) }
                    td { (t.runs.get(p.run).map_or("", String::as_str)) }
                    td.num { (Nanos(p.median_ns)) }
                    td.num { (Nanos(p.ci.lo)) " – " (Nanos(p.ci.hi)) }
                }
            } } }
        } }
    }
}

fn footer() -> Markup {
    html! {
        footer {
            "Made by metron-report " (env!("CARGO_PKG_VERSION")) " from a metron history. Times are per iteration; \
             intervals are 95% confidence intervals; change points by PELT with a robust cost over each run's estimate."
        }
    }
}

//! What was compared with what: the run's paired comparisons (the
//! sentences, a table with the ratio, the ratio of medians and the
//! difference, a ratios chart, and one chart of every compared benchmark's
//! distribution on a shared axis) and the changes against a baseline (old →
//! new with the change and a ratios chart). Every verdict says its rule.

use maud::{html, Markup};
use metron::format;
use metron::model::{BaselineComparison, PairedComparison};
use metron::terminal::{verdict_line, Colour};
use metron::time::{Nanos, TimeUnit};
use metron::RunRecord;

use super::chart::overlay::overlay;
use super::chart::ratios::{ratios, RatioRow};
use super::summary::{change_tone, paired_tone, verdict_span};
use crate::wording;
use crate::ReportError;

/// The paired comparisons of the run: the sentences, a table, a ratios chart
/// and the compared distributions.
///
/// # Errors
/// Chart errors.
pub(crate) fn comparisons(r: &RunRecord, id: &str) -> Result<Markup, ReportError> {
    if r.comparisons.is_empty() {
        return Ok(html! {});
    }
    let chart = comparisons_chart(r, id)?;
    let distributions = overlay(r, &format!("{id}-overlay"))?;
    let kinds: Vec<&str> = r.comparisons.iter().map(wording::ratio_kind).collect();
    let shared_kind = kinds.iter().all(|k| *k == kinds[0]).then_some(kinds[0]);
    Ok(html! {
        h3 { "Comparisons" }
        ul.verdicts {
            @for c in &r.comparisons {
                li { (verdict_line(c, Colour::Never)) div.rule { "Verdict rule: " (wording::paired_rule(c)) "." } }
            }
        }
        div.table-wrap { table.comparisons {
            thead { tr {
                th { "Reference" }
                th { "Candidate" }
                th.num { "Ratio [95% CI]" @if let Some(kind) = shared_kind { div.sub { (kind) } } }
                th.num title="candidate median / reference median" { "Ratio of medians" }
                th.num { "Difference [95% CI]" }
                th.num { "p" }
                th { "Test" }
                th.num { "n" }
                th { "Verdict" }
            } }
            tbody { @for c in &r.comparisons { (comparison_row(r, c, shared_kind.is_none())) } }
        } }
        @if let Some(figure) = chart { (figure) }
        @if let Some(figure) = distributions { (figure) }
    })
}

fn comparison_row(r: &RunRecord, c: &PairedComparison, label_each: bool) -> Markup {
    let gap = c.difference_ns.abs().max(c.difference_ci.lo.abs()).max(c.difference_ci.hi.abs());
    let unit = TimeUnit::for_value(gap);
    let t = |ns: f64| if c.clock.is_count() { format::count(ns) } else { Nanos(ns).display_in(unit).to_string() };
    let medians = wording::median_ratio(r, c).map_or_else(|| "—".to_string(), format::ratio);
    html! {
        tr {
            td { (c.reference) }
            td { (c.candidate) }
            td.num {
                (format::ratio(c.ratio)) " " span.ci { "[" (format::ratio(c.ci.lo)) " – " (format::ratio(c.ci.hi)) "]" }
                @if label_each { div.sub { (wording::ratio_kind(c)) } }
            }
            td.num { (medians) }
            td.num { (t(c.difference_ns)) " " span.ci { "[" (t(c.difference_ci.lo)) " – " (t(c.difference_ci.hi)) "]" } }
            td.num { (format::p_text(wording::paired_p(c))) }
            td.test { (c.test) }
            td.num { (c.n) }
            td {
                (verdict_span(paired_tone(c.verdict), wording::paired_verdict(c.verdict)))
                div.rule { (wording::paired_rule(c)) }
            }
        }
    }
}

fn comparisons_chart(r: &RunRecord, id: &str) -> Result<Option<super::chart::Figure>, ReportError> {
    let shared = shared_reference(&r.comparisons);
    let rows: Vec<RatioRow> = r
        .comparisons
        .iter()
        .map(|c| RatioRow {
            label: if shared.is_some() { c.candidate.clone() } else { format!("{} / {}", c.candidate, c.reference) },
            ratio: c.ratio,
            lo: c.ci.lo,
            hi: c.ci.hi,
            tone: paired_tone(c.verdict),
        })
        .collect();
    let caption = html! {
        "Time of each candidate divided by the time of "
        @if let Some(s) = shared { code { (s) } } @else { "its reference" }
        " (" (wording::ratio_kind(&r.comparisons[0])) "), with 95% confidence intervals (log scale; below 1 is \
         faster)."
    };
    ratios(&rows, &format!("{id}-ratios"), "candidate time / reference time (log scale)", caption)
}

fn shared_reference(comparisons: &[PairedComparison]) -> Option<&str> {
    let first = comparisons.first()?.reference.as_str();
    comparisons.iter().all(|c| c.reference == first).then_some(first)
}

/// The changes against a baseline: a table old → new, what was compared
/// how, and a ratios chart of new / old.
///
/// # Errors
/// Chart errors.
pub(crate) fn baseline(r: &RunRecord, id: &str) -> Result<Markup, ReportError> {
    let Some(b) = &r.baseline else { return Ok(html! {}) };
    let chart = baseline_chart(b, id)?;
    Ok(html! {
        h3 { "Against the baseline " code { (b.baseline) } }
        p.muted { (baseline_method(b)) }
        (change_table(b, "baseline", "Old median", "New median"))
        (id_list("Only in the baseline", &b.only_in_baseline))
        (id_list("New (not in the baseline)", &b.only_in_new))
        @for note in &b.environment_notes { p.note role="note" { "Note: " (note) "." } }
        @if let Some(figure) = chart { (figure) }
    })
}

/// One row per changed benchmark: old median → new median, the change with
/// its CI, p and the verdict with its rule. Used for the baseline and for
/// the last two runs of a history.
pub(crate) fn change_table(b: &BaselineComparison, class: &str, old: &str, new: &str) -> Markup {
    html! {
        div.table-wrap { table class=(class) {
            thead { tr {
                th { "Benchmark" }
                th.num { (old) }
                th.num { (new) }
                th.num { "Change [95% CI]" }
                th.num { "p" }
                th { "Verdict" }
            } }
            tbody {
                @for c in &b.changes {
                    tr {
                        td { (c.id) }
                        td.num { (format::per_iteration(b.clock, c.old_median_ns)) }
                        td.num { "→ " (format::per_iteration(b.clock, c.new_median_ns)) }
                        td.num {
                            (format::signed_percent(c.change)) " "
                            span.ci { "[" (format::signed_percent(c.ci.lo)) " – " (format::signed_percent(c.ci.hi)) "]" }
                        }
                        td.num { (format::p_text(c.p_adjusted)) }
                        td {
                            (verdict_span(change_tone(c.verdict), wording::change_verdict(c.verdict)))
                            div.rule { (wording::change_rule(c, b)) }
                        }
                    }
                }
            }
        } }
    }
}

fn baseline_chart(b: &BaselineComparison, id: &str) -> Result<Option<super::chart::Figure>, ReportError> {
    let rows: Vec<RatioRow> = b
        .changes
        .iter()
        .map(|c| RatioRow {
            label: c.id.clone(),
            ratio: 1.0 + c.change,
            lo: 1.0 + c.ci.lo,
            hi: 1.0 + c.ci.hi,
            tone: change_tone(c.verdict),
        })
        .collect();
    let caption = html! {
        "New median divided by the baseline's, with the 95% confidence interval of the change (log scale; below 1 \
         is faster)."
    };
    ratios(&rows, &format!("{id}-baseline-ratios"), "new time / baseline time (log scale)", caption)
}

fn baseline_method(b: &BaselineComparison) -> String {
    let fdr = if b.multiple_comparisons == "none" {
        String::new()
    } else {
        format!("; p-values adjusted across {} benchmarks ({})", b.changes.len(), b.multiple_comparisons)
    };
    format!(
        "{} clock, α = {}, changes within ±{}% count as noise; tests: {}{fdr}.",
        b.clock,
        b.alpha,
        b.noise * 100.0,
        b.tests.join(", ")
    )
}

fn id_list(title: &str, ids: &[String]) -> Markup {
    html! {
        @if !ids.is_empty() {
            p { (title) ": " @for (i, id) in ids.iter().enumerate() { @if i > 0 { ", " } code { (id) } } }
        }
    }
}

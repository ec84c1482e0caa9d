//! The table a reader starts from: one row per benchmark (the
//! [`SummaryRow`]s), with where each stands against the run's reference and
//! against the baseline, old → new, each verdict with its rule.
//!
//! Every row picks the time unit that suits its own median, and prints the
//! interval in the same unit so the figures compare at a glance.

use maud::{html, Markup};
use metron::format::{self, kib};
use metron::model::{ChangeVerdict, PairedVerdict};
use metron::time::{Nanos, TimeUnit};
use metron::RunRecord;

use super::chart::ratios::Tone;
use super::page::Detail;
use crate::row::SummaryRow;
use crate::wording::{self, Relation};

/// `<table class="summary">`: one row per benchmark.
pub(crate) fn summary_table(r: &RunRecord, id: &str, detail: Detail) -> Markup {
    let rss = r.benchmarks.iter().any(|b| b.max_rss_kib.is_some());
    let throughput = r.benchmarks.iter().any(|b| !b.throughput.is_empty());
    let relative = !r.comparisons.is_empty();
    let baseline = r.baseline.is_some();
    let rows = SummaryRow::all(r);
    let kinds: Vec<&str> = r.comparisons.iter().map(wording::ratio_kind).collect();
    let ratio_kind = kinds.first().filter(|k| kinds.iter().all(|x| x == *k));
    html! {
        h3 { "Summary" }
        div.table-wrap { table.summary {
            thead { tr {
                th { "Benchmark" }
                th.num { "Median [95% CI]" }
                th.num { "Mean ± σ" }
                th.num { "Min" }
                th.num title="samples" { "n" }
                th.num title="CPU time / wall time (medians)" { "CPU / wall" }
                @if throughput { th.num title="at the median time" { "Throughput [95% CI]" } }
                @if rss { th.num { "Peak RSS" } }
                @if relative {
                    th { "Relative to reference" @if let Some(kind) = ratio_kind { div.sub { "ratio: " (kind) "; ratio of medians below it" } } }
                }
                @if baseline { th { "Against baseline: old → new" } }
            } }
            tbody {
                @for (j, row) in rows.iter().enumerate() {
                    tr {
                        (name_cell(row, (detail == Detail::Full).then(|| format!("{id}-b{}", j + 1))))
                        (stat_cells(row))
                        @if throughput { td.num { (row.throughput().unwrap_or_else(|| "—".to_string())) } }
                        @if rss { td.num { (row.bench.max_rss_kib.map_or_else(|| "—".to_string(), kib)) } }
                        @if relative { td.against { (relative_cell(row)) } }
                        @if baseline { td.against { (baseline_cell(row)) } }
                    }
                }
            }
        } }
        (rules(&rows))
    }
}

/// Every verdict rule the table's verdicts followed, once each, under the
/// table: the verdicts stay short and none goes without its rule.
fn rules(rows: &[SummaryRow<'_>]) -> Markup {
    let mut rules: Vec<String> = Vec::new();
    for row in rows {
        let paired = match row.relation {
            Relation::Candidate(c) => Some(wording::paired_rule(c)),
            _ => None,
        };
        let change = row.change.zip(row.baseline).map(|(c, b)| wording::change_rule(c, b));
        for rule in paired.into_iter().chain(change) {
            if !rules.contains(&rule) {
                rules.push(rule);
            }
        }
    }
    html! {
        @if !rules.is_empty() {
            div.rules {
                "How each verdict above was decided:"
                ul { @for rule in &rules { li { (rule) } } }
            }
        }
    }
}

/// The name (linked to the benchmark's charts when they are on the page)
/// with host, group, parameters and command under it.
fn name_cell(row: &SummaryRow<'_>, anchor: Option<String>) -> Markup {
    let b = row.bench;
    let mut sub: Vec<Markup> = Vec::new();
    if let Some(h) = &b.host {
        sub.push(html! { "host " (h) });
    }
    if let Some(g) = &b.group {
        sub.push(html! { "group " (g) });
    }
    if !b.parameters.is_empty() {
        sub.push(html! { (wording::parameters_readable(&b.parameters)) });
    }
    if let Some(c) = b.command.as_deref().filter(|c| *c != b.name) {
        sub.push(html! { code { (c) } });
    }
    html! {
        td.name {
            @if let Some(anchor) = anchor { a href={ "#" (anchor) } { (b.name) } } @else { (b.name) }
            @if !sub.is_empty() {
                div.sub { @for (i, part) in sub.iter().enumerate() { @if i > 0 { " · " } (part) } }
            }
        }
    }
}

fn stat_cells(row: &SummaryRow<'_>) -> Markup {
    let unit = TimeUnit::for_value(row.stats.median);
    let t = row.times(|ns| Nanos(ns).display_in(unit).to_string());
    html! {
        td.num { (t.median) " " span.ci { "[" (t.ci_lo) " – " (t.ci_hi) "]" } }
        td.num { (t.mean) " ± " (Nanos(row.stats.std_dev)) }
        td.num { (t.min) }
        td.num { (row.stats.n) }
        td.num { (row.cpu_wall.map_or_else(|| "—".to_string(), |u| format!("{u:.2}"))) }
    }
}

/// Which way a paired verdict went.
pub(crate) fn paired_tone(v: PairedVerdict) -> Tone {
    match v {
        PairedVerdict::Faster => Tone::Better,
        PairedVerdict::Slower => Tone::Worse,
        PairedVerdict::NoDifference => Tone::Neutral,
    }
}

/// Which way a change against a baseline went.
pub(crate) fn change_tone(v: ChangeVerdict) -> Tone {
    match v {
        ChangeVerdict::Improved => Tone::Better,
        ChangeVerdict::Regressed => Tone::Worse,
        ChangeVerdict::Unchanged => Tone::Neutral,
    }
}

/// `<span class="verdict better">faster</span>`.
pub(crate) fn verdict_span(tone: Tone, word: &str) -> Markup {
    let class = match tone {
        Tone::Better => "better",
        Tone::Worse => "worse",
        Tone::Neutral => "neutral",
    };
    html! { span class={ "verdict " (class) } { (word) } }
}

fn relative_cell(row: &SummaryRow<'_>) -> Markup {
    match row.relation {
        Relation::Candidate(c) => html! {
            (format::ratio(c.ratio)) "× "
            (verdict_span(paired_tone(c.verdict), wording::paired_verdict(c.verdict)))
            span.ci {
                "[" (format::ratio(c.ci.lo)) " – " (format::ratio(c.ci.hi)) "] · "
                (format::p_text(wording::paired_p(c)))
            }
            @if let Some(m) = row.median_ratio { span.ci { "medians: " (format::ratio(m)) "×" } }
        },
        Relation::Reference => html! { span.verdict.neutral { "reference" } },
        Relation::Unrelated => html! { "—" },
    }
}

fn baseline_cell(row: &SummaryRow<'_>) -> Markup {
    match row.change {
        Some(c) => html! {
            (Nanos(c.old_median_ns)) " → " (Nanos(c.new_median_ns)) " "
            (verdict_span(change_tone(c.verdict), wording::change_verdict(c.verdict)))
            span.ci {
                (format::signed_percent(c.change)) " [" (format::signed_percent(c.ci.lo)) " – "
                (format::signed_percent(c.ci.hi)) "] · " (format::p_text(c.p_adjusted))
            }
        },
        None => html! { span.muted { "new" } },
    }
}

//! The tables a reader starts from: the summary of every benchmark, the
//! paired comparisons and the changes against a baseline (each with a ratios
//! chart), and the medians across runs under the history chart.
//!
//! Every row picks the time unit that suits its own median, and prints the
//! interval in the same unit so the figures compare at a glance.

use std::fmt::Write;

use metron::format::{self, kib};
use metron::model::{BaselineComparison, ChangeVerdict, PairedComparison, PairedVerdict};
use metron::terminal::{verdict_line, Colour};
use metron::time::{Nanos, TimeUnit};
use metron::{BenchmarkResult, RunRecord};

use super::chart::ratios::{ratios, RatioRow, Tone};
use super::escape::esc;
use super::page::Detail;
use crate::chart_data::history::History;
use crate::wording::{self, Relation};
use crate::ReportError;

/// `<table class="summary">`: one row per benchmark.
pub(crate) fn summary_table(out: &mut String, r: &RunRecord, id: &str, detail: Detail) {
    let rss = r.benchmarks.iter().any(|b| b.max_rss_kib.is_some());
    let relative = !r.comparisons.is_empty();
    let baseline = r.baseline.is_some();
    out.push_str(
        "<h3>Summary</h3>\n<div class=\"table-wrap\"><table class=\"summary\">\n<thead><tr><th>Benchmark</th>",
    );
    out.push_str("<th class=\"num\">Median [95% CI]</th><th class=\"num\">Mean ± σ</th><th class=\"num\">Min</th>");
    out.push_str("<th class=\"num\" title=\"samples\">n</th><th class=\"num\" title=\"CPU time / wall time (medians)\">CPU / wall</th>");
    if rss {
        out.push_str("<th class=\"num\">Peak RSS</th>");
    }
    if relative {
        out.push_str("<th>Relative to reference</th>");
    }
    if baseline {
        out.push_str("<th>Against baseline</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (j, b) in r.benchmarks.iter().enumerate() {
        let bench_id = b.id();
        let anchor = (detail == Detail::Full).then(|| format!("{id}-b{}", j + 1));
        let _ = write!(out, "<tr>{}", name_cell(b, anchor.as_deref()));
        out.push_str(&stat_cells(b));
        if rss {
            let _ = write!(out, "<td class=\"num\">{}</td>", b.max_rss_kib.map(kib).unwrap_or_else(|| "—".into()));
        }
        if relative {
            let _ = write!(out, "<td>{}</td>", relative_cell(wording::relation(r, &bench_id)));
        }
        if baseline {
            let _ = write!(out, "<td>{}</td>", baseline_cell(r, &bench_id));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// The name (linked to the benchmark's charts when they are on the page)
/// with group, parameters, host and command under it.
fn name_cell(b: &BenchmarkResult, anchor: Option<&str>) -> String {
    let mut sub = Vec::new();
    if let Some(h) = &b.host {
        sub.push(format!("host {}", esc(h)));
    }
    if let Some(g) = &b.group {
        sub.push(format!("group {}", esc(g)));
    }
    if !b.parameters.is_empty() {
        sub.push(esc(&wording::parameters_readable(&b.parameters)).to_string());
    }
    if let Some(c) = b.command.as_deref().filter(|c| *c != b.name) {
        sub.push(format!("<code>{}</code>", esc(c)));
    }
    let sub = if sub.is_empty() { String::new() } else { format!("<div class=\"sub\">{}</div>", sub.join(" · ")) };
    match anchor {
        Some(anchor) => format!("<td class=\"name\"><a href=\"#{anchor}\">{}</a>{sub}</td>", esc(&b.name)),
        None => format!("<td class=\"name\">{}{sub}</td>", esc(&b.name)),
    }
}

fn stat_cells(b: &BenchmarkResult) -> String {
    let s = b.headline();
    let unit = TimeUnit::for_value(s.median);
    let t = |ns: f64| Nanos(ns).display_in(unit);
    let cpu = b.cpu_utilisation().map_or_else(|| "—".to_string(), |u| format!("{u:.2}"));
    format!(
        "<td class=\"num\">{} <span class=\"ci\">[{} – {}]</span></td><td class=\"num\">{} ± {}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{cpu}</td>",
        t(s.median),
        t(s.median_ci.lo),
        t(s.median_ci.hi),
        t(s.mean),
        Nanos(s.std_dev),
        t(s.min),
        s.n
    )
}

fn paired_tone(v: PairedVerdict) -> Tone {
    match v {
        PairedVerdict::Faster => Tone::Better,
        PairedVerdict::Slower => Tone::Worse,
        PairedVerdict::NoDifference => Tone::Neutral,
    }
}

fn change_tone(v: ChangeVerdict) -> Tone {
    match v {
        ChangeVerdict::Improved => Tone::Better,
        ChangeVerdict::Regressed => Tone::Worse,
        ChangeVerdict::Unchanged => Tone::Neutral,
    }
}

fn verdict_span(tone: Tone, word: &str) -> String {
    let class = match tone {
        Tone::Better => "better",
        Tone::Worse => "worse",
        Tone::Neutral => "neutral",
    };
    format!("<span class=\"verdict {class}\">{}</span>", esc(word))
}

fn relative_cell(relation: Relation<'_>) -> String {
    match relation {
        Relation::Candidate(c) => format!(
            "{}× {}<span class=\"ci\">[{} – {}] · {}</span>",
            format::ratio(c.ratio),
            verdict_span(paired_tone(c.verdict), wording::paired_verdict(c.verdict)),
            format::ratio(c.ci.lo),
            format::ratio(c.ci.hi),
            esc(&format::p_text(wording::paired_p(c)))
        ),
        Relation::Reference => "<span class=\"verdict neutral\">reference</span>".to_string(),
        Relation::Unrelated => "—".to_string(),
    }
}

fn baseline_cell(r: &RunRecord, id: &str) -> String {
    match wording::change_for(r.baseline.as_ref(), id) {
        Some(c) => format!(
            "{} {}<span class=\"ci\">[{} – {}] · {}</span>",
            format::signed_percent(c.change),
            verdict_span(change_tone(c.verdict), wording::change_verdict(c.verdict)),
            format::signed_percent(c.ci.lo),
            format::signed_percent(c.ci.hi),
            esc(&format::p_text(c.p_adjusted))
        ),
        None => "<span class=\"muted\">new</span>".to_string(),
    }
}

/// The paired comparisons of the run: a table, the sentences, a ratios chart.
///
/// # Errors
/// Chart errors.
pub(crate) fn comparisons(out: &mut String, r: &RunRecord, id: &str) -> Result<(), ReportError> {
    if r.comparisons.is_empty() {
        return Ok(());
    }
    out.push_str("<h3>Comparisons</h3>\n<ul class=\"verdicts\">\n");
    for c in &r.comparisons {
        let _ = writeln!(out, "<li>{}</li>", esc(&verdict_line(c, Colour::Never)));
    }
    out.push_str("</ul>\n<div class=\"table-wrap\"><table class=\"comparisons\">\n<thead><tr><th>Reference</th>");
    out.push_str("<th>Candidate</th><th class=\"num\">Ratio [95% CI]</th><th class=\"num\">Difference [95% CI]</th>");
    out.push_str(
        "<th class=\"num\">p</th><th>Test</th><th class=\"num\">n</th><th>Verdict</th></tr></thead>\n<tbody>\n",
    );
    for c in &r.comparisons {
        comparison_row(out, c);
    }
    out.push_str("</tbody></table></div>\n");
    comparisons_chart(out, r, id)
}

fn comparisons_chart(out: &mut String, r: &RunRecord, id: &str) -> Result<(), ReportError> {
    let rows: Vec<RatioRow> = r
        .comparisons
        .iter()
        .map(|c| RatioRow {
            label: comparison_label(r, c),
            ratio: c.ratio,
            lo: c.ci.lo,
            hi: c.ci.hi,
            tone: paired_tone(c.verdict),
        })
        .collect();
    let shared = shared_reference(&r.comparisons);
    let against = shared.map_or_else(|| "its reference".to_string(), |s| format!("<code>{}</code>", esc(s)));
    let caption = format!(
        "Time of each candidate divided by the time of {against}, with 95% confidence intervals \
         (log scale; below 1 is faster)."
    );
    let x_desc = "candidate time / reference time (log scale)";
    if let Some(figure) = ratios(&rows, &format!("{id}-ratios"), x_desc, caption)? {
        out.push_str(&figure.html());
    }
    Ok(())
}

fn shared_reference(comparisons: &[PairedComparison]) -> Option<&str> {
    let first = comparisons.first()?.reference.as_str();
    comparisons.iter().all(|c| c.reference == first).then_some(first)
}

fn comparison_label(r: &RunRecord, c: &PairedComparison) -> String {
    if shared_reference(&r.comparisons).is_some() {
        c.candidate.clone()
    } else {
        format!("{} / {}", c.candidate, c.reference)
    }
}

fn comparison_row(out: &mut String, c: &PairedComparison) {
    let gap = c.difference_ns.abs().max(c.difference_ci.lo.abs()).max(c.difference_ci.hi.abs());
    let unit = TimeUnit::for_value(gap);
    let t = |ns: f64| Nanos(ns).display_in(unit);
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{} <span class=\"ci\">[{} – {}]</span></td>\
         <td class=\"num\">{} <span class=\"ci\">[{} – {}]</span></td><td class=\"num\">{}</td><td>{}</td>\
         <td class=\"num\">{}</td><td>{}</td></tr>",
        esc(&c.reference),
        esc(&c.candidate),
        format::ratio(c.ratio),
        format::ratio(c.ci.lo),
        format::ratio(c.ci.hi),
        t(c.difference_ns),
        t(c.difference_ci.lo),
        t(c.difference_ci.hi),
        esc(&format::p_text(wording::paired_p(c))),
        esc(&c.test),
        c.n,
        verdict_span(paired_tone(c.verdict), wording::paired_verdict(c.verdict)),
    );
}

/// The changes against a baseline: a table, what was compared how, and a
/// ratios chart of new / old.
///
/// # Errors
/// Chart errors.
pub(crate) fn baseline(out: &mut String, r: &RunRecord, id: &str) -> Result<(), ReportError> {
    let Some(b) = &r.baseline else { return Ok(()) };
    let _ = writeln!(out, "<h3>Against the baseline <code>{}</code></h3>", esc(&b.baseline));
    let _ = writeln!(out, "<p class=\"muted\">{}</p>", esc(&baseline_method(b)));
    out.push_str("<div class=\"table-wrap\"><table class=\"baseline\">\n<thead><tr><th>Benchmark</th>");
    out.push_str("<th class=\"num\">Old median</th><th class=\"num\">New median</th>");
    out.push_str(
        "<th class=\"num\">Change [95% CI]</th><th class=\"num\">p</th><th>Verdict</th></tr></thead>\n<tbody>\n",
    );
    for c in &b.changes {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} \
             <span class=\"ci\">[{} – {}]</span></td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&c.id),
            Nanos(c.old_median_ns),
            Nanos(c.new_median_ns),
            format::signed_percent(c.change),
            format::signed_percent(c.ci.lo),
            format::signed_percent(c.ci.hi),
            esc(&format::p_text(c.p_adjusted)),
            verdict_span(change_tone(c.verdict), wording::change_verdict(c.verdict)),
        );
    }
    out.push_str("</tbody></table></div>\n");
    id_list(out, "Only in the baseline", &b.only_in_baseline);
    id_list(out, "New (not in the baseline)", &b.only_in_new);
    for note in &b.environment_notes {
        let _ = writeln!(out, "<p class=\"note\" role=\"note\">Note: {}.</p>", esc(note));
    }
    baseline_chart(out, b, id)
}

fn baseline_chart(out: &mut String, b: &BaselineComparison, id: &str) -> Result<(), ReportError> {
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
    let caption = "New median divided by the baseline's, with the 95% confidence interval of the change \
                   (log scale; below 1 is faster)."
        .to_string();
    let x_desc = "new time / baseline time (log scale)";
    if let Some(figure) = ratios(&rows, &format!("{id}-baseline-ratios"), x_desc, caption)? {
        out.push_str(&figure.html());
    }
    Ok(())
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

fn id_list(out: &mut String, title: &str, ids: &[String]) {
    if ids.is_empty() {
        return;
    }
    let items: Vec<String> = ids.iter().map(|i| format!("<code>{}</code>", esc(i))).collect();
    let _ = writeln!(out, "<p>{title}: {}</p>", items.join(", "));
}

/// Medians per benchmark and run, under the history chart.
pub(crate) fn history_table(out: &mut String, h: &History<'_>) {
    out.push_str("<div class=\"table-wrap\"><table class=\"history\">\n<thead><tr><th>Benchmark</th>");
    for (i, run) in h.runs.iter().enumerate() {
        let _ = write!(
            out,
            "<th class=\"num\"><a href=\"#r{}\">Run {}</a><div class=\"sub\">{}</div></th>",
            i + 1,
            i + 1,
            esc(run)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for line in &h.lines {
        let _ = write!(out, "<tr><td class=\"name\">{}</td>", esc(&line.id));
        for run in 0..h.runs.len() {
            match line.points.iter().find(|p| p.0 == run) {
                Some((_, b)) => {
                    let s = b.headline();
                    let unit = TimeUnit::for_value(s.median);
                    let _ = write!(
                        out,
                        "<td class=\"num\">{} <span class=\"ci\">[{} – {}]</span></td>",
                        Nanos(s.median).display_in(unit),
                        Nanos(s.median_ci.lo).display_in(unit),
                        Nanos(s.median_ci.hi).display_in(unit)
                    );
                }
                None => out.push_str("<td class=\"num muted\">—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

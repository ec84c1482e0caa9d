//! One block per benchmark: what it was (command, group, parameters, host),
//! how it was sampled, and its charts: distribution, samples in order and,
//! when iteration counts varied, the regression.

use maud::{html, Markup};
use metron::format::thousands;
use metron::time::Nanos;
use metron::BenchmarkResult;

use super::chart::distribution::distribution;
use super::chart::samples::{clock_name, samples};
use super::chart::slope::regression;
use crate::wording;
use crate::ReportError;

/// `<article class="benchmark" id="{id}">` with facts and charts.
///
/// # Errors
/// Chart errors.
pub(crate) fn article(b: &BenchmarkResult, id: &str) -> Result<Markup, ReportError> {
    let figures = [
        distribution(b, &format!("{id}-distribution"))?,
        samples(b, &format!("{id}-samples"))?,
        regression(b, &format!("{id}-regression"))?,
    ];
    Ok(html! {
        article.benchmark id=(id) {
            h4 { (b.name) }
            dl.facts { @for (k, v) in facts(b) { div { dt { (k) } dd { (v) } } } }
            @if let Some(c) = &b.command { pre.command { code { (c) } } }
            div.figures { @for figure in figures.iter().flatten() { (figure) } }
        }
    })
}

fn facts(b: &BenchmarkResult) -> Vec<(&'static str, String)> {
    let mut facts: Vec<(&str, String)> = vec![("id", b.id()), ("kind", wording::routine_kind(b.kind).to_string())];
    if let Some(g) = &b.group {
        facts.push(("group", g.clone()));
    }
    if !b.parameters.is_empty() {
        facts.push(("parameters", wording::parameters_readable(&b.parameters)));
    }
    if let Some(h) = &b.host {
        facts.push(("host", h.clone()));
    }
    facts.push(("clock", clock_name(b).to_string()));
    facts.push(("samples", sample_text(b)));
    if b.warmup_iterations > 0 {
        facts.push(("warm-up", format!("{} iterations", thousands(b.warmup_iterations))));
    }
    facts.push(("stopped", metron::explain::stop_sentence(b)));
    if let Some(u) = metron::explain::uncertainty_sentence(b) {
        facts.push(("uncertainty", u));
    }
    if let Some(o) = b.shell_overhead_ns {
        facts.push(("shell start-up subtracted", Nanos(o).to_string()));
    }
    if let Some(cpu) = &b.cpu {
        facts.push(("CPU median", Nanos(cpu.median).to_string()));
    }
    for rate in &b.throughput {
        let amount = format!("{} {} per iteration", thousands(rate.per_iteration), rate.unit.name());
        facts.push(("throughput", format!("{} ({amount})", rate.display())));
    }
    facts
}

/// `200 × 1,000 iterations`, or the range when iteration counts varied.
fn sample_text(b: &BenchmarkResult) -> String {
    let n = b.samples.len();
    let min = b.samples.iter().map(|s| s.iterations).min().unwrap_or(0);
    let max = b.samples.iter().map(|s| s.iterations).max().unwrap_or(0);
    let per = if min == max {
        format!("{} iteration{}", thousands(min), if min == 1 { "" } else { "s" })
    } else {
        format!("{}–{} iterations", thousands(min), thousands(max))
    };
    format!("{n} × {per}")
}

//! One block per benchmark: what it was (command, group, parameters, host),
//! how it was sampled, and its charts: distribution, samples in order and,
//! when iteration counts varied, the regression.

use std::fmt::Write;

use metron::format::thousands;
use metron::time::Nanos;
use metron::BenchmarkResult;

use super::chart::distribution::distribution;
use super::chart::regression::regression;
use super::chart::samples::{clock_name, samples};
use super::escape::esc;
use crate::wording;
use crate::ReportError;

/// `<article class="benchmark" id="{id}">` with facts and charts.
///
/// # Errors
/// Chart errors.
pub(crate) fn article(out: &mut String, b: &BenchmarkResult, id: &str) -> Result<(), ReportError> {
    let _ = writeln!(out, "<article class=\"benchmark\" id=\"{id}\">\n<h4>{}</h4>", esc(&b.name));
    facts(out, b);
    if let Some(c) = &b.command {
        let _ = writeln!(out, "<pre class=\"command\"><code>{}</code></pre>", esc(c));
    }
    out.push_str("<div class=\"figures\">\n");
    let figures = [
        distribution(b, &format!("{id}-distribution"))?,
        samples(b, &format!("{id}-samples"))?,
        regression(b, &format!("{id}-regression"))?,
    ];
    for figure in figures.into_iter().flatten() {
        out.push_str(&figure.html());
    }
    out.push_str("</div>\n</article>\n");
    Ok(())
}

fn facts(out: &mut String, b: &BenchmarkResult) {
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
    facts.push(("stopped by", wording::stop_reason(b.stop_reason).to_string()));
    if let Some(o) = b.shell_overhead_ns {
        facts.push(("shell start-up subtracted", Nanos(o).to_string()));
    }
    if let Some(cpu) = &b.cpu {
        facts.push(("CPU median", Nanos(cpu.median).to_string()));
    }
    out.push_str("<dl class=\"facts\">");
    for (k, v) in facts {
        let _ = write!(out, "<div><dt>{k}</dt><dd>{}</dd></div>", esc(&v));
    }
    out.push_str("</dl>\n");
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

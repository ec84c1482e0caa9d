//! What `metron remote` prints: each host as it finishes (where it ran,
//! which metron, its benchmarks in the usual blocks), then the per-host
//! comparison of every benchmark measured on several hosts, and which hosts
//! failed and why.

use std::fmt::Write;

use metron::merge;
use metron::model::{PairedComparison, PairedVerdict, RunRecord};
use metron::terminal::{self, Colour};
use metron::time::{Nanos, TimeUnit};

use super::host_run::{HostResult, RemoteMetron};

/// The title line of a host that answered: where it ran and which metron.
pub fn host_title(result: &HostResult, colour: Colour) -> String {
    let host = &result.outcome.host;
    let mut parts = Vec::new();
    if let Some(env) = result.outcome.report.as_ref().map(|r| &r.environment) {
        parts.push(env.hostname.clone());
    }
    if let Some(probe) = &result.probe {
        parts.push(probe.uname.clone());
    }
    match &result.metron {
        Some(RemoteMetron::Copied) => parts.push("metron copied".into()),
        Some(RemoteMetron::Cached) => parts.push("metron cached".into()),
        Some(RemoteMetron::Installed(version)) => parts.push(format!("{version} from the host's PATH")),
        None => {}
    }
    format!("{} {}", colour.bold(&format!("Host {host}:")), parts.join(", "))
}

/// A host's benchmarks in the usual blocks, with the host's own
/// comparisons and baseline table.
pub fn host_results(report: &RunRecord, colour: Colour) -> String {
    let mut out = String::new();
    for (i, b) in report.benchmarks.iter().enumerate() {
        let _ = writeln!(out, "{}", terminal::benchmark_block(b, i + 1, colour));
    }
    for c in &report.comparisons {
        let _ = writeln!(out, "{}", terminal::verdict_line(c, colour));
    }
    if let Some(baseline) = &report.baseline {
        let _ = writeln!(out, "{}", terminal::change_table(baseline, colour));
    }
    out
}

/// The line for a failed host (stderr).
pub fn host_error(host: &str, error: &str, colour: Colour) -> String {
    format!("{} {host}: {error}", colour.paint("1;31", "Error:"))
}

/// The end of the output: the per-host table of every benchmark measured on
/// more than one host with its comparison against the fastest host, the
/// verdict sentences, and the hosts that failed.
pub fn summary(merged: &RunRecord, colour: Colour) -> String {
    let mut out = String::new();
    let comparisons = merge::cross_host_comparisons(&merged.benchmarks);
    let groups: Vec<_> = merge::by_benchmark(&merged.benchmarks).into_iter().filter(|(_, g)| g.len() > 1).collect();
    if !groups.is_empty() {
        let _ = writeln!(out, "{}", colour.bold("Per host (median per run, 95% CI; against the fastest host):"));
        let width = merged.hosts.iter().map(|h| h.host.chars().count()).max().unwrap_or(4);
        for (id, group) in &groups {
            let _ = writeln!(out, "  {id}");
            let unit = TimeUnit::for_value(group.iter().map(|b| b.headline().median).fold(f64::INFINITY, f64::min));
            for b in group {
                let s = b.headline();
                let host = b.host.as_deref().unwrap_or("?");
                let versus = comparisons
                    .iter()
                    .find(|c| c.candidate == b.id())
                    .map_or_else(|| colour.good("fastest"), versus_fastest);
                let _ = writeln!(
                    out,
                    "    {host:<width$}  {:>10}  [{} … {}]  {versus}",
                    Nanos(s.median).display_in(unit),
                    Nanos(s.median_ci.lo).display_in(unit),
                    Nanos(s.median_ci.hi).display_in(unit),
                );
            }
        }
        for c in &comparisons {
            let _ = writeln!(out, "{}", terminal::verdict_line(c, colour));
        }
    }
    let failed: Vec<_> = merged.hosts.iter().filter(|h| h.error.is_some()).collect();
    let total = merged.hosts.len();
    if failed.is_empty() {
        let _ = writeln!(out, "{total} host{} succeeded", if total == 1 { "" } else { "s" });
    } else {
        let _ = writeln!(out, "{} of {total} host{} failed:", failed.len(), if total == 1 { "" } else { "s" });
        for h in failed {
            let _ = writeln!(out, "  {}: {}", h.host, h.error.as_deref().unwrap_or_default());
        }
    }
    if merged.interrupted {
        let _ = writeln!(out, "interrupted: what was measured until then is kept");
    }
    out
}

/// `1.52× slower (p < 0.001)` or `1.01× (no difference beyond noise, p = 0.41)`.
fn versus_fastest(c: &PairedComparison) -> String {
    let p = metron::format::p_text(c.p_adjusted.unwrap_or(c.p_value));
    match c.verdict {
        PairedVerdict::Slower => format!("{:.2}× slower ({p})", c.ratio),
        PairedVerdict::Faster => format!("{:.2}× faster ({p})", 1.0 / c.ratio),
        PairedVerdict::NoDifference => format!("{:.2}× (no difference beyond noise, {p})", c.ratio),
    }
}

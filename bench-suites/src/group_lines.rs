//! A finished group for the terminal: one aligned line per benchmark with
//! its median, CI, speedup over sequential and CPU/wall, so progress reads
//! as a table while the suite runs. The conclusions come at the end.

use crate::figures::{Level, SpawnCost, WorkloadFigures};
use metron::format::{factor, factor_ci};
use metron::Nanos;

/// The lines of a workload group: a heading, sequential, every variant, every failure.
pub fn workload_lines(w: &WorkloadFigures, description: Option<&str>) -> Vec<String> {
    let mut lines = vec![match description {
        Some(d) => format!("{}: {d}", w.group),
        None => w.group.clone(),
    }];
    if let Some(seq) = &w.sequential {
        lines.push(row("sequential", seq, "reference".into()));
    }
    for v in &w.variants {
        let speedup = v.speedup.as_ref().map_or_else(String::new, |s| {
            format!("{} ({})", factor(s.value, s.ci), factor_ci(s.value, s.ci).trim_start_matches("95% CI "))
        });
        lines.push(row(&v.label(), &v.level, speedup));
    }
    let prefix = format!("{}/", w.group);
    lines.extend(
        w.failed.iter().map(|f| format!("  {:<18} FAILED: {}", f.id.strip_prefix(&prefix).unwrap_or(&f.id), f.reason)),
    );
    lines.extend(available_line(w));
    lines
}

/// How many cores the group had, with a warning when fewer than its variants could use.
fn available_line(w: &WorkloadFigures) -> Option<String> {
    let a = w.available.as_ref()?;
    Some(match w.shortfall() {
        Some(_) => format!(
            "  warning: only {} were available, fewer than the {} these variants could use: \
             their speedups show the machine's load",
            a.describe(),
            w.wanted_parallelism()
        ),
        None => format!("  available: {}", a.describe()),
    })
}

/// The lines of a spawn group: a heading, the thread, the process.
pub fn spawn_lines(s: &SpawnCost) -> Vec<String> {
    let ratio = s.ratio.as_ref().map_or_else(String::new, |r| format!("{} a thread", factor(r.value, r.ci)));
    vec![
        format!("{}: starting one thread vs one process", s.group),
        row("thread", &s.thread, String::new()),
        row("process", &s.process, ratio),
    ]
}

/// `  threads ×2   20.31 ms  (20.12–20.50 ms)  1.96× (1.93–1.99×)  CPU/wall 1.97`.
fn row(label: &str, l: &Level, speedup: String) -> String {
    let ci = format!("({}–{})", Nanos(l.median_ci.lo), Nanos(l.median_ci.hi));
    let utilisation = l.utilisation.map_or_else(String::new, |u| format!("CPU/wall {u:.2}"));
    format!("  {label:<18} {:>10} {ci:<24} {speedup:<22} {utilisation}", Nanos(l.median_ns)).trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::derive;
    use crate::test_support::run;

    #[test]
    fn one_line_per_benchmark_and_failure() {
        let (benchmarks, failures) = run();
        let d = derive(&benchmarks, &failures, 2, 8);
        let lines = workload_lines(&d.workloads[0], Some("8 tasks × (1,000 hash steps)"));
        assert_eq!(lines[0], "cpu/rust: 8 tasks × (1,000 hash steps)");
        assert_eq!(lines.len(), 5, "{lines:#?}");
        assert!(lines[1].trim_start().starts_with("sequential") && lines[1].contains("reference"));
        assert!(lines[2].contains("threads ×2") && lines[2].contains("CPU/wall 1.90"), "{}", lines[2]);
        assert!(lines[4].contains("processes ×2") && lines[4].contains("FAILED: worker 0"));
        let spawn = spawn_lines(&d.spawn[0]);
        assert!(spawn[2].contains("40× a thread"), "{spawn:?}");
    }
}

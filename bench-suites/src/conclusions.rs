//! What the derived figures say, in words: one short line per finding,
//! every word chosen from the measurements (which variant won, by how much,
//! with its CI, whether threads or processes helped) — nothing is written
//! before the data is in.
//!
//! Per workload and language:
//!
//! * the fastest variant, its speedup over sequential with the 95% CI, its
//!   efficiency, serial fraction and CPU/wall — or that nothing beat
//!   sequential;
//! * threads against processes: whether the best of each was faster than
//!   sequential, which of them won and by how much, and the CPU each spent
//!   per run (threads that are as fast but cheaper are the better tool);
//! * every variant that failed, with its reason.
//!
//! Per language: what starting one thread and one process cost, and their ratio.

use metron::model::PairedVerdict;

use crate::available::Available;
use crate::figures::{Derived, Duel, SpawnCost, VariantFigures, WorkloadFigures};
use metron::format::{factor, percent};
use metron::Nanos;

/// Threads and processes within this fraction of each other (point
/// estimate) are "about as fast": differences that small can be real yet
/// do not decide which tool to use.
pub const ALIKE: f64 = 0.10;

/// The conclusions of a run, in the order of its groups, spawn costs last.
pub fn conclusions(d: &Derived) -> Vec<String> {
    let mut lines = Vec::new();
    for w in &d.workloads {
        if let Some(available) = w.shortfall() {
            lines.push(qualified(w, available));
        } else {
            lines.push(winner(w));
            if let Some(duel) = &w.duel {
                lines.push(threads_vs_processes(w, duel));
            }
        }
        lines.extend(w.failed.iter().map(|f| format!("{} FAILED: {}", f.id, f.reason)));
    }
    lines.extend(d.spawn.iter().map(spawn));
    lines.extend(d.spawn_failed.iter().map(|f| format!("{} FAILED: {}", f.id, f.reason)));
    if !lines.is_empty() {
        lines.push(rule());
    }
    lines
}

/// The rule every "faster", "slower" and "not clearly" above follows, so a
/// reader can tell why a factor whose CI excludes 1 may still not count.
fn rule() -> String {
    format!(
        "Speedups are trimmed geometric means of per-round ratios (so not quite the ratio of the medians \
         shown). A variant counts as faster or slower than sequential when its paired test on log ratios \
         gives p < {} after Benjamini-Hochberg across its group and its 95% CI lies beyond 1 ± {}%; \
         threads against processes and the spawn costs are single comparisons held to the same bar.",
        metron::compare::PAIRED_ALPHA,
        metron::compare::PAIRED_NOISE * 100.0
    )
}

/// The fastest variant of a workload, or that nothing beat sequential.
fn winner(w: &WorkloadFigures) -> String {
    let group = &w.group;
    let Some(seq) = &w.sequential else {
        return format!("{group}: no speedups, because the sequential reference has no result.");
    };
    let Some(best) = w.fastest() else {
        return format!("{group}: sequential took {}; no other variant has a result.", Nanos(seq.median_ns));
    };
    let s = best.speedup.as_ref().expect("the fastest variant has a speedup");
    let measured = format!("medians {} vs {} sequential", Nanos(best.level.median_ns), Nanos(seq.median_ns));
    let all_slower = w.variants.iter().all(|v| v.speedup.as_ref().is_none_or(|s| s.verdict == PairedVerdict::Slower));
    let verdict = match s.verdict {
        PairedVerdict::Slower if !all_slower => PairedVerdict::NoDifference,
        v => v,
    };
    match verdict {
        PairedVerdict::Faster => format!(
            "{group}: {} wins, {} faster than sequential ({}; {measured}){}.",
            best.label(),
            factor(s.value, s.ci),
            s.evidence(),
            scaling(best)
        ),
        PairedVerdict::NoDifference => format!(
            "{group}: no variant is clearly faster than sequential; the best, {}, runs at {} ({}; {measured}).",
            best.label(),
            factor(s.value, s.ci),
            s.evidence()
        ),
        PairedVerdict::Slower => format!(
            "{group}: every variant is slower than sequential; the best, {}, runs at {} ({}; {measured}).",
            best.label(),
            factor(s.value, s.ci),
            s.evidence()
        ),
    }
}

/// Instead of a winner, when the machine gave the group less parallelism
/// than its variants could use: what was measured, and why it decides nothing.
fn qualified(w: &WorkloadFigures, available: &Available) -> String {
    let best = w.fastest().and_then(|b| {
        let s = b.speedup.as_ref()?;
        Some(format!(" The best measured, {}, ran at {} ({}).", b.label(), factor(s.value, s.ci), s.evidence()))
    });
    format!(
        "{}: only {} were available to metron during this group, fewer than the {} its variants could use: \
         a computing variant cannot show more speedup than the cores it got, so no winner is named and no variant \
         is judged against another.{} Measure again on an idle machine.",
        w.group,
        available.describe(),
        w.wanted_parallelism(),
        best.unwrap_or_default()
    )
}

/// `, efficiency 97% on 2 cores, serial fraction 0.03, CPU/wall 1.94`.
fn scaling(v: &VariantFigures) -> String {
    let mut parts = Vec::new();
    if let Some(e) = v.efficiency {
        parts.push(format!("efficiency {} at parallelism {}", percent(e), v.parallelism));
    }
    match (v.serial_fraction, v.meaningful_serial_fraction()) {
        (_, Some(f)) => parts.push(format!("serial fraction {f:.2}")),
        (Some(_), None) => {
            parts.push("serial fraction — (Karp–Flatt needs a speedup between 1 and the parallelism)".into())
        }
        (None, None) => {}
    }
    if let Some(u) = v.level.utilisation {
        parts.push(format!("CPU/wall {u:.2}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("; {}", parts.join(", "))
    }
}

/// Whether the best thread and the best process variant beat sequential,
/// which of them won, and what each cost in CPU.
fn threads_vs_processes(w: &WorkloadFigures, duel: &Duel) -> String {
    let find = |label: &str| w.variants.iter().find(|v| v.label() == label);
    let (Some(t), Some(p)) = (find(&duel.threads), find(&duel.processes)) else {
        return format!("{}: threads vs processes: {}", w.group, between(duel));
    };
    let cpu = match (t.level.cpu_ns, p.level.cpu_ns) {
        (Some(tc), Some(pc)) => format!("; CPU per run: threads {}, processes {}", Nanos(tc), Nanos(pc)),
        _ => String::new(),
    };
    format!(
        "{}: threads {}; processes {}; {}{cpu}.",
        w.group,
        against_sequential(t),
        against_sequential(p),
        between(duel)
    )
}

/// `are faster than sequential (best thread-pool ×2: 1.93×, 95% CI 1.90–1.96×)`.
fn against_sequential(v: &VariantFigures) -> String {
    let Some(s) = &v.speedup else { return format!("(best {}) have no speedup", v.label()) };
    let verb = match s.verdict {
        PairedVerdict::Faster => "are faster than",
        PairedVerdict::NoDifference => "are not clearly faster than",
        PairedVerdict::Slower => "are slower than",
    };
    format!("{verb} sequential (best {}: {}, {})", v.label(), factor(s.value, s.ci), s.evidence())
}

/// Which of the duel's sides won, or that they are alike.
fn between(duel: &Duel) -> String {
    let f = &duel.factor;
    let measured = format!("{} vs {}: {}, {}", duel.threads, duel.processes, factor(f.value, f.ci), f.evidence());
    if f.value.ln().abs() <= (1.0 + ALIKE).ln() {
        return format!("threads and processes are about as fast ({measured}, within {})", percent(ALIKE));
    }
    if f.verdict == PairedVerdict::NoDifference {
        return format!("no clear winner between threads and processes ({measured})");
    }
    let (winner, loser, won) = if f.value >= 1.0 {
        (&duel.threads, &duel.processes, f.clone())
    } else {
        (&duel.processes, &duel.threads, f.inverse())
    };
    format!("{winner} beats {loser} by {} ({})", factor(won.value, won.ci), won.evidence())
}

/// What starting a thread and a process cost in one language.
fn spawn(s: &SpawnCost) -> String {
    let costs = format!(
        "{}: starting one thread takes {}, one process {}",
        s.lang,
        Nanos(s.thread.median_ns),
        Nanos(s.process.median_ns)
    );
    match &s.ratio {
        Some(r) if r.is_faster() => {
            format!("{costs}: a thread is {} cheaper ({}).", factor(r.value, r.ci), r.evidence())
        }
        Some(r) if r.verdict == PairedVerdict::Slower => {
            let cheaper = r.inverse();
            format!("{costs}: a process is {} cheaper ({}).", factor(cheaper.value, cheaper.ci), cheaper.evidence())
        }
        Some(r) => format!("{costs}: no clear difference ({}, {}).", factor(r.value, r.ci), r.evidence()),
        None => format!("{costs}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::derive;
    use crate::figures::Factor;
    use crate::test_support::{result, result_with, run};
    use metron::model::{Failure, Interval};

    #[test]
    fn lines_follow_the_measurements() {
        let (benchmarks, failures) = run();
        let d = derive(&benchmarks, &failures, 2, 8);
        let lines = conclusions(&d);
        let text = lines.join("\n");
        assert!(lines[0].starts_with("cpu/rust: thread-pool ×4 wins, 2.0"), "{text}");
        assert!(lines[0].contains("× faster than sequential (95% CI "), "{text}");
        assert!(lines[0].contains(", p < 0.001; "), "the p-value behind the verdict: {text}");
        assert!(lines[0].contains("efficiency 100% at parallelism 2, serial fraction 0.00, CPU/wall 2.00"), "{text}");
        let mut odd = d.workloads[0].variants[0].clone();
        odd.serial_fraction = Some(15.03);
        assert!(scaling(&odd).contains("serial fraction — (Karp–Flatt"), "{}", scaling(&odd));
        assert!(lines.iter().any(|l| l.starts_with("cpu/rust/processes ×2 FAILED: worker 0")), "{text}");
        let io = lines.iter().find(|l| l.starts_with("io/rust: threads are")).expect(&text);
        assert!(io.contains("threads are faster than sequential (best threads ×2: "), "{io}");
        assert!(io.contains("threads and processes are about as fast"), "{io}");
        assert!(io.contains("CPU per run: threads"), "{io}");
        assert!(lines.last().unwrap().contains("p < 0.01 after Benjamini-Hochberg"), "{text}");
        let spawn = &lines[lines.len() - 2];
        assert!(spawn.starts_with("rust: starting one thread takes 25.0"), "{spawn}");
        assert!(spawn.contains("a thread is 40× cheaper"), "{spawn}");
    }

    #[test]
    fn nothing_faster_and_processes_winning_are_said_so() {
        // The GIL's picture: threads no faster than sequential, a process pool 1.8× faster.
        let benchmarks = vec![
            result("cpu/python", "sequential", None, 30e6, 1),
            result("cpu/python", "threads", Some(2), 30e6, 2),
            result("cpu/python", "process-pool", Some(2), 16.5e6, 3),
            result("io/python", "sequential", None, 20e6, 4),
            result_with("io/python", "thread-pool", Some(2), 21e6, 0.1, 5),
        ];
        let lines = conclusions(&derive(&benchmarks, &[], 2, 8));
        let text = lines.join("\n");
        assert!(lines[0].starts_with("cpu/python: process-pool ×2 wins, 1.8"), "{text}");
        assert!(lines[1].contains("threads are not clearly faster than sequential (best threads ×2: "), "{text}");
        assert!(lines[1].contains("processes are faster than sequential"), "{text}");
        assert!(lines[1].contains("process-pool ×2 beats threads ×2 by 1.8"), "{text}");
        assert!(lines[2].starts_with("io/python: every variant is slower than sequential; the best, thread-pool ×2"));
        assert_eq!(lines.len(), 4, "no duel without a process variant, then the rule: {text}");

        // Add a variant that is slower by its point estimate but whose CI is
        // too wide to say so: then not *every* variant is slower.
        let mut d = derive(&benchmarks, &[], 2, 8);
        let io = &mut d.workloads[1];
        let mut unsure = io.variants[0].clone();
        unsure.workers = 4;
        unsure.speedup = Some(Factor {
            value: 0.9,
            ci: Interval::new(0.6, 1.3),
            p_value: 0.5,
            verdict: PairedVerdict::NoDifference,
        });
        io.variants.push(unsure);
        let line = winner(&d.workloads[1]);
        assert!(
            line.starts_with("io/python: no variant is clearly faster than sequential; the best, thread-pool ×2"),
            "{line}"
        );
    }

    #[test]
    fn spawn_failures_and_cheaper_processes_are_said() {
        let benchmarks =
            vec![result("spawn/python", "thread", None, 2e6, 1), result("spawn/python", "process", None, 1e6, 2)];
        let failures = vec![Failure {
            name: "spawn/rust/process".into(),
            host: None,
            reason: "killed by signal 6 (SIGABRT)".into(),
        }];
        let lines = conclusions(&derive(&benchmarks, &failures, 2, 8));
        let text = lines.join("\n");
        assert!(lines[0].starts_with("python: starting one thread takes 2"), "{text}");
        assert!(lines[0].contains(": a process is 2.0"), "{text}");
        assert_eq!(lines[1], "spawn/rust/process FAILED: killed by signal 6 (SIGABRT)");
    }
}

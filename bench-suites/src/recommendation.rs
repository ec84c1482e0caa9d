//! The short verdict: per workload, one paragraph a teacher would say —
//! which variant to use, at how many workers, and why — with the figures
//! behind every clause. Every clause is chosen from the measurements:
//!
//! * the recommended variant is the fastest one the data establishes
//!   (see [`fastest_of`]); when none is clearly faster, sequential;
//! * *why threads did or did not help*: computing tasks (sequential
//!   CPU/wall above [`COMPUTING`](crate::figures::COMPUTING)) whose best thread variant stayed near one
//!   core of CPU/wall are held back by the GIL (CPython) or by something
//!   serial in the work; waiting tasks overlap in threads as well as in
//!   processes;
//! * what a worker process costs: starting one (the spawn group) and
//!   moving an item and its result (pickling, from the probe), against the
//!   work per item;
//! * the Karp–Flatt serial fraction of the recommended variant, and
//!   whether more workers of it helped;
//! * when less parallelism was available than the variants could use, no
//!   recommendation at all, and why.

use metron::format::{factor, percent};
use metron::model::PairedVerdict;
use metron::Nanos;

use crate::figures::{fastest_of, Derived, SpawnCost, VariantFigures, WorkloadFigures};
use crate::user::python_function::PickleCosts;

/// A thread variant whose CPU/wall stays below this on computing work ran
/// on about one core at a time.
const ONE_CORE: f64 = 1.3;

/// One paragraph per workload group, in the order of the groups.
pub fn recommendations(d: &Derived, pickling: Option<&PickleCosts>) -> Vec<String> {
    d.workloads
        .iter()
        .filter_map(|w| {
            let spawn = d.spawn.iter().find(|s| s.lang == w.lang);
            let pickling = pickling.filter(|_| w.workload == crate::user::WORKLOAD && w.lang == "python");
            recommendation(w, spawn, pickling, d.tasks)
        })
        .collect()
}

/// The paragraph for one workload, or `None` when nothing was measured.
pub fn recommendation(
    w: &WorkloadFigures,
    spawn: Option<&SpawnCost>,
    pickling: Option<&PickleCosts>,
    tasks: usize,
) -> Option<String> {
    let seq = w.sequential.as_ref()?;
    let best = w.fastest()?;
    if let Some(a) = w.shortfall() {
        return Some(format!(
            "{}: no recommendation from this run. Only {} were available while it ran, fewer than the {} \
             its variants could use, so every parallel speedup was capped by the machine's load; measure again \
             on an idle machine.",
            w.group,
            a.describe(),
            w.wanted_parallelism()
        ));
    }
    let mut clauses = vec![headline(w, best)];
    clauses.extend(threads_clause(w, seq.utilisation));
    clauses.extend(cost_clause(w, spawn, pickling, seq.median_ns / tasks.max(1) as f64));
    clauses.extend(scaling_clause(w, best));
    Some(clauses.join(" "))
}

/// `Use process-pool ×2: 1.62× faster than sequential (…).` or `Stay sequential: …`.
fn headline(w: &WorkloadFigures, best: &VariantFigures) -> String {
    let s = best.speedup.as_ref().expect("the fastest variant has a speedup");
    if s.verdict == PairedVerdict::Faster {
        format!(
            "{}: use {}, {} faster than sequential ({}).",
            w.group,
            best.label(),
            factor(s.value, s.ci),
            s.evidence()
        )
    } else {
        format!(
            "{}: stay sequential; no variant was clearly faster (the best, {}, ran at {}, {}).",
            w.group,
            best.label(),
            factor(s.value, s.ci),
            s.evidence()
        )
    }
}

/// Why threads helped or not, from CPU/wall.
fn threads_clause(w: &WorkloadFigures, sequential_utilisation: Option<f64>) -> Option<String> {
    let threads = fastest_of(w.variants.iter().filter(|v| !v.uses_processes()))?;
    let processes = fastest_of(w.variants.iter().filter(|v| v.uses_processes()));
    let t_speed = threads.speedup.as_ref()?;
    let t_util = threads.level.utilisation?;
    let seq_util = sequential_utilisation.unwrap_or(0.0);
    if w.computing && t_util < ONE_CORE && t_speed.verdict != PairedVerdict::Faster {
        let why = if w.lang == "python" {
            "the GIL lets only one thread run Python bytecode at a time"
        } else {
            "something in the work runs one thread at a time (a lock, a shared allocator, memory bandwidth)"
        };
        let beside = processes
            .and_then(|p| Some(format!(", while {} reached CPU/wall {:.2}", p.label(), p.level.utilisation?)))
            .unwrap_or_default();
        return Some(format!(
            "The work computes (sequential CPU/wall {seq_util:.2}), and threads do not help: {} ran at {} with \
             CPU/wall {t_util:.2}, about one core, because {why}{beside}.",
            threads.label(),
            factor(t_speed.value, t_speed.ci)
        ));
    }
    if !w.computing {
        return Some(format!(
            "The work mostly waits (sequential CPU/wall {seq_util:.2}), and waiting overlaps in threads as well \
             as in processes: {} ran at {}{}.",
            threads.label(),
            factor(t_speed.value, t_speed.ci),
            processes
                .and_then(|p| p.speedup.as_ref().map(|s| format!(", {} at {}", p.label(), factor(s.value, s.ci))))
                .unwrap_or_default()
        ));
    }
    None
}

/// What a worker process costs against the work of one task.
fn cost_clause(
    w: &WorkloadFigures,
    spawn: Option<&SpawnCost>,
    pickling: Option<&PickleCosts>,
    per_task_ns: f64,
) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(s) = spawn {
        parts.push(format!(
            "starting a process costs {} against {} for a thread",
            Nanos(s.process.median_ns),
            Nanos(s.thread.median_ns)
        ));
    }
    if let Some(p) = pickling {
        parts.push(format!(
            "pickling an item and its result costs {} ({:.0} B and {:.0} B)",
            Nanos(p.items.ns_per_value + p.results.ns_per_value),
            p.items.bytes_per_value,
            p.results.bytes_per_value
        ));
    }
    if parts.is_empty() || !w.variants.iter().any(VariantFigures::uses_processes) {
        return None;
    }
    Some(format!("Per task of {} of sequential work, {}.", Nanos(per_task_ns), parts.join("; ")))
}

/// The serial fraction of the recommended variant, and whether more of its workers helped.
fn scaling_clause(w: &WorkloadFigures, best: &VariantFigures) -> Option<String> {
    if !best.speedup.as_ref().is_some_and(|s| s.is_faster()) {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(e) = best.efficiency {
        parts.push(format!("efficiency {} at parallelism {}", percent(e), best.parallelism));
    }
    if let Some(f) = best.meaningful_serial_fraction() {
        parts.push(format!("Karp–Flatt serial fraction {f:.2}"));
    }
    let more: Vec<String> = w
        .variants
        .iter()
        .filter(|v| v.variant == best.variant && v.workers > best.workers)
        .filter_map(|v| v.speedup.as_ref().map(|s| format!("×{} ran at {}", v.workers, factor(s.value, s.ci))))
        .collect();
    if !more.is_empty() {
        parts.push(format!("more workers did not beat it ({})", more.join(", ")));
    }
    (!parts.is_empty()).then(|| format!("At {}: {}.", best.label(), parts.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::available::Available;
    use crate::figures::derive;
    use crate::test_support::{result, result_with};

    fn gil_run() -> Vec<metron::BenchmarkResult> {
        vec![
            result_with("user/python", "sequential", None, 320e6, 1.0, 1),
            result_with("user/python", "threads", Some(2), 330e6, 1.0, 2),
            result_with("user/python", "thread-pool", Some(2), 325e6, 1.0, 3),
            result_with("user/python", "process-pool", Some(2), 190e6, 1.8, 4),
            result_with("user/python", "process-pool", Some(4), 200e6, 1.8, 5),
            result("spawn/python", "thread", None, 80e3, 6),
            result("spawn/python", "process", None, 9e6, 7),
        ]
    }

    #[test]
    fn a_computing_function_gets_the_process_pool_and_the_gil_named() {
        let d = derive(&gil_run(), &[], 2, 16);
        let pickling = PickleCosts {
            items: crate::user::python_function::PickleCost { ns_per_value: 400.0, bytes_per_value: 5.0 },
            results: crate::user::python_function::PickleCost { ns_per_value: 300.0, bytes_per_value: 9.0 },
        };
        let text = recommendations(&d, Some(&pickling)).join("\n");
        assert!(text.starts_with("user/python: use process-pool ×2, 1.6"), "{text}");
        assert!(text.contains("threads do not help: thread-pool ×2 ran at 0.98"), "{text}");
        assert!(text.contains("CPU/wall 1.00, about one core, because the GIL"), "{text}");
        assert!(text.contains("while process-pool ×2 reached CPU/wall 1.80"), "{text}");
        assert!(text.contains("Per task of 20.01 ms of sequential work, starting a process costs 9.009 ms"), "{text}");
        assert!(text.contains("pickling an item and its result costs 700.0 ns (5 B and 9 B)"), "{text}");
        assert!(text.contains("more workers did not beat it (×4 ran at 1."), "{text}");
    }

    #[test]
    fn waiting_work_gets_threads_and_a_loaded_machine_gets_no_recommendation() {
        let io = vec![
            result_with("user/python", "sequential", None, 320e6, 0.01, 1),
            result_with("user/python", "thread-pool", Some(4), 82e6, 0.05, 2),
            result_with("user/python", "process-pool", Some(4), 95e6, 0.3, 3),
        ];
        let text = recommendations(&derive(&io, &[], 2, 16), None).join("\n");
        assert!(text.starts_with("user/python: use thread-pool ×4, 3.9"), "{text}");
        assert!(text.contains("The work mostly waits (sequential CPU/wall 0.01)"), "{text}");

        // The same computing run while a neighbour took a core: no verdict.
        let readings = std::collections::BTreeMap::from([(
            "user/python".to_string(),
            Available { allowed: 2, quota: None, measured: 1.02, steal: Some(0.0) },
        )]);
        let d = crate::figures::derive_with(&gil_run(), &[], crate::figures::Limits { tasks: 16, cores: 2 }, &readings);
        let text = recommendations(&d, None).join("\n");
        assert!(text.starts_with("user/python: no recommendation from this run. Only 1.0 of 2 cores"), "{text}");
        assert!(!text.contains("use process-pool"), "{text}");
    }
}

//! Every Rust variant at small sizes: the same checksum as sequential, the
//! tasks run where the variant says, and a group measured by metron's
//! runner without failures.

use std::collections::BTreeSet;
use std::sync::Arc;

use metron::runner::{Benchmark, Quiet, Runner};
use metron_suites::plan::{meta, Group, GroupKind};
use metron_suites::variant_routine::VariantRoutine;
use metron_suites::workload::{checksum, Job, Output};
use metron_suites::{Lang, Scale, SuitePlan, VariantKind, WorkloadKind};

use crate::{job, worker};

/// Runs `variant` with `workers` on `job` twice (pools are reused), stops
/// it, and returns the second run's outputs; `run_once` checks the checksum.
fn outputs(variant: VariantKind, workers: usize, job: &Arc<Job>) -> Vec<Output> {
    let mut routine = VariantRoutine::new(variant.build(workers, &worker()), Arc::clone(job));
    routine.variant_mut().start().unwrap_or_else(|e| panic!("{variant} ×{workers}: {e}"));
    routine.run_once().unwrap_or_else(|e| panic!("{variant} ×{workers}: {e}"));
    let outputs = routine.run_once().unwrap_or_else(|e| panic!("{variant} ×{workers}, again: {e}"));
    routine.variant_mut().stop().unwrap_or_else(|e| panic!("{variant} ×{workers} stopping: {e}"));
    outputs
}

#[test]
fn every_variant_computes_the_sequential_checksum() {
    for kind in WorkloadKind::ALL {
        let job = job(kind);
        let reference = checksum::combine(&outputs(VariantKind::Sequential, 1, &job));
        assert_eq!(reference, job.expected(), "{kind}: sequential against the spec");
        for variant in VariantKind::ALL.into_iter().filter(|v| v.has_workers()) {
            for workers in [1, 2, 3] {
                let out = outputs(variant, workers, &job);
                assert_eq!(checksum::combine(&out), reference, "{kind}: {variant} ×{workers}");
                assert!(out.iter().enumerate().all(|(i, o)| o.index == i), "{kind}: {variant} ×{workers} slots");
            }
        }
    }
}

#[test]
fn tasks_run_in_the_processes_the_variant_promises() {
    let job = job(WorkloadKind::Transfer);
    let me = std::process::id();
    let pids = |out: &[Output]| out.iter().map(|o| o.pid).collect::<BTreeSet<u32>>();
    for variant in [VariantKind::Sequential, VariantKind::Threads, VariantKind::ThreadPool, VariantKind::Rayon] {
        let out = outputs(variant, 2, &job);
        assert_eq!(pids(&out), BTreeSet::from([me]), "{variant} runs in this process");
        assert!(out.iter().all(|o| o.worker_cpu_ns.is_none()), "{variant}: the process's own clock counts");
    }
    let out = outputs(VariantKind::Processes, 2, &job);
    assert_eq!(pids(&out).len(), job.tasks().len(), "one process per task");
    assert!(!pids(&out).contains(&me));
    assert!(out.iter().all(|o| o.worker_cpu_ns.is_none()), "reaped children are counted by the parent's clock");
    let out = outputs(VariantKind::ProcessPool, 2, &job);
    let pool = pids(&out);
    assert!(!pool.contains(&me) && (1..=2).contains(&pool.len()), "at most 2 long-lived workers: {pool:?}");
    assert!(out.iter().all(|o| o.worker_cpu_ns.is_some()), "pool workers report their CPU time");
}

#[test]
fn a_group_runs_through_metron_with_every_variant_measured() {
    let mut plan = SuitePlan::new(Scale::Quick);
    plan.langs = vec![Lang::Rust];
    plan.workers = vec![2];
    plan.min_samples = 3;
    plan.time_budget = std::time::Duration::from_millis(20);
    let group = Group { lang: Lang::Rust, kind: GroupKind::Workload(WorkloadKind::Mixed) };
    let job = job(WorkloadKind::Mixed);
    let benches: Vec<Benchmark<'static>> = plan
        .members(Lang::Rust)
        .into_iter()
        .map(|(v, w)| {
            let routine = VariantRoutine::new(v.build(w.unwrap_or(1), &worker()), Arc::clone(&job));
            Benchmark::new(meta(&group, v, w), routine)
        })
        .collect();
    let config = plan.run_config();
    let outcome = Runner::new(&config, &mut Quiet).run(benches).unwrap();
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    let names: Vec<&str> = outcome.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["sequential", "threads ×2", "processes ×2", "thread-pool ×2", "rayon ×2", "process-pool ×2"]);
    for r in &outcome.results {
        assert!(r.samples.len() >= 3, "{}", r.name);
        assert!(r.samples.iter().all(|s| s.iterations == 1 && s.cpu_ns.is_some_and(|c| c > 0.0)), "{}", r.name);
        assert_eq!(r.group.as_deref(), Some("mixed/rust"));
    }
}

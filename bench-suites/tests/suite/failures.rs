//! Workers that crash, exit early, write garbage or compute a wrong answer:
//! their variant fails with a reason that says what happened, and the
//! other variants of the group are still measured and reported.

use std::sync::Arc;
use std::time::Duration;

use metron::runner::{Benchmark, Quiet, Runner};
use metron_suites::conclusions::conclusions;
use metron_suites::figures::derive;
use metron_suites::plan::{meta, Group, GroupKind};
use metron_suites::variant_routine::VariantRoutine;
use metron_suites::worker::FAULT_ENV;
use metron_suites::{Lang, Scale, SuitePlan, VariantKind, WorkloadKind};

use crate::{job, worker};

/// Each fault and what the failure must say.
const FAULTS: [(&str, &str); 4] = [
    ("crash", "killed by signal 6 (SIGABRT)"),
    ("exit", "exited with status 3"),
    ("garbage", "garbage on the pipe"),
    ("wrong", "wrong result: checksum"),
];

#[test]
fn misbehaving_workers_fail_their_variant_with_the_reason() {
    let job = job(WorkloadKind::Transfer);
    for (fault, expected) in FAULTS {
        let command = worker().env(FAULT_ENV, fault);
        for variant in [VariantKind::Processes, VariantKind::ProcessPool] {
            let mut routine = VariantRoutine::new(variant.build(2, &command), Arc::clone(&job));
            routine.variant_mut().start().unwrap();
            let err = routine.run_once().expect_err(&format!("{variant} with {fault} workers must fail"));
            let message = err.to_string();
            assert!(message.contains(expected), "{variant}, {fault}: {message}");
            if fault != "wrong" {
                assert!(message.starts_with("worker ") && message.contains("(pid "), "{variant}, {fault}: {message}");
            }
            // Stopping after a failure neither hangs nor panics.
            let _ = routine.variant_mut().stop();
        }
    }
}

#[test]
fn the_rest_of_the_group_is_still_measured_and_reported() {
    let mut plan = SuitePlan::new(Scale::Quick);
    plan.workers = vec![2];
    plan.min_samples = 3;
    plan.time_budget = Duration::from_millis(20);
    let group = Group { lang: Lang::Rust, kind: GroupKind::Workload(WorkloadKind::Cpu) };
    let job = job(WorkloadKind::Cpu);
    let crashing = worker().env(FAULT_ENV, "crash");
    let benches: Vec<Benchmark<'static>> = plan
        .members(Lang::Rust)
        .into_iter()
        .map(|(v, w)| {
            let routine = VariantRoutine::new(v.build(w.unwrap_or(1), &crashing), Arc::clone(&job));
            Benchmark::new(meta(&group, v, w), routine)
        })
        .collect();
    let config = plan.run_config();
    let outcome = Runner::new(&config, &mut Quiet).run(benches).unwrap();
    let measured: Vec<&str> = outcome.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(measured, ["sequential", "threads ×2", "thread-pool ×2", "rayon ×2"]);
    let failed: Vec<&str> = outcome.failures.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(failed, ["cpu/rust/processes ×2", "cpu/rust/process-pool ×2"]);
    assert!(outcome.failures.iter().all(|f| f.reason.contains("SIGABRT")), "{:?}", outcome.failures);

    // The derived figures and the conclusions carry both.
    let d = derive(&outcome.results, &outcome.failures, 2, job.tasks().len());
    assert_eq!(d.workloads[0].variants.len(), 3);
    assert_eq!(d.workloads[0].failed.len(), 2);
    let lines = conclusions(&d);
    assert!(lines[0].starts_with("cpu/rust: "), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("cpu/rust/processes ×2 FAILED: worker ")), "{lines:?}");
}

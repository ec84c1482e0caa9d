//! Synthetic results for the unit tests of `figures` and `conclusions`:
//! benchmarks named and grouped as a suite run names them, with samples
//! taken in interleaved rounds and a little deterministic noise.

use std::collections::BTreeMap;

use crate::workload::checksum::mix;
use metron::analysis::{analyse, AnalysisContext, BenchmarkMeta};
use metron::model::{BenchmarkResult, ClockKind, Failure, RoutineKind, Sample, StopReason};

/// A result of `group` for `variant` (a spawn kind in `spawn/…` groups)
/// with median about `median_ns` and CPU/wall about `utilisation`.
pub(crate) fn result_with(
    group: &str,
    variant: &str,
    workers: Option<usize>,
    median_ns: f64,
    utilisation: f64,
    seed: u64,
) -> BenchmarkResult {
    let (what, lang) = group.split_once('/').unwrap();
    let key = if what == "spawn" { "spawn" } else { "variant" };
    let mut parameters =
        BTreeMap::from([("lang".to_string(), lang.to_string()), (key.to_string(), variant.to_string())]);
    let name = match workers {
        Some(w) => {
            parameters.insert("workers".into(), w.to_string());
            format!("{variant} ×{w}")
        }
        None => variant.to_string(),
    };
    let meta = BenchmarkMeta { name, group: Some(group.to_string()), parameters, command: None, setup: None };
    let samples = (0..30u32)
        .map(|round| {
            // Up to ±3% of noise that differs between benchmarks and rounds.
            let draw = mix(u64::from(round) ^ (seed << 32)) % 2001;
            let jitter = 1.0 + 0.03 * (draw as f64 / 1000.0 - 1.0);
            let wall = median_ns * jitter;
            Sample {
                cpu_ns: Some(wall * utilisation),
                round: Some(round),
                ..Sample::timed(1, wall, u64::from(round) * 1_000_000)
            }
        })
        .collect();
    let ctx = AnalysisContext {
        kind: RoutineKind::Closure,
        clock: ClockKind::Wall,
        stop_reason: StopReason::TimeBudget,
        warmup_iterations: 1,
        shell_overhead_ns: None,
        seed,
        precision: None,
        earlier: None,
    };
    analyse(&meta, samples, ctx).unwrap()
}

/// [`result_with`] at a utilisation of 1.
pub(crate) fn result(group: &str, variant: &str, workers: Option<usize>, median_ns: f64, seed: u64) -> BenchmarkResult {
    result_with(group, variant, workers, median_ns, 1.0, seed)
}

/// A small run: `cpu/rust` where pools halve the time and one variant
/// failed, `io/rust` where threads and a process pool wait alike, and
/// `spawn/rust` where a process costs 40 threads.
pub(crate) fn run() -> (Vec<BenchmarkResult>, Vec<Failure>) {
    let benchmarks = vec![
        result("spawn/rust", "thread", None, 25e3, 1),
        result("spawn/rust", "process", None, 1e6, 2),
        result("cpu/rust", "sequential", None, 40e6, 3),
        result_with("cpu/rust", "threads", Some(2), 21e6, 1.9, 4),
        result_with("cpu/rust", "thread-pool", Some(4), 20e6, 2.0, 5),
        result_with("io/rust", "sequential", None, 24e6, 0.05, 6),
        result_with("io/rust", "threads", Some(2), 12e6, 0.1, 7),
        result_with("io/rust", "process-pool", Some(2), 12.3e6, 0.3, 8),
    ];
    let failures = vec![Failure {
        name: "cpu/rust/processes ×2".into(),
        host: None,
        reason: "worker 0 (pid 42): closed its output before answering task 0; it was killed by signal 6 (SIGABRT)"
            .into(),
    }];
    (benchmarks, failures)
}

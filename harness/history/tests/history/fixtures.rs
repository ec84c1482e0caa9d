//! Synthetic runs: real `metron::analysis` results of made-up samples, so
//! tests hold whatever the machine's load.

use metron::analysis::{analyse, AnalysisContext, BenchmarkMeta};
use metron::model::{ClockKind, RoutineKind, RunRecord, Sample, StopReason};
use metron::stats::{seeded, standard_normal};

/// A run of one benchmark `name` at `level_ns` per iteration: 20 samples
/// with 0.5% noise, started `minute` minutes after a fixed time.
pub fn run(name: &str, level_ns: f64, minute: u32, seed: u64) -> RunRecord {
    let mut rng = seeded(seed);
    let samples: Vec<Sample> = (0..20)
        .map(|i| Sample {
            iterations: 1,
            wall_ns: level_ns * (0.005 * standard_normal(&mut rng)).exp(),
            cpu_ns: None,
            user_ns: None,
            sys_ns: None,
            max_rss_kib: None,
            round: None,
            replicate: Some((i / 4) as u32),
            at_ns: i * 1_000_000,
            counts: None,
        })
        .collect();
    let ctx = AnalysisContext {
        kind: RoutineKind::Command,
        clock: ClockKind::Wall,
        stop_reason: StopReason::FixedRuns,
        warmup_iterations: 0,
        shell_overhead_ns: None,
        seed,
        precision: None,
    };
    let result = analyse(&BenchmarkMeta::named(name), samples, ctx).expect("samples");
    let mut environment = metron::environment::collect();
    environment.hostname = "ci-1".into();
    environment.started_at = format!("2026-01-01T{:02}:{:02}:00Z", minute / 60, minute % 60);
    let mut record = RunRecord::new(vec!["metron".into()], environment, metron::RunConfig::default().settings());
    record.benchmarks.push(result);
    record
}

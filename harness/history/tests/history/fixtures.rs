//! Synthetic runs: real `metron::analysis` results of made-up samples, so
//! tests hold whatever the machine's load.

use metron::analysis::{analyse, AnalysisContext, BenchmarkMeta};
use metron::model::{RoutineKind, RunRecord, Sample};
use metron::stats::{seeded, standard_normal};

/// A run of one benchmark `name` at `level_ns` per iteration: 20 samples
/// with 0.5% noise, started `minute` minutes after a fixed time.
pub fn run(name: &str, level_ns: f64, minute: u32, seed: u64) -> RunRecord {
    let mut rng = seeded(seed);
    let samples: Vec<Sample> = (0..20)
        .map(|i| Sample {
            replicate: Some((i / 4) as u32),
            ..Sample::timed(1, level_ns * (0.005 * standard_normal(&mut rng)).exp(), i * 1_000_000)
        })
        .collect();
    let ctx = AnalysisContext::fixed_runs(RoutineKind::Command, seed);
    let result = analyse(&BenchmarkMeta::named(name), samples, ctx).expect("samples");
    let mut environment = metron::environment::collect();
    environment.hostname = "ci-1".into();
    environment.started_at = format!("2026-01-01T{:02}:{:02}:00Z", minute / 60, minute % 60);
    let mut record = RunRecord::new(vec!["metron".into()], environment, metron::RunConfig::default().settings());
    record.benchmarks.push(result);
    record
}

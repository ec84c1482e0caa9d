//! Fills a history with synthetic runs (real `metron::analysis` results of
//! made-up samples) for `scripts/bench-dashboard.sh`: BENCHMARKS benchmarks
//! in each of RUNS runs, every tenth benchmark 8% slower from run 60% of the
//! way in, 1% run-to-run noise.
//!
//! Usage: synthetic_history DB [BENCHMARKS] [RUNS]

use metron::analysis::{analyse, AnalysisContext, BenchmarkMeta};
use metron::model::{RoutineKind, RunRecord, Sample};
use metron::stats::{seeded, standard_normal, Rng};
use metron_history::{History, Location, RunKey};

fn result(name: &str, level: f64, rng: &mut Rng, seed: u64) -> Option<metron::BenchmarkResult> {
    let samples = (0..20)
        .map(|i| Sample {
            replicate: Some((i / 4) as u32),
            ..Sample::timed(1, level * (0.005 * standard_normal(rng)).exp(), i * 1_000_000)
        })
        .collect();
    let ctx = AnalysisContext::fixed_runs(RoutineKind::Command, seed);
    analyse(&BenchmarkMeta::named(name), samples, ctx)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let db = args.first().ok_or("usage: synthetic_history DB [BENCHMARKS] [RUNS]")?;
    let benchmarks: usize = args.get(1).map_or(Ok(200), |s| s.parse())?;
    let runs: usize = args.get(2).map_or(Ok(100), |s| s.parse())?;
    let mut history = History::open(&Location::parse(db))?;
    let mut rng = seeded(1);
    let environment = metron::environment::collect();
    for run in 0..runs {
        let mut env = environment.clone();
        env.started_at = format!("2026-01-{:02}T{:02}:{:02}:00Z", 1 + run / 1440, run / 60 % 24, run % 60);
        let mut record = RunRecord::new(vec!["metron".into()], env, metron::RunConfig::default().settings());
        for b in 0..benchmarks {
            let step = if b % 10 == 0 && run * 10 >= runs * 6 { 1.08 } else { 1.0 };
            let level = 1e5 * (1.0 + b as f64) * step * (0.01 * standard_normal(&mut rng)).exp();
            record.benchmarks.extend(result(&format!("bench-{b:03}"), level, &mut rng, (run * benchmarks + b) as u64));
        }
        let key = RunKey { commit: Some(format!("{run:07x}")), ..RunKey::default() };
        history.add(&record, &key, "synthetic")?;
    }
    eprintln!("{db}: {runs} runs of {benchmarks} benchmarks");
    Ok(())
}

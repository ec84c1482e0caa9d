//! The stopping rule keeps its promise: the 95% interval reported when a
//! benchmark stops covers the true median at least 94.5% of the time,
//! although when to stop was decided by looking at the data. Seeded
//! simulation through the real runner and sampler, with a routine whose
//! "times" are drawn from a known skewed distribution.

use metron::analysis::BenchmarkMeta;
use metron::model::{RoutineKind, StopReason};
use metron::routine::{Measurement, Routine};
use metron::runner::{Benchmark, Quiet, RunConfig, Runner};
use metron::sampler::{Iterations, SamplerConfig, Warmup};
use metron::stats::{seeded, standard_normal, Rng};

/// Times of 1000 ns × exp(0.02 Z) plus, one time in ten, a preemption of
/// up to 20%: skewed and heavy-tailed, as real timings are. Its median is
/// found by simulation once.
struct Drawn {
    rng: Rng,
}

fn draw(rng: &mut Rng) -> f64 {
    let base = 1000.0 * (0.02 * standard_normal(rng)).exp();
    let u = metron::stats::uniform(rng);
    if u < 0.1 {
        base * (1.0 + 2.0 * u)
    } else {
        base
    }
}

impl Routine for Drawn {
    fn kind(&self) -> RoutineKind {
        RoutineKind::Closure
    }
    fn measure(&mut self, iterations: u64) -> metron::Result<Measurement> {
        let wall_ns = (0..iterations).map(|_| draw(&mut self.rng)).sum();
        Ok(Measurement { iterations, wall_ns, cpu_ns: Some(wall_ns), ..Measurement::default() })
    }
}

fn true_median() -> f64 {
    let mut rng = seeded(99);
    let mut v: Vec<f64> = (0..400_000).map(|_| draw(&mut rng)).collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn coverage(replicates: usize, runs: u64) -> (f64, f64) {
    let truth = true_median();
    let config = RunConfig {
        sampler: SamplerConfig {
            iterations: Iterations::Fixed(1),
            warmup: Warmup::Runs(0),
            precision: Some(0.01),
            ..SamplerConfig::default()
        },
        replicates,
        ..RunConfig::default()
    };
    let (mut covered, mut stopped_on_precision) = (0, 0);
    for seed in 0..runs {
        let bench = Benchmark::new(BenchmarkMeta::named("x"), Drawn { rng: seeded(1000 + seed) });
        let out = Runner::new(&RunConfig { seed, ..config.clone() }, &mut Quiet).run(vec![bench]).unwrap();
        let r = &out.results[0];
        covered += usize::from(r.wall.median_ci.contains(truth));
        stopped_on_precision += usize::from(r.stop_reason == StopReason::Precision);
    }
    (covered as f64 / runs as f64, stopped_on_precision as f64 / runs as f64)
}

#[test]
fn the_interval_at_the_stopping_point_covers_at_least_94_5_percent() {
    for replicates in [1, metron::runner::DEFAULT_REPLICATES] {
        let (rate, precision) = coverage(replicates, 1000);
        println!("replicates {replicates}: coverage {rate}, stopped on precision {precision}");
        assert!(precision > 0.9, "the simulation is about the precision rule: {precision}");
        assert!(rate >= 0.945, "coverage at the stopping point with {replicates} replicates: {rate}");
    }
}

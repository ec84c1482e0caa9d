//! From samples to a [`BenchmarkResult`]: per-iteration times, the
//! statistics of both clocks, the regression line, peak memory.

use std::collections::BTreeMap;

use crate::model::{BenchmarkResult, ClockKind, RoutineKind, Sample, StopReason};
use crate::stats;

/// What a benchmark is, apart from what was measured.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkMeta {
    /// Name shown to people.
    pub name: String,
    /// Group, if any.
    pub group: Option<String>,
    /// Parameter values.
    pub parameters: BTreeMap<String, String>,
    /// The command line or statement, when there is one.
    pub command: Option<String>,
}

impl BenchmarkMeta {
    /// A benchmark with just a name.
    pub fn named(name: impl Into<String>) -> BenchmarkMeta {
        BenchmarkMeta { name: name.into(), group: None, parameters: BTreeMap::new(), command: None }
    }

    /// The id a result with this meta will have (see [`BenchmarkResult::id`]).
    pub fn id(&self) -> String {
        crate::model::benchmark_id(self.group.as_deref(), &self.name)
    }
}

/// Everything [`analyse`] needs besides the samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnalysisContext {
    /// Kind of routine.
    pub kind: RoutineKind,
    /// Headline clock.
    pub clock: ClockKind,
    /// Why sampling stopped.
    pub stop_reason: StopReason,
    /// Iterations run while warming up.
    pub warmup_iterations: u64,
    /// Shell start-up subtracted from each sample, if any.
    pub shell_overhead_ns: Option<f64>,
    /// Seed for the bootstrap.
    pub seed: u64,
}

/// Summarises samples into a result. Returns `None` when there are no samples.
pub fn analyse(meta: &BenchmarkMeta, samples: Vec<Sample>, ctx: AnalysisContext) -> Option<BenchmarkResult> {
    let wall_values: Vec<f64> = samples.iter().map(Sample::wall_per_iter).collect();
    let cpu_values: Option<Vec<f64>> = samples.iter().map(Sample::cpu_per_iter).collect();
    // The two clocks' bootstraps are independent and seeded, so they run side
    // by side: after a long run of short commands the user waits for them.
    // Analysis runs after sampling, never while anything is measured.
    let (wall, cpu) = std::thread::scope(|scope| {
        let cpu = cpu_values.as_deref().map(|v| scope.spawn(move || stats::summarize(v, ctx.seed.wrapping_add(1))));
        let wall = stats::summarize(&wall_values, ctx.seed);
        // A panic in the other thread is a bug in `summarize`: pass it on.
        let cpu = cpu.and_then(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        (wall, cpu)
    });
    let (mut wall, mut cpu) = (wall?, cpu);
    let varied = samples.windows(2).any(|w| w[0].iterations != w[1].iterations);
    if varied {
        let x: Vec<f64> = samples.iter().map(|s| s.iterations as f64).collect();
        let wall_totals: Vec<f64> = samples.iter().map(|s| s.wall_ns).collect();
        wall.regression = stats::ols(&x, &wall_totals);
        if let Some(cpu) = cpu.as_mut() {
            let cpu_totals: Vec<f64> = samples.iter().map(|s| s.cpu_ns.unwrap_or(0.0)).collect();
            cpu.regression = stats::ols(&x, &cpu_totals);
        }
    }
    Some(BenchmarkResult {
        name: meta.name.clone(),
        group: meta.group.clone(),
        parameters: meta.parameters.clone(),
        host: None,
        kind: ctx.kind,
        command: meta.command.clone(),
        clock: ctx.clock,
        stop_reason: ctx.stop_reason,
        wall,
        cpu,
        max_rss_kib: samples.iter().filter_map(|s| s.max_rss_kib).max(),
        shell_overhead_ns: ctx.shell_overhead_ns,
        warmup_iterations: ctx.warmup_iterations,
        throughput: Vec::new(),
        samples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(iterations: u64, wall_ns: f64) -> Sample {
        Sample {
            iterations,
            wall_ns,
            cpu_ns: Some(wall_ns / 2.0),
            user_ns: None,
            sys_ns: None,
            max_rss_kib: Some(iterations * 10),
            round: None,
            at_ns: 0,
        }
    }

    fn ctx() -> AnalysisContext {
        AnalysisContext {
            kind: RoutineKind::Closure,
            clock: ClockKind::Wall,
            stop_reason: StopReason::Precision,
            warmup_iterations: 0,
            shell_overhead_ns: None,
            seed: 7,
        }
    }

    #[test]
    fn per_iteration_statistics_and_regression() {
        // 100 ns per iteration plus 50 ns per sample of overhead.
        let samples: Vec<Sample> = (1..=8).map(|k| sample(k * 10, k as f64 * 1000.0 + 50.0)).collect();
        let r = analyse(&BenchmarkMeta::named("x"), samples, ctx()).unwrap();
        let reg = r.wall.regression.unwrap();
        assert!((reg.slope - 100.0).abs() < 1e-9 && (reg.intercept - 50.0).abs() < 1e-6, "{reg:?}");
        assert_eq!(r.wall.n, 8);
        assert!((r.cpu.as_ref().unwrap().min - r.wall.min / 2.0).abs() < 1e-9);
        assert_eq!(r.max_rss_kib, Some(800));
        assert!((r.cpu_utilisation().unwrap() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn flat_samples_have_no_regression_and_empty_has_no_result() {
        let samples: Vec<Sample> = (0..5).map(|_| sample(10, 1000.0)).collect();
        let r = analyse(&BenchmarkMeta::named("x"), samples, ctx()).unwrap();
        assert!(r.wall.regression.is_none());
        assert_eq!(r.wall.median, 100.0);
        assert!(analyse(&BenchmarkMeta::named("x"), Vec::new(), ctx()).is_none());
    }
}

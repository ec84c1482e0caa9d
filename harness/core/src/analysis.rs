//! From samples to a [`BenchmarkResult`]: per-iteration times, the
//! statistics of both clocks, the regression line, peak memory.

use std::collections::BTreeMap;

use crate::model::{
    BenchmarkResult, ClockKind, EarlierRuns, Replicate, RoutineKind, Sample, StopReason, Stopping, Summary,
};
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
    /// The untimed code that prepares what `command` times, when there is
    /// any: a snippet's `-s` lines, a command's `--setup`. It is part of
    /// what the benchmark is (the same statement after another setup is
    /// other code), so the memory of earlier runs keys by it.
    pub setup: Option<String>,
}

impl BenchmarkMeta {
    /// A benchmark with just a name.
    pub fn named(name: impl Into<String>) -> BenchmarkMeta {
        BenchmarkMeta { name: name.into(), group: None, parameters: BTreeMap::new(), command: None, setup: None }
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
    /// The precision target sampling aimed for, if any (`--precision`).
    pub precision: Option<f64>,
    /// The spread of this benchmark's earlier runs on this host, when they
    /// were remembered ([`crate::run_memory`]): it widens the headline
    /// interval where drift between runs is larger than replicates show.
    pub earlier: Option<EarlierRuns>,
}

impl AnalysisContext {
    /// The context of `kind` samples taken on the wall clock with a fixed
    /// count, no warm-up counted and no precision target: what a file from
    /// a peer tool, or a synthetic run, is analysed with.
    pub fn fixed_runs(kind: RoutineKind, seed: u64) -> AnalysisContext {
        AnalysisContext {
            kind,
            clock: ClockKind::Wall,
            stop_reason: StopReason::FixedRuns,
            warmup_iterations: 0,
            shell_overhead_ns: None,
            seed,
            precision: None,
            earlier: None,
        }
    }
}

/// Summarises samples into a result. Returns `None` when there are no samples.
pub fn analyse(meta: &BenchmarkMeta, samples: Vec<Sample>, ctx: AnalysisContext) -> Option<BenchmarkResult> {
    analyse_reusing(meta, samples, ctx, None)
}

/// [`analyse`], reusing the bootstrap intervals of `cached` (the result
/// of the same samples as a file stored it) where they are possible for
/// these samples (see [`stats::summarize_reusing`]): how a loaded file's
/// summaries are recomputed without paying for resampling twice.
pub fn analyse_reusing(
    meta: &BenchmarkMeta,
    samples: Vec<Sample>,
    ctx: AnalysisContext,
    cached: Option<&BenchmarkResult>,
) -> Option<BenchmarkResult> {
    let wall_values: Vec<f64> = samples.iter().map(Sample::wall_per_iter).collect();
    let cpu_values: Option<Vec<f64>> = samples.iter().map(Sample::cpu_per_iter).collect();
    let (cached_wall, cached_cpu) = (cached.map(|c| &c.wall), cached.and_then(|c| c.cpu.as_ref()));
    // The two clocks' bootstraps are independent and seeded, so they run side
    // by side: after a long run of short commands the user waits for them.
    // Analysis runs after sampling, never while anything is measured.
    let (wall, cpu) = std::thread::scope(|scope| {
        let cpu = cpu_values
            .as_deref()
            .map(|v| scope.spawn(move || stats::summarize_reusing(v, ctx.seed.wrapping_add(1), cached_cpu)));
        let wall = stats::summarize_reusing(&wall_values, ctx.seed, cached_wall);
        // A panic in the other thread is a bug in `summarize`: pass it on.
        let cpu = cpu.and_then(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        (wall, cpu)
    });
    let (mut wall, mut cpu) = (wall?, cpu);
    let headline_is_cpu = ctx.clock == ClockKind::Cpu && cpu.is_some();
    // Earlier runs remembered the headline clock's medians: they widen its interval only.
    let (wall_earlier, cpu_earlier) = if headline_is_cpu { (None, ctx.earlier) } else { (ctx.earlier, None) };
    let run_level = two_level(&mut wall, &samples, ClockKind::Wall, wall_earlier);
    let cpu_level = cpu.as_mut().and_then(|c| two_level(c, &samples, ClockKind::Cpu, cpu_earlier));
    let run_level = if headline_is_cpu { cpu_level } else { run_level };
    let headline = if headline_is_cpu { cpu.as_ref().unwrap_or(&wall) } else { &wall };
    let stopping = Stopping {
        reached: headline.median_ci.relative_half_width(headline.median),
        target: ctx.precision,
        ratio_reached: None,
        ratio_target: None,
    };
    let replicates = replicates(&samples, if headline_is_cpu { ClockKind::Cpu } else { ClockKind::Wall });
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
        setup: meta.setup.clone(),
        clock: ctx.clock,
        stop_reason: ctx.stop_reason,
        wall,
        cpu,
        max_rss_kib: samples.iter().filter_map(|s| s.max_rss_kib).max(),
        shell_overhead_ns: ctx.shell_overhead_ns,
        warmup_iterations: ctx.warmup_iterations,
        replicates,
        run_level,
        stopping: Some(stopping),
        throughput: Vec::new(),
        samples,
        instructions: None,
        counter: None,
    })
}

/// The samples of each replicate, in replicate order; samples without a
/// replicate number belong to none.
fn by_replicate(samples: &[Sample]) -> BTreeMap<u32, Vec<&Sample>> {
    let mut groups: BTreeMap<u32, Vec<&Sample>> = BTreeMap::new();
    for s in samples {
        if let Some(r) = s.replicate {
            groups.entry(r).or_default().push(s);
        }
    }
    groups
}

/// Per-iteration values of each replicate on `clock`, in replicate order;
/// empty when the samples carry no replicate numbers. A replicate with no
/// value on `clock` is left out.
pub fn replicate_values(samples: &[Sample], clock: ClockKind) -> Vec<Vec<f64>> {
    by_replicate(samples)
        .into_values()
        .map(|group| group.iter().filter_map(|s| s.per_iter(clock)).collect::<Vec<f64>>())
        .filter(|values| !values.is_empty())
        .collect()
}

/// Widens `summary`'s median CI to the honest two-level interval (see
/// [`stats::two_level`]) and says where its width comes from.
fn two_level(
    summary: &mut Summary,
    samples: &[Sample],
    clock: ClockKind,
    earlier: Option<EarlierRuns>,
) -> Option<crate::model::RunLevel> {
    let between = stats::BetweenReplicates::from_replicates(&replicate_values(samples, clock));
    let (ci, level) =
        stats::two_level::combine(summary.median, summary.median_ci, between, earlier, stats::SUMMARY_CONFIDENCE);
    summary.median_ci = ci;
    level
}

/// The replicates the samples were taken in, with their medians on `clock`
/// (0 for a replicate with no value on it).
fn replicates(samples: &[Sample], clock: ClockKind) -> Vec<Replicate> {
    by_replicate(samples)
        .into_iter()
        .map(|(index, group)| {
            let values: Vec<f64> = group.iter().filter_map(|s| s.per_iter(clock)).collect();
            Replicate {
                index,
                samples: group.len(),
                median_ns: if values.is_empty() { 0.0 } else { stats::median(&values) },
                started_at_ns: group[0].at_ns,
                pid: None,
            }
        })
        .collect()
}

/// Mean user-mode and kernel-mode CPU time per iteration, in ns, when every
/// sample splits its CPU time (child processes do; closures and snippets do
/// not). Means, as hyperfine reports them: they add up to the mean CPU time.
pub fn user_system_means(samples: &[Sample]) -> Option<(f64, f64)> {
    if samples.is_empty() {
        return None;
    }
    let (mut user, mut sys) = (0.0, 0.0);
    for s in samples {
        user += s.user_ns? / s.iterations as f64;
        sys += s.sys_ns? / s.iterations as f64;
    }
    let n = samples.len() as f64;
    Some((user / n, sys / n))
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
            replicate: None,
            at_ns: 0,
            counts: None,
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
            earlier: None,
            precision: Some(0.01),
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
    fn user_and_system_means_per_iteration() {
        let mut samples: Vec<Sample> = [(1, 10.0, 4.0), (2, 40.0, 8.0)]
            .map(|(n, u, s)| Sample { user_ns: Some(u), sys_ns: Some(s), ..sample(n, 100.0) })
            .to_vec();
        assert_eq!(user_system_means(&samples), Some((15.0, 4.0)));
        samples[1].sys_ns = None;
        assert_eq!(user_system_means(&samples), None);
        assert_eq!(user_system_means(&[]), None);
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

//! The runner: drives several benchmarks through their samplers, either in
//! interleaved rounds or one after another, and turns what they measured
//! into results, keeping every result it can when something fails.
//!
//! # Interleaving
//!
//! Benchmarks given together are compared, and a comparison is only as good
//! as the conditions were alike. Machines drift: thermal throttling, CPU
//! frequency, a neighbour's load, a backup that starts halfway. Run A then B
//! and the drift lands on one side; run them in rounds — one sample of each
//! per round — and it lands on both alike, and a round's pair of samples can
//! be compared directly (see [`crate::compare`](mod@crate::compare)).
//!
//! Position in a round can matter too (the first sample of a round follows
//! the runner's bookkeeping, the second follows the first benchmark), so
//! orders are counterbalanced: even rounds draw a random order, odd rounds
//! run the previous order reversed, and every benchmark spends as many
//! rounds early as late. The random orders come from a seeded generator,
//! so a run can be repeated exactly with the same seed.
//!
//! Rounds go on until *every* benchmark could stop (its precision is reached
//! or its own time budget is spent, and it has its minimum sample count), so
//! all benchmarks end with the same number of samples. The time budget is
//! shared by the group: once the rounds have spent the budget times the
//! number of benchmarks, they end (minimum counts permitting) even if some
//! benchmark has not reached its precision. Without that, a fast, noisy
//! benchmark paired with a slow one would keep the rounds going until its
//! *own* few-microsecond samples added up to the budget, while the slow one
//! spent many times the budget alongside it.
//!
//! # Failures and interruption
//!
//! A benchmark whose routine fails is dropped with its reason (a
//! [`Failure`]); the others go on. When the cancel flag is set (Ctrl-C), the
//! runner stops after the current sample, and every benchmark with at least
//! one sample is returned with [`StopReason::Interrupted`]. A run can also be
//! killed before it gets that far, so an observer that keeps a checkpoint can
//! ask, after any sample, for the benchmarks in progress analysed as if the
//! run had been interrupted then ([`Observer::wants_progress`]).

use std::sync::atomic::{AtomicBool, Ordering};

use rand::seq::SliceRandom;

use crate::analysis::{analyse, AnalysisContext, BenchmarkMeta};
use crate::clock;
use crate::compare;
use crate::counter::{self, Backend};
use crate::error::{Error, Result};
use crate::model::{BenchmarkResult, Failure, Sample, Settings, StopReason};
use crate::routine::Routine;
use crate::sampler::{Sampler, SamplerConfig};
use crate::stats;

/// One benchmark to run: what it is and the routine that measures it.
pub struct Benchmark<'a> {
    /// Name, group, parameters.
    pub meta: BenchmarkMeta,
    /// What is measured.
    pub routine: Box<dyn Routine + 'a>,
}

impl<'a> Benchmark<'a> {
    /// Pairs a description with a routine.
    pub fn new(meta: BenchmarkMeta, routine: impl Routine + 'a) -> Benchmark<'a> {
        Benchmark { meta, routine: Box::new(routine) }
    }
}

impl std::fmt::Debug for Benchmark<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Benchmark").field("meta", &self.meta).finish_non_exhaustive()
    }
}

/// Whether benchmarks given together share rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// One sample of each per round, in a random order per round (the default).
    #[default]
    Interleaved,
    /// Each benchmark to completion before the next (`--no-interleave`).
    Sequential,
}

/// Settings of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunConfig {
    /// Sampler settings, shared by every benchmark.
    pub sampler: SamplerConfig,
    /// Interleaved or sequential.
    pub order: Order,
    /// Seed of the round order and of the bootstrap (`--seed`).
    pub seed: u64,
}

impl Default for RunConfig {
    fn default() -> RunConfig {
        RunConfig { sampler: SamplerConfig::default(), order: Order::Interleaved, seed: 0x6d65_7472_6f6e }
    }
}

impl RunConfig {
    /// The settings as recorded in the report.
    pub fn settings(&self) -> Settings {
        let s = &self.sampler;
        Settings {
            clock: s.clock,
            precision: s.precision.unwrap_or(0.0),
            time_budget_s: s.time_budget.as_secs_f64(),
            min_samples: s.min_samples,
            max_samples: s.max_samples,
            interleaved: self.order == Order::Interleaved,
            seed: self.seed,
        }
    }
}

/// Hears about a run as it goes, e.g. to draw progress bars or to write
/// results as soon as each benchmark is done. Every method has a no-op default.
pub trait Observer {
    /// A benchmark is warming up.
    fn warming_up(&mut self, _index: usize, _meta: &BenchmarkMeta) {}
    /// A sample was taken; `progress` is 0..=1 for the whole benchmark.
    fn sampled(&mut self, _index: usize, _samples: usize, _progress: f64) {}
    /// A benchmark finished and this is its result.
    fn finished(&mut self, _index: usize, _result: &BenchmarkResult) {}
    /// A benchmark failed.
    fn failed(&mut self, _index: usize, _failure: &Failure) {}
    /// Asked after every sample: whether the observer wants the results of
    /// the benchmarks still in progress now ([`Observer::in_progress`]).
    /// Analysing them costs time between samples, so the default is no.
    fn wants_progress(&mut self) -> bool {
        false
    }
    /// The benchmarks in progress, analysed as if the run were interrupted
    /// now ([`StopReason::Interrupted`]), with their input positions: what a
    /// checkpoint needs so that a run killed before they finish loses
    /// nothing it measured.
    fn in_progress(&mut self, _results: &[(usize, BenchmarkResult)]) {}
}

/// An observer that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl Observer for Quiet {}

/// What a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Results of the benchmarks that have samples, in the order given.
    pub results: Vec<BenchmarkResult>,
    /// Benchmarks that failed, with their reasons.
    pub failures: Vec<Failure>,
    /// Whether the run was interrupted.
    pub interrupted: bool,
}

/// Drives benchmarks; see the module documentation.
pub struct Runner<'r> {
    config: &'r RunConfig,
    observer: &'r mut dyn Observer,
    cancel: Option<&'r AtomicBool>,
    /// What counts, with `--clock instructions` and the other counts.
    counter: Option<Backend>,
}

/// A benchmark in flight.
struct Slot<'c, 'a> {
    index: usize,
    bench: Benchmark<'a>,
    sampler: Sampler<'c>,
    /// Nothing more to do: it failed, or its result is in.
    done: bool,
}

impl<'r> Runner<'r> {
    /// A runner with these settings, reporting to `observer`.
    pub fn new(config: &'r RunConfig, observer: &'r mut dyn Observer) -> Runner<'r> {
        Runner { config, observer, cancel: None, counter: None }
    }

    /// Stops the run (keeping what was measured) once `flag` becomes true.
    pub fn cancel_on(mut self, flag: &'r AtomicBool) -> Runner<'r> {
        self.cancel = Some(flag);
        self
    }

    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// Runs the benchmarks and returns their results.
    ///
    /// # Errors
    /// For invalid settings, and with a count clock when nothing can count
    /// or a benchmark cannot be counted (before anything runs); failures of
    /// single benchmarks are reported in [`Outcome::failures`].
    pub fn run(mut self, benchmarks: Vec<Benchmark<'_>>) -> Result<Outcome> {
        self.config.sampler.validate()?;
        let clock = self.config.sampler.clock;
        let benchmarks = if clock.is_count() {
            let backend = counter::choose(clock)?;
            self.counter = Some(backend);
            counter::prepare(benchmarks, backend)?
        } else {
            benchmarks
        };
        let origin = clock::wall_ns();
        let mut progress = RoundsOutcome::default();
        let mut slots: Vec<Slot<'_, '_>> = benchmarks
            .into_iter()
            .enumerate()
            .map(|(index, bench)| Slot { index, bench, sampler: Sampler::new(&self.config.sampler), done: false })
            .collect();
        match self.config.order {
            Order::Interleaved => self.run_rounds(&mut slots, origin, &mut progress),
            Order::Sequential => {
                for slot in slots.iter_mut() {
                    if !progress.interrupted {
                        self.run_rounds(std::slice::from_mut(slot), origin, &mut progress);
                    }
                }
            }
        }
        progress.results.sort_by_key(|(i, _)| *i);
        Ok(Outcome {
            results: progress.results.into_iter().map(|(_, r)| r).collect(),
            failures: progress.failures,
            interrupted: progress.interrupted || self.cancelled(),
        })
    }

    /// Runs a set of benchmarks in shared rounds until all can stop.
    fn run_rounds(&mut self, slots: &mut [Slot<'_, '_>], origin: u64, outcome: &mut RoundsOutcome) {
        for slot in slots.iter_mut() {
            self.observer.warming_up(slot.index, &slot.bench.meta);
            let result = slot
                .bench
                .routine
                .setup()
                .and_then(|()| slot.sampler.warm_up(slot.bench.routine.as_mut(), self.cancel));
            self.settle(slot, result, outcome);
            if outcome.interrupted {
                break;
            }
        }
        let interleaved = slots.len() > 1 || self.config.order == Order::Interleaved;
        let mut rng = stats::seeded(self.config.seed);
        let mut order: Vec<usize> = (0..slots.len()).collect();
        let mut round: u32 = 0;
        while !outcome.interrupted && slots.iter().any(|s| !s.done) && !all_can_stop(slots, &self.config.sampler) {
            if round % 2 == 0 {
                order.shuffle(&mut rng);
            } else {
                order.reverse();
            }
            for &i in &order {
                let slot = &mut slots[i];
                if slot.done || outcome.interrupted {
                    continue;
                }
                let r = slot.sampler.take_sample(slot.bench.routine.as_mut(), origin, interleaved.then_some(round));
                self.settle(slot, r, outcome);
                if !slot.done {
                    self.observer.sampled(slot.index, slot.sampler.samples().len(), slot.sampler.progress());
                }
                self.report_progress(slots);
            }
            round += 1;
        }
        for slot in slots.iter_mut() {
            self.finish(slot, outcome);
        }
    }

    /// Records the failure of a step, or the interruption it caused.
    fn settle(&mut self, slot: &mut Slot<'_, '_>, result: Result<()>, outcome: &mut RoundsOutcome) {
        if self.cancelled() {
            outcome.interrupted = true;
        }
        match result {
            Ok(()) => {}
            Err(_) if outcome.interrupted => {}
            Err(Error::Interrupted) => outcome.interrupted = true,
            // The run stops as for a Ctrl-C, and the reason is shown.
            Err(e @ Error::ChildInterrupted { .. }) => {
                outcome.interrupted = true;
                let failure = Failure { name: slot.bench.meta.id(), host: None, reason: e.to_string() };
                self.observer.failed(slot.index, &failure);
                outcome.failures.push(failure);
            }
            Err(e) => {
                slot.done = true;
                let failure = Failure { name: slot.bench.meta.id(), host: None, reason: e.to_string() };
                self.observer.failed(slot.index, &failure);
                outcome.failures.push(failure);
                // Clean-up after a failure is best effort: the failure is the news.
                let _ = slot.bench.routine.teardown();
            }
        }
    }

    /// Hands the observer the live benchmarks' results so far, if it wants them.
    fn report_progress(&mut self, slots: &[Slot<'_, '_>]) {
        if !self.observer.wants_progress() {
            return;
        }
        let results: Vec<(usize, BenchmarkResult)> = slots
            .iter()
            .filter(|s| !s.done)
            .filter_map(|s| Some((s.index, self.analyse(s, s.sampler.samples().to_vec(), StopReason::Interrupted)?)))
            .collect();
        self.observer.in_progress(&results);
    }

    /// What the analysis of a slot's samples needs to know.
    fn context(&self, slot: &Slot<'_, '_>, stop_reason: StopReason) -> AnalysisContext {
        AnalysisContext {
            kind: slot.bench.routine.kind(),
            clock: self.config.sampler.clock,
            stop_reason,
            warmup_iterations: slot.sampler.warmup_iterations(),
            shell_overhead_ns: slot.bench.routine.shell_overhead_ns(),
            seed: self.config.seed.wrapping_add(slot.index as u64),
        }
    }

    /// A slot's samples as a result, with their counts' statistics when counting.
    fn analyse(&self, slot: &Slot<'_, '_>, samples: Vec<Sample>, stop_reason: StopReason) -> Option<BenchmarkResult> {
        let ctx = self.context(slot, stop_reason);
        let mut result = analyse(&slot.bench.meta, samples, ctx)?;
        if let Some(backend) = self.counter {
            counter::annotate(&mut result, backend, ctx.seed.wrapping_add(2));
        }
        Some(result)
    }

    /// Tears a benchmark down and turns its samples into a result.
    fn finish(&mut self, slot: &mut Slot<'_, '_>, outcome: &mut RoundsOutcome) {
        if slot.done {
            return;
        }
        if let Err(e) = slot.bench.routine.teardown() {
            let failure = Failure { name: slot.bench.meta.id(), host: None, reason: e.to_string() };
            self.observer.failed(slot.index, &failure);
            outcome.failures.push(failure);
        }
        let stop_reason = if outcome.interrupted {
            StopReason::Interrupted
        } else {
            slot.sampler.stop_reason().unwrap_or(StopReason::TimeBudget)
        };
        let samples = slot.sampler.take_samples();
        if let Some(result) = self.analyse(slot, samples, stop_reason) {
            self.observer.finished(slot.index, &result);
            outcome.results.push((slot.index, result));
        }
        slot.done = true;
    }
}

/// The outcome while it is being collected: results keyed by input position.
#[derive(Default)]
struct RoundsOutcome {
    results: Vec<(usize, BenchmarkResult)>,
    failures: Vec<Failure>,
    interrupted: bool,
}

/// Whether the rounds can end: every live benchmark could stop on its own,
/// and, when several share rounds and a precision target is set, every
/// comparison with the fastest is precise enough (95% CI of the ratio within
/// ± a third of the target) unless the budgets are spent.
fn all_can_stop(slots: &[Slot<'_, '_>], config: &SamplerConfig) -> bool {
    let live: Vec<&Slot<'_, '_>> = slots.iter().filter(|s| !s.done).collect();
    let group_spent: f64 = live.iter().map(|s| s.sampler.spent_ns() as f64).sum();
    let group_budget = config.time_budget.as_nanos() as f64 * live.len() as f64;
    if live.len() > 1 && group_spent >= group_budget && live.iter().all(|s| s.sampler.has_min_samples()) {
        return true;
    }
    let reasons: Vec<Option<StopReason>> = live.iter().map(|s| s.sampler.stop_reason()).collect();
    if reasons.iter().any(Option::is_none) {
        return false;
    }
    let Some(target) = config.precision else { return true };
    if live.len() < 2
        || reasons.iter().any(|r| *r != Some(StopReason::Precision))
        || live.iter().any(|s| s.sampler.budget_spent())
    {
        return true;
    }
    let median = |s: &Slot<'_, '_>| s.sampler.median().unwrap_or(f64::INFINITY);
    let Some(fastest) = live.iter().min_by(|a, b| median(a).total_cmp(&median(b))) else { return true };
    live.iter().filter(|s| s.index != fastest.index).all(|s| {
        compare::ratio_half_width(fastest.sampler.samples(), s.sampler.samples(), config.clock)
            .is_none_or(|w| w <= target / 3.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::ClosureRoutine;
    use crate::sampler::{Iterations, Warmup};

    fn config(runs: usize) -> RunConfig {
        RunConfig {
            sampler: SamplerConfig { iterations: Iterations::Fixed(10), warmup: Warmup::Runs(1), ..Default::default() }
                .fixed_runs(runs),
            ..RunConfig::default()
        }
    }

    /// Benchmarks `a` and `b` that note each call in `log`.
    fn logging_pair<L: Extend<char>>(log: &std::cell::RefCell<L>) -> Vec<Benchmark<'_>> {
        ['a', 'b']
            .into_iter()
            .map(|name| {
                let routine = ClosureRoutine::new(move |b| {
                    log.borrow_mut().extend([name]);
                    b.iter(|| 1)
                });
                Benchmark::new(BenchmarkMeta::named(name.to_string()), routine)
            })
            .collect()
    }

    #[test]
    fn interleaved_benchmarks_share_rounds_in_varying_order() {
        let log = std::cell::RefCell::new(Vec::new());
        let benches = logging_pair(&log);
        let cfg = config(20);
        let out = Runner::new(&cfg, &mut Quiet).run(benches).unwrap();
        assert_eq!(out.results.len(), 2);
        assert_eq!(out.results[0].name, "a");
        assert!(out.results.iter().all(|r| r.samples.len() == 20 && r.stop_reason == StopReason::FixedRuns));
        let rounds: Vec<u32> = out.results[1].samples.iter().map(|s| s.round.unwrap()).collect();
        assert_eq!(rounds, (0..20).collect::<Vec<_>>());
        // After one warm-up call each, the log is rounds of two; odd rounds
        // reverse the order of the round before.
        let log = log.into_inner();
        let rounds: Vec<String> = log[2..].chunks(2).map(|c| c.iter().collect()).collect();
        assert!(rounds.iter().all(|p| p == "ab" || p == "ba"));
        for pair in rounds.chunks(2) {
            assert_ne!(pair[0], pair[1], "{rounds:?}");
        }
        assert_eq!(rounds.iter().filter(|r| *r == "ab").count(), 10);
    }

    #[test]
    fn a_group_shares_its_time_budget() {
        // A slow benchmark (1 ms per sample) and a fast one (~10 µs), with no
        // precision target to stop them early: the fast one's own budget would
        // take 50 ms / 10 µs = 5,000 rounds, 5 s of the slow one. The group's
        // budget (2 × 50 ms) ends the rounds after about a hundred.
        let spin = |d: std::time::Duration| {
            let start = std::time::Instant::now();
            while start.elapsed() < d {}
        };
        let benches = vec![
            Benchmark::new(
                BenchmarkMeta::named("slow"),
                ClosureRoutine::from_fn(move || spin(std::time::Duration::from_millis(1))),
            ),
            Benchmark::new(
                BenchmarkMeta::named("fast"),
                ClosureRoutine::from_fn(move || spin(std::time::Duration::from_micros(10))),
            ),
        ];
        let cfg = RunConfig {
            sampler: SamplerConfig {
                iterations: Iterations::Fixed(1),
                warmup: Warmup::Runs(1),
                precision: None,
                time_budget: std::time::Duration::from_millis(50),
                min_samples: 5,
                ..Default::default()
            },
            ..RunConfig::default()
        };
        let out = Runner::new(&cfg, &mut Quiet).run(benches).unwrap();
        let n = out.results[0].samples.len();
        assert!((5..=110).contains(&n), "{n} rounds");
        let stops: Vec<_> = out.results.iter().map(|r| (r.stop_reason, r.samples.len())).collect();
        assert!(stops.iter().all(|&(s, len)| s == StopReason::TimeBudget && len == n), "{stops:?}");
    }

    #[test]
    fn sequential_runs_one_after_another() {
        let log = std::cell::RefCell::new(String::new());
        let benches = logging_pair(&log);
        let cfg = RunConfig { order: Order::Sequential, ..config(3) };
        let out = Runner::new(&cfg, &mut Quiet).run(benches).unwrap();
        assert_eq!(log.into_inner(), "aaaabbbb");
        assert!(out.results[0].samples.iter().all(|s| s.round.is_none()));
    }

    #[test]
    fn one_failing_benchmark_keeps_the_others() {
        let mut calls = 0;
        let benches = vec![
            Benchmark::new(BenchmarkMeta::named("ok"), ClosureRoutine::from_fn(|| 1)),
            Benchmark::new(
                BenchmarkMeta::named("flaky"),
                ClosureRoutine::new(move |b| {
                    calls += 1;
                    if calls < 4 {
                        b.iter(|| 1)
                    }
                }),
            ),
        ];
        let cfg = config(10);
        let out = Runner::new(&cfg, &mut Quiet).run(benches).unwrap();
        assert_eq!(out.results.len(), 1);
        assert_eq!(out.results[0].samples.len(), 10);
        assert_eq!(out.failures.len(), 1);
        assert_eq!(out.failures[0].name, "flaky");
        assert!(out.failures[0].reason.contains("without calling b.iter"));
    }

    /// Asks for the benchmarks in progress after every sample and keeps
    /// their sample counts and stop reasons.
    #[derive(Default)]
    struct Checkpoints(Vec<Vec<(usize, usize, StopReason)>>);

    impl Observer for Checkpoints {
        fn wants_progress(&mut self) -> bool {
            true
        }
        fn in_progress(&mut self, results: &[(usize, BenchmarkResult)]) {
            self.0.push(results.iter().map(|(i, r)| (*i, r.samples.len(), r.stop_reason)).collect());
        }
    }

    #[test]
    fn benchmarks_in_progress_are_offered_for_checkpoints() {
        let log = std::cell::RefCell::new(String::new());
        let cfg = config(3);
        let mut seen = Checkpoints::default();
        Runner::new(&cfg, &mut seen).run(logging_pair(&log)).unwrap();
        let last = seen.0.last().unwrap();
        assert_eq!(last, &[(0, 3, StopReason::Interrupted), (1, 3, StopReason::Interrupted)]);
        assert_eq!(seen.0[0].iter().map(|c| c.1).sum::<usize>(), 1, "the first offer has the first sample");
    }

    #[test]
    fn cancellation_keeps_what_was_measured() {
        let flag = AtomicBool::new(false);
        let mut n = 0;
        let benches = vec![Benchmark::new(
            BenchmarkMeta::named("slow"),
            ClosureRoutine::new(|b| {
                n += 1;
                if n == 6 {
                    flag.store(true, Ordering::Relaxed);
                }
                b.iter(|| 1)
            }),
        )];
        let cfg = config(1000);
        let out = Runner::new(&cfg, &mut Quiet).cancel_on(&flag).run(benches).unwrap();
        assert!(out.interrupted);
        assert_eq!(out.results[0].stop_reason, StopReason::Interrupted);
        assert_eq!(out.results[0].samples.len(), 5);
    }
}

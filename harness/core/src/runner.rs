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
use crate::model::{BenchmarkResult, EarlierRuns, Failure, RoutineKind, Sample, Settings, StopReason};
use crate::routine::Routine;
use crate::run_memory::RunMemory;
use crate::sampler::{Iterations, Sampler, SamplerConfig, Warmup};
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
    /// How many replicates each benchmark is taken in (`--replicates`); see
    /// the module documentation.
    pub replicates: usize,
    /// CPUs to pin metron and its children to (`--pin`); empty: no pinning.
    /// Applied by the front end when the run starts ([`crate::noise::NoiseProbe::pin_and_start`]).
    pub pin: Vec<usize>,
}

/// Default number of replicates: the fewest whose t-interval (4 degrees of
/// freedom, t = 2.78) is not dominated by its own uncertainty, and few
/// enough that a command of 20 ms still answers in well under a second.
pub const DEFAULT_REPLICATES: usize = 5;

impl Default for RunConfig {
    fn default() -> RunConfig {
        RunConfig {
            sampler: SamplerConfig::default(),
            order: Order::Interleaved,
            seed: 0x6d65_7472_6f6e,
            replicates: DEFAULT_REPLICATES,
            pin: Vec::new(),
        }
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
            replicates: self.replicates,
        }
    }

    /// How many replicates a run of these settings takes: as asked, but
    /// never more than there are samples to share among them.
    pub fn effective_replicates(&self) -> usize {
        self.replicates.clamp(1, self.sampler.max_samples.max(1))
    }

    /// The sampler settings of replicate `pass` (from 0) of a benchmark of
    /// `kind`, whose first replicate chose `iterations` per sample.
    ///
    /// Each replicate gets an equal share of the time budget, of the
    /// minimum and maximum sample counts (a fixed `--runs N` is split
    /// exactly), and a precision target scaled so that the replicates
    /// together reach the run's: the sampler judges replicate `pass` on the
    /// samples of replicates 0..=pass pooled ([`Sampler::after`]), and as a
    /// median's interval narrows as 1/√n, pooled samples of pass + 1 of R
    /// equal replicates within √(R / (pass + 1)) times the target put all R
    /// within it. Replicates
    /// after the first keep the first one's iteration count (samples of one
    /// benchmark stay comparable) and warm up with a single sample: enough
    /// for a fresh driver's first call, none for a command, whose every
    /// iteration is a fresh process.
    pub fn replicate_sampler(&self, pass: usize, iterations: Option<u64>, kind: RoutineKind) -> SamplerConfig {
        let c = &self.sampler;
        let r = self.effective_replicates();
        let share = |n: usize| (n * (pass + 1) / r - n * pass / r).max(1);
        let mut p = c.clone();
        p.time_budget = c.time_budget / r as u32;
        if c.precision.is_none() && c.min_samples == c.max_samples {
            p.min_samples = share(c.min_samples);
            p.max_samples = p.min_samples;
        } else {
            p.max_samples = share(c.max_samples);
            p.min_samples = c.min_samples.div_ceil(r).max(2).min(p.max_samples);
            p.precision = c.precision.map(|t| t * (r as f64 / (pass + 1) as f64).sqrt());
        }
        if pass > 0 {
            if let Some(n) = iterations {
                p.iterations = Iterations::Fixed(n);
            }
            let fresh = if kind == RoutineKind::Command { 0 } else { 1 };
            p.warmup = match c.warmup {
                Warmup::Auto | Warmup::Brief => Warmup::Runs(fresh),
                Warmup::Runs(n) => Warmup::Runs(n.min(fresh)),
            };
        }
        p
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
    /// Earlier runs on this host, when the front end asked for them.
    memory: Option<RunMemory>,
    /// Whether a benchmark of this run has had the full warm-up: the
    /// machine is then busy and up to speed, and later benchmarks warm up
    /// only their own code ([`Warmup::Brief`]).
    machine_warm: bool,
}

/// A benchmark in flight.
struct Slot<'a> {
    index: usize,
    bench: Benchmark<'a>,
    /// The sampler of the replicate being taken.
    sampler: Sampler,
    /// Samples of the replicates taken so far, labelled with their replicate.
    kept: Vec<Sample>,
    /// The process of each replicate, when the routine has one of its own.
    pids: Vec<Option<u32>>,
    /// Why each finished replicate stopped.
    reasons: Vec<StopReason>,
    /// The replicate being taken, from 0.
    pass: u32,
    /// Iterations per sample chosen by the first replicate.
    iterations: Option<u64>,
    /// Iterations run warming up, over all replicates.
    warmup_iterations: u64,
    /// Nothing more to do: it failed, or its result is in.
    done: bool,
    /// What the memory knows of its earlier runs, looked up once.
    earlier: Option<EarlierRuns>,
}

impl Slot<'_> {
    /// The samples of the finished replicates and of the one in progress.
    fn all_samples(&self) -> Vec<Sample> {
        let pass = self.pass;
        let current = self.sampler.samples().iter().map(|s| Sample { replicate: Some(pass), ..s.clone() });
        self.kept.iter().cloned().chain(current).collect()
    }
}

impl<'r> Runner<'r> {
    /// A runner with these settings, reporting to `observer`.
    pub fn new(config: &'r RunConfig, observer: &'r mut dyn Observer) -> Runner<'r> {
        Runner { config, observer, cancel: None, counter: None, memory: None, machine_warm: false }
    }

    /// Widens each result's interval by what `memory` remembers of the
    /// benchmark's earlier runs on this host, and remembers this run's
    /// results there when it finishes uninterrupted (see [`crate::run_memory`]).
    pub fn remembering(mut self, memory: Option<RunMemory>) -> Runner<'r> {
        self.memory = memory;
        self
    }

    /// Says the machine is already warm (a later replicate process of a
    /// run): every benchmark then warms up [`Warmup::Brief`]ly, not only
    /// those after the first.
    pub fn machine_warm(mut self, warm: bool) -> Runner<'r> {
        self.machine_warm = warm;
        self
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
        if self.config.replicates == 0 {
            return Err(Error::InvalidConfig("--replicates must be at least 1".into()));
        }
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
        let mut slots: Vec<Slot<'_>> = benchmarks
            .into_iter()
            .enumerate()
            .map(|(index, bench)| Slot {
                index,
                sampler: Sampler::new(self.config.sampler.clone()),
                kept: Vec::new(),
                pids: Vec::new(),
                reasons: Vec::new(),
                pass: 0,
                iterations: None,
                warmup_iterations: 0,
                done: false,
                earlier: self.memory.as_ref().and_then(|m| m.earlier_for(&bench.meta, bench.routine.kind(), clock)),
                bench,
            })
            .collect();
        let mut round: u32 = 0;
        match self.config.order {
            Order::Interleaved => self.run_replicates(&mut slots, origin, &mut round, &mut progress),
            Order::Sequential => {
                for slot in slots.iter_mut() {
                    if !progress.interrupted {
                        self.run_replicates(std::slice::from_mut(slot), origin, &mut round, &mut progress);
                    }
                }
            }
        }
        progress.results.sort_by_key(|(i, _)| *i);
        let outcome = Outcome {
            results: progress.results.into_iter().map(|(_, r)| r).collect(),
            failures: progress.failures,
            interrupted: progress.interrupted || self.cancelled(),
        };
        if let Some(memory) = self.memory.as_mut() {
            // Best effort: a memory that cannot be written loses no result.
            let _ = memory.remember(&outcome.results, outcome.interrupted);
        }
        Ok(outcome)
    }

    /// Takes every replicate of a set of benchmarks, then their results.
    fn run_replicates(&mut self, slots: &mut [Slot<'_>], origin: u64, round: &mut u32, outcome: &mut RoundsOutcome) {
        let replicates = self.config.effective_replicates();
        for pass in 0..replicates {
            if outcome.interrupted || slots.iter().all(|s| s.done) {
                break;
            }
            self.run_rounds(slots, pass, origin, round, outcome);
            for slot in slots.iter_mut().filter(|s| !s.done) {
                self.end_replicate(slot, outcome);
            }
        }
        // The precision the group's comparisons reached, for the record:
        // the stopping rule's ratio target is a third of the precision.
        let live: Vec<&Slot<'_>> = slots.iter().filter(|s| !s.done).collect();
        let ratio = match (self.config.sampler.precision, live.len() > 1) {
            (Some(target), true) => ratio_precision(&live).map(|reached| (reached, target / 3.0)),
            _ => None,
        };
        for slot in slots.iter_mut() {
            self.finish(slot, ratio, outcome);
        }
    }

    /// Runs one replicate of a set of benchmarks in shared rounds until all
    /// can stop.
    fn run_rounds(
        &mut self,
        slots: &mut [Slot<'_>],
        pass: usize,
        origin: u64,
        round: &mut u32,
        outcome: &mut RoundsOutcome,
    ) {
        for slot in slots.iter_mut().filter(|s| !s.done) {
            let mut config = self.config.replicate_sampler(pass, slot.iterations, slot.bench.routine.kind());
            if config.warmup == Warmup::Auto && std::mem::replace(&mut self.machine_warm, true) {
                config.warmup = Warmup::Brief;
            }
            let clock = config.clock;
            let earlier = slot.kept.iter().filter_map(|s| s.per_iter(clock)).collect();
            slot.sampler = Sampler::new(config).after(earlier);
            slot.pass = pass as u32;
            self.observer.warming_up(slot.index, &slot.bench.meta);
            let routine = slot.bench.routine.as_mut();
            let prepared = if pass == 0 { routine.setup() } else { routine.fresh_replicate() };
            let result = prepared.and_then(|()| slot.sampler.warm_up(routine, self.cancel));
            slot.pids.resize(pass, None);
            slot.pids.push(slot.bench.routine.process_id());
            self.settle(slot, result, outcome);
            if outcome.interrupted {
                return;
            }
        }
        let interleaved = slots.len() > 1 || self.config.order == Order::Interleaved;
        let mut rng = stats::seeded(self.config.seed.wrapping_add(pass as u64));
        let mut order: Vec<usize> = (0..slots.len()).collect();
        let first_round = *round;
        let replicates = self.config.effective_replicates() as f64;
        while !outcome.interrupted && slots.iter().any(|s| !s.done) && !all_can_stop(slots, self.config, pass) {
            if (*round - first_round) % 2 == 0 {
                order.shuffle(&mut rng);
            } else {
                order.reverse();
            }
            for &i in &order {
                let slot = &mut slots[i];
                if slot.done || outcome.interrupted {
                    continue;
                }
                let r = slot.sampler.take_sample(slot.bench.routine.as_mut(), origin, interleaved.then_some(*round));
                self.settle(slot, r, outcome);
                if !slot.done {
                    let progress = (pass as f64 + slot.sampler.progress()) / replicates;
                    self.observer.sampled(slot.index, slot.kept.len() + slot.sampler.samples().len(), progress);
                }
                self.report_progress(slots);
            }
            *round += 1;
        }
    }

    /// Files the replicate a benchmark just finished, and keeps the
    /// iteration count the first one chose.
    fn end_replicate(&mut self, slot: &mut Slot<'_>, outcome: &RoundsOutcome) {
        let pass = slot.pass;
        let reason = if outcome.interrupted {
            StopReason::Interrupted
        } else {
            slot.sampler.stop_reason().unwrap_or(StopReason::TimeBudget)
        };
        slot.reasons.push(reason);
        slot.iterations.get_or_insert(slot.sampler.iterations());
        slot.warmup_iterations += slot.sampler.warmup_iterations();
        let taken = slot.sampler.take_samples();
        slot.kept.extend(taken.into_iter().map(|s| Sample { replicate: Some(pass), ..s }));
    }

    /// Records the failure of a step, or the interruption it caused.
    fn settle(&mut self, slot: &mut Slot<'_>, result: Result<()>, outcome: &mut RoundsOutcome) {
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
    fn report_progress(&mut self, slots: &[Slot<'_>]) {
        if !self.observer.wants_progress() {
            return;
        }
        let results: Vec<(usize, BenchmarkResult)> = slots
            .iter()
            .filter(|s| !s.done)
            .filter_map(|s| Some((s.index, self.analyse(s, s.all_samples(), StopReason::Interrupted)?)))
            .collect();
        self.observer.in_progress(&results);
    }

    /// What the analysis of a slot's samples needs to know.
    fn context(&self, slot: &Slot<'_>, stop_reason: StopReason) -> AnalysisContext {
        AnalysisContext {
            kind: slot.bench.routine.kind(),
            clock: self.config.sampler.clock,
            earlier: slot.earlier,
            stop_reason,
            warmup_iterations: slot.warmup_iterations + slot.sampler.warmup_iterations(),
            shell_overhead_ns: slot.bench.routine.shell_overhead_ns(),
            seed: self.config.seed.wrapping_add(slot.index as u64),
            precision: self.config.sampler.precision,
        }
    }

    /// A slot's samples as a result, with their counts' statistics when counting.
    fn analyse(&self, slot: &Slot<'_>, samples: Vec<Sample>, stop_reason: StopReason) -> Option<BenchmarkResult> {
        let ctx = self.context(slot, stop_reason);
        let mut result = analyse(&slot.bench.meta, samples, ctx)?;
        if let Some(backend) = self.counter {
            counter::annotate(&mut result, backend, ctx.seed.wrapping_add(2));
        }
        Some(result)
    }

    /// Tears a benchmark down and turns the samples of all its replicates
    /// into a result.
    fn finish(&mut self, slot: &mut Slot<'_>, ratio: Option<(f64, f64)>, outcome: &mut RoundsOutcome) {
        if slot.done {
            return;
        }
        if let Err(e) = slot.bench.routine.teardown() {
            let failure = Failure { name: slot.bench.meta.id(), host: None, reason: e.to_string() };
            self.observer.failed(slot.index, &failure);
            outcome.failures.push(failure);
        }
        let stop_reason = if outcome.interrupted { StopReason::Interrupted } else { weakest(&slot.reasons) };
        let samples = std::mem::take(&mut slot.kept);
        if let Some(mut result) = self.analyse(slot, samples, stop_reason) {
            for r in &mut result.replicates {
                r.pid = slot.pids.get(r.index as usize).copied().flatten();
            }
            if let (Some(stopping), Some((reached, target))) = (result.stopping.as_mut(), ratio) {
                stopping.ratio_reached = Some(reached);
                stopping.ratio_target = Some(target);
            }
            self.observer.finished(slot.index, &result);
            outcome.results.push((slot.index, result));
        }
        slot.done = true;
    }
}

/// The stop reason of a benchmark from those of its replicates: the one
/// that says least about its precision (a replicate that ran out of time
/// means the run did, whatever the others reached).
pub fn weakest(reasons: &[StopReason]) -> StopReason {
    let rank = |r: &StopReason| match r {
        StopReason::Interrupted => 0,
        StopReason::MaxSamples => 1,
        StopReason::TimeBudget => 2,
        StopReason::FixedRuns => 3,
        StopReason::Precision => 4,
    };
    reasons.iter().copied().min_by_key(rank).unwrap_or(StopReason::TimeBudget)
}

/// The outcome while it is being collected: results keyed by input position.
#[derive(Default)]
struct RoundsOutcome {
    results: Vec<(usize, BenchmarkResult)>,
    failures: Vec<Failure>,
    interrupted: bool,
}

/// Whether the rounds of the current replicate can end: every live benchmark
/// could stop on its own, and, when several share rounds and a precision
/// target is set, every comparison with the fastest is precise enough unless
/// the budgets are spent. The ratio's 95% CI, over the rounds of all
/// replicates so far, must be within ± a third of the target scaled by
/// √(R / (pass + 1)): an interval narrows as 1/√n, so one on track after
/// pass + 1 of R replicates is within ± a third of the target after all.
fn all_can_stop(slots: &[Slot<'_>], config: &RunConfig, pass: usize) -> bool {
    let live: Vec<&Slot<'_>> = slots.iter().filter(|s| !s.done).collect();
    let group_spent: f64 = live.iter().map(|s| s.sampler.spent_ns() as f64).sum();
    let Some(first) = live.first() else { return true };
    let pass_config = first.sampler.config();
    let group_budget = pass_config.time_budget.as_nanos() as f64 * live.len() as f64;
    if live.len() > 1 && group_spent >= group_budget && live.iter().all(|s| s.sampler.has_min_samples()) {
        return true;
    }
    let reasons: Vec<Option<StopReason>> = live.iter().map(|s| s.sampler.stop_reason()).collect();
    if reasons.iter().any(Option::is_none) {
        return false;
    }
    let Some(target) = config.sampler.precision.filter(|_| pass_config.precision.is_some()) else { return true };
    let scaled = target * (config.effective_replicates() as f64 / (pass + 1) as f64).sqrt();
    if live.len() < 2
        || reasons.iter().any(|r| *r != Some(StopReason::Precision))
        || live.iter().any(|s| s.sampler.budget_spent())
    {
        return true;
    }
    ratio_precision(&live).is_none_or(|w| w <= scaled / 3.0)
}

/// The widest relative half-width of the 95% CI of the ratio of each live
/// benchmark to the fastest, over the samples of all replicates so far.
fn ratio_precision(live: &[&Slot<'_>]) -> Option<f64> {
    let clock = live.first()?.sampler.config().clock;
    let samples: Vec<Vec<Sample>> = live.iter().map(|s| s.all_samples()).collect();
    let median = |samples: &[Sample]| {
        let v: Vec<f64> = samples.iter().filter_map(|x| x.per_iter(clock)).collect();
        if v.is_empty() {
            f64::INFINITY
        } else {
            stats::median(&v)
        }
    };
    let medians: Vec<f64> = samples.iter().map(|s| median(s)).collect();
    let fastest = (0..live.len()).min_by(|&a, &b| medians[a].total_cmp(&medians[b]))?;
    (0..live.len())
        .filter(|&i| i != fastest)
        .filter_map(|i| compare::ratio_half_width(&samples[fastest], &samples[i], clock))
        .reduce(f64::max)
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
            replicates: 1,
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

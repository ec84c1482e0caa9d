//! Comparison: is A faster than B, by how much, and how sure are we?
//!
//! Two situations, two methods:
//!
//! * **Same run** ([`compare`], [`paired_all`]). When benchmarks ran in
//!   interleaved rounds, round *r* of A and round *r* of B were measured side
//!   by side, under the same drift. The unit of analysis is the per-round log
//!   ratio `ln(B_r / A_r)`: its 20%-trimmed mean gives the (trimmed)
//!   geometric-mean ratio, the Tukey-McLaughlin trimmed t-test on it the
//!   p-value, and its interval the 95% CI of the ratio. Trimmed, because a
//!   sample hit by a preemption is an outlier on one side of its pair, and
//!   a plain t-test would let a few of them widen every interval (see
//!   [`stats::trimmed_t`]). A verdict also needs the whole CI beyond a
//!   small noise floor ([`PAIRED_NOISE`]). Without rounds (`--no-interleave`) the samples are unpaired and
//!   Welch's t-test on log times is used instead. Logs, because timing noise
//!   is multiplicative and ratios are what people read.
//! * **Different runs** ([`against_baseline`]). A saved run and a new one
//!   share no rounds, and their samples are not independent evidence of a
//!   change: a process's layout, the frequency state or a neighbour shift a
//!   whole run by a percent or more, which a test on samples reads as a
//!   highly significant change. So the unit of evidence is the run: each
//!   side's median with the standard error its replicates give
//!   ([`stats::two_level`]), compared with Welch's t-test, and, when several
//!   runs are kept under a baseline's name, the spread of those runs'
//!   medians as a floor ([`change_with_history`]). A change counts when the
//!   test rejects and the whole CI lies beyond a practical-significance
//!   floor ([`DEFAULT_NOISE`], `--noise`). With several benchmarks, p-values
//!   are adjusted with Benjamini-Hochberg so a suite of 200 unchanged
//!   benchmarks does not report ten false changes.

use crate::model::{
    BaselineComparison, BenchmarkResult, Change, ChangeVerdict, ClockKind, Environment, Interval, PairedComparison,
    PairedVerdict, RunRecord, RunToRun, Sample,
};
use crate::stats;

/// Significance level of baseline verdicts (different runs), where the
/// noise threshold and Benjamini-Hochberg already guard against false alarms.
pub const ALPHA: f64 = 0.05;

/// Significance level of same-run verdicts ("A is 1.3× faster than B").
///
/// Stricter than [`ALPHA`] on purpose: this sentence is what people act on,
/// and they re-run benchmarks; at 0.05 one identical pair in twenty would be
/// called different. At 0.01 it is one in a hundred, and the runner's
/// stopping rule (ratio CI within ± a third of the precision target) keeps
/// the power to see a difference of the precision's size above 99%.
/// The JSON carries the p-value, so a reader can apply any other level.
pub const PAIRED_ALPHA: f64 = 0.01;

/// Default noise threshold of baseline verdicts (`--noise`).
///
/// A practical-significance floor, no longer the guard against run-to-run
/// noise: the run-level test measures that noise from the replicates. At
/// 1% a real 2% regression is called on a quiet machine; raise it for
/// changes too small to matter, lower it for finer gates.
pub const DEFAULT_NOISE: f64 = 0.01;

/// Noise floor of same-run verdicts: "A is faster than B" needs the whole
/// 95% CI of the ratio beyond 1 ± 0.3%, besides p < [`PAIRED_ALPHA`].
///
/// Two identical commands interleaved on a busy machine can differ by a few
/// tenths of a percent in one run, for real (which one a neighbour's burst
/// hit more, cache and page placement) and still be the same program; a
/// verdict on that would be true of the run and useless to its reader. This
/// is criterion's noise threshold, smaller because pairing removes the
/// drift that criterion's has to absorb, and sized to the runner: its
/// stopping rule narrows the ratio's CI to ± a third of the precision
/// target (±0.33% at the default ±1%), so a difference of the target's size
/// still clears the floor, while the few-tenths differences seen between
/// identical commands do not.
pub const PAIRED_NOISE: f64 = 0.003;

/// Name of the paired test, as written to JSON.
pub const PAIRED_TEST: &str = "paired 20%-trimmed t-test (Tukey-McLaughlin) on log ratios of interleaved rounds, \
                                standard error corrected for serial correlation (AR(1) plug-in)";
/// Name of the unpaired test used within a run, as written to JSON.
pub const WELCH_TEST: &str = "Welch's t-test on log times";
/// Name of the run-level test of baseline verdicts, as written to JSON.
pub const RUN_LEVEL_TEST: &str =
    "Welch's t-test on run-level log medians (standard errors from replicates, never below the spread of earlier runs)";
/// Name of the rank test used against baselines, as written to JSON.
pub const MANN_WHITNEY_TEST: &str = "Mann-Whitney U (normal approximation)";

/// Times are logged; a zero (a command indistinguishable from an empty
/// shell after subtraction) must not become -inf, so floor at a picosecond.
fn ln(v: f64) -> f64 {
    v.max(1e-3).ln()
}

/// The log every comparison takes of a time (floored at a picosecond):
/// for checking a stored change against its medians.
pub(crate) fn ln_floored(v: f64) -> f64 {
    ln(v)
}

/// A copy of `b` whose samples forget their rounds, to be compared
/// unpaired: rounds only pair samples taken side by side (on one host, in
/// one run).
pub fn without_rounds(b: &BenchmarkResult) -> BenchmarkResult {
    let mut b = b.clone();
    for s in &mut b.samples {
        s.round = None;
    }
    b
}

/// The clock both results can be compared on: the requested one when both
/// have it, else wall.
fn common_clock(a: &BenchmarkResult, b: &BenchmarkResult, clock: ClockKind) -> ClockKind {
    match clock {
        ClockKind::Wall => ClockKind::Wall,
        c if a.summary(c).is_some() && b.summary(c).is_some() => c,
        _ => ClockKind::Wall,
    }
}

fn values(r: &BenchmarkResult, clock: ClockKind) -> Vec<f64> {
    r.samples.iter().filter_map(|s| s.per_iter(clock)).collect()
}

/// Per-round log ratios `ln(candidate / reference)`, when both results were
/// measured in the same interleaved rounds.
pub fn paired_log_ratios(
    reference: &BenchmarkResult,
    candidate: &BenchmarkResult,
    clock: ClockKind,
) -> Option<Vec<f64>> {
    log_ratios(&reference.samples, &candidate.samples, clock)
}

/// Per-round log ratios of two sample sequences taken in the same rounds;
/// `None` when the rounds do not line up or there are fewer than two.
pub fn log_ratios(reference: &[Sample], candidate: &[Sample], clock: ClockKind) -> Option<Vec<f64>> {
    if reference.len() != candidate.len() || reference.len() < 2 {
        return None;
    }
    reference
        .iter()
        .zip(candidate)
        .map(|(a, b)| match (a.round, b.round) {
            (Some(ra), Some(rb)) if ra == rb => Some(ln(b.per_iter(clock)?) - ln(a.per_iter(clock)?)),
            _ => None,
        })
        .collect()
}

/// Compares `candidate` with `reference` from the same run, on the reference's
/// clock. `None` when either side has fewer than two samples.
pub fn compare(reference: &BenchmarkResult, candidate: &BenchmarkResult) -> Option<PairedComparison> {
    compare_on(reference, candidate, reference.clock)
}

/// [`compare`] on a chosen clock.
pub fn compare_on(
    reference: &BenchmarkResult,
    candidate: &BenchmarkResult,
    clock: ClockKind,
) -> Option<PairedComparison> {
    let clock = common_clock(reference, candidate, clock);
    let a = values(reference, clock);
    let b = values(candidate, clock);
    let paired = log_ratios(&reference.samples, &candidate.samples, clock);
    let lag1 = paired.as_deref().and_then(stats::serial::lag1_autocorrelation);
    let (n, log_ratio, ci, p, test, difference, difference_ci) = match paired {
        Some(d) => {
            let t = serially_corrected(stats::trimmed_t(&d, stats::DEFAULT_TRIM, 0.95), &d);
            let gaps: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y - x).collect();
            let gap = serially_corrected(stats::trimmed_t(&gaps, stats::DEFAULT_TRIM, 0.95), &gaps);
            (d.len(), t.mean, t.ci, t.p, PAIRED_TEST, gap.mean, gap.ci)
        }
        None => {
            if a.len() < 2 || b.len() < 2 {
                return None;
            }
            let log_a: Vec<f64> = a.iter().copied().map(ln).collect();
            let log_b: Vec<f64> = b.iter().copied().map(ln).collect();
            let (diff, ci, p) = welch_difference(&log_a, &log_b);
            let (gap, gap_ci, _) = welch_difference(&a, &b);
            (a.len().min(b.len()), diff, ci, p, WELCH_TEST, gap, gap_ci)
        }
    };
    let ratio = log_ratio.exp();
    let noise = if clock.is_count() { crate::counter::COUNT_NOISE } else { PAIRED_NOISE };
    Some(PairedComparison {
        reference: reference.id(),
        candidate: candidate.id(),
        clock,
        n,
        ratio,
        ci: ci.map(f64::exp),
        difference_ns: difference,
        difference_ci,
        p_value: p,
        p_adjusted: None,
        test: test.to_string(),
        lag1_autocorrelation: lag1,
        noise,
        verdict: paired_verdict(ci.map(f64::exp), p, noise),
    })
}

/// A paired test with its standard error widened for serial correlation
/// of the rounds (see [`stats::serial`]): the standard error by √factor,
/// the degrees of freedom divided by the factor, and the interval and
/// p-value recomputed from both. (The interval is at 95%, as every
/// paired interval is.)
fn serially_corrected(mut t: stats::OneSample, series: &[f64]) -> stats::OneSample {
    let factor = stats::serial::variance_inflation(series);
    if factor > 1.0 && t.df > 0.0 {
        let tq = |df: f64| stats::t_quantile(0.975, df);
        let se = (t.ci.hi - t.ci.lo) / 2.0 / tq(t.df) * factor.sqrt();
        // Fewer independent rounds: fewer degrees of freedom.
        t.df = ((t.df + 1.0) / factor - 1.0).max(1.0);
        let half = tq(t.df) * se;
        t.ci = Interval::new(t.mean - half, t.mean + half);
        t.t /= factor.sqrt();
        t.p = stats::t_two_sided_p(t.t, t.df);
    }
    t
}

/// Faster or slower when `p` is below [`PAIRED_ALPHA`] and the ratio's CI
/// lies wholly beyond `1 ± noise`.
pub(crate) fn paired_verdict(ci: Interval, p: f64, noise: f64) -> PairedVerdict {
    if p >= PAIRED_ALPHA {
        PairedVerdict::NoDifference
    } else if ci.hi < 1.0 - noise {
        PairedVerdict::Faster
    } else if ci.lo > 1.0 + noise {
        PairedVerdict::Slower
    } else {
        PairedVerdict::NoDifference
    }
}

/// Difference of means (b - a) with its Welch 95% CI and p-value.
fn welch_difference(a: &[f64], b: &[f64]) -> (f64, Interval, f64) {
    let test = stats::welch_t_test(b, a);
    let diff = stats::mean(b) - stats::mean(a);
    let se = (stats::std_dev(a).powi(2) / a.len() as f64 + stats::std_dev(b).powi(2) / b.len() as f64).sqrt();
    let half = stats::t_quantile(0.975, test.df.max(1.0)) * se;
    (diff, Interval::new(diff - half, diff + half), test.p)
}

/// Half-width of the 95% CI of the log ratio of two interleaved sample
/// sequences (about the relative half-width of the ratio's CI). The runner
/// keeps interleaving until it is at most a third of the precision target,
/// which is what it takes to tell a difference of the target's size from
/// none at [`PAIRED_ALPHA`]; it never looks at the ratio itself, so
/// stopping cannot bias the test.
pub fn ratio_half_width(reference: &[Sample], candidate: &[Sample], clock: ClockKind) -> Option<f64> {
    let d = log_ratios(reference, candidate, clock)?;
    let t = serially_corrected(stats::trimmed_t(&d, stats::DEFAULT_TRIM, 0.95), &d);
    Some((t.ci.hi - t.ci.lo) / 2.0)
}

/// The reference of a run: the benchmark named `reference` (by name or id),
/// else the fastest by headline median.
pub fn reference_index(results: &[BenchmarkResult], reference: Option<&str>) -> Option<usize> {
    if let Some(name) = reference {
        return results.iter().position(|r| r.name == name || r.id() == name);
    }
    (0..results.len()).min_by(|&a, &b| results[a].headline().median.total_cmp(&results[b].headline().median))
}

/// Every benchmark against the reference (see [`reference_index`]), with
/// Benjamini-Hochberg adjusted p-values when there is more than one
/// comparison. Empty for fewer than two results or an unknown reference.
pub fn paired_all(results: &[BenchmarkResult], reference: Option<&str>, clock: ClockKind) -> Vec<PairedComparison> {
    let Some(r) = reference_index(results, reference).filter(|_| results.len() > 1) else {
        return Vec::new();
    };
    let mut out: Vec<PairedComparison> = results
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != r)
        .filter_map(|(_, c)| compare_on(&results[r], c, clock))
        .collect();
    adjust_for_many(&mut out);
    out
}

/// When a run makes more than one comparison, adjusts their p-values with
/// Benjamini-Hochberg and bases each verdict on the adjusted value.
pub fn adjust_for_many(comparisons: &mut [PairedComparison]) {
    if comparisons.len() < 2 {
        return;
    }
    let p: Vec<f64> = comparisons.iter().map(|c| c.p_value).collect();
    for (c, adjusted) in comparisons.iter_mut().zip(stats::benjamini_hochberg(&p)) {
        c.p_adjusted = Some(adjusted);
        c.verdict = paired_verdict(c.ci, adjusted, c.noise);
    }
}

/// Settings of a baseline comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaselineOptions {
    /// Clock to compare on (falls back to wall when a side lacks CPU time).
    pub clock: ClockKind,
    /// Significance level.
    pub alpha: f64,
    /// Changes whose CI reaches inside ± this fraction never count (`--noise`).
    pub noise: f64,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Bootstrap resamples for the CI of the change.
    pub resamples: usize,
}

impl Default for BaselineOptions {
    fn default() -> BaselineOptions {
        BaselineOptions {
            clock: ClockKind::Wall,
            alpha: ALPHA,
            noise: DEFAULT_NOISE,
            seed: 0x6261_7365,
            resamples: stats::DEFAULT_RESAMPLES,
        }
    }
}

/// Why a benchmark on both sides could not be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotComparable {
    /// Fewer than two samples on a side.
    TooFewSamples,
    /// A side was taken in fewer than two replicates, so nothing says how
    /// much its value moves from run to run.
    TooFewReplicates {
        /// "the baseline" or "the new run".
        side: &'static str,
        /// How many it has.
        replicates: usize,
    },
}

/// The run-level evidence of one result on `clock`: its median and the
/// spread of its replicates' medians (see [`stats::two_level`]). A result
/// whose samples carry no replicate numbers (written before replicates
/// existed) is split into [`crate::runner::DEFAULT_REPLICATES`] blocks of
/// consecutive samples; the flag says so.
fn evidence(r: &BenchmarkResult, clock: ClockKind, side: &'static str) -> Result<(RunEvidenceOf, bool), NotComparable> {
    let values = values(r, clock);
    if values.len() < 2 {
        return Err(NotComparable::TooFewSamples);
    }
    let mut groups = crate::analysis::replicate_values(&r.samples, clock);
    // Counts do not move from run to run, so a count run is taken in one
    // replicate; its samples are the blocks.
    let inferred = groups.is_empty() || (groups.len() < 2 && clock.is_count());
    if inferred {
        let per_block = if clock.is_count() { 1 } else { 2 };
        let blocks = crate::runner::DEFAULT_REPLICATES.min(values.len() / per_block).max(1);
        groups =
            (0..blocks).map(|b| values[b * values.len() / blocks..(b + 1) * values.len() / blocks].to_vec()).collect();
    }
    let between = stats::BetweenReplicates::from_replicates(&groups)
        .ok_or(NotComparable::TooFewReplicates { side, replicates: groups.len() })?;
    let median = stats::median(&values);
    Ok((RunEvidenceOf { median, between }, inferred))
}

/// A run's median with the spread of its replicates.
#[derive(Debug, Clone, Copy)]
struct RunEvidenceOf {
    median: f64,
    between: stats::BetweenReplicates,
}

impl RunEvidenceOf {
    fn evidence(&self) -> stats::two_level::RunEvidence {
        stats::two_level::RunEvidence {
            log_value: ln(self.median),
            se: self.between.standard_error(),
            df: self.between.degrees_of_freedom(),
        }
    }
}

/// The change of one benchmark between two runs, before false-discovery
/// control: [`change_with_history`] without earlier baseline runs.
///
/// # Errors
/// [`NotComparable`] when a side has too few samples or replicates.
pub fn change(old: &BenchmarkResult, new: &BenchmarkResult, opts: &BaselineOptions) -> Result<Change, NotComparable> {
    change_with_history(old, &[], new, opts)
}

/// The change of one benchmark between a baseline run `old` (with the
/// same benchmark from `earlier` runs kept under the baseline's name) and
/// a new run, before false-discovery control.
///
/// The verdict rests on run-level evidence ([`stats::two_level`]): each
/// side's log median with the standard error its replicates give, compared
/// with Welch's t-test ([`stats::two_level::run_difference`]). With earlier
/// runs (three or more in all), the spread of the runs' medians is measured
/// directly and the baseline's value becomes their mean. Neither side's
/// standard error may be smaller than what one run's value is seen to move
/// from run to run (the largest of the spreads of the saved runs and of the earlier
/// runs each side's host remembered, [`crate::run_memory`]), which catches
/// drift slower than a run that replicates taken seconds apart cannot see.
/// The sample-level Welch and Mann-Whitney p-values are kept for
/// information.
///
/// # Errors
/// [`NotComparable`] when a side has too few samples or replicates.
pub fn change_with_history(
    old: &BenchmarkResult,
    earlier: &[&BenchmarkResult],
    new: &BenchmarkResult,
    opts: &BaselineOptions,
) -> Result<Change, NotComparable> {
    let clock = common_clock(old, new, opts.clock);
    let (o, old_inferred) = evidence(old, clock, "the baseline")?;
    let (n, new_inferred) = evidence(new, clock, "the new run")?;
    let (mut old_ev, mut new_ev) = (o.evidence(), n.evidence());
    let runs: Vec<f64> = std::iter::once(o.median)
        .chain(earlier.iter().map(|r| values(r, clock)).filter(|v| v.len() >= 2).map(|v| stats::median(&v)))
        .filter(|m| *m > 0.0)
        .map(ln)
        .collect();
    let spread = run_to_run_spread(&runs, [old, new]);
    let widened = spread.filter(|s| s.sd_log > old_ev.se || s.sd_log > new_ev.se);
    if runs.len() >= 3 {
        let k = runs.len() as f64;
        let (per_run, df) = floored(old_ev, spread);
        old_ev = stats::two_level::RunEvidence { log_value: stats::mean(&runs), se: per_run / k.sqrt(), df };
    } else {
        (old_ev.se, old_ev.df) = floored(old_ev, spread);
    }
    (new_ev.se, new_ev.df) = floored(new_ev, spread);
    let d = stats::two_level::run_difference(old_ev, new_ev, 0.95);
    let (a, b) = (values(old, clock), values(new, clock));
    let log_a: Vec<f64> = a.iter().copied().map(ln).collect();
    let log_b: Vec<f64> = b.iter().copied().map(ln).collect();
    let old_median = old_ev.log_value.exp();
    let mut c = Change {
        id: new.id(),
        old_median_ns: old_median,
        new_median_ns: n.median,
        change: d.log_diff.exp() - 1.0,
        ci: d.ci.map(|x| x.exp() - 1.0),
        p_run_level: d.p,
        p_welch: stats::welch_t_test(&log_a, &log_b).p,
        p_mann_whitney: stats::mann_whitney_u(&a, &b).p,
        p_adjusted: d.p,
        baseline_runs: runs.len().max(1),
        replicates_inferred: old_inferred || new_inferred,
        run_to_run: widened,
        verdict: ChangeVerdict::Unchanged,
    };
    c.verdict = change_verdict(&c, opts.alpha, opts.noise);
    Ok(c)
}

/// How far one run's log value is seen to move from run to run, and over
/// how many runs that was measured: the largest of the spread of the
/// saved baseline runs' log medians `runs` (three or more) and of the
/// spreads of earlier runs that each side's host remembered when it ran
/// (`run_level.earlier`, [`stats::two_level::MIN_EARLIER_RUNS`] or more).
/// The largest, because each describes drift the replicates of one run
/// cannot see, and a spread measured on either host is a lower bound of
/// what the comparison has to absorb; a spread inflated by a real change
/// among the earlier runs only makes the verdict more cautious.
///
/// **Assumes** the earlier runs are independent draws of the benchmark's
/// run-to-run distribution (as in [`stats::two_level`]).
fn run_to_run_spread(runs: &[f64], sides: [&BenchmarkResult; 2]) -> Option<RunToRun> {
    let saved = (runs.len() >= 3).then(|| RunToRun { sd_log: stats::std_dev(runs), runs: runs.len() });
    let remembered = sides
        .iter()
        .filter_map(|r| r.run_level.as_ref()?.earlier)
        .filter(|e| e.runs >= stats::two_level::MIN_EARLIER_RUNS && e.sd_log.is_finite())
        .map(|e| RunToRun { sd_log: e.sd_log, runs: e.runs });
    saved.into_iter().chain(remembered).max_by(|a, b| a.sd_log.total_cmp(&b.sd_log))
}

/// A side's standard error and degrees of freedom, raised to the
/// run-to-run `spread` (with one degree of freedom fewer than its runs)
/// when that is larger: a single run's value is never known better than
/// runs are seen to differ.
fn floored(side: stats::two_level::RunEvidence, spread: Option<RunToRun>) -> (f64, f64) {
    match spread {
        Some(s) if s.sd_log > side.se => (s.sd_log, (s.runs - 1) as f64),
        _ => (side.se, side.df),
    }
}

/// Checks that every benchmark on both sides can be compared run to run,
/// so a baseline saved with `--replicates 1` is refused in one line rather
/// than compared as if one run told how much runs differ.
///
/// # Errors
/// The first benchmark with too few replicates, naming it and the side.
pub fn check_comparable(old: &RunRecord, new: &RunRecord, clock: ClockKind) -> crate::error::Result<()> {
    for n in &new.benchmarks {
        let Some(o) = old.benchmark(&n.id()) else { continue };
        let clock = common_clock(o, n, clock);
        for (r, side) in [(o, "the baseline"), (n, "the new run")] {
            too_few_replicates(r, clock, side)?;
        }
    }
    Ok(())
}

/// [`check_comparable`] for one side alone, before the other exists: a
/// saved baseline is checked before a run that would compare with it.
///
/// # Errors
/// The first benchmark with too few replicates.
pub fn check_replicates(run: &RunRecord, side: &'static str) -> crate::error::Result<()> {
    run.benchmarks.iter().try_for_each(|b| too_few_replicates(b, b.headline_clock(), side))
}

fn too_few_replicates(r: &BenchmarkResult, clock: ClockKind, side: &'static str) -> crate::error::Result<()> {
    match evidence(r, clock, side) {
        Err(NotComparable::TooFewReplicates { replicates, .. }) => Err(crate::error::Error::InvalidConfig(format!(
            "'{}' in {side} has {replicates} replicate{}: comparing runs needs at least 2 on each side, \
             to know how much runs differ (measure it again with --replicates 2 or more)",
            r.id(),
            if replicates == 1 { "" } else { "s" }
        ))),
        _ => Ok(()),
    }
}

/// Regressed or improved when the adjusted p is below `alpha` and the
/// whole CI of the change lies beyond ± `noise`.
pub(crate) fn change_verdict(c: &Change, alpha: f64, noise: f64) -> ChangeVerdict {
    if c.p_adjusted >= alpha {
        ChangeVerdict::Unchanged
    } else if c.ci.lo > noise {
        ChangeVerdict::Regressed
    } else if c.ci.hi < -noise {
        ChangeVerdict::Improved
    } else {
        ChangeVerdict::Unchanged
    }
}

/// Compares every benchmark of `new` with the same id in `old`.
pub fn against_baseline(old: &RunRecord, new: &RunRecord, label: &str, opts: &BaselineOptions) -> BaselineComparison {
    against_baseline_runs(old, &[], new, label, opts)
}

/// Compares every benchmark of `new` with the same id in the baseline run
/// `old`, drawing on `earlier` runs kept under the baseline's name for the
/// run-to-run spread (see [`change_with_history`]).
pub fn against_baseline_runs(
    old: &RunRecord,
    earlier: &[RunRecord],
    new: &RunRecord,
    label: &str,
    opts: &BaselineOptions,
) -> BaselineComparison {
    let mut changes = Vec::new();
    let mut not_compared = Vec::new();
    for n in &new.benchmarks {
        let Some(o) = old.benchmark(&n.id()) else { continue };
        let history: Vec<&BenchmarkResult> = earlier.iter().filter_map(|r| r.benchmark(&n.id())).collect();
        match change_with_history(o, &history, n, opts) {
            Ok(c) => changes.push(c),
            Err(_) => not_compared.push(n.id()),
        }
    }
    let multiple = changes.len() > 1;
    if multiple {
        let p: Vec<f64> = changes.iter().map(|c| c.p_adjusted).collect();
        for (c, adjusted) in changes.iter_mut().zip(stats::benjamini_hochberg(&p)) {
            c.p_adjusted = adjusted;
            c.verdict = change_verdict(c, opts.alpha, opts.noise);
        }
    }
    let ids = |r: &RunRecord| r.benchmarks.iter().map(BenchmarkResult::id).collect::<Vec<_>>();
    let (old_ids, new_ids) = (ids(old), ids(new));
    BaselineComparison {
        baseline: label.to_string(),
        clock: opts.clock,
        alpha: opts.alpha,
        noise: opts.noise,
        tests: vec![
            RUN_LEVEL_TEST.to_string(),
            format!("{WELCH_TEST} (samples, for information)"),
            format!("{MANN_WHITNEY_TEST} (samples, for information)"),
        ],
        multiple_comparisons: if multiple { "benjamini-hochberg" } else { "none" }.to_string(),
        changes,
        only_in_baseline: old_ids.iter().filter(|i| !new_ids.contains(i)).cloned().collect(),
        only_in_new: new_ids.iter().filter(|i| !old_ids.contains(i)).cloned().collect(),
        not_compared,
        environment_notes: environment_differences(&old.environment, &new.environment),
    }
}

/// Whether an environment fact was recorded: an imported run's empty
/// hostname or 0 cores is unknown.
fn known(fact: &str) -> bool {
    !fact.is_empty() && fact != "0"
}

/// A change in the 1-minute load average this large is worth a note: on a
/// machine with a couple of cores, one extra busy process moves it by about 1.
const LOAD_NOTE: f64 = 1.0;

/// What differed between the machines or conditions of two runs, one line
/// each, for a reader deciding whether a change came from the code. Between
/// runs nothing pairs the samples, so a slower machine looks exactly like
/// slower code; the statistics cannot tell them apart, these notes can.
pub fn environment_differences(old: &Environment, new: &Environment) -> Vec<String> {
    let mut notes = Vec::new();
    // An empty fact (a run imported from a peer's file records no machine;
    // 0 cores) is unknown, not different.
    let mut differs = |what: &str, a: Option<&str>, b: Option<&str>| {
        let (a, b) = (a.filter(|x| known(x)), b.filter(|x| known(x)));
        if let (Some(a), Some(b)) = (a, b) {
            if a != b {
                notes.push(format!("{what} differs: {a} in the baseline, {b} now"));
            }
        }
    };
    differs("host", Some(&old.hostname), Some(&new.hostname));
    differs("CPU", old.cpu_model.as_deref(), new.cpu_model.as_deref());
    differs("logical cores", Some(&old.logical_cores.to_string()), Some(&new.logical_cores.to_string()));
    differs("kernel", Some(&old.kernel), Some(&new.kernel));
    differs("CPU governor", old.governor.as_deref(), new.governor.as_deref());
    differs("metron version", Some(&old.metron_version), Some(&new.metron_version));
    if let (Some([a, ..]), Some([b, ..])) = (old.load_average, new.load_average) {
        if (a - b).abs() >= LOAD_NOTE {
            notes.push(format!("load average (1 min) differs: {a:.2} in the baseline, {b:.2} now"));
        }
    }
    notes
}

/// The changes that fail a CI gate: regressed, and by more than `threshold`
/// (a fraction; 0 means any regression).
pub fn gate_failures(comparison: &BaselineComparison, threshold: f64) -> Vec<&Change> {
    comparison.changes.iter().filter(|c| c.verdict == ChangeVerdict::Regressed && c.change > threshold).collect()
}

/// Why a CI regression gate fails, one line each: every benchmark that
/// regressed by more than `threshold`, and everything that was not
/// compared at all, so the gate never passes vacuously. A benchmark that
/// is only on one side (renamed, removed, added) or has too few samples
/// to compare fails it, and so does a comparison of nothing.
pub fn gate_reasons(comparison: &BaselineComparison, threshold: f64) -> Vec<String> {
    let mut reasons: Vec<String> = gate_failures(comparison, threshold)
        .iter()
        .map(|c| format!("'{}' regressed by {:+.2}% (beyond {}%)", c.id, c.change * 100.0, threshold * 100.0))
        .collect();
    let (gone, added) = (&comparison.only_in_baseline, &comparison.only_in_new);
    if gone.len() == 1 && added.len() == 1 {
        reasons.push(format!(
            "'{}' in the baseline has no counterpart; '{}' is new: renamed? Give both runs the same --name",
            gone[0], added[0]
        ));
    } else {
        reasons.extend(gone.iter().map(|id| format!("'{id}' is in the baseline but was not measured now")));
        reasons
            .extend(added.iter().map(|id| format!("'{id}' has no counterpart in the baseline (renamed? see --name)")));
    }
    reasons.extend(comparison.not_compared.iter().map(|id| format!("'{id}' has too few samples to compare")));
    if comparison.changes.is_empty() && reasons.is_empty() {
        reasons.push("nothing was compared".into());
    }
    reasons
}

//! Validation of the comparison logic by seeded simulation on synthetic
//! samples: false-positive rates of A/A comparisons, false-discovery
//! control over many benchmarks, power against a real shift, and coverage of
//! the ratio's confidence interval. Every figure is computed, none assumed;
//! the seeds are fixed so a failure is reproducible.
//!
//! Synthetic timings are log-normal (timing noise is multiplicative), and the
//! interleaved ones share a per-round drift factor, as real rounds do.

use metron::analysis::{analyse, AnalysisContext, BenchmarkMeta};
use metron::compare::{self, BaselineOptions};
use metron::model::{
    BenchmarkResult, ChangeVerdict, ClockKind, EarlierRuns, PairedVerdict, RoutineKind, RunLevel, RunRecord, Sample,
    StopReason,
};
use metron::stats::{seeded, standard_normal, Rng};

fn samples(times: &[f64], rounds: bool) -> Vec<Sample> {
    times
        .iter()
        .enumerate()
        .map(|(i, &t)| Sample {
            iterations: 1,
            wall_ns: t,
            cpu_ns: Some(t),
            user_ns: None,
            sys_ns: None,
            max_rss_kib: None,
            round: rounds.then_some(i as u32),
            replicate: None,
            at_ns: i as u64,
            counts: None,
        })
        .collect()
}

/// A result with the given per-iteration times (one iteration per sample),
/// optionally tagged with interleaving rounds, summarised as a run would be.
fn result(name: &str, times: &[f64], rounds: bool) -> BenchmarkResult {
    let ctx = AnalysisContext {
        kind: RoutineKind::Closure,
        clock: ClockKind::Wall,
        stop_reason: StopReason::Precision,
        warmup_iterations: 0,
        shell_overhead_ns: None,
        seed: 1,
        precision: None,
        earlier: None,
    };
    analyse(&BenchmarkMeta::named(name), samples(times, rounds), ctx).unwrap()
}

/// Like [`result`] but without computing the summary (bootstrap CIs), for
/// studies of thousands of results: `compare` and `change` read only the
/// samples, so the summary is a placeholder copied from a template.
fn sim(name: &str, times: &[f64], rounds: bool) -> BenchmarkResult {
    static TEMPLATE: std::sync::OnceLock<BenchmarkResult> = std::sync::OnceLock::new();
    let mut r = TEMPLATE.get_or_init(|| result("template", &[1.0, 2.0], false)).clone();
    r.name = name.to_string();
    r.samples = samples(times, rounds);
    r
}

fn lognormal(rng: &mut Rng, median: f64, sigma: f64, n: usize) -> Vec<f64> {
    (0..n).map(|_| median * (sigma * standard_normal(rng)).exp()).collect()
}

/// Two interleaved series: a shared per-round drift plus independent noise.
fn interleaved(rng: &mut Rng, ratio: f64, noise: f64, drift: f64, n: usize) -> (BenchmarkResult, BenchmarkResult) {
    let mut a = Vec::with_capacity(n);
    let mut b = Vec::with_capacity(n);
    for _ in 0..n {
        let d = (drift * standard_normal(rng)).exp();
        a.push(100.0 * d * (noise * standard_normal(rng)).exp());
        b.push(100.0 * ratio * d * (noise * standard_normal(rng)).exp());
    }
    (sim("a", &a, true), sim("b", &b, true))
}

fn run(benchmarks: Vec<BenchmarkResult>) -> RunRecord {
    let settings = metron::RunConfig::default().settings();
    let mut r = RunRecord::new(vec![], Default::default(), settings);
    r.benchmarks = benchmarks;
    r
}

/// Typical sample count of a run that stopped at ±1% with 2% noise: the
/// median's CI half-width is about 1.96 × 1.25 × σ / √n, below 1% from n ≈ 25.
const DEFAULT_N: usize = 30;

#[test]
fn paired_a_a_false_positive_rate_is_alpha() {
    let mut rng = seeded(11);
    let trials = 2000;
    let (mut at_05, mut at_01, mut verdicts) = (0, 0, 0);
    for _ in 0..trials {
        let (a, b) = interleaved(&mut rng, 1.0, 0.02, 0.05, DEFAULT_N);
        let c = compare::compare(&a, &b).unwrap();
        assert_eq!(c.test, compare::PAIRED_TEST);
        at_05 += usize::from(c.p_value < 0.05);
        at_01 += usize::from(c.p_value < compare::PAIRED_ALPHA);
        verdicts += usize::from(c.verdict != PairedVerdict::NoDifference);
    }
    let rate = |k: usize| k as f64 / trials as f64;
    println!("paired A/A: rejections at 0.05 {}, at 0.01 {}, verdicts {}", rate(at_05), rate(at_01), rate(verdicts));
    assert!((0.03..=0.07).contains(&rate(at_05)), "paired A/A false-positive rate at α = 0.05: {}", rate(at_05));
    // The verdict uses α = 0.01 (see PAIRED_ALPHA) and the noise floor on top.
    assert!((0.003..=0.02).contains(&rate(at_01)), "paired A/A rate at α = 0.01: {}", rate(at_01));
    assert!(verdicts <= at_01, "the noise floor only removes verdicts");
}

#[test]
fn paired_ci_of_the_ratio_covers_the_truth() {
    let mut rng = seeded(12);
    let trials = 2000;
    let true_ratio = 1.07;
    let covered = (0..trials)
        .filter(|_| {
            let (a, b) = interleaved(&mut rng, true_ratio, 0.03, 0.05, DEFAULT_N);
            compare::compare(&a, &b).unwrap().ci.contains(true_ratio)
        })
        .count();
    let coverage = covered as f64 / trials as f64;
    assert!((0.93..=0.97).contains(&coverage), "paired CI coverage {coverage}");
}

#[test]
fn pairing_removes_shared_drift() {
    // With drift 10× the noise, an unpaired test would see nothing of a 2%
    // difference; the paired one sees it every time.
    let mut rng = seeded(13);
    let detected = (0..200)
        .filter(|_| {
            let (a, b) = interleaved(&mut rng, 1.02, 0.005, 0.05, DEFAULT_N);
            compare::compare(&a, &b).unwrap().verdict == PairedVerdict::Slower
        })
        .count();
    assert!(detected >= 195, "paired detection of 2% under drift: {detected}/200");
}

#[test]
fn baseline_a_a_false_positive_rate_without_noise_threshold() {
    // The tests alone (noise threshold 0): p-value rejections at α = 0.05.
    let opts = BaselineOptions { noise: 0.0, ..BaselineOptions::default() };
    let mut rng = seeded(21);
    let trials = 2000;
    let (mut welch, mut mw, mut verdicts) = (0, 0, 0);
    for i in 0..trials {
        let old = sim("x", &lognormal(&mut rng, 100.0, 0.02, DEFAULT_N), false);
        let new = sim("x", &lognormal(&mut rng, 100.0, 0.02, DEFAULT_N), false);
        let c = compare::change(&old, &new, &BaselineOptions { seed: i, ..opts }).unwrap();
        welch += usize::from(c.p_welch < 0.05);
        mw += usize::from(c.p_mann_whitney < 0.05);
        verdicts += usize::from(c.verdict != ChangeVerdict::Unchanged);
    }
    let rate = |k: usize| k as f64 / trials as f64;
    assert!((0.03..=0.07).contains(&rate(welch)), "Welch A/A rate {}", rate(welch));
    assert!((0.03..=0.07).contains(&rate(mw)), "Mann-Whitney A/A rate {}", rate(mw));
    // The verdict needs both tests and the CI: never more false alarms than either test.
    assert!(rate(verdicts) <= 0.07, "verdict A/A rate {}", rate(verdicts));
}

#[test]
fn benjamini_hochberg_keeps_suites_of_unchanged_benchmarks_quiet() {
    // 100 A/A benchmarks per run, noise threshold 0 so only the FDR control
    // stands between the tests and a false alarm. Fewer bootstrap resamples
    // keep 20,000 comparisons quick; the p-values do not depend on them.
    let opts = BaselineOptions { noise: 0.0, resamples: 200, ..BaselineOptions::default() };
    let mut rng = seeded(31);
    let runs = 200;
    let mut runs_with_alarm = 0;
    for run_index in 0..runs {
        let make = |rng: &mut Rng| {
            run((0..100).map(|i| sim(&format!("b{i}"), &lognormal(rng, 100.0, 0.02, DEFAULT_N), false)).collect())
        };
        let (old, new) = (make(&mut rng), make(&mut rng));
        let cmp = compare::against_baseline(&old, &new, "old", &BaselineOptions { seed: run_index, ..opts });
        assert_eq!(cmp.multiple_comparisons, "benjamini-hochberg");
        assert_eq!(cmp.changes.len(), 100);
        if cmp.changes.iter().any(|c| c.verdict == ChangeVerdict::Regressed) {
            runs_with_alarm += 1;
        }
    }
    let rate = runs_with_alarm as f64 / runs as f64;
    assert!(rate <= 0.05, "runs with a false regression: {rate}");
}

/// One run of a benchmark taken in `replicates` replicates of `n` samples:
/// each replicate is shifted as a whole by its own run-level offset
/// (log-normal, `sigma_b`: the process, its layout, the machine's state),
/// and every sample has log-normal noise `sigma` on top.
fn replicated(rng: &mut Rng, median: f64, sigma: f64, sigma_b: f64, replicates: u32, n: usize) -> BenchmarkResult {
    let mut all = Vec::new();
    for r in 0..replicates {
        let offset = (sigma_b * standard_normal(rng)).exp();
        for t in lognormal(rng, median * offset, sigma, n) {
            all.push((r, t));
        }
    }
    let times: Vec<f64> = all.iter().map(|&(_, t)| t).collect();
    let mut r = sim("x", &times, false);
    for (s, &(replicate, _)) in r.samples.iter_mut().zip(&all) {
        s.replicate = Some(replicate);
    }
    r
}

const R: u32 = metron::runner::DEFAULT_REPLICATES as u32;

#[test]
fn baseline_a_a_false_verdicts_stay_below_five_percent_whatever_the_run_level_noise() {
    // Two separate runs of identical code with the default replicates, for
    // run-level noise σ_b of 0, 1, 2 and 3% (a shared CI runner is about
    // 2.7%): a sample-level test calls most of them different at 2–3%; the
    // run-level verdict must stay at or below 5%.
    for (k, sigma_b) in [0.0, 0.01, 0.02, 0.03].into_iter().enumerate() {
        let mut rng = seeded(21 + k as u64);
        let trials = 1000;
        let mut false_verdicts = 0;
        let mut sample_level = 0;
        for _ in 0..trials {
            let old = replicated(&mut rng, 100.0, 0.02, sigma_b, R, 10);
            let new = replicated(&mut rng, 100.0, 0.02, sigma_b, R, 10);
            let c = compare::change(&old, &new, &BaselineOptions::default()).unwrap();
            false_verdicts += usize::from(c.verdict != ChangeVerdict::Unchanged);
            sample_level += usize::from(c.p_welch < 0.05 && c.p_mann_whitney < 0.05);
        }
        let rate = false_verdicts as f64 / trials as f64;
        println!("σ_b {sigma_b}: false verdicts {rate}, sample-level rejections {}", sample_level as f64 / 1000.0);
        assert!(rate <= 0.05, "A/A false verdicts at σ_b = {sigma_b}: {rate}");
        if sigma_b >= 0.02 {
            assert!(sample_level > 3 * false_verdicts.max(10), "the sample-level tests are fooled by run-level noise");
        }
    }
}

#[test]
fn a_five_percent_change_is_found_at_one_percent_run_level_noise() {
    let mut rng = seeded(41);
    let trials = 1000;
    let detected = (0..trials)
        .filter(|_| {
            let old = replicated(&mut rng, 100.0, 0.02, 0.01, R, 10);
            let new = replicated(&mut rng, 105.0, 0.02, 0.01, R, 10);
            compare::change(&old, &new, &BaselineOptions::default()).unwrap().verdict == ChangeVerdict::Regressed
        })
        .count();
    let power = detected as f64 / trials as f64;
    assert!(power >= 0.90, "power for +5% at σ_b = 1%: {power}");
}

#[test]
fn a_two_percent_regression_is_found_on_a_quiet_machine() {
    // Quiet: replicates differ by 0.2%, samples by 0.5%.
    let mut rng = seeded(42);
    let detected = (0..500)
        .filter(|_| {
            let old = replicated(&mut rng, 100.0, 0.005, 0.002, R, 10);
            let new = replicated(&mut rng, 102.0, 0.005, 0.002, R, 10);
            compare::change(&old, &new, &BaselineOptions::default()).unwrap().verdict == ChangeVerdict::Regressed
        })
        .count();
    assert!(detected >= 450, "+2% on a quiet machine found in {detected}/500");
}

#[test]
fn the_ci_of_the_change_covers_the_truth() {
    let mut rng = seeded(51);
    let trials = 1000;
    let covered = (0..trials)
        .filter(|_| {
            let old = replicated(&mut rng, 100.0, 0.03, 0.02, R, 10);
            let new = replicated(&mut rng, 104.0, 0.03, 0.02, R, 10);
            compare::change(&old, &new, &BaselineOptions::default()).unwrap().ci.contains(0.04)
        })
        .count();
    let coverage = covered as f64 / trials as f64;
    assert!((0.93..=0.985).contains(&coverage), "change CI coverage {coverage}");
}

#[test]
fn earlier_runs_catch_drift_that_replicates_of_one_run_share() {
    // Drift slower than a run: every replicate of a run shares an offset of
    // σ = 2% besides their own 0.3%. Replicates cannot see it; five runs
    // kept under the baseline's name can.
    let shared = |rng: &mut Rng| {
        let offset = (0.02 * standard_normal(rng)).exp();
        replicated(rng, 100.0 * offset, 0.01, 0.003, R, 10)
    };
    let mut rng = seeded(52);
    let trials = 600;
    let (mut alone, mut with_history) = (0, 0);
    for _ in 0..trials {
        let history: Vec<BenchmarkResult> = (0..4).map(|_| shared(&mut rng)).collect();
        let old = shared(&mut rng);
        let new = shared(&mut rng);
        let opts = BaselineOptions::default();
        alone += usize::from(compare::change(&old, &new, &opts).unwrap().verdict != ChangeVerdict::Unchanged);
        let earlier: Vec<&BenchmarkResult> = history.iter().collect();
        let c = compare::change_with_history(&old, &earlier, &new, &opts).unwrap();
        assert_eq!(c.baseline_runs, 5);
        with_history += usize::from(c.verdict != ChangeVerdict::Unchanged);
    }
    let rate = |k: usize| k as f64 / trials as f64;
    assert!(rate(alone) > 0.2, "without history the shared drift fools the verdict: {}", rate(alone));
    assert!(rate(with_history) <= 0.05, "with 5 kept runs: {}", rate(with_history));
}

/// A sequence of `runs` runs sharing a drift of σ = `drift` per run, the
/// last `changed` of them `step` slower, each carrying what this host's run
/// memory recorded of up to twenty runs before it (as `metron::run_memory`
/// does: the spread of their log medians, from three runs on).
fn remembered_runs(rng: &mut Rng, runs: usize, drift: f64, step: f64, changed: usize) -> Vec<BenchmarkResult> {
    let mut medians: Vec<f64> = Vec::new();
    (0..runs)
        .map(|i| {
            let level = if i + changed >= runs { 100.0 * (1.0 + step) } else { 100.0 };
            let offset = (drift * standard_normal(rng)).exp();
            let mut r = replicated(rng, level * offset, 0.01, 0.003, R, 10);
            let earlier = &medians[medians.len().saturating_sub(20)..];
            if earlier.len() >= 3 {
                r.run_level = Some(RunLevel {
                    replicates: R as usize,
                    within: 0.0,
                    between: 0.0,
                    between_sd: 0.0,
                    earlier: Some(EarlierRuns {
                        runs: earlier.len(),
                        sd_log: metron::stats::std_dev(earlier),
                        half_width: 0.0,
                        mean_log: None,
                    }),
                });
            }
            // `sim` leaves the summaries unanalysed: the median comes from the samples.
            let values: Vec<f64> = r.samples.iter().map(|s| s.wall_ns / s.iterations as f64).collect();
            medians.push(metron::stats::median(&values).ln());
            r
        })
        .collect()
}

#[test]
fn remembered_earlier_runs_catch_drift_in_a_comparison_of_two_runs() {
    // The drift of the test above, with no baseline runs kept: what the two
    // runs' hosts remember of earlier runs is the evidence instead.
    let mut rng = seeded(53);
    let (mut alone, mut remembered, mut trials) = (0, 0, 0);
    for _ in 0..150 {
        let runs = remembered_runs(&mut rng, 10, 0.02, 0.0, 0);
        for pair in runs[4..].windows(2) {
            let opts = BaselineOptions::default();
            let forgotten = |r: &BenchmarkResult| BenchmarkResult { run_level: None, ..r.clone() };
            let c = compare::change(&forgotten(&pair[0]), &forgotten(&pair[1]), &opts).unwrap();
            alone += usize::from(c.verdict != ChangeVerdict::Unchanged);
            let c = compare::change(&pair[0], &pair[1], &opts).unwrap();
            remembered += usize::from(c.verdict != ChangeVerdict::Unchanged);
            // The newer side remembers one run more than the older.
            let spread = c.run_to_run.expect("the remembered spread widens the CI");
            assert!(spread.runs >= 4 && spread.sd_log > 0.0, "{spread:?}");
            trials += 1;
        }
    }
    let rate = |k: usize| k as f64 / trials as f64;
    println!("2% drift: false verdicts {} without the memory, {} with it", rate(alone), rate(remembered));
    assert!(rate(alone) > 0.2, "without the memory the drift fools the verdict: {}", rate(alone));
    assert!(rate(remembered) <= 0.05, "with the host's memory: {}", rate(remembered));
    // The change table says where the CI's width comes from.
    let runs = remembered_runs(&mut rng, 6, 0.02, 0.0, 0);
    let cmp = compare::against_baseline(
        &run(vec![runs[4].clone()]),
        &run(vec![runs[5].clone()]),
        "b",
        &BaselineOptions::default(),
    );
    let table = metron::terminal::change_table(&cmp, metron::terminal::Colour::default());
    assert!(table.contains("note: runs of x differ by ±") && table.contains("(sd over 5 runs)"), "{table}");
}

#[test]
fn a_real_change_is_still_found_beside_remembered_drift() {
    // 1% drift per run, twenty remembered runs, then a 10% slowdown: the
    // memory widens the comparison to what drift allows, not beyond use.
    let mut rng = seeded(54);
    let found = (0..300)
        .filter(|_| {
            let runs = remembered_runs(&mut rng, 22, 0.01, 0.10, 1);
            let c = compare::change(&runs[20], &runs[21], &BaselineOptions::default()).unwrap();
            c.verdict == ChangeVerdict::Regressed
        })
        .count();
    println!("10% slowdown beside 1% drift: found in {found}/300");
    assert!(found >= 285, "a 10% slowdown beside 1% drift found in {found}/300");
}

#[test]
fn a_shift_inside_the_noise_floor_is_unchanged() {
    // A real 0.5% shift, measured precisely: true, and below the floor that
    // says what is worth acting on.
    let mut rng = seeded(61);
    let old = replicated(&mut rng, 100.0, 0.002, 0.0005, R, 200);
    let new = replicated(&mut rng, 100.5, 0.002, 0.0005, R, 200);
    let c = compare::change(&old, &new, &BaselineOptions::default()).unwrap();
    assert!(c.p_adjusted < 1e-3, "the shift is real: {c:?}");
    assert_eq!(c.verdict, ChangeVerdict::Unchanged);
}

#[test]
fn a_run_of_one_replicate_cannot_be_compared_across_runs() {
    let mut rng = seeded(62);
    let old = replicated(&mut rng, 100.0, 0.01, 0.0, 1, 30);
    let new = replicated(&mut rng, 100.0, 0.01, 0.0, R, 10);
    assert_eq!(
        compare::change(&old, &new, &BaselineOptions::default()).unwrap_err(),
        compare::NotComparable::TooFewReplicates { side: "the baseline", replicates: 1 }
    );
    let e = compare::check_comparable(&run(vec![old]), &run(vec![new]), ClockKind::Wall).unwrap_err().to_string();
    assert!(e.starts_with("'x' in the baseline has 1 replicate: comparing runs needs at least 2"), "{e}");
}

#[test]
fn paired_a_a_stays_below_two_percent_when_rounds_are_correlated() {
    // Each benchmark's own noise is AR(1) with ρ = 0.5 (not shared by the
    // pair): without the correction about 6% of identical pairs are called
    // different at α = 0.01.
    let mut rng = seeded(63);
    let trials = 2000;
    let mut verdicts = 0;
    let mut uncorrected = 0;
    for _ in 0..trials {
        let (mut ea, mut eb) = (0.0, 0.0);
        let mut a = Vec::new();
        let mut b = Vec::new();
        for _ in 0..DEFAULT_N * 2 {
            ea = 0.5 * ea + 0.02 * standard_normal(&mut rng);
            eb = 0.5 * eb + 0.02 * standard_normal(&mut rng);
            a.push(100.0 * f64::exp(ea));
            b.push(100.0 * f64::exp(eb));
        }
        let (a, b) = (sim("a", &a, true), sim("b", &b, true));
        let c = compare::compare(&a, &b).unwrap();
        verdicts += usize::from(c.p_value < compare::PAIRED_ALPHA);
        let d = compare::paired_log_ratios(&a, &b, ClockKind::Wall).unwrap();
        uncorrected += usize::from(metron::stats::trimmed_t(&d, 0.2, 0.95).p < compare::PAIRED_ALPHA);
        assert!(c.lag1_autocorrelation.is_some());
    }
    let rate = |k: usize| k as f64 / trials as f64;
    assert!(rate(verdicts) < 0.02, "paired A/A at ρ = 0.5: {}", rate(verdicts));
    assert!(rate(uncorrected) > 0.03, "the uncorrected test is fooled: {}", rate(uncorrected));
}

#[test]
fn baseline_lists_benchmarks_on_one_side_only() {
    let mut rng = seeded(71);
    let old = run(vec![
        result("kept", &lognormal(&mut rng, 100.0, 0.02, 20), false),
        result("gone", &lognormal(&mut rng, 100.0, 0.02, 20), false),
    ]);
    let new = run(vec![
        result("kept", &lognormal(&mut rng, 100.0, 0.02, 20), false),
        result("added", &lognormal(&mut rng, 100.0, 0.02, 20), false),
    ]);
    let cmp = compare::against_baseline(&old, &new, "old", &BaselineOptions::default());
    assert_eq!(cmp.changes.len(), 1);
    assert_eq!(cmp.multiple_comparisons, "none");
    assert_eq!(cmp.only_in_baseline, ["gone"]);
    assert_eq!(cmp.only_in_new, ["added"]);
}

#[test]
fn paired_all_uses_the_fastest_as_reference_and_adjusts_p() {
    let mut rng = seeded(81);
    let mut drift = Vec::new();
    for _ in 0..40 {
        drift.push((0.02 * standard_normal(&mut rng)).exp());
    }
    let series = |rng: &mut Rng, base: f64| -> Vec<f64> {
        drift.iter().map(|d| base * d * (0.01 * standard_normal(rng)).exp()).collect()
    };
    let results = vec![
        result("slow", &series(&mut rng, 130.0), true),
        result("fast", &series(&mut rng, 100.0), true),
        result("same", &series(&mut rng, 100.5), true),
    ];
    let cmps = compare::paired_all(&results, None, ClockKind::Wall);
    assert_eq!(cmps.len(), 2);
    assert!(cmps.iter().all(|c| c.reference == "fast" && c.p_adjusted.is_some()));
    let slow = cmps.iter().find(|c| c.candidate == "slow").unwrap();
    assert_eq!(slow.verdict, PairedVerdict::Slower);
    assert!(slow.ci.contains(1.3), "{slow:?}");
    let named = compare::paired_all(&results, Some("slow"), ClockKind::Wall);
    assert!(named.iter().all(|c| c.reference == "slow"));
    assert!(named.iter().all(|c| c.verdict == PairedVerdict::Faster));
}

#[test]
fn unpaired_comparison_without_rounds_uses_welch() {
    let mut rng = seeded(91);
    let a = result("a", &lognormal(&mut rng, 100.0, 0.02, 30), false);
    let b = result("b", &lognormal(&mut rng, 120.0, 0.02, 30), false);
    let c = compare::compare(&a, &b).unwrap();
    assert_eq!(c.test, compare::WELCH_TEST);
    assert_eq!(c.verdict, PairedVerdict::Slower);
    assert!(c.ci.contains(1.2), "{c:?}");
}

/// Interleaved series where 10% of samples (on either side) were hit by a
/// preemption that made them 30% slower, as on a busy machine.
fn interleaved_with_hits(rng: &mut Rng, ratio: f64, n: usize) -> (BenchmarkResult, BenchmarkResult) {
    let hit = |rng: &mut Rng| if metron::stats::uniform(rng) < 0.1 { 1.3 } else { 1.0 };
    let mut a = Vec::with_capacity(n);
    let mut b = Vec::with_capacity(n);
    for _ in 0..n {
        let d = (0.02 * standard_normal(rng)).exp();
        a.push(100.0 * d * hit(rng) * (0.003 * standard_normal(rng)).exp());
        b.push(100.0 * ratio * d * hit(rng) * (0.003 * standard_normal(rng)).exp());
    }
    (sim("a", &a, true), sim("b", &b, true))
}

#[test]
fn paired_comparison_survives_preemption_outliers() {
    let mut rng = seeded(101);
    let trials = 2000;
    let false_positives = (0..trials)
        .filter(|_| {
            let (a, b) = interleaved_with_hits(&mut rng, 1.0, 100);
            compare::compare(&a, &b).unwrap().p_value < compare::PAIRED_ALPHA
        })
        .count();
    let rate = false_positives as f64 / trials as f64;
    println!("paired A/A rejection rate with preemption outliers: {rate}");
    assert!((0.003..=0.02).contains(&rate), "A/A rejection rate with outliers {rate} (α = 0.01)");
    // A 1% difference under the same outliers, 100 rounds: found nearly always.
    let found = (0..500)
        .filter(|_| {
            let (a, b) = interleaved_with_hits(&mut rng, 1.01, 100);
            compare::compare(&a, &b).unwrap().verdict == PairedVerdict::Slower
        })
        .count();
    assert!(found >= 475, "1% found in {found}/500");
}

#[test]
fn same_run_verdicts_need_the_ci_beyond_the_noise_floor() {
    // A real 0.2% difference, measured so precisely that p is tiny: true,
    // and no verdict, since its CI lies inside 1 ± PAIRED_NOISE. A 1%
    // difference with the same precision is a verdict.
    let mut rng = seeded(111);
    let (a, b) = interleaved(&mut rng, 1.002, 0.001, 0.05, 200);
    let c = compare::compare(&a, &b).unwrap();
    assert!(c.p_value < 1e-6 && c.ci.hi < 1.0 + compare::PAIRED_NOISE, "{c:?}");
    assert_eq!(c.verdict, PairedVerdict::NoDifference);
    assert_eq!(c.noise, compare::PAIRED_NOISE);
    let line = metron::terminal::verdict_line(&c, metron::terminal::Colour::Never);
    assert!(line.starts_with("no difference beyond ±0.3% between 'a' and 'b' (ratio 1.002"), "{line}");
    let (a, b) = interleaved(&mut rng, 1.01, 0.001, 0.05, 200);
    let c = compare::compare(&a, &b).unwrap();
    assert_eq!(c.verdict, PairedVerdict::Slower);
    // A narrow CI is printed with enough decimals to show its ends.
    let line = metron::terminal::verdict_line(&c, metron::terminal::Colour::Never);
    assert!(line.starts_with("'a' is 1.0099× faster than 'b' (95% CI 1.0097–1.0101, p < 0.001)"), "{line}");
}

#[test]
fn a_change_of_machine_or_load_is_noted_beside_the_table() {
    use metron::model::Environment;
    let env = |host: &str, load: f64| Environment {
        hostname: host.into(),
        kernel: "6.1".into(),
        metron_version: "0.1.0".into(),
        load_average: Some([load, 0.0, 0.0]),
        ..Environment::default()
    };
    assert!(compare::environment_differences(&env("a", 0.2), &env("a", 0.9)).is_empty(), "same machine, similar load");
    let notes = compare::environment_differences(&env("a", 0.2), &env("b", 1.9));
    assert_eq!(
        notes,
        ["host differs: a in the baseline, b now", "load average (1 min) differs: 0.20 in the baseline, 1.90 now"]
    );
    let (mut old, mut new) = (run(vec![]), run(vec![]));
    (old.environment, new.environment) = (env("a", 0.2), env("b", 0.2));
    let cmp = compare::against_baseline(&old, &new, "old", &BaselineOptions::default());
    assert_eq!(cmp.environment_notes, ["host differs: a in the baseline, b now"]);
    let table = metron::terminal::change_table(&cmp, metron::terminal::Colour::default());
    assert!(table.contains("note: host differs: a in the baseline, b now"), "{table}");
    // A run imported from a peer's file records no machine: unknown, not different.
    assert!(compare::environment_differences(&Environment::default(), &env("b", 0.2)).is_empty());
}

#[test]
fn the_regression_gate_never_passes_vacuously() {
    let opts = BaselineOptions::default();
    let times = [10.0, 10.1, 9.9, 10.2, 10.0, 9.8];
    let gate =
        |old: &RunRecord, new: &RunRecord| compare::gate_reasons(&compare::against_baseline(old, new, "b", &opts), 0.0);
    let same = run(vec![result("a", &times, false)]);
    assert!(gate(&same, &same).is_empty(), "an unchanged benchmark passes");
    let renamed = run(vec![result("b", &times, false)]);
    let reasons = gate(&same, &renamed);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].contains("'a'") && reasons[0].contains("'b'") && reasons[0].contains("--name"), "{reasons:?}");
    let empty = run(vec![]);
    assert_eq!(gate(&empty, &empty), ["nothing was compared"]);
    assert!(gate(&empty, &same)[0].contains("'a' has no counterpart"));
    let one_sample = run(vec![result("a", &[10.0], false)]);
    assert!(gate(&same, &one_sample)[0].contains("'a' has too few samples"));
}

//! Tests of `metron::stats` as a whole.
//!
//! 1. Reference values: `tests/data/stats-reference.json` holds inputs and
//!    results computed independently by the project's steering side with
//!    numpy 2.4.6 and scipy 1.17.1 (its `about` field states the conventions).
//!    Every value in it is checked here, to about 1e-9 relative.
//! 2. Seeded simulations: false-positive rates of the tests and coverage of
//!    the confidence intervals, on data drawn with fixed seeds, so they are
//!    deterministic (they cannot flake) while still checking the statistics
//!    against what the theory promises.
//! 3. Reproducibility of everything seeded, and finite results on
//!    degenerate input.
//! 4. A performance smoke run of `summarize` on 5,000 values (timing printed,
//!    never asserted).

use std::time::Instant;

use metron::model::Interval;
use metron::stats;
use metron::stats::*;
use serde_json::Value;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Relative tolerance against numpy/scipy, for every value. The algorithms
/// are the same closed forms; differences come from summation order (about
/// 1e-15) and from statrs's special functions: its incomplete beta (t
/// p-values, observed error up to 2e-13) and its erfc (normal p-values, up to
/// 5e-11), so 1e-9 leaves a margin of 20 over the worst case.
const REL: f64 = 1e-9;

fn reference() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/stats-reference.json");
    let text = std::fs::read_to_string(path).expect("read stats-reference.json");
    serde_json::from_str(&text).expect("parse stats-reference.json")
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array().unwrap_or_else(|| panic!("not an array: {v}")).iter().map(num).collect()
}

fn data(r: &Value, name: &str) -> Vec<f64> {
    nums(&r["data"][name])
}

/// `actual` within `rel` of `expected` (relative), or within 1e-12 when the
/// expected value is exactly 0.
#[track_caller]
fn close_rel(actual: f64, expected: f64, rel: f64, what: &str) {
    let ok = if expected == 0.0 { actual.abs() <= 1e-12 } else { (actual - expected).abs() <= rel * expected.abs() };
    assert!(
        ok,
        "{what}: got {actual:e}, expected {expected:e} (relative error {:e})",
        ((actual - expected) / expected).abs()
    );
}

#[track_caller]
fn close(actual: f64, expected: &Value, what: &str) {
    close_rel(actual, num(expected), REL, what);
}

fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

fn ln_all(xs: &[f64]) -> Vec<f64> {
    xs.iter().map(|x| x.ln()).collect()
}

// ---------------------------------------------------------------------------
// 1. Reference values
// ---------------------------------------------------------------------------

#[test]
fn describe_matches_reference() {
    let r = reference();
    let describe = r["describe"].as_object().unwrap();
    assert_eq!(describe.len(), r["data"].as_object().unwrap().len(), "every dataset is described");
    for (name, exp) in describe {
        let xs = data(&r, name);
        let s = sorted(&xs);
        let what = |field: &str| format!("{name}.{field}");

        assert_eq!(xs.len() as u64, exp["n"].as_u64().unwrap(), "{name}.n");
        close(mean(&xs), &exp["mean"], &what("mean"));
        close(median(&xs), &exp["median"], &what("median"));
        close(std_dev(&xs), &exp["std_dev_sample"], &what("std_dev"));
        close(mad_raw(&xs), &exp["mad_raw"], &what("mad_raw"));
        close(mad(&xs), &exp["mad_scaled_1_4826"], &what("mad"));
        close(s[0], &exp["min"], &what("min"));
        close(s[s.len() - 1], &exp["max"], &what("max"));
        close(geometric_mean(&xs), &exp["geometric_mean"], &what("geometric_mean"));
        for (p, value) in exp["percentiles_linear"].as_object().unwrap() {
            let p: f64 = p.parse().unwrap();
            close(percentile_sorted(&s, p), value, &what(&format!("p{p}")));
        }

        let fences = tukey_fences(&s);
        let expected_fences = nums(&exp["tukey_fences_low_severe_low_mild_high_mild_high_severe"]);
        let actual_fences = [fences.low_severe, fences.low_mild, fences.high_mild, fences.high_severe];
        for (a, e) in actual_fences.iter().zip(&expected_fences) {
            close_rel(*a, *e, REL, &what("tukey_fences"));
        }
        // The reference counts severe = beyond the 3 IQR fence and mild =
        // between the fences, both sides summed.
        let o = tukey_outliers(&xs);
        assert_eq!((o.low_mild + o.high_mild) as u64, exp["tukey_mild_count"].as_u64().unwrap(), "{name} mild");
        assert_eq!((o.low_severe + o.high_severe) as u64, exp["tukey_severe_count"].as_u64().unwrap(), "{name} severe");
        let classes: Vec<OutlierClass> = xs.iter().map(|&x| classify(x, &fences)).collect();
        let count = |c: OutlierClass| classes.iter().filter(|&&k| k == c).count();
        assert_eq!(count(OutlierClass::HighSevere), o.high_severe);
        assert_eq!(count(OutlierClass::LowMild), o.low_mild);

        // summarize() reports the same figures.
        let sum = summarize(&xs, 1).unwrap();
        assert_eq!(sum.n as u64, exp["n"].as_u64().unwrap());
        close(sum.mean, &exp["mean"], &what("summary.mean"));
        close(sum.median, &exp["median"], &what("summary.median"));
        close(sum.std_dev, &exp["std_dev_sample"], &what("summary.std_dev"));
        close(sum.mad, &exp["mad_scaled_1_4826"], &what("summary.mad"));
        close(sum.min, &exp["min"], &what("summary.min"));
        close(sum.max, &exp["max"], &what("summary.max"));
        let pct = &exp["percentiles_linear"];
        close(sum.p5, &pct["5"], &what("summary.p5"));
        close(sum.p25, &pct["25"], &what("summary.p25"));
        close(sum.p75, &pct["75"], &what("summary.p75"));
        close(sum.p95, &pct["95"], &what("summary.p95"));
        assert_eq!(sum.outliers, o);
        assert!(sum.median_ci.contains(sum.median) && sum.mean_ci.contains(sum.mean), "{name}: {sum:?}");
        assert!(sum.regression.is_none());
    }
}

#[test]
fn welch_matches_reference() {
    let r = reference();
    let (a, b) = (data(&r, "lognormal_a"), data(&r, "lognormal_b"));
    for (key, (x, y)) in [("welch_raw_a_vs_b", (a.clone(), b.clone())), ("welch_log_a_vs_b", (ln_all(&a), ln_all(&b)))]
    {
        let exp = &r[key];
        let res = welch_t_test(&x, &y);
        close(res.t, &exp["t"], &format!("{key}.t"));
        close(res.df, &exp["df"], &format!("{key}.df"));
        close(res.p, &exp["p_two_sided"], &format!("{key}.p"));
    }
}

#[test]
fn mann_whitney_matches_reference() {
    let r = reference();
    for (key, first, second) in [
        ("mann_whitney_a_vs_b", "lognormal_a", "lognormal_b"),
        ("mann_whitney_small_vs_heavy", "small_ties_outlier", "heavy_tail"),
    ] {
        let exp = &r[key];
        let res = mann_whitney_u(&data(&r, first), &data(&r, second));
        close(res.u, &exp["u_of_first"], &format!("{key}.u"));
        close(res.p, &exp["p_two_sided_asymptotic_continuity"], &format!("{key}.p"));
    }
}

#[test]
fn paired_log_ratio_matches_reference() {
    let r = reference();
    let exp = &r["paired_log_ratio_cand_over_base"];
    let base = data(&r, "paired_base");
    let cand = data(&r, "paired_cand");
    let log_ratios: Vec<f64> = cand.iter().zip(&base).map(|(c, b)| (c / b).ln()).collect();

    let res = one_sample_t(&log_ratios, 0.95);
    assert_eq!(res.n as u64, exp["n"].as_u64().unwrap());
    close(res.mean, &exp["mean_log_ratio"], "mean log ratio");
    close(res.mean.exp(), &exp["geometric_mean_ratio"], "geometric mean ratio");
    close(res.t, &exp["t"], "paired t");
    close(res.df, &exp["df"], "paired df");
    // p = 6.8e-14 keeps the default relative tolerance (observed error
    // about 2e-13): the tail is computed directly as a regularized incomplete
    // beta, never as 1 - cdf, which would leave no significant digit at all.
    close(res.p, &exp["p_two_sided"], "paired p");
    let ratio_ci = res.ci.map(f64::exp);
    let ci = nums(&exp["ci95_ratio"]);
    close_rel(ratio_ci.lo, ci[0], REL, "ratio CI low");
    close_rel(ratio_ci.hi, ci[1], REL, "ratio CI high");

    let w = wilcoxon_signed_rank(&log_ratios);
    close(w.statistic, &exp["wilcoxon_signed_rank_statistic"], "wilcoxon statistic");
    close(w.p, &exp["wilcoxon_p_two_sided"], "wilcoxon p");
}

#[test]
fn quantiles_match_reference() {
    let r = reference();
    for (df, value) in r["student_t_quantile_0_975"].as_object().unwrap() {
        let df: f64 = df.parse().unwrap();
        close(t_quantile(0.975, df), value, &format!("t quantile df {df}"));
        close_rel(t_quantile(0.025, df), -num(value), REL, &format!("t quantile 0.025 df {df}"));
    }
    for (p, value) in r["normal_quantile"].as_object().unwrap() {
        let p: f64 = p.parse().unwrap();
        close(normal_quantile(p), value, &format!("normal quantile {p}"));
    }
}

#[test]
fn regression_matches_reference() {
    let r = reference();
    let exp = &r["regression"];
    let (x, y) = (nums(&exp["x"]), nums(&exp["y"]));
    let fit = ols(&x, &y).unwrap();
    close(fit.slope, &exp["ols_slope"], "ols slope");
    close(fit.intercept, &exp["ols_intercept"], "ols intercept");
    close(fit.r_squared, &exp["ols_r_squared"], "ols r squared");
    close(slope_through_origin(&x, &y).unwrap(), &exp["slope_through_origin"], "slope through origin");
}

#[test]
fn benjamini_hochberg_matches_reference() {
    let r = reference();
    let exp = &r["benjamini_hochberg"];
    let adjusted = benjamini_hochberg(&nums(&exp["p"]));
    let expected = nums(&exp["adjusted"]);
    assert_eq!(adjusted.len(), expected.len());
    for (i, (a, e)) in adjusted.iter().zip(&expected).enumerate() {
        close_rel(*a, *e, REL, &format!("bh[{i}]"));
    }
    // Input order is kept: reversing the input reverses the output.
    let mut reversed = nums(&exp["p"]);
    reversed.reverse();
    let mut again = benjamini_hochberg(&reversed);
    again.reverse();
    assert_eq!(again, adjusted);
}

// ---------------------------------------------------------------------------
// 2. Seeded simulations
// ---------------------------------------------------------------------------

/// `n` log-normal "timings": 100 · exp(0.3 Z), skewed like real ones.
fn lognormal(rng: &mut Rng, n: usize, sigma: f64) -> Vec<f64> {
    (0..n).map(|_| 100.0 * (sigma * standard_normal(rng)).exp()).collect()
}

/// Fraction of `trials` in which `hit` returns true.
fn rate(trials: usize, mut hit: impl FnMut() -> bool) -> f64 {
    (0..trials).filter(|_| hit()).count() as f64 / trials as f64
}

// Each rate below is a binomial proportion over 2,000 trials (standard error
// 0.49 points at 5%); the bands are ±4 standard errors around the nominal
// level, and the seeds are fixed, so the tests are deterministic.

#[test]
fn welch_false_positive_rate() {
    let mut rng = seeded(1001);
    let mut raw_hits = 0;
    let log_rate = rate(2000, || {
        let a = lognormal(&mut rng, 30, 0.3);
        let b = lognormal(&mut rng, 30, 0.3);
        raw_hits += usize::from(welch_t_test(&a, &b).p < 0.05);
        welch_t_test(&ln_all(&a), &ln_all(&b)).p < 0.05
    });
    let raw_rate = raw_hits as f64 / 2000.0;
    eprintln!("Welch A/A false-positive rate: log {log_rate:.4}, raw {raw_rate:.4}");
    assert!((0.03..=0.07).contains(&log_rate), "log {log_rate}");
    assert!((0.03..=0.07).contains(&raw_rate), "raw {raw_rate}");
}

#[test]
fn mann_whitney_false_positive_rate() {
    let mut rng = seeded(1002);
    let fpr = rate(2000, || {
        let a = lognormal(&mut rng, 30, 0.3);
        let b = lognormal(&mut rng, 30, 0.3);
        mann_whitney_u(&a, &b).p < 0.05
    });
    eprintln!("Mann-Whitney A/A false-positive rate: {fpr:.4}");
    assert!((0.03..=0.07).contains(&fpr), "{fpr}");
}

#[test]
fn wilcoxon_false_positive_rate() {
    // Paired A/A log ratios, n = 20 (exact distribution) and n = 60 (normal).
    let mut rng = seeded(1003);
    for n in [20, 60] {
        let fpr = rate(2000, || {
            let d: Vec<f64> = (0..n).map(|_| standard_normal(&mut rng)).collect();
            wilcoxon_signed_rank(&d).p < 0.05
        });
        eprintln!("Wilcoxon A/A false-positive rate (n = {n}): {fpr:.4}");
        assert!((0.03..=0.07).contains(&fpr), "n {n}: {fpr}");
    }
}

#[test]
fn one_sample_t_coverage() {
    let mut rng = seeded(1004);
    let mut false_positives = 0;
    let coverage = rate(2000, || {
        let xs: Vec<f64> = (0..20).map(|_| 0.3 + 0.5 * standard_normal(&mut rng)).collect();
        let res = one_sample_t(&xs, 0.95);
        let null: Vec<f64> = xs.iter().map(|x| x - 0.3).collect();
        false_positives += usize::from(one_sample_t(&null, 0.95).p < 0.05);
        res.ci.contains(0.3)
    });
    let fpr = false_positives as f64 / 2000.0;
    eprintln!("one-sample t: CI coverage {coverage:.4}, false-positive rate {fpr:.4}");
    assert!((0.93..=0.97).contains(&coverage), "{coverage}");
    assert!((0.03..=0.07).contains(&fpr), "{fpr}");
}

#[test]
fn bootstrap_median_coverage() {
    // 1,000 trials of n = 50 normal values (true median 10); 1,000 resamples
    // each keeps the test fast, and the percentile endpoints are stable
    // enough at that count. Band 92-98%: ±4.3 standard errors (0.69 points).
    let mut rng = seeded(1005);
    let mut seed = 0;
    let coverage = rate(1000, || {
        let xs: Vec<f64> = (0..50).map(|_| 10.0 + standard_normal(&mut rng)).collect();
        seed += 1;
        bootstrap_ci(&xs, median_in_place, 0.95, 1000, seed).contains(10.0)
    });
    eprintln!("bootstrap median CI coverage: {coverage:.4}");
    assert!((0.92..=0.98).contains(&coverage), "{coverage}");
}

#[test]
fn bootstrap_ratio_coverage() {
    // Ratio of medians between two log-normal samples whose true medians
    // differ by 10%. Same band as above.
    let mut rng = seeded(1006);
    let mut seed = 0;
    let coverage = rate(500, || {
        let a = lognormal(&mut rng, 40, 0.2);
        let b: Vec<f64> = lognormal(&mut rng, 40, 0.2).iter().map(|x| 1.1 * x).collect();
        seed += 1;
        bootstrap_ratio_ci(&a, &b, median_in_place, 0.95, 1000, seed).contains(1.1)
    });
    eprintln!("bootstrap ratio-of-medians CI coverage: {coverage:.4}");
    assert!((0.91..=0.99).contains(&coverage), "{coverage}");
}

#[test]
fn order_statistic_median_coverage() {
    // Skewed data: log-normal with sigma 1, true median exp(0) = 1. n cycles
    // through 6..=80, so both tiny and moderate samples are checked. The
    // exact coverage is at least 95% for every n (often well above, since
    // ranks are discrete); with 4,000 trials the standard error is 0.34
    // points, so 94% is 3 standard errors below the guaranteed minimum.
    let mut rng = seeded(1007);
    let mut n = 5;
    let mut widths = 0.0;
    let coverage = rate(4000, || {
        n = if n >= 80 { 6 } else { n + 1 };
        let xs: Vec<f64> = (0..n).map(|_| standard_normal(&mut rng).exp()).collect();
        let ci = median_ci_order(&sorted(&xs), 0.95).expect("n >= 6 suffices at 95%");
        widths += ci.hi - ci.lo;
        ci.contains(1.0)
    });
    eprintln!("order-statistic median CI coverage: {coverage:.4} (mean width {:.3})", widths / 4000.0);
    assert!(coverage >= 0.94, "{coverage}");
    assert!(median_ci_order(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95).is_none());
}

#[test]
fn benjamini_hochberg_controls_false_discoveries() {
    // 2,000 runs of 100 true-null (uniform) p-values. Under the global null
    // BH's chance of any rejection at q equals q exactly (Simes), so the
    // rate should be 5%; the allowed slack, 1.5 points, is 3 standard
    // errors of a proportion over 2,000 runs (sqrt(0.05 · 0.95 / 2000) = 0.49
    // points).
    let mut rng = seeded(1008);
    let any_rejection = rate(2000, || {
        let p: Vec<f64> = (0..100).map(|_| uniform(&mut rng)).collect();
        benjamini_hochberg(&p).iter().any(|&q| q <= 0.05)
    });
    eprintln!("BH: fraction of all-null runs with any rejection: {any_rejection:.4}");
    assert!(any_rejection <= 0.05 + 0.015, "{any_rejection}");

    // And it still finds real effects: 10 tiny p-values among 90 nulls.
    let mut p: Vec<f64> = (0..90).map(|_| uniform(&mut rng)).collect();
    p.extend((1..=10).map(|i| f64::from(i) * 1e-5));
    let adjusted = benjamini_hochberg(&p);
    assert!(adjusted[90..].iter().all(|&q| q <= 0.05));
}

// ---------------------------------------------------------------------------
// 3. Reproducibility and degenerate input
// ---------------------------------------------------------------------------

#[test]
fn bootstrap_is_reproducible() {
    let mut rng = seeded(2001);
    let xs = lognormal(&mut rng, 200, 0.3);
    let ys = lognormal(&mut rng, 150, 0.3);

    let a = bootstrap_ci(&xs, median_in_place, 0.95, DEFAULT_RESAMPLES, 42);
    let b = bootstrap_ci(&xs, median_in_place, 0.95, DEFAULT_RESAMPLES, 42);
    let c = bootstrap_ci(&xs, median_in_place, 0.95, DEFAULT_RESAMPLES, 43);
    assert_eq!((a.lo.to_bits(), a.hi.to_bits()), (b.lo.to_bits(), b.hi.to_bits()));
    assert_ne!(a, c, "different seeds should (almost surely) give different intervals");

    let r1 = bootstrap_ratio_ci(&xs, &ys, median_in_place, 0.95, 500, 7);
    let r2 = bootstrap_ratio_ci(&xs, &ys, median_in_place, 0.95, 500, 7);
    let r3 = bootstrap_ratio_ci(&xs, &ys, median_in_place, 0.95, 500, 8);
    assert_eq!(r1, r2);
    assert_ne!(r1, r3);

    let s1 = summarize(&xs, 9).unwrap();
    let s2 = summarize(&xs, 9).unwrap();
    assert_eq!(s1, s2);
    // summarize's median interval is the order-statistic one (what the
    // stopping rule reads); the mean's is bootstrap_ci's with the same seed,
    // up to the order of a sum.
    assert_eq!(Some(s1.median_ci), median_ci_order(&sorted(&xs), 0.95));
    let tiny = [3.0, 1.0, 2.0];
    assert_eq!(
        summarize(&tiny, 9).unwrap().median_ci,
        bootstrap_ci(&tiny, median_in_place, 0.95, DEFAULT_RESAMPLES, 9)
    );
    let mean_ci = bootstrap_ci(&xs, mean_of, 0.95, DEFAULT_RESAMPLES, 9);
    assert!((s1.mean_ci.lo - mean_ci.lo).abs() <= 1e-12 * mean_ci.lo.abs(), "{:?} {mean_ci:?}", s1.mean_ci);
    assert!((s1.mean_ci.hi - mean_ci.hi).abs() <= 1e-12 * mean_ci.hi.abs(), "{:?} {mean_ci:?}", s1.mean_ci);

    let mut g1 = seeded(5);
    let mut g2 = seeded(5);
    let d1: Vec<f64> = (0..10).map(|_| standard_normal(&mut g1)).collect();
    let d2: Vec<f64> = (0..10).map(|_| standard_normal(&mut g2)).collect();
    assert_eq!(d1, d2);
}

#[track_caller]
fn assert_finite(what: &str, xs: &[f64]) {
    assert!(xs.iter().all(|x| x.is_finite()), "{what}: {xs:?}");
}

#[test]
fn degenerate_input_is_finite() {
    let cases: [&[f64]; 6] =
        [&[], &[3.0], &[3.0, 3.0], &[2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0], &[1.0, 1.0, 2.0], &[0.0; 8]];
    for xs in cases {
        let s = sorted(xs);
        assert_finite(
            "describe",
            &[mean(xs), median(xs), std_dev(xs), mad(xs), mad_raw(xs), geometric_mean(xs), percentile_sorted(&s, 37.0)],
        );
        if let Some(sum) = summarize(xs, 1) {
            let values = [
                sum.mean,
                sum.median,
                sum.std_dev,
                sum.mad,
                sum.min,
                sum.max,
                sum.p5,
                sum.p25,
                sum.p75,
                sum.p95,
                sum.median_ci.lo,
                sum.median_ci.hi,
                sum.mean_ci.lo,
                sum.mean_ci.hi,
            ];
            assert_finite("summary", &values);
            // A JSON round trip works (NaN would not survive it).
            let json = serde_json::to_string(&sum).unwrap();
            let back: metron::model::Summary = serde_json::from_str(&json).unwrap();
            assert_eq!(back, sum);
        } else {
            assert!(xs.is_empty());
        }
        let f = tukey_fences(&s);
        assert_finite("fences", &[f.low_severe, f.low_mild, f.high_mild, f.high_severe]);
        let ci = bootstrap_ci(xs, median_in_place, 0.95, 100, 1);
        let ratio = bootstrap_ratio_ci(xs, xs, median_in_place, 0.95, 100, 1);
        assert_finite("bootstrap", &[ci.lo, ci.hi, ratio.lo, ratio.hi]);
        if let Some(ci) = median_ci_order(&s, 0.95) {
            assert_finite("order ci", &[ci.lo, ci.hi]);
        }

        for other in cases {
            let w = welch_t_test(xs, other);
            let m = mann_whitney_u(xs, other);
            assert_finite("welch / mann-whitney", &[w.t, w.df, w.p, m.u, m.p]);
            assert!((0.0..=1.0).contains(&w.p) && (0.0..=1.0).contains(&m.p));
        }
        let o = one_sample_t(xs, 0.95);
        let w = wilcoxon_signed_rank(xs);
        assert_finite("one-sample / wilcoxon", &[o.mean, o.sd, o.t, o.df, o.p, o.ci.lo, o.ci.hi, w.statistic, w.p]);
        assert_finite("bh", &benjamini_hochberg(xs));
    }
    // Zero spread with different means: certainty, finite.
    let w = welch_t_test(&[1.0, 1.0, 1.0], &[2.0, 2.0]);
    assert_eq!((w.t, w.p), (-f64::MAX, 0.0));
    let o = one_sample_t(&[0.1; 5], 0.95);
    assert_eq!((o.t, o.p, o.ci), (f64::MAX, 0.0, Interval::new(0.1, 0.1)));
    assert!(ols(&[1.0], &[2.0]).is_none());
    assert!(ols(&[1.0, 1.0], &[2.0, 3.0]).is_none());
}

// ---------------------------------------------------------------------------
// 4. Performance smoke run
// ---------------------------------------------------------------------------

#[test]
fn summarize_many_values_smoke() {
    // Not a timed assertion (machines and build profiles differ): it prints
    // the time so a regression is visible, and checks the result is sane.
    // In a release build this takes a few milliseconds.
    let mut rng = seeded(3001);
    let xs = lognormal(&mut rng, 5000, 0.2);
    let start = Instant::now();
    let s = summarize(&xs, 1).unwrap();
    eprintln!("summarize(5,000 values): {:?}", start.elapsed());
    assert_eq!(s.n, 5000);
    assert!(s.median_ci.contains(s.median) && s.median_ci.relative_half_width(s.median) < 0.02);
    let start = Instant::now();
    let ci = median_ci_order(&sorted(&xs), 0.95).unwrap();
    eprintln!("median_ci_order(5,000 values): {:?}", start.elapsed());
    assert!(ci.contains(s.median));
}

/// The trimmed t-test against `tests/data/trimmed-reference.json`, written by
/// `scripts/reference/trimmed_t.py` with numpy/scipy (scipy.stats.trim_mean,
/// scipy.stats.mstats.winsorize, scipy.stats.t), independently of this code.
#[test]
fn trimmed_t_matches_scipy() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/trimmed-reference.json");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for case in ["paired_log_ratios", "heavy_tail_centred"] {
        let x = nums(&r["data"][case]);
        let want = &r[case];
        let got = stats::trimmed_t(&x, num(&want["trim"]), 0.95);
        close(got.mean, &want["trimmed_mean"], &format!("{case} trimmed mean"));
        close(got.sd, &want["winsorized_sd"], &format!("{case} winsorized sd"));
        close(got.t, &want["t"], &format!("{case} t"));
        close(got.df, &want["df"], &format!("{case} df"));
        close(got.p, &want["p_two_sided"], &format!("{case} p"));
        close(got.ci.lo, &want["ci"][0], &format!("{case} ci lo"));
        close(got.ci.hi, &want["ci"][1], &format!("{case} ci hi"));
    }
}

/// The trimmed test keeps its false-positive rate on symmetric heavy-tailed
/// data (10% of values are outliers 20 σ out, on either side) and its CI covers.
#[test]
fn trimmed_t_false_positive_rate_and_coverage_with_outliers() {
    let mut rng = stats::seeded(2024);
    let trials = 2000;
    let mut positives = 0;
    let mut covered = 0;
    for _ in 0..trials {
        let x: Vec<f64> = (0..40)
            .map(|_| {
                let z = stats::standard_normal(&mut rng);
                let hit = stats::uniform(&mut rng) < 0.1;
                let sign = if stats::uniform(&mut rng) < 0.5 { -1.0 } else { 1.0 };
                0.01 * z + if hit { sign * 0.2 } else { 0.0 }
            })
            .collect();
        let t = stats::trimmed_t(&x, stats::DEFAULT_TRIM, 0.95);
        positives += usize::from(t.p < 0.05);
        covered += usize::from(t.ci.contains(0.0));
    }
    let rate = positives as f64 / trials as f64;
    assert!((0.03..=0.07).contains(&rate), "trimmed t A/A rate {rate}");
    let coverage = covered as f64 / trials as f64;
    assert!((0.93..=0.97).contains(&coverage), "trimmed t coverage {coverage}");
}

#[test]
fn trimmed_t_degenerate_inputs() {
    assert_eq!(stats::trimmed_t(&[], 0.2, 0.95).p, 1.0);
    assert_eq!(stats::trimmed_t(&[1.0, 2.0], 0.2, 0.95).p, 1.0);
    let flat = stats::trimmed_t(&[0.0; 10], 0.2, 0.95);
    assert_eq!((flat.t, flat.p), (0.0, 1.0));
    let shifted = stats::trimmed_t(&[1.0; 10], 0.2, 0.95);
    assert_eq!(shifted.p, 0.0);
}

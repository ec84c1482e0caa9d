//! Significance tests: is a difference between runs real or noise?
//!
//! * [`welch_t_test`]: two independent samples, unequal variances (usually
//!   applied to log times, so it compares geometric means).
//! * [`mann_whitney_u`]: two independent samples, rank-based, robust to outliers.
//! * [`one_sample_t`]: mean of paired log ratios against 0, with its interval.
//! * [`wilcoxon_signed_rank`]: paired differences, rank-based.
//!
//! All are two-sided and follow scipy's defaults (`scipy.stats.ttest_ind(...,
//! equal_var=False)`, `mannwhitneyu(..., method="asymptotic")`, `ttest_1samp`,
//! `wilcoxon`), so their results can be checked against it.
//!
//! Degenerate input never panics and never yields NaN. When a sample has no
//! spread at all, the standard error is 0: equal means give `t = 0, p = 1`;
//! different means give `t = ±f64::MAX` (the finite stand-in for ±∞, since
//! JSON has no infinity) and `p = 0`. Empty input gives `p = 1` ("no
//! evidence"). NaN values in the input are not supported and propagate,
//! except where a function says otherwise.

use serde::{Deserialize, Serialize};

use super::describe::{mean, std_dev};
use super::distributions::{normal_two_sided_p, t_quantile, t_two_sided_p};
use crate::model::Interval;

/// Result of a t test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TTest {
    /// The t statistic (positive when the first sample's mean is larger).
    pub t: f64,
    /// Degrees of freedom (Welch-Satterthwaite for [`welch_t_test`]; may be fractional).
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Result of a Mann-Whitney U test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MannWhitney {
    /// U statistic of the first sample: the number of (a, b) pairs with
    /// a > b, ties counting one half.
    pub u: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Result of a one-sample t test of mean 0, with the confidence interval of the mean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OneSample {
    /// Number of values.
    pub n: usize,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (n - 1).
    pub sd: f64,
    /// t statistic of the mean against 0.
    pub t: f64,
    /// Degrees of freedom, n - 1 (0 when n < 2).
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Confidence interval of the mean (t-based).
    pub ci: Interval,
}

/// Result of a Wilcoxon signed-rank test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Wilcoxon {
    /// min(R⁺, R⁻): the smaller of the rank sums of positive and negative
    /// differences (scipy's two-sided statistic).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// The result for a standard error of 0: no evidence when the difference
/// `diff` is 0, certainty otherwise.
fn zero_spread(diff: f64, df: f64) -> TTest {
    if diff == 0.0 {
        TTest { t: 0.0, df, p: 1.0 }
    } else {
        TTest { t: f64::MAX.copysign(diff), df, p: 0.0 }
    }
}

/// Two-sided p-value of a difference `diff` whose standard error `se`
/// comes with `df` degrees of freedom (Student's t). A standard error that
/// is not above 0 means no spread at all: certainty when `diff` is not 0,
/// no evidence when it is, as the tests here say for samples with no spread.
pub fn difference_p(diff: f64, se: f64, df: f64) -> f64 {
    if se > 0.0 {
        t_two_sided_p(diff / se, df)
    } else {
        zero_spread(diff, df).p
    }
}

/// Welch's two-sample t test (unequal variances), two-sided, with
/// Welch-Satterthwaite degrees of freedom.
///
/// Tests whether `a` and `b` have the same mean; `t > 0` when `a`'s mean is
/// larger. Apply it to log times to compare geometric means (timing noise is
/// multiplicative). Degenerate input: an empty side gives `t = 0, df = 0,
/// p = 1`; a side with one value contributes no variance; zero total
/// variance follows the module rule (df is then `n_a + n_b - 2`).
pub fn welch_t_test(a: &[f64], b: &[f64]) -> TTest {
    let (na, nb) = (a.len(), b.len());
    if na == 0 || nb == 0 {
        return TTest { t: 0.0, df: 0.0, p: 1.0 };
    }
    let diff = mean(a) - mean(b);
    let sa = std_dev(a).powi(2) / na as f64;
    let sb = std_dev(b).powi(2) / nb as f64;
    let se2 = sa + sb;
    if se2 == 0.0 {
        return zero_spread(diff, (na + nb).saturating_sub(2) as f64);
    }
    let t = finite(diff / se2.sqrt());
    let part = |s: f64, n: usize| if n > 1 { s * s / (n - 1) as f64 } else { 0.0 };
    let df = se2 * se2 / (part(sa, na) + part(sb, nb));
    // The denominator can only underflow for absurdly small variances.
    let df = if df.is_finite() { df } else { (na + nb - 2) as f64 };
    TTest { t, df, p: t_two_sided_p(t, df) }
}

/// Mann-Whitney U test, two-sided, by the normal approximation with tie
/// correction and continuity correction (scipy's `method="asymptotic"`,
/// `use_continuity=True`).
///
/// `u` is the statistic of `a` (U₁ = R₁ - n₁(n₁+1)/2, midranks for ties); the
/// p-value uses max(U₁, U₂). Tests whether values of one sample tend to be
/// larger than the other's, without assuming a distribution, and is barely
/// moved by outliers. An empty side, or all values equal, give `p = 1`.
pub fn mann_whitney_u(a: &[f64], b: &[f64]) -> MannWhitney {
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    if a.is_empty() || b.is_empty() {
        return MannWhitney { u: 0.0, p: 1.0 };
    }
    let combined: Vec<f64> = a.iter().chain(b).copied().collect();
    let (ranks, tie_sum) = midranks(&combined);
    let r1: f64 = ranks[..a.len()].iter().sum();
    let u1 = r1 - n1 * (n1 + 1.0) / 2.0;
    let u2 = n1 * n2 - u1;
    let n = n1 + n2;
    let s = (n1 * n2 / 12.0 * ((n + 1.0) - tie_sum / (n * (n - 1.0)))).sqrt();
    let p = if s > 0.0 {
        let z = (u1.max(u2) - n1 * n2 / 2.0 - 0.5) / s;
        // z <= 0 means 2 * P(Z >= z) >= 1, which scipy clips to 1.
        if z > 0.0 {
            normal_two_sided_p(z)
        } else {
            1.0
        }
    } else {
        1.0
    };
    MannWhitney { u: u1, p }
}

/// One-sample t test of mean 0, two-sided, with the `confidence` interval of
/// the mean (`mean ± t_{(1+c)/2, n-1} · sd / √n`).
///
/// Used on paired log ratios `ln(candidate / reference)`: the exponentiated
/// interval is the interval of the geometric-mean ratio. Degenerate input:
/// fewer than 2 values give `t = 0, p = 1, df = 0` and the interval collapsed
/// on the mean (0 when empty); zero spread follows the module rule with a
/// collapsed interval. `confidence` is clamped to `[0, 1]` (NaN is 0) and the
/// interval's ends to ±`f64::MAX`.
pub fn one_sample_t(xs: &[f64], confidence: f64) -> OneSample {
    let n = xs.len();
    let m = mean(xs);
    let sd = std_dev(xs);
    let collapsed = Interval::new(m, m);
    if n < 2 {
        return OneSample { n, mean: m, sd, t: 0.0, df: 0.0, p: 1.0, ci: collapsed };
    }
    let df = (n - 1) as f64;
    let se = sd / (n as f64).sqrt();
    if se == 0.0 {
        let TTest { t, p, .. } = zero_spread(m, df);
        return OneSample { n, mean: m, sd, t, df, p, ci: collapsed };
    }
    let t = finite(m / se);
    let c = if confidence >= 0.0 { confidence.min(1.0) } else { 0.0 };
    let half = finite(t_quantile((1.0 + c) / 2.0, df) * se);
    let ci = Interval::new(finite(m - half), finite(m + half));
    OneSample { n, mean: m, sd, t, df, p: t_two_sided_p(t, df), ci }
}

/// Trimming of [`trimmed_t`] used for paired comparisons: 20% from each
/// tail, the usual choice for heavy-tailed data (Wilcox, *Introduction to
/// Robust Estimation and Hypothesis Testing*).
pub const DEFAULT_TRIM: f64 = 0.2;

/// Tukey-McLaughlin one-sample trimmed t-test of "the trimmed mean is 0",
/// with the confidence interval of the trimmed mean.
///
/// Why not the plain t-test: benchmark samples hit by an interrupt or a
/// preemption are outliers on one side of a pair, and a single one can
/// inflate the standard deviation of per-round log ratios tenfold. The
/// trimmed mean ignores the `trim` fraction at each end, and its standard
/// error comes from the winsorized variance, `s_w / ((1 - 2 trim) √n)`, with
/// `n - 2 floor(trim n) - 1` degrees of freedom. For symmetric data (log
/// ratios of exchangeable pairs are symmetric under "no difference") the
/// false-positive rate is α, and for normal data it loses only a few percent
/// of efficiency against the plain t-test.
///
/// In the result, `mean` is the trimmed mean and `sd` the winsorized
/// standard deviation. Fewer than 3 values give p = 1 and a collapsed interval.
pub fn trimmed_t(xs: &[f64], trim: f64, confidence: f64) -> OneSample {
    let n = xs.len();
    let trim = trim.clamp(0.0, 0.49);
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let g = (trim * n as f64).floor() as usize;
    let kept = &sorted[g.min(n)..n.saturating_sub(g).max(g.min(n))];
    let m = mean(kept);
    if n < 3 || kept.len() < 2 {
        return OneSample { n, mean: m, sd: 0.0, t: 0.0, df: 0.0, p: 1.0, ci: Interval::new(m, m) };
    }
    let (lo, hi) = (sorted[g], sorted[n - 1 - g]);
    let winsorized: Vec<f64> = sorted.iter().map(|&x| x.clamp(lo, hi)).collect();
    let sd = std_dev(&winsorized);
    let df = (kept.len() - 1) as f64;
    let se = sd / ((1.0 - 2.0 * trim) * (n as f64).sqrt());
    if se == 0.0 {
        let TTest { t, p, .. } = zero_spread(m, df);
        return OneSample { n, mean: m, sd, t, df, p, ci: Interval::new(m, m) };
    }
    let t = finite(m / se);
    let half = finite(t_quantile((1.0 + confidence.clamp(0.0, 1.0)) / 2.0, df) * se);
    OneSample { n, mean: m, sd, t, df, p: t_two_sided_p(t, df), ci: Interval::new(finite(m - half), finite(m + half)) }
}

/// Wilcoxon signed-rank test of paired differences against 0, two-sided,
/// as scipy's defaults (`zero_method="wilcox"`, no continuity correction,
/// `method="auto"`).
///
/// Zero differences are dropped (NaN ones too). The p-value is:
/// * exact (the null distribution of R⁺ over all 2ⁿ sign patterns) when
///   there are at most 50 differences, none zero and no ties;
/// * otherwise, with at most 13 differences, an exact sign-flip
///   permutation test on R⁺ (what scipy does there);
/// * otherwise the normal approximation with tie correction.
///
/// No non-zero differences give `statistic = 0, p = 1`.
pub fn wilcoxon_signed_rank(diffs: &[f64]) -> Wilcoxon {
    let n_all = diffs.iter().filter(|d| !d.is_nan()).count();
    let nonzero: Vec<f64> = diffs.iter().copied().filter(|&d| d != 0.0 && !d.is_nan()).collect();
    let count = nonzero.len();
    if count == 0 {
        return Wilcoxon { statistic: 0.0, p: 1.0 };
    }
    let abs: Vec<f64> = nonzero.iter().map(|d| d.abs()).collect();
    let (ranks, tie_sum) = midranks(&abs);
    let r_plus: f64 = nonzero.iter().zip(&ranks).filter(|(d, _)| **d > 0.0).map(|(_, r)| r).sum();
    let total = (count * (count + 1)) as f64 / 2.0;
    let r_minus = total - r_plus;
    let statistic = r_plus.min(r_minus);
    let has_zeros = n_all > count;
    let has_ties = tie_sum > 0.0;

    let p = if n_all <= 50 && !has_zeros && !has_ties {
        exact_signed_rank_p(count, r_plus)
    } else if n_all <= 13 {
        sign_flip_p(&ranks, r_plus)
    } else {
        let nf = count as f64;
        let mn = nf * (nf + 1.0) / 4.0;
        let se = ((nf * (nf + 1.0) * (2.0 * nf + 1.0) - tie_sum / 2.0) / 24.0).sqrt();
        if se > 0.0 {
            normal_two_sided_p((r_plus - mn) / se)
        } else {
            1.0
        }
    };
    Wilcoxon { statistic, p }
}

/// Exact two-sided p-value of the signed-rank sum `r_plus` for `n` distinct,
/// non-zero differences: `2 · min(P(W ≥ ⌊r⁺⌋), P(W ≤ ⌈r⁺⌉))`, capped at 1.
/// The distribution is counted exactly in integers (n <= 50, so counts fit
/// in u64).
fn exact_signed_rank_p(n: usize, r_plus: f64) -> f64 {
    let max = n * (n + 1) / 2;
    // counts[s] = number of subsets of {1..n} with sum s.
    let mut counts = vec![0u64; max + 1];
    counts[0] = 1;
    for rank in 1..=n {
        for s in (rank..=max).rev() {
            counts[s] += counts[s - rank];
        }
    }
    let total = 2f64.powi(n as i32);
    let lo = (r_plus.floor().max(0.0) as usize).min(max);
    let hi = (r_plus.ceil().max(0.0) as usize).min(max);
    let sf: u64 = counts[lo..].iter().sum();
    let cdf: u64 = counts[..=hi].iter().sum();
    (2.0 * sf.min(cdf) as f64 / total).min(1.0)
}

/// Exact sign-flip permutation p-value of `r_plus` given the (mid)ranks of
/// the non-zero differences: every one of the 2ⁿ sign patterns is equally
/// likely under the null. Only called for n <= 13 (8,192 patterns).
fn sign_flip_p(ranks: &[f64], r_plus: f64) -> f64 {
    let n = ranks.len();
    // scipy's tolerance for "equal" statistics in permutation tests.
    let gamma = (100.0 * f64::EPSILON * r_plus).abs();
    let (mut less, mut greater) = (0u64, 0u64);
    for mask in 0u32..(1u32 << n) {
        let r: f64 = ranks.iter().enumerate().filter(|(i, _)| mask >> i & 1 == 1).map(|(_, r)| r).sum();
        less += u64::from(r <= r_plus + gamma);
        greater += u64::from(r >= r_plus - gamma);
    }
    (2.0 * less.min(greater) as f64 / f64::from(1u32 << n)).min(1.0)
}

/// 1-based midranks of `values` (ties share the mean of their ranks) and the
/// tie term Σ(t³ - t) over groups of t equal values.
fn midranks(values: &[f64]) -> (Vec<f64>, f64) {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
    let mut ranks = vec![0.0; n];
    let mut tie_sum = 0.0;
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end (0-based) hold ranks start+1..=end.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        let t = (end - start) as f64;
        tie_sum += t * t * t - t;
        start = end;
    }
    (ranks, tie_sum)
}

/// `x` with ±∞ replaced by ±`f64::MAX` (NaN is left alone).
fn finite(x: f64) -> f64 {
    x.clamp(-f64::MAX, f64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_with_no_spread_is_certain_unless_it_is_zero() {
        assert_eq!(difference_p(0.1, 0.0, 5.0), 0.0);
        assert_eq!(difference_p(0.0, 0.0, 5.0), 1.0);
        assert_eq!(difference_p(0.1, f64::INFINITY, 5.0), 1.0);
        assert!((difference_p(2.0, 1.0, 10.0) - t_two_sided_p(2.0, 10.0)).abs() < 1e-15);
    }

    #[test]
    fn midranks_with_ties() {
        let (r, t) = midranks(&[3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(r, vec![4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(t, 24.0);
    }

    #[test]
    fn zero_variance_rules() {
        let same = welch_t_test(&[1.0, 1.0], &[1.0, 1.0, 1.0]);
        assert_eq!((same.t, same.p, same.df), (0.0, 1.0, 3.0));
        let diff = welch_t_test(&[2.0, 2.0], &[1.0, 1.0]);
        assert_eq!((diff.t, diff.p), (f64::MAX, 0.0));
        let diff = welch_t_test(&[1.0], &[2.0]);
        assert_eq!((diff.t, diff.p), (-f64::MAX, 0.0));
        let empty = welch_t_test(&[], &[1.0]);
        assert_eq!((empty.t, empty.df, empty.p), (0.0, 0.0, 1.0));

        let o = one_sample_t(&[0.5, 0.5, 0.5], 0.95);
        assert_eq!((o.t, o.p, o.ci), (f64::MAX, 0.0, Interval::new(0.5, 0.5)));
        let o = one_sample_t(&[0.0, 0.0], 0.95);
        assert_eq!((o.t, o.p), (0.0, 1.0));
        let o = one_sample_t(&[], 0.95);
        assert_eq!((o.n, o.mean, o.t, o.p, o.ci), (0, 0.0, 0.0, 1.0, Interval::new(0.0, 0.0)));
        let o = one_sample_t(&[3.0], 0.95);
        assert_eq!((o.p, o.ci), (1.0, Interval::new(3.0, 3.0)));
        let o = one_sample_t(&[1.0, 2.0, 3.0], 1.0);
        assert!(o.ci.lo.is_finite() && o.ci.hi.is_finite());
    }

    #[test]
    fn one_sided_welch_single_value() {
        // One side with one value contributes no variance; df is the other side's.
        let r = welch_t_test(&[1.0, 2.0, 3.0], &[5.0]);
        assert!((r.df - 2.0).abs() < 1e-12);
        assert!(r.p > 0.0 && r.p < 1.0);
    }

    #[test]
    fn mann_whitney_degenerate() {
        assert_eq!(mann_whitney_u(&[], &[1.0]), MannWhitney { u: 0.0, p: 1.0 });
        assert_eq!(mann_whitney_u(&[1.0, 1.0], &[1.0]), MannWhitney { u: 1.0, p: 1.0 });
        let r = mann_whitney_u(&[1.0, 2.0], &[1.5]);
        assert_eq!(r.u, 1.0);
        assert_eq!(r.p, 1.0);
    }

    #[test]
    fn wilcoxon_small_cases() {
        assert_eq!(wilcoxon_signed_rank(&[]), Wilcoxon { statistic: 0.0, p: 1.0 });
        assert_eq!(wilcoxon_signed_rank(&[0.0, 0.0]), Wilcoxon { statistic: 0.0, p: 1.0 });
        // scipy.stats.wilcoxon([1, 2, 3, 4, 5]): statistic 0, p = 2/32.
        let w = wilcoxon_signed_rank(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(w, Wilcoxon { statistic: 0.0, p: 0.0625 });
        // Exact p for n = 1 is 1 (2 * 1/2).
        assert_eq!(wilcoxon_signed_rank(&[-3.0]).p, 1.0);
        // With a tie (two |d| = 1), n <= 13: sign-flip permutation.
        // Ranks 1.5, 1.5, 3, 4; all positive: R+ = 10, only 1 of 16 patterns
        // reaches it, so p = 2/16.
        let w = wilcoxon_signed_rank(&[1.0, 1.0, 2.0, 3.0]);
        assert_eq!(w.p, 0.125);
        // Zeros are dropped, and their presence selects the permutation test.
        let w = wilcoxon_signed_rank(&[0.0, 1.0, 2.0, 3.0]);
        assert_eq!((w.statistic, w.p), (0.0, 0.25));
    }

    #[test]
    fn exact_distribution_sums_to_one() {
        // P(W <= max) = 1 and symmetry: p at the mean is 1.
        assert_eq!(exact_signed_rank_p(10, 27.5), 1.0);
        assert!((exact_signed_rank_p(10, 0.0) - 2.0 / 1024.0).abs() < 1e-18);
        assert!((exact_signed_rank_p(10, 55.0) - 2.0 / 1024.0).abs() < 1e-18);
    }
}

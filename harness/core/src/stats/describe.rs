//! Descriptive statistics: location, spread and percentiles of a sample, and
//! [`summarize`], which gathers all of them (with bootstrap confidence
//! intervals and outlier counts) into the [`Summary`] written to JSON.
//!
//! Conventions follow numpy so results can be checked against it: the sample
//! standard deviation divides by n - 1, percentiles interpolate linearly
//! between order statistics (R type 7, numpy's default), the median of an even
//! count is the mean of the two middle values.
//!
//! None of these functions panics or returns NaN for empty input: they return
//! 0.0, which callers that care must rule out by checking the length first.
//! NaN inside the input propagates (except where noted).

use super::bootstrap::{bootstrap_ci, bootstrap_mean, median_in_place, DEFAULT_RESAMPLES};
use super::order_ci::median_ci_order;
use super::outliers::tukey_outliers_sorted;
use crate::model::{Interval, Summary};

/// Scale factor that makes the median absolute deviation estimate the
/// standard deviation of normally distributed data (1 / Φ⁻¹(3/4), rounded as
/// everyone rounds it).
pub const MAD_SCALE: f64 = 1.4826;

/// Confidence level of the intervals in [`Summary`].
pub const SUMMARY_CONFIDENCE: f64 = 0.95;

/// Arithmetic mean; 0.0 for an empty slice.
///
/// Sums in four interleaved lanes: as accurate as a plain loop (a little
/// more), and several times faster, which matters inside the bootstrap.
pub fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let mut lanes = [0.0f64; 4];
    let chunks = xs.chunks_exact(4);
    let tail: f64 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (lane, x) in lanes.iter_mut().zip(chunk) {
            *lane += x;
        }
    }
    ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail) / xs.len() as f64
}

/// Median (mean of the two middle values for an even count); 0.0 for an
/// empty slice.
///
/// Works on a copy, ordered with [`f64::total_cmp`], so the input is left as it is.
pub fn median(xs: &[f64]) -> f64 {
    let mut copy = xs.to_vec();
    median_in_place(&mut copy)
}

/// The `p`-th percentile (`p` in 0..=100, clamped) of an ascending slice, by
/// linear interpolation between the two nearest order statistics: numpy's
/// default method, R's type 7. 0.0 for an empty slice.
///
/// Takes sorted input so that several percentiles of one sample cost one sort.
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    // NaN p is treated as 0 rather than poisoning the index arithmetic.
    let q = if p >= 0.0 { p.min(100.0) / 100.0 } else { 0.0 };
    let h = (n - 1) as f64 * q;
    let lo = (h.floor() as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    lerp(sorted[lo], sorted[hi], h - lo as f64)
}

/// Linear interpolation the way numpy does it (`_lerp`): from the nearer end,
/// so that `t = 1` gives `b` exactly.
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// Sample standard deviation (n - 1 in the denominator, two-pass); 0.0 when
/// there are fewer than two values, since spread cannot be estimated from one.
pub fn std_dev(xs: &[f64]) -> f64 {
    let n = xs.len();
    if n < 2 {
        return 0.0;
    }
    let m = mean(xs);
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    (ss / (n - 1) as f64).sqrt()
}

/// Raw median absolute deviation, `median(|x - median(x)|)`: a spread
/// measure that a few outliers cannot move. 0.0 for an empty slice.
pub fn mad_raw(xs: &[f64]) -> f64 {
    let m = median(xs);
    let mut dev: Vec<f64> = xs.iter().map(|x| (x - m).abs()).collect();
    median_in_place(&mut dev)
}

/// Median absolute deviation scaled by [`MAD_SCALE`] (1.4826), so that it
/// estimates the standard deviation of normal data and can be shown next to it.
pub fn mad(xs: &[f64]) -> f64 {
    MAD_SCALE * mad_raw(xs)
}

/// Geometric mean, `exp(mean(ln x))`: the right average of ratios and of
/// times that vary multiplicatively.
///
/// Only defined for positive values: returns 0.0 when the slice is empty or
/// any value is zero or negative (a time after overhead subtraction can be),
/// rather than NaN.
pub fn geometric_mean(xs: &[f64]) -> f64 {
    if xs.is_empty() || xs.iter().any(|&x| x <= 0.0) {
        return 0.0;
    }
    (xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp()
}

/// Median of an ascending slice (mean of the two middle values for an even count).
fn median_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// All descriptive statistics of per-iteration times, with 95% confidence
/// intervals of the median and the mean, and Tukey outlier counts.
///
/// * The median's interval is the distribution-free one from order
///   statistics ([`median_ci_order`]): coverage at least 95% for any
///   continuous distribution, assuming only independent samples. It is the
///   interval the sampler's stopping rule reads, so "CI ±x% reached" and the
///   interval shown agree. Below 6 values no pair of ranks reaches 95%, and
///   the percentile bootstrap of the median is given instead.
/// * The mean's interval is a seeded percentile bootstrap
///   ([`DEFAULT_RESAMPLES`] resamples), which assumes no shape either but
///   is approximate: it can undercover for small n and heavy tails.
///
/// `None` when `values` holds no finite value. Non-finite values (NaN, ±∞)
/// cannot come from a clock and would make every field NaN, which JSON cannot
/// hold, so they are left out and `n` counts only the finite values.
///
/// Every field is finite: one value gives a standard deviation and MAD of 0
/// and confidence intervals `[x, x]`. `regression` is left `None`: fitting
/// needs the iteration counts, which the caller has.
///
/// The mean interval equals `bootstrap_ci(values, mean_of, 0.95,
/// DEFAULT_RESAMPLES, seed)` up to the rounding of a sum in another order.
pub fn summarize(values: &[f64], seed: u64) -> Option<Summary> {
    summarize_reusing(values, seed, None)
}

/// [`summarize`], keeping the mean's bootstrap interval from `cached` (a
/// summary of the same values read from a file) when it is one a
/// percentile bootstrap of `values` can give: finite, in order, and inside
/// `[min, max]`, as every resampled mean is. Everything else is computed
/// afresh; the interval is resampled only when the cached one is
/// impossible, because resampling is what makes loading many files slow.
///
/// A cached interval can still be moved within `[min, max]` by hand; the
/// median, its interval (order statistics from 6 values, re-bootstrapped
/// below: cheap at that size) and every other field cannot.
pub fn summarize_reusing(values: &[f64], seed: u64, cached: Option<&Summary>) -> Option<Summary> {
    let owned: Vec<f64>;
    let values = if values.iter().all(|x| x.is_finite()) {
        values
    } else {
        owned = values.iter().copied().filter(|x| x.is_finite()).collect();
        &owned
    };
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let med = median_sorted(&sorted);
    let mut dev: Vec<f64> = sorted.iter().map(|x| (x - med).abs()).collect();
    let mad = MAD_SCALE * median_in_place(&mut dev);

    // The order-statistic interval is exact for any distribution and is the
    // one the sampler's stopping rule reads; below 6 values none reaches
    // 95%, and the bootstrap gives the (narrower, less sure) interval.
    let median_ci = median_ci_order(&sorted, SUMMARY_CONFIDENCE)
        .unwrap_or_else(|| bootstrap_ci(values, median_in_place, SUMMARY_CONFIDENCE, DEFAULT_RESAMPLES, seed));
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    // A resampled mean is summed in another order than `min` and `max` are
    // read: allow its round-off.
    let slack = 1e-12 * max.abs().max(min.abs());
    let possible = |ci: &Interval| {
        ci.lo.is_finite() && ci.hi.is_finite() && min - slack <= ci.lo && ci.lo <= ci.hi && ci.hi <= max + slack
    };
    let mean_ci = match cached.map(|c| c.mean_ci).filter(possible) {
        Some(ci) => ci,
        None => bootstrap_mean(values, SUMMARY_CONFIDENCE, DEFAULT_RESAMPLES, seed),
    };

    Some(Summary {
        n: values.len(),
        mean: mean(values),
        median: med,
        std_dev: std_dev(values),
        mad,
        min,
        max,
        p5: percentile_sorted(&sorted, 5.0),
        p25: percentile_sorted(&sorted, 25.0),
        p75: percentile_sorted(&sorted, 75.0),
        p95: percentile_sorted(&sorted, 95.0),
        median_ci,
        mean_ci,
        outliers: tukey_outliers_sorted(&sorted),
        regression: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_single() {
        assert_eq!(mean(&[]), 0.0);
        assert_eq!(median(&[]), 0.0);
        assert_eq!(percentile_sorted(&[], 50.0), 0.0);
        assert_eq!(std_dev(&[]), 0.0);
        assert_eq!(std_dev(&[3.0]), 0.0);
        assert_eq!(mad(&[]), 0.0);
        assert_eq!(geometric_mean(&[]), 0.0);
        assert!(summarize(&[], 1).is_none());
        assert!(summarize(&[f64::NAN], 1).is_none());

        let s = summarize(&[5.0], 1).unwrap();
        assert_eq!((s.n, s.mean, s.median, s.std_dev, s.mad), (1, 5.0, 5.0, 0.0, 0.0));
        assert_eq!(s.median_ci, crate::model::Interval::new(5.0, 5.0));
        assert_eq!(s.mean_ci, crate::model::Interval::new(5.0, 5.0));
        assert_eq!((s.p5, s.p95, s.min, s.max), (5.0, 5.0, 5.0, 5.0));
    }

    #[test]
    fn percentiles_interpolate() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile_sorted(&s, 0.0), 1.0);
        assert_eq!(percentile_sorted(&s, 100.0), 4.0);
        assert_eq!(percentile_sorted(&s, 50.0), 2.5);
        assert_eq!(percentile_sorted(&s, 25.0), 1.75);
        assert_eq!(percentile_sorted(&s, 150.0), 4.0);
        assert_eq!(percentile_sorted(&s, -1.0), 1.0);
        assert_eq!(percentile_sorted(&s, f64::NAN), 1.0);
    }

    #[test]
    fn medians_and_geometric_mean() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(mad_raw(&[1.0, 2.0, 3.0, 4.0, 100.0]), 1.0);
        assert!((geometric_mean(&[1.0, 4.0]) - 2.0).abs() < 1e-15);
        assert_eq!(geometric_mean(&[1.0, 0.0]), 0.0);
        assert_eq!(geometric_mean(&[1.0, -1.0]), 0.0);
    }

    #[test]
    fn summarize_skips_non_finite() {
        let s = summarize(&[1.0, f64::NAN, 3.0, f64::INFINITY], 9).unwrap();
        assert_eq!(s.n, 2);
        assert_eq!(s.mean, 2.0);
    }
}

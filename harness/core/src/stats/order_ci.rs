//! Distribution-free confidence interval of the median from order statistics.
//!
//! For n values from any continuous distribution, the number of values below
//! the true median is Binomial(n, 1/2). So the interval between the k-th
//! smallest and the k-th largest value misses the median with probability
//! `2 * P(B <= k - 1)`, whatever the distribution. Choosing the largest k
//! whose miss probability is at most `1 - confidence` gives the narrowest
//! such interval with coverage at least `confidence`.
//!
//! It needs no resampling, so the sampler can evaluate it after every sample
//! in its stopping rule: the cost is O(n) multiplications for n <= 1000
//! (exact binomial tail) and O(1) above (normal approximation, whose error
//! there is far below one rank).

use super::distributions::normal_quantile;
use crate::model::Interval;

/// Largest n for which ranks come from the exact binomial distribution.
const EXACT_MAX_N: usize = 1000;

/// Confidence interval `[x_(k), x_(n+1-k)]` of the median of `sorted`
/// (ascending), with coverage at least `confidence` for any continuous
/// distribution (exactly computed for n <= 1000, by the normal approximation
/// with continuity correction above).
///
/// `None` when n is too small for the confidence: no pair of ranks reaches it
/// (at 95%: n < 6, since even `[min, max]` covers only 1 - 2/2ⁿ), or when
/// `confidence` is NaN or >= 1.
pub fn median_ci_order(sorted: &[f64], confidence: f64) -> Option<Interval> {
    let n = sorted.len();
    let k = median_ci_rank(n, confidence)?;
    Some(Interval::new(sorted[k - 1], sorted[n - k]))
}

/// The 1-based lower rank k of the interval for `n` values, if any.
pub(crate) fn median_ci_rank(n: usize, confidence: f64) -> Option<usize> {
    if n == 0 || confidence.is_nan() || confidence >= 1.0 {
        return None;
    }
    let confidence = confidence.max(0.0);
    let k = if n <= EXACT_MAX_N { exact_rank(n, confidence) } else { approx_rank(n, confidence) };
    (k >= 1).then_some(k)
}

/// Largest k <= (n + 1) / 2 with `P(B <= k - 1) <= (1 - confidence) / 2`,
/// B ~ Binomial(n, 1/2); 0 when even k = 1 fails. Valid for n <= 1022 (2⁻ⁿ
/// must stay a normal f64).
fn exact_rank(n: usize, confidence: f64) -> usize {
    let half_alpha = (1.0 - confidence) / 2.0;
    let mut pmf = 0.5f64.powi(n as i32); // P(B = 0)
    let mut cdf = 0.0;
    let mut k = 0;
    for j in 0..n.div_ceil(2) {
        cdf += pmf; // P(B <= j)
        if cdf > half_alpha {
            break;
        }
        k = j + 1;
        pmf *= (n - j) as f64 / (j + 1) as f64;
    }
    k
}

/// The normal approximation of [`exact_rank`] with continuity correction:
/// `P(B <= k - 1) ≈ Φ((k - 1/2 - n/2) / (√n / 2))`.
fn approx_rank(n: usize, confidence: f64) -> usize {
    let z = normal_quantile((1.0 + confidence) / 2.0);
    let nf = n as f64;
    let k = (nf / 2.0 + 0.5 - z * nf.sqrt() / 2.0).floor();
    if k < 1.0 {
        0
    } else {
        (k as usize).min(n.div_ceil(2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact two-sided coverage of ranks (k, n + 1 - k), in log space so it
    /// works for any n.
    fn coverage(n: usize, k: usize) -> f64 {
        let ln_half_n = -(n as f64) * std::f64::consts::LN_2;
        let mut ln_choose = 0.0;
        let mut tail = 0.0;
        for j in 0..k {
            tail += (ln_choose + ln_half_n).exp();
            ln_choose += ((n - j) as f64).ln() - ((j + 1) as f64).ln();
        }
        1.0 - 2.0 * tail
    }

    #[test]
    fn small_n() {
        assert_eq!(median_ci_rank(5, 0.95), None);
        assert_eq!(median_ci_rank(6, 0.95), Some(1));
        assert_eq!(median_ci_rank(0, 0.5), None);
        assert_eq!(median_ci_rank(10, 1.0), None);
        assert_eq!(median_ci_rank(10, f64::NAN), None);
        // Known table values (e.g. Conover): n = 20 -> ranks 6 and 15 at 95%.
        assert_eq!(median_ci_rank(20, 0.95), Some(6));
        let xs: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(median_ci_order(&xs, 0.95), Some(Interval::new(6.0, 15.0)));
        // Confidence 0 gives the median itself (odd n) or the two middle values.
        assert_eq!(median_ci_order(&[1.0, 2.0, 3.0], 0.0), Some(Interval::new(2.0, 2.0)));
    }

    #[test]
    fn exact_ranks_are_tight() {
        for &c in &[0.9, 0.95, 0.99] {
            for n in 1..=EXACT_MAX_N {
                if let Some(k) = median_ci_rank(n, c) {
                    assert!(coverage(n, k) >= c, "n {n} k {k}");
                    if k < n.div_ceil(2) {
                        assert!(coverage(n, k + 1) < c, "n {n}: k {k} not the largest");
                    }
                }
            }
        }
    }

    #[test]
    fn approximation_above_exact_range() {
        // Where both are computable the approximation agrees with the exact
        // ranks to within one, and its coverage is within 0.002 of the target.
        for n in (EXACT_MAX_N + 1)..=1022 {
            let a = approx_rank(n, 0.95);
            let e = exact_rank(n, 0.95);
            assert!(a.abs_diff(e) <= 1, "n {n}: approx {a} exact {e}");
            assert!(coverage(n, a) > 0.948, "n {n}");
        }
        for &n in &[5_000, 100_000] {
            let k = median_ci_rank(n, 0.95).unwrap();
            assert!((coverage(n, k) - 0.95).abs() < 0.002, "n {n}");
        }
    }
}

//! Serial correlation: when consecutive measurements are not independent.
//!
//! The paired test treats each interleaved round as independent evidence.
//! A benchmark's own noise can be serially correlated, though — a cache
//! state, a frequency step or a neighbour's burst that lasts several
//! rounds and hits one side of the pair more than the other — and then
//! n rounds carry less information than n independent ones: at lag-1
//! autocorrelation ρ = 0.5 the variance of a mean is about three times what
//! the i.i.d. formula says, and a test at α = 0.01 calls identical code
//! different about 6% of the time.
//!
//! The correction used here is the AR(1) plug-in estimate of the long-run
//! variance (Andrews 1991): the variance of the mean is multiplied by
//! `(1 + ρ) / (1 - ρ)`, with ρ the lag-1 autocorrelation of the
//! (winsorized) series. **Assumes** the dependence decays like an AR(1)
//! process; for other short-range dependence it is an approximation that
//! errs on the side of wider intervals when ρ > 0. Negative ρ (which would
//! narrow the interval) is treated as 0, and ρ is capped at
//! [`MAX_RHO`] so a near-trend cannot make the factor explode. It was chosen
//! over a Newey–West kernel estimate because with the few dozen rounds a
//! run often has, a kernel with the usual bandwidth (about 4 lags at n =
//! 100) recovers only about two thirds of the AR(1) factor, which is not
//! enough to keep the false-positive rate at its nominal level.

use super::describe::{mean, percentile_sorted};

/// Largest lag-1 autocorrelation used in the correction.
pub const MAX_RHO: f64 = 0.9;

/// Lag-1 autocorrelation at or above which rounds are called correlated
/// in the output.
pub const WARN_RHO: f64 = 0.3;

/// Lag-1 sample autocorrelation of `xs` in the order given, after
/// winsorizing at the 20th and 80th percentiles so a few preempted rounds
/// cannot dominate it. `None` for fewer than 4 values or no spread.
pub fn lag1_autocorrelation(xs: &[f64]) -> Option<f64> {
    if xs.len() < 4 {
        return None;
    }
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (lo, hi) = (percentile_sorted(&sorted, 20.0), percentile_sorted(&sorted, 80.0));
    let w: Vec<f64> = xs.iter().map(|x| x.clamp(lo, hi)).collect();
    let m = mean(&w);
    let var: f64 = w.iter().map(|x| (x - m).powi(2)).sum();
    if var <= 0.0 {
        return None;
    }
    let cov: f64 = w.windows(2).map(|p| (p[0] - m) * (p[1] - m)).sum();
    Some(cov / var)
}

/// The factor by which serial correlation multiplies the variance of a
/// mean of `xs`: `(1 + ρ) / (1 - ρ)` with ρ from [`lag1_autocorrelation`]
/// (bias-corrected) clamped to `[0, MAX_RHO]`; 1 when ρ cannot be estimated.
/// The series then holds about n / factor independent values, which is
/// also what the test's degrees of freedom should count.
pub fn variance_inflation(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    // The sample autocorrelation of an AR(1) series is biased towards 0 by
    // about (1 + 3ρ)/n (Kendall 1954); corrected, as small runs are common.
    let rho = lag1_autocorrelation(xs).map_or(0.0, |r| r + (1.0 + 3.0 * r) / n).clamp(0.0, MAX_RHO);
    (1.0 + rho) / (1.0 - rho)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{seeded, standard_normal};

    #[test]
    fn autocorrelation_of_known_series() {
        // numpy: x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] winsorized at the 20th/80th
        // percentiles (2.8, 8.2); r1 = sum((w[:-1]-m)*(w[1:]-m)) / sum((w-m)**2).
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        let r = lag1_autocorrelation(&x).unwrap();
        let w: Vec<f64> = x.iter().map(|v| v.clamp(2.8, 8.2)).collect();
        let m = w.iter().sum::<f64>() / 10.0;
        let expected =
            w.windows(2).map(|p| (p[0] - m) * (p[1] - m)).sum::<f64>() / w.iter().map(|v| (v - m).powi(2)).sum::<f64>();
        assert!((r - expected).abs() < 1e-12 && r > 0.5, "{r}");
        let alternating: Vec<f64> = (0..20).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 }).collect();
        assert!(lag1_autocorrelation(&alternating).unwrap() < -0.9);
        assert_eq!(variance_inflation(&alternating), 1.0, "negative correlation never narrows");
        assert!(lag1_autocorrelation(&[1.0, 1.0, 1.0, 1.0]).is_none());
    }

    #[test]
    fn ar1_series_get_about_their_true_factor() {
        // AR(1) with ρ = 0.5: the long-run variance factor is 3.
        let mut rng = seeded(5);
        let mut factors = Vec::new();
        for _ in 0..200 {
            let mut e = 0.0;
            let xs: Vec<f64> = (0..400)
                .map(|_| {
                    e = 0.5 * e + standard_normal(&mut rng);
                    e
                })
                .collect();
            factors.push(variance_inflation(&xs));
        }
        let m = factors.iter().sum::<f64>() / factors.len() as f64;
        assert!((2.4..=3.3).contains(&m), "mean factor {m}");
    }
}

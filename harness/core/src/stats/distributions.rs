//! Quantiles and tail probabilities of the t and normal distributions.
//!
//! Thin wrappers on `statrs`, so that the rest of metron never builds
//! distribution objects or handles their construction errors, and so that
//! out-of-range arguments give a documented value instead of a panic
//! (`statrs` asserts on probabilities outside `[0, 1]`).
//!
//! Tail probabilities are computed from the survival function directly, not
//! as `1 - cdf`, so p-values as small as 1e-300 keep their relative accuracy.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Degrees of freedom above which the t distribution is replaced by the
/// normal: the difference is far below f64 resolution of any p-value we report.
const T_AS_NORMAL_DF: f64 = 1e12;

/// The standard normal distribution.
fn std_normal() -> Normal {
    Normal::standard()
}

/// Quantile `p` of Student's t distribution with `df` degrees of freedom
/// (`t_quantile(0.975, 29)` = 2.045…, the multiplier of a 95% interval).
///
/// `p <= 0` gives -∞ and `p >= 1` gives +∞; NaN `p`, or `df` that is NaN or
/// not positive, give NaN (these are caller errors, not data).
/// Very large or infinite `df` use the normal distribution.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if p.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if df > T_AS_NORMAL_DF {
        return normal_quantile(p);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => polish_t_quantile(&t, p, t.inverse_cdf(p)),
        Err(_) => f64::NAN,
    }
}

/// A few Newton steps on `cdf(x) = p`: statrs's inverse incomplete beta is
/// accurate to about 1e-9 relative, the CDF itself to near machine precision,
/// so polishing brings quantiles to the precision of the CDF.
fn polish_t_quantile(t: &StudentsT, p: f64, mut x: f64) -> f64 {
    use statrs::distribution::Continuous;
    if !x.is_finite() {
        return x;
    }
    for _ in 0..3 {
        // cdf(x) - p, computed from the tail x is in so it keeps its precision.
        let residual = if x > 0.0 { (1.0 - p) - t.sf(x) } else { t.cdf(x) - p };
        let density = t.pdf(x);
        if density.is_nan() || density <= 0.0 || !residual.is_finite() {
            break;
        }
        let next = x - residual / density;
        if !next.is_finite() || next == x {
            break;
        }
        x = next;
    }
    x
}

/// Quantile `p` of the standard normal distribution
/// (`normal_quantile(0.975)` = 1.959963…).
///
/// `p <= 0` gives -∞, `p >= 1` gives +∞, NaN gives NaN.
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    std_normal().inverse_cdf(p)
}

/// Two-sided p-value of a t statistic: `P(|T| >= |t|)` with `df` degrees of freedom.
///
/// Always in `[0, 1]`: t = ±∞ (or ±`f64::MAX`) gives 0; NaN `t`, or `df`
/// that is NaN or not positive (no information), give 1.
pub fn t_two_sided_p(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return 1.0;
    }
    if df > T_AS_NORMAL_DF {
        return normal_two_sided_p(t);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(dist) => (2.0 * dist.sf(t.abs())).clamp(0.0, 1.0),
        Err(_) => 1.0,
    }
}

/// Two-sided p-value of a standard normal statistic: `P(|Z| >= |z|)`.
///
/// Always in `[0, 1]`; NaN `z` gives 1.
pub fn normal_two_sided_p(z: f64) -> f64 {
    if z.is_nan() {
        return 1.0;
    }
    (2.0 * std_normal().sf(z.abs())).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for &df in &[1.0, 2.5, 7.0, 30.0, 500.0] {
            for &p in &[0.001, 0.05, 0.3, 0.5, 0.9, 0.975, 0.9999] {
                let q = t_quantile(p, df);
                let back = StudentsT::new(0.0, 1.0, df).unwrap().cdf(q);
                assert!((back - p).abs() < 1e-13, "df {df} p {p}: {back}");
            }
        }
        assert_eq!(t_quantile(0.5, 10.0), 0.0);
        assert!((t_two_sided_p(t_quantile(0.975, 12.0), 12.0) - 0.05).abs() < 1e-13);
        // statrs's erfc is accurate to about 1e-10 relative (its quantile to
        // near machine precision), so the normal round trip is looser.
        assert!((normal_two_sided_p(normal_quantile(0.975)) - 0.05).abs() < 1e-11);
    }

    #[test]
    fn out_of_range() {
        assert_eq!(t_quantile(0.0, 5.0), f64::NEG_INFINITY);
        assert_eq!(t_quantile(1.0, 5.0), f64::INFINITY);
        assert!(t_quantile(0.5, 0.0).is_nan());
        assert_eq!(normal_quantile(-1.0), f64::NEG_INFINITY);
        assert_eq!(t_two_sided_p(f64::MAX, 5.0), 0.0);
        assert_eq!(t_two_sided_p(0.0, 5.0), 1.0);
        assert_eq!(t_two_sided_p(2.0, 0.0), 1.0);
        assert_eq!(t_two_sided_p(f64::NAN, 3.0), 1.0);
        assert_eq!(normal_two_sided_p(f64::INFINITY), 0.0);
        assert!((t_quantile(0.975, f64::INFINITY) - 1.959963984540054).abs() < 1e-12);
    }
}

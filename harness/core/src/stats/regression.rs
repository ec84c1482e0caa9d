//! Least-squares lines through (iterations, sample time) points.
//!
//! When samples time different iteration counts, the slope of time against
//! iterations is the cost of one iteration with the constant per-sample
//! overhead (timer reads, loop set-up) separated into the intercept.

use crate::model::Regression;

/// Ordinary least squares fit `y = slope * x + intercept`, with the
/// coefficient of determination R².
///
/// Pairs are taken up to the shorter of the two slices. `None` when there are
/// fewer than 2 points, when all `x` are equal (no slope is defined), or when
/// the fit is not finite. R² is 1 when all `y` are equal (the flat line fits
/// them exactly).
pub fn ols(x: &[f64], y: &[f64]) -> Option<Regression> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let (x, y) = (&x[..n], &y[..n]);
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for (&xi, &yi) in x.iter().zip(y) {
        let (dx, dy) = (xi - mx, yi - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let r_squared = if syy > 0.0 { (sxy * sxy / (sxx * syy)).min(1.0) } else { 1.0 };
    let fit = Regression { slope, intercept, r_squared };
    (slope.is_finite() && intercept.is_finite() && r_squared.is_finite()).then_some(fit)
}

/// Least-squares slope of `y = slope * x` (no intercept): `Σxy / Σx²`.
///
/// Criterion's estimator: appropriate when the overhead per sample is known to
/// be negligible. Pairs are taken up to the shorter slice; `None` when there
/// are no points, all `x` are zero, or the result is not finite.
pub fn slope_through_origin(x: &[f64], y: &[f64]) -> Option<f64> {
    let (sxy, sxx) = x.iter().zip(y).fold((0.0, 0.0), |(sxy, sxx), (&xi, &yi)| (sxy + xi * yi, sxx + xi * xi));
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    slope.is_finite().then_some(slope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_line() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [12.0, 22.0, 32.0, 42.0];
        let r = ols(&x, &y).unwrap();
        assert!((r.slope - 10.0).abs() < 1e-12 && (r.intercept - 2.0).abs() < 1e-12);
        assert!((r.r_squared - 1.0).abs() < 1e-12);
        let s = slope_through_origin(&x, &[10.0, 20.0, 30.0, 40.0]).unwrap();
        assert!((s - 10.0).abs() < 1e-12);
    }

    #[test]
    fn degenerate() {
        assert!(ols(&[1.0], &[1.0]).is_none());
        assert!(ols(&[2.0, 2.0, 2.0], &[1.0, 2.0, 3.0]).is_none());
        assert_eq!(ols(&[1.0, 2.0], &[5.0, 5.0]).unwrap().r_squared, 1.0);
        assert!(slope_through_origin(&[], &[]).is_none());
        assert!(slope_through_origin(&[0.0, 0.0], &[1.0, 2.0]).is_none());
    }
}

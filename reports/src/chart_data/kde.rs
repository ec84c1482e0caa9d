//! Gaussian kernel density estimates with Silverman's rule-of-thumb bandwidth,
//! the smooth outline of a distribution chart.
//!
//! Silverman's rule, `h = 0.9 · min(σ, IQR / 1.34) · n^(-1/5)`, is robust to
//! the long right tail timing data nearly always has (the IQR term keeps a
//! few huge outliers from flattening the shape). Very long samples are first
//! binned onto a fine grid, which changes the estimate by far less than a
//! pixel and keeps the cost independent of the sample count.

use metron::stats::percentile_sorted;

/// Bins used instead of the raw values beyond this many values.
const MAX_DIRECT: usize = 2_000;
/// Bins for long samples.
const BINS: usize = 1_024;
/// Kernels are cut off this many bandwidths from their centre.
const CUTOFF: f64 = 5.0;

/// A density evaluated on an even grid.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Density {
    /// The bandwidth used.
    pub bandwidth: f64,
    /// `(x, density)` pairs, ascending in `x`.
    pub points: Vec<(f64, f64)>,
}

impl Density {
    /// The largest density value (0 for an empty estimate).
    pub fn peak(&self) -> f64 {
        self.points.iter().map(|p| p.1).fold(0.0, f64::max)
    }
}

/// Silverman's bandwidth for an ascending sample; never 0 for a sample with
/// at least one value (a spread-free sample gets a small width relative to
/// its value, so it still draws as a narrow spike).
pub(crate) fn silverman_bandwidth(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 1.0;
    }
    let sd = metron::stats::std_dev(sorted);
    let iqr = percentile_sorted(sorted, 75.0) - percentile_sorted(sorted, 25.0);
    let spread = match (sd > 0.0, iqr > 0.0) {
        (true, true) => sd.min(iqr / 1.34),
        (true, false) => sd,
        (false, true) => iqr / 1.34,
        (false, false) => 0.0,
    };
    let h = 0.9 * spread * (n as f64).powf(-0.2);
    if h > 0.0 && h.is_finite() {
        h
    } else {
        let scale = percentile_sorted(sorted, 50.0).abs();
        if scale > 0.0 {
            scale * 1e-3
        } else {
            1.0
        }
    }
}

/// The density of an ascending sample at `grid` evenly spaced points from
/// `lo` to `hi`, with Silverman's bandwidth. Integrates to about 1 over the
/// whole line.
pub(crate) fn kde(sorted: &[f64], lo: f64, hi: f64, grid: usize) -> Density {
    let bandwidth = silverman_bandwidth(sorted);
    let weighted = weights(sorted);
    let total: f64 = weighted.iter().map(|w| w.1).sum();
    let norm = 1.0 / (total.max(1.0) * bandwidth * (2.0 * std::f64::consts::PI).sqrt());
    let steps = grid.max(2) - 1;
    let points = (0..=steps)
        .map(|i| {
            let x = lo + (hi - lo) * i as f64 / steps as f64;
            (x, norm * kernel_sum(&weighted, x, bandwidth))
        })
        .collect();
    Density { bandwidth, points }
}

/// Sum of Gaussian kernels at `x` over ascending `(centre, weight)` pairs.
fn kernel_sum(weighted: &[(f64, f64)], x: f64, h: f64) -> f64 {
    let start = weighted.partition_point(|w| w.0 < x - CUTOFF * h);
    weighted[start..]
        .iter()
        .take_while(|w| w.0 <= x + CUTOFF * h)
        .map(|&(c, w)| {
            let u = (x - c) / h;
            w * (-0.5 * u * u).exp()
        })
        .sum()
}

/// The values with weight 1, or for long samples the centres of occupied
/// bins with their counts.
fn weights(sorted: &[f64]) -> Vec<(f64, f64)> {
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    if sorted.len() <= MAX_DIRECT || max <= min {
        return sorted.iter().map(|&v| (v, 1.0)).collect();
    }
    let width = (max - min) / BINS as f64;
    let mut counts = vec![0.0; BINS];
    for &v in sorted {
        let i = (((v - min) / width) as usize).min(BINS - 1);
        counts[i] += 1.0;
    }
    counts.into_iter().enumerate().filter(|(_, c)| *c > 0.0).map(|(i, c)| (min + (i as f64 + 0.5) * width, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silverman_matches_the_formula() {
        // sd of 1..=5 is 1.5811; IQR = 2, /1.34 = 1.4925 (the smaller).
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        let want = 0.9 * (2.0 / 1.34) * 5f64.powf(-0.2);
        assert!((silverman_bandwidth(&xs) - want).abs() < 1e-12);
        assert!(silverman_bandwidth(&[7.0, 7.0, 7.0]) > 0.0);
        assert!(silverman_bandwidth(&[0.0]) > 0.0);
    }

    #[test]
    fn standard_normal_density_is_recovered() {
        let mut rng = metron::stats::seeded(11);
        let mut xs: Vec<f64> = (0..5_000).map(|_| metron::stats::standard_normal(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        let d = kde(&xs, -4.0, 4.0, 161);
        let peak = d.points.iter().find(|p| p.0.abs() < 1e-9).unwrap().1;
        // 1/sqrt(2π) = 0.3989, smoothed by the bandwidth a little.
        assert!((peak - 0.3989).abs() < 0.03, "peak {peak}");
        let area: f64 = d.points.windows(2).map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0).sum();
        assert!((area - 1.0).abs() < 0.01, "area {area}");
    }
}

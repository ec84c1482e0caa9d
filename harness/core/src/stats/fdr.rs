//! False-discovery-rate control for many comparisons at once.
//!
//! Comparing 40 benchmarks against a baseline at α = 0.05 flags about two of
//! them as changed by chance alone. The Benjamini-Hochberg procedure adjusts
//! the p-values so that, among the benchmarks flagged at level q, the
//! expected fraction of false alarms is at most q.

/// Benjamini-Hochberg adjusted p-values, in the input order (as
/// `scipy.stats.false_discovery_control(p, method="bh")`).
///
/// With the p-values sorted ascending, `p_(i)` becomes
/// `min_{j >= i} p_(j) · m / j`, capped at 1. Reject the hypotheses whose
/// adjusted value is at most q. Input values are clamped to `[0, 1]` and NaN
/// is treated as 1 (no evidence), so the output is always in `[0, 1]`.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let clean: Vec<f64> = p
        .iter()
        .map(|&x| {
            if x >= 0.0 {
                x.min(1.0)
            } else if x.is_nan() {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| clean[i].total_cmp(&clean[j]));
    let mut adjusted = vec![0.0; m];
    let mut running_min = f64::INFINITY;
    for (pos, &i) in order.iter().enumerate().rev() {
        let scaled = clean[i] * (m as f64 / (pos + 1) as f64);
        running_min = running_min.min(scaled);
        adjusted[i] = running_min.min(1.0);
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_example() {
        // By hand: sorted 0.01, 0.02, 0.03, 0.5 -> 0.04, 0.04, 0.04, 0.5.
        let adj = benjamini_hochberg(&[0.5, 0.03, 0.01, 0.02]);
        let expected = [0.5, 0.04, 0.04, 0.04];
        for (a, e) in adj.iter().zip(expected) {
            assert!((a - e).abs() < 1e-15, "{adj:?}");
        }
        assert!(benjamini_hochberg(&[]).is_empty());
        assert_eq!(benjamini_hochberg(&[f64::NAN, 2.0, -1.0]), vec![1.0, 1.0, 0.0]);
    }
}

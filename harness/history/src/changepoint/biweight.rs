//! The biweight segment cost of Fearnhead & Rigaill (2019, "Changepoint
//! detection in the presence of outliers", JASA 114:525): a point's loss is
//! its squared standardised distance from the segment's level, capped at
//! `k²`. Up to `k` standard errors away a run counts as a Gaussian
//! observation; beyond that it costs the same however far it is, so one
//! disturbed run (a noisy neighbour on the CI machine) can neither move a
//! level nor pay for a change point of its own.
//!
//! The cost of a segment is the minimum of that loss over the level. The
//! loss is not convex, so the minimum is found exactly by a sweep: the set
//! of points within `k` standard errors of the level changes only at
//! `xᵢ ± k·sᵢ`, and between two such events the loss is a quadratic whose
//! minimum is the weighted mean of the points inside (clamped to the
//! interval). Written by hand because no maintained crate offers a robust
//! changepoint cost; the sweep is `O(m log m)` for `m` points.

/// The fitted level of a segment and what it cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fit {
    /// The minimum of the capped loss.
    pub cost: f64,
    /// The level that attains it.
    pub level: f64,
    /// Sum of the weights of the points within `k` standard errors of the
    /// level: the precision of the level (its variance is the reciprocal).
    pub weight: f64,
}

/// One end of a point's inlier window.
struct Event {
    at: f64,
    /// +1 when the window opens, -1 when it closes.
    sign: f64,
    x: f64,
    w: f64,
}

/// Fits one level to `x` (log run values) with weights `w` (reciprocal
/// variances), capping each point's loss at `k²`.
///
/// An empty segment costs nothing and has no level (`NaN`).
pub(crate) fn fit(x: &[f64], w: &[f64], k: f64) -> Fit {
    let cap = k * k;
    let m = x.len() as f64;
    let mut events = Vec::with_capacity(2 * x.len());
    for (&x, &w) in x.iter().zip(w) {
        let half = k / w.sqrt();
        events.push(Event { at: x - half, sign: 1.0, x, w });
        events.push(Event { at: x + half, sign: -1.0, x, w });
    }
    events.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut best = Fit { cost: m * cap, level: f64::NAN, weight: 0.0 };
    let (mut s0, mut s1, mut s2, mut inside) = (0.0, 0.0, 0.0, 0.0);
    for (j, e) in events.iter().enumerate() {
        s0 += e.sign * e.w;
        s1 += e.sign * e.w * e.x;
        s2 += e.sign * e.w * e.x * e.x;
        inside += e.sign;
        let Some(next) = events.get(j + 1) else { break };
        if inside < 0.5 || s0 <= 0.0 || next.at <= e.at {
            continue;
        }
        let level = (s1 / s0).clamp(e.at, next.at);
        let cost = (s2 - 2.0 * level * s1 + level * level * s0).max(0.0) + (m - inside) * cap;
        if cost < best.cost {
            best = Fit { cost, level, weight: s0 };
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The capped loss at `level`, computed directly.
    fn loss(x: &[f64], w: &[f64], k: f64, level: f64) -> f64 {
        x.iter().zip(w).map(|(x, w)| (w * (x - level).powi(2)).min(k * k)).sum()
    }

    #[test]
    fn without_outliers_the_level_is_the_weighted_mean() {
        let x = [1.0, 1.2, 0.9, 1.1];
        let w = [4.0, 1.0, 1.0, 2.0];
        let f = fit(&x, &w, 10.0);
        let mean = (4.0 + 1.2 + 0.9 + 2.2) / 8.0;
        assert!((f.level - mean).abs() < 1e-12, "{f:?}");
        assert!((f.cost - loss(&x, &w, 10.0, mean)).abs() < 1e-12);
        assert_eq!(f.weight, 8.0);
    }

    #[test]
    fn an_outlier_costs_the_cap_and_does_not_move_the_level() {
        let x = [0.0, 0.01, -0.01, 0.005, 5.0];
        let w = [1e4; 5];
        let f = fit(&x, &w, 3.0);
        assert!(f.level.abs() < 0.01, "{f:?}");
        assert!((f.cost - loss(&x, &w, 3.0, f.level)).abs() < 1e-9);
        assert!(f.cost >= 9.0 && f.cost < 9.0 + 4.0, "{f:?}");
        assert_eq!(f.weight, 4e4);
    }

    #[test]
    fn the_sweep_finds_the_global_minimum() {
        // Checked against a fine grid over the whole range.
        let mut rng = metron::stats::seeded(11);
        for _ in 0..200 {
            let n = 1 + (metron::stats::uniform(&mut rng) * 12.0) as usize;
            let x: Vec<f64> = (0..n).map(|_| metron::stats::standard_normal(&mut rng) * 2.0).collect();
            let w: Vec<f64> = (0..n).map(|_| 0.5 + metron::stats::uniform(&mut rng) * 4.0).collect();
            let f = fit(&x, &w, 2.0);
            assert!((f.cost - loss(&x, &w, 2.0, f.level)).abs() < 1e-9);
            let grid = (0..=40_000).map(|i| -10.0 + i as f64 * 5e-4).map(|l| loss(&x, &w, 2.0, l));
            let grid_min = grid.fold(f64::INFINITY, f64::min);
            assert!(f.cost <= grid_min + 1e-9, "sweep {} > grid {grid_min}", f.cost);
        }
        assert_eq!(fit(&[], &[], 3.0).cost, 0.0);
    }
}

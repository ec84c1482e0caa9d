//! PELT, "Pruned Exact Linear Time" (Killick, Fearnhead & Eckley 2012,
//! "Optimal detection of changepoints with a linear computational cost",
//! JASA 107:1590): the segmentation that minimises the sum of segment costs
//! plus a penalty per change point, found exactly by dynamic programming,
//! with candidates pruned once they can no longer be optimal.
//!
//! Pruning is exact for any cost that is a minimum over a level of a sum
//! of per-point losses (splitting a segment never costs more), which the
//! [biweight](super::biweight) cost is. Written by hand: the maintained
//! Rust crates for change points offer neither weights nor a robust cost.

/// Change point positions (the index of the first point of each new
/// segment, ascending) that minimise `Σ cost(segment) + penalty × count`
/// over segmentations of `0..n` whose segments have at least `min_len`
/// points. `cost(a, b)` is the cost of the points `a..b`.
pub(crate) fn segment(n: usize, min_len: usize, penalty: f64, cost: impl Fn(usize, usize) -> f64) -> Vec<usize> {
    let min_len = min_len.max(1);
    if n < 2 * min_len {
        return Vec::new();
    }
    // best[t]: the cheapest segmentation of 0..t; last[t]: where its last segment starts.
    let mut best = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    best[0] = -penalty;
    let mut candidates: Vec<usize> = vec![0];
    for t in min_len..=n {
        let scored: Vec<(usize, f64)> = candidates
            .iter()
            .filter(|&&s| t - s >= min_len && best[s].is_finite())
            .map(|&s| (s, best[s] + cost(s, t)))
            .collect();
        if let Some(&(s, total)) = scored.iter().min_by(|a, b| a.1.total_cmp(&b.1)) {
            best[t] = total + penalty;
            last[t] = s;
        }
        // A start whose cost so far already exceeds the best can never win later.
        candidates.retain(|s| scored.iter().find(|(c, _)| c == s).is_none_or(|&(_, total)| total <= best[t]));
        if best[t].is_finite() {
            candidates.push(t);
        }
    }
    let mut points = Vec::new();
    let mut t = n;
    while t > 0 {
        let s = last[t];
        if s > 0 {
            points.push(s);
        }
        t = s;
    }
    points.reverse();
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sum of squares about the mean: the Gaussian cost with unit variance.
    fn squares(x: &[f64]) -> impl Fn(usize, usize) -> f64 + '_ {
        move |a, b| {
            let s = &x[a..b];
            let mean = s.iter().sum::<f64>() / s.len() as f64;
            s.iter().map(|v| (v - mean).powi(2)).sum()
        }
    }

    /// Every segmentation, by brute force, for small n.
    fn brute_force(n: usize, min_len: usize, penalty: f64, cost: &dyn Fn(usize, usize) -> f64) -> (f64, Vec<usize>) {
        let mut best = (f64::INFINITY, Vec::new());
        for mask in 0u32..(1 << (n - 1)) {
            let cuts: Vec<usize> = (1..n).filter(|i| mask & (1 << (i - 1)) != 0).collect();
            let bounds: Vec<usize> = std::iter::once(0).chain(cuts.iter().copied()).chain([n]).collect();
            if bounds.windows(2).any(|w| w[1] - w[0] < min_len) {
                continue;
            }
            let total: f64 = bounds.windows(2).map(|w| cost(w[0], w[1])).sum::<f64>() + penalty * cuts.len() as f64;
            if total < best.0 - 1e-12 {
                best = (total, cuts);
            }
        }
        best
    }

    #[test]
    fn finds_the_optimal_segmentation() {
        let mut rng = metron::stats::seeded(5);
        for trial in 0..60 {
            let n = 4 + trial % 9;
            let x: Vec<f64> =
                (0..n).map(|i| metron::stats::standard_normal(&mut rng) + if i >= n / 2 { 3.0 } else { 0.0 }).collect();
            let min_len = 1 + trial % 3;
            let cost = squares(&x);
            let found = segment(n, min_len, 4.0, &cost);
            let (_, expected) = brute_force(n, min_len, 4.0, &cost);
            assert_eq!(found, expected, "n {n}, min_len {min_len}, x {x:?}");
        }
    }

    #[test]
    fn a_clear_step_is_found_where_it_is() {
        let x: Vec<f64> = (0..20).map(|i| if i < 12 { 0.0 } else { 5.0 } + 0.01 * (i % 3) as f64).collect();
        assert_eq!(segment(20, 2, 10.0, squares(&x)), vec![12]);
        assert!(segment(3, 2, 10.0, squares(&x[..3])).is_empty());
    }
}

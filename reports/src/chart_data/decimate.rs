//! Thinning a long series for a chart without hiding what matters in it.
//!
//! A chart a few hundred pixels wide cannot show more than about a thousand
//! points, and every point costs bytes in the page. Keeping the smallest and
//! the largest value of each run of consecutive samples preserves what a
//! reader looks for in a time series: spikes, steps and drift.

/// The indices of at most about `max` values of `values` (in order): all of
/// them when there are few enough, otherwise the smallest and largest of each
/// of `max / 2` consecutive buckets.
pub(crate) fn min_max_indices(values: &[f64], max: usize) -> Vec<usize> {
    let n = values.len();
    let buckets = (max / 2).max(1);
    if n <= max.max(2) {
        return (0..n).collect();
    }
    let size = n.div_ceil(buckets);
    let mut kept = Vec::with_capacity(2 * buckets);
    for start in (0..n).step_by(size) {
        let end = (start + size).min(n);
        let (mut lo, mut hi) = (start, start);
        for i in start..end {
            if values[i] < values[lo] {
                lo = i;
            }
            if values[i] > values[hi] {
                hi = i;
            }
        }
        kept.push(lo.min(hi));
        if lo != hi {
            kept.push(lo.max(hi));
        }
    }
    kept
}

/// At most about `max` evenly spaced indices of `0..n`, first and last included.
pub(crate) fn stride_indices(n: usize, max: usize) -> Vec<usize> {
    if n <= max.max(2) {
        return (0..n).collect();
    }
    let step = n.div_ceil(max.max(2));
    let mut kept: Vec<usize> = (0..n).step_by(step).collect();
    if kept.last() != Some(&(n - 1)) {
        kept.push(n - 1);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_series_are_kept_whole() {
        assert_eq!(min_max_indices(&[3.0, 1.0, 2.0], 10), vec![0, 1, 2]);
        assert_eq!(stride_indices(3, 10), vec![0, 1, 2]);
        assert!(min_max_indices(&[], 10).is_empty());
    }

    #[test]
    fn extremes_survive_decimation() {
        let mut values: Vec<f64> = (0..100_000).map(|i| (i % 7) as f64).collect();
        values[54_321] = 1e9;
        values[77_777] = -5.0;
        let kept = min_max_indices(&values, 1_000);
        assert!(kept.len() <= 1_000, "{}", kept.len());
        assert!(kept.contains(&54_321) && kept.contains(&77_777));
        assert!(kept.windows(2).all(|w| w[0] < w[1]), "in order");
        let strided = stride_indices(100_000, 1_000);
        assert!(strided.len() <= 1_001 && strided[0] == 0 && *strided.last().unwrap() == 99_999);
    }
}

//! Percentile bootstrap confidence intervals.
//!
//! A statistic is recomputed on many resamples (drawn with replacement, same
//! size as the data) and the interval is read off the percentiles of those
//! recomputed values. It makes no assumption about the shape of the
//! distribution, which is why it suits timing data (skewed, multimodal).
//!
//! Everything is seeded (see [`super::rng`]): the same data and seed give the
//! same interval, whatever order the data come in (resamples are drawn from
//! a sorted copy).
//!
//! Speed matters because [`super::summarize`] runs a bootstrap for every
//! benchmark. A resample is drawn as a count per value (how often each was
//! picked) over a sorted copy of the data and written out in ascending
//! order, which needs no random memory access and hands every statistic
//! sorted input: [`median_in_place`] then reads the middle directly instead of
//! selecting. Statistics take `&mut [f64]` so that they may also reorder
//! (`select_nth_unstable`) when given unsorted input. 5,000 values with 2,000
//! resamples take a few tens of milliseconds in a release build.

use super::describe::percentile_sorted;
use super::rng::{add_resample_counts, for_each_resample_index, seeded, Rng};
use crate::model::Interval;

/// Number of resamples used when the caller has no reason to pick another:
/// enough for the 2.5% and 97.5% percentiles to be stable to a few percent
/// of the interval width.
pub const DEFAULT_RESAMPLES: usize = 2000;

/// Median of `xs`: the mean of the two middle values for an even count; 0.0
/// when empty.
///
/// Linear time: ascending input (every bootstrap resample is) is read
/// directly after one check; otherwise `xs` is reordered by
/// `select_nth_unstable`. This is the statistic to hand to [`bootstrap_ci`]
/// for the median.
pub fn median_in_place(xs: &mut [f64]) -> f64 {
    let n = xs.len();
    if n == 0 {
        return 0.0;
    }
    let mid = n / 2;
    if is_ascending(xs) {
        // Already ascending (every bootstrap resample is): no selection needed.
        return if n % 2 == 1 { xs[mid] } else { (xs[mid - 1] + xs[mid]) / 2.0 };
    }
    let (left, upper, _) = xs.select_nth_unstable_by(mid, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        return upper;
    }
    // After selection everything left of `mid` is <= the element at `mid`;
    // the lower middle value is the largest of them.
    let lower = left.iter().copied().max_by(f64::total_cmp).unwrap_or(upper);
    (lower + upper) / 2.0
}

/// Whether `xs` is in ascending [`f64::total_cmp`] order. Checks blocks of 64
/// without early exit inside a block, so the comparisons vectorise.
fn is_ascending(xs: &[f64]) -> bool {
    // total_cmp's order as a signed integer: flip the magnitude bits of negatives.
    let key = |x: f64| {
        let bits = x.to_bits() as i64;
        bits ^ ((((bits >> 63) as u64) >> 1) as i64)
    };
    let Some(last) = xs.len().checked_sub(1) else {
        return true;
    };
    xs[..last]
        .chunks(64)
        .zip(xs[1..].chunks(64))
        .all(|(lo, hi)| lo.iter().zip(hi).fold(true, |ok, (a, b)| ok & (key(*a) <= key(*b))))
}

/// Arithmetic mean of `xs` (0.0 when empty), with the signature
/// [`bootstrap_ci`] expects; the slice is not modified.
pub fn mean_of(xs: &mut [f64]) -> f64 {
    super::describe::mean(xs)
}

/// Percentile bootstrap confidence interval of `statistic` over `values`.
///
/// Each resample is passed to `statistic` in ascending order, so the
/// statistic must not depend on the order of the values (no statistic of an
/// independent sample does); it may reorder the slice. `confidence` is clamped to `[0, 1]` (0.95 gives the 2.5th and 97.5th
/// percentiles of the resampled statistics). Degenerate cases never panic:
/// empty `values` give `[0, 0]`; `resamples == 0` or a single value give the
/// interval collapsed on the statistic of the data itself.
pub fn bootstrap_ci(
    values: &[f64],
    statistic: impl Fn(&mut [f64]) -> f64,
    confidence: f64,
    resamples: usize,
    seed: u64,
) -> Interval {
    let [ci] = bootstrap_many(values, [&statistic], confidence, resamples, seed);
    ci
}

/// Percentile bootstrap interval of `statistic(b) / statistic(a)`, resampling
/// each side independently: the confidence interval of, say, the ratio of
/// medians between an old run `a` and a new run `b` (above 1: `b` is slower).
///
/// Degenerate cases: if either side is empty the interval is `[1, 1]`
/// ("no measurable change"). A zero denominator gives `f64::MAX` (with the
/// numerator's sign), and `0 / 0` gives 1, so the result stays finite.
pub fn bootstrap_ratio_ci(
    a: &[f64],
    b: &[f64],
    statistic: impl Fn(&mut [f64]) -> f64,
    confidence: f64,
    resamples: usize,
    seed: u64,
) -> Interval {
    if a.is_empty() || b.is_empty() {
        return Interval::new(1.0, 1.0);
    }
    if resamples == 0 {
        let r = safe_ratio(statistic(&mut b.to_vec()), statistic(&mut a.to_vec()));
        return Interval::new(r, r);
    }
    let mut rng = seeded(seed);
    let (mut res_a, mut res_b) = (Resampler::new(a), Resampler::new(b));
    let mut buf_a = vec![0.0; a.len() + SLACK];
    let mut buf_b = vec![0.0; b.len() + SLACK];
    let mut ratios = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        res_a.draw_into(&mut buf_a, &mut rng);
        res_b.draw_into(&mut buf_b, &mut rng);
        let num = statistic(&mut buf_b[..b.len()]);
        ratios.push(safe_ratio(num, statistic(&mut buf_a[..a.len()])));
    }
    percentile_interval(&mut ratios, confidence)
}

/// `num / den`, kept finite: `x / 0` is `±f64::MAX`, `0 / 0` is 1.
fn safe_ratio(num: f64, den: f64) -> f64 {
    if den == 0.0 {
        if num == 0.0 {
            1.0
        } else {
            f64::MAX.copysign(num)
        }
    } else {
        (num / den).clamp(-f64::MAX, f64::MAX)
    }
}

/// A source of bootstrap resamples of one sample.
struct Resampler {
    /// The data, ascending.
    sorted: Vec<f64>,
    /// How often each element of `sorted` was drawn into the current resample.
    counts: Vec<u32>,
}

impl Resampler {
    fn new(values: &[f64]) -> Resampler {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let counts = vec![0; sorted.len()];
        Resampler { sorted, counts }
    }

    /// Draws a new resample with replacement into `buf`, in ascending order.
    ///
    /// `buf` must be [`SLACK`] elements longer than the data: each value is
    /// written `SLACK` times unconditionally and the write position then
    /// advances by its count (almost always below `SLACK`), which avoids a
    /// hard-to-predict branch per value. The resample is `buf[..n]`.
    fn draw_into(&mut self, buf: &mut [f64], rng: &mut Rng) {
        debug_assert_eq!(buf.len(), self.sorted.len() + SLACK);
        self.counts.fill(0);
        add_resample_counts(rng, &mut self.counts);
        let mut pos = 0;
        for (&value, &count) in self.sorted.iter().zip(&self.counts) {
            let count = count as usize;
            buf[pos..pos + SLACK].fill(value);
            if count > SLACK {
                buf[pos + SLACK..pos + count].fill(value);
            }
            pos += count;
        }
    }
}

/// Percentile bootstrap interval of the mean: what [`super::summarize`]
/// reports for every benchmark.
///
/// The resamples are those of [`bootstrap_ci`] with the same seed, so the
/// interval is `bootstrap_ci(values, mean_of, ..)` up to the rounding of a
/// sum taken in another order. Each resample's mean is summed as its values
/// are drawn, never written out: at 1,000 values this is several times
/// faster than [`bootstrap_ci`], which is what a run of many short commands
/// waits for when it ends.
pub(crate) fn bootstrap_mean(values: &[f64], confidence: f64, resamples: usize, seed: u64) -> Interval {
    if values.len() <= 1 || resamples == 0 {
        return bootstrap_ci(values, mean_of, confidence, resamples, seed);
    }
    let mut rng = seeded(seed);
    let resampler = Resampler::new(values);
    let n = values.len();
    let mut means = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let mut sum = 0.0;
        for_each_resample_index(&mut rng, n, |i| sum += resampler.sorted[i]);
        means.push(sum / n as f64);
    }
    percentile_interval(&mut means, confidence)
}

/// Spare room at the end of a resample buffer (see [`Resampler::draw_into`]).
/// Counts follow a Poisson(1) law: above 4 in 0.4% of values.
const SLACK: usize = 4;

/// The central `confidence` part of the distribution `stats` (which gets sorted).
fn percentile_interval(stats: &mut [f64], confidence: f64) -> Interval {
    let c = if confidence >= 0.0 { confidence.min(1.0) } else { 0.0 };
    stats.sort_by(f64::total_cmp);
    Interval::new(percentile_sorted(stats, 50.0 * (1.0 - c)), percentile_sorted(stats, 50.0 * (1.0 + c)))
}

/// A statistic of a sample that may reorder it, as [`bootstrap_ci`] takes.
pub(crate) type Statistic<'a> = &'a dyn Fn(&mut [f64]) -> f64;

/// Bootstrap intervals of several statistics computed on the same resamples.
///
/// Each statistic sees every resample in the same (drawn) order, so the
/// interval of statistic `i` is exactly what [`bootstrap_ci`] alone would give
/// with the same seed; sharing the draws only saves time.
pub(crate) fn bootstrap_many<const K: usize>(
    values: &[f64],
    statistics: [Statistic<'_>; K],
    confidence: f64,
    resamples: usize,
    seed: u64,
) -> [Interval; K] {
    if values.is_empty() {
        return [Interval::new(0.0, 0.0); K];
    }
    if resamples == 0 || values.len() == 1 {
        return statistics.map(|stat| {
            let s = stat(&mut values.to_vec());
            Interval::new(s, s)
        });
    }
    let mut rng = seeded(seed);
    let mut resampler = Resampler::new(values);
    let n = values.len();
    let mut buf = vec![0.0; n + SLACK];
    let mut scratch = vec![0.0; n];
    let mut dists: [Vec<f64>; K] = std::array::from_fn(|_| Vec::with_capacity(resamples));
    for _ in 0..resamples {
        resampler.draw_into(&mut buf, &mut rng);
        for (k, stat) in statistics.iter().enumerate() {
            // All but the last statistic work on a copy, because a statistic
            // may reorder its input and the next one must see it as drawn.
            let value = if k + 1 == K {
                stat(&mut buf[..n])
            } else {
                scratch.copy_from_slice(&buf[..n]);
                stat(&mut scratch)
            };
            dists[k].push(value);
        }
    }
    dists.map(|mut d| percentile_interval(&mut d, confidence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summed_mean_bootstrap_is_the_written_out_one() {
        let mut rng = seeded(3);
        for n in [2usize, 3, 10, 101, 1000] {
            let xs: Vec<f64> =
                (0..n).map(|_| 1.0 + rand::RngExt::random_range(&mut rng, 0.0..1.0f64).powi(3) * 50.0).collect();
            let mean = bootstrap_mean(&xs, 0.95, 500, 11);
            let reference = bootstrap_ci(&xs, mean_of, 0.95, 500, 11);
            for (a, b) in [(mean.lo, reference.lo), (mean.hi, reference.hi)] {
                assert!((a - b).abs() <= 1e-12 * b.abs(), "n = {n}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn median_in_place_matches_sorting() {
        let mut rng = seeded(5);
        for n in 1..40 {
            let xs: Vec<f64> = (0..n).map(|_| (super::super::rng::uniform(&mut rng) * 10.0).floor()).collect();
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let expected = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
            assert_eq!(median_in_place(&mut xs.clone()), expected, "n = {n}");
            assert_eq!(median_in_place(&mut sorted.clone()), expected, "sorted, n = {n}");
        }
        assert_eq!(median_in_place(&mut []), 0.0);
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(bootstrap_ci(&[], median_in_place, 0.95, 100, 1), Interval::new(0.0, 0.0));
        assert_eq!(bootstrap_ci(&[2.0], median_in_place, 0.95, 100, 1), Interval::new(2.0, 2.0));
        assert_eq!(bootstrap_ci(&[2.0, 4.0], mean_of, 0.95, 0, 1), Interval::new(3.0, 3.0));
        assert_eq!(bootstrap_ratio_ci(&[], &[1.0], median_in_place, 0.95, 10, 1), Interval::new(1.0, 1.0));
        assert_eq!(
            bootstrap_ratio_ci(&[0.0, 0.0], &[1.0], median_in_place, 0.95, 10, 1),
            Interval::new(f64::MAX, f64::MAX)
        );
        assert_eq!(bootstrap_ratio_ci(&[0.0], &[0.0], median_in_place, 0.95, 10, 1), Interval::new(1.0, 1.0));
        let ci = bootstrap_ci(&[1.0, 2.0, 3.0], mean_of, f64::NAN, 50, 1);
        assert!(ci.lo.is_finite() && ci.hi.is_finite());
    }

    #[test]
    fn shared_draws_equal_single() {
        let xs: Vec<f64> = (0..57).map(|i| ((i * 37) % 23) as f64 + 0.5).collect();
        let [m, a] = bootstrap_many(&xs, [&median_in_place, &mean_of], 0.9, 300, 11);
        assert_eq!(m, bootstrap_ci(&xs, median_in_place, 0.9, 300, 11));
        assert_eq!(a, bootstrap_ci(&xs, mean_of, 0.9, 300, 11));
    }

    #[test]
    fn ratio_of_scaled_data() {
        let a: Vec<f64> = (1..=40).map(f64::from).collect();
        let b: Vec<f64> = a.iter().map(|x| 2.0 * x).collect();
        let ci = bootstrap_ratio_ci(&a, &b, median_in_place, 0.95, 500, 3);
        assert!(ci.lo < 2.0 && 2.0 < ci.hi, "{ci:?}");
    }
}

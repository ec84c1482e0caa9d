//! One coordinate type for every axis: linear, logarithmic or categorical,
//! chosen at run time from the data, with tick marks at round numbers.
//!
//! plotters gives linear and log axes different Rust types; one type with a
//! run-time choice keeps each chart's drawing code single, and owning the tick
//! choice keeps labels readable (1-2-5 steps, decades, or the parameter
//! values themselves for a parameter scan).
//!
//! Every axis is made through [`Scale::new`], which is the one guard against
//! bounds no chart can draw: NaN, infinities, an inverted or empty range, a
//! span wider than floating point can step through (1e300) or narrower than
//! it can resolve. Loaded files are checked for impossible samples, but a
//! chart must not loop or allocate without bound whatever it is given, so
//! the tick builders also never make more than [`MOST_TICKS`] ticks.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

/// How values map onto the axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mapping {
    /// Evenly spaced values.
    Linear,
    /// Evenly spaced powers of ten (for values that span orders of magnitude).
    Log,
    /// Integer positions `0..n` (categories, runs), ticks only at integers.
    Index,
}

/// An axis: a range of values, how they map to pixels, and where the ticks go.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scale {
    lo: f64,
    hi: f64,
    mapping: Mapping,
    ticks: Option<Vec<f64>>,
}

/// Spans at least this wide (hi / lo) get a log axis when `auto` allows one.
const LOG_SPAN: f64 = 30.0;

/// The largest magnitude an axis reaches: far beyond any time, count or
/// ratio metron measures (a year is 3.2e16 ns), and small enough that the
/// span of two such ends, and a padding of it, stay finite.
const MOST_MAGNITUDE: f64 = 1e150;

/// The smallest positive value a log axis starts at, and the narrowest span
/// of a linear one: far below anything measured, far above the subnormals
/// whose steps round to zero.
const LEAST_MAGNITUDE: f64 = 1e-150;

/// The narrowest span relative to its ends' magnitude: below this the 1-2-5
/// steps are smaller than the values' own rounding, and ticks would not be
/// distinct.
const LEAST_RELATIVE_SPAN: f64 = 1e-9;

/// The most ticks any builder makes, whatever it is asked: a guard against
/// a range that slipped through with too many steps in it.
const MOST_TICKS: usize = 1000;

impl Scale {
    /// An axis of `mapping` over `[lo, hi]` made drawable, the one guard of
    /// every chart's bounds: a NaN end is replaced by the other (or 0 and
    /// 1), infinite and huge ends are clamped to ±1e150, inverted ends are
    /// swapped, and a range too narrow to step through is widened around
    /// its middle. A log axis needs positive ends (else it is linear) and
    /// starts at 1e-150 at the least.
    fn new(lo: f64, hi: f64, mapping: Mapping) -> Scale {
        let (lo, hi) = match (lo.is_nan(), hi.is_nan()) {
            (true, true) => (0.0, 1.0),
            (true, false) => (hi, hi),
            (false, true) => (lo, lo),
            (false, false) => (lo.min(hi), lo.max(hi)),
        };
        let clamp = |v: f64| v.clamp(-MOST_MAGNITUDE, MOST_MAGNITUDE);
        let (lo, hi) = (clamp(lo), clamp(hi));
        let (lo, hi) = match mapping {
            Mapping::Log if lo > 0.0 => {
                let (lo, hi) = (lo.max(LEAST_MAGNITUDE), hi.max(LEAST_MAGNITUDE));
                if hi / lo > 1.0 + LEAST_RELATIVE_SPAN {
                    (lo, hi)
                } else {
                    (lo / 1.1, hi * 1.1)
                }
            }
            Mapping::Log => return Scale::new(lo, hi, Mapping::Linear),
            Mapping::Linear | Mapping::Index => widen(lo, hi),
        };
        Scale { lo, hi, mapping, ticks: None }
    }

    /// A linear axis over `[lo, hi]` (widened when empty).
    pub fn linear(lo: f64, hi: f64) -> Scale {
        Scale::new(lo, hi, Mapping::Linear)
    }

    /// A log axis over `[lo, hi]`; both must be positive (else linear).
    pub fn log(lo: f64, hi: f64) -> Scale {
        Scale::new(lo, hi, Mapping::Log)
    }

    /// Log when every value is positive and the range spans a factor of
    /// [`LOG_SPAN`] or more, linear otherwise.
    pub fn auto(lo: f64, hi: f64) -> Scale {
        if lo > 0.0 && hi / lo >= LOG_SPAN {
            Scale::log(lo, hi)
        } else {
            Scale::linear(lo, hi)
        }
    }

    /// `n` categories at positions `0..n`.
    pub fn index(n: usize) -> Scale {
        Scale::new(-0.5, n.max(1) as f64 - 0.5, Mapping::Index)
    }

    /// The same axis, widened by `fraction` of its span at both ends (by a
    /// factor for log axes), so marks at the extremes are not cut.
    pub fn padded(self, fraction: f64) -> Scale {
        let (lo, hi) = match self.mapping {
            Mapping::Linear => {
                let pad = (self.hi - self.lo) * fraction;
                (self.lo - pad, self.hi + pad)
            }
            Mapping::Log => {
                let factor = (self.hi / self.lo).powf(fraction);
                (self.lo / factor, self.hi * factor)
            }
            Mapping::Index => return self,
        };
        Scale { ticks: self.ticks, ..Scale::new(lo, hi, self.mapping) }
    }

    /// The same axis with the lower end moved to 0 when the data are all
    /// positive (linear axes only): a line chart of times then shows
    /// proportions honestly.
    pub fn starting_at_zero(self) -> Scale {
        match self.mapping {
            Mapping::Linear if self.lo > 0.0 => Scale { lo: 0.0, ..self },
            _ => self,
        }
    }

    /// Ticks at exactly these values (those inside the range).
    pub fn with_ticks(self, ticks: Vec<f64>) -> Scale {
        Scale { ticks: Some(ticks), ..self }
    }

    /// Whether values map logarithmically.
    pub fn is_log(&self) -> bool {
        self.mapping == Mapping::Log
    }

    /// The lower end.
    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// The upper end.
    pub fn hi(&self) -> f64 {
        self.hi
    }

    fn position(&self, v: f64) -> f64 {
        match self.mapping {
            Mapping::Log => (v.max(self.lo * 1e-3)).log10(),
            Mapping::Linear | Mapping::Index => v,
        }
    }

    fn tick_values(&self, max: usize) -> Vec<f64> {
        if let Some(ticks) = &self.ticks {
            let inside: Vec<f64> = ticks.iter().copied().filter(|t| self.lo <= *t && *t <= self.hi).collect();
            return thin(inside, max);
        }
        match self.mapping {
            Mapping::Linear => linear_ticks(self.lo, self.hi, max),
            Mapping::Log => log_ticks(self.lo, self.hi, max),
            Mapping::Index => {
                let (first, last) = (self.lo.ceil() as i64, self.hi.floor() as i64);
                let count = last.saturating_sub(first).saturating_add(1).max(0) as u64;
                let step = count.div_ceil(max.clamp(1, MOST_TICKS) as u64).max(1);
                (first..=last).step_by(usize::try_from(step).unwrap_or(usize::MAX)).map(|i| i as f64).collect()
            }
        }
    }
}

/// A finite, ordered range made wide enough to step through: one whose span
/// is below [`LEAST_RELATIVE_SPAN`] of its magnitude (or [`LEAST_MAGNITUDE`])
/// is widened by 5% of its middle (by 1 around 0).
fn widen(lo: f64, hi: f64) -> (f64, f64) {
    let magnitude = lo.abs().max(hi.abs());
    if hi - lo >= (magnitude * LEAST_RELATIVE_SPAN).max(LEAST_MAGNITUDE) {
        return (lo, hi);
    }
    let middle = lo / 2.0 + hi / 2.0;
    let pad = if middle.abs() < LEAST_MAGNITUDE { 1.0 } else { middle.abs() * 0.05 };
    (middle - pad, middle + pad)
}

/// Round numbers (1, 2 or 5 times a power of ten apart) within `[lo, hi]`,
/// at most `max` of them (none when the range has no finite step).
fn linear_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let max = max.clamp(2, MOST_TICKS);
    let raw = (hi - lo) / (max - 1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    if !(step.is_finite() && step > 0.0) {
        return Vec::new();
    }
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    bounded(first, last).map(|i| i as f64 * step).collect()
}

/// The integers `first..=last`, or none when there are more than
/// [`MOST_TICKS`] of them (a range no tick builder should step through).
fn bounded<T: Into<i64> + Copy>(first: T, last: T) -> std::ops::RangeInclusive<i64> {
    let (first, last) = (first.into(), last.into());
    if last.saturating_sub(first) >= MOST_TICKS as i64 {
        return std::ops::RangeInclusive::new(1, 0);
    }
    first..=last
}

/// Powers of ten within `[lo, hi]`, with 2 and 5 between them when there are
/// too few decades, falling back to round linear steps in a narrow range.
fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let (first, last) = (lo.log10().ceil() as i32, hi.log10().floor() as i32);
    let decades: Vec<f64> = bounded(first, last).map(|e| 10f64.powi(e as i32)).collect();
    if decades.len() >= 3 {
        return thin(decades, max);
    }
    let with_steps: Vec<f64> = bounded(first.saturating_sub(1), last)
        .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e as i32)))
        .filter(|t| lo <= *t && *t <= hi)
        .collect();
    if with_steps.len() >= 3 {
        thin(with_steps, max)
    } else {
        linear_ticks(lo, hi, max.min(6))
    }
}

/// Every k-th value so that at most `max` remain.
fn thin(values: Vec<f64>, max: usize) -> Vec<f64> {
    let step = values.len().div_ceil(max.max(1)).max(1);
    values.into_iter().step_by(step).collect()
}

/// A tick label: up to six significant digits without trailing zeros, and
/// `k`/`M`/`G` for large round numbers (iteration counts).
pub(crate) fn tick_label(v: f64) -> String {
    let a = v.abs();
    if a >= 1e4 {
        let (div, suffix) = if a >= 1e9 {
            (1e9, "G")
        } else if a >= 1e6 {
            (1e6, "M")
        } else {
            (1e3, "k")
        };
        return format!("{}{suffix}", plain(v / div));
    }
    plain(v)
}

fn plain(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let s = metron::time::significant(v, 6);
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

impl Ranged for Scale {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let (a, b) = (self.position(self.lo), self.position(self.hi));
        let t = (self.position(*value) - a) / (b - a);
        let t = if t.is_finite() { t.clamp(-1.0, 2.0) } else { 0.0 };
        limit.0 + (t * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Light grid lines are drawn transparent; bold ticks are all we need.
        self.tick_values(hint.bold_points().min(hint.max_num_points()))
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Scale {
    fn format(value: &f64) -> String {
        tick_label(*value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round() {
        assert_eq!(linear_ticks(0.0, 10.0, 6), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let t = linear_ticks(0.93, 1.27, 5);
        assert!(t.iter().zip([1.0, 1.1, 1.2]).all(|(a, b)| (a - b).abs() < 1e-9), "{t:?}");
    }

    #[test]
    fn log_ticks_use_decades_or_steps() {
        assert_eq!(log_ticks(0.5, 2000.0, 10), vec![1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(log_ticks(0.3, 3.0, 10), vec![0.5, 1.0, 2.0]);
        let narrow = log_ticks(0.9, 1.3, 10);
        assert!(narrow.len() >= 3, "{narrow:?}");
    }

    #[test]
    fn mapping_and_labels() {
        let s = Scale::linear(0.0, 10.0);
        assert_eq!(s.map(&5.0, (0, 100)), 50);
        assert_eq!(s.map(&0.0, (100, 0)), 100);
        let l = Scale::log(1.0, 100.0);
        assert_eq!(l.map(&10.0, (0, 100)), 50);
        assert_eq!(Scale::index(3).tick_values(10), vec![0.0, 1.0, 2.0]);
        assert_eq!(Scale::linear(2.0, 2.0).range(), 1.9..2.1);
        assert_eq!(tick_label(0.30000000000000004), "0.3");
        assert_eq!(tick_label(1500.0), "1500");
        assert_eq!(tick_label(20000.0), "20k");
        assert_eq!(tick_label(2_500_000.0), "2.5M");
        assert_eq!(tick_label(-0.0), "0");
        let ticks = Scale::linear(0.0, 10.0).with_ticks(vec![1.0, 2.0, 4.0, 8.0, 16.0]).tick_values(10);
        assert_eq!(ticks, vec![1.0, 2.0, 4.0, 8.0]);
    }

    /// Bounds nobody should pass, and some that loaded data could make.
    const HOSTILE: [(f64, f64); 14] = [
        (f64::NAN, f64::NAN),
        (f64::NAN, 5.0),
        (1.0, f64::INFINITY),
        (f64::NEG_INFINITY, f64::INFINITY),
        (f64::MIN_POSITIVE, f64::MAX),
        (5e-324, 1e308),
        (0.0, 5e-324),
        (3.0, 3.0),
        (1e300, 1e300),
        (1e16, 1e16 + 2.0),
        (100.0, 1.0),
        (-1e300, 1e300),
        (1.0, 3e16),
        (-0.0, 0.0),
    ];

    #[test]
    fn hostile_bounds_make_drawable_axes_with_few_ticks() {
        for (lo, hi) in HOSTILE {
            let scales = [
                Scale::linear(lo, hi),
                Scale::log(lo, hi),
                Scale::auto(lo, hi),
                Scale::linear(lo, hi).padded(0.5),
                Scale::log(lo, hi).padded(0.5),
                Scale::auto(lo, hi).padded(0.12).starting_at_zero(),
            ];
            for s in scales {
                assert!(s.lo().is_finite() && s.hi().is_finite() && s.lo() < s.hi(), "{lo}, {hi}: {s:?}");
                assert!(s.hi() - s.lo() > 0.0 && (s.hi() - s.lo()).is_finite(), "{lo}, {hi}: {s:?}");
                if s.is_log() {
                    assert!(s.lo() > 0.0, "{lo}, {hi}: {s:?}");
                }
                for max in [0, 1, 6, 12, usize::MAX] {
                    let ticks = s.tick_values(max);
                    assert!(ticks.len() <= MOST_TICKS, "{lo}, {hi}, {max}: {} ticks", ticks.len());
                    assert!(ticks.iter().all(|t| t.is_finite()), "{lo}, {hi}: {ticks:?}");
                }
                let mapped = s.map(&hi, (0, 1000));
                assert!((-1000..=2000).contains(&mapped), "{lo}, {hi}: {mapped}");
            }
        }
    }

    #[test]
    fn tick_builders_refuse_ranges_they_cannot_step_through() {
        // Called directly, past the guard: no builder loops or allocates without bound.
        assert!(linear_ticks(0.0, 5e-324, 6).len() <= MOST_TICKS);
        assert!(linear_ticks(f64::NAN, 1.0, 6).len() <= MOST_TICKS);
        assert!(linear_ticks(0.0, f64::INFINITY, 6).len() <= MOST_TICKS);
        assert!(log_ticks(1.0, f64::INFINITY, 12).len() <= MOST_TICKS);
        assert!(log_ticks(0.0, f64::INFINITY, 12).len() <= MOST_TICKS);
        assert!(log_ticks(f64::NAN, f64::NAN, 12).len() <= MOST_TICKS);
        assert_eq!(Scale::index(usize::MAX).tick_values(10).len(), 10);
    }

    #[test]
    fn ordinary_bounds_are_kept() {
        assert_eq!(Scale::linear(0.5, 7.0).range(), 0.5..7.0);
        assert_eq!(Scale::log(1.0, 3e16).range(), 1.0..3e16);
        assert_eq!(Scale::linear(7.0, 0.5).range(), 0.5..7.0, "inverted ends are swapped");
        assert!(Scale::log(1.0, 3e16).tick_values(12).len() >= 3);
    }
}

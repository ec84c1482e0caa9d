//! Throughput: how much work one iteration does (bytes, bits, elements), and
//! the rate a result reaches — bytes/s, elements/s with their confidence
//! intervals — as criterion users read it beside the time.
//!
//! A rate is derived, never measured on its own: it is the amount per
//! iteration divided by the time per iteration on the result's
//! [headline clock](crate::model::BenchmarkResult::headline_clock).
//!
//! # Assumptions
//!
//! * The amount is the same for every iteration (it is declared, as in
//!   criterion, not counted).
//! * `x ↦ amount / x` is decreasing for positive times, so the median rate is
//!   the amount over the median time, and the 95% CI of the median time maps
//!   exactly onto a 95% CI of the median rate (ends swapped). The same holds for
//!   any interval of the mean time.
//! * The "mean rate" is the amount over the mean time: total work over total
//!   time, the rate a long run of iterations sustains. (The mean of
//!   per-sample rates would weigh fast samples more and overstate it.)

use serde::{Deserialize, Serialize};

use crate::model::{Interval, Summary};
use crate::time::significant;

/// What one iteration of a benchmark processes, as criterion's
/// `Throughput` says it (`group.throughput(..)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Throughput {
    /// Bits per iteration, shown as bit/s, Kbit/s, Mbit/s (powers of 1000).
    Bits(u64),
    /// Bytes per iteration, shown as B/s, KiB/s, MiB/s (powers of 1024).
    Bytes(u64),
    /// Bytes per iteration, shown as B/s, kB/s, MB/s (powers of 1000).
    BytesDecimal(u64),
    /// Elements per iteration (items, lines, values), shown as elem/s, Kelem/s, ….
    Elements(u64),
    /// Both: elements and the bytes they occupy, shown as both rates.
    ElementsAndBytes {
        /// Elements per iteration.
        elements: u64,
        /// Bytes per iteration.
        bytes: u64,
    },
}

/// The unit a rate is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RateUnit {
    /// Bits per second, decimal prefixes.
    Bits,
    /// Bytes per second, binary prefixes (KiB/s).
    Bytes,
    /// Bytes per second, decimal prefixes (kB/s).
    BytesDecimal,
    /// Elements per second, decimal prefixes.
    Elements,
}

impl RateUnit {
    /// The prefixes' base and symbols, smallest first.
    fn scale(self) -> (f64, [&'static str; 5]) {
        match self {
            RateUnit::Bits => (1000.0, ["bit/s", "Kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"]),
            RateUnit::Bytes => (1024.0, ["B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s"]),
            RateUnit::BytesDecimal => (1000.0, ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"]),
            RateUnit::Elements => (1000.0, ["elem/s", "Kelem/s", "Melem/s", "Gelem/s", "Telem/s"]),
        }
    }

    /// The prefix that shows `per_s` with one to three digits before the
    /// point (1023 KiB/s stays KiB/s): its divisor and symbol.
    pub fn prefix_for(self, per_s: f64) -> (f64, &'static str) {
        let (base, symbols) = self.scale();
        let mut divisor = 1.0;
        for (i, symbol) in symbols.iter().enumerate() {
            if per_s.abs() < divisor * base || i == symbols.len() - 1 {
                return (divisor, symbol);
            }
            divisor *= base;
        }
        (1.0, symbols[0])
    }

    /// `per_s` in this unit with an adaptive prefix and four significant
    /// digits: `1.863 GiB/s`, `412.0 Melem/s`.
    pub fn display(self, per_s: f64) -> String {
        let (divisor, symbol) = self.prefix_for(per_s);
        format!("{} {symbol}", significant(per_s / divisor, 4))
    }

    /// `value` in the prefix `reference` would get, so a figure and its CI
    /// share one unit.
    pub fn display_like(self, value: f64, reference: f64) -> String {
        let (divisor, symbol) = self.prefix_for(reference);
        format!("{} {symbol}", significant(value / divisor, 4))
    }

    /// The unit's name in CSV headers and JSON (`bytes`, `elements`, …).
    pub fn name(self) -> &'static str {
        match self {
            RateUnit::Bits => "bits",
            RateUnit::Bytes => "bytes",
            RateUnit::BytesDecimal => "bytes-decimal",
            RateUnit::Elements => "elements",
        }
    }
}

/// One throughput figure of a result: the amount per iteration and the
/// rates it gives at the median and at the mean time, with 95% CIs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// What is counted.
    pub unit: RateUnit,
    /// How many units one iteration processes.
    pub per_iteration: u64,
    /// Units per second at the median time per iteration.
    pub median_per_s: f64,
    /// 95% CI of `median_per_s` (from the median time's CI).
    pub median_ci_per_s: Interval,
    /// Units per second at the mean time: total work over total time.
    pub mean_per_s: f64,
    /// 95% CI of `mean_per_s` (from the mean time's CI).
    pub mean_ci_per_s: Interval,
}

impl Throughput {
    /// The (unit, amount per iteration) pairs this throughput is reported in.
    pub fn amounts(self) -> Vec<(RateUnit, u64)> {
        match self {
            Throughput::Bits(n) => vec![(RateUnit::Bits, n)],
            Throughput::Bytes(n) => vec![(RateUnit::Bytes, n)],
            Throughput::BytesDecimal(n) => vec![(RateUnit::BytesDecimal, n)],
            Throughput::Elements(n) => vec![(RateUnit::Elements, n)],
            Throughput::ElementsAndBytes { elements, bytes } => {
                vec![(RateUnit::Elements, elements), (RateUnit::Bytes, bytes)]
            }
        }
    }

    /// The rates of a result whose per-iteration times (ns) are summarised
    /// by `time` (see the module's assumptions).
    pub fn rates(self, time: &Summary) -> Vec<Rate> {
        self.amounts().into_iter().map(|(unit, n)| Rate::new(unit, n, time)).collect()
    }
}

impl Rate {
    /// The rate of `per_iteration` units at the times of `time` (ns per
    /// iteration). A time of zero gives an infinite rate, as it should: the
    /// clock could not see the work.
    pub fn new(unit: RateUnit, per_iteration: u64, time: &Summary) -> Rate {
        let per_s = |ns: f64| per_iteration as f64 * 1e9 / ns;
        Rate {
            unit,
            per_iteration,
            median_per_s: per_s(time.median),
            median_ci_per_s: time.median_ci.map(per_s_of(per_iteration)).reversed(),
            mean_per_s: per_s(time.mean),
            mean_ci_per_s: time.mean_ci.map(per_s_of(per_iteration)).reversed(),
        }
    }

    /// `1.863 GiB/s [1.850 GiB/s … 1.870 GiB/s]`: the median rate and its CI.
    pub fn display(&self) -> String {
        let shown = |x: f64| self.unit.display_like(x, self.median_per_s);
        format!(
            "{} [{} … {}]",
            shown(self.median_per_s),
            shown(self.median_ci_per_s.lo),
            shown(self.median_ci_per_s.hi)
        )
    }
}

fn per_s_of(per_iteration: u64) -> impl Fn(f64) -> f64 {
    move |ns| per_iteration as f64 * 1e9 / ns
}

impl Interval {
    /// The interval with its ends swapped back into order after a decreasing map.
    fn reversed(self) -> Interval {
        Interval::new(self.lo.min(self.hi), self.lo.max(self.hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(median: f64, ci: (f64, f64), mean: f64) -> Summary {
        let values = [median];
        let mut s = crate::stats::summarize(&values, 1).unwrap();
        s.median = median;
        s.median_ci = Interval::new(ci.0, ci.1);
        s.mean = mean;
        s.mean_ci = Interval::new(ci.0, ci.1);
        s
    }

    #[test]
    fn a_rate_is_the_amount_over_the_time_and_its_ci_turns_around() {
        // 1 KiB in 1 µs is 1024e6 B/s = 976.6 MiB/s; the CI of 0.8–1.25 µs
        // gives 819.2e6–1280e6 B/s.
        let s = summary(1000.0, (800.0, 1250.0), 1000.0);
        let r = Rate::new(RateUnit::Bytes, 1024, &s);
        assert!((r.median_per_s - 1.024e9).abs() < 1e-3);
        assert!((r.median_ci_per_s.lo - 819.2e6).abs() < 1e-3, "{:?}", r.median_ci_per_s);
        assert!((r.median_ci_per_s.hi - 1.28e9).abs() < 1e-3);
        assert_eq!(r.unit.display(r.median_per_s), "976.6 MiB/s");
        assert_eq!(r.display(), "976.6 MiB/s [781.2 MiB/s … 1221 MiB/s]");
    }

    #[test]
    fn units_and_prefixes() {
        assert_eq!(RateUnit::Elements.display(412e6), "412.0 Melem/s");
        assert_eq!(RateUnit::BytesDecimal.display(1.5e9), "1.500 GB/s");
        assert_eq!(RateUnit::Bits.display(999.0), "999.0 bit/s");
        assert_eq!(RateUnit::Bytes.display(1023.0 * 1024.0), "1023 KiB/s");
        assert_eq!(RateUnit::Bytes.display(3.0 * 1024f64.powi(5)), "3072 TiB/s");
    }

    #[test]
    fn elements_and_bytes_give_two_rates() {
        let s = summary(2000.0, (1900.0, 2100.0), 2050.0);
        let rates = Throughput::ElementsAndBytes { elements: 10, bytes: 80 }.rates(&s);
        assert_eq!(rates.iter().map(|r| r.unit).collect::<Vec<_>>(), [RateUnit::Elements, RateUnit::Bytes]);
        assert!((rates[0].median_per_s - 5e6).abs() < 1e-6);
        assert!((rates[1].mean_per_s - 80.0 * 1e9 / 2050.0).abs() < 1e-6);
    }

    #[test]
    fn json_names() {
        let json = serde_json::to_string(&Throughput::BytesDecimal(3)).unwrap();
        assert_eq!(json, r#"{"bytes-decimal":3}"#);
        let r = Rate::new(RateUnit::BytesDecimal, 3, &summary(1.0, (1.0, 1.0), 1.0));
        assert!(serde_json::to_string(&r).unwrap().starts_with(r#"{"unit":"bytes-decimal","per_iteration":3"#));
    }
}

//! Durations as metron stores and shows them.
//!
//! Everything measured is kept in nanoseconds (integers from the clocks, `f64`
//! once divided by an iteration count). [`Nanos`] is the one type that turns
//! such a figure into text a person reads, with a unit chosen for the size of
//! the value, so no caller ever formats time by hand.

use std::fmt;

/// A span of time in nanoseconds that prints itself in an adaptive unit
/// (`ns`, `µs`, `ms`, `s`) with four significant digits.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Nanos(pub f64);

/// The units a [`Nanos`] can be shown in, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Nanoseconds.
    Nanoseconds,
    /// Microseconds.
    Microseconds,
    /// Milliseconds.
    Milliseconds,
    /// Seconds.
    Seconds,
}

impl TimeUnit {
    /// The unit that shows `ns` with one to three digits before the point.
    pub fn for_value(ns: f64) -> TimeUnit {
        let a = ns.abs();
        if a < 1e3 {
            TimeUnit::Nanoseconds
        } else if a < 1e6 {
            TimeUnit::Microseconds
        } else if a < 1e9 {
            TimeUnit::Milliseconds
        } else {
            TimeUnit::Seconds
        }
    }

    /// Nanoseconds in one of this unit.
    pub fn nanos(self) -> f64 {
        match self {
            TimeUnit::Nanoseconds => 1.0,
            TimeUnit::Microseconds => 1e3,
            TimeUnit::Milliseconds => 1e6,
            TimeUnit::Seconds => 1e9,
        }
    }

    /// The symbol metron prints (`ns`, `µs`, `ms`, `s`).
    pub fn symbol(self) -> &'static str {
        match self {
            TimeUnit::Nanoseconds => "ns",
            TimeUnit::Microseconds => "µs",
            TimeUnit::Milliseconds => "ms",
            TimeUnit::Seconds => "s",
        }
    }

    /// The name Python's `timeit` prints (`nsec`, `usec`, `msec`, `sec`).
    pub fn python_name(self) -> &'static str {
        match self {
            TimeUnit::Nanoseconds => "nsec",
            TimeUnit::Microseconds => "usec",
            TimeUnit::Milliseconds => "msec",
            TimeUnit::Seconds => "sec",
        }
    }
}

impl Nanos {
    /// Builds from seconds.
    pub fn from_secs(s: f64) -> Nanos {
        Nanos(s * 1e9)
    }

    /// The value in seconds.
    pub fn as_secs(self) -> f64 {
        self.0 / 1e9
    }

    /// The value expressed in `unit`, without the symbol.
    pub fn in_unit(self, unit: TimeUnit) -> f64 {
        self.0 / unit.nanos()
    }

    /// Formats in a given unit, so that several figures in one line share it.
    pub fn display_in(self, unit: TimeUnit) -> String {
        format!("{} {}", significant(self.in_unit(unit), 4), unit.symbol())
    }
}

impl From<std::time::Duration> for Nanos {
    fn from(d: std::time::Duration) -> Nanos {
        Nanos(d.as_nanos() as f64)
    }
}

impl fmt::Display for Nanos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.is_finite() {
            return write!(f, "{}", self.0);
        }
        let text = self.display_in(TimeUnit::for_value(self.0));
        f.pad(&text)
    }
}

/// Formats `x` with `digits` significant digits, never in exponent notation,
/// and without trailing zeros after the point beyond what the digits need.
pub fn significant(x: f64, digits: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_units() {
        assert_eq!(Nanos(0.512).to_string(), "0.5120 ns");
        assert_eq!(Nanos(12.0).to_string(), "12.00 ns");
        assert_eq!(Nanos(1_234.0).to_string(), "1.234 µs");
        assert_eq!(Nanos(20_310_000.0).to_string(), "20.31 ms");
        assert_eq!(Nanos(3.2e9).to_string(), "3.200 s");
        assert_eq!(Nanos(999_999.0).to_string(), "1000.0 µs");
    }

    #[test]
    fn shared_unit_and_padding() {
        assert_eq!(Nanos(1_500.0).display_in(TimeUnit::Milliseconds), "0.001500 ms");
        assert_eq!(format!("{:>10}", Nanos(12.0)), "  12.00 ns");
        assert_eq!(Nanos::from_secs(0.02).as_secs(), 0.02);
    }

    #[test]
    fn significant_digits() {
        assert_eq!(significant(123.456, 3), "123");
        assert_eq!(significant(0.0123456, 3), "0.0123");
        assert_eq!(significant(12345.0, 3), "12345");
    }
}

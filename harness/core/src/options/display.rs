//! How results are shown, apart from what is measured: the unit of times
//! (`-u/--time-unit`, Python's `-u/--unit`) and the order of the summary
//! (`--sort`), spelled as hyperfine and Python's timeit spell them so that
//! their users' habits carry over.

use crate::model::BenchmarkResult;
use crate::time::TimeUnit;

/// Parses a time unit in metron's, Python's and hyperfine's spellings:
/// `ns`/`nsec`/`nanosecond`, `us`/`µs`/`usec`/`microsecond`,
/// `ms`/`msec`/`millisecond`, `s`/`sec`/`second` (plurals too).
///
/// # Errors
/// A one-line message naming the accepted values.
pub fn parse_time_unit(text: &str) -> Result<TimeUnit, String> {
    let word = text.trim().to_lowercase();
    let word = word.strip_suffix('s').filter(|w| w.len() > 3).unwrap_or(&word);
    match word {
        "ns" | "nsec" | "nanosecond" => Ok(TimeUnit::Nanoseconds),
        "us" | "µs" | "usec" | "microsecond" => Ok(TimeUnit::Microseconds),
        "ms" | "msec" | "millisecond" => Ok(TimeUnit::Milliseconds),
        "s" | "sec" | "second" => Ok(TimeUnit::Seconds),
        _ => {
            Err(format!("'{text}' is not a time unit (use ns, us, ms or s; nsec…sec and millisecond, second work too)"))
        }
    }
}

/// The order of the benchmarks in the summary and the exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// As given on the command line (hyperfine's `auto` and `command`).
    #[default]
    Command,
    /// Fastest median first (hyperfine's `mean-time` sorts by mean; metron's
    /// headline is the median, so it sorts by that).
    Median,
}

impl std::str::FromStr for SortOrder {
    type Err = String;

    fn from_str(text: &str) -> Result<SortOrder, String> {
        match text.trim() {
            "auto" | "command" => Ok(SortOrder::Command),
            "median" | "median-time" | "mean-time" => Ok(SortOrder::Median),
            _ => Err(format!("'{text}' is not a sort order (use command or median; auto and mean-time work too)")),
        }
    }
}

impl SortOrder {
    /// Puts `benchmarks` in this order (a stable sort: ties keep their order).
    pub fn apply(self, benchmarks: &mut [BenchmarkResult]) {
        if self == SortOrder::Median {
            benchmarks.sort_by(|a, b| a.headline().median.total_cmp(&b.headline().median));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_in_every_peers_spelling() {
        for (text, unit) in [
            ("ns", TimeUnit::Nanoseconds),
            ("nsec", TimeUnit::Nanoseconds),
            ("usec", TimeUnit::Microseconds),
            ("µs", TimeUnit::Microseconds),
            ("microseconds", TimeUnit::Microseconds),
            ("msec", TimeUnit::Milliseconds),
            ("millisecond", TimeUnit::Milliseconds),
            ("s", TimeUnit::Seconds),
            ("sec", TimeUnit::Seconds),
            ("Seconds", TimeUnit::Seconds),
        ] {
            assert_eq!(parse_time_unit(text), Ok(unit), "{text}");
        }
        assert!(parse_time_unit("fortnight").unwrap_err().contains("not a time unit"));
        assert!(parse_time_unit("mss").is_err());
    }

    #[test]
    fn sort_orders() {
        assert_eq!("mean-time".parse(), Ok(SortOrder::Median));
        assert_eq!("auto".parse(), Ok(SortOrder::Command));
        assert!("fastest".parse::<SortOrder>().is_err());
    }
}

//! The syntax of option values shared by the `metron` command line and the
//! `metron::main!` bench harness: durations (`3s`, `500ms`), percentages
//! (`1%`, `0.5`), clocks. One parser per kind of value, so both front ends
//! accept exactly the same spellings and give the same messages.

use std::time::Duration;

use crate::model::ClockKind;

/// The longest duration any option accepts: a year. Nothing metron times
/// or waits for is meant to take longer, so more is a typo; and a bound
/// well inside what `Duration` and `Instant` arithmetic can hold keeps
/// every later `deadline = now + budget` from overflowing.
pub const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

/// Parses a duration: a number with an optional unit `ns`, `us`/`µs`, `ms`,
/// `s`, `m`; a bare number is seconds (`3`, `2.5s`, `500ms`).
///
/// # Errors
/// A one-line message for anything else, negative or non-finite values,
/// and values above [`MAX_DURATION`].
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split =
        t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| format!("'{text}' is not a duration (try 3s or 500ms)"))?;
    let scale = match unit.trim() {
        "" | "s" | "sec" => 1.0,
        "ms" => 1e-3,
        "us" | "µs" => 1e-6,
        "ns" => 1e-9,
        "m" | "min" => 60.0,
        other => return Err(format!("'{other}' is not a time unit (use ns, us, ms, s or m)")),
    };
    let secs = value * scale;
    if !secs.is_finite() || secs < 0.0 {
        return Err(format!("'{text}' is not a non-negative duration"));
    }
    // Checked: `from_secs_f64` panics on values `Duration` cannot hold.
    match Duration::try_from_secs_f64(secs) {
        Ok(d) if d <= MAX_DURATION => Ok(d),
        _ => Err(format!("'{text}' is too long a duration (at most 365 days)")),
    }
}

/// Parses a percentage into a fraction: `1%` and `1` both mean 0.01.
/// Range checks are left to the setting that uses it, so messages can name it.
///
/// # Errors
/// A one-line message when the text is not a number.
pub fn parse_percent(text: &str) -> Result<f64, String> {
    let t = text.trim().trim_end_matches('%').trim();
    let v: f64 = t.parse().map_err(|_| format!("'{text}' is not a percentage (try 1% or 0.5%)"))?;
    if !v.is_finite() {
        return Err(format!("'{text}' is not a finite percentage"));
    }
    Ok(v / 100.0)
}

/// Parses a whole number of runs, samples or iterations (`--runs 20`).
///
/// # Errors
/// A one-line message when the text is not a whole number.
pub fn parse_count(text: &str) -> Result<u64, String> {
    text.trim().parse().map_err(|_| format!("'{text}' is not a whole number"))
}

/// Parses `wall`, `cpu`, or a count: `instructions`, `cycles`,
/// `estimated-cycles` (see [`crate::counter`]).
///
/// # Errors
/// A one-line message naming the accepted values.
pub fn parse_clock(text: &str) -> Result<ClockKind, String> {
    match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
        "wall" => Ok(ClockKind::Wall),
        "cpu" => Ok(ClockKind::Cpu),
        "instructions" | "instr" => Ok(ClockKind::Instructions),
        "cycles" => Ok(ClockKind::Cycles),
        "estimated-cycles" => Ok(ClockKind::EstimatedCycles),
        _ => Err(format!("'{text}' is not a clock (use wall, cpu, instructions, cycles or estimated-cycles)")),
    }
}

/// Parses a CPU list as `taskset -c` and the kernel's cpusets write it:
/// numbers and ranges separated by commas (`1`, `0,2-3`). Whether the CPUs
/// exist is checked when pinning ([`crate::pin`]).
///
/// # Errors
/// A one-line message for anything else, an empty list or a reversed range.
pub fn parse_cpus(text: &str) -> Result<Vec<usize>, String> {
    let bad = || format!("'{text}' is not a CPU list (try 1 or 0,2-3)");
    let mut cpus = Vec::new();
    for part in text.split(',').map(str::trim) {
        let (lo, hi) = match part.split_once('-') {
            Some((a, b)) => {
                (a.trim().parse::<usize>().map_err(|_| bad())?, b.trim().parse::<usize>().map_err(|_| bad())?)
            }
            None => {
                let n = part.parse::<usize>().map_err(|_| bad())?;
                (n, n)
            }
        };
        if lo > hi || hi >= 1 << 16 {
            return Err(bad());
        }
        cpus.extend(lo..=hi);
    }
    cpus.sort_unstable();
    cpus.dedup();
    Ok(cpus)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3s"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5 s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("20us"), Ok(Duration::from_micros(20)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("3 fortnights").unwrap_err().contains("not a time unit"));
        assert!(parse_duration("1e999").unwrap_err().contains("not a non-negative duration"));
        for huge in ["1e30", "99999999999999999999s", "1e20m", "525601m"] {
            assert!(parse_duration(huge).is_err(), "{huge}");
        }
        assert!(parse_duration("1e30").unwrap_err().contains("'1e30' is too long a duration"));
        assert_eq!(parse_duration("525600m"), Ok(MAX_DURATION));
    }

    #[test]
    fn percents_and_clocks() {
        assert_eq!(parse_percent("1%"), Ok(0.01));
        assert_eq!(parse_percent("0.5"), Ok(0.005));
        assert_eq!(parse_percent("-1"), Ok(-0.01));
        assert!(parse_percent("x%").is_err());
        assert_eq!(parse_clock("CPU"), Ok(ClockKind::Cpu));
        assert!(parse_clock("sundial").is_err());
    }
}

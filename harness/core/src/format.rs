//! How figures are written for people, in every front end and every
//! export: C's `%g` as Python's `timeit` prints it, the timeit and IPython
//! lines, thousands separators, memory sizes, p-values, the decimals a
//! ratio needs for its confidence interval, factors and percentages. Pure functions of numbers: no
//! colour, no layout, no terminal.

use crate::model::Interval;
use crate::time::TimeUnit;

/// A per-iteration figure on `clock`: a time with its unit, or a count
/// ([`count`]) for the count clocks.
pub fn per_iteration(clock: crate::model::ClockKind, value: f64) -> String {
    if clock.is_count() {
        count(value)
    } else {
        crate::time::Nanos(value).to_string()
    }
}

/// An event count per iteration as people read it: whole numbers with
/// thousands separators from 100 up (`1,234,567`), four significant
/// digits below (`12.5`, `0.25`), so a count and a per-loop fraction of one
/// both read naturally.
pub fn count(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x.abs() >= 100.0 {
        let sign = if x < 0.0 { "-" } else { "" };
        return format!("{sign}{}", thousands(x.abs().round() as u64));
    }
    format_g(x, 4)
}

/// Formats like C's `%.*g`, which Python's `timeit` uses for its figures.
pub fn format_g(x: f64, precision: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let p = precision.max(1);
    let exp = x.abs().log10().floor() as i32;
    // Rounding can carry into the next power of ten (999.7 -> 1e+03).
    let rounded_exp = {
        let scaled = x.abs() / 10f64.powi(exp);
        let r = (scaled * 10f64.powi(p as i32 - 1)).round() / 10f64.powi(p as i32 - 1);
        if r >= 10.0 {
            exp + 1
        } else {
            exp
        }
    };
    if rounded_exp < -4 || rounded_exp >= p as i32 {
        let mantissa = x / 10f64.powi(rounded_exp);
        let m = trim_zeros(format!("{:.*}", p - 1, mantissa));
        let sign = if rounded_exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", rounded_exp.abs())
    } else {
        let decimals = (p as i32 - 1 - rounded_exp).max(0) as usize;
        trim_zeros(format!("{x:.decimals$}"))
    }
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Python's `timeit` line: `N loops, best of R: X usec per loop`, in `unit`
/// when given (Python's `-u`), else in the largest unit in which the figure
/// is at least 1, as Python picks it.
pub fn timeit_line(loops: u64, repeat: usize, best_ns: f64, unit: Option<TimeUnit>) -> String {
    let unit = unit.unwrap_or_else(|| {
        [TimeUnit::Seconds, TimeUnit::Milliseconds, TimeUnit::Microseconds, TimeUnit::Nanoseconds]
            .into_iter()
            .find(|u| best_ns >= u.nanos())
            .unwrap_or(TimeUnit::Nanoseconds)
    });
    let s = if loops == 1 { "" } else { "s" };
    format!(
        "{loops} loop{s}, best of {repeat}: {} {} per loop",
        format_g(best_ns / unit.nanos(), 3),
        unit.python_name()
    )
}

/// IPython's line: `X ± Y per loop (mean ± std. dev. of R runs, N loops each)`.
pub fn ipython_line(mean_ns: f64, std_ns: f64, runs: usize, loops: u64) -> String {
    let fmt = |ns: f64| {
        let unit = TimeUnit::for_value(ns);
        format!("{} {}", format_g(ns / unit.nanos(), 3), unit.symbol())
    };
    let runs_s = if runs == 1 { "" } else { "s" };
    let loops_s = if loops == 1 { "" } else { "s" };
    format!(
        "{} ± {} per loop (mean ± std. dev. of {runs} run{runs_s}, {} loop{loops_s} each)",
        fmt(mean_ns),
        fmt(std_ns),
        thousands(loops)
    )
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// KiB as a human size (`1.9 MiB`).
pub fn kib(kib: u64) -> String {
    let b = kib as f64 * 1024.0;
    if b >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2} GiB", b / (1024.0 * 1024.0 * 1024.0))
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    } else {
        format!("{kib} KiB")
    }
}

/// `p < 0.001` or `p = 0.042`.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

/// Decimals for a ratio and its CI: two, as people read factors, unless the
/// CI is so narrow that rounding to two would blur its ends (1.0887–1.0958
/// is not "1.09–1.10").
pub fn ratio_decimals(ci: Interval) -> usize {
    let width = ci.hi - ci.lo;
    if width >= 0.05 {
        2
    } else if width >= 0.005 {
        3
    } else {
        4
    }
}

/// A ratio or factor with three significant digits (`1.31`, `0.0123`,
/// `12.5`): what a table cell of ratios shows when no CI sets the decimals.
pub fn ratio(x: f64) -> String {
    crate::time::significant(x, 3)
}

/// A change as a signed percentage with two decimals: `+1.25%`.
pub fn signed_percent(x: f64) -> String {
    format!("{:+.2}%", x * 100.0)
}

// Factors and shares, as the suite's conclusions, its terminal lines and
// its report tables write them ("1.93× faster", "95% CI 1.90–1.96×", "97%").

/// Decimals for a factor ("how many times faster") and its CI: as
/// [`ratio_decimals`], two for an interval that is not finite, and none for
/// factors of 20 and more, where a unit is precision enough.
pub fn factor_decimals(value: f64, ci: Interval) -> usize {
    if value >= 20.0 {
        0
    } else if !(ci.hi - ci.lo).is_finite() {
        2
    } else {
        ratio_decimals(ci)
    }
}

/// A factor with the decimals its CI needs: `1.93×`.
pub fn factor(value: f64, ci: Interval) -> String {
    let d = factor_decimals(value, ci);
    format!("{value:.d$}×")
}

/// A factor's CI, its ends with the decimals of [`factor`]: `95% CI 1.90–1.96×`.
pub fn factor_ci(value: f64, ci: Interval) -> String {
    let d = factor_decimals(value, ci);
    format!("95% CI {:.d$}–{:.d$}×", ci.lo, ci.hi)
}

/// A share (0.974) as a whole percentage: `97%`.
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

#[cfg(test)]
mod factor_tests {
    use super::*;

    #[test]
    fn factors_keep_the_decimals_their_interval_needs() {
        assert_eq!(factor(1.934, Interval::new(1.9, 1.96)), "1.93×");
        assert_eq!(factor_ci(1.934, Interval::new(1.9, 1.96)), "95% CI 1.90–1.96×");
        assert_eq!(factor_ci(1.0, Interval::new(0.9951, 1.0049)), "95% CI 0.995–1.005×");
        assert_eq!(factor_ci(1.0012, Interval::new(0.9991, 1.0031)), "95% CI 0.9991–1.0031×");
        assert_eq!(factor(38.4, Interval::new(36.0, 41.0)), "38×");
        assert_eq!(factor_ci(1.5, Interval::new(1.2, f64::INFINITY)), "95% CI 1.20–inf×");
        assert_eq!(percent(0.974), "97%");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_matches_c() {
        // Reference values from Python: '%.*g' % (3, x).
        for (x, want) in [
            (1.0, "1"),
            (4.7891, "4.79"),
            (12.345, "12.3"),
            (123.45, "123"),
            (999.7, "1e+03"),
            (0.000123456, "0.000123"),
            (0.0000123456, "1.23e-05"),
            (100.0, "100"),
            (1.5, "1.5"),
        ] {
            assert_eq!(format_g(x, 3), want, "{x}");
        }
    }

    #[test]
    fn timeit_lines_match_python_and_ipython() {
        assert_eq!(timeit_line(200_000, 5, 1_234.5, None), "200000 loops, best of 5: 1.23 usec per loop");
        assert_eq!(timeit_line(1, 5, 2.5e9, None), "1 loop, best of 5: 2.5 sec per loop");
        assert_eq!(timeit_line(50, 7, 20_310_000.0, None), "50 loops, best of 7: 20.3 msec per loop");
        // Python: `-u nsec` gives "1.23e+03 nsec per loop" for 1.23 usec.
        let nsec = timeit_line(200_000, 5, 1_234.5, Some(TimeUnit::Nanoseconds));
        assert_eq!(nsec, "200000 loops, best of 5: 1.23e+03 nsec per loop");
        assert_eq!(
            ipython_line(4_780.0, 23.4, 7, 100_000),
            "4.78 µs ± 23.4 ns per loop (mean ± std. dev. of 7 runs, 100,000 loops each)"
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
        assert_eq!(kib(1946), "1.9 MiB");
        assert_eq!(kib(512), "512 KiB");
        assert_eq!(ratio(1.3123), "1.31");
        assert_eq!(ratio(1.0), "1.00");
        assert_eq!(signed_percent(0.0521), "+5.21%");
        assert_eq!(signed_percent(-0.1), "-10.00%");
    }
}

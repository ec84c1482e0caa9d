//! Plain-text rendering of results for terminals: the block printed after
//! each benchmark, and the lines Python's `timeit` and IPython's `%timeit`
//! users know. Colour is a parameter (the caller decides from TTY and
//! `NO_COLOR`); this module never looks at the terminal itself.

use std::fmt::Write;

use crate::model::{
    BaselineComparison, BenchmarkResult, ChangeVerdict, ClockKind, Interval, PairedComparison, PairedVerdict,
    StopReason, Summary,
};
use crate::time::{Nanos, TimeUnit};

/// Whether to emphasise with ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colour {
    /// Plain text.
    #[default]
    Never,
    /// ANSI escape codes.
    Always,
}

impl Colour {
    /// Wraps `text` in an SGR code when colour is on.
    pub fn paint(self, code: &str, text: &str) -> String {
        match self {
            Colour::Never => text.to_string(),
            Colour::Always => format!("\x1b[{code}m{text}\x1b[0m"),
        }
    }

    /// Bold green, for the headline figure.
    pub fn good(self, text: &str) -> String {
        self.paint("1;32", text)
    }

    /// Dim, for secondary detail.
    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    /// Bold, for titles.
    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// Resolves `--color auto|always|never`: `auto` colours only when stdout is a
/// terminal and `NO_COLOR` is unset or empty (<https://no-color.org>).
///
/// # Errors
/// A one-line message for any other value.
pub fn colour_choice(choice: &str) -> Result<Colour, String> {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match choice {
        "always" => Ok(Colour::Always),
        "never" => Ok(Colour::Never),
        "auto" if !no_color && std::io::stdout().is_terminal() => Ok(Colour::Always),
        "auto" => Ok(Colour::Never),
        other => Err(format!("'{other}' is not a colour choice (use auto, always or never)")),
    }
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

/// Python's `timeit` line: `N loops, best of R: X usec per loop`.
pub fn timeit_line(loops: u64, repeat: usize, best_ns: f64) -> String {
    // Python picks the largest unit in which the figure is at least 1.
    let unit = [TimeUnit::Seconds, TimeUnit::Milliseconds, TimeUnit::Microseconds, TimeUnit::Nanoseconds]
        .into_iter()
        .find(|u| best_ns >= u.nanos())
        .unwrap_or(TimeUnit::Nanoseconds);
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

fn stop_text(r: &BenchmarkResult) -> String {
    let s = r.headline();
    let precision = s.median_ci.relative_half_width(s.median) * 100.0;
    match r.stop_reason {
        StopReason::Precision => format!("CI ±{precision:.2}% reached"),
        StopReason::TimeBudget => format!("time budget spent, CI ±{precision:.2}%"),
        StopReason::MaxSamples => format!("max runs reached, CI ±{precision:.2}%"),
        StopReason::FixedRuns => format!("CI ±{precision:.2}%"),
        StopReason::Interrupted => "interrupted".to_string(),
    }
}

fn outlier_text(s: &Summary) -> String {
    let o = s.outliers;
    match (o.low_mild + o.high_mild, o.low_severe + o.high_severe) {
        (0, 0) => "no outliers".into(),
        (m, 0) => format!("{m} mild outlier{}", if m == 1 { "" } else { "s" }),
        (0, v) => format!("{v} severe outlier{}", if v == 1 { "" } else { "s" }),
        (m, v) => format!("{m} mild, {v} severe outliers"),
    }
}

/// The block shown after one benchmark, hyperfine-style, with a confidence
/// interval and both clocks. `index` numbers benchmarks from 1.
pub fn benchmark_block(r: &BenchmarkResult, index: usize, colour: Colour) -> String {
    let mut out = String::new();
    let title = match &r.command {
        Some(cmd) if cmd != &r.name => format!("{} ({cmd})", r.name),
        _ => r.name.clone(),
    };
    let _ = writeln!(out, "{} {}", colour.bold(&format!("Benchmark {index}:")), title);
    let head = r.headline();
    let clock = match (r.clock, &r.cpu) {
        (ClockKind::Cpu, Some(_)) => "cpu",
        _ => "wall",
    };
    let unit = TimeUnit::for_value(head.median);
    let _ = writeln!(
        out,
        "  Time ({clock}, median, 95% CI):  {}  [{} … {}]",
        colour.good(&Nanos(head.median).display_in(unit)),
        Nanos(head.median_ci.lo).display_in(unit),
        Nanos(head.median_ci.hi).display_in(unit),
    );
    let _ = writeln!(
        out,
        "  Time ({clock}, mean ± σ):        {} ± {}",
        Nanos(head.mean).display_in(unit),
        Nanos(head.std_dev)
    );
    let _ = writeln!(out, "  {}", other_clock_line(r));
    let runs = r.samples.len();
    let per = if r.samples.first().is_some_and(|s| s.iterations > 1) {
        format!(" × {} loops", thousands(r.samples[0].iterations))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  Range (min … max):          {} … {}   {}",
        Nanos(head.min).display_in(unit),
        Nanos(head.max).display_in(unit),
        colour.dim(&format!("{runs} runs{per}, {}, {}", stop_text(r), outlier_text(head))),
    );
    let mut extra = Vec::new();
    if let Some(rss) = r.max_rss_kib {
        extra.push(format!("peak RSS {}", kib(rss)));
    }
    if let Some(o) = r.shell_overhead_ns {
        extra.push(format!("shell start-up {} subtracted", Nanos(o)));
    }
    if let Some(reg) = head.regression {
        extra.push(format!("slope {} per iteration (R² {:.4})", Nanos(reg.slope), reg.r_squared));
    }
    if !extra.is_empty() {
        let _ = writeln!(out, "  {}", colour.dim(&extra.join(" · ")));
    }
    out
}

/// The line for the clock that is not the headline: CPU (with user/sys when
/// known) and its share of wall time, or wall time when CPU is the headline.
fn other_clock_line(r: &BenchmarkResult) -> String {
    let Some(cpu) = &r.cpu else {
        return "CPU time: not measured on this platform".into();
    };
    let share = r.cpu_utilisation().map(|u| format!("{:.1}% of wall", u * 100.0)).unwrap_or_default();
    let split =
        user_share(r).map(|u| format!(" ({:.0}% user, {:.0}% sys)", u * 100.0, (1.0 - u) * 100.0)).unwrap_or_default();
    match r.clock {
        ClockKind::Cpu => format!("Wall (median):              {}   CPU is {share}", Nanos(r.wall.median)),
        ClockKind::Wall => format!("CPU (median):               {}{split}   {share}", Nanos(cpu.median)),
    }
}

/// User time's share of all CPU time, over every sample, when the samples
/// split it. Totals, not medians: medians of user and of system time need not
/// add up to the median CPU time, shares of the totals always do.
fn user_share(r: &BenchmarkResult) -> Option<f64> {
    let (mut user, mut sys) = (0.0, 0.0);
    for s in &r.samples {
        user += s.user_ns?;
        sys += s.sys_ns?;
    }
    (user + sys > 0.0).then(|| user / (user + sys))
}

/// What `metron timeit` prints per statement: Python's line, IPython's line,
/// then the median with its 95% CI and CPU vs wall.
pub fn timeit_block(r: &BenchmarkResult, titled: bool, colour: Colour) -> String {
    let mut out = String::new();
    if titled {
        let _ = writeln!(out, "{}", colour.bold(&format!("{}:", r.name)));
    }
    let head = r.headline();
    let loops = r.samples.first().map_or(1, |s| s.iterations);
    let _ = writeln!(out, "{}", timeit_line(loops, head.n, head.min));
    let _ = writeln!(out, "{}", ipython_line(head.mean, head.std_dev, head.n, loops));
    let cpu = match (&r.cpu, r.clock) {
        (Some(cpu), ClockKind::Wall) => format!(
            " · CPU {} per loop ({:.0}% of wall)",
            Nanos(cpu.median),
            r.cpu_utilisation().unwrap_or(0.0) * 100.0
        ),
        (Some(_), ClockKind::Cpu) => format!(" · wall {} per loop", Nanos(r.wall.median)),
        (None, _) => " · CPU time not measured on this platform".to_string(),
    };
    let _ = writeln!(
        out,
        "median {} per loop, 95% CI [{}, {}]{cpu}",
        colour.good(&Nanos(head.median).to_string()),
        Nanos(head.median_ci.lo),
        Nanos(head.median_ci.hi),
    );
    out
}

/// `p < 0.001` or `p = 0.042`.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

/// The sentence a person acts on, e.g.
/// `'grep -F foo' is 1.31× faster than 'grep foo' (95% CI 1.28–1.34, p < 0.001), 2.1 ms less (95% CI …)`.
pub fn verdict_line(c: &PairedComparison, colour: Colour) -> String {
    let p = p_text(c.p_adjusted.unwrap_or(c.p_value));
    let adjusted = if c.p_adjusted.is_some() { ", BH-adjusted" } else { "" };
    let gap = |d: f64, ci: Interval| {
        let unit = TimeUnit::for_value(d.abs().max(ci.lo.abs()).max(ci.hi.abs()));
        let num = |x: f64| crate::time::significant(x / unit.nanos(), 4);
        format!("taking {} {} less (95% CI {}–{} {})", num(d), unit.symbol(), num(ci.lo), num(ci.hi), unit.symbol())
    };
    let significant = c.p_adjusted.unwrap_or(c.p_value) < crate::compare::PAIRED_ALPHA;
    match c.verdict {
        PairedVerdict::NoDifference if significant => format!(
            "no difference beyond ±{}% between '{}' and '{}' (ratio {:.4}, 95% CI {:.4}–{:.4}, {p}{adjusted})",
            c.noise * 100.0,
            c.reference,
            c.candidate,
            c.ratio,
            c.ci.lo,
            c.ci.hi
        ),
        PairedVerdict::NoDifference => format!(
            "no significant difference between '{}' and '{}' (ratio {:.3}, 95% CI {:.3}–{:.3}, {p}{adjusted})",
            c.reference, c.candidate, c.ratio, c.ci.lo, c.ci.hi
        ),
        // Say it from the faster side, with a factor above 1.
        PairedVerdict::Slower => {
            let d = ratio_decimals(c.ci);
            format!(
                "'{}' is {} faster than '{}' (95% CI {:.d$}–{:.d$}, {p}{adjusted}), {}",
                c.reference,
                colour.good(&format!("{:.d$}×", c.ratio)),
                c.candidate,
                c.ci.lo,
                c.ci.hi,
                gap(c.difference_ns, c.difference_ci),
            )
        }
        PairedVerdict::Faster => {
            let inverse = Interval::new(1.0 / c.ci.hi, 1.0 / c.ci.lo);
            let d = ratio_decimals(inverse);
            format!(
                "'{}' is {} faster than '{}' (95% CI {:.d$}–{:.d$}, {p}{adjusted}), {}",
                c.candidate,
                colour.good(&format!("{:.d$}×", 1.0 / c.ratio)),
                c.reference,
                inverse.lo,
                inverse.hi,
                gap(-c.difference_ns, Interval::new(-c.difference_ci.hi, -c.difference_ci.lo)),
            )
        }
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

fn signed_percent(x: f64) -> String {
    format!("{:+.2}%", x * 100.0)
}

/// The per-benchmark table of a baseline comparison: change, CI, p, verdict.
pub fn change_table(b: &BaselineComparison, colour: Colour) -> String {
    let mut out = String::new();
    let width = b.changes.iter().map(|c| c.id.chars().count()).max().unwrap_or(9).max(9);
    let _ = writeln!(
        out,
        "{:<width$}  {:>10}  {:>10}  {:>8}  {:>19}  {:>9}  verdict",
        "benchmark", "old", "new", "change", "95% CI", "p"
    );
    for c in &b.changes {
        let verdict = match c.verdict {
            ChangeVerdict::Improved => colour.paint("1;32", "improved"),
            ChangeVerdict::Regressed => colour.paint("1;31", "regressed"),
            ChangeVerdict::Unchanged => "unchanged".to_string(),
        };
        let p = if c.p_adjusted < 0.001 { "<0.001".to_string() } else { format!("{:.3}", c.p_adjusted) };
        let _ = writeln!(
            out,
            "{:<width$}  {:>10}  {:>10}  {:>8}  {:>19}  {:>9}  {verdict}",
            c.id,
            Nanos(c.old_median_ns).to_string(),
            Nanos(c.new_median_ns).to_string(),
            signed_percent(c.change),
            format!("[{}, {}]", signed_percent(c.ci.lo), signed_percent(c.ci.hi)),
            p,
        );
    }
    let fdr = if b.multiple_comparisons == "none" {
        String::new()
    } else {
        format!(", p-values adjusted for {} comparisons ({})", b.changes.len(), b.multiple_comparisons)
    };
    let _ = writeln!(
        out,
        "{}",
        colour.dim(&format!(
            "against {}: {} clock, α = {}, noise threshold ±{}%; p is the larger of Welch's t (log times) and Mann-Whitney U{fdr}",
            b.baseline,
            b.clock,
            b.alpha,
            b.noise * 100.0
        ))
    );
    for id in &b.only_in_baseline {
        let _ = writeln!(out, "only in the baseline: {id}");
    }
    for id in &b.only_in_new {
        let _ = writeln!(out, "new (not in the baseline): {id}");
    }
    for note in &b.environment_notes {
        let _ = writeln!(out, "{}", colour.dim(&format!("note: {note}")));
    }
    out
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
        assert_eq!(timeit_line(200_000, 5, 1_234.5), "200000 loops, best of 5: 1.23 usec per loop");
        assert_eq!(timeit_line(1, 5, 2.5e9), "1 loop, best of 5: 2.5 sec per loop");
        assert_eq!(timeit_line(50, 7, 20_310_000.0), "50 loops, best of 7: 20.3 msec per loop");
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
        assert_eq!(Colour::Never.good("x"), "x");
        assert_eq!(Colour::Always.good("x"), "\x1b[1;32mx\x1b[0m");
    }
}

//! The text a terminal shows for results: the block printed after each
//! benchmark (hyperfine-style), the timeit block, the verdict sentence of a
//! paired comparison and the table of changes against a baseline. Colour is
//! a parameter: the front end decides it (from `--color`, the terminal and
//! `NO_COLOR`, through [`ColourChoice`]); nothing here looks at the terminal.

use std::borrow::Cow;
use std::fmt::Write;

use crate::explain;
use crate::format::{count, ipython_line, kib, p_text, ratio_decimals, signed_percent, thousands, timeit_line};
use crate::model::{
    BaselineComparison, BenchmarkResult, ChangeVerdict, ClockKind, Interval, PairedComparison, PairedVerdict, Summary,
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

/// `--color auto|always|never`, as given; [`ColourChoice::resolve`] turns it
/// into a [`Colour`] once the front end knows whether its output is a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColourChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set (<https://no-color.org>).
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl std::str::FromStr for ColourChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<ColourChoice, String> {
        match text {
            "auto" => Ok(ColourChoice::Auto),
            "always" => Ok(ColourChoice::Always),
            "never" => Ok(ColourChoice::Never),
            other => Err(format!("'{other}' is not a colour choice (use auto, always or never)")),
        }
    }
}

/// Whether `NO_COLOR` asks for no colour: set and not empty, as
/// <https://no-color.org> says. Every front end passes it to
/// [`ColourChoice::resolve`].
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl ColourChoice {
    /// The colour to use: `auto` colours only a terminal, and only when
    /// `NO_COLOR` is unset or empty. The front end says both facts.
    pub fn resolve(self, is_terminal: bool, no_color: bool) -> Colour {
        match self {
            ColourChoice::Always => Colour::Always,
            ColourChoice::Auto if is_terminal && !no_color => Colour::Always,
            ColourChoice::Auto | ColourChoice::Never => Colour::Never,
        }
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

/// `text` as it can be shown on a terminal: control characters (C0 with
/// NUL, ESC, CR and newline, DEL, C1) and the invisible characters that
/// reorder or hide text (bidirectional controls such as U+202E, zero-width
/// joiners, line and paragraph separators, BOM) written as escapes (`\x1b`,
/// `\r`, `\u{202e}`), so that a name or a child's stderr cannot move the
/// cursor, rewrite the line or disguise what it says. Every piece of user
/// text that reaches the terminal goes through this one function.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, Newlines::Escape)
}

/// [`printable`] for text of several lines (a failure with a traceback, a
/// compiler's message): newlines and tabs are kept, all else is escaped.
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    escape(text, Newlines::Keep)
}

/// Whether newlines and tabs are escaped too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Newlines {
    Escape,
    Keep,
}

fn escape(text: &str, newlines: Newlines) -> Cow<'_, str> {
    let kept = |c: char| newlines == Newlines::Keep && matches!(c, '\n' | '\t');
    if !text.chars().any(|c| needs_escape(c) && !kept(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if kept(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x100 && needs_escape(c) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `c` is a control or an invisible formatting character (see [`printable`]).
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c as u32, 0x061C | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

/// The line that says a benchmark failed, the same in every front end:
/// `Error: NAME: REASON` (the name once, when the reason already has it).
pub fn failure_line(failure: &crate::model::Failure, colour: Colour) -> String {
    let what = if failure.reason.contains(&failure.name) {
        failure.reason.clone()
    } else {
        format!("{}: {}", failure.name, failure.reason)
    };
    format!("{} {}", colour.paint("1;31", "Error:"), printable_lines(&what))
}

/// The block shown after one benchmark, hyperfine-style, with a confidence
/// interval and both clocks. `index` numbers benchmarks from 1.
pub fn benchmark_block(r: &BenchmarkResult, index: usize, colour: Colour) -> String {
    benchmark_block_in(r, index, colour, None)
}

/// [`benchmark_block`] with its times in `unit` when given (`--time-unit`),
/// else in the unit that suits the median.
pub fn benchmark_block_in(r: &BenchmarkResult, index: usize, colour: Colour, unit: Option<TimeUnit>) -> String {
    let mut out = String::new();
    // The id (`group/name`), as in the JSON and as the filter matches it.
    let id = r.id();
    let title = match &r.command {
        Some(cmd) if cmd != &r.name => format!("{} ({})", printable(&id), printable(cmd)),
        _ => printable(&id).into_owned(),
    };
    let _ = writeln!(out, "{} {}", colour.bold(&format!("Benchmark {index}:")), title);
    if r.headline_clock().is_count() {
        for line in count_lines(r, colour) {
            let _ = writeln!(out, "  {line}");
        }
        return out;
    }
    let head = r.headline();
    let clock = r.headline_clock();
    let std_dev = match unit {
        Some(unit) => Nanos(head.std_dev).display_in(unit),
        None => Nanos(head.std_dev).to_string(),
    };
    let unit = unit.unwrap_or_else(|| TimeUnit::for_value(head.median));
    let (median, lo, hi) = median_and_ci(colour, |x| Nanos(x).display_in(unit), head.median, head.median_ci);
    let _ = writeln!(out, "  Time ({clock}, median, 95% CI):  {median}  [{lo} … {hi}]");
    let _ = writeln!(out, "  Time ({clock}, mean ± σ):        {} ± {}", Nanos(head.mean).display_in(unit), std_dev);
    for rate in &r.throughput {
        let shown = |x: f64| rate.unit.display_like(x, rate.median_per_s);
        let (median, lo, hi) = median_and_ci(colour, shown, rate.median_per_s, rate.median_ci_per_s);
        let _ = writeln!(out, "  Thrpt ({clock}, median, 95% CI): {median}  [{lo} … {hi}]");
    }
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
        colour.dim(&format!("{runs} runs{per}, {}, {}", explain::stop_sentence(r), outlier_text(head))),
    );
    if let Some(line) = explain::uncertainty_sentence(r) {
        let _ = writeln!(out, "  {}", colour.dim(&format!("Uncertainty: {line}")));
    }
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
        _ => format!("CPU (median):               {}{split}   {share}", Nanos(cpu.median)),
    }
}

/// What a benchmark counted, for the terminal: the headline count with its
/// CI and spread, the other events, what counted and what it leaves out,
/// and the times measured beside the counts.
pub fn count_lines(r: &BenchmarkResult, colour: Colour) -> Vec<String> {
    let head = r.headline();
    let clock = r.headline_clock();
    let spread = if head.median > 0.0 { (head.max - head.min) / head.median } else { 0.0 };
    let loops = match r.samples.first().map_or(1, |s| s.iterations) {
        1 => String::new(),
        n => format!(" × {} loops", thousands(n)),
    };
    let mut lines = vec![format!(
        "{} per iteration (median, 95% CI):  {}  [{} … {}]   {}",
        capitalised(clock),
        colour.good(&count(head.median)),
        count(head.median_ci.lo),
        count(head.median_ci.hi),
        colour.dim(&format!(
            "spread {:.3}% over {} runs{loops} (min {} … max {})",
            spread * 100.0,
            r.samples.len(),
            count(head.min),
            count(head.max)
        )),
    )];
    let mut events = Vec::new();
    if let Some(i) = r.instructions.as_ref().filter(|_| clock != ClockKind::Instructions) {
        events.push(format!("instructions {}", count(i.median)));
    }
    if let Some(c) = &r.counter {
        let named = [
            ("cycles", &c.cycles, ClockKind::Cycles),
            ("estimated cycles", &c.estimated_cycles, ClockKind::EstimatedCycles),
            ("L1 misses", &c.l1_misses, ClockKind::Wall),
            ("LL misses", &c.ll_misses, ClockKind::Wall),
        ];
        for (name, summary, own) in named {
            if let Some(s) = summary.as_ref().filter(|_| own != clock) {
                events.push(format!("{name} {}", count(s.median)));
            }
        }
        lines.push(format!("Counted by {} ({}): {}", c.backend.name(), c.tool, c.excludes));
    }
    if !events.is_empty() {
        lines.push(format!("Per iteration: {}", events.join(" · ")));
    }
    let cpu = r.cpu.as_ref().map(|c| format!(" · CPU (median) {}", Nanos(c.median))).unwrap_or_default();
    lines.push(colour.dim(&format!("Wall (median) {}{cpu} per iteration, beside the counts", Nanos(r.wall.median))));
    lines
}

/// A count clock's name as the start of a line: `Instructions`, `Estimated cycles`.
fn capitalised(clock: ClockKind) -> String {
    let name = clock.to_string().replace('-', " ");
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
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

/// How `metron timeit` shows each statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeitStyle {
    /// The statement above its lines (when several are timed).
    pub titled: bool,
    /// The unit of every time (Python's `-u`); `None`: chosen per figure.
    pub unit: Option<TimeUnit>,
    /// Python's `-v`: every sample's total time too (`raw times: …`).
    pub verbose: bool,
}

/// What `metron timeit` prints per statement: Python's line, IPython's line,
/// then the median with its 95% CI, the precision reached and why sampling
/// stopped, and CPU vs wall.
pub fn timeit_block(r: &BenchmarkResult, style: TimeitStyle, colour: Colour) -> String {
    let mut out = String::new();
    if style.titled {
        let _ = writeln!(out, "{}", colour.bold(&format!("{}:", printable(&r.name))));
    }
    let show = |ns: f64| match style.unit {
        Some(unit) => Nanos(ns).display_in(unit),
        None => Nanos(ns).to_string(),
    };
    let head = r.headline();
    let loops = r.samples.first().map_or(1, |s| s.iterations);
    if r.headline_clock().is_count() {
        let _ = writeln!(
            out,
            "{} loops, median {} {} per loop, 95% CI [{}, {}]",
            thousands(loops),
            colour.good(&count(head.median)),
            r.headline_clock(),
            count(head.median_ci.lo),
            count(head.median_ci.hi)
        );
        for line in count_lines(r, colour).into_iter().skip(1) {
            let _ = writeln!(out, "{line}");
        }
        return out;
    }
    if style.verbose {
        let raw: Vec<String> = r.samples.iter().map(|s| show(s.wall_ns)).collect();
        let _ = writeln!(out, "raw times ({} loops each): {}", thousands(loops), raw.join(", "));
    }
    let _ = writeln!(out, "{}", timeit_line(loops, head.n, head.min, style.unit));
    let _ = writeln!(out, "{}", ipython_line(head.mean, head.std_dev, head.n, loops));
    let cpu = match (&r.cpu, r.clock) {
        (Some(cpu), ClockKind::Wall) => {
            format!(" · CPU {} per loop ({:.0}% of wall)", show(cpu.median), r.cpu_utilisation().unwrap_or(0.0) * 100.0)
        }
        (Some(_), _) => format!(" · wall {} per loop", show(r.wall.median)),
        (None, _) => " · CPU time not measured on this platform".to_string(),
    };
    let (median, lo, hi) = median_and_ci(colour, show, head.median, head.median_ci);
    let _ = writeln!(out, "median {median} per loop, 95% CI [{lo}, {hi}] ({}){cpu}", explain::stop_sentence(r));
    out
}

/// A median and its interval's bounds as `show` writes them, the median
/// coloured as a result: the three parts of every "median [lo … hi]" line.
fn median_and_ci(colour: Colour, show: impl Fn(f64) -> String, median: f64, ci: Interval) -> (String, String, String) {
    (colour.good(&show(median)), show(ci.lo), show(ci.hi))
}

/// The sentence a person acts on, e.g.
/// `'grep -F foo' is 1.31× faster than 'grep foo' (95% CI 1.28–1.34, p < 0.001), 2.1 ms less (95% CI …)`.
pub fn verdict_line(c: &PairedComparison, colour: Colour) -> String {
    let (reference, candidate) = (printable(&c.reference), printable(&c.candidate));
    let p = p_text(c.p_adjusted.unwrap_or(c.p_value));
    let adjusted = if c.p_adjusted.is_some() { ", BH-adjusted" } else { "" };
    let gap = |d: f64, ci: Interval| {
        if c.clock.is_count() {
            let what = c.clock.to_string().replace('-', " ");
            return format!("{} fewer {what} per iteration (95% CI {}–{})", count(d), count(ci.lo), count(ci.hi));
        }
        let unit = TimeUnit::for_value(d.abs().max(ci.lo.abs()).max(ci.hi.abs()));
        let num = |x: f64| crate::time::significant(x / unit.nanos(), 4);
        format!("taking {} {} less (95% CI {}–{} {})", num(d), unit.symbol(), num(ci.lo), num(ci.hi), unit.symbol())
    };
    let significant = c.p_adjusted.unwrap_or(c.p_value) < crate::compare::PAIRED_ALPHA;
    match c.verdict {
        PairedVerdict::NoDifference if significant => format!(
            "no difference beyond ±{}% between '{}' and '{}' (ratio {:.4}, 95% CI {:.4}–{:.4}, {p}{adjusted})",
            c.noise * 100.0,
            reference,
            candidate,
            c.ratio,
            c.ci.lo,
            c.ci.hi
        ),
        PairedVerdict::NoDifference => format!(
            "no significant difference between '{}' and '{}' (ratio {:.3}, 95% CI {:.3}–{:.3}, {p}{adjusted})",
            reference, candidate, c.ratio, c.ci.lo, c.ci.hi
        ),
        // Say it from the faster side, with a factor above 1.
        PairedVerdict::Slower => {
            let d = ratio_decimals(c.ci);
            format!(
                "'{}' is {} faster than '{}' (95% CI {:.d$}–{:.d$}, {p}{adjusted}), {}",
                reference,
                colour.good(&format!("{:.d$}×", c.ratio)),
                candidate,
                c.ci.lo,
                c.ci.hi,
                gap(c.difference_ns, c.difference_ci),
            )
        }
        PairedVerdict::Faster => {
            let inverse = c.ci.reciprocal();
            let d = ratio_decimals(inverse);
            format!(
                "'{}' is {} faster than '{}' (95% CI {:.d$}–{:.d$}, {p}{adjusted}), {}",
                candidate,
                colour.good(&format!("{:.d$}×", 1.0 / c.ratio)),
                reference,
                inverse.lo,
                inverse.hi,
                gap(-c.difference_ns, Interval::new(-c.difference_ci.hi, -c.difference_ci.lo)),
            )
        }
    }
}

/// The per-benchmark table of a baseline comparison: change, CI, p, verdict.
pub fn change_table(b: &BaselineComparison, colour: Colour) -> String {
    let mut out = String::new();
    let width = b.changes.iter().map(|c| printable(&c.id).chars().count()).max().unwrap_or(9).max(9);
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
            printable(&c.id),
            crate::format::per_iteration(b.clock, c.old_median_ns),
            crate::format::per_iteration(b.clock, c.new_median_ns),
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
            "against {}: {} clock, α = {}, noise threshold ±{}%; p from {}{fdr}",
            b.baseline,
            b.clock,
            b.alpha,
            b.noise * 100.0,
            b.verdict_test(),
        ))
    );
    for c in &b.changes {
        if let Some(r) = c.run_to_run {
            let note = format!(
                "note: runs of {} differ by ±{:.2}% from run to run (sd over {} runs), and its CI includes that",
                printable(&c.id),
                r.sd_log * 100.0,
                r.runs
            );
            let _ = writeln!(out, "{}", colour.dim(&note));
        }
    }
    for id in &b.only_in_baseline {
        let _ = writeln!(out, "only in the baseline: {id}");
    }
    for id in &b.only_in_new {
        let _ = writeln!(out, "new (not in the baseline): {id}");
    }
    for id in &b.not_compared {
        let _ = writeln!(out, "not compared (fewer than two samples on a side): {id}");
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
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain – ü ×"), "plain – ü ×");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1b}[2Kb\rc\0d\ne\u{7f}\u{9b}"), "a\\x1b[2Kb\\rc\\0d\\ne\\x7f\\x9b");
        assert_eq!(printable_lines("a\nb\tc\rd"), "a\nb\tc\\rd");
        assert_eq!(printable("x\u{202e}y\u{2066}z\u{200b}\u{feff}"), "x\\u{202e}y\\u{2066}z\\u{200b}\\u{feff}");
    }

    #[test]
    fn colours() {
        assert_eq!(Colour::Never.good("x"), "x");
        assert_eq!(Colour::Always.good("x"), "\x1b[1;32mx\x1b[0m");
        assert_eq!("always".parse::<ColourChoice>().unwrap().resolve(false, true), Colour::Always);
        assert_eq!(ColourChoice::Auto.resolve(true, false), Colour::Always);
        assert_eq!(ColourChoice::Auto.resolve(true, true), Colour::Never);
        assert_eq!(ColourChoice::Auto.resolve(false, false), Colour::Never);
        assert!("sometimes".parse::<ColourChoice>().is_err());
    }
}

//! The flags of a `metron::main!` bench binary: the same names and value
//! syntax as the `metron` command line, so `cargo bench -- --precision 0.5%`
//! means what `metron --precision 0.5%` means.
//!
//! The flags come from the one table both front ends use
//! ([`crate::options::MEASURE_FLAGS`]) and mean what
//! [`MeasureOptions::apply`] says; only the parsing differs: `lexopt` here,
//! because the library must not depend on clap (the CLI crate owns it).

use std::path::PathBuf;
use std::time::Duration;

use lexopt::prelude::*;

use crate::options::{Flag, FlagValue, Heading, MeasureOptions, RoutineMode, MEASURE_FLAGS};
use crate::runner::RunConfig;
use crate::sampler::{Iterations, SamplerConfig, Warmup};
use crate::terminal::Colour;

/// What the bench binary was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `cargo bench`: measure.
    Bench,
    /// `cargo test --benches`: run every benchmark once to check it works.
    Test,
    /// `--list`: print the benchmark names.
    List,
    /// `--help`: print the flags.
    Help,
}

/// Parsed flags of a bench binary.
#[derive(Debug, Clone)]
pub struct BenchArgs {
    /// Bench, test, list or help.
    pub mode: Mode,
    /// Only benchmarks whose id contains this (or equals it with `--exact`).
    pub filter: Option<String>,
    /// Match the filter exactly.
    pub exact: bool,
    /// The measuring flags, as the `metron` command line has them.
    pub options: MeasureOptions,
    /// Sampling and ordering settings, from `options`.
    pub run: RunConfig,
    /// Write the run's JSON here (`--export-json`).
    pub export_json: Option<PathBuf>,
    /// Colour of the terminal output, from `--color` and the terminal.
    pub colour: Colour,
    /// The measuring flags as given, each as one `--long[=VALUE]` word:
    /// what a re-executed child of this binary is passed ([`super::reexec`]).
    pub measuring_flags: Vec<String>,
    /// The measuring flags given (long names), so that what a bench file
    /// declares never overrides them ([`super::BenchSpec::apply`]).
    pub given: Vec<&'static str>,
}

/// The environment variable whose flags a bench binary reads before its
/// arguments: `METRON_BENCH_ARGS='--precision 0.5%' cargo bench`. Cargo passes
/// `cargo bench -- FLAGS` to every bench target, a library's libtest harness
/// included, which rejects metron's flags; a variable reaches only the
/// binaries that read it.
pub const ARGS_VARIABLE: &str = "METRON_BENCH_ARGS";

impl Default for BenchArgs {
    fn default() -> BenchArgs {
        BenchArgs {
            mode: Mode::Bench,
            filter: None,
            exact: false,
            run: RunConfig::default(),
            options: MeasureOptions::default(),
            export_json: None,
            colour: Colour::Never,
            measuring_flags: Vec::new(),
            given: Vec::new(),
        }
    }
}

/// Flags libtest understands that cargo or IDEs may pass, and criterion's
/// `--noplot` that criterion users type by habit; accepted and ignored.
const IGNORED_SWITCHES: &[&str] = &["nocapture", "show-output", "ignored", "include-ignored", "noplot"];
const IGNORED_WITH_VALUE: &[&str] = &["format", "logfile", "test-threads"];

impl BenchArgs {
    /// Parses the process's flags: those in [`ARGS_VARIABLE`] (split as a
    /// shell would), then the arguments after the program name.
    ///
    /// # Errors
    /// One line naming the bad flag or value, or the variable when it does
    /// not split.
    pub fn from_env() -> Result<BenchArgs, String> {
        let mut args = match std::env::var(ARGS_VARIABLE) {
            Ok(text) => shlex::split(&text).ok_or_else(|| format!("{ARGS_VARIABLE}: unbalanced quotes in '{text}'"))?,
            Err(_) => Vec::new(),
        };
        args.extend(std::env::args().skip(1));
        BenchArgs::parse(args)
    }

    /// Parses the arguments after the program name: the measuring flags of
    /// [`MEASURE_FLAGS`] (as `metron` spells them), `--export-json`, and
    /// the flags cargo and libtest pass (`--bench`, `--list`, `--exact`, a filter).
    ///
    /// # Errors
    /// One line naming the bad flag or value.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<BenchArgs, String> {
        let mut out = BenchArgs { mode: Mode::Test, ..BenchArgs::default() };
        let mut parser = lexopt::Parser::from_args(args);
        let (mut list, mut help) = (false, false);
        while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
            match arg {
                Long("bench") => out.mode = Mode::Bench,
                Long("test") => out.mode = Mode::Test,
                Long("list") => list = true,
                Long("exact") => out.exact = true,
                Long("help") | Short('h') => help = true,
                Long("export-json") => out.export_json = Some(PathBuf::from(value(&mut parser, "--export-json")?)),
                Long(f) if IGNORED_SWITCHES.contains(&f) => {}
                Long(f) if IGNORED_WITH_VALUE.contains(&f) => {
                    let flag = format!("--{f}");
                    value(&mut parser, &flag)?;
                }
                Short('Z') => {
                    value(&mut parser, "-Z")?;
                }
                Long(name) => {
                    let flag = Flag::find(name).ok_or_else(|| unknown(&format!("--{name}")))?;
                    let word = apply(&mut out.options, flag, &mut parser)?;
                    out.measuring_flags.push(word);
                    out.given.push(flag.long);
                }
                Short(c) => {
                    let flag = Flag::find_short(c).ok_or_else(|| unknown(&format!("-{c}")))?;
                    let word = apply(&mut out.options, flag, &mut parser)?;
                    out.measuring_flags.push(word);
                    out.given.push(flag.long);
                }
                Value(v) => out.filter = Some(v.string().map_err(|e| e.to_string())?),
            }
        }
        // `cargo bench -- --list` appends `--bench`: listing wins, and help
        // wins over both.
        if help {
            out.mode = Mode::Help;
        } else if list {
            out.mode = Mode::List;
        }
        out.run = out.options.run_config(RoutineMode::Closures).map_err(|e| e.to_string())?;
        out.colour = colour_for_stdout(&out.options);
        Ok(out)
    }

    /// Whether a benchmark with this id is selected by the filter.
    pub fn selects(&self, id: &str) -> bool {
        match &self.filter {
            None => true,
            Some(f) if self.exact => id == f,
            Some(f) => id.contains(f.as_str()),
        }
    }

    /// The text of `--help`: the bench binary's own flags, then every
    /// measuring flag from the table `metron --help` is built from.
    pub fn help(program: &str) -> String {
        let mut out = format!(
            "Usage: cargo bench [--bench NAME] -- [OPTIONS] [FILTER]\n       {program} --bench [OPTIONS] [FILTER]\n\n\
             Runs the benchmarks whose id (group/name, as printed) contains FILTER (all\n\
             without one). Without --bench (cargo test --benches) each benchmark runs once,\n\
             as a test. Options in {ARGS_VARIABLE} are read first; in a crate with a library,\n\
             use it (or `cargo bench --bench NAME -- OPTIONS`), since cargo also hands\n\
             `cargo bench -- OPTIONS` to the library's test harness, which rejects them.\n\n\
             Examples:\n  cargo bench -- --precision 0.5% sort/\n  {ARGS_VARIABLE}='--save-baseline main' cargo bench\n  cargo bench --bench sorting -- --list\n\n\
             Options:\n"
        );
        let own = [
            ("--bench", "Measure (cargo bench passes it)."),
            ("--list", "List the benchmarks without measuring."),
            ("--exact", "Match FILTER exactly."),
            ("--export-json FILE", "Write the run (every sample) as JSON; updated as each group finishes."),
            ("-h, --help", "Print this help."),
        ];
        for (name, help) in own {
            out.push_str(&format!("  {name:<32} {help}\n"));
        }
        for heading in [Heading::Sampling, Heading::Comparison, Heading::Output] {
            out.push_str(&format!("\n{}:\n", heading.title()));
            for flag in MEASURE_FLAGS.iter().filter(|f| f.heading == heading) {
                out.push_str(&format!("  {:<32} {}\n", usage_of(flag), help_of(flag)));
            }
        }
        out
    }
}

/// `-w, --warmup N` as `--help` shows it.
fn usage_of(flag: &Flag) -> String {
    let short = flag.short.map_or(String::from("    "), |c| format!("-{c}, "));
    match flag.value {
        FlagValue::Switch => format!("{short}--{}", flag.long),
        FlagValue::Required { name, .. } => format!("{short}--{} {name}", flag.long),
        FlagValue::Optional { name, .. } => format!("{short}--{}[={name}]", flag.long),
    }
}

fn help_of(flag: &Flag) -> String {
    match flag.value {
        FlagValue::Required { default: Some(d), .. } => format!("{} [default: {d}]", flag.help),
        _ => flag.help.to_string(),
    }
}

/// Reads `flag`'s value (if it takes one) and applies it.
/// Applies one measuring flag; returns it as one `--long[=VALUE]` word.
fn apply(options: &mut MeasureOptions, flag: &Flag, parser: &mut lexopt::Parser) -> Result<String, String> {
    let name = format!("--{}", flag.long);
    let given = match flag.value {
        FlagValue::Switch => None,
        FlagValue::Required { .. } => Some(value(parser, &name)?),
        // Only `--flag=VALUE`: a bare flag followed by a filter keeps the filter.
        FlagValue::Optional { .. } => parser
            .optional_value()
            .map(|v| v.into_string().map_err(|v| format!("{name}: '{}' is not UTF-8", v.to_string_lossy())))
            .transpose()?,
    };
    options.apply(flag.long, given.as_deref()).map_err(|e| format!("{name}: {e}"))?;
    Ok(match given {
        Some(v) => format!("{name}={v}"),
        None => name,
    })
}

fn value(parser: &mut lexopt::Parser, flag: &str) -> Result<String, String> {
    let v = parser.value().map_err(|_| format!("{flag} needs a value"))?;
    v.into_string().map_err(|v| format!("{flag}: '{}' is not UTF-8", v.to_string_lossy()))
}

fn unknown(flag: &str) -> String {
    format!("unknown option {flag} (see --help)")
}

/// The bench binary is its own front end: it decides colour for its stdout.
fn colour_for_stdout(options: &MeasureOptions) -> Colour {
    use std::io::IsTerminal;
    options.output.colour.resolve(std::io::stdout().is_terminal(), crate::terminal::no_color_requested())
}

/// A short time budget for test mode: each benchmark runs once.
pub(crate) fn test_mode_sampler() -> SamplerConfig {
    SamplerConfig {
        iterations: Iterations::Fixed(1),
        warmup: Warmup::Runs(0),
        time_budget: Duration::from_secs(1),
        ..SamplerConfig::default()
    }
    .fixed_runs(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<BenchArgs, String> {
        BenchArgs::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn cargo_bench_flags() {
        let a = parse(&["--bench", "sort", "--precision", "0.5%", "--time-budget=1s", "--no-interleave"]).unwrap();
        assert_eq!(a.mode, Mode::Bench);
        assert_eq!(a.filter.as_deref(), Some("sort"));
        assert_eq!(a.run.sampler.precision, Some(0.005));
        assert_eq!(a.run.sampler.time_budget, Duration::from_secs(1));
        assert_eq!(a.run.order, crate::runner::Order::Sequential);
        assert!(a.selects("group/sort/10") && !a.selects("other"));
    }

    #[test]
    fn test_mode_without_bench_flag() {
        assert_eq!(parse(&[]).unwrap().mode, Mode::Test);
        assert_eq!(parse(&["--list"]).unwrap().mode, Mode::List);
    }

    #[test]
    fn regression_gate_and_runs() {
        let a = parse(&["--bench", "--fail-on-regression", "--runs", "5"]).unwrap();
        assert_eq!(a.options.comparison.fail_on_regression, Some(0.0));
        assert_eq!(a.run.sampler.min_samples, 5);
        let a = parse(&["--bench", "--fail-on-regression=5%"]).unwrap();
        assert_eq!(a.options.comparison.fail_on_regression, Some(0.05));
    }

    #[test]
    fn bad_flags_are_one_line() {
        assert_eq!(parse(&["--frobnicate"]).unwrap_err(), "unknown option --frobnicate (see --help)");
        assert_eq!(parse(&["--runs", "0"]).unwrap_err(), "--runs: must be at least 1");
        assert!(parse(&["--precision", "-1"]).unwrap_err().contains("--precision must be between"));
        assert_eq!(parse(&["--precision"]).unwrap_err(), "--precision needs a value");
        assert!(parse(&["--nocapture", "--format", "pretty", "--noplot"]).is_ok());
        assert!(parse(&["--runs", "5", "--min-runs", "3"]).unwrap_err().contains("--runs fixes"));
    }

    #[test]
    fn list_wins_over_the_bench_flag_cargo_appends() {
        assert_eq!(parse(&["--list", "--bench"]).unwrap().mode, Mode::List);
        assert_eq!(parse(&["--bench", "--help"]).unwrap().mode, Mode::Help);
        assert_eq!(parse(&["--help", "--bench"]).unwrap().mode, Mode::Help, "cargo bench -- --help");
        assert_eq!(parse(&["--list", "--help", "--bench"]).unwrap().mode, Mode::Help);
        let help = BenchArgs::help("bench");
        for flag in MEASURE_FLAGS {
            assert!(help.contains(&format!("--{}", flag.long)), "{}", flag.long);
        }
    }
}

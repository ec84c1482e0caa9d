//! The flags of a `metron::main!` bench binary: the same names and value
//! syntax as the `metron` command line, so `cargo bench -- --precision 0.5%`
//! means what `metron --precision 0.5%` means.
//!
//! Parsed by hand because the library must not depend on clap (the CLI
//! crate owns it); the value parsers are shared through [`crate::options`].

use std::path::PathBuf;
use std::time::Duration;

use crate::options::{parse_clock, parse_duration, parse_percent};
use crate::runner::{Order, RunConfig};
use crate::sampler::{Iterations, SamplerConfig, SamplingPlan, Warmup};
use crate::terminal::{Colour, ColourChoice};

/// What the bench binary was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `cargo bench`: measure.
    Bench,
    /// `cargo test --benches`: run every benchmark once to check it works.
    Test,
    /// `--list`: print the benchmark names.
    List,
}

/// Parsed flags of a bench binary.
#[derive(Debug, Clone)]
pub struct BenchArgs {
    /// Bench, test or list.
    pub mode: Mode,
    /// Only benchmarks whose id contains this (or equals it with `--exact`).
    pub filter: Option<String>,
    /// Match the filter exactly.
    pub exact: bool,
    /// Sampling and ordering settings.
    pub run: RunConfig,
    /// Write the run's JSON here (`--export-json`).
    pub export_json: Option<PathBuf>,
    /// Save the run as this baseline (`--save-baseline`).
    pub save_baseline: Option<String>,
    /// Compare against this baseline (`--baseline`).
    pub baseline: Option<String>,
    /// Noise threshold for baseline verdicts (`--noise`).
    pub noise: f64,
    /// Exit 1 when a benchmark regressed by more than this (`--fail-on-regression`).
    pub fail_on_regression: Option<f64>,
    /// Colour of the terminal output.
    pub colour: Colour,
}

impl Default for BenchArgs {
    fn default() -> BenchArgs {
        BenchArgs {
            mode: Mode::Bench,
            filter: None,
            exact: false,
            run: RunConfig::default(),
            export_json: None,
            save_baseline: None,
            baseline: None,
            noise: 0.02,
            fail_on_regression: None,
            colour: Colour::Never,
        }
    }
}

/// Flags libtest understands that cargo or IDEs may pass; accepted and ignored.
const IGNORED_SWITCHES: &[&str] = &["--nocapture", "--show-output", "--quiet", "-q", "--ignored", "--include-ignored"];
const IGNORED_WITH_VALUE: &[&str] = &["--format", "--logfile", "--test-threads", "-Z"];

impl BenchArgs {
    /// Parses the arguments after the program name.
    ///
    /// # Errors
    /// One line naming the bad flag or value.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<BenchArgs, String> {
        let mut out = BenchArgs { mode: Mode::Test, ..BenchArgs::default() };
        out.run.seed = crate::stats::fresh_seed();
        let mut sampler = SamplerConfig::default();
        let mut runs = None;
        let mut colour = "auto".to_string();
        let mut args = args.into_iter().peekable();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| -> Result<String, String> {
                inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"))
            };
            match flag.as_str() {
                "--bench" => out.mode = Mode::Bench,
                "--test" => out.mode = Mode::Test,
                "--list" => out.mode = Mode::List,
                "--exact" => out.exact = true,
                "--precision" => sampler.precision = Some(parse_percent(&value(&flag)?)?),
                "--time-budget" => sampler.time_budget = parse_duration(&value(&flag)?)?,
                "--sample-time" => sampler.target_sample_time = Some(parse_duration(&value(&flag)?)?),
                "--min-runs" => sampler.min_samples = parse_count(&flag, &value(&flag)?)?,
                "--max-runs" => sampler.max_samples = parse_count(&flag, &value(&flag)?)?,
                "--runs" => runs = Some(parse_count(&flag, &value(&flag)?)?),
                "--warmup" => sampler.warmup = Warmup::Runs(parse_count(&flag, &value(&flag)?)? as u64),
                "-n" | "--number" => sampler.iterations = Iterations::Fixed(parse_count(&flag, &value(&flag)?)? as u64),
                "--clock" => sampler.clock = parse_clock(&value(&flag)?)?,
                "--sampling" => sampler.plan = parse_plan(&value(&flag)?)?,
                "--no-interleave" => out.run.order = Order::Sequential,
                "--seed" => out.run.seed = parse_count(&flag, &value(&flag)?)? as u64,
                "--export-json" => out.export_json = Some(PathBuf::from(value(&flag)?)),
                "--save-baseline" => out.save_baseline = Some(value(&flag)?),
                "--baseline" => out.baseline = Some(value(&flag)?),
                "--noise" => out.noise = parse_percent(&value(&flag)?)?,
                "--fail-on-regression" => {
                    out.fail_on_regression = Some(match inline {
                        Some(v) => parse_percent(&v)?,
                        None => 0.0,
                    })
                }
                "--color" | "--colour" => colour = value(&flag)?,
                f if IGNORED_SWITCHES.contains(&f) => {}
                f if IGNORED_WITH_VALUE.contains(&f) => {
                    value(f)?;
                }
                f if f.starts_with('-') => {
                    return Err(format!("unknown option {f} (see the metron README for bench flags)"))
                }
                _ => out.filter = Some(arg),
            }
        }
        if let Some(r) = runs {
            sampler = sampler.fixed_runs(r);
        }
        sampler.validate().map_err(|e| e.to_string())?;
        out.run.sampler = sampler;
        out.colour = colour_for_stdout(&colour)?;
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
}

/// The bench binary is its own front end: it decides colour for its stdout.
fn colour_for_stdout(choice: &str) -> Result<Colour, String> {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Ok(choice.parse::<ColourChoice>()?.resolve(std::io::stdout().is_terminal(), no_color))
}

fn parse_count(flag: &str, text: &str) -> Result<usize, String> {
    text.trim().parse().map_err(|_| format!("{flag}: '{text}' is not a whole number"))
}

fn parse_plan(text: &str) -> Result<SamplingPlan, String> {
    match text {
        "flat" => Ok(SamplingPlan::Flat),
        "linear" => Ok(SamplingPlan::Linear),
        _ => Err(format!("'{text}' is not a sampling plan (use flat or linear)")),
    }
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
        assert_eq!(a.run.order, Order::Sequential);
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
        assert_eq!(a.fail_on_regression, Some(0.0));
        assert_eq!(a.run.sampler.min_samples, 5);
        let a = parse(&["--bench", "--fail-on-regression=5%"]).unwrap();
        assert_eq!(a.fail_on_regression, Some(0.05));
    }

    #[test]
    fn bad_flags_are_one_line() {
        assert_eq!(
            parse(&["--frobnicate"]).unwrap_err(),
            "unknown option --frobnicate (see the metron README for bench flags)"
        );
        assert_eq!(parse(&["--runs", "0"]).unwrap_err(), "invalid setting: the number of runs must be at least 1");
        assert!(parse(&["--precision", "-1"]).unwrap_err().contains("--precision must be between"));
        assert_eq!(parse(&["--precision"]).unwrap_err(), "--precision needs a value");
        assert!(parse(&["--nocapture", "--format", "pretty"]).is_ok());
    }
}

//! From parsed arguments to library configuration, validated once, with
//! messages that name the flag at fault.

use metron::baseline;
use metron::routine::ShellMode;
use metron::runner::{Order, RunConfig};
use metron::sampler::{Iterations, SamplerConfig, SamplingPlan, Warmup};

use crate::args::{CompareArgs, MeasureArgs, Sampling, TimeitMeasureArgs};

/// A mistake in the arguments: exit status 2, like clap's own errors.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Shorthand for a usage error.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

/// Sampling settings of command mode: one run per sample.
pub fn command_run_config(m: &MeasureArgs) -> anyhow::Result<RunConfig> {
    let mut sampler = SamplerConfig {
        clock: m.clock,
        iterations: Iterations::Fixed(1),
        target_sample_time: m.sample_time,
        warmup: m.warmup.map_or(Warmup::Auto, Warmup::Runs),
        precision: Some(m.precision),
        time_budget: m.time_budget,
        plan: match m.sampling {
            Sampling::Flat => SamplingPlan::Flat,
            Sampling::Linear => SamplingPlan::Linear,
        },
        ..SamplerConfig::default()
    };
    if let Some(min) = m.min_runs {
        sampler.min_samples = at_least_one(min, "--min-runs")?;
    }
    if let Some(max) = m.max_runs {
        sampler.max_samples = at_least_one(max, "--max-runs")?;
        // Only the default minimum gives way to a small --max-runs; a
        // --min-runs given with it must fit, or `validate` says they clash.
        if m.min_runs.is_none() {
            sampler.min_samples = sampler.min_samples.min(max);
        }
    }
    if let Some(runs) = m.runs {
        if runs == 0 {
            return Err(usage("--runs must be at least 1"));
        }
        sampler = sampler.fixed_runs(runs);
    }
    finish(sampler, m.no_interleave, m.seed)
}

/// Sampling settings of `timeit`: `-n` loops per sample, `-r` samples.
pub fn timeit_run_config(
    m: &TimeitMeasureArgs,
    number: Option<u64>,
    repeat: Option<usize>,
) -> anyhow::Result<RunConfig> {
    let mut sampler = SamplerConfig {
        clock: m.clock,
        iterations: number.map_or(Iterations::Auto, Iterations::Fixed),
        target_sample_time: Some(m.sample_time),
        precision: Some(m.precision),
        time_budget: m.time_budget,
        min_samples: at_least_one(m.min_runs, "--min-runs")?,
        ..SamplerConfig::default()
    };
    if number == Some(0) {
        return Err(usage("-n/--number must be at least 1"));
    }
    if let Some(r) = repeat {
        if r == 0 {
            return Err(usage("-r/--repeat must be at least 1"));
        }
        sampler = sampler.fixed_runs(r);
    }
    finish(sampler, m.no_interleave, m.seed)
}

/// A count flag's value, which must be at least 1: named here, since the
/// sampler's own check cannot tell which flag gave it.
fn at_least_one(n: usize, flag: &str) -> anyhow::Result<usize> {
    if n == 0 {
        return Err(usage(format!("{flag} must be at least 1")));
    }
    Ok(n)
}

fn finish(sampler: SamplerConfig, no_interleave: bool, seed: Option<u64>) -> anyhow::Result<RunConfig> {
    sampler.validate().map_err(|e| usage(e.to_string().trim_start_matches("invalid setting: ").to_string()))?;
    Ok(RunConfig {
        sampler,
        order: if no_interleave { Order::Sequential } else { Order::Interleaved },
        // A fresh seed per run unless --seed: the report records it.
        seed: seed.unwrap_or_else(metron::stats::fresh_seed),
    })
}

/// A threshold given as a percentage (`--noise`, `--fail-on-regression`):
/// a negative one would print as `±-1%` and gate on improvements.
///
/// # Errors
/// A usage error naming `flag` and the value, for negative or non-finite values.
pub fn check_threshold(flag: &str, fraction: f64) -> anyhow::Result<()> {
    if !(fraction.is_finite() && fraction >= 0.0) {
        return Err(usage(format!("{flag} must be 0% or more (got {}%)", fraction * 100.0)));
    }
    Ok(())
}

/// The comparison flags of a measuring command, checked before anything is
/// measured, so a mistake costs a second rather than a whole run.
/// `--reference` is checked by [`check_reference`] once the benchmarks are known.
///
/// # Errors
/// A usage error for a bad threshold, `--fail-on-regression` without
/// `--baseline`, a baseline name that is not a plain file name or names no
/// saved baseline; the load error for a saved baseline that cannot be read.
pub fn check_compare_args(c: &CompareArgs) -> anyhow::Result<()> {
    check_threshold("--noise", c.noise)?;
    if let Some(t) = c.fail_on_regression {
        check_threshold("--fail-on-regression", t)?;
        if c.baseline.is_none() {
            // Within one run there is nothing to regress from.
            return Err(usage(
                "--fail-on-regression needs --baseline NAME (or compare saved runs with metron compare)",
            ));
        }
    }
    if let Some(name) = &c.save_baseline {
        baseline::path(name).map_err(|e| library_usage("--save-baseline", e))?;
    }
    if let Some(name) = &c.baseline {
        match baseline::load(name) {
            Ok(_) => {}
            Err(e @ metron::Error::InvalidConfig(_)) => return Err(library_usage("--baseline", e)),
            Err(e) => return Err(anyhow::Error::new(e).context("--baseline")),
        }
    }
    Ok(())
}

/// Fails if `--reference NAME` names none of `names` (each benchmark's name
/// and its `group/name` id, as `metron::compare::reference_index` matches).
///
/// # Errors
/// A usage error naming the reference.
pub fn check_reference(reference: Option<&str>, mut names: impl Iterator<Item = String>) -> anyhow::Result<()> {
    match reference {
        Some(r) if !names.any(|n| n == r) => Err(usage(format!("--reference '{r}' names no benchmark of this run"))),
        _ => Ok(()),
    }
}

/// A library configuration error as a usage error for `flag`, without the
/// library's `invalid setting: ` prefix.
fn library_usage(flag: &str, e: metron::Error) -> anyhow::Error {
    usage(format!("{flag}: {}", e.to_string().trim_start_matches("invalid setting: ")))
}

/// `--shell auto|none|PROGRAM`.
pub fn shell_mode(text: &str) -> anyhow::Result<ShellMode> {
    match text.trim() {
        "" => Err(usage("--shell needs auto, none or a program")),
        "auto" => Ok(ShellMode::Auto),
        "none" => Ok(ShellMode::Direct),
        program => Ok(ShellMode::Program(program.to_string())),
    }
}

/// `--color auto|always|never`, decided here for stdout: only the front end
/// knows where its output goes.
///
/// # Errors
/// A usage error for any other value.
pub fn colour(choice: &str) -> anyhow::Result<metron::terminal::Colour> {
    use std::io::IsTerminal;
    let choice: metron::terminal::ColourChoice = choice.parse().map_err(usage)?;
    Ok(choice.resolve(std::io::stdout().is_terminal(), no_color()))
}

/// Whether `NO_COLOR` asks for no colour (set and not empty, as
/// <https://no-color.org> says).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

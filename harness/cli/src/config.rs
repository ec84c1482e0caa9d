//! From parsed arguments to library configuration, validated once, with
//! messages that name the flag at fault.

use metron::routine::ShellMode;
use metron::runner::{Order, RunConfig};
use metron::sampler::{Iterations, SamplerConfig, SamplingPlan, Warmup};

use crate::args::{MeasureArgs, Sampling, TimeitMeasureArgs};

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
        sampler.min_samples = min;
    }
    if let Some(max) = m.max_runs {
        sampler.max_samples = max;
        sampler.min_samples = sampler.min_samples.min(max);
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
        min_samples: m.min_runs,
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

fn finish(sampler: SamplerConfig, no_interleave: bool, seed: Option<u64>) -> anyhow::Result<RunConfig> {
    sampler.validate().map_err(|e| usage(e.to_string().trim_start_matches("invalid setting: ").to_string()))?;
    Ok(RunConfig {
        sampler,
        order: if no_interleave { Order::Sequential } else { Order::Interleaved },
        // A fresh seed per run unless --seed: the report records it.
        seed: seed.unwrap_or_else(metron::stats::fresh_seed),
    })
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

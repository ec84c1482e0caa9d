//! `metron compare OLD.json NEW.json`: the per-benchmark table of changes
//! between two saved runs, and the CI gate.

use std::process::ExitCode;

use anyhow::{Context, Result};
use metron::compare::{self, BaselineOptions};
use metron::model::RunRecord;
use metron::terminal;

use crate::args::CompareFilesArgs;
use crate::config;

/// Runs `metron compare`.
pub fn run(args: CompareFilesArgs) -> Result<ExitCode> {
    let options = &args.judge.options;
    let colour = config::colour(options.output.colour);
    let clock = options.sampling.clock;
    let (noise, fail_on_regression) = (options.comparison.noise_for(clock), options.comparison.fail_on_regression);
    let old = RunRecord::load(&args.old)?;
    let mut new = RunRecord::load(&args.new)?;
    metron::counter::check_comparable(&old, &new)?;
    let opts = BaselineOptions { clock: options.sampling.clock, noise, ..BaselineOptions::default() };
    compare::check_comparable(&old, &new, opts.clock)?;
    let comparison = compare::against_baseline(&old, &new, &args.old.display().to_string(), &opts);
    print!("{}", terminal::change_table(&comparison, colour));
    let reasons = fail_on_regression.map(|t| compare::gate_reasons(&comparison, t)).unwrap_or_default();
    for reason in &reasons {
        eprintln!("regression gate failed: {reason}");
    }
    new.baseline = Some(comparison);
    if let Some(path) = &args.export_json {
        new.write_atomic(path).context("--export-json")?;
    }
    Ok(if reasons.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

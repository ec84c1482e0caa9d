//! `metron suite`: the concurrency suite. (Being written.)

use std::process::ExitCode;

/// Arguments of `metron suite`.
#[derive(Debug, clap::Args)]
pub struct SuiteArgs {
    /// The suite to run.
    #[arg(value_name = "SUITE")]
    pub suite: String,
}

/// Runs `metron suite`.
pub fn run(args: SuiteArgs) -> anyhow::Result<ExitCode> {
    Err(crate::config::usage(format!("suite '{}' is not available yet", args.suite)))
}

//! `metron remote`: run metron on other hosts over OpenSSH. (Being written.)

use std::process::ExitCode;

/// Arguments of `metron remote`.
#[derive(Debug, clap::Args)]
pub struct RemoteArgs {
    /// The metron arguments to run on every host (after `--`).
    #[arg(last = true, value_name = "METRON ARGS")]
    pub args: Vec<String>,
}

/// Runs `metron remote`.
pub fn run(_args: RemoteArgs) -> anyhow::Result<ExitCode> {
    Err(crate::config::usage("metron remote is not available yet"))
}

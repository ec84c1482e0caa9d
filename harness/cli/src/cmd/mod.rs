//! One module per subcommand; each turns its arguments into library calls.

mod compare_files;
pub mod completions;
pub mod history;
pub mod import;
pub mod remote;
pub mod report;
mod run;
pub mod suite;
mod suite_user;
mod timeit;

use std::process::ExitCode;

use crate::args::{Cli, Sub};

/// Runs what the command line asked for.
pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    if cli.subcommand.as_ref().is_some_and(measures_nothing) {
        metron::interrupt::exit_on_first_signal();
    }
    match cli.subcommand {
        Some(Sub::Timeit(args)) => timeit::run(*args),
        Some(Sub::Compare(args)) => compare_files::run(*args),
        Some(Sub::Report(args)) => report::run(*args),
        Some(Sub::Import(args)) => import::run(*args),
        Some(Sub::Suite(args)) => suite::run(*args),
        Some(Sub::Remote(args)) => remote::run(*args),
        Some(Sub::History(args)) => history::run(*args),
        Some(Sub::Completions(args)) => completions::completions(&args),
        Some(Sub::Man) => completions::man(),
        None => run::run(cli.run),
    }
}

/// Whether a subcommand only reads files (or a database) and writes what it
/// renders: nothing measured is lost when a signal ends it at once.
fn measures_nothing(sub: &Sub) -> bool {
    match sub {
        Sub::Compare(_) | Sub::Report(_) | Sub::Import(_) | Sub::History(_) | Sub::Completions(_) | Sub::Man => true,
        Sub::Timeit(_) | Sub::Suite(_) | Sub::Remote(_) => false,
    }
}

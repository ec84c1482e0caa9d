//! The library's one error type.
//!
//! Every variant renders as one line a user can act on: what failed, where,
//! and the detail (exit status, the tail of stderr, the OS error). The CLI
//! prints it as it is; nothing here ever panics on bad input.

use std::path::PathBuf;

use crate::clock::ExitKind;
use crate::model::ModelError;

/// Everything that can go wrong while configuring or running benchmarks.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting is out of range (e.g. `--runs 0`, `--precision -1`).
    #[error("{0}")]
    InvalidConfig(String),
    /// A flag's value could not be used: the flag, and why (a baseline name
    /// that is not a file name, a saved baseline that cannot be read).
    #[error("{flag}: {source}")]
    Flag {
        /// The flag, as the user spells it (`--baseline`).
        flag: &'static str,
        /// Why.
        source: Box<Error>,
    },
    /// The program of a command is not on `PATH` (or not executable).
    #[error("command not found: '{program}' (in '{command}')")]
    CommandNotFound {
        /// The whole command line.
        command: String,
        /// The program that could not be found.
        program: String,
    },
    /// A script's `#!` line names an interpreter that does not exist.
    #[error("the interpreter '{interpreter}' named in the #! line of '{script}' was not found (in '{command}')")]
    InterpreterNotFound {
        /// The whole command line.
        command: String,
        /// The script that was started.
        script: String,
        /// The interpreter its `#!` line names.
        interpreter: String,
    },
    /// A command died of SIGINT while metron was not stopping it: it
    /// interrupted itself (or someone else did). The run stops, as it
    /// would for a Ctrl-C, and says why.
    #[error("'{command}' was killed by SIGINT; stopping")]
    ChildInterrupted {
        /// The command line.
        command: String,
    },
    /// A command could not be started for another reason.
    #[error("cannot start '{command}': {source}")]
    Spawn {
        /// The command line.
        command: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A command (or its setup, prepare, conclude or cleanup step) failed.
    #[error("{role}'{command}' {}{}", .exit.failure(), stderr_suffix(.stderr_tail))]
    CommandFailed {
        /// Which step: empty for the benchmarked command, else `setup `, `prepare `…
        role: &'static str,
        /// The command line.
        command: String,
        /// How it ended.
        exit: ExitKind,
        /// The last lines of its standard error, joined with ` | `.
        stderr_tail: String,
    },
    /// A routine reported a failure of its own (a snippet's exception, a
    /// closure that never called `iter`).
    #[error("{0}")]
    Routine(String),
    /// The user interrupted the run (Ctrl-C).
    #[error("interrupted")]
    Interrupted,
    /// A result file could not be read or written.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// `--clock instructions` (or cycles) on a machine with neither
    /// hardware counters nor Valgrind: what is missing and how to get it.
    #[error("{0}")]
    CounterUnavailable(String),
    /// Some other I/O failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl Error {
    /// Whether this is the user's mistake in a setting (exit status 2, as
    /// for a bad flag) rather than something that failed: a setting out of
    /// range, or a flag whose value is unusable for that reason.
    pub fn is_usage(&self) -> bool {
        match self {
            Error::InvalidConfig(_) => true,
            Error::Flag { source, .. } => source.is_usage(),
            _ => false,
        }
    }
}

fn stderr_suffix(tail: &str) -> String {
    if tail.is_empty() {
        String::new()
    } else {
        format!("; stderr: {tail}")
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

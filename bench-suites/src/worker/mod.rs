//! Worker processes: how the process variants run a task in another process.
//!
//! A worker is the same program re-executed with a hidden first argument,
//! [`WORKER_ARG`] (`metron __suite-worker`), so nothing has to be installed
//! next to metron and the worker is exactly as optimised as the parent. It
//! reads task frames on stdin and answers each with a result frame on stdout
//! (see [`wire`](crate::wire)) until its input ends:
//!
//! * the `processes` variant starts one worker per task, sends it the task,
//!   closes its input, reads the reply *to the end* and only then waits for
//!   the process — waiting first would deadlock as soon as a reply is larger
//!   than the pipe's buffer (64 KiB on Linux), because the worker would block
//!   writing it while the parent blocks waiting for the worker to exit;
//! * the `process-pool` variant starts its workers once and sends each of
//!   them task after task.
//!
//! Which program is started is a [`WorkerCommand`]: the CLI passes its own
//! executable with [`WORKER_ARG`]; the crate's tests pass the
//! `metron-suite-worker` binary.
//!
//! # Failures
//!
//! A worker that cannot start, crashes, exits early, closes its output or
//! writes anything that is not a valid frame becomes an
//! [`Error::Worker`](crate::Error::Worker) naming the worker, its pid, what
//! it did and how it ended ("was killed by signal 6 (SIGABRT)"). To test that
//! path, a worker honours [`FAULT_ENV`]: `crash` (abort), `exit` (exit with
//! status 3), `garbage` (write bytes that are not a frame) or `wrong` (answer
//! with a wrong value), each before answering its first task.

mod process;
mod serve;

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::process::Command;

pub(crate) use process::WorkerProcess;
pub(crate) use serve::panic_message;
pub use serve::worker_main;

/// The hidden first argument that turns the `metron` binary into a suite worker process.
pub const WORKER_ARG: &str = "__suite-worker";

/// Environment variable that makes workers misbehave on purpose, for testing
/// how failures are reported: `crash`, `exit`, `garbage` or `wrong`.
pub const FAULT_ENV: &str = "METRON_SUITE_FAULT";

/// The program (and arguments, and extra environment) that starts one worker process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerCommand {
    program: PathBuf,
    args: Vec<OsString>,
    envs: Vec<(OsString, OsString)>,
}

impl WorkerCommand {
    /// Workers started as `program` with no arguments.
    pub fn new(program: impl Into<PathBuf>) -> WorkerCommand {
        WorkerCommand { program: program.into(), args: Vec::new(), envs: Vec::new() }
    }

    /// This executable re-run as a worker (`<current exe> __suite-worker`):
    /// what the `metron` binary uses.
    ///
    /// # Errors
    /// When the path of the running executable cannot be found.
    pub fn current_exe() -> std::io::Result<WorkerCommand> {
        Ok(WorkerCommand::new(std::env::current_exe()?).arg(WORKER_ARG))
    }

    /// Adds an argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> WorkerCommand {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Sets an environment variable for the workers (e.g. [`FAULT_ENV`] in tests).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> WorkerCommand {
        self.envs.push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// The program that is started.
    pub fn program(&self) -> &std::path::Path {
        &self.program
    }

    pub(crate) fn command(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.args).envs(self.envs.iter().map(|(k, v)| (k, v)));
        c
    }
}

impl std::fmt::Display for WorkerCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.program.display())?;
        for a in &self.args {
            write!(f, " {}", a.to_string_lossy())?;
        }
        Ok(())
    }
}

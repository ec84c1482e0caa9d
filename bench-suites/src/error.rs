//! The crate's one error type.
//!
//! Every variant renders as one line that says which worker or which step
//! failed and how; the routine hands it to the runner as
//! [`metron::Error::Routine`], which records the variant as failed with this
//! line as its reason while the rest of the suite goes on.

use std::path::PathBuf;

/// Everything that can go wrong while preparing or running a suite.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A worker process misbehaved: it could not be started, crashed, hung
    /// up, or answered something that is not a valid reply.
    #[error("worker {worker}{}: {reason}", pid_suffix(*.pid))]
    Worker {
        /// Which worker of the variant (0-based).
        worker: usize,
        /// Its process id, once it was started.
        pid: Option<u32>,
        /// What happened, including how the process ended when known.
        reason: String,
    },
    /// A task was handed to a pool worker that had already failed, so it
    /// never ran; `reason` is that worker's failure.
    #[error("task {task} was not run: {reason}")]
    NotRun {
        /// The task's index.
        task: usize,
        /// How its worker failed before.
        reason: String,
    },
    /// A worker process reported an error of its own (e.g. an unreadable file).
    #[error("worker {worker} reported: {message}")]
    Reported {
        /// Which worker of the variant.
        worker: usize,
        /// Its message.
        message: String,
    },
    /// A task panicked in a thread of this process.
    #[error("task {task} panicked: {message}")]
    Panicked {
        /// The task's index.
        task: usize,
        /// The panic's message.
        message: String,
    },
    /// The variant ran but computed another answer than the reference.
    #[error("wrong result: checksum {got:#018x}, expected {expected:#018x}")]
    Checksum {
        /// What the variant computed.
        got: u64,
        /// What the reference computed.
        expected: u64,
    },
    /// The variant's own machinery or a task failed: a thread or pool could
    /// not be started or is not running, a task panicked, a file could not
    /// be read.
    #[error("{0}")]
    Failed(String),
    /// A variant returned too few or too many results, or in the wrong slots.
    #[error("wrong result: {0}")]
    Results(String),
    /// A setting is out of range (no tasks, no workers, an unknown name).
    #[error("invalid suite setting: {0}")]
    InvalidConfig(String),
    /// The Python side could not be prepared.
    #[error("python: {0}")]
    Python(String),
    /// A file of the suite could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The user interrupted the run (a worker was stopped by Ctrl-C).
    #[error("interrupted")]
    Interrupted,
}

fn pid_suffix(pid: Option<u32>) -> String {
    pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
}

impl From<Error> for metron::Error {
    fn from(e: Error) -> metron::Error {
        match e {
            Error::Interrupted => metron::Error::Interrupted,
            other => metron::Error::Routine(other.to_string()),
        }
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! metron-suites run for real: real threads, real worker processes (the
//! crate's `metron-suite-worker` binary), a real `python3`.
//!
//! * `variants`: every Rust variant computes the sequential checksum, in
//!   the processes it should, through the routine the runner drives.
//! * `python`: every Python variant reaches the checksum Rust computes.
//! * `failures`: workers that crash, exit, write garbage or answer wrongly
//!   fail their variant with the reason, and the rest of a group is still
//!   measured and reported.
//! * `user`: the user's own Python function and shell command under every
//!   variant and start method, their result checks and their errors.

mod failures;
mod python;
mod user;
mod variants;

use std::sync::Arc;
use std::time::Duration;

use metron_suites::workload::{Job, TaskSize, WorkloadKind, WorkloadSpec};
use metron_suites::WorkerCommand;

/// Starts the crate's stand-alone worker.
pub fn worker() -> WorkerCommand {
    WorkerCommand::new(env!("CARGO_BIN_EXE_metron-suite-worker"))
}

/// Small tasks of every kind. Five tasks, so no worker count tried divides
/// them evenly, and 200 KiB transfers, several times a pipe's buffer, so a
/// variant that waits for a child before reading its reply would deadlock.
pub fn small(kind: WorkloadKind) -> WorkloadSpec {
    let size =
        TaskSize { steps: 20_000, wait: Duration::from_millis(1), files: 2, file_bytes: 4096, bytes: 200 * 1024 };
    WorkloadSpec::new(kind, 5, size)
}

/// [`small`], prepared.
pub fn job(kind: WorkloadKind) -> Arc<Job> {
    Arc::new(Job::prepare(small(kind)).expect("the job can be prepared"))
}

//! One task: the unit of work every variant hands to a thread, a process or
//! a pool, and what comes back.

use std::path::PathBuf;
use std::time::Duration;

use super::checksum::{adler32, chain, mix, seed, translate};

/// A piece of a workload. Which parts are non-empty depends on the
/// workload: `cpu` computes, `io` waits and reads files, `mixed` computes
/// then waits, `transfer` receives a large input and returns a large output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Task {
    /// Position in the workload; results go back to this slot.
    pub index: usize,
    /// Hash-chain steps to compute.
    pub steps: u64,
    /// Blocking wait, standing for network or disk latency.
    pub wait: Duration,
    /// Files to read, in order.
    pub files: Vec<PathBuf>,
    /// Input to transform and send back.
    pub input: Vec<u8>,
}

/// What a task computed, and where.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    /// The task's index.
    pub index: usize,
    /// The hash value after computing and reading.
    pub value: u64,
    /// The transformed input (empty unless the task had one).
    pub data: Vec<u8>,
    /// The process that computed it (for tests that check where tasks ran).
    pub pid: u32,
    /// CPU time a long-lived worker process spent on the task. The parent's
    /// clocks cannot see it (the worker is not reaped during a sample), so
    /// the routine adds it; `None` where the parent's clocks already count
    /// the work (its own threads, reaped children).
    pub worker_cpu_ns: Option<u64>,
}

/// Whether a task really waits: for measuring, or not for computing the
/// expected answer quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waits {
    /// Sleep as the task says.
    Real,
    /// Skip the sleep (the answer does not depend on it).
    Skipped,
}

/// Runs a task in the calling thread.
///
/// # Errors
/// When one of its files cannot be read.
pub fn execute(task: &Task, waits: Waits) -> std::io::Result<Output> {
    let mut value = chain(seed(task.index), task.steps);
    if waits == Waits::Real && !task.wait.is_zero() {
        std::thread::sleep(task.wait);
    }
    for path in &task.files {
        let content =
            std::fs::read(path).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        value = mix(value ^ u64::from(adler32(&content)));
    }
    let data = if task.input.is_empty() { Vec::new() } else { translate(&task.input) };
    Ok(Output { index: task.index, value, data, pid: std::process::id(), worker_cpu_ns: None })
}

/// [`execute`] for variants that run tasks in this process: a failed file
/// read becomes an [`Error`](crate::Error) naming the task.
pub(crate) fn execute_here(task: &Task) -> crate::Result<Output> {
    execute(task, Waits::Real).map_err(|e| crate::Error::Failed(format!("task {}: {e}", task.index)))
}

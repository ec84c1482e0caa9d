//! `processes`: one new worker process per task, the task sent over its
//! stdin and the result read from its stdout — what `fork`/`exec` per piece
//! of work costs, and what copying data between address spaces costs.
//!
//! At most `workers` processes are alive at once: when the
//! window (`variant::window`) is full, the oldest is finished (its reply read
//! to the end, then the process waited for) before the next is started; a
//! worker that fails is killed and reaped when its handle is dropped. Children are reaped inside the
//! timed region, so their CPU time reaches the measurement through
//! `getrusage(RUSAGE_CHILDREN)`.

use super::window::run_windowed;
use super::{Variant, VariantKind};
use crate::error::Result;
use crate::worker::{WorkerCommand, WorkerProcess};
use crate::workload::{Job, Output, Task};

/// One worker process per task, at most `workers` at once.
#[derive(Debug, Clone)]
pub struct Processes {
    workers: usize,
    command: WorkerCommand,
}

impl Processes {
    /// At most `workers` processes at once, each started by `command`.
    pub fn new(workers: usize, command: WorkerCommand) -> Processes {
        Processes { workers, command }
    }
}

impl Variant for Processes {
    fn kind(&self) -> VariantKind {
        VariantKind::Processes
    }

    fn workers(&self) -> usize {
        self.workers
    }

    fn run(&mut self, job: &Job) -> Result<Vec<Output>> {
        run_windowed(job, self.workers, |task| start(&self.command, task), finish)
    }
}

/// Starts the worker of `task` and hands it the task.
fn start(command: &WorkerCommand, task: &Task) -> Result<WorkerProcess> {
    // The worker is numbered after its task: "worker 3" ran task 3.
    let mut worker = WorkerProcess::spawn(command, task.index)?;
    // Safe to write the whole task before reading: a worker reads its
    // task completely before it writes anything.
    worker.send(task)?;
    worker.close_input();
    Ok(worker)
}

/// Reads the reply of task `index`'s worker to the end, then waits for it
/// to exit.
fn finish(index: usize, mut worker: WorkerProcess) -> Result<Output> {
    let output = worker.receive(index)?;
    worker.finish()?;
    // The parent's clocks count this child's CPU once it is reaped.
    Ok(Output { worker_cpu_ns: None, ..output })
}

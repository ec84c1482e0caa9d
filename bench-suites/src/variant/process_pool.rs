//! `process-pool`: a fixed number of long-lived worker processes fed over
//! pipes — the shape of Python's `ProcessPoolExecutor`, started once and
//! reused, so only the copying of tasks and results is paid per task.
//!
//! # How it works
//!
//! [`Variant::start`] starts the worker processes and, for each, a thread in
//! this process that owns its pipes (as `ProcessPoolExecutor` has threads
//! that feed its workers). The threads are the `TaskQueue` both pools
//! share (see `variant::queue`): a free thread takes the next task,
//! writes it to its worker, reads the reply and sends it back to the run. Each reply carries the CPU time the worker
//! spent since its previous reply, because a worker that is never reaped
//! during a sample is invisible to `getrusage(RUSAGE_CHILDREN)`.
//!
//! A worker that fails takes its thread out of service: every later task it
//! is handed is answered with an error at once, so a run never waits for a
//! reply that cannot come. [`Variant::stop`] closes the queue, and each
//! thread closes its worker's input and waits for it to exit.

use super::queue::{Server, TaskQueue};
use super::{Variant, VariantKind};
use crate::error::{Error, Result};
use crate::worker::{WorkerCommand, WorkerProcess};
use crate::workload::{Job, Output, Task};

/// A fixed set of worker processes.
#[derive(Debug)]
pub struct ProcessPool {
    workers: usize,
    command: WorkerCommand,
    queue: TaskQueue,
    pids: Vec<u32>,
}

impl ProcessPool {
    /// A pool of `workers` processes started by `command` (by [`Variant::start`]).
    pub fn new(workers: usize, command: WorkerCommand) -> ProcessPool {
        ProcessPool { workers, command, queue: TaskQueue::new("process pool"), pids: Vec::new() }
    }

    /// Process ids of the running workers.
    pub fn pids(&self) -> &[u32] {
        &self.pids
    }
}

impl Variant for ProcessPool {
    fn kind(&self) -> VariantKind {
        VariantKind::ProcessPool
    }

    fn workers(&self) -> usize {
        self.workers
    }

    fn start(&mut self) -> Result<()> {
        let (command, pids) = (&self.command, &mut self.pids);
        self.queue.start(self.workers, |k| {
            let worker = WorkerProcess::spawn(command, k)?;
            pids.push(worker.pid());
            Ok(Feeder(Ok(worker)))
        })
    }

    fn run(&mut self, job: &Job) -> Result<Vec<Output>> {
        self.queue.run(job)
    }

    fn stop(&mut self) -> Result<()> {
        self.pids.clear();
        self.queue.stop()
    }
}

impl Drop for ProcessPool {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// A feeder thread's server: its worker process, or why it is gone.
struct Feeder(std::result::Result<WorkerProcess, String>);

impl Server for Feeder {
    /// Passes the task to the worker and reads its reply; once the worker
    /// has failed, answers at once with why.
    fn answer(&mut self, task: &Task) -> Result<Output> {
        let worker = match &mut self.0 {
            Ok(worker) => worker,
            Err(reason) => return Err(Error::NotRun { task: task.index, reason: reason.clone() }),
        };
        let answer = worker.send(task).and_then(|()| worker.receive(task.index));
        if let Err(e) = &answer {
            // Dropping the worker kills and reaps it if it is still there.
            self.0 = Err(e.to_string());
        }
        answer
    }

    /// Lets the worker exit and says how it ended.
    fn finish(self) -> Result<()> {
        match self.0 {
            Ok(worker) => worker.finish(),
            Err(_) => Ok(()),
        }
    }
}

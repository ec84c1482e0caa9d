//! `processes`: one new worker process per task, the task sent over its
//! stdin and the result read from its stdout — what `fork`/`exec` per piece
//! of work costs, and what copying data between address spaces costs.
//!
//! At most `workers` processes are alive at once: when the window is full,
//! the oldest is finished (its reply read to the end, then the process
//! waited for) before the next is started. Children are reaped inside the
//! timed region, so their CPU time reaches the measurement through
//! `getrusage(RUSAGE_CHILDREN)`.

use std::collections::VecDeque;

use super::{check_workers, Slots, Variant, VariantKind};
use crate::error::Result;
use crate::worker::{WorkerCommand, WorkerProcess};
use crate::workload::{Job, Output};

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
        let window = check_workers(self.workers)?;
        let mut slots = Slots::new(job.tasks().len());
        // On an early return, the processes still here are killed and reaped
        // when they are dropped.
        let mut running: VecDeque<(usize, WorkerProcess)> = VecDeque::with_capacity(window);
        for task in job.tasks() {
            if running.len() == window {
                if let Some((index, worker)) = running.pop_front() {
                    slots.put(index, finish(worker, index)?)?;
                }
            }
            // The worker is numbered after its task: "worker 3" ran task 3.
            let mut worker = WorkerProcess::spawn(&self.command, task.index)?;
            // Safe to write the whole task before reading: a worker reads its
            // task completely before it writes anything.
            worker.send(task)?;
            worker.close_input();
            running.push_back((task.index, worker));
        }
        while let Some((index, worker)) = running.pop_front() {
            slots.put(index, finish(worker, index)?)?;
        }
        slots.into_outputs()
    }
}

/// Reads a worker's reply to the end, then waits for it to exit.
fn finish(mut worker: WorkerProcess, index: usize) -> Result<Output> {
    let output = worker.receive(index)?;
    worker.finish()?;
    // The parent's clocks count this child's CPU once it is reaped.
    Ok(Output { worker_cpu_ns: None, ..output })
}

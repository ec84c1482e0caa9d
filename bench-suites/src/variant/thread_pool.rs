//! `thread-pool`: a fixed number of long-lived worker threads that take
//! tasks from one shared channel — the shape of Python's
//! `ThreadPoolExecutor`, written out with the standard library only.
//!
//! The threads and their queue are the `TaskQueue` both pools share
//! (see `variant::queue` for how it works); here each thread runs the
//! task it takes itself, and a task that panics is answered with the panic.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::queue::{Server, TaskQueue};
use super::{Variant, VariantKind};
use crate::error::{Error, Result};
use crate::worker::panic_message;
use crate::workload::task::execute_here;
use crate::workload::{Job, Output, Task};

/// A fixed set of threads fed by a channel.
#[derive(Debug)]
pub struct ThreadPool {
    workers: usize,
    queue: TaskQueue,
}

impl ThreadPool {
    /// A pool of `workers` threads (started by [`Variant::start`]).
    pub fn new(workers: usize) -> ThreadPool {
        ThreadPool { workers, queue: TaskQueue::new("thread pool") }
    }
}

impl Variant for ThreadPool {
    fn kind(&self) -> VariantKind {
        VariantKind::ThreadPool
    }

    fn workers(&self) -> usize {
        self.workers
    }

    fn start(&mut self) -> Result<()> {
        self.queue.start(self.workers, |_| Ok(RunHere))
    }

    fn run(&mut self, job: &Job) -> Result<Vec<Output>> {
        self.queue.run(job)
    }

    fn stop(&mut self) -> Result<()> {
        self.queue.stop()
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// A pool thread's server: runs each task in the thread itself.
struct RunHere;

impl Server for RunHere {
    fn answer(&mut self, task: &Task) -> Result<Output> {
        catch_unwind(AssertUnwindSafe(|| execute_here(task)))
            .unwrap_or_else(|panic| Err(Error::Panicked { task: task.index, message: panic_message(&*panic) }))
    }

    fn finish(self) -> Result<()> {
        Ok(())
    }
}

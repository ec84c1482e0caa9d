//! `threads`: one new `std::thread` per task, joined before its result
//! counts — what a program does when it "just spawns a thread" for each
//! piece of work, paying a thread's creation and teardown every time.
//!
//! At most `workers` threads are alive at once: when the
//! window (`variant::window`) is full, the oldest is joined before the next is
//! spawned.

use std::thread::{Scope, ScopedJoinHandle};

use super::window::run_windowed;
use super::{Variant, VariantKind};
use crate::error::{Error, Result};
use crate::worker::panic_message;
use crate::workload::task::execute_here;
use crate::workload::{Job, Output, Task};

/// One thread per task, at most `workers` at once.
#[derive(Debug, Clone, Copy)]
pub struct Threads {
    workers: usize,
}

impl Threads {
    /// At most `workers` threads at once.
    pub fn new(workers: usize) -> Threads {
        Threads { workers }
    }
}

impl Variant for Threads {
    fn kind(&self) -> VariantKind {
        VariantKind::Threads
    }

    fn workers(&self) -> usize {
        self.workers
    }

    fn run(&mut self, job: &Job) -> Result<Vec<Output>> {
        // The window joins every thread it started, also after an error: a
        // scope must not end with a thread nobody has joined.
        std::thread::scope(|s| run_windowed(job, self.workers, |task| spawn(s, task), join))
    }
}

fn spawn<'s, 'j: 's>(s: &'s Scope<'s, 'j>, task: &'j Task) -> Result<ScopedJoinHandle<'s, Result<Output>>> {
    std::thread::Builder::new()
        .spawn_scoped(s, move || execute_here(task))
        .map_err(|e| Error::Failed(format!("cannot start a thread for task {}: {e}", task.index)))
}

/// Joins the thread of task `index`: its result, or its panic as an error.
fn join(index: usize, handle: ScopedJoinHandle<'_, Result<Output>>) -> Result<Output> {
    handle.join().unwrap_or_else(|panic| Err(Error::Panicked { task: index, message: panic_message(&*panic) }))
}

//! `threads`: one new `std::thread` per task, joined before its result
//! counts — what a program does when it "just spawns a thread" for each
//! piece of work, paying a thread's creation and teardown every time.
//!
//! At most `workers` threads are alive at once: when the window is full,
//! the oldest is joined before the next is spawned (tasks are of equal
//! size, so the oldest is also the first to finish).

use std::collections::VecDeque;
use std::thread::{Scope, ScopedJoinHandle};

use super::{check_workers, Slots, Variant, VariantKind};
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

type Handle<'s> = (usize, ScopedJoinHandle<'s, Result<Output>>);

impl Variant for Threads {
    fn kind(&self) -> VariantKind {
        VariantKind::Threads
    }

    fn workers(&self) -> usize {
        self.workers
    }

    fn run(&mut self, job: &Job) -> Result<Vec<Output>> {
        let window = check_workers(self.workers)?;
        std::thread::scope(|s| {
            let mut slots = Slots::new(job.tasks().len());
            let mut running: VecDeque<Handle<'_>> = VecDeque::with_capacity(window);
            let mut first_error = None;
            for task in job.tasks() {
                if running.len() == window {
                    collect(running.pop_front(), &mut slots, &mut first_error);
                }
                match spawn(s, task) {
                    Ok(handle) => running.push_back((task.index, handle)),
                    Err(e) => {
                        first_error.get_or_insert(e);
                        break;
                    }
                }
            }
            // Join everything, also after an error: a scope must not end
            // with a thread nobody has joined.
            while let Some(h) = running.pop_front() {
                collect(Some(h), &mut slots, &mut first_error);
            }
            match first_error {
                Some(e) => Err(e),
                None => slots.into_outputs(),
            }
        })
    }
}

fn spawn<'s, 'j: 's>(s: &'s Scope<'s, 'j>, task: &'j Task) -> Result<ScopedJoinHandle<'s, Result<Output>>> {
    std::thread::Builder::new()
        .spawn_scoped(s, move || execute_here(task))
        .map_err(|e| Error::Failed(format!("cannot start a thread for task {}: {e}", task.index)))
}

/// Joins one thread and files its result (or its failure).
fn collect(handle: Option<Handle<'_>>, slots: &mut Slots, first_error: &mut Option<Error>) {
    let Some((index, handle)) = handle else { return };
    let result = match handle.join() {
        Ok(result) => result.and_then(|output| slots.put(index, output)),
        Err(panic) => Err(Error::Panicked { task: index, message: panic_message(&*panic) }),
    };
    if let Err(e) = result {
        first_error.get_or_insert(e);
    }
}

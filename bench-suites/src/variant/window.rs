//! The window both one-per-task variants ([`threads`] and [`processes`])
//! run their tasks through: each task gets a new thread or process of its
//! own, at most `workers` are alive at once, and when the window is full the
//! oldest is finished before the next is started (tasks are of equal size,
//! so the oldest is also the first to be done). The variants differ only in
//! how a task is started and finished.
//!
//! [`threads`]: super::threads
//! [`processes`]: super::processes

use std::collections::VecDeque;

use super::{check_workers, Slots};
use crate::error::Result;
use crate::workload::{Job, Output, Task};

/// Runs every task of `job`, at most `workers` at once: `start` begins a
/// task and gives a handle to it, `finish` waits for a task by its index
/// and handle and gives its output. Outputs come back in task order.
///
/// After the first error nothing more is started, but every task already
/// started is still finished (a thread must be joined, a process reaped)
/// before that error is returned.
///
/// # Errors
/// No workers, or the first task that could not be started or failed.
pub(crate) fn run_windowed<'j, H>(
    job: &'j Job,
    workers: usize,
    mut start: impl FnMut(&'j Task) -> Result<H>,
    mut finish: impl FnMut(usize, H) -> Result<Output>,
) -> Result<Vec<Output>> {
    let window = check_workers(workers)?;
    let mut slots = Slots::new(job.tasks().len());
    let mut running: VecDeque<(usize, H)> = VecDeque::with_capacity(window);
    let mut first_error = None;
    let mut settle = |(index, handle): (usize, H), slots: &mut Slots, first_error: &mut Option<_>| {
        if let Err(e) = finish(index, handle).and_then(|output| slots.put(index, output)) {
            first_error.get_or_insert(e);
        }
    };
    for task in job.tasks() {
        if running.len() == window {
            if let Some(oldest) = running.pop_front() {
                settle(oldest, &mut slots, &mut first_error);
            }
        }
        if first_error.is_some() {
            break;
        }
        match start(task) {
            Ok(handle) => running.push_back((task.index, handle)),
            Err(e) => {
                first_error = Some(e);
                break;
            }
        }
    }
    while let Some(oldest) = running.pop_front() {
        settle(oldest, &mut slots, &mut first_error);
    }
    match first_error {
        Some(e) => Err(e),
        None => slots.into_outputs(),
    }
}

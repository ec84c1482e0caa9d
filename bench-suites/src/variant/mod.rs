//! Variants: how the tasks of a workload are run. One trait, [`Variant`],
//! and one module per implementation.
//!
//! | variant | a task runs in | started | what it costs per task |
//! |---|---|---|---|
//! | [`sequential`] | the calling thread, one after another | — | nothing |
//! | [`threads`] | a new `std::thread`, joined before the result counts | per task | one thread spawn and join |
//! | [`processes`] | a new worker process, task in and result out over pipes | per task | one process spawn, exec and wait, plus copying over pipes |
//! | [`thread_pool`] | one of `workers` long-lived threads fed by a channel (`ThreadPoolExecutor`) | once | a channel send and receive |
//! | [`rayon_pool`] | a `rayon` pool of `workers` threads (what Rust users pick) | once | work-stealing bookkeeping |
//! | [`process_pool`] | one of `workers` long-lived worker processes fed over pipes (`ProcessPoolExecutor`) | once | copying over pipes |
//!
//! `workers` bounds how many tasks run at once in every variant: the
//! one-per-task variants keep at most `workers` threads or processes alive,
//! starting the next when the oldest is done, so every variant splits the
//! same tasks the same way and only the machinery differs.
//!
//! Pools are started by [`Variant::start`], outside the timed region, as a
//! program would start a pool once and reuse it.
//!
//! What variants share lives beside them: `window` runs the one-per-task
//! variants (threads, processes) and `queue` is the queue of tasks both
//! executor-style pools (thread pool, process pool) are served from.

pub mod process_pool;
pub mod processes;
mod queue;
pub mod rayon_pool;
pub mod sequential;
pub mod thread_pool;
pub mod threads;
mod window;

use crate::error::{Error, Result};
use crate::worker::WorkerCommand;
use crate::workload::{Job, Output};

/// The six variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VariantKind {
    /// One task after another in the calling thread.
    Sequential,
    /// One new thread per task.
    Threads,
    /// One new process per task.
    Processes,
    /// A fixed set of threads fed by a channel.
    ThreadPool,
    /// A rayon thread pool.
    Rayon,
    /// A fixed set of long-lived worker processes.
    ProcessPool,
}

impl VariantKind {
    /// Every variant, in the order the suite runs them.
    pub const ALL: [VariantKind; 6] = [
        VariantKind::Sequential,
        VariantKind::Threads,
        VariantKind::Processes,
        VariantKind::ThreadPool,
        VariantKind::Rayon,
        VariantKind::ProcessPool,
    ];

    /// The name used in parameters, flags and the Python driver.
    pub fn name(self) -> &'static str {
        match self {
            VariantKind::Sequential => "sequential",
            VariantKind::Threads => "threads",
            VariantKind::Processes => "processes",
            VariantKind::ThreadPool => "thread-pool",
            VariantKind::Rayon => "rayon",
            VariantKind::ProcessPool => "process-pool",
        }
    }

    /// The variant called `name`.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for an unknown name.
    pub fn parse(name: &str) -> Result<VariantKind> {
        VariantKind::ALL.into_iter().find(|k| k.name() == name).ok_or_else(|| {
            Error::InvalidConfig(format!(
                "unknown variant '{name}' (expected sequential, threads, processes, thread-pool, rayon or process-pool)"
            ))
        })
    }

    /// Whether tasks run in other processes.
    pub fn uses_processes(self) -> bool {
        matches!(self, VariantKind::Processes | VariantKind::ProcessPool)
    }

    /// Whether the variant has a worker count (everything but sequential).
    pub fn has_workers(self) -> bool {
        self != VariantKind::Sequential
    }

    /// Builds the variant with `workers` workers (ignored by sequential);
    /// process variants start workers with `command`.
    pub fn build(self, workers: usize, command: &WorkerCommand) -> Box<dyn Variant> {
        match self {
            VariantKind::Sequential => Box::new(sequential::Sequential),
            VariantKind::Threads => Box::new(threads::Threads::new(workers)),
            VariantKind::Processes => Box::new(processes::Processes::new(workers, command.clone())),
            VariantKind::ThreadPool => Box::new(thread_pool::ThreadPool::new(workers)),
            VariantKind::Rayon => Box::new(rayon_pool::RayonPool::new(workers)),
            VariantKind::ProcessPool => Box::new(process_pool::ProcessPool::new(workers, command.clone())),
        }
    }
}

impl std::fmt::Display for VariantKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A way of running the tasks of a workload.
///
/// The routine calls [`Variant::start`] once (untimed), [`Variant::run`] once
/// per timed iteration, and [`Variant::stop`] once at the end, also after a
/// failure.
pub trait Variant {
    /// Which variant this is.
    fn kind(&self) -> VariantKind;

    /// How many tasks may run at once (1 for sequential).
    fn workers(&self) -> usize;

    /// Starts long-lived workers (pools).
    ///
    /// # Errors
    /// When a worker cannot be started.
    fn start(&mut self) -> Result<()> {
        Ok(())
    }

    /// Runs every task of `job` and returns the outputs in task order.
    ///
    /// # Errors
    /// When a task or a worker fails; the error says which and how.
    fn run(&mut self, job: &Job) -> Result<Vec<Output>>;

    /// Stops long-lived workers and waits for them.
    ///
    /// # Errors
    /// When a worker did not end cleanly.
    fn stop(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Outputs collected into their task slots, as tasks finish in any order.
pub(crate) struct Slots {
    outputs: Vec<Option<Output>>,
}

impl Slots {
    pub(crate) fn new(tasks: usize) -> Slots {
        Slots { outputs: vec![None; tasks] }
    }

    /// Puts a result in slot `index`.
    pub(crate) fn put(&mut self, index: usize, output: Output) -> Result<()> {
        match self.outputs.get_mut(index) {
            Some(slot @ None) => {
                *slot = Some(output);
                Ok(())
            }
            Some(Some(_)) => Err(Error::Results(format!("task {index} was answered twice"))),
            None => Err(Error::Results(format!("an answer for task {index}, which does not exist"))),
        }
    }

    /// The outputs in task order, when every slot is filled.
    pub(crate) fn into_outputs(self) -> Result<Vec<Output>> {
        let missing = self.outputs.iter().filter(|o| o.is_none()).count();
        if missing > 0 {
            return Err(Error::Results(format!("{missing} tasks were never answered")));
        }
        Ok(self.outputs.into_iter().flatten().collect())
    }
}

/// A worker count of at least one, with a clear error otherwise.
pub(crate) fn check_workers(workers: usize) -> Result<usize> {
    if workers == 0 {
        return Err(Error::InvalidConfig("a variant needs at least one worker".into()));
    }
    Ok(workers)
}

//! The cost of starting one thread vs one process, measured directly.
//!
//! Each iteration starts one worker — a thread, or a worker process — hands
//! it an empty task, takes its answer and joins (waits for) it: exactly the
//! fixed price the `threads` and `processes` variants pay per task, without
//! the task. Their ratio is why processes only pay off for tasks that are
//! long enough.

use metron::model::RoutineKind;
use metron::routine::{Measurement, Routine};

use crate::error::{Error, Result};
use crate::worker::{WorkerCommand, WorkerProcess};
use crate::workload::task::execute_here;
use crate::workload::Task;

/// What is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spawnee {
    /// A `std::thread`, joined.
    Thread,
    /// A worker process started by this command, waited for.
    Process(WorkerCommand),
}

/// Starts and ends one thread or process per iteration.
#[derive(Debug, Clone)]
pub struct SpawnRoutine {
    spawnee: Spawnee,
}

impl SpawnRoutine {
    /// Measures starting `spawnee`.
    pub fn new(spawnee: Spawnee) -> SpawnRoutine {
        SpawnRoutine { spawnee }
    }

    /// One start, empty task, answer, end.
    ///
    /// # Errors
    /// When the thread or process fails.
    pub fn once(&self) -> Result<()> {
        let task = Task::default();
        match &self.spawnee {
            Spawnee::Thread => {
                let handle = std::thread::Builder::new()
                    .spawn(move || execute_here(&task))
                    .map_err(|e| Error::Failed(format!("cannot start a thread: {e}")))?;
                handle.join().map_err(|_| Error::Failed("the thread panicked".into()))??;
            }
            Spawnee::Process(command) => {
                let mut worker = WorkerProcess::spawn(command, 0)?;
                worker.send(&task)?;
                worker.close_input();
                worker.receive(0)?;
                worker.finish()?;
            }
        }
        Ok(())
    }
}

impl Routine for SpawnRoutine {
    fn kind(&self) -> RoutineKind {
        RoutineKind::Closure
    }

    fn measure(&mut self, iterations: u64) -> metron::Result<Measurement> {
        crate::variant_routine::timed(iterations, || self.once())
    }
}

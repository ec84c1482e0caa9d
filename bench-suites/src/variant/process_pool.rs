//! `process-pool`: a fixed number of long-lived worker processes fed over
//! pipes — the shape of Python's `ProcessPoolExecutor`, started once and
//! reused, so only the copying of tasks and results is paid per task.
//!
//! # How it works
//!
//! [`Variant::start`] starts the worker processes and, for each, a thread in
//! this process that owns its pipes (as `ProcessPoolExecutor` has threads
//! that feed its workers). The threads share one channel of tasks: a free
//! thread takes the next task, writes it to its worker, reads the reply and
//! sends it back to the run. Each reply carries the CPU time the worker
//! spent since its previous reply, because a worker that is never reaped
//! during a sample is invisible to `getrusage(RUSAGE_CHILDREN)`.
//!
//! A worker that fails takes its thread out of service: every later task it
//! is handed is answered with an error at once, so a run never waits for a
//! reply that cannot come. [`Variant::stop`] closes the channel, and each
//! thread closes its worker's input and waits for it to exit.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::{check_workers, run_on_queue, PoolMessage as Message, Variant, VariantKind};
use crate::error::{Error, Result};
use crate::worker::{WorkerCommand, WorkerProcess};
use crate::workload::{Job, Output};

/// A fixed set of worker processes.
#[derive(Debug)]
pub struct ProcessPool {
    workers: usize,
    command: WorkerCommand,
    queue: Option<Sender<Message>>,
    feeders: Vec<JoinHandle<Result<()>>>,
    pids: Vec<u32>,
}

impl ProcessPool {
    /// A pool of `workers` processes started by `command` (by [`Variant::start`]).
    pub fn new(workers: usize, command: WorkerCommand) -> ProcessPool {
        ProcessPool { workers, command, queue: None, feeders: Vec::new(), pids: Vec::new() }
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
        let workers = check_workers(self.workers)?;
        let (queue, tasks) = channel::<Message>();
        let tasks = Arc::new(Mutex::new(tasks));
        self.queue = Some(queue);
        for k in 0..workers {
            let worker = WorkerProcess::spawn(&self.command, k)?;
            self.pids.push(worker.pid());
            let tasks = Arc::clone(&tasks);
            let feeder = std::thread::Builder::new()
                .name(format!("suite-feeder-{k}"))
                .spawn(move || feed(worker, &tasks))
                .map_err(|e| Error::Failed(format!("cannot start the thread of worker {k}: {e}")))?;
            self.feeders.push(feeder);
        }
        Ok(())
    }

    fn run(&mut self, job: &Job) -> Result<Vec<Output>> {
        run_on_queue(self.queue.as_ref(), job, "process pool")
    }

    fn stop(&mut self) -> Result<()> {
        self.queue = None;
        self.pids.clear();
        let mut first_error = None;
        for feeder in self.feeders.drain(..) {
            let result = feeder.join().unwrap_or_else(|_| Err(Error::Failed("a pool thread panicked".into())));
            if let Err(e) = result {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

impl Drop for ProcessPool {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// A feeder thread: hands tasks to its worker until the queue closes, then
/// lets the worker exit. Returns how the worker ended.
fn feed(worker: WorkerProcess, tasks: &Mutex<Receiver<Message>>) -> Result<()> {
    let mut worker = Some(worker);
    let mut broken: Option<String> = None;
    loop {
        let message = match tasks.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        let Ok((task, reply)) = message else { break };
        let result = match (worker.as_mut(), &broken) {
            (Some(w), None) => w.send(&task).and_then(|()| w.receive(task.index)),
            (_, reason) => Err(Error::NotRun {
                task: task.index,
                reason: reason.clone().unwrap_or_else(|| "its worker is gone".into()),
            }),
        };
        if let Err(e) = &result {
            if broken.is_none() {
                broken = Some(e.to_string());
                // Dropping kills and reaps it if it is still there.
                worker = None;
            }
        }
        let _ = reply.send((task.index, result));
    }
    match worker {
        Some(w) => w.finish(),
        None => Ok(()),
    }
}

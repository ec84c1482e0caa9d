//! `thread-pool`: a fixed number of long-lived worker threads that take
//! tasks from one shared channel — the shape of Python's
//! `ThreadPoolExecutor`, written out with the standard library only.
//!
//! # How it works
//!
//! [`Variant::start`] spawns the threads; each loops receiving a message
//! (a task and where to send its result) from a channel whose receiving end
//! they share behind a mutex, so whichever thread is free takes the next
//! task. A run sends every task, then collects one result per task from a
//! channel of its own. [`Variant::stop`] drops the sending end, which ends
//! every thread's loop, and joins them.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::{check_workers, run_on_queue, PoolMessage as Message, Variant, VariantKind};
use crate::error::{Error, Result};
use crate::worker::panic_message;
use crate::workload::task::execute_here;
use crate::workload::{Job, Output};

/// A fixed set of threads fed by a channel.
#[derive(Debug)]
pub struct ThreadPool {
    workers: usize,
    queue: Option<Sender<Message>>,
    threads: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// A pool of `workers` threads (started by [`Variant::start`]).
    pub fn new(workers: usize) -> ThreadPool {
        ThreadPool { workers, queue: None, threads: Vec::new() }
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
        let workers = check_workers(self.workers)?;
        let (queue, tasks) = channel::<Message>();
        let tasks = Arc::new(Mutex::new(tasks));
        for k in 0..workers {
            let tasks = Arc::clone(&tasks);
            let thread = std::thread::Builder::new()
                .name(format!("suite-pool-{k}"))
                .spawn(move || serve(&tasks))
                .map_err(|e| Error::Failed(format!("cannot start pool thread {k}: {e}")))?;
            self.threads.push(thread);
        }
        self.queue = Some(queue);
        Ok(())
    }

    fn run(&mut self, job: &Job) -> Result<Vec<Output>> {
        run_on_queue(self.queue.as_ref(), job, "thread pool")
    }

    fn stop(&mut self) -> Result<()> {
        self.queue = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        Ok(())
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// A pool thread: take a task, run it, send the result, until the queue closes.
fn serve(tasks: &Mutex<Receiver<Message>>) {
    loop {
        // The lock is held only while waiting for the next message.
        let message = match tasks.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((task, reply)) = message else { return };
        let result = catch_unwind(AssertUnwindSafe(|| execute_here(&task)))
            .unwrap_or_else(|panic| Err(Error::Panicked { task: task.index, message: panic_message(&*panic) }));
        let _ = reply.send((task.index, result));
    }
}

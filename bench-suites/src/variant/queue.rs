//! The machinery both executor-style pools share ([`thread_pool`] and
//! [`process_pool`]): one queue of tasks served by `workers` long-lived
//! threads, and a run that hands out every task and gathers the answers.
//! The pools differ only in what a thread does with the task it takes, a
//! [`Server`]: run it here, or pass it to its worker process.
//!
//! # How it works
//!
//! [`TaskQueue::start`] spawns the threads; each loops receiving a message
//! (a task and where to send its result) from a channel whose receiving end
//! they share behind a mutex, so whichever thread is free takes the next
//! task. [`TaskQueue::run`] sends every task, then collects one result per
//! task from a channel of its own. [`TaskQueue::stop`] drops the sending
//! end, which ends every thread's loop, lets each [`Server`] finish, and
//! joins the threads.
//!
//! [`thread_pool`]: super::thread_pool
//! [`process_pool`]: super::process_pool

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::{check_workers, Slots};
use crate::error::{Error, Result};
use crate::workload::{Job, Output, Task};

/// A task and the channel its result goes to: what the queue carries.
type Message = (Arc<Task>, Sender<(usize, Result<Output>)>);

/// What one pool thread does with the tasks it takes.
pub(crate) trait Server: Send + 'static {
    /// Answers one task (its output, or why there is none).
    fn answer(&mut self, task: &Task) -> Result<Output>;

    /// Ends the server once the queue has closed, saying how it ended.
    fn finish(self) -> Result<()>;
}

/// A queue of tasks and the threads that serve it.
#[derive(Debug)]
pub(crate) struct TaskQueue {
    /// The pool's name in thread names and errors (`thread pool`).
    pool: &'static str,
    /// The sending end, while started.
    sender: Option<Sender<Message>>,
    threads: Vec<JoinHandle<Result<()>>>,
}

impl TaskQueue {
    /// A queue not yet served; `pool` names it in errors.
    pub(crate) fn new(pool: &'static str) -> TaskQueue {
        TaskQueue { pool, sender: None, threads: Vec::new() }
    }

    /// Starts `workers` threads, thread `k` serving with `server(k)`.
    ///
    /// # Errors
    /// No workers, or a server or thread that cannot be started (the ones
    /// already started end at [`TaskQueue::stop`]).
    pub(crate) fn start<S: Server>(
        &mut self,
        workers: usize,
        mut server: impl FnMut(usize) -> Result<S>,
    ) -> Result<()> {
        let workers = check_workers(workers)?;
        let (sender, receiver) = channel::<Message>();
        let receiver = Arc::new(Mutex::new(receiver));
        let thread_name = format!("suite-{}", self.pool.replace(' ', "-"));
        for k in 0..workers {
            let server = server(k)?;
            let receiver = Arc::clone(&receiver);
            let thread = std::thread::Builder::new()
                .name(format!("{thread_name}-{k}"))
                .spawn(move || serve(server, &receiver))
                .map_err(|e| Error::Failed(format!("cannot start thread {k} of the {}: {e}", self.pool)))?;
            self.threads.push(thread);
        }
        self.sender = Some(sender);
        Ok(())
    }

    /// Hands every task of `job` to the threads and gathers the answers
    /// into task order.
    ///
    /// # Errors
    /// The first task that failed, or a queue that is not running.
    pub(crate) fn run(&self, job: &Job) -> Result<Vec<Output>> {
        let pool = self.pool;
        let sender = self.sender.as_ref().ok_or_else(|| Error::Failed(format!("the {pool} is not started")))?;
        let (results, replies) = channel();
        for task in job.tasks() {
            sender
                .send((Arc::clone(task), results.clone()))
                .map_err(|_| Error::Failed(format!("the {pool} has stopped")))?;
        }
        drop(results);
        let mut slots = Slots::new(job.tasks().len());
        let mut first_error = None;
        for (index, result) in replies.iter().take(job.tasks().len()) {
            if let Err(e) = result.and_then(|output| slots.put(index, output)) {
                first_error.get_or_insert(e);
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => slots.into_outputs(),
        }
    }

    /// Closes the queue and waits for every thread and its server to end.
    ///
    /// # Errors
    /// The first server that did not end cleanly.
    pub(crate) fn stop(&mut self) -> Result<()> {
        self.sender = None;
        let mut first_error = None;
        for thread in self.threads.drain(..) {
            let ended =
                thread.join().unwrap_or_else(|_| Err(Error::Failed(format!("a {} thread panicked", self.pool))));
            if let Err(e) = ended {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

/// A pool thread: take a task, answer it, send the answer, until the queue
/// closes; then finish the server.
fn serve<S: Server>(mut server: S, tasks: &Mutex<Receiver<Message>>) -> Result<()> {
    loop {
        // The lock is held only while waiting for the next message.
        let message = match tasks.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        let Ok((task, reply)) = message else { break };
        let answer = server.answer(&task);
        let _ = reply.send((task.index, answer));
    }
    server.finish()
}

//! The parent's side of one worker process: start it, send tasks, read
//! replies, and when anything goes wrong, find out how the process ended so
//! the error can say so.

use std::io::{BufReader, BufWriter};
use std::process::{Child, ChildStdin, ChildStdout, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::WorkerCommand;
use crate::error::{Error, Result};
use crate::wire::{self, Reply, WireError};
use crate::workload::{Output, Task};

/// How long a worker that misbehaved may take to exit on its own, once its
/// input is closed, before it is killed: long enough that a loaded machine
/// does not turn "exited with status 3" into "was killed", short enough that
/// a hung worker does not hold the suite up for long.
const GRACE: Duration = Duration::from_secs(5);

/// One running worker process.
#[derive(Debug)]
pub(crate) struct WorkerProcess {
    id: usize,
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    stdout: BufReader<ChildStdout>,
    reaped: bool,
}

impl WorkerProcess {
    /// Starts worker `id` (its number within the variant, used in messages).
    pub fn spawn(command: &WorkerCommand, id: usize) -> Result<WorkerProcess> {
        let mut child = command
            .command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Workers report their own errors as frames; a crash is told by its exit status.
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::Worker {
                worker: id,
                pid: None,
                reason: format!("cannot start '{}': {e}", command.program().display()),
            })?;
        let stdin = child.stdin.take().map(|s| BufWriter::with_capacity(1 << 16, s));
        let stdout = BufReader::with_capacity(1 << 16, child.stdout.take().expect("stdout was piped"));
        Ok(WorkerProcess { id, child, stdin, stdout, reaped: false })
    }

    /// The worker's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends one task.
    pub fn send(&mut self, task: &Task) -> Result<()> {
        let Some(stdin) = self.stdin.as_mut() else {
            return Err(self.failure(format!("cannot take task {}: its input is closed", task.index)));
        };
        match wire::write_task(stdin, task) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.failure(format!("stopped reading task {} ({e})", task.index))),
        }
    }

    /// Closes the worker's input: a worker exits once it has answered everything.
    pub fn close_input(&mut self) {
        self.stdin = None;
    }

    /// Reads the reply to task `index`.
    pub fn receive(&mut self, index: usize) -> Result<Output> {
        match wire::read_reply(&mut self.stdout) {
            Ok(Some(Reply::Done(output))) if output.index == index => Ok(output),
            Ok(Some(Reply::Done(output))) => {
                Err(self.failure(format!("answered task {} when asked for task {index}", output.index)))
            }
            Ok(Some(Reply::Failed(message))) => Err(Error::Reported { worker: self.id, message }),
            Ok(None) => Err(self.failure(format!("closed its output before answering task {index}"))),
            Err(WireError::Truncated(n)) => {
                Err(self.failure(format!("stopped after {n} bytes of its reply to task {index}")))
            }
            Err(e) => Err(self.failure(format!("answered task {index} with {e}"))),
        }
    }

    /// Closes the input, checks that nothing else comes back, and waits for
    /// a clean exit. Reading to the end before waiting is what avoids the
    /// full-pipe deadlock.
    pub fn finish(mut self) -> Result<()> {
        self.close_input();
        match wire::read_reply(&mut self.stdout) {
            Ok(None) => {}
            Ok(Some(_)) => return Err(self.failure("answered more than it was asked".into())),
            Err(e) => return Err(self.failure(format!("wrote {e} after its last answer"))),
        }
        let status = self.wait()?;
        match describe(status) {
            Ending::Clean => Ok(()),
            Ending::Interrupted => Err(Error::Interrupted),
            Ending::Failed(how) => {
                Err(Error::Worker { worker: self.id, pid: Some(self.child.id()), reason: format!("it {how}") })
            }
        }
    }

    fn wait(&mut self) -> Result<ExitStatus> {
        let status = self.child.wait().map_err(|e| Error::Worker {
            worker: self.id,
            pid: Some(self.child.id()),
            reason: format!("cannot wait for it: {e}"),
        })?;
        self.reaped = true;
        Ok(status)
    }

    /// The error for a worker that misbehaved: what it did and how it ended.
    /// Gives it [`GRACE`] to exit once its input is closed, then kills it.
    fn failure(&mut self, what: String) -> Error {
        self.close_input();
        let deadline = Instant::now() + GRACE;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(2)),
                _ => break None,
            }
        };
        let how = match status {
            Some(status) => {
                self.reaped = true;
                match describe(status) {
                    Ending::Interrupted => return Error::Interrupted,
                    Ending::Clean => "it exited with status 0".to_string(),
                    Ending::Failed(how) => format!("it {how}"),
                }
            }
            None => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                self.reaped = true;
                "it was still running and was killed".to_string()
            }
        };
        Error::Worker { worker: self.id, pid: Some(self.child.id()), reason: format!("{what}; {how}") }
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        if !self.reaped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// How a worker process ended.
enum Ending {
    Clean,
    Interrupted,
    Failed(String),
}

fn describe(status: ExitStatus) -> Ending {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return match signal {
                2 => Ending::Interrupted,
                s => Ending::Failed(format!("was killed by signal {s}{}", metron::clock::signal_name(s))),
            };
        }
    }
    match status.code() {
        Some(0) => Ending::Clean,
        Some(code) => Ending::Failed(format!("exited with status {code}")),
        None => Ending::Failed(format!("ended with {status}")),
    }
}

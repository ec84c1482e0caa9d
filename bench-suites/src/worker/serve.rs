//! The worker's side: read tasks, run them, answer, until the input ends.

use std::io::{BufWriter, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

use metron::clock::ClockSource;

use super::FAULT_ENV;
use crate::wire;
use crate::workload::{execute, Output, Task, Waits};

/// Ways a worker can be told to misbehave (see [`FAULT_ENV`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Crash,
    Exit,
    Garbage,
    Wrong,
}

impl Fault {
    fn from_env() -> Option<Fault> {
        match std::env::var(FAULT_ENV).ok()?.as_str() {
            "crash" => Some(Fault::Crash),
            "exit" => Some(Fault::Exit),
            "garbage" => Some(Fault::Garbage),
            "wrong" => Some(Fault::Wrong),
            _ => None,
        }
    }
}

/// Entry point of a worker process (`metron __suite-worker`); returns its
/// exit status: 0 when its input ended cleanly, 1 when its parent went
/// away, 2 for a malformed task frame.
pub fn worker_main() -> i32 {
    let fault = Fault::from_env();
    let mut input = std::io::stdin().lock();
    // Replies are binary: a plain buffer, not stdout's line buffering.
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // CPU time is reported per reply as the time since the previous one, so
    // reading each task and writing each result are charged too.
    let mut last_cpu = ClockSource::ProcessCpu.now_ns();
    loop {
        let task = match wire::read_task(&mut input) {
            Ok(Some(task)) => task,
            Ok(None) => return 0,
            Err(e) => {
                let _ = wire::write_error(&mut out, &format!("bad task frame: {e}"));
                return 2;
            }
        };
        if let Some(fault) = fault {
            misbehave(fault, &mut out);
        }
        let reply = run(&task, fault);
        let now = ClockSource::ProcessCpu.now_ns();
        let cpu = match (now, last_cpu) {
            (Some(b), Some(a)) => b.saturating_sub(a),
            _ => 0,
        };
        last_cpu = now;
        let written = match reply {
            Ok(output) => wire::write_result(&mut out, &output, cpu),
            Err(message) => wire::write_error(&mut out, &message),
        };
        if written.is_err() {
            return 1;
        }
    }
}

/// Runs one task, turning a failed read or a panic into a message.
fn run(task: &Task, fault: Option<Fault>) -> Result<Output, String> {
    match catch_unwind(AssertUnwindSafe(|| execute(task, Waits::Real))) {
        Ok(Ok(mut output)) => {
            if fault == Some(Fault::Wrong) {
                output.value ^= 1;
            }
            Ok(output)
        }
        Ok(Err(e)) => Err(format!("task {}: {e}", task.index)),
        Err(panic) => Err(format!("task {} panicked: {}", task.index, panic_message(&*panic))),
    }
}

/// Misbehaves as asked, before the first answer. `Wrong` answers, wrongly.
fn misbehave(fault: Fault, out: &mut impl Write) {
    match fault {
        Fault::Crash => std::process::abort(),
        Fault::Exit => std::process::exit(3),
        Fault::Garbage => {
            let _ = out.write_all(b"Traceback (most recent call last): this is not a frame\n");
            let _ = out.flush();
            std::process::exit(0);
        }
        Fault::Wrong => {}
    }
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

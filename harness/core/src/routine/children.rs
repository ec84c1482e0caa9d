//! The process groups of the commands metron is running now, so that a
//! signal sent to metron alone reaches them too.
//!
//! Every command a [`CommandRoutine`](super::CommandRoutine) spawns starts in
//! a process group of its own (its pid is its group id), so that a command
//! and everything it starts can be stopped together, a runaway grandchild
//! included. The price is that a terminal's Ctrl-C, which goes to metron's
//! foreground group, no longer reaches the command directly: metron's signal
//! handler calls [`terminate`] (first signal) and [`kill`] (second signal),
//! which pass it on.
//!
//! # How It Works
//!
//! A fixed table of atomic slots holds the group ids. Registering takes a
//! free slot with a compare-and-swap; the registration clears it when the
//! child has been reaped. [`terminate`] first raises a flag, then signals
//! every group in the table; a spawner registers first, then reads the flag
//! and, if a stop was asked for meanwhile, signals its own child (unless it
//! is a clean-up, which runs after a stop on purpose). Between the
//! two orders one side always sees the other, so no command started around
//! the moment of the signal escapes it. Only atomics and `kill(2)` are used,
//! so both functions are safe to call from a signal handler.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// Most commands tracked at once; metron runs one at a time, the table only
/// has room for tests and libraries that run a few in parallel.
const SLOTS: usize = 64;

/// Process group ids of the running commands; 0 marks a free slot.
static RUNNING: [AtomicI32; SLOTS] = [const { AtomicI32::new(0) }; SLOTS];

/// Set once a stop was asked for; stays set for the rest of the process.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// A running command's place in the table, freed when this is dropped
/// (after the child was reaped, so the group id cannot have been reused).
#[derive(Debug)]
pub(crate) struct Registration {
    pgid: i32,
    slot: Option<usize>,
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(slot) = self.slot {
            RUNNING[slot].store(0, Ordering::SeqCst);
        }
    }
}

/// Notes that the process group `pgid` is running a command. The caller
/// then checks [`stopping`]: a command that started just as a stop was
/// asked for was not seen by [`terminate`] and is ended with
/// [`Registration::terminate`].
pub(crate) fn register(pgid: u32) -> Registration {
    let Ok(pgid) = i32::try_from(pgid) else { return Registration { pgid: 0, slot: None } };
    let slot = RUNNING.iter().position(|s| s.compare_exchange(0, pgid, Ordering::SeqCst, Ordering::SeqCst).is_ok());
    Registration { pgid, slot }
}

impl Registration {
    /// Sends SIGTERM to this command's process group.
    pub(crate) fn terminate(&self) {
        if self.pgid > 0 {
            signal_group(self.pgid, Signal::Terminate);
        }
    }
}

/// Runs `command` to its end as a tracked child, for code outside
/// [`CommandRoutine`](super::CommandRoutine) that runs commands (a suite's
/// shell workload): in a process group of its own, in the table while it
/// runs, so that a signal to metron stops it, and not started at all once a
/// stop was asked for. Its output is collected as [`std::process::Command::output`] does,
/// from the pipes the caller set: unlike `output`, stdout and stderr are inherited
/// unless the caller asks for `Stdio::piped()`.
///
/// # Errors
/// The I/O error of starting it or collecting its output, or
/// [`std::io::ErrorKind::Interrupted`] when a stop was asked for before it
/// started.
pub fn output(command: &mut std::process::Command) -> std::io::Result<std::process::Output> {
    if stopping() {
        return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "metron is stopping"));
    }
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(command, 0);
    let child = command.spawn()?;
    let registration = register(child.id());
    if stopping() {
        registration.terminate();
    }
    let output = child.wait_with_output();
    drop(registration);
    output
}

/// Whether a stop was asked for: no new measuring command should start.
pub fn stopping() -> bool {
    STOPPING.load(Ordering::SeqCst)
}

/// Asks every running command to stop (SIGTERM to its process group), and
/// every command started from now on too. Signal-handler safe.
pub fn terminate() {
    STOPPING.store(true, Ordering::SeqCst);
    signal_all(Signal::Terminate);
}

/// Kills every running command's process group outright (SIGKILL), for a
/// command that ignored [`terminate`]. Signal-handler safe.
pub fn kill() {
    STOPPING.store(true, Ordering::SeqCst);
    signal_all(Signal::Kill);
}

/// The two signals metron sends: a request, then the end.
#[derive(Debug, Clone, Copy)]
enum Signal {
    Terminate,
    Kill,
}

fn signal_all(signal: Signal) {
    for slot in &RUNNING {
        let pgid = slot.load(Ordering::SeqCst);
        if pgid > 0 {
            signal_group(pgid, signal);
        }
    }
}

#[cfg(unix)]
fn signal_group(pgid: i32, signal: Signal) {
    let signal = match signal {
        Signal::Terminate => libc::SIGTERM,
        Signal::Kill => libc::SIGKILL,
    };
    // SAFETY: kill(2) takes plain integers; `-pgid` names the process group
    // of a child this process spawned in its own group and has not reaped
    // (its slot is cleared only after the reap), and `pgid > 0`, so this is
    // never kill(0) or kill(-1).
    unsafe { libc::kill(-pgid, signal) };
}

#[cfg(not(unix))]
fn signal_group(_pgid: i32, _signal: Signal) {}

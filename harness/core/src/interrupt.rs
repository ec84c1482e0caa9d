//! Ctrl-C (SIGINT), and SIGTERM and SIGHUP alike: the first one asks the
//! run to stop after the current sample and keep what was measured; a second
//! one ends every child at once (SIGTERM, then SIGKILL after
//! [`KILL_GRACE`]), which frees the run to write its results and exit, and
//! exits regardless after [`EXIT_GRACE`] (the JSON file then holds the last
//! checkpoint, which is never more than about a second old). SIGTERM is handled so that a process manager or
//! `timeout` stopping metron keeps the results, as Ctrl-C does.
//!
//! Commands that only read files and write what they render (compare,
//! report, import, history) have nothing measured to keep: for them the
//! first signal exits at once ([`exit_on_first_signal`]), even while the main
//! thread is blocked opening or reading a file. Their writes are atomic
//! (or a database transaction), so an exit leaves no half-written output.
//!
//! Commands run in process groups of their own, so a signal reaches them
//! only through metron: the first signal is passed on to the running
//! command's group as SIGTERM (and to snippet drivers as SIGINT), which ends
//! the sample in progress at once instead of after the whole command.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::routine::{children, driver};

/// Set when the user pressed Ctrl-C (or metron was asked to terminate).
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Set for commands that measure nothing: a signal exits at once.
static EXIT_AT_ONCE: AtomicBool = AtomicBool::new(false);

/// Exit status after an interruption (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// How long children have between SIGTERM and SIGKILL after a second signal.
pub const KILL_GRACE: Duration = Duration::from_millis(200);

/// How long the run has, after a second signal, to write its results before
/// metron exits without them.
pub const EXIT_GRACE: Duration = Duration::from_secs(3);

/// Installs the handler. Failure to install (another handler exists) only
/// means Ctrl-C keeps its default meaning, so it is not an error.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if EXIT_AT_ONCE.load(Ordering::SeqCst) {
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            end_children_and_exit();
        }
        // A signal sent to metron alone (kill, timeout) must still stop a
        // command or a snippet that is busy for long.
        children::terminate();
        driver::interrupt_drivers();
    });
}

/// Makes the first signal exit with [`EXIT_INTERRUPTED`] at once, for a
/// command that measures nothing and so has no results to keep. ctrlc's
/// handler runs on a thread of its own, so this works while the main
/// thread waits in `open(2)` or `read(2)`.
pub fn exit_on_first_signal() {
    EXIT_AT_ONCE.store(true, Ordering::SeqCst);
}

/// The second signal. ctrlc runs the handler on a thread of its own, not in
/// the signal's context, so it may sleep while the main thread, whose wait
/// for a child the kill has ended, finishes the run.
fn end_children_and_exit() {
    children::terminate();
    driver::terminate_drivers();
    std::thread::sleep(KILL_GRACE);
    children::kill();
    driver::kill_drivers();
    std::thread::sleep(EXIT_GRACE);
    std::process::exit(i32::from(EXIT_INTERRUPTED));
}

//! Ctrl-C (SIGINT), and SIGTERM and SIGHUP alike: the first one asks the
//! run to stop after the current sample and keep what was measured; a second
//! one exits at once. SIGTERM is handled so that a process manager or
//! `timeout` stopping metron keeps the results, as Ctrl-C does.
//!
//! Commands run in process groups of their own, so a signal reaches them
//! only through metron: the first signal is passed on to the running
//! command's group as SIGTERM (and to snippet drivers as SIGINT), which ends
//! the sample in progress at once instead of after the whole command.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set when the user pressed Ctrl-C (or metron was asked to terminate).
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Exit status after an interruption (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Installs the handler. Failure to install (another handler exists) only
/// means Ctrl-C keeps its default meaning, so it is not an error.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
        // A signal sent to metron alone (kill, timeout) must still stop a
        // command or a snippet that is busy for long.
        metron::routine::children::terminate();
        metron::routine::driver::interrupt_drivers();
    });
}

//! The one metron harness of a bench binary.
//!
//! criterion's macros make a fresh `Criterion` for every group
//! (`criterion_group!` calls `configure_from_args` each time) and one more
//! for the final summary; metron wants one run per binary: one set of
//! parsed flags, one JSON record, one baseline comparison and one exit
//! status. So every `Criterion` measures through this process-wide harness,
//! made from the command line the first time it is needed.

use std::sync::{Mutex, PoisonError};

use metron::bench::Harness;

/// The harness while the run goes on; `None` before the first use.
static HARNESS: Mutex<Option<Harness>> = Mutex::new(None);

/// The exit status of the finished run; `None` until it finished.
static STATUS: Mutex<Option<i32>> = Mutex::new(None);

/// Runs `f` with the harness, making it from the process arguments first if
/// needed (a bad flag exits with status 2 there, `--help` with 0).
pub(crate) fn with_harness<T>(f: impl FnOnce(&mut Harness) -> T) -> T {
    // A panic in a benchmark closure poisons the lock; the results measured
    // before it are still good, so the run goes on with them.
    let mut guard = HARNESS.lock().unwrap_or_else(PoisonError::into_inner);
    f(guard.get_or_insert_with(Harness::from_args))
}

/// Ends the run once: baseline, regression gate, JSON; keeps its status.
/// Later calls do nothing (`final_summary` may be called more than once).
pub(crate) fn finish() {
    let mut status = STATUS.lock().unwrap_or_else(PoisonError::into_inner);
    if status.is_some() {
        return;
    }
    let harness = HARNESS.lock().unwrap_or_else(PoisonError::into_inner).take();
    *status = Some(harness.unwrap_or_else(Harness::from_args).finish());
}

/// The exit status of the run: metron's (0, 1 for a failure or a
/// regression with `--fail-on-regression`, 130 when interrupted); the run is
/// finished first if it was not.
pub fn exit_status() -> i32 {
    finish();
    STATUS.lock().unwrap_or_else(PoisonError::into_inner).unwrap_or(0)
}

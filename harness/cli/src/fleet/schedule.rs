//! Hosts one after another (the default) or all at once (`--parallel`).
//!
//! Parallel is safe for the measurements: each host measures on its own
//! hardware, and the machine driving them only waits on ssh. One after
//! another is the default because it is easier to follow and because hosts
//! can share something a benchmark uses (a file server, a network link).
//!
//! Either way each host's result is handed to the caller as soon as that
//! host is done, on the calling thread, so printing and saving need no
//! locks. After Ctrl-C, hosts not yet started are not started: they are
//! reported as such.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use metron::merge::HostOutcome;

use super::host::Host;
use super::host_run::{run_host, HostResult, RemoteRun};

/// How hosts are scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// One host at a time, in the order given.
    OneAfterAnother,
    /// Every host at once.
    AllAtOnce,
}

/// Runs `run` on every host; `done(index, result)` is called for each host
/// as it finishes, and `note(host, message)` for slow steps as they start
/// (possibly from several threads).
pub fn run_all(
    run: &RemoteRun,
    hosts: &[Host],
    schedule: Schedule,
    interrupted: &AtomicBool,
    note: &(dyn Fn(&Host, &str) + Sync),
    mut done: impl FnMut(usize, HostResult),
) {
    let (tx, rx) = mpsc::channel();
    let one = |index: usize, host: &Host| {
        if interrupted.load(Ordering::SeqCst) {
            return not_started(host);
        }
        run_host(run, host, index, interrupted, &|message: &str| note(host, message))
    };
    let one = &one;
    std::thread::scope(|scope| {
        match schedule {
            Schedule::AllAtOnce => {
                for (index, host) in hosts.iter().enumerate() {
                    let tx = tx.clone();
                    scope.spawn(move || {
                        // The receiver outlives every sender (see below).
                        let _ = tx.send((index, one(index, host)));
                    });
                }
            }
            Schedule::OneAfterAnother => {
                let tx = tx.clone();
                scope.spawn(move || {
                    for (index, host) in hosts.iter().enumerate() {
                        if tx.send((index, one(index, host))).is_err() {
                            break;
                        }
                    }
                });
            }
        }
        drop(tx);
        for (index, result) in rx {
            done(index, result);
        }
    });
}

/// A host skipped after Ctrl-C.
fn not_started(host: &Host) -> HostResult {
    HostResult { outcome: HostOutcome::failed(&host.spec, "not started: interrupted", None), probe: None, metron: None }
}

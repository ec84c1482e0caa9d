//! Hosts one after another (the default) or several at once (`--parallel`,
//! at most [`DEFAULT_PARALLEL`] at a time unless `--parallel=N` says).
//!
//! The cap keeps a long host list from starting hundreds of ssh processes at
//! once, which runs out of file descriptors and reports hosts as failed that
//! were never tried. Parallel is safe for the measurements: each host measures on its own
//! hardware, and the machine driving them only waits on ssh. One after
//! another is the default because it is easier to follow and because hosts
//! can share something a benchmark uses (a file server, a network link).
//!
//! Either way each host's result is handed to the caller as soon as that
//! host is done, on the calling thread, so printing and saving need no
//! locks. After Ctrl-C, hosts not yet started are not started: they are
//! reported as such.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use metron::merge::HostOutcome;

use super::host::Host;
use super::host_run::{run_host, HostResult, RemoteRun};

/// Most hosts `--parallel` runs at once when it is given no number.
pub const DEFAULT_PARALLEL: usize = 32;

/// How hosts are scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// One host at a time, in the order given.
    OneAfterAnother,
    /// Up to this many hosts at a time (at least 1), started in the order given.
    AtOnce(usize),
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
    done: impl FnMut(usize, HostResult),
) {
    let one = |index: usize| {
        let host = &hosts[index];
        if interrupted.load(Ordering::SeqCst) {
            return not_started(host);
        }
        run_host(run, host, index, interrupted, &|message: &str| note(host, message))
    };
    for_each(hosts.len(), schedule, &one, done);
}

/// Runs `one(index)` for every index below `count`, as many at a time as
/// `schedule` allows, each worker taking the next index in order; `done`
/// gets each result as it comes, on the calling thread.
fn for_each<T: Send>(
    count: usize,
    schedule: Schedule,
    one: &(dyn Fn(usize) -> T + Sync),
    mut done: impl FnMut(usize, T),
) {
    let workers = match schedule {
        Schedule::OneAfterAnother => 1,
        Schedule::AtOnce(n) => n.clamp(1, count.max(1)),
    };
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                // The receiver outlives every sender (see below).
                if index >= count || tx.send((index, one(index))).is_err() {
                    break;
                }
            });
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The most calls of `for_each` running at once, and the indices done.
    fn run(count: usize, schedule: Schedule) -> (usize, Vec<usize>) {
        let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let one = |i: usize| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(5));
            running.fetch_sub(1, Ordering::SeqCst);
            i
        };
        let mut seen = Vec::new();
        for_each(count, schedule, &one, |i, r| {
            assert_eq!(i, r);
            seen.push(i);
        });
        seen.sort_unstable();
        (most.load(Ordering::SeqCst), seen)
    }

    #[test]
    fn parallel_hosts_are_capped() {
        let (most, seen) = run(40, Schedule::AtOnce(3));
        assert!(most <= 3, "{most} at once");
        assert_eq!(seen, (0..40).collect::<Vec<_>>());
        let (most, seen) = run(5, Schedule::OneAfterAnother);
        assert_eq!((most, seen.len()), (1, 5));
        assert_eq!(run(0, Schedule::AtOnce(DEFAULT_PARALLEL)).1, Vec::<usize>::new());
    }
}

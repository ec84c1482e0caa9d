//! Clocks on Unix (Linux, macOS, the BSDs): `clock_gettime`, `getrusage`, `wait4`.

use std::io;

use super::{ChildUsage, ExitKind};

/// Reads one POSIX clock. `clock_gettime` with a valid clock id and a valid
/// pointer cannot fail, so an error would be a platform bug; we return 0 then
/// rather than panicking inside a timed loop.
#[inline]
fn read(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
    debug_assert_eq!(rc, 0, "clock_gettime({clock}) failed");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// The resolution the OS reports for a clock, in ns.
pub(super) fn resolution_ns(clock: libc::clockid_t) -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: as in `read`.
    unsafe { libc::clock_getres(clock, &mut ts) };
    ts.tv_sec as f64 * 1e9 + ts.tv_nsec as f64
}

pub(super) const WALL: libc::clockid_t = libc::CLOCK_MONOTONIC;
pub(super) const PROCESS_CPU: libc::clockid_t = libc::CLOCK_PROCESS_CPUTIME_ID;
pub(super) const THREAD_CPU: libc::clockid_t = libc::CLOCK_THREAD_CPUTIME_ID;

/// Names of the OS sources, for the report.
pub(super) const SOURCES: [(&str, libc::clockid_t); 3] =
    [("CLOCK_MONOTONIC", WALL), ("CLOCK_PROCESS_CPUTIME_ID", PROCESS_CPU), ("CLOCK_THREAD_CPUTIME_ID", THREAD_CPU)];

#[inline]
pub(super) fn wall_ns() -> u64 {
    read(WALL)
}

#[inline]
pub(super) fn process_cpu_ns() -> Option<u64> {
    Some(read(PROCESS_CPU))
}

#[inline]
pub(super) fn thread_cpu_ns() -> Option<u64> {
    Some(read(THREAD_CPU))
}

fn timeval_ns(tv: libc::timeval) -> u64 {
    tv.tv_sec as u64 * 1_000_000_000 + tv.tv_usec as u64 * 1_000
}

/// User + system time of all children waited for so far.
pub(super) fn children_cpu_ns() -> Option<u64> {
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is valid and writable for the call.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    (rc == 0).then(|| timeval_ns(usage.ru_utime) + timeval_ns(usage.ru_stime))
}

/// `ru_maxrss` is KiB on Linux and the BSDs but bytes on macOS.
fn max_rss_kib(raw: libc::c_long) -> u64 {
    let raw = raw.max(0) as u64;
    if cfg!(target_os = "macos") {
        raw / 1024
    } else {
        raw
    }
}

/// Waits for `child` and returns how it ended with the resources that child
/// alone used (`wait4`), retrying when a signal interrupts the wait.
///
/// The child is reaped here, behind `std`'s back: the caller must not call
/// `wait` or `try_wait` on it afterwards.
///
/// # Errors
/// The OS error of `wait4`.
pub fn wait_child(child: &mut std::process::Child) -> io::Result<ChildUsage> {
    let pid = child.id();
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid, writable locals; wait4 only
        // reaps `pid`, which the caller spawned and has not waited for.
        let rc = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        if rc == pid as libc::pid_t {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let exit = if libc::WIFEXITED(status) {
        ExitKind::Code(libc::WEXITSTATUS(status))
    } else {
        ExitKind::Signal(libc::WTERMSIG(status))
    };
    Ok(ChildUsage {
        exit,
        user_ns: Some(timeval_ns(usage.ru_utime)),
        sys_ns: Some(timeval_ns(usage.ru_stime)),
        max_rss_kib: Some(max_rss_kib(usage.ru_maxrss)),
    })
}

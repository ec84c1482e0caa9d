//! Clocks where `clock_gettime` is not available: wall time from
//! `std::time::Instant`, and no CPU time at all. metron says so in its output
//! rather than inventing a figure.

use std::io;
use std::sync::OnceLock;
use std::time::Instant;

use super::{ChildUsage, ExitKind};

fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

pub(super) const SOURCES: [(&str, i32); 1] = [("std::time::Instant", 0)];

pub(super) fn resolution_ns(_clock: i32) -> f64 {
    // Instant does not report its resolution; the calibration measures it.
    0.0
}

#[inline]
pub(super) fn wall_ns() -> u64 {
    origin().elapsed().as_nanos() as u64
}

pub(super) fn process_cpu_ns() -> Option<u64> {
    None
}

pub(super) fn thread_cpu_ns() -> Option<u64> {
    None
}

pub(super) fn children_cpu_ns() -> Option<u64> {
    None
}

/// Waits for `child` through `std`: the exit status is known, its CPU time
/// and memory are not.
///
/// # Errors
/// The OS error of the wait.
pub fn wait_child(child: &mut std::process::Child) -> io::Result<ChildUsage> {
    let status = child.wait()?;
    let exit = match status.code() {
        Some(code) => ExitKind::Code(code),
        None => ExitKind::Signal(-1),
    };
    Ok(ChildUsage { exit, user_ns: None, sys_ns: None, max_rss_kib: None })
}

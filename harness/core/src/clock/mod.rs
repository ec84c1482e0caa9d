//! Clocks: what time is read from, on each platform, and what reading it costs.
//!
//! # Wall and CPU, both, always
//!
//! Python once made users pick between `time.time` (wall clock, but coarse
//! and not monotonic on some systems) and `time.clock` (CPU time on Unix, wall
//! time on Windows), and benchmarks quietly meant different things on different
//! machines. The modern answer, which metron follows, is to read a *monotonic*
//! wall clock and a *CPU-time* clock separately and record both on every
//! sample: wall time says what the user waits for, CPU time says what the work
//! cost, and their ratio says how parallel (above 1) or how idle (near 0) the
//! routine was. `--clock wall|cpu` only picks which of the two the headline
//! estimate and the stopping rule use.
//!
//! # Sources
//!
//! | clock | Linux, macOS (and other Unix) | elsewhere |
//! |---|---|---|
//! | wall | `clock_gettime(CLOCK_MONOTONIC)` | `std::time::Instant` |
//! | process CPU | `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)` | unavailable |
//! | thread CPU | `clock_gettime(CLOCK_THREAD_CPUTIME_ID)` | unavailable |
//! | reaped children | `getrusage(RUSAGE_CHILDREN)` | unavailable |
//! | one child process | `wait4` (user, system, peak RSS of *that* child) | exit status only |
//!
//! `wait4` matters for commands: `getrusage(RUSAGE_CHILDREN)` sums CPU over all
//! children, and its `ru_maxrss` is the largest of any child ever waited for,
//! so it cannot tell a 2 MB run from a 2 GB one after the fact.
//!
//! The platform choice is made here and only here, with `cfg`.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as platform;

#[cfg(not(unix))]
mod fallback;
#[cfg(not(unix))]
use fallback as platform;

mod calibrate;

pub use calibrate::{calibration, Calibration};
pub use platform::wait_child;

/// Whether this platform measures CPU time at all. When false, every
/// `cpu_ns` in the results is absent and `--clock cpu` is refused.
pub const CPU_TIME_AVAILABLE: bool = cfg!(unix);

/// The clocks metron reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockSource {
    /// Monotonic elapsed time.
    Wall,
    /// CPU time of the whole process, all threads.
    ProcessCpu,
    /// CPU time of the calling thread.
    ThreadCpu,
}

impl ClockSource {
    /// The short name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            ClockSource::Wall => "wall",
            ClockSource::ProcessCpu => "process-cpu",
            ClockSource::ThreadCpu => "thread-cpu",
        }
    }

    /// Reads the clock in nanoseconds from an arbitrary origin; `None` when
    /// the platform does not have it.
    #[inline]
    pub fn now_ns(self) -> Option<u64> {
        match self {
            ClockSource::Wall => Some(platform::wall_ns()),
            ClockSource::ProcessCpu => platform::process_cpu_ns(),
            ClockSource::ThreadCpu => platform::thread_cpu_ns(),
        }
    }
}

/// Monotonic wall time in nanoseconds from an arbitrary origin.
#[inline]
pub fn wall_ns() -> u64 {
    platform::wall_ns()
}

/// CPU time spent so far by this process (all threads) plus by the child
/// processes it has waited for, in nanoseconds. Closures that start and reap
/// worker processes are thereby charged for their children's work.
#[inline]
pub fn cpu_with_children_ns() -> Option<u64> {
    Some(platform::process_cpu_ns()? + platform::children_cpu_ns()?)
}

/// How a waited-for child process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    /// It exited with this code.
    Code(i32),
    /// A signal killed it.
    Signal(i32),
}

impl ExitKind {
    /// True for exit code 0.
    pub fn success(self) -> bool {
        self == ExitKind::Code(0)
    }
}

impl ExitKind {
    /// How a failed command ended, as the rest of a sentence about it:
    /// `failed with exit status 3`, `was killed by signal 9 (SIGKILL)`.
    pub fn failure(self) -> String {
        match self {
            ExitKind::Code(c) => format!("failed with exit status {c}"),
            ExitKind::Signal(s) => format!("was killed by signal {s}{}", signal_name(s)),
        }
    }
}

impl std::fmt::Display for ExitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExitKind::Code(c) => write!(f, "exit status {c}"),
            ExitKind::Signal(s) => write!(f, "killed by signal {s}{}", signal_name(*s)),
        }
    }
}

/// The usual name of a signal, with a leading space and in parentheses, for
/// messages (` (SIGKILL)`); empty for the rarer ones.
pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        1 => " (SIGHUP)",
        2 => " (SIGINT)",
        4 => " (SIGILL)",
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        13 => " (SIGPIPE)",
        15 => " (SIGTERM)",
        _ => "",
    }
}

/// What one child process cost, as the kernel accounted it when it was reaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildUsage {
    /// How it ended.
    pub exit: ExitKind,
    /// User-mode CPU time, where known.
    pub user_ns: Option<u64>,
    /// Kernel-mode CPU time, where known.
    pub sys_ns: Option<u64>,
    /// Peak resident set size in KiB, where known.
    pub max_rss_kib: Option<u64>,
}

/// Wall and CPU clocks read together, at the start or end of a timed region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Monotonic wall time.
    pub wall_ns: u64,
    /// Process + reaped-children CPU time, where available.
    pub cpu_ns: Option<u64>,
}

impl Stamp {
    /// Reads the start of a timed region: CPU first, then wall, so the wall
    /// reading is as close as possible to the work.
    #[inline]
    pub fn start() -> Stamp {
        let cpu_ns = cpu_with_children_ns();
        Stamp { wall_ns: wall_ns(), cpu_ns }
    }

    /// Reads the end of a timed region: wall first, then CPU.
    #[inline]
    pub fn end() -> Stamp {
        let wall_ns = wall_ns();
        Stamp { wall_ns, cpu_ns: cpu_with_children_ns() }
    }

    /// Time elapsed from `earlier` to `self`: (wall, cpu).
    pub fn since(self, earlier: Stamp) -> (u64, Option<u64>) {
        let wall = self.wall_ns.saturating_sub(earlier.wall_ns);
        let cpu = match (self.cpu_ns, earlier.cpu_ns) {
            (Some(b), Some(a)) => Some(b.saturating_sub(a)),
            _ => None,
        };
        (wall, cpu)
    }
}

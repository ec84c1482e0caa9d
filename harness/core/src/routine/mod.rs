//! Routines: anything that can be asked "run `n` iterations and tell me what
//! it cost".
//!
//! One trait, [`Routine`], is the seam between what is measured and how it is
//! sampled. The sampler never knows whether it drives a closure in this
//! process, a command spawned once per iteration, or a long-lived snippet
//! driver answering over a pipe; it only asks for [`Measurement`]s.
//!
//! | implementation | what one iteration is | CPU time from |
//! |---|---|---|
//! | [`ClosureRoutine`] | one call of a Rust closure | process + reaped children CPU clock |
//! | [`CommandRoutine`] | one spawned process | `wait4` of that child |
//! | [`DriverRoutine`] | one loop pass in a long-lived child (snippets) | the child's own clocks |

pub mod children;
mod closure;
mod command;
pub mod driver;
pub mod shell;
pub mod snippet;

pub use closure::{black_box, BatchSize, Bencher, ClosureRoutine};
pub use command::{CommandRoutine, CommandSpec, FailurePolicy, OutputMode, ShellMode};
pub use driver::DriverRoutine;

use crate::error::Result;
use crate::model::{RoutineKind, Sample};

/// What `n` iterations of a routine cost. Times are totals over all
/// iterations, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Measurement {
    /// Iterations measured.
    pub iterations: u64,
    /// Elapsed time.
    pub wall_ns: f64,
    /// CPU time (user + system), where known.
    pub cpu_ns: Option<f64>,
    /// User-mode CPU time, where known separately.
    pub user_ns: Option<f64>,
    /// Kernel-mode CPU time, where known separately.
    pub sys_ns: Option<f64>,
    /// Peak resident set size of the largest child, in KiB.
    pub max_rss_kib: Option<u64>,
    /// Instructions and other events, when the routine counts them.
    pub counts: Option<crate::counter::Counts>,
}

impl Measurement {
    /// Adds another measurement of the same routine (more iterations).
    pub fn accumulate(&mut self, other: &Measurement) {
        fn add(a: Option<f64>, b: Option<f64>) -> Option<f64> {
            match (a, b) {
                (Some(a), Some(b)) => Some(a + b),
                (a, None) | (None, a) => a,
            }
        }
        self.iterations += other.iterations;
        self.wall_ns += other.wall_ns;
        self.cpu_ns = add(self.cpu_ns, other.cpu_ns);
        self.user_ns = add(self.user_ns, other.user_ns);
        self.sys_ns = add(self.sys_ns, other.sys_ns);
        self.max_rss_kib = match (self.max_rss_kib, other.max_rss_kib) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, None) | (None, a) => a,
        };
        self.counts = match (self.counts, other.counts) {
            (Some(a), Some(b)) => Some(a.add(&b)),
            (a, None) | (None, a) => a,
        };
    }

    /// The sample this measurement becomes, taken at `at_ns` into the run.
    pub fn into_sample(self, at_ns: u64, round: Option<u32>) -> Sample {
        Sample {
            iterations: self.iterations,
            wall_ns: self.wall_ns,
            cpu_ns: self.cpu_ns,
            user_ns: self.user_ns,
            sys_ns: self.sys_ns,
            max_rss_kib: self.max_rss_kib,
            round,
            replicate: None,
            at_ns,
            counts: self.counts,
        }
    }
}

/// Something metron can measure.
///
/// The sampler calls [`Routine::setup`] once, then [`Routine::measure`] many
/// times with iteration counts of its choosing, then [`Routine::teardown`]
/// once (also after a failure or an interruption).
pub trait Routine {
    /// What kind of routine this is, for the report.
    fn kind(&self) -> RoutineKind;

    /// Untimed preparation, once before the first measurement.
    ///
    /// # Errors
    /// When the preparation fails (e.g. a `--setup` command exits non-zero).
    fn setup(&mut self) -> Result<()> {
        Ok(())
    }

    /// Runs `iterations` iterations and reports what they cost.
    ///
    /// # Errors
    /// When the routine fails; the sampler stops this benchmark.
    fn measure(&mut self, iterations: u64) -> Result<Measurement>;

    /// Untimed clean-up, once after the last measurement.
    ///
    /// # Errors
    /// When the clean-up fails (e.g. a `--cleanup` command exits non-zero).
    fn teardown(&mut self) -> Result<()> {
        Ok(())
    }

    /// Starts a new replicate (see [`crate::model::Replicate`]): a routine
    /// whose state lives in a process of its own (a snippet driver) starts
    /// a fresh one, so that what differs between runs of a process (heap
    /// and code layout, a warmed interpreter) also differs between
    /// replicates. Called between replicates, after the previous one's last
    /// measurement; the default does nothing, as for commands (every
    /// iteration is a fresh process already) and closures (the bench binary
    /// re-executes itself instead).
    ///
    /// # Errors
    /// When the fresh process cannot be started or set up.
    fn fresh_replicate(&mut self) -> Result<()> {
        Ok(())
    }

    /// The process measurements run in, when it is one of the routine's own.
    fn process_id(&self) -> Option<u32> {
        None
    }

    /// Start-up time of a shell that was subtracted from every measurement, if any.
    fn shell_overhead_ns(&self) -> Option<f64> {
        None
    }

    /// Makes every later measurement report [`Measurement::counts`] from
    /// `backend` (see [`crate::counter`]); called before [`Routine::setup`].
    ///
    /// # Errors
    /// [`Error::CounterUnavailable`](crate::Error::CounterUnavailable) when
    /// this routine cannot be counted that way (the default).
    fn count_with(&mut self, backend: crate::counter::Backend) -> Result<()> {
        Err(crate::Error::CounterUnavailable(format!(
            "{:?} benchmarks of this kind cannot be counted with {}",
            self.kind(),
            backend.name()
        )))
    }
}

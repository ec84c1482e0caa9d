//! Counters: instructions (and cycles, or estimated cycles) instead of
//! time, for comparisons and CI gates that a busy neighbour cannot move.
//!
//! # Backends
//!
//! | backend | chosen when | counts | excludes |
//! |---|---|---|---|
//! | [`Backend::PerfEvent`] | the kernel exposes a PMU (`perf_event_open` works) | user-space instructions and cycles of the measured thread or process | the kernel, other processes |
//! | [`Backend::Valgrind`] | no PMU, Valgrind installed | instructions of the simulated CPU, L1/LL misses from its cache model, estimated cycles | the kernel; runs 20–100× slower |
//!
//! [`choose`] picks one, once, before anything is measured, and fails with
//! one line that says what is missing and how to install it when neither is
//! there. `--clock cycles` needs a PMU; `--clock estimated-cycles` needs
//! Valgrind (it is Valgrind's cache model: L1 hits + 5 × LL hits + 35 × RAM
//! accesses, the weights iai-callgrind uses; see [`Counts`]).
//!
//! # How each kind of benchmark is counted
//!
//! * closures: the regions a [`Bencher`](crate::Bencher) times ([`region`]);
//!   under Valgrind the bench binary re-executes itself, one process per
//!   benchmark ([`crate::bench`]'s `reexec`);
//! * commands: the whole child process (under Valgrind: `valgrind
//!   --tool=callgrind COMMAND`);
//! * snippet drivers: the driver's timed loop (under Valgrind: callgrind's
//!   `--toggle-collect` and `--dump-after` on the driver's loop function).
//!
//! Closures and snippets take every sample as the difference of two
//! iteration counts ([`Differenced`]), so the fixed cost of starting and
//! stopping the measurement cancels. Counts are deterministic, so the
//! sampler does not chase a precision or a time budget: a few samples
//! ([`COUNT_RUNS`]) show that the count is stable, and their spread is
//! reported.

pub mod client;
mod counts;
mod difference;
pub mod perf;
pub mod region;
pub mod valgrind;

pub use counts::{Counts, LL_HIT_CYCLES, RAM_HIT_CYCLES};
pub use difference::Differenced;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{BenchmarkResult, ClockKind, RoutineKind, RunRecord, Summary};
use crate::routine::Measurement;
use crate::runner::Benchmark;
use crate::stats;

/// The noise floor of comparisons on counts, within a run and against a
/// baseline (unless `--noise` is given): 0.1%. Counts repeat exactly or
/// within a few hundredths of a percent (allocator and environment effects),
/// so a tenth of a percent is a real change in the code that ran.
pub const COUNT_NOISE: f64 = 0.001;

/// Samples per benchmark when counting, unless `--runs` says otherwise:
/// enough to show the count is stable and to measure its spread.
pub const COUNT_RUNS: usize = 5;

/// Set in the environment of a bench binary re-executed under Valgrind:
/// the callgrind output prefix its dumps go to.
pub const CHILD_ENV: &str = "METRON_CALLGRIND_OUT";

/// Forces a backend (`perf` or `valgrind`) instead of the automatic choice.
pub const BACKEND_ENV: &str = "METRON_COUNTER";

/// Where counts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    /// Hardware counters through `perf_event_open`.
    PerfEvent,
    /// Valgrind's callgrind tool and its cache simulation.
    Valgrind,
}

impl Backend {
    /// The name shown in the terminal and reports.
    pub fn name(self) -> &'static str {
        match self {
            Backend::PerfEvent => "hardware counters (perf_event_open)",
            Backend::Valgrind => "Valgrind (callgrind)",
        }
    }

    /// What the counts of a routine of `kind` leave out, in one line.
    pub fn excludes(self, kind: RoutineKind) -> &'static str {
        match (self, kind) {
            (Backend::PerfEvent, RoutineKind::Closure) => {
                "user-space instructions of the timed regions only: set-up, batch inputs, harness and kernel excluded"
            }
            (Backend::PerfEvent, RoutineKind::Command) => {
                "user-space instructions of the command and its children, plus metron's own spawn-and-wait code; kernel excluded"
            }
            (Backend::PerfEvent, RoutineKind::Snippet) => {
                "user-space instructions of the driver's loop, its fixed cost removed by differencing; set-up and kernel excluded"
            }
            (Backend::Valgrind, RoutineKind::Closure) => {
                "instructions of the timed regions only: set-up, batch inputs, harness and kernel excluded; times ran under Valgrind (20-100x slower)"
            }
            (Backend::Valgrind, RoutineKind::Command) => {
                "every instruction of the command's processes from the dynamic loader on (a shell included); kernel excluded; times ran under Valgrind (20-100x slower)"
            }
            (Backend::Valgrind, RoutineKind::Snippet) => {
                "instructions of the driver's loop, its fixed cost removed by differencing; set-up and kernel excluded; times ran under Valgrind (20-100x slower)"
            }
        }
    }

    /// The tool and its version, for the record.
    pub fn tool(self) -> String {
        static VALGRIND: OnceLock<String> = OnceLock::new();
        match self {
            Backend::PerfEvent => "perf_event_open".into(),
            Backend::Valgrind => {
                VALGRIND.get_or_init(|| valgrind::version().unwrap_or_else(|_| "valgrind".into())).clone()
            }
        }
    }
}

/// What counted a benchmark and the statistics of its other events, per
/// iteration; instructions are in [`BenchmarkResult::instructions`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CounterResult {
    /// The backend.
    pub backend: Backend,
    /// The tool and its version (`valgrind-3.19.0`, `perf_event_open`).
    pub tool: String,
    /// What the counts leave out ([`Backend::excludes`]).
    pub excludes: String,
    /// Cycles per iteration (hardware counters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycles: Option<Summary>,
    /// Estimated cycles per iteration (Valgrind's cache model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_cycles: Option<Summary>,
    /// L1 misses per iteration (Valgrind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub l1_misses: Option<Summary>,
    /// Last-level misses per iteration (Valgrind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ll_misses: Option<Summary>,
}

/// The backend for counting on `clock`, or why there is none.
///
/// # Errors
/// [`Error::CounterUnavailable`], one line naming what is missing and how
/// to install it.
pub fn choose(clock: ClockKind) -> Result<Backend> {
    choose_with(clock, &valgrind::program())
}

/// [`choose`] with this Valgrind program.
fn choose_with(clock: ClockKind, valgrind_program: &str) -> Result<Backend> {
    if std::env::var_os(CHILD_ENV).is_some() {
        return Ok(Backend::Valgrind);
    }
    let forced = std::env::var(BACKEND_ENV).unwrap_or_default();
    let perf = match forced.as_str() {
        "valgrind" => Err(Error::CounterUnavailable(format!("{BACKEND_ENV}=valgrind"))),
        _ => perf::PerfCounter::open(perf::Target::Thread).and_then(|c| c.read()),
    };
    match (clock, perf) {
        (ClockKind::Cycles, Ok(_)) | (ClockKind::Instructions, Ok(_)) => return Ok(Backend::PerfEvent),
        (ClockKind::Cycles, Err(e)) => {
            return Err(Error::CounterUnavailable(format!(
                "--clock cycles needs hardware counters, and this machine has none ({e}); \
                 --clock estimated-cycles estimates them with Valgrind"
            )))
        }
        _ if forced == "perf" => return Err(Error::CounterUnavailable(format!("{BACKEND_ENV}=perf: no PMU"))),
        _ => {}
    }
    valgrind::version_of(valgrind_program).map(|_| Backend::Valgrind).map_err(|e| {
        Error::CounterUnavailable(format!(
            "--clock {clock} needs hardware counters or Valgrind, and this machine has neither \
             (no PMU: perf_event_open is not supported; {e}); install Valgrind \
             (Debian/Ubuntu: apt-get install valgrind, Fedora: dnf install valgrind) or run on a machine with a PMU"
        ))
    })
}

/// Prepares benchmarks for counting with `backend`: each routine is told
/// to count, and closures and snippets take their samples as differences.
///
/// # Errors
/// The first routine that cannot be counted this way, before anything runs.
pub fn prepare<'a>(benchmarks: Vec<Benchmark<'a>>, backend: Backend) -> Result<Vec<Benchmark<'a>>> {
    benchmarks
        .into_iter()
        .map(|mut b| {
            b.routine.count_with(backend)?;
            if b.routine.kind() != RoutineKind::Command {
                b.routine = Box::new(Differenced::new(b.routine));
            }
            Ok(b)
        })
        .collect()
}

/// Adds the count statistics of `result`'s samples (per iteration, seeded
/// by `seed`) and what counted them; does nothing when a sample has none.
///
/// Count statistics the result already holds (a loaded file's) are a
/// cache: recomputed from the samples, reusing only their possible
/// bootstrap intervals (see [`stats::summarize_reusing`]).
pub fn annotate(result: &mut BenchmarkResult, backend: Backend, seed: u64) {
    let old = result.counter.as_ref();
    let per_iter = |f: &dyn Fn(&Counts) -> Option<f64>, cached: Option<&Summary>| -> Option<Summary> {
        let values: Option<Vec<f64>> =
            result.samples.iter().map(|s| Some(f(s.counts.as_ref()?)? / s.iterations.max(1) as f64)).collect();
        stats::summarize_reusing(&values?, seed, cached)
    };
    let Some(instructions) = per_iter(&|c| Some(c.instructions), result.instructions.as_ref()) else {
        result.instructions = None;
        result.counter = None;
        return;
    };
    let counter = CounterResult {
        backend,
        tool: old.map_or_else(|| backend.tool(), |o| o.tool.clone()),
        excludes: backend.excludes(result.kind).to_string(),
        cycles: per_iter(&|c| c.cycles, old.and_then(|o| o.cycles.as_ref())),
        estimated_cycles: per_iter(&|c| c.estimated_cycles, old.and_then(|o| o.estimated_cycles.as_ref())),
        l1_misses: per_iter(&|c| c.l1_misses, old.and_then(|o| o.l1_misses.as_ref())),
        ll_misses: per_iter(&|c| c.ll_misses, old.and_then(|o| o.ll_misses.as_ref())),
    };
    result.instructions = Some(instructions);
    result.counter = Some(counter);
}

/// The total of a measurement on a count `clock`, if it has it.
pub fn headline_count(m: &Measurement, clock: ClockKind) -> Option<f64> {
    let c = m.counts?;
    match clock {
        ClockKind::Instructions => Some(c.instructions),
        ClockKind::Cycles => c.cycles,
        ClockKind::EstimatedCycles => c.estimated_cycles,
        ClockKind::Wall | ClockKind::Cpu => None,
    }
}

/// Whether the counts of two runs can be compared: counted by the same
/// backend on the same CPU model, as the same binary counts differently on
/// another CPU (its libraries pick other code paths for it). Runs without
/// counts are always comparable.
///
/// # Errors
/// [`Error::InvalidConfig`], one line naming the two backends or CPUs.
pub fn check_comparable(old: &RunRecord, new: &RunRecord) -> Result<()> {
    let backend = |r: &RunRecord| r.benchmarks.iter().find_map(|b| b.counter.as_ref().map(|c| c.backend));
    let (Some(a), Some(b)) = (backend(old), backend(new)) else { return Ok(()) };
    if a != b {
        return Err(Error::InvalidConfig(format!(
            "cannot compare counts from different backends: the old run was counted with {}, the new one with {}",
            a.name(),
            b.name()
        )));
    }
    let (ca, cb) = (&old.environment.cpu_model, &new.environment.cpu_model);
    if ca != cb {
        let name = |c: &Option<String>| c.clone().unwrap_or_else(|| "an unknown CPU".into());
        return Err(Error::InvalidConfig(format!(
            "cannot compare counts from different CPUs: '{}' and '{}' run different code for the same program",
            name(ca),
            name(cb)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_valgrind_and_pmu_the_error_says_what_to_install() {
        // Valgrind is pointed at a program that does not exist; whether
        // this machine has a PMU decides which answer is right.
        let result = choose_with(ClockKind::Instructions, "/nonexistent/valgrind");
        if perf::available() {
            assert_eq!(result.unwrap(), Backend::PerfEvent);
        } else {
            let e = result.unwrap_err().to_string();
            assert!(e.contains("needs hardware counters or Valgrind"), "{e}");
            assert!(e.contains("apt-get install valgrind") && e.contains("/nonexistent/valgrind"), "{e}");
            assert!(!e.contains('\n'));
            let cycles = choose_with(ClockKind::Cycles, "/nonexistent/valgrind").unwrap_err().to_string();
            assert!(cycles.starts_with("--clock cycles needs hardware counters"), "{cycles}");
        }
    }
}

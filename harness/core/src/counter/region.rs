//! Counting in this process: the regions a [`Bencher`](crate::Bencher)
//! times are also counted, and nothing else (not the set-up before `iter`,
//! not `iter_batched`'s inputs, not the harness).
//!
//! Counting is switched on once per process ([`enable`]); until then each
//! region costs the benchmark one relaxed atomic load at each end.
//!
//! * With hardware counters, each region reads the calling thread's counter
//!   at its start and end and adds the difference.
//! * Under Valgrind (a bench binary re-executed by its parent with
//!   `--instr-atstart=no`), each region starts and stops callgrind's
//!   instrumentation, and [`take`] dumps the counts since the previous dump
//!   and reads them back from the numbered output file.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;

use crate::error::{Error, Result};

use super::client::{self, Request};
use super::perf::{PerfCounter, Target};
use super::{valgrind, Counts};

/// How regions are counted in this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// With the calling thread's hardware counter.
    Perf,
    /// With callgrind client requests; dumps go to this output prefix.
    Callgrind(PathBuf),
}

static MODE: OnceLock<Mode> = OnceLock::new();
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The number of the next callgrind dump file.
static NEXT_DUMP: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static COUNTER: RefCell<Option<PerfCounter>> = const { RefCell::new(None) };
    static OPENED_AT: Cell<Option<Counts>> = const { Cell::new(None) };
    static TOTAL: Cell<Option<Counts>> = const { Cell::new(None) };
}

/// Counts every region from now on, in `mode`. The first mode set stays:
/// a process counts one way.
///
/// # Errors
/// [`Error::CounterUnavailable`] when `mode` is [`Mode::Callgrind`] but the
/// process does not run under Valgrind, or another mode was set before.
pub fn enable(mode: Mode) -> Result<()> {
    if matches!(mode, Mode::Callgrind(_)) && !client::running_on_valgrind() {
        return Err(Error::CounterUnavailable(
            "closures are counted under Valgrind by re-executing the bench binary, as metron::main! does".into(),
        ));
    }
    let set = MODE.get_or_init(|| mode.clone());
    if *set != mode {
        return Err(Error::CounterUnavailable(format!("this process already counts with {set:?}")));
    }
    ACTIVE.store(true, Ordering::Release);
    Ok(())
}

/// Whether regions are counted.
pub fn enabled() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// The start of a timed region.
#[inline(always)]
pub fn begin() {
    if ACTIVE.load(Ordering::Relaxed) {
        begin_counting();
    }
}

/// The end of a timed region.
#[inline(always)]
pub fn end() {
    if ACTIVE.load(Ordering::Relaxed) {
        end_counting();
    }
}

#[inline(never)]
fn begin_counting() {
    match MODE.get() {
        Some(Mode::Perf) => OPENED_AT.set(read_thread().ok()),
        Some(Mode::Callgrind(_)) => {
            client::send(Request::StartInstrumentation);
        }
        None => {}
    }
}

#[inline(never)]
fn end_counting() {
    match MODE.get() {
        Some(Mode::Callgrind(_)) => {
            client::send(Request::StopInstrumentation);
            TOTAL.set(Some(TOTAL.get().unwrap_or_default()));
        }
        Some(Mode::Perf) => {
            if let (Some(start), Ok(now)) = (OPENED_AT.take(), read_thread()) {
                let region = now.minus(&start);
                TOTAL.set(Some(TOTAL.get().map_or(region, |t| t.add(&region))));
            }
        }
        None => {}
    }
}

fn read_thread() -> Result<Counts> {
    COUNTER.with_borrow_mut(|counter| {
        if counter.is_none() {
            *counter = Some(PerfCounter::open(Target::Thread)?);
        }
        counter.as_ref().map_or_else(|| Err(Error::CounterUnavailable("no counter".into())), PerfCounter::read)
    })
}

/// The counts of the regions since the last call on this thread: `None`
/// when counting is off or no region ran.
///
/// # Errors
/// When the callgrind dump cannot be read.
pub fn take() -> Option<Result<Counts>> {
    if !enabled() {
        return None;
    }
    let total = TOTAL.take()?;
    Some(match MODE.get() {
        Some(Mode::Callgrind(prefix)) => {
            client::send(Request::DumpStats);
            valgrind::take_file(&valgrind::dump_path(prefix, NEXT_DUMP.fetch_add(1, Ordering::Relaxed)))
        }
        _ => Ok(total),
    })
}

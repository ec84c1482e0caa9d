//! In-process closures: the routine behind the Rust bench API.
//!
//! A benchmark is a closure that receives a [`Bencher`] and calls one of its
//! `iter` methods, as in criterion. The sampler calls the closure once per
//! sample with the iteration count it wants, so code before the `iter` call
//! is untimed set-up that runs once per sample, and several benchmarks can be
//! driven in interleaved rounds.

use crate::clock::Stamp;
use crate::counter::{region, Backend};
use crate::error::{Error, Result};
use crate::model::RoutineKind;

use super::{Measurement, Routine};

/// Prevents the optimiser from deleting or hoisting the computation of a
/// value it would otherwise see as unused. Same as [`std::hint::black_box`].
#[inline(always)]
pub fn black_box<T>(x: T) -> T {
    std::hint::black_box(x)
}

/// How many inputs [`Bencher::iter_batched`] prepares before timing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchSize {
    /// Small inputs: prepare up to 10,000 at once, so timing overhead is
    /// amortised over many iterations.
    Small,
    /// Large inputs: prepare up to 1,000 at once to bound memory.
    Large,
    /// One input per timed region: for inputs too large to hold many of, at
    /// the price of one clock read pair per iteration.
    PerIteration,
    /// Exactly this many inputs per batch.
    Fixed(u64),
}

impl BatchSize {
    fn per_batch(self, iterations: u64) -> u64 {
        let cap = match self {
            BatchSize::Small => 10_000,
            BatchSize::Large => 1_000,
            BatchSize::PerIteration => 1,
            BatchSize::Fixed(n) => n.max(1),
        };
        iterations.clamp(1, cap)
    }
}

/// Handed to a benchmark closure: times the statement it is given for the
/// number of iterations the sampler asked for.
#[derive(Debug)]
pub struct Bencher {
    iterations: u64,
    measured: Option<Measurement>,
}

impl Bencher {
    /// A bencher that will run `iterations` iterations.
    pub fn new(iterations: u64) -> Bencher {
        Bencher { iterations, measured: None }
    }

    /// How many iterations this sample runs (for closures that size their
    /// own untimed set-up).
    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    /// Times `f` called once per iteration; its result goes through
    /// [`black_box`] so the call cannot be optimised away.
    #[inline(never)]
    pub fn iter<O>(&mut self, mut f: impl FnMut() -> O) {
        let n = self.iterations;
        let start = Stamp::start();
        region::begin();
        for _ in 0..n {
            black_box(f());
        }
        region::end();
        let end = Stamp::end();
        self.record(n, end.since(start));
    }

    /// Times `routine` on inputs made by `setup`, which is not timed: for
    /// statements that consume or mutate their input (sorting a vector,
    /// draining a map). Inputs are made a batch at a time (see [`BatchSize`])
    /// and outputs are dropped outside the timed region.
    pub fn iter_batched<I, O>(
        &mut self,
        mut setup: impl FnMut() -> I,
        mut routine: impl FnMut(I) -> O,
        size: BatchSize,
    ) {
        self.each_batch(size, |k| {
            let inputs: Vec<I> = (0..k).map(|_| setup()).collect();
            let mut outputs = Vec::with_capacity(k as usize);
            let start = Stamp::start();
            region::begin();
            for input in inputs {
                outputs.push(black_box(routine(input)));
            }
            region::end();
            Stamp::end().since(start)
        });
    }

    /// Times `routine` on inputs made by `setup`, passed by mutable
    /// reference: as [`Bencher::iter_batched`], but neither the input nor
    /// the output is moved or dropped inside the timed region (criterion's
    /// `iter_batched_ref`).
    pub fn iter_batched_ref<I, O>(
        &mut self,
        mut setup: impl FnMut() -> I,
        mut routine: impl FnMut(&mut I) -> O,
        size: BatchSize,
    ) {
        self.each_batch(size, |k| {
            let mut inputs: Vec<I> = (0..k).map(|_| setup()).collect();
            let mut outputs = Vec::with_capacity(k as usize);
            let start = Stamp::start();
            region::begin();
            for input in inputs.iter_mut() {
                outputs.push(black_box(routine(input)));
            }
            region::end();
            Stamp::end().since(start)
        });
    }

    /// Splits the sample's iterations into batches of `size`; `time(k)`
    /// prepares `k` inputs, times them and returns the span, and everything
    /// it made is dropped when it returns, after the clock stopped.
    fn each_batch(&mut self, size: BatchSize, mut time: impl FnMut(u64) -> (u64, Option<u64>)) {
        let batch = size.per_batch(self.iterations);
        let mut remaining = self.iterations;
        while remaining > 0 {
            let k = batch.min(remaining);
            let span = time(k);
            self.record(k, span);
            remaining -= k;
        }
    }

    /// Lets the closure time itself: `f(n)` runs `n` iterations and returns
    /// what they cost as a [`Measurement`] — `iterations: n`, their total
    /// wall time in ns, and CPU, user, system time and peak RSS where it
    /// knows them (for code that must control the clock, such as the
    /// concurrency suite waiting on workers).
    pub fn iter_custom(&mut self, mut f: impl FnMut(u64) -> Measurement) {
        let m = f(self.iterations);
        self.measured.get_or_insert_with(Measurement::default).accumulate(&m);
    }

    fn record(&mut self, iterations: u64, (wall, cpu): (u64, Option<u64>)) {
        let m =
            Measurement { iterations, wall_ns: wall as f64, cpu_ns: cpu.map(|c| c as f64), ..Measurement::default() };
        self.measured.get_or_insert_with(Measurement::default).accumulate(&m);
    }

    /// What the closure measured, if it called an `iter` method.
    pub fn take(&mut self) -> Option<Measurement> {
        self.measured.take()
    }
}

/// A closure benchmark as a [`Routine`].
pub struct ClosureRoutine<'a> {
    body: Box<dyn FnMut(&mut Bencher) + 'a>,
}

impl<'a> ClosureRoutine<'a> {
    /// A routine from a criterion-style closure that calls `b.iter(..)`.
    pub fn new(body: impl FnMut(&mut Bencher) + 'a) -> ClosureRoutine<'a> {
        ClosureRoutine { body: Box::new(body) }
    }

    /// A routine that times `f` itself, once per iteration.
    pub fn from_fn<O>(mut f: impl FnMut() -> O + 'a) -> ClosureRoutine<'a> {
        ClosureRoutine::new(move |b: &mut Bencher| b.iter(&mut f))
    }
}

impl std::fmt::Debug for ClosureRoutine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClosureRoutine")
    }
}

impl Routine for ClosureRoutine<'_> {
    fn kind(&self) -> RoutineKind {
        RoutineKind::Closure
    }

    fn measure(&mut self, iterations: u64) -> Result<Measurement> {
        let mut bencher = Bencher::new(iterations);
        (self.body)(&mut bencher);
        let mut m = bencher.take().ok_or_else(|| {
            Error::Routine(
                "the benchmark closure returned without calling b.iter, b.iter_batched or b.iter_custom".into(),
            )
        })?;
        if region::enabled() {
            let counts = region::take().ok_or_else(|| {
                Error::Routine("b.iter_custom times itself and cannot be counted: use b.iter or b.iter_batched".into())
            })?;
            m.counts = Some(counts?);
        }
        Ok(m)
    }

    /// Hardware counters count this thread; Valgrind counts only in a bench
    /// binary re-executed under it (see [`crate::counter::region`]).
    fn count_with(&mut self, backend: Backend) -> Result<()> {
        match backend {
            Backend::PerfEvent => region::enable(region::Mode::Perf),
            Backend::Valgrind => {
                let prefix = std::env::var_os(crate::counter::CHILD_ENV).unwrap_or_default();
                region::enable(region::Mode::Callgrind(prefix.into()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iter_runs_exactly_n_times() {
        let mut count = 0u64;
        let mut r = ClosureRoutine::from_fn(|| count += 1);
        let m = r.measure(1234).unwrap();
        assert_eq!(m.iterations, 1234);
        assert!(m.wall_ns > 0.0);
        drop(r);
        assert_eq!(count, 1234);
    }

    #[test]
    fn batched_setup_is_untimed_and_runs_once_per_iteration() {
        let mut setups = 0u64;
        let mut runs = 0u64;
        let mut r = ClosureRoutine::new(|b: &mut Bencher| {
            b.iter_batched(
                || {
                    setups += 1;
                    // A slow set-up: if it were timed, the sample would be long.
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    vec![3u32, 1, 2]
                },
                |mut v| {
                    runs += 1;
                    v.sort();
                    v
                },
                BatchSize::Fixed(7),
            )
        });
        let m = r.measure(20).unwrap();
        assert_eq!(m.iterations, 20);
        // 20 set-ups of 2 ms would be at least 40 ms; sorting 3 numbers 20 times is far less.
        assert!(m.wall_ns < 20e6, "set-up leaked into the timing: {m:?}");
        drop(r);
        assert_eq!((setups, runs), (20, 20));
    }

    #[test]
    fn closure_that_never_iterates_is_an_error() {
        let mut r = ClosureRoutine::new(|_b: &mut Bencher| {});
        let err = r.measure(1).unwrap_err();
        assert!(err.to_string().contains("without calling b.iter"));
    }
}

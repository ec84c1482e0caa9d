//! criterion's `Bencher` and `BatchSize`, timing through metron's
//! [`metron::Bencher`] so that set-up and the dropping of outputs stay
//! outside the timed region exactly as criterion promises.

use std::marker::PhantomData;
use std::time::Duration;

use metron::routine::Measurement as Timed;

use crate::measurement::{Measurement, WallTime};

/// How many inputs `iter_batched` prepares at once, as in criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BatchSize {
    /// Inputs small enough to prepare many at once (up to 10,000).
    SmallInput,
    /// Inputs large enough that memory matters (up to 1,000 at once).
    LargeInput,
    /// One input per timed region.
    PerIteration,
    /// The sample's iterations split into this many batches.
    NumBatches(u64),
    /// Batches of exactly this many inputs.
    NumIterations(u64),
}

impl BatchSize {
    /// metron's batch size for a sample of `iterations` iterations.
    fn to_metron(self, iterations: u64) -> metron::BatchSize {
        match self {
            BatchSize::SmallInput => metron::BatchSize::Small,
            BatchSize::LargeInput => metron::BatchSize::Large,
            BatchSize::PerIteration => metron::BatchSize::PerIteration,
            BatchSize::NumBatches(n) => metron::BatchSize::Fixed(iterations.div_ceil(n.max(1))),
            BatchSize::NumIterations(n) => metron::BatchSize::Fixed(n),
        }
    }
}

/// Handed to a benchmark closure: times the routine it is given for as
/// many iterations as metron's sampler asks.
pub struct Bencher<'a, M: Measurement = WallTime> {
    inner: &'a mut metron::Bencher,
    measurement: PhantomData<M>,
}

impl<M: Measurement> std::fmt::Debug for Bencher<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bencher").field("iterations", &self.inner.iterations()).finish()
    }
}

impl<'a, M: Measurement> Bencher<'a, M> {
    pub(crate) fn new(inner: &'a mut metron::Bencher) -> Bencher<'a, M> {
        Bencher { inner, measurement: PhantomData }
    }

    /// Times `routine`, called once per iteration; its output is passed
    /// through `black_box`.
    pub fn iter<O, R: FnMut() -> O>(&mut self, routine: R) {
        self.inner.iter(routine);
    }

    /// Times `routine` on an input from `setup` made fresh for each
    /// iteration, untimed (criterion's `iter_with_setup`: one input per
    /// timed region).
    pub fn iter_with_setup<I, O, S: FnMut() -> I, R: FnMut(I) -> O>(&mut self, setup: S, routine: R) {
        self.iter_batched(setup, routine, BatchSize::PerIteration);
    }

    /// Times `routine` with its outputs dropped after the clock stops.
    pub fn iter_with_large_drop<O, R: FnMut() -> O>(&mut self, mut routine: R) {
        self.iter_batched(|| (), |()| routine(), BatchSize::SmallInput);
    }

    /// Times `routine` on inputs from `setup` made all at once, untimed.
    pub fn iter_with_large_setup<I, O, S: FnMut() -> I, R: FnMut(I) -> O>(&mut self, setup: S, routine: R) {
        self.iter_batched(setup, routine, BatchSize::NumBatches(1));
    }

    /// Times `routine` on inputs from `setup`, untimed, prepared `size` at
    /// a time; the outputs are dropped outside the timed region.
    pub fn iter_batched<I, O, S: FnMut() -> I, R: FnMut(I) -> O>(&mut self, setup: S, routine: R, size: BatchSize) {
        let size = size.to_metron(self.inner.iterations());
        self.inner.iter_batched(setup, routine, size);
    }

    /// As [`Bencher::iter_batched`], with the input passed by reference:
    /// neither the input nor the output is dropped in the timed region.
    pub fn iter_batched_ref<I, O, S: FnMut() -> I, R: FnMut(&mut I) -> O>(
        &mut self,
        setup: S,
        routine: R,
        size: BatchSize,
    ) {
        let size = size.to_metron(self.inner.iterations());
        self.inner.iter_batched_ref(setup, routine, size);
    }
}

impl Bencher<'_, WallTime> {
    /// Lets `routine` time itself: `routine(n)` runs `n` iterations and
    /// returns the wall time they took.
    pub fn iter_custom<R: FnMut(u64) -> Duration>(&mut self, mut routine: R) {
        self.inner.iter_custom(|n| Timed { iterations: n, wall_ns: routine(n).as_nanos() as f64, ..Timed::default() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_sizes_map_to_metron_s() {
        assert_eq!(BatchSize::NumBatches(4).to_metron(10), metron::BatchSize::Fixed(3));
        assert_eq!(BatchSize::NumBatches(0).to_metron(10), metron::BatchSize::Fixed(10));
        assert_eq!(BatchSize::NumIterations(7).to_metron(10), metron::BatchSize::Fixed(7));
        assert_eq!(BatchSize::SmallInput.to_metron(10), metron::BatchSize::Small);
    }

    #[test]
    fn iter_custom_reports_the_closure_s_time() {
        let mut inner = metron::Bencher::new(5);
        let mut b: Bencher<'_> = Bencher::new(&mut inner);
        b.iter_custom(|n| Duration::from_micros(n * 10));
        let m = inner.take().unwrap();
        assert_eq!((m.iterations, m.wall_ns), (5, 50_000.0));
    }

    #[test]
    fn iter_batched_ref_prepares_one_input_per_iteration() {
        let mut inner = metron::Bencher::new(9);
        let mut setups = 0;
        let mut b: Bencher<'_> = Bencher::new(&mut inner);
        b.iter_batched_ref(
            || {
                setups += 1;
                vec![3, 1, 2]
            },
            |v| v.sort(),
            BatchSize::NumBatches(2),
        );
        assert_eq!(setups, 9);
        assert_eq!(inner.take().unwrap().iterations, 9);
    }
}

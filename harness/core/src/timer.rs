//! A `timeit`-shaped timer for Rust code: an untimed setup and a timed
//! statement, with Python's `timeit`, `repeat` and `autorange`.
//!
//! This is the small, explicit API for people who want numbers in their own
//! program; the [`crate::bench`] harness is the one with statistics,
//! comparisons and reports.
//!
//! ```
//! use metron::timer::Timer;
//! let mut t = Timer::new(|| (0..1000u64).collect::<Vec<_>>(), |v| v.iter().sum::<u64>());
//! let (number, total) = t.autorange();
//! let per_loop = total / number as u32;
//! assert!(per_loop.as_nanos() > 0);
//! ```

use std::time::Duration;

use crate::clock;
use crate::routine::black_box;

/// Times `stmt` on the value `setup` makes. As in Python, the setup runs
/// once per call of [`Timer::timeit`] and is never timed.
pub struct Timer<S, O, Setup, Stmt>
where
    Setup: FnMut() -> S,
    Stmt: FnMut(&mut S) -> O,
{
    setup: Setup,
    stmt: Stmt,
}

impl<S, O, Setup, Stmt> Timer<S, O, Setup, Stmt>
where
    Setup: FnMut() -> S,
    Stmt: FnMut(&mut S) -> O,
{
    /// A timer for `stmt` with state from `setup`.
    pub fn new(setup: Setup, stmt: Stmt) -> Self {
        Timer { setup, stmt }
    }

    /// Runs the setup once, then the statement `number` times, and returns
    /// the wall time of the statements alone.
    pub fn timeit(&mut self, number: u64) -> Duration {
        let mut state = (self.setup)();
        let start = clock::wall_ns();
        for _ in 0..number {
            black_box((self.stmt)(&mut state));
        }
        let elapsed = clock::wall_ns() - start;
        drop(state);
        Duration::from_nanos(elapsed)
    }

    /// Calls [`Timer::timeit`] `repeat` times. As Python's documentation says,
    /// the minimum is usually the figure to read; the spread says how noisy
    /// the machine was.
    pub fn repeat(&mut self, repeat: usize, number: u64) -> Vec<Duration> {
        (0..repeat).map(|_| self.timeit(number)).collect()
    }

    /// Finds a `number` from 1, 2, 5, 10, 20, 50, … whose total time is at
    /// least 0.2 s, as Python's `Timer.autorange` does; returns it with that time.
    pub fn autorange(&mut self) -> (u64, Duration) {
        let mut k = 1u64;
        loop {
            for m in [1u64, 2, 5] {
                let number = m * k;
                let t = self.timeit(number);
                if t >= Duration::from_millis(200) || number >= 1_000_000_000_000 {
                    return (number, t);
                }
            }
            k *= 10;
        }
    }
}

impl<O, Stmt> Timer<(), O, fn(), Stmt>
where
    Stmt: FnMut(&mut ()) -> O,
{
    /// A timer with no setup.
    pub fn stmt(stmt: Stmt) -> Self {
        Timer { setup: || (), stmt }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_runs_once_per_timeit_and_is_untimed() {
        let mut setups = 0;
        let mut stmts = 0;
        let mut t = Timer::new(
            || {
                setups += 1;
                std::thread::sleep(Duration::from_millis(100));
                5u64
            },
            |x| {
                stmts += 1;
                *x * 2
            },
        );
        let total = t.timeit(100);
        let runs = t.repeat(3, 10);
        // A leaked set-up would add at least its 100 ms sleep.
        assert!(total < Duration::from_millis(100), "setup leaked into the time: {total:?}");
        assert_eq!(runs.len(), 3);
        assert_eq!((setups, stmts), (4, 130));
    }

    #[test]
    fn autorange_reaches_a_fifth_of_a_second() {
        // 20 ms sleeps: 5 of them take 100 ms (100 ms of slack for a slow
        // machine), and 10 cannot come in under 200 ms, as a sleep never ends early.
        let mut t = Timer::stmt(|_| std::thread::sleep(Duration::from_millis(20)));
        let (number, total) = t.autorange();
        assert_eq!(number, 10, "20 ms × 5 < 0.2 s ≤ 20 ms × 10");
        assert!(total >= Duration::from_millis(200));
    }
}

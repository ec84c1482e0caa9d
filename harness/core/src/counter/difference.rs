//! Per-iteration counts from two iteration counts: every sample measures
//! `n` and then `2n` iterations and keeps the difference, so whatever a
//! measurement costs once (starting and stopping the counter, the driver's
//! pipe round trip, the loop's set-up) cancels and only `n` iterations'
//! worth of work remains.
//!
//! This assumes the fixed cost is the same in both measurements, which
//! holds for the deterministic harness code around the timed loop; the
//! repetitions of the sample show whether it did (their spread).

use crate::error::{Error, Result};
use crate::model::RoutineKind;
use crate::routine::{Measurement, Routine};

/// A routine whose measurements are differences of two (see the module docs).
pub struct Differenced<'a> {
    inner: Box<dyn Routine + 'a>,
}

impl<'a> Differenced<'a> {
    /// Wraps a routine that reports counts.
    pub fn new(inner: Box<dyn Routine + 'a>) -> Differenced<'a> {
        Differenced { inner }
    }
}

impl std::fmt::Debug for Differenced<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Differenced")
    }
}

/// `longer - shorter`, floored at 1 ns: times are noisy where counts are
/// not, and a later log of a zero time must stay finite.
fn time_difference(longer: f64, shorter: f64) -> f64 {
    (longer - shorter).max(1.0)
}

impl Routine for Differenced<'_> {
    fn kind(&self) -> RoutineKind {
        self.inner.kind()
    }

    fn setup(&mut self) -> Result<()> {
        self.inner.setup()
    }

    /// Runs `iterations`, then `2 × iterations`, and returns the second
    /// minus the first, for `iterations` iterations.
    fn measure(&mut self, iterations: u64) -> Result<Measurement> {
        let short = self.inner.measure(iterations)?;
        let long = self.inner.measure(iterations.saturating_mul(2))?;
        let missing = || Error::Routine("the routine reported no counts to take a difference of".into());
        let counts = long.counts.ok_or_else(missing)?.minus(&short.counts.ok_or_else(missing)?);
        let both = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(l, s)| time_difference(l, s));
        Ok(Measurement {
            iterations: long.iterations - short.iterations,
            wall_ns: time_difference(long.wall_ns, short.wall_ns),
            cpu_ns: both(long.cpu_ns, short.cpu_ns),
            user_ns: both(long.user_ns, short.user_ns),
            sys_ns: both(long.sys_ns, short.sys_ns),
            max_rss_kib: long.max_rss_kib,
            counts: Some(counts),
        })
    }

    fn teardown(&mut self) -> Result<()> {
        self.inner.teardown()
    }

    fn shell_overhead_ns(&self) -> Option<f64> {
        self.inner.shell_overhead_ns()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counter::Counts;

    /// Counts 100 per iteration plus 5000 per measurement.
    struct Fixed;

    impl Routine for Fixed {
        fn kind(&self) -> RoutineKind {
            RoutineKind::Closure
        }
        fn measure(&mut self, n: u64) -> Result<Measurement> {
            let counts = Counts { instructions: 5000.0 + 100.0 * n as f64, ..Counts::default() };
            Ok(Measurement { iterations: n, wall_ns: 10.0 * n as f64, counts: Some(counts), ..Measurement::default() })
        }
    }

    #[test]
    fn the_fixed_cost_cancels() {
        let m = Differenced::new(Box::new(Fixed)).measure(7).unwrap();
        assert_eq!(m.iterations, 7);
        assert_eq!(m.counts.unwrap().instructions, 700.0);
        assert_eq!(m.wall_ns, 70.0);
    }
}

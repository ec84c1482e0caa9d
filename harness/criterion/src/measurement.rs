//! criterion's `measurement` module: the [`Measurement`] trait and
//! [`WallTime`], the measurement every criterion bench uses by default.
//!
//! They are here so that signatures naming them (`BenchmarkGroup<'_,
//! WallTime>`, `fn f<M: Measurement>(g: &mut BenchmarkGroup<M>)`) compile
//! unchanged. metron measures wall and CPU time itself; custom measurements
//! (criterion's `with_measurement`) are not offered.

use std::time::{Duration, Instant};

/// A way of measuring, as criterion defines it.
pub trait Measurement {
    /// What `start` returns and `end` consumes.
    type Intermediate;
    /// A measured value.
    type Value;
    /// Starts a measurement.
    fn start(&self) -> Self::Intermediate;
    /// Ends a measurement started by `start`.
    fn end(&self, i: Self::Intermediate) -> Self::Value;
    /// The sum of two values.
    fn add(&self, v1: &Self::Value, v2: &Self::Value) -> Self::Value;
    /// The value of nothing measured.
    fn zero(&self) -> Self::Value;
    /// The value as a number (nanoseconds for [`WallTime`]).
    fn to_f64(&self, value: &Self::Value) -> f64;
}

/// Elapsed time: criterion's default measurement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WallTime;

impl Measurement for WallTime {
    type Intermediate = Instant;
    type Value = Duration;

    fn start(&self) -> Instant {
        Instant::now()
    }

    fn end(&self, i: Instant) -> Duration {
        i.elapsed()
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
}

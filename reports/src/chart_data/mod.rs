//! What the charts need from the data, computed without drawing anything:
//! each module turns the result model into plain numbers and groupings that
//! the HTML charts then draw, and that unit tests can check directly.
//!
//! * [`kde`]: kernel density estimates for the distribution charts.
//! * [`decimate`]: thinning long sample series while keeping their extremes.
//! * [`scaling_groups`]: which benchmarks form a scaling curve, and their speedups.
//! * [`shared_ids`]: which benchmarks can be followed across several runs, the
//!   one reference they are all divided by, and the last run against the one
//!   before.

pub(crate) mod decimate;
pub(crate) mod kde;
pub(crate) mod scaling_groups;
pub(crate) mod shared_ids;

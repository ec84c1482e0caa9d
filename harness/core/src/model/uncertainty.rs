//! The parts of a result that say how far its figures can be trusted beyond
//! the run that measured them: its replicates, the two levels of its
//! uncertainty, why sampling stopped and what it reached, and what disturbed
//! the machine while it ran.

use serde::{Deserialize, Serialize};

/// One replicate of a benchmark: a stretch of its samples taken under
/// conditions independent of the other stretches in the ways separate runs
/// differ (a fresh process for a Rust bench, a fresh driver for a snippet, a
/// block of rounds spread over the measurement for a command).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replicate {
    /// Its number, from 0; the samples with this [`super::Sample::replicate`].
    pub index: u32,
    /// How many samples it holds.
    pub samples: usize,
    /// Median per-iteration time of its samples on the headline clock, in ns.
    pub median_ns: f64,
    /// When its first sample started, in ns since the run began.
    pub started_at_ns: u64,
    /// The process it ran in, when that was a process of its own (a
    /// re-executed bench binary, a snippet driver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
}

/// Where the width of the headline confidence interval comes from.
///
/// `within` is what one run's samples say (the order-statistic interval of
/// the median of all samples); `between` is what the spread of the
/// replicates' medians says about the value another run would measure (see
/// [`crate::stats::two_level`]); `earlier` is what earlier runs on this
/// host say. The headline `median_ci` is the widest of them, so "±0.3%
/// within a run, ±1.8% run to run" reads off directly. `replicates` is 1
/// (and `between` 0) when only earlier runs widen a one-replicate run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunLevel {
    /// Number of replicates behind `between`.
    pub replicates: usize,
    /// Relative half-width of the within-run 95% CI of the median.
    pub within: f64,
    /// Relative half-width of the between-replicate 95% CI (a t-interval on
    /// the replicate medians with `replicates - 1` degrees of freedom).
    pub between: f64,
    /// Standard deviation of the replicates' log medians: the relative
    /// spread of one replicate's value, what run-to-run comparisons use.
    pub between_sd: f64,
    /// What earlier runs of this benchmark on this host say, when they were
    /// remembered (see [`crate::run_memory`]): drift slower than a run, which
    /// replicates taken within one run cannot see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier: Option<EarlierRuns>,
}

/// The spread of the medians that earlier runs of a benchmark measured on
/// this host: how far one run's value is seen to move from run to run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EarlierRuns {
    /// How many earlier runs the spread comes from.
    pub runs: usize,
    /// Standard deviation of their log medians (`runs - 1` divisor).
    pub sd_log: f64,
    /// Relative half-width of the 95% interval they give around this run's
    /// median (a t-interval on the log scale with `runs - 1` degrees of
    /// freedom); filled in by the analysis.
    #[serde(default)]
    pub half_width: f64,
    /// Mean of their log medians: where earlier runs put the benchmark's
    /// value. With it the headline interval also holds the t-interval of
    /// that mean, so a run that was disturbed as a whole (all of it inside
    /// a neighbour's burst) still has an interval that reaches the value
    /// undisturbed runs measure. Optional, so files written before it load
    /// (their intervals did without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_log: Option<f64>,
}

/// Why sampling stopped and the precision it reached, so that a report never
/// claims a target that was not met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stopping {
    /// Relative half-width of the headline 95% CI when sampling ended.
    pub reached: f64,
    /// The precision target (`--precision`), if there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// For benchmarks compared in interleaved rounds: relative half-width of
    /// the 95% CI of the ratio with the group's fastest when rounds ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio_reached: Option<f64>,
    /// The ratio target the rounds aimed for (a third of the precision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio_target: Option<f64>,
}

/// What the machine did besides the benchmark while a run measured.
///
/// Read from the kernel before and after: steal time (a hypervisor gave the
/// CPU to another guest), involuntary context switches (the scheduler took
/// the CPU from metron or its children), and the load average.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Noise {
    /// Fraction of CPU time stolen by the hypervisor during the run (Linux
    /// `/proc/stat`), where readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steal_fraction: Option<f64>,
    /// Involuntary context switches of metron and its waited-for children
    /// during the run, where readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub involuntary_switches: Option<u64>,
    /// Load average over one minute when the run ended, where readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_at_end: Option<f64>,
    /// CPUs metron and its children were pinned to (`--pin`), if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned_cpus: Vec<usize>,
    /// One line per sign that the run was disturbed; empty when none was seen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

//! The result model: what a run measured, as it is written to JSON.
//!
//! This is the contract between metron and everything that reads its output:
//! the report crate, CI scripts, other tools. Three rules keep it useful:
//!
//! * every raw sample is kept, so any report can be redrawn later and any
//!   statistic recomputed;
//! * times are nanoseconds with the unit in the field name (`wall_ns`);
//! * the file carries [`SCHEMA_VERSION`]; readers refuse versions they do not
//!   know with a clear message instead of guessing (see [`RunRecord::from_json`]).
//!
//! Optional fields are left out of the JSON when empty.

mod columns;
mod read;
mod recompute;
mod uncertainty;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use read::ModelError;
pub use uncertainty::{EarlierRuns, Noise, Replicate, RunLevel, Stopping};

pub use crate::throughput::{Rate, RateUnit, Throughput};

/// The version of the JSON layout written by this metron. Bump it whenever a
/// field changes meaning or a required field is added.
///
/// Version 2: samples are written as columns (see `columns`), results carry
/// their replicates, run-level uncertainty and stopping precision, and the
/// run its noise diagnostics. Version 1 files are still read.
pub const SCHEMA_VERSION: u32 = 2;

/// The oldest schema version this metron still reads.
pub const OLDEST_READABLE_SCHEMA: u32 = 1;

/// Which clock a figure was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ClockKind {
    /// Elapsed (monotonic) time: what a user waits for.
    #[default]
    Wall,
    /// CPU time (user + system) of the process and the children it waited for.
    Cpu,
    /// Instructions executed (see [`crate::counter`]): not a time, but
    /// what the headline, comparisons and the gate use with `--clock instructions`.
    Instructions,
    /// CPU cycles from hardware counters.
    Cycles,
    /// Valgrind's estimated cycles (L1 hits + 5 × LL hits + 35 × RAM accesses).
    #[serde(rename = "estimated-cycles")]
    EstimatedCycles,
}

impl ClockKind {
    /// Whether this "clock" counts events rather than measuring time.
    pub fn is_count(self) -> bool {
        matches!(self, ClockKind::Instructions | ClockKind::Cycles | ClockKind::EstimatedCycles)
    }
}

impl std::fmt::Display for ClockKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ClockKind::Wall => "wall",
            ClockKind::Cpu => "cpu",
            ClockKind::Instructions => "instructions",
            ClockKind::Cycles => "cycles",
            ClockKind::EstimatedCycles => "estimated-cycles",
        })
    }
}

/// What kind of routine produced a benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoutineKind {
    /// A closure run in metron's own process.
    Closure,
    /// An external command, spawned once per iteration.
    Command,
    /// A snippet run by a long-lived driver process (Python, Rust, shell).
    Snippet,
}

/// Why the sampler stopped collecting samples for a benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StopReason {
    /// The confidence interval became narrower than the precision target.
    Precision,
    /// The time budget was spent.
    TimeBudget,
    /// The maximum sample count was reached.
    MaxSamples,
    /// A fixed number of samples was asked for (`--runs`, `-r`).
    FixedRuns,
    /// The user interrupted the run; the samples so far are kept.
    Interrupted,
}

/// A closed interval `[lo, hi]`, used for confidence intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Interval {
    /// Builds an interval.
    pub fn new(lo: f64, hi: f64) -> Interval {
        Interval { lo, hi }
    }

    /// Whether `x` lies inside (bounds included).
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// Half the width relative to `centre`: the "±x%" a person reads.
    pub fn relative_half_width(&self, centre: f64) -> f64 {
        (self.hi - self.lo) / 2.0 / centre.abs()
    }

    /// Applies a monotone increasing map to both ends.
    pub fn map(self, f: impl Fn(f64) -> f64) -> Interval {
        Interval::new(f(self.lo), f(self.hi))
    }

    /// The interval of `1/x` for `x` in this one: how a ratio's interval
    /// reads from the other side (a CI of 0.5–0.8 for *a/b* is 1.25–2 for
    /// *b/a*). The ends swap, so `lo <= hi` still holds.
    ///
    /// Meant for positive intervals, as ratios and factors are. An end of
    /// zero becomes an infinite end (`1/0` is +∞), an interval wholly below
    /// zero turns around as well, and for an interval with zero inside it
    /// there is no interval of reciprocals: the result then has `lo > hi`.
    ///
    /// ```
    /// use metron::model::Interval;
    /// assert_eq!(Interval::new(0.5, 0.8).reciprocal(), Interval::new(1.25, 2.0));
    /// assert_eq!(Interval::new(0.0, 2.0).reciprocal(), Interval::new(0.5, f64::INFINITY));
    /// ```
    pub fn reciprocal(self) -> Interval {
        Interval::new(1.0 / self.hi, 1.0 / self.lo)
    }
}

/// Counts of Tukey outliers: beyond 1.5 IQR (mild) or 3 IQR (severe) from the quartiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outliers {
    /// Below Q1 - 3 IQR.
    pub low_severe: usize,
    /// Between Q1 - 3 IQR and Q1 - 1.5 IQR.
    pub low_mild: usize,
    /// Between Q3 + 1.5 IQR and Q3 + 3 IQR.
    pub high_mild: usize,
    /// Above Q3 + 3 IQR.
    pub high_severe: usize,
}

impl Outliers {
    /// All outliers, mild and severe, on both sides.
    pub fn total(&self) -> usize {
        self.low_severe + self.low_mild + self.high_mild + self.high_severe
    }
}

/// A least-squares line `y = slope * x + intercept` fitted to
/// (iterations, sample time): the slope is the time per iteration with the
/// constant per-sample overhead taken out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Regression {
    /// Nanoseconds per iteration.
    pub slope: f64,
    /// Nanoseconds per sample that do not depend on the iteration count.
    pub intercept: f64,
    /// Coefficient of determination of the fit.
    pub r_squared: f64,
}

/// Descriptive statistics of per-iteration times, in nanoseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of samples.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// Sample standard deviation (n - 1 in the denominator).
    pub std_dev: f64,
    /// Median absolute deviation, scaled by 1.4826 so that it estimates the
    /// standard deviation of normal data.
    pub mad: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// 5th percentile (linear interpolation, as numpy's default).
    pub p5: f64,
    /// First quartile.
    pub p25: f64,
    /// Third quartile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 95% bootstrap confidence interval of the median.
    pub median_ci: Interval,
    /// 95% bootstrap confidence interval of the mean.
    pub mean_ci: Interval,
    /// Tukey outlier counts.
    pub outliers: Outliers,
    /// Least-squares fit of sample time against iteration count, present when
    /// the samples used more than one iteration count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regression: Option<Regression>,
}

/// One sample: `iterations` runs of the routine timed together.
///
/// For commands started through a shell, the shell's own start-up time has
/// already been subtracted from `wall_ns`, `user_ns` and `sys_ns` (and
/// `cpu_ns`); [`BenchmarkResult::shell_overhead_ns`] says how much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// How many iterations this sample timed.
    pub iterations: u64,
    /// Elapsed time of all iterations.
    pub wall_ns: f64,
    /// CPU time (user + system) of all iterations, where the platform can tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_ns: Option<f64>,
    /// User-mode CPU time, where known (child processes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ns: Option<f64>,
    /// Kernel-mode CPU time, where known (child processes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sys_ns: Option<f64>,
    /// Peak resident set size in KiB of the largest child in this sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rss_kib: Option<u64>,
    /// Round number when benchmarks were interleaved: samples of different
    /// benchmarks with the same round were taken side by side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<u32>,
    /// The replicate the sample belongs to (see [`Replicate`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicate: Option<u32>,
    /// When the sample started, in nanoseconds since the run began.
    pub at_ns: u64,
    /// Instructions and other events of all iterations, with `--clock
    /// instructions` (or cycles); see [`crate::counter`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<crate::counter::Counts>,
}

impl Sample {
    /// A sample of `iterations` that took `wall_ns` in all, started `at_ns`
    /// after the run began, with nothing else measured: what a peer's file
    /// holds (hyperfine and criterion record times only), and the start of
    /// every synthetic sample (`Sample { cpu_ns: …, ..Sample::timed(…) }`).
    pub fn timed(iterations: u64, wall_ns: f64, at_ns: u64) -> Sample {
        Sample {
            iterations,
            wall_ns,
            cpu_ns: None,
            user_ns: None,
            sys_ns: None,
            max_rss_kib: None,
            round: None,
            replicate: None,
            at_ns,
            counts: None,
        }
    }

    /// Wall time per iteration.
    pub fn wall_per_iter(&self) -> f64 {
        self.wall_ns / self.iterations as f64
    }

    /// CPU time per iteration, where known.
    pub fn cpu_per_iter(&self) -> Option<f64> {
        self.cpu_ns.map(|c| c / self.iterations as f64)
    }

    /// Time per iteration on the given clock.
    pub fn per_iter(&self, clock: ClockKind) -> Option<f64> {
        match clock {
            ClockKind::Wall => Some(self.wall_per_iter()),
            ClockKind::Cpu => self.cpu_per_iter(),
            ClockKind::Instructions => self.counts.map(|c| c.instructions / self.iterations as f64),
            ClockKind::Cycles => self.counts?.cycles.map(|c| c / self.iterations as f64),
            ClockKind::EstimatedCycles => self.counts?.estimated_cycles.map(|c| c / self.iterations as f64),
        }
    }
}

/// Everything measured for one benchmark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkResult {
    /// The name shown to people; unique within a run (with group and host).
    pub name: String,
    /// Group the benchmark belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Parameter values (parameter scans, worker counts, input sizes).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
    /// Host the benchmark ran on, when results from several hosts are merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// What kind of routine was measured.
    pub kind: RoutineKind,
    /// The exact command line or statement that was timed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// The untimed setup of the command or statement, when it had one
    /// (a snippet's `-s`, a command's `--setup`). Optional, so older files load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<String>,
    /// The clock the headline estimate (and the stopping rule) used.
    pub clock: ClockKind,
    /// Why sampling stopped.
    pub stop_reason: StopReason,
    /// Statistics of wall time per iteration.
    pub wall: Summary,
    /// Statistics of CPU time per iteration, where the platform measures it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Summary>,
    /// Largest peak RSS of any sample, in KiB (commands only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rss_kib: Option<u64>,
    /// Shell start-up time subtracted from every sample, when a shell was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell_overhead_ns: Option<f64>,
    /// Iterations spent warming up before the first sample.
    #[serde(default)]
    pub warmup_iterations: u64,
    /// The replicates the samples were taken in, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replicates: Vec<Replicate>,
    /// Within-run and run-to-run parts of the headline interval, when there
    /// were at least two replicates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_level: Option<RunLevel>,
    /// The precision sampling reached, against its target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopping: Option<Stopping>,
    /// Throughput rates (bytes/s, elements/s with CIs), when the benchmark
    /// declared how much one iteration processes
    /// ([`crate::throughput::Throughput`]). Optional, so older files load.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub throughput: Vec<Rate>,
    /// Every sample, in the order taken (written as columns).
    #[serde(with = "columns")]
    pub samples: Vec<Sample>,
    /// Statistics of instructions per iteration, when counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Summary>,
    /// What counted them, and the other events' statistics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<crate::counter::CounterResult>,
}

/// The one naming scheme of benchmarks, in titles, JSON, filters and
/// comparisons: `group/name`, or `name` without a group. (A merged
/// multi-host result puts its host in front: [`BenchmarkResult::id`].)
pub fn benchmark_id(group: Option<&str>, name: &str) -> String {
    match group {
        Some(g) => format!("{g}/{name}"),
        None => name.to_string(),
    }
}

impl BenchmarkResult {
    /// The identity used to match benchmarks across runs: `group/name`, with
    /// the host in front (`host: group/name`) for merged multi-host runs.
    pub fn id(&self) -> String {
        match &self.host {
            Some(host) => format!("{host}: {}", benchmark_id(self.group.as_deref(), &self.name)),
            None => benchmark_id(self.group.as_deref(), &self.name),
        }
    }

    /// The clock of the headline figure: the one the run asked for, or wall
    /// when that was CPU and CPU time could not be measured. The one place
    /// that decides it, for the terminal, the reports and the charts.
    pub fn headline_clock(&self) -> ClockKind {
        match self.summary(self.clock) {
            Some(_) => self.clock,
            None => ClockKind::Wall,
        }
    }

    /// The summary of the [headline clock](Self::headline_clock).
    pub fn headline(&self) -> &Summary {
        self.summary(self.clock).unwrap_or(&self.wall)
    }

    /// The clock of the time figures: the headline clock, or wall when the
    /// headline is a count (charts and time tables of counted runs).
    pub fn time_clock(&self) -> ClockKind {
        match self.headline_clock() {
            c if c.is_count() => ClockKind::Wall,
            c => c,
        }
    }

    /// The summary of the [time clock](Self::time_clock).
    pub fn time_summary(&self) -> &Summary {
        self.summary(self.time_clock()).unwrap_or(&self.wall)
    }

    /// Per-iteration times on the time clock, in sample order.
    pub fn time_values(&self) -> Vec<f64> {
        let clock = self.time_clock();
        self.samples.iter().filter_map(|s| s.per_iter(clock)).collect()
    }

    /// The per-iteration statistics on `clock`, where it was measured.
    pub fn summary(&self, clock: ClockKind) -> Option<&Summary> {
        let counter = self.counter.as_ref();
        match clock {
            ClockKind::Wall => Some(&self.wall),
            ClockKind::Cpu => self.cpu.as_ref(),
            ClockKind::Instructions => self.instructions.as_ref(),
            ClockKind::Cycles => counter?.cycles.as_ref(),
            ClockKind::EstimatedCycles => counter?.estimated_cycles.as_ref(),
        }
    }

    /// Per-iteration times on the headline clock, in sample order.
    pub fn headline_values(&self) -> Vec<f64> {
        let clock = self.headline_clock();
        self.samples.iter().filter_map(|s| s.per_iter(clock)).collect()
    }

    /// Sets the throughput this benchmark declared: its rates are computed
    /// from the [headline](Self::headline) times (see [`crate::throughput`]).
    pub fn set_throughput(&mut self, throughput: Option<Throughput>) {
        self.throughput = throughput.map(|t| t.rates(self.headline())).unwrap_or_default();
    }

    /// CPU time divided by wall time (medians): about 1 for single-threaded
    /// computation, near 0 for waiting, above 1 for parallel work.
    pub fn cpu_utilisation(&self) -> Option<f64> {
        let cpu = self.cpu.as_ref()?;
        (self.wall.median > 0.0).then(|| cpu.median / self.wall.median)
    }
}

/// Resolution and cost of one clock, measured when metron starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockInfo {
    /// Which clock (`wall`, `process-cpu`, `thread-cpu`).
    pub name: String,
    /// The OS source (e.g. `CLOCK_MONOTONIC`).
    pub source: String,
    /// Resolution the OS reports, in ns.
    pub resolution_ns: f64,
    /// Smallest non-zero difference seen between two consecutive reads, in ns.
    pub observed_tick_ns: f64,
    /// Average cost of one read, in ns.
    pub read_overhead_ns: f64,
}

/// Where and when a run happened: enough to judge whether two runs can be compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Environment {
    /// Host name.
    pub hostname: String,
    /// Operating system (e.g. `Linux`).
    pub os: String,
    /// Kernel or OS release.
    pub kernel: String,
    /// Machine architecture (e.g. `x86_64`).
    pub arch: String,
    /// CPU model name, where readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_model: Option<String>,
    /// Logical cores available to metron.
    pub logical_cores: usize,
    /// Physical cores, where readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_cores: Option<usize>,
    /// CPU frequency governor, where readable (Linux cpufreq).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub governor: Option<String>,
    /// Load averages over 1, 5 and 15 minutes when the run started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_average: Option<[f64; 3]>,
    /// Total memory in bytes, where readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<u64>,
    /// Git commit of the current directory's repository, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// Whether that repository had uncommitted changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_dirty: Option<bool>,
    /// Start of the run, RFC 3339 in UTC.
    pub started_at: String,
    /// Version of metron that measured.
    pub metron_version: String,
    /// The clocks and their measured resolution and overhead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clocks: Vec<ClockInfo>,
    /// Versions of other tools involved (python3, rustc, sh…).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tools: BTreeMap<String, String>,
}

/// The sampling settings a run used, recorded so it can be repeated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Clock of the headline estimate and of the stopping rule.
    pub clock: ClockKind,
    /// Target relative half-width of the 95% CI of the median (0.01 = ±1%).
    pub precision: f64,
    /// Time budget per benchmark, in seconds.
    pub time_budget_s: f64,
    /// Fewest samples per benchmark.
    pub min_samples: usize,
    /// Most samples per benchmark.
    pub max_samples: usize,
    /// Whether benchmarks given together ran in interleaved rounds.
    pub interleaved: bool,
    /// Seed of the round order and of the bootstrap.
    pub seed: u64,
    /// Replicates per benchmark (`--replicates`); 1 in files written before
    /// replicates existed.
    #[serde(default = "one")]
    pub replicates: usize,
}

fn one() -> usize {
    1
}

fn one_f64() -> f64 {
    1.0
}

/// A benchmark (or a host) that failed, kept in the report with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// The benchmark's name (or `*` when a whole host failed).
    pub name: String,
    /// The host, for remote runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// What went wrong, in one line.
    pub reason: String,
}

/// How a candidate compares with the reference in the same run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairedVerdict {
    /// The candidate is significantly faster than the reference.
    Faster,
    /// The candidate is significantly slower than the reference.
    Slower,
    /// No significant difference.
    NoDifference,
}

/// A comparison of two benchmarks measured in the same run (paired by round
/// when interleaved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedComparison {
    /// The reference benchmark's id.
    pub reference: String,
    /// The candidate benchmark's id.
    pub candidate: String,
    /// Clock the comparison used.
    pub clock: ClockKind,
    /// Number of pairs (rounds) or samples per side that entered the test.
    pub n: usize,
    /// Candidate time / reference time: the 20%-trimmed geometric mean of
    /// per-round ratios when paired, the ratio of geometric means otherwise.
    /// Above 1: candidate slower.
    pub ratio: f64,
    /// 95% confidence interval of `ratio`.
    pub ci: Interval,
    /// Candidate minus reference per iteration, in ns: the trimmed mean of
    /// per-round differences when paired, the difference of means otherwise.
    /// For commands this is the absolute gap a ratio hides behind the
    /// process start-up both share.
    pub difference_ns: f64,
    /// 95% confidence interval of `difference_ns`.
    pub difference_ci: Interval,
    /// Two-sided p-value of `test`.
    pub p_value: f64,
    /// p-value after Benjamini-Hochberg adjustment across all comparisons of the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_adjusted: Option<f64>,
    /// The test that gave `p_value`.
    pub test: String,
    /// Lag-1 autocorrelation of the per-round log ratios, when paired: how
    /// much consecutive rounds moved together. The test's standard error is
    /// widened for it; a large value means the rounds carried less
    /// independent evidence than their number says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag1_autocorrelation: Option<f64>,
    /// The verdict's noise floor: a difference counts only when `p` is
    /// below the level and the whole CI of the ratio lies beyond 1 ± this
    /// fraction. 0 in files written before it existed.
    #[serde(default)]
    pub noise: f64,
    /// What a person should conclude.
    pub verdict: PairedVerdict,
}

/// How a benchmark changed against a saved baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeVerdict {
    /// Significantly faster, by more than the noise threshold.
    Improved,
    /// Significantly slower, by more than the noise threshold.
    Regressed,
    /// Neither.
    Unchanged,
}

/// One benchmark's change between an old and a new run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The benchmark's id.
    pub id: String,
    /// Median per-iteration time before.
    pub old_median_ns: f64,
    /// Median per-iteration time after.
    pub new_median_ns: f64,
    /// Relative change of the median, new/old - 1 (0.05 = 5% slower).
    pub change: f64,
    /// 95% confidence interval of `change`, from the run-level evidence of
    /// both sides (their replicates, and the baseline's earlier runs).
    pub ci: Interval,
    /// The run-level test the verdict uses: Welch's t on the two runs' log
    /// medians with standard errors from their replicates.
    #[serde(default = "one_f64")]
    pub p_run_level: f64,
    /// Welch's t-test on the log times of all samples. For information
    /// only: samples of different runs are not independent evidence of a
    /// change, so this p-value is far too small whenever runs differ.
    pub p_welch: f64,
    /// Mann-Whitney U test on all samples; for information only, as `p_welch`.
    pub p_mann_whitney: f64,
    /// The p-value the verdict used (`p_run_level`), after false-discovery
    /// control when several benchmarks were compared.
    pub p_adjusted: f64,
    /// Runs of the baseline the comparison drew on (1, or more when several
    /// are kept under its name with `--keep-runs`).
    #[serde(default = "one")]
    pub baseline_runs: usize,
    /// True when a side's replicates were inferred from time blocks of its
    /// samples (a file written before replicates existed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replicates_inferred: bool,
    /// The run-to-run spread that widened `ci`, when one did: what saved
    /// baseline runs or a side's memory of earlier runs on its host showed
    /// to be larger than the replicates' own error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_to_run: Option<RunToRun>,
    /// What a person (or a CI gate) should conclude.
    pub verdict: ChangeVerdict,
}

/// How far one run's value of a benchmark moves from run to run, as a
/// comparison between runs used it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RunToRun {
    /// Standard deviation of a run's log median from run to run (about the
    /// relative spread: 0.02 is ±2%).
    pub sd_log: f64,
    /// How many runs it was measured over.
    pub runs: usize,
}

/// The comparison of a whole run against a baseline run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineComparison {
    /// Where the baseline came from (a name or a file).
    pub baseline: String,
    /// Clock the comparison used.
    pub clock: ClockKind,
    /// Significance level.
    pub alpha: f64,
    /// Noise threshold: changes smaller than this never count.
    pub noise: f64,
    /// The tests that gave the p-values.
    pub tests: Vec<String>,
    /// How p-values were adjusted for many comparisons (`benjamini-hochberg` or `none`).
    pub multiple_comparisons: String,
    /// One entry per benchmark present on both sides.
    pub changes: Vec<Change>,
    /// Benchmarks only in the baseline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only_in_baseline: Vec<String>,
    /// Benchmarks only in the new run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only_in_new: Vec<String>,
    /// Benchmarks on both sides that could not be compared (fewer than two
    /// samples on a side).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<String>,
    /// How the two runs' machines or conditions differed (host, CPU, kernel,
    /// governor, load, metron version): causes of a change other than the code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environment_notes: Vec<String>,
}

impl BaselineComparison {
    /// The test whose p-values the verdicts rest on: the first of `tests`.
    pub fn verdict_test(&self) -> &str {
        self.tests.first().map_or("the run-level test", String::as_str)
    }
}

/// One host's part in a merged multi-host run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostRun {
    /// The host as the user named it (`user@host:port`).
    pub host: String,
    /// The remote environment, when the host answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Environment>,
    /// Why the host failed, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A whole run: the JSON document metron writes and reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// The command line that produced the run.
    pub command_line: Vec<String>,
    /// A name the user gave the run (`--label`, e.g. `before the fix`),
    /// shown in reports beside its commit and start time so that runs are
    /// told apart by what they measured, not only by when. Optional, so
    /// files written before it existed still load (no schema change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Where and when it ran.
    pub environment: Environment,
    /// The sampling settings.
    pub settings: Settings,
    /// Every benchmark measured (so far, while the run is going on).
    pub benchmarks: Vec<BenchmarkResult>,
    /// Comparisons within the run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comparisons: Vec<PairedComparison>,
    /// Comparison against a baseline run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineComparison>,
    /// Benchmarks or hosts that failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<Failure>,
    /// Hosts of a merged multi-host run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<HostRun>,
    /// Sections added by producers other than the core (e.g. `suite`), keyed
    /// by producer; readers that do not know a section ignore it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
    /// What disturbed the machine while the run measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise: Option<Noise>,
    /// True when the user interrupted the run before it finished.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

impl RunRecord {
    /// An empty report for a run that is about to start.
    pub fn new(command_line: Vec<String>, environment: Environment, settings: Settings) -> RunRecord {
        RunRecord {
            schema_version: SCHEMA_VERSION,
            command_line,
            label: None,
            environment,
            settings,
            benchmarks: Vec::new(),
            comparisons: Vec::new(),
            baseline: None,
            failures: Vec::new(),
            hosts: Vec::new(),
            extensions: BTreeMap::new(),
            noise: None,
            interrupted: false,
        }
    }

    /// The benchmark with this id, if any.
    pub fn benchmark(&self, id: &str) -> Option<&BenchmarkResult> {
        self.benchmarks.iter().find(|b| b.id() == id)
    }
}

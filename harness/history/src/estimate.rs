//! The one figure a run contributes to a benchmark's series, and its
//! uncertainty: the one place that decides what "a run's value" is.
//!
//! Today that is the headline median and the standard error read from its
//! 95% confidence interval. When results carry a run-level (between
//! replicates) uncertainty, this function reads it instead; the stored
//! result JSON keeps every sample, so a history can be re-derived from it
//! without any change to the tables.

use metron::model::BenchmarkResult;
use serde::{Deserialize, Serialize};

use crate::changepoint::Observation;

/// A run's estimate for one benchmark, in nanoseconds per iteration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The headline median.
    pub value_ns: f64,
    /// Its standard error.
    pub std_error_ns: f64,
    /// Its 95% confidence interval, low end.
    pub ci_lo_ns: f64,
    /// Its 95% confidence interval, high end.
    pub ci_hi_ns: f64,
}

impl Estimate {
    /// The estimate of `result` on its headline clock.
    ///
    /// The standard error is the CI's width over `2 × 1.96`, on the log
    /// scale and turned back into nanoseconds at the median (the CI of a
    /// median of timings is skewed; its log is closer to symmetric).
    ///
    /// ```
    /// # let json = r#"{"name":"a","kind":"command","clock":"wall","stop_reason":"precision","samples":[],
    /// #   "wall":{"n":5,"mean":100.0,"median":100.0,"std_dev":1.0,"mad":1.0,"min":99.0,"max":101.0,"p5":99.0,
    /// #   "p25":99.5,"p75":100.5,"p95":101.0,"median_ci":{"lo":98.0,"hi":102.0},"mean_ci":{"lo":99.0,"hi":101.0},
    /// #   "outliers":{"low_severe":0,"low_mild":0,"high_mild":0,"high_severe":0}}}"#;
    /// let result: metron::BenchmarkResult = serde_json::from_str(json).unwrap();
    /// let e = metron_history::Estimate::of(&result);
    /// assert_eq!(e.value_ns, 100.0);
    /// assert!((e.std_error_ns - 1.02).abs() < 0.01);
    /// ```
    pub fn of(result: &BenchmarkResult) -> Estimate {
        let s = result.headline();
        let z = metron::stats::normal_quantile(0.975);
        let log_se = if s.median_ci.lo > 0.0 && s.median_ci.hi >= s.median_ci.lo {
            (s.median_ci.hi.ln() - s.median_ci.lo.ln()) / (2.0 * z)
        } else {
            0.0
        };
        Estimate {
            value_ns: s.median,
            std_error_ns: (s.median * log_se).abs(),
            ci_lo_ns: s.median_ci.lo,
            ci_hi_ns: s.median_ci.hi,
        }
    }

    /// What change-point detection reads.
    pub fn observation(&self) -> Observation {
        Observation { value: self.value_ns, std_error: self.std_error_ns }
    }
}

//! What a bench file declares about one benchmark besides its closure: how
//! much one iteration processes (its throughput) and the sampling it asks
//! for (criterion's `measurement_time`, `sample_size`).
//!
//! The command line has the last word: a setting the user gave as a flag
//! (`--time-budget`, `--runs`, `--min-runs`) is never overridden by what the
//! file declares, so `cargo bench -- --time-budget 1s` means the same for
//! every benchmark.

use std::time::Duration;

use crate::runner::RunConfig;
use crate::throughput::Throughput;

/// Declared settings of one benchmark; `Default` declares nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BenchSpec {
    /// What one iteration processes: the result gets bytes/s or elements/s.
    pub throughput: Option<Throughput>,
    /// The time budget this benchmark asks for (criterion's `measurement_time`).
    pub time_budget: Option<Duration>,
    /// The fewest samples it asks for (criterion's `sample_size`).
    pub min_samples: Option<usize>,
}

impl BenchSpec {
    /// `run` with this spec's settings applied, except those set by flags
    /// named in `given` (long names, as in [`crate::options::MEASURE_FLAGS`]).
    pub fn apply(&self, run: &RunConfig, given: &[&str]) -> RunConfig {
        let mut run = run.clone();
        let by_flag = |names: &[&str]| names.iter().any(|n| given.contains(n));
        if let Some(budget) = self.time_budget.filter(|_| !by_flag(&["time-budget"])) {
            run.sampler.time_budget = budget;
        }
        if let Some(n) = self.min_samples.filter(|_| !by_flag(&["runs", "min-runs", "max-runs"])) {
            run.sampler.min_samples = n.clamp(1, run.sampler.max_samples);
        }
        run
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_settings_apply_unless_a_flag_set_them() {
        let spec =
            BenchSpec { time_budget: Some(Duration::from_secs(7)), min_samples: Some(20), ..BenchSpec::default() };
        let run = spec.apply(&RunConfig::default(), &[]);
        assert_eq!((run.sampler.time_budget, run.sampler.min_samples), (Duration::from_secs(7), 20));
        let run = spec.apply(&RunConfig::default(), &["time-budget", "min-runs"]);
        let default = RunConfig::default();
        assert_eq!(run, default);
    }
}

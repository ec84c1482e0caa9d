//! What the measuring flags set ([`MeasureOptions`]), the one place that
//! gives each flag of [`MEASURE_FLAGS`] its meaning,
//! and how the options become a [`RunConfig`] for commands, statements or
//! closures. Both front ends call [`MeasureOptions::apply`] for every flag
//! they were given, so a value means the same thing, and a bad one gets the
//! same message, whichever front end read it.

use std::time::Duration;

use super::flag::{Flag, FlagValue, MEASURE_FLAGS};
use super::value::{parse_clock, parse_count, parse_cpus, parse_duration, parse_percent};
use crate::baseline;
use crate::error::{Error, Result};
use crate::model::ClockKind;
use crate::runner::{Order, RunConfig};
use crate::sampler::{Iterations, SamplerConfig, SamplingPlan, Warmup};
use crate::terminal::ColourChoice;

/// What one sample of a routine is, which decides the defaults that depend
/// on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutineMode {
    /// External commands: one run per sample, so `--number` does not apply.
    Commands,
    /// timeit statements: loops per sample chosen by autorange; at least 5
    /// samples of at least 10 ms and a 1 s budget, as Python's timeit takes about that long.
    Statements,
    /// In-process closures of a bench binary: autorange, at least 10 samples.
    Closures,
}

/// How samples are taken and when sampling stops, as the flags gave them
/// (`None`: not given, the routine mode decides).
#[derive(Debug, Clone, PartialEq)]
pub struct SamplingOptions {
    /// `--warmup`.
    pub warmup: Option<u64>,
    /// `--runs`.
    pub runs: Option<usize>,
    /// `--min-runs`.
    pub min_runs: Option<usize>,
    /// `--max-runs`.
    pub max_runs: Option<usize>,
    /// `--number`.
    pub number: Option<u64>,
    /// `--precision`, as a fraction.
    pub precision: f64,
    /// `--time-budget` (`None`: the routine mode decides).
    pub time_budget: Option<Duration>,
    /// `--clock`.
    pub clock: ClockKind,
    /// `--sample-time`.
    pub sample_time: Option<Duration>,
    /// `--sampling`.
    pub plan: SamplingPlan,
    /// `--no-interleave`.
    pub order: Order,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--replicates`.
    pub replicates: usize,
    /// `--pin`: CPU numbers.
    pub pin: Vec<usize>,
}

/// Comparisons within the run and against saved baselines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComparisonOptions {
    /// `--reference`: compare with this benchmark instead of the fastest.
    pub reference: Option<String>,
    /// `--save-baseline`.
    pub save_baseline: Option<String>,
    /// `--keep-runs`: runs kept under a saved baseline's name.
    pub keep_runs: usize,
    /// `--baseline`.
    pub baseline: Option<String>,
    /// `--noise`, as a fraction.
    pub noise: f64,
    /// `--fail-on-regression`, as a fraction (0 when given bare).
    pub fail_on_regression: Option<f64>,
    /// Whether `--noise` was given: without it, comparisons of counts use
    /// [`COUNT_NOISE`](crate::counter::COUNT_NOISE) instead (see [`ComparisonOptions::noise_for`]).
    pub noise_given: bool,
}

/// What the terminal shows and how the run is labelled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutputOptions {
    /// `--label`.
    pub label: Option<String>,
    /// `--color`.
    pub colour: ColourChoice,
    /// `--quiet`.
    pub quiet: bool,
}

/// Everything the measuring flags set.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureOptions {
    /// Sampling.
    pub sampling: SamplingOptions,
    /// Comparison.
    pub comparison: ComparisonOptions,
    /// Output.
    pub output: OutputOptions,
}

impl Default for MeasureOptions {
    /// The defaults of the table, set through [`MeasureOptions::apply`] like
    /// any given value, so the help and the behaviour cannot disagree.
    fn default() -> MeasureOptions {
        let mut options = MeasureOptions {
            sampling: SamplingOptions {
                warmup: None,
                runs: None,
                min_runs: None,
                max_runs: None,
                number: None,
                precision: 0.0,
                time_budget: None,
                clock: ClockKind::Wall,
                sample_time: None,
                plan: SamplingPlan::Flat,
                order: Order::Interleaved,
                seed: None,
                replicates: 0,
                pin: Vec::new(),
            },
            comparison: ComparisonOptions::default(),
            output: OutputOptions::default(),
        };
        for flag in MEASURE_FLAGS {
            if let FlagValue::Required { default: Some(d), .. } = flag.value {
                // The table's defaults are valid values: checked by a test.
                let _ = options.apply(flag.long, Some(d));
            }
        }
        options.comparison.noise_given = false;
        options
    }
}

impl MeasureOptions {
    /// Sets the flag `long` (its long name or an alias, without `--`) to
    /// `value`: the text after it, `None` for a switch or for an optional
    /// value given bare.
    ///
    /// # Errors
    /// One line saying what is wrong with the value (the caller names the
    /// flag), or that the flag is unknown or needs a value.
    pub fn apply(&mut self, long: &str, value: Option<&str>) -> std::result::Result<(), String> {
        let flag = Flag::find(long).ok_or_else(|| format!("--{long} is not a measuring flag"))?;
        let text = match (flag.value, value) {
            (FlagValue::Switch, None) => "",
            (FlagValue::Switch, Some(_)) => return Err("takes no value".into()),
            (FlagValue::Required { .. }, None) => return Err("needs a value".into()),
            (FlagValue::Optional { missing, .. }, None) => missing,
            (_, Some(v)) => v,
        };
        let (s, c, o) = (&mut self.sampling, &mut self.comparison, &mut self.output);
        match flag.long {
            "warmup" => s.warmup = Some(parse_count(text)?),
            "runs" => s.runs = Some(count(text)?),
            "min-runs" => s.min_runs = Some(count(text)?),
            "max-runs" => s.max_runs = Some(count(text)?),
            "number" => s.number = Some(parse_count(text)?),
            "precision" => s.precision = parse_percent(text)?,
            "time-budget" => s.time_budget = Some(parse_duration(text)?),
            "clock" => s.clock = parse_clock(text)?,
            "sample-time" => s.sample_time = Some(parse_duration(text)?),
            "sampling" => s.plan = parse_plan(text)?,
            "no-interleave" => s.order = Order::Sequential,
            "seed" => s.seed = Some(parse_count(text)?),
            "replicates" => s.replicates = count(text)?,
            "pin" => s.pin = parse_cpus(text)?,
            "keep-runs" => c.keep_runs = count(text)?,
            "reference" => c.reference = Some(text.to_string()),
            "save-baseline" => c.save_baseline = Some(text.to_string()),
            "baseline" => c.baseline = Some(text.to_string()),
            "noise" => {
                c.noise = threshold(text)?;
                c.noise_given = true;
            }
            "fail-on-regression" => c.fail_on_regression = Some(threshold(text)?),
            "label" => o.label = Some(text.to_string()),
            "color" => o.colour = text.parse()?,
            "quiet" => o.quiet = true,
            other => return Err(format!("--{other} has no meaning yet")),
        }
        Ok(())
    }

    /// The sampling settings for routines of `mode`, checked.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the flag at fault: a count of 0,
    /// `--number` for commands, clashing limits, an out-of-range value.
    pub fn run_config(&self, mode: RoutineMode) -> Result<RunConfig> {
        let s = &self.sampling;
        let bad = |msg: String| Err(Error::InvalidConfig(msg));
        if mode == RoutineMode::Commands && s.number.is_some() {
            return bad("--number is for statements and benches: a command runs once per sample".into());
        }
        if s.runs.is_some() && (s.min_runs.is_some() || s.max_runs.is_some()) {
            return bad("--runs fixes the number of samples: give it without --min-runs and --max-runs".into());
        }
        let mut sampler = SamplerConfig {
            clock: s.clock,
            iterations: match (mode, s.number) {
                (RoutineMode::Commands, _) => Iterations::Fixed(1),
                (_, Some(n)) => Iterations::Fixed(n),
                (_, None) => Iterations::Auto,
            },
            target_sample_time: s.sample_time.or(match mode {
                // 10 ms: the 1 s budget is shared by 5 replicates, each a
                // fresh driver that autoranges again, and a replicate's
                // median needs a dozen samples of its 0.2 s, not three of
                // 50 ms. The driver times each sample with its own clock, so
                // shorter samples add no pipe round trip to the figure.
                RoutineMode::Statements => Some(Duration::from_millis(10)),
                RoutineMode::Commands | RoutineMode::Closures => None,
            }),
            warmup: s.warmup.map_or(Warmup::Auto, Warmup::Runs),
            precision: Some(s.precision),
            time_budget: s.time_budget.unwrap_or(match mode {
                // Python's timeit takes about 1.5 s (autorange to 0.2 s, then
                // 5 repeats of 0.2 s); a 1 s budget after the warm-up answers
                // as fast, and the line says which precision it reached.
                RoutineMode::Statements => Duration::from_secs(1),
                // A bench binary's functions are sampled in replicates that
                // are fresh processes, each with its own warm-up: 2 s per
                // function keeps three functions within 4 s.
                RoutineMode::Closures => Duration::from_secs(2),
                RoutineMode::Commands => Duration::from_secs(3),
            }),
            plan: s.plan,
            min_samples: match mode {
                RoutineMode::Statements => 5,
                RoutineMode::Commands | RoutineMode::Closures => 10,
            },
            ..SamplerConfig::default()
        };
        if let Some(min) = s.min_runs {
            sampler.min_samples = min;
        }
        if let Some(max) = s.max_runs {
            sampler.max_samples = max;
            // Only the default minimum gives way to a small --max-runs; a
            // --min-runs given with it must fit, or `validate` says they clash.
            if s.min_runs.is_none() {
                sampler.min_samples = sampler.min_samples.min(max);
            }
        }
        if let Some(runs) = s.runs {
            sampler = sampler.fixed_runs(runs);
        }
        if s.clock.is_count() {
            sampler = count_plan(sampler, s);
        }
        sampler.validate()?;
        Ok(RunConfig {
            sampler,
            order: s.order,
            // A fresh seed per run unless --seed: the record keeps it.
            seed: s.seed.unwrap_or_else(crate::stats::fresh_seed),
            // Counts do not move from run to run: replicates would only
            // multiply Valgrind's slowdown.
            replicates: if s.clock.is_count() { 1 } else { s.replicates },
            pin: s.pin.clone(),
        })
    }
}

impl ComparisonOptions {
    /// Checks the comparison flags before anything is measured, so a
    /// mistake costs a second rather than a whole run. `--reference` is
    /// checked by [`ComparisonOptions::check_reference`] once the
    /// benchmarks are known.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for `--fail-on-regression` without
    /// `--baseline`, a baseline name that is not a plain file name or
    /// names no saved baseline; the load error for a saved baseline that
    /// cannot be read.
    pub fn check(&self) -> Result<()> {
        if self.fail_on_regression.is_some() && self.baseline.is_none() {
            // Within one run there is nothing to regress from.
            return Err(Error::InvalidConfig(
                "--fail-on-regression needs --baseline NAME (or compare saved runs with metron compare)".into(),
            ));
        }
        let named = |flag: &'static str| move |e: Error| Error::Flag { flag, source: Box::new(e) };
        if let Some(name) = &self.save_baseline {
            baseline::path(name).map_err(named("--save-baseline"))?;
        }
        if let Some(name) = &self.baseline {
            let old = baseline::load(name).map_err(named("--baseline"))?;
            crate::compare::check_replicates(&old, "the baseline").map_err(named("--baseline"))?;
        }
        Ok(())
    }

    /// The noise floor of comparisons on `clock`: `--noise` when given, else
    /// [`COUNT_NOISE`](crate::counter::COUNT_NOISE) for counts and the
    /// table's default for times.
    pub fn noise_for(&self, clock: ClockKind) -> f64 {
        if clock.is_count() && !self.noise_given {
            crate::counter::COUNT_NOISE
        } else {
            self.noise
        }
    }

    /// Fails if `--reference NAME` names none of `names` (each benchmark's
    /// name and its `group/name` id, as `compare::reference_index` matches).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the reference.
    pub fn check_reference(&self, mut names: impl Iterator<Item = String>) -> Result<()> {
        match &self.reference {
            Some(r) if !names.any(|n| &n == r) => {
                Err(Error::InvalidConfig(format!("--reference '{r}' names no benchmark of this run")))
            }
            _ => Ok(()),
        }
    }
}

/// Counts are deterministic: no precision to chase and no time budget to
/// spend, just [`COUNT_RUNS`](crate::counter::COUNT_RUNS) samples (or what
/// `--runs`, `--min-runs`, `--max-runs` say) after one warm-up sample.
fn count_plan(mut sampler: SamplerConfig, s: &SamplingOptions) -> SamplerConfig {
    if s.runs.is_none() && s.min_runs.is_none() && s.max_runs.is_none() {
        sampler = sampler.fixed_runs(crate::counter::COUNT_RUNS);
    }
    sampler.precision = None;
    if s.warmup.is_none() {
        sampler.warmup = Warmup::Runs(1);
    }
    sampler
}

/// A count of samples: at least 1.
fn count(text: &str) -> std::result::Result<usize, String> {
    match parse_count(text)? {
        0 => Err("must be at least 1".into()),
        n => usize::try_from(n).map_err(|_| format!("'{text}' is too large")),
    }
}

/// A threshold given as a percentage (`--noise`, `--fail-on-regression`):
/// a negative one would print as `±-1%` and gate on improvements.
fn threshold(text: &str) -> std::result::Result<f64, String> {
    let fraction = parse_percent(text)?;
    if fraction < 0.0 {
        return Err(format!("must be 0% or more (got {}%)", fraction * 100.0));
    }
    Ok(fraction)
}

fn parse_plan(text: &str) -> std::result::Result<SamplingPlan, String> {
    match text.trim() {
        "flat" => Ok(SamplingPlan::Flat),
        "linear" => Ok(SamplingPlan::Linear),
        _ => Err(format!("'{text}' is not a sampling plan (use flat or linear)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(flags: &[(&str, Option<&str>)]) -> std::result::Result<MeasureOptions, String> {
        let mut o = MeasureOptions::default();
        for (flag, value) in flags {
            o.apply(flag, *value)?;
        }
        Ok(o)
    }

    #[test]
    fn every_default_of_the_table_is_a_valid_value() {
        let mut o = MeasureOptions::default();
        for flag in MEASURE_FLAGS {
            if let FlagValue::Required { default: Some(d), .. } = flag.value {
                assert_eq!(o.apply(flag.long, Some(d)), Ok(()), "{}", flag.long);
            }
        }
        assert_eq!(o.sampling.precision, 0.01);
        assert_eq!(o.sampling.time_budget, None);
        assert_eq!(o.comparison.noise, crate::compare::DEFAULT_NOISE);
    }

    #[test]
    fn every_flag_of_the_table_has_a_meaning() {
        let mut o = MeasureOptions::default();
        for flag in MEASURE_FLAGS {
            let value = match flag.value {
                FlagValue::Switch | FlagValue::Optional { .. } => None,
                FlagValue::Required { default: Some(d), .. } => Some(d),
                FlagValue::Required { .. } => Some("3"),
            };
            assert_eq!(o.apply(flag.long, value), Ok(()), "{}", flag.long);
        }
    }

    #[test]
    fn modes_choose_what_automatic_means() {
        let o = MeasureOptions::default();
        let commands = o.run_config(RoutineMode::Commands).unwrap();
        assert_eq!(commands.sampler.iterations, Iterations::Fixed(1));
        assert_eq!(commands.sampler.min_samples, 10);
        let statements = o.run_config(RoutineMode::Statements).unwrap();
        assert_eq!(statements.sampler.min_samples, 5);
        assert_eq!(statements.sampler.target_sample_time, Some(Duration::from_millis(10)));
        assert_eq!(statements.sampler.time_budget, Duration::from_secs(1));
        assert_eq!(commands.sampler.time_budget, Duration::from_secs(3));
        let closures = o.run_config(RoutineMode::Closures).unwrap();
        assert_eq!(
            (closures.sampler.iterations, closures.sampler.time_budget),
            (Iterations::Auto, Duration::from_secs(2))
        );
    }

    #[test]
    fn counts_take_a_few_samples_and_a_finer_noise_floor() {
        let o = options(&[("clock", Some("instructions"))]).unwrap();
        let config = o.run_config(RoutineMode::Closures).unwrap();
        assert_eq!((config.sampler.min_samples, config.sampler.max_samples), (5, 5));
        assert_eq!((config.sampler.precision, config.sampler.warmup), (None, Warmup::Runs(1)));
        assert_eq!(o.comparison.noise_for(ClockKind::Instructions), 0.001);
        assert_eq!(o.comparison.noise_for(ClockKind::Wall), crate::compare::DEFAULT_NOISE);
        let o = options(&[("clock", Some("instructions")), ("runs", Some("3")), ("noise", Some("1%"))]).unwrap();
        assert_eq!(o.run_config(RoutineMode::Commands).unwrap().sampler.max_samples, 3);
        assert_eq!(o.comparison.noise_for(ClockKind::Instructions), 0.01);
        assert_eq!(options(&[("clock", Some("estimated_cycles"))]).unwrap().sampling.clock, ClockKind::EstimatedCycles);
        assert!(options(&[("clock", Some("ticks"))]).unwrap_err().contains("instructions, cycles"));
    }

    #[test]
    fn bad_values_and_combinations_say_what() {
        assert_eq!(options(&[("runs", Some("0"))]).unwrap_err(), "must be at least 1");
        assert_eq!(options(&[("noise", Some("-1%"))]).unwrap_err(), "must be 0% or more (got -1%)");
        assert!(options(&[("precision", None)]).unwrap_err().contains("needs a value"));
        let o = options(&[("runs", Some("5")), ("min-runs", Some("3"))]).unwrap();
        assert!(o.run_config(RoutineMode::Commands).unwrap_err().to_string().contains("--runs fixes"));
        let o = options(&[("number", Some("5"))]).unwrap();
        assert!(o.run_config(RoutineMode::Commands).is_err());
        assert!(o.run_config(RoutineMode::Statements).is_ok());
        let o = options(&[("min-runs", Some("20")), ("max-runs", Some("5"))]).unwrap();
        assert!(o.run_config(RoutineMode::Closures).unwrap_err().to_string().contains("--min-runs (20)"));
        let o = options(&[("fail-on-regression", None)]).unwrap();
        assert_eq!(o.comparison.fail_on_regression, Some(0.0));
        assert!(o.comparison.check().unwrap_err().to_string().contains("needs --baseline"));
    }
}

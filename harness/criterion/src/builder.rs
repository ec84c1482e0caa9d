//! [`Criterion`]: the configuration a bench file builds and the entry point
//! of its benchmarks, with criterion's builder methods. Each method says
//! what it maps to in metron or why it is accepted and ignored.

use std::marker::PhantomData;
use std::time::Duration;

use metron::bench::BenchSpec;

use crate::bencher::Bencher;
use crate::engine;
use crate::group::{self, BenchmarkGroup};
use crate::id::{BenchmarkId, IntoBenchmarkId};
use crate::measurement::{Measurement, WallTime};

/// criterion's benchmark manager. Measurements go to the one metron run of
/// the binary; this value holds the settings the bench file declared.
pub struct Criterion<M: Measurement = WallTime> {
    pub(crate) spec: BenchSpec,
    pub(crate) filter: Option<String>,
    measurement: PhantomData<M>,
}

impl Default for Criterion<WallTime> {
    fn default() -> Criterion<WallTime> {
        Criterion { spec: BenchSpec::default(), filter: None, measurement: PhantomData }
    }
}

impl<M: Measurement> std::fmt::Debug for Criterion<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Criterion").field("spec", &self.spec).field("filter", &self.filter).finish()
    }
}

/// How criterion samples (`sampling_mode`); metron's `--sampling` decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SamplingMode {
    /// criterion chooses.
    #[default]
    Auto,
    /// Iteration counts growing linearly.
    Linear,
    /// The same iteration count in every sample.
    Flat,
}

/// Plot axis scale; accepted for compatibility (`metron report` draws).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AxisScale {
    /// Linear axis.
    #[default]
    Linear,
    /// Logarithmic axis.
    Logarithmic,
}

/// Plot settings; accepted for compatibility (`metron report` draws).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlotConfiguration {
    summary_scale: AxisScale,
}

impl PlotConfiguration {
    /// The scale of summary plots.
    pub fn summary_scale(mut self, scale: AxisScale) -> PlotConfiguration {
        self.summary_scale = scale;
        self
    }
}

/// criterion's plotting backends; accepted and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlottingBackend {
    /// gnuplot.
    Gnuplot,
    /// plotters.
    Plotters,
    /// No plots.
    None,
}

impl<M: Measurement> Criterion<M> {
    /// Reads the command line (metron's flags, `--bench`, `--list`, a
    /// filter); `--help` and bad flags end the process here, as in
    /// criterion. The flags belong to the binary's one run, so calling this
    /// again changes nothing.
    #[must_use]
    pub fn configure_from_args(self) -> Criterion<M> {
        engine::with_harness(|_| ());
        self
    }

    /// The fewest samples per benchmark (metron's `--min-runs`; a flag wins).
    /// criterion takes exactly this many; metron takes at least this many and
    /// stops when the CI is narrow enough.
    #[must_use]
    pub fn sample_size(mut self, n: usize) -> Criterion<M> {
        self.spec.min_samples = Some(n);
        self
    }

    /// The time budget per benchmark (metron's `--time-budget`; a flag wins).
    #[must_use]
    pub fn measurement_time(mut self, d: Duration) -> Criterion<M> {
        self.spec.time_budget = Some(d);
        self
    }

    /// Ignored: metron warms up for at least 100 ms and one sample (`--warmup`).
    #[must_use]
    pub fn warm_up_time(self, _d: Duration) -> Criterion<M> {
        self
    }

    /// Ignored: metron sizes its bootstraps itself.
    #[must_use]
    pub fn nresamples(self, _n: usize) -> Criterion<M> {
        self
    }

    /// Ignored: metron's comparisons use `--noise`.
    #[must_use]
    pub fn noise_threshold(self, _threshold: f64) -> Criterion<M> {
        self
    }

    /// Ignored: metron's intervals are 95%.
    #[must_use]
    pub fn confidence_level(self, _level: f64) -> Criterion<M> {
        self
    }

    /// Ignored: metron tests at 5% with false-discovery control.
    #[must_use]
    pub fn significance_level(self, _level: f64) -> Criterion<M> {
        self
    }

    /// Ignored: `metron report` draws the charts.
    #[must_use]
    pub fn with_plots(self) -> Criterion<M> {
        self
    }

    /// Ignored: metron draws no plots while measuring.
    #[must_use]
    pub fn without_plots(self) -> Criterion<M> {
        self
    }

    /// Ignored: `metron report` draws the charts.
    #[must_use]
    pub fn plotting_backend(self, _backend: PlottingBackend) -> Criterion<M> {
        self
    }

    /// Ignored: colour follows `--color` and `NO_COLOR`.
    #[must_use]
    pub fn with_output_color(self, _enabled: bool) -> Criterion<M> {
        self
    }

    /// Ignored: metron has no profiling mode.
    #[must_use]
    pub fn profile_time(self, _time: Option<Duration>) -> Criterion<M> {
        self
    }

    /// Only benchmarks whose id contains `filter` run (on top of the
    /// command line's filter).
    #[must_use]
    pub fn with_filter<S: Into<String>>(mut self, filter: S) -> Criterion<M> {
        self.filter = Some(filter.into());
        self
    }

    /// Ends the run: prints the baseline comparison if one was asked for,
    /// applies the regression gate and writes the JSON. `criterion_main!`
    /// calls it, then exits with the run's status.
    pub fn final_summary(&self) {
        engine::finish();
    }

    /// Starts a group of benchmarks named `name`: their ids are `name/…`.
    pub fn benchmark_group<S: Into<String>>(&mut self, name: S) -> BenchmarkGroup<'_, M> {
        BenchmarkGroup::new(self, name.into())
    }

    /// Measures one benchmark with the id `id` (no group).
    pub fn bench_function<F>(&mut self, id: &str, f: F) -> &mut Criterion<M>
    where
        F: FnMut(&mut Bencher<'_, M>),
    {
        let meta = id.into_benchmark_id().meta(None);
        group::measure(self.filter.as_deref(), meta, self.spec, f);
        self
    }

    /// Measures `f` on `input`; the id's function is the group and its
    /// parameter the name (`BenchmarkId::new("sort", 100)` is `sort/100`).
    pub fn bench_with_input<F, I>(&mut self, id: BenchmarkId, input: &I, mut f: F) -> &mut Criterion<M>
    where
        F: FnMut(&mut Bencher<'_, M>, &I),
        I: ?Sized,
    {
        let meta = id.ungrouped_meta();
        group::measure(self.filter.as_deref(), meta, self.spec, |b| f(b, input));
        self
    }
}

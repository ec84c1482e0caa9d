//! [`BenchmarkGroup`]: criterion's group of related benchmarks, measured
//! one by one as criterion does (each `bench_*` call measures at once, so
//! inputs may be borrowed only for that call), with the group's throughput
//! and sampling settings.

use std::time::Duration;

use metron::bench::BenchSpec;
use metron::throughput::Throughput;
use metron::BenchmarkMeta;

use crate::bencher::Bencher;
use crate::builder::{Criterion, PlotConfiguration, SamplingMode};
use crate::engine;
use crate::id::IntoBenchmarkId;
use crate::measurement::Measurement;

/// A group of benchmarks sharing a name prefix and settings.
pub struct BenchmarkGroup<'a, M: Measurement> {
    criterion: &'a mut Criterion<M>,
    name: String,
    spec: BenchSpec,
}

impl<M: Measurement> std::fmt::Debug for BenchmarkGroup<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BenchmarkGroup").field("name", &self.name).field("spec", &self.spec).finish()
    }
}

impl<'a, M: Measurement> BenchmarkGroup<'a, M> {
    pub(crate) fn new(criterion: &'a mut Criterion<M>, name: String) -> BenchmarkGroup<'a, M> {
        let spec = criterion.spec;
        BenchmarkGroup { criterion, name, spec }
    }

    /// What one iteration of the benchmarks added from now on processes:
    /// their results show bytes/s or elements/s with 95% CIs.
    pub fn throughput(&mut self, throughput: Throughput) -> &mut Self {
        self.spec.throughput = Some(throughput);
        self
    }

    /// The fewest samples per benchmark (a `--runs`/`--min-runs` flag wins).
    pub fn sample_size(&mut self, n: usize) -> &mut Self {
        self.spec.min_samples = Some(n);
        self
    }

    /// The time budget per benchmark (a `--time-budget` flag wins).
    pub fn measurement_time(&mut self, d: Duration) -> &mut Self {
        self.spec.time_budget = Some(d);
        self
    }

    /// Ignored, as [`Criterion::warm_up_time`].
    pub fn warm_up_time(&mut self, _d: Duration) -> &mut Self {
        self
    }

    /// Ignored, as [`Criterion::nresamples`].
    pub fn nresamples(&mut self, _n: usize) -> &mut Self {
        self
    }

    /// Ignored, as [`Criterion::noise_threshold`].
    pub fn noise_threshold(&mut self, _threshold: f64) -> &mut Self {
        self
    }

    /// Ignored, as [`Criterion::confidence_level`].
    pub fn confidence_level(&mut self, _level: f64) -> &mut Self {
        self
    }

    /// Ignored, as [`Criterion::significance_level`].
    pub fn significance_level(&mut self, _level: f64) -> &mut Self {
        self
    }

    /// Ignored: metron's `--sampling` decides.
    pub fn sampling_mode(&mut self, _mode: SamplingMode) -> &mut Self {
        self
    }

    /// Ignored: `metron report` draws the charts.
    pub fn plot_config(&mut self, _config: PlotConfiguration) -> &mut Self {
        self
    }

    /// Measures `f` now, as `group/id`.
    pub fn bench_function<ID: IntoBenchmarkId, F>(&mut self, id: ID, f: F) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>),
    {
        let meta = id.into_benchmark_id().meta(Some(&self.name));
        measure(self.criterion.filter.as_deref(), meta, self.spec, f);
        self
    }

    /// Measures `f` on `input` now, as `group/id`.
    pub fn bench_with_input<ID: IntoBenchmarkId, F, I>(&mut self, id: ID, input: &I, mut f: F) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>, &I),
        I: ?Sized,
    {
        let meta = id.into_benchmark_id().meta(Some(&self.name));
        measure(self.criterion.filter.as_deref(), meta, self.spec, |b| f(b, input));
        self
    }

    /// Ends the group (its benchmarks were measured as they were added).
    pub fn finish(self) {}
}

/// Measures one benchmark through the binary's harness, unless the bench
/// file's own filter (`with_filter`) leaves it out.
pub(crate) fn measure<M: Measurement, F>(filter: Option<&str>, meta: BenchmarkMeta, spec: BenchSpec, mut f: F)
where
    F: FnMut(&mut Bencher<'_, M>),
{
    if filter.is_some_and(|filter| !meta.id().contains(filter)) {
        return;
    }
    engine::with_harness(|h| {
        h.bench_spec(meta, spec, |b| f(&mut Bencher::new(b)));
    });
}

//! criterion's public API (0.5 to 0.8) over metron's engine: a project
//! switches its existing criterion benches to metron with one line in
//! `Cargo.toml`, and changes nothing in `benches/`:
//!
//! ```toml
//! [dev-dependencies]
//! criterion = { package = "metron-criterion", version = "0.1" }
//! ```
//!
//! `cargo bench` then prints metron's results (median with its 95% CI, both
//! clocks, throughput where the bench sets it), takes metron's flags
//! (`cargo bench -- --precision 0.5% --save-baseline main`, see `--help`),
//! and stops each benchmark when its confidence interval is narrow enough
//! instead of after a fixed measurement time.
//!
//! ```no_run
//! use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
//! # extern crate metron_criterion as criterion;
//!
//! fn sums(c: &mut Criterion) {
//!     let mut group = c.benchmark_group("sum");
//!     for n in [100u64, 10_000] {
//!         let data: Vec<u64> = (0..n).collect();
//!         group.throughput(Throughput::Elements(n));
//!         group.bench_with_input(BenchmarkId::new("iter", n), &data, |b, d| b.iter(|| d.iter().sum::<u64>()));
//!     }
//!     group.finish();
//! }
//!
//! criterion_group!(benches, sums);
//! criterion_main!(benches);
//! ```
//!
//! # What maps to what
//!
//! | criterion | metron |
//! |---|---|
//! | ids `group/function/parameter` | the same ids: titles, JSON and the filter use them |
//! | `throughput(..)` | bytes/s, elements/s (bits/s) with 95% CIs in the terminal, JSON and reports |
//! | `measurement_time(d)` | the benchmark's time budget (`--time-budget` wins) |
//! | `sample_size(n)` | the fewest samples (`--runs`, `--min-runs` win) |
//! | `iter_batched`, `iter_batched_ref`, `iter_with_setup`, `iter_with_large_drop` | setup and drop outside the timed region, as in criterion |
//! | `iter_custom` | the closure's own wall time |
//! | `save_baseline`, `--save-baseline`, `--baseline` | metron's baselines and regression gate |
//!
//! Accepted and ignored, because metron decides them otherwise:
//! `warm_up_time` (metron warms up for at least 100 ms and one sample),
//! `noise_threshold` and `significance_level` (metron's `--noise` and its
//! false-discovery-controlled tests at 5%), `confidence_level` (intervals are
//! 95%), `nresamples` (metron sizes its own bootstraps), `sampling_mode`
//! (`--sampling`), plots and plotting backends (`metron report` draws them),
//! `with_output_color` (`--color`, `NO_COLOR`) and `profile_time`.
//! Not offered: custom measurements (`with_measurement`), profilers and
//! `to_async`; a bench using them does not compile, rather than measuring
//! something else.
#![deny(missing_docs)]

mod bencher;
mod builder;
mod engine;
mod group;
mod id;
pub mod measurement;

pub use bencher::{BatchSize, Bencher};
pub use builder::{AxisScale, Criterion, PlotConfiguration, PlottingBackend, SamplingMode};
pub use group::BenchmarkGroup;
pub use id::{BenchmarkId, IntoBenchmarkId};
pub use metron::throughput::Throughput;

/// Keeps the optimiser from removing or hoisting a computation whose
/// result is otherwise unused; [`std::hint::black_box`], as criterion's is.
#[inline(always)]
pub fn black_box<T>(x: T) -> T {
    std::hint::black_box(x)
}

/// What the macros call; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::engine::exit_status;
}

/// Defines a function that runs benchmark targets with a configuration, as
/// criterion's: `criterion_group!(benches, f, g);` or
/// `criterion_group! { name = benches; config = Criterion::default().sample_size(20); targets = f, g }`.
#[macro_export]
macro_rules! criterion_group {
    (name = $name:ident; config = $config:expr; targets = $( $target:path ),+ $(,)*) => {
        /// Runs this group's benchmark targets.
        pub fn $name() {
            let mut criterion: $crate::Criterion<_> = $config.configure_from_args();
            $(
                $target(&mut criterion);
            )+
        }
    };
    ($name:ident, $( $target:path ),+ $(,)*) => {
        $crate::criterion_group! {
            name = $name;
            config = $crate::Criterion::default();
            targets = $( $target ),+
        }
    };
}

/// Defines `fn main` for a bench binary: runs the groups, ends the run
/// (baseline, regression gate, JSON) and exits with metron's status.
#[macro_export]
macro_rules! criterion_main {
    ( $( $group:path ),+ $(,)* ) => {
        fn main() {
            $(
                $group();
            )+
            $crate::Criterion::default().configure_from_args().final_summary();
            ::std::process::exit($crate::__private::exit_status());
        }
    };
}

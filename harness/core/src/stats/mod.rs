//! Statistics: estimators, confidence intervals and significance tests.
//!
//! Everything metron concludes from samples is computed here, with pure
//! functions over `&[f64]` that know nothing of clocks or routines. The
//! conventions follow numpy and scipy (checked against their values in
//! `tests/stats.rs`), every random choice is seeded, and degenerate input
//! (empty, one value, zero spread) gives documented finite results instead
//! of NaN or a panic, because results end up in JSON.
//!
//! * [`describe`](mod@describe): mean, median, percentiles, spread, and
//!   [`summarize`], which fills a [`Summary`](crate::model::Summary).
//! * [`bootstrap`]: percentile bootstrap intervals of any statistic and of ratios.
//! * [`outliers`]: Tukey's fences.
//! * [`regression`]: least-squares time against iteration count.
//! * [`order_ci`]: the distribution-free interval of the median used by the
//!   sampler's stopping rule.
//! * [`hypothesis`]: Welch, Mann-Whitney, one-sample t, Wilcoxon signed-rank.
//! * [`fdr`]: Benjamini-Hochberg adjustment across many comparisons.
//! * [`distributions`]: t and normal quantiles and p-values.
//! * [`rng`]: the seeded generator and normal draws.
//! * [`serial`]: serial correlation of rounds and the variance factor it needs.
//! * [`two_level`]: within-run and between-replicate uncertainty, and the
//!   headline interval that combines them.

pub mod bootstrap;
pub mod describe;
pub mod distributions;
pub mod fdr;
pub mod hypothesis;
pub mod order_ci;
pub mod outliers;
pub mod regression;
pub mod rng;
pub mod serial;
pub mod two_level;

pub use bootstrap::{bootstrap_ci, bootstrap_ratio_ci, mean_of, median_in_place, DEFAULT_RESAMPLES};
pub use describe::{
    geometric_mean, mad, mad_raw, mean, median, percentile_sorted, std_dev, summarize, summarize_reusing, MAD_SCALE,
    SUMMARY_CONFIDENCE,
};
pub use distributions::{normal_quantile, normal_two_sided_p, t_quantile, t_two_sided_p};
pub use fdr::benjamini_hochberg;
pub use hypothesis::{
    difference_p, mann_whitney_u, one_sample_t, trimmed_t, welch_t_test, wilcoxon_signed_rank, MannWhitney, OneSample,
    TTest, Wilcoxon, DEFAULT_TRIM,
};
pub use order_ci::median_ci_order;
pub use outliers::{classify, tukey_fences, tukey_outliers, OutlierClass, TukeyFences};
pub use regression::{ols, slope_through_origin};
pub use rng::{fresh_seed, seeded, standard_normal, uniform, Rng};
pub use two_level::BetweenReplicates;

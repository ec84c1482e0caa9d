//! metron-report: turns metron's JSON results into documents people read.
//!
//! It reads [`RunRecord`]s and renders them; it never measures. Eight
//! formats, one [`Exporter`] each, listed in one table ([`ExportFormat`]) and
//! driven by one [`ExportManager`] during a run:
//!
//! * [`Html`]: one self-contained page (inline CSS and SVG, no scripts, no
//!   fonts or anything else fetched) that can be published as it is: a summary
//!   table, charts per benchmark, comparisons, scaling curves, history across
//!   runs, and the environment each run was measured in.
//! * [`Markdown`]: a hyperfine-style table for pull requests and READMEs.
//! * [`Csv`] and [`CsvSamples`]: one row per benchmark or one row per
//!   sample, for spreadsheets and scripts.
//! * [`Json`]: the run's own JSON, every sample included, kept up to date
//!   while the run goes on.
//! * [`HyperfineJson`]: the run in hyperfine's JSON schema, for tools that
//!   read hyperfine's files.
//! * [`Asciidoc`] and [`Orgmode`]: the Markdown table in AsciiDoc and Org.
//!
//! Pages that are published can leave out host names and local paths
//! ([`Redaction`]).
//!
//! The free functions ([`render_html`], [`render_markdown`], [`render_csv`],
//! [`render_csv_samples`], [`write_site`]) are the short way to the same
//! exporters.
//!
//! # Conventions the HTML page follows
//!
//! * **Times** are per iteration, on the benchmark's headline clock (wall
//!   unless the run asked for CPU), in a unit chosen per table row or per chart
//!   from the data (`ns`, `µs`, `ms`, `s`); every axis names its unit.
//! * **Relative speed** comes from the run's paired comparisons: a ratio above
//!   1 means the candidate is slower than the reference. The ratio is
//!   labelled with what it is (the 20%-trimmed geometric mean of per-round
//!   ratios, or the ratio of geometric means for unpaired samples), with the
//!   ratio of medians beside it.
//! * **Verdicts** each state their one rule (`faster: p < 0.01 (BH-adjusted)
//!   and the whole 95% CI of the ratio below 1 − 0.3%`), so that a verdict
//!   never seems to contradict the p-value or interval beside it. Changes
//!   against a baseline show old → new medians.
//! * **Scaling charts.** Benchmarks with the same `group` (and host) whose
//!   parameter values for some parameter all parse as numbers form a scaling
//!   chart with that parameter on the x axis (when several parameters qualify,
//!   the one with most distinct values). Every combination of the *other*
//!   parameters is one line, e.g. a `variant` parameter with values `threads`,
//!   `processes`, `thread-pool`. Benchmarks without a group that share the same
//!   parameter names (a command parameter scan such as
//!   `metron -P t 1 5 'sleep 0.{t}'`) are treated as one implicit group.
//! * **Speedup charts.** When such a group contains a benchmark whose
//!   `parameters["variant"]` is `"sequential"`, each point's speedup is that
//!   benchmark's median divided by the point's median. The reference for a
//!   point is the sequential benchmark with the same other parameters (or the
//!   same parameters apart from the x parameter, or the group's only
//!   sequential benchmark). The band is conservative: the reference's median
//!   interval divided by the point's.
//! * **Runs are named** by their label ([`RunRecord::label`]), their git
//!   commit and when and where they ran.
//! * **History.** When several runs share benchmark ids
//!   ([`BenchmarkResult::id`](metron::BenchmarkResult::id)), a history chart
//!   shows each shared id's median with its 95% CI across the runs, in the
//!   order given, labelled with each run's label, or commit and start time.
//!   Under it, every median is also divided by one reference benchmark that
//!   every run has (the last run's paired reference if all runs have it,
//!   else the first id all runs share), the same for every run; and the last
//!   run is tested against the one before it as a baseline comparison, old →
//!   new. Every run keeps its own section; when the runs hold more than 200
//!   benchmarks in all, only the last run gets the charts per benchmark, so
//!   the page stays a few MB.
//! * **Conclusions.** Any `extensions` entry whose value has a `"conclusions"`
//!   array of strings is shown in a "Conclusions" section, and every entry
//!   of its `"tables"` array that is `{"title": "…", "columns": ["…"],
//!   "rows": [["…"]]}` (strings, as many cells per row as columns) as a table
//!   after it (`<table class="extension">`); anything else in extensions is
//!   ignored. In a column named `Serial fraction…`, a number outside [0, 1]
//!   (a Karp–Flatt fraction where the model does not hold) shows as `—`
//!   with a footnote. An entry with a `"verdict"` array of strings (a
//!   paragraph each) changes the order: the scaling charts first, then a
//!   "Verdict" section, then its tables, the summary, and the conclusions last.
//! * **Finding charts.** Every chart is an inline `<svg>` inside a
//!   `<figure class="chart" data-chart="KIND">`, where `KIND` is one of
//!   `distribution`, `samples`, `regression`, `ratios`, `overlay` (the
//!   compared benchmarks' distributions on one axis), `scaling`, `speedup`,
//!   `history`; the summary table is `<table class="summary">`.
//! * **Escaping.** The page is written by `maud` templates, which escape
//!   every value; only the stylesheet and the charts' SVG (whose text
//!   plotters escapes) enter unescaped.
//!
//! Layout of the crate:
//!
//! * [`export`]: the [`Exporter`] trait, the table of formats and the manager.
//! * [`html`], [`markdown`], [`asciidoc`], [`orgmode`], [`csv`], [`json`],
//!   [`hyperfine_export`]: one module per format; `markup`: the table the markup
//!   formats share.
//! * [`redact`]: what a published page leaves out.
//! * [`dashboard`]: the history dashboard, a static site of every benchmark's trend.
//! * `row`: the summary row every format's table is built from.
//! * `chart_data`: what charts need from the data (kernel densities,
//!   decimation, scaling groups, history across runs), without any drawing.
//! * `wording`: words shared by every format (figures are [`metron::format`]'s).
#![deny(missing_docs)]

pub mod asciidoc;
mod chart_data;
mod counted_events;
pub mod csv;
pub mod dashboard;
mod error;
pub mod export;
pub mod html;
pub mod hyperfine_export;
pub mod json;
pub mod markdown;
pub mod markup;
pub mod orgmode;
pub mod redact;
mod row;
mod wording;

/// Synthetic runs shared with the integration tests and the example.
#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod fixtures;

use std::path::{Path, PathBuf};

pub use crate::asciidoc::Asciidoc;
pub use crate::csv::{Csv, CsvSamples};
pub use error::ReportError;
pub use export::{ExportFormat, ExportManager, ExportTarget, Exporter};
pub use html::Html;
pub use hyperfine_export::HyperfineJson;
pub use json::Json;
pub use markdown::Markdown;
use metron::RunRecord;
pub use orgmode::Orgmode;
pub use redact::Redaction;

/// One self-contained HTML page for one or more runs; with several runs that
/// share benchmark ids, the page also has a history chart across them.
///
/// # Errors
/// [`ReportError::Empty`] when no run has a benchmark, failure or host to
/// show; [`ReportError::Chart`] if a chart cannot be drawn.
pub fn render_html(reports: &[RunRecord]) -> Result<String, ReportError> {
    Html::default().render(reports)
}

/// A Markdown table in hyperfine's layout, one row per benchmark, with the
/// median, its 95% CI and the verdict of any comparison.
pub fn render_markdown(report: &RunRecord) -> String {
    Markdown::default().render(std::slice::from_ref(report)).unwrap_or_default()
}

/// CSV with a header and one row per benchmark.
pub fn render_csv(report: &RunRecord) -> String {
    csv::benchmarks(report)
}

/// CSV with a header and one row per sample, in the order taken.
pub fn render_csv_samples(report: &RunRecord) -> String {
    csv::samples(report)
}

/// Writes `dir/index.html` (the [`render_html`] page) for the given runs,
/// creating `dir` if needed, and returns the path of the page.
///
/// The page is written atomically ([`metron::atomic`]), so a reader never
/// sees half a page. [`Html::write_site`] does the same for a redacted page.
///
/// # Errors
/// [`ReportError::Io`] when the directory or file cannot be written, and the
/// errors of [`render_html`].
pub fn write_site(reports: &[RunRecord], dir: &Path) -> Result<PathBuf, ReportError> {
    Html::default().write_site(reports, dir)
}

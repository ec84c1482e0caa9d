//! The one error type of the crate: what can stop a report from being
//! rendered or written, each said in one line.

use std::path::PathBuf;

/// Why a report could not be rendered or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Writing a file or creating a directory failed. The message names the
    /// path; the OS error is the [`source`](std::error::Error::source), which
    /// `{:#}` (anyhow) prints after it.
    #[error("cannot write {}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Nothing to render: no runs, or runs without a benchmark, failure or host.
    #[error("no benchmarks to report")]
    Empty,
    /// The chart library refused to draw a chart.
    #[error("cannot draw the {chart} chart: {detail}")]
    Chart {
        /// Which chart (its `data-chart` name).
        chart: &'static str,
        /// What the chart library said.
        detail: String,
    },
}

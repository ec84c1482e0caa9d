//! metron-report: turns metron's JSON results into documents people read.
//! It reads [`metron::RunReport`]s and renders them; it never measures.
//!
//! (Being written: the API below is the contract the CLI builds against.)
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use metron::RunReport;

/// Why a report could not be rendered or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Nothing to render.
    #[error("no benchmarks to report")]
    Empty,
}

/// One self-contained HTML page for one or more runs.
///
/// # Errors
/// [`ReportError::Empty`] when there is nothing to show.
pub fn render_html(reports: &[RunReport]) -> Result<String, ReportError> {
    let _ = reports;
    unimplemented!("render_html is being written")
}

/// A Markdown table, one row per benchmark.
pub fn render_markdown(report: &RunReport) -> String {
    let _ = report;
    unimplemented!("render_markdown is being written")
}

/// CSV, one row per benchmark.
pub fn render_csv(report: &RunReport) -> String {
    let _ = report;
    unimplemented!("render_csv is being written")
}

/// CSV, one row per sample.
pub fn render_csv_samples(report: &RunReport) -> String {
    let _ = report;
    unimplemented!("render_csv_samples is being written")
}

/// Writes `dir/index.html` for the given runs and returns its path.
///
/// # Errors
/// When the directory cannot be written or there is nothing to show.
pub fn write_site(reports: &[RunReport], dir: &Path) -> Result<PathBuf, ReportError> {
    let _ = (reports, dir);
    unimplemented!("write_site is being written")
}

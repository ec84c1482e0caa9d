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
    /// Two exports name the same file, or both stdout: they would
    /// overwrite or interleave each other.
    #[error("{first} and {second} both write to {target}")]
    SameTarget {
        /// The flag of the export given first (`--export-json`).
        first: String,
        /// The flag of the export given second.
        second: String,
        /// The file, or `-` for stdout.
        target: String,
    },
    /// An export's file could not be written at the end of the run: found
    /// before measuring, so no measurement is wasted.
    #[error("{flag} {}: {reason}", .path.display())]
    Unwritable {
        /// The export's flag (`--export-html`).
        flag: String,
        /// The file.
        path: PathBuf,
        /// Why not (`is a directory`, `cannot write in DIR (…)`).
        reason: String,
    },
    /// An export could not be rendered.
    #[error("{flag} {target}: {reason}")]
    Render {
        /// The export's flag.
        flag: String,
        /// The file, or `-` for stdout.
        target: String,
        /// Why the format could not render the run.
        reason: Box<ReportError>,
    },
    /// No process opened a FIFO export target for reading within
    /// [`metron::atomic::READER_PATIENCE`]; the document was written to
    /// `kept` instead.
    #[error(
        "{flag} {}: no process is reading this named pipe (FIFO); the results are in {} instead",
        .fifo.display(),
        .kept.display()
    )]
    Unread {
        /// The export's flag.
        flag: String,
        /// The FIFO.
        fifo: PathBuf,
        /// The regular file that holds the document.
        kept: PathBuf,
    },
    /// Writing an export failed; the OS error is the
    /// [`source`](std::error::Error::source).
    #[error("{flag} {target}: cannot write")]
    Write {
        /// The export's flag.
        flag: String,
        /// The file, or `-` for stdout.
        target: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The CSV writer failed (not expected: it writes to memory).
    #[error("cannot write CSV: {detail}")]
    Csv {
        /// What the CSV writer said.
        detail: String,
    },
    /// The chart library refused to draw a chart.
    #[error("cannot draw the {chart} chart: {detail}")]
    Chart {
        /// Which chart (its `data-chart` name).
        chart: &'static str,
        /// What the chart library said.
        detail: String,
    },
}

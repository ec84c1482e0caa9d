//! The seam between the result model and the formats, as hyperfine's
//! `src/export/`: one [`Exporter`] per format, each in its own module; one
//! table of formats ([`ExportFormat`]) that the command line builds its
//! `--export-<name>` flags from; and one [`ExportManager`] that a measuring
//! command builds once from those flags and then calls without knowing the
//! formats. Adding a format touches its exporter's module and one row of
//! the table, nothing else.
//!
//! * `table`: the table of formats.
//! * `target`: where an export goes (a file or stdout) and whether it can
//!   be written there.
//! * `manager`: every export of one run: checked before measuring, kept up
//!   to date during the run, written at the end.

mod manager;
mod table;
mod target;

use metron::RunRecord;

pub use self::manager::ExportManager;
pub use self::table::ExportFormat;
pub use self::target::ExportTarget;
use crate::ReportError;

/// A document format that runs can be rendered to.
///
/// Formats that describe one run at a time ([`Markdown`](crate::Markdown),
/// [`Csv`](crate::Csv)) render several runs one after another; the HTML page
/// ([`Html`](crate::Html)) puts them on one page and adds a history chart.
pub trait Exporter {
    /// The usual file name extension, without the dot (`html`, `md`, `csv`).
    fn extension(&self) -> &'static str;

    /// Renders the runs into one document.
    ///
    /// # Errors
    /// [`ReportError::Empty`] when there are no runs; the format's own
    /// errors otherwise.
    fn render(&self, reports: &[RunRecord]) -> Result<String, ReportError>;

    /// Whether a file of this format is rewritten after every benchmark
    /// ([`ExportManager::checkpoint`]), so that an interrupted or crashed
    /// run still leaves what it measured. Only formats that are cheap to
    /// render and hold every sample say yes (JSON); the others are written
    /// once, at the end.
    fn kept_current(&self) -> bool {
        false
    }
}

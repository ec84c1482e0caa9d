//! The seam between the result model and the formats: one [`Exporter`] per
//! format, each in its own module, so adding a format touches nothing else.

use metron::RunRecord;

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
}

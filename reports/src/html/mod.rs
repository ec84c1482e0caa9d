//! HTML export: one self-contained page per set of runs.
//!
//! The page has inline CSS and inline SVG only: no scripts, no web fonts, no
//! images or styles fetched from anywhere (a Content-Security-Policy in the
//! page says so to the browser too), so it can be published as it is and read
//! offline or with JavaScript disabled.
//!
//! * `page`: the document skeleton and the order of sections.
//! * `summary`: the summary table, comparisons and baseline tables.
//! * `benchmark`: one block per benchmark with its charts.
//! * `metadata`: environment, command line, settings, failures,
//!   hosts, conclusions and tables from extensions.
//! * `chart`: the SVG charts.
//! * `escape`: escaping of everything user-supplied.

mod benchmark;
mod chart;
mod escape;
mod metadata;
mod page;
mod summary;

use metron::RunRecord;

use crate::export::Exporter;
use crate::redact::Redaction;
use crate::ReportError;

/// The HTML format: one page with every run, charts and metadata, and a
/// history chart when runs share benchmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html {
    /// What the page leaves out of what the runs recorded about their
    /// machines (`metron report --redact`).
    pub redaction: Redaction,
}

impl Exporter for Html {
    fn extension(&self) -> &'static str {
        "html"
    }

    fn render(&self, reports: &[RunRecord]) -> Result<String, ReportError> {
        page::document(&self.redaction.apply(reports))
    }
}

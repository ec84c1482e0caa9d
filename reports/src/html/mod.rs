//! HTML export: one self-contained page per set of runs.
//!
//! The page has inline CSS and inline SVG only: no scripts, no web fonts, no
//! images or styles fetched from anywhere (a Content-Security-Policy in the
//! page says so to the browser too), so it can be published as it is and read
//! offline or with JavaScript disabled.
//!
//! * `page`: the document skeleton and the order of sections.
//! * `summary`: the summary table.
//! * `comparisons`: paired comparisons and the changes against a baseline.
//! * `history`: the tables across runs.
//! * `benchmark`: one block per benchmark with its charts.
//! * `metadata`: environment, command line, settings, failures,
//!   hosts, conclusions and tables from extensions.
//! * `chart`: the SVG charts.
//!
//! Every element is written by `maud` templates, which escape every value
//! they are given: a benchmark named `<script>alert(1)</script>` shows as
//! text, and no call site can forget to escape. The only markup that enters
//! unescaped is the crate's own stylesheet and the charts' SVG (plotters
//! escapes the text it draws; one place, `chart::Figure`).

mod benchmark;
mod chart;
mod comparisons;
mod history;
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

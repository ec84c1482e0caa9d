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
//! * `run_tables`: the tables across runs.
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
pub(crate) mod chart;
mod comparisons;
mod metadata;
pub(crate) mod page;
mod run_tables;
mod summary;

use std::path::{Path, PathBuf};

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

impl Html {
    /// Writes `dir/index.html`, this page of the given runs, creating `dir`
    /// if needed, and returns the path of the page (`metron report -o DIR`).
    /// The page is written atomically ([`metron::atomic`]).
    ///
    /// # Errors
    /// [`ReportError::Io`] when the directory or file cannot be written;
    /// the errors of [`Exporter::render`].
    pub fn write_site(&self, reports: &[RunRecord], dir: &Path) -> Result<PathBuf, ReportError> {
        let page = self.render(reports)?;
        if dir.exists() && !dir.is_dir() {
            // create_dir_all would only say "File exists".
            let source = std::io::Error::new(std::io::ErrorKind::AlreadyExists, "exists and is not a directory");
            return Err(ReportError::Io { path: dir.to_path_buf(), source });
        }
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io { path: dir.to_path_buf(), source })?;
        let path = dir.join("index.html");
        metron::atomic::write(&path, page.as_bytes())
            .map_err(|source| ReportError::Io { path: path.clone(), source })?;
        Ok(path)
    }
}

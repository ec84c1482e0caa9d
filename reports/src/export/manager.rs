//! Every export of one run, built once from the command line's
//! `--export-<name>` flags: checked before measuring, kept up to date while
//! the run goes on, written when it ends. The run loop calls it without
//! knowing which formats there are.

use std::io::Write;
use std::path::Path;

use metron::time::TimeUnit;
use metron::RunRecord;

use super::{ExportFormat, ExportTarget};
use crate::redact::Redaction;
use crate::ReportError;

/// The exports of one run, in the order given.
///
/// ```
/// use metron_report::{ExportFormat, ExportManager, ExportTarget};
///
/// let exports = ExportManager::new(vec![
///     (ExportFormat::Json, ExportTarget::new("run.json")),
///     (ExportFormat::Markdown, ExportTarget::new("-")),
/// ]);
/// assert!(exports.writes_stdout());
/// ```
#[derive(Debug, Clone, Default)]
pub struct ExportManager {
    exports: Vec<(ExportFormat, ExportTarget)>,
    redaction: Redaction,
    /// The unit of the tables people read (`--time-unit`), when one was asked for.
    unit: Option<TimeUnit>,
    /// Indices of the exports rewritten at each checkpoint, decided once
    /// (see [`ExportManager::new`]): checkpoints come between samples.
    checkpointed: Vec<usize>,
}

impl ExportManager {
    /// The exports, each a format and where it goes.
    ///
    /// Those rewritten at each checkpoint are chosen now, before the run:
    /// formats kept current, to a regular file (or one not made yet). A
    /// stream (stdout, a FIFO, `/dev/stdout`, another device) gets one
    /// document, at the end: every checkpoint written into it would be one
    /// more document in the stream.
    pub fn new(exports: Vec<(ExportFormat, ExportTarget)>) -> ExportManager {
        let checkpointed = exports
            .iter()
            .enumerate()
            .filter(|(_, (format, target))| {
                let regular = match target {
                    ExportTarget::File(path) => std::fs::metadata(path).map_or(true, |m| m.is_file()),
                    ExportTarget::Stdout => false,
                };
                regular && format.exporter().kept_current()
            })
            .map(|(i, _)| i)
            .collect();
        ExportManager { exports, redaction: Redaction::Keep, unit: None, checkpointed }
    }

    /// The same exports with pages (HTML, Markdown) redacted as `redaction`
    /// says, for results that are published.
    pub fn with_redaction(mut self, redaction: Redaction) -> ExportManager {
        self.redaction = redaction;
        self
    }

    /// The same exports with the times of the tables people read (Markdown,
    /// AsciiDoc, Org) in `unit` (`--time-unit`), as [`ExportFormat::exporter_for`].
    pub fn with_time_unit(mut self, unit: Option<TimeUnit>) -> ExportManager {
        self.unit = unit;
        self
    }

    /// Whether no export was asked for.
    pub fn is_empty(&self) -> bool {
        self.exports.is_empty()
    }

    /// Whether an export goes to stdout, so that the caller prints what
    /// people read on stderr and stdout carries the export alone.
    pub fn writes_stdout(&self) -> bool {
        self.exports.iter().any(|(_, t)| *t == ExportTarget::Stdout)
    }

    /// Fails now, before anything is measured, if an export could not be
    /// written at the end.
    ///
    /// # Errors
    /// [`ReportError::SameTarget`] when two exports name one file, or both
    /// stdout (they would overwrite or interleave each other);
    /// [`ReportError::Unwritable`] for the first file that cannot be written.
    pub fn check(&self) -> Result<(), ReportError> {
        for (i, (format, target)) in self.exports.iter().enumerate() {
            if let Some((other, _)) = self.exports[..i].iter().find(|(_, t)| t == target) {
                return Err(ReportError::SameTarget {
                    first: other.flag(),
                    second: format.flag(),
                    target: target.to_string(),
                });
            }
            target.check_writable(&format.flag())?;
        }
        Ok(())
    }

    /// Whether [`ExportManager::checkpoint`] writes anything: a file export
    /// kept up to date during a run (so a caller can skip preparing a
    /// record to checkpoint when there is none).
    pub fn checkpoints(&self) -> bool {
        !self.checkpointed.is_empty()
    }

    /// Writes the files that are kept up to date during a run (the JSON),
    /// as the run stands, so that nothing measured is lost to a crash or
    /// Ctrl-C. Streams are left alone: they get one document, at the end.
    ///
    /// # Errors
    /// The first export that cannot be rendered or written.
    pub fn checkpoint(&self, record: &RunRecord) -> Result<(), ReportError> {
        let live = self.checkpointed.iter().map(|&i| &self.exports[i]);
        first_error(live.map(|(format, target)| self.write(*format, target, record)))
    }

    /// Writes every export of a finished (or interrupted) run: files
    /// atomically, `-` to stdout. An export that fails does not stop the
    /// others.
    ///
    /// # Errors
    /// The first export that could not be rendered or written.
    pub fn write_all(&self, record: &RunRecord) -> Result<(), ReportError> {
        first_error(self.exports.iter().map(|(format, target)| self.write(*format, target, record)))
    }

    fn write(&self, format: ExportFormat, target: &ExportTarget, record: &RunRecord) -> Result<(), ReportError> {
        let text =
            format.exporter_for(self.redaction, self.unit).render(std::slice::from_ref(record)).map_err(|e| {
                ReportError::Render { flag: format.flag(), target: target.to_string(), reason: Box::new(e) }
            })?;
        let written = match target {
            ExportTarget::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes()).and_then(|()| out.flush())
            }
            ExportTarget::File(path) => metron::atomic::write(path, text.as_bytes()),
        };
        written.map_err(|source| match target {
            ExportTarget::File(path) if metron::atomic::is_no_reader(&source) => {
                self.keep_unread(format, path, &text, source)
            }
            _ => ReportError::Write { flag: format.flag(), target: target.to_string(), source },
        })
    }

    /// The error for a FIFO nobody read: the document is kept in a file
    /// beside it, which the error names, so that no result is lost.
    fn keep_unread(&self, format: ExportFormat, fifo: &Path, text: &str, source: std::io::Error) -> ReportError {
        let extension = format.exporter().extension();
        match metron::atomic::write_beside(fifo, extension, text.as_bytes()) {
            Ok(kept) => ReportError::Unread { flag: format.flag(), fifo: fifo.to_path_buf(), kept },
            Err(_) => ReportError::Write { flag: format.flag(), target: fifo.display().to_string(), source },
        }
    }
}

/// Runs every step, even after one fails, and keeps the first error.
fn first_error(results: impl Iterator<Item = Result<(), ReportError>>) -> Result<(), ReportError> {
    let mut first = Ok(());
    for result in results {
        if first.is_ok() {
            first = result;
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    fn manager(exports: &[(ExportFormat, &str)]) -> ExportManager {
        ExportManager::new(exports.iter().map(|(f, p)| (*f, ExportTarget::new(*p))).collect())
    }

    #[test]
    fn two_exports_to_one_place_are_refused() {
        let err = manager(&[(ExportFormat::Json, "-"), (ExportFormat::Csv, "-")]).check().unwrap_err();
        assert_eq!(err.to_string(), "--export-json and --export-csv both write to -");
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("x").display().to_string();
        let err = manager(&[(ExportFormat::Html, &file), (ExportFormat::Markdown, &file)]).check().unwrap_err();
        assert_eq!(err.to_string(), format!("--export-html and --export-markdown both write to {file}"));
    }

    #[test]
    fn unwritable_paths_are_found_before_measuring() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().display().to_string();
        let err = manager(&[(ExportFormat::Json, &dir)]).check().unwrap_err();
        assert_eq!(err.to_string(), format!("--export-json {dir}: is a directory"));
        let missing = tmp.path().join("no").join("x.csv");
        let err = manager(&[(ExportFormat::CsvSamples, &missing.display().to_string())]).check().unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with(&format!("--export-csv-samples {}: cannot write in ", missing.display())), "{msg}");
        assert!(manager(&[(ExportFormat::Json, "-")]).check().is_ok());
    }

    #[test]
    fn checkpoints_write_the_json_file_only_and_the_end_writes_all() {
        let tmp = tempfile::tempdir().unwrap();
        let path = |name: &str| tmp.path().join(name).display().to_string();
        let (json, html) = (path("run.json"), path("run.html"));
        let exports = manager(&[(ExportFormat::Json, &json), (ExportFormat::Html, &html)]);
        exports.check().unwrap();
        assert!(!exports.writes_stdout());
        let record = fixtures::loadable_report();
        exports.checkpoint(&record).unwrap();
        assert_eq!(RunRecord::load(std::path::Path::new(&json)).unwrap(), record);
        assert!(!std::path::Path::new(&html).exists(), "HTML is written at the end only");
        exports.write_all(&record).unwrap();
        assert!(std::fs::read_to_string(&html).unwrap().starts_with("<!DOCTYPE html>"));
    }

    #[test]
    fn errors_name_the_flag() {
        let tmp = tempfile::tempdir().unwrap();
        let html = tmp.path().join("run.html").display().to_string();
        let empty = fixtures::run(&["metron"], "h", "2024-05-01T12:00:00Z");
        let err = manager(&[(ExportFormat::Html, &html)]).write_all(&empty).unwrap_err();
        assert_eq!(err.to_string(), format!("--export-html {html}: no benchmarks to report"));
        let gone = tmp.path().join("gone").join("x.json").display().to_string();
        let err = manager(&[(ExportFormat::Json, &gone)]).write_all(&fixtures::fixed_report()).unwrap_err();
        assert_eq!(err.to_string(), format!("--export-json {gone}: cannot write"));
        assert!(std::error::Error::source(&err).is_some(), "the OS error");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        manager(&[(ExportFormat::Csv, "/dev/null")]).write_all(&fixtures::fixed_report()).unwrap();
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "/dev/null replaced");
    }

    #[cfg(unix)]
    #[test]
    fn links_stay_links() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real.md");
        std::fs::write(&real, "old").unwrap();
        let link = tmp.path().join("link.md");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        manager(&[(ExportFormat::Markdown, &link.display().to_string())]).write_all(&fixtures::fixed_report()).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert!(std::fs::read_to_string(&real).unwrap().starts_with("| Command"));
    }
}

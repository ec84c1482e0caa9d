//! The table of export formats: for each, the name its `--export-<name>`
//! flag is made of, the flag's one-line help, and its [`Exporter`]. The
//! command line generates its flags from [`ExportFormat::ALL`], so a format
//! added here is a flag everywhere.

use std::fmt;

use super::Exporter;
use crate::redact::Redaction;
use metron::time::TimeUnit;

use crate::{Asciidoc, Csv, CsvSamples, Html, HyperfineJson, Json, Markdown, Orgmode};

/// One export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// The run's own JSON, every sample included ([`Json`]).
    Json,
    /// A self-contained HTML page with charts ([`Html`]).
    Html,
    /// A Markdown table ([`Markdown`]).
    Markdown,
    /// A CSV table, one row per benchmark ([`Csv`]).
    Csv,
    /// A CSV table, one row per sample ([`CsvSamples`]).
    CsvSamples,
    /// hyperfine's JSON schema ([`HyperfineJson`]).
    Hyperfine,
    /// The Markdown table in AsciiDoc ([`Asciidoc`]).
    Asciidoc,
    /// The Markdown table in Emacs Org ([`Orgmode`]).
    Orgmode,
}

impl ExportFormat {
    /// Every format, in the order flags are listed in `--help`.
    pub const ALL: [ExportFormat; 8] = [
        ExportFormat::Json,
        ExportFormat::Html,
        ExportFormat::Markdown,
        ExportFormat::Csv,
        ExportFormat::CsvSamples,
        ExportFormat::Hyperfine,
        ExportFormat::Asciidoc,
        ExportFormat::Orgmode,
    ];

    /// The name in the flag `--export-<name>` (`json`, `csv-samples`…).
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Html => "html",
            ExportFormat::Markdown => "markdown",
            ExportFormat::Csv => "csv",
            ExportFormat::CsvSamples => "csv-samples",
            ExportFormat::Hyperfine => "hyperfine",
            ExportFormat::Asciidoc => "asciidoc",
            ExportFormat::Orgmode => "orgmode",
        }
    }

    /// The flag as a user types it: `--export-json`. Every export error
    /// names it, so the user sees which of several exports failed.
    pub fn flag(self) -> String {
        format!("--export-{}", self.name())
    }

    /// The flag's one-line help text.
    pub fn help(self) -> &'static str {
        match self {
            ExportFormat::Json => "Write the full run (every sample) as JSON, updated as each benchmark finishes.",
            ExportFormat::Html => "Write a self-contained HTML report with charts.",
            ExportFormat::Markdown => "Write a Markdown table.",
            ExportFormat::Csv => "Write a CSV table, one row per benchmark.",
            ExportFormat::CsvSamples => "Write a CSV table, one row per sample.",
            ExportFormat::Hyperfine => {
                "Write hyperfine's JSON schema (results[]: command, mean, stddev, median, user, system, min, max, times, exit_codes, parameters; seconds), for tools that read hyperfine's --export-json."
            }
            ExportFormat::Asciidoc => "Write the Markdown table as an AsciiDoc table.",
            ExportFormat::Orgmode => "Write the Markdown table as an Emacs Org table.",
        }
    }

    /// The format whose [`name`](Self::name) is `name`.
    pub fn from_name(name: &str) -> Option<ExportFormat> {
        ExportFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format's exporter, publishing everything the run recorded.
    pub fn exporter(self) -> Box<dyn Exporter> {
        self.exporter_with(Redaction::Keep)
    }

    /// The format's exporter; `redaction` applies to the formats that are
    /// pages people publish (HTML, Markdown). JSON and CSV are data for
    /// scripts and stay complete.
    pub fn exporter_with(self, redaction: Redaction) -> Box<dyn Exporter> {
        self.exporter_for(redaction, None)
    }

    /// The format's exporter, redacted as `redaction` says, with every time
    /// of the tables people read (Markdown, AsciiDoc, Org) in `unit` when
    /// given (`--time-unit`). Data for scripts (JSON, CSV) and the HTML page
    /// keep their own units, as hyperfine's JSON and CSV do.
    pub fn exporter_for(self, redaction: Redaction, unit: Option<TimeUnit>) -> Box<dyn Exporter> {
        match self {
            ExportFormat::Json => Box::new(Json),
            ExportFormat::Html => Box::new(Html { redaction }),
            ExportFormat::Markdown => Box::new(Markdown::new(redaction, unit)),
            ExportFormat::Csv => Box::new(Csv),
            ExportFormat::CsvSamples => Box::new(CsvSamples),
            ExportFormat::Hyperfine => Box::new(HyperfineJson),
            ExportFormat::Asciidoc => Box::new(Asciidoc::new(redaction, unit)),
            ExportFormat::Orgmode => Box::new(Orgmode::new(redaction, unit)),
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_flags_and_extensions_agree() {
        for format in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_name(format.name()), Some(format));
            assert!(format.flag().starts_with("--export-") && format.help().ends_with('.'));
        }
        let extensions: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.exporter().extension()).collect();
        assert_eq!(extensions, ["json", "html", "md", "csv", "csv", "json", "adoc", "org"]);
        assert_eq!(ExportFormat::CsvSamples.flag(), "--export-csv-samples");
        assert!(ExportFormat::Json.exporter().kept_current() && !ExportFormat::Html.exporter().kept_current());
    }
}

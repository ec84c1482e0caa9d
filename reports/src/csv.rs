//! CSV export: one row per benchmark, or one row per sample, for
//! spreadsheets and scripts.
//!
//! Quoting follows RFC 4180: a field that contains a
//! comma, a double quote, a line break or leading/trailing space is put in
//! double quotes, with inner quotes doubled. Lines end in `\n`. Numbers are
//! written in full (the shortest text that reads back as the same `f64`);
//! missing values are empty fields.
//!
//! Benchmark rows use the headline clock's statistics (the `clock` column
//! says which); `cpu_median_ns` and `cpu_wall` are there for both clocks.

use std::borrow::Cow;
use std::fmt::Display;

use metron::model::{BenchmarkResult, Sample};
use metron::RunRecord;

use crate::export::Exporter;
use crate::wording;
use crate::ReportError;

/// Which rows a [`Csv`] export has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvRows {
    /// One row per benchmark with its statistics.
    #[default]
    Benchmarks,
    /// One row per sample, with the raw clock readings.
    Samples,
}

/// The CSV format. With several runs, the rows of each run follow one
/// another under a single header.
#[derive(Debug, Clone, Copy, Default)]
pub struct Csv {
    /// Which rows to write.
    pub rows: CsvRows,
}

impl Exporter for Csv {
    fn extension(&self) -> &'static str {
        "csv"
    }

    fn render(&self, reports: &[RunRecord]) -> Result<String, ReportError> {
        if reports.is_empty() {
            return Err(ReportError::Empty);
        }
        let (header, rows): (&[&str], fn(&RunRecord, &mut Writer)) = match self.rows {
            CsvRows::Benchmarks => (BENCHMARK_HEADER, benchmark_rows),
            CsvRows::Samples => (SAMPLE_HEADER, sample_rows),
        };
        let mut w = Writer::default();
        w.row(header.iter().map(|h| Cow::Borrowed(*h)));
        for report in reports {
            rows(report, &mut w);
        }
        Ok(w.out)
    }
}

const BENCHMARK_HEADER: &[&str] = &[
    "id",
    "name",
    "group",
    "parameters",
    "clock",
    "n",
    "median_ns",
    "median_ci_lo_ns",
    "median_ci_hi_ns",
    "mean_ns",
    "std_dev_ns",
    "min_ns",
    "max_ns",
    "p5_ns",
    "p95_ns",
    "cpu_median_ns",
    "cpu_wall",
    "max_rss_kib",
    "stop_reason",
    "host",
];

const SAMPLE_HEADER: &[&str] =
    &["id", "sample", "round", "iterations", "wall_ns", "cpu_ns", "user_ns", "sys_ns", "max_rss_kib", "at_ns"];

/// One row per benchmark (see [`render_csv`](crate::render_csv)).
pub(crate) fn benchmarks(report: &RunRecord) -> String {
    Csv { rows: CsvRows::Benchmarks }.render(std::slice::from_ref(report)).unwrap_or_default()
}

/// One row per sample (see [`render_csv_samples`](crate::render_csv_samples)).
pub(crate) fn samples(report: &RunRecord) -> String {
    Csv { rows: CsvRows::Samples }.render(std::slice::from_ref(report)).unwrap_or_default()
}

fn benchmark_rows(report: &RunRecord, w: &mut Writer) {
    for b in &report.benchmarks {
        w.row(benchmark_fields(b));
    }
}

fn benchmark_fields(b: &BenchmarkResult) -> Vec<Cow<'_, str>> {
    let s = b.headline();
    vec![
        Cow::Owned(b.id()),
        Cow::Borrowed(b.name.as_str()),
        Cow::Borrowed(b.group.as_deref().unwrap_or("")),
        Cow::Owned(wording::parameters_compact(&b.parameters)),
        Cow::Owned(b.clock.to_string()),
        num(s.n),
        num(s.median),
        num(s.median_ci.lo),
        num(s.median_ci.hi),
        num(s.mean),
        num(s.std_dev),
        num(s.min),
        num(s.max),
        num(s.p5),
        num(s.p95),
        opt(b.cpu.as_ref().map(|c| c.median)),
        opt(b.cpu_utilisation()),
        opt(b.max_rss_kib),
        Cow::Borrowed(wording::stop_reason(b.stop_reason)),
        Cow::Borrowed(b.host.as_deref().unwrap_or("")),
    ]
}

fn sample_rows(report: &RunRecord, w: &mut Writer) {
    for b in &report.benchmarks {
        let id = b.id();
        for (i, s) in b.samples.iter().enumerate() {
            w.row(sample_fields(&id, i, s));
        }
    }
}

fn sample_fields<'a>(id: &'a str, index: usize, s: &Sample) -> Vec<Cow<'a, str>> {
    vec![
        Cow::Borrowed(id),
        num(index),
        opt(s.round),
        num(s.iterations),
        num(s.wall_ns),
        opt(s.cpu_ns),
        opt(s.user_ns),
        opt(s.sys_ns),
        opt(s.max_rss_kib),
        num(s.at_ns),
    ]
}

fn num<'a>(x: impl Display) -> Cow<'a, str> {
    Cow::Owned(x.to_string())
}

fn opt<'a, T: Display>(x: Option<T>) -> Cow<'a, str> {
    x.map_or(Cow::Borrowed(""), num)
}

/// Accumulates quoted rows.
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    fn row<'a>(&mut self, fields: impl IntoIterator<Item = Cow<'a, str>>) {
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.out.push_str(&quote(&f));
        }
        self.out.push('\n');
    }
}

/// The field as it must appear in CSV: as it is, or quoted.
fn quote(field: &str) -> Cow<'_, str> {
    let special = field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ');
    if special {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote(" padded"), "\" padded\"");
        assert_eq!(quote(""), "");
    }

    #[test]
    fn empty_input_is_an_error() {
        assert!(matches!(Csv::default().render(&[]), Err(ReportError::Empty)));
    }
}

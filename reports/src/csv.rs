//! CSV export: one row per benchmark ([`Csv`]) or one row per sample
//! ([`CsvSamples`]), for spreadsheets and scripts.
//!
//! Written by the `csv` crate: a field is quoted when it holds a comma, a
//! double quote or a line break (RFC 4180), with inner quotes doubled. Lines
//! end in `\n`. Numbers are written in full (the shortest text that reads
//! back as the same `f64`); missing values are empty fields.
//!
//! Benchmark rows use the headline clock's statistics (the `clock` column
//! says which); `cpu_median_ns` and `cpu_wall` are there for both clocks.
//! As in hyperfine's CSV, `user_mean_ns` and `system_mean_ns` are the mean
//! user and kernel CPU time per iteration (empty where samples do not split
//! CPU time), and every parameter has a column `parameter_NAME` (after the
//! fixed columns, in name order; empty for a benchmark without it), beside
//! the compact `parameters` column.
//! The `throughput_*` columns, there when a benchmark declared a throughput, hold a benchmark's first throughput rate
//! (units per second at the median, with its 95% CI), empty without one.

use std::collections::BTreeSet;
use std::fmt::Display;

use metron::model::Sample;
use metron::RunRecord;

use crate::counted_events;
use crate::export::Exporter;
use crate::row::SummaryRow;
use crate::wording;
use crate::ReportError;

/// CSV with one row per benchmark and its statistics. With several runs,
/// the rows of each run follow one another under a single header.
#[derive(Debug, Clone, Copy, Default)]
pub struct Csv;

/// CSV with one row per sample and its raw clock readings, in the order
/// taken. With several runs, the rows follow one another under one header.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvSamples;

impl Exporter for Csv {
    fn extension(&self) -> &'static str {
        "csv"
    }

    fn render(&self, reports: &[RunRecord]) -> Result<String, ReportError> {
        let counted = reports.iter().flat_map(|r| &r.benchmarks).any(|b| b.instructions.is_some());
        let throughput = reports.iter().flat_map(|r| &r.benchmarks).any(|b| !b.throughput.is_empty());
        let names: BTreeSet<&str> =
            reports.iter().flat_map(|r| &r.benchmarks).flat_map(|b| b.parameters.keys()).map(String::as_str).collect();
        let names: Vec<&str> = names.into_iter().collect();
        let mut header: Vec<String> = BENCHMARK_HEADER.iter().map(|h| h.to_string()).collect();
        header.extend(names.iter().map(|n| format!("parameter_{n}")));
        if throughput {
            header.extend(THROUGHPUT_HEADER.iter().map(|h| h.to_string()));
        }
        if counted {
            header.extend(counted_events::CSV_HEADER.iter().map(|h| h.to_string()));
        }
        let rows = reports.iter().flat_map(SummaryRow::all).map(|row| {
            let mut fields = benchmark_fields(&row);
            fields.extend(names.iter().map(|n| row.bench.parameters.get(*n).cloned().unwrap_or_default()));
            if throughput {
                fields.extend(throughput_fields(row.bench));
            }
            if counted {
                fields.extend(counted_events::csv_fields(row.bench));
            }
            fields
        });
        table(reports, &header, rows)
    }
}

impl Exporter for CsvSamples {
    fn extension(&self) -> &'static str {
        "csv"
    }

    fn render(&self, reports: &[RunRecord]) -> Result<String, ReportError> {
        let rows = reports.iter().flat_map(|r| &r.benchmarks).flat_map(|b| {
            let id = b.id();
            b.samples.iter().enumerate().map(move |(i, s)| sample_fields(&id, i, s))
        });
        table(reports, SAMPLE_HEADER, rows)
    }
}

/// The header and the rows as CSV text.
fn table<H: AsRef<[u8]>>(
    reports: &[RunRecord],
    header: &[H],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<String, ReportError> {
    if reports.is_empty() {
        return Err(ReportError::Empty);
    }
    let failed = |e: csv::Error| ReportError::Csv { detail: e.to_string() };
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(header).map_err(failed)?;
    for row in rows {
        w.write_record(&row).map_err(failed)?;
    }
    let bytes = w.into_inner().map_err(|e| ReportError::Csv { detail: e.error().to_string() })?;
    // Every field is a Rust string, so the bytes are UTF-8.
    String::from_utf8(bytes).map_err(|e| ReportError::Csv { detail: e.to_string() })
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
    "user_mean_ns",
    "system_mean_ns",
];

/// The columns added when a benchmark of the runs declared a throughput.
const THROUGHPUT_HEADER: &[&str] = &[
    "throughput_unit",
    "throughput_per_iteration",
    "throughput_median_per_s",
    "throughput_ci_lo_per_s",
    "throughput_ci_hi_per_s",
];

const SAMPLE_HEADER: &[&str] =
    &["id", "sample", "round", "iterations", "wall_ns", "cpu_ns", "user_ns", "sys_ns", "max_rss_kib", "at_ns"];

/// One row per benchmark (see [`render_csv`](crate::render_csv)).
pub(crate) fn benchmarks(report: &RunRecord) -> String {
    Csv.render(std::slice::from_ref(report)).unwrap_or_default()
}

/// One row per sample (see [`render_csv_samples`](crate::render_csv_samples)).
pub(crate) fn samples(report: &RunRecord) -> String {
    CsvSamples.render(std::slice::from_ref(report)).unwrap_or_default()
}

fn benchmark_fields(row: &SummaryRow<'_>) -> Vec<String> {
    let (b, s) = (row.bench, row.stats);
    let mut fields = vec![
        row.id.clone(),
        b.name.clone(),
        b.group.clone().unwrap_or_default(),
        wording::parameters_compact(&b.parameters),
        row.clock.to_string(),
        num(s.n),
    ];
    // median, its CI, mean, std dev, min, max: the columns of BENCHMARK_HEADER.
    fields.extend(row.times(num).into_array());
    fields.extend([
        num(s.p5),
        num(s.p95),
        opt(b.cpu.as_ref().map(|c| c.median)),
        opt(row.cpu_wall),
        opt(b.max_rss_kib),
        wording::stop_reason(b.stop_reason).to_string(),
        b.host.clone().unwrap_or_default(),
    ]);
    let split = metron::analysis::user_system_means(&b.samples);
    fields.extend([opt(split.map(|(user, _)| user)), opt(split.map(|(_, system)| system))]);
    fields
}

/// The columns of [`THROUGHPUT_HEADER`]: the first rate (elements, for
/// elements and bytes; the JSON has every rate), empty without one.
fn throughput_fields(b: &metron::BenchmarkResult) -> [String; 5] {
    let rate = b.throughput.first();
    [
        rate.map(|r| r.unit.name().to_string()).unwrap_or_default(),
        opt(rate.map(|r| r.per_iteration)),
        opt(rate.map(|r| r.median_per_s)),
        opt(rate.map(|r| r.median_ci_per_s.lo)),
        opt(rate.map(|r| r.median_ci_per_s.hi)),
    ]
}

fn sample_fields(id: &str, index: usize, s: &Sample) -> Vec<String> {
    vec![
        id.to_string(),
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

fn num(x: impl Display) -> String {
    x.to_string()
}

fn opt<T: Display>(x: Option<T>) -> String {
    x.map_or_else(String::new, num)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row of a benchmark named `name` (its id is the same name).
    fn row_of(name: &str) -> String {
        let mut report = crate::fixtures::fixed_report();
        report.benchmarks.truncate(1);
        report.benchmarks[0].name = name.to_string();
        benchmarks(&report).lines().nth(1).unwrap_or_default().to_string()
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert!(row_of("plain").starts_with("plain,plain,"));
        assert!(row_of("a,b").starts_with("\"a,b\",\"a,b\","));
        assert!(row_of("say \"hi\"").starts_with("\"say \"\"hi\"\"\",\"say \"\"hi\"\"\","));
        // Leading spaces need no quotes in RFC 4180, and the csv crate adds none.
        assert!(row_of(" padded").starts_with(" padded, padded,"));
    }

    #[test]
    fn empty_input_is_an_error() {
        assert!(matches!(Csv.render(&[]), Err(ReportError::Empty)));
        assert!(matches!(CsvSamples.render(&[]), Err(ReportError::Empty)));
    }
}

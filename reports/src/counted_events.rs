//! Instruction counts and the other counted events (`--clock
//! instructions`), as every format shows them: one row per counted
//! benchmark, beside the time table rather than in it, since a count is
//! not a time. Built once here; formats only decide how the figures look.

use metron::counter::CounterResult;
use metron::format;
use metron::model::{BenchmarkResult, Summary};
use metron::RunRecord;

/// One counted benchmark.
#[derive(Debug, Clone)]
pub(crate) struct CountRow<'a> {
    /// Its id.
    pub id: String,
    /// Instructions per iteration.
    pub instructions: &'a Summary,
    /// What counted, and the other events.
    pub counter: &'a CounterResult,
}

impl<'a> CountRow<'a> {
    /// The row of `b`, if it was counted.
    pub fn of(b: &'a BenchmarkResult) -> Option<CountRow<'a>> {
        Some(CountRow { id: b.id(), instructions: b.instructions.as_ref()?, counter: b.counter.as_ref()? })
    }

    /// Every counted benchmark of `report`, in its order.
    pub fn all(report: &'a RunRecord) -> Vec<CountRow<'a>> {
        report.benchmarks.iter().filter_map(CountRow::of).collect()
    }

    /// (max - min) / median of instructions per iteration over the samples:
    /// how far the repetitions agreed.
    pub fn spread(&self) -> f64 {
        let s = self.instructions;
        if s.median > 0.0 {
            (s.max - s.min) / s.median
        } else {
            0.0
        }
    }

    /// The medians of the other events, by name, where counted.
    pub fn events(&self) -> [(&'static str, Option<f64>); 4] {
        let median = |s: &Option<Summary>| s.as_ref().map(|s| s.median);
        let c = self.counter;
        [
            ("estimated cycles", median(&c.estimated_cycles)),
            ("cycles", median(&c.cycles)),
            ("L1 misses", median(&c.l1_misses)),
            ("LL misses", median(&c.ll_misses)),
        ]
    }
}

/// The CSV columns of counts, added after the time columns when a run
/// counted (runs that did not keep their columns as they were).
pub(crate) const CSV_HEADER: &[&str] = &[
    "instructions_median",
    "instructions_ci_lo",
    "instructions_ci_hi",
    "instructions_min",
    "instructions_max",
    "estimated_cycles_median",
    "cycles_median",
    "l1_misses_median",
    "ll_misses_median",
    "counter_backend",
];

/// The CSV fields of `b` for [`CSV_HEADER`] (empty when it was not counted).
pub(crate) fn csv_fields(b: &BenchmarkResult) -> Vec<String> {
    let Some(row) = CountRow::of(b) else { return vec![String::new(); CSV_HEADER.len()] };
    let s = row.instructions;
    let mut fields: Vec<String> =
        [s.median, s.median_ci.lo, s.median_ci.hi, s.min, s.max].iter().map(f64::to_string).collect();
    fields.extend(row.events().iter().map(|(_, v)| v.map_or_else(String::new, |v| v.to_string())));
    fields.push(
        serde_json::to_value(row.counter.backend).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
    );
    fields
}

/// The table of counts in a markup `syntax` (Markdown, AsciiDoc, Org), with
/// the sentence saying what counted; `None` when the run counted nothing.
pub(crate) fn markup<S: crate::markup::Syntax>(syntax: &S, report: &RunRecord) -> Option<String> {
    use crate::markup::Align;
    let rows = CountRow::all(report);
    let first = rows.first()?;
    let header: Vec<String> =
        ["Benchmark", "Instructions", "95% CI", "Spread", "Estimated cycles", "Cycles", "L1 misses", "LL misses"]
            .map(String::from)
            .to_vec();
    let mut align = vec![Align::Left];
    align.extend([Align::Right; 7]);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let s = row.instructions;
            let mut cells = vec![
                syntax.code(&row.id),
                format::count(s.median),
                format!("{} – {}", format::count(s.median_ci.lo), format::count(s.median_ci.hi)),
                format!("{:.3}%", row.spread() * 100.0),
            ];
            cells.extend(row.events().iter().map(|(_, v)| v.map_or_else(|| "–".into(), format::count)));
            cells
        })
        .collect();
    let note = format!(
        "Counts per iteration, by {} ({}): {}.",
        first.counter.backend.name(),
        first.counter.tool,
        first.counter.excludes
    );
    Some(format!("\n{}\n\n{}", syntax.emphasis(&note), syntax.table(&header, &align, &cells)))
}

/// The HTML table of counts, or `None` when the run counted nothing.
/// maud escapes every interpolation.
pub(crate) fn html(report: &RunRecord) -> Option<maud::Markup> {
    let rows = CountRow::all(report);
    let first = rows.first()?;
    Some(maud::html! {
        h3 { "Counts per iteration" }
        p.note {
            "Counted by " (first.counter.backend.name()) " (" (first.counter.tool) "): " (first.counter.excludes) "."
        }
        div.table-wrap { table.summary.counts {
            thead { tr {
                th { "Benchmark" }
                th.num { "Instructions [95% CI]" }
                th.num title="(max − min) / median over the samples" { "Spread" }
                @for (name, _) in first.events() { th.num { (name) } }
            } }
            tbody {
                @for row in &rows {
                    tr {
                        td { code { (row.id) } }
                        td.num {
                            (format::count(row.instructions.median)) " "
                            span.ci { "[" (format::count(row.instructions.median_ci.lo)) " … "
                                (format::count(row.instructions.median_ci.hi)) "]" }
                        }
                        td.num { (format!("{:.3}%", row.spread() * 100.0)) }
                        @for (_, value) in row.events() {
                            td.num { (value.map_or_else(|| "—".to_string(), format::count)) }
                        }
                    }
                }
            }
        } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Exporter;
    use metron::counter::{annotate, Backend, Counts};

    /// The fixed report with instruction counts on the two samples of its
    /// first benchmark: 1000 and 1010 per iteration.
    fn counted() -> RunRecord {
        let mut report = crate::fixtures::fixed_report();
        let b = &mut report.benchmarks[0];
        let n = b.samples.len();
        for (i, s) in b.samples.iter_mut().enumerate() {
            let per = if i + 1 == n { 1010.0 } else { 1000.0 };
            s.counts = Some(Counts::from_cache_events(per * s.iterations as f64, 0.0, 0.0, 0.0, 0.0));
        }
        annotate(b, Backend::Valgrind, 1);
        report
    }

    #[test]
    fn every_format_shows_the_counts_beside_the_times() {
        let report = counted();
        let row = CountRow::of(&report.benchmarks[0]).unwrap();
        assert_eq!(report.benchmarks[0].samples.len(), 2);
        assert_eq!(row.instructions.median, 1005.0);
        assert!((row.spread() - 10.0 / 1005.0).abs() < 1e-12);
        let md = crate::Markdown::default().render(std::slice::from_ref(&report)).unwrap();
        assert!(md.contains("Counts per iteration, by Valgrind (callgrind)"), "{md}");
        assert!(md.contains("| 1,005 | 1,000 – 1,010 | 0.995% |"), "{md}");
        let csv = crate::Csv.render(std::slice::from_ref(&report)).unwrap();
        let mut lines = csv.lines();
        assert!(lines.next().unwrap().ends_with("ll_misses_median,counter_backend"));
        assert!(lines.next().unwrap().ends_with(",valgrind"));
        assert!(lines.next().unwrap().ends_with(",,,,,,,,,,"), "an uncounted benchmark has empty count fields");
        let html = crate::Html::default().render(std::slice::from_ref(&report)).unwrap();
        assert!(html.contains("Counts per iteration") && html.contains("0.995%"));
    }

    #[test]
    fn runs_without_counts_keep_their_tables() {
        let report = crate::fixtures::fixed_report();
        assert!(markup(&crate::markdown::MarkdownSyntax, &report).is_none() && html(&report).is_none());
        assert!(!crate::Csv.render(std::slice::from_ref(&report)).unwrap().contains("instructions"));
    }
}

//! Where, when and how a run was measured, and what went wrong: the
//! environment (host, OS, CPU, clocks, tools), the exact command line, the
//! sampling settings, failures, the hosts of a multi-host run, and the
//! conclusions and tables producers added in `extensions`.

use maud::{html, Markup};
use metron::format::kib;
use metron::model::{Environment, Settings};
use metron::time::Nanos;
use metron::RunRecord;

use crate::wording;

/// The "Conclusions" section: every `extensions.*.conclusions` array of strings.
pub(crate) fn conclusions(r: &RunRecord) -> Markup {
    let found: Vec<(&str, Vec<&str>)> = r
        .extensions
        .iter()
        .filter_map(|(producer, value)| {
            let list = value.get("conclusions")?.as_array()?;
            let lines: Vec<&str> = list.iter().filter_map(|v| v.as_str()).collect();
            (!lines.is_empty()).then_some((producer.as_str(), lines))
        })
        .collect();
    html! {
        @if !found.is_empty() {
            section.conclusions {
                h3 { "Conclusions" }
                @for (producer, lines) in &found {
                    p.muted { "From " code { (producer) } ":" }
                    ul { @for line in lines { li { (line) } } }
                }
            }
        }
    }
}

/// The "Verdict" section: every `extensions.*.verdict` array of strings
/// (a paragraph each), or `None` when no producer gave one.
pub(crate) fn verdict(r: &RunRecord) -> Option<Markup> {
    let paragraphs: Vec<&str> = r
        .extensions
        .values()
        .filter_map(|v| v.get("verdict")?.as_array())
        .flatten()
        .filter_map(|v| v.as_str())
        .collect();
    (!paragraphs.is_empty()).then(|| {
        html! {
            section.verdict {
                h3 { "Verdict" }
                @for p in &paragraphs { p { (p) } }
            }
        }
    })
}

/// Every `extensions.*.tables` entry that is `{title, columns, rows}` with
/// strings for cells (e.g. the concurrency suite's speedups and spawn
/// costs), as a plain table; anything else there is ignored.
pub(crate) fn extension_tables(r: &RunRecord) -> Markup {
    let tables =
        r.extensions.values().filter_map(|v| v.get("tables")?.as_array()).flatten().filter_map(ExtensionTable::read);
    html! { @for t in tables { (t.render()) } }
}

/// A table a producer put in `extensions`.
struct ExtensionTable<'a> {
    title: &'a str,
    columns: Vec<&'a str>,
    rows: Vec<Vec<&'a str>>,
}

/// A Karp–Flatt serial fraction is a fraction: outside [0, 1] (speedup above
/// the parallelism, or a slowdown) the model does not describe the
/// measurement, and the number it gives (`15.03`) means nothing.
fn is_meaningless_serial_fraction(column: &str, cell: &str) -> bool {
    column.to_ascii_lowercase().starts_with("serial fraction")
        && cell.trim().parse::<f64>().is_ok_and(|f| !(0.0..=1.0).contains(&f))
}

impl<'a> ExtensionTable<'a> {
    /// The table, if `v` has a string title, string columns and rows of as
    /// many strings as there are columns.
    fn read(v: &'a serde_json::Value) -> Option<ExtensionTable<'a>> {
        let strings = |v: &'a serde_json::Value| {
            v.as_array()?.iter().map(serde_json::Value::as_str).collect::<Option<Vec<&str>>>()
        };
        let columns = strings(v.get("columns")?)?;
        let rows = v.get("rows")?.as_array()?.iter().map(strings).collect::<Option<Vec<_>>>()?;
        if columns.is_empty() || rows.iter().any(|r| r.len() != columns.len()) {
            return None;
        }
        Some(ExtensionTable { title: v.get("title")?.as_str()?, columns, rows })
    }

    /// Each cell of `row` with whether it is a serial fraction to leave out.
    fn cells(&self, row: &[&'a str]) -> Vec<(&'a str, bool)> {
        self.columns.iter().zip(row).map(|(c, v)| (*v, is_meaningless_serial_fraction(c, v))).collect()
    }

    fn render(&self) -> Markup {
        let footnote = self.rows.iter().any(|row| self.cells(row).iter().any(|(_, bad)| *bad));
        html! {
            h3 { (self.title) }
            div.table-wrap { table.extension {
                thead { tr { @for c in &self.columns { th { (c) } } } }
                tbody {
                    @for row in &self.rows {
                        tr { @for (cell, bad) in self.cells(row) {
                            @if bad { td title=(cell) { "—" sup { "*" } } } @else { td { (cell) } }
                        } }
                    }
                }
            } }
            @if footnote {
                p.note role="note" {
                    "* A Karp–Flatt serial fraction outside [0, 1] is not shown: the measured speedup is above the \
                     parallelism (superlinear, e.g. from caches) or below 1, where the model that defines the \
                     serial fraction does not hold."
                }
            }
        }
    }
}

/// A titled table of plain cells: `<h3>` and `<table class="{class}">`,
/// nothing when there are no rows.
fn titled_table(title: &str, class: &str, columns: &[&str], rows: Vec<Vec<Markup>>) -> Markup {
    html! {
        @if !rows.is_empty() {
            h3 { (title) }
            div.table-wrap { table class=(class) {
                thead { tr { @for c in columns { th { (c) } } } }
                tbody { @for row in &rows { tr { @for cell in row { td { (cell) } } } } }
            } }
        }
    }
}

/// Benchmarks (or hosts) that failed, with the reason.
pub(crate) fn failures(r: &RunRecord) -> Markup {
    let rows = r
        .failures
        .iter()
        .map(|f| vec![html! { (f.name) }, html! { (f.host.as_deref().unwrap_or("")) }, html! { (f.reason) }])
        .collect();
    titled_table("Failures", "failures", &["Benchmark", "Host", "Reason"], rows)
}

/// The hosts of a multi-host run and whether each answered.
pub(crate) fn hosts(r: &RunRecord) -> Markup {
    let status = |error: &Option<String>| match error {
        Some(e) => html! { span.verdict.worse { "failed" } ": " (e) },
        None => html! { span.verdict.better { "ok" } },
    };
    let rows = r
        .hosts
        .iter()
        .map(|h| {
            let machine = h.environment.as_ref().map(machine).unwrap_or_default();
            vec![html! { (h.host) }, html! { (machine) }, status(&h.error)]
        })
        .collect();
    titled_table("Hosts", "hosts", &["Host", "Machine", "Status"], rows)
}

fn machine(e: &Environment) -> String {
    let cpu = e.cpu_model.as_deref().unwrap_or("unknown CPU");
    format!("{} · {} {} {} · {cpu} · {} cores", e.hostname, e.os, e.kernel, e.arch, e.logical_cores)
}

/// Environment, command line and settings.
pub(crate) fn environment(r: &RunRecord) -> Markup {
    let e = &r.environment;
    let tools: Vec<(String, String)> = e.tools.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    html! {
        h3 { "Environment" }
        h4 { "Command line" }
        pre.command-line { code { (wording::command_line(&r.command_line)) } }
        h4 { "Machine" }
        (key_values("environment", &environment_rows(r)))
        @if !e.clocks.is_empty() {
            h4 { "Clocks" }
            div.table-wrap { table.clocks {
                thead { tr {
                    th { "Clock" } th { "Source" } th.num { "Resolution" } th.num { "Observed tick" }
                    th.num { "Read overhead" }
                } }
                tbody { @for c in &e.clocks {
                    tr {
                        td { (c.name) } td { (c.source) } td.num { (Nanos(c.resolution_ns)) }
                        td.num { (Nanos(c.observed_tick_ns)) } td.num { (Nanos(c.read_overhead_ns)) }
                    }
                } }
            } }
        }
        @if !tools.is_empty() {
            h4 { "Tools" }
            (key_values("tools", &tools))
        }
        h4 { "Settings" }
        (key_values("settings", &settings_rows(&r.settings)))
    }
}

fn environment_rows(r: &RunRecord) -> Vec<(String, String)> {
    let e = &r.environment;
    let mut rows = Vec::new();
    if let Some(label) = &r.label {
        rows.push(("label", label.clone()));
    }
    rows.extend([
        ("host", e.hostname.clone()),
        ("operating system", format!("{} {} ({})", e.os, e.kernel, e.arch)),
        ("CPU", e.cpu_model.clone().unwrap_or_else(|| "unknown".into())),
        (
            "cores",
            match e.physical_cores {
                Some(p) => format!("{} logical, {p} physical", e.logical_cores),
                None => format!("{} logical", e.logical_cores),
            },
        ),
    ]);
    if let Some(g) = &e.governor {
        rows.push(("frequency governor", g.clone()));
    }
    if let Some([a, b, c]) = e.load_average {
        rows.push(("load average", format!("{a:.2}, {b:.2}, {c:.2} (1, 5, 15 min)")));
    }
    if let Some(m) = e.memory_bytes {
        rows.push(("memory", kib(m / 1024)));
    }
    if let Some(c) = &e.git_commit {
        let dirty = if e.git_dirty == Some(true) { " (with uncommitted changes)" } else { "" };
        rows.push(("git commit", format!("{c}{dirty}")));
    }
    rows.push(("started", e.started_at.clone()));
    rows.push(("metron", e.metron_version.clone()));
    rows.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn settings_rows(s: &Settings) -> Vec<(String, String)> {
    [
        ("clock", s.clock.to_string()),
        ("precision target", format!("±{}% (95% CI of the median)", s.precision * 100.0)),
        ("time budget", format!("{} s per benchmark", s.time_budget_s)),
        ("samples", format!("{} to {}", s.min_samples, s.max_samples)),
        ("order", if s.interleaved { "interleaved rounds" } else { "one benchmark after another" }.to_string()),
        ("seed", s.seed.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn key_values(class: &str, rows: &[(String, String)]) -> Markup {
    html! {
        div.table-wrap { table class={ "kv " (class) } { tbody {
            @for (k, v) in rows { tr { th scope="row" { (k) } td { (v) } } }
        } } }
    }
}

//! Where, when and how a run was measured, and what went wrong: the
//! environment (host, OS, CPU, clocks, tools), the exact command line, the
//! sampling settings, failures, the hosts of a multi-host run, and the
//! conclusions and tables producers added in `extensions`.

use std::fmt::Write;

use metron::format::kib;
use metron::model::{Environment, Settings};
use metron::time::Nanos;
use metron::RunRecord;

use super::escape::esc;
use crate::wording;

/// The "Conclusions" section: every `extensions.*.conclusions` array of strings.
pub(crate) fn conclusions(out: &mut String, r: &RunRecord) {
    let found: Vec<(&str, Vec<&str>)> = r
        .extensions
        .iter()
        .filter_map(|(producer, value)| {
            let list = value.get("conclusions")?.as_array()?;
            let lines: Vec<&str> = list.iter().filter_map(|v| v.as_str()).collect();
            (!lines.is_empty()).then_some((producer.as_str(), lines))
        })
        .collect();
    if found.is_empty() {
        return;
    }
    out.push_str("<section class=\"conclusions\">\n<h3>Conclusions</h3>\n");
    for (producer, lines) in found {
        let _ = writeln!(out, "<p class=\"muted\">From <code>{}</code>:</p>\n<ul>", esc(producer));
        for line in lines {
            let _ = writeln!(out, "<li>{}</li>", esc(line));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// Every `extensions.*.tables` entry that is `{title, columns, rows}` with
/// strings for cells (e.g. the concurrency suite's speedups and spawn
/// costs), as a plain table; anything else there is ignored.
pub(crate) fn extension_tables(out: &mut String, r: &RunRecord) {
    let tables =
        r.extensions.values().filter_map(|v| v.get("tables")?.as_array()).flatten().filter_map(ExtensionTable::read);
    for t in tables {
        let _ = writeln!(out, "<h3>{}</h3>\n<div class=\"table-wrap\"><table class=\"extension\">", esc(t.title));
        out.push_str("<thead><tr>");
        for c in &t.columns {
            let _ = write!(out, "<th>{}</th>", esc(c));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &t.rows {
            out.push_str("<tr>");
            for cell in row {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></div>\n");
    }
}

/// A table a producer put in `extensions`.
struct ExtensionTable<'a> {
    title: &'a str,
    columns: Vec<&'a str>,
    rows: Vec<Vec<&'a str>>,
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
}

/// Benchmarks (or hosts) that failed, with the reason.
pub(crate) fn failures(out: &mut String, r: &RunRecord) {
    if r.failures.is_empty() {
        return;
    }
    out.push_str("<h3>Failures</h3>\n<div class=\"table-wrap\"><table class=\"failures\">\n");
    out.push_str("<thead><tr><th>Benchmark</th><th>Host</th><th>Reason</th></tr></thead>\n<tbody>\n");
    for f in &r.failures {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&f.name),
            esc(f.host.as_deref().unwrap_or("")),
            esc(&f.reason)
        );
    }
    out.push_str("</tbody></table></div>\n");
}

/// The hosts of a multi-host run and whether each answered.
pub(crate) fn hosts(out: &mut String, r: &RunRecord) {
    if r.hosts.is_empty() {
        return;
    }
    out.push_str("<h3>Hosts</h3>\n<div class=\"table-wrap\"><table class=\"hosts\">\n");
    out.push_str("<thead><tr><th>Host</th><th>Machine</th><th>Status</th></tr></thead>\n<tbody>\n");
    for h in &r.hosts {
        let machine = h.environment.as_ref().map(machine).unwrap_or_default();
        let status = match &h.error {
            Some(e) => format!("<span class=\"verdict worse\">failed</span>: {}", esc(e)),
            None => "<span class=\"verdict better\">ok</span>".to_string(),
        };
        let _ = writeln!(out, "<tr><td>{}</td><td>{}</td><td>{status}</td></tr>", esc(&h.host), esc(&machine));
    }
    out.push_str("</tbody></table></div>\n");
}

fn machine(e: &Environment) -> String {
    let cpu = e.cpu_model.as_deref().unwrap_or("unknown CPU");
    format!("{} · {} {} {} · {cpu} · {} cores", e.hostname, e.os, e.kernel, e.arch, e.logical_cores)
}

/// Environment, command line and settings.
pub(crate) fn environment(out: &mut String, r: &RunRecord) {
    let e = &r.environment;
    out.push_str("<h3>Environment</h3>\n");
    out.push_str("<h4>Command line</h4>\n");
    let _ = writeln!(
        out,
        "<pre class=\"command-line\"><code>{}</code></pre>",
        esc(&wording::command_line(&r.command_line))
    );
    out.push_str("<h4>Machine</h4>\n");
    key_values(out, "environment", &environment_rows(e));
    if !e.clocks.is_empty() {
        out.push_str("<h4>Clocks</h4>\n<div class=\"table-wrap\"><table class=\"clocks\">\n<thead><tr><th>Clock</th><th>Source</th>");
        out.push_str("<th class=\"num\">Resolution</th><th class=\"num\">Observed tick</th><th class=\"num\">Read overhead</th></tr></thead>\n<tbody>\n");
        for c in &e.clocks {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&c.name),
                esc(&c.source),
                Nanos(c.resolution_ns),
                Nanos(c.observed_tick_ns),
                Nanos(c.read_overhead_ns)
            );
        }
        out.push_str("</tbody></table></div>\n");
    }
    if !e.tools.is_empty() {
        let tools: Vec<(String, String)> = e.tools.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        out.push_str("<h4>Tools</h4>\n");
        key_values(out, "tools", &tools);
    }
    out.push_str("<h4>Settings</h4>\n");
    key_values(out, "settings", &settings_rows(&r.settings));
}

fn environment_rows(e: &Environment) -> Vec<(String, String)> {
    let mut rows = vec![
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
    ];
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

fn key_values(out: &mut String, class: &str, rows: &[(String, String)]) {
    let _ = writeln!(out, "<div class=\"table-wrap\"><table class=\"kv {class}\"><tbody>");
    for (k, v) in rows {
        let _ = writeln!(out, "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", esc(k), esc(v));
    }
    out.push_str("</tbody></table></div>\n");
}

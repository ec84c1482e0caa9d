//! The structure of the HTML page: tables, one figure per expected chart,
//! metadata sections, and nothing that runs or fetches.

use metron_report::{render_html, Exporter, Html, ReportError};

use crate::common::{self, Spec};
use crate::{count, figures};

fn rich_page() -> (metron::RunRecord, String) {
    let report = common::rich_report();
    let page = render_html(std::slice::from_ref(&report)).expect("render");
    (report, page)
}

#[test]
fn one_chart_per_expectation() {
    let (report, page) = rich_page();
    let n = report.benchmarks.len();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<table class=\"summary\">"));
    assert_eq!(count(&page, "distribution"), n);
    assert_eq!(count(&page, "samples"), n);
    assert_eq!(count(&page, "regression"), 1, "only `vec push` ran varying iteration counts");
    assert_eq!(count(&page, "ratios"), 2, "paired comparisons and the baseline");
    assert_eq!(count(&page, "overlay"), 1, "the compared commands' distributions on one axis");
    assert_eq!(count(&page, "scaling"), 3, "fib, sum and the implicit `t` scan");
    assert_eq!(count(&page, "speedup"), 1, "only `sum` has a sequential variant");
    assert_eq!(count(&page, "history"), 0, "one run has no history");
    for (kind, body) in figures(&page) {
        assert!(body.contains("<svg") && body.contains("</svg>"), "{kind} figure without an svg");
        assert!(body.contains("<figcaption>"), "{kind} figure without a caption");
    }
}

#[test]
fn chart_ids_are_unique() {
    let (_, page) = rich_page();
    let mut ids: Vec<&str> = page.split(" id=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    let total = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "duplicate element ids");
    assert!(ids.contains(&"r1-b1-distribution") && ids.contains(&"r1-ratios") && ids.contains(&"r1-g2-speedup"));
}

#[test]
fn nothing_runs_and_nothing_is_fetched() {
    let (_, page) = rich_page();
    let lower = page.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script element");
    assert!(!lower.contains("javascript:"));
    assert!(!lower.contains(" onload=") && !lower.contains(" onerror="));
    assert!(!lower.contains("http://") && !lower.contains("https://"), "an absolute URL");
    assert!(!lower.contains("@import") && !lower.contains("url("), "a stylesheet fetch");
    for attr in [" src=\"", " href=\""] {
        for value in page.split(attr).skip(1).filter_map(|s| s.split('"').next()) {
            assert!(value.starts_with('#'), "{attr}{value}\" points outside the page");
        }
    }
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none'"));
}

#[test]
fn summary_shows_statistics_comparisons_and_baseline() {
    let (_, page) = rich_page();
    let summary = page.split("<table class=\"summary\">").nth(1).unwrap().split("</table>").next().unwrap();
    for header in
        ["Median [95% CI]", "Mean ± σ", "Min", "CPU / wall", "Peak RSS", "Relative to reference", "Against baseline"]
    {
        assert!(summary.contains(header), "no {header} column");
    }
    assert!(summary.contains("<a href=\"#r1-b1\">grep foo</a>"));
    assert!(summary.contains(">reference</span>"));
    assert!(summary.contains("faster</span>"), "grep -F is faster than grep");
    assert!(summary.contains("improved</span>"), "everything got faster than the baseline");
    assert!(summary.contains(" MiB</td>"), "peak RSS of commands");
    assert!(summary.contains("0.80</td>"), "CPU / wall of commands");
}

#[test]
fn metadata_sections_are_present() {
    let (report, page) = rich_page();
    let e = &report.environment;
    for fact in [
        &e.hostname,
        &e.kernel,
        e.cpu_model.as_ref().unwrap(),
        e.governor.as_ref().unwrap(),
        e.git_commit.as_ref().unwrap(),
        &e.metron_version,
    ] {
        assert!(page.contains(fact.as_str()), "environment lacks {fact}");
    }
    assert!(page.contains("CLOCK_MONOTONIC") && page.contains("18.50 ns"), "clock overhead");
    assert!(page.contains("python3") && page.contains("3.11.2"), "tools");
    assert!(page.contains("<code>metron -P t 1 5 'sleep 0.{t}' --export-json out.json</code>"), "command line");
    assert!(page.contains("interleaved rounds") && page.contains("±1%"), "settings");
    assert!(page.contains("<table class=\"failures\">") && page.contains("exited with status 1"));
    assert!(page.contains("<table class=\"hosts\">") && page.contains("ssh: connection refused"));
    assert!(page.contains("<h3>Conclusions</h3>") && page.contains("<li>thread-pool is fastest at 8 workers</li>"));
    assert!(page.contains("<h3>Spawn cost</h3>"), "extension table");
    assert!(page.contains("<th>Language</th><th>Thread</th><th>Process</th>"));
    assert!(page.contains("<tr><td>python</td><td>100 µs</td><td>4 ms</td></tr>"));
    assert!(!page.contains("Ragged"), "a table whose rows do not fit its columns is left out");
    assert!(!page.contains("anything"), "unknown extension content is ignored");
    assert!(!page.contains("class=\"note interrupted\""), "the run finished");
    assert!(page.contains("<h3>Against the baseline <code>baseline-main.json</code></h3>"));
    assert!(page.contains("Only in the baseline: <code>retired</code>"));
    assert!(
        page.contains("Note: host differs: &lt;old-box&gt; in the baseline, bench-1 now."),
        "escaped environment note"
    );
}

#[test]
fn interrupted_runs_say_so() {
    let mut report = common::history_run("2024-05-01T12:00:00Z", 1.0, 1);
    report.interrupted = true;
    let page = render_html(&[report]).unwrap();
    assert!(page.contains("<p class=\"note interrupted\" role=\"note\">This run was interrupted"));
}

#[test]
fn long_runs_are_decimated() {
    let mut report = common::run(&["metron"], "h", "2024-05-01T12:00:00Z");
    report.benchmarks = vec![common::bench(&Spec::closure("long", 100.0, 3).samples(20_000))];
    // Rendering speed is measured by scripts/bench-report.sh, not asserted
    // here; the point count and page size below guard the decimation.
    let page = render_html(&[report]).unwrap();
    let samples = figures(&page).into_iter().find(|(k, _)| *k == "samples").unwrap().1;
    let points = samples.matches("<circle").count();
    assert!((300..=600).contains(&points), "{points} points drawn");
    assert!(samples.contains(" of 20000 samples drawn: the fastest and slowest of every 67 consecutive ones."));
    assert!(page.len() < 400_000, "page of {} bytes", page.len());
}

#[test]
fn axes_name_their_units() {
    let (_, page) = rich_page();
    for desc in [
        "wall time per iteration (ms)",
        "wall time per iteration (ns)",
        "wall time per sample (µs)",
        "time per iteration (µs)",
        "speedup over sequential (×)",
        "candidate time / reference time (log scale)",
    ] {
        assert!(page.contains(desc), "no axis titled {desc}");
    }
}

#[test]
fn nothing_to_show_is_an_error() {
    assert!(matches!(render_html(&[]), Err(ReportError::Empty)));
    let empty = common::run(&["metron"], "h", "2024-05-01T12:00:00Z");
    assert!(matches!(Html::default().render(&[empty]), Err(ReportError::Empty)));
    assert_eq!(ReportError::Empty.to_string(), "no benchmarks to report");
    assert_eq!(Html::default().extension(), "html");
}

#[test]
fn a_run_with_only_failures_still_renders() {
    let mut report = common::run(&["metron", "false"], "h", "2024-05-01T12:00:00Z");
    report.failures.push(metron::model::Failure { name: "false".into(), host: None, reason: "exit 1".into() });
    let page = render_html(&[report]).unwrap();
    assert!(page.contains("<table class=\"failures\">") && !page.contains("<table class=\"summary\">"));
}

#[test]
fn degenerate_benchmarks_still_render() {
    let mut report = common::run(&["metron"], "h", "2024-05-01T12:00:00Z");
    let mut one = common::fixed_bench("one sample", 1_000.0);
    one.samples.truncate(1);
    let mut flat = common::fixed_bench("all equal", 5.0);
    flat.samples = vec![flat.samples[0].clone(); 50];
    let mut negative = common::fixed_bench("below the shell's start-up", -20.0);
    negative.samples.iter_mut().enumerate().for_each(|(i, s)| s.wall_ns = i as f64 * 30.0 - 20.0);
    let mut empty = common::fixed_bench("no samples", 0.0);
    empty.samples.clear();
    let mut scan: Vec<_> = (0..3).map(|t| common::fixed_bench(&format!("scan {t}"), 0.0)).collect();
    for (t, b) in scan.iter_mut().enumerate() {
        b.parameters.insert("t".into(), t.to_string());
    }
    report.benchmarks = vec![one, flat, negative, empty];
    report.benchmarks.extend(scan);
    let page = render_html(&[report]).expect("degenerate data renders");
    assert_eq!(count(&page, "distribution"), 6, "every benchmark with samples");
    assert_eq!(count(&page, "scaling"), 1);
}

#[test]
fn many_runs_keep_per_benchmark_charts_for_the_last_only() {
    let run = |started: &str| {
        let mut r = common::large_report(110, 12);
        r.environment.started_at = started.to_string();
        r
    };
    let page = render_html(&[run("2024-05-01T00:00:00Z"), run("2024-05-02T00:00:00Z")]).unwrap();
    assert_eq!(count(&page, "distribution"), 110, "only the last run's benchmarks");
    assert!(page.contains("Charts per benchmark are shown for the last run only"));
    assert!(!page.contains("href=\"#r1-b1\""), "no links to charts that are not there");
    assert!(page.contains("href=\"#r2-b1\""));
    assert!(page.len() < 6_000_000, "{} bytes", page.len());
}

#[test]
fn a_producer_with_a_verdict_leads_with_pictures_then_verdict_then_tables() {
    let mut report = common::rich_report();
    report.extensions.insert(
        "suite".into(),
        serde_json::json!({
            "verdict": ["sum: use threads ×2, 1.9× faster than sequential."],
            "conclusions": ["a long list of findings"],
            "tables": [{"title": "Speedup table", "columns": ["a"], "rows": [["1"]]}],
        }),
    );
    let page = render_html(std::slice::from_ref(&report)).expect("render");
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle} missing"));
    let order = [
        at("<h3>Scaling</h3>"),
        at("<h3>Verdict</h3>"),
        at("Speedup table"),
        at("class=\"summary\""),
        at("<h3>Conclusions</h3>"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(page.contains("<p>sum: use threads ×2, 1.9× faster than sequential.</p>"));
    assert_eq!(count(&page, "speedup"), 1, "the charts are drawn once");

    // Without a verdict the conclusions stay the headline.
    let plain = render_html(std::slice::from_ref(&common::rich_report())).expect("render");
    assert!(!plain.contains("<h3>Verdict</h3>"));
}

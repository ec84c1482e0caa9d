//! The report in a real browser: headless Chromium loads a generated page
//! from a `file://` URL, and the test checks the rendered DOM (summary table,
//! every kind of chart with an `<svg>` inside, hostile names shown as text),
//! that the console stayed free of script errors and refused fetches, and
//! that a screenshot of the page is more than a blank image.
//!
//! Chromium is found at `$METRON_CHROMIUM`, else `/usr/bin/chromium`. When it
//! is missing the test fails and says how to install it, unless
//! `METRON_SKIP_BROWSER=1` is set.

#[path = "chromium/mod.rs"]
mod chromium;
#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;

use chromium::{check_console, chromium_or_skip, run_chromium};

const CHART_KINDS: &[&str] =
    &["distribution", "samples", "regression", "ratios", "overlay", "scaling", "speedup", "history"];

/// The `<figure …>…</figure>` elements of the DOM, with their `data-chart`.
fn figures(dom: &str) -> Vec<(String, &str)> {
    dom.split("<figure")
        .skip(1)
        .map(|f| {
            let body = f.split("</figure>").next().unwrap_or("");
            let kind = body.split("data-chart=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("").to_string();
            (kind, body)
        })
        .collect()
}

fn page() -> PathBuf {
    let reports = vec![
        common::history_run("2024-04-29T09:00:00Z", 1.0, 1),
        common::history_run("2024-04-30T09:00:00Z", 1.1, 2),
        common::rich_report(),
        common::hostile_report(),
    ];
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-report");
    let _ = std::fs::remove_dir_all(&dir);
    metron_report::write_site(&reports, &dir).expect("write the site")
}

#[test]
fn report_renders_in_chromium() {
    let Some(chromium) = chromium_or_skip() else { return };
    let index = page();
    let url = format!("file://{}", index.display().to_string().replace(' ', "%20"));

    let dom = run_chromium(&chromium, &["--dump-dom".to_string()], &url);
    check_dom(&dom.stdout);
    check_console(&dom.stderr);

    let shot = index.with_file_name("report.png");
    let _ = std::fs::remove_file(&shot);
    let action = [format!("--screenshot={}", shot.display()), "--window-size=1280,4000".to_string()];
    let out = run_chromium(&chromium, &action, &url);
    check_console(&out.stderr);
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10 * 1024, "screenshot {} is {size} bytes; stderr:\n{}", shot.display(), out.stderr);
    println!("screenshot: {} ({size} bytes)", shot.display());
    println!("page:       {}", index.display());
}

fn check_dom(dom: &str) {
    assert!(
        dom.contains("<table class=\"summary\""),
        "no summary table in the rendered DOM:\n{}",
        &dom[..dom.len().min(2000)]
    );
    let figures = figures(dom);
    for kind in CHART_KINDS {
        let matching: Vec<_> = figures.iter().filter(|(k, _)| k == kind).collect();
        assert!(!matching.is_empty(), "no {kind} chart in the rendered DOM");
        assert!(matching.iter().all(|(_, body)| body.contains("<svg")), "a {kind} figure has no <svg>");
    }
    assert!(!dom.contains("<script"), "a script element made it into the DOM");
    assert!(!dom.contains("<img"), "an img element made it into the DOM");
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile name is not shown as text");
    assert!(dom.contains("<h3>Conclusions</h3>"), "no conclusions section");
    assert!(dom.contains("class=\"note interrupted\""), "the interrupted run has no note");
}

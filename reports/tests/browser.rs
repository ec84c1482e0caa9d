//! The report in a real browser: headless Chromium loads a generated page
//! from a `file://` URL, and the test checks the rendered DOM (summary table,
//! every kind of chart with an `<svg>` inside, hostile names shown as text),
//! that the console stayed free of script errors and refused fetches, and
//! that a screenshot of the page is more than a blank image.
//!
//! Chromium is found at `$METRON_CHROMIUM`, else `/usr/bin/chromium`. When it
//! is missing the test fails and says how to install it, unless
//! `METRON_SKIP_BROWSER=1` is set.

#[path = "common/mod.rs"]
mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A hang guard only: Chromium's first start on a cold, loaded CI machine can be slow.
const TIMEOUT: Duration = Duration::from_secs(180);
const CHART_KINDS: &[&str] =
    &["distribution", "samples", "regression", "ratios", "overlay", "scaling", "speedup", "history"];

/// The Chromium to use, or the path where it was looked for.
fn chromium() -> Result<PathBuf, PathBuf> {
    let path = std::env::var_os("METRON_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if path.is_file() {
        Ok(path)
    } else {
        Err(path)
    }
}

/// What a Chromium run printed.
struct Output {
    stdout: String,
    stderr: String,
}

/// Runs Chromium headless on `url` with `action` flags, killing it after [`TIMEOUT`].
fn run_chromium(chromium: &Path, action: &[String], url: &str) -> Output {
    let profile = tempfile::tempdir().expect("temporary profile directory");
    let mut child = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .args(["--disable-dev-shm-usage", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(action)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium.display()));
    let pipe = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let stdout = pipe(Box::new(child.stdout.take().unwrap()));
    let stderr = pipe(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {TIMEOUT:?}; stderr:\n{}", stderr.join().unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Output { stdout: stdout.join().unwrap_or_default(), stderr: stderr.join().unwrap_or_default() }
}

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
    let chromium = match chromium() {
        Ok(path) => path,
        Err(_) if std::env::var("METRON_SKIP_BROWSER").is_ok_and(|v| v == "1") => {
            eprintln!("browser test skipped: METRON_SKIP_BROWSER=1 and no Chromium found");
            return;
        }
        Err(path) => panic!(
            "Chromium not found at {} ($METRON_CHROMIUM, else /usr/bin/chromium): install it with \
             `apt-get install -y chromium`, point METRON_CHROMIUM at a Chromium binary, or set \
             METRON_SKIP_BROWSER=1 to skip this test",
            path.display()
        ),
    };
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

fn check_console(stderr: &str) {
    let bad: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("Uncaught") || l.contains("CONSOLE") || l.contains("Refused to"))
        .collect();
    assert!(bad.is_empty(), "console errors or refused fetches:\n{}", bad.join("\n"));
}

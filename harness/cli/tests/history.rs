//! `metron history` and `--history`, run for real: the real binary, real
//! SQLite files, a real PostgreSQL server, real `kill -9`, real headless
//! Chromium for the dashboard. Runs fed to `history add` are synthetic
//! (real `metron::analysis` results of made-up samples), so the findings
//! hold whatever the machine's load.

#[path = "../../../reports/tests/chromium/mod.rs"]
mod chromium;
#[path = "../../history/tests/history/fixtures.rs"]
mod fixtures;
#[path = "../../history/tests/history/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use metron::stats::{seeded, standard_normal};

fn metron(args: &[&str], dir: &Path) -> Output {
    Command::new(assert_cmd::cargo::cargo_bin("metron"))
        .args(args)
        .current_dir(dir)
        .env_remove("METRON_HISTORY")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Writes runs of `bench` at `levels` (ns) with 1% run-level noise and adds
/// each to `history` as commit c1, c2, ….
fn add_series(dir: &Path, history: &str, bench: &str, levels: &[f64], seed: u64) {
    let mut rng = seeded(seed);
    for (i, level) in levels.iter().enumerate() {
        let noisy = level * (0.01 * standard_normal(&mut rng)).exp();
        let record = fixtures::run(bench, noisy, i as u32, seed * 1000 + i as u64);
        let file = dir.join(format!("run-{seed}-{i}.json"));
        std::fs::write(&file, record.to_json()).unwrap();
        let out = metron(
            &["history", "add", file.to_str().unwrap(), "--commit", &format!("c{}", i + 1), "--history", history],
            dir,
        );
        assert!(out.status.success(), "history add: {}", text(&out.stderr));
    }
}

/// 10 runs as `sleep 0.010` measures and 6 as `sleep 0.0115` does (about +14%).
fn step_levels() -> Vec<f64> {
    let mut levels = vec![10.1e6; 10];
    levels.extend([11.55e6; 6]);
    levels
}

#[test]
fn check_names_the_commit_of_a_step_and_gates_on_it() {
    let dir = tempfile::tempdir().unwrap();
    add_series(dir.path(), "h.db", "sleep", &step_levels(), 1);
    let out = metron(&["history", "check", "--fail-on-regression", "--history", "h.db"], dir.path());
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("sleep on ci-1: 16 runs, 1 change point"), "{stdout}");
    let line = stdout.lines().find(|l| l.contains("change point at c11:")).unwrap_or_else(|| panic!("{stdout}"));
    let size: f64 = line.split(": +").nth(1).and_then(|s| s.split('%').next()).unwrap().parse().unwrap();
    assert!((size - 14.4).abs() < 2.0, "size {size}%: {line}");
    assert!(line.contains("regression"), "{line}");

    // A larger threshold, or a --since after the change, passes the gate.
    let out = metron(&["history", "check", "--fail-on-regression=20%", "--history", "h.db"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = metron(&["history", "check", "--fail-on-regression", "--since", "c12", "--history", "h.db"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("(before --since)"));
    let out = metron(&["history", "check", "--since", "nope", "--history", "h.db"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).trim(), "Error: --since nope: no run of that commit in the history h.db");

    let out = metron(&["history", "check", "--json", "--history", "h.db"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["series"][0]["change_points"][0]["commit"], "c11");
    assert_eq!(json["series"][0]["latest"], "regressed");
}

#[test]
fn a_steady_series_has_no_change_point() {
    let dir = tempfile::tempdir().unwrap();
    add_series(dir.path(), "h.db", "steady", &[10.1e6; 16], 2);
    let out = metron(&["history", "check", "--fail-on-regression", "--history", "h.db"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout).trim(), "steady on ci-1: 16 runs, no change point");
}

#[test]
fn show_prints_the_series_and_refuses_an_unknown_benchmark() {
    let dir = tempfile::tempdir().unwrap();
    add_series(dir.path(), "h.db", "sleep", &step_levels(), 3);
    let out = metron(&["history", "show", "sleep", "--history", "h.db"], dir.path());
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(stdout.lines().filter(|l| l.contains("2026-01-01T")).count(), 16, "{stdout}");
    let marker = stdout.lines().position(|l| l.contains("--- change point at c11")).expect("marked change point");
    assert!(stdout.lines().nth(marker + 1).unwrap().contains("c11"), "{stdout}");

    let out = metron(&["history", "show", "slep", "--history", "h.db"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).trim(), "Error: no benchmark 'slep' in the history h.db (it has 'sleep')");
    let out = metron(&["history", "show", "x", "--history", "none.db"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("none.db: no history there"), "{}", text(&out.stderr));
    assert!(!dir.path().join("none.db").exists());
}

#[test]
fn bad_databases_get_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("corrupt.db"), vec![0x5a; 4096]).unwrap();
    let run = fixtures::run("x", 1e6, 0, 1);
    std::fs::write(dir.path().join("run.json"), run.to_json()).unwrap();
    let mut empty = run.clone();
    empty.benchmarks.clear();
    std::fs::write(dir.path().join("empty.json"), empty.to_json()).unwrap();
    let cases = [
        (vec!["history", "show", "x", "--history", "corrupt.db"], "corrupt.db: not a metron history"),
        (vec!["history", "add", "run.json", "--history", "corrupt.db"], "corrupt.db: not a metron history"),
        (vec!["--history=corrupt.db", "-r", "2", "true"], "corrupt.db: not a metron history"),
        (vec!["history", "add", "missing.json", "--history", "h.db"], "missing.json"),
        (
            vec!["history", "add", "run.json", "empty.json", "--history", "h.db"],
            "empty.json: the run has no benchmarks",
        ),
        (vec!["history", "check", "--history", "postgres://metron@127.0.0.1:1/perf"], "cannot connect to PostgreSQL"),
    ];
    for (args, expected) in cases {
        let out = metron(&args, dir.path());
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("Error: ") && stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // Nothing was measured against the corrupt file, and it is untouched;
    // a bad file among several adds none of them.
    assert_eq!(std::fs::read(dir.path().join("corrupt.db")).unwrap(), vec![0x5a; 4096]);
    assert!(!dir.path().join("h.db").exists());
}

#[test]
fn a_measured_run_is_appended_as_it_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let out = metron(&["--history", "-r", "3", "-n", "t", "true"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("added run 1 to the history .metron/history.db"), "{}", text(&out.stderr));
    let out = metron(&["history", "show", "t"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("t on "), "{}", text(&out.stdout));
}

/// The runs in the history file and, for each, whether every result is there.
fn runs_in(db: &Path) -> Vec<(i64, i64)> {
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
             assert c.execute('PRAGMA integrity_check').fetchone()[0]=='ok'; \
             [print(r[0], r[1]) for r in c.execute('SELECT r.id, COUNT(s.run_id) FROM runs r LEFT JOIN results s ON s.run_id = r.id GROUP BY r.id')]",
        )
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "integrity check: {}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .map(|l| {
            let (a, b) = l.split_once(' ').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect()
}

fn kill_9(child: &mut std::process::Child) {
    // SAFETY: kill with a pid of our own child and SIGKILL has no memory effects.
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    let _ = child.wait();
}

#[test]
fn kill_9_leaves_a_readable_history_with_each_run_whole_or_absent() {
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("metron");
    // One complete run, then one killed while it measures.
    let out = metron(&["--history=h.db", "-r", "3", "-n", "quick", "true"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut child = Command::new(&bin)
        .args(["--history=h.db", "-r", "50", "-n", "slow", "sleep 0.2"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    kill_9(&mut child);
    let out = metron(&["history", "show", "quick", "--history", "h.db"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("quick on "), "{}", text(&out.stdout));
    assert_eq!(runs_in(&dir.path().join("h.db")), vec![(1, 1)]);

    // Killed while writing: many runs of many benchmarks, each its own transaction.
    let mut record = fixtures::run("b0", 1e6, 0, 7);
    let template = record.benchmarks[0].clone();
    record.benchmarks =
        (0..200).map(|i| metron::BenchmarkResult { name: format!("b{i}"), ..template.clone() }).collect();
    let files: Vec<PathBuf> = (0..60)
        .map(|i| {
            let f = dir.path().join(format!("big{i}.json"));
            std::fs::write(&f, record.to_json()).unwrap();
            f
        })
        .collect();
    let mut child = Command::new(&bin)
        .args(["history", "add", "--history", "h.db"])
        .args(&files)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first run to be in, then kill it in the middle of the others.
    let started = Instant::now();
    while runs_in(&dir.path().join("h.db")).len() < 2 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    kill_9(&mut child);
    let runs = runs_in(&dir.path().join("h.db"));
    assert!(runs.len() >= 2, "{runs:?}");
    assert!(runs.iter().skip(1).all(|&(_, results)| results == 200), "a run was stored in part: {runs:?}");
    let out = metron(&["history", "show", "b7", "--history", "h.db"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn postgres_history_from_the_command_line() {
    let Some(server) = server::start_or_skip() else { return };
    let url = server.database("cli");
    let dir = tempfile::tempdir().unwrap();
    add_series(dir.path(), &url, "sleep", &step_levels(), 4);
    let out = metron(&["history", "check", "--fail-on-regression", "--history", &url], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("change point at c11:"), "{}", text(&out.stdout));
    let flag = format!("--history={url}");
    let out = metron(&[&flag, "-r", "3", "true"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn the_dashboard_renders_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    add_series(dir.path(), "h.db", "sleep", &step_levels(), 5);
    add_series(dir.path(), "h.db", "steady", &[2e6; 16], 6);
    add_series(dir.path(), "h.db", "<script>alert(1)</script>", &[5e5; 16], 7);
    let site = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("history-dashboard");
    let _ = std::fs::remove_dir_all(&site);
    let out = metron(&["history", "report", "-o", site.to_str().unwrap(), "--history", "h.db"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let index = site.join("index.html");
    let page = std::fs::read_to_string(site.join("b2.html")).unwrap();
    assert!(page.contains("<h1>sleep</h1>"), "benchmarks are in name order");

    let Some(chromium) = chromium::chromium_or_skip() else { return };
    let url = |p: &Path| format!("file://{}", p.display());
    let dom = chromium::run_chromium(&chromium, &["--dump-dom".to_string()], &url(&index));
    chromium::check_console(&dom.stderr);
    let cards: Vec<&str> = dom.stdout.split("<article class=\"card\"").skip(1).collect();
    assert_eq!(cards.len(), 3, "{}", dom.stdout);
    for card in &cards {
        assert!(
            card.contains("data-chart=\"sparkline\"") && card.contains("<svg"),
            "a card without a sparkline: {card}"
        );
    }
    assert!(cards.iter().any(|c| c.contains("data-verdict=\"regressed\"") && c.contains(">sleep<")));
    assert!(dom.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !dom.stdout.contains("<script"));

    let detail = chromium::run_chromium(&chromium, &["--dump-dom".to_string()], &url(&site.join("b2.html")));
    chromium::check_console(&detail.stderr);
    let figure = detail.stdout.split("data-chart=\"series\"").nth(1).expect("a series chart");
    assert!(figure.contains("<svg") && figure.contains("c11 +1"), "the change point is not marked in the chart");
    assert!(detail.stdout.contains("<table class=\"change-points\""));

    let shot = site.join("dashboard.png");
    let action = [format!("--screenshot={}", shot.display()), "--window-size=1280,900".to_string()];
    let out = chromium::run_chromium(&chromium, &action, &url(&site.join("b2.html")));
    chromium::check_console(&out.stderr);
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10 * 1024, "screenshot {} is {size} bytes", shot.display());
    println!("screenshot: {} ({size} bytes)", shot.display());
}

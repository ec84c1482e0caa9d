//! `metron suite concurrency`, run for real: the `metron` binary re-run as
//! worker processes, a real `python3`, tiny task sizes. These tests check
//! what the run writes and says, never how fast anything was.

use std::path::Path;

use assert_cmd::Command;
use metron::RunRecord;
use predicates::prelude::*;

fn metron() -> Command {
    let mut c = Command::cargo_bin("metron").unwrap();
    c.env_remove("NO_COLOR").env_remove("METRON_SUITE_FAULT");
    c
}

/// A quick run with tiny tasks and short sampling into `dir`.
fn small_run(dir: &Path) -> Command {
    let mut c = metron();
    c.args(["suite", "concurrency", "--quick", "--size", "0.1", "--tasks", "4", "--time-budget", "10ms"])
        .args(["--min-runs", "3", "-q", "-o"])
        .arg(dir);
    c
}

fn load(path: &Path) -> RunRecord {
    RunRecord::load(path).unwrap_or_else(|e| panic!("{e}"))
}

const WORKLOADS: [&str; 4] = ["cpu", "io", "mixed", "transfer"];

#[test]
fn a_quick_run_writes_json_html_and_computed_conclusions() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path()).args(["--workers", "1,2"]).assert().success().get_output().stdout.clone();
    let stdout = String::from_utf8(out).unwrap();

    let report = load(&dir.path().join("suite.json"));
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    // Per language: two spawn benchmarks, then per workload sequential and
    // every other variant at 1 and 2 workers (Python has no rayon).
    assert_eq!(report.benchmarks.len(), (2 + 4 * (1 + 5 * 2)) + (2 + 4 * (1 + 4 * 2)));
    for b in &report.benchmarks {
        let group = b.group.as_deref().unwrap();
        let lang = &b.parameters["lang"];
        assert!(group.ends_with(&format!("/{lang}")), "{group}");
        assert!(b.samples.len() >= 3 && b.cpu.is_some(), "{}", b.id());
    }
    assert!(report.environment.tools.get("python3").is_some_and(|v| v.starts_with("3.")));

    let suite = &report.extensions["suite"];
    let conclusions: Vec<&str> = suite["conclusions"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    for lang in ["rust", "python"] {
        for w in WORKLOADS {
            let group = format!("{w}/{lang}");
            // The first line of each workload names a variant and a factor with its CI.
            let line = conclusions.iter().find(|l| l.starts_with(&format!("{group}: "))).expect(&group);
            assert!(line.contains(" ×") && line.contains("95% CI"), "{line}");
            assert!(stdout.contains(&format!("  {line}")), "conclusion not printed: {line}");
        }
        let spawn = conclusions.iter().find(|l| l.starts_with(&format!("{lang}: starting one thread"))).unwrap();
        assert!(spawn.contains("one process"), "{spawn}");
    }
    let figures = &suite["figures"];
    assert_eq!(figures["workloads"].as_array().unwrap().len(), 8);
    assert_eq!(figures["spawn"].as_array().unwrap().len(), 2);
    assert!(figures["workloads"][0]["variants"][0]["speedup"]["ci"]["lo"].is_number());

    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(html.contains("<h3>Conclusions</h3>"));
    assert!(html.contains("Speedup over sequential") && html.contains("<table class=\"extension\">"));
    assert!(html.contains("data-chart=\"scaling\"") && html.contains("data-chart=\"speedup\""));
    assert!(stdout.contains("cpu/rust: 4 tasks ×") && stdout.contains("process-pool ×2"));
}

#[test]
fn a_crashing_worker_fails_its_variants_and_the_rest_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("copy.json");
    small_run(&dir.path().join("out"))
        .args(["--lang", "rust", "--workloads", "cpu", "--workers", "2", "--export-json"])
        .arg(&json)
        .env("METRON_SUITE_FAULT", "crash")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("processes ×2 FAILED: worker"))
        .stdout(predicate::str::contains("Conclusions:"))
        .stderr(predicate::str::contains("SIGABRT"));
    let report = load(&json);
    let failed: Vec<&str> = report.failures.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(failed, ["spawn/rust/process", "cpu/rust/processes ×2", "cpu/rust/process-pool ×2"]);
    assert!(report.failures.iter().all(|f| f.reason.contains("killed by signal 6 (SIGABRT)")), "{:?}", report.failures);
    let measured: Vec<String> = report.benchmarks.iter().map(|b| b.id()).collect();
    assert_eq!(
        measured,
        [
            "spawn/rust/thread",
            "cpu/rust/sequential",
            "cpu/rust/threads ×2",
            "cpu/rust/thread-pool ×2",
            "cpu/rust/rayon ×2"
        ]
    );
    let conclusions = report.extensions["suite"]["conclusions"].to_string();
    assert!(conclusions.contains("cpu/rust/process-pool ×2 FAILED"), "{conclusions}");
    let html = std::fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(html.contains("<table class=\"failures\">") && html.contains("SIGABRT"));
}

#[test]
fn bad_arguments_are_one_line_and_exit_2() {
    let cases: [(&[&str], &str); 11] = [
        (&["suite", "parallel"], "unknown suite 'parallel' (available: concurrency)"),
        (&["suite", "concurrency", "--workers", "0"], "worker counts must be at least 1"),
        (&["suite", "concurrency", "--workloads", "gpu"], "unknown workload 'gpu'"),
        (&["suite", "concurrency", "--variants", "fibers"], "unknown variant 'fibers'"),
        (&["suite", "concurrency", "--size", "-1"], "--size must be a positive number"),
        (&["suite", "concurrency", "--size", "1e30"], "--size must be at most 1000 (got 1e30)"),
        (&["suite", "concurrency", "--workers", "2,99999999999"], "--workers 99999999999: at most 1024 workers"),
        (&["suite", "concurrency", "--workers", "100000"], "--workers 100000: at most 1024 workers"),
        (&["suite", "concurrency", "--tasks", "99999999999"], "--tasks 99999999999: at most 10000 tasks"),
        (&["suite", "concurrency", "--tasks", "5000"], "transfer/rust: 5000 tasks × 1024 KiB is more than 1024 MiB"),
        (&["suite", "concurrency", "--time-budget", "1e30"], "'1e30' is too long a duration"),
    ];
    for (args, message) in cases {
        let assert = metron().args(args).assert().code(2).stdout("");
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(message) && stderr.lines().count() == 1, "{args:?}: {stderr}");
    }
}

#[test]
fn a_missing_python_is_an_error_for_python_and_a_failure_within_all() {
    let dir = tempfile::tempdir().unwrap();
    metron()
        .args(["suite", "concurrency", "--lang", "python", "--interpreter", "/no/such/python3", "-o"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("Error: python: cannot run '/no/such/python3'"));
    small_run(dir.path())
        .args(["--workloads", "io", "--variants", "threads", "--workers", "2", "--interpreter", "/no/such/python3"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the Python half of the suite is skipped"));
    let report = load(&dir.path().join("suite.json"));
    assert!(report.benchmarks.iter().all(|b| b.parameters["lang"] == "rust") && !report.benchmarks.is_empty());
    let failed: Vec<&str> = report.failures.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(failed, ["spawn/python/*", "io/python/*"]);
}

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

/// The example files of bench-suites/examples.
fn example(name: &str) -> String {
    format!("{}/../../bench-suites/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A short run of the user's own workload into `dir`.
fn user_run(dir: &Path) -> Command {
    let mut c = metron();
    c.args(["suite", "concurrency", "--workers", "2", "--time-budget", "10ms", "--min-runs", "3", "-o"]).arg(dir);
    c
}

#[test]
fn a_python_function_runs_as_every_variant_with_a_verdict_and_the_cores_it_had() {
    let dir = tempfile::tempdir().unwrap();
    let out = user_run(dir.path())
        .args(["--python", &format!("{}:fetch", example("io_bound.py")), "--inputs-expr", "range(4)"])
        .args(["--start-method", "spawn"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(out).unwrap();
    let report = load(&dir.path().join("suite.json"));
    let user: Vec<String> = report
        .benchmarks
        .iter()
        .filter(|b| b.group.as_deref() == Some("user/python"))
        .map(|b| b.name.clone())
        .collect();
    assert_eq!(user, ["sequential", "threads ×2", "processes ×2", "thread-pool ×2", "process-pool ×2"]);
    assert_eq!(report.environment.tools["python3 start method"], "spawn");
    let suite = &report.extensions["suite"];
    assert_eq!(suite["user"]["items"], 4);
    assert!(suite["user"]["pickle"]["results"]["bytes_per_value"].as_f64().unwrap() > 0.0);
    assert!(suite["workloads"]["user/python"].as_str().unwrap().starts_with("4 items × fetch (io_bound.py)"));
    let verdict = suite["verdict"][0].as_str().unwrap();
    assert!(verdict.starts_with("user/python: "), "{verdict}");
    assert!(stdout.contains(&format!("Verdict:\n  {verdict}")), "{stdout}");
    // The calibration ran around the group and its reading is in the JSON and on the terminal.
    let available = &suite["figures"]["workloads"][0]["available"];
    assert!(available["allowed"].as_u64().unwrap() >= 1 && available["measured"].as_f64().unwrap() > 0.0);
    assert!(stdout.contains("  available: ") || stdout.contains("  warning: only "), "{stdout}");
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(html.contains("Parallelism available during each group"));
}

#[test]
fn user_errors_fail_their_variants_with_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let faulty = |f: &str| format!("{}:{f}", example("faulty.py"));
    let assert = user_run(dir.path())
        .args(["--python", &faulty("where"), "--inputs-expr", "range(3)", "--variants", "threads,process-pool"])
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let line = stderr.lines().find(|l| l.contains("process-pool ×2")).expect(&stderr);
    assert!(line.contains("wrong result for item 0 (0) under process-pool ×2"), "{line}");
    let report = load(&dir.path().join("suite.json"));
    let names: Vec<&str> = report.failures.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["user/python/process-pool ×2"]);
    assert!(report.benchmarks.iter().any(|b| b.id() == "user/python/threads ×2"), "the rest is still reported");

    let assert =
        user_run(dir.path()).args(["--python", &faulty("parse"), "--inputs-expr", "range(5)"]).assert().code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("faulty.py:parse: item 3 (3): ValueError: invalid literal"), "{stderr}");
    assert!(stderr.contains("Traceback (most recent call last):\n  File \""), "{stderr}");

    let assert =
        user_run(dir.path()).args(["--python", &faulty("square"), "--inputs-expr", "range(3)"]).assert().code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("square cannot be pickled") && stderr.contains("module-level function"), "{stderr}");
}

#[test]
fn a_shell_command_runs_over_items_sequentially_and_n_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("items.txt");
    let files: Vec<String> = (0..3)
        .map(|k| {
            let path = dir.path().join(format!("f{k}.txt"));
            std::fs::write(&path, "metron ".repeat(5000)).unwrap();
            path.display().to_string()
        })
        .collect();
    std::fs::write(&list, files.join("\n") + "\n\n").unwrap();
    user_run(&dir.path().join("out"))
        .args(["--command", "gzip -9 -c {item}", "--items-from"])
        .arg(&list)
        .assert()
        .success();
    let report = load(&dir.path().join("out/suite.json"));
    let names: Vec<String> = report.benchmarks.iter().map(|b| b.id()).collect();
    assert_eq!(names, ["user/shell/sequential", "user/shell/processes ×2"]);
    assert_eq!(report.extensions["suite"]["workloads"]["user/shell"], "3 items × gzip -9 -c {item}");

    let missing = format!("{},{}", files[0], dir.path().join("nope").display());
    let assert =
        user_run(&dir.path().join("out")).args(["--command", "gzip -9 -c {item}", "--items", &missing]).assert();
    let stderr = String::from_utf8(assert.code(1).get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("nope' (`gzip -9 -c ") && stderr.contains("exit status 1"), "{stderr}");
}

#[test]
fn user_workload_flags_are_checked_before_anything_runs() {
    let cases: [(&[&str], &str); 4] = [
        (&["--python", "w.py:f"], "--python needs its items"),
        (&["--command", "gzip {item}"], "--command needs its items"),
        (&["--command", "gzip -c", "--items", "a"], "has no {item}"),
        (&["--command", "gzip {item}", "--items", "a", "--tasks", "3"], "--tasks is for the built-in workloads"),
    ];
    for (args, message) in cases {
        let assert = metron().args(["suite", "concurrency"]).args(args).assert().code(2).stdout("");
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(message) && stderr.lines().count() == 1, "{args:?}: {stderr}");
    }
}

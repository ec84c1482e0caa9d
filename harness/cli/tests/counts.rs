//! `--clock instructions` on commands, run for real: the real Valgrind (or
//! hardware counters where the machine has them), real child processes.

use assert_cmd::Command;
use metron::RunRecord;
use predicates::prelude::*;

fn metron() -> Command {
    let mut c = Command::cargo_bin("metron").unwrap();
    c.env_remove("NO_COLOR").env_remove(metron::counter::BACKEND_ENV).env_remove("METRON_VALGRIND");
    c
}

/// A file for gzip to compress: a few kilobytes of text.
fn input(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("input.txt");
    let text: String = (0..400).map(|i| format!("line {i} of the input, with some words to compress\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_command_counts_the_same_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let line = format!("gzip -9 -c {}", input(dir.path()).display());
    metron()
        .args(["--clock", "instructions", "--export-json"])
        .arg(&json)
        .arg(&line)
        .assert()
        .success()
        .stdout(predicate::str::contains("Instructions per iteration (median, 95% CI)"))
        .stdout(predicate::str::contains("Counted by"));
    let record = RunRecord::load(&json).unwrap();
    let b = &record.benchmarks[0];
    assert_eq!(b.samples.len(), metron::counter::COUNT_RUNS);
    let counts: Vec<f64> = b.samples.iter().map(|s| s.counts.unwrap().instructions).collect();
    let (lo, hi) = counts.iter().fold((f64::MAX, 0.0f64), |(lo, hi), &c| (lo.min(c), hi.max(c)));
    assert!(lo > 10_000.0 && (hi - lo) / lo < 0.002, "{counts:?}");
    let counter = b.counter.as_ref().unwrap();
    if counter.backend == metron::counter::Backend::Valgrind {
        assert!(counter.estimated_cycles.is_some() && counter.l1_misses.is_some());
    }
}

#[test]
fn without_valgrind_or_a_pmu_counting_fails_before_measuring() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let assert = metron()
        .env(metron::counter::BACKEND_ENV, "valgrind")
        .env("METRON_VALGRIND", "/nonexistent/valgrind")
        .args(["--clock", "instructions"])
        .arg(format!("touch {}", marker.display()))
        .assert()
        .failure()
        .stdout(predicate::str::is_empty());
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("/nonexistent/valgrind") && stderr.contains("apt-get install valgrind"), "{stderr}");
    assert!(!marker.exists(), "nothing ran");
}

#[test]
fn counts_of_another_backend_are_not_compared() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    metron().args(["--clock", "instructions", "--runs", "2", "--export-json"]).arg(&old).arg("true").assert().success();
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&old).unwrap()).unwrap();
    let backend = &mut json["benchmarks"][0]["counter"]["backend"];
    *backend = if backend == "valgrind" { "perf-event".into() } else { "valgrind".into() };
    let new = dir.path().join("new.json");
    std::fs::write(&new, json.to_string()).unwrap();
    metron()
        .args(["compare", "--clock", "instructions"])
        .arg(&old)
        .arg(&new)
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot compare counts from different backends"));
    metron().args(["compare", "--clock", "instructions"]).arg(&old).arg(&old).assert().success();
}

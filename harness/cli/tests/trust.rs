//! Reports never trust the statistics stored in a file (issue 16, item 5):
//! the crafted files of the issue, written from a real run of the real
//! binary and edited as an attacker or a careless hand would, then given to
//! `metron report` and `metron compare`. The samples are the truth: every
//! figure shown is the one they give, or the file is refused in one line.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

mod support;

fn metron() -> Command {
    Command::cargo_bin("metron").unwrap()
}

/// A real run of two interleaved commands (10 rounds), as JSON.
fn group_run(dir: &Path) -> Value {
    let path = dir.join("group.json");
    metron()
        .args(["--runs", "10", "sleep 0.01", "sleep 0.02", "--export-json"])
        .arg(&path)
        .env("NO_COLOR", "1")
        .assert()
        .success();
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, v.to_string()).unwrap();
    path
}

/// `metron report FILE`: (exit code, the page if written, stderr).
fn report(dir: &Path, file: &Path) -> (i32, String, String) {
    let site = dir.join(format!("site-{}", file.file_stem().unwrap().to_string_lossy()));
    let out = metron().arg("report").arg(file).arg("-o").arg(&site).output().unwrap();
    let page = std::fs::read_to_string(site.join("index.html")).unwrap_or_default();
    (out.status.code().unwrap_or(-1), page, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The file as `metron compare` loaded it (its own run, exported again).
fn as_loaded(dir: &Path, file: &Path) -> Value {
    let out = dir.join("loaded.json");
    metron().arg("compare").arg(file).arg(file).arg("--export-json").arg(&out).assert().success();
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// Median per-iteration wall time of a benchmark's sample columns, computed
/// here (numpy's convention: the mean of the middle two for an even count).
fn median_of_samples(b: &Value) -> f64 {
    let s = &b["samples"];
    let values = (0..s["wall_ns"].as_array().unwrap().len())
        .map(|i| s["wall_ns"][i].as_f64().unwrap() / s["iterations"][i].as_f64().unwrap())
        .collect();
    support::median(values)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

#[test]
fn a_forged_ratio_and_p_value_are_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    let real = group_run(dir.path());
    let mut forged = real.clone();
    let c = &mut forged["comparisons"][0];
    c["ratio"] = (-3.0).into();
    c["p_value"] = 7.0.into();
    c["verdict"] = "faster".into();
    let file = write(dir.path(), "ratio.json", &forged);
    let (code, page, stderr) = report(dir.path(), &file);
    assert_eq!(code, 0, "{stderr}");
    assert!(!page.contains("-3.000×") && !page.contains("p = 7.000"), "the forged figures were rendered");
    let loaded = as_loaded(dir.path(), &file);
    let (got, want) = (&loaded["comparisons"][0], &real["comparisons"][0]);
    for field in ["ratio", "p_value", "difference_ns"] {
        assert!(close(got[field].as_f64().unwrap(), want[field].as_f64().unwrap()), "{field}: {got} vs {want}");
    }
    assert_eq!(got["verdict"], want["verdict"]);
}

#[test]
fn a_forged_median_is_replaced_by_the_median_of_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    let real = group_run(dir.path());
    let mut forged = real.clone();
    forged["benchmarks"][0]["wall"]["median"] = 1.0.into();
    let file = write(dir.path(), "median.json", &forged);
    let truth = median_of_samples(&real["benchmarks"][0]);
    let (code, page, stderr) = report(dir.path(), &file);
    assert_eq!(code, 0, "{stderr}");
    let shown = metron::format::per_iteration(metron::model::ClockKind::Wall, truth);
    assert!(page.contains(&shown), "the page does not show the samples' median {shown}");
    let loaded = as_loaded(dir.path(), &file);
    assert!(close(loaded["benchmarks"][0]["wall"]["median"].as_f64().unwrap(), truth));
}

#[test]
fn a_benchmark_without_samples_refuses_the_file_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut forged = group_run(dir.path());
    for column in forged["benchmarks"][0]["samples"].as_object_mut().unwrap().values_mut() {
        *column = serde_json::json!([]);
    }
    let file = write(dir.path(), "nosamples.json", &forged);
    let (code, page, stderr) = report(dir.path(), &file);
    assert_eq!(code, 1);
    assert!(page.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("benchmark 'sleep 0.01' has no samples"), "{stderr}");
    let out = metron().arg("compare").arg(&file).arg(&file).arg("--fail-on-regression").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no samples"));
}

#[test]
fn compare_lists_what_it_did_not_compare_and_a_gate_never_passes_vacuously() {
    let dir = tempfile::tempdir().unwrap();
    let real = group_run(dir.path());
    let new = write(dir.path(), "new.json", &real);
    let mut one = real.clone();
    one["comparisons"] = serde_json::json!([]);
    for column in one["benchmarks"][0]["samples"].as_object_mut().unwrap().values_mut() {
        column.as_array_mut().unwrap().truncate(1);
    }
    let one = write(dir.path(), "one.json", &one);
    let mut empty = real;
    empty["benchmarks"] = serde_json::json!([]);
    empty["comparisons"] = serde_json::json!([]);
    let empty = write(dir.path(), "empty.json", &empty);

    let out = metron().arg("compare").arg(&one).arg(&new).env("NO_COLOR", "1").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("not compared (fewer than two samples on a side): sleep 0.01"), "{table}");
    for (old, why) in
        [(&one, "'sleep 0.01' has too few samples to compare"), (&empty, "no counterpart in the baseline")]
    {
        let out = metron().arg("compare").arg(old).arg(&new).arg("--fail-on-regression").output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
        assert!(String::from_utf8_lossy(&out.stderr).contains(why));
    }
    let out = metron().arg("compare").arg(&empty).arg(&empty).arg("--fail-on-regression").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("regression gate failed: nothing was compared"));
}

//! Importing peers' files: real hyperfine exports (the installed
//! `hyperfine` runs in the test) and a real `target/criterion` written by
//! criterion 0.8 (`tests/data/criterion`), checked against the figures the
//! peers computed themselves.

use std::path::{Path, PathBuf};
use std::process::Command;

use metron::import::{self, hyperfine::HyperfineExport, ImportError};
use metron::model::RoutineKind;
use metron::RunRecord;

/// A real hyperfine export of `args`, written into `dir`.
fn hyperfine(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let status = Command::new("hyperfine")
        .args(["-N", "--style", "none", "--export-json"])
        .arg(&out)
        .args(args)
        .status()
        .expect("hyperfine is installed (scripts/test.sh installs it)");
    assert!(status.success(), "hyperfine {args:?} failed");
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

#[test]
fn a_real_hyperfine_export_becomes_a_run_with_hyperfines_figures() {
    let dir = tempfile::tempdir().unwrap();
    let file = hyperfine(dir.path(), "h.json", &["--runs", "7", "-L", "n", "1,2", "sleep 0.00{n}"]);
    let export: HyperfineExport = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let run = import::hyperfine::import(std::slice::from_ref(&file)).unwrap();
    assert_eq!(run.benchmarks.len(), 2);
    for (b, h) in run.benchmarks.iter().zip(&export.results) {
        assert_eq!(b.name, h.command);
        assert_eq!(b.kind, RoutineKind::Command);
        assert_eq!(b.parameters, h.parameters);
        assert_eq!(b.samples.len(), 7);
        // Recomputed by metron from the times, equal to hyperfine's own.
        assert!(close(b.wall.mean / 1e9, h.mean), "{} vs {}", b.wall.mean, h.mean);
        assert!(close(b.wall.median / 1e9, h.median), "{} vs {}", b.wall.median, h.median);
        assert!(close(b.wall.min / 1e9, h.min) && close(b.wall.max / 1e9, h.max));
        assert!(close(b.wall.std_dev / 1e9, h.stddev.unwrap()));
    }
    let summaries = &run.extensions["import"]["summaries"];
    assert_eq!(summaries["sleep 0.001"]["user_s"], serde_json::json!(export.results[0].user));
    // What the import wrote reads back as a metron run.
    let back = RunRecord::from_json(&run.to_json(), "import").unwrap();
    assert_eq!(back.benchmarks.len(), 2);
    assert_eq!(back.benchmarks[1].samples, run.benchmarks[1].samples);
}

#[test]
fn the_same_command_in_two_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = hyperfine(dir.path(), "a.json", &["--runs", "2", "true"]);
    let b = hyperfine(dir.path(), "b.json", &["--runs", "2", "true"]);
    let err = import::hyperfine::import(&[a, b.clone()]).unwrap_err().to_string();
    assert!(err.starts_with(&b.display().to_string()) && err.contains("'true' is in an earlier file"), "{err}");
}

#[test]
fn files_that_are_not_hyperfines_say_what_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("{}", "missing field `results`"),
        ("{\"results\": [", "EOF"),
        ("{\"results\": []}", "no results to import"),
        (
            r#"{"results": [{"command": "x", "mean": 1, "stddev": null, "median": 1, "user": 0, "system": 0, "min": 1, "max": 1, "exit_codes": []}]}"#,
            "has no times",
        ),
        (
            r#"{"results": [{"command": "x", "mean": 1, "stddev": null, "median": 1, "user": 0, "system": 0, "min": 1, "max": 1, "times": [0.1, -1], "exit_codes": []}]}"#,
            "'x', run 2",
        ),
    ];
    for (text, why) in cases {
        let path = dir.path().join("bad.json");
        std::fs::write(&path, text).unwrap();
        let err = import::hyperfine::import(std::slice::from_ref(&path)).unwrap_err();
        let line = err.to_string();
        assert!(line.contains(why) && line.contains("bad.json") && !line.contains('\n'), "{text}: {line}");
    }
    let missing = import::hyperfine::import(&[dir.path().join("none.json")]).unwrap_err();
    assert!(matches!(missing, ImportError::Io { .. }));
}

fn criterion_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/criterion")
}

#[test]
fn a_real_target_criterion_becomes_a_run_with_criterions_figures() {
    let run = import::criterion::import(&criterion_dir()).unwrap();
    let ids: Vec<String> = run.benchmarks.iter().map(|b| b.id()).collect();
    assert_eq!(
        ids,
        ["sort/7", "sort/stable/100", "sort/stable/1000", "sort/unstable/100", "sort/unstable/1000", "sum 100"]
    );
    let stable = run.benchmark("sort/stable/100").unwrap();
    assert_eq!(stable.parameters["function"], "stable");
    assert_eq!(stable.parameters["input"], "100");
    assert_eq!(stable.kind, RoutineKind::Closure);
    assert!(stable.wall.regression.is_some(), "criterion's linear sampling gives a slope");
    for b in &run.benchmarks {
        assert_eq!(b.samples.len(), 10, "{}", b.id());
        // criterion's mean and median are of the per-iteration times, as metron's.
        let summary = &run.extensions["import"]["summaries"][b.id()];
        let mean = summary["mean_ns"].as_f64().unwrap();
        let median = summary["median_ns"].as_f64().unwrap();
        assert!((b.wall.mean - mean).abs() <= 1e-6 * mean, "{}: {} vs {mean}", b.id(), b.wall.mean);
        assert!((b.wall.median - median).abs() <= 1e-6 * median, "{}: {} vs {median}", b.id(), b.wall.median);
    }
    assert_eq!(run.extensions["import"]["summaries"]["sort/stable/100"]["throughput"]["Elements"], 100);
    assert!(run.benchmark("sum 100").unwrap().group.is_none());
    RunRecord::from_json(&run.to_json(), "import").unwrap();
}

#[test]
fn a_directory_without_criterion_results_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let err = import::criterion::import(dir.path()).unwrap_err().to_string();
    assert!(err.contains("no criterion results here"), "{err}");
    let new = dir.path().join("g/f/new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(new.join("sample.json"), r#"{"sampling_mode":"Flat","iters":[1.0],"times":[5.0]}"#).unwrap();
    let err = import::criterion::import(dir.path()).unwrap_err().to_string();
    assert!(err.contains("benchmark.json"), "{err}");
    std::fs::write(new.join("benchmark.json"), r#"{"group_id":"g","function_id":"f","value_str":null}"#).unwrap();
    std::fs::write(new.join("sample.json"), r#"{"sampling_mode":"Flat","iters":[0.0],"times":[5.0]}"#).unwrap();
    let err = import::criterion::import(dir.path()).unwrap_err().to_string();
    assert!(err.contains("'g/f', sample 1 has 0 iterations"), "{err}");
}

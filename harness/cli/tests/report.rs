//! `metron report`, run for real on saved runs written by the test (no
//! measuring): the page is written, labels and commits name the runs, and
//! `--redact` leaves host names and local paths out.

use assert_cmd::Command;
use metron::analysis::{analyse, AnalysisContext, BenchmarkMeta};
use metron::model::{Environment, RoutineKind, Sample};
use metron::runner::RunConfig;
use metron::RunRecord;

fn metron() -> Command {
    Command::cargo_bin("metron").unwrap()
}

/// A saved run of one command, on host `secret-host`, started from a home directory.
fn saved_run(label: &str, median_ns: f64) -> RunRecord {
    let environment = Environment {
        hostname: "secret-host".into(),
        started_at: "2024-05-01T12:00:00Z".into(),
        git_commit: Some("beca3dd0123456789".into()),
        logical_cores: 2,
        tools: [("python3".to_string(), "3.11.2 (/home/ann/.venv/bin/python3)".to_string())].into(),
        ..Environment::default()
    };
    let command_line = ["metron", "--export-json", "/home/ann/work/run.json", "true"].map(String::from).to_vec();
    let mut r = RunRecord::new(command_line, environment, RunConfig::default().settings());
    r.label = Some(label.to_string());
    let samples = (0..20u64)
        .map(|i| Sample {
            cpu_ns: Some(median_ns / 2.0),
            round: Some(i as u32),
            ..Sample::timed(1, median_ns * (1.0 + 0.01 * (i % 5) as f64), i * 1_000)
        })
        .collect();
    let meta =
        BenchmarkMeta { name: "true".into(), group: None, parameters: Default::default(), command: None, setup: None };
    let ctx = AnalysisContext::fixed_runs(RoutineKind::Command, 1);
    r.benchmarks.push(analyse(&meta, samples, ctx).unwrap());
    r
}

#[test]
fn runs_are_named_by_label_and_commit_and_redact_drops_host_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    saved_run("before", 1e6).write_atomic(&a).unwrap();
    saved_run("after", 1.3e6).write_atomic(&b).unwrap();
    let site = dir.path().join("site");
    metron().arg("report").arg(&a).arg(&b).arg("-o").arg(&site).assert().success();
    let page = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(page.contains("before · beca3dd · 2024-05-01T12:00:00Z on secret-host"), "runs named by label and commit");
    assert!(page.contains("Run 1 → run 2"), "the two runs compared, old → new");
    assert!(page.contains("/home/ann/work/run.json"));

    let published = dir.path().join("published");
    metron().arg("report").arg("--redact").arg(&a).arg(&b).arg("-o").arg(&published).assert().success();
    let page = std::fs::read_to_string(published.join("index.html")).unwrap();
    assert!(!page.contains("secret-host") && !page.contains("/home/ann"), "host or path in a redacted page");
    assert!(page.contains("…/run.json") && page.contains("(…/python3)") && page.contains("(host redacted)"));
}

#[test]
fn a_bad_file_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = metron().arg("report").arg(dir.path().join("missing.json")).arg("-o").arg(dir.path()).assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("missing.json"), "{stderr}");
}

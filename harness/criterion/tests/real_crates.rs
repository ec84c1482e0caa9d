//! The criterion benches of two published crates (adler2, base64; see
//! `tests/real_crates/README.md`), copied unchanged, built and run with
//! `cargo bench` against `metron-criterion` — the one line a criterion user
//! changes in `Cargo.toml`. The tests check what the runs list, print and
//! write, never how fast anything was.
//!
//! Each fixture is copied to a temporary directory with the path of this
//! crate filled in and the workspace's `Cargo.lock` as its starting lock
//! (so the shared dependencies resolve to the versions already fetched),
//! and both build into one target directory, so metron is compiled once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use metron::model::RateUnit;
use metron::RunRecord;

/// This crate's directory.
fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared target directory of the fixtures.
fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("real-crates")
}

/// A copy of the fixture `name` in a fresh temporary directory.
fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    copy_tree(&crate_dir().join("tests/real_crates").join(name), dir.path());
    let manifest = dir.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("fixture manifest");
    let ours = crate_dir().display().to_string();
    std::fs::write(&manifest, text.replace(r#"path = "../../..""#, &format!("path = {ours:?}"))).expect("manifest");
    let lock = crate_dir().join("../../Cargo.lock");
    if lock.exists() {
        std::fs::copy(lock, dir.path().join("Cargo.lock")).expect("lock file");
    }
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("fixture directory") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&target).expect("directory");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `cargo bench` in `dir` with `args` after `--`.
fn cargo_bench(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(["bench", "--quiet", "--target-dir"])
        .arg(target_dir())
        .arg("--")
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove(metron::bench::ARGS_VARIABLE)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo bench {args:?} failed:\n{stderr}");
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Every benchmark in `run` has one bytes rate of `bytes` per iteration,
/// its figures the amount over the median time, its CI around it.
fn assert_bytes_rates(run: &RunRecord, bytes_of: impl Fn(&str) -> u64) {
    for b in &run.benchmarks {
        let [rate] = b.throughput.as_slice() else { panic!("{}: {:?}", b.id(), b.throughput) };
        assert_eq!((rate.unit, rate.per_iteration), (RateUnit::Bytes, bytes_of(&b.id())), "{}", b.id());
        let expected = rate.per_iteration as f64 * 1e9 / b.headline().median;
        assert!((rate.median_per_s / expected - 1.0).abs() < 1e-9, "{}", b.id());
        assert!(rate.median_ci_per_s.contains(rate.median_per_s), "{}: {:?}", b.id(), rate);
    }
}

#[test]
fn adler2_benches_run_unchanged() {
    let dir = fixture("adler2");
    let listed = stdout(&cargo_bench(dir.path(), &["--list"]));
    let ids: Vec<&str> = listed.lines().filter_map(|l| l.strip_suffix(": benchmark")).collect();
    assert_eq!(ids.len(), 10, "{listed}");
    assert!(ids.contains(&"simple-100b/zeroes-100") && ids.contains(&"chunked-16m/64k"), "{ids:?}");

    let json = dir.path().join("run.json");
    let json_arg = json.display().to_string();
    let out = cargo_bench(dir.path(), &["--runs", "3", "--warmup", "0", "--export-json", &json_arg, "simple-"]);
    let text = stdout(&out);
    assert!(text.contains("Benchmark 1: simple-100b/zeroes-100"), "{text}");
    assert!(text.contains("Thrpt (wall, median, 95% CI)"), "{text}");
    let run = RunRecord::load(&json).expect("the run's JSON");
    assert_eq!(run.benchmarks.len(), 6, "the filter keeps the simple-* groups");
    assert_bytes_rates(&run, |id| match id.split('/').next() {
        Some("simple-100b") => 100,
        Some("simple-1k") => 1024,
        _ => 1024 * 1024,
    });
}

#[test]
fn base64_benches_run_unchanged() {
    let dir = fixture("base64");
    let listed = stdout(&cargo_bench(dir.path(), &["--list"]));
    assert!(listed.contains("encode_small_input/encode/3072: benchmark"), "{listed}");
    assert!(listed.contains("decode_large_input/decode_stream/31457280: benchmark"), "{listed}");
    // Seven encoders and four decoders, each over five small and three large sizes.
    assert_eq!(listed.lines().count(), 7 * (5 + 3) + 4 * (5 + 3), "{listed}");

    let json = dir.path().join("run.json");
    let json_arg = json.display().to_string();
    let out = cargo_bench(dir.path(), &["--runs", "3", "--warmup", "0", "--export-json", &json_arg, "code/500"]);
    let text = stdout(&out);
    assert!(text.contains("Benchmark 1: encode_small_input/encode/500"), "{text}");
    let run = RunRecord::load(&json).expect("the run's JSON");
    let ids: Vec<String> = run.benchmarks.iter().map(|b| b.id()).collect();
    assert_eq!(ids, ["encode_small_input/encode/500", "decode_small_input/decode/500"]);
    assert_eq!(run.benchmarks[0].parameters.get("parameter").map(String::as_str), Some("500"));
    assert_bytes_rates(&run, |_| 500);
}

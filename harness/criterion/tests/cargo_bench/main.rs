//! `cargo bench` for real on crates that use `metron-criterion`: the
//! criterion benches of four published crates copied unchanged
//! ([`real_crates`]), a crate with a library whose libtest harness meets
//! metron's flags ([`libtest`]), and a bench written for the tests against
//! criterion's API ([`api`]). The tests check what the runs list, print and
//! write, never how fast anything was.
//!
//! Each fixture is copied to a temporary directory with the path of this
//! crate filled in and the workspace's `Cargo.lock` as its starting lock
//! (so the shared dependencies resolve to the versions already fetched),
//! and all build into one target directory, so metron is compiled once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use metron::RunRecord;

mod api;
mod libtest;
mod real_crates;

/// This crate's directory.
fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared target directory of the fixtures.
pub(crate) fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("real-crates")
}

/// A copy of the fixture at `path` (below `tests/`) in a fresh temporary directory.
pub(crate) fn fixture(path: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    copy_tree(&crate_dir().join("tests").join(path), dir.path());
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

/// `cargo bench` in `dir` with `args` after `--`; it must succeed.
pub(crate) fn cargo_bench(dir: &Path, args: &[&str]) -> Output {
    cargo_bench_with(dir, args, &[])
}

/// `cargo bench` in `dir` with `args` after `--` and the variables `vars`;
/// it must succeed.
pub(crate) fn cargo_bench_with(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let output = cargo(dir, &[], args, vars);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo bench {args:?} failed:\n{stderr}");
    output
}

/// `cargo bench CARGO_ARGS -- ARGS` in `dir` with the variables `vars`.
pub(crate) fn cargo(dir: &Path, cargo_args: &[&str], args: &[&str], vars: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(["bench", "--quiet", "--target-dir"])
        .arg(target_dir())
        .args(cargo_args)
        .arg("--")
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove(metron::bench::ARGS_VARIABLE)
        .envs(vars.iter().copied())
        .output()
        .expect("cargo runs")
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Loads the JSON a run wrote.
pub(crate) fn load(path: &Path) -> RunRecord {
    RunRecord::load(path).expect("the run's JSON")
}

//! Meeting hyperfine's and Python's timeit's users where they are (issue
//! 17): hyperfine's flags and files, and timeit's meaning, run for real
//! (real child processes, the installed `hyperfine`, hyperfine's own
//! `advanced_statistics.py`, a real `python3`, a real `target/criterion`).

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use metron::model::ClockKind;
use metron::RunRecord;
use predicates::prelude::*;

fn metron() -> Command {
    let mut c = Command::cargo_bin("metron").unwrap();
    c.env_remove("NO_COLOR");
    c
}

fn load(path: &Path) -> RunRecord {
    RunRecord::load(path).unwrap_or_else(|e| panic!("{e}"))
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_hyperfine_export_is_read_by_hyperfines_own_script() {
    let dir = tempfile::tempdir().unwrap();
    let (h, json) = (dir.path().join("h.json"), dir.path().join("m.json"));
    stdout_of(
        metron()
            .args(["-N", "--runs", "50", "true", "-q", "--export-hyperfine"])
            .arg(&h)
            .arg("--export-json")
            .arg(&json),
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hyperfine-scripts/advanced_statistics.py");
    let out = StdCommand::new("python3").arg(script).args(["--time-unit", "millisecond"]).arg(&h).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("Command 'true'") && text.contains("runs:         50"), "{text}");
    // The script's median (numpy's) is metron's.
    let median_ms = load(&json).benchmarks[0].wall.median / 1e6;
    assert!(text.contains(&format!("median: {median_ms:8.3} ms")), "metron: {median_ms} ms\n{text}");
}

/// A real hyperfine export in `dir`.
fn hyperfine(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let status = StdCommand::new("hyperfine")
        .args(["-N", "--style", "none", "--runs", "8", "--export-json"])
        .arg(&path)
        .args(["true", "sleep 0.01"])
        .status()
        .expect("hyperfine is installed (scripts/test.sh installs it)");
    assert!(status.success());
    path
}

#[test]
fn imported_peers_runs_are_reported_and_compared() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.json"), dir.path().join("new.json"));
    for (file, out) in [("a.json", &old), ("b.json", &new)] {
        let export = hyperfine(dir.path(), file);
        metron()
            .args(["import", "hyperfine"])
            .arg(&export)
            .arg("--export-json")
            .arg(out)
            .assert()
            .success()
            .stderr(predicate::str::contains("imported 2 benchmarks from hyperfine"));
    }
    assert_eq!(load(&old).benchmarks[1].samples.len(), 8);
    let table = stdout_of(metron().arg("compare").arg(&old).arg(&new));
    assert!(table.contains("true") && table.contains("sleep 0.01"), "{table}");
    let site = dir.path().join("site");
    metron().arg("report").arg(&old).arg(&new).arg("-o").arg(&site).assert().success();
    let page = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(page.contains("sleep 0.01") && page.contains("data-chart=\"history\""));

    let criterion = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/data/criterion");
    let run = stdout_of(metron().args(["import", "criterion"]).arg(&criterion));
    let c = dir.path().join("c.json");
    std::fs::write(&c, run).unwrap();
    assert_eq!(load(&c).benchmarks.len(), 6);
    let table = stdout_of(metron().arg("compare").arg(&c).arg(&c));
    assert!(table.contains("sort/stable/100"), "{table}");
    metron().arg("report").arg(&c).arg("-o").arg(&site).assert().success();

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"results\": 3}").unwrap();
    metron().args(["import", "hyperfine"]).arg(&bad).assert().code(1).stderr(
        predicate::str::is_match("^Error: .*bad.json: not a hyperfine JSON export \\(invalid type.*\n$").unwrap(),
    );
}

#[test]
fn hyperfines_flags() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let marker = dir.path().join("prepared");
    let out = stdout_of(
        metron()
            .args(["-N", "--runs", "2", "-L", "a", "1,2", "-L", "b", "x,y", "-u", "ms", "--style", "basic"])
            .arg("-p")
            .arg(format!("touch {}", marker.display()))
            .args(["--command-name", "e{a}{b}", "echo {a}{b}", "--export-json"])
            .arg(&json),
    );
    assert!(marker.exists(), "-p is --prepare");
    assert!(!out.contains('\u{1b}'), "--style basic: no colour");
    assert!(out.contains("Benchmark 1: e1x (echo 1x)") && out.contains("Benchmark 4: e2y (echo 2y)"), "{out}");
    assert!(out.lines().filter(|l| l.contains("Time (wall, median")).all(|l| l.contains(" ms ")), "-u ms:\n{out}");
    let names: Vec<String> = load(&json).benchmarks.iter().map(|b| b.name.clone()).collect();
    assert_eq!(names, ["e1x", "e2x", "e1y", "e2y"], "every combination, the first -L varying fastest");

    // --sort median orders the exports; --style none shows nothing.
    let out = stdout_of(
        metron()
            .args(["--runs", "3", "--sort", "median", "--style", "none", "sleep 0.05", "sleep 0.01", "--export-json"])
            .arg(&json),
    );
    assert_eq!(out, "");
    let sorted: Vec<String> = load(&json).benchmarks.iter().map(|b| b.name.clone()).collect();
    assert_eq!(sorted, ["sleep 0.01", "sleep 0.05"]);
    // --output: a file written anew each run; a pipe drained while the command writes more than it holds.
    let file = dir.path().join("out.txt");
    metron().args(["-N", "--runs", "2", "-q", "--output"]).arg(&file).arg("echo hello").assert().success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "hello\n");
    metron().args(["-N", "--runs", "2", "-q", "--output", "pipe", "head -c 300000 /dev/zero"]).assert().success();
    metron().args(["--runs", "2", "--output", "pipe", "--show-output", "true"]).assert().code(2);
    let md = stdout_of(metron().args(["-N", "--runs", "2", "-u", "s", "true", "--export-orgmode", "-"]));
    assert!(md.starts_with("| Command | Median [s] |"), "-u reaches the tables: {md}");
    metron().args(["-N", "-S", "sh", "true"]).assert().code(2);
    metron().args(["-u", "fortnight", "true"]).assert().code(2).stderr(predicate::str::contains("not a time unit"));
}

#[test]
fn timeit_joins_statement_arguments_as_python_does() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let out = stdout_of(
        metron()
            .args(["timeit", "--lang", "python", "-n", "1000", "-r", "3", "-u", "nsec", "-v", "-p"])
            .args(["-s", "x = 0", "-s", "y = 1", "for i in range(10):", "    x += i * y", "--export-json"])
            .arg(&json),
    );
    let run = load(&json);
    assert_eq!(run.benchmarks.len(), 1, "one statement of two lines");
    assert_eq!(run.benchmarks[0].name, "for i in range(10):\n    x += i * y");
    assert_eq!(run.benchmarks[0].clock, ClockKind::Cpu, "-p: process time");
    assert!(out.contains("1000 loops, best of 3:") && out.contains("nsec per loop"), "{out}");
    assert!(out.contains("raw times (1,000 loops each): "), "-v: {out}");
    assert!(out.contains("CI ±"), "the precision reached: {out}");

    // A statement that only works as two lines fails as two statements.
    metron()
        .args(["timeit", "--lang", "python", "-n", "10", "-r", "2", "--compare", "for i in range(3):", "    pass"])
        .assert()
        .code(1);
    let out = stdout_of(metron().args(["timeit", "--compare", "-n", "2", "-r", "3", "true", "/bin/true"]));
    assert!(out.contains("true:") && out.contains("/bin/true:"), "--compare times each: {out}");
}

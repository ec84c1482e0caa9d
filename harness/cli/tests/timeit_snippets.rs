//! `metron timeit --lang python|rust`, run for real: a real `python3`, a real
//! cargo build of the Rust snippets. Budgets are small; these check what is
//! printed and what fails, not how precise the figures are
//! (scripts/compare-python-timeit.sh compares with `python3 -m timeit`).
//!
//! The Rust tests share one cache directory (and so one target directory)
//! under cargo's scratch space, so dependencies of the generated projects
//! build once for the suite; each snippet is still its own project.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use metron::model::RoutineKind;
use metron::routine::snippet::RustSnippet;
use metron::RunRecord;
use predicates::prelude::*;

/// `metron timeit` with a short budget and a private (empty) cache.
fn timeit(cache: &Path) -> Command {
    let mut c = Command::cargo_bin("metron").unwrap();
    // A backtrace would push a panic's message out of the tail metron shows.
    c.env_remove("NO_COLOR")
        .env_remove("RUST_BACKTRACE")
        .env("METRON_CACHE_DIR", cache)
        .env("CARGO_BUILD_JOBS", "2")
        .args(["timeit", "--time-budget", "300ms", "--sample-time", "10ms", "-q"]);
    c
}

/// The cache shared by the Rust tests.
fn rust_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("timeit-snippets-cache")
}

mod python {
    use super::*;

    #[test]
    fn one_statement_prints_pythons_and_ipythons_lines() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("r.json");
        timeit(dir.path())
            .args(["--lang", "python", "--export-json"])
            .arg(&json)
            .arg("sum(range(100))")
            .assert()
            .success()
            .stdout(predicate::str::contains("loops, best of"))
            .stdout(predicate::str::contains("per loop (mean ± std. dev."))
            .stdout(predicate::str::contains("% of wall)"));
        let report = RunRecord::load(&json).unwrap();
        let b = &report.benchmarks[0];
        assert_eq!((b.name.as_str(), b.kind), ("sum(range(100))", RoutineKind::Snippet));
        // A Python loop of 100 additions: well under a millisecond, well over a nanosecond.
        assert!(b.wall.median > 50.0 && b.wall.median < 1e6, "{}", b.wall.median);
        assert!(b.samples.iter().all(|s| s.iterations > 1 && s.cpu_ns.is_some()));
        assert!(report.environment.tools.get("python3").is_some_and(|v| v.starts_with("3.")));
    }

    #[test]
    fn two_statements_are_compared() {
        let dir = tempfile::tempdir().unwrap();
        timeit(dir.path())
            .args(["--lang", "python", "--compare", "-s", "n = 300", "sum(range(n))", "sum(list(range(n)))"])
            .assert()
            .success()
            .stdout(predicate::str::contains("sum(range(n)):"))
            .stdout(predicate::str::contains("sum(list(range(n))):"))
            .stdout(predicate::str::contains("faster than").or(predicate::str::contains("difference")));
    }

    /// Setup runs once per driver, and each replicate gets a fresh driver.
    #[test]
    fn setup_runs_once_per_replicate() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("setup.log");
        let setup = format!("open({:?}, 'a').write('setup\\n')", log.to_str().unwrap());
        timeit(dir.path()).args(["--lang", "python", "--replicates", "3", "-s", &setup, "x = 1"]).assert().success();
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "setup\n".repeat(3));
    }

    #[test]
    fn a_syntax_error_shows_the_caret_and_fails() {
        let dir = tempfile::tempdir().unwrap();
        timeit(dir.path())
            .args(["--lang", "python", "sum(range("])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("loops").not())
            .stderr(predicate::str::contains("Error: the statement does not compile:\n"))
            .stderr(predicate::str::contains("File \"<stmt>\", line 1\n    sum(range(\n"))
            .stderr(predicate::str::contains("SyntaxError"));
    }

    #[test]
    fn an_exception_shows_the_traceback_with_the_snippets_lines() {
        let dir = tempfile::tempdir().unwrap();
        timeit(dir.path())
            .args(["--lang", "python", "-s", "import json", "-s", "def f(s):\n    return json.loads(s)", "f('{')"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("Traceback (most recent call last):"))
            .stderr(predicate::str::contains("File \"<stmt>\", line 1, in inner\n    f('{')"))
            .stderr(predicate::str::contains("File \"<setup>\", line 3, in f\n    return json.loads(s)"))
            .stderr(predicate::str::contains("json.decoder.JSONDecodeError"));
        timeit(dir.path())
            .args(["--lang", "python", "-s", "import no_such_module_xyz", "pass"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("File \"<setup>\", line 1"))
            .stderr(predicate::str::contains("ModuleNotFoundError: No module named 'no_such_module_xyz'"));
    }

    #[test]
    fn a_missing_interpreter_is_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let out = timeit(dir.path())
            .args(["--lang", "python", "--python", "/nonexistent/python9", "pass"])
            .assert()
            .code(1)
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8(out).unwrap();
        assert_eq!(stderr, "Error: --python: command not found: '/nonexistent/python9' (in 'Python interpreter')\n");
    }

    #[test]
    fn rust_only_flags_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        timeit(dir.path())
            .args(["--lang", "python", "--dep", "rand=0.9", "pass"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--dep and --offline are for --lang rust"));
    }

    #[test]
    fn a_statement_raising_keyboard_interrupt_is_an_error_not_an_interruption() {
        let dir = tempfile::tempdir().unwrap();
        timeit(dir.path())
            .args(["--lang", "python", "raise KeyboardInterrupt"])
            .assert()
            .code(1)
            .stderr(predicate::str::starts_with("Error: KeyboardInterrupt (at line 1 of the statement)\n"));
    }

    #[test]
    fn a_signal_to_metron_alone_stops_a_statement_that_never_ends() {
        // `kill -INT PID` or `timeout` reach metron, not the driver busy in
        // the statement: metron passes the interruption on.
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("r.json");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("metron"))
            .env("METRON_CACHE_DIR", dir.path())
            .args(["timeit", "-q", "--lang", "python", "--export-json"])
            .arg(&json)
            .arg("while True: pass")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_secs(2));
        // SAFETY: plain kill(2) on our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > std::time::Duration::from_secs(60) {
                let _ = child.kill();
                panic!("metron did not stop within 60 s of SIGINT");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(130));
        assert!(RunRecord::load(&json).unwrap().interrupted);
    }
}

mod rust {
    use super::*;

    #[test]
    fn a_snippet_is_built_timed_and_reused() {
        let cache = rust_cache();
        let stmt = "v.iter().sum::<u64>() + 1";
        let setup = "let v: Vec<u64> = (0..1000).collect();";
        let first = tempfile::tempdir().unwrap();
        let json = first.path().join("r.json");
        timeit(&cache)
            .args(["--lang", "rust", "-s", setup, "--export-json"])
            .arg(&json)
            .arg(stmt)
            .assert()
            .success()
            .stdout(predicate::str::contains("loops, best of"))
            .stdout(predicate::str::contains("per loop (mean ± std. dev."));
        let report = RunRecord::load(&json).unwrap();
        let b = &report.benchmarks[0];
        assert_eq!(b.kind, RoutineKind::Snippet);
        // Summing 1000 u64s: more than a few ns (not optimised away), less than 100 µs.
        assert!(b.wall.median > 20.0 && b.wall.median < 1e5, "{}", b.wall.median);
        assert!(report.environment.tools.contains_key("rustc"));

        // The same snippet again: no build (its driver is untouched), no "Compiling".
        let rustc = metron::routine::snippet::rust::rustc_version().unwrap();
        let project = RustSnippet::new(stmt).setup(&[setup]).project(&cache, &rustc);
        let built = std::fs::metadata(project.driver_path()).unwrap().modified().unwrap();
        Command::cargo_bin("metron")
            .unwrap()
            .env("METRON_CACHE_DIR", &cache)
            .args(["timeit", "--lang", "rust", "--time-budget", "100ms", "-s", setup, stmt])
            .assert()
            .success()
            .stderr(predicate::str::contains("Compiling").not());
        assert_eq!(std::fs::metadata(project.driver_path()).unwrap().modified().unwrap(), built);
    }

    #[test]
    fn two_statements_are_compared() {
        timeit(&rust_cache())
            .args(["--lang", "rust", "--compare", "-s", "let v: Vec<u32> = (0..500).rev().collect();"])
            .args(["v.iter().copied().max()", "{ let mut w = v.clone(); w.sort(); w }"])
            .assert()
            .success()
            .stdout(predicate::str::contains("v.iter().copied().max():"))
            .stdout(predicate::str::contains("faster than").or(predicate::str::contains("difference")));
    }

    #[test]
    fn setup_runs_once_per_replicate() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("setup.log");
        // The path comes from the environment, so the snippet (and its build) is the same every run.
        timeit(&rust_cache())
            .env("SETUP_LOG", &log)
            .args(["--lang", "rust", "-s", "use std::io::Write;"])
            .args(["-s", "let path = std::env::var(\"SETUP_LOG\")?;"])
            .args([
                "-s",
                "std::fs::OpenOptions::new().create(true).append(true).open(path)?.write_all(b\"setup\\n\")?;",
            ])
            .args(["--replicates", "3", "let x = 1;"])
            .assert()
            .success();
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "setup\n".repeat(3), "once per replicate's driver");
    }

    #[test]
    fn a_compile_error_shows_rustc_pointing_at_the_snippet() {
        let out = timeit(&rust_cache())
            .args(["--lang", "rust", "-s", "let v = vec![1u8, 2];", "-s", "let n = v.len();"])
            .arg("let total = n + 1;\nw.len() + total")
            .assert()
            .code(1)
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8(out).unwrap();
        assert!(stderr.starts_with("Error: the Rust snippet does not build"), "{stderr}");
        assert!(stderr.contains("error[E0425]: cannot find value `w` in this scope"), "{stderr}");
        assert!(stderr.contains("--> <stmt>:2:1"), "{stderr}");
        // The gutter keeps rustc's width (that of main.rs's line numbers).
        assert!(stderr.contains("\n2  | w.len() + total\n"), "{stderr}");
        assert!(!stderr.contains("src/main.rs:"), "{stderr}");
    }

    #[test]
    fn a_panic_points_at_the_snippet() {
        timeit(&rust_cache())
            .args(["--lang", "rust", "-s", "let v: Vec<u8> = Vec::new();", "v[0]"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("panicked at <stmt>:1:"))
            .stderr(predicate::str::contains("index out of bounds"));
    }

    #[test]
    fn a_crate_that_cannot_be_fetched_is_cargos_error() {
        timeit(&rust_cache())
            .args(["--lang", "rust", "--offline", "--dep", "no-such-crate-xyz=1", "1 + 1"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("Error: the Rust snippet does not build"))
            .stderr(predicate::str::contains("no-such-crate-xyz"))
            .stderr(predicate::str::contains("panicked").not());
    }

    #[test]
    fn a_bad_dependency_is_a_usage_error() {
        timeit(&rust_cache())
            .args(["--lang", "rust", "--dep", "not a crate", "1"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--dep: dependency 'not a crate'"));
    }
}

/// `--clock instructions` on Rust snippets, under the real Valgrind (or
/// hardware counters where there are some).
mod counts {
    use super::*;

    #[test]
    fn a_rust_snippet_counts_the_same_per_loop_every_run() {
        let dir = tempfile::tempdir().unwrap();
        let mut per_loop = Vec::new();
        for i in 0..2 {
            let json = dir.path().join(format!("r{i}.json"));
            timeit(&rust_cache())
                .args(["--lang", "rust", "--clock", "instructions", "--runs", "3", "--export-json"])
                .arg(&json)
                .args(["-s", "let v: Vec<u64> = (0..1000).collect();", "v.iter().sum::<u64>()"])
                .assert()
                .success()
                .stdout(predicate::str::contains("instructions per loop"))
                .stdout(predicate::str::contains("Counted by"));
            let record = RunRecord::load(&json).unwrap();
            let b = &record.benchmarks[0];
            let counts = b.instructions.as_ref().expect("instructions counted");
            assert_eq!(counts.n, 3);
            // Summing 1000 numbers takes at least one instruction each, and
            // the driver's fixed cost is differenced away.
            assert!(counts.median >= 250.0 && counts.median < 20_000.0, "{counts:?}");
            per_loop.push(counts.median);
        }
        let spread = (per_loop[0] - per_loop[1]).abs() / per_loop[0];
        assert!(spread < 0.002, "{per_loop:?}");
    }
}

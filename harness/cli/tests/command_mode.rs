//! The `metron` binary in command mode and `timeit` with shell statements,
//! run for real: real child processes, real clocks, real files.

use std::process::Command as StdCommand;
use std::time::Duration;

use assert_cmd::Command;
use metron::model::{ChangeVerdict, RoutineKind, StopReason};
use metron::RunRecord;
use predicates::prelude::*;

fn metron() -> Command {
    let mut c = Command::cargo_bin("metron").unwrap();
    c.env_remove("NO_COLOR");
    c
}

fn load(path: &std::path::Path) -> RunRecord {
    RunRecord::load(path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn sleep_is_timed_on_the_wall_clock_with_little_cpu() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    metron()
        .args(["--runs", "8", "--export-json"])
        .arg(&json)
        .arg("sleep 0.02")
        .assert()
        .success()
        .stdout(predicate::str::contains("Benchmark 1: sleep 0.02"))
        .stdout(predicate::str::contains("Time (wall, median, 95% CI)"));
    let report = load(&json);
    let b = &report.benchmarks[0];
    assert_eq!(b.kind, RoutineKind::Command);
    assert_eq!(b.samples.len(), 8);
    assert_eq!(b.stop_reason, StopReason::FixedRuns);
    // Lenient bounds: this is a correctness check on a shared machine, not a
    // precision claim (scripts/ has the measurements).
    // A sleep never ends early, so every sample is at least 20 ms; load only
    // adds time, so the upper bound is put on the fastest of the eight.
    assert!(b.wall.median >= 20e6 && b.wall.min < 40e6, "median {}, min {}", b.wall.median, b.wall.min);
    let cpu = b.cpu.as_ref().unwrap();
    assert!(cpu.median < 0.5 * b.wall.median, "sleeping should cost little CPU: {}", cpu.median);
    assert!(b.max_rss_kib.unwrap() > 100);
    assert!(b.samples.iter().all(|s| s.user_ns.is_some() && s.sys_ns.is_some()));
    assert_eq!(report.schema_version, metron::model::SCHEMA_VERSION);
    assert!(!report.environment.hostname.is_empty());
    assert!(!report.environment.clocks.is_empty());
    assert!(report.command_line.iter().any(|a| a == "sleep 0.02"));
}

#[test]
fn a_busy_shell_loop_has_cpu_close_to_wall() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    metron()
        .args(["--clock", "cpu", "--runs", "3", "--export-json"])
        .arg(&json)
        .arg(r#"sh -c "i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done""#)
        .arg("sleep 0.05")
        .assert()
        .success()
        .stdout(predicate::str::contains("Time (cpu, median"));
    let report = load(&json);
    let (busy, sleep) = (&report.benchmarks[0], &report.benchmarks[1]);
    assert!(busy.shell_overhead_ns.is_none(), "an explicit sh -c runs directly");
    let (busy_ratio, sleep_ratio) = (busy.cpu_utilisation().unwrap(), sleep.cpu_utilisation().unwrap());
    // CPU time can never exceed wall time by much for one single-threaded
    // child. How close the busy loop gets to 1 depends on how much of a core
    // the machine spares it, so its floor is set against a sleep measured in
    // the same interleaved run, which the same load hits alike.
    assert!(busy_ratio < 1.2, "cpu/wall = {busy_ratio}");
    assert!(busy_ratio > 5.0 * sleep_ratio, "busy loop cpu/wall {busy_ratio} vs sleep {sleep_ratio}");
    for s in &busy.samples {
        let (cpu, user, sys) = (s.cpu_ns.unwrap(), s.user_ns.unwrap(), s.sys_ns.unwrap());
        assert!((cpu - (user + sys)).abs() <= 1e-6 * cpu.max(1.0) + 1.0, "cpu {cpu} = user {user} + sys {sys}");
    }
}

#[test]
fn shell_syntax_goes_through_sh_with_its_start_up_subtracted() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    metron()
        .args(["--runs", "3", "--export-json"])
        .arg(&json)
        .arg("true | true")
        .assert()
        .success()
        .stdout(predicate::str::contains("shell start-up"));
    let b = &load(&json).benchmarks[0];
    assert!(b.shell_overhead_ns.unwrap() > 0.0);
}

#[test]
fn timeit_chooses_its_loop_count_and_prints_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("f");
    let out = metron()
        .args(["timeit", "--time-budget", "1s", "--sample-time", "300ms", "-s"])
        .arg(format!("printf x > {}", f.display()))
        .arg(format!("cat {}", f.display()))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let re_python = regex_lite(&text, " loops, best of ");
    assert!(re_python, "{text}");
    assert!(text.contains(" per loop (mean ± std. dev. of "), "{text}");
    assert!(text.contains("median ") && text.contains("95% CI") && text.contains("CPU"), "{text}");
    let loops: u64 = text.split_whitespace().next().unwrap().parse().unwrap();
    assert!(loops > 1, "cat takes ~1 ms; a 300 ms sample needs more than one loop: {text}");
}

fn regex_lite(text: &str, needle: &str) -> bool {
    text.lines().any(|l| l.contains(needle) && l.split_whitespace().next().is_some_and(|w| w.parse::<u64>().is_ok()))
}

#[test]
fn timeit_with_fixed_number_and_repeat() {
    metron()
        .args(["timeit", "-n", "3", "-r", "4", "true"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("3 loops, best of 4: "));
}

/// Bad input: one line on stderr, a non-zero exit, no panic.
fn one_line_error(cmd: &mut Command, code: i32, needle: &str) {
    let out = cmd.assert().code(code).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr}");
    assert!(lines[0].contains(needle), "{:?} does not contain {needle:?}", lines[0]);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_input_gets_one_clear_line() {
    one_line_error(metron().arg("metron-no-such-command --x"), 1, "command not found: 'metron-no-such-command'");
    one_line_error(metron().args(["--setup", "exit 3", "true"]), 1, "setup 'exit 3' failed with exit status 3");
    one_line_error(metron().args(["--runs", "0", "true"]), 2, "invalid value '0' for '--runs': must be at least 1");
    one_line_error(metron().args(["--precision", "-1", "true"]), 2, "--precision must be between 0 and 100% (got -1%)");
    one_line_error(metron().args(["--precision", "abc", "true"]), 2, "not a percentage");
    one_line_error(metron().args(["--time-budget", "0s", "true"]), 2, "--time-budget must be positive");
    one_line_error(
        metron().args(["--export-json", "/nonexistent-dir/r.json", "true"]),
        1,
        "--export-json /nonexistent-dir/r.json: cannot write in /nonexistent-dir (No such file or directory (os error 2))",
    );
    one_line_error(metron().args(["--frobnicate", "true"]), 2, "unexpected argument '--frobnicate'");
    one_line_error(
        metron().args(["--export-json", "x.json", "--export-csv", "x.json", "true"]),
        2,
        "--export-json and --export-csv both write to x.json",
    );
    one_line_error(metron().args(["timeit"]), 2, "not provided: <STMT>... (see 'metron timeit --help')");
    one_line_error(metron().args(["--runs", "2", "kill -9 $$"]), 1, "'kill -9 $$' was killed by signal 9 (SIGKILL)");
    one_line_error(metron().args(["--clock", "sundial", "true"]), 2, "not a clock");
    one_line_error(metron().args(["-n", "a", "true", "false"]), 2, "1 --name values for 2 commands");
    one_line_error(metron().arg(""), 2, "empty command");
    one_line_error(metron().arg("''"), 1, "command not found: ''");
    // Caught while parsing or configuring: nothing runs, so `true` stands in.
    let usage_errors: &[(&[&str], &str)] = &[
        (&["--time-budget", "1e30"], "'1e30' is too long a duration (at most 365 days)"),
        (&["--time-budget", "99999999999999999999s"], "'99999999999999999999s' is too long a duration"),
        (&["--sample-time", "1e30"], "'1e30' is too long a duration"),
        (&["timeit", "--sample-time", "1e30"], "'1e30' is too long a duration"),
        (&["timeit", "--time-budget", "1e30"], "'1e30' is too long a duration"),
        (&["-P", "t", "0", "1e308", "--runs", "2"], "--parameter-scan would make 1e308 benchmarks (at most 10000)"),
        (&["--min-runs", "10", "--max-runs", "2"], "--min-runs (10) is larger than --max-runs (2)"),
        (&["--min-runs", "0"], "'--min-runs': must be at least 1"),
        (&["timeit", "--min-runs", "0"], "'--min-runs': must be at least 1"),
        (&["timeit", "--min-runs", "5", "-r", "2"], "'--min-runs <N>' cannot be used with '--runs <N>'"),
        (&["--noise=-1"], "'--noise': must be 0% or more (got -1%)"),
        (&["--fail-on-regression=-5", "--baseline", "b"], "'--fail-on-regression': must be 0% or more (got -5%)"),
        (&["compare", "a.json", "b.json", "--noise=-1"], "'--noise': must be 0% or more (got -1%)"),
        (&["compare", "a.json", "b.json", "--fail-on-regression=-5"], "'--fail-on-regression': must be 0% or more"),
        (&["--fail-on-regression"], "--fail-on-regression needs --baseline NAME"),
        (&["timeit", "--fail-on-regression=5%"], "--fail-on-regression needs --baseline NAME"),
        (&["-L", "mode", ""], "--parameter-list mode '': empty value"),
        (&["-L", "mode", "a,,b"], "--parameter-list mode 'a,,b': empty value"),
        (
            &["-P", "t", "1", "2", "-P", "u", "1", "2"],
            "'--parameter-scan <NAME> <MIN> <MAX>' cannot be used multiple times",
        ),
        (&["-L", "t", "a", "-L", "t", "b"], "--parameter-list t is given twice"),
    ];
    for (args, message) in usage_errors {
        let mut c = metron();
        c.args(*args);
        if args[0] != "compare" {
            c.arg("true");
        }
        one_line_error(&mut c, 2, message);
    }
}

#[test]
fn comparison_flags_are_checked_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let touch = format!("touch {}", marker.display());
    std::fs::create_dir_all(dir.path().join(".metron/baselines")).unwrap();
    std::fs::write(dir.path().join(".metron/baselines/broken.json"), "{").unwrap();
    let cases: [(&[&str], i32, &str); 8] = [
        (&["--reference", "nope"], 2, "--reference 'nope' names no benchmark of this run"),
        (&["-P", "t", "1", "2", "-n", "x{t}", "--reference", "t3"], 2, "--reference 't3' names no benchmark"),
        (&["--baseline", "nope"], 2, "--baseline: no baseline named 'nope'"),
        (&["--baseline", "broken"], 1, "--baseline: .metron/baselines/broken.json: not valid JSON"),
        (&["--save-baseline", "a/b"], 2, "--save-baseline: baseline name 'a/b' must be a plain file name"),
        (&["--save-baseline="], 2, "--save-baseline: baseline name '' must be a plain file name"),
        (&["timeit", "--reference", "nope"], 2, "--reference 'nope' names no benchmark"),
        (&["timeit", "--baseline", "nope"], 2, "--baseline: no baseline named 'nope'"),
    ];
    for (args, code, message) in cases {
        let runs = if args[0] == "timeit" { "-r" } else { "--runs" };
        let mut c = metron();
        c.current_dir(dir.path()).args(args).args([runs, "2", &touch]);
        one_line_error(&mut c, code, message);
        assert!(!marker.exists(), "{args:?}: the command ran before the mistake was found");
    }
    // A reference named after parameter expansion passes the check.
    metron()
        .current_dir(dir.path())
        .args(["--runs", "2", "-P", "t", "1", "2", "-n", "t{t}", "--reference", "t2", "true"])
        .assert()
        .success()
        .stdout(predicate::str::contains("t1"));
}

#[test]
fn a_failing_command_names_its_status_and_stderr_and_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let out = metron()
        .args(["--runs", "3", "--export-json"])
        .arg(&json)
        .args(["true", "echo oops >&2; exit 7"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("'echo oops >&2; exit 7' failed with exit status 7; stderr: oops"), "{stderr}");
    let report = load(&json);
    assert_eq!(report.benchmarks.len(), 1, "the working command is kept");
    assert_eq!(report.failures.len(), 1);
    assert!(report.failures[0].reason.contains("exit status 7"));
}

#[test]
fn ignore_failure_times_failing_runs() {
    metron().args(["--runs", "2", "-i", "false"]).assert().success();
}

#[test]
fn parameter_scan_and_list_substitute_quoted_values() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    metron()
        .args(["--runs", "2", "-P", "n", "1", "3", "--export-json"])
        .arg(&json)
        .arg("sleep 0.00{n}")
        .assert()
        .success();
    let names: Vec<String> = load(&json).benchmarks.iter().map(|b| b.name.clone()).collect();
    assert_eq!(names, ["sleep 0.001", "sleep 0.002", "sleep 0.003"]);
    metron()
        .args(["--runs", "2", "-L", "word", "a b,c", "--show-output", "--export-json"])
        .arg(&json)
        .arg("printf '[%s]' {word}")
        .assert()
        .success()
        .stdout(predicate::str::contains("[a b]"));
    let report = load(&json);
    let commands: Vec<&str> = report.benchmarks.iter().map(|b| b.command.as_deref().unwrap()).collect();
    assert_eq!(commands, ["printf '[%s]' 'a b'", "printf '[%s]' c"]);
    assert_eq!(report.benchmarks[0].parameters["word"], "a b");
}

#[test]
fn prepare_and_conclude_run_around_every_timed_run() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let l = log.display();
    metron()
        .args(["--runs", "2", "--warmup", "0"])
        .arg("--setup")
        .arg(format!("echo setup >> {l}"))
        .arg("--prepare")
        .arg(format!("echo prepare >> {l}"))
        .arg("--conclude")
        .arg(format!("echo conclude >> {l}"))
        .arg("--cleanup")
        .arg(format!("echo cleanup >> {l}"))
        .arg(format!("sh -c 'echo run >> {l}'"))
        .assert()
        .success();
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        ["setup", "prepare", "run", "conclude", "prepare", "run", "conclude", "cleanup"]
    );
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let plain = metron().args(["--runs", "2", "true"]).assert().success().get_output().stdout.clone();
    assert!(!String::from_utf8(plain).unwrap().contains('\x1b'));
    let coloured =
        metron().args(["--runs", "2", "--color", "always", "true"]).assert().success().get_output().stdout.clone();
    assert!(String::from_utf8(coloured).unwrap().contains('\x1b'));
    let no_color = metron()
        .env("NO_COLOR", "1")
        .args(["--runs", "2", "--color", "auto", "true"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8(no_color).unwrap().contains('\x1b'));
}

#[test]
fn json_to_stdout_keeps_stdout_pure() {
    let out = metron().args(["--runs", "2", "--export-json", "-", "true"]).assert().success().get_output().clone();
    let report = RunRecord::from_json(&String::from_utf8(out.stdout).unwrap(), "stdout").unwrap();
    assert_eq!(report.benchmarks.len(), 1);
    assert!(String::from_utf8(out.stderr).unwrap().contains("Benchmark 1: true"));
}

#[test]
fn ctrl_c_keeps_what_was_measured() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let log = dir.path().join("runs.log");
    let bin = assert_cmd::cargo::cargo_bin("metron");
    let mut child = StdCommand::new(bin)
        .args(["--runs", "1000", "--warmup", "0", "--export-json"])
        .arg(&json)
        .arg("--prepare")
        .arg(format!("echo x >> {}", log.display()))
        .arg("sleep 0.05")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // --prepare runs before every timed run: six lines mean five runs are
    // done. Waiting for that, not for a fixed time, keeps the test meaningful
    // however slowly a loaded machine starts metron.
    let started = std::time::Instant::now();
    while std::fs::read_to_string(&log).map_or(0, |t| t.lines().count()) < 6 {
        assert!(started.elapsed() < Duration::from_secs(60), "metron did not reach its sixth run in 60 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: plain kill(2) on our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let report = load(&json);
    assert!(report.interrupted);
    let b = &report.benchmarks[0];
    assert_eq!(b.stop_reason, StopReason::Interrupted);
    assert!(b.samples.len() >= 5, "five runs had finished before Ctrl-C: {}", b.samples.len());
}

#[test]
fn baselines_and_compare() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut c = metron();
        c.current_dir(dir.path()).args(["--runs", "15"]).args(args);
        c
    };
    run(&["--save-baseline", "base", "--export-json", "old.json", "sleep 0.01"]).assert().success();
    assert!(dir.path().join(".metron/baselines/base.json").exists());
    run(&["--baseline", "base", "--export-json", "new.json", "sleep 0.01"])
        .assert()
        .success()
        .stdout(predicate::str::contains("verdict"));
    let new = load(&dir.path().join("new.json"));
    let change = &new.baseline.as_ref().unwrap().changes[0];
    assert_eq!(change.id, "sleep 0.01");
    assert!(change.p_welch >= 0.0 && change.p_mann_whitney >= 0.0);
    // The regressed side is the old run with every time doubled: the gate's
    // wiring is under test here, so its verdict must not hang on whether a
    // loaded machine happened to slow the first run down (tests/compare.rs
    // covers the statistics).
    let mut slower = load(&dir.path().join("old.json"));
    for s in slower.benchmarks.iter_mut().flat_map(|b| b.samples.iter_mut()) {
        s.wall_ns *= 2.0;
        for t in [&mut s.cpu_ns, &mut s.user_ns, &mut s.sys_ns].into_iter().flatten() {
            *t *= 2.0;
        }
    }
    slower.write_atomic(&dir.path().join("slower.json")).unwrap();
    metron()
        .current_dir(dir.path())
        .args(["compare", "old.json", "slower.json", "--fail-on-regression"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("regressed"));
    let gate = metron()
        .current_dir(dir.path())
        .args(["compare", "old.json", "slower.json", "--export-json", "cmp.json"])
        .assert()
        .success();
    drop(gate);
    let cmp = load(&dir.path().join("cmp.json"));
    assert_eq!(cmp.baseline.unwrap().changes[0].verdict, ChangeVerdict::Regressed);
}

#[test]
fn compare_refuses_bad_files_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    metron().args(["--runs", "2", "--export-json"]).arg(&good).arg("true").assert().success();
    let text = std::fs::read_to_string(&good).unwrap();
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    let newer = dir.path().join("newer.json");
    let current = format!("\"schema_version\": {}", metron::model::SCHEMA_VERSION);
    std::fs::write(&newer, text.replacen(&current, "\"schema_version\": 7", 1)).unwrap();
    let other = dir.path().join("other.json");
    std::fs::write(&other, "{\"hello\": \"world\"}").unwrap();
    let mut c = metron();
    c.arg("compare").arg(&good).arg(&truncated);
    one_line_error(&mut c, 1, "not valid JSON");
    let mut c = metron();
    c.arg("compare").arg(&newer).arg(&good);
    one_line_error(
        &mut c,
        1,
        &format!("schema version 7 is newer than this metron's ({})", metron::model::SCHEMA_VERSION),
    );
    let mut c = metron();
    c.arg("compare").arg(&good).arg(&other);
    one_line_error(&mut c, 1, "not a metron report");
    let mut c = metron();
    c.arg("compare").arg(&good).arg(dir.path().join("missing.json"));
    one_line_error(&mut c, 1, "missing.json: No such file");
}

#[test]
fn help_teaches() {
    metron()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("--precision"))
        .stdout(predicate::str::contains("Exit status"));
}

#[test]
fn any_export_can_go_to_stdout_alone() {
    let out = metron().args(["--runs", "2", "--export-markdown", "-", "true"]).assert().success().get_output().clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("| Command | Median"), "only the table on stdout: {stdout}");
    assert!(String::from_utf8(out.stderr).unwrap().contains("Benchmark 1: true"), "the summary moves to stderr");
}

#[test]
fn an_export_to_a_device_writes_into_it() {
    // As root a rename would replace /dev/null with a regular file.
    metron().args(["--runs", "2", "--export-json", "/dev/null", "true"]).assert().success();
    assert!(!std::fs::metadata("/dev/null").unwrap().is_file(), "/dev/null is still a device");
    metron().args(["--runs", "2", "--export-json", "/dev/full", "true"]).assert().code(1);
    assert!(!std::fs::metadata("/dev/full").unwrap().is_file(), "/dev/full is still a device");
}

/// A CI gate that compares nothing must not pass: a baseline whose command
/// was renamed fails `--fail-on-regression` with a line naming both.
#[test]
fn the_gate_fails_when_a_benchmark_was_renamed() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut c = metron();
        c.current_dir(dir.path()).args(["--runs", "3"]).args(args);
        c
    };
    run(&["--save-baseline", "base", "-n", "old name", "true"]).assert().success();
    let out = run(&["--baseline", "base", "--fail-on-regression", "-n", "new name", "true"]).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let line = stderr.lines().find(|l| l.starts_with("regression gate failed:")).unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("'old name'") && line.contains("'new name'") && line.contains("--name"), "{line}");
    // The same name passes: the gate is not failing on everything.
    run(&["--baseline", "base", "--fail-on-regression=50%", "-n", "old name", "true"]).assert().success();
    // `metron compare` of a run with nothing in it never passes either.
    run(&["--export-json", "a.json", "-n", "old name", "true"]).assert().success();
    let mut empty = load(&dir.path().join("a.json"));
    empty.benchmarks.clear();
    empty.write_atomic(&dir.path().join("empty.json")).unwrap();
    metron()
        .current_dir(dir.path())
        .args(["compare", "empty.json", "a.json", "--fail-on-regression"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("regression gate failed: 'old name' has no counterpart"));
}

#[test]
fn parameter_values_never_run_as_shell_code() {
    let payloads =
        ["$(touch pwned)", "`touch pwned`", ";touch pwned", "';touch pwned;'", "\";touch pwned;\"", "x\ntouch pwned"];
    let templates = [
        "echo {v} | cat",
        "echo \"{v}\" | cat",
        "echo '{v}' | cat",
        "echo \"$(echo {v})\" | cat",
        "printf %s {v}",
        "sh -c 'echo {v}'",
        "bash -c 'echo {v}'",
        "sh -c \"echo {v}\"",
        "true; sh -c 'echo {v}'",
        "true; bash -c \"echo {v}\"",
        "eval \"echo {v}\"",
        "echo $(( {v} ))",
    ];
    let dir = tempfile::tempdir().unwrap();
    for template in templates {
        for payload in payloads {
            let out = metron()
                .current_dir(dir.path())
                .args(["--runs", "1", "--warmup", "0", "-L", "v", payload, template])
                .output()
                .unwrap();
            assert!(!dir.path().join("pwned").exists(), "{template:?} with {payload:?} ran the value as code");
            let stderr = String::from_utf8_lossy(&out.stderr);
            match out.status.code() {
                Some(0) => {}
                Some(2) => assert!(stderr.starts_with("Error: {v} is ") && stderr.lines().count() == 1, "{stderr}"),
                other => panic!("{template:?} with {payload:?}: exit {other:?}: {stderr}"),
            }
        }
    }
    // Values that are data everywhere keep working in every context.
    metron().current_dir(dir.path()).args(["--runs", "1", "-L", "n", "1,2", "sleep 0.0{n}"]).assert().success();
    metron().current_dir(dir.path()).args(["--runs", "1", "-P", "t", "1", "3", "sleep 0.0{t}"]).assert().success();
    metron()
        .args(["--runs", "1", "--show-output", "-L", "v", "a b", "echo '[{v}]' | cat"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("{v} is inside single quotes"));
    metron()
        .args(["--runs", "1", "--show-output", "-L", "v", "it's;$(x)", "echo \"[{v}]\" | cat"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[it's;$(x)]"));
    metron()
        .args(["--runs", "1", "--show-output", "-L", "v", "a  b", "sh -c 'printf \"<%s>\" {v}'"])
        .assert()
        .success()
        .stdout(predicate::str::contains("<a  b>"));
}

#[test]
fn careless_inputs_get_one_clear_line() {
    let many: Vec<String> = (0..=10_000).map(|i| i.to_string()).collect();
    one_line_error(
        metron().args(["-L", "n", &many.join(","), "sleep 0.{n}"]),
        2,
        "--parameter-list would make 10001 benchmarks (at most 10000)",
    );
    one_line_error(metron().args(["-P", "x", "1", "2", "true"]), 2, "parameter x: no command");
    // Used by --name alone is used: the names tell the runs apart.
    metron().args(["--runs", "1", "-P", "x", "1", "2", "--name", "run {x}", "true"]).assert().success();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script.sh");
    std::fs::write(&script, "#!/no/such/interpreter\necho hi\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    one_line_error(
        metron().args(["--runs", "1"]).arg(&script),
        1,
        "the interpreter '/no/such/interpreter' named in the #! line of",
    );
}

#[test]
fn a_command_that_interrupts_itself_is_named() {
    metron()
        .args(["--runs", "3", "kill -INT $$"])
        .assert()
        .code(130)
        .stderr(predicate::str::contains("'kill -INT $$' was killed by SIGINT; stopping"));
}

#[test]
fn shell_builtins_run_through_the_shell() {
    metron().args(["--runs", "2", ":"]).assert().success();
    metron().args(["--runs", "2", "times"]).assert().success();
}

/// Whether `text` holds a character that can move a terminal's cursor or
/// reorder what it shows (newlines and tabs aside).
fn has_raw_controls(text: &str) -> bool {
    text.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c))
}

#[test]
fn control_characters_from_names_and_stderr_are_escaped() {
    let name = "a\u{1b}[2Kb\rc\u{202e}d";
    let out = metron().args(["--runs", "1", "-n", name, "true"]).assert().success().get_output().clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!has_raw_controls(&stdout), "{stdout:?}");
    assert!(stdout.contains(r"a\x1b[2Kb\rc\u{202e}d"), "{stdout:?}");
    let out = metron()
        .args(["--runs", "1", "printf 'x\\033]0;pwn\\007y\\n' >&2; exit 3"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!has_raw_controls(&stderr), "{stderr:?}");
    assert!(stderr.contains(r"x\x1b]0;pwn\x07y"), "{stderr:?}");
}

/// A stream export target (`/dev/stdout`, a FIFO) receives one JSON
/// document, at the end: checkpoints go to regular files only.
#[test]
fn a_stream_export_gets_one_document() {
    let out =
        metron().args(["-q", "--runs", "3", "true", "sleep 0.001", "--export-json", "/dev/stdout"]).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(stdout.matches("\"schema_version\"").count(), 1, "{stdout}");
}

/// A sample of 1e308 ns once made `metron report` build billions of axis
/// ticks and abort: such a file is refused when loading, in one line.
#[test]
fn an_impossible_sample_is_refused_on_loading() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    metron().args(["-q", "--runs", "3", "true", "--export-json"]).arg(&json).assert().success();
    let mut record = load(&json);
    record.benchmarks[0].samples[1].wall_ns = 1e308;
    record.write_atomic(&json).unwrap();
    for args in [vec!["report", "r.json", "-o", "site"], vec!["compare", "r.json", "r.json"]] {
        one_line_error(metron().current_dir(dir.path()).args(&args), 1, "1e308 ns is longer than any sample can be");
    }
}

#[test]
fn replicate_and_pin_mistakes_get_one_clear_line() {
    one_line_error(metron().args(["--replicates", "0", "true"]), 2, "--replicates");
    one_line_error(metron().args(["--pin", "4095", "--runs", "2", "true"]), 1, "--pin: CPU 4095 is not available here");
    one_line_error(metron().args(["--pin", "3-1", "true"]), 2, "is not a CPU list");
}

#[test]
fn a_baseline_of_one_replicate_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (one, five) = (dir.path().join("one.json"), dir.path().join("five.json"));
    metron().args(["--replicates", "1", "--runs", "6", "--export-json"]).arg(&one).arg("true").assert().success();
    metron().args(["--runs", "10", "--export-json"]).arg(&five).arg("true").assert().success();
    let record = metron::model::RunRecord::load(&five).unwrap();
    let b = &record.benchmarks[0];
    assert_eq!(b.replicates.len(), 5, "ten runs in five replicates of two");
    assert_eq!(b.run_level.as_ref().map(|l| l.replicates), Some(5));
    one_line_error(metron().arg("compare").arg(&one).arg(&five), 1, "'true' in the baseline has 1 replicate");
    metron().arg("compare").arg(&five).arg(&five).assert().success();
    // The same through a saved baseline: refused before anything is measured.
    metron()
        .current_dir(dir.path())
        .args(["--replicates", "1", "--runs", "4", "--save-baseline", "b", "true"])
        .assert()
        .success();
    one_line_error(
        metron().current_dir(dir.path()).args(["--runs", "10", "--baseline", "b", "true"]),
        2,
        "'true' in the baseline has 1 replicate",
    );
}

#[test]
fn saved_baselines_keep_their_last_runs() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..3 {
        metron()
            .current_dir(dir.path())
            .args(["--runs", "10", "--keep-runs", "2", "--save-baseline", "b", "true"])
            .assert()
            .success();
    }
    let base = dir.path().join(".metron/baselines");
    assert!(base.join("b.json").exists() && base.join("b.runs/1.json").exists());
    assert!(!base.join("b.runs/2.json").exists(), "two runs in all: the latest and one before");
    let out = dir.path().join("cmp.json");
    metron()
        .current_dir(dir.path())
        .args(["--runs", "10", "--baseline", "b", "--export-json"])
        .arg(&out)
        .arg("true")
        .assert()
        .success();
    let record = metron::model::RunRecord::load(&out).unwrap();
    assert_eq!(record.baseline.unwrap().changes[0].baseline_runs, 2);
}

/// Six runs of `sleep 0.003` with the memory of earlier runs in `memory`,
/// exported to `json`; what it printed.
fn sleep_remembered(memory: &std::path::Path, json: &std::path::Path) -> String {
    let out = metron()
        .env("METRON_RUN_MEMORY", memory)
        .args(["--runs", "6", "--export-json"])
        .arg(json)
        .arg("sleep 0.003")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// The memory of earlier runs (`METRON_RUN_MEMORY`, here a directory of the
/// test's own): the fourth run of a command is widened by the spread of the
/// three before it, says so, and writes a file that loads (its interval is
/// what the loader computes again from the samples and the declared spread).
#[test]
fn earlier_runs_on_this_host_widen_the_interval_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let memory = dir.path().join("memory");
    let run = |i: usize| {
        let json = dir.path().join(format!("{i}.json"));
        (sleep_remembered(&memory, &json), load(&json))
    };
    for i in 0..3 {
        let (stdout, record) = run(i);
        let level = record.benchmarks[0].run_level.clone();
        assert!(level.is_none_or(|l| l.earlier.is_none()), "run {i} has no 3 earlier runs yet");
        assert!(!stdout.contains("earlier runs on this host"), "{stdout}");
    }
    let (stdout, record) = run(3);
    let b = &record.benchmarks[0];
    let earlier = b.run_level.as_ref().and_then(|l| l.earlier).expect("the fourth run knows three earlier ones");
    assert_eq!(earlier.runs, 3);
    assert!(earlier.sd_log > 0.0 && earlier.half_width > 0.0, "{earlier:?}");
    let (ci, widened) = (b.wall.median_ci, b.wall.median * (1.0 + earlier.half_width));
    assert!(ci.hi >= widened * 0.999_999, "the headline CI {ci:?} reaches the earlier runs' {earlier:?}");
    assert!(stdout.contains("over 3 earlier runs on this host"), "{stdout}");
    // Turned off, nothing is read or written.
    let off = dir.path().join("off.json");
    metron()
        .env("METRON_RUN_MEMORY", "off")
        .args(["--runs", "6", "--export-json"])
        .arg(&off)
        .arg("sleep 0.003")
        .assert()
        .success();
    assert!(load(&off).benchmarks[0].run_level.as_ref().is_none_or(|l| l.earlier.is_none()));
    let lines: usize = std::fs::read_dir(&memory)
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap().lines().count())
        .sum();
    assert_eq!(lines, 4, "one line per uninterrupted run");
}

/// A run far from what its earlier runs measured (here the memory is told
/// that three earlier runs of the command took half as long, as if this run
/// were disturbed as a whole): the headline CI reaches back to the interval
/// of the earlier runs' mean, and the uncertainty line says how far it lies.
#[test]
fn a_run_far_from_its_earlier_runs_reaches_back_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let memory = dir.path().join("memory");
    sleep_remembered(&memory, &dir.path().join("first.json"));
    let file = std::fs::read_dir(&memory).unwrap().next().unwrap().unwrap().path();
    let line: serde_json::Value = serde_json::from_str(std::fs::read_to_string(&file).unwrap().trim()).unwrap();
    let half = line["median_ns"].as_f64().unwrap() / 2.0;
    let earlier: String = [0.99, 1.0, 1.01]
        .iter()
        .map(|f| format!("{{\"key\":{},\"median_ns\":{},\"at\":{}}}\n", line["key"], half * f, line["at"]))
        .collect();
    std::fs::write(&file, earlier).unwrap();
    let json = dir.path().join("now.json");
    let stdout = sleep_remembered(&memory, &json);
    let b = &load(&json).benchmarks[0];
    let e = b.run_level.as_ref().and_then(|l| l.earlier).expect("three earlier runs");
    let mean = e.mean_log.expect("the memory records their mean").exp();
    assert!((mean / half - 1.0).abs() < 1e-3, "mean of the earlier runs {mean} vs {half}");
    assert!(b.wall.median_ci.lo < mean, "the CI {:?} reaches the earlier runs' mean {mean}", b.wall.median_ci);
    assert!(stdout.contains("their mean is -"), "{stdout}");
    assert!(stdout.contains("from this run's median, and the CI reaches it"), "{stdout}");
}

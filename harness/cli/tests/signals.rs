//! Signals sent to metron alone (`kill PID`, as a process manager or
//! `timeout` does), run for real: the real binary, real child processes found
//! in `/proc`, real SIGTERM, SIGINT and SIGHUP.
//!
//! Each test waits for evidence (a child in `/proc`, a checkpoint on disk)
//! rather than for a fixed time, and bounds only what a loaded machine can
//! make slower, by far more than it would need.

use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use metron::RunRecord;

/// metron with these arguments, its output discarded.
fn spawn_metron(args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("metron"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Pids of the processes whose command line is exactly `words`.
fn processes(words: &[&str]) -> Vec<u32> {
    let wanted: Vec<u8> = words.iter().flat_map(|w| w.bytes().chain([0])).collect();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        if std::fs::read(entry.path().join("cmdline")).is_ok_and(|c| c == wanted) {
            found.push(pid);
        }
    }
    found
}

/// Waits (up to `limit`) until `ready` holds, failing the test with `what` if it never does.
fn wait_for(what: &str, limit: Duration, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for metron to exit; a hang fails the test (and kills metron).
fn wait_exit(child: &mut Child, limit: Duration) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("metron did not exit within {limit:?} of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: plain kill(2) on our own child, which has not been reaped.
    unsafe { libc::kill(child.id() as libc::pid_t, signal) };
}

fn load(path: &Path) -> RunRecord {
    RunRecord::load(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Starts metron with `args`, waits until `marker` (a child's whole command
/// line) runs, sends `sig` to metron alone and checks that metron stops with
/// 130 well before the 100 s child would have ended, leaving no such child.
fn stops_on(sig: libc::c_int, args: &[&str], marker: &[&str]) {
    let mut child = spawn_metron(args);
    wait_for("the command started", Duration::from_secs(60), || !processes(marker).is_empty());
    signal(&child, sig);
    // The command sleeps 100 s; 60 s is far more than stopping takes.
    let status = wait_exit(&mut child, Duration::from_secs(60));
    assert_eq!(status.code(), Some(130), "{args:?}");
    wait_for("the command is gone", Duration::from_secs(10), || processes(marker).is_empty());
}

#[test]
fn a_signal_to_metron_alone_stops_a_running_command() {
    let dir = tempfile::tempdir().unwrap();
    for (sig, duration) in [(libc::SIGTERM, "100.11"), (libc::SIGINT, "100.12"), (libc::SIGHUP, "100.13")] {
        let json = dir.path().join(format!("{sig}.json"));
        let command = format!("sleep {duration}");
        let json_arg = json.to_str().unwrap();
        stops_on(sig, &["--export-json", json_arg, &command], &["sleep", duration]);
        assert!(load(&json).interrupted, "signal {sig}: the JSON says the run was interrupted");
    }
}

#[test]
fn a_signal_stops_a_setup_command_and_a_timeit_statement() {
    stops_on(libc::SIGTERM, &["--setup", "sleep 100.21", "true"], &["sleep", "100.21"]);
    stops_on(libc::SIGTERM, &["timeit", "sleep 100.22"], &["sleep", "100.22"]);
}

/// Pids of `pid`'s children and their children, found through `/proc`.
fn descendants(pid: u32) -> Vec<u32> {
    let parent_of = |p: u32| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).ok()?;
        // The fields after the parenthesised name: state, then the parent's pid.
        stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
    };
    let all: Vec<u32> =
        std::fs::read_dir("/proc").unwrap().flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect();
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let p = found[i];
        found.extend(all.iter().filter(|&&c| parent_of(c) == Some(p)));
        i += 1;
    }
    found.remove(0);
    found
}

/// User plus system CPU time of `pid` so far, in clock ticks (usually 10 ms).
fn cpu_ticks(pid: u32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return 0 };
    let Some((_, rest)) = stat.rsplit_once(')') else { return 0 };
    // After the name: state is field 3, utime 14 and stime 15.
    rest.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<u64>().ok()).sum()
}

/// Whether `pid` is a live process (not gone, not a zombie).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(')').map(|(_, rest)| !rest.trim_start().starts_with('Z')))
        .unwrap_or(false)
}

#[test]
fn a_second_signal_keeps_every_sample_measured_and_leaves_no_child() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("d.json");
    let mut child = spawn_metron(&["--runs", "100", "--export-json", json.to_str().unwrap(), "sleep 0.3031"]);
    // A checkpoint of the benchmark in progress, before it finishes: wait
    // until it holds a few samples.
    let mut checkpointed = 0;
    wait_for("a checkpoint with 3 samples", Duration::from_secs(120), || {
        checkpointed = RunRecord::load(&json).map_or(0, |r| r.benchmarks.iter().map(|b| b.samples.len()).sum());
        checkpointed >= 3
    });
    signal(&child, libc::SIGINT);
    std::thread::sleep(Duration::from_millis(50));
    signal(&child, libc::SIGINT);
    let status = wait_exit(&mut child, Duration::from_secs(60));
    assert_eq!(status.code(), Some(130));
    let record = load(&json);
    assert!(record.interrupted);
    let samples = record.benchmarks[0].samples.len();
    assert!(samples >= checkpointed, "{samples} samples, {checkpointed} in an earlier checkpoint");
    wait_for("no sleep is left", Duration::from_secs(10), || processes(&["sleep", "0.3031"]).is_empty());
}

#[test]
fn a_second_signal_ends_a_snippet_that_ignores_sigint() {
    if Command::new("python3").arg("-c").arg("pass").status().map_or(true, |s| !s.success()) {
        eprintln!("skipped: no python3");
        return;
    }
    let setup = "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)";
    let mut child = spawn_metron(&["timeit", "--lang", "python", "-s", setup, "while True: pass"]);
    let pid = child.id();
    // The driver is the child that spins: past its setup, in the statement,
    // ignoring SIGINT (other children, such as a version probe, come and go).
    let mut drivers = Vec::new();
    wait_for("the python driver spins", Duration::from_secs(60), || {
        drivers = descendants(pid).into_iter().filter(|&p| cpu_ticks(p) >= 30).collect();
        !drivers.is_empty()
    });
    signal(&child, libc::SIGINT);
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, libc::SIGINT);
    let status = wait_exit(&mut child, Duration::from_secs(60));
    assert_eq!(status.code(), Some(130));
    wait_for("the driver is gone", Duration::from_secs(10), || !drivers.iter().any(|&p| alive(p)));
}

/// `stops_on` with SIGTERM for a run exporting JSON, and the JSON it leaves
/// loads and says the run was interrupted.
fn stops_with_valid_json(args: &[&str], marker: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let mut all = args.to_vec();
    all.extend(["--export-json", json.to_str().unwrap()]);
    stops_on(libc::SIGTERM, &all, marker);
    assert!(load(&json).interrupted, "{args:?}: the JSON says the run was interrupted");
}

#[test]
fn sigterm_stops_a_prepare_command() {
    stops_with_valid_json(&["--prepare", "sleep 100.24", "true"], &["sleep", "100.24"]);
}

#[test]
fn sigterm_stops_a_python_statement() {
    if Command::new("python3").arg("-c").arg("pass").status().map_or(true, |s| !s.success()) {
        eprintln!("skipped: no python3");
        return;
    }
    let mut child = spawn_metron(&["timeit", "--lang", "python", "-s", "import time", "time.sleep(100.25)"]);
    let pid = child.id();
    let mut drivers = Vec::new();
    wait_for("the python driver runs", Duration::from_secs(60), || {
        drivers = descendants(pid);
        !drivers.is_empty()
    });
    std::thread::sleep(Duration::from_millis(500));
    drivers = descendants(pid);
    signal(&child, libc::SIGTERM);
    assert_eq!(wait_exit(&mut child, Duration::from_secs(60)).code(), Some(130));
    wait_for("the driver is gone", Duration::from_secs(10), || !drivers.iter().any(|&p| alive(p)));
}

#[test]
fn sigterm_stops_a_suite_command_workload() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().to_str().unwrap();
    stops_with_valid_json(
        &["suite", "concurrency", "--quick", "-o", out, "--command", "sleep 100.3{item}", "--items", "1,2"],
        &["sleep", "100.31"],
    );
}

/// Starts metron with `args`, waits until the file `started` exists (the
/// user's code writes it just before it blocks for 100 s), sends SIGTERM to
/// metron alone and checks that metron stops with 130 long before that
/// code would have returned, leaving none of the processes it had started.
fn sigterm_stops_user_code(args: &[&str], started: &Path) {
    let mut child = spawn_metron(args);
    let pid = child.id();
    // A first build of a Rust snippet fetches nothing but may compile for a while.
    wait_for("the user's code started", Duration::from_secs(300), || started.exists());
    let children = descendants(pid);
    assert!(!children.is_empty(), "the user's code runs in a child of metron");
    signal(&child, libc::SIGTERM);
    assert_eq!(wait_exit(&mut child, Duration::from_secs(60)).code(), Some(130), "{args:?}");
    wait_for("metron's children are gone", Duration::from_secs(10), || !children.iter().any(|&p| alive(p)));
}

#[test]
fn sigterm_stops_a_rust_statement() {
    if Command::new("cargo").arg("--version").stdout(Stdio::null()).status().map_or(true, |s| !s.success()) {
        eprintln!("skipped: no cargo");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let started = dir.path().join("started");
    let setup = format!("std::fs::write({:?}, \"\").unwrap();", started.to_str().unwrap());
    let stmt = "std::thread::sleep(std::time::Duration::from_secs(100))";
    sigterm_stops_user_code(&["timeit", "--lang", "rust", "-s", &setup, stmt], &started);
}

#[test]
fn sigterm_stops_a_python_function_of_the_suite() {
    if Command::new("python3").arg("-c").arg("pass").status().map_or(true, |s| !s.success()) {
        eprintln!("skipped: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let started = dir.path().join("started");
    let module = dir.path().join("slow.py");
    // The probe is the first to call the function: it must stop as the variants do.
    std::fs::write(
        &module,
        format!(
            "import time\n\ndef work(x):\n    open({:?}, 'a').close()\n    time.sleep(100)\n",
            started.to_str().unwrap()
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let function = format!("{}:work", module.to_str().unwrap());
    let args = ["suite", "concurrency", "--workers", "2", "--python", &function, "--inputs-expr", "range(2)", "-o"];
    let mut all = args.to_vec();
    all.push(out.to_str().unwrap());
    sigterm_stops_user_code(&all, &started);
}

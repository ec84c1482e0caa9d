//! Commands that read files and measure nothing, run for real against
//! FIFOs, devices, a silent database server and real signals: they refuse
//! what is not a file with one line, stop at once on the first signal, never
//! block on a FIFO export without a word, and chart any range a file may hold.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn metron() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("metron"));
    c.env("NO_COLOR", "1").env_remove("METRON_HISTORY").stdin(Stdio::null());
    c
}

/// Runs `command` to its end; one that is still running after `limit` (a
/// hang) is killed and fails the test.
fn run_within(mut command: Command, limit: Duration) -> Output {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("{command:?} still ran after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A real run's JSON, measured by metron.
fn measured(dir: &Path) -> std::path::PathBuf {
    let json = dir.join("good.json");
    let out = run_within(
        {
            let mut c = metron();
            c.args(["--runs", "3", "--export-json", json.to_str().unwrap(), "true"]);
            c
        },
        Duration::from_secs(120),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    json
}

#[test]
fn fifos_and_devices_are_refused_as_inputs_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = measured(dir.path());
    let fifo = dir.path().join("f");
    mkfifo(&fifo);
    let (f, g) = (fifo.to_str().unwrap(), good.to_str().unwrap());
    let html = dir.path().join("site");
    let db = dir.path().join("h.db");
    let cases: [&[&str]; 6] = [
        &["compare", f, g],
        &["compare", g, "/dev/zero"],
        &["report", f, "-o", html.to_str().unwrap()],
        &["import", "hyperfine", f],
        &["history", "add", "--history", db.to_str().unwrap(), f],
        &["compare", g, f],
    ];
    for args in cases {
        let mut c = metron();
        c.args(args);
        // Before: compare and report waited for a writer forever.
        let out = run_within(c, Duration::from_secs(30));
        assert!(!out.status.success(), "{args:?}");
        let text = stderr(&out);
        assert_eq!(text.trim_end().lines().count(), 1, "{args:?}: {text}");
        assert!(text.contains("not a regular file"), "{args:?}: {text}");
    }
}

#[test]
fn the_first_signal_stops_a_reading_command_at_once() {
    // A database server that accepts the connection and never answers:
    // `history show` waits on it, as a command may wait on a slow disk.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("postgres://metron@127.0.0.1:{}/perf?connect_timeout=600", silent.local_addr().unwrap().port());
    for sig in [libc::SIGTERM, libc::SIGINT] {
        let mut child =
            metron().args(["history", "show", "x", "--history", &url]).stdout(Stdio::null()).spawn().unwrap();
        let (stream, _) = silent.accept().unwrap();
        // SAFETY: kill(2) on our own child, not yet reaped.
        unsafe { libc::kill(child.id() as libc::pid_t, sig) };
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                panic!("signal {sig}: metron history show still waits");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(130), "signal {sig}");
        drop(stream);
    }
}

#[test]
fn an_export_to_a_fifo_nobody_reads_keeps_the_results_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("f");
    mkfifo(&fifo);
    let mut c = metron();
    c.args(["--runs", "3", "true", "--export-json", fifo.to_str().unwrap()]);
    // Before: metron printed its results and then waited for a reader forever.
    let out = run_within(c, Duration::from_secs(120));
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    let line = text.lines().find(|l| l.contains("no process is reading")).unwrap_or_else(|| panic!("{text}"));
    let kept = line.rsplit_once("the results are in ").unwrap().1.trim_end_matches(" instead");
    let record = metron::RunRecord::load(Path::new(kept)).unwrap();
    assert_eq!(record.benchmarks[0].samples.len(), 3, "every sample is kept");
}

#[test]
fn an_export_to_a_fifo_with_a_reader_gets_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("f");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let mut c = metron();
    c.args(["--runs", "3", "true", "--export-json", fifo.to_str().unwrap()]);
    let out = run_within(c, Duration::from_secs(120));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = reader.join().unwrap();
    assert_eq!(metron::RunRecord::from_json(&text, "fifo").unwrap().benchmarks[0].samples.len(), 3);
}

#[test]
fn a_report_of_samples_from_1_ns_to_a_year_renders_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let good = measured(dir.path());
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&good).unwrap()).unwrap();
    // The widest range the loader allows: 1 ns and 3e16 ns (under a year).
    json["benchmarks"][0]["samples"]["wall_ns"] = serde_json::json!([1.0, 3e16, 1.0]);
    let crafted = dir.path().join("crafted.json");
    std::fs::write(&crafted, json.to_string()).unwrap();
    let site = dir.path().join("site");
    let mut c = metron();
    c.args(["report", crafted.to_str().unwrap(), "-o", site.to_str().unwrap()]);
    // Bounded memory too: an unbounded tick list would need gigabytes.
    let limit = 2u64 << 30;
    // SAFETY: setrlimit in the child before exec, async-signal-safe.
    unsafe {
        use std::os::unix::process::CommandExt;
        c.pre_exec(move || {
            let r = libc::rlimit { rlim_cur: limit, rlim_max: limit };
            libc::setrlimit(libc::RLIMIT_AS, &r);
            Ok(())
        });
    }
    let out = run_within(c, Duration::from_secs(60));
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_dir(&site).unwrap().flatten().find(|e| e.path().extension().is_some_and(|x| x == "html"));
    let page = std::fs::read_to_string(page.unwrap().path()).unwrap();
    assert!(page.contains("data-chart=\"distribution\""));
}

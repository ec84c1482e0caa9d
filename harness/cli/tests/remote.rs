//! `metron remote` against real OpenSSH servers: the two loopback hosts of
//! `scripts/sshd.sh` (127.0.0.2:2222 and 127.0.0.3:2222, Debian's sshd,
//! installed by the script when missing). The "remote" hosts are this
//! machine, so the binary copied to them is the one under test.
//!
//! These tests fail, never skip, when sshd cannot be started: CI installs
//! openssh-server, and a missing one must be seen. They take turns (one
//! pair of hosts on fixed ports), and each stops its hosts when it ends,
//! panics included.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use assert_cmd::Command;
use metron::RunRecord;
use tempfile::TempDir;

const HOST_1: &str = "root@127.0.0.2:2222";
const HOST_2: &str = "root@127.0.0.3:2222";

/// One pair of hosts at a time: the ports are fixed.
static TURN: Mutex<()> = Mutex::new(());

fn sshd_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/sshd.sh")
}

/// The two loopback hosts, stopped on drop.
struct Hosts {
    dir: TempDir,
    _turn: MutexGuard<'static, ()>,
}

impl Hosts {
    fn start() -> Hosts {
        let turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let dir = tempfile::Builder::new().prefix("metron-sshd").tempdir().unwrap();
        let hosts = Hosts { dir, _turn: turn };
        let out = StdCommand::new("bash").arg(sshd_script()).arg("start").arg(hosts.dir.path()).output().unwrap();
        assert!(
            out.status.success(),
            "scripts/sshd.sh could not start the test hosts ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        hosts
    }

    fn key(&self) -> PathBuf {
        self.dir.path().join("id_ed25519")
    }

    /// ssh flags for both hosts: the key, and host keys checked against
    /// the servers' own (never weakened).
    fn ssh_flags(&self) -> Vec<String> {
        vec![
            "-i".into(),
            self.key().display().to_string(),
            "-o".into(),
            format!("UserKnownHostsFile={}", self.dir.path().join("known_hosts").display()),
            "-o".into(),
            "StrictHostKeyChecking=yes".into(),
        ]
    }

    /// Stops host `n` (1 or 2) only, as a crashed or unreachable machine.
    fn stop_one(&self, n: u32) {
        let pid_file = self.dir.path().join(format!("sshd-{n}.pid"));
        let pid: i32 = std::fs::read_to_string(&pid_file).unwrap().trim().parse().unwrap();
        // SAFETY: kill(2) with a pid we read from our own sshd's pid file.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        for _ in 0..100 {
            // Gone, or a zombie its (re)parent has not reaped yet: either way not listening.
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            if stat.split_whitespace().nth(2).is_none_or(|state| state == "Z") {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("sshd {n} did not stop");
    }
}

impl Drop for Hosts {
    fn drop(&mut self) {
        let _ = StdCommand::new("bash").arg(sshd_script()).arg("stop").arg(self.dir.path()).status();
    }
}

fn metron() -> Command {
    let mut c = Command::cargo_bin("metron").unwrap();
    c.env("NO_COLOR", "1").timeout(Duration::from_secs(180));
    c
}

fn load(path: &Path) -> RunRecord {
    RunRecord::load(path).unwrap_or_else(|e| panic!("{e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn two_hosts_are_merged_into_one_report() {
    let hosts = Hosts::start();
    let out = TempDir::new().unwrap();
    let (json, html) = (out.path().join("hosts.json"), out.path().join("hosts.html"));
    let run = metron()
        .args(["remote", "--hosts", &format!("{HOST_1},{HOST_2}")])
        .args(hosts.ssh_flags())
        .arg("--export-json")
        .arg(&json)
        .arg("--export-html")
        .arg(&html)
        .args(["--", "--runs", "3", "sleep 0.01"])
        .output()
        .unwrap();
    let stdout = text(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", text(&run.stderr));
    for host in [HOST_1, HOST_2] {
        assert!(stdout.contains(&format!("Host {host}: ")), "a title per host:\n{stdout}");
    }
    assert_eq!(stdout.matches("Benchmark 1: sleep 0.01").count(), 2, "{stdout}");
    assert!(stdout.contains("Per host"), "the per-host comparison:\n{stdout}");
    assert!(stdout.contains("2 hosts succeeded"), "{stdout}");

    let report = load(&json);
    let hosts_of: Vec<Option<&str>> = report.benchmarks.iter().map(|b| b.host.as_deref()).collect();
    assert_eq!(hosts_of, [Some(HOST_1), Some(HOST_2)]);
    assert!(report.benchmarks.iter().all(|b| b.name == "sleep 0.01" && b.samples.len() == 3));
    assert_eq!(report.hosts.len(), 2);
    for (h, name) in report.hosts.iter().zip([HOST_1, HOST_2]) {
        assert_eq!(h.host, name);
        assert!(h.error.is_none(), "{:?}", h.error);
        let env = h.environment.as_ref().expect("the remote environment");
        assert!(!env.hostname.is_empty() && !env.clocks.is_empty());
    }
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.comparisons.len(), 1, "one cross-host comparison");
    let c = &report.comparisons[0];
    assert_ne!(c.reference, c.candidate);
    assert!(report.command_line.iter().any(|a| a == "remote"));

    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(HOST_1) && page.contains(HOST_2), "both hosts in the HTML report");

    // The binary is in both hosts' cache now: the next run copies nothing.
    let again = metron()
        .args(["remote", "--hosts", &format!("{HOST_1},{HOST_2}"), "-q"])
        .args(hosts.ssh_flags())
        .args(["--", "--runs", "2", "true"])
        .output()
        .unwrap();
    let stdout = text(&again.stdout);
    assert!(again.status.success(), "{stdout}{}", text(&again.stderr));
    assert_eq!(stdout.matches("metron cached").count(), 2, "{stdout}");
    assert!(!stdout.contains("metron copied"), "{stdout}");
}

#[test]
fn a_host_that_is_down_fails_alone() {
    let hosts = Hosts::start();
    hosts.stop_one(2);
    let out = TempDir::new().unwrap();
    let json = out.path().join("partial.json");
    let run = metron()
        .args(["remote", "--hosts", &format!("{HOST_1},{HOST_2}")])
        .args(hosts.ssh_flags())
        .arg("--export-json")
        .arg(&json)
        .args(["--", "--runs", "3", "sleep 0.01"])
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&run.stdout), text(&run.stderr));
    assert_eq!(run.status.code(), Some(1), "a failed host fails the run:\n{stdout}{stderr}");
    assert!(stdout.contains(&format!("Host {HOST_1}: ")) && stdout.contains("Benchmark 1: sleep 0.01"), "{stdout}");
    assert!(stdout.contains("1 of 2 hosts failed"), "{stdout}");
    let error = stderr.lines().find(|l| l.starts_with("Error:")).unwrap_or_else(|| panic!("no error line:\n{stderr}"));
    assert!(error.contains(HOST_2) && error.to_lowercase().contains("connection refused"), "{error}");

    let report = load(&json);
    assert_eq!(report.benchmarks.len(), 1, "the other host's result survives");
    assert_eq!(report.benchmarks[0].host.as_deref(), Some(HOST_1));
    assert_eq!(report.failures.len(), 1);
    let f = &report.failures[0];
    assert_eq!((f.name.as_str(), f.host.as_deref()), ("*", Some(HOST_2)));
    assert!(f.reason.to_lowercase().contains("connection refused"), "{}", f.reason);
    assert!(report.hosts[0].error.is_none() && report.hosts[1].error.is_some());

    metron()
        .args(["remote", "--allow-partial", "-q", "--hosts", &format!("{HOST_1},{HOST_2}")])
        .args(hosts.ssh_flags())
        .args(["--", "--runs", "2", "true"])
        .assert()
        .success();
}

#[test]
fn a_failing_remote_benchmark_marks_its_host_failed() {
    let hosts = Hosts::start();
    let out = TempDir::new().unwrap();
    let json = out.path().join("failed.json");
    let run = metron()
        .args(["remote", "--hosts", HOST_1, "-F"])
        .arg(hosts.dir.path().join("ssh_config"))
        .arg("--export-json")
        .arg(&json)
        .args(["--", "--runs", "3", "exit 3"])
        .output()
        .unwrap();
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{}{stderr}", text(&run.stdout));
    assert!(stderr.contains(&format!("Error: {HOST_1}: the remote metron failed")), "{stderr}");
    assert!(stderr.contains("'exit 3' failed with exit status 3"), "the remote error line:\n{stderr}");
    let report = load(&json);
    assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
    let f = &report.failures[0];
    assert_eq!((f.name.as_str(), f.host.as_deref()), ("exit 3", Some(HOST_1)));
    assert!(f.reason.contains("exit status 3"), "{}", f.reason);
    let host = &report.hosts[0];
    assert!(host.error.as_deref().is_some_and(|e| e.contains("exit status 3")), "{:?}", host.error);
    assert!(host.environment.is_some(), "the host answered");
}

#[test]
fn put_files_reach_the_benchmark_directory() {
    let hosts = Hosts::start();
    let local = TempDir::new().unwrap();
    let data = local.path().join("data.txt");
    let token = format!("metron-put-{}", std::process::id());
    std::fs::write(&data, format!("{token}\n")).unwrap();
    // The hosts are this machine: the remote directory is a local temporary one.
    let remote = local.path().join("remote work");
    let json = local.path().join("put.json");
    let run = metron()
        .args(["remote", "--parallel", "--hosts", &format!("{HOST_1},{HOST_2}")])
        .args(hosts.ssh_flags())
        .arg("--cd")
        .arg(&remote)
        .arg("--put")
        .arg(format!("{}:in/", data.display()))
        .arg("--export-json")
        .arg(&json)
        .args(["--", "--runs", "2", &format!("grep -q {token} in/data.txt")])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}{}", text(&run.stdout), text(&run.stderr));
    assert_eq!(std::fs::read_to_string(remote.join("in/data.txt")).unwrap(), format!("{token}\n"));
    let report = load(&json);
    assert_eq!(report.benchmarks.len(), 2);
    assert_eq!(report.hosts.iter().map(|h| h.host.as_str()).collect::<Vec<_>>(), [HOST_1, HOST_2], "host order");
}

/// The remote metrons (run from a host's cache) on this machine whose
/// command line has `needle` as one argument.
fn remote_metrons_with(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let args: Vec<String> = cmdline.split(|&b| b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        // A child forked but not yet exec'd shows its parent's command line:
        // each remote metron counts once.
        let line = args.join(" ");
        if args[0].contains("/.cache/metron/bin/metron-") && args.iter().any(|a| a == needle) && !found.contains(&line)
        {
            found.push(line);
        }
    }
    found
}

/// How many lines each distinct value in `file` has (none when it does not exist yet).
fn lines_per_value(file: &Path) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for line in std::fs::read_to_string(file).unwrap_or_default().lines() {
        *counts.entry(line.trim().to_string()).or_insert(0) += 1;
    }
    counts
}

/// Polls `done` until it holds or `patience` runs out; whether it held.
fn wait_for(patience: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    loop {
        if done() {
            return true;
        }
        if start.elapsed() >= patience {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_c_stops_the_remote_benchmarks_and_keeps_what_they_measured() {
    stops_the_remote_benchmarks_on(libc::SIGINT);
}

#[test]
fn sigterm_stops_the_remote_benchmarks_and_keeps_what_they_measured() {
    stops_the_remote_benchmarks_on(libc::SIGTERM);
}

/// Two hosts measuring in parallel; `sig` sent to the local metron alone
/// (as a terminal's Ctrl-C or a process manager does) stops both remote
/// metrons, and the samples they measured so far are kept.
fn stops_the_remote_benchmarks_on(sig: libc::c_int) {
    use std::io::BufRead;
    let hosts = Hosts::start();
    let out = TempDir::new().unwrap();
    let json = out.path().join("interrupted.json");
    // Each remote metron's --conclude (after every run, warm-up included)
    // appends its parent's pid, the same for all runs of one remote metron:
    // one line per finished run, counted per host.
    let runs_log = out.path().join("runs.log");
    let conclude = format!("echo $PPID >> '{}'", runs_log.display());
    // A seed nobody else uses marks the remote metrons' command lines.
    let seed = format!("{}", 7_000_000_000u64 + u64::from(std::process::id()));
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("metron"))
        .args(["remote", "--parallel", "--hosts", &format!("{HOST_1},{HOST_2}")])
        .args(hosts.ssh_flags())
        .arg("--export-json")
        .arg(&json)
        .args(["--", "--runs", "200", "--warmup", "1", "--conclude", &conclude, "--seed", &seed, "sleep 0.1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // stderr is read on its own thread, so it never fills up and a silent
    // child never blocks the test.
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut early = Vec::new();
    let mut running = 0;
    while running < 2 {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) else { break };
        running += usize::from(line.ends_with("running…"));
        early.push(line);
    }
    // Let both measure a few samples, then signal metron alone (its ssh
    // children are in their own process group, as at a terminal).
    // Enough: 1 warm-up run, 2 samples, and one more to spare.
    let enough = 1 + 2 + 1;
    let measured = running == 2
        && wait_for(Duration::from_secs(60), || {
            let counts = lines_per_value(&runs_log);
            counts.len() == 2 && counts.values().all(|&n| n >= enough)
        });
    let remote_metrons = remote_metrons_with(&seed);
    if running != 2 || !measured || remote_metrons.len() != 2 {
        let _ = child.kill();
        let _ = child.wait();
    }
    assert_eq!(running, 2, "both hosts started: {early:?}");
    assert!(measured, "runs per remote metron after 60 s: {:?}", lines_per_value(&runs_log));
    assert_eq!(remote_metrons.len(), 2, "{remote_metrons:?}");
    // SAFETY: kill(2) on the child we spawned.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let rest: Vec<String> = rx.try_iter().collect();
    assert_eq!(status.code(), Some(130), "{rest:?}");
    assert!(remote_metrons_with(&seed).is_empty(), "remote metrons left: {:?}", remote_metrons_with(&seed));
    let report = load(&json);
    assert!(report.interrupted);
    assert_eq!(report.benchmarks.len(), 2, "both hosts' samples so far: {:?}", report.failures);
    for b in &report.benchmarks {
        assert_eq!(b.stop_reason, metron::model::StopReason::Interrupted);
        assert!(b.samples.len() >= 2 && b.samples.len() < 200, "{} samples", b.samples.len());
    }
}

#[test]
fn a_host_over_its_time_limit_is_stopped_and_keeps_its_samples() {
    let hosts = Hosts::start();
    // Put the binary in the host's cache first, so the time limit below
    // covers no copy: only connecting, starting up and measuring.
    let warm = metron()
        .args(["remote", "-q", "--hosts", HOST_1])
        .args(hosts.ssh_flags())
        .args(["--", "--runs", "1", "true"])
        .output()
        .unwrap();
    assert!(warm.status.success(), "{}{}", text(&warm.stdout), text(&warm.stderr));
    let out = TempDir::new().unwrap();
    let json = out.path().join("limited.json");
    // 8 s leaves room for a slow start on a loaded machine; 1000 runs of
    // 0.1 s (100 s) still cannot finish in it, so the limit cuts the benchmark.
    let run = metron()
        .args(["remote", "-q", "--host-timeout", "8s", "--hosts", HOST_1])
        .args(hosts.ssh_flags())
        .arg("--export-json")
        .arg(&json)
        .args(["--", "--runs", "1000", "sleep 0.1"])
        .output()
        .unwrap();
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("time limit of 8.000 s reached during the benchmark"), "{stderr}");
    let report = load(&json);
    assert_eq!(report.benchmarks.len(), 1, "the samples taken before the limit are kept");
    let b = &report.benchmarks[0];
    assert_eq!(b.stop_reason, metron::model::StopReason::Interrupted);
    assert!(!b.samples.is_empty() && b.samples.len() < 1000, "{} samples", b.samples.len());
    assert_eq!(report.failures[0].host.as_deref(), Some(HOST_1));
}

#[test]
fn host_keys_are_checked() {
    let hosts = Hosts::start();
    let run = metron()
        .args(["remote", "--hosts", HOST_1, "-i"])
        .arg(hosts.key())
        .args(["-o", "UserKnownHostsFile=/dev/null", "--", "--runs", "2", "true"])
        .output()
        .unwrap();
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Host key verification failed"), "{stderr}");
}

#[test]
fn mistakes_are_caught_before_connecting() {
    for (args, message) in [
        (vec!["--hosts", "h", "--", "--runz", "3", "true"], "the metron arguments after --"),
        (vec!["--hosts", "h", "--", "--export-json", "x", "true"], "--export-json after --"),
        (vec!["--hosts", "h"], "give the metron arguments"),
        (vec!["--", "true"], "no hosts"),
        (vec!["--hosts", "h:99999", "--", "true"], "bad port"),
        (vec!["--hosts", "h", "--put", "/no/such/file", "--", "true"], "--put /no/such/file"),
        (vec!["--hosts", "h", "--connect-timeout", "1e30", "--", "true"], "'1e30' is too long a duration"),
        (vec!["--hosts", "h", "--host-timeout", "1e30", "--", "true"], "'1e30' is too long a duration"),
        (vec!["--hosts", "h", "--", "--time-budget", "1e30", "true"], "'1e30' is too long a duration"),
        (vec!["--parallel=0", "--hosts", "h", "--", "true"], "--parallel"),
    ] {
        let run = metron().arg("remote").args(&args).output().unwrap();
        let stderr = text(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("Error: ") && stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    }
}

#[test]
fn a_host_time_limit_stops_a_long_remote_command_and_leaves_nothing_running() {
    let hosts = Hosts::start();
    let started = std::time::Instant::now();
    let run = metron()
        .args(["remote", "-q", "--host-timeout", "8s", "--hosts", HOST_1])
        .args(hosts.ssh_flags())
        .args(["--", "sleep 100.77"])
        .output()
        .unwrap();
    // The loopback host is this machine: its processes are in our /proc.
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    assert!(started.elapsed() < Duration::from_secs(90), "waited for the 100 s command: {:?}", started.elapsed());
    let left = || {
        std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .any(|e| std::fs::read(e.path().join("cmdline")).is_ok_and(|c| c == b"sleep\x00100.77\x00"))
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while left() {
        assert!(std::time::Instant::now() < deadline, "the remote sleep is still running");
        std::thread::sleep(Duration::from_millis(50));
    }
}

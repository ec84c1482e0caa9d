//! One host from start to finish: probe, put metron there, copy the
//! `--put` files, run the benchmark and fetch its JSON, all within the
//! host's time limit. Whatever goes wrong ends as the host's error, in one
//! line, next to whatever results did come back.
//!
//! # The remote run
//!
//! The benchmark runs as `metron ARGS --export-json "$d/report.json" -q` in
//! `--cd DIR`, where `$d` is `~/.cache/metron/runs/<run id>-<host number>`
//! (one per host, so hosts sharing a home never meet). When it ends, the
//! same ssh session prints the JSON on stdout and removes `$d`, so one
//! connection runs and fetches. If the connection breaks before that, the
//! JSON stays in `$d` on the host.
//!
//! # How It Works: stopping a remote run
//!
//! Killing the local ssh does not stop a remote command (without a
//! terminal, sshd sends no SIGHUP), so the remote script watches its stdin,
//! which is a pipe metron holds open for the whole run:
//!
//! ```text
//! exec 3<&0                                   # the ssh channel's stdin
//! metron ARGS … </dev/null >/dev/null 3<&- &  # the benchmark
//! ( cat <&3 >/dev/null; kill -INT $m ) &      # the watcher
//! ```
//!
//! When metron closes the pipe (Ctrl-C, or the time limit), or dies, or the
//! connection drops, the watcher's `cat` sees end of file and sends SIGINT
//! to the remote metron, which stops after its current sample and writes
//! what it measured, exactly as after a Ctrl-C at its own terminal; the
//! script then sends the JSON back as usual. (A background job of a
//! non-interactive sh starts with SIGINT ignored; metron installs its own
//! handler, which replaces that.) When the benchmark ends first, the
//! watcher is killed before it could signal anything.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use metron::merge::HostOutcome;
use metron::RunRecord;

use super::deploy::{enter, LocalBinary, Put};
use super::host::Host;
use super::probe::{self, Platform, Probe};
use super::quoting::{home_path, quote};
use super::ssh::{describe, Ended, Input, Limit, Ssh, Stop, Stopping};

/// Where each host's run directory lives, relative to its home.
pub const RUNS_DIR: &str = ".cache/metron/runs";

/// How long a stopped remote benchmark may take to write its results
/// before its ssh is killed.
const GRACE: Duration = Duration::from_secs(15);

/// A `metron remote` run as every host runs it: what is the same for all of them.
#[derive(Debug, Clone)]
pub struct RemoteRun {
    /// How to reach the hosts.
    pub ssh: Ssh,
    /// The binary to copy where the platform matches.
    pub binary: LocalBinary,
    /// `--cd`, as a remote shell word.
    pub workdir: Option<String>,
    /// `--put` files.
    pub puts: Vec<Put>,
    /// The metron arguments to run, as the user gave them.
    pub args: Vec<String>,
    /// Time limit per host, from the first connection to the fetched JSON.
    pub host_timeout: Duration,
    /// Unique per `metron remote` run: names temporary files and run directories.
    pub run_id: String,
}

/// Which metron ran on a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteMetron {
    /// This binary, copied now.
    Copied,
    /// This binary, found in the host's cache.
    Cached,
    /// The host's own `metron` (same version), for a host of another platform.
    Installed(String),
}

/// A host's run as the command reports it.
#[derive(Debug, Clone)]
pub struct HostResult {
    /// What goes into the merged report.
    pub outcome: HostOutcome,
    /// What the probe found, when it got that far.
    pub probe: Option<Probe>,
    /// Which metron ran, when one was chosen.
    pub metron: Option<RemoteMetron>,
}

/// Runs `run` on `host` (number `index`, from 0). `note` hears about
/// slow steps as they start.
pub fn run_host(
    run: &RemoteRun,
    host: &Host,
    index: usize,
    interrupted: &AtomicBool,
    note: &(dyn Fn(&str) + Sync),
) -> HostResult {
    let limit = Limit { deadline: Instant::now() + run.host_timeout, budget: run.host_timeout, interrupted };
    let tag = format!("{}-{index}", run.run_id);
    let mut result = HostResult { outcome: HostOutcome::failed(&host.spec, "", None), probe: None, metron: None };
    match prepare(run, host, &tag, &limit, note, &mut result) {
        Ok(program) => {
            note("running");
            let (report, error) = run_benchmark(run, host, &program, &tag, &limit);
            result.outcome = HostOutcome { host: host.spec.clone(), report, error };
        }
        Err(error) => result.outcome.error = Some(error),
    }
    result
}

/// Probes the host, puts metron in place and copies the `--put` files,
/// noting in `result` what it found; returns the program to run (a shell word).
fn prepare(
    run: &RemoteRun,
    host: &Host,
    tag: &str,
    limit: &Limit<'_>,
    note: &(dyn Fn(&str) + Sync),
    result: &mut HostResult,
) -> Result<String, String> {
    let probe = probe::probe(&run.ssh, host, &run.binary, limit)?;
    let metron = choose(&probe);
    result.probe = Some(probe);
    let metron = metron?;
    if metron == RemoteMetron::Copied {
        note(&format!("copying metron ({})", metron::format::kib(run.binary.size / 1024)));
        run.binary.copy_to(&run.ssh, host, tag, limit)?;
    }
    result.metron = Some(metron.clone());
    for put in &run.puts {
        put.copy_to(&run.ssh, host, run.workdir.as_deref(), tag, limit)?;
    }
    Ok(match metron {
        RemoteMetron::Installed(_) => "metron".to_string(),
        RemoteMetron::Copied | RemoteMetron::Cached => run.binary.remote_path(),
    })
}

/// Runs the benchmark and fetches its report (see the module documentation).
fn run_benchmark(
    run: &RemoteRun,
    host: &Host,
    program: &str,
    tag: &str,
    limit: &Limit<'_>,
) -> (Option<RunRecord>, Option<String>) {
    let script = run_script(program, &run.args, run.workdir.as_deref(), tag);
    match run.ssh.start(host, &script, Input::HeldOpen) {
        Ok(call) => interpret(&call.wait(limit, Stopping::CloseStdin { grace: GRACE }), host, limit),
        Err(error) => (None, Some(error)),
    }
}

/// The metron to run on a host the probe described.
fn choose(probe: &Probe) -> Result<RemoteMetron, String> {
    let local = Platform::local();
    if probe.platform == local {
        return Ok(if probe.cached { RemoteMetron::Cached } else { RemoteMetron::Copied });
    }
    let ours = format!("metron {}", env!("CARGO_PKG_VERSION"));
    match &probe.installed {
        Some(version) if *version == ours => Ok(RemoteMetron::Installed(version.clone())),
        installed => Err(format!(
            "the host runs {} ({}) and this metron is built for {local}, so it cannot be copied there; \
             install {ours} on the host's PATH{}",
            probe.uname,
            probe.platform,
            installed.as_ref().map(|v| format!(" (it has {v})")).unwrap_or_default()
        )),
    }
}

/// The user's arguments with `--export-json FILE -q` added (before a bare
/// `--`, which would make them operands), as shell words.
fn remote_arguments(args: &[String], json: &str) -> Vec<String> {
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let quiet = args[..end].iter().any(|a| a == "-q" || a == "--quiet");
    let mut words: Vec<String> = args[..end].iter().map(|a| quote(a)).collect();
    words.extend(["--export-json".to_string(), json.to_string()]);
    if !quiet {
        words.push("-q".into());
    }
    words.extend(args[end..].iter().map(|a| quote(a)));
    words
}

/// The remote script of the run step (see the module documentation).
fn run_script(program: &str, args: &[String], workdir: Option<&str>, tag: &str) -> String {
    let words = remote_arguments(args, "\"$d\"/report.json").join(" ");
    format!(
        "d={dir}\n\
         mkdir -p \"$d\" || exit 1\n\
         {enter}\
         exec 3<&0\n\
         {program} {words} </dev/null >/dev/null 3<&- &\n\
         m=$!\n\
         ( cat <&3 >/dev/null 2>&1; kill -INT $m 2>/dev/null ) >/dev/null 2>&1 &\n\
         w=$!\n\
         exec 3<&-\n\
         wait $m\n\
         s=$?\n\
         kill $w 2>/dev/null\n\
         if test -f \"$d\"/report.json; then cat \"$d\"/report.json && rm -rf \"$d\"; else rm -rf \"$d\"; fi\n\
         exit $s",
        dir = home_path(&format!("{RUNS_DIR}/{tag}")),
        enter = enter(workdir),
    )
}

/// The report that came back and the host's error, if any.
fn interpret(ended: &Ended, host: &Host, limit: &Limit<'_>) -> (Option<RunRecord>, Option<String>) {
    let report = match ended.stdout.iter().all(u8::is_ascii_whitespace) {
        true => None,
        false => match RunRecord::from_json(&String::from_utf8_lossy(&ended.stdout), &format!("{host}: results")) {
            Ok(r) => Some(r),
            Err(e) => return (None, Some(e.to_string())),
        },
    };
    let error = match ended.stopped {
        Some(Stop::Interrupted) if report.is_some() => None,
        Some(stop) => Some(limit.explain(stop, "the benchmark")),
        None if ended.status.success() && report.is_some() => None,
        None if ended.status.success() => Some("the remote metron sent no results back".into()),
        None if ended.ssh_failed() => Some(ended.reason()),
        None => Some(format!("the remote metron failed ({}): {}", describe(ended.status), ended.reason())),
    };
    (report, error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::quoting::user_path;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn export_and_quiet_go_before_a_bare_double_dash() {
        let words = remote_arguments(&strings(&["--runs", "3", "sleep 0.01"]), "F");
        assert_eq!(words.join(" "), "--runs 3 'sleep 0.01' --export-json F -q");
        let words = remote_arguments(&strings(&["-q", "--", "-x"]), "F");
        assert_eq!(words.join(" "), "-q --export-json F -- -x");
    }

    fn probe(uname: &str, cached: bool, installed: Option<&str>) -> Probe {
        let (s, m) = uname.split_once(' ').unwrap();
        Probe {
            uname: uname.into(),
            platform: Platform::from_uname(s, m),
            cached,
            installed: installed.map(Into::into),
        }
    }

    #[test]
    fn which_metron_runs() {
        let here = Platform::local();
        let same = Probe { uname: "same".into(), platform: here.clone(), cached: false, installed: None };
        assert_eq!(choose(&same), Ok(RemoteMetron::Copied));
        assert_eq!(choose(&Probe { cached: true, ..same }), Ok(RemoteMetron::Cached));
        let other = if here.os == "macos" { "Linux x86_64" } else { "Darwin arm64" };
        let ours = format!("metron {}", env!("CARGO_PKG_VERSION"));
        assert_eq!(choose(&probe(other, false, Some(&ours))), Ok(RemoteMetron::Installed(ours.clone())));
        let e = choose(&probe(other, true, Some("metron 0.0.1"))).unwrap_err();
        assert!(e.contains(&format!("the host runs {other}")) && e.contains("(it has metron 0.0.1)"), "{e}");
        assert!(!e.contains('\n'));
    }

    /// The run script under the local sh, with a fake metron: the JSON
    /// comes back on stdout and the run directory is removed.
    #[test]
    fn the_run_script_sends_the_report_back() {
        let home = tempfile::tempdir().unwrap();
        let fake = home.path().join("fake-metron");
        // Writes its arguments as the "report" to the file after --export-json.
        std::fs::write(&fake, "#!/bin/sh\nwhile test \"$1\" != --export-json; do shift; done\necho \"{\\\"at\\\": \\\"$(pwd)\\\"}\" > \"$2\"\nexit 1\n").unwrap();
        std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let script = run_script(&quote(&fake.display().to_string()), &strings(&["x"]), Some(&user_path("w d")), "t-0");
        // Standard input stays open while the script runs, as the ssh
        // connection does: at its end of file the watcher stops the run.
        let run = || {
            let mut child = std::process::Command::new("sh")
                .arg("-c")
                .arg(&script)
                .env("HOME", home.path())
                .current_dir(home.path())
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let connection = child.stdin.take();
            let out = child.wait_with_output().unwrap();
            drop(connection);
            out
        };
        // Another test thread forking between our write and the exec keeps
        // the file open for writing in its child for a moment: the shell
        // then fails with "Text file busy" (126). Only that is retried.
        let mut out = run();
        for _ in 0..5 {
            if out.status.code() != Some(126) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            out = run();
        }
        assert_eq!(out.status.code(), Some(1), "the benchmark's status: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(&format!("{}/w d", home.path().display())), "ran in --cd: {text}");
        assert!(!home.path().join(RUNS_DIR).join("t-0").exists(), "the run directory is removed");
    }
}

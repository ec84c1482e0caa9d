//! The system's OpenSSH client: the command lines metron runs, and one
//! running `ssh` with its output collected and its time limited.
//!
//! Every remote step is one `ssh` invocation:
//!
//! ```text
//! ssh [-F CONFIG] [-o USER_OPTION]... -o BatchMode=yes -o ConnectTimeout=N
//!     -o ServerAliveInterval=15 -o ServerAliveCountMax=4 -o LogLevel=ERROR
//!     [-i KEY] [-p PORT] -T -- [user@]host "sh -c 'SCRIPT'"
//! ```
//!
//! * The user's `-o` options come first because ssh keeps the *first* value
//!   it sees for an option: they override metron's defaults, and
//!   `~/.ssh/config` (or `-F`) fills in the rest, as with plain `ssh`.
//! * `BatchMode=yes`: a missing key or unknown host key fails at once with
//!   ssh's own message instead of waiting for a password nobody will type.
//!   Host keys are checked as the user's configuration says; metron never
//!   weakens that.
//! * The keep-alives notice a dead connection during a long benchmark;
//!   `LogLevel=ERROR` keeps ssh's warnings out of the failure reasons.
//! * `-T`: no terminal, so the remote output is exactly what the step prints.
//!
//! # How It Works
//!
//! Each `ssh` runs in its own process group, so a Ctrl-C at the terminal
//! reaches metron only, and metron decides how each step stops (see
//! [`Stopping`]). Its stdout and stderr are read by two threads into memory
//! (a step's output is small: a report, a probe), and the caller waits with
//! [`Call::wait`], which polls the exit status, the time limit and the
//! interrupt flag every 50 ms.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::host::Host;
use super::quoting;

/// How often [`Call::wait`] looks at the child, the clock and Ctrl-C.
const POLL: Duration = Duration::from_millis(50);

/// ssh's exit status for its own failures (connection, authentication,
/// host key); any other status is the remote command's.
pub const SSH_FAILED: i32 = 255;

/// How to reach every host: what `ssh` gets besides the host and the script.
#[derive(Debug, Clone, Default)]
pub struct Ssh {
    /// `-F FILE`: an ssh_config used instead of `~/.ssh/config`.
    pub config_file: Option<PathBuf>,
    /// `-i KEY`.
    pub identity: Option<PathBuf>,
    /// `-o KEY=VALUE` options, passed on as given.
    pub options: Vec<String>,
    /// ssh's `ConnectTimeout`, in whole seconds (at least 1).
    pub connect_timeout_s: u64,
}

impl Ssh {
    /// The arguments of ssh for running `script` on `host` (without the
    /// program name), in the order described in the module documentation.
    pub fn arguments(&self, host: &Host, script: &str) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(config) = &self.config_file {
            args.extend(["-F".to_string(), config.display().to_string()]);
        }
        for option in &self.options {
            args.extend(["-o".to_string(), option.clone()]);
        }
        for option in [
            "BatchMode=yes".to_string(),
            format!("ConnectTimeout={}", self.connect_timeout_s.max(1)),
            "ServerAliveInterval=15".to_string(),
            "ServerAliveCountMax=4".to_string(),
            "LogLevel=ERROR".to_string(),
        ] {
            args.extend(["-o".to_string(), option]);
        }
        if let Some(key) = &self.identity {
            args.extend(["-i".to_string(), key.display().to_string()]);
        }
        if let Some(port) = host.port {
            args.extend(["-p".to_string(), port.to_string()]);
        }
        args.extend(["-T".to_string(), "--".to_string(), host.destination(), quoting::sh_c(script)]);
        args
    }

    /// Starts `ssh` running `script` on `host`, with `input` on its stdin.
    ///
    /// # Errors
    /// A one-line message when `ssh` cannot be started or `input` not opened.
    pub fn start(&self, host: &Host, script: &str, input: Input<'_>) -> Result<Call, String> {
        let mut command = Command::new("ssh");
        command.args(self.arguments(host, script));
        // Ctrl-C at the terminal is metron's to handle (see the module docs).
        command.process_group(0);
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let file = match input {
            Input::Nothing => {
                command.stdin(Stdio::null());
                None
            }
            Input::File(path) => {
                command.stdin(Stdio::piped());
                Some(std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?)
            }
            Input::HeldOpen => {
                command.stdin(Stdio::piped());
                None
            }
        };
        let mut child = command.spawn().map_err(|e| format!("cannot run ssh: {e}"))?;
        let out = read_all(child.stdout.take());
        let err = read_all(child.stderr.take());
        let mut stdin = child.stdin.take();
        let feeder = file.map(|mut file| {
            let mut pipe = stdin.take().expect("stdin is piped for a file");
            std::thread::spawn(move || {
                // A write error means ssh is gone; its exit status says why.
                let _ = std::io::copy(&mut file, &mut pipe).and_then(|_| pipe.flush());
            })
        });
        Ok(Call { child, stdin, out, err, feeder })
    }
}

/// What a step sends to the remote script's stdin.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// Nothing (`/dev/null`, like `ssh -n`).
    Nothing,
    /// A local file's content, then end of file.
    File(&'a Path),
    /// A pipe that stays open until the step is asked to stop: closing it
    /// is the signal to the remote side (see [`Stopping::CloseStdin`]).
    HeldOpen,
}

/// Why a step was cut short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The user pressed Ctrl-C.
    Interrupted,
    /// The host's time limit ran out.
    TimeLimit,
}

/// What ends a step early: a deadline and the Ctrl-C flag.
#[derive(Debug, Clone, Copy)]
pub struct Limit<'a> {
    /// When the host's time is up.
    pub deadline: Instant,
    /// The host's whole time limit, for messages.
    pub budget: Duration,
    /// Set on Ctrl-C.
    pub interrupted: &'a AtomicBool,
}

impl Limit<'_> {
    /// Whether the step must stop now, and why.
    pub fn reached(&self) -> Option<Stop> {
        if self.interrupted.load(Ordering::SeqCst) {
            Some(Stop::Interrupted)
        } else if Instant::now() >= self.deadline {
            Some(Stop::TimeLimit)
        } else {
            None
        }
    }

    /// Why `step` stopped, in one line.
    pub fn explain(&self, stop: Stop, step: &str) -> String {
        match stop {
            Stop::Interrupted => format!("interrupted during {step}"),
            Stop::TimeLimit => {
                format!("time limit of {} reached during {step}", metron::Nanos::from_secs(self.budget.as_secs_f64()))
            }
        }
    }
}

/// How a step stops when its [`Limit`] is reached.
#[derive(Debug, Clone, Copy)]
pub enum Stopping {
    /// Kill the local ssh at once: fine for steps that change nothing the
    /// next run relies on (probes and copies, which only ever rename
    /// complete files into place).
    Kill,
    /// Close ssh's stdin so the remote script can stop its work and still
    /// send back what it has, and kill ssh only if that takes longer than
    /// the grace period.
    CloseStdin {
        /// How long to wait after closing.
        grace: Duration,
    },
}

/// One running ssh.
pub struct Call {
    child: Child,
    stdin: Option<ChildStdin>,
    out: JoinHandle<Vec<u8>>,
    err: JoinHandle<Vec<u8>>,
    feeder: Option<JoinHandle<()>>,
}

/// How an ssh ended.
#[derive(Debug)]
pub struct Ended {
    /// Its exit status.
    pub status: ExitStatus,
    /// Everything the remote script printed on stdout.
    pub stdout: Vec<u8>,
    /// Everything ssh and the remote script printed on stderr.
    pub stderr: String,
    /// Set when the step was cut short.
    pub stopped: Option<Stop>,
}

impl Call {
    /// Waits for ssh to end, stopping it as `stopping` says when `limit` is reached.
    pub fn wait(mut self, limit: &Limit<'_>, stopping: Stopping) -> Ended {
        let mut stopped = None;
        let mut kill_at = None;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(_) => break self.kill(),
            }
            if stopped.is_none() {
                stopped = limit.reached();
                if stopped.is_some() {
                    match stopping {
                        Stopping::Kill => break self.kill(),
                        Stopping::CloseStdin { grace } => {
                            drop(self.stdin.take());
                            kill_at = Some(Instant::now() + grace);
                        }
                    }
                }
            }
            if kill_at.is_some_and(|t| Instant::now() >= t) {
                break self.kill();
            }
            std::thread::sleep(POLL);
        };
        drop(self.stdin.take());
        if let Some(feeder) = self.feeder.take() {
            let _ = feeder.join();
        }
        let stdout = self.out.join().unwrap_or_default();
        let stderr = String::from_utf8_lossy(&self.err.join().unwrap_or_default()).into_owned();
        Ended { status, stdout, stderr, stopped }
    }

    fn kill(&mut self) -> ExitStatus {
        let _ = self.child.kill();
        self.child.wait().expect("a killed child can be waited for")
    }
}

impl Ended {
    /// Whether ssh itself failed (no connection, refused key, host key).
    pub fn ssh_failed(&self) -> bool {
        self.status.code() == Some(SSH_FAILED)
    }

    /// What went wrong, in one line: the last line of stderr (two for ssh's
    /// own errors, whose cause is often on the line before its verdict,
    /// as in "No ED25519 host key is known … / Host key verification
    /// failed."), else the exit status.
    pub fn reason(&self) -> String {
        let lines: Vec<&str> = self.stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let keep = if self.ssh_failed() { 2 } else { 1 };
        let tail = lines[lines.len().saturating_sub(keep)..].join(" ");
        let reason = match tail.strip_prefix("Error: ") {
            Some(rest) => rest.to_string(),
            None if tail.is_empty() => describe(self.status),
            None => tail,
        };
        match self.ssh_failed().then(|| hint(&reason)).flatten() {
            Some(hint) => format!("{reason} ({hint})"),
            None => reason,
        }
    }
}

/// What to do about the ssh failures that batch mode turns from a prompt
/// into an error, which a user of plain ssh has never seen.
fn hint(reason: &str) -> Option<&'static str> {
    if reason.contains("Host key verification failed") {
        Some(
            "ssh runs in batch mode and cannot ask about an unknown host key: \
             connect once with plain ssh to check and accept it, or pass -o StrictHostKeyChecking=accept-new",
        )
    } else if reason.contains("Permission denied") {
        Some("no key was accepted: give one with -i KEY, load it into ssh-agent, or set IdentityFile in ~/.ssh/config")
    } else {
        None
    }
}

/// `exit status 3` or `killed by signal 9`.
pub fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        (None, None) => status.to_string(),
    }
}

fn read_all(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buffer = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut buffer);
        }
        buffer
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_order() {
        let ssh = Ssh {
            config_file: Some("/c/ssh_config".into()),
            identity: Some("/k/id".into()),
            options: vec!["ConnectTimeout=3".into()],
            connect_timeout_s: 10,
        };
        let host = Host::parse("root@127.0.0.2:2222").unwrap();
        let args = ssh.arguments(&host, "uname -sm").join(" ");
        assert_eq!(
            args,
            "-F /c/ssh_config -o ConnectTimeout=3 -o BatchMode=yes -o ConnectTimeout=10 \
             -o ServerAliveInterval=15 -o ServerAliveCountMax=4 -o LogLevel=ERROR \
             -i /k/id -p 2222 -T -- root@127.0.0.2 sh -c 'uname -sm'"
        );
        let plain = Ssh { connect_timeout_s: 0, ..Ssh::default() }.arguments(&Host::parse("box").unwrap(), "true");
        assert!(plain.contains(&"ConnectTimeout=1".to_string()));
        assert!(!plain.contains(&"-p".to_string()));
    }

    fn ended(code: i32, stderr: &str) -> Ended {
        use std::os::unix::process::ExitStatusExt;
        Ended { status: ExitStatus::from_raw(code << 8), stdout: Vec::new(), stderr: stderr.into(), stopped: None }
    }

    #[test]
    fn reasons_are_one_line() {
        let refused = ended(255, "ssh: connect to host 127.0.0.3 port 2222: Connection refused\r\n");
        assert_eq!(refused.reason(), "ssh: connect to host 127.0.0.3 port 2222: Connection refused");
        let hostkey = ended(255, "No ED25519 host key is known for x.\nHost key verification failed.\n");
        assert!(hostkey
            .reason()
            .starts_with("No ED25519 host key is known for x. Host key verification failed. (ssh runs in batch mode"));
        assert!(hostkey.reason().ends_with("-o StrictHostKeyChecking=accept-new)"));
        let denied = ended(255, "root@box: Permission denied (publickey).\n");
        assert!(denied
            .reason()
            .starts_with("root@box: Permission denied (publickey). (no key was accepted: give one with -i KEY"));
        let remote_denied = ended(1, "Error: cannot write out.json: Permission denied\n");
        assert_eq!(
            remote_denied.reason(),
            "cannot write out.json: Permission denied",
            "hints are for ssh's own failures"
        );
        let failed = ended(1, "Benchmark 1\nError: 'exit 3' failed with exit status 3\n");
        assert_eq!(failed.reason(), "'exit 3' failed with exit status 3");
        assert_eq!(ended(3, "").reason(), "exit status 3");
    }
}

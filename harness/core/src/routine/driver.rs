//! Driver routines: a long-lived child process that runs its setup once and
//! then answers "run n iterations" with its own clock readings, over a pipe.
//!
//! This is how snippets in other languages (Python, a compiled Rust
//! snippet, the Python concurrency suite) plug into the same sampler as
//! everything else: the child times its own loop, so neither process
//! start-up nor the pipe round trip is in the figure, and untimed setup
//! stays untimed.
//!
//! # Protocol (version 1)
//!
//! Plain text lines over the child's stdin (requests) and stdout (replies);
//! the child's stderr is kept aside and shown when it dies unexpectedly.
//! Numbers are decimal integers; messages are JSON strings, so a multi-line
//! traceback stays one line.
//!
//! | when | direction | line |
//! |---|---|---|
//! | after its setup succeeded | child → metron | `ready` |
//! | after its setup failed | child → metron | `error "<message>"` |
//! | per sample | metron → child | `run <n>` |
//! | after running the loop | child → metron | `ok <n> <wall_ns> <cpu_ns>` (`cpu_ns` may be `-` when unknown) |
//! | when the loop raised | child → metron | `error "<message>"` |
//! | at the end | metron → child | `quit` (or end of input) |
//!
//! A driver for a new language needs only: run the setup, print `ready`,
//! then loop reading `run n`, time n executions of the statement with a
//! monotonic clock and a process CPU clock, print `ok`, flush. Anything the
//! child prints on stdout that does not start with `ready`, `ok` or `error`
//! is ignored, but drivers should keep the statement's own output away from
//! stdout (redirect it) so it cannot interleave with replies.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::counter::{perf, valgrind, Backend, Counts};
use crate::error::{Error, Result};
use crate::model::RoutineKind;

use super::{Measurement, Routine};

/// One parsed reply of a driver.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Setup done.
    Ready,
    /// A loop ran: iterations, wall ns, CPU ns if known.
    Ok {
        /// Iterations run.
        iterations: u64,
        /// Wall time of the loop.
        wall_ns: u64,
        /// CPU time of the loop, if the driver knows it.
        cpu_ns: Option<u64>,
    },
    /// Setup or the loop failed with this message.
    Error(String),
}

/// Parses one line of a driver's stdout; `None` for lines that are not replies.
pub fn parse_reply(line: &str) -> Option<Reply> {
    let line = line.trim_end();
    if line == "ready" {
        return Some(Reply::Ready);
    }
    if let Some(rest) = line.strip_prefix("error ") {
        let msg = serde_json::from_str::<String>(rest).unwrap_or_else(|_| rest.to_string());
        return Some(Reply::Error(msg));
    }
    let rest = line.strip_prefix("ok ")?;
    let mut parts = rest.split_ascii_whitespace();
    let iterations = parts.next()?.parse().ok()?;
    let wall_ns = parts.next()?.parse().ok()?;
    let cpu_ns = match parts.next()? {
        "-" => None,
        c => Some(c.parse().ok()?),
    };
    Some(Reply::Ok { iterations, wall_ns, cpu_ns })
}

/// A routine answered by a long-lived child process speaking the protocol above.
#[derive(Debug)]
pub struct DriverRoutine {
    command: Command,
    description: String,
    kind: RoutineKind,
    child: Option<Running>,
    teardown_grace: std::time::Duration,
    /// The function that holds the driver's timed loop, as a callgrind
    /// name pattern: what Valgrind counts (see [`DriverRoutine::with_loop_function`]).
    loop_function: Option<&'static str>,
    counting: Option<Counting>,
}

/// How a counted driver is counted.
#[derive(Debug)]
enum Counting {
    /// The driver process's hardware counter, read around each request.
    Perf(Option<perf::PerfCounter>),
    /// Under Valgrind: callgrind dumps its counts each time the loop
    /// function is entered (`--dump-before`; 3.19's `--dump-after` misses
    /// Rust functions), so the counts of loop call `c` (from 1) are in dump
    /// `c + 1`, written when call `c + 1` starts: each measurement is
    /// followed by a `run 0` that writes it out.
    Valgrind { dir: tempfile::TempDir, calls: u64 },
}

#[derive(Debug)]
struct Running {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    stderr: File,
}

impl DriverRoutine {
    /// A driver started by `command` (not yet started). `description` names
    /// it in messages, e.g. `python3 driver`.
    pub fn new(command: Command, description: impl Into<String>) -> DriverRoutine {
        DriverRoutine {
            command,
            description: description.into(),
            kind: RoutineKind::Snippet,
            child: None,
            teardown_grace: TEARDOWN_GRACE,
            loop_function: None,
            counting: None,
        }
    }

    /// Names the function the driver runs its timed loop in (a callgrind
    /// pattern such as `*::__metron::time`), so that Valgrind can count
    /// that function only and dump its counts each time it returns.
    /// Without one the driver is counted with hardware counters only.
    pub fn with_loop_function(mut self, pattern: &'static str) -> DriverRoutine {
        self.loop_function = Some(pattern);
        self
    }

    /// The callgrind output prefix of a driver counted under Valgrind.
    fn valgrind_prefix(dir: &std::path::Path) -> std::path::PathBuf {
        dir.join("callgrind.out")
    }

    /// The driver's command under Valgrind, counting only in `pattern`.
    fn under_valgrind(&mut self, dir: &std::path::Path, pattern: &str) {
        let mut options = valgrind::base_args(&Self::valgrind_prefix(dir));
        options.extend([
            "--collect-atstart=no".to_string(),
            format!("--toggle-collect={pattern}"),
            format!("--dump-before={pattern}"),
        ]);
        let args: Vec<&std::ffi::OsStr> = self.command.get_args().collect();
        let mut wrapped = valgrind::wrap(&options, self.command.get_program(), &args);
        for (key, value) in self.command.get_envs() {
            match value {
                Some(v) => wrapped.env(key, v),
                None => wrapped.env_remove(key),
            };
        }
        if let Some(dir) = self.command.get_current_dir() {
            wrapped.current_dir(dir);
        }
        self.command = wrapped;
    }

    /// The counts of the request just answered.
    fn counts_since(&mut self, before: Option<Counts>) -> Result<Option<Counts>> {
        match &mut self.counting {
            None => Ok(None),
            Some(Counting::Perf(counter)) => match (counter.as_ref(), before) {
                (Some(c), Some(before)) => Ok(Some(c.read()?.minus(&before))),
                _ => Ok(None),
            },
            Some(Counting::Valgrind { dir, calls }) => {
                let prefix = Self::valgrind_prefix(dir.path());
                let measured = *calls + 1;
                *calls += 2;
                // The previous `run 0` (or, first, the empty dump of start-up).
                let _ = std::fs::remove_file(valgrind::dump_path(&prefix, measured));
                self.flush_counts()?;
                valgrind::take_file(&valgrind::dump_path(&prefix, measured + 1)).map(Some)
            }
        }
    }

    /// Sends `run 0`, whose start makes callgrind write the counts of the
    /// request before it.
    fn flush_counts(&mut self) -> Result<()> {
        self.send("run 0")?;
        match self.reply()? {
            Reply::Ok { iterations: 0, .. } => Ok(()),
            Reply::Error(msg) => Err(Error::Routine(msg)),
            other => Err(Error::Routine(format!("{} answered {other:?} to 'run 0'", self.description))),
        }
    }

    /// Overrides the routine kind recorded in results (default `Snippet`).
    pub fn with_kind(mut self, kind: RoutineKind) -> DriverRoutine {
        self.kind = kind;
        self
    }

    fn start(&mut self) -> Result<()> {
        let stderr = tempfile::tempfile().map_err(|source| Error::Io { path: std::env::temp_dir(), source })?;
        let stderr_clone =
            stderr.try_clone().map_err(|source| Error::Io { path: "<stderr capture>".into(), source })?;
        self.command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(stderr_clone);
        let program = self.command.get_program().to_string_lossy().into_owned();
        let mut child = self.command.spawn().map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::CommandNotFound { command: self.description.clone(), program },
            _ => Error::Spawn { command: self.description.clone(), source },
        })?;
        let stdin = child.stdin.take().expect("stdin was piped");
        let stdout = BufReader::new(child.stdout.take().expect("stdout was piped"));
        live_drivers().push(child.id());
        if let Some(Counting::Perf(counter)) = &mut self.counting {
            *counter = Some(perf::PerfCounter::open(perf::Target::Process(child.id()))?);
        }
        self.child = Some(Running { child, stdin, stdout, stderr });
        Ok(())
    }

    /// Reads replies until one that is not ignorable.
    fn reply(&mut self) -> Result<Reply> {
        let mut line = String::new();
        loop {
            line.clear();
            let Some(running) = self.child.as_mut() else {
                return Err(Error::Routine(format!("{} is not running", self.description)));
            };
            match running.stdout.read_line(&mut line) {
                Ok(0) => return Err(self.died(None)),
                Ok(_) => {
                    if let Some(reply) = parse_reply(&line) {
                        return Ok(reply);
                    }
                }
                Err(e) => return Err(self.died(Some(e))),
            }
        }
    }

    /// The error for a driver that stopped answering: how it ended and the tail of its stderr.
    fn died(&mut self, io: Option<std::io::Error>) -> Error {
        let Some(mut running) = self.child.take() else {
            return Error::Routine(format!("{} is not running", self.description));
        };
        drop(running.stdin);
        let status = running.child.wait();
        let mut text = String::new();
        let _ = running.stderr.seek(SeekFrom::Start(0));
        let _ = running.stderr.read_to_string(&mut text);
        let tail: Vec<&str> = text.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect();
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            if status.as_ref().is_ok_and(|s| s.signal() == Some(2)) {
                return Error::Interrupted;
            }
        }
        let how = match (&status, io) {
            (_, Some(e)) => format!("stopped answering ({e})"),
            (Ok(s), None) => format!("exited unexpectedly ({s})"),
            (Err(e), None) => format!("exited unexpectedly ({e})"),
        };
        let tail = if tail.is_empty() { String::new() } else { format!(":\n{}", tail.join("\n")) };
        Error::Routine(format!("{} {how}{tail}", self.description))
    }

    fn send(&mut self, line: &str) -> Result<()> {
        let running =
            self.child.as_mut().ok_or_else(|| Error::Routine(format!("{} is not running", self.description)))?;
        let result = writeln!(running.stdin, "{line}").and_then(|()| running.stdin.flush());
        result.map_err(|e| self.died(Some(e)))
    }
}

impl Routine for DriverRoutine {
    fn kind(&self) -> RoutineKind {
        self.kind
    }

    fn setup(&mut self) -> Result<()> {
        self.start()?;
        match self.reply()? {
            Reply::Ready => Ok(()),
            Reply::Error(msg) => Err(Error::Routine(msg)),
            other => Err(Error::Routine(format!("{} answered {other:?} before 'ready'", self.description))),
        }
    }

    fn count_with(&mut self, backend: Backend) -> Result<()> {
        self.counting = Some(match (backend, self.loop_function) {
            (Backend::PerfEvent, _) => Counting::Perf(None),
            (Backend::Valgrind, Some(pattern)) => {
                let dir = tempfile::Builder::new()
                    .prefix("metron-callgrind-")
                    .tempdir()
                    .map_err(|source| Error::Io { path: std::env::temp_dir(), source })?;
                self.under_valgrind(dir.path(), pattern);
                Counting::Valgrind { dir, calls: 0 }
            }
            (Backend::Valgrind, None) => {
                return Err(Error::CounterUnavailable(format!(
                    "the {} is counted with hardware counters only, and this machine has none: \
                     Valgrind cannot tell its timed loop from the interpreter around it",
                    self.description
                )))
            }
        });
        Ok(())
    }

    fn measure(&mut self, iterations: u64) -> Result<Measurement> {
        let before = match &self.counting {
            Some(Counting::Perf(Some(c))) => Some(c.read()?),
            _ => None,
        };
        self.send(&format!("run {iterations}"))?;
        match self.reply()? {
            Reply::Ok { iterations: n, wall_ns, cpu_ns } if n == iterations => Ok(Measurement {
                iterations,
                wall_ns: wall_ns as f64,
                cpu_ns: cpu_ns.map(|c| c as f64),
                counts: self.counts_since(before)?,
                ..Measurement::default()
            }),
            Reply::Error(msg) => Err(Error::Routine(msg)),
            other => Err(Error::Routine(format!("{} answered {other:?} to 'run {iterations}'", self.description))),
        }
    }

    fn fresh_replicate(&mut self) -> Result<()> {
        self.teardown()?;
        self.setup()
    }

    fn process_id(&self) -> Option<u32> {
        self.child.as_ref().map(|running| running.child.id())
    }

    fn teardown(&mut self) -> Result<()> {
        if self.child.is_some() {
            // The child may already be gone; its exit is what matters.
            let _ = self.send("quit");
        }
        if let Some(mut running) = self.child.take() {
            forget(running.child.id());
            drop(running.stdin);
            let deadline = std::time::Instant::now() + self.teardown_grace;
            loop {
                match running.child.try_wait() {
                    Ok(Some(_)) | Err(_) => break,
                    Ok(None) if std::time::Instant::now() < deadline => {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    Ok(None) => {
                        let _ = running.child.kill();
                        let _ = running.child.wait();
                        return Err(Error::Routine(format!(
                            "{} did not exit within {:.1} s of 'quit' and was killed",
                            self.description,
                            self.teardown_grace.as_secs_f64()
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}

/// How long a driver may take to exit after `quit`: generous, as an
/// interpreter on a loaded machine can be slow to finish, but bounded, so a
/// driver stuck at exit (say, joining a child that never ends) cannot hang
/// the run.
const TEARDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Process ids of the drivers running now.
fn live_drivers() -> std::sync::MutexGuard<'static, Vec<u32>> {
    static LIVE: std::sync::Mutex<Vec<u32>> = std::sync::Mutex::new(Vec::new());
    LIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn forget(pid: u32) {
    live_drivers().retain(|&p| p != pid);
}

/// Passes an interruption on to every running driver (SIGINT), so a
/// statement that runs for long, or for ever, stops when metron is told to
/// stop: a Ctrl-C at a terminal reaches the whole foreground process group,
/// but `kill -INT` or `timeout` reach metron alone. The driver answers with
/// an error or exits, and the sample in progress is abandoned.
pub fn interrupt_drivers() {
    signal_drivers(DriverSignal::Interrupt);
}

/// Ends every running driver (SIGTERM), for one whose statement ignores
/// SIGINT; the reply it was waiting for then never comes and the run ends.
pub fn terminate_drivers() {
    signal_drivers(DriverSignal::Terminate);
}

/// Kills every running driver outright (SIGKILL), for one that ignored
/// [`terminate_drivers`] too.
pub fn kill_drivers() {
    signal_drivers(DriverSignal::Kill);
}

/// The signals metron passes on to drivers, mildest first.
#[derive(Debug, Clone, Copy)]
enum DriverSignal {
    Interrupt,
    Terminate,
    Kill,
}

fn signal_drivers(signal: DriverSignal) {
    #[cfg(unix)]
    {
        let signal = match signal {
            DriverSignal::Interrupt => libc::SIGINT,
            DriverSignal::Terminate => libc::SIGTERM,
            DriverSignal::Kill => libc::SIGKILL,
        };
        for &pid in live_drivers().iter() {
            if let Ok(pid) = libc::pid_t::try_from(pid) {
                // SAFETY: kill(2) with a pid this process spawned and has not
                // reaped (it leaves the list before it is reaped).
                unsafe { libc::kill(pid, signal) };
            }
        }
    }
    #[cfg(not(unix))]
    let _ = signal;
}

impl Drop for DriverRoutine {
    fn drop(&mut self) {
        if let Some(mut running) = self.child.take() {
            forget(running.child.id());
            let _ = running.child.kill();
            let _ = running.child.wait();
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A driver written in sh: "works" for the protocol, times nothing real.
    fn sh_driver(script: &str) -> DriverRoutine {
        let mut c = Command::new("sh");
        c.arg("-c").arg(script);
        DriverRoutine::new(c, "test driver")
    }

    #[test]
    fn parses_replies() {
        assert_eq!(parse_reply("ready\n"), Some(Reply::Ready));
        assert_eq!(parse_reply("ok 10 1234 567"), Some(Reply::Ok { iterations: 10, wall_ns: 1234, cpu_ns: Some(567) }));
        assert_eq!(parse_reply("ok 1 5 -"), Some(Reply::Ok { iterations: 1, wall_ns: 5, cpu_ns: None }));
        assert_eq!(parse_reply(r#"error "line 1\nline 2""#), Some(Reply::Error("line 1\nline 2".into())));
        assert_eq!(parse_reply("hello"), None);
        assert_eq!(parse_reply("ok x 1 2"), None);
    }

    #[test]
    fn speaks_the_protocol() {
        let mut d = sh_driver(
            r#"echo noise; echo ready; while read cmd n; do [ "$cmd" = quit ] && exit 0; echo "ok $n 1000 $n"; done"#,
        );
        d.setup().unwrap();
        let m = d.measure(7).unwrap();
        assert_eq!((m.iterations, m.wall_ns, m.cpu_ns), (7, 1000.0, Some(7.0)));
        d.teardown().unwrap();
    }

    #[test]
    fn setup_errors_and_deaths_are_reported() {
        let mut d = sh_driver(r#"echo 'error "NameError: name x is not defined"'"#);
        assert_eq!(d.setup().unwrap_err().to_string(), "NameError: name x is not defined");
        let mut d = sh_driver("echo ready; read x; echo 'Traceback: boom' >&2; exit 3");
        d.setup().unwrap();
        let err = d.measure(1).unwrap_err().to_string();
        assert!(err.starts_with("test driver exited unexpectedly"), "{err}");
        assert!(err.contains("Traceback: boom"), "{err}");
    }

    #[test]
    fn a_driver_stuck_at_exit_is_killed() {
        let mut d = sh_driver("echo ready; while read x; do :; done; exec sleep 60");
        d.teardown_grace = std::time::Duration::from_millis(300);
        d.setup().unwrap();
        let started = std::time::Instant::now();
        let err = d.teardown().unwrap_err().to_string();
        assert_eq!(err, "test driver did not exit within 0.3 s of 'quit' and was killed");
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "killed, not waited for");
    }

    #[test]
    fn missing_interpreter_is_named() {
        let mut d = DriverRoutine::new(Command::new("metron-no-such-python"), "python driver");
        let err = d.setup().unwrap_err().to_string();
        assert_eq!(err, "command not found: 'metron-no-such-python' (in 'python driver')");
    }
}

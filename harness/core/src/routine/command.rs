//! External commands: one spawned process per iteration, timed from just
//! before the spawn to the moment `wait4` reaps it, with that child's own
//! user time, system time and peak RSS.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

use crate::clock::{self, ChildUsage, ExitKind};
use crate::counter::{perf, valgrind, Backend, Counts};
use crate::error::{Error, Result};
use crate::model::RoutineKind;
use crate::stats;

use super::children;
use super::shell::split_plain;
use super::{Measurement, Routine};

/// How command lines are started.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ShellMode {
    /// Directly when the line is plain words, through `sh -c` when it uses
    /// shell syntax (the shell's start-up time is then subtracted).
    #[default]
    Auto,
    /// Always directly: the line is split into words like a shell would, but
    /// pipes, redirections and variables are not interpreted.
    Direct,
    /// Always through this shell (`PROGRAM -c LINE`), its start-up subtracted.
    Program(String),
}

/// What happens to a command's standard output and error (hyperfine's
/// `--output null|pipe|inherit|FILE`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OutputMode {
    /// Output is discarded (stderr is kept aside to explain failures).
    #[default]
    Discard,
    /// Output goes to metron's own stdout and stderr.
    Show,
    /// Standard output goes through a pipe that metron reads and discards:
    /// for programs that write faster to `/dev/null` than anywhere else
    /// (`grep` notices it and stops at the first match).
    Pipe,
    /// Standard output is written to this file, made anew for every run.
    File(std::path::PathBuf),
}

/// What a non-zero exit status means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailurePolicy {
    /// A failing run stops the benchmark with an error.
    #[default]
    Fail,
    /// Failing runs are timed like any other.
    Ignore,
}

/// A command to benchmark and the untimed commands around it.
#[derive(Debug, Clone, Default)]
pub struct CommandSpec {
    /// The command line that is timed.
    pub command: String,
    /// How command lines are started.
    pub shell: ShellMode,
    /// Run once before the first timed run (`--setup`).
    pub setup: Option<String>,
    /// Run before every timed run (`--prepare`).
    pub prepare: Option<String>,
    /// Run after every timed run (`--conclude`).
    pub conclude: Option<String>,
    /// Run once after the last timed run (`--cleanup`).
    pub cleanup: Option<String>,
    /// Where output goes (`--show-output`).
    pub output: OutputMode,
    /// Whether a non-zero exit is an error (`--ignore-failure`).
    pub failure: FailurePolicy,
    /// Environment variables set for every command line, e.g. the parameter
    /// values a shell line refers to (see [`shell::fill`](super::shell::fill)).
    pub env: Vec<(String, String)>,
}

/// How one command line is started: the program and arguments it names,
/// or the line handed to a shell.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Invocation {
    /// The line's own words: the first is the program (never empty).
    Direct(Vec<String>),
    /// `PROGRAM -c LINE`, with this shell program.
    Shell(String),
}

/// Where a program named without a directory is found on `PATH`: the first
/// executable file of that name, as `execvp` would pick it.
///
/// Commands are spawned by this path (with `argv[0]` left as the user wrote
/// it), so the search happens once per benchmark instead of inside every
/// timed run: with `/usr/bin` ninth on `PATH` each spawn otherwise makes
/// eight failed `execve` calls, about 5% of a run of `true`, which is the
/// harness's cost and not the command's. A program that is not found keeps
/// its bare name, and the spawn searches (and reports it missing) as before.
fn on_path(program: &str) -> Option<std::path::PathBuf> {
    if program.contains('/') {
        return None;
    }
    let dirs = std::env::var_os("PATH")?;
    std::env::split_paths(&dirs).map(|d| d.join(program)).find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &std::path::Path) -> bool {
    path.is_file()
}

impl Invocation {
    /// How `line` is started under `mode`.
    fn new(line: &str, mode: &ShellMode) -> Result<Invocation> {
        match mode {
            ShellMode::Auto => Ok(split_plain(line).map_or_else(|| Invocation::Shell("sh".into()), Invocation::Direct)),
            ShellMode::Direct => match shlex::split(line) {
                Some(words) if !words.is_empty() => Ok(Invocation::Direct(words)),
                Some(_) => Err(Error::InvalidConfig("empty command".into())),
                None => Err(Error::InvalidConfig(format!("unbalanced quotes in '{line}'"))),
            },
            ShellMode::Program(p) => Ok(Invocation::Shell(p.clone())),
        }
    }

    /// The process that runs `line` (the same line [`Invocation::new`] saw),
    /// in a process group of its own (see [`children`]), its program at
    /// `resolved` when that was found on `PATH` (see [`on_path`]).
    fn command(&self, line: &str, resolved: Option<&std::path::Path>) -> Command {
        let program = self.program();
        let mut command = match resolved {
            Some(path) => {
                let mut c = Command::new(path);
                #[cfg(unix)]
                std::os::unix::process::CommandExt::arg0(&mut c, program);
                c
            }
            None => Command::new(program),
        };
        match self {
            Invocation::Direct(words) => command.args(&words[1..]),
            Invocation::Shell(_) => command.arg("-c").arg(line),
        };
        // Not a `pre_exec` closure: that would force fork+exec where std
        // otherwise uses the faster posix_spawn, on every timed run.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        command
    }

    /// The program that is started, for errors that say which one failed.
    fn program(&self) -> &str {
        match self {
            Invocation::Direct(words) => &words[0],
            Invocation::Shell(program) => program,
        }
    }
}

/// What a stop request (see [`children`]) means for a command about to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnStop {
    /// It does not start, or is stopped at once: a timed run, setup, prepare, conclude.
    Skip,
    /// It runs all the same: the clean-up, which puts things back as they were.
    Run,
}

/// Start-up cost of a shell, subtracted from commands it runs.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Overhead {
    wall_ns: f64,
    user_ns: f64,
    sys_ns: f64,
}

/// A command benchmark as a [`Routine`].
#[derive(Debug)]
pub struct CommandRoutine {
    spec: CommandSpec,
    invocation: Invocation,
    overhead: Option<Overhead>,
    stderr: Option<File>,
    counting: Option<Counting>,
    /// Each program's place on `PATH`, looked up once (see [`on_path`]).
    resolved: HashMap<String, Option<std::path::PathBuf>>,
    /// `/dev/null`, opened once: each run gets a duplicate of it as stdin
    /// (and as stdout when discarded), cheaper than opening the device
    /// anew twice a run, which a thousand runs of `true` notice.
    null: Option<File>,
}

/// How a counted command is counted.
#[derive(Debug)]
enum Counting {
    /// The calling thread's counter, inherited by the child.
    Perf,
    /// Under Valgrind, its output files in this directory (one per process).
    Valgrind(tempfile::TempDir),
}

impl CommandRoutine {
    /// Prepares a command routine; nothing runs until the sampler asks.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for an empty command or unbalanced quotes.
    pub fn new(spec: CommandSpec) -> Result<CommandRoutine> {
        if spec.command.trim().is_empty() {
            return Err(Error::InvalidConfig("empty command".into()));
        }
        let invocation = Invocation::new(&spec.command, &spec.shell)?;
        Ok(CommandRoutine {
            spec,
            invocation,
            overhead: None,
            stderr: None,
            counting: None,
            resolved: HashMap::new(),
            null: None,
        })
    }

    /// Whether the command goes through a shell.
    pub fn uses_shell(&self) -> bool {
        matches!(self.invocation, Invocation::Shell(_))
    }

    /// A fresh handle on `/dev/null` (see the field `null`).
    fn null(&mut self) -> Result<Stdio> {
        let io = |source| Error::Io { path: "/dev/null".into(), source };
        if self.null.is_none() {
            self.null = Some(std::fs::OpenOptions::new().read(true).write(true).open("/dev/null").map_err(io)?);
        }
        let file = self.null.as_ref().expect("just opened");
        Ok(Stdio::from(file.try_clone().map_err(io)?))
    }

    fn stderr_file(&mut self) -> Result<&mut File> {
        if self.stderr.is_none() {
            let file = tempfile::tempfile().map_err(|source| Error::Io { path: std::env::temp_dir(), source })?;
            self.stderr = Some(file);
        }
        Ok(self.stderr.as_mut().expect("just created"))
    }

    /// Spawns the timed command, counting it when asked to.
    fn spawn_counted(&mut self, line: &str, invocation: &Invocation) -> Result<(u64, ChildUsage, Option<Counts>)> {
        match &self.counting {
            None => self.spawn(line, invocation, OnStop::Skip, None).map(|(w, u)| (w, u, None)),
            Some(Counting::Perf) => {
                let counter = perf::PerfCounter::open(perf::Target::ThreadAndChildren)?;
                let (wall, usage) = self.spawn(line, invocation, OnStop::Skip, None)?;
                Ok((wall, usage, Some(counter.read()?)))
            }
            Some(Counting::Valgrind(dir)) => {
                let dir = dir.path().to_path_buf();
                let (wall, usage) = self.spawn(line, invocation, OnStop::Skip, Some(&dir))?;
                // A failed run's output is removed all the same.
                let counts = valgrind::take_dir(&dir);
                Ok((wall, usage, if usage.exit.success() { Some(counts?) } else { counts.ok() }))
            }
        }
    }

    /// Spawns `line` and waits for it; the wall time covers spawn to reap.
    /// With `valgrind_out`, it runs under Valgrind, its callgrind output
    /// (one file per process) in that directory.
    fn spawn(
        &mut self,
        line: &str,
        invocation: &Invocation,
        on_stop: OnStop,
        valgrind_out: Option<&std::path::Path>,
    ) -> Result<(u64, ChildUsage)> {
        if on_stop == OnStop::Skip && children::stopping() {
            return Err(Error::Interrupted);
        }
        let program = invocation.program();
        if !self.resolved.contains_key(program) {
            self.resolved.insert(program.to_string(), on_path(program));
        }
        let mut cmd = invocation.command(line, self.resolved[program].as_deref());
        if let Some(dir) = valgrind_out {
            cmd = under_valgrind(&cmd, dir);
        }
        cmd.stdin(self.null()?).envs(self.spec.env.iter().map(|(k, v)| (k, v)));
        if self.spec.output == OutputMode::Show {
            cmd.stdout(Stdio::inherit()).stderr(Stdio::inherit());
        } else {
            let file = self.stderr_file()?;
            let io = |source| Error::Io { path: "<stderr capture>".into(), source };
            // Most commands write nothing on stderr: then the file is
            // already empty and at its start, and each run saves two
            // system calls (a thousand runs of `true` notice).
            if file.metadata().map_err(io)?.len() > 0 {
                file.set_len(0).map_err(io)?;
                file.seek(SeekFrom::Start(0)).map_err(io)?;
            }
            let clone = file.try_clone().map_err(io)?;
            cmd.stdout(self.stdout()?).stderr(clone);
        }
        let start = clock::wall_ns();
        let mut child = cmd.spawn().map_err(|source| spawn_error(line, invocation.program(), source))?;
        let registration = children::register(child.id());
        if on_stop == OnStop::Skip && children::stopping() {
            registration.terminate();
        }
        // A pipe is drained while the command runs, or a full pipe would stop it.
        let drain = child
            .stdout
            .take()
            .map(|mut out| std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink())));
        let usage =
            clock::wait_child(&mut child).map_err(|source| Error::Spawn { command: line.to_string(), source })?;
        let elapsed = clock::wall_ns().saturating_sub(start);
        // Reading a pipe cannot fail in a way that matters: what was read is discarded.
        let _ = drain.map(std::thread::JoinHandle::join);
        drop(registration);
        Ok((elapsed, usage))
    }

    /// Where a run's standard output goes when it is not shown.
    fn stdout(&mut self) -> Result<Stdio> {
        match &self.spec.output {
            OutputMode::Pipe => Ok(Stdio::piped()),
            OutputMode::File(path) => {
                let file = std::fs::File::create(path).map_err(|source| Error::Io { path: path.clone(), source })?;
                Ok(Stdio::from(file))
            }
            OutputMode::Discard | OutputMode::Show => self.null(),
        }
    }

    fn stderr_tail(&mut self) -> String {
        if self.spec.output == OutputMode::Show {
            return "(shown above)".into();
        }
        let Some(file) = self.stderr.as_mut() else { return String::new() };
        let mut text = String::new();
        if file.seek(SeekFrom::Start(0)).is_err() || file.read_to_string(&mut text).is_err() {
            return String::new();
        }
        tail(&text)
    }

    /// Runs an untimed helper command (setup, prepare, conclude, cleanup).
    fn run_aux(&mut self, line: &str, role: &'static str, on_stop: OnStop) -> Result<()> {
        let invocation = Invocation::new(line, &self.spec.shell)?;
        let (_, usage) = self.spawn(line, &invocation, on_stop, None)?;
        self.check(line, role, usage.exit)
    }

    fn check(&mut self, line: &str, role: &'static str, exit: ExitKind) -> Result<()> {
        // A command killed while metron stops was killed by metron.
        if matches!(exit, ExitKind::Signal(_)) && children::stopping() {
            return Err(Error::Interrupted);
        }
        if exit == ExitKind::Signal(libc_sigint()) {
            return Err(Error::ChildInterrupted { command: line.to_string() });
        }
        if exit.success() || (role.is_empty() && self.spec.failure == FailurePolicy::Ignore) {
            return Ok(());
        }
        Err(Error::CommandFailed { role, command: line.to_string(), exit, stderr_tail: self.stderr_tail() })
    }

    fn run_once(&mut self) -> Result<Measurement> {
        if let Some(prepare) = self.spec.prepare.clone() {
            self.run_aux(&prepare, "prepare ", OnStop::Skip)?;
        }
        let line = self.spec.command.clone();
        let invocation = self.invocation.clone();
        let (wall, usage, counts) = self.spawn_counted(&line, &invocation)?;
        self.check(&line, "", usage.exit)?;
        if let Some(conclude) = self.spec.conclude.clone() {
            self.run_aux(&conclude, "conclude ", OnStop::Skip)?;
        }
        let o = self.overhead.unwrap_or(Overhead { wall_ns: 0.0, user_ns: 0.0, sys_ns: 0.0 });
        let user = usage.user_ns.map(|u| (u as f64 - o.user_ns).max(0.0));
        let sys = usage.sys_ns.map(|s| (s as f64 - o.sys_ns).max(0.0));
        Ok(Measurement {
            iterations: 1,
            // A run faster than the shell's estimated start-up is below what
            // can be measured: 1 ns, not 0, keeps every later log-time
            // statistic finite and the saved file readable.
            wall_ns: (wall as f64 - o.wall_ns).max(1.0),
            cpu_ns: user.zip(sys).map(|(u, s)| u + s),
            user_ns: user,
            sys_ns: sys,
            max_rss_kib: usage.max_rss_kib,
            counts,
        })
    }
}

/// `cmd` run under Valgrind, every process of it (`--trace-children`)
/// writing its counts to a file of its own in `dir`.
fn under_valgrind(cmd: &Command, dir: &std::path::Path) -> Command {
    let mut options = valgrind::base_args(&dir.join("callgrind.%p"));
    options.push("--trace-children=yes".into());
    let args: Vec<&std::ffi::OsStr> = cmd.get_args().collect();
    let mut wrapped = valgrind::wrap(&options, cmd.get_program(), &args);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut wrapped, 0);
    wrapped
}

fn libc_sigint() -> i32 {
    2 // SIGINT is 2 on every platform metron runs on.
}

fn spawn_error(line: &str, program: &str, source: std::io::Error) -> Error {
    match source.kind() {
        std::io::ErrorKind::NotFound => match missing_interpreter(program) {
            Some(interpreter) => {
                Error::InterpreterNotFound { command: line.to_string(), script: program.to_string(), interpreter }
            }
            None => Error::CommandNotFound { command: line.to_string(), program: program.to_string() },
        },
        _ => Error::Spawn { command: line.to_string(), source },
    }
}

/// When `program` exists as a file (found on `PATH` if it names no
/// directory) that starts with `#!`, the interpreter that line names: the
/// one that was not found, as the program itself is there.
fn missing_interpreter(program: &str) -> Option<String> {
    let path = if program.contains('/') { std::path::PathBuf::from(program) } else { on_path(program)? };
    let mut head = [0u8; 256];
    let n = File::open(&path).and_then(|mut f| f.read(&mut head)).ok()?;
    let line = head[..n].strip_prefix(b"#!")?.split(|&b| b == b'\n').next()?;
    let interpreter = String::from_utf8_lossy(line).split_whitespace().next()?.to_string();
    Some(interpreter)
}

/// The last few non-empty lines of `text`, joined on one line.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).filter(|l| !l.is_empty()).collect();
    let start = lines.len().saturating_sub(3);
    let joined = lines[start..].join(" | ");
    if joined.chars().count() > 400 {
        let skip = joined.chars().count() - 400;
        format!("…{}", joined.chars().skip(skip).collect::<String>())
    } else {
        joined
    }
}

/// Measures (once per process and shell) what `SHELL -c ''` costs: the
/// median of 30 runs after 3 warm-up runs, per field.
fn shell_overhead(routine: &mut CommandRoutine, program: &str) -> Result<Overhead> {
    static CACHE: OnceLock<Mutex<HashMap<String, Overhead>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(o) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(program) {
        return Ok(*o);
    }
    let invocation = Invocation::Shell(program.to_string());
    let mut walls = Vec::new();
    let mut users = Vec::new();
    let mut syss = Vec::new();
    for i in 0..33 {
        let (wall, usage) = routine.spawn("", &invocation, OnStop::Skip, None).map_err(|e| match e {
            // Name the shell, not the empty command used to time it.
            Error::CommandNotFound { program, .. } => Error::CommandNotFound { command: "--shell".into(), program },
            Error::Spawn { source, .. } => Error::Spawn { command: format!("--shell {program}"), source },
            e => e,
        })?;
        routine.check(&format!("{program} -c ''"), "shell start-up check ", usage.exit)?;
        if i >= 3 {
            walls.push(wall as f64);
            users.push(usage.user_ns.unwrap_or(0) as f64);
            syss.push(usage.sys_ns.unwrap_or(0) as f64);
        }
    }
    let o = Overhead { wall_ns: stats::median(&walls), user_ns: stats::median(&users), sys_ns: stats::median(&syss) };
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(program.to_string(), o);
    Ok(o)
}

impl Routine for CommandRoutine {
    fn kind(&self) -> RoutineKind {
        RoutineKind::Command
    }

    fn count_with(&mut self, backend: Backend) -> Result<()> {
        self.counting = Some(match backend {
            Backend::PerfEvent => Counting::Perf,
            Backend::Valgrind => Counting::Valgrind(
                tempfile::Builder::new()
                    .prefix("metron-callgrind-")
                    .tempdir()
                    .map_err(|source| Error::Io { path: std::env::temp_dir(), source })?,
            ),
        });
        Ok(())
    }

    fn setup(&mut self) -> Result<()> {
        // Under Valgrind the shell's native start-up time says nothing about
        // the slowed-down runs, so nothing is subtracted (the counts include
        // the shell, as the result says).
        let valgrind = matches!(self.counting, Some(Counting::Valgrind(_)));
        if let (Invocation::Shell(program), false) = (self.invocation.clone(), valgrind) {
            self.overhead = Some(shell_overhead(self, &program)?);
        }
        if let Some(setup) = self.spec.setup.clone() {
            self.run_aux(&setup, "setup ", OnStop::Skip)?;
        }
        Ok(())
    }

    fn measure(&mut self, iterations: u64) -> Result<Measurement> {
        let mut total = Measurement::default();
        for _ in 0..iterations {
            total.accumulate(&self.run_once()?);
        }
        Ok(total)
    }

    fn teardown(&mut self) -> Result<()> {
        match self.spec.cleanup.clone() {
            Some(cleanup) => self.run_aux(&cleanup, "cleanup ", OnStop::Run),
            None => Ok(()),
        }
    }

    fn shell_overhead_ns(&self) -> Option<f64> {
        self.overhead.map(|o| o.wall_ns)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn routine(cmd: &str) -> CommandRoutine {
        CommandRoutine::new(CommandSpec { command: cmd.into(), ..CommandSpec::default() }).unwrap()
    }

    #[test]
    fn sleep_is_measured_with_little_cpu() {
        let mut r = routine("sleep 0.02");
        r.setup().unwrap();
        assert!(!r.uses_shell());
        let m = r.measure(2).unwrap();
        assert_eq!(m.iterations, 2);
        // A sleep never ends early; the upper bound only catches a unit mix-up.
        assert!(m.wall_ns >= 40e6 && m.wall_ns < 1e9, "{m:?}");
        assert!(m.cpu_ns.unwrap() < 20e6, "{m:?}");
        assert!(m.max_rss_kib.unwrap() > 0);
    }

    #[test]
    fn shell_commands_subtract_the_shell() {
        let mut r = routine("true; true");
        assert!(r.uses_shell());
        r.setup().unwrap();
        assert!(r.shell_overhead_ns().unwrap() > 0.0);
        let m = r.measure(1).unwrap();
        assert!(m.wall_ns >= 0.0);
    }

    #[test]
    fn missing_program_is_one_clear_error() {
        let mut r = routine("metron-no-such-program --flag");
        let err = r.measure(1).unwrap_err();
        assert_eq!(err.to_string(), "command not found: 'metron-no-such-program' (in 'metron-no-such-program --flag')");
    }

    #[test]
    fn failure_names_status_and_stderr() {
        let mut r = routine("echo boom >&2; echo second >&2; exit 3");
        r.setup().unwrap();
        let err = r.measure(1).unwrap_err().to_string();
        assert_eq!(err, "'echo boom >&2; echo second >&2; exit 3' failed with exit status 3; stderr: boom | second");
    }

    #[test]
    fn ignored_failures_are_timed() {
        let mut r = CommandRoutine::new(CommandSpec {
            command: "false".into(),
            failure: FailurePolicy::Ignore,
            ..CommandSpec::default()
        })
        .unwrap();
        assert_eq!(r.measure(3).unwrap().iterations, 3);
    }

    #[test]
    fn setup_prepare_conclude_cleanup_run_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let l = log.display();
        let mut r = CommandRoutine::new(CommandSpec {
            command: format!("sh -c 'echo run >> {l}'"),
            setup: Some(format!("echo setup >> {l}")),
            prepare: Some(format!("echo prepare >> {l}")),
            conclude: Some(format!("echo conclude >> {l}")),
            cleanup: Some(format!("echo cleanup >> {l}")),
            ..CommandSpec::default()
        })
        .unwrap();
        r.setup().unwrap();
        r.measure(2).unwrap();
        r.teardown().unwrap();
        let text = std::fs::read_to_string(&log).unwrap();
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            ["setup", "prepare", "run", "conclude", "prepare", "run", "conclude", "cleanup"]
        );
    }

    #[test]
    fn failing_setup_is_reported_as_setup() {
        let mut r = CommandRoutine::new(CommandSpec {
            command: "true".into(),
            setup: Some("exit 4".into()),
            ..CommandSpec::default()
        })
        .unwrap();
        let err = r.setup().unwrap_err().to_string();
        assert_eq!(err, "setup 'exit 4' failed with exit status 4");
    }

    #[test]
    fn a_missing_interpreter_is_named() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("script.sh");
        std::fs::write(&script, "#!/no/such/interpreter -x\necho hi\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let line = script.display().to_string();
        let err = routine(&line).measure(1).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "the interpreter '/no/such/interpreter' named in the #! line of '{line}' was not found (in '{line}')"
            )
        );
    }

    #[test]
    fn a_command_that_interrupts_itself_says_so() {
        let mut r = routine("kill -INT $$");
        r.setup().unwrap();
        let err = r.measure(1).unwrap_err().to_string();
        assert_eq!(err, "'kill -INT $$' was killed by SIGINT; stopping");
    }

    #[test]
    fn tail_keeps_last_lines() {
        assert_eq!(tail("a\nb\n\nc\nd\n"), "b | c | d");
        assert_eq!(tail(""), "");
    }
}

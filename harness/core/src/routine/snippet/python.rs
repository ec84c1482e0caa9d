//! Python statements, timed the way `python -m timeit` times them, by a
//! long-lived interpreter running `python_driver.py`.
//!
//! The driver is passed to the interpreter with `-c`, so nothing is written
//! to disk and the working directory is on `sys.path` first, as with
//! `python -m timeit`. Setup and statement are compiled separately under the
//! file names `<setup>` and `<stmt>`, so every traceback and syntax error
//! points at the snippet's own lines.

use std::process::{Command, Stdio};

use crate::error::{Error, Result};

use super::super::DriverRoutine;

/// The driver program, run with `python3 -c DRIVER SETUP STMT`.
pub const DRIVER: &str = include_str!("python_driver.py");

/// Oldest Python the driver runs on (`time.perf_counter_ns` is 3.7's).
const MINIMUM: (u32, u32) = (3, 7);

/// A Python statement with its setup, ready to become a routine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonSnippet {
    interpreter: String,
    setup: String,
    statement: String,
}

impl PythonSnippet {
    /// A statement run by `python3` with no setup.
    pub fn new(statement: impl Into<String>) -> PythonSnippet {
        PythonSnippet { interpreter: "python3".into(), setup: String::new(), statement: statement.into() }
    }

    /// The interpreter to run (a name on `PATH` or a path); mirrors `--python`.
    pub fn interpreter(mut self, interpreter: impl Into<String>) -> PythonSnippet {
        self.interpreter = interpreter.into();
        self
    }

    /// Setup lines, run once before timing (untimed), joined as separate
    /// lines as `timeit` joins several `-s`; mirrors `-s`.
    pub fn setup<S: AsRef<str>>(mut self, lines: &[S]) -> PythonSnippet {
        self.setup = lines.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("\n");
        self
    }

    /// The routine: a driver process started at the routine's setup, which
    /// fails with the Python traceback if the snippet does not compile or
    /// raises.
    pub fn routine(&self) -> DriverRoutine {
        let mut command = Command::new(&self.interpreter);
        command.arg("-c").arg(DRIVER).arg(&self.setup).arg(&self.statement);
        DriverRoutine::new(command, format!("{} driver", self.interpreter))
    }
}

/// A Python interpreter metron can drive, as it answered when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpreter {
    /// Its version, e.g. `3.11.7`.
    pub version: String,
    /// The program it really is (`sys.executable`), or the name it was
    /// asked by when it does not know.
    ///
    /// Drivers are started by this path: a `python3` on `PATH` is often a
    /// launcher (a pyenv shim is a shell script that takes about 200 ms to
    /// pick a version), and every replicate starts a fresh driver, so
    /// starting the shim each time costs five times its start-up per
    /// statement, where `python -m timeit` pays it once.
    pub executable: String,
}

/// The interpreter that `interpreter` names (a name on `PATH` or a path),
/// checked to be a Python the driver runs on.
///
/// # Errors
/// [`Error::CommandNotFound`] when there is no such program,
/// [`Error::Routine`] when it is not a Python metron can drive.
pub fn inspect_interpreter(interpreter: &str) -> Result<Interpreter> {
    let output = Command::new(interpreter)
        .args(["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable or '')"])
        .stdin(Stdio::null())
        .output()
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => {
                Error::CommandNotFound { command: "Python interpreter".into(), program: interpreter.into() }
            }
            _ => Error::Routine(format!("cannot start '{interpreter}': {source}")),
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines().map(str::trim);
    let version = lines.next().unwrap_or("").to_string();
    let executable = lines.next().filter(|e| !e.is_empty()).unwrap_or(interpreter).to_string();
    let numbers: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    if !output.status.success() || numbers.len() != 3 {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let detail = stderr.lines().last().unwrap_or("").trim();
        return Err(Error::Routine(format!(
            "'{interpreter}' is not a Python interpreter metron can use ({}{}{detail})",
            output.status,
            if detail.is_empty() { "" } else { ": " }
        )));
    }
    if (numbers[0], numbers[1]) < MINIMUM {
        return Err(Error::Routine(format!(
            "'{interpreter}' is Python {version}; timing Python snippets needs {}.{} or newer",
            MINIMUM.0, MINIMUM.1
        )));
    }
    Ok(Interpreter { version, executable })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::routine::Routine;

    /// These tests run the real driver and need `python3` on `PATH`, as
    /// every machine metron is developed on has.
    fn routine(setup: &[&str], statement: &str) -> DriverRoutine {
        PythonSnippet::new(statement).setup(setup).routine()
    }

    #[test]
    fn answers_run_requests_with_its_own_clocks() {
        let mut r = routine(&["x = list(range(100))"], "x.sort()");
        r.setup().unwrap();
        for n in [1, 10, 1000] {
            let m = r.measure(n).unwrap();
            assert_eq!(m.iterations, n);
            assert!(m.wall_ns > 0.0 && m.cpu_ns.is_some_and(|c| c > 0.0), "{m:?}");
        }
        r.teardown().unwrap();
    }

    #[test]
    fn the_loop_time_grows_with_n() {
        let mut r = routine(&[], "sum(range(1000))");
        r.setup().unwrap();
        // Load only ever adds time: the fastest of a few short measurements
        // is the one a preemption did not land in.
        let small = (0..5).map(|_| r.measure(10).unwrap().wall_ns).fold(f64::INFINITY, f64::min);
        let large = r.measure(10_000).unwrap().wall_ns;
        assert!(large > 100.0 * small, "10 loops {small} ns, 10000 loops {large} ns");
        r.teardown().unwrap();
    }

    #[test]
    fn setup_runs_once_and_state_carries_over() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("setup.log");
        let setup = format!("open({:?}, 'a').write('setup\\n')\nn = 0", log.to_str().unwrap());
        // The statement fails on the 16th run overall: n is carried from sample to sample.
        let mut r = routine(&[&setup], "n += 1\nassert n <= 15, n");
        r.setup().unwrap();
        r.measure(5).unwrap();
        r.measure(10).unwrap();
        let err = r.measure(1).unwrap_err().to_string();
        assert!(err.contains("AssertionError: 16"), "{err}");
        r.teardown().unwrap();
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "setup\n");
    }

    #[test]
    fn several_setup_lines_and_the_statements_output_stay_off_the_pipe() {
        let mut r = routine(&["import sys", "print('ok 1 2 3')"], "print('ok 99 1 1'); sys.stdout.write('ready\\n')");
        r.setup().unwrap();
        assert_eq!(r.measure(3).unwrap().iterations, 3);
        r.teardown().unwrap();
    }

    #[test]
    fn global_statements_still_work() {
        let mut r = routine(&["x = 0"], "global x\nx += 1");
        r.setup().unwrap();
        r.measure(4).unwrap();
        r.teardown().unwrap();
    }

    #[test]
    fn exceptions_show_the_snippets_own_lines() {
        let mut r = routine(&["def f(a):", "    return 1 / a"], "y = 1\nf(0)");
        r.setup().unwrap();
        let err = r.measure(1).unwrap_err().to_string();
        let (first, traceback) = err.split_once('\n').unwrap();
        assert_eq!(first, "ZeroDivisionError: division by zero (at line 2 of the setup)");
        assert!(traceback.starts_with("Traceback (most recent call last):"), "{err}");
        assert!(err.contains("File \"<stmt>\", line 2"), "{err}");
        assert!(err.contains("File \"<setup>\", line 2, in f\n    return 1 / a"), "{err}");
        assert!(err.ends_with("ZeroDivisionError: division by zero"), "{err}");
        assert!(!err.contains("<string>"), "driver frames leak: {err}");
    }

    #[test]
    fn syntax_errors_fail_the_setup_with_a_caret() {
        let err = routine(&[], "sum(range(").setup().unwrap_err().to_string();
        assert!(err.contains("File \"<stmt>\", line 1\n    sum(range("), "{err}");
        assert!(err.contains('^') && err.contains("SyntaxError"), "{err}");
        let err = routine(&["x = 1", "y = ("], "pass").setup().unwrap_err().to_string();
        assert!(err.contains("File \"<setup>\", line 2"), "{err}");
        let err = routine(&["import no_such_module_xyz"], "pass").setup().unwrap_err().to_string();
        assert!(err.contains("ModuleNotFoundError"), "{err}");
    }

    #[test]
    fn interpreters_are_checked() {
        let python = inspect_interpreter("python3").unwrap();
        assert!(python.version.starts_with("3."), "{python:?}");
        assert!(std::path::Path::new(&python.executable).is_absolute(), "{python:?}");
        assert_eq!(inspect_interpreter(&python.executable).unwrap(), python, "the executable is itself");
        let err = inspect_interpreter("/nonexistent/python9").unwrap_err().to_string();
        assert_eq!(err, "command not found: '/nonexistent/python9' (in 'Python interpreter')");
        let err = inspect_interpreter("false").unwrap_err().to_string();
        assert!(err.starts_with("'false' is not a Python interpreter"), "{err}");
    }
}

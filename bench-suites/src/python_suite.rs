//! The suite in CPython: the same workloads and variants (minus rayon),
//! written in Python (`bench-suites/python/`), measured through metron's
//! driver protocol.
//!
//! Each benchmark is one long-lived `python3 suite_driver.py …` process
//! that prepares its workload and variant once — a `ProcessPoolExecutor` is
//! started once, like the Rust process pool — and answers `run n` with its
//! own wall and CPU clock readings, so interpreter start-up is never timed.
//! Its CPU figure includes reaped child processes and the CPU time pool
//! workers report per task.
//!
//! The expected checksum of every Python run is computed here, in Rust,
//! from the same spec ([`WorkloadSpec::reference_checksum`]): the driver
//! refuses any run that does not reach it, so the two implementations check
//! each other.
//!
//! The scripts are compiled into metron and written to a temporary
//! directory when the suite starts, so the binary works from anywhere. The
//! interpreter is resolved once to its real executable (`sys.executable`),
//! which skips wrapper scripts such as pyenv shims, and started with `-S`
//! (no site packages: the suite needs only the standard library), which
//! keeps each driver's start-up short.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use metron::model::RoutineKind;
use metron::routine::DriverRoutine;

use crate::error::{Error, Result};
use crate::variant::VariantKind;
use crate::workload::WorkloadSpec;

/// The workloads and variants in Python (importable by pool workers).
pub const SUITE_MODULE: &str = include_str!("../python/metron_suite.py");
/// The driver that speaks metron's protocol.
pub const DRIVER: &str = include_str!("../python/suite_driver.py");
/// The user's workload under the same variants (see [`crate::user::python_function`]).
pub const USER_MODULE: &str = include_str!("../python/metron_user.py");

/// Oldest Python the scripts run on.
const MINIMUM: (u32, u32) = (3, 8);

/// A Python interpreter ready to run the suite.
#[derive(Debug)]
pub struct PythonSuite {
    executable: PathBuf,
    version: String,
    start_method: String,
    scripts: tempfile::TempDir,
}

impl PythonSuite {
    /// Finds `interpreter` (e.g. `python3`), checks its version and writes
    /// the scripts.
    ///
    /// # Errors
    /// [`Error::Python`] when the interpreter is missing, too old, or the
    /// scripts cannot be written.
    pub fn locate(interpreter: &str) -> Result<PythonSuite> {
        const PROBE: &str = "import sys, multiprocessing; print(sys.executable); \
                             print('%d.%d.%d' % sys.version_info[:3]); print(multiprocessing.get_start_method())";
        let output = Command::new(interpreter)
            .args(["-c", PROBE])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Error::Python(format!("cannot run '{interpreter}': {e}")))?;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        if !output.status.success() || lines.len() != 3 {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let detail = stderr.lines().last().unwrap_or("").trim().to_string();
            return Err(Error::Python(format!("'{interpreter}' is not a usable Python ({}) {detail}", output.status)));
        }
        let version = lines[1].to_string();
        let numbers: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
        if numbers.len() < 2 || (numbers[0], numbers[1]) < MINIMUM {
            return Err(Error::Python(format!(
                "'{interpreter}' is Python {version}; the suite needs {}.{} or newer",
                MINIMUM.0, MINIMUM.1
            )));
        }
        let executable = if lines[0].is_empty() { PathBuf::from(interpreter) } else { PathBuf::from(lines[0]) };
        let scripts = write_scripts()?;
        Ok(PythonSuite { executable, version, start_method: lines[2].to_string(), scripts })
    }

    /// The interpreter's version, e.g. `3.11.7`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// multiprocessing's default start method (`fork`, `spawn`, `forkserver`).
    pub fn start_method(&self) -> &str {
        &self.start_method
    }

    /// The interpreter that runs the drivers.
    pub fn executable(&self) -> &Path {
        &self.executable
    }

    /// The driver arguments for a workload run by a variant.
    pub fn workload_args(spec: &WorkloadSpec, variant: VariantKind, workers: usize) -> Vec<String> {
        let s = &spec.size;
        [
            ("--workload", spec.kind.name().to_string()),
            ("--variant", variant.name().to_string()),
            ("--workers", workers.to_string()),
            ("--tasks", spec.tasks.to_string()),
            ("--steps", s.steps.to_string()),
            ("--wait-us", s.wait.as_micros().to_string()),
            ("--files", s.files.to_string()),
            ("--file-bytes", s.file_bytes.to_string()),
            ("--bytes", s.bytes.to_string()),
            ("--expected", format!("{:#x}", spec.reference_checksum())),
        ]
        .into_iter()
        .flat_map(|(flag, value)| [flag.to_string(), value])
        .collect()
    }

    /// A routine that runs `spec` with `variant` in a Python driver.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for rayon, which has no Python counterpart.
    pub fn workload(&self, spec: &WorkloadSpec, variant: VariantKind, workers: usize) -> Result<DriverRoutine> {
        if variant == VariantKind::Rayon {
            return Err(Error::InvalidConfig("rayon has no Python counterpart".into()));
        }
        let description = format!("python {} {variant}", spec.kind);
        Ok(self.driver(Self::workload_args(spec, variant, workers), description))
    }

    /// A routine that starts one thread (`thread`) or process (`process`) per iteration.
    pub fn spawn(&self, what: &str) -> DriverRoutine {
        self.driver(vec!["--spawn".into(), what.into()], format!("python spawn {what}"))
    }

    /// The driver for the user's own workload: without `-S`, since user
    /// code may import site packages.
    pub fn user_command(&self) -> Command {
        let mut command = Command::new(&self.executable);
        command.arg(self.scripts.path().join("suite_driver.py"));
        command
    }

    fn driver(&self, args: Vec<String>, description: String) -> DriverRoutine {
        let mut command = Command::new(&self.executable);
        command.arg("-S").arg(self.scripts.path().join("suite_driver.py")).args(args);
        DriverRoutine::new(command, description).with_kind(RoutineKind::Snippet)
    }
}

fn write_scripts() -> Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new()
        .prefix("metron-suite-python-")
        .tempdir()
        .map_err(|source| Error::Io { path: std::env::temp_dir(), source })?;
    for (name, text) in
        [("metron_suite.py", SUITE_MODULE), ("suite_driver.py", DRIVER), ("metron_user.py", USER_MODULE)]
    {
        let path = dir.path().join(name);
        std::fs::write(&path, text).map_err(|source| Error::Io { path, source })?;
    }
    Ok(dir)
}

//! Re-executing the bench binary: run this very binary again on one
//! benchmark, optionally under a wrapper program, and read back what the
//! child measured.
//!
//! Used to count closures under Valgrind (the wrapper is `valgrind
//! --tool=callgrind …`, one process per benchmark), and meant for anything
//! else that needs a fresh process per benchmark, such as replicates.
//!
//! # How It Works
//!
//! The child is `[WRAPPER…] CURRENT_EXE --bench FLAGS… --exact ID
//! --export-json DIR/child.json --quiet`, with [`CHILD_MARKER_ENV`] set so
//! it knows what it is, and the caller's own environment markers. Its
//! stdout is discarded (the parent prints the results), its stderr is kept
//! to explain a failure. The parent reads the child's run back from the
//! JSON file; the temporary directory, handed back with it, is where the
//! caller can have the child leave other files (callgrind's output).

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};
use crate::model::RunRecord;

/// Set to `1` in the environment of every re-executed child.
pub const CHILD_MARKER_ENV: &str = "METRON_REEXEC";

/// What to re-execute.
#[derive(Debug, Clone, Default)]
pub struct Reexec {
    /// The id of the one benchmark the child runs (`--exact`).
    pub benchmark: String,
    /// The child's measuring flags (`--clock=instructions`, …).
    pub flags: Vec<String>,
    /// A program and its options to run the binary under; empty for none.
    pub wrapper: Vec<String>,
    /// More environment variables for the child.
    pub env: Vec<(String, String)>,
}

/// What a child measured.
#[derive(Debug)]
pub struct ChildRun {
    /// Its run, as it wrote it.
    pub record: RunRecord,
    /// The directory it ran beside; removed when this is dropped.
    pub dir: tempfile::TempDir,
}

impl Reexec {
    /// A fresh temporary directory for a child, before it runs (to name
    /// files in its flags or environment).
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be made.
    pub fn directory() -> Result<tempfile::TempDir> {
        tempfile::Builder::new()
            .prefix("metron-reexec-")
            .tempdir()
            .map_err(|source| Error::Io { path: std::env::temp_dir(), source })
    }

    /// Runs the child in `dir` and reads its run back.
    ///
    /// # Errors
    /// [`Error::Spawn`] when it cannot start, [`Error::Routine`] when it
    /// wrote no run (with its exit status and the end of its stderr).
    pub fn run(&self, dir: tempfile::TempDir) -> Result<ChildRun> {
        let exe =
            std::env::current_exe().map_err(|source| Error::Io { path: PathBuf::from("<current exe>"), source })?;
        let json = dir.path().join("child.json");
        let mut command = match self.wrapper.split_first() {
            Some((program, options)) => {
                let mut c = Command::new(program);
                c.args(options).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        command.arg("--bench").args(&self.flags).arg("--quiet").arg("--exact").arg(&self.benchmark);
        command.arg("--export-json").arg(&json).env(CHILD_MARKER_ENV, "1").envs(self.env.iter().cloned());
        let described = format!("{} (re-executed for '{}')", exe.display(), self.benchmark);
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
        // A tracked child: a signal to this process reaches the re-executed one too.
        let output = crate::routine::children::output(&mut command).map_err(|source| match source.kind() {
            std::io::ErrorKind::Interrupted => Error::Interrupted,
            _ => Error::Spawn { command: described.clone(), source },
        })?;
        match RunRecord::load(&json) {
            Ok(record) => Ok(ChildRun { record, dir }),
            Err(_) => {
                let stderr = String::from_utf8_lossy(&output.stderr);
                let tail: Vec<&str> = stderr.lines().rev().take(5).collect::<Vec<_>>().into_iter().rev().collect();
                Err(Error::Routine(format!("{described} {} and wrote no results: {}", output.status, tail.join(" | "))))
            }
        }
    }
}

/// Whether this process is a re-executed child.
pub fn is_child() -> bool {
    std::env::var_os(CHILD_MARKER_ENV).is_some()
}

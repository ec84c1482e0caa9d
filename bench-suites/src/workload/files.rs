//! The small files the `io` workload reads: created once per prepared job in
//! a fresh temporary directory (untimed), removed with the job.

use std::path::{Path, PathBuf};

use super::checksum::pattern;
use crate::error::{Error, Result};

/// Content of file `file` of task `task`: `bytes` bytes of a rotated pattern,
/// different for every file (the Python suite makes the same files).
pub fn content(task: usize, file: usize, bytes: usize) -> Vec<u8> {
    pattern(7 * task + 13 * file, bytes)
}

/// The name of that file inside the job's directory.
pub fn name(task: usize, file: usize) -> String {
    format!("t{task}-f{file}.bin")
}

/// Writes `files` files of `bytes` bytes for each of `tasks` tasks into a new
/// temporary directory; returns it and each task's paths.
///
/// # Errors
/// When the directory or a file cannot be written.
pub fn create(tasks: usize, files: usize, bytes: usize) -> Result<(tempfile::TempDir, Vec<Vec<PathBuf>>)> {
    let dir = tempfile::Builder::new()
        .prefix("metron-suite-io-")
        .tempdir()
        .map_err(|source| Error::Io { path: std::env::temp_dir(), source })?;
    let paths = (0..tasks)
        .map(|t| (0..files).map(|f| write(dir.path(), t, f, bytes)).collect::<Result<Vec<PathBuf>>>())
        .collect::<Result<Vec<_>>>()?;
    Ok((dir, paths))
}

fn write(dir: &Path, task: usize, file: usize, bytes: usize) -> Result<PathBuf> {
    let path = dir.join(name(task, file));
    std::fs::write(&path, content(task, file, bytes)).map_err(|source| Error::Io { path: path.clone(), source })?;
    Ok(path)
}

//! Where an export goes, a file or stdout (`-`), and the check that runs
//! before anything is measured: a result that could not be written at the
//! end would waste the whole run.
//!
//! Files are written with [`metron::atomic::write`], which never replaces a
//! device, FIFO or symbolic link: `--export-json /dev/stdout` or a named
//! pipe is written in place, a link's target is replaced and the link stays.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::ReportError;

/// The destination of one export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportTarget {
    /// Standard output (`-` on the command line); human text then goes to
    /// stderr ([`ExportManager::writes_stdout`](super::ExportManager::writes_stdout)).
    Stdout,
    /// A file, replaced atomically.
    File(PathBuf),
}

impl ExportTarget {
    /// The target a command-line path names: `-` is stdout.
    pub fn new(path: impl Into<PathBuf>) -> ExportTarget {
        let path = path.into();
        if path.as_os_str() == "-" {
            ExportTarget::Stdout
        } else {
            ExportTarget::File(path)
        }
    }

    /// Fails now if the file could not be written later: it is a directory,
    /// or its directory is missing or not writable.
    pub(super) fn check_writable(&self, flag: &str) -> Result<(), ReportError> {
        let ExportTarget::File(path) = self else { return Ok(()) };
        let unwritable =
            |reason: String| ReportError::Unwritable { flag: flag.to_string(), path: path.clone(), reason };
        if path.is_dir() {
            return Err(unwritable("is a directory".to_string()));
        }
        let dir = parent_dir(path);
        tempfile::Builder::new()
            .prefix(".metron-write-check")
            .tempfile_in(&dir)
            .map(drop)
            // The error of the probe file would name the probe, not the user's path.
            .map_err(|e| {
                let why = match std::fs::metadata(&dir) {
                    Err(missing) => missing.to_string(),
                    Ok(m) if !m.is_dir() => "not a directory".to_string(),
                    Ok(_) => std::io::Error::from(e.kind()).to_string(),
                };
                unwritable(format!("cannot write in {} ({why})", dir.display()))
            })
    }
}

/// The directory a file is created in: its parent, or `.` for a bare name.
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl From<PathBuf> for ExportTarget {
    fn from(path: PathBuf) -> ExportTarget {
        ExportTarget::new(path)
    }
}

impl From<&Path> for ExportTarget {
    fn from(path: &Path) -> ExportTarget {
        ExportTarget::new(path)
    }
}

/// `-` for stdout, else the path.
impl fmt::Display for ExportTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportTarget::Stdout => f.write_str("-"),
            ExportTarget::File(path) => write!(f, "{}", path.display()),
        }
    }
}

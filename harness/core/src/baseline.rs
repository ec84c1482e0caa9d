//! Saved baselines: `.metron/baselines/NAME.json` in the current directory,
//! written by `--save-baseline NAME` and compared against by `--baseline NAME`,
//! from the command line and from bench binaries alike.

use std::path::PathBuf;

use crate::compare::{self, BaselineOptions};
use crate::error::{Error, Result};
use crate::model::{BaselineComparison, RunRecord};

/// Directory of saved baselines, relative to the current directory.
pub const BASELINE_DIR: &str = ".metron/baselines";

/// Longest baseline name: 255 bytes, the usual limit of a file name, less `.json`.
pub const MAX_NAME_BYTES: usize = 250;

/// Where the baseline `name` is stored.
///
/// # Errors
/// [`Error::InvalidConfig`] for names that are empty, too long for a file
/// name, or would escape the directory.
pub fn path(name: &str) -> Result<PathBuf> {
    let ok = !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != "..";
    if !ok {
        return Err(Error::InvalidConfig(format!("baseline name '{name}' must be a plain file name (no '/')")));
    }
    // File systems cap a name at 255 bytes; with `.json` added, a longer
    // name would only fail when the run is over and being saved.
    if name.len() > MAX_NAME_BYTES {
        return Err(Error::InvalidConfig(format!("baseline name is too long (at most {MAX_NAME_BYTES} bytes)")));
    }
    Ok(PathBuf::from(BASELINE_DIR).join(format!("{name}.json")))
}

/// Compares `report` with the saved baseline `name`, stores the comparison
/// in the report and returns it.
///
/// # Errors
/// When the baseline is missing, unreadable or of another schema.
pub fn compare_with<'r>(
    report: &'r mut RunRecord,
    name: &str,
    opts: &BaselineOptions,
) -> Result<&'r BaselineComparison> {
    let old = load(name)?;
    let comparison = compare::against_baseline(&old, report, name, opts);
    Ok(report.baseline.insert(comparison))
}

/// Loads the saved baseline `name`. Front ends call it before measuring
/// too, so a missing or unreadable baseline is reported at once rather
/// than after the whole run.
///
/// # Errors
/// [`Error::InvalidConfig`] for a bad name or no such baseline; the load
/// error for one that is unreadable or of another schema.
pub fn load(name: &str) -> Result<RunRecord> {
    let p = path(name)?;
    if !p.exists() {
        return Err(Error::InvalidConfig(format!(
            "no baseline named '{name}' ({} does not exist; save one with --save-baseline {name})",
            p.display()
        )));
    }
    Ok(RunRecord::load(&p)?)
}

/// Saves `report` as the baseline `name`, creating the directory.
///
/// # Errors
/// When the directory or file cannot be written.
pub fn save(report: &RunRecord, name: &str) -> Result<PathBuf> {
    let p = path(name)?;
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    }
    report.write_atomic(&p)?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_plain_file_names() {
        assert_eq!(path("main").unwrap(), PathBuf::from(".metron/baselines/main.json"));
        for bad in ["", ".", "..", "a/b", "a\\b", "/etc/passwd"] {
            assert!(path(bad).is_err(), "{bad:?}");
        }
        assert!(path(&"x".repeat(MAX_NAME_BYTES)).is_ok());
        assert!(path(&"x".repeat(MAX_NAME_BYTES + 1)).unwrap_err().to_string().contains("too long"));
    }
}

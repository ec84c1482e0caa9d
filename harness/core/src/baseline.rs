//! Saved baselines: `.metron/baselines/NAME.json` in the current directory,
//! written by `--save-baseline NAME` and compared against by `--baseline NAME`,
//! from the command line and from bench binaries alike.

use std::path::PathBuf;

use crate::compare::{self, BaselineOptions};
use crate::error::{Error, Result};
use crate::model::{BaselineComparison, RunReport};

/// Directory of saved baselines, relative to the current directory.
pub const BASELINE_DIR: &str = ".metron/baselines";

/// Where the baseline `name` is stored.
///
/// # Errors
/// [`Error::InvalidConfig`] for names that are empty or would escape the directory.
pub fn path(name: &str) -> Result<PathBuf> {
    let ok = !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != "..";
    if !ok {
        return Err(Error::InvalidConfig(format!("baseline name '{name}' must be a plain file name (no '/')")));
    }
    Ok(PathBuf::from(BASELINE_DIR).join(format!("{name}.json")))
}

/// Compares `report` with the saved baseline `name`, stores the comparison
/// in the report and returns it.
///
/// # Errors
/// When the baseline is missing, unreadable or of another schema.
pub fn compare_with<'r>(
    report: &'r mut RunReport,
    name: &str,
    opts: &BaselineOptions,
) -> Result<&'r BaselineComparison> {
    let p = path(name)?;
    if !p.exists() {
        return Err(Error::InvalidConfig(format!(
            "no baseline named '{name}' ({} does not exist; save one with --save-baseline {name})",
            p.display()
        )));
    }
    let old = RunReport::load(&p)?;
    let comparison = compare::against_baseline(&old, report, name, opts);
    Ok(report.baseline.insert(comparison))
}

/// Saves `report` as the baseline `name`, creating the directory.
///
/// # Errors
/// When the directory or file cannot be written.
pub fn save(report: &RunReport, name: &str) -> Result<PathBuf> {
    let p = path(name)?;
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    }
    report.write_atomic(&p)?;
    Ok(p)
}

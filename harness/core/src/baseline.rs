//! Saved baselines: `.metron/baselines/NAME.json` in the current directory,
//! written by `--save-baseline NAME` and compared against by `--baseline NAME`,
//! from the command line and from bench binaries alike.
//!
//! Earlier runs saved under the same name are kept beside it, in
//! `.metron/baselines/NAME.runs/1.json` (the one before), `2.json`, … up to
//! `--keep-runs` runs in all: how much a benchmark's median moves from one
//! run to the next is then measured, not assumed, and a comparison with
//! the baseline draws on it ([`crate::compare::change_with_history`]).
//! Each file is written atomically and older ones are moved before a new
//! one takes their place, so a killed save leaves every file valid.

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

/// Compares `report` with the saved baseline `name` (and the earlier runs
/// kept under that name), stores the comparison in the report and returns it.
///
/// # Errors
/// When the baseline is missing, unreadable or of another schema, or a
/// benchmark on either side has too few replicates to compare runs
/// ([`compare::check_comparable`]).
pub fn compare_with<'r>(
    report: &'r mut RunRecord,
    name: &str,
    opts: &BaselineOptions,
) -> Result<&'r BaselineComparison> {
    let old = load(name)?;
    compare::check_comparable(&old, report, opts.clock)?;
    let earlier = load_earlier(name);
    let comparison = compare::against_baseline_runs(&old, &earlier, report, name, opts);
    Ok(report.baseline.insert(comparison))
}

/// Where the earlier runs of the baseline `name` are kept.
fn runs_dir(name: &str) -> Result<PathBuf> {
    Ok(path(name)?.with_extension("runs"))
}

/// The earlier runs kept under the baseline `name`, newest first. Files
/// that cannot be read are skipped: they only refine the run-to-run spread.
pub fn load_earlier(name: &str) -> Vec<RunRecord> {
    let Ok(dir) = runs_dir(name) else { return Vec::new() };
    (1..)
        .map(|i| dir.join(format!("{i}.json")))
        .take_while(|p| p.exists())
        .filter_map(|p| RunRecord::load(&p).ok())
        .collect()
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

/// Saves `report` as the baseline `name`, creating the directory, and
/// keeps the run it replaces among the earlier runs, `keep` runs in all.
///
/// # Errors
/// When the directory or file cannot be written.
pub fn save(report: &RunRecord, name: &str, keep: usize) -> Result<PathBuf> {
    let p = path(name)?;
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    }
    if keep > 1 && p.exists() {
        rotate(&p, &runs_dir(name)?, keep - 1)?;
    }
    report.write_atomic(&p)?;
    Ok(p)
}

/// Moves `latest` to `dir/1.json`, after moving `i.json` to `(i+1).json`
/// and dropping what falls beyond `keep` files. Renames only, oldest
/// first, so every file is whole at every moment.
fn rotate(latest: &std::path::Path, dir: &std::path::Path, keep: usize) -> Result<()> {
    let io = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let at = |i: usize| dir.join(format!("{i}.json"));
    let mut last = (1..).take_while(|&i| at(i).exists()).last().unwrap_or(0);
    while last >= keep && last > 0 {
        std::fs::remove_file(at(last)).map_err(io(&at(last)))?;
        last -= 1;
    }
    for i in (1..=last).rev() {
        std::fs::rename(at(i), at(i + 1)).map_err(io(&at(i)))?;
    }
    std::fs::rename(latest, at(1)).map_err(io(latest))
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

    #[test]
    fn saving_keeps_the_last_runs_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let latest = dir.path().join("b.json");
        let runs = dir.path().join("b.runs");
        for i in 0..5 {
            if latest.exists() {
                rotate(&latest, &runs, 2).unwrap();
            }
            std::fs::write(&latest, format!("{i}")).unwrap();
        }
        let read = |p: std::path::PathBuf| std::fs::read_to_string(p).unwrap();
        assert_eq!(read(latest), "4");
        assert_eq!((read(runs.join("1.json")), read(runs.join("2.json"))), ("3".into(), "2".into()));
        assert!(!runs.join("3.json").exists());
    }
}

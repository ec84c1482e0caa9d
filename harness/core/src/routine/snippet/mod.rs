//! Snippet drivers: Python and Rust statements timed by a long-lived child
//! process through [`super::DriverRoutine`], the way `python -m timeit`
//! times a statement: setup once and untimed, then loops of the statement
//! timed by the child's own clocks.
//!
//! | language | module | the child |
//! |---|---|---|
//! | Python | [`python`] | `python3 -c <python_driver.py> SETUP STMT` |
//! | Rust | [`rust`] | a release program generated from the snippet, built by cargo and cached |
//!
//! Both speak the line protocol documented in [`super::driver`]; a new
//! language needs only a driver program that does the same.

pub mod python;
pub mod rust;

use std::path::PathBuf;

use crate::error::{Error, Result};

pub use python::PythonSnippet;
pub use rust::{Dependency, Network, RustProject, RustSnippet, RustSnippetRoutine};

/// Where metron keeps what it builds for snippets: `$METRON_CACHE_DIR`,
/// else `$XDG_CACHE_HOME/metron`, else `~/.cache/metron`.
///
/// # Errors
/// [`Error::InvalidConfig`] when none of these variables is set.
pub fn cache_dir() -> Result<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = var("METRON_CACHE_DIR") {
        return Ok(dir);
    }
    if let Some(dir) = var("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return Ok(dir.join("metron"));
    }
    var("HOME")
        .map(|home| home.join(".cache").join("metron"))
        .ok_or_else(|| Error::InvalidConfig("no cache directory: set METRON_CACHE_DIR or HOME".into()))
}

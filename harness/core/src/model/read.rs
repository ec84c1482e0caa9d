//! Reading and writing [`RunReport`] JSON, with the checks that turn a wrong
//! file into one clear sentence instead of a serde error dump or a panic.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{RunReport, SCHEMA_VERSION};

/// Why a JSON document could not be used as a metron report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The text is not complete JSON (e.g. a truncated file).
    #[error("{origin}: not valid JSON ({detail}); is the file truncated?")]
    InvalidJson {
        /// Where the text came from.
        origin: String,
        /// serde_json's description, with line and column.
        detail: String,
    },
    /// Valid JSON, but not something metron wrote.
    #[error("{origin}: not a metron report (no \"schema_version\" field)")]
    NotAReport {
        /// Where the text came from.
        origin: String,
    },
    /// Written by a metron with another schema version.
    #[error("{origin}: schema version {found} is {relation} this metron's ({SCHEMA_VERSION}); {advice}")]
    SchemaVersion {
        /// Where the text came from.
        origin: String,
        /// The version in the file.
        found: u64,
        /// "newer than" or "older than".
        relation: &'static str,
        /// What to do about it.
        advice: &'static str,
    },
    /// The right version, but a field is missing or has the wrong type.
    #[error("{origin}: malformed metron report ({detail})")]
    Malformed {
        /// Where the text came from.
        origin: String,
        /// serde_json's description.
        detail: String,
    },
}

impl RunReport {
    /// Parses a report, checking the schema version before the fields so a
    /// file from another metron gets a message about versions, not about a
    /// missing field. `origin` names the source in messages (a path, `-`).
    ///
    /// # Errors
    /// [`ModelError`] for invalid JSON, a non-report, another schema version or
    /// a malformed report.
    pub fn from_json(text: &str, origin: &str) -> Result<RunReport, ModelError> {
        let origin = origin.to_string();
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| ModelError::InvalidJson { origin: origin.clone(), detail: e.to_string() })?;
        let version = value
            .get("schema_version")
            .and_then(|v| v.as_u64())
            .ok_or_else(|| ModelError::NotAReport { origin: origin.clone() })?;
        if version != u64::from(SCHEMA_VERSION) {
            let newer = version > u64::from(SCHEMA_VERSION);
            return Err(ModelError::SchemaVersion {
                origin,
                found: version,
                relation: if newer { "newer than" } else { "older than" },
                advice: if newer { "upgrade metron to read it" } else { "re-run the benchmark with this metron" },
            });
        }
        serde_json::from_value(value).map_err(|e| ModelError::Malformed { origin, detail: e.to_string() })
    }

    /// Reads and parses a report file.
    ///
    /// # Errors
    /// [`ModelError::Io`] when the file cannot be read, else as [`RunReport::from_json`].
    pub fn load(path: &Path) -> Result<RunReport, ModelError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ModelError::Io { path: path.to_path_buf(), source })?;
        RunReport::from_json(&text, &path.display().to_string())
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).expect("RunReport serialises")
    }

    /// Writes the report to `path` atomically: a temporary file next to it is
    /// written, flushed and renamed, so a reader (or a crash, or Ctrl-C)
    /// never sees half a file.
    ///
    /// # Errors
    /// [`ModelError::Io`] when the directory is not writable.
    pub fn write_atomic(&self, path: &Path) -> Result<(), ModelError> {
        let io = |source| ModelError::Io { path: path.to_path_buf(), source };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let result = (|| {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(self.to_json().as_bytes())?;
            file.write_all(b"\n")?;
            file.sync_data()?;
            std::fs::rename(&tmp, path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result.map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Environment;

    fn report() -> RunReport {
        RunReport::new(vec!["metron".into()], Environment::default(), crate::RunConfig::default().settings())
    }

    #[test]
    fn round_trip() {
        let r = report();
        let back = RunReport::from_json(&r.to_json(), "mem").unwrap();
        assert_eq!(r, back);
    }

    #[test]
    fn truncated_json_is_one_clear_error() {
        let text = report().to_json();
        let err = RunReport::from_json(&text[..text.len() / 2], "r.json").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("r.json: not valid JSON"), "{msg}");
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn other_documents_and_versions() {
        let e = RunReport::from_json("{\"a\": 1}", "x.json").unwrap_err();
        assert_eq!(e.to_string(), "x.json: not a metron report (no \"schema_version\" field)");
        let e = RunReport::from_json("[1,2]", "x.json").unwrap_err();
        assert!(matches!(e, ModelError::NotAReport { .. }));
        let mut v: serde_json::Value = serde_json::from_str(&report().to_json()).unwrap();
        v["schema_version"] = serde_json::json!(99);
        let e = RunReport::from_json(&v.to_string(), "new.json").unwrap_err();
        assert!(e.to_string().contains("schema version 99 is newer than"), "{e}");
        v["schema_version"] = serde_json::json!(1);
        v.as_object_mut().unwrap().remove("settings");
        let e = RunReport::from_json(&v.to_string(), "m.json").unwrap_err();
        assert!(e.to_string().contains("malformed metron report"), "{e}");
    }

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        report().write_atomic(&path).unwrap();
        report().write_atomic(&path).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("r.json")]);
        assert!(RunReport::load(&path).is_ok());
        let bad = dir.path().join("missing-dir").join("r.json");
        assert!(matches!(report().write_atomic(&bad), Err(ModelError::Io { .. })));
    }
}

//! Reading and writing [`RunRecord`] JSON, with the checks that turn a wrong
//! file into one clear sentence instead of a serde error dump or a panic.

use std::path::{Path, PathBuf};

use super::{RunRecord, OLDEST_READABLE_SCHEMA, SCHEMA_VERSION};

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
    /// The text is not JSON, or not complete JSON (e.g. a truncated file).
    #[error("{origin}: not valid JSON ({detail}){hint}")]
    InvalidJson {
        /// Where the text came from.
        origin: String,
        /// serde_json's description, with line and column.
        detail: String,
        /// "; is the file truncated?" when the text ended too early.
        hint: &'static str,
    },
    /// Valid JSON, but not something metron wrote.
    #[error("{origin}: not a metron report ({why})")]
    NotAReport {
        /// Where the text came from.
        origin: String,
        /// What is wrong with its `schema_version`.
        why: String,
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
    /// A stored figure disagrees with the samples beside it, or a benchmark
    /// has none (see `model::recompute`): the file was edited or damaged.
    #[error("{origin}: figures that disagree with the samples ({detail})")]
    Disagrees {
        /// Where the text came from.
        origin: String,
        /// The benchmark or comparison, the field and what is wrong.
        detail: String,
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

/// The longest time a sample may hold: a year, as [`crate::options::MAX_DURATION`],
/// the longest budget any option accepts. A sample beyond it cannot have
/// been measured, only written by hand or by corruption.
pub const MAX_SAMPLE_NS: f64 = crate::options::MAX_DURATION.as_nanos() as f64;

impl RunRecord {
    /// Parses a report, checking the schema version before the fields so a
    /// file from another metron gets a message about versions, not about a
    /// missing field, then the samples, then recomputes every summary and
    /// comparison from them (the stored ones are a cache: see
    /// `model::recompute`). `origin` names the source in messages (a path, `-`).
    ///
    /// # Errors
    /// [`ModelError`] for invalid JSON, a non-report, another schema version or
    /// a malformed report.
    pub fn from_json(text: &str, origin: &str) -> Result<RunRecord, ModelError> {
        let origin = origin.to_string();
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ModelError::InvalidJson {
            origin: origin.clone(),
            detail: e.to_string(),
            hint: if e.is_eof() { "; is the file truncated?" } else { "" },
        })?;
        let version = match value.get("schema_version") {
            None => return Err(ModelError::NotAReport { origin, why: "no \"schema_version\" field".into() }),
            Some(v) => v.as_u64().ok_or_else(|| ModelError::NotAReport {
                origin: origin.clone(),
                why: format!("\"schema_version\" is {v}, not a version number"),
            })?,
        };
        if !(u64::from(OLDEST_READABLE_SCHEMA)..=u64::from(SCHEMA_VERSION)).contains(&version) {
            let newer = version > u64::from(SCHEMA_VERSION);
            return Err(ModelError::SchemaVersion {
                origin,
                found: version,
                relation: if newer { "newer than" } else { "older than" },
                advice: if newer { "upgrade metron to read it" } else { "re-run the benchmark with this metron" },
            });
        }
        let report: RunRecord = serde_json::from_value(value)
            .map_err(|e| ModelError::Malformed { origin: origin.clone(), detail: e.to_string() })?;
        let mut report = report;
        report.check_samples().map_err(|detail| ModelError::Malformed { origin: origin.clone(), detail })?;
        report.recompute().map_err(|detail| ModelError::Disagrees { origin, detail })?;
        Ok(report)
    }

    /// Every sample is something a measurement can produce: at least one
    /// iteration, a positive finite wall time, CPU times finite and not
    /// negative, and no time above [`MAX_SAMPLE_NS`]. A hand-edited or
    /// corrupted file must not reach a comparison (a zero median makes an
    /// infinite change that no gate would catch) or a chart (an axis up to
    /// 1e308 ns asks for billions of ticks).
    fn check_samples(&self) -> Result<(), String> {
        for b in &self.benchmarks {
            for (i, s) in b.samples.iter().enumerate() {
                let at = || format!("benchmark '{}', sample {}", b.id(), i + 1);
                if s.iterations == 0 {
                    return Err(format!("{}: 0 iterations", at()));
                }
                if !(s.wall_ns.is_finite() && s.wall_ns > 0.0) {
                    return Err(format!("{}: wall_ns {} is not a positive time", at(), s.wall_ns));
                }
                for (name, v) in [("cpu_ns", s.cpu_ns), ("user_ns", s.user_ns), ("sys_ns", s.sys_ns)] {
                    if let Some(v) = v.filter(|v| !(v.is_finite() && *v >= 0.0)) {
                        return Err(format!("{}: {name} {v} is not a time", at()));
                    }
                }
                let longest =
                    [Some(s.wall_ns), s.cpu_ns, s.user_ns, s.sys_ns].into_iter().flatten().fold(0.0, f64::max);
                if longest > MAX_SAMPLE_NS {
                    return Err(format!("{}: {longest:e} ns is longer than any sample can be (at most a year)", at()));
                }
            }
        }
        Ok(())
    }

    /// Reads and parses a report file.
    ///
    /// # Errors
    /// [`ModelError::Io`] when the file cannot be read, else as [`RunRecord::from_json`].
    pub fn load(path: &Path) -> Result<RunRecord, ModelError> {
        let text =
            crate::input::read_to_string(path).map_err(|source| ModelError::Io { path: path.to_path_buf(), source })?;
        RunRecord::from_json(&text, &path.display().to_string())
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).expect("RunRecord serialises")
    }

    /// Writes the report to `path` atomically (see [`crate::atomic`]): a
    /// reader, a crash or Ctrl-C never leaves half a file.
    ///
    /// # Errors
    /// [`ModelError::Io`] when the file or its directory is not writable.
    pub fn write_atomic(&self, path: &Path) -> Result<(), ModelError> {
        let mut text = self.to_json();
        text.push('\n');
        crate::atomic::write(path, text.as_bytes())
            .map_err(|source| ModelError::Io { path: path.to_path_buf(), source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Environment;

    fn report() -> RunRecord {
        RunRecord::new(vec!["metron".into()], Environment::default(), crate::RunConfig::default().settings())
    }

    #[test]
    fn round_trip() {
        let r = report();
        let back = RunRecord::from_json(&r.to_json(), "mem").unwrap();
        assert_eq!(r, back);
    }

    #[test]
    fn truncated_json_is_one_clear_error() {
        let text = report().to_json();
        let err = RunRecord::from_json(&text[..text.len() / 2], "r.json").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("r.json: not valid JSON"), "{msg}");
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn other_documents_and_versions() {
        let e = RunRecord::from_json("{\"a\": 1}", "x.json").unwrap_err();
        assert_eq!(e.to_string(), "x.json: not a metron report (no \"schema_version\" field)");
        let e = RunRecord::from_json("[1,2]", "x.json").unwrap_err();
        assert!(matches!(e, ModelError::NotAReport { .. }));
        let mut v: serde_json::Value = serde_json::from_str(&report().to_json()).unwrap();
        v["schema_version"] = serde_json::json!(99);
        let e = RunRecord::from_json(&v.to_string(), "new.json").unwrap_err();
        assert!(e.to_string().contains("schema version 99 is newer than"), "{e}");
        v["schema_version"] = serde_json::json!(1);
        v.as_object_mut().unwrap().remove("settings");
        let e = RunRecord::from_json(&v.to_string(), "m.json").unwrap_err();
        assert!(e.to_string().contains("malformed metron report"), "{e}");
    }

    #[test]
    fn only_a_cut_off_text_is_called_truncated() {
        let text = report().to_json();
        let cut = RunRecord::from_json(&text[..text.len() / 2], "r.json").unwrap_err().to_string();
        assert!(cut.ends_with("; is the file truncated?"), "{cut}");
        let prose = RunRecord::from_json("hello", "r.json").unwrap_err().to_string();
        assert!(prose.starts_with("r.json: not valid JSON (") && !prose.contains("truncated"), "{prose}");
        let e = RunRecord::from_json(r#"{"schema_version": "1"}"#, "s.json").unwrap_err();
        assert_eq!(e.to_string(), r#"s.json: not a metron report ("schema_version" is "1", not a version number)"#);
    }

    /// A report with one benchmark of two samples (5 and 6 ns).
    fn report_with_samples() -> RunRecord {
        use crate::analysis::{analyse, AnalysisContext, BenchmarkMeta};
        use crate::model::{ClockKind, RoutineKind, Sample, StopReason};
        let meta =
            BenchmarkMeta { name: "b".into(), group: None, parameters: Default::default(), command: None, setup: None };
        let sample = |wall_ns| Sample {
            iterations: 1,
            wall_ns,
            cpu_ns: Some(wall_ns),
            user_ns: None,
            sys_ns: None,
            max_rss_kib: None,
            round: None,
            replicate: None,
            at_ns: 0,
            counts: None,
        };
        let ctx = AnalysisContext {
            kind: RoutineKind::Closure,
            clock: ClockKind::Wall,
            stop_reason: StopReason::FixedRuns,
            warmup_iterations: 0,
            shell_overhead_ns: None,
            seed: 1,
            precision: None,
            earlier: None,
        };
        let mut r = report();
        r.benchmarks = vec![analyse(&meta, vec![sample(5.0), sample(6.0)], ctx).unwrap()];
        r
    }

    #[test]
    fn the_command_and_setup_survive_loading() {
        let mut r = report_with_samples();
        r.benchmarks[0].command = Some("sum(range(n))".into());
        r.benchmarks[0].setup = Some("n = 10000".into());
        let loaded = RunRecord::from_json(&r.to_json(), "r.json").unwrap();
        assert_eq!(loaded.benchmarks[0].command.as_deref(), Some("sum(range(n))"));
        assert_eq!(loaded.benchmarks[0].setup.as_deref(), Some("n = 10000"));
    }

    #[test]
    fn impossible_samples_are_refused() {
        let r = report_with_samples();
        assert!(RunRecord::from_json(&r.to_json(), "ok.json").is_ok());
        let mut v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        for (field, value, message) in [
            ("wall_ns", serde_json::json!(-5.0), "benchmark 'b', sample 2: wall_ns -5 is not a positive time"),
            ("wall_ns", serde_json::json!(0.0), "benchmark 'b', sample 2: wall_ns 0 is not a positive time"),
            (
                "wall_ns",
                serde_json::json!(1e308),
                "benchmark 'b', sample 2: 1e308 ns is longer than any sample can be (at most a year)",
            ),
            ("cpu_ns", serde_json::json!(-1.0), "benchmark 'b', sample 2: cpu_ns -1 is not a time"),
            ("iterations", serde_json::json!(0), "benchmark 'b', sample 2: 0 iterations"),
        ] {
            // Samples are columns: the second entry of each.
            let original = v["benchmarks"][0]["samples"][field][1].clone();
            v["benchmarks"][0]["samples"][field][1] = value;
            let e = RunRecord::from_json(&v.to_string(), "bad.json").unwrap_err().to_string();
            assert_eq!(e, format!("bad.json: malformed metron report ({message})"));
            v["benchmarks"][0]["samples"][field][1] = original;
        }
    }

    #[test]
    fn schema_one_files_with_samples_as_objects_still_load() {
        let mut v: serde_json::Value = serde_json::from_str(&report_with_samples().to_json()).unwrap();
        let columns = v["benchmarks"][0]["samples"].clone();
        let rows: Vec<serde_json::Value> = (0..2)
            .map(|i| {
                serde_json::json!({
                    "iterations": columns["iterations"][i], "wall_ns": columns["wall_ns"][i], "at_ns": columns["at_ns"][i]
                })
            })
            .collect();
        v["benchmarks"][0]["samples"] = serde_json::Value::Array(rows);
        v["schema_version"] = serde_json::json!(1);
        let r = RunRecord::from_json(&v.to_string(), "old.json").unwrap();
        assert_eq!(r.benchmarks[0].samples.len(), 2);
        assert_eq!(r.benchmarks[0].samples[1].wall_ns, 6.0);
        // Columns of unequal length are a malformed file, not a panic.
        let mut v: serde_json::Value = serde_json::from_str(&report_with_samples().to_json()).unwrap();
        v["benchmarks"][0]["samples"]["wall_ns"] = serde_json::json!([1.0]);
        let e = RunRecord::from_json(&v.to_string(), "bad.json").unwrap_err().to_string();
        assert!(e.starts_with("bad.json: malformed metron report ("), "{e}");
    }

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        report().write_atomic(&path).unwrap();
        report().write_atomic(&path).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("r.json")]);
        assert!(RunRecord::load(&path).is_ok());
        let bad = dir.path().join("missing-dir").join("r.json");
        assert!(matches!(report().write_atomic(&bad), Err(ModelError::Io { .. })));
    }
}

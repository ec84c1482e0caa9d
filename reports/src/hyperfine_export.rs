//! hyperfine-schema JSON (`--export-hyperfine`): the run in the layout of
//! hyperfine's `--export-json`, so that scripts and tools written for
//! hyperfine's files read metron's. The schema and the mapping of a
//! metron benchmark onto it are defined once, in
//! [`metron::import::hyperfine`], which also reads such files back.

use metron::import::hyperfine::{ExitCodes, HyperfineExport, HyperfineResult};
use metron::RunRecord;

use crate::export::Exporter;
use crate::ReportError;

/// The hyperfine JSON format. Several runs become one list of results.
#[derive(Debug, Clone, Copy, Default)]
pub struct HyperfineJson;

impl Exporter for HyperfineJson {
    fn extension(&self) -> &'static str {
        "json"
    }

    fn render(&self, reports: &[RunRecord]) -> Result<String, ReportError> {
        if reports.is_empty() {
            return Err(ReportError::Empty);
        }
        let results = reports
            .iter()
            .flat_map(|r| r.benchmarks.iter().map(move |b| HyperfineResult::from_result(b, exit_codes(r))))
            .collect();
        // Plain data with string keys always serialises.
        let text = serde_json::to_string_pretty(&HyperfineExport { results }).unwrap_or_default();
        Ok(format!("{text}\n"))
    }

    /// Every run's time is in it, as in metron's own JSON.
    fn kept_current(&self) -> bool {
        true
    }
}

/// Whether the run's kept samples all exited with 0: they did unless
/// failures were timed too (`-i`/`--ignore-failure` on its command line),
/// since a failing run otherwise stops its benchmark.
fn exit_codes(run: &RunRecord) -> ExitCodes {
    let options = run.command_line.iter().skip(1).take_while(|a| *a != "--");
    let ignored =
        |a: &String| a == "--ignore-failure" || (a.starts_with('-') && !a.starts_with("--") && a.contains('i'));
    if options.clone().any(ignored) {
        ExitCodes::Unknown
    } else {
        ExitCodes::AllZero
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn the_schema_hyperfine_writes_with_metrons_figures() {
        let record = fixtures::fixed_report();
        let text = HyperfineJson.render(std::slice::from_ref(&record)).unwrap();
        let back: HyperfineExport = serde_json::from_str(&text).unwrap();
        assert_eq!(back.results.len(), record.benchmarks.len());
        for (h, b) in back.results.iter().zip(&record.benchmarks) {
            assert_eq!(h.command, b.id());
            assert_eq!(h.median, b.wall.median / 1e9);
            assert_eq!(h.times.as_ref().map(Vec::len), Some(b.samples.len()));
            assert_eq!(h.exit_codes, vec![Some(0); b.samples.len()]);
        }
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        for key in ["command", "mean", "stddev", "median", "user", "system", "min", "max", "times", "exit_codes"] {
            assert!(value["results"][0].get(key).is_some(), "{key} missing");
        }
    }

    #[test]
    fn ignored_failures_leave_exit_codes_unknown() {
        let mut record = fixtures::fixed_report();
        record.command_line = ["metron", "-Ni", "false"].map(String::from).to_vec();
        assert_eq!(exit_codes(&record), ExitCodes::Unknown);
        record.command_line = ["metron", "-N", "--", "grep -i x"].map(String::from).to_vec();
        assert_eq!(exit_codes(&record), ExitCodes::AllZero);
    }
}

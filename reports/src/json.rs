//! JSON export: the run's own JSON ([`RunRecord::to_json`]), every sample
//! included, the file `metron report` and `--baseline` read back. The one
//! format kept up to date during a run: rewritten after each benchmark.

use metron::RunRecord;

use crate::export::Exporter;
use crate::ReportError;

/// The JSON format. Several runs become a JSON array of runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl Exporter for Json {
    fn extension(&self) -> &'static str {
        "json"
    }

    fn render(&self, reports: &[RunRecord]) -> Result<String, ReportError> {
        match reports {
            [] => Err(ReportError::Empty),
            [one] => Ok(format!("{}\n", one.to_json())),
            many => Ok(format!("[\n{}\n]\n", many.iter().map(RunRecord::to_json).collect::<Vec<_>>().join(",\n"))),
        }
    }

    fn kept_current(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn one_run_is_its_own_json_and_reads_back() {
        let record = fixtures::loadable_report();
        let text = Json.render(std::slice::from_ref(&record)).unwrap();
        assert_eq!(RunRecord::from_json(&text, "test").unwrap(), record);
        let two = Json.render(&[record.clone(), record]).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&two).unwrap();
        assert_eq!(parsed.as_array().map(Vec::len), Some(2));
        assert!(matches!(Json.render(&[]), Err(ReportError::Empty)));
    }

    #[test]
    fn the_label_is_optional_and_round_trips() {
        let mut record = fixtures::loadable_report();
        let text = Json.render(std::slice::from_ref(&record)).unwrap();
        assert!(!text.contains("\"label\""), "no label, no field");
        assert_eq!(RunRecord::from_json(&text, "old file").unwrap().label, None, "files without it still load");
        record.label = Some("before the fix".into());
        let text = Json.render(std::slice::from_ref(&record)).unwrap();
        assert_eq!(RunRecord::from_json(&text, "new file").unwrap().label.as_deref(), Some("before the fix"));
    }
}

//! The suite's section of a [`RunRecord`]: `extensions["suite"]`, holding the
//! derived figures, the conclusions and the tables the HTML report shows.
//!
//! metron-report shows any extension's `conclusions` (an array of strings)
//! and `tables` (an array of `{title, columns, rows}` of strings) without
//! knowing about suites; the `figures` are there for scripts and for
//! re-reading a run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use metron::RunRecord;

use crate::available::Available;
use crate::conclusions::conclusions;
use crate::figures::{derive_with, Derived, Level, Limits, SpawnCost, VariantFigures, WorkloadFigures};
use crate::recommendation::recommendations;
use crate::user::UserProbe;
use metron::format::{factor, factor_ci, percent};
use metron::Nanos;

/// The key of the suite's section in [`RunRecord::extensions`].
pub const KEY: &str = "suite";

/// A table for the report: a title, column headings and rows of text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Shown above the table.
    pub title: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows, each as many cells as there are columns.
    pub rows: Vec<Vec<String>>,
}

/// Everything the suite adds to a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuiteSection {
    /// Which suite ran (`concurrency`).
    pub suite: String,
    /// What each workload group computed, e.g. `cpu/rust` → `8 tasks × (…)`.
    pub workloads: BTreeMap<String, String>,
    /// What the probe found about the user's Python workload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserProbe>,
    /// The derived figures.
    pub figures: Derived,
    /// The short verdict: one paragraph per workload (the report shows it first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verdict: Vec<String>,
    /// What the figures say, one finding per line.
    pub conclusions: Vec<String>,
    /// The figures as tables for people.
    pub tables: Vec<Table>,
}

/// What the section is derived from besides the run's results.
#[derive(Debug, Clone, Default)]
pub struct SectionInput {
    /// Which suite ran.
    pub suite: String,
    /// Tasks per workload.
    pub tasks: usize,
    /// Group → what it computed.
    pub workloads: BTreeMap<String, String>,
    /// Group → the parallelism available while it ran.
    pub available: BTreeMap<String, Available>,
    /// The user's Python workload, probed.
    pub user: Option<UserProbe>,
}

impl SuiteSection {
    /// Derives the section of `report` from its results and `input`.
    pub fn of(report: &RunRecord, input: SectionInput) -> SuiteSection {
        let cores = report.environment.logical_cores.max(1);
        let limits = Limits { tasks: input.tasks, cores };
        let figures = derive_with(&report.benchmarks, &report.failures, limits, &input.available);
        let conclusions = conclusions(&figures);
        let pickling = input.user.as_ref().and_then(|u| u.pickle.as_ref());
        let verdict = recommendations(&figures, pickling);
        let mut tables = vec![speedup_table(&figures)];
        if !figures.spawn.is_empty() {
            tables.push(spawn_table(&figures.spawn));
        }
        if !input.available.is_empty() {
            tables.push(available_table(&input.available));
        }
        SuiteSection {
            suite: input.suite,
            workloads: input.workloads,
            user: input.user,
            figures,
            verdict,
            conclusions,
            tables,
        }
    }

    /// Puts the section into `report.extensions` under [`KEY`].
    pub fn attach(&self, report: &mut RunRecord) {
        // Serialising plain data with string keys cannot fail.
        let value = serde_json::to_value(self).expect("the suite section serialises");
        report.extensions.insert(KEY.to_string(), value);
    }
}

fn speedup_table(figures: &Derived) -> Table {
    let columns = ["Workload", "Variant", "Median", "Speedup", "Efficiency", "Serial fraction", "CPU/wall"];
    let rows = figures.workloads.iter().flat_map(workload_rows).collect();
    Table {
        title: format!(
            "Speedup over sequential on {} cores (efficiency = speedup / min(workers, tasks); serial fraction after Karp–Flatt)",
            figures.cores
        ),
        columns: columns.map(String::from).to_vec(),
        rows,
    }
}

fn workload_rows(w: &WorkloadFigures) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    if let Some(seq) = &w.sequential {
        rows.push(vec![
            w.group.clone(),
            "sequential".into(),
            median(seq),
            "1 (reference)".into(),
            "—".into(),
            "—".into(),
            utilisation(seq),
        ]);
    }
    rows.extend(w.variants.iter().map(|v| variant_row(&w.group, v)));
    rows.extend(w.failed.iter().map(|f| {
        let name = f.id.strip_prefix(&format!("{}/", w.group)).unwrap_or(&f.id).to_string();
        vec![w.group.clone(), name, "FAILED".into(), f.reason.clone(), "—".into(), "—".into(), "—".into()]
    }));
    rows
}

fn variant_row(group: &str, v: &VariantFigures) -> Vec<String> {
    let speedup = v
        .speedup
        .as_ref()
        .map_or_else(|| "—".to_string(), |s| format!("{} ({})", factor(s.value, s.ci), factor_ci(s.value, s.ci)));
    vec![
        group.to_string(),
        v.label(),
        median(&v.level),
        speedup,
        v.efficiency.map_or_else(|| "—".into(), percent),
        v.serial_fraction.map_or_else(|| "—".into(), |f| format!("{f:.2}")),
        utilisation(&v.level),
    ]
}

fn available_table(readings: &BTreeMap<String, Available>) -> Table {
    let rows = readings
        .iter()
        .map(|(group, a)| {
            vec![
                group.clone(),
                a.allowed.to_string(),
                a.quota.map_or_else(|| "—".into(), |q| format!("{q:.2}")),
                format!("{:.2}", a.measured),
                a.steal.map_or_else(|| "—".into(), percent),
            ]
        })
        .collect();
    Table {
        title: "Parallelism available during each group (lower of the busy-loop calibrations before and after it)"
            .into(),
        columns: ["Group", "Cores allowed", "cgroup quota", "Cores measured", "Steal"].map(String::from).to_vec(),
        rows,
    }
}

fn spawn_table(spawn: &[SpawnCost]) -> Table {
    let rows = spawn
        .iter()
        .map(|s| {
            let ratio = s.ratio.as_ref().map_or_else(
                || "—".to_string(),
                |r| format!("{} ({})", factor(r.value, r.ci), factor_ci(r.value, r.ci)),
            );
            vec![s.lang.clone(), median(&s.thread), median(&s.process), ratio]
        })
        .collect();
    Table {
        title: "Cost of starting one thread vs one process (start, empty task, answer, join or wait)".into(),
        columns: ["Language", "Thread", "Process", "Thread cheaper by"].map(String::from).to_vec(),
        rows,
    }
}

/// `12.3 ms (95% CI 12.1–12.5 ms)` in one unit.
fn median(l: &Level) -> String {
    format!("{} ({}–{})", Nanos(l.median_ns), Nanos(l.median_ci.lo), Nanos(l.median_ci.hi))
}

fn utilisation(l: &Level) -> String {
    l.utilisation.map_or_else(|| "—".into(), |u| format!("{u:.2}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::run;

    #[test]
    fn the_section_lands_in_extensions_with_conclusions_and_tables() {
        let (benchmarks, failures) = run();
        let mut report =
            RunRecord::new(vec![], metron::environment::collect(), metron::RunConfig::default().settings());
        report.benchmarks = benchmarks;
        report.failures = failures;
        let workloads = BTreeMap::from([("cpu/rust".to_string(), "8 tasks × (1,000 hash steps)".to_string())]);
        let input = SectionInput { suite: "concurrency".into(), tasks: 8, workloads, ..SectionInput::default() };
        let section = SuiteSection::of(&report, input);
        section.attach(&mut report);
        let value = &report.extensions[KEY];
        assert_eq!(value["suite"], "concurrency");
        assert_eq!(value["conclusions"].as_array().unwrap().len(), section.conclusions.len());
        let tables = value["tables"].as_array().unwrap();
        assert_eq!(tables.len(), 2);
        let rows = tables[0]["rows"].as_array().unwrap();
        // cpu: sequential, 2 variants, 1 failure; io: sequential, 2 variants.
        assert_eq!(rows.len(), 7);
        assert!(rows.iter().all(|r| r.as_array().unwrap().len() == 7));
        assert_eq!(rows[3][2], "FAILED");
        let back: SuiteSection = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(back, section);
    }
}

//! The end of a run, decided in one place for every front end: the paired
//! comparisons, the comparison with `--baseline` and its regression gate,
//! `--save-baseline`, what is said about them, and the exit status. The
//! `metron` command and a `metron::main!` bench binary both measure, then
//! call [`conclude`] and [`Conclusion::print`], and exit with
//! [`Conclusion::status`]; neither decides any of it itself.
//!
//! ```
//! use metron::conclusion::{conclude, ExitStatus, PairedScope};
//! use metron::options::ComparisonOptions;
//! # let environment = metron::environment::collect();
//! # let settings = metron::RunConfig::default().settings();
//! let mut record = metron::RunRecord::new(vec!["metron".into()], environment, settings);
//! let end = conclude(&mut record, &ComparisonOptions::default(), PairedScope::WholeRun);
//! // Nothing was measured: a script must not take that for success.
//! assert_eq!(end.status, ExitStatus::Failed);
//! ```

use std::io::Write;
use std::path::PathBuf;

use crate::baseline;
use crate::compare::{self, BaselineOptions};
use crate::error::Error;
use crate::model::RunRecord;
use crate::options::ComparisonOptions;
use crate::terminal::{self, Colour};

/// How a run ends, as the process exit status scripts rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything asked for was measured, and no gate tripped: 0.
    Success,
    /// A benchmark failed, nothing was measured, a baseline could not be
    /// compared or saved, or the regression gate tripped: 1.
    Failed,
    /// Interrupted (Ctrl-C, SIGTERM); what was measured is kept: 130.
    Interrupted,
}

impl ExitStatus {
    /// This status, or [`ExitStatus::Failed`] when it was a success: for
    /// what a front end finds wrong after concluding (an export that fails).
    pub fn or_failed(self) -> ExitStatus {
        match self {
            ExitStatus::Success => ExitStatus::Failed,
            other => other,
        }
    }

    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failed => 1,
            ExitStatus::Interrupted => 130,
        }
    }
}

/// Which benchmarks the paired comparisons are between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairedScope {
    /// All the run's benchmarks were measured together: compare them now,
    /// with the fastest or `--reference`.
    WholeRun,
    /// Each group was compared as it finished (a bench binary's groups):
    /// the record already holds those comparisons.
    AlreadyCompared,
}

/// What [`conclude`] found, for the front end to show and exit with.
#[derive(Debug)]
pub struct Conclusion {
    /// Whether the paired comparisons were made here (and are to be shown).
    pub scope: PairedScope,
    /// Notices for stderr: a reference that was not measured, a saved baseline.
    pub notes: Vec<String>,
    /// The baseline could not be compared, or the run could not be saved as
    /// one; the flag it concerns and why.
    pub errors: Vec<(&'static str, Error)>,
    /// Why the `--fail-on-regression` gate failed ([`compare::gate_reasons`]):
    /// regressions beyond the threshold, benchmarks not compared.
    pub gate_failures: Vec<String>,
    /// The exit status.
    pub status: ExitStatus,
}

/// Ends a run: compares, gates, saves, and decides the exit status. The
/// record gains its comparisons; nothing is printed (see [`Conclusion::print`]).
///
/// Compare the flags with [`ComparisonOptions::check`] before measuring:
/// what can still fail here is what changed during the run (a baseline
/// deleted, a disk filled).
pub fn conclude(record: &mut RunRecord, options: &ComparisonOptions, scope: PairedScope) -> Conclusion {
    let mut end = Conclusion {
        scope,
        notes: Vec::new(),
        errors: Vec::new(),
        gate_failures: Vec::new(),
        status: ExitStatus::Success,
    };
    let clock = record.settings.clock;
    if scope == PairedScope::WholeRun {
        if let Some(name) = &options.reference {
            // The name was checked before measuring, so the reference failed
            // or was interrupted: its failure is reported and sets the status.
            if compare::reference_index(&record.benchmarks, Some(name)).is_none() {
                end.notes.push(format!("--reference '{name}' was not measured: no comparisons"));
            }
        }
        record.comparisons = compare::paired_all(&record.benchmarks, options.reference.as_deref(), clock);
    }
    if let Some(name) = &options.baseline {
        let opts = BaselineOptions {
            clock,
            noise: options.noise_for(clock),
            seed: record.settings.seed,
            ..BaselineOptions::default()
        };
        let comparable = baseline::load(name).and_then(|old| crate::counter::check_comparable(&old, record));
        match comparable.and_then(|()| baseline::compare_with(record, name, &opts)) {
            Ok(c) => {
                if let Some(threshold) = options.fail_on_regression {
                    end.gate_failures = compare::gate_reasons(c, threshold);
                }
            }
            Err(e) => end.errors.push(("--baseline", e)),
        }
    }
    if let Some(name) = &options.save_baseline {
        match baseline::save(record, name, options.keep_runs) {
            Ok(path) => end.notes.push(saved_note(name, &path)),
            Err(e) => end.errors.push(("--save-baseline", e)),
        }
    }
    end.status = status(record, &end);
    end
}

fn saved_note(name: &str, path: &std::path::Path) -> String {
    format!("saved baseline '{name}' to {}", PathBuf::from(path).display())
}

/// Interrupted first (the user asked to stop: 130 even if something
/// failed), then anything that went wrong or was not measured.
fn status(record: &RunRecord, end: &Conclusion) -> ExitStatus {
    if record.interrupted {
        ExitStatus::Interrupted
    } else if !end.gate_failures.is_empty()
        || !end.errors.is_empty()
        || !record.failures.is_empty()
        || record.benchmarks.is_empty()
    {
        ExitStatus::Failed
    } else {
        ExitStatus::Success
    }
}

impl Conclusion {
    /// Shows the conclusion: the verdicts (when made here) and the table of
    /// changes on `results`, notices and errors on `messages` (stderr).
    ///
    /// # Errors
    /// A write that fails (a closed pipe, a full disk).
    pub fn print(
        &self,
        record: &RunRecord,
        colour: Colour,
        results: &mut dyn Write,
        messages: &mut dyn Write,
    ) -> std::io::Result<()> {
        if self.scope == PairedScope::WholeRun {
            for c in &record.comparisons {
                writeln!(results, "{}", terminal::verdict_line(c, colour))?;
            }
        }
        if let Some(b) = &record.baseline {
            writeln!(results, "\n{}", terminal::change_table(b, colour))?;
        }
        for c in &record.comparisons {
            if let Some(rho) = c.lag1_autocorrelation.filter(|r| *r >= crate::stats::serial::WARN_RHO) {
                let line = format!(
                    "rounds of '{}' and '{}' moved together (lag-1 autocorrelation {rho:.2}): \
                     they carry less evidence than their number, and the interval was widened for it",
                    c.reference, c.candidate
                );
                writeln!(messages, "{} {}", colour.paint("1;33", "Warning:"), terminal::printable(&line))?;
            }
        }
        for warning in record.noise.iter().flat_map(|n| &n.warnings) {
            writeln!(messages, "{} {}", colour.paint("1;33", "Warning:"), terminal::printable(warning))?;
        }
        for note in &self.notes {
            writeln!(messages, "{}", terminal::printable(note))?;
        }
        for reason in &self.gate_failures {
            writeln!(messages, "regression gate failed: {}", terminal::printable(reason))?;
        }
        for (flag, e) in &self.errors {
            writeln!(messages, "{} {flag}: {e}", colour.paint("1;31", "Error:"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Failure;

    fn record() -> RunRecord {
        RunRecord::new(vec![], crate::environment::collect(), crate::RunConfig::default().settings())
    }

    #[test]
    fn status_follows_the_run() {
        let mut r = record();
        assert_eq!(conclude(&mut r, &ComparisonOptions::default(), PairedScope::WholeRun).status, ExitStatus::Failed);
        r.failures.push(Failure { name: "a".into(), host: None, reason: "boom".into() });
        r.interrupted = true;
        let end = conclude(&mut r, &ComparisonOptions::default(), PairedScope::AlreadyCompared);
        assert_eq!(end.status, ExitStatus::Interrupted);
        assert_eq!(end.status.code(), 130);
    }

    #[test]
    fn a_missing_baseline_is_an_error_of_the_flag() {
        let mut r = record();
        let options = ComparisonOptions { baseline: Some("no such baseline, surely".into()), ..Default::default() };
        let end = conclude(&mut r, &options, PairedScope::WholeRun);
        assert_eq!(end.errors.len(), 1);
        assert_eq!(end.errors[0].0, "--baseline");
        let mut out = Vec::new();
        let mut err = Vec::new();
        end.print(&r, Colour::Never, &mut out, &mut err).unwrap();
        assert!(String::from_utf8(err).unwrap().starts_with("Error: --baseline: "));
    }
}

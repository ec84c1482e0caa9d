//! Words shared by every format, so that the HTML page, the Markdown table
//! and the CSV say the same thing the same way: verdicts, parameter lists,
//! the command line, run labels, and how a benchmark relates to the run's
//! comparisons. Figures (ratios, percentages, p-values) are
//! [`metron::format`]'s.

use std::collections::BTreeMap;

use metron::model::{
    BaselineComparison, Change, ChangeVerdict, PairedComparison, PairedVerdict, RoutineKind, StopReason,
};
use metron::RunRecord;

/// How one benchmark takes part in the run's paired comparisons.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Relation<'a> {
    /// Other benchmarks were compared against this one.
    Reference,
    /// This benchmark was compared against a reference.
    Candidate(&'a PairedComparison),
    /// Not compared.
    Unrelated,
}

/// How benchmark `id` relates to the comparisons of `report` (its first
/// comparison as a candidate wins over being a reference).
pub(crate) fn relation<'a>(report: &'a RunRecord, id: &str) -> Relation<'a> {
    if let Some(c) = report.comparisons.iter().find(|c| c.candidate == id) {
        Relation::Candidate(c)
    } else if report.comparisons.iter().any(|c| c.reference == id) {
        Relation::Reference
    } else {
        Relation::Unrelated
    }
}

/// The change of benchmark `id` against the run's baseline, if there is one.
pub(crate) fn change_for<'a>(baseline: Option<&'a BaselineComparison>, id: &str) -> Option<&'a Change> {
    baseline?.changes.iter().find(|c| c.id == id)
}

/// `faster`, `slower` or `no difference`.
pub(crate) fn paired_verdict(v: PairedVerdict) -> &'static str {
    match v {
        PairedVerdict::Faster => "faster",
        PairedVerdict::Slower => "slower",
        PairedVerdict::NoDifference => "no difference",
    }
}

/// `improved`, `regressed` or `unchanged`.
pub(crate) fn change_verdict(v: ChangeVerdict) -> &'static str {
    match v {
        ChangeVerdict::Improved => "improved",
        ChangeVerdict::Regressed => "regressed",
        ChangeVerdict::Unchanged => "unchanged",
    }
}

/// The JSON spelling of a stop reason (`precision`, `time-budget`…).
pub(crate) fn stop_reason(r: StopReason) -> &'static str {
    match r {
        StopReason::Precision => "precision",
        StopReason::TimeBudget => "time-budget",
        StopReason::MaxSamples => "max-samples",
        StopReason::FixedRuns => "fixed-runs",
        StopReason::Interrupted => "interrupted",
    }
}

/// `closure`, `command` or `snippet`.
pub(crate) fn routine_kind(k: RoutineKind) -> &'static str {
    match k {
        RoutineKind::Closure => "closure",
        RoutineKind::Command => "command",
        RoutineKind::Snippet => "snippet",
    }
}

/// The p-value a paired comparison's verdict rests on: adjusted when the
/// run adjusted it.
pub(crate) fn paired_p(c: &PairedComparison) -> f64 {
    c.p_adjusted.unwrap_or(c.p_value)
}

/// Parameters as `k=v;k=v` (the CSV spelling).
pub(crate) fn parameters_compact(parameters: &BTreeMap<String, String>) -> String {
    join_parameters(parameters, ";")
}

/// Parameters as `k=v, k=v` (the spelling people read).
pub(crate) fn parameters_readable(parameters: &BTreeMap<String, String>) -> String {
    join_parameters(parameters, ", ")
}

fn join_parameters(parameters: &BTreeMap<String, String>, separator: &str) -> String {
    parameters.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(separator)
}

/// The command line as a person would type it: words joined by spaces,
/// quoted for a POSIX shell where they need it.
pub(crate) fn command_line(args: &[String]) -> String {
    args.iter().map(|a| shell_quote(a)).collect::<Vec<_>>().join(" ")
}

/// `word` quoted for a POSIX shell where it needs it; a word `shlex`
/// refuses (one with a NUL byte, which no shell can pass) is shown as it is.
fn shell_quote(word: &str) -> String {
    shlex::try_quote(word).map_or_else(|_| word.to_string(), |q| q.into_owned())
}

/// An RFC 3339 time shortened for a chart label: `2024-05-01 12:34`.
pub(crate) fn short_time(rfc3339: &str) -> String {
    let t = rfc3339.replacen('T', " ", 1);
    let short: String = t.chars().take(16).collect();
    if short.is_empty() {
        "?".to_string()
    } else {
        short
    }
}

/// Cuts `s` to at most `max` characters, marking the cut with `…`.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_are_quoted_like_a_shell() {
        let args: Vec<String> = ["metron", "-P", "t", "1", "5", "sleep 0.{t}", "it's"].map(String::from).to_vec();
        assert_eq!(command_line(&args), r#"metron -P t 1 5 'sleep 0.{t}' "it's""#);
        assert_eq!(command_line(&[String::new()]), "''");
    }

    #[test]
    fn numbers_and_words() {
        assert_eq!(short_time("2024-05-01T12:34:56Z"), "2024-05-01 12:34");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        let mut p = BTreeMap::new();
        p.insert("b".to_string(), "2".to_string());
        p.insert("a".to_string(), "x".to_string());
        assert_eq!(parameters_compact(&p), "a=x;b=2");
        assert_eq!(parameters_readable(&p), "a=x, b=2");
    }
}

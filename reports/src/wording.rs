//! Words shared by every format, so that the HTML page, the Markdown table
//! and the CSV say the same thing the same way: verdicts, parameter lists,
//! the command line, run labels, and how a benchmark relates to the run's
//! comparisons. Figures (ratios, percentages, p-values) are
//! [`metron::format`]'s.

use std::collections::BTreeMap;

use metron::model::{
    BaselineComparison, Change, ChangeVerdict, Environment, PairedComparison, PairedVerdict, RoutineKind, StopReason,
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

/// The one rule a paired verdict follows, said beside it so that a verdict
/// never seems to contradict the figures next to it: `faster: p < 0.01
/// (BH-adjusted) and the whole 95% CI of the ratio below 1 − 0.3%`.
pub(crate) fn paired_rule(c: &PairedComparison) -> String {
    let alpha = metron::compare::PAIRED_ALPHA;
    let adjusted = if c.p_adjusted.is_some() { " (BH-adjusted)" } else { "" };
    let p = paired_p(c);
    let floor = noise_floor(c.noise);
    match c.verdict {
        PairedVerdict::Faster => {
            format!("faster: p < {alpha}{adjusted} and the whole 95% CI of the ratio below {}", floor.below)
        }
        PairedVerdict::Slower => {
            format!("slower: p < {alpha}{adjusted} and the whole 95% CI of the ratio above {}", floor.above)
        }
        PairedVerdict::NoDifference if p >= alpha => {
            format!("no difference: {}{adjusted} is not below {alpha}", metron::format::p_text(p))
        }
        PairedVerdict::NoDifference => {
            format!("no difference: p < {alpha}{adjusted}, but the 95% CI of the ratio reaches into {}", floor.band)
        }
    }
}

/// The one rule a change against a baseline follows: `regressed: both tests
/// p < 0.05 (BH-adjusted) and the whole 95% CI of the change above +2%`.
pub(crate) fn change_rule(c: &Change, b: &BaselineComparison) -> String {
    let alpha = b.alpha;
    let adjusted = if b.multiple_comparisons == "none" { "" } else { " (BH-adjusted)" };
    let noise = metron::format::format_g(b.noise * 100.0, 3);
    match c.verdict {
        ChangeVerdict::Improved => {
            format!("improved: both tests p < {alpha}{adjusted} and the whole 95% CI of the change below −{noise}%")
        }
        ChangeVerdict::Regressed => {
            format!("regressed: both tests p < {alpha}{adjusted} and the whole 95% CI of the change above +{noise}%")
        }
        ChangeVerdict::Unchanged if c.p_adjusted >= alpha => format!(
            "unchanged: the larger p of both tests, {}{adjusted}, is not below {alpha}",
            metron::format::p_text(c.p_adjusted)
        ),
        ChangeVerdict::Unchanged => {
            format!("unchanged: p < {alpha}{adjusted}, but the 95% CI of the change reaches into ±{noise}%")
        }
    }
}

/// How a noise floor reads in a rule.
struct Floor {
    below: String,
    above: String,
    band: String,
}

fn noise_floor(noise: f64) -> Floor {
    if noise > 0.0 {
        let pct = metron::format::format_g(noise * 100.0, 3);
        Floor { below: format!("1 − {pct}%"), above: format!("1 + {pct}%"), band: format!("1 ± {pct}%") }
    } else {
        // Files written before the noise floor existed.
        Floor { below: "1".into(), above: "1".into(), band: "1".into() }
    }
}

/// What a paired comparison's ratio is, for its label: the statistic
/// depends on whether the samples were paired by round.
pub(crate) fn ratio_kind(c: &PairedComparison) -> &'static str {
    if c.test == metron::compare::WELCH_TEST {
        "ratio of geometric means (unpaired samples)"
    } else {
        "20%-trimmed geometric mean of per-round ratios"
    }
}

/// The candidate's median divided by the reference's, on the comparison's
/// clock, from the run's own results: the figure a reader would compute
/// from the summary table, shown beside the ratio the verdict rests on.
pub(crate) fn median_ratio(report: &RunRecord, c: &PairedComparison) -> Option<f64> {
    let median = |id: &str| {
        let b = report.benchmark(id)?;
        b.summary(c.clock).map(|s| s.median)
    };
    let (reference, candidate) = (median(&c.reference)?, median(&c.candidate)?);
    (reference > 0.0).then(|| candidate / reference)
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

/// The commit a run measured, short (`beca3dd`), with `+` when the tree
/// had uncommitted changes.
pub(crate) fn short_commit(e: &Environment) -> Option<String> {
    let commit: String = e.git_commit.as_deref()?.chars().take(7).collect();
    Some(if e.git_dirty == Some(true) { format!("{commit}+") } else { commit })
}

/// How a run is named in headings: its label, its commit and when and
/// where it ran (`before the fix · beca3dd+ · 2024-05-01T12:00:00Z on
/// bench-1`), so two runs are told apart by what they measured.
pub(crate) fn run_name(r: &RunRecord) -> String {
    let e = &r.environment;
    let mut parts: Vec<String> = r.label.iter().cloned().collect();
    parts.extend(short_commit(e));
    parts.push(format!("{} on {}", e.started_at, e.hostname));
    parts.join(" · ")
}

/// A run's short name for a chart's axis: its label, else its commit and
/// start time (`beca3dd 2024-05-01 12:00`).
pub(crate) fn run_tag(r: &RunRecord) -> String {
    match (&r.label, short_commit(&r.environment)) {
        (Some(label), _) => truncate(label, 24),
        (None, Some(commit)) => format!("{commit} {}", short_time(&r.environment.started_at)),
        (None, None) => short_time(&r.environment.started_at),
    }
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
    use metron::model::Interval;

    use super::*;

    #[test]
    fn command_lines_are_quoted_like_a_shell() {
        let args: Vec<String> = ["metron", "-P", "t", "1", "5", "sleep 0.{t}", "it's"].map(String::from).to_vec();
        assert_eq!(command_line(&args), r#"metron -P t 1 5 'sleep 0.{t}' "it's""#);
        assert_eq!(command_line(&[String::new()]), "''");
    }

    #[test]
    fn every_verdict_states_its_rule() {
        let report = crate::fixtures::fixed_report();
        let mut c = report.comparisons[0].clone();
        assert_eq!(paired_rule(&c), "slower: p < 0.01 and the whole 95% CI of the ratio above 1 + 0.3%");
        c.verdict = PairedVerdict::NoDifference;
        c.ci = Interval::new(0.999, 1.01);
        c.p_adjusted = Some(0.0002);
        assert_eq!(
            paired_rule(&c),
            "no difference: p < 0.01 (BH-adjusted), but the 95% CI of the ratio reaches into 1 ± 0.3%"
        );
        c.p_adjusted = Some(0.2);
        assert_eq!(paired_rule(&c), "no difference: p = 0.200 (BH-adjusted) is not below 0.01");
        assert_eq!(median_ratio(&report, &report.comparisons[0]), Some(2.0));
        assert_eq!(ratio_kind(&c), "20%-trimmed geometric mean of per-round ratios");
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

//! Redaction for pages that are published: a run records where it ran
//! (the host name, absolute paths on the command line and in the tools'
//! versions), which a team publishing results may not want to show. A
//! redacted page keeps every figure and drops those.
//!
//! What goes: the machine's host name (of the run and of every host of a
//! merged run, and the baseline's host note), and every absolute path (`/…`
//! or `~/…`) in the command line, the tools' versions and the baseline's
//! name, shortened to `…/` and its last component (the file a reader may
//! need to recognise, not the directory it sits in). What stays: benchmark
//! names and commands (they are what was measured, and benchmark ids match
//! across runs by them), and the hosts a user named for a multi-host run.

use metron::model::Environment;
use metron::RunRecord;

/// Shown instead of a host name.
pub const REDACTED_HOST: &str = "(host redacted)";

/// How much of what a run recorded about its machine a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Redaction {
    /// Everything, as recorded.
    #[default]
    Keep,
    /// No host names and no local paths (`metron report --redact`).
    LocalDetails,
}

impl Redaction {
    /// The runs as a page with this redaction shows them.
    pub fn apply(self, reports: &[RunRecord]) -> Vec<RunRecord> {
        match self {
            Redaction::Keep => reports.to_vec(),
            Redaction::LocalDetails => reports.iter().map(redacted).collect(),
        }
    }
}

/// `record` without host names and local paths.
fn redacted(record: &RunRecord) -> RunRecord {
    let mut r = record.clone();
    r.command_line = r.command_line.iter().map(|w| shorten_paths(w)).collect();
    redact_environment(&mut r.environment);
    for host in &mut r.hosts {
        if let Some(e) = &mut host.environment {
            redact_environment(e);
        }
    }
    if let Some(b) = &mut r.baseline {
        b.baseline = shorten_paths(&b.baseline);
        for note in &mut b.environment_notes {
            if note.starts_with("host differs") {
                *note = "host differs (names redacted)".to_string();
            }
        }
    }
    r
}

fn redact_environment(e: &mut Environment) {
    e.hostname = REDACTED_HOST.to_string();
    for version in e.tools.values_mut() {
        *version = shorten_paths(version);
    }
}

/// `s` with every absolute path in it cut to `…/` and its last component.
/// A path starts with `/` or `~/` at the start of `s` or after a space, `=`,
/// `:`, a quote or `(`, and runs to the next space, quote or `)`.
pub(crate) fn shorten_paths(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut at_start = true;
    while let Some(c) = rest.chars().next() {
        let starts_path = at_start && (rest.starts_with('/') || rest.starts_with("~/"));
        if starts_path {
            let end = rest.find([' ', '\'', '"', ')', ',', ';']).unwrap_or(rest.len());
            let path = &rest[..end];
            let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            out.push_str("…/");
            out.push_str(last);
            rest = &rest[end..];
            at_start = false;
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
        at_start = matches!(c, ' ' | '=' | ':' | '\'' | '"' | '(' | ',');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn absolute_paths_keep_their_last_component() {
        assert_eq!(shorten_paths("/home/ann/proj/out.json"), "…/out.json");
        assert_eq!(shorten_paths("--export-json=/home/ann/x.json"), "--export-json=…/x.json");
        assert_eq!(shorten_paths("~/bench/run.sh arg"), "…/run.sh arg");
        assert_eq!(shorten_paths("3.11.2 (/usr/bin/python3)"), "3.11.2 (…/python3)");
        assert_eq!(shorten_paths("sleep 0.1 a/b 1/2"), "sleep 0.1 a/b 1/2");
        assert_eq!(shorten_paths("/"), "…/");
    }

    #[test]
    fn hosts_and_paths_go_figures_stay() {
        let mut record = fixtures::rich_report();
        record.command_line.push("/home/ann/secret/out.html".into());
        let redacted = &Redaction::LocalDetails.apply(std::slice::from_ref(&record))[0];
        assert_eq!(redacted.environment.hostname, REDACTED_HOST);
        assert!(redacted.command_line.contains(&"…/out.html".to_string()));
        assert!(redacted.hosts.iter().filter_map(|h| h.environment.as_ref()).all(|e| e.hostname == REDACTED_HOST));
        assert_eq!(redacted.benchmarks, record.benchmarks);
        let notes = &redacted.baseline.as_ref().unwrap().environment_notes;
        assert!(notes.iter().all(|n| !n.contains("old-box")), "{notes:?}");
        assert_eq!(Redaction::Keep.apply(std::slice::from_ref(&record))[0], record);
    }
}

//! Merging runs from several hosts into one record.
//!
//! `metron remote` runs the same metron arguments on several machines and
//! gets back one [`RunRecord`] from each host that answered. This module
//! makes them one run with the host as a dimension, so everything that reads
//! a run (the terminal output, `metron compare`, the HTML report) reads a
//! multi-host run too:
//!
//! * every benchmark gets its `host`, so ids become `host: group/name` and
//!   stay unique across hosts;
//! * each host has a [`HostRun`] with the environment *it* measured in (the
//!   merged run's own environment is the machine that drove the hosts), and
//!   its error when it failed;
//! * failures keep their host; a host that failed without a failing
//!   benchmark to blame (unreachable, no shell, time limit) is a failure
//!   named `*`;
//! * comparisons made within a host are kept, with host-qualified ids, and
//!   for each benchmark measured on several hosts every host is compared with
//!   the fastest one (see [`cross_host_comparisons`]).
//!
//! A failed host loses nothing it did measure: whatever results came back
//! with it are merged like any other host's. Nothing here knows how the
//! reports were obtained; that is the CLI's business (over OpenSSH).

use std::collections::BTreeMap;

use crate::compare;
use crate::model::{BenchmarkResult, Failure, HostRun, PairedComparison, RunRecord};

/// What one host contributed: its report when one came back, its error when
/// it failed. Both can be present (a host whose benchmark failed still
/// measured the others), neither means the host was never started.
#[derive(Debug, Clone, PartialEq)]
pub struct HostOutcome {
    /// The host as the user named it (`user@host:port`).
    pub host: String,
    /// The run the host reported, complete or partial.
    pub report: Option<RunRecord>,
    /// Why the host failed, in one line.
    pub error: Option<String>,
}

impl HostOutcome {
    /// A host that ran everything it was asked to.
    pub fn succeeded(host: impl Into<String>, report: RunRecord) -> HostOutcome {
        HostOutcome { host: host.into(), report: Some(report), error: None }
    }

    /// A host that failed, with whatever it measured before it did.
    pub fn failed(host: impl Into<String>, error: impl Into<String>, partial: Option<RunRecord>) -> HostOutcome {
        HostOutcome { host: host.into(), report: partial, error: Some(error.into()) }
    }
}

/// Merges the hosts' runs into `base`, in the order given.
///
/// `base` is the merged run before any host is added: the command line and
/// environment of the machine that drove the hosts, and the settings to
/// record if no host answered (otherwise the first answering host's settings
/// are recorded: every host ran the same arguments). Benchmarks already in
/// `base` are kept as they are.
///
/// Host reports are taken as they are, except that their `host` fields are
/// overwritten, their baseline comparisons are dropped (each host compared
/// with its own saved baseline; the merged run has one slot) and their
/// extension sections are renamed `section@host`.
pub fn merge(base: RunRecord, hosts: &[HostOutcome]) -> RunRecord {
    let mut merged = base;
    if let Some(first) = hosts.iter().find_map(|h| h.report.as_ref()) {
        merged.settings = first.settings.clone();
    }
    for outcome in hosts {
        add_host(&mut merged, outcome);
    }
    merged.comparisons.extend(cross_host_comparisons(&merged.benchmarks));
    merged
}

/// Adds one host's results, failures and environment to `merged`.
fn add_host(merged: &mut RunRecord, outcome: &HostOutcome) {
    let host = &outcome.host;
    let mut blamed_benchmark = false;
    if let Some(report) = &outcome.report {
        for b in &report.benchmarks {
            merged.benchmarks.push(BenchmarkResult { host: Some(host.clone()), ..b.clone() });
        }
        for c in &report.comparisons {
            merged.comparisons.push(PairedComparison {
                reference: format!("{host}: {}", c.reference),
                candidate: format!("{host}: {}", c.candidate),
                ..c.clone()
            });
        }
        for f in &report.failures {
            merged.failures.push(Failure { host: Some(host.clone()), ..f.clone() });
            blamed_benchmark = true;
        }
        for (section, value) in &report.extensions {
            merged.extensions.insert(format!("{section}@{host}"), value.clone());
        }
        merged.interrupted |= report.interrupted;
    }
    if let Some(error) = outcome.error.as_ref().filter(|_| !blamed_benchmark) {
        merged.failures.push(Failure { name: "*".into(), host: Some(host.clone()), reason: error.clone() });
    }
    merged.hosts.push(HostRun {
        host: host.clone(),
        environment: outcome.report.as_ref().map(|r| r.environment.clone()),
        error: outcome.error.clone(),
    });
}

/// A benchmark's id without its host (`group/name`): what matches the same
/// benchmark across hosts.
pub fn id_without_host(b: &BenchmarkResult) -> String {
    crate::model::benchmark_id(b.group.as_deref(), &b.name)
}

/// The benchmarks grouped by [`id_without_host`], in the order each id first
/// appears, each group in the order given (so, after [`merge`], host order).
pub fn by_benchmark(benchmarks: &[BenchmarkResult]) -> Vec<(String, Vec<&BenchmarkResult>)> {
    let mut groups: Vec<(String, Vec<&BenchmarkResult>)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for b in benchmarks {
        let id = id_without_host(b);
        let slot = *index.entry(id.clone()).or_insert_with(|| {
            groups.push((id, Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push(b);
    }
    groups
}

/// For each benchmark measured on more than one host, every other host
/// compared with the fastest (lowest headline median) on that benchmark's
/// clock.
///
/// Hosts share no rounds (round 3 on one machine has nothing to do with
/// round 3 on another), so the samples are compared unpaired: Welch's t-test
/// on log times, with the ratio of geometric means and its CI. With more than
/// one comparison the p-values are adjusted with Benjamini-Hochberg across
/// all of them and the verdicts follow the adjusted p-values, as within a run.
pub fn cross_host_comparisons(benchmarks: &[BenchmarkResult]) -> Vec<PairedComparison> {
    let mut out = Vec::new();
    for (_, group) in by_benchmark(benchmarks) {
        // Unpaired: forget the rounds, which only mean something within one host.
        let unpaired: Vec<BenchmarkResult> = group.iter().map(|b| compare::without_rounds(b)).collect();
        if unpaired.len() < 2 {
            continue;
        }
        let Some(fastest) = compare::reference_index(&unpaired, None) else { continue };
        for (i, candidate) in unpaired.iter().enumerate() {
            if i != fastest {
                out.extend(compare::compare(&unpaired[fastest], candidate));
            }
        }
    }
    compare::adjust_for_many(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyse, AnalysisContext, BenchmarkMeta};
    use crate::model::{ClockKind, Environment, PairedVerdict, RoutineKind, Sample, Settings};

    fn settings(seed: u64) -> Settings {
        Settings {
            clock: ClockKind::Wall,
            precision: 0.01,
            time_budget_s: 3.0,
            min_samples: 10,
            max_samples: 1000,
            interleaved: true,
            seed,
            replicates: 1,
        }
    }

    /// A result with `n` samples around `centre` ns, taken in rounds 0..n.
    fn result(name: &str, centre: f64, n: usize) -> BenchmarkResult {
        let samples = (0..n)
            .map(|i| Sample {
                round: Some(i as u32),
                ..Sample::timed(1, centre * (1.0 + 0.01 * ((i * 7 % 5) as f64 - 2.0)), i as u64)
            })
            .collect();
        let ctx = AnalysisContext::fixed_runs(RoutineKind::Command, 1);
        analyse(&BenchmarkMeta::named(name), samples, ctx).unwrap()
    }

    fn host_report(hostname: &str, seed: u64, benchmarks: Vec<BenchmarkResult>) -> RunRecord {
        let env = Environment { hostname: hostname.into(), ..Environment::default() };
        let mut r = RunRecord::new(vec!["metron".into()], env, settings(seed));
        r.benchmarks = benchmarks;
        r
    }

    fn base() -> RunRecord {
        let env = Environment { hostname: "driver".into(), ..Environment::default() };
        RunRecord::new(vec!["metron".into(), "remote".into()], env, settings(0))
    }

    #[test]
    fn hosts_become_a_dimension() {
        let a = host_report("alpha", 11, vec![result("sleep", 10e6, 20), result("true", 1e6, 20)]);
        let b = host_report("beta", 12, vec![result("sleep", 20e6, 20), result("true", 1e6, 20)]);
        let merged = merge(base(), &[HostOutcome::succeeded("u@a", a), HostOutcome::succeeded("u@b:22", b)]);
        let ids: Vec<String> = merged.benchmarks.iter().map(BenchmarkResult::id).collect();
        assert_eq!(ids, ["u@a: sleep", "u@a: true", "u@b:22: sleep", "u@b:22: true"]);
        assert_eq!(merged.environment.hostname, "driver");
        assert_eq!(merged.settings.seed, 11, "the first host's settings");
        let hosts: Vec<(&str, &str)> =
            merged.hosts.iter().map(|h| (h.host.as_str(), h.environment.as_ref().unwrap().hostname.as_str())).collect();
        assert_eq!(hosts, [("u@a", "alpha"), ("u@b:22", "beta")]);
        assert!(merged.failures.is_empty());
        // One comparison per benchmark, against the faster host.
        assert_eq!(merged.comparisons.len(), 2);
        let sleep = merged.comparisons.iter().find(|c| c.reference == "u@a: sleep").unwrap();
        assert_eq!(sleep.candidate, "u@b:22: sleep");
        assert_eq!(sleep.test, compare::WELCH_TEST, "hosts share no rounds");
        assert!((sleep.ratio - 2.0).abs() < 0.05, "{}", sleep.ratio);
        assert_eq!(sleep.verdict, PairedVerdict::Slower);
        assert!(sleep.p_adjusted.is_some(), "two comparisons: BH-adjusted");
        let same = merged.comparisons.iter().find(|c| c.candidate.ends_with(": true")).unwrap();
        assert_eq!(same.verdict, PairedVerdict::NoDifference);
    }

    #[test]
    fn a_failed_host_is_kept_with_its_reason_and_others_survive() {
        let a = host_report("alpha", 1, vec![result("sleep", 10e6, 10)]);
        let merged = merge(
            base(),
            &[
                HostOutcome::succeeded("a", a),
                HostOutcome::failed("b", "ssh: connect to host b port 22: Connection refused", None),
            ],
        );
        assert_eq!(merged.benchmarks.len(), 1);
        assert_eq!(merged.failures.len(), 1);
        let f = &merged.failures[0];
        assert_eq!((f.name.as_str(), f.host.as_deref()), ("*", Some("b")));
        assert!(f.reason.contains("Connection refused"));
        assert_eq!(merged.hosts[1].error.as_deref(), Some(f.reason.as_str()));
        assert!(merged.hosts[1].environment.is_none());
        assert!(merged.comparisons.is_empty(), "one host measured: nothing to compare");
    }

    #[test]
    fn a_failing_benchmark_blames_itself_not_the_host() {
        let mut partial = host_report("beta", 2, vec![result("ok", 1e6, 10)]);
        partial.failures.push(Failure { name: "exit 3".into(), host: None, reason: "exit status 3".into() });
        let merged = merge(base(), &[HostOutcome::failed("b", "exit status 3", Some(partial))]);
        assert_eq!(merged.benchmarks[0].host.as_deref(), Some("b"), "what the host measured is kept");
        assert_eq!(merged.failures.len(), 1);
        assert_eq!(merged.failures[0].name, "exit 3");
        assert_eq!(merged.failures[0].host.as_deref(), Some("b"));
        assert_eq!(merged.hosts[0].error.as_deref(), Some("exit status 3"));
        assert!(merged.hosts[0].environment.is_some());
    }

    #[test]
    fn comparisons_within_a_host_get_host_ids() {
        let mut a = host_report("alpha", 1, vec![result("x", 1e6, 10), result("y", 2e6, 10)]);
        a.comparisons = compare::paired_all(&a.benchmarks, None, ClockKind::Wall);
        a.interrupted = true;
        a.extensions.insert("suite".into(), serde_json::json!({"conclusions": []}));
        let merged = merge(base(), &[HostOutcome::succeeded("h", a)]);
        assert_eq!(merged.comparisons.len(), 1);
        assert_eq!(merged.comparisons[0].reference, "h: x");
        assert_eq!(merged.comparisons[0].candidate, "h: y");
        assert!(merged.benchmark("h: y").is_some());
        assert!(merged.interrupted);
        assert!(merged.extensions.contains_key("suite@h"));
    }

    #[test]
    fn no_host_answered_keeps_the_base_settings() {
        let merged =
            merge(base(), &[HostOutcome::failed("a", "refused", None), HostOutcome::failed("b", "refused", None)]);
        assert_eq!(merged.settings.seed, 0);
        assert_eq!(merged.failures.len(), 2);
        assert!(merged.benchmarks.is_empty());
        let back = RunRecord::from_json(&merged.to_json(), "merged").unwrap();
        assert_eq!(back, merged);
    }

    #[test]
    fn grouping_across_hosts_keeps_first_seen_order() {
        let mut x = result("x", 1e6, 3);
        x.group = Some("g".into());
        let mut benchmarks = vec![x.clone(), result("y", 1e6, 3), x];
        benchmarks[0].host = Some("a".into());
        benchmarks[2].host = Some("b".into());
        let groups = by_benchmark(&benchmarks);
        let shape: Vec<(&str, usize)> = groups.iter().map(|(id, g)| (id.as_str(), g.len())).collect();
        assert_eq!(shape, [("g/x", 2), ("y", 1)]);
    }
}

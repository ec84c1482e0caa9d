//! Which benchmarks form a scaling curve (time against a numeric parameter)
//! and, where a sequential reference exists, their speedups.
//!
//! The conventions (also in the crate documentation):
//!
//! * benchmarks with the same `group` and host form one candidate group;
//!   benchmarks without a group but with the same parameter names (a command
//!   parameter scan) form an implicit one;
//! * the x parameter is one whose values, wherever present in the group, all
//!   parse as numbers and take at least two distinct values (the one with most
//!   distinct values when several qualify, then the first by name);
//! * every combination of the other parameters is one series;
//! * benchmarks with `variant = sequential` are the speedup references.

use std::collections::{BTreeMap, BTreeSet};

use metron::BenchmarkResult;

/// The parameter that marks the sequential reference of a group.
pub(crate) const VARIANT: &str = "variant";
/// Its value on the reference.
pub(crate) const SEQUENTIAL: &str = "sequential";

/// Benchmarks that together draw time against a numeric parameter.
#[derive(Debug)]
pub(crate) struct ScalingGroup<'a> {
    /// What the page calls the group: its name, or the parameter names of an
    /// implicit group, with the host in front for multi-host runs.
    pub title: String,
    /// The parameter on the x axis.
    pub parameter: String,
    /// One series per combination of the other parameters, in order of appearance.
    pub series: Vec<Series<'a>>,
    /// The group's sequential benchmarks, the speedup references.
    pub sequential: Vec<&'a BenchmarkResult>,
}

/// One line of a scaling chart.
#[derive(Debug)]
pub(crate) struct Series<'a> {
    /// The other parameters, e.g. `threads` (a lone `variant`) or `size=10, variant=threads`.
    pub label: String,
    /// Whether this is the sequential reference's own series.
    pub sequential: bool,
    /// Points ascending in x.
    pub points: Vec<Point<'a>>,
}

/// One benchmark at its x value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Point<'a> {
    /// The parameter value.
    pub x: f64,
    /// The benchmark measured there.
    pub bench: &'a BenchmarkResult,
}

/// One line of a speedup chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SpeedupSeries {
    /// As the scaling series' label.
    pub label: String,
    /// `(x, speedup, lo, hi)`, ascending in x.
    pub points: Vec<(f64, f64, f64, f64)>,
}

#[derive(Debug, PartialEq)]
enum GroupKey<'a> {
    Named(Option<&'a str>, &'a str),
    Implicit(Option<&'a str>, Vec<&'a str>),
}

/// The scaling groups among `benchmarks`, in order of first appearance.
pub(crate) fn scaling_groups(benchmarks: &[BenchmarkResult]) -> Vec<ScalingGroup<'_>> {
    let mut keyed: Vec<(GroupKey<'_>, Vec<&BenchmarkResult>)> = Vec::new();
    for b in benchmarks {
        let Some(key) = group_key(b) else { continue };
        match keyed.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(b),
            None => keyed.push((key, vec![b])),
        }
    }
    keyed.into_iter().filter_map(|(key, members)| build(&key, &members)).collect()
}

fn group_key(b: &BenchmarkResult) -> Option<GroupKey<'_>> {
    let host = b.host.as_deref();
    match &b.group {
        Some(g) => Some(GroupKey::Named(host, g)),
        None if !b.parameters.is_empty() => {
            Some(GroupKey::Implicit(host, b.parameters.keys().map(String::as_str).collect()))
        }
        None => None,
    }
}

fn build<'a>(key: &GroupKey<'_>, members: &[&'a BenchmarkResult]) -> Option<ScalingGroup<'a>> {
    let parameter = x_parameter(members)?;
    let series = series(members, &parameter);
    if series.iter().all(|s| s.points.len() < 2) {
        return None;
    }
    let sequential = members.iter().copied().filter(|b| is_sequential(b)).collect();
    Some(ScalingGroup { title: title(key), parameter, series, sequential })
}

fn title(key: &GroupKey<'_>) -> String {
    let (host, name) = match key {
        GroupKey::Named(host, g) => (host, g.to_string()),
        GroupKey::Implicit(host, names) => {
            let s = if names.len() == 1 { "" } else { "s" };
            (host, format!("parameter{s} {}", names.join(", ")))
        }
    };
    match host {
        Some(h) => format!("{h}: {name}"),
        None => name,
    }
}

/// The parameter value as a number, if it is one.
pub(crate) fn numeric(value: &str) -> Option<f64> {
    value.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn is_sequential(b: &BenchmarkResult) -> bool {
    b.parameters.get(VARIANT).is_some_and(|v| v == SEQUENTIAL)
}

/// The numeric parameter with most distinct values, if any has two or more.
fn x_parameter(members: &[&BenchmarkResult]) -> Option<String> {
    let names: BTreeSet<&str> = members.iter().flat_map(|b| b.parameters.keys().map(String::as_str)).collect();
    let mut best: Option<(usize, &str)> = None;
    for name in names {
        let values: Option<Vec<f64>> =
            members.iter().filter_map(|b| b.parameters.get(name)).map(|v| numeric(v)).collect();
        let Some(mut values) = values else { continue };
        values.sort_by(f64::total_cmp);
        values.dedup();
        if values.len() >= 2 && !matches!(best, Some((n, _)) if n >= values.len()) {
            best = Some((values.len(), name));
        }
    }
    best.map(|(_, name)| name.to_string())
}

fn series<'a>(members: &[&'a BenchmarkResult], parameter: &str) -> Vec<Series<'a>> {
    let mut out: Vec<(BTreeMap<&str, &str>, Series<'a>)> = Vec::new();
    for &b in members {
        let Some(x) = b.parameters.get(parameter).and_then(|v| numeric(v)) else { continue };
        let others = other_parameters(b, &[parameter]);
        let point = Point { x, bench: b };
        match out.iter_mut().find(|(k, _)| *k == others) {
            Some((_, s)) => s.points.push(point),
            None => {
                let s = Series { label: label(&others), sequential: is_sequential(b), points: vec![point] };
                out.push((others, s));
            }
        }
    }
    let mut series: Vec<Series<'a>> = out.into_iter().map(|(_, s)| s).collect();
    for s in &mut series {
        s.points.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    series
}

fn other_parameters<'a>(b: &'a BenchmarkResult, except: &[&str]) -> BTreeMap<&'a str, &'a str> {
    b.parameters.iter().filter(|(k, _)| !except.contains(&k.as_str())).map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn label(others: &BTreeMap<&str, &str>) -> String {
    match others.iter().next() {
        None => "median".to_string(),
        Some((k, v)) if others.len() == 1 && *k == VARIANT => v.to_string(),
        Some(_) => others.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "),
    }
}

impl<'a> ScalingGroup<'a> {
    /// Speedup against the sequential reference for every non-sequential
    /// series that has one; empty when the group has no sequential benchmark.
    pub fn speedups(&self) -> Vec<SpeedupSeries> {
        self.series
            .iter()
            .filter(|s| !s.sequential)
            .map(|s| SpeedupSeries {
                label: s.label.clone(),
                points: s.points.iter().filter_map(|p| self.speedup(p)).collect(),
            })
            .filter(|s| !s.points.is_empty())
            .collect()
    }

    fn speedup(&self, p: &Point<'_>) -> Option<(f64, f64, f64, f64)> {
        let reference = self.reference_for(p.bench)?.headline();
        let point = p.bench.headline();
        if point.median <= 0.0 || point.median_ci.lo <= 0.0 {
            return None;
        }
        let hi = reference.median_ci.hi / point.median_ci.lo;
        Some((p.x, reference.median / point.median, reference.median_ci.lo / point.median_ci.hi, hi))
    }

    /// The sequential benchmark to compare `b` with: the one with the same
    /// other parameters, else the same apart from the x parameter, else the
    /// group's only one.
    fn reference_for(&self, b: &BenchmarkResult) -> Option<&'a BenchmarkResult> {
        let matching = |except: &[&str]| {
            self.sequential.iter().copied().find(|s| {
                other_parameters(s, except).iter().all(|(k, v)| b.parameters.get(*k).is_some_and(|bv| bv == v))
            })
        };
        matching(&[VARIANT])
            .or_else(|| matching(&[VARIANT, self.parameter.as_str()]))
            .or_else(|| (self.sequential.len() == 1).then(|| self.sequential[0]))
    }

    /// Sequential references without the x parameter: drawn as a level line.
    pub fn level_references(&self) -> impl Iterator<Item = &'a BenchmarkResult> + '_ {
        self.sequential.iter().copied().filter(|s| !s.parameters.contains_key(&self.parameter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{bench, concurrency_specs, rich_report, Spec};

    #[test]
    fn groups_parameters_and_series_follow_the_conventions() {
        let report = rich_report();
        let groups = scaling_groups(&report.benchmarks);
        let summary: Vec<(&str, &str, usize)> =
            groups.iter().map(|g| (g.title.as_str(), g.parameter.as_str(), g.series.len())).collect();
        assert_eq!(summary, vec![("fib", "n", 1), ("sum", "threads", 3), ("parameter t", "t", 1)]);
        let sum = &groups[1];
        let labels: Vec<&str> = sum.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, vec!["threads", "processes", "thread-pool"]);
        assert!(sum.series.iter().all(|s| s.points.windows(2).all(|w| w[0].x < w[1].x)));
        assert_eq!(sum.sequential.len(), 1);
        assert_eq!(sum.level_references().count(), 1, "the sequential benchmark has no threads parameter");
        assert_eq!(groups[0].series[0].label, "median");
        assert!(groups[0].speedups().is_empty(), "no sequential reference in fib");
    }

    #[test]
    fn speedup_is_the_sequential_median_over_each_median() {
        let benchmarks: Vec<BenchmarkResult> = concurrency_specs(5).iter().map(bench).collect();
        let groups = scaling_groups(&benchmarks);
        let speedups = groups[0].speedups();
        assert_eq!(speedups.len(), 3);
        let sequential = benchmarks[0].headline().median;
        let threads_2 = benchmarks.iter().find(|b| b.name == "threads ×2").unwrap().headline();
        let (x, s, lo, hi) = speedups[0].points[1];
        assert_eq!(x, 2.0);
        assert!((s - sequential / threads_2.median).abs() < 1e-12);
        assert!(lo <= s && s <= hi);
        assert!((1.6..2.0).contains(&s), "{s}");
    }

    #[test]
    fn reference_matches_other_parameters_first() {
        let mut specs = Vec::new();
        for size in [10, 20] {
            specs.push(
                Spec::closure("seq", 1e3 * f64::from(size), size as u64)
                    .group("g")
                    .param("variant", "sequential")
                    .param("size", size),
            );
            for w in [1, 2, 4] {
                specs.push(
                    Spec::closure("par", 1e3 * f64::from(size) / f64::from(w), 100 + w as u64)
                        .group("g")
                        .param("variant", "threads")
                        .param("size", size)
                        .param("workers", w),
                );
            }
        }
        let benchmarks: Vec<BenchmarkResult> = specs.iter().map(bench).collect();
        let groups = scaling_groups(&benchmarks);
        let g = &groups[0];
        assert_eq!(g.parameter, "workers", "3 distinct values beat size's 2");
        let labels: Vec<&str> = g.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, vec!["size=10, variant=threads", "size=20, variant=threads"]);
        let speedups = g.speedups();
        // Each size is compared with the sequential run of the same size: about `workers`.
        for s in &speedups {
            for &(x, speedup, _, _) in &s.points {
                assert!((speedup / x - 1.0).abs() < 0.15, "{}: {x} workers, speedup {speedup}", s.label);
            }
        }
    }

    #[test]
    fn no_chart_without_a_numeric_parameter() {
        let benchmarks: Vec<BenchmarkResult> =
            ["a", "b", "c"].iter().map(|v| bench(&Spec::closure(v, 100.0, 1).group("g").param("variant", v))).collect();
        assert!(scaling_groups(&benchmarks).is_empty());
        assert_eq!(numeric(" 2.5 "), Some(2.5));
        assert_eq!(numeric("inf"), None);
        assert_eq!(numeric("x"), None);
    }
}

//! A loaded report's figures, recomputed from its samples.
//!
//! The samples are the truth; every summary a file stores beside them is a
//! cache that a hand edit, a bug in another writer or corruption can make
//! disagree with them ("'sleep 0.01' is -3.000× faster … p = 7.000", a median
//! of 1 ns inside a CI of 11 ms). So [`RunRecord::from_json`] hands every
//! report to [`RunRecord::recompute`], which runs the code that produced the
//! figures ([`analysis::analyse_reusing`], [`counter::annotate`],
//! [`compare::compare_on`]) over the stored samples and keeps only what that
//! code says. What cannot be recomputed from the file alone is checked
//! instead, and a file whose stored figure disagrees is refused with one line
//! naming the benchmark and the field:
//!
//! * the Benjamini-Hochberg adjustment of paired p-values, whose family (the
//!   whole run, or one group of a bench binary) the file does not record;
//! * a stored comparison against a baseline, whose old side is not in the
//!   file.
//!
//! Loading stays fast: the one expensive step, bootstrap resampling of the
//! mean, is skipped when the stored interval is one the samples can give
//! (see [`crate::stats::summarize_reusing`]).

use crate::analysis::{self, AnalysisContext, BenchmarkMeta};
use crate::compare;
use crate::counter;
use crate::model::{BaselineComparison, BenchmarkResult, PairedComparison, Rate, RunRecord};
use crate::stats;

/// Round-off allowed between a stored figure and the recomputed one: JSON
/// keeps 17 significant digits, and sums run in another order elsewhere.
const ROUND_OFF: f64 = 1e-9;

/// Largest spread of earlier runs' log medians a file may declare: runs a
/// factor of e² (7.4×) apart from one another, far beyond what a benchmark
/// of one piece of code on one host shows.
const MAX_EARLIER_SD_LOG: f64 = 2.0;

impl RunRecord {
    /// Replaces every summary and paired comparison with the one its samples
    /// give, and checks what cannot be recomputed (see the module docs).
    ///
    /// A benchmark with no samples refuses the file, as an impossible sample
    /// does: metron never writes one (a benchmark stopped before its first
    /// sample has no result), so it comes from an edit or damage, and any
    /// figure shown for it (an n, a median) would be made up. Refusing says
    /// so at once; listing it beside the others would let a gate or a
    /// dashboard carry on as if the file were whole.
    ///
    /// # Errors
    /// One line naming the benchmark (or comparison) and what is wrong.
    pub(super) fn recompute(&mut self) -> Result<(), String> {
        let seed = self.settings.seed;
        for (i, b) in self.benchmarks.iter_mut().enumerate() {
            reanalyse(b, seed.wrapping_add(i as u64))?;
        }
        self.comparisons = recompute_comparisons(self)?;
        if let Some(b) = &self.baseline {
            check_baseline(self, b)?;
        }
        Ok(())
    }
}

/// Recomputes one benchmark's summaries from its samples in place, keeping
/// what describes the run rather than summarises samples (names, clock,
/// stop reason, replicate pids, the declared throughput amounts).
fn reanalyse(b: &mut BenchmarkResult, seed: u64) -> Result<(), String> {
    if b.samples.is_empty() {
        return Err(format!(
            "benchmark '{}' has no samples, so none of its figures can be true (metron never writes such a benchmark)",
            b.id()
        ));
    }
    let meta = BenchmarkMeta {
        name: b.name.clone(),
        group: b.group.clone(),
        parameters: b.parameters.clone(),
        command: None,
        setup: None,
    };
    let earlier = b.run_level.as_ref().and_then(|l| l.earlier);
    if let Some(e) = earlier {
        // What earlier runs said cannot be recomputed from this file, only
        // checked to be a spread some runs could have had.
        if let Some(mean) = e.mean_log.filter(|m| !m.is_finite()) {
            return Err(format!("benchmark '{}' says its earlier runs' mean log median is {mean}", b.id()));
        }
        if e.runs < stats::two_level::MIN_EARLIER_RUNS || !(0.0..=MAX_EARLIER_SD_LOG).contains(&e.sd_log) {
            return Err(format!(
                "benchmark '{}' says {} earlier runs spread by {} (log scale), which no runs can",
                b.id(),
                e.runs,
                e.sd_log
            ));
        }
    }
    let ctx = AnalysisContext {
        earlier,
        kind: b.kind,
        clock: b.clock,
        stop_reason: b.stop_reason,
        warmup_iterations: b.warmup_iterations,
        shell_overhead_ns: b.shell_overhead_ns,
        seed,
        precision: b.stopping.as_ref().and_then(|s| s.target),
    };
    let samples = std::mem::take(&mut b.samples);
    let Some(mut fresh) = analysis::analyse_reusing(&meta, samples, ctx, Some(b)) else {
        return Err(format!("benchmark '{}' has no sample with a finite time", b.id()));
    };
    fresh.command = b.command.take();
    fresh.setup = b.setup.take();
    fresh.host = b.host.take();
    for r in &mut fresh.replicates {
        r.pid = b.replicates.iter().find(|x| x.index == r.index).and_then(|x| x.pid);
    }
    if let (Some(f), Some(s)) = (fresh.stopping.as_mut(), b.stopping.as_ref()) {
        let half_width = |v: &Option<f64>| v.filter(|x| x.is_finite() && *x >= 0.0);
        f.ratio_reached = half_width(&s.ratio_reached);
        f.ratio_target = half_width(&s.ratio_target);
    }
    if let Some(backend) = b.counter.as_ref().map(|c| c.backend) {
        fresh.instructions = b.instructions.take();
        fresh.counter = b.counter.take();
        counter::annotate(&mut fresh, backend, seed.wrapping_add(2));
    }
    let headline = fresh.headline().clone();
    fresh.throughput = b.throughput.iter().map(|r| Rate::new(r.unit, r.per_iteration, &headline)).collect();
    *b = fresh;
    Ok(())
}

/// Every stored paired comparison, computed again from its two benchmarks'
/// samples by the test it names.
fn recompute_comparisons(record: &RunRecord) -> Result<Vec<PairedComparison>, String> {
    let mut fresh = Vec::with_capacity(record.comparisons.len());
    for c in &record.comparisons {
        let what = || format!("comparison of '{}' with '{}'", c.candidate, c.reference);
        let find =
            |id: &str| record.benchmark(id).ok_or_else(|| format!("{}: no benchmark '{id}' in the file", what()));
        let (reference, candidate) = (find(&c.reference)?, find(&c.candidate)?);
        let again = match c.test.as_str() {
            compare::WELCH_TEST => {
                compare::compare_on(&compare::without_rounds(reference), &compare::without_rounds(candidate), c.clock)
            }
            compare::PAIRED_TEST => compare::compare_on(reference, candidate, c.clock),
            other => return Err(format!("{}: unknown test \"{other}\"", what())),
        };
        let again = again.ok_or_else(|| format!("{}: too few samples to compare", what()))?;
        if again.test != c.test {
            return Err(format!("{}: test says paired rounds, but the samples' rounds do not pair up", what()));
        }
        fresh.push(again);
    }
    readjust(record, &mut fresh)?;
    Ok(fresh)
}

/// Restores the stored Benjamini-Hochberg adjustment where it is the
/// adjustment of the recomputed p-values over one of the families metron
/// adjusts over (every comparison of the run; those of one group of a bench
/// binary, or of one host of a merged run; those across hosts), and bases
/// each verdict on it; refuses any other stored value.
fn readjust(record: &RunRecord, fresh: &mut [PairedComparison]) -> Result<(), String> {
    let host_and_group = |id: &str| record.benchmark(id).map(|b| (b.host.clone(), b.group.clone()));
    let family_of = |c: &PairedComparison| {
        let (reference, candidate) = (host_and_group(&c.reference), host_and_group(&c.candidate));
        let across_hosts = reference.as_ref().map(|r| &r.0) != candidate.as_ref().map(|c| &c.0);
        (!across_hosts).then_some(reference)
    };
    let groups: Vec<_> = fresh.iter().map(family_of).collect();
    let raw: Vec<f64> = fresh.iter().map(|c| c.p_value).collect();
    // The adjusted p-value of comparison `i` within `family`; `None` for a
    // family of one, which metron does not adjust.
    let adjusted_in = |family: &[usize], i: usize| -> Option<f64> {
        let at = family.iter().position(|&j| j == i)?;
        let p: Vec<f64> = family.iter().map(|&j| raw[j]).collect();
        (family.len() > 1).then(|| crate::stats::benjamini_hochberg(&p)[at])
    };
    let all: Vec<usize> = (0..fresh.len()).collect();
    for (i, c) in fresh.iter_mut().enumerate() {
        let group: Vec<usize> = all.iter().copied().filter(|&j| groups[j] == groups[i]).collect();
        let candidates = [adjusted_in(&all, i), adjusted_in(&group, i)];
        let what = || format!("comparison of '{}' with '{}'", c.candidate, c.reference);
        c.p_adjusted = match record.comparisons[i].p_adjusted {
            None if candidates.contains(&None) => None,
            None => return Err(format!("{}: p_adjusted is missing though the run made several comparisons", what())),
            Some(p) => Some(candidates.into_iter().flatten().find(|q| close(p, *q)).ok_or_else(|| {
                format!("{}: p_adjusted {p} is not the adjustment of its p-value {}", what(), c.p_value)
            })?),
        };
        c.verdict = compare::paired_verdict(c.ci, c.p_adjusted.unwrap_or(c.p_value), c.noise);
    }
    Ok(())
}

/// Whether two figures agree up to [`ROUND_OFF`].
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= ROUND_OFF * a.abs().max(b.abs()) || a == b
}

/// Checks a stored comparison against a baseline: its new side against this
/// file's samples, and each change against its own figures (the old side is
/// not in the file).
fn check_baseline(record: &RunRecord, b: &BaselineComparison) -> Result<(), String> {
    for c in &b.changes {
        let bad = |field: &str, why: String| Err(format!("baseline change of '{}': {field} {why}", c.id));
        let Some(new) = record.benchmark(&c.id) else {
            return bad("id", "names no benchmark in the file".into());
        };
        let clock = if new.summary(b.clock).is_some() { b.clock } else { crate::model::ClockKind::Wall };
        let values: Vec<f64> = new.samples.iter().filter_map(|s| s.per_iter(clock)).collect();
        let median = crate::stats::median(&values);
        if !close(c.new_median_ns, median) {
            return bad("new_median_ns", format!("{} is not the median of its samples ({median})", c.new_median_ns));
        }
        if !(c.old_median_ns.is_finite() && c.old_median_ns > 0.0) {
            return bad("old_median_ns", format!("{} is not a time", c.old_median_ns));
        }
        let change = compare::ln_floored(c.new_median_ns) - compare::ln_floored(c.old_median_ns);
        if !close(c.change, change.exp() - 1.0) {
            return bad("change", format!("{} is not new/old - 1 ({})", c.change, change.exp() - 1.0));
        }
        if !(c.ci.lo <= c.change && c.change <= c.ci.hi) {
            return bad("ci", format!("[{}, {}] does not contain the change {}", c.ci.lo, c.ci.hi, c.change));
        }
        for (field, p) in [("p_run_level", c.p_run_level), ("p_welch", c.p_welch), ("p_mann_whitney", c.p_mann_whitney)]
        {
            if !(0.0..=1.0).contains(&p) {
                return bad(field, format!("{p} is not a probability"));
            }
        }
        if !(c.p_run_level * (1.0 - ROUND_OFF) <= c.p_adjusted && c.p_adjusted <= 1.0) {
            return bad(
                "p_adjusted",
                format!("{} is not an adjustment of p_run_level {}", c.p_adjusted, c.p_run_level),
            );
        }
        let verdict = compare::change_verdict(c, b.alpha, b.noise);
        if verdict != c.verdict {
            return bad("verdict", format!("{:?} does not follow from its p-value and CI ({verdict:?})", c.verdict));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyse, AnalysisContext, BenchmarkMeta};
    use crate::model::{ClockKind, Environment, RoutineKind, RunRecord, Sample, StopReason};

    /// Two commands in 12 interleaved rounds over 3 replicates, compared.
    fn record() -> RunRecord {
        let settings = crate::RunConfig::default().settings();
        let mut r = RunRecord::new(vec!["metron".into()], Environment::default(), settings);
        for (k, base) in [(0u64, 1000.0), (1, 1500.0)] {
            let samples: Vec<Sample> = (0..12u32)
                .map(|i| Sample {
                    iterations: 1,
                    wall_ns: base * (1.0 + 0.01 * f64::from((i * 7 + k as u32) % 5)),
                    cpu_ns: Some(base / 2.0 + f64::from(i)),
                    user_ns: None,
                    sys_ns: None,
                    max_rss_kib: Some(100 + u64::from(i)),
                    round: Some(i),
                    replicate: Some(i / 4),
                    at_ns: u64::from(i) * 10_000,
                    counts: None,
                })
                .collect();
            let ctx = AnalysisContext {
                kind: RoutineKind::Command,
                clock: ClockKind::Wall,
                stop_reason: StopReason::FixedRuns,
                warmup_iterations: 1,
                shell_overhead_ns: None,
                seed: r.settings.seed.wrapping_add(k),
                precision: None,
                earlier: None,
            };
            r.benchmarks.push(analyse(&BenchmarkMeta::named(format!("c{k}")), samples, ctx).unwrap());
        }
        r.comparisons = crate::compare::paired_all(&r.benchmarks, None, ClockKind::Wall);
        r
    }

    fn load(r: &serde_json::Value) -> Result<RunRecord, String> {
        RunRecord::from_json(&r.to_string(), "f.json").map_err(|e| e.to_string())
    }

    #[test]
    fn a_true_file_loads_unchanged() {
        let r = record();
        assert_eq!(RunRecord::from_json(&r.to_json(), "f.json").unwrap(), r);
    }

    #[test]
    fn forged_summaries_are_replaced_by_the_samples() {
        let r = record();
        let mut v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        v["benchmarks"][0]["wall"]["median"] = 1.0.into();
        v["benchmarks"][0]["wall"]["n"] = 10_000.into();
        v["benchmarks"][0]["max_rss_kib"] = 1.into();
        v["benchmarks"][1]["cpu"]["mean_ci"]["lo"] = (-5.0).into();
        v["benchmarks"][1]["replicates"][0]["median_ns"] = 7.0.into();
        v["comparisons"][0]["ratio"] = (-3.0).into();
        v["comparisons"][0]["p_value"] = 7.0.into();
        v["comparisons"][0]["verdict"] = "faster".into();
        assert_eq!(load(&v).unwrap(), r);
    }

    #[test]
    fn what_cannot_be_recomputed_must_agree() {
        let r = record();
        let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        let mut empty = v.clone();
        for column in ["iterations", "wall_ns", "cpu_ns", "max_rss_kib", "round", "replicate", "at_ns"] {
            empty["benchmarks"][1]["samples"][column] = serde_json::json!([]);
        }
        let e = load(&empty).unwrap_err();
        assert!(e.starts_with("f.json: figures that disagree with the samples (benchmark 'c1' has no samples"), "{e}");
        let mut ghost = v.clone();
        ghost["comparisons"][0]["candidate"] = "nobody".into();
        assert!(load(&ghost).unwrap_err().contains("no benchmark 'nobody' in the file"));
        let mut adjusted = v.clone();
        adjusted["comparisons"][0]["p_adjusted"] = 0.5.into();
        let e = load(&adjusted).unwrap_err();
        assert!(e.contains("p_adjusted 0.5 is not the adjustment of its p-value"), "{e}");
        let mut test = v;
        test["comparisons"][0]["test"] = "made up".into();
        assert!(load(&test).unwrap_err().contains("unknown test \"made up\""));
    }

    #[test]
    fn a_merged_run_keeps_its_per_host_and_cross_host_adjustments() {
        use crate::merge::{merge, HostOutcome};
        let hosts = [HostOutcome::succeeded("a", record()), HostOutcome::succeeded("b", record())];
        let merged = merge(record(), &hosts);
        assert!(merged.comparisons.iter().any(|c| c.p_adjusted.is_some()) && merged.comparisons.len() > 3);
        let back = RunRecord::from_json(&merged.to_json(), "m.json").unwrap();
        assert_eq!(back.comparisons, merged.comparisons);
    }

    #[test]
    fn a_stored_baseline_comparison_must_follow_from_the_samples() {
        let mut r = record();
        let old = record();
        r.baseline = Some(crate::compare::against_baseline(&old, &r, "old", &Default::default()));
        let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(load(&v).unwrap(), r);
        for (field, value, message) in [
            ("new_median_ns", serde_json::json!(1.0), "new_median_ns 1 is not the median of its samples"),
            ("change", serde_json::json!(-0.5), "change -0.5 is not new/old - 1"),
            ("p_run_level", serde_json::json!(7.0), "p_run_level 7 is not a probability"),
            ("verdict", serde_json::json!("regressed"), "verdict Regressed does not follow"),
        ] {
            let mut bad = v.clone();
            bad["baseline"]["changes"][0][field] = value;
            let e = load(&bad).unwrap_err();
            assert!(e.contains(&format!("baseline change of 'c0': {message}")), "{e}");
        }
    }
}

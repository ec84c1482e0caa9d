//! Replicates of a bench binary: the binary runs itself again, once per
//! replicate, and the parent gathers what the children measured.
//!
//! A benchmark's value in a process depends on that process: where the
//! allocator put the heap, how the code happened to be aligned, what the
//! branch predictors and caches learned. Samples of one process share all
//! of it, so however many there are, they cannot say what the next process
//! would measure — which is what a saved baseline, a CI gate or a second
//! machine needs. Fresh processes (pyperf's worker processes, JMH's forks)
//! can: each replicate is one, and the spread of their medians is the
//! run-to-run part of the headline interval ([`crate::stats::two_level`]).
//!
//! The child is the same binary with the same arguments, told by
//! [`ROLE_ENV`] which replicate it is and where to write its run. It takes
//! its share of the sampling ([`RunConfig::replicate_sampler`]), prints no
//! results (its progress line only), and writes its JSON; the parent labels every sample with its
//! replicate, lines the children's rounds and times up one after another,
//! and analyses each benchmark's samples of all replicates together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::analysis::{analyse, AnalysisContext, BenchmarkMeta};
use crate::clock;
use crate::model::{BenchmarkResult, Failure, RunRecord, Sample, StopReason};
use crate::routine::children;
use crate::run_memory::RunMemory;
use crate::runner::{weakest, RunConfig};

/// The environment variable that makes a bench binary a replicate:
/// `INDEX/COUNT:PATH` (e.g. `2/5:/tmp/metron-r2.json`).
pub const ROLE_ENV: &str = "METRON_BENCH_REPLICATE";

/// What a bench binary started as a replicate was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRole {
    /// Which replicate, from 0.
    pub index: u32,
    /// How many replicates the run takes.
    pub of: usize,
    /// Where to write the run's JSON.
    pub out: PathBuf,
}

impl ChildRole {
    /// The role from [`ROLE_ENV`], if this process is a replicate.
    pub fn from_env() -> Option<ChildRole> {
        ChildRole::parse(&std::env::var(ROLE_ENV).ok()?)
    }

    fn parse(text: &str) -> Option<ChildRole> {
        let (counts, out) = text.split_once(':')?;
        let (index, of) = counts.split_once('/')?;
        let role = ChildRole { index: index.parse().ok()?, of: of.parse().ok()?, out: PathBuf::from(out) };
        (role.of >= 1 && (role.index as usize) < role.of && !out.is_empty()).then_some(role)
    }

    fn value(&self) -> String {
        format!("{}/{}:{}", self.index, self.of, self.out.display())
    }
}

/// What the replicates measured, merged.
#[derive(Debug, Default)]
pub struct Gathered {
    /// One result per benchmark, over all replicates, in the order first seen.
    pub results: Vec<BenchmarkResult>,
    /// Benchmarks that failed (once each) and replicates that did not finish.
    pub failures: Vec<Failure>,
    /// Whether a replicate was interrupted.
    pub interrupted: bool,
}

/// Runs this bench binary once per replicate with `args` (the arguments it
/// was given), one after another, and merges what they wrote; `memory`
/// widens each result by its earlier runs and remembers this one (see
/// [`crate::run_memory`]).
pub fn run_replicates(args: &[String], run: &RunConfig, mut memory: Option<RunMemory>) -> Gathered {
    let mut gathered = Gathered::default();
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            gathered.failures.push(whole(format!("cannot find this bench binary to run its replicates: {e}")));
            return gathered;
        }
    };
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            gathered.failures.push(whole(format!("cannot make a directory for the replicates' results: {e}")));
            return gathered;
        }
    };
    let replicates = run.effective_replicates();
    let origin = clock::wall_ns();
    let mut runs: Vec<Child> = Vec::new();
    for index in 0..replicates {
        let role = ChildRole { index: index as u32, of: replicates, out: dir.path().join(format!("{index}.json")) };
        let started_ns = clock::wall_ns().saturating_sub(origin);
        match run_child(&exe, args, &role) {
            Ok((pid, record, trouble)) => {
                gathered.interrupted |= record.interrupted;
                gathered.failures.extend(trouble.map(|t| whole(format!("replicate {}: {t}", index + 1))));
                runs.push(Child { index: index as u32, pid, started_ns, record });
            }
            Err(e) => gathered.failures.push(whole(format!("replicate {}: {e}", index + 1))),
        }
        gathered.interrupted |= children::stopping();
        if gathered.interrupted {
            break;
        }
    }
    merge(runs, run, memory.as_ref(), &mut gathered);
    if let Some(memory) = memory.as_mut() {
        // Best effort: a memory that cannot be written loses no result.
        let _ = memory.remember(&gathered.results, gathered.interrupted);
    }
    gathered
}

/// A failure of the run as a whole rather than of one benchmark.
fn whole(reason: String) -> Failure {
    Failure { name: "*".into(), host: None, reason }
}

/// A finished replicate.
struct Child {
    index: u32,
    pid: u32,
    started_ns: u64,
    record: RunRecord,
}

/// Runs one replicate; its pid, its run, and what went wrong if it did not
/// end well (its run may still hold what it measured before).
fn run_child(exe: &Path, args: &[String], role: &ChildRole) -> Result<(u32, RunRecord, Option<String>), String> {
    if children::stopping() {
        return Err("not started: the run was interrupted".into());
    }
    let mut command = Command::new(exe);
    command.args(args).env(ROLE_ENV, role.value()).stdout(std::process::Stdio::null());
    // In a group of its own and in the table of running children, so that a
    // signal to the parent alone (kill, timeout) reaches the replicate too:
    // it then stops after its current sample and writes what it measured.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().map_err(|e| format!("could not start {}: {e}", exe.display()))?;
    let pid = child.id();
    let registration = children::register(pid);
    if children::stopping() {
        registration.terminate();
    }
    let status = child.wait().map_err(|e| format!("lost the process: {e}"))?;
    drop(registration);
    let record = RunRecord::load(&role.out).map_err(|e| match status.success() {
        true => format!("wrote no usable results ({e})"),
        false => format!("exited with {status} before writing results"),
    })?;
    let trouble = (!status.success() && !record.interrupted).then(|| format!("exited with {status}"));
    Ok((pid, record, trouble))
}

/// One result per benchmark id from the replicates' results.
fn merge(runs: Vec<Child>, run: &RunConfig, memory: Option<&RunMemory>, gathered: &mut Gathered) {
    let mut order: Vec<String> = Vec::new();
    let mut parts: BTreeMap<String, Vec<(&Child, &BenchmarkResult)>> = BTreeMap::new();
    let mut round_offset = 0u32;
    let mut offsets = Vec::new();
    for child in &runs {
        offsets.push(round_offset);
        let last_round = child.record.benchmarks.iter().flat_map(|b| &b.samples).filter_map(|s| s.round).max();
        round_offset += last_round.map_or(0, |r| r + 1);
        for b in &child.record.benchmarks {
            if !parts.contains_key(&b.id()) {
                order.push(b.id());
            }
            parts.entry(b.id()).or_default().push((child, b));
        }
        for f in &child.record.failures {
            if !gathered.failures.iter().any(|g| g.name == f.name && g.reason == f.reason) {
                gathered.failures.push(f.clone());
            }
        }
    }
    for (k, id) in order.iter().enumerate() {
        let pieces = &parts[id];
        let first = pieces[0].1;
        let meta = BenchmarkMeta {
            name: first.name.clone(),
            group: first.group.clone(),
            parameters: first.parameters.clone(),
            command: first.command.clone(),
            setup: first.setup.clone(),
        };
        let mut samples: Vec<Sample> = Vec::new();
        for (child, b) in pieces {
            let offset = offsets[runs.iter().position(|c| c.index == child.index).unwrap_or(0)];
            samples.extend(b.samples.iter().map(|s| Sample {
                replicate: Some(child.index),
                round: s.round.map(|r| r + offset),
                at_ns: s.at_ns + child.started_ns,
                ..s.clone()
            }));
        }
        let reasons: Vec<StopReason> = pieces.iter().map(|(_, b)| b.stop_reason).collect();
        let clock = run.sampler.clock;
        let earlier = memory.and_then(|m| m.earlier_for(&meta, first.kind, clock));
        let ctx = AnalysisContext {
            kind: first.kind,
            clock,
            earlier,
            stop_reason: weakest(&reasons),
            warmup_iterations: pieces.iter().map(|(_, b)| b.warmup_iterations).sum(),
            shell_overhead_ns: None,
            seed: run.seed.wrapping_add(k as u64),
            precision: run.sampler.precision,
        };
        if let Some(mut result) = analyse(&meta, samples, ctx) {
            for r in &mut result.replicates {
                r.pid = pieces.iter().find(|(c, _)| c.index == r.index).map(|(c, _)| c.pid);
            }
            gathered.results.push(result);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_what_they_wrote() {
        let role = ChildRole { index: 2, of: 5, out: PathBuf::from("/tmp/x:y.json") };
        assert_eq!(ChildRole::parse(&role.value()), Some(role));
        for bad in ["", "1/5", "5/5:/x", "a/5:/x", "1/0:/x", "1/5:"] {
            assert_eq!(ChildRole::parse(bad), None, "{bad:?}");
        }
    }
}

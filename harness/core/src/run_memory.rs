//! What earlier runs of a benchmark measured on this host, remembered so that
//! a run's interval can include the drift between runs that no replicate
//! taken within one run sees.
//!
//! Replicates are spread over one run: they see process-level noise and
//! bursts, not a machine that is 3% slower this minute than the last (a
//! neighbour's load, the frequency state, the hypervisor). Measured on a
//! shared 2-core VM, runs of `gzip` moved by 6% from run to run while each
//! run's replicates agreed within 1%. Each finished run therefore leaves one
//! line per benchmark here (its headline median), and the next run of the
//! same benchmark on the same host widens its headline interval by what
//! those lines show (see [`crate::stats::two_level`]). The terminal and the
//! reports say when it did, and from how many runs.
//!
//! # Where
//!
//! `METRON_RUN_MEMORY` names the directory; `off`, `0` or an empty value
//! turns the memory off (metron's own tests run with it off). By default it
//! is `runs/` in metron's cache directory
//! ([`crate::routine::snippet::cache_dir`]). One file per host name,
//! `HOST.jsonl`, so a home directory shared between machines keeps their
//! figures apart. Each line is one benchmark of one run:
//! `{"key":"…","median_ns":…,"at":UNIX_SECONDS}`.
//!
//! # What counts
//!
//! Lines with the same key: the routine kind, the benchmark's id, its
//! command or statement and the headline clock, and for a closure (a bench
//! function, whose code is the running executable) the build of that
//! executable ([`this_build`]): a rebuilt bench starts a memory of its own,
//! so runs of the code before an edit neither widen the new build's
//! interval nor make a comparison of the two builds more cautious than the
//! new build's own runs warrant. The setup is part of the key too (a
//! snippet's `-s`, a command's `--setup`): `sum(range(n))` after `n = 10000`
//! and after `n = 10500` are different code, and a memory they shared would
//! show the difference between them as run-to-run spread. A command's
//! `--prepare` is not. Only the
//! [`MAX_RUNS`] most recent runs of the last [`MAX_AGE_SECS`] count. A real
//! change of the code under the same name shows as spread and widens the
//! interval until it has aged out: the memory never makes an interval
//! narrower than the run's own.
//!
//! Interrupted runs, instruction counts (they do not drift) and replicate
//! children (their parent remembers the run as a whole) leave no line.
//! The memory is best effort: a file that cannot be read or written is
//! ignored, a line that does not parse is skipped, and nothing a run
//! reports depends on it beyond the wider interval it states.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::BenchmarkMeta;
use crate::model::{BenchmarkResult, ClockKind, EarlierRuns, RoutineKind};

/// The environment variable that moves the memory or turns it off.
pub const ENV: &str = "METRON_RUN_MEMORY";

/// Most earlier runs that count: recent enough to describe this machine now.
pub const MAX_RUNS: usize = 20;

/// Oldest a remembered run may be and still count: 30 days.
pub const MAX_AGE_SECS: u64 = 30 * 24 * 3600;

/// Lines a file may hold before it is compacted to the [`MAX_RUNS`] most
/// recent of each key.
const COMPACT_AT: usize = 20_000;

/// One remembered benchmark of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Line {
    key: String,
    median_ns: f64,
    at: u64,
}

/// The earlier runs of this host, read once per run.
#[derive(Debug, Clone)]
pub struct RunMemory {
    path: PathBuf,
    lines: Vec<Line>,
}

/// The key of a benchmark in the memory (see the module docs).
pub fn key(meta: &BenchmarkMeta, kind: RoutineKind, clock: ClockKind) -> String {
    let build = if kind == RoutineKind::Closure { this_build() } else { "" };
    // Appended only when there is one, so the keys of benchmarks without a
    // setup stay those that memories written before it was keyed hold.
    let setup = meta.setup.as_deref().map(|s| format!("\u{1f}setup\u{1f}{s}")).unwrap_or_default();
    let text = format!(
        "{kind:?}\u{1f}{}\u{1f}{}\u{1f}{clock:?}{build}{setup}",
        meta.id(),
        meta.command.as_deref().unwrap_or("")
    );
    format!("{:016x}", crate::fingerprint::fnv1a64(text.as_bytes()))
}

/// Which build of the running executable this is: its path, size and
/// modification time, which a rebuild changes and a rerun does not. Read
/// once per process; empty when the executable cannot be found (the memory
/// then keys closures by name alone, as for other kinds).
pub fn this_build() -> &'static str {
    static BUILD: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BUILD.get_or_init(|| {
        let Ok(exe) = std::env::current_exe() else { return String::new() };
        let Ok(meta) = std::fs::metadata(&exe) else { return String::new() };
        let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        format!("\u{1f}{}\u{1f}{}\u{1f}{}", exe.display(), meta.len(), modified.map_or(0, |d| d.as_nanos()))
    })
}

/// The key of a finished result, as [`key`] gives it for its meta.
fn key_of(r: &BenchmarkResult) -> String {
    let meta = BenchmarkMeta {
        name: r.name.clone(),
        group: r.group.clone(),
        parameters: r.parameters.clone(),
        command: r.command.clone(),
        setup: r.setup.clone(),
    };
    key(&meta, r.kind, r.clock)
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl RunMemory {
    /// This host's memory where [`ENV`] or the default puts it; `None` when
    /// it is turned off or this process is a replicate child of a bench.
    pub fn open() -> Option<RunMemory> {
        if crate::bench::replicate::ChildRole::from_env().is_some() || crate::bench::reexec::is_child() {
            return None;
        }
        let dir = match std::env::var_os(ENV) {
            Some(v) if v.is_empty() || v == "off" || v == "0" => return None,
            Some(v) => PathBuf::from(v),
            None => crate::routine::snippet::cache_dir().ok()?.join("runs"),
        };
        let host = crate::environment::hostname();
        let safe: String =
            host.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect();
        Some(RunMemory::at(&dir.join(format!("{safe}.jsonl"))))
    }

    /// The memory kept in the file `path` (read now; missing is empty).
    pub fn at(path: &Path) -> RunMemory {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines = text.lines().filter_map(|l| serde_json::from_str::<Line>(l).ok()).collect();
        RunMemory { path: path.to_path_buf(), lines }
    }

    /// What the earlier runs of a benchmark say on the headline `clock`;
    /// `None` for counts, which do not drift (see [`Self::earlier`]).
    pub fn earlier_for(&self, meta: &BenchmarkMeta, kind: RoutineKind, clock: ClockKind) -> Option<EarlierRuns> {
        if clock.is_count() {
            return None;
        }
        self.earlier(&key(meta, kind, clock))
    }

    /// What the earlier runs of `key` say, when there are at least
    /// [`crate::stats::two_level::MIN_EARLIER_RUNS`] of them with a
    /// positive median.
    pub fn earlier(&self, key: &str) -> Option<EarlierRuns> {
        let oldest = now_secs().saturating_sub(MAX_AGE_SECS);
        let logs: Vec<f64> = self
            .lines
            .iter()
            .rev()
            .filter(|l| l.key == key && l.at >= oldest && l.median_ns.is_finite() && l.median_ns > 0.0)
            .take(MAX_RUNS)
            .map(|l| l.median_ns.ln())
            .collect();
        (logs.len() >= crate::stats::two_level::MIN_EARLIER_RUNS).then(|| EarlierRuns {
            runs: logs.len(),
            sd_log: crate::stats::std_dev(&logs),
            half_width: 0.0,
            mean_log: Some(crate::stats::mean(&logs)),
        })
    }

    /// Remembers the headline medians of a run's `results` in one append:
    /// nothing of a run that was `interrupted`, and no interrupted result or
    /// count.
    ///
    /// # Errors
    /// The I/O error of creating the directory or writing the file.
    pub fn remember(&mut self, results: &[BenchmarkResult], interrupted: bool) -> std::io::Result<()> {
        if interrupted {
            return Ok(());
        }
        let at = now_secs();
        let fresh: Vec<Line> = results
            .iter()
            .filter(|r| !r.clock.is_count() && r.stop_reason != crate::model::StopReason::Interrupted)
            .filter(|r| r.headline().median.is_finite() && r.headline().median > 0.0)
            .map(|r| Line { key: key_of(r), median_ns: r.headline().median, at })
            .collect();
        if fresh.is_empty() {
            return Ok(());
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        self.lines.extend(fresh.iter().cloned());
        if self.lines.len() > COMPACT_AT {
            return self.compact();
        }
        let mut text = String::new();
        for line in &fresh {
            text.push_str(&serde_json::to_string(line).map_err(std::io::Error::other)?);
            text.push('\n');
        }
        // One write of whole lines to a file opened for appending: runs that
        // finish at the same moment do not interleave within a line.
        std::fs::OpenOptions::new().create(true).append(true).open(&self.path)?.write_all(text.as_bytes())
    }

    /// Rewrites the file with the [`MAX_RUNS`] most recent lines of each key.
    fn compact(&mut self) -> std::io::Result<()> {
        let mut kept_per_key = std::collections::HashMap::<&str, usize>::new();
        let mut keep = vec![false; self.lines.len()];
        for (i, l) in self.lines.iter().enumerate().rev() {
            let n = kept_per_key.entry(&l.key).or_insert(0);
            if *n < MAX_RUNS {
                *n += 1;
                keep[i] = true;
            }
        }
        let mut i = 0;
        self.lines.retain(|_| (keep[i], i += 1).0);
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(&serde_json::to_string(line).map_err(std::io::Error::other)?);
            text.push('\n');
        }
        crate::atomic::write(&self.path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sample;

    fn result(name: &str, median: f64) -> BenchmarkResult {
        let samples = (0..9).map(|i| Sample::timed(1, median * (1.0 + 0.001 * f64::from(i)), 0)).collect();
        let mut ctx = crate::analysis::AnalysisContext::fixed_runs(RoutineKind::Command, 1);
        ctx.stop_reason = crate::model::StopReason::FixedRuns;
        let meta = BenchmarkMeta { command: Some(name.into()), ..BenchmarkMeta::named(name) };
        crate::analysis::analyse(&meta, samples, ctx).unwrap()
    }

    #[test]
    fn three_runs_give_the_spread_of_their_log_medians() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("host.jsonl");
        let medians = [100.0, 103.0, 98.0];
        for m in medians {
            let mut memory = RunMemory::at(&path);
            memory.remember(&[result("a", m), result("b", 7.0)], false).unwrap();
        }
        let memory = RunMemory::at(&path);
        let key_a = key_of(&result("a", 1.0));
        let e = memory.earlier(&key_a).unwrap();
        let logs: Vec<f64> = medians.iter().map(|m: &f64| m.ln()).collect();
        assert_eq!(e.runs, 3);
        assert!((e.sd_log - crate::stats::std_dev(&logs)).abs() < 1e-12, "{e:?}");
        // "b" was the same every time: no spread. An unknown key: nothing.
        assert_eq!(memory.earlier(&key_of(&result("b", 1.0))).unwrap().sd_log, 0.0);
        assert!(memory.earlier("0000000000000000").is_none());
        // Two runs are too few.
        let mut fresh = RunMemory::at(&dir.path().join("two.jsonl"));
        fresh.remember(&[result("a", 1.0)], false).unwrap();
        fresh.remember(&[result("a", 2.0)], true).unwrap();
        fresh.remember(&[result("a", 2.0)], false).unwrap();
        assert!(RunMemory::at(&dir.path().join("two.jsonl")).earlier(&key_a).is_none());
    }

    #[test]
    fn a_closure_is_keyed_by_the_build_of_its_executable() {
        let meta = BenchmarkMeta::named("loop");
        let build = this_build();
        assert!(build.contains(&std::env::current_exe().unwrap().display().to_string()), "{build:?}");
        let closure = key(&meta, RoutineKind::Closure, ClockKind::Wall);
        let text = format!("Closure\u{1f}loop\u{1f}\u{1f}Wall{build}");
        assert_eq!(closure, format!("{:016x}", crate::fingerprint::fnv1a64(text.as_bytes())));
        assert_ne!(closure, key(&meta, RoutineKind::Snippet, ClockKind::Wall));
    }

    #[test]
    fn the_key_tells_commands_and_clocks_apart() {
        let a = BenchmarkMeta { command: Some("sleep 0.010".into()), ..BenchmarkMeta::named("sleep") };
        let b = BenchmarkMeta { command: Some("sleep 0.0105".into()), ..BenchmarkMeta::named("sleep") };
        assert_ne!(key(&a, RoutineKind::Command, ClockKind::Wall), key(&b, RoutineKind::Command, ClockKind::Wall));
        assert_ne!(key(&a, RoutineKind::Command, ClockKind::Wall), key(&a, RoutineKind::Command, ClockKind::Cpu));
        assert_eq!(
            key(&a, RoutineKind::Command, ClockKind::Wall),
            key(&a.clone(), RoutineKind::Command, ClockKind::Wall)
        );
    }

    #[test]
    fn the_key_tells_setups_apart_and_keeps_setupless_keys_as_they_were() {
        let plain = BenchmarkMeta { command: Some("sum(range(n))".into()), ..BenchmarkMeta::named("sum(range(n))") };
        let small = BenchmarkMeta { setup: Some("n = 10000".into()), ..plain.clone() };
        let large = BenchmarkMeta { setup: Some("n = 10500".into()), ..plain.clone() };
        let k = |m: &BenchmarkMeta| key(m, RoutineKind::Snippet, ClockKind::Wall);
        assert_ne!(k(&small), k(&large));
        assert_ne!(k(&small), k(&plain));
        let text = "Snippet\u{1f}sum(range(n))\u{1f}sum(range(n))\u{1f}Wall";
        assert_eq!(k(&plain), format!("{:016x}", crate::fingerprint::fnv1a64(text.as_bytes())));
        // A finished result keeps its setup, so what a run remembers is
        // found again under the key its next run looks up.
        let samples = (0..9).map(|i| Sample::timed(1, 100.0 + f64::from(i), 0)).collect();
        let ctx = crate::analysis::AnalysisContext::fixed_runs(RoutineKind::Snippet, 1);
        let r = crate::analysis::analyse(&small, samples, ctx).unwrap();
        assert_eq!(r.setup.as_deref(), Some("n = 10000"));
        assert_eq!(key_of(&r), k(&small));
    }

    #[test]
    fn only_recent_runs_count_and_bad_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        let k = key_of(&result("a", 1.0));
        let old = now_secs() - MAX_AGE_SECS - 10;
        let mut text = String::new();
        for (m, at) in [(50.0, old), (100.0, now_secs()), (101.0, now_secs()), (102.0, now_secs())] {
            text.push_str(&serde_json::to_string(&Line { key: k.clone(), median_ns: m, at }).unwrap());
            text.push('\n');
        }
        text.push_str("{not json\n{\"key\":1}\n");
        std::fs::write(&path, text).unwrap();
        let e = RunMemory::at(&path).earlier(&k).unwrap();
        assert_eq!(e.runs, 3, "the month-old run and the broken lines do not count");
        assert!(e.sd_log < 0.02, "{e:?}");
    }

    #[test]
    fn a_long_memory_is_compacted_to_the_most_recent_runs_of_each_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        let mut memory = RunMemory::at(&path);
        let k = key_of(&result("a", 1.0));
        memory.lines =
            (0..COMPACT_AT).map(|i| Line { key: k.clone(), median_ns: 1.0 + i as f64, at: now_secs() }).collect();
        memory.remember(&[result("a", 5.0)], false).unwrap();
        let back = RunMemory::at(&path);
        assert_eq!(back.lines.len(), MAX_RUNS);
        assert_eq!(back.lines.last().unwrap().median_ns, result("a", 5.0).headline().median);
    }
}

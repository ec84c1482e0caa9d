//! What the measurements of a suite run say in numbers: per workload, each
//! variant's speedup over sequential (with its CI), parallel efficiency,
//! CPU/wall utilisation and Karp–Flatt serial fraction; per language, the
//! cost of starting one thread vs one process.
//!
//! Everything here is computed from [`BenchmarkResult`]s alone (the groups
//! and parameters [`plan`](crate::plan) gives them), so a saved run can be
//! re-derived later.
//!
//! # Definitions
//!
//! * **Speedup** *S*: sequential wall time / the variant's wall time, from
//!   metron's paired comparison of the interleaved rounds (the 20%-trimmed
//!   geometric mean of per-round ratios), with its 95% CI and a verdict
//!   whose p-values are Benjamini-Hochberg adjusted within the group.
//! * **Parallelism** *p*: how many tasks can progress at once — the worker
//!   count, but no more than the tasks, and for the computing workloads
//!   (`cpu`, `transfer`, and a user's workload whose sequential run keeps
//!   its core busy: CPU/wall above [`COMPUTING`]) no more than the cores. Waiting tasks (`io`, and the
//!   waits of `mixed`) overlap however few the cores, so there the workers
//!   count in full; computing tasks cannot outrun the cores, so 4 workers on
//!   2 cores that double the speed are fully efficient, not half.
//! * **Efficiency** *S / p*: 1 when every worker is fully used.
//! * **Utilisation**: CPU time / wall time (medians), children's CPU
//!   included: about *p* for parallel computation, near 0 for waiting.
//! * **Serial fraction** (Karp–Flatt) *e = (1/S − 1/p) / (1 − 1/p)*, for
//!   *p* ≥ 2: the share of the work that behaves as if it could not be
//!   parallelised, overheads included. Near 0 for perfect scaling, 1 for no
//!   gain, above 1 when the variant is slower than sequential.

use serde::{Deserialize, Serialize};

use metron::compare;
use metron::model::{BenchmarkResult, ClockKind, Failure, Interval, PairedComparison, PairedVerdict};

use crate::available::Available;
use crate::variant::VariantKind;
use crate::workload::WorkloadKind;

/// A measured time: median per run, its 95% CI, and the CPU it took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    /// The benchmark's id.
    pub id: String,
    /// Median wall time per run (or per start), in ns.
    pub median_ns: f64,
    /// 95% CI of that median.
    pub median_ci: Interval,
    /// Median CPU time per run, children included, in ns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_ns: Option<f64>,
    /// CPU time / wall time (medians).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilisation: Option<f64>,
}

impl Level {
    fn of(b: &BenchmarkResult) -> Level {
        Level {
            id: b.id(),
            median_ns: b.wall.median,
            median_ci: b.wall.median_ci,
            cpu_ns: b.cpu.as_ref().map(|c| c.median),
            utilisation: b.cpu_utilisation(),
        }
    }
}

/// One ratio between two benchmarks of the same group, said as "how many
/// times faster": above 1 means faster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// The factor.
    pub value: f64,
    /// Its 95% CI.
    pub ci: Interval,
    /// The p-value of the difference (BH-adjusted where several were tested).
    pub p_value: f64,
    /// Faster, slower or no difference, as metron's same-run verdict.
    pub verdict: PairedVerdict,
}

impl Factor {
    /// "How many times faster is the candidate" from a comparison of
    /// candidate against reference (whose ratio is candidate / reference).
    pub fn from_comparison(c: &PairedComparison) -> Factor {
        Factor {
            value: 1.0 / c.ratio,
            ci: c.ci.reciprocal(),
            p_value: c.p_adjusted.unwrap_or(c.p_value),
            verdict: c.verdict,
        }
    }

    /// The same comparison said from the other side: "how many times
    /// faster is the reference".
    pub fn inverse(&self) -> Factor {
        Factor {
            value: 1.0 / self.value,
            ci: self.ci.reciprocal(),
            p_value: self.p_value,
            verdict: match self.verdict {
                PairedVerdict::Faster => PairedVerdict::Slower,
                PairedVerdict::Slower => PairedVerdict::Faster,
                PairedVerdict::NoDifference => PairedVerdict::NoDifference,
            },
        }
    }

    /// Whether the candidate is significantly faster.
    pub fn is_faster(&self) -> bool {
        self.verdict == PairedVerdict::Faster
    }

    /// `95% CI 1.90–1.96×, p < 0.001`: the interval and the p-value the
    /// verdict was decided on (which, being BH-adjusted and held to
    /// [`compare::PAIRED_ALPHA`], can call a factor whose 95% CI excludes 1
    /// "not clearly faster"; the p-value shows why).
    pub fn evidence(&self) -> String {
        format!("{}, {}", metron::format::factor_ci(self.value, self.ci), metron::format::p_text(self.p_value))
    }
}

/// One variant at one worker count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantFigures {
    /// The variant's name (`thread-pool`, …).
    pub variant: String,
    /// Its worker count.
    pub workers: usize,
    /// Tasks that can progress at once: the workers, at most the tasks, and
    /// for computing workloads at most the cores.
    pub parallelism: usize,
    /// What it measured.
    pub level: Level,
    /// Speedup over sequential, when the sequential reference was measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speedup: Option<Factor>,
    /// Speedup / parallelism.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efficiency: Option<f64>,
    /// Karp–Flatt serial fraction (parallelism of 2 or more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_fraction: Option<f64>,
}

impl VariantFigures {
    /// The Karp–Flatt serial fraction where it means one: between 0 and 1.
    /// Outside (a speedup above the parallelism, or a slowdown) the formula
    /// still gives a number, but no serial fraction: shown as "—".
    pub fn meaningful_serial_fraction(&self) -> Option<f64> {
        self.serial_fraction.filter(|f| (0.0..=1.0).contains(f))
    }

    /// `thread-pool ×2`.
    pub fn label(&self) -> String {
        format!("{} ×{}", self.variant, self.workers)
    }

    /// Whether its tasks ran in other processes.
    pub fn uses_processes(&self) -> bool {
        VariantKind::parse(&self.variant).is_ok_and(VariantKind::uses_processes)
    }
}

/// A variant that failed, with the runner's reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedVariant {
    /// The benchmark's id.
    pub id: String,
    /// Why it failed.
    pub reason: String,
}

/// The fastest thread variant against the fastest process variant of a
/// workload: are threads or processes the better tool for it?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duel {
    /// The fastest variant whose tasks run in threads of this process (e.g. `thread-pool ×2`).
    pub threads: String,
    /// The fastest variant whose tasks run in other processes.
    pub processes: String,
    /// How many times faster the thread variant is than the process variant.
    pub factor: Factor,
}

/// One workload in one language: the sequential reference and every variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadFigures {
    /// The group, e.g. `cpu/rust`.
    pub group: String,
    /// The workload (`cpu`, `io`, …).
    pub workload: String,
    /// The language (`rust`, `python`).
    pub lang: String,
    /// The sequential reference, when it was measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequential: Option<Level>,
    /// Every other variant that was measured, in run order.
    pub variants: Vec<VariantFigures>,
    /// The fastest thread variant against the fastest process variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duel: Option<Duel>,
    /// Variants that failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<FailedVariant>,
    /// Whether its tasks compute (their speedup is bounded by the cores)
    /// rather than wait.
    #[serde(default)]
    pub computing: bool,
    /// The parallelism the machine gave this group while it ran (the lower
    /// of the readings before and after it), when it was measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<Available>,
}

impl WorkloadFigures {
    /// The fastest variant (see [`fastest_of`]), if any has a speedup.
    pub fn fastest(&self) -> Option<&VariantFigures> {
        fastest_of(self.variants.iter())
    }

    /// The most workers any of its variants ran with.
    pub fn most_workers(&self) -> usize {
        self.variants.iter().map(|v| v.workers).max().unwrap_or(1)
    }

    /// The measured parallelism, when it fell short of what its computing
    /// variants asked for: then a speedup says more about the machine's
    /// load than about the variant, and conclusions are qualified.
    pub fn shortfall(&self) -> Option<&Available> {
        self.available.as_ref().filter(|a| self.computing && a.falls_short_of(self.wanted_parallelism()))
    }

    /// The most tasks any variant could have computed at once on this
    /// machine: its parallelism (workers, at most the tasks and the cores).
    pub fn wanted_parallelism(&self) -> usize {
        self.variants.iter().map(|v| v.parallelism).max().unwrap_or(1)
    }
}

/// A sequential run whose CPU/wall is above this keeps its core busy: its
/// tasks compute, and no more of them can progress at once than there are
/// cores. Below it, most of the time is spent waiting.
pub const COMPUTING: f64 = 0.5;

/// The fastest of `variants`: among those significantly faster than
/// sequential, the one with the largest speedup; when none is, the largest
/// speedup all the same. A large but uncertain speedup does not beat a
/// slightly smaller one that the data establishes.
pub fn fastest_of<'v>(variants: impl Iterator<Item = &'v VariantFigures>) -> Option<&'v VariantFigures> {
    variants
        .filter_map(|v| v.speedup.as_ref().map(|s| (v, (s.is_faster(), s.value))))
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(a.1 .1.total_cmp(&b.1 .1)))
        .map(|(v, _)| v)
}

/// The cost of starting one thread vs one process, in one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpawnCost {
    /// The group, e.g. `spawn/rust`.
    pub group: String,
    /// The language.
    pub lang: String,
    /// Starting, feeding and joining one thread.
    pub thread: Level,
    /// Starting, feeding and waiting for one process.
    pub process: Level,
    /// How many times a thread is cheaper than a process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Factor>,
}

/// Everything derived from a suite run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Derived {
    /// Logical cores of the machine (the ceiling of parallel computation).
    pub cores: usize,
    /// Tasks per workload.
    pub tasks: usize,
    /// Per workload and language.
    pub workloads: Vec<WorkloadFigures>,
    /// Per language.
    pub spawn: Vec<SpawnCost>,
    /// Spawn-cost benchmarks that failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spawn_failed: Vec<FailedVariant>,
}

/// Group name → the parallelism the machine gave it (see [`crate::available`]).
pub type Readings = std::collections::BTreeMap<String, Available>;

/// Derives the figures of a run from its results and failures, on a
/// machine with `cores` logical cores, with `tasks` tasks per workload.
pub fn derive(benchmarks: &[BenchmarkResult], failures: &[Failure], cores: usize, tasks: usize) -> Derived {
    derive_with(benchmarks, failures, Limits { tasks, cores }, &Readings::new())
}

/// [`derive()`], with the parallelism each group had: kept beside its
/// figures, and the yardstick of whether a user's workload computes (a
/// computing run on a loaded machine gets less than a core, so its CPU/wall
/// is compared with what one busy thread could get then).
pub fn derive_with(
    benchmarks: &[BenchmarkResult],
    failures: &[Failure],
    limits: Limits,
    readings: &Readings,
) -> Derived {
    let Limits { tasks, cores } = limits;
    let mut groups: Vec<&str> = Vec::new();
    for g in benchmarks.iter().filter_map(|b| b.group.as_deref()) {
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    let mut derived = Derived { cores, tasks, ..Derived::default() };
    for group in groups {
        let members: Vec<&BenchmarkResult> = benchmarks.iter().filter(|b| b.group.as_deref() == Some(group)).collect();
        let (what, lang) = group.split_once('/').unwrap_or((group, ""));
        if what == "spawn" {
            derived.spawn.extend(spawn_cost(group, lang, &members));
        } else {
            derived.workloads.push(workload(group, (what, lang), &members, failures, limits, readings.get(group)));
        }
    }
    derived.spawn_failed = failures
        .iter()
        .filter(|f| f.name.starts_with("spawn/"))
        .map(|f| FailedVariant { id: f.name.clone(), reason: f.reason.clone() })
        .collect();
    // A group whose every benchmark failed has no results, only failures.
    for f in failures {
        let Some((group, _)) = f.name.rsplit_once('/') else { continue };
        let (what, lang) = group.split_once('/').unwrap_or((group, ""));
        if what != "spawn" && !derived.workloads.iter().any(|w| w.group == group) {
            derived.workloads.push(workload(group, (what, lang), &[], failures, limits, readings.get(group)));
        }
    }
    derived
}

/// What bounds the parallelism of a variant besides its workers.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Tasks per workload.
    pub tasks: usize,
    /// Logical cores of the machine.
    pub cores: usize,
}

impl Limits {
    /// Parallelism of `workers` workers on a workload that is `computing`
    /// or not (see the module docs).
    fn parallelism(self, computing: bool, workers: usize) -> usize {
        let p = workers.min(self.tasks.max(1));
        if computing {
            p.min(self.cores.max(1))
        } else {
            p
        }
    }
}

fn workload(
    group: &str,
    (what, lang): (&str, &str),
    members: &[&BenchmarkResult],
    failures: &[Failure],
    limits: Limits,
    available: Option<&Available>,
) -> WorkloadFigures {
    let sequential = members.iter().copied().find(|b| is_sequential(b));
    let one_thread = available.map_or(1.0, |a| a.measured.min(1.0));
    let computing = match WorkloadKind::parse(what) {
        Ok(kind) => matches!(kind, WorkloadKind::Cpu | WorkloadKind::Transfer),
        Err(_) => sequential.and_then(BenchmarkResult::cpu_utilisation).is_some_and(|u| u > COMPUTING * one_thread),
    };
    let others: Vec<&BenchmarkResult> = members.iter().copied().filter(|b| !is_sequential(b)).collect();
    let mut comparisons: Vec<Option<PairedComparison>> =
        others.iter().map(|b| sequential.and_then(|s| compare::compare_on(s, b, ClockKind::Wall))).collect();
    adjust(&mut comparisons);
    let variants: Vec<VariantFigures> = others
        .iter()
        .zip(&comparisons)
        .map(|(b, c)| variant_figures(b, c.as_ref().map(Factor::from_comparison), |w| limits.parallelism(computing, w)))
        .collect();
    let duel = duel(&others, &variants);
    let prefix = format!("{group}/");
    let failed = failures
        .iter()
        .filter(|f| f.name.starts_with(&prefix))
        .map(|f| FailedVariant { id: f.name.clone(), reason: f.reason.clone() })
        .collect();
    WorkloadFigures {
        group: group.to_string(),
        workload: what.to_string(),
        lang: lang.to_string(),
        sequential: sequential.map(Level::of),
        variants,
        duel,
        failed,
        computing,
        available: available.copied(),
    }
}

/// Compares the fastest thread variant with the fastest process variant
/// (see [`fastest_of`]), when both exist.
fn duel(results: &[&BenchmarkResult], variants: &[VariantFigures]) -> Option<Duel> {
    let best = |processes: bool| {
        let v = fastest_of(variants.iter().filter(|v| v.uses_processes() == processes))?;
        let at = variants.iter().position(|x| std::ptr::eq(x, v))?;
        Some((results[at], v))
    };
    let ((tb, tv), (pb, pv)) = (best(false)?, best(true)?);
    let comparison = compare::compare_on(pb, tb, ClockKind::Wall)?;
    Some(Duel { threads: tv.label(), processes: pv.label(), factor: Factor::from_comparison(&comparison) })
}

fn is_sequential(b: &BenchmarkResult) -> bool {
    b.parameters.get("variant").is_some_and(|v| v == VariantKind::Sequential.name())
}

/// Benjamini-Hochberg across the comparisons that exist.
fn adjust(comparisons: &mut [Option<PairedComparison>]) {
    let mut present: Vec<PairedComparison> = comparisons.iter().flatten().cloned().collect();
    compare::adjust_for_many(&mut present);
    let mut adjusted = present.into_iter();
    for c in comparisons.iter_mut().filter(|c| c.is_some()) {
        *c = adjusted.next();
    }
}

fn variant_figures(
    b: &BenchmarkResult,
    speedup: Option<Factor>,
    parallelism_of: impl Fn(usize) -> usize,
) -> VariantFigures {
    let workers = b.parameters.get("workers").and_then(|w| w.parse().ok()).unwrap_or(1);
    let parallelism = parallelism_of(workers);
    let s = speedup.as_ref().map(|f| f.value);
    VariantFigures {
        variant: b.parameters.get("variant").cloned().unwrap_or_else(|| b.name.clone()),
        workers,
        parallelism,
        level: Level::of(b),
        efficiency: s.map(|s| s / parallelism as f64),
        serial_fraction: s.and_then(|s| karp_flatt(s, parallelism)),
        speedup,
    }
}

/// The Karp–Flatt serial fraction of speedup `s` on `p` processors;
/// `None` for `p` < 2 (undefined) or a speedup that is not positive.
pub fn karp_flatt(s: f64, p: usize) -> Option<f64> {
    if p < 2 || !(s > 0.0 && s.is_finite()) {
        return None;
    }
    let p = p as f64;
    Some((1.0 / s - 1.0 / p) / (1.0 - 1.0 / p))
}

fn spawn_cost(group: &str, lang: &str, members: &[&BenchmarkResult]) -> Option<SpawnCost> {
    let find = |what: &str| members.iter().copied().find(|b| b.parameters.get("spawn").is_some_and(|s| s == what));
    let (thread, process) = (find("thread")?, find("process")?);
    // Compared as process against thread: "a thread is N× cheaper".
    let ratio = compare::compare_on(process, thread, ClockKind::Wall).map(|c| Factor::from_comparison(&c));
    Some(SpawnCost {
        group: group.to_string(),
        lang: lang.to_string(),
        thread: Level::of(thread),
        process: Level::of(process),
        ratio,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{result, run};

    #[test]
    fn karp_flatt_is_zero_for_perfect_and_one_for_no_gain() {
        assert_eq!(karp_flatt(2.0, 2), Some(0.0));
        assert!((karp_flatt(1.0, 4).unwrap() - 1.0).abs() < 1e-12);
        // S = 1/(e + (1-e)/p) inverts it.
        let (e, p) = (0.1, 8usize);
        let s = 1.0 / (e + (1.0 - e) / p as f64);
        assert!((karp_flatt(s, p).unwrap() - e).abs() < 1e-12);
        assert_eq!(karp_flatt(1.5, 1), None);
        assert_eq!(karp_flatt(0.0, 2), None);
    }

    #[test]
    fn speedups_efficiency_and_failures_per_group() {
        let (benchmarks, failures) = run();
        let d = derive(&benchmarks, &failures, 2, 8);
        let groups: Vec<&str> = d.workloads.iter().map(|w| w.group.as_str()).collect();
        assert_eq!(groups, ["cpu/rust", "io/rust"]);
        let cpu = &d.workloads[0];
        assert_eq!(cpu.sequential.as_ref().unwrap().id, "cpu/rust/sequential");
        let pool = cpu.variants.iter().find(|v| v.variant == "thread-pool" && v.workers == 4).unwrap();
        // 4 workers computing on 2 cores: speedup about 2 (40 ms → 20 ms),
        // which is all 2 cores can give: parallelism 2, efficiency about 1.
        assert_eq!(pool.parallelism, 2);
        let s = pool.speedup.as_ref().unwrap();
        assert!((s.value - 2.0).abs() < 0.05, "{s:?}");
        assert!(s.ci.lo <= s.value && s.value <= s.ci.hi && s.is_faster());
        assert!((pool.efficiency.unwrap() - s.value / 2.0).abs() < 1e-12);
        let e = pool.serial_fraction.unwrap();
        assert!((e - (1.0 / s.value - 0.5) / 0.5).abs() < 1e-12, "{e}");
        // Waiting tasks overlap beyond the cores, computing ones do not.
        let one_core = derive(&benchmarks, &failures, 1, 8);
        let parallelism =
            |d: &Derived, w: usize| d.workloads[w].variants.iter().map(|v| v.parallelism).collect::<Vec<_>>();
        assert_eq!(parallelism(&one_core, 1), [2, 2], "io threads ×2 and process-pool ×2 on one core");
        assert!(parallelism(&one_core, 0).iter().all(|&p| p == 1), "cpu on one core");
        let one_task = derive(&benchmarks, &failures, 8, 1);
        assert_eq!(parallelism(&one_task, 1), [1, 1], "no more in flight than tasks");
        assert_eq!(cpu.fastest().unwrap().label(), "thread-pool ×4");
        assert_eq!(cpu.failed.len(), 1);
        assert!(cpu.failed[0].reason.contains("SIGABRT"));
        let spawn = &d.spawn[0];
        let ratio = spawn.ratio.as_ref().unwrap();
        assert!((ratio.value - 40.0).abs() < 2.0, "{ratio:?}");
    }

    #[test]
    fn a_certain_speedup_beats_a_larger_uncertain_one() {
        let v = |variant: &str, value: f64, verdict| VariantFigures {
            variant: variant.into(),
            workers: 2,
            parallelism: 2,
            level: Level {
                id: variant.into(),
                median_ns: 1e6 / value,
                median_ci: Interval::new(0.9e6 / value, 1.1e6 / value),
                cpu_ns: None,
                utilisation: None,
            },
            speedup: Some(Factor { value, ci: Interval::new(value * 0.5, value * 1.5), p_value: 0.02, verdict }),
            efficiency: None,
            serial_fraction: None,
        };
        let certain = v("threads", 1.5, PairedVerdict::Faster);
        let wild = v("rayon", 1.9, PairedVerdict::NoDifference);
        let slow = v("processes", 0.5, PairedVerdict::Slower);
        assert_eq!(fastest_of([&wild, &certain, &slow].into_iter()).unwrap().variant, "threads");
        assert_eq!(fastest_of([&slow, &wild].into_iter()).unwrap().variant, "rayon");
        assert!(fastest_of(std::iter::empty()).is_none());
    }

    #[test]
    fn a_group_without_results_still_lists_its_failures() {
        let failures = vec![Failure { name: "cpu/python/sequential".into(), host: None, reason: "boom".into() }];
        let d = derive(&[result("io/rust", "sequential", None, 1e6, 0)], &failures, 2, 8);
        assert_eq!(d.workloads.len(), 2);
        assert_eq!(d.workloads[1].group, "cpu/python");
        assert!(d.workloads[1].sequential.is_none());
        assert_eq!(d.workloads[1].failed[0].reason, "boom");
    }
}

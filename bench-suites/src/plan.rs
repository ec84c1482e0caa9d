//! What a suite run consists of: which languages, workloads, variants and
//! worker counts, how big each task is, how long each benchmark is sampled —
//! and the metron benchmarks that follow from it.
//!
//! # Naming (what the report draws from)
//!
//! Every group is `<workload>/<lang>` (e.g. `cpu/rust`) or `spawn/<lang>`.
//! Benchmarks carry the parameters `lang`, `variant` and, except the
//! sequential reference, `workers`; the report draws one scaling line per
//! variant with `workers` on the x axis, the sequential time as a level
//! line, and speedups against it.
//!
//! # Sizes
//!
//! Task sizes are chosen so that one run of a workload takes tens of
//! milliseconds on a current machine: long enough that process start-up
//! does not hide everything else, short enough that the whole default run
//! stays around a minute on two cores. `--size` scales every task, and
//! `--tasks` changes their number, to move the crossover where process
//! start-up cost dominates small tasks.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use metron::analysis::BenchmarkMeta;
use metron::runner::{Benchmark, Order, RunConfig};
use metron::sampler::{Iterations, SamplerConfig, Warmup};

use crate::error::{Error, Result};
use crate::python_suite::PythonSuite;
use crate::spawn::{SpawnRoutine, Spawnee};
use crate::user::{PythonWork, UserWork};
use crate::variant::VariantKind;
use crate::variant_routine::VariantRoutine;
use crate::worker::WorkerCommand;
use crate::workload::{Job, TaskSize, WorkloadKind, WorkloadSpec};

/// The language a benchmark is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// This crate's variants.
    Rust,
    /// `python/metron_suite.py`, through a driver.
    Python,
    /// Shell commands (the user's own workload only).
    Shell,
}

impl Lang {
    /// `rust` or `python`.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::Python => "python",
            Lang::Shell => "shell",
        }
    }

    /// Whether this language has the variant (Python has no rayon; a shell
    /// command runs sequentially or as processes, N at a time).
    pub fn has(self, variant: VariantKind) -> bool {
        match self {
            Lang::Rust => true,
            Lang::Python => variant != VariantKind::Rayon,
            Lang::Shell => matches!(variant, VariantKind::Sequential | VariantKind::Processes),
        }
    }
}

/// How long the whole run may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Every worker count, a full sampling budget (about a minute on 2 cores).
    #[default]
    Full,
    /// One worker count, smaller tasks, short budgets (seconds): `--quick`.
    Quick,
}

/// What a group measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// A workload under every variant.
    Workload(WorkloadKind),
    /// Starting one thread vs one process.
    Spawn,
    /// The user's own workload ([`SuitePlan::user`]).
    User,
}

/// One group of benchmarks, run together in interleaved rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    /// The language.
    pub lang: Lang,
    /// What it measures.
    pub kind: GroupKind,
}

impl Group {
    /// `cpu/rust`, `spawn/python`, …
    pub fn name(&self) -> String {
        let what = match self.kind {
            GroupKind::Workload(w) => w.name(),
            GroupKind::Spawn => "spawn",
            GroupKind::User => crate::user::WORKLOAD,
        };
        format!("{what}/{}", self.lang.name())
    }
}

/// What runs the benchmarks: the worker processes' command and, for the
/// Python groups, the interpreter.
#[derive(Debug)]
pub struct Toolkit {
    /// Starts one Rust worker process.
    pub worker: WorkerCommand,
    /// The Python side, when there is one.
    pub python: Option<PythonSuite>,
}

/// A whole suite run.
#[derive(Debug, Clone, PartialEq)]
pub struct SuitePlan {
    /// Quick or full.
    pub scale: Scale,
    /// Languages, in order.
    pub langs: Vec<Lang>,
    /// Workloads, in order.
    pub workloads: Vec<WorkloadKind>,
    /// Variants (sequential is always measured as the reference).
    pub variants: Vec<VariantKind>,
    /// Worker counts of every non-sequential variant.
    pub workers: Vec<usize>,
    /// Tasks per workload.
    pub tasks: usize,
    /// Factor on every task's size.
    pub size: f64,
    /// Sampling budget per benchmark.
    pub time_budget: Duration,
    /// Fewest samples per benchmark.
    pub min_samples: usize,
    /// Seed of the round order and of the bootstrap.
    pub seed: u64,
    /// The user's own workload, run instead of the built-in ones.
    pub user: Option<UserWork>,
}

/// Most workers a variant may start. Far more threads or processes than
/// cores only measures the scheduler, and a typo such as `--workers 100000`
/// would otherwise start that many before anything is reported.
pub const MAX_WORKERS: usize = 1024;

/// Most tasks a workload may be split into: over a thousand times the
/// default of 8. Tasks are prepared up front (one input each), so a typo
/// such as `--tasks 99999999999` would otherwise fail on allocation.
pub const MAX_TASKS: usize = 10_000;

/// Largest `--size` factor. A task's wait is scaled as a `Duration`, which
/// cannot hold arbitrarily large factors; a thousand times the default is
/// already minutes per task.
pub const MAX_SIZE: f64 = 1000.0;

/// Most bytes one workload may prepare and move (transfer inputs, io
/// files, summed over its tasks): the inputs are all held in memory, and
/// every variant makes outputs as large. The default at the top worker
/// count (1024 tasks of 1 MiB) just fits.
pub const MAX_WORKLOAD_BYTES: usize = 1 << 30;

/// Logical cores available to this process.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// 1, 2, 4, … up to twice the core count, plus the core count and twice
/// it when they are not powers of two.
pub fn default_workers(cores: usize) -> Vec<usize> {
    let top = 2 * cores.max(1);
    let mut w: Vec<usize> = std::iter::successors(Some(1usize), |n| Some(n * 2)).take_while(|&n| n <= top).collect();
    w.extend([cores.max(1), top]);
    w.sort_unstable();
    w.dedup();
    w
}

/// Tasks per workload unless asked otherwise: 8, or the largest worker
/// count when that is more, so every worker has a task.
pub fn default_tasks(workers: &[usize]) -> usize {
    8.max(workers.iter().copied().max().unwrap_or(1))
}

impl SuitePlan {
    /// The plan for `scale` on this machine: both languages, every workload
    /// and variant.
    pub fn new(scale: Scale) -> SuitePlan {
        let cores = cores();
        let workers = match scale {
            Scale::Full => default_workers(cores),
            Scale::Quick => vec![cores.max(2)],
        };
        let tasks = default_tasks(&workers);
        let (time_budget, min_samples) = match scale {
            Scale::Full => (Duration::from_millis(300), 8),
            // Ten samples even when quick: a process pool's times scatter
            // on a small machine, and five leave its speedup's CI too wide
            // to say anything.
            Scale::Quick => (Duration::from_millis(100), 10),
        };
        SuitePlan {
            scale,
            langs: vec![Lang::Rust, Lang::Python],
            workloads: WorkloadKind::ALL.to_vec(),
            variants: VariantKind::ALL.to_vec(),
            workers,
            tasks,
            size: 1.0,
            time_budget,
            min_samples,
            seed: RunConfig::default().seed,
            user: None,
        }
    }

    /// The plan for the user's own workload: its language only, every
    /// variant that language has, no built-in workloads. The tasks are the
    /// items (for Python, known once [`PythonWork::probe`](crate::user::PythonWork::probe) ran).
    pub fn for_user(scale: Scale, work: UserWork) -> SuitePlan {
        let mut plan = SuitePlan::new(scale);
        plan.langs = vec![work.lang()];
        plan.workloads = Vec::new();
        if let UserWork::Shell(s) = &work {
            plan.tasks = s.items().len();
        }
        if let UserWork::Python(PythonWork { probe: Some(p), .. }) = &work {
            plan.tasks = p.items;
        }
        plan.user = Some(work);
        plan
    }

    /// Checks the plan.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the setting at fault.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: &str| Err(Error::InvalidConfig(m.into()));
        if self.workers.is_empty() || self.workers.contains(&0) {
            return bad("worker counts must be at least 1");
        }
        if let Some(w) = self.workers.iter().find(|&&w| w > MAX_WORKERS) {
            return Err(Error::InvalidConfig(format!("--workers {w}: at most {MAX_WORKERS} workers")));
        }
        if self.tasks == 0 {
            return bad("--tasks must be at least 1");
        }
        if self.tasks > MAX_TASKS {
            return Err(Error::InvalidConfig(format!("--tasks {}: at most {MAX_TASKS} tasks", self.tasks)));
        }
        if !(self.size.is_finite() && self.size > 0.0) {
            return bad("--size must be a positive number");
        }
        if self.size > MAX_SIZE {
            return Err(Error::InvalidConfig(format!("--size must be at most {MAX_SIZE} (got {:?})", self.size)));
        }
        if self.langs.is_empty() || (self.workloads.is_empty() && self.user.is_none()) {
            return bad("nothing to run");
        }
        if self.min_samples == 0 {
            return bad("--min-runs must be at least 1");
        }
        self.check_data()
    }

    /// Checks that no workload prepares more than [`MAX_WORKLOAD_BYTES`],
    /// before anything runs rather than when its group comes up.
    fn check_data(&self) -> Result<()> {
        for &lang in &self.langs {
            for &kind in &self.workloads {
                let spec = self.spec(lang, kind);
                let per_task = spec.size.bytes.saturating_add(spec.size.files.saturating_mul(spec.size.file_bytes));
                let total = per_task.saturating_mul(spec.tasks);
                if total > MAX_WORKLOAD_BYTES {
                    return Err(Error::InvalidConfig(format!(
                        "{kind}/{}: {} tasks × {} KiB is more than {} MiB of data; lower --tasks or --size",
                        lang.name(),
                        spec.tasks,
                        per_task / 1024,
                        MAX_WORKLOAD_BYTES >> 20
                    )));
                }
            }
        }
        Ok(())
    }

    /// The workload at this plan's size, for `lang`.
    pub fn spec(&self, lang: Lang, kind: WorkloadKind) -> WorkloadSpec {
        let base = base_size(lang, kind, self.scale);
        let f = self.size;
        let scaled = TaskSize {
            steps: (base.steps as f64 * f).round() as u64,
            wait: base.wait.mul_f64(f),
            files: base.files,
            file_bytes: (base.file_bytes as f64 * f).round() as usize,
            bytes: (base.bytes as f64 * f).round() as usize,
        };
        WorkloadSpec::new(kind, self.tasks, scaled)
    }

    /// What each workload group computes, for people: `cpu/rust` →
    /// `8 tasks × (2,000,000 hash steps)`.
    pub fn describe_groups(&self) -> BTreeMap<String, String> {
        self.groups()
            .iter()
            .filter_map(|g| match g.kind {
                GroupKind::Workload(w) => Some((g.name(), self.spec(g.lang, w).describe())),
                GroupKind::User => Some((g.name(), self.user.as_ref()?.describe(&self.workers))),
                GroupKind::Spawn => None,
            })
            .collect()
    }

    /// The groups, in the order they run: per language, spawn cost first,
    /// then each workload.
    pub fn groups(&self) -> Vec<Group> {
        if let Some(work) = &self.user {
            let lang = work.lang();
            let spawn = (lang == Lang::Python).then_some(Group { lang, kind: GroupKind::Spawn });
            return spawn.into_iter().chain([Group { lang, kind: GroupKind::User }]).collect();
        }
        let mut groups = Vec::new();
        for &lang in &self.langs {
            groups.push(Group { lang, kind: GroupKind::Spawn });
            groups.extend(self.workloads.iter().map(|&w| Group { lang, kind: GroupKind::Workload(w) }));
        }
        groups
    }

    /// The variants and worker counts of a workload group: sequential (no
    /// worker count) first, then every other variant at every worker count.
    pub fn members(&self, lang: Lang) -> Vec<(VariantKind, Option<usize>)> {
        let mut out = vec![(VariantKind::Sequential, None)];
        for &v in self.variants.iter().filter(|&&v| v.has_workers() && lang.has(v)) {
            out.extend(self.workers.iter().map(|&w| (v, Some(w))));
        }
        out
    }

    /// Sampling of workload groups: one run of the workload per sample,
    /// one untimed warm-up run (which also checks the answer once and warms
    /// the pools), then samples until the budget is spent.
    pub fn run_config(&self) -> RunConfig {
        RunConfig {
            sampler: SamplerConfig {
                iterations: Iterations::Fixed(1),
                warmup: Warmup::Runs(1),
                min_samples: self.min_samples,
                max_samples: 1000,
                precision: Some(0.02),
                time_budget: self.time_budget,
                ..SamplerConfig::default()
            },
            order: Order::Interleaved,
            seed: self.seed,
            replicates: metron::runner::DEFAULT_REPLICATES,
            pin: Vec::new(),
        }
    }

    /// Sampling of spawn groups: several starts per sample (a thread starts
    /// in microseconds), the same budget.
    pub fn spawn_run_config(&self) -> RunConfig {
        let mut config = self.run_config();
        config.sampler.iterations = Iterations::Auto;
        config.sampler.target_sample_time = Some(Duration::from_millis(5));
        config.sampler.min_samples = self.min_samples.max(10);
        config
    }

    /// The run configuration of a group.
    pub fn config_for(&self, group: &Group) -> RunConfig {
        match group.kind {
            GroupKind::Spawn => self.spawn_run_config(),
            GroupKind::Workload(_) | GroupKind::User => self.run_config(),
        }
    }

    /// The benchmarks of a group, ready for the runner. A Rust workload is
    /// prepared here (files written, inputs built) and shared by its variants.
    ///
    /// # Errors
    /// A Python group without an interpreter, or a workload that cannot be prepared.
    pub fn benchmarks(&self, group: &Group, kit: &Toolkit) -> Result<Vec<Benchmark<'static>>> {
        let python = || kit.python.as_ref().ok_or_else(|| Error::Python("no Python interpreter".into()));
        match (group.kind, group.lang) {
            (GroupKind::User, lang) => self.user_benchmarks(group, lang, kit),
            (GroupKind::Spawn, Lang::Shell) | (GroupKind::Workload(_), Lang::Shell) => {
                Err(Error::InvalidConfig("the shell has only the user's own workload".into()))
            }
            (GroupKind::Spawn, Lang::Rust) => Ok(vec![
                spawn_bench(group, "thread", SpawnRoutine::new(Spawnee::Thread)),
                spawn_bench(group, "process", SpawnRoutine::new(Spawnee::Process(kit.worker.clone()))),
            ]),
            (GroupKind::Spawn, Lang::Python) => {
                let py = python()?;
                Ok(vec![
                    spawn_bench(group, "thread", py.spawn("thread")),
                    spawn_bench(group, "process", py.spawn("process")),
                ])
            }
            (GroupKind::Workload(kind), Lang::Rust) => {
                let job = Arc::new(Job::prepare(self.spec(Lang::Rust, kind))?);
                Ok(self
                    .members(Lang::Rust)
                    .into_iter()
                    .map(|(v, w)| {
                        let routine = VariantRoutine::new(v.build(w.unwrap_or(1), &kit.worker), Arc::clone(&job));
                        Benchmark::new(meta(group, v, w), routine)
                    })
                    .collect())
            }
            (GroupKind::Workload(kind), Lang::Python) => {
                let py = python()?;
                let spec = self.spec(Lang::Python, kind);
                self.members(Lang::Python)
                    .into_iter()
                    .map(|(v, w)| Ok(Benchmark::new(meta(group, v, w), py.workload(&spec, v, w.unwrap_or(1))?)))
                    .collect()
            }
        }
    }
}

impl SuitePlan {
    /// The benchmarks of the user's workload: one per variant and worker count.
    fn user_benchmarks(&self, group: &Group, lang: Lang, kit: &Toolkit) -> Result<Vec<Benchmark<'static>>> {
        let members = self.members(lang).into_iter();
        match &self.user {
            Some(UserWork::Python(work)) => {
                let py = kit.python.as_ref().ok_or_else(|| Error::Python("no Python interpreter".into()))?;
                members
                    .map(|(v, w)| Ok(Benchmark::new(meta(group, v, w), work.routine(py, v, w.unwrap_or(1))?)))
                    .collect()
            }
            Some(UserWork::Shell(work)) => {
                Ok(members.map(|(v, w)| Benchmark::new(meta(group, v, w), work.routine(w.unwrap_or(1)))).collect())
            }
            None => Err(Error::InvalidConfig("no user workload in this plan".into())),
        }
    }
}

/// The description of one workload benchmark (see the module's naming rules).
pub fn meta(group: &Group, variant: VariantKind, workers: Option<usize>) -> BenchmarkMeta {
    let mut parameters = BTreeMap::from([
        ("lang".to_string(), group.lang.name().to_string()),
        ("variant".to_string(), variant.name().to_string()),
    ]);
    let name = match workers {
        Some(w) => {
            parameters.insert("workers".into(), w.to_string());
            format!("{variant} ×{w}")
        }
        None => variant.name().to_string(),
    };
    BenchmarkMeta { name, group: Some(group.name()), parameters, command: None, setup: None }
}

fn spawn_bench(group: &Group, what: &str, routine: impl metron::Routine + 'static) -> Benchmark<'static> {
    let parameters =
        BTreeMap::from([("lang".to_string(), group.lang.name().to_string()), ("spawn".to_string(), what.to_string())]);
    let meta =
        BenchmarkMeta { name: what.to_string(), group: Some(group.name()), parameters, command: None, setup: None };
    Benchmark::new(meta, routine)
}

/// Task sizes at `--size 1`. Python computes roughly 100× slower than Rust
/// per hash step (about 0.2 µs against 2 ns), so its `cpu` tasks have far
/// fewer steps, yet a few milliseconds each: shorter, and a process pool's
/// per-task pickling and pipe round trip (a fraction of a millisecond)
/// would hide what processes gain over the GIL. Waits, files and transfers
/// are the same size in both.
fn base_size(lang: Lang, kind: WorkloadKind, scale: Scale) -> TaskSize {
    let quick = scale == Scale::Quick;
    let steps = match (lang, quick) {
        (Lang::Rust, false) => 2_000_000,
        (Lang::Rust, true) => 1_000_000,
        // The shell has no built-in workloads; Python's sizes are a bound.
        (Lang::Python | Lang::Shell, false) => 30_000,
        (Lang::Python | Lang::Shell, true) => 20_000,
    };
    let wait = Duration::from_micros(if quick { 2_000 } else { 3_000 });
    match kind {
        WorkloadKind::Cpu => TaskSize { steps, ..TaskSize::default() },
        WorkloadKind::Io => TaskSize { wait, files: 2, file_bytes: 16 * 1024, ..TaskSize::default() },
        WorkloadKind::Mixed => TaskSize { steps: steps / 2, wait: wait / 2, ..TaskSize::default() },
        WorkloadKind::Transfer => {
            TaskSize { bytes: if quick { 512 * 1024 } else { 1024 * 1024 }, ..TaskSize::default() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_counts_double_up_to_twice_the_cores() {
        assert_eq!(default_workers(1), vec![1, 2]);
        assert_eq!(default_workers(2), vec![1, 2, 4]);
        assert_eq!(default_workers(6), vec![1, 2, 4, 6, 8, 12]);
        assert_eq!(default_workers(8), vec![1, 2, 4, 8, 16]);
    }

    #[test]
    fn members_and_names_follow_the_report_conventions() {
        let mut plan = SuitePlan::new(Scale::Quick);
        plan.workers = vec![2];
        let python = plan.members(Lang::Python);
        assert!(python.iter().all(|(v, _)| *v != VariantKind::Rayon));
        assert_eq!(plan.members(Lang::Rust).len(), 6);
        let group = Group { lang: Lang::Rust, kind: GroupKind::Workload(WorkloadKind::Cpu) };
        let m = meta(&group, VariantKind::ThreadPool, Some(2));
        assert_eq!(m.id(), "cpu/rust/thread-pool ×2");
        assert_eq!(m.parameters["workers"], "2");
        assert_eq!(m.parameters["variant"], "thread-pool");
        let seq = meta(&group, VariantKind::Sequential, None);
        assert!(!seq.parameters.contains_key("workers"));
        assert_eq!(plan.groups().len(), 10);
    }

    #[test]
    fn absurd_sizes_are_refused_before_anything_runs() {
        let with = |f: &dyn Fn(&mut SuitePlan)| {
            let mut plan = SuitePlan::new(Scale::Full);
            f(&mut plan);
            plan.validate().map_err(|e| e.to_string())
        };
        assert!(with(&|p| p.workers = vec![1, MAX_WORKERS]).is_ok());
        assert!(with(&|p| p.workers = vec![1, MAX_WORKERS + 1]).unwrap_err().contains("--workers 1025"));
        assert!(with(&|p| p.tasks = MAX_TASKS + 1).unwrap_err().contains("--tasks 10001"));
        assert!(with(&|p| p.size = 1e30).unwrap_err().contains("--size"));
        let data = with(&|p| p.tasks = MAX_TASKS).unwrap_err();
        assert!(data.contains("transfer/rust: 10000 tasks × 1024 KiB"), "{data}");
        // The default at the top worker count fits.
        assert!(with(&|p| p.tasks = default_tasks(&[MAX_WORKERS])).is_ok());
    }
}

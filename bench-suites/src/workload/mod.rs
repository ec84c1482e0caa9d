//! Workloads: what is computed, split into tasks, with the answer it must give.
//!
//! | workload | a task | stands for |
//! |---|---|---|
//! | `cpu` | a hash chain of `steps` steps | pure computation |
//! | `io` | a blocking wait, then reading small files | network or disk latency, and real small reads |
//! | `mixed` | a hash chain, then a wait | a request that computes, then waits on a backend |
//! | `transfer` | a large input mapped byte by byte into a large output | what copying data between processes costs |
//!
//! Every workload is deterministic. A [`Job`] is a workload prepared for
//! running (its files written, its inputs built) together with the checksum
//! every variant must reproduce; the expected checksum is computed by
//! [`WorkloadSpec::reference_checksum`] straight from the spec, without
//! threads, processes, waits or files, so it checks the variants rather than
//! repeating them.

pub mod checksum;
pub mod files;
pub mod task;

use std::sync::Arc;
use std::time::Duration;

pub use task::{execute, Output, Task, Waits};

use crate::error::{Error, Result};

/// The four workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkloadKind {
    /// Pure computation.
    Cpu,
    /// Blocking waits plus small file reads.
    Io,
    /// Computation, then a wait.
    Mixed,
    /// Large input in, large output back.
    Transfer,
}

impl WorkloadKind {
    /// Every workload, in the order the suite runs them.
    pub const ALL: [WorkloadKind; 4] =
        [WorkloadKind::Cpu, WorkloadKind::Io, WorkloadKind::Mixed, WorkloadKind::Transfer];

    /// The name used in groups, flags and the Python driver.
    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Cpu => "cpu",
            WorkloadKind::Io => "io",
            WorkloadKind::Mixed => "mixed",
            WorkloadKind::Transfer => "transfer",
        }
    }

    /// The workload called `name`.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for an unknown name.
    pub fn parse(name: &str) -> Result<WorkloadKind> {
        WorkloadKind::ALL.into_iter().find(|k| k.name() == name).ok_or_else(|| {
            Error::InvalidConfig(format!("unknown workload '{name}' (expected cpu, io, mixed or transfer)"))
        })
    }
}

impl std::fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What each task of a workload does. Fields a workload does not use are zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskSize {
    /// Hash-chain steps (`cpu`, `mixed`).
    pub steps: u64,
    /// Blocking wait (`io`, `mixed`).
    pub wait: Duration,
    /// Files read (`io`).
    pub files: usize,
    /// Size of each file (`io`).
    pub file_bytes: usize,
    /// Bytes in, and the same number out (`transfer`).
    pub bytes: usize,
}

/// A workload at a size: which one, how many tasks, how big each is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkloadSpec {
    /// Which workload.
    pub kind: WorkloadKind,
    /// How many tasks the work is split into (the same for every variant).
    pub tasks: usize,
    /// What each task does.
    pub size: TaskSize,
}

impl WorkloadSpec {
    /// A spec, keeping only the parts of `size` that `kind` uses.
    pub fn new(kind: WorkloadKind, tasks: usize, size: TaskSize) -> WorkloadSpec {
        let z = TaskSize::default();
        let size = match kind {
            WorkloadKind::Cpu => TaskSize { steps: size.steps, ..z },
            WorkloadKind::Io => TaskSize { wait: size.wait, files: size.files, file_bytes: size.file_bytes, ..z },
            WorkloadKind::Mixed => TaskSize { steps: size.steps, wait: size.wait, ..z },
            WorkloadKind::Transfer => TaskSize { bytes: size.bytes, ..z },
        };
        WorkloadSpec { kind, tasks, size }
    }

    /// One line for people: `8 tasks × (3.0M hash steps, 4 ms wait)`.
    pub fn describe(&self) -> String {
        let s = &self.size;
        let mut parts = Vec::new();
        if s.steps > 0 {
            parts.push(format!("{} hash steps", metron::format::thousands(s.steps)));
        }
        if !s.wait.is_zero() {
            parts.push(format!("{} wait", metron::Nanos::from(s.wait)));
        }
        if s.files > 0 {
            parts.push(format!("{} × {} B file reads", s.files, s.file_bytes));
        }
        if s.bytes > 0 {
            parts.push(format!("{} KiB in and out", s.bytes / 1024));
        }
        format!("{} tasks × ({})", self.tasks, parts.join(", "))
    }

    /// The checksum every variant must compute, from the spec alone.
    pub fn reference_checksum(&self) -> u64 {
        let s = &self.size;
        (0..self.tasks).fold(0, |h, t| {
            let mut value = checksum::chain(checksum::seed(t), s.steps);
            for f in 0..s.files {
                value = checksum::mix(value ^ u64::from(checksum::adler32(&files::content(t, f, s.file_bytes))));
            }
            let data = checksum::translate(&checksum::pattern(7 * t, s.bytes));
            checksum::fold(h, value, &data)
        })
    }

    /// Checks the spec can run.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for zero tasks.
    pub fn validate(&self) -> Result<()> {
        if self.tasks == 0 {
            return Err(Error::InvalidConfig("a workload needs at least one task".into()));
        }
        Ok(())
    }
}

/// A workload ready to run: its tasks (shared, so pools can hold them), the
/// files they read, and the checksum every variant must reproduce.
#[derive(Debug)]
pub struct Job {
    spec: WorkloadSpec,
    tasks: Vec<Arc<Task>>,
    expected: u64,
    // Kept for the files' lifetime; removed when the job is dropped.
    _dir: Option<tempfile::TempDir>,
}

impl Job {
    /// Prepares `spec`: writes its files, builds its inputs, computes the
    /// expected checksum. Untimed work, done once per group of benchmarks.
    ///
    /// # Errors
    /// An invalid spec, or files that cannot be written.
    pub fn prepare(spec: WorkloadSpec) -> Result<Job> {
        spec.validate()?;
        let s = spec.size;
        let (dir, mut paths) = if s.files > 0 {
            let (dir, paths) = files::create(spec.tasks, s.files, s.file_bytes)?;
            (Some(dir), paths)
        } else {
            (None, vec![Vec::new(); spec.tasks])
        };
        let tasks = (0..spec.tasks)
            .map(|index| {
                Arc::new(Task {
                    index,
                    steps: s.steps,
                    wait: s.wait,
                    files: std::mem::take(&mut paths[index]),
                    input: if s.bytes > 0 { checksum::pattern(7 * index, s.bytes) } else { Vec::new() },
                })
            })
            .collect();
        Ok(Job { spec, tasks, expected: spec.reference_checksum(), _dir: dir })
    }

    /// The spec this job was prepared from.
    pub fn spec(&self) -> &WorkloadSpec {
        &self.spec
    }

    /// The tasks, in order.
    pub fn tasks(&self) -> &[Arc<Task>] {
        &self.tasks
    }

    /// The checksum every variant must compute.
    pub fn expected(&self) -> u64 {
        self.expected
    }

    /// Checks a variant's outputs: one per task, each in its own slot, and
    /// together the expected checksum.
    ///
    /// # Errors
    /// [`Error::Results`] or [`Error::Checksum`] describing the difference.
    pub fn verify(&self, outputs: &[Output]) -> Result<()> {
        if outputs.len() != self.tasks.len() {
            return Err(Error::Results(format!("{} results for {} tasks", outputs.len(), self.tasks.len())));
        }
        if let Some((slot, o)) = outputs.iter().enumerate().find(|(slot, o)| o.index != *slot) {
            return Err(Error::Results(format!("the result of task {} came back in slot {slot}", o.index)));
        }
        let got = checksum::combine(outputs);
        if got != self.expected {
            return Err(Error::Checksum { got, expected: self.expected });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: WorkloadKind) -> WorkloadSpec {
        let size = TaskSize { steps: 500, wait: Duration::from_micros(10), files: 2, file_bytes: 300, bytes: 1000 };
        WorkloadSpec::new(kind, 3, size)
    }

    #[test]
    fn running_the_tasks_gives_the_reference_checksum() {
        for kind in WorkloadKind::ALL {
            let job = Job::prepare(spec(kind)).unwrap();
            let outputs: Vec<Output> = job.tasks().iter().map(|t| execute(t, Waits::Real).unwrap()).collect();
            job.verify(&outputs).unwrap();
        }
    }

    #[test]
    fn wrong_or_misplaced_results_are_caught() {
        let job = Job::prepare(spec(WorkloadKind::Mixed)).unwrap();
        let mut outputs: Vec<Output> = job.tasks().iter().map(|t| execute(t, Waits::Skipped).unwrap()).collect();
        outputs[1].value ^= 1;
        assert!(matches!(job.verify(&outputs), Err(Error::Checksum { .. })));
        outputs[1].value ^= 1;
        outputs.swap(0, 2);
        assert!(job.verify(&outputs).unwrap_err().to_string().contains("slot 0"));
        outputs.pop();
        assert!(job.verify(&outputs).unwrap_err().to_string().contains("2 results for 3 tasks"));
    }

    #[test]
    fn specs_keep_only_what_their_workload_uses() {
        let cpu = spec(WorkloadKind::Cpu);
        assert_eq!(cpu.size, TaskSize { steps: 500, ..TaskSize::default() });
        assert_eq!(WorkloadSpec::new(WorkloadKind::Transfer, 2, cpu.size).size.steps, 0);
        assert_eq!(spec(WorkloadKind::Mixed).describe(), "3 tasks × (500 hash steps, 10.00 µs wait)");
        assert_eq!(WorkloadKind::parse("io").unwrap(), WorkloadKind::Io);
        assert!(WorkloadKind::parse("gpu").is_err());
    }
}

//! `rayon`: the pool Rust users actually pick — a work-stealing pool of
//! `workers` threads, with the tasks as a parallel iterator.
//!
//! The pool is built once per variant (not rayon's global pool) so that its
//! size is the worker count under test.

use std::panic::{catch_unwind, AssertUnwindSafe};

use rayon::prelude::*;

use super::{check_workers, Variant, VariantKind};
use crate::error::{Error, Result};
use crate::worker::panic_message;
use crate::workload::task::execute_here;
use crate::workload::{Job, Output};

/// A rayon pool of `workers` threads.
#[derive(Debug)]
pub struct RayonPool {
    workers: usize,
    pool: Option<rayon::ThreadPool>,
}

impl RayonPool {
    /// A pool of `workers` threads (built by [`Variant::start`]).
    pub fn new(workers: usize) -> RayonPool {
        RayonPool { workers, pool: None }
    }
}

impl Variant for RayonPool {
    fn kind(&self) -> VariantKind {
        VariantKind::Rayon
    }

    fn workers(&self) -> usize {
        self.workers
    }

    fn start(&mut self) -> Result<()> {
        let workers = check_workers(self.workers)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(workers)
            .thread_name(|k| format!("suite-rayon-{k}"))
            .build()
            .map_err(|e| Error::Failed(format!("cannot build the rayon pool: {e}")))?;
        self.pool = Some(pool);
        Ok(())
    }

    fn run(&mut self, job: &Job) -> Result<Vec<Output>> {
        let pool = self.pool.as_ref().ok_or_else(|| Error::Failed("the rayon pool is not built".into()))?;
        // `collect` into a Vec keeps task order; a panic in a task comes back
        // out of `install` and is reported, not propagated.
        catch_unwind(AssertUnwindSafe(|| pool.install(|| job.tasks().par_iter().map(|t| execute_here(t)).collect())))
            .unwrap_or_else(|panic| Err(Error::Failed(format!("a task panicked: {}", panic_message(&*panic)))))
    }

    fn stop(&mut self) -> Result<()> {
        self.pool = None;
        Ok(())
    }
}

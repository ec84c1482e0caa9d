//! `sequential`: the reference every speedup is measured against — the
//! tasks one after another in the calling thread, with no machinery at all.

use super::{Variant, VariantKind};
use crate::error::Result;
use crate::workload::task::execute_here;
use crate::workload::{Job, Output};

/// Runs the tasks one after another.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sequential;

impl Variant for Sequential {
    fn kind(&self) -> VariantKind {
        VariantKind::Sequential
    }

    fn workers(&self) -> usize {
        1
    }

    fn run(&mut self, job: &Job) -> Result<Vec<Output>> {
        job.tasks().iter().map(|t| execute_here(t)).collect()
    }
}

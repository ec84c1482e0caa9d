//! A variant running a workload, as a metron [`Routine`]: what the sampler
//! measures.
//!
//! One iteration is one complete run of the workload: every task dispatched,
//! every result back in this process. The timed region covers exactly that;
//! checking the checksum and dropping the outputs happen after the clocks
//! are read, so verification costs every variant nothing, yet no run counts
//! unless its answer is right. A wrong answer or a failed worker ends the
//! benchmark with an error that the runner records as a failed variant,
//! with the reason, while the rest of the suite goes on.
//!
//! CPU time is the process's own (all threads) plus reaped children
//! (`processes`), plus what long-lived pool workers reported for their tasks
//! (`process-pool`), so CPU/wall is the true utilisation of every variant.

use std::sync::Arc;

use metron::clock::Stamp;
use metron::model::RoutineKind;
use metron::routine::{Measurement, Routine};

use crate::variant::Variant;
use crate::workload::Job;

/// A variant and the job it runs.
pub struct VariantRoutine {
    variant: Box<dyn Variant>,
    job: Arc<Job>,
}

impl VariantRoutine {
    /// Measures `variant` running `job`.
    pub fn new(variant: Box<dyn Variant>, job: Arc<Job>) -> VariantRoutine {
        VariantRoutine { variant, job }
    }

    /// Runs the job once, untimed, and checks the answer: for tests and for
    /// checking a variant without measuring it.
    ///
    /// # Errors
    /// The variant's failure or a wrong answer.
    pub fn run_once(&mut self) -> crate::Result<Vec<crate::workload::Output>> {
        let outputs = self.variant.run(&self.job)?;
        self.job.verify(&outputs)?;
        Ok(outputs)
    }

    /// The variant, e.g. to start or stop it by hand.
    pub fn variant_mut(&mut self) -> &mut dyn Variant {
        self.variant.as_mut()
    }

    fn one(&mut self) -> crate::Result<Measurement> {
        let start = Stamp::start();
        let outputs = self.variant.run(&self.job)?;
        let (wall, cpu) = Stamp::end().since(start);
        let unseen: u64 = outputs.iter().filter_map(|o| o.worker_cpu_ns).sum();
        self.job.verify(&outputs)?;
        Ok(Measurement {
            iterations: 1,
            wall_ns: wall as f64,
            cpu_ns: cpu.map(|c| (c + unseen) as f64),
            ..Measurement::default()
        })
    }
}

impl std::fmt::Debug for VariantRoutine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VariantRoutine")
            .field("variant", &self.variant.kind())
            .field("workers", &self.variant.workers())
            .field("spec", self.job.spec())
            .finish()
    }
}

impl Routine for VariantRoutine {
    fn kind(&self) -> RoutineKind {
        RoutineKind::Closure
    }

    fn setup(&mut self) -> metron::Result<()> {
        Ok(self.variant.start()?)
    }

    fn measure(&mut self, iterations: u64) -> metron::Result<Measurement> {
        let mut total = Measurement::default();
        for _ in 0..iterations {
            total.accumulate(&self.one()?);
        }
        Ok(total)
    }

    fn teardown(&mut self) -> metron::Result<()> {
        Ok(self.variant.stop()?)
    }
}

/// `iterations` runs of `once` under one pair of clock readings (wall, and
/// CPU with reaped children): the measurement of routines whose every
/// iteration is alike and whose children are all reaped when it ends.
///
/// # Errors
/// The first failed iteration's error.
pub(crate) fn timed(iterations: u64, mut once: impl FnMut() -> crate::Result<()>) -> metron::Result<Measurement> {
    let start = Stamp::start();
    for _ in 0..iterations {
        once()?;
    }
    let (wall, cpu) = Stamp::end().since(start);
    Ok(Measurement { iterations, wall_ns: wall as f64, cpu_ns: cpu.map(|c| c as f64), ..Measurement::default() })
}

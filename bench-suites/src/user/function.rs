//! A user's Rust function `fn(&In) -> Out` over a `Vec<In>`, from a
//! `metron::main!` bench: sequential, scoped threads, a thread pool, rayon,
//! processes and a process pool, every variant's outputs compared with the
//! sequential ones.
//!
//! ```no_run
//! use metron_suites::user::function::FnWorkload;
//!
//! fn checksum(&(seed, rounds): &(u64, u64)) -> u64 {
//!     (0..rounds).fold(seed, |h, k| (h ^ k).wrapping_mul(0x0100_0000_01b3))
//! }
//!
//! fn concurrent(h: &mut metron::bench::Harness) {
//!     let inputs: Vec<(u64, u64)> = (0..32).map(|i| (i, 400_000)).collect();
//!     FnWorkload::new("checksum", checksum, inputs).workers(&[2, 4]).register(h);
//! }
//!
//! metron::main!(concurrent);
//! ```
//!
//! # How the process variants work
//!
//! The bench binary is its own worker: [`FnWorkload::register`] first checks
//! [`WORKER_ENV`], and in a process started with it set to the workload's
//! name it serves requests and exits instead of measuring. So `register`
//! must be called before anything prints (from the first function named in
//! `metron::main!`). Inputs and outputs travel as JSON lines through serde:
//! `{"i":3,"input":…}` in, `{"i":3,"output":…,"cpu_ns":…}` (or `"panic"`)
//! out. `processes` starts `workers` fresh processes per run and closes
//! their input when every item is handed out; `process-pool` starts them
//! once. In both, a thread per process hands it the next item as soon as
//! it answers, so uneven items balance out.
//!
//! # Assumptions
//!
//! `func` is deterministic: the same input gives an equal output wherever it
//! runs (that is what the check relies on), and `In` and `Out` survive a
//! serde round trip.

use std::fmt::Debug;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use metron::clock::{ClockSource, Stamp};
use metron::model::RoutineKind;
use metron::routine::{Measurement, Routine};
use metron::runner::Benchmark;

use crate::available::Available;
use crate::error::{Error, Result};
use crate::figures::Readings;
use crate::plan::{meta, Group, GroupKind, Lang};
use crate::variant::VariantKind;
use crate::worker::{panic_message, WorkerCommand};

/// The environment variable that makes the bench binary a worker of the
/// workload it names.
pub const WORKER_ENV: &str = "METRON_FN_WORKER";

/// What a user's function may take and give: sent between processes
/// through serde, shared between threads, compared by value.
pub trait Data: Serialize + DeserializeOwned + Send + Sync + 'static {}
impl<T: Serialize + DeserializeOwned + Send + Sync + 'static> Data for T {}

/// A user's function over its inputs, and the variants to run it as.
pub struct FnWorkload<In, Out> {
    name: String,
    func: fn(&In) -> Out,
    inputs: Arc<Vec<In>>,
    workers: Vec<usize>,
    variants: Vec<VariantKind>,
    program: Option<WorkerCommand>,
}

impl<In: Data, Out: Data + PartialEq + Debug> FnWorkload<In, Out> {
    /// `func` over `inputs`, named `name` (the group is `name/rust`), at the
    /// suite's default worker counts, as every variant.
    pub fn new(name: &str, func: fn(&In) -> Out, inputs: Vec<In>) -> FnWorkload<In, Out> {
        FnWorkload {
            name: name.to_string(),
            func,
            inputs: Arc::new(inputs),
            workers: crate::plan::default_workers(crate::plan::cores()),
            variants: VariantKind::ALL.to_vec(),
            program: None,
        }
    }

    /// Starts worker processes with `command` instead of re-running this
    /// executable (which must then call [`FnWorkload::serve_if_worker`] for
    /// a workload of the same name and function): for tests, whose own
    /// binary cannot be a worker.
    pub fn worker_command(mut self, command: WorkerCommand) -> FnWorkload<In, Out> {
        self.program = Some(command);
        self
    }

    /// The worker counts (`--workers` of `metron suite`).
    pub fn workers(mut self, workers: &[usize]) -> FnWorkload<In, Out> {
        self.workers = workers.iter().copied().filter(|&w| w > 0).collect();
        self.workers.sort_unstable();
        self.workers.dedup();
        self
    }

    /// The variants besides sequential (`--variants`).
    pub fn variants(mut self, variants: &[VariantKind]) -> FnWorkload<In, Out> {
        self.variants = variants.to_vec();
        self
    }

    /// In a worker process of this workload: serves and exits. Otherwise
    /// adds one benchmark per variant and worker count to `harness`, as the
    /// group `name/rust`, and runs them interleaved.
    pub fn register(self, harness: &mut metron::bench::Harness) {
        self.serve_if_worker();
        let name = format!("{}/rust", self.name);
        let before = Available::measure();
        let mut group = harness.group(&name);
        for b in self.benchmarks() {
            group.add(b);
        }
        group.finish();
        let readings = Readings::from([(name.clone(), before.lower(Available::measure()))]);
        for line in summary(harness.results(), &name, self.inputs.len(), &readings) {
            println!("{line}");
        }
    }

    /// In a worker process of this workload (see [`WORKER_ENV`]): answers
    /// requests until its input ends, then exits.
    pub fn serve_if_worker(&self) {
        if std::env::var(WORKER_ENV).is_ok_and(|n| n == self.name) {
            std::process::exit(serve(self.func));
        }
    }

    /// The benchmarks, named as the suite names them (group `name/rust`,
    /// parameters `variant` and `workers`), so the suite's figures and the
    /// report's scaling charts read them.
    pub fn benchmarks(&self) -> Vec<Benchmark<'static>> {
        let group = Group { lang: Lang::Rust, kind: GroupKind::User };
        let mut out = vec![(VariantKind::Sequential, None)];
        for &v in self.variants.iter().filter(|v| v.has_workers()) {
            out.extend(self.workers.iter().map(|&w| (v, Some(w))));
        }
        out.into_iter()
            .map(|(v, w)| {
                let mut m = meta(&group, v, w);
                m.group = Some(format!("{}/rust", self.name));
                Benchmark::new(m, self.routine(v, w.unwrap_or(1)))
            })
            .collect()
    }

    /// One variant with `workers` workers as a metron routine.
    pub fn routine(&self, variant: VariantKind, workers: usize) -> FnRoutine<In, Out> {
        FnRoutine {
            spawner: Spawner { name: self.name.clone(), program: self.program.clone() },
            func: self.func,
            inputs: Arc::clone(&self.inputs),
            expected: None,
            variant,
            workers: workers.max(1),
            pool: None,
        }
    }
}

/// The suite's table and verdict for the group `name` of `results`, with
/// the parallelism the group had (empty when nothing of it was measured,
/// as in `cargo test --benches`).
pub fn summary(results: &[metron::BenchmarkResult], name: &str, tasks: usize, readings: &Readings) -> Vec<String> {
    let mine: Vec<metron::BenchmarkResult> =
        results.iter().filter(|b| b.group.as_deref() == Some(name)).cloned().collect();
    let limits = crate::figures::Limits { tasks, cores: crate::plan::cores() };
    let derived = crate::figures::derive_with(&mine, &[], limits, readings);
    let Some(w) = derived.workloads.first() else { return Vec::new() };
    let mut lines = crate::group_lines::workload_lines(w, Some(&format!("{tasks} inputs")));
    lines.extend(crate::recommendation::recommendations(&derived, None).into_iter().map(|p| format!("Verdict: {p}")));
    lines
}

/// A variant of a user's function as a [`Routine`]: one iteration runs
/// every input; the outputs are compared with the sequential ones, untimed.
pub struct FnRoutine<In, Out> {
    spawner: Spawner,
    func: fn(&In) -> Out,
    inputs: Arc<Vec<In>>,
    expected: Option<Vec<Out>>,
    variant: VariantKind,
    workers: usize,
    pool: Option<Pool<In, Out>>,
}

/// The long-lived workers of the pool variants.
enum Pool<In, Out> {
    Threads(ThreadPool<In, Out>),
    Rayon(rayon::ThreadPool),
    Processes(Vec<Worker>),
}

impl<In: Data, Out: Data + PartialEq + Debug> FnRoutine<In, Out> {
    /// Runs every input once with this variant: the outputs in input
    /// order and the CPU time pool processes reported.
    ///
    /// # Errors
    /// A panic in the function (naming the input), or a worker process that failed.
    pub fn run(&mut self) -> Result<(Vec<Out>, u64)> {
        let (func, inputs, workers) = (self.func, &self.inputs, self.workers);
        match (self.variant, &mut self.pool) {
            (VariantKind::Sequential, _) => Ok((sequential(func, inputs)?, 0)),
            (VariantKind::Threads, _) => Ok((scoped_threads(func, inputs, workers)?, 0)),
            (VariantKind::ThreadPool, Some(Pool::Threads(pool))) => Ok((pool.run(inputs.len())?, 0)),
            (VariantKind::Rayon, Some(Pool::Rayon(pool))) => Ok((rayon_map(pool, func, inputs)?, 0)),
            (VariantKind::ProcessPool, Some(Pool::Processes(pool))) => dispatch(pool, inputs),
            (VariantKind::Processes, _) => {
                let mut fresh = self.spawner.spawn(workers)?;
                let (outputs, _) = dispatch(&mut fresh, inputs)?;
                // Reaped children's CPU is in the parent's clock already.
                fresh.into_iter().try_for_each(Worker::finish)?;
                Ok((outputs, 0))
            }
            (v, _) => Err(Error::Failed(format!("{v} was not started"))),
        }
    }

    /// The outputs must equal the sequential ones, input by input.
    fn check(&self, outputs: &[Out]) -> Result<()> {
        let expected = self.expected.as_deref().unwrap_or_default();
        if outputs.len() != expected.len() {
            return Err(Error::Results(format!("{} outputs for {} inputs", outputs.len(), expected.len())));
        }
        match outputs.iter().zip(expected).position(|(a, b)| a != b) {
            Some(i) => Err(Error::Results(format!(
                "input {i} gave {:?} under {} ×{}, sequential gave {:?}",
                outputs[i], self.variant, self.workers, expected[i]
            ))),
            None => Ok(()),
        }
    }
}

impl<In: Data, Out: Data + PartialEq + Debug> Routine for FnRoutine<In, Out> {
    fn kind(&self) -> RoutineKind {
        RoutineKind::Closure
    }

    fn setup(&mut self) -> metron::Result<()> {
        self.expected = Some(sequential(self.func, &self.inputs)?);
        self.pool = match self.variant {
            VariantKind::ThreadPool => Some(Pool::Threads(ThreadPool::start(self.func, &self.inputs, self.workers))),
            VariantKind::Rayon => Some(Pool::Rayon(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(self.workers)
                    .build()
                    .map_err(|e| Error::Failed(format!("rayon pool: {e}")))?,
            )),
            VariantKind::ProcessPool => Some(Pool::Processes(self.spawner.spawn(self.workers)?)),
            _ => None,
        };
        Ok(())
    }

    fn measure(&mut self, iterations: u64) -> metron::Result<Measurement> {
        let mut total = Measurement::default();
        for _ in 0..iterations {
            let start = Stamp::start();
            let (outputs, unseen) = self.run()?;
            let (wall, cpu) = Stamp::end().since(start);
            self.check(&outputs)?;
            total.accumulate(&Measurement {
                iterations: 1,
                wall_ns: wall as f64,
                cpu_ns: cpu.map(|c| (c + unseen) as f64),
                ..Measurement::default()
            });
        }
        Ok(total)
    }

    fn teardown(&mut self) -> metron::Result<()> {
        match self.pool.take() {
            Some(Pool::Processes(workers)) => workers.into_iter().try_for_each(Worker::finish)?,
            Some(Pool::Threads(pool)) => pool.stop(),
            _ => {}
        }
        Ok(())
    }
}

/// `func(input)`, with a panic turned into an error naming the input.
fn call<In, Out>(func: fn(&In) -> Out, inputs: &[In], i: usize) -> Result<Out> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| func(&inputs[i])))
        .map_err(|p| Error::Failed(format!("input {i}: the function panicked: {}", panic_message(&*p))))
}

fn sequential<In, Out>(func: fn(&In) -> Out, inputs: &[In]) -> Result<Vec<Out>> {
    (0..inputs.len()).map(|i| call(func, inputs, i)).collect()
}

/// Outputs put into their input's slot, in any order.
fn collect<Out>(n: usize, answers: impl IntoIterator<Item = (usize, Result<Out>)>) -> Result<Vec<Out>> {
    let mut slots: Vec<Option<Out>> = (0..n).map(|_| None).collect();
    for (i, out) in answers {
        slots[i] = Some(out?);
    }
    let missing = slots.iter().filter(|s| s.is_none()).count();
    if missing > 0 {
        return Err(Error::Results(format!("{missing} inputs were never answered")));
    }
    Ok(slots.into_iter().flatten().collect())
}

/// `workers` scoped threads taking the next input from a shared counter.
fn scoped_threads<In: Sync, Out: Send>(func: fn(&In) -> Out, inputs: &[In], workers: usize) -> Result<Vec<Out>> {
    let next = AtomicUsize::new(0);
    let answers = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some(i) = Some(next.fetch_add(1, Ordering::Relaxed)).filter(|&i| i < inputs.len()) {
                        mine.push((i, call(func, inputs, i)));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect::<Vec<_>>()
    });
    collect(inputs.len(), answers)
}

fn rayon_map<In: Sync, Out: Send>(pool: &rayon::ThreadPool, func: fn(&In) -> Out, inputs: &[In]) -> Result<Vec<Out>> {
    use rayon::prelude::*;
    pool.install(|| (0..inputs.len()).into_par_iter().map(|i| call(func, inputs, i)).collect())
}

/// A fixed set of threads fed input indices over a channel (`ThreadPoolExecutor`).
struct ThreadPool<In, Out> {
    send: Option<mpsc::Sender<usize>>,
    answers: mpsc::Receiver<(usize, Result<Out>)>,
    threads: Vec<std::thread::JoinHandle<()>>,
    _inputs: std::marker::PhantomData<In>,
}

impl<In: Data, Out: Data> ThreadPool<In, Out> {
    fn start(func: fn(&In) -> Out, inputs: &Arc<Vec<In>>, workers: usize) -> ThreadPool<In, Out> {
        let (send, receive) = mpsc::channel::<usize>();
        let (answer, answers) = mpsc::channel();
        let receive = Arc::new(Mutex::new(receive));
        let threads = (0..workers)
            .map(|_| {
                let (receive, answer, inputs) = (Arc::clone(&receive), answer.clone(), Arc::clone(inputs));
                std::thread::spawn(move || loop {
                    let next = receive.lock().map(|r| r.recv());
                    let Ok(Ok(i)) = next else { return };
                    if answer.send((i, call(func, &inputs, i))).is_err() {
                        return;
                    }
                })
            })
            .collect();
        ThreadPool { send: Some(send), answers, threads, _inputs: std::marker::PhantomData }
    }

    fn run(&mut self, n: usize) -> Result<Vec<Out>> {
        let send = self.send.as_ref().ok_or_else(|| Error::Failed("the thread pool is stopped".into()))?;
        for i in 0..n {
            send.send(i).map_err(|_| Error::Failed("the thread pool's threads are gone".into()))?;
        }
        collect(n, self.answers.iter().take(n))
    }

    fn stop(mut self) {
        self.send = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// A request to a worker process.
#[derive(Serialize, Deserialize)]
struct Request<In> {
    i: usize,
    input: In,
}

/// A worker's answer: the output, or the panic, and the CPU time it spent since its last answer.
#[derive(Serialize, Deserialize)]
struct Reply<Out> {
    i: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<Out>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    panic: Option<String>,
    cpu_ns: u64,
}

/// A worker process of a user's function: the bench binary with [`WORKER_ENV`].
struct Worker {
    child: Child,
    input: Option<BufWriter<ChildStdin>>,
    output: BufReader<ChildStdout>,
}

/// Starts the worker processes of one workload.
#[derive(Debug, Clone)]
struct Spawner {
    name: String,
    program: Option<WorkerCommand>,
}

impl Spawner {
    fn spawn(&self, n: usize) -> Result<Vec<Worker>> {
        (0..n).map(|k| self.one(k)).collect()
    }

    fn one(&self, k: usize) -> Result<Worker> {
        let mut command = match &self.program {
            Some(p) => p.command(),
            None => Command::new(
                std::env::current_exe().map_err(|e| Error::Failed(format!("cannot find the bench binary: {e}")))?,
            ),
        };
        let mut child = command
            .env(WORKER_ENV, &self.name)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| Error::Worker { worker: k, pid: None, reason: format!("cannot start: {e}") })?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(Error::Failed("a worker process without pipes".into()));
        };
        Ok(Worker { child, input: Some(BufWriter::new(input)), output: BufReader::new(output) })
    }
}

impl Worker {
    /// Sends input `i` and reads the answer.
    fn ask<In: Data, Out: Data>(&mut self, inputs: &[In], i: usize) -> Result<(Out, u64)> {
        let pid = self.child.id();
        let fail = |reason: String| Error::Worker { worker: 0, pid: Some(pid), reason };
        let input = self.input.as_mut().ok_or_else(|| fail("its input is closed".into()))?;
        let line = serde_json::to_string(&Request { i, input: &inputs[i] })
            .map_err(|e| fail(format!("input {i} cannot be serialised: {e}")))?;
        writeln!(input, "{line}")
            .and_then(|()| input.flush())
            .map_err(|e| fail(format!("cannot be written to: {e}")))?;
        let mut answer = String::new();
        match self.output.read_line(&mut answer) {
            Ok(0) | Err(_) => return Err(fail(format!("ended before answering input {i}: {}", self.ending()))),
            Ok(_) => {}
        }
        let reply: Reply<Out> =
            serde_json::from_str(&answer).map_err(|e| fail(format!("answered input {i} with something else ({e})")))?;
        match (reply.output, reply.panic) {
            (_, Some(p)) => Err(Error::Failed(format!("input {i}: the function panicked in worker {pid}: {p}"))),
            (Some(out), None) if reply.i == i => Ok((out, reply.cpu_ns)),
            _ => Err(fail(format!("answered input {} when asked for {i}", reply.i))),
        }
    }

    /// How the process ended (waiting for it).
    fn ending(&mut self) -> String {
        self.input = None;
        match self.child.wait() {
            Ok(s) => s.to_string(),
            Err(e) => e.to_string(),
        }
    }

    /// Closes its input and waits: it must exit with status 0.
    fn finish(mut self) -> Result<()> {
        self.input = None;
        let status = self.child.wait().map_err(|e| Error::Failed(format!("waiting for a worker: {e}")))?;
        if status.success() {
            return Ok(());
        }
        Err(Error::Worker { worker: 0, pid: Some(self.child.id()), reason: format!("ended with {status}") })
    }
}

/// Every input to `workers`, each taking the next as soon as it answers:
/// the outputs, and the CPU time they reported.
fn dispatch<In: Data, Out: Data>(workers: &mut [Worker], inputs: &[In]) -> Result<(Vec<Out>, u64)> {
    let next = AtomicUsize::new(0);
    let answers = std::thread::scope(|s| {
        let handles: Vec<_> = workers
            .iter_mut()
            .map(|w| {
                let next = &next;
                s.spawn(move || {
                    let mut mine = Vec::new();
                    while let Some(i) = Some(next.fetch_add(1, Ordering::Relaxed)).filter(|&i| i < inputs.len()) {
                        let answer = w.ask::<In, Out>(inputs, i);
                        let failed = answer.is_err();
                        mine.push((i, answer));
                        if failed {
                            next.store(inputs.len(), Ordering::Relaxed);
                        }
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect::<Vec<_>>()
    });
    let mut cpu = 0;
    let outputs = collect(
        inputs.len(),
        answers.into_iter().map(|(i, a)| {
            (
                i,
                a.map(|(out, c)| {
                    cpu += c;
                    out
                }),
            )
        }),
    )?;
    Ok((outputs, cpu))
}

/// The worker's side: requests on stdin, replies on stdout, until stdin ends.
/// Returns the exit status.
fn serve<In: Data, Out: Data>(func: fn(&In) -> Out) -> i32 {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut last = ClockSource::ProcessCpu.now_ns();
    for line in stdin.lines() {
        let Ok(line) = line else { return 1 };
        let Ok(request) = serde_json::from_str::<Request<In>>(&line) else { return 2 };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| func(&request.input)));
        let now = ClockSource::ProcessCpu.now_ns();
        let cpu_ns = match (now, last) {
            (Some(b), Some(a)) => b.saturating_sub(a),
            _ => 0,
        };
        last = now;
        let (output, panic) = match result {
            Ok(o) => (Some(o), None),
            Err(p) => (None, Some(panic_message(&*p))),
        };
        let Ok(text) = serde_json::to_string(&Reply { i: request.i, output, panic, cpu_ns }) else { return 3 };
        if writeln!(out, "{text}").and_then(|()| out.flush()).is_err() {
            return 1;
        }
    }
    0
}

/// Functions the crate's tests run as user functions (served by the
/// `metron-suite-worker` binary): one that computes, one whose answer
/// depends on where it runs, one that panics.
pub mod examples {
    /// Collatz steps from `start` until `1_000 + start % 7` steps are done: a
    /// little computation whose answer depends on the input only.
    pub fn collatz(start: &u64) -> u64 {
        let (mut n, mut total) = (*start, 0u64);
        for step in 0..1_000 + start % 7 {
            n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
            if n == 1 {
                total += step;
                n = start + step;
            }
        }
        total ^ n
    }

    /// Whether it ran in a worker process: differs under the process variants.
    pub fn in_worker(item: &u64) -> (u64, bool) {
        (*item, std::env::var_os(super::WORKER_ENV).is_some())
    }

    /// Panics on input 3.
    pub fn panics_on_3(item: &u64) -> u64 {
        assert!(*item != 3, "input 3 is not allowed");
        item * 2
    }
}

//! The bench harness behind `metron::main!`: registers benchmarks and
//! groups, runs them with the flags of [`BenchArgs`], prints results as they
//! finish, keeps the JSON run up to date, and ends the run through
//! [`crate::conclusion`], as the `metron` command does.

use std::fmt::Display;
use std::io::Write;

use crate::analysis::BenchmarkMeta;
use crate::compare;
use crate::conclusion::{self, PairedScope};
use crate::counter::{self, valgrind, Backend};
use crate::environment;
use crate::model::{BenchmarkResult, Failure, RunRecord};
use crate::noise::NoiseProbe;
use crate::routine::{Bencher, ClosureRoutine};
use crate::run_memory::RunMemory;
use crate::runner::{Benchmark, Outcome, Quiet, RunConfig, Runner};
use crate::terminal;
use crate::throughput::Throughput;

use super::command_line::{test_mode_sampler, BenchArgs, Mode};
use super::reexec::{self, Reexec};
use super::replicate::{self, ChildRole, Gathered};
use super::spec::BenchSpec;
use super::status_line::{ProgressMode, ProgressObserver};

/// A benchmark waiting to run, with the throughput it declared.
type Declared<'b> = (Benchmark<'b>, Option<Throughput>);

/// Collects and runs the benchmarks of one bench binary.
///
/// With more than one replicate (the default, see [`replicate`]) the
/// process that `cargo bench` starts measures nothing itself: it runs
/// itself once per replicate, gathers their results when it is created,
/// and then presents each benchmark as the bench functions name it. A
/// replicate ([`ChildRole`]) measures its share and writes its JSON quietly.
pub struct Harness {
    args: BenchArgs,
    record: RunRecord,
    printed: usize,
    /// The first failed write of the JSON file: the run goes on (the next
    /// checkpoint may succeed), and the exit status says so.
    write_error: Option<String>,
    /// Set when this process is a replicate.
    role: Option<ChildRole>,
    /// The replicates' results, when this process ran them.
    gathered: Option<Gathered>,
    /// Noise readings since the run began.
    noise: Option<NoiseProbe>,
}

impl std::fmt::Debug for Harness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Harness").field("args", &self.args).finish_non_exhaustive()
    }
}

impl Harness {
    /// A harness configured from the process arguments. A bad flag prints
    /// one line and exits with status 2, as the `metron` CLI does.
    pub fn from_args() -> Harness {
        match BenchArgs::from_env() {
            Ok(args) if args.mode == Mode::Help => {
                let program = std::env::args().next().unwrap_or_else(|| "bench".into());
                print!("{}", BenchArgs::help(&program));
                std::process::exit(0);
            }
            Ok(args) => {
                let role = ChildRole::from_env();
                // As `metron` does: a bad baseline costs a second, not a run.
                if args.mode == Mode::Bench && role.is_none() {
                    if let Err(e) = args.options.comparison.check() {
                        eprintln!("Error: {e}");
                        std::process::exit(if e.is_usage() { 2 } else { 1 });
                    }
                }
                match role {
                    Some(role) if args.mode == Mode::Bench => Harness::replicate(args, role),
                    _ => Harness::new(args),
                }
            }
            Err(msg) => {
                eprintln!("Error: {msg}");
                std::process::exit(2);
            }
        }
    }

    /// A harness with explicit settings. In bench mode with more than one
    /// replicate it runs the replicates now (see [`Harness`]).
    pub fn new(args: BenchArgs) -> Harness {
        let settings = args.run.settings();
        let command_line: Vec<String> = std::env::args().collect();
        let record = RunRecord::new(command_line.clone(), environment::collect(), settings);
        let mut h = Harness { args, record, printed: 0, write_error: None, role: None, gathered: None, noise: None };
        if h.args.mode != Mode::Bench {
            return h;
        }
        // Ctrl-C, SIGTERM and SIGHUP stop the run after the current sample
        // and keep what was measured, as they do for the `metron` command;
        // a replicate child is stopped the same way by its parent.
        crate::interrupt::install();
        match NoiseProbe::pin_and_start(&h.args.run.pin) {
            Ok(probe) => h.noise = Some(probe),
            Err(e) => {
                eprintln!("Error: {e}");
                std::process::exit(2);
            }
        }
        if h.args.run.effective_replicates() > 1 {
            // Each replicate draws its own progress line on the terminal.
            let gathered = replicate::run_replicates(&command_line[1..], &h.args.run, RunMemory::open());
            gathered.failures.iter().for_each(|f| eprintln!("{}", terminal::failure_line(f, h.args.colour)));
            h.record.failures.extend(gathered.failures.iter().cloned());
            h.record.interrupted |= gathered.interrupted;
            h.gathered = Some(gathered);
        }
        h
    }

    /// A harness that is replicate `role.index` of a run: it takes its
    /// share of the sampling ([`Harness::share`]) in one pass, prints no
    /// results (only its progress line, on a terminal), and writes its run
    /// to `role.out`.
    fn replicate(mut args: BenchArgs, role: ChildRole) -> Harness {
        args.run.replicates = 1;
        args.run.seed = args.run.seed.wrapping_add(u64::from(role.index));
        args.export_json = Some(role.out.clone());
        let mut h = Harness::new(args);
        h.role = Some(role);
        h
    }

    /// Measures one benchmark now. `f` receives a [`Bencher`] and calls
    /// `b.iter(..)` (or `iter_batched`) with the statement to time.
    pub fn bench(&mut self, name: &str, f: impl FnMut(&mut Bencher)) -> &mut Harness {
        self.bench_spec(BenchmarkMeta::named(name), BenchSpec::default(), f)
    }

    /// Measures one benchmark now, described by `meta` (its group, name and
    /// parameters make its id) with the settings `spec` declares: what
    /// front ends such as `metron-criterion` build on.
    pub fn bench_spec(&mut self, meta: BenchmarkMeta, spec: BenchSpec, f: impl FnMut(&mut Bencher)) -> &mut Harness {
        let run = spec.apply(&self.args.run, &self.args.given);
        let bench = Benchmark::new(meta, ClosureRoutine::new(f));
        self.run(vec![(bench, spec.throughput)], &run);
        self
    }

    /// Starts a group: its benchmarks run together, interleaved, when the
    /// group is finished (or dropped), and are compared with each other.
    pub fn group<'h, 'b>(&'h mut self, name: &str) -> Group<'h, 'b> {
        Group { harness: self, name: name.to_string(), benches: Vec::new(), throughput: None }
    }

    /// Everything measured so far.
    pub fn results(&self) -> &[BenchmarkResult] {
        &self.record.benchmarks
    }

    /// Whether a benchmark with this id is selected (by the filter) and will
    /// run: front ends skip preparing inputs for the others.
    pub fn selects(&self, id: &str) -> bool {
        self.args.mode != Mode::Help && self.args.selects(id)
    }

    fn run(&mut self, benches: Vec<Declared<'_>>, run: &RunConfig) {
        let benches: Vec<_> = benches.into_iter().filter(|(b, _)| self.args.selects(&b.meta.id())).collect();
        match self.args.mode {
            Mode::List => benches.iter().for_each(|(b, _)| println!("{}: benchmark", b.meta.id())),
            Mode::Test => self.test(benches.into_iter().map(|(b, _)| b).collect()),
            Mode::Help => {}
            Mode::Bench if self.gathered.is_some() => self.present(&benches),
            Mode::Bench => self.measure(benches, run),
        }
    }

    /// Shows the replicates' results of `benches`, as [`Harness::measure`]
    /// shows what it measured.
    fn present(&mut self, benches: &[Declared<'_>]) {
        let Some(gathered) = self.gathered.as_mut() else { return };
        let ids: Vec<String> = benches.iter().map(|(b, _)| b.meta.id()).collect();
        let throughputs: Vec<Option<Throughput>> = benches.iter().map(|(_, t)| *t).collect();
        let (mine, rest): (Vec<_>, Vec<_>) =
            std::mem::take(&mut gathered.results).into_iter().partition(|r| ids.contains(&r.id()));
        gathered.results = rest;
        let mut results = mine;
        results.sort_by_key(|r| ids.iter().position(|id| *id == r.id()));
        attach_throughput(&mut results, &ids, &throughputs);
        self.show(results, Vec::new(), false);
    }

    /// Runs each benchmark once, as `cargo test --benches` expects.
    fn test(&mut self, benches: Vec<Benchmark<'_>>) {
        let config = RunConfig { sampler: test_mode_sampler(), ..RunConfig::default() };
        for bench in benches {
            let id = bench.meta.id();
            match Runner::new(&config, &mut Quiet).run(vec![bench]) {
                Ok(out) if out.failures.is_empty() => println!("Testing {id} ... ok"),
                Ok(out) => {
                    println!("Testing {id} ... FAILED");
                    out.failures.into_iter().for_each(|f| self.fail(f));
                }
                Err(e) => println!("Testing {id} ... FAILED: {e}"),
            }
        }
    }

    fn measure(&mut self, benches: Vec<Declared<'_>>, run: &RunConfig) {
        if benches.is_empty() {
            return;
        }
        let (benches, throughputs): (Vec<_>, Vec<_>) = benches.into_iter().unzip();
        let ids: Vec<String> = benches.iter().map(|b| b.meta.id()).collect();
        let run = &self.share(run);
        let clock = run.sampler.clock;
        let in_children =
            clock.is_count() && !reexec::is_child() && counter::choose(clock).ok() == Some(Backend::Valgrind);
        let outcome = if in_children {
            Some(self.count_in_children(&benches))
        } else {
            self.run_with_progress(benches, run, &ids)
        };
        let Some(mut outcome) = outcome else { return };
        attach_throughput(&mut outcome.results, &ids, &throughputs);
        self.show(outcome.results, outcome.failures, outcome.interrupted);
    }

    /// The settings this process measures `run` with: all of it, or in a
    /// replicate its share ([`RunConfig::replicate_sampler`]), after what
    /// a bench declared for itself was applied.
    fn share(&self, run: &RunConfig) -> RunConfig {
        let Some(role) = &self.role else { return run.clone() };
        let whole = RunConfig { replicates: role.of, ..run.clone() };
        let sampler = whole.replicate_sampler(0, None, crate::model::RoutineKind::Closure);
        RunConfig { sampler, replicates: 1, ..run.clone() }
    }

    /// Prints results as they finish (unless this is a replicate), compares
    /// a group's, keeps them, and brings the JSON up to date.
    fn show(&mut self, results: Vec<BenchmarkResult>, failures: Vec<Failure>, interrupted: bool) {
        let colour = self.args.colour;
        let quiet = self.role.is_some();
        let mut stdout = std::io::stdout().lock();
        for r in &results {
            self.printed += 1;
            if !quiet {
                let _ = writeln!(stdout, "{}", terminal::benchmark_block(r, self.printed, colour));
            }
        }
        drop(stdout);
        let comparisons = compare::paired_all(&results, None, self.args.run.sampler.clock);
        if !quiet {
            print_verdicts(&comparisons, colour);
        }
        self.record.benchmarks.extend(results);
        failures.into_iter().for_each(|f| self.fail(f));
        self.record.comparisons.extend(comparisons);
        self.record.interrupted |= interrupted;
        self.checkpoint();
    }

    /// Counts each benchmark under Valgrind in a re-executed child of its
    /// own, instrumented only inside the timed regions
    /// (`--instr-atstart=no`, see [`counter::region`]).
    fn count_in_children(&self, benches: &[Benchmark<'_>]) -> Outcome {
        let mut outcome = Outcome::default();
        for bench in benches {
            let id = bench.meta.id();
            let counted = Reexec::directory().and_then(|dir| {
                let prefix = dir.path().join("callgrind.out");
                let mut wrapper = vec![valgrind::program()];
                wrapper.extend(valgrind::base_args(&prefix));
                wrapper.push("--instr-atstart=no".into());
                let env = vec![(counter::CHILD_ENV.to_string(), prefix.display().to_string())];
                let request = Reexec { benchmark: id.clone(), flags: self.args.measuring_flags.clone(), wrapper, env };
                request.run(dir)
            });
            match counted {
                Ok(child) => {
                    outcome.results.extend(child.record.benchmarks);
                    outcome.failures.extend(child.record.failures);
                    outcome.interrupted |= child.record.interrupted;
                }
                Err(e) => outcome.failures.push(Failure { name: id, host: None, reason: e.to_string() }),
            }
        }
        outcome
    }

    /// Runs benchmarks (with the ids `ids`) with the progress line drawn; a
    /// run that cannot start (invalid settings) is kept as a failure.
    fn run_with_progress(&mut self, benches: Vec<Benchmark<'_>>, run: &RunConfig, ids: &[String]) -> Option<Outcome> {
        let mode = ProgressMode::detect(self.args.options.output.quiet);
        let mut progress = ProgressObserver::stderr(mode, ids.to_vec());
        let memory = self.role.is_none().then(RunMemory::open).flatten();
        // The replicates run one after another: only the first finds the
        // machine idle, the others need to warm only their own process.
        let warm = self.role.as_ref().is_some_and(|r| r.index > 0);
        let outcome = Runner::new(run, &mut progress)
            .cancel_on(&crate::interrupt::INTERRUPTED)
            .remembering(memory)
            .machine_warm(warm)
            .run(benches);
        progress.clear();
        outcome.map_err(|e| self.fail(Failure { name: "*".into(), host: None, reason: e.to_string() })).ok()
    }

    /// Says a benchmark failed, as the `metron` command does, and keeps it.
    fn fail(&mut self, failure: Failure) {
        // A replicate's failures reach the user through the parent, once.
        if self.role.is_none() {
            eprintln!("{}", terminal::failure_line(&failure, self.args.colour));
        }
        self.record.failures.push(failure);
    }

    /// Writes the JSON so far, so a crash later loses nothing already measured.
    fn checkpoint(&mut self) {
        if let Some(path) = &self.args.export_json {
            if let Err(e) = self.record.write_atomic(path) {
                self.write_error.get_or_insert_with(|| format!("--export-json: {e}"));
            }
        }
    }

    /// Ends the run through [`conclusion::conclude`] (the baseline, its
    /// gate, `--save-baseline`), prints what it found, writes the JSON and
    /// returns the exit status: 0, 1 when a benchmark failed, a baseline
    /// could not be used, the JSON could not be written or (with
    /// `--fail-on-regression`) a benchmark regressed, 130 when interrupted.
    pub fn finish(mut self) -> i32 {
        if self.args.mode != Mode::Bench {
            return i32::from(!self.record.failures.is_empty());
        }
        if let Some(noise) = &self.noise {
            self.record.noise = Some(noise.finish(&self.record.benchmarks));
        }
        if self.role.is_some() {
            self.checkpoint();
            return i32::from(self.write_error.is_some() || !self.record.failures.is_empty());
        }
        let end = conclusion::conclude(&mut self.record, &self.args.options.comparison, PairedScope::AlreadyCompared);
        let _ = end.print(&self.record, self.args.colour, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
        self.checkpoint();
        let status = match self.write_error.take() {
            Some(e) => {
                eprintln!("Error: {e}");
                end.status.or_failed()
            }
            None => end.status,
        };
        i32::from(status.code())
    }
}

/// Gives each result the rates of the throughput its benchmark declared
/// (`ids[i]` declared `throughputs[i]`; failed benchmarks have no result).
fn attach_throughput(results: &mut [BenchmarkResult], ids: &[String], throughputs: &[Option<Throughput>]) {
    for r in results {
        let declared = ids.iter().position(|id| *id == r.id()).and_then(|i| throughputs[i]);
        r.set_throughput(declared);
    }
}

/// The verdict lines of a group, and a blank line after them.
fn print_verdicts(comparisons: &[crate::model::PairedComparison], colour: terminal::Colour) {
    let mut stdout = std::io::stdout().lock();
    for c in comparisons {
        let _ = writeln!(stdout, "{}", terminal::verdict_line(c, colour));
    }
    if !comparisons.is_empty() {
        let _ = writeln!(stdout);
    }
}

/// Benchmarks that are run together, interleaved, and compared.
pub struct Group<'h, 'b> {
    harness: &'h mut Harness,
    name: String,
    benches: Vec<Declared<'b>>,
    throughput: Option<Throughput>,
}

impl<'b> Group<'_, 'b> {
    /// Declares what one iteration of the benchmarks added from now on
    /// processes, so their results show bytes/s or elements/s with CIs.
    ///
    /// ```no_run
    /// # let mut h = metron::bench::Harness::new(Default::default());
    /// let data = vec![1u8; 4096];
    /// let mut g = h.group("checksum");
    /// g.throughput(metron::throughput::Throughput::Bytes(data.len() as u64));
    /// g.bench("sum", |b| b.iter(|| data.iter().map(|&x| u64::from(x)).sum::<u64>()));
    /// ```
    pub fn throughput(&mut self, throughput: Throughput) -> &mut Self {
        self.throughput = Some(throughput);
        self
    }

    /// Adds a benchmark to the group.
    pub fn bench(&mut self, name: &str, f: impl FnMut(&mut Bencher) + 'b) -> &mut Self {
        let meta = BenchmarkMeta { group: Some(self.name.clone()), ..BenchmarkMeta::named(name) };
        self.benches.push((Benchmark::new(meta, ClosureRoutine::new(f)), self.throughput));
        self
    }

    /// Adds a benchmark with its own description and routine (e.g. the
    /// concurrency suite's variants of a user's function, which carry their
    /// variant and worker count as parameters); its group becomes this one.
    pub fn add(&mut self, mut benchmark: Benchmark<'b>) -> &mut Self {
        benchmark.meta.group = Some(self.name.clone());
        self.benches.push((benchmark, self.throughput));
        self
    }

    /// Adds a benchmark of `input`, named `name/parameter` and recording the
    /// parameter (and `name` as the parameter `function`, so that a report
    /// draws one scaling curve per function), for scaling studies (input
    /// sizes, worker counts).
    pub fn bench_with_input<I: ?Sized>(
        &mut self,
        name: &str,
        parameter: impl Display,
        input: &'b I,
        mut f: impl FnMut(&mut Bencher, &I) + 'b,
    ) -> &mut Self {
        let value = parameter.to_string();
        let mut meta =
            BenchmarkMeta { group: Some(self.name.clone()), ..BenchmarkMeta::named(format!("{name}/{value}")) };
        meta.parameters.insert("parameter".into(), value);
        meta.parameters.insert("function".into(), name.to_string());
        self.benches.push((Benchmark::new(meta, ClosureRoutine::new(move |b| f(b, input))), self.throughput));
        self
    }

    /// Runs the group now (dropping it does the same).
    pub fn finish(self) {}
}

impl Drop for Group<'_, '_> {
    fn drop(&mut self) {
        let benches = std::mem::take(&mut self.benches);
        let run = self.harness.args.run.clone();
        self.harness.run(benches, &run);
    }
}

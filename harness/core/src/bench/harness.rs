//! The bench harness behind `metron::main!`: registers benchmarks and
//! groups, runs them with the flags of [`BenchArgs`], prints results as they
//! finish, keeps the JSON run up to date, and ends the run through
//! [`crate::conclusion`], as the `metron` command does.

use std::fmt::Display;
use std::io::{IsTerminal, Write};

use crate::analysis::BenchmarkMeta;
use crate::compare;
use crate::conclusion::{self, PairedScope};
use crate::counter::{self, valgrind, Backend};
use crate::environment;
use crate::model::{BenchmarkResult, Failure, RunRecord};
use crate::noise::NoiseProbe;
use crate::routine::{Bencher, ClosureRoutine};
use crate::runner::{Benchmark, Outcome, Quiet, RunConfig, Runner};
use crate::terminal;

use super::command_line::{test_mode_sampler, BenchArgs, Mode};
use super::reexec::{self, Reexec};
use super::replicate::{self, ChildRole, Gathered};

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
        match BenchArgs::parse(std::env::args().skip(1)) {
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
        match NoiseProbe::pin_and_start(&h.args.run.pin) {
            Ok(probe) => h.noise = Some(probe),
            Err(e) => {
                eprintln!("Error: {e}");
                std::process::exit(2);
            }
        }
        if h.args.run.effective_replicates() > 1 {
            let progress = !h.args.options.output.quiet && std::io::stderr().is_terminal();
            let gathered = replicate::run_replicates(&command_line[1..], &h.args.run, progress);
            gathered.failures.iter().for_each(|f| eprintln!("{}", terminal::failure_line(f, h.args.colour)));
            h.record.failures.extend(gathered.failures.iter().cloned());
            h.record.interrupted |= gathered.interrupted;
            h.gathered = Some(gathered);
        }
        h
    }

    /// A harness that is replicate `role.index` of a run: it takes its
    /// share of the sampling ([`RunConfig::replicate_sampler`]) in one
    /// pass, prints nothing, and writes its run to `role.out`.
    fn replicate(mut args: BenchArgs, role: ChildRole) -> Harness {
        args.run.replicates = role.of;
        args.run.sampler = args.run.replicate_sampler(0, None, crate::model::RoutineKind::Closure);
        args.run.replicates = 1;
        args.run.seed = args.run.seed.wrapping_add(u64::from(role.index));
        args.export_json = Some(role.out.clone());
        args.options.output.quiet = true;
        let mut h = Harness::new(args);
        h.role = Some(role);
        h
    }

    /// Measures one benchmark now. `f` receives a [`Bencher`] and calls
    /// `b.iter(..)` (or `iter_batched`) with the statement to time.
    pub fn bench(&mut self, name: &str, f: impl FnMut(&mut Bencher)) -> &mut Harness {
        let bench = Benchmark::new(BenchmarkMeta::named(name), ClosureRoutine::new(f));
        self.run(vec![bench]);
        self
    }

    /// Starts a group: its benchmarks run together, interleaved, when the
    /// group is finished (or dropped), and are compared with each other.
    pub fn group<'h, 'b>(&'h mut self, name: &str) -> Group<'h, 'b> {
        Group { harness: self, name: name.to_string(), benches: Vec::new() }
    }

    /// Everything measured so far.
    pub fn results(&self) -> &[BenchmarkResult] {
        &self.record.benchmarks
    }

    fn run(&mut self, benches: Vec<Benchmark<'_>>) {
        let benches: Vec<_> = benches.into_iter().filter(|b| self.args.selects(&b.meta.id())).collect();
        match self.args.mode {
            Mode::List => benches.iter().for_each(|b| println!("{}: benchmark", b.meta.id())),
            Mode::Test => self.test(benches),
            Mode::Help => {}
            Mode::Bench if self.gathered.is_some() => self.present(&benches),
            Mode::Bench => self.measure(benches),
        }
    }

    /// Shows the replicates' results of `benches`, as [`Harness::measure`]
    /// shows what it measured.
    fn present(&mut self, benches: &[Benchmark<'_>]) {
        let Some(gathered) = self.gathered.as_mut() else { return };
        let ids: Vec<String> = benches.iter().map(|b| b.meta.id()).collect();
        let (mine, rest): (Vec<_>, Vec<_>) =
            std::mem::take(&mut gathered.results).into_iter().partition(|r| ids.contains(&r.id()));
        gathered.results = rest;
        let mut results = mine;
        results.sort_by_key(|r| ids.iter().position(|id| *id == r.id()));
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

    fn measure(&mut self, benches: Vec<Benchmark<'_>>) {
        if benches.is_empty() {
            return;
        }
        let clock = self.args.run.sampler.clock;
        let in_children =
            clock.is_count() && !reexec::is_child() && counter::choose(clock).ok() == Some(Backend::Valgrind);
        let outcome = if in_children {
            Ok(self.count_in_children(&benches))
        } else {
            Runner::new(&self.args.run, &mut Quiet).run(benches)
        };
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                self.fail(Failure { name: "*".into(), host: None, reason: e.to_string() });
                return;
            }
        };
        self.show(outcome.results, outcome.failures, outcome.interrupted);
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
    benches: Vec<Benchmark<'b>>,
}

impl<'b> Group<'_, 'b> {
    /// Adds a benchmark to the group.
    pub fn bench(&mut self, name: &str, f: impl FnMut(&mut Bencher) + 'b) -> &mut Self {
        let meta = BenchmarkMeta { group: Some(self.name.clone()), ..BenchmarkMeta::named(name) };
        self.benches.push(Benchmark::new(meta, ClosureRoutine::new(f)));
        self
    }

    /// Adds a benchmark with its own description and routine (e.g. the
    /// concurrency suite's variants of a user's function, which carry their
    /// variant and worker count as parameters); its group becomes this one.
    pub fn add(&mut self, mut benchmark: Benchmark<'b>) -> &mut Self {
        benchmark.meta.group = Some(self.name.clone());
        self.benches.push(benchmark);
        self
    }

    /// Adds a benchmark of `input`, named `name/parameter` and recording the
    /// parameter, for scaling studies (input sizes, worker counts).
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
        self.benches.push(Benchmark::new(meta, ClosureRoutine::new(move |b| f(b, input))));
        self
    }

    /// Runs the group now (dropping it does the same).
    pub fn finish(self) {}
}

impl Drop for Group<'_, '_> {
    fn drop(&mut self) {
        let benches = std::mem::take(&mut self.benches);
        self.harness.run(benches);
    }
}

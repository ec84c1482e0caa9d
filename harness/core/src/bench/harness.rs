//! The bench harness behind `metron::main!`: registers benchmarks and
//! groups, runs them with the flags of [`BenchArgs`], prints results as they
//! finish and writes the JSON run.

use std::fmt::Display;
use std::io::Write;

use crate::analysis::BenchmarkMeta;
use crate::baseline;
use crate::compare::{self, BaselineOptions};
use crate::environment;
use crate::model::{BenchmarkResult, Failure, RunRecord};
use crate::routine::{Bencher, ClosureRoutine};
use crate::runner::{Benchmark, Quiet, RunConfig, Runner};
use crate::terminal;

use super::args::{test_mode_sampler, BenchArgs, Mode};

/// Collects and runs the benchmarks of one bench binary.
pub struct Harness {
    args: BenchArgs,
    report: RunRecord,
    printed: usize,
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
            Ok(args) => Harness::new(args),
            Err(msg) => {
                eprintln!("error: {msg}");
                std::process::exit(2);
            }
        }
    }

    /// A harness with explicit settings.
    pub fn new(args: BenchArgs) -> Harness {
        let settings = args.run.settings();
        let command_line = std::env::args().collect();
        let report = RunRecord::new(command_line, environment::collect(), settings);
        Harness { args, report, printed: 0 }
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
        &self.report.benchmarks
    }

    fn run(&mut self, benches: Vec<Benchmark<'_>>) {
        let benches: Vec<_> = benches.into_iter().filter(|b| self.args.selects(&b.meta.id())).collect();
        match self.args.mode {
            Mode::List => benches.iter().for_each(|b| println!("{}: benchmark", b.meta.id())),
            Mode::Test => self.test(benches),
            Mode::Bench => self.measure(benches),
        }
    }

    /// Runs each benchmark once, as `cargo test --benches` expects.
    fn test(&mut self, benches: Vec<Benchmark<'_>>) {
        let config = RunConfig { sampler: test_mode_sampler(), ..RunConfig::default() };
        for bench in benches {
            let id = bench.meta.id();
            match Runner::new(&config, &mut Quiet).run(vec![bench]) {
                Ok(out) if out.failures.is_empty() => println!("Testing {id} ... ok"),
                Ok(out) => {
                    println!("Testing {id} ... FAILED: {}", out.failures[0].reason);
                    self.report.failures.extend(out.failures);
                }
                Err(e) => println!("Testing {id} ... FAILED: {e}"),
            }
        }
    }

    fn measure(&mut self, benches: Vec<Benchmark<'_>>) {
        if benches.is_empty() {
            return;
        }
        let outcome = match Runner::new(&self.args.run, &mut Quiet).run(benches) {
            Ok(o) => o,
            Err(e) => {
                self.report.failures.push(Failure { name: "*".into(), host: None, reason: e.to_string() });
                return;
            }
        };
        let mut stdout = std::io::stdout().lock();
        for r in &outcome.results {
            self.printed += 1;
            let _ = writeln!(stdout, "{}", terminal::benchmark_block(r, self.printed, self.args.colour));
        }
        for f in &outcome.failures {
            let _ = writeln!(stdout, "{} {}: {}\n", self.args.colour.paint("1;31", "FAILED"), f.name, f.reason);
        }
        let comparisons = compare::paired_all(&outcome.results, None, self.args.run.sampler.clock);
        for c in &comparisons {
            let _ = writeln!(stdout, "{}", terminal::verdict_line(c, self.args.colour));
        }
        if !comparisons.is_empty() {
            let _ = writeln!(stdout);
        }
        self.report.benchmarks.extend(outcome.results);
        self.report.failures.extend(outcome.failures);
        self.report.comparisons.extend(comparisons);
        self.report.interrupted |= outcome.interrupted;
        self.checkpoint();
    }

    /// Writes the JSON so far, so a crash later loses nothing already measured.
    fn checkpoint(&self) {
        if let Some(path) = &self.args.export_json {
            if let Err(e) = self.report.write_atomic(path) {
                eprintln!("error: {e}");
            }
        }
    }

    /// Saves and compares baselines, prints the verdicts, and returns the
    /// exit status: 0, or 1 when a benchmark failed or (with
    /// `--fail-on-regression`) regressed.
    pub fn finish(mut self) -> i32 {
        if self.args.mode != Mode::Bench {
            return i32::from(!self.report.failures.is_empty());
        }
        let mut status = i32::from(!self.report.failures.is_empty());
        match self.baselines() {
            Ok(gate_failed) => status |= i32::from(gate_failed),
            Err(e) => {
                eprintln!("error: {e}");
                status = 1;
            }
        }
        self.checkpoint();
        status
    }

    /// `--baseline` (compare, print, gate) and `--save-baseline`; returns
    /// whether the regression gate failed.
    fn baselines(&mut self) -> crate::Result<bool> {
        let mut gate_failed = false;
        if let Some(name) = self.args.baseline.clone() {
            let opts = BaselineOptions {
                clock: self.args.run.sampler.clock,
                noise: self.args.noise,
                seed: self.args.run.seed,
                ..BaselineOptions::default()
            };
            let comparison = baseline::compare_with(&mut self.report, &name, &opts)?;
            println!("{}", terminal::change_table(comparison, self.args.colour));
            if let Some(threshold) = self.args.fail_on_regression {
                gate_failed = !compare::gate_failures(comparison, threshold).is_empty();
            }
        }
        if let Some(name) = &self.args.save_baseline {
            baseline::save(&self.report, name)?;
        }
        Ok(gate_failed)
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

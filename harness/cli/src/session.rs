//! A measuring session: what every command that measures shares. It checks
//! the export paths before anything runs, shows progress on stderr, prints
//! each result on stdout as it finishes, keeps the JSON file up to date after
//! every benchmark and, about every [`CHECKPOINT_INTERVAL`], with the
//! samples of the benchmarks in progress too (so a run killed outright keeps
//! what it measured), and at the end hands the run to the library's
//! [`conclusion`] (comparisons, baselines, the gate, the exit status) and
//! writes every export.

use std::collections::BTreeMap;
use std::io::Write;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use metron::analysis::BenchmarkMeta;
use metron::conclusion::{self, PairedScope};
use metron::environment;
use metron::model::{BenchmarkResult, Failure, RunRecord};
use metron::noise::NoiseProbe;
use metron::options::{ComparisonOptions, SortOrder};
use metron::runner::{Benchmark, Observer, Outcome, RunConfig, Runner};
use metron::terminal::{self, Colour};
use metron_report::{ExportManager, ReportError};

use crate::args::ExportArgs;
use crate::config::usage;
use crate::progress::{ProgressLine, StepObserver};
use metron::interrupt;

/// Where human-readable text goes: stdout, unless stdout carries JSON.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Human {
    Stdout,
    Stderr,
    /// `--style none`: results are not shown (exports are still written).
    Silent,
}

impl Human {
    /// Stderr when an export goes to stdout (`-`), so stdout carries only it.
    pub(crate) fn for_exports(exports: &ExportManager) -> Human {
        if exports.writes_stdout() {
            Human::Stderr
        } else {
            Human::Stdout
        }
    }

    pub(crate) fn print(self, text: &str) -> Result<()> {
        match self {
            Human::Stdout => writeln!(std::io::stdout().lock(), "{text}")?,
            Human::Stderr => writeln!(std::io::stderr().lock(), "{text}")?,
            Human::Silent => {}
        }
        Ok(())
    }
}

/// How each finished benchmark is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// hyperfine-style blocks, numbered.
    Blocks,
    /// timeit lines, styled (title, unit, raw times).
    Timeit(terminal::TimeitStyle),
}

/// One measuring command from start to exit status.
pub struct Session {
    record: RunRecord,
    exports: ExportManager,
    history: crate::cmd::history::AppendFlag,
    quiet: bool,
    colour: Colour,
    human: Human,
    format: Format,
    noise: NoiseProbe,
    /// `--time-unit`.
    unit: Option<metron::time::TimeUnit>,
    /// `--sort`: the order of the summary and the exports.
    sort: SortOrder,
}

/// The exports the flags ask for, checked before anything runs: a result
/// that could not be written at the end would waste the whole run.
///
/// # Errors
/// A usage error for two exports to one target; the first export that
/// could not be written.
pub fn exports(export: &ExportArgs) -> Result<ExportManager> {
    let manager = export.files.manager().with_time_unit(export.time_unit);
    manager.check().map_err(export_error)?;
    Ok(manager)
}

/// An export error as the CLI reports it: two exports to one target are a
/// usage error (exit status 2), anything else fails the run.
pub fn export_error(e: ReportError) -> anyhow::Error {
    match e {
        e @ ReportError::SameTarget { .. } => usage(e.to_string()),
        other => anyhow::Error::new(other),
    }
}

impl Session {
    /// Starts a session: checks exports, collects the environment.
    ///
    /// # Errors
    /// An export path that cannot be written.
    pub fn start(
        export: &ExportArgs,
        run: &RunConfig,
        tools: BTreeMap<String, String>,
        format: Format,
    ) -> Result<Session> {
        let output = &export.output.options.output;
        let colour = crate::config::colour(output.colour);
        let exports = exports(export)?;
        export.history.check()?;
        let mut environment = environment::collect();
        environment.tools.extend(tools);
        let mut record = RunRecord::new(std::env::args().collect(), environment, run.settings());
        record.label.clone_from(&output.label);
        let human = Human::for_exports(&exports);
        let unit = export.time_unit;
        let noise = NoiseProbe::pin_and_start(&run.pin)?;
        Ok(Session {
            record,
            exports,
            quiet: output.quiet,
            colour,
            human,
            format,
            history: export.history.clone(),
            noise,
            unit,
            sort: SortOrder::Command,
        })
    }

    /// Shows no results (`--style none`); exports are still written.
    pub fn silence(&mut self) {
        self.human = Human::Silent;
    }

    /// Orders the summary and the exports (`--sort`).
    pub fn sort_by(&mut self, order: SortOrder) {
        self.sort = order;
    }

    /// Runs benchmarks, printing and saving each result as it finishes.
    ///
    /// # Errors
    /// Invalid settings (single benchmark failures are in the outcome).
    pub fn run(&mut self, run: &RunConfig, benches: Vec<Benchmark<'_>>) -> Result<Outcome> {
        let line = ProgressLine::new(self.quiet, 1, self.colour);
        let mut observer = Finished {
            step: line.observer(benches.len()),
            line: &line,
            session: self,
            printed: 0,
            error: None,
            last_checkpoint: Instant::now(),
        };
        let outcome = Runner::new(run, &mut observer)
            .cancel_on(&interrupt::INTERRUPTED)
            .remembering(metron::run_memory::RunMemory::open())
            .run(benches)?;
        line.finish();
        if let Some(e) = observer.error.take() {
            return Err(e);
        }
        self.record.failures.extend(outcome.failures.iter().cloned());
        self.record.interrupted |= outcome.interrupted;
        Ok(outcome)
    }

    /// Ends the run through the library's [`conclusion::conclude`]
    /// (comparisons, baselines, the gate, the exit status), shows it, and
    /// writes every export. The flags were checked before measuring.
    ///
    /// # Errors
    /// An export that fails, or results that cannot be printed.
    pub fn conclude(mut self, comparison: &ComparisonOptions) -> Result<ExitCode> {
        self.record.noise = Some(self.noise.finish(&self.record.benchmarks));
        self.sort.apply(&mut self.record.benchmarks);
        let end = conclusion::conclude(&mut self.record, comparison, PairedScope::WholeRun);
        let mut results = Vec::new();
        let mut messages = Vec::new();
        end.print(&self.record, self.colour, &mut results, &mut messages)?;
        // The verdicts first, then what went wrong, as they would read on one terminal.
        let text = String::from_utf8_lossy(&results);
        if !text.is_empty() {
            self.human.print(text.trim_end_matches('\n'))?;
        }
        if !matches!(self.human, Human::Silent) {
            std::io::stderr().lock().write_all(&messages)?;
        }
        self.exports.write_all(&self.record).map_err(export_error)?;
        self.history.append(&self.record, self.quiet)?;
        Ok(ExitCode::from(end.status.code()))
    }

    /// Writes the exports kept up to date during a run (the JSON file, not
    /// stdout) as it stands, so nothing measured is lost.
    fn checkpoint(&self) -> Result<()> {
        self.exports.checkpoint(&self.record).map_err(export_error)
    }

    /// Writes the JSON file with the finished benchmarks and `in_progress`,
    /// marked interrupted: what the run leaves if it is killed before the
    /// next checkpoint.
    fn checkpoint_partial(&self, in_progress: &[(usize, BenchmarkResult)]) -> Result<()> {
        if !self.exports.checkpoints() {
            return Ok(());
        }
        let mut record = self.record.clone();
        record.benchmarks.extend(in_progress.iter().map(|(_, r)| r.clone()));
        record.interrupted = true;
        self.exports.checkpoint(&record).map_err(export_error)
    }
}

/// How often, at most, the JSON file is rewritten with the samples of the
/// benchmarks in progress: often enough that a run killed outright loses
/// about a second, rarely enough that the writes do not disturb what is measured.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);

/// The observer: the progress bar, and each result printed and saved as
/// it finishes.
struct Finished<'s, 'p> {
    step: StepObserver<'p>,
    line: &'p ProgressLine,
    session: &'s mut Session,
    printed: usize,
    error: Option<anyhow::Error>,
    /// When the JSON file was last brought up to date.
    last_checkpoint: Instant,
}

impl Observer for Finished<'_, '_> {
    fn warming_up(&mut self, index: usize, meta: &BenchmarkMeta) {
        self.step.warming_up(index, meta);
    }

    fn sampled(&mut self, index: usize, samples: usize, progress: f64) {
        self.step.sampled(index, samples, progress);
    }

    /// Prints the benchmark's block and checkpoints the JSON. A failed
    /// write (a full disk behind `> file`) is kept and ends the run with an
    /// error, so results are never lost silently.
    fn finished(&mut self, _index: usize, result: &BenchmarkResult) {
        self.printed += 1;
        let colour = self.session.colour;
        let block = match self.session.format {
            Format::Blocks => terminal::benchmark_block_in(result, self.printed, colour, self.session.unit),
            Format::Timeit(style) => terminal::timeit_block(result, style, colour),
        };
        let human = self.session.human;
        if let Err(e) = self.line.suspend(|| human.print(&block)) {
            self.error.get_or_insert(e.context("cannot write the results"));
        }
        self.session.record.benchmarks.push(result.clone());
        if let Err(e) = self.session.checkpoint() {
            self.error.get_or_insert(e);
        }
        self.last_checkpoint = Instant::now();
    }

    fn wants_progress(&mut self) -> bool {
        self.last_checkpoint.elapsed() >= CHECKPOINT_INTERVAL && self.session.exports.checkpoints()
    }

    /// Checkpoints the JSON with the benchmarks in progress.
    fn in_progress(&mut self, results: &[(usize, BenchmarkResult)]) {
        if let Err(e) = self.session.checkpoint_partial(results) {
            self.error.get_or_insert(e);
        }
        self.last_checkpoint = Instant::now();
    }

    fn failed(&mut self, index: usize, failure: &Failure) {
        self.step.failed(index, failure);
    }
}

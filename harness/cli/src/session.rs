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
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use metron::analysis::BenchmarkMeta;
use metron::conclusion::{self, PairedScope};
use metron::environment;
use metron::model::{BenchmarkResult, Failure, RunRecord};
use metron::options::ComparisonOptions;
use metron::runner::{Benchmark, Observer, Outcome, RunConfig, Runner};
use metron::terminal::{self, Colour};

use crate::args::ExportArgs;
use crate::config::usage;
use crate::interrupt;
use crate::progress::{ProgressLine, StepObserver};

/// Where human-readable text goes: stdout, unless stdout carries JSON.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Human {
    Stdout,
    Stderr,
}

impl Human {
    /// Stderr when an export goes to stdout (`-`), so stdout carries only it.
    pub(crate) fn for_export(export: &ExportArgs) -> Human {
        if export.paths().iter().any(|(p, _)| p.is_some_and(is_stdout)) {
            Human::Stderr
        } else {
            Human::Stdout
        }
    }

    pub(crate) fn print(self, text: &str) -> Result<()> {
        match self {
            Human::Stdout => writeln!(std::io::stdout().lock(), "{text}")?,
            Human::Stderr => writeln!(std::io::stderr().lock(), "{text}")?,
        }
        Ok(())
    }
}

/// How each finished benchmark is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// hyperfine-style blocks, numbered.
    Blocks,
    /// timeit lines; `titled` puts the statement above them (several statements).
    Timeit {
        /// Whether to show the statement before its lines.
        titled: bool,
    },
}

/// One measuring command from start to exit status.
pub struct Session {
    record: RunRecord,
    export: ExportArgs,
    colour: Colour,
    human: Human,
    format: Format,
}

/// `-` means stdout, for every export.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Fails now, before measuring, if a result could not be written later.
fn check_writable(path: &Path, flag: &str) -> Result<()> {
    if is_stdout(path) {
        return Ok(());
    }
    if path.is_dir() {
        return Err(anyhow!("{flag} {}: is a directory", path.display()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    tempfile::Builder::new()
        .prefix(".metron-write-check")
        .tempfile_in(&dir)
        .map(drop)
        // The error of the probe file would name the probe, not the user's path.
        .map_err(|e| {
            let why = match std::fs::metadata(&dir) {
                Err(missing) => missing.to_string(),
                Ok(m) if !m.is_dir() => "not a directory".to_string(),
                Ok(_) => std::io::Error::from(e.kind()).to_string(),
            };
            anyhow!("{flag} {}: cannot write in {} ({why})", path.display(), dir.display())
        })
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
        check_exports(export)?;
        let mut environment = environment::collect();
        environment.tools.extend(tools);
        let record = RunRecord::new(std::env::args().collect(), environment, run.settings());
        let human = Human::for_export(export);
        Ok(Session { record, export: export.clone(), colour, human, format })
    }

    /// Runs benchmarks, printing and saving each result as it finishes.
    ///
    /// # Errors
    /// Invalid settings (single benchmark failures are in the outcome).
    pub fn run(&mut self, run: &RunConfig, benches: Vec<Benchmark<'_>>) -> Result<Outcome> {
        let line = ProgressLine::new(self.export.output.options.output.quiet, 1, self.colour);
        let mut observer = Finished {
            step: line.observer(benches.len()),
            line: &line,
            session: self,
            printed: 0,
            error: None,
            last_checkpoint: Instant::now(),
        };
        let outcome = Runner::new(run, &mut observer).cancel_on(&interrupt::INTERRUPTED).run(benches)?;
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
        let end = conclusion::conclude(&mut self.record, comparison, PairedScope::WholeRun);
        let mut results = Vec::new();
        let mut messages = Vec::new();
        end.print(&self.record, self.colour, &mut results, &mut messages)?;
        std::io::stderr().lock().write_all(&messages)?;
        let text = String::from_utf8_lossy(&results);
        if !text.is_empty() {
            self.human.print(text.trim_end_matches('\n'))?;
        }
        write_exports(&self.export, &self.record)?;
        Ok(ExitCode::from(end.status.code()))
    }

    /// The JSON file checkpoints go to: `--export-json` unless it is stdout.
    fn checkpoint_path(&self) -> Option<&Path> {
        self.export.export_json.as_deref().filter(|p| !is_stdout(p))
    }

    /// Writes the JSON file (not stdout) as it stands, so nothing measured is lost.
    fn checkpoint(&self) -> Result<()> {
        match self.checkpoint_path() {
            Some(p) => self.record.write_atomic(p).context("--export-json"),
            None => Ok(()),
        }
    }

    /// Writes the JSON file with the finished benchmarks and `in_progress`,
    /// marked interrupted: what the run leaves if it is killed before the
    /// next checkpoint.
    fn checkpoint_partial(&self, in_progress: &[(usize, BenchmarkResult)]) -> Result<()> {
        let Some(path) = self.checkpoint_path() else { return Ok(()) };
        let mut record = self.record.clone();
        record.benchmarks.extend(in_progress.iter().map(|(_, r)| r.clone()));
        record.interrupted = true;
        record.write_atomic(path).context("--export-json")
    }
}

/// Fails now, before anything runs, if an export could not be written later.
///
/// # Errors
/// The first export path that cannot be written.
pub fn check_exports(export: &ExportArgs) -> Result<()> {
    let given: Vec<(&Path, &str)> = export.paths().into_iter().filter_map(|(p, flag)| Some((p?, flag))).collect();
    for (i, (path, flag)) in given.iter().enumerate() {
        // Two exports to one file (or both to stdout) would overwrite or
        // interleave each other.
        if let Some((_, other)) = given[..i].iter().find(|(p, _)| p == path) {
            return Err(usage(format!("{other} and {flag} both write to {}", path.display())));
        }
        check_writable(path, flag)?;
    }
    Ok(())
}

/// Writes every export `export` asks for, of a finished (or interrupted)
/// run; the JSON file atomically, `-` to stdout.
///
/// # Errors
/// An export that cannot be rendered or written.
pub fn write_exports(export: &ExportArgs, report: &RunRecord) -> Result<()> {
    if let Some(p) = &export.export_json {
        if is_stdout(p) {
            writeln!(std::io::stdout().lock(), "{}", report.to_json())?;
        } else {
            report.write_atomic(p).context("--export-json")?;
        }
    }
    let reports = std::slice::from_ref(report);
    write_text(&export.export_html, "--export-html", || metron_report::render_html(reports))?;
    write_text(&export.export_markdown, "--export-markdown", || Ok(metron_report::render_markdown(report)))?;
    write_text(&export.export_csv, "--export-csv", || Ok(metron_report::render_csv(report)))?;
    write_text(&export.export_csv_samples, "--export-csv-samples", || Ok(metron_report::render_csv_samples(report)))?;
    Ok(())
}

fn write_text(
    path: &Option<PathBuf>,
    flag: &str,
    render: impl FnOnce() -> std::result::Result<String, metron_report::ReportError>,
) -> Result<()> {
    let Some(path) = path else { return Ok(()) };
    let text = render().with_context(|| flag.to_string())?;
    if is_stdout(path) {
        return Ok(std::io::stdout().lock().write_all(text.as_bytes())?);
    }
    std::fs::write(path, text).with_context(|| format!("{flag} {}", path.display()))
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
            Format::Blocks => terminal::benchmark_block(result, self.printed, colour),
            Format::Timeit { titled } => terminal::timeit_block(result, titled, colour),
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
        self.session.checkpoint_path().is_some() && self.last_checkpoint.elapsed() >= CHECKPOINT_INTERVAL
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

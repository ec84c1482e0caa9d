//! A measuring session: what every command that measures shares. It checks
//! the export paths before anything runs, shows progress on stderr, prints
//! each result on stdout as it finishes, keeps the JSON file up to date after
//! every benchmark, and at the end adds comparisons and baselines, writes
//! every export and decides the exit status.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use metron::analysis::BenchmarkMeta;
use metron::compare::{self, BaselineOptions};
use metron::model::{BenchmarkResult, Failure, RunRecord};
use metron::runner::{Benchmark, Observer, Outcome, RunConfig, Runner};
use metron::terminal::{self, Colour};
use metron::{baseline, environment};

use crate::args::{CompareArgs, ExportArgs};
use crate::config::usage;
use crate::interrupt;

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
    report: RunRecord,
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
    /// An export path that cannot be written, or a bad `--color`.
    pub fn start(
        export: &ExportArgs,
        run: &RunConfig,
        tools: BTreeMap<String, String>,
        format: Format,
    ) -> Result<Session> {
        let colour = crate::config::colour(&export.color)?;
        check_exports(export)?;
        let mut environment = environment::collect();
        environment.tools.extend(tools);
        let report = RunRecord::new(std::env::args().collect(), environment, run.settings());
        let human = Human::for_export(export);
        Ok(Session { report, export: export.clone(), colour, human, format })
    }

    /// Runs benchmarks, printing and saving each result as it finishes.
    ///
    /// # Errors
    /// Invalid settings (single benchmark failures are in the outcome).
    pub fn run(&mut self, run: &RunConfig, benches: Vec<Benchmark<'_>>) -> Result<Outcome> {
        let total = benches.len();
        let mut progress = Progress::new(self, total);
        let outcome = Runner::new(run, &mut progress).cancel_on(&interrupt::INTERRUPTED).run(benches)?;
        progress.bar.finish_and_clear();
        if let Some(e) = progress.error.take() {
            return Err(e);
        }
        self.report.failures.extend(outcome.failures.iter().cloned());
        self.report.interrupted |= outcome.interrupted;
        Ok(outcome)
    }

    /// Comparisons, baselines, exports, exit status. The flags were checked
    /// before measuring (`config::check_compare_args`, `check_reference`).
    ///
    /// # Errors
    /// A baseline that became unreadable during the run, an export that fails.
    pub fn conclude(mut self, compare_args: &CompareArgs) -> Result<ExitCode> {
        let clock = self.report.settings.clock;
        if let Some(name) = &compare_args.reference {
            // The name was checked before measuring, so the reference failed
            // or was interrupted: its failure is reported and sets the status.
            if compare::reference_index(&self.report.benchmarks, Some(name)).is_none() {
                eprintln!("--reference '{name}' was not measured: no comparisons");
            }
        }
        self.report.comparisons =
            compare::paired_all(&self.report.benchmarks, compare_args.reference.as_deref(), clock);
        for c in &self.report.comparisons {
            self.human.print(&terminal::verdict_line(c, self.colour))?;
        }
        let mut gate_failed = false;
        if let Some(name) = &compare_args.baseline {
            let opts = BaselineOptions {
                clock,
                noise: compare_args.noise,
                seed: self.report.settings.seed,
                ..BaselineOptions::default()
            };
            let result = baseline::compare_with(&mut self.report, name, &opts).map(|c| {
                let failed = compare_args.fail_on_regression.is_some_and(|t| !compare::gate_failures(c, t).is_empty());
                (terminal::change_table(c, self.colour), failed)
            });
            match result {
                Ok((table, failed)) => {
                    self.human.print(&format!("\n{table}"))?;
                    gate_failed = failed;
                }
                Err(e) => {
                    self.write_exports()?;
                    return Err(e).context("--baseline");
                }
            }
        }
        if let Some(name) = &compare_args.save_baseline {
            let path = baseline::save(&self.report, name).context("--save-baseline")?;
            eprintln!("saved baseline '{name}' to {}", path.display());
        }
        self.write_exports()?;
        Ok(self.exit_code(gate_failed))
    }

    fn exit_code(&self, gate_failed: bool) -> ExitCode {
        if self.report.interrupted {
            ExitCode::from(interrupt::EXIT_INTERRUPTED)
        } else if gate_failed || !self.report.failures.is_empty() || self.report.benchmarks.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }

    /// Writes the JSON file (not stdout) as it stands, so nothing measured is lost.
    fn checkpoint(&self) -> Result<()> {
        match &self.export.export_json {
            Some(p) if !is_stdout(p) => self.report.write_atomic(p).context("--export-json"),
            _ => Ok(()),
        }
    }

    fn write_exports(&self) -> Result<()> {
        write_exports(&self.export, &self.report)
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

/// The observer: a progress bar on stderr, and each result printed and
/// saved as it finishes.
struct Progress<'s> {
    session: &'s mut Session,
    bar: ProgressBar,
    fractions: Vec<f64>,
    names: Vec<String>,
    printed: usize,
    error: Option<anyhow::Error>,
}

impl<'s> Progress<'s> {
    fn new(session: &'s mut Session, total: usize) -> Progress<'s> {
        let target =
            if session.export.quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr_with_hz(8) };
        let bar = ProgressBar::with_draw_target(Some(1000), target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30.cyan/blue} {msg}")
                .expect("valid template")
                .progress_chars("█▉▊▋▌▍▎▏ "),
        );
        Progress {
            session,
            bar,
            fractions: vec![0.0; total],
            names: vec![String::new(); total],
            printed: 0,
            error: None,
        }
    }

    /// Prints a finished benchmark's block; a failed write (a full disk
    /// behind `> file`) is kept and ends the run with an error, so results
    /// are never lost silently.
    fn say(&mut self, text: &str) {
        let human = self.session.human;
        if let Err(e) = self.bar.suspend(|| human.print(text)) {
            self.error.get_or_insert(e.context("cannot write the results"));
        }
    }
}

impl Observer for Progress<'_> {
    fn warming_up(&mut self, index: usize, meta: &BenchmarkMeta) {
        if let Some(n) = self.names.get_mut(index) {
            *n = meta.name.clone();
        }
        self.bar.set_message(format!("warming up {}", meta.name));
    }

    fn sampled(&mut self, index: usize, samples: usize, progress: f64) {
        if let Some(f) = self.fractions.get_mut(index) {
            *f = progress;
        }
        let mean = self.fractions.iter().sum::<f64>() / self.fractions.len().max(1) as f64;
        self.bar.set_position((mean * 1000.0) as u64);
        let name = self.names.get(index).map_or("", String::as_str);
        self.bar.set_message(format!("{name}: {samples} runs"));
    }

    fn finished(&mut self, _index: usize, result: &BenchmarkResult) {
        self.printed += 1;
        let block = match self.session.format {
            Format::Blocks => terminal::benchmark_block(result, self.printed, self.session.colour),
            Format::Timeit { titled } => terminal::timeit_block(result, titled, self.session.colour),
        };
        self.say(&block);
        self.session.report.benchmarks.push(result.clone());
        if let Err(e) = self.session.checkpoint() {
            self.error.get_or_insert(e);
        }
    }

    fn failed(&mut self, _index: usize, failure: &Failure) {
        let what = if failure.reason.contains(&failure.name) {
            failure.reason.clone()
        } else {
            format!("{}: {}", failure.name, failure.reason)
        };
        let line = format!("{} {what}", self.session.colour.paint("1;31", "Error:"));
        self.bar.suspend(|| eprintln!("{line}"));
    }
}

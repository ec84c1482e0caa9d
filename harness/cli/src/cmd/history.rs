//! `metron history add|check|show|report`, and `--history` on the
//! measuring commands: every decision is a `metron-history` call (the
//! store, the series, the change points) or a `metron-report` one (the
//! dashboard); this module parses, names the database and prints.
//!
//! A bench binary (`metron::main!`) cannot write the history itself (the
//! core library knows no SQL): it saves its run with `--export-json run.json`
//! and `metron history add run.json` keeps it.

mod dashboard;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use metron::model::RunRecord;
use metron_history::changepoint::Detector;
use metron_history::check::{self, Checked};
use metron_history::series::{self, Grouping};
use metron_history::{Filter, History, Location, RunKey};

use crate::config::usage;

const AFTER_HELP: &str = "\
Examples:
  metron --history 'make -s'
      measure, then append the run to .metron/history.db
  cargo bench -- --export-json run.json && metron history add run.json --commit c1
      keep a saved run (a bench binary's, or any metron JSON)
  metron history check --since v1.2 --fail-on-regression=5%
      exit 1 if a benchmark got more than 5% slower after v1.2
  metron history show 'sleep 0.01'
      one benchmark's series, with its change points
  metron history report -o site/
      a static dashboard: sparklines, then a page per benchmark
  METRON_HISTORY=postgres://ci@db/perf metron history check
      the same, on a PostgreSQL server

The history is an SQLite file (default .metron/history.db) or a PostgreSQL
server (--history postgres://USER@HOST/DB); METRON_HISTORY sets it for every
command. Series are per benchmark and host (--by cpu or --by merged to join
machines). Change points: PELT with a robust (biweight) cost over each run's
median and its standard error, each confirmed by a t test between the levels
on either side (p < 0.001).";

/// `metron history`.
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct HistoryArgs {
    /// What to do with the history.
    #[command(subcommand)]
    pub action: Action,
}

/// The subcommands of `metron history`.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Add saved runs (metron's JSON) to the history.
    Add(AddArgs),
    /// Find change points in every benchmark's series; --fail-on-regression gates CI.
    Check(CheckArgs),
    /// Print one benchmark's series with its change points.
    Show(ShowArgs),
    /// Write the dashboard: a static site with a trend per benchmark.
    Report(ReportArgs),
}

/// Where the history is (every subcommand).
#[derive(Debug, Args, Clone, Default)]
pub struct Database {
    /// The history: an SQLite file or postgres://… (default: $METRON_HISTORY, else .metron/history.db).
    #[arg(long = "history", value_name = "PATH|URL")]
    pub history: Option<String>,
}

impl Database {
    fn location(&self) -> Location {
        Location::resolve(self.history.as_deref(), std::env::var(metron_history::ENV_VAR).ok().as_deref())
    }
}

/// Which series are read (check, show, report).
#[derive(Debug, Args, Clone, Default)]
pub struct Selection {
    /// Only runs of this branch.
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
    /// What separates series of one benchmark: host (default), cpu model, or merged.
    #[arg(long, value_enum, default_value = "host")]
    pub by: By,
}

/// `--by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum By {
    /// One series per host.
    #[default]
    Host,
    /// One series per CPU model.
    Cpu,
    /// One series for all hosts.
    Merged,
}

impl From<By> for Grouping {
    fn from(by: By) -> Grouping {
        match by {
            By::Host => Grouping::Host,
            By::Cpu => Grouping::CpuModel,
            By::Merged => Grouping::Merged,
        }
    }
}

/// `metron history add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Saved runs (metron's JSON: --export-json, a bench binary's, a baseline).
    #[arg(value_name = "RUN.json", required = true)]
    pub files: Vec<PathBuf>,
    /// The commit the runs measured (default: the git commit each recorded).
    #[arg(long, value_name = "REV")]
    pub commit: Option<String>,
    /// The branch the runs belong to.
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
    /// A label for the runs (default: each run's --label).
    #[arg(long, value_name = "TEXT")]
    pub label: Option<String>,
    #[command(flatten)]
    pub database: Database,
}

/// `metron history check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only change points after the (last) run of this commit count for --fail-on-regression.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// Exit with status 1 if a benchmark regressed (by more than PCT, when given).
    #[arg(long, value_name = "PCT", num_args = 0..=1, require_equals = true, default_missing_value = "0")]
    pub fail_on_regression: Option<String>,
    /// Print the findings as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub database: Database,
}

/// `metron history show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The benchmark (`group/name`, as in the results).
    #[arg(value_name = "BENCH")]
    pub benchmark: String,
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub database: Database,
}

/// `metron history report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Directory of the site (index.html and a page per benchmark).
    #[arg(short = 'o', long = "out", value_name = "DIR", required = true)]
    pub out: PathBuf,
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub database: Database,
}

/// `--history[=PATH|URL]` on a measuring command.
#[derive(Debug, Args, Clone, Default)]
pub struct AppendFlag {
    /// Append the finished run to the history (default: $METRON_HISTORY, else .metron/history.db).
    #[arg(long = "history", value_name = "PATH|URL", num_args = 0..=1, require_equals = true,
          default_missing_value = "", help_heading = "Output")]
    pub history: Option<String>,
}

impl AppendFlag {
    fn location(&self) -> Option<Location> {
        let given = self.history.as_deref()?;
        Some(Database { history: Some(given.to_string()) }.location())
    }

    /// Opens the history before anything is measured, so a corrupt or
    /// unreachable one fails the command before it wastes a run.
    ///
    /// # Errors
    /// The history's error, in one line.
    pub fn check(&self) -> Result<()> {
        if let Some(location) = self.location() {
            History::open(&location)?;
        }
        Ok(())
    }

    /// Appends the finished run, in one transaction. An interrupted run or
    /// one that measured nothing is not added (a note says so).
    ///
    /// # Errors
    /// The history's error, in one line.
    pub fn append(&self, record: &RunRecord, quiet: bool) -> Result<()> {
        let Some(location) = self.location() else { return Ok(()) };
        if record.interrupted || record.benchmarks.is_empty() {
            eprintln!("not added to the history {}: the run was interrupted or measured nothing", location.display());
            return Ok(());
        }
        let mut history = History::open(&location)?;
        let key = RunKey { branch: current_branch(), ..RunKey::default() };
        let id = history.add(record, &key, "this run")?;
        if !quiet {
            eprintln!("added run {id} to the history {}", history.location());
        }
        Ok(())
    }
}

/// The checked-out branch, when the current directory is in a git
/// repository on one (not a detached HEAD).
fn current_branch() -> Option<String> {
    let out = std::process::Command::new("git").args(["rev-parse", "--abbrev-ref", "HEAD"]).output().ok()?;
    let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !name.is_empty() && name != "HEAD").then_some(name)
}

/// Runs `metron history …`.
pub fn run(args: HistoryArgs) -> Result<ExitCode> {
    match args.action {
        Action::Add(a) => add(&a),
        Action::Check(a) => check_cmd(&a),
        Action::Show(a) => show(&a),
        Action::Report(a) => report(&a),
    }
}

fn add(args: &AddArgs) -> Result<ExitCode> {
    // Every file is read first: one bad file adds nothing.
    let records = args.files.iter().map(|f| RunRecord::load(f).map(|r| (f, r))).collect::<Result<Vec<_>, _>>()?;
    if let Some((file, _)) = records.iter().find(|(_, r)| r.benchmarks.is_empty()) {
        return Err(metron_history::HistoryError::EmptyRun { origin: file.display().to_string() }.into());
    }
    let mut history = History::open(&args.database.location())?;
    let key = RunKey { commit: args.commit.clone(), branch: args.branch.clone(), label: args.label.clone() };
    for (file, record) in &records {
        let id = history.add(record, &key, &file.display().to_string())?;
        println!("added {} as run {id} ({} benchmarks)", file.display(), record.benchmarks.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// The series `selection` asks for, checked, with `--since`'s cutoff.
fn checked(
    history: &mut History,
    selection: &Selection,
    benchmark: Option<&str>,
    since: Option<&str>,
) -> Result<Vec<Checked>> {
    let filter = Filter { branch: selection.branch.clone(), benchmark: benchmark.map(str::to_string) };
    let points = history.points(&filter)?;
    let cutoff = match since {
        Some(rev) => Some(check::since_cutoff(&points, rev).ok_or_else(|| {
            usage(format!("--since {rev}: no run of that commit in the history {}", history.location()))
        })?),
        None => None,
    };
    let detector = Detector::default();
    let all = series::group(points, selection.by.into());
    Ok(all.into_iter().map(|s| check::check(s, &detector, cutoff.as_ref())).collect())
}

fn check_cmd(args: &CheckArgs) -> Result<ExitCode> {
    let threshold = args
        .fail_on_regression
        .as_deref()
        .map(|t| metron::options::parse_percent(t).map_err(|e| usage(format!("--fail-on-regression: {e}"))))
        .transpose()?;
    let mut history = History::open_existing(&args.database.location())?;
    let results = checked(&mut history, &args.selection, None, args.since.as_deref())?;
    if results.is_empty() {
        return Err(anyhow::anyhow!("{}: no runs to check{}", history.location(), text::branch_note(&args.selection)));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&text::check_json(&results)).context("cannot write JSON")?);
    } else {
        print!("{}", text::check_report(&results));
    }
    let gate = threshold.is_some_and(|t| results.iter().any(|c| c.regressions_beyond(t).next().is_some()));
    Ok(if gate { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn show(args: &ShowArgs) -> Result<ExitCode> {
    let mut history = History::open_existing(&args.database.location())?;
    let results = checked(&mut history, &args.selection, Some(&args.benchmark), None)?;
    if results.is_empty() {
        let all = history.points(&Filter { branch: args.selection.branch.clone(), benchmark: None })?;
        return Err(usage(text::unknown_benchmark(&args.benchmark, &all, history.location())));
    }
    print!("{}", text::series_tables(&results));
    Ok(ExitCode::SUCCESS)
}

fn report(args: &ReportArgs) -> Result<ExitCode> {
    let mut history = History::open_existing(&args.database.location())?;
    let results = checked(&mut history, &args.selection, None, None)?;
    if results.is_empty() {
        return Err(anyhow::anyhow!("{}: no runs to report", history.location()));
    }
    let site = dashboard::build(history.location(), &results);
    let index = metron_report::dashboard::write_dashboard(&site, &args.out)?;
    eprintln!("wrote {} ({} benchmarks)", index.display(), site.benchmarks.len());
    Ok(ExitCode::SUCCESS)
}

//! The command line, as clap sees it. Values are parsed here into raw
//! settings and turned into library configuration once, in [`crate::config`];
//! no clap type reaches the library.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::flags::{ExportFlags, Flags, ForCommands, ForStatements, Judging, Measuring, Output};

const AFTER_HELP: &str = "\
Examples:
  metron 'sleep 0.02'                         time a command
  metron 'grep -F foo big.txt' 'grep foo big.txt'
                                              compare two commands (interleaved, with a verdict)
  metron -P t 1 3 'sleep 0.{t}'               a parameter scan
  metron timeit -s 'printf x > /tmp/f' 'cat /tmp/f'
                                              timeit-style one-liner
  metron --save-baseline main 'make -s'       save a baseline, later: --baseline main
  metron compare old.json new.json --fail-on-regression
                                              CI gate between two saved runs

Statistics: each benchmark is sampled until the 95% confidence interval of its
median is within --precision (default ±1%) or --time-budget (default 3 s) is
spent, never fewer than --min-runs. Benchmarks given together run in
interleaved rounds in a random order (seeded by --seed) and are compared with a
paired test on log ratios.

Exit status: 0 when everything was measured; 1 when a benchmark failed or a
regression gate tripped; 2 for invalid arguments; 130 when interrupted (what was
measured is still written).";

/// metron: a statistical benchmark harness.
///
/// Times shell commands (like hyperfine), snippets (like Python's timeit) and
/// workload suites, reports medians with confidence intervals and CPU vs wall
/// time, and says whether one thing is faster than another, and how sure it is.
#[derive(Debug, Parser)]
#[command(name = "metron", version, after_help = AFTER_HELP, args_conflicts_with_subcommands = true)]
#[command(subcommand_negates_reqs = true, allow_negative_numbers = true)]
pub struct Cli {
    /// What to do; without a subcommand, the COMMANDs are benchmarked.
    #[command(subcommand)]
    pub subcommand: Option<Sub>,
    /// Commands to benchmark (one or more).
    #[command(flatten)]
    pub run: RunArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Time a statement, as Python's `python -m timeit` does (shell statements
    /// by default; Python and Rust snippets with --lang).
    Timeit(Box<TimeitArgs>),
    /// Compare two saved runs (JSON) benchmark by benchmark.
    Compare(Box<CompareFilesArgs>),
    /// Render saved runs (JSON) as a self-contained HTML page with charts.
    Report(Box<crate::cmd::report::ReportArgs>),
    /// Run a workload suite (the concurrency suite: sequential, threads,
    /// processes, thread pool, process pool) and report how each scales.
    Suite(Box<crate::cmd::suite::SuiteArgs>),
    /// Run metron on other machines over SSH and merge their results:
    /// metron remote --hosts a,b -- 'sleep 0.01'.
    Remote(Box<crate::cmd::remote::RemoteArgs>),
    /// Keep every run in a history (SQLite or PostgreSQL), find the change
    /// points of each benchmark, publish a dashboard: metron history check.
    History(Box<crate::cmd::history::HistoryArgs>),
    /// Print a shell completion script: metron completions bash > /etc/bash_completion.d/metron.
    Completions(crate::cmd::shell::CompletionsArgs),
    /// Print the manual page (roff): metron man | man -l -.
    Man,
}

/// Benchmarking commands: `metron [OPTIONS] COMMAND...`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The commands to benchmark. Plain commands run directly; ones with shell
    /// syntax (pipes, redirections, ;, $VAR) run through `sh -c` and the
    /// shell's start-up time is measured and subtracted (see --shell).
    #[arg(value_name = "COMMAND", required = true)]
    pub commands: Vec<String>,

    /// Run once before all timed runs of each command (untimed).
    #[arg(short = 's', long, value_name = "CMD")]
    pub setup: Option<String>,
    /// Run before every timed run (untimed). Give once for all commands or once per command.
    #[arg(long, value_name = "CMD")]
    pub prepare: Vec<String>,
    /// Run after every timed run (untimed). Give once for all commands or once per command.
    #[arg(long, value_name = "CMD")]
    pub conclude: Vec<String>,
    /// Run once after all timed runs of each command (untimed).
    #[arg(short = 'c', long, value_name = "CMD")]
    pub cleanup: Option<String>,
    /// Name the commands in the output, in order (one --name per command).
    #[arg(short = 'n', long = "name", value_name = "NAME")]
    pub names: Vec<String>,
    /// Benchmark each command once per integer value MIN..=MAX of {NAME}, e.g. -P t 1 5 'sleep 0.{t}'.
    // One parameter only (`ArgAction::Set`): clap's default for a Vec
    // appends, and a second -P or -L would be silently ignored.
    #[arg(short = 'P', long, num_args = 3, value_names = ["NAME", "MIN", "MAX"], action = ArgAction::Set)]
    pub parameter_scan: Option<Vec<String>>,
    /// Step of --parameter-scan (default 1; may be fractional).
    #[arg(short = 'D', long = "step", alias = "parameter-step-size", value_name = "STEP", requires = "parameter_scan")]
    pub step: Option<String>,
    /// Benchmark each command once per value of {NAME}, e.g. -L mode fast,safe. Values reach a shell as data, never as code.
    #[arg(short = 'L', long, num_args = 2, value_names = ["NAME", "VALUES"], conflicts_with = "parameter_scan",
          action = ArgAction::Set)]
    pub parameter_list: Option<Vec<String>>,
    /// How commands start: auto (directly unless they use shell syntax), none (always directly), or a shell program.
    #[arg(short = 'S', long, value_name = "auto|none|PROGRAM", default_value = "auto")]
    pub shell: String,
    /// Time runs that exit non-zero instead of stopping with an error.
    #[arg(short = 'i', long)]
    pub ignore_failure: bool,
    /// Let commands print to the terminal (default: output is discarded).
    #[arg(long)]
    pub show_output: bool,

    /// Sampling and comparison flags (from the library's table).
    #[command(flatten)]
    pub measure: Flags<Measuring<ForCommands>>,
    #[command(flatten)]
    pub export: ExportArgs,
}

/// Where results go, besides the terminal.
#[derive(Debug, Args, Clone, Default)]
pub struct ExportArgs {
    /// `--export-json`, `--export-html`, … (from metron-report's table of formats).
    #[command(flatten)]
    pub files: ExportFlags,
    /// `--label`, `--color`, `--quiet` (from the library's table).
    #[command(flatten)]
    pub output: Flags<Output>,
    /// `--history[=PATH|URL]`: append the finished run to the history.
    #[command(flatten)]
    pub history: crate::cmd::history::AppendFlag,
}

/// `metron timeit`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
#[command(after_help = "\
Prints Python's line (N loops, best of R: X per loop), IPython's line
(mean ± std. dev.), the median with its 95% CI and CPU vs wall time.
Several statements are interleaved and compared.

Example: metron timeit -s 'printf x > /tmp/f' 'cat /tmp/f'")]
pub struct TimeitArgs {
    /// Statements to time; several are compared.
    #[arg(value_name = "STMT", required = true)]
    pub statements: Vec<String>,
    /// Setup, run once before timing (untimed); repeat for several lines.
    #[arg(short = 's', long, value_name = "SETUP")]
    pub setup: Vec<String>,
    /// Language of the statements.
    #[arg(long, value_enum, default_value = "sh")]
    pub lang: Lang,
    /// Python interpreter for --lang python.
    #[arg(long, value_name = "PATH", default_value = "python3")]
    pub python: String,
    /// A crate the Rust snippet uses, as in Cargo.toml: --dep 'rand=0.9' (repeatable).
    #[arg(long = "dep", value_name = "NAME=VERSION")]
    pub deps: Vec<String>,
    /// Build Rust snippets without network access (dependencies must be cached).
    #[arg(long)]
    pub offline: bool,

    /// Sampling and comparison flags (from the library's table): -n/--number
    /// loops per sample, -r/--runs (--repeat) samples, as Python spells them.
    #[command(flatten)]
    pub measure: Flags<Measuring<ForStatements>>,
    #[command(flatten)]
    pub export: ExportArgs,
}

/// Snippet languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Shell statements: one loop is one run of the statement.
    Sh,
    /// Python statements, run by a long-lived python3 driver.
    Python,
    /// Rust statements, compiled into a release driver program.
    Rust,
}

/// `metron compare OLD.json NEW.json`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct CompareFilesArgs {
    /// The earlier run.
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,
    /// The later run.
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
    /// --clock, --noise, --fail-on-regression, --color (from the library's table).
    #[command(flatten)]
    pub judge: Flags<Judging>,
    /// Write the comparison (the new run with a baseline section) as JSON.
    #[arg(long, value_name = "FILE")]
    pub export_json: Option<PathBuf>,
}

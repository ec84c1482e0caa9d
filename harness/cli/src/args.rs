//! The command line, as clap sees it. Values are parsed here into raw
//! settings and turned into library configuration once, in [`crate::config`];
//! no clap type reaches the library.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

/// `--sort`, through the library's one parser of sort orders.
fn parse_sort(text: &str) -> Result<metron::options::SortOrder, String> {
    text.parse()
}

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

hyperfine's flags work as in hyperfine (-N, -p, -n/--command-name, -u, -L given
several times, --style, --sort, --output, --export-asciidoc/-orgmode, and
--export-hyperfine for hyperfine's JSON schema). metron differs on purpose:
the headline is the median with its 95% CI, not the mean ± σ; sampling stops at
--precision rather than after a fixed count; commands run interleaved; a
plain command runs without a shell (as with -N) and one with shell syntax
through sh, whose start-up is subtracted; --sort median sorts by the median.

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
    /// Turn hyperfine's JSON or criterion's target/criterion into a metron
    /// run, for report and compare: metron import hyperfine h.json --export-json run.json.
    Import(Box<crate::cmd::import::ImportArgs>),
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
    Completions(crate::cmd::completions::CompletionsArgs),
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
    #[arg(short = 'p', long, value_name = "CMD")]
    pub prepare: Vec<String>,
    /// Run after every timed run (untimed). Give once for all commands or once per command.
    #[arg(long, value_name = "CMD")]
    pub conclude: Vec<String>,
    /// Run once after all timed runs of each command (untimed).
    #[arg(short = 'c', long, value_name = "CMD")]
    pub cleanup: Option<String>,
    /// Name the commands in the output, in order (one --name per command).
    #[arg(short = 'n', long = "name", visible_alias = "command-name", value_name = "NAME")]
    pub names: Vec<String>,
    /// Benchmark each command once per integer value MIN..=MAX of {NAME}, e.g. -P t 1 5 'sleep 0.{t}'.
    // One parameter only (`ArgAction::Set`): clap's default for a Vec
    // appends, and a second -P or -L would be silently ignored.
    #[arg(short = 'P', long, num_args = 3, value_names = ["NAME", "MIN", "MAX"], action = ArgAction::Set)]
    pub parameter_scan: Option<Vec<String>>,
    /// Step of --parameter-scan (default 1; may be fractional).
    #[arg(short = 'D', long = "step", alias = "parameter-step-size", value_name = "STEP", requires = "parameter_scan")]
    pub step: Option<String>,
    /// Benchmark each command once per value of {NAME}, e.g. -L mode fast,safe; several -L give every
    /// combination (the first varying fastest, as in hyperfine). Values reach a shell as data, never as code.
    #[arg(short = 'L', long, num_args = 2, value_names = ["NAME", "VALUES"], conflicts_with = "parameter_scan",
          action = ArgAction::Append)]
    pub parameter_list: Vec<String>,
    /// How commands start: auto (directly unless they use shell syntax), none (always directly), or a shell program.
    #[arg(short = 'S', long, value_name = "auto|none|PROGRAM", default_value = "auto")]
    pub shell: String,
    /// No shell: --shell none (hyperfine's -N).
    #[arg(short = 'N', conflicts_with = "shell")]
    pub no_shell: bool,
    /// Time runs that exit non-zero instead of stopping with an error.
    #[arg(short = 'i', long)]
    pub ignore_failure: bool,
    /// Let commands print to the terminal (default: output is discarded).
    #[arg(long)]
    pub show_output: bool,
    /// Where commands' stdout goes, as in hyperfine: null (the default), pipe (read and discarded, for
    /// programs that notice /dev/null), inherit (as --show-output), or a FILE written anew each run.
    #[arg(long, value_name = "WHERE")]
    pub output: Option<String>,
    /// Output style, as hyperfine's: auto, basic (no colour, no progress), full (colour even off a terminal,
    /// and progress), nocolor, color (colour, no progress), none (nothing but errors; exports are still written).
    #[arg(long, value_name = "TYPE", value_enum, help_heading = "Output")]
    pub style: Option<crate::config::Style>,
    /// Order of the summary and the exports: command (as given; hyperfine's auto) or median (fastest first;
    /// hyperfine's mean-time sorts by mean, metron by its headline, the median).
    #[arg(long, value_name = "ORDER", default_value = "command", value_parser = parse_sort, help_heading = "Output")]
    pub sort: metron::options::SortOrder,

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
    /// Unit of every time shown and of the Markdown, AsciiDoc and Org tables: ns, us, ms or s
    /// (also Python's nsec…sec, hyperfine's millisecond, second). JSON and CSV keep ns (hyperfine JSON: s).
    #[arg(short = 'u', long, visible_alias = "unit", value_name = "UNIT", value_parser = metron::options::parse_time_unit,
          help_heading = "Output")]
    pub time_unit: Option<metron::time::TimeUnit>,
    /// `--history[=PATH|URL]`: append the finished run to the history.
    #[command(flatten)]
    pub history: crate::cmd::history::AppendFlag,
}

/// `metron timeit`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
#[command(after_help = "\
Prints Python's line (N loops, best of R: X per loop), IPython's line
(mean ± std. dev.), the median with its 95% CI, the precision reached and why
sampling stopped, and CPU vs wall time.

As in python -m timeit, several STMT arguments are the lines of one statement
and several -s the lines of one setup; -n, -r, -u, -p and -v mean what they
mean there. metron differs on purpose in when it stops: each statement is
sampled until its median's 95% CI is within --precision (±1%) or 1 s of
measuring is spent (about as long as python -m timeit takes), at least 5
samples of at least 10 ms. To compare statements, give --compare: each STMT is
then a statement of its own, and they are interleaved and compared.

Examples:
  metron timeit --lang python -s 'x = 0' 'for i in range(10):' '    x += i'
  metron timeit --lang python -u usec -s 'x=list(range(1000))' 'sorted(x)'
  metron timeit --compare 'cat /tmp/f' 'head -c1 /tmp/f'")]
pub struct TimeitArgs {
    /// The statement, one line per argument (as python -m timeit joins them); with --compare, one
    /// statement per argument.
    #[arg(value_name = "STMT", required = true)]
    pub statements: Vec<String>,
    /// Setup, run once before timing (untimed); several -s are the lines of one setup.
    #[arg(short = 's', long, value_name = "SETUP")]
    pub setup: Vec<String>,
    /// Each STMT is a statement of its own: time them interleaved and compare them.
    #[arg(long)]
    pub compare: bool,
    /// Time CPU of the process, not wall time (Python's -p/--process: time.process_time); as --clock cpu.
    #[arg(short = 'p', long)]
    pub process: bool,
    /// Print every sample's time too (Python's -v/--verbose: raw times).
    #[arg(short = 'v', long, action = ArgAction::Count)]
    pub verbose: u8,
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

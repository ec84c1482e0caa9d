//! `metron suite concurrency`: the same workloads as sequential, thread,
//! process, thread-pool and process-pool variants, in Rust and CPython,
//! measured by metron's runner and summed up in numbers and words.
//!
//! What runs and how big is `metron_suites::SuitePlan`; this module turns
//! the flags into a plan, runs its groups one after another (each group's
//! benchmarks in interleaved rounds), prints each group as it finishes, and
//! at the end writes `DIR/suite.json` (the run report, with the suite's
//! derived figures and conclusions in `extensions.suite`) and
//! `DIR/index.html`, and prints the conclusions. A variant that fails
//! (a crashed worker, a wrong checksum) is reported with its reason while
//! the rest of the suite goes on; the exit status is then 1.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::ValueEnum;
use metron::model::{BenchmarkResult, Failure};
use metron::options::parse_duration;
use metron::runner::{Observer, Runner};
use metron::terminal::Colour;
use metron::RunRecord;
use metron_suites::available::Available;
use metron_suites::extension::{SectionInput, SuiteSection};
use metron_suites::figures::{derive_with, Limits};
use metron_suites::plan::{Group, GroupKind, Toolkit};
use metron_suites::python_suite::PythonSuite;
use metron_suites::user::{UserProbe, UserWork};
use metron_suites::{group_lines, Lang, Scale, SuitePlan, VariantKind, WorkerCommand, WorkloadKind};

use super::suite_user::UserArgs;
use crate::args::ExportArgs;
use crate::config::usage;
use crate::progress::ProgressLine;
use crate::session::{self, Human};
use metron::interrupt;
use metron_report::ExportManager;

/// The suites `metron suite` knows.
const SUITES: [&str; 1] = ["concurrency"];

/// Run a workload suite and report how each variant scales.
#[derive(Debug, clap::Args)]
#[command(allow_negative_numbers = true)]
#[command(after_help = "\
The concurrency suite runs the workloads cpu (a hash chain), io (a wait and
small file reads), mixed (computation, then a wait) and transfer (large input
in, large output out) as sequential, threads, processes, thread-pool, rayon
(Rust only) and process-pool variants, checks that every variant computes the
same checksum, and derives speedup, efficiency, CPU/wall utilisation, the
Karp-Flatt serial fraction and the cost of starting a thread vs a process.

Your own workload instead: --python FILE.py:FUNC runs FUNC(item) for every
item (--inputs FILE.py:ITEMS or --inputs-expr EXPR) as sequential, threads
(one per worker, a shared queue), processes (one per worker, results through
a Queue), thread-pool and process-pool (concurrent.futures); every variant's
results must equal the sequential ones. --command 'CMD {item}' runs a command
for every item, sequential and N at a time as processes; every exit status
must be 0. Before and after each group a short busy-loop calibration measures
how many cores metron really had; when other load left fewer than the
variants could use, the conclusions say so instead of naming a winner.

Writes DIR/suite.json and DIR/index.html (default DIR: metron-suite).

Examples:
  metron suite concurrency --quick              seconds, both languages
  metron suite concurrency --lang rust --workers 1,2,4,8 -o results/
  metron suite concurrency --python work.py:parse --inputs work.py:files --workers 2,4
  metron suite concurrency --python work.py:fetch --inputs-expr 'range(16)' --start-method spawn
  metron suite concurrency --command 'gzip -9 -c {item}' --items a.txt,b.txt,c.txt --workers 2")]
pub struct SuiteArgs {
    /// The suite to run: concurrency.
    #[arg(value_name = "SUITE")]
    pub suite: String,
    /// Which implementations to run.
    #[arg(long, value_enum, default_value = "all")]
    pub lang: SuiteLang,
    /// Worker counts of every non-sequential variant [default: 1,2,4,… up to twice the cores].
    #[arg(long, value_name = "N,N,…", value_delimiter = ',')]
    pub workers: Option<Vec<usize>>,
    /// Seconds instead of a minute: one worker count, smaller tasks, shorter sampling.
    #[arg(long)]
    pub quick: bool,
    /// Workloads to run [default: cpu,io,mixed,transfer].
    #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
    pub workloads: Option<Vec<String>>,
    /// Variants to run besides sequential [default: all].
    #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
    pub variants: Option<Vec<String>>,
    /// Tasks each workload is split into [default: 8, or the largest worker count].
    #[arg(long, value_name = "N")]
    pub tasks: Option<usize>,
    /// Factor on every task's size (steps, waits, bytes), e.g. 0.1 or 4.
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0)]
    pub size: f64,
    /// Sampling time per benchmark [default: 300ms, 100ms with --quick].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub time_budget: Option<Duration>,
    /// At least N timed runs per benchmark [default: 8, 10 with --quick].
    #[arg(short = 'm', long, value_name = "N")]
    pub min_runs: Option<usize>,
    /// Seed of the round order and of the bootstrap.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Python interpreter for the Python half and for --python.
    #[arg(long, value_name = "PATH", default_value = "python3")]
    pub interpreter: String,
    /// Directory for suite.json and index.html (created if needed).
    #[arg(short = 'o', long, value_name = "DIR", default_value = "metron-suite")]
    pub out: PathBuf,
    #[command(flatten)]
    pub user: UserArgs,
    #[command(flatten)]
    pub export: ExportArgs,
}

/// `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SuiteLang {
    /// The Rust variants.
    Rust,
    /// The CPython variants.
    Python,
    /// Both.
    All,
}

/// Runs `metron suite`.
///
/// # Errors
/// Usage errors (exit 2), an unusable Python when only Python was asked
/// for, or results that cannot be written.
pub fn run(args: SuiteArgs) -> Result<ExitCode> {
    if !SUITES.contains(&args.suite.as_str()) {
        return Err(usage(format!("unknown suite '{}' (available: {})", args.suite, SUITES.join(", "))));
    }
    let mut plan = plan(&args)?;
    let colour = crate::config::colour(args.export.output.options.output.colour);
    let exports = session::exports(&args.export)?;
    args.export.history.check()?;
    if args.out.exists() && !args.out.is_dir() {
        return Err(usage(format!("-o {}: exists and is not a directory", args.out.display())));
    }
    std::fs::create_dir_all(&args.out).with_context(|| format!("-o {}", args.out.display()))?;
    let (kit, python_error) = toolkit(&plan, &args)?;
    let (user_probe, user_error) = probe_user(&mut plan, &kit);
    let mut environment = metron::environment::collect();
    if let Some(py) = &kit.python {
        environment.tools.insert("python3".into(), py.version().to_string());
        let method = user_probe.as_ref().map_or(py.start_method(), |p| p.start_method.as_str());
        environment.tools.insert("python3 start method".into(), method.to_string());
    }
    let mut record = RunRecord::new(std::env::args().collect(), environment, plan.run_config().settings());
    record.label.clone_from(&args.export.output.options.output.label);
    let human = Human::for_exports(&exports);
    let mut suite = SuiteRun {
        plan,
        kit,
        python_error,
        user_probe,
        user_error,
        available: BTreeMap::new(),
        record,
        args,
        exports,
        human,
        colour,
    };
    suite.run_groups()?;
    suite.finish()
}

/// The plan the flags describe.
fn plan(args: &SuiteArgs) -> Result<SuitePlan> {
    let scale = if args.quick { Scale::Quick } else { Scale::Full };
    if let Some(work) = args.user.work()? {
        return user_plan(args, SuitePlan::for_user(scale, work));
    }
    let mut plan = SuitePlan::new(scale);
    plan.langs = match args.lang {
        SuiteLang::Rust => vec![Lang::Rust],
        SuiteLang::Python => vec![Lang::Python],
        SuiteLang::All => vec![Lang::Rust, Lang::Python],
    };
    if let Some(names) = &args.workloads {
        plan.workloads = names
            .iter()
            .map(|n| WorkloadKind::parse(n.trim()))
            .collect::<Result<_, _>>()
            .map_err(|e| usage(format!("--workloads: {e}")))?;
    }
    plan.variants = variants(args)?.unwrap_or(plan.variants);
    if let Some(workers) = workers(args) {
        plan.tasks = metron_suites::plan::default_tasks(&workers);
        plan.workers = workers;
    }
    plan.tasks = args.tasks.unwrap_or(plan.tasks);
    plan.size = args.size;
    sampling(args, plan)
}

/// The plan of the user's own workload: its items are the tasks, its
/// language is the file's or the shell.
fn user_plan(args: &SuiteArgs, mut plan: SuitePlan) -> Result<SuitePlan> {
    for (given, flag) in [(args.workloads.is_some(), "--workloads"), (args.tasks.is_some(), "--tasks")] {
        if given {
            return Err(usage(format!("{flag} is for the built-in workloads; with your own, the items are the tasks")));
        }
    }
    plan.variants = variants(args)?.unwrap_or(plan.variants);
    plan.workers = workers(args).unwrap_or(plan.workers);
    sampling(args, plan)
}

/// `--variants`, parsed.
fn variants(args: &SuiteArgs) -> Result<Option<Vec<VariantKind>>> {
    let Some(names) = &args.variants else { return Ok(None) };
    let parsed = names.iter().map(|n| VariantKind::parse(n.trim())).collect::<Result<_, _>>();
    Ok(Some(parsed.map_err(|e| usage(format!("--variants: {e}")))?))
}

/// `--workers` in rising order, each once: a repeated count would give two
/// benchmarks the same name.
fn workers(args: &SuiteArgs) -> Option<Vec<usize>> {
    let mut workers = args.workers.clone()?;
    workers.sort_unstable();
    workers.dedup();
    Some(workers)
}

/// The sampling flags, shared by both kinds of plan, and the plan's check.
fn sampling(args: &SuiteArgs, mut plan: SuitePlan) -> Result<SuitePlan> {
    plan.time_budget = args.time_budget.unwrap_or(plan.time_budget);
    plan.min_samples = args.min_runs.unwrap_or(plan.min_samples);
    plan.seed = args.seed.unwrap_or(plan.seed);
    plan.validate().map_err(|e| usage(e.to_string()))?;
    Ok(plan)
}

/// Worker processes are this binary re-run; Python is found when needed.
/// With `--lang python`, a missing Python is an error; with `all`, the
/// Python groups are recorded as failed and the Rust half still runs.
fn toolkit(plan: &SuitePlan, args: &SuiteArgs) -> Result<(Toolkit, Option<String>)> {
    let worker = WorkerCommand::current_exe().context("cannot find the metron executable to start workers")?;
    if !plan.langs.contains(&Lang::Python) {
        return Ok((Toolkit { worker, python: None }, None));
    }
    match PythonSuite::locate(&args.interpreter) {
        Ok(py) => Ok((Toolkit { worker, python: Some(py) }, None)),
        Err(e) if args.lang == SuiteLang::Python || plan.user.is_some() => Err(e.into()),
        Err(e) => {
            eprintln!("warning: {e}; the Python half of the suite is skipped");
            Ok((Toolkit { worker, python: None }, Some(e.to_string())))
        }
    }
}

/// Runs the probe of a Python user workload (import, items, one sequential
/// run, pickling): its facts, or the user's error, which fails the group.
fn probe_user(plan: &mut SuitePlan, kit: &Toolkit) -> (Option<UserProbe>, Option<String>) {
    let (Some(UserWork::Python(work)), Some(py)) = (&mut plan.user, &kit.python) else { return (None, None) };
    match work.probe(py) {
        Ok(probe) => {
            let probe = probe.clone();
            plan.tasks = probe.items;
            (Some(probe), None)
        }
        Err(e) => (None, Some(e.to_string())),
    }
}

/// A suite run in progress.
struct SuiteRun {
    plan: SuitePlan,
    kit: Toolkit,
    python_error: Option<String>,
    /// What the probe of the user's Python workload found.
    user_probe: Option<UserProbe>,
    /// Why the user's workload cannot run at all (FUNC raised, …).
    user_error: Option<String>,
    /// Group → the parallelism the machine gave it.
    available: BTreeMap<String, Available>,
    record: RunRecord,
    args: SuiteArgs,
    exports: ExportManager,
    human: Human,
    colour: Colour,
}

impl SuiteRun {
    /// Every group in turn; stops early only when interrupted.
    fn run_groups(&mut self) -> Result<()> {
        let groups = self.plan.groups();
        let descriptions = self.plan.describe_groups();
        let progress = ProgressLine::new(self.args.export.output.options.output.quiet, groups.len(), self.colour);
        for (k, group) in groups.iter().enumerate() {
            progress.start_step(k, format!("{} ({}/{})", group.name(), k + 1, groups.len()));
            let (results, failures) = self.run_group(group, &progress)?;
            let context = GroupContext {
                plan: &self.plan,
                description: descriptions.get(&group.name()),
                available: &self.available,
            };
            let lines = finished_group_lines(group, &results, &failures, &context);
            self.record.benchmarks.extend(results);
            self.record.failures.extend(failures);
            progress.suspend(|| self.human.print(&format!("{}\n", lines.join("\n"))))?;
            self.attach();
            self.checkpoint()?;
            if self.record.interrupted {
                break;
            }
        }
        progress.finish();
        Ok(())
    }

    /// One group through the runner; a group that cannot even be prepared
    /// is one failure with the reason.
    fn run_group(&mut self, group: &Group, progress: &ProgressLine) -> Result<(Vec<BenchmarkResult>, Vec<Failure>)> {
        let whole = |reason: String| {
            let failure = Failure { name: format!("{}/*", group.name()), host: None, reason };
            progress.observer(0).failed(0, &failure);
            Ok((Vec::new(), vec![failure]))
        };
        if let (Lang::Python, Some(reason)) = (group.lang, &self.python_error) {
            return whole(reason.clone());
        }
        if let (GroupKind::User, Some(reason)) = (group.kind, &self.user_error) {
            return whole(reason.clone());
        }
        let benches = match self.plan.benchmarks(group, &self.kit) {
            Ok(b) => b,
            Err(e) => return whole(e.to_string()),
        };
        let config = self.plan.config_for(group);
        let calibrated = group.kind != GroupKind::Spawn;
        let before = calibrated.then(Available::measure);
        let mut observer = progress.observer(benches.len());
        let outcome = Runner::new(&config, &mut observer).cancel_on(&interrupt::INTERRUPTED).run(benches)?;
        self.record.interrupted |= outcome.interrupted;
        if let Some(before) = before {
            self.available.insert(group.name(), before.lower(Available::measure()));
        }
        Ok((outcome.results, outcome.failures))
    }

    /// Recomputes the suite's section of the report from what is measured so far.
    fn attach(&mut self) -> SuiteSection {
        let input = SectionInput {
            suite: self.args.suite.clone(),
            tasks: self.plan.tasks,
            workloads: self.plan.describe_groups(),
            available: self.available.clone(),
            user: self.user_probe.clone(),
        };
        let section = SuiteSection::of(&self.record, input);
        section.attach(&mut self.record);
        section
    }

    /// Keeps DIR/suite.json (and an --export-json file) up to date, so an
    /// interrupted or crashed run loses nothing measured.
    fn checkpoint(&self) -> Result<()> {
        self.record.write_atomic(&self.json_path()).with_context(|| self.json_path().display().to_string())?;
        self.exports.checkpoint(&self.record).map_err(session::export_error)
    }

    fn json_path(&self) -> PathBuf {
        self.args.out.join("suite.json")
    }

    /// Conclusions, files, exit status.
    fn finish(mut self) -> Result<ExitCode> {
        let section = self.attach();
        if !section.verdict.is_empty() {
            let lines: Vec<String> = section.verdict.iter().map(|l| format!("  {l}")).collect();
            self.human.print(&format!("Verdict:\n{}", lines.join("\n")))?;
        }
        if !section.conclusions.is_empty() {
            let lines: Vec<String> = section.conclusions.iter().map(|l| format!("  {l}")).collect();
            self.human.print(&format!("Conclusions:\n{}", lines.join("\n")))?;
        }
        self.checkpoint()?;
        self.exports.write_all(&self.record).map_err(session::export_error)?;
        self.args.export.history.append(&self.record, self.args.export.output.options.output.quiet)?;
        match write_page(&self.record, &self.args.out)? {
            Some(page) => eprintln!("wrote {} and {}", self.json_path().display(), page.display()),
            None => eprintln!("wrote {}", self.json_path().display()),
        }
        Ok(if self.record.interrupted {
            ExitCode::from(interrupt::EXIT_INTERRUPTED)
        } else if !self.record.failures.is_empty() || self.record.benchmarks.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }
}

/// DIR/index.html, unless nothing at all was measured or failed (a run
/// interrupted at once), when there is no page to write.
fn write_page(report: &RunRecord, dir: &Path) -> Result<Option<PathBuf>> {
    if report.benchmarks.is_empty() && report.failures.is_empty() {
        return Ok(None);
    }
    let page = metron_report::write_site(std::slice::from_ref(report), dir)
        .with_context(|| format!("-o {}", dir.display()))?;
    Ok(Some(page))
}

/// What a finished group's lines are drawn from besides its results.
struct GroupContext<'a> {
    plan: &'a SuitePlan,
    description: Option<&'a String>,
    available: &'a BTreeMap<String, Available>,
}

/// What a finished group prints: its table from the derived figures.
fn finished_group_lines(
    group: &Group,
    results: &[BenchmarkResult],
    failures: &[Failure],
    context: &GroupContext<'_>,
) -> Vec<String> {
    let limits = Limits { tasks: context.plan.tasks, cores: metron_suites::plan::cores() };
    let figures = derive_with(results, failures, limits, context.available);
    let description = context.description;
    match group.kind {
        GroupKind::Spawn => match figures.spawn.first() {
            Some(s) => group_lines::spawn_lines(s),
            None => failure_lines(&group.name(), failures),
        },
        GroupKind::Workload(_) | GroupKind::User => match figures.workloads.first() {
            Some(w) => group_lines::workload_lines(w, description.map(String::as_str)),
            None => failure_lines(&group.name(), failures),
        },
    }
}

fn failure_lines(group: &str, failures: &[Failure]) -> Vec<String> {
    let mut lines = vec![group.to_string()];
    lines.extend(failures.iter().map(|f| format!("  {} FAILED: {}", f.name, f.reason)));
    lines
}

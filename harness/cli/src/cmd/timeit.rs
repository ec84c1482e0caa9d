//! `metron timeit [--lang sh|python|rust] [-s SETUP]... STMT...`: the timeit
//! one-liner. As in `python -m timeit`, several STMT arguments are the lines
//! of one statement and several `-s` the lines of one setup, which runs once,
//! untimed; with `--compare` each STMT is a statement of its own, and they
//! are interleaved and compared.
//!
//! | `--lang` | one loop is | the routine |
//! |---|---|---|
//! | `sh` (default) | one run of the statement as a command | [`CommandRoutine`] |
//! | `python` | one execution of the statement in a `python3` driver | [`PythonSnippet`] |
//! | `rust` | one evaluation of the statement in a compiled driver | [`RustSnippet`] |
//!
//! Each statement gets its own routine, so each runs its own setup once.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{Context, Result};
use metron::analysis::BenchmarkMeta;
use metron::conclusion::ExitStatus;
use metron::options::RoutineMode;
use metron::routine::snippet::{self, Dependency, Network, PythonSnippet, RustSnippet};
use metron::routine::{CommandRoutine, CommandSpec, Routine};
use metron::runner::Benchmark;
use metron::terminal::TimeitStyle;

use crate::args::{Lang, TimeitArgs};
use crate::config::{self, usage};
use crate::session::{Format, Session};

/// Benchmarks to run and the tool versions to record with them.
type Prepared = (Vec<Benchmark<'static>>, BTreeMap<String, String>);

/// Runs `metron timeit`.
pub fn run(mut args: TimeitArgs) -> Result<ExitCode> {
    if !args.compare {
        // python -m timeit: "multiple statement arguments are joined by newlines".
        args.statements = vec![args.statements.join("\n")];
    }
    if args.process {
        args.measure.options.apply("clock", Some("cpu")).map_err(usage)?;
    }
    let options = &args.measure.options;
    let run = config::run_config(options, RoutineMode::Statements)?;
    // Each benchmark is named after its statement (see `statement_bench`),
    // so --reference is checked before a Rust snippet is compiled.
    config::check_comparison(&options.comparison, args.statements.iter().cloned())?;
    if args.lang != Lang::Rust && (!args.deps.is_empty() || args.offline) {
        return Err(usage("--dep and --offline are for --lang rust"));
    }
    let prepared = match args.lang {
        Lang::Sh => shell_statements(&args).map(|b| (b, BTreeMap::new())),
        Lang::Python => python_statements(&args),
        Lang::Rust => rust_statements(&args),
    };
    let (benches, tools) = match prepared {
        Err(e) if e.downcast_ref::<metron::Error>().is_some_and(|e| matches!(e, metron::Error::Interrupted)) => {
            return Ok(ExitCode::from(ExitStatus::Interrupted.code()))
        }
        other => other?,
    };
    let style = TimeitStyle { titled: benches.len() > 1, unit: args.export.time_unit, verbose: args.verbose > 0 };
    let mut session = Session::start(&args.export, &run, tools, Format::Timeit(style))?;
    session.run(&run, benches)?;
    session.conclude(&options.comparison)
}

/// The `-s` lines as one setup (joined by newlines, as `python -m timeit`
/// does); `None` without any.
fn joined_setup(args: &TimeitArgs) -> Option<String> {
    (!args.setup.is_empty()).then(|| args.setup.join("\n"))
}

/// A benchmark named after its statement, with the setup it runs after
/// (part of what the benchmark is: see `metron::run_memory`).
fn statement_bench(statement: &str, args: &TimeitArgs, routine: impl Routine + 'static) -> Benchmark<'static> {
    let meta = BenchmarkMeta {
        command: Some(statement.to_string()),
        setup: joined_setup(args),
        ..BenchmarkMeta::named(statement)
    };
    Benchmark::new(meta, routine)
}

/// One command routine per statement; the setup lines run once, in one shell.
fn shell_statements(args: &TimeitArgs) -> Result<Vec<Benchmark<'static>>> {
    let setup = joined_setup(args);
    args.statements
        .iter()
        .map(|stmt| {
            let spec = CommandSpec { command: stmt.clone(), setup: setup.clone(), ..CommandSpec::default() };
            let routine = CommandRoutine::new(spec).map_err(|e| usage(e.to_string()))?;
            Ok(statement_bench(stmt, args, routine))
        })
        .collect()
}

/// One Python driver per statement. The interpreter is checked first, so a
/// wrong `--python` is one line before anything starts.
fn python_statements(args: &TimeitArgs) -> Result<Prepared> {
    let python = snippet::python::inspect_interpreter(&args.python).context("--python")?;
    let benches = args
        .statements
        .iter()
        .map(|stmt| {
            let routine =
                PythonSnippet::new(stmt.as_str()).interpreter(python.executable.as_str()).setup(&args.setup).routine();
            statement_bench(stmt, args, routine)
        })
        .collect();
    Ok((benches, BTreeMap::from([("python3".to_string(), python.version)])))
}

/// One compiled driver per statement, built now (before the session
/// starts measuring) unless the cache already has it.
fn rust_statements(args: &TimeitArgs) -> Result<Prepared> {
    let deps = args
        .deps
        .iter()
        .map(|d| d.parse::<Dependency>().map_err(|e| config::from_library(e).context("--dep")))
        .collect::<Result<Vec<_>>>()?;
    let rustc = snippet::rust::rustc_version()?;
    let cache = snippet::cache_dir()?;
    let network = if args.offline { Network::Offline } else { Network::Online };
    let mut benches = Vec::new();
    for stmt in &args.statements {
        let project =
            RustSnippet::new(stmt.as_str()).setup(&args.setup).dependencies(deps.clone()).project(&cache, &rustc);
        if !project.is_built() {
            if !args.export.output.options.output.quiet {
                eprintln!("Compiling the Rust snippet in {} ...", project.dir().display());
            }
            let result = project.build(network);
            if args.statements.len() > 1 {
                result.with_context(|| format!("'{stmt}'"))?;
            } else {
                result?;
            }
        }
        benches.push(statement_bench(stmt, args, project.routine()));
    }
    Ok((benches, BTreeMap::from([("rustc".to_string(), rustc)])))
}

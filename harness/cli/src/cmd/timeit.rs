//! `metron timeit [-n NUMBER] [-r REPEAT] [-s SETUP]... STMT...`: the
//! timeit one-liner. A shell statement's loop is one run of the statement;
//! the setup runs once, untimed, before the first loop.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Result;
use metron::analysis::BenchmarkMeta;
use metron::routine::{CommandRoutine, CommandSpec};
use metron::runner::Benchmark;

use crate::args::{Lang, TimeitArgs};
use crate::config::{self, usage};
use crate::session::{Format, Session};

/// Runs `metron timeit`.
pub fn run(args: TimeitArgs) -> Result<ExitCode> {
    let run = config::timeit_run_config(&args.measure, args.number, args.repeat)?;
    let benches = match args.lang {
        Lang::Sh => shell_statements(&args)?,
        Lang::Python | Lang::Rust => {
            return Err(usage(format!("--lang {:?} is not available yet", args.lang).to_lowercase()))
        }
    };
    let titled = benches.len() > 1;
    let mut session = Session::start(&args.export, &run, BTreeMap::new(), Format::Timeit { titled })?;
    session.run(&run, benches)?;
    session.conclude(&args.compare)
}

/// One command routine per statement; the setup lines run once, in one shell.
fn shell_statements(args: &TimeitArgs) -> Result<Vec<Benchmark<'static>>> {
    let setup = (!args.setup.is_empty()).then(|| args.setup.join("\n"));
    args.statements
        .iter()
        .map(|stmt| {
            let spec = CommandSpec { command: stmt.clone(), setup: setup.clone(), ..CommandSpec::default() };
            let routine = CommandRoutine::new(spec).map_err(|e| usage(e.to_string()))?;
            let meta = BenchmarkMeta { command: Some(stmt.clone()), ..BenchmarkMeta::named(stmt.clone()) };
            Ok(Benchmark::new(meta, routine))
        })
        .collect()
}

//! The flags of `metron suite concurrency` that bring the user's own
//! workload (`--python FILE.py:FUNC`, `--command 'CMD {item}'` and their
//! inputs), turned once into a [`UserWork`] the library runs.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::ValueEnum;
use metron_suites::user::{Inputs, PythonWork, ShellWork, StartMethod, UserWork};

use crate::config::usage;

/// The user's workload, as flags.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Your own workload")]
pub struct UserArgs {
    /// Run FUNC(item) of this Python file for every item, instead of the built-in workloads.
    #[arg(long, value_name = "FILE.py:FUNC", conflicts_with = "command")]
    pub python: Option<String>,
    /// The items for --python: a function of a Python file returning them.
    #[arg(long, value_name = "FILE.py:ITEMS", requires = "python", conflicts_with = "inputs_expr")]
    pub inputs: Option<String>,
    /// The items for --python as a Python expression, e.g. 'range(16)' (evaluated in FUNC's module).
    #[arg(long, value_name = "EXPR", requires = "python")]
    pub inputs_expr: Option<String>,
    /// multiprocessing start method of the process variants [default: the interpreter's].
    #[arg(long, value_enum, value_name = "METHOD", requires = "python")]
    pub start_method: Option<StartMethodArg>,
    /// Items per ProcessPoolExecutor.map chunk [default: about four chunks per worker].
    #[arg(long, value_name = "N", requires = "python")]
    pub chunksize: Option<usize>,
    /// Run this command for every item ({item} is replaced by the item, as data, never code).
    #[arg(long, value_name = "'CMD {item}'")]
    pub command: Option<String>,
    /// The items for --command, comma-separated.
    #[arg(long, value_name = "A,B,…", value_delimiter = ',', requires = "command", conflicts_with = "items_from")]
    pub items: Option<Vec<String>>,
    /// The items for --command, one per line of FILE (empty lines skipped).
    #[arg(long, value_name = "FILE", requires = "command")]
    pub items_from: Option<PathBuf>,
}

/// `--start-method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StartMethodArg {
    /// Copy the parent process.
    Fork,
    /// A fresh interpreter that imports the module again.
    Spawn,
    /// Forked from a clean server process.
    Forkserver,
}

impl UserArgs {
    /// The workload the flags describe, or `None` for the built-in suite.
    ///
    /// # Errors
    /// Usage errors: --python without items, --command without items, an
    /// unreadable --items-from, a zero --chunksize.
    pub fn work(&self) -> Result<Option<UserWork>> {
        if let Some(function) = &self.python {
            let inputs = match (&self.inputs, &self.inputs_expr) {
                (Some(f), _) => Inputs::Function(f.clone()),
                (None, Some(e)) => Inputs::Expr(e.clone()),
                (None, None) => {
                    return Err(usage("--python needs its items: --inputs FILE.py:ITEMS or --inputs-expr EXPR"))
                }
            };
            if self.chunksize == Some(0) {
                return Err(usage("--chunksize must be at least 1"));
            }
            let mut work = PythonWork::new(function, inputs);
            work.start_method = self.start_method.map(|m| match m {
                StartMethodArg::Fork => StartMethod::Fork,
                StartMethodArg::Spawn => StartMethod::Spawn,
                StartMethodArg::Forkserver => StartMethod::Forkserver,
            });
            work.chunksize = self.chunksize;
            return Ok(Some(UserWork::Python(work)));
        }
        let Some(template) = &self.command else { return Ok(None) };
        let items = match (&self.items, &self.items_from) {
            (Some(items), _) => items.clone(),
            (None, Some(path)) => read_items(path)?,
            (None, None) => return Err(usage("--command needs its items: --items A,B,… or --items-from FILE")),
        };
        let work = ShellWork::new(template, items).map_err(|e| usage(e.to_string()))?;
        Ok(Some(UserWork::Shell(work)))
    }
}

fn read_items(path: &PathBuf) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("--items-from {}", path.display()))?;
    Ok(text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).map(String::from).collect())
}

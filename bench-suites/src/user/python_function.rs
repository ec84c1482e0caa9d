//! A Python function over items: `--python FILE.py:FUNC` with `--inputs
//! FILE.py:ITEMS` or `--inputs-expr EXPR`.
//!
//! Before anything is measured, a *probe* (`suite_driver.py --probe`)
//! imports the module, builds the items, runs FUNC on every item once and
//! says how many items there are, which start method multiprocessing uses,
//! and what pickling an item and a result costs — or, when FUNC raises,
//! the line naming the item and the exception with the user's traceback.
//! Each variant then runs in a driver of its own, which computes the
//! sequential results once (untimed) and refuses any run whose results
//! differ by value, and refuses to start a process variant when the
//! function, an item or a result cannot be pickled.
//!
//! The drivers run without `-S`, unlike the built-in suite's: the user's
//! code may import site packages.

use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use metron::model::RoutineKind;
use metron::routine::DriverRoutine;

use crate::error::{Error, Result};
use crate::python_suite::PythonSuite;
use crate::variant::VariantKind;

/// Where the items come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inputs {
    /// `FILE.py:ITEMS`: a function returning the items (or a list).
    Function(String),
    /// A Python expression evaluated in FUNC's module, e.g. `range(16)`.
    Expr(String),
}

/// multiprocessing's start method (`--start-method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartMethod {
    /// Copy the parent (Linux's default before Python 3.14).
    Fork,
    /// A fresh interpreter that imports the module again.
    Spawn,
    /// Forked from a clean server process.
    Forkserver,
}

impl StartMethod {
    /// The name multiprocessing uses.
    pub fn name(self) -> &'static str {
        match self {
            StartMethod::Fork => "fork",
            StartMethod::Spawn => "spawn",
            StartMethod::Forkserver => "forkserver",
        }
    }
}

/// FUNC over items, and how the process variants run it.
#[derive(Debug, Clone, PartialEq)]
pub struct PythonWork {
    /// `FILE.py:FUNC`.
    pub function: String,
    /// The items.
    pub inputs: Inputs,
    /// multiprocessing's start method; `None` for the interpreter's default.
    pub start_method: Option<StartMethod>,
    /// Items per `ProcessPoolExecutor.map` chunk; `None` for
    /// `multiprocessing.Pool`'s rule (about four chunks per worker).
    pub chunksize: Option<usize>,
    /// What the probe found, once it ran.
    pub probe: Option<UserProbe>,
}

/// Items per `ProcessPoolExecutor.map` chunk unless `--chunksize` says:
/// `multiprocessing.Pool.map`'s rule, about four chunks per worker (the
/// same as `default_chunksize` in `python/metron_user.py`). Fewer, larger
/// chunks cost fewer pipe round trips; more, smaller ones balance uneven
/// items better.
pub fn chunksize(items: usize, workers: usize) -> usize {
    items.div_ceil(4 * workers.max(1)).max(1)
}

/// What pickling one kind of value costs, per value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickleCost {
    /// `pickle.dumps` + `pickle.loads`, in ns per value.
    pub ns_per_value: f64,
    /// Pickled size, in bytes per value.
    pub bytes_per_value: f64,
}

/// What pickling items and results costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickleCosts {
    /// Sending an item to a worker process.
    pub items: PickleCost,
    /// Sending a result back.
    pub results: PickleCost,
}

/// What the probe found about the user's workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserProbe {
    /// How many items.
    pub items: usize,
    /// The start method the process variants use.
    pub start_method: String,
    /// One untimed sequential run, in ns (a first run: for sizing only).
    pub sequential_ns: u64,
    /// FUNC's qualified name.
    pub function: String,
    /// The module's file.
    pub module: String,
    /// Pickling costs, when everything can be pickled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickle: Option<PickleCosts>,
    /// Why the process variants cannot run, when something cannot be pickled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpicklable: Option<String>,
}

impl PythonWork {
    /// FUNC of `function` over `inputs`, with the defaults for the rest.
    pub fn new(function: impl Into<String>, inputs: Inputs) -> PythonWork {
        PythonWork { function: function.into(), inputs, start_method: None, chunksize: None, probe: None }
    }

    /// `16 items × fetch (io_bound.py), start method fork, process-pool
    /// chunksize 2 at ×2, 1 at ×4` for a pool run at `workers`.
    pub fn describe(&self, workers: &[usize]) -> String {
        let file = self.function.rsplit_once(':').map_or(self.function.as_str(), |(f, _)| f);
        let file = std::path::Path::new(file).file_name().map_or(file.into(), |f| f.to_string_lossy());
        let Some(p) = &self.probe else { return format!("{} over its items", self.function) };
        let chunks: Vec<String> =
            workers.iter().map(|&w| format!("{} at ×{w}", self.chunksize.unwrap_or(chunksize(p.items, w)))).collect();
        format!(
            "{} items × {} ({file}), start method {}, process-pool chunksize {}",
            p.items,
            p.function,
            p.start_method,
            chunks.join(", ")
        )
    }

    /// The driver arguments every run of this workload shares.
    fn args(&self) -> Vec<String> {
        let mut args = vec!["--user".to_string(), self.function.clone()];
        match &self.inputs {
            Inputs::Function(f) => args.extend(["--inputs".to_string(), f.clone()]),
            Inputs::Expr(e) => args.extend(["--inputs-expr".to_string(), e.clone()]),
        }
        if let Some(m) = self.start_method {
            args.extend(["--start-method".to_string(), m.name().to_string()]);
        }
        if let Some(c) = self.chunksize {
            args.extend(["--chunksize".to_string(), c.to_string()]);
        }
        args
    }

    /// Runs the probe and keeps what it found.
    ///
    /// # Errors
    /// [`Error::Failed`] with the user's error (an exception on an item,
    /// with its traceback; a module that cannot be imported; no items), or
    /// [`Error::Python`] when the probe itself could not run.
    pub fn probe(&mut self, py: &PythonSuite) -> Result<&UserProbe> {
        let mut command = py.user_command();
        command.args(self.args()).arg("--probe").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        // A tracked child: the probe runs the user's function, which a signal to metron must stop.
        let output = metron::routine::children::output(&mut command).map_err(|e| match e.kind() {
            std::io::ErrorKind::Interrupted => Error::Interrupted,
            _ => Error::Python(format!("cannot run the probe: {e}")),
        })?;
        if metron::routine::children::stopping() {
            return Err(Error::Interrupted);
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let line = text.lines().last().unwrap_or("");
        let value: serde_json::Value = serde_json::from_str(line).map_err(|_| {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Error::Python(format!("the probe of {} failed ({}): {}", self.function, output.status, stderr.trim()))
        })?;
        if let Some(message) = value.get("error").and_then(|e| e.as_str()) {
            return Err(Error::Failed(format!("{}: {message}", self.function)));
        }
        let probe = serde_json::from_value(value).map_err(|e| Error::Python(format!("the probe answered {e}")))?;
        Ok(self.probe.insert(probe))
    }

    /// A routine running this workload with `variant` and `workers`.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for rayon, which has no Python counterpart.
    pub fn routine(&self, py: &PythonSuite, variant: VariantKind, workers: usize) -> Result<DriverRoutine> {
        if variant == VariantKind::Rayon {
            return Err(Error::InvalidConfig("rayon has no Python counterpart".into()));
        }
        let mut command: Command = py.user_command();
        command.args(self.args()).args(["--variant", variant.name(), "--workers", &workers.to_string()]);
        Ok(DriverRoutine::new(command, format!("python {} {variant}", self.function)).with_kind(RoutineKind::Snippet))
    }
}

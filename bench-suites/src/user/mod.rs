//! The user's own workload: a Python `FILE.py:FUNC` over a list of items,
//! or a shell command over items, run by the suite's variants and measured,
//! checked and reported like the built-in workloads.
//!
//! * [`python_function`]: FUNC(item) in a driver (`python/metron_user.py`), every
//!   variant's results compared by value with the sequential ones;
//! * [`shell_command`]: `CMD {item}` for every item, sequential and N at a time as
//!   processes, every exit status checked;
//! * [`function`]: a Rust `fn(&In) -> Out` over a `Vec<In>` from a
//!   `metron::main!` bench, every variant's outputs compared with sequential.
//!
//! Both are one group, `user/<lang>`, whose benchmarks follow the suite's
//! naming rules (see [`plan`](crate::plan)), so figures, conclusions and the
//! report need nothing of their own.

pub mod function;
pub mod python_function;
pub mod shell_command;

pub use python_function::{Inputs, PythonWork, StartMethod, UserProbe};
pub use shell_command::ShellWork;

use crate::plan::Lang;

/// The workload in [`WORKLOAD`] groups.
pub const WORKLOAD: &str = "user";

/// The user's workload.
#[derive(Debug, Clone, PartialEq)]
pub enum UserWork {
    /// A Python function over items.
    Python(PythonWork),
    /// A shell command over items.
    Shell(ShellWork),
}

impl UserWork {
    /// The language its group is named after.
    pub fn lang(&self) -> Lang {
        match self {
            UserWork::Python(_) => Lang::Python,
            UserWork::Shell(_) => Lang::Shell,
        }
    }

    /// One line for people: `16 items × fetch (work.py), …`, for a run at `workers`.
    pub fn describe(&self, workers: &[usize]) -> String {
        match self {
            UserWork::Python(p) => p.describe(workers),
            UserWork::Shell(s) => s.describe(),
        }
    }
}

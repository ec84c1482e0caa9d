//! metron-history: every run kept, and the points where a benchmark changed.
//!
//! Teams judge performance by its trend over many runs, not by one pair of
//! files. This crate keeps every run a measuring command or a saved JSON
//! file hands it, in SQLite (one file, no server) or PostgreSQL (a CI
//! fleet writing at once), with every raw sample, and finds where each
//! benchmark's level changed.
//!
//! * [`History`] (`store`): open, add a run in one transaction, read the
//!   [`Point`]s of the series; [`schema`] documents the tables.
//! * [`Location`]: where the history lives (`--history`, `METRON_HISTORY`).
//! * [`Estimate`]: what one run contributes to a series.
//! * [`series`](mod@series): points grouped into one series per benchmark and host.
//! * [`changepoint`]: PELT with a robust cost over run-level observations.
//! * [`check`](mod@check): a series' change points as regressions and improvements.
//!
//! It depends on `metron` for the result model and statistics, and knows
//! nothing of the command line or of HTML.
#![deny(missing_docs)]

pub mod changepoint;
pub mod check;
mod error;
mod estimate;
mod location;
pub mod series;
mod store;

pub use error::{HistoryError, Result};
pub use estimate::Estimate;
pub use location::{Location, DEFAULT_PATH, ENV_VAR};
pub use store::schema;
pub use store::{Filter, History, Point, RunKey};

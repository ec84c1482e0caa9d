//! The measuring flags, defined once for every front end: the `metron`
//! command line (which wraps them in clap) and a `metron::main!` bench
//! binary (which parses them itself) accept the same names, spellings and
//! defaults, and turn them into the same settings.
//!
//! * [`value`]: the syntax of option values (durations, percentages, clocks, counts).
//! * [`display`]: how results are shown (time unit, sort order), in hyperfine's and timeit's spellings.
//! * [`flag`]: the table of flags: name, short form, value, default, help.
//! * [`measure`]: [`MeasureOptions`], what the flags set, and how they become
//!   a [`RunConfig`](crate::runner::RunConfig) for each kind of routine.

pub mod display;
pub mod flag;
pub mod measure;
pub mod value;

pub use display::{parse_time_unit, SortOrder};
pub use flag::{Flag, FlagValue, Heading, MEASURE_FLAGS};
pub use measure::{ComparisonOptions, MeasureOptions, OutputOptions, RoutineMode, SamplingOptions};
pub use value::{parse_clock, parse_count, parse_cpus, parse_duration, parse_percent, MAX_DURATION};

//! The Rust bench API: what a `[[bench]] harness = false` file uses instead
//! of criterion.
//!
//! ```no_run
//! use metron::bench::{Bencher, Harness};
//!
//! fn sum(h: &mut Harness) {
//!     h.bench("sum 1000", |b: &mut Bencher| b.iter(|| (0..1000u64).sum::<u64>()));
//!     let mut g = h.group("sort");
//!     g.bench("unstable", |b| b.iter_batched(|| vec![3, 1, 2], |mut v| { v.sort_unstable(); v }, metron::BatchSize::Small));
//!     g.bench("stable", |b| b.iter_batched(|| vec![3, 1, 2], |mut v| { v.sort(); v }, metron::BatchSize::Small));
//! }
//!
//! metron::main!(sum);
//! ```
//!
//! * [`Harness::bench`] measures one benchmark at once;
//! * a [`Group`] runs its benchmarks interleaved and compares them;
//!   [`Group::throughput`] makes their results show bytes/s or elements/s;
//! * ids are `group/name` (`group/name/parameter` from `bench_with_input`)
//!   in the titles, the JSON and the filter alike;
//! * while a group measures, a progress line on stderr (only on a terminal,
//!   never with `--quiet`) says which benchmark and how far;
//! * `metron::main!` reads the same flags as the `metron` command line
//!   ([`BenchArgs`]), runs the functions, handles `--save-baseline`,
//!   `--baseline` and `--fail-on-regression`, and sets the exit status. Flags
//!   in [`ARGS_VARIABLE`] come first, for crates whose library's libtest
//!   harness would reject metron's flags after `cargo bench --`.

mod command_line;
mod harness;
pub mod reexec;
pub mod replicate;
mod spec;
mod status_line;

pub use crate::routine::{black_box, BatchSize, Bencher};
pub use crate::throughput::Throughput;
pub use command_line::{BenchArgs, Mode, ARGS_VARIABLE};
pub use harness::{Group, Harness};
pub use spec::BenchSpec;
pub use status_line::ProgressMode;

/// Generates `fn main` for a bench binary: parses the flags, calls each
/// function with the [`Harness`], and exits with its status.
#[macro_export]
macro_rules! main {
    ($($function:path),+ $(,)?) => {
        fn main() {
            let mut harness = $crate::bench::Harness::from_args();
            $( $function(&mut harness); )+
            ::std::process::exit(harness.finish());
        }
    };
}

//! `metron import hyperfine FILE...` and `metron import criterion DIR`:
//! peers' result files as metron runs (the library's [`metron::import`]),
//! written as any export (`--export-json run.json`, or the run's JSON on
//! stdout when no export is given), for `metron report` and
//! `metron compare`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use metron::import;
use metron::terminal;
use metron_report::{ExportFormat, ExportManager, ExportTarget};

use crate::flags::ExportFlags;
use crate::session::export_error;

/// `metron import PEER ...`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  hyperfine --export-json h.json 'sleep 0.1'
  metron import hyperfine h.json --export-json old.json
  metron import criterion target/criterion --export-json old.json
  metron compare old.json new.json      compare with a run metron measured
  metron report old.json -o site/       render it

Every sample the peer recorded becomes a metron sample (hyperfine: each run's
wall time and peak memory; criterion: each sample's iterations and time), and
metron's statistics are computed from them; the peer's own summaries are kept
under extensions.import. The machine the peer ran on is not in its files, so
the run's environment is empty.")]
pub struct ImportArgs {
    /// Whose files.
    #[command(subcommand)]
    pub peer: Peer,
}

/// The peers whose files metron reads.
#[derive(Debug, Subcommand)]
pub enum Peer {
    /// hyperfine's --export-json files (several make one run).
    Hyperfine {
        /// The files.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// --export-json and the other formats (default: the run's JSON on stdout).
        #[command(flatten)]
        export: ExportFlags,
    },
    /// criterion's results directory: every */new/{benchmark,sample,estimates}.json under it.
    Criterion {
        /// The directory (usually target/criterion).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// --export-json and the other formats (default: the run's JSON on stdout).
        #[command(flatten)]
        export: ExportFlags,
    },
}

/// Runs `metron import`.
///
/// # Errors
/// A file that cannot be imported (one line naming it), or an export that
/// cannot be written.
pub fn run(args: ImportArgs) -> Result<ExitCode> {
    let (run, export) = match args.peer {
        Peer::Hyperfine { files, export } => (import::hyperfine::import(&files)?, export),
        Peer::Criterion { dir, export } => (import::criterion::import(&dir)?, export),
    };
    let exports = if export.exports.is_empty() {
        ExportManager::new(vec![(ExportFormat::Json, ExportTarget::Stdout)])
    } else {
        export.manager()
    };
    exports.check().map_err(export_error)?;
    let peer = run.environment.tools.keys().next().cloned().unwrap_or_default();
    eprintln!("imported {} benchmarks from {peer}", run.benchmarks.len());
    for b in &run.benchmarks {
        eprintln!("  {}: {} samples", terminal::printable(&b.id()), b.samples.len());
    }
    exports.write_all(&run).map_err(export_error)?;
    Ok(ExitCode::SUCCESS)
}

//! `metron report RESULT.json… -o DIR`: one static HTML page (inline SVG
//! charts, no scripts) for one or more saved runs, with a history chart when
//! the runs share benchmarks. Loading and rendering are library calls
//! (`RunRecord::load`, `metron_report::Html::write_site`); this module only
//! wires them to the command line. `--redact` leaves host names and local
//! paths out of a page that is to be published.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use metron::RunRecord;
use metron_report::{Html, Redaction};

/// Write one static HTML page (SVG charts, no scripts) for saved runs; with
/// several runs that share benchmarks, it also charts their history.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Saved runs (`--export-json` output), in the order the history chart shows them.
    #[arg(value_name = "RESULT.json", required = true)]
    pub files: Vec<PathBuf>,
    /// Directory to write the page to (created if needed); the page is DIR/index.html.
    #[arg(short = 'o', long, value_name = "DIR")]
    pub out: PathBuf,
    /// Leave out what the runs recorded about the machine that is not a
    /// measurement: host names, and local paths in the command line and tools
    /// (for pages that are published).
    #[arg(long)]
    pub redact: bool,
}

/// Runs `metron report`: loads every file, writes the page, prints its path.
///
/// # Errors
/// A file that cannot be read or is not a metron report of this schema
/// version (the message names the file), or a directory that cannot be written.
pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let reports = args.files.iter().map(|path| RunRecord::load(path)).collect::<Result<Vec<_>, _>>()?;
    let redaction = if args.redact { Redaction::LocalDetails } else { Redaction::Keep };
    let index = Html { redaction }.write_site(&reports, &args.out)?;
    writeln!(std::io::stdout(), "{}", index.display())?;
    Ok(ExitCode::SUCCESS)
}

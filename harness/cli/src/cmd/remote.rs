//! `metron remote`: run the same metron arguments on several hosts over
//! OpenSSH and merge their results into one run with the host as a
//! dimension.
//!
//! This file turns the flags into a [`RemoteRun`] once (checking everything that
//! can be checked locally before any host is contacted: hosts, key, `--put`
//! files, export paths, and the metron arguments themselves, which are
//! parsed here exactly as the remote metron will parse them), hands it to
//! [`crate::remote`], prints each host as it finishes, keeps the merged JSON
//! up to date after every host, and decides the exit status.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Result;
use clap::Parser;
use metron::merge::{self, HostOutcome};
use metron::options::parse_duration;
use metron::runner::RunConfig;
use metron::terminal::Colour;
use metron::{environment, RunRecord};

use crate::args::{Cli, ExportArgs, Sub};
use crate::config::usage;
use crate::fleet::deploy::{LocalBinary, Put};
use crate::fleet::host::{self, Host};
use crate::fleet::host_run::{HostResult, RemoteRun};
use crate::fleet::output;
use crate::fleet::quoting;
use crate::fleet::schedule::{self, Schedule};
use crate::fleet::ssh::Ssh;
use crate::session::{self, Human};
use metron::interrupt::{self, INTERRUPTED};
use metron_report::ExportManager;

const AFTER_HELP: &str = "\
Per host: probe it (uname -sm), copy this metron binary into its cache
(~/.cache/metron/bin/metron-<hash>, once per build) when it has the same OS
and architecture (else use the host's own metron of the same version), copy
the --put files, run the metron arguments in --cd with a JSON export, and fetch
the JSON. The results are merged into one run with the host as a dimension
(see --export-json, --export-html).

ssh is the system's OpenSSH client, run with BatchMode=yes: ~/.ssh/config,
agents, ProxyJump and known_hosts work as for plain ssh, and a missing key or
unknown host key fails at once instead of prompting. -o options override
metron's own ssh options; -F replaces ~/.ssh/config.

A host that fails (unreachable, refused, no shell, a failing benchmark, the
time limit) is reported with the reason; the other hosts' results are kept.

Examples:
  metron remote --hosts alice@box1,box2:2222 -- 'make -s'
  metron remote --hosts-file lab.txt --parallel --cd bench --put data.csv \\
      --export-html hosts.html -- --runs 20 './process data.csv'

Exit status: 0 when every host succeeded (or some did, with --allow-partial);
1 when a host failed or nothing was measured; 2 for invalid arguments; 130
when interrupted (what was fetched is still written).";

/// Arguments of `metron remote`.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct RemoteArgs {
    /// Hosts as [user@]host[:port] ([addr]:port for IPv6), comma-separated or repeated.
    #[arg(long, value_name = "HOSTS", help_heading = "Hosts")]
    pub hosts: Vec<String>,
    /// A file with one host per line (# starts a comment).
    #[arg(long, value_name = "FILE", help_heading = "Hosts")]
    pub hosts_file: Option<PathBuf>,
    /// Run on several hosts at once instead of one after another: at most N
    /// at a time (default 32, so a long host list does not exhaust ssh or
    /// file descriptors).
    #[arg(long, value_name = "N", num_args = 0..=1, require_equals = true,
          value_parser = clap::value_parser!(u16).range(1..), help_heading = "Hosts")]
    pub parallel: Option<Option<u16>>,
    /// Exit with status 0 when some hosts failed but others returned results.
    #[arg(long, help_heading = "Hosts")]
    pub allow_partial: bool,

    /// Private key for ssh (as ssh -i).
    #[arg(short = 'i', long = "identity", value_name = "KEY", help_heading = "SSH")]
    pub identity: Option<PathBuf>,
    /// ssh_config to use instead of ~/.ssh/config (as ssh -F).
    #[arg(short = 'F', long = "ssh-config", value_name = "FILE", help_heading = "SSH")]
    pub ssh_config: Option<PathBuf>,
    /// An ssh option (as ssh -o), repeatable; overrides metron's, e.g. -o UserKnownHostsFile=FILE.
    #[arg(short = 'o', long = "ssh-option", value_name = "KEY=VALUE", help_heading = "SSH")]
    pub ssh_options: Vec<String>,
    /// Give up connecting to a host after this long.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration, help_heading = "SSH")]
    pub connect_timeout: Duration,
    /// Time limit per host, from connecting to having its results; then the
    /// remote benchmark is stopped and what it measured is kept.
    #[arg(long, value_name = "DURATION", default_value = "60m", value_parser = parse_duration, help_heading = "SSH")]
    pub host_timeout: Duration,

    /// Directory to run in on each host (created if missing; relative paths start at the remote home).
    #[arg(long = "cd", value_name = "DIR", help_heading = "Remote files")]
    pub cd: Option<String>,
    /// Copy a file to each host first: LOCAL[:REMOTE], REMOTE relative to --cd (repeatable).
    #[arg(long = "put", value_name = "LOCAL[:REMOTE]", help_heading = "Remote files")]
    pub puts: Vec<String>,

    /// Boxed: it would make this the one large variant of the subcommands.
    #[command(flatten)]
    pub export: Box<ExportArgs>,

    /// The metron arguments to run on every host (after `--`).
    #[arg(last = true, value_name = "METRON ARGS")]
    pub args: Vec<String>,
}

/// Runs `metron remote`.
pub fn run(args: RemoteArgs) -> Result<ExitCode> {
    let colour = crate::config::colour(args.export.output.options.output.colour);
    let hosts = host::collect(&args.hosts, args.hosts_file.as_deref()).map_err(usage)?;
    let run = remote_run(&args)?;
    let exports = session::exports(&args.export)?;
    args.export.history.check()?;
    let human = Human::for_exports(&exports);
    let quiet = args.export.output.options.output.quiet;
    let mut base = RunRecord::new(std::env::args().collect(), environment::collect(), RunConfig::default().settings());
    base.label.clone_from(&args.export.output.options.output.label);
    let schedule = match args.parallel {
        None => Schedule::OneAfterAnother,
        Some(n) => Schedule::AtOnce(n.map_or(schedule::DEFAULT_PARALLEL, usize::from)),
    };

    let mut results: Vec<Option<HostResult>> = vec![None; hosts.len()];
    let mut failure = None;
    let note = |host: &Host, message: &str| {
        if !quiet {
            eprintln!("{host}: {message}…");
        }
    };
    schedule::run_all(&run, &hosts, schedule, &INTERRUPTED, &note, |index, result| {
        if let Err(e) = show(&result, human, colour) {
            failure.get_or_insert(e);
        }
        results[index] = Some(result);
        // Nothing fetched is lost: the JSON file follows every host.
        if let Err(e) = checkpoint(&exports, &base, &results) {
            failure.get_or_insert(e);
        }
    });
    let outcomes: Vec<HostOutcome> = results.into_iter().flatten().map(|r| r.outcome).collect();
    let interrupted = INTERRUPTED.load(Ordering::SeqCst);
    let mut merged = merge::merge(base, &outcomes);
    merged.interrupted |= interrupted;
    human.print(output::summary(&merged, colour).trim_end_matches('\n'))?;
    exports.write_all(&merged).map_err(session::export_error)?;
    args.export.history.append(&merged, quiet)?;
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(exit_code(&merged, interrupted, args.allow_partial))
}

/// The flags as the per-host machinery needs them, checked.
fn remote_run(args: &RemoteArgs) -> Result<RemoteRun> {
    check_metron_arguments(&args.args)?;
    for (path, flag) in [(&args.identity, "-i"), (&args.ssh_config, "-F")] {
        if let Some(p) = path {
            std::fs::File::open(p).map_err(|e| usage(format!("{flag} {}: {e}", p.display())))?;
        }
    }
    if let Some(bad) = args.ssh_options.iter().find(|o| !o.contains('=') && !o.contains(' ')) {
        return Err(usage(format!("-o {bad}: expected KEY=VALUE, as for ssh -o")));
    }
    if args.host_timeout.is_zero() {
        return Err(usage("--host-timeout must be more than zero"));
    }
    let puts = args.puts.iter().map(|p| Put::parse(p)).collect::<Result<Vec<_>, _>>().map_err(usage)?;
    let ssh = Ssh {
        config_file: args.ssh_config.clone(),
        identity: args.identity.clone(),
        options: args.ssh_options.clone(),
        connect_timeout_s: args.connect_timeout.as_secs_f64().ceil() as u64,
    };
    Ok(RemoteRun {
        ssh,
        binary: LocalBinary::current().map_err(anyhow::Error::msg)?,
        workdir: args.cd.as_deref().map(quoting::user_path),
        puts,
        args: args.args.clone(),
        host_timeout: args.host_timeout,
        run_id: run_id(),
    })
}

/// Checks the arguments after `--` as the remote metron will parse them, so
/// a typo fails here once instead of on every host.
fn check_metron_arguments(args: &[String]) -> Result<()> {
    if args.is_empty() {
        return Err(usage("give the metron arguments to run after --, e.g. metron remote --hosts a,b -- 'sleep 0.01'"));
    }
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    if args[..end].iter().any(|a| a == "--export-json" || a.starts_with("--export-json=")) {
        return Err(usage(
            "--export-json after --: metron remote fetches each host's JSON itself; give --export-json before -- for the merged run",
        ));
    }
    let parsed = Cli::try_parse_from(std::iter::once("metron").chain(args.iter().map(String::as_str)));
    match parsed {
        Ok(Cli { subcommand: Some(Sub::Remote(_) | Sub::Compare(_)), .. }) => {
            Err(usage("the arguments after -- must measure something (commands, timeit or suite)"))
        }
        Ok(_) => Ok(()),
        Err(e) => {
            let rendered = e.render().to_string();
            let first = rendered.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid arguments");
            Err(usage(format!("the metron arguments after --: {}", first.trim_start_matches("error: "))))
        }
    }
}

/// Names temporary files and run directories on the hosts: unique per run.
fn run_id() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{nanos:x}-{}", std::process::id())
}

/// Prints a finished host: its title and results, or its error.
fn show(result: &HostResult, human: Human, colour: Colour) -> Result<()> {
    let outcome = &result.outcome;
    if result.probe.is_some() || outcome.report.is_some() {
        human.print(output::host_title(result, colour).trim_end_matches('\n'))?;
    }
    if let Some(report) = outcome.report.as_ref().filter(|r| !r.benchmarks.is_empty()) {
        human.print(output::host_results(report, colour).trim_end_matches('\n'))?;
        human.print("")?;
    }
    if let Some(error) = &outcome.error {
        eprintln!("{}", output::host_error(&outcome.host, error, colour));
    }
    Ok(())
}

/// Writes the merged JSON of the hosts finished so far.
fn checkpoint(exports: &ExportManager, base: &RunRecord, results: &[Option<HostResult>]) -> Result<()> {
    let outcomes: Vec<HostOutcome> = results.iter().flatten().map(|r| r.outcome.clone()).collect();
    exports.checkpoint(&merge::merge(base.clone(), &outcomes)).map_err(session::export_error)
}

/// 130 only for a Ctrl-C here: a host stopped by its time limit also
/// reports an interrupted run, but that is the host failing.
fn exit_code(merged: &RunRecord, interrupted: bool, allow_partial: bool) -> ExitCode {
    let failed = merged.hosts.iter().any(|h| h.error.is_some());
    if interrupted {
        ExitCode::from(interrupt::EXIT_INTERRUPTED)
    } else if merged.benchmarks.is_empty() || (failed && !allow_partial) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

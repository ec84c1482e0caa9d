//! The `metron` command: a thin layer that parses arguments, turns them into
//! library configuration once, and hands over to `metron` (measuring) and
//! `metron-report` (rendering). Every decision about what is faster and how
//! sure we are is a library call.

mod args;
mod cmd;
mod config;
mod interrupt;
mod remote;
mod session;

use std::process::ExitCode;

use clap::Parser;

/// Exit status for invalid arguments (as clap uses).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    // Suite worker processes are this same binary, re-executed (see metron-suites).
    if std::env::args_os().nth(1).is_some_and(|a| a == metron_suites::WORKER_ARG) {
        return ExitCode::from(u8::try_from(metron_suites::worker_main()).unwrap_or(1));
    }
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    interrupt::install();
    match cmd::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("Error: {}", one_line(&e));
            ExitCode::from(e.downcast_ref::<config::UsageError>().map_or(1, |_| EXIT_USAGE))
        }
    }
}

/// Prints clap's help and version as they are, and its errors as one line.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            let rendered = e.render().to_string();
            let first = rendered.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid arguments");
            let first = first.trim_start_matches("error: ");
            eprintln!("Error: {first} (see 'metron --help')");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The error and its causes on one line, `outer: inner: innermost`, leaving
/// out a cause whose text the line already carries (many errors repeat
/// their source's message in their own).
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// A closed stdout (`metron … | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

//! The `metron` command: a thin layer that parses arguments, turns them into
//! library configuration once, and hands over to `metron` (measuring) and
//! `metron-report` (rendering). Every decision about what is faster and how
//! sure we are is a library call.

mod args;
mod cmd;
mod config;
mod flags;
mod fleet;
use metron::interrupt;
mod progress;
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
            eprintln!("Error: {}", metron::terminal::printable_lines(&one_line(&e)));
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
            eprintln!("Error: {} (see '{}')", clap_error_line(&e.render().to_string()), help_command());
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Clap's error as one line: its message with the details clap puts on the
/// lines below (which arguments are missing, the possible values, a tip),
/// without the usage and the pointer to --help that follow.
fn clap_error_line(rendered: &str) -> String {
    let mut line = String::new();
    for part in rendered.lines().map(str::trim) {
        if part.starts_with("Usage:") || part.starts_with("For more information") {
            break;
        }
        if part.is_empty() {
            continue;
        }
        // "…not provided:" continues on the next line; a tip is a new clause.
        let separator = match () {
            () if line.is_empty() => "",
            () if line.ends_with(':') || part.starts_with('[') => " ",
            () => "; ",
        };
        line.push_str(separator);
        line.push_str(part.trim_start_matches("error: "));
    }
    if line.is_empty() {
        "invalid arguments".into()
    } else {
        line
    }
}

/// `metron SUBCOMMAND --help` for the subcommand being used, else `metron --help`.
fn help_command() -> String {
    const SUBCOMMANDS: [&str; 9] =
        ["timeit", "compare", "report", "import", "suite", "remote", "history", "completions", "man"];
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some(sub) if SUBCOMMANDS.contains(&sub) => {
            let history = ["add", "check", "show", "report"];
            let nested = args.get(1).filter(|a| match sub {
                "suite" => !a.starts_with('-'),
                "history" => history.contains(&a.as_str()),
                _ => false,
            });
            match nested {
                Some(nested) => format!("metron {sub} {nested} --help"),
                None => format!("metron {sub} --help"),
            }
        }
        _ => "metron --help".into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_keep_their_details_on_one_line() {
        let missing = "error: the following required arguments were not provided:\n  <STMT>...\n\nUsage: metron timeit <STMT>...\n\nFor more information, try '--help'.\n";
        assert_eq!(clap_error_line(missing), "the following required arguments were not provided: <STMT>...");
        let value = "error: invalid value 'perl' for '--lang <LANG>'\n  [possible values: sh, python, rust]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            clap_error_line(value),
            "invalid value 'perl' for '--lang <LANG>' [possible values: sh, python, rust]"
        );
        let tip = "error: unexpected argument '--x' found\n\n  tip: to pass '--x' as a value, use '-- --x'\n\nUsage: metron\n";
        assert_eq!(
            clap_error_line(tip),
            "unexpected argument '--x' found; tip: to pass '--x' as a value, use '-- --x'"
        );
        assert_eq!(clap_error_line(""), "invalid arguments");
    }
}

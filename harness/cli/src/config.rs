//! From parsed arguments to library configuration, validated once, with
//! messages that name the flag at fault.

use metron::options::{ComparisonOptions, MeasureOptions, RoutineMode};
use metron::routine::ShellMode;
use metron::runner::RunConfig;
use metron::terminal::{Colour, ColourChoice};

/// A mistake in the arguments: exit status 2, like clap's own errors.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Shorthand for a usage error.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

/// A library error as the CLI reports it: a setting the library refuses
/// ([`metron::Error::is_usage`]) is the user's mistake, exit status 2;
/// anything else fails the run (exit status 1).
pub fn from_library(e: metron::Error) -> anyhow::Error {
    if e.is_usage() {
        usage(e.to_string())
    } else {
        anyhow::Error::new(e)
    }
}

/// The sampling settings for routines of `mode`, checked.
///
/// # Errors
/// A usage error naming the flag at fault.
pub fn run_config(options: &MeasureOptions, mode: RoutineMode) -> anyhow::Result<RunConfig> {
    options.run_config(mode).map_err(from_library)
}

/// The comparison flags, checked before anything is measured; with the
/// benchmarks' names (each name and `group/name` id), `--reference` too.
///
/// # Errors
/// A usage error for a flag the library refuses; the load error of a saved
/// baseline that cannot be read.
pub fn check_comparison(options: &ComparisonOptions, names: impl Iterator<Item = String>) -> anyhow::Result<()> {
    options.check().map_err(from_library)?;
    options.check_reference(names).map_err(from_library)
}

/// `--shell auto|none|PROGRAM`.
pub fn shell_mode(text: &str) -> anyhow::Result<ShellMode> {
    match text.trim() {
        "" => Err(usage("--shell needs auto, none or a program")),
        "auto" => Ok(ShellMode::Auto),
        "none" => Ok(ShellMode::Direct),
        program => Ok(ShellMode::Program(program.to_string())),
    }
}

/// hyperfine's `--style`: colour and progress together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Style {
    /// Colour and progress on a terminal (the default).
    Auto,
    /// No colour, no progress bar.
    Basic,
    /// Colour even when not on a terminal, and progress.
    Full,
    /// Progress without colour.
    Nocolor,
    /// Colour without progress.
    Color,
    /// Nothing on the terminal but errors; exports are still written.
    None,
}

impl Style {
    /// Sets what the style decides in the output options: `--color`,
    /// `--quiet`; and whether results are shown at all (`false` for `none`).
    pub fn apply(self, output: &mut metron::options::OutputOptions) -> bool {
        let (colour, quiet) = match self {
            Style::Auto => (output.colour, output.quiet),
            Style::Basic | Style::None => (ColourChoice::Never, true),
            Style::Full => (ColourChoice::Always, false),
            Style::Nocolor => (ColourChoice::Never, output.quiet),
            Style::Color => (ColourChoice::Always, true),
        };
        (output.colour, output.quiet) = (colour, quiet);
        self != Style::None
    }
}

/// `--color auto|always|never`, decided here for stdout: only the front end
/// knows where its output goes.
pub fn colour(choice: ColourChoice) -> Colour {
    use std::io::IsTerminal;
    choice.resolve(std::io::stdout().is_terminal(), metron::terminal::no_color_requested())
}

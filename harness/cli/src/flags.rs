//! The measuring flags as clap arguments, built from the library's one
//! table ([`metron::options::MEASURE_FLAGS`]) instead of being declared
//! again: the name, short form, value name, default and help of each come
//! from the table, and each value given is handed to
//! [`MeasureOptions::apply`], so `metron` and a `metron::main!` bench
//! binary accept the same flags and give them the same meaning.
//!
//! A [`FlagSet`] picks the rows a command offers: [`Measuring`] the
//! sampling and comparison flags for commands or for timeit statements,
//! [`Output`] the output flags every command that prints results has.
//! [`ExportFlags`] does the same for the `--export-FORMAT` flags, from the
//! table of formats in `metron-report` ([`ExportFormat::ALL`]): a format
//! added there is a flag here without a line changed.

use std::marker::PhantomData;

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};
use metron::options::{Flag, FlagValue, Heading, MeasureOptions, RoutineMode, MEASURE_FLAGS};
use metron_report::{ExportFormat, ExportManager, ExportTarget};

/// Which rows of the table a command offers.
pub trait FlagSet {
    /// Whether the command offers `flag`.
    fn offers(flag: &Flag) -> bool;
}

/// The sampling and comparison flags that apply to routines of one mode.
pub trait RoutineFlags {
    /// The mode.
    const MODE: RoutineMode;
}

/// Command mode (`metron CMD...`).
#[derive(Debug, Clone, Copy)]
pub struct ForCommands;
impl RoutineFlags for ForCommands {
    const MODE: RoutineMode = RoutineMode::Commands;
}

/// `metron timeit`.
#[derive(Debug, Clone, Copy)]
pub struct ForStatements;
impl RoutineFlags for ForStatements {
    const MODE: RoutineMode = RoutineMode::Statements;
}

/// The sampling and comparison flags of a routine mode.
#[derive(Debug, Clone, Copy)]
pub struct Measuring<R>(PhantomData<R>);
impl<R: RoutineFlags> FlagSet for Measuring<R> {
    fn offers(flag: &Flag) -> bool {
        flag.heading != Heading::Output && flag.applies_to(R::MODE)
    }
}

/// `--label`, `--color`, `--quiet`.
#[derive(Debug, Clone, Copy)]
pub struct Output;
impl FlagSet for Output {
    fn offers(flag: &Flag) -> bool {
        flag.heading == Heading::Output
    }
}

/// What `metron compare` judges two saved runs by: `--clock`, `--noise`,
/// `--fail-on-regression`, `--color`.
#[derive(Debug, Clone, Copy)]
pub struct Judging;
impl FlagSet for Judging {
    fn offers(flag: &Flag) -> bool {
        ["clock", "noise", "fail-on-regression", "color"].contains(&flag.long)
    }
}

/// The options a [`FlagSet`]'s flags set, as a clap argument group to
/// `#[command(flatten)]`. Flags the set does not offer keep their defaults.
#[derive(Debug, Clone)]
pub struct Flags<S> {
    /// What the flags set.
    pub options: MeasureOptions,
    set: PhantomData<S>,
}

impl<S> Default for Flags<S> {
    fn default() -> Flags<S> {
        Flags { options: MeasureOptions::default(), set: PhantomData }
    }
}

impl<S: FlagSet> Flags<S> {
    fn rows() -> impl Iterator<Item = &'static Flag> {
        MEASURE_FLAGS.iter().filter(|f| S::offers(f))
    }
}

/// The clap argument of one row.
fn argument(flag: &'static Flag) -> Arg {
    let mut arg = Arg::new(flag.long).long(flag.long).help(flag.help).help_heading(flag.heading.title());
    if let Some(c) = flag.short {
        arg = arg.short(c);
    }
    if !flag.aliases.is_empty() {
        arg = arg.visible_aliases(flag.aliases);
    }
    arg = match flag.value {
        FlagValue::Switch => arg.action(ArgAction::SetTrue),
        FlagValue::Required { name, default } => {
            // As the bench binary does: the word after the flag is its value,
            // so `--noise -1%` is refused for its value, not taken for a flag.
            let arg = arg.value_name(name).action(ArgAction::Set).allow_hyphen_values(true);
            match default {
                Some(d) => arg.default_value(d),
                None => arg,
            }
        }
        FlagValue::Optional { name, missing } => arg
            .value_name(name)
            .num_args(0..=1)
            .require_equals(true)
            .default_missing_value(missing)
            .action(ArgAction::Set),
    };
    arg.conflicts_with_all(flag.conflicts)
}

impl<S: FlagSet> Args for Flags<S> {
    fn augment_args(cmd: Command) -> Command {
        Self::rows().fold(cmd, |cmd, flag| cmd.arg(argument(flag)))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl<S: FlagSet> FromArgMatches for Flags<S> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut flags = Flags { options: MeasureOptions::default(), set: PhantomData };
        flags.update_from_arg_matches(matches)?;
        Ok(flags)
    }

    /// Applies the values given on the command line; defaults are already
    /// in [`MeasureOptions::default`], which reads the same table.
    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for flag in Self::rows() {
            if matches.value_source(flag.long) != Some(ValueSource::CommandLine) {
                continue;
            }
            let value = match flag.value {
                FlagValue::Switch => None,
                FlagValue::Required { .. } | FlagValue::Optional { .. } => {
                    matches.get_one::<String>(flag.long).map(String::as_str)
                }
            };
            self.options.apply(flag.long, value).map_err(|why| {
                let shown = value.unwrap_or_default();
                clap::Error::raw(
                    clap::error::ErrorKind::ValueValidation,
                    format!("invalid value '{shown}' for '--{}': {why}\n", flag.long),
                )
            })?;
        }
        Ok(())
    }
}

/// The `--export-FORMAT FILE` flags, one per format of [`ExportFormat::ALL`].
#[derive(Debug, Clone, Default)]
pub struct ExportFlags {
    /// The exports given, in the table's order.
    pub exports: Vec<(ExportFormat, ExportTarget)>,
}

impl ExportFlags {
    /// The exports, ready to check and write.
    pub fn manager(&self) -> ExportManager {
        ExportManager::new(self.exports.clone())
    }
}

/// The clap id of a format's flag: its long name without the dashes.
fn export_id(format: ExportFormat) -> String {
    format.flag().trim_start_matches('-').to_string()
}

impl Args for ExportFlags {
    fn augment_args(cmd: Command) -> Command {
        ExportFormat::ALL.iter().fold(cmd, |cmd, &format| {
            let id = export_id(format);
            let help = match format {
                // Said once, on the first export flag.
                ExportFormat::Json => format!("{} Any export may be '-' for stdout.", format.help()),
                _ => format.help().to_string(),
            };
            cmd.arg(
                Arg::new(id.clone())
                    .long(id)
                    .value_name("FILE")
                    .help(help)
                    .help_heading(Heading::Output.title())
                    .action(ArgAction::Set),
            )
        })
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for ExportFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut flags = ExportFlags::default();
        flags.update_from_arg_matches(matches)?;
        Ok(flags)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for format in ExportFormat::ALL {
            if let Some(path) = matches.get_one::<String>(&export_id(format)) {
                self.exports.retain(|(f, _)| *f != format);
                self.exports.push((format, ExportTarget::new(path)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use metron::bench::BenchArgs;

    use crate::args::{Cli, Sub};

    /// The options `metron ARGS true` ends up with.
    fn cli(args: &[&str]) -> Result<metron::options::MeasureOptions, String> {
        let argv = ["metron"].iter().chain(args).chain(&["true"]);
        let cli = Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
        let mut options = cli.run.measure.options.clone();
        options.output = cli.run.export.output.options.output;
        Ok(options)
    }

    /// The options a bench binary run as `bench --bench ARGS` ends up with.
    fn bench(args: &[&str]) -> Result<metron::options::MeasureOptions, String> {
        let argv = ["--bench"].iter().chain(args).map(|s| s.to_string());
        BenchArgs::parse(argv).map(|b| b.options)
    }

    /// One valid spelling of every flag of the table (and of its short
    /// form and aliases): what the two front ends must agree on.
    fn spellings() -> Vec<Vec<String>> {
        use metron::options::{FlagValue, MEASURE_FLAGS};
        let mut out = vec![vec![]];
        for flag in MEASURE_FLAGS.iter().filter(|f| f.applies_to(metron::options::RoutineMode::Commands)) {
            let value = match flag.long {
                "clock" => "cpu",
                "sampling" => "linear",
                "color" => "never",
                "precision" | "noise" => "0.5%",
                "time-budget" | "sample-time" => "250ms",
                "reference" | "label" => "x",
                _ => "7",
            };
            let mut names = vec![format!("--{}", flag.long)];
            names.extend(flag.short.map(|c| format!("-{c}")));
            names.extend(flag.aliases.iter().map(|a| format!("--{a}")));
            for name in names {
                out.push(match flag.value {
                    FlagValue::Switch => vec![name],
                    FlagValue::Optional { .. } => vec![format!("{name}=3%")],
                    FlagValue::Required { .. } if name.starts_with("--") => vec![format!("{name}={value}")],
                    FlagValue::Required { .. } => vec![name, value.to_string()],
                });
            }
        }
        out
    }

    #[test]
    fn the_command_line_and_a_bench_binary_accept_the_same_flags_and_defaults() {
        assert_eq!(cli(&[]).unwrap(), bench(&[]).unwrap(), "defaults differ");
        for args in spellings() {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            assert_eq!(cli(&args), bench(&args), "{args:?}");
            assert!(cli(&args).is_ok(), "{args:?}");
        }
    }

    #[test]
    fn both_refuse_the_same_bad_values() {
        for bad in [["--precision", "abc"], ["--runs", "0"], ["--clock", "sundial"], ["--noise", "-1%"]] {
            let c = cli(&bad).unwrap_err();
            let b = bench(&bad).unwrap_err();
            let why = b.split_once(": ").map(|(_, w)| w).unwrap_or(&b).to_string();
            assert!(c.contains(&why), "{bad:?}: metron says {c:?}, the bench binary {b:?}");
        }
    }

    #[test]
    fn every_export_format_is_a_flag() {
        let mut argv = vec!["metron".to_string()];
        for f in metron_report::ExportFormat::ALL {
            argv.extend([f.flag(), format!("out.{}", f.name())]);
        }
        argv.push("true".into());
        let cli = Cli::try_parse_from(argv).unwrap();
        let exports = &cli.run.export.files.exports;
        assert_eq!(exports.len(), metron_report::ExportFormat::ALL.len());
        assert!(exports.iter().all(|(f, t)| t.to_string() == format!("out.{}", f.name())));
    }

    #[test]
    fn help_shows_the_tables_defaults() {
        let help = Cli::try_parse_from(["metron", "--help"]).unwrap_err().to_string();
        for flag in metron::options::MEASURE_FLAGS.iter().filter(|f| f.long != "number") {
            assert!(help.contains(&format!("--{}", flag.long)), "--{} missing from metron --help", flag.long);
        }
        assert!(help.contains("[default: 1%]") && help.contains("default: 3s for commands"));
        let timeit = Cli::try_parse_from(["metron", "timeit", "--help"]).unwrap_err().to_string();
        assert!(timeit.contains("--number") && timeit.contains("--repeat"));
        let parsed = Cli::try_parse_from(["metron", "timeit", "-n", "5", "-r", "3", "true"]).unwrap();
        let Some(Sub::Timeit(t)) = parsed.subcommand else { panic!("not timeit") };
        assert_eq!((t.measure.options.sampling.number, t.measure.options.sampling.runs), (Some(5), Some(3)));
    }
}

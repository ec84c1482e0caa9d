//! The table of measuring flags: one entry per flag, with everything a
//! front end needs to offer it (long and short name, value, default, help,
//! which kinds of routine it applies to). The `metron` command line builds
//! its clap arguments from [`MEASURE_FLAGS`], the bench binary looks flags up
//! in it, and [`MeasureOptions::apply`](super::MeasureOptions::apply) gives
//! each its meaning; so a flag added here reaches both front ends at once.

use super::measure::RoutineMode;

/// Where a flag is listed in `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    /// How samples are taken and when sampling stops.
    Sampling,
    /// Comparisons within the run and against baselines.
    Comparison,
    /// What the terminal shows and how the run is labelled.
    Output,
}

impl Heading {
    /// The heading's title in `--help`.
    pub fn title(self) -> &'static str {
        match self {
            Heading::Sampling => "Sampling",
            Heading::Comparison => "Comparison",
            Heading::Output => "Output",
        }
    }
}

/// Whether a flag takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagValue {
    /// A switch: `--no-interleave`.
    Switch,
    /// A value is required: `--precision 1%` or `--precision=1%`.
    Required {
        /// The value's name in `--help` (`PCT`).
        name: &'static str,
        /// The value when the flag is not given, as text; `None` when the
        /// default depends on the kind of routine (the help says which).
        default: Option<&'static str>,
    },
    /// A value may follow after `=` only: `--fail-on-regression[=PCT]`.
    Optional {
        /// The value's name in `--help`.
        name: &'static str,
        /// The value when the flag is given bare.
        missing: &'static str,
    },
}

/// One measuring flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    /// The long name, without `--`.
    pub long: &'static str,
    /// The one-letter form, if any.
    pub short: Option<char>,
    /// Other long names accepted for it (Python's `--repeat` for `--runs`).
    pub aliases: &'static [&'static str],
    /// Its value.
    pub value: FlagValue,
    /// One line of help.
    pub help: &'static str,
    /// Where `--help` lists it.
    pub heading: Heading,
    /// Long names of flags it cannot be given with.
    pub conflicts: &'static [&'static str],
    /// Whether commands accept it; statements and closures accept every flag.
    pub for_commands: bool,
}

impl Flag {
    /// Whether the flag applies to routines of `mode`.
    pub fn applies_to(&self, mode: RoutineMode) -> bool {
        self.for_commands || mode != RoutineMode::Commands
    }

    /// The flag with this long name or alias.
    pub fn find(long: &str) -> Option<&'static Flag> {
        MEASURE_FLAGS.iter().find(|f| f.long == long || f.aliases.contains(&long))
    }

    /// The flag with this short name.
    pub fn find_short(short: char) -> Option<&'static Flag> {
        MEASURE_FLAGS.iter().find(|f| f.short == Some(short))
    }
}

/// Shorthand for table entries.
const fn flag(long: &'static str, value: FlagValue, heading: Heading, help: &'static str) -> Flag {
    Flag { long, short: None, aliases: &[], value, help, heading, conflicts: &[], for_commands: true }
}

const fn required(name: &'static str, default: Option<&'static str>) -> FlagValue {
    FlagValue::Required { name, default }
}

const fn short(mut f: Flag, c: char) -> Flag {
    f.short = Some(c);
    f
}

/// Every measuring flag, in the order `--help` lists them.
pub const MEASURE_FLAGS: &[Flag] = &[
    short(
        flag(
            "warmup",
            required("N", None),
            Heading::Sampling,
            "Warm-up samples before measuring (default: at least one and 100 ms; 20 ms for each benchmark after the first).",
        ),
        'w',
    ),
    Flag {
        aliases: &["repeat"],
        conflicts: &["min-runs", "max-runs"],
        ..short(
            flag(
                "runs",
                required("N", None),
                Heading::Sampling,
                "Exactly N samples per benchmark, no early stop (timeit's -r/--repeat).",
            ),
            'r',
        )
    },
    short(
        flag(
            "min-runs",
            required("N", None),
            Heading::Sampling,
            "At least N samples (default: 10; 5 for timeit statements).",
        ),
        'm',
    ),
    short(flag("max-runs", required("N", None), Heading::Sampling, "At most N samples."), 'M'),
    Flag {
        for_commands: false,
        ..short(
            flag(
                "number",
                required("N", None),
                Heading::Sampling,
                "Iterations per sample (default: chosen automatically, as Python's timeit does).",
            ),
            'n',
        )
    },
    flag(
        "precision",
        required("PCT", Some("1%")),
        Heading::Sampling,
        "Stop when the 95% CI of the median is within ± this (e.g. 1%, 0.5%).",
    ),
    flag(
        "time-budget",
        required("DURATION", None),
        Heading::Sampling,
        "Stop after this much measuring per benchmark (e.g. 3s, 500ms; default: 3s for commands, 2s for a bench binary's functions, 1s for timeit statements, about as long as python -m timeit takes).",
    ),
    flag(
        "clock",
        required("wall|cpu|instructions|cycles|estimated-cycles", Some("wall")),
        Heading::Sampling,
        "Clock of the headline figure and the stopping rule; both clocks are always recorded. instructions counts \
         with hardware counters or Valgrind (5 samples, 0.1% noise floor); cycles needs hardware counters; \
         estimated-cycles is Valgrind's cache model (L1 + 5 LL + 35 RAM).",
    ),
    flag(
        "sample-time",
        required("DURATION", None),
        Heading::Sampling,
        "Minimum length of one sample (default: 1000× the clock's granularity and ≥ 1 ms; 50 ms for timeit).",
    ),
    flag(
        "sampling",
        required("flat|linear", Some("flat")),
        Heading::Sampling,
        "Iterations per sample: flat, or linear (1-4× cycles, for a regression slope).",
    ),
    flag(
        "no-interleave",
        FlagValue::Switch,
        Heading::Sampling,
        "Run benchmarks one after another instead of in interleaved rounds.",
    ),
    flag(
        "seed",
        required("N", None),
        Heading::Sampling,
        "Seed of the round order and of the bootstrap (for exact repetition).",
    ),
    flag(
        "replicates",
        required("R", Some("5")),
        Heading::Sampling,
        "Take each benchmark in R replicates (fresh driver or bench process, time blocks for commands): \
         the spread of their medians is what another run would see, and widens the CI to match.",
    ),
    flag(
        "pin",
        required("CPUS", None),
        Heading::Sampling,
        "Pin metron and what it runs to these CPUs (e.g. 1 or 0,2-3), away from the scheduler's moves.",
    ),
    flag(
        "reference",
        required("NAME", None),
        Heading::Comparison,
        "Compare every benchmark with this one (default: the fastest).",
    ),
    flag("save-baseline", required("NAME", None), Heading::Comparison, "Save this run as .metron/baselines/NAME.json."),
    flag(
        "keep-runs",
        required("N", Some("5")),
        Heading::Comparison,
        "With --save-baseline: keep the last N runs saved under that name, so comparisons with it \
         measure how much runs differ instead of assuming it.",
    ),
    flag("baseline", required("NAME", None), Heading::Comparison, "Compare this run with .metron/baselines/NAME.json."),
    flag(
        "noise",
        required("PCT", Some("1%")),
        Heading::Comparison,
        "Changes against --baseline within ± this never count as improved or regressed: a floor for \
         what matters (run-to-run noise is measured from the replicates, not assumed).",
    ),
    flag(
        "fail-on-regression",
        FlagValue::Optional { name: "PCT", missing: "0" },
        Heading::Comparison,
        "Exit with status 1 if any benchmark regressed against --baseline (by more than PCT, when given).",
    ),
    flag(
        "label",
        required("TEXT", None),
        Heading::Output,
        "A label for this run, shown in reports and history (e.g. a branch or an experiment).",
    ),
    flag(
        "color",
        required("auto|always|never", Some("auto")),
        Heading::Output,
        "When to colour the output (NO_COLOR is honoured in auto).",
    ),
    short(flag("quiet", FlagValue::Switch, Heading::Output, "No progress bar."), 'q'),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut longs: Vec<&str> =
            MEASURE_FLAGS.iter().flat_map(|f| [f.long].into_iter().chain(f.aliases.iter().copied())).collect();
        let n = longs.len();
        longs.sort_unstable();
        longs.dedup();
        assert_eq!(longs.len(), n, "a long name is used twice");
        let mut shorts: Vec<char> = MEASURE_FLAGS.iter().filter_map(|f| f.short).collect();
        let n = shorts.len();
        shorts.sort_unstable();
        shorts.dedup();
        assert_eq!(shorts.len(), n, "a short name is used twice");
    }

    #[test]
    fn conflicts_name_flags_of_the_table() {
        for f in MEASURE_FLAGS {
            for c in f.conflicts {
                assert!(Flag::find(c).is_some(), "{} conflicts with unknown {c}", f.long);
            }
        }
        assert_eq!(Flag::find("repeat").map(|f| f.long), Some("runs"));
        assert_eq!(Flag::find_short('n').map(|f| f.long), Some("number"));
    }
}

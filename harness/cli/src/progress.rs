//! The progress bar on stderr, shared by every command that measures: one
//! bar split into steps (the whole run, or a suite's groups), advanced by
//! each benchmark's share of its stopping rule, with the benchmark being
//! measured as its message. Hidden with `--quiet`; failures are printed
//! above it, as the library words them.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use metron::analysis::BenchmarkMeta;
use metron::model::Failure;
use metron::runner::Observer;
use metron::terminal::{self, Colour};

/// Positions per step: fine enough for a smooth bar.
const STEP: u64 = 1000;

/// The bar.
pub struct ProgressLine {
    bar: ProgressBar,
    colour: Colour,
}

impl ProgressLine {
    /// A bar of `steps` steps, drawn on stderr unless `quiet`.
    pub fn new(quiet: bool, steps: usize, colour: Colour) -> ProgressLine {
        let target = if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr_with_hz(8) };
        let bar = ProgressBar::with_draw_target(Some(steps.max(1) as u64 * STEP), target);
        // A constant template: `with_template` fails only on a malformed one.
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30.cyan/blue} {msg}") {
            bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
        }
        ProgressLine { bar, colour }
    }

    /// Moves to the start of step `index` with a message.
    pub fn start_step(&self, index: usize, message: String) {
        self.bar.set_position(index as u64 * STEP);
        self.bar.set_message(message);
    }

    /// An observer for the runner that measures `benchmarks` benchmarks in
    /// the current step.
    pub fn observer(&self, benchmarks: usize) -> StepObserver<'_> {
        StepObserver {
            line: self,
            base: self.bar.position(),
            fractions: vec![0.0; benchmarks],
            names: vec![String::new(); benchmarks],
        }
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        self.bar.suspend(f)
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Follows the benchmarks of one step: the bar advances by their mean
/// progress, and failures are printed as they happen.
pub struct StepObserver<'p> {
    line: &'p ProgressLine,
    base: u64,
    fractions: Vec<f64>,
    names: Vec<String>,
}

impl Observer for StepObserver<'_> {
    fn warming_up(&mut self, index: usize, meta: &BenchmarkMeta) {
        let name = terminal::printable(&meta.id()).into_owned();
        self.line.bar.set_message(format!("warming up {name}"));
        if let Some(n) = self.names.get_mut(index) {
            *n = name;
        }
    }

    fn sampled(&mut self, index: usize, samples: usize, progress: f64) {
        if let Some(f) = self.fractions.get_mut(index) {
            *f = progress;
        }
        // Called after every run: a hidden bar (`--quiet`, no terminal)
        // skips formatting a message nobody sees.
        if self.line.bar.is_hidden() {
            return;
        }
        let mean = self.fractions.iter().sum::<f64>() / self.fractions.len().max(1) as f64;
        self.line.bar.set_position(self.base + (mean * STEP as f64) as u64);
        let name = self.names.get(index).map_or("", String::as_str);
        self.line.bar.set_message(format!("{name}: {samples} runs"));
    }

    fn failed(&mut self, _index: usize, failure: &Failure) {
        let line = terminal::failure_line(failure, self.line.colour);
        self.line.bar.suspend(|| eprintln!("{line}"));
    }
}

//! The progress line of a bench binary: one line on stderr, rewritten in
//! place while a benchmark or a group measures (`group/name: 34 samples,
//! 57%`), erased before results are printed.
//!
//! The `metron` command draws an indicatif bar; the library must not depend
//! on indicatif (nor on a terminal at all), so this is a small hand-written
//! observer: a carriage return, the text, and ANSI "erase line". It is drawn
//! only when stderr is a terminal and `--quiet` is not given, so a log or a
//! pipe never sees it, and at most ten times a second so that drawing costs
//! nothing next to what is measured.

use std::io::Write;

use crate::analysis::BenchmarkMeta;
use crate::model::{BenchmarkResult, Failure};
use crate::runner::Observer;
use crate::terminal::printable;

/// Shortest time between two redraws, in ns.
const REDRAW_NS: u64 = 100_000_000;

/// Whether a progress line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// On stderr.
    Drawn,
    /// Not at all (stderr is not a terminal, or `--quiet`).
    Hidden,
}

impl ProgressMode {
    /// Drawn when stderr is a terminal and the user did not ask for quiet.
    pub fn detect(quiet: bool) -> ProgressMode {
        use std::io::IsTerminal;
        if !quiet && std::io::stderr().is_terminal() {
            ProgressMode::Drawn
        } else {
            ProgressMode::Hidden
        }
    }
}

/// The observer that draws the line for one run of the runner.
#[derive(Debug)]
pub(crate) struct ProgressObserver<W: Write> {
    out: Option<W>,
    ids: Vec<String>,
    last_ns: u64,
    shown: bool,
}

impl ProgressObserver<std::io::Stderr> {
    /// A line for benchmarks with these ids, on stderr when `mode` says so.
    pub(crate) fn stderr(mode: ProgressMode, ids: Vec<String>) -> Self {
        ProgressObserver::new((mode == ProgressMode::Drawn).then(std::io::stderr), ids)
    }
}

impl<W: Write> ProgressObserver<W> {
    pub(crate) fn new(out: Option<W>, ids: Vec<String>) -> Self {
        ProgressObserver { out, ids, last_ns: 0, shown: false }
    }

    fn draw(&mut self, text: &str, force: bool) {
        let now = crate::clock::wall_ns();
        let Some(out) = self.out.as_mut() else { return };
        if !force && self.shown && now.saturating_sub(self.last_ns) < REDRAW_NS {
            return;
        }
        self.last_ns = now;
        self.shown = true;
        let _ = write!(out, "\r\x1b[2K{text}");
        let _ = out.flush();
    }

    /// Erases the line, so what follows starts on a clean line.
    pub(crate) fn clear(&mut self) {
        if let (Some(out), true) = (self.out.as_mut(), self.shown) {
            let _ = write!(out, "\r\x1b[2K");
            let _ = out.flush();
            self.shown = false;
        }
    }

    fn id(&self, index: usize) -> String {
        self.ids.get(index).map(|id| printable(id).into_owned()).unwrap_or_default()
    }

    #[cfg(test)]
    fn into_inner(self) -> Option<W> {
        self.out
    }
}

impl<W: Write> Observer for ProgressObserver<W> {
    fn warming_up(&mut self, index: usize, _meta: &BenchmarkMeta) {
        let text = format!("{}: warming up", self.id(index));
        self.draw(&text, true);
    }

    fn sampled(&mut self, index: usize, samples: usize, progress: f64) {
        let s = if samples == 1 { "" } else { "s" };
        let text = format!("{}: {samples} sample{s}, {:.0}%", self.id(index), (progress * 100.0).clamp(0.0, 100.0));
        self.draw(&text, false);
    }

    fn finished(&mut self, _index: usize, _result: &BenchmarkResult) {
        self.clear();
    }

    fn failed(&mut self, _index: usize, _failure: &Failure) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_rewrites_and_erases_one_line() {
        let mut p = ProgressObserver::new(Some(Vec::new()), vec!["sort/stable".into()]);
        p.warming_up(0, &BenchmarkMeta::named("stable"));
        p.sampled(0, 1, 0.25);
        std::thread::sleep(std::time::Duration::from_millis(110));
        p.sampled(0, 2, 0.5);
        p.clear();
        let text = String::from_utf8(p.into_inner().unwrap()).unwrap();
        assert_eq!(text, "\r\x1b[2Ksort/stable: warming up\r\x1b[2Ksort/stable: 2 samples, 50%\r\x1b[2K");
    }

    #[test]
    fn hidden_draws_nothing() {
        let mut p: ProgressObserver<Vec<u8>> = ProgressObserver::new(None, vec!["a".into()]);
        p.warming_up(0, &BenchmarkMeta::named("a"));
        p.clear();
        assert!(p.into_inner().is_none());
    }
}

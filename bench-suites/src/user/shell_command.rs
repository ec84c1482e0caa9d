//! A shell command over items: `--command 'gzip -9 -c {item}' --items a,b,c`.
//!
//! One iteration runs the command once per item, at most `workers` at a
//! time: `workers` runner threads take the next item, start its process and
//! wait for it (so a finished process frees its slot at once, without
//! polling). Sequential is one runner. Every process must exit with status
//! 0: a failure names the item, the command line and how it ended, with
//! the end of its stderr. Standard output is discarded.
//!
//! Each item goes into the template through metron's
//! [`fill`]: a value is data, never shell
//! code, whatever the template's quoting. A line that is plain words is
//! started directly, one that uses the shell's language through `sh -c`.
//! CPU time is the reaped children's, so CPU/wall shows how many cores the
//! commands kept busy.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use metron::clock::ExitKind;
use metron::model::RoutineKind;
use metron::routine::shell::{fill, split_plain};
use metron::routine::{Measurement, Routine, ShellMode};

use crate::error::{Error, Result};

/// The placeholder an item replaces.
pub const PLACEHOLDER: &str = "{item}";

/// A command template and its items.
#[derive(Debug, Clone, PartialEq)]
pub struct ShellWork {
    template: String,
    items: Vec<String>,
    lines: Vec<ItemLine>,
}

/// One item's command, ready to start.
#[derive(Debug, Clone, PartialEq)]
struct ItemLine {
    item: String,
    line: String,
    env: Option<(String, String)>,
}

impl ShellWork {
    /// `template` with [`PLACEHOLDER`] filled by each of `items`.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for a template without the placeholder, no
    /// items, or an item that cannot be put into the template safely.
    pub fn new(template: &str, items: Vec<String>) -> Result<ShellWork> {
        if !template.contains(PLACEHOLDER) {
            return Err(Error::InvalidConfig(format!("--command '{template}' has no {PLACEHOLDER} to put items in")));
        }
        if items.is_empty() {
            return Err(Error::InvalidConfig("no items to run the command on".into()));
        }
        let lines = items
            .iter()
            .map(|item| {
                let filled = fill(template, "item", item, &ShellMode::Auto)
                    .map_err(|e| Error::InvalidConfig(format!("item '{item}': {e}")))?;
                Ok(ItemLine { item: item.clone(), line: filled.line, env: filled.env })
            })
            .collect::<Result<_>>()?;
        Ok(ShellWork { template: template.to_string(), items, lines })
    }

    /// The items, in order.
    pub fn items(&self) -> &[String] {
        &self.items
    }

    /// `3 items × gzip -9 -c {item}`.
    pub fn describe(&self) -> String {
        format!("{} items × {}", self.items.len(), self.template)
    }

    /// A routine running every item's command, `workers` at a time.
    pub fn routine(&self, workers: usize) -> ShellRoutine {
        ShellRoutine { lines: self.lines.clone(), workers: workers.max(1) }
    }
}

/// Every item's command, `workers` at a time, as a metron [`Routine`].
#[derive(Debug)]
pub struct ShellRoutine {
    lines: Vec<ItemLine>,
    workers: usize,
}

impl ShellRoutine {
    /// One run over every item; the first failure, if any.
    ///
    /// # Errors
    /// [`Error::Failed`] naming the item whose command failed.
    pub fn run_once(&self) -> Result<()> {
        let next = AtomicUsize::new(0);
        let failure: Mutex<Option<Error>> = Mutex::new(None);
        std::thread::scope(|s| {
            for _ in 0..self.workers.min(self.lines.len()) {
                s.spawn(|| {
                    while let Some(l) = self.lines.get(next.fetch_add(1, Ordering::Relaxed)) {
                        if let Err(e) = l.run() {
                            // Stop handing out items; the first failure is the one reported.
                            next.store(self.lines.len(), Ordering::Relaxed);
                            failure.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get_or_insert(e);
                        }
                    }
                });
            }
        });
        match failure.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl ItemLine {
    /// Starts the item's process and waits for it; its exit status must be 0.
    fn run(&self) -> Result<()> {
        let mut command = match split_plain(&self.line) {
            Some(words) if !words.is_empty() => {
                let mut c = Command::new(&words[0]);
                c.args(&words[1..]);
                c
            }
            _ => {
                let mut c = Command::new("sh");
                c.arg("-c").arg(&self.line);
                c
            }
        };
        if let Some((k, v)) = &self.env {
            command.env(k, v);
        }
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
        let what = |how: String| Error::Failed(format!("item '{}' (`{}`): {how}", self.item, self.line));
        // Tracked, so that a signal to metron alone stops the item too.
        let output = metron::routine::children::output(&mut command).map_err(|e| match e.kind() {
            std::io::ErrorKind::Interrupted => Error::Interrupted,
            _ => what(format!("cannot start: {e}")),
        })?;
        if metron::routine::children::stopping() && !output.status.success() {
            return Err(Error::Interrupted);
        }
        if output.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        let ended = exit_kind(output.status).failure();
        Err(what(if tail.is_empty() { ended } else { format!("{ended}: {tail}") }))
    }
}

/// The status as metron's [`ExitKind`], which says how it ended in words.
fn exit_kind(status: std::process::ExitStatus) -> ExitKind {
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return ExitKind::Signal(signal);
    }
    ExitKind::Code(status.code().unwrap_or(-1))
}

impl Routine for ShellRoutine {
    fn kind(&self) -> RoutineKind {
        RoutineKind::Command
    }

    fn measure(&mut self, iterations: u64) -> metron::Result<Measurement> {
        crate::variant_routine::timed(iterations, || self.run_once())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_data_and_failures_name_their_item() {
        let work = ShellWork::new("test -n {item}", vec!["a b".into(), "$(exit 1)".into()]).unwrap();
        work.routine(2).run_once().expect("values with spaces and $( ) are data, not code");
        let failing = ShellWork::new("sh -c 'exit \"$0\"' {item}", vec!["0".into(), "3".into()]).unwrap();
        let e = failing.routine(1).run_once().unwrap_err().to_string();
        assert!(e.starts_with("item '3' (`sh -c"), "{e}");
        assert!(e.contains("status 3"), "{e}");
        assert!(ShellWork::new("gzip -c", vec!["a".into()]).unwrap_err().to_string().contains("{item}"));
        assert!(ShellWork::new("gzip -c {item}", vec![]).is_err());
    }
}

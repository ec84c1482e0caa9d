//! The Valgrind backend: running a program under `valgrind --tool=callgrind`
//! with its cache simulation, and reading the counts back from callgrind's
//! output files.
//!
//! # Output files
//!
//! With `--callgrind-out-file=PREFIX`, every `CALLGRIND_DUMP_STATS` client
//! request (or `--dump-after` trigger) writes the counts since the previous
//! dump to `PREFIX.1`, `PREFIX.2`, … and zeroes them, and the exit writes
//! what is left to `PREFIX`. With `%p` in the prefix each process of a
//! traced tree writes its own. A file's `events:` line names the columns
//! and its `totals:` line sums them ([`parse_totals`]).
//!
//! Valgrind runs the program on a synthetic CPU, 20–100× slower than
//! natively; the counts do not depend on the load of the machine, the
//! times measured beside them do.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

use super::Counts;

/// The environment variable that names the Valgrind program (`valgrind`
/// on `PATH` when unset): for a Valgrind in an unusual place, and for tests
/// of what happens without one.
pub const PROGRAM_ENV: &str = "METRON_VALGRIND";

/// The Valgrind program metron starts.
pub fn program() -> String {
    std::env::var(PROGRAM_ENV).ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "valgrind".into())
}

/// `valgrind --version` (e.g. `valgrind-3.19.0`).
///
/// # Errors
/// [`Error::CounterUnavailable`] naming the program when it cannot be run.
pub fn version() -> Result<String> {
    version_of(&program())
}

/// `PROGRAM --version`, for the Valgrind program `program`.
///
/// # Errors
/// As [`version`].
pub fn version_of(program: &str) -> Result<String> {
    let output = Command::new(program).arg("--version").output();
    match output {
        Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout).trim().to_string()),
        Ok(o) => Err(Error::CounterUnavailable(format!("'{program} --version' failed ({})", o.status))),
        Err(e) => Err(Error::CounterUnavailable(format!("cannot run '{program}': {e}"))),
    }
}

/// The options every counted run gets: callgrind with its cache model,
/// output to `out` (a prefix, see the module docs), and quiet.
pub fn base_args(out: &Path) -> Vec<String> {
    vec![
        "--tool=callgrind".into(),
        "--cache-sim=yes".into(),
        format!("--callgrind-out-file={}", out.display()),
        "--quiet".into(),
    ]
}

/// A command that runs `program` with `args` under Valgrind with `options`.
pub fn wrap(options: &[String], program: &std::ffi::OsStr, args: &[&std::ffi::OsStr]) -> Command {
    let mut c = Command::new(self::program());
    c.args(options).arg(program).args(args);
    c
}

/// The counts of one callgrind output file's text: its `totals:` line (or
/// `summary:` in files that have no totals) read by the `events:` line.
///
/// # Errors
/// [`Error::Routine`] when the text has no events or no instruction column.
pub fn parse_totals(text: &str) -> Result<Counts> {
    let bad = |why: &str| Error::Routine(format!("callgrind output: {why}"));
    let field = |key: &str| text.lines().rev().find_map(|l| l.strip_prefix(key));
    let events: Vec<&str> = field("events:").ok_or_else(|| bad("no 'events:' line"))?.split_whitespace().collect();
    let totals = field("totals:").or_else(|| field("summary:")).ok_or_else(|| bad("no 'totals:' line"))?;
    let values: Vec<f64> = totals.split_whitespace().map(|v| v.parse().unwrap_or(0.0)).collect();
    // Trailing zero columns may be left out.
    let get = |name: &str| events.iter().position(|e| *e == name).map(|i| values.get(i).copied().unwrap_or(0.0));
    let ir = get("Ir").ok_or_else(|| bad("no 'Ir' (instructions) column"))?;
    let cache = ["Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw"].map(get);
    Ok(match cache {
        [Some(dr), Some(dw), Some(i1), Some(d1r), Some(d1w), Some(ilr), Some(dlr), Some(dlw)] => {
            Counts::from_cache_events(ir, dr, dw, i1 + d1r + d1w, ilr + dlr + dlw)
        }
        _ => Counts { instructions: ir, ..Counts::default() },
    })
}

/// Reads and removes one output file.
///
/// # Errors
/// [`Error::Io`] when it cannot be read, [`Error::Routine`] when it is not
/// callgrind output.
pub fn take_file(path: &Path) -> Result<Counts> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    let _ = std::fs::remove_file(path);
    parse_totals(&text)
}

/// The numbered dump `k` (from 1) of output prefix `prefix`.
pub fn dump_path(prefix: &Path, k: u64) -> PathBuf {
    let mut name = prefix.as_os_str().to_owned();
    name.push(format!(".{k}"));
    PathBuf::from(name)
}

/// Sums and removes every output file in `dir` (one per process of a
/// traced tree, each with its numbered dumps).
///
/// # Errors
/// As [`take_file`]; [`Error::Routine`] when the directory holds no output.
pub fn take_dir(dir: &Path) -> Result<Counts> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    let mut total: Option<Counts> = None;
    for entry in entries.flatten() {
        let counts = take_file(&entry.path())?;
        total = Some(total.map_or(counts, |t| t.add(&counts)));
    }
    total.ok_or_else(|| Error::Routine("Valgrind wrote no callgrind output (did the program start?)".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUMP: &str = "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npart: 1\n\
        positions: line\nevents: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\nsummary: 0\n\n\
        fn=(0) main\n0 6005 1001 1001 2 1 1 2 1 1\n\ntotals: 6005 1001 1001 2 1 1 2 1 1\n";

    #[test]
    fn reads_totals_by_the_events_line() {
        let c = parse_totals(DUMP).unwrap();
        assert_eq!(c.instructions, 6005.0);
        assert_eq!((c.l1_misses, c.ll_misses), (Some(4.0), Some(4.0)));
        // 8007 accesses, 4 missed L1 and all of those missed LL too.
        assert_eq!(c.estimated_cycles, Some(8003.0 + 35.0 * 4.0));
    }

    #[test]
    fn without_the_cache_model_only_instructions() {
        let c = parse_totals("events: Ir\nsummary: 42\n").unwrap();
        assert_eq!(c, Counts { instructions: 42.0, ..Counts::default() });
        assert!(parse_totals("events: Dr\ntotals: 1\n").unwrap_err().to_string().contains("'Ir'"));
        assert!(parse_totals("hello").is_err());
    }

    #[test]
    fn dumps_are_numbered_after_the_prefix() {
        assert_eq!(dump_path(Path::new("/tmp/x/cg.out"), 3), PathBuf::from("/tmp/x/cg.out.3"));
    }
}

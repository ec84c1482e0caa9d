//! The run store: one [`History`] over either backend.
//!
//! * [`schema`]: the tables, their migrations and the statements both backends run.
//! * [`rows`]: a run as rows, and rows as [`Point`]s.
//! * `sqlite`, `postgres`: the backends.

mod postgres;
pub(crate) mod rows;
pub mod schema;
mod sqlite;

use metron::model::{BenchmarkResult, RunRecord};

pub use self::rows::{Point, RunKey};
use self::rows::{ResultRow, RunRow};
use crate::error::{HistoryError, Result};
use crate::location::Location;

/// What each backend does; the SQL is shared ([`schema`]).
pub(crate) trait Backend {
    /// How messages name the database.
    fn location(&self) -> &str;
    /// Adds a run and its results in one transaction; returns the run's id.
    fn add(&mut self, run: &RunRow, results: &[ResultRow]) -> Result<i64>;
    /// Every point, oldest run first, optionally of one branch or benchmark.
    fn points(&mut self, branch: Option<&str>, benchmark: Option<&str>) -> Result<Vec<Point>>;
    /// A run's JSON and its results' JSON, if the run exists.
    fn run_json(&mut self, id: i64) -> Result<Option<(String, Vec<String>)>>;
    /// How many runs are stored.
    fn run_count(&mut self) -> Result<i64>;
}

/// Refuses a database written by a newer metron.
pub(crate) fn check_version(location: &str, found: i64) -> Result<()> {
    if found > schema::SCHEMA_VERSION {
        return Err(HistoryError::NewerSchema {
            location: location.to_string(),
            found,
            supported: schema::SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Which points a reader wants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only runs of this branch.
    pub branch: Option<String>,
    /// Only this benchmark (`group/name`).
    pub benchmark: Option<String>,
}

/// An open history: runs go in whole, series come out.
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// use metron_history::{History, Location, RunKey, Filter};
/// let mut history = History::open(&Location::Sqlite(dir.path().join("h.db"))).unwrap();
/// assert_eq!(history.run_count().unwrap(), 0);
/// assert!(history.points(&Filter::default()).unwrap().is_empty());
/// ```
pub struct History {
    backend: Box<dyn Backend>,
}

impl History {
    /// Opens the history at `location`, creating it (an SQLite file and its
    /// directory, or the tables on a server) if it is new, and upgrading an
    /// older schema.
    ///
    /// # Errors
    /// [`HistoryError::Corrupt`] for a file that is not an SQLite database,
    /// [`HistoryError::Foreign`] for another program's database,
    /// [`HistoryError::NewerSchema`], [`HistoryError::Unreachable`] for a
    /// server that cannot be reached, [`HistoryError::Io`].
    pub fn open(location: &Location) -> Result<History> {
        let backend: Box<dyn Backend> = match location {
            Location::Sqlite(path) => Box::new(sqlite::Sqlite::open(path)?),
            Location::Postgres(url) => Box::new(postgres::Postgres::open(url, location.display())?),
        };
        Ok(History { backend })
    }

    /// Opens a history that must already exist: reading a file that is not
    /// there would create an empty history and report that nothing is in it.
    ///
    /// # Errors
    /// [`HistoryError::Missing`] for an SQLite file that does not exist, and
    /// the errors of [`History::open`].
    pub fn open_existing(location: &Location) -> Result<History> {
        if let Some(path) = location.path().filter(|p| !p.exists()) {
            return Err(HistoryError::Missing { location: path.display().to_string() });
        }
        History::open(location)
    }

    /// How messages name the database.
    pub fn location(&self) -> &str {
        self.backend.location()
    }

    /// Adds `record` under `key`, every benchmark with all its samples, in
    /// one transaction: the run is wholly in or, if anything fails or the
    /// process dies, wholly out. Returns the run's id.
    ///
    /// # Errors
    /// [`HistoryError::EmptyRun`] for a run without benchmarks (`origin`
    /// names it), [`HistoryError::Database`].
    pub fn add(&mut self, record: &RunRecord, key: &RunKey, origin: &str) -> Result<i64> {
        if record.benchmarks.is_empty() {
            return Err(HistoryError::EmptyRun { origin: origin.to_string() });
        }
        let (run, results) = rows::rows(record, key);
        self.backend.add(&run, &results)
    }

    /// Every point that `filter` selects, oldest run first.
    ///
    /// # Errors
    /// [`HistoryError::Database`].
    pub fn points(&mut self, filter: &Filter) -> Result<Vec<Point>> {
        self.backend.points(filter.branch.as_deref(), filter.benchmark.as_deref())
    }

    /// A stored run as metron's result model, every sample included.
    ///
    /// # Errors
    /// [`HistoryError::Damaged`] when its JSON no longer reads;
    /// [`HistoryError::Database`].
    pub fn run(&mut self, id: i64) -> Result<Option<RunRecord>> {
        let Some((run, results)) = self.backend.run_json(id)? else { return Ok(None) };
        let location = self.location().to_string();
        let damaged = |detail: String| HistoryError::Damaged { location: location.clone(), run: id, detail };
        let mut record = RunRecord::from_json(&run, "run").map_err(|e| damaged(e.to_string()))?;
        for text in results {
            let result: BenchmarkResult = serde_json::from_str(&text).map_err(|e| damaged(e.to_string()))?;
            record.benchmarks.push(result);
        }
        Ok(Some(record))
    }

    /// How many runs are stored.
    ///
    /// # Errors
    /// [`HistoryError::Database`].
    pub fn run_count(&mut self) -> Result<i64> {
        self.backend.run_count()
    }
}

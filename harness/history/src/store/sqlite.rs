//! The SQLite backend: one file, no server. WAL mode, so readers never
//! block the writer and a writer killed mid-transaction leaves the file
//! valid (SQLite rolls the unfinished transaction back on next open);
//! `synchronous = FULL`, so a committed run survives a power cut too; a
//! busy timeout, so concurrent writers (parallel CI jobs on one machine)
//! wait for each other instead of failing.

use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::rows::{point, Columns, Point, ResultRow, RunRow};
use super::schema::{self, Dialect, SCHEMA_VERSION};
use super::Backend;
use crate::error::{HistoryError, Result};

/// How long a writer waits for another one to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// An open SQLite history.
pub(crate) struct Sqlite {
    conn: Connection,
    location: String,
}

impl Sqlite {
    /// Opens (creating if needed) the file and brings its schema up to date.
    pub(crate) fn open(path: &Path) -> Result<Sqlite> {
        let location = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| HistoryError::Io { location: location.clone(), source })?;
        }
        let conn = Connection::open(path).map_err(|e| corrupt(&location, &e))?;
        let mut db = Sqlite { conn, location };
        db.configure()?;
        db.migrate()?;
        Ok(db)
    }

    fn configure(&mut self) -> Result<()> {
        let location = self.location.clone();
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| corrupt(&location, &e))?;
        // The first statement that reads the file: a file that is not a database fails here.
        let mode: String =
            self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(|e| corrupt(&location, &e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(HistoryError::Database { location, detail: format!("cannot use WAL mode (got {mode})") });
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(|e| corrupt(&location, &e))
    }

    /// Creates or upgrades the tables, in one write transaction so that two
    /// processes opening a new file at once do not both create them.
    fn migrate(&mut self) -> Result<()> {
        let location = self.location.clone();
        let err = |e: rusqlite::Error| corrupt(&location, &e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let tables: Vec<String> = {
            let mut stmt = tx.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").map_err(err)?;
            let names = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(err)?;
            names.collect::<rusqlite::Result<_>>().map_err(err)?
        };
        let version = if tables.iter().any(|t| t == "metron_schema") {
            tx.query_row("SELECT version FROM metron_schema", [], |r| r.get::<_, i64>(0))
                .optional()
                .map_err(err)?
                .unwrap_or(0)
        } else if tables.is_empty() {
            0
        } else {
            return Err(HistoryError::Foreign { location: location.clone() });
        };
        super::check_version(&location, version)?;
        if version < SCHEMA_VERSION {
            let sql = schema::migrations(Dialect::Sqlite, if tables.is_empty() { 0 } else { version });
            tx.execute_batch(&sql).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn database(&self, e: &rusqlite::Error) -> HistoryError {
        HistoryError::Database { location: self.location.clone(), detail: e.to_string() }
    }
}

/// A failure to read the file as a database.
fn corrupt(location: &str, e: &rusqlite::Error) -> HistoryError {
    HistoryError::Corrupt { location: location.to_string(), detail: e.to_string() }
}

impl Backend for Sqlite {
    fn location(&self) -> &str {
        &self.location
    }

    fn add(&mut self, run: &RunRow, results: &[ResultRow]) -> Result<i64> {
        let location = self.location.clone();
        let err = |e: rusqlite::Error| HistoryError::Database { location: location.clone(), detail: e.to_string() };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let id: i64 = tx
            .query_row(
                schema::INSERT_RUN,
                params![run.commit, run.branch, run.label, run.host, run.started_at, run.added_at, run.json],
                |r| r.get(0),
            )
            .map_err(err)?;
        {
            let mut stmt = tx.prepare(schema::INSERT_RESULT).map_err(err)?;
            for r in results {
                let e = &r.estimate;
                stmt.execute(params![
                    id,
                    r.position,
                    r.benchmark,
                    r.host,
                    r.cpu_model,
                    e.value_ns,
                    e.std_error_ns,
                    e.ci_lo_ns,
                    e.ci_hi_ns,
                    r.json
                ])
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(id)
    }

    fn points(&mut self, branch: Option<&str>, benchmark: Option<&str>) -> Result<Vec<Point>> {
        let mut stmt = self.conn.prepare_cached(schema::SELECT_POINTS).map_err(|e| self.database(&e))?;
        let rows = stmt.query_map(params![branch, benchmark], |r| point(r)).map_err(|e| self.database(&e))?;
        let points = rows.collect::<rusqlite::Result<Vec<Point>>>();
        drop(stmt);
        points.map_err(|e| self.database(&e))
    }

    fn run_json(&mut self, id: i64) -> Result<Option<(String, Vec<String>)>> {
        let run: Option<String> = self
            .conn
            .query_row(schema::SELECT_RUN, params![id], |r| r.get(0))
            .optional()
            .map_err(|e| self.database(&e))?;
        let Some(run) = run else { return Ok(None) };
        let mut stmt = self.conn.prepare(schema::SELECT_RESULTS).map_err(|e| self.database(&e))?;
        let rows = stmt.query_map(params![id], |r| r.get::<_, String>(0)).map_err(|e| self.database(&e))?;
        let results = rows.collect::<rusqlite::Result<Vec<String>>>();
        drop(stmt);
        Ok(Some((run, results.map_err(|e| self.database(&e))?)))
    }

    fn run_count(&mut self) -> Result<i64> {
        self.conn.query_row(schema::COUNT_RUNS, [], |r| r.get(0)).map_err(|e| self.database(&e))
    }
}

impl Columns for rusqlite::Row<'_> {
    type Error = rusqlite::Error;
    fn int(&self, i: usize) -> Result<i64, Self::Error> {
        self.get(i)
    }
    fn real(&self, i: usize) -> Result<f64, Self::Error> {
        self.get(i)
    }
    fn text(&self, i: usize) -> Result<Option<String>, Self::Error> {
        self.get(i)
    }
    fn required_text(&self, i: usize) -> Result<String, Self::Error> {
        self.get(i)
    }
}

//! The PostgreSQL backend: the same tables on a server, for a CI fleet
//! whose machines write at the same time. Each run is one transaction;
//! creating or upgrading the tables takes a transaction-scoped advisory
//! lock, so two machines opening a new database at once do not both
//! create them. The tables may share a database with other programs'
//! (only `runs` or `results` without `metron_schema` is refused).

use postgres::{Client, NoTls, Row};

use super::rows::{point, Columns, Point, ResultRow, RunRow};
use super::schema::{self, Dialect, SCHEMA_VERSION};
use super::Backend;
use crate::error::{HistoryError, Result};

/// The advisory lock key of schema changes ("metron" in ASCII).
const MIGRATION_LOCK: i64 = 0x6d65_7472_6f6e;

/// An open PostgreSQL history.
pub(crate) struct Postgres {
    client: Client,
    location: String,
}

impl Postgres {
    /// Connects and brings the schema up to date. `location` names the
    /// server in messages (the URL without its password).
    pub(crate) fn open(url: &str, location: String) -> Result<Postgres> {
        let client = Client::connect(url, NoTls)
            .map_err(|e| HistoryError::Unreachable { location: location.clone(), detail: detail(&e) })?;
        let mut db = Postgres { client, location };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&mut self) -> Result<()> {
        let location = self.location.clone();
        let err = |e: postgres::Error| HistoryError::Database { location: location.clone(), detail: detail(&e) };
        let mut tx = self.client.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(err)?;
        let ours: bool = tx
            .query_one("SELECT to_regclass('metron_schema') IS NOT NULL", &[])
            .map_err(err)?
            .try_get(0)
            .map_err(err)?;
        let version = if ours {
            let row = tx.query_opt("SELECT version FROM metron_schema", &[]).map_err(err)?;
            row.map(|r| r.try_get::<_, i64>(0)).transpose().map_err(err)?.unwrap_or(0)
        } else {
            let taken: bool = tx
                .query_one("SELECT to_regclass('runs') IS NOT NULL OR to_regclass('results') IS NOT NULL", &[])
                .map_err(err)?
                .try_get(0)
                .map_err(err)?;
            if taken {
                return Err(HistoryError::Foreign { location: location.clone() });
            }
            0
        };
        super::check_version(&location, version)?;
        if !ours || version < SCHEMA_VERSION {
            tx.batch_execute(&schema::migrations(Dialect::Postgres, if ours { version } else { 0 })).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn database(&self, e: &postgres::Error) -> HistoryError {
        HistoryError::Database { location: self.location.clone(), detail: detail(e) }
    }
}

/// The server's message where there is one (postgres' Display says only "db error").
fn detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                text = format!("{text}: {s}");
                source = s.source();
            }
            text
        }
    }
}

impl Backend for Postgres {
    fn location(&self) -> &str {
        &self.location
    }

    fn add(&mut self, run: &RunRow, results: &[ResultRow]) -> Result<i64> {
        let location = self.location.clone();
        let err = |e: postgres::Error| HistoryError::Database { location: location.clone(), detail: detail(&e) };
        let mut tx = self.client.transaction().map_err(err)?;
        let row = tx
            .query_one(
                schema::INSERT_RUN,
                &[&run.commit, &run.branch, &run.label, &run.host, &run.started_at, &run.added_at, &run.json],
            )
            .map_err(err)?;
        let id: i64 = row.try_get(0).map_err(err)?;
        let stmt = tx.prepare(schema::INSERT_RESULT).map_err(err)?;
        for r in results {
            let e = &r.estimate;
            tx.execute(
                &stmt,
                &[
                    &id,
                    &r.position,
                    &r.benchmark,
                    &r.host,
                    &r.cpu_model,
                    &e.value_ns,
                    &e.std_error_ns,
                    &e.ci_lo_ns,
                    &e.ci_hi_ns,
                    &r.json,
                ],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(id)
    }

    fn points(&mut self, branch: Option<&str>, benchmark: Option<&str>) -> Result<Vec<Point>> {
        let rows = self.client.query(schema::SELECT_POINTS, &[&branch, &benchmark]).map_err(|e| self.database(&e))?;
        rows.iter().map(point).collect::<Result<_, _>>().map_err(|e| self.database(&e))
    }

    fn run_json(&mut self, id: i64) -> Result<Option<(String, Vec<String>)>> {
        let run = self.client.query_opt(schema::SELECT_RUN, &[&id]).map_err(|e| self.database(&e))?;
        let Some(run) = run else { return Ok(None) };
        let results = self.client.query(schema::SELECT_RESULTS, &[&id]).map_err(|e| self.database(&e))?;
        let text = |r: &Row| r.try_get::<_, String>(0).map_err(|e| self.database(&e));
        Ok(Some((text(&run)?, results.iter().map(text).collect::<Result<_>>()?)))
    }

    fn run_count(&mut self) -> Result<i64> {
        let row = self.client.query_one(schema::COUNT_RUNS, &[]).map_err(|e| self.database(&e))?;
        row.try_get(0).map_err(|e| self.database(&e))
    }
}

impl Columns for Row {
    type Error = postgres::Error;
    fn int(&self, i: usize) -> Result<i64, Self::Error> {
        self.try_get(i)
    }
    fn real(&self, i: usize) -> Result<f64, Self::Error> {
        self.try_get(i)
    }
    fn text(&self, i: usize) -> Result<Option<String>, Self::Error> {
        self.try_get(i)
    }
    fn required_text(&self, i: usize) -> Result<String, Self::Error> {
        self.try_get(i)
    }
}

//! The history's tables, one schema for SQLite and PostgreSQL, and the
//! migrations that bring a database to it.
//!
//! # Schema (version 1)
//!
//! * `metron_schema(version)`: one row, the version the tables are at. A
//!   database without it but with other tables belongs to another program
//!   and is never touched; one at a newer version is refused.
//! * `runs`: one row per run added: `id`, `commit_id`, `branch`, `label`,
//!   `host` (the environment's host name), `started_at` (RFC 3339, UTC),
//!   `added_at`, and `run_json`, the run's JSON (metron's result model)
//!   without its benchmarks.
//! * `results`: one row per benchmark of a run: `run_id`, `position` in
//!   the run, `benchmark` (`group/name`), `host` and `cpu_model` (per
//!   result: a merged multi-host run has several), the run's estimate
//!   (`value_ns`, `std_error_ns`, `ci_lo_ns`, `ci_hi_ns`: see
//!   [`Estimate`](crate::Estimate)) and `result_json`, the whole
//!   benchmark result with every raw sample, so any figure can be
//!   recomputed through `metron::model` without a change of tables.
//!
//! Each run is written in one transaction: a writer killed in the middle
//! leaves it wholly absent.

/// The schema version this metron writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// Which SQL dialect a statement is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// Migration `i` brings the tables from version `i` to `i + 1`. `{ID}` and
/// `{REAL}` stand for the dialect's identity column and double type.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = ["
CREATE TABLE runs (
    id {ID},
    commit_id TEXT,
    branch TEXT,
    label TEXT,
    host TEXT NOT NULL,
    started_at TEXT NOT NULL,
    added_at TEXT NOT NULL,
    run_json TEXT NOT NULL
);
CREATE INDEX runs_order ON runs (started_at, id);
CREATE TABLE results (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    benchmark TEXT NOT NULL,
    host TEXT NOT NULL,
    cpu_model TEXT,
    value_ns {REAL} NOT NULL,
    std_error_ns {REAL} NOT NULL,
    ci_lo_ns {REAL} NOT NULL,
    ci_hi_ns {REAL} NOT NULL,
    result_json TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX results_benchmark ON results (benchmark);
"];

/// The statements that bring a database at version `from` to
/// [`SCHEMA_VERSION`], ending with the update of `metron_schema`.
pub(crate) fn migrations(dialect: Dialect, from: i64) -> String {
    let (id, real) = match dialect {
        Dialect::Sqlite => ("INTEGER PRIMARY KEY", "REAL"),
        Dialect::Postgres => ("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "DOUBLE PRECISION"),
    };
    let mut sql = String::new();
    if from == 0 {
        sql.push_str("CREATE TABLE metron_schema (version BIGINT NOT NULL);\nINSERT INTO metron_schema VALUES (0);\n");
    }
    for step in MIGRATIONS.iter().skip(usize::try_from(from).unwrap_or(usize::MAX)) {
        sql.push_str(&step.replace("{ID}", id).replace("{REAL}", real));
    }
    sql.push_str(&format!("UPDATE metron_schema SET version = {SCHEMA_VERSION};\n"));
    sql
}

/// One run, as a row of `runs`.
pub(crate) const INSERT_RUN: &str =
    "INSERT INTO runs (commit_id, branch, label, host, started_at, added_at, run_json) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

/// One benchmark result, as a row of `results`.
pub(crate) const INSERT_RESULT: &str = "INSERT INTO results (run_id, position, benchmark, host, cpu_model, value_ns, \
     std_error_ns, ci_lo_ns, ci_hi_ns, result_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// Every result's estimate with its run's key, oldest run first; `$1` a
/// branch or NULL, `$2` a benchmark or NULL. The columns are those of
/// [`super::rows::PointRow`], in order.
pub(crate) const SELECT_POINTS: &str = "SELECT r.id, r.commit_id, r.branch, r.label, r.started_at, s.benchmark, \
     s.host, s.cpu_model, s.value_ns, s.std_error_ns, s.ci_lo_ns, s.ci_hi_ns FROM results s JOIN runs r ON r.id = \
     s.run_id WHERE (CAST($1 AS TEXT) IS NULL OR r.branch = $1) AND (CAST($2 AS TEXT) IS NULL OR s.benchmark = $2) \
     ORDER BY r.started_at, r.id, s.position";

/// A run's JSON without benchmarks.
pub(crate) const SELECT_RUN: &str = "SELECT run_json FROM runs WHERE id = $1";

/// A run's results' JSON, in order.
pub(crate) const SELECT_RESULTS: &str = "SELECT result_json FROM results WHERE run_id = $1 ORDER BY position";

/// Whether the history was ever written to.
pub(crate) const COUNT_RUNS: &str = "SELECT COUNT(*) FROM runs";

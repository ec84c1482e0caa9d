//! What can go wrong with a history, each as one sentence that names the
//! database.

/// Why the history could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The file exists but is not an SQLite database (or is damaged).
    #[error("{location}: not a metron history (not an SQLite database, or a damaged one: {detail})")]
    Corrupt {
        /// The database.
        location: String,
        /// What SQLite said.
        detail: String,
    },
    /// A database, but with tables of something else and no metron schema.
    #[error("{location}: not a metron history (a database of another program: it has tables but no metron_schema)")]
    Foreign {
        /// The database.
        location: String,
    },
    /// Written by a newer metron.
    #[error("{location}: history schema version {found} is newer than this metron's ({supported}); upgrade metron")]
    NewerSchema {
        /// The database.
        location: String,
        /// The version in the database.
        found: i64,
        /// The newest version this metron knows.
        supported: i64,
    },
    /// The PostgreSQL server could not be reached or refused the login.
    #[error("{location}: cannot connect to PostgreSQL ({detail})")]
    Unreachable {
        /// The connection string, without its password.
        location: String,
        /// What the client said.
        detail: String,
    },
    /// An SQLite history that does not exist, where one is read.
    #[error("{location}: no history there (add runs with `metron history add RUN.json` or `--history`)")]
    Missing {
        /// The database.
        location: String,
    },
    /// The database's directory could not be created.
    #[error("{location}: {source}")]
    Io {
        /// The database.
        location: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A query failed after the database was opened.
    #[error("{location}: {detail}")]
    Database {
        /// The database.
        location: String,
        /// What the database said.
        detail: String,
    },
    /// A stored run could not be read back as a metron result.
    #[error("{location}: stored run {run} is damaged ({detail})")]
    Damaged {
        /// The database.
        location: String,
        /// The run's id.
        run: i64,
        /// What was wrong.
        detail: String,
    },
    /// A run to add has nothing to keep.
    #[error("{origin}: the run has no benchmarks to add")]
    EmptyRun {
        /// Where the run came from.
        origin: String,
    },
}

/// Results of this crate.
pub type Result<T, E = HistoryError> = std::result::Result<T, E>;

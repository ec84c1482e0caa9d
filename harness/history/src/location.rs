//! Where a history lives: an SQLite file, or a PostgreSQL server.

use std::path::{Path, PathBuf};

/// The file used when neither `--history PATH` nor `METRON_HISTORY` says otherwise.
pub const DEFAULT_PATH: &str = ".metron/history.db";

/// The environment variable that moves the history.
pub const ENV_VAR: &str = "METRON_HISTORY";

/// A history's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite database file (created on first use).
    Sqlite(PathBuf),
    /// A PostgreSQL connection string, `postgres://…` or `postgresql://…`.
    Postgres(String),
}

impl Location {
    /// Reads a place as the user writes it: a `postgres://` or
    /// `postgresql://` URL is a server, anything else a file.
    ///
    /// ```
    /// use metron_history::Location;
    /// assert!(matches!(Location::parse("postgres://ci@db/perf"), Location::Postgres(_)));
    /// assert!(matches!(Location::parse("perf.db"), Location::Sqlite(_)));
    /// ```
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::Postgres(text.to_string())
        } else {
            Location::Sqlite(PathBuf::from(text))
        }
    }

    /// The place to use: the one given, else `METRON_HISTORY`'s value
    /// (`env`), else [`DEFAULT_PATH`]. Empty values count as not given.
    pub fn resolve(given: Option<&str>, env: Option<&str>) -> Location {
        let chosen = given.filter(|g| !g.is_empty()).or(env.filter(|e| !e.is_empty()));
        chosen.map_or_else(|| Location::Sqlite(PathBuf::from(DEFAULT_PATH)), Location::parse)
    }

    /// How messages name it: the path, or the URL with any password hidden.
    pub fn display(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => hide_password(url),
        }
    }

    /// The SQLite file, if this is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Location::Sqlite(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }
}

/// `postgres://user:secret@host/db` as `postgres://user:***@host/db`.
fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let Some((credentials, host)) = rest.rsplit_once('@') else { return url.to_string() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution_order() {
        assert_eq!(Location::resolve(None, None), Location::Sqlite(DEFAULT_PATH.into()));
        assert_eq!(Location::resolve(Some(""), Some("e.db")), Location::Sqlite("e.db".into()));
        assert_eq!(Location::resolve(Some("a.db"), Some("e.db")), Location::Sqlite("a.db".into()));
        assert_eq!(Location::resolve(None, Some("postgresql://h/d")), Location::Postgres("postgresql://h/d".into()));
    }

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(Location::parse("postgres://ci:s3cret@db:5432/perf").display(), "postgres://ci:***@db:5432/perf");
        assert_eq!(Location::parse("postgres://db/perf").display(), "postgres://db/perf");
        assert_eq!(Location::parse("x/h.db").display(), "x/h.db");
    }
}

//! One suite of store checks, run against an SQLite file and against a
//! real PostgreSQL server: runs go in whole and come back equal, series
//! come out in order, two writers at once both land, and bad databases get
//! one clear error.

use metron_history::{Filter, History, HistoryError, Location, RunKey};

use super::fixtures::run;
use super::server;

/// Every check, on fresh databases made by `fresh`.
fn suite(fresh: &mut dyn FnMut(&str) -> Location) {
    round_trip(&fresh("roundtrip"));
    two_writers_at_once(&fresh("writers"));
    empty_runs_are_refused(&fresh("empty"));
}

fn round_trip(location: &Location) {
    let mut history = History::open(location).expect("open");
    let records: Vec<_> = (0..3).map(|i| run("parse", 1e6 * (1.0 + i as f64 / 10.0), i, i as u64)).collect();
    let mut ids = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let key = RunKey { commit: Some(format!("c{i}")), branch: Some("main".into()), label: None };
        ids.push(history.add(r, &key, "test").expect("add"));
    }
    assert_eq!(history.run_count().unwrap(), 3);
    // Every sample comes back through metron's model, as its JSON reads.
    for (id, r) in ids.iter().zip(&records) {
        let as_saved = metron::RunRecord::from_json(&r.to_json(), "test").unwrap();
        assert_eq!(history.run(*id).unwrap(), Some(as_saved));
    }
    assert!(history.run(9999).unwrap().is_none());
    let points = history.points(&Filter::default()).unwrap();
    let commits: Vec<_> = points.iter().map(|p| p.commit.clone().unwrap()).collect();
    assert_eq!(commits, ["c0", "c1", "c2"]);
    assert_eq!(points[0].host, "ci-1");
    let median = records[1].benchmarks[0].wall.median;
    assert_eq!(points[1].estimate.value_ns, median);
    assert!(points[1].estimate.std_error_ns > 0.0 && points[1].estimate.std_error_ns < 0.01 * median);
    let other = Filter { branch: Some("other".into()), benchmark: None };
    assert!(history.points(&other).unwrap().is_empty());
    let one = Filter { branch: None, benchmark: Some("nope".into()) };
    assert!(history.points(&one).unwrap().is_empty());
    // Reopening an up-to-date history changes nothing.
    drop(history);
    assert_eq!(History::open(location).unwrap().run_count().unwrap(), 3);
}

fn two_writers_at_once(location: &Location) {
    History::open(location).expect("create");
    let writers: Vec<_> = (0..2u64)
        .map(|w| {
            let location = location.clone();
            std::thread::spawn(move || {
                let mut history = History::open(&location).expect("open");
                for i in 0..10 {
                    let r = run(&format!("writer {w}"), 1e6, i, w * 100 + u64::from(i));
                    history.add(&r, &RunKey::default(), "test").expect("add while another writes");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    let mut history = History::open(location).unwrap();
    assert_eq!(history.run_count().unwrap(), 20);
    assert_eq!(history.points(&Filter::default()).unwrap().len(), 20);
}

fn empty_runs_are_refused(location: &Location) {
    let mut history = History::open(location).unwrap();
    let mut r = run("x", 1e6, 0, 1);
    r.benchmarks.clear();
    let e = history.add(&r, &RunKey::default(), "empty.json").unwrap_err();
    assert_eq!(e.to_string(), "empty.json: the run has no benchmarks to add");
    assert_eq!(history.run_count().unwrap(), 0);
}

#[test]
fn sqlite_backend_passes_the_store_suite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    suite(&mut |name| Location::Sqlite(path.join(format!("nested/{name}.db"))));
    let mode: String = rusqlite::Connection::open(path.join("nested/roundtrip.db"))
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn bad_sqlite_files_get_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.db");
    std::fs::write(&corrupt, b"this is not a database, just some text that is long enough to have a header").unwrap();
    let e = History::open(&Location::Sqlite(corrupt.clone())).err().expect("corrupt file");
    assert!(matches!(e, HistoryError::Corrupt { .. }), "{e}");
    assert!(e.to_string().starts_with(&format!("{}: not a metron history", corrupt.display())), "{e}");

    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE notes (text TEXT)").unwrap();
    let e = History::open(&Location::Sqlite(foreign)).err().expect("foreign file");
    assert!(matches!(e, HistoryError::Foreign { .. }), "{e}");

    let newer = dir.path().join("newer.db");
    History::open(&Location::Sqlite(newer.clone())).unwrap();
    rusqlite::Connection::open(&newer).unwrap().execute_batch("UPDATE metron_schema SET version = 99").unwrap();
    let e = History::open(&Location::Sqlite(newer)).err().expect("newer schema");
    assert!(
        e.to_string().ends_with("history schema version 99 is newer than this metron's (1); upgrade metron"),
        "{e}"
    );

    let missing = Location::Sqlite(dir.path().join("missing.db"));
    let e = History::open_existing(&missing).err().expect("missing file");
    assert!(e.to_string().contains("no history there"), "{e}");
    assert!(!dir.path().join("missing.db").exists());
}

#[test]
fn postgres_backend_passes_the_store_suite() {
    let Some(server) = server::start_or_skip() else { return };
    suite(&mut |name| Location::Postgres(server.database(name)));

    let foreign = server.database("foreign_tables");
    let mut client = postgres::Client::connect(&foreign, postgres::NoTls).unwrap();
    client.batch_execute("CREATE TABLE runs (x INT)").unwrap();
    let e = History::open(&Location::Postgres(foreign)).err().expect("foreign database");
    assert!(matches!(e, HistoryError::Foreign { .. }), "{e}");

    let newer = server.database("newer_schema");
    History::open(&Location::Postgres(newer.clone())).unwrap();
    let mut client = postgres::Client::connect(&newer, postgres::NoTls).unwrap();
    client.batch_execute("UPDATE metron_schema SET version = 99").unwrap();
    let e = History::open(&Location::Postgres(newer)).err().expect("newer schema");
    assert!(matches!(e, HistoryError::NewerSchema { found: 99, .. }), "{e}");
}

#[test]
fn an_unreachable_server_gets_one_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let location = Location::parse(&format!("postgres://metron:secret@127.0.0.1:{port}/perf"));
    let e = History::open(&location).err().expect("nothing listens there");
    let text = e.to_string();
    assert!(
        text.starts_with(&format!("postgres://metron:***@127.0.0.1:{port}/perf: cannot connect to PostgreSQL")),
        "{text}"
    );
    assert!(!text.contains("secret") && !text.contains('\n'), "{text}");
}

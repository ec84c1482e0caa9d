//! A throwaway PostgreSQL server for the tests: `initdb` in a temporary
//! directory and `pg_ctl start` on a free port of 127.0.0.1, run as the
//! unprivileged `postgres` user (the server refuses to run as root), and
//! stopped when dropped. Debian's `postgresql` package provides the
//! binaries under /usr/lib/postgresql/VERSION/bin (scripts/test.sh
//! installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A running server.
pub struct Server {
    bin: PathBuf,
    dir: tempfile::TempDir,
    /// `postgres://metron@127.0.0.1:PORT`.
    pub url: String,
}

/// The newest installed server's binaries.
fn binaries() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").is_file())
        .collect();
    dirs.sort();
    dirs.pop()
}

/// `program args…` as the `postgres` user (or as ourselves when not root).
fn as_postgres(program: &Path, args: &[&str]) -> Command {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program).args(args);
        c
    } else {
        let mut c = Command::new(program);
        c.args(args);
        c
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Server {
    /// Starts a server, or says why it cannot (`Err`): the test then
    /// fails, unless `METRON_SKIP_POSTGRES=1` is set.
    pub fn start() -> Result<Server, String> {
        let bin =
            binaries().ok_or("no PostgreSQL server: install Debian's `postgresql` (apt-get install -y postgresql)")?;
        let dir = tempfile::Builder::new().prefix("metron-pg").tempdir().map_err(|e| e.to_string())?;
        let data = dir.path().join("data");
        std::fs::create_dir(&data).map_err(|e| e.to_string())?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        if unsafe { libc::geteuid() } == 0 {
            let ok = Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()).status();
            if !ok.is_ok_and(|s| s.success()) {
                return Err("cannot hand the data directory to the postgres user".into());
            }
        }
        let d = data.to_str().ok_or("temporary path is not UTF-8")?;
        let out = as_postgres(&bin.join("initdb"), &["-D", d, "-A", "trust", "-U", "metron", "--no-sync"])
            .output()
            .map_err(|e| format!("cannot run initdb: {e}"))?;
        if !out.status.success() {
            return Err(format!("initdb failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let port = free_port();
        let options = format!("-p {port} -c listen_addresses=127.0.0.1 -k {d} -c fsync=off");
        let log = format!("{d}/log");
        let out = as_postgres(&bin.join("pg_ctl"), &["-D", d, "-l", &log, "-o", &options, "-w", "-t", "120", "start"])
            .output()
            .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
        if !out.status.success() {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("pg_ctl start failed: {}{log}", String::from_utf8_lossy(&out.stderr)));
        }
        Ok(Server { bin, dir, url: format!("postgres://metron@127.0.0.1:{port}") })
    }

    /// A new empty database on the server, as a URL.
    pub fn database(&self, name: &str) -> String {
        let mut client =
            postgres::Client::connect(&format!("{}/postgres", self.url), postgres::NoTls).expect("connect");
        client.batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
        format!("{}/{name}", self.url)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let d = data.to_str().unwrap_or_default();
        let _ = as_postgres(&self.bin.join("pg_ctl"), &["-D", d, "-m", "immediate", "-w", "stop"]).output();
    }
}

/// Starts a server, or returns `None` after saying why when the test may
/// be skipped (`METRON_SKIP_POSTGRES=1`); otherwise a missing server fails.
pub fn start_or_skip() -> Option<Server> {
    match Server::start() {
        Ok(s) => Some(s),
        Err(why) if std::env::var("METRON_SKIP_POSTGRES").is_ok_and(|v| v == "1") => {
            eprintln!("PostgreSQL tests skipped (METRON_SKIP_POSTGRES=1): {why}");
            None
        }
        Err(why) => panic!("{why} (or set METRON_SKIP_POSTGRES=1 to skip)"),
    }
}

//! Headless Chromium for the page tests (the report's and the history
//! dashboard's): where it is, running it with a hang guard, and what in
//! its log counts as a script error or a refused fetch.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A hang guard only: Chromium's first start on a cold, loaded CI machine can be slow.
const TIMEOUT: Duration = Duration::from_secs(180);

/// The Chromium to use, or the path where it was looked for.
pub fn chromium() -> Result<PathBuf, PathBuf> {
    let path = std::env::var_os("METRON_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if path.is_file() {
        Ok(path)
    } else {
        Err(path)
    }
}

/// The Chromium to use; `None` (after saying so) when it is missing and
/// `METRON_SKIP_BROWSER=1` is set; a panic that says how to install it otherwise.
pub fn chromium_or_skip() -> Option<PathBuf> {
    match chromium() {
        Ok(path) => Some(path),
        Err(_) if std::env::var("METRON_SKIP_BROWSER").is_ok_and(|v| v == "1") => {
            eprintln!("browser test skipped: METRON_SKIP_BROWSER=1 and no Chromium found");
            None
        }
        Err(path) => panic!(
            "Chromium not found at {} ($METRON_CHROMIUM, else /usr/bin/chromium): install it with \
             `apt-get install -y chromium`, point METRON_CHROMIUM at a Chromium binary, or set \
             METRON_SKIP_BROWSER=1 to skip this test",
            path.display()
        ),
    }
}

/// What a Chromium run printed.
pub struct Output {
    /// What it printed on stdout (the DOM, with --dump-dom).
    pub stdout: String,
    /// Its log.
    pub stderr: String,
}

/// Runs Chromium headless on `url` with `action` flags, killing it after [`TIMEOUT`].
pub fn run_chromium(chromium: &Path, action: &[String], url: &str) -> Output {
    let profile = tempfile::tempdir().expect("temporary profile directory");
    let mut child = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .args(["--disable-dev-shm-usage", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(action)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium.display()));
    let pipe = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let stdout = pipe(Box::new(child.stdout.take().unwrap()));
    let stderr = pipe(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {TIMEOUT:?}; stderr:\n{}", stderr.join().unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Output { stdout: stdout.join().unwrap_or_default(), stderr: stderr.join().unwrap_or_default() }
}

/// Fails on script errors, console messages and refused fetches in Chromium's log.
pub fn check_console(stderr: &str) {
    let bad: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("Uncaught") || l.contains("CONSOLE") || l.contains("Refused to"))
        .collect();
    assert!(bad.is_empty(), "console errors or refused fetches:\n{}", bad.join("\n"));
}

//! Rust statements, compiled into a small release program that times them:
//! Rust's missing `python -m timeit`.
//!
//! # How It Works
//!
//! The setup and the statement become the `main` of a generated cargo
//! project ([`RustSnippet::project`]): the setup's lines at the top of
//! `main` (so `let v = …;` and `use …;` work, and `?` too), the statement as
//! the body of a closure whose value goes through `black_box` on every
//! iteration, and a small protocol module (`rust_driver.rs.in`, only `std`)
//! that answers the sampler's `run <n>` requests with `Instant` and
//! `CLOCK_PROCESS_CPUTIME_ID` readings.
//!
//! # Cache layout
//!
//! ```text
//! <cache>/rust/<hash>/Cargo.toml      one project per snippet, <hash> of
//! <cache>/rust/<hash>/src/main.rs     (metron, rustc, setup, statement, deps)
//! <cache>/rust/<hash>/driver          the built program; present only after a
//!                                     successful build, so it is the marker
//! <cache>/rust-target/                CARGO_TARGET_DIR shared by all snippets:
//!                                     dependencies compile once
//! ```
//!
//! A second run of the same snippet finds `driver` next to identical sources
//! and starts it without calling cargo; an edited snippet is a new project
//! whose dependencies are already built in the shared target directory.
//!
//! # Line numbers
//!
//! The snippet's lines are copied into `main.rs` verbatim, unindented and on
//! lines of their own, so columns are unchanged and each `main.rs` line maps
//! to one line of the setup or of the statement ([`LineMap`]). rustc's
//! output and panic messages are rewritten through that map: `src/main.rs:9:5`
//! becomes `<stmt>:1:5`, and the line-number gutter of rustc's code excerpts
//! is renumbered to match.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::fingerprint::Fnv1a;
use crate::model::RoutineKind;
use crate::routine::{DriverRoutine, Measurement, Routine};

/// The protocol module appended to every generated `main.rs`.
const RUNTIME: &str = include_str!("rust_driver.rs.in");

/// A crate the snippet uses, as one line of `[dependencies]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    name: String,
    /// The right-hand side in Cargo.toml: a quoted version or an inline table.
    requirement: String,
}

impl FromStr for Dependency {
    type Err = Error;

    /// `name=version` (`rand=0.9`), `name` alone (any version), or
    /// `name={ version = "1", features = ["derive"] }`.
    fn from_str(text: &str) -> Result<Dependency> {
        let bad = |why: &str| Error::InvalidConfig(format!("dependency '{text}': {why}"));
        let (name, version) = text.split_once('=').unwrap_or((text, "*"));
        let (name, version) = (name.trim(), version.trim());
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(bad("expected NAME=VERSION with a crate name of letters, digits, '-' and '_'"));
        }
        let requirement = if version.starts_with('{') && version.ends_with('}') {
            version.to_string()
        } else if version.is_empty() || version.contains(['"', '\\', '\n']) {
            return Err(bad("expected a version requirement such as 0.9 or =1.2.3"));
        } else {
            format!("\"{version}\"")
        };
        Ok(Dependency { name: name.to_string(), requirement })
    }
}

/// A Rust statement with its setup and dependencies, before it is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustSnippet {
    setup: String,
    statement: String,
    dependencies: Vec<Dependency>,
}

/// Whether cargo may use the network to fetch dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Network {
    /// Fetch what is missing (cargo's default).
    #[default]
    Online,
    /// Use only what cargo has cached; mirrors `--offline`.
    Offline,
}

impl RustSnippet {
    /// A statement with no setup and no dependencies.
    pub fn new(statement: impl Into<String>) -> RustSnippet {
        RustSnippet { setup: String::new(), statement: statement.into(), dependencies: Vec::new() }
    }

    /// Setup lines, run once at the top of `main` (untimed), one per `-s`.
    pub fn setup<S: AsRef<str>>(mut self, lines: &[S]) -> RustSnippet {
        self.setup = lines.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("\n");
        self
    }

    /// Crates the snippet uses; mirrors `--dep`.
    pub fn dependencies(mut self, dependencies: Vec<Dependency>) -> RustSnippet {
        self.dependencies = dependencies;
        self
    }

    /// The cargo project of this snippet in `cache_dir` (see the module
    /// docs); `rustc_version` is part of its key, so a new toolchain builds
    /// afresh. Nothing is written until [`RustProject::build`].
    pub fn project(&self, cache_dir: &Path, rustc_version: &str) -> RustProject {
        let deps: String = self.dependencies.iter().map(|d| format!("{} = {}\n", d.name, d.requirement)).collect();
        let key = cache_key(&[env!("CARGO_PKG_VERSION"), rustc_version, &self.setup, &self.statement, &deps]);
        let hash = format!("{key:016x}");
        let package = format!("metron-snippet-{hash}");
        let (main_rs, lines) = main_rs(&self.setup, &self.statement);
        RustProject {
            dir: cache_dir.join("rust").join(&hash),
            target_dir: cache_dir.join("rust-target"),
            cargo_toml: cargo_toml(&package, &deps),
            package,
            main_rs,
            lines,
        }
    }
}

/// The cache key of a snippet project: [FNV-1a](crate::fingerprint) over
/// length-prefixed parts (so `ab`,`c` and `a`,`bc` differ), stable across
/// Rust releases as the directory names in the cache must be. Collisions
/// are harmless: a project is reused only when its sources are identical.
fn cache_key(parts: &[&str]) -> u64 {
    let mut hash = Fnv1a::new();
    for part in parts {
        hash.update(&(part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hash.finish()
}

fn cargo_toml(package: &str, deps: &str) -> String {
    format!(
        "# Generated by `metron timeit --lang rust`; rewritten on every build.\n\
         [package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{deps}\n\
         # Not part of any workspace the cache directory happens to be in.\n[workspace]\n"
    )
}

/// The generated `main.rs` and where the snippet's lines are in it.
fn main_rs(setup: &str, statement: &str) -> (String, LineMap) {
    let mut out = String::from(
        "// Generated by `metron timeit --lang rust`: a snippet driver speaking the\n\
         // protocol of metron's routine/driver.rs. Rewritten on every build.\n\
         #![allow(unused)]\n\n\
         fn main() -> ::std::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {\n    \
         let __metron_driver = __metron::Driver::start()?;\n    // setup\n",
    );
    let setup_start = out.lines().count() + 1;
    let setup_lines = push_lines(&mut out, setup);
    out.push_str("    // statement\n    __metron_driver.serve(|| {\n");
    let stmt_start = out.lines().count() + 1;
    let stmt_lines = push_lines(&mut out, statement);
    out.push_str("    })\n}\n\n");
    out.push_str(RUNTIME);
    let lines = LineMap { setup: (setup_start, setup_lines), stmt: (stmt_start, stmt_lines) };
    (out, lines)
}

/// Appends `text` line by line, unindented; returns the number of lines.
fn push_lines(out: &mut String, text: &str) -> usize {
    let mut count = 0;
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        count += 1;
    }
    count
}

/// Which lines of `main.rs` hold the setup and the statement: (first line, count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineMap {
    setup: (usize, usize),
    stmt: (usize, usize),
}

impl LineMap {
    /// The snippet file and line a `main.rs` line comes from, if any.
    pub fn snippet_line(&self, line: usize) -> Option<(&'static str, usize)> {
        [("<setup>", self.setup), ("<stmt>", self.stmt)]
            .into_iter()
            .find(|(_, (start, count))| (*start..start + count).contains(&line))
            .map(|(name, (start, _))| (name, line - start + 1))
    }

    /// rustc's output (or a panic message) with `main.rs` locations turned
    /// into snippet ones: `src/main.rs:9:5` into `<stmt>:1:5`, and the
    /// gutter of code excerpts that follow a `--> src/main.rs` line
    /// renumbered, its width kept.
    pub fn rewrite(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut in_main = false;
        for line in text.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("--> ") || trimmed.starts_with("::: ") {
                in_main = trimmed[4..].starts_with("src/main.rs:");
            }
            let renumbered = if in_main { self.renumber_gutter(line) } else { None };
            out.push_str(&self.rewrite_locations(renumbered.as_deref().unwrap_or(line)));
            out.push('\n');
        }
        if !text.ends_with('\n') {
            out.pop();
        }
        out
    }

    /// `12 |     code` to `1  |     code` when line 12 is a snippet line.
    fn renumber_gutter(&self, line: &str) -> Option<String> {
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let rest = &line[digits..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        if digits == 0 || spaces == 0 || !rest[spaces..].starts_with(['|', '~', '+', '-']) {
            return None;
        }
        let (_, mapped) = self.snippet_line(line[..digits].parse().ok()?)?;
        let width = digits + spaces;
        Some(format!("{:<width$}{}", mapped, &rest[spaces..]))
    }

    /// Every `src/main.rs:LINE` that is a snippet line, as `<setup>:LINE'` or `<stmt>:LINE'`.
    fn rewrite_locations(&self, line: &str) -> String {
        const FILE: &str = "src/main.rs:";
        let mut out = String::new();
        let mut rest = line;
        while let Some(at) = rest.find(FILE) {
            let after = &rest[at + FILE.len()..];
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let mapped = after[..digits].parse().ok().and_then(|n| self.snippet_line(n));
            out.push_str(&rest[..at]);
            match mapped {
                Some((name, n)) => {
                    let _ = write!(out, "{name}:{n}");
                }
                None => out.push_str(&rest[at..at + FILE.len() + digits]),
            }
            rest = &after[digits..];
        }
        out.push_str(rest);
        out
    }
}

/// A snippet's cargo project in the cache: where it is, what it contains,
/// whether it is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustProject {
    dir: PathBuf,
    target_dir: PathBuf,
    package: String,
    cargo_toml: String,
    main_rs: String,
    lines: LineMap,
}

impl RustProject {
    /// The project directory, `<cache>/rust/<hash>`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The built driver program; it exists only after a successful build.
    pub fn driver_path(&self) -> PathBuf {
        self.dir.join(format!("driver{}", std::env::consts::EXE_SUFFIX))
    }

    /// The generated `src/main.rs`.
    pub fn main_rs(&self) -> &str {
        &self.main_rs
    }

    /// Where the snippet's lines are in `src/main.rs`.
    pub fn line_map(&self) -> LineMap {
        self.lines
    }

    /// Whether a driver built from exactly these sources is in the cache,
    /// so that [`RustProject::routine`] can start at once, without cargo.
    pub fn is_built(&self) -> bool {
        let same = |name: &str, text: &str| std::fs::read(self.dir.join(name)).is_ok_and(|b| b == text.as_bytes());
        self.driver_path().is_file() && same("Cargo.toml", &self.cargo_toml) && same("src/main.rs", &self.main_rs)
    }

    /// Writes the project and builds it in release mode with cargo
    /// (`$CARGO`, else `cargo` on `PATH`), then puts the program in place.
    ///
    /// # Errors
    /// [`Error::CommandNotFound`] without cargo; [`Error::Routine`] with
    /// cargo's output (rustc's diagnostics pointing at `<setup>` and
    /// `<stmt>` lines, or why a crate could not be fetched) when the build
    /// fails; [`Error::Interrupted`] when cargo was interrupted.
    pub fn build(&self, network: Network) -> Result<()> {
        self.write_sources()?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(&cargo);
        command
            .args(["build", "--release", "--quiet", "--color", "never", "--manifest-path"])
            .arg(self.dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if network == Network::Offline {
            command.arg("--offline");
        }
        // A tracked child, so that a signal to metron stops a long build too.
        let output = crate::routine::children::output(&mut command).map_err(|source| match source.kind() {
            std::io::ErrorKind::Interrupted => Error::Interrupted,
            std::io::ErrorKind::NotFound => Error::CommandNotFound {
                command: "cargo build of the Rust snippet".into(),
                program: cargo.to_string_lossy().into_owned(),
            },
            _ => Error::Routine(format!("cannot start '{}': {source}", cargo.to_string_lossy())),
        })?;
        if !output.status.success() {
            if crate::routine::children::stopping() {
                return Err(Error::Interrupted);
            }
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                if output.status.signal() == Some(2) {
                    return Err(Error::Interrupted);
                }
            }
            let text = String::from_utf8_lossy(&output.stderr);
            return Err(Error::Routine(format!(
                "the Rust snippet does not build (cargo build in {}):\n{}",
                self.dir.display(),
                self.lines.rewrite(text.trim_end())
            )));
        }
        self.install()
    }

    /// Writes the sources, leaving identical files untouched so that cargo's
    /// fingerprints (file times) stay valid.
    fn write_sources(&self) -> Result<()> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        let src = self.dir.join("src");
        std::fs::create_dir_all(&src).map_err(io(&src))?;
        for (path, text) in [(self.dir.join("Cargo.toml"), &self.cargo_toml), (src.join("main.rs"), &self.main_rs)] {
            if std::fs::read(&path).is_ok_and(|b| b == text.as_bytes()) {
                continue;
            }
            std::fs::write(&path, text).map_err(io(&path))?;
        }
        Ok(())
    }

    /// Copies the program from the shared target directory next to the
    /// sources, atomically, so a driver in the cache is always complete.
    fn install(&self) -> Result<()> {
        let built = self.target_dir.join("release").join(format!("{}{}", self.package, std::env::consts::EXE_SUFFIX));
        let partial = self.dir.join(format!(".driver.{}.partial", std::process::id()));
        std::fs::copy(&built, &partial).map_err(|source| Error::Io { path: built.clone(), source })?;
        let driver = self.driver_path();
        std::fs::rename(&partial, &driver).map_err(|source| Error::Io { path: driver, source })
    }

    /// The routine: the built driver, started at the routine's setup, with
    /// panic locations pointing at the snippet. Build first
    /// ([`RustProject::is_built`], [`RustProject::build`]).
    pub fn routine(&self) -> RustSnippetRoutine {
        let driver = DriverRoutine::new(Command::new(self.driver_path()), "Rust snippet driver")
            .with_loop_function(LOOP_FUNCTION);
        RustSnippetRoutine { driver, lines: self.lines }
    }
}

/// The driver's timed loop (`__metron::time` in `rust_driver.rs.in`), as
/// callgrind's `--toggle-collect` matches demangled names.
const LOOP_FUNCTION: &str = "*::__metron::time";

/// A built Rust snippet as a routine: a [`DriverRoutine`] whose messages
/// (a panic in the statement) point at the snippet's lines.
#[derive(Debug)]
pub struct RustSnippetRoutine {
    driver: DriverRoutine,
    lines: LineMap,
}

impl RustSnippetRoutine {
    fn relocate<T>(&self, result: Result<T>) -> Result<T> {
        result.map_err(|e| match e {
            Error::Routine(message) => Error::Routine(self.lines.rewrite(&message)),
            other => other,
        })
    }
}

impl Routine for RustSnippetRoutine {
    fn kind(&self) -> RoutineKind {
        RoutineKind::Snippet
    }

    fn setup(&mut self) -> Result<()> {
        let result = self.driver.setup();
        self.relocate(result)
    }

    fn measure(&mut self, iterations: u64) -> Result<Measurement> {
        let result = self.driver.measure(iterations);
        self.relocate(result)
    }

    fn teardown(&mut self) -> Result<()> {
        let result = self.driver.teardown();
        self.relocate(result)
    }

    fn fresh_replicate(&mut self) -> Result<()> {
        let result = self.driver.fresh_replicate();
        self.relocate(result)
    }

    fn process_id(&self) -> Option<u32> {
        self.driver.process_id()
    }

    fn count_with(&mut self, backend: crate::counter::Backend) -> Result<()> {
        self.driver.count_with(backend)
    }
}

/// The version of the Rust compiler (`$RUSTC`, else `rustc`), e.g.
/// `1.95.0 (59807616e 2026-04-14)`.
///
/// # Errors
/// [`Error::CommandNotFound`] without a toolchain, [`Error::Routine`] when
/// it does not answer.
pub fn rustc_version() -> Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(&rustc).arg("--version").stdin(Stdio::null()).output().map_err(|source| match source
        .kind()
    {
        std::io::ErrorKind::NotFound => {
            Error::CommandNotFound { command: "Rust toolchain".into(), program: rustc.to_string_lossy().into_owned() }
        }
        _ => Error::Routine(format!("cannot start '{}': {source}", rustc.to_string_lossy())),
    })?;
    let text = String::from_utf8_lossy(&output.stdout);
    match text.trim().strip_prefix("rustc ") {
        Some(version) if output.status.success() => Ok(version.to_string()),
        _ => Err(Error::Routine(format!(
            "'{} --version' did not answer as rustc does ({}): {}",
            rustc.to_string_lossy(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_parse_as_cargo_lines() {
        let d: Dependency = "rand=0.9".parse().unwrap();
        assert_eq!((d.name.as_str(), d.requirement.as_str()), ("rand", "\"0.9\""));
        let d: Dependency = "itoa".parse().unwrap();
        assert_eq!(d.requirement, "\"*\"");
        let d: Dependency = r#"serde = { version = "1", features = ["derive"] }"#.parse().unwrap();
        assert_eq!(d.requirement, r#"{ version = "1", features = ["derive"] }"#);
        for bad in ["", "=1", "a b=1", "x=", "x=1\"", "x=1\n2"] {
            let err = bad.parse::<Dependency>().unwrap_err().to_string();
            assert!(err.starts_with("dependency"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn projects_are_keyed_by_their_content() {
        let cache = Path::new("/cache");
        let base = RustSnippet::new("v.len()").setup(&["let v = vec![1];"]);
        let p = base.project(cache, "1.95.0");
        assert_eq!(p, base.clone().project(cache, "1.95.0"), "same snippet, same project");
        assert!(p.dir().starts_with("/cache/rust"));
        assert_eq!(p.target_dir, Path::new("/cache/rust-target"));
        let name = p.dir().file_name().unwrap().to_str().unwrap();
        assert_eq!(name.len(), 16);
        assert_eq!(p.package, format!("metron-snippet-{name}"));
        let others = [
            RustSnippet::new("v.len() ").setup(&["let v = vec![1];"]).project(cache, "1.95.0"),
            RustSnippet::new("v.len()").setup(&["let v = vec![2];"]).project(cache, "1.95.0"),
            base.clone().dependencies(vec!["itoa=1".parse().unwrap()]).project(cache, "1.95.0"),
            base.project(cache, "1.96.0"),
            // Setup and statement are separate fields of the key, not one string.
            RustSnippet::new("let v = vec![1];v.len()").project(cache, "1.95.0"),
        ];
        for other in &others {
            assert_ne!(other.dir(), p.dir());
        }
        assert!(others[2].cargo_toml.contains("[dependencies]\nitoa = \"1\"\n"), "{}", others[2].cargo_toml);
    }

    #[test]
    fn snippet_lines_sit_unindented_where_the_map_says() {
        let snippet = RustSnippet::new("let s: u64 = v.iter().sum();\ns * 2")
            .setup(&["let v: Vec<u64> =", "  (0..9).collect();"]);
        let p = snippet.project(Path::new("/c"), "x");
        let lines: Vec<&str> = p.main_rs().lines().collect();
        let map = p.line_map();
        let find = |text: &str| lines.iter().position(|l| *l == text).unwrap() + 1;
        assert_eq!(map.snippet_line(find("let v: Vec<u64> =")), Some(("<setup>", 1)));
        assert_eq!(map.snippet_line(find("  (0..9).collect();")), Some(("<setup>", 2)));
        assert_eq!(map.snippet_line(find("let s: u64 = v.iter().sum();")), Some(("<stmt>", 1)));
        assert_eq!(map.snippet_line(find("s * 2")), Some(("<stmt>", 2)));
        assert_eq!(map.snippet_line(1), None);
        assert_eq!(map.snippet_line(find("s * 2") + 1), None);
    }

    #[test]
    fn rustc_output_points_at_the_snippet() {
        let map = LineMap { setup: (7, 1), stmt: (10, 2) };
        let rustc = "\
error[E0425]: cannot find value `w` in this scope
  --> src/main.rs:11:5
   |
11 | w + 1
   | ^ help: a local variable with a similar name exists: `v`
...
7  | let v = 1;
   |     - similarly named
   |
  ::: /rustlib/src/rust/library/core/src/ops/arith.rs:90:1
   |
90 | pub trait Add<Rhs = Self> {
   | ------------------------- required by this bound
error: could not compile `metron-snippet-0123` (bin \"metron-snippet-0123\") due to 1 previous error";
        let expected = "\
error[E0425]: cannot find value `w` in this scope
  --> <stmt>:2:5
   |
2  | w + 1
   | ^ help: a local variable with a similar name exists: `v`
...
1  | let v = 1;
   |     - similarly named
   |
  ::: /rustlib/src/rust/library/core/src/ops/arith.rs:90:1
   |
90 | pub trait Add<Rhs = Self> {
   | ------------------------- required by this bound
error: could not compile `metron-snippet-0123` (bin \"metron-snippet-0123\") due to 1 previous error";
        assert_eq!(map.rewrite(rustc), expected);
        let panic = "thread 'main' panicked at src/main.rs:7:9:\nboom\nsrc/main.rs:3 is generated\n";
        assert_eq!(map.rewrite(panic), "thread 'main' panicked at <setup>:1:9:\nboom\nsrc/main.rs:3 is generated\n");
    }

    #[test]
    fn keys_are_stable() {
        // A changed hash function would silently orphan every cached build.
        assert_eq!(cache_key(&[]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(cache_key(&["a"]), 0x529a_4ddc_8ff5_6bbf);
        assert_ne!(cache_key(&["ab", "c"]), cache_key(&["a", "bc"]));
    }
}

/// Builds a real snippet (needs cargo, as the tests themselves do).
#[cfg(all(test, unix))]
mod build_tests {
    use super::*;

    #[test]
    fn a_built_snippet_speaks_the_protocol_and_its_panics_point_at_the_snippet() {
        let cache = tempfile::tempdir().unwrap();
        let snippet = RustSnippet::new("v.iter().sum::<u64>()").setup(&["let v: Vec<u64> = (0..1000).collect();"]);
        let project = snippet.project(cache.path(), &rustc_version().unwrap());
        assert!(!project.is_built());
        project.build(Network::Offline).unwrap();
        assert!(project.is_built());
        let mut routine = project.routine();
        routine.setup().unwrap();
        for n in [1, 1000] {
            let m = routine.measure(n).unwrap();
            assert_eq!(m.iterations, n);
            assert!(m.wall_ns > 0.0 && m.cpu_ns.is_some(), "{m:?}");
        }
        routine.teardown().unwrap();

        let panicking =
            RustSnippet::new("let i = v.len();\nassert!(i > 5, \"too short\");").setup(&["let v = vec![1];"]);
        let project = panicking.project(cache.path(), &rustc_version().unwrap());
        project.build(Network::Offline).unwrap();
        let mut routine = project.routine();
        routine.setup().unwrap();
        let err = routine.measure(1).unwrap_err().to_string();
        assert!(err.contains("panicked at <stmt>:2:1"), "{err}");
        assert!(err.contains("too short"), "{err}");
    }
}

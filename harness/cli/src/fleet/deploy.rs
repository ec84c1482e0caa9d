//! Getting files onto a host: this metron binary into the host's cache, and
//! the user's `--put` files into the benchmark's directory.
//!
//! # The cache
//!
//! ```text
//! ~/.cache/metron/bin/metron-<16 hex digits>    on each host
//! ```
//!
//! The name is the FNV-1a 64-bit hash of the binary's bytes (see
//! [`metron::fingerprint`]): the same build is copied once per host and found again by
//! every later run, and a rebuilt metron never runs under an old one's name.
//! FNV-1a is not a cryptographic hash; it only has to tell builds apart, and
//! anyone who can write to a user's `~/.cache` can run code as that user
//! anyway. Using a cached binary touches it, and each copy removes all but
//! the four most recently used binaries, so a host that sees many builds
//! keeps a few, not all.
//!
//! # Copies
//!
//! Every copy is `ssh host sh -c '… cat > TMP …'` with the file on ssh's
//! stdin: no scp or sftp subsystem is needed on the host. The file lands
//! under a temporary name, is checked for its full size (a copy cut short by
//! Ctrl-C or a dropped connection ends at a clean end of file on the remote
//! side) and only then renamed into place, so a reader never sees half a
//! file, and hosts sharing a home directory can copy at the same time.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use metron::fingerprint::fnv1a64_reader;

use super::host::Host;
use super::quoting::{home_path, quote, user_path};
use super::ssh::{Input, Limit, Ssh, Stopping};

/// Where binaries are cached on each host, relative to its home.
pub const CACHE_DIR: &str = ".cache/metron/bin";

/// How many cached binaries a host keeps.
const KEEP: usize = 4;

/// The metron binary that is running, as it will be copied.
#[derive(Debug, Clone)]
pub struct LocalBinary {
    /// Its path.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// [`fnv1a64_reader`] of its bytes.
    pub hash: u64,
}

impl LocalBinary {
    /// The binary of this process.
    ///
    /// # Errors
    /// One line when it cannot be found or read.
    pub fn current() -> Result<LocalBinary, String> {
        let path = std::env::current_exe().map_err(|e| format!("cannot find the metron binary to copy: {e}"))?;
        LocalBinary::at(&path)
    }

    /// The binary at `path`.
    ///
    /// # Errors
    /// One line when it cannot be read.
    pub fn at(path: &Path) -> Result<LocalBinary, String> {
        let error = |e: std::io::Error| format!("cannot read the metron binary {}: {e}", path.display());
        let file = std::fs::File::open(path).map_err(error)?;
        let size = file.metadata().map_err(error)?.len();
        let hash = fnv1a64_reader(file).map_err(error)?;
        Ok(LocalBinary { path: path.to_path_buf(), size, hash })
    }

    /// The binary's file name in the cache: `metron-<hash>`.
    pub fn cache_name(&self) -> String {
        format!("metron-{:016x}", self.hash)
    }

    /// Its path on a host, as a shell word.
    pub fn remote_path(&self) -> String {
        home_path(&format!("{CACHE_DIR}/{}", self.cache_name()))
    }

    /// Copies the binary into `host`'s cache.
    ///
    /// # Errors
    /// One line: ssh's reason or the remote side's.
    pub fn copy_to(&self, ssh: &Ssh, host: &Host, tag: &str, limit: &Limit<'_>) -> Result<(), String> {
        let name = self.cache_name();
        let tmp = home_path(&format!("{CACHE_DIR}/.{name}.{tag}.tmp"));
        let prune = format!(
            "cd {dir} && ls -t | grep '^metron-' | sed 1,{KEEP}d | while read -r f; do rm -f \"./$f\"; done",
            dir = home_path(CACHE_DIR)
        );
        let script = receive_script(&self.remote_path(), &tmp, self.size, 0o755, &prune);
        send(ssh, host, &script, &self.path, limit, "copying metron")
    }
}

/// A `--put LOCAL[:REMOTE]` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Put {
    /// The local file.
    pub local: PathBuf,
    /// Where it goes: relative to the benchmark's directory (`--cd`), or
    /// absolute, or under the remote home with `~/`. A trailing `/` means
    /// "into this directory, under the local file's name".
    pub remote: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its permission bits, kept on the host (a script stays executable).
    pub mode: u32,
}

impl Put {
    /// Parses `LOCAL[:REMOTE]` (split at the first `:`) and checks that
    /// LOCAL is a readable file.
    ///
    /// # Errors
    /// One line naming the flag and the file.
    pub fn parse(spec: &str) -> Result<Put, String> {
        let (local, remote) = match spec.split_once(':') {
            Some((local, remote)) => (local, Some(remote)),
            None => (spec, None),
        };
        let bad = |why: String| format!("--put {spec}: {why}");
        if local.is_empty() {
            return Err(bad("no local file".into()));
        }
        let meta = std::fs::metadata(local).map_err(|e| bad(format!("{local}: {e}")))?;
        if !meta.is_file() {
            return Err(bad(format!("{local} is not a file (only files are copied)")));
        }
        std::fs::File::open(local).map_err(|e| bad(format!("{local}: {e}")))?;
        let file_name = Path::new(local).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let remote = match remote {
            None | Some("") => file_name,
            Some(r) if r.ends_with('/') => format!("{r}{file_name}"),
            Some(r) => r.to_string(),
        };
        Ok(Put { local: local.into(), remote, size: meta.len(), mode: meta.permissions().mode() & 0o777 })
    }

    /// Copies the file to `host`, into `workdir` (a shell word) when given.
    ///
    /// # Errors
    /// One line: ssh's reason or the remote side's.
    pub fn copy_to(
        &self,
        ssh: &Ssh,
        host: &Host,
        workdir: Option<&str>,
        tag: &str,
        limit: &Limit<'_>,
    ) -> Result<(), String> {
        let dest = user_path(&self.remote);
        let tmp = format!("{dest}{}", quote(&format!(".metron-{tag}.tmp")));
        let script = format!("{}{}", enter(workdir), receive_script(&dest, &tmp, self.size, self.mode, "true"));
        send(ssh, host, &script, &self.local, limit, &format!("copying {}", self.local.display()))
    }
}

/// The script prefix that makes `workdir` (a shell word) the current
/// directory, creating it when missing.
pub fn enter(workdir: Option<&str>) -> String {
    match workdir {
        Some(dir) => format!("mkdir -p {dir} && cd {dir} || exit 1\n"),
        None => String::new(),
    }
}

/// Receives stdin into `tmp`, checks its size, gives it `mode` and renames
/// it to `dest` (both shell words), then runs `after`.
fn receive_script(dest: &str, tmp: &str, size: u64, mode: u32, after: &str) -> String {
    format!(
        "mkdir -p \"$(dirname {dest})\" || exit 1\n\
         cat > {tmp} || exit 1\n\
         n=$(wc -c < {tmp})\n\
         if test $n -eq {size} 2>/dev/null; then chmod {mode:o} {tmp} && mv -f {tmp} {dest} || exit 1\n\
         else rm -f {tmp}; echo \"the copy arrived incomplete ($n of {size} bytes)\" >&2; exit 1; fi\n\
         {after}\n\
         exit 0"
    )
}

fn send(ssh: &Ssh, host: &Host, script: &str, file: &Path, limit: &Limit<'_>, step: &str) -> Result<(), String> {
    let ended = ssh.start(host, script, Input::File(file))?.wait(limit, Stopping::Kill);
    match ended.stopped {
        Some(stop) => Err(limit.explain(stop, step)),
        None if ended.status.success() => Ok(()),
        None if ended.ssh_failed() => Err(ended.reason()),
        None => Err(format!("{step} failed: {}", ended.reason())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_specs() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data.txt");
        std::fs::write(&file, "12345").unwrap();
        let local = file.display().to_string();
        let p = Put::parse(&local).unwrap();
        assert_eq!((p.remote.as_str(), p.size), ("data.txt", 5));
        assert_eq!(Put::parse(&format!("{local}:in/d.txt")).unwrap().remote, "in/d.txt");
        assert_eq!(Put::parse(&format!("{local}:in/")).unwrap().remote, "in/data.txt");
        assert!(Put::parse("/no/such/file").unwrap_err().starts_with("--put /no/such/file: "));
        let e = Put::parse(&dir.path().display().to_string()).unwrap_err();
        assert!(e.contains("is not a file"), "{e}");
    }

    /// The receiving script, run by the local sh with the file on stdin.
    #[test]
    fn receive_checks_the_size_and_renames() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/out.bin");
        let tmp = dir.path().join("out.tmp");
        let run = |content: &[u8], size: u64| {
            use std::io::Write;
            let script = receive_script(
                &quote(&dest.display().to_string()),
                &quote(&tmp.display().to_string()),
                size,
                0o750,
                "true",
            );
            let mut child = std::process::Command::new("sh")
                .arg("-c")
                .arg(script)
                .stdin(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(content).unwrap();
            child.wait_with_output().unwrap()
        };
        let out = run(b"hello", 5);
        assert!(out.status.success());
        assert_eq!(std::fs::read(&dest).unwrap(), b"hello");
        assert_eq!(std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777, 0o750);
        let out = run(b"hel", 5);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("incomplete (3 of 5 bytes)"));
        assert!(!tmp.exists());
        assert_eq!(std::fs::read(&dest).unwrap(), b"hello", "the old file stays");
    }
}

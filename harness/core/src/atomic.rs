//! Writing a file so that a reader never sees half of it: the bytes go to a
//! temporary file next to the target, are flushed, and the temporary file is
//! renamed over the target (a rename within a directory is atomic).
//!
//! The temporary file has a random name and is created exclusively
//! (`O_EXCL`), so nobody who can write in the directory can plant a link
//! under its name beforehand and make metron write through it. A replaced
//! file keeps its permissions (a 0600 file stays 0600); a new one gets the
//! usual 0666 less the umask, as a shell redirection would create it.
//!
//! A rename replaces whatever the path names, so it is only used where that
//! is a regular file (or nothing yet). A symbolic link is followed and its
//! target replaced, so the link stays; a device, FIFO or socket
//! (`--export-json /dev/stdout`, a named pipe) is written in place, as a
//! shell redirection would, instead of being replaced by a regular file.
//!
//! Writing in place never blocks on the open: a FIFO nobody reads would
//! hold a shell's `> fifo` forever without a word, and with it the results
//! of a whole run. The open is non-blocking; when no reader comes within
//! [`READER_PATIENCE`] the write fails with a [`NoReader`] error, and the
//! caller can keep the bytes with [`write_beside`] and say where they are.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a write in place waits for a FIFO's reader to open it (a
/// `cat fifo` started beside metron may come a moment later).
pub const READER_PATIENCE: Duration = Duration::from_secs(2);

/// The error of a write to a FIFO that no process opened for reading within
/// [`READER_PATIENCE`]; the [`std::io::Error`] that carries it has kind
/// [`std::io::ErrorKind::NotConnected`]. See [`is_no_reader`].
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("no process is reading this named pipe (FIFO)")]
pub struct NoReader;

/// Whether `e` is a [`NoReader`] error.
pub fn is_no_reader(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<NoReader>())
}

/// Writes `bytes` to `path`, atomically where `path` is (or will be) a
/// regular file, in place where it is a device, FIFO or socket.
///
/// # Errors
/// The I/O error of creating, writing, flushing or renaming.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let Some(target) = rename_target(path) else {
        let mut file = open_in_place(path)?;
        return file.write_all(bytes).and_then(|()| file.flush());
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    let kept = std::fs::metadata(&target).ok().map(|m| m.permissions());
    #[cfg(unix)]
    if kept.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(&dir)?;
    if let Some(permissions) = kept {
        file.as_file().set_permissions(permissions)?;
    }
    file.write_all(bytes)?;
    file.as_file().sync_data()?;
    // On failure the temporary file is removed when the error drops it.
    file.persist(&target).map(drop).map_err(|e| e.error)
}

/// Opens a device, FIFO or socket for writing without blocking on the open
/// (a FIFO without a reader), waiting at most [`READER_PATIENCE`] for a
/// reader; the file is then made blocking again so that a full pipe is
/// waited on, not an error.
fn open_in_place(path: &Path) -> std::io::Result<std::fs::File> {
    let started = Instant::now();
    loop {
        match open_without_blocking(path) {
            Ok(file) => {
                crate::input::blocking(&file)?;
                return Ok(file);
            }
            Err(e) if e.raw_os_error() == Some(NO_READER_ERRNO) => {
                if started.elapsed() >= READER_PATIENCE {
                    return Err(std::io::Error::new(std::io::ErrorKind::NotConnected, NoReader));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e),
        }
    }
}

/// What `open(O_WRONLY | O_NONBLOCK)` of a FIFO fails with when nobody reads it.
#[cfg(unix)]
const NO_READER_ERRNO: i32 = libc::ENXIO;
#[cfg(not(unix))]
const NO_READER_ERRNO: i32 = -1;

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).open(path)
}

/// Keeps `bytes` that could not be written to `path` (see [`NoReader`]) in
/// a new file beside it, named after it (`NAME.RANDOM.EXTENSION`, created
/// exclusively, never replacing anything), or in the temporary directory
/// when `path`'s directory is not writable. Returns the new file's path.
///
/// # Errors
/// The I/O error of creating or writing the file.
pub fn write_beside(path: &Path, extension: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "metron".into());
    let (prefix, suffix) = (format!("{name}."), format!(".{extension}"));
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(&suffix);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut file = builder.tempfile_in(&dir).or_else(|_| builder.tempfile())?;
    file.write_all(bytes)?;
    file.as_file().sync_data()?;
    file.keep().map(|(_, kept)| kept).map_err(|e| e.error)
}

/// The path a rename may replace: `path` itself when nothing is there or a
/// regular file is, the file a symbolic link leads to; `None` for anything
/// else (a device, FIFO, socket, or a link that leads nowhere yet), which
/// must be written in place.
fn rename_target(path: &Path) -> Option<PathBuf> {
    let link = std::fs::symlink_metadata(path).ok().is_some_and(|m| m.file_type().is_symlink());
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Some(if link { std::fs::canonicalize(path).ok()? } else { path.to_path_buf() }),
        Ok(_) => None,
        Err(_) if link => None,
        Err(_) => Some(path.to_path_buf()),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::input::tests::mkfifo;

    #[test]
    fn a_fifo_without_reader_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        mkfifo(&fifo);
        let started = Instant::now();
        let e = write(&fifo, b"{}").unwrap_err();
        assert!(is_no_reader(&e), "{e}");
        assert!(started.elapsed() >= READER_PATIENCE, "it waited for a reader first");
        let kept = write_beside(&fifo, "json", b"{}").unwrap();
        assert_eq!(kept.parent(), Some(dir.path()));
        assert!(kept.file_name().unwrap().to_str().unwrap().starts_with("f."), "{kept:?}");
        assert!(kept.extension().is_some_and(|e| e == "json"));
        assert_eq!(std::fs::read(&kept).unwrap(), b"{}");
    }

    #[test]
    fn a_fifo_with_a_reader_gets_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        mkfifo(&fifo);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write(&fifo, b"whole").unwrap();
        assert_eq!(reader.join().unwrap(), b"whole");
    }

    #[test]
    fn regular_files_are_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        write(&path, b"first").unwrap();
        write(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, ["r.json"], "no temporary file is left behind");
    }

    #[test]
    fn links_are_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (target, link) = (dir.path().join("target.json"), dir.path().join("link.json"));
        std::fs::write(&target, b"old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink(dir.path().join("later.json"), &dangling).unwrap();
        write(&dangling, b"created").unwrap();
        assert!(std::fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(dir.path().join("later.json")).unwrap(), b"created");
    }

    #[test]
    fn a_link_planted_at_the_old_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        // The name metron used to write to: `.NAME.PID.tmp`, PID this process.
        let planted = dir.path().join(format!(".r.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write(&dir.path().join("r.json"), b"{}").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious", "the victim is untouched");
        assert_eq!(std::fs::read(dir.path().join("r.json")).unwrap(), b"{}");
    }

    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("private.json");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write(&path, b"new").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write(&path, b"newer").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        // A new file is as readable as a shell redirection would make it, not 0600.
        let fresh = dir.path().join("fresh.json");
        write(&fresh, b"x").unwrap();
        let reference = dir.path().join("reference");
        std::fs::File::create(&reference).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&fresh), mode(&reference));
    }

    #[test]
    fn devices_are_written_in_place_not_replaced() {
        write(Path::new("/dev/null"), b"into the void").unwrap();
        let m = std::fs::metadata("/dev/null").unwrap();
        assert!(!m.is_file(), "/dev/null is still a device");
        let err = write(Path::new("/dev/full"), b"x").unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOSPC), "{err}");
        assert!(!std::fs::metadata("/dev/full").unwrap().is_file(), "/dev/full is still a device");
    }
}

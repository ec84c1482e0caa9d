//! Writing a file so that a reader never sees half of it: the bytes go to a
//! temporary file next to the target, are flushed, and the temporary file is
//! renamed over the target (a rename within a directory is atomic).
//!
//! A rename replaces whatever the path names, so it is only used where that
//! is a regular file (or nothing yet). A symbolic link is followed and its
//! target replaced, so the link stays; a device, FIFO or socket
//! (`--export-json /dev/stdout`, a named pipe) is written in place, as a
//! shell redirection would, instead of being replaced by a regular file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path`, atomically where `path` is (or will be) a
/// regular file, in place where it is a device, FIFO or socket.
///
/// # Errors
/// The I/O error of creating, writing, flushing or renaming.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let Some(target) = rename_target(path) else {
        let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).open(path)?;
        return file.write_all(bytes).and_then(|()| file.flush());
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_data()?;
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
    fn devices_are_written_in_place_not_replaced() {
        write(Path::new("/dev/null"), b"into the void").unwrap();
        let m = std::fs::metadata("/dev/null").unwrap();
        assert!(!m.is_file(), "/dev/null is still a device");
        let err = write(Path::new("/dev/full"), b"x").unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOSPC), "{err}");
        assert!(!std::fs::metadata("/dev/full").unwrap().is_file(), "/dev/full is still a device");
    }
}

//! Reading the files a user names (reports, baselines, peers' results,
//! lists of items or hosts): regular files only.
//!
//! Opening a FIFO for reading blocks until someone writes to it, and reading
//! a device or a socket may never end (`metron compare /dev/zero new.json`),
//! so these are refused with one line before they are opened: a result file
//! is a regular file. The check is made twice: on the path, so that nothing
//! with side effects on open (a tape, a serial line) is ever opened, and on
//! the open file, opened without blocking (`O_NONBLOCK`), so that a FIFO
//! swapped in between the two cannot block the open either.
//!
//! Every loader reads through [`read_to_string`], so the rule is the same
//! for every command.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// The whole of the regular file at `path` as text.
///
/// # Errors
/// An [`io::ErrorKind::InvalidInput`] error saying what `path` is when it
/// is a FIFO, a device or a socket; else the I/O error of opening or
/// reading (a directory, a missing file, text that is not UTF-8).
pub fn read_to_string(path: &Path) -> io::Result<String> {
    refuse_special(&std::fs::metadata(path)?)?;
    let mut file = open_without_blocking(path)?;
    refuse_special(&file.metadata()?)?;
    blocking(&file)?;
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    Ok(text)
}

/// An error when `metadata` is that of a FIFO, a device or a socket.
fn refuse_special(metadata: &Metadata) -> io::Result<()> {
    match special_kind(metadata) {
        Some(kind) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("is {kind}, not a regular file (metron reads results from files)"),
        )),
        None => Ok(()),
    }
}

/// What a file that is not a regular file or a directory is, in words.
#[cfg(unix)]
fn special_kind(metadata: &Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = metadata.file_type();
    match () {
        () if t.is_fifo() => Some("a named pipe (FIFO)"),
        () if t.is_char_device() => Some("a character device"),
        () if t.is_block_device() => Some("a block device"),
        () if t.is_socket() => Some("a socket"),
        () => None,
    }
}

#[cfg(not(unix))]
fn special_kind(_metadata: &Metadata) -> Option<&'static str> {
    None
}

/// Opens `path` for reading without waiting for a writer (a FIFO's open
/// would block until one comes).
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Clears `O_NONBLOCK` again, so that reads wait for data as usual.
#[cfg(unix)]
pub(crate) fn blocking(file: &File) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor `file` owns and keeps open for the call;
    // F_GETFL/F_SETFL only read and set its status flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    // SAFETY: as above.
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn blocking(_file: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
pub(crate) mod tests {
    use super::*;

    /// Makes a FIFO at `path` (for the tests of what reads and writes files).
    pub(crate) fn mkfifo(path: &Path) {
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    #[test]
    fn regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        std::fs::write(&path, "{}").unwrap();
        assert_eq!(read_to_string(&path).unwrap(), "{}");
    }

    #[test]
    fn fifos_and_devices_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        mkfifo(&fifo);
        // No writer: an ordinary open would block this test forever.
        let e = read_to_string(&fifo).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(e.to_string(), "is a named pipe (FIFO), not a regular file (metron reads results from files)");
        let e = read_to_string(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().starts_with("is a character device"), "{e}");
        let socket = dir.path().join("s");
        let _listening = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        assert!(read_to_string(&socket).unwrap_err().to_string().starts_with("is a socket"));
    }

    #[test]
    fn other_errors_are_the_os_errors() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_to_string(&dir.path().join("none")).unwrap_err().kind(), io::ErrorKind::NotFound);
        assert!(read_to_string(dir.path()).is_err());
    }
}

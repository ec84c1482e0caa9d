//! Frames between a parent and its worker processes, over the worker's
//! stdin (tasks) and stdout (replies).
//!
//! Binary and length-prefixed, little-endian, so a megabyte of `transfer`
//! input crosses the pipe as a megabyte (no text encoding to pay for) and a
//! reader always knows how much to expect. Every frame starts with a
//! four-byte tag, and every length is checked against a cap before anything
//! is allocated, so a worker that writes garbage is recognised as such
//! instead of making the parent allocate gigabytes or wait forever.
//!
//! | frame | tag | body |
//! |---|---|---|
//! | task | `MTSK` | index u64, steps u64, wait ns u64, file count u32, per file (length u32, UTF-8 path), input length u64, input |
//! | result | `MTOK` | index u64, pid u32, CPU ns u64, value u64, data length u64, data |
//! | error | `MTER` | length u32, UTF-8 message |
//!
//! A worker answers every task frame with one result or error frame, in
//! order, and exits when its input ends.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use crate::workload::{Output, Task};

const TASK: [u8; 4] = *b"MTSK";
const RESULT: [u8; 4] = *b"MTOK";
const ERROR: [u8; 4] = *b"MTER";

/// Largest input or output a frame may carry.
pub const MAX_DATA: u64 = 1 << 30;
/// Most files one task may read.
const MAX_FILES: u32 = 1 << 16;
/// Longest path or message.
const MAX_TEXT: u32 = 1 << 16;

/// A frame that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The stream ended in the middle of a frame.
    #[error("the reply stopped after {0} bytes of a frame")]
    Truncated(usize),
    /// The bytes are not a frame of this protocol.
    #[error("garbage on the pipe ({0})")]
    Garbage(String),
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// A worker's answer to one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The task ran.
    Done(Output),
    /// The task failed in the worker, with its message.
    Failed(String),
}

/// Writes a task frame.
///
/// # Errors
/// When writing fails, or a path is not UTF-8.
pub fn write_task(w: &mut impl Write, task: &Task) -> io::Result<()> {
    w.write_all(&TASK)?;
    w.write_all(&(task.index as u64).to_le_bytes())?;
    w.write_all(&task.steps.to_le_bytes())?;
    w.write_all(&(task.wait.as_nanos().min(u128::from(u64::MAX)) as u64).to_le_bytes())?;
    w.write_all(&(task.files.len() as u32).to_le_bytes())?;
    for path in &task.files {
        let text = path.to_str().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("{}: not a UTF-8 path", path.display()))
        })?;
        write_text(w, text)?;
    }
    w.write_all(&(task.input.len() as u64).to_le_bytes())?;
    w.write_all(&task.input)?;
    w.flush()
}

/// Reads a task frame; `Ok(None)` when the input ended cleanly between frames.
///
/// # Errors
/// A truncated or malformed frame, or a failed read.
pub fn read_task(r: &mut impl Read) -> Result<Option<Task>, WireError> {
    let mut reader = Counting { inner: r, read: 0 };
    let Some(tag) = reader.tag()? else { return Ok(None) };
    if tag != TASK {
        return Err(WireError::Garbage(format!("expected a task frame, got tag {tag:02x?}")));
    }
    let index = reader.length(u64::from(u32::MAX), "task index")? as usize;
    let steps = reader.u64()?;
    let wait = Duration::from_nanos(reader.u64()?);
    let count = reader.u32()?;
    if count > MAX_FILES {
        return Err(WireError::Garbage(format!("{count} files in one task")));
    }
    let files = (0..count).map(|_| reader.text().map(PathBuf::from)).collect::<Result<Vec<_>, _>>()?;
    let len = reader.length(MAX_DATA, "input length")?;
    let input = reader.bytes(len)?;
    Ok(Some(Task { index, steps, wait, files, input }))
}

/// Writes a result frame.
///
/// # Errors
/// When writing fails.
pub fn write_result(w: &mut impl Write, output: &Output, cpu_ns: u64) -> io::Result<()> {
    w.write_all(&RESULT)?;
    w.write_all(&(output.index as u64).to_le_bytes())?;
    w.write_all(&output.pid.to_le_bytes())?;
    w.write_all(&cpu_ns.to_le_bytes())?;
    w.write_all(&output.value.to_le_bytes())?;
    w.write_all(&(output.data.len() as u64).to_le_bytes())?;
    w.write_all(&output.data)?;
    w.flush()
}

/// Writes an error frame.
///
/// # Errors
/// When writing fails.
pub fn write_error(w: &mut impl Write, message: &str) -> io::Result<()> {
    w.write_all(&ERROR)?;
    let mut end = message.len().min(MAX_TEXT as usize);
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    write_text(w, &message[..end])?;
    w.flush()
}

/// Reads a reply frame; `Ok(None)` when the output ended cleanly between
/// frames. The result's CPU time is put in [`Output::worker_cpu_ns`].
///
/// # Errors
/// A truncated or malformed frame, or a failed read.
pub fn read_reply(r: &mut impl Read) -> Result<Option<Reply>, WireError> {
    let mut reader = Counting { inner: r, read: 0 };
    let Some(tag) = reader.tag()? else { return Ok(None) };
    match tag {
        RESULT => {
            let index = reader.length(u64::from(u32::MAX), "task index")? as usize;
            let pid = reader.u32()?;
            let cpu_ns = reader.u64()?;
            let value = reader.u64()?;
            let len = reader.length(MAX_DATA, "output length")?;
            let data = reader.bytes(len)?;
            Ok(Some(Reply::Done(Output { index, value, data, pid, worker_cpu_ns: Some(cpu_ns) })))
        }
        ERROR => Ok(Some(Reply::Failed(reader.text()?))),
        other => Err(WireError::Garbage(format!("expected a reply frame, got tag {other:02x?}"))),
    }
}

fn write_text(w: &mut impl Write, text: &str) -> io::Result<()> {
    w.write_all(&(text.len() as u32).to_le_bytes())?;
    w.write_all(text.as_bytes())
}

/// A reader that knows how far into the frame it is, to tell a clean end
/// of stream from a truncated frame.
struct Counting<'r, R> {
    inner: &'r mut R,
    read: usize,
}

impl<R: Read> Counting<'_, R> {
    fn exact(&mut self, buf: &mut [u8]) -> Result<(), WireError> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.inner.read(&mut buf[filled..]) {
                Ok(0) => return Err(WireError::Truncated(self.read)),
                Ok(n) => {
                    filled += n;
                    self.read += n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// The frame's tag, or `None` at a clean end of stream.
    fn tag(&mut self) -> Result<Option<[u8; 4]>, WireError> {
        let mut tag = [0u8; 4];
        match self.exact(&mut tag) {
            Err(WireError::Truncated(0)) => Ok(None),
            Err(e) => Err(e),
            Ok(()) => Ok(Some(tag)),
        }
    }

    fn u32(&mut self) -> Result<u32, WireError> {
        let mut b = [0u8; 4];
        self.exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self) -> Result<u64, WireError> {
        let mut b = [0u8; 8];
        self.exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn length(&mut self, cap: u64, what: &str) -> Result<u64, WireError> {
        let n = self.u64()?;
        if n > cap {
            return Err(WireError::Garbage(format!("{what} {n} is beyond the limit of {cap}")));
        }
        Ok(n)
    }

    fn bytes(&mut self, len: u64) -> Result<Vec<u8>, WireError> {
        let mut data = vec![0u8; len as usize];
        self.exact(&mut data)?;
        Ok(data)
    }

    fn text(&mut self) -> Result<String, WireError> {
        let len = self.u32()?;
        if len > MAX_TEXT {
            return Err(WireError::Garbage(format!("a text of {len} bytes")));
        }
        let bytes = self.bytes(u64::from(len))?;
        String::from_utf8(bytes).map_err(|_| WireError::Garbage("text that is not UTF-8".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_and_replies_round_trip() {
        let task = Task {
            index: 7,
            steps: 123,
            wait: Duration::from_micros(1500),
            files: vec!["/tmp/a".into(), "/tmp/b c".into()],
            input: vec![1, 2, 3],
        };
        let mut buf = Vec::new();
        write_task(&mut buf, &task).unwrap();
        write_task(&mut buf, &Task::default()).unwrap();
        let mut r = buf.as_slice();
        assert_eq!(read_task(&mut r).unwrap(), Some(task));
        assert_eq!(read_task(&mut r).unwrap(), Some(Task::default()));
        assert_eq!(read_task(&mut r).unwrap(), None);

        let out = Output { index: 3, value: 42, data: vec![9; 10], pid: 77, worker_cpu_ns: None };
        let mut buf = Vec::new();
        write_result(&mut buf, &out, 555).unwrap();
        write_error(&mut buf, "no such file").unwrap();
        let mut r = buf.as_slice();
        let expected = Output { worker_cpu_ns: Some(555), ..out };
        assert_eq!(read_reply(&mut r).unwrap(), Some(Reply::Done(expected)));
        assert_eq!(read_reply(&mut r).unwrap(), Some(Reply::Failed("no such file".into())));
        assert_eq!(read_reply(&mut r).unwrap(), None);
    }

    #[test]
    fn garbage_and_truncation_are_errors() {
        let err = read_reply(&mut &b"hello world, this is not a frame"[..]).unwrap_err();
        assert!(matches!(err, WireError::Garbage(_)), "{err}");
        let mut huge = RESULT.to_vec();
        huge.extend([0u8; 4 + 8 + 8 + 8]);
        huge.extend(u64::MAX.to_le_bytes());
        let err = read_reply(&mut huge.as_slice()).unwrap_err();
        assert!(err.to_string().contains("beyond the limit"), "{err}");
        let err = read_reply(&mut &RESULT[..]).unwrap_err();
        assert!(matches!(err, WireError::Truncated(4)), "{err}");
    }
}

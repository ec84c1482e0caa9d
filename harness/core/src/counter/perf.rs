//! Hardware counters through Linux's `perf_event_open(2)`: user-space
//! instructions and cycles of one thread, of one process, or of the calling
//! thread and the children it starts.
//!
//! Written against libc directly rather than a crate such as `perf-event2`:
//! metron needs two events, one attribute struct and three calls, and the
//! crates bring a generated binding of the whole perf ABI for it.
//!
//! Every counter excludes the kernel and the hypervisor (`exclude_kernel`,
//! `exclude_hv`), so a system call's work in the kernel, page faults and
//! interrupts are not counted: what remains is the code the program itself
//! executes, which is what changes when the code changes.

use crate::error::{Error, Result};

use super::Counts;

/// Which tasks a counter follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The calling thread only.
    Thread,
    /// The calling thread and every child process it starts while the
    /// counter is open (`inherit`): a child's counts join the counter when
    /// it exits.
    ThreadAndChildren,
    /// Another process (all its threads), by pid.
    Process(u32),
}

/// Instructions and, where the PMU has it, cycles of one [`Target`].
#[derive(Debug)]
pub struct PerfCounter {
    instructions: Event,
    cycles: Option<Event>,
}

impl PerfCounter {
    /// Opens the counters of `target`, counting from now.
    ///
    /// # Errors
    /// [`Error::CounterUnavailable`] when the kernel refuses (no PMU, as in
    /// most virtual machines, or `perf_event_paranoid` forbids it).
    pub fn open(target: Target) -> Result<PerfCounter> {
        let instructions = Event::open(target, HW_INSTRUCTIONS)?;
        let cycles = Event::open(target, HW_CPU_CYCLES).ok();
        Ok(PerfCounter { instructions, cycles })
    }

    /// What has been counted since the counter was opened.
    ///
    /// # Errors
    /// [`Error::CounterUnavailable`] when the counter cannot be read.
    pub fn read(&self) -> Result<Counts> {
        let instructions = self.instructions.read()? as f64;
        let cycles = match &self.cycles {
            Some(c) => Some(c.read()? as f64),
            None => None,
        };
        Ok(Counts { instructions, cycles, ..Counts::default() })
    }
}

/// Whether this machine counts instructions for this process: a counter of
/// the calling thread can be opened and read.
pub fn available() -> bool {
    PerfCounter::open(Target::Thread).and_then(|c| c.read()).is_ok()
}

const HW_CPU_CYCLES: u64 = 0;
const HW_INSTRUCTIONS: u64 = 1;

/// One open perf event: a file descriptor that reads as a `u64` count.
#[derive(Debug)]
struct Event {
    fd: std::os::fd::OwnedFd,
}

/// `struct perf_event_attr` up to `PERF_ATTR_SIZE_VER5` (112 bytes); the
/// kernel accepts any published size and zero-fills the rest.
#[repr(C)]
#[derive(Default)]
struct Attr {
    kind: u32,
    size: u32,
    config: u64,
    sample_period: u64,
    sample_type: u64,
    read_format: u64,
    flags: u64,
    wakeup_events: u32,
    bp_type: u32,
    config1: u64,
    config2: u64,
    branch_sample_type: u64,
    sample_regs_user: u64,
    sample_stack_user: u32,
    clockid: i32,
    sample_regs_intr: u64,
    aux_watermark: u32,
    sample_max_stack: u16,
    reserved: u16,
}

const FLAG_INHERIT: u64 = 1 << 1;
const FLAG_EXCLUDE_KERNEL: u64 = 1 << 5;
const FLAG_EXCLUDE_HV: u64 = 1 << 6;
const PERF_FLAG_FD_CLOEXEC: libc::c_ulong = 8;

impl Event {
    #[cfg(target_os = "linux")]
    fn open(target: Target, config: u64) -> Result<Event> {
        use std::os::fd::FromRawFd;
        let mut attr = Attr { kind: 0, size: std::mem::size_of::<Attr>() as u32, config, ..Attr::default() };
        attr.flags = FLAG_EXCLUDE_KERNEL | FLAG_EXCLUDE_HV;
        let pid: libc::pid_t = match target {
            Target::Thread => 0,
            Target::ThreadAndChildren => {
                attr.flags |= FLAG_INHERIT;
                0
            }
            Target::Process(pid) => libc::pid_t::try_from(pid).map_err(|_| unavailable("pid out of range"))?,
        };
        // SAFETY: perf_event_open reads one perf_event_attr of `attr.size`
        // bytes through a pointer to a live one and returns a new file
        // descriptor (or -1); it touches no other memory of this process.
        let fd = unsafe {
            libc::syscall(libc::SYS_perf_event_open, &attr as *const Attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC)
        };
        if fd < 0 {
            return Err(unavailable(&std::io::Error::last_os_error().to_string()));
        }
        let fd = i32::try_from(fd).map_err(|_| unavailable("descriptor out of range"))?;
        // SAFETY: `fd` was just returned by the kernel and is owned by nothing else.
        Ok(Event { fd: unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) } })
    }

    #[cfg(not(target_os = "linux"))]
    fn open(_target: Target, _config: u64) -> Result<Event> {
        Err(unavailable("perf_event_open is Linux only"))
    }

    fn read(&self) -> Result<u64> {
        use std::os::fd::AsRawFd;
        let mut value = 0u64;
        // SAFETY: read(2) writes at most 8 bytes into a live u64 through a
        // pointer to it, from a descriptor this Event owns.
        let n = unsafe { libc::read(self.fd.as_raw_fd(), (&mut value as *mut u64).cast(), 8) };
        if n != 8 {
            return Err(unavailable(&std::io::Error::last_os_error().to_string()));
        }
        Ok(value)
    }
}

fn unavailable(why: &str) -> Error {
    Error::CounterUnavailable(format!("hardware counters: perf_event_open failed: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the machine has a PMU the counter counts a loop, roughly
    /// linearly; where it has none (this project's CI VM) opening fails with
    /// a line that says what failed, and `available` agrees.
    #[test]
    fn counts_or_says_why_not() {
        match PerfCounter::open(Target::Thread) {
            Ok(counter) => {
                assert!(available());
                let a = counter.read().unwrap();
                let mut x = 0u64;
                for i in 0..1_000_000u64 {
                    x = std::hint::black_box(x.wrapping_add(i));
                }
                let b = counter.read().unwrap();
                assert!(b.instructions - a.instructions >= 1e6, "{a:?} {b:?}");
            }
            Err(e) => {
                assert!(!available());
                assert!(e.to_string().starts_with("hardware counters: perf_event_open failed: "), "{e}");
            }
        }
    }

    #[test]
    fn the_attribute_has_a_published_size() {
        assert_eq!(std::mem::size_of::<Attr>(), 112);
    }
}

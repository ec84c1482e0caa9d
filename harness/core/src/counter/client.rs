//! Callgrind's client requests, the "magic" instruction sequences of
//! `valgrind/callgrind.h`, for code that runs under Valgrind and wants to
//! say where the measured region begins and ends.
//!
//! Outside Valgrind the sequence is a handful of rotations that leave the
//! register as it was and the request returns its default: harmless, and
//! never reached by metron unless it was started under Valgrind.
//!
//! Hand-written because the request is one `asm!` block per architecture;
//! the crates that wrap it (crabgrind, valgrind_request) build valgrind.h
//! with a C compiler at build time, which metron's library does not need.

/// The requests metron uses, numbered as in `callgrind.h`
/// (`VG_USERREQ_TOOL_BASE('C','T')` + n) and `valgrind.h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum Request {
    /// `CALLGRIND_DUMP_STATS`: write the counts since the last dump to the
    /// next numbered output file and zero them.
    DumpStats = 0x4354_0000,
    /// `CALLGRIND_ZERO_STATS`: zero the counts.
    ZeroStats = 0x4354_0001,
    /// `CALLGRIND_START_INSTRUMENTATION`: count from here.
    StartInstrumentation = 0x4354_0004,
    /// `CALLGRIND_STOP_INSTRUMENTATION`: stop counting here.
    StopInstrumentation = 0x4354_0005,
    /// `RUNNING_ON_VALGRIND`: non-zero under Valgrind.
    RunningOnValgrind = 0x1001,
}

/// Sends `request` (with no arguments) to Valgrind; returns its answer, or
/// 0 when not running under Valgrind.
#[inline(always)]
pub fn send(request: Request) -> usize {
    let args: [usize; 6] = [request as usize, 0, 0, 0, 0, 0];
    magic(&args)
}

/// Whether this process runs under Valgrind.
pub fn running_on_valgrind() -> bool {
    send(Request::RunningOnValgrind) != 0
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn magic(args: &[usize; 6]) -> usize {
    let mut result: usize = 0;
    // SAFETY: the four rotations of rdi by 3+13+61+51 = 128 bits leave it
    // unchanged and `xchg rbx, rbx` is a no-op on a real CPU; Valgrind
    // recognises the sequence, reads the six words at `rax` and writes its
    // answer to `rdx` (which holds the default, 0, otherwise).
    unsafe {
        std::arch::asm!(
            "rol rdi, 3", "rol rdi, 13", "rol rdi, 61", "rol rdi, 51",
            "xchg rbx, rbx",
            in("rax") args.as_ptr(),
            inout("rdx") result,
            out("rdi") _,
            options(nostack),
        );
    }
    result
}

#[cfg(target_arch = "aarch64")]
#[inline(always)]
fn magic(args: &[usize; 6]) -> usize {
    let mut result: usize = 0;
    // SAFETY: the rotations of x12 by 3+13+51+61 = 128 bits leave it
    // unchanged and `orr x10, x10, x10` is a no-op on a real CPU; Valgrind
    // reads the six words at x4 and answers in x3 (the default otherwise).
    unsafe {
        std::arch::asm!(
            "ror x12, x12, #3", "ror x12, x12, #13", "ror x12, x12, #51", "ror x12, x12, #61",
            "orr x10, x10, x10",
            in("x4") args.as_ptr(),
            inout("x3") result,
            out("x12") _,
            options(nostack),
        );
    }
    result
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
fn magic(_args: &[usize; 6]) -> usize {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_valgrind_requests_answer_the_default() {
        // `cargo test` does not run under Valgrind; the counting tests that
        // do are in the bench harness's tests (a real re-executed binary).
        assert!(!running_on_valgrind());
        assert_eq!(send(Request::DumpStats), 0);
    }
}

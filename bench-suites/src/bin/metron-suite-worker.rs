//! `metron-suite-worker`: a suite worker process on its own — exactly what
//! `metron __suite-worker` does — so the crate's tests, which have no
//! `metron` binary, can start real worker processes.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(u8::try_from(metron_suites::worker_main()).unwrap_or(1))
}

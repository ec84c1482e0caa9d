//! `metron-suite-worker`: a suite worker process on its own — exactly what
//! `metron __suite-worker` does — so the crate's tests, which have no
//! `metron` binary, can start real worker processes. It is also the worker
//! of the user-function workloads the tests define (`user::function`, with
//! `METRON_FN_WORKER` set), as a bench binary is its own.

use std::process::ExitCode;

use metron_suites::user::function::{examples, FnWorkload};

fn main() -> ExitCode {
    FnWorkload::new("collatz", examples::collatz, Vec::new()).serve_if_worker();
    FnWorkload::new("where", examples::in_worker, Vec::new()).serve_if_worker();
    FnWorkload::new("panics", examples::panics_on_3, Vec::new()).serve_if_worker();
    ExitCode::from(u8::try_from(metron_suites::worker_main()).unwrap_or(1))
}

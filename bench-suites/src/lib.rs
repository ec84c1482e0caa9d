//! metron-suites: the same workloads as sequential, thread, process,
//! thread-pool and process-pool variants. (Being written.)
#![deny(missing_docs)]

/// The hidden first argument that turns the `metron` binary into a suite worker process.
pub const WORKER_ARG: &str = "__suite-worker";

/// Entry point of a worker process; returns its exit status.
pub fn worker_main() -> i32 {
    eprintln!("metron suite workers are not available yet");
    2
}

//! The fleet: `metron remote`'s machinery (the subcommand itself is
//! `cmd::remote`), driving other hosts with the system's OpenSSH client, so
//! `~/.ssh/config`, agents, jump hosts and known-hosts checking work as they
//! already do for the user. Merging what comes back
//! is the library's part ([`metron::merge`]).
//!
//! Per host, in order (each step one `ssh` invocation):
//!
//! 1. [`probe`]: `uname -sm`, is this metron in the host's cache, is a
//!    metron on its PATH;
//! 2. [`deploy`]: copy this binary into the cache when the platform matches
//!    (content-addressed, so once per build), and the `--put` files;
//! 3. [`host_run`]: run the metron arguments with a JSON export and bring the
//!    JSON back, within the host's time limit, stoppable by Ctrl-C.
//!
//! * [`host`]: `[user@]host[:port]` and host lists.
//! * [`ssh`]: the ssh command line, and one running ssh with its limits.
//! * [`quoting`]: quoting for the remote `sh`.
//! * [`schedule`]: hosts one after another or all at once.
//! * [`output`]: what is printed.

pub mod deploy;
pub mod host;
pub mod host_run;
pub mod output;
pub mod probe;
pub mod quoting;
pub mod schedule;
pub mod ssh;

//! Environment metadata: the facts about the machine and the moment that
//! decide whether two runs can be compared at all.
//!
//! Everything is best effort: a fact that cannot be read is left out, never
//! guessed, and collecting never fails.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use crate::clock::calibration;
use crate::model::Environment;

/// Collects the environment of this process now, including the clock calibration.
pub fn collect() -> Environment {
    // git takes milliseconds and every run waits for it: it runs beside the
    // rest (the clock calibration among it), never beside a measurement.
    std::thread::scope(|scope| {
        let git = scope.spawn(git_state);
        let mut environment = collect_local();
        // A panicking git probe is a bug here; the facts are best effort.
        (environment.git_commit, environment.git_dirty) = git.join().unwrap_or((None, None));
        environment
    })
}

/// Everything but the git state.
fn collect_local() -> Environment {
    let (os, kernel, arch) = uname();
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    Environment {
        hostname: hostname(),
        os,
        kernel,
        arch,
        cpu_model: cpu_model(&cpuinfo),
        logical_cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        physical_cores: physical_cores(&cpuinfo),
        governor: read_trimmed("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
        load_average: load_average(),
        memory_bytes: memory_bytes(),
        git_commit: None,
        git_dirty: None,
        started_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        metron_version: env!("CARGO_PKG_VERSION").to_string(),
        clocks: calibration().clocks.clone(),
        tools: BTreeMap::new(),
    }
}

fn read_trimmed(path: &str) -> Option<String> {
    let s = std::fs::read_to_string(path).ok()?;
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Output of a command, trimmed, if it ran and succeeded.
fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The commit checked out here and whether tracked files differ from it,
/// from one `git status` (its porcelain v2 header names the commit): every
/// run waits for it, and one process answers both in half the time of two.
/// Outside a repository, or before the first commit, there is no commit.
fn git_state() -> (Option<String>, Option<bool>) {
    let text = output_of("git", &["status", "--porcelain=v2", "--branch", "--untracked-files=no"]);
    text.as_deref().map_or((None, None), parse_git_status)
}

/// The commit and dirtiness in `git status --porcelain=v2 --branch` output:
/// `# branch.oid SHA` (or `(initial)`), then one line per changed file.
fn parse_git_status(text: &str) -> (Option<String>, Option<bool>) {
    let commit = text
        .lines()
        .find_map(|l| l.strip_prefix("# branch.oid "))
        .map(str::trim)
        .filter(|sha| sha.chars().all(|c| c.is_ascii_hexdigit()) && !sha.is_empty());
    match commit {
        Some(sha) => (Some(sha.to_string()), Some(text.lines().any(|l| !l.starts_with('#') && !l.is_empty()))),
        None => (None, None),
    }
}

#[cfg(unix)]
fn uname() -> (String, String, String) {
    // SAFETY: an all-zero utsname is a valid value of this plain C struct.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: `u` is valid and writable; uname fills NUL-terminated fields.
    if unsafe { libc::uname(&mut u) } != 0 {
        return (std::env::consts::OS.into(), String::new(), std::env::consts::ARCH.into());
    }
    let field = |f: &[libc::c_char]| {
        // SAFETY: uname guarantees each field is NUL-terminated within its array.
        unsafe { std::ffi::CStr::from_ptr(f.as_ptr()) }.to_string_lossy().into_owned()
    };
    (field(&u.sysname), field(&u.release), field(&u.machine))
}

#[cfg(not(unix))]
fn uname() -> (String, String, String) {
    (std::env::consts::OS.into(), String::new(), std::env::consts::ARCH.into())
}

pub(crate) fn hostname() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname NUL-terminates
        // when the name fits, and we stop at the first NUL or the end.
        if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            return String::from_utf8_lossy(&buf[..end]).into_owned();
        }
    }
    std::env::var("HOSTNAME").or_else(|_| std::env::var("COMPUTERNAME")).unwrap_or_default()
}

fn cpu_model(cpuinfo: &str) -> Option<String> {
    let from_proc = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name") || l.starts_with("Hardware") || l.starts_with("Model"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty());
    from_proc.or_else(|| {
        if cfg!(target_os = "macos") {
            output_of("sysctl", &["-n", "machdep.cpu.brand_string"])
        } else {
            None
        }
    })
}

/// Distinct (physical id, core id) pairs in /proc/cpuinfo.
fn physical_cores(cpuinfo: &str) -> Option<usize> {
    let mut cores = std::collections::BTreeSet::new();
    let mut physical = None;
    for line in cpuinfo.lines() {
        if let Some((key, value)) = line.split_once(':') {
            match key.trim() {
                "physical id" => physical = Some(value.trim().to_string()),
                "core id" => {
                    cores.insert((physical.clone(), value.trim().to_string()));
                }
                _ => {}
            }
        }
    }
    (!cores.is_empty()).then_some(cores.len())
}

fn load_average() -> Option<[f64; 3]> {
    #[cfg(unix)]
    {
        let mut loads = [0f64; 3];
        // SAFETY: `loads` has room for the 3 values requested.
        if unsafe { libc::getloadavg(loads.as_mut_ptr(), 3) } == 3 {
            return Some(loads);
        }
    }
    None
}

fn memory_bytes() -> Option<u64> {
    if let Ok(meminfo) = std::fs::read_to_string("/proc/meminfo") {
        let kib =
            meminfo.lines().find(|l| l.starts_with("MemTotal:"))?.split_whitespace().nth(1)?.parse::<u64>().ok()?;
        return Some(kib * 1024);
    }
    if cfg!(target_os = "macos") {
        return output_of("sysctl", &["-n", "hw.memsize"])?.parse().ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_status_gives_commit_and_dirtiness() {
        let sha = "0eda35c1e2b5c0a2d3f4e5f60718293a4b5c6d7e";
        let clean = format!("# branch.oid {sha}\n# branch.head main");
        assert_eq!(parse_git_status(&clean), (Some(sha.to_string()), Some(false)));
        let dirty = format!("{clean}\n1 .M N... 100644 100644 100644 aa bb README.md");
        assert_eq!(parse_git_status(&dirty), (Some(sha.to_string()), Some(true)));
        assert_eq!(parse_git_status("# branch.oid (initial)\n# branch.head main"), (None, None));
    }

    #[test]
    fn collects_the_basics() {
        let env = collect();
        assert!(!env.os.is_empty() && !env.arch.is_empty());
        assert!(env.logical_cores >= 1);
        assert!(env.started_at.ends_with('Z'), "{}", env.started_at);
        assert!(!env.clocks.is_empty());
        if cfg!(target_os = "linux") {
            assert_eq!(env.os, "Linux");
            assert!(env.memory_bytes.unwrap() > 0);
            assert!(env.load_average.is_some());
        }
    }

    #[test]
    fn parses_cpuinfo() {
        let text = "processor\t: 0\nmodel name\t: Test CPU @ 2.0GHz\nphysical id\t: 0\ncore id\t: 0\n\n\
                    processor\t: 1\nmodel name\t: Test CPU @ 2.0GHz\nphysical id\t: 0\ncore id\t: 0\n\n\
                    processor\t: 2\nphysical id\t: 0\ncore id\t: 1\n";
        assert_eq!(cpu_model(text).as_deref(), Some("Test CPU @ 2.0GHz"));
        assert_eq!(physical_cores(text), Some(2));
        assert_eq!(physical_cores(""), None);
    }
}

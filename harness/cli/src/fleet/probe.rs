//! The first look at a host: what it runs (`uname -sm`), whether this
//! metron is already in its cache, and which metron (if any) is on its PATH.
//!
//! The probe is also where an unreachable host, a refused key or a missing
//! shell shows up, before anything is copied.

use std::fmt;

use super::deploy::LocalBinary;
use super::host::Host;
use super::ssh::{Input, Limit, Ssh, Stopping};

/// Printed before the probe's answers, so whatever a login script prints
/// on stdout cannot be mistaken for them.
const MARKER: &str = "metron-probe-v1";

/// An operating system and architecture, spelled as Rust spells them
/// (`linux`/`x86_64`), so a host can be checked against this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    /// `std::env::consts::OS` spelling.
    pub os: String,
    /// `std::env::consts::ARCH` spelling.
    pub arch: String,
}

impl Platform {
    /// The platform this metron was built for.
    pub fn local() -> Platform {
        Platform { os: std::env::consts::OS.into(), arch: std::env::consts::ARCH.into() }
    }

    /// Reads `uname -s` and `uname -m` (`Linux x86_64`, `Darwin arm64`).
    pub fn from_uname(system: &str, machine: &str) -> Platform {
        let os = match system {
            "Darwin" => "macos".to_string(),
            other => other.to_ascii_lowercase(),
        };
        let arch = match machine {
            "amd64" | "x86_64" => "x86_64",
            "arm64" | "aarch64" => "aarch64",
            "i386" | "i486" | "i586" | "i686" => "x86",
            "riscv64" => "riscv64",
            "ppc64le" | "ppc64" => "powerpc64",
            "s390x" => "s390x",
            other if other.starts_with("armv") => "arm",
            other => other,
        };
        Platform { os, arch: arch.into() }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.os, self.arch)
    }
}

/// What the probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// What `uname -sm` printed, as printed.
    pub uname: String,
    /// The host's platform.
    pub platform: Platform,
    /// Whether this exact metron binary is in the host's cache.
    pub cached: bool,
    /// The first line of `metron --version` of a metron on the host's PATH.
    pub installed: Option<String>,
}

/// The probe script: `uname -sm`, the cache check (touching a cached binary
/// marks it as recently used, see [`super::deploy`]) and `metron --version`.
fn script(binary: &LocalBinary) -> String {
    let cached = binary.remote_path();
    format!(
        "echo {MARKER}\n\
         uname -sm\n\
         if test -x {cached}; then touch {cached}; echo cached; else echo missing; fi\n\
         if command -v metron >/dev/null 2>&1; then metron --version 2>/dev/null; fi\n\
         exit 0"
    )
}

/// Probes `host`.
///
/// # Errors
/// One line: ssh's reason, or what the remote shell said.
pub fn probe(ssh: &Ssh, host: &Host, binary: &LocalBinary, limit: &Limit<'_>) -> Result<Probe, String> {
    let ended = ssh.start(host, &script(binary), Input::Nothing)?.wait(limit, Stopping::Kill);
    if let Some(stop) = ended.stopped {
        return Err(limit.explain(stop, "the probe"));
    }
    if !ended.status.success() {
        return Err(if ended.ssh_failed() {
            ended.reason()
        } else {
            format!("the remote shell failed: {}", ended.reason())
        });
    }
    parse(&String::from_utf8_lossy(&ended.stdout))
}

/// Reads the probe's answers.
fn parse(stdout: &str) -> Result<Probe, String> {
    let mut lines = stdout.lines().skip_while(|l| l.trim() != MARKER).skip(1).map(str::trim);
    let uname = lines.next().unwrap_or_default().to_string();
    let (Some(system), Some(machine)) = (uname.split_whitespace().next(), uname.split_whitespace().nth(1)) else {
        return Err("the remote shell did not answer the probe (no POSIX sh or uname on the host?)".into());
    };
    let platform = Platform::from_uname(system, machine);
    let cached = lines.next() == Some("cached");
    let installed = lines.next().filter(|l| !l.is_empty()).map(String::from);
    Ok(Probe { uname: uname.clone(), platform, cached, installed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uname_to_rust_names() {
        assert_eq!(Platform::from_uname("Linux", "x86_64").to_string(), "linux x86_64");
        assert_eq!(Platform::from_uname("Darwin", "arm64").to_string(), "macos aarch64");
        assert_eq!(Platform::from_uname("FreeBSD", "amd64").to_string(), "freebsd x86_64");
        assert_eq!(Platform::from_uname("Linux", "armv7l").arch, "arm");
        let local = Platform::local();
        if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
            assert_eq!(Platform::from_uname("Linux", "x86_64"), local);
        }
    }

    #[test]
    fn answers_after_the_marker() {
        let p = parse(&format!("Welcome to the box!\n{MARKER}\nLinux x86_64\ncached\nmetron 0.1.0\n")).unwrap();
        assert_eq!(p.uname, "Linux x86_64");
        assert!(p.cached);
        assert_eq!(p.installed.as_deref(), Some("metron 0.1.0"));
        let p = parse(&format!("{MARKER}\nDarwin arm64\nmissing\n")).unwrap();
        assert!(!p.cached);
        assert_eq!(p.installed, None);
        assert!(parse("motd only\n").unwrap_err().contains("did not answer"));
    }
}

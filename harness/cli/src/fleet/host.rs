//! Host names as users write them: `[user@]host[:port]`, with IPv6
//! addresses in brackets when a port follows (`[::1]:2222`), and host lists
//! from `--hosts` and `--hosts-file`.

use std::fmt;
use std::path::Path;

/// One host to drive over SSH.
///
/// Only what the user wrote is passed on: no user or port means ssh decides
/// (from `~/.ssh/config`, or its defaults), exactly as `ssh host` would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// The host as written, used as its name in output and reports.
    pub spec: String,
    /// Login name, when given.
    pub user: Option<String>,
    /// Host name or address (IPv6 without brackets).
    pub address: String,
    /// Port, when given.
    pub port: Option<u16>,
}

impl Host {
    /// Parses `[user@]host[:port]`.
    ///
    /// # Errors
    /// A one-line message for an empty host or user, a bad port or an
    /// unclosed bracket.
    pub fn parse(spec: &str) -> Result<Host, String> {
        let spec = spec.trim();
        let bad = |why: &str| format!("host '{spec}': {why} (expected [user@]host[:port])");
        // The last '@' separates the user, as ssh does.
        let (user, rest) = match spec.rsplit_once('@') {
            Some(("", _)) => return Err(bad("empty user name")),
            Some((user, rest)) => (Some(user.to_string()), rest),
            None => (None, spec),
        };
        let (address, port) = if let Some(inner) = rest.strip_prefix('[') {
            let (address, after) = inner.split_once(']').ok_or_else(|| bad("unclosed '['"))?;
            match after {
                "" => (address, None),
                _ => (address, Some(after.strip_prefix(':').ok_or_else(|| bad("text after ']'"))?)),
            }
        } else {
            match rest.matches(':').count() {
                0 => (rest, None),
                // host:port
                1 => rest.split_once(':').map(|(h, p)| (h, Some(p))).unwrap_or((rest, None)),
                // A bare IPv6 address: no port can follow without brackets,
                // so anything else with several colons is a mistake.
                _ if rest.parse::<std::net::Ipv6Addr>().is_ok() => (rest, None),
                _ => {
                    return Err(bad(
                        "several ':' but not an IPv6 address; write an IPv6 address with a port as [addr]:port",
                    ))
                }
            }
        };
        if address.is_empty() || address.starts_with('-') || address.contains(char::is_whitespace) {
            return Err(bad("no host name"));
        }
        let port = match port {
            None => None,
            Some(p) => Some(p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| bad(&format!("bad port '{p}'")))?),
        };
        Ok(Host { spec: spec.to_string(), user, address: address.to_string(), port })
    }

    /// The destination argument of ssh: `user@address` or `address`.
    pub fn destination(&self) -> String {
        match &self.user {
            Some(user) => format!("{user}@{}", self.address),
            None => self.address.clone(),
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spec)
    }
}

/// The hosts of `--hosts` (each value may be a comma-separated list) and of
/// `--hosts-file` (one host per line; blank lines and `#` comments are
/// skipped), in that order.
///
/// # Errors
/// No hosts, an unreadable file, a host that does not parse, or one named twice.
pub fn collect(listed: &[String], file: Option<&Path>) -> Result<Vec<Host>, String> {
    let mut specs: Vec<String> =
        listed.iter().flat_map(|l| l.split(',')).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|e| format!("--hosts-file {}: {e}", path.display()))?;
        specs.extend(
            text.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty()).map(String::from),
        );
    }
    if specs.is_empty() {
        return Err("no hosts: give --hosts [user@]host[:port],... or --hosts-file FILE".into());
    }
    let mut hosts: Vec<Host> = Vec::new();
    for spec in specs {
        let host = Host::parse(&spec)?;
        if hosts.iter().any(|h| h.spec == host.spec) {
            return Err(format!("host '{spec}' is named twice"));
        }
        hosts.push(host);
    }
    Ok(hosts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(spec: &str) -> (Option<String>, String, Option<u16>) {
        let h = Host::parse(spec).unwrap();
        (h.user, h.address, h.port)
    }

    #[test]
    fn user_host_and_port() {
        assert_eq!(parts("example.org"), (None, "example.org".into(), None));
        assert_eq!(parts("root@127.0.0.2:2222"), (Some("root".into()), "127.0.0.2".into(), Some(2222)));
        assert_eq!(parts("a@b@c:22"), (Some("a@b".into()), "c".into(), Some(22)));
        assert_eq!(Host::parse("root@127.0.0.2:2222").unwrap().destination(), "root@127.0.0.2");
        assert_eq!(Host::parse("box").unwrap().destination(), "box");
    }

    #[test]
    fn ipv6() {
        assert_eq!(parts("[::1]:2222"), (None, "::1".into(), Some(2222)));
        assert_eq!(parts("me@[fe80::1]"), (Some("me".into()), "fe80::1".into(), None));
        assert_eq!(parts("::1"), (None, "::1".into(), None));
        assert_eq!(Host::parse("me@[::1]:22").unwrap().destination(), "me@::1");
    }

    #[test]
    fn mistakes_are_one_line() {
        for (spec, why) in [
            ("", "no host name"),
            ("@h", "empty user name"),
            ("h:0", "bad port '0'"),
            ("h:ssh", "bad port 'ssh'"),
            ("h:70000", "bad port"),
            ("[::1", "unclosed '['"),
            ("[::1]x", "text after ']'"),
            ("-oProxyCommand=x", "no host name"),
            ("h:22:33", "several ':' but not an IPv6 address"),
        ] {
            let e = Host::parse(spec).unwrap_err();
            assert!(e.contains(why), "{spec}: {e}");
            assert!(!e.contains('\n'));
        }
    }

    #[test]
    fn lists_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hosts");
        std::fs::write(&file, "# lab machines\nc:2200\n\n  d # the big one\n").unwrap();
        let hosts = collect(&["a,b".into()], Some(&file)).unwrap();
        let specs: Vec<&str> = hosts.iter().map(|h| h.spec.as_str()).collect();
        assert_eq!(specs, ["a", "b", "c:2200", "d"]);
        assert!(collect(&["a,a".into()], None).unwrap_err().contains("named twice"));
        assert!(collect(&[], None).unwrap_err().starts_with("no hosts"));
        let missing = collect(&[], Some(&dir.path().join("nope"))).unwrap_err();
        assert!(missing.starts_with("--hosts-file"), "{missing}");
    }
}

//! `--pin CPUS`: keep metron and everything it starts on chosen CPUs.
//!
//! The scheduler moves a process between CPUs as load changes; each move
//! costs cold caches and, on machines with several frequency domains, a
//! different clock speed. Pinning removes that source of noise (and, with a
//! CPU no neighbour uses, much of a neighbour's). The affinity mask is
//! inherited across `fork` and `exec`, so children, drivers and re-executed
//! bench processes stay on the same CPUs.

use crate::error::{Error, Result};

/// Pins the calling process (and every process it starts afterwards) to
/// `cpus`.
///
/// # Errors
/// [`Error::InvalidConfig`] naming a CPU this process may not run on (it
/// does not exist, or a cgroup or `taskset` excludes it), or saying that the
/// platform cannot pin.
pub fn pin(cpus: &[usize]) -> Result<()> {
    imp::pin(cpus)
}

/// The CPUs this process may run on, where the platform says.
pub fn allowed_cpus() -> Option<Vec<usize>> {
    imp::allowed()
}

/// "0-1,4": the usual short form of a CPU list.
pub fn cpu_list(cpus: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cpus.len() {
        let mut j = i;
        while j + 1 < cpus.len() && cpus[j + 1] == cpus[j] + 1 {
            j += 1;
        }
        parts.push(if i == j { cpus[i].to_string() } else { format!("{}-{}", cpus[i], cpus[j]) });
        i = j + 1;
    }
    parts.join(",")
}

#[cfg(target_os = "linux")]
mod imp {
    use super::{cpu_list, Error, Result};

    // libc's `cpu_set_t` and `sched_{get,set}affinity` directly: the mask is
    // three calls, too little to pull in a crate for.
    pub(super) fn allowed() -> Option<Vec<usize>> {
        // SAFETY: `set` is a properly sized, zeroed cpu_set_t that the call fills.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
                return None;
            }
            let max = 8 * std::mem::size_of::<libc::cpu_set_t>();
            Some((0..max).filter(|&c| libc::CPU_ISSET(c, &set)).collect())
        }
    }

    pub(super) fn pin(cpus: &[usize]) -> Result<()> {
        let allowed = allowed().unwrap_or_default();
        if let Some(missing) = cpus.iter().find(|c| !allowed.contains(c)) {
            return Err(Error::InvalidConfig(format!(
                "--pin: CPU {missing} is not available here (metron may run on CPUs {})",
                cpu_list(&allowed)
            )));
        }
        // SAFETY: as above; every CPU index is below the set's capacity
        // because it is in `allowed`, which the kernel filled.
        let rc = unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            for &c in cpus {
                libc::CPU_SET(c, &mut set);
            }
            libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set)
        };
        if rc != 0 {
            let e = std::io::Error::last_os_error();
            return Err(Error::InvalidConfig(format!("--pin {}: {e}", cpu_list(cpus))));
        }
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::{Error, Result};

    pub(super) fn allowed() -> Option<Vec<usize>> {
        None
    }

    pub(super) fn pin(_cpus: &[usize]) -> Result<()> {
        Err(Error::InvalidConfig("--pin: this platform does not let metron choose CPUs".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_taskset_writes_them() {
        assert_eq!(cpu_list(&[0, 1, 2, 5, 7, 8]), "0-2,5,7-8");
        assert_eq!(crate::options::parse_cpus("0, 2-3,2").unwrap(), [0, 2, 3]);
        for bad in ["", "a", "3-1", "1,,2", "-1"] {
            assert!(crate::options::parse_cpus(bad).is_err(), "{bad:?}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_cpu_that_does_not_exist_is_refused_with_the_ones_that_do() {
        let err = pin(&[4095]).unwrap_err().to_string();
        assert!(err.starts_with("--pin: CPU 4095 is not available here (metron may run on CPUs "), "{err}");
        // Pinning to what is already allowed changes nothing and succeeds.
        let allowed = allowed_cpus().unwrap();
        pin(&allowed).unwrap();
        assert_eq!(allowed_cpus().unwrap(), allowed);
    }
}

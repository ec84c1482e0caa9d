//! Noise diagnostics: was the machine quiet while the run measured?
//!
//! A wide interval says *that* a run was noisy; these readings say *why*,
//! and a run that was disturbed gets one warning line instead of a verdict
//! people mistake for a property of their code. Read before and after the
//! run (Linux; elsewhere the fields are absent):
//!
//! * **steal time** (`/proc/stat`): CPU time the hypervisor gave to another
//!   guest while this one wanted it — the other tenants of a shared VM;
//! * **involuntary context switches** (`getrusage`, metron and the children
//!   it waited for): how often the scheduler took the CPU away;
//! * **load average** (`/proc/loadavg`), recorded for the reader (it lags
//!   by a minute and counts metron itself, so it is not warned about).
//!
//! And from the results, as Python's `timeit` warns: a benchmark whose
//! slowest sample took at least [`WORST_TO_BEST`] times its fastest.

use std::time::Instant;

use crate::model::{BenchmarkResult, Noise};

/// Slowest over fastest sample at which a benchmark is called disturbed:
/// Python's `timeit` warns at the same ratio.
pub const WORST_TO_BEST: f64 = 4.0;

/// Steal above this fraction of CPU time is reported.
pub const STEAL_WARNING: f64 = 0.02;

/// Involuntary context switches per second of run above which the
/// scheduler is said to have preempted the run often. An idle core lets a
/// benchmark run whole scheduler slices (a few ms each) and sees a handful
/// per second; a neighbour competing for the core brings hundreds.
pub const SWITCHES_PER_SECOND_WARNING: f64 = 200.0;

/// Readings taken when a run starts.
#[derive(Debug, Clone)]
pub struct NoiseProbe {
    started: Instant,
    cpu: Option<CpuTimes>,
    switches: Option<u64>,
    pinned: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
struct CpuTimes {
    total: u64,
    steal: u64,
}

impl NoiseProbe {
    /// Pins the process to `pin` when it is not empty (see [`crate::pin`])
    /// and takes the starting readings: what a front end does as a run
    /// begins. The warnings are printed by [`crate::conclusion`].
    ///
    /// # Errors
    /// A CPU that does not exist or may not be used.
    pub fn pin_and_start(pin: &[usize]) -> crate::error::Result<NoiseProbe> {
        if !pin.is_empty() {
            crate::pin::pin(pin)?;
        }
        Ok(NoiseProbe::start(pin))
    }

    /// Takes the starting readings; `pinned` is what `--pin` chose.
    pub fn start(pinned: &[usize]) -> NoiseProbe {
        NoiseProbe {
            started: Instant::now(),
            cpu: cpu_times(),
            switches: involuntary_switches(),
            pinned: pinned.to_vec(),
        }
    }

    /// The readings since the start, with a warning line for each sign of
    /// disturbance in them and in `results`.
    pub fn finish(&self, results: &[BenchmarkResult]) -> Noise {
        let seconds = self.started.elapsed().as_secs_f64();
        let steal_fraction = match (self.cpu, cpu_times()) {
            (Some(a), Some(b)) if b.total > a.total => Some((b.steal - a.steal) as f64 / (b.total - a.total) as f64),
            _ => None,
        };
        let involuntary = match (self.switches, involuntary_switches()) {
            (Some(a), Some(b)) => Some(b.saturating_sub(a)),
            _ => None,
        };
        // Recorded, not warned about: it lags by a minute and counts metron itself.
        let load_at_end = load_average();
        let mut warnings = Vec::new();
        if let Some(s) = steal_fraction.filter(|s| *s > STEAL_WARNING) {
            warnings.push(format!("the hypervisor gave {:.1}% of CPU time to other guests (steal)", s * 100.0));
        }
        if let Some(n) = involuntary.filter(|&n| seconds > 0.5 && n as f64 / seconds > SWITCHES_PER_SECOND_WARNING) {
            warnings.push(format!("the scheduler preempted the run {:.0} times a second", n as f64 / seconds));
        }
        warnings.extend(results.iter().filter_map(spread_warning));
        if results.is_empty() {
            // Nothing measured, nothing disturbed: the failure is the news.
            warnings.clear();
        }
        Noise {
            steal_fraction,
            involuntary_switches: involuntary,
            load_at_end,
            pinned_cpus: self.pinned.clone(),
            warnings,
        }
    }
}

/// timeit's check: the slowest sample at least [`WORST_TO_BEST`] times the fastest.
fn spread_warning(r: &BenchmarkResult) -> Option<String> {
    let h = r.headline();
    (h.n >= 2 && h.min > 0.0 && h.max / h.min >= WORST_TO_BEST).then(|| {
        format!("{}: the slowest sample took {:.1}× the fastest; the machine was probably busy", r.id(), h.max / h.min)
    })
}

#[cfg(target_os = "linux")]
fn cpu_times() -> Option<CpuTimes> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = text.lines().next()?.split_whitespace().skip(1).filter_map(|f| f.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal [guest guest_nice]:
    // guest time is already counted in user, so the total stops at steal.
    (fields.len() >= 8).then(|| CpuTimes { total: fields[..8].iter().sum(), steal: fields[7] })
}

#[cfg(not(target_os = "linux"))]
fn cpu_times() -> Option<CpuTimes> {
    None
}

#[cfg(unix)]
fn involuntary_switches() -> Option<u64> {
    let read = |who| {
        // SAFETY: `usage` is a zeroed rusage that getrusage fills.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        (unsafe { libc::getrusage(who, &mut usage) } == 0).then(|| usage.ru_nivcsw.max(0) as u64)
    };
    Some(read(libc::RUSAGE_SELF)? + read(libc::RUSAGE_CHILDREN)?)
}

#[cfg(not(unix))]
fn involuntary_switches() -> Option<u64> {
    None
}

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_taken_where_the_platform_has_them() {
        let probe = NoiseProbe::start(&[]);
        // Long enough for the kernel's CPU time counters (100 ticks a
        // second) to move.
        let start = Instant::now();
        let mut x = 0u64;
        while start.elapsed() < std::time::Duration::from_millis(100) {
            x = x.wrapping_add(std::hint::black_box(1));
        }
        std::hint::black_box(x);
        let noise = probe.finish(&[]);
        if cfg!(target_os = "linux") {
            let steal = noise.steal_fraction.expect("/proc/stat is readable");
            assert!((0.0..=1.0).contains(&steal), "{steal}");
            assert!(noise.involuntary_switches.is_some() && noise.load_at_end.is_some());
        }
    }
}

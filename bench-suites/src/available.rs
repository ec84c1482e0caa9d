//! How much parallelism the machine really gave a group while it ran.
//!
//! A speedup can never exceed the cores a run actually had. On an idle
//! two-core machine a Python process pool ×2 runs 1.6× faster than
//! sequential; with another user's busy loop on the machine the same pool
//! runs at 1.0×, and a report that took that at face value would teach that
//! processes do not help. So every group is bracketed by a short
//! calibration, and conclusions about computing variants are qualified when
//! less was available than the workers asked for.
//!
//! # What is measured
//!
//! * **allowed**: [`std::thread::available_parallelism`], which on Linux is
//!   the affinity mask (`sched_getaffinity`) capped by the cgroup CPU quota
//!   (`cpu.max`): the most this process may ever use;
//! * **quota**: the cgroup v2 quota itself (`/sys/fs/cgroup/cpu.max`), when one is set;
//! * **measured**: `allowed` threads each spin for a fixed wall-clock span;
//!   the sum of their thread CPU times divided by the span is how many
//!   cores they got. Other processes on the machine (under autogroup
//!   scheduling, other sessions get their share whatever `nice` says) and a
//!   hypervisor's steal both show as a figure below `allowed`;
//! * **steal**: the share of the machine's CPU time the hypervisor took
//!   during the calibration (`/proc/stat`), when the kernel reports it.
//!
//! # Assumptions
//!
//! The calibration samples the load at its own moments (before and after a
//! group), so a neighbour that starts and stops within the group is missed;
//! the lower of the two readings is kept, as the bound the group's speedups
//! may have met. A spinning thread competes like a CPU-bound worker, so the
//! figure is the parallelism a computing variant could have had; waiting
//! variants overlap however few cores there are and are not qualified.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use metron::clock::ClockSource;

/// How long each calibration spins: long enough for the scheduler to share
/// out the cores among everyone who wants them (its period is a few ms),
/// short enough to cost a group little.
pub const CALIBRATION: Duration = Duration::from_millis(150);

/// Measured parallelism below the wanted one by more than this is "less
/// than asked for": scheduling noise and timer ticks cost a few percent even
/// on an idle machine.
pub const SHORTFALL: f64 = 0.15;

/// The parallelism available to this process at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Available {
    /// Cores this process may use (affinity mask and cgroup quota).
    pub allowed: usize,
    /// The cgroup CPU quota in cores, when one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<f64>,
    /// Cores `allowed` busy threads actually got: their CPU time / wall time.
    pub measured: f64,
    /// Share of CPU time stolen by the hypervisor during the calibration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steal: Option<f64>,
}

impl Available {
    /// Measures now, for [`CALIBRATION`].
    pub fn measure() -> Available {
        Available::measure_for(CALIBRATION)
    }

    /// Measures now, spinning for `span`.
    pub fn measure_for(span: Duration) -> Available {
        let allowed = std::thread::available_parallelism().map_or(1, |n| n.get());
        let before = steal_counters();
        let measured = spin(allowed, span);
        let steal = match (before, steal_counters()) {
            (Some((s0, t0)), Some((s1, t1))) if t1 > t0 => Some((s1.saturating_sub(s0)) as f64 / (t1 - t0) as f64),
            _ => None,
        };
        Available { allowed, quota: cgroup_quota(), measured, steal }
    }

    /// The lower of two readings (before and after a group).
    pub fn lower(self, other: Available) -> Available {
        if other.measured < self.measured {
            other
        } else {
            self
        }
    }

    /// Whether `wanted` computing workers could not all have had a core:
    /// the measured parallelism falls short of `min(wanted, allowed)`.
    pub fn falls_short_of(&self, wanted: usize) -> bool {
        let ceiling = wanted.min(self.allowed) as f64;
        wanted >= 2 && self.measured < ceiling * (1.0 - SHORTFALL)
    }

    /// `1.0 of 2 cores (busy-loop calibration; steal 0%)`.
    pub fn describe(&self) -> String {
        let mut details = vec![format!("{} busy threads got {:.2} cores", self.allowed, self.measured)];
        if let Some(q) = self.quota {
            details.push(format!("cgroup quota {q:.2} cores"));
        }
        if let Some(s) = self.steal {
            details.push(format!("steal {}", metron::format::percent(s)));
        }
        format!("{:.1} of {} cores ({})", self.measured, self.allowed, details.join(", "))
    }
}

/// `threads` threads spinning for `span`: the cores they got together.
fn spin(threads: usize, span: Duration) -> f64 {
    let start = Instant::now();
    let cpu: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(|| busy(span))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    cpu as f64 / start.elapsed().as_nanos().max(1) as f64
}

/// Spins for `span` of wall time; returns this thread's CPU time in ns.
fn busy(span: Duration) -> u64 {
    let cpu0 = ClockSource::ThreadCpu.now_ns().unwrap_or(0);
    let start = Instant::now();
    let mut x = 1u64;
    while start.elapsed() < span {
        for _ in 0..1000 {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
    }
    ClockSource::ThreadCpu.now_ns().unwrap_or(cpu0).saturating_sub(cpu0)
}

/// (steal, total) jiffies of the machine from `/proc/stat`'s `cpu` line.
fn steal_counters() -> Option<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    parse_stat(&text)
}

fn parse_stat(text: &str) -> Option<(u64, u64)> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let fields: Vec<u64> = line.split_whitespace().skip(1).filter_map(|f| f.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal [guest guest_nice]: guests are inside user.
    let steal = *fields.get(7)?;
    Some((steal, fields.iter().take(8).sum()))
}

/// The cgroup v2 quota in cores (`cpu.max` = `QUOTA PERIOD`, or `max`).
fn cgroup_quota() -> Option<f64> {
    parse_cpu_max(&std::fs::read_to_string("/sys/fs/cgroup/cpu.max").ok()?)
}

fn parse_cpu_max(text: &str) -> Option<f64> {
    let mut parts = text.split_whitespace();
    let quota: f64 = parts.next()?.parse().ok()?;
    let period: f64 = parts.next()?.parse().ok()?;
    (period > 0.0).then(|| quota / period)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_stat_and_cpu_max_are_read() {
        let stat = "cpu  100 5 50 800 10 1 2 30 0 0\ncpu0 1 2 3 4 5 6 7 8\n";
        assert_eq!(parse_stat(stat), Some((30, 998)));
        assert_eq!(parse_stat("intr 1 2"), None);
        assert_eq!(parse_cpu_max("150000 100000\n"), Some(1.5));
        assert_eq!(parse_cpu_max("max 100000\n"), None);
    }

    #[test]
    fn a_shortfall_is_relative_to_what_was_asked_and_allowed() {
        let a = |measured| Available { allowed: 2, quota: None, measured, steal: None };
        assert!(a(1.0).falls_short_of(2), "one core of two");
        assert!(a(1.0).falls_short_of(4), "four workers still want the two cores");
        assert!(!a(1.9).falls_short_of(2), "an idle machine");
        assert!(!a(1.0).falls_short_of(1), "one worker needs one core");
        assert_eq!(a(1.0).lower(a(1.8)).measured, 1.0);
        assert!(a(1.02).describe().starts_with("1.0 of 2 cores (2 busy threads got 1.02 cores"));
    }

    #[test]
    fn the_calibration_sees_cores_and_a_busy_neighbour() {
        // Relations that load can only loosen: never more cores than
        // allowed, and a neighbour spinning on every core lowers the figure
        // below what this process could have alone.
        let alone = Available::measure_for(Duration::from_millis(60));
        assert!(alone.measured > 0.0 && alone.measured <= alone.allowed as f64 * 1.05, "{alone:?}");
        let stop = std::sync::atomic::AtomicBool::new(false);
        let crowded = std::thread::scope(|s| {
            for _ in 0..alone.allowed * 2 {
                s.spawn(|| {
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        std::hint::black_box(0u64);
                    }
                });
            }
            let a = Available::measure_for(Duration::from_millis(60));
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            a
        });
        // The calibration's threads share the cores with twice as many
        // spinners of the same process: about a third of the cores.
        assert!(crowded.measured < alone.allowed as f64 * 0.6, "{crowded:?} vs {alone:?}");
    }
}

//! Measuring the clocks themselves: the resolution each one reports, the
//! smallest step it actually takes, and what one reading costs.
//!
//! The sampler needs these to decide how long a sample must be (a sample only
//! a few ticks long, or dominated by the cost of reading the clock, measures
//! the clock rather than the routine), and the report records them so a
//! reader can judge a figure near the clock's limits.

use std::sync::OnceLock;

use super::{platform, ClockSource};
use crate::model::ClockInfo;

/// The measured properties of every clock available on this platform.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// One entry per clock, wall first.
    pub clocks: Vec<ClockInfo>,
}

impl Calibration {
    /// The entry for one clock, if the platform has it.
    pub fn get(&self, source: ClockSource) -> Option<&ClockInfo> {
        self.clocks.iter().find(|c| c.name == source.name())
    }

    /// The coarser of a clock's tick and its read cost: the smallest time
    /// step that clock can meaningfully report.
    pub fn granularity_ns(&self, source: ClockSource) -> f64 {
        self.get(source).map(|c| c.observed_tick_ns.max(c.resolution_ns).max(c.read_overhead_ns)).unwrap_or(1_000.0)
    }
}

/// Measures the clocks once per process and returns the cached result.
/// Takes a few milliseconds the first time.
pub fn calibration() -> &'static Calibration {
    static CAL: OnceLock<Calibration> = OnceLock::new();
    CAL.get_or_init(|| {
        let sources = [ClockSource::Wall, ClockSource::ProcessCpu, ClockSource::ThreadCpu];
        let clocks = sources
            .iter()
            .zip(platform::SOURCES.iter())
            .filter(|(s, _)| s.now_ns().is_some())
            .map(|(&s, &(os_name, id))| ClockInfo {
                name: s.name().to_string(),
                source: os_name.to_string(),
                resolution_ns: platform::resolution_ns(id),
                observed_tick_ns: observed_tick(s),
                read_overhead_ns: read_overhead(s),
            })
            .collect();
        Calibration { clocks }
    })
}

/// The smallest non-zero difference between consecutive readings, over a
/// hundred tries: the clock's real step, which can be coarser than the
/// resolution it reports.
fn observed_tick(source: ClockSource) -> f64 {
    let read = || source.now_ns().unwrap_or(0);
    let mut smallest = u64::MAX;
    for _ in 0..100 {
        let start = read();
        let mut next = read();
        // Bounded spin: a clock that does not move in 1e6 reads is broken
        // or extremely coarse, and the bound keeps start-up short anyway.
        let mut spins = 0;
        while next == start && spins < 1_000_000 {
            next = read();
            spins += 1;
        }
        if next > start {
            smallest = smallest.min(next - start);
        }
    }
    if smallest == u64::MAX {
        0.0
    } else {
        smallest as f64
    }
}

/// Average cost of one reading, timed on the wall clock over many reads:
/// batches of 100 until 250 µs have passed or 5,000 reads are done. The CPU
/// clocks are system calls (a microsecond in some VMs), so a fixed 5,000
/// would cost every run several milliseconds at start-up; a few hundred
/// reads already pin the average to a few percent, far finer than the
/// 1000× margin the sampler puts on it.
fn read_overhead(source: ClockSource) -> f64 {
    const BATCH: u64 = 100;
    const MAX_READS: u64 = 5_000;
    const ENOUGH_NS: u64 = 250_000;
    let start = platform::wall_ns();
    let mut sink = 0u64;
    let mut reads = 0;
    let mut elapsed = 0;
    while reads < MAX_READS && elapsed < ENOUGH_NS {
        for _ in 0..BATCH {
            sink = sink.wrapping_add(source.now_ns().unwrap_or(0));
        }
        reads += BATCH;
        elapsed = platform::wall_ns() - start;
    }
    std::hint::black_box(sink);
    elapsed as f64 / reads as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_is_calibrated_and_sane() {
        let cal = calibration();
        let wall = cal.get(ClockSource::Wall).expect("wall clock always exists");
        assert!(wall.read_overhead_ns > 0.0 && wall.read_overhead_ns < 100_000.0, "{wall:?}");
        assert!(wall.observed_tick_ns > 0.0 && wall.observed_tick_ns < 1e7, "{wall:?}");
        assert!(cal.granularity_ns(ClockSource::Wall) >= wall.read_overhead_ns);
    }

    #[cfg(unix)]
    #[test]
    fn cpu_clocks_exist_on_unix() {
        let cal = calibration();
        assert!(cal.get(ClockSource::ProcessCpu).is_some());
        assert!(cal.get(ClockSource::ThreadCpu).is_some());
        assert_eq!(cal.clocks[1].source, "CLOCK_PROCESS_CPUTIME_ID");
    }

    #[cfg(unix)]
    #[test]
    fn cpu_clock_advances_with_work_not_with_sleep() {
        let cpu0 = ClockSource::ThreadCpu.now_ns().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(30));
        let slept = ClockSource::ThreadCpu.now_ns().unwrap() - cpu0;
        assert!(slept < 10_000_000, "sleeping used {slept} ns of CPU");
        // Spin until the thread's CPU clock has advanced 20 ms; on a loaded
        // machine that takes longer in wall time, but it must happen.
        let cpu1 = ClockSource::ThreadCpu.now_ns().unwrap();
        let wall1 = super::super::wall_ns();
        let mut x = 0u64;
        let mut busy = 0;
        while busy < 20_000_000 && super::super::wall_ns() - wall1 < 10_000_000_000 {
            for _ in 0..1000 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            }
            busy = ClockSource::ThreadCpu.now_ns().unwrap() - cpu1;
        }
        assert!(busy >= 20_000_000, "10 s of spinning counted only {busy} ns of CPU");
    }
}

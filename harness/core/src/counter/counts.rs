//! What a counter reads: instructions, and with Valgrind the cache model
//! behind estimated cycles, as totals over the iterations of one sample.

use serde::{Deserialize, Serialize};

/// Weight of a last-level cache hit in [`Counts::estimated_cycles`].
pub const LL_HIT_CYCLES: f64 = 5.0;
/// Weight of a RAM access (a last-level miss) in [`Counts::estimated_cycles`].
pub const RAM_HIT_CYCLES: f64 = 35.0;

/// Event totals of the iterations of one sample (or, for a difference
/// sample, of the extra iterations of the longer measurement).
///
/// Totals are `f64` so that a difference of two measurements and a sum of
/// many stay in one type; they hold whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// Instructions executed in user space.
    pub instructions: f64,
    /// CPU cycles in user space (hardware counters only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycles: Option<f64>,
    /// Memory accesses (instruction fetches, data reads and writes) that
    /// missed the first-level caches (Valgrind's cache model only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub l1_misses: Option<f64>,
    /// Accesses that missed the last-level cache too (Valgrind only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ll_misses: Option<f64>,
    /// L1 hits + 5 × LL hits + 35 × RAM accesses (Valgrind only): the cost
    /// model iai-callgrind and others use. It assumes an in-order CPU whose
    /// every access costs one cycle plus a fixed penalty by the level that
    /// served it; it ignores pipelining, branch prediction and prefetching,
    /// so it ranks code by memory behaviour rather than predicting time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_cycles: Option<f64>,
}

impl Counts {
    /// Counts from callgrind's cache-simulation events: instruction fetches
    /// `ir`, data reads `dr` and writes `dw`, their L1 misses and their
    /// last-level misses.
    pub fn from_cache_events(ir: f64, dr: f64, dw: f64, l1_misses: f64, ll_misses: f64) -> Counts {
        let accesses = ir + dr + dw;
        let l1_hits = accesses - l1_misses;
        let ll_hits = l1_misses - ll_misses;
        Counts {
            instructions: ir,
            cycles: None,
            l1_misses: Some(l1_misses),
            ll_misses: Some(ll_misses),
            estimated_cycles: Some(l1_hits + LL_HIT_CYCLES * ll_hits + RAM_HIT_CYCLES * ll_misses),
        }
    }

    /// Adds the counts of more iterations.
    pub fn add(&self, other: &Counts) -> Counts {
        self.combine(other, |a, b| a + b)
    }

    /// The counts of `self`'s iterations beyond `shorter`'s: every event
    /// minus the other's, never below zero.
    pub fn minus(&self, shorter: &Counts) -> Counts {
        self.combine(shorter, |a, b| (a - b).max(0.0))
    }

    fn combine(&self, other: &Counts, f: impl Fn(f64, f64) -> f64) -> Counts {
        let both = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| f(a, b));
        Counts {
            instructions: f(self.instructions, other.instructions),
            cycles: both(self.cycles, other.cycles),
            l1_misses: both(self.l1_misses, other.l1_misses),
            ll_misses: both(self.ll_misses, other.ll_misses),
            estimated_cycles: both(self.estimated_cycles, other.estimated_cycles),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimated_cycles_weigh_each_level() {
        // 100 accesses: 90 L1 hits, 7 LL hits, 3 from RAM.
        let c = Counts::from_cache_events(60.0, 30.0, 10.0, 10.0, 3.0);
        assert_eq!(c.estimated_cycles, Some(90.0 + 5.0 * 7.0 + 35.0 * 3.0));
        assert_eq!(c.instructions, 60.0);
    }

    #[test]
    fn differences_and_sums_keep_only_shared_events() {
        let a = Counts { instructions: 10.0, cycles: Some(20.0), ..Counts::default() };
        let b = Counts { instructions: 4.0, ..Counts::default() };
        assert_eq!(a.minus(&b), Counts { instructions: 6.0, ..Counts::default() });
        assert_eq!(b.minus(&a).instructions, 0.0);
        assert_eq!(a.add(&a).cycles, Some(40.0));
    }
}

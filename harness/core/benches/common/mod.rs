//! Workloads shared by the metron and criterion benches, so
//! `scripts/compare-criterion.sh` measures exactly the same code with both.

use std::hint::black_box;

/// A dependent chain of multiply-adds: about 100 ns for `steps = 100` on a
/// ~3 GHz core (one 3-4 cycle multiply-add per step, no parallelism).
#[inline(never)]
pub fn lcg_chain(steps: u64) -> u64 {
    let mut x = black_box(0x9e37_79b9_7f4a_7c15u64);
    for i in 0..black_box(steps) {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i);
    }
    x
}

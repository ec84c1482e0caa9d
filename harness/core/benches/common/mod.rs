//! Workloads shared by the metron and criterion benches, so
//! `scripts/compare-criterion.sh` measures exactly the same code with both.

use std::hint::black_box;

/// A dependent chain of xorshift steps: each step needs the previous one,
/// so the compiler can neither vectorise nor fold it, and its cost is the
/// latency of six shifts and xors (about 1.5 ns here). 64 steps
/// make the "known ~100 ns" function of the benches.
#[inline(never)]
pub fn xorshift_chain(steps: u64) -> u64 {
    let mut x = black_box(0x9e37_79b9_7f4a_7c15u64);
    for _ in 0..black_box(steps) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}

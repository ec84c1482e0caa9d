//! The benchmark groups of `--clock instructions`, shared by the `counts`
//! bench and the counting test (`tests/counting.rs`), which checks what
//! they report: two loops 1% apart, an A/A pair, and set-up that counting
//! must not see.

use metron::bench::Harness;
use metron::{black_box, BatchSize};

/// `n` dependent xorshift steps: a loop whose instruction count is linear in `n`.
pub fn work(n: u64) -> u64 {
    let mut x = black_box(0x9e37_79b9_7f4a_7c15u64);
    for _ in 0..black_box(n) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}

/// `work(200)` against `work(202)`: 1% more loop passes.
pub fn one_percent(h: &mut Harness) {
    let mut g = h.group("work");
    g.bench("work(200)", |b| b.iter(|| work(black_box(200))));
    g.bench("work(202)", |b| b.iter(|| work(black_box(202))));
}

/// The same loop twice.
pub fn same(h: &mut Harness) {
    let mut g = h.group("a-a");
    g.bench("work(200) A", |b| b.iter(|| work(black_box(200))));
    g.bench("work(200) B", |b| b.iter(|| work(black_box(200))));
}

/// The same timed loop without and with 10⁶ steps of set-up per batch,
/// and with a set-up per input.
pub fn setup_excluded(h: &mut Harness) {
    let mut g = h.group("setup");
    g.bench("plain", |b| b.iter(|| work(black_box(200))));
    // Code before `iter` is set-up, run once per batch of iterations.
    g.bench("heavy setup", |b| {
        black_box(work(black_box(1_000_000)));
        b.iter(|| work(black_box(200)))
    });
    // iter_batched makes each input untimed, and drops each output untimed.
    g.bench("batched setup", |b| {
        b.iter_batched(|| work(black_box(1_000)), |x| work(black_box(200 + x % 2)), BatchSize::Small)
    });
}

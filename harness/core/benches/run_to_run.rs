//! The three functions of `scripts/run-to-run.sh` and
//! `scripts/between-process.sh`: an empty closure, a ~100 ns loop and a
//! ~10 µs loop (dependent xorshift chains of 64 and 6400 steps).
//!
//! `RUN_TO_RUN_SCALE` (a factor, default 1) multiplies the loops' steps, so
//! the scripts can make "the same code, 5% more work" (`1.05`) without a
//! second binary.

mod common;

use metron::bench::Harness;
use metron::black_box;

fn scaled(steps: u64) -> u64 {
    let scale: f64 = std::env::var("RUN_TO_RUN_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    (steps as f64 * scale).round() as u64
}

fn three(h: &mut Harness) {
    let (short, long) = (scaled(64), scaled(6400));
    h.bench("empty", |b| b.iter(|| ()));
    h.bench("loop ~100 ns", move |b| b.iter(|| common::xorshift_chain(black_box(short))));
    h.bench("loop ~10 us", move |b| b.iter(|| common::xorshift_chain(black_box(long))));
}

metron::main!(three);

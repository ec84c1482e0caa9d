//! In-process benches through metron's own harness: an empty closure (the
//! floor of what can be measured) and a known ~100 ns chain, plus a group
//! that compares two chains 1% apart and one that compares a chain with itself.
//!
//! `cargo bench -p metron --bench closures` runs them; `scripts/compare-criterion.sh`
//! runs them beside criterion's figures for the same functions.

mod common;

use metron::bench::Harness;
use metron::black_box;

fn floor(h: &mut Harness) {
    h.bench("empty closure", |b| b.iter(|| ()));
    h.bench("xorshift_chain(64)", |b| b.iter(|| common::xorshift_chain(black_box(64))));
}

fn one_percent(h: &mut Harness) {
    let mut g = h.group("one-percent");
    g.bench("xorshift_chain(1000)", |b| b.iter(|| common::xorshift_chain(black_box(1000))));
    g.bench("xorshift_chain(1010)", |b| b.iter(|| common::xorshift_chain(black_box(1010))));
}

fn same(h: &mut Harness) {
    let mut g = h.group("same");
    g.bench("xorshift_chain(1000) A", |b| b.iter(|| common::xorshift_chain(black_box(1000))));
    g.bench("xorshift_chain(1000) B", |b| b.iter(|| common::xorshift_chain(black_box(1000))));
}

metron::main!(floor, one_percent, same);

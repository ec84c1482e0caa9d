//! The same functions as `closures.rs`, measured by criterion, for
//! `scripts/compare-criterion.sh`.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    c.bench_function("empty closure", |b| b.iter(|| ()));
    c.bench_function("xorshift_chain(64)", |b| b.iter(|| common::xorshift_chain(black_box(64))));
}

criterion_group!(group, benches);
criterion_main!(group);

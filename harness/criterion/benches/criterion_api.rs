//! A criterion bench written against criterion's API, run by metron:
//! every `Bencher` method, groups with throughput, the `config = ...`
//! form of `criterion_group!`, and `#[macro_use]`-free paths.

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    black_box, criterion_group, criterion_main, BatchSize, BenchmarkGroup, BenchmarkId, Criterion, Throughput,
};
use metron_criterion as criterion;

fn sort_group(group: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    let data: Vec<u64> = (0..n as u64).rev().collect();
    group.throughput(Throughput::Elements(n as u64));
    group.bench_with_input(BenchmarkId::new("sort_unstable", n), &data, |b, d| {
        b.iter_batched(
            || d.clone(),
            |mut v| {
                v.sort_unstable();
                v
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_with_input(BenchmarkId::new("sort_ref", n), &data, |b, d| {
        b.iter_batched_ref(|| d.clone(), |v| v.sort(), BatchSize::NumBatches(2))
    });
}

fn bencher_methods(c: &mut Criterion) {
    c.bench_function("iter", |b| b.iter(|| black_box(21u64) * 2));
    c.bench_function("iter_with_setup", |b| {
        b.iter_with_setup(
            || vec![3u8, 1, 2],
            |mut v| {
                v.sort();
                v
            },
        )
    });
    c.bench_function("iter_with_large_drop", |b| b.iter_with_large_drop(|| vec![0u8; 1024]));
    c.bench_function("iter_custom", |b| {
        b.iter_custom(|n| {
            let start = std::time::Instant::now();
            for i in 0..n {
                black_box(i);
            }
            start.elapsed()
        })
    });
    c.bench_with_input(BenchmarkId::new("square", 12), &12u64, |b, &x| b.iter(|| black_box(x) * x));
}

fn groups(c: &mut Criterion) {
    let mut group = c.benchmark_group("sort");
    group.sample_size(10).measurement_time(Duration::from_secs(1)).warm_up_time(Duration::from_millis(10));
    for n in [16, 256] {
        sort_group(&mut group, n);
    }
    group.finish();
    let bytes = vec![7u8; 4096];
    let mut group = c.benchmark_group("checksum");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function(BenchmarkId::from_parameter(bytes.len()), |b| {
        b.iter(|| bytes.iter().fold(0u32, |a, &x| a.wrapping_mul(31).wrapping_add(u32::from(x))))
    });
    group.finish();
}

criterion_group!(plain, bencher_methods);
criterion_group! {
    name = configured;
    config = Criterion::default().sample_size(10).noise_threshold(0.02).without_plots();
    targets = groups
}
criterion_main!(plain, configured);

//! A Rust function as sequential, scoped threads, a thread pool, rayon,
//! processes and a process pool (the bench binary re-run as its own
//! worker), every variant's outputs compared with sequential:
//!
//!     cargo bench -p metron-suites --bench user_function
//!     cargo bench -p metron-suites --bench user_function -- --export-json fn.json
//!     metron report fn.json -o site/

use metron_suites::user::function::FnWorkload;

/// About half a millisecond of integer work per input: a hash chain seeded by the pair.
fn checksum(&(seed, rounds): &(u64, u64)) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for k in 0..rounds {
        h = (h ^ k).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn concurrent(h: &mut metron::bench::Harness) {
    let inputs: Vec<(u64, u64)> = (0..32).map(|i| (i, 400_000)).collect();
    FnWorkload::new("checksum", checksum, inputs).workers(&[2, 4]).register(h);
}

metron::main!(concurrent);

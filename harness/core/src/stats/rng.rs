//! The one random number generator of the statistics module.
//!
//! Every random choice metron makes (bootstrap resamples, round orders,
//! simulations in tests) goes through a [`Pcg64`](rand_pcg::Pcg64) seeded from a
//! `u64`, so a run recorded with its seed can be recomputed bit for bit on any
//! platform. Only [`fresh_seed`] looks outside (the clock and the process
//! id), to pick the seed a run then records.

use rand::{Rng as _, RngExt, SeedableRng};

/// The generator used for every random choice: PCG-64 (XSL-RR 128/64), small,
/// fast and with a portable, documented output stream.
pub type Rng = rand_pcg::Pcg64;

/// A generator seeded from `seed`; equal seeds give equal streams on every platform.
pub fn seeded(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// A new seed for a run that was not given one: the wall clock's
/// nanoseconds and the process id, mixed by SplitMix64. Runs record their
/// seed, so any run can still be repeated exactly with `--seed`.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mut z = nanos ^ (u64::from(std::process::id()) << 32) ^ 0x9e37_79b9_7f4a_7c15;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A uniform draw from `[0, 1)` (53 random bits).
///
/// A convenience so that callers and tests need not import `rand` traits.
pub fn uniform(rng: &mut Rng) -> f64 {
    rng.random::<f64>()
}

/// A draw from the standard normal distribution N(0, 1), by the Box-Muller
/// transform (the cosine half; the sine half is discarded so the function
/// needs no state besides the generator).
///
/// Used by the simulations that check the tests' error rates and coverage,
/// and by other modules' tests that need noisy data.
pub fn standard_normal(rng: &mut Rng) -> f64 {
    // 1 - U lies in (0, 1], so the logarithm is finite.
    let u1 = 1.0 - uniform(rng);
    let u2 = uniform(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Draws `counts.len()` indices uniformly from `0..counts.len()` (with
/// replacement) and adds one to `counts[i]` for each index `i` drawn.
///
/// This is one bootstrap resample of n values in the form of how often each
/// value was picked (see [`for_each_resample_index`] for how indices are drawn).
pub(crate) fn add_resample_counts(rng: &mut Rng, counts: &mut [u32]) {
    let len = counts.len();
    for_each_resample_index(rng, len, |i| counts[i] += 1);
}

/// Draws `len` indices uniformly from `0..len` (with replacement), one
/// bootstrap resample of `len` values, and calls `f` with each in the order
/// drawn. Each 64-bit output of the generator gives two 32-bit draws, mapped
/// to an index by Lemire's multiply-and-reject method, which is exactly
/// uniform; a resample of 5,000 values takes a few microseconds. The same
/// generator state gives the same indices whatever `f` does with them.
pub(crate) fn for_each_resample_index(rng: &mut Rng, len: usize, mut f: impl FnMut(usize)) {
    let Ok(n) = u32::try_from(len) else {
        // Beyond 4 billion values: the slower general path.
        for _ in 0..len {
            f(rng.random_range(0..len));
        }
        return;
    };
    if n == 0 {
        return;
    }
    // Products whose low half falls below 2^32 mod n would make some
    // indices more likely than others; they are rejected (for n = 5,000,
    // about one draw in three million).
    let threshold = n.wrapping_neg() % n;
    let n64 = u64::from(n);
    let mut remaining = n;
    while remaining > 0 {
        let word = rng.next_u64();
        let first = u64::from(word as u32) * n64;
        if (first as u32) >= threshold {
            f((first >> 32) as usize);
            remaining -= 1;
        }
        let second = (word >> 32) * n64;
        if remaining > 0 && (second as u32) >= threshold {
            f((second >> 32) as usize);
            remaining -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let mut a = seeded(7);
        let mut b = seeded(7);
        for _ in 0..100 {
            assert_eq!(standard_normal(&mut a).to_bits(), standard_normal(&mut b).to_bits());
        }
        assert_ne!(uniform(&mut seeded(1)), uniform(&mut seeded(2)));
    }

    #[test]
    fn standard_normal_moments() {
        let mut rng = seeded(42);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| standard_normal(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        // Standard errors: 1/sqrt(n) = 0.007 for the mean, about 0.01 for the variance.
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
        assert!(xs.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn resample_counts_are_uniform() {
        let mut rng = seeded(3);
        let mut counts = vec![0u32; 7];
        for _ in 0..10_000 {
            add_resample_counts(&mut rng, &mut counts);
        }
        // 70,000 draws over 7 indices: 10,000 each, standard deviation about 93.
        assert!(counts.iter().all(|&c| (9_600..=10_400).contains(&c)), "{counts:?}");
        assert_eq!(counts.iter().sum::<u32>(), 70_000);
        let mut one = vec![0u32; 1];
        add_resample_counts(&mut rng, &mut one);
        assert_eq!(one, vec![1]);
        add_resample_counts(&mut rng, &mut []);
    }
}

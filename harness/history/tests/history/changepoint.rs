//! Seeded simulations of the change-point detector with its default
//! settings: the false change-point rate on stationary series and the
//! detection of a 5% step, with run-level noise of 1–3% (a relative
//! standard deviation drawn uniformly per series).
//!
//! Each run states a standard error. Two cases: the stated error is the
//! run-level one (what replicates give), or it is five times too small
//! (what one run's samples say about a run on a noisy machine); the
//! detector must hold its false-alarm rate in both.

use metron::stats::{seeded, standard_normal, uniform, Rng};
use metron_history::changepoint::{detect, Detector, Observation};

/// Series per configuration: the rates below have a standard error of
/// about 1% at this count.
const TRIALS: usize = 400;

/// `n` runs at 1 ms with run-level noise `noise`, stepping by `step` from
/// index `at`; each run states `stated × noise` as its relative error.
fn simulate(rng: &mut Rng, n: usize, noise: f64, step: f64, at: usize, stated: f64) -> Vec<Observation> {
    (0..n)
        .map(|i| {
            let level = if i >= at { 1e6 * (1.0 + step) } else { 1e6 };
            let value = level * (noise * standard_normal(rng)).exp();
            Observation { value, std_error: value * noise * stated }
        })
        .collect()
}

fn noise(rng: &mut Rng) -> f64 {
    0.01 + 0.02 * uniform(rng)
}

#[test]
fn false_change_points_are_at_most_five_percent_of_stationary_series() {
    let detector = Detector::default();
    let mut rng = seeded(20_261_202);
    for n in [16, 40, 100] {
        for stated in [1.0, 0.2] {
            let alarms = (0..TRIALS)
                .filter(|_| {
                    let noise = noise(&mut rng);
                    !detect(&simulate(&mut rng, n, noise, 0.0, n, stated), &detector).is_empty()
                })
                .count();
            let rate = alarms as f64 / TRIALS as f64;
            println!("stationary, {n} runs, stated error {stated} × noise: false change points in {rate:.3}");
            assert!(rate <= 0.05, "{n} runs, stated {stated}: false change-point rate {rate}");
        }
    }
}

#[test]
fn a_five_percent_step_is_found_within_three_runs_of_where_it_happened() {
    let detector = Detector::default();
    let mut rng = seeded(7);
    for stated in [1.0, 0.2] {
        let (n, at) = (40, 20);
        let mut found = 0;
        let mut sizes = Vec::new();
        for _ in 0..TRIALS {
            let noise = noise(&mut rng);
            let points = detect(&simulate(&mut rng, n, noise, 0.05, at, stated), &detector);
            if let Some(c) = points.iter().find(|c| c.index.abs_diff(at) <= 3) {
                found += 1;
                sizes.push(c.change);
            }
        }
        let rate = found as f64 / TRIALS as f64;
        let mean_size = sizes.iter().sum::<f64>() / sizes.len().max(1) as f64;
        println!("5% step after 20 of 40 runs, stated {stated}: found in {rate:.3}, mean size {mean_size:.4}");
        assert!(rate >= 0.90, "stated {stated}: 5% step found in only {rate} of series");
        assert!((mean_size - 0.05).abs() < 0.01, "sizes are biased: mean {mean_size}");
    }
}

#[test]
fn the_ci_of_a_change_covers_the_true_step() {
    // A 10% step is always found; its 95% CI should cover 10% about 95% of the time.
    let detector = Detector::default();
    let mut rng = seeded(99);
    let mut covered = 0;
    let mut found = 0;
    for _ in 0..TRIALS {
        let noise = noise(&mut rng);
        for c in detect(&simulate(&mut rng, 40, noise, 0.10, 20, 1.0), &detector) {
            if c.index.abs_diff(20) <= 1 {
                found += 1;
                covered += usize::from(c.ci.contains(0.10));
            }
        }
    }
    let coverage = covered as f64 / found as f64;
    println!("10% step: found {found} of {TRIALS}, CI coverage {coverage:.3}");
    assert!(found as f64 >= 0.98 * TRIALS as f64, "found {found}");
    assert!((0.90..=0.99).contains(&coverage), "coverage {coverage}");
}

//! What several CLI test binaries compute for themselves, independently of
//! metron's statistics, to check the figures metron shows.

/// The median with numpy's convention: the middle value, or the mean of the
/// two middle values for an even count. `values` must not be empty.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

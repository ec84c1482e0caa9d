//! How the suite writes its figures for people: factors with as many
//! decimals as their interval needs, percentages, times in adaptive units.
//! Shared by the conclusions and the report tables so both read alike.

use metron::model::Interval;
use metron::Nanos;

/// Decimals for a factor whose CI is `ci`: as metron's verdict lines
/// ([`metron::format::ratio_decimals`]), two for an interval that is not
/// finite, and none for factors of 20 and more, where a unit is precision
/// enough.
fn decimals(value: f64, ci: Interval) -> usize {
    if value >= 20.0 {
        0
    } else if !(ci.hi - ci.lo).is_finite() {
        2
    } else {
        metron::format::ratio_decimals(ci)
    }
}

/// `1.93×`.
pub(crate) fn factor(value: f64, ci: Interval) -> String {
    let d = decimals(value, ci);
    format!("{value:.d$}×")
}

/// `95% CI 1.90–1.96×`.
pub(crate) fn factor_ci(value: f64, ci: Interval) -> String {
    let d = decimals(value, ci);
    format!("95% CI {:.d$}–{:.d$}×", ci.lo, ci.hi)
}

/// `95% CI 1.90–1.96×, p < 0.001`: a factor's interval and the p-value its
/// verdict was decided on (which, being BH-adjusted and held to
/// [`metron::compare::PAIRED_ALPHA`], can call a factor whose 95% CI
/// excludes 1 "not clearly faster"; the p-value shows why).
pub(crate) fn evidence(f: &crate::derive::Factor) -> String {
    format!("{}, {}", factor_ci(f.value, f.ci), metron::format::p_text(f.p_value))
}

/// `97%`.
pub(crate) fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// `12.3 ms`.
pub(crate) fn time(ns: f64) -> String {
    Nanos(ns).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_keep_the_decimals_their_interval_needs() {
        assert_eq!(factor(1.934, Interval::new(1.9, 1.96)), "1.93×");
        assert_eq!(factor_ci(1.934, Interval::new(1.9, 1.96)), "95% CI 1.90–1.96×");
        assert_eq!(factor_ci(1.0, Interval::new(0.9951, 1.0049)), "95% CI 0.995–1.005×");
        assert_eq!(factor_ci(1.0012, Interval::new(0.9991, 1.0031)), "95% CI 0.9991–1.0031×");
        assert_eq!(factor(38.4, Interval::new(36.0, 41.0)), "38×");
        assert_eq!(percent(0.974), "97%");
    }
}

//! Tukey's fences: which values lie unusually far from the middle half.
//!
//! With quartiles Q1, Q3 (linear interpolation, as numpy) and IQR = Q3 - Q1,
//! a value is a *mild* outlier beyond 1.5 IQR from its quartile and a
//! *severe* one beyond 3 IQR. Timing data almost always has some high
//! outliers (interrupts, page faults); counting them tells a reader how
//! disturbed a run was, and a chart can mark them.
//!
//! Values exactly on a fence count as inside it.

use serde::{Deserialize, Serialize};

use super::describe::percentile_sorted;
use crate::model::Outliers;

/// The four fences of one sample, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TukeyFences {
    /// Q1 - 3 IQR: below it a value is a severe low outlier.
    pub low_severe: f64,
    /// Q1 - 1.5 IQR: below it a value is (at least) a mild low outlier.
    pub low_mild: f64,
    /// Q3 + 1.5 IQR: above it a value is (at least) a mild high outlier.
    pub high_mild: f64,
    /// Q3 + 3 IQR: above it a value is a severe high outlier.
    pub high_severe: f64,
}

/// Where one value lies relative to the [`TukeyFences`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutlierClass {
    /// Below Q1 - 3 IQR.
    LowSevere,
    /// Between Q1 - 3 IQR and Q1 - 1.5 IQR.
    LowMild,
    /// Within the mild fences.
    Normal,
    /// Between Q3 + 1.5 IQR and Q3 + 3 IQR.
    HighMild,
    /// Above Q3 + 3 IQR.
    HighSevere,
}

/// The fences of an ascending slice, from its linearly interpolated quartiles.
///
/// An empty slice gives all fences at 0.0 (nothing can be outside them).
pub fn tukey_fences(sorted: &[f64]) -> TukeyFences {
    let q1 = percentile_sorted(sorted, 25.0);
    let q3 = percentile_sorted(sorted, 75.0);
    let iqr = q3 - q1;
    TukeyFences {
        low_severe: q1 - 3.0 * iqr,
        low_mild: q1 - 1.5 * iqr,
        high_mild: q3 + 1.5 * iqr,
        high_severe: q3 + 3.0 * iqr,
    }
}

/// Which side of the fences `value` is on. NaN is classed as `Normal`.
pub fn classify(value: f64, fences: &TukeyFences) -> OutlierClass {
    if value < fences.low_severe {
        OutlierClass::LowSevere
    } else if value < fences.low_mild {
        OutlierClass::LowMild
    } else if value > fences.high_severe {
        OutlierClass::HighSevere
    } else if value > fences.high_mild {
        OutlierClass::HighMild
    } else {
        OutlierClass::Normal
    }
}

/// Counts of mild and severe outliers on each side, for values in any order.
pub fn tukey_outliers(values: &[f64]) -> Outliers {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    tukey_outliers_sorted(&sorted)
}

/// [`tukey_outliers`] for input that is already ascending.
pub(crate) fn tukey_outliers_sorted(sorted: &[f64]) -> Outliers {
    let fences = tukey_fences(sorted);
    let mut counts = Outliers::default();
    for &v in sorted {
        match classify(v, &fences) {
            OutlierClass::LowSevere => counts.low_severe += 1,
            OutlierClass::LowMild => counts.low_mild += 1,
            OutlierClass::Normal => {}
            OutlierClass::HighMild => counts.high_mild += 1,
            OutlierClass::HighSevere => counts.high_severe += 1,
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_counts() {
        // Q1 = 2, Q3 = 4 for 1..=5: fences -4, -1, 7, 10.
        let f = tukey_fences(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(f, TukeyFences { low_severe: -4.0, low_mild: -1.0, high_mild: 7.0, high_severe: 10.0 });
        assert_eq!(classify(-5.0, &f), OutlierClass::LowSevere);
        assert_eq!(classify(-4.0, &f), OutlierClass::LowMild);
        assert_eq!(classify(-1.0, &f), OutlierClass::Normal);
        assert_eq!(classify(7.0, &f), OutlierClass::Normal);
        assert_eq!(classify(8.0, &f), OutlierClass::HighMild);
        assert_eq!(classify(11.0, &f), OutlierClass::HighSevere);
        assert_eq!(classify(f64::NAN, &f), OutlierClass::Normal);

        let mut xs = vec![3.0; 20];
        xs.extend([3.5, 2.5, 100.0, -100.0]);
        let o = tukey_outliers(&xs);
        assert_eq!((o.low_severe, o.low_mild, o.high_mild, o.high_severe), (2, 0, 0, 2));
        assert_eq!(tukey_outliers(&[]), Outliers::default());
    }
}

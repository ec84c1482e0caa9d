//! The ratios chart: one row per comparison, a dot at the ratio and a
//! whisker for its 95% confidence interval, on a log axis so that "twice as
//! fast" and "twice as slow" are equally far from the line at 1. Used for the
//! paired comparisons of a run and for the changes against a baseline.

use maud::Markup;
use plotters::prelude::*;

use super::scale::Scale;
use super::{frame, label_width, render, Axes, Chart, ChartKind, Drawn, Figure, REFERENCE};
use crate::wording::truncate;
use crate::ReportError;

/// Longest row label drawn; longer names are cut with `…`.
const MAX_LABEL: usize = 36;

/// Which way a row's verdict went, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Significantly faster (or improved).
    Better,
    /// Significantly slower (or regressed).
    Worse,
    /// No significant difference.
    Neutral,
}

impl Tone {
    fn colour(self) -> RGBColor {
        match self {
            Tone::Better => RGBColor(0x1a, 0x7f, 0x37),
            Tone::Worse => RGBColor(0xc0, 0x1c, 0x28),
            Tone::Neutral => RGBColor(0x6b, 0x6b, 0x6b),
        }
    }
}

/// One row: a ratio (above 1 = slower) with its interval.
#[derive(Debug, Clone)]
pub(crate) struct RatioRow {
    /// What is compared (unescaped; plotters escapes it).
    pub label: String,
    /// The ratio.
    pub ratio: f64,
    /// Lower end of its 95% CI.
    pub lo: f64,
    /// Upper end of its 95% CI.
    pub hi: f64,
    /// The verdict's direction.
    pub tone: Tone,
}

/// A ratios figure; `None` when there are no rows.
///
/// # Errors
/// [`ReportError::Chart`] if plotters fails.
pub(crate) fn ratios(
    rows: &[RatioRow],
    id: &str,
    x_desc: &str,
    caption: Markup,
) -> Result<Option<Figure>, ReportError> {
    let rows: Vec<&RatioRow> = rows.iter().filter(|r| r.ratio > 0.0 && r.lo > 0.0 && r.hi.is_finite()).collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let n = rows.len();
    let lo = rows.iter().map(|r| r.lo).fold(1.0, f64::min);
    let hi = rows.iter().map(|r| r.hi).fold(1.0, f64::max);
    let labels: Vec<String> = rows.iter().map(|r| truncate(&r.label, MAX_LABEL)).collect();
    // Row i is drawn at height n - 1 - i, so the first row is at the top.
    let label_of = |v: &f64| {
        let position = v.round();
        if (0.0..n as f64).contains(&position) {
            labels[n - 1 - position as usize].clone()
        } else {
            String::new()
        }
    };
    let mut axes = Axes::new(Scale::log(lo, hi).padded(0.12), Scale::index(n), x_desc, "");
    axes.y_label_width = label_width(labels.iter().map(|l| l.chars().count()).max().unwrap_or(4));
    axes.y_labels = Some(&label_of);
    axes.y_ticks = n;
    let size = (super::SIZE.0 + 160, 80 + 34 * n as u32);
    let svg = render(ChartKind::Ratios, size, "Ratios with 95% confidence intervals", |root| {
        let mut chart = frame(root, &axes)?;
        chart.draw_series(LineSeries::new([(1.0, -0.5), (1.0, n as f64 - 0.5)], REFERENCE.stroke_width(1)))?;
        for (i, r) in rows.iter().enumerate() {
            draw_row(&mut chart, r, (n - 1 - i) as f64)?;
        }
        Ok(())
    })?;
    Ok(Some(Figure { kind: ChartKind::Ratios, id: id.to_string(), svg, legend: tone_legend(), caption }))
}

/// A dot at the ratio, a whisker over its interval, the value beside it.
fn draw_row(chart: &mut Chart<'_, '_>, r: &RatioRow, y: f64) -> Drawn {
    let colour = r.tone.colour();
    let whisker = vec![(r.lo, y), (r.hi, y)];
    let caps = [vec![(r.lo, y - 0.15), (r.lo, y + 0.15)], vec![(r.hi, y - 0.15), (r.hi, y + 0.15)]];
    chart.draw_series(std::iter::once(PathElement::new(whisker, colour.stroke_width(2))))?;
    chart.draw_series(caps.into_iter().map(|c| PathElement::new(c, colour.stroke_width(2))))?;
    chart.draw_series(std::iter::once(Circle::new((r.ratio, y), 5, colour.filled())))?;
    let value = EmptyElement::at((r.hi, y))
        + Text::new(format!("{}×", metron::format::ratio(r.ratio)), (8, -7), ("sans-serif", 14).into_font());
    chart.draw_series(std::iter::once(value))?;
    Ok(())
}

fn tone_legend() -> Vec<(RGBColor, String)> {
    vec![
        (Tone::Better.colour(), "significantly faster".to_string()),
        (Tone::Worse.colour(), "significantly slower".to_string()),
        (Tone::Neutral.colour(), "no difference beyond noise".to_string()),
    ]
}

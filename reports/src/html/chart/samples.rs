//! The samples chart: each sample's time per iteration in the order the
//! samples were taken, so warm-up, drift, periodic bursts and steps show. The
//! band is the 95% confidence interval of the median; outliers keep the
//! colours of the distribution chart.

use metron::model::ClockKind;
use metron::stats::{classify, tukey_fences};
use metron::time::TimeUnit;
use metron::BenchmarkResult;
use plotters::prelude::*;

use super::scale::Scale;
use super::{frame, outlier_colour, render, Area, Axes, ChartKind, Drawn, Figure, MAIN, REFERENCE};
use crate::chart_data::decimate::min_max_indices;
use crate::ReportError;

/// Most points drawn; longer runs keep each bucket's fastest and slowest sample.
pub(crate) const MAX_POINTS: usize = 600;

/// The clock whose values the charts of `b` show: `cpu` when that is the
/// headline and was measured, else `wall`.
pub(crate) fn clock_name(b: &BenchmarkResult) -> &'static str {
    match b.time_clock() {
        ClockKind::Cpu => "cpu",
        _ => "wall",
    }
}

/// The samples figure of `b`, or `None` without samples.
///
/// # Errors
/// [`ReportError::Chart`] if plotters fails.
pub(crate) fn samples(b: &BenchmarkResult, id: &str) -> Result<Option<Figure>, ReportError> {
    let values: Vec<f64> = b.time_values();
    if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
        return Ok(None);
    }
    let kept = min_max_indices(&values, MAX_POINTS);
    let unit = TimeUnit::for_value(b.time_summary().median);
    let axes = axes(b, &values, unit);
    let clock = clock_name(b);
    let title = format!("{clock} time per iteration of each sample, in order");
    let svg = render(ChartKind::Samples, super::SIZE, &title, |root| draw(root, &axes, b, &values, &kept, unit))?;
    Ok(Some(Figure {
        kind: ChartKind::Samples,
        id: id.to_string(),
        svg,
        legend: Vec::new(),
        caption: maud::html! { (caption(clock, values.len(), kept.len())) },
    }))
}

/// Sample index across, time per iteration up (log when it spans decades),
/// wide enough for every value and the median's interval.
fn axes(b: &BenchmarkResult, values: &[f64], unit: TimeUnit) -> Axes<'static> {
    let ci = b.time_summary().median_ci;
    let lo = values.iter().copied().fold(ci.lo, f64::min) / unit.nanos();
    let hi = values.iter().copied().fold(ci.hi, f64::max) / unit.nanos();
    Axes::new(
        Scale::linear(0.0, (values.len() - 1) as f64).padded(0.02),
        Scale::auto(lo, hi).padded(0.06),
        "sample (in the order taken)",
        format!("{} time per iteration ({})", clock_name(b), unit.symbol()),
    )
}

fn draw(
    root: &Area<'_>,
    axes: &Axes<'_>,
    b: &BenchmarkResult,
    values: &[f64],
    kept: &[usize],
    unit: TimeUnit,
) -> Drawn {
    let mut chart = frame(root, axes)?;
    let u = |v: f64| v / unit.nanos();
    let (x, summary) = (&axes.x, b.time_summary());
    let band = [(x.lo(), u(summary.median_ci.lo)), (x.hi(), u(summary.median_ci.hi))];
    chart.draw_series(std::iter::once(Rectangle::new(band, MAIN.mix(0.14).filled())))?;
    let median = [(x.lo(), u(summary.median)), (x.hi(), u(summary.median))];
    // Solid: a dashed line costs one SVG element per dash.
    chart.draw_series(LineSeries::new(median, REFERENCE.stroke_width(1)))?;
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let fences = tukey_fences(&sorted);
    let points = kept.iter().map(|&i| {
        let colour = outlier_colour(classify(values[i], &fences)).unwrap_or(MAIN);
        Circle::new((i as f64, u(values[i])), 2, colour.filled())
    });
    chart.draw_series(points)?;
    Ok(())
}

fn caption(clock: &str, n: usize, drawn: usize) -> String {
    let thinned = if drawn < n {
        format!(
            " {drawn} of {n} samples drawn: the fastest and slowest of every {} consecutive ones.",
            n.div_ceil(MAX_POINTS / 2)
        )
    } else {
        String::new()
    };
    format!(
        "Each sample's {clock} time per iteration in the order taken (warm-up, drift and bursts show here); \
         grey line: the median, band: its 95% CI; outliers coloured as in the distribution.{thinned}"
    )
}

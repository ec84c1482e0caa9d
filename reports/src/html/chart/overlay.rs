//! The overlay chart: the distributions of every benchmark a run compared
//! (the reference and its candidates) on one shared time axis, so a reader
//! sees at a glance how far apart they are and how much they overlap, which
//! no ratio says. Each density is scaled to its own peak: the chart compares
//! where and how wide, not how many samples.

use maud::html;
use metron::model::ClockKind;
use metron::time::TimeUnit;
use metron::RunRecord;
use plotters::prelude::*;

use super::scale::Scale;
use super::{frame, render, series_colour, Axes, ChartKind, Figure, PALETTE};
use crate::chart_data::kde::{kde, silverman_bandwidth};
use crate::ReportError;

/// Points at which each density is evaluated.
const GRID: usize = 160;

/// One compared benchmark's density.
struct Curve {
    id: String,
    median: f64,
    /// `(x, density / peak)`.
    points: Vec<(f64, f64)>,
}

/// The overlay of the run's compared benchmarks, or `None` unless at least
/// two of them have samples.
///
/// # Errors
/// [`ReportError::Chart`] if plotters fails.
pub(crate) fn overlay(r: &RunRecord, id: &str) -> Result<Option<Figure>, ReportError> {
    let Some(clock) = r.comparisons.first().map(|c| c.clock) else { return Ok(None) };
    let mut ids: Vec<&str> = Vec::new();
    for c in &r.comparisons {
        for id in [c.reference.as_str(), c.candidate.as_str()] {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let shown = ids.len().min(PALETTE.len());
    let curves: Vec<Curve> = ids[..shown].iter().filter_map(|i| curve(r, i, clock)).collect();
    if curves.len() < 2 {
        return Ok(None);
    }
    let medians: Vec<f64> = curves.iter().map(|c| c.median).collect();
    let unit = TimeUnit::for_value(metron::stats::median(&medians));
    let u = |v: f64| v / unit.nanos();
    let lo = curves.iter().flat_map(|c| c.points.first()).map(|p| p.0).fold(f64::INFINITY, f64::min);
    let hi = curves.iter().flat_map(|c| c.points.last()).map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let empty = |_: &f64| String::new();
    let mut axes = Axes::new(
        Scale::auto(u(lo), u(hi)),
        Scale::linear(0.0, 1.08).with_ticks(Vec::new()),
        format!("{clock} time per iteration ({})", unit.symbol()),
        "density",
    );
    axes.y_label_width = 34;
    axes.y_labels = Some(&empty);
    let svg = render(ChartKind::Overlay, super::SIZE, "Distributions of the compared benchmarks", |root| {
        let mut chart = frame(root, &axes)?;
        for (i, c) in curves.iter().enumerate() {
            let colour = series_colour(i);
            let line: Vec<(f64, f64)> = c.points.iter().map(|&(x, d)| (u(x), d)).collect();
            let mut area = line.clone();
            area.extend([(u(hi), 0.0), (u(lo), 0.0)]);
            chart.draw_series(std::iter::once(Polygon::new(area, colour.mix(0.12).filled())))?;
            chart.draw_series(std::iter::once(PathElement::new(line, colour.stroke_width(2))))?;
            let median = vec![(u(c.median), 0.0), (u(c.median), 1.0)];
            chart.draw_series(std::iter::once(PathElement::new(median, colour.stroke_width(1))))?;
        }
        Ok(())
    })?;
    let left_out = ids.len() - shown;
    Ok(Some(Figure {
        kind: ChartKind::Overlay,
        id: id.to_string(),
        svg,
        legend: curves.iter().enumerate().map(|(i, c)| (series_colour(i), c.id.clone())).collect(),
        caption: html! {
            "Distribution of each compared benchmark's " (clock.to_string()) " time per iteration on one shared axis: \
             kernel density (Gaussian, Silverman bandwidth), each scaled to its own peak; thin lines: medians."
            @if left_out > 0 { " " (left_out) " more compared benchmarks are not drawn." }
        },
    }))
}

/// The density of benchmark `id` on `clock`, when it has two or more samples.
fn curve(r: &RunRecord, id: &str, clock: ClockKind) -> Option<Curve> {
    let b = r.benchmark(id)?;
    let mut sorted: Vec<f64> = b.samples.iter().filter_map(|s| s.per_iter(clock)).filter(|v| v.is_finite()).collect();
    if sorted.len() < 2 {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let bandwidth = silverman_bandwidth(&sorted);
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let lo = if min >= 0.0 { (min - 2.0 * bandwidth).max(0.0) } else { min - 2.0 * bandwidth };
    let density = kde(&sorted, lo, max + 2.0 * bandwidth, GRID);
    let peak = density.peak().max(f64::MIN_POSITIVE);
    Some(Curve {
        id: id.to_string(),
        median: metron::stats::percentile_sorted(&sorted, 50.0),
        points: density.points.iter().map(|&(x, d)| (x, d / peak)).collect(),
    })
}

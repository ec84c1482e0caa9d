//! The regression chart, for benchmarks whose samples ran different
//! iteration counts: total sample time against iterations with the
//! least-squares line. Its slope is the time per iteration with the fixed
//! per-sample cost taken out; points far off the line show where that model
//! does not hold (caches warming, allocation growing with the batch).

use metron::model::Regression;
use metron::time::{Nanos, TimeUnit};
use metron::BenchmarkResult;
use plotters::prelude::*;

use super::scale::Scale;
use super::{frame, render, Axes, ChartKind, Figure, MAIN, SEVERE};
use crate::chart_data::decimate::stride_indices;
use crate::ReportError;

/// The regression figure of `b`, when its wall-time summary has a fit.
///
/// # Errors
/// [`ReportError::Chart`] if plotters fails.
pub(crate) fn regression(b: &BenchmarkResult, id: &str) -> Result<Option<Figure>, ReportError> {
    let Some(fit) = b.wall.regression else { return Ok(None) };
    let points: Vec<(f64, f64)> = b
        .samples
        .iter()
        .map(|s| (s.iterations as f64, s.wall_ns))
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    if points.len() < 2 {
        return Ok(None);
    }
    let max_x = points.iter().map(|p| p.0).fold(0.0, f64::max);
    let max_y = points.iter().map(|p| p.1).fold(line(&fit, max_x), f64::max);
    let min_y = points.iter().map(|p| p.1).fold(fit.intercept.min(0.0), f64::min);
    let unit = TimeUnit::for_value(max_y);
    let u = |v: f64| v / unit.nanos();
    let x = Scale::linear(0.0, max_x).padded(0.02);
    let y = Scale::linear(u(min_y), u(max_y)).padded(0.04);
    let axes = Axes::new(x, y, "iterations per sample", format!("wall time per sample ({})", unit.symbol()));
    let kept = stride_indices(points.len(), super::samples::MAX_POINTS);
    let svg = render(ChartKind::Regression, super::SIZE, "Wall time per sample against iterations", |root| {
        let mut chart = frame(root, &axes)?;
        chart
            .draw_series(kept.iter().map(|&i| Circle::new((points[i].0, u(points[i].1)), 2, MAIN.mix(0.8).filled())))?;
        let ends = [(0.0, u(fit.intercept)), (max_x, u(line(&fit, max_x)))];
        chart.draw_series(LineSeries::new(ends, SEVERE.stroke_width(2)))?;
        Ok(())
    })?;
    Ok(Some(Figure {
        kind: ChartKind::Regression,
        id: id.to_string(),
        svg,
        legend: vec![(MAIN, "samples".to_string()), (SEVERE, "least-squares line".to_string())],
        caption: maud::html! {
            "Wall time of each sample against its iteration count. Slope: " (Nanos(fit.slope)) " per iteration \
             (the per-iteration cost without the fixed per-sample cost), intercept: " (Nanos(fit.intercept))
            " per sample, R² = " (format!("{:.4}", fit.r_squared)) "."
        },
    }))
}

fn line(fit: &Regression, x: f64) -> f64 {
    fit.slope * x + fit.intercept
}

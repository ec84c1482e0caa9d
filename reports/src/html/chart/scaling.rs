//! Scaling charts: median time against a numeric parameter, one line per
//! combination of the other parameters with its 95% CI as a band; and, when
//! the group has a sequential reference, the speedup over it, with the ideal
//! (linear) speedup for worker-count parameters.

use maud::{html, Markup};
use metron::time::TimeUnit;
use plotters::prelude::*;

use super::scale::Scale;
use super::{frame, render, series_colour, Area, Axes, ChartKind, Drawn, Figure, REFERENCE};
use crate::chart_data::scaling_groups::{Point, ScalingGroup, SpeedupSeries};
use crate::ReportError;

/// Parameters whose values count workers: their speedup chart shows the
/// ideal `speedup = value` line.
const WORKER_PARAMETERS: &[&str] =
    &["threads", "workers", "processes", "procs", "jobs", "cores", "tasks", "parallelism", "n_workers", "pool_size"];

/// The scaling figure and, if a sequential reference exists, the speedup figure.
///
/// # Errors
/// [`ReportError::Chart`] if plotters fails.
pub(crate) fn scaling_figures(group: &ScalingGroup<'_>, id: &str) -> Result<Vec<Figure>, ReportError> {
    let mut figures = vec![scaling(group, &format!("{id}-scaling"))?];
    let speedups = group.speedups();
    if !speedups.is_empty() {
        figures.push(speedup(group, &speedups, &format!("{id}-speedup"))?);
    }
    Ok(figures)
}

/// The x axis for the values `xs`: log when they span a wide range, with
/// ticks at the values themselves when there are few.
fn x_scale(xs: &[f64]) -> Scale {
    let mut distinct: Vec<f64> = xs.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let (lo, hi) = (distinct[0], distinct[distinct.len() - 1]);
    let scale = Scale::auto(lo, hi).padded(0.04);
    if distinct.len() <= 12 {
        scale.with_ticks(distinct)
    } else {
        scale
    }
}

fn all_points<'g, 'a>(group: &'g ScalingGroup<'a>) -> impl Iterator<Item = &'g Point<'a>> {
    group.series.iter().flat_map(|s| s.points.iter())
}

fn scaling(group: &ScalingGroup<'_>, id: &str) -> Result<Figure, ReportError> {
    let (axes, unit) = scaling_axes(group);
    let title = format!("Time per iteration against {}", group.parameter);
    let svg = render(ChartKind::Scaling, super::SIZE, &title, |root| draw_scaling(root, &axes, group, unit))?;
    let mut legend = Vec::new();
    if group.series.len() > 1 {
        legend.extend(group.series.iter().enumerate().map(|(i, s)| (series_colour(i), s.label.clone())));
    }
    if group.level_references().next().is_some() {
        legend.push((REFERENCE, "sequential (dashed)".to_string()));
    }
    Ok(Figure {
        kind: ChartKind::Scaling,
        id: id.to_string(),
        svg,
        legend,
        caption: html! {
            "Median time per iteration against " code { (group.parameter) } " for " (group.title)
            "; bands: 95% CI of each median."
        },
    })
}

/// The parameter across; time up, from zero on a linear axis, in the unit
/// of the typical median.
fn scaling_axes(group: &ScalingGroup<'_>) -> (Axes<'static>, TimeUnit) {
    let xs: Vec<f64> = all_points(group).map(|p| p.x).collect();
    let mut medians: Vec<f64> = all_points(group).map(|p| p.bench.headline().median).collect();
    medians.extend(group.level_references().map(|b| b.headline().median));
    let unit = TimeUnit::for_value(metron::stats::median(&medians));
    let lows = all_points(group).map(|p| p.bench.headline().median_ci.lo).chain(medians.iter().copied());
    let highs = all_points(group).map(|p| p.bench.headline().median_ci.hi).chain(medians.iter().copied());
    let (lo, hi) = (lows.fold(f64::INFINITY, f64::min), highs.fold(f64::NEG_INFINITY, f64::max));
    let y = Scale::auto(lo / unit.nanos(), hi / unit.nanos());
    let y = if y.is_log() { y.padded(0.05) } else { y.starting_at_zero().padded(0.05) };
    let desc = format!("time per iteration ({})", unit.symbol());
    (Axes::new(x_scale(&xs), y, group.parameter.as_str(), desc), unit)
}

fn draw_scaling(root: &Area<'_>, axes: &Axes<'_>, group: &ScalingGroup<'_>, unit: TimeUnit) -> Drawn {
    let mut chart = frame(root, axes)?;
    let u = |v: f64| v / unit.nanos();
    for (i, s) in group.series.iter().enumerate() {
        let summaries = s.points.iter().map(|p| (p.x, p.bench.headline()));
        let band: Vec<(f64, f64, f64)> =
            summaries.clone().map(|(x, h)| (x, u(h.median_ci.lo), u(h.median_ci.hi))).collect();
        let line: Vec<(f64, f64)> = summaries.map(|(x, h)| (x, u(h.median))).collect();
        draw_line_with_band(&mut chart, &band, &line, series_colour(i))?;
    }
    let (lo, hi) = (axes.x.lo(), axes.x.hi());
    for b in group.level_references() {
        let level = u(b.headline().median);
        chart.draw_series(DashedLineSeries::new([(lo, level), (hi, level)], 12, 8, REFERENCE.stroke_width(2)))?;
    }
    Ok(())
}

fn speedup(group: &ScalingGroup<'_>, series: &[SpeedupSeries], id: &str) -> Result<Figure, ReportError> {
    let xs: Vec<f64> = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
    let ideal =
        WORKER_PARAMETERS.contains(&group.parameter.to_ascii_lowercase().as_str()) && xs.iter().all(|x| *x > 0.0);
    let mut hi = series.iter().flat_map(|s| s.points.iter().map(|p| p.3)).fold(1.0, f64::max);
    if ideal {
        hi = hi.max(xs.iter().copied().fold(1.0, f64::max));
    }
    let y = Scale::linear(0.0, hi).padded(0.05);
    let axes = Axes::new(x_scale(&xs), y, group.parameter.as_str(), "speedup over sequential (×)");
    let title = format!("Speedup over the sequential variant against {}", group.parameter);
    let svg = render(ChartKind::Speedup, super::SIZE, &title, |root| {
        let mut chart = frame(root, &axes)?;
        let (lo, hi) = (axes.x.lo(), axes.x.hi());
        chart.draw_series(DashedLineSeries::new([(lo, 1.0), (hi, 1.0)], 12, 8, REFERENCE.stroke_width(1)))?;
        if ideal {
            let lo = lo.max(0.0);
            chart.draw_series(DashedLineSeries::new([(lo, lo), (hi, hi)], 3, 5, REFERENCE.stroke_width(2)))?;
        }
        for (i, s) in series.iter().enumerate() {
            let band: Vec<(f64, f64, f64)> = s.points.iter().map(|p| (p.0, p.2, p.3)).collect();
            let line: Vec<(f64, f64)> = s.points.iter().map(|p| (p.0, p.1)).collect();
            draw_line_with_band(&mut chart, &band, &line, colour_of(group, &s.label, i))?;
        }
        Ok(())
    })?;
    let mut legend: Vec<_> =
        series.iter().enumerate().map(|(i, s)| (colour_of(group, &s.label, i), s.label.clone())).collect();
    if ideal {
        legend.push((REFERENCE, "ideal: speedup = workers (dotted)".to_string()));
    }
    Ok(Figure { kind: ChartKind::Speedup, id: id.to_string(), svg, legend, caption: speedup_caption(group) })
}

fn speedup_caption(group: &ScalingGroup<'_>) -> Markup {
    html! {
        "Speedup over the sequential variant (its median ÷ each median) against " code { (group.parameter) }
        " for " (group.title) "; bands: conservative 95% interval from both medians' CIs; dashed: no speedup."
    }
}

/// The colour a series had in the scaling chart, so both charts agree.
fn colour_of(group: &ScalingGroup<'_>, label: &str, fallback: usize) -> RGBColor {
    series_colour(group.series.iter().position(|s| s.label == label).unwrap_or(fallback))
}

/// A line through `line` with points, over a band from `(x, lo, hi)`.
pub(crate) fn draw_line_with_band(
    chart: &mut super::Chart<'_, '_>,
    band: &[(f64, f64, f64)],
    line: &[(f64, f64)],
    colour: RGBColor,
) -> super::Drawn {
    if band.len() >= 2 {
        let mut outline: Vec<(f64, f64)> = band.iter().map(|p| (p.0, p.2)).collect();
        outline.extend(band.iter().rev().map(|p| (p.0, p.1)));
        chart.draw_series(std::iter::once(Polygon::new(outline, colour.mix(0.16).filled())))?;
    } else {
        chart
            .draw_series(band.iter().map(|p| PathElement::new(vec![(p.0, p.1), (p.0, p.2)], colour.stroke_width(2))))?;
    }
    chart.draw_series(LineSeries::new(line.iter().copied(), colour.stroke_width(2)))?;
    chart.draw_series(line.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
    Ok(())
}

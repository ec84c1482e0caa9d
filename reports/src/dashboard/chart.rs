//! The dashboard's two charts, drawn like the report's (plotters' SVG
//! backend, the same frame, palette and compaction): a sparkline per
//! benchmark for the index, and the full series with CI bands and change
//! points for a benchmark's page.

use metron::time::TimeUnit;
use plotters::prelude::*;

use super::{Line, Trend, Verdict};
use crate::html::chart::scale::Scale;
use crate::html::chart::{frame, index_label, render, series_colour, Axes, ChartKind, Figure, MAIN, REFERENCE};
use crate::ReportError;

/// A sparkline's size: a card's width.
const SPARK: (u32, u32) = (260, 64);
/// The series chart's size.
const SERIES: (u32, u32) = (1000, 380);
const WORSE: RGBColor = RGBColor(0xc0, 0x1c, 0x28);
const BETTER: RGBColor = RGBColor(0x1a, 0x7f, 0x37);

/// The colour of a verdict.
fn verdict_colour(v: Verdict) -> RGBColor {
    match v {
        Verdict::Stable => MAIN,
        Verdict::Regressed => WORSE,
        Verdict::Improved => BETTER,
    }
}

/// The colour that marks a change: red slower, green faster.
fn change_colour(change: f64) -> RGBColor {
    if change > 0.0 {
        WORSE
    } else {
        BETTER
    }
}

/// The unit and the y range (in that unit) of every median and CI end.
fn y_range(trend: &Trend) -> (TimeUnit, Scale) {
    let points = || trend.lines.iter().flat_map(|l| l.points.iter());
    let medians: Vec<f64> = points().map(|p| p.median_ns).collect();
    let unit = TimeUnit::for_value(metron::stats::median(&medians));
    let lo = points().map(|p| p.ci.lo.min(p.median_ns)).fold(f64::INFINITY, f64::min);
    let hi = points().map(|p| p.ci.hi.max(p.median_ns)).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    (unit, Scale::linear(lo / unit.nanos(), hi / unit.nanos()).padded(0.1))
}

/// The index's small trend chart: medians only, change points as dots, in
/// the colour of the latest verdict.
///
/// # Errors
/// [`ReportError::Chart`] if plotters fails.
pub(crate) fn sparkline(trend: &Trend) -> Result<String, ReportError> {
    let (unit, y) = y_range(trend);
    let colour = verdict_colour(trend.verdict);
    let title = format!("Trend of {} over {} runs", trend.name, trend.runs.len());
    render(ChartKind::Sparkline, SPARK, &title, |root| {
        let mut chart = ChartBuilder::on(root).margin(5).build_cartesian_2d(Scale::index(trend.runs.len()), y)?;
        for line in &trend.lines {
            let xy = line.points.iter().map(|p| (p.run as f64, p.median_ns / unit.nanos()));
            chart.draw_series(LineSeries::new(xy, colour.stroke_width(2)))?;
            for c in &line.changes {
                if let Some(p) = line.points.iter().find(|p| p.run == c.run) {
                    let at = (p.run as f64, p.median_ns / unit.nanos());
                    chart.draw_series(std::iter::once(Circle::new(at, 4, change_colour(c.change).filled())))?;
                }
            }
        }
        Ok(())
    })
}

/// A benchmark's series: per host, the median of each run with its 95% CI
/// as a band, and each change point as a vertical rule labelled with its
/// run and size.
///
/// # Errors
/// [`ReportError::Chart`] if plotters fails.
pub(crate) fn series(trend: &Trend) -> Result<Figure, ReportError> {
    let (unit, y) = y_range(trend);
    let runs = &trend.runs;
    let run_label = index_label(runs);
    let mut axes = Axes::new(
        Scale::index(runs.len()),
        y.clone(),
        "run (oldest first)",
        format!("median time per iteration ({})", unit.symbol()),
    );
    axes.x_labels = Some(&run_label);
    let svg = render(ChartKind::Series, SERIES, &format!("{} over the history", trend.name), |root| {
        let mut chart = frame(root, &axes)?;
        for (i, line) in trend.lines.iter().enumerate() {
            draw_line(&mut chart, line, series_colour(i), unit)?;
        }
        for line in &trend.lines {
            for c in &line.changes {
                let x = c.run as f64;
                let rule = vec![(x - 0.5, y.lo()), (x - 0.5, y.hi())];
                chart.draw_series(std::iter::once(PathElement::new(rule, REFERENCE.stroke_width(1))))?;
                let label = format!(
                    "{} {}",
                    runs.get(c.run).map_or("", String::as_str),
                    metron::format::signed_percent(c.change)
                );
                let style = ("sans-serif", 14).into_font().color(&change_colour(c.change));
                chart.draw_series(std::iter::once(Text::new(label, (x - 0.4, y.hi()), style)))?;
            }
        }
        Ok(())
    })?;
    let marks: usize = trend.lines.iter().map(|l| l.changes.len()).sum();
    Ok(Figure {
        kind: ChartKind::Series,
        id: "series".into(),
        svg,
        legend: trend.lines.iter().enumerate().map(|(i, l)| (series_colour(i), l.name.clone())).collect(),
        caption: maud::html! {
            "Median time per iteration of every run, oldest first, with its 95% CI as a band; one line per host. "
            (marks) " change point" @if marks != 1 { "s" } " marked by a rule before the first run at the new level."
        },
    })
}

/// One line: its CI band, its medians joined, a dot per run.
fn draw_line(
    chart: &mut crate::html::chart::Chart<'_, '_>,
    line: &Line,
    colour: RGBColor,
    unit: TimeUnit,
) -> crate::html::chart::Drawn {
    let u = |v: f64| v / unit.nanos();
    let mut band: Vec<(f64, f64)> = line.points.iter().map(|p| (p.run as f64, u(p.ci.hi))).collect();
    band.extend(line.points.iter().rev().map(|p| (p.run as f64, u(p.ci.lo))));
    chart.draw_series(std::iter::once(Polygon::new(band, colour.mix(0.18).filled())))?;
    let medians: Vec<(f64, f64)> = line.points.iter().map(|p| (p.run as f64, u(p.median_ns))).collect();
    chart.draw_series(LineSeries::new(medians.iter().copied(), colour.stroke_width(2)))?;
    chart.draw_series(medians.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
    Ok(())
}

//! The overlay chart: the distributions of every benchmark a run compared
//! (the reference and its candidates), or of one benchmark in two runs, on
//! one shared time axis, so a reader
//! sees at a glance how far apart they are and how much they overlap, which
//! no ratio says. Each density is scaled to its own peak: the chart compares
//! where and how wide, not how many samples.

use maud::{html, Markup};
use metron::model::ClockKind;
use metron::time::TimeUnit;
use metron::{BenchmarkResult, RunRecord};
use plotters::prelude::*;

use super::scale::Scale;
use super::{frame, render, series_colour, Axes, Chart, ChartKind, Drawn, Figure, PALETTE};
use crate::chart_data::kde::{kde, silverman_bandwidth};
use crate::ReportError;

/// Points at which each density is evaluated.
const GRID: usize = 160;

/// One compared benchmark's density.
struct Curve {
    label: String,
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
    let shown: Vec<(String, &BenchmarkResult)> =
        ids.iter().filter_map(|i| Some((i.to_string(), r.benchmark(i)?))).take(PALETTE.len()).collect();
    let left_out = ids.len() - shown.len();
    let words = Words {
        title: "Distributions of the compared benchmarks",
        subject: html! { "each compared benchmark's" },
        note: html! { @if left_out > 0 { " " (left_out) " more compared benchmarks are not drawn." } },
    };
    draw(&shown, clock, id, words)
}

/// One benchmark in two runs, `old` and `new`, on one axis.
///
/// # Errors
/// [`ReportError::Chart`] if plotters fails.
pub(crate) fn old_and_new(
    old: (&str, &BenchmarkResult),
    new: (&str, &BenchmarkResult),
    clock: ClockKind,
    id: &str,
) -> Result<Option<Figure>, ReportError> {
    let series = [(old.0.to_string(), old.1), (new.0.to_string(), new.1)];
    let subject = html! { code { (new.1.id()) } "'s, in " (old.0) " and in " (new.0) "," };
    draw(&series, clock, id, Words { title: "Distributions of one benchmark in two runs", subject, note: html! {} })
}

/// What an overlay says around its curves.
struct Words {
    /// The accessible name of the SVG.
    title: &'static str,
    /// Whose distributions, in the caption.
    subject: Markup,
    /// Said after the caption.
    note: Markup,
}

/// The overlay of `series` (label and result), or `None` unless two have
/// samples on `clock`.
fn draw(
    series: &[(String, &BenchmarkResult)],
    clock: ClockKind,
    id: &str,
    words: Words,
) -> Result<Option<Figure>, ReportError> {
    let curves: Vec<Curve> = series.iter().filter_map(|(label, b)| curve(label, b, clock)).collect();
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
    let svg = render(ChartKind::Overlay, super::SIZE, words.title, |root| {
        let mut chart = frame(root, &axes)?;
        for (i, c) in curves.iter().enumerate() {
            draw_curve(&mut chart, c, series_colour(i), unit, (lo, hi))?;
        }
        Ok(())
    })?;
    Ok(Some(Figure {
        kind: ChartKind::Overlay,
        id: id.to_string(),
        svg,
        legend: curves.iter().enumerate().map(|(i, c)| (series_colour(i), c.label.clone())).collect(),
        caption: html! {
            "Distribution of " (words.subject) " " (clock.to_string()) " time per iteration, on one shared axis: \
             kernel density (Gaussian, Silverman bandwidth), each scaled to its own peak; thin lines: medians."
            (words.note)
        },
    }))
}

/// A filled density with its outline and a line at its median.
fn draw_curve(chart: &mut Chart<'_, '_>, c: &Curve, colour: RGBColor, unit: TimeUnit, span: (f64, f64)) -> Drawn {
    let u = |v: f64| v / unit.nanos();
    let line: Vec<(f64, f64)> = c.points.iter().map(|&(x, d)| (u(x), d)).collect();
    let mut area = line.clone();
    area.extend([(u(span.1), 0.0), (u(span.0), 0.0)]);
    chart.draw_series(std::iter::once(Polygon::new(area, colour.mix(0.12).filled())))?;
    chart.draw_series(std::iter::once(PathElement::new(line, colour.stroke_width(2))))?;
    let median = vec![(u(c.median), 0.0), (u(c.median), 1.0)];
    chart.draw_series(std::iter::once(PathElement::new(median, colour.stroke_width(1))))?;
    Ok(())
}

/// The density of `b` on `clock`, when it has two or more samples there.
fn curve(label: &str, b: &BenchmarkResult, clock: ClockKind) -> Option<Curve> {
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
        label: label.to_string(),
        median: metron::stats::percentile_sorted(&sorted, 50.0),
        points: density.points.iter().map(|&(x, d)| (x, d / peak)).collect(),
    })
}

//! The distribution chart: a horizontal violin (the kernel density of the
//! per-iteration times, mirrored) with a box plot inside it and the Tukey
//! outliers marked, so a reader sees the shape, the middle half and the
//! stragglers at once.

use maud::{html, Markup};
use metron::stats::{classify, tukey_fences, OutlierClass};
use metron::time::{Nanos, TimeUnit};
use metron::BenchmarkResult;
use plotters::prelude::*;

use super::scale::Scale;
use super::{frame, render, Area, Axes, ChartKind, Drawn, Figure, MAIN, MILD, SEVERE};
use crate::chart_data::kde::{kde, silverman_bandwidth};
use crate::ReportError;

/// Points at which the density is evaluated.
const GRID: usize = 120;
/// Most outliers drawn individually.
const MAX_OUTLIERS: usize = 400;
/// Half the height of the box, in the violin's -1..1 units.
const BOX: f64 = 0.13;

/// The distribution figure of `b`, or `None` without samples.
///
/// # Errors
/// [`ReportError::Chart`] if plotters fails.
pub(crate) fn distribution(b: &BenchmarkResult, id: &str) -> Result<Option<Figure>, ReportError> {
    let mut sorted: Vec<f64> = b.time_values().into_iter().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return Ok(None);
    }
    sorted.sort_by(f64::total_cmp);
    let shape = Shape::of(&sorted);
    let unit = TimeUnit::for_value(shape.median);
    let clock = super::samples::clock_name(b);
    let empty = |_: &f64| String::new();
    let mut axes = Axes::new(
        Scale::linear(shape.lo / unit.nanos(), shape.hi / unit.nanos()),
        Scale::linear(-1.2, 1.2).with_ticks(Vec::new()),
        format!("{clock} time per iteration ({})", unit.symbol()),
        "density",
    );
    axes.y_label_width = 34;
    axes.y_labels = Some(&empty);
    let title = format!("Distribution of {clock} time per iteration");
    let svg = render(ChartKind::Distribution, super::SIZE, &title, |root| draw(root, &axes, &shape, unit))?;
    Ok(Some(Figure {
        kind: ChartKind::Distribution,
        id: id.to_string(),
        svg,
        legend: Vec::new(),
        caption: caption(&shape, clock, sorted.len()),
    }))
}

fn draw(root: &Area<'_>, axes: &Axes<'_>, shape: &Shape, unit: TimeUnit) -> Drawn {
    let mut chart = frame(root, axes)?;
    let u = |v: f64| v / unit.nanos();
    let violin: Vec<(f64, f64)> = shape.density.iter().map(|&(x, d)| (u(x), d)).collect();
    let mut outline = violin.clone();
    outline.extend(violin.iter().rev().map(|&(x, d)| (x, -d)));
    chart.draw_series(std::iter::once(Polygon::new(outline.clone(), MAIN.mix(0.22).filled())))?;
    chart.draw_series(std::iter::once(PathElement::new(outline, MAIN.stroke_width(1))))?;
    draw_box(&mut chart, shape, unit)?;
    let marks = shape.outliers.iter().enumerate().map(|(i, &(v, severe))| {
        let colour = if severe { SEVERE } else { MILD };
        Circle::new((u(v), jitter(i)), 3, colour.filled())
    });
    chart.draw_series(marks)?;
    Ok(())
}

/// What the chart shows, computed from the ascending values.
struct Shape {
    median: f64,
    q1: f64,
    q3: f64,
    whisker_lo: f64,
    whisker_hi: f64,
    bandwidth: f64,
    lo: f64,
    hi: f64,
    /// `(x, density / peak)`.
    density: Vec<(f64, f64)>,
    /// `(value, severe?)`, at most [`MAX_OUTLIERS`].
    outliers: Vec<(f64, bool)>,
    mild: usize,
    severe: usize,
}

impl Shape {
    fn of(sorted: &[f64]) -> Shape {
        let p = |q: f64| metron::stats::percentile_sorted(sorted, q);
        let fences = tukey_fences(sorted);
        let inside: Vec<f64> =
            sorted.iter().copied().filter(|v| classify(*v, &fences) == OutlierClass::Normal).collect();
        let classes: Vec<(f64, bool)> = sorted
            .iter()
            .filter_map(|&v| match classify(v, &fences) {
                OutlierClass::Normal => None,
                OutlierClass::LowMild | OutlierClass::HighMild => Some((v, false)),
                OutlierClass::LowSevere | OutlierClass::HighSevere => Some((v, true)),
            })
            .collect();
        let severe = classes.iter().filter(|c| c.1).count();
        let bandwidth = silverman_bandwidth(sorted);
        let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
        let lo = if min >= 0.0 { (min - 2.0 * bandwidth).max(0.0) } else { min - 2.0 * bandwidth };
        let hi = max + 2.0 * bandwidth;
        let density = kde(sorted, lo, hi, GRID);
        let peak = density.peak().max(f64::MIN_POSITIVE);
        let kept = crate::chart_data::decimate::stride_indices(classes.len(), MAX_OUTLIERS);
        Shape {
            median: p(50.0),
            q1: p(25.0),
            q3: p(75.0),
            whisker_lo: inside.first().copied().unwrap_or(min),
            whisker_hi: inside.last().copied().unwrap_or(max),
            bandwidth,
            lo,
            hi,
            density: density.points.iter().map(|&(x, d)| (x, d / peak)).collect(),
            outliers: kept.into_iter().map(|i| classes[i]).collect(),
            mild: classes.len() - severe,
            severe,
        }
    }
}

fn draw_box(chart: &mut super::Chart<'_, '_>, s: &Shape, unit: TimeUnit) -> super::Drawn {
    let u = |v: f64| v / unit.nanos();
    let ink = RGBColor(0x22, 0x22, 0x22);
    let whiskers = [
        vec![(u(s.whisker_lo), 0.0), (u(s.q1), 0.0)],
        vec![(u(s.q3), 0.0), (u(s.whisker_hi), 0.0)],
        vec![(u(s.whisker_lo), -BOX / 2.0), (u(s.whisker_lo), BOX / 2.0)],
        vec![(u(s.whisker_hi), -BOX / 2.0), (u(s.whisker_hi), BOX / 2.0)],
    ];
    chart.draw_series(whiskers.into_iter().map(|w| PathElement::new(w, ink.stroke_width(1))))?;
    chart.draw_series(std::iter::once(Rectangle::new([(u(s.q1), -BOX), (u(s.q3), BOX)], WHITE.mix(0.85).filled())))?;
    chart.draw_series(std::iter::once(Rectangle::new([(u(s.q1), -BOX), (u(s.q3), BOX)], ink.stroke_width(1))))?;
    let median = vec![(u(s.median), -BOX), (u(s.median), BOX)];
    chart.draw_series(std::iter::once(PathElement::new(median, ink.stroke_width(3))))?;
    Ok(())
}

/// A deterministic vertical offset so that outliers at similar times do not
/// hide each other.
fn jitter(i: usize) -> f64 {
    let golden = (i as f64 * 0.618_034).fract();
    (golden - 0.5) * 0.5
}

fn caption(s: &Shape, clock: &str, n: usize) -> Markup {
    let (m, v) = (s.mild, s.severe);
    html! {
        "Distribution of " (clock) " time per iteration, n = " (n) ": kernel density (Gaussian, Silverman \
         bandwidth " (Nanos(s.bandwidth)) "); box from Q1 to Q3 with the median, whiskers to the furthest values \
         inside Tukey's 1.5 IQR fences; "
        @if m + v == 0 {
            "no outliers"
        } @else {
            span.mark.mild { "●" } " " (m) " mild and " span.mark.severe { "●" } " " (v) " severe outlier"
            @if m + v != 1 { "s" }
        }
        "."
    }
}

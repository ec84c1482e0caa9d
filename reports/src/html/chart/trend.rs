//! The history chart: each benchmark's median with its 95% CI whiskers across
//! several runs, in the order the runs were given, labelled with when each
//! started. Many benchmarks are split over several charts so that each stays
//! readable.

use metron::time::TimeUnit;
use plotters::prelude::*;

use super::scale::Scale;
use super::{frame, index_label, render, series_colour, Axes, Chart, ChartKind, Drawn, Figure};
use crate::chart_data::shared_ids::{History, HistoryLine};
use crate::ReportError;

/// Lines per chart.
pub(crate) const LINES_PER_CHART: usize = 8;
/// Size of a history chart: full width, runs' times fit under the axis.
const SIZE: (u32, u32) = (1000, 340);

/// One figure per [`LINES_PER_CHART`] benchmarks.
///
/// # Errors
/// [`ReportError::Chart`] if plotters fails.
pub(crate) fn history_figures(history: &History<'_>) -> Result<Vec<Figure>, ReportError> {
    history
        .lines
        .chunks(LINES_PER_CHART)
        .enumerate()
        .map(|(k, lines)| history_chart(&history.runs, lines, &format!("history-{}", k + 1)))
        .collect()
}

fn history_chart(runs: &[String], lines: &[HistoryLine<'_>], id: &str) -> Result<Figure, ReportError> {
    let summaries = || lines.iter().flat_map(|l| l.points.iter().map(|(_, b)| b.headline()));
    let medians: Vec<f64> = summaries().map(|s| s.median).collect();
    let unit = TimeUnit::for_value(metron::stats::median(&medians));
    let lo = summaries().map(|s| s.median_ci.lo.min(s.median)).fold(f64::INFINITY, f64::min);
    let hi = summaries().map(|s| s.median_ci.hi.max(s.median)).fold(f64::NEG_INFINITY, f64::max);
    let y = Scale::auto(lo / unit.nanos(), hi / unit.nanos());
    let y = if y.is_log() { y.padded(0.05) } else { y.padded(0.08) };
    let run_label = index_label(runs);
    let mut axes = Axes::new(
        Scale::index(runs.len()),
        y,
        "run (in the order given)",
        format!("median time per iteration ({})", unit.symbol()),
    );
    axes.x_labels = Some(&run_label);
    let svg = render(ChartKind::History, SIZE, "Medians across runs", |root| {
        let mut chart = frame(root, &axes)?;
        for (i, line) in lines.iter().enumerate() {
            // A slight sideways offset per line keeps overlapping whiskers apart.
            let offset = (i as f64 - (lines.len() as f64 - 1.0) / 2.0) * 0.02;
            draw_line(&mut chart, line, series_colour(i), offset, unit)?;
        }
        Ok(())
    })?;
    Ok(Figure {
        kind: ChartKind::History,
        id: id.to_string(),
        svg,
        legend: lines.iter().enumerate().map(|(i, l)| (series_colour(i), l.id.clone())).collect(),
        caption: maud::html! {
            "Median time per iteration of each benchmark in every run that has it, with 95% CI whiskers; runs in \
             the order given, labelled with their label, or their commit and when they started."
        },
    })
}

/// One benchmark's medians joined by a line, each with its CI whisker.
fn draw_line(
    chart: &mut Chart<'_, '_>,
    line: &HistoryLine<'_>,
    colour: RGBColor,
    offset: f64,
    unit: TimeUnit,
) -> Drawn {
    let u = |v: f64| v / unit.nanos();
    let medians: Vec<(f64, f64)> =
        line.points.iter().map(|(r, b)| (*r as f64 + offset, u(b.headline().median))).collect();
    chart.draw_series(LineSeries::new(medians.iter().copied(), colour.stroke_width(2)))?;
    for ((r, b), w) in line.points.iter().zip(std::iter::repeat(0.03)) {
        let (x, ci) = (*r as f64 + offset, b.headline().median_ci);
        let paths = [
            vec![(x, u(ci.lo)), (x, u(ci.hi))],
            vec![(x - w, u(ci.lo)), (x + w, u(ci.lo))],
            vec![(x - w, u(ci.hi)), (x + w, u(ci.hi))],
        ];
        chart.draw_series(paths.into_iter().map(|p| PathElement::new(p, colour.stroke_width(1))))?;
    }
    chart.draw_series(medians.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
    Ok(())
}

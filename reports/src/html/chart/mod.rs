//! Charts: each kind in its own module, drawn with plotters' SVG backend into
//! a string and placed inline in the page inside a `<figure>` that names its
//! kind (`data-chart="…"`) so people, tests and stylesheets can find it.
//!
//! * [`distribution`](mod@distribution): violin (kernel density) with box and outliers.
//! * [`samples`](mod@samples): per-iteration times in the order taken.
//! * [`slope`]: sample time against iteration count, with the fitted line.
//! * [`ratios`](mod@ratios): comparison ratios with confidence whiskers.
//! * [`overlay`](mod@overlay): the compared benchmarks' distributions on one axis.
//! * [`scaling`](mod@scaling): time against a parameter, and speedup.
//! * [`trend`]: medians across runs (the history chart).
//! * [`scale`]: the axis type all of them use; `compact`: shrinking plotters' SVG.
//!
//! Everything here shares one look: the same size, fonts, grid and palette,
//! and the post-processing that keeps the SVG small.

mod compact;
pub(crate) mod distribution;
pub(crate) mod overlay;
pub(crate) mod ratios;
pub(crate) mod samples;
pub(crate) mod scale;
pub(crate) mod scaling;
pub(crate) mod slope;
pub(crate) mod trend;

use std::error::Error;

use maud::{html, Markup, PreEscaped, Render};
use plotters::coord::Shift;
use plotters::prelude::*;

use self::scale::Scale;
use crate::ReportError;

/// The kinds of chart, by the name their `<figure>` carries in `data-chart`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChartKind {
    /// Distribution of per-iteration times.
    Distribution,
    /// Per-iteration times in sample order.
    Samples,
    /// Sample time against iteration count.
    Regression,
    /// Ratios of comparisons.
    Ratios,
    /// Distributions of compared benchmarks on one axis.
    Overlay,
    /// Time against a parameter.
    Scaling,
    /// Speedup against a sequential reference.
    Speedup,
    /// Medians across runs.
    History,
    /// A benchmark's trend in a few pixels (the history dashboard's index).
    Sparkline,
    /// A benchmark's series over the history, with its change points.
    Series,
}

impl ChartKind {
    /// The `data-chart` value.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Distribution => "distribution",
            ChartKind::Samples => "samples",
            ChartKind::Regression => "regression",
            ChartKind::Ratios => "ratios",
            ChartKind::Overlay => "overlay",
            ChartKind::Scaling => "scaling",
            ChartKind::Speedup => "speedup",
            ChartKind::History => "history",
            ChartKind::Sparkline => "sparkline",
            ChartKind::Series => "series",
        }
    }
}

/// A drawn chart with what the page shows around it.
#[derive(Debug, Clone)]
pub(crate) struct Figure {
    /// Which kind of chart.
    pub kind: ChartKind,
    /// Element id, built from positions on the page, never from user text.
    pub id: String,
    /// The `<svg>` element.
    pub svg: String,
    /// Legend entries: colour and label (text; the template escapes it).
    pub legend: Vec<(RGBColor, String)>,
    /// The caption.
    pub caption: Markup,
}

impl Render for Figure {
    /// The `<figure>` element.
    fn render(&self) -> Markup {
        let kind = self.kind.name();
        html! {
            figure class={ "chart chart-" (kind) } data-chart=(kind) id=(self.id) {
                // The one place a chart's SVG enters the page unescaped:
                // plotters escapes the text it draws (see the test below),
                // and `compact` escapes the accessible name it adds.
                (PreEscaped(&self.svg))
                figcaption {
                    @if !self.legend.is_empty() {
                        ul.legend {
                            @for (colour, label) in &self.legend {
                                li { span.swatch style={ "background:" (hex(*colour)) } {} (label) }
                            }
                        }
                    }
                    (self.caption)
                }
            }
        }
    }
}

/// Default chart size in SVG pixels (scaled to the column width by CSS).
pub(crate) const SIZE: (u32, u32) = (600, 300);

/// Category colours (Tableau 10), for series.
pub(crate) const PALETTE: [RGBColor; 10] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];
/// Ordinary data.
pub(crate) const MAIN: RGBColor = PALETTE[0];
/// Mild outliers.
pub(crate) const MILD: RGBColor = RGBColor(0xf5, 0x9e, 0x0b);
/// Severe outliers.
pub(crate) const SEVERE: RGBColor = RGBColor(0xd6, 0x27, 0x28);
/// Reference lines.
pub(crate) const REFERENCE: RGBColor = RGBColor(0x55, 0x55, 0x55);
const GRID: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);
const AXIS: RGBColor = RGBColor(0x66, 0x66, 0x66);
const LABEL: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// The colour that marks an outlier of `class`; `None` for ordinary values.
pub(crate) fn outlier_colour(class: metron::stats::OutlierClass) -> Option<RGBColor> {
    use metron::stats::OutlierClass;
    match class {
        OutlierClass::Normal => None,
        OutlierClass::LowMild | OutlierClass::HighMild => Some(MILD),
        OutlierClass::LowSevere | OutlierClass::HighSevere => Some(SEVERE),
    }
}

/// The colour of series `i`.
pub(crate) fn series_colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// `#rrggbb`.
pub(crate) fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The drawing surface handed to each chart.
pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// What drawing code returns; any plotters error becomes [`ReportError::Chart`].
pub(crate) type Drawn = Result<(), Box<dyn Error>>;
/// A chart with [`Scale`] axes.
pub(crate) type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Scale, Scale>>;

/// Draws onto a white SVG canvas of `size` and returns the compacted
/// `<svg>` element, labelled `title` for screen readers.
///
/// # Errors
/// [`ReportError::Chart`] with what plotters said.
pub(crate) fn render(
    kind: ChartKind,
    size: (u32, u32),
    title: &str,
    draw: impl FnOnce(&Area<'_>) -> Drawn,
) -> Result<String, ReportError> {
    let mut buf = String::new();
    let result = (|| -> Drawn {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
        Ok(())
    })();
    result.map_err(|e| ReportError::Chart { chart: kind.name(), detail: e.to_string() })?;
    Ok(compact::compact(&buf, title))
}

/// Everything a chart's axes need.
pub(crate) struct Axes<'f> {
    /// Horizontal axis.
    pub x: Scale,
    /// Vertical axis.
    pub y: Scale,
    /// Horizontal axis title, with its unit.
    pub x_desc: String,
    /// Vertical axis title, with its unit.
    pub y_desc: String,
    /// Width of the area left of the plot for y tick labels and title.
    pub y_label_width: u32,
    /// Custom x tick labels.
    pub x_labels: Option<&'f dyn Fn(&f64) -> String>,
    /// Custom y tick labels.
    pub y_labels: Option<&'f dyn Fn(&f64) -> String>,
    /// Most y ticks (categorical axes want one per category).
    pub y_ticks: usize,
}

impl<'f> Axes<'f> {
    /// Axes with the default label width and number formatting.
    pub fn new(x: Scale, y: Scale, x_desc: impl Into<String>, y_desc: impl Into<String>) -> Axes<'f> {
        Axes {
            x,
            y,
            x_desc: x_desc.into(),
            y_desc: y_desc.into(),
            y_label_width: 64,
            x_labels: None,
            y_labels: None,
            y_ticks: 6,
        }
    }
}

/// Builds the plot area with grid, ticks and axis titles.
pub(crate) fn frame<'a, 'b>(root: &'a Area<'b>, axes: &Axes<'_>) -> Result<Chart<'a, 'b>, Box<dyn Error>> {
    let mut chart = ChartBuilder::on(root)
        .margin_top(12)
        .margin_right(18)
        .margin_left(6)
        .margin_bottom(4)
        .x_label_area_size(46)
        .y_label_area_size(axes.y_label_width)
        .build_cartesian_2d(axes.x.clone(), axes.y.clone())?;
    let default_format = |v: &f64| scale::tick_label(*v);
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(8)
        .y_labels(axes.y_ticks)
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .label_style(("sans-serif", 15).into_font().color(&LABEL))
        .axis_desc_style(("sans-serif", 16).into_font().color(&LABEL))
        .x_desc(axes.x_desc.as_str())
        .y_desc(axes.y_desc.as_str())
        .x_label_formatter(axes.x_labels.unwrap_or(&default_format))
        .y_label_formatter(axes.y_labels.unwrap_or(&default_format));
    mesh.draw()?;
    Ok(chart)
}

/// Tick labels of an index axis ([`Scale::index`]) whose positions are
/// the runs named in `names`: blank off the ends.
pub(crate) fn index_label(names: &[String]) -> impl Fn(&f64) -> String + '_ {
    move |v: &f64| {
        if v.round() < 0.0 {
            String::new()
        } else {
            names.get(v.round() as usize).cloned().unwrap_or_default()
        }
    }
}

/// Width for y tick labels of up to `chars` characters plus the axis title.
pub(crate) fn label_width(chars: usize) -> u32 {
    // plotters estimates 0.7 em per character; 12 px text.
    (chars as u32 * 8 + 34).clamp(52, 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plotters_escapes_text_in_svg() {
        // The report relies on plotters escaping label text; a plotters
        // upgrade that stops doing so must fail here, not in a browser.
        let svg = render(ChartKind::Ratios, (200, 100), "t <b>", |root| {
            root.draw(&Text::new("<script>alert(1)</script> & \"q\"", (5, 5), ("sans-serif", 12)))?;
            Ok(())
        })
        .unwrap();
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"), "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("aria-label=\"t &lt;b&gt;\""), "{svg}");
        assert!(!svg.contains("http://"), "{svg}");
    }
}

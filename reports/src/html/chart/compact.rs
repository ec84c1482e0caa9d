//! Shrinking plotters' SVG for inline use: a report of a hundred benchmarks
//! draws tens of thousands of points, and every byte per point counts.
//!
//! * the `xmlns` attribute goes (HTML supplies the namespace), and the root
//!   gets an accessible name instead;
//! * default-valued attributes (`opacity="1"`, the stroke width of unstroked
//!   shapes) go, and the font family is said once on the root;
//! * font sizes are rounded to one decimal;
//! * runs of filled circles with the same paint share it in one `<g>`, so each
//!   point is just `<circle cx cy r/>`.
//!
//! plotters writes one element per line (text content on its own line,
//! escaped), which is what makes this line-based rewriting safe.

use std::fmt::Write;

use maud::Escaper;

/// The compacted SVG, labelled `title` for screen readers.
pub(super) fn compact(svg: &str, title: &str) -> String {
    let mut label = String::new();
    // Writing into a String cannot fail.
    let _ = Escaper::new(&mut label).write_str(title);
    let svg = svg
        .replace(" font-family=\"sans-serif\"", "")
        .replacen(
            " xmlns=\"http://www.w3.org/2000/svg\"",
            &format!(" role=\"img\" aria-label=\"{label}\" font-family=\"sans-serif\""),
            1,
        )
        .replace(" opacity=\"1\"", "")
        .replace(" stroke=\"none\" stroke-width=\"1\"", " stroke=\"none\"");
    group_circles(&round_font_sizes(&svg))
}

/// plotters writes font sizes as `size / 1.24` in full precision
/// (`12.903225806451614`); one decimal is plenty.
fn round_font_sizes(svg: &str) -> String {
    const KEY: &str = " font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find(KEY) {
        let start = i + KEY.len();
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        match rest[start..end].parse::<f64>() {
            Ok(size) => out.push_str(&super::scale::tick_label((size * 10.0).round() / 10.0)),
            Err(_) => out.push_str(&rest[start..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Consecutive filled circles with equal paint, wrapped in a `<g>` that
/// carries the paint. Per-circle `opacity` becomes the group's
/// `fill-opacity`, which is inherited and applied to each circle alone, so
/// overlapping points look exactly as before.
fn group_circles(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut open: Option<String> = None;
    for line in svg.lines() {
        match split_circle(line) {
            Some((geometry, paint)) => {
                if open.as_deref() != Some(paint.as_str()) {
                    if open.is_some() {
                        out.push_str("</g>\n");
                    }
                    out.push_str(&format!("<g {paint}>\n"));
                    open = Some(paint);
                }
                out.push_str(&format!("<circle {geometry}/>\n"));
            }
            None => {
                if open.take().is_some() {
                    out.push_str("</g>\n");
                }
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if open.is_some() {
        out.push_str("</g>\n");
    }
    out
}

/// `<circle cx=".." cy=".." r=".." PAINT stroke="none"/>` as (geometry, paint),
/// for filled, unstroked circles only.
fn split_circle(line: &str) -> Option<(&str, String)> {
    let inner = line.strip_prefix("<circle ")?.strip_suffix("/>")?;
    if !inner.ends_with(" stroke=\"none\"") {
        return None;
    }
    let r = inner.find(" r=\"")? + 4;
    let end = r + inner[r..].find('"')? + 1;
    Some((&inner[..end], inner[end..].trim().replace("opacity=", "fill-opacity=")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circles_share_their_paint() {
        let svg = "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n\
                   <circle cx=\"1\" cy=\"2\" r=\"2\" opacity=\"1\" fill=\"#1F77B4\" stroke=\"none\" stroke-width=\"1\"/>\n\
                   <circle cx=\"3\" cy=\"4\" r=\"2\" opacity=\"1\" fill=\"#1F77B4\" stroke=\"none\" stroke-width=\"1\"/>\n\
                   <circle cx=\"5\" cy=\"6\" r=\"2\" opacity=\"0.5\" fill=\"#FF0000\" stroke=\"none\" stroke-width=\"1\"/>\n\
                   <circle cx=\"5\" cy=\"6\" r=\"2\" fill=\"none\" stroke=\"#FF0000\" stroke-width=\"1\"/>\n\
                   <text x=\"1\" y=\"1\" font-family=\"sans-serif\" font-size=\"12.903225806451614\">\n&lt;circle cx=\"1\"/&gt;\n</text>\n</svg>\n";
        let want = "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" role=\"img\" aria-label=\"a &lt;b&gt;\" font-family=\"sans-serif\">\n\
                    <g fill=\"#1F77B4\" stroke=\"none\">\n<circle cx=\"1\" cy=\"2\" r=\"2\"/>\n<circle cx=\"3\" cy=\"4\" r=\"2\"/>\n</g>\n\
                    <g fill-opacity=\"0.5\" fill=\"#FF0000\" stroke=\"none\">\n<circle cx=\"5\" cy=\"6\" r=\"2\"/>\n</g>\n\
                    <circle cx=\"5\" cy=\"6\" r=\"2\" fill=\"none\" stroke=\"#FF0000\" stroke-width=\"1\"/>\n\
                    <text x=\"1\" y=\"1\" font-size=\"12.9\">\n&lt;circle cx=\"1\"/&gt;\n</text>\n</svg>\n";
        assert_eq!(compact(svg, "a <b>"), want);
    }
}

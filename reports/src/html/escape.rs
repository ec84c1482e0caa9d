//! Escaping for HTML text and attribute values.
//!
//! Every string that comes from a user or a machine (benchmark names,
//! commands, parameters, host names, the command line, environment fields)
//! goes through [`Escaped`] on its way into the page, so a benchmark named
//! `<script>alert(1)</script>` shows as text. Text inside charts is escaped by
//! plotters' SVG backend itself (checked by a test in `chart`).

use std::fmt;

/// Displays a string with `& < > " '` replaced by character references; safe
/// in element content and in quoted attribute values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// Shorthand for [`Escaped`].
pub(crate) fn esc(s: &str) -> Escaped<'_> {
    Escaped(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(esc("<script>alert(1)</script>").to_string(), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(esc(r#"a "b" & 'c'"#).to_string(), "a &quot;b&quot; &amp; &#39;c&#39;");
        assert_eq!(esc("µs ± σ").to_string(), "µs ± σ");
        assert_eq!(esc("").to_string(), "");
    }
}

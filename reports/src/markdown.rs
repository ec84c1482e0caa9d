//! Markdown export: hyperfine's table for pull requests and READMEs, with
//! the figures of the [markup table](crate::markup).
//!
//! Names are shown as code spans, which keeps `<`, `*` and `_` literal; `|`
//! is escaped so it cannot end a cell, and line breaks become spaces.

use crate::markup::{self, Align, MarkupExporter, Syntax};

/// The Markdown format: the [markup table](crate::markup) in its syntax.
pub type Markdown = MarkupExporter<MarkdownSyntax>;

/// The syntax of the format.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownSyntax;

impl Syntax for MarkdownSyntax {
    const EXTENSION: &'static str = "md";

    fn table(&self, header: &[String], align: &[Align], rows: &[Vec<String>]) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let rule: String = align.iter().map(|a| if *a == Align::Left { ":---|" } else { "---:|" }).collect();
        let mut out = line(header);
        out.push('|');
        out.push_str(&rule);
        out.push('\n');
        rows.iter().for_each(|r| out.push_str(&line(r)));
        out
    }

    fn heading(&self, title: &str) -> String {
        format!("## {title}\n\n")
    }

    fn code(&self, text: &str) -> String {
        code_span(text)
    }

    fn emphasis(&self, text: &str) -> String {
        format!("_{text}_")
    }
}

/// `s` as a Markdown code span that is safe inside a table cell: a fence
/// longer than any run of backticks inside, `|` escaped, no line breaks.
fn code_span(s: &str) -> String {
    let flat = markup::one_line(s).replace('|', "\\|");
    let longest = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Exporter, ReportError};

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code_span("sleep 0.1"), "`sleep 0.1`");
        assert_eq!(code_span("a | b"), "`a \\| b`");
        assert_eq!(code_span("echo `date`"), "`` echo `date` ``");
        assert_eq!(code_span("two\nlines"), "`two lines`");
        assert_eq!(code_span("<script>"), "`<script>`");
    }

    #[test]
    fn no_runs_is_an_error() {
        assert!(matches!(Markdown::default().render(&[]), Err(ReportError::Empty)));
    }
}

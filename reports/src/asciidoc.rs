//! AsciiDoc export (`--export-asciidoc`): the [markup table](crate::markup)
//! as an AsciiDoc table, as hyperfine writes one (`[cols="<,>,…"]` and
//! `|===`), for documentation built with Asciidoctor.
//!
//! Commands are monospace (`` `…` ``, literal with `+…+` inside so that
//! markup characters stay as typed); `|` is escaped as `\|` so that it
//! cannot end a cell.

use crate::markup::{self, Align, MarkupExporter, Syntax};

/// The Asciidoc format: the [markup table](crate::markup) in its syntax.
pub type Asciidoc = MarkupExporter<AsciidocSyntax>;

/// The syntax of the format.
#[derive(Debug, Clone, Copy, Default)]
pub struct AsciidocSyntax;

impl Syntax for AsciidocSyntax {
    const EXTENSION: &'static str = "adoc";

    fn table(&self, header: &[String], align: &[Align], rows: &[Vec<String>]) -> String {
        let cols: Vec<&str> = align.iter().map(|a| if *a == Align::Left { "<" } else { ">" }).collect();
        let mut out = format!("[cols=\"{}\", options=\"header\"]\n|===\n", cols.join(","));
        let row = |cells: &[String]| cells.iter().map(|c| format!("| {}\n", cell(c))).collect::<String>();
        out.push_str(&row(header));
        for r in rows {
            out.push('\n');
            out.push_str(&row(r));
        }
        out.push_str("|===\n");
        out
    }

    fn heading(&self, title: &str) -> String {
        format!("== {}\n\n", markup::one_line(title))
    }

    fn code(&self, text: &str) -> String {
        // `+…+` passes the text through literally; a `+` inside would end it.
        format!("`+{}+`", markup::one_line(text).replace('+', "{plus}"))
    }

    fn emphasis(&self, text: &str) -> String {
        format!("_{text}_")
    }
}

/// A cell's text with `|` escaped: unescaped, it starts a new cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Exporter, ReportError};

    #[test]
    fn pipes_and_pluses_stay_literal() {
        assert_eq!(AsciidocSyntax.code("a + b"), "`+a {plus} b+`");
        assert_eq!(cell(&AsciidocSyntax.code("a | b")), "`+a \\| b+`");
        assert!(matches!(Asciidoc::default().render(&[]), Err(ReportError::Empty)));
    }
}

//! Org export (`--export-orgmode`): the [markup table](crate::markup) as an
//! Emacs Org table, as hyperfine writes one (`| … |` rows under a
//! `|--+--|` rule), for notes kept in Org.
//!
//! Commands are verbatim (`=…=`); a `|` inside a cell is written as Org's
//! `\vert{}` entity, which Org shows as `|` without ending the cell.

use crate::markup::{self, Align, MarkupExporter, Syntax};

/// The Orgmode format: the [markup table](crate::markup) in its syntax.
pub type Orgmode = MarkupExporter<OrgSyntax>;

/// The syntax of the format.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrgSyntax;

impl Syntax for OrgSyntax {
    const EXTENSION: &'static str = "org";

    fn table(&self, header: &[String], _align: &[Align], rows: &[Vec<String>]) -> String {
        // Org aligns columns itself (numbers to the right) when it reformats.
        let line =
            |cells: &[String]| format!("| {} |\n", cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
        let mut out = line(header);
        out.push_str(&format!("|{}|\n", vec!["--"; header.len()].join("+")));
        rows.iter().for_each(|r| out.push_str(&line(r)));
        out
    }

    fn heading(&self, title: &str) -> String {
        format!("* {}\n\n", markup::one_line(title))
    }

    fn code(&self, text: &str) -> String {
        format!("={}=", markup::one_line(text))
    }

    fn emphasis(&self, text: &str) -> String {
        format!("/{text}/")
    }
}

/// A cell's text with `|` as Org's `\vert{}`: unescaped, it ends the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\vert{}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Exporter, ReportError};

    #[test]
    fn pipes_stay_in_their_cell() {
        assert_eq!(cell(&OrgSyntax.code("a | b")), "=a \\vert{} b=");
        let table = OrgSyntax.table(&["A".into(), "B".into()], &[Align::Left, Align::Right], &[]);
        assert_eq!(table, "| A | B |\n|--+--|\n");
        assert!(matches!(Orgmode::default().render(&[]), Err(ReportError::Empty)));
    }
}

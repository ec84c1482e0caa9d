//! Done-when test of issue 11's templates: every kind of page, with hostile
//! strings in every user-supplied field, has no markup but its own. A page
//! that copied one string unescaped would show an element outside the
//! allow-list below, a second `</title>`, or the raw string itself.

use metron_report::{Exporter, Html, Redaction};

use crate::common::{self, HOSTILE_STRINGS};

/// Every element the page and plotters' SVG legitimately write.
const ELEMENTS: &[&str] = &[
    "!DOCTYPE",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "header",
    "nav",
    "footer",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "li",
    "a",
    "div",
    "span",
    "code",
    "pre",
    "sup",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "svg",
    "g",
    "rect",
    "circle",
    "polyline",
    "polygon",
    "path",
    "line",
    "text",
];

/// The name of each element opened or closed in `page`.
fn element_names(page: &str) -> impl Iterator<Item = &str> {
    page.split('<').skip(1).map(|rest| {
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        &rest[..end]
    })
}

/// Every attribute of every tag in `page`, as (name, value). Values are in
/// double quotes and an escaped value has no `"`, so splitting a tag at
/// quotes alternates between names and values.
fn attributes(page: &str) -> Vec<(&str, &str)> {
    let tags = page.split('<').skip(1).filter_map(|t| t.split('>').next());
    let mut found = Vec::new();
    for tag in tags {
        let parts: Vec<&str> = tag.split('"').collect();
        for pair in parts.chunks(2) {
            if let [outside, value] = pair {
                let name = outside.trim_end_matches('=').rsplit(char::is_whitespace).next().unwrap_or("");
                found.push((name, *value));
            }
        }
    }
    found
}

fn check(what: &str, page: &str) {
    for name in element_names(page) {
        assert!(ELEMENTS.contains(&name), "{what}: an element <{name}> that the page does not write");
    }
    for (tag, most) in [("</title>", 1), ("</style>", 1), ("<body", 1)] {
        assert_eq!(page.matches(tag).count(), most, "{what}: {tag} appears more than once");
    }
    // A string without `& < > "` is plain text wherever it lands (the page
    // puts no user text into URLs: every href is checked below).
    for hostile in HOSTILE_STRINGS.iter().filter(|h| h.contains(['&', '<', '>', '"'])) {
        assert!(!page.contains(hostile), "{what}: {hostile:?} is in the page unescaped");
    }
    assert!(!page.contains("<!--") && !page.contains("]]>"), "{what}: a comment or CDATA end");
    for (name, value) in attributes(page) {
        let lower = name.to_ascii_lowercase();
        assert!(!lower.starts_with("on"), "{what}: an event handler attribute {name}");
        if lower == "href" || lower == "src" {
            assert!(value.starts_with('#'), "{what}: {name}=\"{value}\" points outside the page");
        }
    }
    // The strings are there, as text.
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{what}: the hostile name is not shown");
    assert!(page.contains("&quot;'&amp;&lt;&gt;"), "{what}: quotes and ampersands are not shown escaped");
}

#[test]
fn no_hostile_string_escapes_on_any_kind_of_page() {
    for (what, runs) in common::hostile_pages() {
        for redaction in [Redaction::Keep, Redaction::LocalDetails] {
            let page = Html { redaction }.render(&runs).unwrap_or_else(|e| panic!("{what}: {e}"));
            check(what, &page);
        }
    }
}

#[test]
fn every_field_is_on_the_page_as_text() {
    // The check above is only worth something if the hostile fields are
    // shown at all: each page kind shows what makes it that kind.
    let pages = common::hostile_pages();
    let shown = |kind: &str, k: usize| {
        let (_, runs) = pages.iter().find(|(what, _)| *what == kind).unwrap();
        let page = Html::default().render(runs).unwrap();
        let text = common::hostile(k).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        page.contains(&text.replace('"', "&quot;"))
    };
    for k in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 20, 40, 50, 70, 71, 73, 80, 90] {
        assert!(shown("a single run", k), "field {k} of a single run is not shown");
    }
    assert!(shown("several runs with history", 101), "the later run's label");
    for k in [110, 120, 122, 124] {
        assert!(shown("a run with a baseline comparison", k), "baseline field {k}");
    }
    for k in [130, 131, 132, 140] {
        assert!(shown("a multi-host merged run", k), "host field {k}");
    }
    for k in [150, 151, 152, 153, 154, 155, 156, 157] {
        assert!(shown("a suite run with extensions", k), "extension field {k}");
    }
    for k in [160, 161, 162, 163, 164] {
        assert!(shown("a run with failures", k), "failure field {k}");
    }
}

#[test]
fn a_meaningless_serial_fraction_is_a_dash_with_a_footnote() {
    let pages = common::hostile_pages();
    let (_, runs) = pages.iter().find(|(what, _)| *what == "a suite run with extensions").unwrap();
    let page = Html::default().render(runs).unwrap();
    assert!(!page.contains(">15.03<"), "a serial fraction of 15.03 is shown");
    assert!(page.contains("<td title=\"15.03\">—<sup>*</sup></td>") && page.contains("<td>0.25</td>"));
    assert!(page.contains("Karp–Flatt serial fraction outside [0, 1] is not shown"));
}

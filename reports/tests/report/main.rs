//! Integration tests of the public API, one module per concern. Fixtures are
//! built in code (seeded, deterministic) by `tests/common`.

#[path = "../common/mod.rs"]
mod common;

mod csv;
mod escaping;
mod extreme;
mod history;
mod hostile;
mod html;
mod markdown;
mod site;
mod throughput;

/// The `<figure …>…</figure>` elements of a page with their `data-chart` kind.
pub fn figures(page: &str) -> Vec<(&str, &str)> {
    page.split("<figure")
        .skip(1)
        .map(|f| {
            let body = f.split("</figure>").next().unwrap_or("");
            let kind = body.split("data-chart=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("");
            (kind, body)
        })
        .collect()
}

/// How many figures of `kind` the page has.
pub fn count(page: &str, kind: &str) -> usize {
    figures(page).iter().filter(|(k, _)| *k == kind).count()
}

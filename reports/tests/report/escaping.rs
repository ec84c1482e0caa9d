//! Every user-supplied string is escaped everywhere: tables, captions,
//! legends, and text inside the SVG charts.

use metron_report::render_html;

use crate::common::{self, HOSTILE_NAME};
use crate::figures;

const ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";

fn hostile_page() -> String {
    render_html(&[common::hostile_report()]).expect("render")
}

#[test]
fn hostile_names_never_become_markup() {
    let page = hostile_page();
    assert!(!page.contains(HOSTILE_NAME), "the raw name is in the page");
    assert!(!page.contains("<img"), "an img element from a command name");
    assert!(!page.contains("<b>host"), "markup from the host name");
    assert!(!page.contains("<i>h</i>"), "markup from a failure's host");
}

#[test]
fn names_are_escaped_in_the_tables() {
    let page = hostile_page();
    let summary = page.split("<table class=\"summary\">").nth(1).unwrap().split("</table>").next().unwrap();
    assert!(summary.contains(&format!("<a href=\"#r1-b1\">{ESCAPED}</a>")), "{summary}");
    assert!(summary.contains("echo &lt;img src=x onerror=alert(2)&gt;"));
    assert!(page.contains(&format!("<h4>{ESCAPED}</h4>")), "benchmark heading");
    assert!(page.contains(&format!("<li>{ESCAPED}</li>")), "conclusion");
    assert!(page.contains(&format!("<h3>{ESCAPED}</h3>")), "extension table title");
    assert!(page.contains(&format!("<th>{ESCAPED}</th>")) && page.contains(&format!("<td>{ESCAPED}</td>")));
    assert!(page.contains("<td>&quot;&amp;&lt;&gt;&quot;</td>"), "failure reason");
    assert!(page.contains("<title>metron report: beca3dd+ · 2024-05-01T12:00:00Z on &lt;b&gt;host&lt;/b&gt;</title>"));
}

#[test]
fn the_command_line_is_escaped() {
    let page = hostile_page();
    // maud escapes `&<>"`; a single quote is harmless in text and in the
    // double-quoted attributes maud writes.
    let expected = format!("<code>metron 'say &quot;&amp;&lt;&gt;&quot;' '{ESCAPED}'</code>");
    assert!(page.contains(&expected), "command line not shown escaped");
    assert!(page.contains("<pre class=\"command\"><code>echo '&lt;script&gt;alert(1)&lt;/script&gt;' &quot;&amp;&lt;&gt;&quot;</code></pre>"));
}

#[test]
fn svg_text_is_escaped() {
    let page = hostile_page();
    let ratios = figures(&page).into_iter().find(|(k, _)| *k == "ratios").expect("ratios chart").1;
    let svg = ratios.split("</svg>").next().unwrap();
    let label = svg.split("<text").skip(1).find(|t| t.contains("alert(1)")).expect("the name as an axis label");
    assert!(label.contains(ESCAPED), "{label}");
    let scaling = figures(&page).into_iter().find(|(k, _)| *k == "scaling").expect("scaling chart").1;
    assert!(scaling.contains(&format!("</span>{ESCAPED}</li>")), "legend entry");
    assert!(scaling.contains(&format!("for {ESCAPED};")), "caption");
    let axis = scaling.split("<text").skip(1).find(|t| t.contains("n&gt;")).expect("the parameter as the x axis title");
    assert!(axis.contains(">\n&lt;n&gt;\n</text>"), "{axis}");
    assert!(!scaling.contains("<n>"));
}

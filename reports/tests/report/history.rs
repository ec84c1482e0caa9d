//! The history chart appears only when at least two runs share benchmark ids.

use metron_report::render_html;

use crate::common;
use crate::count;

#[test]
fn one_run_has_no_history() {
    let page = render_html(&[common::history_run("2024-05-01T12:00:00Z", 1.0, 1)]).unwrap();
    assert_eq!(count(&page, "history"), 0);
    assert!(!page.contains("id=\"history\""));
}

#[test]
fn runs_without_shared_ids_have_no_history() {
    let a = common::history_run("2024-05-01T12:00:00Z", 1.0, 1);
    let mut b = common::history_run("2024-05-02T12:00:00Z", 1.0, 2);
    for bench in &mut b.benchmarks {
        bench.group = Some("other".into());
    }
    let page = render_html(&[a, b]).unwrap();
    assert_eq!(count(&page, "history"), 0);
}

#[test]
fn shared_ids_get_a_history_chart_and_table() {
    let runs = [
        common::history_run("2024-05-01T12:00:00Z", 1.0, 1),
        common::history_run("2024-05-02T12:00:00Z", 1.2, 2),
        common::history_run("2024-05-03T12:00:00Z", 0.9, 3),
    ];
    let page = render_html(&runs).unwrap();
    assert_eq!(count(&page, "history"), 1);
    let history = page.split("<section id=\"history\"").nth(1).unwrap().split("</section>").next().unwrap();
    for label in ["2024-05-01 12:00", "2024-05-02 12:00", "2024-05-03 12:00"] {
        assert!(history.contains(label), "run label {label}");
    }
    for id in ["io/parse", "io/render", "io/write"] {
        assert!(history.contains(&format!("</span>{id}</li>")), "legend {id}");
        assert!(history.contains(&format!("<td class=\"name\">{id}</td>")), "table row {id}");
    }
    assert!(history.contains("median time per iteration (µs)"));
    assert!(history.contains("<h3>Run 2 → run 3</h3>"), "the last run against the one before");
    assert_eq!(count(history, "overlay"), 3, "each changed benchmark's old and new distributions");
    assert!(history.contains("ratio to the median of <code>io/parse</code> in the same run"));
    assert!(page.contains("<a href=\"#history\">History across runs</a>"));
    assert_eq!(page.matches("<section class=\"run\"").count(), 3, "every run still has its own section");
}

#[test]
fn many_benchmarks_are_split_over_several_charts() {
    let make = |started: &str, seed: u64| {
        let mut r = common::large_report(20, 20);
        r.environment.started_at = started.to_string();
        r.benchmarks.iter_mut().for_each(|b| b.samples.iter_mut().for_each(|s| s.at_ns += seed));
        r
    };
    let page = render_html(&[make("2024-05-01T00:00:00Z", 0), make("2024-05-02T00:00:00Z", 1)]).unwrap();
    assert_eq!(count(&page, "history"), 3, "20 ids at 8 per chart");
}

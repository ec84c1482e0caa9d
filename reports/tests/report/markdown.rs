//! The Markdown table: hyperfine's layout with the median, its CI and the verdict.

use metron_report::{render_markdown, Exporter, Markdown};

use crate::common;

#[test]
fn fixed_report_table() {
    let md = render_markdown(&common::fixed_report());
    let expected = "\
| Command | Median [ms] | 95% CI [ms] | Mean ± σ [ms] | Min [ms] | Max [ms] | Relative | Verdict |
|:---|---:|---:|---:|---:|---:|---:|:---|
| `sleep 0.05` | 1.000 | 0.9900 – 1.010 | 1.010 ± 0.02000 | 0.9500 | 1.200 | 1.00 (reference) |  |
| `g,1/sleep 0.1 \\| cat` | 2.000 | 1.980 – 2.020 | 2.020 ± 0.04000 | 1.900 | 2.400 | 2.00 (1.90–2.10) | slower, p < 0.001 (rule: p < 0.01 and the whole 95% CI of the ratio above 1 + 0.3%) |
";
    assert_eq!(md, expected);
}

#[test]
fn baseline_verdicts_and_hyperfine_relative() {
    let report = common::rich_report();
    let md = render_markdown(&report);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines.len(), 2 + report.benchmarks.len());
    assert!(lines[0].starts_with("| Command | Median [ns] |"), "unit of the fastest median: {}", lines[0]);
    assert!(
        lines.iter().skip(2).all(|l| l.contains("improved, -") && l.contains(" → ")),
        "baseline verdict and old → new in every row"
    );
    let mut plain = common::history_run("2024-05-01T12:00:00Z", 1.0, 1);
    plain.interrupted = true;
    let md = render_markdown(&plain);
    assert!(md.contains("| `io/parse` |") && md.contains(" | 1.00 |  |"), "fastest is 1.00 without comparisons:\n{md}");
    assert!(md.contains("_The run was interrupted"));
}

#[test]
fn several_runs_get_headings() {
    let runs = [common::fixed_report(), common::history_run("2024-05-02T12:00:00Z", 1.0, 1)];
    let md = Markdown::default().render(&runs).unwrap();
    assert!(md.starts_with("## Run 1: beca3dd+ · 2024-05-01T12:00:00Z on h\n\n| Command"), "{md}");
    assert!(md.contains("\n## Run 2: beca3dd+ · 2024-05-02T12:00:00Z on ci-runner\n"));
    assert!(!md.contains("→ run 2"), "runs without a shared benchmark are not compared");
    assert_eq!(Markdown::default().extension(), "md");
}

#[test]
fn two_runs_share_one_reference_and_are_compared_old_to_new() {
    let mut later = common::history_run("2024-05-02T12:00:00Z", 1.3, 2);
    later.label = Some("after".into());
    // The later run lists another benchmark first: the reference stays io/parse.
    later.benchmarks.rotate_left(1);
    let md = Markdown::default().render(&[common::history_run("2024-05-01T12:00:00Z", 1.0, 1), later]).unwrap();
    assert!(md.contains("## Run 2: after · beca3dd+ · 2024-05-02T12:00:00Z on ci-runner"), "{md}");
    assert_eq!(md.matches("median of `io/parse` in the same run").count(), 2, "{md}");
    let change = md.split("## Run 1 → run 2\n").nth(1).expect("the two runs compared");
    assert!(change.starts_with("\n| Benchmark | Old → new | Change [95% CI] | Verdict |"), "{change}");
    assert!(
        change.contains("| `io/parse` | 1.012 µs → 1.324 µs |")
            && change.contains("regressed, p < 0.001 (rule: both tests"),
        "{change}"
    );
}

#[test]
fn asciidoc_and_org_show_the_same_table() {
    use metron::time::TimeUnit;
    use metron_report::{Asciidoc, Orgmode, Redaction};
    let report = common::fixed_report();
    let adoc = Asciidoc::default().render(std::slice::from_ref(&report)).unwrap();
    let expected = "\
[cols=\"<,>,>,>,>,>,>,<\", options=\"header\"]
|===
| Command
| Median [ms]
| 95% CI [ms]
| Mean ± σ [ms]
| Min [ms]
| Max [ms]
| Relative
| Verdict

| `+sleep 0.05+`
| 1.000
| 0.9900 – 1.010
| 1.010 ± 0.02000
| 0.9500
| 1.200
| 1.00 (reference)
| 

| `+g,1/sleep 0.1 \\| cat+`
| 2.000
| 1.980 – 2.020
| 2.020 ± 0.04000
| 1.900
| 2.400
| 2.00 (1.90–2.10)
| slower, p < 0.001 (rule: p < 0.01 and the whole 95% CI of the ratio above 1 + 0.3%)
|===
";
    assert_eq!(adoc, expected);
    let org = Orgmode::new(Redaction::Keep, Some(TimeUnit::Microseconds)).render(&[report]).unwrap();
    let expected = "\
| Command | Median [µs] | 95% CI [µs] | Mean ± σ [µs] | Min [µs] | Max [µs] | Relative | Verdict |
|--+--+--+--+--+--+--+--|
| =sleep 0.05= | 1000 | 990.0 – 1010 | 1010 ± 20.00 | 950.0 | 1200 | 1.00 (reference) |  |
| =g,1/sleep 0.1 \\vert{} cat= | 2000 | 1980 – 2020 | 2020 ± 40.00 | 1900 | 2400 | 2.00 (1.90–2.10) | slower, p < 0.001 (rule: p < 0.01 and the whole 95% CI of the ratio above 1 + 0.3%) |
";
    assert_eq!(org, expected);
}

//! Throughput in every table format: the rate at the median with its 95%
//! CI, from the amount a benchmark declared per iteration.

use metron::throughput::Throughput;
use metron_report::{render_csv, render_html, render_markdown};

use crate::common;

/// The fixed report with 1 MiB per iteration on the first benchmark
/// (median 1 ms, CI 0.99–1.01 ms) and 1,000 elements on the second
/// (median 2 ms, CI 1.98–2.02 ms).
fn report() -> metron::RunRecord {
    let mut report = common::fixed_report();
    report.benchmarks[0].set_throughput(Some(Throughput::Bytes(1 << 20)));
    report.benchmarks[1].set_throughput(Some(Throughput::Elements(1000)));
    report
}

// 1 MiB / 1 ms = 1000 MiB/s; over 1.01 ms and 0.99 ms: 990.1 and 1010 MiB/s.
const BYTES: &str = "1000 MiB/s [990.1 MiB/s … 1010 MiB/s]";
// 1000 / 2 ms = 500 Kelem/s; over 2.02 ms and 1.98 ms: 495.0 and 505.1 Kelem/s.
const ELEMENTS: &str = "500.0 Kelem/s [495.0 Kelem/s … 505.1 Kelem/s]";

#[test]
fn markdown_has_a_throughput_column_only_when_declared() {
    let md = render_markdown(&report());
    let lines: Vec<&str> = md.lines().collect();
    assert!(lines[0].contains("| Max [ms] | Throughput [95% CI] | Relative |"), "{md}");
    assert_eq!(lines[1].matches("---").count(), lines[0].matches(" | ").count() + 1, "{md}");
    assert!(lines[2].contains(&format!("| {BYTES} |")), "{md}");
    assert!(lines[3].contains(&format!("| {ELEMENTS} |")), "{md}");
    assert!(!render_markdown(&common::fixed_report()).contains("Throughput"));
}

#[test]
fn csv_adds_the_rate_columns() {
    let csv = render_csv(&report());
    let lines: Vec<&str> = csv.lines().collect();
    // After the fixed columns and any parameter_NAME columns.
    assert!(lines[0].ends_with(
        ",throughput_unit,throughput_per_iteration,throughput_median_per_s,throughput_ci_lo_per_s,throughput_ci_hi_per_s"
    ), "{}", lines[0]);
    // Bytes per second over the median time and the ends of its CI (ns).
    let per_s = |ns: f64| 1048576.0 * 1e9 / ns;
    let expected = format!(",bytes,1048576,{},{},{}", per_s(1e6), per_s(1e6 * 1.01), per_s(1e6 * 0.99));
    assert!(lines[1].ends_with(&expected), "{}", lines[1]);
    assert!(lines[2].contains(",elements,1000,500000,"), "{}", lines[2]);
    assert!(!render_csv(&common::fixed_report()).contains("throughput"));
}

#[test]
fn html_shows_rates_in_the_summary_and_the_facts() {
    let page = render_html(&[report()]).unwrap();
    assert!(page.contains("Throughput [95% CI]"));
    assert!(page.contains(BYTES) && page.contains(ELEMENTS));
    assert!(page.contains("1,048,576 bytes per iteration"), "the facts say the declared amount");
}

//! CSV exports: one row per benchmark or per sample, quoted as RFC 4180 asks.

use metron_report::{render_csv, render_csv_samples, Csv, CsvSamples, Exporter};

use crate::common;

#[test]
fn one_row_per_benchmark() {
    let csv = render_csv(&common::fixed_report());
    let expected = "\
id,name,group,parameters,clock,n,median_ns,median_ci_lo_ns,median_ci_hi_ns,mean_ns,std_dev_ns,min_ns,max_ns,p5_ns,p95_ns,cpu_median_ns,cpu_wall,max_rss_kib,stop_reason,host,user_mean_ns,system_mean_ns,parameter_k,parameter_x
sleep 0.05,sleep 0.05,,,wall,10,1000000,990000,1010000,1010000,20000,950000,1200000,960000,1100000,500000,0.5,1024,fixed-runs,,,,,
\"g,1/sleep 0.1 | cat\",sleep 0.1 | cat,\"g,1\",k=v;x=1,wall,10,2000000,1980000,2020000,2020000,40000,1900000,2400000,1920000,2200000,1000000,0.5,1024,fixed-runs,,,,v,1
";
    assert_eq!(csv, expected);
}

#[test]
fn user_and_system_columns_are_means_per_iteration() {
    let mut report = common::fixed_report();
    report.benchmarks.truncate(1);
    for (i, s) in report.benchmarks[0].samples.iter_mut().enumerate() {
        s.iterations = 2;
        (s.user_ns, s.sys_ns) = (Some(300.0 + 200.0 * i as f64), Some(100.0));
    }
    let csv = render_csv(&report);
    let row = csv.lines().nth(1).unwrap();
    // Per iteration: users 150 and 250 (mean 200), systems 50 and 50.
    assert!(row.ends_with(",fixed-runs,,200,50"), "{row}");
}

#[test]
fn quotes_and_newlines_are_quoted() {
    let mut report = common::fixed_report();
    report.benchmarks[0].name = "say \"hi\"\nthere".into();
    let csv = render_csv(&report);
    assert!(csv.contains("\"say \"\"hi\"\"\nthere\""), "{csv}");
}

#[test]
fn one_row_per_sample() {
    let csv = render_csv_samples(&common::fixed_report());
    let expected = "\
id,sample,round,iterations,wall_ns,cpu_ns,user_ns,sys_ns,max_rss_kib,at_ns
sleep 0.05,0,0,1,1000000,500000,,,1024,0
sleep 0.05,1,1,1,1000000,500000,,,1024,1000
\"g,1/sleep 0.1 | cat\",0,0,1,2000000,1000000,,,1024,0
\"g,1/sleep 0.1 | cat\",1,1,1,2000000,1000000,,,1024,1000
";
    assert_eq!(csv, expected);
    let rich = common::rich_report();
    let rows = render_csv_samples(&rich).lines().count() - 1;
    assert_eq!(rows, rich.benchmarks.iter().map(|b| b.samples.len()).sum::<usize>());
}

#[test]
fn several_runs_share_one_header() {
    let runs = [common::fixed_report(), common::fixed_report()];
    let csv = Csv.render(&runs).unwrap();
    assert_eq!(csv.lines().count(), 1 + 4);
    assert_eq!(csv.matches("id,name,").count(), 1);
    assert_eq!(Csv.extension(), "csv");
    assert_eq!(CsvSamples.render(&runs).unwrap().matches("id,sample,").count(), 1);
}

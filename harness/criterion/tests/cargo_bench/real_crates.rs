//! The criterion benches of adler2, base64, bytecount and itertools (see
//! `tests/real_crates/README.md`), copied unchanged, built and run with
//! `cargo bench` against `metron-criterion`: what they list, print and
//! write, with the throughput each declares.

use metron::model::RateUnit;
use metron::RunRecord;

use crate::{cargo_bench, cargo_bench_with, fixture, load, stdout};

/// Every benchmark in `run` has one bytes rate of `bytes` per iteration,
/// its figures the amount over the median time, its CI around it.
fn assert_bytes_rates(run: &RunRecord, bytes_of: impl Fn(&str) -> u64) {
    for b in &run.benchmarks {
        let [rate] = b.throughput.as_slice() else { panic!("{}: {:?}", b.id(), b.throughput) };
        assert_eq!((rate.unit, rate.per_iteration), (RateUnit::Bytes, bytes_of(&b.id())), "{}", b.id());
        let expected = rate.per_iteration as f64 * 1e9 / b.headline().median;
        assert!((rate.median_per_s / expected - 1.0).abs() < 1e-9, "{}", b.id());
        assert!(rate.median_ci_per_s.contains(rate.median_per_s), "{}: {:?}", b.id(), rate);
    }
}

#[test]
fn adler2_benches_run_unchanged() {
    let dir = fixture("real_crates/adler2");
    let listed = stdout(&cargo_bench(dir.path(), &["--list"]));
    let ids: Vec<&str> = listed.lines().filter_map(|l| l.strip_suffix(": benchmark")).collect();
    assert_eq!(ids.len(), 10, "{listed}");
    assert!(ids.contains(&"simple-100b/zeroes-100") && ids.contains(&"chunked-16m/64k"), "{ids:?}");

    let json = dir.path().join("run.json");
    let json_arg = json.display().to_string();
    let out = cargo_bench(dir.path(), &["--runs", "3", "--warmup", "0", "--export-json", &json_arg, "simple-"]);
    let text = stdout(&out);
    assert!(text.contains("Benchmark 1: simple-100b/zeroes-100"), "{text}");
    assert!(text.contains("Thrpt (wall, median, 95% CI)"), "{text}");
    let run = load(&json);
    assert_eq!(run.benchmarks.len(), 6, "the filter keeps the simple-* groups");
    assert_bytes_rates(&run, |id| match id.split('/').next() {
        Some("simple-100b") => 100,
        Some("simple-1k") => 1024,
        _ => 1024 * 1024,
    });
}

#[test]
fn base64_benches_run_unchanged() {
    let dir = fixture("real_crates/base64");
    let listed = stdout(&cargo_bench(dir.path(), &["--list"]));
    assert!(listed.contains("encode_small_input/encode/3072: benchmark"), "{listed}");
    assert!(listed.contains("decode_large_input/decode_stream/31457280: benchmark"), "{listed}");
    // Seven encoders and four decoders, each over five small and three large sizes.
    assert_eq!(listed.lines().count(), 7 * (5 + 3) + 4 * (5 + 3), "{listed}");

    let json = dir.path().join("run.json");
    let json_arg = json.display().to_string();
    let out = cargo_bench(dir.path(), &["--runs", "3", "--warmup", "0", "--export-json", &json_arg, "code/500"]);
    let text = stdout(&out);
    assert!(text.contains("Benchmark 1: encode_small_input/encode/500"), "{text}");
    let run = load(&json);
    let ids: Vec<String> = run.benchmarks.iter().map(|b| b.id()).collect();
    assert_eq!(ids, ["encode_small_input/encode/500", "decode_small_input/decode/500"]);
    assert_eq!(run.benchmarks[0].parameters.get("parameter").map(String::as_str), Some("500"));
    assert_bytes_rates(&run, |_| 500);
}

#[test]
fn bytecount_benches_with_a_config_function_run_unchanged() {
    let dir = fixture("real_crates/bytecount");
    // The bench's own knob: the input sizes it measures.
    let counts = [("COUNTS", "10,1000")];
    let listed = stdout(&cargo_bench_with(dir.path(), &["--list"], &counts));
    assert_eq!(listed.lines().count(), 3 * 2 + 2 * 2, "{listed}");
    assert!(listed.contains("counts/naive_32/1000: benchmark") && listed.contains("num_chars/hyper/10: benchmark"));

    let json = dir.path().join("run.json");
    let json_arg = json.display().to_string();
    let args = ["--runs", "3", "--warmup", "0", "--export-json", &json_arg, "/1000"];
    let text = stdout(&cargo_bench_with(dir.path(), &args, &counts));
    assert!(text.contains("Benchmark 1: counts/naive/1000"), "{text}");
    let run = load(&json);
    let ids: Vec<String> = run.benchmarks.iter().map(|b| b.id()).collect();
    assert_eq!(
        ids,
        [
            "counts/naive/1000",
            "counts/naive_32/1000",
            "counts/hyper/1000",
            "num_chars/naive/1000",
            "num_chars/hyper/1000"
        ]
    );
    assert_bytes_rates(&run, |_| 1000);
}

#[test]
fn itertools_benches_with_iter_batched_run_unchanged() {
    let dir = fixture("real_crates/itertools");
    let listed = stdout(&cargo_bench(dir.path(), &["--list"]));
    assert_eq!(listed.lines().count(), 39, "{listed}");

    let json = dir.path().join("run.json");
    let json_arg = json.display().to_string();
    let args = ["--runs", "3", "--warmup", "0", "--export-json", &json_arg, "vec iter mut partition"];
    let text = stdout(&cargo_bench(dir.path(), &args));
    assert!(text.contains("Benchmark 1: vec iter mut partition") && !text.contains("Thrpt"), "{text}");
    let run = load(&json);
    let [b] = run.benchmarks.as_slice() else { panic!("{:?}", run.benchmarks) };
    assert!(b.throughput.is_empty() && b.samples.len() == 3 && b.wall.median > 0.0, "{b:?}");
}

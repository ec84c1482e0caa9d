//! metron's flags in a crate with a library: cargo hands `cargo bench --
//! FLAGS` to the library's libtest harness as well, which rejects them, so
//! the flags go in `METRON_BENCH_ARGS` (read by metron's bench binaries
//! only) or the run names its bench target (`cargo bench --bench NAME`).

use crate::{cargo, cargo_bench, cargo_bench_with, fixture, load, stdout};

#[test]
fn metron_flags_reach_the_bench_past_libtest() {
    let dir = fixture("fixtures/with_lib");
    let json = dir.path().join("run.json");
    let flags = format!("--runs 2 --warmup 0 --export-json '{}'", json.display());

    // What the README warns of: libtest refuses a flag it does not know.
    let refused = cargo(dir.path(), &[], &["--runs", "2"], &[]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Unrecognized option"), "{refused:?}");

    let out = cargo_bench_with(dir.path(), &[], &[(metron::bench::ARGS_VARIABLE, flags.as_str())]);
    assert!(stdout(&out).contains("Benchmark 1: triangle"));
    assert_eq!(load(&json).benchmarks[0].samples.len(), 2, "the flags of the variable were used");

    std::fs::remove_file(&json).expect("the first run's JSON");
    let json_arg = json.display().to_string();
    let named =
        cargo(dir.path(), &["--bench", "fold"], &["--runs", "3", "--warmup", "0", "--export-json", &json_arg], &[]);
    assert!(named.status.success(), "{named:?}");
    assert_eq!(load(&json).benchmarks[0].samples.len(), 3);

    // `--list` lists without measuring, although cargo appends `--bench`.
    let listed = stdout(&cargo_bench(dir.path(), &["--list"]));
    assert!(listed.contains("triangle: benchmark"), "{listed}");
}

//! End to end: closures counted through the bench harness, under the real
//! Valgrind (or hardware counters where the machine has them).
//!
//! This test is its own bench binary (`harness = false`): run by `cargo
//! test` it re-executes itself with `--bench --clock instructions`, which
//! with Valgrind re-executes it once more per benchmark under
//! `valgrind --tool=callgrind`, and checks the JSON the run wrote. Counts
//! are deterministic, so the checks are exact relations, whatever the load.

#[path = "../benches/common/counts.rs"]
mod groups;

use metron::model::{PairedVerdict, RunRecord};

fn main() {
    if std::env::args().any(|a| a == "--bench") {
        let mut harness = metron::bench::Harness::from_args();
        groups::one_percent(&mut harness);
        groups::same(&mut harness);
        groups::setup_excluded(&mut harness);
        std::process::exit(harness.finish());
    }
    let record = run_counted();
    counts_tell_one_percent_apart(&record);
    counts_exclude_setup(&record);
    println!("counting: 3 checks passed");
}

fn run_counted() -> RunRecord {
    let dir = tempfile::tempdir().expect("temporary directory");
    let json = dir.path().join("run.json");
    let exe = std::env::current_exe().expect("current exe");
    let output = std::process::Command::new(exe)
        .args(["--bench", "--clock", "instructions", "--runs", "3", "--export-json"])
        .arg(&json)
        .output()
        .expect("the bench starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}\n{stdout}\n{}", output.status, String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("Counted by "), "{stdout}");
    RunRecord::load(&json).expect("the run's JSON")
}

fn instructions(record: &RunRecord, id: &str) -> f64 {
    let b = record.benchmark(id).unwrap_or_else(|| panic!("{id} was measured"));
    let counter = b.counter.as_ref().expect("counted");
    assert!(!counter.excludes.is_empty() && !counter.tool.is_empty());
    b.instructions.as_ref().expect("instructions").median
}

/// work(202) is slower by the count ratio of its loop, the A/A pair is not
/// different, and both say so in the paired verdicts.
fn counts_tell_one_percent_apart(record: &RunRecord) {
    let (a, b) = (instructions(record, "work/work(200)"), instructions(record, "work/work(202)"));
    let base = instructions(record, "a-a/work(200) A");
    assert_eq!(base, instructions(record, "a-a/work(200) B"), "an A/A pair counts the same");
    // Two more passes of the same loop body: the difference per pass is the
    // body's count, and it is the same body in every pass.
    let per_pass = (b - a) / 2.0;
    assert!((3.0..=30.0).contains(&per_pass), "{a} {b}");
    assert!((a - 200.0 * per_pass).abs() < 100.0, "the rest is the call: {a} vs {per_pass} per pass");
    let verdict = |reference: &str, candidate: &str| {
        let c = record.comparisons.iter().find(|c| c.reference == reference && c.candidate == candidate);
        c.unwrap_or_else(|| panic!("{reference} vs {candidate} compared: {:?}", record.comparisons))
    };
    let slower = verdict("work/work(200)", "work/work(202)");
    assert_eq!(slower.verdict, PairedVerdict::Slower);
    assert!((slower.ratio - b / a).abs() < 1e-9, "{slower:?}");
    assert_eq!(slower.noise, metron::counter::COUNT_NOISE);
    let same = record.comparisons.iter().find(|c| c.candidate.starts_with("a-a/")).expect("a-a compared");
    assert_eq!(same.verdict, PairedVerdict::NoDifference);
}

/// 10⁶ steps of set-up per batch leave the count of the timed loop as it was.
fn counts_exclude_setup(record: &RunRecord) {
    let plain = instructions(record, "setup/plain");
    assert_eq!(plain, instructions(record, "setup/heavy setup"));
    let batched = instructions(record, "setup/batched setup");
    // The inputs' 1000-step loops would add thousands per iteration.
    assert!((batched - plain).abs() < 50.0, "{plain} vs {batched}");
}

//! A bench written against criterion's API for the tests
//! (`tests/fixtures/api`): what each setting maps to, every `Bencher`
//! method, `--help` and a bad flag.

use crate::{cargo, cargo_bench, fixture, load, stdout};

#[test]
fn criterion_settings_map_to_metron_s() {
    let dir = fixture("fixtures/api");
    let json = dir.path().join("run.json");
    let json_arg = json.display().to_string();
    // A budget this small stops every benchmark at its fewest samples.
    let out = cargo_bench(dir.path(), &["--time-budget", "1ms", "--warmup", "0", "--export-json", &json_arg]);
    let text = stdout(&out);
    assert!(text.contains("Benchmark 6: sort/sort_unstable/16"), "{text}");
    let run = load(&json);
    let samples = |id: &str| run.benchmark(id).map(|b| b.samples.len());
    // metron's default, `config = Criterion::default().sample_size(12)`, and
    // the group's `sample_size(15)`: minimums, shared by the 5 replicates
    // (10 = 5 × 2, 12 → 5 × 3, 15 = 5 × 3).
    assert_eq!(samples("iter"), Some(10));
    assert_eq!(samples("checksum/4096"), Some(15));
    assert_eq!(samples("sort/sort_ref/256"), Some(15));
    let sort = run.benchmark("sort/sort_unstable/256").expect("sort/sort_unstable/256");
    assert_eq!(sort.throughput[0].per_iteration, 256);
    assert_eq!(sort.parameters.get("parameter").map(String::as_str), Some("256"));
    assert_eq!(sort.parameters.get("function").map(String::as_str), Some("sort_unstable"), "one curve per function");
    assert!(run.benchmark("iter").is_some_and(|b| b.throughput.is_empty()));
    let custom = run.benchmark("iter_custom").expect("iter_custom");
    assert!(custom.cpu.is_none() && custom.wall.median > 0.0, "iter_custom gives wall time only");
    assert_eq!(run.benchmark("square/12").and_then(|b| b.group.as_deref()), Some("square"));
}

#[test]
fn help_and_a_bad_flag() {
    let dir = fixture("fixtures/api");
    let help = stdout(&cargo_bench(dir.path(), &["--help"]));
    assert!(help.contains("Usage: cargo bench") && help.contains("--precision") && help.contains("METRON_BENCH_ARGS"));
    let bad = cargo(dir.path(), &[], &["--frobnicate"], &[]);
    assert_eq!(bad.status.code(), Some(2), "metron's status for a usage error, through cargo");
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("Error: unknown option --frobnicate (see --help)"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_progress_line_on_a_terminal_only() {
    let dir = fixture("fixtures/api");
    let args = ["--runs", "2", "--warmup", "0", "iter_with_large_drop"];
    let piped = cargo(dir.path(), &[], &args, &[]);
    assert!(piped.status.success(), "{piped:?}");
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("\x1b[2K"), "no progress line into a pipe");

    // `script` (util-linux) runs the command on a pseudo-terminal and copies
    // what it writes there, stderr included, to its stdout.
    let command =
        format!("{} bench --quiet --target-dir {} -- {}", env!("CARGO"), crate::target_dir().display(), args.join(" "));
    let tty = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .output()
        .expect("script runs");
    let screen = String::from_utf8_lossy(&tty.stdout);
    assert!(tty.status.success(), "{screen}");
    let line = screen.find("\r\x1b[2Kiter_with_large_drop: warming up");
    let erased = line.and_then(|at| screen[at + 1..].find("\r\x1b[2K").map(|i| at + 1 + i));
    let block = screen.find("Benchmark 1:");
    assert!(erased.is_some() && block.is_some(), "the line, then the results: {screen:?}");
    assert!(erased < block, "the line is erased before the results: {screen:?}");
}

/// The processes whose command line holds `needle`.
fn processes_with(needle: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| String::from_utf8_lossy(&c).contains(needle))
        })
        .collect()
}

#[test]
fn sigterm_to_the_bench_alone_keeps_the_samples_and_ends_its_replicates() {
    let dir = fixture("fixtures/api");
    let json = dir.path().join("stopped.json");
    let json_arg = json.display().to_string();
    // Built first, so that the signal below meets the bench, not the compiler.
    cargo_bench(dir.path(), &["--runs", "2", "--warmup", "0", "iter_with_large_drop"]);
    let args = ["--time-budget", "100s", "--precision", "0.0001%", "--export-json", &json_arg, "iter_with_large_drop"];
    let mut cargo = std::process::Command::new(env!("CARGO"))
        .current_dir(dir.path())
        .args(["bench", "--quiet", "--target-dir"])
        .arg(crate::target_dir())
        .arg("--")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("cargo runs");
    // Cargo, the parent bench and a replicate child all hold the JSON path:
    // the parent bench is the lower pid of the two that are not cargo.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let parent = loop {
        let mut pids: Vec<u32> = processes_with(&json_arg).into_iter().filter(|&p| p != cargo.id()).collect();
        pids.sort_unstable();
        if pids.len() >= 2 {
            break pids[0];
        }
        assert!(std::time::Instant::now() < deadline, "the bench and its replicate never both ran");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    std::thread::sleep(std::time::Duration::from_millis(500));
    let sent = std::time::Instant::now();
    // SAFETY: kill(2) with a pid this test found running and a plain signal.
    assert_eq!(unsafe { libc::kill(parent as i32, libc::SIGTERM) }, 0);
    cargo.wait().expect("cargo ends");
    assert!(sent.elapsed() < std::time::Duration::from_secs(60), "stopped long before its 100 s budget");
    assert!(processes_with(&json_arg).is_empty(), "no replicate is left running");
    let run = load(&json);
    assert!(run.interrupted, "the run says it was interrupted");
    assert!(run.benchmark("iter_with_large_drop").is_some_and(|b| !b.samples.is_empty()), "the samples were kept");
}

//! The user's own workload, run for real: the example files in
//! `bench-suites/examples/` through the machine's `python3` under every
//! variant and start method, and `gzip` over real files.

use std::path::PathBuf;

use metron::Routine;
use metron_suites::python_suite::PythonSuite;
use metron_suites::user::{Inputs, PythonWork, ShellWork, StartMethod};
use metron_suites::VariantKind;

fn example(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "examples", name].iter().collect();
    path.display().to_string()
}

fn python() -> PythonSuite {
    PythonSuite::locate("python3").expect("python3 is needed for the user workload")
}

fn work(function: &str, inputs: &str) -> PythonWork {
    PythonWork::new(format!("{}:{function}", example("faulty.py")), Inputs::Expr(inputs.into()))
}

/// Sets a routine up, runs it once, tears it down: the error of any step.
fn run_once(mut routine: impl Routine) -> metron::Result<()> {
    routine.setup()?;
    let result = routine.measure(1);
    let _ = routine.teardown();
    let m = result?;
    assert!(m.iterations == 1 && m.wall_ns > 0.0 && m.cpu_ns.is_some());
    Ok(())
}

const PYTHON_VARIANTS: [VariantKind; 5] = [
    VariantKind::Sequential,
    VariantKind::Threads,
    VariantKind::Processes,
    VariantKind::ThreadPool,
    VariantKind::ProcessPool,
];

#[test]
fn every_variant_and_start_method_gives_the_sequential_results() {
    let py = python();
    std::thread::scope(|s| {
        for method in [StartMethod::Fork, StartMethod::Spawn, StartMethod::Forkserver] {
            let py = &py;
            s.spawn(move || {
                // Five items: no worker count divides them; chunks of 2 leave one over.
                let function = format!("{}:collatz_steps", example("cpu_bound.py"));
                let mut w = PythonWork::new(function, Inputs::Expr("range(27, 32)".into()));
                w.start_method = Some(method);
                w.chunksize = Some(2);
                for v in PYTHON_VARIANTS {
                    run_once(w.routine(py, v, 2).unwrap()).unwrap_or_else(|e| panic!("{v} {method:?}: {e}"));
                }
            });
        }
    });
    assert!(work("parse", "range(2)").routine(&py, VariantKind::Rayon, 2).is_err());
}

#[test]
fn the_probe_counts_items_and_prices_pickling() {
    let py = python();
    let mut w = PythonWork::new(
        format!("{}:collatz_steps", example("cpu_bound.py")),
        Inputs::Function(format!("{}:items", example("cpu_bound.py"))),
    );
    w.start_method = Some(StartMethod::Spawn);
    let probe = w.probe(&py).unwrap().clone();
    assert_eq!(probe.items, 16);
    assert_eq!(probe.start_method, "spawn");
    assert_eq!(probe.function, "collatz_steps");
    assert!(probe.unpicklable.is_none() && probe.sequential_ns > 0);
    let pickle = probe.pickle.expect("ints pickle");
    assert!(pickle.items.ns_per_value > 0.0 && pickle.items.bytes_per_value >= 4.0, "{pickle:?}");
    let described = w.describe(&[2, 4]);
    assert_eq!(
        described,
        "16 items × collatz_steps (cpu_bound.py), start method spawn, process-pool chunksize 2 at ×2, 1 at ×4"
    );
    // The chunksize Rust states is the one the driver uses.
    let rule = "import sys; sys.path.insert(0, sys.argv[1]); import metron_user as u; \
                print(' '.join(str(u.default_chunksize(n, w)) for n in (1, 7, 16, 33, 100) for w in (1, 2, 3, 8)))";
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("metron_suite.py", metron_suites::python_suite::SUITE_MODULE),
        ("metron_user.py", metron_suites::python_suite::USER_MODULE),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = std::process::Command::new("python3").args(["-c", rule]).arg(dir.path()).output().unwrap();
    let rust: Vec<String> = [1, 7, 16, 33, 100]
        .iter()
        .flat_map(|&n| [1, 2, 3, 8].map(|w| metron_suites::user::python_function::chunksize(n, w).to_string()))
        .collect();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), rust.join(" "));
}

#[test]
fn an_exception_names_the_item_and_shows_the_users_traceback() {
    let e = work("parse", "range(6)").probe(&python()).unwrap_err().to_string();
    let mut lines = e.lines();
    let first = lines.next().unwrap();
    assert!(first.ends_with("faulty.py:parse: item 3 (3): ValueError: invalid literal for int() with base 10: 'three'"));
    let rest: Vec<&str> = lines.collect();
    assert_eq!(rest[0], "Traceback (most recent call last):");
    assert!(rest[1].contains("faulty.py\", line") && rest[1].ends_with("in parse"), "{e}");
    assert!(!e.contains("metron_user.py"), "metron's own frames are left out: {e}");
    // In a driver the same item fails every variant with the same line.
    let err = run_once(work("parse", "range(6)").routine(&python(), VariantKind::ThreadPool, 2).unwrap());
    assert!(err.unwrap_err().to_string().starts_with("item 3 (3): ValueError"));
    let missing = work("nope", "range(2)").probe(&python()).unwrap_err().to_string();
    assert!(missing.ends_with("faulty.py has no 'nope'"), "{missing}");
}

#[test]
fn different_results_in_processes_fail_those_variants_only() {
    let py = python();
    let w = work("where", "range(4)");
    for v in [VariantKind::Sequential, VariantKind::Threads, VariantKind::ThreadPool] {
        run_once(w.routine(&py, v, 2).unwrap()).unwrap_or_else(|e| panic!("{v}: {e}"));
    }
    for (v, label) in [(VariantKind::Processes, "processes ×2"), (VariantKind::ProcessPool, "process-pool ×2")] {
        let e = run_once(w.routine(&py, v, 2).unwrap()).unwrap_err().to_string();
        assert!(
            e.contains(&format!("wrong result for item 0 (0) under {label}: (0, False), sequential gave (0, True)")),
            "{e}"
        );
    }
}

#[test]
fn what_cannot_be_pickled_is_named_with_the_fix() {
    let py = python();
    let lambda = work("square", "range(3)");
    run_once(lambda.routine(&py, VariantKind::ThreadPool, 2).unwrap()).expect("threads need no pickling");
    let e = run_once(lambda.routine(&py, VariantKind::ProcessPool, 2).unwrap()).unwrap_err().to_string();
    assert!(e.starts_with("square cannot be pickled ("), "{e}");
    assert!(e.contains("define it as a module-level function"), "{e}");
    let local = work("make_counter", "range(3)");
    let e = run_once(local.routine(&py, VariantKind::Processes, 2).unwrap()).unwrap_err().to_string();
    assert!(e.starts_with("the result of item 0 (<faulty.make_counter.<locals>.Counter object"), "{e}");
    let probe = local.clone().probe(&py).unwrap().clone();
    assert!(probe.unpicklable.is_some_and(|u| u.contains("Can't pickle local object")));
}

#[test]
fn gzip_over_files_runs_n_at_a_time_and_checks_exit_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = (0..3)
        .map(|k| {
            let path = dir.path().join(format!("file {k}.txt"));
            std::fs::write(&path, format!("line {k}\n").repeat(2000)).unwrap();
            path.display().to_string()
        })
        .collect();
    let work = ShellWork::new("gzip -9 -c {item}", files.clone()).unwrap();
    for workers in [1, 2, 3] {
        run_once(work.routine(workers)).unwrap_or_else(|e| panic!("×{workers}: {e}"));
    }
    let mut bad = files;
    bad.insert(1, dir.path().join("missing").display().to_string());
    let e = run_once(ShellWork::new("gzip -9 -c {item}", bad).unwrap().routine(2)).unwrap_err().to_string();
    assert!(e.contains("missing' (`gzip -9 -c "), "{e}");
    assert!(e.contains("failed with exit status 1: gzip: ") && e.ends_with("No such file or directory"), "{e}");
}

/// A Rust function workload whose processes are the crate's worker binary.
fn rust_fn<Out>(name: &str, func: fn(&u64) -> Out) -> metron_suites::user::function::FnWorkload<u64, Out>
where
    Out: metron_suites::user::function::Data + PartialEq + std::fmt::Debug,
{
    metron_suites::user::function::FnWorkload::new(name, func, (1..=9).collect()).worker_command(crate::worker())
}

#[test]
fn a_rust_function_gives_the_sequential_outputs_under_every_variant() {
    use metron_suites::user::function::examples;
    let work = rust_fn("collatz", examples::collatz);
    for v in VariantKind::ALL {
        for workers in [1, 2, 4] {
            run_once(work.routine(v, workers)).unwrap_or_else(|e| panic!("{v} ×{workers}: {e}"));
        }
    }
    let names: Vec<String> = work.benchmarks().iter().map(|b| b.meta.id()).collect();
    assert_eq!(names[0], "collatz/rust/sequential");
    assert!(names.contains(&"collatz/rust/process-pool ×2".to_string()), "{names:?}");
}

#[test]
fn a_rust_function_that_differs_in_processes_or_panics_is_named() {
    use metron_suites::user::function::examples;
    let work = rust_fn("where", examples::in_worker);
    run_once(work.routine(VariantKind::Rayon, 2)).expect("threads run where sequential does");
    for v in [VariantKind::Processes, VariantKind::ProcessPool] {
        let e = run_once(work.routine(v, 2)).unwrap_err().to_string();
        assert!(e.contains(&format!("input 0 gave (1, true) under {v} ×2, sequential gave (1, false)")), "{e}");
    }
    let panics = rust_fn("panics", examples::panics_on_3);
    let e = run_once(panics.routine(VariantKind::Sequential, 1)).unwrap_err().to_string();
    assert!(e.contains("input 2: the function panicked: input 3 is not allowed"), "{e}");
}

#[test]
fn the_readme_shows_the_example_bench_as_it_is() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let bench = std::fs::read_to_string(format!("{root}/bench-suites/benches/user_function.rs")).unwrap();
    let marker = "<!-- user_function.rs -->\n```rust\n";
    let start = readme.find(marker).expect("the README's marker") + marker.len();
    let shown = &readme[start..start + readme[start..].find("```\n").unwrap()];
    assert_eq!(shown, bench, "README.md's copy of benches/user_function.rs is out of date");
}

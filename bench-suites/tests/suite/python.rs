//! The Python suite through metron's driver protocol with the machine's
//! `python3`: every variant reaches the checksum Rust computes from the
//! same spec, a run that does not reach it fails, and worker processes
//! that crash or answer wrongly fail their variant with the reason.

use std::path::Path;
use std::process::Command;

use metron::routine::DriverRoutine;
use metron::Routine;
use metron_suites::python_suite::{PythonSuite, DRIVER, SUITE_MODULE, USER_MODULE};
use metron_suites::worker::FAULT_ENV;
use metron_suites::{VariantKind, WorkloadKind};

use crate::small;

fn python_variants() -> impl Iterator<Item = VariantKind> {
    VariantKind::ALL.into_iter().filter(|&v| v != VariantKind::Rayon)
}

/// Sets a driver up, runs the workload once, tears it down.
fn run_once(mut routine: impl Routine) -> metron::Result<()> {
    routine.setup()?;
    let result = routine.measure(1);
    let _ = routine.teardown();
    let m = result?;
    assert_eq!(m.iterations, 1);
    assert!(m.wall_ns > 0.0 && m.cpu_ns.is_some());
    Ok(())
}

#[test]
fn every_python_variant_reaches_the_rust_checksum() {
    let py = PythonSuite::locate("python3").expect("python3 is needed for the Python suite");
    // One thread per workload: the drivers mostly wait for interpreters to start.
    std::thread::scope(|s| {
        for kind in WorkloadKind::ALL {
            let py = &py;
            s.spawn(move || {
                for variant in python_variants() {
                    let routine = py.workload(&small(kind), variant, 2).unwrap();
                    run_once(routine).unwrap_or_else(|e| panic!("python {kind} {variant}: {e}"));
                }
            });
        }
    });
    assert!(py.workload(&small(WorkloadKind::Cpu), VariantKind::Rayon, 2).is_err());
}

/// A driver started by hand, to change its arguments or environment.
fn driver(dir: &Path, args: Vec<String>, fault: Option<&str>) -> DriverRoutine {
    let mut command = Command::new("python3");
    command.arg("-S").arg(dir.join("suite_driver.py")).args(args);
    if let Some(f) = fault {
        command.env(FAULT_ENV, f);
    }
    DriverRoutine::new(command, "python suite")
}

fn scripts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("metron_suite.py"), SUITE_MODULE).unwrap();
    std::fs::write(dir.path().join("suite_driver.py"), DRIVER).unwrap();
    std::fs::write(dir.path().join("metron_user.py"), USER_MODULE).unwrap();
    dir
}

#[test]
fn a_run_that_misses_the_checksum_fails() {
    let dir = scripts();
    let mut args = PythonSuite::workload_args(&small(WorkloadKind::Io), VariantKind::ThreadPool, 2);
    let at = args.iter().position(|a| a == "--expected").unwrap();
    args[at + 1] = "0x1".into();
    let err = run_once(driver(dir.path(), args, None)).unwrap_err().to_string();
    assert!(err.contains("wrong result: checksum") && err.contains("expected 0x0000000000000001"), "{err}");
}

#[test]
fn misbehaving_python_workers_fail_with_the_reason() {
    let dir = scripts();
    let spec = small(WorkloadKind::Cpu);
    let cases = [
        (VariantKind::Processes, "crash", "was killed by signal 6"),
        (VariantKind::Processes, "exit", "exited with status 3"),
        (VariantKind::ProcessPool, "crash", "the process pool broke"),
        (VariantKind::ProcessPool, "wrong", "wrong result: checksum"),
    ];
    for (variant, fault, expected) in cases {
        let args = PythonSuite::workload_args(&spec, variant, 2);
        let err = run_once(driver(dir.path(), args, Some(fault))).unwrap_err().to_string();
        assert!(err.contains(expected), "{variant} with {fault}: {err}");
    }
    // Threads never start a worker process, so the fault does not touch them.
    let args = PythonSuite::workload_args(&spec, VariantKind::Threads, 2);
    run_once(driver(dir.path(), args, Some("crash"))).unwrap();
}

#[test]
fn a_failed_process_does_not_leave_its_siblings_hanging() {
    // Task 0 fails at once while the others put 200 KiB results into a
    // queue nobody reads any more: unless the variant stops them, they never
    // exit, and neither does the interpreter that would join them.
    let dir = scripts();
    let args = PythonSuite::workload_args(&small(WorkloadKind::Transfer), VariantKind::Processes, 2);
    let mut routine = driver(dir.path(), args, Some("raise-first"));
    routine.setup().unwrap();
    let err = routine.measure(1).unwrap_err().to_string();
    assert!(err.contains("process of task 0 reported RuntimeError: task 0 failed on purpose"), "{err}");
    routine.teardown().expect("the driver exits promptly after a failed run");
}

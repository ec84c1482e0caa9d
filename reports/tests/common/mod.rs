//! Synthetic, seeded runs for the tests and the size/speed example: built in
//! code with metron's own analysis and comparison functions, so every
//! statistic is what metron would have written, and deterministic, so
//! snapshots hold. Shared by `tests/report.rs`, `tests/browser.rs`, the unit
//! tests (through `#[path]`) and `examples/large_report.rs`.
#![allow(dead_code)]

use std::collections::BTreeMap;

use metron::analysis::{analyse, AnalysisContext, BenchmarkMeta};
use metron::compare::{against_baseline, paired_all, BaselineOptions};
use metron::model::{
    ClockInfo, ClockKind, Environment, Failure, HostRun, RoutineKind, Sample, Settings, StopReason, SCHEMA_VERSION,
};
use metron::stats::{seeded, standard_normal, uniform};
use metron::{BenchmarkResult, RunRecord};

/// The name that must never run as a script anywhere in a report.
pub const HOSTILE_NAME: &str = "<script>alert(1)</script>";
/// A command line word with every character HTML cares about.
pub const HOSTILE_ARG: &str = "say \"&<>\"";

/// What a synthetic benchmark looks like.
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: String,
    pub group: Option<String>,
    pub parameters: Vec<(String, String)>,
    pub command: Option<String>,
    pub kind: RoutineKind,
    /// True per-iteration time.
    pub median_ns: f64,
    pub samples: usize,
    /// Iteration counts grow with the sample index (gives a regression line).
    pub varying_iterations: bool,
    pub seed: u64,
}

impl Spec {
    /// A closure benchmark with 60 samples of one iteration count.
    pub fn closure(name: &str, median_ns: f64, seed: u64) -> Spec {
        Spec {
            name: name.to_string(),
            group: None,
            parameters: Vec::new(),
            command: None,
            kind: RoutineKind::Closure,
            median_ns,
            samples: 60,
            varying_iterations: false,
            seed,
        }
    }

    /// A command benchmark (one iteration per sample, peak RSS known).
    pub fn command(command: &str, median_ns: f64, seed: u64) -> Spec {
        Spec {
            command: Some(command.to_string()),
            kind: RoutineKind::Command,
            ..Spec::closure(command, median_ns, seed)
        }
    }

    pub fn group(mut self, group: &str) -> Spec {
        self.group = Some(group.to_string());
        self
    }

    pub fn param(mut self, key: &str, value: impl ToString) -> Spec {
        self.parameters.push((key.to_string(), value.to_string()));
        self
    }

    pub fn samples(mut self, n: usize) -> Spec {
        self.samples = n;
        self
    }

    pub fn varying(mut self) -> Spec {
        self.varying_iterations = true;
        self
    }
}

/// Seeded samples: log-normal noise of about 3%, a warm-up over the first
/// samples, a slow drift, and an outlier every 37 samples.
pub fn samples(spec: &Spec) -> Vec<Sample> {
    let mut rng = seeded(spec.seed);
    let mut at_ns = 0u64;
    (0..spec.samples)
        .map(|i| {
            let iterations = if spec.kind == RoutineKind::Command {
                1
            } else if spec.varying_iterations {
                10 * (i as u64 + 1)
            } else {
                1_000
            };
            let warm = if i < 5 { 1.0 + 0.08 * (5 - i) as f64 } else { 1.0 };
            let drift = 1.0 + 0.02 * i as f64 / spec.samples.max(1) as f64;
            let outlier = if i % 37 == 36 { 1.5 + uniform(&mut rng) } else { 1.0 };
            let per_iter = spec.median_ns * (0.03 * standard_normal(&mut rng)).exp() * warm * drift * outlier;
            let wall_ns = per_iter * iterations as f64 + if spec.varying_iterations { 250.0 } else { 0.0 };
            let command = spec.kind == RoutineKind::Command;
            let sample = Sample {
                iterations,
                wall_ns,
                cpu_ns: Some(wall_ns * if command { 0.8 } else { 0.97 }),
                user_ns: command.then_some(wall_ns * 0.6),
                sys_ns: command.then_some(wall_ns * 0.2),
                max_rss_kib: command.then_some(2_048 + (uniform(&mut rng) * 64.0) as u64),
                round: Some(i as u32),
                replicate: Some((i * 5 / spec.samples.max(1)) as u32),
                at_ns,
                counts: None,
            };
            at_ns += wall_ns as u64 + 1_000;
            sample
        })
        .collect()
}

/// The result metron's analysis gives for the spec's samples.
pub fn bench(spec: &Spec) -> BenchmarkResult {
    let meta = BenchmarkMeta {
        name: spec.name.clone(),
        group: spec.group.clone(),
        parameters: spec.parameters.iter().cloned().collect(),
        command: spec.command.clone(),
        setup: None,
    };
    let ctx = AnalysisContext {
        kind: spec.kind,
        clock: ClockKind::Wall,
        stop_reason: StopReason::Precision,
        warmup_iterations: if spec.kind == RoutineKind::Command { 3 } else { 10_000 },
        shell_overhead_ns: (spec.kind == RoutineKind::Command).then_some(850_000.0),
        seed: spec.seed,
        precision: None,
        earlier: None,
    };
    analyse(&meta, samples(spec), ctx).expect("samples")
}

/// A plausible environment.
pub fn environment(host: &str, started_at: &str) -> Environment {
    Environment {
        hostname: host.to_string(),
        os: "Linux".into(),
        kernel: "6.1.0-18-amd64".into(),
        arch: "x86_64".into(),
        cpu_model: Some("AMD EPYC 7B13".into()),
        logical_cores: 2,
        physical_cores: Some(1),
        governor: Some("performance".into()),
        load_average: Some([0.12, 0.3, 0.25]),
        memory_bytes: Some(8 * 1024 * 1024 * 1024),
        git_commit: Some("beca3dd0123456789abcdef0123456789abcdef0".into()),
        git_dirty: Some(true),
        started_at: started_at.to_string(),
        metron_version: "0.1.0".into(),
        clocks: vec![ClockInfo {
            name: "wall".into(),
            source: "CLOCK_MONOTONIC".into(),
            resolution_ns: 1.0,
            observed_tick_ns: 20.0,
            read_overhead_ns: 18.5,
        }],
        tools: BTreeMap::from([("python3".to_string(), "3.11.2".to_string()), ("sh".to_string(), "dash".to_string())]),
    }
}

/// Ordinary settings.
pub fn settings() -> Settings {
    Settings {
        clock: ClockKind::Wall,
        precision: 0.01,
        time_budget_s: 3.0,
        min_samples: 10,
        max_samples: 1_000,
        interleaved: true,
        seed: 42,
        replicates: 1,
    }
}

/// An empty run started at `started_at` on `host`.
pub fn run(command_line: &[&str], host: &str, started_at: &str) -> RunRecord {
    let mut r =
        RunRecord::new(command_line.iter().map(|s| s.to_string()).collect(), environment(host, started_at), settings());
    r.schema_version = SCHEMA_VERSION;
    r
}

/// Three commands compared against `grep foo`.
pub fn command_specs(scale: f64, seed: u64) -> Vec<Spec> {
    vec![
        Spec::command("grep foo", 2.4e6 * scale, seed),
        Spec::command("grep -F foo", 1.8e6 * scale, seed + 1),
        Spec::command("rg foo", 2.45e6 * scale, seed + 2),
    ]
}

/// A `sum` group: sequential, and threads / processes / thread-pool at 1 to 8 workers.
pub fn concurrency_specs(seed: u64) -> Vec<Spec> {
    let mut specs = vec![Spec::closure("sequential", 8e6, seed).group("sum").param("variant", "sequential")];
    for (k, (variant, overhead)) in
        [("threads", 0.4e6), ("processes", 0.9e6), ("thread-pool", 0.05e6)].iter().enumerate()
    {
        for (j, threads) in [1u32, 2, 4, 8].iter().enumerate() {
            let parallel = 8e6 / f64::from((*threads).min(2)) * (1.0 + 0.05 * f64::from(*threads));
            specs.push(
                Spec::closure(&format!("{variant} ×{threads}"), parallel + overhead, seed + 10 * k as u64 + j as u64)
                    .group("sum")
                    .param("variant", variant)
                    .param("threads", threads),
            );
        }
    }
    specs
}

/// A run with every section of the page: commands with comparisons, a
/// closure with varying iteration counts, two scaling groups (one with a
/// sequential reference), a parameter scan, a baseline, failures, hosts and
/// conclusions.
pub fn rich_report() -> RunRecord {
    let mut r = run(
        &["metron", "-P", "t", "1", "5", "sleep 0.{t}", "--export-json", "out.json"],
        "bench-1",
        "2024-05-01T12:00:00Z",
    );
    let mut specs = command_specs(1.0, 1);
    specs.push(Spec::closure("vec push", 45.0, 7).varying().samples(80));
    for (i, n) in [10, 15, 20, 25].iter().enumerate() {
        specs.push(
            Spec::closure(&format!("fib {n}"), 120.0 * 1.618f64.powi(*n - 10), 20 + i as u64)
                .group("fib")
                .param("n", n),
        );
    }
    specs.extend(concurrency_specs(100));
    for t in 1..=3 {
        specs.push(Spec::command(&format!("sleep 0.{t}"), f64::from(t) * 1e8 + 1.2e6, 200 + t as u64).param("t", t));
    }
    r.benchmarks = specs.iter().map(bench).collect();
    r.comparisons = paired_all(&r.benchmarks[..3], Some("grep foo"), ClockKind::Wall);
    let mut old = r.clone();
    old.benchmarks = specs
        .iter()
        .map(|s| bench(&Spec { median_ns: s.median_ns * 1.08, seed: s.seed + 1_000, ..s.clone() }))
        .collect();
    old.benchmarks.push(bench(&Spec::closure("retired", 10.0, 9)));
    old.environment.hostname = "<old-box>".into();
    r.baseline = Some(against_baseline(&old, &r, "baseline-main.json", &BaselineOptions::default()));
    r.failures.push(Failure { name: "false".into(), host: None, reason: "exited with status 1".into() });
    r.hosts = vec![
        HostRun {
            host: "bench-1".into(),
            environment: Some(environment("bench-1", "2024-05-01T12:00:00Z")),
            error: None,
        },
        HostRun { host: "user@bench-2:2222".into(), environment: None, error: Some("ssh: connection refused".into()) },
    ];
    r.extensions.insert(
        "suite".into(),
        serde_json::json!({
            "conclusions": ["thread-pool is fastest at 8 workers", "processes pay 0.9 ms to start"],
            "tables": [
                {"title": "Spawn cost", "columns": ["Language", "Thread", "Process"],
                 "rows": [["rust", "30 µs", "0.9 ms"], ["python", "100 µs", "4 ms"]]},
                {"title": "Ragged", "columns": ["a", "b"], "rows": [["only one"]]}
            ],
            "details": {"anything": [1, 2, 3]}
        }),
    );
    r.extensions.insert("other-tool".into(), serde_json::json!([1, 2, 3]));
    r
}

/// A small run for history: three closures, slower by `scale`.
pub fn history_run(started_at: &str, scale: f64, seed: u64) -> RunRecord {
    let mut r = run(&["metron", "bench"], "ci-runner", started_at);
    r.benchmarks = ["parse", "render", "write"]
        .iter()
        .enumerate()
        .map(|(i, n)| bench(&Spec::closure(n, 1_000.0 * (i + 1) as f64 * scale, seed + i as u64).group("io")))
        .collect();
    r
}

/// A run whose every user-supplied string is hostile.
pub fn hostile_report() -> RunRecord {
    let mut r = run(&["metron", HOSTILE_ARG, HOSTILE_NAME], "<b>host</b>", "2024-05-01T12:00:00Z");
    let mut a = Spec::command(HOSTILE_NAME, 1e6, 1);
    a.command = Some(format!("echo '{HOSTILE_NAME}' \"&<>\""));
    let b = Spec::command("echo <img src=x onerror=alert(2)>", 1.3e6, 2);
    let scan: Vec<Spec> = (1..=4)
        .map(|i| {
            let variant = if i % 2 == 0 { "plain" } else { HOSTILE_NAME };
            Spec::closure(&format!("{HOSTILE_NAME} {i}"), 1e3 * f64::from(i), 10 + i as u64)
                .group(HOSTILE_NAME)
                .param("<n>", i)
                .param("variant", variant)
        })
        .collect();
    r.benchmarks = [a, b].iter().chain(&scan).map(bench).collect();
    r.comparisons = paired_all(&r.benchmarks[..2], Some("echo <img src=x onerror=alert(2)>"), ClockKind::Wall);
    r.failures.push(Failure { name: HOSTILE_NAME.into(), host: Some("<i>h</i>".into()), reason: "\"&<>\"".into() });
    r.extensions.insert(
        "suite".into(),
        serde_json::json!({
            "conclusions": [HOSTILE_NAME],
            "tables": [{"title": HOSTILE_NAME, "columns": [HOSTILE_NAME], "rows": [[HOSTILE_NAME]]}]
        }),
    );
    r.interrupted = true;
    r
}

/// `n` benchmarks of `samples` samples each, a mix of closures (some with
/// varying iteration counts) and commands, for the size and speed check.
pub fn large_report(n: usize, samples: usize) -> RunRecord {
    let mut r = run(&["metron", "bench", "--all"], "bench-1", "2024-05-01T12:00:00Z");
    r.benchmarks = (0..n)
        .map(|i| {
            let median = 50.0 * 1.1f64.powi(i as i32 % 60);
            let spec = match i % 4 {
                0 => Spec::command(&format!("tool --case {i}"), median * 1e3, i as u64),
                1 => Spec::closure(&format!("closure {i}"), median, i as u64).varying(),
                _ => Spec::closure(&format!("case {i}"), median, i as u64)
                    .group("grid")
                    .param("size", (i % 10) * 100 + 100)
                    .param("variant", i % 3),
            };
            bench(&spec.samples(samples))
        })
        .collect();
    r.comparisons = paired_all(&r.benchmarks[..10], None, ClockKind::Wall);
    r
}

/// A summary with round, hand-picked figures (independent of metron's
/// statistics code, so exact-output tests do not move when it changes).
pub fn fixed_summary(median: f64) -> metron::model::Summary {
    use metron::model::{Interval, Outliers, Summary};
    Summary {
        n: 10,
        mean: median * 1.01,
        median,
        std_dev: median * 0.02,
        mad: median * 0.015,
        min: median * 0.95,
        max: median * 1.2,
        p5: median * 0.96,
        p25: median * 0.99,
        p75: median * 1.02,
        p95: median * 1.1,
        median_ci: Interval::new(median * 0.99, median * 1.01),
        mean_ci: Interval::new(median, median * 1.02),
        outliers: Outliers::default(),
        regression: None,
    }
}

/// A benchmark with [`fixed_summary`] figures and two samples.
pub fn fixed_bench(name: &str, median: f64) -> BenchmarkResult {
    let sample = |i: u64| Sample {
        cpu_ns: Some(median / 2.0),
        max_rss_kib: Some(1_024),
        round: Some(i as u32),
        ..Sample::timed(1, median, i * 1_000)
    };
    BenchmarkResult {
        name: name.to_string(),
        group: None,
        parameters: BTreeMap::new(),
        host: None,
        kind: RoutineKind::Command,
        command: Some(name.to_string()),
        setup: None,
        clock: ClockKind::Wall,
        stop_reason: StopReason::FixedRuns,
        wall: fixed_summary(median),
        cpu: Some(fixed_summary(median / 2.0)),
        max_rss_kib: Some(1_024),
        shell_overhead_ns: None,
        warmup_iterations: 0,
        replicates: Vec::new(),
        run_level: None,
        stopping: None,
        throughput: Vec::new(),
        samples: vec![sample(0), sample(1)],
        instructions: None,
        counter: None,
    }
}

/// Two fixed commands, the second compared against the first.
pub fn fixed_report() -> RunRecord {
    use metron::model::{Interval, PairedComparison, PairedVerdict};
    let mut r = run(&["metron", "a", "b"], "h", "2024-05-01T12:00:00Z");
    let mut b = fixed_bench("sleep 0.1 | cat", 2_000_000.0);
    b.group = Some("g,1".into());
    b.parameters = BTreeMap::from([("k".to_string(), "v".to_string()), ("x".to_string(), "1".to_string())]);
    r.benchmarks = vec![fixed_bench("sleep 0.05", 1_000_000.0), b];
    r.comparisons = vec![PairedComparison {
        reference: "sleep 0.05".into(),
        candidate: "g,1/sleep 0.1 | cat".into(),
        clock: ClockKind::Wall,
        n: 10,
        ratio: 2.0,
        ci: Interval::new(1.9, 2.1),
        difference_ns: 1e6,
        difference_ci: Interval::new(0.9e6, 1.1e6),
        p_value: 0.0001,
        p_adjusted: None,
        test: "paired t on log ratios".into(),
        lag1_autocorrelation: Some(0.1),
        noise: 0.003,
        verdict: PairedVerdict::Slower,
    }];
    r
}

/// [`fixed_report`] with every figure computed by metron from its samples
/// (its comparisons too), as a file metron wrote holds them: what loading
/// accepts and reads back unchanged, since loading recomputes the figures.
pub fn loadable_report() -> RunRecord {
    let mut r = fixed_report();
    r.comparisons = metron::compare::paired_all(&r.benchmarks, None, ClockKind::Wall);
    RunRecord::from_json(&r.to_json(), "fixture").expect("a report of metron's own figures loads")
}

/// Strings that would become markup, end an element or a section, or run
/// script if a page copied them unescaped.
pub const HOSTILE_STRINGS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"'&<>",
    "</title><b>t</b>",
    "]]><i>x</i>",
    "javascript:alert(3)",
    "<img src=x onerror=alert(2)>",
    "</style><u>s</u>",
    "<!-- c -->",
    "</textarea></pre><svg onload=alert(4)>",
];

/// The `k`-th hostile string, numbered so that names stay unique.
pub fn hostile(k: usize) -> String {
    format!("{} {k}", HOSTILE_STRINGS[k % HOSTILE_STRINGS.len()])
}

/// An environment whose every text field is hostile.
pub fn hostile_environment(k: usize) -> Environment {
    let mut e = environment(&hostile(k), &hostile(k + 1));
    e.os = hostile(k + 2);
    e.kernel = hostile(k + 3);
    e.arch = hostile(k + 4);
    e.cpu_model = Some(hostile(k + 5));
    e.governor = Some(hostile(k + 6));
    e.git_commit = Some(hostile(k + 7));
    e.metron_version = hostile(k + 8);
    e.clocks[0].name = hostile(k + 9);
    e.clocks[0].source = hostile(k + 10);
    e.tools = BTreeMap::from([(hostile(k + 11), hostile(k + 12))]);
    e
}

/// A run whose every user-supplied string is hostile: benchmark names,
/// groups, parameter names and values, commands, the label, the command
/// line, the environment, failures, extensions, with paired comparisons
/// between its commands and a scaling group over a numeric parameter.
pub fn hostile_run(k: usize) -> RunRecord {
    let mut r = run(&[], "h", "2024-05-01T12:00:00Z");
    r.command_line = (k..k + 3).map(hostile).collect();
    r.environment = hostile_environment(k);
    r.label = Some(hostile(k + 13));
    let mut specs: Vec<Spec> = (0..3)
        .map(|i| {
            let mut s = Spec::command(&hostile(20 + i), 1e6 * (1.0 + 0.2 * i as f64), 30 + i as u64);
            s.command = Some(hostile(40 + i));
            s
        })
        .collect();
    for i in 0..4 {
        specs.push(
            Spec::closure(&hostile(50 + i), 1e3 * (i + 1) as f64, 60 + i as u64)
                .group(&hostile(70))
                .param(&hostile(71), i + 1)
                .param(&hostile(72), hostile(73 + i % 2)),
        );
    }
    specs.push(Spec::closure(&hostile(80), 45.0, 81).varying().samples(40));
    r.benchmarks = specs.iter().map(bench).collect();
    let reference = r.benchmarks[0].id();
    r.comparisons = paired_all(&r.benchmarks[..3], Some(&reference), ClockKind::Wall);
    for c in &mut r.comparisons {
        c.test = hostile(90);
    }
    r
}

/// Every kind of HTML page, each with hostile strings in every field it
/// shows: `(what it is, the runs it renders)`.
pub fn hostile_pages() -> Vec<(&'static str, Vec<RunRecord>)> {
    let single = hostile_run(0);
    let mut later = hostile_run(0);
    later.environment.started_at = hostile(100);
    later.label = Some(hostile(101));
    let mut with_baseline = hostile_run(0);
    let mut old = hostile_run(0);
    old.environment = hostile_environment(110);
    old.benchmarks.push(bench(&Spec::closure(&hostile(120), 10.0, 121)));
    with_baseline.benchmarks.push(bench(&Spec::closure(&hostile(122), 10.0, 123)));
    with_baseline.baseline = Some(against_baseline(&old, &with_baseline, &hostile(124), &BaselineOptions::default()));
    let mut merged = hostile_run(0);
    for (i, b) in merged.benchmarks.iter_mut().enumerate() {
        b.host = Some(hostile(130 + i % 2));
    }
    merged.comparisons.clear();
    merged.hosts = vec![
        HostRun { host: hostile(130), environment: Some(hostile_environment(140)), error: None },
        HostRun { host: hostile(131), environment: None, error: Some(hostile(132)) },
    ];
    let mut suite = hostile_run(0);
    suite.extensions.insert(
        hostile(150),
        serde_json::json!({
            "conclusions": [hostile(151), hostile(152)],
            "tables": [{
                "title": hostile(153),
                "columns": [hostile(154), "Serial fraction", hostile(155)],
                "rows": [[hostile(156), "15.03", hostile(157)], [hostile(158), "0.25", hostile(159)]]
            }]
        }),
    );
    let mut failed = hostile_run(0);
    failed.failures = vec![
        Failure { name: hostile(160), host: Some(hostile(161)), reason: hostile(162) },
        Failure { name: "*".into(), host: Some(hostile(163)), reason: hostile(164) },
    ];
    failed.interrupted = true;
    vec![
        ("a single run", vec![single.clone()]),
        ("several runs with history", vec![single, later]),
        ("a run with a baseline comparison", vec![with_baseline]),
        ("a run with paired comparisons", vec![hostile_run(3)]),
        ("a multi-host merged run", vec![merged]),
        ("a suite run with extensions", vec![suite]),
        ("a run with failures", vec![failed]),
    ]
}

//! A seeded mutation fuzzer over metron's own report JSON (issue 16).
//!
//! Real reports are written by the real binary (one command, a group of two
//! interleaved commands, a Python `timeit`; all in replicates, so two-level),
//! then mutated: deleted keys, wrong types, huge and non-finite numbers,
//! huge arrays, 10 000 nested arrays, duplicated keys, sample columns
//! swapped or of unequal length, samples changed under their summaries,
//! summaries forged. Every mutant goes to `metron compare` and `metron
//! report` (real processes, with a timeout) and to the Markdown export
//! in-process. A mutant passes when nothing panics, aborts or hangs, a
//! refusal is one line, and whatever is accepted shows the figures the
//! mutant's own samples give (the medians are recomputed here).
//!
//! `METRON_FUZZ_SEED` and `METRON_FUZZ_COUNT` choose the seed and the number
//! of mutants (300 by default); `scripts/fuzz-reports.sh SEED COUNT` runs
//! longer campaigns. Failing mutants are kept in `target/fuzz-reports/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::median;

mod support;

/// A process that takes longer than this is taken as hung (debug build, a
/// shared machine: generous; a real hang is minutes).
const TIMEOUT: Duration = Duration::from_secs(60);

/// SplitMix64: a few lines of seeded randomness, enough to pick mutations
/// (the `rand` crate is not a dependency of the CLI).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The binary under test: this build's, or `METRON_FUZZ_BIN` (to fuzz
/// another build, e.g. an older one, with the same mutants).
fn metron_bin() -> String {
    std::env::var("METRON_FUZZ_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_metron").to_string())
}

/// The real reports the mutants start from.
fn originals(dir: &Path) -> Vec<Value> {
    let runs: [&[&str]; 3] = [
        &["--runs", "10", "true"],
        &["--runs", "10", "true", "sleep 0.001"],
        &["timeit", "--lang", "python", "--runs", "10", "x = 1"],
    ];
    runs.iter()
        .enumerate()
        .map(|(i, args)| {
            let path = dir.join(format!("original-{i}.json"));
            let out = Command::new(metron_bin()).args(*args).arg("--export-json").arg(&path).output().unwrap();
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
        })
        .collect()
}

/// JSON pointers of every node of `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            m.iter().for_each(|(k, c)| pointers(c, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out))
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, c)| pointers(c, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

fn pick<'a>(rng: &mut SplitMix, all: &'a [String], keep: impl Fn(&str) -> bool) -> Option<&'a String> {
    let chosen: Vec<&String> = all.iter().filter(|p| keep(p)).collect();
    (!chosen.is_empty()).then(|| chosen[rng.below(chosen.len())])
}

/// Numbers no clock can produce, and spellings JSON does not have.
const ODD_NUMBERS: [&str; 14] = [
    "1e308",
    "-1e308",
    "-0.0",
    "0",
    "5e-324",
    "18446744073709551615",
    "-9223372036854775808",
    "1.7976931348623157e308",
    "\"NaN\"",
    "\"inf\"",
    "\"-Infinity\"",
    "1e999",
    "-1",
    "4294967296",
];

/// Text spliced in for a placeholder string after serialising.
const SPLICE: &str = "__metron_fuzz_splice__";

/// One mutation of `v`; returns what it did, and text to splice for
/// [`SPLICE`] when the mutation cannot be expressed as a `Value`.
fn mutate_once(rng: &mut SplitMix, v: &mut Value, splices: &mut Vec<String>) -> String {
    let mut all = Vec::new();
    pointers(v, String::new(), &mut all);
    let inner = |p: &str| !p.is_empty();
    match rng.below(10) {
        0 => {
            let Some(p) = pick(rng, &all, |p| p.contains('/')) else { return "nothing".into() };
            let (parent, key) = p.rsplit_once('/').unwrap();
            match v.pointer_mut(parent) {
                Some(Value::Object(m)) => {
                    m.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(a)) if !a.is_empty() => {
                    a.remove(key.parse::<usize>().unwrap_or(0).min(a.len() - 1));
                }
                _ => {}
            }
            format!("delete {p}")
        }
        1 => {
            let Some(p) = pick(rng, &all, inner) else { return "nothing".into() };
            let replacement =
                [Value::Null, Value::Bool(true), "12".into(), serde_json::json!({}), serde_json::json!([1])]
                    [rng.below(5)]
                .clone();
            *v.pointer_mut(p).unwrap() = replacement.clone();
            format!("{p} = {replacement}")
        }
        2 => {
            let Some(p) = pick(rng, &all, |p| v.pointer(p).is_some_and(Value::is_number)) else {
                return "nothing".into();
            };
            let odd = ODD_NUMBERS[rng.below(ODD_NUMBERS.len())];
            *v.pointer_mut(p).unwrap() = SPLICE.into();
            splices.push(odd.to_string());
            format!("{p} = {odd}")
        }
        3 => {
            let Some(p) = pick(rng, &all, |p| v.pointer(p).is_some_and(Value::is_array)) else {
                return "nothing".into();
            };
            let target = v.pointer_mut(p).unwrap();
            let first = target.get(0).cloned().unwrap_or(1.0.into());
            // Huge in entries, not in bytes: a copy of a whole benchmark
            // 20 000 times is a 100 MB file, a test of the disk.
            let copies = if first.is_object() || first.is_array() { 200 } else { 20_000 };
            *target = Value::Array(vec![first; copies]);
            format!("{p} = {copies} copies")
        }
        4 => {
            let Some(p) = pick(rng, &all, inner) else { return "nothing".into() };
            *v.pointer_mut(p).unwrap() = SPLICE.into();
            splices.push(format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)));
            format!("{p} = 10000 nested arrays")
        }
        5 => {
            let Some(p) =
                pick(rng, &all, |p| v.pointer(p).is_some_and(|x| x.as_object().is_some_and(|m| !m.is_empty())))
            else {
                return "nothing".into();
            };
            let m = v.pointer_mut(p).unwrap().as_object_mut().unwrap();
            let key = m.keys().nth(rng.below(m.len())).unwrap().clone();
            let other = m.values().nth(rng.below(m.len())).unwrap().clone();
            m.insert(SPLICE.into(), other);
            splices.push(serde_json::to_string(&key).unwrap());
            format!("{p}: duplicate key {key}")
        }
        6 => swap_columns(rng, v),
        7 => {
            let Some(p) = pick(rng, &all, |p| p.contains("/samples/wall_ns/") || p.contains("/samples/cpu_ns/")) else {
                return "nothing".into();
            };
            let x = v.pointer(p).unwrap().as_f64().unwrap_or(1.0);
            let factor = [1e-3, 0.5, 2.0, 1e3, 1e6][rng.below(5)];
            *v.pointer_mut(p).unwrap() = (x * factor).into();
            format!("{p} *= {factor}")
        }
        8 => {
            let Some(p) = pick(rng, &all, |p| {
                !p.contains("/samples/") && !p.contains("/environment/") && v.pointer(p).is_some_and(Value::is_number)
            }) else {
                return "nothing".into();
            };
            let forged = [-3.0, 7.0, 1.0, 0.0, 1e12, 0.5][rng.below(6)];
            *v.pointer_mut(p).unwrap() = forged.into();
            format!("forge {p} = {forged}")
        }
        _ => {
            let Some(list) = v.get_mut("benchmarks").and_then(Value::as_array_mut).filter(|l| !l.is_empty()) else {
                return "nothing".into();
            };
            let i = rng.below(list.len());
            let copy = list[i].clone();
            list.push(copy);
            format!("duplicate benchmark {i}")
        }
    }
}

/// Swaps two sample columns of a benchmark (or of two benchmarks), or cuts one short.
fn swap_columns(rng: &mut SplitMix, v: &mut Value) -> String {
    let Some(list) = v.get_mut("benchmarks").and_then(Value::as_array_mut).filter(|l| !l.is_empty()) else {
        return "nothing".into();
    };
    let (i, j) = (rng.below(list.len()), rng.below(list.len()));
    let columns_of = |b: &Value| b.get("samples").is_some_and(Value::is_object);
    if !(columns_of(&list[i]) && columns_of(&list[j])) {
        return "nothing".into();
    }
    let columns = ["iterations", "wall_ns", "cpu_ns", "at_ns", "round", "replicate", "user_ns", "max_rss_kib"];
    let (a, b) = (columns[rng.below(columns.len())], columns[rng.below(columns.len())]);
    let taken = list[i]["samples"].get(a).cloned().unwrap_or(Value::Null);
    if rng.below(3) == 0 {
        if let Some(col) = list[i]["samples"].get_mut(a).and_then(Value::as_array_mut) {
            col.truncate(col.len() / 2);
        }
        return format!("benchmark {i}: {a} cut short");
    }
    let other = std::mem::replace(&mut list[j]["samples"][b], taken);
    list[i]["samples"][a] = other;
    format!("swap benchmark {i} {a} with benchmark {j} {b}")
}

/// A mutant: its text and what was done to make it.
fn mutant(rng: &mut SplitMix, originals: &[Value]) -> (String, String) {
    let mut v = originals[rng.below(originals.len())].clone();
    let mut splices = Vec::new();
    let what: Vec<String> = (0..1 + rng.below(3)).map(|_| mutate_once(rng, &mut v, &mut splices)).collect();
    let mut text = v.to_string();
    for s in splices {
        text = text.replacen(&format!("\"{SPLICE}\""), &s, 1);
    }
    (text, what.join("; "))
}

/// A finished (or killed) process.
struct Outcome {
    code: Option<i32>,
    stderr: String,
    hung: bool,
}

fn run(args: &[&std::ffi::OsStr]) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let err = dir.path().join("err");
    let mut child = Command::new(metron_bin())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let (status, hung) = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break (Some(status), false);
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break (None, true);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Outcome { code: status.and_then(|s| s.code()), stderr: read(&err), hung }
}

/// Per-iteration values of one clock from a benchmark's sample columns, as
/// the mutant holds them; `None` when a column is missing or not numbers.
fn per_iteration(b: &Value, column: &str) -> Option<Vec<f64>> {
    let s = b.get("samples")?;
    let iterations = s.get("iterations")?.as_array()?;
    let values = s.get(column)?.as_array()?;
    iterations.iter().zip(values).map(|(n, x)| Some(x.as_f64()? / n.as_f64()?)).collect()
}

/// The headline median each benchmark of an accepted mutant must show,
/// recomputed from its samples: CPU when the benchmark's clock is CPU and
/// every sample has it, else wall.
fn expected_medians(mutant: &Value) -> Result<Vec<(String, f64, bool)>, String> {
    let list = mutant.get("benchmarks").and_then(Value::as_array).ok_or("accepted without benchmarks")?;
    list.iter()
        .map(|b| {
            let wall = per_iteration(b, "wall_ns").ok_or("accepted with unreadable wall_ns")?;
            let cpu = per_iteration(b, "cpu_ns").filter(|c| c.len() == wall.len());
            let on_cpu = b.get("clock").and_then(Value::as_str) == Some("cpu") && cpu.is_some();
            let values = if on_cpu { cpu.unwrap_or_default() } else { wall };
            let name = b.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            Ok((name, median(values), on_cpu))
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// Everything one mutant must satisfy; `Err` says what it broke.
fn check(text: &str, dir: &Path) -> Result<(), String> {
    let file = dir.join("mutant.json");
    std::fs::write(&file, text).unwrap();
    let parsed: Option<Value> = serde_json::from_str(text).ok();
    let exported = dir.join("loaded.json");
    let site = dir.join("site");
    let compare =
        run(&["compare".as_ref(), file.as_os_str(), file.as_os_str(), "--export-json".as_ref(), exported.as_os_str()]);
    let report = run(&["report".as_ref(), file.as_os_str(), "-o".as_ref(), site.as_os_str()]);
    for (what, o) in [("compare", &compare), ("report", &report)] {
        if o.hung {
            return Err(format!("{what} hung"));
        }
        if o.stderr.contains("panicked at") || o.code == Some(101) {
            return Err(format!("{what} panicked: {}", o.stderr));
        }
        match o.code {
            None => return Err(format!("{what} was killed by a signal: {}", o.stderr)),
            Some(0) if parsed.is_none() => return Err(format!("{what} accepted text that is not JSON")),
            Some(0) | Some(1) => {}
            Some(c) => return Err(format!("{what} exited {c}: {}", o.stderr)),
        }
    }
    for (what, o) in [("compare", &compare), ("report", &report)] {
        if o.code == Some(1) && o.stderr.lines().count() != 1 {
            return Err(format!("{what} refused in more than one line: {}", o.stderr));
        }
    }
    markdown_in_process(text)?;
    let Some(mutant) = parsed.filter(|_| report.code == Some(0) && compare.code == Some(0)) else { return Ok(()) };
    let expected = expected_medians(&mutant)?;
    let loaded: Value = serde_json::from_str(&std::fs::read_to_string(&exported).map_err(|e| e.to_string())?)
        .map_err(|e| format!("compare's export is not JSON: {e}"))?;
    let page = std::fs::read_to_string(site.join("index.html")).map_err(|e| format!("no page: {e}"))?;
    for (i, (name, want, on_cpu)) in expected.iter().enumerate() {
        let summary = if *on_cpu { "cpu" } else { "wall" };
        let got = loaded["benchmarks"][i][summary]["median"].as_f64();
        if !got.is_some_and(|g| close(g, *want)) {
            return Err(format!("'{name}': loaded {summary} median {got:?}, its samples say {want}"));
        }
        let n = loaded["benchmarks"][i]["wall"]["n"].as_u64();
        let samples = per_iteration(&mutant["benchmarks"][i], "wall_ns").map(|v| v.len() as u64);
        if n != samples {
            return Err(format!("'{name}': loaded n = {n:?}, it has {samples:?} samples"));
        }
        let clock = if *on_cpu { metron::model::ClockKind::Cpu } else { metron::model::ClockKind::Wall };
        let shown = metron::format::per_iteration(clock, *want);
        if !page.contains(&shown) {
            return Err(format!("'{name}': the page does not show the samples' median {shown}"));
        }
    }
    plausible_comparisons(&loaded)
}

/// Every paired comparison that was accepted says something a test can
/// say: a positive ratio inside its interval, a probability for p.
fn plausible_comparisons(loaded: &Value) -> Result<(), String> {
    for c in loaded.get("comparisons").and_then(Value::as_array).into_iter().flatten() {
        let f = |k: &str| c[k].as_f64().unwrap_or(f64::NAN);
        let (ratio, lo, hi, p) = (f("ratio"), c["ci"]["lo"].as_f64(), c["ci"]["hi"].as_f64(), f("p_value"));
        let inside = lo.zip(hi).is_some_and(|(lo, hi)| lo <= ratio && ratio <= hi);
        if !(ratio > 0.0 && inside && (0.0..=1.0).contains(&p)) {
            return Err(format!("an accepted comparison says ratio {ratio} (CI {lo:?}-{hi:?}), p = {p}"));
        }
    }
    Ok(())
}

/// The Markdown export of whatever the library accepts, in-process: no
/// panic, and the loader agrees with the binaries' verdict.
fn markdown_in_process(text: &str) -> Result<(), String> {
    let rendered = std::panic::catch_unwind(|| {
        metron::RunRecord::from_json(text, "mutant.json").ok().map(|r| metron_report::render_markdown(&r))
    });
    match rendered {
        Err(_) => Err("loading or Markdown panicked".into()),
        Ok(_) => Ok(()),
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn mutants_of_real_reports_never_panic_hang_or_show_what_their_samples_do_not_say() {
    let seed: u64 = env_or("METRON_FUZZ_SEED", 16);
    let count: usize = env_or("METRON_FUZZ_COUNT", 300);
    let workdir = tempfile::tempdir().unwrap();
    let originals = originals(workdir.path());
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let accepted = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                let dir = tempfile::tempdir().unwrap();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    // Mutant i depends only on the seed and i: any one can be made again alone.
                    let (text, what) =
                        &mutant(&mut SplitMix(seed ^ (i as u64).wrapping_mul(0xA076_1D64_78BD_642F)), &originals);
                    let what = &format!("mutant {i}: {what}");
                    let start = Instant::now();
                    if let Err(why) = check(text, dir.path()) {
                        failures.lock().unwrap().push((what.clone(), why, text.clone()));
                    }
                    if start.elapsed() > Duration::from_secs(2) {
                        eprintln!("slow mutant ({:.1} s): {what}", start.elapsed().as_secs_f64());
                    }
                    if metron::RunRecord::from_json(text, "m").is_ok() {
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    eprintln!(
        "{count} mutants (seed {seed}): {} accepted, {} refused, {} failed",
        accepted.load(Ordering::Relaxed),
        count - accepted.load(Ordering::Relaxed),
        failures.len()
    );
    if failures.is_empty() {
        return;
    }
    let keep = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-reports");
    let _ = std::fs::create_dir_all(&keep);
    let mut summary = String::new();
    for (i, (what, why, text)) in failures.iter().enumerate() {
        let _ = std::fs::write(keep.join(format!("failure-{i}.json")), text);
        summary.push_str(&format!("\n{i}: {what}\n   -> {}", why.chars().take(300).collect::<String>()));
    }
    panic!("{} of {count} mutants failed (kept in {}):{summary}", failures.len(), keep.display());
}

//! `metron [OPTIONS] COMMAND...`: benchmarking shell commands, with
//! parameter scans and lists expanded into one benchmark per value.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Result;
use metron::analysis::BenchmarkMeta;
use metron::options::RoutineMode;
use metron::routine::shell::{fill, substitute};
use metron::routine::{CommandRoutine, CommandSpec, FailurePolicy, OutputMode};
use metron::runner::Benchmark;

use crate::args::RunArgs;
use crate::config::{self, usage};
use crate::session::{Format, Session};

/// Most benchmarks a parameter scan or list may expand to; more is surely a typo.
const MAX_PARAMETER_VALUES: usize = 10_000;

/// A parameter and its values.
struct Parameter {
    name: String,
    values: Vec<String>,
}

/// Values of `--parameter-scan NAME MIN MAX [--step STEP]`.
fn scan_values(min: &str, max: &str, step: Option<&str>) -> Result<Vec<String>> {
    let num = |s: &str, what: &str| -> Result<f64> {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| usage(format!("--parameter-scan {what} '{s}' is not a number")))
    };
    let (lo, hi) = (num(min, "MIN")?, num(max, "MAX")?);
    let step_text = step.unwrap_or("1");
    let step = num(step_text, "step")?;
    if step <= 0.0 {
        return Err(usage("--step must be positive"));
    }
    if lo > hi {
        return Err(usage(format!("--parameter-scan MIN ({min}) is larger than MAX ({max})")));
    }
    // Counted in f64 and checked before converting: a float-to-int cast
    // saturates, so a huge span (-P t 0 1e308) would wrap a later `+ 1` to 0.
    // Never NaN: MIN and MAX are finite with MIN <= MAX, the step positive.
    let steps = ((hi - lo) / step + 1e-9).floor();
    if steps >= MAX_PARAMETER_VALUES as f64 {
        let count = steps + 1.0;
        let shown = match count {
            c if c < 1e15 => format!("{c:.0}"),
            c if c.is_finite() => format!("{c:e}"),
            _ => "more than 1e308".to_string(),
        };
        return Err(usage(format!("--parameter-scan would make {shown} benchmarks (at most {MAX_PARAMETER_VALUES})")));
    }
    let count = steps as usize + 1;
    // Show values with as many decimals as the inputs use, so 0.1 steps print as 0.3, not 0.30000000000000004.
    let decimals =
        [min, max, step_text].iter().map(|s| s.split_once('.').map_or(0, |(_, d)| d.len())).max().unwrap_or(0);
    Ok((0..count).map(|i| format!("{:.decimals$}", lo + i as f64 * step)).collect())
}

/// Values of `--parameter-list NAME VALUES`, split at commas. An empty
/// value (`''`, `a,,b`, a trailing comma) is refused: it would benchmark the
/// command with the placeholder removed, which is surely a slip.
fn list_values(name: &str, text: &str) -> Result<Vec<String>> {
    let values: Vec<String> = text.split(',').map(str::to_string).collect();
    if values.iter().any(String::is_empty) {
        return Err(usage(format!("--parameter-list {name} '{text}': empty value (values are separated by ',')")));
    }
    if values.len() > MAX_PARAMETER_VALUES {
        let n = values.len();
        return Err(usage(format!("--parameter-list would make {n} benchmarks (at most {MAX_PARAMETER_VALUES})")));
    }
    Ok(values)
}

/// The parameters of a scan or of the lists (`-L` may be given several
/// times: every combination is a benchmark).
fn parameters(args: &RunArgs) -> Result<Vec<Parameter>> {
    let params = if let Some(scan) = &args.parameter_scan {
        let values = scan_values(&scan[1], &scan[2], args.step.as_deref())?;
        vec![Parameter { name: scan[0].clone(), values }]
    } else {
        let mut params: Vec<Parameter> = Vec::new();
        for list in args.parameter_list.chunks(2) {
            let [name, text] = list else { continue };
            if params.iter().any(|p| &p.name == name) {
                return Err(usage(format!("--parameter-list {name} is given twice")));
            }
            params.push(Parameter { name: name.clone(), values: list_values(name, text)? });
        }
        params
    };
    check_combinations(&params)?;
    for p in &params {
        check_used(args, &p.name)?;
    }
    Ok(params)
}

/// The product of the lists stays within [`MAX_PARAMETER_VALUES`], and no
/// value holds another parameter's placeholder: values are data, never a
/// template for the next parameter.
fn check_combinations(params: &[Parameter]) -> Result<()> {
    let count = params.iter().try_fold(1usize, |n, p| n.checked_mul(p.values.len())).unwrap_or(usize::MAX);
    if count > MAX_PARAMETER_VALUES {
        return Err(usage(format!("the parameter lists make {count} combinations (at most {MAX_PARAMETER_VALUES})")));
    }
    for p in params {
        for other in params.iter().filter(|o| o.name != p.name) {
            let placeholder = format!("{{{}}}", other.name);
            if let Some(v) = p.values.iter().find(|v| v.contains(&placeholder)) {
                return Err(usage(format!("parameter {}: the value '{v}' holds {placeholder}", p.name)));
            }
        }
    }
    Ok(())
}

/// Every combination of the parameters' values, the first parameter
/// varying fastest (as hyperfine orders them); one empty combination
/// without parameters.
fn combinations(params: &[Parameter]) -> Vec<Vec<(&str, &str)>> {
    let mut out: Vec<Vec<(&str, &str)>> = vec![Vec::new()];
    // Each parameter's values outside the combinations so far: the later the
    // parameter, the slower it varies.
    for p in params {
        out = p
            .values
            .iter()
            .flat_map(|v| out.iter().map(move |c| c.iter().copied().chain([(p.name.as_str(), v.as_str())]).collect()))
            .collect();
    }
    out
}

/// A parameter no text uses would run the same benchmark once per value.
fn check_used(args: &RunArgs, name: &str) -> Result<()> {
    let placeholder = format!("{{{name}}}");
    let texts = args.commands.iter().chain(&args.names).chain(&args.prepare).chain(&args.conclude);
    let mut texts = texts.chain(args.setup.as_ref()).chain(args.cleanup.as_ref());
    if texts.any(|t| t.contains(&placeholder)) {
        return Ok(());
    }
    Err(usage(format!(
        "parameter {name}: no command, --name, --setup, --prepare, --conclude or --cleanup uses {placeholder}"
    )))
}

/// Picks the i-th of "one for all or one per command" options.
fn per_command<'a>(values: &'a [String], flag: &str, i: usize, commands: usize) -> Result<Option<&'a String>> {
    match values.len() {
        0 => Ok(None),
        1 => Ok(values.first()),
        n if n == commands => Ok(values.get(i)),
        n => Err(usage(format!("{n} {flag} values for {commands} commands (give one for all, or one per command)"))),
    }
}

/// The benchmarks the arguments describe, in order: each command, and for
/// each command each parameter value.
fn benchmarks(args: &RunArgs) -> Result<Vec<Benchmark<'static>>> {
    let n = args.commands.len();
    if !args.names.is_empty() && args.names.len() != n {
        return Err(usage(format!("{} --name values for {n} commands", args.names.len())));
    }
    let shell = config::shell_mode(if args.no_shell { "none" } else { &args.shell })?;
    let params = parameters(args)?;
    let combos = combinations(&params);
    let mut out = Vec::new();
    for (i, template) in args.commands.iter().enumerate() {
        let prepare = per_command(&args.prepare, "--prepare", i, n)?;
        let conclude = per_command(&args.conclude, "--conclude", i, n)?;
        for combo in &combos {
            // What people read shows the values quoted; what runs gets them as data.
            let show = |text: &str| combo.iter().fold(text.to_string(), |t, (name, v)| substitute(&t, name, v));
            let mut env = Vec::new();
            let mut fill_in = |text: &str| -> Result<String> {
                let mut line = text.to_string();
                for (name, v) in combo {
                    let filled = fill(&line, name, v, &shell).map_err(|e| usage(e.to_string()))?;
                    env.extend(filled.env.filter(|e| !env.contains(e)));
                    line = filled.line;
                }
                Ok(line)
            };
            let line = fill_in(template)?;
            let setup = args.setup.as_deref().map(&mut fill_in).transpose()?;
            let prepare = prepare.map(|p| fill_in(p)).transpose()?;
            let conclude = conclude.map(|c| fill_in(c)).transpose()?;
            let cleanup = args.cleanup.as_deref().map(&mut fill_in).transpose()?;
            let command = show(template);
            let name = args.names.get(i).map_or_else(|| command.clone(), |n| show(n));
            let parameters: BTreeMap<String, String> =
                combo.iter().map(|(name, v)| (name.to_string(), v.to_string())).collect();
            let spec = CommandSpec {
                command: line,
                shell: shell.clone(),
                setup,
                prepare,
                conclude,
                cleanup,
                env,
                output: output_mode(args)?,
                failure: if args.ignore_failure { FailurePolicy::Ignore } else { FailurePolicy::Fail },
            };
            let routine = CommandRoutine::new(spec).map_err(|e| usage(e.to_string()))?;
            let setup = args.setup.as_deref().map(show);
            let meta = BenchmarkMeta { name, group: None, parameters, command: Some(command), setup };
            out.push(Benchmark::new(meta, routine));
        }
    }
    disambiguate(&mut out);
    Ok(out)
}

/// `--output null|pipe|inherit|FILE` (hyperfine's), or `--show-output`.
fn output_mode(args: &RunArgs) -> Result<OutputMode> {
    Ok(match (args.show_output, args.output.as_deref()) {
        (true, None | Some("inherit")) | (false, Some("inherit")) => OutputMode::Show,
        (true, Some(_)) => return Err(usage("--show-output is --output inherit: give one of them")),
        (false, None | Some("null")) => OutputMode::Discard,
        (false, Some("pipe")) => OutputMode::Pipe,
        (false, Some("")) => return Err(usage("--output needs null, pipe, inherit or a file")),
        (false, Some(file)) => OutputMode::File(file.into()),
    })
}

/// Two benchmarks with one name could not be told apart in comparisons and
/// reports, but timing the same command twice is a legitimate A/A check
/// (`metron 'sleep 0.01' 'sleep 0.01'`): later duplicates get ` #2`, ` #3`….
fn disambiguate(benches: &mut [Benchmark<'_>]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for b in benches.iter_mut() {
        let count = seen.entry(b.meta.id()).or_insert(0);
        *count += 1;
        if *count > 1 {
            b.meta.name = format!("{} #{count}", b.meta.name);
        }
    }
}

/// Runs command mode.
pub fn run(mut args: RunArgs) -> Result<ExitCode> {
    let shown = args.style.is_none_or(|s| s.apply(&mut args.export.output.options.output));
    let options = &args.measure.options;
    let run = config::run_config(options, RoutineMode::Commands)?;
    let benches = benchmarks(&args)?;
    let names = benches.iter().flat_map(|b| [b.meta.name.clone(), b.meta.id()]);
    config::check_comparison(&options.comparison, names)?;
    let mut session = Session::start(&args.export, &run, BTreeMap::new(), Format::Blocks)?;
    if !shown {
        session.silence();
    }
    session.sort_by(args.sort);
    session.run(&run, benches)?;
    session.conclude(&options.comparison)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(name: &str, values: &[&str]) -> Parameter {
        Parameter { name: name.into(), values: values.iter().map(|v| v.to_string()).collect() }
    }

    #[test]
    fn lists_combine_with_the_first_varying_fastest() {
        let params = [list("x", &["1", "2"]), list("y", &["a", "b", "c"])];
        let combos: Vec<String> = combinations(&params)
            .iter()
            .map(|c| c.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(combos, ["x=1 y=a", "x=2 y=a", "x=1 y=b", "x=2 y=b", "x=1 y=c", "x=2 y=c"]);
        assert_eq!(combinations(&[]), vec![Vec::<(&str, &str)>::new()]);
        let nested = [list("x", &["{y}"]), list("y", &["a"])];
        assert!(check_combinations(&nested).unwrap_err().to_string().contains("holds {y}"));
        let many: Vec<String> = (0..200).map(|i| i.to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let big = [list("a", &many), list("b", &many)];
        assert!(check_combinations(&big).unwrap_err().to_string().contains("40000 combinations"));
    }

    #[test]
    fn scans() {
        assert_eq!(scan_values("1", "3", None).unwrap(), ["1", "2", "3"]);
        assert_eq!(scan_values("0.1", "0.3", Some("0.1")).unwrap(), ["0.1", "0.2", "0.3"]);
        assert_eq!(scan_values("0", "10", Some("5")).unwrap(), ["0", "5", "10"]);
        assert!(scan_values("3", "1", None).is_err());
        assert!(scan_values("1", "3", Some("0")).is_err());
        assert!(scan_values("a", "3", None).is_err());
        assert!(scan_values("0", "1e9", None).is_err());
        assert_eq!(list_values("m", "a b,c").unwrap(), ["a b", "c"]);
        for bad in ["", "a,,b", "a,", ",a"] {
            assert!(list_values("m", bad).unwrap_err().to_string().contains("empty value"), "{bad:?}");
        }
        assert_eq!(scan_values("1", "10000", None).unwrap().len(), MAX_PARAMETER_VALUES);
        let many: Vec<String> = (0..=MAX_PARAMETER_VALUES).map(|i| i.to_string()).collect();
        let err = list_values("m", &many.join(",")).unwrap_err().to_string();
        assert!(err.contains("--parameter-list would make 10001 benchmarks (at most 10000)"), "{err}");
        assert_eq!(list_values("m", &many[1..].join(",")).unwrap().len(), MAX_PARAMETER_VALUES);
        assert!(scan_values("0", "10000", None).unwrap_err().to_string().contains("would make 10001 benchmarks"));
        assert!(scan_values("0", "1e308", None).unwrap_err().to_string().contains("would make 1e308 benchmarks"));
        assert!(scan_values("-1e308", "1e308", None)
            .unwrap_err()
            .to_string()
            .contains("would make more than 1e308 benchmarks"));
    }
}

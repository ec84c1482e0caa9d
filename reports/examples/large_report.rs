//! Size and speed check for the HTML report: builds a synthetic run of many
//! benchmarks (100 × 200 samples by default), writes its JSON, reads it back
//! as the CLI would, renders the page and prints how long rendering took and
//! how big the page is. Run by `scripts/bench-report.sh`; the target is under
//! 2 s and a few MB for 100 benchmarks.
//!
//! Usage: `large_report [--benchmarks N] [--samples M] [--out DIR]`

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::time::Instant;

use metron::RunRecord;

struct Options {
    benchmarks: usize,
    samples: usize,
    out: PathBuf,
}

fn options() -> Result<Options, String> {
    let mut o = Options { benchmarks: 100, samples: 200, out: std::env::temp_dir().join("metron-large-report") };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--benchmarks" => o.benchmarks = value.parse().map_err(|e| format!("--benchmarks: {e}"))?,
            "--samples" => o.samples = value.parse().map_err(|e| format!("--samples: {e}"))?,
            "--out" => o.out = PathBuf::from(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let o = options()?;
    let built = Instant::now();
    let report = common::large_report(o.benchmarks, o.samples);
    eprintln!("built {} benchmarks × {} samples in {:.2?}", o.benchmarks, o.samples, built.elapsed());
    std::fs::create_dir_all(&o.out)?;
    let json_path = o.out.join("report.json");
    report.write_atomic(&json_path)?;

    let start = Instant::now();
    let loaded = RunRecord::load(&json_path)?;
    let loaded_in = start.elapsed();
    let html = metron_report::render_html(std::slice::from_ref(&loaded))?;
    let rendered_in = start.elapsed() - loaded_in;
    let page = metron_report::write_site(std::slice::from_ref(&loaded), &o.out)?;

    let figures = html.matches("<figure").count();
    println!(
        "json:     {} ({:.2} MB), loaded in {:.0?}",
        json_path.display(),
        mb(std::fs::metadata(&json_path)?.len()),
        loaded_in
    );
    println!("render:   {:.0} ms for {} benchmarks ({figures} charts)", rendered_in.as_secs_f64() * 1e3, o.benchmarks);
    println!("html:     {} bytes ({:.2} MB)", html.len(), mb(html.len() as u64));
    println!("page:     {}", page.display());
    Ok(())
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

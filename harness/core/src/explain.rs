//! Sentences that say how sure a result is and why sampling stopped, the
//! same in the terminal, the HTML and the Markdown report. Plain text: no
//! colour, no layout.
//!
//! They are built only from what the result recorded, so a report cannot
//! claim a precision that was not reached: a run that stopped on its time
//! budget says so beside the precision it got and the target it missed.

use crate::model::{BenchmarkResult, StopReason};

/// `±1.23%`: a relative half-width as people read it.
fn pm(x: f64) -> String {
    format!("±{:.2}%", x * 100.0)
}

/// Why sampling stopped and what precision it reached against its target:
/// "CI ±0.62% reached (target ±1.00%)", "time budget spent: CI ±1.80%,
/// target ±1.00%", "time budget spent: ratio CI ±0.66%, target ±0.33%".
pub fn stop_sentence(r: &BenchmarkResult) -> String {
    let head = r.headline();
    let recorded = r.stopping.as_ref();
    let reached = recorded.map_or_else(|| head.median_ci.relative_half_width(head.median), |s| s.reached);
    let target = recorded.and_then(|s| s.target).filter(|t| *t > 0.0);
    let ratio = recorded.and_then(|s| Some((s.ratio_reached?, s.ratio_target?)));
    let against = |what: &str, reached: f64, target: Option<f64>| match target {
        Some(t) => format!("{what} {}, target {}", pm(reached), pm(t)),
        None => format!("{what} {}", pm(reached)),
    };
    match r.stop_reason {
        StopReason::Precision => match (target, ratio) {
            (_, Some((rr, rt))) if rr > rt => format!("CI reached; {}", against("ratio CI", rr, Some(rt))),
            (Some(t), _) if reached > t * 1.000_001 => {
                let wider = if widened_by_earlier_runs(r) { "earlier runs differ" } else { "replicates differ" };
                format!("each replicate reached its target, {wider}: {}", against("CI", reached, target))
            }
            _ => format!("CI {} reached", pm(reached)),
        },
        StopReason::TimeBudget => match ratio {
            Some((rr, rt)) if rr > rt => format!("time budget spent: {}", against("ratio CI", rr, Some(rt))),
            _ => format!("time budget spent: {}", against("CI", reached, target)),
        },
        StopReason::MaxSamples => format!("max runs reached: {}", against("CI", reached, target)),
        StopReason::FixedRuns => format!("CI {}", pm(reached)),
        StopReason::Interrupted => "interrupted".to_string(),
    }
}

/// Where the headline interval's width comes from: "±0.30% within a run,
/// ±1.80% run to run (5 replicates)", and when earlier runs on this host
/// widened it, "…, ±4.10% over 7 earlier runs on this host"; `None`
/// without replicates or earlier runs.
pub fn uncertainty_sentence(r: &BenchmarkResult) -> Option<String> {
    let level = r.run_level.as_ref()?;
    let mut text = format!("{} within a run", pm(level.within));
    if level.replicates >= 2 {
        text.push_str(&format!(", {} run to run ({} replicates)", pm(level.between), level.replicates));
    }
    if let Some(e) = &level.earlier {
        text.push_str(&format!(", {} over {} earlier runs on this host", pm(e.half_width), e.runs));
        if let Some(off) = atypical_by(r, e) {
            text.push_str(&format!(
                " (their mean is {:+.1}% from this run's median, and the CI reaches it)",
                off * 100.0
            ));
        }
    }
    Some(text)
}

/// How far the earlier runs' mean lies from this run's median (relative,
/// earlier over this run, minus 1), when its interval reaches beyond the
/// band of the earlier runs' spread around this run: a run disturbed as a
/// whole, or a benchmark whose code changed under the same name. `None`
/// for a typical run.
fn atypical_by(r: &BenchmarkResult, e: &crate::model::EarlierRuns) -> Option<f64> {
    let centre = r.headline().median;
    let h = crate::stats::two_level::earlier_log_half_width(e, 0.95)?;
    let mean = crate::stats::two_level::earlier_mean_log_interval(e, 0.95)?;
    let l = centre.ln();
    (centre > 0.0 && (mean.lo < l - h || mean.hi > l + h)).then(|| ((mean.lo + mean.hi) / 2.0 - l).exp() - 1.0)
}

/// Whether earlier runs on this host, rather than this run's replicates,
/// set the width of the headline interval.
fn widened_by_earlier_runs(r: &BenchmarkResult) -> bool {
    r.run_level.as_ref().is_some_and(|l| {
        l.earlier.is_some_and(|e| e.half_width > l.between.max(l.within) || atypical_by(r, &e).is_some())
    })
}

//! Points grouped into series: one per benchmark and host (or CPU model,
//! or all hosts merged), because a benchmark's level on one machine says
//! nothing about another's.

use std::collections::BTreeMap;

use crate::changepoint::Observation;
use crate::store::Point;

/// What separates one series of a benchmark from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// One series per host (the default).
    #[default]
    Host,
    /// One series per CPU model: identical machines of a fleet share one.
    CpuModel,
    /// One series for all hosts.
    Merged,
}

impl Grouping {
    /// The line a point belongs to.
    fn line(self, p: &Point) -> String {
        match self {
            Grouping::Host => p.host.clone(),
            Grouping::CpuModel => p.cpu_model.clone().unwrap_or_else(|| "unknown CPU".into()),
            Grouping::Merged => "all hosts".into(),
        }
    }
}

/// One benchmark's runs on one line (host, CPU model or all), oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The benchmark (`group/name`).
    pub benchmark: String,
    /// The host, CPU model or "all hosts".
    pub line: String,
    /// The runs, oldest first.
    pub points: Vec<Point>,
}

impl Series {
    /// What change-point detection reads.
    pub fn observations(&self) -> Vec<Observation> {
        self.points.iter().map(|p| p.estimate.observation()).collect()
    }
}

/// The series of `points` (oldest first, as the history returns them),
/// ordered by benchmark, then line.
pub fn group(points: Vec<Point>, by: Grouping) -> Vec<Series> {
    let mut map: BTreeMap<(String, String), Vec<Point>> = BTreeMap::new();
    for p in points {
        map.entry((p.benchmark.clone(), by.line(&p))).or_default().push(p);
    }
    map.into_iter().map(|((benchmark, line), points)| Series { benchmark, line, points }).collect()
}

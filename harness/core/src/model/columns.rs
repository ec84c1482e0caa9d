//! Samples in JSON as columns: one array per field instead of one object per
//! sample.
//!
//! A run of a thousand short commands has thousands of samples, and writing
//! each as an object repeats every field name every time (a 2-command run
//! was 928 KB as objects, about a fifth of that as columns). Columns are
//! also what plotting and dataframe tools read directly:
//!
//! ```json
//! "samples": {"iterations": [10, 10], "wall_ns": [1204.0, 1198.0], "at_ns": [0, 1500]}
//! ```
//!
//! Every column has one entry per sample; an optional column (`cpu_ns`,
//! `round`, `replicate`, …) is left out when no sample has it and holds
//! `null` for a sample without it otherwise. `counts` (instructions and
//! other events, see [`crate::counter`]) is a column of objects. Files of schema version 1 wrote
//! one object per sample; they are still read.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Sample;

#[derive(Serialize, Deserialize)]
struct Columns {
    iterations: Vec<u64>,
    wall_ns: Vec<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cpu_ns: Option<Vec<Option<f64>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user_ns: Option<Vec<Option<f64>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sys_ns: Option<Vec<Option<f64>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_rss_kib: Option<Vec<Option<u64>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    round: Option<Vec<Option<u32>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replicate: Option<Vec<Option<u32>>>,
    at_ns: Vec<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    counts: Option<Vec<Option<crate::counter::Counts>>>,
}

/// A column of an optional field: absent when no sample has the field.
fn column<T>(samples: &[Sample], field: impl Fn(&Sample) -> Option<T>) -> Option<Vec<Option<T>>> {
    samples.iter().any(|s| field(s).is_some()).then(|| samples.iter().map(field).collect())
}

/// Writes samples as columns.
pub(super) fn serialize<S: Serializer>(samples: &[Sample], serializer: S) -> Result<S::Ok, S::Error> {
    Columns {
        iterations: samples.iter().map(|s| s.iterations).collect(),
        wall_ns: samples.iter().map(|s| s.wall_ns).collect(),
        cpu_ns: column(samples, |s| s.cpu_ns),
        user_ns: column(samples, |s| s.user_ns),
        sys_ns: column(samples, |s| s.sys_ns),
        max_rss_kib: column(samples, |s| s.max_rss_kib),
        round: column(samples, |s| s.round),
        replicate: column(samples, |s| s.replicate),
        at_ns: samples.iter().map(|s| s.at_ns).collect(),
        counts: column(samples, |s| s.counts),
    }
    .serialize(serializer)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Layout {
    Columns(Box<Columns>),
    /// Schema version 1: one object per sample.
    Rows(Vec<Sample>),
}

/// Reads samples written as columns, or as one object each (schema 1).
pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Sample>, D::Error> {
    let c = match Layout::deserialize(deserializer)? {
        Layout::Rows(rows) => return Ok(rows),
        Layout::Columns(c) => c,
    };
    let n = c.iterations.len();
    let lengths = [
        ("wall_ns", Some(c.wall_ns.len())),
        ("at_ns", Some(c.at_ns.len())),
        ("cpu_ns", c.cpu_ns.as_ref().map(Vec::len)),
        ("user_ns", c.user_ns.as_ref().map(Vec::len)),
        ("sys_ns", c.sys_ns.as_ref().map(Vec::len)),
        ("max_rss_kib", c.max_rss_kib.as_ref().map(Vec::len)),
        ("round", c.round.as_ref().map(Vec::len)),
        ("replicate", c.replicate.as_ref().map(Vec::len)),
        ("counts", c.counts.as_ref().map(Vec::len)),
    ];
    if let Some((name, Some(len))) = lengths.iter().find(|(_, len)| len.is_some_and(|l| l != n)) {
        return Err(D::Error::custom(format!("samples: column {name} has {len} entries, iterations has {n}")));
    }
    let at = |col: &Option<Vec<Option<f64>>>, i: usize| col.as_ref().and_then(|v| v[i]);
    Ok((0..n)
        .map(|i| Sample {
            iterations: c.iterations[i],
            wall_ns: c.wall_ns[i],
            cpu_ns: at(&c.cpu_ns, i),
            user_ns: at(&c.user_ns, i),
            sys_ns: at(&c.sys_ns, i),
            max_rss_kib: c.max_rss_kib.as_ref().and_then(|v| v[i]),
            round: c.round.as_ref().and_then(|v| v[i]),
            replicate: c.replicate.as_ref().and_then(|v| v[i]),
            at_ns: c.at_ns[i],
            counts: c.counts.as_ref().and_then(|v| v[i]),
        })
        .collect())
}

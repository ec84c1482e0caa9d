//! Benchmark ids as criterion spells them, and how they become metron's.
//!
//! criterion's full id is `group/function/parameter` (or `group/function`,
//! `group/parameter`); metron's is `group/name`. The group stays the group
//! and the rest becomes the name, so the ids are the same strings in both
//! tools: in titles, in the JSON and in the filter, and a criterion user's
//! `cargo bench -- encode/3072` selects what it always did.

use std::collections::BTreeMap;
use std::fmt::Display;

use metron::BenchmarkMeta;

/// A benchmark's id within a group: a function name, a parameter, or both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BenchmarkId {
    function: Option<String>,
    parameter: Option<String>,
}

impl BenchmarkId {
    /// `function/parameter`: the same function over several inputs.
    pub fn new<S: Into<String>, P: Display>(function_name: S, parameter: P) -> BenchmarkId {
        BenchmarkId { function: Some(function_name.into()), parameter: Some(parameter.to_string()) }
    }

    /// Just the parameter, for groups with one function.
    pub fn from_parameter<P: Display>(parameter: P) -> BenchmarkId {
        BenchmarkId { function: None, parameter: Some(parameter.to_string()) }
    }

    /// The name within the group: `function/parameter`, `function` or `parameter`.
    pub(crate) fn name(&self) -> String {
        match (&self.function, &self.parameter) {
            (Some(f), Some(p)) => format!("{f}/{p}"),
            (Some(f), None) => f.clone(),
            (None, Some(p)) => p.clone(),
            (None, None) => String::new(),
        }
    }

    /// The metron description of this benchmark in `group`: its name, and
    /// the parameter recorded as the parameter `parameter` with, beside it,
    /// the function as `function` (the reports' scaling charts draw time
    /// against `parameter`, one curve per function).
    pub(crate) fn meta(&self, group: Option<&str>) -> BenchmarkMeta {
        let mut parameters = BTreeMap::new();
        if let Some(p) = &self.parameter {
            parameters.insert("parameter".to_string(), p.clone());
            if let Some(f) = &self.function {
                parameters.insert("function".to_string(), f.clone());
            }
        }
        BenchmarkMeta { group: group.map(str::to_string), parameters, ..BenchmarkMeta::named(self.name()) }
    }

    /// For `Criterion::bench_with_input`, which has no group: the id's
    /// function is the group and its parameter the name, so the id reads
    /// `function/parameter` as in criterion.
    pub(crate) fn ungrouped_meta(&self) -> BenchmarkMeta {
        match (&self.function, &self.parameter) {
            (Some(f), Some(_)) => BenchmarkId { function: None, parameter: self.parameter.clone() }.meta(Some(f)),
            _ => self.meta(None),
        }
    }
}

/// What `bench_function` and `bench_with_input` take as an id: a string or
/// a [`BenchmarkId`].
pub trait IntoBenchmarkId {
    /// The id.
    fn into_benchmark_id(self) -> BenchmarkId;
}

impl IntoBenchmarkId for BenchmarkId {
    fn into_benchmark_id(self) -> BenchmarkId {
        self
    }
}

impl<S: Into<String>> IntoBenchmarkId for S {
    fn into_benchmark_id(self) -> BenchmarkId {
        BenchmarkId { function: Some(self.into()), parameter: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_criterion_s_strings() {
        assert_eq!(
            BenchmarkId::new("encode", 3072).meta(Some("encode_small_input")).id(),
            "encode_small_input/encode/3072"
        );
        assert_eq!(BenchmarkId::from_parameter(16).meta(Some("from_elem")).id(), "from_elem/16");
        assert_eq!("zeroes-100".into_benchmark_id().meta(Some("simple-100b")).id(), "simple-100b/zeroes-100");
        assert_eq!("fib 20".into_benchmark_id().meta(None).id(), "fib 20");
        let meta = BenchmarkId::new("f", "x").meta(Some("g"));
        assert_eq!(meta.parameters.get("parameter").map(String::as_str), Some("x"));
        assert_eq!(meta.parameters.get("function").map(String::as_str), Some("f"));
        assert!(!BenchmarkId::from_parameter(3).meta(Some("g")).parameters.contains_key("function"));
    }

    #[test]
    fn criterion_level_inputs_group_by_function() {
        assert_eq!(BenchmarkId::new("sort", 100).ungrouped_meta().id(), "sort/100");
        assert_eq!(BenchmarkId::from_parameter(5).ungrouped_meta().id(), "5");
    }
}

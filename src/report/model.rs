//! The Report value: the single source of every output format.
//!
//! Field names are a contract (DESIGN.md, "Report"): users script against the
//! JSON, so fields are added, never renamed. Every list is in a stable order
//! and nothing depends on the wall clock, so reports of one bundle diff cleanly.
//!
//! The model depends on no stage: only on the plain vocabulary of `facts`
//! (kinds, severities, condition results). Everything that reads a report
//! (batch summaries, `rules new --from-report`) reads it typed, through
//! `Deserialize`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::facts::{
    Affected, ConditionResult, ConditionStatus, Confidence, Effect, Explained, Fix, InventoryEntry,
    Level, Severity,
};

pub const SCHEMA: &str = "podmortem.report/v1";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// Always `SCHEMA`.
    pub schema: String,
    /// One line a person reads first.
    pub verdict: String,
    pub bundle: BundleInfo,
    pub environment: Environment,
    pub findings: Vec<Finding>,
    pub ruled_out: Vec<RuledOut>,
    /// Failures a later success resolved (same fields as `ruled_out`).
    pub resolved: Vec<RuledOut>,
    pub unrecognized: Vec<Unrecognized>,
    pub inventory: Vec<InventoryEntry>,
    pub warnings: Vec<String>,
    /// Values masked in quoted evidence, by kind (`secret`, `jwt`, `url-credentials`...).
    pub redactions: BTreeMap<String, u64>,
    /// The rule pack the report was made with.
    pub rules: RulesInfo,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BundleInfo {
    pub name: String,
    pub bytes: u64,
    /// sha256 of the input file; for a directory, of its entries' paths and sizes.
    pub sha256: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RulesInfo {
    pub count: usize,
    pub sha256: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Environment {
    pub nodes: Vec<NodeInfo>,
    /// The Kubernetes versions seen anywhere in the bundle.
    pub kubernetes: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NodeInfo {
    pub name: String,
    pub named_by: String,
    pub os: Option<String>,
    pub kernel: Option<String>,
    pub kubernetes: Option<String>,
    pub runtime: Option<String>,
    /// The package list read for this node (artifact path), if any: the first of `package_lists`.
    pub package_list: Option<String>,
    /// Every package list read for this node, when there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub package_lists: Vec<String>,
    pub packages: usize,
    pub mountinfo: Option<String>,
    /// Kubelet and runtime logs read for this node.
    pub logs: Vec<String>,
    /// NotReady / Unknown when a node list says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The artifact each of os, kernel, kubernetes and runtime was read from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, String>,
    /// Where the node's sources disagree, in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Evidence {
    pub artifact: String,
    /// First line of the record (1-based).
    pub line: u64,
    pub line_end: u64,
    pub text: String,
    /// The first lines of `text`, for short reports (Markdown pasted into a ticket).
    pub excerpt: String,
    pub timestamp: Option<String>,
    /// The part of the record the signal matched.
    pub matched: String,
    pub signal: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub title: String,
    pub severity: Severity,
    pub category: String,
    pub confidence: Confidence,
    /// Why that confidence, in a sentence.
    pub confidence_reason: String,
    pub summary: String,
    pub affected: Affected,
    pub evidence: Vec<Evidence>,
    pub occurrences: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub conditions: Vec<ConditionResult>,
    pub fix: Fix,
    pub references: Vec<String>,
    pub explains: Vec<Explained>,
}

/// A rule that matched but is not a current cause: ruled out by a fact, or
/// resolved by later evidence (`cleared_by` says which, where and when).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RuledOut {
    pub rule: String,
    pub title: String,
    pub nodes: Vec<String>,
    #[serde(default)]
    pub pods: Vec<String>,
    #[serde(default)]
    pub volumes: Vec<String>,
    pub reason: String,
    #[serde(default)]
    pub cleared_by: Vec<Cleared>,
    pub occurrences: u64,
    #[serde(default)]
    pub first_seen: Option<String>,
    #[serde(default)]
    pub last_seen: Option<String>,
    pub conditions: Vec<ConditionResult>,
    pub evidence: Vec<Evidence>,
}

/// What shows a failure over: in words, and the line (if any) and time that say it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cleared {
    pub what: String,
    pub artifact: String,
    pub line: Option<u64>,
    pub timestamp: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Unrecognized {
    pub template: String,
    pub level: Level,
    /// Known background noise (probe failures, nameserver limits...), ranked last.
    pub benign: bool,
    pub count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub nodes: Vec<String>,
    pub pods: Vec<String>,
    pub example: Evidence,
}

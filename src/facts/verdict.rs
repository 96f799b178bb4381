//! The words a verdict is given in: a rule file states a severity, evaluation
//! decides a confidence and each condition's status, and the report prints
//! all of them. One type each, so no stage parses another's strings back.

use crate::logline::Timestamp;
use serde::{Deserialize, Serialize};

/// How bad a failure is, as its rule file states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Every required condition holds (or the message itself names the failure).
    Confirmed,
    /// A required condition could not be checked: the bundle lacks the artifact.
    Probable,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Probable => "probable",
        }
    }
}

/// What the bundle says about one condition of a rule on one node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConditionStatus {
    Held,
    Failed,
    /// The bundle lacks the artifact that would tell.
    Unknown,
}

/// `require` conditions decide the outcome (false: ruled out; unknown: probable);
/// `support` conditions only add corroboration and never rule out; a
/// `resolve` condition's text found after a failure on its node shows the
/// failure over (a CSI driver that registered after its pods failed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    #[default]
    Require,
    Support,
    Resolve,
}

/// One condition of a rule, as evaluation decided it on one node.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConditionResult {
    pub name: String,
    pub status: ConditionStatus,
    pub effect: Effect,
    /// The fact that decided it, in words.
    pub detail: String,
    pub artifact: Option<String>,
    pub line: Option<u64>,
}

/// Who and what a finding is about.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Affected {
    /// `namespace/name`, or a bare name where nothing says the namespace.
    pub pods: Vec<String>,
    pub volumes: Vec<String>,
    pub nodes: Vec<String>,
}

/// A rule's fix with the values the bundle states filled in.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fix {
    pub summary: String,
    pub steps: Vec<String>,
}

/// A symptom a finding explains (folded into it instead of reported alone).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Explained {
    pub rule: String,
    pub occurrences: u64,
}

/// An error-like record's level: errors rank before warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

/// What shows a failure over, in words, and where the bundle says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clearance {
    pub what: String,
    pub artifact: String,
    /// None when the whole artifact says it (a pod list without the pod).
    pub line: Option<u64>,
    pub timestamp: Option<Timestamp>,
}

//! The rule file format, exactly as written in `rules/*.toml`.
//!
//! These types are the serde view of a file and nothing more: unknown fields
//! are refused (`deny_unknown_fields`) so a typo is an error, not a silently
//! ignored key. Checking what serde cannot (regexes, ids, captures used in the
//! fix) is `load.rs`'s job.

use serde::{Deserialize, Serialize};

use crate::facts::{ArtifactKind, Effect, Severity};

/// One rule file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub category: String,
    pub summary: String,
    #[serde(default)]
    pub references: Vec<String>,
    /// A symptom rule: reported only when no specific finding explains it.
    #[serde(default)]
    pub symptom: bool,
    /// Rule ids whose hits on the same pod, volume or node this rule explains.
    #[serde(default)]
    pub supersedes: Vec<String>,
    #[serde(rename = "signal")]
    pub signals: Vec<SignalSpec>,
    #[serde(rename = "condition", default)]
    pub conditions: Vec<ConditionSpec>,
    pub fix: FixSpec,
    #[serde(rename = "example", default)]
    pub examples: Vec<ExampleSpec>,
}

/// A named regex searched in records of the listed artifact kinds. Any one
/// signal of a rule is enough for the rule to fire; signals are the faces of one failure.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalSpec {
    pub name: String,
    #[serde(rename = "in")]
    pub kinds: Vec<ArtifactKind>,
    /// Case-sensitive literals, at least one of which every matching record
    /// contains verbatim: the prefilter looks for these before any regex runs.
    #[serde(default)]
    pub literals: Vec<String>,
    /// Opt out of the prefilter (every record of the kinds is tried): slow, so explicit.
    #[serde(default)]
    pub no_prefilter: bool,
    /// Matched against the record with Go/JSON escapes undone (`\"` -> `"`, `\n` -> newline).
    pub regex: String,
}

/// What a condition asserts about the facts of the node a finding is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConditionFact {
    /// `packages`: one of `names` is installed / absent / installed within `version`.
    Package,
    /// `mount`: a mountinfo row with the given fstype / root suffix / mount point text exists.
    Mount,
    /// `version`: the `component` version is within `version`.
    Version,
    /// `text`: a regex is found in records of `in` kinds on the node.
    Text,
    /// `node-not-ready`: another node of the cluster is NotReady or Unknown.
    NodeNotReady,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    Present,
    Absent,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    /// What a support engineer reads in the report, e.g. "NFS client package absent".
    pub name: String,
    pub fact: ConditionFact,
    #[serde(default = "default_expect")]
    pub expect: Expect,
    #[serde(default)]
    pub effect: Effect,
    /// `package`: package names, any of which counts.
    #[serde(default)]
    pub names: Vec<String>,
    /// `package`/`version`: a range such as `>= 2.41, < 2.41.1`.
    #[serde(default)]
    pub version: Option<String>,
    /// `version`: `kubernetes`, `kata`, `containerd`, `kernel`, ...
    #[serde(default)]
    pub component: Option<String>,
    /// `mount`: filesystem types, any of which counts.
    #[serde(default)]
    pub fstype: Vec<String>,
    /// `mount`: the root field ends with this (`//deleted`).
    #[serde(default)]
    pub root_suffix: Option<String>,
    /// `mount`: the mount point contains this text.
    #[serde(default)]
    pub mount_point_contains: Option<String>,
    /// `text`: the regex and the kinds it is looked for in.
    #[serde(default)]
    pub regex: Option<String>,
    #[serde(rename = "in", default)]
    pub kinds: Vec<ArtifactKind>,
    #[serde(default)]
    pub literals: Vec<String>,
    /// The artifact that would settle the condition when the bundle lacks it.
    pub needs: String,
}

fn default_expect() -> Expect {
    Expect::Present
}

/// The fix, as minijinja text filled from captures (`pods`, `volumes`, `nodes`, ...) and facts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    pub summary: String,
    #[serde(default)]
    pub steps: Vec<String>,
}

/// A real line (or record) that must match the rule, or a near-miss that must not.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// The record as it appears in the artifact (several lines for a multi-line record).
    pub text: String,
    /// The artifact kind the record comes from.
    pub kind: ArtifactKind,
    /// true: must match; false: a near-miss that must not.
    #[serde(rename = "match")]
    pub matches: bool,
    /// Where the text comes from (public issue URL) or why it is a near-miss.
    pub source: String,
}

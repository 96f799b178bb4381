//! The Report value, built from what the stages hand on: the verdicts of
//! evaluation, each node's facts, the clustered unrecognized errors, the
//! inventory and warnings. This is where plain data becomes what a person
//! reads: rule titles, evidence excerpts (the node's own logs first, clipped
//! to fit a ticket), times with their year, and the one-line verdict.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::model::{
    BundleInfo, Cleared, Environment, Evidence, Finding, InventoryEntry, NodeInfo, Report,
    RuledOut, RulesInfo, Unrecognized, SCHEMA,
};
use crate::facts::{ArtifactKind, NodeFacts, Observations, Severity, SignalHit, Sourced};
use crate::rules::evaluate::{Dismissed, Verdicts};
use crate::rules::load::{Rule, RulePack};
use crate::unrecognized::Cluster;

/// For a symptom standing alone (a mount timeout, an attach failure): the
/// most frequent error no rule explains on one of its pods or naming one of
/// its volumes, which more likely says why than "nothing else explains it".
fn unexplained_beside<'c>(
    rule: &Rule,
    affected: &crate::facts::Affected,
    clusters: &'c [Cluster],
) -> Option<&'c Cluster> {
    if !rule.spec.symptom {
        return None;
    }
    let bare = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let pods: Vec<String> = affected.pods.iter().map(|p| bare(p)).collect();
    clusters
        .iter()
        .filter(|c| !c.benign)
        .filter(|c| {
            c.pods.iter().any(|p| pods.contains(&bare(p)))
                || affected
                    .volumes
                    .iter()
                    .any(|v| c.example_text.contains(&format!("\"{v}\"")))
        })
        .max_by_key(|c| c.count)
}

/// Evidence records shown per finding (all are counted in `occurrences`).
const MAX_EVIDENCE: usize = 6;
const MAX_EVIDENCE_PER_ARTIFACT: usize = 2;
/// Lines of one record in an evidence excerpt.
const EXCERPT_LINES: usize = 5;
/// Lines of one record shown as evidence.
const MAX_EVIDENCE_LINES: usize = 24;
/// Bytes of one evidence line (and of the matched text) shown in a report: a
/// line may be up to `Limits::max_line_bytes` (1 MiB) long, and a report must
/// stay small enough to paste into a ticket.
pub const MAX_EVIDENCE_LINE_BYTES: usize = 4096;

/// Everything a report is made of.
pub struct Parts<'a> {
    pub bundle: BundleInfo,
    pub pack: &'a RulePack,
    pub obs: &'a Observations,
    pub nodes: &'a [NodeFacts<'a>],
    pub verdicts: &'a Verdicts<'a>,
    pub clusters: Vec<Cluster>,
    pub inventory: Vec<InventoryEntry>,
    pub warnings: Vec<String>,
}

pub fn build(parts: Parts<'_>) -> Report {
    let Parts {
        bundle,
        pack,
        obs,
        nodes,
        verdicts,
        clusters,
        mut inventory,
        warnings,
    } = parts;
    let year = verdicts.year;
    let findings: Vec<Finding> = verdicts
        .findings
        .iter()
        .filter_map(|f| {
            let rule = pack.rules.get(f.rule)?;
            Some(Finding {
                rule: rule.spec.id.clone(),
                title: rule.spec.title.clone(),
                severity: f.severity,
                category: rule.spec.category.clone(),
                confidence: f.confidence,
                confidence_reason: match unexplained_beside(rule, &f.affected, &clusters) {
                    Some(c) => format!(
                        "a symptom: an error no rule knows, on the same pod or volume, may be its cause: \"{}\" ({} time(s), {} line {})",
                        c.template, c.count, c.example_artifact, c.example_line
                    ),
                    None => f.confidence_reason.clone(),
                },
                summary: rule.spec.summary.clone(),
                affected: f.affected.clone(),
                evidence: evidence(&f.hits, obs, rule, year),
                occurrences: f.occurrences,
                first_seen: f.first_seen.map(|t| t.to_string()),
                last_seen: f.last_seen.map(|t| t.to_string()),
                conditions: f.conditions.clone(),
                fix: f.fix.clone(),
                references: rule.spec.references.clone(),
                explains: f.explains.clone(),
            })
        })
        .collect();
    let dismissed = |list: &[Dismissed<'_>]| -> Vec<RuledOut> {
        list.iter()
            .filter_map(|d| {
                let rule = pack.rules.get(d.rule)?;
                Some(RuledOut {
                    rule: rule.spec.id.clone(),
                    title: rule.spec.title.clone(),
                    nodes: d.node.iter().cloned().collect(),
                    pods: d.affected.pods.clone(),
                    volumes: d.affected.volumes.clone(),
                    reason: d.reason.clone(),
                    cleared_by: d
                        .cleared_by
                        .iter()
                        .map(|c| Cleared {
                            what: c.what.clone(),
                            artifact: c.artifact.clone(),
                            line: c.line,
                            timestamp: c.timestamp.map(|t| t.to_string()),
                        })
                        .collect(),
                    occurrences: d.occurrences,
                    first_seen: d.first_seen.map(|t| t.to_string()),
                    last_seen: d.last_seen.map(|t| t.to_string()),
                    conditions: d.conditions.clone(),
                    evidence: evidence(&d.hits, obs, rule, year),
                })
            })
            .collect()
    };
    inventory.sort_by(|a, b| a.path.cmp(&b.path));
    Report {
        schema: SCHEMA.to_string(),
        verdict: verdict(&findings),
        bundle,
        environment: environment(obs, nodes),
        ruled_out: dismissed(&verdicts.ruled_out),
        resolved: dismissed(&verdicts.resolved),
        findings,
        unrecognized: clusters.into_iter().map(unrecognized).collect(),
        inventory,
        warnings,
        redactions: BTreeMap::new(),
        rules: RulesInfo {
            count: pack.rules.len(),
            sha256: pack.hash.clone(),
        },
    }
}

/// The one line a person reads first.
fn verdict(findings: &[Finding]) -> String {
    let causes: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity > Severity::Low)
        .collect();
    if causes.is_empty() {
        return match findings.len() {
            0 => "No known failure found.".to_string(),
            n => format!("No root cause found; {n} low-severity symptom(s) listed below."),
        };
    }
    let parts: Vec<String> = causes
        .iter()
        .map(|f| {
            let on = f.affected.nodes.join(", ");
            let confidence = f.confidence.as_str();
            if on.is_empty() {
                format!("{} ({confidence})", f.title)
            } else {
                format!("{} on {on} ({confidence})", f.title)
            }
        })
        .collect();
    format!("{} root cause(s) found: {}", causes.len(), parts.join("; "))
}

/// The environment table: each node's facts, and every Kubernetes version the bundle states.
fn environment(obs: &Observations, nodes: &[NodeFacts<'_>]) -> Environment {
    let mut kubernetes = BTreeSet::new();
    for a in &obs.artifacts {
        for v in &a.versions {
            if v.component == "kubernetes" {
                kubernetes.insert(kubernetes_version(&v.version));
            }
        }
        kubernetes.extend(
            a.nodes
                .iter()
                .filter_map(|s| s.version.as_deref().map(kubernetes_version)),
        );
    }
    let value = |s: &Option<Sourced<String>>| s.as_ref().map(|s| s.value.clone());
    let sources = |n: &NodeFacts<'_>| -> BTreeMap<String, String> {
        [
            ("os", &n.os),
            ("kernel", &n.kernel),
            ("kubernetes", &n.kubernetes),
            ("runtime", &n.runtime),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v.as_ref()?.artifact.clone())))
        .collect()
    };
    Environment {
        nodes: nodes
            .iter()
            .map(|n| NodeInfo {
                name: n.name.clone(),
                named_by: n.named_by.clone(),
                os: value(&n.os),
                kernel: value(&n.kernel),
                kubernetes: n.kubernetes.as_ref().map(|k| kubernetes_version(&k.value)),
                runtime: value(&n.runtime),
                package_list: n
                    .packages
                    .as_ref()
                    .and_then(|p| p.artifacts().first().map(|a| a.to_string())),
                package_lists: n
                    .packages
                    .as_ref()
                    .filter(|p| p.lists.len() > 1)
                    .map(|p| p.artifacts().iter().map(|a| a.to_string()).collect())
                    .unwrap_or_default(),
                packages: n
                    .packages
                    .as_ref()
                    .map_or(0, |p| p.rows().filter(|(_, p)| p.installed).count()),
                mountinfo: n
                    .mounts
                    .as_ref()
                    .filter(|m| m.kind == ArtifactKind::Mountinfo)
                    .map(|m| m.artifact.clone()),
                logs: n.logs.clone(),
                status: n.status.clone(),
                sources: sources(n),
                conflicts: n.conflicts.clone(),
            })
            .collect(),
        kubernetes: kubernetes.into_iter().collect(),
    }
}

/// A Kubernetes version as the project writes it: `v1.29.4`, whatever the
/// source dropped (`1.29.4` in a kubelet's structured log).
fn kubernetes_version(v: &str) -> String {
    let v = v.trim();
    if v.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{v}")
    } else {
        v.to_string()
    }
}

fn unrecognized(c: Cluster) -> Unrecognized {
    Unrecognized {
        template: c.template,
        level: c.level,
        benign: c.benign,
        count: c.count,
        first_seen: c.first_seen,
        last_seen: c.last_seen,
        nodes: c.nodes,
        pods: c.pods,
        example: Evidence {
            artifact: c.example_artifact,
            line: c.example_line,
            line_end: c.example_line,
            excerpt: c
                .example_text
                .lines()
                .take(6)
                .collect::<Vec<_>>()
                .join("\n"),
            text: c.example_text,
            timestamp: None,
            matched: String::new(),
            signal: String::new(),
        },
    }
}

/// Evidence a person reads first: the node's own logs before cluster views,
/// one record per artifact before a second from any.
fn evidence(
    hits: &[&SignalHit],
    obs: &Observations,
    rule: &Rule,
    year: Option<u16>,
) -> Vec<Evidence> {
    let priority = |k: Option<ArtifactKind>| match k {
        Some(ArtifactKind::KubeletLog) => 0u8,
        Some(ArtifactKind::RuntimeLog) => 1,
        Some(ArtifactKind::PodDescribe) => 2,
        Some(ArtifactKind::Events) => 3,
        _ => 4,
    };
    let mut per_artifact: BTreeMap<(u8, &str), Vec<&SignalHit>> = BTreeMap::new();
    for h in hits {
        let a = obs.artifacts.get(h.artifact);
        let key = (
            priority(a.and_then(|a| a.kind)),
            a.map_or("", |a| a.path.as_str()),
        );
        per_artifact.entry(key).or_default().push(h);
    }
    let mut out = Vec::new();
    for round in 0..MAX_EVIDENCE_PER_ARTIFACT {
        for list in per_artifact.values() {
            if let Some(h) = list.get(round) {
                if out.len() < MAX_EVIDENCE {
                    out.push(evidence_of(h, obs, rule, year));
                }
            }
        }
    }
    out
}

/// One hit as evidence: its record's lines (clipped), an excerpt, the time with its year.
fn evidence_of(h: &SignalHit, obs: &Observations, rule: &Rule, year: Option<u16>) -> Evidence {
    let artifact = obs.artifacts.get(h.artifact);
    let year = artifact.and_then(|a| a.year).or(year);
    let signal = rule
        .signals
        .get(h.signal)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let mut lines: Vec<Cow<'_, str>> = h.record.raw.iter().map(|l| clip(l)).collect();
    let cut = lines.len() > MAX_EVIDENCE_LINES;
    lines.truncate(MAX_EVIDENCE_LINES);
    let excerpt = {
        let mut e = lines
            .iter()
            .take(EXCERPT_LINES)
            .map(|l| l.as_ref())
            .collect::<Vec<_>>()
            .join("\n")
            .trim_end()
            .to_string();
        if lines.len() > EXCERPT_LINES {
            e.push_str("\n[...]");
        }
        e
    };
    let mut text = lines.join("\n").trim_end().to_string();
    if cut {
        text.push_str("\n[...]");
    }
    Evidence {
        artifact: artifact.map(|a| a.path.clone()).unwrap_or_default(),
        line: h.record.first_line,
        line_end: h.record.last_line,
        text,
        excerpt,
        timestamp: h.record.timestamp.map(|t| match year {
            Some(y) => t.with_year(y).to_string(),
            None => t.to_string(),
        }),
        matched: clip(&h.matched).into_owned(),
        signal,
    }
}

/// `line` cut to `MAX_EVIDENCE_LINE_BYTES` (at a character boundary), saying how much was cut.
fn clip(line: &str) -> Cow<'_, str> {
    if line.len() <= MAX_EVIDENCE_LINE_BYTES {
        return Cow::Borrowed(line);
    }
    let mut end = MAX_EVIDENCE_LINE_BYTES;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let head = line.get(..end).unwrap_or_default();
    Cow::Owned(format!("{head} [... {} bytes cut]", line.len() - end))
}

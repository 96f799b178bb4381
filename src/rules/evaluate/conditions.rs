//! What each condition of a rule says on one node: a package installed,
//! absent or within a version range; a mount; a component version; a text
//! found in the node's artifacts; another node NotReady. Held, failed, or
//! unknown when the bundle lacks the artifact, with the fact that decided it.

use std::collections::BTreeMap;

use super::super::load::Condition;
use super::super::schema::{ConditionFact, Expect};
use crate::facts::{
    ArtifactKind, ConditionResult, ConditionStatus, MountTable, NodeFacts, NodeStatus,
    Observations, Package, VersionFact,
};
use crate::layout::Layout;
use crate::version::Scheme;

/// (rule, condition) -> where a text condition's regex was found: (node, artifact, line).
pub(super) type TextIndex = BTreeMap<(usize, usize), Vec<(Option<String>, String, u64)>>;

fn status_result(
    c: &Condition,
    status: ConditionStatus,
    detail: String,
    artifact: Option<String>,
    line: Option<u64>,
) -> ConditionResult {
    ConditionResult {
        name: c.spec.name.clone(),
        status,
        effect: c.spec.effect,
        detail,
        artifact,
        line,
    }
}

/// Packages that install a component, for its version when nothing else states it.
fn component_packages(component: &str) -> &'static [&'static str] {
    match component {
        "kubernetes" => &[
            "kubelet",
            "kubernetes-node",
            "kubernetes-kubelet",
            "kubernetes1.18-kubelet",
        ],
        "containerd" => &["containerd", "containerd.io"],
        "kata" => &["kata-containers", "kata-runtime", "kata-containers-runtime"],
        _ => &[],
    }
}

/// Flip held/failed when the condition expects absence.
fn expect(c: &Condition, found: bool) -> ConditionStatus {
    match (c.spec.expect, found) {
        (Expect::Present, true) | (Expect::Absent, false) => ConditionStatus::Held,
        _ => ConditionStatus::Failed,
    }
}

pub(super) struct Ctx<'a> {
    pub(super) obs: &'a Observations,
    pub(super) layout: &'a Layout,
    pub(super) nodes: &'a [NodeFacts<'a>],
    pub(super) statuses: Vec<&'a NodeStatus>,
    /// (rule, condition) -> nodes where the text was found (None: a cluster-level artifact).
    pub(super) text_found: TextIndex,
}

pub(super) fn evaluate_condition(
    ctx: &Ctx<'_>,
    rule: usize,
    ci: usize,
    c: &Condition,
    node: Option<&str>,
) -> ConditionResult {
    let facts = node.and_then(|n| ctx.nodes.iter().find(|f| f.name == n));
    let where_ = node.unwrap_or("an unknown node");
    match c.spec.fact {
        ConditionFact::Package => {
            let Some(list) = facts.and_then(|f| f.packages.as_ref()) else {
                return status_result(
                    c,
                    ConditionStatus::Unknown,
                    format!("no package list for {where_}; needs {}", c.spec.needs),
                    None,
                    None,
                );
            };
            let all = list.artifacts().join(", ");
            let installed: Vec<(&str, &Package)> = list
                .rows()
                .filter(|(_, p)| p.installed && c.spec.names.iter().any(|n| n == &p.name))
                .collect();
            let names = c.spec.names.join(", ");
            match &c.range {
                None => {
                    let status = expect(c, !installed.is_empty());
                    let (detail, artifact, line) = match installed.first() {
                        Some((path, p)) => (
                            format!(
                                "{} {} is installed ({path} line {})",
                                p.name, p.version, p.line
                            ),
                            path.to_string(),
                            Some(p.line),
                        ),
                        None => (
                            format!(
                                "none of {names} is installed ({all}, {} packages)",
                                list.len()
                            ),
                            all.clone(),
                            None,
                        ),
                    };
                    status_result(c, status, detail, Some(artifact), line)
                }
                Some(range) => {
                    if installed.is_empty() {
                        return status_result(
                            c,
                            ConditionStatus::Unknown,
                            format!("none of {names} is in {all}; needs {}", c.spec.needs),
                            Some(all.clone()),
                            None,
                        );
                    }
                    let inside = installed
                        .iter()
                        .find(|(_, p)| range.contains(p.manager.scheme(), &p.version));
                    let shown = inside.or(installed.first());
                    let detail = match (inside, shown) {
                        (Some((path, p)), _) => format!(
                            "{} {} is within {} ({path} line {})",
                            p.name,
                            p.version,
                            range.as_str(),
                            p.line
                        ),
                        (None, Some((path, p))) => format!(
                            "{} {} is outside {} ({path} line {})",
                            p.name,
                            p.version,
                            range.as_str(),
                            p.line
                        ),
                        _ => String::new(),
                    };
                    status_result(
                        c,
                        expect(c, inside.is_some()),
                        detail,
                        shown.map(|(path, _)| path.to_string()),
                        shown.map(|(_, p)| p.line),
                    )
                }
            }
        }
        ConditionFact::Mount => {
            let Some(MountTable {
                rows: mounts,
                artifact: path,
                kind,
            }) = facts.and_then(|f| f.mounts.as_ref())
            else {
                return status_result(
                    c,
                    ConditionStatus::Unknown,
                    format!("no mountinfo for {where_}; needs {}", c.spec.needs),
                    None,
                    None,
                );
            };
            if c.spec.root_suffix.is_some() && *kind != ArtifactKind::Mountinfo {
                return status_result(
                    c,
                    ConditionStatus::Unknown,
                    format!(
                        "{path} is `mount` output, which has no root field; needs {}",
                        c.spec.needs
                    ),
                    Some(path.clone()),
                    None,
                );
            }
            let hit = mounts.iter().find(|m| {
                (c.spec.fstype.is_empty() || c.spec.fstype.iter().any(|f| f == &m.fstype))
                    && c.spec
                        .root_suffix
                        .as_ref()
                        .is_none_or(|s| m.root.ends_with(s.as_str()))
                    && c.spec
                        .mount_point_contains
                        .as_ref()
                        .is_none_or(|s| m.mount_point.contains(s.as_str()))
            });
            let detail = match hit {
                Some(m) => format!(
                    "{path} line {}: {} on {} (root {})",
                    m.line, m.fstype, m.mount_point, m.root
                ),
                None => format!("no such mount among the {} rows of {path}", mounts.len()),
            };
            status_result(
                c,
                expect(c, hit.is_some()),
                detail,
                Some(path.clone()),
                hit.map(|m| m.line),
            )
        }
        ConditionFact::Version => {
            let component = c.spec.component.as_deref().unwrap_or("");
            let node_version =
                facts.and_then(|f| f.versions.iter().find(|(v, _)| v.component == component));
            // A cluster-wide statement (kubectl version) when the node says nothing.
            let cluster_version = || {
                ctx.obs.artifacts.iter().enumerate().find_map(|(i, a)| {
                    let cluster = ctx.layout.node_of.get(i).is_none_or(|n| n.is_none())
                        || ctx.layout.nodes.len() == 1;
                    if !cluster {
                        return None;
                    }
                    a.versions
                        .iter()
                        .find(|v| v.component == component)
                        .map(|v| (v, a.path.clone()))
                })
            };
            // The package that ships the component, when no log or version file states it.
            let from_package = || {
                let names = component_packages(component);
                let list = facts.and_then(|f| f.packages.as_ref())?;
                list.rows()
                    .find(|(_, p)| p.installed && names.contains(&p.name.as_str()))
                    .map(|(path, p)| {
                        let upstream =
                            crate::version::upstream(p.manager.scheme(), &p.version).to_string();
                        (
                            VersionFact {
                                component: component.to_string(),
                                version: upstream,
                                line: p.line,
                            },
                            path.to_string(),
                        )
                    })
            };
            let found = node_version
                .map(|(v, p)| ((*v).clone(), p.clone()))
                .or_else(|| cluster_version().map(|(v, p)| (v.clone(), p)))
                .or_else(from_package);
            let (Some((v, path)), Some(range)) = (found, &c.range) else {
                return status_result(
                    c,
                    ConditionStatus::Unknown,
                    format!(
                        "no {component} version for {where_}; needs {}",
                        c.spec.needs
                    ),
                    None,
                    None,
                );
            };
            let inside = range.contains(Scheme::Semver, &v.version);
            let detail = format!(
                "{component} {} is {} {} ({path} line {})",
                v.version,
                if inside { "within" } else { "outside" },
                range.as_str(),
                v.line
            );
            status_result(c, expect(c, inside), detail, Some(path), Some(v.line))
        }
        ConditionFact::Text => {
            let found = ctx.text_found.get(&(rule, ci)).and_then(|v| {
                v.iter()
                    .find(|(n, _, _)| n.is_none() || n.as_deref() == node)
            });
            if let Some((_, path, line)) = found {
                return status_result(
                    c,
                    expect(c, true),
                    format!("found in {path} line {line}"),
                    Some(path.clone()),
                    Some(*line),
                );
            }
            let has_kind = match facts {
                Some(f) => c.spec.kinds.iter().any(|k| f.kinds.contains(k)),
                None => false,
            } || ctx.obs.artifacts.iter().enumerate().any(|(i, a)| {
                ctx.layout.node_of.get(i).is_some_and(|n| n.is_none())
                    && a.kind.is_some_and(|k| c.spec.kinds.contains(&k))
            });
            if has_kind {
                status_result(
                    c,
                    expect(c, false),
                    format!(
                        "not found in the {} artifacts of {where_}",
                        c.spec
                            .kinds
                            .iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join("/")
                    ),
                    None,
                    None,
                )
            } else {
                status_result(
                    c,
                    ConditionStatus::Unknown,
                    format!(
                        "no {} artifact for {where_}; needs {}",
                        c.spec
                            .kinds
                            .iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join("/"),
                        c.spec.needs
                    ),
                    None,
                    None,
                )
            }
        }
        ConditionFact::NodeNotReady => {
            if ctx.statuses.is_empty() {
                return status_result(
                    c,
                    ConditionStatus::Unknown,
                    format!("no node list in the bundle; needs {}", c.spec.needs),
                    None,
                    None,
                );
            }
            let other = ctx
                .statuses
                .iter()
                .find(|s| !s.is_ready() && Some(s.name.as_str()) != node);
            let detail = match other {
                Some(s) => format!("node {} is {}", s.name, s.status),
                None => "every other node is Ready".to_string(),
            };
            status_result(
                c,
                expect(c, other.is_some()),
                detail,
                None,
                other.map(|s| s.line),
            )
        }
    }
}

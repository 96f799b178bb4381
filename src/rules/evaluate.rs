//! From signal hits and facts to findings: which node and pod each hit is
//! about, what each condition says on that node, the outcome (confirmed,
//! probable, ruled out), and symptoms folded into the cause that explains them.

use std::collections::{BTreeMap, BTreeSet};

use super::load::{plural, Condition, Rule, RulePack};
use super::matcher::Target;
use super::schema::{ConditionFact, Effect, Expect};
use crate::classify::ArtifactKind;
use crate::layout::Layout;
use crate::parse::package_history::PackageChange;
use crate::parse::{MountEntry, NodeStatus, Package, PackageManager, VersionFact};
use crate::records::{iso_time, quotes, Timestamp};
use crate::report::model::{
    Affected, ConditionResult, Evidence, Explained, Finding, Fix, RuledOut, Status,
};
use crate::scan::{Hit, Observations};
use crate::version::Scheme;

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

/// `line` cut to `MAX_EVIDENCE_LINE_BYTES` (at a character boundary), saying how much was cut.
fn clip(line: &str) -> std::borrow::Cow<'_, str> {
    if line.len() <= MAX_EVIDENCE_LINE_BYTES {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut end = MAX_EVIDENCE_LINE_BYTES;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let head = line.get(..end).unwrap_or_default();
    std::borrow::Cow::Owned(format!("{head} [... {} bytes cut]", line.len() - end))
}

/// The facts of one node that conditions look at.
#[derive(Debug, Default)]
pub struct NodeFacts<'a> {
    pub name: String,
    /// None: the bundle has no package list for this node.
    pub packages: Option<(Vec<&'a Package>, String)>,
    pub mounts: Option<(Vec<&'a MountEntry>, String, ArtifactKind)>,
    pub versions: Vec<(&'a VersionFact, String)>,
    /// Package changes from the node's package manager logs, with their artifact path.
    pub history: Vec<(&'a PackageChange, String)>,
    /// Artifact kinds present for this node.
    pub kinds: BTreeSet<ArtifactKind>,
}

/// (rule, condition) -> where a text condition's regex was found: (node, artifact, line).
type TextFound = BTreeMap<(usize, usize), Vec<(Option<String>, String, u64)>>;

/// Per node index, the facts gathered from its artifacts.
pub fn node_facts<'a>(obs: &'a Observations, layout: &Layout) -> Vec<NodeFacts<'a>> {
    layout
        .nodes
        .iter()
        .map(|n| {
            let mut f = NodeFacts {
                name: n.name.clone(),
                ..NodeFacts::default()
            };
            for &i in &n.artifacts {
                let Some(a) = obs.artifacts.get(i) else {
                    continue;
                };
                if let Some(k) = a.kind {
                    f.kinds.insert(k);
                }
                f.history
                    .extend(a.package_changes.iter().map(|c| (c, a.path.clone())));
                if a.kind == Some(ArtifactKind::Packages) && !a.packages.is_empty() {
                    let entry = f
                        .packages
                        .get_or_insert_with(|| (Vec::new(), a.path.clone()));
                    entry.0.extend(a.packages.iter());
                }
                if matches!(
                    a.kind,
                    Some(ArtifactKind::Mountinfo) | Some(ArtifactKind::Mounts)
                ) && !a.mounts.is_empty()
                {
                    let better = match &f.mounts {
                        None => true,
                        // mountinfo has the root field; `mount` output does not.
                        Some((_, _, k)) => {
                            *k == ArtifactKind::Mounts && a.kind == Some(ArtifactKind::Mountinfo)
                        }
                    };
                    if better {
                        f.mounts = Some((
                            a.mounts.iter().collect(),
                            a.path.clone(),
                            a.kind.unwrap_or(ArtifactKind::Mounts),
                        ));
                    }
                }
                f.versions
                    .extend(a.versions.iter().map(|v| (v, a.path.clone())));
            }
            f
        })
        .collect()
}

/// Who a hit is about.
#[derive(Clone, Debug, Default)]
struct Subject {
    node: Option<String>,
    pod: Option<String>,
    namespace: Option<String>,
    volumes: BTreeSet<String>,
    uid: Option<String>,
}

/// Pod name -> (namespace, node), from every pod description and event.
fn pod_index(obs: &Observations) -> BTreeMap<String, (Option<String>, Option<String>)> {
    let mut idx: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
    for a in &obs.artifacts {
        for p in &a.pods {
            // Sources disagree in detail: a plain `get pods` table has no NODE
            // column, so it must not erase the node a describe stated.
            let entry = idx.entry(p.name.clone()).or_default();
            if entry.0.is_none() {
                entry.0.clone_from(&p.namespace);
            }
            if entry.1.is_none() {
                entry.1.clone_from(&p.node);
            }
        }
    }
    idx
}

fn split_pod(p: &str) -> (Option<String>, String) {
    // `ns/name`, or the kubelet's `name_ns(uid)`.
    if let Some((ns, name)) = p.split_once('/') {
        return (Some(ns.to_string()), name.to_string());
    }
    if let Some(open) = p.find('(') {
        let base = p.get(..open).unwrap_or(p);
        if let Some((name, ns)) = base.rsplit_once('_') {
            return (Some(ns.to_string()), name.to_string());
        }
    }
    (None, p.to_string())
}

fn subject(
    hit: &Hit,
    obs: &Observations,
    layout: &Layout,
    pods: &BTreeMap<String, (Option<String>, Option<String>)>,
) -> Subject {
    let mut s = Subject::default();
    let c = &hit.captures;
    if let Some(p) = c.get("pod") {
        let (ns, name) = split_pod(p);
        s.pod = Some(name);
        s.namespace = ns;
    }
    if let Some(ns) = c.get("namespace") {
        s.namespace = Some(ns.clone());
    }
    if let Some(v) = c.get("volume") {
        // `unmounted volumes=[a b]` lists several.
        s.volumes.extend(
            v.split([' ', ','])
                .filter(|x| !x.is_empty())
                .map(str::to_string),
        );
    }
    s.uid = c.get("uid").cloned();
    s.node = c.get("node").cloned();
    let artifact = obs.artifacts.get(hit.artifact);
    let kind = artifact.and_then(|a| a.kind);
    if let Some(a) = artifact {
        // A describe file: the pod whose section holds the line.
        if kind == Some(ArtifactKind::PodDescribe) {
            if let Some(p) = a
                .pods
                .iter()
                .filter(|p| p.line <= hit.record.first_line)
                .max_by_key(|p| p.line)
            {
                s.pod.get_or_insert_with(|| p.name.clone());
                if s.namespace.is_none() {
                    s.namespace = p.namespace.clone();
                }
                if s.node.is_none() {
                    s.node = p.node.clone();
                }
            }
        }
        // A pod list (JSON): the pod whose container status carries the matched message.
        if kind == Some(ArtifactKind::PodJson) && s.pod.is_none() {
            let owner = a.pods.iter().find(|p| {
                p.containers
                    .iter()
                    .filter_map(|c| c.last_message.as_deref())
                    .any(|m| quotes(&hit.record.text, m))
            });
            if let Some(p) = owner {
                s.pod = Some(p.name.clone());
                s.namespace = s.namespace.take().or_else(|| p.namespace.clone());
                s.node = s.node.take().or_else(|| p.node.clone());
            }
        }
        if kind == Some(ArtifactKind::Events) {
            // Table rows are found by line; JSON events (no line) by their message.
            let by_line = a
                .events
                .iter()
                .find(|e| e.line == hit.record.first_line && e.line > 0);
            let by_message = || {
                a.events
                    .iter()
                    .find(|e| quotes(&hit.record.text, &e.message))
            };
            if let Some(e) = by_line.or_else(by_message) {
                if let Some(obj) = &e.object {
                    let name = obj.rsplit('/').next().unwrap_or(obj);
                    if obj.starts_with("pod/") || !obj.contains('/') {
                        s.pod.get_or_insert_with(|| name.to_string());
                    }
                }
                if s.namespace.is_none() {
                    s.namespace = e.namespace.clone();
                }
                if s.node.is_none() {
                    s.node = e.node.clone();
                }
            }
        }
    }
    // A journal that mixes several hosts (OpenShift's host_service_logs) names the node per line.
    if s.node.is_none() {
        if let Some(n) = hit
            .record
            .host
            .as_deref()
            .and_then(|h| layout.node_for_host(h))
        {
            s.node = Some(n.name.clone());
        }
    }
    if s.node.is_none() {
        if let Some(Some(n)) = layout.node_of.get(hit.artifact) {
            s.node = layout.nodes.get(*n).map(|n| n.name.clone());
        }
    }
    if let Some(pod) = &s.pod {
        if let Some((ns, node)) = pods.get(pod) {
            if s.namespace.is_none() {
                s.namespace = ns.clone();
            }
            if s.node.is_none() {
                s.node = node.clone();
            }
        }
    }
    if s.node.is_none() && layout.nodes.len() == 1 {
        s.node = layout.nodes.first().map(|n| n.name.clone());
    }
    s
}

/// What all the hits of one rule on one node add up to.
struct Group<'h> {
    rule: usize,
    node: Option<String>,
    hits: Vec<(&'h Hit, Subject)>,
}

fn status_result(
    c: &Condition,
    status: Status,
    detail: String,
    artifact: Option<String>,
    line: Option<u64>,
) -> ConditionResult {
    ConditionResult {
        name: c.spec.name.clone(),
        status,
        effect: match c.spec.effect {
            Effect::Require => "require".into(),
            Effect::Support => "support".into(),
        },
        detail,
        artifact,
        line,
    }
}

fn scheme_of(m: PackageManager) -> Scheme {
    match m {
        PackageManager::Rpm => Scheme::Rpm,
        PackageManager::Dpkg => Scheme::Dpkg,
        PackageManager::Pacman => Scheme::Pacman,
        PackageManager::Apk => Scheme::Apk,
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
fn expect(c: &Condition, found: bool) -> Status {
    match (c.spec.expect, found) {
        (Expect::Present, true) | (Expect::Absent, false) => Status::Held,
        _ => Status::Failed,
    }
}

struct Ctx<'a> {
    obs: &'a Observations,
    layout: &'a Layout,
    nodes: &'a [NodeFacts<'a>],
    statuses: Vec<&'a NodeStatus>,
    /// (rule, condition) -> nodes where the text was found (None: a cluster-level artifact).
    text_found: TextFound,
}

fn evaluate_condition(
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
            let Some((pkgs, path)) = facts.and_then(|f| f.packages.as_ref()) else {
                return status_result(
                    c,
                    Status::Unknown,
                    format!("no package list for {where_}; needs {}", c.spec.needs),
                    None,
                    None,
                );
            };
            let installed: Vec<&&Package> = pkgs
                .iter()
                .filter(|p| p.installed && c.spec.names.iter().any(|n| n == &p.name))
                .collect();
            let names = c.spec.names.join(", ");
            match &c.range {
                None => {
                    let status = expect(c, !installed.is_empty());
                    let detail = match installed.first() {
                        Some(p) => format!(
                            "{} {} is installed ({path} line {})",
                            p.name, p.version, p.line
                        ),
                        None => format!(
                            "none of {names} is installed ({path}, {} packages)",
                            pkgs.len()
                        ),
                    };
                    let line = installed.first().map(|p| p.line);
                    status_result(c, status, detail, Some(path.clone()), line)
                }
                Some(range) => {
                    if installed.is_empty() {
                        return status_result(
                            c,
                            Status::Unknown,
                            format!("none of {names} is in {path}; needs {}", c.spec.needs),
                            Some(path.clone()),
                            None,
                        );
                    }
                    let inside = installed
                        .iter()
                        .find(|p| range.contains(scheme_of(p.manager), &p.version));
                    let shown = inside.or(installed.first());
                    let detail = match (inside, shown) {
                        (Some(p), _) => format!(
                            "{} {} is within {} ({path} line {})",
                            p.name,
                            p.version,
                            range.as_str(),
                            p.line
                        ),
                        (None, Some(p)) => format!(
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
                        Some(path.clone()),
                        shown.map(|p| p.line),
                    )
                }
            }
        }
        ConditionFact::Mount => {
            let Some((mounts, path, kind)) = facts.and_then(|f| f.mounts.as_ref()) else {
                return status_result(
                    c,
                    Status::Unknown,
                    format!("no mountinfo for {where_}; needs {}", c.spec.needs),
                    None,
                    None,
                );
            };
            if c.spec.root_suffix.is_some() && *kind != ArtifactKind::Mountinfo {
                return status_result(
                    c,
                    Status::Unknown,
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
                let (pkgs, path) = facts.and_then(|f| f.packages.as_ref())?;
                pkgs.iter()
                    .find(|p| p.installed && names.contains(&p.name.as_str()))
                    .map(|p| {
                        let upstream =
                            crate::version::upstream(scheme_of(p.manager), &p.version).to_string();
                        (
                            VersionFact {
                                component: component.to_string(),
                                version: upstream,
                                line: p.line,
                            },
                            path.clone(),
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
                    Status::Unknown,
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
                    Status::Unknown,
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
                    Status::Unknown,
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

/// Evidence a person reads first: the node's own logs before cluster views,
/// one record per artifact before a second from any.
fn evidence(
    hits: &[(&Hit, Subject)],
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
    let mut per_artifact: BTreeMap<(u8, &str), Vec<&Hit>> = BTreeMap::new();
    for (h, _) in hits {
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

pub fn evidence_of(h: &Hit, obs: &Observations, rule: &Rule, year: Option<u16>) -> Evidence {
    let artifact = obs.artifacts.get(h.artifact);
    let year = artifact.and_then(|a| a.year).or(year);
    let signal = match h.target {
        Target::Signal { signal, .. } => rule
            .signals
            .get(signal)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let mut lines: Vec<std::borrow::Cow<'_, str>> = h.record.raw.iter().map(|l| clip(l)).collect();
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

fn render_fix(rule: &Rule, hits: &[(&Hit, Subject)], node: Option<&str>) -> Fix {
    let mut lists: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for (h, s) in hits {
        for (k, v) in &h.captures {
            if let Some(p) = plural(k) {
                lists.entry(p).or_default().insert(v.clone());
            }
        }
        if let Some(p) = &s.pod {
            lists.entry("pods").or_default().insert(match &s.namespace {
                Some(ns) => format!("{ns}/{p}"),
                None => p.clone(),
            });
        }
        lists
            .entry("volumes")
            .or_default()
            .extend(s.volumes.iter().cloned());
        if let Some(n) = &s.node {
            lists.entry("nodes").or_default().insert(n.clone());
        }
    }
    // `ns/name` and a bare `name` of the same pod are one pod.
    if let Some(pods) = lists.get_mut("pods") {
        let full: Vec<String> = pods.iter().filter(|p| p.contains('/')).cloned().collect();
        pods.retain(|p| p.contains('/') || !full.iter().any(|f| f.ends_with(&format!("/{p}"))));
    }
    let mut ctx: BTreeMap<&str, String> = BTreeMap::new();
    for var in [
        "pods",
        "volumes",
        "nodes",
        "paths",
        "uids",
        "namespaces",
        "containers",
    ] {
        ctx.insert(
            var,
            lists
                .get(var)
                .map(|s| s.iter().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default(),
        );
    }
    // Bare pod names, for commands that take `-n <namespace>` separately.
    let bare: BTreeSet<String> = lists
        .get("pods")
        .map(|p| {
            p.iter()
                .map(|x| x.rsplit('/').next().unwrap_or(x).to_string())
                .collect()
        })
        .unwrap_or_default();
    ctx.insert("pod_names", bare.into_iter().collect::<Vec<_>>().join(", "));
    ctx.insert("node", node.unwrap_or("the node").to_string());
    ctx.insert("rule", rule.spec.id.clone());
    let env = minijinja::Environment::new();
    let render = |t: &str| env.render_str(t, &ctx).unwrap_or_else(|_| t.to_string());
    Fix {
        summary: render(&rule.spec.fix.summary),
        steps: rule.spec.fix.steps.iter().map(|s| render(s)).collect(),
    }
}

fn affected(hits: &[(&Hit, Subject)], node: Option<&str>) -> Affected {
    let mut pods = BTreeSet::new();
    let mut volumes = BTreeSet::new();
    for (_, s) in hits {
        if let Some(p) = &s.pod {
            pods.insert(match &s.namespace {
                Some(ns) => format!("{ns}/{p}"),
                None => p.clone(),
            });
        }
        volumes.extend(s.volumes.iter().cloned());
    }
    let full: Vec<String> = pods.iter().filter(|p| p.contains('/')).cloned().collect();
    pods.retain(|p| p.contains('/') || !full.iter().any(|f| f.ends_with(&format!("/{p}"))));
    Affected {
        pods: pods.into_iter().collect(),
        volumes: volumes.into_iter().collect(),
        nodes: node.map(|n| vec![n.to_string()]).unwrap_or_default(),
    }
}

fn seen(
    hits: &[(&Hit, Subject)],
    obs: &Observations,
    year: Option<u16>,
) -> (Option<String>, Option<String>) {
    let mut stamps: Vec<_> = hits
        .iter()
        .filter_map(|(h, _)| {
            let y = obs.artifacts.get(h.artifact).and_then(|a| a.year).or(year);
            h.record.timestamp.map(|t| match y {
                Some(y) => t.with_year(y),
                None => t,
            })
        })
        .collect();
    stamps.sort_by_key(|t| t.sort_key());
    (
        stamps.first().map(|t| t.to_string()),
        stamps.last().map(|t| t.to_string()),
    )
}

/// Does a specific finding's hits explain this symptom hit?
fn explains(specific: &[(&Hit, Subject)], node: Option<&str>, symptom: &Subject) -> bool {
    specific.iter().any(|(_, s)| {
        let same_pod = matches!((&s.pod, &symptom.pod), (Some(a), Some(b)) if a == b);
        let same_volume = !s.volumes.is_disjoint(&symptom.volumes);
        let same_uid = matches!((&s.uid, &symptom.uid), (Some(a), Some(b)) if a == b);
        // A symptom that names nothing is explained by a cause on its node.
        let anonymous = symptom.pod.is_none()
            && symptom.volumes.is_empty()
            && symptom.uid.is_none()
            && symptom.node.as_deref() == node;
        same_pod || same_volume || same_uid || anonymous
    })
}

/// The bundle-wide year for timestamps that carry none: the most common year the artifacts state.
fn bundle_year(obs: &Observations) -> Option<u16> {
    let mut counts: BTreeMap<u16, usize> = BTreeMap::new();
    for a in &obs.artifacts {
        if let Some(y) = a.year {
            *counts.entry(y).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(_, c)| *c).map(|(y, _)| y)
}

/// When the failures of a group are over because a package changed after them
/// (see `history`): the reason, for the `resolved` list.
fn later_package_change(
    ctx: &Ctx<'_>,
    rule: &Rule,
    results: &[ConditionResult],
    g: &Group<'_>,
    year: Option<u16>,
) -> Option<String> {
    let facts = ctx
        .nodes
        .iter()
        .find(|f| Some(&f.name) == g.node.as_ref())?;
    if facts.history.is_empty() {
        return None;
    }
    // Every failure must have a time, or a later one may hide among them.
    let mut last: Option<Timestamp> = None;
    for (h, _) in &g.hits {
        let t = hit_time(h, ctx.obs)?;
        let t = year.map_or(t, |y| t.with_year(y));
        if last.is_none_or(|l| t.sort_key() > l.sort_key()) {
            last = Some(t);
        }
    }
    let manager = facts
        .packages
        .as_ref()
        .and_then(|(p, _)| p.first())
        .map(|p| scheme_of(p.manager));
    let schemes = move |_: &str| manager;
    super::history::resolved_by_change(
        &super::history::failed_requires(&rule.conditions, results),
        last?,
        &facts.history,
        &schemes,
        year,
    )
}

/// When a hit happened: its record's time, or for an event row without one
/// (JSON, YAML) the event's last-seen time.
fn hit_time(h: &Hit, obs: &Observations) -> Option<Timestamp> {
    if let Some(t) = h.record.timestamp {
        return Some(t);
    }
    let a = obs.artifacts.get(h.artifact)?;
    let e = a
        .events
        .iter()
        .find(|e| e.line > 0 && e.line == h.record.first_line)
        .or_else(|| a.events.iter().find(|e| quotes(&h.record.text, &e.message)))?;
    iso_time(e.age.as_deref()?).map(|(t, _)| t)
}

/// Findings and ruled-out rules for one bundle.
/// What evaluation decides for a bundle.
#[derive(Debug, Default)]
pub struct Verdicts {
    pub findings: Vec<Finding>,
    pub ruled_out: Vec<RuledOut>,
    /// Failures that a later success in the same log resolved: history, not a current cause.
    pub resolved: Vec<RuledOut>,
}

/// When every kubelet-log failure of a group (per volume) is followed, in the
/// same log, by `MountVolume.SetUp succeeded` for that volume, the failure is
/// over. Says which success resolved each volume.
fn resolution(group: &Group<'_>, obs: &Observations) -> Option<String> {
    let mut last: BTreeMap<(usize, &str), (u64, Option<&str>)> = BTreeMap::new();
    for (h, s) in &group.hits {
        let is_kubelet =
            obs.artifacts.get(h.artifact).and_then(|a| a.kind) == Some(ArtifactKind::KubeletLog);
        let Some(volume) = h.captures.get("volume").filter(|_| is_kubelet) else {
            continue;
        };
        let uid = h.captures.get("uid").or(s.uid.as_ref()).map(String::as_str);
        let entry = last
            .entry((h.artifact, volume.as_str()))
            .or_insert((0, uid));
        if h.record.last_line >= entry.0 {
            *entry = (h.record.last_line, uid.or(entry.1));
        }
    }
    if last.is_empty() {
        return None;
    }
    let mut reasons = Vec::new();
    for ((artifact, volume), (line, uid)) in last {
        let a = obs.artifacts.get(artifact)?;
        let (ok_line, _, _) = a.mount_successes.iter().find(|(l, v, u)| {
            *l > line && v == volume && (uid.is_none() || u.is_none() || u.as_deref() == uid)
        })?;
        reasons.push(format!(
            "volume {volume} mounted at {} line {ok_line}, after the last failure at line {line}",
            a.path
        ));
    }
    Some(reasons.join("; "))
}

pub fn evaluate(pack: &RulePack, obs: &Observations, layout: &Layout) -> Verdicts {
    let nodes = node_facts(obs, layout);
    let pods = pod_index(obs);
    let year = bundle_year(obs);
    let statuses: Vec<&NodeStatus> = obs.artifacts.iter().flat_map(|a| a.nodes.iter()).collect();
    let mut text_found = TextFound::new();
    let mut groups: BTreeMap<(usize, Option<String>), Group<'_>> = BTreeMap::new();
    for h in &obs.hits {
        match h.target {
            Target::Condition { rule, condition } => {
                let node = layout
                    .node_of
                    .get(h.artifact)
                    .copied()
                    .flatten()
                    .and_then(|n| layout.nodes.get(n))
                    .map(|n| n.name.clone());
                let path = obs
                    .artifacts
                    .get(h.artifact)
                    .map(|a| a.path.clone())
                    .unwrap_or_default();
                text_found.entry((rule, condition)).or_default().push((
                    node,
                    path,
                    h.record.first_line,
                ));
            }
            Target::Signal { rule, .. } => {
                let s = subject(h, obs, layout, &pods);
                let key = (rule, s.node.clone());
                groups
                    .entry(key)
                    .or_insert_with(|| Group {
                        rule,
                        node: s.node.clone(),
                        hits: Vec::new(),
                    })
                    .hits
                    .push((h, s));
            }
            Target::Probe(_) => {}
        }
    }
    let ctx = Ctx {
        obs,
        layout,
        nodes: &nodes,
        statuses,
        text_found,
    };
    // Outcome of each group.
    struct Outcome<'g, 'h> {
        group: &'g Group<'h>,
        conditions: Vec<ConditionResult>,
        ruled_out: bool,
        resolved: Option<String>,
    }
    let mut outcomes: Vec<Outcome<'_, '_>> = Vec::new();
    for g in groups.values_mut() {
        g.hits.sort_by(|(a, _), (b, _)| {
            (
                obs.artifacts.get(a.artifact).map(|x| &x.path),
                a.record.first_line,
            )
                .cmp(&(
                    obs.artifacts.get(b.artifact).map(|x| &x.path),
                    b.record.first_line,
                ))
        });
    }
    for g in groups.values() {
        let Some(rule) = pack.rules.get(g.rule) else {
            continue;
        };
        let conditions: Vec<ConditionResult> = rule
            .conditions
            .iter()
            .enumerate()
            .map(|(ci, c)| evaluate_condition(&ctx, g.rule, ci, c, g.node.as_deref()))
            .collect();
        let ruled_out = conditions
            .iter()
            .zip(&rule.conditions)
            .any(|(r, c)| c.spec.effect == Effect::Require && r.status == Status::Failed);
        let resolved = if ruled_out {
            later_package_change(&ctx, rule, &conditions, g, year)
        } else if rule.spec.symptom {
            None
        } else {
            resolution(g, obs)
        };
        let ruled_out = ruled_out && resolved.is_none();
        outcomes.push(Outcome {
            group: g,
            conditions,
            ruled_out,
            resolved,
        });
    }
    let mut findings = Vec::new();
    let mut ruled = Vec::new();
    let mut resolved = Vec::new();
    for o in &outcomes {
        let Some(rule) = pack.rules.get(o.group.rule) else {
            continue;
        };
        let node = o.group.node.as_deref();
        if let Some(reason) = &o.resolved {
            resolved.push(RuledOut {
                rule: rule.spec.id.clone(),
                title: rule.spec.title.clone(),
                nodes: node.map(|n| vec![n.to_string()]).unwrap_or_default(),
                reason: format!("resolved: {reason}"),
                occurrences: o.group.hits.len() as u64,
                conditions: o.conditions.clone(),
                evidence: evidence(&o.group.hits, obs, rule, year),
            });
            continue;
        }
        if o.ruled_out {
            let reason = o
                .conditions
                .iter()
                .zip(&rule.conditions)
                .filter(|(r, c)| c.spec.effect == Effect::Require && r.status == Status::Failed)
                .map(|(r, _)| format!("{}: {}", r.name, r.detail))
                .collect::<Vec<_>>()
                .join("; ");
            ruled.push(RuledOut {
                rule: rule.spec.id.clone(),
                title: rule.spec.title.clone(),
                nodes: node.map(|n| vec![n.to_string()]).unwrap_or_default(),
                reason,
                occurrences: o.group.hits.len() as u64,
                conditions: o.conditions.clone(),
                evidence: evidence(&o.group.hits, obs, rule, year),
            });
            continue;
        }
        // A symptom hit is folded into a specific finding that explains it.
        let mut hits: Vec<(&Hit, Subject)> = o.group.hits.clone();
        let mut folded_into: Vec<usize> = Vec::new();
        if rule.spec.symptom {
            hits.retain(|(_, s)| {
                let explainer = outcomes.iter().position(|other| {
                    !other.ruled_out
                        && pack.rules.get(other.group.rule).is_some_and(|r| {
                            r.spec.id != rule.spec.id && r.spec.supersedes.contains(&rule.spec.id)
                        })
                        && explains(&other.group.hits, other.group.node.as_deref(), s)
                });
                match explainer {
                    Some(i) => {
                        folded_into.push(i);
                        false
                    }
                    None => true,
                }
            });
            if hits.is_empty() {
                continue;
            }
        }
        let unknown: Vec<&ConditionResult> = o
            .conditions
            .iter()
            .zip(&rule.conditions)
            .filter(|(r, c)| c.spec.effect == Effect::Require && r.status == Status::Unknown)
            .map(|(r, _)| r)
            .collect();
        let (confidence, reason) = if rule.spec.symptom {
            ("probable", "a symptom: nothing else in the bundle explains it, so the real cause may be outside what was collected".to_string())
        } else if !unknown.is_empty() {
            (
                "probable",
                format!(
                    "the signal matched but {} could not be checked: {}",
                    unknown.len(),
                    unknown
                        .iter()
                        .map(|r| r.detail.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            )
        } else if rule
            .conditions
            .iter()
            .any(|c| c.spec.effect == Effect::Require)
        {
            (
                "confirmed",
                format!(
                    "the signal matched and every required condition holds: {}",
                    o.conditions
                        .iter()
                        .filter(|r| r.status == Status::Held)
                        .map(|r| r.detail.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            )
        } else {
            (
                "confirmed",
                "the message itself names the failure".to_string(),
            )
        };
        let (first_seen, last_seen) = seen(&hits, obs, year);
        // A symptom standing alone is not a root cause: never above low.
        let severity = if rule.spec.symptom {
            rule.spec.severity.min(super::schema::Severity::Low)
        } else {
            rule.spec.severity
        };
        findings.push(Finding {
            rule: rule.spec.id.clone(),
            title: rule.spec.title.clone(),
            severity: severity.as_str().to_string(),
            category: rule.spec.category.clone(),
            confidence: confidence.to_string(),
            confidence_reason: reason,
            summary: rule.spec.summary.clone(),
            affected: affected(&hits, node),
            evidence: evidence(&hits, obs, rule, year),
            occurrences: hits.len() as u64,
            first_seen,
            last_seen,
            conditions: o.conditions.clone(),
            fix: render_fix(rule, &hits, node),
            references: rule.spec.references.clone(),
            explains: Vec::new(),
        });
    }
    // Tell each specific finding which symptoms it explains.
    for o in &outcomes {
        let Some(rule) = pack.rules.get(o.group.rule) else {
            continue;
        };
        if !rule.spec.symptom || o.ruled_out {
            continue;
        }
        for (_, s) in &o.group.hits {
            let explainer = outcomes.iter().find(|other| {
                !other.ruled_out
                    && pack.rules.get(other.group.rule).is_some_and(|r| {
                        r.spec.id != rule.spec.id && r.spec.supersedes.contains(&rule.spec.id)
                    })
                    && explains(&other.group.hits, other.group.node.as_deref(), s)
            });
            if let Some(e) = explainer {
                let id = pack
                    .rules
                    .get(e.group.rule)
                    .map(|r| r.spec.id.clone())
                    .unwrap_or_default();
                if let Some(f) = findings.iter_mut().find(|f| {
                    f.rule == id
                        && f.affected.nodes.first().map(String::as_str) == e.group.node.as_deref()
                }) {
                    match f.explains.iter_mut().find(|x| x.rule == rule.spec.id) {
                        Some(x) => x.occurrences += 1,
                        None => f.explains.push(Explained {
                            rule: rule.spec.id.clone(),
                            occurrences: 1,
                        }),
                    }
                }
            }
        }
    }
    let sev = |s: &str| super::schema::Severity::parse(s).map_or(0, |s| s as u8);
    findings.sort_by(|a, b| {
        sev(&b.severity)
            .cmp(&sev(&a.severity))
            .then((a.confidence != "confirmed").cmp(&(b.confidence != "confirmed")))
            .then(a.rule.cmp(&b.rule))
            .then(a.affected.nodes.cmp(&b.affected.nodes))
    });
    ruled.sort_by(|a, b| (&a.rule, &a.nodes).cmp(&(&b.rule, &b.nodes)));
    resolved.sort_by(|a, b| (&a.rule, &a.nodes).cmp(&(&b.rule, &b.nodes)));
    Verdicts {
        findings,
        ruled_out: ruled,
        resolved,
    }
}

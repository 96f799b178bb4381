//! Which node each artifact belongs to, and what each node is called.
//!
//! Names come from trusted sources only, in this order: the cluster's own
//! view (Node objects and node lists, `Node:` of describe output, an event's
//! reporting host, a pod's `spec.nodeName`), then what a node's files say of
//! themselves (the kubelet's registration lines, the journald host field, a
//! hostname file, a sosreport's name), then the folder a collector put them in
//! (must-gather's `nodes/<node>/`, troubleshoot's per-node host collectors, a
//! folder or file named after a node the cluster knows). A word inside a
//! message never names a node, and a directory stands for a node only where
//! the layout says nodes sit side by side; a file that cannot be placed is on
//! no node rather than on an invented one.
//!
//! A node's short name and its FQDN are one node (`ip-10-0-1-2` in its journal,
//! `ip-10-0-1-2.ec2.internal` in the cluster). A journal that mixes several
//! hosts (must-gather's `host_service_logs`) belongs to no single node: each
//! of its records is placed by its own host field.

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{ArtifactFacts, ArtifactKind};

/// Directories of a node's own file system, or of a collector's, that say
/// nothing about which node they hold: a folder with such a name is the node
/// root's content, not a node of its own.
const GENERIC: &[&str] = &[
    "",
    "node",
    "nodes",
    "host",
    "bundle",
    "logs",
    "log",
    "var",
    "etc",
    "proc",
    "sys",
    "usr",
    "run",
    "opt",
    "lib",
    "home",
    "root",
    "self",
    "run-host",
    "host-collectors",
    "system",
    "journald",
    "systeminfo",
    "systemlogs",
    "sos_commands",
    "kubelet",
    "data",
    "support-bundle",
    "output",
    "tmp",
];

/// Host names a journal or a hostname file may carry that name no node.
const NOT_A_NODE: &[&str] = &["localhost", "localhost.localdomain", "(none)", "unknown"];

/// A node: its name, how it was found, the names it also goes by, and the
/// artifacts that are its own.
#[derive(Clone, Debug, Default)]
pub struct NodeScope {
    pub name: String,
    /// How the name was found, in words.
    pub named_by: String,
    /// Other names of the node: its short name or FQDN, its journald hosts.
    pub aliases: BTreeSet<String>,
    /// Indices into `Observations::artifacts`.
    pub artifacts: Vec<usize>,
}

/// A pod whose log an artifact is (`namespace`, `name`).
pub type PodRef = (String, String);

/// The bundle's nodes and, per artifact, the node it belongs to.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub nodes: Vec<NodeScope>,
    /// artifact index -> index into `nodes` (None: cluster-level, or several nodes' records).
    pub node_of: Vec<Option<usize>>,
    /// artifact index -> the pod whose container log it is, from its path.
    pub pod_of: Vec<Option<PodRef>>,
}

impl Layout {
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// The node a host name stands for: the node's name or one of its
    /// aliases, or the same short name (`worker-2.example.com` is `worker-2`).
    pub fn node_for_host(&self, host: &str) -> Option<&NodeScope> {
        let want = short(host);
        self.nodes
            .iter()
            .find(|n| n.name == host || n.aliases.contains(host))
            .or_else(|| {
                self.nodes
                    .iter()
                    .find(|n| short(&n.name) == want || n.aliases.iter().any(|a| short(a) == want))
            })
    }

    /// The node an artifact belongs to, by name.
    pub fn node_name_of(&self, artifact: usize) -> Option<&str> {
        let n = self.node_of.get(artifact).copied().flatten()?;
        self.nodes.get(n).map(|n| n.name.as_str())
    }
}

/// A host name's first label, lowercased.
fn short(host: &str) -> String {
    host.split('.').next().unwrap_or(host).to_ascii_lowercase()
}

/// Whether a text can be a Kubernetes node name (an RFC 1123 subdomain).
pub fn is_node_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && !NOT_A_NODE.contains(&s)
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric())
}

/// The names the cluster gives its nodes, and which source said each first.
fn cluster_names(artifacts: &[ArtifactFacts]) -> BTreeMap<String, &'static str> {
    let mut names: BTreeMap<String, &'static str> = BTreeMap::new();
    let add = |names: &mut BTreeMap<String, &'static str>, name: &str, by: &'static str| {
        if is_node_name(name) {
            names.entry(name.to_string()).or_insert(by);
        }
    };
    for a in artifacts {
        for s in &a.nodes {
            add(&mut names, &s.name, "node list");
        }
    }
    let listed: BTreeSet<String> = names.keys().cloned().collect();
    for a in artifacts {
        for p in &a.pods {
            if let Some(n) = &p.node {
                add(&mut names, n, "pod spec.nodeName");
            }
        }
        for e in &a.events {
            if let Some(n) = &e.node {
                add(&mut names, n, "event source");
            }
        }
    }
    // An event's host may be the short name of a node the cluster lists by
    // its FQDN (`ip-10-0-1-2` for `ip-10-0-1-2.ec2.internal`): one node.
    let full: Vec<String> = names.keys().filter(|n| n.contains('.')).cloned().collect();
    names.retain(|n, _| {
        listed.contains(n) || n.contains('.') || !full.iter().any(|f| short(f) == *n)
    });
    names
}

/// The cluster name a host or folder name stands for: the same name, or
/// the same first label (a short name and an FQDN of one node).
fn match_cluster<'a>(name: &str, cluster: &'a BTreeMap<String, &'static str>) -> Option<&'a str> {
    if let Some((k, _)) = cluster.get_key_value(name) {
        return Some(k);
    }
    let lower = name.to_ascii_lowercase();
    if let Some((k, _)) = cluster.get_key_value(&lower) {
        return Some(k);
    }
    let want = short(name);
    let mut same = cluster.keys().filter(|c| short(c) == want);
    let first = same.next()?;
    // Two cluster nodes with one short name: the short name says neither.
    same.next().is_none().then_some(first.as_str())
}

/// The directory that holds everything: the longest directory prefix all
/// artifact paths share (a bundle's top folder, and must-gather's image folder).
fn bundle_root(paths: &[&str]) -> String {
    let mut dirs: Option<Vec<&str>> = None;
    for p in paths {
        let parts: Vec<&str> = p.split('/').collect();
        let parent = parts.get(..parts.len().saturating_sub(1)).unwrap_or(&[]);
        dirs = Some(match dirs {
            None => parent.to_vec(),
            Some(d) => d
                .iter()
                .zip(parent)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    dirs.unwrap_or_default().join("/")
}

/// Where one node's collection sits, found by a collector's markers: a
/// sosreport or Rancher collector root, must-gather's `nodes/<node>/`,
/// troubleshoot's `host-collectors/` (the local host) or
/// `host-collectors/<collector>/<node>/` (one node of a remote collection).
/// The second value is the folder name that may name the node.
fn marker_root(path: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = path.split('/').collect();
    let mut found = None;
    for (i, part) in parts.iter().enumerate() {
        let prefix = parts.get(..i).map(|x| x.join("/")).unwrap_or_default();
        match *part {
            "sos_commands" | "sos_reports" | "sos_strings" | "systeminfo" => {
                found = Some((prefix, None));
            }
            "nodes" if i + 2 < parts.len() => {
                if let Some(n) = parts.get(i + 1) {
                    let root = join(&prefix, &format!("nodes/{n}"));
                    found = Some((root, Some((*n).to_string())));
                }
            }
            "host-collectors" => {
                if let (true, Some(c), Some(n)) =
                    (parts.len() >= i + 4, parts.get(i + 1), parts.get(i + 2))
                {
                    let root = join(&prefix, &format!("host-collectors/{c}/{n}"));
                    found = Some((root, Some((*n).to_string())));
                } else {
                    found = Some((prefix, None));
                }
            }
            _ => {}
        }
    }
    found
}

fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else {
        format!("{prefix}/{rest}")
    }
}

/// A folder or file named after a node the cluster knows (troubleshoot's
/// `sysctl/<node>`, `collectd/rrd/<node>/`; must-gather's
/// `<node>_logs_kubelet.gz`): the deepest such place, and the node.
fn named_after_node(
    path: &str,
    cluster: &BTreeMap<String, &'static str>,
) -> Option<(String, String)> {
    let parts: Vec<&str> = path.split('/').collect();
    // The cluster's resources about a node (its CSINode, a tuned profile) are
    // the cluster's view, not the node's own files.
    if parts.iter().any(|p| {
        matches!(
            *p,
            "cluster-resources" | "cluster-scoped-resources" | "namespaces"
        )
    }) {
        return None;
    }
    let mut found = None;
    for (i, part) in parts.iter().enumerate() {
        let stem = [".yaml", ".json", ".log", ".txt", ".gz"]
            .iter()
            .find_map(|x| part.strip_suffix(x))
            .unwrap_or(part);
        let candidates = [*part, stem, part.split_once('_').map_or("", |(s, _)| s)];
        for c in candidates {
            if c.is_empty() {
                continue;
            }
            if let Some(name) = cluster.get_key_value(c).map(|(k, _)| k) {
                let place = parts.get(..=i).map(|x| x.join("/")).unwrap_or_default();
                found = Some((place, name.clone()));
                break;
            }
        }
    }
    found
}

/// The pod whose container log an artifact is, from the collectors' paths:
/// troubleshoot `pods/logs/<ns>/<pod>/<c>.log`, must-gather
/// `namespaces/<ns>/pods/<pod>/<c>/...`, the node's `var/log/pods/<ns>_<pod>_<uid>/`
/// and Rancher's `podlogs/<ns>_<pod>_<uid>/`, sos `<ns>/podlogs/<pod>/`.
fn pod_of_path(path: &str) -> Option<PodRef> {
    let parts: Vec<&str> = path.split('/').collect();
    for (i, w) in parts.iter().enumerate() {
        let at = |k: usize| parts.get(i + k).copied();
        match *w {
            "logs" if i > 0 && parts.get(i - 1) == Some(&"pods") => {
                if let (Some(ns), Some(pod), Some(_)) = (at(1), at(2), at(3)) {
                    return Some((ns.to_string(), pod.to_string()));
                }
            }
            "pods" if i > 1 && parts.get(i - 2) == Some(&"namespaces") => {
                if let (Some(ns), Some(pod), Some(_)) = (parts.get(i - 1), at(1), at(2)) {
                    return Some((ns.to_string(), pod.to_string()));
                }
            }
            "pods" | "podlogs"
                if parts.get(i.wrapping_sub(1)) == Some(&"log") || *w == "podlogs" =>
            {
                if let (Some(dir), Some(_)) = (at(1), at(2)) {
                    let mut it = dir.splitn(3, '_');
                    if let (Some(ns), Some(pod), Some(_uid)) = (it.next(), it.next(), it.next()) {
                        return Some((ns.to_string(), pod.to_string()));
                    }
                    if *w == "podlogs" && i > 0 {
                        if let Some(ns) = parts.get(i - 1) {
                            return Some((ns.to_string(), dir.to_string()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// The listed pod whose name a file's name holds, delimited
/// (`logs-velero-6996dd565b-xl44t.txt`); the longest such name wins.
fn pod_in_file_name(path: &str, pods: &[(&str, &str)]) -> Option<PodRef> {
    let file = path.rsplit('/').next().unwrap_or(path);
    let bounded = |at: usize, len: usize| {
        let before = file.get(..at).and_then(|s| s.chars().last());
        let after = file.get(at + len..).and_then(|s| s.chars().next());
        let edge = |c: Option<char>| c.is_none_or(|c| matches!(c, '_' | '.' | ' ' | '-' | '='));
        edge(before) && edge(after)
    };
    pods.iter()
        .filter(|(_, name)| file.match_indices(name).any(|(at, m)| bounded(at, m.len())))
        .max_by_key(|(_, name)| name.len())
        .map(|(ns, name)| (ns.to_string(), name.to_string()))
}

/// One node scope before it is named.
struct Scope {
    /// The directory (or file) that holds it.
    place: String,
    members: Vec<usize>,
    /// A collector folder's name for the node (must-gather, troubleshoot).
    folder: Option<String>,
    /// The cluster node the place is named after, when it is.
    named: Option<String>,
    /// The node's short name, for one of several nodes in one folder.
    prefix: Option<String>,
}

/// Group artifacts into nodes and name each node.
pub fn resolve(artifacts: &[ArtifactFacts]) -> Layout {
    let cluster = cluster_names(artifacts);
    let paths: Vec<&str> = artifacts.iter().map(|a| a.path.as_str()).collect();
    let root = bundle_root(&paths);
    let placed = |kind: ArtifactKind| !kind.is_cluster_level() && kind != ArtifactKind::Skipped;
    // Journald hosts per artifact, as cluster names where they match.
    let hosts_of = |a: &ArtifactFacts| -> BTreeSet<String> {
        a.hosts
            .iter()
            .filter(|h| !NOT_A_NODE.contains(&h.as_str()))
            .map(|h| {
                a.registrations
                    .get(h)
                    .map(String::as_str)
                    .and_then(|r| match_cluster(r, &cluster).or(Some(r)))
                    .or_else(|| match_cluster(h, &cluster))
                    .map_or_else(|| h.to_ascii_lowercase(), str::to_string)
            })
            .collect()
    };
    // Collector roots found anywhere hold their siblings too (a Rancher
    // collector's `rke2/` beside its `systeminfo/`).
    let roots: BTreeMap<String, Option<String>> =
        paths.iter().filter_map(|p| marker_root(p)).collect();
    let marker_of = |path: &str| {
        roots
            .iter()
            .filter(|(r, _)| within(path, r) && path != r.as_str())
            .max_by_key(|(r, _)| r.len())
            .map(|(r, f)| (r.clone(), f.clone()))
    };
    let mut scopes: BTreeMap<String, Scope> = BTreeMap::new();
    let mut loose = Vec::new();
    let mut multi_host: Vec<usize> = Vec::new();
    for (i, a) in artifacts.iter().enumerate() {
        let Some(kind) = a.kind.filter(|k| placed(*k)) else {
            continue;
        };
        // A journal of several hosts (a pod's log may quote host-like words:
        // only node logs and system journals count).
        let journal = kind.is_node_level()
            || kind == ArtifactKind::OtherLog && pod_of_path(&a.path).is_none();
        if journal && hosts_of(a).len() > 1 {
            multi_host.push(i);
            continue;
        }
        let (place, folder, named) =
            if let Some((place, node)) = named_after_node(&a.path, &cluster) {
                (place, None, Some(node))
            } else if let Some((place, folder)) = marker_of(&a.path) {
                (place, folder, None)
            } else if kind.is_node_level() {
                (adhoc_place(&a.path, &root), None, None)
            } else {
                loose.push(i);
                continue;
            };
        scopes
            .entry(place.clone())
            .or_insert_with(|| Scope {
                place,
                members: Vec::new(),
                folder,
                named,
                prefix: None,
            })
            .members
            .push(i);
    }
    let mut scopes = split_by_identity(scopes, artifacts);
    // Free text, configs and version files join the scope that holds them, but
    // never make a node of their own (a folder of pod logs or resources is not a node).
    for i in loose {
        let Some(a) = artifacts.get(i) else { continue };
        let deepest = scopes
            .values()
            .filter(|s| within(&a.path, &s.place))
            .map(|s| s.place.len())
            .max();
        let name = a
            .path
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        // In a folder of several nodes, the node whose name the file's starts with.
        let holder = scopes
            .values_mut()
            .filter(|s| within(&a.path, &s.place) && Some(s.place.len()) == deepest)
            .find(|s| match &s.prefix {
                None => true,
                Some(p) => name
                    .strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.starts_with(['_', '-', '.'])),
            });
        if let Some(s) = holder {
            s.members.push(i);
        }
    }
    let mut nodes: Vec<NodeScope> = Vec::new();
    let mut node_of: Vec<Option<usize>> = vec![None; artifacts.len()];
    // Names given by a node's own evidence; a scope named only by a host name
    // or folder keeps its own node even when another scope has the same name.
    for s in scopes.values() {
        let (name, named_by, trusted) = name_scope(s, artifacts, &cluster, &root);
        let existing = nodes
            .iter()
            .position(|n| n.name == name)
            .filter(|_| trusted || cluster.contains_key(&name));
        let idx = match existing {
            Some(i) => i,
            None => {
                let name = if nodes.iter().any(|n| n.name == name) {
                    format!("{name} ({})", s.place)
                } else {
                    name
                };
                nodes.push(NodeScope {
                    name,
                    named_by,
                    ..NodeScope::default()
                });
                nodes.len() - 1
            }
        };
        if let Some(n) = nodes.get_mut(idx) {
            n.artifacts.extend(s.members.iter().copied());
            for &m in &s.members {
                if let Some(a) = artifacts.get(m) {
                    n.aliases.extend(a.hosts.iter().cloned());
                    n.aliases.extend(a.registrations.keys().cloned());
                }
            }
        }
        for &m in &s.members {
            if let Some(slot) = node_of.get_mut(m) {
                *slot = Some(idx);
            }
        }
    }
    // A journal of several hosts: each host is (or joins) a node.
    for &i in &multi_host {
        let Some(a) = artifacts.get(i) else { continue };
        for (host, node) in a.hosts.iter().filter_map(|h| {
            let registered = a.registrations.get(h).cloned();
            let node = registered
                .as_deref()
                .and_then(|r| {
                    match_cluster(r, &cluster)
                        .map(str::to_string)
                        .or(Some(r.to_string()))
                })
                .or_else(|| match_cluster(h, &cluster).map(str::to_string))
                .or_else(|| (!NOT_A_NODE.contains(&h.as_str())).then(|| h.clone()))?;
            Some((h.clone(), node))
        }) {
            let idx = match nodes.iter().position(|n| n.name == node) {
                Some(i) => i,
                None => {
                    nodes.push(NodeScope {
                        name: node.clone(),
                        named_by: if cluster.contains_key(&node) {
                            cluster
                                .get(&node)
                                .copied()
                                .unwrap_or("node list")
                                .to_string()
                        } else {
                            "journald host".to_string()
                        },
                        ..NodeScope::default()
                    });
                    nodes.len() - 1
                }
            };
            if let Some(n) = nodes.get_mut(idx) {
                n.aliases.insert(host);
            }
        }
    }
    // Every node the cluster names is a node of the bundle, files or not.
    for (name, by) in &cluster {
        if !nodes.iter().any(|n| &n.name == name) {
            nodes.push(NodeScope {
                name: name.clone(),
                named_by: (*by).to_string(),
                ..NodeScope::default()
            });
        }
    }
    for n in &mut nodes {
        let own = n.name.clone();
        n.aliases.remove(&own);
        n.aliases.retain(|a| !NOT_A_NODE.contains(&a.as_str()));
        if short(&own) != own {
            n.aliases.insert(short(&own));
        }
    }
    // A container log: by the collector's path, else (`kubectl logs` saved
    // under any name) by a pod the bundle lists whose name the file's holds.
    let listed: Vec<(&str, &str)> = artifacts
        .iter()
        .flat_map(|a| a.pods.iter())
        .filter_map(|p| Some((p.namespace.as_deref()?, p.name.as_str())))
        .filter(|(_, name)| name.len() >= 5)
        .collect();
    let pod_of: Vec<Option<PodRef>> = artifacts
        .iter()
        .map(|a| {
            pod_of_path(&a.path).or_else(|| {
                (a.kind == Some(ArtifactKind::OtherLog))
                    .then(|| pod_in_file_name(&a.path, &listed))
                    .flatten()
            })
        })
        .collect();
    // A pod's log is on the node its pod runs on.
    let pod_nodes: BTreeMap<(&str, &str), &str> = artifacts
        .iter()
        .flat_map(|a| a.pods.iter())
        .filter_map(|p| {
            Some((
                (p.namespace.as_deref()?, p.name.as_str()),
                p.node.as_deref()?,
            ))
        })
        .collect();
    for (i, pod) in pod_of.iter().enumerate() {
        let Some((ns, name)) = pod else { continue };
        if node_of.get(i).copied().flatten().is_some() {
            continue;
        }
        let node = pod_nodes
            .get(&(ns.as_str(), name.as_str()))
            .and_then(|n| nodes.iter().position(|x| &x.name == n));
        if let (Some(slot), Some(n)) = (node_of.get_mut(i), node) {
            *slot = Some(n);
        }
    }
    Layout {
        nodes,
        node_of,
        pod_of,
    }
}

/// A folder that holds several nodes' files side by side (`worker-1_kubelet.log`,
/// `worker-2_kubelet.log`): when its logs name different nodes (each its one
/// registered name or journald host), each node gets its own scope, and a
/// file that names no node joins the one whose name its file name starts with.
fn split_by_identity(
    scopes: BTreeMap<String, Scope>,
    artifacts: &[ArtifactFacts],
) -> BTreeMap<String, Scope> {
    let identity = |a: &ArtifactFacts| -> Option<String> {
        if a.node_names.len() == 1 {
            return a.node_names.iter().next().cloned();
        }
        let hosts: Vec<&String> = a
            .hosts
            .iter()
            .filter(|h| !NOT_A_NODE.contains(&h.as_str()))
            .collect();
        (hosts.len() == 1).then(|| short(hosts[0]))
    };
    let mut out = BTreeMap::new();
    for (place, scope) in scopes {
        let ids: BTreeSet<String> = scope
            .members
            .iter()
            .filter_map(|&i| artifacts.get(i).and_then(identity))
            .map(|id| short(&id))
            .collect();
        if ids.len() < 2 || scope.named.is_some() || scope.folder.is_some() {
            out.insert(place, scope);
            continue;
        }
        let mut parts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in &scope.members {
            let Some(a) = artifacts.get(i) else { continue };
            let name = a
                .path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let id = identity(a).map(|id| short(&id)).or_else(|| {
                ids.iter()
                    .find(|id| {
                        name.strip_prefix(id.as_str())
                            .is_some_and(|rest| rest.starts_with(['_', '-', '.']))
                    })
                    .cloned()
            });
            parts.entry(id.unwrap_or_default()).or_default().push(i);
        }
        for (id, members) in parts {
            // Files that name no node stay where they are, on no node of their own.
            if id.is_empty() {
                continue;
            }
            let key = format!("{place}#{id}");
            out.insert(
                key.clone(),
                Scope {
                    place: place.clone(),
                    members,
                    folder: None,
                    named: None,
                    prefix: Some(id),
                },
            );
        }
    }
    out
}

/// Whether `path` is `place` or under it.
fn within(path: &str, place: &str) -> bool {
    place.is_empty()
        || path == place
        || path.starts_with(place) && path.as_bytes().get(place.len()) == Some(&b'/')
}

/// The node folder of an ad-hoc dump: the first folder below the bundle root
/// (`worker-01/` of `bundle/worker-01/var/log/kubelet.log`), unless that folder
/// is part of a node's own file system or a generic name (then the root is the node).
fn adhoc_place(path: &str, root: &str) -> String {
    let rel = if root.is_empty() {
        path
    } else {
        path.strip_prefix(root)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(path)
    };
    match rel.split_once('/') {
        Some((first, _)) if !GENERIC.contains(&first.to_ascii_lowercase().as_str()) => {
            join(root, first)
        }
        _ => root.to_string(),
    }
}

/// A scope's node name, how it was found, and whether the node itself said it
/// (registration, journald host, hostname file: then two scopes with that name
/// are one node).
fn name_scope(
    s: &Scope,
    artifacts: &[ArtifactFacts],
    cluster: &BTreeMap<String, &'static str>,
    root: &str,
) -> (String, String, bool) {
    if let Some(n) = &s.named {
        let by = cluster.get(n).copied().unwrap_or("node list");
        return (
            n.clone(),
            format!("{by} (a folder or file named after it)"),
            true,
        );
    }
    let members: Vec<&ArtifactFacts> = s.members.iter().filter_map(|&i| artifacts.get(i)).collect();
    let most = |names: Vec<&str>| -> Option<String> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for n in names {
            *counts.entry(n).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|(_, c)| *c)
            .map(|(n, _)| n.to_string())
    };
    let registered = most(
        members
            .iter()
            .flat_map(|a| a.node_names.iter().map(String::as_str))
            .collect(),
    );
    let host = most(
        members
            .iter()
            .flat_map(|a| a.hosts.iter().map(String::as_str))
            .filter(|h| !NOT_A_NODE.contains(h))
            .collect(),
    );
    let hostname = members
        .iter()
        .find_map(|a| a.hostname.clone())
        .filter(|h| !NOT_A_NODE.contains(&h.as_str()));
    let dir = s.place.rsplit('/').next().unwrap_or(&s.place);
    let sosreport = dir.strip_prefix("sosreport-").and_then(|d| {
        // sosreport-<host>[-<label>]-YYYY-MM-DD-<random>: the host is before the date.
        let parts: Vec<&str> = d.split('-').collect();
        let pos = parts
            .iter()
            .position(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()))?;
        let host = parts.get(..pos).map(|x| x.join("-")).unwrap_or_default();
        (!host.is_empty()).then_some(host)
    });
    let folder = s.folder.clone().or_else(|| s.prefix.clone()).or_else(|| {
        (s.place != root && !GENERIC.contains(&dir.to_ascii_lowercase().as_str()))
            .then(|| dir.to_string())
    });
    // Only a Kubernetes node name (the kubelet's registration) or a
    // collector's per-node folder says that two places hold one node; two
    // sosreports of hosts both called `node` are two nodes.
    let collector_folder = s.folder.is_some();
    let candidates: [(Option<String>, &str, bool); 5] = [
        (registered, "kubelet registration", true),
        (host, "journald host", false),
        (hostname, "hostname file", false),
        (sosreport, "sosreport name", false),
        (folder, "folder name", collector_folder),
    ];
    // The cluster's name for the node, through whichever of its own names matches it.
    for (c, by, _) in &candidates {
        if let Some(name) = c.as_deref().and_then(|c| match_cluster(c, cluster)) {
            let source = cluster.get(name).copied().unwrap_or("node list");
            return (name.to_string(), format!("{source} ({by})"), true);
        }
    }
    // A single node the cluster names, for the only scope (a describe's `Node:`).
    if cluster.len() == 1 && candidates.iter().all(|(c, _, _)| c.is_none()) {
        if let Some(name) = cluster.keys().next() {
            return (name.clone(), "the only node the cluster names".into(), true);
        }
    }
    for (c, by, trusted) in candidates {
        if let Some(c) = c {
            return (c, by.to_string(), trusted);
        }
    }
    let label = if s.place.is_empty() {
        "unknown node".to_string()
    } else {
        format!("unknown node ({})", s.place)
    };
    (label, "nothing in the bundle names it".into(), false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Event, NodeStatus, PodFacts};

    fn art(path: &str, kind: ArtifactKind) -> ArtifactFacts {
        ArtifactFacts {
            path: path.into(),
            kind: Some(kind),
            ..ArtifactFacts::default()
        }
    }

    fn names(l: &Layout) -> Vec<&str> {
        l.nodes.iter().map(|n| n.name.as_str()).collect()
    }

    #[test]
    fn sos_files_deep_in_the_tree_belong_to_the_sos_root() {
        let mut arts = vec![
            art("bundle/sosreport-k8s-node-7-2021-02-03-abcdefg/sos_commands/logs/journalctl_--no-pager_--unit_kubelet", ArtifactKind::KubeletLog),
            art("bundle/sosreport-k8s-node-7-2021-02-03-abcdefg/proc/self/mountinfo", ArtifactKind::Mountinfo),
            art("bundle/sosreport-k8s-node-7-2021-02-03-abcdefg/etc/os-release", ArtifactKind::OsRelease),
        ];
        arts[0].hosts.insert("k8s-node-7".into());
        let l = resolve(&arts);
        assert_eq!(names(&l), ["k8s-node-7"]);
        assert_eq!(l.node_of, vec![Some(0), Some(0), Some(0)]);
    }

    #[test]
    fn side_by_side_node_folders_are_separate_nodes() {
        let mut arts = vec![
            art("b/worker-01/kubelet.log", ArtifactKind::KubeletLog),
            art("b/worker-01/rpm-qa.txt", ArtifactKind::Packages),
            art("b/worker-02/kubelet.log", ArtifactKind::KubeletLog),
            art("b/worker-02/rpm-qa.txt", ArtifactKind::Packages),
            art("b/describe-pod-x.txt", ArtifactKind::PodDescribe),
        ];
        arts[2].node_names.insert("worker-02".into());
        let l = resolve(&arts);
        assert_eq!(names(&l), ["worker-01", "worker-02"]);
        assert_eq!(l.node_of[4], None);
    }

    #[test]
    fn a_generic_folder_takes_the_name_the_kubelet_registers() {
        let mut arts = vec![
            art("bundle/node/kubelet.log", ArtifactKind::KubeletLog),
            art("bundle/node/rpm-qa.txt", ArtifactKind::Packages),
        ];
        arts[0].node_names.insert("k8sw-prd-04".into());
        assert_eq!(names(&resolve(&arts)), ["k8sw-prd-04"]);
    }

    #[test]
    fn a_node_root_deep_in_its_file_system_is_its_first_folder() {
        // rke2's kubelet log where the node keeps it, copied with its path.
        let arts = vec![
            art(
                "dump/rke2-a/var/lib/rancher/rke2/agent/logs/kubelet.log",
                ArtifactKind::KubeletLog,
            ),
            art("dump/rke2-a/etc/os-release", ArtifactKind::OsRelease),
            art(
                "dump/rke2-b/var/lib/rancher/rke2/agent/logs/kubelet.log",
                ArtifactKind::KubeletLog,
            ),
        ];
        let l = resolve(&arts);
        assert_eq!(names(&l), ["rke2-a", "rke2-b"]);
        assert_eq!(l.node_of, vec![Some(0), Some(0), Some(1)]);
    }

    #[test]
    fn a_single_node_tree_is_one_node_whatever_its_folders() {
        let mut arts = vec![
            art("n1/var/log/kubelet.log", ArtifactKind::KubeletLog),
            art("n1/etc/os-release", ArtifactKind::OsRelease),
            art("n1/proc/self/mountinfo", ArtifactKind::Mountinfo),
        ];
        arts[0].hosts.insert("web-3".into());
        let l = resolve(&arts);
        assert_eq!(names(&l), ["web-3"]);
        assert_eq!(l.node_of, vec![Some(0), Some(0), Some(0)]);
    }

    #[test]
    fn folders_of_pod_logs_or_resources_are_not_nodes() {
        let arts = vec![
            art(
                "support-bundle/cluster-resources/pods/logs/default/web-0/web.log",
                ArtifactKind::OtherLog,
            ),
            art(
                "support-bundle/cluster-resources/deployments/default.json",
                ArtifactKind::Config,
            ),
            art(
                "support-bundle/cluster-resources/pods/default.json",
                ArtifactKind::PodJson,
            ),
        ];
        let l = resolve(&arts);
        assert!(l.nodes.is_empty(), "{:?}", l.nodes);
        assert_eq!(l.node_of, vec![None, None, None]);
        assert_eq!(
            l.pod_of[0],
            Some(("default".to_string(), "web-0".to_string()))
        );
    }

    #[test]
    fn a_pod_log_is_on_its_pods_node() {
        let mut pods = art("mg/namespaces/shop/core/pods.yaml", ArtifactKind::PodJson);
        pods.pods.push(PodFacts {
            name: "web-0".into(),
            namespace: Some("shop".into()),
            node: Some("w1".into()),
            ..PodFacts::default()
        });
        let log = art(
            "mg/namespaces/shop/pods/web-0/web/web/logs/current.log",
            ArtifactKind::OtherLog,
        );
        let l = resolve(&[pods, log]);
        assert_eq!(names(&l), ["w1"]);
        assert_eq!(l.node_name_of(1), Some("w1"));
    }

    #[test]
    fn a_kubectl_logs_file_is_its_pods() {
        let mut pods = art("b/pods.json", ArtifactKind::PodJson);
        for (name, node) in [("velero-6996dd565b-xl44t", "n2"), ("web-0", "n1")] {
            pods.pods.push(PodFacts {
                name: name.into(),
                namespace: Some("velero".into()),
                node: Some(node.into()),
                ..PodFacts::default()
            });
        }
        let log = art(
            "b/kubectl-logs-velero-6996dd565b-xl44t.txt",
            ArtifactKind::OtherLog,
        );
        let other = art("b/velero-6996dd565b-xl44tx.txt", ArtifactKind::OtherLog);
        let l = resolve(&[pods, log, other]);
        assert_eq!(
            l.pod_of[1],
            Some(("velero".to_string(), "velero-6996dd565b-xl44t".to_string()))
        );
        assert_eq!(l.node_name_of(1), Some("n2"));
        assert_eq!(l.pod_of[2], None, "a longer name is another pod");
    }

    #[test]
    fn remote_host_collectors_are_one_node_each() {
        let arts = vec![
            art(
                "sb/host-collectors/run-host/node-a/rpm-qa.txt",
                ArtifactKind::Packages,
            ),
            art(
                "sb/host-collectors/journald/node-a/kubelet.txt",
                ArtifactKind::KubeletLog,
            ),
            art(
                "sb/host-collectors/run-host/node-b/rpm-qa.txt",
                ArtifactKind::Packages,
            ),
        ];
        let l = resolve(&arts);
        assert_eq!(names(&l), ["node-a", "node-b"]);
        assert_eq!(l.node_of, vec![Some(0), Some(0), Some(1)]);
    }

    #[test]
    fn a_short_name_and_an_fqdn_are_one_node() {
        let mut nodes = art(
            "mg/cluster-scoped-resources/core/nodes/x.yaml",
            ArtifactKind::NodeList,
        );
        nodes.nodes.push(NodeStatus {
            name: "master-0.ocp.example.com".into(),
            status: "Ready".into(),
            ..NodeStatus::default()
        });
        let mut log = art(
            "mg/nodes/master-0/master-0_logs_kubelet.gz",
            ArtifactKind::KubeletLog,
        );
        log.hosts.insert("master-0".into());
        let l = resolve(&[nodes, log]);
        assert_eq!(names(&l), ["master-0.ocp.example.com"]);
        assert_eq!(l.node_of[1], Some(0));
        assert_eq!(
            l.node_for_host("master-0").map(|n| n.name.as_str()),
            Some("master-0.ocp.example.com")
        );
        assert!(l.node_for_host("master-1.ocp.example.com").is_none());
    }

    #[test]
    fn a_journal_of_several_hosts_belongs_to_none_and_names_each() {
        let mut log = art(
            "mg/host_service_logs/masters/kubelet_service.log",
            ArtifactKind::KubeletLog,
        );
        for h in ["ip-10-0-1-1", "ip-10-0-1-2", "localhost"] {
            log.hosts.insert(h.into());
        }
        log.registrations
            .insert("ip-10-0-1-1".into(), "ip-10-0-1-1.ec2.internal".into());
        let l = resolve(&[log]);
        assert_eq!(names(&l), ["ip-10-0-1-1.ec2.internal", "ip-10-0-1-2"]);
        assert_eq!(l.node_of, vec![None]);
        assert_eq!(
            l.node_for_host("ip-10-0-1-1").map(|n| n.name.as_str()),
            Some("ip-10-0-1-1.ec2.internal")
        );
        assert!(l.node_for_host("localhost").is_none());
    }

    #[test]
    fn files_named_after_a_cluster_node_are_that_nodes() {
        let mut ev = art(
            "sb/cluster-resources/events/default.json",
            ArtifactKind::Events,
        );
        ev.events.push(Event {
            node: Some("primary-node".into()),
            ..Event::default()
        });
        let arts = vec![
            ev,
            art("sb/sysctl/primary-node", ArtifactKind::Config),
            art(
                "sb/collectd/rrd/primary-node/error.txt",
                ArtifactKind::OtherLog,
            ),
        ];
        let l = resolve(&arts);
        assert_eq!(names(&l), ["primary-node"]);
        assert_eq!(l.node_of, vec![None, Some(0), Some(0)]);
    }

    #[test]
    fn two_hosts_sharing_a_hostname_stay_two_nodes() {
        let mut a = art(
            "in/sosreport-a-2021-02-03-x/sos_commands/kubelet/j",
            ArtifactKind::KubeletLog,
        );
        let mut b = art(
            "in/sosreport-b-2021-02-03-y/sos_commands/kubelet/j",
            ArtifactKind::KubeletLog,
        );
        a.hostname = Some("node".into());
        b.hostname = Some("node".into());
        let l = resolve(&[a, b]);
        assert_eq!(l.nodes.len(), 2, "{:?}", names(&l));
        let a = art("x/worker-1/kubelet.log", ArtifactKind::KubeletLog);
        let b = art("x/worker-1/node/kubelet.log", ArtifactKind::KubeletLog);
        assert_eq!(resolve(&[a, b]).nodes.len(), 1, "one node's two logs");
    }

    #[test]
    fn a_flat_folder_of_node_prefixed_files_is_one_node_per_prefix() {
        let mut arts = vec![
            art("dump/worker-1_kubelet.log", ArtifactKind::KubeletLog),
            art("dump/worker-1_rpm-qa.txt", ArtifactKind::Packages),
            art("dump/worker-2_kubelet.log", ArtifactKind::KubeletLog),
            art("dump/worker-2_rpm-qa.txt", ArtifactKind::Packages),
            art("dump/worker-2_os-release", ArtifactKind::OsRelease),
        ];
        arts[0].hosts.insert("worker-1".into());
        arts[2].hosts.insert("worker-2".into());
        let l = resolve(&arts);
        assert_eq!(names(&l), ["worker-1", "worker-2"]);
        assert_eq!(l.node_of, vec![Some(0), Some(0), Some(1), Some(1), Some(1)]);
    }

    #[test]
    fn sosreport_name_gives_the_host_when_nothing_else_does() {
        let arts = vec![art(
            "sosreport-web-3-2020-06-14-xkq3mzb/sos_commands/rpm/x",
            ArtifactKind::Packages,
        )];
        assert_eq!(names(&resolve(&arts)), ["web-3"]);
    }

    #[test]
    fn only_dns_names_are_node_names() {
        for bad in ["Node", "", "-x", "a_b", "localhost", "worker-1."] {
            assert!(!is_node_name(bad), "{bad:?}");
        }
        assert!(is_node_name("ip-10-0-129-220.ec2.internal"));
    }
}

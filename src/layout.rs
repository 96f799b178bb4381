//! Which node each artifact belongs to, and what that node is called.
//!
//! Bundles put one node's files under a directory: a sosreport root, a
//! Rancher collector root, must-gather's `nodes/<node>/`, troubleshoot's
//! `host-collectors/`, or an ad-hoc `worker-02/`. Those directories are node
//! *scopes*; the node's name then comes from the content (hostname file,
//! journald host, kubelet's own registration lines) before the directory
//! name. Cluster-level artifacts (describe, events, pod lists) belong to no
//! scope: they name nodes themselves.

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{ArtifactFacts, ArtifactKind};

/// Directory names that say nothing about which node they hold.
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
    "self",
    "run-host",
    "host-collectors",
    "system",
    "journald",
    "systeminfo",
    "sos_commands",
    "kubelet",
    "data",
    "support-bundle",
    "output",
    "tmp",
];

/// The node scope of one path, given every path of the bundle.
fn scope_of(path: &str, roots: &BTreeSet<String>) -> String {
    // The deepest known root that holds the path.
    if let Some(root) = roots
        .iter()
        .filter(|r| path.starts_with(r.as_str()) && path.as_bytes().get(r.len()) == Some(&b'/'))
        .max_by_key(|r| r.len())
    {
        return root.clone();
    }
    match path.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => String::new(),
    }
}

/// Directories that hold a whole node's collection, whatever sits below them.
fn node_roots(paths: &[&str]) -> BTreeSet<String> {
    let mut roots = BTreeSet::new();
    for p in paths {
        let parts: Vec<&str> = p.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            let prefix = parts.get(..i).map(|x| x.join("/")).unwrap_or_default();
            match *part {
                // sosreport and Rancher's collector: the directory holding the marker.
                "sos_commands" | "sos_reports" | "sos_strings" | "systeminfo" => {
                    roots.insert(prefix);
                }
                // must-gather nodes/<node>/ and troubleshoot host-collectors/<kind>/<node>/ stay per node.
                "nodes" if i + 2 < parts.len() => {
                    if let Some(n) = parts.get(i + 1) {
                        roots.insert(
                            format!("{prefix}/nodes/{n}")
                                .trim_start_matches('/')
                                .to_string(),
                        );
                    }
                }
                // troubleshoot: host-collectors/<collector>/<file> is the local host;
                // host-collectors/<collector>/<node>/<file> is one node of a remote collection.
                "host-collectors" => {
                    if parts.len() >= i + 4 {
                        if let (Some(c), Some(n)) = (parts.get(i + 1), parts.get(i + 2)) {
                            let p = if prefix.is_empty() {
                                String::new()
                            } else {
                                format!("{prefix}/")
                            };
                            roots.insert(format!("{p}host-collectors/{c}/{n}"));
                        }
                    } else {
                        roots.insert(prefix);
                    }
                }
                _ => {}
            }
        }
    }
    roots
}

/// A node as evaluation sees it: its name and the artifacts that describe it.
#[derive(Clone, Debug, Default)]
pub struct NodeScope {
    pub name: String,
    /// How the name was found, for the report.
    pub named_by: String,
    /// Indices into `Observations::artifacts`.
    pub artifacts: Vec<usize>,
}

/// The bundle's nodes and, per artifact, the node it belongs to.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub nodes: Vec<NodeScope>,
    /// artifact index -> index into `nodes` (None for cluster-level artifacts).
    pub node_of: Vec<Option<usize>>,
}

impl Layout {
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// The node a journald host field names: the same name, or the same short
    /// name (`worker-2.example.com` is `worker-2`).
    pub fn node_for_host(&self, host: &str) -> Option<&NodeScope> {
        let short = |h: &str| h.split('.').next().unwrap_or(h).to_ascii_lowercase();
        let want = short(host);
        self.nodes
            .iter()
            .find(|n| n.name == host)
            .or_else(|| self.nodes.iter().find(|n| short(&n.name) == want))
    }
}

/// Group artifacts into node scopes and name each node.
pub fn resolve(artifacts: &[ArtifactFacts]) -> Layout {
    let paths: Vec<&str> = artifacts.iter().map(|a| a.path.as_str()).collect();
    let roots = node_roots(&paths);
    let mut scopes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut node_of = vec![None; artifacts.len()];
    // Node-level artifacts define the scopes; free text, configs and version
    // files join a scope that exists but never make a node of their own (a
    // folder of pod logs or custom resources is not a node).
    let mut loose = Vec::new();
    for (i, a) in artifacts.iter().enumerate() {
        let Some(kind) = a.kind else { continue };
        if kind.is_cluster_level() || kind == ArtifactKind::Skipped {
            continue;
        }
        let scope = scope_of(&a.path, &roots);
        if !kind.is_node_level() {
            loose.push((i, scope));
            continue;
        }
        scopes.entry(scope).or_default().push(i);
    }
    for (i, scope) in loose {
        if let Some(members) = scopes.get_mut(&scope) {
            members.push(i);
        }
    }
    // Nodes named by cluster-level artifacts (describe `Node:`), for a scope nothing else names.
    let cluster_nodes: BTreeSet<String> = artifacts
        .iter()
        .flat_map(|a| {
            a.pods
                .iter()
                .filter_map(|p| p.node.clone())
                .chain(a.events.iter().filter_map(|e| e.node.clone()))
        })
        .collect();
    let mut nodes: Vec<NodeScope> = Vec::new();
    let scope_count = scopes.len();
    for (scope, members) in &scopes {
        let (name, named_by) = name_scope(scope, members, artifacts, scope_count, &cluster_nodes);
        // Two scopes with one name (a node's logs in two folders) are one node.
        let idx = match nodes.iter().position(|n| n.name == name) {
            Some(i) => i,
            None => {
                nodes.push(NodeScope {
                    name,
                    named_by,
                    artifacts: Vec::new(),
                });
                nodes.len() - 1
            }
        };
        if let Some(n) = nodes.get_mut(idx) {
            n.artifacts.extend(members.iter().copied());
        }
        for &m in members {
            if let Some(slot) = node_of.get_mut(m) {
                *slot = Some(idx);
            }
        }
    }
    Layout { nodes, node_of }
}

fn name_scope(
    scope: &str,
    members: &[usize],
    artifacts: &[ArtifactFacts],
    scope_count: usize,
    cluster_nodes: &BTreeSet<String>,
) -> (String, String) {
    let members: Vec<&ArtifactFacts> = members.iter().filter_map(|&i| artifacts.get(i)).collect();
    if let Some(h) = members.iter().find_map(|a| a.hostname.clone()) {
        return (short_host(&h, cluster_nodes), "hostname file".into());
    }
    let mut registered: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &members {
        for n in &a.node_names {
            *registered.entry(n.as_str()).or_default() += 1;
        }
    }
    if let Some((n, _)) = registered.iter().max_by_key(|(_, c)| **c) {
        return ((*n).to_string(), "kubelet registration".into());
    }
    let mut hosts: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &members {
        for h in &a.hosts {
            *hosts.entry(h.as_str()).or_default() += 1;
        }
    }
    if let Some((h, _)) = hosts.iter().max_by_key(|(_, c)| **c) {
        return (short_host(h, cluster_nodes), "journald host".into());
    }
    let dir = scope.rsplit('/').next().unwrap_or(scope);
    if let Some(d) = dir.strip_prefix("sosreport-") {
        // sosreport-<host>[-<label>]-YYYY-MM-DD-<random>: the host is before the date.
        let parts: Vec<&str> = d.split('-').collect();
        if let Some(pos) = parts
            .iter()
            .position(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()))
        {
            let host = parts.get(..pos).map(|x| x.join("-")).unwrap_or_default();
            if !host.is_empty() {
                return (host, "sosreport name".into());
            }
        }
    }
    if scope_count == 1 && cluster_nodes.len() == 1 {
        if let Some(n) = cluster_nodes.iter().next() {
            return (n.clone(), "the only node the pod descriptions name".into());
        }
    }
    if !GENERIC.contains(&dir.to_ascii_lowercase().as_str()) {
        return (dir.to_string(), "directory name".into());
    }
    let label = if scope.is_empty() {
        "(bundle root)".to_string()
    } else {
        scope.to_string()
    };
    (label, "no name found: the directory stands for it".into())
}

/// `node-1.example.com` is `node-1` when the cluster calls it that.
fn short_host(host: &str, cluster_nodes: &BTreeSet<String>) -> String {
    if cluster_nodes.contains(host) {
        return host.to_string();
    }
    let short = host.split('.').next().unwrap_or(host);
    if cluster_nodes.contains(short) {
        return short.to_string();
    }
    host.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(path: &str, kind: ArtifactKind) -> ArtifactFacts {
        ArtifactFacts {
            path: path.into(),
            kind: Some(kind),
            ..ArtifactFacts::default()
        }
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
        assert_eq!(l.nodes.len(), 1);
        assert_eq!(l.nodes[0].name, "k8s-node-7");
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
        let names: Vec<&str> = l.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, vec!["worker-01", "worker-02"]);
        assert_eq!(l.node_of[4], None);
    }

    #[test]
    fn a_generic_folder_takes_the_name_the_kubelet_registers() {
        let mut arts = vec![
            art("bundle/node/kubelet.log", ArtifactKind::KubeletLog),
            art("bundle/node/rpm-qa.txt", ArtifactKind::Packages),
        ];
        arts[0].node_names.insert("k8sw-prd-04".into());
        assert_eq!(resolve(&arts).nodes[0].name, "k8sw-prd-04");
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
                ArtifactKind::OtherLog,
            ),
            art(
                "support-bundle/cluster-resources/pods/default.json",
                ArtifactKind::PodJson,
            ),
        ];
        let l = resolve(&arts);
        assert!(l.nodes.is_empty(), "{:?}", l.nodes);
        assert_eq!(l.node_of, vec![None, None, None]);
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
        let names: Vec<&str> = l.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, vec!["node-a", "node-b"]);
        assert_eq!(l.node_of, vec![Some(0), Some(0), Some(1)]);
    }

    #[test]
    fn a_journal_host_finds_its_node_by_short_name() {
        let mut arts = vec![art(
            "mg/nodes/master-0/master-0_logs_kubelet",
            ArtifactKind::KubeletLog,
        )];
        arts[0].hosts.insert("master-0.ocp.example.com".into());
        let mut l = resolve(&arts);
        l.nodes[0].name = "master-0".into();
        assert_eq!(
            l.node_for_host("master-0.ocp.example.com")
                .map(|n| n.name.as_str()),
            Some("master-0")
        );
        assert!(l.node_for_host("master-1.ocp.example.com").is_none());
    }

    #[test]
    fn sosreport_name_gives_the_host_when_nothing_else_does() {
        let arts = vec![art(
            "sosreport-web-3-2020-06-14-xkq3mzb/sos_commands/rpm/x",
            ArtifactKind::Packages,
        )];
        assert_eq!(resolve(&arts).nodes[0].name, "web-3");
    }
}

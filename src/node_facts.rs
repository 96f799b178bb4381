//! The step after layout: gather, once, what each node's artifacts state
//! about it (package lists, mount table, versions, OS, runtime, logs, node
//! list status) into one `NodeFacts` per node. Rule conditions and the
//! report's environment table both read these, so they never disagree on
//! which package list or version speaks for a node.

use crate::facts::{
    ArtifactKind, MountTable, NodeFacts, NodeStatus, Observations, PackageList, Sourced,
};
use crate::layout::Layout;

/// One `NodeFacts` per node of the layout, in its order (every node the
/// cluster names is one, files or not: the NotReady one is often the story).
pub fn build<'a>(obs: &'a Observations, layout: &Layout) -> Vec<NodeFacts<'a>> {
    let statuses: Vec<(&NodeStatus, &str)> = obs
        .artifacts
        .iter()
        .flat_map(|a| a.nodes.iter().map(move |s| (s, a.path.as_str())))
        .collect();
    layout
        .nodes
        .iter()
        .map(|n| {
            let mut f = NodeFacts {
                name: n.name.clone(),
                named_by: n.named_by.clone(),
                artifacts: n.artifacts.clone(),
                ..NodeFacts::default()
            };
            for &i in &n.artifacts {
                if let Some(a) = obs.artifacts.get(i) {
                    add_artifact(&mut f, a);
                }
            }
            // The os-release file is the one the others are generated from: it
            // wins over a release line (`/etc/centos-release`) of the same node.
            let os_files = || n.artifacts.iter().filter_map(|&i| obs.artifacts.get(i));
            let full = os_files().find(|a| {
                let name = a.path.rsplit('/').next().unwrap_or_default();
                a.os.is_some() && matches!(name, "os-release" | "osrelease")
            });
            if let Some(a) = full.or_else(|| os_files().find(|a| a.os.is_some())) {
                f.os = a.os.as_ref().and_then(os_name).map(|value| Sourced {
                    value,
                    artifact: a.path.clone(),
                });
            }
            // A journal of several hosts is each of its hosts' log too.
            for (i, a) in obs.artifacts.iter().enumerate() {
                let shared = layout.node_of.get(i).is_some_and(Option::is_none)
                    && matches!(
                        a.kind,
                        Some(ArtifactKind::KubeletLog | ArtifactKind::RuntimeLog)
                    )
                    && a.hosts
                        .iter()
                        .any(|h| layout.node_for_host(h).is_some_and(|x| x.name == n.name));
                if shared {
                    f.logs.push(a.path.clone());
                }
            }
            f.status = statuses
                .iter()
                .find(|(s, _)| s.name == n.name && !s.is_ready())
                .map(|(s, _)| s.status.clone());
            // A Node object's nodeInfo fills what the node's own files did not
            // say (a must-gather has no os-release or uname per node).
            for (s, path) in statuses.iter().filter(|(s, _)| s.name == n.name) {
                fill_from_status(&mut f, s, path);
            }
            from_packages(&mut f);
            // The runtime a pod's container IDs name, when nothing states its version.
            if f.runtime.is_none() {
                f.runtime = obs.artifacts.iter().find_map(|a| {
                    let pod = a.pods.iter().find(|p| {
                        p.node.as_deref() == Some(n.name.as_str()) && p.runtime.is_some()
                    })?;
                    Some(Sourced {
                        value: pod.runtime.clone()?,
                        artifact: a.path.clone(),
                    })
                });
            }
            f
        })
        .collect()
}

/// What one of the node's own artifacts adds.
fn add_artifact<'a>(f: &mut NodeFacts<'a>, a: &'a crate::facts::ArtifactFacts) {
    if let Some(k) = a.kind {
        f.kinds.insert(k);
    }
    f.history
        .extend(a.package_changes.iter().map(|c| (c, a.path.clone())));
    match a.kind {
        Some(ArtifactKind::Packages) if !a.packages.is_empty() => {
            f.packages
                .get_or_insert_with(PackageList::default)
                .lists
                .push((a.path.clone(), a.packages.iter().collect()));
        }
        Some(kind @ (ArtifactKind::Mountinfo | ArtifactKind::Mounts)) if !a.mounts.is_empty() => {
            // mountinfo has the root field; `mount` output does not.
            let better = match &f.mounts {
                None => true,
                Some(t) => t.kind == ArtifactKind::Mounts && kind == ArtifactKind::Mountinfo,
            };
            if better {
                f.mounts = Some(MountTable {
                    rows: a.mounts.iter().collect(),
                    artifact: a.path.clone(),
                    kind,
                });
            }
        }
        Some(ArtifactKind::KubeletLog | ArtifactKind::RuntimeLog) => f.logs.push(a.path.clone()),
        _ => {}
    }
    for v in &a.versions {
        match v.component.as_str() {
            "kernel" => keep_first(
                &mut f.conflicts,
                "kernel",
                &mut f.kernel,
                Some(v.version.clone()),
                &a.path,
            ),
            "kubernetes" => keep_first(
                &mut f.conflicts,
                "kubernetes",
                &mut f.kubernetes,
                Some(v.version.clone()),
                &a.path,
            ),
            // Docker Info's and rpm-ostree's word for the OS, when no os-release says.
            "os" => keep_first(
                &mut f.conflicts,
                "",
                &mut f.os,
                Some(v.version.clone()),
                &a.path,
            ),
            "containerd" | "docker" | "cri-o" => keep_first(
                &mut f.conflicts,
                "runtime",
                &mut f.runtime,
                Some(format!("{} {}", v.component, v.version)),
                &a.path,
            ),
            _ => {}
        }
    }
    f.versions
        .extend(a.versions.iter().map(|v| (v, a.path.clone())));
}

/// How an os-release names the OS: its PRETTY_NAME, or its ID and version.
fn os_name(os: &crate::facts::OsRelease) -> Option<String> {
    os.pretty_name
        .clone()
        .or_else(|| match (&os.id, &os.version_id) {
            (Some(id), Some(v)) => Some(format!("{id} {v}")),
            (Some(id), None) => Some(id.clone()),
            _ => None,
        })
}

/// Kubernetes and the runtime as the node's package list has them, when no
/// log, version file or node list said (`kubelet-1.28.3-150500.1.1`, `containerd.io 1.6.31-1`).
fn from_packages(f: &mut NodeFacts<'_>) {
    let Some(list) = &f.packages else { return };
    let find = |names: &[&str]| {
        list.rows()
            .find(|(_, p)| p.installed && names.contains(&p.name.as_str()))
            .map(|(path, p)| {
                let v = crate::version::upstream(p.manager.scheme(), &p.version).to_string();
                (path.to_string(), p.name.clone(), v)
            })
    };
    if f.kubernetes.is_none() {
        if let Some((artifact, _, value)) = find(&[
            "kubelet",
            "kubernetes-node",
            "kubernetes-kubelet",
            "microk8s",
            "k3s",
            "rke2-server",
            "rke2-agent",
        ]) {
            f.kubernetes = Some(Sourced { value, artifact });
        }
    }
    if f.runtime.is_none() {
        let runtimes: [(&str, &[&str]); 3] = [
            ("containerd", &["containerd", "containerd.io"]),
            ("cri-o", &["cri-o"]),
            (
                "docker",
                &[
                    "docker-ce",
                    "docker.io",
                    "docker-engine",
                    "moby-engine",
                    "docker",
                ],
            ),
        ];
        for (runtime, names) in runtimes {
            if let Some((artifact, _, v)) = find(names) {
                f.runtime = Some(Sourced {
                    value: format!("{runtime} {v}"),
                    artifact,
                });
                break;
            }
        }
    }
}

/// A node list's `status.nodeInfo` for what the node's own files did not say.
fn fill_from_status(f: &mut NodeFacts<'_>, s: &NodeStatus, path: &str) {
    keep_first(&mut f.conflicts, "", &mut f.os, s.os_image.clone(), path);
    keep_first(
        &mut f.conflicts,
        "kernel",
        &mut f.kernel,
        s.kernel.clone(),
        path,
    );
    keep_first(
        &mut f.conflicts,
        "kubernetes",
        &mut f.kubernetes,
        s.version.clone(),
        path,
    );
    let runtime = s.runtime.as_ref().map(|r| r.replacen("://", " ", 1));
    keep_first(&mut f.conflicts, "runtime", &mut f.runtime, runtime, path);
}

/// Set `slot` to `value` from `artifact`, unless an earlier source set it;
/// a later source that says otherwise (`field` named) is a conflict the
/// report shows rather than a guess it makes.
fn keep_first(
    conflicts: &mut Vec<String>,
    field: &str,
    slot: &mut Option<Sourced<String>>,
    value: Option<String>,
    artifact: &str,
) {
    let Some(value) = value else { return };
    match slot {
        None => {
            *slot = Some(Sourced {
                value,
                artifact: artifact.to_string(),
            })
        }
        Some(have) if !field.is_empty() && same_version(&have.value) != same_version(&value) => {
            let note = format!(
                "{field}: {} ({}) but {value} ({artifact})",
                have.value, have.artifact
            );
            if !conflicts.contains(&note) {
                conflicts.push(note);
            }
        }
        Some(_) => {}
    }
}

/// A version as compared across sources: `v1.29.4` and `1.29.4` are one,
/// `cri-o://1.21.2` and `cri-o 1.21.2` too.
fn same_version(v: &str) -> String {
    let v = v.trim().to_ascii_lowercase().replace("://", " ");
    match v.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => v,
    }
}

//! Who a hit is about: its pod (and namespace), volumes, pod UID and node,
//! from the signal's captures first, then from the artifact that holds the
//! record (the describe section, the event row, the pod whose status quotes
//! it), the journald host of the line, the artifact's node, and the pods the
//! bundle lists.

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{ArtifactKind, Event, Observations, SignalHit};
use crate::layout::Layout;
use crate::logline::Timestamp;
use crate::records::quotes;

/// Who a hit is about.
#[derive(Clone, Debug, Default)]
pub(super) struct Subject {
    pub(super) node: Option<String>,
    pub(super) pod: Option<String>,
    pub(super) namespace: Option<String>,
    pub(super) volumes: BTreeSet<String>,
    pub(super) uid: Option<String>,
    /// Took its pod from the record beside it, which tells the same failure
    /// (see `pair_companions`): counted once, with that record.
    pub(super) companion: bool,
}

impl Subject {
    fn names_nothing(&self) -> bool {
        self.pod.is_none() && self.uid.is_none() && self.volumes.is_empty()
    }
}

/// Records of one rule that sit within this many lines of each other, in
/// the same second, tell one failure.
const COMPANION_LINES: u64 = 3;

/// A record that names no pod (`Couldn't get secret ns/x: secret "x" not
/// found`) next to one of the same rule that does (`nestedpendingoperations`
/// ... `podName:`, logged the same instant) is the same failure: it takes that
/// record's pod, UID and volumes. `hits` are sorted by artifact and line.
pub(super) fn pair_companions(hits: &mut [(&SignalHit, Subject)]) {
    let second = |h: &SignalHit| {
        h.record
            .timestamp
            .map(|t| Timestamp { micros: 0, ..t }.sort_key())
    };
    for i in 0..hits.len() {
        let Some((h, s)) = hits.get(i) else { continue };
        if !s.names_nothing() {
            continue;
        }
        let (artifact, line, at) = (h.artifact, h.record.first_line, second(h));
        let partner = hits
            .iter()
            .enumerate()
            .filter(|(j, (o, os))| {
                *j != i
                    && !os.names_nothing()
                    && !os.companion
                    && o.artifact == artifact
                    && o.record.first_line.abs_diff(line) <= COMPANION_LINES
                    && second(o) == at
            })
            .min_by_key(|(_, (o, _))| o.record.first_line.abs_diff(line))
            .map(|(_, (_, os))| os.clone());
        if let (Some(p), Some((_, s))) = (partner, hits.get_mut(i)) {
            s.pod = p.pod;
            s.namespace = s.namespace.take().or(p.namespace);
            s.uid = p.uid;
            s.volumes = p.volumes;
            s.companion = true;
        }
    }
}

/// What the bundle says about each pod it names: by name, its namespace and
/// node; by UID, its namespace and name.
#[derive(Debug, Default)]
pub(super) struct PodIndex {
    by_name: BTreeMap<String, (Option<String>, Option<String>)>,
    by_uid: BTreeMap<String, (Option<String>, String)>,
}

impl PodIndex {
    /// From every pod the bundle describes or lists, and every pod a kubelet
    /// log's `SyncLoop` lines name (a pod a rollout deleted is in no list).
    pub(super) fn new(obs: &Observations, layout: &Layout) -> PodIndex {
        let mut idx = PodIndex::default();
        for a in &obs.artifacts {
            for p in &a.pods {
                // Sources disagree in detail: a plain `get pods` table has no NODE
                // column, so it must not erase the node a describe stated.
                idx.add(
                    &p.name,
                    p.namespace.as_deref(),
                    p.node.as_deref(),
                    p.uid.as_deref(),
                );
            }
        }
        for (i, a) in obs.artifacts.iter().enumerate() {
            let node = layout.node_name_of(i);
            for p in &a.pod_lifecycle {
                idx.add(&p.name, Some(&p.namespace), node, p.uid.as_deref());
            }
        }
        idx
    }

    fn add(&mut self, name: &str, ns: Option<&str>, node: Option<&str>, uid: Option<&str>) {
        let entry = self.by_name.entry(name.to_string()).or_default();
        if entry.0.is_none() {
            entry.0 = ns.map(str::to_string);
        }
        if entry.1.is_none() {
            entry.1 = node.map(str::to_string);
        }
        if let Some(uid) = uid {
            self.by_uid
                .entry(uid.to_string())
                .or_insert_with(|| (ns.map(str::to_string), name.to_string()));
        }
    }
}

/// The event a hit's record is: a table row by its line, a JSON or YAML
/// event by the line of its message, else the first event that says the same.
pub(super) fn event_of<'a>(hit: &SignalHit, obs: &'a Observations) -> Option<&'a Event> {
    let a = obs.artifacts.get(hit.artifact)?;
    a.events
        .iter()
        .find(|e| e.line > 0 && e.line == hit.record.first_line)
        .or_else(|| {
            a.events
                .iter()
                .find(|e| quotes(&hit.record.text, &e.message))
        })
}

/// When a hit happened: its record's time, or for an event without one
/// (JSON, YAML, a wide table row) the last time the event was seen.
pub(super) fn hit_time(hit: &SignalHit, obs: &Observations) -> Option<Timestamp> {
    hit.record
        .timestamp
        .or_else(|| event_of(hit, obs)?.last_time())
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

pub(super) fn subject(
    hit: &SignalHit,
    obs: &Observations,
    layout: &Layout,
    pods: &PodIndex,
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
    // The kubelet's own paths name the pod's UID and the volume, whatever the
    // rule captured: `.../pods/<uid>/volumes/kubernetes.io~nfs/<volume>`.
    let (path_uid, path_volumes) = named_by_kubelet_paths(&hit.record.text);
    if s.uid.is_none() {
        s.uid = path_uid;
    }
    if s.volumes.is_empty() {
        s.volumes.extend(path_volumes);
    }
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
            if let Some(e) = event_of(hit, obs) {
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
    // A container log: the pod its path names.
    if let (None, Some(Some((ns, pod)))) = (&s.pod, layout.pod_of.get(hit.artifact)) {
        s.pod = Some(pod.clone());
        s.namespace.get_or_insert_with(|| ns.clone());
    }
    // A line that names the pod by its UID alone.
    if let (None, Some(uid)) = (&s.pod, &s.uid) {
        if let Some((ns, name)) = pods.by_uid.get(uid) {
            s.pod = Some(name.clone());
            s.namespace = s.namespace.take().or_else(|| ns.clone());
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
        if let Some((ns, node)) = pods.by_name.get(pod) {
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
    // One name per node: an event's short host name is the node's FQDN.
    if let Some(n) = s.node.as_deref().and_then(|n| layout.node_for_host(n)) {
        s.node = Some(n.name.clone());
    }
    s
}

/// The pod UID and the volumes a kubelet path in the text names:
/// `<uid>/volumes/kubernetes.io~<plugin>/<volume>` and
/// `<uid>/volume-subpaths/<volume>/<container>/<n>`, under
/// `/var/lib/kubelet/pods/` or quoted without it (`Setting volume ownership
/// for <uid>/volumes/...`), with `/` or Windows' `\`. The first UID is kept.
fn named_by_kubelet_paths(text: &str) -> (Option<String>, BTreeSet<String>) {
    let mut uid = None;
    let mut volumes = BTreeSet::new();
    for sep in ['/', '\\'] {
        for (marker, skip) in [("volumes", 1), ("volume-subpaths", 0)] {
            let needle = format!("{sep}{marker}{sep}");
            for (at, _) in text.match_indices(&needle) {
                let Some(id) = at.checked_sub(36).and_then(|from| text.get(from..at)) else {
                    continue;
                };
                if !is_uid(id) {
                    continue;
                }
                uid.get_or_insert_with(|| id.to_string());
                let after = text.get(at + needle.len()..).unwrap_or_default();
                let volume = after.split(sep).nth(skip).map(volume_name);
                if let Some(v) = volume.filter(|v| !v.is_empty()) {
                    volumes.insert(v.to_string());
                }
            }
        }
    }
    (uid, volumes)
}

/// A pod UID: 8-4-4-4-12 lowercase hex digits.
fn is_uid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// A volume name as it stands in a path, up to the first character no
/// volume name has (a quote, a colon, a blank).
fn volume_name(segment: &str) -> &str {
    let end = segment
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_'))
        .unwrap_or(segment.len());
    segment.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubelet_paths_name_the_pod_uid_and_the_volume() {
        let cases: [(&str, &str, &[&str]); 5] = [
            // kubernetes/kubernetes#95778 (rules/ example).
            (
                "E1019 21:43:51.617587    7082 configmap.go:249] Error creating atomic writer: stat /var/lib/kubelet/pods/c427bb19-21ba-41a7-af32-9b2236264aa2/volumes/kubernetes.io~configmap/cluster-config: no such file or directory",
                "c427bb19-21ba-41a7-af32-9b2236264aa2",
                &["cluster-config"],
            ),
            // Longhorn's mount output: the same path twice, one volume.
            (
                "Mounting arguments: -t ext4 -o defaults /dev/longhorn/pvc-d061512e-870a-4ece-bd45-2f04672d5256 /var/lib/kubelet/pods/cf0a0b5b-106e-4793-a74a-28bfae21be1a/volumes/kubernetes.io~csi/pvc-d061512e-870a-4ece-bd45-2f04672d5256/mount\nOutput: mount: /var/lib/kubelet/pods/cf0a0b5b-106e-4793-a74a-28bfae21be1a/volumes/kubernetes.io~csi/pvc-d061512e-870a-4ece-bd45-2f04672d5256/mount: already mounted or mount point busy.",
                "cf0a0b5b-106e-4793-a74a-28bfae21be1a",
                &["pvc-d061512e-870a-4ece-bd45-2f04672d5256"],
            ),
            // warm-metal/container-image-csi-driver#145: a subPath.
            (
                r#"Error: failed to generate container "a1b2" spec: failed to apply OCI options: relabel "/var/lib/kubelet/pods/ee74a41d-f2b5-4ac3-9722-80454387d5c9/volume-subpaths/source/nginx/18" failed"#,
                "ee74a41d-f2b5-4ac3-9722-80454387d5c9",
                &["source"],
            ),
            // volume_linux.go's progress event, without `/var/lib/kubelet/pods/`.
            (
                "Setting volume ownership for 172b102d-21c8-46be-baf4-6720c4bc87cd/volumes/kubernetes.io~csi/pvc-057db6a4-ffe9-4352-9157-fb2641a9e1ff/mount is taking longer than expected",
                "172b102d-21c8-46be-baf4-6720c4bc87cd",
                &["pvc-057db6a4-ffe9-4352-9157-fb2641a9e1ff"],
            ),
            // Derived: the same SetUp failure on a Windows node, whose kubelet
            // root is `c:\var\lib\kubelet`.
            (
                r#"MountVolume.SetUp failed for volume "azure-file" : mkdir c:\var\lib\kubelet\pods\3e4b6a1c-5d2f-4e8a-9b7c-1a2b3c4d5e6f\volumes\kubernetes.io~azure-file\azure-file: access denied"#,
                "3e4b6a1c-5d2f-4e8a-9b7c-1a2b3c4d5e6f",
                &["azure-file"],
            ),
        ];
        for (text, uid, volumes) in cases {
            let (got_uid, got_volumes) = named_by_kubelet_paths(text);
            assert_eq!(got_uid.as_deref(), Some(uid), "{text}");
            assert_eq!(
                got_volumes.iter().map(String::as_str).collect::<Vec<_>>(),
                volumes,
                "{text}"
            );
        }
        // Near-misses: a UID-less path, a host path named `volumes`, a
        // shortened UID as the OpenShift docs quote it.
        for text in [
            "stat /var/lib/kubelet/pods/volumes/kubernetes.io~nfs/x: no such file",
            "mkdir /data/volumes/kubernetes.io~nfs/x: permission denied",
            "Setting volume ownership for /var/lib/kubelet/pods/8905d88e-.../volumes/kubernetes.io~csi/pvc-287d1988-.../mount",
        ] {
            assert_eq!(named_by_kubelet_paths(text), (None, BTreeSet::new()), "{text}");
        }
    }
}

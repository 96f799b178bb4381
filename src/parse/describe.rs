//! `kubectl describe pod` output: pod identity, container states, mounts,
//! volumes and the Events table.
//!
//! The text is kubectl's prefix writer over Go's tabwriter: a fixed indent per
//! level (0 pod, 2 container/volume, 4 container field, 6 state field) and
//! `Key:<blanks>value`. Values that hold newlines (a termination message, an
//! event message) are printed raw, so their continuation lines carry none of
//! that structure; the parser walks by indent and treats lines that do not fit
//! as continuation of the value being read.
//!
//! Over 900 lines: about 440 of parser and 480 of tests on real describe
//! output (wrapped messages, multi-line values, every state); kept together.

use std::sync::OnceLock;

use regex::Regex;

use super::regex;

use crate::facts::{ContainerMount, ContainerStatus, Event, PodFacts, PodVolume};

/// Parse one or more `kubectl describe pod` outputs concatenated in one file
/// (Rancher's `poddescribe/<ns>` holds a whole namespace). A pod starts at
/// `Name:` in column 0; inside an Events table it must also follow a blank line,
/// because a multi-line event message could itself contain `Name:` text.
/// Never panics; text that is no describe output gives an empty Vec.
pub fn parse(text: &str) -> Vec<PodFacts> {
    let lines: Vec<&str> = text.lines().collect();
    let mut starts = Vec::new();
    let mut in_events = false;
    let mut prev_blank = true;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.starts_with("Name:") && (!in_events || prev_blank) {
            starts.push(i);
            in_events = false;
        } else if line.starts_with("Events:") {
            in_events = true;
        }
        prev_blank = line.trim().is_empty();
    }
    let mut pods = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        if let Some(chunk) = lines.get(start..end) {
            if let Some(pod) = parse_pod(chunk, start) {
                pods.push(pod);
            }
        }
    }
    pods
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Pod,
    Containers,
    Volumes,
    Events,
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sub {
    None,
    State,
    LastState,
    Mounts,
}

/// The Volumes fields a source is built from; which one counts depends on the
/// volume type, so they are kept until the volume ends.
#[derive(Default)]
struct VolumeDraft {
    name: String,
    type_text: String,
    name_field: Option<String>,
    secret_name: Option<String>,
    claim_name: Option<String>,
    server: Option<String>,
    path: Option<String>,
    driver: Option<String>,
}

impl VolumeDraft {
    fn finish(self) -> PodVolume {
        let first = self
            .type_text
            .split(|c: char| c == '(' || c.is_whitespace())
            .find(|w| !w.is_empty())
            .unwrap_or("");
        let kind = match first {
            "NFS" => "nfs".to_string(),
            "ConfigMap" => "configmap".to_string(),
            "Secret" => "secret".to_string(),
            "PersistentVolumeClaim" => "pvc".to_string(),
            "Projected" => "projected".to_string(),
            "EmptyDir" => "emptydir".to_string(),
            "HostPath" => "hostpath".to_string(),
            "CSI" => "csi".to_string(),
            other => other.to_ascii_lowercase(),
        };
        let source = match kind.as_str() {
            "nfs" => match (self.server, self.path) {
                (Some(s), Some(p)) => Some(format!("{s}:{p}")),
                (Some(s), None) => Some(s),
                (None, p) => p,
            },
            "configmap" => self.name_field,
            "secret" => self.secret_name,
            "pvc" => self.claim_name,
            "hostpath" => self.path,
            // The driver is what a CSI failure is about; describe shows no
            // other stable identifier for an inline CSI volume.
            "csi" => self.driver,
            _ => None,
        };
        PodVolume {
            name: self.name,
            kind,
            source,
        }
    }
}

/// Column-0 keys kubectl prints for a pod. A line at column 0 that is not one
/// of these is continuation text (for example `Error: ...` inside a message).
const POD_KEYS: &[&str] = &[
    "Name",
    "Namespace",
    "Priority",
    "Priority Class Name",
    "Runtime Class Name",
    "Service Account",
    "Node",
    "Start Time",
    "Labels",
    "Annotations",
    "Status",
    "Reason",
    "Message",
    "SeccompProfile",
    "IP",
    "IPs",
    "Controlled By",
    "NominatedNodeName",
    "Nominated Node Name",
    "Init Containers",
    "Containers",
    "Ephemeral Containers",
    "Readiness Gates",
    "Conditions",
    "Volumes",
    "QoS Class",
    "Node-Selectors",
    "Tolerations",
    "Topology Spread Constraints",
    "Events",
    "UID",
    "Termination Grace Period",
];

fn key_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    regex(
        &RE,
        r"^( *)([A-Za-z0-9][A-Za-z0-9 ._/-]*?):(?:[ \t]+(.*?))?[ \t]*$",
    )
}

fn mount_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    regex(&RE, r"^\s*(.+?) from (\S+) \((.*)\)\s*$")
}

fn sub_path_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    regex(&RE, r#"path\s*=\s*"([^"]*)""#)
}

/// (indent, key, value) of a `Key:  value` line; value is "" when absent.
fn key_value(line: &str) -> Option<(usize, &str, &str)> {
    let c = key_re()?.captures(line)?;
    let indent = c.get(1)?.as_str().len();
    let key = c.get(2)?.as_str();
    let value = c.get(3).map_or("", |m| m.as_str());
    Some((indent, key, value))
}

/// Whether a line read while collecting a multi-line container `Message:` is
/// describe structure again (which ends the message).
fn ends_message(line: &str) -> bool {
    match key_value(line) {
        Some((0, key, _)) => POD_KEYS.contains(&key),
        // Container fields (indent 4) and state fields (indent 6) follow a
        // message; kubectl never indents message text to exactly those keys.
        Some((4, _, _)) | Some((6, _, _)) => true,
        _ => false,
    }
}

fn opt(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() || v == "<none>" || v == "<nil>" {
        None
    } else {
        Some(v.to_string())
    }
}

fn parse_mount(line: &str) -> Option<ContainerMount> {
    let c = mount_re()?.captures(line)?;
    let flags = c.get(3).map_or("", |m| m.as_str());
    let sub_path = sub_path_re()
        .and_then(|re| re.captures(flags))
        .and_then(|s| s.get(1))
        .map(|m| m.as_str().to_string());
    Some(ContainerMount {
        path: c.get(1)?.as_str().trim().to_string(),
        volume: c.get(2)?.as_str().to_string(),
        sub_path,
        read_only: flags.split(',').next().map(str::trim) == Some("ro"),
    })
}

/// Which string a multi-line `Message:` appends to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MessageTarget {
    None,
    /// A current-state message: no field holds it, but its lines must still be
    /// swallowed so they are not read as structure.
    Discard,
    LastState,
}

fn parse_pod(chunk: &[&str], first_index: usize) -> Option<PodFacts> {
    let base = u64::try_from(first_index)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut pod = PodFacts {
        line: base,
        ..PodFacts::default()
    };
    let mut have_name = false;
    let mut section = Section::Pod;
    let mut sub = Sub::None;
    let mut container: Option<ContainerStatus> = None;
    // Exit codes of State and Last State; the last one wins (it tells why the
    // container restarts), the current one is the fallback.
    let mut state_exit: Option<i64> = None;
    let mut last_exit: Option<i64> = None;
    let mut volume: Option<VolumeDraft> = None;
    let mut events_from: Option<usize> = None;
    let mut message = MessageTarget::None;

    let flush_container = |c: &mut Option<ContainerStatus>,
                           se: &mut Option<i64>,
                           le: &mut Option<i64>,
                           pod: &mut PodFacts| {
        if let Some(mut done) = c.take() {
            done.exit_code = le.take().or(se.take());
            pod.containers.push(done);
        }
        *se = None;
        *le = None;
    };

    for (i, raw) in chunk.iter().enumerate() {
        let line = raw.trim_end_matches('\r');
        if section == Section::Events {
            break;
        }
        if message != MessageTarget::None {
            if ends_message(line) {
                message = MessageTarget::None;
            } else {
                if message == MessageTarget::LastState {
                    if let Some(m) = container.as_mut().and_then(|c| c.last_message.as_mut()) {
                        m.push('\n');
                        m.push_str(line);
                    }
                }
                continue;
            }
        }
        if line.trim().is_empty() {
            continue;
        }
        let kv = key_value(line);
        if let Some((0, key, value)) = kv {
            if !POD_KEYS.contains(&key) {
                continue;
            }
            flush_container(&mut container, &mut state_exit, &mut last_exit, &mut pod);
            if let Some(v) = volume.take() {
                pod.volumes.push(v.finish());
            }
            sub = Sub::None;
            section = Section::Pod;
            match key {
                "Name" if !have_name => {
                    pod.name = value.trim().to_string();
                    have_name = true;
                }
                "Namespace" => pod.namespace = opt(value),
                // `Node:  k8sw-prd-04/10.1.2.44`; `<none>` while unscheduled.
                "Node" => {
                    pod.node = opt(value).and_then(|v| opt(v.split('/').next().unwrap_or("")))
                }
                "UID" => pod.uid = opt(value),
                "Status" => pod.phase = opt(value),
                "Start Time" => pod.start_time = opt(value),
                "Init Containers" | "Containers" | "Ephemeral Containers" => {
                    section = Section::Containers
                }
                "Volumes" => section = Section::Volumes,
                "Events" => {
                    section = Section::Events;
                    events_from = Some(i);
                }
                _ => section = Section::Other,
            }
            continue;
        }
        let indent = line
            .len()
            .saturating_sub(line.trim_start_matches(' ').len());
        match section {
            Section::Containers => {
                if indent == 2 {
                    if let Some((2, name, "")) = kv {
                        flush_container(&mut container, &mut state_exit, &mut last_exit, &mut pod);
                        container = Some(ContainerStatus {
                            name: name.to_string(),
                            ..ContainerStatus::default()
                        });
                        sub = Sub::None;
                    }
                    continue;
                }
                let Some(c) = container.as_mut() else {
                    continue;
                };
                match kv {
                    Some((4, key, value)) => {
                        sub = Sub::None;
                        match key {
                            "State" => {
                                c.state = opt(value);
                                sub = Sub::State;
                            }
                            "Last State" => {
                                c.last_state = opt(value);
                                sub = Sub::LastState;
                            }
                            "Restart Count" => c.restart_count = value.trim().parse().ok(),
                            "Ready" => c.ready = Some(value.trim() == "True"),
                            "Mounts" => sub = Sub::Mounts,
                            _ => {}
                        }
                    }
                    Some((6, key, value)) if matches!(sub, Sub::State | Sub::LastState) => {
                        let last = sub == Sub::LastState;
                        match key {
                            "Reason" if last => c.last_reason = opt(value),
                            "Reason" => c.state_reason = opt(value),
                            "Exit Code" if last => last_exit = value.trim().parse().ok(),
                            "Exit Code" => state_exit = value.trim().parse().ok(),
                            "Message" if last => {
                                c.last_message = Some(value.to_string());
                                message = MessageTarget::LastState;
                            }
                            "Message" => message = MessageTarget::Discard,
                            // `Started:  Tue, 18 Apr 2023 08:42:39 +0000` (RFC 1123Z).
                            "Started" if !last => c.started_at = rfc1123(value),
                            _ => {}
                        }
                    }
                    _ if sub == Sub::Mounts && indent >= 6 => {
                        if let Some(m) = parse_mount(line) {
                            c.mounts.push(m);
                        }
                    }
                    _ => {}
                }
            }
            Section::Volumes => {
                if indent == 2 {
                    if let Some((2, name, "")) = kv {
                        if let Some(v) = volume.take() {
                            pod.volumes.push(v.finish());
                        }
                        volume = Some(VolumeDraft {
                            name: name.to_string(),
                            ..VolumeDraft::default()
                        });
                    }
                    continue;
                }
                if let (Some(v), Some((4, key, value))) = (volume.as_mut(), kv) {
                    let value = opt(value);
                    match key {
                        "Type" => v.type_text = value.unwrap_or_default(),
                        "Name" => v.name_field = value,
                        "SecretName" => v.secret_name = value,
                        "ClaimName" => v.claim_name = value,
                        "Server" => v.server = value,
                        "Path" => v.path = value,
                        "Driver" => v.driver = value,
                        _ => {}
                    }
                }
            }
            Section::Pod | Section::Events | Section::Other => {}
        }
    }
    flush_container(&mut container, &mut state_exit, &mut last_exit, &mut pod);
    if let Some(v) = volume.take() {
        pod.volumes.push(v.finish());
    }
    pod.ready_since = ready_since(&pod.containers);
    for c in &mut pod.containers {
        if let Some(m) = c.last_message.as_mut() {
            let keep = m.trim_end().len();
            m.truncate(keep);
        }
    }
    if let Some(from) = events_from {
        let rest = chunk.get(from..).unwrap_or(&[]);
        let numbered = rest.iter().enumerate().map(|(k, l)| {
            let offset = u64::try_from(from + k).unwrap_or(u64::MAX);
            (base.saturating_add(offset), *l)
        });
        pod.events = super::events::parse_table_lines(numbered)
            .into_iter()
            .map(|ev| Event {
                namespace: ev.namespace.or_else(|| pod.namespace.clone()),
                object: ev.object.or_else(|| Some(format!("pod/{}", pod.name))),
                ..ev
            })
            .collect();
    }
    if !have_name || pod.name.is_empty() {
        return None;
    }
    Some(pod)
}

/// A describe's `Started:` time (`Tue, 18 Apr 2023 08:42:39 +0000`) as RFC 3339.
fn rfc1123(value: &str) -> Option<String> {
    static PARSER: jiff::fmt::rfc2822::DateTimeParser = jiff::fmt::rfc2822::DateTimeParser::new();
    PARSER
        .parse_timestamp(value.trim())
        .ok()
        .map(|t| t.to_string())
}

/// When a pod whose containers all run and are ready became so: the latest
/// container start (init containers that completed do not count).
pub(crate) fn ready_since(containers: &[ContainerStatus]) -> Option<String> {
    let mut latest: Option<&str> = None;
    let mut running = 0;
    for c in containers {
        match c.state.as_deref() {
            Some("Running") | Some("running") => {
                if c.ready != Some(true) {
                    return None;
                }
                running += 1;
                let started = c.started_at.as_deref()?;
                // RFC 3339 UTC strings of one shape order as text.
                if latest.is_none_or(|l| started > l) {
                    latest = Some(started);
                }
            }
            Some("Terminated") | Some("terminated")
                if c.state_reason.as_deref() == Some("Completed") => {}
            _ => return None,
        }
    }
    (running > 0).then(|| latest.map(str::to_string)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::noise_and_salad;

    // Trimmed real inputs: eval pub01 (NFS helper missing: messages with blank
    // and indented continuation lines, `(combined from similar events)`), pub02
    // (row, 3 continuation lines, then a narrower row) and pub03 (old kubectl
    // `kubelet, node` sources, Last State message, subPath mount).
    const PUB01: &str = r#"Name:             reports-0
Namespace:        finance
Priority:         0
Service Account:  reports
Node:             k8sw-prd-04/10.1.2.44
Start Time:       Tue, 18 Apr 2023 08:42:39 +0000
Labels:           app.kubernetes.io/name=reports
                  controller-revision-hash=reports-6f8b9c7d54
                  statefulset.kubernetes.io/pod-name=reports-0
Annotations:      <none>
Status:           Pending
IP:               
IPs:              <none>
Controlled By:    StatefulSet/reports
Containers:
  report-builder:
    Container ID:   
    Image:          registry.fin.example.com/reports/report-builder:3.8.2
    Image ID:       
    Port:           8080/TCP
    Host Port:      0/TCP
    State:          Waiting
      Reason:       ContainerCreating
    Ready:          False
    Restart Count:  0
    Limits:
      cpu:     1
      memory:  1Gi
    Requests:
      cpu:      200m
      memory:   512Mi
    Readiness:  http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3
    Environment:
      REPORT_OUTPUT_DIR:  /srv/reports
      TZ:                 Europe/Berlin
    Mounts:
      /etc/report-builder from report-templates (ro)
      /srv/reports from reports-archive (rw)
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-499z2 (ro)
Conditions:
  Type              Status
  Initialized       True 
  Ready             False 
  ContainersReady   False 
  PodScheduled      True 
Volumes:
  reports-archive:
    Type:      NFS (an NFS mount that lasts the lifetime of a pod)
    Server:    10.1.2.3
    Path:      /export/reports
    ReadOnly:  false
  report-templates:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      report-templates
    Optional:  false
  kube-api-access-499z2:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   Burstable
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason       Age   From               Message
  ----     ------       ----  ----               -------
  Normal   Scheduled    10m   default-scheduler  Successfully assigned finance/reports-0 to k8sw-prd-04
  Warning  FailedMount  10m   kubelet            MountVolume.SetUp failed for volume "reports-archive" : mount failed: exit status 32
Mounting command: systemd-run
Mounting arguments: --description=Kubernetes transient mount for /var/lib/kubelet/pods/dfc59589-4641-4a77-814a-d17286065e2d/volumes/kubernetes.io~nfs/reports-archive --scope -- mount -t nfs 10.1.2.3:/export/reports /var/lib/kubelet/pods/dfc59589-4641-4a77-814a-d17286065e2d/volumes/kubernetes.io~nfs/reports-archive
Output: Running scope as unit run-23817.scope.
mount: wrong fs type, bad option, bad superblock on 10.1.2.3:/export/reports,
       missing codepage or helper program, or other error
       (for several filesystems (e.g. nfs, cifs) you might
       need a /sbin/mount.<type> helper program)

       In some cases useful info is found in syslog - try
       dmesg | tail or so.
  Warning  FailedMount  3m47s (x6 over 5m49s)  kubelet  (combined from similar events): Unable to attach or mount volumes: unmounted volumes=[reports-archive], unattached volumes=[report-templates kube-api-access-499z2 reports-archive]: timed out waiting for the condition
  Warning  FailedMount  103s                   kubelet  Unable to attach or mount volumes: unmounted volumes=[reports-archive], unattached volumes=[kube-api-access-499z2 reports-archive report-templates]: timed out waiting for the condition
"#;
    const PUB02: &str = r#"Name:             media-indexer-0
Namespace:        media
Priority:         0
Service Account:  media-indexer
Node:             k8s-ubu-w2/10.9.8.41
Start Time:       Tue, 14 May 2024 10:45:50 +0000
Labels:           app.kubernetes.io/instance=media-indexer
                  app.kubernetes.io/name=media-indexer
                  apps.kubernetes.io/pod-index=0
                  controller-revision-hash=media-indexer-8674d9b5c7
                  statefulset.kubernetes.io/pod-name=media-indexer-0
Annotations:      <none>
Status:           Pending
IP:               
IPs:              <none>
Controlled By:    StatefulSet/media-indexer
Containers:
  indexer:
    Container ID:   
    Image:          ghcr.io/example-media/indexer:1.12.0
    Image ID:       
    Port:           9090/TCP
    Host Port:      0/TCP
    State:          Waiting
      Reason:       ContainerCreating
    Ready:          False
    Restart Count:  0
    Limits:
      memory:  2Gi
    Requests:
      cpu:     500m
      memory:  1Gi
    Liveness:  http-get http://:9090/healthz delay=30s timeout=1s period=20s #success=1 #failure=3
    Environment:
      LIBRARY_ROOT:   /library
      INDEX_WORKERS:  4
    Mounts:
      /etc/indexer from indexer-config (ro)
      /library from media-library (rw)
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-rq8cq (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   False 
  Initialized                 True 
  Ready                       False 
  ContainersReady             False 
  PodScheduled                True 
Volumes:
  media-library:
    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:  media-library
    ReadOnly:   false
  indexer-config:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      indexer-config
    Optional:  false
  kube-api-access-rq8cq:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   Burstable
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason       Age                 From               Message
  ----     ------       ----                ----               -------
  Normal   Scheduled    13m                 default-scheduler  Successfully assigned media/media-indexer-0 to k8s-ubu-w2
  Warning  FailedMount  45s (x14 over 13m)  kubelet            MountVolume.SetUp failed for volume "media-library-pv" : mount failed: exit status 32
Mounting command: mount
Mounting arguments: -t nfs -o nfsvers=4.1 10.9.8.7:/exports/media /var/lib/kubelet/pods/2d1d501f-91ae-4eae-b1c0-c4251fe8927c/volumes/kubernetes.io~nfs/media-library-pv
Output: mount.nfs: access denied by server while mounting 10.9.8.7:/exports/media
  Warning  FailedMount  39s (x6 over 11m)  kubelet  Unable to attach or mount volumes: unmounted volumes=[media-library], unattached volumes=[], failed to process volumes=[]: context deadline exceeded
"#;
    const PUB03: &str = r#"Name:         web-7c9d8f6b54-kvvcj
Namespace:    shop
Priority:     0
Node:         k8s-node-7/10.70.3.17
Start Time:   Thu, 28 Jan 2021 09:12:40 +0000
Labels:       app=web
              pod-template-hash=7c9d8f6b54
              tier=frontend
Annotations:  checksum/secrets: 9d1f3bb1a1c4a3e4e8f0b6a7c2d5e9f1a0b3c6d8e2f4a7b9c1d3e5f7a9b2c4d6
Status:       Running
IP:           10.244.4.176
IPs:
  IP:           10.244.4.176
Controlled By:  ReplicaSet/web-7c9d8f6b54
Containers:
  web:
    Container ID:   containerd://629f8d2780784e08133ac5c177b526b02632e607487a178f9a29b1dfb21b0827
    Image:          registry.example.internal/shop/web:2.14.1
    Image ID:       registry.example.internal/shop/web@sha256:35dd927458cfde5d05cad0c0199adf29246c6d4184798443cb1c5c4ee95195bf
    Port:           8080/TCP
    Host Port:      0/TCP
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       StartError
      Message:      failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/629f8d2780784e08133ac5c177b526b02632e607487a178f9a29b1dfb21b0827/rootfs/app/config/production.json" caused: no such file or directory: unknown
      Exit Code:    128
      Started:      Thu, 01 Jan 1970 00:00:00 +0000
      Finished:     Wed, 03 Feb 2021 11:39:05 +0000
    Ready:          False
    Restart Count:  10
    Limits:
      memory:  512Mi
    Requests:
      cpu:      100m
      memory:   256Mi
    Liveness:   http-get http://:8080/healthz delay=15s timeout=1s period=10s #success=1 #failure=3
    Readiness:  http-get http://:8080/ready delay=5s timeout=1s period=10s #success=1 #failure=3
    Environment:
      NODE_ENV:         production
      NODE_CONFIG_DIR:  /app/config
    Mounts:
      /app/config/production.json from app-config (rw,path="production.json")
      /var/run/secrets/kubernetes.io/serviceaccount from default-token-4lgdr (ro)
Conditions:
  Type              Status
  Initialized       True 
  Ready             False 
  ContainersReady   False 
  PodScheduled      True 
Volumes:
  app-config:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      web-settings
    Optional:  false
  default-token-4lgdr:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  default-token-4lgdr
    Optional:    false
QoS Class:       Burstable
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute for 300s
                 node.kubernetes.io/unreachable:NoExecute for 300s
Events:
  Type     Reason   Age                From                 Message
  ----     ------   ----               ----                 -------
  Warning  Failed   20m                kubelet, k8s-node-7  Error: failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/2d343fd75710f1200b57a0fa9342385653ed4b657e4ed4bc1b1d8ceb63a9601d/rootfs/app/config/production.json" caused: no such file or directory: unknown
  Warning  Failed   20m                kubelet, k8s-node-7  Error: failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/2f08069e3610a3a456018b85f302685763e6260dbfd71f3180c81c307eba5899/rootfs/app/config/production.json" caused: no such file or directory: unknown
  Warning  Failed   5m40s              kubelet, k8s-node-7  Error: failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/21a89a1e47929e26ce7f1f2a8275b6950ade453260d37387d1cb8bca663ec3ae/rootfs/app/config/production.json" caused: no such file or directory: unknown
  Normal   Pulled   40s (x9 over 20m)  kubelet, k8s-node-7  Container image "registry.example.internal/shop/web:2.14.1" already present on machine
  Normal   Created  40s (x9 over 20m)  kubelet, k8s-node-7  Created container web
  Warning  Failed   40s                kubelet, k8s-node-7  Error: failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/629f8d2780784e08133ac5c177b526b02632e607487a178f9a29b1dfb21b0827/rootfs/app/config/production.json" caused: no such file or directory: unknown
  Warning  BackOff  0s (x29 over 20m)  kubelet, k8s-node-7  Back-off restarting failed container
"#;

    fn one(text: &str) -> PodFacts {
        let mut pods = parse(text);
        assert_eq!(pods.len(), 1, "{pods:#?}");
        pods.remove(0)
    }

    #[test]
    fn pub02_multiline_event_then_narrower_row() {
        let pod = one(PUB02);
        assert_eq!(pod.name, "media-indexer-0");
        assert_eq!(pod.namespace.as_deref(), Some("media"));
        assert_eq!(pod.node.as_deref(), Some("k8s-ubu-w2"));
        assert_eq!(pod.phase.as_deref(), Some("Pending"));
        assert_eq!(
            pod.start_time.as_deref(),
            Some("Tue, 14 May 2024 10:45:50 +0000")
        );
        assert_eq!(pod.line, 1);
        let c = &pod.containers[0];
        assert_eq!(c.name, "indexer");
        assert_eq!(c.state.as_deref(), Some("Waiting"));
        assert_eq!(c.state_reason.as_deref(), Some("ContainerCreating"));
        assert_eq!(c.restart_count, Some(0));
        assert_eq!(c.last_state, None);
        assert_eq!(c.mounts.len(), 3);
        assert_eq!(
            c.mounts[1],
            ContainerMount {
                path: "/library".into(),
                volume: "media-library".into(),
                sub_path: None,
                read_only: false,
            }
        );
        assert!(c.mounts[0].read_only);
        let kinds: Vec<(&str, &str, Option<&str>)> = pod
            .volumes
            .iter()
            .map(|v| (v.name.as_str(), v.kind.as_str(), v.source.as_deref()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("media-library", "pvc", Some("media-library")),
                ("indexer-config", "configmap", Some("indexer-config")),
                ("kube-api-access-rq8cq", "projected", None),
            ]
        );
        assert_eq!(pod.events.len(), 3, "{:#?}", pod.events);
        let e = &pod.events[1];
        assert_eq!(
            (e.kind.as_str(), e.reason.as_str()),
            ("Warning", "FailedMount")
        );
        assert_eq!((e.count, e.age.as_deref()), (14, Some("45s")));
        assert_eq!(e.source.as_deref(), Some("kubelet"));
        assert_eq!(e.node, None);
        assert_eq!(e.line, 71);
        assert_eq!(e.object.as_deref(), Some("pod/media-indexer-0"));
        assert_eq!(e.namespace.as_deref(), Some("media"));
        let lines: Vec<&str> = e.message.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1], "Mounting command: mount");
        assert_eq!(
            lines[3],
            "Output: mount.nfs: access denied by server while mounting 10.9.8.7:/exports/media"
        );
        // The row after the continuation is aligned on its own (narrower columns).
        let last = &pod.events[2];
        assert_eq!(
            (last.count, last.age.as_deref(), last.line),
            (6, Some("39s"), 75)
        );
        assert!(last
            .message
            .starts_with("Unable to attach or mount volumes:"));
        assert!(last.message.ends_with("context deadline exceeded"));
        assert_eq!(pod.events[0].source.as_deref(), Some("default-scheduler"));
        assert_eq!(pod.events[0].count, 1);
    }

    #[test]
    fn pub01_nfs_volume_and_message_with_blank_and_indented_lines() {
        let pod = one(PUB01);
        assert_eq!(pod.node.as_deref(), Some("k8sw-prd-04"));
        assert_eq!(pod.volumes[0].kind, "nfs");
        assert_eq!(
            pod.volumes[0].source.as_deref(),
            Some("10.1.2.3:/export/reports")
        );
        assert_eq!(pod.volumes[1].source.as_deref(), Some("report-templates"));
        assert_eq!(pod.events.len(), 4);
        let e = &pod.events[1];
        assert_eq!(e.line, 70);
        assert!(e
            .message
            .starts_with("MountVolume.SetUp failed for volume \"reports-archive\""));
        assert!(e.message.contains("\nMounting command: systemd-run\n"));
        assert!(e
            .message
            .contains("\n       missing codepage or helper program, or other error\n"));
        assert!(e
            .message
            .contains("helper program)\n\n       In some cases"));
        assert!(e.message.ends_with("dmesg | tail or so."));
        let combined = &pod.events[2];
        assert_eq!(
            (combined.line, combined.count, combined.age.as_deref()),
            (81, 6, Some("3m47s"))
        );
        assert!(combined
            .message
            .starts_with("(combined from similar events): Unable to attach"));
        assert_eq!(
            (pod.events[3].count, pod.events[3].age.as_deref()),
            (1, Some("103s"))
        );
    }

    #[test]
    fn pub03_last_state_subpath_and_old_source_column() {
        let pod = one(PUB03);
        assert_eq!(pod.phase.as_deref(), Some("Running"));
        let c = &pod.containers[0];
        assert_eq!(c.state_reason.as_deref(), Some("CrashLoopBackOff"));
        assert_eq!(c.last_state.as_deref(), Some("Terminated"));
        assert_eq!(c.last_reason.as_deref(), Some("StartError"));
        assert_eq!(c.exit_code, Some(128));
        assert_eq!(c.restart_count, Some(10));
        let msg = c.last_message.as_deref().unwrap_or("");
        assert!(msg.starts_with("failed to create containerd task"));
        assert!(msg.ends_with("no such file or directory: unknown"));
        assert_eq!(
            c.mounts[0],
            ContainerMount {
                path: "/app/config/production.json".into(),
                volume: "app-config".into(),
                sub_path: Some("production.json".into()),
                read_only: false,
            }
        );
        assert_eq!(pod.volumes[0].source.as_deref(), Some("web-settings"));
        assert_eq!(pod.volumes[1].kind, "secret");
        assert_eq!(
            pod.volumes[1].source.as_deref(),
            Some("default-token-4lgdr")
        );
        assert_eq!(pod.events.len(), 7);
        for e in &pod.events {
            assert_eq!(e.source.as_deref(), Some("kubelet"));
            assert_eq!(e.node.as_deref(), Some("k8s-node-7"));
        }
        assert_eq!(pod.events[0].line, 67);
        let backoff = &pod.events[6];
        assert_eq!(
            (
                backoff.reason.as_str(),
                backoff.count,
                backoff.age.as_deref()
            ),
            ("BackOff", 29, Some("0s"))
        );
        assert_eq!(backoff.message, "Back-off restarting failed container");
    }

    #[test]
    fn namespace_file_with_events_none_and_unscheduled_pod() {
        // Rancher's poddescribe/<ns>: pods back to back, a blank line between.
        let text = "Name:         a-0\nNamespace:    ns1\nNode:         <none>\nStatus:       Pending\nContainers:\n  app:\n    State:          Waiting\n      Reason:       ContainerCreating\n    Mounts:         <none>\nVolumes:\n  data:\n    Type:       HostPath (bare host directory volume)\n    Path:       /srv/data\n    HostPathType:  \n  cache:\n    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:     \n  vol:\n    Type:              CSI (a Container Storage Interface (CSI) volume source)\n    Driver:            secrets-store.csi.k8s.io\nEvents:       <none>\n\n\nName:         b-1\nNamespace:    ns1\nNode:         w1/10.0.0.1\nStatus:       Running\nEvents:\n  Type    Reason   Age   From     Message\n  ----    ------   ----  ----     -------\n  Normal  Pulled   2m    kubelet  Container image \"x\" already present on machine\n";
        let pods = parse(text);
        assert_eq!(pods.len(), 2);
        assert_eq!(pods[0].name, "a-0");
        assert_eq!(pods[0].node, None);
        assert!(pods[0].events.is_empty());
        assert!(pods[0].containers[0].mounts.is_empty());
        let vols: Vec<(&str, Option<&str>)> = pods[0]
            .volumes
            .iter()
            .map(|v| (v.kind.as_str(), v.source.as_deref()))
            .collect();
        assert_eq!(
            vols,
            vec![
                ("hostpath", Some("/srv/data")),
                ("emptydir", None),
                ("csi", Some("secrets-store.csi.k8s.io"))
            ]
        );
        assert_eq!(pods[1].name, "b-1");
        assert_eq!(pods[1].line, 24);
        assert_eq!(pods[1].node.as_deref(), Some("w1"));
        assert_eq!(pods[1].events.len(), 1);
        assert_eq!(pods[1].events[0].line, 31);
    }

    #[test]
    fn multiline_termination_message_keeps_its_lines() {
        let text = "Name:  p\nContainers:\n  c:\n    State:          Running\n    Last State:     Terminated\n      Reason:       Error\n      Message:      panic: boom\nError: config missing\n\tat main.go:12\n      Exit Code:    2\n    Restart Count:  3\n";
        let pod = one(text);
        let c = &pod.containers[0];
        assert_eq!(
            c.last_message.as_deref(),
            Some("panic: boom\nError: config missing\n\tat main.go:12")
        );
        assert_eq!((c.exit_code, c.restart_count), (Some(2), Some(3)));
        assert_eq!(c.state.as_deref(), Some("Running"));
    }

    /// A Running and Ready pod says since when (ali5ter/k8s-notes, minikube
    /// notes: `kubectl describe pod hello-minikube-69c6558555-fqf8r`, cut).
    #[test]
    fn a_running_ready_pod_says_since_when() {
        let text = "Name:               hello-minikube-69c6558555-fqf8r
Namespace:          default
Node:               minikube/172.16.65.154
Start Time:         Tue, 09 Jul 2019 13:19:25 -0400
Status:             Running
Containers:
  hello-minikube:
    Container ID:   docker://82e4802a75af5620d4de7ac4ad6944a6b443530ad26da84dff3f93c954ed59f4
    Image:          gcr.io/google_containers/echoserver:1.4
    Port:           8080/TCP
    State:          Running
      Started:      Tue, 09 Jul 2019 13:19:26 -0400
    Ready:          True
    Restart Count:  0
Conditions:
  Type              Status
  Initialized       True 
  Ready             True 
";
        let pods = parse(text);
        assert_eq!(pods[0].ready_since.as_deref(), Some("2019-07-09T17:19:26Z"));
        // Derived: the same pod not ready yet has no such time.
        let pods = parse(&text.replace("Ready:          True", "Ready:          False"));
        assert_eq!(pods[0].ready_since, None);
    }

    #[test]
    fn garbage_gives_nothing_and_never_panics() {
        let alphabet: Vec<char> = "ab Z:/-()\t\n\u{e9}0123\"{}[],x".chars().collect();
        let tokens = [
            "Name:",
            "Events:",
            "  Type  Reason  Age  From  Message\n",
            "  Warning  X  1s (x",
            "Containers:\n",
            "  c:\n",
            "    State:",
            "      Message:",
            "Volumes:\n",
            "    Type:",
            " from ",
            " (",
            "\n",
            "  ",
            "\u{1F600}",
        ];
        for (noise, salad) in noise_and_salad(0x2545_f491_4f6c_dd1d, &alphabet, &tokens, 400, 90) {
            assert!(parse(&noise).is_empty(), "{noise:?}");
            let _ = parse(&salad);
        }
        assert!(parse("").is_empty());
    }
}

//! What the parsers read out of structured artifacts: package lists, mount
//! tables, OS release files, pods, events, node lists, versions and package
//! history. Each fact keeps the artifact line it came from, so a report can
//! show the line that decided a condition.

use serde::Serialize;

use crate::logline::Timestamp;

/// The package manager whose ordering rules compare a package's versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageManager {
    Rpm,
    Dpkg,
    Pacman,
    Apk,
    /// `snap list` (microk8s and friends): versions compared as dotted numbers.
    Snap,
}

impl PackageManager {
    /// The ordering rules its versions compare by.
    pub fn scheme(self) -> crate::version::Scheme {
        use crate::version::Scheme;
        match self {
            PackageManager::Rpm => Scheme::Rpm,
            PackageManager::Dpkg => Scheme::Dpkg,
            PackageManager::Pacman => Scheme::Pacman,
            PackageManager::Apk => Scheme::Apk,
            PackageManager::Snap => Scheme::Semver,
        }
    }
}

/// One row of a package list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Package {
    pub name: String,
    /// The full version as the package manager compares it: `[epoch:]version[-release]`.
    pub version: String,
    pub arch: Option<String>,
    /// False for rows that name a package that is not installed (dpkg `rc`, `un`, ...).
    pub installed: bool,
    /// Install time as the list prints it, where the format has one.
    pub install_time: Option<String>,
    pub manager: PackageManager,
    pub line: u64,
}

/// One row of `/proc/<pid>/mountinfo`, octal escapes decoded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MountEntry {
    pub mount_id: u64,
    pub parent_id: u64,
    pub major_minor: String,
    /// The root of the mount within its filesystem; ends in `//deleted` when the
    /// bind source was removed.
    pub root: String,
    pub mount_point: String,
    pub options: String,
    pub optional_fields: Vec<String>,
    pub fstype: String,
    pub source: String,
    pub super_options: String,
    pub line: u64,
}

impl MountEntry {
    /// The kernel marks a bind mount whose source was unlinked by appending `//deleted` to its root.
    pub fn source_deleted(&self) -> bool {
        self.root.ends_with("//deleted")
    }
}

/// The parts of `/etc/os-release` the report shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OsRelease {
    pub id: Option<String>,
    pub id_like: Option<String>,
    pub version_id: Option<String>,
    pub pretty_name: Option<String>,
}

/// A volume of a pod, as `kubectl describe pod` or the Pod JSON lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PodVolume {
    pub name: String,
    /// `nfs`, `configmap`, `secret`, `pvc`, `projected`, `emptydir`, `hostpath`, `csi`, or the describe type text lowercased.
    pub kind: String,
    /// The source the kind points at: the ConfigMap/Secret/claim name, or `server:path` for NFS.
    pub source: Option<String>,
}

/// One container of a pod, with the state fields support engineers read first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ContainerStatus {
    pub name: String,
    pub state: Option<String>,
    pub state_reason: Option<String>,
    pub last_state: Option<String>,
    pub last_reason: Option<String>,
    pub last_message: Option<String>,
    pub exit_code: Option<i64>,
    pub restart_count: Option<u64>,
    /// `Ready: True` (describe) or `ready: true` (JSON).
    pub ready: Option<bool>,
    /// When the running container started (RFC 3339).
    pub started_at: Option<String>,
    /// `mount path from volume (ro|rw[,path = "subpath"])` rows.
    pub mounts: Vec<ContainerMount>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ContainerMount {
    pub path: String,
    pub volume: String,
    pub sub_path: Option<String>,
    pub read_only: bool,
}

/// A Kubernetes event, from a describe Events table, `kubectl get events`, or an EventList.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Event {
    /// `Warning` or `Normal`.
    pub kind: String,
    pub reason: String,
    /// The involved object, `pod/name` or just a name.
    pub object: Option<String>,
    pub namespace: Option<String>,
    pub source: Option<String>,
    /// The node named in the source column (`kubelet, node-1`), when it has one.
    pub node: Option<String>,
    pub message: String,
    pub count: u64,
    /// The last time the event was seen (RFC 3339): JSON and YAML state it; a
    /// `kubectl get events -o wide` row gives it as its first time plus FIRST
    /// SEEN minus LAST SEEN (to the unit kubectl rounded the ages to). Else
    /// the age column as printed (`45s (x14 over 13m)` gives `45s`).
    pub age: Option<String>,
    /// The first time the event was seen (RFC 3339): JSON and YAML state it,
    /// and client-go writes it into the event's name (`-o wide` rows).
    pub first: Option<String>,
    /// A row of a kubectl table (describe, `get events`): its line is scanned
    /// as text and makes its own error record. False for JSON and YAML events.
    pub in_table: bool,
    pub line: u64,
}

impl Event {
    /// The first time it was seen, where the source states one.
    pub fn first_time(&self) -> Option<Timestamp> {
        crate::logline::iso_time(self.first.as_deref()?).map(|(t, _)| t)
    }

    /// The last time it was seen (`age` holds a time, not a printed age),
    /// else its first.
    pub fn last_time(&self) -> Option<Timestamp> {
        self.age
            .as_deref()
            .and_then(crate::logline::iso_time)
            .map(|(t, _)| t)
            .or_else(|| self.first_time())
    }
}

/// What `kubectl describe pod` tells about one pod.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PodFacts {
    pub name: String,
    /// The container runtime its containers' IDs name (`cri-o` of `cri-o://8b9e...`).
    pub runtime: Option<String>,
    pub namespace: Option<String>,
    pub node: Option<String>,
    pub uid: Option<String>,
    pub phase: Option<String>,
    pub start_time: Option<String>,
    /// When the pod last became Ready (RFC 3339), if it is Ready now.
    pub ready_since: Option<String>,
    /// When its deletion was asked for (`metadata.deletionTimestamp`).
    pub deleting_since: Option<String>,
    pub containers: Vec<ContainerStatus>,
    pub volumes: Vec<PodVolume>,
    pub events: Vec<Event>,
    pub line: u64,
}

/// A node row of `kubectl get nodes` or a NodeList.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NodeStatus {
    pub name: String,
    /// `Ready`, `NotReady`, `Unknown`, possibly with `,SchedulingDisabled`.
    pub status: String,
    pub version: Option<String>,
    /// `status.nodeInfo` of a Node object (`osImage`, `kernelVersion`,
    /// `containerRuntimeVersion` as `containerd://1.7.1`): the only OS facts a
    /// must-gather has.
    pub os_image: Option<String>,
    pub kernel: Option<String>,
    pub runtime: Option<String>,
    pub line: u64,
}

impl NodeStatus {
    pub fn is_ready(&self) -> bool {
        self.status.split(',').any(|s| s == "Ready")
    }
}

/// A component version seen somewhere in the bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VersionFact {
    /// `kubernetes`, `kata`, `containerd`, `docker`, `cri-o`, `kernel`.
    pub component: String,
    pub version: String,
    pub line: u64,
}

/// What happened to a package.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Installed,
    Upgraded,
    Downgraded,
    Reinstalled,
    Removed,
}

/// One change to one package, with the line that records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackageChange {
    pub name: String,
    pub action: Action,
    /// The version before the change (upgrades, downgrades, removals).
    pub from: Option<String>,
    /// The version after it (installs, upgrades, downgrades).
    pub to: Option<String>,
    /// yum.log has no year; the others do.
    pub time: Timestamp,
    pub line: u64,
}

/// A VolumeAttachment: a CSI volume attached (or being attached) to a node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VolumeAttachment {
    /// The VolumeAttachment object's name (`csi-<hash>`).
    pub name: String,
    /// The CSI driver (`spec.attacher`).
    pub attacher: Option<String>,
    /// The PersistentVolume (`spec.source.persistentVolumeName`).
    pub pv: Option<String>,
    pub node: Option<String>,
    /// `status.attached`; None when the source does not say.
    pub attached: Option<bool>,
    /// `status.attachError.message` or `status.detachError.message`.
    pub error: Option<String>,
    pub line: u64,
}

/// How a pod left the node, by its `SyncLoop` line (ADD lines are not kept:
/// a busy log has one per pod, and the pod list already names running pods).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PodAction {
    /// The API server asked for the pod to go (`SyncLoop DELETE`).
    Delete,
    /// The pod is gone from the node (`SyncLoop REMOVE`).
    Remove,
}

/// A pod's `SyncLoop` line in a kubelet log: which pod, what happened, when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PodLifecycle {
    pub action: PodAction,
    pub namespace: String,
    pub name: String,
    pub uid: Option<String>,
    pub timestamp: Option<Timestamp>,
    pub line: u64,
}

//! What the scan hands on: the inventory, every artifact's facts, and the
//! records that matched a rule. Indices (`artifact`, `rule`, `signal`) point
//! into `Observations::artifacts` and the rule pack.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::artifact::{
    Event, MountEntry, NodeStatus, OsRelease, Package, PackageChange, PodFacts, PodLifecycle,
    VersionFact, VolumeAttachment,
};
use super::kind::ArtifactKind;
use crate::logline::Timestamp;
use crate::records::Record;

/// One bundle entry as the inventory lists it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct InventoryEntry {
    pub path: String,
    pub kind: ArtifactKind,
    pub bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A `MountVolume.SetUp succeeded` record: a volume mounted, which may end
/// an earlier failure of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountSuccess {
    pub line: u64,
    pub timestamp: Option<Timestamp>,
    pub volume: String,
    pub pod_uid: Option<String>,
}

/// A line of a log and its time, where a fact was stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogMoment {
    pub line: u64,
    pub timestamp: Option<Timestamp>,
}

/// What was learnt from one artifact.
#[derive(Clone, Debug, Default)]
pub struct ArtifactFacts {
    pub path: String,
    pub kind: Option<ArtifactKind>,
    pub packages: Vec<Package>,
    pub mounts: Vec<MountEntry>,
    /// Installs, upgrades and removals a package manager log records.
    pub package_changes: Vec<PackageChange>,
    pub os: Option<OsRelease>,
    pub pods: Vec<PodFacts>,
    pub events: Vec<Event>,
    pub nodes: Vec<NodeStatus>,
    pub attachments: Vec<VolumeAttachment>,
    pub versions: Vec<VersionFact>,
    pub hostname: Option<String>,
    /// journald host fields seen in the first lines.
    pub hosts: BTreeSet<String>,
    /// Node names the kubelet states for itself (registration lines).
    pub node_names: BTreeSet<String>,
    /// journald host -> the node name the kubelet on that host registered:
    /// a short host name's FQDN, in a journal of several hosts.
    pub registrations: BTreeMap<String, String>,
    /// A year seen in a full date, for timestamps that carry none.
    pub year: Option<u16>,
    /// The content is nothing but a relative path: a symbolic link that a
    /// copy (git without symlinks, zip, Windows) turned into a small file.
    pub link_stub: Option<String>,
    pub mount_successes: Vec<MountSuccess>,
    /// The kubelet's `SyncLoop` DELETE / REMOVE lines, in file order.
    pub pod_lifecycle: Vec<PodLifecycle>,
    /// Where a kubelet log shows the kubelet starting (its version line).
    pub kubelet_starts: Vec<LogMoment>,
    /// CSI drivers the kubelet registered (`Register new plugin with name:`).
    pub csi_registrations: Vec<(String, LogMoment)>,
    /// The time of a log's last dated line: how far the log reaches.
    pub last_time: Option<Timestamp>,
}

/// A record that matched signal `signal` of rule `rule`.
#[derive(Clone, Debug)]
pub struct SignalHit {
    pub rule: usize,
    pub signal: usize,
    pub artifact: usize,
    pub record: Record,
    /// The signal regex's named captures (empty values dropped).
    pub captures: BTreeMap<String, String>,
    /// The matched span of the record's text.
    pub matched: String,
}

/// Where the regex of a `text` condition (condition `condition` of rule
/// `rule`) was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextFound {
    pub rule: usize,
    pub condition: usize,
    pub artifact: usize,
    pub line: u64,
    pub timestamp: Option<Timestamp>,
    /// The condition regex's named captures (a `resolve` condition's must
    /// agree with the failure's).
    pub captures: BTreeMap<String, String>,
}

/// Everything the scan stage hands on.
#[derive(Debug, Default)]
pub struct Observations {
    pub inventory: Vec<InventoryEntry>,
    pub warnings: Vec<String>,
    pub artifacts: Vec<ArtifactFacts>,
    pub hits: Vec<SignalHit>,
    pub texts: Vec<TextFound>,
}

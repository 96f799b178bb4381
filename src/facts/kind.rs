//! The kind of an artifact: what `classify` decides for each bundle entry,
//! and what every later stage goes by (which parser, which rules, which node).

use serde::{Deserialize, Serialize};

/// The kind of an artifact. The kebab-case names are part of the JSON report contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactKind {
    KubeletLog,
    RuntimeLog,
    PodDescribe,
    Events,
    PodJson,
    PodList,
    NodeList,
    /// `kubectl describe node`.
    NodeDescribe,
    /// `kubectl get volumeattachments`, a VolumeAttachmentList.
    VolumeAttachments,
    Mountinfo,
    Mounts,
    Packages,
    PackageHistory,
    OsRelease,
    Uname,
    /// The kernel command line (`/proc/cmdline`): the booted kernel's release.
    KernelCmdline,
    Dmesg,
    Df,
    Version,
    Hostname,
    Config,
    OtherLog,
    Skipped,
}

impl ArtifactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactKind::KubeletLog => "kubelet-log",
            ArtifactKind::RuntimeLog => "runtime-log",
            ArtifactKind::PodDescribe => "pod-describe",
            ArtifactKind::Events => "events",
            ArtifactKind::PodJson => "pod-json",
            ArtifactKind::PodList => "pod-list",
            ArtifactKind::NodeList => "node-list",
            ArtifactKind::NodeDescribe => "node-describe",
            ArtifactKind::VolumeAttachments => "volume-attachments",
            ArtifactKind::Mountinfo => "mountinfo",
            ArtifactKind::Mounts => "mounts",
            ArtifactKind::Packages => "packages",
            ArtifactKind::PackageHistory => "package-history",
            ArtifactKind::OsRelease => "os-release",
            ArtifactKind::Uname => "uname",
            ArtifactKind::KernelCmdline => "kernel-cmdline",
            ArtifactKind::Dmesg => "dmesg",
            ArtifactKind::Df => "df",
            ArtifactKind::Version => "version",
            ArtifactKind::Hostname => "hostname",
            ArtifactKind::Config => "config",
            ArtifactKind::OtherLog => "other-log",
            ArtifactKind::Skipped => "skipped",
        }
    }

    /// Kinds read whole and parsed into facts (small by nature), as opposed to
    /// logs, which are streamed through the matcher block by block.
    pub fn is_structured(self) -> bool {
        matches!(
            self,
            ArtifactKind::PodDescribe
                | ArtifactKind::Events
                | ArtifactKind::PodJson
                | ArtifactKind::PodList
                | ArtifactKind::NodeList
                | ArtifactKind::NodeDescribe
                | ArtifactKind::VolumeAttachments
                | ArtifactKind::Mountinfo
                | ArtifactKind::Mounts
                | ArtifactKind::Packages
                | ArtifactKind::PackageHistory
                | ArtifactKind::OsRelease
                | ArtifactKind::Uname
                | ArtifactKind::KernelCmdline
                | ArtifactKind::Df
                | ArtifactKind::Version
                | ArtifactKind::Hostname
                | ArtifactKind::Config
        )
    }

    /// Kinds only a node has: where such a file sits, there is a node.
    pub fn is_node_level(self) -> bool {
        matches!(
            self,
            ArtifactKind::KubeletLog
                | ArtifactKind::RuntimeLog
                | ArtifactKind::Mountinfo
                | ArtifactKind::Mounts
                | ArtifactKind::Packages
                | ArtifactKind::PackageHistory
                | ArtifactKind::OsRelease
                | ArtifactKind::Uname
                | ArtifactKind::KernelCmdline
                | ArtifactKind::Dmesg
                | ArtifactKind::Df
                | ArtifactKind::Hostname
        )
    }

    /// Kinds that describe the cluster and name their nodes themselves.
    pub fn is_cluster_level(self) -> bool {
        matches!(
            self,
            ArtifactKind::PodDescribe
                | ArtifactKind::Events
                | ArtifactKind::PodJson
                | ArtifactKind::PodList
                | ArtifactKind::NodeList
                | ArtifactKind::NodeDescribe
                | ArtifactKind::VolumeAttachments
        )
    }

    /// Kinds whose text the rule signals may search.
    pub fn is_scanned(self) -> bool {
        !matches!(
            self,
            ArtifactKind::Skipped
                | ArtifactKind::Mountinfo
                | ArtifactKind::Mounts
                | ArtifactKind::Packages
                | ArtifactKind::OsRelease
                | ArtifactKind::Uname
                | ArtifactKind::KernelCmdline
                | ArtifactKind::Hostname
                | ArtifactKind::VolumeAttachments
        )
    }
}

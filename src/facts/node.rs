//! One node as the rest of the pipeline sees it once the layout is known:
//! its name, its artifacts, and the facts they state about it. Built once
//! (`node_facts::build`), read by rule conditions and by the report's
//! environment table alike, so both always speak of the same package list,
//! mount table and versions.

use std::collections::BTreeSet;

use super::artifact::{MountEntry, Package, PackageChange, VersionFact};
use super::kind::ArtifactKind;

/// A value and the artifact that states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub artifact: String,
}

/// A node's package lists (an `rpm -qa` and a `dnf list`, say), each with
/// the artifact it was read from, so a condition names the list it read.
#[derive(Clone, Debug, Default)]
pub struct PackageList<'a> {
    pub lists: Vec<(String, Vec<&'a Package>)>,
}

impl<'a> PackageList<'a> {
    /// Every row of every list, with its list's artifact.
    pub fn rows(&self) -> impl Iterator<Item = (&str, &'a Package)> + '_ {
        self.lists
            .iter()
            .flat_map(|(path, rows)| rows.iter().map(move |p| (path.as_str(), *p)))
    }

    pub fn len(&self) -> usize {
        self.lists.iter().map(|(_, rows)| rows.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lists' artifacts, in the order read.
    pub fn artifacts(&self) -> Vec<&str> {
        self.lists.iter().map(|(p, _)| p.as_str()).collect()
    }
}

/// The mount table conditions read: mountinfo when the node has one (it has
/// the root field), `mount` output otherwise.
#[derive(Clone, Debug)]
pub struct MountTable<'a> {
    pub rows: Vec<&'a MountEntry>,
    pub artifact: String,
    pub kind: ArtifactKind,
}

#[derive(Clone, Debug, Default)]
pub struct NodeFacts<'a> {
    pub name: String,
    /// How the name was found, in words.
    pub named_by: String,
    /// Indices into `Observations::artifacts`; empty for a node only a node list names.
    pub artifacts: Vec<usize>,
    /// Artifact kinds present for this node.
    pub kinds: BTreeSet<ArtifactKind>,
    /// None: the bundle has no package list for this node.
    pub packages: Option<PackageList<'a>>,
    pub mounts: Option<MountTable<'a>>,
    /// Component versions the node's own artifacts state.
    pub versions: Vec<(&'a VersionFact, String)>,
    /// Package changes from the node's package manager logs, with their artifact path.
    pub history: Vec<(&'a PackageChange, String)>,
    pub os: Option<Sourced<String>>,
    pub kernel: Option<Sourced<String>>,
    pub kubernetes: Option<Sourced<String>>,
    /// `containerd 1.6.21`, `docker 20.10.5`, ...
    pub runtime: Option<Sourced<String>>,
    /// Kubelet and runtime logs read for this node.
    pub logs: Vec<String>,
    /// NotReady / Unknown when a node list says so.
    pub status: Option<String>,
    /// Where the node's sources disagree (`kubernetes: 1.17.17 (kubelet.log) but v1.18.2 (nodes.json)`).
    pub conflicts: Vec<String>,
}

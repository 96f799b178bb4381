//! Plain data between the stages: what one stage produces and later ones
//! read. Nothing here computes; no type here knows the stage that made it.
//!
//! | type | made by | read by |
//! |---|---|---|
//! | `ArtifactKind` | `classify` | every later stage |
//! | `Package`, `MountEntry`, `OsRelease`, `PodFacts`, `Event`, `NodeStatus`, `VersionFact`, `PackageChange` | `parse` | `layout`, `node_facts`, `rules::evaluate` |
//! | `Observations` (`ArtifactFacts`, `SignalHit`, `TextFound`, `InventoryEntry`) | `scan` | `layout`, `node_facts`, `rules::evaluate`, `report` |
//! | `NodeFacts` | `node_facts` (after `layout`) | `rules::evaluate`, `report` |
//! | `Severity`, `Effect` | rule files | `rules`, `report` |
//! | `Confidence`, `ConditionResult`, `Affected`, `Fix`, `Explained` | `rules::evaluate` | `report` |
//! | `Level` | `unrecognized` | `report` |

mod artifact;
mod kind;
mod node;
mod observations;
mod verdict;

pub use artifact::{
    Action, ContainerMount, ContainerStatus, Event, MountEntry, NodeStatus, OsRelease, Package,
    PackageChange, PackageManager, PodAction, PodFacts, PodLifecycle, PodVolume, VersionFact,
    VolumeAttachment,
};
pub use kind::ArtifactKind;
pub use node::{MountTable, NodeFacts, PackageList, Sourced};
pub use observations::{
    ArtifactFacts, InventoryEntry, LogMoment, MountSuccess, Observations, SignalHit, TextFound,
};
pub use verdict::{
    Affected, Clearance, ConditionResult, ConditionStatus, Confidence, Effect, Explained, Fix,
    Level, Severity,
};

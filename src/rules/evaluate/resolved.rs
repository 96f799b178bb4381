//! Whether a group's failures are over: every kubelet failure of a volume
//! followed by a mount success of it in the same log, or a package change
//! (see `history`) after the last failure that ends the state the failure
//! needed. A resolved group is history, not a current cause.

use std::collections::BTreeMap;

use super::super::load::Rule;
use super::history;
use super::subject::Subject;
use crate::facts::{ArtifactKind, ConditionResult, NodeFacts, Observations, SignalHit};
use crate::logline::{iso_time, Timestamp};

/// When every kubelet-log failure of a group (per volume) is followed, in the
/// same log, by `MountVolume.SetUp succeeded` for that volume, the failure is
/// over. Says which success resolved each volume.
pub(super) fn by_mount_success(
    hits: &[(&SignalHit, Subject)],
    obs: &Observations,
) -> Option<String> {
    let mut last: BTreeMap<(usize, &str), (u64, Option<&str>)> = BTreeMap::new();
    for (h, s) in hits {
        let is_kubelet =
            obs.artifacts.get(h.artifact).and_then(|a| a.kind) == Some(ArtifactKind::KubeletLog);
        let Some(volume) = h.captures.get("volume").filter(|_| is_kubelet) else {
            continue;
        };
        let uid = h.captures.get("uid").or(s.uid.as_ref()).map(String::as_str);
        let entry = last
            .entry((h.artifact, volume.as_str()))
            .or_insert((0, uid));
        if h.record.last_line >= entry.0 {
            *entry = (h.record.last_line, uid.or(entry.1));
        }
    }
    if last.is_empty() {
        return None;
    }
    let mut reasons = Vec::new();
    for ((artifact, volume), (line, uid)) in last {
        let a = obs.artifacts.get(artifact)?;
        let ok = a.mount_successes.iter().find(|m| {
            m.line > line
                && m.volume == volume
                && (uid.is_none() || m.pod_uid.is_none() || m.pod_uid.as_deref() == uid)
        })?;
        reasons.push(format!(
            "volume {volume} mounted at {} line {}, after the last failure at line {line}",
            a.path, ok.line
        ));
    }
    Some(reasons.join("; "))
}

/// When the failures of a group are over because a package changed after them
/// (see `history`): the reason, for the `resolved` list.
pub(super) fn by_package_change(
    facts: &NodeFacts<'_>,
    rule: &Rule,
    results: &[ConditionResult],
    hits: &[(&SignalHit, Subject)],
    obs: &Observations,
    year: Option<u16>,
) -> Option<String> {
    if facts.history.is_empty() {
        return None;
    }
    // Every failure must have a time, or a later one may hide among them.
    let mut last: Option<Timestamp> = None;
    for (h, _) in hits {
        let t = hit_time(h, obs)?;
        let t = year.map_or(t, |y| t.with_year(y));
        if last.is_none_or(|l| t.sort_key() > l.sort_key()) {
            last = Some(t);
        }
    }
    let manager = facts
        .packages
        .as_ref()
        .and_then(|p| p.rows().next().map(|(_, p)| p))
        .map(|p| p.manager.scheme());
    let schemes = move |_: &str| manager;
    history::resolved_by_change(
        &history::failed_requires(&rule.conditions, results),
        last?,
        &facts.history,
        &schemes,
        year,
    )
}

/// When a hit happened: its record's time, or for an event without one
/// (JSON, YAML) the last time the event was seen.
fn hit_time(h: &SignalHit, obs: &Observations) -> Option<Timestamp> {
    if let Some(t) = h.record.timestamp {
        return Some(t);
    }
    let e = super::subject::event_of(h, obs)?;
    iso_time(e.age.as_deref()?).map(|(t, _)| t)
}

//! Which of a group's failures later evidence shows over, and what shows it.
//!
//! A group's hits are split by what they are about (a pod, else a pod UID,
//! else a volume, else the node), and each part is cleared by the first of:
//! the volume mounted after its last failure; the pod removed from the node
//! (`SyncLoop REMOVE`/`DELETE`), deleted by its controller (`SuccessfulDelete`
//! event), being deleted, or Ready again after the last failure; the pod
//! absent from the pods the bundle lists for its namespace; or, for a
//! failure seen only in the first minutes after a kubelet start, a log that
//! goes on without it. What no evidence clears stays current.

use std::collections::{BTreeMap, BTreeSet};

use super::super::load::RulePack;
use super::subject::{hit_time, Subject};
use crate::facts::{
    ArtifactKind, Clearance, Effect, Observations, PodAction, SignalHit, TextFound,
};
use crate::layout::Layout;
use crate::logline::{iso_time, Timestamp};

/// A failure only in this long after a kubelet start can be a start-up transient...
const START_WINDOW_SECONDS: i64 = 10 * 60;
/// ...when the same log goes on this long after it without it.
const QUIET_SECONDS: i64 = 15 * 60;

/// The part of a group that later evidence shows over.
pub(super) struct Cleared<'h> {
    pub(super) hits: Vec<(&'h SignalHit, Subject)>,
    pub(super) clearances: Vec<Clearance>,
}

/// What a part of a group is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum About {
    Pod {
        namespace: Option<String>,
        name: String,
    },
    Uid(String),
    Volume(String),
    Node,
}

impl About {
    fn of(s: &Subject) -> About {
        match (&s.pod, &s.uid, s.volumes.first()) {
            (Some(name), _, _) => About::Pod {
                namespace: s.namespace.clone(),
                name: name.clone(),
            },
            (None, Some(uid), _) => About::Uid(uid.clone()),
            (None, None, Some(v)) => About::Volume(v.clone()),
            (None, None, None) => About::Node,
        }
    }
}

/// Where and when something was seen: an artifact's line and, if dated, its
/// time (with the artifact's year, or the bundle's, where the line has none).
#[derive(Clone, Copy, Debug)]
struct Seen {
    artifact: usize,
    line: u64,
    time: Option<Timestamp>,
}

impl Seen {
    /// Whether `self` comes after `other`: by line in one artifact, else by
    /// time when both are dated with a year; None when the bundle cannot tell.
    fn after(&self, other: &Seen) -> Option<bool> {
        if self.artifact == other.artifact {
            return Some(self.line > other.line);
        }
        match (self.time, other.time) {
            (Some(a), Some(b)) if a.year.is_some() && b.year.is_some() => {
                Some(a.sort_key() > b.sort_key())
            }
            _ => None,
        }
    }
}

/// A `resolve` condition's text found in the bundle: which rule's, where, on
/// which node.
struct ResolvingText<'o> {
    condition: &'o str,
    found: &'o TextFound,
    node: Option<String>,
}

/// What the clearing checks read, built once per bundle.
pub(super) struct Evidence<'o> {
    obs: &'o Observations,
    year: Option<u16>,
    /// Per namespace, the pods the bundle's pod lists and pod objects name.
    listed: BTreeMap<&'o str, BTreeSet<&'o str>>,
    /// Per rule, the texts of its `resolve` conditions.
    resolving: BTreeMap<usize, Vec<ResolvingText<'o>>>,
}

impl<'o> Evidence<'o> {
    pub(super) fn new(
        obs: &'o Observations,
        year: Option<u16>,
        pack: &'o RulePack,
        layout: &Layout,
    ) -> Evidence<'o> {
        let mut resolving: BTreeMap<usize, Vec<ResolvingText<'o>>> = BTreeMap::new();
        for t in &obs.texts {
            let Some(c) = pack
                .rules
                .get(t.rule)
                .and_then(|r| r.conditions.get(t.condition))
                .filter(|c| c.spec.effect == Effect::Resolve)
            else {
                continue;
            };
            resolving.entry(t.rule).or_default().push(ResolvingText {
                condition: c.spec.name.as_str(),
                found: t,
                node: layout.node_name_of(t.artifact).map(str::to_string),
            });
        }
        let mut listed: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for a in &obs.artifacts {
            // A describe is about the pods someone chose to describe, not a listing.
            if !matches!(
                a.kind,
                Some(ArtifactKind::PodJson) | Some(ArtifactKind::PodList)
            ) {
                continue;
            }
            for p in &a.pods {
                if let Some(ns) = p.namespace.as_deref() {
                    listed.entry(ns).or_default().insert(p.name.as_str());
                }
            }
        }
        Evidence {
            obs,
            year,
            listed,
            resolving,
        }
    }

    fn dated(&self, artifact: usize, t: Option<Timestamp>) -> Option<Timestamp> {
        let t = t?;
        let year = self
            .obs
            .artifacts
            .get(artifact)
            .and_then(|a| a.year)
            .or(self.year);
        Some(year.map_or(t, |y| t.with_year(y)))
    }

    fn seen(&self, artifact: usize, line: u64, time: Option<Timestamp>) -> Seen {
        Seen {
            artifact,
            line,
            time: self.dated(artifact, time),
        }
    }

    /// When a hit happened: its record, or for an event the last time it was seen.
    fn hit(&self, h: &SignalHit) -> Seen {
        self.seen(h.artifact, h.record.last_line, hit_time(h, self.obs))
    }

    fn path(&self, artifact: usize) -> &str {
        self.obs
            .artifacts
            .get(artifact)
            .map_or("", |a| a.path.as_str())
    }

    fn clearance(&self, what: String, at: Seen) -> Clearance {
        Clearance {
            what,
            artifact: self.path(at.artifact).to_string(),
            line: (at.line > 0).then_some(at.line),
            timestamp: at.time,
        }
    }
}

/// Split a group's hits into those still current and those later evidence
/// shows over (with what shows it).
pub(super) fn split<'h>(
    rule: usize,
    node: Option<&str>,
    hits: &[(&'h SignalHit, Subject)],
    ev: &Evidence<'_>,
) -> (Vec<(&'h SignalHit, Subject)>, Option<Cleared<'h>>) {
    let mut parts: BTreeMap<About, Vec<usize>> = BTreeMap::new();
    for (i, (_, s)) in hits.iter().enumerate() {
        parts.entry(About::of(s)).or_default().push(i);
    }
    let mut is_cleared = vec![false; hits.len()];
    let mut clearances: Vec<Clearance> = Vec::new();
    for (about, indices) in parts {
        let part: Vec<(&SignalHit, Subject)> = indices
            .iter()
            .filter_map(|&i| hits.get(i).cloned())
            .collect();
        if let Some(c) = clear(&about, &part, ev).or_else(|| text_after(rule, node, &part, ev)) {
            // One success or deletion often clears several parts.
            if !clearances.contains(&c) {
                clearances.push(c);
            }
            for i in indices {
                if let Some(x) = is_cleared.get_mut(i) {
                    *x = true;
                }
            }
        }
    }
    // Both sides keep the group's order (by artifact, then line).
    let (gone, current): (Vec<_>, Vec<_>) =
        hits.iter().cloned().zip(is_cleared).partition(|(_, c)| *c);
    let current = current.into_iter().map(|(h, _)| h).collect();
    let cleared = (!gone.is_empty()).then(|| Cleared {
        hits: gone.into_iter().map(|(h, _)| h).collect(),
        clearances,
    });
    (current, cleared)
}

/// The first evidence that this part's failures are over.
fn clear(about: &About, part: &[(&SignalHit, Subject)], ev: &Evidence<'_>) -> Option<Clearance> {
    let last = last_failure(part, ev)?;
    mounted_after(part, ev, &last)
        .or_else(|| pod_gone_after(about, part, ev, &last))
        .or_else(|| start_up_transient(part, ev))
}

/// The rule's own word that the failure is over (a `resolve` condition): its
/// text found on the same node after the part's last failure, with captures
/// that agree with the failure's (the driver that registered is the one that
/// was missing).
fn text_after(
    rule: usize,
    node: Option<&str>,
    part: &[(&SignalHit, Subject)],
    ev: &Evidence<'_>,
) -> Option<Clearance> {
    let last = last_failure(part, ev)?;
    ev.resolving.get(&rule)?.iter().find_map(|r| {
        let agrees = r.found.captures.iter().all(|(k, v)| {
            part.iter()
                .all(|(h, _)| h.captures.get(k).is_none_or(|hv| hv == v))
        });
        let at = ev.seen(r.found.artifact, r.found.line, r.found.timestamp);
        (r.node.as_deref() == node && agrees && at.after(&last) == Some(true)).then(|| {
            let named: Vec<String> = r
                .found
                .captures
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            let what = if named.is_empty() {
                r.condition.to_string()
            } else {
                format!("{} ({})", r.condition, named.join(", "))
            };
            ev.clearance(what, at)
        })
    })
}

/// Where and when the part's last failure is.
fn last_failure(part: &[(&SignalHit, Subject)], ev: &Evidence<'_>) -> Option<Seen> {
    part.iter()
        .map(|(h, _)| ev.hit(h))
        .max_by(|a, b| match a.after(b) {
            Some(true) => std::cmp::Ordering::Greater,
            Some(false) => std::cmp::Ordering::Less,
            None => a
                .time
                .map(|t| t.sort_key())
                .cmp(&b.time.map(|t| t.sort_key())),
        })
}

/// Every volume this part failed to mount in a kubelet log was mounted later
/// in that log, and no other failure of the part comes after that.
fn mounted_after(
    part: &[(&SignalHit, Subject)],
    ev: &Evidence<'_>,
    last: &Seen,
) -> Option<Clearance> {
    // Per kubelet log and volume: the last failure, and the pod's UID.
    let mut failed: BTreeMap<(usize, &str), (u64, Option<&str>)> = BTreeMap::new();
    for (h, s) in part {
        let a = ev.obs.artifacts.get(h.artifact)?;
        if a.kind != Some(ArtifactKind::KubeletLog) {
            continue;
        }
        let uid = h.captures.get("uid").or(s.uid.as_ref()).map(String::as_str);
        for v in &s.volumes {
            let e = failed.entry((h.artifact, v.as_str())).or_insert((0, uid));
            if h.record.last_line >= e.0 {
                *e = (h.record.last_line, uid.or(e.1));
            }
        }
    }
    let mut latest: Option<(Seen, &str)> = None;
    for ((artifact, volume), (line, uid)) in &failed {
        let a = ev.obs.artifacts.get(*artifact)?;
        let ok = a.mount_successes.iter().find(|m| {
            m.line > *line
                && m.volume == *volume
                && (uid.is_none() || m.pod_uid.is_none() || m.pod_uid.as_deref() == *uid)
        })?;
        let at = ev.seen(*artifact, ok.line, ok.timestamp);
        if latest.is_none_or(|(l, _)| at.after(&l) == Some(true)) {
            latest = Some((at, volume));
        }
    }
    let (at, volume) = latest?;
    // An event or another log of the part later than the success: not over.
    if last.after(&at) == Some(true) {
        return None;
    }
    let what = if failed.len() == 1 {
        format!("volume {volume} mounted after the last failure")
    } else {
        format!(
            "volumes {} mounted after their last failures",
            failed
                .keys()
                .map(|(_, v)| *v)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Some(ev.clearance(what, at))
}

/// The pod left the node, was deleted, is being deleted, or is Ready again,
/// after its last failure; or the bundle lists its namespace's pods and it
/// is not among them.
fn pod_gone_after(
    about: &About,
    part: &[(&SignalHit, Subject)],
    ev: &Evidence<'_>,
    last: &Seen,
) -> Option<Clearance> {
    let (namespace, name, uid) = match about {
        About::Pod { namespace, name } => (
            namespace.as_deref(),
            Some(name.as_str()),
            part.iter().find_map(|(_, s)| s.uid.as_deref()),
        ),
        About::Uid(uid) => (None, None, Some(uid.as_str())),
        About::Volume(_) | About::Node => return None,
    };
    let is_pod = |ns: Option<&str>, n: &str, u: Option<&str>| {
        matches!((uid, u), (Some(a), Some(b)) if a == b)
            || (name == Some(n) && (namespace.is_none() || ns.is_none() || namespace == ns))
    };
    let later = |at: &Seen| at.after(last) == Some(true);
    // The kubelet's own word first: the pod removed from (or deleted on) the node.
    for action in [PodAction::Remove, PodAction::Delete] {
        for (i, a) in ev.obs.artifacts.iter().enumerate() {
            for p in a.pod_lifecycle.iter().filter(|p| p.action == action) {
                if !is_pod(Some(&p.namespace), &p.name, p.uid.as_deref()) {
                    continue;
                }
                let at = ev.seen(i, p.line, p.timestamp);
                if later(&at) {
                    let word = match action {
                        PodAction::Remove => "removed from the node (SyncLoop REMOVE)",
                        PodAction::Delete => "deleted (SyncLoop DELETE)",
                    };
                    return Some(ev.clearance(format!("pod {} {word}", p.name), at));
                }
            }
        }
    }
    let name = name?;
    for (i, a) in ev.obs.artifacts.iter().enumerate() {
        // Its controller's `SuccessfulDelete` event: `Deleted pod: <name>`.
        for e in &a.events {
            let deleted = e.reason == "SuccessfulDelete"
                && e.message.strip_prefix("Deleted pod: ").map(str::trim) == Some(name)
                && (namespace.is_none()
                    || e.namespace.is_none()
                    || e.namespace.as_deref() == namespace);
            if !deleted {
                continue;
            }
            let at = ev.seen(i, e.line, e.last_time());
            if later(&at) {
                return Some(ev.clearance(
                    format!(
                        "pod {name} deleted by its controller ({})",
                        e.source.as_deref().unwrap_or("SuccessfulDelete")
                    ),
                    at,
                ));
            }
        }
        // The pod object as collected: being deleted, or Ready since.
        for p in a
            .pods
            .iter()
            .filter(|p| is_pod(p.namespace.as_deref(), &p.name, p.uid.as_deref()))
        {
            for (since, word) in [
                (&p.deleting_since, "being deleted since"),
                (&p.ready_since, "Ready since"),
            ] {
                let Some(t) = since.as_deref().and_then(iso_time).map(|(t, _)| t) else {
                    continue;
                };
                let at = ev.seen(i, p.line, Some(t));
                if later(&at) {
                    return Some(ev.clearance(format!("pod {name} {word} {t}"), at));
                }
            }
        }
    }
    // Listed at collection, after everything the logs say: absent means gone.
    let ns = namespace?;
    let listed = ev.listed.get(ns)?;
    if listed.contains(name) {
        return None;
    }
    let (i, _) = ev.obs.artifacts.iter().enumerate().find(|(_, a)| {
        matches!(
            a.kind,
            Some(ArtifactKind::PodJson) | Some(ArtifactKind::PodList)
        ) && a.pods.iter().any(|p| p.namespace.as_deref() == Some(ns))
    })?;
    Some(ev.clearance(
        format!(
            "pod {ns}/{name} is not among the {} pods the bundle lists for namespace {ns}",
            listed.len()
        ),
        Seen {
            artifact: i,
            line: 0,
            time: None,
        },
    ))
}

/// Every failure of the part is in kubelet logs, within minutes after a
/// kubelet start, and the log goes on long after without it.
fn start_up_transient(part: &[(&SignalHit, Subject)], ev: &Evidence<'_>) -> Option<Clearance> {
    let mut start_seen: Option<Seen> = None;
    let mut last_time: Option<Timestamp> = None;
    for (h, _) in part {
        let a = ev.obs.artifacts.get(h.artifact)?;
        if a.kind != Some(ArtifactKind::KubeletLog) {
            return None;
        }
        let t = ev.dated(h.artifact, h.record.timestamp)?;
        let start = a
            .kubelet_starts
            .iter()
            .rev()
            .find(|s| s.line <= h.record.first_line)?;
        let started = ev.dated(h.artifact, start.timestamp)?;
        if started.plus_seconds(START_WINDOW_SECONDS)?.sort_key() < t.sort_key() {
            return None;
        }
        let end = ev.dated(h.artifact, a.last_time)?;
        if t.plus_seconds(QUIET_SECONDS)?.sort_key() > end.sort_key() {
            return None;
        }
        if last_time.is_none_or(|l| l.sort_key() < t.sort_key()) {
            last_time = Some(t);
        }
        start_seen.get_or_insert(ev.seen(h.artifact, start.line, Some(started)));
    }
    let start = start_seen?;
    Some(ev.clearance(
        format!(
            "only in the first {} minutes after the kubelet started, never in the {} or more minutes of log after{}",
            START_WINDOW_SECONDS / 60,
            QUIET_SECONDS / 60,
            last_time.map(|t| format!(" (last at {t})")).unwrap_or_default()
        ),
        start,
    ))
}

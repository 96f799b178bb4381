//! What a log says about its own node, beside any rule: journald hosts and a
//! year in its first lines, and the captures of the built-in probes (the
//! kubelet's registration lines, component versions, mount successes).

use std::sync::OnceLock;

use crate::facts::{
    ArtifactFacts, ArtifactKind, LogMoment, MountSuccess, PodAction, PodLifecycle, VersionFact,
};
use crate::logline::split_line;
use crate::records::Record;
use crate::rules::matcher::{
    SignalMatch, PROBE_MOUNT_OK, PROBE_NODE, PROBE_POD_LIFECYCLE, PROBE_VERSION,
};

/// Bytes of a log's start where the kubelet states its runtime at start-up
/// (`Container runtime docker initialized, version: ...`, the `Docker Info`
/// struct, after the dump of its flags): read once here rather than searched
/// in every block (each literal the scan looks for slows all of it).
const STARTUP_BYTES: usize = 256 << 10;

/// Facts visible in the first lines of any text artifact: journald hosts and a year.
pub(super) fn learn_from_head(a: &mut ArtifactFacts, block: &[u8]) {
    if a.kind == Some(ArtifactKind::KubeletLog) {
        learn_startup(
            a,
            block.get(..block.len().min(STARTUP_BYTES)).unwrap_or(block),
        );
    }
    let head = String::from_utf8_lossy(block.get(..block.len().min(8192)).unwrap_or_default());
    for line in head.lines().take(40) {
        let view = split_line(line);
        if let Some(h) = view.host {
            a.hosts.insert(h.to_string());
        }
        if a.year.is_none() {
            a.year = view
                .timestamp
                .and_then(|t| t.year)
                .or_else(|| year_in(line));
        }
    }
}

/// The runtime (and, from a Docker Info struct, the OS and kernel) a
/// kubelet states when it starts.
fn learn_startup(a: &mut ArtifactFacts, head: &[u8]) {
    static FINDERS: OnceLock<[memchr::memmem::Finder<'static>; 2]> = OnceLock::new();
    let finders = FINDERS.get_or_init(|| {
        [
            memchr::memmem::Finder::new("initialized, version: "),
            memchr::memmem::Finder::new("Docker Info: "),
        ]
    });
    for f in finders {
        let Some(at) = f.find(head) else { continue };
        let start = memchr::memrchr(b'\n', head.get(..at).unwrap_or_default()).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', head.get(at..).unwrap_or_default())
            .map_or(head.len(), |i| at + i);
        let line_no =
            memchr::memchr_iter(b'\n', head.get(..start).unwrap_or_default()).count() as u64 + 1;
        let text = String::from_utf8_lossy(head.get(start..end).unwrap_or_default());
        let inner = split_line(&text).inner.into_owned();
        for f in versions_stated(&inner)
            .into_iter()
            .filter(|f| f.component != "kubernetes")
        {
            add_version(a, f, line_no);
        }
    }
}

/// The versions a log line states (one place knows these wordings); a
/// Docker Info struct also states the node's OS and kernel.
fn versions_stated(text: &str) -> Vec<VersionFact> {
    let mut facts: Vec<VersionFact> = crate::parse::versions::from_log_line(text)
        .into_iter()
        .collect();
    if text.contains("Docker Info:") {
        facts.extend(crate::parse::versions::parse(text));
    }
    facts
}

/// A version fact at `line`, unless the artifact already states it.
fn add_version(a: &mut ArtifactFacts, mut f: VersionFact, line: u64) {
    if !a
        .versions
        .iter()
        .any(|v| v.component == f.component && v.version == f.version)
    {
        f.line = line;
        a.versions.push(f);
    }
}

/// A plausible year in a full date in the line: `2021-02-03` or `Tue, 18 Apr 2023`.
pub(super) fn year_in(line: &str) -> Option<u16> {
    let b = line.as_bytes();
    let rfc = b.windows(9).find_map(|w| {
        // ` Apr 2023` after a day number
        let month = std::str::from_utf8(w.get(1..4)?).ok()?;
        let ok = w.first() == Some(&b' ')
            && w.get(4) == Some(&b' ')
            && crate::logline::is_month(month)
            && w.get(5..9)?.iter().all(u8::is_ascii_digit);
        let y: u16 = std::str::from_utf8(w.get(5..9)?).ok()?.parse().ok()?;
        (ok && (1990..2100).contains(&y)).then_some(y)
    });
    // `2021-02-03`, or `2019/08/20` as klog's `Log file created at:` header
    // writes it; the month and day must be real ones.
    let iso = b.windows(10).find_map(|w| {
        let sep = *w.get(4)?;
        let ok = (sep == b'-' || sep == b'/')
            && w.get(7) == Some(&sep)
            && w.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !ok {
            return None;
        }
        let number = |r: std::ops::Range<usize>| -> Option<u16> {
            std::str::from_utf8(w.get(r)?).ok()?.parse().ok()
        };
        let (y, m, d) = (number(0..4)?, number(5..7)?, number(8..10)?);
        ((1990..2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some(y)
    });
    iso.or(rfc)
}

pub(super) fn learn_from_probe(
    a: &mut ArtifactFacts,
    probe: &str,
    m: &SignalMatch,
    record: &Record,
) {
    match probe {
        PROBE_NODE => {
            let node = ["node", "node_structured", "node_text"]
                .iter()
                .find_map(|k| m.captures.get(*k));
            if let Some(n) = node {
                a.node_names.insert(n.clone());
                if let Some(h) = &record.host {
                    a.registrations.insert(h.clone(), n.clone());
                }
            }
        }
        PROBE_POD_LIFECYCLE => learn_pod_lifecycle(a, record),
        PROBE_MOUNT_OK => {
            if let Some(v) = m.captures.get("volume") {
                a.mount_successes.push(MountSuccess {
                    line: record.first_line,
                    timestamp: record.timestamp,
                    volume: v.clone(),
                    pod_uid: m.captures.get("uid").cloned(),
                });
            }
        }
        PROBE_VERSION => {
            // The probe finds the line; the version parser reads it.
            for f in versions_stated(&record.text) {
                // Only the kubelet's own log states the node's Kubernetes
                // version: a pod's `Version: v4.8.0` is its component's.
                if f.component == "kubernetes" && a.kind != Some(ArtifactKind::KubeletLog) {
                    continue;
                }
                // The kubelet states its version once per start.
                if f.component == "kubernetes" {
                    a.kubelet_starts.push(LogMoment {
                        line: record.first_line,
                        timestamp: record.timestamp,
                    });
                }
                add_version(a, f, record.first_line);
            }
        }
        _ => {}
    }
    if a.year.is_none() {
        a.year = year_in(&record.text);
    }
}

/// A kubelet `SyncLoop` DELETE or REMOVE line: `SyncLoop (DELETE, "api"):
/// "name_ns(uid), ..."` (klog text) or `"SyncLoop DELETE" source="api"
/// pods=["ns/name", ...]` (structured). Read by hand: one such line per pod
/// deleted, and a regex's captures on each cost more than scanning it.
pub(super) fn learn_pod_lifecycle(a: &mut ArtifactFacts, record: &Record) {
    let Some((action, after)) = pod_removal(&record.text) else {
        return;
    };
    // `, "api"): "name_ns(uid), ..."` or `" source="api" pods=["ns/name", ...]`.
    let refs = after
        .split_once("): \"")
        .map(|(_, r)| r.split('"').next().unwrap_or_default())
        .or_else(|| {
            after
                .split_once("pods=[")
                .map(|(_, r)| r.split(']').next().unwrap_or_default())
        });
    for r in refs
        .unwrap_or_default()
        .split(',')
        .map(|r| r.trim().trim_matches('"'))
    {
        if let Some((namespace, name, uid)) = pod_reference(r) {
            a.pod_lifecycle.push(PodLifecycle {
                action,
                namespace,
                name,
                uid,
                timestamp: record.timestamp,
                line: record.first_line,
            });
        }
    }
}

/// A `SyncLoop` line that removes a pod (`SyncLoop (DELETE, "api"): ...` or
/// `"SyncLoop REMOVE" source=...`): its action and the text after the word.
/// ADD, UPDATE and PLEG lines, and `DELETEd` in an error, are none.
pub(super) fn pod_removal(line: &str) -> Option<(PodAction, &str)> {
    let rest = line.get(line.find("SyncLoop ")? + "SyncLoop ".len()..)?;
    let rest = rest.strip_prefix('(').unwrap_or(rest);
    [("DELETE", PodAction::Delete), ("REMOVE", PodAction::Remove)]
        .into_iter()
        .find_map(|(word, action)| {
            let after = rest.strip_prefix(word)?;
            (!after.starts_with(|c: char| c.is_ascii_alphanumeric())).then_some((action, after))
        })
}

/// A pod as the kubelet names it: `namespace/name` (structured logs) or
/// `name_namespace(uid)` (`format.Pod`).
fn pod_reference(r: &str) -> Option<(String, String, Option<String>)> {
    if let Some((ns, name)) = r.split_once('/') {
        return (!ns.is_empty() && !name.is_empty()).then(|| (ns.into(), name.into(), None));
    }
    let (base, uid) = match r.split_once('(') {
        Some((b, u)) => (b, Some(u.trim_end_matches(')').to_string())),
        None => (r, None),
    };
    let (name, ns) = base.rsplit_once('_')?;
    (!ns.is_empty() && !name.is_empty()).then(|| (ns.into(), name.into(), uid))
}

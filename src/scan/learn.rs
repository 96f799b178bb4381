//! What a log says about its own node, beside any rule: journald hosts and a
//! year in its first lines, and the captures of the built-in probes (the
//! kubelet's registration lines, component versions, mount successes).

use crate::facts::{ArtifactFacts, MountSuccess, VersionFact};
use crate::logline::split_line;
use crate::records::Record;
use crate::rules::matcher::{SignalMatch, PROBE_MOUNT_OK, PROBE_NODE, PROBE_VERSION};

/// Facts visible in the first lines of any text artifact: journald hosts and a year.
pub(super) fn learn_from_head(a: &mut ArtifactFacts, block: &[u8]) {
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
    let iso = b.windows(10).find_map(|w| {
        let ok = w.get(4) == Some(&b'-')
            && w.get(7) == Some(&b'-')
            && w.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !ok {
            return None;
        }
        let y: u16 = std::str::from_utf8(w.get(..4)?).ok()?.parse().ok()?;
        (1990..2100).contains(&y).then_some(y)
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
        PROBE_MOUNT_OK => {
            if let Some(v) = m.captures.get("volume") {
                a.mount_successes.push(MountSuccess {
                    line: record.first_line,
                    volume: v.clone(),
                    pod_uid: m.captures.get("uid").cloned(),
                });
            }
        }
        PROBE_VERSION => {
            let pairs = [
                ("kubernetes", "kubernetes"),
                ("kubernetes_old", "kubernetes"),
                ("containerd", "containerd"),
                ("kata", "kata"),
                ("kata2", "kata"),
            ];
            for (cap, component) in pairs {
                if let Some(v) = m.captures.get(cap) {
                    a.versions.push(VersionFact {
                        component: component.to_string(),
                        version: v.clone(),
                        line: record.first_line,
                    });
                }
            }
            if let (Some(rt), Some(v)) =
                (m.captures.get("runtime"), m.captures.get("runtime_version"))
            {
                a.versions.push(VersionFact {
                    component: rt.clone(),
                    version: v.clone(),
                    line: record.first_line,
                });
            }
        }
        _ => {}
    }
    if a.year.is_none() {
        a.year = year_in(&record.text);
    }
}

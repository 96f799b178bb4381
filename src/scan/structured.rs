//! Structured artifacts, read whole: each kind goes to its parser in `parse`,
//! and what the parser returns becomes the artifact's facts. A small file whose
//! whole content is a relative path is a symbolic link a copy flattened.

use std::collections::BTreeSet;

use super::learn::year_in;
use crate::facts::{ArtifactFacts, ArtifactKind, Observations};
use crate::parse;

/// Parse a structured artifact into facts; returns the number of unparsable lines.
pub(super) fn parse_into(a: &mut ArtifactFacts, kind: ArtifactKind, text: &str) -> usize {
    let mut problems = 0;
    match kind {
        ArtifactKind::Packages => a.packages = parse::packages::parse(text),
        ArtifactKind::PackageHistory => {
            a.package_changes = parse::package_history::parse(text);
            if a.year.is_none() {
                a.year = a.package_changes.iter().find_map(|c| c.time.year);
            }
        }
        ArtifactKind::Mountinfo => {
            let (m, p) = parse::mountinfo::parse(text);
            a.mounts = m;
            problems = p.len();
        }
        ArtifactKind::Mounts => {
            let (m, p) = parse::mountinfo::parse_mounts(text);
            a.mounts = m;
            problems = p.len();
        }
        ArtifactKind::OsRelease => a.os = Some(parse::os_release::parse(text)),
        ArtifactKind::Uname | ArtifactKind::Version | ArtifactKind::KernelCmdline => {
            a.versions = parse::versions::parse(text)
        }
        ArtifactKind::NodeDescribe => a.nodes = parse::node_describe::parse(text),
        ArtifactKind::VolumeAttachments => a.attachments = parse::attachments::parse(text),
        ArtifactKind::Hostname => {
            a.hostname = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_string);
        }
        ArtifactKind::PodDescribe => a.pods = parse::describe::parse(text),
        ArtifactKind::Events => {
            let t = text.trim_start();
            a.events =
                if t.starts_with('{') || t.starts_with('[') || parse::yaml::looks_like_yaml(t) {
                    match parse::events::parse_json(text) {
                        Ok(mut events) => {
                            locate_event_lines(&mut events, text);
                            events
                        }
                        Err(_) => {
                            problems = 1;
                            Vec::new()
                        }
                    }
                } else {
                    parse::events::parse_table(text)
                };
        }
        ArtifactKind::NodeList => a.nodes = parse::nodes::parse(text),
        ArtifactKind::PodList => a.pods = parse::pods::parse_table(text),
        ArtifactKind::PodJson => match parse::pods::parse_json(text) {
            Ok(p) => a.pods = p,
            Err(_) => problems = 1,
        },
        _ => {}
    }
    if matches!(kind, ArtifactKind::PodDescribe | ArtifactKind::Events) && a.year.is_none() {
        a.year = text.lines().take(400).find_map(year_in);
    }
    // A package list that parses to nothing is not a package list.
    if kind == ArtifactKind::Packages && a.packages.is_empty() && !text.trim().is_empty() {
        problems = text.lines().count();
    }
    problems
}

/// The line of each event's message in a JSON or YAML event list (events
/// appear in file order, one message each), so a rule's hit on that line is
/// tied to its own event (pod, node, times, count), not to the first event
/// that says the same words. Left at 0 when the lines do not pair up.
fn locate_event_lines(events: &mut [crate::facts::Event], text: &str) {
    let lines: Vec<u64> = (1u64..)
        .zip(text.lines())
        .filter(|(_, l)| {
            let t = l.trim_start();
            let t = t.strip_prefix("- ").unwrap_or(t);
            ["\"message\":", "message:", "\"note\":", "note:"]
                .iter()
                .any(|k| t.starts_with(k))
        })
        .map(|(n, _)| n)
        .collect();
    let with_message = events.iter().filter(|e| !e.message.is_empty()).count();
    if lines.len() != with_message {
        return;
    }
    let mut at = lines.into_iter();
    for e in events.iter_mut().filter(|e| !e.message.is_empty()) {
        e.line = at.next().unwrap_or(0);
    }
}

/// The bundle path a stub file points at, when its whole content is one relative path.
pub(super) fn link_stub_target(path: &str, text: &str) -> Option<String> {
    let t = text.trim();
    let plausible = t.len() < 1024
        && t.contains('/')
        && !t.starts_with('/')
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-/+:=,".contains(&b));
    if !plausible {
        return None;
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    for part in t.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A stub whose target is an entry of the bundle is that link: it adds no facts of its own.
pub(super) fn drop_link_stubs(obs: &mut Observations) {
    let paths: BTreeSet<String> = obs.artifacts.iter().map(|a| a.path.clone()).collect();
    for a in &mut obs.artifacts {
        let Some(target) = a.link_stub.clone() else {
            continue;
        };
        if !paths.contains(&target) {
            a.link_stub = None;
            continue;
        }
        let path = std::mem::take(&mut a.path);
        *a = ArtifactFacts {
            path,
            kind: Some(ArtifactKind::Skipped),
            link_stub: Some(target.clone()),
            ..ArtifactFacts::default()
        };
        if let Some(e) = obs.inventory.iter_mut().find(|e| e.path == a.path) {
            e.kind = ArtifactKind::Skipped;
            e.note = Some(format!(
                "a symbolic link stored as a file: points to {target}, read there"
            ));
        }
    }
}

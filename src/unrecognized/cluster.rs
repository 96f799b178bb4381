//! Clusters of error-like records: while a bundle is read, records are counted
//! by template per artifact and journald host (`Tally`); once the layout can name
//! each host's node, tallies and Warning events become clusters (`Clusterer`),
//! merged Drain-style, folded by shared error chains, and ranked with known
//! benign noise last.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use foldhash::HashMap as FastMap;
use regex::Regex;
use serde::Serialize;

use super::head;
use super::template::template;
use crate::facts::{ArtifactKind, Level, Observations};
use crate::layout::Layout;
use crate::logline::Timestamp;
use crate::records::quotes;

/// Distinct nodes / pods kept per cluster: enough to show the spread, bounded memory.
pub(super) const MAX_NAMES: usize = 64;
/// Bytes of example text kept per cluster.
const MAX_EXAMPLE: usize = 8 * 1024;
/// Drain merge: share of equal token positions needed to merge two templates.
const DRAIN_SIMILARITY: f64 = 0.75;
/// Suffix fold: a shared error chain must be at least this many tokens...
const FOLD_MIN_TOKENS: usize = 8;
/// ...and at least this share (percent) of the shorter template.
const FOLD_MIN_SHARE: usize = 60;

/// Known benign noise: messages every healthy node logs. Matched case-insensitively
/// as substrings; such clusters are ranked after everything else.
const BENIGN: &[&str] = &[
    "readiness probe",
    "nameserver limits",
    "failed to get system container stats",
    "cleaned up orphaned pod volumes dir",
    "orphaned pod",
    "image garbage collection failed once",
    "skipping pod synchronization",
    "container runtime status check may not have completed yet",
    "unable to fetch pod log stats",
    "unable to fetch pod etc hosts stats",
    "eviction manager: failed to get summary stats",
    "unable to read config path",
    "an error occurred when try to find container",
    "tls handshake error",
    "very short watch",
    "failed to load cni during init",
    "failed to update stats for container",
];

lazy_re!(benign_re, {
    let alts: Vec<String> = BENIGN.iter().map(|s| regex::escape(s)).collect();
    format!("(?i)(?:{})", alts.join("|"))
});

/// Known benign noise (probe failures, Nameserver limits exceeded, system container
/// stats, orphaned dir cleanup, ...).
pub fn is_benign(message: &str) -> bool {
    benign_re().is_some_and(|re| re.is_match(message))
}

/// One place a template was seen. Borrowed: most occurrences only bump a
/// count, so nothing is copied unless it becomes the example or a new name.
#[derive(Clone, Copy, Debug)]
pub struct Occurrence<'a> {
    pub artifact: &'a str,
    pub line: u64,
    pub text: &'a str,
    pub timestamp: Option<Timestamp>,
    /// The last time, for an occurrence that stands for several (an event seen `count` times).
    pub until: Option<Timestamp>,
    /// How many times it happened (an event's count; 1 for a log record).
    pub count: u64,
    pub node: Option<&'a str>,
    pub pod: Option<&'a str>,
}

/// A cluster as the report shows it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Cluster {
    pub template: String,
    pub level: Level,
    pub count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub nodes: Vec<String>,
    pub pods: Vec<String>,
    pub benign: bool,
    pub example_artifact: String,
    pub example_line: u64,
    pub example_text: String,
}

/// What one template has gathered so far.
#[derive(Clone, Debug)]
struct Acc {
    level: Level,
    count: u64,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
    nodes: BTreeSet<String>,
    pods: BTreeSet<String>,
    benign: bool,
    /// (level, artifact, line, text): the smallest wins, so the example does not
    /// depend on the order records arrive in (artifacts are scanned in parallel).
    example: (Level, String, u64, String),
}

fn min_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.sort_key() < x.sort_key() { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.sort_key() > x.sort_key() { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Keep the `MAX_NAMES` smallest names: which names a long list shows does
/// not depend on the order records (or tallies) arrive in.
fn add_name(set: &mut BTreeSet<String>, name: &str) {
    let full = set.len() >= MAX_NAMES;
    if full && set.last().is_some_and(|last| name >= last.as_str()) || set.contains(name) {
        return;
    }
    set.insert(name.to_string());
    if full {
        set.pop_last();
    }
}

impl Acc {
    fn absorb(&mut self, other: Acc) {
        self.level = self.level.min(other.level);
        self.count += other.count;
        self.first = min_opt(self.first.take(), other.first);
        self.last = max_opt(self.last.take(), other.last);
        for n in &other.nodes {
            add_name(&mut self.nodes, n);
        }
        for p in &other.pods {
            add_name(&mut self.pods, p);
        }
        // A merged cluster is noise only when all of it is.
        self.benign = self.benign && other.benign;
        if other.example < self.example {
            self.example = other.example;
        }
    }
}

/// `template` with a memory: the same message recurs (a probe flapping, a
/// retried mount), and is templated once. Bounded.
#[derive(Debug, Default)]
struct Templater {
    memo: HashMap<String, String>,
}

/// Distinct messages whose template is remembered.
const MAX_MEMO: usize = 50_000;

impl Templater {
    fn template(&mut self, message: &str) -> String {
        // One hash for a message seen before, two for a new one.
        if let Some(t) = self.memo.get(message) {
            return t.clone();
        }
        if self.memo.len() >= MAX_MEMO {
            self.memo.clear();
        }
        let t = template(message);
        self.memo.insert(message.to_string(), t.clone());
        t
    }
}

/// Where and when the scan saw an error-like record, before the bundle's layout is known.
#[derive(Clone, Copy, Debug)]
pub struct ErrorSeen<'a> {
    pub artifact: usize,
    /// The journald host of the record, which may name another node than the artifact's.
    pub host: Option<&'a str>,
    pub line: u64,
    /// The record's first lines as they are in the artifact.
    pub text: &'a str,
    pub timestamp: Option<Timestamp>,
}

/// Error-like records tallied by template while the bundle is still being
/// read (on the thread that finishes error records, see `scan::finish_errors`),
/// one tally per artifact and journald host. A node and a year are only known
/// once the whole bundle is read; `Clusterer::add_tally` brings them in then.
/// Keeping each record until then cost a copy of it, and clustering them all
/// after the scan was the longest step between the last block and the report.
#[derive(Debug, Default)]
pub struct Tally {
    /// Message -> the slot of its template in `templates`: the same message
    /// recurs (a probe flapping, a retried mount), and is templated once and
    /// found with one hash. Bounded like `Templater`'s memo.
    memo: FastMap<String, usize>,
    /// Template -> its slot.
    slots: FastMap<String, usize>,
    /// Each template with one entry per (artifact, host) it was seen in, in the order first seen.
    templates: Vec<(String, Vec<Seen>)>,
    /// Records whose template came after `MAX_TALLY_TEMPLATES` others.
    pub dropped: u64,
}

/// Distinct templates a tally keeps (as many as a `Clusterer` of a bundle).
pub const MAX_TALLY_TEMPLATES: usize = 5_000;

/// What one (template, artifact, host) has gathered.
#[derive(Clone, Debug)]
struct Seen {
    artifact: usize,
    host: Option<String>,
    level: Level,
    count: u64,
    benign: bool,
    /// First and last seen, kept apart for timestamps with and without a year:
    /// the artifact's year, found later, completes the latter.
    dated: (Option<Timestamp>, Option<Timestamp>),
    undated: (Option<Timestamp>, Option<Timestamp>),
    pods: BTreeSet<String>,
    /// (level, line, text): the smallest is the example.
    example: (Level, u64, String),
}

impl Seen {
    fn new(level: Level, message: &str, e: &ErrorSeen<'_>) -> Seen {
        let mut seen = Seen {
            artifact: e.artifact,
            host: e.host.map(str::to_string),
            level,
            count: 0,
            benign: is_benign(message),
            dated: (None, None),
            undated: (None, None),
            pods: BTreeSet::new(),
            example: (level, e.line, head(e.text, MAX_EXAMPLE).to_string()),
        };
        seen.add(level, e);
        seen
    }

    fn add(&mut self, level: Level, e: &ErrorSeen<'_>) {
        self.level = self.level.min(level);
        self.count += 1;
        if let Some(t) = e.timestamp {
            let span = if t.year.is_some() {
                &mut self.dated
            } else {
                &mut self.undated
            };
            span.0 = min_opt(span.0, Some(t));
            span.1 = max_opt(span.1, Some(t));
        }
        if let Some(p) = pod_in(e.text) {
            add_name(&mut self.pods, p);
        }
        if (level, e.line) < (self.example.0, self.example.1) {
            self.example = (level, e.line, head(e.text, MAX_EXAMPLE).to_string());
        }
    }
}

impl Tally {
    /// Tally one error-like record (see `message_of` for its level and message).
    pub fn add(&mut self, level: Level, message: &str, e: ErrorSeen<'_>) {
        let Some(slot) = self.slot(message) else {
            self.dropped += 1;
            return;
        };
        let Some((_, list)) = self.templates.get_mut(slot) else {
            return;
        };
        match list
            .iter_mut()
            .find(|s| s.artifact == e.artifact && s.host.as_deref() == e.host)
        {
            Some(s) => s.add(level, &e),
            None => list.push(Seen::new(level, message, &e)),
        }
    }

    /// The slot of a message's template; None once `MAX_TALLY_TEMPLATES`
    /// others hold all the slots.
    fn slot(&mut self, message: &str) -> Option<usize> {
        if let Some(&slot) = self.memo.get(message) {
            return Some(slot);
        }
        let t = template(message);
        let slot = match self.slots.get(&t) {
            Some(&slot) => slot,
            None if self.templates.len() < MAX_TALLY_TEMPLATES => {
                let slot = self.templates.len();
                self.templates.push((t.clone(), Vec::new()));
                self.slots.insert(t, slot);
                slot
            }
            None => return None,
        };
        if self.memo.len() >= MAX_MEMO {
            self.memo.clear();
        }
        self.memo.insert(message.to_string(), slot);
        Some(slot)
    }

    /// The journald hosts each artifact's error records came from: a journal's
    /// head shows only its first host, and a must-gather journal holds several.
    pub fn hosts(&self) -> impl Iterator<Item = (usize, &str)> {
        self.seen()
            .filter_map(|s| s.host.as_deref().map(|h| (s.artifact, h)))
    }

    /// Records tallied.
    pub fn records(&self) -> u64 {
        self.seen().map(|s| s.count).sum()
    }

    /// The line of each (template, artifact, host)'s example, in line order.
    pub fn example_lines(&self) -> Vec<u64> {
        let mut lines: Vec<u64> = self.seen().map(|s| s.example.1).collect();
        lines.sort_unstable();
        lines
    }

    fn seen(&self) -> impl Iterator<Item = &Seen> {
        self.templates.iter().flat_map(|(_, list)| list)
    }
}

/// Where a tallied artifact and host are, once the layout is known.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    pub artifact: &'a str,
    pub node: Option<&'a str>,
    /// The year of timestamps that carry none.
    pub year: Option<u16>,
}

/// The pod a log line names: `pod="ns/name"` (structured klog) or `pod "name"`.
pub fn pod_in(text: &str) -> Option<&str> {
    // Built once: this runs on every error record.
    static FINDERS: OnceLock<[memchr::memmem::Finder<'static>; 2]> = OnceLock::new();
    let [pod_eq, pod_quoted] = FINDERS.get_or_init(|| {
        [
            memchr::memmem::Finder::new("pod=\""),
            memchr::memmem::Finder::new("pod \""),
        ]
    });
    let after = pod_eq
        .find(text.as_bytes())
        .or_else(|| pod_quoted.find(text.as_bytes()))?
        + 5;
    let rest = text.get(after..)?;
    let name = rest.split('"').next()?;
    (!name.is_empty() && name.len() < 254).then_some(name)
}

/// Bounded: at most `max_templates` distinct templates are kept (later new ones are
/// counted in `dropped`).
pub struct Clusterer {
    max_templates: usize,
    map: HashMap<String, Acc>,
    dropped: u64,
    templater: Templater,
}

impl Clusterer {
    pub fn new(max_templates: usize) -> Clusterer {
        Clusterer {
            max_templates,
            map: HashMap::new(),
            dropped: 0,
            templater: Templater::default(),
        }
    }

    /// One error-like record: a structured event (log records come as tallies, `add_tally`).
    pub fn add(&mut self, level: Level, message: &str, occ: Occurrence<'_>) {
        let t = self.templater.template(message);
        let mut acc = Acc {
            level,
            count: occ.count.max(1),
            first: occ.timestamp,
            last: occ.until.or(occ.timestamp),
            nodes: BTreeSet::new(),
            pods: BTreeSet::new(),
            benign: is_benign(message),
            example: (
                level,
                occ.artifact.to_string(),
                occ.line,
                head(occ.text, MAX_EXAMPLE).to_string(),
            ),
        };
        if let Some(n) = occ.node {
            add_name(&mut acc.nodes, n);
        }
        if let Some(p) = occ.pod {
            add_name(&mut acc.pods, p);
        }
        self.merge(&t, acc);
    }

    /// One template's gatherings into the clusters: absorbed by the template's
    /// cluster, or a new cluster while there is room.
    fn merge(&mut self, t: &str, acc: Acc) {
        if let Some(into) = self.map.get_mut(t) {
            into.absorb(acc);
        } else if self.map.len() < self.max_templates {
            self.map.insert(t.to_string(), acc);
        } else {
            self.dropped += acc.count;
        }
    }

    /// Take in a bundle's tally, now that `place` can say where each
    /// artifact and host is. Templates in sorted order, so that which names
    /// fill a full `nodes` or `pods` list does not depend on hashing.
    pub fn add_tally<'a>(
        &mut self,
        tally: &Tally,
        place: impl Fn(usize, Option<&str>) -> Option<Place<'a>>,
    ) {
        let mut templates: Vec<&(String, Vec<Seen>)> = tally.templates.iter().collect();
        templates.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (t, list) in templates {
            for s in list {
                let Some(at) = place(s.artifact, s.host.as_deref()) else {
                    continue;
                };
                let year = |t: Option<Timestamp>| t.map(|t| at.year.map_or(t, |y| t.with_year(y)));
                let mut acc = Acc {
                    level: s.level,
                    count: s.count,
                    first: min_opt(s.dated.0, year(s.undated.0)),
                    last: max_opt(s.dated.1, year(s.undated.1)),
                    nodes: BTreeSet::new(),
                    pods: s.pods.clone(),
                    benign: s.benign,
                    example: (
                        s.example.0,
                        at.artifact.to_string(),
                        s.example.1,
                        s.example.2.clone(),
                    ),
                };
                if let Some(n) = at.node {
                    add_name(&mut acc.nodes, n);
                }
                self.merge(t, acc);
            }
        }
        self.dropped += tally.dropped;
    }

    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Merge templates that differ only in variable positions (Drain-like: same token
    /// count, same first and last token, at least 75% equal positions -> the differing
    /// tokens become `<*>`), fold templates that end in the same long error chain
    /// (see `fold_suffixes`), then rank: not benign before benign, errors before
    /// warnings, count desc, last_seen desc, template asc (deterministic). Return the
    /// top `limit`.
    pub fn finish(self, limit: usize) -> Vec<Cluster> {
        let mut items: Vec<(String, Acc)> = self.map.into_iter().collect();
        // A fixed order, so merging does not depend on HashMap iteration.
        items.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
        let merged = drain_merge(items);
        let mut folded = fold_suffixes(merged);
        folded.sort_by(|a, b| {
            a.1.benign
                .cmp(&b.1.benign)
                .then_with(|| a.1.level.cmp(&b.1.level))
                .then_with(|| b.1.count.cmp(&a.1.count))
                .then_with(|| cmp_last_desc(&a.1.last, &b.1.last))
                .then_with(|| a.0.cmp(&b.0))
        });
        folded
            .into_iter()
            .take(limit)
            .map(|(template, acc)| {
                let (_, example_artifact, example_line, example_text) = acc.example;
                Cluster {
                    template,
                    level: acc.level,
                    count: acc.count,
                    first_seen: acc.first.map(|t| t.to_string()),
                    last_seen: acc.last.map(|t| t.to_string()),
                    nodes: acc.nodes.into_iter().collect(),
                    pods: acc.pods.into_iter().collect(),
                    benign: acc.benign,
                    example_artifact,
                    example_line,
                    example_text,
                }
            })
            .collect()
    }
}

/// Templates shown in a report (the most telling first).
const MAX_UNRECOGNIZED: usize = 25;

/// The error-like records of a bundle that no rule explains, clustered into
/// templates, now that the layout names each artifact's and host's node: the
/// scan's tally of log records, and the Warning events of JSON and YAML event
/// lists (they have no lines to scan), unless a rule's record already quotes them.
pub fn clusters(obs: &Observations, tally: &Tally, layout: &Layout) -> Vec<Cluster> {
    let year = obs.artifacts.iter().filter_map(|a| a.year).max();
    let mut clusterer = Clusterer::new(5_000);
    clusterer.add_tally(tally, |artifact, host| {
        let a = obs.artifacts.get(artifact)?;
        let node = host.and_then(|h| layout.node_for_host(h)).or_else(|| {
            layout
                .node_of
                .get(artifact)
                .copied()
                .flatten()
                .and_then(|n| layout.nodes.get(n))
        });
        Some(Place {
            artifact: &a.path,
            node: node.map(|n| n.name.as_str()),
            year: a.year.or(year),
        })
    });
    for (i, a) in obs.artifacts.iter().enumerate() {
        if a.kind != Some(ArtifactKind::Events) {
            continue;
        }
        for ev in a
            .events
            .iter()
            .filter(|e| !e.in_table && e.kind == "Warning")
        {
            let explained = obs
                .hits
                .iter()
                .any(|h| h.artifact == i && quotes(&h.record.text, &ev.message));
            if explained || ev.message.is_empty() {
                continue;
            }
            let text = format!(
                "{} {}: {}",
                ev.reason,
                ev.object.as_deref().unwrap_or(""),
                ev.message
            );
            // Only a Pod is a pod: a Node's or a Deployment's event is not.
            let pod = ev
                .object
                .as_deref()
                .and_then(|o| o.strip_prefix("pod/"))
                .map(|name| match &ev.namespace {
                    Some(ns) => format!("{ns}/{name}"),
                    None => name.to_string(),
                });
            let node = ev
                .node
                .as_deref()
                .map(|n| layout.node_for_host(n).map_or(n, |x| x.name.as_str()));
            clusterer.add(
                Level::Warning,
                &ev.message,
                Occurrence {
                    artifact: &a.path,
                    line: ev.line,
                    text: &text,
                    timestamp: ev.first_time().or_else(|| ev.last_time()),
                    until: ev.last_time(),
                    count: ev.count,
                    node,
                    pod: pod.as_deref(),
                },
            );
        }
    }
    clusterer.finish(MAX_UNRECOGNIZED)
}

/// Recent first; clusters without a time go last.
fn cmp_last_desc(a: &Option<Timestamp>, b: &Option<Timestamp>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.sort_key().cmp(&x.sort_key()),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// Drain-style merge within groups of equal token count. The first and last tokens
/// must agree: the last is usually the root cause (`exit status <num>` vs `no space
/// left on device`), so two failures that share a long preamble stay apart.
fn drain_merge(items: Vec<(String, Acc)>) -> Vec<(String, Acc)> {
    let mut out: Vec<(Vec<String>, Acc)> = Vec::new();
    let mut by_len: HashMap<usize, Vec<usize>> = HashMap::new();
    for (t, acc) in items {
        let toks: Vec<String> = t.split(' ').map(str::to_string).collect();
        let n = toks.len();
        let bucket = by_len.entry(n).or_default();
        let hit = bucket.iter().copied().find(|&i| {
            out.get(i)
                .is_some_and(|(other, _)| drain_similar(other, &toks))
        });
        match hit.and_then(|i| out.get_mut(i)) {
            Some((other, into)) => {
                for (o, t) in other.iter_mut().zip(&toks) {
                    if o != t {
                        *o = "<*>".to_string();
                    }
                }
                into.absorb(acc);
            }
            None => {
                bucket.push(out.len());
                out.push((toks, acc));
            }
        }
    }
    out.into_iter().map(|(t, a)| (t.join(" "), a)).collect()
}

fn drain_similar(a: &[String], b: &[String]) -> bool {
    let n = a.len();
    if n != b.len() || n == 0 || a.first() != b.first() || a.last() != b.last() {
        return false;
    }
    let same = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x == y || x.as_str() == "<*>")
        .count();
    same as f64 >= DRAIN_SIMILARITY * n as f64
}

/// A token for suffix comparison: quotes and backslashes removed, since one layer
/// of a Go error chain quotes what the next layer said plainly.
fn norm_token(t: &str) -> String {
    t.chars()
        .filter(|c| !matches!(c, '"' | '\'' | '\\'))
        .collect()
}

/// Fold templates that end in the same long error chain: kubelet's `Error syncing
/// pod`, the sandbox/start error and the event row of one failure all end with the
/// runtime's message, each behind its own `prefix: `. Two templates fold when their
/// common token suffix starts right after a `:` in both (or at a template start), is
/// at least `FOLD_MIN_TOKENS` long and covers `FOLD_MIN_SHARE`% of the shorter one.
/// The cluster with the larger count names the fold.
fn fold_suffixes(items: Vec<(String, Acc)>) -> Vec<(String, Acc)> {
    let toks: Vec<Vec<String>> = items
        .iter()
        .map(|(t, _)| t.split(' ').map(norm_token).collect())
        .collect();
    let n = items.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while let Some(&p) = parent.get(i) {
            if p == i {
                break;
            }
            let gp = parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = parent.get_mut(i) {
                *slot = gp;
            }
            i = p;
        }
        i
    }
    // Only templates that share their last token can share a suffix.
    let mut by_last: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in toks.iter().enumerate() {
        if t.len() >= FOLD_MIN_TOKENS {
            if let Some(last) = t.last() {
                by_last.entry(last.as_str()).or_default().push(i);
            }
        }
    }
    let mut groups: Vec<&Vec<usize>> = by_last.values().collect();
    groups.sort();
    for group in groups {
        for (x, &i) in group.iter().enumerate() {
            for &j in group.iter().skip(x + 1) {
                let (Some(a), Some(b)) = (toks.get(i), toks.get(j)) else {
                    continue;
                };
                if shares_chain(a, b) {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    if ri != rj {
                        let (lo, hi) = (ri.min(rj), ri.max(rj));
                        if let Some(slot) = parent.get_mut(hi) {
                            *slot = lo;
                        }
                    }
                }
            }
        }
    }
    let mut sets: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let r = root(&mut parent, i);
        sets.entry(r).or_default().push(i);
    }
    let mut slots: Vec<Option<(String, Acc)>> = items.into_iter().map(Some).collect();
    let mut roots: Vec<usize> = sets.keys().copied().collect();
    roots.sort_unstable();
    let mut out = Vec::with_capacity(roots.len());
    for r in roots {
        let Some(members) = sets.get(&r) else {
            continue;
        };
        let mut taken: Vec<(String, Acc)> = members
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
            .collect();
        // Name: most frequent, then shortest, then alphabetical.
        taken.sort_by(|a, b| {
            b.1.count
                .cmp(&a.1.count)
                .then_with(|| a.0.len().cmp(&b.0.len()))
                .then_with(|| a.0.cmp(&b.0))
        });
        let mut it = taken.into_iter();
        if let Some((t, mut acc)) = it.next() {
            for (_, other) in it {
                acc.absorb(other);
            }
            out.push((t, acc));
        }
    }
    out
}

fn shares_chain(a: &[String], b: &[String]) -> bool {
    let common = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let shorter = a.len().min(b.len());
    // The chain must start at a boundary in both: after `prefix:`, after gRPC's
    // `desc =`, or at the template start. The equal run may reach past that
    // boundary (`Mount failed: X` vs `mount failed: X`), so try each length.
    let boundary = |t: &[String], k: usize| {
        if t.len() == k {
            return true;
        }
        let prev = t.get(t.len() - k - 1).map(String::as_str);
        let prev2 = (t.len() >= k + 2)
            .then(|| t.get(t.len() - k - 2))
            .flatten()
            .map(String::as_str);
        prev.is_some_and(|p| p.ends_with(':')) || (prev == Some("=") && prev2 == Some("desc"))
    };
    (FOLD_MIN_TOKENS..=common)
        .rev()
        .take_while(|&k| k * 100 >= FOLD_MIN_SHARE * shorter)
        .any(|k| boundary(a, k) && boundary(b, k))
}

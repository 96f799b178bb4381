//! The combined matcher: every signal of every rule (and every text
//! condition and built-in fact probe) for one artifact kind, compiled into
//! one literal prefilter plus the regexes it guards.
//!
//! The prefilter (`rules::prefilter`) finds the lines that hold a literal; a
//! regex only ever runs on a record that holds one of its literals.

use std::collections::{BTreeMap, BTreeSet};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;

use super::load::RulePack;
pub use super::prefilter::Candidate;
use super::prefilter::{Literal, Prefilter};
use crate::facts::ArtifactKind;
use crate::records::Record;

/// What a prefilter hit can lead to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// Signal `signal` of rule `rule` (indices into the pack).
    Signal { rule: usize, signal: usize },
    /// A `text` condition of a rule.
    Condition { rule: usize, condition: usize },
    /// A built-in fact probe (see `probes`).
    Probe(usize),
}

/// A fact the scanner always looks for in logs, whatever the rules: who the
/// node is and which versions run there.
#[derive(Debug)]
pub struct Probe {
    pub name: &'static str,
    pub kinds: &'static [ArtifactKind],
    pub literals: &'static [&'static str],
    pub regex: Regex,
}

/// The lines that state a component's version: the kubelet's at each start,
/// the runtime it found, containerd's and Kata's own.
const VERSION_LINES: &str = r#"(?:Kubelet version" kubeletVersion="v?(?P<kubernetes>[0-9][^"\s]*)"|\] Version: v(?P<kubernetes_old>[0-9][^\s"]*)|containerRuntime="(?P<runtime>[a-z\-]+)" version="v?(?P<runtime_version>[0-9][^"\s]*)"|starting containerd.*version=v?"?(?P<containerd>[0-9][^"\s]*)|kata-agent version (?P<kata>[0-9][^\s",]*)|katautils.*version=v?(?P<kata2>[0-9][^\s",]*))"#;

/// Logs other than the kubelet's that state versions.
const RUNTIME_LOGS: &[ArtifactKind] = &[ArtifactKind::RuntimeLog, ArtifactKind::OtherLog];

/// Probe names; `scan` turns their captures into facts.
pub const PROBE_NODE: &str = "node-name";
pub const PROBE_VERSION: &str = "version";
pub const PROBE_MOUNT_OK: &str = "mount-succeeded";
pub const PROBE_POD_LIFECYCLE: &str = "pod-lifecycle";

fn probes() -> Vec<Probe> {
    let build = |name, kinds, literals, re: &str| Probe {
        name,
        kinds,
        literals,
        regex: Regex::new(re)
            .unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!())),
    };
    vec![
        // A later success for the same volume resolves an earlier mount failure.
        build(
            PROBE_MOUNT_OK,
            &[ArtifactKind::KubeletLog],
            &["succeeded for volume"],
            r#"MountVolume\.(?:SetUp|MountDevice) succeeded for volume "(?P<volume>[^"]+)"(?:.*?pod "[^"]*" \(UID: "(?P<uid>[^"]+)"\))?"#,
        ),
        // Only the kubelet's own words about itself name its node: `Attempting
        // to register node X`, `Successfully registered node X` (klog text or
        // structured `node="X"`), `Node X was previously registered`. Node
        // names are lowercase DNS names; "Unable to register node with API
        // server" names none.
        build(
            PROBE_NODE,
            &[ArtifactKind::KubeletLog],
            // One literal for the three lines (each literal costs every byte).
            &["register"],
            r#"(?:(?:Attempting to register|Successfully registered) node"?(?:\s+node=)?\s*"?(?P<node>[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?)|Node was previously registered"?\s+node="(?P<node_structured>[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?)"|Node (?P<node_text>[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?) was previously registered)"#,
        ),
        // A pod deleted from or gone from the node: names its namespace (a
        // UID-only error line does not) and ends its failures. ADD lines are
        // left out: as many as deletions in a busy log, and they add neither.
        build(
            PROBE_POD_LIFECYCLE,
            &[ArtifactKind::KubeletLog],
            // One literal, not one per spelling: every literal added to a
            // Teddy shard slows the search of every byte (benches/README.md,
            // 2026-12-07); the scan's gate then keeps only the DELETE and
            // REMOVE lines of the many `SyncLoop` ones.
            &["SyncLoop "],
            // The line is read by `scan::learn` (a hand parse: this regex's
            // captures cost more than the whole scan of the line).
            r#"SyncLoop \(?(?:DELETE|REMOVE)\b"#,
        ),
        // The kubelet's start lines (each start, for start-up transients)
        // in its own log; the runtimes' in theirs.
        build(
            PROBE_VERSION,
            &[ArtifactKind::KubeletLog],
            &["Version: v", "kubeletVersion=", "containerRuntime="],
            VERSION_LINES,
        ),
        build(
            PROBE_VERSION,
            RUNTIME_LOGS,
            &[
                "Version: v",
                "kubeletVersion=",
                "containerRuntime=",
                "starting containerd",
                "kata-agent version",
                "katautils",
                "\"version\":\"",
            ],
            VERSION_LINES,
        ),
    ]
}

/// Text whose kind could not be told (a full system journal, `messages`, a
/// file named anything) is still searched by every rule that reads logs:
/// missing a failure because of a file name is worse than one more scan.
fn with_other_log(kinds: &[ArtifactKind]) -> Vec<ArtifactKind> {
    let mut out = kinds.to_vec();
    let reads_logs = kinds.iter().any(|k| {
        matches!(
            k,
            ArtifactKind::KubeletLog
                | ArtifactKind::RuntimeLog
                | ArtifactKind::Events
                | ArtifactKind::PodDescribe
                | ArtifactKind::Dmesg
        )
    });
    if reads_logs && !out.contains(&ArtifactKind::OtherLog) {
        out.push(ArtifactKind::OtherLog);
    }
    // A pod's status says in JSON what `describe` says in text (a last state's message).
    if out.contains(&ArtifactKind::PodDescribe) && !out.contains(&ArtifactKind::PodJson) {
        out.push(ArtifactKind::PodJson);
    }
    out
}

/// The automata and targets for one artifact kind.
#[derive(Debug, Default)]
pub struct KindMatcher {
    /// Every literal, for prefilters fitted to a bundle's text.
    literals: Vec<Literal>,
    /// The prefilter for text not seen yet (each literal searched whole).
    prefilter: Prefilter,
    /// Names a hit record's targets: all literals, overlapping.
    overlapping: Option<AhoCorasick>,
    /// Per `overlapping` pattern, its targets.
    targets: Vec<Vec<Target>>,
    /// Targets without a literal: tried on every record (rules must opt in).
    always: Vec<Target>,
}

impl KindMatcher {
    fn new(literals: BTreeMap<String, BTreeSet<Target>>, always: Vec<Target>) -> KindMatcher {
        let literals: Vec<(String, Vec<Target>)> = literals
            .into_iter()
            .map(|(l, t)| (l, t.into_iter().collect()))
            .collect();
        let overlapping = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(literals.iter().map(|(l, _)| l))
            .ok();
        let literals_only: Vec<Literal> = literals
            .iter()
            .map(|(text, targets)| Literal {
                text: text.clone(),
                probe_only: match targets.as_slice() {
                    [Target::Probe(p)] => Some(*p),
                    _ => None,
                },
            })
            .collect();
        KindMatcher {
            prefilter: Prefilter::new(&literals_only),
            literals: literals_only,
            overlapping,
            targets: literals.into_iter().map(|(_, t)| t).collect(),
            always,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.literals.is_empty() && self.always.is_empty()
    }

    /// Every literal the prefilter searches for this kind (`benches/literals.rs`
    /// measures what each one costs).
    pub fn literals(&self) -> &[Literal] {
        &self.literals
    }

    /// The prefilter for text of this kind not seen yet.
    pub fn prefilter(&self) -> &Prefilter {
        &self.prefilter
    }

    /// A prefilter fitted to `sample`, text of this kind (see `rules::prefilter`).
    pub fn fitted_prefilter(&self, sample: &[u8]) -> Prefilter {
        Prefilter::fitted(&self.literals, sample)
    }

    /// Whether every record must be tried (a target without literal).
    pub fn has_unfiltered(&self) -> bool {
        !self.always.is_empty()
    }

    /// The targets whose literals occur in the record's raw lines.
    pub fn candidates(&self, record: &Record) -> BTreeSet<Target> {
        let mut out: BTreeSet<Target> = self.always.iter().copied().collect();
        if let Some(ac) = &self.overlapping {
            for line in &record.raw {
                for m in ac.find_overlapping_iter(line.as_bytes()) {
                    if let Some(ts) = self.targets.get(m.pattern().as_usize()) {
                        out.extend(ts.iter().copied());
                    }
                }
            }
        }
        out
    }
}

/// One signal match on one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignalMatch {
    pub target: Target,
    /// Named captures (empty values dropped).
    pub captures: BTreeMap<String, String>,
    /// The matched span of the normalized record text.
    pub matched: String,
}

/// Everything compiled for a run.
#[derive(Debug)]
pub struct Matcher {
    per_kind: BTreeMap<ArtifactKind, KindMatcher>,
    pub probes: Vec<Probe>,
    /// Where error-like records start (klog E/W, logrus error/warning, Warning
    /// events), for the unrecognized-error clustering.
    errors: BTreeMap<ArtifactKind, AhoCorasick>,
    /// Off: no error-like record is collected (`without_unrecognized`).
    unrecognized: bool,
}

/// A regex's match on a record's text as a `SignalMatch`: its named captures
/// (empty ones dropped) and the matched span.
fn captures(regex: &Regex, target: Target, text: &str) -> Option<SignalMatch> {
    let caps = regex.captures(text)?;
    let captures = regex
        .capture_names()
        .flatten()
        .filter_map(|n| {
            caps.name(n)
                .map(|m| (n.to_string(), m.as_str().to_string()))
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    Some(SignalMatch {
        target,
        captures,
        matched: caps
            .get(0)
            .map(|m| m.as_str().to_string())
            .unwrap_or_default(),
    })
}

/// Literals that mark the start of an error-like record, per kind. A klog
/// severity letter is only an error when it opens the line: after a newline,
/// after journald's `unit[pid]: `, or inside k0s's `msg="`.
///
/// Teddy searches by a literal's first bytes, so none starts with what every
/// line of some log holds: `level=error` would stop the search at each
/// `level=info` of a containerd journal, and `msg="E0` at each `msg=`. Their
/// tails are searched instead (a third faster there); `message_of` decides
/// what a candidate line really is.
fn error_literals(kind: ArtifactKind) -> &'static [&'static str] {
    match kind {
        ArtifactKind::KubeletLog | ArtifactKind::RuntimeLog | ArtifactKind::OtherLog => &[
            ": E0",
            ": E1",
            ": W0",
            ": W1",
            "\nE0",
            "\nE1",
            "\nW0",
            "\nW1",
            "=\"E0",
            "=\"E1",
            "=\"W0",
            "=\"W1",
            "l=error",
            "l=warn",
            "l=fatal",
            "l\":\"error",
            "l\":\"warn",
            // A kernel line in a full journal or `messages`.
            " kernel: ",
        ],
        // A kernel log (dmesg, `journalctl -k`) has no levels in its text:
        // any line with an error word is a candidate; `message_of` decides.
        ArtifactKind::Dmesg => &[
            "rror",
            "ERROR",
            "fail",
            "Fail",
            "FAIL",
            "denied",
            "timed out",
            "timeout",
            "Call Trace",
            "blocked for more than",
            "Out of memory",
            "oom",
            "Killed process",
            "corrupt",
            "Corrupt",
            "segfault",
            "ead-only",
            "I/O",
            "BUG",
            "WARNING",
            "arning",
            "panic",
            "refused",
            "nable to",
            "annot",
            "ould not",
            "No space",
        ],
        ArtifactKind::Events | ArtifactKind::PodDescribe | ArtifactKind::NodeDescribe => {
            &["Warning "]
        }
        _ => &[],
    }
}

impl Matcher {
    pub fn new(pack: &RulePack) -> Matcher {
        let probes = probes();
        // kind -> literal -> targets
        let mut lits: BTreeMap<ArtifactKind, BTreeMap<String, BTreeSet<Target>>> = BTreeMap::new();
        let mut always: BTreeMap<ArtifactKind, Vec<Target>> = BTreeMap::new();
        let mut add = |kinds: &[ArtifactKind], literals: &[String], target: Target| {
            for &k in kinds {
                if literals.is_empty() {
                    always.entry(k).or_default().push(target);
                }
                for l in literals {
                    lits.entry(k)
                        .or_default()
                        .entry(l.clone())
                        .or_default()
                        .insert(target);
                }
            }
        };
        for (ri, rule) in pack.rules.iter().enumerate() {
            for (si, s) in rule.signals.iter().enumerate() {
                add(
                    &with_other_log(&s.kinds),
                    &s.literals,
                    Target::Signal {
                        rule: ri,
                        signal: si,
                    },
                );
            }
            for (ci, c) in rule.conditions.iter().enumerate() {
                if c.regex.is_some() {
                    add(
                        &with_other_log(&c.spec.kinds),
                        &c.spec.literals,
                        Target::Condition {
                            rule: ri,
                            condition: ci,
                        },
                    );
                }
            }
        }
        for (pi, p) in probes.iter().enumerate() {
            let literals: Vec<String> = p.literals.iter().map(|s| s.to_string()).collect();
            add(p.kinds, &literals, Target::Probe(pi));
        }
        let mut per_kind = BTreeMap::new();
        let kinds: BTreeSet<ArtifactKind> = lits.keys().chain(always.keys()).copied().collect();
        for kind in kinds {
            let km = KindMatcher::new(
                lits.remove(&kind).unwrap_or_default(),
                always.remove(&kind).unwrap_or_default(),
            );
            per_kind.insert(kind, km);
        }
        let errors = [
            ArtifactKind::KubeletLog,
            ArtifactKind::RuntimeLog,
            ArtifactKind::OtherLog,
            ArtifactKind::Events,
            ArtifactKind::PodDescribe,
            ArtifactKind::NodeDescribe,
            ArtifactKind::Dmesg,
        ]
        .into_iter()
        .filter_map(|k| {
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .match_kind(MatchKind::LeftmostFirst)
                .build(error_literals(k))
                .ok()
                .map(|ac| (k, ac))
        })
        .collect();
        Matcher {
            per_kind,
            probes,
            errors,
            unrecognized: true,
        }
    }

    /// Skip the search for error-like records (no `unrecognized` list): for
    /// runs that only want the findings, and to measure what clustering costs.
    pub fn without_unrecognized(mut self) -> Matcher {
        self.errors.clear();
        self.unrecognized = false;
        self
    }

    /// Whether error-like records no rule explains are collected at all.
    pub fn collects_unrecognized(&self) -> bool {
        self.unrecognized
    }

    /// Offsets of line starts that open an error-like record, appended to `out`.
    pub fn error_offsets(&self, kind: ArtifactKind, block: &[u8], out: &mut Vec<usize>) {
        if let Some(ac) = self.errors.get(&kind) {
            // A literal that begins with the newline points at the line before.
            out.extend(ac.find_iter(block).map(|m| {
                if block.get(m.start()) == Some(&b'\n') {
                    m.start() + 1
                } else {
                    m.start()
                }
            }));
        }
    }

    /// Whether a text's first line opens an error-like record by what the
    /// literals that begin with a newline look for: that line has no newline
    /// before it for `error_offsets` to find.
    pub fn opens_with_error(&self, kind: ArtifactKind, text: &[u8]) -> bool {
        // A byte-order mark (Windows-written files) is not part of the line.
        let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        self.errors.contains_key(&kind)
            && error_literals(kind)
                .iter()
                .filter_map(|l| l.strip_prefix('\n'))
                .any(|line_start| text.starts_with(line_start.as_bytes()))
    }

    pub fn for_kind(&self, kind: ArtifactKind) -> Option<&KindMatcher> {
        self.per_kind.get(&kind).filter(|m| !m.is_empty())
    }

    /// Whether records of this kind are looked at at all (rules or error clustering).
    pub fn reads(&self, kind: ArtifactKind) -> bool {
        self.for_kind(kind).is_some() || self.errors.contains_key(&kind)
    }

    /// Run the candidate targets' regexes on one record.
    pub fn match_record(
        &self,
        pack: &RulePack,
        kind: ArtifactKind,
        record: &Record,
    ) -> Vec<SignalMatch> {
        let Some(km) = self.for_kind(kind) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for target in km.candidates(record) {
            let regex = match target {
                Target::Signal { rule, signal } => pack
                    .rules
                    .get(rule)
                    .and_then(|r| r.signals.get(signal))
                    .map(|s| &s.regex),
                Target::Condition { rule, condition } => pack
                    .rules
                    .get(rule)
                    .and_then(|r| r.conditions.get(condition))
                    .and_then(|c| c.regex.as_ref()),
                Target::Probe(p) => self.probes.get(p).map(|p| &p.regex),
            };
            let Some(regex) = regex else { continue };
            out.extend(captures(regex, target, &record.text));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registered(line: &str) -> Option<String> {
        let probe = probes().into_iter().find(|p| p.name == PROBE_NODE)?;
        let caps = probe.regex.captures(line)?;
        ["node", "node_structured", "node_text"]
            .iter()
            .find_map(|k| caps.name(k))
            .map(|m| m.as_str().to_string())
    }

    /// Lines from the real bundles in `shared/real-bundles`: a Windows kubelet
    /// 1.17 log (text klog) and OpenShift 4.8 masters' journals (structured klog).
    #[test]
    fn the_kubelet_names_its_node_only_in_its_registration_lines() {
        assert_eq!(
            registered("I0820 20:28:29.233152    3312 kubelet_node_status.go:75] Successfully registered node e2e-test-ramosalex-windows-node-group-tz6r").as_deref(),
            Some("e2e-test-ramosalex-windows-node-group-tz6r")
        );
        assert_eq!(
            registered("I0820 20:28:29.118139    3312 kubelet_node_status.go:286] Attempting to register node e2e-test-ramosalex-windows-node-group-tz6r").as_deref(),
            Some("e2e-test-ramosalex-windows-node-group-tz6r")
        );
        assert_eq!(
            registered(r#"I0803 09:18:03.521637    1354 kubelet_node_status.go:79] "Successfully registered node" node="ip-10-0-195-177.ec2.internal""#).as_deref(),
            Some("ip-10-0-195-177.ec2.internal")
        );
        assert_eq!(
            registered(r#"I0418 08:40:01.100001    1187 kubelet_node_status.go:111] "Node was previously registered" node="k8sw-prd-04""#).as_deref(),
            Some("k8sw-prd-04")
        );
        // Near-misses: a failure to register names no node.
        assert_eq!(
            registered(
                r#"E0803 09:17:48.276412    1354 kubelet_node_status.go:93] "Unable to register node with API server" err="nodes is forbidden: User \"system:anonymous\" cannot create resource \"nodes\"" node="ip-10-0-195-177.ec2.internal""#
            ),
            None
        );
        assert_eq!(registered("Unable to register node with API server"), None);
    }
}

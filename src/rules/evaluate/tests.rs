//! Evaluation on small hand-built facts: each test states a bundle (its
//! artifacts, their facts, the hits) and what evaluation must decide.

use std::collections::BTreeMap;

use super::*;
use crate::facts::{
    ArtifactFacts, ArtifactKind, Event, MountEntry, MountSuccess, Package, PackageChange,
    PackageManager, TextFound, VersionFact,
};
use crate::layout;
use crate::logline::Timestamp;
use crate::records::build_record;
use crate::rules::load::{load, RulePack};

/// A test rule: its id, extra top-level keys, and its conditions, with one
/// signal (`<id> failed for volume "v"`, capturing volume and pod).
fn rule(id: &str, head: &str, conditions: &str) -> (String, String) {
    let text = format!(
        r#"id = "{id}"
title = "{id}"
severity = "high"
category = "storage"
summary = "test rule"
{head}

[[signal]]
name = "failure"
in = ["kubelet-log", "events"]
literals = ["{id} failed"]
regex = '{id} failed for volume "(?P<volume>[^"]+)"(?: pod "(?P<pod>[^"]+)")?'

{conditions}

[fix]
summary = "fix {{{{ volumes }}}} on {{{{ node }}}}"

[[example]]
kind = "kubelet-log"
match = true
source = "test"
text = '{id} failed for volume "v"'

[[example]]
kind = "kubelet-log"
match = false
source = "test"
text = '{id} worked for volume "v"'
"#
    );
    (format!("rules/{id}.toml"), text)
}

const PACKAGE_ABSENT: &str = r#"[[condition]]
name = "helper package absent"
fact = "package"
expect = "absent"
names = ["helper-utils"]
needs = "the package list""#;

const OLD_KUBERNETES: &str = r#"[[condition]]
name = "Kubernetes before 1.19"
fact = "version"
component = "kubernetes"
version = "< 1.19"
needs = "the kubelet version""#;

const DELETED_ROOT: &str = r#"[[condition]]
name = "a bind mount whose source was deleted"
fact = "mount"
root_suffix = "//deleted"
needs = "mountinfo""#;

const TEXT_ON_NODE: &str = r#"[[condition]]
name = "the driver said why"
fact = "text"
in = ["kubelet-log"]
literals = ["driver says"]
regex = 'driver says'
needs = "the kubelet log""#;

fn pack() -> RulePack {
    let sources = vec![
        rule("cause", r#"supersedes = ["symptom"]"#, PACKAGE_ABSENT),
        rule("symptom", "symptom = true", ""),
        rule("versioned", "", OLD_KUBERNETES),
        rule("mounted", "", DELETED_ROOT),
        rule("worded", "", TEXT_ON_NODE),
        rule("plain", "", ""),
    ];
    load(&sources).unwrap_or_else(|e| panic!("{e}"))
}

/// A bundle under construction.
#[derive(Default)]
struct Bundle {
    obs: Observations,
}

impl Bundle {
    /// An artifact at `path`; a kubelet log registers the node its folder is named after.
    fn artifact(&mut self, path: &str, kind: ArtifactKind) -> usize {
        let mut a = ArtifactFacts {
            path: path.into(),
            kind: Some(kind),
            ..ArtifactFacts::default()
        };
        if kind == ArtifactKind::KubeletLog {
            let folder = path.rsplit('/').nth(1).unwrap_or_default();
            a.node_names.insert(folder.to_string());
        }
        self.obs.artifacts.push(a);
        self.obs.artifacts.len() - 1
    }

    fn facts(&mut self, artifact: usize) -> &mut ArtifactFacts {
        &mut self.obs.artifacts[artifact]
    }

    /// An rpm package list on `node`'s folder.
    fn packages(&mut self, node: &str, names: &[&str]) {
        let a = self.artifact(&format!("b/{node}/rpm-qa.txt"), ArtifactKind::Packages);
        self.facts(a).packages = names
            .iter()
            .enumerate()
            .map(|(i, n)| Package {
                name: n.to_string(),
                version: "1.0-1".into(),
                arch: None,
                installed: true,
                install_time: None,
                manager: PackageManager::Rpm,
                line: i as u64 + 1,
            })
            .collect();
    }

    /// A hit of rule `rule` (by id) on a kubelet log line of `artifact`.
    fn hit(&mut self, pack: &RulePack, rule: &str, artifact: usize, line: u64, text: &str) {
        let r = pack
            .rules
            .iter()
            .position(|r| r.spec.id == rule)
            .expect("rule");
        let record = build_record(line, &[text]);
        let caps = pack.rules[r].signals[0]
            .regex
            .captures(&record.text)
            .expect("the text matches the rule");
        let captures: BTreeMap<String, String> = ["volume", "pod"]
            .iter()
            .filter_map(|n| {
                caps.name(n)
                    .map(|m| (n.to_string(), m.as_str().to_string()))
            })
            .collect();
        self.obs.hits.push(SignalHit {
            rule: r,
            signal: 0,
            artifact,
            matched: caps[0].to_string(),
            record,
            captures,
        });
    }
}

/// A finding's pods, volumes, explained symptoms (rule, count), first and last seen.
type Detail = (
    Vec<String>,
    Vec<String>,
    Vec<(String, u64)>,
    Option<String>,
    Option<String>,
);

/// What evaluation decided, as plain strings: `rule@node (confidence)` for
/// findings, `rule@node: reason` for the ruled-out and the resolved.
#[derive(Debug, Default)]
struct Decided {
    findings: Vec<String>,
    ruled_out: Vec<String>,
    resolved: Vec<String>,
    /// Per finding: its pods, volumes, explained symptoms and first/last seen.
    details: Vec<Detail>,
}

fn decide(pack: &RulePack, bundle: &Bundle) -> Decided {
    let layout = layout::resolve(&bundle.obs.artifacts);
    let nodes = crate::node_facts::build(&bundle.obs, &layout);
    let v = evaluate(pack, &bundle.obs, &layout, &nodes);
    let id = |r: usize| pack.rules[r].spec.id.clone();
    let at = |r: usize, n: &Option<String>| format!("{}@{}", id(r), n.as_deref().unwrap_or("?"));
    Decided {
        findings: v
            .findings
            .iter()
            .map(|f| format!("{} ({})", at(f.rule, &f.node), f.confidence.as_str()))
            .collect(),
        ruled_out: v
            .ruled_out
            .iter()
            .map(|d| format!("{}: {}", at(d.rule, &d.node), d.reason))
            .collect(),
        resolved: v
            .resolved
            .iter()
            .map(|d| format!("{}: {}", at(d.rule, &d.node), d.reason))
            .collect(),
        details: v
            .findings
            .iter()
            .map(|f| {
                (
                    f.affected.pods.clone(),
                    f.affected.volumes.clone(),
                    f.explains
                        .iter()
                        .map(|e| (e.rule.clone(), e.occurrences))
                        .collect(),
                    f.first_seen.map(|t| t.to_string()),
                    f.last_seen.map(|t| t.to_string()),
                )
            })
            .collect(),
    }
}

const CAUSE: &str =
    r#"E0418 08:42:39.000001    1187 x.go:1] cause failed for volume "data" pod "shop/web-0""#;

#[test]
fn a_required_package_absent_confirms_present_rules_out_missing_leaves_probable() {
    let pack = pack();
    // Absent from the node's list: confirmed.
    let mut b = Bundle::default();
    let log = b.artifact("b/worker-1/kubelet.log", ArtifactKind::KubeletLog);
    b.packages("worker-1", &["bash", "openssl"]);
    b.hit(&pack, "cause", log, 10, CAUSE);
    let d = decide(&pack, &b);
    assert_eq!(d.findings, ["cause@worker-1 (confirmed)"]);
    assert!(d.ruled_out.is_empty());
    // Installed: ruled out, and the reason names the package and its line.
    let mut b = Bundle::default();
    let log = b.artifact("b/worker-1/kubelet.log", ArtifactKind::KubeletLog);
    b.packages("worker-1", &["bash", "helper-utils"]);
    b.hit(&pack, "cause", log, 10, CAUSE);
    let d = decide(&pack, &b);
    assert!(d.findings.is_empty(), "{d:?}");
    assert_eq!(
        d.ruled_out,
        ["cause@worker-1: helper package absent: helper-utils 1.0-1 is installed (b/worker-1/rpm-qa.txt line 2)"]
    );
    // No package list for the node: probable, saying what would settle it.
    let mut b = Bundle::default();
    let log = b.artifact("b/worker-1/kubelet.log", ArtifactKind::KubeletLog);
    b.hit(&pack, "cause", log, 10, CAUSE);
    let d = decide(&pack, &b);
    assert_eq!(d.findings, ["cause@worker-1 (probable)"]);
}

#[test]
fn each_node_is_judged_by_its_own_package_list() {
    let pack = pack();
    let mut b = Bundle::default();
    let one = b.artifact("b/worker-1/kubelet.log", ArtifactKind::KubeletLog);
    let two = b.artifact("b/worker-2/kubelet.log", ArtifactKind::KubeletLog);
    b.packages("worker-1", &["helper-utils"]);
    b.packages("worker-2", &["bash"]);
    b.hit(&pack, "cause", one, 10, CAUSE);
    b.hit(&pack, "cause", two, 10, CAUSE);
    let d = decide(&pack, &b);
    assert_eq!(d.findings, ["cause@worker-2 (confirmed)"]);
    assert_eq!(d.ruled_out.len(), 1);
    assert!(d.ruled_out[0].starts_with("cause@worker-1: "), "{d:?}");
}

#[test]
fn a_version_condition_reads_the_nodes_version_then_the_clusters() {
    let pack = pack();
    let hit = r#"E0418 08:42:39.000001    1187 x.go:1] versioned failed for volume "cfg""#;
    for (version, want_finding) in [("1.17.17", true), ("1.29.3", false)] {
        let mut b = Bundle::default();
        let log = b.artifact("b/node-a/kubelet.log", ArtifactKind::KubeletLog);
        b.facts(log).versions.push(VersionFact {
            component: "kubernetes".into(),
            version: version.into(),
            line: 1,
        });
        b.hit(&pack, "versioned", log, 5, hit);
        let d = decide(&pack, &b);
        assert_eq!(
            d.findings.len(),
            usize::from(want_finding),
            "{version}: {d:?}"
        );
        assert_eq!(
            d.ruled_out.len(),
            usize::from(!want_finding),
            "{version}: {d:?}"
        );
    }
    // The node says nothing; a cluster-wide `kubectl version` does.
    let mut b = Bundle::default();
    let log = b.artifact("b/node-a/kubelet.log", ArtifactKind::KubeletLog);
    let v = b.artifact("b/kubectl-version.txt", ArtifactKind::Version);
    b.facts(v).versions.push(VersionFact {
        component: "kubernetes".into(),
        version: "1.18.2".into(),
        line: 2,
    });
    b.hit(&pack, "versioned", log, 5, hit);
    assert_eq!(decide(&pack, &b).findings, ["versioned@node-a (confirmed)"]);
    // Nobody says: probable.
    let mut b = Bundle::default();
    let log = b.artifact("b/node-a/kubelet.log", ArtifactKind::KubeletLog);
    b.hit(&pack, "versioned", log, 5, hit);
    assert_eq!(decide(&pack, &b).findings, ["versioned@node-a (probable)"]);
}

#[test]
fn a_mount_condition_needs_mountinfo_for_the_root_field() {
    let pack = pack();
    let hit = r#"E0418 08:42:39.000001    1187 x.go:1] mounted failed for volume "cfg""#;
    let mount = |root: &str| MountEntry {
        mount_id: 1,
        parent_id: 0,
        major_minor: "0:1".into(),
        root: root.into(),
        mount_point: "/var/lib/kubelet/pods/x/volume-subpaths/cfg/c/0".into(),
        options: "rw".into(),
        optional_fields: Vec::new(),
        fstype: "ext4".into(),
        source: "/dev/sda1".into(),
        super_options: "rw".into(),
        line: 7,
    };
    let mut b = Bundle::default();
    let log = b.artifact("b/n/kubelet.log", ArtifactKind::KubeletLog);
    let mi = b.artifact("b/n/mountinfo", ArtifactKind::Mountinfo);
    b.facts(mi).mounts = vec![mount("/cfg//deleted")];
    b.hit(&pack, "mounted", log, 5, hit);
    assert_eq!(decide(&pack, &b).findings, ["mounted@n (confirmed)"]);
    // `mount` output has no root field: the condition cannot be checked.
    let mut b = Bundle::default();
    let log = b.artifact("b/n/kubelet.log", ArtifactKind::KubeletLog);
    let mo = b.artifact("b/n/mount.txt", ArtifactKind::Mounts);
    b.facts(mo).mounts = vec![mount("/")];
    b.hit(&pack, "mounted", log, 5, hit);
    assert_eq!(decide(&pack, &b).findings, ["mounted@n (probable)"]);
}

#[test]
fn a_text_condition_counts_only_on_the_findings_node_or_the_cluster() {
    let pack = pack();
    let hit = r#"E0418 08:42:39.000001    1187 x.go:1] worded failed for volume "cfg""#;
    let worded = pack
        .rules
        .iter()
        .position(|r| r.spec.id == "worded")
        .expect("rule");
    for (text_on, want) in [("n1", "worded@n1 (confirmed)"), ("n2", "")] {
        let mut b = Bundle::default();
        let l1 = b.artifact("b/n1/kubelet.log", ArtifactKind::KubeletLog);
        let l2 = b.artifact("b/n2/kubelet.log", ArtifactKind::KubeletLog);
        b.hit(&pack, "worded", l1, 5, hit);
        b.obs.texts.push(TextFound {
            rule: worded,
            condition: 0,
            artifact: if text_on == "n1" { l1 } else { l2 },
            line: 9,
            timestamp: None,
            captures: BTreeMap::new(),
        });
        let d = decide(&pack, &b);
        if want.is_empty() {
            assert_eq!(d.ruled_out.len(), 1, "{d:?}");
            assert!(d.ruled_out[0].contains("not found in the kubelet-log artifacts of n1"));
        } else {
            assert_eq!(d.findings, [want]);
        }
    }
}

#[test]
fn a_symptom_folds_into_the_cause_on_the_same_volume_and_stands_alone_otherwise() {
    let pack = pack();
    let symptom = |v: &str| {
        format!(r#"E0418 08:44:00.000001    1187 x.go:1] symptom failed for volume "{v}""#)
    };
    let mut b = Bundle::default();
    let log = b.artifact("b/w/kubelet.log", ArtifactKind::KubeletLog);
    b.hit(&pack, "cause", log, 10, CAUSE);
    b.hit(&pack, "symptom", log, 20, &symptom("data"));
    b.hit(&pack, "symptom", log, 30, &symptom("data"));
    let d = decide(&pack, &b);
    assert_eq!(d.findings, ["cause@w (probable)"], "the symptom is folded");
    assert_eq!(d.details[0].2, [("symptom".to_string(), 2)]);
    // Another volume: the symptom is not explained, and stands alone as low/probable.
    b.hit(&pack, "symptom", log, 40, &symptom("other"));
    let d = decide(&pack, &b);
    assert_eq!(d.findings, ["cause@w (probable)", "symptom@w (probable)"]);
    let layout = layout::resolve(&b.obs.artifacts);
    let nodes = crate::node_facts::build(&b.obs, &layout);
    let v = evaluate(&pack, &b.obs, &layout, &nodes);
    let alone = v
        .findings
        .iter()
        .find(|f| pack.rules[f.rule].spec.id == "symptom");
    assert_eq!(
        alone.map(|f| (f.severity, f.hits.len())),
        Some((Severity::Low, 1))
    );
}

#[test]
fn a_ruled_out_cause_explains_no_symptom() {
    let pack = pack();
    let mut b = Bundle::default();
    let log = b.artifact("b/w/kubelet.log", ArtifactKind::KubeletLog);
    b.packages("w", &["helper-utils"]);
    b.hit(&pack, "cause", log, 10, CAUSE);
    b.hit(
        &pack,
        "symptom",
        log,
        20,
        r#"E0418 08:44:00.000001    1187 x.go:1] symptom failed for volume "data""#,
    );
    let d = decide(&pack, &b);
    assert_eq!(d.findings, ["symptom@w (probable)"]);
    assert_eq!(d.ruled_out.len(), 1);
}

#[test]
fn a_later_mount_success_of_the_volume_resolves_the_failure() {
    let pack = pack();
    let plain = r#"E0418 08:42:39.000001    1187 x.go:1] plain failed for volume "data""#;
    let mut b = Bundle::default();
    let log = b.artifact("b/w/kubelet.log", ArtifactKind::KubeletLog);
    b.hit(&pack, "plain", log, 10, plain);
    b.facts(log).mount_successes.push(MountSuccess {
        line: 5,
        timestamp: None,
        volume: "data".into(),
        pod_uid: None,
    });
    let d = decide(&pack, &b);
    assert_eq!(
        d.findings.len(),
        1,
        "a success before the failure resolves nothing"
    );
    b.facts(log).mount_successes.push(MountSuccess {
        line: 11,
        timestamp: None,
        volume: "data".into(),
        pod_uid: None,
    });
    let d = decide(&pack, &b);
    assert!(d.findings.is_empty(), "{d:?}");
    assert_eq!(
        d.resolved,
        ["plain@w: resolved: volume data mounted after the last failure (b/w/kubelet.log line 11)"]
    );
}

#[test]
fn a_package_installed_after_the_last_failure_resolves_what_it_would_rule_out() {
    let pack = pack();
    let change = |month: u8| PackageChange {
        name: "helper-utils".into(),
        action: crate::facts::Action::Installed,
        from: None,
        to: Some("1.0-1".into()),
        time: Timestamp {
            year: Some(2023),
            month,
            day: 18,
            hour: 9,
            minute: 0,
            second: 0,
            micros: 0,
        },
        line: 3,
    };
    for (month, resolved) in [(5, true), (3, false)] {
        let mut b = Bundle::default();
        let log = b.artifact("b/w/kubelet.log", ArtifactKind::KubeletLog);
        b.facts(log).year = Some(2023);
        b.packages("w", &["helper-utils"]);
        let h = b.artifact("b/w/dnf.rpm.log", ArtifactKind::PackageHistory);
        b.facts(h).package_changes.push(change(month));
        b.hit(&pack, "cause", log, 10, CAUSE);
        let d = decide(&pack, &b);
        assert!(d.findings.is_empty());
        assert_eq!(
            d.resolved.len(),
            usize::from(resolved),
            "month {month}: {d:?}"
        );
        assert_eq!(
            d.ruled_out.len(),
            usize::from(!resolved),
            "month {month}: {d:?}"
        );
    }
}

#[test]
fn a_finding_names_its_pods_volumes_and_times() {
    let pack = pack();
    let mut b = Bundle::default();
    let log = b.artifact("b/w/kubelet.log", ArtifactKind::KubeletLog);
    b.facts(log).year = Some(2023);
    b.hit(&pack, "cause", log, 10, CAUSE);
    b.hit(
        &pack,
        "cause",
        log,
        30,
        r#"E0418 09:00:00.000001    1187 x.go:1] cause failed for volume "logs" pod "web-1""#,
    );
    let d = decide(&pack, &b);
    let (pods, volumes, _, first, last) = &d.details[0];
    assert_eq!(pods, &["shop/web-0", "web-1"]);
    assert_eq!(volumes, &["data", "logs"]);
    assert_eq!(first.as_deref(), Some("2023-04-18T08:42:39.000001"));
    assert_eq!(last.as_deref(), Some("2023-04-18T09:00:00.000001"));
}

// Later evidence in the bundle: what shows a failure over, per pod.

/// `plain` fails for volume `data` of `shop/web-0` at 08:42:39 and 08:44:39
/// (lines 10 and 20 of a 2024 kubelet log on node `w`).
fn failing_pod(pack: &RulePack) -> (Bundle, usize) {
    let mut b = Bundle::default();
    let log = b.artifact("b/w/kubelet.log", ArtifactKind::KubeletLog);
    b.facts(log).year = Some(2024);
    for (line, time) in [(10, "08:42:39"), (20, "08:44:39")] {
        b.hit(
            pack,
            "plain",
            log,
            line,
            &format!(r#"E0418 {time}.000001    1187 x.go:1] plain failed for volume "data" pod "shop/web-0""#),
        );
    }
    (b, log)
}

fn at(hour: u8, minute: u8) -> Option<Timestamp> {
    Some(Timestamp {
        year: Some(2024),
        month: 4,
        day: 18,
        hour,
        minute,
        second: 0,
        micros: 0,
    })
}

#[test]
fn a_pod_removed_from_the_node_after_its_last_failure_is_past() {
    let pack = pack();
    let removed = |line: u64| crate::facts::PodLifecycle {
        action: crate::facts::PodAction::Remove,
        namespace: "shop".into(),
        name: "web-0".into(),
        uid: None,
        timestamp: None,
        line,
    };
    // Removed between the two failures: the second is still current.
    let (mut b, log) = failing_pod(&pack);
    b.facts(log).pod_lifecycle.push(removed(15));
    assert_eq!(decide(&pack, &b).findings, ["plain@w (confirmed)"]);
    // Removed after the last one: over, and said where.
    let (mut b, log) = failing_pod(&pack);
    b.facts(log).pod_lifecycle.push(removed(30));
    let d = decide(&pack, &b);
    assert!(d.findings.is_empty(), "{d:?}");
    assert_eq!(
        d.resolved,
        ["plain@w: resolved: pod web-0 removed from the node (SyncLoop REMOVE) (b/w/kubelet.log line 30)"]
    );
}

#[test]
fn a_pod_its_controller_deleted_or_ready_again_later_is_past() {
    let pack = pack();
    let deleted = |time: &str| Event {
        kind: "Normal".into(),
        reason: "SuccessfulDelete".into(),
        object: Some("replicaset/web".into()),
        namespace: Some("shop".into()),
        source: Some("replicaset-controller".into()),
        message: "Deleted pod: web-0".into(),
        count: 1,
        age: Some(time.into()),
        line: 7,
        ..Event::default()
    };
    let events = |b: &mut Bundle, e: Event| {
        let a = b.artifact("b/namespaces/shop/core/events.yaml", ArtifactKind::Events);
        b.facts(a).events.push(e);
    };
    let (mut b, _) = failing_pod(&pack);
    events(&mut b, deleted("2024-04-18T08:43:00Z"));
    assert_eq!(
        decide(&pack, &b).findings.len(),
        1,
        "deleted before the last failure"
    );
    let (mut b, _) = failing_pod(&pack);
    events(&mut b, deleted("2024-04-18T08:50:00Z"));
    let d = decide(&pack, &b);
    assert!(d.findings.is_empty(), "{d:?}");
    assert!(d.resolved[0].contains("deleted by its controller (replicaset-controller)"));
    // Ready again: since after the last failure clears it, since before does not.
    let ready = |b: &mut Bundle, since: &str| {
        let a = b.artifact(
            "b/namespaces/shop/pods/web-0/web-0.yaml",
            ArtifactKind::PodJson,
        );
        b.facts(a).pods.push(crate::facts::PodFacts {
            name: "web-0".into(),
            namespace: Some("shop".into()),
            phase: Some("Running".into()),
            ready_since: Some(since.into()),
            ..crate::facts::PodFacts::default()
        });
    };
    let (mut b, _) = failing_pod(&pack);
    ready(&mut b, "2024-04-18T08:40:00Z");
    assert_eq!(
        decide(&pack, &b).findings.len(),
        1,
        "Ready before the last failure"
    );
    let (mut b, _) = failing_pod(&pack);
    ready(&mut b, "2024-04-18T08:45:10Z");
    let d = decide(&pack, &b);
    assert!(d.findings.is_empty(), "{d:?}");
    assert!(
        d.resolved[0].contains("pod web-0 Ready since 2024-04-18T08:45:10"),
        "{d:?}"
    );
}

#[test]
fn a_pod_missing_from_its_namespace_listing_is_gone_but_an_unlisted_namespace_says_nothing() {
    let pack = pack();
    let listing = |b: &mut Bundle, ns: &str| {
        let a = b.artifact(&format!("b/pods/{ns}.json"), ArtifactKind::PodJson);
        b.facts(a).pods.push(crate::facts::PodFacts {
            name: "web-1".into(),
            namespace: Some(ns.into()),
            ..crate::facts::PodFacts::default()
        });
    };
    let (mut b, _) = failing_pod(&pack);
    listing(&mut b, "kube-system");
    assert_eq!(decide(&pack, &b).findings.len(), 1);
    let (mut b, _) = failing_pod(&pack);
    listing(&mut b, "shop");
    let d = decide(&pack, &b);
    assert!(d.findings.is_empty(), "{d:?}");
    assert!(d.resolved[0].contains("is not among the 1 pods the bundle lists for namespace shop"));
}

#[test]
fn a_failure_only_just_after_the_kubelet_started_is_a_start_up_transient() {
    let pack = pack();
    let plain = |time: &str| {
        format!(r#"E0418 {time}.000001    1187 x.go:1] plain failed for volume "cache""#)
    };
    let transient = |last_log: Option<Timestamp>, fail_at: &str| {
        let mut b = Bundle::default();
        let log = b.artifact("b/w/kubelet.log", ArtifactKind::KubeletLog);
        b.facts(log).year = Some(2024);
        b.facts(log).kubelet_starts.push(crate::facts::LogMoment {
            line: 1,
            timestamp: at(8, 40),
        });
        b.facts(log).last_time = last_log;
        b.hit(&pack, "plain", log, 10, &plain(fail_at));
        decide(&pack, &b)
    };
    // Two minutes after the start, and an hour of log after it: over.
    let d = transient(at(9, 42), "08:42:00");
    assert!(d.findings.is_empty(), "{d:?}");
    assert!(d.resolved[0].contains("only in the first 10 minutes after the kubelet started"));
    // The log ends soon after: it cannot say the failure stopped.
    assert_eq!(transient(at(8, 45), "08:42:00").findings.len(), 1);
    // Half an hour after the start: not a start-up transient.
    assert_eq!(transient(at(9, 42), "09:10:00").findings.len(), 1);
}

#[test]
fn of_two_pods_only_the_one_still_failing_stays_a_finding() {
    let pack = pack();
    let (mut b, log) = failing_pod(&pack);
    b.hit(
        &pack,
        "plain",
        log,
        25,
        r#"E0418 08:45:39.000001    1187 x.go:1] plain failed for volume "data" pod "shop/web-1""#,
    );
    b.facts(log).pod_lifecycle.push(crate::facts::PodLifecycle {
        action: crate::facts::PodAction::Remove,
        namespace: "shop".into(),
        name: "web-0".into(),
        uid: None,
        timestamp: None,
        line: 30,
    });
    let d = decide(&pack, &b);
    assert_eq!(d.findings, ["plain@w (confirmed)"]);
    assert_eq!(d.details[0].0, ["shop/web-1"]);
    assert_eq!(d.resolved.len(), 1);
    assert!(d.resolved[0].contains("pod web-0 removed"), "{d:?}");
}

/// The kubelet logs a missing secret twice per attempt: `secret.go` names the
/// secret, `nestedpendingoperations.go` the pod, at the same instant
/// (must-gather-cnv-nodes, worker-0-486zc kubelet journal, lines 1-2).
#[test]
fn a_record_beside_the_one_naming_the_pod_is_the_same_failure() {
    let pack = pack();
    let mut b = Bundle::default();
    let log = b.artifact("b/w/kubelet.log", ArtifactKind::KubeletLog);
    b.hit(
        &pack,
        "plain",
        log,
        1,
        r#"E1201 10:18:23.773329    2855 secret.go:188] plain failed for volume "x""#,
    );
    // As `Couldn't get secret ns/x: secret "x" not found` does: no pod, no volume.
    if let Some(h) = b.obs.hits.last_mut() {
        h.captures.clear();
    }
    b.hit(
        &pack,
        "plain",
        log,
        2,
        r#"E1201 10:18:23.773396    2855 nestedpendingoperations.go:348] plain failed for volume "client-ca-bundle" pod "openshift-monitoring/metrics-server-84556684df-dhcwb""#,
    );
    let layout = layout::resolve(&b.obs.artifacts);
    let nodes = crate::node_facts::build(&b.obs, &layout);
    let v = evaluate(&pack, &b.obs, &layout, &nodes);
    assert_eq!(v.findings.len(), 1);
    let f = &v.findings[0];
    assert_eq!(
        f.affected.pods,
        ["openshift-monitoring/metrics-server-84556684df-dhcwb"]
    );
    assert_eq!(f.occurrences, 1, "one failed attempt, logged twice");
    drop(v);
    drop(nodes);
    // A minute apart, the same two records are two failures.
    if let Some(h) = b.obs.hits.last_mut() {
        h.record.timestamp = h.record.timestamp.map(|t| Timestamp { minute: 19, ..t });
    }
    let nodes = crate::node_facts::build(&b.obs, &layout);
    let v = evaluate(&pack, &b.obs, &layout, &nodes);
    assert_eq!(v.findings[0].occurrences, 2);
}

/// A rule whose own `resolve` condition says when its failure is over: the
/// CSI driver registering after its pods failed to find it.
#[test]
fn a_resolve_conditions_text_after_the_failure_on_its_node_ends_it() {
    let unregistered = r#"id = "unregistered"
title = "unregistered"
severity = "high"
category = "storage"
summary = "test rule"

[[signal]]
name = "failure"
in = ["kubelet-log"]
literals = ["not registered"]
regex = 'driver (?P<driver>\S+) not registered'

[[condition]]
name = "the driver registered later"
fact = "text"
expect = "present"
effect = "resolve"
in = ["kubelet-log"]
literals = ["Registered driver"]
regex = 'Registered driver (?P<driver>\S+)'
needs = "the kubelet log"

[fix]
summary = "register it"

[[example]]
kind = "kubelet-log"
match = true
source = "test"
text = 'driver a.csi.example.com not registered'

[[example]]
kind = "kubelet-log"
match = false
source = "test"
text = 'driver a.csi.example.com registered'
"#;
    let pack = load(&[("rules/unregistered.toml".into(), unregistered.into())])
        .unwrap_or_else(|e| panic!("{e}"));
    let run = |driver: &str, line: u64| {
        let mut b = Bundle::default();
        let log = b.artifact("b/w/kubelet.log", ArtifactKind::KubeletLog);
        let record = build_record(
            10,
            &["E0418 08:42:39.000001    1187 x.go:1] driver a.csi.example.com not registered"],
        );
        b.obs.hits.push(SignalHit {
            rule: 0,
            signal: 0,
            artifact: log,
            matched: String::new(),
            record,
            captures: [("driver".to_string(), "a.csi.example.com".to_string())].into(),
        });
        b.obs.texts.push(TextFound {
            rule: 0,
            condition: 0,
            artifact: log,
            line,
            timestamp: None,
            captures: [("driver".to_string(), driver.to_string())].into(),
        });
        decide(&pack, &b)
    };
    let d = run("a.csi.example.com", 20);
    assert!(d.findings.is_empty(), "{d:?}");
    assert_eq!(
        d.resolved,
        ["unregistered@w: resolved: the driver registered later (driver a.csi.example.com) (b/w/kubelet.log line 20)"]
    );
    // Another driver, or the same one before the failure: still current.
    assert_eq!(run("b.csi.example.com", 20).findings.len(), 1);
    assert_eq!(run("a.csi.example.com", 5).findings.len(), 1);
}

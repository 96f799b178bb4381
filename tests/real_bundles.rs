//! The bundles in `../shared/real-bundles/`: written by real collectors on
//! real clusters, none for podmortem. Each test pins what a support engineer
//! checks first: exactly the cluster's nodes (no folder or word taken for
//! one), the kind of the files whose names mislead, every finding's rule,
//! node, pods, volumes and times, and the environment the bundle states.
//! Facts and their evidence are in `../shared/real-bundles/README.md`.
//!
//! Without the folder (a checkout on its own) the tests say so and pass.

use std::path::{Path, PathBuf};

use podmortem::facts::ArtifactKind;
use podmortem::report::Report;
use podmortem::rules::load;
use podmortem::{Analyzer, Options};

fn real(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/real-bundles")
        .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} is not here", p.display());
        None
    }
}

fn report(path: &Path) -> Report {
    let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
    Analyzer::new(pack, Options::default())
        .analyze(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn nodes(r: &Report) -> Vec<&str> {
    let mut n: Vec<&str> = r
        .environment
        .nodes
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    n.sort_unstable();
    n
}

/// The kind of the inventory entry whose path ends with `suffix`.
fn kind(r: &Report, suffix: &str) -> ArtifactKind {
    r.inventory
        .iter()
        .find(|e| e.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no entry ends with {suffix}"))
        .kind
}

fn node<'r>(r: &'r Report, name: &str) -> &'r podmortem::report::model::NodeInfo {
    r.environment
        .nodes
        .iter()
        .find(|n| n.name == name)
        .unwrap_or_else(|| panic!("no node {name}: {:?}", nodes(r)))
}

/// (rule, nodes) of every finding.
fn findings(r: &Report) -> Vec<(String, Vec<String>)> {
    r.findings
        .iter()
        .map(|f| (f.rule.clone(), f.affected.nodes.clone()))
        .collect()
}

#[test]
fn troubleshoot_k3s_bundle() {
    let Some(b) = real("troubleshoot-k3s-support-bundle.tar.gz") else {
        return;
    };
    let r = report(&b);
    assert_eq!(nodes(&r), ["k3d-mycluster-server-0"]);
    assert!(r.findings.is_empty(), "{:?}", findings(&r));
    assert_eq!(r.environment.kubernetes, ["v1.24.4+k3s1"]);
    let n = node(&r, "k3d-mycluster-server-0");
    assert_eq!(n.runtime.as_deref(), Some("containerd 1.6.6-k3s1"));
    assert_eq!(n.kernel.as_deref(), Some("5.15.49-linuxkit"));
    assert_eq!(
        kind(&r, "cluster-resources/nodes.json"),
        ArtifactKind::NodeList
    );
    assert_eq!(
        kind(&r, "cluster-info/cluster_version.json"),
        ArtifactKind::Version
    );
    // The demo's analyzer verdicts and custom resources are configuration.
    assert_eq!(
        kind(&r, "support-bundle/analysis.json"),
        ArtifactKind::Config
    );
    // A pod's log is on the node its pod runs on, and names its pod.
    let traefik = r
        .unrecognized
        .iter()
        .find(|u| u.example.artifact.contains("pods/logs/kube-system/traefik"))
        .expect("traefik's connection errors are listed");
    assert_eq!(traefik.nodes, ["k3d-mycluster-server-0"]);
    // The word in a container's greeting is not a secret.
    assert_eq!(r.redactions.get("secret"), None);
}

#[test]
fn troubleshoot_ci_baseline() {
    let Some(b) = real("troubleshoot-k3s-ci-baseline/baseline.tar.gz") else {
        return;
    };
    let r = report(&b);
    assert_eq!(nodes(&r), ["primary-node"]);
    assert!(r.findings.is_empty(), "{:?}", findings(&r));
    assert_eq!(r.environment.kubernetes, ["v1.31.2+k3s1"]);
    // Event lists without `kind`, a Pod without `kind`, lists whose items
    // point at pods: each by what it is.
    assert_eq!(
        kind(&r, "run-example/run-example-events.json"),
        ArtifactKind::Events
    );
    assert_eq!(
        kind(&r, "run-example/run-example.json"),
        ArtifactKind::PodJson
    );
    assert_eq!(
        kind(&r, "cluster-resources/endpoints/kube-system.json"),
        ArtifactKind::Config
    );
    assert_eq!(
        kind(&r, "cluster-resources/volumeattachments.json"),
        ArtifactKind::VolumeAttachments
    );
    // An empty list is not a parse failure.
    let lease = r
        .inventory
        .iter()
        .find(|e| e.path.ends_with("events/kube-node-lease.json"))
        .expect("lease events");
    assert_eq!(lease.note, None);
    // Files troubleshoot names after the node are the node's.
    let invalid = r
        .unrecognized
        .iter()
        .find(|u| u.template.contains("invalid capacity"))
        .expect("the kubelet's start-up warning is listed");
    assert_eq!(invalid.nodes, ["primary-node"]);
    assert!(
        invalid.pods.is_empty(),
        "a Node's event names no pod: {:?}",
        invalid.pods
    );
    assert_eq!(
        invalid.first_seen.as_deref(),
        Some("2025-12-10T17:25:57.000000")
    );
}

#[test]
fn troubleshoot_2021_bare_arrays_and_an_ongoing_hostpath_failure() {
    let Some(b) = real("troubleshoot-2021-hostpath/support-bundle-2021-03-24T00_39_51.tar.gz")
    else {
        return;
    };
    let r = report(&b);
    // Folders of resources whose namespace is called docker-registry are not nodes.
    assert_eq!(nodes(&r), ["repldev-salah-new"]);
    assert_eq!(
        kind(&r, "cluster-resources/nodes.json"),
        ArtifactKind::NodeList
    );
    assert_eq!(
        kind(&r, "cluster-resources/events/default.json"),
        ArtifactKind::Events
    );
    assert_eq!(
        kind(&r, "cluster-resources/pods/default.json"),
        ArtifactKind::PodJson
    );
    assert_eq!(
        kind(&r, "cluster-resources/deployments/docker-registry.json"),
        ArtifactKind::Config
    );
    assert_eq!(
        findings(&r),
        [(
            "hostpath-type-check".to_string(),
            vec!["repldev-salah-new".to_string()]
        )]
    );
    let f = &r.findings[0];
    assert_eq!(
        f.affected.pods,
        [
            "default/troubleshoot54lbp-b6f6m",
            "default/troubleshootvgknq-fxscx"
        ]
    );
    assert_eq!(f.affected.volumes, ["rrd"]);
    assert_eq!(f.first_seen.as_deref(), Some("2021-03-11T19:12:56.000000"));
    assert_eq!(f.last_seen.as_deref(), Some("2021-03-24T00:33:48.000000"));
    assert_eq!(f.occurrences, 8655 + 8660);
    assert!(
        f.fix.summary.contains("repldev-salah-new")
            || f.fix.steps.iter().any(|s| s.contains("repldev-salah-new"))
    );
    let n = node(&r, "repldev-salah-new");
    assert_eq!(n.os.as_deref(), Some("Ubuntu 18.04.5 LTS"));
    assert_eq!(r.environment.kubernetes, ["v1.20.2+k3s1"]);
    // What no rule knows yet is listed, on its pods: images that never pull.
    let pull = r
        .unrecognized
        .iter()
        .find(|u| u.template.contains("ImagePullBackOff"))
        .expect("ImagePullBackOff is listed");
    assert_eq!(
        pull.pods,
        [
            "qakots/kotsadm-migrations-1616434755",
            "qakots/kotsadm-minio-0"
        ]
    );
}

#[test]
fn sbctl_kurl_three_nodes_and_longhorn_nodes_that_are_not() {
    let Some(b) = real("sbctl-kurl-longhorn/bundle") else {
        return;
    };
    let r = report(&b);
    assert_eq!(
        nodes(&r),
        [
            "troubleshoot-demo-001",
            "troubleshoot-demo-002",
            "troubleshoot-demo-003"
        ]
    );
    assert_eq!(
        kind(
            &r,
            "custom-resources/nodes.longhorn.io/longhorn-system.yaml"
        ),
        ArtifactKind::Config
    );
    assert_eq!(r.environment.kubernetes, ["v1.23.5"]);
    for n in &r.environment.nodes {
        assert_eq!(n.os.as_deref(), Some("Ubuntu 18.04.6 LTS"), "{}", n.name);
        assert_eq!(n.runtime.as_deref(), Some("docker 20.10.5"), "{}", n.name);
    }
    let backoff = r
        .unrecognized
        .iter()
        .find(|u| u.template.contains("Back-off restarting failed container"))
        .expect("velero's crash loop is listed");
    assert_eq!(backoff.nodes, ["troubleshoot-demo-002"]);
    assert!(
        backoff.pods.iter().all(|p| p.starts_with("velero/")),
        "{:?}",
        backoff.pods
    );
    assert_eq!(
        backoff.first_seen.as_deref(),
        Some("2022-04-12T00:30:34.000000")
    );
}

#[test]
fn must_gather_aws_six_nodes_and_three_masters_in_one_journal() {
    let Some(b) = real("must-gather-aws-ci/must-gather-aws.tar.xz") else {
        return;
    };
    let r = report(&b);
    assert_eq!(
        nodes(&r),
        [
            "ip-10-0-129-220.ec2.internal",
            "ip-10-0-151-183.ec2.internal",
            "ip-10-0-187-218.ec2.internal",
            "ip-10-0-189-142.ec2.internal",
            "ip-10-0-195-177.ec2.internal",
            "ip-10-0-254-204.ec2.internal",
        ]
    );
    // Files named after the kubelet that are a CRD, an APIRequestCount, a
    // MachineConfig and a ServiceMonitor; an HTML copy of the events.
    for yaml in [
        "customresourcedefinitions/kubeletconfigs.machineconfiguration.openshift.io.yaml",
        "apirequestcounts/kubeletconfigs.v1.machineconfiguration.openshift.io.yaml",
        "machineconfigs/01-master-kubelet.yaml",
        "servicemonitors/kubelet.yaml",
        "apirequestcounts/events.v1.yaml",
    ] {
        assert_eq!(kind(&r, yaml), ArtifactKind::Config, "{yaml}");
    }
    assert_eq!(kind(&r, "event-filter.html"), ArtifactKind::Skipped);
    // The masters' journal holds three hosts: each master has it as its log.
    for m in [
        "ip-10-0-187-218.ec2.internal",
        "ip-10-0-189-142.ec2.internal",
        "ip-10-0-195-177.ec2.internal",
    ] {
        assert!(
            node(&r, m)
                .logs
                .iter()
                .any(|l| l.ends_with("kubelet_service.log")),
            "{m}"
        );
    }
    assert!(node(&r, "ip-10-0-129-220.ec2.internal").logs.is_empty());
    assert_eq!(r.environment.kubernetes, ["v1.21.1+38b3ecc"]);
    let n = node(&r, "ip-10-0-195-177.ec2.internal");
    assert_eq!(
        n.runtime.as_deref(),
        Some("cri-o 1.21.2-8.rhaos4.8.git8d4264e.el8")
    );
    assert!(n.conflicts.is_empty(), "{:?}", n.conflicts);
    // The install-time secret failures on the masters are over: each volume
    // mounted later in the same journal.
    for (node, line) in [
        ("ip-10-0-189-142.ec2.internal", "line 7517"),
        ("ip-10-0-195-177.ec2.internal", "line 2418"),
    ] {
        let resolved = r
            .resolved
            .iter()
            .find(|x| x.rule == "configmap-secret-missing" && x.nodes == [node])
            .unwrap_or_else(|| panic!("{node}: {:?}", r.resolved));
        assert!(resolved.reason.contains(line), "{}", resolved.reason);
    }
    // The worker's prometheus-adapter pod has no journal in the bundle: its
    // ReplicaSet deleted it after its last failure (`SuccessfulDelete`, 09:26:51).
    let adapter = r
        .resolved
        .iter()
        .find(|x| {
            x.rule == "configmap-secret-missing" && x.nodes == ["ip-10-0-254-204.ec2.internal"]
        })
        .unwrap_or_else(|| panic!("{:?}", r.resolved));
    assert_eq!(
        adapter.pods,
        ["openshift-monitoring/prometheus-adapter-b8d88cf84-kd4lb"]
    );
    let deleted = &adapter.cleared_by[0];
    assert!(
        deleted.what.contains("deleted by its controller"),
        "{deleted:?}"
    );
    assert!(deleted
        .artifact
        .ends_with("namespaces/openshift-monitoring/core/events.yaml"));
    assert_eq!(
        deleted.timestamp.as_deref(),
        Some("2021-08-03T09:26:51.000000")
    );
    // Everything was install-time and cleared: no current finding at all, and
    // the mount timeouts fold into the same history.
    assert!(r.findings.is_empty(), "{:?}", findings(&r));
    assert!(r.resolved.iter().any(|x| x.rule == "mount-wait-timeout"));
    // Nothing is read from the two HTML copies of the events.
    assert!(r
        .unrecognized
        .iter()
        .all(|u| !u.example.artifact.ends_with(".html")));
}

#[test]
fn must_gather_cnv_per_node_journals_and_sysinfo() {
    let Some(b) = real("must-gather-cnv-nodes/bundle") else {
        return;
    };
    let r = report(&b);
    assert_eq!(
        nodes(&r),
        [
            "qemtv-05-s8dvn-master-0",
            "qemtv-05-s8dvn-master-1",
            "qemtv-05-s8dvn-master-2",
            "qemtv-05-s8dvn-worker-0-486zc",
            "qemtv-05-s8dvn-worker-0-8qpfm",
            "qemtv-05-s8dvn-worker-0-dfzxc",
        ]
    );
    // A BIOS and a Nova version are not component versions.
    assert_eq!(
        kind(&r, "sys/class/dmi/id/bios_version"),
        ArtifactKind::Config
    );
    assert_eq!(
        kind(&r, "qemtv-05-s8dvn-master-0/proc_cmdline"),
        ArtifactKind::KernelCmdline
    );
    assert_eq!(
        kind(&r, "qemtv-05-s8dvn-master-0/pods_info.json"),
        ArtifactKind::PodJson
    );
    for n in &r.environment.nodes {
        assert_eq!(
            n.kernel.as_deref(),
            Some("5.14.0-427.42.1.el9_4.x86_64"),
            "{}",
            n.name
        );
        assert_eq!(n.runtime.as_deref(), Some("cri-o"), "{}", n.name);
        assert_eq!(n.logs.len(), 1, "{}: its own kubelet journal", n.name);
    }
    // Two rollouts deleted the metrics-server pods whose client CA secret was
    // rotated away: past failures, each cleared by its `SyncLoop REMOVE`.
    assert!(r.findings.is_empty(), "{:?}", findings(&r));
    let mut resolved: Vec<(&str, &str, Option<u64>, u64)> = r
        .resolved
        .iter()
        .map(|x| {
            (
                x.nodes[0].as_str(),
                x.pods[0].as_str(),
                x.cleared_by[0].line,
                x.occurrences,
            )
        })
        .collect();
    resolved.sort();
    assert_eq!(
        resolved,
        [
            (
                "qemtv-05-s8dvn-worker-0-486zc",
                "openshift-monitoring/metrics-server-84556684df-dhcwb",
                Some(120),
                9
            ),
            (
                "qemtv-05-s8dvn-worker-0-dfzxc",
                "openshift-monitoring/metrics-server-6f4d96d847-x95pn",
                Some(165),
                9
            ),
        ]
    );
    for x in &r.resolved {
        assert_eq!(x.volumes, ["client-ca-bundle"]);
        assert!(x.cleared_by[0].what.contains("SyncLoop REMOVE"));
        assert!(x
            .first_seen
            .as_deref()
            .is_some_and(|t| t.starts_with("2024-12-01T10:")));
    }
}

#[test]
fn windows_kubelet_log() {
    let Some(b) = real("windows-kubelet-e2e/bundle") else {
        return;
    };
    let r = report(&b);
    assert_eq!(nodes(&r), ["e2e-test-ramosalex-windows-node-group-tz6r"]);
    assert_eq!(kind(&r, "kubelet.log"), ArtifactKind::KubeletLog);
    assert!(r.findings.is_empty(), "{:?}", findings(&r));
    let n = node(&r, "e2e-test-ramosalex-windows-node-group-tz6r");
    assert_eq!(n.runtime.as_deref(), Some("docker 18.09.7"));
    assert_eq!(
        n.os.as_deref(),
        Some("Windows Server Datacenter Version 1809 (OS Build 17763.615)")
    );
    assert!(n
        .kernel
        .as_deref()
        .is_some_and(|k| k.starts_with("10.0 17763")));
    assert_eq!(
        r.environment.kubernetes,
        ["v1.17.0-alpha.0.342+3baa8eb75ccbfc-dirty"]
    );
    // `*v1.Secret: secrets "x" is forbidden` names a type and a word, no secret.
    assert_eq!(r.redactions.get("secret"), None, "{:?}", r.redactions);
    // The year is in the klog file's header.
    assert!(r
        .unrecognized
        .iter()
        .filter_map(|u| u.first_seen.as_deref())
        .all(|t| t.starts_with("2019-08-")));
}

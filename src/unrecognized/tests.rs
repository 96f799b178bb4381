//! Tests of messages, templates and clusters, on real lines.

use super::cluster::*;
use super::message::*;
use super::template::*;
use super::*;
use crate::facts::ArtifactKind;

// Real lines from the eval bundles (pub01..03) and samples/.
const PUB02_NESTED: &str = r#"E0514 10:45:50.359846    1288 nestedpendingoperations.go:348] Operation for "{volumeName:kubernetes.io/nfs/2d1d501f-91ae-4eae-b1c0-c4251fe8927c-media-library-pv podName:2d1d501f-91ae-4eae-b1c0-c4251fe8927c nodeName:}" failed. No retries permitted until 2024-05-14 10:45:50.859846922 +0000 UTC m=+1580.188635177 (durationBeforeRetry 500ms). Error: MountVolume.SetUp failed for volume "media-library-pv" (UniqueName: "kubernetes.io/nfs/2d1d501f-91ae-4eae-b1c0-c4251fe8927c-media-library-pv") pod "media-indexer-0" (UID: "2d1d501f-91ae-4eae-b1c0-c4251fe8927c") : mount failed: exit status 32"#;
const PUB02_EVENT: &str = r#"  Warning  FailedMount  45s (x14 over 13m)  kubelet            MountVolume.SetUp failed for volume "media-library-pv" : mount failed: exit status 32"#;
const PUB02_STRUCTURED: &str = r#"E0514 10:47:53.173238    1288 pod_workers.go:1298] "Error syncing pod, skipping" err="unmounted volumes=[media-library], unattached volumes=[], failed to process volumes=[]: context deadline exceeded" pod="media/media-indexer-0" podUID="2d1d501f-91ae-4eae-b1c0-c4251fe8927c""#;
const PUB02_NAMESERVER: &str = r#"E0514 10:36:11.109223    1288 dns.go:153] "Nameserver limits exceeded" err="Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.9.8.2 10.9.8.3 1.1.1.1""#;
const PUB01_SYSSTATS: &str = r#"E0418 07:58:44.374481    1187 summary_sys_containers.go:48] "Failed to get system container stats" err="failed to get cgroup stats for "/system.slice/docker.service": failed to get container info for "/system.slice/docker.service": unknown container "/system.slice/docker.service"" containerName="/system.slice/docker.service""#;
const PUB03_CONTAINERD: &str = r#"time="2021-02-03T11:18:48.752608384Z" level=error msg="StartContainer for "2d343fd75710f1200b57a0fa9342385653ed4b657e4ed4bc1b1d8ceb63a9601d" failed" error="failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/2d343fd75710f1200b57a0fa9342385653ed4b657e4ed4bc1b1d8ceb63a9601d/rootfs/app/config/production.json" caused: no such file or directory: unknown""#;
const PUB03_GET_EVENT: &str = r#"shop        20m         Warning   Failed    pod/web-7c9d8f6b54-kvvcj   Error: failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/2f08069e3610a3a456018b85f302685763e6260dbfd71f3180c81c307eba5899/rootfs/app/config/production.json" caused: no such file or directory: unknown"#;
const PUB03_SKIPPING: &str = "E0203 06:10:32.093692    1342 kubelet.go:1844] skipping pod synchronization - [container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]";
const SAMPLE_READINESS_I: &str = r#"I0614 06:12:21.315252    1318 prober.go:116] Readiness probe for "orders-6c8f7d9b54-prfmv_erp(ea018f7b-5ea8-4979-bfc1-2061a5eba044):orders" failed (failure): Get http://10.244.3.35:8080/ready: net/http: request canceled (Client.Timeout exceeded while awaiting headers)"#;
const PUB01_MOUNT_MULTI: &str = "E0418 08:42:39.991535    1187 mount_linux.go:184] Mount failed: exit status 32\nMounting command: systemd-run\nMounting arguments: --description=Kubernetes transient mount for /var/lib/kubelet/pods/dfc59589-4641-4a77-814a-d17286065e2d/volumes/kubernetes.io~nfs/reports-archive --scope -- mount -t nfs 10.1.2.3:/export/reports /var/lib/kubelet/pods/dfc59589-4641-4a77-814a-d17286065e2d/volumes/kubernetes.io~nfs/reports-archive\nOutput: Running scope as unit run-23817.scope.\nmount: wrong fs type, bad option, bad superblock on 10.1.2.3:/export/reports,\n       missing codepage or helper program, or other error";

fn occ<'a>(
    artifact: &'a str,
    line: u64,
    text: &'a str,
    ts: Option<&str>,
    pod: Option<&'a str>,
) -> Occurrence<'a> {
    Occurrence {
        artifact,
        line,
        text,
        timestamp: ts.and_then(|t| crate::logline::iso_time(t).map(|(t, _)| t)),
        until: None,
        count: 1,
        node: Some("node-1"),
        pod,
    }
}

/// Deterministic pseudo-random source (no dev-dependencies).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| {
                let i = (self.next() as usize) % alphabet.len();
                char::from(alphabet.get(i).copied().unwrap_or(b'x'))
            })
            .collect()
    }
    fn uid(&mut self) -> String {
        let h = b"0123456789abcdef";
        format!(
            "{}-{}-{}-{}-{}",
            self.pick(h, 8),
            self.pick(h, 4),
            self.pick(h, 4),
            self.pick(h, 4),
            self.pick(h, 12)
        )
    }
    fn pod(&mut self) -> String {
        let s = b"bcdfghjklmnpqrstvwxz2456789";
        let apps = ["web", "api-gateway", "billing-worker", "orders", "cart-svc"];
        let app = apps
            .get((self.next() as usize) % apps.len())
            .copied()
            .unwrap_or("web");
        format!("{app}-{}-{}", self.pick(s, 10), self.pick(s, 5))
    }
}

/// The unknown failure, in the three shapes a bundle has it: kubelet E line,
/// describe event row, `kubectl get events` row.
fn unknown_failure(i: usize, r: &mut Lcg) -> (ArtifactKind, String) {
    let uid = r.uid();
    let pod_uid = r.uid();
    let pod = r.pod();
    let ip = format!(
        "10.{}.{}.{}",
        r.next() % 250,
        r.next() % 250,
        r.next() % 250
    );
    let durs = ["500ms", "1s", "2s", "4s", "1m4s", "2m2s"];
    let dur = durs.get(i % durs.len()).copied().unwrap_or("2m2s");
    let secs = r.next() % 60;
    let ms = r.next() % 1000;
    let msg_tail = format!(
        "rpc error: code = Internal desc = rbd image replicapool/csi-vol-{uid} is still being used by {ip}:0/{}: quorum epoch mismatch",
        r.next() % 100000
    );
    match i % 3 {
        0 => (
            ArtifactKind::KubeletLog,
            format!(
                r#"E0514 10:{:02}:{secs:02}.{ms:03}846    1288 nestedpendingoperations.go:348] Operation for "{{volumeName:kubernetes.io/csi/rbd.csi.ceph.com^0001-0024-{uid} podName: nodeName:}}" failed. No retries permitted until 2024-05-14 10:{:02}:{secs:02}.859846922 +0000 UTC m=+{}.188635177 (durationBeforeRetry {dur}). Error: MountVolume.MountDevice failed for volume "pvc-{uid}" (UniqueName: "kubernetes.io/csi/rbd.csi.ceph.com^0001-0024-{uid}") pod "{pod}" (UID: "{pod_uid}") : {msg_tail}"#,
                i % 60,
                i % 60,
                1000 + i * 37
            ),
        ),
        1 => (
            ArtifactKind::PodDescribe,
            format!(
                r#"  Warning  FailedMount  {}s (x{} over {}m)  kubelet  MountVolume.MountDevice failed for volume "pvc-{uid}" : {msg_tail}"#,
                i + 3,
                i % 9 + 2,
                i + 10
            ),
        ),
        _ => (
            ArtifactKind::Events,
            format!(
                r#"ns-{}      {}m         Warning   FailedMount   pod/{pod}   MountVolume.MountDevice failed for volume "pvc-{uid}" : {msg_tail}"#,
                i % 4,
                i + 1
            ),
        ),
    }
}

#[test]
fn all_patterns_compile() {
    assert!(template_re().is_some());
    for f in [
        uid_full,
        ip_full,
        hex_full,
        pod_full,
        detailed_re,
        error_words,
        warning_words,
        benign_re,
    ] {
        assert!(f().is_some());
    }
}

#[test]
fn klog_levels_and_headers() {
    let (l, m) = message_of(ArtifactKind::KubeletLog, PUB01_MOUNT_MULTI).unwrap();
    assert_eq!(l, Level::Error);
    assert!(m.starts_with("Mount failed: exit status 32\nMounting command: systemd-run"));
    let w = "W0514 10:19:31.872481    1288 watcher.go:93] Error while processing event \"/sys/fs/cgroup/x\": no such file";
    assert_eq!(
        message_of(ArtifactKind::KubeletLog, w).unwrap().0,
        Level::Warning
    );
    assert_eq!(
        message_of(ArtifactKind::KubeletLog, SAMPLE_READINESS_I),
        None
    );
    assert_eq!(
        message_of(
            ArtifactKind::KubeletLog,
            "I0514 10:19:31.872481    1288 kubelet.go:1] Started kubelet"
        ),
        None
    );
    // Structured klog: the msg and the err value, not pod/podUID.
    let (_, m) = message_of(ArtifactKind::KubeletLog, PUB02_STRUCTURED).unwrap();
    assert_eq!(m, "Error syncing pod, skipping: unmounted volumes=[media-library], unattached volumes=[], failed to process volumes=[]: context deadline exceeded");
    let (_, m) = message_of(ArtifactKind::KubeletLog, PUB01_SYSSTATS).unwrap();
    assert!(m.starts_with("Failed to get system container stats: failed to get cgroup stats for \"/system.slice/docker.service\""));
    assert!(
        m.ends_with("unknown container \"/system.slice/docker.service\""),
        "{m}"
    );
}

#[test]
fn nested_wrapper_and_event_give_one_template() {
    let (l1, k) = message_of(ArtifactKind::KubeletLog, PUB02_NESTED).unwrap();
    let (l2, e) = message_of(ArtifactKind::PodDescribe, PUB02_EVENT).unwrap();
    assert_eq!((l1, l2), (Level::Error, Level::Warning));
    assert_eq!(
        k,
        r#"MountVolume.SetUp failed for volume "media-library-pv" : mount failed: exit status 32"#
    );
    assert_eq!(k, e);
    assert_eq!(
        template(&k),
        r#"MountVolume.SetUp failed for volume "<name>" : mount failed: exit status <num>"#
    );
    // 1.17 quotes the wrapped error.
    let old = r#"E0203 11:18:48.1 1342 nestedpendingoperations.go:301] Operation for ""kubernetes.io/nfs/4b44a988-d410-4d1f-8916-3c3382a4c4bf-data" ("4b44a988-d410-4d1f-8916-3c3382a4c4bf")" failed. No retries permitted until 2021-02-03 11:20:50.1 +0000 UTC m=+4.1 (durationBeforeRetry 2m2s). Error: "MountVolume.SetUp failed for volume "data" (UniqueName: "kubernetes.io/nfs/4b44a988-d410-4d1f-8916-3c3382a4c4bf-data") pod "web-7c9d8f6b54-kvvcj" (UID: "4b44a988-d410-4d1f-8916-3c3382a4c4bf") : mount failed: exit status 32""#;
    let (_, m) = message_of(ArtifactKind::KubeletLog, old).unwrap();
    assert_eq!(template(&m), template(&e));
}

#[test]
fn runtime_and_event_rows() {
    let (l, m) = message_of(ArtifactKind::RuntimeLog, PUB03_CONTAINERD).unwrap();
    assert_eq!(l, Level::Error);
    assert!(m.starts_with(r#"StartContainer for "2d343fd75710f1200b57a0fa9342385653ed4b657e4ed4bc1b1d8ceb63a9601d" failed: failed to create containerd task"#), "{m}");
    assert!(m.ends_with("no such file or directory: unknown"), "{m}");
    let info = r#"time="2021-02-03T11:18:48.7Z" level=info msg="StartContainer for \"2d34\" returns error""#;
    assert_eq!(message_of(ArtifactKind::RuntimeLog, info), None);
    let warn = r#"time="2021-02-03T11:18:48.7Z" level=warning msg="cleanup warnings time=\"2021\" level=info msg=\"starting signal loop\"""#;
    assert_eq!(
        message_of(ArtifactKind::RuntimeLog, warn).unwrap().0,
        Level::Warning
    );

    let (l, m) = message_of(ArtifactKind::Events, PUB03_GET_EVENT).unwrap();
    assert_eq!(l, Level::Warning);
    assert!(m.starts_with("Error: failed to create containerd task"));
    let combined = "  Warning  FailedMount  3m47s (x6 over 5m49s)  kubelet  (combined from similar events): Unable to attach or mount volumes: unmounted volumes=[reports-archive], unattached volumes=[report-templates kube-api-access-499z2 reports-archive]: timed out waiting for the condition";
    let (_, m) = message_of(ArtifactKind::PodDescribe, combined).unwrap();
    assert!(m.starts_with("Unable to attach or mount volumes:"));
    assert_eq!(
        template(&m),
        "Unable to attach or mount volumes: unmounted volumes=[<list>], unattached volumes=[<list>]: timed out waiting for the condition"
    );
    // Normal rows, headers and other describe lines are not error-like.
    for t in [
        "  Normal   Pulled     20m   kubelet, k8s-node-7  Container image \"nginx\" already present",
        "shop        20m         Normal    Pulled    pod/web-7c9d8f6b54-kvvcj   Successfully pulled",
        "  Type     Reason       Age   From     Message",
        "      Message:      OCI runtime create failed",
    ] {
        assert_eq!(message_of(ArtifactKind::PodDescribe, t), None, "{t}");
        assert_eq!(message_of(ArtifactKind::Events, t), None, "{t}");
    }
    // Old kubectl layout: LAST SEEN FIRST SEEN COUNT NAME KIND SUBOBJECT TYPE REASON SOURCE MESSAGE.
    let old = "5m   20m   29   web-7c9d8f6b54-kvvcj.1664   Pod   spec.containers{web}   Warning   BackOff   kubelet, k8s-node-7   Back-off restarting failed container";
    assert_eq!(
        message_of(ArtifactKind::Events, old).unwrap().1,
        "Back-off restarting failed container"
    );
}

#[test]
fn plain_lines_by_kind() {
    let go = "2024/08/13 17:56:36 [adaptor/proxy] RemoveContainer fails: rpc error";
    assert_eq!(
        message_of(ArtifactKind::OtherLog, go).unwrap().1,
        "[adaptor/proxy] RemoveContainer fails: rpc error"
    );
    let dmesg = "[18525.494577] Memory cgroup out of memory: Killed process 4211 (java)";
    assert_eq!(
        message_of(ArtifactKind::Dmesg, dmesg).unwrap(),
        (
            Level::Error,
            "Memory cgroup out of memory: Killed process 4211 (java)".to_string()
        )
    );
    assert_eq!(
        message_of(
            ArtifactKind::Dmesg,
            "[18525.494577] memory: usage 524288kB, limit 524288kB, failcnt 18211"
        ),
        None
    );
    let cri = "2024-05-14T10:45:50.359846Z stderr F E0514 10:45:50.359846       1 controller.go:1] \"Failed to provision volume\" err=\"quota exceeded\"";
    assert_eq!(
        message_of(ArtifactKind::OtherLog, cri).unwrap().1,
        "Failed to provision volume: quota exceeded"
    );
    assert_eq!(
        message_of(ArtifactKind::OtherLog, "Starting server on :8080"),
        None
    );
    assert_eq!(
        message_of(
            ArtifactKind::Packages,
            "ii  libfailed-dev  1.0  error handling"
        ),
        None
    );
    let json = r#"{"level":"error","ts":1715683550.1,"msg":"GRPC error","error":"rpc error: code = Internal desc = boom"}"#;
    assert_eq!(
        message_of(ArtifactKind::OtherLog, json).unwrap().1,
        "GRPC error: rpc error: code = Internal desc = boom"
    );
    assert_eq!(
        message_of(
            ArtifactKind::OtherLog,
            r#"{"level":"info","msg":"error budget ok"}"#
        ),
        None
    );
}

#[test]
fn placeholders() {
    let t = template(PUB02_NESTED.split("] ").nth(1).unwrap_or(""));
    assert!(t.contains("until <ts> (durationBeforeRetry <dur>)"), "{t}");
    assert!(t.contains("(UID: \"<uid>\")"), "{t}");
    assert_eq!(
        template(
            "pod web-7c9d8f6b54-kvvcj on 10.244.3.35:8080 and fe80::1 took 1h0m0s, 500ms, exit 32"
        ),
        "pod <pod> on <ip> and <ip> took <dur>, <dur>, exit <num>"
    );
    assert_eq!(
        template("k8s_web_web-7c9d8f6b54-kvvcj_shop_4b44a988-d410-4d1f-8916-3c3382a4c4bf_0 sha256:2d343fd75710f1200b57a0fa93423856"),
        "k8s_web_<pod>_shop_<uid>_0 <id>"
    );
    assert_eq!(
        template(
            r#"failed to "StartContainer" for "web" with RunContainerError: mounting "/var/lib/x/0" at /run/y: 'exit-code'"#
        ),
        r#"failed to "StartContainer" for "<name>" with RunContainerError: mounting "<path>" at <path>: '<name>'"#
    );
    assert_eq!(
        template("mount -t nfs 10.1.2.3:/export/reports /var/lib/kubelet/pods/x at Feb 03 06:10:31 and 2021-02-03T11:18:48.752608384Z"),
        "mount -t nfs <ip>:<path> <path> at <ts> and <ts>"
    );
    assert_eq!(
        template("db-0 and db-12 restarted"),
        "db-<num> and db-<num> restarted"
    );
    assert_eq!(
        template("Get http://10.0.0.1:6443/api?x=1: EOF"),
        "Get <url> EOF"
    );
    // Constant words stay.
    assert_eq!(
        template("no space left on device"),
        "no space left on device"
    );
}

#[test]
fn pod_references_and_near_misses() {
    let uid = "0b8f3c2e-1d4a-4f6b-9c7e-5a2b1c3d4e5f";
    assert_eq!(
        template(&format!("pod=kafka-0_payments({uid})")),
        "pod=<pod>"
    );
    assert_eq!(
        template(&format!("pod web-7d9f8b6c4d-x2k9p_shop({uid}) failed")),
        "pod <pod> failed"
    );
    // Not a pod reference: no UID in the parentheses, or a capitalised name.
    assert_eq!(
        template("pod=kafka-0_payments(x)"),
        "pod=kafka-0_payments(x)"
    );
    assert_eq!(
        template(&format!("Kafka_Payments({uid})")),
        "Kafka_Payments(<uid>)"
    );
}

#[test]
fn forty_variants_of_one_unknown_failure_are_one_cluster() {
    let mut r = Lcg(7);
    let mut c = Clusterer::new(1000);
    for i in 0..40 {
        let (kind, text) = unknown_failure(i, &mut r);
        let (level, msg) = message_of(kind, &text).unwrap();
        c.add(
            level,
            &msg,
            occ(
                kind.as_str(),
                i as u64 + 1,
                &text,
                Some(&format!("2024-05-14T10:{:02}:00", i % 60)),
                None,
            ),
        );
    }
    // Background: benign noise (more frequent) and some other real errors.
    for i in 0..120 {
        for line in [PUB01_SYSSTATS, PUB02_NAMESERVER, PUB03_SKIPPING] {
            let (level, msg) = message_of(ArtifactKind::KubeletLog, line).unwrap();
            c.add(level, &msg, occ("kubelet-log", 1000 + i, line, None, None));
        }
    }
    for i in 0..5 {
        let (level, msg) = message_of(ArtifactKind::KubeletLog, PUB02_STRUCTURED).unwrap();
        c.add(
            level,
            &msg,
            occ("kubelet-log", 2000 + i, PUB02_STRUCTURED, None, None),
        );
    }
    let out = c.finish(20);
    let hits: Vec<&Cluster> = out
        .iter()
        .filter(|k| {
            k.template.contains("quorum epoch mismatch")
                || k.example_text.contains("quorum epoch mismatch")
        })
        .collect();
    assert!((1..=2).contains(&hits.len()), "{out:#?}");
    assert_eq!(hits.iter().map(|k| k.count).sum::<u64>(), 40, "{out:#?}");
    assert_eq!(out.first().map(|k| k.count), Some(40), "{out:#?}");
    assert_eq!(out.first().map(|k| k.level), Some(Level::Error));
    // Benign noise ranks after every real error.
    let first_benign = out.iter().position(|k| k.benign).unwrap_or(out.len());
    assert!(out.iter().skip(first_benign).all(|k| k.benign));
    assert_eq!(first_benign, 2, "{out:#?}");
}

#[test]
fn different_failures_stay_apart() {
    let msgs = [
        r#"MountVolume.SetUp failed for volume "a" : mount failed: exit status 32"#,
        r#"MountVolume.SetUp failed for volume "b" : no space left on device"#,
        r#"MountVolume.SetUp failed for volume "c" : context deadline exceeded"#,
        r#"MountVolume.SetUp failed for volume "d" : mount failed: exit status 1"#,
    ];
    let mut c = Clusterer::new(100);
    for (i, m) in msgs.iter().enumerate() {
        for j in 0..3 {
            c.add(
                Level::Error,
                m,
                occ("kubelet-log", (i * 10 + j) as u64, m, None, None),
            );
        }
    }
    let out = c.finish(10);
    assert_eq!(out.len(), 3, "{out:#?}");
    let exit = out
        .iter()
        .find(|k| k.template.contains("exit status"))
        .map(|k| k.count);
    assert_eq!(exit, Some(6));
}

#[test]
fn drain_merges_unquoted_names_and_fold_joins_error_chains() {
    let mut c = Clusterer::new(100);
    for (i, v) in ["alpha", "beta", "gamma"].iter().enumerate() {
        let m =
            format!("volume {v} of claim data could not be attached to the node: quota reached");
        c.add(Level::Error, &m, occ("a", i as u64, &m, None, None));
    }
    let chain = "rpc error: code = Unknown desc = failed to setup network for sandbox <id>: plugin type=<name> failed (add): ipam exhausted in pool blue";
    let a = format!("Failed to create sandbox for pod: {chain}");
    let b = format!("Failed to create pod sandbox: {chain}");
    let d = format!("Error syncing pod, skipping: failed to \"CreatePodSandbox\" for \"web\" with CreatePodSandboxError: \"Failed to create sandbox for pod \"web\": {chain}\"");
    for (i, m) in [a, b, d].iter().enumerate() {
        c.add(Level::Error, m, occ("k", i as u64, m, None, None));
    }
    let out = c.finish(10);
    assert_eq!(out.len(), 2, "{out:#?}");
    assert!(out
        .iter()
        .any(|k| k.count == 3 && k.template.contains("volume <*> of claim")));
    assert!(out
        .iter()
        .any(|k| k.count == 3 && k.template.contains("ipam exhausted")));
}

#[test]
fn mount_utils_line_folds_into_the_volume_error_that_repeats_it() {
    let (l1, m1) = message_of(ArtifactKind::KubeletLog, PUB01_MOUNT_MULTI).unwrap();
    let tail = PUB01_MOUNT_MULTI
        .split_once("exit status 32")
        .map_or("", |x| x.1);
    let nested = format!("{}{tail}", PUB02_NESTED);
    let (l2, m2) = message_of(ArtifactKind::KubeletLog, &nested).unwrap();
    let grpc = format!("StartContainer \"2d343fd75710\" from runtime service failed: rpc error: code = Unknown desc = {}", m1.replacen("Mount failed: ", "", 1));
    let mut c = Clusterer::new(10);
    c.add(l1, &m1, occ("k", 1, PUB01_MOUNT_MULTI, None, None));
    c.add(l2, &m2, occ("k", 2, &nested, None, None));
    c.add(Level::Error, &grpc, occ("k", 3, &grpc, None, None));
    let out = c.finish(10);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out.first().map(|k| k.count), Some(3));
}

#[test]
fn output_is_deterministic_whatever_the_order() {
    let lines = [
        PUB02_NESTED,
        PUB02_STRUCTURED,
        PUB02_NAMESERVER,
        PUB01_SYSSTATS,
        PUB01_MOUNT_MULTI,
        PUB03_SKIPPING,
    ];
    let run = |order: &[usize]| {
        let mut c = Clusterer::new(100);
        for &i in order {
            let line = lines.get(i).copied().unwrap_or("");
            if let Some((l, m)) = message_of(ArtifactKind::KubeletLog, line) {
                c.add(
                    l,
                    &m,
                    occ(
                        "kubelet.log",
                        i as u64 + 1,
                        line,
                        Some(&format!("t{i:03}")),
                        Some("p"),
                    ),
                );
            }
        }
        c.finish(100)
    };
    let fwd: Vec<usize> = (0..60).map(|i| i % lines.len()).collect();
    let rev: Vec<usize> = fwd.iter().rev().copied().collect();
    let (a, b) = (run(&fwd), run(&rev));
    assert_eq!(a, b);
    assert!(a.last().is_some_and(|k| k.benign));
}

#[test]
fn bounded_templates() {
    let mut c = Clusterer::new(2);
    for m in [
        "error one",
        "error two",
        "error three",
        "error four",
        "error one",
    ] {
        c.add(Level::Error, m, occ("x", 1, m, None, None));
    }
    assert_eq!(c.dropped(), 2);
    let out = c.finish(10);
    assert_eq!(out.iter().map(|k| k.count).sum::<u64>(), 3);
}

#[test]
fn a_long_pod_list_is_the_smallest_names_whatever_the_order() {
    let names: Vec<String> = (0..100).map(|i| format!("shop/web-{i:03}")).collect();
    let pods = |order: &mut dyn Iterator<Item = &String>| {
        let mut c = Clusterer::new(10);
        for (i, name) in order.enumerate() {
            c.add(
                Level::Error,
                "error x",
                occ("x", i as u64 + 1, "error x", None, Some(name)),
            );
        }
        c.finish(1).pop().map(|k| k.pods).unwrap_or_default()
    };
    let forward = pods(&mut names.iter());
    assert_eq!(forward.len(), MAX_NAMES);
    assert_eq!(forward.first().map(String::as_str), Some("shop/web-000"));
    assert_eq!(forward.last().map(String::as_str), Some("shop/web-063"));
    assert_eq!(pods(&mut names.iter().rev()), forward);
    assert_eq!(
        pods(&mut names.iter().step_by(3).chain(names.iter())),
        forward
    );
}

#[test]
fn benign_is_recognized() {
    for m in [
        "Nameserver limits exceeded: x",
        "Readiness probe failed: HTTP probe failed with statuscode: 503",
        "Failed to get system container stats for \"/system.slice/x\"",
        "Cleaned up orphaned pod volumes dir",
    ] {
        assert!(is_benign(m), "{m}");
    }
    assert!(!is_benign("mount failed: exit status 32"));
}

#[test]
fn garbage_never_panics() {
    let mut r = Lcg(42);
    let alphabet: Vec<char> = " \t\n\"'\\=[]{}()/:.,-_0123456789abcdefEIWFTZµé→\u{0}level=msg=Warning  Normal  E0101 12:00:00.1 x.go:1] Operation for (durationBeforeRetry 1s). Error: (UniqueName: \"".chars().collect();
    let kinds = [
        ArtifactKind::KubeletLog,
        ArtifactKind::RuntimeLog,
        ArtifactKind::Events,
        ArtifactKind::PodDescribe,
        ArtifactKind::OtherLog,
        ArtifactKind::Dmesg,
        ArtifactKind::Config,
    ];
    let mut c = Clusterer::new(50);
    for i in 0..3000 {
        let len = (r.next() % 200) as usize;
        let s: String = (0..len)
            .map(|_| {
                alphabet
                    .get((r.next() as usize) % alphabet.len())
                    .copied()
                    .unwrap_or(' ')
            })
            .collect();
        let kind = kinds
            .get(i % kinds.len())
            .copied()
            .unwrap_or(ArtifactKind::OtherLog);
        let _ = template(&s);
        let _ = is_benign(&s);
        if let Some((l, m)) = message_of(kind, &s) {
            c.add(l, &m, occ(kind.as_str(), i as u64, &s, None, None));
        }
    }
    for s in [
        "",
        "E",
        "E0101",
        "E0101 12:00:00.1",
        "[",
        "[]",
        "{",
        "{\"level\":\"",
        "level=",
        "time=\"",
        "  Warning",
        "x  Warning  ",
        "Operation for (durationBeforeRetry ). Error: \"",
    ] {
        for k in kinds {
            let _ = message_of(k, s);
        }
    }
    let _ = c.finish(100);
}

#[test]
fn templating_10k_messages_completes() {
    let mut r = Lcg(3);
    let mut seen = std::collections::HashSet::new();
    for i in 0..10_000 {
        let (kind, text) = unknown_failure(i, &mut r);
        if let Some((_, m)) = message_of(kind, &text) {
            seen.insert(template(&m));
        }
    }
    assert_eq!(seen.len(), 1, "{seen:#?}");
}

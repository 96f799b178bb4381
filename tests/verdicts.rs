//! What a report concludes from several artifacts together, on small
//! real-looking bundles written to a temporary folder.

use podmortem::report::Report;
use podmortem::rules::load;
use podmortem::{Analyzer, Options};

fn analyze(files: &[(&str, &str)]) -> Report {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
    Analyzer::new(pack, Options::default())
        .analyze(dir.path())
        .expect("report")
}

fn finding<'r>(r: &'r Report, rule: &str) -> &'r podmortem::report::model::Finding {
    r.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("{rule} is reported: {:?}", r.findings))
}

/// A CSI driver's own error, in no rule, on the pod whose mount then times
/// out: the timeout (a symptom) must point at it, not claim that nothing
/// else explains it. The kubelet lines are 1.29's formats
/// (`csi_attacher.go`, `nestedpendingoperations.go`, `pod_workers.go`).
#[test]
fn a_lone_symptom_points_at_the_unrecognised_error_on_its_pod() {
    let log = r#"I0603 13:11:40.000001    1211 server.go:487] "Kubelet version" kubeletVersion="v1.29.4"
E0603 13:12:01.118934    1211 csi_attacher.go:366] kubernetes.io/csi: attacher.MountDevice failed: rpc error: code = Internal desc = volume vol-7f3a: backend quorum lost on store pool-2
E0603 13:12:01.119023    1211 nestedpendingoperations.go:348] Operation for "{volumeName:kubernetes.io/csi/block.csi.example.com^vol-7f3a podName: nodeName:}" failed. No retries permitted until 2024-06-03 13:12:01.619001 +0000 UTC m=+21.2 (durationBeforeRetry 500ms). Error: MountVolume.MountDevice failed for volume "pvc-0c1a" (UniqueName: "kubernetes.io/csi/block.csi.example.com^vol-7f3a") pod "web-0" (UID: "0c1a2b3c-1111-4a4a-9b9b-000000000001") : rpc error: code = Internal desc = volume vol-7f3a: backend quorum lost on store pool-2
E0603 13:14:04.000001    1211 pod_workers.go:1298] "Error syncing pod, skipping" err="unmounted volumes=[data], unattached volumes=[data kube-api-access-x]: timed out waiting for the condition" pod="shop/web-0" podUID="0c1a2b3c-1111-4a4a-9b9b-000000000001"
"#;
    let r = analyze(&[("node-a/kubelet.log", log)]);
    let f = finding(&r, "mount-wait-timeout");
    assert!(
        f.confidence_reason.contains("backend quorum lost on store"),
        "{}",
        f.confidence_reason
    );
    assert!(!f.confidence_reason.contains("nothing else"));
    // Without the driver's error, the symptom stands alone and says so.
    let alone: String = log
        .lines()
        .filter(|l| !l.contains("quorum"))
        .map(|l| format!("{l}\n"))
        .collect();
    let r = analyze(&[("node-a/kubelet.log", &alone)]);
    let f = finding(&r, "mount-wait-timeout");
    assert!(
        f.confidence_reason.contains("nothing else"),
        "{}",
        f.confidence_reason
    );
}

/// `kubectl logs --timestamps` of a CSI node plugin stamps every physical
/// line, so the mount error's `Mounting arguments:` and `Output:` lines looked
/// like records of their own and the NFS rule never saw them together.
/// (Format: kubelet/csi-driver-nfs `mount_linux.go` record, each line
/// prefixed with the runtime's RFC 3339 nanosecond stamp.)
#[test]
fn a_timestamped_container_log_keeps_multi_line_errors_whole() {
    let log = "2024-06-03T13:12:01.219934567Z E0603 13:12:01.219934       1 mount_linux.go:232] Mount failed: exit status 32
2024-06-03T13:12:01.219964567Z Mounting command: mount
2024-06-03T13:12:01.219974567Z Mounting arguments: -t nfs -o nfsvers=4.1 10.0.0.5:/export/pvc-1 /var/lib/kubelet/pods/0c1a2b3c-1111-4a4a-9b9b-000000000001/volumes/kubernetes.io~csi/pvc-1/mount
2024-06-03T13:12:01.219984567Z Output: mount: /var/lib/kubelet/pods/0c1a2b3c-1111-4a4a-9b9b-000000000001/volumes/kubernetes.io~csi/pvc-1/mount: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.
";
    let r = analyze(&[("csi-nfs-node-nfs.log", log)]);
    let f = finding(&r, "nfs-client-helper-missing");
    assert_eq!(f.affected.volumes, ["pvc-1"]);
    assert_eq!((f.evidence[0].line, f.evidence[0].line_end), (1, 4));
    assert_eq!(f.first_seen.as_deref(), Some("2024-06-03T13:12:01.219934"));
}

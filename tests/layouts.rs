//! The same failure, re-wrapped in the layouts customers send: the verdict must
//! not depend on where a file sits or how its lines are wrapped. Each bundle is
//! built in a temp directory from a sample's real-looking files.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::copy_tree;

fn sample(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(rel);
    fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, text).expect("write");
}

fn analyze(input: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_podmortem"))
        .arg("analyze")
        .arg(input)
        .args(["--format", "json", "-o", "-"])
        .output()
        .expect("run");
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn found(r: &Value, rule: &str) -> Option<Value> {
    r["findings"]
        .as_array()?
        .iter()
        .find(|f| f["rule"] == rule)
        .cloned()
}

const HOST: &str = "worker-02";

/// The kubelet log of the NFS sample with journald's prefix on every line.
fn journald(kubelet: &str, unit: &str) -> String {
    let mut stamp = "Sep 12 09:00:00".to_string();
    kubelet
        .lines()
        .map(|l| {
            // klog `E0912 09:31:07.681775`: reuse its time for the journal stamp.
            if l.len() > 14
                && l.as_bytes()[0].is_ascii_uppercase()
                && l.as_bytes()[1].is_ascii_digit()
            {
                stamp = format!("Sep {} {}", &l[3..5], &l[6..14]);
            }
            format!("{stamp} {HOST} {unit}[1208]: {l}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// k0s wraps every kubelet line, continuation lines included, in a logrus msg="...".
fn k0s(kubelet: &str) -> String {
    kubelet
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let esc = l.replace('\\', "\\\\").replace('"', "\\\"");
            format!("Sep 12 09:31:07 {HOST} k0s[901]: time=\"2023-09-12 09:31:07\" level=info msg=\"{esc}\" component=kubelet stream=stderr")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn nfs_files() -> (String, String, String) {
    (
        sample("nfs-helper-missing-adhoc/worker-02/kubelet.log"),
        sample("nfs-helper-missing-adhoc/worker-02/rpm-qa.txt"),
        sample("nfs-helper-missing-adhoc/worker-02/mountinfo"),
    )
}

fn assert_helper_missing(r: &Value, confidence: &str) {
    let f = found(r, "nfs-client-helper-missing")
        .unwrap_or_else(|| panic!("not found in {}", r["findings"]));
    assert_eq!(f["confidence"], confidence, "{}", f["confidence_reason"]);
    assert_eq!(f["affected"]["nodes"], serde_json::json!([HOST]));
    assert!(
        found(r, "mount-wait-timeout").is_none(),
        "the timeout is folded"
    );
}

#[test]
fn rancher_collector_layout() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join(format!("{HOST}-2023-09-12_10_00_00"));
    let (kubelet, rpm, _) = nfs_files();
    write(&root, "journald/kubelet", &journald(&kubelet, "kubelet"));
    write(&root, "systeminfo/packages-rpm", &rpm);
    write(&root, "systeminfo/hostname", HOST);
    write(
        &root,
        "systeminfo/mount",
        "/dev/sda1 on / type xfs (rw,relatime)\nproc on /proc type proc (rw,nosuid)\n",
    );
    assert_helper_missing(&analyze(&root), "confirmed");
}

#[test]
fn k0s_wrapper_around_every_continuation_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("support-bundle-2023-09-12T10_00_00");
    let (kubelet, rpm, mountinfo) = nfs_files();
    write(
        &root,
        "host-collectors/run-host/journalctl-k0s.txt",
        &k0s(&kubelet),
    );
    write(&root, "host-collectors/run-host/rpm-qa.txt", &rpm);
    write(&root, "host-collectors/run-host/mountinfo.txt", &mountinfo);
    assert_helper_missing(&analyze(&root), "confirmed");
}

#[test]
fn must_gather_gzip_kubelet_log_without_a_package_list_is_probable() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir
        .path()
        .join("must-gather.local.5531/quay-io-openshift-release-dev-sha256-0a1b/nodes")
        .join(HOST);
    let (kubelet, _, _) = nfs_files();
    let gz = root.join(format!("{HOST}_logs_kubelet.gz"));
    fs::create_dir_all(&root).expect("mkdir");
    let mut enc = flate2::write::GzEncoder::new(
        fs::File::create(&gz).expect("create"),
        flate2::Compression::default(),
    );
    std::io::Write::write_all(&mut enc, journald(&kubelet, "kubenswrapper").as_bytes())
        .expect("gz");
    enc.finish().expect("finish");
    let r = analyze(&dir.path().join("must-gather.local.5531"));
    let f = found(&r, "nfs-client-helper-missing").expect("finding");
    assert_eq!(
        f["confidence"], "probable",
        "no package list: the report says which artifact would settle it"
    );
    assert!(
        f["confidence_reason"]
            .as_str()
            .unwrap_or("")
            .contains("package list"),
        "{}",
        f["confidence_reason"]
    );
}

#[test]
fn logs_in_a_file_named_anything_are_still_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("ticket-8812");
    let (kubelet, rpm, _) = nfs_files();
    write(&root, "notes-from-customer.txt", &kubelet);
    write(&root, "installed.txt", &rpm);
    let r = analyze(&root);
    assert!(
        found(&r, "nfs-client-helper-missing").is_some(),
        "{}",
        r["findings"]
    );
}

#[test]
fn per_node_packages_a_node_with_the_client_does_not_clear_one_without() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("cluster-dump");
    let (kubelet, rpm, _) = nfs_files();
    write(&root, "worker-02/kubelet.log", &kubelet);
    write(&root, "worker-02/rpm-qa.txt", &rpm);
    write(
        &root,
        "worker-01/kubelet.log",
        "I0912 09:00:00.000000    1208 server.go:416] Version: v1.23.17\n",
    );
    write(
        &root,
        "worker-01/rpm-qa.txt",
        &format!("{rpm}nfs-utils-1.3.0-0.68.el7.2.x86_64\n"),
    );
    let r = analyze(&root);
    assert_helper_missing(&r, "confirmed");
}

#[test]
fn the_package_installed_on_the_failing_node_rules_it_out() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("cluster-dump");
    let (kubelet, rpm, _) = nfs_files();
    write(&root, "worker-02/kubelet.log", &kubelet);
    write(
        &root,
        "worker-02/rpm-qa.txt",
        &format!("{rpm}nfs-utils-1.3.0-0.68.el7.2.x86_64\n"),
    );
    let r = analyze(&root);
    assert!(found(&r, "nfs-client-helper-missing").is_none());
    let ruled = r["ruled_out"].as_array().expect("ruled_out");
    assert!(ruled
        .iter()
        .any(|x| x["rule"] == "nfs-client-helper-missing"
            && x["reason"].as_str().unwrap_or("").contains("nfs-utils")));
    for f in r["findings"].as_array().expect("findings") {
        assert_eq!(
            f["severity"], "low",
            "only a low symptom may remain: {}",
            f["rule"]
        );
    }
}

/// util-linux boundary: the same k0s failure under pacman, rpm and dpkg package lists.
#[test]
fn util_linux_boundaries_change_the_verdict_exactly_there() {
    let events = sample("subpath-utillinux-k0s/cluster-resources/events/default.json");
    let dpkg = |v: &str| {
        format!(
            "Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n||/ Name           Version      Architecture Description\n+++-==============-============-============-=================================\nii  bash           5.2.37-2     amd64        GNU Bourne Again SHell\nii  libmount1:amd64 {v} amd64        device mounting library\nii  mount          {v}       amd64        tools for mounting and manipulating filesystems\nii  util-linux     {v}       amd64        miscellaneous system utilities\n"
        )
    };
    let cases = [
        ("pacman-q.txt", "acl 2.3.2-1\nbash 5.2.037-1\ncoreutils 9.7-1\nutil-linux 2.41-3\nutil-linux-libs 2.41-3\nzstd 1.5.7-2\n".to_string(), true),
        ("pacman-q.txt", "acl 2.3.2-1\nbash 5.2.037-1\ncoreutils 9.7-1\nutil-linux 2.41.1-1\nutil-linux-libs 2.41.1-1\nzstd 1.5.7-2\n".to_string(), false),
        ("pacman-q.txt", "acl 2.3.2-1\nbash 5.2.037-1\ncoreutils 9.7-1\nutil-linux 2.40.4-1\nutil-linux-libs 2.40.4-1\nzstd 1.5.7-2\n".to_string(), false),
        ("rpm-qa.txt", "bash-5.2.37-1.fc42.x86_64\nutil-linux-2.41-1.fc42.x86_64\nutil-linux-core-2.41-1.fc42.x86_64\nzstd-1.5.7-1.fc42.x86_64\n".to_string(), true),
        ("rpm-qa.txt", "bash-5.2.37-1.fc42.x86_64\nutil-linux-2.41.1-1.fc42.x86_64\nutil-linux-core-2.41.1-1.fc42.x86_64\nzstd-1.5.7-1.fc42.x86_64\n".to_string(), false),
        ("dpkg-l.txt", dpkg("2.41-5"), true),
        ("dpkg-l.txt", dpkg("2.40.4-8"), false),
    ];
    for (name, pkg, expect_found) in cases {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("bundle");
        write(&root, "cluster-resources/events/default.json", &events);
        write(&root, &format!("host-collectors/run-host/{name}"), &pkg);
        write(
            &root,
            "host-collectors/run-host/journalctl-k0s.txt",
            &sample("subpath-utillinux-k0s/host-collectors/run-host/journalctl-k0s.txt"),
        );
        let r = analyze(&root);
        assert_eq!(
            found(&r, "subpath-utillinux-2.41-regression").is_some(),
            expect_found,
            "{name} {pkg}: {}",
            r["findings"]
        );
        if !expect_found {
            assert!(
                r["ruled_out"].as_array().is_some_and(|a| a
                    .iter()
                    .any(|x| x["rule"] == "subpath-utillinux-2.41-regression")),
                "{pkg}"
            );
        }
    }
}

/// A later `MountVolume.SetUp succeeded` for the same volume and pod resolves the failure.
#[test]
fn a_later_mount_success_resolves_the_failure() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("cluster-dump");
    let (kubelet, rpm, _) = nfs_files();
    let uid = "bf12d309-19bd-432a-b184-17b6ae57c619";
    let ok = format!(
        "I0912 09:58:00.000000    1208 operation_generator.go:756] \"MountVolume.SetUp succeeded for volume \\\"invoice-archive\\\" (UniqueName: \\\"kubernetes.io/nfs/{uid}-invoice-archive\\\") pod \\\"invoice-export-0\\\" (UID: \\\"{uid}\\\") \" pod=\"billing/invoice-export-0\"\n"
    );
    write(&root, "worker-02/kubelet.log", &format!("{kubelet}\n{ok}"));
    write(&root, "worker-02/rpm-qa.txt", &rpm);
    let r = analyze(&root);
    assert!(
        found(&r, "nfs-client-helper-missing").is_none(),
        "{}",
        r["findings"]
    );
    let resolved = r["resolved"].as_array().expect("resolved");
    assert!(
        resolved
            .iter()
            .any(|x| x["rule"] == "nfs-client-helper-missing"),
        "{}",
        r["resolved"]
    );
    // Another volume's success does not resolve it.
    let other = ok.replace("\\\"invoice-archive\\\"", "\\\"kube-api-access-x\\\"");
    write(
        &root,
        "worker-02/kubelet.log",
        &format!("{kubelet}\n{other}"),
    );
    let r = analyze(&root);
    assert!(
        found(&r, "nfs-client-helper-missing").is_some(),
        "{}",
        r["resolved"]
    );
}

/// The NFS client arrived after the helper failures (the package history says
/// when): the failures were real and are over, so the rule is resolved, not
/// ruled out as a red herring. Installed before the failures, it is ruled out.
#[test]
fn a_package_installed_after_the_failures_resolves_them() {
    let kubelet = sample("nfs-helper-missing-adhoc/worker-02/kubelet.log");
    let with_nfs = sample("nfs-helper-missing-adhoc/worker-01/rpm-qa.txt");
    assert!(with_nfs.contains("nfs-utils-"));
    let bundle = |yum_log: &str| {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().to_path_buf();
        write(&root, "worker-02/kubelet.log", &kubelet);
        write(&root, "worker-02/hostname", "worker-02\n");
        write(&root, "worker-02/rpm-qa.txt", &with_nfs);
        write(&root, "worker-02/yum.log", yum_log);
        (dir, root)
    };
    // The last failure in the kubelet log is at 09:41:24 on Sep 12.
    let (_keep, after) = bundle(
        "Sep 12 09:30:02 Updated: kernel-tools-3.10.0-1160.99.1.el7.x86_64\n\
         Sep 12 10:02:47 Installed: libnfsidmap-0.25-19.el7.x86_64\n\
         Sep 12 10:02:48 Installed: 1:nfs-utils-1.3.0-0.68.el7.2.x86_64\n",
    );
    let r = analyze(&after);
    assert!(found(&r, "nfs-client-helper-missing").is_none());
    let resolved = r["resolved"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["rule"] == "nfs-client-helper-missing"))
        .unwrap_or_else(|| panic!("resolved: {}", r["resolved"]));
    let reason = resolved["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains("nfs-utils 1:1.3.0-0.68.el7.2 was installed")
            && reason.contains("yum.log line 3")
            && reason.contains("09:41:24"),
        "{reason}"
    );

    let (_keep, before) =
        bundle("Sep 10 16:20:11 Installed: 1:nfs-utils-1.3.0-0.68.el7.2.x86_64\n");
    let r = analyze(&before);
    assert!(found(&r, "nfs-client-helper-missing").is_none());
    assert!(
        r["ruled_out"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["rule"] == "nfs-client-helper-missing")),
        "installed before the failures: a red herring, {}",
        r["ruled_out"]
    );
    assert!(r["resolved"]
        .as_array()
        .is_some_and(|a| a.iter().all(|x| x["rule"] != "nfs-client-helper-missing")));
}

/// util-linux left the broken 2.41 release after the subPath failures: pacman.log
/// says when, so the regression is resolved rather than ruled out.
#[test]
fn an_upgrade_out_of_the_broken_range_after_the_failures_resolves_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/subpath-utillinux-k0s");
    let dir = tempfile::tempdir().expect("tmp");
    copy_tree(&src, dir.path());
    let run_host = dir.path().join("host-collectors/run-host");
    let q = fs::read_to_string(run_host.join("pacman-q.txt")).expect("pacman-q");
    assert!(q.contains("util-linux 2.41-3\n"));
    fs::write(
        run_host.join("pacman-q.txt"),
        q.replace("util-linux 2.41-3\n", "util-linux 2.41.1-1\n")
            .replace("util-linux-libs 2.41-3\n", "util-linux-libs 2.41.1-1\n"),
    )
    .expect("write");
    let mut log = fs::read_to_string(run_host.join("pacman-log.txt")).expect("pacman-log");
    log.push_str(
        "[2025-06-05T17:10:40+0200] [ALPM] upgraded util-linux-libs (2.41-3 -> 2.41.1-1)\n\
         [2025-06-05T17:10:41+0200] [ALPM] upgraded util-linux (2.41-3 -> 2.41.1-1)\n",
    );
    fs::write(run_host.join("pacman-log.txt"), log).expect("write");
    let r = analyze(dir.path());
    assert!(found(&r, "subpath-utillinux-2.41-regression").is_none());
    let resolved = r["resolved"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|x| x["rule"] == "subpath-utillinux-2.41-regression")
        })
        .unwrap_or_else(|| panic!("resolved: {}; ruled out: {}", r["resolved"], r["ruled_out"]));
    let reason = resolved["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains("went from 2.41-3 to 2.41.1-1") && reason.contains("pacman-log.txt"),
        "{reason}"
    );
}

/// must-gather YAML writes a message with line breaks as a literal block
/// (`message: |-`): the rule must still see `exit status 32` and the helper
/// text of the same message together, as it does in JSON.
#[test]
fn a_multi_line_event_message_in_must_gather_yaml_is_one_record() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir
        .path()
        .join("must-gather.local.1/quay-io-img/namespaces/billing/core");
    let events = "---\napiVersion: v1\nitems:\n- apiVersion: v1\n  count: 12\n  involvedObject:\n    kind: Pod\n    name: report-gen-0\n    namespace: billing\n  kind: Event\n  lastTimestamp: \"2024-02-05T10:14:03Z\"\n  message: |-\n    MountVolume.SetUp failed for volume \"reports\" : mount failed: exit status 32\n    Mounting command: mount\n    Mounting arguments: -t nfs 10.0.0.5:/srv/reports /var/lib/kubelet/pods/7d1c0b7e-0b7e-4a6e-9d2a-1f0e5e4c3b2a/volumes/kubernetes.io~nfs/reports\n    Output: mount: /var/lib/kubelet/pods/7d1c0b7e-0b7e-4a6e-9d2a-1f0e5e4c3b2a/volumes/kubernetes.io~nfs/reports: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.\n  metadata:\n    name: report-gen-0.17b\n    namespace: billing\n  reason: FailedMount\n  source:\n    component: kubelet\n    host: ocp-w-3.lab.example.com\n  type: Warning\nkind: EventList\nmetadata:\n  resourceVersion: \"\"\n";
    write(&root, "events.yaml", events);
    let r = analyze(dir.path());
    let f = found(&r, "nfs-client-helper-missing")
        .unwrap_or_else(|| panic!("findings: {}", r["findings"]));
    assert_eq!(f["affected"]["pods"][0], "billing/report-gen-0");
    let e = &f["evidence"][0];
    assert!(e["artifact"]
        .as_str()
        .unwrap_or("")
        .ends_with("core/events.yaml"));
    assert_eq!(e["line"], 12);
}

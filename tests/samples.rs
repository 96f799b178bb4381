//! Every sample bundle analyzed through the CLI, as a support engineer runs it,
//! with the expected rule ids, confidence, node and evidence line asserted.
//! The expectations are those of `samples/README.md`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_podmortem")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// `podmortem analyze INPUT --format json -o -`: the exit code and the report.
fn analyze(input: &Path) -> (i32, Value) {
    analyze_with(input, &[])
}

/// `analyze`, with more flags.
fn analyze_with(input: &Path, flags: &[&str]) -> (i32, Value) {
    let out = Command::new(bin())
        .args(["analyze"])
        .arg(input)
        .args(["--format", "json", "-o", "-"])
        .args(flags)
        .output()
        .expect("run podmortem");
    let code = out.status.code().unwrap_or(-1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: stdout is not one JSON report ({e}); stderr: {}",
            input.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, report)
}

fn findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn finding<'a>(report: &'a Value, rule: &str) -> &'a Value {
    findings(report)
        .into_iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| {
            panic!(
                "no `{rule}` finding in {}",
                serde_json::to_string_pretty(&report["findings"]).unwrap_or_default()
            )
        })
}

fn rule_ids(report: &Value) -> Vec<String> {
    findings(report)
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or("").to_string())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The finding is confirmed on exactly `node` and shows `artifact_suffix:line` among its evidence.
fn assert_finding(
    report: &Value,
    rule: &str,
    confidence: &str,
    node: &str,
    artifact_suffix: &str,
    line: u64,
) {
    let f = finding(report, rule);
    assert_eq!(
        f["confidence"], confidence,
        "{rule}: {}",
        f["confidence_reason"]
    );
    assert_eq!(
        strings(&f["affected"]["nodes"]),
        vec![node.to_string()],
        "{rule} nodes"
    );
    let evidence = f["evidence"].as_array().expect("evidence");
    assert!(
        evidence.iter().any(|e| e["artifact"]
            .as_str()
            .is_some_and(|a| a.ends_with(artifact_suffix))
            && e["line"] == line),
        "{rule}: no evidence at {artifact_suffix}:{line}; got {:?}",
        evidence
            .iter()
            .map(|e| format!("{}:{}", e["artifact"], e["line"]))
            .collect::<Vec<_>>()
    );
    assert!(f["occurrences"].as_u64().unwrap_or(0) >= 1);
    assert!(!f["fix"]["summary"].as_str().unwrap_or("").is_empty());
    assert!(!strings(&f["references"]).is_empty());
}

#[test]
fn nfs_helper_missing_on_one_of_two_nodes() {
    let (code, r) = analyze(&samples().join("nfs-helper-missing-adhoc"));
    assert_eq!(code, 0);
    assert_eq!(rule_ids(&r), vec!["nfs-client-helper-missing"]);
    assert_finding(
        &r,
        "nfs-client-helper-missing",
        "confirmed",
        "worker-02",
        "worker-02/kubelet.log",
        157,
    );
    let f = finding(&r, "nfs-client-helper-missing");
    assert!(
        f["explains"]
            .as_array()
            .is_some_and(|e| e.iter().any(|x| x["rule"] == "mount-wait-timeout")),
        "the timeout is folded into the cause"
    );
    assert!(
        f["fix"]["summary"]
            .as_str()
            .unwrap_or("")
            .contains("worker-02"),
        "fix names the node: {}",
        f["fix"]["summary"]
    );
}

#[test]
fn nfs_red_herring_is_ruled_out_and_access_denied_reported() {
    let (_, r) = analyze(&samples().join("nfs-red-herring-access-denied"));
    assert_eq!(rule_ids(&r), vec!["nfs-access-denied"]);
    assert_finding(
        &r,
        "nfs-access-denied",
        "confirmed",
        "k8s-ubu-w3",
        "node/kubelet.log",
        100,
    );
    let ruled: Vec<&Value> = r["ruled_out"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let helper = ruled
        .iter()
        .find(|x| x["rule"] == "nfs-client-helper-missing")
        .expect("helper-missing is ruled out");
    assert!(
        helper["reason"]
            .as_str()
            .unwrap_or("")
            .contains("nfs-common"),
        "{}",
        helper["reason"]
    );
}

#[test]
fn util_linux_241_on_a_k0s_node() {
    let (_, r) = analyze(&samples().join("subpath-utillinux-k0s"));
    assert_eq!(rule_ids(&r), vec!["subpath-utillinux-2.41-regression"]);
    assert_finding(
        &r,
        "subpath-utillinux-2.41-regression",
        "confirmed",
        "arch-k0s-w1",
        "cluster-resources/events/default.json",
        86,
    );
    let f = finding(&r, "subpath-utillinux-2.41-regression");
    assert!(f["conditions"].as_array().is_some_and(|c| c
        .iter()
        .any(|c| c["detail"].as_str().unwrap_or("").contains("2.41-3"))));
}

#[test]
fn configmap_subpath_deleted_in_a_sosreport() {
    let (_, r) = analyze(&samples().join("subpath-deleted-sosreport"));
    assert_eq!(rule_ids(&r), vec!["subpath-configmap-deleted-source"]);
    assert_finding(
        &r,
        "subpath-configmap-deleted-source",
        "confirmed",
        "kube-app-12",
        "sos_commands/kubernetes/journalctl_--no-pager_--unit_kubelet",
        93,
    );
}

#[test]
fn kata_peer_pods_einval() {
    let (_, r) = analyze(&samples().join("kata-peerpods-einval"));
    assert_eq!(rule_ids(&r), vec!["kata-remote-hypervisor-destroy-einval"]);
    assert_finding(
        &r,
        "kata-remote-hypervisor-destroy-einval",
        "confirmed",
        "pp-worker-1",
        "cloud-api-adaptor.log",
        37,
    );
}

#[test]
fn multi_attach_in_a_rancher_tarball() {
    let (_, r) = analyze(&samples().join("multi-attach-rwo.tar.gz"));
    assert_eq!(rule_ids(&r), vec!["multi-attach-rwo"]);
    assert_finding(
        &r,
        "multi-attach-rwo",
        "confirmed",
        "rke2-node-02",
        "rke2/kubectl/events",
        7,
    );
    let f = finding(&r, "multi-attach-rwo");
    assert!(
        f["conditions"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["status"] == "held"
                && c["detail"].as_str().unwrap_or("").contains("rke2-node-03"))),
        "the NotReady node corroborates: {}",
        f["conditions"]
    );
}

#[test]
fn multi_attach_in_an_openshift_must_gather_of_yaml() {
    let (_, r) = analyze(&samples().join("must-gather-multiattach.tar.gz"));
    assert_eq!(rule_ids(&r), vec!["multi-attach-rwo"]);
    // The event's message is folded over two YAML lines; evidence points at its first.
    assert_finding(
        &r,
        "multi-attach-rwo",
        "confirmed",
        "ocp-w-1.lab.example.com",
        "namespaces/sso/core/events.yaml",
        103,
    );
    let f = finding(&r, "multi-attach-rwo");
    assert!(
        f["conditions"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["status"] == "held"
                && c["detail"]
                    .as_str()
                    .unwrap_or("")
                    .contains("ocp-w-2.lab.example.com"))),
        "the Unknown node of cluster-scoped-resources corroborates: {}",
        f["conditions"]
    );
    // The kubelet's timeouts (gzip per-node log) and the events' are folded into the cause.
    assert!(f["explains"].to_string().contains("mount-wait-timeout"));
    let kinds: Vec<(String, String)> = r["inventory"]
        .as_array()
        .expect("inventory")
        .iter()
        .map(|i| {
            let path = i["path"].as_str().unwrap_or("");
            let tail = path.rsplit_once("sha256-").map_or(path, |(_, t)| t);
            let tail = tail.split_once('/').map_or(tail, |(_, t)| t);
            (
                tail.to_string(),
                i["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for (path, kind) in [
        ("namespaces/sso/core/events.yaml", "events"),
        ("namespaces/sso/core/pods.yaml", "pod-json"),
        (
            "cluster-scoped-resources/core/nodes/ocp-w-2.lab.example.com.yaml",
            "node-list",
        ),
        (
            "nodes/ocp-w-1.lab.example.com/ocp-w-1.lab.example.com_logs_kubelet.gz",
            "kubelet-log",
        ),
        (
            "host_service_logs/masters/kubelet_service.log",
            "kubelet-log",
        ),
    ] {
        assert!(
            kinds.contains(&(path.to_string(), kind.to_string())),
            "{path} should be {kind}: {kinds:?}"
        );
    }
    // Node objects give every node its OS, kernel and runtime, and say which is down.
    let nodes = r["environment"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 5, "{nodes:?}");
    let w2 = nodes
        .iter()
        .find(|n| n["name"] == "ocp-w-2.lab.example.com")
        .expect("ocp-w-2");
    assert_eq!(w2["status"], "Unknown");
    assert_eq!(w2["runtime"], "cri-o 1.27.2-2.rhaos4.14.git9d684e2.el9");
    assert_eq!(
        strings(&r["environment"]["kubernetes"]),
        vec!["v1.27.8+4fab27b"]
    );
}

#[test]
fn healthy_node_has_no_finding() {
    let (code, r) = analyze(&samples().join("healthy-node"));
    assert_eq!(code, 0);
    assert!(findings(&r).is_empty(), "{:?}", rule_ids(&r));
    assert!(r["ruled_out"].as_array().is_some_and(|a| a.is_empty()));
}

#[test]
fn fail_on_sets_exit_code_one() {
    let out = Command::new(bin())
        .arg("analyze")
        .arg(samples().join("kata-peerpods-einval"))
        .args(["--format", "json", "-o", "-", "--fail-on", "high"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_folder_of_bundles_gets_one_report_each_and_an_index() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let status = Command::new(bin())
        .arg("analyze")
        .arg(samples())
        .arg("-o")
        .arg(out_dir.path())
        .arg("-q")
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(0));
    for name in [
        "nfs-helper-missing-adhoc",
        "multi-attach-rwo",
        "healthy-node",
    ] {
        for ext in ["html", "md", "json"] {
            assert!(
                out_dir
                    .path()
                    .join(name)
                    .join(format!("report.{ext}"))
                    .is_file(),
                "{name}/report.{ext}"
            );
        }
    }
    let index = std::fs::read_to_string(out_dir.path().join("index.html")).expect("index");
    assert!(
        index.contains("multi-attach-rwo") && index.contains("report.html"),
        "the index links each report"
    );
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.path().join("summary.json")).expect("summary"),
    )
    .expect("json");
    assert_eq!(summary["bundles"].as_array().map(Vec::len), Some(8));
}

#[test]
fn an_unreadable_input_exits_3_and_names_the_path() {
    let out = Command::new(bin())
        .args([
            "analyze",
            "/nonexistent/bundle.tar.gz",
            "--format",
            "json",
            "-o",
            "-",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/bundle.tar.gz"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_corrupt_archive_still_gets_a_report_of_what_was_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = std::fs::read(samples().join("multi-attach-rwo.tar.gz")).expect("read");
    // Cut the gzip stream in half: the first entries inflate, then the stream ends early.
    let cut = dir.path().join("cut.tar.gz");
    std::fs::write(&cut, &whole[..whole.len() / 2]).expect("write");
    let (code, r) = analyze(&cut);
    assert_eq!(code, 0);
    assert!(
        r["inventory"].as_array().is_some_and(|a| !a.is_empty()),
        "what was read is listed"
    );
    assert!(
        !r["warnings"].as_array().map(Vec::is_empty).unwrap_or(true),
        "the truncation is a warning"
    );
}

/// The public evaluation cases and the real troubleshoot bundle live in `../shared` beside the checkout.
fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("../shared is absent: the eval and real-bundle checks are skipped");
        None
    }
}

#[test]
fn public_eval_cases_give_the_same_findings_as_tarball_and_as_directory() {
    let Some(shared) = shared() else { return };
    for (case, expected) in [
        ("pub01", "nfs-client-helper-missing"),
        ("pub02", "nfs-access-denied"),
        ("pub03", "subpath-configmap-deleted-source"),
    ] {
        let dir = shared.join("eval").join(case);
        let (_, from_tar) = analyze(&dir.join("bundle.tar.gz"));
        let (_, from_dir) = analyze(&dir.join("bundle"));
        assert_eq!(rule_ids(&from_tar), vec![expected.to_string()], "{case}");
        assert_eq!(
            rule_ids(&from_tar),
            rule_ids(&from_dir),
            "{case}: tarball and directory disagree"
        );
        assert_eq!(
            finding(&from_tar, expected)["affected"],
            finding(&from_dir, expected)["affected"],
            "{case}"
        );
    }
}

#[test]
fn real_troubleshoot_bundle_is_read_without_error_and_has_no_storage_cause() {
    let Some(shared) = shared() else { return };
    let (code, r) = analyze(&shared.join("real-bundles/troubleshoot-k3s-support-bundle.tar.gz"));
    assert_eq!(code, 0);
    let inventory = r["inventory"].as_array().expect("inventory");
    assert!(
        inventory.len() > 20,
        "every entry is listed: {}",
        inventory.len()
    );
    assert!(
        r["warnings"].as_array().is_some_and(|w| w.is_empty()),
        "{}",
        r["warnings"]
    );
    for f in findings(&r) {
        let sev = f["severity"].as_str().unwrap_or("");
        assert!(
            sev == "low" || sev == "info",
            "no root cause at medium or above: {}",
            f["rule"]
        );
    }
}

#[test]
fn a_token_planted_in_a_failure_line_never_reaches_any_report() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("bundle");
    let kubelet =
        std::fs::read_to_string(samples().join("nfs-helper-missing-adhoc/worker-02/kubelet.log"))
            .expect("read");
    let secret = "hunter2-planted-Secret";
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06YWRtaW4ifQ.c2lnbmF0dXJlLXBsYW50ZWQ";
    // The planted values ride on the failure line itself, so they are quoted as evidence.
    let planted = kubelet.replacen(
        "Mount failed: exit status 32",
        &format!("Mount failed: exit status 32 password={secret} Authorization: Bearer {jwt}"),
        1,
    );
    std::fs::create_dir_all(root.join("worker-02")).expect("mkdir");
    std::fs::write(root.join("worker-02/kubelet.log"), planted).expect("write");
    std::fs::copy(
        samples().join("nfs-helper-missing-adhoc/worker-02/rpm-qa.txt"),
        root.join("worker-02/rpm-qa.txt"),
    )
    .expect("copy");
    let out_dir = dir.path().join("out");
    let status = Command::new(bin())
        .arg("analyze")
        .arg(&root)
        .arg("-o")
        .arg(&out_dir)
        .arg("-q")
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(0));
    let mut seen_redaction = false;
    for ext in ["json", "md", "html"] {
        let text = std::fs::read_to_string(out_dir.join("bundle").join(format!("report.{ext}")))
            .expect("report");
        assert!(
            !text.contains(secret) && !text.contains(jwt),
            "report.{ext} leaks a secret"
        );
        seen_redaction |= text.contains("REDACTED");
    }
    assert!(seen_redaction, "the reports say where values were masked");
    let (_, r) = analyze(&root);
    assert!(
        finding(&r, "nfs-client-helper-missing")["evidence"]
            .as_array()
            .is_some_and(|e| !e.is_empty()),
        "redaction never changes what matches"
    );
    assert!(
        r["redactions"]["secret"].as_u64().unwrap_or(0) >= 1,
        "{}",
        r["redactions"]
    );
}

/// Issue 8's loop: a failure no rule knows is one template in the report, and
/// a rule scaffolded from it passes its examples and then explains every occurrence.
#[test]
fn a_rule_scaffolded_from_an_unrecognized_template_matches_all_its_occurrences() {
    let dir = tempfile::tempdir().expect("tmp");
    let sample = samples().join("subpath-deleted-sosreport");
    let (_, before) = analyze(&sample);
    let first = &before["unrecognized"][0];
    let count = first["count"].as_u64().expect("count");
    assert!(count >= 5, "the top template recurs: {first}");
    let report = dir.path().join("report.json");
    std::fs::write(&report, serde_json::to_string(&before).expect("json")).expect("write");
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(&rules).expect("mkdir");
    let o = Command::new(bin())
        .args(["rules", "new", "--from-report"])
        .arg(&report)
        .args(["--template", "1", "--id", "new-failure", "-o"])
        // A rules directory: the file is named after the rule.
        .arg(&rules)
        .output()
        .expect("run");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        rules.join("new-failure.toml").is_file(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let t = Command::new(bin())
        .args(["rules", "test", "--rules"])
        .arg(&rules)
        .output()
        .expect("run");
    assert_eq!(
        t.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&t.stdout)
    );
    let out = Command::new(bin())
        .arg("analyze")
        .arg(&sample)
        .args(["--format", "json", "-o", "-", "--rules"])
        .arg(&rules)
        .output()
        .expect("run");
    let after: Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = finding(&after, "new-failure");
    assert_eq!(
        f["occurrences"].as_u64(),
        Some(count),
        "every occurrence of the template is matched"
    );
}

/// `--no-unrecognized` says the `unrecognized` list stays empty: it used to
/// keep the records a rule literal had touched but no rule explained (the
/// `Error syncing pod` lines of a bench bundle), and the JSON events' warnings.
#[test]
fn no_unrecognized_leaves_the_list_empty_and_the_findings_as_they_are() {
    let input = samples().join("subpath-deleted-sosreport");
    let (code, with) = analyze(&input);
    assert_eq!(code, 0);
    assert!(
        with["unrecognized"]
            .as_array()
            .is_some_and(|u| !u.is_empty()),
        "the sample has errors no rule knows"
    );
    let (code, without) = analyze_with(&input, &["--no-unrecognized"]);
    assert_eq!(code, 0);
    assert_eq!(without["unrecognized"], serde_json::json!([]));
    assert_eq!(without["findings"], with["findings"]);
}

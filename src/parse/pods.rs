//! Pod lists: `kubectl get pods [-A] [-o wide]` text tables and Pod / PodList
//! JSON (troubleshoot's `cluster-resources/pods/<ns>.json`). They tell which
//! node runs which pod, and a pod's phase, restarts and volumes.

use serde_json::Value;

use crate::facts::{ContainerStatus, PodFacts, PodVolume};

/// Cells of a kubectl table row: columns are separated by runs of 2+ spaces.
fn cells(line: &str) -> Vec<&str> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// `kubectl get pods` text. Returns nothing when the header is not a pod table.
pub fn parse_table(text: &str) -> Vec<PodFacts> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Vec::new();
    };
    let cols = cells(header);
    let at = |name: &str| cols.iter().position(|c| *c == name);
    let (Some(name_col), Some(_), Some(status_col)) = (at("NAME"), at("READY"), at("STATUS"))
    else {
        return Vec::new();
    };
    let ns_col = at("NAMESPACE");
    let node_col = at("NODE");
    let restarts_col = at("RESTARTS");
    let mut out = Vec::new();
    for (i, line) in lines {
        let row: Vec<&str> = line.split_whitespace().collect();
        // RESTARTS may read `3 (2m ago)`: glue it back so columns stay aligned.
        let row = rejoin_restarts(row, restarts_col);
        let Some(name) = row.get(name_col) else {
            continue;
        };
        let restarts = restarts_col
            .and_then(|c| row.get(c))
            .and_then(|r| r.split(' ').next())
            .and_then(|r| r.parse().ok());
        out.push(PodFacts {
            name: (*name).to_string(),
            namespace: ns_col.and_then(|c| row.get(c)).map(|s| s.to_string()),
            node: node_col
                .and_then(|c| row.get(c))
                .filter(|n| **n != "<none>")
                .map(|s| s.to_string()),
            phase: row.get(status_col).map(|s| s.to_string()),
            containers: restarts
                .map(|r| {
                    vec![ContainerStatus {
                        restart_count: Some(r),
                        ..ContainerStatus::default()
                    }]
                })
                .unwrap_or_default(),
            line: i as u64 + 1,
            ..PodFacts::default()
        });
    }
    out
}

fn rejoin_restarts(row: Vec<&str>, restarts_col: Option<usize>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(row.len());
    let mut i = 0;
    while let Some(cell) = row.get(i) {
        let is_restarts = Some(out.len()) == restarts_col;
        if is_restarts && row.get(i + 1).is_some_and(|n| n.starts_with('(')) {
            out.push(format!(
                "{cell} {} {}",
                row.get(i + 1).unwrap_or(&""),
                row.get(i + 2).unwrap_or(&"")
            ));
            i += 3;
        } else {
            out.push((*cell).to_string());
            i += 1;
        }
    }
    out
}

fn s(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().map(str::to_string)
}

fn pod_from_json(p: &Value) -> PodFacts {
    let volumes = p
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .map(|vs| {
            vs.iter()
                .filter_map(|v| {
                    let name = v.get("name")?.as_str()?.to_string();
                    let (kind, source) = if let Some(c) = v.get("configMap") {
                        ("configmap", s(c, &["name"]))
                    } else if let Some(c) = v.get("secret") {
                        ("secret", s(c, &["secretName"]))
                    } else if let Some(c) = v.get("persistentVolumeClaim") {
                        ("pvc", s(c, &["claimName"]))
                    } else if let Some(c) = v.get("nfs") {
                        (
                            "nfs",
                            Some(format!(
                                "{}:{}",
                                s(c, &["server"]).unwrap_or_default(),
                                s(c, &["path"]).unwrap_or_default()
                            )),
                        )
                    } else if let Some(c) = v.get("hostPath") {
                        ("hostpath", s(c, &["path"]))
                    } else if let Some(c) = v.get("csi") {
                        ("csi", s(c, &["driver"]))
                    } else if v.get("projected").is_some() {
                        ("projected", None)
                    } else if v.get("emptyDir").is_some() {
                        ("emptydir", None)
                    } else {
                        ("other", None)
                    };
                    Some(PodVolume {
                        name,
                        kind: kind.to_string(),
                        source,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let containers = p
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    let term = c.pointer("/lastState/terminated");
                    ContainerStatus {
                        name: s(c, &["name"]).unwrap_or_default(),
                        state: c
                            .get("state")
                            .and_then(Value::as_object)
                            .and_then(|o| o.keys().next().cloned()),
                        last_reason: term.and_then(|t| s(t, &["reason"])),
                        last_message: term.and_then(|t| s(t, &["message"])),
                        exit_code: term.and_then(|t| t.get("exitCode")).and_then(Value::as_i64),
                        restart_count: c.get("restartCount").and_then(Value::as_u64),
                        ..ContainerStatus::default()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    // A pod summary (must-gather's per-node `pods_info.json`) keeps its
    // identity at the top rather than under metadata and spec.
    let runtime = p
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find_map(|c| s(c, &["containerID"])))
        .and_then(|id| id.split_once("://").map(|(rt, _)| rt.to_string()));
    PodFacts {
        runtime,
        name: s(p, &["metadata", "name"])
            .or_else(|| s(p, &["name"]))
            .unwrap_or_default(),
        namespace: s(p, &["metadata", "namespace"]).or_else(|| s(p, &["namespace"])),
        node: s(p, &["spec", "nodeName"]).or_else(|| s(p, &["nodeName"])),
        uid: s(p, &["metadata", "uid"]),
        phase: s(p, &["status", "phase"]),
        start_time: s(p, &["status", "startTime"]),
        ready_since: ready_since(p),
        deleting_since: s(p, &["metadata", "deletionTimestamp"]),
        containers,
        volumes,
        events: Vec::new(),
        line: 0,
    }
}

/// When a Ready pod became Ready: its `Ready` condition's last transition.
fn ready_since(p: &Value) -> Option<String> {
    p.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| s(c, &["type"]).as_deref() == Some("Ready"))
        .filter(|c| s(c, &["status"]).as_deref() == Some("True"))
        .and_then(|c| s(c, &["lastTransitionTime"]))
}

/// Pod or PodList, JSON or YAML (must-gather `core/pods.yaml`,
/// `pods/<pod>/<pod>.yaml`), or a bare array of pods.
pub fn parse_json(text: &str) -> Result<Vec<PodFacts>, String> {
    let v = super::yaml::document(text)?;
    let items = match (&v, v.get("items")) {
        (_, Some(Value::Array(items))) => items.iter().collect(),
        (Value::Array(items), _) => items.iter().collect(),
        // One Pod, with its `kind` or without (troubleshoot's run-pod collector).
        (Value::Object(_), _)
            if v.get("kind").and_then(Value::as_str) == Some("Pod")
                || v.get("kind").is_none()
                    && v.get("metadata").is_some()
                    && v.get("spec").is_some() =>
        {
            vec![&v]
        }
        _ => Vec::new(),
    };
    Ok(items
        .into_iter()
        .map(pod_from_json)
        .filter(|p| !p.name.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_table_gives_each_pod_its_node() {
        let t = "NAMESPACE   NAME                    READY   STATUS        RESTARTS      AGE   IP           NODE          NOMINATED NODE   READINESS GATES\n\
default     nginx-peerpod-7d6f9b5c8-tsbt4   0/1     Terminating   0             14m   10.132.0.9   pp-worker-1   <none>           <none>\n\
shop        web-7c9d8f6b54-kvvcj    0/1     CrashLoopBackOff   7 (2m ago)   40m   10.244.1.5   k8s-node-7    <none>           <none>\n";
        let pods = parse_table(t);
        assert_eq!(pods.len(), 2);
        assert_eq!(pods[0].node.as_deref(), Some("pp-worker-1"));
        assert_eq!(pods[0].phase.as_deref(), Some("Terminating"));
        assert_eq!(pods[1].node.as_deref(), Some("k8s-node-7"));
        assert_eq!(pods[1].containers[0].restart_count, Some(7));
    }

    #[test]
    fn a_table_that_is_not_pods_gives_nothing() {
        assert!(parse_table(
            "NAME   STATUS   ROLES   AGE   VERSION\nn1   Ready   <none>   3d   v1.29.4\n"
        )
        .is_empty());
        assert!(parse_table("").is_empty());
    }

    #[test]
    fn podlist_json_from_troubleshoot() {
        let j = r#"{"kind":"PodList","items":[{"metadata":{"name":"web-0","namespace":"shop","uid":"4b44a988"},
            "spec":{"nodeName":"k8s-node-7","volumes":[{"name":"app-config","configMap":{"name":"web-config"}},{"name":"data","nfs":{"server":"10.1.2.3","path":"/export"}}]},
            "status":{"phase":"Running","containerStatuses":[{"name":"web","restartCount":4,"state":{"waiting":{}},"lastState":{"terminated":{"reason":"OOMKilled","exitCode":137}}}]}}]}"#;
        let pods = parse_json(j).unwrap();
        assert_eq!(pods[0].node.as_deref(), Some("k8s-node-7"));
        assert_eq!(
            pods[0].volumes[1].source.as_deref(),
            Some("10.1.2.3:/export")
        );
        assert_eq!(
            pods[0].containers[0].last_reason.as_deref(),
            Some("OOMKilled")
        );
        assert!(parse_json("{not json").is_err());
    }
}

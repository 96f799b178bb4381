//! Node readiness: `kubectl get nodes [-o wide]` text and NodeList JSON
//! (troubleshoot `cluster-resources/nodes.json`).

use serde_json::Value;

use super::events::column_spans;
use crate::facts::NodeStatus;

/// `kubectl get nodes [-o wide]` text (NAME STATUS ROLES AGE VERSION ...) or a
/// NodeList / Node / JSON array of Nodes. Text rows keep their 1-based line;
/// JSON rows have line 0. `version` is kept as printed (`v1.24.4+k3s1`), the
/// way both `kubectl get nodes` and `nodeInfo.kubeletVersion` spell it.
/// Never panics; anything else gives an empty Vec.
pub fn parse(text: &str) -> Vec<NodeStatus> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') || super::yaml::looks_like_yaml(text) {
        if let Ok(v) = super::yaml::document(trimmed) {
            return from_json(&v);
        }
    }
    from_table(text)
}

fn from_json(root: &Value) -> Vec<NodeStatus> {
    let items: Vec<&Value> = match root {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.get("items") {
            Some(Value::Array(a)) => a.iter().collect(),
            _ if o.get("kind").and_then(Value::as_str) == Some("Node") => vec![root],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    items.into_iter().filter_map(node_from_json).collect()
}

fn node_from_json(v: &Value) -> Option<NodeStatus> {
    let name = v.get("metadata")?.get("name")?.as_str()?.to_string();
    let ready = v
        .get("status")
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
        .and_then(|conds| {
            conds
                .iter()
                .find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"))
        })
        .and_then(|c| c.get("status"))
        // Hand-edited YAML may carry an unquoted `status: True`, which YAML reads as a bool.
        .and_then(|s| match s {
            Value::Bool(true) => Some("True"),
            Value::Bool(false) => Some("False"),
            other => other.as_str(),
        });
    // kubectl prints Unknown both for an Unknown condition and for a node
    // that never reported one.
    let mut status = match ready {
        Some("True") => "Ready",
        Some("False") => "NotReady",
        _ => "Unknown",
    }
    .to_string();
    let unschedulable = v
        .get("spec")
        .and_then(|s| s.get("unschedulable"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if unschedulable {
        status.push_str(",SchedulingDisabled");
    }
    let info = |key: &str| {
        v.get("status")
            .and_then(|s| s.get("nodeInfo"))
            .and_then(|n| n.get(key))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    Some(NodeStatus {
        name,
        status,
        version: info("kubeletVersion"),
        os_image: info("osImage"),
        kernel: info("kernelVersion"),
        runtime: info("containerRuntimeVersion"),
        line: 0,
    })
}

/// Header columns of interest, by position in the current table.
struct Columns {
    name: usize,
    status: usize,
    version: Option<usize>,
    /// `-o wide` only.
    os_image: Option<usize>,
    kernel: Option<usize>,
    runtime: Option<usize>,
}

fn header_of(cells: &[&str]) -> Option<Columns> {
    let pos = |want: &str| cells.iter().position(|c| *c == want);
    let name = pos("NAME")?;
    let status = pos("STATUS")?;
    // ROLES or AGE tells a nodes table from other NAME/STATUS tables (pods).
    if pos("ROLES").is_none() && pos("AGE").is_none() {
        return None;
    }
    if pos("READY").is_some() {
        return None;
    }
    Some(Columns {
        name,
        status,
        version: pos("VERSION"),
        os_image: pos("OS-IMAGE"),
        kernel: pos("KERNEL-VERSION"),
        runtime: pos("CONTAINER-RUNTIME"),
    })
}

/// `Ready`, `NotReady`, `Unknown`, each optionally with `,SchedulingDisabled`
/// and similar comma-joined flags.
fn is_node_status(cell: &str) -> bool {
    let first = cell.split(',').next().unwrap_or("");
    matches!(first, "Ready" | "NotReady" | "Unknown") && !cell.contains(char::is_whitespace)
}

fn from_table(text: &str) -> Vec<NodeStatus> {
    let mut out = Vec::new();
    let mut cols: Option<Columns> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        // Every cell of `get nodes` is non-empty (`<none>` for no roles), so
        // splitting on blank runs keeps positions aligned with the header.
        let cells: Vec<&str> = column_spans(line)
            .into_iter()
            .filter_map(|(a, b)| line.get(a..b))
            .collect();
        if let Some(h) = header_of(&cells) {
            cols = Some(h);
            continue;
        }
        let Some(h) = cols.as_ref() else {
            continue;
        };
        let (Some(name), Some(status)) = (cells.get(h.name), cells.get(h.status)) else {
            continue;
        };
        if !is_node_status(status) || name.contains(char::is_whitespace) {
            continue;
        }
        let cell = |col: Option<usize>| {
            col.and_then(|k| cells.get(k))
                .filter(|v| **v != "<none>" && **v != "<unknown>")
                .map(|v| (*v).to_string())
        };
        out.push(NodeStatus {
            name: (*name).to_string(),
            status: (*status).to_string(),
            version: cell(h.version),
            os_image: cell(h.os_image),
            kernel: cell(h.kernel),
            runtime: cell(h.runtime),
            line: u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::noise_and_salad;

    // Real troubleshoot k3s bundle, cluster-resources/nodes.json trimmed to the fields read.
    const TROUBLESHOOT_NODES: &str = r#"{
  "kind": "NodeList",
  "apiVersion": "v1",
  "metadata": {
    "resourceVersion": "458202"
  },
  "items": [
    {
      "metadata": {
        "name": "k3d-mycluster-server-0",
        "uid": "f0a2a550-fc05-438b-a8a9-971092937be4"
      },
      "spec": {
        "podCIDR": "10.42.0.0/24",
        "podCIDRs": [
          "10.42.0.0/24"
        ],
        "providerID": "k3s://k3d-mycluster-server-0"
      },
      "status": {
        "conditions": [
          {
            "type": "MemoryPressure",
            "status": "False",
            "reason": "KubeletHasSufficientMemory"
          },
          {
            "type": "DiskPressure",
            "status": "False",
            "reason": "KubeletHasNoDiskPressure"
          },
          {
            "type": "PIDPressure",
            "status": "False",
            "reason": "KubeletHasSufficientPID"
          },
          {
            "type": "Ready",
            "status": "True",
            "reason": "KubeletReady"
          }
        ],
        "nodeInfo": {
          "machineID": "",
          "systemUUID": "",
          "bootID": "aa168037-7fe9-4387-83c7-5d71d78605bc",
          "kernelVersion": "5.15.49-linuxkit",
          "osImage": "K3s dev",
          "containerRuntimeVersion": "containerd://1.6.6-k3s1",
          "kubeletVersion": "v1.24.4+k3s1",
          "kubeProxyVersion": "v1.24.4+k3s1",
          "operatingSystem": "linux",
          "architecture": "arm64"
        }
      }
    }
  ]
}"#;

    #[test]
    fn troubleshoot_node_list() {
        let nodes = parse(TROUBLESHOOT_NODES);
        assert_eq!(
            nodes,
            vec![NodeStatus {
                name: "k3d-mycluster-server-0".into(),
                status: "Ready".into(),
                version: Some("v1.24.4+k3s1".into()),
                os_image: Some("K3s dev".into()),
                kernel: Some("5.15.49-linuxkit".into()),
                runtime: Some("containerd://1.6.6-k3s1".into()),
                line: 0,
            }]
        );
        assert!(nodes[0].is_ready());
    }

    #[test]
    fn json_not_ready_unknown_and_cordoned() {
        let text = r#"{"kind":"NodeList","items":[
          {"metadata":{"name":"a"},"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"True"}]}},
          {"metadata":{"name":"b"},"status":{"conditions":[{"type":"Ready","status":"False"}],"nodeInfo":{"kubeletVersion":"v1.29.4"}}},
          {"metadata":{"name":"c"},"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}},
          {"metadata":{}}]}"#;
        let got: Vec<(String, String, Option<String>)> = parse(text)
            .into_iter()
            .map(|n| (n.name, n.status, n.version))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a".into(), "Ready,SchedulingDisabled".into(), None),
                ("b".into(), "NotReady".into(), Some("v1.29.4".into())),
                ("c".into(), "Unknown".into(), None),
            ]
        );
        let single = r#"{"kind":"Node","metadata":{"name":"solo"},"status":{}}"#;
        assert_eq!(
            parse(single).first().map(|n| n.status.as_str()),
            Some("Unknown")
        );
    }

    #[test]
    fn text_tables_plain_and_wide() {
        let text = "NAME          STATUS                     ROLES           AGE    VERSION\n\
k8s-master-1  Ready                      control-plane   97d    v1.17.17\n\
k8s-node-7    NotReady,SchedulingDisabled   <none>       97d    v1.17.17\n\
\n\
NAME     STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION      CONTAINER-RUNTIME\n\
w2       Ready    <none>   12d   v1.29.4   10.9.8.41     <none>        Ubuntu 22.04.4 LTS   5.15.0-105-generic  containerd://1.6.31\n";
        let nodes = parse(text);
        assert_eq!(nodes.len(), 3);
        assert_eq!(
            (
                nodes[1].name.as_str(),
                nodes[1].status.as_str(),
                nodes[1].line
            ),
            ("k8s-node-7", "NotReady,SchedulingDisabled", 3)
        );
        assert!(!nodes[1].is_ready());
        assert_eq!(
            (
                nodes[2].name.as_str(),
                nodes[2].version.as_deref(),
                nodes[2].line
            ),
            ("w2", Some("v1.29.4"), 6)
        );
        assert_eq!(nodes[2].os_image.as_deref(), Some("Ubuntu 22.04.4 LTS"));
        assert_eq!(nodes[2].kernel.as_deref(), Some("5.15.0-105-generic"));
        assert_eq!(nodes[2].runtime.as_deref(), Some("containerd://1.6.31"));
        assert_eq!(nodes[0].os_image, None);
        // A pods table is not a nodes table.
        let pods = "NAMESPACE     NAME                          READY   STATUS             RESTARTS   AGE\nshop          web-7c9d8f6b54-kvvcj          0/1     CrashLoopBackOff   10         6d2h\n";
        assert!(parse(pods).is_empty());
    }

    #[test]
    fn must_gather_node_yaml() {
        // cluster-scoped-resources/core/nodes/<node>.yaml, as `oc adm inspect` writes it.
        let y = "---\napiVersion: v1\nkind: Node\nmetadata:\n  labels:\n    node-role.kubernetes.io/worker: \"\"\n  name: ocp-w-2.lab.example.com\nspec: {}\nstatus:\n  conditions:\n  - lastHeartbeatTime: \"2024-02-05T10:20:11Z\"\n    message: Kubelet stopped posting node status.\n    reason: NodeStatusUnknown\n    status: Unknown\n    type: Ready\n  nodeInfo:\n    containerRuntimeVersion: cri-o://1.27.2-2.rhaos4.14.git9d684e2.el9\n    kernelVersion: 5.14.0-284.41.1.el9_2.x86_64\n    kubeletVersion: v1.27.8+4fab27b\n    osImage: Red Hat Enterprise Linux CoreOS 414.92.202311281318-0 (Plow)\n";
        let nodes = parse(y);
        assert_eq!(nodes.len(), 1);
        let n = &nodes[0];
        assert_eq!(
            (n.name.as_str(), n.status.as_str(), n.version.as_deref()),
            (
                "ocp-w-2.lab.example.com",
                "Unknown",
                Some("v1.27.8+4fab27b")
            )
        );
        assert_eq!(
            n.runtime.as_deref(),
            Some("cri-o://1.27.2-2.rhaos4.14.git9d684e2.el9")
        );
        assert!(n
            .os_image
            .as_deref()
            .unwrap()
            .starts_with("Red Hat Enterprise Linux CoreOS"));
    }

    #[test]
    fn garbage_gives_nothing_and_never_panics() {
        let alphabet: Vec<char> = "ab Z:/-()\t\n\u{e9}0123\"{}[],x".chars().collect();
        let tokens = [
            "NAME  STATUS  ROLES  AGE  VERSION\n",
            "Ready",
            "  ",
            "\n",
            "{",
            "[",
            "\"items\":",
            "x",
            "\u{1F600}",
        ];
        for (noise, salad) in noise_and_salad(0xdead_beef_cafe_f00d, &alphabet, &tokens, 300, 80) {
            assert!(parse(&noise).is_empty(), "{noise:?}");
            let _ = parse(&salad);
        }
    }
}

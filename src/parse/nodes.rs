//! Node readiness: `kubectl get nodes [-o wide]` text and NodeList JSON
//! (troubleshoot `cluster-resources/nodes.json`).

use serde_json::Value;

use super::events::column_spans;
use super::NodeStatus;

/// `kubectl get nodes [-o wide]` text (NAME STATUS ROLES AGE VERSION ...) or a
/// NodeList / Node / JSON array of Nodes. Text rows keep their 1-based line;
/// JSON rows have line 0. `version` is kept as printed (`v1.24.4+k3s1`), the
/// way both `kubectl get nodes` and `nodeInfo.kubeletVersion` spell it.
/// Never panics; anything else gives an empty Vec.
pub fn parse(text: &str) -> Vec<NodeStatus> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Value>(trimmed) {
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
        .and_then(Value::as_str);
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
    let version = v
        .get("status")
        .and_then(|s| s.get("nodeInfo"))
        .and_then(|n| n.get("kubeletVersion"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    Some(NodeStatus {
        name,
        status,
        version,
        line: 0,
    })
}

/// Header columns of interest, by position in the current table.
struct Columns {
    name: usize,
    status: usize,
    version: Option<usize>,
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
        out.push(NodeStatus {
            name: (*name).to_string(),
            status: (*status).to_string(),
            version: h
                .version
                .and_then(|k| cells.get(k))
                .filter(|v| **v != "<none>")
                .map(|v| (*v).to_string()),
            line: u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // A pods table is not a nodes table.
        let pods = "NAMESPACE     NAME                          READY   STATUS             RESTARTS   AGE\nshop          web-7c9d8f6b54-kvvcj          0/1     CrashLoopBackOff   10         6d2h\n";
        assert!(parse(pods).is_empty());
    }

    #[test]
    fn garbage_gives_nothing_and_never_panics() {
        let mut seed: u64 = 0xdead_beef_cafe_f00d;
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
        for round in 0..300 {
            let mut noise = String::new();
            let mut salad = String::new();
            for _ in 0..(round % 80) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let k = usize::try_from(seed % 1000).unwrap_or(0);
                noise.push(alphabet[k % alphabet.len()]);
                salad.push_str(tokens[k % tokens.len()]);
            }
            assert!(parse(&noise).is_empty(), "{noise:?}");
            let _ = parse(&salad);
        }
    }
}

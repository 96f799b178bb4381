//! CSI VolumeAttachments: the `kubectl get volumeattachments [-o wide]` table
//! (NAME ATTACHER PV NODE ATTACHED AGE), and VolumeAttachment /
//! VolumeAttachmentList / List objects as JSON or YAML. troubleshoot writes
//! `cluster-resources/volumeattachments.json` as a VolumeAttachmentList whose
//! `items` may be null; must-gather writes one YAML per object under
//! `cluster-scoped-resources/storage.k8s.io/volumeattachments/`.
//!
//! The table has no error column: only the objects carry `attachError` /
//! `detachError`, which is what a stuck attach or detach is diagnosed by.

use serde_json::Value;

use crate::facts::VolumeAttachment;

/// Lines looked at for the table header by [`looks_like`].
const HEAD_LINES: usize = 20;

/// A `kubectl get volumeattachments` header within the first lines.
pub fn looks_like(text: &str) -> bool {
    text.lines()
        .take(HEAD_LINES)
        .any(|l| header_of(l).is_some())
}

/// Every VolumeAttachment in `text`: table rows keep their own line; objects
/// keep the line of their `name:` (0 when the name is not found verbatim,
/// e.g. in escaped JSON). Anything else, `items: null` included, gives an
/// empty Vec. Never panics.
pub fn parse(text: &str) -> Vec<VolumeAttachment> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') || super::yaml::looks_like_yaml(trimmed)
    {
        if let Ok(v) = super::yaml::document(trimmed) {
            return from_value(&v, text);
        }
    }
    from_table(text)
}

fn from_value(root: &Value, text: &str) -> Vec<VolumeAttachment> {
    let mut objects: Vec<&Value> = Vec::new();
    collect(root, &mut objects, 0);
    objects
        .into_iter()
        .filter_map(|o| from_object(o, text))
        .collect()
}

/// VolumeAttachment objects in a document: the object itself, the items of a
/// (VolumeAttachment)List, or any of those in a multi-document array. Depth
/// is bounded so a hostile document cannot recurse deeply.
fn collect<'v>(v: &'v Value, out: &mut Vec<&'v Value>, depth: usize) {
    if depth > 3 {
        return;
    }
    match v {
        Value::Array(items) => {
            for item in items {
                collect(item, out, depth + 1);
            }
        }
        Value::Object(o) => match o.get("kind").and_then(Value::as_str) {
            Some("VolumeAttachment") => out.push(v),
            // `items: null` (troubleshoot, no attachments) is no array: nothing.
            Some(_) | None => {
                if let Some(Value::Array(items)) = o.get("items") {
                    for item in items {
                        collect(item, out, depth + 1);
                    }
                } else if o.get("kind").is_none() && is_attachment_shape(v) {
                    // List items written without their own kind.
                    out.push(v);
                }
            }
        },
        _ => {}
    }
}

/// An object without `kind` is taken for a VolumeAttachment only when its
/// spec has the attacher and source every VolumeAttachment must have.
fn is_attachment_shape(v: &Value) -> bool {
    let spec = v.get("spec");
    spec.and_then(|s| s.get("attacher")).is_some() && spec.and_then(|s| s.get("source")).is_some()
}

fn from_object(v: &Value, text: &str) -> Option<VolumeAttachment> {
    let name = v.get("metadata")?.get("name")?.as_str()?.to_string();
    if name.is_empty() {
        return None;
    }
    let spec = v.get("spec");
    let status = v.get("status");
    let string = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let attached = status
        .and_then(|s| s.get("attached"))
        .and_then(|a| match a {
            Value::Bool(b) => Some(*b),
            // Hand-edited YAML may quote it.
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        });
    // The attach error explains a volume that never attached; the detach
    // error one that will not let go. Both empty means no error.
    let error = ["attachError", "detachError"].iter().find_map(|k| {
        string(
            status
                .and_then(|s| s.get(*k))
                .and_then(|e| e.get("message")),
        )
    });
    Some(VolumeAttachment {
        line: line_of_name(text, &name),
        attacher: string(spec.and_then(|s| s.get("attacher"))),
        pv: string(
            spec.and_then(|s| s.get("source"))
                .and_then(|s| s.get("persistentVolumeName")),
        ),
        node: string(spec.and_then(|s| s.get("nodeName"))),
        attached,
        error,
        name,
    })
}

/// 1-based line of the `name:` key holding `name` (YAML `name: x`, JSON
/// `"name": "x"`), 0 when there is none.
fn line_of_name(text: &str, name: &str) -> u64 {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ");
            (t.starts_with("name:") || t.starts_with("\"name\"")) && l.contains(name)
        })
        .map_or(0, |i| {
            u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1)
        })
}

/// Column positions of the table in the current header.
struct Columns {
    name: usize,
    attacher: usize,
    pv: usize,
    node: usize,
    attached: usize,
}

fn header_of(line: &str) -> Option<Columns> {
    let cells: Vec<&str> = line.split_whitespace().collect();
    let pos = |want: &str| cells.iter().position(|c| *c == want);
    Some(Columns {
        name: pos("NAME")?,
        attacher: pos("ATTACHER")?,
        pv: pos("PV")?,
        node: pos("NODE")?,
        attached: pos("ATTACHED")?,
    })
}

fn is_object_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

fn from_table(text: &str) -> Vec<VolumeAttachment> {
    let mut out = Vec::new();
    let mut cols: Option<Columns> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start_matches('\u{feff}').trim_end_matches('\r');
        if let Some(h) = header_of(line) {
            cols = Some(h);
            continue;
        }
        let Some(h) = cols.as_ref() else {
            continue;
        };
        // Every cell of this table is one word, never empty, so whitespace
        // splitting keeps the header's positions.
        let cells: Vec<&str> = line.split_whitespace().collect();
        let cell = |k: usize| cells.get(k).copied();
        let (Some(name), Some(attached)) = (cell(h.name), cell(h.attached)) else {
            continue;
        };
        let attached = match attached {
            "true" => true,
            "false" => false,
            _ => continue,
        };
        if !is_object_name(name) {
            continue;
        }
        let word = |k: usize| {
            cell(k)
                .filter(|v| !v.is_empty() && *v != "<none>" && *v != "<unset>")
                .map(str::to_string)
        };
        out.push(VolumeAttachment {
            name: name.to_string(),
            attacher: word(h.attacher),
            pv: word(h.pv),
            node: word(h.node),
            attached: Some(attached),
            error: None,
            line: u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{garbage_inputs, noise_and_salad};

    /// `kubectl -n longhorn-system get volumeattachments csi-ffea... -o yaml`,
    /// https://github.com/longhorn/longhorn/issues/6287 (comment of 2023-09-14).
    const LONGHORN_YAML: &str = "apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata:
  annotations:
    csi.alpha.kubernetes.io/node-id: gamora-node03.xxxx.net
  creationTimestamp: \"2023-09-06T01:08:00Z\"
  finalizers:
  - external-attacher/driver-longhorn-io
  name: csi-ffeaa30282a6d8a11b3e31ed368a6f71685b88e18c50d76a3399447f71e65e8f
  resourceVersion: \"570706987\"
  uid: f5f799b2-9903-4b93-8e0c-12ebfb2abb34
spec:
  attacher: driver.longhorn.io
  nodeName: gamora-node03.xxxx.net
  source:
    persistentVolumeName: pvc-eec020cb-9e94-462c-9a83-30cbab4d3a58
status:
  attached: true
";

    /// A VolumeAttachment stuck detaching on Alibaba Cloud disk CSI, as a
    /// public Chinese troubleshooting note quotes `kubectl get volumeattachments
    /// csi-fxxxxxxx -oyaml` (found by exact-string search of public GitHub
    /// Markdown; the index names no repository). Node and disk ids are the
    /// note's own redactions.
    const ALIBABA_DETACH_ERROR: &str = "apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata:
  annotations:
    csi.alpha.kubernetes.io/node-id: i-xxxxxxxxx
  creationTimestamp: \"2024-12-23T04:38:58Z\"
  deletionGracePeriodSeconds: 0
  deletionTimestamp: \"2024-12-23T04:50:38Z\"
  finalizers:
  - external-attacher/diskplugin-csi-alibabacloud-com
  name: csi-f9c08d139b384f12b8ebb070a256fcb2c49b6aa8e40374e8243a65c0ca21f3cd
  resourceVersion: \"204304470\"
  uid: 28c6cee9-5f40-4f08-b6cb-d0da885563c7
spec:
  attacher: diskplugin.csi.alibabacloud.com
  nodeName: i-xxxxxxxxx
  source:
    persistentVolumeName: d-******
status:
  attached: true
  detachError:
    message: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded'
    time: \"2024-12-25T07:19:19Z\"
";

    /// `kubectl get volumeattachment.storage.k8s.io -o wide` with attachments
    /// that never attached, from a public Zadara CSI walkthrough (found by
    /// exact-string search of public GitHub Markdown; the index names no
    /// repository), indented as it was quoted.
    const ZADARA_TABLE: &str = "  NAME                                                                   ATTACHER         PV                                         NODE              ATTACHED   AGE
  csi-4e556e6790013ae5699ef29122cb3db7fbd52a3b7363b3101acd944234082614   csi.zadara.com   pvc-f4f8595f-143f-47a1-8522-58ebb8e29816   k8s-base-master   false      13m
  csi-b005f095dbffb7ffa20ba6fd8694c7babfe39f3c3ccdb890b1f844f7a86d4341   csi.zadara.com   pvc-f4f8595f-143f-47a1-8522-58ebb8e29816   k8s-base-master   false      13m
  csi-baf35a09c7caef5d49df653ffd8ebcee9cccaaac18151a110140b8c7ffbe6435   csi.zadara.com   pvc-b5f9e42c-5e6f-478d-b23f-c401013d8508   k8s-base-master   false      13m
";

    #[test]
    fn longhorn_yaml_object() {
        assert_eq!(
            parse(LONGHORN_YAML),
            vec![VolumeAttachment {
                name: "csi-ffeaa30282a6d8a11b3e31ed368a6f71685b88e18c50d76a3399447f71e65e8f".into(),
                attacher: Some("driver.longhorn.io".into()),
                pv: Some("pvc-eec020cb-9e94-462c-9a83-30cbab4d3a58".into()),
                node: Some("gamora-node03.xxxx.net".into()),
                attached: Some(true),
                error: None,
                line: 9,
            }]
        );
        assert!(!looks_like(LONGHORN_YAML));
    }

    #[test]
    fn detach_error_message() {
        let got = parse(ALIBABA_DETACH_ERROR);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].attached, Some(true));
        assert_eq!(
            got[0].error.as_deref(),
            Some("rpc error: code = DeadlineExceeded desc = context deadline exceeded")
        );
        assert_eq!(
            got[0].attacher.as_deref(),
            Some("diskplugin.csi.alibabacloud.com")
        );
        assert_eq!(got[0].line, 11);
    }

    #[test]
    fn lists_in_json_and_yaml() {
        // The Longhorn object as troubleshoot's volumeattachments.json would
        // hold it (the same object, JSON-encoded, in a VolumeAttachmentList).
        let json = r#"{
  "kind": "VolumeAttachmentList",
  "apiVersion": "storage.k8s.io/v1",
  "metadata": {"resourceVersion": "570706990"},
  "items": [
    {
      "metadata": {
        "name": "csi-ffeaa30282a6d8a11b3e31ed368a6f71685b88e18c50d76a3399447f71e65e8f"
      },
      "spec": {
        "attacher": "driver.longhorn.io",
        "source": {"persistentVolumeName": "pvc-eec020cb-9e94-462c-9a83-30cbab4d3a58"},
        "nodeName": "gamora-node03.xxxx.net"
      },
      "status": {"attached": false, "attachError": {"message": "", "time": null}}
    }
  ]
}"#;
        let got = parse(json);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].attached, Some(false));
        assert_eq!(got[0].error, None, "an empty message is no error");
        assert_eq!(got[0].line, 8);
        // troubleshoot with no attachments writes `items: null`.
        assert!(parse(r#"{"kind":"VolumeAttachmentList","apiVersion":"storage.k8s.io/v1","metadata":{},"items":null}"#).is_empty());
        // `kubectl get volumeattachments -o yaml` wraps objects in a List, and
        // must-gather files may hold several documents.
        let list = format!(
            "apiVersion: v1\nitems:\n{}kind: List\n",
            ALIBABA_DETACH_ERROR
                .lines()
                .enumerate()
                .map(|(i, l)| if i == 0 {
                    format!("- {l}\n")
                } else {
                    format!("  {l}\n")
                })
                .collect::<String>()
        );
        let got = parse(&list);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].pv.as_deref(), Some("d-******"));
        let two = format!("---\n{LONGHORN_YAML}---\n{ALIBABA_DETACH_ERROR}");
        assert_eq!(parse(&two).len(), 2);
    }

    #[test]
    fn kubectl_table() {
        assert!(looks_like(ZADARA_TABLE));
        let got = parse(ZADARA_TABLE);
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0],
            VolumeAttachment {
                name: "csi-4e556e6790013ae5699ef29122cb3db7fbd52a3b7363b3101acd944234082614".into(),
                attacher: Some("csi.zadara.com".into()),
                pv: Some("pvc-f4f8595f-143f-47a1-8522-58ebb8e29816".into()),
                node: Some("k8s-base-master".into()),
                attached: Some(false),
                error: None,
                line: 2,
            }
        );
        assert_eq!(got[2].line, 4);
    }

    #[test]
    fn near_misses_give_nothing() {
        // Other objects and tables with some of the same words.
        let pv = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pvc-eec020cb\nspec:\n  csi:\n    driver: driver.longhorn.io\n";
        assert!(parse(pv).is_empty());
        let csinode =
            r#"{"kind":"CSINodeList","items":[{"metadata":{"name":"n1"},"spec":{"drivers":[]}}]}"#;
        assert!(parse(csinode).is_empty());
        let pvs = "NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM\npvc-b5f9e42c-5e6f-478d-b23f-c401013d8508   50Gi       RWX            Delete           Bound    zcenter/nas-io-test-1\n";
        assert!(!looks_like(pvs));
        assert!(parse(pvs).is_empty());
        // A gateway policy table has ATTACHED but no ATTACHER, PV or NODE.
        let policy = "NAME                     ACCEPTED   ATTACHED   AGE\ndecisions-prompt-guard   True       True       3s\n";
        assert!(!looks_like(policy));
        assert!(parse(policy).is_empty());
        assert!(parse("").is_empty());
        assert!(parse("{not json").is_empty());
    }

    #[test]
    fn garbage_gives_nothing_and_never_panics() {
        let alphabet: Vec<char> = "ab Z:/-()\t\n\u{e9}0123\"{}[],x".chars().collect();
        let tokens = [
            "NAME ATTACHER PV NODE ATTACHED AGE\n",
            "csi-1 ",
            "true",
            "false",
            " ",
            "\n",
            "{",
            "\"items\":",
            "null",
            "kind: VolumeAttachment\n",
            "\u{1F600}",
        ];
        for (noise, salad) in noise_and_salad(0xa77a_c4ed_0000_0017, &alphabet, &tokens, 300, 80) {
            assert!(parse(&noise).is_empty(), "{noise:?}");
            assert!(!looks_like(&noise), "{noise:?}");
            let _ = parse(&salad);
            let _ = looks_like(&salad);
        }
        for input in garbage_inputs() {
            let _ = looks_like(&input);
            let _ = parse(&input);
        }
    }
}

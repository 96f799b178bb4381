//! YAML as must-gather and `kubectl get -o yaml` write it (PodList, EventList,
//! Node): parsed into the JSON values the Pod, Event and Node readers already
//! understand, and "unfolded" so that line scanning sees whole messages.
//!
//! Go's YAML emitter (sigs.k8s.io/yaml, go-yaml v2) folds long scalars at 80
//! columns, so a real `message:` of an event is spread over several lines:
//!
//! ```text
//!   message: 'MountVolume.SetUp failed for volume "data" : mount failed: exit status
//!     32 Mounting command: mount ...'
//! ```
//!
//! A rule looking for `exit status 32` would never see it. [`unfold`] joins
//! each folded scalar back onto its first line and leaves the lines it took as
//! empty lines, so every line keeps its number and evidence still points at
//! the right place in the file.

use serde::Deserialize;
use serde_json::Value;

/// Text that starts like a YAML document rather than JSON or a table.
pub fn looks_like_yaml(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("---") || t.starts_with("apiVersion:") || t.starts_with("kind:")
}

/// The `kind:` of a Kubernetes YAML document, or of the first item of a List
/// (`- apiVersion: v1` / `  kind: Pod`), read from its first lines. Nested
/// `kind:` keys (an event's `involvedObject.kind`) are deeper and ignored.
pub fn kind_of(head: &str) -> Option<&str> {
    head.lines().take(200).find_map(|l| {
        let rest = l.strip_prefix("kind: ").or_else(|| {
            l.strip_prefix("  kind: ")
                .or_else(|| l.strip_prefix("- kind: "))
        })?;
        let kind = rest.trim();
        (!kind.is_empty() && kind.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(kind)
    })
}

/// A JSON or YAML document as a JSON value. Several YAML documents (`---`
/// separated) become an array of them.
pub fn document(text: &str) -> Result<Value, String> {
    let t = text.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        return serde_json::from_str(t).map_err(|e| format!("not valid JSON: {e}"));
    }
    let mut docs = Vec::new();
    for doc in yaml_serde::Deserializer::from_str(text) {
        let v = Value::deserialize(doc).map_err(|e| format!("not valid YAML: {e}"))?;
        if !v.is_null() {
            docs.push(v);
        }
    }
    match docs.len() {
        0 => Err("empty YAML document".to_string()),
        1 => Ok(docs.pop().unwrap_or(Value::Null)),
        _ => Ok(Value::Array(docs)),
    }
}

/// The text with every folded scalar joined onto the line where it starts;
/// the continuation lines become empty, so the line count is unchanged.
/// Single-quoted scalars lose their quotes and `''` escapes (what a rule
/// expects to read); double-quoted ones keep theirs, as JSON lines do, so the
/// record normaliser undoes `\"` and `\n` the same way for both.
pub fn unfold(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&line) = lines.get(i) {
        let mut next = i + 1;
        if let Some((key_indent, value_at)) = scalar_start(line) {
            let mut end = next;
            while lines
                .get(end)
                .is_some_and(|l| l.trim().is_empty() || indent(l) > key_indent)
            {
                end += 1;
            }
            // Blank lines after the scalar belong to what follows it.
            while end > next && lines.get(end - 1).is_some_and(|l| l.trim().is_empty()) {
                end -= 1;
            }
            if end > next {
                let (head, value) = line.split_at(value_at);
                let rest = lines.get(next..end).unwrap_or_default();
                out.push_str(head);
                match block_header(value) {
                    Some(literal) => out.push_str(&block(literal, rest)),
                    None => out.push_str(&fold(value, rest)),
                }
                for _ in next..end {
                    out.push('\n');
                }
                next = end;
            } else {
                out.push_str(line);
            }
        } else {
            out.push_str(line);
        }
        if next < lines.len() {
            out.push('\n');
        }
        i = next;
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// For `  key: value` or `- value` lines whose value is a scalar that may be
/// folded onto following lines: the indent its continuation lines must exceed,
/// and the byte offset where the value starts.
fn scalar_start(line: &str) -> Option<(usize, usize)> {
    let mut at = indent(line);
    let mut owner = at;
    // `- - key: v`: each dash opens a nested item; the key sits after the last.
    while line.get(at..)?.starts_with("- ") {
        owner = at;
        at += 2;
        at += indent(line.get(at..)?);
    }
    let rest = line.get(at..)?;
    let value_at = match key_end(rest) {
        Some(k) => {
            owner = at;
            at + k
        }
        // A bare sequence item `- value`: its continuation is deeper than the dash.
        None if at > indent(line) => at,
        None => return None,
    };
    let value = line.get(value_at..)?;
    if block_header(value).is_some() {
        return Some((owner, value_at));
    }
    let first = value.chars().next()?;
    let block_or_nested = matches!(first, '|' | '>' | '#' | '&' | '*' | '!' | '{' | '[');
    (!block_or_nested).then_some((owner, value_at))
}

/// A block scalar header (`|`, `|-`, `>+2`...): Some(true) for literal, Some(false) for folded.
fn block_header(value: &str) -> Option<bool> {
    let v = value.trim_end();
    let literal = match v.chars().next()? {
        '|' => true,
        '>' => false,
        _ => return None,
    };
    v.get(1..)?
        .chars()
        .all(|c| matches!(c, '-' | '+' | '1'..='9'))
        .then_some(literal)
}

/// A block scalar's lines as one line: a literal block (`|`, how go-yaml writes
/// a message with line breaks, such as a mount failure's `Mounting command:` /
/// `Output:` lines) keeps its breaks as `\n`, the way a JSON event spells them,
/// so both normalise to the same record; a folded block (`>`) joins with spaces.
fn block(literal: bool, rest: &[&str]) -> String {
    let strip = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    let content: Vec<String> = rest
        .iter()
        .map(|l| l.get(strip..).unwrap_or("").replace('\\', "\\\\"))
        .collect();
    content.join(if literal { "\\n" } else { " " })
}

/// The offset just past `key: ` in a mapping line, for plain keys.
fn key_end(rest: &str) -> Option<usize> {
    let colon = rest.find(": ")?;
    let key = rest.get(..colon)?;
    let plain =
        !key.is_empty() && !key.starts_with(['"', '\'', '#', '-', '{', '[']) && !key.contains(" #");
    if !plain {
        return None;
    }
    let after = colon + 2;
    let skip = indent(rest.get(after..)?);
    Some(after + skip)
}

/// Join a folded scalar: line breaks become one space (YAML folding), and a
/// double-quoted line ending in an odd `\` joins with nothing in between.
fn fold(first: &str, rest: &[&str]) -> String {
    let quote = first.chars().next().filter(|c| *c == '\'' || *c == '"');
    let mut joined = first.trim_end().to_string();
    for l in rest {
        let piece = l.trim();
        if piece.is_empty() {
            joined.push(' ');
            continue;
        }
        if quote == Some('"') && ends_in_escape(&joined) {
            joined.pop();
            // `\ ` at a line start is an escaped space that folding keeps.
            match piece.strip_prefix("\\ ") {
                Some(p) => {
                    joined.push(' ');
                    joined.push_str(p);
                }
                None => joined.push_str(piece),
            }
        } else {
            joined.push(' ');
            joined.push_str(piece);
        }
    }
    match quote {
        Some('\'') if joined.len() >= 2 && joined.ends_with('\'') => joined
            .get(1..joined.len() - 1)
            .unwrap_or_default()
            .replace("''", "'"),
        _ => joined,
    }
}

fn ends_in_escape(s: &str) -> bool {
    let run = s.len() - s.trim_end_matches('\\').len();
    run % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    // The shape `oc adm inspect` writes for namespaces/<ns>/core/events.yaml.
    const EVENTS: &str = "---\napiVersion: v1\nitems:\n- apiVersion: v1\n  count: 7\n  involvedObject:\n    kind: Pod\n    name: report-gen-7d9c5-x2x8q\n    namespace: billing\n  kind: Event\n  lastTimestamp: \"2024-02-05T10:14:03Z\"\n  message: 'MountVolume.SetUp failed for volume \"nfs-share\" : mount failed: exit status\n    32 Mounting command: mount Mounting arguments: -t nfs 10.0.0.5:/srv /var/lib/kubelet/pods/x\n    Output: mount: can''t find the helper program'\n  metadata:\n    name: report-gen.17b\n    namespace: billing\n  reason: FailedMount\n  type: Warning\nkind: List\nmetadata:\n  resourceVersion: \"\"\n";

    #[test]
    fn folded_message_is_joined_on_its_first_line_and_lines_keep_their_numbers() {
        let u = unfold(EVENTS);
        assert_eq!(u.lines().count(), EVENTS.lines().count());
        let line12 = u.lines().nth(11).unwrap();
        assert_eq!(
            line12,
            "  message: MountVolume.SetUp failed for volume \"nfs-share\" : mount failed: exit status 32 Mounting command: mount Mounting arguments: -t nfs 10.0.0.5:/srv /var/lib/kubelet/pods/x Output: mount: can't find the helper program"
        );
        assert_eq!(u.lines().nth(12), Some(""));
        assert_eq!(u.lines().nth(14), Some("  metadata:"));
        assert!(u.ends_with('\n'));
    }

    #[test]
    fn unfolding_agrees_with_a_yaml_parser() {
        let v = document(EVENTS).unwrap();
        let msg = v["items"][0]["message"].as_str().unwrap();
        assert!(unfold(EVENTS).contains(&format!("  message: {msg}\n")));
    }

    #[test]
    fn double_quoted_folds_keep_escapes_and_join_escaped_breaks() {
        let y = "  message: \"Unable to attach or mount volumes: unmounted volumes=[data],\n    unattached volumes=[data kube-api-access-x]: timed out waiting for the \\\"condition\\\"\\\n    \\ now\"\n  reason: FailedMount\n";
        let u = unfold(y);
        assert_eq!(
            u.lines().next().unwrap(),
            "  message: \"Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data kube-api-access-x]: timed out waiting for the \\\"condition\\\" now\""
        );
        assert_eq!(u.lines().count(), y.lines().count());
    }

    #[test]
    fn nested_maps_and_short_values_are_left_alone() {
        let y = "spec:\n  volumes:\n  - name: cfg\n    configMap:\n      name: app\n  - emptyDir: {}\n    name: tmp\n";
        assert_eq!(unfold(y), y);
    }

    #[test]
    fn a_literal_block_becomes_one_line_with_escaped_breaks() {
        // go-yaml writes a message holding line breaks as a literal block.
        let y = "- message: |-\n    MountVolume.SetUp failed for volume \"nfs\" : mount failed: exit status 32\n    Mounting command: mount\n    Output: mount: wrong fs type, bad option\n           missing codepage or helper program, or other error\n  reason: FailedMount\n";
        let u = unfold(y);
        assert_eq!(u.lines().count(), y.lines().count());
        let first = u.lines().next().unwrap();
        assert_eq!(
            first,
            "- message: MountVolume.SetUp failed for volume \"nfs\" : mount failed: exit status 32\\nMounting command: mount\\nOutput: mount: wrong fs type, bad option\\n       missing codepage or helper program, or other error"
        );
        assert_eq!(u.lines().nth(5), Some("  reason: FailedMount"));
        // The record normaliser turns it back into the lines a rule expects.
        let norm = crate::records::normalize(&[std::borrow::Cow::Borrowed(first)]);
        assert!(norm.contains("exit status 32\nMounting command: mount\nOutput:"));
        let f = "  text: >\n    one\n    two\n";
        assert_eq!(unfold(f).lines().next(), Some("  text: one two"));
    }

    #[test]
    fn folded_sequence_items_are_joined_too() {
        let y = "  args:\n  - --a-very-long-argument-value that go-yaml folded\n    onto the next line\n  - short\n";
        let u = unfold(y);
        assert_eq!(
            u.lines().nth(1).unwrap(),
            "  - --a-very-long-argument-value that go-yaml folded onto the next line"
        );
        assert_eq!(u.lines().nth(3), Some("  - short"));
    }

    #[test]
    fn kind_is_read_at_document_or_list_item_level_only() {
        assert_eq!(kind_of(EVENTS), Some("Event"));
        assert_eq!(
            kind_of("apiVersion: v1\nkind: Node\nmetadata:\n"),
            Some("Node")
        );
        assert_eq!(
            kind_of("apiVersion: v1\nitems: []\nkind: PodList\n"),
            Some("PodList")
        );
        assert_eq!(kind_of("spec:\n    kind: Pod\n"), None);
        assert_eq!(kind_of("kind: not a kind\n"), None);
    }

    #[test]
    fn documents_parse_as_json_values_and_garbage_is_an_error() {
        assert_eq!(document("{\"a\":1}").unwrap()["a"], 1);
        assert_eq!(document("---\na: 1\n---\nb: 2\n").unwrap()[1]["b"], 2);
        assert!(document("a: [unclosed\n").is_err());
        assert!(document("").is_err());
    }
}

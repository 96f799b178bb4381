//! Kubernetes events: `kubectl get events` text tables, the Events table of
//! `kubectl describe`, and EventList JSON.
//!
//! kubectl aligns its tables with Go's tabwriter, and a multi-line message (its
//! continuation lines have no cells) ends a tabwriter block, so rows after it are
//! aligned on their own. Column offsets taken from the header are therefore
//! useless after the first multi-line message: rows are split on runs of two or
//! more blanks, cells are mapped to header names by position, and a line that
//! does not validate as a row continues the previous event's message.

use std::sync::OnceLock;

use regex::Regex;

use super::regex;
use serde_json::Value;

use crate::facts::Event;
use crate::logline::Timestamp;

/// `kubectl get events` output in any of the header layouts kubectl has used:
/// `-A` (NAMESPACE LAST SEEN TYPE REASON OBJECT MESSAGE), namespaced, `-o wide`
/// (… SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME) and old kubectl
/// (LASTSEEN FIRSTSEEN COUNT NAME KIND SUBOBJECT TYPE REASON SOURCE MESSAGE).
/// Several tables in one file are fine: every header line restarts the mapping.
/// `line` is the 1-based line of the event's row.
pub fn parse_table(text: &str) -> Vec<Event> {
    parse_table_lines(
        text.lines()
            .enumerate()
            .map(|(i, l)| (u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1), l)),
    )
}

/// An EventList (troubleshoot `cluster-resources/events/<ns>.json`, must-gather
/// `namespaces/<ns>/core/events.yaml`), a bare array of events, or a single
/// Event, in JSON or YAML. Both `core/v1` and
/// `events.k8s.io/v1` field names are read. `line` is 0: JSON has no useful rows.
pub fn parse_json(text: &str) -> Result<Vec<Event>, String> {
    let root = super::yaml::document(text).map_err(|e| format!("events: {e}"))?;
    let items: Vec<&Value> = match &root {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.get("items") {
            Some(Value::Array(a)) => a.iter().collect(),
            // An empty list prints `items: null` (troubleshoot, kube-node-lease).
            Some(Value::Null) => Vec::new(),
            Some(_) => return Err("events JSON: `items` is not an array".to_string()),
            None if o.contains_key("reason") || o.contains_key("involvedObject") => vec![&root],
            None => return Err("events JSON: neither an EventList nor an Event".to_string()),
        },
        _ => return Err("events JSON: not an object or array".to_string()),
    };
    Ok(items.into_iter().filter_map(event_from_json).collect())
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

fn event_from_json(v: &Value) -> Option<Event> {
    if !v.is_object() {
        return None;
    }
    // events.k8s.io/v1 renamed involvedObject→regarding, message→note and
    // moved the legacy fields under deprecated*; read either spelling.
    let obj = v.get("involvedObject").or_else(|| v.get("regarding"));
    let obj_name = obj.and_then(|o| str_at(o, &["name"]));
    let obj_kind = obj.and_then(|o| str_at(o, &["kind"]));
    let object = match (obj_kind, obj_name) {
        (Some(k), Some(n)) => Some(format!("{}/{}", k.to_ascii_lowercase(), n)),
        (None, Some(n)) => Some(n.to_string()),
        _ => None,
    };
    let namespace = str_at(v, &["metadata", "namespace"])
        .or_else(|| obj.and_then(|o| str_at(o, &["namespace"])))
        .map(str::to_string);
    let legacy_source = v.get("source").or_else(|| v.get("deprecatedSource"));
    let component = legacy_source.and_then(|s| str_at(s, &["component"]));
    let host = legacy_source.and_then(|s| str_at(s, &["host"]));
    let reporting =
        str_at(v, &["reportingComponent"]).or_else(|| str_at(v, &["reportingController"]));
    let instance = str_at(v, &["reportingInstance"]);
    let source = component.or(reporting).map(str::to_string);
    // The reporting host or instance names a node only when an agent that runs
    // on the node reported the event: for the scheduler it is
    // `default-scheduler-<leader host>`, for an aggregated apiserver its pod.
    let node = host
        .or(instance)
        .filter(|_| source.as_deref().is_some_and(node_agent))
        .map(str::to_string);
    let count = v
        .get("count")
        .and_then(Value::as_u64)
        .or_else(|| {
            v.get("series")
                .and_then(|s| s.get("count"))
                .and_then(Value::as_u64)
        })
        .or_else(|| v.get("deprecatedCount").and_then(Value::as_u64))
        .unwrap_or(1)
        .max(1);
    let age = str_at(v, &["lastTimestamp"])
        .or_else(|| str_at(v, &["deprecatedLastTimestamp"]))
        .or_else(|| str_at(v, &["series", "lastObservedTime"]))
        .or_else(|| str_at(v, &["eventTime"]))
        .or_else(|| str_at(v, &["firstTimestamp"]))
        .map(str::to_string);
    let first = str_at(v, &["firstTimestamp"])
        .or_else(|| str_at(v, &["deprecatedFirstTimestamp"]))
        .or_else(|| str_at(v, &["eventTime"]))
        .map(str::to_string);
    let message = str_at(v, &["message"])
        .or_else(|| str_at(v, &["note"]))
        .unwrap_or("");
    Some(Event {
        kind: str_at(v, &["type"]).unwrap_or("").to_string(),
        reason: str_at(v, &["reason"]).unwrap_or("").to_string(),
        object,
        namespace,
        source,
        node,
        message: message.to_string(),
        count,
        age,
        first,
        line: 0,
        in_table: false,
    })
}

/// Table columns by header name; spelling differs between kubectl releases
/// (`LAST SEEN`/`LASTSEEN`, `SUBOBJECT`/`SubObjectPath`, `SOURCE`/`From`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Namespace,
    LastSeen,
    FirstSeen,
    Type,
    Reason,
    Object,
    Kind,
    Name,
    SubObject,
    Source,
    Message,
    Count,
    Other,
}

fn col_of(name: &str) -> Col {
    let key: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    match key.as_str() {
        "NAMESPACE" => Col::Namespace,
        "LASTSEEN" | "AGE" => Col::LastSeen,
        "FIRSTSEEN" => Col::FirstSeen,
        "TYPE" => Col::Type,
        "REASON" => Col::Reason,
        "OBJECT" => Col::Object,
        "KIND" => Col::Kind,
        "NAME" => Col::Name,
        "SUBOBJECT" | "SUBOBJECTPATH" => Col::SubObject,
        "SOURCE" | "FROM" => Col::Source,
        "MESSAGE" => Col::Message,
        "COUNT" => Col::Count,
        _ => Col::Other,
    }
}

/// A recognised header: the columns in order and where MESSAGE sits. Cells
/// left of MESSAGE are taken from the left of a row, cells right of it from the
/// right, and the message is everything in between, so double blanks inside a
/// message do not shift the columns after it.
#[derive(Debug)]
pub(crate) struct Header {
    cols: Vec<Col>,
    msg: usize,
    /// Old tables name the object by KIND + NAME; new `-o wide` has OBJECT and
    /// its NAME is the event's own name, which is not the involved object.
    name_is_object: bool,
}

pub(crate) fn header_of(line: &str) -> Option<Header> {
    let cells: Vec<&str> = column_spans(line)
        .into_iter()
        .filter_map(|(a, b)| line.get(a..b))
        .collect();
    // A header is all-caps (get) or Title-case (describe) words only; message
    // continuation lines rarely look like that and never have all three names.
    if cells.len() < 4
        || cells
            .iter()
            .any(|c| !c.starts_with(|ch: char| ch.is_ascii_uppercase()))
    {
        return None;
    }
    let cols: Vec<Col> = cells.iter().map(|c| col_of(c)).collect();
    let msg = cols.iter().position(|c| *c == Col::Message)?;
    let has = |want: Col| cols.iter().filter(|c| **c == want).count() == 1;
    if !(has(Col::Type) && has(Col::Reason)) {
        return None;
    }
    let name_is_object = !cols.contains(&Col::Object) && cols.contains(&Col::Kind);
    Some(Header {
        cols,
        msg,
        name_is_object,
    })
}

/// Byte spans of the cells of a tabwriter row: cells are separated by runs of
/// two or more blanks (a single tab also separates, for unaligned input).
pub(crate) fn column_spans(line: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut cell_start: Option<usize> = None;
    let mut gap_start: Option<usize> = None;
    let mut gap_width = 0usize;
    for (i, ch) in line.char_indices() {
        if ch == ' ' || ch == '\t' {
            if gap_start.is_none() {
                gap_start = Some(i);
                gap_width = 0;
            }
            gap_width += if ch == '\t' { 2 } else { 1 };
            continue;
        }
        if let Some(gap) = gap_start.take() {
            if gap_width >= 2 {
                if let Some(start) = cell_start.take() {
                    spans.push((start, gap));
                }
            }
        }
        if cell_start.is_none() {
            cell_start = Some(i);
        }
    }
    if let Some(start) = cell_start {
        spans.push((start, gap_start.unwrap_or(line.len())));
    }
    spans
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| c == '-' || c == ' ' || c == '\t')
}

fn age_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    regex(&RE, r"^(.*?)\s*\(x(\d+) over [^)]*\)$")
}

/// `45s (x14 over 13m)` → (`45s`, Some(14)); a plain age keeps no count.
fn split_age(cell: &str) -> (String, Option<u64>) {
    if let Some(c) = age_re().and_then(|re| re.captures(cell)) {
        let age = c.get(1).map_or("", |m| m.as_str()).to_string();
        let count = c.get(2).and_then(|m| m.as_str().parse().ok());
        return (age, count);
    }
    (cell.to_string(), None)
}

/// Components that run on a node and report events with its name as their host.
fn node_agent(component: &str) -> bool {
    matches!(
        component,
        "kubelet" | "node-problem-detector" | "kernel-monitor" | "systemd-monitor"
    )
}

/// `kubelet, k8s-node-7` (old kubectl), `{kubelet k8s-node-7}` (older still) or
/// just `kubelet` → (component, node); the host is a node only for a node agent.
fn split_source(cell: &str) -> (Option<String>, Option<String>) {
    let inner = cell
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim();
    let mut parts = inner
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty());
    let component = parts.next().map(str::to_string);
    let node = parts
        .next()
        .filter(|_| component.as_deref().is_some_and(node_agent))
        .map(str::to_string);
    (component, node)
}

/// A SUBOBJECT cell is a field path; kubectl leaves it empty for pod-level
/// events, and an empty cell vanishes when splitting on blanks.
fn looks_like_field_path(cell: &str) -> bool {
    cell.starts_with("spec.")
        || cell.starts_with("status.")
        || cell.starts_with("metadata.")
        || cell.contains('{')
}

fn is_type_word(cell: &str) -> bool {
    let mut chars = cell.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && cell.len() >= 3
        && chars.all(|c| c.is_ascii_alphabetic())
}

/// One row under `h`, or None when the line is not a row (then it continues the
/// previous message).
pub(crate) fn parse_row(h: &Header, line: &str, line_no: u64) -> Option<Event> {
    let spans = column_spans(line);
    let right_cols = h.cols.get(h.msg + 1..).unwrap_or(&[]);
    let left_cols = h.cols.get(..h.msg).unwrap_or(&[]);
    let available = spans.len().checked_sub(right_cols.len())?;
    let cell = |i: usize| spans.get(i).and_then(|&(a, b)| line.get(a..b));

    let mut ev = Event {
        count: 1,
        line: line_no,
        in_table: true,
        ..Event::default()
    };
    let mut kind_cell: Option<String> = None;
    let mut name_cell: Option<String> = None;
    let mut first_age: Option<String> = None;
    let mut saw_type = false;
    let mut assign = |col: Col, text: &str, ev: &mut Event| -> bool {
        match col {
            Col::Namespace => ev.namespace = Some(text.to_string()),
            Col::LastSeen => {
                let (age, count) = split_age(text);
                ev.age = Some(age);
                if let Some(n) = count {
                    ev.count = n;
                }
            }
            Col::Type => {
                if !is_type_word(text) {
                    return false;
                }
                ev.kind = text.to_string();
                saw_type = true;
            }
            Col::Reason => {
                if text.contains(char::is_whitespace) {
                    return false;
                }
                ev.reason = text.to_string();
            }
            Col::Object => ev.object = Some(text.to_string()),
            Col::Kind => kind_cell = Some(text.to_string()),
            Col::Name => name_cell = Some(text.to_string()),
            Col::Source => {
                let (component, node) = split_source(text);
                ev.source = component;
                ev.node = node;
            }
            Col::Count => match text.parse::<u64>() {
                Ok(n) => ev.count = n,
                Err(_) => return false,
            },
            Col::FirstSeen => first_age = Some(text.to_string()),
            Col::SubObject | Col::Message | Col::Other => {}
        }
        true
    };

    let mut next = 0usize;
    for &col in left_cols {
        let text = cell(next).filter(|_| next < available)?;
        if col == Col::SubObject && !looks_like_field_path(text) {
            continue;
        }
        if !assign(col, text, &mut ev) {
            return None;
        }
        next += 1;
    }
    for (k, &col) in right_cols.iter().enumerate() {
        let text = cell(available + k)?;
        if !assign(col, text, &mut ev) {
            return None;
        }
    }
    if !saw_type || ev.reason.is_empty() {
        return None;
    }
    // The message is the original text from its first cell to its last, so
    // runs of blanks inside it survive.
    if next < available {
        let start = spans.get(next).map(|s| s.0);
        let end = spans.get(available - 1).map(|s| s.1);
        if let (Some(a), Some(b)) = (start, end) {
            ev.message = line.get(a..b).unwrap_or("").to_string();
        }
    }
    if h.name_is_object {
        ev.object = match (kind_cell, name_cell) {
            (Some(k), Some(n)) => Some(format!("{}/{}", k.to_ascii_lowercase(), n)),
            (None, Some(n)) => Some(n),
            _ => None,
        };
    } else if let Some(first) = name_cell.as_deref().and_then(time_in_event_name) {
        ev.first = Some(format!("{first}Z"));
        // Both ages count back from the moment kubectl printed the table: their
        // difference is the span from first to last, to the unit kubectl
        // rounded the first age to (a minute under three hours, for example).
        let span = first_age
            .as_deref()
            .and_then(kubectl_age)
            .zip(ev.age.as_deref().and_then(kubectl_age))
            .map(|(first_age, last_age)| first_age.saturating_sub(last_age).max(0));
        if let Some(last) = span.and_then(|s| first.plus_seconds(s)) {
            ev.age = Some(format!("{}Z", Timestamp { micros: 0, ..last }));
        }
    }
    Some(ev)
}

/// The time in an event's name: client-go's recorder names each event
/// `<object>.<hex of its first time's Unix nanoseconds>`
/// (`fmt.Sprintf("%v.%x", ref.Name, t.UnixNano())` in
/// `tools/record/event.go`, and the same in `tools/events`). Only a suffix of
/// 15 or 16 hex digits between the years 2000 and 2100 is taken for one.
fn time_in_event_name(name: &str) -> Option<Timestamp> {
    let (_, hex) = name.rsplit_once('.')?;
    if !(15..=16).contains(&hex.len()) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let nanos = i128::from_str_radix(hex, 16).ok()?;
    let t = Timestamp::from_unix_nanos(nanos)?;
    t.year
        .is_some_and(|y| (2000..2100).contains(&y))
        .then_some(t)
}

/// Seconds in an age as kubectl prints it (`duration.HumanDuration`: `95s`,
/// `5m3s`, `27m`, `3h2m`, `10h`, `2d3h`, `45d`, `3y20d`); None for anything
/// else (`<unknown>`, an RFC 3339 time).
fn kubectl_age(age: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut number: Option<i64> = None;
    for c in age.chars() {
        if let Some(d) = c.to_digit(10) {
            number = Some(
                number
                    .unwrap_or(0)
                    .checked_mul(10)?
                    .checked_add(i64::from(d))?,
            );
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'y' => 365 * 86_400,
            _ => return None,
        };
        total = total.checked_add(number.take()?.checked_mul(unit)?)?;
    }
    // A trailing number without its unit is not an age.
    (number.is_none() && !age.is_empty()).then_some(total)
}

fn finish(ev: Event, out: &mut Vec<Event>) {
    let mut ev = ev;
    // Continuation appends every line, blank ones included (messages such as
    // util-linux's mount help have blank lines inside); only the tail is noise.
    let trimmed_len = ev.message.trim_end().len();
    ev.message.truncate(trimmed_len);
    out.push(ev);
}

/// The table state machine shared with `describe`: header lines (re)start the
/// column mapping, separator lines are skipped, a line that validates as a row
/// starts an event, and anything else continues the current event's message.
pub(crate) fn parse_table_lines<'a, I>(lines: I) -> Vec<Event>
where
    I: IntoIterator<Item = (u64, &'a str)>,
{
    let mut out = Vec::new();
    let mut header: Option<Header> = None;
    let mut current: Option<Event> = None;
    for (line_no, raw) in lines {
        let line = raw.trim_end_matches(['\r', '\n']);
        if let Some(h) = header_of(line) {
            if let Some(ev) = current.take() {
                finish(ev, &mut out);
            }
            header = Some(h);
            continue;
        }
        let Some(h) = header.as_ref() else {
            continue;
        };
        if current.is_none() && is_separator(line) {
            continue;
        }
        if let Some(ev) = parse_row(h, line, line_no) {
            if let Some(done) = current.replace(ev) {
                finish(done, &mut out);
            }
            continue;
        }
        if let Some(ev) = current.as_mut() {
            ev.message.push('\n');
            ev.message.push_str(line.trim_end());
        }
    }
    if let Some(ev) = current.take() {
        finish(ev, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::noise_and_salad;

    // eval pub03: sos `kubectl get --all-namespaces events`, first rows.
    const PUB03_EVENTS: &str = r#"NAMESPACE   LAST SEEN   TYPE      REASON    OBJECT                     MESSAGE
shop        40s         Normal    Pulled    pod/web-7c9d8f6b54-kvvcj   Container image "registry.example.internal/shop/web:2.14.1" already present on machine
shop        40s         Normal    Created   pod/web-7c9d8f6b54-kvvcj   Created container web
shop        20m         Warning   Failed    pod/web-7c9d8f6b54-kvvcj   Error: failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/2d343fd75710f1200b57a0fa9342385653ed4b657e4ed4bc1b1d8ceb63a9601d/rootfs/app/config/production.json" caused: no such file or directory: unknown
shop        0s          Warning   BackOff   pod/web-7c9d8f6b54-kvvcj   Back-off restarting failed container
shop        20m         Warning   Failed    pod/web-7c9d8f6b54-kvvcj   Error: failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/2f08069e3610a3a456018b85f302685763e6260dbfd71f3180c81c307eba5899/rootfs/app/config/production.json" caused: no such file or directory: unknown
"#;
    // Real troubleshoot k3s bundle, cluster-resources/events/default.json, two items (managedFields dropped).
    const TROUBLESHOOT_DEFAULT_EVENTS: &str = r#"{
  "kind": "EventList",
  "apiVersion": "v1",
  "metadata": {
    "resourceVersion": "458202"
  },
  "items": [
    {
      "kind": "Event",
      "apiVersion": "v1",
      "metadata": {
        "name": "static-hi.1732dc9f296e96d6",
        "namespace": "default",
        "uid": "14a83255-4be3-462e-b11e-b958d9885671",
        "resourceVersion": "458168",
        "creationTimestamp": "2022-12-21T16:43:07Z"
      },
      "involvedObject": {
        "kind": "Pod",
        "namespace": "default",
        "name": "static-hi",
        "uid": "4e5b32b2-11a3-4690-9818-d065ba11bf49",
        "apiVersion": "v1",
        "resourceVersion": "458166"
      },
      "reason": "Scheduled",
      "message": "Successfully assigned default/static-hi to k3d-mycluster-server-0",
      "source": {},
      "firstTimestamp": null,
      "lastTimestamp": null,
      "type": "Normal",
      "eventTime": "2022-12-21T16:43:07.860897Z",
      "action": "Binding",
      "reportingComponent": "default-scheduler",
      "reportingInstance": "default-scheduler-k3d-mycluster-server-0"
    },
    {
      "kind": "Event",
      "apiVersion": "v1",
      "metadata": {
        "name": "static-hi.1732dc9f40853ca6",
        "namespace": "default",
        "uid": "97789463-b403-46e2-a720-c398b7d09bf0",
        "resourceVersion": "458173",
        "creationTimestamp": "2022-12-21T16:43:08Z"
      },
      "involvedObject": {
        "kind": "Pod",
        "namespace": "default",
        "name": "static-hi",
        "uid": "4e5b32b2-11a3-4690-9818-d065ba11bf49",
        "apiVersion": "v1",
        "resourceVersion": "458167",
        "fieldPath": "spec.containers{static-hi}"
      },
      "reason": "Pulled",
      "message": "Container image \"alpine:3\" already present on machine",
      "source": {
        "component": "kubelet",
        "host": "k3d-mycluster-server-0"
      },
      "firstTimestamp": "2022-12-21T16:43:08Z",
      "lastTimestamp": "2022-12-21T16:43:08Z",
      "count": 2,
      "type": "Normal",
      "eventTime": null,
      "reportingComponent": "",
      "reportingInstance": ""
    }
  ]
}"#;

    #[test]
    fn all_namespaces_table_from_sos() {
        let evs = parse_table(PUB03_EVENTS);
        assert_eq!(evs.len(), 5);
        let e = &evs[2];
        assert_eq!(e.namespace.as_deref(), Some("shop"));
        assert_eq!((e.kind.as_str(), e.reason.as_str()), ("Warning", "Failed"));
        assert_eq!(e.object.as_deref(), Some("pod/web-7c9d8f6b54-kvvcj"));
        assert_eq!((e.age.as_deref(), e.count, e.line), (Some("20m"), 1, 4));
        assert!(e
            .message
            .starts_with("Error: failed to create containerd task"));
        assert!(e.message.ends_with("no such file or directory: unknown"));
        assert_eq!(evs[3].reason, "BackOff");
        assert_eq!(evs[0].message, "Container image \"registry.example.internal/shop/web:2.14.1\" already present on machine");
    }

    #[test]
    fn multiline_message_then_differently_aligned_rows() {
        // The pub02 shape in `get events` form: a row, three continuation lines
        // (they end the tabwriter block), then rows aligned among themselves.
        let text = "LAST SEEN   TYPE      REASON        OBJECT                MESSAGE\n\
13m         Normal    Scheduled     pod/media-indexer-0   Successfully assigned media/media-indexer-0 to k8s-ubu-w2\n\
45s         Warning   FailedMount   pod/media-indexer-0   MountVolume.SetUp failed for volume \"media-library-pv\" : mount failed: exit status 32\n\
Mounting command: mount\n\
Mounting arguments: -t nfs -o nfsvers=4.1 10.9.8.7:/exports/media /var/lib/kubelet/pods/x/volumes/kubernetes.io~nfs/media-library-pv\n\
Output: mount.nfs: access denied by server while mounting 10.9.8.7:/exports/media\n\
39s   Warning   FailedMount   pod/media-indexer-0   Unable to attach or mount volumes: unmounted volumes=[media-library]: context deadline exceeded\n\
2s    Normal    Pulling   pod/other-0   Pulling image \"busybox\"\n";
        let evs = parse_table(text);
        assert_eq!(evs.len(), 4, "{evs:#?}");
        assert_eq!(evs[1].message.lines().count(), 4);
        assert!(evs[1]
            .message
            .ends_with("access denied by server while mounting 10.9.8.7:/exports/media"));
        assert_eq!((evs[2].line, evs[2].age.as_deref()), (7, Some("39s")));
        assert_eq!(evs[2].reason, "FailedMount");
        assert_eq!(evs[3].object.as_deref(), Some("pod/other-0"));
        assert_eq!(evs[3].message, "Pulling image \"busybox\"");
        assert_eq!(evs[0].namespace, None);
    }

    #[test]
    fn wide_table_with_and_without_subobject() {
        let text = "LAST SEEN   TYPE      REASON    OBJECT        SUBOBJECT               SOURCE                MESSAGE                              FIRST SEEN   COUNT   NAME\n\
40s         Normal    Pulled    pod/web-1     spec.containers{web}    kubelet, k8s-node-7   Container image \"a\" already present   20m          9       web-1.1662a\n\
0s          Warning   BackOff   pod/web-1     spec.containers{web}    kubelet, k8s-node-7   Back-off restarting failed container   20m          29      web-1.1662b\n\
5m          Warning   FailedMount   pod/db-0                    kubelet, k8s-node-2   Unable to attach or mount volumes   5m   3   db-0.1662c\n";
        let evs = parse_table(text);
        assert_eq!(evs.len(), 3, "{evs:#?}");
        assert_eq!(
            (
                evs[1].count,
                evs[1].source.as_deref(),
                evs[1].node.as_deref()
            ),
            (29, Some("kubelet"), Some("k8s-node-7"))
        );
        assert_eq!(evs[1].message, "Back-off restarting failed container");
        assert_eq!(evs[1].object.as_deref(), Some("pod/web-1"));
        assert_eq!(
            (evs[2].count, evs[2].node.as_deref()),
            (3, Some("k8s-node-2"))
        );
        assert_eq!(evs[2].message, "Unable to attach or mount volumes");
    }

    /// A real event: `pvc.15ea93ac7757afb4`, `firstTimestamp:
    /// "2020-01-17T04:56:28Z"`, `lastTimestamp: "2020-01-17T04:56:55Z"`,
    /// count 25 (`kubectl get events -o=json`, Shopify/krane pull request 666),
    /// as the `-o wide` row printed a minute after its last occurrence shows it.
    #[test]
    fn wide_rows_have_times_from_the_event_name_and_the_ages() {
        let text = "LAST SEEN   TYPE      REASON             OBJECT    SUBOBJECT   SOURCE              MESSAGE                                                                                     FIRST SEEN   COUNT   NAME\n\
88s         Warning   FailedScheduling   pod/pvc               default-scheduler   0/1 nodes are available: 1 node(s) didn't find available persistent volumes to bind.   115s         25      pvc.15ea93ac7757afb4\n";
        let evs = parse_table(text);
        assert_eq!(evs.len(), 1, "{evs:#?}");
        assert_eq!(evs[0].first.as_deref(), Some("2020-01-17T04:56:28.292673Z"));
        // 115 s - 88 s after the first: the lastTimestamp, to the second.
        assert_eq!(evs[0].age.as_deref(), Some("2020-01-17T04:56:55.000000Z"));
        assert_eq!(evs[0].count, 25);
    }

    #[test]
    fn kubectl_ages_and_event_names() {
        // duration.HumanDuration's shapes, k8s.io/apimachinery/pkg/util/duration.
        for (age, secs) in [
            ("95s", 95),
            ("5m3s", 303),
            ("27m", 1620),
            ("3h2m", 10_920),
            ("10h", 36_000),
            ("2d3h", 183_600),
            ("45d", 3_888_000),
            ("3y20d", 96_336_000),
        ] {
            assert_eq!(kubectl_age(age), Some(secs), "{age}");
        }
        for not_an_age in ["", "<unknown>", "5", "5x", "2024-01-01T00:00:00Z", "m"] {
            assert_eq!(kubectl_age(not_an_age), None, "{not_an_age}");
        }
        // Names without a time: short hex (the tests above), no suffix, and a
        // suffix that would be 1970.
        for name in [
            "web-1.1662a",
            "pvc",
            "x.000000000000001",
            "db.15ea93ac7757afbz",
        ] {
            assert_eq!(time_in_event_name(name), None, "{name}");
        }
    }

    #[test]
    fn old_kubectl_table() {
        let text = "LASTSEEN   FIRSTSEEN   COUNT     NAME                   KIND      SUBOBJECT               TYPE      REASON    SOURCE                 MESSAGE\n\
1m         20m         29        web-7c9d8f6b54-kvvcj   Pod       spec.containers{web}    Warning   BackOff   kubelet, k8s-node-7    Back-off restarting failed container\n\
20m        20m         1         web-7c9d8f6b54-kvvcj   Pod                               Normal    Scheduled default-scheduler      Successfully assigned web-7c9d8f6b54-kvvcj to k8s-node-7\n\
20m        20m         1         web-7c9d8f6b54-kvvcj   Pod                               Normal    Scheduled   default-scheduler    Successfully assigned web-7c9d8f6b54-kvvcj to k8s-node-7\n";
        let evs = parse_table(text);
        // The middle row has REASON and SOURCE glued by one blank: it cannot be
        // split and is taken as continuation text, never as a wrong row.
        assert_eq!(evs.len(), 2, "{evs:#?}");
        let e = &evs[0];
        assert_eq!(e.object.as_deref(), Some("pod/web-7c9d8f6b54-kvvcj"));
        assert_eq!((e.count, e.age.as_deref()), (29, Some("1m")));
        assert_eq!(
            (e.source.as_deref(), e.node.as_deref()),
            (Some("kubelet"), Some("k8s-node-7"))
        );
        assert_eq!(evs[1].reason, "Scheduled");
        assert_eq!(evs[1].source.as_deref(), Some("default-scheduler"));
        assert_eq!(evs[1].line, 4);
    }

    #[test]
    fn troubleshoot_event_list() {
        let evs = parse_json(TROUBLESHOOT_DEFAULT_EVENTS).unwrap_or_default();
        assert_eq!(evs.len(), 2);
        // New-style event: only reportingComponent, eventTime.
        assert_eq!(evs[0].source.as_deref(), Some("default-scheduler"));
        assert_eq!(evs[0].node, None);
        assert_eq!(evs[0].age.as_deref(), Some("2022-12-21T16:43:07.860897Z"));
        assert_eq!(evs[0].object.as_deref(), Some("pod/static-hi"));
        assert_eq!(evs[0].count, 1);
        assert_eq!(evs[1].reason, "Pulled");
        assert_eq!(
            (evs[1].source.as_deref(), evs[1].node.as_deref()),
            (Some("kubelet"), Some("k3d-mycluster-server-0"))
        );
        assert_eq!((evs[1].count, evs[1].line), (2, 0));
        assert_eq!(evs[1].namespace.as_deref(), Some("default"));
        assert_eq!(evs[1].age.as_deref(), Some("2022-12-21T16:43:08Z"));
    }

    #[test]
    fn bare_array_series_and_errors() {
        let text = r#"[{"type":"Warning","reason":"FailedMount","involvedObject":{"kind":"Pod","name":"p","namespace":"n"},
            "message":"m","series":{"count":7,"lastObservedTime":"2024-01-01T00:00:00Z"},
            "reportingComponent":"kubelet","reportingInstance":"node-3"}, 5]"#;
        let evs = parse_json(text).unwrap_or_default();
        assert_eq!(evs.len(), 1);
        assert_eq!((evs[0].count, evs[0].node.as_deref()), (7, Some("node-3")));
        assert_eq!(evs[0].namespace.as_deref(), Some("n"));
        assert_eq!(evs[0].age.as_deref(), Some("2024-01-01T00:00:00Z"));
        assert!(parse_json(r#"{"kind":"EventList","items":[]}"#).is_ok_and(|v| v.is_empty()));
        assert!(parse_json("not json").is_err());
        assert!(parse_json(r#"{"kind":"PodList"}"#).is_err());
        assert!(parse_json("\"str\"").is_err());
    }

    #[test]
    fn age_and_source_cells() {
        assert_eq!(
            split_age("45s (x14 over 13m)"),
            ("45s".to_string(), Some(14))
        );
        assert_eq!(split_age("<unknown>"), ("<unknown>".to_string(), None));
        assert_eq!(
            split_source("{kubelet k8s-node-7}"),
            (Some("kubelet".into()), Some("k8s-node-7".into()))
        );
        assert_eq!(
            split_source("kubelet, k8s-node-7"),
            (Some("kubelet".into()), Some("k8s-node-7".into()))
        );
        assert_eq!(
            split_source("default-scheduler"),
            (Some("default-scheduler".into()), None)
        );
        assert!(age_re().is_some());
    }

    #[test]
    fn garbage_gives_nothing_and_never_panics() {
        let alphabet: Vec<char> = "ab Z:/-()\t\n\u{e9}0123\"{}[],x".chars().collect();
        let tokens = [
            "LAST SEEN  TYPE  REASON  OBJECT  MESSAGE\n",
            "NAMESPACE",
            "  ",
            "Warning",
            "Normal",
            "X",
            "(x9 over 1m)",
            "\n",
            "COUNT",
            "  -  ",
            "{",
            "\"items\":[",
            "\u{1F600}",
            "1",
        ];
        for (noise, salad) in noise_and_salad(0x9e37_79b9_7f4a_7c15, &alphabet, &tokens, 400, 90) {
            assert!(parse_table(&noise).is_empty(), "{noise:?}");
            assert!(parse_json(&noise).map_or(true, |v| v.is_empty()));
            let _ = parse_table(&salad);
            let _ = parse_json(&salad);
        }
    }
}

//! What each bundle entry is: its `ArtifactKind`, decided by its content first
//! and by its name only where the content agrees, because customers and
//! collectors name files anything (`notes.txt` holding kubelet lines is a
//! kubelet log; `kubelet.yaml` holding a MachineConfig is not).
//!
//! The order of evidence:
//! 1. bytes that are not text (binary, a PEM certificate or key, an HTML page)
//!    are not read, and the inventory says why;
//! 2. a JSON or YAML document is what its own `kind` and `apiVersion` say
//!    (`Pod`, `EventList`, `Node` of the core API; anything else is
//!    configuration), never a log; a document with no `kind` (troubleshoot's
//!    older bare arrays) is judged by its fields once it is read whole
//!    (`document_kind`);
//! 3. text formats recognised by their shape (describe output, tables,
//!    mountinfo, package lists, os-release, klog and journald lines);
//! 4. the file name, only when the content is compatible with what the name
//!    claims (a log named `kubelet` must have log lines; a package list named
//!    `rpm-qa` must parse as one; a `version` under `/sys` is hardware data).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::facts::ArtifactKind;

/// An entry's kind and, for one that is not read, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classified {
    pub kind: ArtifactKind,
    pub note: Option<&'static str>,
    /// A JSON or YAML document whose head states no `kind`: `document_kind`
    /// decides once it is read whole.
    pub kindless_document: bool,
}

impl Classified {
    fn kind(kind: ArtifactKind) -> Classified {
        Classified {
            kind,
            note: None,
            kindless_document: false,
        }
    }

    fn skipped(note: &'static str) -> Classified {
        Classified {
            note: Some(note),
            ..Classified::kind(ArtifactKind::Skipped)
        }
    }
}

/// Lowercased file name without rotation or compression suffixes
/// (`kubelet.log.1.gz` -> `kubelet.log`).
fn base_name(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let mut name = name.as_str();
    loop {
        let before = name;
        for suffix in [".gz", ".xz", ".zst", ".tailed"] {
            if let Some(s) = name.strip_suffix(suffix) {
                name = s;
            }
        }
        if let Some((stem, tail)) = name.rsplit_once('.') {
            if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) {
                name = stem;
            }
        }
        if name == before {
            break;
        }
    }
    name.to_string()
}

/// Classify an entry from its bundle-relative path and the start of its content.
pub fn classify(path: &str, head: &[u8]) -> ArtifactKind {
    classify_entry(path, head).kind
}

/// `classify`, with the reason an entry is not read.
pub fn classify_entry(path: &str, head: &[u8]) -> Classified {
    if crate::ingest::looks_binary(head) {
        return Classified::skipped("binary content: not read as text");
    }
    let text = String::from_utf8_lossy(head.get(..head.len().min(16 * 1024)).unwrap_or(head));
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("-----BEGIN ") {
        return Classified::skipped("a certificate or key (PEM): not read");
    }
    let lower: String = trimmed
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Classified::skipped(
            "an HTML page (a rendering of data a bundle holds as YAML or JSON): not read",
        );
    }
    // A symbolic link a copy turned into a file holding its target: read
    // whole, so the scan can find the entry it stands for.
    if is_link_stub(trimmed) {
        return Classified::kind(ArtifactKind::Config);
    }
    if let Some((kind, kindless_document)) = structured_document(trimmed) {
        return Classified {
            kindless_document,
            ..Classified::kind(kind)
        };
    }
    // Content first: it is what the file really is.
    if let Some(kind) = sniff(&text) {
        return Classified::kind(kind);
    }
    Classified::kind(by_path(path, &text).unwrap_or(ArtifactKind::OtherLog))
}

/// One relative path and nothing else (`../usr/lib/os-release`, `sos_commands/general/hostname`).
fn is_link_stub(t: &str) -> bool {
    let t = t.trim_end();
    t.len() < 1024
        && t.contains('/')
        && !t.starts_with('/')
        && !t.contains(char::is_whitespace)
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-/+:=,".contains(&b))
}

/// Whether an API group/version is one whose `Pod`, `Event` and `Node` are Kubernetes' own
/// (a Longhorn `longhorn.io/v1beta1` `Node` is not a node).
fn core_api(api: Option<&str>) -> bool {
    matches!(
        api,
        None | Some("v1") | Some("events.k8s.io/v1") | Some("events.k8s.io/v1beta1")
    )
}

/// The artifact kind a Kubernetes `kind` stands for.
fn kind_of_object(kind: &str, api: Option<&str>) -> ArtifactKind {
    match kind {
        "Pod" | "PodList" if core_api(api) => ArtifactKind::PodJson,
        "Event" | "EventList" if core_api(api) => ArtifactKind::Events,
        "Node" | "NodeList" if core_api(api) => ArtifactKind::NodeList,
        "VolumeAttachment" | "VolumeAttachmentList"
            if api.is_none_or(|a| a.starts_with("storage.k8s.io/")) =>
        {
            ArtifactKind::VolumeAttachments
        }
        _ => ArtifactKind::Config,
    }
}

/// A JSON or YAML document's kind from its head, or None when the text is
/// not such a document. Documents are never logs: whatever their name, one
/// with another `kind` (a CRD, a MachineConfig, a ServiceMonitor) or none
/// that the head shows is configuration until read whole (`document_kind`).
fn structured_document(trimmed: &str) -> Option<(ArtifactKind, bool)> {
    let head = if opens_json(trimmed) && !is_json_lines(trimmed) {
        json_head(trimmed)?
    } else if crate::parse::yaml::looks_like_yaml(trimmed)
        || (trimmed.starts_with("- ") && yaml_list_of_objects(trimmed))
    {
        yaml_head(trimmed)
    } else {
        return None;
    };
    let from = |k: &Option<(String, Option<String>)>| {
        k.as_ref()
            .map(|(kind, api)| kind_of_object(kind, api.as_deref()))
    };
    Some(match (&head.top, &head.item) {
        (Some((kind, _)), item) if kind == "List" => {
            (from(item).unwrap_or(ArtifactKind::Config), item.is_none())
        }
        (Some(_), _) => (from(&head.top).unwrap_or(ArtifactKind::Config), false),
        (None, Some(_)) => (from(&head.item).unwrap_or(ArtifactKind::Config), false),
        (None, None) => (ArtifactKind::Config, true),
    })
}

/// Text that opens a JSON object or array: `{` then a key or `}`, `[` then a
/// value that JSON allows (a dmesg line also opens with `[`, then a number and `]`).
fn opens_json(t: &str) -> bool {
    let mut chars = t.chars();
    let open = chars.next();
    let next = chars.find(|c| !c.is_whitespace());
    match open {
        Some('{') => matches!(next, Some('"' | '}')),
        Some('[') => matches!(next, Some('{' | '"' | ']' | '[')),
        _ => false,
    }
}

/// One JSON object per line (a CSI driver's or operator's log): a log, not a document.
fn is_json_lines(t: &str) -> bool {
    let mut lines = t.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("");
    first.starts_with('{')
        && first.ends_with('}')
        && lines.next().is_some_and(|l| l.starts_with('{'))
}

/// The `kind`/`apiVersion` pairs a document's head states: the top object's,
/// and the first list item's (of `items:` or of a top-level array).
#[derive(Debug, Default)]
struct DocHead {
    top: Option<(String, Option<String>)>,
    item: Option<(String, Option<String>)>,
}

/// Read a JSON head with a small tokenizer that tracks nesting, so that an
/// event's `involvedObject.kind: Pod` or an Endpoints' `targetRef.kind: Pod`
/// is never taken for the document's kind. The head may be cut anywhere.
fn json_head(text: &str) -> Option<DocHead> {
    let b = text.as_bytes();
    // (container is an object, the key that holds it)
    let mut stack: Vec<(bool, String)> = Vec::new();
    let mut pending_key: Option<String> = None;
    let mut last_key = String::new();
    let mut top: (Option<String>, Option<String>) = (None, None);
    let mut item: (Option<String>, Option<String>) = (None, None);
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while let Some(&d) = b.get(j) {
                    match d {
                        b'\\' => j += 2,
                        b'"' => break,
                        _ => j += 1,
                    }
                }
                let s = text.get(start..j.min(text.len())).unwrap_or("");
                i = j + 1;
                // A key if a colon follows.
                let mut k = i;
                while b.get(k).is_some_and(u8::is_ascii_whitespace) {
                    k += 1;
                }
                if b.get(k) == Some(&b':') && stack.last().is_some_and(|(obj, _)| *obj) {
                    last_key = s.to_string();
                    pending_key = Some(s.to_string());
                    i = k + 1;
                    continue;
                }
                // A string value of `pending_key`.
                if let Some(key) = pending_key.take() {
                    let depth = stack.len();
                    // Depth 1: the top object. An item: an object in the top
                    // array (depth 2), or in the top object's `items` (depth 3).
                    let in_items = depth == 3
                        && stack.get(1).is_some_and(|(obj, k)| !obj && k == "items")
                        || depth == 2 && stack.first().is_some_and(|(obj, _)| !obj);
                    let slot = if depth == 1 {
                        Some(&mut top)
                    } else if in_items {
                        Some(&mut item)
                    } else {
                        None
                    };
                    if let Some(slot) = slot {
                        match key.as_str() {
                            "kind" if slot.0.is_none() => slot.0 = Some(s.to_string()),
                            "apiVersion" if slot.1.is_none() => slot.1 = Some(s.to_string()),
                            _ => {}
                        }
                    }
                }
                continue;
            }
            b'{' | b'[' => {
                stack.push((c == b'{', std::mem::take(&mut last_key)));
                pending_key = None;
            }
            b'}' | b']' => {
                stack.pop();
                pending_key = None;
            }
            b',' => pending_key = None,
            _ => {}
        }
        i += 1;
    }
    let pair = |(k, a): (Option<String>, Option<String>)| k.map(|k| (k, a));
    Some(DocHead {
        top: pair(top),
        item: pair(item),
    })
}

/// A YAML list whose items are objects (`- apiVersion: ...`, troubleshoot's custom resources).
fn yaml_list_of_objects(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|l| l.starts_with("- ") && l.contains(": "))
}

/// The `kind`/`apiVersion` of a YAML document and of its first list item,
/// by indentation: top-level keys start the line, an item's are under `- `.
fn yaml_head(text: &str) -> DocHead {
    let mut top: (Option<String>, Option<String>) = (None, None);
    let mut item: (Option<String>, Option<String>) = (None, None);
    // The indentation of the first list item's keys, once seen.
    let mut item_indent: Option<usize> = None;
    let mut items_done = false;
    for (n, line) in text.lines().take(400).enumerate() {
        if line.trim() == "---" {
            if n > 0 && (top.0.is_some() || item.0.is_some()) {
                break;
            }
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let (dash, body) = match body.strip_prefix("- ") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, body),
        };
        let key_indent = if dash { indent + 2 } else { indent };
        if dash {
            if item_indent.is_some() && key_indent == item_indent.unwrap_or(0) {
                items_done = true;
            }
            if item_indent.is_none() && indent <= 2 {
                item_indent = Some(key_indent);
            }
        }
        let Some((key, value)) = body.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches('"').trim_matches('\'');
        if value.is_empty() {
            continue;
        }
        let slot = if key_indent == 0 && !dash {
            &mut top
        } else if !items_done && item_indent == Some(key_indent) {
            &mut item
        } else {
            continue;
        };
        match key {
            "kind" if slot.0.is_none() => slot.0 = Some(value.to_string()),
            "apiVersion" if slot.1.is_none() => slot.1 = Some(value.to_string()),
            _ => {}
        }
    }
    let pair = |(k, a): (Option<String>, Option<String>)| k.map(|k| (k, a));
    DocHead {
        top: pair(top),
        item: pair(item),
    }
}

/// A whole document's kind when its head showed none: troubleshoot's older
/// collectors write bare arrays of events, pods and nodes with no `kind`,
/// and a kind-less Pod or EventList. Judged by the fields of its (first)
/// object: an event has an involved object, a node has node info or a pod
/// CIDR, a pod has containers. None: nothing says.
pub fn document_kind(doc: &Value) -> Option<ArtifactKind> {
    let first = match doc {
        Value::Array(items) => items.first()?,
        Value::Object(o) => match o.get("items") {
            Some(Value::Array(items)) => items.first()?,
            _ => doc,
        },
        _ => return None,
    };
    let keys = |v: &Value| -> BTreeSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let top = keys(first);
    let spec = keys(first.get("spec").unwrap_or(&Value::Null));
    let status = keys(first.get("status").unwrap_or(&Value::Null));
    if top.contains("involvedObject") || top.contains("regarding") {
        return Some(ArtifactKind::Events);
    }
    if status.contains("nodeInfo") || spec.contains("podCIDR") || spec.contains("providerID") {
        return Some(ArtifactKind::NodeList);
    }
    if spec.contains("containers") || top.contains("containers") && top.contains("nodeName") {
        return Some(ArtifactKind::PodJson);
    }
    // `kubectl version -o json` and troubleshoot's `cluster_version.json`.
    let version = |v: Option<&Value>| v.and_then(|v| v.get("gitVersion")).is_some();
    if version(first.get("info")) || version(first.get("serverVersion")) {
        return Some(ArtifactKind::Version);
    }
    None
}

fn first_lines(text: &str, n: usize) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim().is_empty()).take(n)
}

fn sniff(text: &str) -> Option<ArtifactKind> {
    let first = first_lines(text, 1).next().unwrap_or("");
    // kubectl describe pod
    if first.starts_with("Name:") && text.contains("\nNamespace:") && text.contains("\nContainers:")
    {
        return Some(ArtifactKind::PodDescribe);
    }
    if crate::parse::node_describe::looks_like(text) {
        return Some(ArtifactKind::NodeDescribe);
    }
    if crate::parse::attachments::looks_like(text) {
        return Some(ArtifactKind::VolumeAttachments);
    }
    // kubectl get events (text table)
    if (first.starts_with("LAST SEEN") || first.starts_with("NAMESPACE   LAST SEEN"))
        || (first.starts_with("NAMESPACE")
            && first.contains("LAST SEEN")
            && first.contains("REASON"))
    {
        return Some(ArtifactKind::Events);
    }
    if first.starts_with("NAME") && first.contains("STATUS") && first.contains("ROLES") {
        return Some(ArtifactKind::NodeList);
    }
    if (first.starts_with("NAME") || first.starts_with("NAMESPACE"))
        && first.contains(" READY ")
        && first.contains(" STATUS ")
    {
        return Some(ArtifactKind::PodList);
    }
    // `docker info` (the daemon's version, the host's kernel and OS) and
    // `rpm-ostree status` (an image-based OS's deployment).
    if text.contains("Server Version:")
        && ["Storage Driver:", "Docker Root Dir:", "Cgroup Driver:"]
            .iter()
            .any(|k| text.contains(k))
        || first.starts_with("State: ") && text.contains("Deployments:")
    {
        return Some(ArtifactKind::Version);
    }
    // kata-runtime --version / kata-env, containerd --version, k0s version...
    if first.starts_with("kata-runtime")
        || text.contains("[Runtime.Version]")
        || first.starts_with("containerd ")
            && first.contains("containerd")
            && first.split_whitespace().count() <= 4
    {
        return Some(ArtifactKind::Version);
    }
    if is_mountinfo(text) {
        return Some(ArtifactKind::Mountinfo);
    }
    if first.starts_with("Desired=Unknown/Install")
        || crate::parse::packages::detect(text).is_some()
    {
        return Some(ArtifactKind::Packages);
    }
    if is_package_history(text) {
        return Some(ArtifactKind::PackageHistory);
    }
    if is_os_release(text) {
        return Some(ArtifactKind::OsRelease);
    }
    if first.starts_with("Client Version:") || first.starts_with("Server Version:") {
        return Some(ArtifactKind::Version);
    }
    if first.starts_with("Linux ") && first.contains(" SMP") {
        return Some(ArtifactKind::Uname);
    }
    let lines: Vec<&str> = first_lines(text, 40).collect();
    if !lines.is_empty() {
        let klog = lines
            .iter()
            .filter(|l| l.contains("kubelet") || l.contains("kubenswrapper"))
            .count();
        let klog_hdr = lines
            .iter()
            .filter(|l| crate::logline::has_klog_header(l))
            .count();
        if klog * 3 >= lines.len()
            && klog > 0
            && lines.iter().any(|l| crate::logline::has_klog_header(l))
        {
            return Some(ArtifactKind::KubeletLog);
        }
        let runtime = lines
            .iter()
            .filter(|l| {
                l.contains("containerd[")
                    || l.contains("crio[")
                    || l.contains("dockerd[")
                    || l.contains("[adaptor/")
                    || l.contains("kata")
            })
            .count();
        if runtime * 3 >= lines.len() && runtime > 0 {
            return Some(ArtifactKind::RuntimeLog);
        }
        // A plain klog file (no journald prefix) whose lines are kubelet's. A
        // container's stamped output (a controller's, a CSI driver's) is klog
        // too, and speaks of pods and volumes, but it is not the kubelet.
        let stamped = lines.iter().any(|l| crate::logline::has_container_stamp(l));
        if klog_hdr * 2 >= lines.len() && text.contains(".go:") && !stamped {
            let kubeletish = [
                "kubelet",
                "volume",
                "pod",
                "SyncLoop",
                "reconciler",
                "operationExecutor",
            ];
            if kubeletish.iter().any(|w| text.contains(w)) {
                return Some(ArtifactKind::KubeletLog);
            }
        }
        let dmesg = lines.iter().filter(|l| is_dmesg_line(l)).count();
        if dmesg * 2 >= lines.len() {
            return Some(ArtifactKind::Dmesg);
        }
    }
    None
}

fn is_dmesg_line(l: &str) -> bool {
    let l = l.trim_start();
    if let Some(rest) = l.strip_prefix('[') {
        let num: String = rest.chars().take_while(|c| *c != ']').collect();
        let num = num.trim();
        return !num.is_empty() && num.chars().all(|c| c.is_ascii_digit() || c == '.');
    }
    l.contains(" kernel: ")
}

/// `KEY=value` lines with the keys every os-release has.
fn is_os_release(text: &str) -> bool {
    let keys: Vec<&str> = first_lines(text, 30)
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .collect();
    keys.contains(&"ID")
        && (keys.contains(&"NAME") || keys.contains(&"PRETTY_NAME"))
        && keys.len() * 2 >= first_lines(text, 30).count()
}

fn is_mountinfo(text: &str) -> bool {
    let lines: Vec<&str> = first_lines(text, 5).collect();
    !lines.is_empty()
        && lines.iter().all(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            f.len() >= 10
                && f[0].bytes().all(|b| b.is_ascii_digit())
                && f[1].bytes().all(|b| b.is_ascii_digit())
                && f[2].contains(':')
                && f.contains(&"-")
        })
}

/// A package manager's log whatever its name (`pacman-log.txt` from a
/// troubleshoot run-host collector): most of its first lines are changes.
fn is_package_history(text: &str) -> bool {
    let lines: Vec<&str> = first_lines(text, 20).collect();
    let changes = crate::parse::package_history::parse(&lines.join("\n")).len();
    let alpm = lines.iter().filter(|l| l.contains("] [ALPM] ")).count();
    let apt = lines.iter().any(|l| l.starts_with("Start-Date: "));
    !lines.is_empty() && (changes * 2 >= lines.len() || alpm * 2 >= lines.len() || apt)
}

/// Text that looks like a package list whatever its name: `name-version-release.arch` rows.
pub fn looks_like_rpm_list(text: &str) -> bool {
    let lines: Vec<&str> = first_lines(text, 20).collect();
    lines.len() >= 3
        && lines.iter().all(|l| {
            let w = l.split_whitespace().next().unwrap_or("");
            w.matches('-').count() >= 2
                && (w.ends_with(".x86_64")
                    || w.ends_with(".noarch")
                    || w.ends_with(".aarch64")
                    || w.ends_with(".i686")
                    || w.contains(".el")
                    || w.contains(".fc"))
        })
}

/// Sysfs and procfs values (`/sys/class/dmi/id/bios_version`, `/proc/meminfo`)
/// are hardware and kernel state, whatever their name says: a BIOS version is
/// not a component version. Mount tables and the kernel's release under them
/// are read by content or by their own names first.
fn is_sysfs_or_procfs(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.windows(2).any(|w| match w {
        [a, b] => {
            (*a == "sys"
                && matches!(
                    *b,
                    "class" | "devices" | "bus" | "block" | "fs" | "module" | "firmware" | "kernel"
                ))
                || (*a == "proc" && *b != "self" && !b.bytes().all(|c| c.is_ascii_digit()))
        }
        _ => false,
    })
}

/// A kind the file's name suggests, kept only when the content agrees with
/// it: a name is a hint, never proof.
fn by_path(path: &str, text: &str) -> Option<ArtifactKind> {
    let name = base_name(path);
    let kind = name_hint(&name, path)?;
    let first = first_lines(text, 1).next().unwrap_or("");
    let empty = first.is_empty();
    let agrees = match kind {
        // Logs must have log lines: a header, a timestamp, or a journald prefix.
        ArtifactKind::KubeletLog | ArtifactKind::RuntimeLog | ArtifactKind::Dmesg => {
            empty || has_log_lines(text)
        }
        ArtifactKind::Events => {
            empty || first_lines(text, 3).any(|l| crate::logline::event_row(l).is_some())
        }
        ArtifactKind::Packages => {
            empty || crate::parse::packages::detect(text).is_some() || looks_like_rpm_list(text)
        }
        // A dpkg.log is mostly `status` lines: one change in its head is enough.
        ArtifactKind::PackageHistory => {
            empty
                || !crate::parse::package_history::parse(text).is_empty()
                || is_package_history(text)
        }
        ArtifactKind::OsRelease => is_os_release(text) || is_release_line(first),
        ArtifactKind::Uname | ArtifactKind::KernelCmdline | ArtifactKind::Version => {
            !crate::parse::versions::parse(text).is_empty()
        }
        ArtifactKind::Mountinfo => is_mountinfo(text),
        ArtifactKind::Mounts => empty || first.contains(" on ") && first.contains(" type "),
        ArtifactKind::Hostname => is_hostname(text),
        _ => true,
    };
    if agrees {
        return Some(kind);
    }
    // `proc/sys/kernel/osrelease` holds the kernel's release, not os-release.
    if kind == ArtifactKind::OsRelease && !crate::parse::versions::parse(text).is_empty() {
        return Some(ArtifactKind::Uname);
    }
    None
}

/// What a file's name says it is.
fn name_hint(name: &str, path: &str) -> Option<ArtifactKind> {
    let lower = path.to_ascii_lowercase();
    Some(match name {
        "mountinfo" => ArtifactKind::Mountinfo,
        "mounts" | "mount" | "mount.txt" | "mount_-l" | "mount-l.txt" => ArtifactKind::Mounts,
        "os-release" | "osrelease" | "os_release" | "redhat-release" | "lsb-release"
        | "centos-release" => ArtifactKind::OsRelease,
        "hostname" | "hostname.txt" => ArtifactKind::Hostname,
        "uname" | "uname_-a" | "uname.txt" | "uname-a.txt" | "uname_-r" => ArtifactKind::Uname,
        "cmdline" | "proc_cmdline" => ArtifactKind::KernelCmdline,
        _ if is_sysfs_or_procfs(path) => ArtifactKind::Config,
        "dmesg" | "dmesg_-t" | "dmesg.txt" | "journalctl-dmesg.txt" | "dmesg_-t_-t" => {
            ArtifactKind::Dmesg
        }
        "df" | "df.txt" | "df_-h" | "df_-al_-x_autofs" => ArtifactKind::Df,
        "installed-rpms" | "installed-debs" | "packages-rpm" | "packages-dpkg" => {
            ArtifactKind::Packages
        }
        "pacman.log" | "history.log" | "dnf.log" | "dnf.rpm.log" | "yum.log" | "dpkg.log" => {
            ArtifactKind::PackageHistory
        }
        "kata-env" | "kata-env.txt" | "version.txt" | "versions" | "version" => {
            ArtifactKind::Version
        }
        _ => {
            let rpm = name.contains("rpm") && name.contains("-qa");
            let dpkg = name.contains("dpkg") && (name.contains("-l") || name.contains("-w"));
            let pacman = name.starts_with("pacman") && name.contains("-q");
            let apk = name.contains("apk") && name.contains("info");
            if rpm || dpkg || pacman || apk {
                ArtifactKind::Packages
            } else if name.contains("describe") && lower.contains("pod") {
                ArtifactKind::PodDescribe
            } else if name.contains("events") {
                ArtifactKind::Events
            } else if name.contains("kubelet")
                || name.contains("kubenswrapper")
                || name.contains("k0s")
                || name.contains("k3s")
                || name.contains("rke2")
            {
                ArtifactKind::KubeletLog
            } else if name.contains("containerd")
                || name.contains("crio")
                || name.contains("docker")
                || name.contains("kata")
                || name.contains("cloud-api-adaptor")
                || name.contains("caa")
            {
                ArtifactKind::RuntimeLog
            } else if name.ends_with(".toml")
                || name.ends_with(".conf")
                || name.ends_with(".yaml")
                || name.ends_with(".yml")
                || name.ends_with(".json")
            {
                ArtifactKind::Config
            } else if name.contains("version") {
                ArtifactKind::Version
            } else {
                return None;
            }
        }
    })
}

/// Whether some of the first lines open a log entry (klog, logrus, RFC 3339 or
/// syslog time, journald prefix, dmesg stamp): what a file named like a log must have.
fn has_log_lines(text: &str) -> bool {
    let lines: Vec<&str> = first_lines(text, 20).collect();
    let opening = lines
        .iter()
        .filter(|l| {
            let v = crate::logline::split_line(l);
            v.header || v.host.is_some()
        })
        .count();
    // Logs open with a header line or two that are not entries (klog's
    // `Log file created at:`, journalctl's `-- Logs begin at`).
    opening > 0 && opening * 3 >= lines.len()
}

/// `CentOS Linux release 7.9.2009 (Core)` (`/etc/redhat-release`, `/etc/centos-release`).
fn is_release_line(first: &str) -> bool {
    first.contains(" release ") && first.bytes().any(|b| b.is_ascii_digit())
}

/// One host name and nothing else.
fn is_hostname(text: &str) -> bool {
    let mut lines = first_lines(text, 2);
    let first = lines.next().unwrap_or("").trim();
    lines.next().is_none()
        && !first.is_empty()
        && first.len() <= 253
        && first
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_and_compressed_names_keep_their_kind() {
        assert_eq!(base_name("node/kubelet.log.1.gz"), "kubelet.log");
        assert_eq!(base_name("a/b/mountinfo"), "mountinfo");
    }

    #[test]
    fn a_notes_file_holding_kubelet_lines_is_a_kubelet_log() {
        let head = b"E0418 08:42:39.991535    1187 mount_linux.go:184] Mount failed: exit status 32\nI0418 08:42:40.1    1187 reconciler.go:254] operationExecutor.MountVolume started for volume\n";
        assert_eq!(classify("notes.txt", head), ArtifactKind::KubeletLog);
    }

    #[test]
    fn journald_kubelet_lines_are_a_kubelet_log_whatever_the_name() {
        let head = b"Feb 03 06:10:31 k8s-node-7 kubelet[1342]: I0203 06:10:31.703355    1342 server.go:416] Version: v1.17.17\n";
        assert_eq!(
            classify(
                "sos_commands/logs/journalctl_--no-pager_--unit_kubelet",
                head
            ),
            ArtifactKind::KubeletLog
        );
    }

    #[test]
    fn must_gather_yaml_is_classified_by_its_kind_not_its_nested_kinds() {
        // An event's involvedObject.kind is Pod; the item kind is Event.
        let events = b"---\napiVersion: v1\nitems:\n- apiVersion: v1\n  count: 1\n  involvedObject:\n    kind: Pod\n    name: web-0\n  kind: Event\n  message: x\nkind: List\n";
        assert_eq!(
            classify("namespaces/shop/core/events.yaml", events),
            ArtifactKind::Events
        );
        let pods = b"---\napiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: web-0\nkind: PodList\n";
        assert_eq!(
            classify("namespaces/shop/core/pods.yaml", pods),
            ArtifactKind::PodJson
        );
        let node = b"---\napiVersion: v1\nkind: Node\nmetadata:\n  name: w1\n";
        assert_eq!(
            classify("cluster-scoped-resources/core/nodes/w1.yaml", node),
            ArtifactKind::NodeList
        );
        let cm = b"---\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n";
        assert_eq!(
            classify("namespaces/shop/core/configmaps.yaml", cm),
            ArtifactKind::Config
        );
    }

    #[test]
    fn a_json_head_cut_inside_a_multibyte_char_does_not_panic() {
        let mut head = b"{\"kind\":\"x\",\"a\":\"".to_vec();
        while head.len() < 4095 {
            head.push(b'a');
        }
        head.extend_from_slice("\u{e9}\u{e9}\"}".as_bytes());
        assert_eq!(classify("x.json", &head), ArtifactKind::Config);
    }

    #[test]
    fn package_manager_logs_are_recognised_by_content() {
        let pacman = b"[2025-06-05T16:32:58+0200] [PACMAN] Running 'pacman -Syu'\n[2025-06-05T16:32:58+0200] [PACMAN] synchronizing package lists\n[2025-06-05T16:33:01+0200] [ALPM] transaction started\n[2025-06-05T16:33:02+0200] [ALPM] upgraded util-linux-libs (2.40.4-1 -> 2.41-3)\n[2025-06-05T16:33:04+0200] [ALPM] upgraded util-linux (2.40.4-1 -> 2.41-3)\n[2025-06-05T16:33:05+0200] [ALPM] transaction completed\n";
        assert_eq!(
            classify("host-collectors/run-host/pacman-log.txt", pacman),
            ArtifactKind::PackageHistory
        );
        let apt = b"\nStart-Date: 2024-06-03  13:11:40\nCommandline: apt-get install -y nfs-common\nInstall: nfs-common:amd64 (1:2.6.1-1ubuntu1.2)\nEnd-Date: 2024-06-03  13:11:53\n";
        assert_eq!(
            classify("node/apt-history.txt", apt),
            ArtifactKind::PackageHistory
        );
        // A kubelet log that mentions an install is still a kubelet log.
        let klog = b"I0603 13:11:40.000001    1211 kubelet.go:1] \"Installed: nothing\"\nI0603 13:11:41.000001    1211 kubelet.go:2] \"SyncLoop ADD\" source=\"api\"\n";
        assert_eq!(classify("notes.txt", klog), ArtifactKind::KubeletLog);
    }

    #[test]
    fn mountinfo_is_recognised_by_content() {
        let head = b"18 41 0:17 / /sys rw,nosuid shared:6 - sysfs sysfs rw\n19 41 0:3 / /proc rw shared:5 - proc proc rw\n";
        assert_eq!(classify("whatever.txt", head), ArtifactKind::Mountinfo);
    }

    #[test]
    fn binary_content_is_skipped_even_with_a_log_name() {
        let head = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00";
        assert_eq!(classify("kubelet.log", head), ArtifactKind::Skipped);
    }

    #[test]
    fn dpkg_list_and_describe_are_sniffed() {
        assert_eq!(
            classify(
                "x",
                b"Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not\n"
            ),
            ArtifactKind::Packages
        );
        assert_eq!(
            classify(
                "x",
                b"Name:             reports-0\nNamespace:        finance\nContainers:\n"
            ),
            ArtifactKind::PodDescribe
        );
    }

    #[test]
    fn package_lists_and_os_release_are_recognised_by_content_whatever_the_name() {
        let rpm = b"gmp-6.0.0-15.el7.x86_64\nyum-3.4.3-168.el7.centos.noarch\nlibndp-1.2-9.el7.x86_64\ntar-1.26-35.el7.x86_64\n";
        assert_eq!(classify("node/installed.txt", rpm), ArtifactKind::Packages);
        let pacman = b"acl 2.3.2-1\nutil-linux 2.41-3\nutil-linux-libs 2.41-3\nzstd 1.5.7-2\n";
        assert_eq!(
            classify("host-collectors/run-host/pkgs.txt", pacman),
            ArtifactKind::Packages
        );
        let os = b"NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nVERSION_ID=\"7\"\n";
        assert_eq!(
            classify("systeminfo/release-info", os),
            ArtifactKind::OsRelease
        );
    }

    /// Content that a name would misfile: sosreport's `blockdev --report` is
    /// not a package list, a sysfs `version` not a component's, a certificate
    /// named after the kubelet not its log.
    #[test]
    fn misleading_names_do_not_decide() {
        let blockdev = b"RO    RA   SSZ   BSZ   StartSec            Size   Device\nrw   256   512  4096          0    107374182400   /dev/vda\nrw   256   512  4096       2048       1048576   /dev/vda1\n";
        assert_ne!(
            classify("sos_commands/block/blockdev_--report", blockdev),
            ArtifactKind::Packages
        );
        assert_eq!(
            classify(
                "sysinfo/sys/class/dmi/id/bios_version",
                b"1.14.0-1.module+el8.4.0+8855+a9e237a9\n"
            ),
            ArtifactKind::Config
        );
        assert_eq!(
            classify(
                "etc/kubernetes/pki/kubelet-client.crt",
                b"-----BEGIN CERTIFICATE-----\nMIIC\n"
            ),
            ArtifactKind::Skipped
        );
        assert_eq!(
            classify(
                "proc/sys/kernel/osrelease",
                b"4.18.0-305.10.2.el8_4.x86_64\n"
            ),
            ArtifactKind::Uname
        );
        assert_eq!(
            classify(
                "sys/kernel/debug/tracing/available_events",
                b"syscalls:sys_exit_execve\nsyscalls:sys_enter_execve\n"
            ),
            ArtifactKind::Config
        );
        assert_eq!(
            classify("run/runc_events_abc.txt", b"some runc state text\n"),
            ArtifactKind::OtherLog
        );
        let docker = b"Client:\n Version:    24.0.7\n\nServer:\n Containers: 3\n Server Version: 24.0.7\n Storage Driver: overlay2\n Kernel Version: 5.15.0-97-generic\n Operating System: Ubuntu 22.04.4 LTS\n";
        assert_eq!(
            classify("sos_commands/docker/docker_info", docker),
            ArtifactKind::Version
        );
        let ostree = b"State: idle\nDeployments:\n* ostree-unverified-registry:quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:abc\n                   Digest: sha256:abc\n                  Version: 418.94.202410211616-0 (2024-10-21T16:19:44Z)\n";
        assert_eq!(
            classify("nodes/m0/rpm-ostree_status", ostree),
            ArtifactKind::Version
        );
    }

    #[test]
    fn rpm_qa_output_is_recognised_by_name() {
        assert_eq!(
            classify("node/rpm-qa.txt", b"gmp-6.0.0-15.el7.x86_64\n"),
            ArtifactKind::Packages
        );
    }
}

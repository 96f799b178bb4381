//! Unrecognized errors: the error-like records no rule explains, mined into templates.
//!
//! A bundle whose failure no rule knows still has to show that failure. Every
//! error-like record (klog `E`/`W`, Warning events, runtime `level=error`/`warning`,
//! plain lines with error words) is reduced to its *message* (`message_of`: the log's
//! own header removed), the message to a *template* (`template`: the parts that vary
//! from one occurrence to the next replaced by typed placeholders), and records with
//! one template become one `Cluster` with a count, first/last seen, nodes, pods and one
//! example. `Clusterer::finish` then merges templates that still differ only in a few
//! variable positions (Drain-style) and folds templates that end in the same long
//! error chain (the kubelet line, the event row and the runtime line of one failure),
//! and ranks: real errors first, known benign noise last. While a bundle is read, its
//! records are counted by template per artifact and journald host (`Tally`, beside the
//! scan); `Clusterer::add_tally` makes clusters of the tallies once the bundle's layout
//! can name each host's node.
//!
//! Placeholder rules (`template`), applied in one pass of a multi-pattern regex that
//! also says which rule found each span (capture groups would cost a backtracking pass
//! per match), leftmost match first, earlier rules winning at the same position:
//! - `=[<list>]`: a bracketed list after `=` (`unattached volumes=[a b c]`), because
//!   its length varies and would otherwise change the token count;
//! - `<url>` URLs; `<pod>` for kubelet's `name_namespace(uid)` pod references
//!   (`CrashLoopBackOff ... pod=web-0_shop(<uid>)`), so one failure across namespaces and
//!   StatefulSets is one template; `<ts>` timestamps (RFC 3339, `2024-05-14 10:45:50.85 +0000 UTC m=+1580.18`
//!   as Go prints a `time.Time`, klog, Go log, syslog, RFC 1123, bare `hh:mm:ss`, `m=+...`);
//! - `<uid>` UUIDs (also inside `pvc-<uid>` and docker names), `<ip>` IPv4 (with `/cidr`,
//!   `:port`) and IPv6;
//! - quoted values: a single-token quoted value that starts with a lowercase letter,
//!   a digit or `/` is a name that varies (Kubernetes object names are lowercase by
//!   rule): `"<path>"`, `"<uid>"`, `"<pod>"`, `"<ip>"`, `"<id>"` or `"<name>"`. Quoted
//!   values that start with an uppercase letter (Go API verbs and reasons such as
//!   `"StartContainer"`, `"CreatePodSandbox"`) or hold spaces stay; their insides are
//!   still templated;
//! - `<path>` absolute paths after a delimiter (all of them: NFS exports and volume
//!   dirs vary per volume, and a kept constant path would split one failure);
//! - `<id>` hex ids of 12+ digits (container ids, `sha256:...`); all-decimal ones are `<num>`;
//! - `<pod>` pod names with generated suffixes (`web-7c9d8f6b54-kvvcj`, `kube-proxy-x7k2p`,
//!   also `kube-api-access-499z2`). StatefulSet ordinals are not special: `db-0` becomes
//!   `db-<num>` through the number rule, so ordinals of one set collapse and different
//!   sets differ in one token, which the Drain merge takes care of;
//! - `<dur>` Go durations (`2m2s`, `500ms`, `1h0m0s`, `45s`); `<num>` numbers (also
//!   `0x..`, sizes such as `64Mi`, versions `1.29.3`, line numbers `file.go:<num>`).
//!
//! Then whitespace runs (including the newlines of joined continuation lines) become
//! one space. Only the first `MAX_TEMPLATE_INPUT` bytes of a message are templated, so
//! a 64 KiB record costs no more than a long line.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use foldhash::HashMap as FastMap;
use regex::Regex;
use serde::Serialize;

pub use crate::facts::Level;
use crate::facts::{ArtifactKind, Observations};
use crate::layout::Layout;
use crate::records::{quotes, Timestamp};

/// Bytes of a message that `template` looks at.
pub const MAX_TEMPLATE_INPUT: usize = 2048;
/// Distinct nodes / pods kept per cluster: enough to show the spread, bounded memory.
const MAX_NAMES: usize = 64;
/// Bytes of example text kept per cluster.
const MAX_EXAMPLE: usize = 8 * 1024;
/// Drain merge: share of equal token positions needed to merge two templates.
const DRAIN_SIMILARITY: f64 = 0.75;
/// Suffix fold: a shared error chain must be at least this many tokens...
const FOLD_MIN_TOKENS: usize = 8;
/// ...and at least this share (percent) of the shorter template.
const FOLD_MIN_SHARE: usize = 60;

/// `\b` on ASCII only: a Unicode word boundary would push the regex engine off its
/// fast DFA path on non-ASCII input.
const B: &str = r"(?-u:\b)";

/// A regex compiled once. The patterns are constants, so compilation cannot fail in
/// practice; should it, the matcher is `None` and callers treat it as "no match"
/// instead of panicking.
macro_rules! lazy_re {
    ($name:ident, $pat:expr) => {
        fn $name() -> Option<&'static Regex> {
            static CELL: OnceLock<Option<Regex>> = OnceLock::new();
            CELL.get_or_init(|| Regex::new(&$pat).ok()).as_ref()
        }
    };
}

const MONTHS: &str = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
const DAYS: &str = "Mon|Tue|Wed|Thu|Fri|Sat|Sun";
/// Characters of a Kubernetes generated suffix (`k8s.io/apimachinery/pkg/util/rand`):
/// no vowels and no 0/1/3, so ordinary words rarely look like one.
const SUFFIX: &str = "[bcdfghjklmnpqrstvwxz2456789]";

/// What a placeholder match is, in the priority order of the combined regex.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cat {
    List,
    Url,
    PodRef,
    Ts,
    Uid,
    Ip,
    Quoted,
    Path,
    Hex,
    Pod,
    Dur,
    Num,
}

const CATS: [Cat; 12] = [
    Cat::List,
    Cat::Url,
    Cat::PodRef,
    Cat::Ts,
    Cat::Uid,
    Cat::Ip,
    Cat::Quoted,
    Cat::Path,
    Cat::Hex,
    Cat::Pod,
    Cat::Dur,
    Cat::Num,
];

/// The pattern of each category, in priority order.
fn cat_patterns() -> [String; 12] {
    let ts = [
        r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?: [+-]\d{4})?(?: (?:UTC|GMT|[A-Z]{1,2}[SD]T|CES?T))?(?: m=[+-]\d+(?:\.\d+)?)?".to_string(),
        format!(r"{B}\d{{4}}-\d{{2}}-\d{{2}}{B}"),
        r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?".to_string(),
        format!(r"{B}[IWEF]\d{{4}} \d{{2}}:\d{{2}}:\d{{2}}\.\d+"),
        format!(r"{B}(?:(?:{DAYS}),? )?(?:{MONTHS}) +\d{{1,2}},? (?:\d{{4}} )?\d{{2}}:\d{{2}}:\d{{2}}(?:\.\d+)?(?: \d{{4}}{B})?"),
        format!(r"{B}(?:(?:{DAYS}),? )?\d{{1,2}} (?:{MONTHS}) \d{{4}} \d{{2}}:\d{{2}}:\d{{2}}(?: [A-Z]{{3}}{B})?"),
        format!(r"{B}\d{{1,2}}:\d{{2}}:\d{{2}}(?:\.\d+)?{B}"),
        format!(r"{B}m=[+-]\d+(?:\.\d+)?"),
    ]
    .join("|");
    let octet = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)";
    let ip = [
        format!(r"{B}{octet}(?:\.{octet}){{3}}(?:/\d{{1,2}})?(?::\d{{1,5}})?{B}"),
        format!(r"{B}(?:[0-9a-fA-F]{{1,4}}:){{7}}[0-9a-fA-F]{{1,4}}{B}"),
        format!(r"{B}(?:[0-9a-fA-F]{{1,4}}:){{1,6}}:(?:[0-9a-fA-F]{{1,4}}{B})?"),
    ]
    .join("|");
    let uid = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    [
        r"=\[[^\[\]\n]+\]".to_string(),
        format!(r#"{B}[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>]+"#),
        // kubelet's `format.Pod`: `name_namespace(uid)`, one pod whatever its
        // namespace or name (StatefulSet ordinals included).
        format!(r"{B}[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?_[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\({uid}\)"),
        ts,
        uid.to_string(),
        ip,
        r#""[/a-z0-9][^"\s]*"|'[/a-z0-9][^'\s]*'"#.to_string(),
        // The delimiter before the path is part of the match (no look-behind in
        // `regex`) and is written back.
        r"(?:^|[\s=(\[,:])/[A-Za-z0-9._~@+%=^\-/]+".to_string(),
        format!(r"{B}(?:sha256:)?[0-9a-fA-F]{{12,}}{B}"),
        // Docker names glue pod names with `_`, which is a word character.
        format!(
            r"(?:{B}|_)[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?-(?:{SUFFIX}{{6,10}}-)?{SUFFIX}{{5}}(?:{B}|_)"
        ),
        format!(
            r"{B}\d+(?:\.\d+)?(?:ns|us|µs|ms|h|m|s|d)(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|h|m|s))*{B}"
        ),
        format!(r"{B}0x[0-9a-fA-F]+{B}|{B}\d+(?:\.\d+)*(?:[KMGTPE]i|[KMGTk]B)?{B}"),
    ]
}

// One pass over the message finds every span, and which category's pattern
// found it: the patterns are searched as one multi-pattern regex, whose
// leftmost-first semantics are those of their alternation in priority order
// (the earliest span wins; at one position, the first category that matches).
// Capture groups would cost a backtracking pass per match, and checking each
// span against each category's own anchored pattern afterwards was a tenth of
// the templating.
//
// The patterns are many, and the lazy DFA's default 2 MiB cache cannot hold
// the states real messages visit: it was cleared and rebuilt all along, and
// determinization cost ~40k instructions per message. A larger cache keeps the
// states once built (memory stays bounded by the limit).
fn template_re() -> Option<&'static regex_automata::meta::Regex> {
    static CELL: OnceLock<Option<regex_automata::meta::Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        let patterns: Vec<String> = cat_patterns().iter().map(|p| ascii_classes(p)).collect();
        regex_automata::meta::Regex::builder()
            .configure(
                regex_automata::meta::Regex::config().hybrid_cache_capacity(TEMPLATE_DFA_CACHE),
            )
            .build_many(&patterns)
            .ok()
    })
    .as_ref()
}

/// `\d` and `\s` as their ASCII sets. Unicode's many digit and space ranges
/// become large UTF-8 automata, and every message templated is new text for
/// the lazy DFA: determinizing them was most of the cost of templating. Logs
/// write their numbers and separators in ASCII.
fn ascii_classes(pattern: &str) -> String {
    pattern
        .replace(r"\d", "[0-9]")
        .replace(r"\s", r"[\t\n\x0B\x0C\r ]")
}

/// Lazy DFA cache of the template regex (per thread that uses it).
const TEMPLATE_DFA_CACHE: usize = 32 << 20;

// Whole-value classifiers for quoted values.
lazy_re!(
    uid_full,
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
);
lazy_re!(
    ip_full,
    r"^(?:\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?(?::\d{1,5})?|[0-9a-fA-F:]*::?[0-9a-fA-F:]+)$"
);
lazy_re!(hex_full, r"^(?:sha256:)?[0-9a-fA-F]{12,}$");
lazy_re!(
    pod_full,
    format!(r"^[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?-(?:{SUFFIX}{{6,10}}-)?{SUFFIX}{{5}}$")
);

// kubelet's detailed volume error adds `(UniqueName: ...) pod "..." (UID: ...)`;
// the event of the same failure carries the simple form. Dropping the detail makes
// both one template.
lazy_re!(
    detailed_re,
    r#"\s*\(UniqueName: "[^"\n]*"\)(?:\s*pod "[^"\n]*"\s*\(UID: "[^"\n]*"\))?"#
);

lazy_re!(
    error_words,
    format!(
        r"(?i){B}(?:errors?|fatal|panic(?:ked)?|fail(?:s|ed|ure|ing)?|denied|refused|timed out|timeout|deadline exceeded|unable to|cannot|could not|couldn't|out of memory|oom-kill(?:er)?|killed process|segfault|call trace|blocked for more than|corrupt(?:ed|ion)?|no space left|read-only file system){B}"
    )
);
lazy_re!(warning_words, format!(r"(?i){B}warn(?:ing)?{B}"));

/// Known benign noise: messages every healthy node logs. Matched case-insensitively
/// as substrings; such clusters are ranked after everything else.
const BENIGN: &[&str] = &[
    "readiness probe",
    "nameserver limits",
    "failed to get system container stats",
    "cleaned up orphaned pod volumes dir",
    "orphaned pod",
    "image garbage collection failed once",
    "skipping pod synchronization",
    "container runtime status check may not have completed yet",
    "unable to fetch pod log stats",
    "unable to fetch pod etc hosts stats",
    "eviction manager: failed to get summary stats",
    "unable to read config path",
    "an error occurred when try to find container",
    "tls handshake error",
    "very short watch",
    "failed to load cni during init",
    "failed to update stats for container",
];

lazy_re!(benign_re, {
    let alts: Vec<String> = BENIGN.iter().map(|s| regex::escape(s)).collect();
    format!("(?i)(?:{})", alts.join("|"))
});

/// Known benign noise (probe failures, Nameserver limits exceeded, system container
/// stats, orphaned dir cleanup, ...).
pub fn is_benign(message: &str) -> bool {
    benign_re().is_some_and(|re| re.is_match(message))
}

// ---------------------------------------------------------------------------
// message_of
// ---------------------------------------------------------------------------

/// Is this record error-like, and what is its message? `kind` is the artifact kind
/// name as in the report ("kubelet-log", "runtime-log", "events", "pod-describe",
/// "other-log", "dmesg"). The message is the record without the log's own header
/// (klog, logrus, Go log, dmesg, event row columns), with kubelet's retry wrapper and
/// detailed volume naming removed so a kubelet line and the event of one failure
/// give one template. None when the record is not error-like.
pub fn message_of(kind: &str, record_text: &str) -> Option<(Level, String)> {
    let text = record_text.trim_start_matches('\u{feff}');
    let (level, msg) = match kind {
        // Describe and get-events output: only Warning rows are error-like; the other
        // lines of a describe (state, conditions, volumes) restate what events say.
        "events" | "pod-describe" => event_row(text)?,
        "kubelet-log" | "runtime-log" | "dmesg" => structured(text, false)?,
        // Data artifacts (package lists, mount tables, pod JSON...) are parsed as
        // facts; a package named `*-error-*` is not an error.
        "pod-json" | "pod-list" | "node-list" | "mountinfo" | "mounts" | "packages"
        | "package-history" | "os-release" | "uname" | "df" | "version" | "hostname" | "config"
        | "skipped" => return None,
        _ => structured(text, true)?,
    };
    let msg = finish_message(&msg);
    if msg.is_empty() {
        return None;
    }
    Some((level, msg))
}

/// The first line and the rest (continuation lines) of a record.
fn first_line(text: &str) -> (&str, &str) {
    match text.find('\n') {
        Some(i) => (text.get(..i).unwrap_or(""), text.get(i + 1..).unwrap_or("")),
        None => (text, ""),
    }
}

/// A record of a log file: klog, logrus, JSON, then plain text with error words.
/// `allow_events`: event rows may appear in generic text artifacts.
fn structured(text: &str, allow_events: bool) -> Option<(Level, String)> {
    if let Some(r) = klog(text) {
        return r;
    }
    if let Some(r) = logrus(text) {
        return r;
    }
    if let Some(r) = json_log(text) {
        return r;
    }
    if allow_events {
        if let Some(r) = event_row(text) {
            return Some(r);
        }
    }
    // Plain lines: drop a leading timestamp (Go log, RFC 3339, CRI `stdout F`, dmesg)
    // and look again, since container logs of Kubernetes components are klog behind
    // a CRI prefix.
    let body = strip_plain_prefix(text);
    if body.len() != text.len() {
        if let Some(r) = klog(body) {
            return r;
        }
        if let Some(r) = logrus(body) {
            return r;
        }
    }
    if error_words().is_some_and(|re| re.is_match(body)) {
        return Some((Level::Error, body.to_string()));
    }
    if warning_words().is_some_and(|re| re.is_match(body)) {
        return Some((Level::Warning, body.to_string()));
    }
    None
}

fn is_digits(s: Option<&[u8]>) -> bool {
    s.is_some_and(|s| !s.is_empty() && s.iter().all(u8::is_ascii_digit))
}

/// klog: `E0912 09:31:07.681775    1208 file.go:123] body`. Some(None) for a klog
/// line that is not error-like (I), None when the text is not klog.
#[allow(clippy::option_option)]
fn klog(text: &str) -> Option<Option<(Level, String)>> {
    let b = text.as_bytes();
    let sev = *b.first()?;
    if !matches!(sev, b'I' | b'W' | b'E' | b'F')
        || !is_digits(b.get(1..5))
        || b.get(5) != Some(&b' ')
        || !is_digits(b.get(6..8))
        || b.get(8) != Some(&b':')
    {
        return None;
    }
    // The header ends at the first `] ` (after pid and file:line); it is short.
    let head = text.get(..text.len().min(120)).unwrap_or(text);
    let close = head.find(']')?;
    let body = text.get(close + 1..)?.trim_start_matches(' ');
    let level = match sev {
        b'E' | b'F' => Level::Error,
        b'W' => Level::Warning,
        _ => return Some(None),
    };
    Some(Some((level, klog_body(body))))
}

/// Structured klog (`"msg" key="value" ...`) keeps the msg and the err value; the
/// other keys (pod, podUID, containerName) name *where*, not *what*.
fn klog_body(body: &str) -> String {
    if !body.starts_with('"') {
        return body.to_string();
    }
    let Some((msg, end)) = quoted_value(body, 1) else {
        return body.to_string();
    };
    let fields = body.get(end..).unwrap_or("");
    match field_value(fields, "err").or_else(|| field_value(fields, "error")) {
        Some(err) => format!("{msg}: {err}"),
        None => msg,
    }
}

/// logrus / logfmt: `time="..." level=error msg="..." error="..."`.
#[allow(clippy::option_option)]
fn logrus(text: &str) -> Option<Option<(Level, String)>> {
    let (line, _) = first_line(text);
    let at = if line.starts_with("level=") {
        0
    } else {
        // Only near the start: `level=` deep in free text is not a logrus header.
        let head = line.get(..line.len().min(96)).unwrap_or(line);
        static LEVEL: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
        let level = LEVEL.get_or_init(|| memchr::memmem::Finder::new(" level="));
        level.find(head.as_bytes())? + 1
    };
    let rest = line.get(at + 6..)?.trim_start_matches('"');
    let lvl = rest
        .get(..rest.bytes().take_while(u8::is_ascii_alphabetic).count())
        .unwrap_or("");
    let is = |names: &[&str]| names.iter().any(|n| lvl.eq_ignore_ascii_case(n));
    let level = if is(&["error", "err", "fatal", "panic", "crit", "critical"]) {
        Level::Error
    } else if is(&["warning", "warn"]) {
        Level::Warning
    } else if lvl.is_empty() {
        return None;
    } else {
        return Some(None);
    };
    let fields = text.get(at..).unwrap_or("");
    let msg = field_value(fields, "msg").unwrap_or_default();
    let err = field_value(fields, "error").or_else(|| field_value(fields, "err"));
    let message = match err {
        Some(e) if msg.is_empty() => e,
        Some(e) => format!("{msg}: {e}"),
        None => msg,
    };
    Some(Some((level, message)))
}

/// JSON log lines (`{"level":"error","msg":"..."}`) of CSI drivers and operators.
#[allow(clippy::option_option)]
fn json_log(text: &str) -> Option<Option<(Level, String)>> {
    let t = text.trim_start();
    if !t.starts_with('{') {
        return None;
    }
    let lvl = json_field(t, "level").or_else(|| json_field(t, "severity"))?;
    let level = match lvl.to_ascii_lowercase().as_str() {
        "error" | "fatal" | "panic" | "critical" | "crit" => Level::Error,
        "warning" | "warn" => Level::Warning,
        _ => return Some(None),
    };
    let msg = json_field(t, "msg")
        .or_else(|| json_field(t, "message"))
        .unwrap_or_default();
    let message = match json_field(t, "error").or_else(|| json_field(t, "err")) {
        Some(e) => format!("{msg}: {e}"),
        None => msg,
    };
    Some(Some((level, message)))
}

fn json_field(t: &str, key: &str) -> Option<String> {
    let pat = format!("\"{key}\":");
    let at = t.find(&pat)? + pat.len();
    let rest = t.get(at..)?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let b = rest.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 2,
            // The caller has undone escapes, so an inner quote may be bare: the
            // value ends at a quote that a JSON delimiter follows.
            b'"' if matches!(b.get(i + 1), None | Some(b',') | Some(b'}')) => {
                return rest.get(..i).map(unescape);
            }
            _ => i += 1,
        }
    }
    None
}

/// The value of `key=` in a logfmt-style field list: quoted or bare.
fn field_value(fields: &str, key: &str) -> Option<String> {
    let b = fields.as_bytes();
    // A line holds a few `=` and many letters: look at each `=` and the key
    // before it, instead of searching for the key (this runs on every record).
    let eq = memchr::memchr_iter(b'=', b).find(|&eq| {
        eq >= key.len()
            && b.get(eq - key.len()..eq) == Some(key.as_bytes())
            && (eq == key.len() || matches!(b.get(eq - key.len() - 1), Some(b' ' | b'\t')))
    })?;
    let v = eq + 1;
    let rest = fields.get(v..)?;
    if rest.starts_with('"') {
        return quoted_value(fields, v + 1).map(|(s, _)| s);
    }
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    rest.get(..end).map(str::to_string)
}

/// The quoted value that starts at byte `start` (just after its opening quote), and
/// the offset after its closing quote. Records reach us with Go escapes undone, so a
/// quote inside the value may be bare: the closing quote is the first one followed by
/// the end of the line or by ` key=`. Backslash escapes still present are honoured.
fn quoted_value(s: &str, start: usize) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let mut i = start;
    // Only quotes and backslashes matter: jump from one to the next (every
    // error record's message and error value go through here).
    while let Some(rel) = b
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'\\', b'"', rest))
    {
        i += rel;
        match b.get(i) {
            Some(b'\\') => i += 2,
            Some(b'"') if value_ends(s, i + 1) => {
                return Some((unescape(s.get(start..i)?), i + 1));
            }
            _ => i += 1,
        }
    }
    // No clean end: take the rest, minus a trailing quote.
    let rest = s.get(start..)?;
    Some((unescape(rest.trim_end().trim_end_matches('"')), s.len()))
}

fn value_ends(s: &str, at: usize) -> bool {
    let Some(rest) = s.get(at..) else {
        return true;
    };
    if rest.is_empty() || rest.starts_with('\n') || rest.starts_with('\r') {
        return true;
    }
    let after = rest.trim_start_matches([' ', '\t']);
    if after.len() == rest.len() {
        return false;
    }
    if after.is_empty() || after.starts_with('\n') {
        return true;
    }
    let key_len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
        .unwrap_or(after.len());
    key_len > 0 && after.as_bytes().get(key_len) == Some(&b'=')
}

fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Column starts of a table row whose columns are separated by 2+ spaces.
fn columns(line: &str) -> Vec<usize> {
    let b = line.as_bytes();
    let mut cols = Vec::new();
    let mut i = 0;
    let mut gap = 2; // the line start counts as a gap
    while let Some(&c) = b.get(i) {
        if c == b' ' || c == b'\t' {
            gap += if c == b'\t' { 2 } else { 1 };
        } else {
            if gap >= 2 {
                cols.push(i);
            }
            gap = 0;
        }
        i += 1;
    }
    cols
}

/// An event row: describe (`  Warning  Reason  Age  From  Message`) or
/// `kubectl get events` (`[NAMESPACE]  LAST SEEN  TYPE  REASON  OBJECT|SOURCE  MESSAGE`).
/// Normal rows and other lines are not error-like.
fn event_row(text: &str) -> Option<(Level, String)> {
    let (line, rest) = first_line(text);
    let line = line.trim_end_matches('\r');
    let cols = columns(line);
    let col = |i: usize| -> &str {
        let start = cols.get(i).copied().unwrap_or(line.len());
        let end = cols.get(i + 1).copied().unwrap_or(line.len());
        line.get(start..end).unwrap_or("").trim()
    };
    let indent = line.len() - line.trim_start().len();
    let type_at = (0..cols.len().min(8)).find(|&i| matches!(col(i), "Warning" | "Normal"))?;
    let msg_col = if type_at == 0 {
        if indent > 4 {
            return None;
        }
        4
    } else {
        if indent != 0 {
            return None;
        }
        type_at + 3
    };
    if col(type_at) != "Warning" {
        return None;
    }
    let start = cols
        .get(msg_col)
        .or_else(|| cols.last())
        .copied()
        .unwrap_or(line.len());
    let mut msg = line.get(start..).unwrap_or("").to_string();
    if !rest.is_empty() {
        msg.push('\n');
        msg.push_str(rest);
    }
    Some((Level::Warning, msg))
}

/// Drop a leading timestamp a plain line carries: dmesg `[ 123.456]` or
/// `[Mon Feb  3 ...]`, Go log `2024/08/13 17:56:36`, RFC 3339 (plus the CRI log's
/// `stdout F`), syslog `Feb 03 06:10:31`.
fn strip_plain_prefix(text: &str) -> &str {
    let t = text.trim_start();
    if let Some(rest) = t.strip_prefix('[') {
        if let Some(close) = rest.find(']') {
            let inside = rest.get(..close).unwrap_or("");
            if !inside.is_empty()
                && inside.len() < 40
                && inside.bytes().any(|c| c.is_ascii_digit())
                && inside
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'.' | b':'))
            {
                return rest.get(close + 1..).unwrap_or("").trim_start();
            }
        }
        return t;
    }
    let b = t.as_bytes();
    let date = is_digits(b.get(0..4))
        && matches!(b.get(4), Some(b'-') | Some(b'/'))
        && is_digits(b.get(5..7))
        && is_digits(b.get(8..10));
    let syslog = t
        .get(..3)
        .is_some_and(|m| MONTHS.split('|').any(|x| x == m))
        && b.get(3) == Some(&b' ');
    if !(date || syslog) {
        return t;
    }
    // Skip the timestamp words: up to 3 whitespace-separated tokens that hold digits
    // or a month or a zone.
    let mut rest = t;
    for _ in 0..4 {
        let tok_end = rest.find(' ').unwrap_or(rest.len());
        let tok = rest.get(..tok_end).unwrap_or("");
        let timey = tok.bytes().any(|c| c.is_ascii_digit())
            && tok
                .bytes()
                .all(|c| c.is_ascii_digit() || b"-/:.TZ+,".contains(&c))
            || MONTHS.split('|').any(|m| m == tok)
            || tok == "UTC";
        if !timey || tok.is_empty() {
            break;
        }
        rest = rest.get(tok_end..).unwrap_or("").trim_start_matches(' ');
    }
    // CRI log format: `<ts> stdout F <line>`.
    for stream in ["stdout ", "stderr "] {
        if let Some(r) = rest.strip_prefix(stream) {
            let r = r
                .strip_prefix("F ")
                .or_else(|| r.strip_prefix("P "))
                .unwrap_or(r);
            return r;
        }
    }
    rest
}

/// Message clean-up shared by all forms: kubelet's retry wrapper, the combined-event
/// prefix, detailed volume naming, surrounding whitespace.
fn finish_message(msg: &str) -> String {
    let mut m = msg.trim();
    // nestedpendingoperations: `Operation for "{...}" failed. No retries permitted
    // until <time> (durationBeforeRetry 2m2s). Error: MSG` -> MSG.
    if m.starts_with("Operation for ") {
        if let Some(at) = m.find("(durationBeforeRetry ") {
            if let Some(e) = m.get(at..).and_then(|r| r.find("). Error: ")) {
                m = m.get(at + e + 10..).unwrap_or(m).trim_start();
                // Kubelet 1.17 quotes the error: `Error: "MountVolume..."`.
                if let Some(inner) = m.strip_prefix('"') {
                    m = inner.strip_suffix('"').unwrap_or(inner);
                }
            }
        }
    }
    if let Some(r) = m.strip_prefix("(combined from similar events): ") {
        m = r;
    }
    let m = m.trim();
    // Built once: every message asks.
    static UNIQUE_NAME: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let unique_name = UNIQUE_NAME.get_or_init(|| memchr::memmem::Finder::new("(UniqueName: "));
    match detailed_re() {
        Some(re) if unique_name.find(m.as_bytes()).is_some() => re.replace_all(m, "").into_owned(),
        _ => m.to_string(),
    }
}

// ---------------------------------------------------------------------------
// template
// ---------------------------------------------------------------------------

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// The placeholder for a quoted single-token value.
fn quoted_placeholder(v: &str) -> &'static str {
    let is = |f: fn() -> Option<&'static Regex>| f().is_some_and(|re| re.is_match(v));
    if v.starts_with('/') {
        "<path>"
    } else if is(uid_full) {
        "<uid>"
    } else if is(ip_full) {
        "<ip>"
    } else if is(hex_full) {
        "<id>"
    } else if is(pod_full) {
        "<pod>"
    } else {
        "<name>"
    }
}

fn push_placeholder(cat: Cat, span: &str, out: &mut String) {
    match cat {
        Cat::List => out.push_str("=[<list>]"),
        Cat::Url => out.push_str("<url>"),
        Cat::PodRef => out.push_str("<pod>"),
        Cat::Ts => out.push_str("<ts>"),
        Cat::Uid => out.push_str("<uid>"),
        Cat::Ip => out.push_str("<ip>"),
        Cat::Quoted => {
            let q = if span.starts_with('\'') { '\'' } else { '"' };
            let inner = span.get(1..span.len().saturating_sub(1)).unwrap_or("");
            out.push(q);
            out.push_str(quoted_placeholder(inner));
            out.push(q);
        }
        Cat::Path => {
            if !span.starts_with('/') {
                out.push_str(span.get(..1).unwrap_or(""));
            }
            out.push_str("<path>");
        }
        Cat::Hex => {
            let all_digits = span.bytes().all(|c| c.is_ascii_digit());
            out.push_str(if all_digits { "<num>" } else { "<id>" });
        }
        Cat::Pod => {
            // The pattern may take a `_` on either side (docker names): keep it.
            if span.starts_with('_') {
                out.push('_');
            }
            out.push_str("<pod>");
            if span.ends_with('_') && span.len() > 1 {
                out.push('_');
            }
        }
        Cat::Dur => out.push_str("<dur>"),
        Cat::Num => out.push_str("<num>"),
    }
}

/// The template of a message: typed placeholders for what varies, whitespace
/// collapsed, deterministic. See the module header for the placeholder rules.
pub fn template(message: &str) -> String {
    let msg = truncate(message, MAX_TEMPLATE_INPUT);
    let mut out = String::with_capacity(msg.len());
    match template_re() {
        Some(re) => {
            let mut last = 0;
            for m in re.find_iter(msg) {
                out.push_str(msg.get(last..m.start()).unwrap_or(""));
                if let Some(&cat) = CATS.get(m.pattern().as_usize()) {
                    push_placeholder(cat, msg.get(m.range()).unwrap_or(""), &mut out);
                }
                last = m.end();
            }
            out.push_str(msg.get(last..).unwrap_or(""));
        }
        None => out.push_str(msg),
    }
    let mut collapsed = String::with_capacity(out.len());
    for tok in out.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(tok);
    }
    collapsed
}

// ---------------------------------------------------------------------------
// Clusterer
// ---------------------------------------------------------------------------

/// One place a template was seen. Borrowed: most occurrences only bump a
/// count, so nothing is copied unless it becomes the example or a new name.
#[derive(Clone, Copy, Debug)]
pub struct Occurrence<'a> {
    pub artifact: &'a str,
    pub line: u64,
    pub text: &'a str,
    pub timestamp: Option<Timestamp>,
    pub node: Option<&'a str>,
    pub pod: Option<&'a str>,
}

/// A cluster as the report shows it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Cluster {
    pub template: String,
    pub level: Level,
    pub count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub nodes: Vec<String>,
    pub pods: Vec<String>,
    pub benign: bool,
    pub example_artifact: String,
    pub example_line: u64,
    pub example_text: String,
}

/// What one template has gathered so far.
#[derive(Clone, Debug)]
struct Acc {
    level: Level,
    count: u64,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
    nodes: BTreeSet<String>,
    pods: BTreeSet<String>,
    benign: bool,
    /// (level, artifact, line, text): the smallest wins, so the example does not
    /// depend on the order records arrive in (artifacts are scanned in parallel).
    example: (Level, String, u64, String),
}

fn min_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.sort_key() < x.sort_key() { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.sort_key() > x.sort_key() { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Keep the `MAX_NAMES` smallest names: which names a long list shows does
/// not depend on the order records (or tallies) arrive in.
fn add_name(set: &mut BTreeSet<String>, name: &str) {
    let full = set.len() >= MAX_NAMES;
    if full && set.last().is_some_and(|last| name >= last.as_str()) || set.contains(name) {
        return;
    }
    set.insert(name.to_string());
    if full {
        set.pop_last();
    }
}

impl Acc {
    fn absorb(&mut self, other: Acc) {
        self.level = self.level.min(other.level);
        self.count += other.count;
        self.first = min_opt(self.first.take(), other.first);
        self.last = max_opt(self.last.take(), other.last);
        for n in &other.nodes {
            add_name(&mut self.nodes, n);
        }
        for p in &other.pods {
            add_name(&mut self.pods, p);
        }
        // A merged cluster is noise only when all of it is.
        self.benign = self.benign && other.benign;
        if other.example < self.example {
            self.example = other.example;
        }
    }
}

/// `template` with a memory: the same message recurs (a probe flapping, a
/// retried mount), and is templated once. Bounded.
#[derive(Debug, Default)]
struct Templater {
    memo: HashMap<String, String>,
}

/// Distinct messages whose template is remembered.
const MAX_MEMO: usize = 50_000;

impl Templater {
    fn template(&mut self, message: &str) -> String {
        // One hash for a message seen before, two for a new one.
        if let Some(t) = self.memo.get(message) {
            return t.clone();
        }
        if self.memo.len() >= MAX_MEMO {
            self.memo.clear();
        }
        let t = template(message);
        self.memo.insert(message.to_string(), t.clone());
        t
    }
}

/// Where and when the scan saw an error-like record, before the bundle's layout is known.
#[derive(Clone, Copy, Debug)]
pub struct ErrorSeen<'a> {
    pub artifact: usize,
    /// The journald host of the record, which may name another node than the artifact's.
    pub host: Option<&'a str>,
    pub line: u64,
    /// The record's first lines as they are in the artifact.
    pub text: &'a str,
    pub timestamp: Option<Timestamp>,
}

/// Error-like records tallied by template while the bundle is still being
/// read (on the thread that finishes error records, see `scan::finish_errors`),
/// one tally per artifact and journald host. A node and a year are only known
/// once the whole bundle is read; `Clusterer::add_tally` brings them in then.
/// Keeping each record until then cost a copy of it, and clustering them all
/// after the scan was the longest step between the last block and the report.
#[derive(Debug, Default)]
pub struct Tally {
    /// Message -> the slot of its template in `templates`: the same message
    /// recurs (a probe flapping, a retried mount), and is templated once and
    /// found with one hash. Bounded like `Templater`'s memo.
    memo: FastMap<String, usize>,
    /// Template -> its slot.
    slots: FastMap<String, usize>,
    /// Each template with one entry per (artifact, host) it was seen in, in the order first seen.
    templates: Vec<(String, Vec<Seen>)>,
    /// Records whose template came after `MAX_TALLY_TEMPLATES` others.
    pub dropped: u64,
}

/// Distinct templates a tally keeps (as many as a `Clusterer` of a bundle).
pub const MAX_TALLY_TEMPLATES: usize = 5_000;

/// What one (template, artifact, host) has gathered.
#[derive(Clone, Debug)]
struct Seen {
    artifact: usize,
    host: Option<String>,
    level: Level,
    count: u64,
    benign: bool,
    /// First and last seen, kept apart for timestamps with and without a year:
    /// the artifact's year, found later, completes the latter.
    dated: (Option<Timestamp>, Option<Timestamp>),
    undated: (Option<Timestamp>, Option<Timestamp>),
    pods: BTreeSet<String>,
    /// (level, line, text): the smallest is the example.
    example: (Level, u64, String),
}

impl Seen {
    fn new(level: Level, message: &str, e: &ErrorSeen<'_>) -> Seen {
        let mut seen = Seen {
            artifact: e.artifact,
            host: e.host.map(str::to_string),
            level,
            count: 0,
            benign: is_benign(message),
            dated: (None, None),
            undated: (None, None),
            pods: BTreeSet::new(),
            example: (level, e.line, truncate(e.text, MAX_EXAMPLE).to_string()),
        };
        seen.add(level, e);
        seen
    }

    fn add(&mut self, level: Level, e: &ErrorSeen<'_>) {
        self.level = self.level.min(level);
        self.count += 1;
        if let Some(t) = e.timestamp {
            let span = if t.year.is_some() {
                &mut self.dated
            } else {
                &mut self.undated
            };
            span.0 = min_opt(span.0, Some(t));
            span.1 = max_opt(span.1, Some(t));
        }
        if let Some(p) = pod_in(e.text) {
            add_name(&mut self.pods, p);
        }
        if (level, e.line) < (self.example.0, self.example.1) {
            self.example = (level, e.line, truncate(e.text, MAX_EXAMPLE).to_string());
        }
    }
}

impl Tally {
    /// Tally one error-like record (see `message_of` for its level and message).
    pub fn add(&mut self, level: Level, message: &str, e: ErrorSeen<'_>) {
        let Some(slot) = self.slot(message) else {
            self.dropped += 1;
            return;
        };
        let Some((_, list)) = self.templates.get_mut(slot) else {
            return;
        };
        match list
            .iter_mut()
            .find(|s| s.artifact == e.artifact && s.host.as_deref() == e.host)
        {
            Some(s) => s.add(level, &e),
            None => list.push(Seen::new(level, message, &e)),
        }
    }

    /// The slot of a message's template; None once `MAX_TALLY_TEMPLATES`
    /// others hold all the slots.
    fn slot(&mut self, message: &str) -> Option<usize> {
        if let Some(&slot) = self.memo.get(message) {
            return Some(slot);
        }
        let t = template(message);
        let slot = match self.slots.get(&t) {
            Some(&slot) => slot,
            None if self.templates.len() < MAX_TALLY_TEMPLATES => {
                let slot = self.templates.len();
                self.templates.push((t.clone(), Vec::new()));
                self.slots.insert(t, slot);
                slot
            }
            None => return None,
        };
        if self.memo.len() >= MAX_MEMO {
            self.memo.clear();
        }
        self.memo.insert(message.to_string(), slot);
        Some(slot)
    }

    /// Records tallied.
    pub fn records(&self) -> u64 {
        self.seen().map(|s| s.count).sum()
    }

    /// The line of each (template, artifact, host)'s example, in line order.
    pub fn example_lines(&self) -> Vec<u64> {
        let mut lines: Vec<u64> = self.seen().map(|s| s.example.1).collect();
        lines.sort_unstable();
        lines
    }

    fn seen(&self) -> impl Iterator<Item = &Seen> {
        self.templates.iter().flat_map(|(_, list)| list)
    }
}

/// Where a tallied artifact and host are, once the layout is known.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    pub artifact: &'a str,
    pub node: Option<&'a str>,
    /// The year of timestamps that carry none.
    pub year: Option<u16>,
}

/// The pod a log line names: `pod="ns/name"` (structured klog) or `pod "name"`.
pub fn pod_in(text: &str) -> Option<&str> {
    // Built once: this runs on every error record.
    static FINDERS: OnceLock<[memchr::memmem::Finder<'static>; 2]> = OnceLock::new();
    let [pod_eq, pod_quoted] = FINDERS.get_or_init(|| {
        [
            memchr::memmem::Finder::new("pod=\""),
            memchr::memmem::Finder::new("pod \""),
        ]
    });
    let after = pod_eq
        .find(text.as_bytes())
        .or_else(|| pod_quoted.find(text.as_bytes()))?
        + 5;
    let rest = text.get(after..)?;
    let name = rest.split('"').next()?;
    (!name.is_empty() && name.len() < 254).then_some(name)
}

/// Bounded: at most `max_templates` distinct templates are kept (later new ones are
/// counted in `dropped`).
pub struct Clusterer {
    max_templates: usize,
    map: HashMap<String, Acc>,
    dropped: u64,
    templater: Templater,
}

impl Clusterer {
    pub fn new(max_templates: usize) -> Clusterer {
        Clusterer {
            max_templates,
            map: HashMap::new(),
            dropped: 0,
            templater: Templater::default(),
        }
    }

    /// One error-like record: a structured event (log records come as tallies, `add_tally`).
    pub fn add(&mut self, level: Level, message: &str, occ: Occurrence<'_>) {
        let t = self.templater.template(message);
        let mut acc = Acc {
            level,
            count: 1,
            first: occ.timestamp,
            last: occ.timestamp,
            nodes: BTreeSet::new(),
            pods: BTreeSet::new(),
            benign: is_benign(message),
            example: (
                level,
                occ.artifact.to_string(),
                occ.line,
                truncate(occ.text, MAX_EXAMPLE).to_string(),
            ),
        };
        if let Some(n) = occ.node {
            add_name(&mut acc.nodes, n);
        }
        if let Some(p) = occ.pod {
            add_name(&mut acc.pods, p);
        }
        self.merge(&t, acc);
    }

    /// One template's gatherings into the clusters: absorbed by the template's
    /// cluster, or a new cluster while there is room.
    fn merge(&mut self, t: &str, acc: Acc) {
        if let Some(into) = self.map.get_mut(t) {
            into.absorb(acc);
        } else if self.map.len() < self.max_templates {
            self.map.insert(t.to_string(), acc);
        } else {
            self.dropped += acc.count;
        }
    }

    /// Take in a bundle's tally, now that `place` can say where each
    /// artifact and host is. Templates in sorted order, so that which names
    /// fill a full `nodes` or `pods` list does not depend on hashing.
    pub fn add_tally<'a>(
        &mut self,
        tally: &Tally,
        place: impl Fn(usize, Option<&str>) -> Option<Place<'a>>,
    ) {
        let mut templates: Vec<&(String, Vec<Seen>)> = tally.templates.iter().collect();
        templates.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (t, list) in templates {
            for s in list {
                let Some(at) = place(s.artifact, s.host.as_deref()) else {
                    continue;
                };
                let year = |t: Option<Timestamp>| t.map(|t| at.year.map_or(t, |y| t.with_year(y)));
                let mut acc = Acc {
                    level: s.level,
                    count: s.count,
                    first: min_opt(s.dated.0, year(s.undated.0)),
                    last: max_opt(s.dated.1, year(s.undated.1)),
                    nodes: BTreeSet::new(),
                    pods: s.pods.clone(),
                    benign: s.benign,
                    example: (
                        s.example.0,
                        at.artifact.to_string(),
                        s.example.1,
                        s.example.2.clone(),
                    ),
                };
                if let Some(n) = at.node {
                    add_name(&mut acc.nodes, n);
                }
                self.merge(t, acc);
            }
        }
        self.dropped += tally.dropped;
    }

    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Merge templates that differ only in variable positions (Drain-like: same token
    /// count, same first and last token, at least 75% equal positions -> the differing
    /// tokens become `<*>`), fold templates that end in the same long error chain
    /// (see `fold_suffixes`), then rank: not benign before benign, errors before
    /// warnings, count desc, last_seen desc, template asc (deterministic). Return the
    /// top `limit`.
    pub fn finish(self, limit: usize) -> Vec<Cluster> {
        let mut items: Vec<(String, Acc)> = self.map.into_iter().collect();
        // A fixed order, so merging does not depend on HashMap iteration.
        items.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
        let merged = drain_merge(items);
        let mut folded = fold_suffixes(merged);
        folded.sort_by(|a, b| {
            a.1.benign
                .cmp(&b.1.benign)
                .then_with(|| a.1.level.cmp(&b.1.level))
                .then_with(|| b.1.count.cmp(&a.1.count))
                .then_with(|| cmp_last_desc(&a.1.last, &b.1.last))
                .then_with(|| a.0.cmp(&b.0))
        });
        folded
            .into_iter()
            .take(limit)
            .map(|(template, acc)| {
                let (_, example_artifact, example_line, example_text) = acc.example;
                Cluster {
                    template,
                    level: acc.level,
                    count: acc.count,
                    first_seen: acc.first.map(|t| t.to_string()),
                    last_seen: acc.last.map(|t| t.to_string()),
                    nodes: acc.nodes.into_iter().collect(),
                    pods: acc.pods.into_iter().collect(),
                    benign: acc.benign,
                    example_artifact,
                    example_line,
                    example_text,
                }
            })
            .collect()
    }
}

/// Templates shown in a report (the most telling first).
const MAX_UNRECOGNIZED: usize = 25;

/// The error-like records of a bundle that no rule explains, clustered into
/// templates, now that the layout names each artifact's and host's node: the
/// scan's tally of log records, and the Warning events of JSON and YAML event
/// lists (they have no lines to scan), unless a rule's record already quotes them.
pub fn clusters(obs: &Observations, tally: &Tally, layout: &Layout) -> Vec<Cluster> {
    let year = obs.artifacts.iter().filter_map(|a| a.year).max();
    let mut clusterer = Clusterer::new(5_000);
    clusterer.add_tally(tally, |artifact, host| {
        let a = obs.artifacts.get(artifact)?;
        let node = host.and_then(|h| layout.node_for_host(h)).or_else(|| {
            layout
                .node_of
                .get(artifact)
                .copied()
                .flatten()
                .and_then(|n| layout.nodes.get(n))
        });
        Some(Place {
            artifact: &a.path,
            node: node.map(|n| n.name.as_str()),
            year: a.year.or(year),
        })
    });
    for (i, a) in obs.artifacts.iter().enumerate() {
        if a.kind != Some(ArtifactKind::Events) {
            continue;
        }
        for ev in a
            .events
            .iter()
            .filter(|e| e.line == 0 && e.kind == "Warning")
        {
            let explained = obs
                .hits
                .iter()
                .any(|h| h.artifact == i && quotes(&h.record.text, &ev.message));
            if explained || ev.message.is_empty() {
                continue;
            }
            let text = format!(
                "{} {}: {}",
                ev.reason,
                ev.object.as_deref().unwrap_or(""),
                ev.message
            );
            clusterer.add(
                Level::Warning,
                &ev.message,
                Occurrence {
                    artifact: &a.path,
                    line: 0,
                    text: &text,
                    timestamp: None,
                    node: ev.node.as_deref(),
                    pod: ev
                        .object
                        .as_deref()
                        .map(|o| o.rsplit('/').next().unwrap_or(o)),
                },
            );
        }
    }
    clusterer.finish(MAX_UNRECOGNIZED)
}

/// Recent first; clusters without a time go last.
fn cmp_last_desc(a: &Option<Timestamp>, b: &Option<Timestamp>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.sort_key().cmp(&x.sort_key()),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// Drain-style merge within groups of equal token count. The first and last tokens
/// must agree: the last is usually the root cause (`exit status <num>` vs `no space
/// left on device`), so two failures that share a long preamble stay apart.
fn drain_merge(items: Vec<(String, Acc)>) -> Vec<(String, Acc)> {
    let mut out: Vec<(Vec<String>, Acc)> = Vec::new();
    let mut by_len: HashMap<usize, Vec<usize>> = HashMap::new();
    for (t, acc) in items {
        let toks: Vec<String> = t.split(' ').map(str::to_string).collect();
        let n = toks.len();
        let bucket = by_len.entry(n).or_default();
        let hit = bucket.iter().copied().find(|&i| {
            out.get(i)
                .is_some_and(|(other, _)| drain_similar(other, &toks))
        });
        match hit.and_then(|i| out.get_mut(i)) {
            Some((other, into)) => {
                for (o, t) in other.iter_mut().zip(&toks) {
                    if o != t {
                        *o = "<*>".to_string();
                    }
                }
                into.absorb(acc);
            }
            None => {
                bucket.push(out.len());
                out.push((toks, acc));
            }
        }
    }
    out.into_iter().map(|(t, a)| (t.join(" "), a)).collect()
}

fn drain_similar(a: &[String], b: &[String]) -> bool {
    let n = a.len();
    if n != b.len() || n == 0 || a.first() != b.first() || a.last() != b.last() {
        return false;
    }
    let same = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x == y || x.as_str() == "<*>")
        .count();
    same as f64 >= DRAIN_SIMILARITY * n as f64
}

/// A token for suffix comparison: quotes and backslashes removed, since one layer
/// of a Go error chain quotes what the next layer said plainly.
fn norm_token(t: &str) -> String {
    t.chars()
        .filter(|c| !matches!(c, '"' | '\'' | '\\'))
        .collect()
}

/// Fold templates that end in the same long error chain: kubelet's `Error syncing
/// pod`, the sandbox/start error and the event row of one failure all end with the
/// runtime's message, each behind its own `prefix: `. Two templates fold when their
/// common token suffix starts right after a `:` in both (or at a template start), is
/// at least `FOLD_MIN_TOKENS` long and covers `FOLD_MIN_SHARE`% of the shorter one.
/// The cluster with the larger count names the fold.
fn fold_suffixes(items: Vec<(String, Acc)>) -> Vec<(String, Acc)> {
    let toks: Vec<Vec<String>> = items
        .iter()
        .map(|(t, _)| t.split(' ').map(norm_token).collect())
        .collect();
    let n = items.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while let Some(&p) = parent.get(i) {
            if p == i {
                break;
            }
            let gp = parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = parent.get_mut(i) {
                *slot = gp;
            }
            i = p;
        }
        i
    }
    // Only templates that share their last token can share a suffix.
    let mut by_last: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in toks.iter().enumerate() {
        if t.len() >= FOLD_MIN_TOKENS {
            if let Some(last) = t.last() {
                by_last.entry(last.as_str()).or_default().push(i);
            }
        }
    }
    let mut groups: Vec<&Vec<usize>> = by_last.values().collect();
    groups.sort();
    for group in groups {
        for (x, &i) in group.iter().enumerate() {
            for &j in group.iter().skip(x + 1) {
                let (Some(a), Some(b)) = (toks.get(i), toks.get(j)) else {
                    continue;
                };
                if shares_chain(a, b) {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    if ri != rj {
                        let (lo, hi) = (ri.min(rj), ri.max(rj));
                        if let Some(slot) = parent.get_mut(hi) {
                            *slot = lo;
                        }
                    }
                }
            }
        }
    }
    let mut sets: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let r = root(&mut parent, i);
        sets.entry(r).or_default().push(i);
    }
    let mut slots: Vec<Option<(String, Acc)>> = items.into_iter().map(Some).collect();
    let mut roots: Vec<usize> = sets.keys().copied().collect();
    roots.sort_unstable();
    let mut out = Vec::with_capacity(roots.len());
    for r in roots {
        let Some(members) = sets.get(&r) else {
            continue;
        };
        let mut taken: Vec<(String, Acc)> = members
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
            .collect();
        // Name: most frequent, then shortest, then alphabetical.
        taken.sort_by(|a, b| {
            b.1.count
                .cmp(&a.1.count)
                .then_with(|| a.0.len().cmp(&b.0.len()))
                .then_with(|| a.0.cmp(&b.0))
        });
        let mut it = taken.into_iter();
        if let Some((t, mut acc)) = it.next() {
            for (_, other) in it {
                acc.absorb(other);
            }
            out.push((t, acc));
        }
    }
    out
}

fn shares_chain(a: &[String], b: &[String]) -> bool {
    let common = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let shorter = a.len().min(b.len());
    // The chain must start at a boundary in both: after `prefix:`, after gRPC's
    // `desc =`, or at the template start. The equal run may reach past that
    // boundary (`Mount failed: X` vs `mount failed: X`), so try each length.
    let boundary = |t: &[String], k: usize| {
        if t.len() == k {
            return true;
        }
        let prev = t.get(t.len() - k - 1).map(String::as_str);
        let prev2 = (t.len() >= k + 2)
            .then(|| t.get(t.len() - k - 2))
            .flatten()
            .map(String::as_str);
        prev.is_some_and(|p| p.ends_with(':')) || (prev == Some("=") && prev2 == Some("desc"))
    };
    (FOLD_MIN_TOKENS..=common)
        .rev()
        .take_while(|&k| k * 100 >= FOLD_MIN_SHARE * shorter)
        .any(|k| boundary(a, k) && boundary(b, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Real lines from the eval bundles (pub01..03) and samples/.
    const PUB02_NESTED: &str = r#"E0514 10:45:50.359846    1288 nestedpendingoperations.go:348] Operation for "{volumeName:kubernetes.io/nfs/2d1d501f-91ae-4eae-b1c0-c4251fe8927c-media-library-pv podName:2d1d501f-91ae-4eae-b1c0-c4251fe8927c nodeName:}" failed. No retries permitted until 2024-05-14 10:45:50.859846922 +0000 UTC m=+1580.188635177 (durationBeforeRetry 500ms). Error: MountVolume.SetUp failed for volume "media-library-pv" (UniqueName: "kubernetes.io/nfs/2d1d501f-91ae-4eae-b1c0-c4251fe8927c-media-library-pv") pod "media-indexer-0" (UID: "2d1d501f-91ae-4eae-b1c0-c4251fe8927c") : mount failed: exit status 32"#;
    const PUB02_EVENT: &str = r#"  Warning  FailedMount  45s (x14 over 13m)  kubelet            MountVolume.SetUp failed for volume "media-library-pv" : mount failed: exit status 32"#;
    const PUB02_STRUCTURED: &str = r#"E0514 10:47:53.173238    1288 pod_workers.go:1298] "Error syncing pod, skipping" err="unmounted volumes=[media-library], unattached volumes=[], failed to process volumes=[]: context deadline exceeded" pod="media/media-indexer-0" podUID="2d1d501f-91ae-4eae-b1c0-c4251fe8927c""#;
    const PUB02_NAMESERVER: &str = r#"E0514 10:36:11.109223    1288 dns.go:153] "Nameserver limits exceeded" err="Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.9.8.2 10.9.8.3 1.1.1.1""#;
    const PUB01_SYSSTATS: &str = r#"E0418 07:58:44.374481    1187 summary_sys_containers.go:48] "Failed to get system container stats" err="failed to get cgroup stats for "/system.slice/docker.service": failed to get container info for "/system.slice/docker.service": unknown container "/system.slice/docker.service"" containerName="/system.slice/docker.service""#;
    const PUB03_CONTAINERD: &str = r#"time="2021-02-03T11:18:48.752608384Z" level=error msg="StartContainer for "2d343fd75710f1200b57a0fa9342385653ed4b657e4ed4bc1b1d8ceb63a9601d" failed" error="failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/2d343fd75710f1200b57a0fa9342385653ed4b657e4ed4bc1b1d8ceb63a9601d/rootfs/app/config/production.json" caused: no such file or directory: unknown""#;
    const PUB03_GET_EVENT: &str = r#"shop        20m         Warning   Failed    pod/web-7c9d8f6b54-kvvcj   Error: failed to create containerd task: OCI runtime create failed: container_linux.go:370: starting container process caused: process_linux.go:459: container init caused: rootfs_linux.go:59: mounting "/var/lib/kubelet/pods/4b44a988-d410-4d1f-8916-3c3382a4c4bf/volume-subpaths/app-config/web/0" to rootfs at "/run/containerd/io.containerd.runtime.v2.task/k8s.io/2f08069e3610a3a456018b85f302685763e6260dbfd71f3180c81c307eba5899/rootfs/app/config/production.json" caused: no such file or directory: unknown"#;
    const PUB03_SKIPPING: &str = "E0203 06:10:32.093692    1342 kubelet.go:1844] skipping pod synchronization - [container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]";
    const SAMPLE_READINESS_I: &str = r#"I0614 06:12:21.315252    1318 prober.go:116] Readiness probe for "orders-6c8f7d9b54-prfmv_erp(ea018f7b-5ea8-4979-bfc1-2061a5eba044):orders" failed (failure): Get http://10.244.3.35:8080/ready: net/http: request canceled (Client.Timeout exceeded while awaiting headers)"#;
    const PUB01_MOUNT_MULTI: &str = "E0418 08:42:39.991535    1187 mount_linux.go:184] Mount failed: exit status 32\nMounting command: systemd-run\nMounting arguments: --description=Kubernetes transient mount for /var/lib/kubelet/pods/dfc59589-4641-4a77-814a-d17286065e2d/volumes/kubernetes.io~nfs/reports-archive --scope -- mount -t nfs 10.1.2.3:/export/reports /var/lib/kubelet/pods/dfc59589-4641-4a77-814a-d17286065e2d/volumes/kubernetes.io~nfs/reports-archive\nOutput: Running scope as unit run-23817.scope.\nmount: wrong fs type, bad option, bad superblock on 10.1.2.3:/export/reports,\n       missing codepage or helper program, or other error";

    fn occ<'a>(
        artifact: &'a str,
        line: u64,
        text: &'a str,
        ts: Option<&str>,
        pod: Option<&'a str>,
    ) -> Occurrence<'a> {
        Occurrence {
            artifact,
            line,
            text,
            timestamp: ts.and_then(|t| crate::records::iso_time(t).map(|(t, _)| t)),
            node: Some("node-1"),
            pod,
        }
    }

    /// Deterministic pseudo-random source (no dev-dependencies).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
            (0..n)
                .map(|_| {
                    let i = (self.next() as usize) % alphabet.len();
                    char::from(alphabet.get(i).copied().unwrap_or(b'x'))
                })
                .collect()
        }
        fn uid(&mut self) -> String {
            let h = b"0123456789abcdef";
            format!(
                "{}-{}-{}-{}-{}",
                self.pick(h, 8),
                self.pick(h, 4),
                self.pick(h, 4),
                self.pick(h, 4),
                self.pick(h, 12)
            )
        }
        fn pod(&mut self) -> String {
            let s = b"bcdfghjklmnpqrstvwxz2456789";
            let apps = ["web", "api-gateway", "billing-worker", "orders", "cart-svc"];
            let app = apps
                .get((self.next() as usize) % apps.len())
                .copied()
                .unwrap_or("web");
            format!("{app}-{}-{}", self.pick(s, 10), self.pick(s, 5))
        }
    }

    /// The unknown failure, in the three shapes a bundle has it: kubelet E line,
    /// describe event row, `kubectl get events` row.
    fn unknown_failure(i: usize, r: &mut Lcg) -> (&'static str, String) {
        let uid = r.uid();
        let pod_uid = r.uid();
        let pod = r.pod();
        let ip = format!(
            "10.{}.{}.{}",
            r.next() % 250,
            r.next() % 250,
            r.next() % 250
        );
        let durs = ["500ms", "1s", "2s", "4s", "1m4s", "2m2s"];
        let dur = durs.get(i % durs.len()).copied().unwrap_or("2m2s");
        let secs = r.next() % 60;
        let ms = r.next() % 1000;
        let msg_tail = format!(
            "rpc error: code = Internal desc = rbd image replicapool/csi-vol-{uid} is still being used by {ip}:0/{}: quorum epoch mismatch",
            r.next() % 100000
        );
        match i % 3 {
            0 => (
                "kubelet-log",
                format!(
                    r#"E0514 10:{:02}:{secs:02}.{ms:03}846    1288 nestedpendingoperations.go:348] Operation for "{{volumeName:kubernetes.io/csi/rbd.csi.ceph.com^0001-0024-{uid} podName: nodeName:}}" failed. No retries permitted until 2024-05-14 10:{:02}:{secs:02}.859846922 +0000 UTC m=+{}.188635177 (durationBeforeRetry {dur}). Error: MountVolume.MountDevice failed for volume "pvc-{uid}" (UniqueName: "kubernetes.io/csi/rbd.csi.ceph.com^0001-0024-{uid}") pod "{pod}" (UID: "{pod_uid}") : {msg_tail}"#,
                    i % 60,
                    i % 60,
                    1000 + i * 37
                ),
            ),
            1 => (
                "pod-describe",
                format!(
                    r#"  Warning  FailedMount  {}s (x{} over {}m)  kubelet  MountVolume.MountDevice failed for volume "pvc-{uid}" : {msg_tail}"#,
                    i + 3,
                    i % 9 + 2,
                    i + 10
                ),
            ),
            _ => (
                "events",
                format!(
                    r#"ns-{}      {}m         Warning   FailedMount   pod/{pod}   MountVolume.MountDevice failed for volume "pvc-{uid}" : {msg_tail}"#,
                    i % 4,
                    i + 1
                ),
            ),
        }
    }

    #[test]
    fn all_patterns_compile() {
        assert!(template_re().is_some());
        for f in [
            uid_full,
            ip_full,
            hex_full,
            pod_full,
            detailed_re,
            error_words,
            warning_words,
            benign_re,
        ] {
            assert!(f().is_some());
        }
    }

    #[test]
    fn klog_levels_and_headers() {
        let (l, m) = message_of("kubelet-log", PUB01_MOUNT_MULTI).unwrap();
        assert_eq!(l, Level::Error);
        assert!(m.starts_with("Mount failed: exit status 32\nMounting command: systemd-run"));
        let w = "W0514 10:19:31.872481    1288 watcher.go:93] Error while processing event \"/sys/fs/cgroup/x\": no such file";
        assert_eq!(message_of("kubelet-log", w).unwrap().0, Level::Warning);
        assert_eq!(message_of("kubelet-log", SAMPLE_READINESS_I), None);
        assert_eq!(
            message_of(
                "kubelet-log",
                "I0514 10:19:31.872481    1288 kubelet.go:1] Started kubelet"
            ),
            None
        );
        // Structured klog: the msg and the err value, not pod/podUID.
        let (_, m) = message_of("kubelet-log", PUB02_STRUCTURED).unwrap();
        assert_eq!(m, "Error syncing pod, skipping: unmounted volumes=[media-library], unattached volumes=[], failed to process volumes=[]: context deadline exceeded");
        let (_, m) = message_of("kubelet-log", PUB01_SYSSTATS).unwrap();
        assert!(m.starts_with("Failed to get system container stats: failed to get cgroup stats for \"/system.slice/docker.service\""));
        assert!(
            m.ends_with("unknown container \"/system.slice/docker.service\""),
            "{m}"
        );
    }

    #[test]
    fn nested_wrapper_and_event_give_one_template() {
        let (l1, k) = message_of("kubelet-log", PUB02_NESTED).unwrap();
        let (l2, e) = message_of("pod-describe", PUB02_EVENT).unwrap();
        assert_eq!((l1, l2), (Level::Error, Level::Warning));
        assert_eq!(
            k,
            r#"MountVolume.SetUp failed for volume "media-library-pv" : mount failed: exit status 32"#
        );
        assert_eq!(k, e);
        assert_eq!(
            template(&k),
            r#"MountVolume.SetUp failed for volume "<name>" : mount failed: exit status <num>"#
        );
        // 1.17 quotes the wrapped error.
        let old = r#"E0203 11:18:48.1 1342 nestedpendingoperations.go:301] Operation for ""kubernetes.io/nfs/4b44a988-d410-4d1f-8916-3c3382a4c4bf-data" ("4b44a988-d410-4d1f-8916-3c3382a4c4bf")" failed. No retries permitted until 2021-02-03 11:20:50.1 +0000 UTC m=+4.1 (durationBeforeRetry 2m2s). Error: "MountVolume.SetUp failed for volume "data" (UniqueName: "kubernetes.io/nfs/4b44a988-d410-4d1f-8916-3c3382a4c4bf-data") pod "web-7c9d8f6b54-kvvcj" (UID: "4b44a988-d410-4d1f-8916-3c3382a4c4bf") : mount failed: exit status 32""#;
        let (_, m) = message_of("kubelet-log", old).unwrap();
        assert_eq!(template(&m), template(&e));
    }

    #[test]
    fn runtime_and_event_rows() {
        let (l, m) = message_of("runtime-log", PUB03_CONTAINERD).unwrap();
        assert_eq!(l, Level::Error);
        assert!(m.starts_with(r#"StartContainer for "2d343fd75710f1200b57a0fa9342385653ed4b657e4ed4bc1b1d8ceb63a9601d" failed: failed to create containerd task"#), "{m}");
        assert!(m.ends_with("no such file or directory: unknown"), "{m}");
        let info = r#"time="2021-02-03T11:18:48.7Z" level=info msg="StartContainer for \"2d34\" returns error""#;
        assert_eq!(message_of("runtime-log", info), None);
        let warn = r#"time="2021-02-03T11:18:48.7Z" level=warning msg="cleanup warnings time=\"2021\" level=info msg=\"starting signal loop\"""#;
        assert_eq!(message_of("runtime-log", warn).unwrap().0, Level::Warning);

        let (l, m) = message_of("events", PUB03_GET_EVENT).unwrap();
        assert_eq!(l, Level::Warning);
        assert!(m.starts_with("Error: failed to create containerd task"));
        let combined = "  Warning  FailedMount  3m47s (x6 over 5m49s)  kubelet  (combined from similar events): Unable to attach or mount volumes: unmounted volumes=[reports-archive], unattached volumes=[report-templates kube-api-access-499z2 reports-archive]: timed out waiting for the condition";
        let (_, m) = message_of("pod-describe", combined).unwrap();
        assert!(m.starts_with("Unable to attach or mount volumes:"));
        assert_eq!(
            template(&m),
            "Unable to attach or mount volumes: unmounted volumes=[<list>], unattached volumes=[<list>]: timed out waiting for the condition"
        );
        // Normal rows, headers and other describe lines are not error-like.
        for t in [
            "  Normal   Pulled     20m   kubelet, k8s-node-7  Container image \"nginx\" already present",
            "shop        20m         Normal    Pulled    pod/web-7c9d8f6b54-kvvcj   Successfully pulled",
            "  Type     Reason       Age   From     Message",
            "      Message:      OCI runtime create failed",
        ] {
            assert_eq!(message_of("pod-describe", t), None, "{t}");
            assert_eq!(message_of("events", t), None, "{t}");
        }
        // Old kubectl layout: LAST SEEN FIRST SEEN COUNT NAME KIND SUBOBJECT TYPE REASON SOURCE MESSAGE.
        let old = "5m   20m   29   web-7c9d8f6b54-kvvcj.1664   Pod   spec.containers{web}   Warning   BackOff   kubelet, k8s-node-7   Back-off restarting failed container";
        assert_eq!(
            message_of("events", old).unwrap().1,
            "Back-off restarting failed container"
        );
    }

    #[test]
    fn plain_lines_by_kind() {
        let go = "2024/08/13 17:56:36 [adaptor/proxy] RemoveContainer fails: rpc error";
        assert_eq!(
            message_of("other-log", go).unwrap().1,
            "[adaptor/proxy] RemoveContainer fails: rpc error"
        );
        let dmesg = "[18525.494577] Memory cgroup out of memory: Killed process 4211 (java)";
        assert_eq!(
            message_of("dmesg", dmesg).unwrap(),
            (
                Level::Error,
                "Memory cgroup out of memory: Killed process 4211 (java)".to_string()
            )
        );
        assert_eq!(
            message_of(
                "dmesg",
                "[18525.494577] memory: usage 524288kB, limit 524288kB, failcnt 18211"
            ),
            None
        );
        let cri = "2024-05-14T10:45:50.359846Z stderr F E0514 10:45:50.359846       1 controller.go:1] \"Failed to provision volume\" err=\"quota exceeded\"";
        assert_eq!(
            message_of("other-log", cri).unwrap().1,
            "Failed to provision volume: quota exceeded"
        );
        assert_eq!(message_of("other-log", "Starting server on :8080"), None);
        assert_eq!(
            message_of("packages", "ii  libfailed-dev  1.0  error handling"),
            None
        );
        let json = r#"{"level":"error","ts":1715683550.1,"msg":"GRPC error","error":"rpc error: code = Internal desc = boom"}"#;
        assert_eq!(
            message_of("other-log", json).unwrap().1,
            "GRPC error: rpc error: code = Internal desc = boom"
        );
        assert_eq!(
            message_of("other-log", r#"{"level":"info","msg":"error budget ok"}"#),
            None
        );
    }

    #[test]
    fn placeholders() {
        let t = template(PUB02_NESTED.split("] ").nth(1).unwrap_or(""));
        assert!(t.contains("until <ts> (durationBeforeRetry <dur>)"), "{t}");
        assert!(t.contains("(UID: \"<uid>\")"), "{t}");
        assert_eq!(
            template("pod web-7c9d8f6b54-kvvcj on 10.244.3.35:8080 and fe80::1 took 1h0m0s, 500ms, exit 32"),
            "pod <pod> on <ip> and <ip> took <dur>, <dur>, exit <num>"
        );
        assert_eq!(
            template("k8s_web_web-7c9d8f6b54-kvvcj_shop_4b44a988-d410-4d1f-8916-3c3382a4c4bf_0 sha256:2d343fd75710f1200b57a0fa93423856"),
            "k8s_web_<pod>_shop_<uid>_0 <id>"
        );
        assert_eq!(
            template(
                r#"failed to "StartContainer" for "web" with RunContainerError: mounting "/var/lib/x/0" at /run/y: 'exit-code'"#
            ),
            r#"failed to "StartContainer" for "<name>" with RunContainerError: mounting "<path>" at <path>: '<name>'"#
        );
        assert_eq!(
            template("mount -t nfs 10.1.2.3:/export/reports /var/lib/kubelet/pods/x at Feb 03 06:10:31 and 2021-02-03T11:18:48.752608384Z"),
            "mount -t nfs <ip>:<path> <path> at <ts> and <ts>"
        );
        assert_eq!(
            template("db-0 and db-12 restarted"),
            "db-<num> and db-<num> restarted"
        );
        assert_eq!(
            template("Get http://10.0.0.1:6443/api?x=1: EOF"),
            "Get <url> EOF"
        );
        // Constant words stay.
        assert_eq!(
            template("no space left on device"),
            "no space left on device"
        );
    }

    /// kubelet 1.29's `pod_workers.go` line for a crash-looping container: the
    /// `pod=name_namespace(uid)` inside the error is `format.Pod`.
    fn crash_loop_line(pod: &str, ns: &str, uid: &str, container: &str) -> String {
        format!(
            r#"E0314 06:10:06.113000    3231 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \"StartContainer\" for \"{container}\" with CrashLoopBackOff: \"back-off 5m0s restarting failed container={container} pod={pod}_{ns}({uid})\"" pod="{ns}/{pod}" podUID="{uid}""#
        )
    }

    #[test]
    fn regression_crash_loops_in_many_namespaces_are_one_cluster() {
        // The bench bundle's CrashLoopBackOff lines were 25 templates, one per
        // namespace and StatefulSet pod, because `_namespace(` stuck to the pod.
        let mut r = Lcg(11);
        let mut c = Clusterer::new(1000);
        let pods = [
            "web-7d9f8b6c4d-x2k9p",
            "kafka-0",
            "db-12",
            "fluent-bit-zx7q2",
        ];
        let namespaces = ["shop", "kube-system", "cert-manager", "payments", "ci"];
        for i in 0..30usize {
            let pod = pods.get(i % pods.len()).copied().unwrap_or("web-0");
            let ns = namespaces.get(i % namespaces.len()).copied().unwrap_or("x");
            let line = crash_loop_line(pod, ns, &r.uid(), "app");
            let (level, msg) = message_of("kubelet-log", &line).unwrap();
            c.add(
                level,
                &msg,
                occ("kubelet-log", i as u64 + 1, &line, None, None),
            );
        }
        let out = c.finish(20);
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out.first().map(|k| k.count), Some(30));
        assert!(
            out.first()
                .is_some_and(|k| k.template.ends_with(r#"container=app pod=<pod>""#)),
            "{out:#?}"
        );
    }

    #[test]
    fn pod_references_and_near_misses() {
        let uid = "0b8f3c2e-1d4a-4f6b-9c7e-5a2b1c3d4e5f";
        assert_eq!(
            template(&format!("pod=kafka-0_payments({uid})")),
            "pod=<pod>"
        );
        assert_eq!(
            template(&format!("pod web-7d9f8b6c4d-x2k9p_shop({uid}) failed")),
            "pod <pod> failed"
        );
        // Not a pod reference: no UID in the parentheses, or a capitalised name.
        assert_eq!(
            template("pod=kafka-0_payments(x)"),
            "pod=kafka-0_payments(x)"
        );
        assert_eq!(
            template(&format!("Kafka_Payments({uid})")),
            "Kafka_Payments(<uid>)"
        );
    }

    #[test]
    fn forty_variants_of_one_unknown_failure_are_one_cluster() {
        let mut r = Lcg(7);
        let mut c = Clusterer::new(1000);
        for i in 0..40 {
            let (kind, text) = unknown_failure(i, &mut r);
            let (level, msg) = message_of(kind, &text).unwrap();
            c.add(
                level,
                &msg,
                occ(
                    kind,
                    i as u64 + 1,
                    &text,
                    Some(&format!("2024-05-14T10:{:02}:00", i % 60)),
                    None,
                ),
            );
        }
        // Background: benign noise (more frequent) and some other real errors.
        for i in 0..120 {
            for line in [PUB01_SYSSTATS, PUB02_NAMESERVER, PUB03_SKIPPING] {
                let (level, msg) = message_of("kubelet-log", line).unwrap();
                c.add(level, &msg, occ("kubelet-log", 1000 + i, line, None, None));
            }
        }
        for i in 0..5 {
            let (level, msg) = message_of("kubelet-log", PUB02_STRUCTURED).unwrap();
            c.add(
                level,
                &msg,
                occ("kubelet-log", 2000 + i, PUB02_STRUCTURED, None, None),
            );
        }
        let out = c.finish(20);
        let hits: Vec<&Cluster> = out
            .iter()
            .filter(|k| {
                k.template.contains("quorum epoch mismatch")
                    || k.example_text.contains("quorum epoch mismatch")
            })
            .collect();
        assert!((1..=2).contains(&hits.len()), "{out:#?}");
        assert_eq!(hits.iter().map(|k| k.count).sum::<u64>(), 40, "{out:#?}");
        assert_eq!(out.first().map(|k| k.count), Some(40), "{out:#?}");
        assert_eq!(out.first().map(|k| k.level), Some(Level::Error));
        // Benign noise ranks after every real error.
        let first_benign = out.iter().position(|k| k.benign).unwrap_or(out.len());
        assert!(out.iter().skip(first_benign).all(|k| k.benign));
        assert_eq!(first_benign, 2, "{out:#?}");
    }

    #[test]
    fn different_failures_stay_apart() {
        let msgs = [
            r#"MountVolume.SetUp failed for volume "a" : mount failed: exit status 32"#,
            r#"MountVolume.SetUp failed for volume "b" : no space left on device"#,
            r#"MountVolume.SetUp failed for volume "c" : context deadline exceeded"#,
            r#"MountVolume.SetUp failed for volume "d" : mount failed: exit status 1"#,
        ];
        let mut c = Clusterer::new(100);
        for (i, m) in msgs.iter().enumerate() {
            for j in 0..3 {
                c.add(
                    Level::Error,
                    m,
                    occ("kubelet-log", (i * 10 + j) as u64, m, None, None),
                );
            }
        }
        let out = c.finish(10);
        assert_eq!(out.len(), 3, "{out:#?}");
        let exit = out
            .iter()
            .find(|k| k.template.contains("exit status"))
            .map(|k| k.count);
        assert_eq!(exit, Some(6));
    }

    #[test]
    fn drain_merges_unquoted_names_and_fold_joins_error_chains() {
        let mut c = Clusterer::new(100);
        for (i, v) in ["alpha", "beta", "gamma"].iter().enumerate() {
            let m = format!(
                "volume {v} of claim data could not be attached to the node: quota reached"
            );
            c.add(Level::Error, &m, occ("a", i as u64, &m, None, None));
        }
        let chain = "rpc error: code = Unknown desc = failed to setup network for sandbox <id>: plugin type=<name> failed (add): ipam exhausted in pool blue";
        let a = format!("Failed to create sandbox for pod: {chain}");
        let b = format!("Failed to create pod sandbox: {chain}");
        let d = format!("Error syncing pod, skipping: failed to \"CreatePodSandbox\" for \"web\" with CreatePodSandboxError: \"Failed to create sandbox for pod \"web\": {chain}\"");
        for (i, m) in [a, b, d].iter().enumerate() {
            c.add(Level::Error, m, occ("k", i as u64, m, None, None));
        }
        let out = c.finish(10);
        assert_eq!(out.len(), 2, "{out:#?}");
        assert!(out
            .iter()
            .any(|k| k.count == 3 && k.template.contains("volume <*> of claim")));
        assert!(out
            .iter()
            .any(|k| k.count == 3 && k.template.contains("ipam exhausted")));
    }

    #[test]
    fn mount_utils_line_folds_into_the_volume_error_that_repeats_it() {
        let (l1, m1) = message_of("kubelet-log", PUB01_MOUNT_MULTI).unwrap();
        let tail = PUB01_MOUNT_MULTI
            .split_once("exit status 32")
            .map_or("", |x| x.1);
        let nested = format!("{}{tail}", PUB02_NESTED);
        let (l2, m2) = message_of("kubelet-log", &nested).unwrap();
        let grpc = format!("StartContainer \"2d343fd75710\" from runtime service failed: rpc error: code = Unknown desc = {}", m1.replacen("Mount failed: ", "", 1));
        let mut c = Clusterer::new(10);
        c.add(l1, &m1, occ("k", 1, PUB01_MOUNT_MULTI, None, None));
        c.add(l2, &m2, occ("k", 2, &nested, None, None));
        c.add(Level::Error, &grpc, occ("k", 3, &grpc, None, None));
        let out = c.finish(10);
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out.first().map(|k| k.count), Some(3));
    }

    #[test]
    fn output_is_deterministic_whatever_the_order() {
        let lines = [
            PUB02_NESTED,
            PUB02_STRUCTURED,
            PUB02_NAMESERVER,
            PUB01_SYSSTATS,
            PUB01_MOUNT_MULTI,
            PUB03_SKIPPING,
        ];
        let run = |order: &[usize]| {
            let mut c = Clusterer::new(100);
            for &i in order {
                let line = lines.get(i).copied().unwrap_or("");
                if let Some((l, m)) = message_of("kubelet-log", line) {
                    c.add(
                        l,
                        &m,
                        occ(
                            "kubelet.log",
                            i as u64 + 1,
                            line,
                            Some(&format!("t{i:03}")),
                            Some("p"),
                        ),
                    );
                }
            }
            c.finish(100)
        };
        let fwd: Vec<usize> = (0..60).map(|i| i % lines.len()).collect();
        let rev: Vec<usize> = fwd.iter().rev().copied().collect();
        let (a, b) = (run(&fwd), run(&rev));
        assert_eq!(a, b);
        assert!(a.last().is_some_and(|k| k.benign));
    }

    #[test]
    fn bounded_templates() {
        let mut c = Clusterer::new(2);
        for m in [
            "error one",
            "error two",
            "error three",
            "error four",
            "error one",
        ] {
            c.add(Level::Error, m, occ("x", 1, m, None, None));
        }
        assert_eq!(c.dropped(), 2);
        let out = c.finish(10);
        assert_eq!(out.iter().map(|k| k.count).sum::<u64>(), 3);
    }

    #[test]
    fn a_long_pod_list_is_the_smallest_names_whatever_the_order() {
        let names: Vec<String> = (0..100).map(|i| format!("shop/web-{i:03}")).collect();
        let pods = |order: &mut dyn Iterator<Item = &String>| {
            let mut c = Clusterer::new(10);
            for (i, name) in order.enumerate() {
                c.add(
                    Level::Error,
                    "error x",
                    occ("x", i as u64 + 1, "error x", None, Some(name)),
                );
            }
            c.finish(1).pop().map(|k| k.pods).unwrap_or_default()
        };
        let forward = pods(&mut names.iter());
        assert_eq!(forward.len(), MAX_NAMES);
        assert_eq!(forward.first().map(String::as_str), Some("shop/web-000"));
        assert_eq!(forward.last().map(String::as_str), Some("shop/web-063"));
        assert_eq!(pods(&mut names.iter().rev()), forward);
        assert_eq!(
            pods(&mut names.iter().step_by(3).chain(names.iter())),
            forward
        );
    }

    #[test]
    fn benign_is_recognized() {
        for m in [
            "Nameserver limits exceeded: x",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            "Failed to get system container stats for \"/system.slice/x\"",
            "Cleaned up orphaned pod volumes dir",
        ] {
            assert!(is_benign(m), "{m}");
        }
        assert!(!is_benign("mount failed: exit status 32"));
    }

    #[test]
    fn garbage_never_panics() {
        let mut r = Lcg(42);
        let alphabet: Vec<char> = " \t\n\"'\\=[]{}()/:.,-_0123456789abcdefEIWFTZµé→\u{0}level=msg=Warning  Normal  E0101 12:00:00.1 x.go:1] Operation for (durationBeforeRetry 1s). Error: (UniqueName: \"".chars().collect();
        let kinds = [
            "kubelet-log",
            "runtime-log",
            "events",
            "pod-describe",
            "other-log",
            "dmesg",
            "?",
        ];
        let mut c = Clusterer::new(50);
        for i in 0..3000 {
            let len = (r.next() % 200) as usize;
            let s: String = (0..len)
                .map(|_| {
                    alphabet
                        .get((r.next() as usize) % alphabet.len())
                        .copied()
                        .unwrap_or(' ')
                })
                .collect();
            let kind = kinds.get(i % kinds.len()).copied().unwrap_or("");
            let _ = template(&s);
            let _ = is_benign(&s);
            if let Some((l, m)) = message_of(kind, &s) {
                c.add(l, &m, occ(kind, i as u64, &s, None, None));
            }
        }
        for s in [
            "",
            "E",
            "E0101",
            "E0101 12:00:00.1",
            "[",
            "[]",
            "{",
            "{\"level\":\"",
            "level=",
            "time=\"",
            "  Warning",
            "x  Warning  ",
            "Operation for (durationBeforeRetry ). Error: \"",
        ] {
            for k in kinds {
                let _ = message_of(k, s);
            }
        }
        let _ = c.finish(100);
    }

    #[test]
    fn templating_10k_messages_completes() {
        let mut r = Lcg(3);
        let mut seen = std::collections::HashSet::new();
        for i in 0..10_000 {
            let (kind, text) = unknown_failure(i, &mut r);
            if let Some((_, m)) = message_of(kind, &text) {
                seen.insert(template(&m));
            }
        }
        assert_eq!(seen.len(), 1, "{seen:#?}");
    }
}

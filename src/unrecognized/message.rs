//! The message of an error-like record: the record without its log's own
//! header (klog, logrus, JSON, Go log, dmesg, event row columns, read through
//! `logline`), with kubelet's retry wrapper and detailed volume naming taken
//! off, so a kubelet line and the event of one failure give one template.

use std::sync::OnceLock;

use regex::Regex;

use super::B;
use crate::facts::{ArtifactKind, Level};
use crate::logline::{self, field_value};

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

/// Is this record error-like, and what is its message? The message is the
/// record without the log's own header (klog, logrus, Go log, dmesg, event row
/// columns), with kubelet's retry wrapper and detailed volume naming removed so a
/// kubelet line and the event of one failure give one template. None when the
/// record is not error-like.
pub fn message_of(kind: ArtifactKind, record_text: &str) -> Option<(Level, String)> {
    let text = record_text.trim_start_matches('\u{feff}');
    let (level, msg) = match kind {
        // Describe and get-events output: only Warning rows are error-like; the other
        // lines of a describe (state, conditions, volumes) restate what events say.
        ArtifactKind::Events | ArtifactKind::PodDescribe | ArtifactKind::NodeDescribe => {
            event_message(text)?
        }
        ArtifactKind::KubeletLog | ArtifactKind::RuntimeLog | ArtifactKind::Dmesg => {
            structured(text, false)?
        }
        // Data artifacts (package lists, mount tables, pod JSON...) are parsed as
        // facts; a package named `*-error-*` is not an error.
        ArtifactKind::PodJson
        | ArtifactKind::PodList
        | ArtifactKind::NodeList
        | ArtifactKind::Mountinfo
        | ArtifactKind::Mounts
        | ArtifactKind::Packages
        | ArtifactKind::PackageHistory
        | ArtifactKind::OsRelease
        | ArtifactKind::Uname
        | ArtifactKind::KernelCmdline
        | ArtifactKind::VolumeAttachments
        | ArtifactKind::Df
        | ArtifactKind::Version
        | ArtifactKind::Hostname
        | ArtifactKind::Config
        | ArtifactKind::Skipped => return None,
        ArtifactKind::OtherLog => structured(text, true)?,
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
        if let Some(r) = event_message(text) {
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

/// klog: `E0912 09:31:07.681775    1208 file.go:123] body`. Some(None) for a klog
/// line that is not error-like (I), None when the text is not klog.
#[allow(clippy::option_option)]
fn klog(text: &str) -> Option<Option<(Level, String)>> {
    let (severity, body) = logline::klog_body(text)?;
    let body = body?;
    let level = match severity {
        b'E' | b'F' => Level::Error,
        b'W' => Level::Warning,
        _ => return Some(None),
    };
    Some(Some((level, klog_fields(body))))
}

/// Structured klog (`"msg" key="value" ...`) keeps the msg and the err value; the
/// other keys (pod, podUID, containerName) name *where*, not *what*.
fn klog_fields(body: &str) -> String {
    if !body.starts_with('"') {
        return body.to_string();
    }
    let Some((msg, end)) = logline::clean_quoted(body, 1) else {
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
    let (word, at) = logline::logrus_level(line)?;
    let is = |names: &[&str]| names.iter().any(|n| word.eq_ignore_ascii_case(n));
    let level = if is(&["error", "err", "fatal", "panic", "crit", "critical"]) {
        Level::Error
    } else if is(&["warning", "warn"]) {
        Level::Warning
    } else if word.is_empty() {
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
                return rest.get(..i).map(logline::unescape);
            }
            _ => i += 1,
        }
    }
    None
}

/// A Warning row of an event table (describe or `kubectl get events`) and its
/// message column, with the continuation lines of a message that spans several.
/// Normal rows and other lines are not error-like.
fn event_message(text: &str) -> Option<(Level, String)> {
    let (line, rest) = first_line(text);
    let line = line.trim_end_matches('\r');
    let row = logline::event_row(line)?;
    if !row.warning {
        return None;
    }
    let mut msg = line.get(row.message_at..).unwrap_or("").to_string();
    if !rest.is_empty() {
        msg.push('\n');
        msg.push_str(rest);
    }
    Some((Level::Warning, msg))
}

fn is_digits(s: Option<&[u8]>) -> bool {
    s.is_some_and(|s| !s.is_empty() && s.iter().all(u8::is_ascii_digit))
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
    let syslog = t.get(..3).is_some_and(logline::is_month) && b.get(3) == Some(&b' ');
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
            || logline::is_month(tok)
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

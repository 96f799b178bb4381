//! Log lines and records: the anatomy of one line (wrapper, header,
//! timestamp) and how continuation lines join the line that opened them.
//!
//! Real logs reach us wrapped: journald adds `Feb 03 06:10:31 host kubelet[1342]: `,
//! k0s wraps each kubelet line in logrus `time="..." level=info msg="..." component=kubelet`,
//! and a multi-line kubelet error (`Mounting command:` / `Mounting arguments:` /
//! `Output:`) arrives as several lines with no klog header. A *record* is the
//! line that opens an entry plus its continuation lines; rules match records,
//! in the clean text that `normalize` gives (wrappers stripped, Go escapes undone).

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::{Serialize, Serializer};

/// At most this many lines are joined into one record: a log without headers
/// must not turn into one giant record.
pub const MAX_RECORD_LINES: usize = 120;
/// At most this many bytes are joined into one record.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// A wall-clock time as a log line states it. Many formats omit the year
/// (klog, journald short), so the year is optional and filled in later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    pub year: Option<u16>,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub micros: u32,
}

impl Timestamp {
    /// The same instant with a year, when it had none.
    pub fn with_year(self, year: u16) -> Timestamp {
        Timestamp {
            year: self.year.or(Some(year)),
            ..self
        }
    }

    /// Ordering key that ignores an unknown year (records of one bundle share it).
    pub fn sort_key(&self) -> (u16, u8, u8, u8, u8, u8, u32) {
        (
            self.year.unwrap_or(0),
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.micros,
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(
                f,
                "{y:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}",
                self.month, self.day, self.hour, self.minute, self.second, self.micros
            ),
            None => write!(
                f,
                "--{:02}-{:02}T{:02}:{:02}:{:02}.{:06}",
                self.month, self.day, self.hour, self.minute, self.second, self.micros
            ),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One physical line taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineView<'a> {
    /// Who wrote the line (`host unit[pid]`, plus the k0s component): continuation
    /// lines come from the same writer.
    pub source: Option<&'a str>,
    /// The journald host field, when the line has a journald prefix.
    pub host: Option<&'a str>,
    /// The line without its wrappers.
    pub inner: Cow<'a, str>,
    /// The inner text opens a new entry (klog header, logrus time=, event row...).
    pub header: bool,
    pub timestamp: Option<Timestamp>,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = s.get(at..at + n)?;
    let mut v = 0u32;
    for &b in part {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(b - b'0');
    }
    Some(v)
}

/// Fractional seconds after a `.` at `at`, as microseconds, and the end offset.
fn fraction(s: &[u8], at: usize) -> (u32, usize) {
    if s.get(at) != Some(&b'.') {
        return (0, at);
    }
    let mut end = at + 1;
    let mut micros = 0u32;
    let mut n = 0;
    while let Some(b) = s.get(end).filter(|b| b.is_ascii_digit()) {
        if n < 6 {
            micros = micros * 10 + u32::from(b - b'0');
            n += 1;
        }
        end += 1;
    }
    while n < 6 {
        micros *= 10;
        n += 1;
    }
    (micros, end)
}

fn hms(s: &[u8], at: usize) -> Option<(u8, u8, u8)> {
    let h = digits(s, at, 2)?;
    let m = digits(s, at + 3, 2)?;
    let sec = digits(s, at + 6, 2)?;
    if s.get(at + 2) != Some(&b':') || s.get(at + 5) != Some(&b':') || h > 23 || m > 59 || sec > 60
    {
        return None;
    }
    Some((h as u8, m as u8, sec as u8))
}

pub fn is_month(s: &str) -> bool {
    MONTHS.contains(&s)
}

/// `Feb 03 06:10:31[.123456]` at the start of `s`: the timestamp and its length.
pub(crate) fn syslog_time(s: &str) -> Option<(Timestamp, usize)> {
    let b = s.as_bytes();
    let mon = MONTHS.iter().position(|m| s.starts_with(m))? as u8 + 1;
    if b.get(3) != Some(&b' ') {
        return None;
    }
    let day = match (b.get(4), b.get(5)) {
        (Some(b' '), Some(d)) if d.is_ascii_digit() => u32::from(d - b'0'),
        _ => digits(b, 4, 2)?,
    };
    if b.get(6) != Some(&b' ') {
        return None;
    }
    let (hour, minute, second) = hms(b, 7)?;
    let (micros, end) = fraction(b, 15);
    Some((
        Timestamp {
            year: None,
            month: mon,
            day: day as u8,
            hour,
            minute,
            second,
            micros,
        },
        end,
    ))
}

/// `2021-02-03T11:18:48.752608384Z` / `2021-02-03 11:18:48` / `2024/08/13 17:56:36` at the start.
pub(crate) fn iso_time(s: &str) -> Option<(Timestamp, usize)> {
    let b = s.as_bytes();
    let year = digits(b, 0, 4)?;
    let sep = *b.get(4)?;
    if !(sep == b'-' || sep == b'/') || b.get(7) != Some(&sep) {
        return None;
    }
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if !matches!(b.get(10), Some(b'T') | Some(b' ')) || !(1..=12).contains(&month) {
        return None;
    }
    let (hour, minute, second) = hms(b, 11)?;
    let (micros, mut end) = fraction(b, 19);
    if b.get(end) == Some(&b'Z') {
        end += 1;
    } else if matches!(b.get(end), Some(b'+') | Some(b'-')) && digits(b, end + 1, 2).is_some() {
        end += 3;
        if b.get(end) == Some(&b':') {
            end += 1;
        }
        if digits(b, end, 2).is_some() {
            end += 2;
        }
    }
    Some((
        Timestamp {
            year: Some(year as u16),
            month: month as u8,
            day: day as u8,
            hour,
            minute,
            second,
            micros,
        },
        end,
    ))
}

/// The klog header `E0418 08:42:39.991535`: severity, month, day, time.
pub fn klog_time(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if !matches!(b.first(), Some(b'I' | b'W' | b'E' | b'F')) {
        return None;
    }
    let month = digits(b, 1, 2)?;
    let day = digits(b, 3, 2)?;
    if b.get(5) != Some(&b' ') || !(1..=12).contains(&month) {
        return None;
    }
    let (hour, minute, second) = hms(b, 6)?;
    let (micros, _) = fraction(b, 14);
    Some(Timestamp {
        year: None,
        month: month as u8,
        day: day as u8,
        hour,
        minute,
        second,
        micros,
    })
}

pub fn has_klog_header(line: &str) -> bool {
    let inner = split_line(line).inner;
    klog_time(&inner).is_some()
}

/// The journald prefix `<time> <host> <unit>[<pid>]: `: (time, host, source, prefix length).
fn journald_prefix(line: &str) -> Option<(Timestamp, &str, &str, usize)> {
    // journald's short (`Feb 03 06:10:31`) and short-iso (`2021-02-03T06:10:31+0000`) forms;
    // a Go `2024/08/13 17:56:36 [adaptor/proxy] ...` line is not journald.
    let (ts, end) = syslog_time(line).or_else(|| {
        iso_time(line).filter(|_| {
            line.as_bytes().get(10) == Some(&b'T') && line.as_bytes().get(4) == Some(&b'-')
        })
    })?;
    let rest = line.get(end..)?.strip_prefix(' ')?;
    let host_end = rest.find(' ')?;
    let host = rest.get(..host_end)?;
    let after_host = rest.get(host_end + 1..)?;
    // `find(": ")` builds a two-way searcher per call; a unit name is short.
    let colon = memchr::memchr_iter(b':', after_host.as_bytes())
        .find(|&i| after_host.as_bytes().get(i + 1) == Some(&b' '))?;
    let unit = after_host.get(..colon)?;
    // `unit[pid]` or `unit`: no spaces allowed, so free text is not taken for a unit.
    if unit.is_empty() || unit.contains(' ') || host.is_empty() || host.starts_with('[') {
        return None;
    }
    let source_start = end + 1;
    let source_end = end + 1 + host_end + 1 + colon;
    let prefix_len = source_end + 2;
    Some((ts, host, line.get(source_start..source_end)?, prefix_len))
}

/// The value of `msg="..."` in a logrus line, unescaped, and where the quoted value ends.
fn logrus_msg(line: &str) -> Option<(String, usize)> {
    let start = line.find(" msg=\"")? + 6;
    let bytes = line.as_bytes();
    let mut out = String::new();
    let mut i = start;
    let mut run_start = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => {
                out.push_str(line.get(run_start..i)?);
                match bytes.get(i + 1) {
                    Some(b'"') => out.push('"'),
                    Some(b'\\') => out.push('\\'),
                    Some(b'n') => out.push('\n'),
                    Some(b't') => out.push('\t'),
                    Some(&c) => {
                        out.push('\\');
                        out.push(char::from(c));
                    }
                    None => {}
                }
                i += 2;
                run_start = i;
            }
            b'"' => {
                out.push_str(line.get(run_start..i)?);
                return Some((out, i + 1));
            }
            _ => i += 1,
        }
    }
    out.push_str(line.get(run_start..)?);
    Some((out, line.len()))
}

/// The `component=kubelet` field of a k0s logrus line, which tells kubelet
/// from containerd lines of one k0s process.
fn logrus_component(line: &str) -> Option<&str> {
    const KEY: &str = " component=";
    // Built once: every line of a containerd journal asks.
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new(KEY));
    let at = finder.find(line.as_bytes())? + KEY.len();
    let rest = line.get(at..)?;
    let end = rest.find(' ').unwrap_or(rest.len());
    rest.get(..end)
}

/// Whether a logrus line has a `msg="..."` field.
fn has_logrus_msg(line: &str) -> bool {
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new(" msg=\""));
    finder.find(line.as_bytes()).is_some()
}

fn is_event_row(inner: &str) -> bool {
    // `  Warning  FailedMount  45s (x14 over 13m)  kubelet  ...` (describe) or a
    // `kubectl get events` row with a Warning/Normal column.
    let t = inner.trim_start();
    let indent = inner.len() - t.len();
    if indent <= 4 && (t.starts_with("Warning ") || t.starts_with("Normal ")) {
        return true;
    }
    let first = inner.split_whitespace().next().unwrap_or("");
    !first.is_empty()
        && indent == 0
        && (inner.contains("   Warning   ")
            || inner.contains("   Normal   ")
            || inner.contains("  Warning  ")
            || inner.contains("  Normal  "))
}

fn opens_entry(inner: &str) -> (bool, Option<Timestamp>) {
    if let Some(ts) = klog_time(inner) {
        return (true, Some(ts));
    }
    if let Some(rest) = inner.strip_prefix("time=\"") {
        return (true, iso_time(rest).map(|(t, _)| t));
    }
    if let Some((ts, _)) = iso_time(inner) {
        return (true, Some(ts));
    }
    if let Some((ts, _)) = syslog_time(inner) {
        return (true, Some(ts));
    }
    let t = inner.trim_start();
    if let Some(rest) = t.strip_prefix('[') {
        let num = rest.split(']').next().unwrap_or("").trim();
        if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return (true, None);
        }
    }
    if is_event_row(inner) {
        return (true, None);
    }
    (false, None)
}

/// Take one physical line apart.
pub fn split_line(line: &str) -> LineView<'_> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let (jts, host, source, rest) = match journald_prefix(line) {
        Some((ts, host, source, len)) => (
            Some(ts),
            Some(host),
            Some(source),
            line.get(len..).unwrap_or(""),
        ),
        None => (None, None, None, line),
    };
    // k0s (and other logrus supervisors) wrap the real line in msg="...".
    // Every line of a journald-wrapped containerd log starts with `time="`:
    // look for the rarer component field first.
    if rest.starts_with("time=\"") {
        if let Some(component) = logrus_component(rest).filter(|_| has_logrus_msg(rest)) {
            if let Some((msg, _)) = logrus_msg(rest) {
                let (header, ts) = opens_entry(&msg);
                let logrus_ts = rest
                    .strip_prefix("time=\"")
                    .and_then(iso_time)
                    .map(|(t, _)| t);
                return LineView {
                    // The component tells kubelet lines from containerd lines of one k0s process.
                    source: Some(component),
                    host,
                    inner: Cow::Owned(msg),
                    header,
                    timestamp: ts.or(logrus_ts).or(jts),
                };
            }
        }
    }
    let (header, ts) = opens_entry(rest);
    LineView {
        source,
        host,
        inner: Cow::Borrowed(rest),
        header,
        timestamp: ts.or(jts),
    }
}

/// The text rules match: record lines without their wrappers, joined with
/// newlines, with Go/JSON string escapes undone so that `\"`, `\\\"` and a
/// literal `\n` read as the quote and newline they stand for.
pub fn normalize(inner_lines: &[Cow<'_, str>]) -> String {
    let joined = inner_lines.join("\n");
    if !joined.contains('\\') {
        return joined;
    }
    // Text between backslashes is copied a run at a time: structured klog
    // lines are full of `\"`, and a char at a time was most of building a record.
    let b = joined.as_bytes();
    let mut out = String::with_capacity(joined.len());
    let mut copied = 0;
    while let Some(rel) = b.get(copied..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let at = copied + rel;
        out.push_str(joined.get(copied..at).unwrap_or_default());
        // Collapse a run of backslashes and look at what it escapes.
        let run = b
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&c| c == b'\\')
            .count();
        copied = at + run;
        match b.get(copied) {
            // The quote itself is copied with the next run of text.
            Some(b'"') => {}
            Some(b'n') if run % 2 == 1 => {
                out.push('\n');
                copied += 1;
            }
            Some(b't') if run % 2 == 1 => {
                out.push('\t');
                copied += 1;
            }
            _ => out.extend(std::iter::repeat_n('\\', run.div_ceil(2))),
        }
    }
    out.push_str(joined.get(copied..).unwrap_or_default());
    out
}

/// Bytes as text: borrowed when valid UTF-8 (nearly always), lossy otherwise.
/// `str::from_utf8` checks ASCII a word at a time; `String::from_utf8_lossy`
/// walks byte by byte, which showed up as 5% of the scan in callgrind.
pub fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// One record: the lines of one log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line numbers in the artifact.
    pub first_line: u64,
    pub last_line: u64,
    /// The lines as they are in the artifact.
    pub raw: Vec<String>,
    /// What rules match against (see `normalize`).
    pub text: String,
    pub timestamp: Option<Timestamp>,
    pub host: Option<String>,
}

/// Build a record from its physical lines.
pub fn build_record(first_line: u64, lines: &[&str]) -> Record {
    let (text, timestamp, host) = record_text(lines);
    let host = host.map(str::to_string);
    Record {
        first_line,
        last_line: first_line + lines.len().saturating_sub(1) as u64,
        raw: lines
            .iter()
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect(),
        text,
        timestamp,
        host,
    }
}

/// What rules and templates read of a record's physical lines: its text (see
/// `normalize`), and its first line's timestamp and journald host.
pub fn record_text<'a>(lines: &[&'a str]) -> (String, Option<Timestamp>, Option<&'a str>) {
    let views: Vec<LineView<'a>> = lines.iter().map(|l| split_line(l)).collect();
    let inner: Vec<Cow<'_, str>> = views.iter().map(|v| v.inner.clone()).collect();
    let first = views.first();
    (
        normalize(&inner),
        first.and_then(|v| v.timestamp),
        first.and_then(|v| v.host),
    )
}

/// Does a record quote this message (an event's or a container status's)?
/// Its first 120 characters are enough to tell, and survive truncation.
pub fn quotes(record_text: &str, message: &str) -> bool {
    let head: String = message.chars().take(120).collect();
    !head.is_empty() && record_text.contains(&head)
}

/// Is `next` a continuation of a record whose first line is `opener`?
pub fn continues(opener: &LineView<'_>, next: &LineView<'_>) -> bool {
    opener.header && !next.header && opener.source == next.source
}

/// Walking over the lines of some text: a slice of lines, or a byte buffer
/// of a streamed log (where `scan` builds records only around prefilter hits).
pub trait LineCursor {
    type Pos: Copy + PartialEq;
    fn text(&self, at: Self::Pos) -> Cow<'_, str>;
    fn prev(&self, at: Self::Pos) -> Option<Self::Pos>;
    fn next(&self, at: Self::Pos) -> Option<Self::Pos>;
}

impl LineCursor for [&str] {
    type Pos = usize;
    fn text(&self, at: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.get(at).copied().unwrap_or(""))
    }
    fn prev(&self, at: usize) -> Option<usize> {
        at.checked_sub(1)
    }
    fn next(&self, at: usize) -> Option<usize> {
        (at + 1 < self.len()).then_some(at + 1)
    }
}

/// The first line of the record that holds line `at`: walk back over
/// continuation lines to the line that opened them. A line that no header
/// precedes stands alone.
pub fn record_start<C: LineCursor + ?Sized>(lines: &C, at: C::Pos) -> C::Pos {
    let text = lines.text(at);
    let view = split_line(&text);
    if view.header {
        return at;
    }
    let mut cur = at;
    let mut bytes = text.len();
    for _ in 0..MAX_RECORD_LINES {
        let Some(prev) = lines.prev(cur) else { break };
        let prev_text = lines.text(prev);
        bytes += prev_text.len();
        let prev_view = split_line(&prev_text);
        if prev_view.source != view.source || bytes > MAX_RECORD_BYTES {
            break;
        }
        if prev_view.header {
            return prev;
        }
        cur = prev;
    }
    at
}

/// The last line of the record that starts at `start`, and whether the walk
/// ran into the end of the available text (the record may go on in the next block).
pub fn record_last<C: LineCursor + ?Sized>(lines: &C, start: C::Pos) -> (C::Pos, bool) {
    let first = lines.text(start);
    record_last_after(lines, start, &split_line(&first), first.len())
}

/// `record_last`, for a caller that has already split the first line
/// (`opener`, `first_len` bytes long).
pub fn record_last_after<C: LineCursor + ?Sized>(
    lines: &C,
    start: C::Pos,
    opener: &LineView<'_>,
    first_len: usize,
) -> (C::Pos, bool) {
    let mut last = start;
    let mut bytes = first_len;
    for _ in 1..MAX_RECORD_LINES {
        let Some(next) = lines.next(last) else {
            return (last, true);
        };
        let next_text = lines.text(next);
        bytes += next_text.len();
        if bytes > MAX_RECORD_BYTES || !continues(opener, &split_line(&next_text)) {
            break;
        }
        last = next;
    }
    (last, false)
}

/// Split a whole text into records (examples, small artifacts and tests).
pub fn split_records(text: &str) -> Vec<Record> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (last, _) = record_last(lines.as_slice(), i);
        out.push(build_record(
            i as u64 + 1,
            lines.get(i..=last).unwrap_or(&[]),
        ));
        i = last + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journald_prefix_is_stripped_and_host_kept() {
        let v = split_line("Feb 03 06:10:31 k8s-node-7 kubelet[1342]: I0203 06:10:31.703355    1342 server.go:416] Version: v1.17.17");
        assert_eq!(v.host, Some("k8s-node-7"));
        assert_eq!(v.source, Some("k8s-node-7 kubelet[1342]"));
        assert!(v.inner.starts_with("I0203 06:10:31.703355"));
        assert!(v.header);
        let ts = v.timestamp.unwrap();
        assert_eq!((ts.month, ts.day, ts.hour, ts.micros), (2, 3, 6, 703355));
    }

    #[test]
    fn openshift_microsecond_journal_prefix() {
        let v = split_line("Dec 19 23:59:55.095722 master-0.example.com kubenswrapper[2629]: E1219 23:59:55.095600    2629 pod_workers.go:1301] \"Error syncing pod\"");
        assert_eq!(v.host, Some("master-0.example.com"));
        assert!(v.header);
    }

    #[test]
    fn k0s_logrus_wrapper_is_unwrapped_and_unescaped() {
        let line = r#"time="2025-06-05 16:46:11" level=info msg="I0605 16:46:11.665458    1342 subpath_linux.go:230] bind mounting \"/proc/1342/fd/54\" at \"/var/lib/k0s/kubelet/pods/d46e/volume-subpaths/config-volume/test-container/0\"" component=kubelet stream=stderr"#;
        let v = split_line(line);
        assert_eq!(v.source, Some("kubelet"));
        assert!(v.inner.contains(r#"bind mounting "/proc/1342/fd/54""#));
        assert!(v.header);
    }

    #[test]
    fn multi_line_mount_error_is_one_record_and_the_next_klog_line_is_not() {
        let text = "E0418 08:42:39.991535    1187 mount_linux.go:184] Mount failed: exit status 32\nMounting command: systemd-run\nMounting arguments: --scope -- mount -t nfs 10.1.2.3:/export/reports /var/lib/kubelet/pods/x/volumes/kubernetes.io~nfs/reports-archive\nOutput: Running scope as unit run-23817.scope.\nmount: wrong fs type, bad option, bad superblock on 10.1.2.3:/export/reports,\n       missing codepage or helper program, or other error\n\nI0418 08:42:40.000000    1187 reconciler.go:254] next\n";
        let recs = split_records(text);
        assert_eq!(recs.len(), 2);
        assert_eq!((recs[0].first_line, recs[0].last_line), (1, 7));
        assert!(recs[0].text.contains("-t nfs") && recs[0].text.contains("helper program"));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(record_start(lines.as_slice(), 5), 0);
        assert_eq!(record_start(lines.as_slice(), 7), 7);
    }

    #[test]
    fn journald_continuations_need_the_same_writer() {
        let text = "Feb 03 11:18:48 n1 kubelet[10]: E0203 11:18:48.1 10 x.go:1] Mount failed: exit status 32\nFeb 03 11:18:48 n1 kubelet[10]: Mounting command: mount\nFeb 03 11:18:48 n1 systemd[1]: Started something\n";
        let recs = split_records(text);
        assert_eq!(recs.len(), 2);
        assert_eq!(
            recs[0].text,
            "E0203 11:18:48.1 10 x.go:1] Mount failed: exit status 32\nMounting command: mount"
        );
    }

    #[test]
    fn lines_before_any_header_stand_alone() {
        let text = "Name:  web\n      Message:      OCI runtime create failed\n  Warning  Failed  20m  kubelet  Error: boom\nMounting command: mount\n";
        let recs = split_records(text);
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[2].raw.len(), 2);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(record_start(lines.as_slice(), 1), 1);
        assert_eq!(record_start(lines.as_slice(), 3), 2);
    }

    #[test]
    fn go_escapes_are_undone_for_matching() {
        let raw = [Cow::Borrowed(
            r#"caused \"rootfs_linux.go:58: mounting \\\"/var/lib/kubelet/pods/b9/volume-subpaths/extra-cfg/puppetdb/2\\\" to rootfs\"\nnext"#,
        )];
        let t = normalize(&raw);
        assert_eq!(t, "caused \"rootfs_linux.go:58: mounting \"/var/lib/kubelet/pods/b9/volume-subpaths/extra-cfg/puppetdb/2\" to rootfs\"\nnext");
    }

    #[test]
    fn timestamps_in_every_wrapper() {
        assert_eq!(
            split_line("2024/08/13 17:56:36 [adaptor/proxy] RemoveContainer fails")
                .timestamp
                .unwrap()
                .year,
            Some(2024)
        );
        let t = split_line(r#"time="2021-02-03T11:18:48.752608384Z" level=error msg="x""#)
            .timestamp
            .unwrap();
        assert_eq!((t.year, t.micros), (Some(2021), 752608));
        assert_eq!(t.to_string(), "2021-02-03T11:18:48.752608");
        assert!(split_line("[17567.886004] XFS (vde): Filesystem has duplicate UUID").header);
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "\u{0}",
            "Feb",
            "Feb 3",
            "E01",
            "time=\"",
            " msg=\"\\",
            "2024-13-99T",
            "[",
            "Jan 01 00:00:00 h u[: x",
        ] {
            let _ = split_line(s);
            let _ = split_records(s);
        }
    }
}

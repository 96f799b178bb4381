//! The anatomy of one log line: its wrapper (a journald prefix, k0s's logrus
//! `msg="..."` around the kubelet's own line), its header (klog, logrus, an RFC
//! 3339 or syslog time, a dmesg stamp, an event table row) and the time it
//! states. Records (`records`) and the messages of error-like records
//! (`unrecognized::message`) both read lines through here, so a header is
//! parsed the same way wherever it is read.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::{Serialize, Serializer};

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

    /// The UTC time of an instant given in Unix nanoseconds (client-go writes
    /// one, in hex, into the name of every event it records).
    pub fn from_unix_nanos(nanos: i128) -> Option<Timestamp> {
        let t = jiff::Timestamp::from_nanosecond(nanos).ok()?;
        Timestamp::from_civil(jiff::tz::Offset::UTC.to_datetime(t))
    }

    /// The same clock moved by `seconds`, across days, months and years;
    /// None without a year (the day a month ends on depends on it).
    pub fn plus_seconds(self, seconds: i64) -> Option<Timestamp> {
        let civil = jiff::civil::DateTime::new(
            i16::try_from(self.year?).ok()?,
            i8::try_from(self.month).ok()?,
            i8::try_from(self.day).ok()?,
            i8::try_from(self.hour).ok()?,
            i8::try_from(self.minute).ok()?,
            i8::try_from(self.second.min(59)).ok()?,
            i32::try_from(self.micros).ok()?.checked_mul(1000)?,
        )
        .ok()?;
        Timestamp::from_civil(
            civil
                .checked_add(jiff::SignedDuration::from_secs(seconds))
                .ok()?,
        )
    }

    fn from_civil(d: jiff::civil::DateTime) -> Option<Timestamp> {
        Some(Timestamp {
            year: Some(u16::try_from(d.year()).ok()?),
            month: u8::try_from(d.month()).ok()?,
            day: u8::try_from(d.day()).ok()?,
            hour: u8::try_from(d.hour()).ok()?,
            minute: u8::try_from(d.minute()).ok()?,
            second: u8::try_from(d.second()).ok()?,
            micros: u32::try_from(d.subsec_nanosecond() / 1000).ok()?,
        })
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

/// Whether a container runtime stamped the line (`kubectl logs --timestamps`,
/// a CRI log file): it is a container's output, not a host service's.
pub fn has_container_stamp(line: &str) -> bool {
    container_prefix(line).is_some()
}

pub fn has_klog_header(line: &str) -> bool {
    let inner = split_line(line).inner;
    klog_time(&inner).is_some()
}

/// The stamp a container runtime puts before each line of a container's
/// output: `2024-06-03T13:12:01.123456789Z ` (`kubectl logs --timestamps`,
/// `docker logs -t`: RFC 3339 with nanoseconds, in UTC) or, in the CRI log
/// files under `/var/log/pods`, the same followed by the stream and a
/// full/partial tag (`stderr F `). Returns (time, stream, the line inside).
fn container_prefix(line: &str) -> Option<(Timestamp, &str, &str)> {
    let b = line.as_bytes();
    // Nine fraction digits and a zone: what runtimes write, and what
    // applications stamping their own lines rarely do.
    if b.get(10) != Some(&b'T') || b.get(19) != Some(&b'.') {
        return None;
    }
    let (ts, end) = iso_time(line)?;
    let stamp = line.get(..end)?;
    let fraction = stamp.get(20..)?;
    let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
    let zoned = stamp.ends_with('Z') || fraction.get(digits..).is_some_and(|z| !z.is_empty());
    if digits != 9 || !zoned {
        return None;
    }
    let rest = line.get(end..)?.strip_prefix(' ')?;
    for stream in ["stdout", "stderr"] {
        if let Some(inner) = rest
            .strip_prefix(stream)
            .and_then(|r| r.strip_prefix(" F ").or_else(|| r.strip_prefix(" P ")))
        {
            return Some((ts, stream, inner));
        }
    }
    Some((ts, "container", rest))
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
    // `unit[pid]` or `unit`: no spaces allowed, so free text is not taken for a
    // unit; a host is a host name (an operator's `2021-08-03T09:24:47Z\tINFO`
    // line is not journald).
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if unit.is_empty() || unit.contains(' ') || !host_ok {
        return None;
    }
    let source_start = end + 1;
    let source_end = end + 1 + host_end + 1 + colon;
    let prefix_len = source_end + 2;
    Some((ts, host, line.get(source_start..source_end)?, prefix_len))
}

/// Where the value of `key=` starts in a logfmt field list (`time="..."
/// level=error msg="..." err="..."`): the key at the start or after a space
/// or tab. A line holds a few `=` and many letters, so each `=` is looked at
/// with the key before it, instead of searching for the key.
pub fn field_at(fields: &str, key: &str) -> Option<usize> {
    let b = fields.as_bytes();
    let eq = memchr::memchr_iter(b'=', b).find(|&eq| {
        eq >= key.len()
            && b.get(eq - key.len()..eq) == Some(key.as_bytes())
            && (eq == key.len() || matches!(b.get(eq - key.len() - 1), Some(b' ' | b'\t')))
    })?;
    Some(eq + 1)
}

/// A bare field value at `at`: up to the next space.
fn bare_value(fields: &str, at: usize) -> Option<&str> {
    let rest = fields.get(at..)?;
    let end = rest.find(' ').unwrap_or(rest.len());
    rest.get(..end)
}

/// The quoted value of a raw log line that starts at byte `start` (just after
/// its opening quote), escapes undone, and the offset after its closing quote:
/// the first quote no backslash escapes.
fn raw_quoted(line: &str, start: usize) -> Option<(String, usize)> {
    let bytes = line.as_bytes();
    let mut out = String::new();
    let mut i = start;
    let mut run_start = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => {
                out.push_str(line.get(run_start..i)?);
                push_escape(&mut out, bytes.get(i + 1).map(|&c| char::from(c)));
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

/// The quoted value that starts at byte `start` (just after its opening quote) of a
/// record's clean text, and the offset after its closing quote. Go escapes are
/// undone in that text, so a quote inside the value may be bare: the closing quote is
/// the first one followed by the end of the line or by ` key=`. Backslash escapes
/// still present are honoured.
pub fn clean_quoted(s: &str, start: usize) -> Option<(String, usize)> {
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

/// Whether a quote just before `at` closes a value: the line (or text) ends,
/// or the next field (`key=`) follows after white space.
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

/// Go's string escapes undone: `\"`, `\\`, `\n`, `\t`; any other escape is kept as written.
pub fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                None => out.push('\\'),
                next => push_escape(&mut out, next),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// What the escape `\c` stands for.
fn push_escape(out: &mut String, c: Option<char>) {
    match c {
        Some('"') => out.push('"'),
        Some('\\') => out.push('\\'),
        Some('n') => out.push('\n'),
        Some('t') => out.push('\t'),
        Some(o) => {
            out.push('\\');
            out.push(o);
        }
        None => {}
    }
}

/// A logfmt field's value at `at`: quoted (escapes undone, in clean text) or bare.
pub fn field_value(fields: &str, key: &str) -> Option<String> {
    let v = field_at(fields, key)?;
    if fields.get(v..)?.starts_with('"') {
        return clean_quoted(fields, v + 1).map(|(s, _)| s);
    }
    let rest = fields.get(v..)?;
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    rest.get(..end).map(str::to_string)
}

/// The level word of a logrus / logfmt line (`level=error`, `level="warning"`)
/// and where its fields start: `level=` opens the line or comes in its first
/// 96 bytes (`level=` deep in free text is not a logrus header).
pub fn logrus_level(line: &str) -> Option<(&str, usize)> {
    let at = if line.starts_with("level=") {
        0
    } else {
        let head = line.get(..line.len().min(96)).unwrap_or(line);
        static LEVEL: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
        let level = LEVEL.get_or_init(|| memchr::memmem::Finder::new(" level="));
        level.find(head.as_bytes())? + 1
    };
    let rest = line.get(at + 6..)?.trim_start_matches('"');
    let word = rest.get(..rest.bytes().take_while(u8::is_ascii_alphabetic).count())?;
    Some((word, at))
}

/// The severity letter of a klog line (`I`, `W`, `E`, `F`) and its body: the text
/// after the header's `] ` (past pid and `file:line`), when the header closes.
pub fn klog_body(line: &str) -> Option<(u8, Option<&str>)> {
    klog_time(line)?;
    let severity = *line.as_bytes().first()?;
    // The header ends at the first `]`; it is short.
    let head = line.get(..line.len().min(120)).unwrap_or(line);
    let body = head
        .find(']')
        .and_then(|close| line.get(close + 1..))
        .map(|b| b.trim_start_matches(' '));
    Some((severity, body))
}

/// A row of an event table: a describe Events row (`  Warning  Reason  Age
/// From  Message`) or a `kubectl get events` row (`[NAMESPACE]  LAST SEEN  TYPE
/// REASON  OBJECT|SOURCE  MESSAGE`), whose columns are separated by 2+ spaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventRow {
    pub warning: bool,
    /// Where the message column starts.
    pub message_at: usize,
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

/// The line as an event table row, when it is one.
pub fn event_row(line: &str) -> Option<EventRow> {
    let line = line.trim_end_matches('\r');
    // Cheap refusal first: every row has a Warning or Normal column.
    if !line.contains("Warning") && !line.contains("Normal") {
        return None;
    }
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
    let message_at = cols
        .get(msg_col)
        .or_else(|| cols.last())
        .copied()
        .unwrap_or(line.len());
    Some(EventRow {
        warning: col(type_at) == "Warning",
        message_at,
    })
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
    if event_row(inner).is_some() {
        return (true, None);
    }
    (false, None)
}

/// Take one physical line apart.
pub fn split_line(line: &str) -> LineView<'_> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    // `kubectl logs --timestamps`, `docker logs -t` and the CRI log files
    // stamp every physical line, continuation lines too: the line inside
    // says whether it opens a record.
    if let Some((ts, stream, rest)) = container_prefix(line) {
        let (header, inner_ts) = opens_entry(rest);
        return LineView {
            source: Some(stream),
            host: None,
            inner: Cow::Borrowed(rest),
            header,
            timestamp: inner_ts.or(Some(ts)),
        };
    }
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
        let component = field_at(rest, "component").and_then(|at| bare_value(rest, at));
        let msg = field_at(rest, "msg").filter(|&at| rest.as_bytes().get(at) == Some(&b'"'));
        if let (Some(component), Some(at)) = (component, msg) {
            if let Some((msg, _)) = raw_quoted(rest, at + 1) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_and_spans_cross_days_months_and_leap_years() {
        let t = Timestamp::from_unix_nanos(1_579_236_988_292_673_460).map(|t| t.to_string());
        assert_eq!(t.as_deref(), Some("2020-01-17T04:56:28.292673"));
        let leap_eve = Timestamp {
            year: Some(2024),
            month: 2,
            day: 28,
            hour: 23,
            minute: 59,
            second: 30,
            micros: 5,
        };
        let next = leap_eve.plus_seconds(86_400).map(|t| t.to_string());
        assert_eq!(next.as_deref(), Some("2024-02-29T23:59:30.000005"));
        let new_year = Timestamp {
            month: 12,
            day: 31,
            ..leap_eve
        }
        .plus_seconds(31);
        assert_eq!(
            new_year.map(|t| t.to_string()).as_deref(),
            Some("2025-01-01T00:00:01.000005")
        );
        // Without a year there is no calendar to move in.
        assert_eq!(
            Timestamp {
                year: None,
                ..leap_eve
            }
            .plus_seconds(1),
            None
        );
    }

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

    /// `kubectl logs --timestamps` of a CSI node plugin and a CRI log file
    /// (`/var/log/pods/.../0.log`): the stamp is stripped, the klog line
    /// inside opens a record and its continuation lines do not.
    #[test]
    fn container_log_stamps_are_stripped_and_continuations_stay_continuations() {
        for (line, source) in [
            ("2024-06-03T13:12:01.123456789Z E0603 13:12:01.118934       1 mount_linux.go:232] Mount failed: exit status 32", "container"),
            ("2024-06-03T13:12:01.123456789Z stderr F E0603 13:12:01.118934       1 mount_linux.go:232] Mount failed: exit status 32", "stderr"),
        ] {
            let v = split_line(line);
            assert_eq!(v.source, Some(source));
            assert!(v.header);
            assert!(v.inner.starts_with("E0603 13:12:01.118934"), "{}", v.inner);
        }
        let next = split_line("2024-06-03T13:12:01.123460001Z Mounting arguments: -t nfs 10.0.0.5:/export /var/lib/kubelet/pods/x/volumes/kubernetes.io~nfs/share");
        assert!(!next.header);
        assert_eq!(next.source, Some("container"));
        let t = next.timestamp.map(|t| t.to_string());
        assert_eq!(t.as_deref(), Some("2024-06-03T13:12:01.123460"));
        // An application's own second-precision stamp is its header, not a wrapper.
        let app = split_line("2021-08-03T09:24:47.123Z INFO controller started");
        assert!(app.header);
        assert!(app.inner.starts_with("2021-08-03T09:24:47.123Z"));
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
    fn event_rows_of_describe_and_get_events() {
        let describe =
            "  Warning  FailedMount  45s (x14 over 13m)  kubelet  MountVolume.SetUp failed";
        let row = event_row(describe).expect("describe row");
        assert!(row.warning);
        assert_eq!(&describe[row.message_at..], "MountVolume.SetUp failed");
        let get = "shop        5m          Warning   BackOff   pod/web-0   Back-off restarting";
        let row = event_row(get).expect("get events row");
        assert_eq!(&get[row.message_at..], "Back-off restarting");
        assert!(
            !event_row("  Normal  Pulled  1m  kubelet  ok")
                .expect("normal")
                .warning
        );
        // An indented Warning column is a describe row only near the margin.
        assert_eq!(event_row("          Warning  x  1m  kubelet  y"), None);
        assert_eq!(event_row("plain text with a Warning in it"), None);
    }

    #[test]
    fn logfmt_fields_quoted_and_bare() {
        let line = r#"time="2024-01-01T00:00:00Z" level=error msg="failed: \"x\"" err="boom" component=kubelet"#;
        assert_eq!(logrus_level(line).map(|(w, _)| w), Some("error"));
        assert_eq!(field_value(line, "err").as_deref(), Some("boom"));
        assert_eq!(field_value(line, "component").as_deref(), Some("kubelet"));
        assert_eq!(field_at(line, "rr"), None, "a key is a whole word");
        assert_eq!(unescape(r#"a\"b\\c\nd\qe\"#), "a\"b\\c\nd\\qe\\");
    }

    #[test]
    fn klog_severity_and_body() {
        let (sev, body) =
            klog_body("E0418 08:42:39.991535    1187 mount_linux.go:184] Mount failed")
                .expect("klog");
        assert_eq!((sev, body), (b'E', Some("Mount failed")));
        assert_eq!(klog_body("E1318 08:42:39.9 1 x.go:1] month 13"), None);
    }
}

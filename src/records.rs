//! Records: how continuation lines join the line that opened them (each
//! line's anatomy is `logline`'s).
//!
//! Real logs reach us wrapped: journald adds `Feb 03 06:10:31 host kubelet[1342]: `,
//! k0s wraps each kubelet line in logrus `time="..." level=info msg="..." component=kubelet`,
//! and a multi-line kubelet error (`Mounting command:` / `Mounting arguments:` /
//! `Output:`) arrives as several lines with no klog header. A *record* is the
//! line that opens an entry plus its continuation lines; rules match records,
//! in the clean text that `normalize` gives (wrappers stripped, Go escapes undone).

use std::borrow::Cow;

pub use crate::logline::Timestamp;
use crate::logline::{split_line, LineView};

/// At most this many lines are joined into one record: a log without headers
/// must not turn into one giant record.
pub const MAX_RECORD_LINES: usize = 120;
/// At most this many bytes are joined into one record.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

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

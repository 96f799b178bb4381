//! Error-like records on their way to the unrecognized-error tally. The scan
//! only copies their lines (or hands over a record it built anyway); turning
//! them into messages and templates (`finish_errors`) runs beside the scan.

use std::borrow::Cow;

use crate::facts::ArtifactKind;
use crate::records::Record;
use crate::unrecognized;

/// An error-like record no rule literal touched, as raw lines (a range of
/// its batch's `text`): turning it into a record (anatomy, message, template)
/// is left to `finish_errors`, so the scan's critical path only copies the lines.
#[derive(Clone, Debug)]
pub struct ErrorCandidate {
    pub artifact: usize,
    pub kind: ArtifactKind,
    pub first_line: u64,
    pub raw: std::ops::Range<usize>,
}

/// A record the scan built (a rule literal was on it) that no rule signal explained.
#[derive(Clone, Debug)]
pub struct BuiltError {
    pub artifact: usize,
    pub kind: ArtifactKind,
    pub record: Record,
}

/// The error-like records of one stretch of scanned text, on their way to
/// `finish_errors`: the records the scan built anyway, and the raw lines of
/// those it did not build.
#[derive(Debug, Default)]
pub struct ErrorBatch {
    pub built: Vec<BuiltError>,
    pub lines: Vec<ErrorCandidate>,
    /// The raw lines of all `lines`, one after the other: one allocation per
    /// batch, not one per record (and freed on the other thread once).
    pub text: String,
}

/// Tally the error-like records of a batch by template. `analyze` runs this on
/// a thread of its own: on the scan thread, building and templating were most
/// of what clustering cost. Records the scan did not build are not built here
/// either: a tally needs their text, timestamp and host, not their lines as
/// owned strings.
pub fn finish_errors(batch: ErrorBatch, tally: &mut unrecognized::Tally) {
    for b in batch.built {
        let r = &b.record;
        let lines: Vec<&str> = r.raw.iter().map(String::as_str).collect();
        let seen = unrecognized::ErrorSeen {
            artifact: b.artifact,
            host: r.host.as_deref(),
            line: r.first_line,
            text: &example(&lines),
            timestamp: r.timestamp,
        };
        tally_record(tally, b.kind, &r.text, seen);
    }
    for c in batch.lines {
        let raw = batch.text.get(c.raw).unwrap_or_default();
        let lines: Vec<&str> = raw.split('\n').collect();
        let (text, timestamp, host) = crate::records::record_text(&lines);
        let seen = unrecognized::ErrorSeen {
            artifact: c.artifact,
            host,
            line: c.first_line,
            text: &example(&lines),
            timestamp,
        };
        tally_record(tally, c.kind, &text, seen);
    }
}

/// Tally one record, when its text says it is error-like.
fn tally_record(
    tally: &mut unrecognized::Tally,
    kind: ArtifactKind,
    record_text: &str,
    seen: unrecognized::ErrorSeen<'_>,
) {
    let Some((level, mut message)) = unrecognized::message_of(kind, record_text) else {
        return;
    };
    truncate(&mut message, unrecognized::MAX_TEMPLATE_INPUT);
    tally.add(level, &message, seen);
}

/// A record's example: its first lines as they are in the artifact.
fn example<'a>(lines: &[&'a str]) -> Cow<'a, str> {
    let line = |l: &'a str| l.strip_suffix('\r').unwrap_or(l);
    match lines {
        [one] if one.len() <= MAX_EXAMPLE_BYTES => Cow::Borrowed(line(one)),
        lines => {
            let mut text = lines
                .iter()
                .take(8)
                .map(|l| line(l))
                .collect::<Vec<_>>()
                .join("\n");
            truncate(&mut text, MAX_EXAMPLE_BYTES);
            Cow::Owned(text)
        }
    }
}

/// Bytes of a record's first lines kept as an example.
const MAX_EXAMPLE_BYTES: usize = 4096;

/// `s` cut to at most `max` bytes, at a character boundary.
fn truncate(s: &mut String, max: usize) {
    s.truncate(s.floor_char_boundary(max));
}

//! The scan stage: consumes the reader's chunks for one bundle. Each entry is
//! classified; a structured artifact is read whole and parsed into facts
//! (`structured`); every text artifact goes once through the combined matcher.
//!
//! Logs are never held whole: blocks are searched with the literal
//! prefilter, and a record is built (continuation lines joined) only around a
//! hit. A record cut by a block boundary is carried into the next block. A
//! rule signal's match becomes a `SignalHit`, a text condition's a
//! `TextFound`, a probe's a fact of its artifact (`learn`); error-like records
//! no rule explains go to the unrecognized-error tally (`errors`).

mod errors;
mod learn;
mod structured;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

pub use errors::{finish_errors, ErrorBatch};

use crate::classify::{classify_entry, document_kind};
use crate::facts::{
    ArtifactFacts, ArtifactKind, InventoryEntry, Observations, SignalHit, TextFound,
};
use crate::ingest::Chunk;
use crate::logline::split_line;
use crate::parse;
use crate::records::{
    build_record, record_last, record_last_after, record_start, LineCursor, Record,
    MAX_RECORD_BYTES, MAX_RECORD_LINES,
};
use crate::rules::load::RulePack;
use crate::rules::matcher::{
    Candidate, Matcher, SignalMatch, Target, PROBE_MOUNT_OK, PROBE_POD_LIFECYCLE,
};
use crate::rules::prefilter::Prefilter;
use crate::unrecognized::Tally;
use errors::{BuiltError, ErrorCandidate};
use learn::{learn_from_head, learn_from_probe, learn_pod_lifecycle, pod_removal, year_in};
use structured::{drop_link_stubs, link_stub_target, parse_into};

/// Structured artifacts are read whole up to this size; beyond it they are skipped with a note.
pub const MAX_STRUCTURED_BYTES: usize = 64 << 20;

/// A log block at least this large fits its kind's prefilter to the bundle:
/// smaller text is scanned too quickly for the fitting to pay off.
const FIT_MIN_BYTES: usize = 256 << 10;

/// How much of that block the fitting counts windows in (about 2 ms).
const FIT_SAMPLE_BYTES: usize = 1 << 20;

/// A byte buffer seen as lines; positions are line-start offsets.
struct BlockLines<'a>(&'a [u8]);

impl BlockLines<'_> {
    fn end_of(&self, start: usize) -> usize {
        let b = self.0.get(start..).unwrap_or_default();
        memchr::memchr(b'\n', b).map_or(self.0.len(), |i| start + i)
    }
    fn start_of(&self, pos: usize) -> usize {
        let b = self.0.get(..pos).unwrap_or_default();
        memchr::memrchr(b'\n', b).map_or(0, |i| i + 1)
    }
}

impl LineCursor for BlockLines<'_> {
    type Pos = usize;
    fn text(&self, at: usize) -> Cow<'_, str> {
        let end = self.end_of(at);
        crate::records::lossy(self.0.get(at..end).unwrap_or_default())
    }
    fn prev(&self, at: usize) -> Option<usize> {
        (at > 0).then(|| self.start_of(at - 1))
    }
    fn next(&self, at: usize) -> Option<usize> {
        let end = self.end_of(at);
        (end + 1 < self.0.len()).then_some(end + 1)
    }
}

/// The entry being read.
struct Current {
    path: String,
    bytes: Option<u64>,
    kind: Option<ArtifactKind>,
    artifact: usize,
    /// Structured: the whole text so far. Logs: the unprocessed tail plus the new block.
    buf: Vec<u8>,
    /// Line number (1-based) of `buf[0]`.
    first_line: u64,
    /// Offset in `buf` from which prefilter hits are still to be handled.
    scan_from: usize,
    /// Offset in `buf` where the last record already matched ends: a new record never starts before it.
    done_until: usize,
    /// Volumes a rule signal reported failing so far in this artifact.
    failed_volumes: BTreeSet<String>,
    truncated: bool,
    /// Why the entry is not read, when classification says so.
    skip_note: Option<&'static str>,
    /// A document with no `kind` in its head: decided once read whole.
    kindless_document: bool,
}

/// Consumes the reader's chunks for one bundle.
pub struct Scanner<'a> {
    pack: &'a RulePack,
    matcher: &'a Matcher,
    obs: Observations,
    cur: Option<Current>,
    offsets: Vec<usize>,
    candidates: Vec<Candidate>,
    /// Per kind, the prefilter fitted to the first large block of that kind
    /// in this bundle (see `rules::prefilter`).
    fitted: BTreeMap<ArtifactKind, Prefilter>,
    /// Index of the mount-succeeded probe, for the cheap gate on its lines.
    mount_ok_probe: Option<usize>,
    /// Index of the pod-lifecycle probe: its lines (one per pod created or
    /// deleted, tens of thousands in a busy log) are read alone, not joined.
    lifecycle_probe: Option<usize>,
    /// Error-like records tallied here, when there is no `error_tx`.
    errors: Tally,
    /// Where error-like records go to be finished (`finish_errors`) on another
    /// thread; without it they are finished here, into `errors`.
    error_tx: Option<std::sync::mpsc::SyncSender<ErrorBatch>>,
}

impl<'a> Scanner<'a> {
    pub fn new(pack: &'a RulePack, matcher: &'a Matcher) -> Scanner<'a> {
        Scanner {
            pack,
            matcher,
            obs: Observations::default(),
            cur: None,
            offsets: Vec::new(),
            candidates: Vec::new(),
            fitted: BTreeMap::new(),
            mount_ok_probe: matcher.probes.iter().position(|p| p.name == PROBE_MOUNT_OK),
            lifecycle_probe: matcher
                .probes
                .iter()
                .position(|p| p.name == PROBE_POD_LIFECYCLE),
            errors: Tally::default(),
            error_tx: None,
        }
    }

    /// Hand error-like records to another thread to finish (see `finish_errors`).
    pub fn with_error_sink(mut self, tx: std::sync::mpsc::SyncSender<ErrorBatch>) -> Scanner<'a> {
        self.error_tx = Some(tx);
        self
    }

    /// The bundle's observations, and the error-like records tallied on this
    /// thread (empty when they went to an error sink).
    pub fn finish(mut self) -> (Observations, Tally) {
        if self.cur.is_some() {
            self.end_entry(None);
        }
        drop_link_stubs(&mut self.obs);
        // Last, the weakest source of a year: a collector's dated folder or
        // archive name (`rke2-node-02-2024-03-02_10_11_12/`, `sosreport-...-2020-06-14-...`).
        for a in &mut self.obs.artifacts {
            if a.year.is_none() {
                a.year = year_in(&a.path);
            }
        }
        (self.obs, self.errors)
    }

    pub fn feed(&mut self, chunk: Chunk) {
        match chunk {
            Chunk::Start { path, bytes } => {
                if self.cur.is_some() {
                    self.end_entry(None);
                }
                let artifact = self.obs.artifacts.len();
                self.obs.artifacts.push(ArtifactFacts {
                    path: path.clone(),
                    ..ArtifactFacts::default()
                });
                self.cur = Some(Current {
                    path,
                    bytes,
                    kind: None,
                    artifact,
                    buf: Vec::new(),
                    first_line: 1,
                    scan_from: 0,
                    done_until: 0,
                    failed_volumes: BTreeSet::new(),
                    truncated: false,
                    skip_note: None,
                    kindless_document: false,
                });
            }
            Chunk::Block(block) => self.block(block),
            Chunk::End { read } => self.end_entry(Some(read)),
            Chunk::Skipped { path, bytes, note } => self.obs.inventory.push(InventoryEntry {
                path,
                kind: ArtifactKind::Skipped,
                bytes: bytes.unwrap_or(0),
                note: Some(note),
            }),
            Chunk::Warning(w) => self.obs.warnings.push(w),
        }
    }

    fn block(&mut self, block: Vec<u8>) {
        let Some(cur) = self.cur.as_mut() else { return };
        if cur.kind.is_none() {
            let classified = classify_entry(&cur.path, &block);
            let kind = classified.kind;
            cur.kind = Some(kind);
            cur.skip_note = classified.note;
            cur.kindless_document = classified.kindless_document;
            if let Some(a) = self.obs.artifacts.get_mut(cur.artifact) {
                a.kind = Some(kind);
                learn_from_head(a, &block);
            }
        }
        let kind = cur.kind.unwrap_or(ArtifactKind::Skipped);
        if kind == ArtifactKind::Skipped {
            return;
        }
        if kind.is_structured() {
            if cur.buf.len() + block.len() > MAX_STRUCTURED_BYTES {
                cur.truncated = true;
            } else {
                cur.buf.extend_from_slice(&block);
            }
            return;
        }
        if cur.buf.is_empty() {
            cur.buf = block;
        } else {
            cur.buf.extend_from_slice(&block);
        }
        self.scan_buffer(false);
    }

    /// Handle the prefilter hits in the current buffer; unless `last`, keep the
    /// tail that a record in the next block may still need.
    fn scan_buffer(&mut self, last: bool) {
        let Some(cur) = self.cur.as_mut() else { return };
        let kind = cur.kind.unwrap_or(ArtifactKind::OtherLog);
        if !self.matcher.reads(kind) {
            // Nothing looks at this kind: only line counting is needed.
            cur.first_line += memchr::memchr_iter(b'\n', &cur.buf).count() as u64;
            cur.buf.clear();
            return;
        }
        let km = self.matcher.for_kind(kind);
        let buf = std::mem::take(&mut cur.buf);
        // How far the log reaches in time, for "never again after".
        if let Some(t) = last_dated_line(&buf) {
            if let Some(a) = self.obs.artifacts.get_mut(cur.artifact) {
                a.last_time = Some(t);
            }
        }
        let scan_from = cur.scan_from.min(buf.len());
        let lines = BlockLines(&buf);
        let mut deferred: Option<usize> = None;
        let mut processed_until = cur.done_until.min(buf.len());
        let mut counted_to = 0usize;
        let mut line_no = cur.first_line;
        let mut hits = Vec::new();
        let tail = buf.get(scan_from..).unwrap_or_default();
        let mut candidates: Vec<Candidate> = match km {
            Some(km) if km.has_unfiltered() => every_line_start(&buf, scan_from)
                .into_iter()
                .map(|offset| Candidate {
                    offset,
                    probe_only: None,
                    literal: true,
                })
                .collect(),
            Some(km) => {
                let prefilter = if tail.len() >= FIT_MIN_BYTES {
                    self.fitted.entry(kind).or_insert_with(|| {
                        km.fitted_prefilter(tail.get(..FIT_SAMPLE_BYTES).unwrap_or(tail))
                    })
                } else {
                    self.fitted.get(&kind).unwrap_or(km.prefilter())
                };
                prefilter.hit_offsets(tail, &mut self.candidates);
                self.candidates
                    .iter()
                    .map(|c| Candidate {
                        offset: c.offset + scan_from,
                        ..*c
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        // Error-like records too, for what no rule knows (they are rare: E/W lines).
        // Their literals may start with the newline before the line, so the
        // search starts one byte early; the file's first line has none, and is
        // checked on its own.
        //
        // A pass of its own, on this thread: in the rules' pass (their Teddy
        // shards), error literals made it stop to verify far more often (270
        // against 115 ms on the bench bundle), and handing either pass to
        // rayon's pool cost more in hand-overs than the second core gave back
        // (`bench.sh`: 1.25 against 1.10 s).
        let from = scan_from.saturating_sub(1);
        self.offsets.clear();
        self.matcher
            .error_offsets(kind, buf.get(from..).unwrap_or_default(), &mut self.offsets);
        if scan_from == 0 && cur.first_line == 1 && self.matcher.opens_with_error(kind, &buf) {
            self.offsets.push(0);
        }
        if !self.offsets.is_empty() {
            candidates.extend(
                self.offsets
                    .iter()
                    .map(|o| o + from)
                    .filter(|&o| o >= scan_from)
                    .map(|offset| Candidate {
                        offset,
                        probe_only: None,
                        literal: false,
                    }),
            );
            // Two sorted runs (rule hits, error lines): the stable sort merges them.
            candidates.sort_by_key(|c| (c.offset, c.probe_only.is_some()));
        }
        let mut errors = Vec::new();
        let mut pending: Vec<ErrorCandidate> = Vec::new();
        let mut pending_text = String::new();
        for (i, cand) in candidates.iter().enumerate() {
            let off = cand.offset;
            if off < processed_until || off < scan_from {
                continue;
            }
            // `MountVolume.SetUp succeeded` lines are common; only those for a
            // volume that failed earlier in this log can resolve anything.
            if cand.probe_only.is_some() && cand.probe_only == self.mount_ok_probe {
                let line = lines.text(lines.start_of(off));
                if !succeeded_volume(&line).is_some_and(|v| cur.failed_volumes.contains(v)) {
                    continue;
                }
            }
            let line = lines.start_of(off);
            // A pod-lifecycle line is one klog line: read it alone, without the
            // walk for continuation lines or the other targets' regexes.
            if cand.probe_only.is_some() && cand.probe_only == self.lifecycle_probe {
                if line < processed_until {
                    continue;
                }
                let end = lines.end_of(line);
                let removes = std::str::from_utf8(buf.get(line..end).unwrap_or_default())
                    .is_ok_and(|l| pod_removal(l).is_some());
                if !removes {
                    continue;
                }
                line_no += count_newlines(buf.get(counted_to..line).unwrap_or_default());
                counted_to = line;
                let text = crate::records::lossy(buf.get(line..end).unwrap_or_default());
                let record = build_record(line_no, &[text.as_ref()]);
                if let Some(a) = self.obs.artifacts.get_mut(cur.artifact) {
                    learn_pod_lifecycle(a, &record);
                }
                processed_until = end + 1;
                continue;
            }
            // A line that opens a record (most hit lines do) is split once, not
            // once for each end of the record.
            let text = lines.text(line);
            let view = split_line(&text);
            let (start, (last_line, at_end)) = if view.header && line >= processed_until {
                (line, record_last_after(&lines, line, &view, text.len()))
            } else {
                let start = record_start(&lines, line).max(processed_until);
                (start, record_last(&lines, start))
            };
            if at_end && !last {
                deferred = Some(start);
                break;
            }
            let end = lines.end_of(last_line);
            line_no += count_newlines(buf.get(counted_to..start).unwrap_or_default());
            counted_to = start;
            let text = crate::records::lossy(buf.get(start..end).unwrap_or_default());
            // A record no rule or probe literal touched cannot match one: an
            // error-like line alone skips the matcher (it only needs templating),
            // and is built into an error record off this thread when it can be.
            let touched = candidates
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|c| c.offset < end.max(off + 1))
                .any(|c| c.literal);
            if !touched {
                let at = pending_text.len();
                pending_text.push_str(&text);
                pending.push(ErrorCandidate {
                    artifact: cur.artifact,
                    kind,
                    first_line: line_no,
                    raw: at..pending_text.len(),
                });
                processed_until = end + 1;
                continue;
            }
            let raw: Vec<&str> = text.split('\n').collect();
            let record = build_record(line_no, &raw);
            let matches = if touched {
                self.matcher.match_record(self.pack, kind, &record)
            } else {
                Vec::new()
            };
            let explained = matches
                .iter()
                .any(|m| matches!(m.target, Target::Signal { .. }));
            for m in matches {
                if let (Target::Signal { .. }, Some(v)) = (m.target, m.captures.get("volume")) {
                    cur.failed_volumes.insert(v.clone());
                }
                hits.push((m, record.clone()));
            }
            if !explained && self.matcher.collects_unrecognized() {
                // Whether it is error-like at all is for `finish_errors` to say.
                errors.push(BuiltError {
                    artifact: cur.artifact,
                    kind,
                    record,
                });
            }
            processed_until = end + 1;
        }
        let artifact = cur.artifact;
        // Keep the tail: a deferred record, or enough lines for the next block's walk back.
        let keep_from = if last {
            buf.len()
        } else {
            let tail = tail_start(&buf);
            deferred.map_or(tail, |d| d.min(tail))
        };
        // The kept tail may start before the last counted record (it keeps lines
        // for the next block's walk back): count in whichever direction it lies.
        cur.first_line = if keep_from >= counted_to {
            line_no + count_newlines(buf.get(counted_to..keep_from).unwrap_or_default())
        } else {
            line_no - count_newlines(buf.get(keep_from..counted_to).unwrap_or_default())
        };
        let kept = buf.get(keep_from..).unwrap_or_default().to_vec();
        let new_scan_from = match deferred {
            Some(d) => d - keep_from,
            None => kept.len(),
        };
        cur.buf = kept;
        cur.scan_from = new_scan_from;
        cur.done_until = processed_until.saturating_sub(keep_from);
        for (m, record) in hits {
            self.record_hit(artifact, m, record);
        }
        if errors.is_empty() && pending.is_empty() {
            return;
        }
        let batch = ErrorBatch {
            built: errors,
            lines: pending,
            text: pending_text,
        };
        match &self.error_tx {
            Some(tx) => {
                // A closed receiver only means nobody wants them any more.
                let _ = tx.send(batch);
            }
            None => finish_errors(batch, &mut self.errors),
        }
    }

    fn record_hit(&mut self, artifact: usize, m: SignalMatch, record: Record) {
        if let Target::Probe(p) = m.target {
            let name = self.matcher.probes.get(p).map(|p| p.name).unwrap_or("");
            if let Some(a) = self.obs.artifacts.get_mut(artifact) {
                learn_from_probe(a, name, &m, &record);
            }
            return;
        }
        if let Some(a) = self.obs.artifacts.get_mut(artifact) {
            if a.year.is_none() {
                // klog and journald omit the year; a full date in the record
                // (`No retries permitted until 2023-04-18 ...`) supplies it.
                a.year = record
                    .timestamp
                    .and_then(|t| t.year)
                    .or_else(|| year_in(&record.text));
            }
        }
        match m.target {
            Target::Signal { rule, signal } => self.obs.hits.push(SignalHit {
                rule,
                signal,
                artifact,
                record,
                captures: m.captures,
                matched: m.matched,
            }),
            Target::Condition { rule, condition } => self.obs.texts.push(TextFound {
                rule,
                condition,
                artifact,
                line: record.first_line,
                timestamp: record.timestamp,
                captures: m.captures,
            }),
            Target::Probe(_) => {}
        }
    }

    fn end_entry(&mut self, read: Option<u64>) {
        let kind = self.cur.as_ref().and_then(|c| c.kind);
        let structured = kind.is_some_and(|k| k.is_structured());
        if !structured {
            self.scan_buffer(true);
        }
        let Some(mut cur) = self.cur.take() else {
            return;
        };
        let mut kind = cur.kind.unwrap_or(ArtifactKind::OtherLog);
        let bytes = read.or(cur.bytes).unwrap_or(0);
        let mut note = None;
        if kind == ArtifactKind::Skipped {
            note = Some(
                cur.skip_note
                    .unwrap_or("binary content: not read as text")
                    .to_string(),
            );
        } else if cur.truncated {
            note = Some(format!(
                "larger than {MAX_STRUCTURED_BYTES} bytes: not parsed"
            ));
            self.obs.warnings.push(format!(
                "{}: structured artifact larger than {MAX_STRUCTURED_BYTES} bytes was not parsed",
                cur.path
            ));
        } else if structured {
            let text = String::from_utf8_lossy(&cur.buf).into_owned();
            // A document with no `kind` (troubleshoot's older bare arrays): its fields say.
            if cur.kindless_document {
                if let Some(k) = parse::yaml::document(&text)
                    .ok()
                    .as_ref()
                    .and_then(document_kind)
                {
                    kind = k;
                    cur.kind = Some(k);
                }
            }
            if let Some(a) = self.obs.artifacts.get_mut(cur.artifact) {
                a.kind = Some(kind);
                a.link_stub = link_stub_target(&a.path, &text);
            }
            let problems = match self.obs.artifacts.get_mut(cur.artifact) {
                Some(a) => parse_into(a, kind, &text),
                None => 0,
            };
            if problems > 0 {
                note = Some(format!("{problems} line(s) could not be parsed"));
            }
            if kind.is_scanned() {
                // Folded YAML scalars are joined so rules see whole messages.
                let buf = if parse::yaml::looks_like_yaml(&text) {
                    parse::yaml::unfold(&text).into_bytes()
                } else {
                    cur.buf
                };
                self.cur = Some(Current {
                    buf,
                    scan_from: 0,
                    done_until: 0,
                    first_line: 1,
                    ..cur
                });
                self.scan_buffer(true);
                self.cur = None;
            }
        }
        self.obs.inventory.push(InventoryEntry {
            path: self
                .obs
                .artifacts
                .get(cur.artifact)
                .map(|a| a.path.clone())
                .unwrap_or_default(),
            kind,
            bytes,
            note,
        });
    }
}

/// The time of the last line of a block that has one (continuation lines
/// and a partial last line have none); only the last few lines are tried.
fn last_dated_line(buf: &[u8]) -> Option<crate::logline::Timestamp> {
    let mut end = buf.len();
    for _ in 0..8 {
        let start = memchr::memrchr(b'\n', buf.get(..end.saturating_sub(1))?).map_or(0, |i| i + 1);
        let line = buf.get(start..end)?;
        if let Some(t) = std::str::from_utf8(line)
            .ok()
            .and_then(|l| crate::logline::split_line(l).timestamp)
        {
            return Some(t);
        }
        if start == 0 {
            return None;
        }
        end = start;
    }
    None
}

/// The volume of a `MountVolume.SetUp succeeded for volume "x"` line, read
/// without building a record (the quote may be escaped).
fn succeeded_volume(line: &str) -> Option<&str> {
    const SUCCEEDED: &str = "succeeded for volume ";
    // A searcher built once: this runs on every mount-success line, and
    // building one per call (`str::find`, `memmem::find`) cost more than the search.
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new(SUCCEEDED));
    let at = finder.find(line.as_bytes())? + SUCCEEDED.len();
    let rest = line.get(at..)?.trim_start_matches('\\').strip_prefix('"')?;
    let end = rest.find(['"', '\\'])?;
    rest.get(..end)
}

fn every_line_start(buf: &[u8], from: usize) -> Vec<usize> {
    let mut out = vec![from];
    out.extend(
        memchr::memchr_iter(b'\n', buf.get(from..).unwrap_or_default())
            .map(|i| from + i + 1)
            .filter(|&o| o < buf.len()),
    );
    out
}

fn count_newlines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

/// Where the tail kept for the next block starts: the last `MAX_RECORD_LINES`
/// lines, at most `MAX_RECORD_BYTES`, so a record cut by the block boundary can still be found.
fn tail_start(buf: &[u8]) -> usize {
    let floor = buf.len().saturating_sub(MAX_RECORD_BYTES);
    let mut pos = buf.len();
    for _ in 0..MAX_RECORD_LINES {
        if pos == 0 {
            break;
        }
        // The start of the line that ends just before `pos`.
        let prev =
            memchr::memrchr(b'\n', buf.get(..pos - 1).unwrap_or_default()).map_or(0, |i| i + 1);
        if prev < floor {
            break;
        }
        pos = prev;
    }
    pos
}

/// Used by tests and `rules test`: run a text through the same stages as a streamed entry.
pub fn scan_text(
    pack: &RulePack,
    matcher: &Matcher,
    path: &str,
    text: &str,
) -> (Observations, Tally) {
    let mut s = Scanner::new(pack, matcher);
    s.feed(Chunk::Start {
        path: path.to_string(),
        bytes: Some(text.len() as u64),
    });
    s.feed(Chunk::Block(text.as_bytes().to_vec()));
    s.feed(Chunk::End {
        read: text.len() as u64,
    });
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::PodAction;

    #[test]
    fn tail_keeps_whole_lines_including_the_first() {
        assert_eq!(tail_start(b"a\nb\nc\n"), 0);
        assert_eq!(tail_start(b"only one line\n"), 0);
        let many: String = (0..500).map(|i| format!("line {i}\n")).collect();
        let t = tail_start(many.as_bytes());
        assert_eq!(many.as_bytes()[t - 1], b'\n');
        assert_eq!(many[t..].lines().count(), MAX_RECORD_LINES);
    }

    #[test]
    fn a_link_copied_as_a_file_points_inside_the_bundle() {
        assert_eq!(
            link_stub_target("b/sos/hostname", "sos_commands/general/hostname\n").as_deref(),
            Some("b/sos/sos_commands/general/hostname")
        );
        assert_eq!(
            link_stub_target("b/sos/etc/os-release", "../usr/lib/os-release").as_deref(),
            Some("b/sos/usr/lib/os-release")
        );
        assert_eq!(link_stub_target("b/sos/hostname", "k8s-node-7\n"), None);
        assert_eq!(
            link_stub_target("b/x", "NAME=\"CentOS Linux\"\nID=centos"),
            None
        );
    }

    /// The kubelet's `SyncLoop` lines in both spellings: klog text
    /// (`kubelet.go`, `klog.V(2).Infof("SyncLoop (DELETE, %q): %q", ...)` with
    /// `format.Pods`, Kubernetes <= 1.19) and structured (`klog.V(2).InfoS(
    /// "SyncLoop REMOVE", "source", ..., "pods", klog.KObjSlice(...))`).
    /// ADD, UPDATE and PLEG lines, and a DELETE only quoted in an error,
    /// are not deletions.
    #[test]
    fn pod_deletions_are_read_from_syncloop_lines_only() {
        let pack = crate::rules::load::load(&crate::rules::load::builtin_sources())
            .unwrap_or_else(|e| panic!("{e}"));
        let matcher = Matcher::new(&pack);
        let log = "\
I0603 13:11:41.000001    1211 kubelet.go:1913] SyncLoop (ADD, \"api\"): \"web-0_shop(0c1a2b3c-1111-4a4a-9b9b-000000000001)\"
I0603 13:11:42.000001    1211 kubelet.go:1929] SyncLoop (DELETE, \"api\"): \"web-0_shop(0c1a2b3c-1111-4a4a-9b9b-000000000001), db-1_shop(0c1a2b3c-1111-4a4a-9b9b-000000000002)\"
I0603 13:11:43.000001    1211 kubelet.go:1923] SyncLoop (UPDATE, \"api\"): \"web-0_shop(0c1a2b3c-1111-4a4a-9b9b-000000000001)\"
I0603 13:11:44.000001    1211 kubelet.go:2424] \"SyncLoop REMOVE\" source=\"api\" pods=[\"kube-system/metrics-server-7d9f\"]
I0603 13:11:45.000001    1211 kubelet.go:2431] \"SyncLoop (PLEG): event for pod\" pod=\"shop/web-0\" event={\"Type\":\"ContainerDied\"}
E0603 13:11:46.000001    1211 pod_workers.go:1] \"Error syncing pod, skipping\" err=\"after SyncLoop DELETEd\" pod=\"shop/db-1\"
";
        let (obs, tally) = scan_text(&pack, &matcher, "node-a/kubelet.log", log);
        // The error line is still tallied, not consumed as a lifecycle line.
        assert_eq!(tally.records(), 1);
        let got: Vec<(PodAction, String, String, Option<String>, u64)> = obs
            .artifacts
            .iter()
            .flat_map(|a| &a.pod_lifecycle)
            .map(|p| {
                (
                    p.action,
                    p.namespace.clone(),
                    p.name.clone(),
                    p.uid.clone(),
                    p.line,
                )
            })
            .collect();
        let uid = |n: u8| Some(format!("0c1a2b3c-1111-4a4a-9b9b-00000000000{n}"));
        assert_eq!(
            got,
            [
                (PodAction::Delete, "shop".into(), "web-0".into(), uid(1), 2),
                (PodAction::Delete, "shop".into(), "db-1".into(), uid(2), 2),
                (
                    PodAction::Remove,
                    "kube-system".into(),
                    "metrics-server-7d9f".into(),
                    None,
                    4
                ),
            ]
        );
    }

    #[test]
    fn years_are_found_in_full_dates_only() {
        assert_eq!(
            year_in("-- Logs begin at Wed 2021-02-03 06:10:02 UTC"),
            Some(2021)
        );
        assert_eq!(year_in("E0418 08:42:39.991535 1187 x.go:1] x"), None);
        assert_eq!(
            year_in("Start Time:       Tue, 18 Apr 2023 08:42:39 +0000"),
            Some(2023)
        );
        assert_eq!(year_in("Feb 03 06:10:31 host kubelet[1]: x"), None);
        // klog's file header (`createFile` in k8s.io/klog, "2006/01/02 15:04:05").
        assert_eq!(
            year_in("Log file created at: 2019/08/20 20:28:26"),
            Some(2019)
        );
        // Not a date: no month 13, no day 0.
        assert_eq!(year_in("ratio 2019/13/20 of 2019-08-00"), None);
    }
}

//! Getting bytes out of what a customer sent: archives (tar, zip), compressed
//! files (gzip, xz, zstd) and directories, nested in any order, streamed
//! entry by entry and never extracted to disk.
//!
//! The reader runs on its own thread and hands the analysis thread `Chunk`s
//! over a bounded channel: an entry's start, its content in line-aligned
//! blocks, its end. That split is the hot path's two-stage pipeline (inflate
//! on one core, matching on the other); see `reference/perf-limits.md`.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod archive;
mod dir;
mod identity;
mod zipfile;
mod zst;

pub use identity::{fingerprint, input_bytes};

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use thiserror::Error;

/// Bounds on what one bundle may make us read. Reaching one is a warning in
/// the report, never a crash.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Decompressed bytes read from one entry; the rest is skipped.
    pub max_entry_bytes: u64,
    /// Decompressed bytes read from the whole bundle (a gzip bomb stops here).
    pub max_total_bytes: u64,
    /// A line longer than this is cut into pieces of this size.
    pub max_line_bytes: usize,
    /// Archives nested in archives, counting the outermost as depth 1.
    pub max_depth: u32,
    /// Entries read from one bundle.
    pub max_entries: u64,
    /// A zip archive that is not the input file itself (nested in another
    /// archive, or compressed) must be held in memory to reach its central
    /// directory; a larger one is skipped with a note.
    pub max_zip_buffer_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entry_bytes: 4 << 30,
            max_total_bytes: 32 << 30,
            max_line_bytes: 1 << 20,
            max_depth: 5,
            max_entries: 1_000_000,
            max_zip_buffer_bytes: 512 << 20,
        }
    }
}

/// Content is handed over in blocks of about this size, cut at a line end.
pub const BLOCK_BYTES: usize = 1 << 20;

/// One read from a decoder or file.
const READ_BYTES: usize = 256 * 1024;

/// What the reader sends to the analysis thread, in order.
#[derive(Debug)]
pub enum Chunk {
    /// A regular file entry starts; blocks follow, then `End`.
    Start { path: String, bytes: Option<u64> },
    /// Line-aligned content of the current entry.
    Block(Vec<u8>),
    /// The current entry is complete; `read` is the number of content bytes delivered.
    End { read: u64 },
    /// An entry that is listed but not read (link, device, limit), with why.
    Skipped {
        path: String,
        bytes: Option<u64>,
        note: String,
    },
    /// Something the report must mention: truncation, a limit, an unreadable entry.
    Warning(String),
}

#[derive(Debug, Error)]
pub enum IngestError {
    #[error("{path}: {source}")]
    Open { path: PathBuf, source: io::Error },
    #[error("{path}: not a file or directory")]
    NotAFile { path: PathBuf },
    /// The analysis side hung up; not an input problem.
    #[error("analysis stopped")]
    Disconnected,
}

/// What the magic bytes say a stream is. Names are never trusted: customers
/// rename files, and a `.log` may hold gzip while a `.tar.xz` may hold a tar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Gzip,
    Xz,
    Zstd,
    Zip,
    Tar,
    Plain,
}

impl Format {
    fn label(self) -> &'static str {
        match self {
            Format::Gzip => "gzip",
            Format::Xz => "xz",
            Format::Zstd => "zstd",
            Format::Zip => "zip",
            Format::Tar => "tar",
            Format::Plain => "plain",
        }
    }
}

pub fn sniff_format(head: &[u8]) -> Format {
    if head.starts_with(&[0x1f, 0x8b]) {
        Format::Gzip
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Format::Xz
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Format::Zstd
    } else if head.starts_with(b"PK\x03\x04") {
        Format::Zip
    } else if head.get(257..262) == Some(b"ustar") {
        Format::Tar
    } else {
        Format::Plain
    }
}

/// Bytes read before sniffing: tar's magic sits at offset 257.
const HEAD_BYTES: u64 = 512;

/// Bytes of an input that is not an archive looked at to tell text from
/// binary (as many as `looks_binary` samples).
const TEXT_SNIFF_BYTES: u64 = 8192;

/// Compression layers on one stream (`.tar.gz` is one, `.gz.xz` two). A
/// gzip or zip "quine" decompresses to itself; without a bound it would
/// recurse forever without ever delivering a byte.
const MAX_LAYERS: u32 = 4;

/// Where a stream sits; decides naming, the depth rule, and what a failure is.
#[derive(Clone, Copy, Debug)]
enum At<'p> {
    /// The input file (or a decompressed layer of it): its archive entries
    /// keep their own names, and a stream that cannot be decoded at all is
    /// an error naming the path.
    Input(&'p Path),
    /// An archive member (or a decompressed layer of one): an archive inside
    /// is listed under the member's name, one nesting level down, and a
    /// stream that cannot be decoded is a warning plus a skipped entry.
    Entry,
}

/// One stream being identified: where it sits and what it came out of.
#[derive(Clone, Copy, Debug)]
struct Layer<'p> {
    at: At<'p>,
    /// Nesting depth of the archive this stream is a member of (the input counts as 1).
    depth: u32,
    /// Decompression layers already peeled off this stream.
    layers: u32,
    /// The compression this stream came out of, for error messages.
    from: Option<Format>,
}

/// A decoder's output, cut off with an error past `cap` bytes. Nothing in a
/// bundle may decompress to more than the bundle's total limit, and without
/// this cap a bomb inside a skipped or cut entry would be inflated in full
/// by the archive reader just to step over it.
struct Capped<R> {
    inner: R,
    left: u64,
    cap: u64,
}

impl<R: Read> Capped<R> {
    fn new(inner: R, cap: u64) -> Capped<R> {
        Capped {
            inner,
            left: cap,
            cap,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte past the cap tells a stream that ends exactly at it from one that goes on.
        let want = (buf.len() as u64).min(self.left.saturating_add(1)) as usize;
        let n = self.inner.read(buf.get_mut(..want).unwrap_or_default())?;
        if n as u64 > self.left {
            return Err(io::Error::other(format!(
                "decompressed size limit of {} bytes reached",
                self.cap
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// The channel end plus the running totals the limits are checked against.
pub struct Sink<'a> {
    out: Out<'a>,
    limits: Limits,
    total: u64,
    entries: u64,
    total_limit_hit: bool,
    /// The read buffer of `content`, kept between entries: allocating and
    /// zeroing it per entry made a bundle of 100k tiny files spend most of its
    /// time in memset.
    read_buf: Vec<u8>,
}

/// Where a sink's chunks go.
enum Out<'a> {
    /// To the analysis thread.
    Channel(SyncSender<Chunk>),
    /// Straight to a consumer on the reading thread (`Sink::inline`).
    Inline(RefCell<&'a mut dyn FnMut(Chunk)>),
}

impl Sink<'static> {
    /// Chunks go to another thread through `tx`.
    pub fn new(tx: SyncSender<Chunk>, limits: Limits) -> Sink<'static> {
        Sink::with(Out::Channel(tx), limits)
    }
}

impl<'a> Sink<'a> {
    /// Chunks go to `consumer`, on the thread that reads: for a run that must
    /// use one thread (`--jobs 1`).
    pub fn inline(consumer: &'a mut dyn FnMut(Chunk), limits: Limits) -> Sink<'a> {
        Sink::with(Out::Inline(RefCell::new(consumer)), limits)
    }

    fn with(out: Out<'a>, limits: Limits) -> Sink<'a> {
        Sink {
            out,
            limits,
            total: 0,
            entries: 0,
            total_limit_hit: false,
            read_buf: Vec::new(),
        }
    }

    fn send(&self, chunk: Chunk) -> Result<(), IngestError> {
        match &self.out {
            Out::Channel(tx) => tx.send(chunk).map_err(|_| IngestError::Disconnected),
            Out::Inline(consumer) => {
                // `send` is never re-entered: the consumer does not read.
                let mut consumer = consumer
                    .try_borrow_mut()
                    .map_err(|_| IngestError::Disconnected)?;
                (*consumer)(chunk);
                Ok(())
            }
        }
    }

    pub fn warn(&self, msg: String) -> Result<(), IngestError> {
        self.send(Chunk::Warning(msg))
    }

    pub fn skip(&self, path: &str, bytes: Option<u64>, note: String) -> Result<(), IngestError> {
        self.send(Chunk::Skipped {
            path: path.to_string(),
            bytes,
            note,
        })
    }

    /// True once the bundle-wide byte limit stopped reading.
    pub fn exhausted(&self) -> bool {
        self.total_limit_hit
    }

    /// Read one archive member (or a file of a bundle directory): count it
    /// against the limits, then identify and read it like any other stream.
    /// `depth` is the nesting depth of the archive it belongs to.
    pub fn entry(
        &mut self,
        path: &str,
        reader: &mut dyn Read,
        bytes: Option<u64>,
        depth: u32,
    ) -> Result<(), IngestError> {
        if self.total_limit_hit {
            return self.skip(
                path,
                bytes,
                "not read: the bundle's total size limit was reached".into(),
            );
        }
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            if self.entries == self.limits.max_entries + 1 {
                self.warn(format!(
                    "entry limit reached ({} entries): {path} and later entries were not read",
                    self.limits.max_entries
                ))?;
            }
            return Ok(());
        }
        let layer = Layer {
            at: At::Entry,
            depth,
            layers: 0,
            from: None,
        };
        self.open(path, reader, bytes, layer)
    }

    /// The one format dispatch, for the input itself and for every member of
    /// every archive: sniff the magic bytes, peel compression off (sniffing
    /// again underneath), descend into archives, and send anything else as
    /// content.
    fn open(
        &mut self,
        name: &str,
        reader: &mut dyn Read,
        bytes: Option<u64>,
        layer: Layer<'_>,
    ) -> Result<(), IngestError> {
        let mut head = Vec::with_capacity(HEAD_BYTES as usize);
        if let Err(e) = (&mut *reader).take(HEAD_BYTES).read_to_end(&mut head) {
            let what = match layer.from {
                Some(f) => format!("not a valid {} stream: {e}", f.label()),
                None => format!("unreadable: {e}"),
            };
            return self.unreadable(name, bytes, layer, what);
        }
        let format = sniff_format(&head);
        if let (Format::Plain, At::Input(_)) = (format, layer.at) {
            return self.plain_input(name, head, reader, bytes, layer);
        }
        let mut stream = io::Cursor::new(head).chain(reader);
        match format {
            Format::Gzip | Format::Xz | Format::Zstd => {
                if layer.layers >= MAX_LAYERS {
                    return self.skip(
                        name,
                        bytes,
                        format!("compressed more than {MAX_LAYERS} times over: not opened"),
                    );
                }
                let cap = self.limits.max_total_bytes;
                let mut decoded: Box<dyn Read + '_> = match format {
                    Format::Gzip => Box::new(flate2::read::MultiGzDecoder::new(stream)),
                    // Concatenated streams are valid xz (pxz, pixz, `cat a.xz b.xz`).
                    Format::Xz => Box::new(liblzma::read::XzDecoder::new_multi_decoder(stream)),
                    _ => Box::new(zst::Frames::new(stream)),
                };
                let mut decoded = Capped::new(&mut *decoded, cap);
                let (inner_name, inner_bytes) = match layer.at {
                    // A compressed input is named as what it holds: `kubelet.log.gz` -> `kubelet.log`.
                    At::Input(_) => (strip_compression_suffix(name), None),
                    // A member keeps its name, so evidence points at what is in the archive.
                    At::Entry => (name, bytes),
                };
                let inner = Layer {
                    layers: layer.layers + 1,
                    from: Some(format),
                    ..layer
                };
                self.open(inner_name, &mut decoded, inner_bytes, inner)
            }
            Format::Tar => {
                let Some((prefix, depth)) = self.descend(name, bytes, layer)? else {
                    return Ok(());
                };
                archive::read_tar(self, &mut stream, &prefix, depth)
            }
            Format::Zip => {
                let Some((prefix, depth)) = self.descend(name, bytes, layer)? else {
                    return Ok(());
                };
                let result = match layer.at {
                    // The input file itself: zip reads its central directory in place.
                    At::Input(path) if layer.layers == 0 => match File::open(path) {
                        Ok(f) => zipfile::read_zip(self, BufReader::new(f), &prefix, depth)?,
                        Err(e) => Err(e.to_string()),
                    },
                    _ => match self.buffer_zip(name, bytes, layer, &mut stream)? {
                        Some(buf) => zipfile::read_zip(self, io::Cursor::new(buf), &prefix, depth)?,
                        None => return Ok(()),
                    },
                };
                match result {
                    Ok(()) => Ok(()),
                    Err(e) => self.unreadable(
                        name,
                        bytes,
                        layer,
                        format!("not a readable zip archive: {e}"),
                    ),
                }
            }
            Format::Plain => self.content(name, &mut stream, bytes),
        }
    }

    /// The input itself (or its decompressed content) is not an archive: it
    /// is read as one text file, but only if it is text. An empty or binary
    /// input has nothing to analyze, which is an error naming it (exit 3),
    /// not an empty report.
    fn plain_input(
        &mut self,
        name: &str,
        mut head: Vec<u8>,
        reader: &mut dyn Read,
        bytes: Option<u64>,
        layer: Layer<'_>,
    ) -> Result<(), IngestError> {
        // Judge by as much as `classify` looks at: a 512-byte sample of
        // random bytes can pass for text.
        let broken = (&mut *reader)
            .take(TEXT_SNIFF_BYTES - HEAD_BYTES)
            .read_to_end(&mut head)
            .err();
        if head.is_empty() {
            let what = match (broken, layer.from) {
                (Some(e), Some(f)) => format!("not a valid {} stream: {e}", f.label()),
                (Some(e), None) => format!("unreadable: {e}"),
                (None, _) => empty_input(layer),
            };
            return self.unreadable(name, bytes, layer, what);
        }
        // Only the file itself: a compressed input whose content is binary
        // (a core dump, a bomb of zeros) is still listed, with the limits
        // applied, as a member would be.
        if layer.from.is_none() && looks_binary(&head) {
            return self.unreadable(
                name,
                bytes,
                layer,
                "not a tar, zip, gzip, xz or zstd archive (no known magic bytes), and not text"
                    .to_string(),
            );
        }
        match broken {
            None => self.content(name, &mut io::Cursor::new(head).chain(reader), bytes),
            // A cut compressed text file: what came out before the damage.
            Some(e) => {
                let n = head.len();
                self.content(name, &mut io::Cursor::new(head), bytes)?;
                self.warn(format!("{name}: read stopped after {n} bytes: {e}"))
            }
        }
    }

    /// A stream that could not be identified or decoded at all: an error for
    /// the input (nothing of it can be read), a warning and a skipped entry
    /// for an archive member.
    fn unreadable(
        &mut self,
        name: &str,
        bytes: Option<u64>,
        layer: Layer<'_>,
        what: String,
    ) -> Result<(), IngestError> {
        match layer.at {
            At::Input(path) => Err(IngestError::Open {
                path: path.to_path_buf(),
                source: io::Error::new(io::ErrorKind::InvalidData, what),
            }),
            At::Entry => {
                self.warn(format!("{name}: {what}; not read"))?;
                self.skip(name, bytes, what)
            }
        }
    }

    /// Entering an archive: the input's own entries keep their names; a
    /// nested archive is listed, and its entries are named under it one
    /// level down, unless that passes the depth limit. Returns the name
    /// prefix and depth for its entries, or `None` when it is not opened.
    fn descend(
        &mut self,
        name: &str,
        bytes: Option<u64>,
        layer: Layer<'_>,
    ) -> Result<Option<(String, u32)>, IngestError> {
        if let At::Input(_) = layer.at {
            return Ok(Some((String::new(), layer.depth)));
        }
        if layer.depth >= self.limits.max_depth {
            self.warn(format!(
                "{name}: archive nested deeper than {} levels; not opened",
                self.limits.max_depth
            ))?;
            self.skip(
                name,
                bytes,
                format!(
                    "nested archive beyond depth limit {}",
                    self.limits.max_depth
                ),
            )?;
            return Ok(None);
        }
        self.skip(
            name,
            bytes,
            "archive: its entries are listed under this path".into(),
        )?;
        Ok(Some((format!("{name}/"), layer.depth + 1)))
    }

    /// A zip needs random access to its central directory (at the end), so a
    /// zip that is not the input file itself is held in memory, within
    /// `Limits::max_zip_buffer_bytes`. Returns `None` when it was skipped.
    fn buffer_zip(
        &mut self,
        name: &str,
        bytes: Option<u64>,
        layer: Layer<'_>,
        stream: &mut dyn Read,
    ) -> Result<Option<Vec<u8>>, IngestError> {
        let limit = self.limits.max_zip_buffer_bytes;
        let too_big = || {
            format!("zip archive larger than the in-memory zip limit of {limit} bytes (max_zip_buffer_bytes): not opened")
        };
        // A member's own size is known up front when it is not compressed further.
        if layer.layers == 0 && bytes.is_some_and(|b| b > limit) {
            self.warn(format!("{name}: {}", too_big()))?;
            self.skip(name, bytes, too_big())?;
            return Ok(None);
        }
        let mut buf = Vec::new();
        if let Err(e) = stream.take(limit.saturating_add(1)).read_to_end(&mut buf) {
            // Keep what arrived: the zip reader salvages the entries before the damage.
            self.warn(format!(
                "{name}: read stopped after {} bytes: {e}",
                buf.len()
            ))?;
        }
        if buf.len() as u64 > limit {
            self.warn(format!("{name}: {}", too_big()))?;
            self.skip(name, bytes, too_big())?;
            return Ok(None);
        }
        Ok(Some(buf))
    }

    /// Send a plain entry's bytes in line-aligned blocks, within the limits.
    fn content(
        &mut self,
        path: &str,
        reader: &mut dyn Read,
        bytes: Option<u64>,
    ) -> Result<(), IngestError> {
        self.send(Chunk::Start {
            path: path.to_string(),
            bytes,
        })?;
        let mut buf = std::mem::take(&mut self.read_buf);
        buf.resize(READ_BYTES, 0);
        let result = self.content_with(path, reader, bytes, &mut buf);
        self.read_buf = buf;
        result
    }

    fn content_with(
        &mut self,
        path: &str,
        reader: &mut dyn Read,
        bytes: Option<u64>,
        buf: &mut [u8],
    ) -> Result<(), IngestError> {
        let mut read: u64 = 0;
        // Room for a block and the read that completes it, so that a block
        // never moves while it fills (growing by doubling copied each large
        // entry's bytes once more). Small entries, the common case, get their
        // size; an entry of unknown size grows to a block only when needed.
        let block_room = BLOCK_BYTES + buf.len();
        let mut pending: Vec<u8> = match bytes {
            Some(b) => Vec::with_capacity(usize::try_from(b).unwrap_or(block_room).min(block_room)),
            None => Vec::new(),
        };
        let mut cut_lines = 0u64;
        loop {
            let entry_left = self.limits.max_entry_bytes.saturating_sub(read);
            let total_left = self.limits.max_total_bytes.saturating_sub(self.total);
            let want = (buf.len() as u64).min(entry_left).min(total_left) as usize;
            if want == 0 {
                if total_left == 0 {
                    self.total_limit_hit = true;
                    self.warn(format!(
                        "total size limit of {} bytes reached in {path}: the rest of the bundle was not read",
                        self.limits.max_total_bytes
                    ))?;
                } else {
                    self.warn(format!(
                        "{path}: entry size limit of {} bytes reached; the rest of the entry was not read",
                        self.limits.max_entry_bytes
                    ))?;
                }
                break;
            }
            let n = match reader.read(buf.get_mut(..want).unwrap_or_default()) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.warn(format!("{path}: read stopped after {read} bytes: {e}"))?;
                    break;
                }
            };
            read += n as u64;
            self.total += n as u64;
            pending.extend_from_slice(buf.get(..n).unwrap_or_default());
            if pending.len() >= BLOCK_BYTES {
                let cut = match memchr::memrchr(b'\n', &pending) {
                    Some(i) => i + 1,
                    None if pending.len() >= self.limits.max_line_bytes => {
                        cut_lines += 1;
                        pending.push(b'\n');
                        pending.len()
                    }
                    None => continue,
                };
                let mut next = Vec::with_capacity(block_room);
                next.extend_from_slice(pending.get(cut..).unwrap_or_default());
                pending.truncate(cut);
                self.send(Chunk::Block(std::mem::replace(&mut pending, next)))?;
            }
        }
        if !pending.is_empty() {
            self.send(Chunk::Block(pending))?;
        }
        if cut_lines > 0 {
            self.warn(format!(
                "{path}: {cut_lines} line(s) longer than {} bytes were cut; the rest of the file was still read",
                self.limits.max_line_bytes
            ))?;
        }
        self.send(Chunk::End { read })
    }
}

/// Why an input with no content cannot be analyzed.
fn empty_input(layer: Layer<'_>) -> String {
    match layer.from {
        Some(f) => format!("the {} stream holds no data: nothing to analyze", f.label()),
        None => "empty file (0 bytes): nothing to analyze".to_string(),
    }
}

/// The name a compressed input is reported under: what it holds.
fn strip_compression_suffix(name: &str) -> &str {
    for suffix in [".gz", ".xz", ".zst", ".zstd"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem;
            }
        }
    }
    name
}

/// Read one input (archive, compressed file, plain file or directory) into the sink.
pub fn read_input(input: &Path, sink: &mut Sink) -> Result<(), IngestError> {
    let open_err = |source| IngestError::Open {
        path: input.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(input).map_err(open_err)?;
    let name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| input.display().to_string());
    if meta.is_dir() {
        return dir::read_dir_bundle(input, &name, sink);
    }
    if !meta.is_file() {
        return Err(IngestError::NotAFile {
            path: input.to_path_buf(),
        });
    }
    let file = File::open(input).map_err(open_err)?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    // The input is the bundle: an archive's entries keep their own paths.
    let layer = Layer {
        at: At::Input(input),
        depth: 1,
        layers: 0,
        from: None,
    };
    sink.open(&name, &mut reader, Some(meta.len()), layer)
}

/// Whether an entry's first bytes are binary (a NUL, or more than a tenth
/// control characters): not a log; such an entry is listed, not read as text.
pub fn looks_binary(head: &[u8]) -> bool {
    let sample = head.get(..head.len().min(8192)).unwrap_or(head);
    if sample.is_empty() {
        return false;
    }
    if sample.contains(&0) {
        return true;
    }
    let odd = sample
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b) || b == 0x7f)
        .count();
    odd * 10 > sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_magic_bytes() {
        assert_eq!(sniff_format(&[0x1f, 0x8b, 8]), Format::Gzip);
        assert_eq!(sniff_format(b"\xfd7zXZ\x00\x00\x04"), Format::Xz);
        assert_eq!(sniff_format(&[0x28, 0xb5, 0x2f, 0xfd, 0x04]), Format::Zstd);
        assert_eq!(sniff_format(b"PK\x03\x04\x14\x00"), Format::Zip);
        let mut tar = vec![0u8; 512];
        tar.splice(257..262, *b"ustar");
        assert_eq!(sniff_format(&tar), Format::Tar);
        // Close misses stay plain text.
        assert_eq!(sniff_format(b"\xfd7zXZ"), Format::Plain);
        assert_eq!(sniff_format(b"PK\x05\x06"), Format::Plain);
        assert_eq!(sniff_format(b""), Format::Plain);
    }

    #[test]
    fn capped_reader_ends_cleanly_at_the_cap_and_fails_past_it() {
        let mut exact = Capped::new(&b"12345"[..], 5);
        let mut out = Vec::new();
        assert_eq!(exact.read_to_end(&mut out).ok(), Some(5));
        let mut over = Capped::new(&b"123456"[..], 5);
        let err = over
            .read_to_end(&mut Vec::new())
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("decompressed size limit of 5 bytes reached")
        );
    }

    #[test]
    fn a_compressed_input_is_named_as_what_it_holds() {
        assert_eq!(strip_compression_suffix("kubelet.log.xz"), "kubelet.log");
        assert_eq!(strip_compression_suffix("b.tar.zst"), "b.tar");
        assert_eq!(strip_compression_suffix(".gz"), ".gz");
        assert_eq!(strip_compression_suffix("b.tgz"), "b.tgz");
    }
}

//! Getting bytes out of what a customer sent: archives, compressed files and
//! directories, streamed entry by entry and never extracted to disk.
//!
//! The reader runs on its own thread and hands the analysis thread `Chunk`s
//! over a bounded channel: an entry's start, its content in line-aligned
//! blocks, its end. That split is the hot path's two-stage pipeline (inflate
//! on one core, matching on the other); see `reference/perf-limits.md`.

mod archive;
mod dir;

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
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entry_bytes: 4 << 30,
            max_total_bytes: 32 << 30,
            max_line_bytes: 1 << 20,
            max_depth: 5,
            max_entries: 1_000_000,
        }
    }
}

/// Content is handed over in blocks of about this size, cut at a line end.
pub const BLOCK_BYTES: usize = 1 << 20;

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

/// What the magic bytes say a stream is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Gzip,
    Tar,
    Plain,
}

pub fn sniff_format(head: &[u8]) -> Format {
    if head.starts_with(&[0x1f, 0x8b]) {
        Format::Gzip
    } else if head.get(257..262) == Some(b"ustar") {
        Format::Tar
    } else {
        Format::Plain
    }
}

/// The channel end plus the running totals the limits are checked against.
pub struct Sink {
    tx: SyncSender<Chunk>,
    limits: Limits,
    total: u64,
    entries: u64,
    total_limit_hit: bool,
}

impl Sink {
    pub fn new(tx: SyncSender<Chunk>, limits: Limits) -> Sink {
        Sink {
            tx,
            limits,
            total: 0,
            entries: 0,
            total_limit_hit: false,
        }
    }

    fn send(&self, chunk: Chunk) -> Result<(), IngestError> {
        self.tx.send(chunk).map_err(|_| IngestError::Disconnected)
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

    /// Read one entry's content, decompressing gzip and descending into nested
    /// tar archives, and send it as line-aligned blocks.
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
        let mut head = Vec::with_capacity(512);
        if let Err(e) = (&mut *reader).take(512).read_to_end(&mut head) {
            return self.skip(path, bytes, format!("unreadable: {e}"));
        }
        match sniff_format(&head) {
            Format::Gzip => {
                let inner_name = path
                    .strip_suffix(".gz")
                    .or_else(|| path.strip_suffix(".tgz"))
                    .unwrap_or(path);
                let mut gz = flate2::read::MultiGzDecoder::new(io::Cursor::new(head).chain(reader));
                let mut inner_head = Vec::with_capacity(512);
                if let Err(e) = (&mut gz).take(512).read_to_end(&mut inner_head) {
                    self.warn(format!(
                        "{path}: not a valid gzip stream ({e}); read as it is"
                    ))?;
                    return self.skip(path, bytes, format!("corrupt gzip: {e}"));
                }
                let mut chained = io::Cursor::new(inner_head).chain(gz);
                if sniff_format_peek(&mut chained)? == Format::Tar {
                    return self.nested_tar(path, &mut chained, depth);
                }
                let _ = inner_name;
                self.content(path, &mut chained, bytes)
            }
            Format::Tar => {
                let mut chained = io::Cursor::new(head).chain(reader);
                self.nested_tar(path, &mut chained, depth)
            }
            Format::Plain => {
                let mut chained = io::Cursor::new(head).chain(reader);
                self.content(path, &mut chained, bytes)
            }
        }
    }

    fn nested_tar(
        &mut self,
        path: &str,
        reader: &mut dyn Read,
        depth: u32,
    ) -> Result<(), IngestError> {
        if depth >= self.limits.max_depth {
            self.warn(format!(
                "{path}: archive nested deeper than {} levels; not opened",
                self.limits.max_depth
            ))?;
            return self.skip(
                path,
                None,
                format!(
                    "nested archive beyond depth limit {}",
                    self.limits.max_depth
                ),
            );
        }
        self.skip(
            path,
            None,
            "archive: its entries are listed under this path".into(),
        )?;
        archive::read_tar(self, reader, &format!("{path}/"), depth + 1)
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
        let mut read: u64 = 0;
        let mut pending: Vec<u8> = Vec::with_capacity(BLOCK_BYTES + 4096);
        let mut buf = vec![0u8; 256 * 1024];
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
                let rest = pending.split_off(cut);
                let block = std::mem::replace(&mut pending, rest);
                self.send(Chunk::Block(block))?;
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

/// Peek at the start of a chained reader without consuming it: tar needs 262 bytes.
fn sniff_format_peek(
    reader: &mut io::Chain<io::Cursor<Vec<u8>>, impl Read>,
) -> Result<Format, IngestError> {
    let (cursor, _) = reader.get_ref();
    Ok(sniff_format(cursor.get_ref()))
}

/// Read one input (archive, compressed file, plain file or directory) into the sink.
pub fn read_input(input: &Path, sink: &mut Sink) -> Result<(), IngestError> {
    let meta = std::fs::metadata(input).map_err(|source| IngestError::Open {
        path: input.to_path_buf(),
        source,
    })?;
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
    let file = File::open(input).map_err(|source| IngestError::Open {
        path: input.to_path_buf(),
        source,
    })?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut head = Vec::with_capacity(512);
    (&mut reader)
        .take(512)
        .read_to_end(&mut head)
        .map_err(|source| IngestError::Open {
            path: input.to_path_buf(),
            source,
        })?;
    let mut chained = io::Cursor::new(head).chain(reader);
    // The archive itself is the bundle: its entries keep their own paths.
    let format = sniff_format_peek(&mut chained)?;
    match format {
        Format::Tar => archive::read_tar(sink, &mut chained, "", 1),
        Format::Gzip => {
            let mut gz = flate2::read::MultiGzDecoder::new(chained);
            let mut inner_head = Vec::with_capacity(512);
            if let Err(e) = (&mut gz).take(512).read_to_end(&mut inner_head) {
                return Err(IngestError::Open {
                    path: input.to_path_buf(),
                    source: io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("not a valid gzip file ({e})"),
                    ),
                });
            }
            let mut inner = io::Cursor::new(inner_head).chain(gz);
            if sniff_format_peek(&mut inner)? == Format::Tar {
                archive::read_tar(sink, &mut inner, "", 1)
            } else {
                let entry_name = name.strip_suffix(".gz").unwrap_or(&name).to_string();
                sink.entry(&entry_name, &mut inner, None, 1)
            }
        }
        Format::Plain => sink.entry(&name, &mut chained, Some(meta.len()), 1),
    }
}

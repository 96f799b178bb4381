//! Zip archives: customers zip must-gather trees (Windows and macOS make zip
//! by default). Entries are read through the central directory; when that is
//! missing (a cut upload), the local headers are walked from the start so the
//! entries before the damage are still read.
//!
//! As with tar, entry names are labels (`../../etc/passwd` is a name, nothing
//! is written anywhere), directories are skipped and symbolic links are listed
//! with their target, never followed.

use std::io::{Read, Seek, SeekFrom};

use super::archive::{clean_name, display_prefix, link_note};
use super::{IngestError, Sink};

/// A link target longer than this is not a path anyone wrote; it is cut.
const MAX_LINK_TARGET: u64 = 4096;

/// Read every member of a zip into the sink, naming each `<prefix><name>`.
/// The outer `Err` is the analysis side hanging up; the inner one means not a
/// single entry could be read (the caller decides if that is an error or a warning).
pub fn read_zip<R: Read + Seek>(
    sink: &mut Sink,
    mut reader: R,
    prefix: &str,
    depth: u32,
) -> Result<Result<(), String>, IngestError> {
    let cd_error = match zip::ZipArchive::new(&mut reader) {
        Ok(mut archive) => {
            for i in 0..archive.len() {
                if sink.exhausted() {
                    break;
                }
                let error = match archive.by_index(i) {
                    Ok(mut file) => {
                        member(sink, &mut file, prefix, depth)?;
                        continue;
                    }
                    Err(e) => e,
                };
                // Encrypted or an unsupported method (bzip2, lzma...): list it with why.
                let name = archive
                    .by_index_raw(i)
                    .map(|f| format!("{prefix}{}", clean_name(&lossy(f.name_raw()))))
                    .unwrap_or_else(|_| format!("{prefix}#{i}"));
                sink.skip(&name, None, format!("not read: {error}"))?;
            }
            return Ok(Ok(()));
        }
        Err(e) => e,
    };
    // No usable central directory: walk the local headers in file order.
    if let Err(e) = reader.seek(SeekFrom::Start(0)) {
        return Ok(Err(format!("{cd_error}; and cannot rewind: {e}")));
    }
    let mut count = 0u64;
    let mut last = String::new();
    loop {
        if sink.exhausted() {
            return Ok(Ok(()));
        }
        match zip::read::read_zipfile_from_stream(&mut reader) {
            Ok(Some(mut file)) => {
                last = format!("{prefix}{}", clean_name(&lossy(file.name_raw())));
                member(sink, &mut file, prefix, depth)?;
                count += 1;
            }
            Ok(None) => break,
            Err(e) if count == 0 => return Ok(Err(format!("{cd_error}; {e}"))),
            Err(e) => {
                sink.warn(format!(
                    "{}: zip truncated or corrupt after {count} entries (last read: {last}): {e}; the report covers what was read before",
                    display_prefix(prefix)
                ))?;
                return Ok(Ok(()));
            }
        }
    }
    sink.warn(format!(
        "{}: zip central directory unreadable ({cd_error}); {count} entries read from their local headers",
        display_prefix(prefix)
    ))?;
    Ok(Ok(()))
}

fn member<R: Read>(
    sink: &mut Sink,
    file: &mut zip::read::ZipFile<'_, R>,
    prefix: &str,
    depth: u32,
) -> Result<(), IngestError> {
    let name = format!("{prefix}{}", clean_name(&lossy(file.name_raw())));
    if file.is_dir() {
        return Ok(());
    }
    if file.is_symlink() {
        // A zip symlink's content is its target.
        let mut target = Vec::new();
        let note = match file.take(MAX_LINK_TARGET).read_to_end(&mut target) {
            Ok(_) => link_note(&name, &lossy(&target)),
            Err(e) => format!("link with an unreadable target: {e}"),
        };
        return sink.skip(&name, None, note);
    }
    let size = file.size();
    sink.entry(&name, file, Some(size), depth)
}

fn lossy(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

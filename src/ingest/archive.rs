//! Tar streams: every entry, in archive order, with names treated as names.
//!
//! Entry names such as `../x` or `/etc/passwd` are only labels here: nothing
//! is written to disk, so they cannot escape anywhere. Links are listed with
//! their target and never followed (their targets are entries of their own).

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use super::{IngestError, Sink};

/// Bytes the tar reader may consume while it looks for the next entry:
/// the header, plus GNU long-name/long-link and PAX extension data, plus GNU
/// sparse extension headers. The `tar` crate holds those whole in memory, so
/// without a bound a hostile archive (a gzip of a "long name" GiBs long, or an
/// endless chain of sparse headers) makes it allocate without limit. Real
/// extension data is a path or a few attributes: kilobytes.
pub const MAX_HEADER_BYTES: u64 = 1 << 20;

/// The archive's byte source with a budget for what one header walk may read.
/// The budget is set only around `Entries::next`; entry data is read freely
/// (the sink's own limits apply to it).
struct Budgeted<'r> {
    inner: &'r mut dyn Read,
    /// Bytes still allowed; `None` while entry data is being read.
    left: Rc<Cell<Option<u64>>>,
}

impl Read for Budgeted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(left) = self.left.get() else {
            return self.inner.read(buf);
        };
        if left == 0 {
            return Err(io::Error::other(format!(
                "tar header data (long name, PAX or sparse extension) larger than {MAX_HEADER_BYTES} bytes"
            )));
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(buf.get_mut(..want).unwrap_or_default())?;
        self.left.set(Some(left - n as u64));
        Ok(n)
    }
}

/// An entry's reader that counts what it delivered.
struct Counted<'e, R> {
    inner: &'e mut R,
    read: u64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// A tar entry name as a clean bundle-relative label: no leading `./` or `/`.
pub fn clean_name(raw: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

pub fn read_tar(
    sink: &mut Sink,
    reader: &mut dyn Read,
    prefix: &str,
    depth: u32,
) -> Result<(), IngestError> {
    let budget = Rc::new(Cell::new(None));
    let mut archive = tar::Archive::new(Budgeted {
        inner: reader,
        left: Rc::clone(&budget),
    });
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            return sink.warn(format!(
                "{}: not a readable tar archive: {e}",
                display_prefix(prefix)
            ));
        }
    };
    let mut last = String::new();
    let mut entries = entries.enumerate();
    loop {
        if sink.exhausted() {
            break;
        }
        budget.set(Some(MAX_HEADER_BYTES));
        let next = entries.next();
        budget.set(None);
        let Some((count, entry)) = next else { break };
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let after = if last.is_empty() {
                    "at its start".to_string()
                } else {
                    format!("after {count} entries (last read: {last})")
                };
                return sink.warn(format!(
                    "{}: archive truncated or corrupt {after}: {e}; the report covers what was read before",
                    display_prefix(prefix)
                ));
            }
        };
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let name = format!("{prefix}{}", clean_name(&raw_name));
        let size = entry.header().size().ok();
        let kind = entry.header().entry_type();
        let mut counted = Counted {
            inner: &mut entry,
            read: 0,
        };
        if kind.is_dir() {
            // Nothing to list; any data it claims is stepped over below.
        } else if kind.is_symlink() || kind.is_hard_link() {
            let target = counted
                .inner
                .link_name_bytes()
                .map(|t| String::from_utf8_lossy(&t).into_owned())
                .unwrap_or_default();
            sink.skip(&name, None, link_note(&name, &target))?;
            last.clone_from(&name);
        } else if !kind.is_file()
            && kind != tar::EntryType::Continuous
            && kind != tar::EntryType::GNUSparse
        {
            sink.skip(&name, size, format!("not a regular file ({kind:?})"))?;
        } else {
            sink.entry(&name, &mut counted, size, depth)?;
            last.clone_from(&name);
        }
        if sink.exhausted() {
            break;
        }
        // Step over what was left unread (a limit, an unreadable nested
        // stream, data a non-file header claims) here, outside the header
        // budget. An archive that ends cleanly inside the entry (its header
        // declares more than there is) shows here too; a decoding error
        // shows at the next header as a truncation warning.
        let drained = io::copy(&mut counted, &mut io::sink());
        let read = counted.read;
        if let (Ok(_), Some(declared)) = (drained, size.filter(|&d| read < d)) {
            sink.warn(format!(
                "{name}: only {read} of the {declared} bytes its tar header declares are in the archive"
            ))?;
        }
    }
    Ok(())
}

/// How a link entry is listed: never followed, its target read as its own entry.
pub fn link_note(name: &str, target: &str) -> String {
    if target.starts_with('/') || escapes(name, target) {
        format!("link to {target}: leaves the bundle, not followed")
    } else {
        format!("link to {target}: read at its target")
    }
}

pub fn display_prefix(prefix: &str) -> &str {
    let p = prefix.trim_end_matches('/');
    if p.is_empty() {
        "archive"
    } else {
        p
    }
}

/// Does a relative link target, resolved from the link's directory, climb out of the bundle?
pub fn escapes(link: &str, target: &str) -> bool {
    let mut depth: i64 = link.split('/').count() as i64 - 1;
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_labels_not_paths() {
        assert_eq!(
            clean_name("./bundle/node/kubelet.log"),
            "bundle/node/kubelet.log"
        );
        assert_eq!(clean_name("/etc/passwd"), "etc/passwd");
        assert_eq!(clean_name("../x"), "../x");
    }

    #[test]
    fn sos_relative_links_stay_inside_and_climbing_ones_do_not() {
        assert!(!escapes("sos/etc/os-release", "../usr/lib/os-release"));
        assert!(!escapes("sos/installed-rpms", "sos_commands/rpm/x"));
        assert!(escapes("sos/etc/os-release", "../../../etc/shadow"));
    }
}

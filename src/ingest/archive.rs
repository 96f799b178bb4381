//! Tar streams: every entry, in archive order, with names treated as names.
//!
//! Entry names such as `../x` or `/etc/passwd` are only labels here: nothing
//! is written to disk, so they cannot escape anywhere. Links are listed with
//! their target and never followed (their targets are entries of their own).

use std::io::Read;

use super::{IngestError, Sink};

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
    let mut archive = tar::Archive::new(reader);
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
    for (count, entry) in entries.enumerate() {
        if sink.exhausted() {
            break;
        }
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
        if kind.is_dir() {
            continue;
        }
        if kind.is_symlink() || kind.is_hard_link() {
            let target = entry
                .link_name_bytes()
                .map(|t| String::from_utf8_lossy(&t).into_owned())
                .unwrap_or_default();
            sink.skip(&name, None, link_note(&name, &target))?;
            last = name;
            continue;
        }
        if !kind.is_file()
            && kind != tar::EntryType::Continuous
            && kind != tar::EntryType::GNUSparse
        {
            sink.skip(&name, size, format!("not a regular file ({kind:?})"))?;
            continue;
        }
        sink.entry(&name, &mut entry, size, depth)?;
        last = name;
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

//! Extracted bundles: a directory walked in name order, without following
//! any link, so a link to a host file or out of the bundle is never read.

use std::fs::{self, File};
use std::io::BufReader;
use std::path::Path;

use super::archive::link_note;
use super::{IngestError, Sink};

/// Walk `root`, naming entries `<name>/<relative path>` as `tar czf name.tar.gz name` would.
pub fn read_dir_bundle(root: &Path, name: &str, sink: &mut Sink) -> Result<(), IngestError> {
    walk(root, name, sink, 0)
}

fn walk(dir: &Path, label: &str, sink: &mut Sink, depth: usize) -> Result<(), IngestError> {
    if depth > 64 {
        return sink.warn(format!(
            "{label}: directories nested more than 64 deep; not read"
        ));
    }
    let mut children: Vec<_> = match fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).collect(),
        Err(e) => return sink.skip(label, None, format!("unreadable directory: {e}")),
    };
    children.sort_by_key(|c| c.file_name());
    for child in children {
        if sink.exhausted() {
            break;
        }
        let child_label = format!("{label}/{}", child.file_name().to_string_lossy());
        let path = child.path();
        // symlink_metadata: the link itself, never what it points at.
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                sink.skip(&child_label, None, format!("unreadable: {e}"))?;
                continue;
            }
        };
        let ft = meta.file_type();
        if ft.is_symlink() {
            let target = fs::read_link(&path)
                .map(|t| t.to_string_lossy().into_owned())
                .unwrap_or_default();
            sink.skip(&child_label, None, link_note(&child_label, &target))?;
        } else if ft.is_dir() {
            walk(&path, &child_label, sink, depth + 1)?;
        } else if ft.is_file() {
            match File::open(&path) {
                Ok(f) => {
                    let mut reader = BufReader::with_capacity(1 << 20, f);
                    sink.entry(&child_label, &mut reader, Some(meta.len()), 1)?;
                }
                Err(e) => sink.skip(&child_label, Some(meta.len()), format!("unreadable: {e}"))?,
            }
        } else {
            sink.skip(
                &child_label,
                None,
                "not a regular file (fifo, socket or device): not read".into(),
            )?;
        }
    }
    Ok(())
}

//! A bundle's identity and size, read without analyzing it: the content hash
//! that incremental batch runs compare with the last report's, and the bytes
//! that progress and scheduling go by.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

/// A bundle's identity: `(bytes, sha256)` of a file's content, or for a
/// directory of its files' relative paths and sizes (walked without following
/// links). Incremental batch runs compare it with the last report's.
pub fn fingerprint(input: &Path) -> std::io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let bytes = if input.is_dir() {
        let mut entries = Vec::new();
        walk_sizes(input, "", &mut entries, 0)?;
        entries.sort();
        for (p, b) in &entries {
            hasher.update(p.as_bytes());
            hasher.update(b.to_le_bytes());
        }
        entries.iter().map(|(_, b)| b).sum()
    } else {
        // A fifo would block and a device (`/dev/zero`) never end.
        if !std::fs::metadata(input)?.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file or directory",
            ));
        }
        let mut f = std::fs::File::open(input)?;
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            total += n as u64;
            hasher.update(buf.get(..n).unwrap_or_default());
        }
        total
    };
    Ok((
        bytes,
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    ))
}

/// The bytes a bundle holds on disk (a file's size, or the sum of a
/// directory's files), for progress and throughput; 0 when unreadable.
pub fn input_bytes(input: &Path) -> u64 {
    if input.is_dir() {
        let mut entries = Vec::new();
        let _ = walk_sizes(input, "", &mut entries, 0);
        entries.iter().map(|(_, b)| b).sum()
    } else {
        std::fs::metadata(input).map(|m| m.len()).unwrap_or(0)
    }
}

fn walk_sizes(
    dir: &Path,
    rel: &str,
    out: &mut Vec<(String, u64)>,
    depth: usize,
) -> std::io::Result<()> {
    if depth > 64 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = format!("{rel}/{}", entry.file_name().to_string_lossy());
        let meta = std::fs::symlink_metadata(entry.path())?;
        if meta.is_dir() {
            walk_sizes(&entry.path(), &name, out, depth + 1)?;
        } else {
            out.push((name, meta.len()));
        }
    }
    Ok(())
}

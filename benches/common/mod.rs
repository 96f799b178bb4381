//! What the benches share: the bench bundle's entries read into memory, and
//! timing helpers.

// Each bench compiles its own copy and uses only part of it.
#![allow(dead_code)]

use std::io::Read;
use std::time::{Duration, Instant};

use podmortem::classify::classify;
use podmortem::facts::ArtifactKind;

/// One log entry of the bundle, read into memory once.
pub struct Entry {
    pub path: String,
    pub kind: ArtifactKind,
    pub text: String,
}

/// The bundle's regular files, inflated and read whole (lossy UTF-8, as the scan reads them).
pub fn entries(gz: &[u8]) -> std::io::Result<Vec<Entry>> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(gz));
    let mut out = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path()?.to_string_lossy().into_owned();
        let mut raw = Vec::new();
        entry.read_to_end(&mut raw)?;
        let kind = classify(&path, &raw[..raw.len().min(64 * 1024)]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        out.push(Entry { path, kind, text });
    }
    Ok(out)
}

/// Inflate the bundle and walk its tar entries, discarding the bytes: the reader's share.
pub fn inflate(gz: &[u8]) -> std::io::Result<u64> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(gz));
    let mut total = 0;
    for entry in archive.entries()? {
        total += std::io::copy(&mut entry?, &mut std::io::sink())?;
    }
    Ok(total)
}

pub fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

//! Ingest of every archive format customers send, at the top level and
//! nested, as the analysis thread sees it: the `Chunk`s that come out of the
//! reader. Every archive is built here by the same crates' writers, so no
//! binary fixture is committed and each case shows exactly what it holds.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use podmortem::ingest::{read_input, Chunk, IngestError, Limits, Sink};

mod common;
use common::{gz, xz};

/// What the reader delivered for one input.
#[derive(Debug, Default)]
struct Got {
    /// Read entries: name -> content as delivered (cut lines get a newline).
    entries: BTreeMap<String, Vec<u8>>,
    /// Read entries: name -> content bytes read (`End.read`).
    read: BTreeMap<String, u64>,
    /// Listed, not read: name -> note.
    skipped: BTreeMap<String, String>,
    warnings: Vec<String>,
}

impl Got {
    fn text(&self, name: &str) -> &str {
        let bytes = self
            .entries
            .get(name)
            .unwrap_or_else(|| panic!("no entry {name}; got {:?}", self.entries.keys()));
        std::str::from_utf8(bytes).expect("utf-8 test content")
    }

    fn warned(&self, needle: &str) -> bool {
        self.warnings.iter().any(|w| w.contains(needle))
    }
}

/// Drive `read_input` through a channel, as `analyze` does, and collect.
fn ingest(path: &Path, limits: Limits) -> (Result<(), IngestError>, Got) {
    let (tx, rx) = sync_channel(4);
    let input = path.to_path_buf();
    let reader = std::thread::spawn(move || {
        let mut sink = Sink::new(tx, limits);
        read_input(&input, &mut sink)
    });
    let mut got = Got::default();
    let mut current: Option<(String, Vec<u8>)> = None;
    for chunk in rx {
        match chunk {
            Chunk::Start { path, .. } => current = Some((path, Vec::new())),
            Chunk::Block(b) => {
                if let Some((_, buf)) = current.as_mut() {
                    buf.extend_from_slice(&b);
                }
            }
            Chunk::End { read } => {
                let (name, buf) = current.take().expect("End after Start");
                got.read.insert(name.clone(), read);
                got.entries.insert(name, buf);
            }
            Chunk::Skipped { path, note, .. } => {
                got.skipped.insert(path, note);
            }
            Chunk::Warning(w) => got.warnings.push(w),
        }
    }
    (reader.join().expect("reader thread"), got)
}

fn tar(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).expect("tar append");
    }
    b.into_inner().expect("tar finish")
}

/// A zstd block header: last-block flag, type (0 raw, 1 RLE), size.
fn zst_block(out: &mut Vec<u8>, kind: u32, size: usize, last: bool) {
    let h = u32::from(last) | (kind << 1) | ((size as u32) << 3);
    out.extend_from_slice(h.to_le_bytes().get(..3).expect("3 bytes"));
}

/// Frame header: magic, no content size or checksum, a 128 KiB window.
const ZST_FRAME: [u8; 6] = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38];

/// A zstd frame written by hand with raw blocks: what a compressor emits for
/// incompressible data. Enough to test framing, nesting, truncation and
/// bombs without building the C library just for tests; compressed blocks
/// are covered by `ZST_COMPRESSED`, made by the zstd CLI.
fn zst(data: &[u8]) -> Vec<u8> {
    let mut out = ZST_FRAME.to_vec();
    let chunks: Vec<&[u8]> = data.chunks(128 << 10).collect();
    if chunks.is_empty() {
        zst_block(&mut out, 0, 0, true);
    }
    for (i, c) in chunks.iter().enumerate() {
        zst_block(&mut out, 0, c.len(), i + 1 == chunks.len());
        out.extend_from_slice(c);
    }
    out
}

/// `KUBELET` 20 times, `zstd -19` (with compressed blocks and an XXH64 checksum).
const ZST_COMPRESSED: [u8; 88] = [
    0x28, 0xb5, 0x2f, 0xfd, 0x64, 0x18, 0x05, 0x55, 0x02, 0x00, 0x92, 0x84, 0x0f, 0x10, 0x80, 0x7d,
    0xaf, 0x4a, 0x1b, 0xc2, 0x8f, 0x87, 0x63, 0x68, 0xa0, 0x38, 0xe5, 0xa8, 0xc0, 0x4e, 0x40, 0x62,
    0x6a, 0x3f, 0xe2, 0x0c, 0xe5, 0x06, 0x51, 0x5a, 0xea, 0xe6, 0x6b, 0xc5, 0x65, 0x12, 0xf2, 0x76,
    0x9b, 0x17, 0xc7, 0x3d, 0xa3, 0x27, 0x83, 0x0c, 0xf3, 0xa5, 0x11, 0xc6, 0xa5, 0x95, 0xaf, 0xd7,
    0x27, 0x41, 0xc6, 0x8c, 0xbf, 0x8c, 0xf1, 0x64, 0x3c, 0x76, 0x27, 0x02, 0x00, 0x7f, 0x5c, 0x14,
    0x3e, 0x54, 0x70, 0x48, 0xb8, 0x4d, 0x5c, 0x21,
];

enum ZipItem<'a> {
    File(&'a str, &'a [u8]),
    Dir(&'a str),
    Link(&'a str, &'a str),
}

fn zip(items: &[ZipItem<'_>]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for item in items {
        match item {
            ZipItem::File(name, data) => {
                w.start_file(*name, opts).expect("zip start");
                w.write_all(data).expect("zip write");
            }
            ZipItem::Dir(name) => w.add_directory(*name, opts).expect("zip dir"),
            ZipItem::Link(name, target) => w.add_symlink(*name, *target, opts).expect("zip link"),
        }
    }
    w.finish().expect("zip finish").into_inner()
}

fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).expect("write test input");
    p
}

const KUBELET: &[u8] =
    b"Jan 01 00:00:00 node-1 kubelet[1]: E0101 MountVolume.SetUp failed\nsecond line\n";
const MOUNTINFO: &[u8] = b"22 1 8:1 / / rw - xfs /dev/sda1 rw\n";

#[test]
fn tar_xz_bundle_keeps_its_entry_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = tar(&[
        (
            "sosreport-n1/sos_commands/kubernetes/journalctl_--unit_kubelet",
            KUBELET,
        ),
        ("sosreport-n1/proc/self/mountinfo", MOUNTINFO),
    ]);
    // Named .bin: the format is sniffed from the bytes, not the name.
    let p = write(dir.path(), "sosreport-n1.bin", &xz(&t));
    let (r, got) = ingest(&p, Limits::default());
    r.expect("read");
    assert_eq!(
        got.text("sosreport-n1/sos_commands/kubernetes/journalctl_--unit_kubelet")
            .as_bytes(),
        KUBELET
    );
    assert_eq!(
        got.text("sosreport-n1/proc/self/mountinfo").as_bytes(),
        MOUNTINFO
    );
    assert_eq!(got.entries.len(), 2);
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
}

#[test]
fn tar_zst_bundle_and_single_compressed_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(
        dir.path(),
        "b.tar.zst",
        &zst(&tar(&[("b/kubelet.log", KUBELET)])),
    );
    let (r, got) = ingest(&p, Limits::default());
    r.expect("read");
    assert_eq!(got.text("b/kubelet.log").as_bytes(), KUBELET);
    assert_eq!(got.entries.len(), 1);

    // Compressed blocks, and several frames in one file (zstd -T0, pzstd, cat).
    let mut frames = ZST_COMPRESSED.to_vec();
    frames.extend_from_slice(&zst(b"tail\n"));
    let p = write(dir.path(), "k.log.zst", &frames);
    let (r, got) = ingest(&p, Limits::default());
    r.expect("read");
    let kubelet = std::str::from_utf8(KUBELET).expect("utf-8");
    assert_eq!(got.text("k.log"), format!("{}tail\n", kubelet.repeat(20)));

    // A zstd stream cut inside its third block: a warning, and the bytes
    // decoded before it kept, except the last window (128 KiB here), which
    // ruzstd holds back for back-references and cannot flush.
    let cut = zst(&noise(400_000, 9));
    let p = write(dir.path(), "cut.log.zst", cut.get(..300_000).expect("cut"));
    let (r, got) = ingest(&p, Limits::default());
    r.expect("read");
    assert!(got.read["cut.log"] >= 128 << 10, "{:?}", got.read);
    assert!(
        got.warned("cut.log: read stopped after"),
        "{:?}",
        got.warnings
    );

    // A single compressed file is named as what it holds.
    for (name, data, want) in [
        ("kubelet.log.xz", xz(KUBELET), "kubelet.log"),
        ("kubelet.log.zst", zst(KUBELET), "kubelet.log"),
        ("kubelet.log.gz", gz(KUBELET), "kubelet.log"),
    ] {
        let p = write(dir.path(), name, &data);
        let (r, got) = ingest(&p, Limits::default());
        r.expect("read");
        assert_eq!(got.text(want).as_bytes(), KUBELET, "{name}");
    }
}

#[test]
fn zip_with_a_nested_tar_gz_and_a_symlink() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inner = gz(&tar(&[("node-1/kubelet.log", KUBELET)]));
    let z = zip(&[
        ZipItem::Dir("must-gather/"),
        ZipItem::File("must-gather/namespaces/x/core/events.yaml", b"items: []\n"),
        ZipItem::File("must-gather/nodes.tar.gz", &inner),
        ZipItem::Link("must-gather/latest", "namespaces/x"),
        ZipItem::Link("must-gather/host", "/etc/shadow"),
    ]);
    let p = write(dir.path(), "must-gather.zip", &z);
    let (r, got) = ingest(&p, Limits::default());
    r.expect("read");
    assert_eq!(
        got.text("must-gather/namespaces/x/core/events.yaml"),
        "items: []\n"
    );
    assert_eq!(
        got.text("must-gather/nodes.tar.gz/node-1/kubelet.log")
            .as_bytes(),
        KUBELET
    );
    assert_eq!(got.entries.len(), 2, "{:?}", got.entries.keys());
    assert!(got.skipped["must-gather/nodes.tar.gz"].starts_with("archive"));
    assert_eq!(
        got.skipped["must-gather/latest"],
        "link to namespaces/x: read at its target"
    );
    assert!(got.skipped["must-gather/host"].contains("not followed"));
    // Directories are not entries.
    assert!(!got.skipped.contains_key("must-gather"));
}

#[test]
fn rotated_log_xz_inside_a_tar_gz_is_decompressed_under_its_own_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = tar(&[
        ("b/var/log/kubelet.log", b"current\n"),
        ("b/var/log/kubelet.log-1.xz", &xz(KUBELET)),
        ("b/var/log/kubelet.log-2.zst", &zst(b"older\n")),
    ]);
    let p = write(dir.path(), "b.tgz", &gz(&t));
    let (r, got) = ingest(&p, Limits::default());
    r.expect("read");
    assert_eq!(got.text("b/var/log/kubelet.log"), "current\n");
    assert_eq!(got.text("b/var/log/kubelet.log-1.xz").as_bytes(), KUBELET);
    assert_eq!(got.text("b/var/log/kubelet.log-2.zst"), "older\n");
}

#[test]
fn zip_slip_names_are_labels_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let z = zip(&[
        ZipItem::File("../../etc/passwd", b"root:x:0:0\n"),
        ZipItem::File("/abs/kubelet.log", KUBELET),
    ]);
    let p = write(dir.path(), "slip.zip", &z);
    let before = std::fs::read_dir(dir.path()).expect("ls").count();
    let (r, got) = ingest(&p, Limits::default());
    r.expect("read");
    assert_eq!(got.text("../../etc/passwd"), "root:x:0:0\n");
    assert_eq!(got.text("abs/kubelet.log").as_bytes(), KUBELET);
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), before);
    assert!(!dir.path().join("../../etc/passwd").exists() || Path::new("/etc/passwd").exists());
}

#[test]
fn nesting_beyond_the_depth_limit_is_listed_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    // outer.tar.gz (depth 1) > a.zip (2) > b.tar.xz (3: over the limit of 2).
    let b = xz(&tar(&[("deep.log", b"deep\n")]));
    let a = zip(&[
        ZipItem::File("a.log", b"a\n"),
        ZipItem::File("b.tar.xz", &b),
    ]);
    let outer = gz(&tar(&[("o/top.log", b"top\n"), ("o/a.zip", &a)]));
    let p = write(dir.path(), "outer.tar.gz", &outer);
    let limits = Limits {
        max_depth: 2,
        ..Limits::default()
    };
    let (r, got) = ingest(&p, limits);
    r.expect("read");
    assert_eq!(got.text("o/top.log"), "top\n");
    assert_eq!(got.text("o/a.zip/a.log"), "a\n");
    assert!(!got.entries.contains_key("o/a.zip/b.tar.xz/deep.log"));
    assert_eq!(
        got.skipped["o/a.zip/b.tar.xz"],
        "nested archive beyond depth limit 2"
    );
    assert!(got.warned("o/a.zip/b.tar.xz: archive nested deeper than 2 levels"));
}

/// Content that does not compress, so a cut lands inside the entries.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|i| {
            if i % 64 == 63 {
                return b'\n';
            }
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b'a' + (x % 26) as u8
        })
        .collect()
}

#[test]
fn truncated_tar_xz_keeps_what_was_read_and_says_where_it_stopped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = noise(20_000, 1);
    let t = tar(&[
        ("b/first.log", &first),
        ("b/second.log", &noise(400_000, 2)),
        ("b/third.log", &noise(400_000, 3)),
    ]);
    let full = xz(&t);
    let cut = full.get(..full.len() / 2).expect("half");
    let p = write(dir.path(), "b.tar.xz", cut);
    let (r, got) = ingest(&p, Limits::default());
    r.expect("a truncated bundle is a report with a warning, not an error");
    let got_first = &got.entries["b/first.log"];
    assert!(
        got_first == &first,
        "first.log: {} bytes, want {}: {:?}",
        got_first.len(),
        first.len(),
        got.warnings
    );
    assert!(!got.entries.contains_key("b/third.log"));
    assert!(
        got.warned("b/second.log: read stopped after"),
        "{:?}",
        got.warnings
    );
}

#[test]
fn truncated_zip_is_read_from_its_local_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let second = noise(100_000, 5);
    let z = zip(&[
        ZipItem::File("mg/a.log", b"first\n"),
        ZipItem::File("mg/b.log", &second),
        ZipItem::File("mg/c.log", b"third\n"),
    ]);
    // Cut before the central directory and inside the last entry.
    let cut = z.get(..z.len() - 200).expect("cut");
    let p = write(dir.path(), "mg.zip", cut);
    let (r, got) = ingest(&p, Limits::default());
    r.expect("read");
    assert_eq!(got.text("mg/a.log"), "first\n");
    assert!(
        got.entries["mg/b.log"] == second,
        "b.log differs: {:?}",
        got.warnings
    );
    assert!(got.warned("zip"), "{:?}", got.warnings);
}

#[test]
fn zstd_bomb_stops_at_the_total_limit_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 256 MiB of zeros in 4-byte RLE blocks: 8 KiB on disk.
    let mut bomb = ZST_FRAME.to_vec();
    for i in 0..2048 {
        zst_block(&mut bomb, 1, 128 << 10, i == 2047);
        bomb.push(0);
    }
    assert!(bomb.len() < 64 << 10, "{} bytes", bomb.len());
    // In a tar too, where the rest of a cut entry is stepped over.
    let p = write(dir.path(), "bomb.zst", &bomb);
    let tp = write(
        dir.path(),
        "bomb.tar",
        &tar(&[("b/bomb.log.zst", &bomb), ("b/after.log", b"after\n")]),
    );
    let limits = Limits {
        max_total_bytes: 4 << 20,
        max_line_bytes: 64 << 10,
        ..Limits::default()
    };
    let started = Instant::now();
    let (r, got) = ingest(&p, limits.clone());
    r.expect("read");
    assert_eq!(got.read["bomb"], 4 << 20);
    assert!(got.warned("total size limit of 4194304 bytes reached in bomb"));
    // Zero-filled lines are cut at max_line_bytes.
    assert!(
        got.warned("longer than 65536 bytes were cut"),
        "{:?}",
        got.warnings
    );

    let (r, got) = ingest(&tp, limits);
    r.expect("read");
    assert_eq!(got.read["b/bomb.log.zst"], 4 << 20);
    assert!(!got.read.contains_key("b/after.log"));
    assert!(got.warned("total size limit of 4194304 bytes reached in b/bomb.log.zst"));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn an_input_that_cannot_be_decoded_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, data) in [
        (
            "bad.tar.xz",
            b"\xfd7zXZ\x00garbage garbage garbage".to_vec(),
        ),
        ("bad.zst", b"\x28\xb5\x2f\xfdgarbage garbage".to_vec()),
        ("bad.zip", b"PK\x03\x04garbage".to_vec()),
        ("bad.gz", b"\x1f\x8bgarbage".to_vec()),
    ] {
        let p = write(dir.path(), name, &data);
        let (r, got) = ingest(&p, Limits::default());
        match r {
            Err(IngestError::Open { path, source }) => {
                assert_eq!(path, p, "{name}");
                assert!(source.to_string().contains("not a"), "{name}: {source}");
            }
            other => panic!("{name}: expected an error, got {other:?} and {got:?}"),
        }
        assert!(got.entries.is_empty(), "{name}");
    }
}

#[test]
fn corrupt_nested_archive_is_a_warning_and_the_rest_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = tar(&[
        ("b/broken.xz", b"\xfd7zXZ\x00garbage garbage"),
        ("b/ok.log", b"ok\n"),
    ]);
    let p = write(dir.path(), "b.tar", &t);
    let (r, got) = ingest(&p, Limits::default());
    r.expect("read");
    assert_eq!(got.text("b/ok.log"), "ok\n");
    assert!(got.skipped["b/broken.xz"].contains("not a valid xz stream"));
    assert!(got.warned("b/broken.xz"));
}

/// `podmortem analyze INPUT --format json -o -`: (rule, affected) per finding.
fn findings(input: &Path) -> Vec<(String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_podmortem"))
        .arg("analyze")
        .arg(input)
        .args(["--format", "json", "-o", "-"])
        .output()
        .expect("run podmortem");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}): {}",
            input.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut f: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["rule"].to_string(), f["affected"].to_string()))
        .collect();
    f.sort();
    f
}

/// Every file under `root`, as (`<root name>/<relative path>`, bytes), in name order.
fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, label: &str, out: &mut Vec<(String, Vec<u8>)>) {
        let mut children: Vec<_> = std::fs::read_dir(dir)
            .expect("ls")
            .map(|e| e.expect("entry"))
            .collect();
        children.sort_by_key(|c| c.file_name());
        for c in children {
            let label = format!("{label}/{}", c.file_name().to_string_lossy());
            let ft = c.file_type().expect("type");
            if ft.is_dir() {
                walk(&c.path(), &label, out);
            } else if ft.is_file() {
                out.push((label, std::fs::read(c.path()).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    let name = root
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    walk(root, &name, &mut out);
    out
}

#[test]
fn a_sample_repacked_in_every_format_gives_the_same_findings() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/nfs-helper-missing-adhoc");
    let want = findings(&sample);
    assert!(!want.is_empty(), "the sample has findings");
    let entries = files(&sample);
    let refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let t = tar(&refs);
    let items: Vec<ZipItem<'_>> = refs.iter().map(|(n, d)| ZipItem::File(n, d)).collect();
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, data) in [
        ("s.tar.gz", gz(&t)),
        ("s.tar.xz", xz(&t)),
        ("s.tar.zst", zst(&t)),
        ("s.zip", zip(&items)),
    ] {
        let p = write(dir.path(), name, &data);
        assert_eq!(findings(&p), want, "{name}");
    }
}

/// The header budget (see `tests/hostile.rs` for the GNU long-name bomb it
/// was found with) also bounds PAX extension headers: a 2 MiB one stops the
/// walk with a warning instead of being held in memory, and the entries
/// before it are read.
#[test]
fn pax_header_larger_than_the_header_budget_stops_the_walk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_ustar();
    h.set_size(KUBELET.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    b.append_data(&mut h, "b/kubelet.log", KUBELET)
        .expect("append");
    let big = vec![b'v'; 2 << 20];
    b.append_pax_extensions([("podmortem.big", big.as_slice())])
        .expect("pax");
    let mut h = tar::Header::new_ustar();
    h.set_size(6);
    h.set_mode(0o644);
    h.set_cksum();
    b.append_data(&mut h, "b/after.log", &b"after\n"[..])
        .expect("append");
    let p = write(dir.path(), "pax.tar", &b.into_inner().expect("tar"));
    let (r, got) = ingest(&p, Limits::default());
    r.expect("read");
    assert_eq!(got.text("b/kubelet.log").as_bytes(), KUBELET);
    assert!(!got.entries.contains_key("b/after.log"));
    assert!(
        got.warned("larger than 1048576 bytes"),
        "{:?}",
        got.warnings
    );
}

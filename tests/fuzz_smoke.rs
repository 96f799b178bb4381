//! The fuzz targets of `fuzz/` on stable, without libFuzzer: the same target
//! functions (this file includes `fuzz/src/lib.rs` as a module) fed with
//! real seeds (the samples, the rule pack, the version tables, archives built
//! here in every format) and a fixed number of deterministic mutations of
//! them. It is a smoke test: it catches a panic or a hang that a few thousand
//! cheap mutations reach, in seconds; real fuzzing is `cargo +nightly fuzz run`.
//!
//! The tests are `#[ignore]`d so that a plain `cargo test` stays quick; `.ci/run`
//! runs them as a step of their own: `cargo test --test fuzz_smoke -- --ignored`
//! (about 15 s in the debug profile). `PODMORTEM_FUZZ_SCALE=N` runs N times as
//! many mutations. A failing input
//! is written to `target/tmp/fuzz-smoke-<target>.bin`; replay it with
//! `cargo +nightly fuzz run <target> target/tmp/fuzz-smoke-<target>.bin`.

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::io::{Cursor, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;
use common::{gz, xz};

/// No single input may take longer than this (debug build): a hang, not a slow case.
const INPUT_LIMIT: Duration = Duration::from_secs(10);

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// One to eight byte-level mutations, libFuzzer style, plus dictionary tokens.
fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], dict: &[&[u8]]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..=rng.below(8) {
        let len = data.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                let b = [0u8, 0xff, b'\n', b'\r', b'"', b'\\', b'/', b' ', 0x80];
                data.insert(i, b[rng.below(b.len())]);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(64) + 1);
                data.drain(i..i + n);
            }
            4 if len > 0 => {
                // Duplicate a range (repetition: long lines, many entries).
                let i = rng.below(len);
                let n = rng.below((len - i).min(256) + 1);
                let copy = data[i..i + n].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, copy);
            }
            5 => {
                // Splice in a piece of another seed.
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let i = rng.below(other.len());
                    let n = rng.below((other.len() - i).min(512) + 1);
                    let at = rng.below(len + 1);
                    data.splice(at..at, other[i..i + n].iter().copied());
                }
            }
            6 if len > 0 => data.truncate(rng.below(len)),
            7 if !dict.is_empty() => {
                let token = dict[rng.below(dict.len())];
                let at = rng.below(len + 1);
                data.splice(at..at, token.iter().copied());
            }
            8 if len >= 8 => {
                // An interesting integer over 1, 2, 4 or 8 bytes (sizes, counts, offsets).
                let width = [1usize, 2, 4, 8][rng.below(4)];
                let at = rng.below(len - width + 1);
                let v: u64 = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fff_ffff, u64::MAX][rng.below(8)];
                data[at..at + width].copy_from_slice(&v.to_le_bytes()[..width]);
            }
            _ => {}
        }
    }
    data
}

/// Run `target` on every seed and on `iterations` mutants; fail with the input saved.
fn drive(name: &str, seeds: &[Vec<u8>], dict: &[&[u8]], iterations: usize) {
    let target = targets::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| panic!("no fuzz target {name}"));
    let scale: usize = std::env::var("PODMORTEM_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ name.len() as u64);
    let started = Instant::now();
    let mut slowest = (Duration::ZERO, 0usize);
    let total = seeds.len() + iterations * scale;
    for i in 0..total {
        let input = match seeds.get(i) {
            Some(s) => s.clone(),
            None => mutate(&mut rng, seeds, dict),
        };
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| target(&input)));
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, input.len());
        }
        if outcome.is_err() || took > INPUT_LIMIT {
            let path =
                Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-smoke-{name}.bin"));
            std::fs::write(&path, &input).expect("save the failing input");
            panic!(
                "fuzz target {name}: input {i} ({} bytes) {} ; saved to {}",
                input.len(),
                if outcome.is_err() {
                    "panicked".to_string()
                } else {
                    format!("took {took:?}")
                },
                path.display()
            );
        }
    }
    eprintln!(
        "{name}: {total} inputs in {:?} (slowest {:?}, {} bytes)",
        started.elapsed(),
        slowest.0,
        slowest.1
    );
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (relative name, content), in name order.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            let meta = std::fs::symlink_metadata(&p).expect("metadata");
            if meta.is_dir() {
                walk(root, &p, out);
            } else if meta.is_file() {
                let rel = p.strip_prefix(root).expect("under root");
                out.push((rel.display().to_string(), std::fs::read(&p).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// The text files of the samples (not the sample tarball), at most 64 KiB each.
fn sample_texts() -> Vec<(String, Vec<u8>)> {
    files(&manifest().join("samples"))
        .into_iter()
        .filter(|(n, d)| {
            !n.ends_with(".gz") && !n.ends_with(".py") && !n.ends_with(".md") && !d.contains(&0)
        })
        .map(|(n, mut d)| {
            d.truncate(64 << 10);
            (n, d)
        })
        .collect()
}

fn tar(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, data.as_slice())
            .expect("tar append");
    }
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Symlink);
    h.set_size(0);
    h.set_cksum();
    b.append_link(&mut h, "b/etc/passwd", "/etc/passwd")
        .expect("tar link");
    b.into_inner().expect("tar finish")
}

/// A zstd frame of raw blocks (what a compressor emits for incompressible data).
fn zst(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38];
    let chunks: Vec<&[u8]> = data.chunks(128 << 10).collect();
    if chunks.is_empty() {
        out.extend_from_slice(&[1, 0, 0]);
    }
    for (i, c) in chunks.iter().enumerate() {
        let h = u32::from(i + 1 == chunks.len()) | ((c.len() as u32) << 3);
        out.extend_from_slice(&h.to_le_bytes()[..3]);
        out.extend_from_slice(c);
    }
    out
}

fn zip(files: &[(String, Vec<u8>)], method: zip::CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, data) in files {
        w.start_file(name.as_str(), opts).expect("zip start");
        w.write_all(data).expect("zip write");
    }
    w.add_symlink("b/host", "/etc/shadow", opts)
        .expect("zip link");
    w.finish().expect("zip finish").into_inner()
}

#[test]
#[ignore = "fuzz smoke, a CI step of its own: cargo test --test fuzz_smoke -- --ignored"]
fn archive_target() {
    // A small real bundle (the NFS sample, cut to 4 KiB a file so mutants stay small).
    let bundle: Vec<(String, Vec<u8>)> =
        files(&manifest().join("samples/nfs-helper-missing-adhoc"))
            .into_iter()
            .map(|(n, mut d)| {
                d.truncate(4096);
                (format!("b/{n}"), d)
            })
            .collect();
    let t = tar(&bundle);
    let nested = tar(&[("b/inner.tar.gz".to_string(), gz(&t))]);
    let mut seeds = vec![
        t.clone(),
        gz(&t),
        xz(&t),
        zst(&t),
        zip(&bundle, zip::CompressionMethod::Stored),
        zip(&bundle, zip::CompressionMethod::Deflated),
        nested,
        gz(&t)[..200].to_vec(),
        Vec::new(),
    ];
    seeds.extend(bundle.iter().map(|(_, d)| d.clone()));
    let dict: &[&[u8]] = &[
        b"ustar\x0000",
        b"ustar  \x00",
        b"PK\x03\x04",
        b"PK\x01\x02",
        b"PK\x05\x06",
        b"\x1f\x8b\x08",
        b"\xfd7zXZ\x00",
        b"\x28\xb5\x2f\xfd",
        b"././@LongLink",
        b"../../etc/passwd",
        b"MountVolume.SetUp failed for volume \"",
    ];
    drive("archive", &seeds, dict, 1200);
}

#[test]
#[ignore = "fuzz smoke, a CI step of its own: cargo test --test fuzz_smoke -- --ignored"]
fn parsers_target() {
    let texts = sample_texts();
    let mut seeds = Vec::new();
    // Each text under every parser: the selector is the first byte.
    for (_, text) in &texts {
        for selector in 0u8..16 {
            let mut s = vec![selector];
            s.extend_from_slice(text);
            seeds.push(s);
        }
    }
    let dict: &[&[u8]] = &[
        b"\n",
        b"\t",
        b" - ",
        b"\\040",
        b"\\",
        b"Name:",
        b"Namespace:",
        b"Containers:",
        b"Volumes:",
        b"Events:",
        b"LAST SEEN",
        b"NAME  STATUS  ROLES",
        b"{\"items\":[",
        b"{\"kind\":\"EventList\"",
        b"ii  ",
        b"rc  ",
        b"ID=",
        b"VERSION_ID=\"",
        b"Linux version ",
        b"//deleted",
        b"1:2.41-4.fc41",
        b"\"",
    ];
    drive("parsers", &seeds, dict, 6000);
}

#[test]
#[ignore = "fuzz smoke, a CI step of its own: cargo test --test fuzz_smoke -- --ignored"]
fn rules_target() {
    let seeds: Vec<Vec<u8>> = files(&manifest().join("rules"))
        .into_iter()
        .filter(|(n, _)| n.ends_with(".toml"))
        .map(|(_, d)| d)
        .collect();
    assert!(seeds.len() >= 20, "the rule pack");
    let dict: &[&[u8]] = &[
        b"[[signal]]\n",
        b"[[condition]]\n",
        b"[[example]]\n",
        b"[fix]\n",
        b"regex = '''",
        b"(?P<volume>",
        b"(?s)",
        b"{{ ",
        b"{% if ",
        b"{% endif %}",
        b" }}",
        b"version = \"",
        b"< 2.41.1",
        b"supersedes = [\"",
        b"\"\"\"",
        b"'''",
    ];
    drive("rules", &seeds, dict, 250);
}

#[test]
#[ignore = "fuzz smoke, a CI step of its own: cargo test --test fuzz_smoke -- --ignored"]
fn version_target() {
    let mut versions: Vec<String> = Vec::new();
    for (_, data) in files(&manifest().join("tests/data/versions")) {
        let text = String::from_utf8_lossy(&data).into_owned();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            versions.extend(line.split('\t').take(2).map(str::to_string));
        }
    }
    assert!(versions.len() > 100, "the version tables");
    let seeds: Vec<Vec<u8>> = versions
        .windows(3)
        .step_by(3)
        .map(|w| w.join("\n").into_bytes())
        .collect();
    let dict: &[&[u8]] = &[
        b"~", b"^", b":", b"-", b".", b"_", b"+", b"0", b"9", b"a", b"rc", b"_p", b"-r", b"\n",
        b">=", b"< ", b",",
    ];
    drive("version", &seeds, dict, 20_000);
}

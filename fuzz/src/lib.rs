//! The bodies of podmortem's fuzz targets, as plain functions of the input
//! bytes, so that the same code runs under libFuzzer (`fuzz_targets/*.rs`,
//! nightly, `cargo +nightly fuzz run NAME`) and under the stable smoke test
//! (`tests/fuzz_smoke.rs` in the main crate includes this file as a module).
//!
//! Only public APIs of the library are used. A target fails (panics) when
//! the library panics, and where an algebraic law is cheap to check (version
//! ordering), when the law does not hold.

use std::cmp::Ordering;
use std::sync::mpsc::sync_channel;
use std::sync::OnceLock;

use podmortem::ingest::{Limits, Sink};
use podmortem::parse;
use podmortem::report::model::BundleInfo;
use podmortem::report::render::{render, Format};
use podmortem::rules::load;
use podmortem::scan::{scan_text, Scanner};
use podmortem::version::{compare, upstream, Scheme, VersionRange};
use podmortem::{Analyzer, Options};

/// A target body: one input.
pub type Target = fn(&[u8]);

/// Every target, by the name cargo-fuzz knows it by.
pub const TARGETS: &[(&str, Target)] = &[
    ("archive", archive),
    ("parsers", parsers),
    ("rules", rules),
    ("version", version),
];

/// The built-in rule pack, compiled once.
fn builtin() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| match load::load(&load::builtin_sources()) {
        Ok(pack) => Analyzer::new(pack, Options::default()),
        Err(e) => panic!("the built-in pack does not load: {e}"),
    })
}

/// The stages after the scan, and every output format, on what a scan observed.
fn conclude(
    analyzer: &Analyzer,
    scanned: (
        podmortem::facts::Observations,
        podmortem::unrecognized::Tally,
    ),
) {
    let (obs, errors) = scanned;
    let bundle = BundleInfo {
        name: "fuzz".into(),
        bytes: 0,
        sha256: String::new(),
    };
    let report = analyzer.conclude(obs, &errors, bundle);
    for format in [Format::Json, Format::Markdown, Format::Html] {
        if let Err(e) = render(&report, format) {
            panic!("{format:?} does not render: {e}");
        }
    }
}

/// Small limits: a fuzzer should spend its time on structure, not on
/// inflating bombs (the limits themselves are covered by tests/hostile.rs).
fn fuzz_limits() -> Limits {
    Limits {
        max_entry_bytes: 8 << 20,
        max_total_bytes: 32 << 20,
        max_line_bytes: 64 << 10,
        max_depth: 5,
        max_entries: 10_000,
        max_zip_buffer_bytes: 8 << 20,
    }
}

/// Bytes as a bundle member: format sniffing, gzip/xz/zstd layers, tar and
/// zip (nested), then the whole analysis side (classify, parse, scan,
/// layout, evaluate, report, render) on what comes out.
pub fn archive(data: &[u8]) {
    let analyzer = builtin();
    let (tx, rx) = sync_channel(8);
    std::thread::scope(|s| {
        let reader = s.spawn(move || {
            let mut sink = Sink::new(tx, fuzz_limits());
            let mut input = data;
            sink.entry("bundle/input", &mut input, Some(data.len() as u64), 1)
        });
        let mut scanner = Scanner::new(analyzer.pack(), analyzer.matcher());
        for chunk in rx {
            scanner.feed(chunk);
        }
        // The sink only fails when the receiver hangs up, which it did not.
        match reader.join() {
            Ok(result) => assert!(result.is_ok(), "ingest failed: {result:?}"),
            Err(_) => panic!("the ingest thread panicked"),
        }
        conclude(analyzer, scanner.finish());
    });
}

/// Every parser of `src/parse` (and the classifier and record splitter that
/// feed them), chosen by the first byte; the rest is the text.
pub fn parsers(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let text = text.as_ref();
    match which % 16 {
        0 => {
            let _ = parse::packages::parse(text);
        }
        1 => {
            let _ = parse::packages::detect(text);
        }
        2 => {
            let _ = parse::mountinfo::parse(text);
        }
        3 => {
            let _ = parse::mountinfo::parse_mounts(text);
        }
        4 => {
            let _ = parse::mountinfo::unescape(text);
        }
        5 => {
            let _ = parse::os_release::parse(text);
        }
        6 => {
            let _ = parse::describe::parse(text);
        }
        7 => {
            let _ = parse::events::parse_table(text);
        }
        8 => {
            let _ = parse::events::parse_json(text);
        }
        9 => {
            let _ = parse::pods::parse_table(text);
        }
        10 => {
            let _ = parse::pods::parse_json(text);
        }
        11 => {
            let _ = parse::nodes::parse(text);
        }
        12 => {
            let _ = parse::versions::parse(text);
        }
        13 => {
            for line in text.lines() {
                let _ = parse::versions::from_log_line(line);
            }
        }
        14 => {
            let _ = podmortem::classify::classify("bundle/node-1/file", rest);
        }
        _ => {
            let _ = podmortem::records::split_records(text);
        }
    }
}

/// Bytes as a rule file: load (schema, regexes, templates), lint, and when
/// it loads, run its examples through the scanner and the evaluator, which
/// renders the fix templates from the captures.
pub fn rules(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let sources = vec![("rules/fuzz.toml".to_string(), text)];
    let _ = podmortem::rules::lint(&sources);
    let Ok(pack) = load::load(&sources) else {
        return;
    };
    let _ = podmortem::rules::test_examples(&pack);
    let analyzer = Analyzer::new(pack, Options::default());
    for rule in &analyzer.pack().rules {
        for example in &rule.spec.examples {
            let scanned = scan_text(
                analyzer.pack(),
                analyzer.matcher(),
                "bundle/node-1/kubelet.log",
                &example.text,
            );
            conclude(&analyzer, scanned);
        }
    }
}

const SCHEMES: [Scheme; 5] = [
    Scheme::Rpm,
    Scheme::Dpkg,
    Scheme::Pacman,
    Scheme::Apk,
    Scheme::Semver,
];

/// Up to three version strings separated by newlines: every scheme's
/// comparison must be reflexive, antisymmetric and transitive on them, and
/// range parsing and matching must not panic.
pub fn version(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let a = parts.next().unwrap_or_default();
    let b = parts.next().unwrap_or_default();
    let c = parts.next().unwrap_or_default();
    for scheme in SCHEMES {
        for v in [a, b, c] {
            assert_eq!(
                compare(scheme, v, v),
                Ordering::Equal,
                "{scheme:?}: {v:?} != itself"
            );
            let _ = upstream(scheme, v);
        }
        for (x, y) in [(a, b), (b, c), (a, c)] {
            assert_eq!(
                compare(scheme, x, y),
                compare(scheme, y, x).reverse(),
                "{scheme:?}: {x:?} vs {y:?} is not antisymmetric"
            );
        }
        // libalpm compares pkgrel only when both sides have one, so under
        // pacman `1.0-1 == 1.0 == 1.0-2` while `1.0-1 < 1.0-2`: equality is
        // not transitive across versions with and without a release. That
        // is pacman's documented behaviour, kept by the port; the law is
        // checked where all three agree on having a release.
        let releases = [a, b, c].map(|v| v.contains('-'));
        if scheme == Scheme::Pacman && releases.iter().any(|&r| r != releases[0]) {
            continue;
        }
        // On strings no packager writes (`.`, `.+x12`), the rpmvercmp family
        // is not transitive either: libalpm orders `12 < .+x12 < .` yet
        // `12 > .` (separator runs of different length decide first). The law
        // is checked on well-formed versions only.
        if ![a, b, c].iter().all(|v| well_formed(v)) {
            continue;
        }
        for [x, y, z] in [
            [a, b, c],
            [a, c, b],
            [b, a, c],
            [b, c, a],
            [c, a, b],
            [c, b, a],
        ] {
            let xy = compare(scheme, x, y);
            let yz = compare(scheme, y, z);
            if xy != Ordering::Greater && yz != Ordering::Greater {
                let xz = compare(scheme, x, z);
                let want = if xy == Ordering::Equal && yz == Ordering::Equal {
                    Ordering::Equal
                } else {
                    Ordering::Less
                };
                assert_eq!(
                    xz, want,
                    "{scheme:?}: {x:?} {xy:?} {y:?}, {y:?} {yz:?} {z:?}, but {x:?} {xz:?} {z:?}"
                );
            }
        }
        if let Ok(range) = VersionRange::parse(a) {
            let _ = range.contains(scheme, b);
            let _ = range.as_str();
        }
    }
}

/// A version as packagers write them: alphanumeric runs joined by single
/// separators, starting and ending alphanumeric, with a digit somewhere.
pub fn well_formed(v: &str) -> bool {
    let b = v.as_bytes();
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    b.first().is_some_and(alnum)
        && b.last().is_some_and(alnum)
        && b.iter().any(u8::is_ascii_digit)
        && b.iter().all(|c| alnum(c) || b".-+~^_:".contains(c))
        && b.windows(2).all(|w| w.iter().any(alnum))
}

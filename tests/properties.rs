//! Property tests: the parsers never panic, on arbitrary strings and on
//! line-shaped strings built from the tokens real artifacts are made of; and
//! the literal prefilter reports the same lines however it was fitted; and
//! version ordering is a total order under every scheme: reflexive,
//! antisymmetric, transitive, on generated versions and on the versions of
//! the reference tables (`tests/data/versions/*.tsv`, whose pairwise verdicts
//! `version.rs` already checks against the real tools).
//!
//! Known exceptions, both faithful to the real tools and excluded here:
//! libalpm (pacman) compares pkgrel only when both sides have one, so
//! `1.0-1 == 1.0 == 1.0-2 > 1.0-1` (equality is not transitive across versions
//! with and without a release); and on strings no packager writes (`.`,
//! `.+x12`) the rpmvercmp family is not transitive (see `fuzz/src/lib.rs`).

use std::cmp::Ordering;
use std::path::Path;

use proptest::prelude::*;

use podmortem::parse;
use podmortem::rules::prefilter::{Literal, Prefilter};
use podmortem::version::{compare, upstream, Scheme};

/// Every parser (and the record splitter and classifier in front of them).
fn parse_everything(text: &str) {
    let _ = parse::packages::parse(text);
    let _ = parse::packages::detect(text);
    let _ = parse::mountinfo::parse(text);
    let _ = parse::mountinfo::parse_mounts(text);
    let _ = parse::mountinfo::unescape(text);
    let _ = parse::os_release::parse(text);
    let _ = parse::describe::parse(text);
    let _ = parse::events::parse_table(text);
    let _ = parse::events::parse_json(text);
    let _ = parse::pods::parse_table(text);
    let _ = parse::pods::parse_json(text);
    let _ = parse::nodes::parse(text);
    let _ = parse::versions::parse(text);
    for line in text.lines() {
        let _ = parse::versions::from_log_line(line);
    }
    let _ = podmortem::records::split_records(text);
    let _ = podmortem::classify::classify("bundle/node-1/file", text.as_bytes());
}

/// What artifacts are made of: headers, separators, escapes, versions, paths.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    " ",
    "  ",
    "\t",
    ":",
    ",",
    "=",
    "\"",
    "'",
    "-",
    " - ",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "\\040",
    "\\n",
    "//deleted",
    "/",
    "/var/lib/kubelet/pods/",
    "volumes/kubernetes.io~nfs/",
    "0",
    "1",
    "42",
    "18446744073709551616",
    "-1",
    "1.2.3",
    "1:2.41-4.fc41",
    "2.41-1",
    "v1.27.3",
    "x86_64",
    "noarch",
    "Name:",
    "Namespace:",
    "Node:",
    "Status:",
    "Containers:",
    "Volumes:",
    "Mounts:",
    "Events:",
    "Type",
    "Reason",
    "Age",
    "From",
    "Message",
    "Warning",
    "Normal",
    "FailedMount",
    "kubelet, node-1",
    "LAST SEEN",
    "TYPE",
    "REASON",
    "OBJECT",
    "MESSAGE",
    "NAME",
    "STATUS",
    "ROLES",
    "AGE",
    "VERSION",
    "Ready",
    "NotReady",
    "READY",
    "RESTARTS",
    "1/1",
    "Running",
    "{\"items\":[",
    "\"metadata\":{",
    "\"name\":",
    "\"kind\":\"EventList\"",
    "null",
    "ii",
    "rc",
    "un",
    "Desired=Unknown",
    "||/",
    "ID=",
    "ID_LIKE=",
    "VERSION_ID=",
    "PRETTY_NAME=",
    "Linux version ",
    "5.14.0-362.24.1.el9_3.x86_64",
    "containerd",
    "kata",
    "GitVersion:",
    "nfs4",
    "xfs",
    "rw,relatime",
    "shared:1",
    "master:2",
    "E0614 09:12:03.441201    2211 x.go:1] ",
    "Jun 14 09:12:03 worker-1 kubelet[2211]: ",
    "\u{fffd}",
    "é",
    "日本",
];

fn line_shaped() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..300).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic_on_arbitrary_strings(s in any::<String>()) {
        parse_everything(&s);
    }

    #[test]
    fn parsers_never_panic_on_line_shaped_strings(s in line_shaped()) {
        parse_everything(&s);
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_bytes_read_lossily(b in prop::collection::vec(any::<u8>(), 0..2048)) {
        parse_everything(&String::from_utf8_lossy(&b));
    }
}

const SCHEMES: [Scheme; 5] = [
    Scheme::Rpm,
    Scheme::Dpkg,
    Scheme::Pacman,
    Scheme::Apk,
    Scheme::Semver,
];

/// Versions as each ecosystem writes them (kept to a small alphabet so that
/// equal and close versions are common, which is where order bugs live).
fn version(scheme: Scheme) -> BoxedStrategy<String> {
    let re = match scheme {
        // [epoch:]version[~pre|^post][-release]
        Scheme::Rpm => {
            r"([0-2]:)?[0-9]{1,2}(\.[0-9a-c]{1,2}){0,3}(~rc[0-9]|\^[0-9])?(-[0-9]{1,2}(\.el[89]|\.fc4[01])?)?"
        }
        // [epoch:]upstream[-revision]; upstream starts with a digit, may hold + . ~
        Scheme::Dpkg => {
            r"([0-2]:)?[0-9]{1,2}(\.[0-9a-c]{1,2}){0,3}(~rc[0-9]|\+dfsg[0-9]?)?(-[0-9]{1,2}(ubuntu[0-9])?)?"
        }
        // Every version with a release: pkgrel only counts when both sides have one.
        Scheme::Pacman => {
            r"([0-2]:)?[0-9]{1,2}(\.[0-9a-c]{1,2}){0,3}(rc[0-9])?-[0-9]{1,2}(\.[0-9])?"
        }
        // number(.number)*[letter](_suffix[number])*[-rN]
        Scheme::Apk => {
            r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}[a-c]?(_(alpha|beta|pre|rc|p)[0-9]?){0,2}(-r[0-9]{1,2})?"
        }
        // v?major.minor.patch[-pre][+build], or a kernel release
        Scheme::Semver => {
            r"v?[0-9]{1,2}(\.[0-9]{1,2}){0,2}(-(rc|alpha|beta)\.?[0-9]?|-[0-9]{1,3}\.el9(_[0-9])?\.x86_64|\+[a-z0-9]{1,4})?"
        }
    };
    proptest::string::string_regex(re)
        .expect("version regex")
        .boxed()
}

fn laws(scheme: Scheme, a: &str, b: &str, c: &str) -> Result<(), TestCaseError> {
    for v in [a, b, c] {
        prop_assert_eq!(compare(scheme, v, v), Ordering::Equal, "{:?} {}", scheme, v);
    }
    for (x, y) in [(a, b), (b, c), (a, c)] {
        prop_assert_eq!(
            compare(scheme, x, y),
            compare(scheme, y, x).reverse(),
            "{:?}: {} vs {}",
            scheme,
            x,
            y
        );
    }
    for [x, y, z] in [
        [a, b, c],
        [a, c, b],
        [b, a, c],
        [b, c, a],
        [c, a, b],
        [c, b, a],
    ] {
        let (xy, yz, xz) = (
            compare(scheme, x, y),
            compare(scheme, y, z),
            compare(scheme, x, z),
        );
        if xy != Ordering::Greater && yz != Ordering::Greater {
            let want = if xy == Ordering::Equal && yz == Ordering::Equal {
                Ordering::Equal
            } else {
                Ordering::Less
            };
            prop_assert_eq!(
                xz,
                want,
                "{:?}: {} {:?} {} {:?} {}",
                scheme,
                x,
                xy,
                y,
                yz,
                z
            );
        }
    }
    Ok(())
}

/// Three versions of one scheme, often sharing a prefix (close versions).
fn triple(scheme: Scheme) -> impl Strategy<Value = (String, String, String)> {
    let v = version(scheme);
    (v.clone(), v.clone(), v, 0usize..4).prop_map(|(a, b, c, share)| {
        // Make b and c variations of a sometimes: same start, different tail.
        match share {
            0 => (a, b, c),
            1 => {
                let b2 = format!("{a}.{}", b.len() % 3);
                (a, b2, c)
            }
            _ => (a.clone(), a.clone(), c),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn rpm_order_is_total((a, b, c) in triple(Scheme::Rpm)) { laws(Scheme::Rpm, &a, &b, &c)?; }

    #[test]
    fn dpkg_order_is_total((a, b, c) in triple(Scheme::Dpkg)) { laws(Scheme::Dpkg, &a, &b, &c)?; }

    #[test]
    fn pacman_order_is_total_among_versions_with_a_release((a, b, c) in triple(Scheme::Pacman)) {
        laws(Scheme::Pacman, &a, &b, &c)?;
    }

    #[test]
    fn apk_order_is_total((a, b, c) in triple(Scheme::Apk)) { laws(Scheme::Apk, &a, &b, &c)?; }

    #[test]
    fn semver_order_is_total((a, b, c) in triple(Scheme::Semver)) { laws(Scheme::Semver, &a, &b, &c)?; }

    #[test]
    fn upstream_is_part_of_the_version(v in version(Scheme::Rpm), s in 0usize..5) {
        let scheme = SCHEMES[s];
        let up = upstream(scheme, &v);
        prop_assert!(v.contains(up), "{:?}: {} -> {}", scheme, v, up);
    }
}

/// The versions of one reference table (both columns), deduplicated.
fn table(name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/versions")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("reference table");
    let mut v: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.split('\t').take(2).map(str::to_string))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Sorting the whole table with `compare` and checking every pair against
/// the sorted order is the strongest form of the laws on real data: a
/// non-transitive comparison leaves some pair out of order.
fn assert_total_on_table(scheme: Scheme, name: &str, keep: impl Fn(&str) -> bool) {
    let mut v: Vec<String> = table(name).into_iter().filter(|s| keep(s)).collect();
    assert!(v.len() > 100, "{name}: {} versions", v.len());
    v.sort_by(|a, b| compare(scheme, a, b));
    let mut bad = Vec::new();
    for (i, a) in v.iter().enumerate() {
        assert_eq!(compare(scheme, a, a), Ordering::Equal, "{a}");
        for b in v.iter().skip(i + 1) {
            let ab = compare(scheme, a, b);
            if ab == Ordering::Greater || ab != compare(scheme, b, a).reverse() {
                bad.push(format!("{a} {ab:?} {b}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{scheme:?} ({name}): {} pairs out of order: {:?}",
        bad.len(),
        &bad[..bad.len().min(10)]
    );
}

#[test]
fn rpm_reference_versions_sort_consistently() {
    assert_total_on_table(Scheme::Rpm, "rpm.tsv", |_| true);
}

#[test]
fn dpkg_reference_versions_sort_consistently() {
    assert_total_on_table(Scheme::Dpkg, "dpkg.tsv", |_| true);
}

#[test]
fn pacman_reference_versions_sort_consistently() {
    // Within each group: all with a release, all without; and only the
    // well-formed versions (the table also holds random strings, on which
    // libalpm itself is not transitive; see the module doc).
    let has_release = |v: &str| v.contains('-');
    assert_total_on_table(Scheme::Pacman, "pacman.tsv", |v| {
        well_formed(v) && has_release(v)
    });
    assert_total_on_table(Scheme::Pacman, "pacman.tsv", |v| {
        well_formed(v) && !has_release(v)
    });
}

/// A version as packagers write them: alphanumeric runs joined by single
/// separators, starting and ending alphanumeric, with a digit somewhere
/// (the same predicate as the `version` fuzz target's).
fn well_formed(v: &str) -> bool {
    let b = v.as_bytes();
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    b.first().is_some_and(alnum)
        && b.last().is_some_and(alnum)
        && b.iter().any(u8::is_ascii_digit)
        && b.iter().all(|c| alnum(c) || b".-+~^_:".contains(c))
        && b.windows(2).all(|w| w.iter().any(alnum))
}

/// Literals over a small alphabet, so that literals overlap, nest and share
/// prefixes and suffixes, and text is full of their near-misses.
fn literal_set() -> impl Strategy<Value = Vec<Literal>> {
    prop::collection::vec(("[ab c]{1,8}", prop::option::of(0usize..2)), 1..12).prop_map(|v| {
        v.into_iter()
            .map(|(text, probe_only)| Literal { text, probe_only })
            .collect()
    })
}

/// What the prefilter promises, per line of `text`: a candidate exactly when
/// the line holds a literal, and marked with a probe exactly when every
/// literal on the line leads to that one probe.
fn expected_lines(literals: &[Literal], text: &str) -> Vec<(usize, Option<usize>)> {
    let mut out = Vec::new();
    for (no, line) in text.split('\n').enumerate() {
        let on_line: Vec<&Literal> = literals.iter().filter(|l| line.contains(&l.text)).collect();
        let Some(first) = on_line.first() else {
            continue;
        };
        let probe = first
            .probe_only
            .filter(|_| on_line.iter().all(|l| l.probe_only == first.probe_only));
        out.push((no, probe));
    }
    out
}

fn reported_lines(p: &Prefilter, text: &str) -> Vec<(usize, Option<usize>)> {
    let mut hits = Vec::new();
    p.hit_offsets(text.as_bytes(), &mut hits);
    hits.iter()
        .map(|c| (text[..c.offset].matches('\n').count(), c.probe_only))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// The fitted prefilter searches suffixes chosen from a sample; whatever
    /// the sample, it reports the lines the plain one does, and those are the
    /// lines that hold a literal.
    #[test]
    fn a_prefilter_reports_the_lines_holding_a_literal_whatever_it_was_fitted_to(
        literals in literal_set(),
        text in "[ab c\n]{0,300}",
        other in "[ab c\n]{0,300}",
    ) {
        let expected = expected_lines(&literals, &text);
        prop_assert_eq!(reported_lines(&Prefilter::new(&literals), &text), expected.clone());
        prop_assert_eq!(reported_lines(&Prefilter::fitted(&literals, text.as_bytes()), &text), expected.clone());
        prop_assert_eq!(reported_lines(&Prefilter::fitted(&literals, other.as_bytes()), &text), expected);
    }
}

/// Go/JSON escapes undone one char at a time, as the rule says: a run of
/// backslashes before a quote goes, one before `n` or `t` of odd length is the
/// newline or tab, any other run keeps half its backslashes (rounded up).
fn unescaped_char_by_char(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut run: usize = 1;
        while chars.peek() == Some(&'\\') {
            chars.next();
            run += 1;
        }
        match chars.peek() {
            Some('"') => {}
            Some('n') if run % 2 == 1 => {
                chars.next();
                out.push('\n');
            }
            Some('t') if run % 2 == 1 => {
                chars.next();
                out.push('\t');
            }
            _ => out.extend(std::iter::repeat_n('\\', run.div_ceil(2))),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    /// `normalize` copies text a run at a time between backslashes; it undoes
    /// escapes exactly as reading one char at a time does, Unicode included.
    #[test]
    fn normalize_undoes_escapes_as_a_char_by_char_reading_does(
        lines in prop::collection::vec(r#"[ab\\"nt é]{0,24}"#, 1..4),
    ) {
        let cows: Vec<std::borrow::Cow<'_, str>> =
            lines.iter().map(|l| std::borrow::Cow::Borrowed(l.as_str())).collect();
        prop_assert_eq!(
            podmortem::records::normalize(&cows),
            unescaped_char_by_char(&lines.join("\n"))
        );
    }
}

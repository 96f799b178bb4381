//! Version ordering as each package manager orders it, and version ranges.
//!
//! This module owns every "is this package older than the fix?" question in
//! podmortem: [`compare`] orders two full version strings exactly as rpm,
//! dpkg, pacman or apk would (ports of `rpmvercmp`/`rpmverCmp`, dpkg's
//! `verrevcmp`, libalpm's `alpm_pkg_vercmp` and apk-tools' tokenizer), plus a
//! lenient dotted order for component versions (Kubernetes, containerd,
//! kernels). [`VersionRange`] holds the bounds a rule is written with; rule
//! authors bound the *upstream* version, so [`VersionRange::contains`] strips
//! epoch and release with [`upstream`] before comparing.
//!
//! Nothing here panics on any input: bytes are read through `at()`, which
//! yields 0 past the end exactly like the C originals reading a NUL.
//! The rpm, dpkg and pacman ports are checked against verdicts of the real
//! tools in `tests/data/versions/` (see the README there).
//!
//! Over 900 lines: about 780 of ordering code for five schemes and their ranges,
//! and the tests that pin each scheme to pairs the real tools ordered; kept in
//! one file so each rule sits next to the cases that prove it.

use std::cmp::Ordering;
use std::fmt;

/// Which package manager's rules order the versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    Rpm,
    Dpkg,
    Pacman,
    Apk,
    Semver,
}

/// Compare two full version strings under a scheme.
///
/// Rpm: `[epoch:]version[-release]` as `rpm.vercmp` (rpm 4.18) orders it: a
/// missing epoch is 0, a missing release sorts before any release.
/// Dpkg: `[epoch:]upstream[-revision]` by Debian policy. Pacman: libalpm's
/// `alpm_pkg_vercmp`, whose segment compare differs from rpm's (`~` and `^`
/// are plain separators; a trailing letter segment sorts *before* the end) and
/// whose pkgrel counts only when both sides have one. Apk: apk-tools 2.14/3.x
/// ordering; a version that turns invalid (e.g. `_foo`) sorts below one still
/// valid at that point. Semver: a lenient dotted numeric order for component
/// and kernel versions (pre-release < release < vendor/kernel suffix).
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Ordering {
    match scheme {
        Scheme::Rpm => rpm_compare(a.trim(), b.trim()),
        Scheme::Dpkg => dpkg_compare(a, b),
        Scheme::Pacman => pacman_compare(a.trim(), b.trim()),
        Scheme::Apk => apk_compare(a.trim().as_bytes(), b.trim().as_bytes()),
        Scheme::Semver => semver_compare(a, b),
    }
}

/// The upstream part of a full version: without `epoch:` and without the
/// last `-release` (Rpm, Pacman, Dpkg) or the trailing `-rN` (Apk). Semver
/// versions have no packaging parts, so they come back only trimmed.
pub fn upstream(scheme: Scheme, full: &str) -> &str {
    let full = full.trim();
    match scheme {
        Scheme::Rpm | Scheme::Pacman => split_evr(full).1,
        Scheme::Dpkg => dpkg_split(full).1,
        Scheme::Apk => apk_upstream(full),
        Scheme::Semver => full,
    }
}

/// Orders two upstream parts the way the scheme orders that part of a version.
fn compare_upstream(scheme: Scheme, a: &str, b: &str) -> Ordering {
    match scheme {
        Scheme::Rpm => rpmvercmp(a.as_bytes(), b.as_bytes()),
        Scheme::Pacman => alpm_rpmvercmp(a.as_bytes(), b.as_bytes()),
        Scheme::Dpkg => verrevcmp(a.as_bytes(), b.as_bytes()),
        Scheme::Apk => apk_compare(a.as_bytes(), b.as_bytes()),
        Scheme::Semver => semver_compare(a, b),
    }
}

// ---------------------------------------------------------------------------
// Shared byte helpers

/// The byte at `i`, or 0 past the end: the C algorithms stop on NUL, and
/// reading through this keeps their control flow while never indexing.
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// End of the run starting at `i` whose bytes satisfy `pred`.
fn span(s: &[u8], mut i: usize, pred: fn(&u8) -> bool) -> usize {
    while s.get(i).is_some_and(pred) {
        i += 1;
    }
    i
}

fn slice(s: &[u8], from: usize, to: usize) -> &[u8] {
    s.get(from..to).unwrap_or(&[])
}

/// Numeric order of two digit strings of any length (no overflow): leading
/// zeros dropped, then the longer number is larger, then byte order.
fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let a = slice(a, span(a, 0, |c| *c == b'0'), a.len());
    let b = slice(b, span(b, 0, |c| *c == b'0'), b.len());
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

// ---------------------------------------------------------------------------
// rpm and pacman: `[epoch:]version[-release]`

/// Splits like rpm's and libalpm's `parseEVR`: an epoch only when the string
/// opens with digits followed by `:` (an empty epoch is "0"); the release is
/// everything after the last `-`.
fn split_evr(s: &str) -> (Option<&str>, &str, Option<&str>) {
    let digits = span(s.as_bytes(), 0, u8::is_ascii_digit);
    let (epoch, rest) = match (s.get(..digits), s.get(digits..)) {
        (Some(e), Some(r)) if r.starts_with(':') => (
            Some(if e.is_empty() { "0" } else { e }),
            r.get(1..).unwrap_or(""),
        ),
        _ => (None, s),
    };
    match rest.rsplit_once('-') {
        Some((version, release)) => (epoch, version, Some(release)),
        None => (epoch, rest, None),
    }
}

/// rpm 4.18 `rpmverCmp`: unlike dependency matching, a missing release sorts
/// before a present one (`1.0 < 1.0-1`), as `rpm.vercmp` shows.
fn rpm_compare(a: &str, b: &str) -> Ordering {
    let (ea, va, ra) = split_evr(a);
    let (eb, vb, rb) = split_evr(b);
    let ea = ea.unwrap_or("0").as_bytes();
    let eb = eb.unwrap_or("0").as_bytes();
    rpmvercmp(ea, eb)
        .then_with(|| rpmvercmp(va.as_bytes(), vb.as_bytes()))
        .then_with(|| match (ra, rb) {
            (Some(x), Some(y)) => rpmvercmp(x.as_bytes(), y.as_bytes()),
            (x, y) => x.is_some().cmp(&y.is_some()),
        })
}

fn is_rpm_sep(c: u8) -> bool {
    c != 0 && !c.is_ascii_alphanumeric() && c != b'~' && c != b'^'
}

/// rpm's `rpmvercmp` (lib/rpmvercmp.c, rpm 4.15+ with `^`).
fn rpmvercmp(a: &[u8], b: &[u8]) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (mut i, mut j) = (0, 0);
    while at(a, i) != 0 || at(b, j) != 0 {
        while is_rpm_sep(at(a, i)) {
            i += 1;
        }
        while is_rpm_sep(at(b, j)) {
            j += 1;
        }
        let (ca, cb) = (at(a, i), at(b, j));
        // `~` sorts before everything, even the end of the string.
        if ca == b'~' || cb == b'~' {
            if ca != b'~' {
                return Ordering::Greater;
            }
            if cb != b'~' {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        // `^` sorts after the end of the string but before anything else.
        if ca == b'^' || cb == b'^' {
            if ca == 0 {
                return Ordering::Less;
            }
            if cb == 0 {
                return Ordering::Greater;
            }
            if ca != b'^' {
                return Ordering::Greater;
            }
            if cb != b'^' {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == 0 || cb == 0 {
            break;
        }
        let ord = segment_cmp(a, &mut i, b, &mut j);
        if ord.is_ne() {
            return ord;
        }
    }
    (at(a, i) != 0).cmp(&(at(b, j) != 0))
}

/// One all-digit or all-letter segment of each side, as both rpmvercmp
/// flavours compare it; advances `i` and `j` past the segments. The kind is
/// taken from `a`; if `b` has none of that kind, digits win over letters.
fn segment_cmp(a: &[u8], i: &mut usize, b: &[u8], j: &mut usize) -> Ordering {
    let is_num = at(a, *i).is_ascii_digit();
    let pred: fn(&u8) -> bool = if is_num {
        u8::is_ascii_digit
    } else {
        u8::is_ascii_alphabetic
    };
    let (ea, eb) = (span(a, *i, pred), span(b, *j, pred));
    if eb == *j {
        return if is_num {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    let (sa, sb) = (slice(a, *i, ea), slice(b, *j, eb));
    *i = ea;
    *j = eb;
    if is_num {
        cmp_digits(sa, sb)
    } else {
        sa.cmp(sb)
    }
}

/// libalpm `alpm_pkg_vercmp` (pacman 6): epoch always defaults to 0 and the
/// pkgrel only counts when both sides have one (`1.0 == 1.0-1`).
fn pacman_compare(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (ea, va, ra) = split_evr(a);
    let (eb, vb, rb) = split_evr(b);
    let ea = ea.unwrap_or("0").as_bytes();
    let eb = eb.unwrap_or("0").as_bytes();
    alpm_rpmvercmp(ea, eb)
        .then_with(|| alpm_rpmvercmp(va.as_bytes(), vb.as_bytes()))
        .then_with(|| match (ra, rb) {
            (Some(x), Some(y)) => alpm_rpmvercmp(x.as_bytes(), y.as_bytes()),
            _ => Ordering::Equal,
        })
}

/// libalpm's own copy of rpmvercmp: no `~`/`^` specials, separator runs of
/// different length decide (`1.0 < 1..0`), and a leftover letter segment
/// loses to the end of the string (`1.0a < 1.0`), unlike rpm.
fn alpm_rpmvercmp(a: &[u8], b: &[u8]) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let is_sep = |c: u8| c != 0 && !c.is_ascii_alphanumeric();
    let (mut i, mut j) = (0, 0);
    // Where the previous segment ended, to measure separator runs.
    let (mut pi, mut pj) = (0, 0);
    while at(a, i) != 0 && at(b, j) != 0 {
        while is_sep(at(a, i)) {
            i += 1;
        }
        while is_sep(at(b, j)) {
            j += 1;
        }
        if at(a, i) == 0 || at(b, j) == 0 {
            break;
        }
        let (sep_a, sep_b) = (i - pi, j - pj);
        if sep_a != sep_b {
            return sep_a.cmp(&sep_b);
        }
        let ord = segment_cmp(a, &mut i, b, &mut j);
        if ord.is_ne() {
            return ord;
        }
        pi = i;
        pj = j;
    }
    let (ca, cb) = (at(a, i), at(b, j));
    if ca == 0 && cb == 0 {
        Ordering::Equal
    } else if (ca == 0 && !cb.is_ascii_alphabetic()) || ca.is_ascii_alphabetic() {
        Ordering::Less
    } else {
        Ordering::Greater
    }
}

// ---------------------------------------------------------------------------
// dpkg: `[epoch:]upstream[-revision]`

/// Splits like dpkg's `parseversion`: the epoch is before the *first* `:` and
/// must be a number (strtol allows a sign); the revision follows the *last*
/// `-`. A string dpkg would reject is compared leniently as all upstream.
fn dpkg_split(s: &str) -> (&str, &str, &str) {
    let s = s.trim_matches(|c| c == ' ' || c == '\t');
    let (epoch, rest) = match s.split_once(':') {
        Some((e, rest)) if valid_dpkg_epoch(e) => (e.trim_start_matches(['+', '-']), rest),
        _ => ("0", s),
    };
    match rest.rsplit_once('-') {
        Some((up, rev)) => (epoch, up, rev),
        None => (epoch, rest, ""),
    }
}

fn valid_dpkg_epoch(e: &str) -> bool {
    let (negative, digits) = match e.as_bytes().first() {
        Some(b'+') => (false, e.get(1..).unwrap_or("")),
        Some(b'-') => (true, e.get(1..).unwrap_or("")),
        _ => (false, e),
    };
    !digits.is_empty()
        && digits.bytes().all(|c| c.is_ascii_digit())
        && (!negative || digits.bytes().all(|c| c == b'0'))
}

fn dpkg_compare(a: &str, b: &str) -> Ordering {
    let (ea, ua, ra) = dpkg_split(a);
    let (eb, ub, rb) = dpkg_split(b);
    cmp_digits(ea.as_bytes(), eb.as_bytes())
        .then_with(|| verrevcmp(ua.as_bytes(), ub.as_bytes()))
        .then_with(|| verrevcmp(ra.as_bytes(), rb.as_bytes()))
}

/// Sort weight of a non-digit byte: `~` before the end, the end before
/// letters, letters before every other symbol.
fn dpkg_order(c: u8) -> i32 {
    match c {
        b'~' => -1,
        0 => 0,
        c if c.is_ascii_digit() => 0,
        c if c.is_ascii_alphabetic() => i32::from(c),
        c => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp` (lib/dpkg/version.c).
fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    let non_digit = |c: u8| c != 0 && !c.is_ascii_digit();
    while at(a, i) != 0 || at(b, j) != 0 {
        while non_digit(at(a, i)) || non_digit(at(b, j)) {
            let (oa, ob) = (dpkg_order(at(a, i)), dpkg_order(at(b, j)));
            if oa != ob {
                return oa.cmp(&ob);
            }
            i += 1;
            j += 1;
        }
        let (ea, eb) = (
            span(a, i, u8::is_ascii_digit),
            span(b, j, u8::is_ascii_digit),
        );
        let ord = cmp_digits(slice(a, i, ea), slice(b, j, eb));
        if ord.is_ne() {
            return ord;
        }
        i = ea;
        j = eb;
    }
    Ordering::Equal
}

// ---------------------------------------------------------------------------
// apk: `digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}`

/// Token kinds in the order apk-tools declares them: a side whose next token
/// kind is *larger* is the *older* version (e.g. END after `1.0` loses to a
/// further `.1`), and INVALID sorts below everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ApkToken {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    CommitHash,
    RevisionNo,
    End,
    Invalid,
}

/// `_alpha` .. `_rc` sort before no suffix, `_cvs` .. `_p` after it.
const APK_SUFFIXES: [&[u8]; 9] = [
    b"alpha", b"beta", b"pre", b"rc", b"cvs", b"svn", b"git", b"hg", b"p",
];
const APK_SUFFIX_NONE: usize = 4;

struct ApkState<'a> {
    token: ApkToken,
    suffix: usize,
    value: &'a [u8],
    pos: usize,
}

impl<'a> ApkState<'a> {
    fn first(s: &'a [u8]) -> Self {
        let mut st = ApkState {
            token: ApkToken::InitialDigit,
            suffix: 0,
            value: &[],
            pos: 0,
        };
        st.digits(s);
        st
    }

    fn digits(&mut self, s: &'a [u8]) {
        let end = span(s, self.pos, u8::is_ascii_digit);
        self.value = slice(s, self.pos, end);
        self.pos = end;
        if self.value.is_empty() {
            self.token = ApkToken::Invalid;
        }
    }

    /// Reads the next token; which kinds may follow which is what makes a
    /// version valid (e.g. no letter after a suffix, nothing after `-rN`).
    fn next(&mut self, s: &'a [u8]) {
        use ApkToken::*;
        let c = at(s, self.pos);
        if self.pos >= s.len() {
            self.token = End;
            return;
        }
        let prev = self.token;
        self.token = match c {
            b'a'..=b'z' if prev <= Digit => {
                self.value = slice(s, self.pos, self.pos + 1);
                self.pos += 1;
                Letter
            }
            b'.' | b'0'..=b'9' if prev <= Digit || (c != b'.' && prev == Suffix) => {
                if c == b'.' {
                    self.pos += 1;
                }
                self.token = if prev == Suffix { SuffixNo } else { Digit };
                self.digits(s);
                return;
            }
            b'_' if prev <= SuffixNo => {
                let end = span(s, self.pos + 1, u8::is_ascii_lowercase);
                self.value = slice(s, self.pos + 1, end);
                self.pos = end;
                match APK_SUFFIXES.iter().position(|x| *x == self.value) {
                    Some(n) => {
                        self.suffix = if n < APK_SUFFIX_NONE { n } else { n + 1 };
                        Suffix
                    }
                    None => Invalid,
                }
            }
            b'~' if prev < CommitHash => {
                let is_hex = |c: &u8| c.is_ascii_digit() || (b'a'..=b'f').contains(c);
                let end = span(s, self.pos + 1, is_hex);
                self.value = slice(s, self.pos + 1, end);
                self.pos = end;
                if self.value.is_empty() {
                    Invalid
                } else {
                    CommitHash
                }
            }
            b'-' if prev < RevisionNo && at(s, self.pos + 1) == b'r' => {
                self.pos += 2;
                self.token = RevisionNo;
                self.digits(s);
                return;
            }
            _ => Invalid,
        };
    }

    fn cmp_value(&self, other: &ApkState) -> Ordering {
        match self.token {
            // A leading zero after a dot means "compare as a string", which
            // makes 1.01 < 1.1 and 1.001 < 1.01 the way Gentoo specifies.
            ApkToken::Digit if at(self.value, 0) == b'0' || at(other.value, 0) == b'0' => {
                self.value.cmp(other.value)
            }
            ApkToken::InitialDigit
            | ApkToken::Digit
            | ApkToken::SuffixNo
            | ApkToken::RevisionNo => cmp_digits(self.value, other.value),
            ApkToken::Suffix => self.suffix.cmp(&other.suffix),
            _ => self.value.cmp(other.value),
        }
    }
}

/// apk-tools `apk_version_compare` (src/version.c, 2.14 / 3.x).
fn apk_compare(a: &[u8], b: &[u8]) -> Ordering {
    let (mut ta, mut tb) = (ApkState::first(a), ApkState::first(b));
    while ta.token == tb.token && ta.token < ApkToken::End {
        let ord = ta.cmp_value(&tb);
        if ord.is_ne() {
            return ord;
        }
        ta.next(a);
        tb.next(b);
    }
    if ta.token == tb.token {
        return Ordering::Equal;
    }
    // The longer version is newer unless what it has more of is a pre-release.
    let pre = |t: &ApkState| t.token == ApkToken::Suffix && t.suffix < APK_SUFFIX_NONE;
    if pre(&ta) {
        return Ordering::Less;
    }
    if pre(&tb) {
        return Ordering::Greater;
    }
    tb.token.cmp(&ta.token)
}

fn apk_upstream(s: &str) -> &str {
    match s.rsplit_once("-r") {
        Some((up, rev)) if !rev.is_empty() && rev.bytes().all(|c| c.is_ascii_digit()) => up,
        _ => s,
    }
}

// ---------------------------------------------------------------------------
// Semver-ish: component versions and kernels

/// Pre-release words and their rank; any other word is a vendor qualifier
/// (`-eks-8ccc7ba`, `-gke.100`, `.el9`) that sorts after the plain release, so
/// a vendor build of 1.27.4 is not mistaken for something older than 1.27.4.
fn prerelease_rank(word: &[u8]) -> Option<u8> {
    const WORDS: [(&[u8], u8); 7] = [
        (b"dev", 0),
        (b"snapshot", 0),
        (b"alpha", 1),
        (b"beta", 2),
        (b"pre", 3),
        (b"preview", 3),
        (b"rc", 4),
    ];
    WORDS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, r)| *r)
}

/// One alphanumeric run of the part after the numeric core. Tokens order as
/// pre-release words < other words < numbers, so that `el9` < `8` in a
/// kernel release just as rpm orders letters before digits.
#[derive(Debug)]
enum SemToken<'a> {
    Pre(u8),
    Word(&'a [u8]),
    Num(&'a [u8]),
}

impl PartialEq for SemToken<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SemToken<'_> {}

impl Ord for SemToken<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        use SemToken::*;
        let kind = |t: &SemToken| match t {
            Pre(_) => 0,
            Word(_) => 1,
            Num(_) => 2,
        };
        match (self, other) {
            (Pre(a), Pre(b)) => a.cmp(b),
            (Word(a), Word(b)) => a.cmp(b),
            (Num(a), Num(b)) => cmp_digits(a, b),
            _ => kind(self).cmp(&kind(other)),
        }
    }
}

impl PartialOrd for SemToken<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn sem_tokens(s: &[u8]) -> impl Iterator<Item = SemToken<'_>> {
    let mut i = 0;
    std::iter::from_fn(move || {
        i = span(s, i, |c| !c.is_ascii_alphanumeric());
        let start = i;
        if at(s, i).is_ascii_digit() {
            i = span(s, i, u8::is_ascii_digit);
            return Some(SemToken::Num(slice(s, start, i)));
        }
        i = span(s, i, u8::is_ascii_alphabetic);
        let word = slice(s, start, i);
        (!word.is_empty())
            .then(|| prerelease_rank(word).map_or(SemToken::Word(word), SemToken::Pre))
    })
}

/// Splits `v1.2.3-rc1+k3s1` into the numeric core `1.2.3` and the rest
/// `-rc1`; build metadata after `+` is dropped.
fn semver_parts(s: &str) -> (&[u8], &[u8]) {
    let s = s.trim();
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let s = s.split_once('+').map_or(s, |(v, _)| v).as_bytes();
    let mut end = span(s, 0, u8::is_ascii_digit);
    while end > 0 && at(s, end) == b'.' && at(s, end + 1).is_ascii_digit() {
        end = span(s, end + 1, u8::is_ascii_digit);
    }
    (slice(s, 0, end), slice(s, end, s.len()))
}

/// Numeric core with missing segments as 0; then pre-release < plain release
/// < anything else (kernel release, distro or vendor qualifier); then the
/// rest token by token, a longer rest being newer.
fn semver_compare(a: &str, b: &str) -> Ordering {
    let (core_a, rest_a) = semver_parts(a);
    let (core_b, rest_b) = semver_parts(b);
    let mut segs_a = core_a.split(|c| *c == b'.').filter(|x| !x.is_empty());
    let mut segs_b = core_b.split(|c| *c == b'.').filter(|x| !x.is_empty());
    loop {
        match (segs_a.next(), segs_b.next()) {
            (None, None) => break,
            (x, y) => match cmp_digits(x.unwrap_or(b"0"), y.unwrap_or(b"0")) {
                Ordering::Equal => {}
                other => return other,
            },
        }
    }
    let class = |rest: &[u8]| match sem_tokens(rest).next() {
        Some(SemToken::Pre(_)) => 0,
        None => 1,
        Some(_) => 2,
    };
    class(rest_a)
        .cmp(&class(rest_b))
        .then_with(|| sem_tokens(rest_a).cmp(sem_tokens(rest_b)))
}

// ---------------------------------------------------------------------------
// Ranges

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Op {
    /// Longest spellings first so `<=` is not read as `<` then `=`.
    const SPELLINGS: [(&'static str, Op); 7] = [
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("=", Op::Eq),
    ];

    fn accepts(self, version_vs_bound: Ordering) -> bool {
        match self {
            Op::Lt => version_vs_bound == Ordering::Less,
            Op::Le => version_vs_bound != Ordering::Greater,
            Op::Gt => version_vs_bound == Ordering::Greater,
            Op::Ge => version_vs_bound != Ordering::Less,
            Op::Eq => version_vs_bound == Ordering::Equal,
            Op::Ne => version_vs_bound != Ordering::Equal,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Bound {
    op: Op,
    version: String,
}

/// A conjunction of bounds like `">= 2.41, < 2.41.1"`, `"< 1.19"` or
/// `"= 3.7.0"` (operators `<`, `<=`, `>`, `>=`, `=`, `==`, `!=`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRange {
    text: String,
    bounds: Vec<Bound>,
}

/// Why a range did not parse; `input` is the whole range as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeError {
    pub input: String,
    pub reason: String,
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid version range {:?}: {}", self.input, self.reason)
    }
}

impl std::error::Error for RangeError {}

impl VersionRange {
    pub fn parse(s: &str) -> Result<VersionRange, RangeError> {
        let err = |reason: String| RangeError {
            input: s.to_string(),
            reason,
        };
        let text = s.trim();
        if text.is_empty() {
            return Err(err("the range is empty".into()));
        }
        let mut bounds = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            if part.is_empty() {
                return Err(err("empty bound (stray comma?)".into()));
            }
            let Some((spelling, op)) = Op::SPELLINGS
                .iter()
                .find(|(spelling, _)| part.starts_with(spelling))
            else {
                return Err(err(format!(
                    "bound {part:?} does not start with one of <, <=, >, >=, =, ==, !="
                )));
            };
            let version = part.get(spelling.len()..).unwrap_or("").trim();
            if version.is_empty() {
                return Err(err(format!("no version after {spelling:?}")));
            }
            if version
                .chars()
                .any(|c| c.is_whitespace() || "<>=!,".contains(c))
            {
                return Err(err(format!("{version:?} is not a single version")));
            }
            if !version.bytes().any(|c| c.is_ascii_digit()) {
                return Err(err(format!("version {version:?} has no digits")));
            }
            bounds.push(Bound {
                op: *op,
                version: version.to_string(),
            });
        }
        Ok(VersionRange {
            text: text.to_string(),
            bounds,
        })
    }

    /// Does `version` satisfy every bound, compared under `scheme`?
    ///
    /// Bounds are upstream versions, so `version` is reduced with
    /// [`upstream`] first (`2.41-4` is within `>= 2.41, < 2.41.1`). A bound
    /// that itself carries an epoch or a release (`< 5.14.0-362.24.1`) is
    /// compared against the full version instead: that is how a rule pins a
    /// fix that a distribution shipped in a release bump.
    pub fn contains(&self, scheme: Scheme, version: &str) -> bool {
        let up = upstream(scheme, version);
        self.bounds.iter().all(|bound| {
            let full_bound = upstream(scheme, &bound.version) != bound.version;
            let ord = if full_bound {
                compare(scheme, version, &bound.version)
            } else {
                compare_upstream(scheme, up, &bound.version)
            };
            bound.op.accepts(ord)
        })
    }

    /// The text as written (trimmed), for reports.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::{Equal, Greater, Less};

    /// Asserts `a` vs `b` and, since every order here must be antisymmetric,
    /// `b` vs `a` as well.
    fn check(scheme: Scheme, cases: &[(&str, &str, Ordering)]) {
        let mut bad = Vec::new();
        for &(a, b, want) in cases {
            let got = compare(scheme, a, b);
            let back = compare(scheme, b, a);
            if got != want || back != want.reverse() {
                bad.push(format!(
                    "{a:?} vs {b:?}: want {want:?}, got {got:?} (reverse {back:?})"
                ));
            }
        }
        assert!(bad.is_empty(), "{scheme:?}:\n{}", bad.join("\n"));
    }

    /// Every pair of an ascending list must compare in list order.
    fn check_ascending(scheme: Scheme, list: &[&str]) {
        let mut bad = Vec::new();
        for (i, a) in list.iter().enumerate() {
            for (j, b) in list.iter().enumerate() {
                let got = compare(scheme, a, b);
                if got != i.cmp(&j) {
                    bad.push(format!("{a:?} vs {b:?}: got {got:?}"));
                }
            }
        }
        assert!(bad.is_empty(), "{scheme:?}:\n{}", bad.join("\n"));
    }

    #[test]
    fn rpm_edge_cases() {
        check(
            Scheme::Rpm,
            &[
                ("1.0~rc1", "1.0", Less),
                ("1.0~rc1", "1.0~rc2", Less),
                ("1.0~~", "1.0~", Less),
                ("1.0^", "1.0", Greater),
                ("1.0^", "1.0.1", Less),
                ("1.0^git1", "1.0^git2", Less),
                ("1.0~rc1^git1", "1.0~rc1", Greater),
                ("1.0~rc1^git1", "1.0~rc2", Less),
                // Letters sort before digits, but a leftover segment wins.
                ("1.0a", "1.0.1", Less),
                ("1.0a", "1.0", Greater),
                ("2:1.0", "1:9.9", Greater),
                ("0:1.0", "1.0", Equal),
                (":1.0", "1.0", Equal),
                ("1.01", "1.1", Equal),
                ("1.0", "1.0.", Equal),
                ("1.0", "1_0", Equal),
                (
                    "123456789012345678901234567890",
                    "123456789012345678901234567891",
                    Less,
                ),
                // rpm.vercmp: a missing release sorts before any release.
                ("1.0", "1.0-1", Less),
                ("2.41-1.fc42", "2.41-1.fc41", Greater),
                ("5.14.0-362.8.1.el9_3", "5.14.0-362.24.1.el9_3", Less),
                ("a:1.0", "1.0", Less),
            ],
        );
    }

    #[test]
    fn dpkg_edge_cases() {
        check(
            Scheme::Dpkg,
            &[
                ("1.0~rc1", "1.0", Less),
                ("1.0~", "1.0", Less),
                ("1.0~~", "1.0~", Less),
                ("1.0", "1.0-1", Less),
                ("1.0", "1.0-0", Equal),
                ("1:1.0", "2.0", Greater),
                ("1:0", "0:1", Greater),
                ("00:1", "0:1", Equal),
                ("1.0+b1", "1.0", Greater),
                ("1.0-1+b1", "1.0-1", Greater),
                ("1.0-1~bpo1", "1.0-1", Less),
                // Letters sort before every other symbol.
                ("1.0a", "1.0+", Less),
                ("1.0a", "1.0.", Less),
                ("1.0+", "1.0.", Less),
                ("1.01", "1.1", Equal),
                ("1.2-3-4", "1.2-3", Greater),
                ("1:2:3-4", "1:2:3", Greater),
                ("2.41~rc1-1", "2.41-1", Less),
                ("2.39.3-9ubuntu6", "2.41", Less),
                ("1:2.6.1-1ubuntu1.2", "2.6.1-1ubuntu1.2", Greater),
                (" 1.0 ", "1.0", Equal),
            ],
        );
    }

    #[test]
    fn pacman_edge_cases() {
        check(
            Scheme::Pacman,
            &[
                ("2.41-4", "2.41.1-1", Less),
                ("2.40.4-1", "2.41-1", Less),
                ("2.41-10", "2.41-9", Greater),
                // pkgrel counts only when both sides have one.
                ("1.0", "1.0-1", Equal),
                ("1:1.0-1", "1.0-1", Greater),
                // libalpm's rpmvercmp: no `~` special, a trailing letter segment
                // is older than the end, separator run lengths matter.
                ("1.0~rc1", "1.0", Greater),
                ("1.0a", "1.0", Less),
                ("1.0.a", "1.0", Greater),
                ("1.0alpha", "1.0", Less),
                ("1.0", "1..0", Less),
                ("1.0", "1_0", Equal),
                ("1.0a", "1.0.1", Less),
                ("1.01", "1.1", Equal),
            ],
        );
    }

    #[test]
    fn apk_edge_cases() {
        // Hand-verified against apk-tools' src/version.c (2.14 / 3.x); there is
        // no apk binary on Debian to generate reference data from.
        check(
            Scheme::Apk,
            &[
                ("1.0", "1.0", Equal),
                ("1.0", "1.0.1", Less),
                ("1.0_alpha", "1.0_beta", Less),
                ("1.0_beta", "1.0_pre", Less),
                ("1.0_pre", "1.0_rc", Less),
                ("1.0_rc1", "1.0", Less),
                ("1.0", "1.0_cvs", Less),
                ("1.0_cvs", "1.0_svn", Less),
                ("1.0_git", "1.0_hg", Less),
                ("1.0_hg", "1.0_p", Less),
                ("1.0_p1", "1.0_p2", Less),
                ("1.0_p10", "1.0_p9", Greater),
                ("1.0_alpha2", "1.0_alpha", Greater),
                ("1.0a", "1.0", Greater),
                ("1.0a", "1.0b", Less),
                ("1.0b", "1.0.1", Less),
                ("1.0-r1", "1.0", Greater),
                ("1.0-r1", "1.0-r2", Less),
                ("1.0-r10", "1.0-r9", Greater),
                ("1.0_p1", "1.0-r5", Greater),
                ("2.41-r0", "2.41.1-r0", Less),
                ("2.40.4-r1", "2.41-r0", Less),
                // After a dot a leading zero means string comparison.
                ("1.01", "1.1", Less),
                ("1.001", "1.01", Less),
                ("1.02", "1.1", Less),
                ("006", "1.0.0", Greater),
                ("1.0~abc", "1.0", Greater),
                ("1.0~abc", "1.0~abd", Less),
                ("1.0~abc-r1", "1.0~abc", Greater),
                ("0.1.0_alpha_pre2", "0.1.0_alpha", Less),
                // Invalid strings sort below valid ones, but only once the
                // walk reaches the invalid token: `1.0b` already beats `1.0`,
                // and `1.0bc` vs `1.0bd` are both invalid at the second letter.
                ("1.0bc", "1.0", Greater),
                ("1.0bc", "1.0bd", Equal),
                ("1.0_foo", "1.0", Less),
                ("abc", "1", Less),
                ("1.0-1", "1.0", Less),
            ],
        );
    }

    #[test]
    fn semver_edge_cases() {
        check(
            Scheme::Semver,
            &[
                ("v1.17.17", "1.19", Less),
                ("1.29.4", "1.19.0", Greater),
                ("3.7.2", "3.8.0", Less),
                ("3.8.0-rc1", "3.8.0", Less),
                ("3.8.0-rc1", "3.8.0-rc2", Less),
                ("3.8.0-rc.1", "3.8.0-rc1", Equal),
                ("3.8.0-beta.2", "3.8.0-rc.1", Less),
                ("1.19", "1.19.0", Equal),
                ("v1.28.3+k3s1", "1.28.3", Equal),
                ("2.41.1", "2.41", Greater),
                ("1.6.31", "1.6.4", Greater),
                ("v1.27.4-eks-8ccc7ba", "v1.27.4", Greater),
                ("v1.27.4-eks-8ccc7ba", "v1.27.5", Less),
                (
                    "5.14.0-362.8.1.el9_3.x86_64",
                    "5.14.0-362.24.1.el9_3.x86_64",
                    Less,
                ),
                (
                    "5.14.0-362.8.1.el9_3.x86_64",
                    "5.14.0-70.13.1.el9_0.x86_64",
                    Greater,
                ),
                ("5.14.0-362.el9", "5.14.0-362.8.1.el9", Less),
                ("6.1.0", "5.14.0-362.8.1.el9_3.x86_64", Greater),
                ("", "0", Equal),
                ("garbage", "0.0.1", Less),
            ],
        );
        check_ascending(
            Scheme::Semver,
            &[
                "0.9",
                "v1.0.0-dev",
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-beta",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.0-eks-1",
                "1.0.0-1",
                "1.0.1",
                "1.2",
                "1.10.0-rc1",
                "1.10.0",
                "5.14.0-70.13.1.el9_0.x86_64",
                "5.14.0-362.el9",
                "5.14.0-362.8.1.el9_3",
                "5.14.0-362.8.1.el9_3.x86_64",
                "5.14.0-362.24.1.el9_3",
                "10",
            ],
        );
    }

    #[test]
    fn upstream_strips_epoch_and_release() {
        let cases = [
            (Scheme::Pacman, "2.41-4", "2.41"),
            (Scheme::Pacman, "1:2.41.1-1", "2.41.1"),
            (Scheme::Rpm, "2.41-1.fc42", "2.41"),
            (Scheme::Rpm, "2:1.0-3.el9", "1.0"),
            (Scheme::Rpm, "1.0", "1.0"),
            (Scheme::Dpkg, "2.41-5ubuntu1", "2.41"),
            (Scheme::Dpkg, "1:2.6.1-1ubuntu1.2", "2.6.1"),
            (Scheme::Dpkg, "1:2:3-4", "2:3"),
            (Scheme::Dpkg, "1.2-3-4", "1.2-3"),
            (Scheme::Dpkg, "a:1.0", "a:1.0"),
            (Scheme::Apk, "2.41-r3", "2.41"),
            (Scheme::Apk, "2.41_rc1-r0", "2.41_rc1"),
            (Scheme::Apk, "2.41-rx", "2.41-rx"),
            (Scheme::Semver, " v1.28.3+k3s1 ", "v1.28.3+k3s1"),
            (
                Scheme::Semver,
                "5.14.0-362.8.1.el9_3",
                "5.14.0-362.8.1.el9_3",
            ),
        ];
        for (scheme, full, want) in cases {
            assert_eq!(upstream(scheme, full), want, "{scheme:?} {full:?}");
        }
    }

    /// Parses one `A<TAB>B<TAB>verdict` file made by tests/data/versions/generate.py.
    fn reference_pairs(data: &str) -> Vec<(&str, &str, Ordering)> {
        data.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let mut f = l.split('\t');
                let (a, b, v) = (f.next(), f.next(), f.next());
                let want = match v {
                    Some("-1") => Less,
                    Some("0") => Equal,
                    Some("1") => Greater,
                    _ => panic!("malformed reference line {l:?}"),
                };
                (a.unwrap_or_default(), b.unwrap_or_default(), want)
            })
            .collect()
    }

    fn check_reference(scheme: Scheme, data: &str) {
        let pairs = reference_pairs(data);
        assert!(pairs.len() >= 300, "only {} reference pairs", pairs.len());
        let mut bad = Vec::new();
        for (a, b, want) in &pairs {
            let got = compare(scheme, a, b);
            if got != *want {
                bad.push(format!("{a}\t{b}\ttool {want:?}, ours {got:?}"));
            }
            let back = compare(scheme, b, a);
            if back != got.reverse() {
                bad.push(format!("{a}\t{b}\tnot antisymmetric: {got:?} / {back:?}"));
            }
            for x in [a, b] {
                if compare(scheme, x, x) != Equal {
                    bad.push(format!("{x}\tnot equal to itself"));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "{scheme:?}: {} of {} reference pairs wrong:\n{}",
            bad.len(),
            pairs.len(),
            bad.join("\n")
        );
    }

    #[test]
    fn matches_dpkg() {
        check_reference(
            Scheme::Dpkg,
            include_str!("../tests/data/versions/dpkg.tsv"),
        );
    }

    #[test]
    fn matches_rpm() {
        check_reference(Scheme::Rpm, include_str!("../tests/data/versions/rpm.tsv"));
    }

    #[test]
    fn matches_pacman() {
        check_reference(
            Scheme::Pacman,
            include_str!("../tests/data/versions/pacman.tsv"),
        );
    }

    /// Dpkg, rpm and our semver order are total orders, so any three
    /// versions must be transitive; checked on strings from the reference data.
    #[test]
    fn orders_are_transitive() {
        let dpkg = include_str!("../tests/data/versions/dpkg.tsv");
        let rpm = include_str!("../tests/data/versions/rpm.tsv");
        for (scheme, data) in [
            (Scheme::Dpkg, dpkg),
            (Scheme::Rpm, rpm),
            (Scheme::Semver, dpkg),
            (Scheme::Semver, rpm),
        ] {
            let mut words: Vec<&str> = reference_pairs(data)
                .iter()
                .flat_map(|(a, b, _)| [*a, *b])
                .collect();
            words.dedup();
            words.truncate(50);
            for a in &words {
                for b in &words {
                    let ab = compare(scheme, a, b);
                    if ab == Greater {
                        continue;
                    }
                    for c in &words {
                        let bc = compare(scheme, b, c);
                        if bc == Greater {
                            continue;
                        }
                        let want = if ab == Equal { bc } else { Less };
                        assert_eq!(compare(scheme, a, c), want, "{scheme:?}: {a} {b} {c}");
                    }
                }
            }
        }
    }

    #[test]
    fn hostile_input_never_panics() {
        // A fixed xorshift stream over bytes that matter to some parser,
        // plus multi-byte UTF-8 to catch byte/char boundary slips.
        let alphabet: Vec<char> = "0123456789azAZ.-_~^+:r p\t\u{0}é€".chars().collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let schemes = [
            Scheme::Rpm,
            Scheme::Dpkg,
            Scheme::Pacman,
            Scheme::Apk,
            Scheme::Semver,
        ];
        for _ in 0..3000 {
            let mut word = || -> String {
                let len = (next() % 12) as usize;
                (0..len)
                    .map(|_| {
                        let n = alphabet.len() as u64;
                        alphabet.get((next() % n) as usize).copied().unwrap_or('0')
                    })
                    .collect()
            };
            let (a, b) = (word(), word());
            for scheme in schemes {
                let ord = compare(scheme, &a, &b);
                assert_eq!(
                    compare(scheme, &b, &a),
                    ord.reverse(),
                    "{scheme:?} {a:?} {b:?}"
                );
                let _ = upstream(scheme, &a);
                if let Ok(range) = VersionRange::parse(&format!(">= {a}, < {b}")) {
                    let _ = range.contains(scheme, &a);
                }
            }
            let _ = VersionRange::parse(&a);
        }
    }

    #[test]
    fn range_parse_errors_say_why() {
        for bad in [
            "",
            "   ",
            ">> 1",
            ">= ",
            "garbage",
            "1.2",
            "< 1.19,",
            ", < 1",
            "<",
            "=> 1",
            "< 1.19 foo",
            "< latest",
            "!1.0",
            "< 1,, > 0",
        ] {
            match VersionRange::parse(bad) {
                Ok(r) => panic!("{bad:?} parsed as {r:?}"),
                Err(e) => {
                    assert_eq!(e.input, bad);
                    assert!(!e.reason.is_empty());
                    assert!(e.to_string().contains(&e.reason));
                }
            }
        }
    }

    #[test]
    fn range_parse_accepts_all_operators() {
        let r = VersionRange::parse(" >=2.41 ,<2.41.1 ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.as_str(), ">=2.41 ,<2.41.1");
        for (text, inside, outside) in [
            ("< 2", "1.9", "2"),
            ("<= 2", "2", "2.0.1"),
            ("> 2", "2.0.1", "2"),
            (">= 2", "2.0", "1.99"),
            ("= 2", "2.0", "2.1"),
            ("== 2", "2.0", "2.1"),
            ("!= 2", "2.1", "2.0.0"),
        ] {
            let r = VersionRange::parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                r.contains(Scheme::Semver, inside),
                "{text} should hold {inside}"
            );
            assert!(
                !r.contains(Scheme::Semver, outside),
                "{text} should not hold {outside}"
            );
        }
    }

    fn range(text: &str) -> VersionRange {
        VersionRange::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn util_linux_window_in_every_packaging() {
        let window = range(">= 2.41, < 2.41.1");
        let cases = [
            (Scheme::Pacman, "2.41-4", true),
            (Scheme::Pacman, "2.41-1", true),
            (Scheme::Pacman, "1:2.41-1", true),
            (Scheme::Pacman, "2.41.1-1", false),
            (Scheme::Pacman, "2.40.4-1", false),
            (Scheme::Rpm, "2.41-1.fc42", true),
            (Scheme::Rpm, "2.41.1-1.fc42", false),
            (Scheme::Rpm, "2.40.4-3.fc41", false),
            (Scheme::Rpm, "2.41~rc1-1.fc42", false),
            (Scheme::Dpkg, "2.41-5", true),
            (Scheme::Dpkg, "2.41-5ubuntu1", true),
            // dpkg orders 2.41~rc1 before 2.41: a release candidate is outside.
            (Scheme::Dpkg, "2.41~rc1-1", false),
            (Scheme::Dpkg, "2.41.1-1", false),
            (Scheme::Dpkg, "2.39.3-9ubuntu6", false),
            (Scheme::Dpkg, "1:2.41-2", true),
            (Scheme::Apk, "2.41-r0", true),
            (Scheme::Apk, "2.41.1-r0", false),
            (Scheme::Apk, "2.41_rc1-r0", false),
        ];
        for (scheme, version, want) in cases {
            assert_eq!(
                window.contains(scheme, version),
                want,
                "{scheme:?} {version}"
            );
        }
        let epoch = range(">= 2.6.1, < 2.6.2");
        assert!(epoch.contains(Scheme::Dpkg, "1:2.6.1-1ubuntu1.2"));
    }

    #[test]
    fn component_ranges() {
        let k8s = range("< 1.19");
        assert!(k8s.contains(Scheme::Semver, "v1.17.17"));
        assert!(!k8s.contains(Scheme::Semver, "1.19.0"));
        assert!(!k8s.contains(Scheme::Semver, "v1.19.0+k3s1"));
        assert!(k8s.contains(Scheme::Semver, "v1.19.0-rc.1"));
        let kata = range("< 3.8.0");
        assert!(kata.contains(Scheme::Semver, "3.7.2"));
        assert!(!kata.contains(Scheme::Semver, "3.8.0"));
        assert!(range("= 3.7.0").contains(Scheme::Semver, "v3.7.0"));
        assert!(range(">= 1.6.0, < 1.6.31").contains(Scheme::Semver, "1.6.4"));
    }

    #[test]
    fn bounds_with_a_release_compare_full_versions() {
        // RHEL ships kernel fixes as release bumps of the same upstream.
        let fixed_in = range("< 5.14.0-362.24.1");
        assert!(fixed_in.contains(Scheme::Rpm, "5.14.0-362.8.1.el9_3"));
        assert!(!fixed_in.contains(Scheme::Rpm, "5.14.0-427.13.1.el9_4"));
        let deb = range("< 2.41-3");
        assert!(deb.contains(Scheme::Dpkg, "2.41-2ubuntu1"));
        assert!(!deb.contains(Scheme::Dpkg, "2.41-5"));
        assert!(range(">= 1:2.0").contains(Scheme::Dpkg, "1:2.6.1-1"));
        assert!(!range(">= 1:2.0").contains(Scheme::Dpkg, "2.6.1-1"));
        assert!(range("< 1.2-r3").contains(Scheme::Apk, "1.2-r2"));
    }
}

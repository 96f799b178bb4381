//! Installed-package lists, in the forms support bundles carry them.
//!
//! Bundles name these files arbitrarily (`installed-rpms`, `packages-dpkg`,
//! `rpm-qa.txt`, a sos command name ...), so the format is told by content:
//! `rpm -qa` (optionally with the sos install-date column), `dpkg -l`,
//! `dpkg-query -W` (`name<TAB>version`), `/var/lib/dpkg/status`,
//! `apt list --installed`, `pacman -Q`/`-Qi`, `apk info -v`/`apk list -I`,
//! and `snap list` (microk8s and other snaps). Every row keeps its 1-based
//! line so a finding can quote the line that proved a package present or
//! absent.
//!
//! Nothing here panics on odd input: a line that does not fit the detected
//! format is skipped, because real lists carry stray warnings and tails cut
//! mid-line by `sos --log-size`.
//!
//! Over 1200 lines: about 750 of readers for nine list formats, and their
//! tests on real lists of each; one file, since format detection decides
//! between them.

use super::numbered_lines;
use crate::facts::{Package, PackageManager};

/// Lines looked at when telling the format; enough to be sure, cheap on huge lists.
const SAMPLE_LINES: usize = 400;

/// Share of sampled lines that must fit a format. Below it the text is more
/// likely a log or a mount table that happens to contain a package-like line.
const MIN_SHARE_PERCENT: usize = 60;

/// rpm architectures; the last `.`-suffix of an NVRA is the arch only when it
/// is one of these, since versions and releases contain dots too.
const RPM_ARCHES: &[&str] = &[
    "x86_64", "noarch", "aarch64", "i686", "i586", "i386", "ppc64le", "ppc64", "s390x", "armv7hl",
    "armv7l", "riscv64", "src", "nosrc",
];

/// Debian architectures, used only for `dpkg -l` tables without a header,
/// where an old dpkg may print no Architecture column.
const DEB_ARCHES: &[&str] = &[
    "all", "amd64", "arm64", "armhf", "armel", "i386", "ppc64el", "s390x", "riscv64", "mips64el",
    "mipsel", "loong64",
];

/// The concrete text format, finer than the package manager it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Rpm,
    DpkgList,
    /// `dpkg-query -W`: `name[:arch]<TAB>version` per line.
    DpkgQuery,
    DpkgStatus,
    AptList,
    PacmanQ,
    PacmanQi,
    Apk,
    /// `snap list [--all]`, with its `Name  Version  Rev ...` header.
    Snap,
}

impl Format {
    fn manager(self) -> PackageManager {
        match self {
            Format::Rpm => PackageManager::Rpm,
            Format::DpkgList | Format::DpkgQuery | Format::DpkgStatus | Format::AptList => {
                PackageManager::Dpkg
            }
            Format::PacmanQ | Format::PacmanQi => PackageManager::Pacman,
            Format::Apk => PackageManager::Apk,
            Format::Snap => PackageManager::Snap,
        }
    }
}

/// Which list format the text is, by content; None when it is not a package list.
pub fn detect(text: &str) -> Option<PackageManager> {
    detect_format(text).map(Format::manager)
}

/// Parse a package list. Unknown/garbage lines are skipped (never panic), header lines ignored.
pub fn parse(text: &str) -> Vec<Package> {
    match detect_format(text) {
        Some(Format::DpkgStatus) => parse_dpkg_status(text),
        Some(Format::PacmanQi) => parse_pacman_qi(text),
        Some(Format::Snap) => parse_snap(text),
        Some(format) => {
            let layout = dpkg_layout(text);
            numbered_lines(text)
                .filter(|(_, line)| !is_header(line))
                .filter_map(|(n, line)| parse_line(format, line, n, layout))
                .collect()
        }
        None => Vec::new(),
    }
}

/// Lines the list tools print around the rows: `dpkg -l` legend and ruler,
/// `apt list` banner and its "unstable CLI" warning, and blank lines.
fn is_header(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || t.starts_with("Desired=")
        || t.starts_with("| Status=")
        || t.starts_with("|/ Err?")
        || t.starts_with("||/")
        || t.starts_with("+++-")
        || t.starts_with("Listing...")
        || t.starts_with("WARNING:")
}

fn share_ok(matched: usize, sampled: usize) -> bool {
    matched > 0 && matched * 100 >= sampled * MIN_SHARE_PERCENT
}

fn detect_format(text: &str) -> Option<Format> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    // troubleshoot's `*-packages.json` holds only the packages a spec asked
    // about, not a package list; it is read elsewhere if at all.
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return None;
    }
    let sample: Vec<&str> = numbered_lines(text)
        .map(|(_, l)| l)
        .filter(|l| !is_header(l))
        .take(SAMPLE_LINES)
        .collect();
    if sample.is_empty() {
        return None;
    }

    // `snap list` is told by its header, which no other list prints.
    if sample.first().is_some_and(|l| snap_header(l).is_some()) {
        return (!parse_snap(text).is_empty()).then_some(Format::Snap);
    }

    // Stanza formats first: their lines are `Key: value`, which no line format accepts.
    if let Some(format) = detect_stanzas(&sample) {
        return Some(format);
    }

    let layout = dpkg_layout(text);
    let candidates = [
        Format::DpkgList,
        Format::DpkgQuery,
        Format::AptList,
        Format::Rpm,
        Format::Apk,
        Format::PacmanQ,
    ];
    let mut best: Option<(Format, usize)> = None;
    for format in candidates {
        // A package's name has a letter: a table of numbers (`blockdev
        // --report`'s `rw 256 512 ...`) is not a package list.
        let parsed: Vec<Package> = sample
            .iter()
            .filter_map(|l| parse_line(format, l, 0, layout))
            .filter(|p| p.name.bytes().any(|b| b.is_ascii_alphabetic()))
            .collect();
        let matched = parsed.len();
        // `rpm -qa` always lists real packages with an arch; a file of
        // arch-less `a-1-2` tokens is more likely hostnames or image tags.
        if format == Format::Rpm && parsed.iter().all(|p| p.arch.is_none()) {
            continue;
        }
        // Two tab-separated columns are common (hosts files, TSV exports):
        // take them for `dpkg-query -W` only when most versions look like
        // Debian versions do, dotted.
        if format == Format::DpkgQuery {
            let dotted = parsed.iter().filter(|p| p.version.contains('.')).count();
            if dotted * 2 < matched {
                continue;
            }
        }
        if share_ok(matched, sample.len()) && best.is_none_or(|(_, m)| matched > m) {
            best = Some((format, matched));
        }
    }
    best.map(|(format, _)| format)
}

/// `/var/lib/dpkg/status` (`Package: x`) or `pacman -Qi` (`Name            : x`).
fn detect_stanzas(sample: &[&str]) -> Option<Format> {
    let mut dpkg_fields = 0;
    let mut pacman_fields = 0;
    let mut continuation = 0;
    let (mut has_package, mut has_name, mut has_version) = (false, false, false);
    for line in sample {
        if line.starts_with([' ', '\t']) {
            continuation += 1;
            continue;
        }
        let Some((key, _)) = line.split_once(':') else {
            continue;
        };
        let bare = key.trim_end();
        if bare.is_empty()
            || !bare
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
        {
            continue;
        }
        if bare.len() == key.len() && !bare.contains(' ') {
            dpkg_fields += 1;
            has_package |= bare.eq_ignore_ascii_case("Package");
        } else if bare.len() < key.len() {
            // pacman pads every key with spaces up to the colon.
            pacman_fields += 1;
            has_name |= bare == "Name";
        }
        has_version |= bare.eq_ignore_ascii_case("Version");
    }
    if has_package && has_version && share_ok(dpkg_fields + continuation, sample.len()) {
        return Some(Format::DpkgStatus);
    }
    if has_name && has_version && share_ok(pacman_fields + continuation, sample.len()) {
        return Some(Format::PacmanQi);
    }
    None
}

/// Whether `dpkg -l` rows have an Architecture column: the `||/ Name ...`
/// header says so; without a header (a copy that lost it) it is guessed per row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DpkgLayout {
    WithArch,
    WithoutArch,
    Unknown,
}

fn dpkg_layout(text: &str) -> DpkgLayout {
    numbered_lines(text)
        .map(|(_, l)| l.trim_start())
        .take(SAMPLE_LINES)
        .find(|l| l.starts_with("||/"))
        .map_or(DpkgLayout::Unknown, |h| {
            if h.contains("Architecture") {
                DpkgLayout::WithArch
            } else {
                DpkgLayout::WithoutArch
            }
        })
}

fn parse_line(format: Format, line: &str, n: u64, layout: DpkgLayout) -> Option<Package> {
    match format {
        Format::Rpm => parse_rpm_line(line, n),
        Format::DpkgList => parse_dpkg_row(line, n, layout),
        Format::DpkgQuery => parse_dpkg_query_line(line, n),
        Format::AptList => parse_apt_line(line, n),
        Format::PacmanQ => parse_pacman_q_line(line, n),
        Format::Apk => parse_apk_line(line, n),
        // Stanza and header formats are parsed whole, never line by line.
        Format::DpkgStatus | Format::PacmanQi | Format::Snap => None,
    }
}

fn package(
    manager: PackageManager,
    name: &str,
    version: String,
    arch: Option<&str>,
    installed: bool,
    line: u64,
) -> Package {
    Package {
        name: name.to_string(),
        version,
        arch: arch.filter(|a| !a.is_empty()).map(str::to_string),
        installed,
        install_time: None,
        manager,
        line,
    }
}

// ---------------------------------------------------------------- rpm

fn is_rpm_name(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'))
}

/// rpm versions and releases: no `-`, and at least one digit, which keeps
/// plain words from passing as a version.
fn is_rpm_evr_part(s: &str) -> bool {
    !s.is_empty()
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '~' | '^'))
}

/// apk releases are `r<digits>`; an rpm NVR without arch whose release looks
/// like that is an apk line, and the two must not both claim it.
fn is_apk_release(s: &str) -> bool {
    s.strip_prefix('r')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Split `name-[epoch:]version-release[.arch]` from the right. Also accepts the
/// `epoch:name-version-release.arch` spelling some `--qf` strings produce.
/// Returns (name, `[epoch:]version-release`, arch).
fn split_nvra(token: &str) -> Option<(&str, String, Option<&str>)> {
    let (lead_epoch, token) = match token.split_once(':') {
        Some((e, rest)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(e), rest)
        }
        _ => (None, token),
    };
    // `%{NVRA}` prints the arch of gpg-pubkey pseudo-packages as `(none)`.
    let token = token.strip_suffix(".(none)").unwrap_or(token);
    let (head, arch) = match token.rsplit_once('.') {
        Some((head, suffix)) if RPM_ARCHES.contains(&suffix) => (head, Some(suffix)),
        _ => (token, None),
    };
    let (nv, release) = head.rsplit_once('-')?;
    let (name, version) = nv.rsplit_once('-')?;
    let (epoch, version) = match version.split_once(':') {
        // `%{EPOCH}` prints `(none)` for packages without one.
        Some(("(none)", v)) => (None, v),
        Some((e, v)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => (Some(e), v),
        Some(_) => return None,
        None => (lead_epoch, version),
    };
    if !is_rpm_name(name) || !is_rpm_evr_part(version) || !is_rpm_evr_part(release) {
        return None;
    }
    if arch.is_none() && is_apk_release(release) {
        return None;
    }
    let evr = match epoch {
        Some(e) => format!("{e}:{version}-{release}"),
        None => format!("{version}-{release}"),
    };
    Some((name, evr, arch))
}

/// `rpm -qa` row, or sos `installed-rpms` row (`NVRA` padded to 59, then the
/// install date in the host's `%c` form).
fn parse_rpm_line(line: &str, n: u64) -> Option<Package> {
    let line = line.trim();
    let (token, rest) = match line.split_once(char::is_whitespace) {
        Some((t, r)) => (t, r.trim()),
        None => (line, ""),
    };
    // Any date form prints a time of day, so a second column without digits
    // and a colon is not this format.
    let looks_like_date = rest.contains(':') && rest.bytes().any(|b| b.is_ascii_digit());
    if !rest.is_empty() && !looks_like_date {
        return None;
    }
    let (name, version, arch) = split_nvra(token)?;
    let mut pkg = package(PackageManager::Rpm, name, version, arch, true, n);
    if !rest.is_empty() {
        pkg.install_time = Some(rest.to_string());
    }
    Some(pkg)
}

// ---------------------------------------------------------------- dpkg -l

/// The two- or three-letter state column: desired action, status, error flag.
fn dpkg_state(s: &str) -> Option<(char, char)> {
    let mut chars = s.chars();
    let desired = chars.next()?.to_ascii_lowercase();
    let status = chars.next()?.to_ascii_lowercase();
    let flag_ok = match chars.next() {
        None => true,
        Some(c) => c.eq_ignore_ascii_case(&'r') && chars.next().is_none(),
    };
    ("uihrp".contains(desired) && "nchufwti".contains(status) && flag_ok)
        .then_some((desired, status))
}

fn parse_dpkg_row(line: &str, n: u64, layout: DpkgLayout) -> Option<Package> {
    let mut tokens = line.split_whitespace();
    let (desired, status) = dpkg_state(tokens.next()?)?;
    let full_name = tokens.next()?;
    let version = tokens.next()?;
    let fourth = tokens.next();
    let (name, qualifier) = match full_name.split_once(':') {
        Some((name, arch)) => (name, Some(arch)),
        None => (full_name, None),
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_'))
    {
        return None;
    }
    let column_arch = match layout {
        DpkgLayout::WithArch => fourth,
        DpkgLayout::WithoutArch => None,
        DpkgLayout::Unknown => fourth.filter(|a| DEB_ARCHES.contains(a)),
    };
    let arch = column_arch.filter(|a| *a != "<none>").or(qualifier);
    // `un` rows print `<none>` for a version they never had.
    let version = if version == "<none>" {
        String::new()
    } else {
        version.to_string()
    };
    let installed = matches!(desired, 'h' | 'i') && status == 'i';
    Some(package(
        PackageManager::Dpkg,
        name,
        version,
        arch,
        installed,
        n,
    ))
}

// ---------------------------------------------------------------- dpkg-query -W

/// Debian package names: lowercase letters, digits, `+ - .`, starting with a
/// letter or digit (Policy 5.6.1; uppercase is tolerated, old archives had it).
fn is_deb_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
}

/// `[epoch:]upstream[-revision]`: the upstream part starts with a digit
/// (Policy 5.6.12), which keeps words and paths from passing as versions.
fn is_deb_version(s: &str) -> bool {
    let upstream = match s.split_once(':') {
        Some((e, rest)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => rest,
        Some(_) => return false,
        None => s,
    };
    upstream.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '~' | ':'))
}

/// `dpkg-query -W`'s default `${binary:Package}\t${Version}`. A known but
/// removed package prints an empty version: kept, as not installed. Ubuntu
/// image manifests, written the same way, list snaps as `snap:<name>\t<rev>`:
/// those are revisions, not Debian versions, and are skipped.
fn parse_dpkg_query_line(line: &str, n: u64) -> Option<Package> {
    let (full_name, version) = line.split_once('\t')?;
    if version.contains(['\t', ' ']) || full_name.starts_with("snap:") {
        return None;
    }
    let (name, arch) = match full_name.split_once(':') {
        Some((name, arch)) => (name, Some(arch)),
        None => (full_name, None),
    };
    let arch_ok = arch
        .is_none_or(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if !is_deb_name(name) || !arch_ok || !(version.is_empty() || is_deb_version(version)) {
        return None;
    }
    Some(package(
        PackageManager::Dpkg,
        name,
        version.to_string(),
        arch,
        !version.is_empty(),
        n,
    ))
}

// ---------------------------------------------------------------- dpkg status

fn parse_dpkg_status(text: &str) -> Vec<Package> {
    #[derive(Default)]
    struct Stanza<'a> {
        name: Option<(&'a str, u64)>,
        version: &'a str,
        arch: &'a str,
        status: &'a str,
    }
    fn flush(stanza: &mut Stanza<'_>, out: &mut Vec<Package>) {
        let done = std::mem::take(stanza);
        if let Some((name, line)) = done.name {
            // `install ok installed`, `hold ok installed`, `deinstall ok installed`
            // are on disk; `config-files`, `not-installed`, `half-installed` are not.
            let installed = done.status.split_whitespace().last() == Some("installed");
            out.push(package(
                PackageManager::Dpkg,
                name,
                done.version.to_string(),
                Some(done.arch),
                installed,
                line,
            ));
        }
    }

    let mut out = Vec::new();
    let mut stanza = Stanza::default();
    for (n, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            flush(&mut stanza, &mut out);
            continue;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if key.eq_ignore_ascii_case("Package") {
            // A stanza without its blank separator (a hand-made excerpt) still starts anew here.
            flush(&mut stanza, &mut out);
            if !value.is_empty() {
                stanza.name = Some((value, n));
            }
        } else if key.eq_ignore_ascii_case("Version") {
            stanza.version = value;
        } else if key.eq_ignore_ascii_case("Architecture") {
            stanza.arch = value;
        } else if key.eq_ignore_ascii_case("Status") {
            stanza.status = value;
        }
    }
    flush(&mut stanza, &mut out);
    out
}

// ---------------------------------------------------------------- apt list

/// `name/suite[,suite] version arch [flags]`.
fn parse_apt_line(line: &str, n: u64) -> Option<Package> {
    let mut tokens = line.split_whitespace();
    let (name, _suites) = tokens.next()?.split_once('/')?;
    let version = tokens.next()?;
    let arch = tokens.next()?;
    let flags: Vec<&str> = tokens.collect();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
        || !version.bytes().any(|b| b.is_ascii_digit())
        || !arch.chars().all(|c| c.is_ascii_alphanumeric())
        || flags.first().is_some_and(|f| !f.starts_with('['))
    {
        return None;
    }
    // `[installed]`, `[installed,automatic]`, `[installed,local]`, ... are on
    // disk; `[residual-config]` is dpkg's `rc` and no bracket is "available".
    let installed = flags.first().is_some_and(|f| f.starts_with("[installed"));
    Some(package(
        PackageManager::Dpkg,
        name,
        version.to_string(),
        Some(arch),
        installed,
        n,
    ))
}

// ---------------------------------------------------------------- pacman

fn is_pacman_name(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '_' | '+'))
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '+' | '-'))
}

/// `[epoch:]pkgver-pkgrel`; pkgrel is digits with an optional `.N` rebuild.
fn is_pacman_version(s: &str) -> bool {
    let s = match s.split_once(':') {
        Some((e, rest)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => rest,
        Some(_) => return false,
        None => s,
    };
    let Some((ver, rel)) = s.rsplit_once('-') else {
        return false;
    };
    let rel_ok = {
        let (major, minor) = rel.split_once('.').unwrap_or((rel, "0"));
        !major.is_empty()
            && major.bytes().all(|b| b.is_ascii_digit())
            && !minor.is_empty()
            && minor.bytes().all(|b| b.is_ascii_digit())
    };
    rel_ok
        && ver.bytes().any(|b| b.is_ascii_digit())
        && ver
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '~'))
}

/// `pacman -Q`: exactly `name version`.
fn parse_pacman_q_line(line: &str, n: u64) -> Option<Package> {
    let mut tokens = line.split_whitespace();
    let name = tokens.next()?;
    let version = tokens.next()?;
    if tokens.next().is_some() || !is_pacman_name(name) || !is_pacman_version(version) {
        return None;
    }
    Some(package(
        PackageManager::Pacman,
        name,
        version.to_string(),
        None,
        true,
        n,
    ))
}

/// `pacman -Qi`: blocks of `Key   : value`, one per package, blank-line separated.
fn parse_pacman_qi(text: &str) -> Vec<Package> {
    #[derive(Default)]
    struct Block<'a> {
        name: Option<(&'a str, u64)>,
        version: &'a str,
        arch: &'a str,
        date: &'a str,
    }
    fn flush(block: &mut Block<'_>, out: &mut Vec<Package>) {
        let done = std::mem::take(block);
        if let Some((name, line)) = done.name {
            let mut pkg = package(
                PackageManager::Pacman,
                name,
                done.version.to_string(),
                Some(done.arch),
                true,
                line,
            );
            pkg.install_time = (!done.date.is_empty()).then(|| done.date.to_string());
            out.push(pkg);
        }
    }

    let mut out = Vec::new();
    let mut block = Block::default();
    for (n, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            flush(&mut block, &mut out);
            continue;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "Name" => {
                flush(&mut block, &mut out);
                if !value.is_empty() {
                    block.name = Some((value, n));
                }
            }
            "Version" => block.version = value,
            "Architecture" => block.arch = value,
            "Install Date" => block.date = value,
            _ => {}
        }
    }
    flush(&mut block, &mut out);
    out
}

// ---------------------------------------------------------------- apk

/// `version-rN` where version starts with a digit (`2.40.1`, `1.2_rc1`, `3.0a`).
fn is_apk_version(s: &str) -> bool {
    let Some((ver, rel)) = s.rsplit_once('-') else {
        return false;
    };
    is_apk_release(rel)
        && ver.starts_with(|c: char| c.is_ascii_digit())
        && ver
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_'))
}

/// Split `name-version-rN` at the first `-` followed by a digit whose
/// remainder is a whole apk version: names may hold `-<digit>` too (`py3-6to4`).
fn split_apk(token: &str) -> Option<(&str, &str)> {
    token.match_indices('-').find_map(|(i, _)| {
        let name = token.get(..i)?;
        let rest = token.get(i + 1..)?;
        (!name.is_empty()
            && rest.starts_with(|c: char| c.is_ascii_digit())
            && is_apk_version(rest)
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-')))
        .then_some((name, rest))
    })
}

/// `apk info -v` (`name-ver-rN`), `apk info -vv` (`name-ver-rN - description`)
/// and `apk list -I` (`name-ver-rN arch {origin} (license) [installed]`).
fn parse_apk_line(line: &str, n: u64) -> Option<Package> {
    let mut tokens = line.split_whitespace();
    let (name, version) = split_apk(tokens.next()?)?;
    let second = tokens.next();
    let third = tokens.next();
    match (second, third) {
        (None, _) => Some(package(
            PackageManager::Apk,
            name,
            version.to_string(),
            None,
            true,
            n,
        )),
        (Some("-"), _) => Some(package(
            PackageManager::Apk,
            name,
            version.to_string(),
            None,
            true,
            n,
        )),
        (Some(arch), Some(origin)) if origin.starts_with('{') => {
            let installed = line.contains("[installed");
            Some(package(
                PackageManager::Apk,
                name,
                version.to_string(),
                Some(arch),
                installed,
                n,
            ))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------- snap list

/// Column count of a `snap list` header (`Name Version Rev Tracking Publisher
/// Notes`, or `Name Version Rev Developer Notes` from snapd before 2.36), and
/// the index of its Notes column.
fn snap_header(line: &str) -> Option<(usize, Option<usize>)> {
    let cells: Vec<&str> = line.split_whitespace().collect();
    if cells.get(..3) != Some(&["Name", "Version", "Rev"][..]) {
        return None;
    }
    Some((cells.len(), cells.iter().position(|c| *c == "Notes")))
}

fn is_snap_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Store revisions are numbers; sideloaded snaps have `x1`, `x2`, ...
fn is_snap_revision(s: &str) -> bool {
    let digits = s.strip_prefix('x').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `snap list` rows under the header. Versions are kept as printed
/// (`v1.28.3` for microk8s, `16-2.47.1` for core). A revision that `snap list
/// --all` shows as `disabled` is on disk but not the one running, so it is
/// reported as not installed.
fn parse_snap(text: &str) -> Vec<Package> {
    let mut out = Vec::new();
    let mut header: Option<(usize, Option<usize>)> = None;
    for (n, line) in numbered_lines(text) {
        if let Some(h) = snap_header(line) {
            header = Some(h);
            continue;
        }
        let Some((columns, notes_at)) = header else {
            continue;
        };
        let cells: Vec<&str> = line.split_whitespace().collect();
        let (Some(name), Some(version), Some(rev)) = (cells.first(), cells.get(1), cells.get(2))
        else {
            continue;
        };
        if !is_snap_name(name) || !is_snap_revision(rev) || cells.len() > columns {
            continue;
        }
        let disabled = notes_at
            .filter(|_| cells.len() == columns)
            .and_then(|k| cells.get(k))
            .is_some_and(|notes| notes.split(',').any(|note| note == "disabled"));
        out.push(package(
            PackageManager::Snap,
            name,
            (*version).to_string(),
            None,
            !disabled,
            n,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::garbage_inputs;

    /// Every prefix of a real sample, as a tail cut by sos would look.
    fn truncations(sample: &str) -> Vec<&str> {
        sample.char_indices().map(|(i, _)| &sample[..i]).collect()
    }

    fn one(text: &str) -> Package {
        let pkgs = parse(text);
        assert_eq!(pkgs.len(), 1, "{pkgs:?}");
        pkgs.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    const RPM_QA: &str = "gmp-6.0.0-15.el7.x86_64\n\
yum-3.4.3-168.el7.centos.noarch\n\
util-linux-2.23.2-65.el7_9.1.x86_64\n\
gpg-pubkey-f4a80eb5-53a7ff4b\n\
kernel-3.10.0-1160.el7.x86_64\n\
python3-dateutil-2.8.1-3.el9.noarch\n";

    #[test]
    fn rpm_qa_rows() {
        assert_eq!(detect(RPM_QA), Some(PackageManager::Rpm));
        let pkgs = parse(RPM_QA);
        assert_eq!(pkgs.len(), 6);
        let ul = &pkgs[2];
        assert_eq!(ul.name, "util-linux");
        assert_eq!(ul.version, "2.23.2-65.el7_9.1");
        assert_eq!(ul.arch.as_deref(), Some("x86_64"));
        assert_eq!(ul.line, 3);
        assert!(ul.installed);
        let key = &pkgs[3];
        assert_eq!(
            (key.name.as_str(), key.version.as_str()),
            ("gpg-pubkey", "f4a80eb5-53a7ff4b")
        );
        assert_eq!(key.arch, None);
        assert_eq!(pkgs[4].name, "kernel");
        assert_eq!(pkgs[4].version, "3.10.0-1160.el7");
        let du = &pkgs[5];
        assert_eq!(du.name, "python3-dateutil");
        assert_eq!(du.version, "2.8.1-3.el9");
        assert_eq!(du.arch.as_deref(), Some("noarch"));
        assert_eq!(pkgs[1].version, "3.4.3-168.el7.centos");
    }

    #[test]
    fn rpm_epochs() {
        let p = one("nfs-utils-1:1.3.0-0.68.el7.x86_64\n");
        assert_eq!(p.name, "nfs-utils");
        assert_eq!(p.version, "1:1.3.0-0.68.el7");
        let p = one("bash-(none):4.2.46-34.el7.x86_64\n");
        assert_eq!(p.version, "4.2.46-34.el7");
        let p = one("1:nfs-utils-1.3.0-0.68.el7.x86_64\n");
        assert_eq!(
            (p.name.as_str(), p.version.as_str()),
            ("nfs-utils", "1:1.3.0-0.68.el7")
        );
    }

    #[test]
    fn sos_installed_rpms_with_dates() {
        let text = "GeoIP-1.5.0-14.el7.x86_64                                   Tue Nov 10 14:08:52 2020\n\
NetworkManager-1.18.8-1.el7.x86_64                          Tue 02 Feb 2021 09:14:05 AM UTC\n\
gpg-pubkey-2fa658e0-45700c69.(none)                         Tue Nov 10 14:04:34 2020\n\
aic94xx-firmware-30-6.el7.noarch                            Tue Feb  2 09:14:05 2021\n";
        assert_eq!(detect(text), Some(PackageManager::Rpm));
        let mut pkgs = parse(text);
        assert_eq!(pkgs.len(), 4);
        let key = pkgs.remove(2);
        assert_eq!(
            (key.name.as_str(), key.version.as_str(), key.arch),
            ("gpg-pubkey", "2fa658e0-45700c69", None)
        );
        assert_eq!(pkgs[0].name, "GeoIP");
        assert_eq!(
            pkgs[0].install_time.as_deref(),
            Some("Tue Nov 10 14:08:52 2020")
        );
        assert_eq!(
            pkgs[1].install_time.as_deref(),
            Some("Tue 02 Feb 2021 09:14:05 AM UTC")
        );
        assert_eq!(pkgs[2].name, "aic94xx-firmware");
        assert_eq!(pkgs[2].version, "30-6.el7");
        assert_eq!(
            pkgs[2].install_time.as_deref(),
            Some("Tue Feb  2 09:14:05 2021")
        );
    }

    const DPKG_L: &str = "Desired=Unknown/Install/Remove/Purge/Hold\n\
| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n\
|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n\
||/ Name                                   Version                                 Architecture Description\n\
+++-======================================-=======================================-============-================================================================================\n\
ii  adduser                                3.118ubuntu5                            all          add and remove users and groups\n\
ii  bind9-libs:amd64                       1:9.18.18-0ubuntu0.22.04.2              amd64        Shared Libraries used by BIND 9\n\
ii  nfs-common                             1:2.6.1-1ubuntu1.2                      amd64        NFS support files common to client and server\n\
rc  linux-image-5.15.0-97-generic          5.15.0-97.107                           amd64        Signed kernel image generic\n\
hi  containerd                             1.6.12-0ubuntu1~22.04.3                 amd64        daemon to control runC\n\
un  nfs-kernel-server                      <none>                                  <none>       (no description available)\n";

    #[test]
    fn dpkg_l_rows() {
        assert_eq!(detect(DPKG_L), Some(PackageManager::Dpkg));
        let pkgs = parse(DPKG_L);
        assert_eq!(pkgs.len(), 6);
        assert_eq!(pkgs[0].line, 6);
        assert_eq!(pkgs[0].arch.as_deref(), Some("all"));
        let bind = &pkgs[1];
        assert_eq!(bind.name, "bind9-libs");
        assert_eq!(bind.arch.as_deref(), Some("amd64"));
        assert_eq!(bind.version, "1:9.18.18-0ubuntu0.22.04.2");
        let nfs = &pkgs[2];
        assert!(nfs.installed);
        assert_eq!(nfs.version, "1:2.6.1-1ubuntu1.2");
        let rc = &pkgs[3];
        assert_eq!(rc.name, "linux-image-5.15.0-97-generic");
        assert!(!rc.installed);
        assert!(pkgs[4].installed, "hold + installed is installed");
        let un = &pkgs[5];
        assert!(!un.installed);
        assert_eq!(un.version, "");
        assert_eq!(un.arch, None);
    }

    #[test]
    fn dpkg_l_without_header_or_arch_column() {
        let text = "ii  nfs-common:amd64  1:2.6.1-1ubuntu1.2  amd64  NFS support files\n\
ii  adduser  3.118ubuntu5  all  add and remove users\n";
        let pkgs = parse(text);
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[0].name, "nfs-common");
        assert_eq!(pkgs[0].arch.as_deref(), Some("amd64"));
        let old = "||/ Name           Version        Description\n\
+++-==============-==============-============================================\n\
ii  adduser        3.113+nmu3     add and remove users and groups\n";
        let p = one(old);
        assert_eq!(
            (p.name.as_str(), p.version.as_str(), p.arch.as_deref()),
            ("adduser", "3.113+nmu3", None)
        );
    }

    #[test]
    fn dpkg_status_stanzas() {
        let text = "Package: nfs-common\n\
Status: install ok installed\n\
Priority: optional\n\
Architecture: amd64\n\
Version: 1:2.6.1-1ubuntu1.2\n\
Description: NFS support files common to client and server\n \
Use this package on any machine that uses NFS.\n\
\n\
Package: linux-image-5.15.0-97-generic\n\
Status: deinstall ok config-files\n\
Architecture: amd64\n\
Version: 5.15.0-97.107\n\
\n\
Package: foo\n\
Status: purge ok not-installed\n\
Architecture: amd64\n";
        assert_eq!(detect(text), Some(PackageManager::Dpkg));
        let pkgs = parse(text);
        assert_eq!(pkgs.len(), 3);
        assert_eq!(pkgs[0].name, "nfs-common");
        assert_eq!(pkgs[0].version, "1:2.6.1-1ubuntu1.2");
        assert_eq!(pkgs[0].arch.as_deref(), Some("amd64"));
        assert!(pkgs[0].installed);
        assert_eq!(pkgs[0].line, 1);
        assert!(!pkgs[1].installed);
        assert_eq!(pkgs[1].line, 9);
        assert!(!pkgs[2].installed);
        assert_eq!(pkgs[2].version, "");
    }

    #[test]
    fn apt_list_installed() {
        let text =
            "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n\
Listing... Done\n\
nfs-common/jammy-updates,now 1:2.6.1-1ubuntu1.2 amd64 [installed,automatic]\n\
adduser/jammy,now 3.118ubuntu5 all [installed]\n\
linux-image-5.15.0-97-generic/now 5.15.0-97.107 amd64 [residual-config]\n";
        assert_eq!(detect(text), Some(PackageManager::Dpkg));
        let pkgs = parse(text);
        assert_eq!(pkgs.len(), 3);
        assert_eq!(pkgs[0].name, "nfs-common");
        assert_eq!(pkgs[0].version, "1:2.6.1-1ubuntu1.2");
        assert_eq!(pkgs[0].line, 5);
        assert!(pkgs[0].installed);
        assert_eq!(pkgs[1].arch.as_deref(), Some("all"));
        assert!(!pkgs[2].installed);
    }

    /// `dpkg-query -W` as Ubuntu image manifests record it: the head of
    /// https://images.maas.io/ephemeral-v3/stable/jammy/amd64/20220718/squashfs.manifest
    /// as the MAAS image documentation quotes it, plus one `snap:` row of the
    /// shape such manifests end with (added here; its revision is illustrative).
    const MAAS_MANIFEST: &str = "adduser\t3.118ubuntu5
apparmor\t3.0.4-2ubuntu2.1
apport\t2.20.11-0ubuntu82.1
apport-symptoms\t0.24
apt\t2.4.5
apt-utils\t2.4.5
base-files\t12ubuntu4.1
base-passwd\t3.5.52build1
bash\t5.1-6ubuntu1
bash-completion\t1:2.11-5ubuntu1
bc\t1.07.1-3build1
bcache-tools\t1.0.8-4ubuntu3
bind9-dnsutils\t1:9.18.1-1ubuntu1.1
bind9-host\t1:9.18.1-1ubuntu1.1
bind9-libs:amd64\t1:9.18.1-1ubuntu1.1
binutils\t2.38-3ubuntu1
snap:lxd\t22923
";

    #[test]
    fn dpkg_query_w_rows() {
        assert_eq!(detect(MAAS_MANIFEST), Some(PackageManager::Dpkg));
        let pkgs = parse(MAAS_MANIFEST);
        assert_eq!(pkgs.len(), 16, "every row but the snap");
        assert_eq!(
            (
                pkgs[0].name.as_str(),
                pkgs[0].version.as_str(),
                pkgs[0].line
            ),
            ("adduser", "3.118ubuntu5", 1)
        );
        assert!(pkgs[0].installed);
        assert_eq!(pkgs[0].arch, None);
        let libs = &pkgs[14];
        assert_eq!(
            (
                libs.name.as_str(),
                libs.arch.as_deref(),
                libs.version.as_str()
            ),
            ("bind9-libs", Some("amd64"), "1:9.18.1-1ubuntu1.1")
        );
        assert_eq!(pkgs[9].version, "1:2.11-5ubuntu1");
        // The rows vuls' Debian scanner tests on,
        // https://github.com/future-architect/vuls (scan/debian_test.go,
        // TestParseScannedPackagesLineDebian), and a known package that is not
        // installed, which `dpkg-query -W` prints with an empty version.
        let vuls = "base-passwd\t3.5.33\nbzip2\t1.0.6-5\nadduser\t3.113+nmu3ubuntu3\nbsdutils\t1:2.20.1-5.1ubuntu20.4\nca-certificates\t20141019ubuntu0.14.04.1\nnfs-kernel-server\t\n";
        let pkgs = parse(vuls);
        assert_eq!(pkgs.len(), 6);
        assert_eq!(pkgs[3].version, "1:2.20.1-5.1ubuntu20.4");
        assert_eq!(pkgs[4].version, "20141019ubuntu0.14.04.1");
        assert!(!pkgs[5].installed);
        assert_eq!(pkgs[5].version, "");
    }

    #[test]
    fn two_tab_columns_that_are_not_dpkg_query() {
        // /etc/hosts, a TSV of words, interface MTUs, /proc/cpuinfo.
        assert_eq!(
            detect("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"),
            None
        );
        assert_eq!(detect("name\tvalue\nfoo\tbar\n"), None);
        assert_eq!(detect("eth0\t1500\nlo\t65536\n"), None);
        assert_eq!(
            detect("processor\t: 0\nvendor_id\t: GenuineIntel\ncpu MHz\t\t: 2400.000\n"),
            None
        );
        // Only names with an empty version: nothing says these are packages.
        assert_eq!(detect("nfs-common\t\nrpcbind\t\n"), None);
        // `pacman -Q` is space-separated and stays pacman.
        assert_eq!(
            detect("zstd 1.5.6-1\nlinux 6.9.7.arch1-1\n"),
            Some(PackageManager::Pacman)
        );
    }

    #[test]
    fn snap_list() {
        // https://snapcraft.io/docs/revisions
        let docs = "Name         Version  Rev    Tracking       Publisher             Notes
alacritty    0.8.0    46     latest/stable  snapcrafters\u{272a}         classic
blender      3.5.0    3486   latest/stable  blenderfoundation\u{2713}    classic
chromium     112.0    2424   latest/stable  canonical\u{2713}            -
ffmpeg       4.3.1    1286   latest/stable  snapcrafters\u{272a}         -
";
        assert_eq!(detect(docs), Some(PackageManager::Snap));
        let pkgs = parse(docs);
        assert_eq!(pkgs.len(), 4);
        assert_eq!(
            (
                pkgs[1].name.as_str(),
                pkgs[1].version.as_str(),
                pkgs[1].line
            ),
            ("blender", "3.5.0", 3)
        );
        assert!(pkgs
            .iter()
            .all(|p| p.installed && p.manager == PackageManager::Snap));
        // microk8s on a Mac's multipass VM,
        // https://github.com/canonical/microk8s/issues/1679: versions as printed.
        let microk8s = "Name      Version    Rev    Tracking       Publisher   Notes
core      16-2.47.1  10185  latest/stable  canonical\u{2713}  core
microk8s  v1.19.0    1668   latest/stable  canonical\u{2713}  classic
";
        let pkgs = parse(microk8s);
        assert_eq!(
            pkgs.iter()
                .map(|p| (p.name.as_str(), p.version.as_str()))
                .collect::<Vec<_>>(),
            vec![("core", "16-2.47.1"), ("microk8s", "v1.19.0")]
        );
        // `snap list --all` also lists the previous revision with `disabled`
        // in Notes (a row of that shape added to the sample).
        let all = format!("{microk8s}microk8s  v1.18.9    1609   latest/stable  canonical\u{2713}  disabled,classic\n");
        let pkgs = parse(&all);
        assert_eq!(pkgs.len(), 3);
        assert!(pkgs[1].installed);
        assert!(!pkgs[2].installed);
    }

    #[test]
    fn snap_near_misses() {
        // A header and nothing under it, or prose under it, is no list.
        assert_eq!(
            detect("Name  Version  Rev  Tracking  Publisher  Notes\n"),
            None
        );
        assert_eq!(
            detect("Name  Version  Rev  Tracking  Publisher  Notes\nerror: no snaps installed\n"),
            None
        );
        // `snap info` is key: value, not a list.
        assert_eq!(
            detect("name:      microk8s\nsummary:   Kubernetes for workstations and appliances\npublisher: Canonical\u{2713}\n"),
            None
        );
    }

    #[test]
    fn pacman_q_and_qi() {
        let text = "util-linux 2.41-4\nutil-linux-libs 2.41-4\nlinux 6.9.7.arch1-1\nzstd 1.5.6-1\n";
        assert_eq!(detect(text), Some(PackageManager::Pacman));
        let pkgs = parse(text);
        assert_eq!(pkgs.len(), 4);
        assert_eq!(
            (pkgs[1].name.as_str(), pkgs[1].version.as_str()),
            ("util-linux-libs", "2.41-4")
        );

        let qi = "Name            : util-linux\n\
Version         : 2.41-4\n\
Description     : Miscellaneous system utilities for Linux\n\
Architecture    : x86_64\n\
Depends On      : coreutils  file  libcap-ng\n\
Optional Deps   : python: python bindings to libmount [installed]\n\
                  words: default dictionary for look\n\
Install Date    : Mon 16 Jun 2025 10:12:01 AM UTC\n\
\n\
Name            : zstd\n\
Version         : 1.5.6-1\n\
Architecture    : x86_64\n";
        assert_eq!(detect(qi), Some(PackageManager::Pacman));
        let pkgs = parse(qi);
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[0].name, "util-linux");
        assert_eq!(pkgs[0].version, "2.41-4");
        assert_eq!(pkgs[0].arch.as_deref(), Some("x86_64"));
        assert_eq!(
            pkgs[0].install_time.as_deref(),
            Some("Mon 16 Jun 2025 10:12:01 AM UTC")
        );
        assert_eq!(pkgs[1].line, 10);
    }

    #[test]
    fn apk_info_and_list() {
        let text = "WARNING: opening from cache https://dl-cdn.alpinelinux.org/alpine/v3.20/main: No such file or directory\n\
util-linux-2.40.1-r1\nmusl-1.2.5-r0\npy3-6to4-1.0-r2\nlibcrypto3-3.3.1-r0\n";
        assert_eq!(detect(text), Some(PackageManager::Apk));
        let pkgs = parse(text);
        assert_eq!(pkgs.len(), 4);
        assert_eq!(
            (pkgs[0].name.as_str(), pkgs[0].version.as_str()),
            ("util-linux", "2.40.1-r1")
        );
        assert_eq!(pkgs[0].line, 2);
        assert_eq!(
            (pkgs[2].name.as_str(), pkgs[2].version.as_str()),
            ("py3-6to4", "1.0-r2")
        );
        assert_eq!(
            (pkgs[3].name.as_str(), pkgs[3].version.as_str()),
            ("libcrypto3", "3.3.1-r0")
        );

        let list = "util-linux-2.40.1-r1 x86_64 {util-linux} (GPL-3.0-or-later) [installed]\n\
musl-1.2.5-r0 x86_64 {musl} (MIT) [installed]\n";
        assert_eq!(detect(list), Some(PackageManager::Apk));
        let pkgs = parse(list);
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[0].arch.as_deref(), Some("x86_64"));
        assert!(pkgs[0].installed);
    }

    #[test]
    fn not_package_lists() {
        let kubelet = "I0203 10:11:12.123456    1234 reconciler.go:224] operationExecutor.VerifyControllerAttachedVolume started\n\
E0203 10:11:13.000000    1234 nestedpendingoperations.go:301] Operation for \"{volumeName:kubernetes.io/nfs/abc-reports}\" failed\n";
        assert_eq!(detect(kubelet), None);
        assert!(parse(kubelet).is_empty());
        let journal = "Feb 03 10:11:12 k8s-node-7 kubelet[1234]: I0203 10:11:12.123456 1234 kubelet.go:1] x\n";
        assert_eq!(detect(journal), None);
        let mountinfo = "18 41 0:17 / /sys rw,nosuid,nodev,noexec,relatime shared:6 - sysfs sysfs rw,seclabel\n\
19 41 0:3 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw\n";
        assert_eq!(detect(mountinfo), None);
        assert_eq!(detect("proc /proc proc rw,nosuid 0 0\n"), None);
        assert_eq!(
            detect("NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\n"),
            None
        );
        assert_eq!(
            detect("{\"name\": \"nfs-utils\", \"isInstalled\": true}"),
            None
        );
        assert_eq!(detect(""), None);
        assert_eq!(detect("\n\n"), None);
        assert_eq!(
            detect("web-01-02\n"),
            None,
            "a hostname is not an arch-less NVR"
        );
        assert_eq!(
            detect("Linux k8s-node-7 3.10.0-1160.el7.x86_64 #1 SMP x86_64 GNU/Linux\n"),
            None
        );
        assert_eq!(
            detect("2021-02-03T10:11:12.000000000Z stderr F error\n"),
            None
        );
    }

    #[test]
    fn mostly_rpm_with_noise_still_rpm() {
        let text = format!("error: rpmdb: damaged header #42 retrieved -- skipping.\n{RPM_QA}");
        assert_eq!(detect(&text), Some(PackageManager::Rpm));
        assert_eq!(parse(&text).len(), 6);
        assert_eq!(parse(&text)[0].line, 2);
    }

    #[test]
    fn crlf_lines() {
        let text = "gmp-6.0.0-15.el7.x86_64\r\nkernel-3.10.0-1160.el7.x86_64\r\n";
        let pkgs = parse(text);
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[1].arch.as_deref(), Some("x86_64"));
    }

    /// A file of the shared eval bundles: beside the checkout (`../shared`, as
    /// CI lays it out) or at the workstation path. None where neither exists.
    fn eval_file(rel: &str) -> Option<String> {
        [
            format!("{}/../shared/eval/{rel}", env!("CARGO_MANIFEST_DIR")),
            format!("/work/shared/eval/{rel}"),
        ]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
    }

    #[test]
    fn eval_bundle_files_when_present() {
        // The shared eval bundles sit next to the repo; skip quietly where they are absent.
        for (path, manager, needle) in [
            (
                "pub01/bundle/node/rpm-qa.txt",
                PackageManager::Rpm,
                "util-linux",
            ),
            (
                "pub02/bundle/node/dpkg-l.txt",
                PackageManager::Dpkg,
                "nfs-common",
            ),
            (
                "pub03/bundle/sosreport-k8s-node-7-2021-02-03-abcdefg/sos_commands/rpm/sh_-c_rpm_--nodigest_-qa_--qf_-59_NVRA_INSTALLTIME_date_sort_-V",
                PackageManager::Rpm,
                "util-linux",
            ),
        ] {
            let Some(text) = eval_file(path) else {
                continue;
            };
            assert_eq!(detect(&text), Some(manager), "{path}");
            let pkgs = parse(&text);
            assert!(
                pkgs.iter().any(|p| p.name == needle && p.installed),
                "{path}"
            );
            let rows = text.lines().filter(|l| !is_header(l)).count();
            assert_eq!(pkgs.len(), rows, "{path}: every row parsed");
        }
    }

    #[test]
    fn garbage_never_panics() {
        let samples = [
            RPM_QA,
            DPKG_L,
            "Package: a\nStatus: install ok installed\nVersion: 1\n",
            "Name  : a\nVersion : 1-1\n",
            "util-linux-2.40.1-r1 x86_64 {util-linux} (GPL-3.0-or-later) [installed]\n",
            "nfs-common/jammy-updates,now 1:2.6.1-1ubuntu1.2 amd64 [installed,automatic]\n",
            MAAS_MANIFEST,
            "Name      Version    Rev    Tracking       Publisher   Notes\nmicrok8s  v1.19.0    1668   latest/stable  canonical\u{2713}  disabled,classic\n",
        ];
        let mut inputs = garbage_inputs();
        for s in samples {
            inputs.extend(truncations(s).into_iter().map(str::to_string));
        }
        for input in &inputs {
            let _ = detect(input);
            for p in parse(input) {
                assert!(p.line >= 1);
            }
        }
    }
}

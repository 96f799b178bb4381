//! Mount tables: `/proc/<pid>/mountinfo`, `/proc/mounts` and `mount` output.
//!
//! mountinfo is the one that matters for subPath and bind-mount problems: it
//! alone shows the root of a bind mount inside its filesystem, where the
//! kernel appends `//deleted` once the source was unlinked (kubernetes#68211).
//! The other two forms (Rancher's `systeminfo/mount`, troubleshoot's
//! `mount.txt`) carry less and fill what they can.
//!
//! Malformed lines are reported with their line number instead of failing the
//! whole table: sos may cut a table mid-line, and one bad row must not hide
//! the rest.

use super::numbered_lines;
use crate::facts::MountEntry;

/// Parse /proc/<pid>/mountinfo text. Malformed lines are returned as errors with their line number, not a panic.
pub fn parse(text: &str) -> (Vec<MountEntry>, Vec<(u64, String)>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        match parse_mountinfo_line(line, n) {
            Ok(entry) => entries.push(entry),
            Err(problem) => problems.push((n, problem)),
        }
    }
    (entries, problems)
}

/// Parse `mount` / `mount -l` output (`SRC on TARGET type FSTYPE (opts) [label]`) and `/proc/mounts` (`SRC TARGET FSTYPE OPTS 0 0`) into MountEntry values with what those formats have (root = "/" unknown -> use "" for root, ids 0, major_minor "").
pub fn parse_mounts(text: &str) -> (Vec<MountEntry>, Vec<(u64, String)>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        let parsed = if line.contains(" on ") && line.contains(" type ") {
            parse_mount_command_line(line, n)
        } else {
            parse_proc_mounts_line(line, n)
        };
        match parsed {
            Ok(entry) => entries.push(entry),
            Err(problem) => problems.push((n, problem)),
        }
    }
    (entries, problems)
}

/// Decode the kernel's octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash).
///
/// Any `\ooo` with a value up to 0o377 is decoded, since the kernel's
/// `mangle()` set has changed over time; anything else after a backslash is
/// kept as written. Decoded bytes that are not UTF-8 become U+FFFD.
pub fn unescape(field: &str) -> String {
    if !field.contains('\\') {
        return field.to_string();
    }
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' {
            if let Some(value) = bytes.get(i + 1..i + 4).and_then(octal_byte) {
                out.push(value);
                i += 4;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Three octal digits that fit a byte.
fn octal_byte(digits: &[u8]) -> Option<u8> {
    let mut value: u32 = 0;
    for &d in digits {
        if !(b'0'..=b'7').contains(&d) {
            return None;
        }
        value = value * 8 + u32::from(d - b'0');
    }
    u8::try_from(value).ok()
}

/// Fields before the ` - ` separator that every mountinfo row has.
const FIXED_FIELDS: usize = 6;

fn parse_mountinfo_line(line: &str, n: u64) -> Result<MountEntry, String> {
    // Split on single spaces so an empty source (`- tmpfs  rw`) stays an empty
    // field instead of shifting the super options into its place. Fields before
    // the separator tolerate extra spaces because they can never be empty.
    let raw: Vec<&str> = line.split(' ').collect();
    let mut head: Vec<&str> = Vec::with_capacity(12);
    let mut tail: Option<&[&str]> = None;
    for (i, field) in raw.iter().enumerate() {
        if field.is_empty() {
            continue;
        }
        // A lone `-` ends the optional fields; before the sixth field it is a
        // root or mount point that happens to be named `-`.
        if *field == "-" && head.len() >= FIXED_FIELDS {
            tail = raw.get(i + 1..);
            break;
        }
        head.push(field);
    }
    let Some(tail) = tail else {
        return Err(if head.len() < FIXED_FIELDS {
            format!(
                "expected at least {FIXED_FIELDS} fields before the ` - ` separator, found {}",
                head.len()
            )
        } else {
            "no ` - ` separator before the filesystem type".to_string()
        });
    };
    let field = |i: usize| head.get(i).copied().unwrap_or_default();
    let mount_id = field(0)
        .parse::<u64>()
        .map_err(|_| format!("mount id `{}` is not a number", field(0)))?;
    let parent_id = field(1)
        .parse::<u64>()
        .map_err(|_| format!("parent id `{}` is not a number", field(1)))?;
    let major_minor = field(2);
    if !is_major_minor(major_minor) {
        return Err(format!(
            "`{major_minor}` is not a major:minor device number"
        ));
    }

    let fstype = tail.first().copied().unwrap_or_default();
    if fstype.is_empty() {
        return Err("no filesystem type after the ` - ` separator".to_string());
    }
    // Old kernels print no super options; some sources are empty (`none` is kept as is).
    let source = tail.get(1).copied().unwrap_or_default();
    let super_options = tail.get(2..).map(|rest| rest.join(" ")).unwrap_or_default();

    Ok(MountEntry {
        mount_id,
        parent_id,
        major_minor: major_minor.to_string(),
        root: unescape(field(3)),
        mount_point: unescape(field(4)),
        options: field(5).to_string(),
        optional_fields: head
            .get(FIXED_FIELDS..)
            .unwrap_or_default()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        fstype: fstype.to_string(),
        source: unescape(source),
        super_options: super_options.trim().to_string(),
        line: n,
    })
}

fn is_major_minor(s: &str) -> bool {
    s.split_once(':').is_some_and(|(major, minor)| {
        !major.is_empty()
            && !minor.is_empty()
            && major.bytes().all(|b| b.is_ascii_digit())
            && minor.bytes().all(|b| b.is_ascii_digit())
    })
}

fn table_entry(source: &str, target: &str, fstype: &str, options: &str, line: u64) -> MountEntry {
    MountEntry {
        mount_id: 0,
        parent_id: 0,
        major_minor: String::new(),
        root: String::new(),
        mount_point: target.to_string(),
        options: options.to_string(),
        optional_fields: Vec::new(),
        fstype: fstype.to_string(),
        source: source.to_string(),
        super_options: String::new(),
        line,
    }
}

/// `SRC on TARGET type FSTYPE (opts) [label]`. util-linux prints paths
/// unescaped here, so source and target may hold spaces: cut from the known
/// words, taking ` type ` from the right and ` on ` from the left.
fn parse_mount_command_line(line: &str, n: u64) -> Result<MountEntry, String> {
    let mut rest = line.trim();
    if rest.ends_with(']') {
        if let Some(i) = rest.rfind(" [") {
            rest = rest.get(..i).unwrap_or(rest).trim_end();
        }
    }
    let (rest, options) = match rest.strip_suffix(')').and_then(|r| r.rsplit_once(" (")) {
        Some((before, opts)) => (before, opts),
        // BusyBox and some old tools print no options.
        None => (rest, ""),
    };
    let (src_target, fstype) = rest
        .rsplit_once(" type ")
        .ok_or_else(|| "no ` type ` in a `mount` output line".to_string())?;
    let (source, target) = src_target
        .split_once(" on ")
        .ok_or_else(|| "no ` on ` in a `mount` output line".to_string())?;
    let fstype = fstype.trim();
    if fstype.is_empty() || fstype.contains(' ') || target.is_empty() {
        return Err("`mount` output line without a target or filesystem type".to_string());
    }
    Ok(table_entry(source, target, fstype, options, n))
}

/// `/proc/mounts`: `SRC TARGET FSTYPE OPTS FREQ PASSNO`, octal-escaped like mountinfo.
fn parse_proc_mounts_line(line: &str, n: u64) -> Result<MountEntry, String> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let dump_ok = fields
        .get(4..)
        .unwrap_or_default()
        .iter()
        .all(|f| f.bytes().all(|b| b.is_ascii_digit()));
    match fields.as_slice() {
        [source, target, fstype, options, ..] if fields.len() <= 6 && dump_ok => Ok(table_entry(
            &unescape(source),
            &unescape(target),
            fstype,
            options,
            n,
        )),
        _ => Err(format!(
            "expected `SRC on TARGET type FSTYPE (opts)` or `SRC TARGET FSTYPE OPTS 0 0`, found {} fields",
            fields.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::garbage_inputs;

    /// Every prefix of a real sample, as a tail cut by sos would look.
    fn truncations(sample: &str) -> Vec<&str> {
        sample.char_indices().map(|(i, _)| &sample[..i]).collect()
    }

    const KERNEL_DOC: &str =
        "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue";

    #[test]
    fn kernel_doc_example() {
        let (entries, problems) = parse(KERNEL_DOC);
        assert!(problems.is_empty(), "{problems:?}");
        let e = &entries[0];
        assert_eq!((e.mount_id, e.parent_id), (36, 35));
        assert_eq!(e.major_minor, "98:0");
        assert_eq!(e.root, "/mnt1");
        assert_eq!(e.mount_point, "/mnt2");
        assert_eq!(e.options, "rw,noatime");
        assert_eq!(e.optional_fields, vec!["master:1".to_string()]);
        assert_eq!(e.fstype, "ext3");
        assert_eq!(e.source, "/dev/root");
        assert_eq!(e.super_options, "rw,errors=continue");
        assert_eq!(e.line, 1);
        assert!(!e.source_deleted());
    }

    #[test]
    fn deleted_subpath_source() {
        let text = "2644 219 8:1 /var/lib/kubelet/pods/abc/volumes/kubernetes.io~configmap/extra-cfg/..2020_03_29_03_12_13.444136014/extra.ini//deleted /var/lib/kubelet/pods/abc/volume-subpaths/extra-cfg/test/0 rw,relatime shared:99 - ext4 /dev/sda1 rw,data=ordered\n";
        let (entries, problems) = parse(text);
        assert!(problems.is_empty());
        let e = &entries[0];
        assert!(e.source_deleted());
        assert!(e.root.ends_with("extra.ini//deleted"));
        assert_eq!(
            e.mount_point,
            "/var/lib/kubelet/pods/abc/volume-subpaths/extra-cfg/test/0"
        );
        assert_eq!(e.optional_fields, vec!["shared:99".to_string()]);
        assert_eq!(e.source, "/dev/sda1");
    }

    #[test]
    fn escapes_and_multiple_optional_fields() {
        let text = "40 25 0:45 /my\\040dir /mnt/with\\040space\\011tab rw shared:3 master:1 propagate_from:2 unbindable - nfs4 10.9.8.7:/exports/a\\134b rw,vers=4.1\n";
        let (entries, problems) = parse(text);
        assert!(problems.is_empty());
        let e = &entries[0];
        assert_eq!(e.root, "/my dir");
        assert_eq!(e.mount_point, "/mnt/with space\ttab");
        assert_eq!(e.source, "10.9.8.7:/exports/a\\b");
        assert_eq!(e.optional_fields.len(), 4);
        assert_eq!(e.fstype, "nfs4");
    }

    #[test]
    fn no_optional_fields_empty_source_missing_super_options() {
        let text = "25 1 0:22 / /run rw - tmpfs  rw,mode=755\r\n\r\n26 1 0:23 / /old rw - proc none\n27 1 0:24 / /older rw - sysfs\n";
        let (entries, problems) = parse(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(entries.len(), 3);
        assert!(entries[0].optional_fields.is_empty());
        assert_eq!(entries[0].source, "");
        assert_eq!(entries[0].super_options, "rw,mode=755");
        assert_eq!(entries[1].source, "none");
        assert_eq!(entries[1].super_options, "");
        assert_eq!(entries[1].line, 3);
        assert_eq!(entries[2].fstype, "sysfs");
        assert_eq!(entries[2].source, "");
    }

    #[test]
    fn malformed_lines_are_problems_with_line_numbers() {
        let text = format!(
            "{KERNEL_DOC}\n36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root rw\n36 35 98:0 /mnt1\nx 35 98:0 / /a rw - ext4 /dev/sda rw\n36 35 98 / /a rw - ext4 /dev/sda rw\n36 35 98:0 / /a rw -\n{KERNEL_DOC}\n"
        );
        let (entries, problems) = parse(&text);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].line, 7);
        let lines: Vec<u64> = problems.iter().map(|(n, _)| *n).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6]);
        assert!(problems[0].1.contains("separator"));
    }

    #[test]
    fn unescape_edge_cases() {
        assert_eq!(unescape("plain"), "plain");
        assert_eq!(unescape("a\\040b"), "a b");
        assert_eq!(unescape("a\\012b"), "a\nb");
        assert_eq!(unescape("\\134"), "\\");
        assert_eq!(unescape("trailing\\"), "trailing\\");
        assert_eq!(unescape("short\\04"), "short\\04");
        assert_eq!(unescape("big\\777"), "big\\777");
        assert_eq!(unescape("not\\x41"), "not\\x41");
        assert_eq!(unescape("\\303\\251"), "é");
    }

    #[test]
    fn mount_command_output() {
        let text = "sysfs on /sys type sysfs (rw,nosuid,nodev,noexec,relatime,seclabel)\n\
/dev/sda1 on /boot type xfs (rw,relatime,attr2,inode64,noquota) [boot]\n\
10.9.8.7:/exports/transcode-cache on /var/lib/kubelet/pods/38bd/volumes/kubernetes.io~nfs/transcode cache type nfs4 (rw,relatime,vers=4.1)\n\
garbage line\n";
        let (entries, problems) = parse_mounts(text);
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].fstype, "sysfs");
        assert_eq!(
            entries[0].options,
            "rw,nosuid,nodev,noexec,relatime,seclabel"
        );
        assert_eq!(entries[1].source, "/dev/sda1");
        assert_eq!(entries[1].mount_point, "/boot");
        assert_eq!(
            entries[2].mount_point,
            "/var/lib/kubelet/pods/38bd/volumes/kubernetes.io~nfs/transcode cache"
        );
        assert_eq!(entries[2].fstype, "nfs4");
        assert_eq!(entries[2].root, "");
        assert_eq!(entries[2].mount_id, 0);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 4);
    }

    #[test]
    fn proc_mounts() {
        let text = "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n\
/dev/mapper/rhel-root / xfs rw,seclabel,relatime,attr2 0 0\n\
//srv/share /mnt/my\\040share cifs rw 0 0\n";
        let (entries, problems) = parse_mounts(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[1].source, "/dev/mapper/rhel-root");
        assert_eq!(entries[1].mount_point, "/");
        assert_eq!(entries[2].mount_point, "/mnt/my share");
        assert_eq!(entries[2].line, 3);
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
        for path in [
            "pub01/bundle/node/mountinfo",
            "pub02/bundle/node/mountinfo",
            "pub03/bundle/sosreport-k8s-node-7-2021-02-03-abcdefg/proc/self/mountinfo",
        ] {
            let Some(text) = eval_file(path) else {
                continue;
            };
            let (entries, problems) = parse(&text);
            assert!(problems.is_empty(), "{path}: {problems:?}");
            assert_eq!(
                entries.len(),
                text.lines().filter(|l| !l.trim().is_empty()).count()
            );
            if path.contains("pub03") {
                assert!(entries.iter().any(|e| e.source_deleted()
                    && e.mount_point.contains("volume-subpaths/app-config/web/0")));
            }
        }
    }

    #[test]
    fn garbage_never_panics() {
        let sample = "2644 219 8:1 /var/lib/kubelet/pods/abc//deleted /mnt\\040x rw,relatime shared:99 - ext4 /dev/sda1 rw,data=ordered\nsysfs on /sys type sysfs (rw) [x]\nproc /proc proc rw 0 0\n";
        let mut inputs = garbage_inputs();
        inputs.extend(truncations(sample).into_iter().map(str::to_string));
        for input in &inputs {
            let (entries, problems) = parse(input);
            assert!(entries.iter().all(|e| e.line >= 1) && problems.iter().all(|(n, _)| *n >= 1));
            let _ = parse_mounts(input);
            let _ = unescape(input);
        }
    }
}

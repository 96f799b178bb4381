//! Snapshots of what users see: the Markdown and JSON reports of two samples,
//! and the Markdown of a bundle with two causes (two samples side by side).
//! Reports are deterministic (no wall clock, stable order), so any change in
//! a snapshot is a change a user would see; review it with `cargo insta review`.

use std::path::{Path, PathBuf};

use podmortem::report::render::{render, Format};
use podmortem::rules::load;
use podmortem::rules::matcher::Matcher;
use podmortem::{analyze, Options};

/// The rule pack's hash changes with every rule edit; snapshots pin the report, not the pack.
fn stable(text: String, report: &podmortem::report::Report) -> String {
    text.replace(&report.rules.sha256, "[rule-pack-sha256]")
}

fn report_of(sample: &str) -> podmortem::report::Report {
    let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
    let matcher = Matcher::new(&pack);
    let input = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(sample);
    analyze(&input, &pack, &matcher, &Options::default())
        .unwrap_or_else(|e| panic!("{sample}: {e}"))
}

#[test]
fn markdown_of_the_nfs_helper_sample() {
    let r = report_of("nfs-helper-missing-adhoc");
    insta::assert_snapshot!(render(&r, Format::Markdown).expect("markdown"));
}

#[test]
fn markdown_of_the_red_herring_sample() {
    let r = report_of("nfs-red-herring-access-denied");
    insta::assert_snapshot!(render(&r, Format::Markdown).expect("markdown"));
}

#[test]
fn json_of_the_subpath_deleted_sosreport() {
    let r = report_of("subpath-deleted-sosreport");
    insta::assert_snapshot!(stable(render(&r, Format::Json).expect("json"), &r));
}

#[test]
fn json_of_the_multi_attach_tarball() {
    let r = report_of("multi-attach-rwo.tar.gz");
    insta::assert_snapshot!(stable(render(&r, Format::Json).expect("json"), &r));
}

#[test]
fn the_same_bundle_gives_the_same_report_twice() {
    let a = render(&report_of("subpath-utillinux-k0s"), Format::Json).expect("json");
    let b = render(&report_of("subpath-utillinux-k0s"), Format::Json).expect("json");
    assert_eq!(a, b);
}

/// Copies a sample directory tree (plain files and folders) under `to`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}

/// One bundle holding two samples with different causes, at `<tmp>/two-causes`.
fn two_cause_bundle(tmp: &Path) -> PathBuf {
    let bundle = tmp.join("two-causes");
    for sample in ["nfs-helper-missing-adhoc", "subpath-utillinux-k0s"] {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(sample);
        copy_tree(&from, &bundle.join(sample));
    }
    bundle
}

#[test]
fn markdown_of_two_causes_fits_a_ticket() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bundle = two_cause_bundle(tmp.path());
    let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
    let matcher = Matcher::new(&pack);
    let r = analyze(&bundle, &pack, &matcher, &Options::default()).expect("analyze");
    assert_eq!(r.findings.len(), 2, "{}", r.verdict);
    let md = render(&r, Format::Markdown).expect("markdown");
    let lines: Vec<&str> = md.lines().collect();
    // Short enough to paste into a ticket.
    assert!(lines.len() < 80, "{} lines:\n{md}", lines.len());
    for f in &r.findings {
        assert!(md.contains(&f.title), "{} missing", f.title);
    }
    // GitHub renders Markdown inside <details> only with a blank line after
    // the <summary> line and before </details>.
    let mut details = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("<details>") {
            details += 1;
            assert!(line.ends_with("</summary>"), "line {}: {line}", i + 1);
            assert_eq!(
                lines.get(i + 1),
                Some(&""),
                "line {}: no blank line after <summary>",
                i + 1
            );
            assert_eq!(
                i.checked_sub(1).and_then(|j| lines.get(j)),
                Some(&""),
                "line {}: no blank line before <details>",
                i + 1
            );
        }
        if *line == "</details>" {
            assert_eq!(
                lines.get(i - 1),
                Some(&""),
                "line {}: no blank line before </details>",
                i + 1
            );
        }
    }
    assert_eq!(details, 2, "each finding has more evidence than it quotes");
    insta::assert_snapshot!(md);
}

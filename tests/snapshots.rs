//! Snapshots of what users see: the Markdown and JSON reports of two samples,
//! the Markdown of a bundle with two causes (two samples side by side), and
//! the HTML timeline.
//! Reports are deterministic (no wall clock, stable order), so any change in
//! a snapshot is a change a user would see; review it with `cargo insta review`.

use std::path::{Path, PathBuf};

use podmortem::report::render::{render, Format};
use podmortem::rules::load;
use podmortem::{Analyzer, Options};

mod common;
use common::copy_tree;

/// The rule pack's hash changes with every rule edit; snapshots pin the report, not the pack.
fn stable(text: String, report: &podmortem::report::Report) -> String {
    text.replace(&report.rules.sha256, "[rule-pack-sha256]")
}

fn report_of(sample: &str) -> podmortem::report::Report {
    let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
    let input = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(sample);
    Analyzer::new(pack, Options::default())
        .analyze(&input)
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

/// One bundle holding two samples with different causes, at `<tmp>/two-causes`.
fn two_cause_bundle(tmp: &Path) -> PathBuf {
    two_sample_bundle(tmp, ["nfs-helper-missing-adhoc", "subpath-utillinux-k0s"])
}

fn two_sample_bundle(tmp: &Path, samples: [&str; 2]) -> PathBuf {
    let bundle = tmp.join("two-causes");
    for sample in samples {
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
    let analyzer = Analyzer::new(pack, Options::default());
    let r = analyzer.analyze(&bundle).expect("analyze");
    assert_eq!(r.findings.len(), 2, "{}", r.verdict);
    let md = render(&r, Format::Markdown).expect("markdown");
    let lines: Vec<&str> = md.lines().collect();
    // Short enough to paste into a ticket.
    assert!(lines.len() < 80, "{} lines:\n{md}", lines.len());
    for f in &r.findings {
        assert!(md.contains(&f.title), "{} missing", f.title);
    }
    // More evidence collapses into one HTML line (no Markdown inside, so
    // GitHub needs no blank lines in it), set off from the paragraph above.
    let mut details = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("<details>") {
            details += 1;
            assert!(line.ends_with("</details>"), "line {}: {line}", i + 1);
            assert!(
                line.contains("</summary><br><code>"),
                "line {}: {line}",
                i + 1
            );
            assert_eq!(
                i.checked_sub(1).and_then(|j| lines.get(j)),
                Some(&""),
                "line {}: no blank line before <details>",
                i + 1
            );
        }
    }
    assert_eq!(details, 2, "each finding has more evidence than it quotes");
    insta::assert_snapshot!(md);
}

/// Every pair of the single-cause sample directories, as one two-cause bundle,
/// stays short enough to paste into a ticket.
#[test]
fn markdown_of_any_two_sample_causes_fits_in_80_lines() {
    let samples = [
        "nfs-helper-missing-adhoc",
        "nfs-red-herring-access-denied",
        "subpath-utillinux-k0s",
        "subpath-deleted-sosreport",
        "kata-peerpods-einval",
    ];
    let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
    let analyzer = Analyzer::new(pack, Options::default());
    for (i, a) in samples.iter().enumerate() {
        for b in samples.iter().skip(i + 1) {
            let tmp = tempfile::tempdir().expect("tmp");
            let bundle = two_sample_bundle(tmp.path(), [a, b]);
            let r = analyzer.analyze(&bundle).expect("analyze");
            assert_eq!(r.findings.len(), 2, "{a} + {b}: {}", r.verdict);
            let md = render(&r, Format::Markdown).expect("markdown");
            let n = md.lines().count();
            assert!(n <= 80, "{a} + {b}: {n} lines:\n{md}");
        }
    }
}

/// The timeline section of an HTML report (between its heading and the findings).
fn timeline_section(html: &str) -> Option<&str> {
    let start = html.find("<h2>Timeline</h2>")?;
    let end = html[start..].find("<h2>Findings</h2>")?;
    Some(&html[start..start + end])
}

#[test]
fn html_timeline_of_the_nfs_helper_sample() {
    let r = report_of("nfs-helper-missing-adhoc");
    let html = render(&r, Format::Html).expect("html");
    let section = timeline_section(&html).expect("a timeline section");
    // An inline SVG: no script, no external asset.
    assert!(section.contains("<svg viewBox=\"0 0 1000"), "{section}");
    assert!(!html.contains("<script"));
    // One lane, for the affected pod (minijinja escapes `/` in HTML).
    assert_eq!(section.matches("<text class=\"tl-label\"").count(), 1);
    assert!(
        section.contains("billing&#x2f;invoice-export-0"),
        "{section}"
    );
    // A dot for each evidence record with a timestamp, a bar for the finding's window.
    let dated = r.findings[0]
        .evidence
        .iter()
        .filter(|e| e.timestamp.is_some())
        .count();
    assert_eq!(dated, 2);
    assert_eq!(
        section.matches("<circle class=\"tl-mark tl-high\"").count(),
        dated
    );
    assert_eq!(
        section.matches("<rect class=\"tl-span tl-high\"").count(),
        1
    );
    assert!(section.contains("<a href=\"#finding-1\">"));
    // The axis: clock-time ticks and the range in UTC, from the report's own times.
    assert!(
        section.contains("2023-09-12 09:31:07 to 09:41:24 UTC"),
        "{section}"
    );
    assert!(section.contains(">09:32</text>"), "{section}");
    // Records without a timestamp are left off, with a note.
    assert!(section.contains("2 evidence record(s) carry no timestamp"));
    // Deterministic: no clock in the drawing.
    assert_eq!(html, render(&r, Format::Html).expect("html"));
}

#[test]
fn html_timeline_says_so_when_nothing_is_dated() {
    // A describe's Events table gives ages, not times (`95s (x22 over 27m)`),
    // and names no event whose name would carry its time.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("describe-pod-gitea.txt"),
        "Name:             gitea-7b5d9c6f48-qgx84\n\
Namespace:        gitea\n\
Node:             rke2-node-02/10.0.0.12\n\
Status:           Pending\n\
Events:\n\
  Type     Reason              Age                 From                     Message\n\
  ----     ------              ----                ----                     -------\n\
  Warning  FailedAttachVolume  95s (x22 over 27m)  attachdetach-controller  Multi-Attach error for volume \"pvc-87942e7f-0a87-4e2b-a399-af09de990167\" Volume is already exclusively attached to one node and can't be attached to another\n",
    )
    .expect("write");
    let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
    let r = Analyzer::new(pack, Options::default())
        .analyze(dir.path())
        .expect("report");
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let html = render(&r, Format::Html).expect("html");
    let section = timeline_section(&html).expect("a timeline section");
    assert!(!section.contains("<svg"));
    assert!(
        section.contains("No finding has a dated record"),
        "{section}"
    );
    // A healthy bundle has no findings and no timeline.
    let healthy = render(&report_of("healthy-node"), Format::Html).expect("html");
    assert!(timeline_section(&healthy).is_none());
}

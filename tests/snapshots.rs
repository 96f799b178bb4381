//! Snapshots of what users see: the Markdown and JSON reports of two samples.
//! Reports are deterministic (no wall clock, stable order), so any change in
//! a snapshot is a change a user would see; review it with `cargo insta review`.

use std::path::Path;

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

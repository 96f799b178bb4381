//! The literal prefilter fitted to a bundle's own text (`rules::prefilter`)
//! with the real rule pack on the real logs of the samples: it must report the
//! lines the plain prefilter reports, and a bundle whose logs are large enough
//! to be fitted must give the report it gives when they are not.
//!
//! The samples' logs are smaller than the 256 KiB from which a scan fits its
//! prefilter, so the sample tests only ever run the plain one; these tests are
//! where the fitted one meets real text.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use podmortem::facts::ArtifactKind;
use podmortem::rules::load::{builtin_sources, load};
use podmortem::rules::matcher::{Candidate, Matcher};
use podmortem::rules::prefilter::Prefilter;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Every text file of the extracted samples.
fn sample_texts() -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in fs::read_dir(dir).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.is_file() && !p.to_string_lossy().ends_with(".gz") {
                out.push((p.clone(), fs::read(&p).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    walk(&samples(), &mut out);
    out.retain(|(p, _)| p.extension().is_none_or(|x| x != "py" && x != "md"));
    assert!(out.len() > 20, "{} sample files", out.len());
    out
}

/// The lines (0-based) a prefilter reports in `text`, each with whether it
/// is marked as a probe's only.
fn lines(p: &Prefilter, text: &[u8]) -> BTreeSet<(usize, bool)> {
    let mut hits: Vec<Candidate> = Vec::new();
    p.hit_offsets(text, &mut hits);
    hits.iter()
        .map(|c| {
            let line = memchr::memchr_iter(b'\n', &text[..c.offset]).count();
            (line, c.probe_only.is_some())
        })
        .collect()
}

#[test]
fn fitted_prefilters_report_the_lines_the_plain_ones_do_on_the_samples_logs() {
    let pack = load(&builtin_sources()).expect("built-in pack");
    let matcher = Matcher::new(&pack);
    let texts = sample_texts();
    let everything: Vec<u8> = texts.iter().flat_map(|(_, t)| t.iter().copied()).collect();
    let mut lines_seen = 0;
    for kind in [
        ArtifactKind::KubeletLog,
        ArtifactKind::RuntimeLog,
        ArtifactKind::OtherLog,
        ArtifactKind::Events,
        ArtifactKind::PodDescribe,
        ArtifactKind::Dmesg,
    ] {
        let km = matcher.for_kind(kind).expect("rules read this kind");
        let on_everything = km.fitted_prefilter(&everything);
        for (path, text) in &texts {
            let plain = lines(km.prefilter(), text);
            lines_seen += plain.len();
            let on_itself = km.fitted_prefilter(text);
            assert_eq!(
                lines(&on_itself, text),
                plain,
                "{kind:?}, fitted to {}",
                path.display()
            );
            assert_eq!(
                lines(&on_everything, text),
                plain,
                "{kind:?}, fitted to all samples, on {}",
                path.display()
            );
        }
    }
    assert!(
        lines_seen > 100,
        "the samples' logs hold rule literals: {lines_seen}"
    );
}

/// The NFS sample with every kubelet log grown past the fitting threshold by
/// a healthy node's log (older lines, before its own): same findings.
#[test]
fn a_bundle_whose_logs_are_fitted_gets_the_report_it_gets_when_they_are_not() {
    let tmp = tempfile::tempdir().expect("tmp");
    let grown = tmp.path().join("nfs-helper-missing-adhoc");
    common::copy_tree(&samples().join("nfs-helper-missing-adhoc"), &grown);
    let healthy = fs::read(samples().join("healthy-node/node/kubelet.log")).expect("healthy log");
    for node in ["worker-01", "worker-02"] {
        let log = grown.join(node).join("kubelet.log");
        let own = fs::read(&log).expect("log");
        let mut big = Vec::new();
        while big.len() < 400 << 10 {
            big.extend_from_slice(&healthy);
        }
        big.extend_from_slice(&own);
        fs::write(&log, big).expect("write");
    }
    let pack = load(&builtin_sources()).expect("built-in pack");
    let analyzer = podmortem::Analyzer::new(pack, podmortem::Options::default());
    // Rule, confidence, nodes, how many records, and each evidence record's
    // artifact and text (its line number moves by the lines put before it).
    type Seen = (
        String,
        podmortem::facts::Confidence,
        Vec<String>,
        u64,
        Vec<(String, String)>,
    );
    let findings = |input: &Path| -> Vec<Seen> {
        let report = analyzer.analyze(input).expect("analyze");
        report
            .findings
            .iter()
            .map(|f| {
                let evidence = f
                    .evidence
                    .iter()
                    .map(|e| (e.artifact.clone(), e.text.clone()));
                (
                    f.rule.clone(),
                    f.confidence,
                    f.affected.nodes.clone(),
                    f.occurrences,
                    evidence.collect(),
                )
            })
            .collect()
    };
    let original = findings(&samples().join("nfs-helper-missing-adhoc"));
    let nfs = original
        .iter()
        .find(|f| f.0 == "nfs-client-helper-missing")
        .expect("the NFS finding");
    assert_eq!(nfs.1, podmortem::facts::Confidence::Confirmed);
    assert!(
        nfs.4
            .iter()
            .any(|(artifact, _)| artifact.ends_with("kubelet.log")),
        "the kubelet log is evidence: {nfs:?}"
    );
    assert_eq!(findings(&grown), original);
}

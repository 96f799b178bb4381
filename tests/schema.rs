//! The JSON report against its published schema (`docs/report.schema.json`):
//! the report of every sample, and of a real troubleshoot bundle when the
//! shared folder has it, must validate; a report with a field renamed or
//! removed must not (so the schema is not vacuous).

use std::path::{Path, PathBuf};

use serde_json::Value;

use podmortem::report::render::{render, Format};
use podmortem::rules::load;
use podmortem::{Analyzer, Options};

fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    let path = crate_root().join("docs/report.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator() -> jsonschema::Validator {
    let schema = schema();
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("docs/report.schema.json is not a valid JSON Schema: {e}");
    }
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("docs/report.schema.json does not compile: {e}"))
}

/// Each validation error as `instance path: message`.
fn errors(validator: &jsonschema::Validator, report: &Value) -> Vec<String> {
    validator
        .iter_errors(report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The JSON report exactly as `--format json` writes it, parsed back.
fn json_report(input: &Path) -> Value {
    let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
    let analyzer = Analyzer::new(pack, Options::default());
    let report = analyzer
        .analyze(input)
        .unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    let text = render(&report, Format::Json).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", input.display()))
}

/// Every sample bundle: the directories and the archives.
fn samples() -> Vec<PathBuf> {
    let dir = crate_root().join("samples");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                || p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".tar.gz"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_report_of_every_sample_matches_the_schema() {
    let validator = validator();
    let samples = samples();
    // The seven samples of samples/README.md: a glob that finds none would pass vacuously.
    assert!(samples.len() >= 7, "samples found: {samples:?}");
    assert!(
        samples
            .iter()
            .any(|p| p.to_string_lossy().ends_with(".tar.gz")),
        "no archive among the samples: {samples:?}"
    );
    let mut failures = Vec::new();
    let mut findings = 0;
    for sample in &samples {
        let report = json_report(sample);
        findings += report["findings"].as_array().map_or(0, Vec::len);
        for e in errors(&validator, &report) {
            failures.push(format!("{}: {e}", sample.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "reports that do not match docs/report.schema.json:\n{}",
        failures.join("\n")
    );
    // The closed finding, evidence and condition objects were really exercised.
    assert!(findings >= 6, "only {findings} findings across the samples");
}

#[test]
fn the_report_of_a_real_troubleshoot_bundle_matches_the_schema() {
    let bundle = crate_root().join("../shared/real-bundles/troubleshoot-k3s-support-bundle.tar.gz");
    if !bundle.exists() {
        eprintln!(
            "SKIPPED: {} is absent (the shared folder is not beside the crate)",
            bundle.display()
        );
        return;
    }
    let validator = validator();
    let report = json_report(&bundle);
    assert!(
        report["inventory"].as_array().is_some_and(|a| a.len() > 10),
        "the real bundle was not read: {}",
        report["warnings"]
    );
    let errs = errors(&validator, &report);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

/// A copy of `report` with `edit` applied at the JSON pointer `at`.
fn edited(
    report: &Value,
    at: &str,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> Value {
    let mut copy = report.clone();
    match copy.pointer_mut(at).and_then(Value::as_object_mut) {
        Some(object) => edit(object),
        None => panic!("no object at {at} in the report"),
    }
    copy
}

fn rename(object: &mut serde_json::Map<String, Value>, from: &str, to: &str) {
    let value = object
        .remove(from)
        .unwrap_or_else(|| panic!("no field `{from}` to rename"));
    object.insert(to.to_string(), value);
}

#[test]
fn a_renamed_or_missing_field_fails_validation() {
    let validator = validator();
    let report = json_report(&crate_root().join("samples/nfs-helper-missing-adhoc"));
    assert!(errors(&validator, &report).is_empty());

    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "top-level ruled_out renamed to ruledOut",
            edited(&report, "", |o| rename(o, "ruled_out", "ruledOut")),
            "",
        ),
        (
            "evidence timestamp renamed to time",
            edited(&report, "/findings/0/evidence/0", |o| {
                rename(o, "timestamp", "time")
            }),
            "/findings/0/evidence/0",
        ),
        (
            "finding confidence removed",
            edited(&report, "/findings/0", |o| {
                o.remove("confidence");
            }),
            "/findings/0",
        ),
        (
            "affected.pods removed",
            edited(&report, "/findings/0/affected", |o| {
                o.remove("pods");
            }),
            "/findings/0/affected",
        ),
        (
            "node named_by renamed",
            edited(&report, "/environment/nodes/0", |o| {
                rename(o, "named_by", "namedBy")
            }),
            "/environment/nodes/0",
        ),
        (
            "condition status outside its set",
            edited(&report, "/findings/0/conditions/0", |o| {
                o.insert("status".into(), Value::from("passed"));
            }),
            "/findings/0/conditions/0/status",
        ),
        (
            "severity outside its set",
            edited(&report, "/findings/0", |o| {
                o.insert("severity".into(), Value::from("urgent"));
            }),
            "/findings/0/severity",
        ),
        (
            "inventory kind in snake_case",
            edited(&report, "/inventory/0", |o| {
                o.insert("kind".into(), Value::from("kubelet_log"));
            }),
            "/inventory/0/kind",
        ),
        (
            "timestamp in another format",
            edited(&report, "/findings/0", |o| {
                o.insert("first_seen".into(), Value::from("12 Sep 2023 09:31"));
            }),
            "/findings/0/first_seen",
        ),
        (
            "schema version changed",
            edited(&report, "", |o| {
                o.insert("schema".into(), Value::from("podmortem.report/v2"));
            }),
            "/schema",
        ),
    ];
    for (what, bad, path) in cases {
        let errs = errors(&validator, &bad);
        assert!(!errs.is_empty(), "{what}: the schema accepted it");
        assert!(
            errs.iter().any(|e| e.starts_with(&format!("{path}:"))),
            "{what}: no error at `{path}`; got {errs:?}"
        );
    }
}

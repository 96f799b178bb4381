//! A folder of bundles as a support organisation runs it: every bundle gets a
//! report, a broken one gets an error row and exit code 3, a re-run skips what
//! did not change, and shards merge into one index.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn podmortem(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_podmortem"))
        .args(args)
        .output()
        .expect("run podmortem")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let ty = e.file_type().expect("type");
        let dest = to.join(e.file_name());
        if ty.is_dir() {
            copy_dir(&e.path(), &dest);
        } else if ty.is_symlink() {
            let target = fs::read_link(e.path()).expect("link");
            std::os::unix::fs::symlink(target, dest).expect("symlink");
        } else {
            fs::copy(e.path(), dest).expect("copy");
        }
    }
}

/// A folder with three good bundles and one truncated archive.
fn incoming(root: &Path) -> PathBuf {
    let dir = root.join("incoming");
    copy_dir(&samples().join("healthy-node"), &dir.join("healthy-node"));
    copy_dir(
        &samples().join("kata-peerpods-einval"),
        &dir.join("kata-peerpods-einval"),
    );
    fs::copy(
        samples().join("multi-attach-rwo.tar.gz"),
        dir.join("multi-attach-rwo.tar.gz"),
    )
    .expect("copy");
    fs::write(dir.join("broken.tar.gz"), [0x1f, 0x8b, 0x08, 0x00, 0x00]).expect("write");
    dir
}

fn summary(out: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(out.join("summary.json")).expect("summary.json"))
        .expect("json")
}

fn row<'a>(s: &'a Value, name: &str) -> &'a Value {
    s["bundles"]
        .as_array()
        .and_then(|b| b.iter().find(|r| r["name"] == name))
        .unwrap_or_else(|| panic!("no row {name}"))
}

#[test]
fn one_broken_bundle_never_stops_the_batch() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = incoming(tmp.path());
    let out = tmp.path().join("out");
    let o = podmortem(&[
        "analyze",
        dir.to_str().expect("utf8"),
        "-o",
        out.to_str().expect("utf8"),
        "-q",
    ]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "a bundle could not be read: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let s = summary(&out);
    assert_eq!(s["bundles"].as_array().map(Vec::len), Some(4));
    assert!(
        row(&s, "broken")["error"]
            .as_str()
            .is_some_and(|e| e.contains("broken.tar.gz")),
        "{}",
        row(&s, "broken")
    );
    assert!(row(&s, "multi-attach-rwo")["findings"][0]
        .as_str()
        .is_some_and(|f| f.starts_with("multi-attach-rwo")));
    for name in ["healthy-node", "kata-peerpods-einval", "multi-attach-rwo"] {
        assert!(out.join(name).join("report.json").is_file(), "{name}");
    }
    let csv = fs::read_to_string(out.join("summary.csv")).expect("csv");
    assert_eq!(csv.lines().count(), 5, "{csv}");
    assert!(fs::read_to_string(out.join("index.html"))
        .expect("index")
        .contains("broken"));
}

#[test]
fn a_rerun_skips_unchanged_bundles_and_force_does_not() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = incoming(tmp.path());
    fs::remove_file(dir.join("broken.tar.gz")).expect("rm");
    let out = tmp.path().join("out");
    let args = [
        "analyze",
        dir.to_str().expect("utf8"),
        "-o",
        out.to_str().expect("utf8"),
    ];
    assert_eq!(podmortem(&args).status.code(), Some(0));
    let second = podmortem(&args);
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(
        err.matches("unchanged since the last run").count(),
        3,
        "{err}"
    );
    assert!(row(&summary(&out), "kata-peerpods-einval")["unchanged"]
        .as_bool()
        .unwrap_or(false));
    // A changed bundle is analyzed again.
    fs::write(
        dir.join("healthy-node/node/extra.log"),
        "I0101 00:00:00.000000 1 x.go:1] hello\n",
    )
    .expect("write");
    let third = podmortem(&args);
    let err = String::from_utf8_lossy(&third.stderr);
    assert_eq!(
        err.matches("unchanged since the last run").count(),
        2,
        "{err}"
    );
    let forced = podmortem(&[&args[..], &["--force"]].concat());
    assert_eq!(
        String::from_utf8_lossy(&forced.stderr)
            .matches("unchanged")
            .count(),
        0
    );
}

#[test]
fn shards_cover_the_folder_once_and_merge_into_one_index() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = incoming(tmp.path());
    fs::remove_file(dir.join("broken.tar.gz")).expect("rm");
    let mut outs = Vec::new();
    for k in 0..3 {
        let out = tmp.path().join(format!("out-{k}"));
        let shard = format!("{k}/3");
        let o = podmortem(&[
            "analyze",
            dir.to_str().expect("utf8"),
            "-o",
            out.to_str().expect("utf8"),
            "--shard",
            &shard,
            "-q",
            "--format",
            "json",
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        outs.push(out);
    }
    let total: usize = outs
        .iter()
        .map(|o| summary(o)["bundles"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(total, 3, "each bundle is in exactly one shard");
    let merged = tmp.path().join("merged");
    let mut args = vec!["index".to_string()];
    args.extend(outs.iter().map(|o| o.display().to_string()));
    args.extend(["-o".to_string(), merged.display().to_string()]);
    let o = Command::new(env!("CARGO_BIN_EXE_podmortem"))
        .args(&args)
        .output()
        .expect("run");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let s = summary(&merged);
    assert_eq!(s["bundles"].as_array().map(Vec::len), Some(3));
    let link = row(&s, "multi-attach-rwo")["report"]
        .as_str()
        .expect("link")
        .to_string();
    assert!(
        merged.join(&link).is_file(),
        "the merged index links the shard's report: {link}"
    );
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    let o = podmortem(&["analyze", "x", "--shard", "3/3"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `--jobs 1` reads, scans and hashes each bundle on the one worker thread
/// (no pipeline threads): it must write the very reports the pipeline writes.
#[test]
fn one_job_on_one_thread_writes_the_reports_the_pipeline_writes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = incoming(tmp.path());
    let outs: Vec<PathBuf> = ["1", "2"]
        .iter()
        .map(|jobs| {
            let out = tmp.path().join(format!("out-{jobs}"));
            let o = podmortem(&[
                "analyze",
                dir.to_str().expect("utf8"),
                "-o",
                out.to_str().expect("utf8"),
                "--jobs",
                jobs,
                "--format",
                "json",
                "-q",
            ]);
            assert_eq!(o.status.code(), Some(3), "--jobs {jobs}");
            out
        })
        .collect();
    for name in ["healthy-node", "kata-peerpods-einval", "multi-attach-rwo"] {
        let [one, two] = [&outs[0], &outs[1]]
            .map(|out| fs::read_to_string(out.join(name).join("report.json")).expect(name));
        assert!(one.contains("\"findings\""), "{name}");
        assert_eq!(one, two, "{name}: --jobs 1 and --jobs 2 differ");
    }
    assert_eq!(
        row(&summary(&outs[0]), "broken")["error"],
        row(&summary(&outs[1]), "broken")["error"]
    );
}

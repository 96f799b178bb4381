//! Hostile and broken bundles, end to end: the real binary on every input of
//! the corpus that `tests/hostile/gen_corpus.py` writes (bombs, truncation,
//! traversal names, links to host files, a 300 MB line, 100k entries, lying
//! tar headers, devices). Each run must finish in time, exit with the code
//! the input deserves, say what it could not read (naming the entry and the
//! limit), never show host content, and still report a planted failure.
//!
//! The corpus is generated into `target/tmp/hostile-corpus`, again only when
//! the script changes (about 300 MB on disk, mostly the long line). Every
//! input is full size even in the debug profile: the 300 MB line takes about
//! 2 s there, so no reduced variant is needed. See `tests/hostile/README.md`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// No single run may take longer than this (debug build, 2 shared cores).
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// The rule the planted kubelet line fires (see `FAILURE` in gen_corpus.py).
const PLANTED_RULE: &str = "stale-file-handle";

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus directory, generated once per test process.
fn corpus() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let script = manifest().join("tests/hostile/gen_corpus.py");
        let source = fs::read(&script).expect("read gen_corpus.py");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-corpus");
        let stamp = dir.join(".generated-by");
        // The script is deterministic: the same script gives the same corpus.
        let fresh = fs::read(&stamp).is_ok_and(|s| s == source);
        if !fresh {
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).expect("corpus dir");
            let started = Instant::now();
            let out = Command::new("python3")
                .arg(&script)
                .arg(&dir)
                .output()
                .expect("run python3 tests/hostile/gen_corpus.py");
            assert!(
                out.status.success(),
                "gen_corpus.py failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            eprintln!("hostile corpus generated in {:?}", started.elapsed());
            fs::write(&stamp, &source).expect("stamp");
        }
        dir
    })
}

/// One run of `podmortem analyze INPUT -o OUT --format json,md,html --fail-on high`.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    out: tempfile::TempDir,
    elapsed: Duration,
}

impl Run {
    fn report(&self, name: &str) -> serde_json::Value {
        let p = self.out.path().join(name).join("report.json");
        let text = fs::read_to_string(&p).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; stderr: {}; out: {:?}",
                p.display(),
                self.stderr,
                all_files(self.out.path())
            )
        });
        serde_json::from_str(&text).expect("report.json is JSON")
    }

    /// Everything the run wrote or printed, as text.
    fn all_output(&self) -> String {
        let mut text = format!("{}\n{}\n", self.stdout, self.stderr);
        for p in all_files(self.out.path()) {
            text.push_str(&String::from_utf8_lossy(
                &fs::read(&p).expect("read output"),
            ));
        }
        text
    }
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else {
        return out;
    };
    for e in rd.map(|e| e.expect("dir entry")) {
        let ft = e.file_type().expect("file type");
        if ft.is_dir() {
            out.extend(all_files(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out.sort();
    out
}

/// Run the binary on `inputs` with a hard time limit: killed and failed on overrun.
fn run(inputs: &[&Path]) -> Run {
    run_with(inputs, &[])
}

/// `run` with extra `analyze` flags.
fn run_with(inputs: &[&Path], extra: &[&str]) -> Run {
    let out = tempfile::tempdir().expect("tempdir");
    let logs = tempfile::tempdir().expect("tempdir");
    let stdout_path = logs.path().join("stdout");
    let stderr_path = logs.path().join("stderr");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_podmortem"))
        .arg("analyze")
        .args(inputs)
        .arg("-o")
        .arg(out.path())
        .args([
            "--format",
            "json,md,html",
            "--fail-on",
            "high",
            "--jobs",
            "2",
        ])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("spawn podmortem");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "podmortem analyze {inputs:?} ran longer than {RUN_LIMIT:?}: killed; stderr: {}",
                fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let r = Run {
        code: status.code().expect("exited, not killed by a signal"),
        stdout: fs::read_to_string(&stdout_path).expect("stdout"),
        stderr: fs::read_to_string(&stderr_path).expect("stderr"),
        out,
        elapsed,
    };
    eprintln!("{inputs:?}: exit {} in {:?}", r.code, r.elapsed);
    // Whatever the input: no panic, no Rust error chain, no host content, no
    // file left half-written or named from the bundle.
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("Caused by") && !r.stderr.contains("Os {"),
        "{}",
        r.stderr
    );
    assert_no_host_content(&r);
    for p in all_files(r.out.path()) {
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        let allowed = [
            "report.json",
            "report.md",
            "report.html",
            "index.html",
            "summary.json",
            "summary.csv",
        ];
        assert!(
            allowed.contains(&name.as_str()),
            "unexpected file in the output: {}",
            p.display()
        );
    }
    r
}

/// The host's own files must never reach a report: the first line of the
/// real `/etc/passwd` (`root:x:0:0:...`) and the real host name.
fn assert_no_host_content(r: &Run) {
    let text = r.all_output();
    if let Ok(passwd) = fs::read_to_string("/etc/passwd") {
        let first = passwd.lines().next().unwrap_or_default();
        if first.len() >= 10 {
            assert!(!text.contains(first), "host /etc/passwd leaked: {first}");
        }
    }
    assert!(!text.contains("root:x:0:0"), "host /etc/passwd leaked");
    if let Ok(host) = fs::read_to_string("/etc/hostname") {
        let host = host.trim();
        // A short or generic name could occur by chance in the corpus.
        let distinctive = host.len() >= 8 && !["localhost", "worker-1"].contains(&host);
        if distinctive {
            assert!(!text.contains(host), "host /etc/hostname leaked: {host}");
        }
    }
}

fn warnings(report: &serde_json::Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w.as_str().expect("warning text").to_string())
        .collect()
}

fn assert_warned(report: &serde_json::Value, needle: &str) {
    let w = warnings(report);
    assert!(
        w.iter().any(|w| w.contains(needle)),
        "no warning containing {needle:?} in {w:#?}"
    );
}

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_string())
        .collect()
}

/// The planted failure is reported (and, with `--fail-on high`, exit code 1).
fn assert_planted_failure_found(r: &Run, report: &serde_json::Value) {
    assert!(
        rules(report).iter().any(|id| id == PLANTED_RULE),
        "{PLANTED_RULE} not found: {:?}; warnings {:?}",
        rules(report),
        warnings(report)
    );
    assert_eq!(
        r.code, 1,
        "a high finding with --fail-on high: {}",
        r.stderr
    );
}

/// The inventory entry at `path`: (kind, note).
fn inventory(report: &serde_json::Value, path: &str) -> (String, String) {
    let inv = report["inventory"].as_array().expect("inventory");
    let e = inv.iter().find(|e| e["path"] == path).unwrap_or_else(|| {
        let paths: Vec<&str> = inv.iter().filter_map(|e| e["path"].as_str()).collect();
        panic!("no inventory entry {path}: {paths:?}")
    });
    (
        e["kind"].as_str().unwrap_or_default().to_string(),
        e["note"].as_str().unwrap_or_default().to_string(),
    )
}

/// Exit 3 and one clear line on standard error naming the input and why.
fn assert_unreadable(r: &Run, input: &Path, why: &str) {
    assert_eq!(r.code, 3, "stderr: {}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr, got: {}", r.stderr);
    let line = lines.first().copied().unwrap_or_default();
    assert!(
        line.starts_with("podmortem: ") && line.contains(&input.display().to_string()),
        "{line}"
    );
    assert!(line.contains(why), "{line:?} lacks {why:?}");
    // No report for what could not be read.
    assert!(
        all_files(r.out.path()).is_empty(),
        "{:?}",
        all_files(r.out.path())
    );
}

#[test]
fn empty_file_named_tar_gz_is_unreadable() {
    let input = corpus().join("empty.tar.gz");
    let r = run(&[&input]);
    assert_unreadable(&r, &input, "empty file (0 bytes)");
}

#[test]
fn random_bytes_with_archive_names_are_unreadable() {
    for name in [
        "random.tar.gz",
        "random.zip",
        "random.tar.xz",
        "random.tar.zst",
    ] {
        let input = corpus().join(name);
        let r = run(&[&input]);
        assert_unreadable(
            &r,
            &input,
            "not a tar, zip, gzip, xz or zstd archive (no known magic bytes), and not text",
        );
    }
}

#[test]
fn truncated_tar_gz_reports_what_was_read_before_the_cut() {
    let r = run(&[&corpus().join("truncated.tar.gz")]);
    let report = r.report("truncated");
    assert_planted_failure_found(&r, &report);
    assert_warned(
        &report,
        "archive truncated or corrupt after 2 entries (last read: truncated/node-1/big-1.log)",
    );
    assert_warned(&report, "truncated/node-1/big-1.log: read stopped after");
    assert_eq!(
        inventory(&report, "truncated/node-1/kubelet.log").0,
        "kubelet-log"
    );
}

#[test]
fn gzip_bomb_stops_at_the_entry_limit_in_bounded_time() {
    let input = corpus().join("bomb.tar.gz");
    assert!(fs::metadata(&input).expect("bomb").len() < 8 << 20);
    let r = run(&[&input]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = r.report("bomb");
    assert_warned(
        &report,
        "bomb/zeros.log: entry size limit of 4294967296 bytes reached",
    );
    let (kind, note) = inventory(&report, "bomb/zeros.log");
    assert_eq!(kind, "skipped", "{note}");
    assert_eq!(report["inventory"][0]["bytes"], 4u64 << 30);
}

/// The limits are flags too: a smaller total budget stops the bomb sooner,
/// with a warning that names the limit as given.
#[test]
fn limit_flags_override_the_defaults() {
    let r = run_with(
        &[&corpus().join("bomb.tar.gz")],
        &["--max-total-size", "64MiB", "--max-line-size", "4K"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = r.report("bomb");
    assert_warned(&report, "decompressed size limit of 67108864 bytes reached");
    assert_warned(&report, "longer than 4096 bytes were cut");
    assert!(report["inventory"][0]["bytes"].as_u64().unwrap_or(u64::MAX) <= 64 << 20);
    let bad = run_with(
        &[&corpus().join("bomb.tar.gz")],
        &["--max-total-size", "lots"],
    );
    assert_eq!(bad.code, 2, "a bad size is a usage error: {}", bad.stderr);
    assert!(bad.stderr.contains("not a size"), "{}", bad.stderr);
}

/// Regression (found by this corpus): the `tar` crate holds a GNU long name
/// or PAX header whole in memory, so a gzip of a 1 GiB "name" made podmortem
/// allocate GiBs. The header walk now has a budget of 1 MiB.
#[test]
fn tar_longname_bomb_is_refused_at_the_header_budget() {
    let r = run(&[&corpus().join("longname-bomb.tar.gz")]);
    let report = r.report("longname-bomb");
    assert_planted_failure_found(&r, &report);
    assert_warned(
        &report,
        "archive truncated or corrupt after 1 entries (last read: longname/node-1/kubelet.log): tar header data (long name, PAX or sparse extension) larger than 1048576 bytes",
    );
    let text = r.all_output();
    assert!(
        !text.contains("PLANTED-LONGNAME"),
        "the bogus name was used"
    );
}

#[test]
fn traversal_and_absolute_names_are_labels_and_nothing_is_written() {
    let escape = Path::new("/tmp/podmortem-escape");
    let existed = escape.exists();
    let r = run(&[&corpus().join("traversal.tar.gz")]);
    let report = r.report("traversal");
    assert_planted_failure_found(&r, &report);
    for path in [
        "../../etc/passwd",
        "etc/shadow",
        "traversal/../../../tmp/podmortem-escape",
    ] {
        assert_eq!(inventory(&report, path).0, "other-log", "{path}");
    }
    assert_eq!(escape.exists(), existed, "{} was written", escape.display());
    // Only the report files: no directory named after an entry.
    assert_eq!(all_files(r.out.path()).len(), 3);
}

fn assert_links_listed_not_followed(report: &serde_json::Value, root: &str) {
    for (name, target) in [
        ("passwd", "/etc/passwd"),
        ("etc", "/etc"),
        ("hostname", "etc/hostname"),
    ] {
        let (kind, note) = inventory(report, &format!("{root}/node-1/{name}"));
        assert_eq!(kind, "skipped");
        assert!(
            note.contains(target) && note.ends_with("leaves the bundle, not followed"),
            "{name}: {note}"
        );
    }
    // Loops are listed, never resolved.
    for name in ["loop-a", "loop-b", "self"] {
        let (kind, note) = inventory(report, &format!("{root}/node-1/{name}"));
        assert_eq!(kind, "skipped");
        assert!(note.starts_with("link to "), "{name}: {note}");
    }
}

#[test]
fn symlinks_to_host_files_and_loops_in_a_tarball_are_not_followed() {
    let r = run(&[&corpus().join("links.tar.gz")]);
    let report = r.report("links");
    assert_planted_failure_found(&r, &report);
    assert_links_listed_not_followed(&report, "links");
    let (_, note) = inventory(&report, "links/node-1/hard-passwd");
    assert_eq!(note, "link to /etc/passwd: leaves the bundle, not followed");
}

#[test]
fn symlinks_to_host_files_and_loops_in_a_directory_are_not_followed() {
    let r = run(&[&corpus().join("links-dir")]);
    let report = r.report("links-dir");
    assert_planted_failure_found(&r, &report);
    assert_links_listed_not_followed(&report, "links-dir");
    let (_, note) = inventory(&report, "links-dir/node-1/up");
    assert_eq!(note, "link to ..: read at its target");
}

/// Regression (found by this corpus): a 300 MB line is cut into 1 MiB lines
/// for matching, and the evidence quoted the whole 1 MiB piece, twice: a
/// 1 MB Markdown report. Evidence lines are now clipped to 4 KiB.
#[test]
fn a_300_mb_single_line_is_cut_and_the_failure_at_its_start_still_found() {
    let input = corpus().join("longline");
    let size = fs::metadata(input.join("node-1/kubelet.log"))
        .expect("longline")
        .len();
    assert_eq!(size, 300_000_000);
    let r = run(&[&input]);
    let report = r.report("longline");
    assert_planted_failure_found(&r, &report);
    assert_warned(
        &report,
        "longline/node-1/kubelet.log: 286 line(s) longer than 1048576 bytes were cut",
    );
    let md = fs::metadata(r.out.path().join("longline/report.md"))
        .expect("md")
        .len();
    assert!(md < 64 << 10, "report.md is {md} bytes");
    let text = report["findings"][0]["evidence"][0]["text"]
        .as_str()
        .expect("evidence text");
    assert!(text.ends_with("bytes cut]"), "{}", text.len());
}

#[test]
fn invalid_utf8_and_crlf_log_still_matches() {
    let r = run(&[&corpus().join("crlf-latin1.tar.gz")]);
    let report = r.report("crlf-latin1");
    assert_planted_failure_found(&r, &report);
    assert!(warnings(&report).is_empty(), "{:?}", warnings(&report));
    let ev = &report["findings"][0]["evidence"][0];
    assert_eq!(ev["line"], 4);
    let text = ev["text"].as_str().expect("text");
    assert!(!text.contains('\r'), "{text:?}");
    assert!(
        text.contains('\u{fffd}'),
        "invalid bytes shown as U+FFFD: {text:?}"
    );
}

#[test]
fn binary_file_named_kubelet_log_is_listed_not_read() {
    let r = run(&[&corpus().join("binary-kubelet.tar.gz")]);
    let report = r.report("binary-kubelet");
    assert_planted_failure_found(&r, &report);
    assert_eq!(
        inventory(&report, "binary/node-1/kubelet.log"),
        (
            "skipped".to_string(),
            "binary content: not read as text".to_string()
        )
    );
}

#[test]
fn archives_nested_30_deep_stop_at_the_depth_limit() {
    let r = run(&[&corpus().join("nested30.tar.gz")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = r.report("nested30");
    let deep = (1..=5)
        .map(|l| format!("level-{l}/inner.tar.gz"))
        .collect::<Vec<_>>()
        .join("/");
    assert_warned(
        &report,
        &format!("{deep}: archive nested deeper than 5 levels; not opened"),
    );
    assert_eq!(
        inventory(&report, &deep).1,
        "nested archive beyond depth limit 5"
    );
    // What is within the limit is read.
    let at5 = (1..=4)
        .map(|l| format!("level-{l}/inner.tar.gz/"))
        .collect::<String>();
    assert_eq!(
        inventory(&report, &format!("{at5}level-5/note.log")).0,
        "other-log"
    );
}

/// Regression (found by this corpus): every entry allocated and zeroed a
/// fresh 256 KiB read buffer, so 100k tiny entries spent most of their time
/// in memset.
#[test]
fn a_hundred_thousand_entries_are_all_listed() {
    let r = run(&[&corpus().join("many-entries.tar.gz")]);
    let report = r.report("many-entries");
    assert_planted_failure_found(&r, &report);
    assert_eq!(
        report["inventory"].as_array().expect("inventory").len(),
        100_000
    );
    assert!(warnings(&report).is_empty(), "{:?}", warnings(&report));
}

#[test]
fn tar_header_whose_size_lies_is_named_with_what_was_there() {
    let r = run(&[&corpus().join("lying-size.tar")]);
    let report = r.report("lying-size");
    assert_planted_failure_found(&r, &report);
    assert_warned(
        &report,
        "lying/node-1/huge.log: only 1950 of the 10485760 bytes its tar header declares are in the archive",
    );
    assert_warned(&report, "archive truncated or corrupt after 2 entries");

    // A size that swallows the next header: the walk stops at the garbage.
    let r = run(&[&corpus().join("lying-size-2.tar")]);
    let report = r.report("lying-size-2");
    assert_planted_failure_found(&r, &report);
    assert_warned(
        &report,
        "archive truncated or corrupt after 2 entries (last read: lying2/a.log)",
    );
}

#[test]
fn fifo_and_device_entries_are_listed_not_read() {
    let r = run(&[&corpus().join("special.tar")]);
    let report = r.report("special");
    assert_planted_failure_found(&r, &report);
    for (name, kind) in [("fifo", "Fifo"), ("zero", "Char"), ("sda", "Block")] {
        assert_eq!(
            inventory(&report, &format!("special/node-1/{name}")).1,
            format!("not a regular file ({kind})")
        );
    }
    // A fifo in an extracted bundle is never opened (opening it would block).
    let r = run(&[&corpus().join("special-dir")]);
    let report = r.report("special-dir");
    assert_planted_failure_found(&r, &report);
    assert_eq!(
        inventory(&report, "special-dir/node-1/kubelet-fifo.log").1,
        "not a regular file (fifo, socket or device): not read"
    );
}

/// Regression (found by this corpus): a fifo or device given as the input
/// was refused by the reader, but the bundle hash read it beside the
/// pipeline: blocked forever on a fifo, spun forever on `/dev/zero`.
#[test]
fn a_fifo_or_device_input_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("bundle.tar.gz");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    for input in [fifo.as_path(), Path::new("/dev/zero")] {
        let r = run(&[input]);
        assert_unreadable(&r, input, "not a file or directory");
        // The library's own fingerprint (batch re-runs use it) refuses too.
        let started = Instant::now();
        assert!(podmortem::ingest::fingerprint(input).is_err());
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}

#[test]
fn folder_with_good_truncated_and_random_bundles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("incoming");
    fs::create_dir(&folder).expect("mkdir");
    fs::copy(
        manifest().join("samples/multi-attach-rwo.tar.gz"),
        folder.join("multi-attach-rwo.tar.gz"),
    )
    .expect("copy sample");
    for name in ["truncated.tar.gz", "random.zip"] {
        fs::copy(corpus().join(name), folder.join(name)).expect("copy corpus");
    }
    let r = run(&[&folder]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    // A report per bundle that could be read, none for the unreadable one.
    let good = r.report("multi-attach-rwo");
    assert!(!rules(&good).is_empty());
    assert!(warnings(&good).is_empty());
    let truncated = r.report("truncated");
    assert!(rules(&truncated).iter().any(|id| id == PLANTED_RULE));
    assert!(!r.out.path().join("random").exists());
    let stderr_random: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("random.zip"))
        .collect();
    assert_eq!(stderr_random.len(), 1, "{}", r.stderr);
    // The index names both broken bundles and why (HTML escapes `/`).
    let index = fs::read_to_string(r.out.path().join("index.html")).expect("index");
    assert!(
        index.contains("random.zip: not a tar, zip, gzip, xz or zstd archive"),
        "{index}"
    );
    assert!(
        index.contains("read in part: truncated&#x2f;node-1&#x2f;big-1.log: read stopped"),
        "{index}"
    );
    let summary: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(r.out.path().join("summary.json")).expect("summary"),
    )
    .expect("summary JSON");
    let rows = summary["bundles"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    let row = |name: &str| {
        rows.iter()
            .find(|b| b["name"] == name)
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    assert!(row("random")["error"].is_string());
    assert!(row("truncated")["error"].is_null());
    assert_eq!(
        row("truncated")["warnings"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        row("multi-attach-rwo")["warnings"].as_array().map(Vec::len),
        Some(0)
    );
}

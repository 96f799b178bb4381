//! A folder of bundles: find the bundles, analyze them in parallel, write one
//! report directory each and an index. One bad bundle never stops the batch.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::report::render::{render, render_index, Format};
use crate::report::Report;
use crate::rules::load::RulePack;
use crate::rules::matcher::Matcher;
use crate::{analyze, Options};

const ARCHIVE_SUFFIXES: &[&str] = &[
    ".tar.gz", ".tgz", ".tar", ".gz", ".tar.xz", ".txz", ".tar.zst", ".zip",
];
/// Directory names that producers give whole bundles.
const BUNDLE_PREFIXES: &[&str] = &[
    "sosreport-",
    "support-bundle-",
    "must-gather",
    "redacted-support-bundle-",
];

fn is_archive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ARCHIVE_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// Is `dir` a folder of bundles rather than one extracted bundle? It is when
/// it holds archives, or when every subdirectory is named like a whole bundle.
pub fn is_folder_of_bundles(dir: &Path) -> bool {
    let Ok(rd) = fs::read_dir(dir) else {
        return false;
    };
    let entries: Vec<_> = rd.filter_map(Result::ok).collect();
    let has_archive = entries.iter().any(|e| {
        e.file_type().is_ok_and(|t| t.is_file())
            && is_archive_name(&e.file_name().to_string_lossy())
    });
    let dirs: Vec<String> = entries
        .iter()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let all_bundle_dirs = dirs.len() >= 2
        && dirs
            .iter()
            .all(|d| BUNDLE_PREFIXES.iter().any(|p| d.starts_with(p)));
    has_archive || all_bundle_dirs
}

/// The bundles in a folder of bundles: archives and subdirectories, sorted by name.
pub fn bundles_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                return false;
            }
            match e.file_type() {
                Ok(t) if t.is_dir() => true,
                Ok(t) if t.is_file() => is_archive_name(&name),
                _ => false,
            }
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// A bundle's name without archive suffixes: `customer-4711.tar.gz` -> `customer-4711`.
pub fn bundle_stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bundle".into());
    let lower = name.to_ascii_lowercase();
    for s in ARCHIVE_SUFFIXES {
        if lower.ends_with(s) {
            return name
                .get(..name.len() - s.len())
                .unwrap_or(&name)
                .to_string();
        }
    }
    name
}

/// What happened to one bundle of a batch.
pub enum Status {
    Analyzed(Box<Report>),
    /// The last run's report still holds: same bundle content, same rule pack.
    Unchanged(Box<SummaryRow>),
    Failed(String),
}

/// The result of one bundle of a batch.
pub struct Outcome {
    pub input: PathBuf,
    pub name: String,
    pub status: Status,
    pub seconds: f64,
}

/// Does this bundle belong to shard `k` of `n`? Stable across runs and
/// machines: a hash of the bundle's name, not of its position in a listing.
pub fn in_shard(path: &Path, k: u64, n: u64) -> bool {
    if n <= 1 {
        return true;
    }
    let digest = Sha256::digest(bundle_stem(path).as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(digest.get(..8).unwrap_or(&[0u8; 8]));
    u64::from_be_bytes(first) % n == k
}

/// The last run's summary of a bundle, when its report was made from the same
/// bundle content with the same rule pack.
fn unchanged(input: &Path, report_json: &Path, rules_sha: &str) -> Option<SummaryRow> {
    let text = fs::read_to_string(report_json).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    if v["rules"]["sha256"].as_str()? != rules_sha {
        return None;
    }
    let (_, sha) = crate::fingerprint(input).ok()?;
    if v["bundle"]["sha256"].as_str()? != sha {
        return None;
    }
    let strings = |x: &serde_json::Value| -> Vec<String> {
        x.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    Some(SummaryRow {
        name: bundle_stem(input),
        input: input.display().to_string(),
        verdict: v["verdict"].as_str().unwrap_or("").to_string(),
        findings: v["findings"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .map(|f| {
                        format!(
                            "{} ({}, {})",
                            f["rule"].as_str().unwrap_or(""),
                            f["severity"].as_str().unwrap_or(""),
                            f["confidence"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        nodes: v["environment"]["nodes"]
            .as_array()
            .map(|ns| {
                ns.iter()
                    .flat_map(|n| strings(&serde_json::json!([n["name"]])))
                    .collect()
            })
            .unwrap_or_default(),
        bytes: v["bundle"]["bytes"].as_u64().unwrap_or(0),
        seconds: 0.0,
        report: None,
        error: None,
        unchanged: true,
        unrecognized: v["unrecognized"]
            .as_array()
            .map(|us| {
                us.iter()
                    .filter(|u| !u["benign"].as_bool().unwrap_or(false))
                    .take(10)
                    .filter_map(|u| u["template"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        warnings: strings(&v["warnings"]),
    })
}

/// Analyze bundles in parallel on `jobs` workers (0: one per core). With
/// `reuse_in`, a bundle whose last report (in that directory) matches its
/// content and the rule pack is not analyzed again. Outcomes come back in the
/// order of `bundles`.
///
/// Scheduling: the largest bundles start first, so the ones that may end up
/// running alone are small. A bundle is read and scanned on its worker's one
/// thread (`Options::one_thread`) unless it would otherwise run alone for a
/// while (see `pipelined`: the last one, or one much larger than the rest);
/// then it gets its pipeline threads, which use the cores the other workers
/// leave idle. The pipeline costs about 15 % more CPU than one thread, so a
/// folder of equal bundles is fastest one bundle per core.
pub fn run(
    bundles: &[PathBuf],
    pack: &RulePack,
    matcher: &Matcher,
    options: &Options,
    jobs: usize,
    reuse_in: Option<&Path>,
    progress: &dyn Progress,
) -> Vec<Outcome> {
    let jobs = match jobs {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    // About how much work each bundle is: what it holds on disk.
    let sizes: Vec<u64> = bundles.iter().map(|b| crate::input_bytes(b)).collect();
    let mut order: Vec<usize> = (0..bundles.len()).collect();
    order.sort_by(|&a, &b| sizes.get(b).cmp(&sizes.get(a)).then(a.cmp(&b)));
    let next = AtomicUsize::new(0);
    let waiting = AtomicU64::new(sizes.iter().sum());
    let running = AtomicU64::new(0);
    let one_thread = Options {
        one_thread: true,
        ..options.clone()
    };
    let worker = || {
        let mut done = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::SeqCst)) {
            let (Some(bundle), Some(&size)) = (bundles.get(i), sizes.get(i)) else {
                break;
            };
            let left = waiting
                .fetch_sub(size, Ordering::SeqCst)
                .saturating_sub(size);
            let others_running = running.fetch_add(size, Ordering::SeqCst);
            let options = if pipelined(size, left, others_running, jobs) {
                options
            } else {
                &one_thread
            };
            done.push((
                i,
                analyze_one(bundle, pack, matcher, options, reuse_in, progress),
            ));
            running.fetch_sub(size, Ordering::SeqCst);
        }
        done
    };
    let mut outcomes: Vec<(usize, Outcome)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs.min(bundles.len()))
            .map(|_| scope.spawn(worker))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    outcomes.sort_by_key(|(i, _)| *i);
    outcomes.into_iter().map(|(_, o)| o).collect()
}

/// Whether a bundle of `size` bytes gets its pipeline threads: only when the
/// bundles still waiting (`left` bytes) and those the other workers are
/// running (`others_running`) would not keep the other `jobs - 1` workers busy
/// while it runs. Otherwise the cores are taken, and the pipeline would only
/// add its overhead.
fn pipelined(size: u64, left: u64, others_running: u64, jobs: usize) -> bool {
    let others = jobs.saturating_sub(1) as u64;
    others > 0 && left.saturating_add(others_running) < size.saturating_mul(others)
}

fn analyze_one(
    bundle: &Path,
    pack: &RulePack,
    matcher: &Matcher,
    options: &Options,
    reuse_in: Option<&Path>,
    progress: &dyn Progress,
) -> Outcome {
    let name = bundle_stem(bundle);
    progress.started(bundle);
    let started = Instant::now();
    let previous = reuse_in
        .and_then(|dir| unchanged(bundle, &dir.join(&name).join("report.json"), &pack.hash));
    let status = match previous {
        Some(row) => Status::Unchanged(Box::new(row)),
        None => match analyze(bundle, pack, matcher, options) {
            Ok(r) => Status::Analyzed(Box::new(r)),
            Err(e) => Status::Failed(e.to_string()),
        },
    };
    let outcome = Outcome {
        input: bundle.to_path_buf(),
        name,
        status,
        seconds: started.elapsed().as_secs_f64(),
    };
    progress.finished(&outcome);
    outcome
}

/// Told, from the worker threads, when each bundle starts and ends: the CLI
/// draws a progress bar or prints a line; the library never prints.
pub trait Progress: Sync {
    fn started(&self, bundle: &Path);
    fn finished(&self, outcome: &Outcome);
}

/// No progress reporting (tests, `--quiet`, library users).
pub struct Silent;

impl Progress for Silent {
    fn started(&self, _: &Path) {}
    fn finished(&self, _: &Outcome) {}
}

/// Write `path` through a temporary name and a rename, so a crash never leaves half a report.
pub fn write_atomic(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(content)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)
}

/// Write one report in each format to `dir/report.<ext>`.
pub fn write_report(
    report: &Report,
    dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for &f in formats {
        let text = render(report, f).map_err(|e| e.to_string())?;
        let path = dir.join(format!("report.{}", f.extension()));
        write_atomic(&path, text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// One row of the batch summary.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SummaryRow {
    pub name: String,
    pub input: String,
    pub verdict: String,
    pub findings: Vec<String>,
    pub nodes: Vec<String>,
    pub bytes: u64,
    /// Wall time of the analysis (0 when the last report was reused).
    pub seconds: f64,
    pub report: Option<String>,
    pub error: Option<String>,
    /// The last run's report was reused (same bundle, same rule pack).
    #[serde(default)]
    pub unchanged: bool,
    /// Templates of the errors no rule explains (not known noise), most telling first.
    #[serde(default)]
    pub unrecognized: Vec<String>,
    /// The report's warnings (truncated archive, limits hit): a bundle read
    /// only in part is named as such in the index.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// A template of unexplained errors seen in several bundles: what to write a rule for next.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Recurring {
    pub template: String,
    pub bundles: Vec<String>,
}

/// Templates by the number of bundles they appear in (at least two), most first.
pub fn recurring(rows: &[SummaryRow]) -> Vec<Recurring> {
    let mut by_template: std::collections::BTreeMap<&str, Vec<String>> =
        std::collections::BTreeMap::new();
    for r in rows {
        for t in &r.unrecognized {
            by_template
                .entry(t.as_str())
                .or_default()
                .push(r.name.clone());
        }
    }
    let mut out: Vec<Recurring> = by_template
        .into_iter()
        .filter(|(_, b)| b.len() >= 2)
        .map(|(t, bundles)| Recurring {
            template: t.to_string(),
            bundles,
        })
        .collect();
    out.sort_by(|a, b| {
        b.bundles
            .len()
            .cmp(&a.bundles.len())
            .then(a.template.cmp(&b.template))
    });
    out.truncate(20);
    out
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Summary {
    pub bundles: Vec<SummaryRow>,
    /// Unexplained error templates that recur across bundles.
    #[serde(default)]
    pub recurring: Vec<Recurring>,
}

impl Summary {
    pub fn new(bundles: Vec<SummaryRow>) -> Summary {
        let recurring = recurring(&bundles);
        Summary { bundles, recurring }
    }
}

pub fn summary_row(
    o: &Outcome,
    report_link: Option<String>,
    write_error: Option<String>,
) -> SummaryRow {
    match &o.status {
        Status::Analyzed(r) => SummaryRow {
            name: o.name.clone(),
            input: o.input.display().to_string(),
            verdict: r.verdict.clone(),
            findings: r
                .findings
                .iter()
                .map(|f| format!("{} ({}, {})", f.rule, f.severity, f.confidence))
                .collect(),
            nodes: r.environment.nodes.iter().map(|n| n.name.clone()).collect(),
            bytes: r.bundle.bytes,
            seconds: o.seconds,
            report: report_link,
            error: write_error,
            unchanged: false,
            unrecognized: r
                .unrecognized
                .iter()
                .filter(|u| !u.benign)
                .take(10)
                .map(|u| u.template.clone())
                .collect(),
            warnings: r.warnings.clone(),
        },
        Status::Unchanged(row) => SummaryRow {
            report: report_link,
            ..(**row).clone()
        },
        Status::Failed(e) => SummaryRow {
            name: o.name.clone(),
            input: o.input.display().to_string(),
            verdict: String::new(),
            findings: Vec::new(),
            nodes: Vec::new(),
            bytes: 0,
            seconds: o.seconds,
            report: None,
            error: Some(e.clone()),
            unchanged: false,
            unrecognized: Vec::new(),
            warnings: Vec::new(),
        },
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `summary.csv`: one row per bundle, for spreadsheets.
pub fn summary_csv(summary: &Summary) -> String {
    let mut out = String::from("name,verdict,findings,nodes,bytes,seconds,error\n");
    for r in &summary.bundles {
        let row = [
            csv_field(&r.name),
            csv_field(&r.verdict),
            csv_field(&r.findings.join("; ")),
            csv_field(&r.nodes.join(" ")),
            r.bytes.to_string(),
            format!("{:.3}", r.seconds),
            csv_field(r.error.as_deref().unwrap_or("")),
        ];
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// Merge the `summary.json` of several output folders (shards) into one summary;
/// report links are made relative to `into`.
pub fn merge(outs: &[PathBuf], into: &Path) -> Result<Summary, String> {
    let mut merged = Summary::default();
    for out in outs {
        let path = out.join("summary.json");
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut s: Summary = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a podmortem summary ({e})", path.display()))?;
        for row in &mut s.bundles {
            if let Some(link) = &row.report {
                let full = out.join(link);
                row.report = Some(relative(into, &full));
            }
        }
        merged.bundles.extend(s.bundles);
    }
    merged.bundles.sort_by(|a, b| a.name.cmp(&b.name));
    merged.recurring = recurring(&merged.bundles);
    Ok(merged)
}

/// `to` as seen from directory `from` (both as given; no filesystem access).
fn relative(from: &Path, to: &Path) -> String {
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(
        t.iter()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `OUT/index.html`, `OUT/summary.json` and `OUT/summary.csv` for a batch.
pub fn write_index(out: &Path, summary: &Summary) -> Result<(), String> {
    let html = render_index(summary).map_err(|e| e.to_string())?;
    write_atomic(&out.join("index.html"), html.as_bytes()).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(summary).map_err(|e| e.to_string())?;
    write_atomic(&out.join("summary.json"), json.as_bytes()).map_err(|e| e.to_string())?;
    write_atomic(&out.join("summary.csv"), summary_csv(summary).as_bytes())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_gets_its_pipeline_only_when_it_would_run_alone() {
        let mb = 1 << 20;
        // One job: never (the run is told to use one core).
        assert!(!pipelined(500 * mb, 0, 0, 1));
        // Eight equal bundles on two workers: the first starts with seven waiting...
        assert!(!pipelined(40 * mb, 7 * 40 * mb, 0, 2));
        // ...and the last two start together, each keeping the other's core busy.
        assert!(!pipelined(40 * mb, 0, 40 * mb, 2));
        // The last one, alone: its pipeline has the idle core.
        assert!(pipelined(40 * mb, 0, 0, 2));
        // A 5 GB bundle among ten small ones: the small ones cannot keep the
        // other worker busy for as long as it runs.
        assert!(pipelined(5000 * mb, 10 * 40 * mb, 0, 2));
        // Four workers: three others to keep busy.
        assert!(pipelined(100 * mb, 200 * mb, 0, 4));
        assert!(!pipelined(100 * mb, 200 * mb, 100 * mb, 4));
    }

    #[test]
    fn shards_split_a_folder_stably_and_completely() {
        let names: Vec<PathBuf> = (0..200)
            .map(|i| PathBuf::from(format!("in/customer-{i}.tar.gz")))
            .collect();
        let mut seen = 0;
        for k in 0..4 {
            let mine: Vec<_> = names.iter().filter(|p| in_shard(p, k, 4)).collect();
            assert!(
                !mine.is_empty() && mine.len() < 100,
                "shard {k}: {}",
                mine.len()
            );
            seen += mine.len();
        }
        assert_eq!(seen, 200, "every bundle is in exactly one shard");
        // The same name is in the same shard whatever folder it sits in.
        assert_eq!(
            in_shard(Path::new("a/customer-7.tar.gz"), 3, 4),
            in_shard(Path::new("b/c/customer-7.tar.gz"), 3, 4)
        );
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let s = Summary {
            bundles: vec![SummaryRow {
                name: "b,1".into(),
                input: "x".into(),
                verdict: "say \"hi\"".into(),
                findings: vec!["a (high, confirmed)".into()],
                nodes: vec!["n1".into()],
                bytes: 3,
                seconds: 0.5,
                report: None,
                error: None,
                unchanged: false,
                unrecognized: Vec::new(),
                warnings: Vec::new(),
            }],
            recurring: Vec::new(),
        };
        let csv = summary_csv(&s);
        assert_eq!(
            csv.lines().nth(1),
            Some("\"b,1\",\"say \"\"hi\"\"\",\"a (high, confirmed)\",n1,3,0.500,"),
            "{csv}"
        );
    }

    #[test]
    fn templates_seen_in_two_bundles_or_more_are_listed_most_first() {
        let row = |name: &str, ts: &[&str]| SummaryRow {
            name: name.into(),
            input: String::new(),
            verdict: String::new(),
            findings: Vec::new(),
            nodes: Vec::new(),
            bytes: 0,
            seconds: 0.0,
            report: None,
            error: None,
            unchanged: false,
            unrecognized: ts.iter().map(|t| t.to_string()).collect(),
            warnings: Vec::new(),
        };
        let rows = vec![
            row("a", &["x failed", "y failed"]),
            row("b", &["x failed"]),
            row("c", &["x failed", "y failed", "z"]),
        ];
        let r = recurring(&rows);
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].template.as_str(), r[0].bundles.len()),
            ("x failed", 3)
        );
        assert_eq!(
            (r[1].template.as_str(), r[1].bundles.len()),
            ("y failed", 2)
        );
    }

    #[test]
    fn merged_links_point_from_the_merged_index() {
        assert_eq!(
            relative(Path::new("merged"), Path::new("out-0/b1/report.html")),
            "../out-0/b1/report.html"
        );
        assert_eq!(
            relative(Path::new("out"), Path::new("out/b1/report.html")),
            "b1/report.html"
        );
    }

    #[test]
    fn archive_suffixes_are_stripped_from_bundle_names() {
        assert_eq!(
            bundle_stem(Path::new("in/customer-4711.tar.gz")),
            "customer-4711"
        );
        assert_eq!(bundle_stem(Path::new("in/x.tgz")), "x");
        assert_eq!(bundle_stem(Path::new("in/bundle")), "bundle");
    }
}

//! A folder of bundles: find the bundles, analyze them in parallel
//! (`run`), write one report directory each and an index (`output`), and sum
//! them up (`summary`). One bad bundle never stops the batch.

mod output;
mod summary;

pub use output::{deliver, write_atomic, write_report, Delivery, Error};
pub use summary::{
    merge, recurring, summary_csv, summary_row, write_index, Recurring, Summary, SummaryRow,
};

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::facts::Severity;
use crate::report::Report;
use crate::Analyzer;

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
    /// The last run's report (read back here) still holds: same bundle
    /// content, same rule pack.
    Unchanged(Box<Report>),
    Failed(String),
}

impl Outcome {
    /// The report, analyzed now or reused.
    pub fn report(&self) -> Option<&Report> {
        match &self.status {
            Status::Analyzed(r) | Status::Unchanged(r) => Some(r),
            Status::Failed(_) => None,
        }
    }
}

/// The bundles the inputs name: a folder of bundles expands into its bundles,
/// anything else is one bundle; then only those of `shard` (K of N) stay.
/// `batch` is true when there is more than one input or a folder of bundles:
/// the run gets an index.
pub fn expand(inputs: &[PathBuf], shard: Option<(u64, u64)>) -> (Vec<PathBuf>, bool) {
    let mut bundles = Vec::new();
    let mut batch = inputs.len() > 1;
    for input in inputs {
        if input.is_dir() && is_folder_of_bundles(input) {
            batch = true;
            bundles.extend(bundles_in(input));
        } else {
            bundles.push(input.clone());
        }
    }
    if let Some((k, n)) = shard {
        bundles.retain(|b| in_shard(b, k, n));
    }
    (bundles, batch)
}

/// The most severe finding of any report, and whether any bundle could not be read at all.
pub fn worst(outcomes: &[Outcome]) -> (Option<Severity>, bool) {
    let worst = outcomes
        .iter()
        .filter_map(Outcome::report)
        .flat_map(|r| r.findings.iter().map(|f| f.severity))
        .max();
    let unreadable = outcomes
        .iter()
        .any(|o| matches!(o.status, Status::Failed(_)));
    (worst, unreadable)
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

/// The last run's report of a bundle, when it was made from the same bundle
/// content with the same rule pack.
fn unchanged(input: &Path, report_json: &Path, rules_sha: &str) -> Option<Report> {
    let text = fs::read_to_string(report_json).ok()?;
    let report: Report = serde_json::from_str(&text).ok()?;
    if report.rules.sha256 != rules_sha {
        return None;
    }
    let (_, sha) = crate::ingest::fingerprint(input).ok()?;
    (report.bundle.sha256 == sha).then_some(report)
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
    analyzer: &Analyzer,
    jobs: usize,
    reuse_in: Option<&Path>,
    progress: &dyn Progress,
) -> Vec<Outcome> {
    let jobs = match jobs {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    // About how much work each bundle is: what it holds on disk.
    let sizes: Vec<u64> = bundles
        .iter()
        .map(|b| crate::ingest::input_bytes(b))
        .collect();
    let mut order: Vec<usize> = (0..bundles.len()).collect();
    order.sort_by(|&a, &b| sizes.get(b).cmp(&sizes.get(a)).then(a.cmp(&b)));
    let next = AtomicUsize::new(0);
    let waiting = AtomicU64::new(sizes.iter().sum());
    let running = AtomicU64::new(0);
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
            let one_thread = !pipelined(size, left, others_running, jobs);
            done.push((
                i,
                analyze_one(bundle, analyzer, one_thread, reuse_in, progress),
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
    analyzer: &Analyzer,
    one_thread: bool,
    reuse_in: Option<&Path>,
    progress: &dyn Progress,
) -> Outcome {
    let name = bundle_stem(bundle);
    progress.started(bundle);
    let started = Instant::now();
    let previous = reuse_in.and_then(|dir| {
        unchanged(
            bundle,
            &dir.join(&name).join("report.json"),
            &analyzer.pack().hash,
        )
    });
    let status = match previous {
        Some(report) => Status::Unchanged(Box::new(report)),
        None => match analyzer.analyze_with(bundle, one_thread || analyzer.options().one_thread) {
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
    fn archive_suffixes_are_stripped_from_bundle_names() {
        assert_eq!(
            bundle_stem(Path::new("in/customer-4711.tar.gz")),
            "customer-4711"
        );
        assert_eq!(bundle_stem(Path::new("in/x.tgz")), "x");
        assert_eq!(bundle_stem(Path::new("in/bundle")), "bundle");
    }
}

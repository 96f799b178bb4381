//! A folder of bundles: find the bundles, analyze them in parallel, write one
//! report directory each and an index. One bad bundle never stops the batch.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

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

/// The result of one bundle of a batch.
pub struct Outcome {
    pub input: PathBuf,
    pub name: String,
    pub result: Result<Report, String>,
}

/// Analyze bundles in parallel on `jobs` threads (0: all cores).
pub fn run(
    bundles: &[PathBuf],
    pack: &RulePack,
    matcher: &Matcher,
    options: &Options,
    jobs: usize,
) -> Vec<Outcome> {
    let work = || {
        bundles
            .par_iter()
            .map(|b| Outcome {
                input: b.clone(),
                name: bundle_stem(b),
                result: analyze(b, pack, matcher, options).map_err(|e| e.to_string()),
            })
            .collect()
    };
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
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
#[derive(Serialize)]
pub struct SummaryRow {
    pub name: String,
    pub input: String,
    pub verdict: String,
    pub findings: Vec<String>,
    pub nodes: Vec<String>,
    pub bytes: u64,
    pub report: Option<String>,
    pub error: Option<String>,
}

#[derive(Serialize)]
pub struct Summary {
    pub bundles: Vec<SummaryRow>,
}

pub fn summary_row(
    o: &Outcome,
    report_link: Option<String>,
    write_error: Option<String>,
) -> SummaryRow {
    match &o.result {
        Ok(r) => SummaryRow {
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
            report: report_link,
            error: write_error,
        },
        Err(e) => SummaryRow {
            name: o.name.clone(),
            input: o.input.display().to_string(),
            verdict: String::new(),
            findings: Vec::new(),
            nodes: Vec::new(),
            bytes: 0,
            report: None,
            error: Some(e.clone()),
        },
    }
}

/// `OUT/index.html` and `OUT/summary.json` for a batch.
pub fn write_index(out: &Path, summary: &Summary) -> Result<(), String> {
    let html = render_index(summary).map_err(|e| e.to_string())?;
    write_atomic(&out.join("index.html"), html.as_bytes()).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(summary).map_err(|e| e.to_string())?;
    write_atomic(&out.join("summary.json"), json.as_bytes()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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

//! The summary of a batch: one row per bundle (`summary.json`, `summary.csv`,
//! `index.html`), the unexplained error templates that recur across bundles,
//! and the merge of several shards' summaries into one.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::output::{write_atomic, Error};
use super::{Outcome, Status};
use crate::report::render::{render_index, RenderError};

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

/// One bundle's row: its report's verdict, findings, nodes and unexplained
/// templates, where its report was written, or why it failed.
pub fn summary_row(
    o: &Outcome,
    report_link: Option<String>,
    write_error: Option<String>,
) -> SummaryRow {
    match &o.status {
        Status::Analyzed(r) | Status::Unchanged(r) => SummaryRow {
            name: o.name.clone(),
            input: o.input.display().to_string(),
            verdict: r.verdict.clone(),
            findings: r
                .findings
                .iter()
                .map(|f| {
                    format!(
                        "{} ({}, {})",
                        f.rule,
                        f.severity.as_str(),
                        f.confidence.as_str()
                    )
                })
                .collect(),
            nodes: r.environment.nodes.iter().map(|n| n.name.clone()).collect(),
            bytes: r.bundle.bytes,
            seconds: if matches!(o.status, Status::Unchanged(_)) {
                0.0
            } else {
                o.seconds
            },
            report: report_link,
            error: write_error,
            unchanged: matches!(o.status, Status::Unchanged(_)),
            unrecognized: r
                .unrecognized
                .iter()
                .filter(|u| !u.benign)
                .take(10)
                .map(|u| u.template.clone())
                .collect(),
            warnings: r.warnings.clone(),
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
pub fn merge(outs: &[PathBuf], into: &Path) -> Result<Summary, Error> {
    let mut merged = Summary::default();
    for out in outs {
        let path = out.join("summary.json");
        let text = fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let mut s: Summary = serde_json::from_str(&text).map_err(|source| Error::NotASummary {
            path: path.clone(),
            source,
        })?;
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
pub fn write_index(out: &Path, summary: &Summary) -> Result<(), Error> {
    fs::create_dir_all(out).map_err(|source| Error::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let html = render_index(summary)?;
    write_atomic(&out.join("index.html"), html.as_bytes())?;
    let json = serde_json::to_string_pretty(summary).map_err(RenderError::from)?;
    write_atomic(&out.join("summary.json"), json.as_bytes())?;
    write_atomic(&out.join("summary.csv"), summary_csv(summary).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

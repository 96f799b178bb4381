//! Writing a batch's outputs: each bundle's reports (through a temporary
//! name and a rename, so a crash never leaves half a report) and, for a
//! folder of bundles, the index and summaries.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::summary::{summary_row, write_index, Summary};
use super::Outcome;
use crate::report::render::{render, Format, RenderError};
use crate::report::Report;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Render(#[from] RenderError),
    #[error("{}: not a podmortem summary ({source})", path.display())]
    NotASummary {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// Write `path` through a temporary name and a rename, so a crash never leaves half a report.
pub fn write_atomic(path: &Path, content: &[u8]) -> Result<(), Error> {
    write_through_temp(path, content).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn write_through_temp(path: &Path, content: &[u8]) -> std::io::Result<()> {
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
) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    for &f in formats {
        let text = render(report, f)?;
        let path = dir.join(format!("report.{}", f.extension()));
        write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// What writing a batch's outputs did: per outcome (in order), the folder its
/// reports went to now or why they could not be written (None: nothing to
/// write, the bundle was unreadable or its last report stands); and the index.
pub struct Delivery {
    pub written: Vec<Option<Result<PathBuf, Error>>>,
    /// `Some` for a batch: the index written, or why not.
    pub index: Option<Result<PathBuf, Error>>,
}

/// Write every report of a run under `out` (`out/<bundle>/report.<ext>`), and
/// for a batch the index, `summary.json` and `summary.csv` (report links
/// relative to `out`). A bundle whose report could not be written is a row
/// with its error; the others are still written.
pub fn deliver(outcomes: &[Outcome], out: &Path, formats: &[Format], batch: bool) -> Delivery {
    let mut written = Vec::new();
    let mut rows = Vec::new();
    for o in outcomes {
        let dir = out.join(&o.name);
        let (link, error, result) = match &o.status {
            super::Status::Analyzed(report) => match write_report(report, &dir, formats) {
                Ok(paths) => (
                    paths.first().map(|p| relative_link(out, p)),
                    None,
                    Some(Ok(dir)),
                ),
                Err(e) => (None, Some(e.to_string()), Some(Err(e))),
            },
            // The last run wrote it: link to what is there.
            super::Status::Unchanged(_) => (
                formats
                    .first()
                    .map(|f| format!("{}/report.{}", o.name, f.extension())),
                None,
                None,
            ),
            super::Status::Failed(_) => (None, None, None),
        };
        rows.push(summary_row(o, link, error));
        written.push(result);
    }
    let index =
        batch.then(|| write_index(out, &Summary::new(rows)).map(|()| out.join("index.html")));
    Delivery { written, index }
}

fn relative_link(base: &Path, p: &Path) -> String {
    p.strip_prefix(base).unwrap_or(p).display().to_string()
}

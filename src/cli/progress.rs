//! Batch progress on standard error: a bar on a terminal, one line per
//! bundle otherwise. The library only says when a bundle starts and ends
//! (`batch::Progress`); drawing is the command line's job.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use podmortem::batch::{self, Status};

/// Batch progress on standard error: a bar (bundles done of total, bytes per
/// second, the bundles in progress) on a terminal, one plain line per finished
/// bundle otherwise (CI logs, `2> file`).
pub struct BatchProgress {
    bar: Option<ProgressBar>,
    total: usize,
    sizes: BTreeMap<PathBuf, u64>,
    state: Mutex<(usize, BTreeSet<String>)>,
}

impl BatchProgress {
    pub fn new(bundles: &[PathBuf]) -> BatchProgress {
        let sizes: BTreeMap<PathBuf, u64> = bundles
            .iter()
            .map(|b| (b.clone(), podmortem::ingest::input_bytes(b)))
            .collect();
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(sizes.values().sum());
            let style = ProgressStyle::with_template(
                "{prefix} bundles {bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_prefix(format!("0/{}", bundles.len()));
            bar
        });
        BatchProgress {
            bar,
            total: bundles.len(),
            sizes,
            state: Mutex::new((0, BTreeSet::new())),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl batch::Progress for BatchProgress {
    fn started(&self, bundle: &Path) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        state.1.insert(bundle.display().to_string());
        if let Some(bar) = &self.bar {
            bar.set_message(state.1.iter().cloned().collect::<Vec<_>>().join(", "));
        }
    }

    fn finished(&self, o: &batch::Outcome) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        state.0 += 1;
        state.1.remove(&o.input.display().to_string());
        let what = match &o.status {
            Status::Analyzed(r) => format!(
                "analyzed in {:.1} s, {} finding(s)",
                o.seconds,
                r.findings.len()
            ),
            Status::Unchanged(_) => {
                "unchanged since the last run (same content, same rules): skipped; --force re-analyzes"
                    .to_string()
            }
            // The error names the bundle itself: one line, as when not in a batch.
            Status::Failed(e) => format!("podmortem: {e}"),
        };
        let line = match &o.status {
            Status::Failed(_) => format!("[{}/{}] {what}", state.0, self.total),
            _ => format!("[{}/{}] {}: {what}", state.0, self.total, o.input.display()),
        };
        match &self.bar {
            Some(bar) => {
                bar.inc(self.sizes.get(&o.input).copied().unwrap_or(0));
                bar.set_prefix(format!("{}/{}", state.0, self.total));
                bar.set_message(state.1.iter().cloned().collect::<Vec<_>>().join(", "));
                bar.println(line);
            }
            None => eprintln!("{line}"),
        }
    }
}

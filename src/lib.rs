//! podmortem: an offline analyzer for Kubernetes support bundles.
//!
//! The pipeline, one module per stage (DESIGN.md), with plain data between
//! them (`facts`):
//!
//! ```text
//! ingest          (reader thread)  archive / directory -> entries -> line-aligned blocks
//! classify                         each entry's ArtifactKind, by content and path
//! parse                            structured artifacts -> facts (packages, mounts, pods, events, versions)
//! logline / records / scan         blocks -> prefilter hits -> joined records -> signal hits (Observations)
//! layout                           which node each artifact belongs to, and its name
//! node_facts                       each node's package list, mount table, versions, OS, runtime
//! rules::evaluate                  hits + node facts -> verdicts (confirmed / probable / ruled out / resolved)
//! unrecognized                     error-like records no rule explains -> clustered templates
//! report                           one Report value -> JSON, Markdown, HTML
//! batch                            a folder of bundles -> one report each, in parallel, plus an index
//! ```
//!
//! `Analyzer::analyze` runs them in that order; nothing else here computes.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod batch;
pub mod classify;
pub mod facts;
pub mod ingest;
pub mod layout;
pub mod logline;
pub mod node_facts;
pub mod parse;
pub mod records;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod scan;
pub mod templates;
pub mod unrecognized;
pub mod version;

#[cfg(test)]
mod testing;

use std::path::Path;
use std::sync::mpsc::sync_channel;

use thiserror::Error;

use facts::Observations;
use ingest::{IngestError, Limits, Sink};
use report::model::{BundleInfo, Report};
use rules::load::RulePack;
use rules::matcher::Matcher;
use unrecognized::Tally;

/// How one analysis runs.
#[derive(Clone, Debug)]
pub struct Options {
    pub limits: Limits,
    /// What quoted evidence is masked.
    pub redaction: report::redact::Policy,
    /// Do everything on the calling thread (`--jobs 1`): no reader, hash or
    /// error-building threads, so a run uses about one core.
    pub one_thread: bool,
    /// Cluster the error-like records no rule explains (`--no-unrecognized` turns it off).
    pub unrecognized: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            limits: Limits::default(),
            redaction: report::redact::Policy::default(),
            one_thread: false,
            unrecognized: true,
        }
    }
}

#[derive(Debug, Error)]
pub enum Error {
    /// The input could not be read at all (exit code 3).
    #[error("{0}")]
    Input(#[from] IngestError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("internal error: a reader thread stopped unexpectedly")]
    ReaderPanicked,
}

/// Chunks in flight between the reader and the analysis thread: bounds memory
/// (about this many blocks) while letting inflate run ahead of matching.
const CHANNEL_DEPTH: usize = 8;

/// A rule pack compiled for a run, and how to run: analyze any number of
/// bundles with it, from any number of threads.
#[derive(Debug)]
pub struct Analyzer {
    pack: RulePack,
    matcher: Matcher,
    options: Options,
}

/// What reading and scanning a bundle gives: the observations, the error-like
/// records tallied by template, how reading ended, and the bundle's identity.
struct Scanned {
    obs: Observations,
    errors: Tally,
    read: Result<(), IngestError>,
    bundle: BundleInfo,
}

impl Analyzer {
    pub fn new(pack: RulePack, options: Options) -> Analyzer {
        let matcher = Matcher::new(&pack);
        let matcher = if options.unrecognized {
            matcher
        } else {
            matcher.without_unrecognized()
        };
        Analyzer {
            pack,
            matcher,
            options,
        }
    }

    pub fn pack(&self) -> &RulePack {
        &self.pack
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The compiled matcher, for callers that drive a `scan::Scanner` themselves.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Analyze one bundle (archive, compressed file, or extracted directory).
    pub fn analyze(&self, input: &Path) -> Result<Report, Error> {
        self.analyze_with(input, self.options.one_thread)
    }

    /// `analyze`, on the calling thread alone when `one_thread`.
    pub fn analyze_with(&self, input: &Path, one_thread: bool) -> Result<Report, Error> {
        // Fail early, with the path, when the input cannot be opened at all, or
        // is a fifo or device: reading one may block or never end.
        let meta = std::fs::metadata(input).map_err(|source| IngestError::Open {
            path: input.to_path_buf(),
            source,
        })?;
        if !meta.is_file() && !meta.is_dir() {
            return Err(Error::Input(IngestError::NotAFile {
                path: input.to_path_buf(),
            }));
        }
        let Scanned {
            mut obs,
            errors,
            read,
            bundle,
        } = if one_thread {
            self.scan_here(input)?
        } else {
            self.scan_pipelined(input)?
        };
        match read {
            Ok(()) => {}
            // Nothing at all could be read: the input is unreadable.
            Err(e) if obs.inventory.is_empty() => return Err(Error::Input(e)),
            Err(e) => obs.warnings.push(format!("reading stopped: {e}")),
        }
        Ok(self.conclude(obs, &errors, bundle))
    }

    /// The stages after the scan, on what it observed: layout, node facts,
    /// evaluation, clustering of what no rule explains, the report (redacted).
    pub fn conclude(&self, mut obs: Observations, errors: &Tally, bundle: BundleInfo) -> Report {
        let inventory = std::mem::take(&mut obs.inventory);
        let warnings = std::mem::take(&mut obs.warnings);
        learn_hosts(&mut obs, errors);
        let layout = layout::resolve(&obs.artifacts);
        let nodes = node_facts::build(&obs, &layout);
        let verdicts = rules::evaluate::evaluate(&self.pack, &obs, &layout, &nodes);
        let clusters = if self.matcher.collects_unrecognized() {
            unrecognized::clusters(&obs, errors, &layout)
        } else {
            Vec::new()
        };
        let mut report = report::build::build(report::build::Parts {
            bundle,
            pack: &self.pack,
            obs: &obs,
            nodes: &nodes,
            verdicts: &verdicts,
            clusters,
            inventory,
            warnings,
        });
        report::redact::redact_report(&mut report, self.options.redaction);
        report
    }

    /// Read, scan, build error records and hash on threads of their own (reader
    /// and hash beside the scan, error records beside both).
    fn scan_pipelined(&self, input: &Path) -> Result<Scanned, Error> {
        let (tx, rx) = sync_channel(CHANNEL_DEPTH);
        let limits = self.options.limits.clone();
        let input_owned = input.to_path_buf();
        let reader = std::thread::spawn(move || {
            let mut sink = Sink::new(tx, limits);
            ingest::read_input(&input_owned, &mut sink)
        });
        // The bundle's hash reads the input once more: do it beside the pipeline,
        // not after it.
        let hashed = {
            let input = input.to_path_buf();
            std::thread::spawn(move || bundle_info(&input))
        };
        // Error-like records are finished (record, message, template) beside the
        // scan: on the scan thread they were the price of clustering.
        let (error_tx, error_rx) = sync_channel::<scan::ErrorBatch>(CHANNEL_DEPTH);
        let error_builder = std::thread::spawn(move || {
            let mut tally = Tally::default();
            for batch in error_rx {
                scan::finish_errors(batch, &mut tally);
            }
            tally
        });
        let mut scanner = scan::Scanner::new(&self.pack, &self.matcher).with_error_sink(error_tx);
        for chunk in rx {
            scanner.feed(chunk);
        }
        let read = reader.join().map_err(|_| Error::ReaderPanicked)?;
        let (obs, _) = scanner.finish();
        let errors = error_builder.join().map_err(|_| Error::ReaderPanicked)?;
        let bundle = hashed.join().map_err(|_| Error::ReaderPanicked)??;
        Ok(Scanned {
            obs,
            errors,
            read,
            bundle,
        })
    }

    /// Read, scan and hash on the calling thread, one after the other: for a
    /// run told to use one core (`--jobs 1`).
    fn scan_here(&self, input: &Path) -> Result<Scanned, Error> {
        let mut scanner = scan::Scanner::new(&self.pack, &self.matcher);
        let read = {
            let mut feed = |chunk| scanner.feed(chunk);
            let mut sink = Sink::inline(&mut feed, self.options.limits.clone());
            ingest::read_input(input, &mut sink)
        };
        let (obs, errors) = scanner.finish();
        let bundle = bundle_info(input)?;
        Ok(Scanned {
            obs,
            errors,
            read,
            bundle,
        })
    }
}

/// Every journald host an artifact's records came from, not only those of its
/// first lines: the hosts of its rule hits and of its error records.
fn learn_hosts(obs: &mut Observations, errors: &Tally) {
    let seen: Vec<(usize, String)> = obs
        .hits
        .iter()
        .filter_map(|h| Some((h.artifact, h.record.host.clone()?)))
        .chain(errors.hosts().map(|(a, h)| (a, h.to_string())))
        .collect();
    for (artifact, host) in seen {
        if let Some(a) = obs.artifacts.get_mut(artifact) {
            a.hosts.insert(host);
        }
    }
}

fn bundle_info(input: &Path) -> Result<BundleInfo, Error> {
    let name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| input.display().to_string());
    let (bytes, sha256) = ingest::fingerprint(input).map_err(|source| Error::Io {
        path: input.display().to_string(),
        source,
    })?;
    Ok(BundleInfo {
        name,
        bytes,
        sha256,
    })
}

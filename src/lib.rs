//! podmortem: an offline analyzer for Kubernetes support bundles.
//!
//! The pipeline, one module per stage (DESIGN.md):
//!
//! ```text
//! ingest   (reader thread)  archive / directory -> entries -> line-aligned blocks
//! classify                  each entry's ArtifactKind, by content and path
//! parse                     structured artifacts -> facts (packages, mounts, pods, events, versions)
//! records / scan            blocks -> prefilter hits -> joined records -> signal hits
//! layout                    which node each artifact belongs to, and its name
//! rules::evaluate           hits + facts -> findings (confirmed / probable) and ruled-out rules
//! report                    one Report value -> JSON, Markdown, HTML
//! batch                     a folder of bundles -> one report each, in parallel, plus an index
//! ```

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod batch;
pub mod classify;
pub mod ingest;
pub mod layout;
pub mod parse;
pub mod records;
pub mod report;
pub mod rules;
pub mod scan;
pub mod unrecognized;
pub mod version;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::sync_channel;

use sha2::{Digest, Sha256};
use thiserror::Error;

use classify::ArtifactKind;
use ingest::{IngestError, Limits, Sink};
use report::model::{BundleInfo, Environment, NodeInfo, Report, RulesInfo, SCHEMA};
use rules::load::RulePack;
use rules::matcher::Matcher;

/// How one analysis runs.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub limits: Limits,
    /// What quoted evidence is masked.
    pub redaction: report::redact::Policy,
    /// Do everything on the calling thread (`--jobs 1`): no reader, hash or
    /// error-building threads, so a run uses about one core.
    pub one_thread: bool,
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

/// Analyze one bundle (archive, compressed file, or extracted directory).
pub fn analyze(
    input: &Path,
    pack: &RulePack,
    matcher: &Matcher,
    options: &Options,
) -> Result<Report, Error> {
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
    let (mut obs, read_result, bundle) = if options.one_thread {
        scan_here(input, pack, matcher, options)?
    } else {
        scan_pipelined(input, pack, matcher, options)?
    };
    match read_result {
        Ok(()) => {}
        // Nothing at all could be read: the input is unreadable.
        Err(e) if obs.inventory.is_empty() => return Err(Error::Input(e)),
        Err(e) => obs.warnings.push(format!("reading stopped: {e}")),
    }
    let layout = layout::resolve(&obs.artifacts);
    let verdicts = rules::evaluate::evaluate(pack, &obs, &layout);
    let unrecognized = if matcher.collects_unrecognized() {
        cluster_errors(&obs, &layout)
    } else {
        Vec::new()
    };
    let environment = environment(&obs, &layout);
    obs.inventory.sort_by(|a, b| a.path.cmp(&b.path));
    let verdict = verdict(&verdicts.findings);
    let mut report = Report {
        schema: SCHEMA,
        verdict,
        bundle,
        environment,
        findings: verdicts.findings,
        ruled_out: verdicts.ruled_out,
        resolved: verdicts.resolved,
        unrecognized,
        inventory: obs.inventory,
        warnings: obs.warnings,
        redactions: Default::default(),
        rules: RulesInfo {
            count: pack.rules.len(),
            sha256: pack.hash.clone(),
        },
    };
    report::redact::redact_report(&mut report, options.redaction);
    Ok(report)
}

/// What reading and scanning a bundle gives: the observations, how reading
/// ended, and the bundle's identity.
type Scanned = (scan::Observations, Result<(), IngestError>, BundleInfo);

/// Read, scan, build error records and hash on threads of their own (reader
/// and hash beside the scan, error records beside both).
fn scan_pipelined(
    input: &Path,
    pack: &RulePack,
    matcher: &Matcher,
    options: &Options,
) -> Result<Scanned, Error> {
    let (tx, rx) = sync_channel(CHANNEL_DEPTH);
    let limits = options.limits.clone();
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
        let mut tally = unrecognized::Tally::default();
        for batch in error_rx {
            scan::finish_errors(batch, &mut tally);
        }
        tally
    });
    let mut scanner = scan::Scanner::new(pack, matcher).with_error_sink(error_tx);
    for chunk in rx {
        scanner.feed(chunk);
    }
    let read_result = reader.join().map_err(|_| Error::ReaderPanicked)?;
    let mut obs = scanner.finish();
    obs.tally = error_builder.join().map_err(|_| Error::ReaderPanicked)?;
    let bundle = hashed.join().map_err(|_| Error::ReaderPanicked)??;
    Ok((obs, read_result, bundle))
}

/// Read, scan and hash on the calling thread, one after the other: for a
/// run told to use one core (`--jobs 1`).
fn scan_here(
    input: &Path,
    pack: &RulePack,
    matcher: &Matcher,
    options: &Options,
) -> Result<Scanned, Error> {
    let mut scanner = scan::Scanner::new(pack, matcher);
    let read_result = {
        let mut feed = |chunk| scanner.feed(chunk);
        let mut sink = Sink::inline(&mut feed, options.limits.clone());
        ingest::read_input(input, &mut sink)
    };
    let obs = scanner.finish();
    let bundle = bundle_info(input)?;
    Ok((obs, read_result, bundle))
}

/// Templates shown in a report (the most telling first).
const MAX_UNRECOGNIZED: usize = 25;

/// The error-like records no rule explains, clustered into templates.
fn cluster_errors(
    obs: &scan::Observations,
    layout: &layout::Layout,
) -> Vec<report::model::Unrecognized> {
    use unrecognized::{Clusterer, Level, Occurrence, Place};
    let year = obs.artifacts.iter().filter_map(|a| a.year).max();
    let mut clusterer = Clusterer::new(5_000);
    clusterer.add_tally(&obs.tally, |artifact, host| {
        let a = obs.artifacts.get(artifact)?;
        let node = host.and_then(|h| layout.node_for_host(h)).or_else(|| {
            layout
                .node_of
                .get(artifact)
                .copied()
                .flatten()
                .and_then(|n| layout.nodes.get(n))
        });
        Some(Place {
            artifact: &a.path,
            node: node.map(|n| n.name.as_str()),
            year: a.year.or(year),
        })
    });
    // JSON events have no lines to scan: their Warning messages go in whole,
    // unless a rule's record already quotes them.
    for (i, a) in obs.artifacts.iter().enumerate() {
        if a.kind != Some(ArtifactKind::Events) {
            continue;
        }
        for ev in a
            .events
            .iter()
            .filter(|e| e.line == 0 && e.kind == "Warning")
        {
            let explained = obs
                .hits
                .iter()
                .any(|h| h.artifact == i && records::quotes(&h.record.text, &ev.message));
            if explained || ev.message.is_empty() {
                continue;
            }
            let text = format!(
                "{} {}: {}",
                ev.reason,
                ev.object.as_deref().unwrap_or(""),
                ev.message
            );
            clusterer.add(
                Level::Warning,
                &ev.message,
                Occurrence {
                    artifact: &a.path,
                    line: 0,
                    text: &text,
                    timestamp: None,
                    node: ev.node.as_deref(),
                    pod: ev
                        .object
                        .as_deref()
                        .map(|o| o.rsplit('/').next().unwrap_or(o)),
                },
            );
        }
    }
    clusterer
        .finish(MAX_UNRECOGNIZED)
        .into_iter()
        .map(|c| report::model::Unrecognized {
            template: c.template,
            level: match c.level {
                Level::Error => "error".into(),
                Level::Warning => "warning".into(),
            },
            benign: c.benign,
            count: c.count,
            first_seen: c.first_seen,
            last_seen: c.last_seen,
            nodes: c.nodes,
            pods: c.pods,
            example: report::model::Evidence {
                artifact: c.example_artifact,
                line: c.example_line,
                line_end: c.example_line,
                excerpt: c
                    .example_text
                    .lines()
                    .take(6)
                    .collect::<Vec<_>>()
                    .join("\n"),
                text: c.example_text,
                timestamp: None,
                matched: String::new(),
                signal: String::new(),
            },
        })
        .collect()
}

fn verdict(findings: &[report::model::Finding]) -> String {
    let causes: Vec<&report::model::Finding> = findings
        .iter()
        .filter(|f| f.severity != "low" && f.severity != "info")
        .collect();
    if causes.is_empty() {
        return match findings.len() {
            0 => "No known failure found.".to_string(),
            n => format!("No root cause found; {n} low-severity symptom(s) listed below."),
        };
    }
    let parts: Vec<String> = causes
        .iter()
        .map(|f| {
            let on = f.affected.nodes.join(", ");
            if on.is_empty() {
                format!("{} ({})", f.title, f.confidence)
            } else {
                format!("{} on {on} ({})", f.title, f.confidence)
            }
        })
        .collect();
    format!("{} root cause(s) found: {}", causes.len(), parts.join("; "))
}

fn environment(obs: &scan::Observations, layout: &layout::Layout) -> Environment {
    let mut kubernetes = BTreeSet::new();
    for a in &obs.artifacts {
        for v in &a.versions {
            if v.component == "kubernetes" {
                kubernetes.insert(v.version.clone());
            }
        }
    }
    let statuses: Vec<&parse::NodeStatus> =
        obs.artifacts.iter().flat_map(|a| a.nodes.iter()).collect();
    kubernetes.extend(statuses.iter().filter_map(|s| s.version.clone()));
    let mut nodes: Vec<NodeInfo> = layout
        .nodes
        .iter()
        .map(|n| {
            let mut info = NodeInfo {
                name: n.name.clone(),
                named_by: n.named_by.clone(),
                ..NodeInfo::default()
            };
            for &i in &n.artifacts {
                let Some(a) = obs.artifacts.get(i) else {
                    continue;
                };
                match a.kind {
                    Some(ArtifactKind::Packages) if !a.packages.is_empty() => {
                        info.package_list.get_or_insert_with(|| a.path.clone());
                        info.packages += a.packages.iter().filter(|p| p.installed).count();
                    }
                    Some(ArtifactKind::Mountinfo) => {
                        info.mountinfo.get_or_insert_with(|| a.path.clone());
                    }
                    Some(ArtifactKind::KubeletLog) | Some(ArtifactKind::RuntimeLog) => {
                        info.logs.push(a.path.clone())
                    }
                    _ => {}
                }
                if let Some(os) = &a.os {
                    if info.os.is_none() {
                        info.os =
                            os.pretty_name
                                .clone()
                                .or_else(|| match (&os.id, &os.version_id) {
                                    (Some(id), Some(v)) => Some(format!("{id} {v}")),
                                    (Some(id), None) => Some(id.clone()),
                                    _ => None,
                                });
                    }
                }
                for v in &a.versions {
                    match v.component.as_str() {
                        "kernel" => {
                            info.kernel.get_or_insert_with(|| v.version.clone());
                        }
                        "kubernetes" => {
                            info.kubernetes.get_or_insert_with(|| v.version.clone());
                        }
                        "containerd" | "docker" | "cri-o" => {
                            info.runtime
                                .get_or_insert_with(|| format!("{} {}", v.component, v.version));
                        }
                        _ => {}
                    }
                }
            }
            info.status = statuses
                .iter()
                .find(|s| s.name == n.name && !s.is_ready())
                .map(|s| s.status.clone());
            // A Node object's nodeInfo fills what the node's own files did not
            // say (a must-gather has no os-release or uname per node).
            for s in statuses.iter().filter(|s| s.name == n.name) {
                fill(&mut info.os, &s.os_image);
                fill(&mut info.kernel, &s.kernel);
                fill(&mut info.kubernetes, &s.version);
                let runtime = s.runtime.as_ref().map(|r| r.replacen("://", " ", 1));
                fill(&mut info.runtime, &runtime);
            }
            info
        })
        .collect();
    // Nodes only a node list names (a must-gather's Node objects, `kubectl get
    // nodes`) still belong in the picture: the NotReady one is often the story.
    let mut listed: Vec<&parse::NodeStatus> = statuses
        .iter()
        .copied()
        .filter(|s| layout.node_for_host(&s.name).is_none())
        .collect();
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    listed.dedup_by(|a, b| a.name == b.name);
    for s in listed {
        nodes.push(NodeInfo {
            name: s.name.clone(),
            named_by: "node list".to_string(),
            os: s.os_image.clone(),
            kernel: s.kernel.clone(),
            kubernetes: s.version.clone(),
            runtime: s.runtime.as_ref().map(|r| r.replacen("://", " ", 1)),
            status: (!s.is_ready()).then(|| s.status.clone()),
            ..NodeInfo::default()
        });
    }
    Environment {
        nodes,
        kubernetes: kubernetes.into_iter().collect(),
    }
}

fn fill(slot: &mut Option<String>, value: &Option<String>) {
    if slot.is_none() {
        slot.clone_from(value);
    }
}

/// A bundle's identity: `(bytes, sha256)` of a file's content, or for a
/// directory of its files' relative paths and sizes (walked without following
/// links). Incremental batch runs compare it with the last report's.
pub fn fingerprint(input: &Path) -> std::io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let bytes = if input.is_dir() {
        let mut entries = Vec::new();
        walk_sizes(input, "", &mut entries, 0)?;
        entries.sort();
        for (p, b) in &entries {
            hasher.update(p.as_bytes());
            hasher.update(b.to_le_bytes());
        }
        entries.iter().map(|(_, b)| b).sum()
    } else {
        // A fifo would block and a device (`/dev/zero`) never end.
        if !std::fs::metadata(input)?.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file or directory",
            ));
        }
        let mut f = std::fs::File::open(input)?;
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            total += n as u64;
            hasher.update(buf.get(..n).unwrap_or_default());
        }
        total
    };
    Ok((
        bytes,
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    ))
}

/// The bytes a bundle holds on disk (a file's size, or the sum of a
/// directory's files), for progress and throughput; 0 when unreadable.
pub fn input_bytes(input: &Path) -> u64 {
    if input.is_dir() {
        let mut entries = Vec::new();
        let _ = walk_sizes(input, "", &mut entries, 0);
        entries.iter().map(|(_, b)| b).sum()
    } else {
        std::fs::metadata(input).map(|m| m.len()).unwrap_or(0)
    }
}

fn walk_sizes(
    dir: &Path,
    rel: &str,
    out: &mut Vec<(String, u64)>,
    depth: usize,
) -> std::io::Result<()> {
    if depth > 64 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = format!("{rel}/{}", entry.file_name().to_string_lossy());
        let meta = std::fs::symlink_metadata(entry.path())?;
        if meta.is_dir() {
            walk_sizes(&entry.path(), &name, out, depth + 1)?;
        } else {
            out.push((name, meta.len()));
        }
    }
    Ok(())
}

fn bundle_info(input: &Path) -> Result<BundleInfo, Error> {
    let name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| input.display().to_string());
    let (bytes, sha256) = fingerprint(input).map_err(|source| Error::Io {
        path: input.display().to_string(),
        source,
    })?;
    Ok(BundleInfo {
        name,
        bytes,
        sha256,
    })
}

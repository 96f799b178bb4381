//! What each prefilter literal costs the scan (`cargo bench --bench literals`).
//!
//! Every literal a rule adds for a kind of log is searched in every byte of
//! every log of that kind, and a fuller Teddy bucket confirms more false
//! candidates. This takes the bench bundle's logs of each kind (up to 64 MB),
//! fits the kind's prefilter to them as the scan does, and times one pass of
//! it over them with every literal, then without each one in turn: the
//! literals whose absence saves the most are listed first, so a rule author
//! sees which literal to make longer or rarer.
//!
//! The bundle: `PODMORTEM_BENCH_BUNDLE`, or `bench.sh`'s 500 MB one if it was made.

use std::path::PathBuf;
use std::time::Duration;

use podmortem::facts::ArtifactKind;
use podmortem::rules::load::{builtin_sources, load};
use podmortem::rules::matcher::Matcher;
use podmortem::rules::prefilter::{Literal, Prefilter};

mod common;
use common::{entries, median, timed};

/// Bytes of each kind's logs timed.
const TEXT_BYTES: usize = 64 << 20;
/// The sample a prefilter is fitted to, as the scan's first large block.
const SAMPLE_BYTES: usize = 1 << 20;

fn main() {
    let bundle = std::env::var_os("PODMORTEM_BENCH_BUNDLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("podmortem-bench/bench-500mb.tar.gz"));
    let runs: usize = std::env::var("PODMORTEM_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let gz = std::fs::read(&bundle).unwrap_or_else(|e| {
        eprintln!(
            "literals bench: {}: {e} (run benches/bench.sh once, or set PODMORTEM_BENCH_BUNDLE)",
            bundle.display()
        );
        std::process::exit(2)
    });
    let entries = entries(&gz).unwrap_or_else(|e| {
        eprintln!("literals bench: {}: {e}", bundle.display());
        std::process::exit(1)
    });
    let pack = load(&builtin_sources()).unwrap_or_else(|e| {
        eprintln!("literals bench: the built-in pack does not load: {e:?}");
        std::process::exit(1)
    });
    let matcher = Matcher::new(&pack);
    for kind in [ArtifactKind::KubeletLog, ArtifactKind::RuntimeLog] {
        let mut text = Vec::new();
        for e in entries.iter().filter(|e| e.kind == kind) {
            text.extend_from_slice(e.text.as_bytes());
            if text.len() >= TEXT_BYTES {
                break;
            }
        }
        text.truncate(TEXT_BYTES);
        let Some(km) = matcher.for_kind(kind).filter(|_| !text.is_empty()) else {
            continue;
        };
        let literals = km.literals();
        let sample = text.get(..SAMPLE_BYTES.min(text.len())).unwrap_or_default();
        let pass = |lits: &[Literal]| -> Duration {
            let p = Prefilter::fitted(lits, sample);
            let mut out = Vec::new();
            median(
                (0..runs)
                    .map(|_| {
                        timed(|| {
                            out.clear();
                            p.hit_offsets(&text, &mut out);
                            std::hint::black_box(&out);
                        })
                    })
                    .collect(),
            )
        };
        let all = pass(literals);
        let mut saved: Vec<(f64, &str)> = (0..literals.len())
            .map(|i| {
                let without: Vec<Literal> = literals
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, l)| l.clone())
                    .collect();
                let t = pass(&without);
                (
                    all.as_secs_f64() - t.as_secs_f64(),
                    literals.get(i).map_or("", |l| l.text.as_str()),
                )
            })
            .collect();
        saved.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!(
            "{}: {} literals, one pass over {:.0} MB in {:.1} ms ({:.2} GB/s); medians of {runs}",
            kind.as_str(),
            literals.len(),
            text.len() as f64 / 1e6,
            all.as_secs_f64() * 1e3,
            text.len() as f64 / all.as_secs_f64() / 1e9,
        );
        println!("  what leaving one literal out saves (ms), most first:");
        for (s, l) in saved.iter().take(15) {
            println!("  {:>7.2}  {l:?}", s * 1e3);
        }
    }
}

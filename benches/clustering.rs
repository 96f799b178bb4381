//! Where clustering's CPU goes, stage by stage, on one thread (`cargo bench --bench clustering`).
//!
//! `bench.sh` times the whole pipeline (wall, two threads). This splits the CPU the
//! analysis spends on the same bundle into the stages that decide the clustering
//! budget (issue 8: at most 10 % of throughput), each a median of interleaved runs
//! in this one process:
//!
//! - **inflate**: gzip and tar of the bundle, entries read and discarded;
//! - **rules scan**: every entry through the scan with clustering off (`--no-unrecognized`);
//! - **clustering scan**: the same with clustering on (error pass, records, templates, tally);
//! - **error pass**: the search for error-like line starts alone, what any clustering
//!   must do before it looks at a single record.
//!
//! The baseline's CPU is inflate + rules scan; what clustering adds is the difference
//! of the two scans. The baseline keeps both cores of this machine about 95 % busy
//! (`bench.sh` without clustering: 1.65 s of CPU in 0.86 s), so added CPU lengthens
//! the wall time by at least half of itself, and the budget is about 10 % of the
//! baseline's CPU.
//!
//! The bundle: `PODMORTEM_BENCH_BUNDLE`, or `bench.sh`'s 500 MB one if it was made.

use std::path::PathBuf;
use std::time::Duration;

use podmortem::rules::load::{builtin_sources, load};
use podmortem::rules::matcher::Matcher;
use podmortem::scan::scan_text;

mod common;
use common::{entries, inflate, median, timed};

fn main() {
    let bundle = std::env::var_os("PODMORTEM_BENCH_BUNDLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("podmortem-bench/bench-500mb.tar.gz"));
    if !bundle.is_file() {
        eprintln!(
            "clustering bench: no bundle at {} (run benches/bench.sh once, or set PODMORTEM_BENCH_BUNDLE)",
            bundle.display()
        );
        std::process::exit(2);
    }
    let runs: usize = std::env::var("PODMORTEM_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let gz = std::fs::read(&bundle).unwrap_or_else(|e| fail(&bundle, e));
    let entries = entries(&gz).unwrap_or_else(|e| fail(&bundle, e));
    let bytes: usize = entries.iter().map(|e| e.text.len()).sum();
    let pack = load(&builtin_sources()).unwrap_or_else(|e| {
        eprintln!("clustering bench: the built-in pack does not load: {e:?}");
        std::process::exit(1)
    });
    let full = Matcher::new(&pack);
    let rules_only = Matcher::new(&pack).without_unrecognized();

    let mut times: [Vec<Duration>; 4] = Default::default();
    let mut records = 0;
    let mut error_starts = 0;
    for _ in 0..runs {
        times[0].push(timed(|| {
            std::hint::black_box(inflate(&gz).ok());
        }));
        times[1].push(timed(|| {
            for e in &entries {
                std::hint::black_box(scan_text(&pack, &rules_only, &e.path, &e.text));
            }
        }));
        times[2].push(timed(|| {
            records = entries
                .iter()
                .map(|e| scan_text(&pack, &full, &e.path, &e.text).1.records())
                .sum();
        }));
        times[3].push(timed(|| {
            let mut offsets = Vec::new();
            error_starts = 0;
            for e in &entries {
                offsets.clear();
                full.error_offsets(e.kind, e.text.as_bytes(), &mut offsets);
                error_starts += offsets.len();
            }
        }));
    }
    let [inflate, rules, clustering, pass] = times.map(median);
    let baseline = inflate + rules;
    let added = clustering.saturating_sub(rules);
    let rest = added.saturating_sub(pass);
    let share = |d: Duration| 100.0 * d.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "{}: {:.0} MB of logs in {} entries, {records} error-like records tallied \
         ({error_starts} line starts found by the pass); medians of {runs} runs",
        bundle.display(),
        bytes as f64 / 1e6,
        entries.len(),
    );
    println!(
        "  inflate + tar              {:>7.3} s",
        inflate.as_secs_f64()
    );
    println!(
        "  rules scan                 {:>7.3} s",
        rules.as_secs_f64()
    );
    println!(
        "  baseline CPU               {:>7.3} s   100 %",
        baseline.as_secs_f64()
    );
    println!(
        "  clustering adds            {:>7.3} s  {:>5.1} %",
        added.as_secs_f64(),
        share(added)
    );
    println!(
        "    error pass alone         {:>7.3} s  {:>5.1} %",
        pass.as_secs_f64(),
        share(pass)
    );
    println!(
        "    records to tally         {:>7.3} s  {:>5.1} %  ({:.2} us per record)",
        rest.as_secs_f64(),
        share(rest),
        rest.as_secs_f64() * 1e6 / (records.max(1) as f64)
    );
    let budget = baseline.as_secs_f64() * 0.10;
    let left = budget - pass.as_secs_f64();
    println!(
        "  10 % budget                {budget:>7.3} s; after the pass {left:.3} s, {:.2} us per record",
        left.max(0.0) * 1e6 / (records.max(1) as f64)
    );
}

fn fail(bundle: &std::path::Path, e: std::io::Error) -> ! {
    eprintln!("clustering bench: {}: {e}", bundle.display());
    std::process::exit(1)
}

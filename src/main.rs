//! The podmortem command line: parse flags, call the library, print, and
//! choose the exit code. Nothing here knows how a bundle is analyzed.
//!
//! Exit codes: 0 reports written; 1 a finding at or above `--fail-on`;
//! 2 usage or rule-pack error; 3 an input could not be read at all.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use podmortem::batch::{self, Status};
use podmortem::facts::{ArtifactKind, Severity};
use podmortem::report::redact::Policy;
use podmortem::report::render::{render, Format};
use podmortem::rules::load::{self, RulePack};
use podmortem::rules::{self, catalogue, test_examples};
use podmortem::{Analyzer, Options};

#[derive(Parser)]
#[command(
    name = "podmortem",
    version,
    about = "Offline analyzer for Kubernetes support bundles"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyze bundles (archives, extracted directories, or folders of bundles) and write reports.
    Analyze(AnalyzeArgs),
    /// Merge the summaries of several output folders (shards) into one index.
    Index {
        /// Output folders of earlier `analyze` runs (each holds summary.json).
        #[arg(required = true)]
        outs: Vec<PathBuf>,
        /// Where the merged index.html, summary.json and summary.csv go.
        #[arg(short, long, default_value = "podmortem-index")]
        output: PathBuf,
    },
    /// Inspect and check rule packs.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
        /// Extra rule directories.
        #[arg(long = "rules", global = true)]
        rules: Vec<PathBuf>,
    },
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// Bundle archives, extracted bundle directories, or folders of bundles.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output directory (one sub-directory per bundle), or `-` for one report on standard output.
    #[arg(short, long, default_value = "podmortem-report")]
    output: String,
    /// Comma-separated formats: html, md, json.
    #[arg(long, default_value = "html,md,json")]
    format: String,
    /// Extra rule directories; a rule with a built-in id replaces it.
    #[arg(long = "rules")]
    rules: Vec<PathBuf>,
    /// Exit with 1 when a finding has at least this severity.
    #[arg(long = "fail-on", value_enum)]
    fail_on: Option<SeverityArg>,
    /// Only these rules (ids or categories, comma-separated).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Skip these rules (ids or categories, comma-separated).
    #[arg(long, value_delimiter = ',')]
    skip: Vec<String>,
    /// Quote evidence as it is, without masking secrets.
    #[arg(long)]
    no_redact: bool,
    /// Also mask IPv4 addresses in quoted evidence.
    #[arg(long)]
    redact_ip: bool,
    /// Do not cluster the errors no rule explains (the `unrecognized` list stays empty).
    #[arg(long)]
    no_unrecognized: bool,
    /// Bundles analyzed at once (0: one per core). With 1, each bundle is also
    /// read and scanned on one thread, so the run uses about one core.
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// Analyze only the bundles of shard K of N (0-based K; stable hash of the bundle name).
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(u64, u64)>,
    /// Re-analyze bundles whose last report matches their content and the rule pack.
    #[arg(long)]
    force: bool,
    /// No progress lines on standard error.
    #[arg(long, short)]
    quiet: bool,
    /// Read at most this much of one entry, decompressed (default 4GiB); the rest is skipped with a warning.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_entry_size: Option<u64>,
    /// Stop reading a bundle after this much decompressed data (default 32GiB): a gzip bomb ends here.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_total_size: Option<u64>,
    /// Cut longer lines into pieces of this size (default 1MiB); the rest of the file is still read.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_line_size: Option<u64>,
    /// Archives nested in archives, the input counting as 1 (default 5).
    #[arg(long, value_name = "N")]
    max_depth: Option<u32>,
    /// Entries read from one bundle (default 1000000).
    #[arg(long, value_name = "N")]
    max_entries: Option<u64>,
}

/// `512`, `64K`, `1MiB`, `4G`, `32GiB`: binary multiples, as the defaults are stated.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (examples: 512, 64K, 1MiB, 4GiB)"))?;
    let shift = match unit
        .trim()
        .to_ascii_lowercase()
        .trim_end_matches("ib")
        .trim_end_matches('b')
    {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return Err(format!("`{s}`: unknown unit `{unit}` (use K, M, G or T)")),
    };
    n.checked_mul(1u64 << shift)
        .filter(|v| *v > 0)
        .ok_or_else(|| format!("`{s}` must be between 1 byte and 16 EiB"))
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or("write the shard as K/N, e.g. 2/8")?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("shard index `{k}` is not a number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("shard count `{n}` is not a number"))?;
    if n == 0 || k >= n {
        return Err(format!("shard {k}/{n}: K must be in 0..N"));
    }
    Ok((k, n))
}

#[derive(Subcommand)]
enum RulesCommand {
    /// List the rules.
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// Show one rule: its file, signals, examples and references.
    Show { id: String },
    /// Run every rule's examples; non-zero exit on any failure.
    Test {
        /// Extra rule files or directories to check with the built-in pack.
        paths: Vec<PathBuf>,
    },
    /// Write a rule for a failure no rule knows: from a report's unrecognized template, or one line.
    New {
        /// A JSON report of `podmortem analyze`.
        #[arg(long, requires = "template", conflicts_with = "from_line")]
        from_report: Option<PathBuf>,
        /// 1-based position in the report's `unrecognized` list.
        #[arg(long)]
        template: Option<usize>,
        /// One log line (or record) as it appears in the artifact.
        #[arg(long)]
        from_line: Option<String>,
        /// The artifact kind the line comes from (with --from-line).
        #[arg(long, default_value = "kubelet-log")]
        kind: String,
        /// The new rule's id (default: from the template's first words).
        #[arg(long)]
        id: Option<String>,
        /// Write the rule file here instead of standard output; into a directory, as `<id>.toml`.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Check rule files strictly; every problem is reported at once, with file, line and code.
    Lint {
        /// Extra rule files or directories to check with the built-in pack.
        paths: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Table,
    Md,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

/// `--only` / `--skip`: rule ids or categories.
struct Selection {
    only: Vec<String>,
    skip: Vec<String>,
}

impl Selection {
    fn keeps(&self, id: &str, category: &str) -> bool {
        let named = |list: &[String]| list.iter().any(|x| x == id || x == category);
        (self.only.is_empty() || named(&self.only)) && !named(&self.skip)
    }
}

/// The built-in rules plus the user's files or directories, in that order.
fn sources(paths: &[PathBuf]) -> Result<Vec<(String, String)>, String> {
    let mut sources = load::builtin_sources();
    for p in paths {
        if p.is_dir() {
            sources.extend(load::read_dir_sources(p).map_err(|e| e.to_string())?);
        } else {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            sources.push((p.display().to_string(), text));
        }
    }
    Ok(sources)
}

fn load_pack(paths: &[PathBuf]) -> Result<RulePack, String> {
    load::load(&sources(paths)?).map_err(|e| e.to_string())
}

/// Print to standard output; a closed pipe (`| head`) ends the output quietly.
fn emit(text: &str) -> bool {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .is_ok()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Analyze(args) => analyze(&args),
        Command::Index { outs, output } => index(&outs, &output),
        Command::Rules { command, rules } => rules_command(command, &rules),
    }
}

fn parse_formats(s: &str) -> Result<Vec<Format>, String> {
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        match Format::parse(part) {
            Some(f) if !out.contains(&f) => out.push(f),
            Some(_) => {}
            None => return Err(format!("unknown format `{part}`: use html, md or json")),
        }
    }
    if out.is_empty() {
        return Err("no output format given".into());
    }
    Ok(out)
}

fn analyze(args: &AnalyzeArgs) -> ExitCode {
    let formats = match parse_formats(&args.format) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("podmortem: {e}");
            return ExitCode::from(2);
        }
    };
    let mut pack = match load_pack(&args.rules) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("podmortem: {e}");
            return ExitCode::from(2);
        }
    };
    let select = Selection {
        only: args.only.clone(),
        skip: args.skip.clone(),
    };
    pack.rules
        .retain(|r| select.keeps(&r.spec.id, &r.spec.category));
    if pack.rules.is_empty() {
        eprintln!("podmortem: --only/--skip left no rule to run");
        return ExitCode::from(2);
    }
    let analyzer = Analyzer::new(pack, options(args));
    let (bundles, batch_mode) = batch::expand(&args.inputs, args.shard);
    let to_stdout = args.output == "-";
    if to_stdout && (bundles.len() != 1 || formats.len() != 1) {
        eprintln!(
            "podmortem: `-o -` writes one report in one format: give one bundle and one --format"
        );
        return ExitCode::from(2);
    }
    let out_dir = PathBuf::from(&args.output);
    if !to_stdout {
        if let Err(e) = std::fs::create_dir_all(&out_dir) {
            eprintln!(
                "podmortem: cannot create output directory {}: {e}",
                out_dir.display()
            );
            return ExitCode::from(2);
        }
    }
    let reuse =
        (!to_stdout && !args.force && formats.contains(&Format::Json)).then_some(out_dir.as_path());
    let outcomes = if batch_mode && !args.quiet {
        let progress = BatchProgress::new(&bundles);
        let outcomes = batch::run(&bundles, &analyzer, args.jobs, reuse, &progress);
        progress.finish();
        outcomes
    } else {
        batch::run(&bundles, &analyzer, args.jobs, reuse, &batch::Silent)
    };
    let (worst, unreadable) = batch::worst(&outcomes);
    if to_stdout {
        for o in &outcomes {
            match (&o.status, formats.first()) {
                (Status::Failed(e), _) => eprintln!("podmortem: {e}"),
                (_, Some(&format)) => match o.report().map(|r| render(r, format)) {
                    Some(Ok(text)) => {
                        emit(&text);
                    }
                    Some(Err(e)) => {
                        eprintln!("podmortem: {e}");
                        return ExitCode::from(2);
                    }
                    None => {}
                },
                _ => {}
            }
        }
        return exit_code(unreadable, worst, args.fail_on.map(Severity::from));
    }
    let delivery = batch::deliver(&outcomes, &out_dir, &formats, batch_mode);
    for (o, written) in outcomes.iter().zip(&delivery.written) {
        match (&o.status, written) {
            (_, Some(Err(e))) => eprintln!("podmortem: {e}"),
            (Status::Analyzed(report), Some(Ok(dir))) if !args.quiet => {
                eprintln!(
                    "{}: {} -> {}",
                    o.input.display(),
                    report.verdict,
                    dir.display()
                );
            }
            (Status::Unchanged(_), _) if !args.quiet && !batch_mode => {
                eprintln!("{}: unchanged since the last run (same content, same rules): skipped; --force re-analyzes", o.input.display());
            }
            // The batch progress already printed it.
            (Status::Failed(e), _) if !batch_mode || args.quiet => eprintln!("podmortem: {e}"),
            _ => {}
        }
    }
    match &delivery.index {
        Some(Err(e)) => eprintln!("podmortem: index: {e}"),
        Some(Ok(index)) if !args.quiet => eprintln!("index: {}", index.display()),
        _ => {}
    }
    exit_code(unreadable, worst, args.fail_on.map(Severity::from))
}

/// The analysis options the flags set.
fn options(args: &AnalyzeArgs) -> Options {
    let mut options = Options {
        redaction: Policy {
            enabled: !args.no_redact,
            ips: args.redact_ip,
        },
        unrecognized: !args.no_unrecognized,
        ..Options::default()
    };
    let limits = &mut options.limits;
    if let Some(v) = args.max_entry_size {
        limits.max_entry_bytes = v;
    }
    if let Some(v) = args.max_total_size {
        limits.max_total_bytes = v;
    }
    if let Some(v) = args.max_line_size {
        limits.max_line_bytes = usize::try_from(v).unwrap_or(usize::MAX);
    }
    if let Some(v) = args.max_depth {
        limits.max_depth = v.max(1);
    }
    if let Some(v) = args.max_entries {
        limits.max_entries = v;
    }
    options
}

/// Batch progress on standard error: a bar (bundles done of total, bytes per
/// second, the bundles in progress) on a terminal, one plain line per finished
/// bundle otherwise (CI logs, `2> file`).
struct BatchProgress {
    bar: Option<ProgressBar>,
    total: usize,
    sizes: BTreeMap<PathBuf, u64>,
    state: Mutex<(usize, BTreeSet<String>)>,
}

impl BatchProgress {
    fn new(bundles: &[PathBuf]) -> BatchProgress {
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

    fn finish(&self) {
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

fn index(outs: &[PathBuf], output: &Path) -> ExitCode {
    let merged = match batch::merge(outs, output) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("podmortem: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = batch::write_index(output, &merged) {
        eprintln!("podmortem: {e}");
        return ExitCode::from(2);
    }
    eprintln!(
        "{} bundle(s) from {} folder(s): {}",
        merged.bundles.len(),
        outs.len(),
        output.join("index.html").display()
    );
    if merged.bundles.iter().any(|b| b.error.is_some()) {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

fn exit_code(unreadable: bool, worst: Option<Severity>, fail_on: Option<Severity>) -> ExitCode {
    if unreadable {
        return ExitCode::from(3);
    }
    match (worst, fail_on) {
        (Some(w), Some(t)) if w >= t => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

fn rules_command(command: RulesCommand, dirs: &[PathBuf]) -> ExitCode {
    let extra = |paths: &[PathBuf]| -> Vec<PathBuf> { dirs.iter().chain(paths).cloned().collect() };
    // Lint reports every problem itself, so it must not stop at the first load error.
    if let RulesCommand::Lint { paths } = &command {
        let sources = match sources(&extra(paths)) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("podmortem: {e}");
                return ExitCode::from(2);
            }
        };
        let problems = rules::lint(&sources);
        let mut text: String = problems.iter().map(|p| format!("{p}\n")).collect();
        text.push_str(&format!(
            "{} rule file(s) checked, {} problem(s)\n",
            sources.len(),
            problems.len()
        ));
        emit(&text);
        return if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    if let RulesCommand::New {
        from_report,
        template,
        from_line,
        kind,
        id,
        output,
    } = &command
    {
        return match scaffold(
            from_report.as_deref(),
            *template,
            from_line.as_deref(),
            kind,
            id.as_deref(),
        ) {
            Ok(text) => match output
                .as_deref()
                .map(|o| podmortem::scaffold::output_path(o, &text))
            {
                Some(path) => match std::fs::write(&path, &text) {
                    Ok(()) => {
                        eprintln!(
                            "wrote {}; check it with `podmortem rules test --rules {}`",
                            path.display(),
                            path.parent()
                                .map_or(".".into(), |p| p.display().to_string())
                        );
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("podmortem: {}: {e}", path.display());
                        ExitCode::from(2)
                    }
                },
                None => {
                    emit(&text);
                    ExitCode::SUCCESS
                }
            },
            Err(e) => {
                eprintln!("podmortem: {e}");
                ExitCode::from(2)
            }
        };
    }
    let paths = match &command {
        RulesCommand::Test { paths } => extra(paths),
        _ => dirs.to_vec(),
    };
    let pack = match load_pack(&paths) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match command {
        RulesCommand::Lint { .. } | RulesCommand::New { .. } => ExitCode::SUCCESS,
        RulesCommand::List { format } => {
            let text = match format {
                ListFormat::Table => catalogue::table(&pack),
                ListFormat::Md => match catalogue::markdown(&pack) {
                    Ok(t) => t,
                    Err(e) => {
                        eprintln!("podmortem: {e}");
                        return ExitCode::from(2);
                    }
                },
                ListFormat::Json => {
                    serde_json::to_string_pretty(&catalogue::catalogue(&pack)).unwrap_or_default()
                        + "\n"
                }
            };
            emit(&text);
            ExitCode::SUCCESS
        }
        RulesCommand::Show { id } => match pack.get(&id) {
            Some(r) => {
                emit(&catalogue::show(r));
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("podmortem: no rule with id `{id}` (see `podmortem rules list`)");
                ExitCode::from(2)
            }
        },
        RulesCommand::Test { .. } => {
            let failures = test_examples(&pack);
            let total: usize = pack.rules.iter().map(|r| r.spec.examples.len()).sum();
            let mut t = String::new();
            for f in &failures {
                t.push_str(&format!(
                    "{} ({}) example {}: {}\n{}\n\n",
                    f.rule,
                    f.file,
                    f.example,
                    if f.missed {
                        "must match, but did not"
                    } else {
                        "must not match, but did"
                    },
                    f.text
                ));
            }
            t.push_str(&format!(
                "{} passed, {} failed\n",
                total - failures.len(),
                failures.len()
            ));
            emit(&t);
            if failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// The rule text for `rules new`.
fn scaffold(
    report: Option<&Path>,
    template: Option<usize>,
    line: Option<&str>,
    kind: &str,
    id: Option<&str>,
) -> Result<String, String> {
    let kind: ArtifactKind = serde_json::from_value(serde_json::Value::String(kind.to_string()))
        .map_err(|_| format!("unknown artifact kind `{kind}`"))?;
    let text = match (line, report) {
        (Some(line), _) => podmortem::scaffold::from_line(line, kind, id),
        (None, Some(report)) => {
            podmortem::scaffold::from_report(report, template.unwrap_or(1), kind, id)
        }
        (None, None) => {
            return Err("give --from-report REPORT.json --template N, or --from-line LINE".into())
        }
    };
    text.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_binary_multiples_and_garbage_is_an_error() {
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("4gb"), Ok(4 << 30));
        assert_eq!(parse_size("32GiB"), Ok(32 << 30));
        for bad in ["0", "1.5G", "10X", "", "99999999999T", "G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}

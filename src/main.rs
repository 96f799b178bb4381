//! The podmortem command line: parse flags, call the library, print, and
//! choose the exit code. Nothing here knows how a bundle is analyzed.
//!
//! Exit codes: 0 reports written; 1 a finding at or above `--fail-on`;
//! 2 usage or rule-pack error; 3 an input could not be read at all.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use podmortem::batch::{self, Outcome, Summary};
use podmortem::report::render::{render, Format};
use podmortem::rules::load::{self, RulePack};
use podmortem::rules::matcher::Matcher;
use podmortem::rules::schema::Severity;
use podmortem::rules::test_examples;
use podmortem::Options;

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
    Analyze {
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
        /// Bundles analyzed at once (0: one per core).
        #[arg(long, default_value_t = 0)]
        jobs: usize,
        /// No progress lines on standard error.
        #[arg(long, short)]
        quiet: bool,
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

#[derive(Subcommand)]
enum RulesCommand {
    /// List the rules.
    List,
    /// Show one rule: its file, examples and references.
    Show { id: String },
    /// Run every rule's examples; non-zero exit on any failure.
    Test,
    /// Check rule files strictly; every problem is reported at once.
    Lint,
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

fn load_pack(dirs: &[PathBuf]) -> Result<RulePack, String> {
    let mut sources = load::builtin_sources();
    for d in dirs {
        sources.extend(load::read_dir_sources(d).map_err(|e| e.to_string())?);
    }
    load::load(&sources).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Analyze {
            inputs,
            output,
            format,
            rules,
            fail_on,
            jobs,
            quiet,
        } => analyze(
            &inputs,
            &output,
            &format,
            &rules,
            fail_on.map(Severity::from),
            jobs,
            quiet,
        ),
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

fn analyze(
    inputs: &[PathBuf],
    output: &str,
    format: &str,
    rule_dirs: &[PathBuf],
    fail_on: Option<Severity>,
    jobs: usize,
    quiet: bool,
) -> ExitCode {
    let formats = match parse_formats(format) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("podmortem: {e}");
            return ExitCode::from(2);
        }
    };
    let pack = match load_pack(rule_dirs) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("podmortem: {e}");
            return ExitCode::from(2);
        }
    };
    let matcher = Matcher::new(&pack);
    let options = Options::default();
    // A folder of bundles expands into its bundles; anything else is one bundle.
    let mut bundles = Vec::new();
    let mut batch_mode = inputs.len() > 1;
    for input in inputs {
        if input.is_dir() && batch::is_folder_of_bundles(input) {
            batch_mode = true;
            bundles.extend(batch::bundles_in(input));
        } else {
            bundles.push(input.clone());
        }
    }
    let to_stdout = output == "-";
    if to_stdout && (bundles.len() != 1 || formats.len() != 1) {
        eprintln!(
            "podmortem: `-o -` writes one report in one format: give one bundle and one --format"
        );
        return ExitCode::from(2);
    }
    let out_dir = PathBuf::from(output);
    if !to_stdout {
        if let Err(e) = std::fs::create_dir_all(&out_dir) {
            eprintln!(
                "podmortem: cannot create output directory {}: {e}",
                out_dir.display()
            );
            return ExitCode::from(2);
        }
    }
    let outcomes = batch::run(&bundles, &pack, &matcher, &options, jobs);
    let mut unreadable = false;
    let mut worst: Option<Severity> = None;
    let mut rows = Vec::new();
    for o in &outcomes {
        match &o.result {
            Ok(report) => {
                for f in &report.findings {
                    if let Some(s) = Severity::parse(&f.severity) {
                        worst = worst.max(Some(s));
                    }
                }
                if to_stdout {
                    match render(report, formats[0]) {
                        Ok(text) => print!("{text}"),
                        Err(e) => {
                            eprintln!("podmortem: {e}");
                            return ExitCode::from(2);
                        }
                    }
                    continue;
                }
                let dir = out_dir.join(&o.name);
                let (link, err) = match batch::write_report(report, &dir, &formats) {
                    Ok(paths) => {
                        if !quiet {
                            eprintln!(
                                "{}: {} -> {}",
                                o.input.display(),
                                report.verdict,
                                dir.display()
                            );
                        }
                        let main = paths.first().map(|p| relative_link(&out_dir, p));
                        (main, None)
                    }
                    Err(e) => {
                        eprintln!("podmortem: {e}");
                        (None, Some(e))
                    }
                };
                rows.push(batch::summary_row(o, link, err));
            }
            Err(e) => {
                unreadable = true;
                eprintln!("podmortem: {e}");
                rows.push(batch::summary_row(o, None, None));
            }
        }
    }
    if batch_mode && !to_stdout {
        if let Err(e) = batch::write_index(&out_dir, &Summary { bundles: rows }) {
            eprintln!("podmortem: index: {e}");
        } else if !quiet {
            eprintln!("index: {}", out_dir.join("index.html").display());
        }
    }
    exit_code(&outcomes, unreadable, worst, fail_on)
}

fn relative_link(base: &Path, p: &Path) -> String {
    p.strip_prefix(base).unwrap_or(p).display().to_string()
}

fn exit_code(
    _outcomes: &[Outcome],
    unreadable: bool,
    worst: Option<Severity>,
    fail_on: Option<Severity>,
) -> ExitCode {
    if unreadable {
        return ExitCode::from(3);
    }
    match (worst, fail_on) {
        (Some(w), Some(t)) if w >= t => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

fn rules_command(command: RulesCommand, dirs: &[PathBuf]) -> ExitCode {
    let pack = match load_pack(dirs) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match command {
        RulesCommand::Lint => {
            println!("{} rules checked, no problems", pack.rules.len());
            ExitCode::SUCCESS
        }
        RulesCommand::List => {
            for r in &pack.rules {
                println!(
                    "{:<42} {:<9} {:<9} {}",
                    r.spec.id,
                    r.spec.severity.as_str(),
                    r.spec.category,
                    r.spec.title
                );
            }
            ExitCode::SUCCESS
        }
        RulesCommand::Show { id } => match pack.get(&id) {
            Some(r) => {
                println!(
                    "{} ({})\n{}\nseverity: {}  category: {}\n\n{}\n",
                    r.spec.id,
                    r.file,
                    r.spec.title,
                    r.spec.severity.as_str(),
                    r.spec.category,
                    r.spec.summary
                );
                for s in &r.spec.signals {
                    println!(
                        "signal {} in {:?}:\n  {}",
                        s.name,
                        s.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                        s.regex
                    );
                }
                for (i, e) in r.spec.examples.iter().enumerate() {
                    println!(
                        "\nexample {} ({}, {}):\n{}",
                        i + 1,
                        if e.matches {
                            "must match"
                        } else {
                            "must not match"
                        },
                        e.source,
                        e.text
                    );
                }
                println!("\nreferences:");
                for u in &r.spec.references {
                    println!("  {u}");
                }
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("no rule with id `{id}`");
                ExitCode::from(2)
            }
        },
        RulesCommand::Test => {
            let failures = test_examples(&pack);
            let total: usize = pack.rules.iter().map(|r| r.spec.examples.len()).sum();
            for f in &failures {
                println!(
                    "{} ({}) example {}: {}\n{}\n",
                    f.rule,
                    f.file,
                    f.example,
                    if f.missed {
                        "must match, but did not"
                    } else {
                        "must not match, but did"
                    },
                    f.text
                );
            }
            println!(
                "{} passed, {} failed",
                total - failures.len(),
                failures.len()
            );
            if failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

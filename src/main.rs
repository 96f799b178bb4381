//! The podmortem command line: parse flags, call the library, print, and
//! choose the exit code. Nothing here knows how a bundle is analyzed.
//!
//! Exit codes: 0 reports written; 1 a finding at or above `--fail-on`;
//! 2 usage or rule-pack error; 3 an input could not be read at all.

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use cli::args::{options, parse_formats, AnalyzeArgs, Cli, Command, Selection};
use cli::emit;
use cli::progress::BatchProgress;
use cli::rules::{load_pack, rules_command};
use podmortem::batch::{self, Status};
use podmortem::facts::Severity;
use podmortem::report::render::{render, Format};
use podmortem::Analyzer;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Analyze(args) => analyze(&args),
        Command::Index { outs, output } => index(&outs, &output),
        Command::Rules { command, rules } => rules_command(command, &rules),
    }
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

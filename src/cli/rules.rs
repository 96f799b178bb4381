//! `podmortem rules ...`: list, show, test, lint and scaffold rules, with
//! the built-in pack plus the user's rule files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use podmortem::facts::ArtifactKind;
use podmortem::rules::load::{self, RulePack};
use podmortem::rules::{self, catalogue, test_examples};

use super::args::{ListFormat, RulesCommand};
use super::emit;

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

pub fn load_pack(paths: &[PathBuf]) -> Result<RulePack, String> {
    load::load(&sources(paths)?).map_err(|e| e.to_string())
}

pub fn rules_command(command: RulesCommand, dirs: &[PathBuf]) -> ExitCode {
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

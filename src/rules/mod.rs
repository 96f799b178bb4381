//! Rules: the schema of a rule file (`schema`), loading and strict checking
//! (`load`), the literal prefilter and combined matcher (`prefilter`,
//! `matcher`), evaluation of hits against node facts (`evaluate`), the pack
//! as people read it (`catalogue`), and the examples every rule carries
//! (`test_examples`, `lint`).

pub mod catalogue;
pub mod evaluate;
pub mod load;
pub mod matcher;
pub mod prefilter;
pub mod schema;

use crate::records::split_records;
use load::{Code, Problem, RulePack};
use matcher::{Matcher, Target};

/// An `[[example]]` that did not behave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    pub file: String,
    /// 1-based index among the rule's examples.
    pub example: usize,
    /// true: a must-match line was missed; false: a near-miss matched.
    pub missed: bool,
    pub text: String,
}

/// Run every rule's examples through the same record joining and matcher as
/// a bundle's artifacts, and list the ones that misbehave.
pub fn test_examples(pack: &RulePack) -> Vec<ExampleFailure> {
    let matcher = Matcher::new(pack);
    let mut failures = Vec::new();
    for (ri, rule) in pack.rules.iter().enumerate() {
        for (ei, ex) in rule.spec.examples.iter().enumerate() {
            let matched = split_records(&ex.text).iter().any(|record| {
                matcher
                    .match_record(pack, ex.kind, record)
                    .iter()
                    .any(|m| matches!(m.target, Target::Signal { rule, .. } if rule == ri))
            });
            if matched != ex.matches {
                failures.push(ExampleFailure {
                    rule: rule.spec.id.clone(),
                    file: rule.file.clone(),
                    example: ei + 1,
                    missed: ex.matches,
                    text: ex.text.clone(),
                });
            }
        }
    }
    failures
}

/// Every problem of a set of rule sources at once: schema, regexes, ids,
/// captures, and examples that misbehave, each with its file and line.
pub fn lint(sources: &[(String, String)]) -> Vec<Problem> {
    let pack = match load::load(sources) {
        Ok(p) => p,
        Err(e) => return e.0,
    };
    test_examples(&pack)
        .into_iter()
        .map(|f| {
            let text = sources.iter().find(|(n, _)| *n == f.file).map(|(_, t)| t.as_str()).unwrap_or("");
            let first = f.text.lines().next().unwrap_or("");
            let line = text.lines().position(|l| !first.is_empty() && l.contains(first)).map_or(1, |i| i + 1);
            let (code, message, hint) = if f.missed {
                (Code::ExampleMissed, format!("example {} must match rule `{}` but does not", f.example, f.rule), "check the regex against the clean text (wrappers stripped, escapes undone) and that a literal is in the example")
            } else {
                (Code::ExampleMatched, format!("example {} is a near-miss but matches rule `{}`", f.example, f.rule), "tighten the regex so the near-miss stays out")
            };
            Problem {
                file: f.file,
                line,
                code,
                message,
                hint: hint.to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_rule_passes_its_examples() {
        let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
        let failures = test_examples(&pack);
        let shown: Vec<String> = failures
            .iter()
            .map(|f| {
                format!(
                    "{} example {} ({}):\n{}",
                    f.rule,
                    f.example,
                    if f.missed {
                        "missed"
                    } else {
                        "matched a near-miss"
                    },
                    f.text
                )
            })
            .collect();
        assert!(failures.is_empty(), "{}", shown.join("\n\n"));
    }

    #[test]
    fn every_builtin_rule_has_real_and_near_miss_examples_with_sources() {
        let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
        for r in &pack.rules {
            assert!(
                r.spec.examples.iter().filter(|e| e.matches).count() >= 2,
                "{}: needs real wordings",
                r.spec.id
            );
            assert!(
                r.spec.examples.iter().any(|e| !e.matches),
                "{}: needs a near-miss",
                r.spec.id
            );
            assert!(
                r.spec.examples.iter().all(|e| !e.source.trim().is_empty()),
                "{}: every example says where it is from",
                r.spec.id
            );
            assert!(
                r.spec.references.iter().all(|u| u.starts_with("https://")),
                "{}: references are public URLs",
                r.spec.id
            );
        }
    }

    #[test]
    fn lint_reports_a_misbehaving_example_with_file_line_and_code() {
        let mut sources = load::builtin_sources();
        if let Some((_, text)) = sources
            .iter_mut()
            .find(|(n, _)| n.ends_with("multi-attach-rwo.toml"))
        {
            *text = text.replacen("match = true", "match = false", 1);
        }
        let problems = lint(&sources);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, Code::ExampleMatched);
        assert!(problems[0].file.ends_with("multi-attach-rwo.toml"));
        assert!(problems[0].line > 1);
        assert!(lint(&load::builtin_sources()).is_empty());
    }

    #[test]
    fn a_broken_example_is_reported_with_its_rule() {
        let mut sources = load::builtin_sources();
        let (_, text) = sources
            .iter_mut()
            .find(|(n, _)| n.ends_with("multi-attach-rwo.toml"))
            .expect("rule");
        // Turn a must-match line into a near-miss claim: the harness must say so.
        *text = text.replacen("match = true", "match = false", 1);
        let pack = load::load(&sources).unwrap_or_else(|e| panic!("{e}"));
        let failures = test_examples(&pack);
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].rule, "multi-attach-rwo");
        assert!(!failures[0].missed);
    }
}

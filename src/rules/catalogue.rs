//! The rule pack as people read it: `rules list` in table, Markdown or JSON
//! form, and `docs/rules.md`, generated from the pack so it never drifts.

use serde::Serialize;

use super::load::Rule;
use super::load::RulePack;
use super::schema::{ConditionFact, Expect};
use crate::facts::Effect;
use crate::templates::{self, Template, TemplateError};

/// One rule as the catalogue shows it.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub category: String,
    pub symptom: bool,
    pub summary: String,
    /// What confirms the diagnosis and what rules it out, in words.
    pub confirms: Vec<String>,
    pub supersedes: Vec<String>,
    pub references: Vec<String>,
    /// Where each example line comes from.
    pub examples: Vec<ExampleSource>,
}

#[derive(Debug, Serialize)]
pub struct ExampleSource {
    pub matches: bool,
    pub kind: String,
    pub source: String,
}

#[derive(Debug, Serialize)]
pub struct Catalogue {
    pub count: usize,
    pub rules: Vec<Entry>,
}

fn condition_text(c: &super::schema::ConditionSpec) -> String {
    let what = match c.fact {
        ConditionFact::Package => {
            let names = c.names.join(" / ");
            match (&c.version, c.expect) {
                (Some(v), Expect::Present) => format!("{names} installed at {v}"),
                (Some(v), Expect::Absent) => format!("no {names} at {v}"),
                (None, Expect::Present) => format!("{names} installed"),
                (None, Expect::Absent) => format!("{names} not installed"),
            }
        }
        ConditionFact::Version => format!(
            "{} {}",
            c.component.as_deref().unwrap_or("?"),
            c.version.as_deref().unwrap_or("")
        ),
        _ => c.name.clone(),
    };
    let effect = match c.effect {
        Effect::Require => "required (false rules it out)",
        Effect::Support => "corroborates",
        Effect::Resolve => "found after the failures, shows them over",
    };
    format!("{what}: {effect}; settled by {}", c.needs)
}

pub fn catalogue(pack: &RulePack) -> Catalogue {
    let rules = pack
        .rules
        .iter()
        .map(|r| Entry {
            id: r.spec.id.clone(),
            title: r.spec.title.clone(),
            severity: r.spec.severity.as_str().to_string(),
            category: r.spec.category.clone(),
            symptom: r.spec.symptom,
            summary: r
                .spec
                .summary
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            confirms: r.spec.conditions.iter().map(condition_text).collect(),
            supersedes: r.spec.supersedes.clone(),
            references: r.spec.references.clone(),
            examples: r
                .spec
                .examples
                .iter()
                .map(|e| ExampleSource {
                    matches: e.matches,
                    kind: e.kind.as_str().to_string(),
                    source: e.source.clone(),
                })
                .collect(),
        })
        .collect();
    Catalogue {
        count: pack.rules.len(),
        rules,
    }
}

/// `docs/rules.md`.
pub fn markdown(pack: &RulePack) -> Result<String, TemplateError> {
    templates::render(
        Template::Catalogue,
        minijinja::Value::from_serialize(catalogue(pack)),
    )
}

/// `rules list` as an aligned table.
pub fn table(pack: &RulePack) -> String {
    let mut out = String::new();
    for r in &pack.rules {
        out.push_str(&format!(
            "{:<40} {:<9} {:<9} {}\n",
            r.spec.id,
            r.spec.severity.as_str(),
            r.spec.category,
            r.spec.title
        ));
    }
    out
}

/// `rules show ID`: a rule with its file, signals, conditions, real example
/// lines (and near-misses) with their sources, and references.
pub fn show(r: &Rule) -> String {
    let mut t = format!(
        "{} ({})\n{}\nseverity: {}  category: {}{}\n\n{}\n",
        r.spec.id,
        r.file,
        r.spec.title,
        r.spec.severity.as_str(),
        r.spec.category,
        if r.spec.symptom { "  (symptom)" } else { "" },
        r.spec.summary.trim()
    );
    for s in &r.spec.signals {
        let kinds: Vec<&str> = s.kinds.iter().map(|k| k.as_str()).collect();
        t.push_str(&format!(
            "\nsignal {} in {}:\n  literals {:?}\n  regex {}\n",
            s.name,
            kinds.join(", "),
            s.literals,
            s.regex
        ));
    }
    for c in &r.spec.conditions {
        t.push_str(&format!(
            "\ncondition {} ({:?}, {:?}, {:?})",
            c.name, c.fact, c.expect, c.effect
        ));
    }
    for (i, e) in r.spec.examples.iter().enumerate() {
        t.push_str(&format!(
            "\n\nexample {} ({}, {}; {}):\n{}",
            i + 1,
            if e.matches {
                "must match"
            } else {
                "must not match"
            },
            e.kind.as_str(),
            e.source,
            e.text
        ));
    }
    t.push_str("\n\nreferences:\n");
    for u in &r.spec.references {
        t.push_str(&format!("  {u}\n"));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::super::load;
    use super::*;

    /// docs/rules.md is generated; a rule change without regenerating it fails here.
    #[test]
    fn docs_rules_md_is_up_to_date() {
        let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
        let want = markdown(&pack).expect("render");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/rules.md is out of date: run `cargo run -- rules list --format md > docs/rules.md`"
        );
    }

    #[test]
    fn every_rule_is_in_the_catalogue_with_its_example_sources() {
        let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
        let md = markdown(&pack).expect("render");
        for r in &pack.rules {
            assert!(md.contains(&format!("`{}`", r.spec.id)), "{}", r.spec.id);
            for e in &r.spec.examples {
                assert!(md.contains(e.source.trim()), "{}: {}", r.spec.id, e.source);
            }
        }
    }
}

//! Loading a rule pack and checking it strictly, the way a compiler checks a
//! program: every problem of a run is collected (not just the first), each
//! with the file, the line, a stable code and a hint.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use rayon::prelude::*;
use regex::Regex;
use sha2::{Digest, Sha256};

use super::schema::{ConditionFact, ConditionSpec, RuleFile};
use crate::facts::Effect;
use crate::version::VersionRange;

/// The built-in pack, embedded so the single binary works anywhere.
const BUILTIN: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Stable codes for rule-pack problems; users search for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    /// The TOML does not parse or does not fit the schema.
    Syntax,
    BadRegex,
    DuplicateId,
    UnknownSupersedes,
    UndefinedCapture,
    BadLiteral,
    BadId,
    IncompleteCondition,
    BadVersionRange,
    MissingExamples,
    BadTemplate,
    ExampleMissed,
    ExampleMatched,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "R001",
            Code::BadRegex => "R002",
            Code::DuplicateId => "R003",
            Code::UnknownSupersedes => "R004",
            Code::UndefinedCapture => "R005",
            Code::BadLiteral => "R006",
            Code::BadId => "R007",
            Code::IncompleteCondition => "R008",
            Code::BadVersionRange => "R009",
            Code::MissingExamples => "R010",
            Code::BadTemplate => "R011",
            Code::ExampleMissed => "R012",
            Code::ExampleMatched => "R013",
        }
    }
}

/// One problem in one rule file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub code: Code,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: error[{}]: {}\n    hint: {}",
            self.file,
            self.line,
            self.code.as_str(),
            self.message,
            self.hint
        )
    }
}

/// All the problems of one load.
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s) in the rule pack:\n{}", .0.len(), .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct PackErrors(pub Vec<Problem>);

/// A signal ready to run.
#[derive(Clone, Debug)]
pub struct Signal {
    pub name: String,
    pub kinds: Vec<crate::facts::ArtifactKind>,
    pub literals: Vec<String>,
    pub regex: Regex,
}

/// A condition ready to evaluate.
#[derive(Clone, Debug)]
pub struct Condition {
    pub spec: ConditionSpec,
    pub range: Option<VersionRange>,
    pub regex: Option<Regex>,
}

/// One loaded, checked rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub spec: RuleFile,
    /// Where it was loaded from (`rules/x.toml` or the user's path).
    pub file: String,
    pub signals: Vec<Signal>,
    pub conditions: Vec<Condition>,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.spec.id
    }
}

/// The rules of a run, with a hash that identifies the pack's content.
#[derive(Clone, Debug)]
pub struct RulePack {
    pub rules: Vec<Rule>,
    pub hash: String,
}

impl RulePack {
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.spec.id == id)
    }
}

/// The built-in pack (its files as they were when the binary was built).
pub fn builtin_sources() -> Vec<(String, String)> {
    BUILTIN
        .iter()
        .map(|(name, text)| (format!("rules/{name}"), (*text).to_string()))
        .collect()
}

/// Rule files of a user directory, sorted by name.
pub fn read_dir_sources(dir: &Path) -> Result<Vec<(String, String)>, PackErrors> {
    let problem = |msg: String| {
        PackErrors(vec![Problem {
            file: dir.display().to_string(),
            line: 0,
            code: Code::Syntax,
            message: msg,
            hint: "pass a directory of *.toml rule files".into(),
        }])
    };
    let rd =
        std::fs::read_dir(dir).map_err(|e| problem(format!("cannot read rule directory: {e}")))?;
    let mut paths: Vec<_> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text =
            std::fs::read_to_string(&p).map_err(|e| problem(format!("{}: {e}", p.display())))?;
        out.push((p.display().to_string(), text));
    }
    Ok(out)
}

/// Line (1-based) of the first line that mentions `needle`, for pointing at a field.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i + 1)
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

/// Capture name -> the template variable that lists its values: the one
/// table the loader's check and the evaluation's fix rendering both read.
pub const CAPTURE_LISTS: &[(&str, &str)] = &[
    ("pod", "pods"),
    ("volume", "volumes"),
    ("node", "nodes"),
    ("path", "paths"),
    ("uid", "uids"),
    ("namespace", "namespaces"),
    ("container", "containers"),
];

/// Names a fix template may use besides the capture lists.
const OTHER_TEMPLATE_VARS: &[&str] = &["pod_names", "node", "rule"];

/// Whether a fix template may use this name.
pub fn is_template_var(var: &str) -> bool {
    OTHER_TEMPLATE_VARS.contains(&var) || CAPTURE_LISTS.iter().any(|(_, list)| *list == var)
}

/// Template variables that evaluation fills even without a capture.
const ALWAYS_KNOWN: &[&str] = &[
    "pods",
    "pod_names",
    "volumes",
    "nodes",
    "namespaces",
    "node",
    "rule",
];

/// Capture name -> the template variable that lists its values.
pub fn plural(capture: &str) -> Option<&'static str> {
    CAPTURE_LISTS
        .iter()
        .find(|(c, _)| *c == capture)
        .map(|(_, list)| *list)
}

/// Parse and check rule sources. Later sources replace earlier ones with the
/// same id (a user rule overrides the built-in one).
pub fn load(sources: &[(String, String)]) -> Result<RulePack, PackErrors> {
    let mut problems = Vec::new();
    let mut by_id: BTreeMap<String, Rule> = BTreeMap::new();
    let mut seen_in_source: BTreeMap<String, String> = BTreeMap::new();
    let mut hasher = Sha256::new();
    // Checking a file compiles its regexes, most of a run's start-up time: the
    // files are checked in parallel, and their problems kept in file order.
    let checked: Vec<(Option<Rule>, Vec<Problem>)> = sources
        .par_iter()
        .map(|(file, text)| {
            let mut found = Vec::new();
            (check_file(file, text, &mut found), found)
        })
        .collect();
    for ((file, text), (checked, found)) in sources.iter().zip(checked) {
        hasher.update(file.as_bytes());
        hasher.update(text.as_bytes());
        problems.extend(found);
        match checked {
            Some(rule) => {
                let id = rule.spec.id.clone();
                // Two files of one directory with one id is a mistake; a user
                // directory replacing a built-in rule is a feature.
                let dir = file
                    .rsplit_once('/')
                    .map(|(d, _)| d.to_string())
                    .unwrap_or_default();
                if let Some(prev) = seen_in_source.get(&id) {
                    let prev_dir = prev
                        .rsplit_once('/')
                        .map(|(d, _)| d.to_string())
                        .unwrap_or_default();
                    if prev_dir == dir {
                        problems.push(Problem {
                            file: file.clone(),
                            line: line_of(text, "id"),
                            code: Code::DuplicateId,
                            message: format!("rule id `{id}` is also defined in {prev}"),
                            hint: "rule ids are unique; rename one of them".into(),
                        });
                    }
                }
                seen_in_source.insert(id.clone(), file.clone());
                by_id.insert(id, rule);
            }
            None => continue,
        }
    }
    // Ids of every file that names one, loaded or not: a rule with its own
    // problem must not make every rule that supersedes it an error too.
    let ids: BTreeSet<String> = sources
        .iter()
        .filter_map(|(_, text)| toml::from_str::<toml::Table>(text).ok())
        .filter_map(|t| t.get("id").and_then(|v| v.as_str()).map(str::to_string))
        .collect();
    for rule in by_id.values() {
        for target in &rule.spec.supersedes {
            if !ids.contains(target) {
                problems.push(Problem {
                    file: rule.file.clone(),
                    line: 1,
                    code: Code::UnknownSupersedes,
                    message: format!("supersedes `{target}`, which no rule defines"),
                    hint: format!(
                        "known ids: {}",
                        ids.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                });
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        return Err(PackErrors(problems));
    }
    Ok(RulePack {
        rules: by_id.into_values().collect(),
        hash: hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    })
}

fn toml_line(text: &str, err: &toml::de::Error) -> usize {
    // The span may start on the whitespace before the offending key.
    err.span()
        .map(|s| {
            let skip = text
                .get(s.start..)
                .map_or(0, |t| t.len() - t.trim_start().len());
            text.get(..s.start + skip)
                .map_or(1, |t| t.matches('\n').count() + 1)
        })
        .unwrap_or(1)
}

fn check_file(file: &str, text: &str, problems: &mut Vec<Problem>) -> Option<Rule> {
    let spec: RuleFile = match toml::from_str(text) {
        Ok(s) => s,
        Err(e) => {
            problems.push(Problem {
                file: file.to_string(),
                line: toml_line(text, &e),
                code: Code::Syntax,
                message: e.message().to_string(),
                hint: "see docs/rule-format.md for the fields a rule file has".into(),
            });
            return None;
        }
    };
    let before = problems.len();
    let mut push = |needle: &str, code: Code, message: String, hint: &str| {
        problems.push(Problem {
            file: file.to_string(),
            line: line_of(text, needle),
            code,
            message,
            hint: hint.to_string(),
        })
    };
    if !is_kebab(&spec.id) {
        push(
            "id",
            Code::BadId,
            format!("id `{}` is not kebab-case", spec.id),
            "use lowercase words joined by `-`, e.g. `nfs-client-helper-missing`",
        );
    }
    let mut signals = Vec::new();
    let mut captures: BTreeSet<String> = BTreeSet::new();
    if spec.signals.is_empty() {
        push(
            "[[signal]]",
            Code::IncompleteCondition,
            "the rule has no [[signal]]".into(),
            "a rule needs at least one signal to match",
        );
    }
    for s in &spec.signals {
        match regex::RegexBuilder::new(&s.regex)
            .size_limit(32 << 20)
            .dfa_size_limit(16 << 20)
            .build()
        {
            Ok(re) => {
                captures.extend(re.capture_names().flatten().map(str::to_string));
                signals.push(Signal {
                    name: s.name.clone(),
                    kinds: s.kinds.clone(),
                    literals: s.literals.clone(),
                    regex: re,
                });
            }
            Err(e) => push(
                &s.regex.chars().take(30).collect::<String>(),
                Code::BadRegex,
                format!("signal `{}`: invalid regex: {e}", s.name),
                "Rust regex syntax: no look-around, no back-references",
            ),
        }
        if s.literals.is_empty() && !s.no_prefilter {
            push(&format!("\"{}\"", s.name), Code::BadLiteral, format!("signal `{}` has no literals", s.name), "give one or more case-sensitive literals of >= 4 bytes found in every matching record, or set no_prefilter = true");
        }
        for lit in &s.literals {
            if lit.len() < 4 || lit.contains('"') || lit.contains('\\') || lit.contains('\n') {
                push(lit, Code::BadLiteral, format!("signal `{}`: literal {lit:?} is shorter than 4 bytes or holds a quote, backslash or newline", s.name), "literals are searched in raw, possibly escaped text: pick a plain distinctive substring");
            }
        }
    }
    let mut conditions = Vec::new();
    for c in &spec.conditions {
        let missing = match c.fact {
            ConditionFact::Package if c.names.is_empty() => Some("names"),
            ConditionFact::Version if c.component.is_none() || c.version.is_none() => {
                Some("component and version")
            }
            ConditionFact::Text if c.regex.is_none() || c.kinds.is_empty() => Some("regex and in"),
            // Only a line in a log has a place in time to come after a failure.
            _ if c.effect == Effect::Resolve && c.fact != ConditionFact::Text => {
                Some("fact = \"text\" (effect = \"resolve\" needs a line found after the failures)")
            }
            ConditionFact::Mount
                if c.fstype.is_empty()
                    && c.root_suffix.is_none()
                    && c.mount_point_contains.is_none() =>
            {
                Some("fstype, root_suffix or mount_point_contains")
            }
            _ => None,
        };
        if let Some(field) = missing {
            push(
                &c.name,
                Code::IncompleteCondition,
                format!("condition `{}` ({:?}) lacks {field}", c.name, c.fact),
                "each fact kind needs its fields; see docs/rule-format.md",
            );
        }
        let range = match &c.version {
            Some(v) => match VersionRange::parse(v) {
                Ok(r) => Some(r),
                Err(e) => {
                    push(
                        v,
                        Code::BadVersionRange,
                        format!("condition `{}`: {e}", c.name),
                        "write bounds like `>= 2.41, < 2.41.1`",
                    );
                    None
                }
            },
            None => None,
        };
        let regex = match &c.regex {
            Some(r) => match Regex::new(r) {
                Ok(re) => Some(re),
                Err(e) => {
                    push(
                        r,
                        Code::BadRegex,
                        format!("condition `{}`: invalid regex: {e}", c.name),
                        "Rust regex syntax",
                    );
                    None
                }
            },
            None => None,
        };
        if c.fact == ConditionFact::Text && c.literals.is_empty() {
            push(
                &c.name,
                Code::BadLiteral,
                format!("condition `{}` has no literals", c.name),
                "text conditions are found by the same prefilter as signals: give literals",
            );
        }
        conditions.push(Condition {
            spec: c.clone(),
            range,
            regex,
        });
    }
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let templates = std::iter::once(&spec.fix.summary).chain(spec.fix.steps.iter());
    for t in templates {
        match env.template_from_str(t) {
            Ok(tpl) => {
                for var in tpl.undeclared_variables(false) {
                    let known = is_template_var(var.as_str());
                    // pods, volumes, nodes and namespaces are also known from the artifacts
                    // (a describe file names its pod); the rest only from captures.
                    let captured = ALWAYS_KNOWN.contains(&var.as_str())
                        || captures.iter().any(|c| plural(c) == Some(var.as_str()));
                    if !known || !captured {
                        push(t.get(..t.len().min(30)).unwrap_or(""), Code::UndefinedCapture, format!("fix text uses `{var}`, which no signal captures"), "use pods, volumes, nodes, paths, uids, namespaces or containers, and capture the singular name (?P<pod>...) in a signal");
                    }
                }
            }
            Err(e) => push(
                t.get(..t.len().min(30)).unwrap_or(""),
                Code::BadTemplate,
                format!("fix text is not a valid template: {e}"),
                "minijinja syntax: {{ pods }}",
            ),
        }
    }
    if !spec.examples.iter().any(|e| e.matches) || !spec.examples.iter().any(|e| !e.matches) {
        push(
            "id",
            Code::MissingExamples,
            "the rule needs at least one must-match and one must-not [[example]]".into(),
            "add real lines from the public report, and a near-miss that must not match",
        );
    }
    if problems.len() > before {
        return None;
    }
    Some(Rule {
        spec,
        file: file.to_string(),
        signals,
        conditions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id = "demo-rule"
title = "Demo"
severity = "high"
category = "storage"
summary = "x"
[[signal]]
name = "s"
in = ["kubelet-log"]
literals = ["boom happened"]
regex = 'boom happened for volume "(?P<volume>[^"]+)"'
[fix]
summary = "fix {{ volumes }}"
[[example]]
text = 'E0101 00:00:00.000000 1 x.go:1] boom happened for volume "v"'
kind = "kubelet-log"
match = true
source = "https://example.invalid/1"
[[example]]
text = 'E0101 00:00:00.000000 1 x.go:1] nothing happened'
kind = "kubelet-log"
match = false
source = "near-miss"
"#;

    fn load_one(text: &str) -> Result<RulePack, PackErrors> {
        load(&[("rules/demo.toml".to_string(), text.to_string())])
    }

    #[test]
    fn a_valid_rule_loads() {
        let pack = load_one(GOOD).unwrap();
        assert_eq!(pack.rules.len(), 1);
        assert_eq!(pack.hash.len(), 64);
    }

    #[test]
    fn unknown_fields_are_refused_with_the_line() {
        let bad = GOOD.replace(
            "category = \"storage\"",
            "category = \"storage\"\nseverty = \"low\"",
        );
        let err = load_one(&bad).unwrap_err();
        assert_eq!(err.0[0].code, Code::Syntax);
        assert_eq!(err.0[0].line, 6, "the `severty` key is on line 6");
        assert!(err.0[0].message.contains("severty"), "{}", err.0[0].message);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = GOOD
            .replace("(?P<volume>[^\"]+)", "(?P<volume>[^\"]+")
            .replace("literals = [\"boom happened\"]", "literals = [\"bo\"]")
            .replace("{{ volumes }}", "{{ paths }}")
            .replace("id = \"demo-rule\"", "id = \"Demo_Rule\"");
        let err = load_one(&bad).unwrap_err();
        let codes: BTreeSet<Code> = err.0.iter().map(|p| p.code).collect();
        assert!(codes.contains(&Code::BadRegex), "{err}");
        assert!(codes.contains(&Code::BadLiteral), "{err}");
        assert!(codes.contains(&Code::BadId), "{err}");
        assert!(err.to_string().contains("rules/demo.toml:"), "{err}");
    }

    #[test]
    fn fix_text_may_only_use_captured_names() {
        let bad = GOOD.replace("{{ volumes }}", "{{ paths }}");
        let err = load_one(&bad).unwrap_err();
        assert_eq!(err.0[0].code, Code::UndefinedCapture, "{err}");
        let bad = GOOD.replace("{{ volumes }}", "{{ pod_uids }}");
        assert_eq!(
            load_one(&bad).unwrap_err().0[0].code,
            Code::UndefinedCapture
        );
    }

    #[test]
    fn supersedes_must_name_a_rule() {
        let bad = GOOD.replace(
            "summary = \"x\"",
            "summary = \"x\"\nsupersedes = [\"no-such-rule\"]",
        );
        let err = load_one(&bad).unwrap_err();
        assert_eq!(err.0[0].code, Code::UnknownSupersedes, "{err}");
    }

    #[test]
    fn a_user_rule_replaces_the_builtin_one_with_its_id() {
        let user = GOOD.replace("title = \"Demo\"", "title = \"Mine\"");
        let pack = load(&[
            ("rules/demo.toml".to_string(), GOOD.to_string()),
            ("/home/me/rules/demo.toml".to_string(), user),
        ])
        .unwrap();
        assert_eq!(pack.rules.len(), 1);
        assert_eq!(pack.rules[0].spec.title, "Mine");
    }

    #[test]
    fn the_builtin_pack_loads() {
        let pack = load(&builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
        assert!(pack.get("nfs-client-helper-missing").is_some());
    }
}

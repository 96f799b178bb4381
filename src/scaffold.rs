//! `podmortem rules new`: turn an unrecognized-error template (or one log
//! line) into a rule file that loads, lints and passes its own examples at
//! once, so writing the rule for a new failure starts from a working file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;
use thiserror::Error;

use crate::facts::ArtifactKind;
use crate::report::Report;
use crate::unrecognized;

#[derive(Debug, Error)]
pub enum ScaffoldError {
    #[error("the template has no constant word of 4 bytes or more that the example holds")]
    NoLiteral,
    #[error("generated regex does not compile: {0}")]
    Regex(#[from] regex::Error),
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a JSON report ({source})", path.display())]
    NotAReport {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: there is no template {n} (the report lists {listed})", path.display())]
    NoTemplate {
        path: PathBuf,
        n: usize,
        listed: usize,
    },
}

/// The placeholders `unrecognized::template` writes, and what each becomes.
fn placeholder_regex(name: &str, first: bool) -> String {
    let named = |cap: &str, re: &str| {
        if first {
            format!("(?P<{cap}>{re})")
        } else {
            format!("(?:{re})")
        }
    };
    match name {
        "uid" => named(
            "uid",
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        ),
        "pod" => named("pod", "[a-z0-9][a-z0-9.-]*"),
        "path" => named("path", r#"/[^\s"']*"#),
        "id" => "[0-9a-f]{12,}".into(),
        "ip" => r"[0-9a-fA-F.:/\[\]]+".into(),
        "num" => r"[0-9][0-9.xa-fA-F]*[A-Za-z]*".into(),
        "dur" => r"[0-9][0-9hmsuµn.]*".into(),
        "list" => r"[^\]]*".into(),
        _ => r#"[^"\s]*?"#.into(),
    }
}

fn placeholders() -> Option<&'static Regex> {
    static P: OnceLock<Option<Regex>> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"<(uid|id|ip|pod|dur|num|path|name|ts|url|list|\*)>").ok())
        .as_ref()
}

/// Constant words of a template piece: runs of word characters. Quotes,
/// colons and the like are dropped because `message_of` rewrites them
/// (`"msg" err="x"` becomes `msg: x`).
fn words(piece: &str) -> impl Iterator<Item = &str> {
    piece
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '/')))
        .map(|w| w.trim_matches(|c| matches!(c, '.' | '-' | '/')))
        .filter(|w| !w.is_empty())
}

/// The regex for a template: constant words in order, placeholders typed,
/// joined leniently (`.*?`) so the wrapper text `message_of` removed may
/// stand between them in the record.
pub fn template_regex(template: &str) -> String {
    let Some(ph) = placeholders() else {
        return regex::escape(template);
    };
    let mut seen: Vec<String> = Vec::new();
    let mut last = 0;
    let mut pieces: Vec<String> = Vec::new();
    for m in ph.captures_iter(template) {
        let Some(whole) = m.get(0) else { continue };
        let name = m.get(1).map_or("*", |n| n.as_str()).to_string();
        pieces.extend(words(template.get(last..whole.start()).unwrap_or("")).map(regex::escape));
        let first = !seen.contains(&name);
        seen.push(name.clone());
        pieces.push(placeholder_regex(&name, first));
        last = whole.end();
    }
    pieces.extend(words(template.get(last..).unwrap_or("")).map(regex::escape));
    format!("(?s){}", pieces.join(".*?"))
}

/// The longest constant word of the template that the example line holds
/// verbatim: the prefilter literal.
pub fn best_literal(template: &str, example: &str) -> Option<String> {
    let ph = placeholders()?;
    ph.split(template)
        .flat_map(words)
        .filter(|w| w.len() >= 4 && example.contains(w))
        .max_by_key(|w| w.len())
        .map(str::to_string)
}

fn toml_string(s: &str) -> String {
    // A literal string keeps regexes and log lines as they are, unless they hold `'''`.
    if s.contains("'''") {
        format!("{s:?}")
    } else if s.contains('\n') || s.contains('\'') || s.contains('"') || s.contains('\\') {
        format!("'''{s}'''")
    } else {
        format!("'{s}'")
    }
}

/// A rule id from the template's leading words: `error-syncing-pod-skipping`.
pub fn id_from(template: &str) -> String {
    let words: Vec<String> = template
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            w.len() > 1
                && !matches!(
                    *w,
                    "uid"
                        | "id"
                        | "ip"
                        | "pod"
                        | "dur"
                        | "num"
                        | "path"
                        | "name"
                        | "ts"
                        | "url"
                        | "list"
                )
        })
        .take(5)
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "new-failure".into()
    } else {
        words.join("-")
    }
}

/// A title from the template's first 80 characters, cut after a whole word
/// (`with ErrIma` reads as a typo in a rule list).
fn title_from(template: &str) -> String {
    const MAX: usize = 80;
    if template.chars().count() <= MAX {
        return template.to_string();
    }
    let head: String = template.chars().take(MAX).collect();
    let cut = head.rfind(' ').filter(|&at| at > 0).unwrap_or(head.len());
    let words = head.get(..cut).unwrap_or(&head);
    format!(
        "{}…",
        words.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '>' && c != '"')
    )
}

/// A complete rule file for a template and one real line it came from.
pub fn rule_file(
    id: &str,
    template: &str,
    example: &str,
    kind: ArtifactKind,
    source: &str,
) -> Result<String, ScaffoldError> {
    let literal = best_literal(template, example).ok_or(ScaffoldError::NoLiteral)?;
    let regex = template_regex(template);
    Regex::new(&regex)?;
    // A near-miss the rule must not match: the example with its literal taken out.
    let near_miss = example.replacen(&literal, "(text that differs)", 1);
    let title = title_from(template);
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Scaffolded by `podmortem rules new` from an unrecognized-error template. The regex is"
    );
    let _ = writeln!(
        t,
        "# deliberately lenient; tighten it, write the title, fix and references, and replace the"
    );
    let _ = writeln!(
        t,
        "# generated near-miss with a real one. `podmortem rules test --rules DIR` checks it."
    );
    let _ = writeln!(t, "id = {}", toml_string(id));
    let _ = writeln!(t, "title = {}", toml_string(&title));
    let _ = writeln!(t, "severity = \"medium\"");
    let _ = writeln!(t, "category = \"unclassified\"");
    let _ = writeln!(
        t,
        "summary = {}",
        toml_string(&format!("Records of the form: {template}"))
    );
    let _ = writeln!(t, "references = []");
    let _ = writeln!(
        t,
        "\n[[signal]]\nname = \"template\"\nin = [\"{}\"]",
        kind.as_str()
    );
    let _ = writeln!(t, "literals = [{}]", toml_string(&literal));
    let _ = writeln!(t, "regex = {}", toml_string(&regex));
    let _ = writeln!(
        t,
        "\n[fix]\nsummary = \"Investigate {{{{ pods }}}} on {{{{ node }}}}: {}\"",
        literal.replace('"', "'")
    );
    let _ = writeln!(t, "steps = [\"Read the evidence lines in the report and the component's documentation for this message.\"]");
    let _ = writeln!(
        t,
        "\n[[example]]\nkind = \"{}\"\nmatch = true\nsource = {}\ntext = {}",
        kind.as_str(),
        toml_string(source),
        toml_string(example)
    );
    let _ = writeln!(t, "\n[[example]]\nkind = \"{}\"\nmatch = false\nsource = \"generated near-miss: the example with its literal taken out\"\ntext = {}", kind.as_str(), toml_string(&near_miss));
    Ok(t)
}

/// From one log line: its message's template, then the rule.
pub fn from_line(
    line: &str,
    kind: ArtifactKind,
    id: Option<&str>,
) -> Result<String, ScaffoldError> {
    let message = unrecognized::message_of(kind, line)
        .map(|(_, m)| m)
        .unwrap_or_else(|| line.to_string());
    let template = unrecognized::template(&message);
    let id = id.map_or_else(|| id_from(&template), str::to_string);
    rule_file(
        &id,
        &template,
        line,
        kind,
        "the line given to `podmortem rules new --from-line`",
    )
}

/// From template `n` (1-based) of a JSON report's unrecognized list: the rule,
/// for the kind of artifact its example comes from (`kind` when the report's
/// inventory does not say).
pub fn from_report(
    path: &Path,
    n: usize,
    kind: ArtifactKind,
    id: Option<&str>,
) -> Result<String, ScaffoldError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScaffoldError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let report: Report =
        serde_json::from_str(&text).map_err(|source| ScaffoldError::NotAReport {
            path: path.to_path_buf(),
            source,
        })?;
    let entry = n
        .checked_sub(1)
        .and_then(|i| report.unrecognized.get(i))
        .ok_or_else(|| ScaffoldError::NoTemplate {
            path: path.to_path_buf(),
            n,
            listed: report.unrecognized.len(),
        })?;
    let example = &entry.example;
    let kind = report
        .inventory
        .iter()
        .find(|i| i.path == example.artifact)
        .map_or(kind, |i| i.kind);
    let id = id.map_or_else(|| id_from(&entry.template), str::to_string);
    let source = format!(
        "{}: {} line {}",
        path.display(),
        example.artifact,
        example.line
    );
    rule_file(&id, &entry.template, &example.text, kind, &source)
}

/// Where `rules new -o OUTPUT` writes: OUTPUT, or `OUTPUT/<id>.toml` when it is a
/// directory (a rules directory is what engineers have at hand).
pub fn output_path(output: &Path, rule_text: &str) -> PathBuf {
    if !output.is_dir() {
        return output.to_path_buf();
    }
    let id = toml::from_str::<toml::Table>(rule_text)
        .ok()
        .and_then(|t| t.get("id").and_then(|v| v.as_str()).map(str::to_string))
        .unwrap_or_else(|| "new-rule".to_string());
    output.join(format!("{id}.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{load, test_examples};

    #[test]
    fn a_long_template_is_titled_by_whole_words() {
        let long = r#"Error syncing pod, skipping: failed to "StartContainer" for "<name>" with ErrImagePull: "failed to pull and unpack image "<name>": 429 Too Many Requests"#;
        let title = title_from(long);
        assert_eq!(
            title,
            r#"Error syncing pod, skipping: failed to "StartContainer" for "<name>" with…"#
        );
        assert!(title.chars().count() <= 81);
        let short = "Plugin crashed: <path>: permission denied";
        assert_eq!(title_from(short), short);
    }

    fn passes(file: &str) {
        let mut sources = load::builtin_sources();
        sources.push(("scaffold/new.toml".into(), file.to_string()));
        let pack = load::load(&sources).unwrap_or_else(|e| panic!("{e}\n{file}"));
        let failures = test_examples(&pack);
        assert!(failures.is_empty(), "{failures:?}\n{file}");
    }

    #[test]
    fn a_rule_from_a_line_passes_its_own_examples_at_once() {
        let line = r#"E0203 11:18:59.671401    1342 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \"StartContainer\" for \"web\" with CreateContainerConfigError: \"quota exceeded for tenant acme-7\"" pod="shop/web-7c9d8f6b54-kvvcj" podUID="4b44a988-d410-4d1f-8916-3c3382a4c4bf""#;
        let file = from_line(
            line,
            ArtifactKind::KubeletLog,
            Some("tenant-quota-exceeded"),
        )
        .expect("scaffold");
        passes(&file);
    }

    #[test]
    fn the_scaffold_matches_other_occurrences_of_the_template() {
        let a = r#"E0101 10:00:00.000001    99 csi_attacher.go:1] "MountDevice failed" err="rpc error: code = Internal desc = fuse: device /dev/fuse not permitted for volume pvc-0a1b2c3d-1111-4222-8333-444455556666""#;
        let b = r#"E0101 11:12:13.999999    99 csi_attacher.go:1] "MountDevice failed" err="rpc error: code = Internal desc = fuse: device /dev/fuse not permitted for volume pvc-9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff""#;
        let file = from_line(a, ArtifactKind::KubeletLog, None).expect("scaffold");
        let spec: crate::rules::schema::RuleFile = toml::from_str(&file).expect("toml");
        let re = Regex::new(&spec.signals[0].regex).expect("regex");
        assert!(re.is_match(b), "{}", spec.signals[0].regex);
        assert!(b.contains(&spec.signals[0].literals[0]));
    }

    #[test]
    fn a_crash_loop_rule_matches_every_namespace_and_captures_the_pod() {
        let line = |pod: &str, ns: &str, uid: &str| {
            format!(
                r#"E0314 06:10:06.113000    3231 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \"StartContainer\" for \"app\" with CrashLoopBackOff: \"back-off 5m0s restarting failed container=app pod={pod}_{ns}({uid})\"" pod="{ns}/{pod}" podUID="{uid}""#
            )
        };
        let a = line(
            "web-7d9f8b6c4d-x2k9p",
            "shop",
            "0b8f3c2e-1d4a-4f6b-9c7e-5a2b1c3d4e5f",
        );
        let b = line(
            "kafka-0",
            "payments",
            "9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff",
        );
        let file = from_line(&a, ArtifactKind::KubeletLog, None).expect("scaffold");
        passes(&file);
        let spec: crate::rules::schema::RuleFile = toml::from_str(&file).expect("toml");
        let re = Regex::new(&spec.signals[0].regex).expect("regex");
        let caps = re
            .captures(&b)
            .unwrap_or_else(|| panic!("{}", spec.signals[0].regex));
        assert_eq!(caps.name("pod").map(|m| m.as_str()), Some("kafka-0"));
    }

    #[test]
    fn a_template_without_constant_text_is_refused() {
        assert!(rule_file("x", "<num> <uid>", "1 2", ArtifactKind::KubeletLog, "s").is_err());
    }
}

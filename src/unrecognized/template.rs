//! The template of a message: the parts that vary from one occurrence to the
//! next (pods, UIDs, ids, IPs, paths, times, numbers) replaced by typed
//! placeholders, in one pass of a multi-pattern regex (see the module header
//! of `unrecognized` for the placeholder rules).

use std::sync::OnceLock;

use regex::Regex;

use super::{head, B};

/// Bytes of a message that `template` looks at.
pub const MAX_TEMPLATE_INPUT: usize = 2048;

const MONTHS: &str = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
const DAYS: &str = "Mon|Tue|Wed|Thu|Fri|Sat|Sun";
/// Characters of a Kubernetes generated suffix (`k8s.io/apimachinery/pkg/util/rand`):
/// no vowels and no 0/1/3, so ordinary words rarely look like one.
const SUFFIX: &str = "[bcdfghjklmnpqrstvwxz2456789]";

/// What a placeholder match is, in the priority order of the combined regex.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cat {
    List,
    Url,
    PodRef,
    Ts,
    Uid,
    Ip,
    Quoted,
    Path,
    Hex,
    Pod,
    Dur,
    Num,
}

const CATS: [Cat; 12] = [
    Cat::List,
    Cat::Url,
    Cat::PodRef,
    Cat::Ts,
    Cat::Uid,
    Cat::Ip,
    Cat::Quoted,
    Cat::Path,
    Cat::Hex,
    Cat::Pod,
    Cat::Dur,
    Cat::Num,
];

/// The pattern of each category, in priority order.
fn cat_patterns() -> [String; 12] {
    let ts = [
        r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?: [+-]\d{4})?(?: (?:UTC|GMT|[A-Z]{1,2}[SD]T|CES?T))?(?: m=[+-]\d+(?:\.\d+)?)?".to_string(),
        format!(r"{B}\d{{4}}-\d{{2}}-\d{{2}}{B}"),
        r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?".to_string(),
        format!(r"{B}[IWEF]\d{{4}} \d{{2}}:\d{{2}}:\d{{2}}\.\d+"),
        format!(r"{B}(?:(?:{DAYS}),? )?(?:{MONTHS}) +\d{{1,2}},? (?:\d{{4}} )?\d{{2}}:\d{{2}}:\d{{2}}(?:\.\d+)?(?: \d{{4}}{B})?"),
        format!(r"{B}(?:(?:{DAYS}),? )?\d{{1,2}} (?:{MONTHS}) \d{{4}} \d{{2}}:\d{{2}}:\d{{2}}(?: [A-Z]{{3}}{B})?"),
        format!(r"{B}\d{{1,2}}:\d{{2}}:\d{{2}}(?:\.\d+)?{B}"),
        format!(r"{B}m=[+-]\d+(?:\.\d+)?"),
    ]
    .join("|");
    let octet = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)";
    let ip = [
        format!(r"{B}{octet}(?:\.{octet}){{3}}(?:/\d{{1,2}})?(?::\d{{1,5}})?{B}"),
        format!(r"{B}(?:[0-9a-fA-F]{{1,4}}:){{7}}[0-9a-fA-F]{{1,4}}{B}"),
        format!(r"{B}(?:[0-9a-fA-F]{{1,4}}:){{1,6}}:(?:[0-9a-fA-F]{{1,4}}{B})?"),
    ]
    .join("|");
    let uid = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    [
        r"=\[[^\[\]\n]+\]".to_string(),
        format!(r#"{B}[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>]+"#),
        // kubelet's `format.Pod`: `name_namespace(uid)`, one pod whatever its
        // namespace or name (StatefulSet ordinals included).
        format!(r"{B}[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?_[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\({uid}\)"),
        ts,
        uid.to_string(),
        ip,
        r#""[/a-z0-9][^"\s]*"|'[/a-z0-9][^'\s]*'"#.to_string(),
        // The delimiter before the path is part of the match (no look-behind in
        // `regex`) and is written back.
        r"(?:^|[\s=(\[,:])/[A-Za-z0-9._~@+%=^\-/]+".to_string(),
        format!(r"{B}(?:sha256:)?[0-9a-fA-F]{{12,}}{B}"),
        // Docker names glue pod names with `_`, which is a word character.
        format!(
            r"(?:{B}|_)[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?-(?:{SUFFIX}{{6,10}}-)?{SUFFIX}{{5}}(?:{B}|_)"
        ),
        format!(
            r"{B}\d+(?:\.\d+)?(?:ns|us|µs|ms|h|m|s|d)(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|h|m|s))*{B}"
        ),
        format!(r"{B}0x[0-9a-fA-F]+{B}|{B}\d+(?:\.\d+)*(?:[KMGTPE]i|[KMGTk]B)?{B}"),
    ]
}

// One pass over the message finds every span, and which category's pattern
// found it: the patterns are searched as one multi-pattern regex, whose
// leftmost-first semantics are those of their alternation in priority order
// (the earliest span wins; at one position, the first category that matches).
// Capture groups would cost a backtracking pass per match, and checking each
// span against each category's own anchored pattern afterwards was a tenth of
// the templating.
//
// The patterns are many, and the lazy DFA's default 2 MiB cache cannot hold
// the states real messages visit: it was cleared and rebuilt all along, and
// determinization cost ~40k instructions per message. A larger cache keeps the
// states once built (memory stays bounded by the limit).
pub(super) fn template_re() -> Option<&'static regex_automata::meta::Regex> {
    static CELL: OnceLock<Option<regex_automata::meta::Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        let patterns: Vec<String> = cat_patterns().iter().map(|p| ascii_classes(p)).collect();
        regex_automata::meta::Regex::builder()
            .configure(
                regex_automata::meta::Regex::config().hybrid_cache_capacity(TEMPLATE_DFA_CACHE),
            )
            .build_many(&patterns)
            .ok()
    })
    .as_ref()
}

/// `\d` and `\s` as their ASCII sets. Unicode's many digit and space ranges
/// become large UTF-8 automata, and every message templated is new text for
/// the lazy DFA: determinizing them was most of the cost of templating. Logs
/// write their numbers and separators in ASCII.
fn ascii_classes(pattern: &str) -> String {
    pattern
        .replace(r"\d", "[0-9]")
        .replace(r"\s", r"[\t\n\x0B\x0C\r ]")
}

/// Lazy DFA cache of the template regex (per thread that uses it).
const TEMPLATE_DFA_CACHE: usize = 32 << 20;

// Whole-value classifiers for quoted values.
lazy_re!(
    uid_full,
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
);
lazy_re!(
    ip_full,
    r"^(?:\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?(?::\d{1,5})?|[0-9a-fA-F:]*::?[0-9a-fA-F:]+)$"
);
lazy_re!(hex_full, r"^(?:sha256:)?[0-9a-fA-F]{12,}$");
lazy_re!(
    pod_full,
    format!(r"^[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?-(?:{SUFFIX}{{6,10}}-)?{SUFFIX}{{5}}$")
);

/// The placeholder for a quoted single-token value.
fn quoted_placeholder(v: &str) -> &'static str {
    let is = |f: fn() -> Option<&'static Regex>| f().is_some_and(|re| re.is_match(v));
    if v.starts_with('/') {
        "<path>"
    } else if is(uid_full) {
        "<uid>"
    } else if is(ip_full) {
        "<ip>"
    } else if is(hex_full) {
        "<id>"
    } else if is(pod_full) {
        "<pod>"
    } else {
        "<name>"
    }
}

fn push_placeholder(cat: Cat, span: &str, out: &mut String) {
    match cat {
        Cat::List => out.push_str("=[<list>]"),
        Cat::Url => out.push_str("<url>"),
        Cat::PodRef => out.push_str("<pod>"),
        Cat::Ts => out.push_str("<ts>"),
        Cat::Uid => out.push_str("<uid>"),
        Cat::Ip => out.push_str("<ip>"),
        Cat::Quoted => {
            let q = if span.starts_with('\'') { '\'' } else { '"' };
            let inner = span.get(1..span.len().saturating_sub(1)).unwrap_or("");
            out.push(q);
            out.push_str(quoted_placeholder(inner));
            out.push(q);
        }
        Cat::Path => {
            if !span.starts_with('/') {
                out.push_str(span.get(..1).unwrap_or(""));
            }
            out.push_str("<path>");
        }
        Cat::Hex => {
            let all_digits = span.bytes().all(|c| c.is_ascii_digit());
            out.push_str(if all_digits { "<num>" } else { "<id>" });
        }
        Cat::Pod => {
            // The pattern may take a `_` on either side (docker names): keep it.
            if span.starts_with('_') {
                out.push('_');
            }
            out.push_str("<pod>");
            if span.ends_with('_') && span.len() > 1 {
                out.push('_');
            }
        }
        Cat::Dur => out.push_str("<dur>"),
        Cat::Num => out.push_str("<num>"),
    }
}

/// The template of a message: typed placeholders for what varies, whitespace
/// collapsed, deterministic. See the module header for the placeholder rules.
pub fn template(message: &str) -> String {
    let msg = head(message, MAX_TEMPLATE_INPUT);
    let mut out = String::with_capacity(msg.len());
    match template_re() {
        Some(re) => {
            let mut last = 0;
            for m in re.find_iter(msg) {
                out.push_str(msg.get(last..m.start()).unwrap_or(""));
                if let Some(&cat) = CATS.get(m.pattern().as_usize()) {
                    push_placeholder(cat, msg.get(m.range()).unwrap_or(""), &mut out);
                }
                last = m.end();
            }
            out.push_str(msg.get(last..).unwrap_or(""));
        }
        None => out.push_str(msg),
    }
    let mut collapsed = String::with_capacity(out.len());
    for tok in out.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(tok);
    }
    collapsed
}

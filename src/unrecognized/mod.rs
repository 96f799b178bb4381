//! Unrecognized errors: the error-like records no rule explains, mined into templates.
//!
//! A bundle whose failure no rule knows still has to show that failure. Every
//! error-like record (klog `E`/`W`, Warning events, runtime `level=error`/`warning`,
//! plain lines with error words) is reduced to its *message* (`message_of`: the log's
//! own header removed), the message to a *template* (`template`: the parts that vary
//! from one occurrence to the next replaced by typed placeholders), and records with
//! one template become one `Cluster` with a count, first/last seen, nodes, pods and one
//! example. `Clusterer::finish` then merges templates that still differ only in a few
//! variable positions (Drain-style) and folds templates that end in the same long
//! error chain (the kubelet line, the event row and the runtime line of one failure),
//! and ranks: real errors first, known benign noise last. While a bundle is read, its
//! records are counted by template per artifact and journald host (`Tally`, beside the
//! scan); `Clusterer::add_tally` makes clusters of the tallies once the bundle's layout
//! can name each host's node.
//!
//! Placeholder rules (`template`), applied in one pass of a multi-pattern regex that
//! also says which rule found each span (capture groups would cost a backtracking pass
//! per match), leftmost match first, earlier rules winning at the same position:
//! - `=[<list>]`: a bracketed list after `=` (`unattached volumes=[a b c]`), because
//!   its length varies and would otherwise change the token count;
//! - `<url>` URLs; `<pod>` for kubelet's `name_namespace(uid)` pod references
//!   (`CrashLoopBackOff ... pod=web-0_shop(<uid>)`), so one failure across namespaces and
//!   StatefulSets is one template; `<ts>` timestamps (RFC 3339, `2024-05-14 10:45:50.85 +0000 UTC m=+1580.18`
//!   as Go prints a `time.Time`, klog, Go log, syslog, RFC 1123, bare `hh:mm:ss`, `m=+...`);
//! - `<uid>` UUIDs (also inside `pvc-<uid>` and docker names), `<ip>` IPv4 (with `/cidr`,
//!   `:port`) and IPv6;
//! - quoted values: a single-token quoted value that starts with a lowercase letter,
//!   a digit or `/` is a name that varies (Kubernetes object names are lowercase by
//!   rule): `"<path>"`, `"<uid>"`, `"<pod>"`, `"<ip>"`, `"<id>"` or `"<name>"`. Quoted
//!   values that start with an uppercase letter (Go API verbs and reasons such as
//!   `"StartContainer"`, `"CreatePodSandbox"`) or hold spaces stay; their insides are
//!   still templated;
//! - `<path>` absolute paths after a delimiter (all of them: NFS exports and volume
//!   dirs vary per volume, and a kept constant path would split one failure);
//! - `<id>` hex ids of 12+ digits (container ids, `sha256:...`); all-decimal ones are `<num>`;
//! - `<pod>` pod names with generated suffixes (`web-7c9d8f6b54-kvvcj`, `kube-proxy-x7k2p`,
//!   also `kube-api-access-499z2`). StatefulSet ordinals are not special: `db-0` becomes
//!   `db-<num>` through the number rule, so ordinals of one set collapse and different
//!   sets differ in one token, which the Drain merge takes care of;
//! - `<dur>` Go durations (`2m2s`, `500ms`, `1h0m0s`, `45s`); `<num>` numbers (also
//!   `0x..`, sizes such as `64Mi`, versions `1.29.3`, line numbers `file.go:<num>`).
//!
//! Then whitespace runs (including the newlines of joined continuation lines) become
//! one space. Only the first `MAX_TEMPLATE_INPUT` bytes of a message are templated, so
//! a 64 KiB record costs no more than a long line.
//!
//! `message` makes messages, `template` templates, `cluster` tallies and clusters.

/// `\b` on ASCII only: a Unicode word boundary would push the regex engine off its
/// fast DFA path on non-ASCII input.
const B: &str = r"(?-u:\b)";

/// A regex compiled once. The patterns are constants, so compilation cannot fail in
/// practice; should it, the matcher is `None` and callers treat it as "no match"
/// instead of panicking.
macro_rules! lazy_re {
    ($name:ident, $pat:expr) => {
        pub(super) fn $name() -> Option<&'static Regex> {
            static CELL: OnceLock<Option<Regex>> = OnceLock::new();
            CELL.get_or_init(|| Regex::new(&$pat).ok()).as_ref()
        }
    };
}

/// The first `max` bytes of `s`, cut at a character boundary.
fn head(s: &str, max: usize) -> &str {
    s.get(..s.floor_char_boundary(max)).unwrap_or(s)
}

mod cluster;
mod message;
mod template;

#[cfg(test)]
mod tests;

pub use crate::facts::Level;
pub use cluster::{
    clusters, is_benign, pod_in, Cluster, Clusterer, ErrorSeen, Occurrence, Place, Tally,
    MAX_TALLY_TEMPLATES,
};
pub use message::message_of;
pub use template::{template, MAX_TEMPLATE_INPUT};

//! Structured artifacts turned into typed facts.
//!
//! Each submodule owns one artifact format and returns plain values; nothing
//! here knows about rules. Every fact remembers the artifact line it came
//! from, so the report can show the line that decided a condition.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod attachments;
pub mod describe;
pub mod events;
pub mod mountinfo;
pub mod node_describe;
pub mod nodes;
pub mod os_release;
pub mod package_history;
pub mod packages;
pub mod pods;
pub mod versions;
pub mod yaml;

use std::sync::OnceLock;

use regex::Regex;

/// A parser's regex, compiled once on first use (a pattern that does not
/// compile gives None, never a panic).
fn regex(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// A text's lines, numbered from 1, without a byte-order mark or `\r`.
fn numbered_lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    (1u64..).zip(text.lines().map(|l| l.trim_end_matches('\r')))
}

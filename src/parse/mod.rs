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

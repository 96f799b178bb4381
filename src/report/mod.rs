//! What users see: the Report model and its renderings.
//!
//! Templates format, they never compute: every number or sentence a template
//! shows is already in the `Report` value.

pub mod model;
pub mod redact;
pub mod render;

pub use model::Report;

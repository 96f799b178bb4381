//! What users see: the Report model and its renderings.
//!
//! Templates format, they never compute: every number or sentence a template
//! shows is already in the `Report` value, or (for the HTML timeline's
//! positions, which are drawing, not data) in a value computed from it here.

pub mod build;
pub mod model;
pub mod redact;
pub mod render;
pub mod timeline;

pub use model::Report;

//! JSON, Markdown and self-contained HTML from one `Report`, through
//! minijinja templates embedded in the binary (`templates/`).

use minijinja::{context, Value};
use thiserror::Error;

use super::model::Report;
use super::timeline::timeline;
use crate::templates::{self, Template, TemplateError};

#[derive(Debug, Error)]
pub enum RenderError {
    #[error("{0}")]
    Template(#[from] TemplateError),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The output formats, by the names `--format` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Json,
    Markdown,
    Html,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim() {
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

pub fn render(report: &Report, format: Format) -> Result<String, RenderError> {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(report)?;
            s.push('\n');
            Ok(s)
        }
        Format::Markdown => Ok(templates::render(
            Template::ReportMarkdown,
            Value::from_serialize(report),
        )?),
        // The timeline is drawing, not data: the HTML gets it beside the
        // report, and the JSON stays the report alone.
        Format::Html => Ok(templates::render(
            Template::ReportHtml,
            context! {
                timeline => Value::from_serialize(timeline(report)),
                ..Value::from_serialize(report)
            },
        )?),
    }
}

/// The index page of a folder of bundles.
pub fn render_index<S: serde::Serialize>(summary: &S) -> Result<String, RenderError> {
    Ok(templates::render(
        Template::Index,
        Value::from_serialize(summary),
    )?)
}

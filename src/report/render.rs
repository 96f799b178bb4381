//! JSON, Markdown and self-contained HTML from one `Report`, through
//! minijinja templates embedded in the binary (`templates/`).

use minijinja::{context, Environment, Value};
use thiserror::Error;

use super::model::Report;
use super::timeline::timeline;

#[derive(Debug, Error)]
pub enum RenderError {
    #[error("template {name}: {source}")]
    Template {
        name: &'static str,
        source: minijinja::Error,
    },
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

const MARKDOWN: &str = include_str!("../../templates/report.md.j2");
const HTML: &str = include_str!("../../templates/report.html.j2");
const INDEX: &str = include_str!("../../templates/index.html.j2");
const CATALOGUE: &str = include_str!("../../templates/rules.md.j2");

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env
}

fn render_template(
    name: &'static str,
    source: &'static str,
    ctx: Value,
) -> Result<String, RenderError> {
    let mut env = environment();
    env.add_template(name, source)
        .map_err(|source| RenderError::Template { name, source })?;
    let tpl = env
        .get_template(name)
        .map_err(|source| RenderError::Template { name, source })?;
    tpl.render(ctx)
        .map_err(|source| RenderError::Template { name, source })
}

pub fn render(report: &Report, format: Format) -> Result<String, RenderError> {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(report)?;
            s.push('\n');
            Ok(s)
        }
        Format::Markdown => {
            render_template("report.md.j2", MARKDOWN, Value::from_serialize(report))
        }
        // The timeline is drawing, not data: the HTML gets it beside the
        // report, and the JSON stays the report alone.
        Format::Html => render_template(
            "report.html.j2",
            HTML,
            context! {
                timeline => Value::from_serialize(timeline(report)),
                ..Value::from_serialize(report)
            },
        ),
    }
}

/// The index page of a folder of bundles.
pub fn render_index<S: serde::Serialize>(summary: &S) -> Result<String, RenderError> {
    render_template("index.html.j2", INDEX, Value::from_serialize(summary))
}

/// The rule catalogue (`docs/rules.md`).
pub fn render_catalogue<S: serde::Serialize>(catalogue: &S) -> Result<String, RenderError> {
    render_template("rules.md.j2", CATALOGUE, Value::from_serialize(catalogue))
}

//! The minijinja templates embedded in the binary (`templates/`) and the one
//! way they are rendered. Reports, the batch index and the rule catalogue all
//! go through here; templates format values, they never compute them.

use minijinja::{Environment, Value};
use thiserror::Error;

#[derive(Debug, Error)]
#[error("template {name}: {source}")]
pub struct TemplateError {
    name: &'static str,
    source: minijinja::Error,
}

/// One embedded template.
#[derive(Clone, Copy, Debug)]
pub enum Template {
    ReportMarkdown,
    ReportHtml,
    Index,
    Catalogue,
}

impl Template {
    fn name(self) -> &'static str {
        match self {
            Template::ReportMarkdown => "report.md.j2",
            Template::ReportHtml => "report.html.j2",
            Template::Index => "index.html.j2",
            Template::Catalogue => "rules.md.j2",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Template::ReportMarkdown => include_str!("../templates/report.md.j2"),
            Template::ReportHtml => include_str!("../templates/report.html.j2"),
            Template::Index => include_str!("../templates/index.html.j2"),
            Template::Catalogue => include_str!("../templates/rules.md.j2"),
        }
    }
}

/// Blocks trimmed as written; HTML templates escape what they print.
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

pub fn render(template: Template, ctx: Value) -> Result<String, TemplateError> {
    let name = template.name();
    let err = |source| TemplateError { name, source };
    let mut env = environment();
    env.add_template(name, template.source()).map_err(err)?;
    env.get_template(name)
        .map_err(err)?
        .render(ctx)
        .map_err(err)
}

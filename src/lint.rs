//! Checking pipeline files without running them: every processor built,
//! every template and Painless snippet compiled, every problem reported.
//!
//! Elasticsearch stops at the first processor it cannot build; lint builds
//! processors one at a time (and each `on_failure` handler on its own) so a
//! single run lists everything that is wrong, each with its location.
//!
//! One check goes beyond what Elasticsearch refuses at load time: a
//! `pipeline` processor that names a pipeline which is not there fails every
//! document at run time, so lint reports it too.

use crate::error::EsError;
use crate::pipeline::definition::parse_document;
use crate::pipeline::{build_processor, BuildContext, PipelineDefinition, ProcessorDefinition};
use crate::value::{Map, Value};
use std::fmt;
use std::path::Path;

/// One thing Elasticsearch would refuse, and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: String,
    /// `processors[2]`, `on_failure[0]`, `processors[1].on_failure[0]`;
    /// `None` for the file or the pipeline as a whole.
    pub location: Option<String>,
    pub processor_type: Option<String>,
    pub tag: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        if let Some(location) = &self.location {
            write!(f, "{location}")?;
            match (&self.processor_type, &self.tag) {
                (Some(t), Some(tag)) => write!(f, " ({t}, tag {tag:?})")?,
                (Some(t), None) => write!(f, " ({t})")?,
                (None, Some(tag)) => write!(f, " (tag {tag:?})")?,
                (None, None) => {}
            }
            write!(f, ": ")?;
        }
        f.write_str(&self.message)
    }
}

/// Lints a pipeline file (`.json`, `.yml`, `.yaml`).
pub fn lint_file(path: &Path, ctx: &BuildContext) -> Vec<Problem> {
    let file = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return vec![problem(&file, None, None, None, format!("cannot read the file: {e}"))],
    };
    match parse_document(path, &text) {
        // The parser's message already starts with the file name.
        Err(e) => {
            let message = e.reason.strip_prefix(&format!("{file}:")).unwrap_or(&e.reason).trim_start().to_string();
            vec![problem(&file, None, None, None, message)]
        }
        Ok(value) => lint_value(&file, &value, ctx),
    }
}

/// Lints a pipeline definition already parsed; `file` names it in problems.
pub fn lint_value(file: &str, value: &Value, ctx: &BuildContext) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(map) = value.as_map() else {
        problems.push(problem(file, None, None, None, "pipeline definition must be an object".into()));
        return problems;
    };
    // The pipeline's own settings, checked with its processor lists set aside.
    let mut settings = map.clone();
    settings.insert("processors".into(), Value::List(Vec::new()));
    settings.shift_remove("on_failure");
    if let Err(e) = PipelineDefinition::from_value(&Value::Map(settings)) {
        problems.push(problem(file, None, None, None, message(&e)));
    }
    match map.get("processors") {
        None => problems.push(problem(file, None, None, None, "[processors] required property is missing".into())),
        Some(Value::List(items)) => lint_list(file, "processors", items, ctx, &mut problems),
        Some(other) => problems.push(problem(
            file,
            None,
            None,
            None,
            format!("[processors] property isn't a list, but of type [{}]", other.java_class()),
        )),
    }
    match map.get("on_failure") {
        None | Some(Value::Null) => {}
        Some(Value::List(items)) if items.is_empty() => {
            problems.push(problem(file, None, None, None, "pipeline [on_failure] processors cannot be empty".into()))
        }
        Some(Value::List(items)) => lint_list(file, "on_failure", items, ctx, &mut problems),
        Some(other) => problems.push(problem(
            file,
            None,
            None,
            None,
            format!("[on_failure] property isn't a list, but of type [{}]", other.java_class()),
        )),
    }
    problems
}

fn lint_list(file: &str, prefix: &str, items: &[Value], ctx: &BuildContext, out: &mut Vec<Problem>) {
    for (i, item) in items.iter().enumerate() {
        lint_processor(file, &format!("{prefix}[{i}]"), item, ctx, out);
    }
}

/// Builds one processor with its handlers set aside, then each handler.
fn lint_processor(file: &str, location: &str, item: &Value, ctx: &BuildContext, out: &mut Vec<Problem>) {
    let (kind, body) = match item.as_map() {
        Some(m) if m.len() == 1 => {
            let (k, v) = m.iter().next().expect("one entry");
            (k.clone(), v.as_map().cloned())
        }
        _ => {
            out.push(problem(
                file,
                Some(location),
                None,
                None,
                "processor must be an object with a single key: its type".into(),
            ));
            return;
        }
    };
    let tag = body.as_ref().and_then(|b| b.get("tag")).filter(|t| !t.is_null()).map(Value::to_java_string);
    let mut handlers = Vec::new();
    let mut stripped = body.clone().unwrap_or_default();
    if let Some(Value::List(list)) = stripped.get("on_failure") {
        if !list.is_empty() {
            handlers = list.clone();
            stripped.shift_remove("on_failure");
        }
    }
    let item = match body {
        Some(_) => single(&kind, Value::Map(stripped)),
        None => item.clone(),
    };
    let built = ProcessorDefinition::from_value(&item).and_then(|def| build_processor(&def, ctx).map(|_| def));
    match built {
        Err(e) => out.push(problem(file, Some(location), Some(kind.clone()), tag, message(&e))),
        Ok(def) => {
            if let Some(message) = missing_called_pipeline(&def, ctx) {
                out.push(problem(file, Some(location), Some(kind.clone()), tag, message));
            }
        }
    }
    for (j, handler) in handlers.iter().enumerate() {
        lint_processor(file, &format!("{location}.on_failure[{j}]"), handler, ctx, out);
    }
}

/// A `pipeline` processor naming (without a template) a pipeline that is
/// not there. Elasticsearch accepts it, then fails every document that
/// reaches it; with the pipelines of a package at hand that is a mistake.
fn missing_called_pipeline(def: &ProcessorDefinition, ctx: &BuildContext) -> Option<String> {
    if def.kind != "pipeline" || def.options.get("ignore_missing_pipeline").is_some_and(|v| v.to_java_string() == "true") {
        return None;
    }
    let name = def.options.get("name").and_then(Value::as_str).filter(|n| !n.contains("{{"))?;
    match ctx.registry.get(name, ctx) {
        Ok(None) => Some(format!(
            "pipeline [{name}] is not among the pipelines searched (the file's directory and --pipelines-dir): \
             every document reaching this processor fails with \"Pipeline processor configured for non-existent pipeline [{name}]\""
        )),
        // A pipeline that exists but is refused is reported when it is linted.
        Ok(Some(_)) | Err(_) => None,
    }
}

fn single(key: &str, value: Value) -> Value {
    let mut m = Map::default();
    m.insert(key.to_string(), value);
    Value::Map(m)
}

fn problem(file: &str, location: Option<&str>, kind: Option<String>, tag: Option<String>, message: String) -> Problem {
    Problem { file: file.to_string(), location: location.map(str::to_string), processor_type: kind, tag, message }
}

/// The reason, each cause's reason after it, and for a script error the
/// line and column in the script where it is.
pub fn message(e: &EsError) -> String {
    let mut text = e.reason.clone();
    let mut cause = e.caused_by.as_deref();
    while let Some(c) = cause {
        if !text.ends_with(&c.reason) {
            text.push_str(": ");
            text.push_str(&c.reason);
        }
        cause = c.caused_by.as_deref();
    }
    if let Some((line, column)) = script_position(e) {
        text.push_str(&format!(" (script line {line}, column {column})"));
    }
    text
}

/// Line and column (1-based) of a script error's `position.offset`, a
/// character offset into `script`.
fn script_position(e: &EsError) -> Option<(usize, usize)> {
    let mut current = Some(e);
    while let Some(err) = current {
        let offset = err.extra.get("position").and_then(|p| p.as_map()).and_then(|p| p.get("offset")).and_then(Value::as_i64);
        if let (Some(offset), Some(script)) = (offset, err.extra.get("script").and_then(Value::as_str)) {
            let (mut line, mut column) = (1, 1);
            for c in script.chars().take(usize::try_from(offset).unwrap_or(0)) {
                if c == '\n' {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
            }
            return Some((line, column));
        }
        current = err.caused_by.as_deref();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(text: &str) -> Vec<String> {
        let value = Value::from_json_str(text).unwrap();
        lint_value("p.json", &value, &BuildContext::default()).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reports_every_bad_processor_with_its_location() {
        let problems = lint(
            r#"{"processors":[
                {"set":{"field":"a","value":1}},
                {"set":{"tag":"t1","value":1}},
                {"nope":{}},
                {"set":{"field":"b","value":1,"on_failure":[{"set":{"field":"c"}}]}}
            ],"on_failure":[{"append":{"field":"x","value":"{{#a}}"}}]}"#,
        );
        assert_eq!(
            problems[..3],
            [
                r#"p.json: processors[1] (set, tag "t1"): [field] required property is missing"#,
                "p.json: processors[2] (nope): No processor type exists with name [nope]",
                "p.json: processors[3].on_failure[0] (set): [value] required property is missing",
            ]
        );
        assert!(
            problems[3].starts_with("p.json: on_failure[0] (append): Failed to compile inline script [{{#a}}] using lang [mustache]: "),
            "{}",
            problems[3]
        );
        assert_eq!(problems.len(), 4);
    }

    #[test]
    fn reports_pipeline_level_problems() {
        assert_eq!(lint("[]"), ["p.json: pipeline definition must be an object"]);
        assert_eq!(lint(r#"{"description":"x"}"#), ["p.json: [processors] required property is missing"]);
        assert_eq!(lint(r#"{"processors":[],"on_failure":[]}"#), ["p.json: pipeline [on_failure] processors cannot be empty"]);
        assert!(lint(r#"{"processors":[{"set":{"field":"a","value":1}}]}"#).is_empty());
    }

    #[test]
    fn script_errors_point_into_the_script() {
        let mut position = Map::default();
        position.insert("offset".into(), Value::Int(9));
        let e = EsError::new("script_exception", "compile error")
            .with("script", "ctx.a = 1;\nctx.b = ;")
            .with("position", Value::Map(position))
            .caused_by(EsError::illegal_argument("unexpected token [;]"));
        assert_eq!(message(&e), "compile error: unexpected token [;] (script line 1, column 10)");
    }
}

//! `gsub`: replaces every match of a Java regular expression.

use super::java_regex;
use super::string_processor::StringField;
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "gsub",
    description: "Converts a string field by applying a regular expression and a replacement.",
    options: &[
        OptionSpec::required("field", String, "The field to apply the replacement to."),
        OptionSpec::required("pattern", String, "The pattern to be replaced (a Java regular expression)."),
        OptionSpec::required("replacement", String, "The string to replace the matching patterns with ($1, ${name} refer to groups)."),
        OptionSpec::optional("ignore_missing", Bool, "If true and field does not exist or is null, the processor quietly exits without modifying the document.")
            .default("false"),
        OptionSpec::optional("target_field", String, "The field to assign the converted value to, by default field is updated in-place."),
    ],
    examples: &[
        Example {
            title: "dots to dashes",
            config: r#"{"field": "f", "pattern": "\\.", "replacement": "-"}"#,
            input: r#"{"f": "127.0.0.1"}"#,
            output: Ok(r#"{"f": "127-0-0-1"}"#),
        },
        Example {
            title: "group references",
            config: r#"{"field": "f", "pattern": "(\\w+)@(\\w+)", "replacement": "$2 at $1", "target_field": "g"}"#,
            input: r#"{"f": ["me@home", "x"]}"#,
            output: Ok(r#"{"f": ["me@home", "x"], "g": ["home at me", "x"]}"#),
        },
        Example {
            title: "a reference to a missing group fails",
            config: r#"{"field": "f", "pattern": "a", "replacement": "$1"}"#,
            input: r#"{"f": "a"}"#,
            output: Err("No group 1"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Gsub {
    field: StringField,
    pattern: fancy_regex::Regex,
    replacement: std::string::String,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = StringField::read(o)?;
    let pattern = o.string("pattern")?;
    let replacement = o.string("replacement")?;
    let pattern = java_regex::compile(&pattern)
        .map_err(|e| o.error("pattern", &format!("Invalid regex pattern. {e}")))?;
    Ok(Box::new(Gsub {
        field,
        pattern,
        replacement,
    }))
}

impl Processor for Gsub {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        self.field.apply(doc, |s| {
            java_regex::replace_all(&self.pattern, s, &self.replacement)
                .map(Value::String)
                .map_err(|e| {
                    // Matcher.appendReplacement: a group number past the
                    // pattern's is an IndexOutOfBoundsException, any other
                    // bad reference an IllegalArgumentException.
                    let kind = if e.starts_with("No group ") && !e.starts_with("No group with name") {
                        "index_out_of_bounds_exception"
                    } else {
                        "illegal_argument_exception"
                    };
                    EsError::new(kind, e)
                })
        })?;
        Ok(Flow::Continue)
    }
}

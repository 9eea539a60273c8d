//! `trim`: removes leading and trailing whitespace as Java's `String.trim` does: every character up to U+0020.

use super::string_processor::{self, StringField};
use super::{Example, Flow, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

const OPTIONS: [OptionSpec; 3] = string_processor::options(
    "The string-valued field to trim whitespace from.",
    "The field to assign the trimmed value to, by default field is updated in-place.",
);

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "trim",
    description: "Trims whitespace from field. If the field is an array of strings, all members of the array will be trimmed.",
    options: &OPTIONS,
    examples: &[
        Example {
            title: "spaces, tabs and newlines",
            config: r#"{"field": "foo"}"#,
            input: r#"{"foo": " \t a b \n"}"#,
            output: Ok(r#"{"foo": "a b"}"#),
        },
        Example {
            title: "a no-break space is not trimmed, as in Java",
            config: r#"{"field": "foo"}"#,
            input: r#"{"foo": "\u00a0x "}"#,
            output: Ok(r#"{"foo": "\u00a0x"}"#),
        },
        Example {
            title: "a list of strings",
            config: r#"{"field": "foo", "target_field": "t"}"#,
            input: r#"{"foo": [" a", "b "]}"#,
            output: Ok(r#"{"foo": [" a", "b "], "t": ["a", "b"]}"#),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Trim {
    field: StringField,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    Ok(Box::new(Trim {
        field: StringField::read(o)?,
    }))
}

impl Processor for Trim {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        self.field.apply(doc, |s| {
            Ok(Value::String(
                s.trim_matches(|c: char| c <= ' ').to_string(),
            ))
        })?;
        Ok(Flow::Continue)
    }
}

//! `uppercase`: converts a string to its uppercase equivalent (Java's `toUpperCase(Locale.ROOT)`).

use super::string_processor::{self, StringField};
use super::{Example, Flow, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

const OPTIONS: [OptionSpec; 3] = string_processor::options(
    "The field to make uppercase.",
    "The field to assign the converted value to, by default field is updated in-place.",
);

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "uppercase",
    description: "Converts a string to its uppercase equivalent. If the field is an array of strings, all members of the array will be converted.",
    options: &OPTIONS,
    examples: &[
        Example {
            title: "a string, with the German sharp s expanded as Java does",
            config: r#"{"field": "foo"}"#,
            input: r#"{"foo": "straße"}"#,
            output: Ok(r#"{"foo": "STRASSE"}"#),
        },
        Example {
            title: "a list of strings",
            config: r#"{"field": "foo"}"#,
            input: r#"{"foo": ["a", "b"]}"#,
            output: Ok(r#"{"foo": ["A", "B"]}"#),
        },
        Example {
            title: "ignore_missing",
            config: r#"{"field": "foo", "ignore_missing": true}"#,
            input: r#"{}"#,
            output: Ok(r#"{}"#),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Uppercase {
    field: StringField,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    Ok(Box::new(Uppercase {
        field: StringField::read(o)?,
    }))
}

impl Processor for Uppercase {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        self.field
            .apply(doc, |s| Ok(Value::String(s.to_uppercase())))?;
        Ok(Flow::Continue)
    }
}

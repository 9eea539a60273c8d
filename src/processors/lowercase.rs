//! `lowercase`: converts a string to its lowercase equivalent (Java's `toLowerCase(Locale.ROOT)`).

use super::string_processor::{self, StringField};
use super::{Example, Flow, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

const OPTIONS: [OptionSpec; 3] = string_processor::options(
    "The field to make lowercase.",
    "The field to assign the converted value to, by default field is updated in-place.",
);

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "lowercase",
    description: "Converts a string to its lowercase equivalent. If the field is an array of strings, all members of the array will be converted.",
    options: &OPTIONS,
    examples: &[
        Example {
            title: "a string",
            config: r#"{"field": "foo"}"#,
            input: r#"{"foo": "HeLLo ÄÖ"}"#,
            output: Ok(r#"{"foo": "hello äö"}"#),
        },
        Example {
            title: "a list of strings, to a target field",
            config: r#"{"field": "foo", "target_field": "bar"}"#,
            input: r#"{"foo": ["A", "B"]}"#,
            output: Ok(r#"{"foo": ["A", "B"], "bar": ["a", "b"]}"#),
        },
        Example {
            title: "a number is refused",
            config: r#"{"field": "foo"}"#,
            input: r#"{"foo": 1}"#,
            output: Err("field [foo] of type [java.lang.Integer] cannot be cast to [java.lang.String]"),
        },
        Example {
            title: "a number inside a list is refused",
            config: r#"{"field": "foo"}"#,
            input: r#"{"foo": ["a", 1]}"#,
            output: Err("value [1] of type [java.lang.Integer] in list field [foo] cannot be cast to [java.lang.String]"),
        },
        Example {
            title: "a missing field fails",
            config: r#"{"field": "foo"}"#,
            input: r#"{}"#,
            output: Err("field [foo] not present as part of path [foo]"),
        },
        Example {
            title: "a null field fails",
            config: r#"{"field": "foo"}"#,
            input: r#"{"foo": null}"#,
            output: Err("field [foo] is null, cannot process it."),
        },
        Example {
            title: "ignore_missing skips a missing or null field",
            config: r#"{"field": "foo", "ignore_missing": true}"#,
            input: r#"{"bar": 1, "foo": null}"#,
            output: Ok(r#"{"bar": 1, "foo": null}"#),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Lowercase {
    field: StringField,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    Ok(Box::new(Lowercase {
        field: StringField::read(o)?,
    }))
}

impl Processor for Lowercase {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        self.field
            .apply(doc, |s| Ok(Value::String(s.to_lowercase())))?;
        Ok(Flow::Continue)
    }
}

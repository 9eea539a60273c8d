//! `join`: joins a list's elements into a string.

use super::support::{cannot_cast, set_field};
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "join",
    description: "Joins each element of an array into a single string using a separator character between each element.",
    options: &[
        OptionSpec::required("field", String, "Field containing array values to join."),
        OptionSpec::required("separator", String, "The separator character."),
        OptionSpec::optional("target_field", String, "The field to assign the joined value to, by default field is updated in-place."),
    ],
    examples: &[
        Example {
            title: "elements as Java prints them",
            config: r#"{"field": "l", "separator": "-"}"#,
            input: r#"{"l": ["a", 1, 2.0, true]}"#,
            output: Ok(r#"{"l": "a-1-2.0-true"}"#),
        },
        Example {
            title: "a string is not a list",
            config: r#"{"field": "l", "separator": "-"}"#,
            input: r#"{"l": "a"}"#,
            output: Err("field [l] of type [java.lang.String] cannot be cast to [java.util.List]"),
        },
        Example {
            title: "a missing field fails",
            config: r#"{"field": "l", "separator": "-", "target_field": "t"}"#,
            input: r#"{}"#,
            output: Err("field [l] not present as part of path [l]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Join {
    field: std::string::String,
    path: FieldPath,
    separator: std::string::String,
    target: FieldPath,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let separator = o.string("separator")?;
    let target = o
        .opt_string("target_field")?
        .unwrap_or_else(|| field.clone());
    Ok(Box::new(Join {
        path: FieldPath::parse(&field).map_err(|e| o.error("field", &e))?,
        target: FieldPath::parse(&target).map_err(|e| o.error("target_field", &e))?,
        field,
        separator,
    }))
}

impl Processor for Join {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let joined = match doc.get(&self.path).map_err(EsError::illegal_argument)? {
            Value::Null => {
                return Err(EsError::illegal_argument(format!(
                    "field [{}] is null, cannot join.",
                    self.field
                )))
            }
            Value::List(items) => {
                if items.iter().any(Value::is_null) {
                    // Object::toString on a null element.
                    return Err(EsError::new(
                        "null_pointer_exception",
                        "Cannot invoke \"Object.toString()\" because \"<parameter1>\" is null",
                    ));
                }
                items
                    .iter()
                    .map(Value::to_java_string)
                    .collect::<Vec<_>>()
                    .join(&self.separator)
            }
            other => return Err(cannot_cast(&self.field, other, "java.util.List")),
        };
        set_field(doc, &self.target, Value::String(joined))?;
        Ok(Flow::Continue)
    }
}

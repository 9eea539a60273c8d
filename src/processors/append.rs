//! `append`: appends values to a field, turning a scalar into a list.

use super::value_source::ValueSource;
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::template::FieldTemplate;
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "append",
    description: "Appends one or more values to an existing array if the field already exists and it is an array.",
    options: &[
        OptionSpec::required("field", String, "The field to be appended to.").templated(),
        OptionSpec::optional("value", Any, "The value to be appended. Required unless copy_from is set.").templated(),
        OptionSpec::optional("copy_from", String, "The origin field which will be appended to field, cannot set value simultaneously."),
        OptionSpec::optional("allow_duplicates", Bool, "If false, values already present are not appended.")
            .default("true"),
        OptionSpec::optional("ignore_empty_values", Bool, "If true, values that resolve to null or an empty string are not appended.")
            .default("false"),
        OptionSpec::optional("media_type", String, "Media type for encoding value's templates.")
            .default("application/json"),
    ],
    examples: &[
        Example {
            title: "a scalar becomes a list",
            config: r#"{"field": "tags", "value": ["b", "{{{x}}}"]}"#,
            input: r#"{"tags": "a", "x": "c"}"#,
            output: Ok(r#"{"tags": ["a", "b", "c"], "x": "c"}"#),
        },
        Example {
            title: "allow_duplicates false",
            config: r#"{"field": "tags", "value": ["a", "b", "b"], "allow_duplicates": false}"#,
            input: r#"{"tags": ["a"]}"#,
            output: Ok(r#"{"tags": ["a", "b"]}"#),
        },
        Example {
            title: "a scalar that gains nothing stays a scalar",
            config: r#"{"field": "tags", "value": "a", "allow_duplicates": false}"#,
            input: r#"{"tags": "a"}"#,
            output: Ok(r#"{"tags": "a"}"#),
        },
        Example {
            title: "a missing field is created as a list",
            config: r#"{"field": "a.b", "value": 1}"#,
            input: r#"{}"#,
            output: Ok(r#"{"a": {"b": [1]}}"#),
        },
        Example {
            title: "copy_from appends another field's values",
            config: r#"{"field": "dest", "copy_from": "src"}"#,
            input: r#"{"src": [2], "dest": 1}"#,
            output: Ok(r#"{"src": [2], "dest": [1, 2]}"#),
        },
        Example {
            title: "ignore_empty_values drops nulls and empty strings",
            config: r#"{"field": "dest", "copy_from": "src", "ignore_empty_values": true}"#,
            input: r#"{"src": ["", 2, null, 3], "dest": [1]}"#,
            output: Ok(r#"{"src": ["", 2, null, 3], "dest": [1, 2, 3]}"#),
        },
        Example {
            title: "nothing left to append leaves an absent field absent",
            config: r#"{"field": "dest", "value": "{{missing}}", "ignore_empty_values": true}"#,
            input: r#"{}"#,
            output: Ok(r#"{}"#),
        },
        Example {
            title: "a missing copy_from fails",
            config: r#"{"field": "dest", "copy_from": "src"}"#,
            input: r#"{}"#,
            output: Err("field [src] not present as part of path [src]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
enum Source {
    Value(ValueSource),
    CopyFrom(FieldPath),
}

#[derive(Debug)]
struct Append {
    field: FieldTemplate,
    source: Source,
    allow_duplicates: bool,
    ignore_empty_values: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = FieldTemplate::new(o.template("field")?)?;
    let copy_from = o.opt_string("copy_from")?;
    let value = o.opt_value("value");
    let allow_duplicates = o.bool_or("allow_duplicates", true)?;
    let ignore_empty_values = o.bool_or("ignore_empty_values", false)?;
    let escaping = o.media_type_escaping()?;
    let source = match (copy_from, value) {
        (Some(_), Some(_)) => {
            return Err(o.error(
                "copy_from",
                "cannot set both `copy_from` and `value` in the same processor",
            ))
        }
        (Some(from), None) => {
            Source::CopyFrom(FieldPath::parse(&from).map_err(|e| o.error("copy_from", &e))?)
        }
        (None, Some(v)) => Source::Value(ValueSource::wrap(v, escaping)?),
        (None, None) => return Err(o.error("value", "required property is missing")),
    };
    Ok(Box::new(Append {
        field,
        source,
        allow_duplicates,
        ignore_empty_values,
    }))
}

fn is_empty(v: &Value) -> bool {
    matches!(v, Value::Null) || matches!(v, Value::String(s) if s.is_empty())
}

impl Processor for Append {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let path = self.field.path(doc).map_err(EsError::illegal_argument)?;
        let path = path.as_ref();
        let value = match &self.source {
            Source::Value(v) => v.resolve(doc),
            Source::CopyFrom(from) => match doc.get(from) {
                Ok(v) => v.clone(),
                Err(_) if self.ignore_empty_values => return Ok(Flow::Continue),
                Err(e) => return Err(EsError::illegal_argument(e)),
            },
        };
        let value = if self.ignore_empty_values {
            let kept: Vec<Value> = match value {
                Value::List(items) => items.into_iter().filter(|v| !is_empty(v)).collect(),
                v if is_empty(&v) => Vec::new(),
                v => vec![v],
            };
            if kept.is_empty() {
                return Ok(Flow::Continue);
            }
            Value::List(kept)
        } else {
            value
        };
        doc.append(path, value, self.allow_duplicates)
            .map_err(EsError::illegal_argument)?;
        Ok(Flow::Continue)
    }
}

//! `set`: sets a field to a value, or to a copy of another field.

use super::value_source::ValueSource;
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::template::FieldTemplate;
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "set",
    description: "Sets one field and associates it with the specified value.",
    options: &[
        OptionSpec::required("field", String, "The field to insert, upsert, or update.")
            .templated(),
        OptionSpec::optional(
            "value",
            Any,
            "The value to be set for the field. Required unless copy_from is set.",
        )
        .templated(),
        OptionSpec::optional(
            "copy_from",
            String,
            "The origin field which will be copied to field.",
        ),
        OptionSpec::optional(
            "override",
            Bool,
            "Whether to replace a field that already holds a non-null value.",
        )
        .default("true"),
        OptionSpec::optional(
            "ignore_empty_value",
            Bool,
            "Skip when the value is null or an empty string.",
        )
        .default("false"),
        OptionSpec::optional(
            "media_type",
            String,
            "Media type for encoding value's templates.",
        )
        .default("application/json"),
    ],
    examples: &[
        Example {
            title: "value with a template",
            config: r#"{"field": "greeting", "value": "hello {{{name}}}"}"#,
            input: r#"{"name": "world"}"#,
            output: Ok(r#"{"name": "world", "greeting": "hello world"}"#),
        },
        Example {
            title: "copy_from copies deeply",
            config: r#"{"field": "b", "copy_from": "a"}"#,
            input: r#"{"a": {"x": [1, 2]}}"#,
            output: Ok(r#"{"a": {"x": [1, 2]}, "b": {"x": [1, 2]}}"#),
        },
        Example {
            title: "override false keeps a non-null value",
            config: r#"{"field": "a", "value": 2, "override": false}"#,
            input: r#"{"a": 1}"#,
            output: Ok(r#"{"a": 1}"#),
        },
        Example {
            title: "ignore_empty_value skips a missing copy_from",
            config: r#"{"field": "b", "copy_from": "missing", "ignore_empty_value": true}"#,
            input: r#"{"a": 1}"#,
            output: Ok(r#"{"a": 1}"#),
        },
        Example {
            title: "ignore_empty_value skips a template that renders empty",
            config: r#"{"field": "b", "value": "{{missing}}", "ignore_empty_value": true}"#,
            input: r#"{"a": 1}"#,
            output: Ok(r#"{"a": 1}"#),
        },
        Example {
            title: "but not a literal empty string",
            config: r#"{"field": "b", "value": "", "ignore_empty_value": true}"#,
            input: r#"{"a": 1}"#,
            output: Ok(r#"{"a": 1, "b": ""}"#),
        },
        Example {
            title: "override false sets a null field",
            config: r#"{"field": "a", "value": 2, "override": false}"#,
            input: r#"{"a": null}"#,
            output: Ok(r#"{"a": 2}"#),
        },
        Example {
            title: "values keep their types and templates inside them render",
            config: r#"{"field": "o", "value": {"n": 1, "l": [true, "{{{a}}}"], "k_{{a}}": null}}"#,
            input: r#"{"a": "x"}"#,
            output: Ok(r#"{"a": "x", "o": {"n": 1, "l": [true, "x"], "k_x": null}}"#),
        },
        Example {
            title: "a missing copy_from fails",
            config: r#"{"field": "b", "copy_from": "missing"}"#,
            input: r#"{"a": 1}"#,
            output: Err("field [missing] not present as part of path [missing]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Set {
    field: FieldTemplate,
    value: Option<ValueSource>,
    copy_from: Option<FieldPath>,
    override_existing: bool,
    ignore_empty_value: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = FieldTemplate::new(o.template("field")?)?;
    let copy_from = o.opt_string("copy_from")?;
    let raw_value = o.opt_value("value");
    let override_existing = o.bool_or("override", true)?;
    let ignore_empty_value = o.bool_or("ignore_empty_value", false)?;
    let escaping = o.media_type_escaping()?;
    let (value, copy_from) = match (copy_from, raw_value) {
        (Some(_), Some(_)) => {
            return Err(o.error(
                "copy_from",
                "cannot set both `copy_from` and `value` in the same processor",
            ))
        }
        (Some(from), None) => (
            None,
            Some(FieldPath::parse(&from).map_err(|e| o.error("copy_from", &e))?),
        ),
        (None, Some(v)) => (Some(ValueSource::wrap(v, escaping)?), None),
        (None, None) => return Err(o.error("value", "required property is missing")),
    };
    Ok(Box::new(Set {
        field,
        value,
        copy_from,
        override_existing,
        ignore_empty_value,
    }))
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

impl Processor for Set {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let path = self.field.path(doc).map_err(EsError::illegal_argument)?;
        let path = path.as_ref();
        if !self.override_existing && doc.get(path).is_ok_and(|v| !v.is_null()) {
            return Ok(Flow::Continue);
        }
        let value = match (&self.copy_from, &self.value) {
            (Some(from), _) => match doc.get(from) {
                Ok(v) => v.clone(),
                Err(_) if self.ignore_empty_value => return Ok(Flow::Continue),
                Err(e) => return Err(EsError::illegal_argument(e)),
            },
            (None, Some(source)) => {
                let v = source.resolve(doc);
                // Only a templated value is checked for emptiness: a literal
                // "" is set even with ignore_empty_value, as in Elasticsearch.
                if self.ignore_empty_value && source.is_template() && is_empty(&v) {
                    return Ok(Flow::Continue);
                }
                v
            }
            (None, None) => unreachable!("build requires value or copy_from"),
        };
        if self.ignore_empty_value && self.copy_from.is_some() && is_empty(&value) {
            return Ok(Flow::Continue);
        }
        doc.set(path, value).map_err(EsError::illegal_argument)?;
        Ok(Flow::Continue)
    }
}

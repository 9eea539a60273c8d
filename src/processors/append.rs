//! `append`: appends values to a field, turning a scalar into a list.

use super::value_source::ValueSource;
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::template::{Escaping, Template};

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "append",
    description: "Appends one or more values to an existing array if the field already exists and it is an array.",
    options: &[
        OptionSpec::required("field", String, "The field to be appended to.").templated(),
        OptionSpec::required("value", Any, "The value to be appended.").templated(),
        OptionSpec::optional("allow_duplicates", Bool, "If false, values already present are not appended.")
            .default("true"),
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
            config: r#"{"field": "tags", "value": "a", "allow_duplicates": false}"#,
            input: r#"{"tags": ["a"]}"#,
            output: Ok(r#"{"tags": ["a"]}"#),
        },
        Example {
            title: "a missing field is created as a list",
            config: r#"{"field": "a.b", "value": 1}"#,
            input: r#"{}"#,
            output: Ok(r#"{"a": {"b": [1]}}"#),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Append {
    field: Template,
    value: ValueSource,
    allow_duplicates: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = Template::compile(&o.string("field")?)?;
    let value = o
        .opt_value("value")
        .ok_or_else(|| o.error("value", "required property is missing"))?;
    let allow_duplicates = o.bool_or("allow_duplicates", true)?;
    let media_type = o
        .opt_string("media_type")?
        .unwrap_or_else(|| "application/json".into());
    let escaping = Escaping::for_media_type(&media_type).ok_or_else(|| {
        o.error(
            "media_type",
            &format!("property does not contain a supported media type [{media_type}]"),
        )
    })?;
    Ok(Box::new(Append {
        field,
        value: ValueSource::wrap(value, escaping)?,
        allow_duplicates,
    }))
}

impl Processor for Append {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let path = FieldPath::parse(&self.field.render(doc)).map_err(EsError::illegal_argument)?;
        let value = self.value.resolve(doc);
        doc.append(&path, value, self.allow_duplicates)
            .map_err(EsError::illegal_argument)?;
        Ok(Flow::Continue)
    }
}

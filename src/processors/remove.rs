//! `remove`: removes fields, or every field but the ones to keep.

use super::support::path;
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument, METADATA_KEYS};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::template::Template;
use crate::value::{Map, Value};

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "remove",
    description: "Removes existing fields. If one field doesn't exist, an exception will be thrown.",
    options: &[
        OptionSpec::optional("field", StringOrList, "Fields to be removed. Required unless keep is set.").templated(),
        OptionSpec::optional("keep", StringOrList, "Fields to be kept. When set, all fields other than those specified are removed.")
            .templated(),
        OptionSpec::optional("ignore_missing", Bool, "If true and field does not exist or is null, the processor quietly exits without modifying the document.")
            .default("false"),
    ],
    examples: &[
        Example {
            title: "a list of fields",
            config: r#"{"field": ["a", "b.c"]}"#,
            input: r#"{"a": 1, "b": {"c": 2, "d": 3}}"#,
            output: Ok(r#"{"b": {"d": 3}}"#),
        },
        Example {
            title: "a missing field fails",
            config: r#"{"field": "x"}"#,
            input: r#"{"a": 1}"#,
            output: Err("field [x] not present as part of path [x]"),
        },
        Example {
            title: "ignore_missing",
            config: r#"{"field": ["x", "a"], "ignore_missing": true}"#,
            input: r#"{"a": 1, "b": 2}"#,
            output: Ok(r#"{"b": 2}"#),
        },
        Example {
            title: "keep removes everything else, keeping parents and children of kept paths",
            config: r#"{"keep": ["a.b", "c"]}"#,
            input: r#"{"a": {"b": 1, "x": 2}, "c": {"d": 3}, "e": 4}"#,
            output: Ok(r#"{"a": {"b": 1}, "c": {"d": 3}}"#),
        },
        Example {
            title: "templated field names",
            config: r#"{"field": "{{{name}}}"}"#,
            input: r#"{"name": "x", "x": 1}"#,
            output: Ok(r#"{"name": "x"}"#),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Remove {
    fields: Vec<Template>,
    keep: Vec<Template>,
    ignore_missing: bool,
}

/// `field` and `keep` take a string or a list; anything else is refused.
fn templates(o: &mut Options, name: &str) -> Result<Vec<Template>, EsError> {
    let names = match o.opt_value(name) {
        None => return Ok(Vec::new()),
        Some(Value::String(s)) => vec![s],
        Some(Value::List(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                other => Err(o.error(
                    name,
                    &format!(
                        "property isn't a list of strings, but contains [{}]",
                        other.java_class()
                    ),
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(o.error(
                name,
                &format!(
                    "property isn't a string or a list, but of type [{}]",
                    other.java_class()
                ),
            ))
        }
    };
    names
        .iter()
        .map(|n| Template::compile(n).map_err(|e| o.property_error(name, e)))
        .collect()
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let fields = templates(o, "field")?;
    let keep = templates(o, "keep")?;
    if fields.is_empty() && keep.is_empty() {
        return Err(o.error("keep", "or [field] must be specified"));
    }
    if !fields.is_empty() && !keep.is_empty() {
        return Err(o.error(
            "keep",
            "and [field] cannot both be used in the same processor",
        ));
    }
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    Ok(Box::new(Remove {
        fields,
        keep,
        ignore_missing,
    }))
}

/// Every field path of the document, nested maps included (`getAllFields`).
fn all_fields(map: &Map, prefix: &str, out: &mut Vec<std::string::String>) {
    for (k, v) in map {
        let name = format!("{prefix}{k}");
        if let Value::Map(inner) = v {
            all_fields(inner, &format!("{name}."), out);
        }
        out.push(name);
    }
}

impl Processor for Remove {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        if !self.keep.is_empty() {
            let keep: Vec<std::string::String> = self.keep.iter().map(|t| t.render(doc)).collect();
            let mut fields = Vec::new();
            all_fields(&doc.ctx, "", &mut fields);
            for field in fields {
                if METADATA_KEYS.contains(&field.as_str()) {
                    continue;
                }
                let kept = keep.iter().any(|k| {
                    *k == field
                        || k.starts_with(&format!("{field}."))
                        || field.starts_with(&format!("{k}."))
                });
                if !kept {
                    let p = path(&field)?;
                    if doc.has(&p) {
                        doc.remove(&p).map_err(EsError::illegal_argument)?;
                    }
                }
            }
            return Ok(Flow::Continue);
        }
        for template in &self.fields {
            let name = template.render(doc);
            if self.ignore_missing && !FieldPath::parse(&name).is_ok_and(|p| doc.has(&p)) {
                continue;
            }
            doc.remove(&path(&name)?)
                .map_err(EsError::illegal_argument)?;
        }
        Ok(Flow::Continue)
    }
}

//! `dot_expander`: turns a field whose name has dots (`a.b`) into nested objects.

use super::support::path;
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "dot_expander",
    description: "Expands a field with dots into an object field.",
    options: &[
        OptionSpec::required("field", String, "The field to expand into an object field. If set to *, all top-level fields will be expanded."),
        OptionSpec::optional("path", String, "The field that contains the field to expand. Only required if the field to expand is part another object field."),
        OptionSpec::optional("override", Bool, "Whether to override an existing field with the expanded one instead of merging into a list.")
            .default("false"),
    ],
    examples: &[
        Example {
            title: "one field",
            config: r#"{"field": "foo.bar"}"#,
            input: r#"{"foo.bar": "value"}"#,
            output: Ok(r#"{"foo": {"bar": "value"}}"#),
        },
        Example {
            title: "an existing value is merged into a list",
            config: r#"{"field": "foo.bar"}"#,
            input: r#"{"foo.bar": "value2", "foo": {"bar": "value1"}}"#,
            output: Ok(r#"{"foo": {"bar": ["value1", "value2"]}}"#),
        },
        Example {
            title: "override replaces it",
            config: r#"{"field": "foo.bar", "override": true}"#,
            input: r#"{"foo.bar": "value2", "foo": {"bar": "value1"}}"#,
            output: Ok(r#"{"foo": {"bar": "value2"}}"#),
        },
        Example {
            title: "every top-level field with *",
            config: r#"{"field": "*"}"#,
            input: r#"{"a.b": 1, "c.d": 2, ".e": 3}"#,
            output: Ok(r#"{".e": 3, "a": {"b": 1}, "c": {"d": 2}}"#),
        },
        Example {
            title: "wildcard with override merges into an existing object",
            config: r#"{"field": "*", "override": true}"#,
            input: r#"{"foo.bar": "baz", "foo": {"bar": "override_me", "qux": "quux"}}"#,
            output: Ok(r#"{"foo": {"bar": "baz", "qux": "quux"}}"#),
        },
        Example {
            title: "inside another object with path",
            config: r#"{"field": "x.y", "path": "o"}"#,
            input: r#"{"o": {"x.y": 1}}"#,
            output: Ok(r#"{"o": {"x": {"y": 1}}}"#),
        },
        Example {
            title: "a scalar in the way",
            config: r#"{"field": "foo.bar"}"#,
            input: r#"{"foo.bar": 1, "foo": "x"}"#,
            output: Err("cannot expand [foo.bar], because [foo] is not an object field, but a value field"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct DotExpander {
    field: std::string::String,
    path: Option<(std::string::String, FieldPath)>,
    override_existing: bool,
}

/// Elasticsearch reports these errors with `tag` as the processor type.
fn field_error(o: &Options, message: &str) -> EsError {
    let mut e = EsError::parse(format!("[field] {message}")).with("processor_type", "tag");
    if let Some(tag) = &o.tag {
        e = e.with("processor_tag", tag.as_str());
    }
    e.with("property_name", "field")
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    if !field.contains('.') && field != "*" {
        return Err(field_error(
            o,
            "field does not contain a dot and is not a wildcard",
        ));
    }
    if field.starts_with('.') || field.ends_with('.') {
        return Err(field_error(o, "Field can't start or end with a dot"));
    }
    if field.contains("..") {
        return Err(field_error(o, "No space between dots"));
    }
    let path = match o.opt_string("path")? {
        Some(p) => Some((
            p.clone(),
            FieldPath::parse(&p).map_err(|e| o.error("path", &e))?,
        )),
        None => None,
    };
    let override_existing = o.bool_or("override", false)?;
    Ok(Box::new(DotExpander {
        field,
        path,
        override_existing,
    }))
}

impl DotExpander {
    /// The map holding the dotted keys: the document root or the `path` object.
    fn container<'d>(
        &self,
        doc: &'d mut IngestDocument,
    ) -> Result<&'d mut crate::value::Map, EsError> {
        match &self.path {
            None => Ok(&mut doc.ctx),
            Some((name, p)) => match doc.get_value_mut(p).map_err(EsError::illegal_argument)? {
                Value::Map(m) => Ok(m),
                // A null `path` is handed on as a null map, which fails on first use.
                Value::Null => Err(EsError::new("null_pointer_exception", "map is null")),
                other => Err(super::support::cannot_cast(name, other, "java.util.Map")),
            },
        }
    }

    fn expand(&self, doc: &mut IngestDocument, key: &str) -> Result<(), EsError> {
        let full = match &self.path {
            Some((p, _)) => format!("{p}.{key}"),
            None => key.to_string(),
        };
        let Some(value) = self.container(doc)?.shift_remove(key) else {
            return Ok(());
        };
        let target = path(&full)?;
        if doc.has(&target) {
            if self.override_existing {
                doc.set(&target, value).map_err(EsError::illegal_argument)?;
            } else {
                doc.append(&target, value, true)
                    .map_err(EsError::illegal_argument)?;
            }
            return Ok(());
        }
        for (i, _) in full.match_indices('.') {
            let partial = path(&full[..i])?;
            match doc.get(&partial) {
                Ok(Value::Map(_)) => {}
                Ok(_) => {
                    return Err(EsError::illegal_argument(format!(
                        "cannot expand [{full}], because [{}] is not an object field, but a value field",
                        &full[..i]
                    )))
                }
                Err(_) => break,
            }
        }
        doc.set(&target, value).map_err(EsError::illegal_argument)
    }
}

impl Processor for DotExpander {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        if self.field == "*" {
            let keys: Vec<std::string::String> = self
                .container(doc)?
                .keys()
                .filter(|k| k.find('.').is_some_and(|i| i > 0))
                .cloned()
                .collect();
            for key in keys {
                self.expand(doc, &key)?;
            }
        } else {
            self.expand(doc, &self.field)?;
        }
        Ok(Flow::Continue)
    }
}

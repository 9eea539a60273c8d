//! `foreach`: runs one processor on every element of a list or every entry
//! of a map, the element in `_ingest._value` (and the key in `_ingest._key`).

use super::support::{get_field, set_field};
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{
    exec, BuildContext, ConfiguredProcessor, Outcome, ProcessorDefinition, RunContext,
};
use crate::value::{Map, Value};

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "foreach",
    description: "Runs an ingest processor on each element of an array or object.",
    options: &[
        OptionSpec::required("field", String, "Field containing array or object values."),
        OptionSpec::required("processor", Map, "Ingest processor to run on each element."),
        OptionSpec::optional("ignore_missing", Bool, "If true, the processor silently exits without changing the document if the field is null or missing.")
            .default("false"),
    ],
    examples: &[
        Example {
            title: "each element of a list",
            config: r#"{"field": "l", "processor": {"uppercase": {"field": "_ingest._value"}}}"#,
            input: r#"{"l": ["a", "b"]}"#,
            output: Ok(r#"{"l": ["A", "B"]}"#),
        },
        Example {
            title: "each entry of a map, keys renamed through _ingest._key",
            config: r#"{"field": "m", "processor": {"set": {"field": "_ingest._key", "value": "k_{{{_ingest._key}}}"}}}"#,
            input: r#"{"m": {"a": 1, "b": 2}}"#,
            output: Ok(r#"{"m": {"k_a": 1, "k_b": 2}}"#),
        },
        Example {
            title: "map entries come in HashMap order (\"zeta\" is in bucket 0, \"b\" in 2, \"alpha\" in 7)",
            config: r#"{"field": "m", "processor": {"append": {"field": "keys", "value": "{{{_ingest._key}}}"}}}"#,
            input: r#"{"m": {"zeta": 1, "alpha": 2, "b": 3}}"#,
            output: Ok(r#"{"m": {"zeta": 1, "b": 3, "alpha": 2}, "keys": ["zeta", "b", "alpha"]}"#),
        },
        Example {
            title: "elements that are objects are changed in place",
            config: r#"{"field": "l", "processor": {"remove": {"field": "_ingest._value.x"}}}"#,
            input: r#"{"l": [{"x": 1, "y": 1}, {"x": 2}]}"#,
            output: Ok(r#"{"l": [{"y": 1}, {}]}"#),
        },
        Example {
            title: "a failure stops the loop",
            config: r#"{"field": "l", "processor": {"uppercase": {"field": "_ingest._value"}}}"#,
            input: r#"{"l": ["a", 1]}"#,
            output: Err("field [_ingest._value] of type [java.lang.Integer] cannot be cast to [java.lang.String]"),
        },
        Example {
            title: "a string cannot be looped over",
            config: r#"{"field": "l", "processor": {"uppercase": {"field": "_ingest._value"}}}"#,
            input: r#"{"l": "a"}"#,
            output: Err("field [l] of type [java.lang.String] cannot be cast to a list or map"),
        },
        Example {
            title: "a missing field fails without ignore_missing",
            config: r#"{"field": "l", "processor": {"uppercase": {"field": "_ingest._value"}}}"#,
            input: r#"{}"#,
            output: Err("field [l] not present as part of path [l]"),
        },
        Example {
            title: "ignore_missing",
            config: r#"{"field": "l", "ignore_missing": true, "processor": {"uppercase": {"field": "_ingest._value"}}}"#,
            input: r#"{"l": null}"#,
            output: Ok(r#"{"l": null}"#),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct ForEach {
    field: std::string::String,
    path: FieldPath,
    processor: ConfiguredProcessor,
    ignore_missing: bool,
}

fn build(o: &mut Options, ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let config = o
        .opt_map("processor")?
        .ok_or_else(|| o.error("processor", "required property is missing"))?;
    if config.len() != 1 {
        return Err(o.error("processor", "Must specify exactly one processor type"));
    }
    let definition = ProcessorDefinition::from_value(&Value::Map(config))?;
    let processor = crate::pipeline::build_processor(&definition, ctx)?;
    Ok(Box::new(ForEach {
        path: FieldPath::parse(&field).map_err(|e| o.error("field", &e))?,
        field,
        processor,
        ignore_missing,
    }))
}

impl ForEach {
    fn run_inner(
        &self,
        doc: &mut IngestDocument,
        run: &mut RunContext,
    ) -> Result<Outcome, EsError> {
        exec::run_nested(&self.processor, doc, run)
    }
}

impl Processor for ForEach {
    fn execute(&self, doc: &mut IngestDocument, run: &mut RunContext) -> Result<Flow, EsError> {
        let value = match get_field(doc, &self.path, self.ignore_missing)? {
            None | Some(Value::Null) if self.ignore_missing => return Ok(Flow::Continue),
            None | Some(Value::Null) => {
                return Err(EsError::illegal_argument(format!(
                    "field [{}] is null, cannot loop over its elements.",
                    self.field
                )))
            }
            Some(v) => v.clone(),
        };
        match value {
            Value::List(items) => {
                let mut new_values = Vec::with_capacity(items.len());
                for item in items {
                    let previous = doc.ingest.insert("_value".into(), item);
                    let result = self.run_inner(doc, run);
                    // The element as the processor left it; the previous
                    // `_value` goes back (null when there was none, as Java's
                    // `Map.put` leaves it).
                    new_values.push(
                        doc.ingest
                            .insert("_value".into(), previous.unwrap_or(Value::Null))
                            .unwrap_or(Value::Null),
                    );
                    if result? == Outcome::Dropped {
                        return Ok(Flow::Drop);
                    }
                }
                set_field(doc, &self.path, Value::List(new_values))?;
            }
            Value::Map(entries) => {
                let mut new_values = Map::default();
                // Elasticsearch walks a snapshot of the HashMap's keys: bucket order.
                let ordered: Vec<(std::string::String, Value)> = crate::value::java_hash_map_order(&entries).into_iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                for (key, item) in ordered {
                    let previous_key = doc.ingest.insert("_key".into(), Value::String(key));
                    let previous_value = doc.ingest.insert("_value".into(), item);
                    let result = self.run_inner(doc, run);
                    let new_key = match doc.ingest.get("_key") {
                        Some(Value::String(k)) if !k.trim().is_empty() => Some(k.clone()),
                        _ => None,
                    };
                    // An emptied key drops the entry (and leaves `_value` as it is).
                    if let Some(k) = new_key {
                        let v = doc
                            .ingest
                            .insert("_value".into(), previous_value.unwrap_or(Value::Null));
                        new_values.insert(k, v.unwrap_or(Value::Null));
                    }
                    doc.ingest
                        .insert("_key".into(), previous_key.unwrap_or(Value::Null));
                    if result? == Outcome::Dropped {
                        return Ok(Flow::Drop);
                    }
                }
                set_field(doc, &self.path, Value::Map(new_values))?;
            }
            other => {
                return Err(EsError::illegal_argument(format!(
                    "field [{}] of type [{}] cannot be cast to a list or map",
                    self.field,
                    other.java_class()
                )))
            }
        }
        Ok(Flow::Continue)
    }
}

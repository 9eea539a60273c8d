//! `reroute`: sends the document to another data stream (or a fixed
//! `destination`) and stops the pipelines it runs in.
//!
//! Rules from Elasticsearch's `modules/ingest-common/.../RerouteProcessor.java`
//! (its Factory and `DataStreamValueSource`); the stop from
//! `IngestDocument.reroute`/`isReroute` and `CompoundProcessor.innerExecute`
//! (see `pipeline::exec`). `_simulate` (`SimulateExecutionService`) runs only
//! the requested pipeline, so the document comes back with its new `_index`
//! and no default pipeline of the new target runs.

use super::field_values::{cast_error, get_string};
use super::{Example, Flow, OptionKind, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "reroute",
    description: "Routes a document to another target index or data stream.",
    options: &[
        OptionSpec::optional(
            "destination",
            OptionKind::String,
            "A static value for the target. Can't be set when the dataset or namespace option is set.",
        ),
        OptionSpec::optional(
            "dataset",
            OptionKind::StringOrList,
            "Field references or a static value for the dataset part of the data stream name.",
        )
        .default("{{data_stream.dataset}}"),
        OptionSpec::optional(
            "namespace",
            OptionKind::StringOrList,
            "Field references or a static value for the namespace part of the data stream name.",
        )
        .default("{{data_stream.namespace}}"),
    ],
    examples: &[
        Example {
            title: "dataset and namespace from data_stream fields, sanitized",
            config: r#"{}"#,
            input: r#"{"_index": "logs-generic-default", "data_stream": {"dataset": "Foo-Bar", "namespace": "baz#qux"}}"#,
            output: Ok(r#"{"data_stream": {"dataset": "foo_bar", "namespace": "baz_qux", "type": "logs"}}"#),
        },
        Example {
            title: "a missing field reference falls back to the next value",
            config: r#"{"dataset": ["{{service.name}}", "fallback"], "namespace": "{{{service.environment}}}"}"#,
            input: r#"{"_index": "logs-generic-default", "event": {"dataset": "generic"}}"#,
            output: Ok(r#"{"event": {"dataset": "fallback"}, "data_stream": {"type": "logs", "dataset": "fallback", "namespace": "default"}}"#),
        },
        Example {
            title: "an _index outside the naming scheme fails",
            config: r#"{"dataset": "x"}"#,
            input: r#"{"_index": "foo"}"#,
            output: Err("invalid data stream name: [foo]; must follow naming scheme <type>-<dataset>-<namespace>"),
        },
    ],
    build: Some(build),
};

/// `DataStreamValueSource.MAX_LENGTH`.
const MAX_LENGTH: usize = 100;

#[derive(Debug, Clone, Copy)]
enum Part {
    Dataset,
    Namespace,
}

impl Part {
    /// `DISALLOWED_IN_DATASET` / `DISALLOWED_IN_NAMESPACE`: the namespace
    /// may hold a dash, the dataset may not.
    fn disallowed(self, c: char) -> bool {
        matches!(c, '\\' | '/' | '*' | '?' | '"' | '<' | '>' | '|' | ' ' | ',' | '#' | ':')
            || (c == '-' && matches!(self, Part::Dataset))
    }

    /// `sanitizeDataStreamField`: lowercase (`Locale.ROOT`), cut to 100
    /// UTF-16 units, disallowed characters replaced by `_`.
    fn sanitize(self, s: &str) -> Result<String, EsError> {
        let lower = s.to_lowercase();
        let mut out = String::with_capacity(lower.len());
        let mut units = 0;
        for c in lower.chars() {
            let width = c.len_utf16();
            if units + width > MAX_LENGTH {
                if units < MAX_LENGTH {
                    // Java's substring would keep half of a surrogate pair.
                    return Err(EsError::illegal_argument(format!(
                        "ingot does not support a reroute value whose 100th UTF-16 unit splits a surrogate pair: [{s}]"
                    )));
                }
                break;
            }
            units += width;
            out.push(if self.disallowed(c) { '_' } else { c });
        }
        Ok(out)
    }
}

/// One entry of `dataset`/`namespace`: a single `{{field}}` (or `{{{field}}}`)
/// reference, or a static value that is already sanitized.
#[derive(Debug)]
enum ValueSource {
    Field(FieldPath),
    /// A reference no field path can name (`{{}}`): Elasticsearch accepts
    /// it, and reading it fails the document with this message.
    Unreadable(String),
    Static(String),
}

impl ValueSource {
    fn parse(value: &str, part: Part) -> Result<ValueSource, String> {
        let invalid_reference = || format!("'{value}' is not a valid field reference");
        if value.contains("{{") || value.contains("}}") {
            let inner = value
                .strip_prefix("{{")
                .and_then(|v| v.strip_suffix("}}"))
                .ok_or_else(invalid_reference)?;
            let inner = inner
                .strip_prefix('{')
                .and_then(|v| v.strip_suffix('}'))
                .unwrap_or(inner);
            if inner.contains(['{', '}']) {
                return Err(invalid_reference());
            }
            return Ok(FieldPath::parse(inner).map_or_else(ValueSource::Unreadable, ValueSource::Field));
        }
        match part.sanitize(value) {
            Ok(clean) if clean == value => Ok(ValueSource::Static(clean)),
            Ok(_) => Err(format!("'{value}' contains disallowed characters")),
            Err(e) => Err(e.reason),
        }
    }

    /// `resolve`: a field that is missing or null gives `None`, so the next
    /// value is tried; a value that is not a string fails the document with
    /// the cast error (`getFieldValue(ref, String.class, true)` uncaught).
    /// Versions of RerouteProcessor.java before the `DataStreamValueSource`
    /// rewrite caught that failure and went on to the next value; the newest
    /// stored version does not, and RerouteProcessorTests'
    /// `testRouteOnNonStringFieldFails` expects the failure.
    fn resolve(&self, doc: &IngestDocument, part: Part) -> Result<Option<String>, EsError> {
        match self {
            ValueSource::Static(s) => Ok(Some(s.clone())),
            ValueSource::Unreadable(message) => Err(EsError::illegal_argument(message.as_str())),
            ValueSource::Field(path) => match get_string(doc, path, true)? {
                Some(s) => part.sanitize(s).map(Some),
                None => Ok(None),
            },
        }
    }
}

#[derive(Debug)]
enum Target {
    Destination(String),
    DataStream { dataset: Vec<ValueSource>, namespace: Vec<ValueSource> },
}

#[derive(Debug)]
struct Reroute {
    target: Target,
}

fn value_sources(o: &mut Options, name: &str, part: Part, default: &str) -> Result<(Vec<ValueSource>, bool), EsError> {
    let values = o.opt_string_or_list(name)?.unwrap_or_default();
    let configured = !values.is_empty();
    let values = if configured { values } else { vec![default.to_string()] };
    let sources = values
        .iter()
        .map(|v| ValueSource::parse(v, part))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|message| o.error(name, &message))?;
    Ok((sources, configured))
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let (dataset, dataset_set) = value_sources(o, "dataset", Part::Dataset, "{{data_stream.dataset}}")?;
    let (namespace, namespace_set) = value_sources(o, "namespace", Part::Namespace, "{{data_stream.namespace}}")?;
    let target = match o.opt_string("destination")? {
        Some(_) if dataset_set || namespace_set => {
            return Err(o.error("destination", "can only be set if dataset and namespace are not set"))
        }
        Some(destination) => Target::Destination(destination),
        None => Target::DataStream { dataset, namespace },
    };
    Ok(Box::new(Reroute { target }))
}

fn first_resolved(doc: &IngestDocument, sources: &[ValueSource], part: Part, fallback: &str) -> Result<String, EsError> {
    for source in sources {
        if let Some(v) = source.resolve(doc, part)? {
            return Ok(v);
        }
    }
    Ok(fallback.to_string())
}

fn set(doc: &mut IngestDocument, field: &str, value: &str) -> Result<(), EsError> {
    let path = FieldPath::parse(field).map_err(EsError::illegal_argument)?;
    doc.set(&path, Value::from(value)).map_err(EsError::illegal_argument)
}

impl Processor for Reroute {
    fn execute(&self, doc: &mut IngestDocument, run: &mut RunContext) -> Result<Flow, EsError> {
        let (dataset, namespace) = match &self.target {
            Target::Destination(destination) => {
                set(doc, "_index", destination)?;
                run.rerouted = true;
                return Ok(Flow::Continue);
            }
            Target::DataStream { dataset, namespace } => (dataset, namespace),
        };
        let index_path = FieldPath::parse("_index").map_err(EsError::illegal_argument)?;
        let index = match doc.get(&index_path) {
            Ok(Value::String(s)) => s.clone(),
            Ok(Value::Null) => {
                // Elasticsearch fails here with a NullPointerException.
                return Err(EsError::illegal_argument("ingot does not support reroute on a document whose _index is null"));
            }
            Ok(other) => return Err(cast_error(&index_path, other, "java.lang.String")),
            Err(e) => return Err(EsError::illegal_argument(e)),
        };
        // <type>-<dataset>-<namespace>, split at the first two dashes.
        let mut parts = index.splitn(3, '-');
        let (Some(kind), Some(current_dataset), Some(current_namespace)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(EsError::illegal_argument(format!(
                "invalid data stream name: [{index}]; must follow naming scheme <type>-<dataset>-<namespace>"
            )));
        };
        let dataset = first_resolved(doc, dataset, Part::Dataset, current_dataset)?;
        let namespace = first_resolved(doc, namespace, Part::Namespace, current_namespace)?;
        set(doc, "_index", &format!("{kind}-{dataset}-{namespace}"))?;
        run.rerouted = true;
        set(doc, "data_stream.type", kind)?;
        set(doc, "data_stream.dataset", &dataset)?;
        set(doc, "data_stream.namespace", &namespace)?;
        // ECS: event.dataset follows data_stream.dataset, but only when present.
        let event_dataset = FieldPath::parse("event.dataset").map_err(EsError::illegal_argument)?;
        if doc.has(&event_dataset) {
            doc.set(&event_dataset, Value::from(dataset)).map_err(EsError::illegal_argument)?;
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::BuildContext;
    use crate::simulate::{execute, parse_request};
    use crate::value::Value;

    /// The first document of a `_simulate` response, as JSON.
    fn simulate(processors: &str, doc: &str) -> String {
        let body = Value::from_json_str(&format!(r#"{{"pipeline":{{"processors":{processors}}},"docs":[{doc}]}}"#)).unwrap();
        let request = parse_request(&body, None, false, &BuildContext::default()).unwrap();
        execute(&request).as_map().unwrap()["docs"].as_list().unwrap()[0].to_json()
    }

    fn doc(index: &str, source: &str) -> String {
        format!(r#"{{"_index":"{index}","_source":{source}}}"#)
    }

    /// The `_index` and `_source` of the simulated document.
    fn routed(processors: &str, index: &str, source: &str) -> (String, String) {
        let out = Value::from_json_str(&simulate(processors, &doc(index, source))).unwrap();
        let d = &out.as_map().unwrap()["doc"].as_map().unwrap_or_else(|| panic!("no doc: {}", out.to_json())).clone();
        (d["_index"].to_json(), d["_source"].to_json())
    }

    fn build_error(config: &str) -> String {
        let body = Value::from_json_str(&format!(r#"{{"pipeline":{{"processors":[{{"reroute":{config}}}]}},"docs":[{{"_source":{{}}}}]}}"#)).unwrap();
        parse_request(&body, None, false, &BuildContext::default()).unwrap_err().root().reason.clone()
    }

    // RerouteProcessorTests.testDefaults / testDataStreamFieldsFromDocument.
    #[test]
    fn defaults_read_data_stream_fields_then_the_index() {
        assert_eq!(
            routed(r#"[{"reroute":{}}]"#, "logs-generic-default", "{}"),
            (r#""logs-generic-default""#.into(), r#"{"data_stream":{"type":"logs","dataset":"generic","namespace":"default"}}"#.into())
        );
        let (index, source) = routed(
            r#"[{"reroute":{}}]"#,
            "logs-generic-default",
            r#"{"data_stream":{"dataset":"foo","namespace":"bar"}}"#,
        );
        assert_eq!(index, r#""logs-foo-bar""#);
        assert_eq!(source, r#"{"data_stream":{"dataset":"foo","namespace":"bar","type":"logs"}}"#);
    }

    // testFieldReference, testInvalidDataStreamFieldsFromDocument, and the
    // sanitization tests: the namespace keeps a dash, the dataset does not.
    #[test]
    fn field_values_are_sanitized() {
        let (index, _) = routed(
            r#"[{"reroute":{"dataset":"{{service.name}}","namespace":"{{service.environment}}"}}]"#,
            "logs-generic-default",
            r#"{"service":{"name":"opbeans-java","environment":"dev"}}"#,
        );
        assert_eq!(index, r#""logs-opbeans_java-dev""#);
        let (index, _) = routed(
            r#"[{"reroute":{"dataset":"{{f}}","namespace":"{{f}}"}}]"#,
            "logs-generic-default",
            r#"{"f":"\\/*?\"<>| ,#:-FOO"}"#,
        );
        assert_eq!(index, r#""logs-_____________foo-____________-foo""#);
        // Cut to 100 characters after lowercasing.
        let long = "A".repeat(120);
        let (index, _) = routed(r#"[{"reroute":{"dataset":"{{f}}"}}]"#, "logs-generic-default", &format!(r#"{{"f":"{long}"}}"#));
        assert_eq!(index, format!(r#""logs-{}-default""#, "a".repeat(100)));
    }

    // testDataStreamFieldReference, testDatasetFieldReferenceMissingValue,
    // testFallbackToValuesFrom_index.
    #[test]
    fn unresolved_references_fall_through_to_the_index() {
        let p = r#"[{"reroute":{"dataset":["{{{data_stream.dataset}}}","fallback"],"namespace":["{{data_stream.namespace}}","fallback"]}}]"#;
        assert_eq!(routed(p, "logs-generic-default", "{}").0, r#""logs-fallback-fallback""#);
        assert_eq!(
            routed(p, "logs-generic-default", r#"{"data_stream":{"dataset":"a","namespace":"b"}}"#).0,
            r#""logs-a-b""#
        );
        let p = r#"[{"reroute":{"dataset":"{{foo}}","namespace":"{{bar}}"}}]"#;
        assert_eq!(routed(p, "logs-generic-default", r#"{"bar":null}"#).0, r#""logs-generic-default""#);
    }

    // testRouteOnNonStringFieldFails: a value that is not a string fails the
    // document rather than falling through to the next value.
    #[test]
    fn a_reference_to_a_value_that_is_not_a_string_fails() {
        let p = r#"[{"reroute":{"dataset":["{{numeric_field}}","fallback"]}}]"#;
        let out = simulate(p, &doc("logs-generic-default", r#"{"numeric_field":42}"#));
        assert!(
            out.contains(r#""reason":"field [numeric_field] of type [java.lang.Integer] cannot be cast to [java.lang.String]""#),
            "{out}"
        );
        assert!(!out.contains(r#""doc""#), "{out}");
    }

    // testEventDataset / testNoDataset: event.dataset is only overwritten.
    #[test]
    fn event_dataset_follows_only_when_present() {
        let p = r#"[{"reroute":{"dataset":"{{ds}}"}}]"#;
        assert!(!routed(p, "logs-generic-default", r#"{"ds":"foo"}"#).1.contains("event"));
        assert!(routed(p, "logs-generic-default", r#"{"ds":"foo","event":{"dataset":"bar"}}"#).1.contains(r#""event":{"dataset":"foo"}"#));
    }

    // testRerouteToCurrentTarget, testSkipLastProcessor and the REST test
    // "Test first matching router terminates pipeline".
    #[test]
    fn the_rest_of_the_pipeline_is_skipped() {
        let (index, source) = routed(
            r#"[{"reroute":{"dataset":"first"}},{"reroute":{"dataset":"second"}},{"set":{"field":"continued","value":true}}]"#,
            "logs-generic-default",
            r#"{"foo":"bar"}"#,
        );
        assert_eq!(index, r#""logs-first-default""#);
        assert!(!source.contains("continued"), "{source}");
        // A reroute whose condition is false does not stop anything.
        let (index, source) = routed(
            r#"[{"reroute":{"if":"false","dataset":"skip"}},{"set":{"field":"continued","value":true}}]"#,
            "logs-generic-default",
            "{}",
        );
        assert_eq!(index, r#""logs-generic-default""#);
        assert!(source.contains("continued"));
    }

    // testDestination, testInvalidDataStreamName.
    #[test]
    fn destination_is_taken_as_it_is() {
        assert_eq!(routed(r#"[{"reroute":{"destination":"foo"}}]"#, "logs-generic-default", "{}"), (r#""foo""#.into(), "{}".into()));
        assert_eq!(routed(r#"[{"reroute":{"destination":"bar"}}]"#, "foo", "{}").0, r#""bar""#);
        let out = simulate(r#"[{"reroute":{}}]"#, &doc("foo", "{}"));
        assert!(out.contains("invalid data stream name: [foo]; must follow naming scheme <type>-<dataset>-<namespace>"), "{out}");
        let out = simulate(r#"[{"reroute":{}}]"#, &doc("logs-foo", "{}"));
        assert!(out.contains("invalid data stream name: [logs-foo]"), "{out}");
        // Split at the first two dashes: the namespace keeps the rest.
        assert_eq!(routed(r#"[{"reroute":{}}]"#, "logs-a-b-c", "{}").0, r#""logs-a-b-c""#);
    }

    // RerouteProcessorFactoryTests and DataStreamValueSource's checks.
    #[test]
    fn configuration_errors() {
        assert_eq!(
            build_error(r#"{"destination":"foo","dataset":"bar"}"#),
            "[destination] can only be set if dataset and namespace are not set"
        );
        assert_eq!(build_error(r#"{"dataset":"{{foo}}-{{bar}}"}"#), "[dataset] '{{foo}}-{{bar}}' is not a valid field reference");
        assert_eq!(build_error(r#"{"dataset":"{{foo"}"#), "[dataset] '{{foo' is not a valid field reference");
        assert_eq!(build_error(r#"{"dataset":"my-service"}"#), "[dataset] 'my-service' contains disallowed characters");
        assert_eq!(build_error(r#"{"namespace":"Foo"}"#), "[namespace] 'Foo' contains disallowed characters");
        assert_eq!(build_error(r#"{"namespace":["ok","a b"]}"#), "[namespace] 'a b' contains disallowed characters");
        // `{{}}` is accepted; reading it fails as reading an empty path does.
        let out = simulate(r#"[{"reroute":{"dataset":["{{}}","x"]}}]"#, &doc("logs-generic-default", "{}"));
        assert!(out.contains(r#""reason":"path cannot be null nor empty""#), "{out}");
        // A dash is allowed in a static namespace.
        let body = Value::from_json_str(r#"{"pipeline":{"processors":[{"reroute":{"namespace":"my-ns"}}]},"docs":[{"_source":{}}]}"#).unwrap();
        assert!(parse_request(&body, None, false, &BuildContext::default()).is_ok());
    }
}

//! The typed, validated definition of a pipeline, as integrations ship it.

use crate::error::EsError;
use crate::processors::{self, COMMON_OPTIONS};
use crate::value::{Map, Value};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PipelineDefinition {
    pub description: Option<String>,
    pub version: Option<i64>,
    pub meta: Option<Value>,
    pub deprecated: Option<bool>,
    pub processors: Vec<ProcessorDefinition>,
    pub on_failure: Vec<ProcessorDefinition>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProcessorDefinition {
    pub kind: String,
    pub tag: Option<String>,
    pub description: Option<String>,
    /// The `if`: a Painless source string or a script object.
    pub condition: Option<Value>,
    pub ignore_failure: bool,
    pub on_failure: Option<Vec<ProcessorDefinition>>,
    /// The processor's own options, validated against its spec.
    pub options: Map,
}

/// Header marking the empty pipeline-level `on_failure` error.
pub const EMPTY_ON_FAILURE: &str = "empty_on_failure";

const PIPELINE_KEYS: &[&str] = &[
    "description",
    "processors",
    "on_failure",
    "version",
    "_meta",
    "deprecated",
];

/// elastic-package replaces `{{ IngestPipeline "name" }}` with the installed
/// name of the data stream's pipeline `name`; ingot installs pipelines under
/// their plain names, so the reference becomes the name itself.
pub fn resolve_ingest_pipeline_refs(text: &str) -> String {
    let re = regex::Regex::new(r#"\{\{\s*IngestPipeline\s+"([^"]*)"\s*\}\}"#).expect("valid regex");
    re.replace_all(text, "$1").into_owned()
}

impl PipelineDefinition {
    pub fn load(path: &Path) -> Result<PipelineDefinition, EsError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            EsError::illegal_argument(format!("cannot read pipeline {}: {e}", path.display()))
        })?;
        let value = parse_document(path, &text)?;
        PipelineDefinition::from_value(&value)
    }

    pub fn from_value(value: &Value) -> Result<PipelineDefinition, EsError> {
        let map = value
            .as_map()
            .ok_or_else(|| EsError::parse("pipeline definition must be an object"))?;
        if let Some(unknown) = map.keys().find(|k| !PIPELINE_KEYS.contains(&k.as_str())) {
            return Err(EsError::parse(format!("pipeline doesn't support one or more provided configuration parameters [{unknown}]")));
        }
        let description = match map.get("description") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_java_string()),
        };
        let version = match map.get("version") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_i64()
                    .ok_or_else(|| EsError::parse("[version] must be an integer"))?,
            ),
        };
        let processors = match map.get("processors") {
            Some(Value::List(items)) => parse_processors(items, "processors")?,
            Some(_) => return Err(EsError::parse("[processors] property isn't a list")),
            None => {
                return Err(EsError::parse("[processors] required property is missing")
                    .with("property_name", "processors"))
            }
        };
        let on_failure = match map.get("on_failure") {
            None | Some(Value::Null) => Vec::new(),
            // Elasticsearch names the pipeline in this error; the loader,
            // which knows the id, rewrites it (see `EMPTY_ON_FAILURE`).
            Some(Value::List(items)) if items.is_empty() => {
                return Err(EsError::parse(
                    "pipeline cannot have an empty on_failure option defined",
                )
                .with_header(EMPTY_ON_FAILURE, true))
            }
            Some(Value::List(items)) => parse_processors(items, "on_failure")?,
            Some(_) => return Err(EsError::parse("[on_failure] property isn't a list")),
        };
        Ok(PipelineDefinition {
            description,
            version,
            meta: map.get("_meta").cloned(),
            deprecated: map.get("deprecated").and_then(Value::as_bool),
            processors,
            on_failure,
        })
    }

    /// Canonical JSON form: keys in a fixed order, processors as
    /// [`ProcessorDefinition::to_value`] writes them.
    pub fn to_value(&self) -> Value {
        let mut m = Map::default();
        if let Some(d) = &self.description {
            m.insert("description".into(), Value::from(d.as_str()));
        }
        if let Some(v) = self.version {
            m.insert("version".into(), Value::integer(v));
        }
        m.insert(
            "processors".into(),
            Value::List(self.processors.iter().map(|p| p.to_value()).collect()),
        );
        if !self.on_failure.is_empty() {
            m.insert(
                "on_failure".into(),
                Value::List(self.on_failure.iter().map(|p| p.to_value()).collect()),
            );
        }
        if let Some(meta) = &self.meta {
            m.insert("_meta".into(), meta.clone());
        }
        if let Some(d) = self.deprecated {
            m.insert("deprecated".into(), Value::Bool(d));
        }
        Value::Map(m)
    }
}

/// Parses JSON or YAML by extension, with the location of syntax errors.
pub fn parse_document(path: &Path, text: &str) -> Result<Value, EsError> {
    let text = resolve_ingest_pipeline_refs(text);
    let is_json = path.extension().is_some_and(|e| e == "json");
    if is_json {
        // Integers beyond 64 bits kept whole, as Elasticsearch keeps them.
        Value::from_json_str(&text).map_err(|e| {
            EsError::parse(format!(
                "{}:{}:{}: invalid JSON: {e}",
                path.display(),
                e.line(),
                e.column()
            ))
        })
    } else {
        serde_yaml_ng::from_str(&text).map_err(|e| {
            // Some errors (the alias repetition limit) have no location.
            let loc = e
                .location()
                .map(|l| format!(":{}:{}", l.line(), l.column()))
                .unwrap_or_default();
            EsError::parse(format!("{}{loc}: invalid YAML: {e}", path.display()))
        })
    }
}

fn parse_processors(items: &[Value], list: &str) -> Result<Vec<ProcessorDefinition>, EsError> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            ProcessorDefinition::from_value(item).map_err(|e| {
                e.with_header("processor_index", Value::integer(i as i64))
                    .with_header("list", list)
            })
        })
        .collect()
}

impl ProcessorDefinition {
    pub fn new(kind: &str) -> ProcessorDefinition {
        ProcessorDefinition {
            kind: kind.to_string(),
            tag: None,
            description: None,
            condition: None,
            ignore_failure: false,
            on_failure: None,
            options: Map::default(),
        }
    }

    pub fn from_value(value: &Value) -> Result<ProcessorDefinition, EsError> {
        let map = match value {
            Value::Map(m) if m.len() == 1 => m,
            _ => {
                return Err(EsError::parse(
                    "processor must be an object with a single key: its type",
                ))
            }
        };
        let (kind, body) = map.iter().next().expect("one entry");
        let body = match body {
            Value::Map(b) => b.clone(),
            Value::Null => Map::default(),
            other => {
                return Err(EsError::parse(format!(
                    "processor [{kind}] must be an object, but is of type [{}]",
                    other.java_class()
                ))
                .with("processor_type", kind.as_str()))
            }
        };
        let mut def = ProcessorDefinition::new(kind);
        let mut options = Map::default();
        for (key, v) in body {
            match key.as_str() {
                "tag" => def.tag = Some(v.to_java_string()),
                "description" => def.description = Some(v.to_java_string()),
                "if" => def.condition = Some(v),
                "ignore_failure" => {
                    // `readBooleanProperty`: null is the default, a string is refused.
                    def.ignore_failure = match v {
                        Value::Bool(b) => b,
                        Value::Null => false,
                        other => {
                            return Err(EsError::parse(format!(
                                "[ignore_failure] property isn't a boolean, but of type [{}]",
                                other.java_class()
                            ))
                            .with("processor_type", kind.as_str()))
                        }
                    }
                }
                "on_failure" => match v {
                    Value::List(items) if items.is_empty() => {
                        // The tag may come after on_failure in the object.
                        let mut e = EsError::parse("[on_failure] processors list cannot be empty")
                            .with("processor_type", kind.as_str());
                        if let Some(Value::String(tag)) = map
                            .get(kind.as_str())
                            .and_then(|b| b.as_map())
                            .and_then(|b| b.get("tag"))
                        {
                            e = e.with("processor_tag", tag.as_str());
                        }
                        return Err(e.with("property_name", "on_failure"));
                    }
                    Value::List(items) => {
                        def.on_failure = Some(
                            items
                                .iter()
                                .map(ProcessorDefinition::from_value)
                                .collect::<Result<Vec<_>, _>>()?,
                        )
                    }
                    _ => {
                        return Err(EsError::parse("[on_failure] property isn't a list")
                            .with("processor_type", kind.as_str()))
                    }
                },
                _ => {
                    options.insert(key, v);
                }
            }
        }
        if let Some(spec) = processors::lookup(kind) {
            if let Some(unknown) = options
                .keys()
                .find(|k| !spec.options.iter().any(|o| o.name == k.as_str()))
            {
                let mut e = EsError::parse(format!(
                    "processor [{kind}] doesn't support one or more provided configuration parameters [{unknown}]"
                ))
                .with("processor_type", kind.as_str());
                if let Some(tag) = &def.tag {
                    e = e.with("processor_tag", tag.as_str());
                }
                return Err(e.with_header("option", unknown.as_str()));
            }
        }
        def.options = options;
        Ok(def)
    }

    /// Canonical form: `tag`, `description`, `if`, the processor's options
    /// in the order its spec declares them, `ignore_failure`, `on_failure`.
    pub fn to_value(&self) -> Value {
        let mut body = Map::default();
        if let Some(tag) = &self.tag {
            body.insert("tag".into(), Value::from(tag.as_str()));
        }
        if let Some(d) = &self.description {
            body.insert("description".into(), Value::from(d.as_str()));
        }
        if let Some(c) = &self.condition {
            body.insert("if".into(), c.clone());
        }
        let order: Vec<&str> = processors::lookup(&self.kind)
            .map(|s| s.options.iter().map(|o| o.name).collect())
            .unwrap_or_default();
        for name in &order {
            if let Some(v) = self.options.get(*name) {
                body.insert(name.to_string(), v.clone());
            }
        }
        for (k, v) in &self.options {
            if !order.contains(&k.as_str()) {
                body.insert(k.clone(), v.clone());
            }
        }
        if self.ignore_failure {
            body.insert("ignore_failure".into(), Value::Bool(true));
        }
        if let Some(handlers) = &self.on_failure {
            body.insert(
                "on_failure".into(),
                Value::List(handlers.iter().map(|p| p.to_value()).collect()),
            );
        }
        debug_assert!(COMMON_OPTIONS.contains(&"tag"));
        let mut m = Map::default();
        m.insert(self.kind.clone(), Value::Map(body));
        Value::Map(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingest_pipeline_refs_resolve_to_names() {
        assert_eq!(
            resolve_ingest_pipeline_refs(r#"name: '{{ IngestPipeline "audit" }}'"#),
            "name: 'audit'"
        );
    }

    #[test]
    fn round_trips_through_canonical_json() {
        let text = r#"{"description":"d","processors":[{"set":{"value":"v","field":"a","tag":"t","if":"ctx.x != null"}}],"on_failure":[{"set":{"field":"e","value":"x"}}]}"#;
        let def = PipelineDefinition::from_value(&Value::from_json_str(text).unwrap()).unwrap();
        let canonical = def.to_value();
        assert_eq!(
            canonical.to_json(),
            r#"{"description":"d","processors":[{"set":{"tag":"t","if":"ctx.x != null","field":"a","value":"v"}}],"on_failure":[{"set":{"field":"e","value":"x"}}]}"#
        );
        assert_eq!(PipelineDefinition::from_value(&canonical).unwrap(), def);
    }

    #[test]
    fn unknown_option_names_processor_and_option() {
        let text = r#"{"processors":[{"set":{"field":"a","value":1}},{"set":{"field":"a","valu":1,"tag":"t2"}}]}"#;
        let e = PipelineDefinition::from_value(&Value::from_json_str(text).unwrap()).unwrap_err();
        assert_eq!(
            e.reason,
            "processor [set] doesn't support one or more provided configuration parameters [valu]"
        );
        assert_eq!(e.header("processor_type"), None);
        assert_eq!(e.extra["processor_tag"], Value::from("t2"));
        assert_eq!(e.headers["processor_index"], Value::Int(1));
    }

    /// An alias bomb is refused quickly, and the message has no empty
    /// location (`file:: invalid YAML`).
    #[test]
    fn yaml_alias_bomb_is_refused_with_a_clean_message() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let names = ["a", "b", "c", "d", "e", "f"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(", ");
            text.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
        }
        text.push_str("processors: [*f]\n");
        let e = parse_document(Path::new("bomb.yml"), &text).unwrap_err();
        assert!(e.reason.starts_with("bomb.yml: invalid YAML: "), "{}", e.reason);
        let e = parse_document(Path::new("p.yml"), "a: [").unwrap_err();
        assert!(e.reason.starts_with("p.yml:2:1: invalid YAML"), "{}", e.reason);
    }
}

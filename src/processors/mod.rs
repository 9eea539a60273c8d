//! Processors: one file each, each declaring its options and examples.
//!
//! A processor file exports `pub const SPEC: ProcessorSpec`: the type name,
//! a description, its options (kind, default, whether templated), examples
//! that run as tests, and the function that builds the executable processor
//! from validated options. The loader, `ingot lint`, the DSL and the docs all
//! read these declarations, so they cannot drift apart.

use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::exec::RunContext;
use crate::pipeline::BuildContext;
use crate::value::{Map, Value};

mod append;
mod bytes;
mod community_id;
mod convert;
mod csv;
pub mod field_values;
mod fingerprint;
mod geoip;
mod ip_location;
mod java_split;
mod java_url;
mod kv;
mod network_direction;
mod redact;
mod registered_domain;
mod dissect;
mod grok;
mod date;
mod date_index_name;
mod dot_expander;
mod drop;
mod fail;
mod foreach;
mod gsub;
mod html_strip;
pub mod java_regex;
mod join;
mod json;
mod lowercase;
pub(crate) mod pending;
pub mod pipeline;
mod remove;
mod rename;
mod reroute;
mod script;
mod set;
mod sort;
mod split;
mod string_processor;
pub mod support;
mod terminate;
mod trim;
mod uppercase;
mod urldecode;
mod uri_parts;
mod user_agent;
pub mod value_source;

/// What a processor tells the pipeline after it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// `drop`: the document is discarded, nothing more runs.
    Drop,
}

pub trait Processor: Send + Sync + std::fmt::Debug {
    fn execute(&self, doc: &mut IngestDocument, run: &mut RunContext) -> Result<Flow, EsError>;
}

/// The kinds of value an option accepts, as Elasticsearch's
/// `ConfigurationUtils.read*Property` checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    String,
    Bool,
    Int,
    /// A list of strings (`readList`).
    StringList,
    /// A string or a list of strings (`readOptionalStringOrList`).
    StringOrList,
    Map,
    /// Any JSON value (`set`'s `value`).
    Any,
}

#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    pub name: &'static str,
    pub kind: OptionKind,
    pub required: bool,
    /// The default as Elasticsearch documents it, for docs and the DSL.
    pub default: Option<&'static str>,
    /// Whether Mustache templates are rendered in the value.
    pub templated: bool,
    pub description: &'static str,
}

impl OptionSpec {
    pub const fn required(
        name: &'static str,
        kind: OptionKind,
        description: &'static str,
    ) -> OptionSpec {
        OptionSpec {
            name,
            kind,
            required: true,
            default: None,
            templated: false,
            description,
        }
    }
    pub const fn optional(
        name: &'static str,
        kind: OptionKind,
        description: &'static str,
    ) -> OptionSpec {
        OptionSpec {
            name,
            kind,
            required: false,
            default: None,
            templated: false,
            description,
        }
    }
    pub const fn default(mut self, default: &'static str) -> OptionSpec {
        self.default = Some(default);
        self
    }
    pub const fn templated(mut self) -> OptionSpec {
        self.templated = true;
        self
    }
}

/// An example that runs as a test and feeds the docs.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub title: &'static str,
    /// The processor body as JSON (without the type wrapper).
    pub config: &'static str,
    pub input: &'static str,
    /// The resulting `_source` as JSON, or `Err(reason)` of the failure.
    pub output: Result<&'static str, &'static str>,
}

pub type BuildFn = fn(&mut Options, &BuildContext) -> Result<Box<dyn Processor>, EsError>;

#[derive(Debug, Clone, Copy)]
pub struct ProcessorSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub options: &'static [OptionSpec],
    pub examples: &'static [Example],
    /// `None` while execution is not implemented: loading fails with
    /// "processor [x] is not supported yet".
    pub build: Option<BuildFn>,
}

/// Options common to every processor, read by the pipeline, not the processor.
pub const COMMON_OPTIONS: &[&str] = &["if", "tag", "description", "ignore_failure", "on_failure"];

/// Every processor the simulator knows, in the package spec's order.
pub fn registry() -> &'static [ProcessorSpec] {
    static REGISTRY: std::sync::OnceLock<Vec<ProcessorSpec>> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut specs = vec![
            append::SPEC,
            bytes::SPEC,
            community_id::SPEC,
            convert::SPEC,
            csv::SPEC,
            date::SPEC,
            date_index_name::SPEC,
            dissect::SPEC,
            dot_expander::SPEC,
            drop::SPEC,
            fail::SPEC,
            fingerprint::SPEC,
            foreach::SPEC,
            geoip::SPEC,
            grok::SPEC,
            gsub::SPEC,
            html_strip::SPEC,
            ip_location::SPEC,
            join::SPEC,
            json::SPEC,
            kv::SPEC,
            lowercase::SPEC,
            network_direction::SPEC,
            pipeline::SPEC,
            redact::SPEC,
            registered_domain::SPEC,
            remove::SPEC,
            rename::SPEC,
            reroute::SPEC,
            script::SPEC,
            set::SPEC,
            sort::SPEC,
            split::SPEC,
            terminate::SPEC,
            trim::SPEC,
            uppercase::SPEC,
            uri_parts::SPEC,
            urldecode::SPEC,
            user_agent::SPEC,
        ];
        // A processor that landed replaces its pending declaration.
        for spec in pending::SPECS {
            if !specs.iter().any(|s| s.name == spec.name) {
                specs.push(*spec);
            }
        }
        specs.sort_by_key(|s| s.name);
        specs
    })
}

pub fn lookup(name: &str) -> Option<&'static ProcessorSpec> {
    registry().iter().find(|s| s.name == name)
}

/// A processor's options while it is being built: typed reads with
/// Elasticsearch's configuration errors, each naming type, tag and property.
#[derive(Debug)]
pub struct Options {
    pub processor_type: &'static str,
    pub tag: Option<String>,
    values: Map,
}

impl Options {
    pub fn new(processor_type: &'static str, tag: Option<String>, values: Map) -> Options {
        Options {
            processor_type,
            tag,
            values,
        }
    }

    /// `[field] <message>` as a `parse_exception` with Elasticsearch's headers.
    pub fn error(&self, property: &str, message: &str) -> EsError {
        let mut e = EsError::parse(format!("[{property}] {message}"))
            .with("processor_type", self.processor_type);
        if let Some(tag) = &self.tag {
            e = e.with("processor_tag", tag.as_str());
        }
        e.with("property_name", property)
    }

    /// Elasticsearch's `newConfigurationException(type, tag, property, cause)`:
    /// the cause itself, marked with the processor and the property.
    pub fn property_error(&self, property: &str, mut e: EsError) -> EsError {
        e = e.with("processor_type", self.processor_type);
        if let Some(tag) = &self.tag {
            e = e.with("processor_tag", tag.as_str());
        }
        e.with("property_name", property)
    }

    /// A required string option compiled as a Mustache template, with a
    /// compile failure reported against the option.
    pub fn template(&mut self, name: &str) -> Result<crate::template::Template, EsError> {
        let source = self.string(name)?;
        crate::template::Template::compile(&source).map_err(|e| self.property_error(name, e))
    }

    fn take(&mut self, name: &str) -> Option<Value> {
        self.values.shift_remove(name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    pub fn string(&mut self, name: &str) -> Result<String, EsError> {
        self.opt_string(name)?
            .ok_or_else(|| self.error(name, "required property is missing"))
    }

    pub fn opt_string(&mut self, name: &str) -> Result<Option<String>, EsError> {
        match self.take(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.error(
                name,
                &format!(
                    "property isn't a string, but of type [{}]",
                    other.java_class()
                ),
            )),
        }
    }

    /// `readStringProperty` also accepts numbers and booleans, turned to text.
    pub fn opt_string_lenient(&mut self, name: &str) -> Result<Option<String>, EsError> {
        match self.take(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(
                v @ (Value::Int(_)
                | Value::Long(_)
                | Value::Float(_)
                | Value::Double(_)
                | Value::Bool(_)),
            ) => Ok(Some(v.to_java_string())),
            Some(other) => Err(self.error(
                name,
                &format!(
                    "property isn't a string, but of type [{}]",
                    other.java_class()
                ),
            )),
        }
    }

    pub fn bool_or(&mut self, name: &str, default: bool) -> Result<bool, EsError> {
        match self.take(name) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Bool(b)) => Ok(b),
            // `readBooleanProperty` takes only a real boolean: "true" is refused.
            Some(other) => Err(self.error(
                name,
                &format!(
                    "property isn't a boolean, but of type [{}]",
                    other.java_class()
                ),
            )),
        }
    }

    pub fn opt_int(&mut self, name: &str) -> Result<Option<i64>, EsError> {
        match self.take(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) if v.as_i64().is_some() => Ok(v.as_i64()),
            Some(Value::String(s)) => s.parse::<i64>().map(Some).map_err(|_| {
                self.error(
                    name,
                    &format!("property cannot be parsed as an integer [{s}]"),
                )
            }),
            Some(other) => Err(self.error(
                name,
                &format!(
                    "property isn't an integer, but of type [{}]",
                    other.java_class()
                ),
            )),
        }
    }

    pub fn opt_value(&mut self, name: &str) -> Option<Value> {
        self.take(name)
    }

    pub fn opt_list(&mut self, name: &str) -> Result<Option<Vec<Value>>, EsError> {
        match self.take(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::List(l)) => Ok(Some(l)),
            Some(other) => Err(self.error(
                name,
                &format!(
                    "property isn't a list, but of type [{}]",
                    other.java_class()
                ),
            )),
        }
    }

    pub fn opt_string_list(&mut self, name: &str) -> Result<Option<Vec<String>>, EsError> {
        match self.opt_list(name)? {
            None => Ok(None),
            Some(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    other => Err(self.error(
                        name,
                        &format!(
                            "property isn't a list of strings, but contains [{}]",
                            other.java_class()
                        ),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
        }
    }

    /// A string or a list of strings, as a list.
    pub fn opt_string_or_list(&mut self, name: &str) -> Result<Option<Vec<String>>, EsError> {
        match self.values.get(name) {
            Some(Value::String(_)) => Ok(self.opt_string(name)?.map(|s| vec![s])),
            _ => self.opt_string_list(name),
        }
    }

    pub fn opt_map(&mut self, name: &str) -> Result<Option<Map>, EsError> {
        match self.take(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Map(m)) => Ok(Some(m)),
            Some(other) => Err(self.error(
                name,
                &format!("property isn't a map, but of type [{}]", other.java_class()),
            )),
        }
    }

    /// `media_type` (default `application/json`), the content type that
    /// decides how `{{x}}` escapes in the processor's value templates.
    pub fn media_type_escaping(&mut self) -> Result<crate::template::Escaping, EsError> {
        let media_type = self.opt_string("media_type")?.unwrap_or_else(|| "application/json".into());
        crate::template::Escaping::for_media_type(&media_type).ok_or_else(|| {
            self.error("media_type", &format!("property does not contain a supported media type [{media_type}]"))
        })
    }

    /// Options no read consumed: Elasticsearch refuses the processor.
    pub fn leftover(&self) -> Vec<&str> {
        self.values.keys().map(String::as_str).collect()
    }
}

#[cfg(test)]
pub(crate) mod examples {
    //! Runs every processor's declared examples.
    use super::*;
    use crate::pipeline::{BuildContext, Pipeline};

    pub fn run_example(spec: &ProcessorSpec, example: &Example) -> Result<String, String> {
        let config = Value::from_json_str(example.config).map_err(|e| e.to_string())?;
        let mut processor = Map::default();
        processor.insert(spec.name.to_string(), config);
        let mut pipeline = Map::default();
        pipeline.insert("processors".into(), Value::List(vec![Value::Map(processor)]));
        // Examples see the tiny test databases, as if given `--geoip-dir`.
        let ctx = BuildContext {
            geoip_dir: Some(crate::geoip::testdata::dir()),
            ..Default::default()
        };
        let pipeline = Pipeline::from_value("example", &Value::Map(pipeline), &ctx)
            .map_err(|e| format!("load: {}", e.reason))?;
        let input = match Value::from_json_str(example.input).map_err(|e| e.to_string())? {
            Value::Map(m) => m,
            _ => return Err("example input must be an object".into()),
        };
        let mut doc = IngestDocument::new(input);
        match pipeline.execute(&mut doc, &mut RunContext::default()) {
            Ok(crate::pipeline::exec::Outcome::Kept) => Ok(Value::Map(doc.source()).to_json()),
            Ok(crate::pipeline::exec::Outcome::Dropped) => Ok("null".into()),
            Err(e) => Err(e.root().reason.clone()),
        }
    }

    #[test]
    fn every_declared_example_holds() {
        for spec in registry() {
            for example in spec.examples {
                let got = run_example(spec, example);
                let want = example
                    .output
                    .map(|s| Value::from_json_str(s).unwrap().to_json())
                    .map_err(str::to_string);
                assert_eq!(
                    got, want,
                    "processor [{}] example {:?}",
                    spec.name, example.title
                );
            }
        }
    }
}

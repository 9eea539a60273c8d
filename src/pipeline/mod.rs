//! Pipelines: their definition as integrations ship it, loading from YAML or
//! JSON, and compilation into executable processors.
//!
//! Data flows `file text -> Value -> PipelineDefinition -> Pipeline`. The
//! definition is the typed, validated form that the DSL also produces and that
//! serialises back to canonical JSON; the `Pipeline` holds built processors.

pub mod definition;
pub mod exec;
pub mod registry;

pub use definition::{PipelineDefinition, ProcessorDefinition};
pub use exec::{Outcome, RunContext};
pub use registry::PipelineRegistry;

use crate::error::EsError;
use crate::painless::{self, Script, ScriptContext};
use crate::processors::{self, Options, Processor};
use crate::value::{Map, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What building a processor may need from its surroundings.
#[derive(Debug, Clone, Default)]
pub struct BuildContext {
    /// Pipelines the `pipeline` processor can call, by name.
    pub registry: Arc<PipelineRegistry>,
    /// Directory of GeoIP databases (`--geoip-dir`, `INGOT_GEOIP_DIR`).
    pub geoip_dir: Option<PathBuf>,
}

/// A processor's `if`, compiled.
#[derive(Debug)]
pub struct Condition {
    pub source: String,
    pub script: Script,
    pub params: Map,
}

/// A built processor with the options every processor shares.
#[derive(Debug)]
pub struct ConfiguredProcessor {
    pub kind: &'static str,
    pub tag: Option<String>,
    pub description: Option<String>,
    pub condition: Option<Condition>,
    pub ignore_failure: bool,
    pub on_failure: Vec<ConfiguredProcessor>,
    pub processor: Box<dyn Processor>,
}

#[derive(Debug)]
pub struct Pipeline {
    pub id: String,
    pub definition: PipelineDefinition,
    pub processors: Vec<ConfiguredProcessor>,
    pub on_failure: Vec<ConfiguredProcessor>,
}

impl Pipeline {
    /// Loads a pipeline file (`.json`, `.yml` or `.yaml`); its id is the file
    /// name up to the first dot, as elastic-package installs it.
    pub fn load(path: &Path, ctx: &BuildContext) -> Result<Pipeline, EsError> {
        let id = pipeline_id(path);
        let definition = PipelineDefinition::load(path)
            .map_err(|e| name_pipeline(e, &id).with_header("file", path.display().to_string()))?;
        Pipeline::build(&id, definition, ctx)
            .map_err(|e| e.with_header("file", path.display().to_string()))
    }

    pub fn from_value(id: &str, value: &Value, ctx: &BuildContext) -> Result<Pipeline, EsError> {
        let definition = PipelineDefinition::from_value(value).map_err(|e| name_pipeline(e, id))?;
        Pipeline::build(id, definition, ctx)
    }

    pub fn build(
        id: &str,
        definition: PipelineDefinition,
        ctx: &BuildContext,
    ) -> Result<Pipeline, EsError> {
        let processors = build_all(&definition.processors, ctx)?;
        let on_failure = build_all(&definition.on_failure, ctx)?;
        Ok(Pipeline {
            id: id.to_string(),
            definition,
            processors,
            on_failure,
        })
    }
}

/// Elasticsearch's wording for an empty pipeline-level `on_failure` names the pipeline.
fn name_pipeline(e: EsError, id: &str) -> EsError {
    if e.headers.contains_key(definition::EMPTY_ON_FAILURE) {
        return EsError::parse(format!(
            "pipeline [{id}] cannot have an empty on_failure option defined"
        ));
    }
    e
}

/// The id elastic-package gives a pipeline file: its name up to the first dot.
pub fn pipeline_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.split('.').next().unwrap_or_default().to_string()
}

fn build_all(
    defs: &[ProcessorDefinition],
    ctx: &BuildContext,
) -> Result<Vec<ConfiguredProcessor>, EsError> {
    defs.iter().map(|d| build_processor(d, ctx)).collect()
}

/// Builds one processor; errors carry `processor_type` and `processor_tag`.
pub fn build_processor(
    def: &ProcessorDefinition,
    ctx: &BuildContext,
) -> Result<ConfiguredProcessor, EsError> {
    let spec = processors::lookup(&def.kind).ok_or_else(|| {
        EsError::parse(format!("No processor type exists with name [{}]", def.kind))
            .with("processor_type", def.kind.as_str())
    })?;
    // `readProcessor` marks any failure of a factory with the processor's
    // type and tag.
    let tagged = |e: EsError| {
        let e = if e.extra.contains_key("processor_type") {
            e
        } else {
            e.with("processor_type", spec.name)
        };
        match &def.tag {
            Some(tag) if !e.extra.contains_key("processor_tag") => {
                e.with("processor_tag", tag.as_str())
            }
            _ => e,
        }
    };
    let Some(build) = spec.build else {
        return Err(tagged(
            EsError::parse(format!("processor [{}] is not supported yet", spec.name))
                .with("processor_type", spec.name),
        ));
    };
    let condition = match &def.condition {
        None => None,
        Some(cond) => Some(
            compile_condition(cond)
                .map_err(|e| tagged(e.with_header("processor_type", spec.name)))?,
        ),
    };
    let mut options = Options::new(spec.name, def.tag.clone(), def.options.clone());
    let processor = build(&mut options, ctx).map_err(tagged)?;
    let leftover = options.leftover();
    if !leftover.is_empty() {
        return Err(tagged(
            EsError::parse(format!(
                "processor [{}] doesn't support one or more provided configuration parameters [{}]",
                spec.name,
                leftover.join(", ")
            ))
            .with("processor_type", spec.name),
        ));
    }
    let on_failure = match &def.on_failure {
        Some(handlers) => build_all(handlers, ctx)?,
        None => Vec::new(),
    };
    Ok(ConfiguredProcessor {
        kind: spec.name,
        tag: def.tag.clone(),
        description: def.description.clone(),
        condition,
        ignore_failure: def.ignore_failure,
        on_failure,
        processor,
    })
}

/// `if` is either a Painless source string or a script object.
fn compile_condition(cond: &Value) -> Result<Condition, EsError> {
    let (source, params) = match cond {
        Value::String(s) => (s.clone(), Map::default()),
        Value::Map(m) => {
            if let Some(id) = m.get("id") {
                return Err(EsError::illegal_argument(format!(
                    "stored script [{}] cannot be resolved without a cluster; inline its source",
                    id.to_java_string()
                )));
            }
            if let Some(lang) = m.get("lang").and_then(Value::as_str) {
                if lang != "painless" {
                    return Err(EsError::illegal_argument(format!(
                        "script lang [{lang}] is not supported"
                    )));
                }
            }
            let source = m.get("source").and_then(Value::as_str).ok_or_else(|| {
                EsError::parse(
                    "must specify either [source] for an inline script or [id] for a stored script",
                )
            })?;
            let params = m
                .get("params")
                .and_then(Value::as_map)
                .cloned()
                .unwrap_or_default();
            (source.to_string(), params)
        }
        other => {
            return Err(EsError::parse(format!(
                "[if] property isn't a script, but of type [{}]",
                other.java_class()
            )))
        }
    };
    let script = painless::compile(&source, ScriptContext::Condition)?;
    Ok(Condition {
        source,
        script,
        params,
    })
}

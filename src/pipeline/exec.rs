//! Running a pipeline over a document with Elasticsearch's failure handling.
//!
//! Mirrors `CompoundProcessor`: a processor's `if` is checked first; a failure
//! is ignored with `ignore_failure`, handed to the processor's `on_failure`
//! handlers, or else ends the pipeline and goes to the pipeline's
//! `on_failure`. Handlers see the failure in `_ingest.on_failure_*`.

use super::{ConfiguredProcessor, Pipeline};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::processors::Flow;
use crate::value::{Map, Value};

/// What became of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Kept,
    Dropped,
}

/// One processor's result, for `--verbose` output and coverage.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEntry {
    pub processor_type: &'static str,
    pub tag: Option<String>,
    pub description: Option<String>,
    pub pipeline: String,
    /// Position in the pipeline's processor list (`on_failure` handlers have
    /// the index of the processor they belong to).
    pub index: usize,
    pub status: TraceStatus,
    /// The document after the processor, when tracing documents.
    pub doc: Option<IngestDocument>,
    pub error: Option<EsError>,
    /// The condition's source, when it decided.
    pub condition: Option<(String, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceStatus {
    Success,
    Skipped,
    Dropped,
    Error,
    ErrorIgnored,
}

impl TraceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TraceStatus::Success => "success",
            TraceStatus::Skipped => "skipped",
            TraceStatus::Dropped => "dropped",
            TraceStatus::Error => "error",
            TraceStatus::ErrorIgnored => "error_ignored",
        }
    }
}

/// State of one document's run through a pipeline and the ones it calls.
#[derive(Debug, Default)]
pub struct RunContext {
    /// Ids of the pipelines entered, outermost first, for cycle detection.
    pub pipeline_stack: Vec<String>,
    /// Set by the `terminate` processor: the current pipeline stops.
    pub terminated: bool,
    /// When set, every processor run is recorded here.
    pub trace: Option<Vec<TraceEntry>>,
    /// Record the document after each processor in the trace (verbose simulate).
    pub trace_documents: bool,
}

impl RunContext {
    pub fn tracing(with_documents: bool) -> RunContext {
        RunContext {
            trace: Some(Vec::new()),
            trace_documents: with_documents,
            ..RunContext::default()
        }
    }

    pub fn current_pipeline(&self) -> &str {
        self.pipeline_stack.last().map(String::as_str).unwrap_or("")
    }
}

/// Nesting limit of the `pipeline` processor (`es.ingest.max_pipelines`).
pub const MAX_NESTED_PIPELINES: usize = 100;

impl Pipeline {
    /// Runs the pipeline. `Err` is a failure no handler took: Elasticsearch
    /// returns it in place of the document.
    pub fn execute(
        &self,
        doc: &mut IngestDocument,
        run: &mut RunContext,
    ) -> Result<Outcome, EsError> {
        if run.pipeline_stack.iter().any(|p| p == &self.id) {
            return Err(EsError::illegal_state(format!(
                "Cycle detected for pipeline: {}",
                self.id
            )));
        }
        if run.pipeline_stack.len() >= MAX_NESTED_PIPELINES {
            return Err(EsError::illegal_state(format!(
                "Too many nested pipelines. Cannot have more than {MAX_NESTED_PIPELINES} nested pipelines"
            )));
        }
        run.pipeline_stack.push(self.id.clone());
        let previous_pipeline = doc
            .ingest
            .insert("pipeline".into(), Value::from(self.id.as_str()));
        let result = self.execute_inner(doc, run);
        match previous_pipeline {
            Some(p) => doc.ingest.insert("pipeline".into(), p),
            None => doc.ingest.shift_remove("pipeline"),
        };
        run.pipeline_stack.pop();
        run.terminated = false;
        result
    }

    fn execute_inner(
        &self,
        doc: &mut IngestDocument,
        run: &mut RunContext,
    ) -> Result<Outcome, EsError> {
        match run_list(&self.processors, doc, run) {
            Ok(outcome) => Ok(outcome),
            Err(e) if self.on_failure.is_empty() => Err(e),
            Err(e) => {
                run.terminated = false;
                with_failure_metadata(doc, &e, |doc| run_list(&self.on_failure, doc, run))
            }
        }
    }
}

fn run_list(
    list: &[ConfiguredProcessor],
    doc: &mut IngestDocument,
    run: &mut RunContext,
) -> Result<Outcome, EsError> {
    for (index, processor) in list.iter().enumerate() {
        if run.terminated {
            break;
        }
        if run_one(processor, index, doc, run)? == Outcome::Dropped {
            return Ok(Outcome::Dropped);
        }
    }
    Ok(Outcome::Kept)
}

fn run_one(
    p: &ConfiguredProcessor,
    index: usize,
    doc: &mut IngestDocument,
    run: &mut RunContext,
) -> Result<Outcome, EsError> {
    let mut condition_result = None;
    let result = match &p.condition {
        Some(cond) => match cond.script.condition(&doc.ctx, &cond.params) {
            Ok(true) => {
                condition_result = Some((cond.source.clone(), true));
                p.processor.execute(doc, run)
            }
            Ok(false) => {
                record(
                    run,
                    p,
                    index,
                    TraceStatus::Skipped,
                    doc,
                    None,
                    Some((cond.source.clone(), false)),
                );
                return Ok(Outcome::Kept);
            }
            Err(e) => Err(e),
        },
        None => p.processor.execute(doc, run),
    };
    match result {
        Ok(Flow::Continue) => {
            record(
                run,
                p,
                index,
                TraceStatus::Success,
                doc,
                None,
                condition_result,
            );
            Ok(Outcome::Kept)
        }
        Ok(Flow::Drop) => {
            record(
                run,
                p,
                index,
                TraceStatus::Dropped,
                doc,
                None,
                condition_result,
            );
            Ok(Outcome::Dropped)
        }
        Err(e) => {
            let e = located(e, p, run.current_pipeline());
            if p.ignore_failure {
                record(
                    run,
                    p,
                    index,
                    TraceStatus::ErrorIgnored,
                    doc,
                    Some(e),
                    condition_result,
                );
                return Ok(Outcome::Kept);
            }
            record(
                run,
                p,
                index,
                TraceStatus::Error,
                doc,
                Some(e.clone()),
                condition_result,
            );
            if p.on_failure.is_empty() {
                return Err(e);
            }
            with_failure_metadata(doc, &e, |doc| run_list(&p.on_failure, doc, run))
        }
    }
}

/// Marks a failure with the processor it came from, unless a nested pipeline
/// already did (the innermost processor is the one Elasticsearch names).
fn located(e: EsError, p: &ConfiguredProcessor, pipeline: &str) -> EsError {
    if e.headers.contains_key("processor_type") {
        return e;
    }
    let mut e = e.with_header("processor_type", p.kind);
    if let Some(tag) = &p.tag {
        e = e.with_header("processor_tag", tag.as_str());
    }
    if !pipeline.is_empty() {
        e = e.with_header("pipeline", pipeline);
    }
    e
}

const FAILURE_KEYS: [&str; 4] = [
    "on_failure_message",
    "on_failure_processor_type",
    "on_failure_processor_tag",
    "on_failure_pipeline",
];

/// Runs handlers with `_ingest.on_failure_*` describing `e`, then restores
/// what those keys held before, so nested handlers see their own failure.
fn with_failure_metadata(
    doc: &mut IngestDocument,
    e: &EsError,
    handlers: impl FnOnce(&mut IngestDocument) -> Result<Outcome, EsError>,
) -> Result<Outcome, EsError> {
    let saved: Vec<Option<Value>> = FAILURE_KEYS
        .iter()
        .map(|k| doc.ingest.get(*k).cloned())
        .collect();
    let mut failure = Map::new();
    failure.insert(
        "on_failure_message".into(),
        Value::from(e.root().reason.as_str()),
    );
    failure.insert(
        "on_failure_processor_type".into(),
        e.header("processor_type")
            .map(Value::from)
            .unwrap_or(Value::Null),
    );
    failure.insert(
        "on_failure_processor_tag".into(),
        e.header("processor_tag")
            .map(Value::from)
            .unwrap_or(Value::Null),
    );
    if let Some(p) = e.header("pipeline") {
        failure.insert("on_failure_pipeline".into(), Value::from(p));
    }
    for key in FAILURE_KEYS {
        doc.ingest.shift_remove(key);
    }
    doc.ingest.extend(failure);
    let result = handlers(doc);
    for (key, old) in FAILURE_KEYS.iter().zip(saved) {
        match old {
            Some(v) => {
                doc.ingest.insert(key.to_string(), v);
            }
            None => {
                doc.ingest.shift_remove(*key);
            }
        }
    }
    result
}

fn record(
    run: &mut RunContext,
    p: &ConfiguredProcessor,
    index: usize,
    status: TraceStatus,
    doc: &IngestDocument,
    error: Option<EsError>,
    condition: Option<(String, bool)>,
) {
    let with_doc = run.trace_documents;
    let pipeline = run.current_pipeline().to_string();
    if let Some(trace) = run.trace.as_mut() {
        trace.push(TraceEntry {
            processor_type: p.kind,
            tag: p.tag.clone(),
            description: p.description.clone(),
            pipeline,
            index,
            status,
            doc: with_doc.then(|| doc.clone()),
            error,
            condition,
        });
    }
}

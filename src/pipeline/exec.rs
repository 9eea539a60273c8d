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
use crate::value::Value;

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
    /// Set by the `reroute` processor (`IngestDocument.reroute`): unlike
    /// `terminate`, it is never reset, so every pipeline the document is
    /// in stops, the calling ones too (`CompoundProcessor.innerExecute`
    /// checks `isReroute()` before each processor).
    pub rerouted: bool,
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
        // Elasticsearch skips an empty pipeline entirely: no cycle check, no
        // `_ingest.pipeline` change.
        if self.processors.is_empty() {
            return Ok(Outcome::Kept);
        }
        if run.pipeline_stack.len() >= MAX_NESTED_PIPELINES {
            return Err(EsError::new(
                "graph_structure_exception",
                format!("Too many nested pipelines. Cannot have more than {MAX_NESTED_PIPELINES} nested pipelines"),
            ));
        }
        if run.pipeline_stack.iter().any(|p| p == &self.id) {
            return Err(EsError::new(
                "graph_structure_exception",
                format!("Cycle detected for pipeline: {}", self.id),
            ));
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
        // `terminate` ends the pipeline it ran in; a calling pipeline goes on.
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
            Err(e) => run_handlers(&self.on_failure, &e, doc, run),
        }
    }
}

fn run_list(
    list: &[ConfiguredProcessor],
    doc: &mut IngestDocument,
    run: &mut RunContext,
) -> Result<Outcome, EsError> {
    for (index, processor) in list.iter().enumerate() {
        // Checked before each processor, as CompoundProcessor does.
        if run.terminated || run.rerouted {
            break;
        }
        if run_one(processor, index, doc, run, true)? == Outcome::Dropped {
            return Ok(Outcome::Dropped);
        }
    }
    Ok(Outcome::Kept)
}

/// `on_failure` handlers: they see the failure in `_ingest.on_failure_*`,
/// which is removed (not restored) when they finish or fail, as
/// CompoundProcessor does. A reroute or `terminate` does not stop a handler
/// list (`executeOnFailure` does not look at them), but see
/// [`stopped_wrapper`].
fn run_handlers(
    handlers: &[ConfiguredProcessor],
    e: &EsError,
    doc: &mut IngestDocument,
    run: &mut RunContext,
) -> Result<Outcome, EsError> {
    put_failure_metadata(doc, e);
    let mut outcome = Ok(Outcome::Kept);
    for (index, handler) in handlers.iter().enumerate() {
        if stopped_wrapper(handler, run) {
            continue;
        }
        match run_one(handler, index, doc, run, true) {
            Ok(Outcome::Kept) => {}
            other => {
                outcome = other;
                break;
            }
        }
    }
    remove_failure_metadata(doc);
    outcome
}

/// A processor with its own `on_failure` or `ignore_failure` that does not
/// run because the document was rerouted or terminated.
/// `ConfigurationUtils.readProcessor` wraps such a processor in a
/// CompoundProcessor of its own (`OnFailureProcessor`), whose
/// `innerExecute` checks `isReroute()`/`isTerminate()` before its one
/// processor; a plain processor has no such check, so in a handler list or
/// under `foreach` it still runs. The wrapper's `if` is not evaluated
/// either: verbose simulate (`TrackingResultProcessor.decorate`) moves the
/// condition inside the wrapper, so it records nothing for it; a plain run
/// evaluates the condition first, which only shows when the condition
/// itself fails.
fn stopped_wrapper(p: &ConfiguredProcessor, run: &RunContext) -> bool {
    (run.rerouted || run.terminated) && (p.ignore_failure || !p.on_failure.is_empty())
}

/// Runs a processor that another processor owns (`foreach`'s): its own
/// errors are left for the owner to locate, and it is not traced on its own.
pub fn run_nested(
    p: &ConfiguredProcessor,
    doc: &mut IngestDocument,
    run: &mut RunContext,
) -> Result<Outcome, EsError> {
    if stopped_wrapper(p, run) {
        return Ok(Outcome::Kept);
    }
    let trace = run.trace.take();
    let result = run_one(p, 0, doc, run, false);
    run.trace = trace;
    result
}

// Inlined into the loops that call it: a processor that runs and succeeds
// (nearly all of them) pays for the condition, the call and one test of
// the trace, without a call of its own; failures are handled out of line.
#[inline(always)]
fn run_one(
    p: &ConfiguredProcessor,
    index: usize,
    doc: &mut IngestDocument,
    run: &mut RunContext,
    top_level: bool,
) -> Result<Outcome, EsError> {
    let condition = match &p.condition {
        Some(cond) => match cond.script.condition(&doc.ctx, &cond.params) {
            Ok(true) => Some((cond.source.as_str(), true)),
            Ok(false) => {
                record(
                    run,
                    p,
                    index,
                    TraceStatus::Skipped,
                    doc,
                    None,
                    Some((cond.source.as_str(), false)),
                );
                return Ok(Outcome::Kept);
            }
            Err(e) => return failed(e, p, index, doc, run, top_level, None),
        },
        None => None,
    };
    match p.processor.execute(doc, run) {
        Ok(Flow::Continue) => {
            record(run, p, index, TraceStatus::Success, doc, None, condition);
            Ok(Outcome::Kept)
        }
        Ok(Flow::Drop) => {
            record(run, p, index, TraceStatus::Dropped, doc, None, condition);
            Ok(Outcome::Dropped)
        }
        Err(e) => failed(e, p, index, doc, run, top_level, condition),
    }
}

/// A processor (or its condition) failed: the failure is ignored, handed to
/// the processor's `on_failure` handlers, or returned.
#[cold]
#[inline(never)]
fn failed(
    e: EsError,
    p: &ConfiguredProcessor,
    index: usize,
    doc: &mut IngestDocument,
    run: &mut RunContext,
    top_level: bool,
    condition: Option<(&str, bool)>,
) -> Result<Outcome, EsError> {
    // A processor with handlers is wrapped in its own CompoundProcessor
    // in Elasticsearch, which names the failing processor; so is every
    // processor of a pipeline's list.
    let e = if top_level || !p.on_failure.is_empty() {
        located(e, p, run)
    } else {
        e
    };
    if p.ignore_failure || e.headers.contains_key(crate::processors::pipeline::IGNORED) {
        record(run, p, index, TraceStatus::ErrorIgnored, doc, Some(&e), condition);
        return Ok(Outcome::Kept);
    }
    record(run, p, index, TraceStatus::Error, doc, Some(&e), condition);
    if p.on_failure.is_empty() {
        return Err(e);
    }
    run_handlers(&p.on_failure, &e, doc, run)
}

/// Marks a failure with the processor it came from, unless a nested pipeline
/// or handler already did (the innermost processor is the one Elasticsearch
/// names). The failure also records the pipelines it happened in, innermost
/// first (`pipeline_origin`): current Elasticsearch does so for the
/// top-level pipeline too, so `_ingest.on_failure_pipeline` is always set.
fn located(e: EsError, p: &ConfiguredProcessor, run: &RunContext) -> EsError {
    if e.headers.contains_key("processor_type") {
        return e;
    }
    let mut e = e.with_header("processor_type", p.kind);
    if let Some(tag) = &p.tag {
        e = e.with_header("processor_tag", tag.as_str());
    }
    if !run.pipeline_stack.is_empty() {
        let origin: Vec<Value> = run
            .pipeline_stack
            .iter()
            .rev()
            .map(|id| Value::from(id.as_str()))
            .collect();
        e = e.with_header("pipeline_origin", Value::List(origin));
    }
    e
}

const FAILURE_KEYS: [&str; 4] = [
    "on_failure_message",
    "on_failure_processor_type",
    "on_failure_processor_tag",
    "on_failure_pipeline",
];

/// `CompoundProcessor.putFailureMetadata`: the root cause's message, the
/// failing processor's type and tag (null when absent), and the innermost
/// pipeline it failed in.
fn put_failure_metadata(doc: &mut IngestDocument, e: &EsError) {
    let header = |key: &str| e.header(key).map(Value::from).unwrap_or(Value::Null);
    doc.ingest.insert(
        "on_failure_message".into(),
        Value::from(e.root().reason.as_str()),
    );
    doc.ingest
        .insert("on_failure_processor_type".into(), header("processor_type"));
    doc.ingest
        .insert("on_failure_processor_tag".into(), header("processor_tag"));
    let origin = match e.headers.get("pipeline_origin") {
        Some(Value::List(ids)) => ids.first().cloned(),
        Some(Value::String(id)) => Some(Value::from(id.as_str())),
        _ => None,
    };
    if let Some(pipeline) = origin {
        doc.ingest.insert("on_failure_pipeline".into(), pipeline);
    }
}

fn remove_failure_metadata(doc: &mut IngestDocument) {
    for key in FAILURE_KEYS {
        doc.ingest.shift_remove(key);
    }
}

// Inlined so an untraced run (nothing to do, nothing to allocate) pays one
// test per processor rather than a call.
#[inline]
fn record(
    run: &mut RunContext,
    p: &ConfiguredProcessor,
    index: usize,
    status: TraceStatus,
    doc: &IngestDocument,
    error: Option<&EsError>,
    condition: Option<(&str, bool)>,
) {
    if run.trace.is_some() {
        record_traced(run, p, index, status, doc, error, condition);
    }
}

#[cold]
fn record_traced(
    run: &mut RunContext,
    p: &ConfiguredProcessor,
    index: usize,
    status: TraceStatus,
    doc: &IngestDocument,
    error: Option<&EsError>,
    condition: Option<(&str, bool)>,
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
            error: error.cloned(),
            condition: condition.map(|(source, result)| (source.to_string(), result)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{BuildContext, Pipeline, PipelineRegistry};
    use std::sync::Arc;

    fn context() -> BuildContext {
        BuildContext {
            registry: Arc::new(PipelineRegistry::default()),
            geoip_dir: None,
        }
    }

    fn add(ctx: &BuildContext, id: &str, json: &str) -> Arc<Pipeline> {
        let p = Pipeline::from_value(id, &Value::from_json_str(json).unwrap(), ctx).unwrap();
        ctx.registry.insert(p)
    }

    fn run(p: &Pipeline, source: &str) -> (Result<Outcome, EsError>, IngestDocument) {
        let Value::Map(m) = Value::from_json_str(source).unwrap() else {
            panic!()
        };
        let mut doc = IngestDocument::new(m);
        let result = p.execute(&mut doc, &mut RunContext::default());
        (result, doc)
    }

    fn source(doc: &IngestDocument) -> String {
        Value::Map(doc.source()).to_json()
    }

    #[test]
    fn processor_on_failure_sees_failure_metadata_which_is_then_removed() {
        let ctx = context();
        let p = add(
            &ctx,
            "main",
            r#"{"processors": [
            {"fail": {"tag": "t1", "message": "boom {{{x}}}", "on_failure": [
                {"set": {"field": "m", "value": "{{_ingest.on_failure_message}}|{{_ingest.on_failure_processor_type}}|{{_ingest.on_failure_processor_tag}}|{{_ingest.on_failure_pipeline}}"}}
            ]}},
            {"set": {"field": "after", "value": "{{_ingest.on_failure_message}}"}}
        ]}"#,
        );
        let (result, doc) = run(&p, r#"{"x": 1}"#);
        assert_eq!(result.unwrap(), Outcome::Kept);
        assert_eq!(
            source(&doc),
            r#"{"x":1,"m":"boom 1|fail|t1|main","after":""}"#
        );
        assert!(FAILURE_KEYS.iter().all(|k| !doc.ingest.contains_key(*k)));
    }

    #[test]
    fn a_missing_tag_is_null_in_the_metadata() {
        let ctx = context();
        let p = add(
            &ctx,
            "main",
            r#"{"processors": [
            {"fail": {"message": "boom", "on_failure": [{"set": {"field": "tag_is_null", "copy_from": "_ingest.on_failure_processor_tag"}}]}}
        ]}"#,
        );
        let (result, doc) = run(&p, "{}");
        result.unwrap();
        assert_eq!(source(&doc), r#"{"tag_is_null":null}"#);
    }

    #[test]
    fn a_failing_handler_is_what_the_next_level_sees() {
        let ctx = context();
        let p = add(
            &ctx,
            "main",
            r#"{"processors": [
            {"fail": {"tag": "outer", "message": "first", "on_failure": [
                {"fail": {"tag": "handler", "message": "second: {{_ingest.on_failure_message}}"}}
            ]}}
        ], "on_failure": [
            {"set": {"field": "seen", "value": "{{_ingest.on_failure_message}}/{{_ingest.on_failure_processor_tag}}"}}
        ]}"#,
        );
        let (result, doc) = run(&p, "{}");
        result.unwrap();
        assert_eq!(source(&doc), r#"{"seen":"second: first/handler"}"#);
    }

    #[test]
    fn nested_handlers_remove_the_metadata_rather_than_restore_it() {
        // CompoundProcessor.removeFailureMetadata drops the keys, so a handler
        // after a nested on_failure no longer sees the outer failure.
        let ctx = context();
        let p = add(
            &ctx,
            "main",
            r#"{"processors": [
            {"fail": {"message": "outer", "on_failure": [
                {"fail": {"message": "inner", "on_failure": [{"set": {"field": "a", "value": "{{_ingest.on_failure_message}}"}}]}},
                {"set": {"field": "b", "value": "[{{_ingest.on_failure_message}}]"}}
            ]}}
        ]}"#,
        );
        let (result, doc) = run(&p, "{}");
        result.unwrap();
        assert_eq!(source(&doc), r#"{"a":"inner","b":"[]"}"#);
    }

    #[test]
    fn unhandled_failure_carries_processor_headers() {
        let ctx = context();
        let p = add(
            &ctx,
            "main",
            r#"{"processors": [{"set": {"field": "a", "value": 1}}, {"fail": {"tag": "t", "message": "no"}}]}"#,
        );
        let (result, doc) = run(&p, "{}");
        let e = result.unwrap_err();
        assert_eq!(
            (e.kind.as_str(), e.reason.as_str()),
            ("fail_processor_exception", "no")
        );
        assert_eq!(e.header("processor_type"), Some("fail"));
        assert_eq!(e.header("processor_tag"), Some("t"));
        assert_eq!(
            e.headers.get("pipeline_origin"),
            Some(&Value::List(vec![Value::from("main")]))
        );
        assert_eq!(source(&doc), r#"{"a":1}"#);
    }

    #[test]
    fn ignore_failure_wins_over_on_failure() {
        let ctx = context();
        let p = add(
            &ctx,
            "main",
            r#"{"processors": [
            {"fail": {"message": "x", "ignore_failure": true, "on_failure": [{"set": {"field": "handled", "value": true}}]}},
            {"set": {"field": "next", "value": true}}
        ]}"#,
        );
        let (result, doc) = run(&p, "{}");
        result.unwrap();
        assert_eq!(source(&doc), r#"{"next":true}"#);
    }

    #[test]
    fn nested_pipelines_set_ingest_pipeline_and_restore_it() {
        let ctx = context();
        add(
            &ctx,
            "another_pipeline2",
            r#"{"processors": [{"append": {"field": "pipelines", "value": "{{_ingest.pipeline}}"}}]}"#,
        );
        add(
            &ctx,
            "another_pipeline",
            r#"{"processors": [
            {"append": {"field": "pipelines", "value": "{{_ingest.pipeline}}"}},
            {"pipeline": {"name": "another_pipeline2"}},
            {"append": {"field": "pipelines", "value": "{{_ingest.pipeline}}"}}
        ]}"#,
        );
        let p = add(
            &ctx,
            "pipeline1",
            r#"{"processors": [
            {"append": {"field": "pipelines", "value": "{{_ingest.pipeline}}"}},
            {"pipeline": {"name": "another_pipeline"}}
        ]}"#,
        );
        let (result, doc) = run(&p, "{}");
        result.unwrap();
        assert_eq!(
            source(&doc),
            r#"{"pipelines":["pipeline1","another_pipeline","another_pipeline2","another_pipeline"]}"#
        );
        assert!(!doc.ingest.contains_key("pipeline"));
    }

    #[test]
    fn a_failure_in_a_nested_pipeline_names_that_pipeline() {
        let ctx = context();
        add(
            &ctx,
            "inner",
            r#"{"processors": [{"fail": {"tag": "f", "message": "inner failed"}}]}"#,
        );
        let p = add(
            &ctx,
            "outer",
            r#"{"processors": [{"pipeline": {"name": "inner"}}], "on_failure": [
            {"set": {"field": "seen", "value": "{{_ingest.on_failure_pipeline}} {{_ingest.on_failure_processor_type}} {{_ingest.on_failure_processor_tag}} {{_ingest.on_failure_message}}"}}
        ]}"#,
        );
        let (result, doc) = run(&p, "{}");
        result.unwrap();
        assert_eq!(source(&doc), r#"{"seen":"inner fail f inner failed"}"#);
    }

    #[test]
    fn cycles_and_missing_pipelines_fail() {
        let ctx = context();
        add(
            &ctx,
            "inner",
            r#"{"processors": [{"pipeline": {"name": "outer"}}]}"#,
        );
        let outer = add(
            &ctx,
            "outer",
            r#"{"processors": [{"pipeline": {"name": "inner"}}]}"#,
        );
        let e = run(&outer, "{}").0.unwrap_err();
        assert_eq!(
            (e.kind.as_str(), e.reason.as_str()),
            (
                "graph_structure_exception",
                "Cycle detected for pipeline: outer"
            )
        );
        let p = add(
            &ctx,
            "p",
            r#"{"processors": [{"pipeline": {"name": "{{org}}-department"}}]}"#,
        );
        let e = run(&p, r#"{"org": "legal"}"#).0.unwrap_err();
        assert_eq!(e.kind, "illegal_state_exception");
        assert_eq!(
            e.reason,
            "Pipeline processor configured for non-existent pipeline [legal-department]"
        );
    }

    #[test]
    fn terminate_stops_only_the_current_pipeline() {
        let ctx = context();
        add(
            &ctx,
            "inner",
            r#"{"processors": [
            {"append": {"field": "steps", "value": "before"}},
            {"terminate": {}},
            {"append": {"field": "steps", "value": "after"}}
        ]}"#,
        );
        let outer = add(
            &ctx,
            "outer",
            r#"{"processors": [
            {"pipeline": {"name": "inner"}},
            {"append": {"field": "steps", "value": "outer"}}
        ]}"#,
        );
        let (result, doc) = run(&outer, r#"{"steps": []}"#);
        result.unwrap();
        assert_eq!(source(&doc), r#"{"steps":["before","outer"]}"#);
    }

    /// `reroute` sets a flag that is never reset (IngestDocument.reroute):
    /// CompoundProcessor stops before the next processor of every pipeline
    /// the document is in, the calling one included.
    #[test]
    fn reroute_stops_the_calling_pipeline_too() {
        let ctx = context();
        add(
            &ctx,
            "inner",
            r#"{"processors": [
            {"append": {"field": "steps", "value": "before"}},
            {"reroute": {"destination": "elsewhere"}},
            {"append": {"field": "steps", "value": "after"}}
        ]}"#,
        );
        let outer = add(
            &ctx,
            "outer",
            r#"{"processors": [
            {"pipeline": {"name": "inner"}},
            {"append": {"field": "steps", "value": "outer"}}
        ]}"#,
        );
        let (result, doc) = run(&outer, r#"{"steps": []}"#);
        result.unwrap();
        assert_eq!(source(&doc), r#"{"steps":["before"]}"#);
    }

    #[test]
    fn terminate_does_not_stop_a_handler_list() {
        let ctx = context();
        let p = add(
            &ctx,
            "p",
            r#"{"processors": [
            {"fail": {"message": "x", "on_failure": [{"terminate": {}}, {"set": {"field": "handler", "value": 2}}]}},
            {"set": {"field": "after", "value": 3}}
        ]}"#,
        );
        let (result, doc) = run(&p, "{}");
        result.unwrap();
        assert_eq!(source(&doc), r#"{"handler":2}"#);
    }

    /// After a reroute or `terminate` in a handler list, a later handler
    /// with its own `on_failure` or `ignore_failure` is a CompoundProcessor
    /// of its own (ConfigurationUtils.readProcessor) whose `innerExecute`
    /// checks the flags first, so it does nothing; plain handlers still run
    /// (CompoundProcessor.executeOnFailure has no check).
    #[test]
    fn a_stopped_document_skips_handlers_that_have_their_own_failure_handling() {
        let ctx = context();
        for stop in [r#"{"reroute": {"destination": "elsewhere"}}"#, r#"{"terminate": {}}"#] {
            let p = add(
                &ctx,
                "p",
                &format!(
                    r#"{{"processors": [
                {{"fail": {{"message": "x", "on_failure": [
                    {stop},
                    {{"set": {{"field": "with_on_failure", "value": 1, "on_failure": [{{"set": {{"field": "h", "value": 1}}}}]}}}},
                    {{"set": {{"field": "ignoring_failure", "value": 1, "ignore_failure": true}}}},
                    {{"set": {{"field": "conditional", "value": 1, "if": "true", "ignore_failure": true}}}},
                    {{"set": {{"field": "plain", "value": 1}}}},
                    {{"set": {{"field": "plain_conditional", "value": 1, "if": "true"}}}}
                ]}}}},
                {{"set": {{"field": "after", "value": 1}}}}
            ]}}"#
                ),
            );
            let (result, doc) = run(&p, "{}");
            result.unwrap();
            assert_eq!(source(&doc), r#"{"plain":1,"plain_conditional":1}"#, "{stop}");
        }
    }

    /// The same holds for the processor `foreach` runs: once an element's
    /// run rerouted the document, a wrapped inner processor does nothing.
    #[test]
    fn a_stopped_document_skips_a_wrapped_foreach_processor() {
        let ctx = context();
        let p = add(
            &ctx,
            "p",
            r#"{"processors": [
            {"fail": {"message": "x", "on_failure": [
                {"reroute": {"destination": "elsewhere"}},
                {"foreach": {"field": "list", "processor": {"uppercase": {"field": "_ingest._value", "ignore_failure": true}}}},
                {"foreach": {"field": "other", "processor": {"uppercase": {"field": "_ingest._value"}}}}
            ]}}
        ]}"#,
        );
        let (result, doc) = run(&p, r#"{"list": ["a"], "other": ["b"]}"#);
        result.unwrap();
        assert_eq!(source(&doc), r#"{"list":["a"],"other":["B"]}"#);
    }

    #[test]
    fn drop_in_a_nested_pipeline_drops_the_document() {
        let ctx = context();
        add(&ctx, "inner", r#"{"processors": [{"drop": {}}]}"#);
        let p = add(
            &ctx,
            "outer",
            r#"{"processors": [{"pipeline": {"name": "inner"}}, {"set": {"field": "a", "value": 1}}]}"#,
        );
        assert_eq!(run(&p, "{}").0.unwrap(), Outcome::Dropped);
    }

    #[test]
    fn an_empty_nested_pipeline_is_skipped_even_in_a_cycle() {
        let ctx = context();
        add(&ctx, "empty", r#"{"processors": []}"#);
        let p = add(
            &ctx,
            "p",
            r#"{"processors": [{"pipeline": {"name": "empty"}}, {"set": {"field": "p", "value": "{{_ingest.pipeline}}"}}]}"#,
        );
        let (result, doc) = run(&p, "{}");
        result.unwrap();
        assert_eq!(source(&doc), r#"{"p":"p"}"#);
    }

    #[test]
    fn foreach_failures_are_reported_as_foreach() {
        let ctx = context();
        let p = add(
            &ctx,
            "p",
            r#"{"processors": [
            {"foreach": {"tag": "loop", "field": "l", "processor": {"uppercase": {"field": "_ingest._value"}}}}
        ], "on_failure": [{"set": {"field": "t", "value": "{{_ingest.on_failure_processor_type}}/{{_ingest.on_failure_processor_tag}}"}}]}"#,
        );
        let (result, doc) = run(&p, r#"{"l": [1]}"#);
        result.unwrap();
        assert_eq!(source(&doc), r#"{"l":[1],"t":"foreach/loop"}"#);
    }

    #[test]
    fn nested_processor_on_failures_as_in_the_rest_tests() {
        let ctx = context();
        let p = add(
            &ctx,
            "p",
            r#"{"processors": [
            {"rename": {"field": "foofield", "target_field": "field1", "on_failure": [
                {"set": {"field": "foofield", "value": "exists"}},
                {"rename": {"field": "foofield2", "target_field": "field1", "on_failure": [
                    {"set": {"field": "foofield2", "value": "ran"}}
                ]}}
            ]}}
        ]}"#,
        );
        let (result, doc) = run(&p, r#"{"field1": "value1"}"#);
        result.unwrap();
        assert_eq!(
            source(&doc),
            r#"{"field1":"value1","foofield":"exists","foofield2":"ran"}"#
        );
    }

    #[test]
    fn empty_on_failure_lists_are_refused() {
        let ctx = context();
        let load = |json: &str| {
            Pipeline::from_value("my_pipeline", &Value::from_json_str(json).unwrap(), &ctx)
                .unwrap_err()
        };
        let e = load(r#"{"processors": [{"set": {"field": "a", "value": 1}}], "on_failure": []}"#);
        assert_eq!(
            e.reason,
            "pipeline [my_pipeline] cannot have an empty on_failure option defined"
        );
        let e = load(
            r#"{"processors": [{"fail": {"message": "m", "on_failure": [], "tag": "emptyfail"}}]}"#,
        );
        assert_eq!(e.reason, "[on_failure] processors list cannot be empty");
        assert_eq!(
            e.extra.get("processor_tag"),
            Some(&Value::from("emptyfail"))
        );
        assert_eq!(
            e.extra.get("property_name"),
            Some(&Value::from("on_failure"))
        );
    }

    #[test]
    fn mutate_processors_as_in_the_rest_tests() {
        let ctx = context();
        let p = add(
            &ctx,
            "p",
            r#"{"processors": [
            {"set": {"field": "new_field", "value": "new_value"}},
            {"append": {"field": "new_field", "value": ["item2", "item3", "item4"]}},
            {"rename": {"field": "field_to_rename", "target_field": "renamed_field"}},
            {"remove": {"field": "field_to_remove"}},
            {"lowercase": {"field": "field_to_lowercase"}},
            {"uppercase": {"field": "field_to_uppercase"}},
            {"trim": {"field": "field_to_trim"}},
            {"split": {"field": "field_to_split", "separator": "-"}},
            {"join": {"field": "field_to_join", "separator": "-"}},
            {"convert": {"field": "field_to_convert", "type": "integer"}},
            {"gsub": {"field": "field_to_gsub", "pattern": "-", "replacement": "."}},
            {"html_strip": {"field": "field_to_html_strip"}}
        ]}"#,
        );
        let (result, doc) = run(
            &p,
            r#"{
            "field_to_rename": "value", "field_to_remove": "old_value", "field_to_lowercase": "LOWERCASE",
            "field_to_uppercase": "uppercase", "field_to_trim": "   trimmed   ", "field_to_split": "127-0-0-1",
            "field_to_join": ["127","0","0","1"], "field_to_convert": ["127","0","0","1"], "field_to_gsub": "127-0-0-1",
            "field_to_html_strip": "<p>this <title>is</title> a <b>test</b>"}"#,
        );
        result.unwrap();
        let Value::Map(out) = Value::from_json_str(&source(&doc)).unwrap() else {
            panic!()
        };
        let field = |k: &str| out.get(k).map(Value::to_json).unwrap_or_default();
        assert!(!out.contains_key("field_to_rename") && !out.contains_key("field_to_remove"));
        assert_eq!(
            field("new_field"),
            r#"["new_value","item2","item3","item4"]"#
        );
        assert_eq!(field("renamed_field"), r#""value""#);
        assert_eq!(field("field_to_lowercase"), r#""lowercase""#);
        assert_eq!(field("field_to_uppercase"), r#""UPPERCASE""#);
        assert_eq!(field("field_to_trim"), r#""trimmed""#);
        assert_eq!(field("field_to_split"), r#"["127","0","0","1"]"#);
        assert_eq!(field("field_to_join"), r#""127-0-0-1""#);
        assert_eq!(field("field_to_convert"), "[127,0,0,1]");
        assert_eq!(field("field_to_gsub"), r#""127.0.0.1""#);
        assert_eq!(field("field_to_html_strip"), r#""\nthis \nis\n a test""#);
    }

    #[test]
    fn processors_never_panic_on_odd_values() {
        let ctx = context();
        let configs = [
            r#"{"lowercase": {"field": "f"}}"#,
            r#"{"uppercase": {"field": "f", "target_field": "f.g"}}"#,
            r#"{"trim": {"field": "f"}}"#,
            r#"{"urldecode": {"field": "f"}}"#,
            r#"{"html_strip": {"field": "f"}}"#,
            r#"{"bytes": {"field": "f"}}"#,
            r#"{"gsub": {"field": "f", "pattern": "(a)|", "replacement": "$1$0"}}"#,
            r#"{"split": {"field": "f", "separator": ""}}"#,
            r#"{"join": {"field": "f", "separator": ","}}"#,
            r#"{"convert": {"field": "f", "type": "auto"}}"#,
            r#"{"convert": {"field": "f", "type": "ip"}}"#,
            r#"{"convert": {"field": "f", "type": "float", "target_field": "f.0"}}"#,
            r#"{"json": {"field": "f"}}"#,
            r#"{"json": {"field": "f", "add_to_root": true, "add_to_root_conflict_strategy": "merge"}}"#,
            r#"{"rename": {"field": "f", "target_field": "f.x"}}"#,
            r#"{"rename": {"field": "f.0", "target_field": "g.1"}}"#,
            r#"{"remove": {"field": ["f.0", "f.a.b"], "ignore_missing": true}}"#,
            r#"{"remove": {"keep": "f.a"}}"#,
            r#"{"foreach": {"field": "f", "processor": {"append": {"field": "_ingest._value", "value": "{{_ingest._key}}"}}}}"#,
            r#"{"dot_expander": {"field": "*", "path": "f"}}"#,
            r#"{"sort": {"field": "f", "order": "desc"}}"#,
            r#"{"append": {"field": "f.0", "copy_from": "f", "allow_duplicates": false}}"#,
            r#"{"set": {"field": "{{f}}", "copy_from": "f"}}"#,
            r#"{"fail": {"message": "{{#toJson}}f{{/toJson}}"}}"#,
        ];
        let values = [
            "null",
            "true",
            "1",
            "12345678901",
            "1.5",
            "-0.0",
            r#""""#,
            r#""a,b""#,
            r#""1.5kb""#,
            r#""{\"a\":[1]}""#,
            r#""%zz""#,
            r#""<p>x""#,
            "[]",
            r#"[1, "a", 2.5]"#,
            "[null]",
            r#"[["x"]]"#,
            r#"{"a": {"b": 1}, "c.d": 2}"#,
            "{}",
        ];
        for (i, config) in configs.iter().enumerate() {
            let p = add(
                &ctx,
                &format!("p{i}"),
                &format!(r#"{{"processors": [{config}]}}"#),
            );
            for value in values {
                let _ = run(&p, &format!(r#"{{"f": {value}}}"#));
            }
        }
    }

    #[test]
    fn a_missing_pipeline_in_a_verbose_run_is_an_illegal_argument() {
        let ctx = context();
        let p = add(
            &ctx,
            "p",
            r#"{"processors": [{"pipeline": {"name": "nope"}}]}"#,
        );
        let mut doc = IngestDocument::new(crate::value::Map::default());
        let mut run = RunContext::tracing(true);
        let e = p.execute(&mut doc, &mut run).unwrap_err();
        assert_eq!(e.kind, "illegal_argument_exception");
        let p = add(
            &ctx,
            "q",
            r#"{"processors": [{"pipeline": {"name": "nope", "ignore_missing_pipeline": true}}, {"set": {"field": "a", "value": 1}}]}"#,
        );
        let mut run = RunContext::tracing(true);
        p.execute(&mut doc, &mut run).unwrap();
        let trace = run.trace.unwrap();
        assert_eq!(trace[0].status, TraceStatus::ErrorIgnored);
        assert_eq!(
            trace[0].error.as_ref().map(|e| e.kind.as_str()),
            Some("illegal_argument_exception")
        );
        assert_eq!(trace[1].status, TraceStatus::Success);
        // Without a verbose trace it is an illegal state, or nothing at all.
        let mut run = RunContext::tracing(false);
        p.execute(&mut doc, &mut run).unwrap();
        assert_eq!(run.trace.unwrap()[0].status, TraceStatus::Success);
    }

    #[test]
    fn a_template_that_does_not_compile_names_its_processor_and_option() {
        let ctx = context();
        let e = Pipeline::from_value(
            "p",
            &Value::from_json_str(
                r#"{"processors": [{"set": {"tag": "t", "field": "{{#a}}", "value": 1}}]}"#,
            )
            .unwrap(),
            &ctx,
        )
        .unwrap_err();
        assert_eq!(e.kind, "general_script_exception");
        assert_eq!(
            e.reason,
            "Failed to compile inline script [{{#a}}] using lang [mustache]"
        );
        assert_eq!(e.extra.get("processor_type"), Some(&Value::from("set")));
        assert_eq!(e.extra.get("processor_tag"), Some(&Value::from("t")));
        assert_eq!(e.extra.get("property_name"), Some(&Value::from("field")));
    }

    #[test]
    fn nesting_is_limited_to_a_hundred_pipelines() {
        let ctx = context();
        for i in 0..=MAX_NESTED_PIPELINES {
            let next = i + 1;
            add(
                &ctx,
                &format!("p{i}"),
                &format!(r#"{{"processors": [{{"pipeline": {{"name": "p{next}"}}}}]}}"#),
            );
        }
        add(
            &ctx,
            &format!("p{}", MAX_NESTED_PIPELINES + 1),
            r#"{"processors": [{"set": {"field": "deep", "value": true}}]}"#,
        );
        let start = ctx.registry.get("p0", &ctx).unwrap().unwrap();
        let e = run(&start, "{}").0.unwrap_err();
        assert_eq!(e.kind, "graph_structure_exception");
        assert_eq!(
            e.reason,
            "Too many nested pipelines. Cannot have more than 100 nested pipelines"
        );
        // One level less fits.
        let start = ctx.registry.get("p2", &ctx).unwrap().unwrap();
        let (result, doc) = run(&start, "{}");
        result.unwrap();
        assert_eq!(source(&doc), r#"{"deep":true}"#);
    }
}

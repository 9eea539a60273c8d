//! The `_simulate` API as Elasticsearch answers it.
//!
//! Mirrors `SimulatePipelineRequest` (parsing the body), `SimulateExecutionService`
//! (running each document, verbose or not) and the `toXContent` of
//! `SimulatePipelineResponse`, `SimulateDocumentBaseResult`,
//! `SimulateDocumentVerboseResult`, `SimulateProcessorResult` and
//! `WriteableIngestDocument` (rendering the response). The streaming entry
//! point [`simulate_ndjson`] runs the same per-document code over NDJSON.

use crate::document::{IngestDocument, METADATA_KEYS};
use crate::error::EsError;
use crate::pipeline::exec::{TraceEntry, TraceStatus};
use crate::pipeline::{BuildContext, Outcome, Pipeline, RunContext};
use crate::value::{java_hash_spread, Map, Value};
use std::io::{self, BufRead, Write};
use std::sync::Arc;
use std::time::SystemTime;

mod parallel;

/// The id Elasticsearch gives a pipeline defined inline in the request body.
pub const SIMULATED_PIPELINE_ID: &str = "_simulate_pipeline";

/// `Versions.MATCH_ANY`: the `_version` of a document that names none.
pub const MATCH_ANY_VERSION: i64 = -3;

/// A parsed request: the pipeline to run and the documents to run it on.
#[derive(Debug)]
pub struct SimulateRequest {
    pub pipeline: Arc<Pipeline>,
    pub docs: Vec<IngestDocument>,
    pub verbose: bool,
}

/// Parses a request body as `POST _ingest/pipeline/_simulate` does, or, with
/// `pipeline_id`, as `POST _ingest/pipeline/<id>/_simulate` does (the id is
/// looked up in the context's registry and the body's `pipeline` is ignored).
pub fn parse_request(
    body: &Value,
    pipeline_id: Option<&str>,
    verbose: bool,
    ctx: &BuildContext,
) -> Result<SimulateRequest, EsError> {
    let config = body.as_map().ok_or_else(|| EsError::parse("request body is required"))?;
    let pipeline = match pipeline_id {
        Some(id) => ctx
            .registry
            .get(id, ctx)?
            .ok_or_else(|| EsError::illegal_argument(format!("pipeline [{id}] does not exist")))?,
        None => {
            let definition = match config.get("pipeline") {
                None | Some(Value::Null) => return Err(config_error("pipeline", "required property is missing")),
                Some(v @ Value::Map(_)) => v,
                Some(other) => {
                    return Err(config_error(
                        "pipeline",
                        &format!("property isn't a map, but of type [{}]", other.java_class()),
                    ))
                }
            };
            Arc::new(Pipeline::from_value(SIMULATED_PIPELINE_ID, definition, ctx)?)
        }
    };
    let docs = parse_docs(config)?;
    Ok(SimulateRequest { pipeline, docs, verbose })
}

/// `ConfigurationUtils.newConfigurationException` without processor type or tag.
fn config_error(property: &str, message: &str) -> EsError {
    EsError::parse(format!("[{property}] {message}")).with("property_name", property)
}

fn parse_docs(config: &Map) -> Result<Vec<IngestDocument>, EsError> {
    let docs = match config.get("docs") {
        None | Some(Value::Null) => return Err(config_error("docs", "required property is missing")),
        Some(Value::List(items)) => items,
        Some(other) => {
            return Err(config_error("docs", &format!("property isn't a list, but of type [{}]", other.java_class())))
        }
    };
    if docs.is_empty() {
        return Err(EsError::illegal_argument("must specify at least one document in [docs]"));
    }
    docs.iter()
        .map(|entry| {
            let data = entry
                .as_map()
                .ok_or_else(|| EsError::illegal_argument("malformed [docs] section, should include an inner object"))?;
            parse_doc(data)
        })
        .collect()
}

fn parse_doc(data: &Map) -> Result<IngestDocument, EsError> {
    let source = match data.get("_source") {
        None | Some(Value::Null) => return Err(config_error("_source", "required property is missing")),
        Some(Value::Map(m)) => m.clone(),
        Some(other) => {
            return Err(config_error("_source", &format!("property isn't a map, but of type [{}]", other.java_class())))
        }
    };
    let index = string_or_int(data, "_index")?.unwrap_or_else(|| "_index".to_string());
    let id = string_or_int(data, "_id")?.unwrap_or_else(|| "_id".to_string());
    let mut metadata = Metadata { index, id, ..Metadata::default() };
    metadata.routing = string_or_int(data, "_routing")?;
    if data.contains_key("_version") {
        metadata.version = required_long(data, "_version")?;
    }
    if let Some(v) = data.get("_version_type") {
        let text = match v {
            Value::Null => return Err(config_error("_version_type", "required property is missing")),
            Value::String(s) => s.as_str(),
            other => {
                return Err(config_error(
                    "_version_type",
                    &format!("property isn't a string, but of type [{}]", other.java_class()),
                ))
            }
        };
        metadata.version_type = Some(version_type(text)?.to_string());
    }
    if data.contains_key("_if_seq_no") {
        metadata.if_seq_no = Some(required_long(data, "_if_seq_no")?);
    }
    if data.contains_key("_if_primary_term") {
        metadata.if_primary_term = Some(required_long(data, "_if_primary_term")?);
    }
    match data.get("_dynamic_templates") {
        None => {}
        Some(Value::Null) => return Err(config_error("_dynamic_templates", "required property is missing")),
        Some(Value::Map(m)) => metadata.dynamic_templates = Some(m.clone()),
        Some(other) => {
            return Err(config_error(
                "_dynamic_templates",
                &format!("property isn't a map, but of type [{}]", other.java_class()),
            ))
        }
    }
    Ok(metadata.document(source, SystemTime::now()))
}

/// `readStringOrIntProperty`: a string, or an `Integer` turned to text.
fn string_or_int(data: &Map, key: &str) -> Result<Option<String>, EsError> {
    match data.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Int(i)) => Ok(Some(i.to_string())),
        Some(other) => {
            Err(config_error(key, &format!("property isn't a string or int, but of type [{}]", other.java_class())))
        }
    }
}

/// `readOptionalStringOrLongProperty` then `Long.parseLong`; null is refused.
fn required_long(data: &Map, key: &str) -> Result<i64, EsError> {
    let text = match data.get(key) {
        None | Some(Value::Null) => return Err(EsError::illegal_argument(format!("[{key}] cannot be null"))),
        Some(Value::String(s)) => s.clone(),
        Some(v @ (Value::Int(_) | Value::Long(_))) => v.to_java_string(),
        Some(other) => {
            return Err(config_error(
                key,
                &format!("property isn't a string or long, but of type [{}]", other.java_class()),
            ))
        }
    };
    parse_java_long(&text)
        .ok_or_else(|| EsError::new("number_format_exception", format!("For input string: \"{text}\"")))
}

/// `Long.parseLong`: an optional sign and ASCII digits, nothing else.
fn parse_java_long(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `VersionType.fromString`, answering with `VersionType.toString`'s name.
fn version_type(text: &str) -> Result<&'static str, EsError> {
    match text {
        "internal" => Ok("internal"),
        "external" => Ok("external"),
        "external_gt" => Ok("external"),
        "external_gte" => Ok("external_gte"),
        other => Err(EsError::illegal_argument(format!("No version type match [{other}]"))),
    }
}

/// The metadata of a simulated document, with Elasticsearch's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    pub index: String,
    pub id: String,
    pub routing: Option<String>,
    pub version: i64,
    pub version_type: Option<String>,
    pub if_seq_no: Option<i64>,
    pub if_primary_term: Option<i64>,
    pub dynamic_templates: Option<Map>,
}

impl Default for Metadata {
    fn default() -> Metadata {
        Metadata {
            index: "_index".into(),
            id: "_id".into(),
            routing: None,
            version: MATCH_ANY_VERSION,
            version_type: None,
            if_seq_no: None,
            if_primary_term: None,
            dynamic_templates: None,
        }
    }
}

impl Metadata {
    /// The ingest document Elasticsearch builds: source and metadata in one
    /// map, `_ingest.timestamp` set to the time the document was created.
    pub fn document(&self, source: Map, now: SystemTime) -> IngestDocument {
        self.document_with_timestamp(source, ingest_timestamp(now))
    }

    /// Like [`document`](Self::document), with `_ingest.timestamp` given as
    /// [`ingest_timestamp`] prints it.
    pub fn document_with_timestamp(&self, source: Map, timestamp: String) -> IngestDocument {
        let mut ctx = source;
        ctx.reserve(3);
        ctx.insert("_index".into(), Value::from(self.index.as_str()));
        ctx.insert("_id".into(), Value::from(self.id.as_str()));
        ctx.insert("_version".into(), Value::Long(self.version));
        if let Some(r) = &self.routing {
            ctx.insert("_routing".into(), Value::from(r.as_str()));
        }
        if let Some(t) = &self.version_type {
            ctx.insert("_version_type".into(), Value::from(t.as_str()));
        }
        if let Some(n) = self.if_seq_no {
            ctx.insert("_if_seq_no".into(), Value::Long(n));
        }
        if let Some(n) = self.if_primary_term {
            ctx.insert("_if_primary_term".into(), Value::Long(n));
        }
        if let Some(m) = &self.dynamic_templates {
            ctx.insert("_dynamic_templates".into(), Value::Map(m.clone()));
        }
        let mut ingest = Map::default();
        ingest.insert("timestamp".into(), Value::String(timestamp));
        IngestDocument { ctx, ingest }
    }
}

/// `_ingest.timestamp`: `ZonedDateTime.now(ZoneOffset.UTC)` with nanosecond
/// precision. Elasticsearch prints it two ways: `ZonedDateTime.toString` (in
/// templates and scripts) drops trailing zero groups of the fraction, the
/// response's `strict_date_optional_time_nanos` drops trailing zeros down to
/// three digits. A fraction whose last digit is not zero prints nine digits
/// both ways, so the clock reading is nudged by at most 9 ns to get one and
/// the single string serves every use.
pub fn ingest_timestamp(now: SystemTime) -> String {
    TimestampClock::default().format(now)
}

/// Formats timestamps, keeping the date and time of the last second seen:
/// a stream of documents mostly shares it.
#[derive(Debug, Default)]
struct TimestampClock {
    second: Option<(u64, String)>,
}

impl TimestampClock {
    fn format(&mut self, now: SystemTime) -> String {
        let since_epoch = now.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
        let mut nanos = since_epoch.subsec_nanos();
        if nanos % 10 == 0 {
            nanos += 1;
        }
        let secs = since_epoch.as_secs();
        let prefix = match &self.second {
            Some((s, prefix)) if *s == secs => prefix,
            _ => {
                let date_time = i64::try_from(secs)
                    .ok()
                    .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                    .unwrap_or_default();
                let prefix = date_time.format("%Y-%m-%dT%H:%M:%S").to_string();
                &self.second.insert((secs, prefix)).1
            }
        };
        let mut out = String::with_capacity(prefix.len() + 11);
        out.push_str(prefix);
        out.push('.');
        let mut digits = [b'0'; 9];
        for d in digits.iter_mut().rev() {
            *d = b'0' + (nanos % 10) as u8;
            nanos /= 10;
        }
        out.push_str(std::str::from_utf8(&digits).unwrap_or_default());
        out.push('Z');
        out
    }
}

// ---------------------------------------------------------------------------
// Running documents

/// Runs every document of the request and renders the response body.
pub fn execute(request: &SimulateRequest) -> Value {
    let docs = request
        .docs
        .iter()
        .map(|doc| {
            if request.verbose {
                simulate_verbose(&request.pipeline, doc.clone())
            } else {
                simulate_document(&request.pipeline, doc.clone())
            }
        })
        .collect();
    let mut body = Map::default();
    body.insert("docs".into(), Value::List(docs));
    Value::Map(body)
}

/// What a pipeline did to one document, before rendering.
#[derive(Debug)]
pub enum DocResult {
    Kept(IngestDocument),
    Dropped,
    Failed(EsError),
}

pub fn run_document(pipeline: &Pipeline, mut doc: IngestDocument) -> DocResult {
    match pipeline.execute(&mut doc, &mut RunContext::default()) {
        Ok(Outcome::Kept) => DocResult::Kept(doc),
        Ok(Outcome::Dropped) => DocResult::Dropped,
        Err(e) => DocResult::Failed(e),
    }
}

/// `SimulateDocumentBaseResult`: `{"doc": ...}`, `{"error": ...}` or `null`.
pub fn simulate_document(pipeline: &Pipeline, doc: IngestDocument) -> Value {
    match run_document(pipeline, doc) {
        DocResult::Kept(doc) => single("doc", document_value(&doc)),
        DocResult::Dropped => Value::Null,
        DocResult::Failed(e) => single("error", error_value(&e)),
    }
}

/// `SimulateDocumentVerboseResult`: `{"processor_results": [...]}`.
pub fn simulate_verbose(pipeline: &Pipeline, mut doc: IngestDocument) -> Value {
    let mut run = RunContext::tracing(true);
    // The outcome is told by the processor results: a failure is the last
    // result's error, a drop the last result's status.
    let _ = pipeline.execute(&mut doc, &mut run);
    let trace = elasticsearch_trace_order(run.trace.unwrap_or_default());
    let results = trace.iter().map(processor_result).collect();
    single("processor_results", Value::List(results))
}

/// Puts `pipeline` processor entries where `TrackingResultProcessor` puts
/// them. The run records a processor after it ran, so a `pipeline`
/// processor's entry follows the entries of the pipeline it called, and a
/// failure inside that pipeline is recorded again on the way out.
/// Elasticsearch records one `success` entry (without a document) before
/// the called pipeline's entries; when the call would close a cycle, its
/// up-front check leaves a single `error` entry instead.
fn elasticsearch_trace_order(entries: Vec<TraceEntry>) -> Vec<TraceEntry> {
    let mut out: Vec<TraceEntry> = Vec::with_capacity(entries.len());
    for mut entry in entries {
        if entry.processor_type != "pipeline" || entry.status == TraceStatus::Skipped {
            out.push(entry);
            continue;
        }
        // The called pipeline's entries: those since the last entry of the
        // pipeline this processor belongs to.
        let start = out.iter().rposition(|e| e.pipeline == entry.pipeline).map_or(0, |i| i + 1);
        if start == out.len() {
            if let Some(e) = entry.error.as_mut().filter(|e| e.reason.starts_with(MISSING_PIPELINE)) {
                // `PipelineProcessor` throws an `IllegalStateException`, but
                // verbose simulate looks the pipeline up itself and reports
                // an `IllegalArgumentException`.
                e.kind = "illegal_argument_exception".to_string();
            }
            out.push(entry);
        } else if entry.error.as_ref().is_some_and(is_pipeline_graph_error) {
            out.truncate(start);
            out.push(entry);
        } else {
            entry.status = TraceStatus::Success;
            entry.error = None;
            entry.doc = None;
            out.insert(start, entry);
        }
    }
    out
}

const MISSING_PIPELINE: &str = "Pipeline processor configured for non-existent pipeline [";

/// The failures Elasticsearch's verbose simulate finds before running a
/// called pipeline (`GraphStructureException`).
fn is_pipeline_graph_error(e: &EsError) -> bool {
    let reason = &root_cause(e).reason;
    reason.starts_with("Cycle detected for pipeline: ") || reason.starts_with("Too many nested pipelines")
}

fn single(key: &str, value: Value) -> Value {
    let mut m = Map::default();
    m.insert(key.to_string(), value);
    Value::Map(m)
}

/// `SimulateProcessorResult.toXContent`: `processor_type`, `status`,
/// `description`, `tag`, `if`, then the error (`ignored_error` when the
/// failure was ignored) and the document after the processor.
pub fn processor_result(entry: &TraceEntry) -> Value {
    let mut m = Map::default();
    m.insert("processor_type".into(), Value::from(entry.processor_type));
    m.insert("status".into(), Value::from(entry.status.as_str()));
    if let Some(d) = &entry.description {
        m.insert("description".into(), Value::from(d.as_str()));
    }
    if let Some(t) = &entry.tag {
        m.insert("tag".into(), Value::from(t.as_str()));
    }
    if let Some((condition, result)) = &entry.condition {
        let mut c = Map::default();
        c.insert("condition".into(), Value::from(condition.as_str()));
        c.insert("result".into(), Value::Bool(*result));
        m.insert("if".into(), Value::Map(c));
    }
    // Elasticsearch keeps the document only for a success (other than the
    // `pipeline` processor's own entry) and for an ignored failure.
    let keeps_doc = match entry.status {
        TraceStatus::Success => entry.processor_type != "pipeline",
        TraceStatus::ErrorIgnored => true,
        TraceStatus::Error | TraceStatus::Skipped | TraceStatus::Dropped => false,
    };
    if let Some(e) = &entry.error {
        if keeps_doc {
            m.insert("ignored_error".into(), single("error", error_value(e)));
        } else {
            m.insert("error".into(), error_value(e));
        }
    }
    if keeps_doc {
        if let Some(doc) = &entry.doc {
            m.insert("doc".into(), document_value(doc));
        }
    }
    Value::Map(m)
}

// ---------------------------------------------------------------------------
// Rendering

/// Metadata keys in the order `IngestDocument` puts them in its map.
const METADATA_INSERTION_ORDER: [&str; 8] = [
    "_index",
    "_id",
    "_version",
    "_routing",
    "_version_type",
    "_if_seq_no",
    "_if_primary_term",
    "_dynamic_templates",
];

/// `WriteableIngestDocument.toXContent`: metadata as strings (`_version`
/// is `"-3"`), `_source` without metadata, then `_ingest`. The `_source`
/// keeps the document's own key order: Elasticsearch's is that of Java
/// `HashMap` copies, which depends on each map's history, and no reader of
/// JSON depends on it.
pub fn document_value(doc: &IngestDocument) -> Value {
    let mut m = Map::default();
    for key in metadata_print_order(doc) {
        match doc.ctx.get(key) {
            None | Some(Value::Null) => {}
            Some(v) => {
                m.insert(key.to_string(), Value::String(v.to_java_string()));
            }
        }
    }
    m.insert("_source".into(), Value::Map(doc.source()));
    m.insert("_ingest".into(), Value::Map(java_hash_ordered(&doc.ingest)));
    Value::Map(m)
}

/// The order metadata prints in. The response renders a copy of the
/// document whose metadata map is `new HashMap<>(original)`: sized for its
/// entries (JDK 19+: the power of two at least `ceil(n / 0.75)`), so keys
/// come in bucket order of that table, ties in the original's order (a
/// 16-bucket table filled in insertion order). Three keys give `_index`,
/// `_version`, `_id`, the order Elasticsearch's responses show.
fn metadata_print_order(doc: &IngestDocument) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> =
        METADATA_INSERTION_ORDER.iter().copied().filter(|k| doc.ctx.contains_key(*k)).collect();
    let table = ((keys.len() * 4).div_ceil(3)).max(1).next_power_of_two();
    let original_position = |k: &str| METADATA_INSERTION_ORDER.iter().position(|m| *m == k).unwrap_or(usize::MAX);
    keys.sort_by_key(|k| {
        let h = java_hash_spread(k) as usize;
        (h & (table - 1), h & 15, original_position(k))
    });
    keys
}

/// `_ingest` as the response prints it: a `deepCopy` of the document's
/// `HashMap`, made with `Maps.newMapWithExpectedSize(n)`, so in bucket order
/// of a table sized for its entries, ties in the original 16-bucket order.
fn java_hash_ordered(map: &Map) -> Map {
    let n = map.len();
    let capacity = if n < 2 { n + 1 } else { (n as f64 / 0.75 + 1.0) as usize };
    let table = capacity.max(1).next_power_of_two();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| {
        let h = map.get_index(i).map_or(0, |(k, _)| java_hash_spread(k)) as usize;
        (h & (table - 1), h & 15, i)
    });
    order.into_iter().filter_map(|i| map.get_index(i)).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Positions of `keys` in the order a default `java.util.HashMap` would
/// iterate them after inserting them in order.
fn java_hash_order<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let hashes: Vec<u32> = keys.map(java_hash_spread).collect();
    let mut capacity = 16usize;
    while hashes.len() * 4 > capacity * 3 {
        capacity *= 2;
    }
    let mut order: Vec<usize> = (0..hashes.len()).collect();
    order.sort_by_key(|&i| hashes[i] as usize & (capacity - 1));
    order
}

/// Exception names of `ElasticsearchException` subclasses. The root cause
/// Elasticsearch reports descends through causes only while they are of
/// these kinds; a plain Java exception ends the walk.
const ELASTICSEARCH_EXCEPTIONS: &[&str] = &[
    "exception",
    "parse_exception",
    "script_exception",
    "general_script_exception",
    "resource_not_found_exception",
    "ingest_processor_exception",
    "status_exception",
    "version_conflict_engine_exception",
    "security_exception",
    "illegal_index_shard_state_exception",
    "graph_structure_exception",
];

fn is_elasticsearch_exception(e: &EsError) -> bool {
    ELASTICSEARCH_EXCEPTIONS.contains(&e.kind.as_str())
}

/// `ElasticsearchException.guessRootCauses`.
pub fn root_cause(e: &EsError) -> &EsError {
    let mut current = e;
    if !is_elasticsearch_exception(current) {
        return current;
    }
    while let Some(cause) = current.caused_by.as_deref() {
        if !is_elasticsearch_exception(cause) {
            break;
        }
        current = cause;
    }
    current
}

/// Fields a `ScriptException` prints after the metadata, in this order.
const SCRIPT_FIELDS: [&str; 4] = ["script_stack", "script", "lang", "position"];

/// `type`, `reason`, the `es.*` metadata (a `HashMap`, so in bucket order),
/// the exception's own fields, then `caused_by` when wanted.
fn exception_body(e: &EsError, with_cause: bool) -> Map {
    let mut m = Map::default();
    m.insert("type".into(), Value::from(e.kind.as_str()));
    m.insert("reason".into(), Value::from(e.reason.as_str()));
    let metadata: Vec<(&String, &Value)> =
        e.extra.iter().filter(|(k, _)| !SCRIPT_FIELDS.contains(&k.as_str()) && k.as_str() != "suppressed").collect();
    let prefixed: Vec<String> = metadata.iter().map(|(k, _)| format!("es.{k}")).collect();
    for i in java_hash_order(prefixed.iter().map(String::as_str)) {
        let (k, v) = metadata[i];
        m.insert(k.clone(), v.clone());
    }
    for key in SCRIPT_FIELDS {
        if let Some(v) = e.extra.get(key) {
            m.insert(key.to_string(), v.clone());
        }
    }
    if with_cause {
        if let Some(c) = &e.caused_by {
            m.insert("caused_by".into(), Value::Map(exception_body(c, true)));
        }
    }
    // `Throwable.getSuppressed()`, which Elasticsearch writes after the cause
    if let Some(suppressed) = e.extra.get("suppressed") {
        m.insert("suppressed".into(), suppressed.clone());
    }
    m
}

/// The object `ElasticsearchException.generateFailureXContent` writes under
/// `error`: `root_cause` first, then the exception itself.
pub fn error_value(e: &EsError) -> Value {
    let mut m = Map::default();
    let root = exception_body(root_cause(e), false);
    m.insert("root_cause".into(), Value::List(vec![Value::Map(root)]));
    m.extend(exception_body(e, true));
    Value::Map(m)
}

/// The whole response to a refused request: `{"error": ..., "status": 400}`.
pub fn error_response(e: &EsError) -> Value {
    let mut m = Map::default();
    m.insert("error".into(), error_value(e));
    m.insert("status".into(), Value::Int(400));
    Value::Map(m)
}

// ---------------------------------------------------------------------------
// Streaming

/// Counts of a streaming run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamCounts {
    /// Input records (non-blank lines).
    pub input: u64,
    /// Documents written out.
    pub output: u64,
    pub dropped: u64,
    /// Documents the pipeline failed on.
    pub failed: u64,
    /// Lines that were not a JSON object.
    pub malformed: u64,
}

impl StreamCounts {
    fn add(&mut self, other: &StreamCounts) {
        self.input += other.input;
        self.output += other.output;
        self.dropped += other.dropped;
        self.failed += other.failed;
        self.malformed += other.malformed;
    }
}

/// A line that could not be read as a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Malformed {
    pub line: u64,
    pub message: String,
}

/// Runs the pipeline over NDJSON, one `_source` object a line, writing one
/// line for each: the resulting `_source`, `{"error": ...}` as the simulate
/// API reports a failure, or `null` for a dropped document. Blank lines are
/// skipped. Reads and writes a line at a time, so memory does not grow with
/// the input. `on_malformed` hears about each line that is not a JSON object
/// (its output line is an error naming the line).
pub fn simulate_ndjson<R: BufRead, W: Write>(
    pipeline: &Pipeline,
    mut input: R,
    mut output: W,
    mut on_malformed: impl FnMut(&Malformed),
) -> io::Result<StreamCounts> {
    let mut runner = LineRunner::new(pipeline);
    let mut counts = StreamCounts::default();
    let mut raw = Vec::new();
    let mut out = String::new();
    let mut line_no = 0u64;
    loop {
        raw.clear();
        if input.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        line_no += 1;
        out.clear();
        if let Some(m) = runner.run_line(&raw, line_no, &mut out, &mut counts) {
            on_malformed(&m);
        }
        output.write_all(out.as_bytes())?;
    }
    output.flush()?;
    Ok(counts)
}

/// Like [`simulate_ndjson`], with the documents run on `threads` worker
/// threads, as Elasticsearch runs ingest on many. Lines go to the workers in
/// chunks and the results are written in input order, so the output bytes,
/// the counts and the order `on_malformed` hears in are those of
/// [`simulate_ndjson`] (which `threads <= 1` runs). A bounded number of
/// chunks is in flight, so memory does not grow with the input.
pub fn simulate_ndjson_parallel<R: BufRead, W: Write>(
    pipeline: &Pipeline,
    input: R,
    output: W,
    threads: usize,
    on_malformed: impl FnMut(&Malformed),
) -> io::Result<StreamCounts> {
    if threads <= 1 {
        return simulate_ndjson(pipeline, input, output, on_malformed);
    }
    parallel::run(pipeline, input, output, threads, on_malformed)
}

/// The threads to run on when none are asked for: one per available core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Turns input lines into output lines. Each thread has its own: the clock
/// remembers the last second it formatted.
struct LineRunner<'p> {
    pipeline: &'p Pipeline,
    metadata: Metadata,
    clock: TimestampClock,
}

impl<'p> LineRunner<'p> {
    fn new(pipeline: &'p Pipeline) -> LineRunner<'p> {
        LineRunner { pipeline, metadata: Metadata::default(), clock: TimestampClock::default() }
    }

    /// Appends the output line (newline included) for the input line `raw`
    /// (as `read_until` gives it) to `out` and counts it; a blank line gives
    /// nothing. A line that is not a JSON object is also returned.
    fn run_line(&mut self, raw: &[u8], line_no: u64, out: &mut String, counts: &mut StreamCounts) -> Option<Malformed> {
        let line = trim_line_end(raw);
        if line.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        counts.input += 1;
        let mut malformed = None;
        match parse_source_line(line) {
            Err(message) => {
                counts.malformed += 1;
                let m = Malformed { line: line_no, message: format!("line {line_no}: {message}") };
                crate::value::write_json(&single("error", error_value(&EsError::parse(m.message.clone()))), out);
                malformed = Some(m);
            }
            Ok(source) => {
                let timestamp = self.clock.format(SystemTime::now());
                match run_document(self.pipeline, self.metadata.document_with_timestamp(source, timestamp)) {
                    DocResult::Kept(doc) => {
                        counts.output += 1;
                        write_source_json(&doc, out);
                    }
                    DocResult::Dropped => {
                        counts.dropped += 1;
                        out.push_str("null");
                    }
                    DocResult::Failed(e) => {
                        counts.failed += 1;
                        crate::value::write_json(&single("error", error_value(&e)), out);
                    }
                }
            }
        }
        out.push('\n');
        malformed
    }
}

/// `_source` as compact JSON, written straight from the document's map
/// (skipping metadata) rather than from a filtered copy.
fn write_source_json(doc: &IngestDocument, out: &mut String) {
    let mut first = true;
    for (k, v) in &doc.ctx {
        // Every metadata key starts with `_`; most fields do not.
        if k.starts_with('_') && METADATA_KEYS.contains(&k.as_str()) {
            continue;
        }
        crate::value::write_json_member_name(first, k, out);
        first = false;
        crate::value::write_json_element(v, out);
    }
    out.push_str(if first { "{}" } else { "}" });
}

fn trim_line_end(raw: &[u8]) -> &[u8] {
    let mut end = raw.len();
    while end > 0 && (raw[end - 1] == b'\n' || raw[end - 1] == b'\r') {
        end -= 1;
    }
    &raw[..end]
}

fn parse_source_line(line: &[u8]) -> Result<Map, String> {
    let text = std::str::from_utf8(line).map_err(|e| format!("not valid UTF-8: {e}"))?;
    match Value::from_json_str(text) {
        Ok(Value::Map(m)) => Ok(m),
        Ok(other) => Err(format!("expected a JSON object, found [{}]", other.java_class())),
        Err(e) => {
            let message = e.to_string();
            let cause = message.rsplit_once(" at line ").map_or(message.as_str(), |(cause, _)| cause);
            Err(format!("invalid JSON at column {}: {cause}", e.column()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        Value::from_json_str(text).unwrap()
    }

    fn pipeline(text: &str) -> Pipeline {
        Pipeline::from_value(SIMULATED_PIPELINE_ID, &json(text), &BuildContext::default()).unwrap()
    }

    /// A `_simulate` body's integers beyond a long, in the pipeline and in
    /// the documents, are BigIntegers Elasticsearch writes back whole.
    #[test]
    fn request_integers_beyond_a_long_stay_whole() {
        let req = json(
            r#"{"pipeline":{"processors":[{"set":{"field":"s","value":-99999999999999999999}}]},"docs":[{"_source":{"a":18446744073709551616}}]}"#,
        );
        let req = parse_request(&req, None, false, &BuildContext::default()).unwrap();
        let text = execute(&req).to_json();
        assert!(text.contains(r#""_source":{"a":18446744073709551616,"s":-99999999999999999999}"#), "{text}");
    }

    #[test]
    fn timestamps_print_nine_fraction_digits() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::new(1_700_000_000, 123_000_000);
        assert_eq!(ingest_timestamp(t), "2023-11-14T22:13:20.123000001Z");
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::new(0, 5);
        assert_eq!(ingest_timestamp(t), "1970-01-01T00:00:00.000000005Z");
    }

    #[test]
    fn java_hash_order_matches_hashmap_iteration() {
        let keys = ["timestamp", "pipeline"];
        let order: Vec<&str> = java_hash_order(keys.iter().copied()).into_iter().map(|i| keys[i]).collect();
        assert_eq!(order, ["pipeline", "timestamp"]);
        let keys = ["es.processor_type", "es.processor_tag", "es.property_name"];
        let order: Vec<&str> = java_hash_order(keys.iter().copied()).into_iter().map(|i| keys[i]).collect();
        assert_eq!(order, ["es.property_name", "es.processor_type", "es.processor_tag"]);
    }

    #[test]
    fn document_defaults_and_metadata_strings() {
        let req = json(r#"{"pipeline":{"processors":[]},"docs":[{"_source":{"a":1},"_version":"7","_routing":5}]}"#);
        let req = parse_request(&req, None, false, &BuildContext::default()).unwrap();
        let mut doc = document_value(&req.docs[0]);
        let ingest = doc.as_map_mut().unwrap().shift_remove("_ingest").unwrap();
        assert!(ingest.as_map().unwrap().contains_key("timestamp"));
        // Four keys: an 8-bucket table.
        assert_eq!(
            doc.to_json(),
            r#"{"_routing":"5","_id":"_id","_index":"_index","_version":"7","_source":{"a":1}}"#
        );
    }

    #[test]
    fn request_errors_match_elasticsearch() {
        let ctx = BuildContext::default();
        let err = |body: &str| parse_request(&json(body), None, false, &ctx).unwrap_err();
        let e = err(r#"{"docs":[{"_source":{}}]}"#);
        assert_eq!(e.reason, "[pipeline] required property is missing");
        assert_eq!(e.extra["property_name"], Value::from("pipeline"));
        assert_eq!(err(r#"{"pipeline":{"processors":[]},"docs":[]}"#).reason, "must specify at least one document in [docs]");
        assert_eq!(
            err(r#"{"pipeline":{"processors":[]},"docs":[1]}"#).reason,
            "malformed [docs] section, should include an inner object"
        );
        assert_eq!(err(r#"{"pipeline":{"processors":[]},"docs":[{}]}"#).reason, "[_source] required property is missing");
        assert_eq!(
            err(r#"{"pipeline":{"processors":[]},"docs":[{"_source":{},"_id":1.5}]}"#).reason,
            "[_id] property isn't a string or int, but of type [java.lang.Double]"
        );
        assert_eq!(
            err(r#"{"pipeline":{"processors":[]},"docs":[{"_source":{},"_version":null}]}"#).reason,
            "[_version] cannot be null"
        );
        let e = err(r#"{"pipeline":{"processors":[]},"docs":[{"_source":{},"_version":"x"}]}"#);
        assert_eq!((e.kind.as_str(), e.reason.as_str()), ("number_format_exception", "For input string: \"x\""));
        assert_eq!(
            err(r#"{"pipeline":{"processors":[]},"docs":[{"_source":{},"_version_type":"nope"}]}"#).reason,
            "No version type match [nope]"
        );
    }

    #[test]
    fn error_rendering_orders_metadata_like_elasticsearch() {
        let e = EsError::parse("[field] required property is missing")
            .with("processor_type", "set")
            .with("processor_tag", "t")
            .with("property_name", "field");
        assert_eq!(
            error_response(&e).to_json(),
            concat!(
                r#"{"error":{"root_cause":[{"type":"parse_exception","reason":"[field] required property is missing","#,
                r#""property_name":"field","processor_type":"set","processor_tag":"t"}],"type":"parse_exception","#,
                r#""reason":"[field] required property is missing","property_name":"field","processor_type":"set","#,
                r#""processor_tag":"t"},"status":400}"#
            )
        );
    }

    #[test]
    fn root_cause_stops_at_plain_java_exceptions() {
        let e = EsError::new("script_exception", "runtime error")
            .caused_by(EsError::illegal_argument("bad").caused_by(EsError::illegal_state("worse")));
        assert_eq!(root_cause(&e).kind, "script_exception");
        let e = EsError::new("general_script_exception", "x").caused_by(EsError::new("script_exception", "y"));
        assert_eq!(root_cause(&e).reason, "y");
        let e = EsError::illegal_argument("a").caused_by(EsError::parse("b"));
        assert_eq!(root_cause(&e).reason, "a");
    }

    #[test]
    fn verbose_results_carry_pipeline_metadata() {
        let p = pipeline(r#"{"processors":[{"set":{"field":"a","value":1,"tag":"t","description":"d"}}]}"#);
        let doc = Metadata::default().document(Map::default(), SystemTime::now());
        let out = simulate_verbose(&p, doc);
        let result = &out.as_map().unwrap()["processor_results"].as_list().unwrap()[0];
        let result = result.as_map().unwrap();
        assert_eq!(result.keys().collect::<Vec<_>>(), ["processor_type", "status", "description", "tag", "doc"]);
        let ingest = result["doc"].as_map().unwrap()["_ingest"].as_map().unwrap();
        assert_eq!(ingest.keys().collect::<Vec<_>>(), ["pipeline", "timestamp"]);
        assert_eq!(ingest["pipeline"], Value::from(SIMULATED_PIPELINE_ID));
    }

    fn entry(kind: &'static str, pipeline: &str, status: TraceStatus, error: Option<&str>) -> TraceEntry {
        TraceEntry {
            processor_type: kind,
            tag: None,
            description: None,
            pipeline: pipeline.to_string(),
            index: 0,
            status,
            doc: None,
            error: error.map(EsError::illegal_state),
            condition: None,
        }
    }

    fn shape(entries: Vec<TraceEntry>) -> Vec<String> {
        elasticsearch_trace_order(entries)
            .iter()
            .map(|e| format!("{}@{}:{}", e.processor_type, e.pipeline, e.status.as_str()))
            .collect()
    }

    #[test]
    fn pipeline_processor_entries_precede_the_called_pipeline() {
        use TraceStatus::*;
        let s = SIMULATED_PIPELINE_ID;
        // set; pipeline(p1: set, pipeline(p2: set))
        let recorded = vec![
            entry("set", s, Success, None),
            entry("set", "p1", Success, None),
            entry("set", "p2", Success, None),
            entry("pipeline", "p1", Success, None),
            entry("pipeline", s, Success, None),
        ];
        assert_eq!(
            shape(recorded),
            [
                "set@_simulate_pipeline:success",
                "pipeline@_simulate_pipeline:success",
                "set@p1:success",
                "pipeline@p1:success",
                "set@p2:success"
            ]
        );
        // A failure in the called pipeline is reported once, where it happened.
        let recorded = vec![entry("rename", "p1", Error, Some("x")), entry("pipeline", s, Error, Some("x"))];
        assert_eq!(shape(recorded), ["pipeline@_simulate_pipeline:success", "rename@p1:error"]);
        // A cycle is one error entry.
        let cycle = "Cycle detected for pipeline: outer";
        let recorded = vec![
            entry("pipeline", "inner", Error, Some(cycle)),
            entry("pipeline", "outer", Error, Some(cycle)),
            entry("pipeline", s, Error, Some(cycle)),
        ];
        assert_eq!(shape(recorded), ["pipeline@_simulate_pipeline:error"]);
        // A missing pipeline: nothing ran, the entry stays an error.
        let recorded = vec![entry("pipeline", s, Error, Some("Pipeline processor configured for non-existent pipeline [x]"))];
        assert_eq!(shape(recorded), ["pipeline@_simulate_pipeline:error"]);
    }

    /// Drops documents whose `drop` field is true, as a `drop` processor with
    /// that condition would.
    #[derive(Debug)]
    struct DropFlagged;

    impl crate::processors::Processor for DropFlagged {
        fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<crate::processors::Flow, EsError> {
            Ok(match doc.ctx.get("drop") {
                Some(Value::Bool(true)) => crate::processors::Flow::Drop,
                _ => crate::processors::Flow::Continue,
            })
        }
    }

    fn dropping_pipeline() -> Pipeline {
        let mut p = pipeline(r#"{"processors":[{"set":{"field":"seen","value":true}}]}"#);
        p.processors.push(crate::pipeline::ConfiguredProcessor {
            kind: "drop",
            tag: Some("d".into()),
            description: None,
            condition: None,
            ignore_failure: false,
            on_failure: Vec::new(),
            processor: Box::new(DropFlagged),
        });
        p
    }

    #[test]
    fn dropped_documents_are_null_and_verbose_says_dropped() {
        let p = dropping_pipeline();
        let flagged = || Metadata::default().document(json(r#"{"drop":true}"#).as_map().unwrap().clone(), SystemTime::now());
        assert_eq!(simulate_document(&p, flagged()), Value::Null);
        let verbose = simulate_verbose(&p, flagged());
        let results = verbose.as_map().unwrap()["processor_results"].as_list().unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(results[1].to_json(), r#"{"processor_type":"drop","status":"dropped","tag":"d"}"#);

        let mut out = Vec::new();
        let input = "{\"drop\":true}\n{\"drop\":false}\n";
        let counts = simulate_ndjson(&p, input.as_bytes(), &mut out, |_| {}).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "null\n{\"drop\":false,\"seen\":true}\n");
        assert_eq!(counts, StreamCounts { input: 2, output: 1, dropped: 1, failed: 0, malformed: 0 });
    }

    /// The processor results of a verbose run, as `type:status` (with the
    /// tag when there is one).
    fn verbose_shape(p: &Pipeline, source: &str) -> Vec<String> {
        let doc = Metadata::default().document(json(source).as_map().unwrap().clone(), SystemTime::now());
        let out = simulate_verbose(p, doc);
        out.as_map().unwrap()["processor_results"]
            .as_list()
            .unwrap()
            .iter()
            .map(|r| {
                let r = r.as_map().unwrap();
                let tag = r.get("tag").map(|t| format!("#{}", t.as_str().unwrap())).unwrap_or_default();
                format!("{}{tag}:{}", r["processor_type"].as_str().unwrap(), r["status"].as_str().unwrap())
            })
            .collect()
    }

    /// After a reroute or `terminate`, `TrackingResultProcessor` records
    /// nothing for the processors that do not run: the later processors of
    /// the pipeline, and the handlers with their own failure handling that
    /// `decorate` turns into CompoundProcessors, whose `innerExecute` checks
    /// the flags before their condition is even evaluated. Plain handlers
    /// still run and are recorded.
    #[test]
    fn verbose_results_leave_out_what_a_reroute_or_terminate_stopped() {
        for stop in [r#"{"reroute":{"destination":"elsewhere","tag":"stop"}}"#, r#"{"terminate":{"tag":"stop"}}"#] {
            let p = pipeline(&format!(
                r#"{{"processors":[
                {{"fail":{{"message":"x","tag":"f","on_failure":[
                    {stop},
                    {{"set":{{"field":"a","value":1,"tag":"wrapped","if":"true","on_failure":[{{"set":{{"field":"h","value":1}}}}]}}}},
                    {{"set":{{"field":"b","value":1,"tag":"ignoring","if":"false","ignore_failure":true}}}},
                    {{"set":{{"field":"c","value":1,"tag":"plain"}}}},
                    {{"set":{{"field":"d","value":1,"tag":"plain_skipped","if":"false"}}}}
                ]}}}},
                {{"set":{{"field":"after","value":1,"tag":"after"}}}}
            ]}}"#
            ));
            let kind = if stop.contains("reroute") { "reroute" } else { "terminate" };
            assert_eq!(
                verbose_shape(&p, "{}"),
                ["fail#f:error".to_string(), format!("{kind}#stop:success"), "set#plain:success".into(), "set#plain_skipped:skipped".into()],
                "{stop}"
            );
        }
        // In the main list, nothing after the reroute is recorded.
        let p = pipeline(
            r#"{"processors":[{"set":{"field":"a","value":1}},{"reroute":{"destination":"x"}},{"set":{"field":"b","value":1,"if":"false"}}]}"#,
        );
        assert_eq!(verbose_shape(&p, "{}"), ["set:success", "reroute:success"]);
    }

    #[test]
    fn ndjson_streams_documents_errors_and_malformed_lines() {
        let p = pipeline(r#"{"processors":[{"set":{"field":"b","copy_from":"a"}}]}"#);
        let input = "{\"a\":1}\n\n{\"x\":2}\nnot json\n[1]\r\n{\"a\":\"z\"}";
        let mut out = Vec::new();
        let mut malformed = Vec::new();
        let counts = simulate_ndjson(&p, input.as_bytes(), &mut out, |m| malformed.push(m.line)).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0], r#"{"a":1,"b":1}"#);
        assert!(lines[1].starts_with(r#"{"error":{"root_cause":[{"type":"illegal_argument_exception""#), "{}", lines[1]);
        assert!(lines[2].contains("line 4: invalid JSON"), "{}", lines[2]);
        assert!(lines[3].contains("line 5: expected a JSON object, found [java.util.ArrayList]"), "{}", lines[3]);
        assert_eq!(lines[4], r#"{"a":"z","b":"z"}"#);
        assert_eq!(malformed, [4, 5]);
        assert_eq!(counts, StreamCounts { input: 5, output: 2, dropped: 0, failed: 1, malformed: 2 });
    }
}

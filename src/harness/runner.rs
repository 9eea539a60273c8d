//! Running pipeline test cases: install a data stream's pipelines, simulate
//! every event, then verify as elastic-package does (generate, compare,
//! dynamic fields, field validation). Every problem becomes the result of
//! the case it belongs to; nothing here aborts the run.

use super::case::{case_kind, load_events};
use super::compare::{self, Mismatch};
use super::config::load_case_config;
use super::coverage::{Coverage, PipelineSource};
use super::discovery::{self, DataStreamManifest, PackageManifest, TestFolder};
use super::fields::{self, EcsSchema, FieldDef};
use super::json::Json;
use super::trace;
use super::validate::{Validator, Version};
use crate::pipeline::exec::TraceEntry;
use crate::pipeline::{
    BuildContext, Outcome, Pipeline, PipelineDefinition, PipelineRegistry, ProcessorDefinition,
    RunContext,
};
use crate::value::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// What to regenerate with `--generate`.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Generate {
    #[default]
    No,
    All,
    /// Only this case file (canonical path).
    Only(PathBuf),
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub data_streams: Vec<String>,
    pub generate: Generate,
    pub geoip_dir: Option<PathBuf>,
    /// An ECS schema file, or a directory of `ecs_nested-<version>.yml` files.
    pub ecs: Option<PathBuf>,
    pub strict: bool,
    pub verbose: bool,
    pub coverage: bool,
    /// Import the whole ECS schema for validation even when elastic-package
    /// would not (its rule: build.yml's `import_mappings`, or a Kibana
    /// constraint that excludes every release without `ecs@mappings`).
    pub import_ecs: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Pass,
    Fail,
    Error,
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Skip => "skip",
        }
    }
}

/// The outcome of one test case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub package: String,
    pub data_stream: String,
    pub case: String,
    pub status: Status,
    /// elastic-package's failure or error message; the skip reason for skips.
    pub message: String,
    /// Failure details: the diff, or the numbered list of problems.
    pub details: String,
    pub mismatch: Option<Mismatch>,
    /// `--verbose`: the processor trace of the first differing document.
    pub trace: Option<String>,
    pub duration_ms: u128,
}

/// Results of a whole run, plus coverage when asked for.
#[derive(Debug, Default)]
pub struct RunReport {
    pub results: Vec<CaseResult>,
    pub coverage: Coverage,
}

/// Runs the pipeline tests of `packages`.
pub fn run(packages: &[PathBuf], options: &Options) -> RunReport {
    let mut report = RunReport::default();
    let mut ecs_cache: HashMap<PathBuf, Result<Arc<EcsSchema>, String>> = HashMap::new();
    for package_dir in packages {
        let folders = match discovery::test_folders(package_dir, &options.data_streams) {
            Ok(f) => f,
            Err(e) => {
                report.results.push(CaseResult {
                    package: e.package,
                    data_stream: e.data_stream,
                    case: String::new(),
                    status: Status::Error,
                    message: e.message,
                    details: String::new(),
                    mismatch: None,
                    trace: None,
                    duration_ms: 0,
                });
                continue;
            }
        };
        if options.coverage {
            report.coverage.add_package(package_dir);
        }
        for folder in folders {
            let cases = match discovery::case_files(&folder.path) {
                Ok(c) => c,
                Err(message) => {
                    report.results.push(error_result(&folder, "", message, 0));
                    continue;
                }
            };
            for case in cases {
                if let Generate::Only(only) = &options.generate {
                    let this = folder.path.join(&case).canonicalize().unwrap_or_default();
                    if &this != only {
                        continue;
                    }
                }
                // A panic in a processor is a bug in ingot, not in the package:
                // report it as this case's error and go on with the others.
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    run_case(
                        &folder,
                        &case,
                        options,
                        &mut ecs_cache,
                        &mut report.coverage,
                    )
                }));
                let result = outcome.unwrap_or_else(|panic| {
                    let what = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    error_result(
                        &folder,
                        &case,
                        format!("internal error in ingot (please report it): {what}"),
                        0,
                    )
                });
                report.results.push(result);
            }
        }
    }
    report.results.sort_by(|a, b| {
        (a.package.as_str(), a.data_stream.as_str(), a.case.as_str()).cmp(&(
            b.package.as_str(),
            b.data_stream.as_str(),
            b.case.as_str(),
        ))
    });
    report
}

fn error_result(folder: &TestFolder, case: &str, message: String, duration_ms: u128) -> CaseResult {
    CaseResult {
        package: folder.package.clone(),
        data_stream: folder.data_stream.clone(),
        case: case.to_string(),
        status: Status::Error,
        message,
        details: String::new(),
        mismatch: None,
        trace: None,
        duration_ms,
    }
}

/// The installed pipelines of a data stream.
struct Installed {
    entry: Arc<Pipeline>,
    sources: Vec<PipelineSource>,
    expected_datasets: Vec<String>,
}

fn install_pipelines(
    ds_dir: &Path,
    manifest: &DataStreamManifest,
    geoip_dir: Option<&Path>,
) -> Result<Installed, String> {
    let dir = ds_dir.join("elasticsearch/ingest_pipeline");
    let mut files: Vec<PathBuf> = Vec::new();
    for ext in ["json", "yml", "link"] {
        let mut these: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        these.retain(|p| p.is_file() && p.extension().is_some_and(|e| e == ext));
        these.sort();
        files.extend(these);
    }
    let registry = Arc::new(PipelineRegistry::with_dirs(vec![dir.clone()]));
    let ctx = BuildContext {
        registry: registry.clone(),
        geoip_dir: geoip_dir.map(Path::to_path_buf),
    };
    let mut sources = Vec::new();
    let (routing, mut expected_datasets) = routing_rules(ds_dir)?;
    for file in &files {
        let id = crate::pipeline::pipeline_id(file);
        let target = if file.extension().is_some_and(|e| e == "link") {
            link_target(file)?
        } else {
            file.clone()
        };
        let pipeline = PipelineDefinition::load(&target)
            .and_then(|mut definition| {
                if id == "default" {
                    definition.processors.extend(
                        routing
                            .iter()
                            .map(ProcessorDefinition::from_value)
                            .collect::<Result<Vec<_>, _>>()?,
                    );
                }
                Pipeline::build(&id, definition, &ctx)
            })
            .map_err(|e| {
                format!(
                    "installing ingest pipelines failed: loading {} failed: {}",
                    target.display(),
                    describe_error(&e)
                )
            })?;
        let text = std::fs::read_to_string(&target).unwrap_or_default();
        expected_datasets.extend(reroute_datasets(&text));
        sources.push(
            PipelineSource::parse(&pipeline.id, &target, &text)
                .with_definition(&pipeline.definition),
        );
        registry.insert(pipeline);
    }
    let entry_name = if manifest.ingest_pipeline.is_empty() {
        "default"
    } else {
        manifest.ingest_pipeline.as_str()
    };
    let entry = registry
        .get(entry_name, &ctx)
        .map_err(|e| format!("installing ingest pipelines failed: {}", describe_error(&e)))?
        .ok_or_else(|| {
            format!(
                "installing ingest pipelines failed: entry pipeline \"{entry_name}\" not found in {} (expected {entry_name}.yml or {entry_name}.json)",
                dir.display()
            )
        })?;
    Ok(Installed {
        entry,
        sources,
        expected_datasets,
    })
}

/// `routing_rules.yml` as elastic-package installs it: one `reroute`
/// processor per rule (tag = source dataset, `dataset` and `namespace` as
/// lists), appended to the default pipeline; and the target datasets.
fn routing_rules(ds_dir: &Path) -> Result<(Vec<Value>, Vec<String>), String> {
    use serde_yaml_ng::Value as Yaml;
    let path = ds_dir.join("routing_rules.yml");
    if !path.is_file() {
        return Ok((Vec::new(), Vec::new()));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("reading {} failed: {e}", path.display()))?;
    let y: Yaml = serde_yaml_ng::from_str(&text).map_err(|e| {
        format!(
            "installing ingest pipelines failed: {}: {e}",
            path.display()
        )
    })?;
    let as_list = |v: Option<&Yaml>| -> Vec<String> {
        match v {
            Some(Yaml::Sequence(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            Some(Yaml::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let mut processors = Vec::new();
    let mut datasets = Vec::new();
    for source in y.as_sequence().map(Vec::as_slice).unwrap_or_default() {
        let source_dataset = source
            .get("source_dataset")
            .and_then(Yaml::as_str)
            .unwrap_or_default();
        for rule in source
            .get("rules")
            .and_then(Yaml::as_sequence)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let dataset = as_list(rule.get("target_dataset"));
            datasets.extend(dataset.iter().cloned());
            let mut body = crate::value::Map::default();
            body.insert("tag".into(), Value::from(source_dataset));
            if let Some(cond) = rule.get("if").and_then(Yaml::as_str) {
                body.insert("if".into(), Value::from(cond));
            }
            body.insert(
                "dataset".into(),
                Value::List(dataset.into_iter().map(Value::from).collect()),
            );
            body.insert(
                "namespace".into(),
                Value::List(
                    as_list(rule.get("namespace"))
                        .into_iter()
                        .map(Value::from)
                        .collect(),
                ),
            );
            let mut processor = crate::value::Map::default();
            processor.insert("reroute".into(), Value::Map(body));
            processors.push(Value::Map(processor));
        }
    }
    Ok((processors, datasets))
}

/// The file a `.link` file points at: its first word, relative to the link's folder.
pub fn link_target(link: &Path) -> Result<PathBuf, String> {
    let text = std::fs::read_to_string(link)
        .map_err(|e| format!("reading link file {} failed: {e}", link.display()))?;
    let relative = text.split_whitespace().next().ok_or_else(|| {
        format!(
            "link file {} is empty; it should name the linked file",
            link.display()
        )
    })?;
    let target = link.parent().unwrap_or(Path::new(".")).join(relative);
    if !target.is_file() {
        return Err(format!(
            "link file {} points at {}, which does not exist",
            link.display(),
            target.display()
        ));
    }
    Ok(target)
}

fn describe_error(e: &crate::error::EsError) -> String {
    let mut s = e.to_string();
    if let Some(file) = e.header("file") {
        s.push_str(&format!(" (file: {file})"));
    }
    s
}

/// The `dataset` lists of `reroute` processors in a pipeline file.
fn reroute_datasets(text: &str) -> Vec<String> {
    let Ok(y) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
        return Vec::new();
    };
    let Some(serde_yaml_ng::Value::Sequence(procs)) = y.get("processors") else {
        return Vec::new();
    };
    procs
        .iter()
        .filter_map(|p| p.get("reroute"))
        .filter_map(|r| r.get("dataset"))
        .flat_map(|d| match d {
            serde_yaml_ng::Value::Sequence(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// One simulated document: its `_source` (or `null` when dropped or failed)
/// and the processors it went through.
pub struct Simulated {
    pub doc: Json,
    pub error: Option<crate::error::EsError>,
    pub trace: Vec<TraceEntry>,
}

/// Runs one event through `pipeline` as `_simulate` would.
pub fn simulate(pipeline: &Pipeline, event: &Json, index: &str, trace_docs: bool) -> Simulated {
    let source = match Value::from_json_str(&event.to_compact()) {
        Ok(Value::Map(m)) => m,
        _ => Default::default(),
    };
    let metadata = crate::simulate::Metadata {
        index: index.to_string(),
        ..Default::default()
    };
    let mut doc = metadata.document(source, std::time::SystemTime::now());
    let mut run = RunContext::tracing(trace_docs);
    let outcome = pipeline.execute(&mut doc, &mut run);
    let trace = run.trace.take().unwrap_or_default();
    match outcome {
        Ok(Outcome::Kept) => {
            let text = Value::Map(doc.source()).to_json();
            Simulated {
                doc: Json::parse(&text).unwrap_or(Json::Null),
                error: None,
                trace,
            }
        }
        Ok(Outcome::Dropped) => Simulated {
            doc: Json::Null,
            error: None,
            trace,
        },
        Err(e) => Simulated {
            doc: Json::Null,
            error: Some(e),
            trace,
        },
    }
}

fn ecs_for_package(
    package_dir: &Path,
    manifest: &PackageManifest,
    local: &[FieldDef],
    options: &Options,
    cache: &mut HashMap<PathBuf, Result<Arc<EcsSchema>, String>>,
) -> Result<(Option<Arc<EcsSchema>>, bool), String> {
    let Some(build) = fields::read_build_manifest(package_dir)? else {
        return Ok((None, false));
    };
    let import = options.import_ecs || ecs_import_enabled(&build, manifest);
    if build.ecs_reference.is_empty() {
        return Ok((Some(Arc::new(EcsSchema::default())), false));
    }
    let needs_schema = import || has_external(local);
    if !needs_schema {
        return Ok((None, false));
    }
    let file = match &options.ecs {
        Some(p) if p.is_dir() => fields::ecs_file_in_dir(p, &build.ecs_reference).ok_or_else(|| {
            format!(
                "no ECS schema for reference {} in {}: expected ecs_nested-<version>.yml or ecs_flat-<version>.yml there",
                build.ecs_reference,
                p.display()
            )
        })?,
        Some(p) => p.clone(),
        None => {
            // A package built by ingot records beside itself the ECS fields
            // it uses. Where elastic-package would import the whole schema,
            // the lock still defines every ECS field the package writes, so a
            // document it passes would pass the full import too.
            if let Some(lock) = lock_file(package_dir) {
                let (schema, version) = EcsSchema::load_lock(&lock)?;
                if !build.ecs_reference.ends_with(&format!("v{version}")) {
                    return Err(format!(
                        "the ECS lock {} records ECS {version} but _dev/build/build.yml references {}; run `ingot build`",
                        lock.display(),
                        build.ecs_reference
                    ));
                }
                return Ok((Some(Arc::new(schema)), import));
            }
            return Err(format!(
                "the package needs the ECS schema {} (from _dev/build/build.yml); pass --ecs FILE (ecs_nested.yml or ecs_flat.yml) or --ecs DIR",
                build.ecs_reference
            ));
        }
    };
    let schema = cache
        .entry(file.clone())
        .or_insert_with(|| EcsSchema::load(&file).map(Arc::new))
        .clone()?;
    Ok((Some(schema), import))
}

/// `<parent>/<package dir name>.ecs-lock.yml`, where `ingot build` writes it.
fn lock_file(package_dir: &Path) -> Option<PathBuf> {
    let name = package_dir.file_name()?.to_string_lossy().into_owned();
    let path = package_dir.parent()?.join(format!("{name}.ecs-lock.yml"));
    path.is_file().then_some(path)
}

fn has_external(defs: &[FieldDef]) -> bool {
    defs.iter()
        .any(|d| !d.external.is_empty() || has_external(&d.fields))
}

/// Whether elastic-package imports the whole ECS schema for validation.
fn ecs_import_enabled(build: &fields::BuildManifest, manifest: &PackageManifest) -> bool {
    let format = Version::parse(&manifest.format_version).unwrap_or(Version(0, 0, 0));
    if build.import_mappings && format >= Version(2, 3, 0) {
        return true;
    }
    if manifest.kibana_version.is_empty() {
        return false;
    }
    let Some(constraint) = super::semver::Constraint::parse(&manifest.kibana_version) else {
        return false;
    };
    let without_ecs_mappings = (14..=17)
        .flat_map(|minor| {
            (0..=if minor == 17 { 24 } else { 30 }).map(move |patch| Version(7, minor, patch))
        })
        .chain((0..=12).flat_map(|minor| {
            (0..=if minor == 12 { 2 } else { 30 }).map(move |patch| Version(8, minor, patch))
        }));
    !without_ecs_mappings
        .into_iter()
        .any(|v| constraint.matches(v))
}

fn run_case(
    folder: &TestFolder,
    case: &str,
    options: &Options,
    ecs_cache: &mut HashMap<PathBuf, Result<Arc<EcsSchema>, String>>,
    coverage: &mut Coverage,
) -> CaseResult {
    let start = Instant::now();
    let elapsed = |start: &Instant| start.elapsed().as_millis();
    let Some((ds_dir, ds_manifest)) = discovery::data_stream_root(&folder.path) else {
        return error_result(
            folder,
            case,
            "data stream root not found".into(),
            elapsed(&start),
        );
    };
    let installed = match install_pipelines(&ds_dir, &ds_manifest, options.geoip_dir.as_deref()) {
        Ok(i) => i,
        Err(m) => return error_result(folder, case, m, elapsed(&start)),
    };
    let pkg_manifest = match discovery::read_package_manifest(&folder.package_dir) {
        Ok(m) => m,
        Err(m) => {
            return error_result(
                folder,
                case,
                format!("failed to read manifest: {m}"),
                elapsed(&start),
            )
        }
    };
    let case_path = folder.path.join(case);
    let case_path_text = case_path.display().to_string();
    let text = match std::fs::read(&case_path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            return error_result(
                folder,
                case,
                format!("loading test case failed: reading input file failed (testCasePath: {case_path_text}): {e}"),
                elapsed(&start),
            )
        }
    };
    let config = match load_case_config(&folder.path, case) {
        Ok(c) => c,
        Err(e) => {
            return error_result(
                folder,
                case,
                format!("loading test case failed: reading config for test case failed (testCasePath: {case_path_text}): {e}"),
                elapsed(&start),
            )
        }
    };
    if let Some(skip) = config
        .skip
        .as_ref()
        .or(global_skip(&folder.package_dir).as_ref())
    {
        return CaseResult {
            package: folder.package.clone(),
            data_stream: folder.data_stream.clone(),
            case: case.to_string(),
            status: Status::Skip,
            message: format!("{} (details: {})", skip.reason, skip.link),
            details: String::new(),
            mismatch: None,
            trace: None,
            duration_ms: elapsed(&start),
        };
    }
    let events =
        match case_kind(case).and_then(|kind| load_events(kind, &text, &config, &case_path_text)) {
            Ok(e) => e,
            Err(m) => {
                return error_result(
                    folder,
                    case,
                    format!("loading test case failed: {m}"),
                    elapsed(&start),
                )
            }
        };
    if events.is_empty() {
        return error_result(
            folder,
            case,
            "simulating pipeline processing failed: unexpected response status for Simulate (400): 400 Bad Request: [parse_exception] must specify at least one document in [docs]".into(),
            elapsed(&start),
        );
    }
    let index = format!(
        "{}-{}.{}-default",
        ds_manifest.kind, folder.package, folder.data_stream
    );
    let simulated: Vec<Simulated> = events
        .iter()
        .map(|e| simulate(&installed.entry, e, &index, false))
        .collect();
    if options.coverage {
        for s in &simulated {
            coverage.record(&installed.sources, &s.trace);
        }
    }
    let docs: Vec<Json> = simulated.iter().map(|s| s.doc.clone()).collect();
    let format = Version::parse(&pkg_manifest.format_version).unwrap_or(Version(0, 0, 0));
    let escape_html = format < Version(2, 12, 0);
    let fail = |message: &str,
                details: String,
                mismatch: Option<Mismatch>,
                trace: Option<String>| CaseResult {
        package: folder.package.clone(),
        data_stream: folder.data_stream.clone(),
        case: case.to_string(),
        status: Status::Fail,
        message: message.to_string(),
        details,
        mismatch,
        trace,
        duration_ms: start.elapsed().as_millis(),
    };

    // 1. --generate
    let expected_path = folder.path.join(format!("{case}-expected.json"));
    if options.generate != Generate::No {
        let content = format!("{}\n", compare::normalised(&docs, escape_html));
        if let Err(e) = std::fs::write(&expected_path, content) {
            return error_result(
                folder,
                case,
                format!(
                    "verifying test result failed: writing test result failed: {}: {e}",
                    expected_path.display()
                ),
                elapsed(&start),
            );
        }
    }

    // 2. compare
    let expected_text = match std::fs::read_to_string(&expected_path) {
        Ok(t) => t,
        Err(e) => {
            return error_result(
                folder,
                case,
                format!(
                    "verifying test result failed: comparing test results failed: reading expected test result failed: reading test result file failed: open {}: {}",
                    expected_path.display(),
                    if e.kind() == std::io::ErrorKind::NotFound { "no such file or directory".to_string() } else { e.to_string() }
                ),
                elapsed(&start),
            )
        }
    };
    let mut want = match compare::parse_expected(&expected_text) {
        Ok(w) => w,
        Err(m) => {
            return error_result(
                folder,
                case,
                format!("verifying test result failed: comparing test results failed: reading expected test result failed: {m}"),
                elapsed(&start),
            )
        }
    };
    let mut got = docs.clone();
    let removal = compare::remove_dynamic_fields(&mut got, config.dynamic_fields.keys())
        .and_then(|_| compare::remove_dynamic_fields(&mut want, config.dynamic_fields.keys()));
    if let Err(m) = removal {
        return error_result(
            folder,
            case,
            format!("verifying test result failed: comparing test results failed: {m}"),
            elapsed(&start),
        );
    }
    if let Some(mismatch) = compare::compare(&want, &got, escape_html) {
        let trace = if options.verbose {
            mismatch.document.and_then(|i| events.get(i)).map(|event| {
                let s = simulate(&installed.entry, event, &index, true);
                let i = mismatch.document.unwrap_or_default();
                format!(
                    "trace of document {i}:\n{}",
                    trace::render(event, &s, mismatch.path.as_deref(), "first difference")
                )
            })
        } else {
            None
        };
        let details = mismatch.diff.clone();
        return fail(
            "test case failed: Expected results are different from actual ones",
            details,
            Some(mismatch),
            trace,
        );
    }

    // 3. drop nulls; 4. dynamic fields
    let mut problems: Vec<String> = Vec::new();
    for doc in docs.iter().filter(|d| !d.is_null()) {
        for (field, pattern) in &config.dynamic_fields {
            let Some(Json::String(value)) = compare::get_path(doc, field) else {
                continue;
            };
            match regex::Regex::new(pattern) {
                Ok(re) if re.is_match(value) => {}
                Ok(_) => problems.push(format!("dynamic field \"{field}\" doesn't match the pattern ({pattern}): {value}")),
                Err(e) => {
                    return error_result(
                        folder,
                        case,
                        format!("verifying test result failed: can't compile dynamic field pattern ({pattern}): {e}"),
                        elapsed(&start),
                    )
                }
            }
        }
    }
    if !problems.is_empty() {
        return fail(
            "test case failed: one or more problems with dynamic fields found in documents",
            numbered(problems),
            None,
            None,
        );
    }

    // 5. field validation
    let validator = match build_validator(folder, &ds_dir, &ds_manifest, &pkg_manifest, &installed.expected_datasets, &config, options, ecs_cache) {
        Ok(v) => v,
        Err(m) => {
            return error_result(
                folder,
                case,
                format!(
                    "creating fields validator for data stream failed (path: {}, test case file: {case}): {m}",
                    ds_dir.display()
                ),
                elapsed(&start),
            )
        }
    };
    let mut warnings = Vec::new();
    // The first document with a finding, and that finding, for --verbose.
    let mut first_finding: Option<(usize, String)> = None;
    for (i, doc) in docs.iter().enumerate().filter(|(_, d)| !d.is_null()) {
        let f = validator.validate(doc);
        if first_finding.is_none() {
            first_finding = f
                .errors
                .first()
                .or(f.warnings.first())
                .map(|m| (i, m.clone()));
        }
        problems.extend(f.errors);
        warnings.extend(f.warnings);
    }
    let trace = |finding: &Option<(usize, String)>| {
        let (i, message) = finding.as_ref().filter(|_| options.verbose)?;
        let field = if message.starts_with("unexpected pipeline error") {
            Some("error.message")
        } else if message.starts_with("field ") {
            message.split('"').nth(1)
        } else {
            None
        };
        let s = simulate(&installed.entry, &events[*i], &index, true);
        Some(format!(
            "trace of document {i}:\n{}",
            trace::render(&events[*i], &s, field, "reported field")
        ))
    };
    if !problems.is_empty() {
        let mut details = numbered(problems);
        if !warnings.is_empty() {
            details.push_str("\n--strict also found:\n");
            details.push_str(&numbered(warnings));
        }
        return fail(
            "test case failed: one or more problems with fields found in documents",
            details,
            None,
            trace(&first_finding),
        );
    }
    if !warnings.is_empty() {
        let details = numbered(warnings);
        return fail(
            "test case failed: --strict found problems elastic-package lets through",
            details,
            None,
            trace(&first_finding),
        );
    }
    CaseResult {
        package: folder.package.clone(),
        data_stream: folder.data_stream.clone(),
        case: case.to_string(),
        status: Status::Pass,
        message: String::new(),
        details: String::new(),
        mismatch: None,
        trace: None,
        duration_ms: elapsed(&start),
    }
}

#[allow(clippy::too_many_arguments)]
fn build_validator(
    folder: &TestFolder,
    ds_dir: &Path,
    ds_manifest: &DataStreamManifest,
    pkg_manifest: &PackageManifest,
    reroute_datasets: &[String],
    config: &super::config::CaseConfig,
    options: &Options,
    ecs_cache: &mut HashMap<PathBuf, Result<Arc<EcsSchema>, String>>,
) -> Result<Validator, String> {
    let fields_dir = ds_dir.join("fields");
    let mut schema = fields::load_data_stream_fields(ds_dir).map_err(|e| {
        format!(
            "can't load fields from directory (path: {}): {e}",
            fields_dir.display()
        )
    })?;
    let (ecs, import) = ecs_for_package(
        &folder.package_dir,
        pkg_manifest,
        &schema,
        options,
        ecs_cache,
    )?;
    if let Some(ecs) = &ecs {
        fields::resolve_externals(&mut schema, ecs).map_err(|e| {
            format!(
                "can't load fields from directory (path: {}): loading external fields failed: injecting fields failed: {e}",
                fields_dir.display()
            )
        })?;
        if import {
            schema.extend(ecs.import_definitions());
        }
    }
    let mut expected_datasets = reroute_datasets.to_vec();
    if expected_datasets.is_empty() {
        let dataset = if ds_manifest.dataset.is_empty() {
            format!("{}.{}", pkg_manifest.name, folder.data_stream)
        } else {
            ds_manifest.dataset.clone()
        };
        expected_datasets.push(dataset.clone());
        if ds_manifest.inputs.iter().any(|i| i == "otelcol") {
            expected_datasets.push(format!("{dataset}.otel"));
        }
    }
    Ok(Validator {
        schema,
        spec_version: Version::parse(&pkg_manifest.format_version).unwrap_or(Version(0, 0, 0)),
        expected_datasets,
        numeric_keyword_fields: config.numeric_keyword_fields.clone(),
        string_number_fields: config.string_number_fields.clone(),
        dataset_check_only: ds_manifest.inputs.iter().any(|i| i == "otelcol"),
        strict: options.strict,
    })
}

/// The validator a case of `folder` gets, built without running anything
/// (for checking documents from elsewhere, e.g. an expected file).
pub fn validator_for_case(
    folder: &TestFolder,
    case: &str,
    options: &Options,
) -> Result<Validator, String> {
    let (ds_dir, ds_manifest) =
        discovery::data_stream_root(&folder.path).ok_or("data stream root not found")?;
    let pkg_manifest = discovery::read_package_manifest(&folder.package_dir)?;
    let config = load_case_config(&folder.path, case)?;
    let dir = ds_dir.join("elasticsearch/ingest_pipeline");
    let mut datasets = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            datasets.extend(reroute_datasets(
                &std::fs::read_to_string(&f).unwrap_or_default(),
            ));
        }
    }
    let mut cache = HashMap::new();
    build_validator(
        folder,
        &ds_dir,
        &ds_manifest,
        &pkg_manifest,
        &datasets,
        &config,
        options,
        &mut cache,
    )
}

/// `pipeline.skip` of the package's `_dev/test/config.yml`.
fn global_skip(package_dir: &Path) -> Option<super::config::Skip> {
    let y = super::config::read_yaml(&package_dir.join("_dev/test/config.yml")).ok()?;
    let skip = y
        .get("pipeline")
        .and_then(|p| p.get("skip"))
        .or_else(|| y.get("pipeline.skip"))?;
    let get = |k: &str| {
        skip.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    Some(super::config::Skip {
        reason: get("reason"),
        link: get("link"),
    })
}

/// Deduplicated, sorted, numbered as elastic-package's multierror prints.
fn numbered(mut problems: Vec<String>) -> String {
    problems.sort();
    problems.dedup();
    problems
        .iter()
        .enumerate()
        .map(|(i, p)| format!("[{i}] {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

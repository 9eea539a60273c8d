//! The files an integration compiles to, all in memory and deterministic.

use crate::dsl::check::{check_data_stream, Diagnostic, Severity};
use crate::dsl::ecs;
use crate::dsl::field::FieldDecl;
use crate::dsl::integration::{DataStream, Image, Integration, Var};
use crate::package::ecs_schema::{EcsLock, EcsSchema, ECS_VERSION};
use crate::package::readme::{render, DocsContext};
use crate::package::yaml::{document, map, opt_s, s};
use crate::package::GENERATED_NOTE;
use crate::pipeline::{BuildContext, Pipeline as LoadedPipeline};
use crate::value::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedFile {
    /// Relative to the build root.
    pub path: PathBuf,
    pub contents: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct BuildSettings {
    /// Where `pipelines/`, `fields/`, `package/` and `sample_events/` are.
    pub root: PathBuf,
    /// Directory with `ecs_flat-<version>.yml`; without one the lock file is used.
    pub ecs_dir: Option<PathBuf>,
}

impl BuildSettings {
    /// `--ecs-dir`, else `INGOT_ECS_DIR`, else `../shared/ecs` beside the root.
    pub fn new(root: &Path, ecs_dir: Option<PathBuf>) -> BuildSettings {
        let ecs_dir = ecs_dir
            .or_else(|| std::env::var_os("INGOT_ECS_DIR").map(PathBuf::from))
            .or_else(|| Some(root.join("../shared/ecs")).filter(|d| d.is_dir()));
        BuildSettings {
            root: root.to_path_buf(),
            ecs_dir,
        }
    }
}

#[derive(Debug)]
pub struct BuildOutput {
    pub files: Vec<GeneratedFile>,
    /// Directories whose every file is generated: others there are stale.
    pub owned_dirs: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

/// The lock file of a package, beside the package directory.
pub fn lock_path(name: &str) -> PathBuf {
    PathBuf::from("package").join(format!("{name}.ecs-lock.yml"))
}

/// Checks and compiles; `Err` holds every error found.
pub fn compile(
    integration: &Integration,
    settings: &BuildSettings,
) -> Result<BuildOutput, Vec<String>> {
    let mut integration = integration.clone();
    let mut diagnostics = Vec::new();
    let snapshot = integration.clone();
    for ds in &mut integration.data_streams {
        let duplicates = ds.pipeline.assign_tags();
        diagnostics.extend(check_data_stream(&snapshot, ds, &duplicates));
    }
    for ds in &integration.data_streams {
        diagnostics.extend(load_check(ds));
        diagnostics.extend(duplicate_definitions(&integration, ds));
    }
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(errors.iter().map(|d| d.to_string()).collect());
    }
    let lock = resolve_ecs(&integration, settings).map_err(|e| vec![e])?;
    let files = emit(&integration, &lock, &settings.root).map_err(|e| vec![e])?;
    let mut owned_dirs = vec![PathBuf::from("package").join(&integration.name)];
    for ds in &integration.data_streams {
        owned_dirs.push(PathBuf::from("pipelines").join(&ds.name));
        owned_dirs.push(PathBuf::from("fields").join(&ds.name));
    }
    Ok(BuildOutput {
        files,
        owned_dirs,
        warnings,
    })
}

/// The emitted pipeline must load exactly as `ingot lint` loads it.
fn load_check(ds: &DataStream) -> Option<Diagnostic> {
    let definition = ds.pipeline.definition();
    let err =
        LoadedPipeline::build(&ds.pipeline.name, definition, &BuildContext::default()).err()?;
    let root = err.root();
    // Processors and Painless that ingot cannot run yet say so; the
    // integration is not at fault, so this stays a warning.
    let unregistered = ds
        .pipeline
        .all_processors()
        .iter()
        .any(|p| p.is_unregistered());
    let not_yet = root.reason.ends_with("is not supported yet")
        || (unregistered && root.reason.starts_with("No processor type exists"));
    let severity = if not_yet {
        Severity::Warning
    } else {
        Severity::Error
    };
    let tag = err
        .extra
        .get("processor_tag")
        .or_else(|| err.headers.get("processor_tag"))
        .map(|t| format!(" (tag {})", t.to_java_string()));
    Some(Diagnostic {
        severity,
        message: format!(
            "data stream [{}]: pipeline does not load{}: {}",
            ds.name,
            tag.unwrap_or_default(),
            err.reason
        ),
    })
}

/// The package spec refuses a field defined twice in one data stream.
fn duplicate_definitions(integration: &Integration, ds: &DataStream) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeMap::new();
    let mut out = Vec::new();
    for (file, text) in fields_files(integration, ds) {
        let defs: Value = serde_yaml_ng::from_str(&text).unwrap_or_default();
        let mut names = Vec::new();
        leaf_names(defs.as_list().map(Vec::as_slice).unwrap_or_default(), "", &mut names);
        for name in names {
            if let Some(first) = seen.insert(name.clone(), file.clone()) {
                out.push(Diagnostic {
                    severity: Severity::Error,
                    message: format!("data stream [{}]: field [{name}] is defined in both {first} and {file}", ds.name),
                });
            }
        }
    }
    out
}

fn leaf_names(defs: &[Value], prefix: &str, out: &mut Vec<String>) {
    for def in defs.iter().filter_map(Value::as_map) {
        let name = def.get("name").map(Value::to_java_string).unwrap_or_default();
        let full = if prefix.is_empty() { name } else { format!("{prefix}.{name}") };
        match def.get("fields").and_then(Value::as_list) {
            Some(children) => leaf_names(children, &full, out),
            None => out.push(full),
        }
    }
}

/// Fields the base file defines, which ECS references must not repeat.
const BASE_FIELDS: &[&str] = &[
    "data_stream.type",
    "data_stream.dataset",
    "data_stream.namespace",
    "@timestamp",
    "event.module",
    "event.dataset",
];

/// The ECS fields a data stream references with `external: ecs`: those the
/// pipeline writes, the inputs provide, and the extras it lists.
fn ecs_references(ds: &DataStream) -> Vec<String> {
    let written = ds
        .pipeline
        .all_processors()
        .into_iter()
        .flat_map(|p| p.writes.iter().map(|w| w.field.name().to_string()));
    let provided = ds
        .input_ecs_fields
        .iter()
        .chain(&ds.extra_ecs_fields)
        .map(|f| f.name().to_string());
    let mut names: Vec<String> = written
        .chain(provided)
        .filter(|n| ecs::lookup(n).is_some() && !BASE_FIELDS.contains(&n.as_str()))
        .collect();
    names.sort();
    names.dedup();
    names
}

fn resolve_ecs(integration: &Integration, settings: &BuildSettings) -> Result<EcsLock, String> {
    let mut names: Vec<String> = integration
        .data_streams
        .iter()
        .flat_map(ecs_references)
        .collect();
    names.sort();
    names.dedup();
    if let Some(dir) = &settings.ecs_dir {
        if let Some(schema) = EcsSchema::from_dir(dir, ECS_VERSION)? {
            return schema.lock(&names);
        }
    }
    let path = settings.root.join(lock_path(&integration.name));
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!("no ECS schema found (--ecs-dir, INGOT_ECS_DIR or ../shared/ecs) and cannot read the lock {}: {e}", path.display())
    })?;
    let lock = EcsLock::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let wanted: std::collections::BTreeSet<&String> = names.iter().collect();
    let mut lock = lock.covering(&names, &path)?;
    // Keep the lock to exactly what is used, as a fresh build would write it.
    lock.fields.retain(|k, _| wanted.contains(k));
    Ok(lock)
}

struct Files {
    files: Vec<GeneratedFile>,
}

impl Files {
    fn add(&mut self, path: impl Into<PathBuf>, contents: impl Into<Vec<u8>>) {
        self.files.push(GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        });
    }
}

fn emit(
    integration: &Integration,
    lock: &EcsLock,
    root: &Path,
) -> Result<Vec<GeneratedFile>, String> {
    let mut out = Files { files: Vec::new() };
    let pkg = PathBuf::from("package").join(&integration.name);
    out.add(lock_path(&integration.name), lock.to_yaml(&format!("# {GENERATED_NOTE}\n# The ECS definitions the package uses, so builds need no ECS schema.\n")));
    out.add(
        pkg.join("manifest.yml"),
        document(&package_manifest(integration)),
    );
    out.add(pkg.join("changelog.yml"), document(&changelog(integration)));
    let build_yml = map([(
        "dependencies",
        Some(map([(
            "ecs",
            Some(map([(
                "reference",
                s(&format!("git@v{}", lock.ecs_version)),
            )])),
        )])),
    )]);
    out.add(pkg.join("_dev/build/build.yml"), document(&build_yml));

    let mut docs = DocsContext {
        ecs: Some(lock),
        format_version: integration.format_version.clone(),
        links: integration.links.clone(),
        input_docs: integration.input_docs.clone(),
        ..Default::default()
    };
    for ds in &integration.data_streams {
        let ds_dir = pkg.join("data_stream").join(&ds.name);
        out.add(
            ds_dir.join("manifest.yml"),
            document(&data_stream_manifest(ds)),
        );
        for stream in &ds.streams {
            docs.inputs.push(stream.input.clone());
            let template = format!("# {GENERATED_NOTE}\n{}", stream.template);
            out.add(
                ds_dir.join("agent/stream").join(stream.template_file()),
                ensure_newline(template),
            );
        }
        let definition = ds.pipeline.definition().to_value();
        let json = serde_json::to_string_pretty(&definition).map_err(|e| e.to_string())?;
        out.add(
            PathBuf::from("pipelines")
                .join(&ds.name)
                .join(format!("{}.json", ds.pipeline.name)),
            json + "\n",
        );
        // The package spec requires pipeline YAML to start with `---`.
        out.add(
            ds_dir
                .join("elasticsearch/ingest_pipeline")
                .join(format!("{}.yml", ds.pipeline.name)),
            format!("---\n{}", document(&definition)),
        );
        let fields = fields_files(integration, ds);
        for (name, text) in &fields {
            out.add(
                PathBuf::from("fields").join(&ds.name).join(name),
                text.clone(),
            );
            out.add(ds_dir.join("fields").join(name), text.clone());
        }
        docs.fields.insert(ds.name.clone(), fields);
        if let Some(event) = &ds.sample_event {
            out.add(
                ds_dir.join("sample_event.json"),
                ensure_newline(event.clone()),
            );
            docs.sample_events.insert(ds.name.clone(), event.clone());
        }
        for (name, bytes) in fixtures(root, &ds.name)? {
            out.add(ds_dir.join("_dev/test/pipeline").join(name), bytes);
        }
    }
    for (path, bytes) in files_under(&root.join("assets"))? {
        out.add(pkg.join(path), bytes);
    }
    let template = format!("<!-- {GENERATED_NOTE} -->\n{}", integration.readme);
    let rendered =
        render(&template, &docs).map_err(|e| format!("package [{}]: {e}", integration.name))?;
    out.add(pkg.join("_dev/build/docs/README.md"), template);
    out.add(pkg.join("docs/README.md"), rendered);
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out.files)
}

fn ensure_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Files the package ships as they are (images, Kibana assets): everything
/// under `<root>/assets/`, at the same relative path in the package.
fn files_under(dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let relative = path.strip_prefix(dir).map(Path::to_path_buf).unwrap_or_default();
                out.push((relative, bytes));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Pipeline-test fixtures: every file of `sample_events/<data stream>/`.
fn fixtures(root: &Path, ds: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let dir = root.join("sample_events").join(ds);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() {
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            out.push((entry.file_name().to_string_lossy().into_owned(), bytes));
        }
    }
    out.sort();
    Ok(out)
}

fn b(v: Option<bool>) -> Option<Value> {
    v.map(Value::Bool)
}

fn var_value(v: &Var) -> Value {
    map([
        ("name", s(&v.name)),
        ("type", s(&v.var_type)),
        ("title", opt_s(&v.title)),
        ("description", opt_s(&v.description)),
        ("multi", b(v.multi)),
        ("required", b(v.required)),
        ("show_user", b(v.show_user)),
        ("default", v.default.clone()),
        ("secret", b(v.secret)),
    ])
}

fn list<T>(items: &[T], f: impl Fn(&T) -> Value) -> Option<Value> {
    (!items.is_empty()).then(|| Value::List(items.iter().map(f).collect()))
}

fn package_manifest(i: &Integration) -> Value {
    let conditions = (i.kibana_version.is_some() || i.subscription.is_some()).then(|| {
        map([
            (
                "kibana",
                i.kibana_version.as_ref().map(|v| map([("version", s(v))])),
            ),
            (
                "elastic",
                i.subscription
                    .as_ref()
                    .map(|v| map([("subscription", s(v))])),
            ),
        ])
    });
    let templates = list(&i.policy_templates, |t| {
        map([
            ("name", s(&t.name)),
            ("title", s(&t.title)),
            ("description", s(&t.description)),
            (
                "data_streams",
                Some(Value::List(
                    i.data_streams
                        .iter()
                        .map(|d| Value::from(d.name.as_str()))
                        .collect(),
                )),
            ),
            (
                "inputs",
                list(&t.inputs, |input| {
                    map([
                        ("type", s(&input.input_type)),
                        ("title", s(&input.title)),
                        ("description", s(&input.description)),
                        ("vars", list(&input.vars, var_value)),
                    ])
                }),
            ),
        ])
    });
    let image = |img: &Image| {
        map([
            ("src", s(&img.src)),
            ("title", s(&img.title)),
            ("size", opt_s(&img.size)),
            ("type", opt_s(&img.media_type)),
        ])
    };
    map([
        ("format_version", s(&i.format_version)),
        ("name", s(&i.name)),
        ("title", s(&i.title)),
        ("version", s(&i.version)),
        ("description", s(&i.description)),
        ("type", s("integration")),
        (
            "categories",
            list(&i.categories, |c| Value::from(c.as_str())),
        ),
        ("conditions", conditions),
        ("icons", list(&i.icons, image)),
        ("screenshots", list(&i.screenshots, image)),
        ("policy_templates", templates),
        (
            "owner",
            Some(map([
                ("github", s(&i.owner_github)),
                ("type", s(&i.owner_type)),
            ])),
        ),
    ])
}

fn changelog(i: &Integration) -> Value {
    Value::List(
        i.changelog
            .iter()
            .map(|r| {
                map([
                    ("version", s(&r.version)),
                    (
                        "changes",
                        Some(Value::List(
                            r.changes
                                .iter()
                                .map(|c| {
                                    map([
                                        ("description", s(&c.description)),
                                        ("type", s(&c.change_type)),
                                        ("link", s(&c.link)),
                                    ])
                                })
                                .collect(),
                        )),
                    ),
                ])
            })
            .collect(),
    )
}

fn data_stream_manifest(ds: &DataStream) -> Value {
    map([
        ("title", s(&ds.title)),
        ("type", s(&ds.data_type)),
        (
            "streams",
            list(&ds.streams, |st| {
                map([
                    ("input", s(&st.input)),
                    ("template_path", s(&st.template_file())),
                    ("title", s(&st.title)),
                    ("description", s(&st.description)),
                    ("enabled", b(st.enabled)),
                    ("vars", list(&st.vars, var_value)),
                ])
            }),
        ),
    ])
}

fn decl_value(d: &FieldDecl, name: &str) -> Value {
    map([
        ("name", s(name)),
        ("type", s(d.ty.as_str())),
        ("description", opt_s(&d.description)),
        ("unit", opt_s(&d.unit)),
        ("metric_type", opt_s(&d.metric_type)),
        ("example", opt_s(&d.example)),
        ("value", opt_s(&d.value)),
    ])
}

/// `base-fields.yml`, `ecs.yml`, `fields.yml` and, when inputs provide
/// non-ECS fields, `agent.yml`, as (file name, text), sorted by name.
fn fields_files(integration: &Integration, ds: &DataStream) -> Vec<(String, String)> {
    let constant = |name: &str, description: &str, value: Option<String>| {
        map([
            ("name", s(name)),
            ("type", s("constant_keyword")),
            ("description", s(description)),
            ("value", value.map(Value::from)),
        ])
    };
    let base = Value::List(vec![
        constant("data_stream.type", "Data stream type.", None),
        constant("data_stream.dataset", "Data stream dataset.", None),
        constant("data_stream.namespace", "Data stream namespace.", None),
        map([
            ("name", s("@timestamp")),
            ("type", s("date")),
            ("description", s("Event timestamp.")),
        ]),
        constant(
            "event.module",
            "Event module.",
            Some(integration.name.clone()),
        ),
        constant(
            "event.dataset",
            "Event dataset.",
            Some(ds.dataset(&integration.name)),
        ),
    ]);
    let mut files = vec![("base-fields.yml".to_string(), document(&base))];
    let refs = ecs_references(ds);
    if !refs.is_empty() {
        let ecs = Value::List(
            refs.iter()
                .map(|n| map([("name", s(n)), ("external", s("ecs"))]))
                .collect(),
        );
        files.push(("ecs.yml".to_string(), document(&ecs)));
    }
    let mut entries = Vec::new();
    for d in ds.fields.iter().filter(|d| d.group.is_none()) {
        entries.push(decl_value(d, &d.local_name));
    }
    for g in &ds.groups {
        let members: Vec<Value> = ds
            .fields
            .iter()
            .filter(|d| d.group.as_deref() == Some(g.name.as_str()))
            .map(|d| decl_value(d, &d.local_name))
            .collect();
        entries.push(map([
            ("name", s(&g.name)),
            ("type", s("group")),
            ("description", opt_s(&g.description)),
            ("fields", Some(Value::List(members))),
        ]));
    }
    if !entries.is_empty() {
        files.push(("fields.yml".to_string(), document(&Value::List(entries))));
    }
    if !ds.input_fields.is_empty() {
        let agent = Value::List(
            ds.input_fields
                .iter()
                .map(|d| decl_value(d, &d.full_name()))
                .collect(),
        );
        files.push(("agent.yml".to_string(), document(&agent)));
    }
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::prelude::*;

    fn integration(ds: DataStream) -> Integration {
        Integration::new("acme", "Acme", "1.0.0").data_stream(ds)
    }

    #[test]
    fn fields_defined_twice_are_refused() {
        let twice = DataStream::new("log", "L")
            .fields([FieldDecl::new("event.dataset", FieldType::Keyword)])
            .pipeline(Pipeline::new("p").then(set(&FieldDecl::new("event.dataset", FieldType::Keyword), "x")));
        let d = duplicate_definitions(&integration(twice.clone()), &twice);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("[event.dataset] is defined in both base-fields.yml and fields.yml"), "{d:?}");
        let once = DataStream::new("log", "L").pipeline(Pipeline::new("p").then(set(ecs::EVENT_KIND, "event")));
        assert!(duplicate_definitions(&integration(once.clone()), &once).is_empty());
    }

    #[test]
    fn ecs_references_skip_base_fields_and_non_ecs_names() {
        let ds = DataStream::new("log", "L")
            .input_provides([ecs::MESSAGE])
            .pipeline(Pipeline::new("p").then(set(ecs::EVENT_DATASET, "x")).then(set(ecs::EVENT_KIND, "e")).then(set(Field::temp("_temp_.a"), 1i64)));
        assert_eq!(ecs_references(&ds), ["event.kind", "message"]);
    }

    /// The fields files and the canonical pipeline of a small data stream.
    #[test]
    fn fields_files_and_pipeline_snapshot() {
        let g = Group::new("acme.app").description("Acme fields.");
        let took = g.long("took").description("Duration.").unit("ms").metric_type("gauge");
        let ds = DataStream::new("log", "L")
            .input_provides([ecs::MESSAGE])
            .input_fields([FieldDecl::new("input.type", FieldType::Keyword).description("Input type.")])
            .group(&g, [took])
            .pipeline(
                Pipeline::new("Acme logs")
                    .then(json(ecs::MESSAGE).target(&g))
                    .then(set(ecs::EVENT_KIND, "event").when(ecs::EVENT_KIND.is_null())),
            );
        let mut integration = integration(ds);
        integration.data_streams[0].pipeline.assign_tags();
        let ds = &integration.data_streams[0];
        let files: Vec<String> = fields_files(&integration, ds).into_iter().map(|(n, t)| format!("== {n}\n{t}")).collect();
        insta::assert_snapshot!("fields_files", files.join("\n"));
        let json = serde_json::to_string_pretty(&ds.pipeline.definition().to_value()).unwrap();
        insta::assert_snapshot!("pipeline_json", json);
    }
}

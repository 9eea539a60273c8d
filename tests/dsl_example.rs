//! The example integration of docs/dsl.md: it compiles, its package matches
//! the committed tree under tests/fixtures/example_logs (regenerate with
//! `INGOT_UPDATE_FIXTURES=1 cargo test --test dsl_example`), validates
//! against the package spec, its pipeline loads, and `ingot test` passes
//! its pipeline tests.

mod support;

use ingot::package::command::{run as run_with, BuildRequest};
use ingot::package::drift::{self, Drift};
use ingot::package::ecs_schema::{shared_dir, shared_dir_or_skip};
use ingot::package::{compile, BuildSettings};
use ingot::pipeline::{BuildContext, Pipeline as LoadedPipeline};
use std::path::{Path, PathBuf};

// BEGIN EXAMPLE
use ingot::dsl::prelude::*;

pub fn example_logs() -> Integration {
    // The fields the application's JSON log line is parsed into.
    let app = Group::new("example_logs.app")
        .description("Fields of the example application's JSON log line.");
    let ts = app
        .keyword("ts")
        .description("When the application wrote the line.");
    let level = app
        .keyword("level")
        .description("Log level as the application writes it.")
        .example("ERROR");
    let user = app
        .keyword("user")
        .description("Name of the user the request ran as.");
    let client_ip = app
        .keyword("client_ip")
        .description("Client address as logged.");
    let took = app
        .long("took_ms")
        .description("Time the request took.")
        .unit("ms")
        .metric_type("gauge");
    let msg = app.keyword("msg").description("The log message.");

    let pipeline = Pipeline::new("Pipeline for example application logs")
        .processors([
            rename(ecs::MESSAGE, ecs::EVENT_ORIGINAL)
                .ignore_missing()
                .when(ecs::EVENT_ORIGINAL.is_null()),
            set(ecs::ECS_VERSION, "8.11.0"),
            json(ecs::EVENT_ORIGINAL).target(&app),
            date(&ts, ["ISO8601"]),
            set(ecs::EVENT_KIND, "event"),
            append(ecs::EVENT_CATEGORY, "authentication"),
            set(ecs::EVENT_OUTCOME, "failure").when(level.eq_ignore_case("error")),
            set(ecs::EVENT_OUTCOME, "success").when(ecs::EVENT_OUTCOME.is_null()),
            copy(&user, ecs::USER_NAME).ignore_empty_value(),
            copy(&client_ip, ecs::SOURCE_IP).when(client_ip.matches(r"^[0-9.]+$")),
            script("ctx.event.duration = ctx.example_logs.app.took_ms * 1000000L")
                .reads([&took])
                .writes([ecs::EVENT_DURATION])
                .when(took.ge(0.0)),
            copy(&msg, ecs::MESSAGE),
            remove([ecs::EVENT_ORIGINAL])
                .ignore_missing()
                .when(painless(
                    "ctx.tags == null || !ctx.tags.contains('preserve_original_event')",
                )),
        ])
        .on_failure_record_error();

    let logfile = Stream::new("logfile", "Example application logs", "Collect example application logs from files")
        .var(Var::text("paths").title("Paths").multi(true).required(true).show_user(true).default(vec![Value::from("/var/log/example/*.log")]))
        .var(Var::text("tags").title("Tags").multi(true).required(false).show_user(false).default(vec![Value::from("forwarded")]))
        .var(Var::bool("preserve_original_event").title("Preserve original event").multi(false).required(true).show_user(true).default(false))
        .template(
            "paths:\n{{#each paths as |path|}}\n  - {{path}}\n{{/each}}\ntags:\n{{#if preserve_original_event}}\n  - preserve_original_event\n{{/if}}\n{{#each tags as |tag|}}\n  - {{tag}}\n{{/each}}\n",
        );

    let log = DataStream::new("log", "Example application logs")
        .stream(logfile)
        .input_provides([ecs::MESSAGE, ecs::LOG_FILE_PATH, ecs::TAGS])
        .input_fields([
            FieldDecl::new("input.type", FieldType::Keyword).description("Type of the input that collected the event."),
            FieldDecl::new("log.offset", FieldType::Long).description("Offset of the line in the file."),
        ])
        .group(&app, [ts, level, user, client_ip, took, msg])
        .pipeline(pipeline)
        .sample_event(
            r#"{"@timestamp":"2026-11-25T10:00:05.000Z","ecs":{"version":"8.11.0"},"event":{"kind":"event","category":["authentication"],"outcome":"failure","duration":30000000},"user":{"name":"bob"},"source":{"ip":"10.1.2.4"},"message":"login failed","example_logs":{"app":{"level":"ERROR","user":"bob","client_ip":"10.1.2.4","took_ms":30,"msg":"login failed","ts":"2026-11-25T10:00:05.000Z"}}}"#,
        );

    Integration::new("example_logs", "Example Logs", "0.1.0")
        .description("Collect logs of the example application.")
        .owner("elastic/integrations", "community")
        .categories(["security"])
        .kibana_version("^8.13.0")
        .policy_template(
            PolicyTemplate::new("example_logs", "Example logs", "Collect example application logs")
                .input(Input::new("logfile", "Collect example logs from files", "Collecting example logs from files")),
        )
        .icon(Image::new("/img/logo.svg", "Example logo").size("32x32").media_type("image/svg+xml"))
        .data_stream(log)
        .input_documentation("logfile", "Reads lines from files on the host the agent runs on.")
        .release(Release::new("0.1.0").change("enhancement", "Initial release.", "https://github.com/elastic/integrations/pull/1"))
        .readme(
            "# Example Logs\n\nCollects the JSON log lines of the example application.\n\n{{inputDocs}}\n## Logs\n\n### log\n\n{{event \"log\"}}\n\n{{fields \"log\"}}\n",
        )
}
// END EXAMPLE

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example_logs")
}

/// ECS from ../shared when it is there, else the committed lock file.
fn settings(root: &Path) -> BuildSettings {
    BuildSettings::new(root, shared_dir().map(|d| d.join("ecs")))
}

#[test]
fn docs_show_the_example_verbatim() {
    let source = std::fs::read_to_string(file!()).unwrap();
    let start = source.find("// BEGIN EXAMPLE\n").unwrap() + "// BEGIN EXAMPLE\n".len();
    let end = source.find("// END EXAMPLE").unwrap();
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/dsl.md")).unwrap();
    assert!(
        guide.contains(&source[start..end]),
        "docs/dsl.md must contain the example of tests/dsl_example.rs verbatim"
    );
}

#[test]
fn generated_package_matches_the_committed_tree() {
    let root = fixture_root();
    let output = compile(&example_logs(), &settings(&root)).unwrap_or_else(|e| panic!("{e:#?}"));
    if std::env::var_os("INGOT_UPDATE_FIXTURES").is_some() {
        drift::write(&root, &output).unwrap();
    }
    let drifts = drift::compare(&root, &output);
    assert!(
        drifts.is_empty(),
        "{}\nregenerate with INGOT_UPDATE_FIXTURES=1",
        drifts
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Building twice gives the same bytes.
    let again = compile(&example_logs(), &settings(&root)).unwrap();
    assert_eq!(again.files, output.files);
}

#[test]
fn the_package_validates_against_the_package_spec() {
    let Some(shared) = shared_dir_or_skip("the_package_validates_against_the_package_spec") else {
        return;
    };
    let errors = support::package_spec::validate_package(
        &shared.join("package-spec/spec"),
        &fixture_root().join("package/example_logs"),
    );
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_package_spec_validation_catches_a_broken_package() {
    let Some(shared) = shared_dir_or_skip("the_package_spec_validation_catches_a_broken_package")
    else {
        return;
    };
    let dir_guard = tempfile::tempdir().unwrap();
    let dir = dir_guard.path().to_path_buf();
    let _ = std::fs::remove_dir_all(&dir);
    let mut broken = example_logs();
    broken.owner_type = "nobody".into();
    let output = compile(&broken, &settings(&fixture_root())).unwrap();
    drift::write(&dir, &output).unwrap();
    std::fs::remove_file(dir.join("package/example_logs/changelog.yml")).unwrap();
    let errors = support::package_spec::validate_package(
        &shared.join("package-spec/spec"),
        &dir.join("package/example_logs"),
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        errors.iter().any(|e| e.contains("changelog.yml")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("manifest.yml") && e.contains("nobody")),
        "{errors:#?}"
    );
}

fn assert_loads(result: Result<LoadedPipeline, ingot::error::EsError>) {
    if let Err(e) = result {
        panic!("pipeline does not load: {e:?}");
    }
}

#[test]
fn the_emitted_pipeline_loads_as_lint_loads_it() {
    let root = fixture_root();
    assert_loads(LoadedPipeline::load(
        &root.join("pipelines/log/default.json"),
        &BuildContext::default(),
    ));
    assert_loads(LoadedPipeline::load(
        &root
            .join("package/example_logs/data_stream/log/elasticsearch/ingest_pipeline/default.yml"),
        &BuildContext::default(),
    ));
}

#[test]
fn build_check_fails_on_drift_and_build_fixes_it() {
    let dir_guard = tempfile::tempdir().unwrap();
    let dir = dir_guard.path().to_path_buf();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("package")).unwrap();
    std::fs::copy(
        fixture_root().join("package/example_logs.ecs-lock.yml"),
        dir.join("package/example_logs.ecs-lock.yml"),
    )
    .unwrap();
    let args = |check| BuildRequest {
        check,
        root: dir.clone(),
        ecs_dir: Some(dir.join("no-ecs-here")),
        names: vec![],
    };
    let integrations = [example_logs()];
    assert_eq!(
        run_with(&args(true), &integrations),
        1,
        "missing files are drift"
    );
    assert_eq!(run_with(&args(false), &integrations), 0);
    assert_eq!(run_with(&args(true), &integrations), 0);
    let manifest = dir.join("package/example_logs/manifest.yml");
    std::fs::write(
        &manifest,
        std::fs::read_to_string(&manifest)
            .unwrap()
            .replace("0.1.0", "0.1.1"),
    )
    .unwrap();
    let output = compile(
        &example_logs(),
        &BuildSettings::new(&dir, Some(dir.join("no-ecs-here"))),
    )
    .unwrap();
    assert!(
        matches!(&drift::compare(&dir, &output)[..], [Drift::Changed(p, diff)] if p.ends_with("manifest.yml") && diff.contains("-version: 0.1.1\n+version: 0.1.0"))
    );
    assert_eq!(run_with(&args(true), &integrations), 1);
    assert_eq!(run_with(&args(false), &integrations), 0);
    assert_eq!(run_with(&args(true), &integrations), 0);
    let unknown = BuildRequest {
        names: vec!["nope".into()],
        ..args(true)
    };
    assert_eq!(run_with(&unknown, &integrations), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

/// End to end: `ingot test` runs the package's pipeline tests (the fixtures
/// copied from sample_events/) and they pass, field validation included.
#[test]
fn the_package_passes_its_pipeline_tests() {
    let Some(shared) = shared_dir_or_skip("the_package_passes_its_pipeline_tests") else { return };
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ingot"))
        .arg("test")
        .arg(fixture_root().join("package/example_logs"))
        .arg("--ecs")
        .arg(shared.join("ecs/ecs_nested-8.11.0.yml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("1 passed, 0 failed"), "{stdout}");
}

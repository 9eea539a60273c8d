//! The Message Trace package as shipped: the committed tree is what the DSL
//! builds, it validates against the package spec, its sample event is the
//! reviewed Graph fixture's output, and its agent templates say what the
//! Graph API needs.

mod support;

use ingot::integrations::microsoft_exchange_online_message_trace as mt;
use ingot::package::drift;
use ingot::package::ecs_schema::shared_dir_or_skip;
use ingot::package::{compile, BuildSettings};
use serde_json::Value as Json;
use std::path::PathBuf;

const PACKAGE: &str = "package/microsoft_exchange_online_message_trace";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_package_is_what_the_dsl_builds() {
    // The lock file makes this independent of an ECS schema being around.
    let settings = BuildSettings::new(&repo(), Some(repo().join("no-ecs-here")));
    let output = compile(&mt::integration(), &settings).expect("compiles");
    let drifts = drift::compare(&repo(), &output);
    assert!(
        drifts.is_empty(),
        "run `ingot build`: {}",
        drifts
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn package_validates_against_the_package_spec() {
    let Some(shared) = shared_dir_or_skip("package_validates_against_the_package_spec") else {
        return;
    };
    let errors = support::package_spec::validate_package(
        &shared.join("package-spec/spec"),
        &repo().join(PACKAGE),
    );
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn sample_event_is_the_first_graph_fixture_as_indexed() {
    let read = |p: &str| -> Json {
        serde_json::from_str(&std::fs::read_to_string(repo().join(p)).unwrap()).unwrap()
    };
    let mut sample = read(&format!("{PACKAGE}/data_stream/log/sample_event.json"));
    let fixture = read("sample_events/log/test-graph.log-expected.json")["expected"][0].clone();
    // What the agent and Elasticsearch add around the pipeline's output,
    // and the raw record the fixture keeps only because the test asks to.
    for key in ["data_stream", "input", "tags"] {
        sample.as_object_mut().unwrap().remove(key);
    }
    sample["event"].as_object_mut().unwrap().remove("dataset");
    let mut fixture = fixture;
    fixture["event"].as_object_mut().unwrap().remove("original");
    fixture.as_object_mut().unwrap().remove("tags");
    assert_eq!(sample, fixture);
}

#[test]
fn graph_stream_respects_the_api_limits() {
    let cel = std::fs::read_to_string(
        repo()
            .join(PACKAGE)
            .join("data_stream/log/agent/stream/cel.yml.hbs"),
    )
    .unwrap();
    for needle in [
        "/beta/admin/exchange/tracing/messageTraces",
        // A window is at most 10 days ...
        "duration(\"240h\")",
        // ... and starts at most 90 days back (a margin below 2160h).
        "duration(\"2159h\")",
        "receivedDateTime ge ",
        " and receivedDateTime le ",
        "\"$top\"",
        "5000",
        "@odata.nextLink",
        // 100 requests per 5 minutes is one request per 3 s.
        "resource.rate_limit.limit: 0.33",
        "resource.rate_limit.burst: 1",
        "auth.oauth2.client.secret: {{client_secret}}",
    ] {
        assert!(cel.contains(needle), "cel.yml.hbs lacks {needle}");
    }
}

#[test]
fn secrets_are_secret_and_legacy_is_off_by_default() {
    let package = mt::integration();
    for input in &package.policy_templates[0].inputs {
        for var in input.vars.iter().filter(|v| v.name == "client_secret") {
            assert_eq!(var.secret, Some(true), "{}", input.input_type);
        }
    }
    let streams = &package.data_streams[0].streams;
    let legacy = streams.iter().find(|s| s.input == "httpjson").unwrap();
    assert_eq!(legacy.enabled, Some(false));
    assert!(streams.iter().find(|s| s.input == "cel").unwrap().enabled != Some(false));
    // Every stream can carry local domains, tags and processors.
    for s in streams {
        let t = &s.template;
        for needle in [
            "_conf:",
            "local_domains",
            "tags:",
            "{{processors}}",
            "preserve_original_event",
        ] {
            assert!(t.contains(needle), "{} template lacks {needle}", s.input);
        }
    }
    // changelog 2.0.0: local domains are optional everywhere; default tags
    // are `forwarded` only (the seed's logfile stream also had
    // `microsoft-defender-endpoint`).
    for input in &package.policy_templates[0].inputs {
        let local = input.vars.iter().find(|v| v.name == "local_domains");
        assert_eq!(
            local.and_then(|v| v.required),
            Some(false),
            "{}",
            input.input_type
        );
    }
    for s in streams {
        let tags = s.vars.iter().find(|v| v.name == "tags").unwrap();
        assert_eq!(
            tags.default,
            Some(ingot::value::Value::List(vec![ingot::value::Value::from(
                "forwarded"
            )])),
            "{}",
            s.input
        );
    }
}

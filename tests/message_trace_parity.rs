//! The Message Trace package against the seed package users know (upstream
//! 1.21.2, under ../shared): the seed's own pipeline test, run through our
//! compiled pipeline by the pipeline-test runner, differs from the output
//! Elasticsearch produced for the seed only where the changelog says it
//! does. Each other deliberate difference is shown on a record that
//! triggers it, run through both the seed's pipeline and ours.
//!
//! Needs ../shared beside the repository (or INGOT_SHARED_DIR); skipped with
//! a message when it is missing, failed when INGOT_REQUIRE_SHARED is set.

use ingot::integrations::microsoft_exchange_online_message_trace as mt;
use ingot::package::ecs_schema::shared_dir_or_skip;
use ingot::package::{compile, BuildSettings};
use ingot::pipeline::{BuildContext, Pipeline};
use ingot::simulate::{simulate_document, Metadata};
use ingot::value::Value;
use serde_json::Value as Json;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const SEED: &str = "reference/upstream/seed/microsoft_exchange_online_message_trace";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The package as `ingot build` would write it, into a fresh directory.
fn built_package(into: &Path) -> PathBuf {
    let settings = BuildSettings::new(&repo(), None);
    let output = compile(&mt::integration(), &settings).expect("the package compiles");
    for file in &output.files {
        let path = into.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.contents).unwrap();
    }
    into.join("package/microsoft_exchange_online_message_trace")
}

/// A scratch directory, removed when the returned guard drops.
fn scratch_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("ingot-{name}-")).tempdir().unwrap()
}

/// Dotted path -> value of every leaf (arrays are leaves).
fn flatten(prefix: &str, v: &Json, out: &mut Vec<(String, Json)>) {
    match v {
        Json::Object(m) => {
            for (k, v) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, v, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

/// Paths whose values differ between two documents, either side missing.
fn differing_paths(want: &Json, got: &Json) -> BTreeSet<String> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    flatten("", want, &mut a);
    flatten("", got, &mut b);
    let a: std::collections::BTreeMap<_, _> = a.into_iter().collect();
    let b: std::collections::BTreeMap<_, _> = b.into_iter().collect();
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

#[test]
fn seed_pipeline_test_differs_only_by_the_listed_differences() {
    let Some(shared) =
        shared_dir_or_skip("seed_pipeline_test_differs_only_by_the_listed_differences")
    else {
        return;
    };
    let seed_tests = shared.join(SEED).join("data_stream/log/_dev/test/pipeline");
    let scratch = scratch_dir("mt-parity");
    let dir = scratch.path().to_path_buf();
    let package = built_package(&dir);
    let tests = package.join("data_stream/log/_dev/test/pipeline");
    // Only the seed's case: its records, its config.
    let _ = std::fs::remove_dir_all(&tests);
    std::fs::create_dir_all(&tests).unwrap();
    for f in ["test-log.log", "test-common-config.yml"] {
        std::fs::copy(seed_tests.join(f), tests.join(f)).unwrap();
    }
    let status = Command::new(env!("CARGO_BIN_EXE_ingot"))
        .arg("test")
        .arg(&package)
        .arg("--generate")
        .arg("--geoip-dir")
        .arg(shared.join("geoip"))
        .arg("--ecs")
        .arg(shared.join("ecs/ecs_nested-8.11.0.yml"))
        .status()
        .unwrap();
    assert!(status.success(), "ingot test --generate on the seed's case");

    let read = |p: &Path| -> Vec<Json> {
        let v: Json = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        v["expected"].as_array().unwrap().clone()
    };
    let seed = read(&seed_tests.join("test-log.log-expected.json"));
    let ours = read(&tests.join("test-log.log-expected.json"));
    assert_eq!(seed.len(), ours.len(), "same number of results");

    let mut differing = BTreeSet::new();
    for (i, (want, got)) in seed.iter().zip(&ours).enumerate() {
        // The empty page is dropped by both.
        assert_eq!(
            want.is_null(),
            got.is_null(),
            "result {i}: dropped by one only"
        );
        differing.extend(differing_paths(want, got));
    }
    // changelog 2.0.0: "Set event.kind `event`, event.category `email` and
    // event.type `info`." Nothing else differs on the seed's records.
    let expected: BTreeSet<String> = ["event.category", "event.kind", "event.type"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(differing, expected);
    for doc in ours.iter().filter(|d| !d.is_null()) {
        assert_eq!(doc["event"]["kind"], "event");
        assert_eq!(doc["event"]["category"], serde_json::json!(["email"]));
        assert_eq!(doc["event"]["type"], serde_json::json!(["info"]));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The seed's pipeline and ours, for record-by-record comparisons.
struct Both {
    seed: Pipeline,
    ours: Pipeline,
}

impl Both {
    fn load(shared: &Path) -> Both {
        let ctx = BuildContext {
            geoip_dir: Some(shared.join("geoip")),
            ..Default::default()
        };
        let seed = Pipeline::load(
            &shared
                .join(SEED)
                .join("data_stream/log/elasticsearch/ingest_pipeline/default.yml"),
            &ctx,
        )
        .unwrap();
        let mut p = mt::integration().data_streams[0].pipeline.clone();
        p.assign_tags();
        let ours = Pipeline::from_value("default", &p.definition().to_value(), &ctx).unwrap();
        Both { seed, ours }
    }

    /// Runs one raw record, as the agent sends it, through a pipeline;
    /// returns the simulate result (`{"doc": ...}` or `{"error": ...}`).
    fn run(pipeline: &Pipeline, record: &str, local_domains: Json) -> Json {
        let mut source =
            serde_json::json!({ "message": record, "tags": ["preserve_original_event"] });
        if !local_domains.is_null() {
            source["_conf"] = serde_json::json!({ "local_domains": local_domains });
        }
        let Value::Map(map) = Value::from_json_str(&source.to_string()).unwrap() else {
            unreachable!()
        };
        let doc =
            Metadata::default().document_with_timestamp(map, "2026-01-01T00:00:00.000Z".into());
        serde_json::from_str(&simulate_document(pipeline, doc).to_json()).unwrap()
    }

    fn seed(&self, record: &str, local: Json) -> Json {
        Both::run(&self.seed, record, local)
    }
    fn ours(&self, record: &str, local: Json) -> Json {
        Both::run(&self.ours, record, local)
    }
}

fn source(result: &Json) -> &Json {
    &result["doc"]["_source"]
}

fn is_pipeline_error(result: &Json) -> bool {
    source(result)["event"]["kind"] == "pipeline_error"
}

fn legacy(sender: &str, recipient: &str, status: &str) -> String {
    serde_json::json!({
        "MessageId": "<m1@example.com>", "MessageTraceId": "11111111-2222-3333-4444-555555555555",
        "Received": "2024-01-02T03:04:05.6789012Z", "SenderAddress": sender,
        "RecipientAddress": recipient, "Subject": "s", "Status": status, "Size": 10,
        "FromIP": "81.2.69.144", "ToIP": null,
    })
    .to_string()
}

fn both() -> Option<Both> {
    shared_dir_or_skip("message_trace_parity").map(|s| Both::load(&s))
}

#[test]
fn local_domains_compare_case_insensitively() {
    let Some(p) = both() else { return };
    let record = legacy("ada@Contoso.COM", "linus@CONTOSO.com", "Delivered");
    let local = serde_json::json!(["contoso.com"]);
    assert_eq!(
        source(&p.seed(&record, local.clone()))["email"]["direction"],
        "external"
    );
    assert_eq!(
        source(&p.ours(&record, local.clone()))["email"]["direction"],
        "internal"
    );
    // A single domain given as a string, in other case, works too.
    let single = p.ours(&record, serde_json::json!("CONTOSO.COM"));
    assert_eq!(source(&single)["email"]["direction"], "internal");
}

#[test]
fn null_sender_is_no_sender() {
    let Some(p) = both() else { return };
    let record = legacy("<>", "linus@contoso.com", "Delivered");
    let local = serde_json::json!(["contoso.com"]);
    assert!(
        is_pipeline_error(&p.seed(&record, local.clone())),
        "the seed fails on `<>`"
    );
    let ours = p.ours(&record, local);
    let doc = source(&ours);
    assert!(!is_pipeline_error(&ours));
    assert!(doc["email"].get("from").is_none());
    assert!(doc.get("source").and_then(|s| s.get("user")).is_none());
    assert_eq!(doc["email"]["direction"], "inbound");
    assert_eq!(
        doc["microsoft"]["online_message_trace"]["SenderAddress"],
        "<>"
    );
}

#[test]
fn address_without_at_is_kept() {
    let Some(p) = both() else { return };
    let record = legacy("MAILER-DAEMON", "linus@contoso.com", "Delivered");
    let local = serde_json::json!(["contoso.com"]);
    assert!(is_pipeline_error(&p.seed(&record, local.clone())));
    let ours = p.ours(&record, local);
    assert!(!is_pipeline_error(&ours));
    assert_eq!(
        source(&ours)["email"]["from"]["address"],
        serde_json::json!(["MAILER-DAEMON"])
    );
    assert!(source(&ours)["source"].get("domain").is_none());
}

#[test]
fn record_without_receive_time_is_kept() {
    let Some(p) = both() else { return };
    let record = r#"{"MessageTraceId":"x-1","Status":"Delivered","RecipientAddress":"a@contoso.com","SenderAddress":"b@contoso.com"}"#;
    let local = serde_json::json!(["contoso.com"]);
    assert!(is_pipeline_error(&p.seed(record, local.clone())));
    let ours = p.ours(record, local);
    assert!(!is_pipeline_error(&ours));
    assert!(source(&ours).get("@timestamp").is_none());
    assert_eq!(source(&ours)["email"]["local_id"], "x-1");
}

#[test]
fn user_fields_follow_direction_with_correct_precedence() {
    let Some(p) = both() else { return };
    // Internal mail whose recipient has an empty local part: the seed's
    // `a && b && inbound || internal` appends the empty name anyway, which
    // leaves a two-element list that later collapses to a one-element list.
    let record = legacy("ada@contoso.com", "@contoso.com", "Delivered");
    let local = serde_json::json!(["contoso.com"]);
    let seed = p.seed(&record, local.clone());
    let ours = p.ours(&record, local);
    assert_eq!(source(&seed)["email"]["direction"], "internal");
    assert_eq!(source(&ours)["email"]["direction"], "internal");
    assert_eq!(source(&seed)["user"]["name"], serde_json::json!(["ada"]));
    assert_eq!(source(&ours)["user"]["name"], "ada");
    // And the emitted conditions say what they mean.
    let mut pipeline = mt::integration().data_streams[0].pipeline.clone();
    pipeline.assign_tags();
    let def = pipeline.definition().to_value().to_json();
    assert!(
        def.contains("['inbound', 'internal'].contains(ctx.email?.direction)"),
        "{def}"
    );
}

#[test]
fn document_id_hashes_the_reported_status() {
    let Some(p) = both() else { return };
    let local = serde_json::json!(["contoso.com"]);
    let pending = legacy("ada@contoso.com", "linus@example.net", "Pending");
    let spam = legacy("ada@contoso.com", "linus@example.net", "FilteredAsSpam");
    let id = |r: &Json| r["doc"]["_id"].as_str().unwrap().to_string();
    // Both statuses are outcome `unknown`: the seed gives them one id.
    assert_eq!(
        id(&p.seed(&pending, local.clone())),
        id(&p.seed(&spam, local.clone()))
    );
    assert_ne!(
        id(&p.ours(&pending, local.clone())),
        id(&p.ours(&spam, local.clone()))
    );
    // A re-fetched record keeps its id.
    assert_eq!(
        id(&p.ours(&pending, local.clone())),
        id(&p.ours(&pending, local))
    );
}

#[test]
fn graph_records_map_like_legacy_ones() {
    let Some(p) = both() else { return };
    let local = serde_json::json!(["contoso.com"]);
    let graph = r#"{"id":"g-1","messageId":"<m1@example.com>","status":"delivered","receivedDateTime":"2024-01-02T03:04:05.678Z","recipientAddress":"linus@contoso.com","senderAddress":"ada@example.net","subject":"s","size":10,"fromIP":"81.2.69.144","toIP":""}"#;
    let seed = p.seed(graph, local.clone());
    assert!(
        is_pipeline_error(&seed),
        "the seed does not know Graph records"
    );
    let ours = p.ours(graph, local);
    let doc = source(&ours);
    assert_eq!(doc["email"]["local_id"], "g-1");
    assert_eq!(doc["email"]["direction"], "inbound");
    assert_eq!(doc["event"]["outcome"], "success");
    assert_eq!(doc["source"]["ip"], "81.2.69.144");
    assert!(doc.get("destination").and_then(|d| d.get("ip")).is_none());
    assert_eq!(doc["@timestamp"], "2024-01-02T03:04:05.678Z");
    assert_eq!(
        doc["microsoft"]["online_message_trace"]["Received"],
        "2024-01-02T03:04:05.678Z"
    );
    assert!(doc["microsoft"]["online_message_trace"]
        .get("receivedDateTime")
        .is_none());
}

#[test]
fn malformed_record_is_a_pipeline_error_naming_the_processor() {
    let Some(p) = both() else { return };
    for record in [r#"{"SenderAddress":"ada@exa"#, "not json"] {
        let seed = p.seed(record, Json::Null);
        let ours = p.ours(record, Json::Null);
        assert!(is_pipeline_error(&seed));
        assert!(is_pipeline_error(&ours));
        // The raw record stays, so nothing is lost.
        assert_eq!(source(&ours)["event"]["original"], record);
        let message = source(&ours)["error"]["message"].to_string();
        assert!(
            message.contains("json_microsoft_online_message_trace"),
            "{message}"
        );
        let seed_message = source(&seed)["error"]["message"].to_string();
        assert!(
            !seed_message.contains("json_microsoft_online_message_trace"),
            "{seed_message}"
        );
    }
}

#[test]
fn empty_pages_are_dropped() {
    let Some(p) = both() else { return };
    for page in [
        r#"{"odata.metadata":"https://reports.office365.com/x","value":[]}"#,
        r#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#x","value":[]}"#,
    ] {
        assert!(p.ours(page, Json::Null).is_null(), "{page}");
    }
}

#[test]
fn changelog_lists_every_difference_asserted_here() {
    // Each test above names one entry of the 2.0.0 release.
    let release = &mt::changelog()[0];
    assert_eq!(release.version, mt::VERSION);
    let text: Vec<&str> = release
        .changes
        .iter()
        .map(|c| c.description.as_str())
        .collect();
    for needle in [
        "Microsoft Graph",
        "camelCase",
        "event.kind",
        "case-insensitively",
        "null sender",
        "without `@`",
        "without a receive time",
        "precedence",
        "`_id`",
        "error.message",
    ] {
        assert!(
            text.iter().any(|t| t.contains(needle)),
            "changelog lacks {needle}"
        );
    }
}

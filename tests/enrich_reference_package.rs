//! The enrichment processors (geoip, registered_domain) against output that
//! Elasticsearch produced: the reference package's pipeline test, when the
//! workspace provides it and the GeoLite2 test databases. Only the
//! `source.*` and `destination.*` fields are compared, which those
//! processors write; the rest is the harness's conformance suite's job.

use ingot::document::IngestDocument;
use ingot::pipeline::{BuildContext, Outcome, Pipeline, RunContext};
use ingot::value::Value;
use std::path::Path;

mod support;
use support::shared_dir as shared;

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Map(m) => m.iter().for_each(|(k, v)| flatten(&format!("{prefix}{k}."), v, out)),
        other => out.push((prefix.trim_end_matches('.').to_string(), other.to_json())),
    }
}

fn network_fields(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    flatten("", v, &mut out);
    out.retain(|(k, _)| k.starts_with("source.") || k.starts_with("destination."));
    out.sort();
    out
}

#[test]
fn geo_as_and_domain_fields_match_elasticsearch() {
    let Some(shared) = shared() else { return };
    let stream = shared.join("reference/upstream/seed/microsoft_exchange_online_message_trace/data_stream/log");
    let ctx = BuildContext { geoip_dir: Some(shared.join("geoip")), ..Default::default() };
    let pipeline = match Pipeline::load(&stream.join("elasticsearch/ingest_pipeline/default.yml"), &ctx) {
        Ok(p) => p,
        Err(e) => panic!("the reference pipeline does not load: {e}"),
    };
    let tests = stream.join("_dev/test/pipeline");
    let expected = Value::from_json_str(&std::fs::read_to_string(tests.join("test-log.log-expected.json")).unwrap()).unwrap();
    let expected = expected.as_map().and_then(|m| m.get("expected")).and_then(Value::as_list).unwrap().clone();
    let lines = read_lines(&tests.join("test-log.log"));
    assert_eq!(lines.len(), expected.len());
    let mut compared = 0;
    for (line, want) in lines.iter().zip(&expected) {
        let mut source = ingot::value::Map::default();
        source.insert("message".into(), Value::from(line.as_str()));
        let mut doc = IngestDocument::new(source);
        let outcome = pipeline.execute(&mut doc, &mut RunContext::default());
        if want.is_null() {
            continue;
        }
        assert!(matches!(outcome, Ok(Outcome::Kept)), "{line}: {outcome:?}");
        let got = network_fields(&Value::Map(doc.source()));
        assert_eq!(got, network_fields(want), "{line}");
        compared += got.len();
    }
    assert!(compared > 50, "the comparison covered {compared} fields");
}

fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap().lines().map(str::to_string).collect()
}

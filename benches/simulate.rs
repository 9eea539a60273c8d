//! Throughput of `ingot simulate`'s streaming path against its floor.
//!
//! Generates N events (default 200 000, `INGOT_BENCH_EVENTS` to change),
//! runs them as NDJSON through a pipeline of core processors with
//! `simulate_ndjson` (the code `ingot simulate --pipeline` runs), and prints
//! events per second next to the floor: parsing each line with serde_json and
//! serialising it again, which any simulator must at least do.
//!
//! Processors that are not implemented yet are left out of the pipeline (the
//! run says which were used), so the benchmark grows with the simulator.

use ingot::pipeline::{build_processor, BuildContext, Pipeline, ProcessorDefinition};
use ingot::simulate::simulate_ndjson;
use ingot::value::Value;
use std::io::Write;
use std::time::Duration;

#[path = "support/mod.rs"]
mod support;
use support::best_of;

const CANDIDATE_PROCESSORS: &[&str] = &[
    r#"{"set": {"field": "event.kind", "value": "event"}}"#,
    r#"{"set": {"field": "event.ingested", "value": "{{{_ingest.timestamp}}}"}}"#,
    r#"{"dissect": {"field": "message", "pattern": "%{http.verb} %{url.path} %{http.code} %{bytes}"}}"#,
    r#"{"date": {"field": "@timestamp", "target_field": "event.created", "formats": ["ISO8601"]}}"#,
    r#"{"rename": {"field": "message", "target_field": "event.original"}}"#,
    r#"{"lowercase": {"field": "log.level"}}"#,
    r#"{"uppercase": {"field": "http.method", "ignore_missing": true}}"#,
    r#"{"json": {"field": "payload", "target_field": "parsed"}}"#,
    r#"{"convert": {"field": "status", "type": "long"}}"#,
    r#"{"append": {"field": "tags", "value": ["bench", "{{{host.name}}}"]}}"#,
    r#"{"set": {"field": "host.hostname", "copy_from": "host.name"}}"#,
    r#"{"remove": {"field": ["tmp", "payload"]}}"#,
];

fn events(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * 300);
    for i in 0..n {
        writeln!(
            out,
            concat!(
                r#"{{"@timestamp":"2024-05-01T12:{:02}:{:02}.000Z","message":"GET /index.html {} {}","#,
                r#""log":{{"level":"INFO"}},"http":{{"method":"get"}},"status":"{}","tmp":{},"#,
                r#""payload":"{{\"user\":\"u{}\",\"roles\":[\"a\",\"b\"],\"score\":{}.5}}","host":{{"name":"host-{}"}}}}"#
            ),
            (i / 60) % 60,
            i % 60,
            200 + i % 300,
            i * 7 % 10_000,
            200 + i % 300,
            i,
            i % 1000,
            i % 97,
            i % 13
        )
        .expect("writing to a Vec");
    }
    out
}

fn pipeline() -> (Pipeline, Vec<String>) {
    let ctx = BuildContext::default();
    let mut used = Vec::new();
    let mut processors = Vec::new();
    for text in CANDIDATE_PROCESSORS {
        let value = Value::from_json_str(text).expect("candidate processors are valid JSON");
        let builds = ProcessorDefinition::from_value(&value).and_then(|d| build_processor(&d, &ctx).map(|_| d.kind));
        if let Ok(kind) = builds {
            used.push(kind);
            processors.push(value);
        }
    }
    let mut definition = ingot::value::Map::default();
    definition.insert("processors".into(), Value::List(processors));
    let pipeline = Pipeline::from_value("bench", &Value::Map(definition), &ctx).expect("the bench pipeline builds");
    (pipeline, used)
}


fn main() {
    let n: usize = std::env::var("INGOT_BENCH_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(200_000);
    let input = events(n);
    let (pipeline, used) = pipeline();
    println!("ingot simulate benchmark: {n} events, {:.1} MB of NDJSON", input.len() as f64 / 1e6);
    println!("pipeline: {}", used.join(", "));

    let mut out = Vec::with_capacity(input.len() * 2);
    let floor = best_of(3, || {
        out.clear();
        for line in input.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let v: serde_json::Value = serde_json::from_slice(line).expect("generated events are JSON");
            serde_json::to_writer(&mut out, &v).expect("writing to a Vec");
            out.push(b'\n');
        }
    });

    let mut counts = None;
    let simulate = best_of(3, || {
        out.clear();
        counts = Some(simulate_ndjson(&pipeline, input.as_slice(), &mut out, |_| {}).expect("writing to a Vec"));
    });
    let counts = counts.expect("ran at least once");
    assert_eq!(counts.output + counts.failed + counts.dropped, n as u64, "every event gives a line");

    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!("serde_json parse + serialise (floor): {:>12.0} events/s", rate(floor));
    println!("ingot simulate --pipeline:            {:>12.0} events/s", rate(simulate));
    println!(
        "ratio: ingot takes {:.2}x the floor's time ({} out, {} failed, {} dropped)",
        simulate.as_secs_f64() / floor.as_secs_f64(),
        counts.output,
        counts.failed,
        counts.dropped
    );
}

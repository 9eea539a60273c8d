//! The text parsers on generated input: field paths, templates, grok,
//! dissect, date formats, pipeline files. Errors are fine; panics, hangs and
//! stack overflows are not.

mod common;

use common::*;
use ingot::date::DateFormatter;
use ingot::dissect::DissectParser;
use ingot::document::{FieldPath, IngestDocument};
use ingot::grok::{EcsMode, Grok};
use ingot::pipeline::definition::parse_document;
use ingot::pipeline::{BuildContext, Pipeline, PipelineDefinition};
use ingot::template::Template;
use ingot::value::{Map, Value};
use std::path::Path;
use std::time::Duration;

const PIECES: &[&str] = &[
    "%{", "}", "%{WORD:a}", "%{a}", "%{+a}", "%{?a}", "%{*a}", "%{&a}", "->", ":", "int", "float", "(", ")", "[",
    "]", "\\", "{{", "}}", "{{{", "}}}", "#", "^", "/", "a", ".", "..", "yyyy", "MM", "dd", "HH", "'", "''", "[",
    "uuuu", "SSS", "XXX", "VV", "zzzz", "EEEE", "MMMM", "Q", "w", "e", "G", "n", "N", " ", "-", "T", "é", "😀",
    "\0", "{", "?", "*", "+", "|", "$", "0", "9", "%{NUMBER:n:float}", "%{IP:ip}", "%{DATA}", "(?<x>", ">",
    "{{#a}}", "{{/a}}", "{{^a}}", "{{&a}}", "{{!c}}", "{{=<% %>=}}", "{{_ingest.timestamp}}", "{{#toJson}}",
];

fn piece_string(rng: &mut Rng) -> String {
    let n = rng.below(8);
    (0..n).map(|_| *rng.pick(PIECES)).collect()
}

fn fuzz_text(seed: u64, cases: usize) {
    let cases = std::env::var("INGOT_ROBUST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    quiet_panics();
    let mut rng = Rng::new(seed);
    let mut failures = Vec::new();
    let trace = std::env::var("INGOT_ROBUST_TRACE").is_ok();
    for i in 0..cases {
        let text = if rng.chance(70) { piece_string(&mut rng) } else { random_chars(&mut rng, 20) };
        let input = string(&mut rng);
        let doc_source = document(&mut rng);
        let which = rng.below(6);
        if trace {
            eprintln!("case #{i} kind {which}: {text:?} on {:?}", input.chars().take(80).collect::<String>());
        }
        let started = std::time::Instant::now();
        let r = catch(|| match which {
            0 => {
                if let Ok(path) = FieldPath::parse(&text) {
                    let mut doc = IngestDocument::new(doc_source.clone());
                    let _ = doc.get(&path);
                    let _ = doc.set(&path, Value::from("v"));
                    let _ = doc.append(&path, Value::from("w"), true);
                    let _ = doc.remove(&path);
                }
            }
            1 => {
                if let Ok(t) = Template::compile(&text) {
                    let doc = IngestDocument::new(doc_source.clone());
                    let _ = t.render(&doc);
                }
            }
            2 => {
                if let Ok(g) = Grok::compile(&[text.clone()], Vec::<(String, String)>::new(), EcsMode::V1) {
                    let _ = g.captures(&input);
                }
                let defs = vec![("X".to_string(), text.clone()), ("Y".to_string(), "%{X}".to_string())];
                if let Ok(g) = Grok::compile(&["%{Y:y}".to_string()], defs, EcsMode::Disabled) {
                    let _ = g.captures(&input);
                }
            }
            3 => {
                if let Ok(p) = DissectParser::new(&text, " ") {
                    let _ = p.parse(&input);
                }
            }
            4 => {
                if let Ok(f) = DateFormatter::for_pattern(&text) {
                    let _ = f.parse(&input);
                }
            }
            _ => {
                let path = if rng_bit(&text) { "p.json" } else { "p.yml" };
                if let Ok(v) = parse_document(Path::new(path), &text) {
                    let _ = PipelineDefinition::from_value(&v);
                }
            }
        });
        let took = started.elapsed();
        if took > Duration::from_secs(3) {
            failures.push(format!("case {which} took {took:?}\n  text: {text:?}\n  input: {:?}", input.chars().take(200).collect::<String>()));
        }
        if let Err(msg) = r {
            failures.push(format!("case {which} panicked at {}: {msg}\n  text: {text:?}\n  input: {:?}", last_panic_location(), input.chars().take(200).collect::<String>()));
        }
    }
    failures.sort();
    failures.dedup_by(|a, b| a.lines().next() == b.lines().next());
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n\n"));
}

fn rng_bit(s: &str) -> bool {
    s.len() % 2 == 0
}

#[test]
fn parsers_survive_generated_text() {
    run_bounded("parsers", Duration::from_secs(120), || fuzz_text(3, 3000));
}

#[test]
#[ignore = "heavy"]
fn parsers_survive_much_generated_text() {
    run_bounded("parsers", Duration::from_secs(1800), || fuzz_text(33, 100_000));
}

/// Random values as pipeline definitions: the loader's type checks.
#[test]
fn pipeline_definitions_from_generated_values() {
    run_bounded("definitions", Duration::from_secs(120), || {
        quiet_panics();
        let mut rng = Rng::new(5);
        let names: Vec<&str> = ingot::processors::registry().iter().map(|s| s.name).collect();
        for _ in 0..3000 {
            let mut p = Map::default();
            let mut body = map(&mut rng, 2, 4);
            for k in ["if", "on_failure", "ignore_failure", "tag", "description"] {
                if rng.chance(20) {
                    body.insert(k.into(), value(&mut rng, 2));
                }
            }
            p.insert(rng.pick(&names).to_string(), if rng.chance(80) { Value::Map(body) } else { value(&mut rng, 1) });
            let mut def = Map::default();
            def.insert("processors".into(), if rng.chance(85) { Value::List(vec![Value::Map(p)]) } else { value(&mut rng, 2) });
            if rng.chance(20) {
                def.insert("on_failure".into(), value(&mut rng, 2));
            }
            if rng.chance(10) {
                def.insert(key(&mut rng), value(&mut rng, 1));
            }
            let def = Value::Map(def);
            let r = catch(|| {
                if let Ok(p) = Pipeline::from_value("x", &def, &BuildContext::default()) {
                    let _ = p.definition.to_value();
                }
            });
            assert!(r.is_ok(), "panicked at {}: {:?}\n  {}", last_panic_location(), r, show(&def));
        }
    });
}

/// Field paths with very many segments: Elasticsearch nests maps that
/// deep; nothing here may overflow the stack doing the same.
#[test]
fn very_deep_field_paths() {
    run_bounded("deep paths", Duration::from_secs(120), || {
        // Deeper than a document can be written: refused with a message.
        assert!(FieldPath::parse(&vec!["a"; 100_000].join(".")).is_err());
        let path = vec!["a"; ingot::document::MAX_PATH_DEPTH].join(".");
        let path = FieldPath::parse(&path).expect("path");
        let mut doc = IngestDocument::new(Map::default());
        let _ = doc.set(&path, Value::from(1));
        let _ = doc.get(&path);
        let _ = Value::Map(doc.source()).to_json();
        let _ = doc.remove(&path);
        drop(doc);
    });
}

/// Documents nested deeper than JSON parsing allows arrive only through
/// processors; JSON input itself is limited.
#[test]
fn deeply_nested_json_input_is_an_error() {
    let text = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(Value::from_json_str(&text).is_err());
    let text = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert!(Value::from_json_str(&text).is_err());
    let yaml = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let _ = parse_document(Path::new("p.yml"), &yaml);
    let _ = parse_document(Path::new("p.json"), &yaml);
}

/// `_simulate` request bodies with generated metadata and sources, plain
/// and verbose: parse, run and render, never panic.
#[test]
fn simulate_requests_from_generated_bodies() {
    run_bounded("simulate", Duration::from_secs(120), || {
        quiet_panics();
        let mut rng = Rng::new(11);
        let ctx = BuildContext::default();
        for _ in 0..1500 {
            let mut doc = Map::default();
            if rng.chance(90) {
                doc.insert("_source".into(), if rng.chance(85) { Value::Map(document(&mut rng)) } else { value(&mut rng, 1) });
            }
            for k in ["_index", "_id", "_routing", "_version", "_version_type", "_if_seq_no", "_if_primary_term", "_ingest"] {
                if rng.chance(15) {
                    doc.insert(k.into(), if rng.chance(50) { scalar(&mut rng) } else { value(&mut rng, 1) });
                }
            }
            let mut processor = Map::default();
            let mut set = Map::default();
            set.insert("field".into(), Value::from(*rng.pick(FIELDS)));
            set.insert("value".into(), Value::from(*rng.pick(&["{{_index}}", "{{_ingest.timestamp}}", "{{{_source}}}", "x", "{{_version}}"])));
            processor.insert(if rng.chance(80) { "set" } else { "append" }.into(), Value::Map(set));
            let mut pipeline = Map::default();
            pipeline.insert("processors".into(), Value::List(vec![Value::Map(processor)]));
            let mut body = Map::default();
            body.insert("pipeline".into(), Value::Map(pipeline));
            body.insert("docs".into(), if rng.chance(90) { Value::List(vec![Value::Map(doc)]) } else { value(&mut rng, 1) });
            let body = Value::Map(body);
            let verbose = rng.chance(50);
            let r = catch(|| {
                if let Ok(request) = ingot::simulate::parse_request(&body, None, verbose, &ctx) {
                    let _ = ingot::simulate::execute(&request).to_json();
                }
            });
            assert!(r.is_ok(), "panicked at {}: {:?}\n  {}", last_panic_location(), r, show(&body));
        }
    });
}

/// `ingot test`'s inputs: config files, case files and expected files with
/// generated content.
#[test]
fn harness_inputs_from_generated_text() {
    use ingot::harness::case::{load_events, CaseKind};
    use ingot::harness::config::load_case_config;
    use ingot::harness::json::Json;
    run_bounded("harness", Duration::from_secs(120), || {
        quiet_panics();
        let mut rng = Rng::new(13);
        let dir_guard = tempfile::tempdir().unwrap();
        let dir = dir_guard.path().to_path_buf();
        std::fs::create_dir_all(&dir).unwrap();
        const KEYS: &[&str] = &["fields", "dynamic_fields", "numeric_keyword_fields", "string_number_fields", "multiline", "first_line_pattern", "skip", "reason", "link", "x"];
        const VALUES: &[&str] = &["", "1", "[a, b]", "{a: 1}", "'^\\d'", "'('", "null", "~", "[", "\"x", "{ first_line_pattern: '^a' }", "{ first_line_pattern: '[' }", "{ reason: r, link: l }", "- a\n- b", "&a x", "*a", "!!binary aGk="];
        for _ in 0..800 {
            let mut yaml = String::new();
            for _ in 0..rng.below(4) {
                let k = rng.pick(KEYS);
                let v = if rng.chance(80) { rng.pick(VALUES).to_string() } else { random_chars(&mut rng, 10) };
                yaml.push_str(&format!("{k}: {v}\n"));
                if rng.chance(30) {
                    yaml.push_str(&format!("  {}: {}\n", rng.pick(KEYS), rng.pick(VALUES)));
                }
            }
            std::fs::write(dir.join("test-common-config.yml"), &yaml).unwrap();
            let case_text = if rng.chance(50) {
                let mut events = Map::default();
                events.insert("events".into(), value(&mut rng, 2));
                Value::Map(events).to_json()
            } else {
                (0..rng.below(5)).map(|_| string(&mut rng)).collect::<Vec<_>>().join("\n")
            };
            let r = catch(|| {
                let _ = Json::parse(&case_text);
                let _ = ingot::harness::compare::parse_expected(&case_text);
                if let Ok(config) = load_case_config(&dir, "test-x.log") {
                    let _ = load_events(CaseKind::Raw, &case_text, &config, "test-x.log");
                    let _ = load_events(CaseKind::Events, &case_text, &config, "test-x.json");
                }
            });
            assert!(r.is_ok(), "panicked at {}: {:?}\n  config: {yaml:?}\n  case: {:?}", last_panic_location(), r, case_text.chars().take(300).collect::<String>());
        }
        let _ = std::fs::remove_dir_all(&dir);
    });
}

/// Deeply nested or self-referencing input to each text parser.
#[test]
fn deep_and_recursive_parser_input() {
    let n = 50_000;
    let cases: Vec<(&str, String)> = vec![
        ("template sections", format!("{}x{}", "{{#a}}".repeat(n), "{{/a}}".repeat(n))),
        ("template inverted", format!("{}x{}", "{{^a}}".repeat(n), "{{/a}}".repeat(n))),
        ("template unclosed", "{{#a}}".repeat(n)),
        ("grok parens", format!("{}a{}", "(".repeat(n), ")".repeat(n))),
        ("grok refs", "%{WORD:a}".repeat(2000)),
        ("grok classes", "[".repeat(n)),
        ("dissect", "%{a}".repeat(n)),
        ("date", "'".repeat(n)),
        ("date optional", format!("{}yyyy{}", "[".repeat(n), "]".repeat(n))),
        ("field path", ".".repeat(n)),
    ];
    for (label, text) in cases {
        eprintln!("deep parser case: {label}");
        run_bounded(label, Duration::from_secs(60), move || {
            let doc = IngestDocument::new(Map::default());
            if let Ok(t) = Template::compile(&text) {
                let _ = t.render(&doc);
            }
            if let Ok(g) = Grok::compile(&[text.clone()], Vec::<(String, String)>::new(), EcsMode::V1) {
                let _ = g.captures("aaaa");
            }
            if let Ok(p) = DissectParser::new(&text, " ") {
                let _ = p.parse("a b c");
            }
            if let Ok(f) = DateFormatter::for_pattern(&text) {
                let _ = f.parse("2024");
            }
            let _ = FieldPath::parse(&text);
        });
    }
    // Pattern definitions that refer to themselves, directly or in a cycle.
    for defs in [
        vec![("A", "%{A}")],
        vec![("A", "%{B}"), ("B", "%{A}")],
        vec![("A", "%{B:x}"), ("B", "%{C}"), ("C", "x%{A}")],
    ] {
        let defs: Vec<(String, String)> = defs.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        run_bounded("grok cycle", Duration::from_secs(30), move || {
            assert!(Grok::compile(&["%{A}".to_string()], defs, EcsMode::Disabled).is_err());
        });
    }
}

//! Every registered processor, built from generated option maps (right and
//! wrong types, missing and extra keys, odd strings, edge numbers) and run on
//! generated documents: `build` and `execute` return `Ok` or an `EsError`,
//! never panic, never hang.
//!
//! The default run is sized for a debug `cargo test` (a few seconds);
//! `cargo test --test robustness_processors -- --ignored` runs the heavy one.

mod common;

use common::*;
use ingot::document::IngestDocument;
use ingot::pipeline::{BuildContext, Pipeline, RunContext};
use ingot::processors::{registry, OptionKind, OptionSpec};
use ingot::value::{Map, Value};
use std::time::{Duration, Instant};

const PATTERNS: &[&str] = &[
    "%{WORD:a}", "%{IP:ip} %{GREEDYDATA:rest}", "%{", "%{NOTEXIST:x}", "%{WORD:a:int}", "%{NUMBER:n:float}",
    "%{WORD:a.b}", "%{WORD:[a][b]}", "%{WORD}", "(?<x>a+)", "(a+)+$", "[", "(?", "\\", "%{DATA:a}%{DATA:a}",
    "%{a} %{b}", "%{+a} %{+a}", "%{?a} %{&a}", "%{*a}%{&a}", "%{}", "%{a}%{b}", "%{a->} %{b}", "%{+a/2} %{+a/1}",
    "%{+a/x}", "", "%{a", "%{SELF}", "%{WORD:a:bogus}", "x{1000000}", "(?i)ab", "\\p{L}+", "\\Qa\\E",
    "(?<a>x)(?<a>y)", "a{2,1}", "%{?}", "%{&}", "%{*}", "%{+}", "%{->}", "[^]", "(?=a)", "\\1",
];
const FORMATS: &[&str] = &[
    "ISO8601", "UNIX", "UNIX_MS", "TAI64N", "yyyy-MM-dd", "dd/MMM/yyyy:HH:mm:ss Z", "YYYY'W'ww", "uuuu",
    "'", "[yyyy]", "ppp", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSZZZZZ", "strict_date_optional_time", "epoch_second",
    "MMM d HH:mm:ss", "EEE, dd MMM yyyy", "G", "Q", "VV", "z", "zzzz", "O", "X", "xxxxx", "n", "N", "A",
    "yyyyyyyyyyyyyyyyyyy", "SSSSSSSSSSSS", "{{message}}", "", "8yyyy", "date_time||epoch_millis", "e", "c",
    "w", "W", "D", "DDDD", "h", "K", "k", "H", "a", "B", "[", "]", "''", "'unterminated", "#", "{", "MMMMMM",
];
const REGEXES: &[&str] = &[
    ",", "\\s+", "(", ")", "", "|", "a*", "\\", "[a-", "(?<x>.)", "$", "^", "\\b", ".", "(a|b)+", "\\p{Zs}",
    "x{99999}", "(?i)A", "\\d", "\\uD800", "\\x{110000}", "&", "=", ":", " ", "\t",
];
const OTHERS: &[&str] = &[
    "integer", "long", "float", "double", "string", "boolean", "ip", "auto", "bogus", "MD5", "SHA-1",
    "SHA-256", "SHA-512", "MurmurHash3", "UTC", "Europe/Paris", "+01:00", "Z", "GMT+25", "nonsense/zone",
    "en", "en_US", "fr_FR", "xx", "und", "ENGLISH", "application/json", "text/plain", "application/x-www-form-urlencoded",
    "bogus/type", "asc", "desc", "up", "y", "d", "M", "h", "s", "w", "YYYY", "yyyy", "{{a}}", "replace",
    "merge", "<{{message}}-{{x}}>", "ecs", "v1", "disabled", "none", "1", "0", "-1", "1e3", "1000000000",
    "internal_network", "private", "public", "loopback", "10.0.0.0/8", "::/0", "256.0.0.0/8", "unicast",
    "city", "GeoLite2-City.mmdb", "  ", ".",
];

const DOC_FIELDS: &[&str] = &["message", "a", "x", "list", "num", "ip", "url", "date", "map", "a.b", "deep"];
const SCRIPTS: &[&str] = &[
    "ctx.a = 1", "ctx.x = ctx.message?.length()", "ctx.list?.add(1)", "if (ctx.a == null) { ctx.a = [:] }",
    "ctx.remove('message')", "ctx.y = params.p", "for (def k : ctx.keySet()) { ctx.z = k }",
    "ctx.n = Integer.parseInt(ctx.message)", "ctx.x = ctx.num / 0", "while (ctx.q == null) {}", "throw new Exception('x')",
    "ctx._index = 'i'", "ctx.s = String.valueOf(ctx.a).substring(1)", "def m = [:]; for (int i = 0; i < 200; i++) { m = ['a': m] } ctx.m = m",
    "ctx.l = new ArrayList(); ctx.l.add(ctx.l)", "ctx.x = ctx", "return", "ctx.a.b.c = 1",
];
const ENUMS: &[(&str, &[&str])] = &[
    ("type", &["integer", "long", "float", "double", "string", "boolean", "ip", "auto", "bogus"]),
    ("method", &["MD5", "SHA-1", "SHA-256", "SHA-512", "MurmurHash3", "x"]),
    ("timezone", &["UTC", "Europe/Paris", "+01:00", "Z", "GMT+25", "nonsense/zone", "{{x}}"]),
    ("locale", &["en", "en_US", "fr_FR", "xx", "", "de-DE", "ENGLISH"]),
    ("order", &["asc", "desc", "up"]),
    ("date_rounding", &["y", "M", "w", "d", "h", "m", "s", "x", ""]),
    ("lang", &["painless", "mustache", "x"]),
    ("iana_number", &["6", "17", "-1", "999", "x"]),
    ("media_type", &["application/json", "text/plain", "application/x-www-form-urlencoded", "bogus"]),
    ("database_file", &["GeoLite2-City.mmdb", "x.mmdb", "", "../etc"]),
    ("source", SCRIPTS),
];

fn string_option(rng: &mut Rng, spec: &OptionSpec, sane: bool) -> String {
    let name = spec.name;
    if let Some((_, values)) = ENUMS.iter().find(|(n, _)| *n == name) {
        if sane || rng.chance(70) {
            return rng.pick(values).to_string();
        }
    }
    if (name == "field" || name.ends_with("_field") || name == "fields") && sane && rng.chance(70) {
        return rng.pick(DOC_FIELDS).to_string();
    }
    if !sane && rng.chance(25) {
        return string(rng);
    }
    let pool: &[&str] = if name.contains("pattern") || name == "patterns" || name == "append_separator" {
        PATTERNS
    } else if name.contains("format") || name == "date_rounding" {
        FORMATS
    } else if name.contains("split")
        || name.contains("separator")
        || name == "replacement"
        || name.contains("trim")
        || name.contains("quote")
    {
        REGEXES
    } else if name.contains("field") || name == "path" || name == "source" {
        FIELDS
    } else {
        OTHERS
    };
    if rng.chance(60) {
        rng.pick(pool).to_string()
    } else {
        let all = [PATTERNS, FORMATS, REGEXES, FIELDS, OTHERS];
        let pool = *rng.pick(&all);
        rng.pick(pool).to_string()
    }
}

fn option_value(rng: &mut Rng, spec: &OptionSpec, sane: bool) -> Value {
    // Out of the sane mode, one time in five any value at all (wrong types included).
    if !sane && rng.chance(20) {
        return value(rng, 2);
    }
    if spec.name == "processor" && spec.kind == OptionKind::Map {
        let specs = registry();
        let inner = rng.pick(specs);
        let mut m = Map::default();
        m.insert(inner.name.to_string(), Value::Map(options(rng, inner.options, sane)));
        return Value::Map(m);
    }
    match spec.kind {
        OptionKind::String => Value::String(string_option(rng, spec, sane)),
        OptionKind::Bool => Value::Bool(rng.chance(50)),
        OptionKind::Int => match rng.below(3) {
            0 => Value::String(rng.pick(&["1", "-1", "x", "99999999999999999999", ""]).to_string()),
            _ => Value::integer(*rng.pick(INTS)),
        },
        OptionKind::StringList => Value::List(
            (0..rng.below(4))
                .map(|_| Value::String(string_option(rng, spec, sane)))
                .collect(),
        ),
        OptionKind::StringOrList => {
            if rng.chance(50) {
                Value::String(string_option(rng, spec, sane))
            } else {
                Value::List(
                    (0..rng.below(4))
                        .map(|_| Value::String(string_option(rng, spec, sane)))
                        .collect(),
                )
            }
        }
        OptionKind::Map => {
            let mut m = Map::default();
            for _ in 0..rng.below(4) {
                if spec.name == "pattern_definitions" {
                    m.insert(
                        rng.pick(&["WORD", "X", "Y", "SELF", "", "a b", "NUMBER"]).to_string(),
                        Value::String(rng.pick(PATTERNS).to_string()),
                    );
                } else if spec.name == "params" {
                    m.insert(rng.pick(&["p", "a", "x"]).to_string(), value(rng, 2));
                } else {
                    m.insert(key(rng), value(rng, 2));
                }
            }
            Value::Map(m)
        }
        OptionKind::Any => value(rng, 2),
    }
}

fn options(rng: &mut Rng, specs: &[OptionSpec], sane: bool) -> Map {
    let mut m = Map::default();
    for spec in specs {
        let include = match (spec.required, sane) {
            (true, true) => true,
            (true, false) => rng.chance(92),
            (false, true) => rng.chance(30),
            (false, false) => rng.chance(45),
        };
        if include {
            m.insert(spec.name.to_string(), option_value(rng, spec, sane));
        }
    }
    if !sane && rng.chance(5) {
        m.insert(key(rng), value(rng, 1));
    }
    if rng.chance(10) {
        m.insert("ignore_failure".into(), Value::Bool(rng.chance(50)));
    }
    if rng.chance(5) {
        m.insert("tag".into(), value(rng, 0));
    }
    m
}

/// One generated pipeline: one or two processors, sometimes with
/// `on_failure` handlers, run on a few documents.
fn pipeline_value(rng: &mut Rng, first: &'static str) -> Value {
    let specs = registry();
    let mut processors = Vec::new();
    let count = if rng.chance(80) { 1 } else { 2 };
    for i in 0..count {
        let spec = if i == 0 {
            specs.iter().find(|s| s.name == first).unwrap()
        } else {
            rng.pick(specs)
        };
        let sane = rng.chance(65);
        let mut body = options(rng, spec.options, sane);
        if spec.name == "set" && sane && !body.contains_key("copy_from") {
            body.insert("value".into(), value(rng, 1));
        }
        if spec.name == "script" && sane {
            body.shift_remove("id");
            body.shift_remove("lang");
            body.insert("source".into(), Value::String(rng.pick(SCRIPTS).to_string()));
        }
        if spec.name == "script" && sane && rng.chance(50) {
            let mut params = Map::default();
            params.insert("p".into(), value(rng, 1));
            body.insert("params".into(), Value::Map(params));
        }
        if rng.chance(10) {
            let handler = rng.pick(specs);
            let mut h = Map::default();
            h.insert(handler.name.to_string(), Value::Map(options(rng, handler.options, sane)));
            body.insert("on_failure".into(), Value::List(vec![Value::Map(h)]));
        }
        let mut p = Map::default();
        p.insert(spec.name.to_string(), Value::Map(body));
        processors.push(Value::Map(p));
    }
    let mut pipeline = Map::default();
    pipeline.insert("processors".into(), Value::List(processors));
    Value::Map(pipeline)
}

fn fuzz_processors(seed: u64, per_processor: usize, docs: usize) {
    quiet_panics();
    let mut failures: Vec<String> = Vec::new();
    let ctx = BuildContext::default();
    let stats = std::env::var("INGOT_ROBUST_STATS").is_ok();
    for (i, spec) in registry().iter().enumerate() {
        let (mut built, mut ran_ok) = (0usize, 0usize);
        let mut rng = Rng::new(seed ^ (i as u64 + 1) * 7919);
        for _case in 0..per_processor {
            let definition = pipeline_value(&mut rng, spec.name);
            let documents: Vec<Map> = (0..docs).map(|_| document(&mut rng)).collect();
            let started = Instant::now();
            let result = catch(|| {
                let pipeline = match Pipeline::from_value("fuzz", &definition, &ctx) {
                    Ok(p) => p,
                    Err(e) => {
                        if std::env::var("INGOT_ROBUST_ERRORS").as_deref() == Ok(spec.name) {
                            eprintln!("{}\n  -> {}", show(&definition), e.reason);
                        }
                        return (0, 0);
                    }
                };
                let mut ok = 0;
                for d in &documents {
                    let mut doc = IngestDocument::new(d.clone());
                    if pipeline.execute(&mut doc, &mut RunContext::default()).is_ok() {
                        ok += 1;
                    }
                    let _ = Value::Map(doc.source()).to_json();
                }
                (1, ok)
            });
            if let Ok((b, o)) = result {
                built += b;
                ran_ok += o;
            }
            if let Err(msg) = result {
                failures.push(format!(
                    "[{}] panicked at {}: {msg}\n  pipeline: {}\n  first doc: {}",
                    spec.name,
                    last_panic_location(),
                    show(&definition),
                    documents.first().map(|d| show(&Value::Map(d.clone()))).unwrap_or_default()
                ));
            }
            let took = started.elapsed();
            if took > Duration::from_secs(5) {
                failures.push(format!(
                    "[{}] took {took:?}\n  pipeline: {}",
                    spec.name,
                    show(&definition)
                ));
            }
        }
        if stats {
            eprintln!("{:>20}: built {built}/{per_processor}, documents ok {ran_ok}", spec.name);
        }
    }
    // One report per distinct panic location.
    failures.sort();
    failures.dedup_by(|a, b| a.lines().next() == b.lines().next());
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn every_processor_survives_generated_options_and_documents() {
    run_bounded("processors", Duration::from_secs(120), || fuzz_processors(1, 45, 3));
}

#[test]
#[ignore = "heavy: ~10x the default cases; run before a release"]
fn every_processor_survives_many_generated_cases() {
    run_bounded("processors", Duration::from_secs(1800), || fuzz_processors(99, 800, 4));
}

//! ns per evaluation of a typical null-safe `if` condition, against the
//! floor of doing the same lookup by hand on the map.
//!
//! Run with `cargo bench --bench painless`.

use ingot::painless::{compile, ScriptContext};
use ingot::value::{Map, Value};
use std::hint::black_box;
use std::time::Instant;

fn document() -> Map {
    let json = r#"{
        "@timestamp": "2024-05-01T10:00:00.000Z",
        "_index": "logs-test-default", "_id": "1",
        "message": "user bob logged in from 10.0.0.1",
        "host": {"name": "web-1", "ip": ["10.0.0.1"], "os": {"family": "linux"}},
        "user": {"name": "bob", "id": "42"},
        "source": {"ip": "10.0.0.1", "port": 51234},
        "tags": ["forwarded", "preserve_original_event"],
        "labels": {"env": "prod"},
        "event": {"kind": "event", "category": ["authentication"], "type": ["start"], "outcome": "success"}
    }"#;
    match Value::from_json_str(json).unwrap() {
        Value::Map(m) => m,
        _ => unreachable!(),
    }
}

fn time_per_iteration(iterations: u32, mut f: impl FnMut() -> bool) -> f64 {
    for _ in 0..iterations / 10 {
        black_box(f());
    }
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / iterations as f64
}

fn main() {
    let ctx = document();
    let params = Map::default();
    let iterations = 2_000_000;
    let source = "ctx.event?.original == null";
    let script = compile(source, ScriptContext::Condition).expect("compiles");
    assert!(script.condition(&ctx, &params).unwrap());

    let painless = time_per_iteration(iterations, || script.condition(black_box(&ctx), &params).unwrap());
    let floor = time_per_iteration(iterations, || {
        let ctx = black_box(&ctx);
        ctx.get("event").and_then(Value::as_map).and_then(|e| e.get("original")).is_none_or(Value::is_null)
    });
    println!("{source:<40} {painless:>8.1} ns/eval");
    println!("{:<40} {floor:>8.1} ns/eval (floor: the same lookup in Rust)", "hand-written map lookup");

    let longer = "ctx.tags == null || !(ctx.tags.contains('preserve_original_event'))";
    let script = compile(longer, ScriptContext::Condition).expect("compiles");
    let t = time_per_iteration(iterations / 4, || script.condition(black_box(&ctx), &params).unwrap());
    println!("{longer:<40} {t:>8.1} ns/eval");

    // The shape most of the Message Trace pipeline's conditions have: a type
    // test through a null-safe chain, then a method on the same field.
    let typed = "(ctx.user?.name instanceof String || ctx.user?.name instanceof List) && ctx.user.name.contains('o')";
    let script = compile(typed, ScriptContext::Condition).expect("compiles");
    assert!(script.condition(&ctx, &params).unwrap());
    let t = time_per_iteration(iterations / 4, || script.condition(black_box(&ctx), &params).unwrap());
    println!("{typed:<40} {t:>8.1} ns/eval");

    let compile_ns = time_per_iteration(20_000, || compile(black_box(source), ScriptContext::Condition).is_ok());
    println!("{:<40} {compile_ns:>8.1} ns/compile", "compile of the first condition");
}

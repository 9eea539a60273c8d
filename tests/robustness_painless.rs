//! Painless on mutated and generated source text and generated `ctx`:
//! compile, `condition` and `execute` return `Ok` or an `EsError`, never
//! panic, never hang, never overflow the Rust stack (deep nesting in the
//! source, infinite recursion in a script).

mod common;

use common::*;
use ingot::painless::{compile, ScriptContext};
use ingot::value::{Map, Value};
use std::time::{Duration, Instant};

const CORPUS: &[&str] = &[
    "ctx.a = 1",
    "ctx?.message != null && ctx.message.contains('x')",
    "ctx.list instanceof List && ctx.list.size() > 0",
    "def x = ctx.a; if (x == null) { return false } return x.toString().length() > 2",
    "for (int i = 0; i < 10; i++) { ctx.n = i * 2 }",
    "def m = ctx.map; if (m instanceof Map) { for (def e : m.entrySet()) { ctx[e.getKey()] = e.getValue() } }",
    "String s = ctx.message; ctx.parts = s.splitOnToken(' ')",
    "ctx.x = ctx.num == null ? 0 : ctx.num + 1",
    "ctx.s = /a(b+)/.matcher(ctx.message ?: '').find()",
    "int f(int n) { return n <= 1 ? 1 : n * f(n - 1) } ctx.f = f(10)",
    "long g(long n) { return g(n + 1) } ctx.g = g(0)",
    "ctx.l = [1, 2, 3].stream().map(x -> x * 2).collect(Collectors.toList())",
    "ctx.d = Math.max(ctx.num ?: 0, 10) / 3.0",
    "ctx.t = ctx.message?.trim()?.toLowerCase()",
    "def a = new ArrayList(); a.add(1); a.add('x'); ctx.a = a",
    "def h = new HashMap(); h.put('k', [1: 2]); ctx.h = h",
    "try { ctx.z = Integer.parseInt(ctx.message) } catch (NumberFormatException e) { ctx.z = -1 }",
    "while (ctx.n < 5) { ctx.n++ }",
    "do { ctx.k = 1 } while (false)",
    "ctx.b = (byte) 300; ctx.c = (char) 65; ctx.i = (int) 1e20; ctx.l = (long) -1e30",
    "ctx.q = Integer.MAX_VALUE + 1; ctx.r = Long.MIN_VALUE / -1; ctx.u = 1 / 0",
    "ctx.v = 5 % 0; ctx.w = 1 << 65; ctx.y = -8 >>> 1",
    "String x = 'abc'; ctx.sub = x.substring(2, 1)",
    "ctx.e = ctx.list[5]",
    "ctx['a.b'] = ctx.get('x')",
    "return ctx.containsKey('message') ? true : false",
    "ctx.j = String.join(',', ['a', 'b'])",
    "ctx.remove('a'); ctx.putAll(['x': 1])",
    "def s = ''; for (int i = 0; i < 100; i++) { s += i } ctx.s = s",
    "ctx.z = ctx.a.b.c.d",
    "boolean b = ctx.flag; return !b",
    "ctx.k = ctx.keySet().size()",
    "ctx.x = 'a' * 2",
    "ctx.x = null.foo()",
    "ctx.list.add(ctx.list); ctx.n = ctx.list.size()",
    "def m = [:]; for (int i = 0; i < 1000; i++) { m = ['a': m] } ctx.deepmap = m",
    "def l = []; for (int i = 0; i < 1000; i++) { l = [l] } ctx.deeplist = l",
    "ctx.x = \"\\u0041\\n\\t\" + 'é😀'",
    "ctx.n = 0x7fffffff + 0777 + 1_0 + 1e-5f + 2.0d + 3L",
];

const TOKENS: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ";", ",", ".", "?.", "?:", "?", ":", "::", "->", "=", "==", "===", "!=",
    "+", "-", "*", "/", "%", "++", "--", "<<", ">>>", "&&", "||", "!", "~", "^", "&", "|", "+=", "instanceof",
    "new", "def", "int", "long", "String", "if", "else", "for", "while", "return", "break", "continue",
    "ctx", "params", "null", "true", "false", "0", "1", "-1", "2147483648", "9223372036854775808", "1e999",
    "0x", "'", "\"", "'unterminated", "\\", "/", "/a/", "//", "/*", "*/", "$", "#", "@", "é", "😀", "\0",
    " ", "\n", "throw", "try", "catch", "this", "List", "Map", "x", "ctx.a", "[:]", "[]", "e", ".5", "5.",
];

fn mutate(rng: &mut Rng, source: &str) -> String {
    let mut s: Vec<char> = source.chars().collect();
    for _ in 0..1 + rng.below(4) {
        match rng.below(6) {
            0 if !s.is_empty() => {
                let i = rng.below(s.len());
                s.remove(i);
            }
            1 if !s.is_empty() => {
                let i = rng.below(s.len());
                let j = (i + 1 + rng.below(8)).min(s.len());
                s.drain(i..j);
            }
            2 | 3 => {
                let i = rng.below(s.len() + 1);
                let tok: Vec<char> = rng.pick(TOKENS).chars().collect();
                s.splice(i..i, tok);
            }
            4 if !s.is_empty() => {
                // Duplicate a slice.
                let i = rng.below(s.len());
                let j = (i + 1 + rng.below(20)).min(s.len());
                let piece: Vec<char> = s[i..j].to_vec();
                s.splice(i..i, piece);
            }
            _ => {
                let other: Vec<char> = rng.pick(CORPUS).chars().collect();
                let i = rng.below(s.len() + 1);
                let k = rng.below(other.len() + 1);
                s.splice(i..i, other[k..].iter().copied());
            }
        }
    }
    s.into_iter().collect()
}

fn random_tokens(rng: &mut Rng) -> String {
    let n = 1 + rng.below(30);
    (0..n).map(|_| *rng.pick(TOKENS)).collect::<Vec<_>>().join(if rng.chance(50) { " " } else { "" })
}

fn ctx(rng: &mut Rng) -> Map {
    let mut m = document(rng);
    if rng.chance(50) {
        m.insert("_index".into(), Value::from("idx"));
    }
    m
}

fn run_source(source: &str, rng: &mut Rng, failures: &mut Vec<String>) {
    for context in [ScriptContext::Condition, ScriptContext::Ingest] {
        let started = Instant::now();
        let mut c = ctx(rng);
        let mut params = Map::default();
        if rng.chance(50) {
            params.insert("p".into(), value(rng, 2));
        }
        let result = catch(|| {
            if let Ok(script) = compile(source, context) {
                match context {
                    ScriptContext::Condition => {
                        let _ = script.condition(&c, &params);
                    }
                    ScriptContext::Ingest => {
                        let _ = script.execute(&mut c, &params);
                        let _ = Value::Map(c.clone()).to_json();
                    }
                }
            }
        });
        if let Err(msg) = result {
            failures.push(format!(
                "panicked at {}: {msg}\n  {context:?} source: {:?}",
                last_panic_location(),
                source.chars().take(400).collect::<String>()
            ));
        }
        let took = started.elapsed();
        // A loop runs at most 1,000,000 iterations: even in a debug build
        // that is well under this.
        if took > Duration::from_secs(20) {
            failures.push(format!("took {took:?}: {context:?} source: {source:?}"));
        }
    }
}

fn fuzz(seed: u64, cases: usize) {
    quiet_panics();
    let mut rng = Rng::new(seed);
    let mut failures = Vec::new();
    for source in CORPUS {
        run_source(source, &mut rng, &mut failures);
    }
    for _ in 0..cases {
        let source = match rng.below(10) {
            0 => random_tokens(&mut rng),
            1 => random_chars(&mut rng, 40),
            _ => {
                let base = rng.pick(CORPUS).to_string();
                mutate(&mut rng, &base)
            }
        };
        // Skip the endless loops mutation may write; the dedicated test
        // below covers the loop limit once.
        if source.contains("while") || source.contains("for") || source.contains("do") {
            continue;
        }
        run_source(&source, &mut rng, &mut failures);
    }
    failures.sort();
    failures.dedup_by(|a, b| a.lines().next() == b.lines().next());
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn mutated_scripts_never_panic() {
    run_bounded("painless", Duration::from_secs(120), || fuzz(7, 2000));
}

#[test]
#[ignore = "heavy: many more mutated scripts"]
fn many_mutated_scripts_never_panic() {
    run_bounded("painless", Duration::from_secs(1800), || fuzz(77, 60_000));
}

/// Nesting far beyond any real script: a clear compile error, never a
/// Rust stack overflow.
#[test]
fn deep_nesting_in_the_source_is_an_error_not_a_crash() {
    let n = 100_000;
    let cases = vec![
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        format!("ctx.x = {}1{}", "[".repeat(n), "]".repeat(n)),
        format!("{}{}", "{".repeat(n), "}".repeat(n)),
        format!("ctx.x = {}1", "-".repeat(n)),
        format!("ctx.x = {}true", "!".repeat(n)),
        format!("ctx.x = {}1", "(int)".repeat(n)),
        format!("ctx.x = {}1", "true ? ".repeat(n) + &" : 0".repeat(n)),
        format!("ctx.x = 1{}", " + 1".repeat(n)),
        format!("ctx.x = 1{}", " == 1".repeat(n)),
        format!("ctx.x = a{}", ".b".repeat(n)),
        format!("ctx.x = ctx{}", "[0]".repeat(n)),
        format!("ctx.x = 1{}", " ?: 1".repeat(n)),
        format!("ctx.a{}", " = ctx.a".repeat(n)),
        format!("{}ctx.a = 1", "if (ctx.a == null) ".repeat(n)),
        format!("{}", "ctx.a = 1;".repeat(n)),
        format!("ctx.x = ['a': {}1{}]", "['a': ".repeat(n), "]".repeat(n)),
        format!("ctx.x = {}1", "x -> ".repeat(n)),
        format!("ctx.x = 'a'{}", ".toString()".repeat(n)),
    ];
    for source in cases {
        let label: String = source.chars().take(30).collect();
        eprintln!("deep case: {label}");
        let s = source.clone();
        run_bounded(&label, Duration::from_secs(60), move || {
            for context in [ScriptContext::Condition, ScriptContext::Ingest] {
                if let Ok(script) = compile(&s, context) {
                    let mut c = Map::default();
                    let _ = script.condition(&c, &Map::default());
                    let _ = script.execute(&mut c, &Map::default());
                }
            }
        });
    }
}

#[test]
fn infinite_recursion_is_a_stack_overflow_error() {
    run_bounded("recursion", Duration::from_secs(60), || {
        for source in [
            "int f(int n) { return f(n + 1) } ctx.x = f(0)",
            "def f(def n) { return f(n) + 1 } ctx.x = f(0)",
            "void f() { f() } f()",
            "int f(int n) { return g(n) } int g(int n) { return f(n) } ctx.x = f(1)",
        ] {
            let script = compile(source, ScriptContext::Ingest).expect(source);
            let mut c = Map::default();
            let e = script.execute(&mut c, &Map::default()).expect_err(source);
            let text = format!("{:?}", e.to_value());
            assert!(text.contains("stack_overflow_error") || text.contains("StackOverflowError"), "{source}: {text}");
        }
    });
}

/// Values nested deeper than JSON parsing allows, built by a script: the
/// document still converts, prints and drops without overflowing the stack.
#[test]
fn deeply_nested_values_built_by_a_script_do_not_overflow() {
    run_bounded("deep values", Duration::from_secs(120), || {
        for source in [
            "def m = [:]; for (int i = 0; i < 100000; i++) { m = ['a': m] } ctx.m = m",
            "def l = []; for (int i = 0; i < 100000; i++) { l = [l] } ctx.l = l",
            "def l = new ArrayList(); for (int i = 0; i < 100000; i++) { def n = new ArrayList(); n.add(l); l = n } l = null",
            "def m = new HashMap(); for (int i = 0; i < 100000; i++) { def n = new HashMap(); n.put('a', [m]); m = n } ctx.x = m.toString().length(); m = null",
            "def a = new def[1]; for (int i = 0; i < 100000; i++) { def b = new def[1]; b[0] = a; a = b } a = null",
            "def m = [:]; for (int i = 0; i < 100000; i++) { m = ['a': m] } ctx.same = m.equals(m) && m.hashCode() != 0",
        ] {
            let script = compile(source, ScriptContext::Ingest).expect(source);
            let mut c = Map::default();
            let result = script.execute(&mut c, &Map::default());
            let _ = Value::Map(c.clone()).to_json();
            drop(result);
            drop(c);
        }
    });
}

#[test]
fn the_loop_limit_stops_endless_loops() {
    run_bounded("loops", Duration::from_secs(60), || {
        // `while (true) {}` and `do {} while (true)` are refused at load, as
        // Painless refuses them ("no paths escape from while loop").
        for source in ["while (ctx.a == null) {}", "for (;;) {}", "do { ctx.n = 1 } while (ctx.a == null)", "for (int i = 0; i >= 0; i += 0) {}"] {
            let script = compile(source, ScriptContext::Ingest).expect(source);
            let mut c = Map::default();
            assert!(script.execute(&mut c, &Map::default()).is_err(), "{source}");
        }
    });
}

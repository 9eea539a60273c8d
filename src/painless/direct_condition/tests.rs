//! The direct tier against the interpreter, its oracle: every answer the
//! direct tree gives must be the interpreter's, over conditions of the
//! pipelines' shapes and random ones, on documents with missing fields,
//! nulls, every number box, strings, lists and maps; and `Script::condition`
//! must return exactly what the interpreter returns, errors included.

use super::*;
use crate::painless::{compile, ScriptContext};

fn direct(source: &str) -> Option<DirectCondition> {
    let script = compile(source, ScriptContext::Condition).unwrap_or_else(|e| panic!("{source}: {e}"));
    let program = script.program.clone();
    DirectCondition::compile(&program)
}

/// The tree a condition in the subset compiles to, before it is lowered.
fn direct_tree(source: &str) -> Option<Node> {
    let script = compile(source, ScriptContext::Condition).unwrap_or_else(|e| panic!("{source}: {e}"));
    tree(&script.program)
}

fn map(json: &str) -> Map {
    match Value::from_json_str(json).unwrap() {
        Value::Map(m) => m,
        _ => panic!("not an object"),
    }
}

// ---- what the compiler takes ----

#[test]
fn the_pipelines_condition_shapes_compile() {
    for source in PIPELINE_CONDITIONS {
        assert!(direct(source).is_some(), "{source}");
    }
}

#[test]
fn the_subset_compiles() {
    for source in [
        "ctx.a == null",
        "return ctx.a != null;",
        "ctx.a?.b?.c == 'x' || ctx.a.b.c != 1L",
        "ctx.a.0 == 1 && ctx.a.length > 0 && ctx.a.empty",
        "ctx.n < 2 && ctx.n <= 2.5 && ctx.n > 1.0f && ctx.n >= -3",
        "ctx.a instanceof Number || ctx.a instanceof def || ctx.a instanceof int",
        "ctx.a ? ctx.b : !ctx.c",
        "(ctx.a ?: 'x') == 'x'",
        "ctx.m.get('k') == null && ctx.m.containsKey('k') && ctx.m.size() == 0 && ctx.l.get(0) == 1",
        "ctx.s.startsWith('a') && ctx.s.endsWith('b') && ctx.s.length() == 2 && !ctx.s.isEmpty()",
        "[1, 2L, 'x', null, true, 1.0, 1.0f].contains(ctx.a)",
        "params.a == ctx.a",
        "ctx['a'] == null && ctx.l[0] == 1 && ctx.l[-1L] == 2 && ctx.m[1] == null",
    ] {
        assert!(direct(source).is_some(), "{source}");
    }
}

#[test]
fn everything_else_is_left_to_the_interpreter() {
    for source in [
        "def x = ctx.a; x == null",
        "ctx.a + 1 == 2",
        "ctx.a.toLowerCase() == 'x'",
        "ctx.a =~ /x/",
        "Math.max(1, 2) == 2",
        "Integer.MAX_VALUE == ctx.a",
        "[ctx.a].contains('x')",
        "['x'].size() == 1",
        "ctx.a === ctx.b",
        "(int) ctx.a == 1",
        "ctx.a.any(x -> x == 1)",
        "ctx[ctx.k] == null",
        "ctx.a.substring(1) == 'x'",
        "-ctx.a == 1",
        "ctx.a = true",
        "if (ctx.a == null) { return true } return false",
        "ctx.a.contains('x', 1)",
    ] {
        assert!(direct(source).is_none(), "{source}");
    }
}

#[test]
fn instanceof_admits_the_kinds_the_interpreter_does() {
    let set = |ty: &str| match direct_tree(&format!("ctx.a instanceof {ty}")) {
        Some(Node::InstanceOf { kinds, .. }) => kinds,
        other => panic!("{ty}: {other:?}"),
    };
    let kinds = |ks: &[Kind]| KindSet(ks.iter().fold(0, |s, k| s | 1 << *k as u16));
    use Kind::*;
    assert_eq!(set("Object"), kinds(&[Bool, Int, Long, Float, Double, Str, List, Map]));
    assert_eq!(set("def"), kinds(&[Bool, Int, Long, Float, Double, Str, List, Map]));
    assert_eq!(set("Number"), kinds(&[Int, Long, Float, Double]));
    assert_eq!(set("Integer"), kinds(&[Int]));
    assert_eq!(set("int"), kinds(&[Int]));
    assert_eq!(set("Long"), kinds(&[Long]));
    assert_eq!(set("Double"), kinds(&[Double]));
    assert_eq!(set("Float"), kinds(&[Float]));
    assert_eq!(set("Short"), kinds(&[]));
    assert_eq!(set("Boolean"), kinds(&[Bool]));
    assert_eq!(set("String"), kinds(&[Str]));
    assert_eq!(set("CharSequence"), kinds(&[Str]));
    assert_eq!(set("List"), kinds(&[List]));
    // The document's lists and maps, as a condition reads them, are
    // Elasticsearch's read-only wrappers: no `ArrayList` or `HashMap`.
    assert_eq!(set("ArrayList"), kinds(&[]));
    assert_eq!(set("Collection"), kinds(&[List]));
    assert_eq!(set("Iterable"), kinds(&[List]));
    assert_eq!(set("Set"), kinds(&[]));
    assert_eq!(set("Map"), kinds(&[Map]));
    assert_eq!(set("HashMap"), kinds(&[]));
    assert_eq!(set("TreeMap"), kinds(&[]));
    assert_eq!(set("ZonedDateTime"), kinds(&[]));
}

#[test]
fn field_chains_are_flattened() {
    match direct_tree("ctx.a?.b['c'] == null") {
        Some(Node::IsNull { value, .. }) => match *value {
            Node::Fields { root, steps } => {
                assert!(matches!(root, Root::Ctx));
                let names: Vec<(String, bool)> = steps.iter().map(|s| (s.access.identity(), s.null_safe)).collect();
                assert_eq!(names, [(".a".to_string(), false), (".b".to_string(), true), (r#"["c"]"#.to_string(), false)]);
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

/// The shared-field slots of each chain of a condition, in order.
fn shared_slots(source: &str) -> Vec<Vec<Option<usize>>> {
    let mut root = direct_tree(source).expect("in the subset");
    let mut out = Vec::new();
    for_each_chain(&mut root, &mut |_, steps| out.push(steps.iter().map(|s| s.shared).collect()));
    out
}

#[test]
fn chains_sharing_a_prefix_share_its_lookups() {
    assert_eq!(
        shared_slots("ctx.a?.b instanceof String && ctx.a.b.contains(ctx.a.c) && ctx.x == params.a"),
        [vec![Some(0), Some(1)], vec![Some(0), Some(1)], vec![Some(0), None], vec![None], vec![None]]
    );
    // A field of another value (`.c` here) is not a chain from ctx: only `ctx.a` and `ctx.b` are.
    assert_eq!(shared_slots("(ctx.a ?: ctx.b).c == (ctx.a ?: ctx.b).c"), [vec![Some(0)], vec![Some(1)], vec![Some(0)], vec![Some(1)]]);
    // Past the slots an evaluation has, fields are looked up each time.
    let many: Vec<String> = (0..MAX_SHARED + 2).map(|i| format!("ctx.f{i} == ctx.f{i}")).collect();
    let slots = shared_slots(&many.join(" && "));
    assert_eq!(slots.iter().filter(|s| s[0].is_some()).count(), 2 * MAX_SHARED);
    assert_eq!(slots[2 * MAX_SHARED], vec![None]);
}

// ---- answers ----

/// The direct answer on `ctx` (no params), asserting it is the interpreter's.
fn answer(source: &str, ctx: &str) -> Option<bool> {
    let script = compile(source, ScriptContext::Condition).unwrap();
    let ctx = map(ctx);
    let direct = script.direct.as_ref().expect("in the subset").evaluate(&ctx, &Map::default());
    if let Some(b) = direct {
        assert_eq!(script.interpret_condition(&ctx, &Map::default()), Ok(b), "{source}");
    }
    direct
}

#[test]
fn answers_and_give_ups() {
    assert_eq!(answer("ctx.event?.original == null", "{}"), Some(true));
    assert_eq!(answer("ctx.event?.original == null", r#"{"event": {"original": "x"}}"#), Some(false));
    // A field of a string, a method on null: the interpreter throws.
    assert_eq!(answer("ctx.event?.original == null", r#"{"event": "x"}"#), None);
    assert_eq!(answer("ctx.event.original == null", "{}"), None);
    assert_eq!(answer("ctx.tags.contains('p')", "{}"), None);
    // `contains` on a list compares by equals, on a string by substring.
    assert_eq!(answer("ctx.tags.contains('p')", r#"{"tags": ["p", "q"]}"#), Some(true));
    assert_eq!(answer("ctx.tags.contains('p')", r#"{"tags": "xpx"}"#), Some(true));
    assert_eq!(answer("ctx.tags.contains('p')", r#"{"tags": {"p": 1}}"#), None);
    // Numbers compare across boxes with `==`, not with `equals`.
    assert_eq!(answer("ctx.n == 1", r#"{"n": 1.0}"#), Some(true));
    assert_eq!(answer("[1].contains(ctx.n)", r#"{"n": 1.0}"#), Some(false));
    assert_eq!(answer("ctx.n == 'x'", r#"{"n": 1}"#), Some(false));
    assert_eq!(answer("ctx.n < 'x'", r#"{"n": 1}"#), None);
    // A non-boolean where a boolean is needed throws.
    assert_eq!(answer("ctx.n", r#"{"n": 1}"#), None);
    assert_eq!(answer("ctx.b", r#"{"b": true}"#), Some(true));
    assert_eq!(answer("ctx.l.length == 0", r#"{"l": []}"#), Some(true));
    assert_eq!(answer("ctx.l.length == 0", r#"{"l": "x"}"#), None);
    assert_eq!(answer("ctx.m.empty", r#"{"m": {"empty": false}}"#), Some(false));
    assert_eq!(answer("ctx.s.equalsIgnoreCase('DELIVERED')", r#"{"s": "Delivered"}"#), Some(true));
    assert_eq!(answer("ctx.s.equalsIgnoreCase('x')", r#"{"s": "é"}"#), None);
    assert_eq!(answer("ctx.s?.equalsIgnoreCase('x') == true", "{}"), Some(false));
}

// ---- equivalence over many inputs ----

/// Conditions of the Message Trace pipeline and of its upstream seed.
const PIPELINE_CONDITIONS: &[&str] = &[
    "ctx.event?.original == null",
    "ctx.microsoft?.online_message_trace?.value instanceof List && ctx.microsoft.online_message_trace.value.isEmpty()",
    "ctx.microsoft?.online_message_trace?.value instanceof List && ctx.microsoft.online_message_trace.value.length == 0",
    "ctx.microsoft?.online_message_trace?.Status instanceof String && ctx.microsoft.online_message_trace.Status.equalsIgnoreCase('delivered')",
    "ctx.microsoft?.online_message_trace?.Status?.equalsIgnoreCase('delivered') == true",
    "!(ctx.microsoft?.online_message_trace?.SenderAddress instanceof String && ctx.microsoft.online_message_trace.SenderAddress.equals('<>'))",
    "ctx._temp_?.email?.from?.address != null",
    "(ctx._temp_?.email?.from?.address instanceof String || ctx._temp_?.email?.from?.address instanceof List) && ctx._temp_.email.from.address.contains('@')",
    "(ctx._temp_?.email?.to?.address != null) && (!(ctx._temp_?.email?.to?.address instanceof String && ctx._temp_.email.to.address.equals('')))",
    "(ctx._temp_?.to_user_name != null) && (!(ctx._temp_?.to_user_name instanceof String && ctx._temp_.to_user_name.equals(''))) && (['inbound', 'internal'].contains(ctx.email?.direction))",
    "(ctx.user?.name != null) || (ctx.user?.email != null) || (ctx.user?.id != null)",
    "!((ctx.tags instanceof String || ctx.tags instanceof List) && ctx.tags.contains('preserve_original_event'))",
    "ctx._temp_?.email?.to?.address != null && ctx._temp_.email.to.address != \"\"",
    "ctx._temp_?.to_user_name != null && ctx._temp_.to_user_name != \"\" && ctx.email?.direction == \"inbound\" || ctx.email?.direction == \"internal\"",
    "ctx.tags == null || !(ctx.tags.contains('preserve_original_event'))",
];

/// Shapes of other integrations' conditions, and ones that make the direct
/// tree give up on some documents.
const OTHER_CONDITIONS: &[&str] = &[
    "ctx.a?.b == 1",
    "ctx.a?.b == 1L",
    "ctx.a?.b == 1.0",
    "ctx.a?.b == 1.0f",
    "ctx.a?.b != 0",
    "ctx.a?.b == -0.0",
    "ctx.a?.b == 2147483648L",
    "ctx.a?.b > 0 && ctx.a.b < 100",
    "ctx.a?.b >= 1.5 || ctx.a?.b <= -1",
    "ctx.a?.b == true",
    "ctx.a?.b == 'x'",
    "ctx.a?.b == ''",
    "ctx.a?.b == ctx.s",
    "ctx.a?.b != ctx.n",
    "ctx.l == ctx.l",
    "ctx.m != ctx.a",
    "ctx.a?.b instanceof Number",
    "ctx.a?.b instanceof Integer || ctx.a?.b instanceof Long",
    "ctx.a?.b instanceof Map && ctx.a.b.isEmpty()",
    "ctx.a?.b instanceof Collection && ctx.a.b.size() > 1",
    "ctx.a?.b instanceof Object",
    "ctx.a?.b instanceof Boolean && ctx.a.b",
    "ctx.a?.b?.isEmpty() == false",
    "ctx.a?.b?.length() == 1",
    "ctx.a.b.length() == 1",
    "ctx.s?.startsWith('x') == true || ctx.s?.endsWith('@b') == true",
    "ctx.s?.contains('@') ?: false",
    "ctx.s instanceof String ? ctx.s.equalsIgnoreCase('X') : ctx.s == null",
    "ctx.s?.equalsIgnoreCase(ctx.a?.b) == true",
    "ctx.s?.equals(ctx.n) == false",
    "ctx.l?.contains(1) == true",
    "ctx.l?.contains(ctx.n) == true",
    "ctx.l?.contains('x') == true",
    "ctx.l?.get(0) == 'x'",
    "ctx.l?.0 == 'x'",
    "ctx.l?.1 == null",
    "ctx.l?.length == 2",
    "ctx.l?.empty == true",
    "ctx.m?.get('a') == null",
    "ctx.m?.get(1) == null",
    "ctx.m?.containsKey('a') == true",
    "ctx.m?.size() == 1",
    "ctx.m?.empty == false",
    "ctx.empty",
    "ctx.a?.empty == true",
    "ctx.tags != null && ctx.tags.contains('forwarded')",
    "['x', 1, 1L, 1.0, null, true].contains(ctx.a?.b)",
    "[].contains(ctx.n)",
    "(ctx.a?.b ?: ctx.s) == 'x'",
    "(ctx.a?.b ?: 1) == 1",
    "ctx.a?.b ? true : false",
    "!ctx.a?.b",
    "ctx.n",
    "ctx.s",
    "ctx.a?.b?.c?.d == null",
    "ctx.a.b.c.d == null",
    "params.p == null",
    "ctx['a'] == null",
    "ctx['empty'] == ctx.empty",
    "ctx.l[0] == 'x' || ctx.l[-1] == 1",
    "ctx.m[1] == null && ctx.m['a'] != null",
    "ctx.tags instanceof List && ctx.tags[0] == 'forwarded'",
    "params.p?.q == ctx.n",
    "ctx.s.toUpperCase() == 'X'",
    "ctx.n + 1 > 1",
];

/// A tiny deterministic generator (xorshift*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'x, T>(&mut self, items: &'x [T]) -> &'x T {
        &items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &["a", "b", "c", "d", "s", "n", "l", "m", "tags", "empty", "length", "0"];

fn scalar(rng: &mut Rng) -> Value {
    match rng.below(14) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::Int(*rng.pick(&[0, 1, -1, 2, i32::MAX])),
        3 => Value::Long(*rng.pick(&[0, 1, 2, 1 << 31, i64::MAX])),
        4 => Value::Float(*rng.pick(&[0.0, -0.0, 1.0, 1.5, f32::NAN])),
        5 => Value::Double(*rng.pick(&[0.0, -0.0, 1.0, 1.5, -1.0, f64::NAN, 2147483648.0])),
        _ => Value::String(rng.pick(&["", "x", "X", "a@b", "@", "<>", "delivered", "DELIVERED", "é", "preserve_original_event", "inbound", "forwarded", "1"]).to_string()),
    }
}

fn value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 2 { 6 } else { 10 }) {
        0..=5 => scalar(rng),
        6 | 7 => Value::List((0..rng.below(4)).map(|_| value(rng, depth + 1)).collect()),
        _ => Value::Map(document(rng, depth + 1)),
    }
}

fn document(rng: &mut Rng, depth: usize) -> Map {
    let mut m = Map::default();
    for _ in 0..rng.below(if depth == 0 { 8 } else { 4 }) {
        m.insert(rng.pick(KEYS).to_string(), value(rng, depth));
    }
    m
}

/// Documents of the pipeline's own fields with values of every kind.
fn pipeline_document(rng: &mut Rng) -> Map {
    let paths = [
        "event.original",
        "microsoft.online_message_trace.value",
        "microsoft.online_message_trace.Status",
        "microsoft.online_message_trace.SenderAddress",
        "_temp_.email.from.address",
        "_temp_.email.to.address",
        "_temp_.to_user_name",
        "email.direction",
        "user.name",
        "user.id",
        "tags",
    ];
    let mut doc = Map::default();
    for path in paths {
        if rng.below(3) == 0 {
            continue;
        }
        let parts: Vec<&str> = path.split('.').collect();
        insert_path(&mut doc, &parts, value(rng, 2));
    }
    doc
}

/// Sets `parts` in `m`, making the maps on the way (a non-map on the way keeps the value out).
fn insert_path(m: &mut Map, parts: &[&str], v: Value) {
    match parts {
        [] => {}
        [last] => {
            m.insert(last.to_string(), v);
        }
        [first, rest @ ..] => {
            if let Value::Map(inner) = m.entry(first.to_string()).or_insert_with(|| Value::Map(Map::default())) {
                insert_path(inner, rest, v);
            }
        }
    }
}

/// A random condition over [`KEYS`], mostly in the subset.
fn condition(rng: &mut Rng, depth: usize) -> String {
    let path = |rng: &mut Rng| {
        let mut p = String::from(if rng.below(10) == 0 { "params" } else { "ctx" });
        for _ in 0..1 + rng.below(3) {
            if rng.below(5) == 0 {
                let key = *rng.pick(&["'a'", "'l'", "'empty'", "'0'", "0", "1", "-1", "1L", "null", "true"]);
                p.push_str(&format!("[{key}]"));
                continue;
            }
            p.push_str(if rng.below(3) == 0 { "." } else { "?." });
            let key = *rng.pick(KEYS);
            p.push_str(key);
        }
        p
    };
    let literal = |rng: &mut Rng| {
        rng.pick(&["null", "true", "false", "0", "1", "-1", "1L", "2147483648L", "1.0", "-0.0", "1.5f", "'x'", "''", "'X'", "'a@b'", "'@'", "'1'"]).to_string()
    };
    if depth > 2 {
        return format!("{} == {}", path(rng), literal(rng));
    }
    match rng.below(16) {
        0 | 1 => format!("{} == {}", path(rng), literal(rng)),
        2 => format!("{} != {}", path(rng), path(rng)),
        3 => format!("{} {} {}", path(rng), rng.pick(&["<", "<=", ">", ">="]), literal(rng)),
        4 => format!("{} instanceof {}", path(rng), rng.pick(&["String", "List", "Map", "Number", "Integer", "Long", "Double", "Float", "Boolean", "Object", "Collection", "def"])),
        5 => format!("!({})", condition(rng, depth + 1)),
        6 => format!("({}) && ({})", condition(rng, depth + 1), condition(rng, depth + 1)),
        7 => format!("({}) || ({})", condition(rng, depth + 1), condition(rng, depth + 1)),
        8 => format!("({}) ? ({}) : ({})", condition(rng, depth + 1), condition(rng, depth + 1), condition(rng, depth + 1)),
        9 => {
            let (method, arg) = *rng.pick(&[
                ("equals", true),
                ("equalsIgnoreCase", true),
                ("contains", true),
                ("startsWith", true),
                ("endsWith", true),
                ("isEmpty", false),
                ("size", false),
                ("length", false),
                ("get", true),
                ("containsKey", true),
            ]);
            let arg = if !arg { String::new() } else if rng.below(3) == 0 { path(rng) } else { literal(rng) };
            let dot = if rng.below(2) == 0 { "." } else { "?." };
            format!("{}{dot}{method}({arg}) == {}", path(rng), literal(rng))
        }
        10 => format!("[{}, {}].contains({})", literal(rng), literal(rng), path(rng)),
        11 => format!("({} ?: {}) == {}", path(rng), literal(rng), literal(rng)),
        12 => path(rng),
        13 => format!("{}.{}", path(rng), rng.pick(&["empty", "length", "0"])) + " == " + &literal(rng),
        14 => format!("{} == {}", path(rng), path(rng)),
        _ => format!("{}.toString() == {}", path(rng), literal(rng)),
    }
}

/// How one evaluation went.
#[derive(PartialEq)]
enum Outcome {
    /// The direct tree answered (as the interpreter does).
    Answered,
    /// The interpreter answered where the direct tree gave up.
    LeftToTheInterpreter,
    /// The interpreter threw (the direct tree must have given up).
    Error,
    NotCompiled,
}

/// Checks one condition on one document.
fn check(source: &str, ctx: &Map, params: &Map) -> Outcome {
    let Ok(script) = compile(source, ScriptContext::Condition) else { return Outcome::NotCompiled };
    check_compiled(&script, ctx, params)
}

/// Checks a compiled condition on one document. The condition may have
/// run on other documents before, which leaves its lookups other guesses.
fn check_compiled(script: &crate::painless::Script, ctx: &Map, params: &Map) -> Outcome {
    let source = script.source();
    let expected = script.interpret_condition(ctx, params);
    // What the pipeline sees: the same answer or the same error.
    assert_eq!(script.condition(ctx, params), expected, "{source} on {}", Value::Map(ctx.clone()).to_json());
    match script.direct.as_ref().and_then(|d| d.evaluate(ctx, params)) {
        Some(b) => {
            assert_eq!(Ok(b), expected, "direct answer to {source} on {}", Value::Map(ctx.clone()).to_json());
            Outcome::Answered
        }
        None if expected.is_err() => Outcome::Error,
        None => Outcome::LeftToTheInterpreter,
    }
}

#[test]
fn the_direct_tier_answers_as_the_interpreter_does() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let params = map(r#"{"p": {"q": 1}}"#);
    let mut docs: Vec<Map> = (0..150).map(|_| document(&mut rng, 0)).collect();
    docs.extend((0..150).map(|_| pipeline_document(&mut rng)));
    // Maps past the size a lookup scans, with the fields at other positions.
    docs.extend((0..60).map(|i| {
        let mut doc = if i % 2 == 0 { document(&mut rng, 0) } else { pipeline_document(&mut rng) };
        for f in 0..rng.below(16) {
            doc.insert(format!("filler{f}"), Value::Null);
            let last = doc.len() - 1;
            doc.move_index(last, rng.below(doc.len()));
        }
        doc
    }));
    docs.push(Map::default());
    let mut conditions: Vec<String> = PIPELINE_CONDITIONS.iter().chain(OTHER_CONDITIONS).map(|s| s.to_string()).collect();
    conditions.extend((0..400).map(|_| condition(&mut rng, 0)));
    let (mut answered, mut left) = (0, 0);
    for source in &conditions {
        let Ok(script) = compile(source, ScriptContext::Condition) else { continue };
        let in_subset = script.direct.is_some();
        let mut answered_here = 0;
        // One compiled condition over all the documents, as a pipeline runs it.
        for doc in &docs {
            match check_compiled(&script, doc, &params) {
                Outcome::Answered => answered_here += 1,
                Outcome::LeftToTheInterpreter if in_subset => left += 1,
                _ => {}
            }
        }
        answered += answered_here;
        if PIPELINE_CONDITIONS.contains(&source.as_str()) {
            assert!(answered_here > 0, "never answered: {source}");
        }
    }
    // Of the evaluations that succeed, the direct tree answers nearly all
    // those of conditions in its subset: giving up is for odd inputs.
    assert!(left * 50 < answered, "answered {answered}, left {left} to the interpreter");
}

/// Every pair of interesting scalars through every comparison: number
/// boxes, NaN and signed zeros, integers that round as floats.
#[test]
fn comparisons_of_every_pair_of_scalars() {
    let scalars = [
        Value::Null,
        Value::Bool(true),
        Value::Bool(false),
        Value::Int(0),
        Value::Int(1),
        Value::Int(16_777_217),
        Value::Long(0),
        Value::Long(1),
        Value::Long(16_777_217),
        Value::Long(1 << 31),
        Value::Long(i64::MAX),
        Value::Float(0.0),
        Value::Float(-0.0),
        Value::Float(1.0),
        Value::Float(16_777_216.0),
        Value::Float(f32::NAN),
        Value::Double(0.0),
        Value::Double(-0.0),
        Value::Double(1.0),
        Value::Double(16_777_217.0),
        Value::Double(9.223372036854776e18),
        Value::Double(f64::NAN),
        // BigIntegers, which the tree leaves to the interpreter.
        Value::integer_of_text("12345678901234567890").unwrap(),
        Value::integer_of_text("-18446744073709551616").unwrap(),
        Value::String(String::new()),
        Value::String("x".into()),
        Value::String("X".into()),
        Value::String("é".into()),
        Value::String("É".into()),
        Value::List(vec![]),
        Value::Map(Map::default()),
    ];
    let conditions = [
        "ctx.a == ctx.b",
        "ctx.a != ctx.b",
        "ctx.a < ctx.b",
        "ctx.a <= ctx.b",
        "ctx.a > ctx.b",
        "ctx.a >= ctx.b",
        "ctx.l.contains(ctx.b)",
        "ctx.a.equals(ctx.b)",
        "ctx.a.equalsIgnoreCase(ctx.b)",
        "ctx.a.contains(ctx.b)",
        "ctx.a.startsWith(ctx.b)",
        "ctx.m.get(ctx.b) == ctx.a",
        "(ctx.a ?: ctx.b) == ctx.b",
    ];
    let mut answered = 0;
    for a in &scalars {
        for b in &scalars {
            let mut ctx = Map::default();
            ctx.insert("a".into(), a.clone());
            ctx.insert("b".into(), b.clone());
            ctx.insert("l".into(), Value::List(vec![a.clone()]));
            let mut m = Map::default();
            m.insert("x".into(), a.clone());
            ctx.insert("m".into(), Value::Map(m));
            for source in conditions {
                answered += (check(source, &ctx, &Map::default()) == Outcome::Answered) as usize;
            }
        }
    }
    assert!(answered > scalars.len() * scalars.len() * 5, "answered {answered}");
}

/// As deep as the parser allows, a condition compiles to a direct tree and
/// evaluates without exhausting a small stack (the tree recurses per level).
#[test]
fn deeply_nested_conditions_fit_a_small_stack() {
    let mut depth = 400;
    let script = loop {
        let source = format!("{}ctx.a == null{}", "!(".repeat(depth), ")".repeat(depth));
        match compile(&source, ScriptContext::Condition) {
            Ok(script) => break script,
            Err(_) => depth -= 10,
        }
    };
    assert!(depth > 50, "{depth}");
    let program = script.program.clone();
    std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || {
            let direct = DirectCondition::compile(&program).expect("in the subset");
            assert_eq!(direct.evaluate(&Map::default(), &Map::default()), Some(depth % 2 == 0));
        })
        .unwrap()
        .join()
        .unwrap();
}

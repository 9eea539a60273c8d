//! Engine tests: the upstream pipeline's scripts, a corpus modelled on real
//! integrations, Java semantics, every error class, and a no-panic fuzz.

use super::*;
use crate::value::{Map, Value};

fn map(json: &str) -> Map {
    match Value::from_json_str(json).unwrap() {
        Value::Map(m) => m,
        _ => panic!("not an object"),
    }
}

fn cond(src: &str, ctx: &str) -> bool {
    compile(src, ScriptContext::Condition).unwrap_or_else(|e| panic!("{src}: {e}")).condition(&map(ctx), &Map::default()).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn cond_err(src: &str, ctx: &str) -> EsError {
    compile(src, ScriptContext::Condition).unwrap().condition(&map(ctx), &Map::default()).unwrap_err()
}

fn run_with(src: &str, ctx: &str, params: &str) -> Result<Map, EsError> {
    let script = compile(src, ScriptContext::Ingest)?;
    let mut ctx = map(ctx);
    script.execute(&mut ctx, &map(params))?;
    Ok(ctx)
}

fn run(src: &str, ctx: &str) -> Map {
    run_with(src, ctx, "{}").unwrap_or_else(|e| panic!("{src}: {}", e.to_value().to_json()))
}

fn run_err(src: &str, ctx: &str) -> EsError {
    run_with(src, ctx, "{}").unwrap_err()
}

/// Evaluates `expr` in an ingest script and returns what it stored.
fn eval(expr: &str) -> Value {
    let src = match expr.rsplit_once("; ") {
        Some((stmts, last)) => format!("{stmts}; ctx.r = {last}"),
        None => format!("ctx.r = {expr}"),
    };
    let ctx = run(&src, "{}");
    ctx.get("r").cloned().unwrap_or(Value::Null)
}

fn json(m: &Map) -> String {
    Value::Map(m.clone()).to_json()
}

fn cause(e: &EsError) -> (String, String) {
    let c = e.caused_by.as_ref().expect("a cause");
    (c.kind.clone(), c.reason.clone())
}

// ---- the upstream pipeline ----

#[test]
fn upstream_conditions() {
    let c1 = "ctx.microsoft?.online_message_trace?.value instanceof List && ctx.microsoft.online_message_trace.value.length == 0";
    assert!(cond(c1, r#"{"microsoft":{"online_message_trace":{"value":[]}}}"#));
    assert!(!cond(c1, r#"{"microsoft":{"online_message_trace":{"value":[1]}}}"#));
    assert!(!cond(c1, r#"{}"#));
    assert!(!cond(c1, r#"{"microsoft":{"online_message_trace":{"value":"x"}}}"#));

    let c2 = "ctx.microsoft?.online_message_trace?.Status?.equalsIgnoreCase('delivered') == true";
    assert!(cond(c2, r#"{"microsoft":{"online_message_trace":{"Status":"Delivered"}}}"#));
    assert!(!cond(c2, r#"{"microsoft":{"online_message_trace":{"Status":"Failed"}}}"#));
    assert!(!cond(c2, r#"{"microsoft":{}}"#));

    let c3 = r#"ctx._temp_?.email?.to?.address != null && ctx._temp_.email.to.address != "" && ctx.email?.direction == "inbound" || ctx.email?.direction == "internal""#;
    assert!(cond(c3, r#"{"_temp_":{"email":{"to":{"address":"a@b"}}},"email":{"direction":"inbound"}}"#));
    assert!(!cond(c3, r#"{"_temp_":{"email":{"to":{"address":""}}},"email":{"direction":"inbound"}}"#));
    assert!(cond(c3, r#"{"email":{"direction":"internal"}}"#));
    assert!(!cond(c3, r#"{}"#));

    let c4 = "ctx.tags == null || !(ctx.tags.contains('preserve_original_event'))";
    assert!(cond(c4, "{}"));
    assert!(!cond(c4, r#"{"tags":["preserve_original_event"]}"#));
    assert!(cond(c4, r#"{"tags":["other"]}"#));
}

#[test]
fn upstream_scripts() {
    let s1 = "if (!(ctx._conf.local_domains instanceof List)) {ctx._conf.local_domains = [ctx._conf.local_domains]}";
    assert_eq!(json(&run(s1, r#"{"_conf":{"local_domains":"a.com"}}"#)), r#"{"_conf":{"local_domains":["a.com"]}}"#);
    assert_eq!(json(&run(s1, r#"{"_conf":{"local_domains":["a.com"]}}"#)), r#"{"_conf":{"local_domains":["a.com"]}}"#);

    let s2 = "def destination_internal = 0;\nfor (local_domain in ctx._conf.local_domains) { if (ctx.destination?.domain == local_domain){ destination_internal = 1; } }\nctx.internal = destination_internal";
    assert_eq!(run(s2, r#"{"_conf":{"local_domains":["a.com","b.com"]},"destination":{"domain":"b.com"}}"#)["internal"], Value::Int(1));
    assert_eq!(run(s2, r#"{"_conf":{"local_domains":["a.com"]}}"#)["internal"], Value::Int(0));

    let s3 = "if (ctx.user?.name != null && ctx.user.name.length == 1) { ctx.user.name = ctx.user.name[0]; }";
    assert_eq!(json(&run(s3, r#"{"user":{"name":["bob"]}}"#)), r#"{"user":{"name":"bob"}}"#);
    assert_eq!(json(&run(s3, r#"{"user":{"name":["a","b"]}}"#)), r#"{"user":{"name":["a","b"]}}"#);
    assert_eq!(json(&run(s3, r#"{}"#)), r#"{}"#);

    let s4 = r#"boolean dropEmptyFields(Object object) {
  if (object == null || object == "") { return true; }
  else if (object instanceof Map) { ((Map) object).values().removeIf(value -> dropEmptyFields(value)); return (((Map) object).size() == 0); }
  else if (object instanceof List) { ((List) object).removeIf(value -> dropEmptyFields(value)); return (((List) object).length == 0); }
  return false;
}
dropEmptyFields(ctx);"#;
    let out = run(s4, r#"{"a":"","b":{"c":null,"d":[],"e":[""],"f":{"g":{}}},"h":"keep","i":[1,"",{"j":null}],"k":0}"#);
    assert_eq!(json(&out), r#"{"h":"keep","i":[1],"k":0}"#);
}

// ---- a corpus modelled on integrations ----

#[test]
fn ecs_categorisation_with_lists() {
    let src = r#"
        ctx.event = ctx.event ?: new HashMap();
        def cats = [];
        def types = new ArrayList();
        String action = ctx.action;
        if (action == 'login' || action == 'logout') { cats.add('authentication'); types.add(action == 'login' ? 'start' : 'end'); }
        if (action.startsWith('file_')) { cats.add('file'); types.add(action.substring(5)); }
        ctx.event.category = cats;
        ctx.event.type = types;
    "#;
    assert_eq!(json(&run(src, r#"{"action":"login"}"#)), r#"{"action":"login","event":{"category":["authentication"],"type":["start"]}}"#);
    assert_eq!(json(&run(src, r#"{"action":"file_delete","event":{"kind":"event"}}"#)), r#"{"action":"file_delete","event":{"kind":"event","category":["file"],"type":["delete"]}}"#);
}

#[test]
fn mapping_tables_through_params() {
    let src = "def m = params.severity_map; if (ctx.sev != null && m.containsKey(ctx.sev)) { ctx.level = m[ctx.sev]; } else { ctx.level = m.getOrDefault('default', 'unknown'); }";
    let params = r#"{"severity_map":{"1":"low","2":"high","default":"n/a"}}"#;
    assert_eq!(run_with(src, r#"{"sev":"2"}"#, params).unwrap()["level"], Value::from("high"));
    assert_eq!(run_with(src, r#"{"sev":"9"}"#, params).unwrap()["level"], Value::from("n/a"));
    // params are read-only, but what a script copies out of them it may change
    let out = run_with("ctx.tags = params.tags; ctx.tags.add('c'); ctx.n = params.tags.size()", "{}", r#"{"tags":["a"]}"#).unwrap();
    assert_eq!(json(&out), r#"{"tags":["a","c"],"n":1}"#);
    let e = run_with("params.x = 1", "{}", "{}").unwrap_err();
    assert_eq!(cause(&e).0, "unsupported_operation_exception");
}

#[test]
fn regex_extraction() {
    let src = r#"
        def m = /(?<user>[a-z]+)@(?<domain>[a-z.]+)/.matcher(ctx.msg);
        if (m.find()) { ctx.user = m.group('user'); ctx.domain = m.group(2); ctx.at = m.start(); }
        ctx.matches = ctx.msg ==~ /.*@.*/;
        ctx.found = ctx.msg =~ /example/;
        ctx.parts = /\s*,\s*/.split('a , b,c');
        ctx.masked = ctx.msg.replaceAll(/[aeiou]/, m2 -> m2.group().toUpperCase());
    "#;
    let out = run(src, r#"{"msg":"mail bob@example.com now"}"#);
    assert_eq!(out["user"], Value::from("bob"));
    assert_eq!(out["domain"], Value::from("example.com"));
    assert_eq!(out["at"], Value::Int(5));
    assert_eq!(out["matches"], Value::Bool(true));
    assert_eq!(out["found"], Value::Bool(true));
    assert_eq!(Value::Map(out.clone()).as_map().unwrap()["parts"].to_json(), r#"["a","b","c"]"#);
    assert_eq!(out["masked"], Value::from("mAIl bOb@ExAmplE.cOm nOw"));
    assert!(cond("ctx.x =~ /^ab/i", r#"{"x":"ABC"}"#));
}

#[test]
fn instanceof_checks() {
    let src = "def v = ctx.v; ctx.kind = v instanceof String ? 'string' : v instanceof Integer ? 'int' : v instanceof Long ? 'long' : v instanceof Double ? 'double' : v instanceof Map ? 'map' : v instanceof List ? 'list' : v instanceof Boolean ? 'bool' : 'null'";
    for (input, kind) in [("\"s\"", "string"), ("1", "int"), ("9999999999", "long"), ("1.5", "double"), ("{}", "map"), ("[]", "list"), ("true", "bool"), ("null", "null")] {
        assert_eq!(run(src, &format!(r#"{{"v":{input}}}"#))["kind"], Value::from(kind), "{input}");
    }
    assert_eq!(eval("1 instanceof Number"), Value::Bool(true));
    assert_eq!(eval("null instanceof Object"), Value::Bool(false));
}

/// java.util.txt whitelists `Iterator` as a class: what `iterator()`
/// returns (a JDK class implementing it) is one, a collection is not
/// (the auditd log pipeline declares `Iterator entries = m.entrySet().iterator()`).
#[test]
fn iterators_are_iterators() {
    let src = "Iterator it = ctx.m.entrySet().iterator(); def keys = []; while (it.hasNext()) { def e = it.next(); keys.add(e.getKey()) } ctx.keys = keys; \
               ctx.list = [1].iterator() instanceof Iterator; ctx.set = new HashSet().iterator() instanceof Iterator; \
               ctx.notList = [1] instanceof Iterator; ctx.notIterable = [1].iterator() instanceof Iterable; \
               Object o = ctx.m.keySet().iterator(); Iterator cast = (Iterator) o; ctx.next = cast.next()";
    let out = run(src, r#"{"m": {"b": 1, "a": 2}}"#);
    assert_eq!(json(&out), r#"{"m":{"b":1,"a":2},"keys":["a","b"],"list":true,"set":true,"notList":false,"notIterable":false,"next":"a"}"#);
    let e = run_err("Iterator it = ctx.m", r#"{"m": {}}"#);
    assert_eq!(cause(&e).0, "class_cast_exception");
}

#[test]
fn aliases_mutate_the_document() {
    assert_eq!(json(&run("def m = ctx.user; m.name = 'x'; m.put('id', 1)", r#"{"user":{}}"#)), r#"{"user":{"name":"x","id":1}}"#);
    assert_eq!(json(&run("List l = ctx.tags; l.add('b'); ctx.n = ctx.tags.size()", r#"{"tags":["a"]}"#)), r#"{"tags":["a","b"],"n":2}"#);
    assert_eq!(json(&run("for (def e : ctx.entrySet()) { if (e.getValue() instanceof String) { e.setValue(e.getValue().toUpperCase()) } }", r#"{"a":"x","b":1}"#)), r#"{"a":"X","b":1}"#);
    assert_eq!(json(&run("ctx.keySet().removeIf(k -> k.startsWith('_tmp'))", r#"{"_tmp1":1,"a":2,"_tmp2":3}"#)), r#"{"a":2}"#);
    assert_eq!(json(&run("ctx.remove('a'); ctx['b.c'] = 1", r#"{"a":1}"#)), r#"{"b.c":1}"#);
}

#[test]
fn typical_integration_idioms() {
    let src = r#"
        if (ctx.tags == null) { ctx.tags = new ArrayList(); }
        if (!ctx.tags.contains('x')) { ctx.tags.add('x'); }
        ctx.network = ['bytes': ctx.source.bytes + ctx.destination.bytes];
        Map labels = ctx.labels ?: [:];
        for (entry in ctx.entrySet()) { if (entry.getKey().startsWith('lbl_')) { labels[entry.getKey().substring(4)] = entry.getValue(); } }
        ctx.labels = labels;
        ctx.upper = ctx.names.stream().map((String s) -> s.toUpperCase()).collect(Collectors.toList());
        def host = ctx.url.substring(0, ctx.url.indexOf(':'));
        ctx.host = host;
        ctx.port = Integer.parseInt(ctx.url.splitOnToken(':')[1]);
        ctx.size = (long) ctx.size_f;
        ctx.pct = Math.round(ctx.part * 100.0 / ctx.whole);
        ctx.empty = ctx.names.isEmpty() ? 'yes' : 'no';
        ctx.remove('lbl_env');
    "#;
    let out = run(src, r#"{"source":{"bytes":10},"destination":{"bytes":3000000000},"lbl_env":"prod","names":["a","b"],"url":"example.com:8080","size_f":12.9,"part":1,"whole":3}"#);
    assert_eq!(
        json(&out),
        r#"{"source":{"bytes":10},"destination":{"bytes":3000000000},"names":["a","b"],"url":"example.com:8080","size_f":12.9,"part":1,"whole":3,"tags":["x"],"network":{"bytes":3000000010},"labels":{"env":"prod"},"upper":["A","B"],"host":"example.com","port":8080,"size":12,"pct":33,"empty":"no"}"#
    );
}

#[test]
fn changes_before_an_exception_stay() {
    let script = compile("ctx.a = 1; ctx.b.c = 2", ScriptContext::Ingest).unwrap();
    let mut ctx = map("{}");
    assert!(script.execute(&mut ctx, &Map::default()).is_err());
    assert_eq!(json(&ctx), r#"{"a":1}"#);
}

#[test]
fn conditions_cannot_mutate() {
    let e = cond_err("ctx.a = 1; return true", "{}");
    assert_eq!(cause(&e), ("unsupported_operation_exception".into(), "Mutating ingest documents in conditionals is not supported".into()));
}

/// A condition sees the document through Elasticsearch's read-only
/// wrappers (ConditionalProcessor's `UnmodifiableIngestData implements Map`
/// and `UnmodifiableIngestList implements List`): a `Map` and a `List`, but
/// no `HashMap` or `ArrayList`, whichever path answers (direct condition,
/// interpreter, a function's body chosen by the kind of its argument).
/// Maps and lists the condition makes itself, and the document's in an
/// ingest script, are `HashMap`s and `ArrayList`s.
#[test]
fn conditions_see_the_document_wrapped_read_only() {
    let ctx = r#"{"m": {"a": 1}, "l": ["x"]}"#;
    let cases = [
        ("ctx", "Map", true),
        ("ctx", "HashMap", false),
        ("ctx.m", "Map", true),
        ("ctx.m", "HashMap", false),
        ("ctx.m", "LinkedHashMap", false),
        ("ctx.m", "TreeMap", false),
        ("ctx.l", "List", true),
        ("ctx.l", "Collection", true),
        ("ctx.l", "ArrayList", false),
        ("ctx.l", "AbstractList", false),
        ("[ctx.l][0]", "ArrayList", false),
        ("[:]", "HashMap", true),
        ("[]", "ArrayList", true),
        ("new ArrayList()", "ArrayList", true),
        ("new ArrayList()", "AbstractList", true),
        ("new HashMap()", "HashMap", true),
    ];
    for (value, class, want) in cases {
        assert_eq!(cond(&format!("{value} instanceof {class}"), ctx), want, "{value} instanceof {class}");
        assert_eq!(cond(&format!("def v = {value}; return v instanceof {class}"), ctx), want, "def v = {value}; v instanceof {class}");
        let function = format!("boolean f(def v) {{ if (v == null) {{ return false; }} if (v instanceof {class}) {{ return true; }} return false; }} return f({value})");
        assert_eq!(cond(&function, ctx), want, "{function}");
    }
    for (value, class) in [("ctx.m", "HashMap"), ("ctx.l", "ArrayList"), ("ctx.l", "AbstractList")] {
        let script = format!("def v = {value}; ctx.r = v instanceof {class}");
        assert_eq!(run(&script, ctx)["r"], Value::Bool(true), "{script}");
    }
    let e = cond_err("HashMap h = (HashMap) ctx.m; return true", ctx);
    let wrapper = "org.elasticsearch.ingest.ConditionalProcessor$UnmodifiableIngestData";
    assert_eq!(cause(&e), ("class_cast_exception".into(), format!("class {wrapper} cannot be cast to class java.util.HashMap")));
    let e = cond_err("String s = ctx.l; return true", ctx);
    let wrapper = "org.elasticsearch.ingest.ConditionalProcessor$UnmodifiableIngestList";
    assert_eq!(cause(&e), ("class_cast_exception".into(), format!("class {wrapper} cannot be cast to class java.lang.String")));
}

#[test]
fn hash_maps_iterate_in_java_order() {
    // Java: banana and date share bucket 0, apple and cherry bucket 1, kiwi 2.
    let keys = "['banana', 'apple', 'cherry', 'kiwi', 'date']";
    assert_eq!(
        json(&run(&format!("def m = new HashMap(); for (k in {keys}) {{ m[k] = 1 }} ctx.m = m; ctx.keys = new ArrayList(m.keySet())"), "{}")),
        r#"{"m":{"banana":1,"date":1,"apple":1,"cherry":1,"kiwi":1},"keys":["banana","date","apple","cherry","kiwi"]}"#
    );
    assert_eq!(eval("def m = new LinkedHashMap(); m.b = 1; m.a = 2; m").to_json(), r#"{"b":1,"a":2}"#);
    assert_eq!(eval("def m = new TreeMap(); m.b = 1; m.a = 2; m").to_json(), r#"{"a":2,"b":1}"#);
    assert_eq!(eval(&format!("new HashSet({keys})")).to_json(), r#"["banana","date","apple","cherry","kiwi"]"#);
    // The document's own maps keep their order.
    assert_eq!(json(&run("ctx.z = 1; ctx.a = 2", r#"{"m":1}"#)), r#"{"m":1,"z":1,"a":2}"#);
}

// ---- Java semantics ----

#[test]
fn numeric_promotion_and_overflow() {
    assert_eq!(eval("2147483647 + 1"), Value::Int(i32::MIN));
    assert_eq!(eval("2147483647L + 1"), Value::Long(2147483648));
    assert_eq!(eval("7 / 2"), Value::Int(3));
    assert_eq!(eval("-7 / 2"), Value::Int(-3));
    assert_eq!(eval("-7 % 3"), Value::Int(-1));
    assert_eq!(eval("7.0 / 2"), Value::Double(3.5));
    assert_eq!(eval("1 / 2.0f"), Value::Float(0.5));
    assert_eq!(eval("0x10 + 010"), Value::Int(24));
    assert_eq!(eval("1 << 33"), Value::Int(2));
    assert_eq!(eval("-1 >>> 28"), Value::Int(15));
    assert_eq!(eval("5 & 3 | 8 ^ 1"), Value::Int(9));
    assert_eq!(eval("(int) 3.9"), Value::Int(3));
    assert_eq!(eval("(long) -2.5"), Value::Long(-2));
    assert_eq!(eval("Math.max(1, 2)"), Value::Double(2.0));
    assert_eq!(eval("Math.round(2.5)"), Value::Long(3));
    assert_eq!(eval("Integer.parseInt('-42') * 2"), Value::Int(-84));
    assert_eq!(eval("Long.parseLong('9999999999')"), Value::Long(9999999999));
    assert_eq!(eval("Double.parseDouble('1.5e2')"), Value::Double(150.0));
    assert_eq!(eval("int x = 5; x += 2.7; x"), Value::Int(7));
    assert_eq!(eval("long t = 0; t += 3; t"), Value::Long(3));
    assert_eq!(eval("double d = 1; d"), Value::Double(1.0));
    assert_eq!(eval("def i = 0; i++; ++i; i--; i"), Value::Int(1));
}

#[test]
fn string_concatenation_uses_java_to_string() {
    assert_eq!(eval("'a' + 1 + 2"), Value::from("a12"));
    assert_eq!(eval("1 + 2 + 'a'"), Value::from("3a"));
    assert_eq!(eval("'x' + null + true + 1.0 + 1e10 + 2L + 0.1f"), Value::from("xnulltrue1.01.0E1020.1"));
    assert_eq!(eval("'v' + [1, 'a'] + ['k': 2]"), Value::from("v[1, a]{k=2}"));
    assert_eq!(eval("def s = 'a'; s += 1; s"), Value::from("a1"));
}

#[test]
fn equality_and_identity() {
    assert_eq!(eval("1 == 1L"), Value::Bool(true));
    assert_eq!(eval("1 == 1.0"), Value::Bool(true));
    assert_eq!(eval("'a' == 'a'"), Value::Bool(true));
    assert_eq!(eval("[1, 2] == [1, 2]"), Value::Bool(true));
    assert_eq!(eval("[1, 2] === [1, 2]"), Value::Bool(false));
    assert_eq!(eval("def l = [1]; def m = l; l === m"), Value::Bool(true));
    assert_eq!(eval("null == null"), Value::Bool(true));
    assert_eq!(eval("['a': 1] != ['a': 1L]"), Value::Bool(true));
    assert_eq!(eval("Objects.equals(1, 1L)"), Value::Bool(false));
}

#[test]
fn null_safety_and_elvis() {
    assert!(cond("ctx.event?.original == null", "{}"));
    assert!(cond("ctx.a?.b?.c?.size() == null", r#"{"a":{}}"#));
    assert_eq!(run("ctx.x = ctx.missing ?: 'dflt'", "{}")["x"], Value::from("dflt"));
    assert_eq!(run("ctx.x = ctx.y ?: 'dflt'", r#"{"y":0}"#)["x"], Value::Int(0));
}

/// Field chains are read in one loop: each step must still behave as its
/// own nested access (null-safe steps, failures located at their dot,
/// chains longer than one loop's worth, static fields at the root).
#[test]
fn field_chains_behave_as_nested_accesses() {
    let deep = r#"{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":{"k":7}}}}}}}}}}}"#;
    assert!(cond("ctx.a.b.c.d.e.f.g.h.i.j.k == 7", deep));
    assert!(cond("ctx.a?.b?.c?.d?.e?.f?.g?.h?.i?.j?.k == 7", deep));
    assert!(cond("ctx.a.b.c.d.e.f.g.h.i.x?.k == null", deep));
    let e = cond_err("ctx.a.b.c.d.e.f.g.h.i.x.k == null", deep);
    assert_eq!(cause(&e).1, "cannot access method/field [k] from a null def reference");
    assert_eq!(e.extra["position"].to_json(), r#"{"offset":23,"start":0,"end":33}"#);
    // A null-safe step yields null; the next plain step then fails at its dot.
    let e = cond_err("ctx.a?.x.y == null", "{}");
    assert_eq!(cause(&e).1, "cannot access method/field [y] from a null def reference");
    assert_eq!(e.extra["position"].to_json(), r#"{"offset":8,"start":0,"end":18}"#);
    let e = cond_err("ctx.a?.x.y == null", r#"{"a":{"x":"s"}}"#);
    assert_eq!(cause(&e).1, "dynamic getter [java.lang.String, y] not found");
    assert!(cond("ctx.a.x.empty == false && ctx.a.l.length == 2 && ctx.a.l.1 == 'q'", r#"{"a":{"x":{"k":1},"l":["p","q"]}}"#));
    assert!(cond("Integer.MAX_VALUE == 2147483647", "{}"));
}

#[test]
fn statements() {
    let src = r#"
        int total = 0;
        for (int i = 0; i < 10; i++) { if (i % 2 == 0) { continue; } if (i > 7) { break; } total += i; }
        int j = 0; while (j < 3) { j++; }
        int k = 0; do { k += 2; } while (k < 5);
        def seen = [];
        for (String s : ['a', 'b']) { seen.add(s); }
        String label;
        try { throw new IllegalArgumentException('boom'); } catch (IllegalArgumentException e) { label = e.getMessage(); }
        ctx.out = [total, j, k, seen, label];
    "#;
    assert_eq!(Value::List(vec![]).to_json(), "[]");
    assert_eq!(json(&run(src, "{}")), r#"{"out":[16,3,6,["a","b"],"boom"]}"#);
}

#[test]
fn functions_lambdas_and_refs() {
    let src = r#"
        int twice(int x) { return x * 2; }
        String greet(def name) { return 'hi ' + name; }
        def xs = [3, 1, 2];
        xs.sort((a, b) -> a - b);
        ctx.sorted = xs;
        ctx.doubled = xs.stream().map(x -> twice(x)).collect(Collectors.toList());
        ctx.big = xs.stream().filter(x -> x > 1).count();
        ctx.any = xs.stream().anyMatch(x -> x == 2);
        ctx.strs = xs.stream().map(String::valueOf).collect(Collectors.joining(','));
        ctx.greet = ['bob'].stream().map(this::greet).collect(Collectors.toList());
        int offset = 10;
        ctx.shifted = xs.collect(x -> x + offset);
    "#;
    assert_eq!(
        json(&run(src, "{}")),
        r#"{"sorted":[1,2,3],"doubled":[2,4,6],"big":2,"any":true,"strs":"1,2,3","greet":["hi bob"],"shifted":[11,12,13]}"#
    );
}

/// `Stream.of(def[])` (java.util.stream.txt), as the ti_anomali
/// threatstream pipeline turns `",123,,45,"` into a list; the argument is
/// cast to `Object[]`, with the JVM's messages (observed with a Java
/// program on JDK 17) for a list, a primitive array and null.
#[test]
fn stream_of_an_array() {
    let src = "def lst = Stream.of(ctx.ids.splitOnToken(',')).filter(s -> !s.isEmpty()).collect(Collectors.toList()); ctx.ids = lst; ctx.none = Stream.empty().count();";
    assert_eq!(json(&run(src, r#"{"ids":",123,,45,"}"#)), r#"{"ids":["123","45"],"none":0}"#);
    let cast = |from: &str| ("class_cast_exception".to_string(), format!("class {from} cannot be cast to class [Ljava.lang.Object; ({from} and [Ljava.lang.Object; are in module java.base of loader 'bootstrap')"));
    assert_eq!(cause(&run_err("def x = ['a']; ctx.r = Stream.of(x).count()", "{}")), cast("java.util.ArrayList"));
    assert_eq!(cause(&run_err("def x = new int[] {1}; ctx.r = Stream.of(x).count()", "{}")), cast("[I"));
    assert_eq!(
        cause(&run_err("def x = null; ctx.r = Stream.of(x).count()", "{}")),
        ("null_pointer_exception".to_string(), "Cannot read the array length because \"array\" is null".to_string())
    );
}

/// Method references on a nested type name, as the oracle database_audit
/// pipeline lowercases its keys (`Collectors.toMap(e -> ..., Map.Entry::getValue)`;
/// PainlessParser.g4's `decltype REF ID` takes `Map.Entry`). The reference
/// casts its receiver to the class named, as the JVM's checkcast in the
/// generated function does (messages observed with a Java program on JDK 17),
/// and `toMap` refuses a null value as the JDK's accumulator does; the
/// map iterates as the JDK's HashMap did for these keys.
#[test]
fn method_references_on_nested_types_and_receiver_casts() {
    let src = r#"
        def m = ['DB USER': 'x', 'Action': 'CONNECT'];
        ctx.lower = m.entrySet().stream().collect(Collectors.toMap(entry -> entry.getKey().toLowerCase(), Map.Entry::getValue));
        ctx.keys = m.entrySet().stream().map(Map.Entry::getKey).sorted().collect(Collectors.toList());
        ctx.lengths = ['ab', new StringBuilder('xyz')].stream().map(CharSequence::length).collect(Collectors.toList());
    "#;
    assert_eq!(json(&run(src, "{}")), r#"{"lower":{"action":"CONNECT","db user":"x"},"keys":["Action","DB USER"],"lengths":[2,3]}"#);
    let cast = |from: &str, to: &str| {
        ("class_cast_exception".to_string(), format!("class {from} cannot be cast to class {to} ({from} and {to} are in module java.base of loader 'bootstrap')"))
    };
    assert_eq!(cause(&run_err("ctx.r = [1].stream().map(Map.Entry::getValue).collect(Collectors.toList())", "{}")), cast("java.lang.Integer", "java.util.Map$Entry"));
    assert_eq!(cause(&run_err("ctx.r = [1].stream().map(String::length).collect(Collectors.toList())", "{}")), cast("java.lang.Integer", "java.lang.String"));
    let null_value = run_err("ctx.r = ['k': null].entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))", "{}");
    assert_eq!(cause(&null_value), ("null_pointer_exception".to_string(), String::new()));
}

/// The tests of a variable answered in place (`== null`, `instanceof` a
/// class, `==` a constant, and `&&`, `||`, `!` over them) agree with the
/// same tests of a call's value, which take the general path.
#[test]
fn tests_of_a_variable_agree_with_the_general_path() {
    let values = [
        "null", "''", "'a'", "1", "1L", "1.0", "1.0f", "(byte) 1", "(short) 1", "(char) 97", "true", "[]", "['']", "[:]", "['a': 1]",
        "new HashSet()", "[:].keySet()", "['a': 1].values()", "[:].entrySet()", "new StringBuilder()", "x -> x", "ctx", "ctx.m", "ctx.l",
        "ctx.s", "ctx.e", "ctx.missing",
    ];
    let tests = [
        "== null", "!= null", "=== null", "!== null", "== ''", "!= ''", "== 'a'", "=== 'a'", "== 1", "!= 1L", "== 1.0", "== true", "instanceof String",
        "instanceof Map", "instanceof List", "instanceof Object", "instanceof Number", "instanceof Integer", "instanceof Collection", "instanceof Set",
        "instanceof CharSequence", "instanceof Map.Entry", "instanceof Boolean",
    ];
    let ctx = r#"{"m": {"a": 1}, "l": [1, ""], "s": "", "e": {}}"#;
    for v in values {
        for t in tests {
            let body = |x: &str| {
                format!(
                    "def v = {v}; def r = [];
                     if ({x} {t}) {{ r.add(1) }} else {{ r.add(0) }}
                     r.add(!({x} {t}) ? 1 : 0);
                     r.add({x} {t} && {x} == null || !({x} instanceof List) && {x} != 'a' ? 1 : 0);
                     ctx.r = r;"
                )
            };
            let fast = body("v");
            let general = format!("def id(def x) {{ return x; }} {}", body("id(v)"));
            let outcome = |src: &str| run_with(src, ctx, "{}").map(|m| json(&m)).map_err(|e| e.to_value().to_json());
            assert_eq!(outcome(&fast), outcome(&general), "{fast}");
        }
    }
}

/// Conditions joined by `&&`, `||` and `!` run as branches over their
/// tests; the same conditions written as nested `?:` (whose tests are
/// answered one at a time) give the same answers and the same errors,
/// over generated conditions of tests that hold, fail and throw.
#[test]
fn boolean_operators_agree_with_nested_conditionals() {
    let tests = [
        "v == null", "v != null", "v instanceof String", "v == ''", "v === 'a'", "w != 1", "w instanceof Map", "id(v) == 'a'",
        "w.isEmpty()", "truth(w)", "v", "w == v",
    ];
    let values = ["null", "''", "'a'", "1", "true", "false", "[:]", "['a']"];
    let mut rng = crate::xorshift::XorShift(0x9E37_79B9_7F4A_7C15);
    let mut below = move |n: usize| (rng.next() % n as u64) as usize;
    // A condition in both forms: with the operators, and as conditionals.
    fn generate(below: &mut impl FnMut(usize) -> usize, tests: &[&str], depth: usize) -> (String, String) {
        let pick = if depth == 0 { 0 } else { below(5) };
        match pick {
            1 | 2 => {
                let (a, ra) = generate(below, tests, depth - 1);
                let (b, rb) = generate(below, tests, depth - 1);
                if pick == 1 {
                    (format!("({a} && {b})"), format!("({ra} ? {rb} : false)"))
                } else {
                    (format!("({a} || {b})"), format!("({ra} ? true : {rb})"))
                }
            }
            3 => {
                let (x, rx) = generate(below, tests, depth - 1);
                (format!("!{x}"), format!("({rx} ? false : true)"))
            }
            _ => {
                let t = tests[below(tests.len())];
                (format!("({t})"), format!("({t})"))
            }
        }
    }
    let functions = "def id(def x) { return x; } boolean truth(def x) { return x instanceof Boolean ? x : x != null; }";
    for _ in 0..300 {
        let (ops, nested) = generate(&mut below, &tests, 4);
        let (v, w) = (values[below(values.len())], values[below(values.len())]);
        let body = |c: &str| format!("{functions} def v = {v}; def w = {w}; def r = []; if ({c}) {{ r.add(1) }} else {{ r.add(0) }} r.add({c} ? 1 : 0); r.add({c}); ctx.r = r;");
        let outcome = |src: &str| run_with(src, "{}", "{}").map(|m| json(&m)).map_err(|e| cause(&e));
        assert_eq!(outcome(&body(&ops)), outcome(&body(&nested)), "{ops} with v = {v}, w = {w}");
    }
}

/// A lambda that captures nothing is made once per run and shared by every
/// evaluation, so equal to itself as Java's one instance of it is; one that
/// captures is made at each, with what it captured then.
#[test]
fn lambdas_evaluated_again_and_again() {
    let src = r#"
        def made = [];
        for (int i = 0; i < 3; i++) { made.add(x -> x + 1); made.add(x -> x + i); }
        def r = [];
        for (def f : made) { r.add(f.apply(10)); }
        r.add(made[0] == made[2]);
        r.add(made[1] == made[3]);
        ctx.r = r;
    "#;
    assert_eq!(json(&run(src, "{}")), r#"{"r":[11,10,11,11,11,12,true,false]}"#);
}

#[test]
fn strings_and_library() {
    assert_eq!(eval("'a,b,,c'.splitOnToken(',')").to_json(), r#"["a","b","","c"]"#);
    assert_eq!(eval("'a,b,c'.splitOnToken(',', 2)").to_json(), r#"["a","b,c"]"#);
    assert_eq!(eval("'  Hi  '.trim().toLowerCase()"), Value::from("hi"));
    assert_eq!(eval("'hello'.indexOf('l') + 'hello'.lastIndexOf('l')"), Value::Int(5));
    assert_eq!(eval("'hello'.substring(1, 3)"), Value::from("el"));
    assert_eq!(eval("'abc'.replace('b', 'x')"), Value::from("axc"));
    assert_eq!(eval("'abc'.charAt(1) == (char) 'b'"), Value::Bool(true));
    assert_eq!(eval("String.join('-', ['a', 'b'])"), Value::from("a-b"));
    assert_eq!(eval("String.format('%s=%05d', 'n', 42)"), Value::from("n=00042"));
    assert_eq!(eval("String.format('%.2e|%g|%.1f', 1234.5, 0.5, 0.25)"), Value::from("1.23e+03|0.500000|0.3"));
    assert_eq!(eval("String.format(Locale.ROOT, '%s-%s', 'a', 'B'.toLowerCase(Locale.ROOT))"), Value::from("a-b"));
    assert_eq!(eval("'aGk='.decodeBase64()"), Value::from("hi"));
    assert_eq!(eval("'hi'.encodeBase64()"), Value::from("aGk="));
    assert_eq!(eval("Character.isDigit('7'.charAt(0))"), Value::Bool(true));
    assert_eq!(eval("Processors.lowercase('AB') + Processors.uppercase('c')"), Value::from("abC"));
    assert_eq!(eval("Processors.urlDecode('a%20b+c')"), Value::from("a b c"));
    assert_eq!(eval("Processors.bytes('1kb')"), Value::Long(1024));
    assert_eq!(eval("Processors.json('{\"a\":[1]}').a[0]"), Value::Int(1));
    assert_eq!(eval("def m = ['b': 2, 'a': 1]; m.keySet().stream().sorted().collect(Collectors.toList())").to_json(), r#"["a","b"]"#);
    assert_eq!(eval("new String[2].length"), Value::Int(2));
    assert_eq!(eval("int[] a = new int[] {1, 2}; a[1] + a.length"), Value::Int(4));
    assert_eq!(eval("[1, 2, 3][-1]"), Value::Int(3));
    assert_eq!(eval("def s = new HashSet(); s.add(1); s.add(1); s.size()"), Value::Int(1));
    assert_eq!(eval("def m = ['a': 1, 'b': 2]; m.count((k, v) -> v > 1)"), Value::Int(1));
    assert_eq!(eval("def m = ['a': 1, 'b': 2]; m.collect((k, v) -> k + v)").to_json(), r#"["a1","b2"]"#);
    assert_eq!(eval("def m = ['a': 1, 'b': 2]; m.findAll((k, v) -> v > 1)").to_json(), r#"{"b":2}"#);
    assert_eq!(eval("def m = ['a': 1]; m.computeIfPresent('a', (k, v) -> v + 1); m.replace('z', 0); m").to_json(), r#"{"a":2}"#);
    assert_eq!(cause(&run_err("new ArrayList(10)", "{}")).0, "class_cast_exception");
}

#[test]
fn date_arithmetic() {
    let src = r#"
        ZonedDateTime start = ZonedDateTime.parse(ctx.start);
        ZonedDateTime end = ZonedDateTime.parse(ctx.end);
        ctx.duration_ms = ChronoUnit.MILLIS.between(start, end);
        ctx.duration_ns = Duration.between(start, end).toNanos();
        ctx.days = ChronoUnit.DAYS.between(start, end);
        ctx.next_day = start.plusDays(1).toString();
        ctx.epoch = start.toInstant().toEpochMilli();
        ctx.local = start.withZoneSameInstant(ZoneId.of('Europe/Paris')).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        ctx.year = start.getYear();
        ctx.dow = start.getDayOfWeek().toString();
        ctx.iso = Instant.ofEpochMilli(1700000000123L).toString();
        ctx.custom = start.format(DateTimeFormatter.ofPattern('yyyy/MM/dd HH:mm:ss.SSS XXX'));
        ctx.parsed = LocalDateTime.parse('03/01/2024 07:08:09', DateTimeFormatter.ofPattern('dd/MM/yyyy HH:mm:ss')).toString();
        ctx.dur = Duration.ofMillis(5432100).toString();
    "#;
    let out = run(src, r#"{"start":"2024-01-31T22:30:00Z","end":"2024-02-02T00:00:00.5+01:00"}"#);
    assert_eq!(out["duration_ms"], Value::Long(88_200_500));
    assert_eq!(out["duration_ns"], Value::Long(88_200_500_000_000));
    assert_eq!(out["days"], Value::Long(1));
    assert_eq!(out["next_day"], Value::from("2024-02-01T22:30Z"));
    assert_eq!(out["epoch"], Value::Long(1_706_740_200_000));
    assert_eq!(out["local"], Value::from("2024-01-31T23:30:00"));
    assert_eq!(out["year"], Value::Int(2024));
    assert_eq!(out["dow"], Value::from("WEDNESDAY"));
    assert_eq!(out["iso"], Value::from("2023-11-14T22:13:20.123Z"));
    assert_eq!(out["custom"], Value::from("2024/01/31 22:30:00.000 Z"));
    assert_eq!(out["parsed"], Value::from("2024-01-03T07:08:09"));
    assert_eq!(out["dur"], Value::from("PT1H30M32.1S"));
    assert_eq!(eval("ZonedDateTime.parse('2024-03-01T10:00:00+01:00[Europe/Paris]').toString()"), Value::from("2024-03-01T10:00+01:00[Europe/Paris]"));
    assert_eq!(eval("ZonedDateTime.parse('2024-03-01T10:00:00Z').plusMonths(1).minusHours(2).toString()"), Value::from("2024-04-01T08:00Z"));
    assert_eq!(eval("ZonedDateTime.parse('2024-03-01T10:00:00Z').isBefore(ZonedDateTime.parse('2024-03-01T11:00:00+00:30'))"), Value::Bool(true));
    // Temporal objects stored in the document are written as XContent writes them.
    assert_eq!(eval("ZonedDateTime.parse('2024-03-01T10:00:00+01:00')"), Value::from("2024-03-01T10:00:00.000+01:00"));
    assert_eq!(eval("Instant.ofEpochSecond(1, 500)"), Value::from("1970-01-01T00:00:01.0000005Z"));
    let e = run_err("ZonedDateTime.parse('not a date')", "{}");
    assert_eq!(cause(&e), ("date_time_parse_exception".into(), "Text 'not a date' could not be parsed at index 0".into()));
}

// ---- errors ----

#[test]
fn compile_errors_render_like_elasticsearch() {
    let e = compile("ctx.a = ;", ScriptContext::Ingest).unwrap_err();
    let v = e.to_value();
    assert_eq!(e.kind, "script_exception");
    assert_eq!(e.reason, "compile error");
    assert_eq!(v.as_map().unwrap()["lang"], Value::from("painless"));
    assert_eq!(v.as_map().unwrap()["script_stack"].to_json(), r#"["ctx.a = ;","        ^---- HERE"]"#);
    assert_eq!(v.as_map().unwrap()["position"].to_json(), r#"{"offset":8,"start":0,"end":9}"#);
    assert_eq!(cause(&e).0, "illegal_argument_exception");

    let long = format!("{}ctx.a = ;", "x = 1; ".repeat(8).replace("x = 1; ", "ctx.x = 1; "));
    let e = compile(&long, ScriptContext::Ingest).unwrap_err();
    let stack = e.extra["script_stack"].to_json();
    assert!(stack.starts_with("[\"... "), "{stack}");

    assert!(cause(&compile("undefinedVar + 1", ScriptContext::Ingest).unwrap_err()).1.contains("cannot resolve symbol [undefinedVar]"));
    assert!(cause(&compile("'a\\nb'", ScriptContext::Ingest).unwrap_err()).1.contains("unexpected character"));
    assert!(cause(&compile("2147483648", ScriptContext::Ingest).unwrap_err()).1.contains("Invalid int constant"));
    assert_eq!(eval("-2147483648"), Value::Int(i32::MIN));
    assert_eq!(cause(&compile("1 + 1", ScriptContext::Ingest).unwrap_err()).1, "not a statement: result not used from addition operation [+]");
    assert_eq!(cause(&compile("ctx.a == 1; true", ScriptContext::Condition).unwrap_err()).1, "not a statement: result not used from equals operation [==]");
    assert!(compile("ctx.a == 1", ScriptContext::Condition).is_ok());
}

#[test]
fn unsupported_features_fail_at_compile_time() {
    for src in ["new java.io.File('x')", "Thread.sleep(1)", "ctx.a.someUnknownMethod()", "Foo x = null"] {
        let e = compile(src, ScriptContext::Ingest).unwrap_err();
        let (_, reason) = cause(&e);
        assert!(reason.starts_with("unsupported Painless feature") && reason.contains(" at 1:"), "{src}: {reason}");
    }
}

#[test]
fn unsupported_features_report_line_and_column() {
    let e = compile("def x = 1;\n  x = Thread.currentThread();", ScriptContext::Ingest).unwrap_err();
    assert_eq!(cause(&e).1, "unsupported Painless feature class [Thread] at 2:7");
    let e = compile("ctx.a = 1;\nctx.b = ctx.a.frobnicate(2);", ScriptContext::Ingest).unwrap_err();
    assert_eq!(cause(&e).1, "unsupported Painless feature method [frobnicate/1] at 2:14");
    let e = compile("ctx.t = new TreeBag()", ScriptContext::Ingest).unwrap_err();
    assert_eq!(cause(&e).1, "unsupported Painless feature constructor [TreeBag/0] at 1:9");
    assert_eq!(e.extra["position"].to_json(), r#"{"offset":8,"start":0,"end":21}"#);
}

#[test]
fn runtime_errors_render_like_elasticsearch() {
    let e = run_err("ctx.a.b = 1", "{}");
    assert_eq!(e.reason, "runtime error");
    assert_eq!(cause(&e), ("null_pointer_exception".into(), "cannot access method/field [b] from a null def reference".into()));
    assert_eq!(e.extra["script_stack"].to_json(), r#"["ctx.a.b = 1","     ^---- HERE"]"#);
    assert_eq!(e.extra["position"].to_json(), r#"{"offset":5,"start":0,"end":11}"#);

    let e = run_err("def x = 1;\nctx.l[5]", r#"{"l":[1]}"#);
    assert_eq!(cause(&e), ("index_out_of_bounds_exception".into(), "Index 5 out of bounds for length 1".into()));
    assert_eq!(e.extra["script_stack"].to_json(), r#"["ctx.l[5]","     ^---- HERE"]"#);

    let e = run_err("String s = ctx.n", r#"{"n":1}"#);
    assert_eq!(cause(&e).0, "class_cast_exception");
    assert!(cause(&e).1.contains("java.lang.Integer cannot be cast to class java.lang.String"));

    let e = run_err("ctx.x = Integer.parseInt('abc')", "{}");
    assert_eq!(cause(&e), ("number_format_exception".into(), "For input string: \"abc\"".into()));

    let e = run_err("ctx.x = 1 / 0", "{}");
    assert_eq!(cause(&e), ("arithmetic_exception".into(), "/ by zero".into()));

    let e = run_err("throw new IllegalStateException('custom')", "{}");
    assert_eq!(cause(&e), ("illegal_state_exception".into(), "custom".into()));

    let e = run_err("ctx.s.foo = 1", r#"{"s":"str"}"#);
    assert_eq!(cause(&e), ("illegal_argument_exception".into(), "dynamic setter [java.lang.String, foo] not found".into()));

    let e = run_err("ctx.x = ctx.s.substring(9)", r#"{"s":"str"}"#);
    assert_eq!(cause(&e).0, "string_index_out_of_bounds_exception");

    let e = cond_err("ctx.missing.equalsIgnoreCase('x')", "{}");
    assert_eq!(cause(&e).1, "cannot access method/field [equalsIgnoreCase] from a null def reference");

    let e = cond_err("ctx.n > 5", "{}");
    assert_eq!(cause(&e).0, "null_pointer_exception");
    // Operators are located at their left operand's first token.
    assert_eq!(e.extra["position"].to_json(), r#"{"offset":0,"start":0,"end":9}"#);
    let e = cond_err("params['_source'].tags.size() > 2", "{}");
    assert_eq!(cause(&e).1, "cannot access method/field [tags] from a null def reference");
    assert_eq!(e.extra["position"].to_json(), r#"{"offset":17,"start":0,"end":33}"#);
}

/// A boxed target widens a narrower number implicitly, as Painless's
/// `Def.defTo<Box>Implicit` and its compile-time boxing casts do; it never
/// narrows, nor crosses from a char-less box to `Character`.
/// A compound assignment on `def` casts its result back to the class the
/// target held: DefBootstrap's OPERATOR_COMPOUND_ASSIGNMENT flag and
/// `DefMath.dynamicReceiverCast`/`dynamicCast` (lang-painless DefMath.java):
/// a box or `Character` takes the result's `Number` value of its type, any
/// other class must be the result's (`Class.cast`).
#[test]
fn compound_assignments_cast_back_to_the_targets_class() {
    let doc = r#"{"n":1,"l":[1.5,2],"m":{"k":10}}"#;
    let out = run("ctx.n += 1.5; ctx.l[0] += 1; ctx.l[1] *= 2.5; ctx.m.k /= 4.0; ctx.m.j = 10; ctx.m.j *= 1000000000000L", doc);
    assert_eq!(json(&out), r#"{"n":2,"l":[2.5,5],"m":{"k":2,"j":1316134912}}"#);
    assert_eq!(eval("def x = 1; x += 1.5; x"), Value::Int(2));
    assert_eq!(eval("def x = 1L; x -= 0.5; x"), Value::Long(0));
    assert_eq!(eval("def x = 2.5; x += 1; x"), Value::Double(3.5));
    assert_eq!(eval("def x = 1.5f; x += 1.25; x"), Value::Float(2.75));
    assert_eq!(eval("def s = (short) 1; s++; s instanceof Short"), Value::Bool(true));
    assert_eq!(eval("def b = (byte) 127; b += 1; b"), Value::Int(-128));
    assert_eq!(eval("def c = 'a'.charAt(0); c += 1; c instanceof Character && c == (char) 98"), Value::Bool(true));
    assert_eq!(eval("def s = 'a'; s += 1; s"), Value::String("a1".into()));
    // lang-painless AdditionTests.testDefCompoundAssignmentLHS.
    for (src, class, value) in [
        ("def x = (byte)5; x += -10", "Byte", "-5"),
        ("def x = (short)5; x += 10", "Short", "15"),
        ("def x = (char)10; x += -5", "Character", "5"),
        ("def x = 5L; x += -10", "Long", "-5"),
        ("def x = 5f; x += 10", "Float", "15.0"),
    ] {
        let probe = format!("{src}; ctx.r = [x instanceof {class}, x instanceof Character ? (int) x : x]");
        assert_eq!(run(&probe, "{}")["r"].to_json(), format!("[true,{value}]"), "{src}");
    }
    // A typed operand leaves Java's own cast back to the declared type.
    assert_eq!(eval("double d = 1; d += 1; d"), Value::Double(2.0));
    assert_eq!(eval("int i = 1; def y = 2.9; i += y; i"), Value::Int(3));
    for (src, message) in [
        ("def n = 1; n += 'x'", "Cannot convert [class java.lang.String] to a Number"),
        ("def c = 'a'.charAt(0); c += 'x'", "Cannot convert [class java.lang.String] to a Number"),
        ("def b = true; b += 'x'", "Cannot cast java.lang.String to java.lang.Boolean"),
    ] {
        assert_eq!(cause(&run_err(src, "{}")), ("class_cast_exception".into(), message.into()), "{src}");
    }
}

#[test]
fn boxed_targets_widen_as_def_casts_do() {
    assert_eq!(run("Long f() { return 1 } ctx.r = f()", "{}")["r"], Value::Long(1));
    assert_eq!(eval("def i = 7; Long x = i; x"), Value::Long(7));
    assert_eq!(eval("def c = (char) 65; Integer x = c; x"), Value::Int(65));
    assert_eq!(eval("def l = 3L; Double x = l; x"), Value::Double(3.0));
    assert_eq!(eval("def f = 1.5f; Double x = f; x"), Value::Double(1.5));
    assert_eq!(eval("def b = (byte) 2; Short x = b; x"), Value::Int(2));
    for narrowing in ["def l = 3L; Integer x = l", "def d = 1.0; Long x = d", "def i = 1; Short x = i", "def i = 65; Character x = i"] {
        assert_eq!(cause(&run_err(narrowing, "{}")).0, "class_cast_exception", "{narrowing}");
    }
}

#[test]
fn every_error_class() {
    let cases: &[(&str, &str, &str)] = &[
        ("def a = new int[2]; a[2] = 1", "array_index_out_of_bounds_exception", "Index 2 out of bounds for length 2"),
        ("def a = new int[-1]", "negative_array_size_exception", "-1"),
        ("def s = 'x'; def m = (Map) s", "class_cast_exception", "class java.lang.String cannot be cast to class java.util.Map (java.lang.String and java.util.Map are in module java.base of loader 'bootstrap')"),
        ("ctx.s.add(1)", "illegal_argument_exception", "dynamic method [java.lang.String, add/1] not found"),
        ("ctx.l.foo", "illegal_argument_exception", "Illegal list shortcut value [foo]."),
        ("ctx.s[0]", "illegal_argument_exception", "Attempting to address a non-array-like type [java.lang.String] as an array."),
        ("ctx.l.iterator().next(); def i = [].iterator(); i.next()", "no_such_element_exception", ""),
        ("ctx.x = 'a' - 1", "class_cast_exception", "Cannot apply [-] operation to types [java.lang.String] and [java.lang.Integer]."),
        ("if (ctx.s) { ctx.x = 1 }", "class_cast_exception", "cannot cast def [java.lang.String] to boolean"),
        ("int i = ctx.big", "class_cast_exception", "cannot cast def [long] to int"),
        ("ctx.l.remove('a')", "class_cast_exception", "cannot cast def [java.lang.String] to int"),
        ("Double.parseDouble('1,5')", "number_format_exception", "For input string: \"1,5\""),
        ("ctx.x = ctx.l.get(3)", "index_out_of_bounds_exception", "Index 3 out of bounds for length 1"),
        ("ctx.x = Optional.empty().get()", "no_such_element_exception", "No value present"),
        ("ctx.x = ctx.missing[0]", "null_pointer_exception", "cannot access method/field [normalizeIndex] from a null def reference"),
        ("for (x in ctx.missing) { ctx.x = x }", "null_pointer_exception", "cannot access method/field [iterator] from a null def reference"),
        ("for (x in ctx.s) { ctx.x = x }", "illegal_argument_exception", "Cannot iterate over [java.lang.String]"),
    ];
    for (src, kind, reason) in cases {
        let e = run_err(src, r#"{"s":"str","l":["a"],"big":9999999999}"#);
        assert_eq!(e.kind, "script_exception", "{src}");
        assert_eq!(cause(&e), (kind.to_string(), reason.to_string()), "{src}");
    }
}

#[test]
fn catching_follows_the_exception_hierarchy() {
    let src = r#"
        def out = [];
        try { Integer.parseInt('x') } catch (IllegalArgumentException e) { out.add('iae:' + e.getMessage()) }
        try { def n = null; n.size() } catch (Exception e) { out.add('npe') }
        try { [1][5] } catch (IndexOutOfBoundsException e) { out.add('ioobe') }
        try { try { throw new RuntimeException('inner') } catch (NullPointerException e) { out.add('wrong') } } catch (RuntimeException e) { out.add(e.getMessage()) }
        ctx.out = out;
    "#;
    assert_eq!(json(&run(src, "{}")), r#"{"out":["iae:For input string: \"x\"","npe","ioobe","inner"]}"#);
}

#[test]
fn debug_explain() {
    let e = run_err("try { Debug.explain(ctx.a) } catch (Exception e) {}", r#"{"a":"x"}"#);
    let v = e.to_value();
    let m = v.as_map().unwrap();
    assert_eq!(m["java_class"], Value::from("java.lang.String"));
    assert_eq!(m["to_string"], Value::from("x"));
    assert_eq!(m.keys().position(|k| k == "to_string") < m.keys().position(|k| k == "script_stack"), true);
    assert_eq!(cause(&e).0, "painless_explain_error");
    let e = run_err("Debug.explain(null)", "{}");
    assert!(!e.extra.contains_key("java_class"));
    assert_eq!(e.extra["to_string"], Value::from("null"));
}

#[test]
fn loop_limit() {
    let e = run_err("while (ctx.a == null) {}", "{}");
    assert_eq!(cause(&e), ("painless_error".into(), "The maximum number of statements that can be executed in a loop has been reached.".into()));
    // A caught exception does not swallow it.
    let e = run_err("try { while (ctx.a == null) {} } catch (Exception e) {}", "{}");
    assert_eq!(cause(&e).0, "painless_error");
}

#[test]
fn deep_recursion_is_an_error_not_a_crash() {
    let e = run_err("int f(int x) { return f(x + 1); } f(0)", "{}");
    assert_eq!(cause(&e).0, "stack_overflow_error");
}

#[test]
fn hostile_scripts_fail_cleanly() {
    // A list that contains itself prints and serialises like Java's.
    assert_eq!(eval("def l = [1]; l.add(l); l.toString()"), Value::from("[1, (this Collection)]"));
    assert_eq!(eval("def a = []; def b = [a]; a.add(b); a == b"), Value::Bool(false));
    assert_eq!(cause(&run_err("def a = new int[2000000000]", "{}")).0, "out_of_memory_error");
    assert_eq!(cause(&run_err("String s = 'ab'; while (true) { s += s }", "{}")).0, "out_of_memory_error");
    assert_eq!(cause(&run_err("def l = [1]; while (true) { l.addAll(l) }", "{}")).0, "out_of_memory_error");
    assert_eq!(cause(&run_err("ZonedDateTime.parse('2020-01-01T00:00:00Z').plusYears(999999999999L)", "{}")).0, "date_time_exception");
    assert_eq!(cause(&run_err("Instant.ofEpochMilli(0).plusSeconds(9223372036854775807L)", "{}")).0, "date_time_exception");
    assert_eq!(eval("Instant.ofEpochMilli(0).plus(200000, ChronoUnit.DAYS).toString()"), Value::from("2517-08-01T00:00:00Z"));
}

#[test]
fn deep_nesting_compiles_or_is_refused_without_crashing() {
    let ok = format!("ctx.x = {}1{}", "(".repeat(60), ")".repeat(60));
    assert_eq!(run(&ok, "{}")["x"], Value::Int(1));
    let deep = format!("ctx.x = {}1{}", "(".repeat(5000), ")".repeat(5000));
    assert!(cause(&compile(&deep, ScriptContext::Ingest).unwrap_err()).1.contains("nested too deeply"));
    let blocks = format!("{}ctx.x = 1;{}", "if (ctx.x == null) { ".repeat(80), "}".repeat(80));
    assert_eq!(run(&blocks, "{}")["x"], Value::Int(1));
    assert_eq!(eval("1 + 2 * 3 - 4 / 2 % 3 << 1 >> 1 & 7 | 8 ^ 1"), Value::Int(13));
    assert_eq!(eval("ctx.a ?: ctx.b ?: 3"), Value::Int(3));
    assert_eq!(eval("true ? false ? 1 : 2 : 3"), Value::Int(2));
    assert_eq!(eval("1 < 2 == true && !(3 >= 4) || false"), Value::Bool(true));
}

#[test]
fn script_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Script>();
}

/// Deterministic mutation fuzz: random edits of real scripts must never
/// panic the lexer, parser, resolver or interpreter.
#[test]
fn fuzz_never_panics() {
    let seeds = [
        "ctx.microsoft?.online_message_trace?.value instanceof List && ctx.microsoft.online_message_trace.value.length == 0",
        "if (!(ctx._conf.local_domains instanceof List)) {ctx._conf.local_domains = [ctx._conf.local_domains]}",
        "boolean d(Object o) { if (o == null || o == \"\") { return true; } else if (o instanceof Map) { ((Map) o).values().removeIf(v -> d(v)); return ((Map) o).size() == 0; } return false; } d(ctx);",
        "def m = /a(b+)c/.matcher(ctx.s); if (m.find()) { ctx.g = m.group(1) } for (x in [1,2]) { ctx.n = (ctx.n ?: 0) + x; }",
        "int i = 0; while (i < 3) { i++; } ctx.x = ['a': 1, 'b': [1, 2L, 3.0f, 4d]]; ctx.y = 0x1F >>> 2 << 1; String s = 'x' + ctx.x;",
        "ZonedDateTime z = ZonedDateTime.parse('2024-01-31T22:30:00Z'); ctx.d = ChronoUnit.DAYS.between(z, z.plusDays(3)); ctx.f = z.format(DateTimeFormatter.ofPattern('yyyy-MM-dd HH:mm'));",
        "ctx.l = [3, 1, 2].stream().filter(x -> x > 1).map(x -> x * 2).sorted().collect(Collectors.toList()); def m = new HashMap(); m.put('k', [1]); m.computeIfAbsent('j', k -> []).add(2); ctx.m = m;",
        "try { throw new IllegalArgumentException('x') } catch (Exception e) { ctx.e = e.getMessage() } String t = ctx.s; ctx.t = t.substring(1, 3).toUpperCase() + t.splitOnToken('b').length;",
    ];
    let tokens = ["(", ")", "{", "}", "[", "]", ";", ".", "?.", "?:", "=", "==", "===", "+", "-", "/", "'", "\"", "/x/", "new", "def", "for", "in", "ctx", "null", "0", "1L", "->", "::", "instanceof", "Map", "int", ",", ":", "!", "++", "return", "\\"];
    let ctx = map(r#"{"s":"abbbc","n":1,"microsoft":{"online_message_trace":{"value":[]}},"_conf":{"local_domains":"x"},"a":{"b":[1,{"c":""}]}}"#);
    let mut rng = crate::xorshift::XorShift(0x9E3779B97F4A7C15);
    let mut next = move |n: usize| (rng.next() % n.max(1) as u64) as usize;
    for round in 0..5000 {
        let mut src: Vec<char> = seeds[round % seeds.len()].chars().collect();
        for _ in 0..1 + next(4) {
            let at = next(src.len() + 1);
            match next(3) {
                0 if !src.is_empty() => {
                    let end = (at + next(6)).min(src.len());
                    src.drain(at.min(src.len())..end);
                }
                1 if next(4) == 0 && !src.is_empty() => {
                    // Duplicate a slice elsewhere: nests and repeats real syntax.
                    let a = next(src.len());
                    let b = (a + next(20)).min(src.len());
                    let piece: Vec<char> = src[a..b].to_vec();
                    let at = at.min(src.len());
                    src.splice(at..at, piece);
                }
                1 => {
                    let t: Vec<char> = tokens[next(tokens.len())].chars().collect();
                    let at = at.min(src.len());
                    src.splice(at..at, t);
                }
                _ => {
                    let c = (b' ' + next(95) as u8) as char;
                    let at = at.min(src.len());
                    src.insert(at, c);
                }
            }
        }
        let text: String = src.into_iter().collect();
        for context in [ScriptContext::Condition, ScriptContext::Ingest] {
            if let Ok(script) = compile(&text, context) {
                let _ = script.condition(&ctx, &Map::default());
                let mut copy = ctx.clone();
                let _ = script.execute(&mut copy, &Map::default());
            }
        }
    }
}

// ---- conformance with real integrations ----

#[test]
fn map_empty_property_is_is_empty_not_a_key() {
    // The getter wins over the map shortcut, even when the map has a key "empty".
    let ctx = run("ctx.a = ctx.full.empty; ctx.b = ctx['none'].empty; if (!ctx.full.empty) { ctx.c = 1 }", r#"{"full": {"empty": "key", "k": 1}, "none": {}}"#);
    assert_eq!(json(&ctx), r#"{"full":{"empty":"key","k":1},"none":{},"a":false,"b":true,"c":1}"#);
}

#[test]
fn formatter_formats_a_temporal() {
    let ctx = run(
        "Instant i = Instant.ofEpochSecond(86400); \
         ctx.a = DateTimeFormatter.ISO_INSTANT.format(i); \
         ctx.b = DateTimeFormatter.ofPattern('dd/MM/yyyy HH:mm').withZone(ZoneId.of('Europe/Paris')).format(i); \
         ctx.c = DateTimeFormatter.ofPattern('yyyy').format(LocalDate.of(1999, 5, 6));",
        "{}",
    );
    assert_eq!(json(&ctx), r#"{"a":"1970-01-02T00:00:00Z","b":"02/01/1970 01:00","c":"1999"}"#);
    let e = run_err("ctx.d = DateTimeFormatter.ofPattern('yyyy').format(Instant.ofEpochSecond(0))", "{}");
    assert_eq!(cause(&e).0, "unsupported_temporal_type_exception");
}

#[test]
fn double_to_string_widens_an_int_argument() {
    assert_eq!(eval("Double.toString(100) + ' ' + Float.toString(3) + ' ' + Double.toString(2.5)"), Value::from("100.0 3.0 2.5"));
}

#[test]
fn date_times_stored_in_the_document_are_written_as_xcontent_does() {
    let ctx = run(
        "ctx.zoned = Instant.ofEpochSecond(1700000000L, 123456000L).atZone(ZoneId.of('UTC')); \
         ctx.paris = ZonedDateTime.parse('2020-01-02T03:04:05.1+01:00[Europe/Paris]'); \
         ctx.instant = Instant.ofEpochSecond(0); \
         ctx.local = LocalDateTime.of(2020, 1, 2, 3, 4); \
         ctx.date = LocalDate.of(2020, 1, 2); \
         ctx.time = LocalTime.of(3, 4); \
         ctx.duration = Duration.ofMinutes(90);",
        "{}",
    );
    assert_eq!(
        json(&ctx),
        r#"{"zoned":"2023-11-14T22:13:20.123456Z","paris":"2020-01-02T03:04:05.100+01:00","instant":"1970-01-01T00:00:00.000Z","local":"2020-01-02T03:04:00.000","date":"2020-01-02","time":"03:04:00.000","duration":"PT1H30M"}"#
    );
}

#[test]
fn string_empty_property_is_is_empty() {
    let ctx = run("ctx.a = ctx.s.empty; ctx.b = ctx.e.empty;", r#"{"s": "x", "e": ""}"#);
    assert_eq!(json(&ctx), r#"{"s":"x","e":"","a":false,"b":true}"#);
    let e = run_err("ctx.a = ctx.s.length", r#"{"s": "x"}"#);
    assert_eq!(cause(&e).1, "dynamic getter [java.lang.String, length] not found");
}

#[test]
fn document_maps_iterate_in_hash_map_order() {
    // Elasticsearch's document maps are HashMaps: "zeta" (bucket 0), "b" (2), "alpha" (7).
    let ctx = run(
        "def out = []; for (e in ctx.m.entrySet()) { out.add(e.getKey()) } ctx.keys = out; ctx.vals = new ArrayList(ctx.m.values());",
        r#"{"m": {"zeta": 1, "alpha": 2, "b": 3}}"#,
    );
    assert_eq!(json(&ctx), r#"{"m":{"zeta":1,"alpha":2,"b":3},"keys":["zeta","b","alpha"],"vals":[1,3,2]}"#);
    assert!(cond("def k = ''; for (x in ctx.m.keySet()) { k += x } return k == 'zetabalpha'", r#"{"m": {"zeta": 1, "alpha": 2, "b": 3}}"#));
}

// ---- fast paths give what the general path gives ----

/// A function's call is chosen for its frame when the script compiles: up
/// to 4 slots on the stack, more from the spare frames; parameters taken as
/// they are when all are `def` or `Object`, converted otherwise.
#[test]
fn function_frames_of_every_size_convert_and_return_alike() {
    let src = "
        int zero() { return 7; }
        def one(def a) { return a; }
        long two(int a, long b) { return a + b; }
        def four(def a, def b, def c) { def d = a + b; return d + c; }
        def six(def a, def b, Object c, def d, def e) { def f = a + b + c + d + e; return f; }
        double widened(double x) { return x; }
        int narrowedByCast(def x) { return (int) x; }
        void touch(def m) { m.touched = true; return; }
        boolean none(def x) { if (x == 1) { return true; } false }
        ctx.r = [zero(), one('x'), two(1, 2L), four(1, 2, 3), six(1, 2, 3, 4, 5), widened(1), narrowedByCast(2.9), none(1), none(2)];
        touch(ctx);
    ";
    assert_eq!(json(&run(src, "{}")), r#"{"r":[7,"x",3,6,15,1.0,2,true,false],"touched":true}"#);
    // A typed parameter refuses what it cannot take, with a small frame or
    // a large one (a `def` argument: a String one is a compile error).
    for params in ["int a", "int a, def b, def c, def d, def e"] {
        let args = if params.contains(',') { "s, 1, 2, 3, 4" } else { "s" };
        let src = format!("def f({params}) {{ return a; }} def s = 's'; ctx.r = f({args});");
        let e = run_err(&src, "{}");
        assert_eq!(cause(&e).0, "class_cast_exception", "{params}");
        let at = src.find("= f(").unwrap() + 2;
        assert!(e.extra["position"].to_json().contains(&format!(r#""offset":{at},"#)), "{params}: {}", e.extra["position"].to_json());
    }
}

/// Blocks of few statements run without a loop over them: a block leaves
/// at whichever statement returns, whatever its length.
#[test]
fn blocks_of_every_length_leave_where_they_return() {
    for len in 1..=6 {
        let ifs: String = (0..len).map(|i| format!("if (n == {i}) {{ return {i}; }} ")).collect();
        let src = format!("def f(def n) {{ {ifs}return -1; }} ctx.r = []; for (int n = 0; n <= {len}; n++) {{ ctx.r.add(f(n)); }}");
        let expected: Vec<String> = (0..len).map(|i| i.to_string()).chain(["-1".to_string()]).collect();
        assert_eq!(json(&run(&src, "{}")), format!(r#"{{"r":[{}]}}"#, expected.join(",")), "{len}");
    }
}

/// A lambda that only forwards its parameters to a function calls it
/// without a frame of its own: what it gives, and how it fails, is what a
/// lambda that runs the same call in a frame gives.
#[test]
fn forwarding_lambdas_match_lambdas_with_frames() {
    let ctx = r#"{"l": [1, 2, 3, "x", null, 4.5]}"#;
    let function = "boolean odd(def x) { return x instanceof Integer && x % 2 == 1; } boolean oddInt(int x) { return x % 2 == 1; }";
    for lambda in ["x -> odd(x)", "(def x) -> odd(x)", "(Object x) -> odd(x)", "(int x) -> oddInt(x)", "x -> oddInt(x)"] {
        let forwarding = format!("{function} ctx.l.removeIf({lambda});");
        let (params, call) = lambda.split_once(" -> ").unwrap();
        let framed = format!("{function} ctx.l.removeIf({params} -> {{ return {call}; }});");
        // The result, or the failure and where it is located: at `.removeIf`
        // or at the call in the lambda, which sit at other offsets in the two sources.
        let outcome = |src: &str| match run_with(src, ctx, "{}") {
            Ok(m) => json(&m),
            Err(e) => {
                let position = e.extra["position"].to_json();
                let located = |at: usize| position.contains(&format!(r#""offset":{at},"#));
                let place = if located(src.find(".removeIf").unwrap()) {
                    "removeIf".to_string()
                } else if located(src.rfind(call).unwrap()) {
                    "call".to_string()
                } else {
                    position
                };
                format!("{:?} at {place}", cause(&e))
            }
        };
        assert_eq!(outcome(&forwarding), outcome(&framed), "{lambda}");
    }
}


/// `[constants].contains(x)` answers without building the list; the same
/// list held in a variable takes the general path.
#[test]
fn literal_list_contains_matches_a_built_list() {
    let ctx = r#"{"s": "internal", "i": 1, "l": 1, "d": 1.0, "n": null, "b": true, "m": {"a": 1}}"#;
    let lists = ["['inbound', 'internal']", "[1, 2]", "[1L, 2L]", "[1.0, 'x']", "[null, true]", "[]"];
    for list in lists {
        for x in ["ctx.s", "ctx.i", "(long) ctx.l", "ctx.d", "ctx.n", "ctx.b", "ctx.m", "ctx.missing?.x", "'inbound'"] {
            let fast = format!("{list}.contains({x})");
            let general = format!("def l = {list}; l.contains({x})");
            assert_eq!(cond(&fast, ctx), cond(&general, ctx), "{fast}");
            let outcome = |src: String| match run_with(&src, ctx, "{}") {
                Ok(m) => m.get("r").cloned().unwrap().to_json(),
                Err(e) => cause(&e).1,
            };
            assert_eq!(outcome(format!("ctx.r = {fast}")), outcome(format!("def l = {list}; ctx.r = l.contains({x})")), "{fast}");
        }
    }
    // Errors in the argument are reported where they were raised, as before.
    let fast = cond_err("['a'].contains(ctx.x.y)", "{}");
    let general = cond_err("def l = ['a']; l.contains(ctx.x.y)", "{}");
    assert_eq!(cause(&fast).1, cause(&general).1);
    assert_eq!(fast.to_value().to_json().matches("ctx.x.y").count(), general.to_value().to_json().matches("ctx.x.y").count());
}

/// Fields of small and large document maps, read in place by conditions.
#[test]
fn document_fields_are_found_in_maps_of_any_size() {
    for n in [0usize, 1, 5, 12, 13, 40] {
        let fields: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
        let ctx = format!("{{{}}}", fields.join(", "));
        for i in 0..n {
            assert!(cond(&format!("ctx.k{i} == {i} && ctx['k{i}'] == {i}"), &ctx), "{n} {i}");
        }
        assert!(cond("ctx.absent == null && ctx.k == null", &ctx));
    }
    // The same field of different large maps, and again of the first.
    let inner = |base: usize| format!("{{{}}}", (0..20).map(|i| format!("\"k{i}\": {}", base + i)).collect::<Vec<_>>().join(", "));
    let ctx = format!("{{{}}}", (0..20).map(|i| format!("\"m{i}\": {}", inner(100 * i))).collect::<Vec<_>>().join(", "));
    assert!(cond("ctx.m0.k5 == 5 && ctx.m1.k5 == 105 && ctx.m0.k5 == 5 && ctx.m0.k6 == 6 && ctx.m0?.k5 == 5 && ctx.m19.k19 == 1919", &ctx));
    assert!(cond("ctx.m0.absent == null && ctx.m0.absent == null && ctx.m0.k0 == 0", &ctx));
}

/// Calls reuse frames: recursion through functions and lambdas, errors
/// raised inside a call and calls after them keep working.
#[test]
fn calls_reuse_frames_without_leaking_values() {
    let src = "boolean isEmpty(def v) { if (v == null || (v instanceof String && v == '')) return true; \
               if (v instanceof Map) { v.values().removeIf(x -> isEmpty(x)); return v.isEmpty(); } \
               if (v instanceof List) { v.removeIf(x -> isEmpty(x)); return v.isEmpty(); } return false; } \
               isEmpty(ctx);";
    let out = run(src, r#"{"a": "", "b": {"c": null, "d": [null, "", {"e": ""}], "f": 1}, "g": [[]], "h": "x"}"#);
    assert_eq!(json(&out), r#"{"b":{"f":1},"h":"x"}"#);
    let src = "int f(int n) { if (n == 3) { throw new IllegalArgumentException('x') } def a = 1; def b = 2; return n + a + b } \
               int r = 0; for (int i = 0; i < 6; i++) { try { r += f(i) } catch (IllegalArgumentException e) { r += 100 } } ctx.r = r";
    assert_eq!(run(src, "{}").get("r"), Some(&Value::Int(100 + 0 + 1 + 2 + 4 + 5 + 5 * 3)));
    let src = "def add = (a, b) -> a + b; def three = (a, b, c) -> a * b * c; ctx.r = add.apply(1, 2) + three.apply(2, 3, 4)";
    assert_eq!(run(src, "{}").get("r"), Some(&Value::Int(27)));
}

/// `String.hashCode` over UTF-16 code units, ASCII or not (values from Java).
#[test]
fn string_hash_codes_match_java() {
    assert_eq!(eval("'hello'.hashCode()"), Value::Int(99162322));
    assert_eq!(eval("'héllo'.hashCode()"), Value::Int(103094734));
    assert_eq!(eval("'a😀b'.hashCode()"), Value::Int(57849694));
    assert_eq!(eval("''.hashCode()"), Value::Int(0));
}

/// `== null` and `!= null` against every kind of value.
#[test]
fn comparisons_with_null() {
    for x in ["null", "0", "0L", "0.0", "''", "'a'", "false", "[]", "[:]", "ctx", "ctx.missing"] {
        let is_null = x == "null" || x == "ctx.missing";
        assert_eq!(eval(&format!("def x = {x}; x == null")), Value::Bool(is_null), "{x}");
        assert_eq!(eval(&format!("def x = {x}; null != x")), Value::Bool(!is_null), "{x}");
    }
}

/// `size`, `isEmpty` and `contains` on lists, sets and map views, owned or
/// read in place from the document, answer as iterating the elements does.
#[test]
fn collection_queries_without_copies() {
    let ctx = r#"{"l": [1, "a", null, 2.0], "e": [], "m": {"x": 1, "y": "b"}, "z": {}}"#;
    for (expr, expected) in [
        ("ctx.l.size() == 4 && !ctx.l.isEmpty() && ctx.e.size() == 0 && ctx.e.isEmpty()", true),
        ("ctx.l.contains(1) && ctx.l.contains('a') && ctx.l.contains(null) && ctx.l.contains(2.0)", true),
        ("ctx.l.contains(1L) || ctx.l.contains(2) || ctx.l.contains('b') || ctx.e.contains(null)", false),
        ("ctx.m.keySet().size() == 2 && ctx.m.values().size() == 2 && ctx.m.entrySet().size() == 2", true),
        ("ctx.z.keySet().isEmpty() && ctx.z.values().isEmpty() && !ctx.m.values().isEmpty()", true),
        ("ctx.m.values().contains('b') && ctx.m.keySet().contains('x') && !ctx.m.values().contains('x')", true),
    ] {
        assert_eq!(cond(expr, ctx), expected, "{expr}");
        // The same on the script's own copies.
        let owned = expr.replace("ctx.", "c.");
        let src = format!("def c = ['l': new ArrayList(ctx.l), 'e': new ArrayList(ctx.e), 'm': new HashMap(ctx.m), 'z': new HashMap(ctx.z)]; ctx.r = {owned}");
        assert_eq!(run(&src, ctx).get("r"), Some(&Value::Bool(expected)), "{owned}");
    }
    let set = "def s = new HashSet(); s.add(1); s.add('a'); def t = new HashSet();";
    assert_eq!(eval(&format!("{set} s.size() == 2 && !s.isEmpty() && t.size() == 0 && t.isEmpty() && s.contains('a')")), Value::Bool(true));
    // After removeIf through a view, the map and its views agree.
    assert_eq!(eval("def m = ['a': 1, 'b': null]; m.values().removeIf(v -> v == null); m.values().size() == 1 && m.keySet().size() == 1 && m.size() == 1"), Value::Bool(true));
}

/// `equalsIgnoreCase`, ASCII or not (results as in Java).
#[test]
fn equals_ignore_case_in_and_out_of_ascii() {
    for (a, b, expected) in [
        ("Delivered", "delivered", true),
        ("FAILED", "failed", true),
        ("a-1_B", "A-1_b", true),
        ("abc", "abd", false),
        ("abc", "abcd", false),
        ("", "", true),
        ("@", "`", false),
        ("[", "{", false),
        ("Straße", "STRASSE", false),
        ("ÉTÉ", "été", true),
        ("\u{212A}", "k", true),
        ("K", "\u{212A}", true),
    ] {
        assert_eq!(eval(&format!("'{a}'.equalsIgnoreCase('{b}')")), Value::Bool(expected), "{a} {b}");
    }
}

/// `String.equals` is Object's: equal strings only.
#[test]
fn string_equals() {
    for (expr, expected) in [("'a'.equals('a')", true), ("''.equals('')", true), ("'a'.equals(null)", false), ("'1'.equals(1)", false), ("'a'.equals('A')", false)] {
        assert_eq!(eval(expr), Value::Bool(expected), "{expr}");
    }
    assert!(cond("ctx.s.equals('x') && !ctx.s.equals(ctx.n)", r#"{"s": "x", "n": null}"#));
}

/// What a script leaves in `ctx.r`, or the class, message and offset of its error.
fn outcome(src: &str, ctx: &str) -> String {
    match run_with(src, ctx, "{}") {
        Ok(m) => m.get("r").cloned().unwrap_or(Value::Null).to_json(),
        Err(e) => format!("{:?} at {}", cause(&e), e.extra.get("position").map(|p| p.to_json()).unwrap_or_default()),
    }
}

/// Java's map classes: a `LinkedHashMap` is a `HashMap`, a `TreeMap` is
/// not, and the document's maps are `HashMap`s; in place, through the
/// general path, and inside a function specialised by argument kind.
#[test]
fn map_classes_answer_instanceof_as_java_does() {
    let ctx = r#"{"m": {"a": 1}}"#;
    // (value, class name, instanceof Map, HashMap, LinkedHashMap, TreeMap)
    let cases = [
        ("new HashMap()", "java.util.HashMap", [true, true, false, false]),
        ("[:]", "java.util.HashMap", [true, true, false, false]),
        ("ctx.m", "java.util.HashMap", [true, true, false, false]),
        ("new LinkedHashMap()", "java.util.LinkedHashMap", [true, true, true, false]),
        ("new TreeMap()", "java.util.TreeMap", [true, false, false, true]),
    ];
    for (value, class, expected) in cases {
        for (t, want) in ["Map", "HashMap", "LinkedHashMap", "TreeMap"].into_iter().zip(expected) {
            let want = want.to_string();
            assert_eq!(outcome(&format!("def a = {value}; ctx.r = a instanceof {t}"), ctx), want, "{value} instanceof {t}");
            assert_eq!(outcome(&format!("def a = {value}; ctx.r = [a][0] instanceof {t}"), ctx), want, "{value} instanceof {t}");
            let function = format!("boolean f(def v) {{ if (v == null) {{ return false; }} if (v instanceof {t}) {{ return true; }} return false; }} ctx.r = f({value})");
            assert_eq!(outcome(&function, ctx), want, "{function}");
        }
        let cast = outcome(&format!("def a = {value}; String s = (String) a; ctx.r = s"), ctx);
        assert!(cast.contains(&format!("class {class} cannot be cast")), "{value}: {cast}");
    }
}

/// The operators a condition answers without building values (`&&`, `||`,
/// `!`, `instanceof`, the equality operators, with variables compared in
/// place) agree with the same operators on operands that go through the
/// general path (`[a][0]` is `a`, evaluated and copied).
#[test]
fn condition_operators_agree_with_the_general_path() {
    let ctx = r#"{"m": {"a": 1, "b": ""}, "l": ["x", null], "s": "x", "n": 1}"#;
    let values = [
        "null", "''", "'a'", "0", "1", "1L", "1.0", "1.0f", "(byte) 1", "(char) 97", "true", "false", "[]", "[1]", "[:]", "['a': 1]", "new HashSet()",
        "new HashMap()", "new LinkedHashMap()", "new TreeMap()",
        "ctx", "ctx.m", "ctx.l", "ctx.s", "ctx.n", "ctx.missing", "x -> x", "ctx.m.values()", "ctx.m.keySet()", "ctx.m.entrySet()", "new StringBuilder()",
        "new IllegalArgumentException('x')", "ZonedDateTime.parse('2024-01-01T00:00:00Z')", "/a/",
    ];
    let types = [
        "def", "Object", "String", "CharSequence", "Map", "HashMap", "LinkedHashMap", "TreeMap", "List", "AbstractList", "ArrayList", "LinkedList", "Set", "HashSet",
        "Collection", "Iterable", "Map.Entry", "Number", "Integer", "Long", "Double", "Float", "Short", "Byte", "Character", "Boolean", "Function",
        "Predicate", "ZonedDateTime", "Pattern", "StringBuilder", "Exception", "RuntimeException", "IllegalArgumentException", "NumberFormatException",
        "def[]",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for a in values {
        for t in types {
            let in_place = outcome(&format!("def a = {a}; ctx.r = a instanceof {t}"), ctx);
            let general = outcome(&format!("def a = {a}; ctx.r = [a][0] instanceof {t}"), ctx);
            let condition = outcome(&format!("def a = {a}; ctx.r = false; if (a instanceof {t} && true) {{ ctx.r = true }}"), ctx);
            assert_eq!(in_place, general, "{a} instanceof {t}");
            assert_eq!(condition, general, "{a} instanceof {t}");
            seen.insert(general);
        }
        for b in values {
            for op in ["==", "!=", "===", "!=="] {
                let general = outcome(&format!("def a = {a}; def b = {b}; ctx.r = [a][0] {op} [b][0]"), ctx);
                assert_eq!(outcome(&format!("def a = {a}; def b = {b}; ctx.r = a {op} b"), ctx), general, "{a} {op} {b}");
                let condition = format!("def a = {a}; def b = {b}; ctx.r = false; if (!(a {op} b) == false) {{ ctx.r = true }}");
                assert_eq!(outcome(&condition, ctx), general, "{a} {op} {b}");
                seen.insert(general);
            }
        }
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["false", "true"], "every combination runs");
    // Literals on either side, compared in place.
    for (expr, expected) in [("ctx.s == 'x'", true), ("'x' == ctx.s", true), ("ctx.n == 1L", true), ("ctx.n === 1", true), ("1.0 == ctx.n", true), ("null == ctx.missing", true), ("ctx.s != null", true)] {
        assert!(cond(expr, ctx) == expected && cond(&format!("def v = {}; v", expr), ctx) == expected, "{expr}");
    }
}

/// `!`, `&&` and `||` on a value that is not a boolean fail where Painless
/// does, in a condition as in a value: `!x` at the `!`, `x && y` at `x`
/// (a field at its `.`).
#[test]
fn non_boolean_operands_fail_at_the_same_place_in_conditions_and_values() {
    for (expr, at) in [("!ctx.s", 0), ("!(ctx.s)", 0), ("!!ctx.s", 1), ("ctx.s && true", 3), ("true && ctx.s", 11), ("false || ctx.s", 12), ("ctx.n || true", 3), ("!ctx.missing", 0)] {
        let offset = |prefix: &str, src: String| {
            let e = run_err(&src, r#"{"s": "x", "n": 1}"#);
            let p = e.extra["position"].as_map().unwrap()["offset"].to_json();
            (cause(&e), p.parse::<usize>().unwrap() - prefix.len())
        };
        let value = offset("ctx.r = ", format!("ctx.r = {expr}"));
        let condition = offset("if (", format!("if ({expr}) {{ ctx.r = 1 }}"));
        assert_eq!(value, condition, "{expr}");
        assert_eq!(value.1, at, "{expr}");
    }
}

/// A script's outcome with errors reduced to their cause and offset.
fn outcome_at(src: &str, ctx: &str) -> String {
    match run_with(src, ctx, "{}") {
        Ok(m) => m.get("r").cloned().unwrap_or(Value::Null).to_json(),
        Err(e) => format!("{:?} at {}", cause(&e), e.extra.get("position").and_then(|p| p.as_map()).map(|p| p["offset"].to_json()).unwrap_or_default()),
    }
}

/// A lambda that only hands its parameters to a script function
/// (`x -> f(x)`) is called without a frame of its own; it behaves as the
/// same call in a block body (`x -> {return f(x)}`, padded so that the call
/// is at the same offset): results, conversions, errors and their place,
/// and the call depth at which recursion overflows.
#[test]
fn forwarding_lambdas_behave_as_their_call() {
    // Each lambda in either form, the call at the same offset in both.
    let forward = |lambda: &str| {
        let (params, call) = lambda.split_once(" -> ").unwrap();
        format!("{params} ->         {call} ")
    };
    let block = |lambda: &str| {
        let (params, call) = lambda.split_once(" -> ").unwrap();
        format!("{params} -> {{return {call}}}")
    };
    let functions = |form: &dyn Fn(&str) -> String| {
        format!(
            "int f(int n) {{ if (n == 0) {{ return 0 }} def l = [n - 1]; l.replaceAll({}); return l[0] + 1 }} \
             def g(def a, def b) {{ if (a == null) {{ throw new IllegalArgumentException('a') }} return a + b }} \
             boolean e(def v) {{ return v == null || v == '' }} ",
            form("x -> f(x)")
        )
    };
    let cases = [
        ("f(10)", "x -> f(x)"),
        ("f(30)", "x -> f(x)"),
        ("f(31)", "x -> f(x)"),
        ("f(40)", "x -> f(x)"),
        ("[1, 2].stream().reduce(0, LAMBDA)", "(a, b) -> g(a, b)"),
        ("[1, 2].stream().reduce(0, LAMBDA)", "(a, b) -> g(b, a)"),
        ("[null].stream().reduce(0, LAMBDA)", "(a, b) -> g(b, a)"),
        ("[null].stream().reduce(null, LAMBDA)", "(a, b) -> g(a, b)"),
        ("['', 'x', null, 1].stream().filter(LAMBDA).count()", "v -> e(v)"),
        ("['x', 1].stream().map(LAMBDA).count()", "(int v) -> f(v)"),
        ("[2.5].stream().map(LAMBDA).count()", "(def v) -> f(v)"),
        ("[3].stream().map(LAMBDA).count()", "(String v) -> e(v)"),
        ("[1].stream().map(LAMBDA).count()", "v -> f(1)"),
        ("[1, 2].stream().map(LAMBDA).collect(Collectors.toList())", "v -> f(v)"),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (expr, lambda) in cases {
        let fast = format!("{} ctx.r = {}", functions(&forward), expr.replace("LAMBDA", &forward(lambda)));
        let general = format!("{} ctx.r = {}", functions(&block), expr.replace("LAMBDA", &block(lambda)));
        seen.insert(outcome_at(&general, "{}"));
        assert_eq!(outcome_at(&fast, "{}"), outcome_at(&general, "{}"), "{fast}");
    }
    assert!(seen.iter().any(|o| o.contains("stack_overflow")) && seen.iter().any(|o| o.contains("class_cast")) && seen.contains("10"), "{seen:?}");
}

/// A script function leaves its value for its caller converted to its
/// declared type as an assignment to a variable of that type converts it,
/// or the type's default when the body ends without a `return`; a
/// `removeIf` predicate forwarding to it (`x -> f(x)`, whose boolean is
/// read where the function left it) answers as the same call in a block
/// body (`x -> {return f(x)}`, the call at the same offset).
#[test]
fn function_values_reach_every_caller_converted() {
    let types = ["def", "Object", "boolean", "Boolean", "int", "long", "double", "short", "String", "List", "void"];
    let values = ["null", "true", "false", "1", "1L", "1.5", "''", "'x'", "[]", "(char) 97", "(byte) 1"];
    let cause_only = |src: &str| match run_with(src, "{}", "{}") {
        Ok(m) => m.get("r").cloned().unwrap_or(Value::Null).to_json(),
        Err(e) => format!("{:?}", cause(&e)),
    };
    let mut seen = std::collections::BTreeSet::new();
    for ty in types {
        for value in values {
            let function = if ty == "void" {
                format!("void f(def x) {{ if (x == 1) {{ return }} def d = {value}; ctx.seen = d }} ")
            } else {
                format!("{ty} f(def x) {{ if (x == 1) {{ def d = {value}; return d }} {ty}[] a = new {ty}[1]; return a[0] }} ")
            };
            if ty != "void" {
                let called = cause_only(&format!("{function} ctx.r = f(1)"));
                assert_eq!(called, cause_only(&format!("def d = {value}; {ty} v = d; ctx.r = v")), "{function}");
                let fell_off = outcome_at(&format!("{function} ctx.r = f(0)"), "{}");
                assert_eq!(fell_off, outcome_at(&format!("{ty}[] a = new {ty}[1]; ctx.r = a[0]"), "{}"), "{function}");
                seen.insert(called);
            }
            for receiver in ["[0, 1, 2]", "['a': 1, 'b': 0].values()"] {
                let fast = format!("{function} def l = {receiver}; ctx.r = l.removeIf(x ->         f(x) ); ctx.after = l");
                let general = format!("{function} def l = {receiver}; ctx.r = l.removeIf(x -> {{return f(x)}}); ctx.after = l");
                assert_eq!(outcome_at(&fast, "{}"), outcome_at(&general, "{}"), "{fast}");
                seen.insert(outcome_at(&general, "{}"));
            }
        }
    }
    assert!(seen.iter().any(|o| o.contains("class_cast")) && seen.contains("true") && seen.contains("1.5"), "{seen:?}");
}

/// The operands of `&&` and `||` that a condition answers in place (a
/// variable's `instanceof`, its comparison with a variable or a constant)
/// agree with the same operands as values (`[a][0]` goes the general way),
/// on either side of the operator, short-circuiting as Java does.
#[test]
fn condition_operands_agree_with_the_general_path() {
    let ctx = r#"{"m": {"a": 1}, "l": ["x"], "s": "x", "n": 1}"#;
    let values = ["null", "''", "'x'", "1", "1L", "1.0", "true", "[]", "[:]", "ctx.m", "ctx.l", "ctx.s", "ctx.n", "ctx.missing", "x -> x", "ctx.m.values()"];
    let tests = ["A instanceof String", "A instanceof Map", "A instanceof List", "A instanceof Collection", "A instanceof def", "A instanceof Number", "A instanceof int"];
    let comparisons = ["A == B", "A != B", "A === B", "A !== B", "A == null", "null != A", "A == ''", "'x' == A", "A == 1", "1L != A"];
    let mut seen = std::collections::BTreeSet::new();
    for a in values {
        for b in values {
            for leaf in tests.iter().chain(&comparisons) {
                let in_place = leaf.replace('A', "a").replace('B', "b");
                let general = leaf.replace('A', "[a][0]").replace('B', "[b][0]");
                for shape in ["X && true", "true && X", "X || false", "false || X", "!(X) || false", "(X || X) && (false || X)"] {
                    let run = |x: &str| outcome(&format!("def a = {a}; def b = {b}; ctx.r = 0; if ({}) {{ ctx.r = 1 }}", shape.replace('X', x)), ctx);
                    let expected = run(&general);
                    assert_eq!(run(&in_place), expected, "{a}, {b}: {shape} with {leaf}");
                    seen.insert(expected);
                }
            }
        }
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["0", "1"]);
    // A right operand that fails does so at its own place, after a left one answered in place.
    let in_place = outcome_at("def a = 'x'; if (a      instanceof String && a.substring(5) == '') { ctx.r = 1 }", "{}");
    let general = outcome_at("def a = 'x'; if ([a][0] instanceof String && a.substring(5) == '') { ctx.r = 1 }", "{}");
    assert!(in_place.contains("string_index_out_of_bounds"), "{in_place}");
    assert_eq!(in_place, general);
}

/// A function whose frame lives on the stack (few variables) and one whose
/// frame does not (more variables) behave alike: conversions of arguments
/// and results, errors, recursion and values kept between calls.
#[test]
fn small_and_large_frames_behave_alike() {
    let pad = |n: usize| (0..n).map(|i| format!("def p{i} = {i}; ")).collect::<String>();
    let program = |extra: usize| {
        format!(
            "int f(int n, def x) {{ {} if (n <= 0) {{ return x == null ? -1 : x.size() }} return f(n - 1, x) + 1 }} \
             long g(long v) {{ {} return v }} \
             boolean e(def v) {{ {} return v == null || (v instanceof String && v == '') }} ",
            pad(extra),
            pad(extra),
            pad(extra)
        )
    };
    let calls = [
        "ctx.r = f(3, [1, 2])",
        "ctx.r = f(3, null)",
        "ctx.r = f(70, [])",
        "ctx.r = f('x', [])",
        "ctx.r = f(2.5, [])",
        "ctx.r = g(7)",
        "ctx.r = g('7')",
        "ctx.r = [null, '', 'x', 1].stream().filter(v -> e(v)).count()",
        "def l = [null, '', 'x', [:]]; l.removeIf(v -> e(v)); ctx.r = l",
        "ctx.r = f(3, 'abc')",
    ];
    let plain = |src: String| match run_with(&src, "{}", "{}") {
        Ok(m) => m.get("r").cloned().unwrap_or(Value::Null).to_json(),
        Err(e) => format!("{:?}", cause(&e)),
    };
    let mut seen = std::collections::BTreeSet::new();
    for call in calls {
        let small = plain(format!("{} {call}", program(0)));
        for extra in [3, 4, 8] {
            assert_eq!(plain(format!("{} {call}", program(extra))), small, "{call} with {extra} more variables");
        }
        seen.insert(small);
    }
    assert!(seen.iter().any(|o| o.contains("stack_overflow")) && seen.iter().any(|o| o.contains("class_cast")) && seen.contains("5"), "{seen:?}");
}

/// A function's `if`, `return` and expression statements run the same in a
/// block (answered by the block's loop) as alone in an unbraced branch
/// (answered by the general statement path): results, errors and their place.
#[test]
fn statements_in_blocks_and_alone_agree() {
    let inputs = ["null", "''", "'x'", "1", "2.5", "[]", "[1]", "[:]", "['a': '']", "true"];
    // `{S}` and ` S ` have the same length, so errors are at the same offsets.
    let bodies = [
        "if (v == null) {return 1;} if (v instanceof String && v == '') {return 2;} else {return 3;}",
        "if (v instanceof Map) {v.put('k', 1);} if (v instanceof List) {v.add(1);} if (v != null) {return v;} return 0;",
        "if (v) {return 1;} return 0;",
        "if (v == 1) {return v.foo;} else if (v instanceof List) {return v[3];} else {return v.length();}",
        "if (v === null || v.isEmpty()) {return true;} {return false;}",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for body in bodies {
        let alone = body.replace('{', " ").replace('}', " ");
        for input in inputs {
            let run = |b: &str| outcome_at(&format!("def f(def v) {{ {b} }} ctx.r = f({input})"), "{}");
            let expected = run(body);
            assert_eq!(run(&alone), expected, "{body} on {input}");
            seen.insert(expected);
        }
    }
    assert!(seen.iter().any(|o| o.contains("class_cast")) && seen.iter().any(|o| o.contains("index_out_of_bounds")) && seen.len() > 8, "{seen:?}");
}

/// The collection methods bound at compile time (`size`, `isEmpty`,
/// `values`, `keySet`, `entrySet`, `removeIf`) answer as the same methods
/// called by name (through a bound method reference, which dispatches by
/// name) on every kind of receiver: results, changes and errors.
#[test]
fn bound_methods_agree_with_calls_by_name() {
    let ctx = r#"{"m": {"a": 1, "b": null, "c": ""}, "l": [1, null, ""]}"#;
    let params = r#"{"m": {"a": 1, "b": null}, "l": [1, null]}"#;
    let receivers = [
        "[1, null, '']", "[]", "['a': 1, 'b': null]", "[:]", "new HashSet([1, null])", "'abc'", "''", "ctx.m", "ctx.l", "ctx.m.values()",
        "ctx.m.keySet()", "ctx.m.entrySet()", "params.m", "params.l", "params.m.values()", "null", "1", "Optional.empty()", "new def[2]",
        "['a': 1].entrySet().iterator().next()",
    ];
    let calls = [
        ("size", ""), ("isEmpty", ""), ("values", ""), ("keySet", ""), ("entrySet", ""),
        ("removeIf", "x -> x == null"), ("removeIf", "x -> x instanceof Map.Entry ? x.getValue() == null : x == 1"), ("removeIf", "x -> x.foo"),
    ];
    let outcome = |src: String| match run_with(&src, ctx, params) {
        Ok(m) => m.get("r").cloned().unwrap_or(Value::Null).to_json(),
        Err(e) => format!("{:?}", cause(&e)),
    };
    let mut seen = std::collections::BTreeSet::new();
    for receiver in receivers {
        for (name, arg) in calls {
            let bound = outcome(format!("def a = {receiver}; def r = a.{name}({arg}); ctx.r = [r, a]"));
            let by_name = outcome(format!("def a = {receiver}; def g = a::{name}; def r = g.apply({arg}); ctx.r = [r, a]"));
            assert_eq!(bound, by_name, "{receiver}.{name}({arg})");
            seen.insert(bound);
        }
    }
    for expected in ["unsupported_operation", "null_pointer", "illegal_argument", "[true,[]]", "[3,[1,null,\"\"]]"] {
        assert!(seen.iter().any(|o| o.contains(expected)), "{expected} in {seen:?}");
    }
}

/// A method called on a variable with arguments that cannot change it gets
/// the variable's value in place; it answers as the call on a copy (the
/// receiver `(v ?: v)`, the same value, evaluated as any expression;
/// Painless refuses a `null` right of `?:`):
/// results, changes, null receivers (null-safe or not) and errors.
#[test]
fn method_calls_on_variables_agree_with_calls_on_copies() {
    let ctx = r#"{"m": {"a": 1, "b": null, "c": ""}, "l": [1, "a", null], "s": "abc", "n": 5}"#;
    let receivers = ["ctx.m", "ctx.l", "ctx.s", "ctx.n", "ctx.missing", "new HashMap(ctx.m)", "new ArrayList(ctx.l)", "ctx.m.values()", "ctx.m.keySet()", "'x'", "[]"];
    let calls = [
        "size()",
        "isEmpty()",
        "get(0)",
        "get('a')",
        "contains(k)",
        "containsKey('a')",
        "indexOf('a')",
        "length()",
        "substring(1)",
        "remove(0)",
        "put('k', k)",
        "removeIf(x -> x == null)",
        "removeIf(x -> isNull(x))",
        "removeIf(this::isNull)",
        "equals(k)",
        "values()",
        "keySet()",
    ];
    let mut outcomes = std::collections::BTreeSet::new();
    for receiver in receivers {
        for call in calls {
            for dot in [".", "?."] {
                let run = |recv: &str| {
                    let src = format!(
                        "boolean isNull(def x) {{ return x == null }} \
                         def f(def v, def k) {{ return {recv}{dot}{call} }} \
                         def v = {receiver}; def k = 'a'; ctx.r = {recv}{dot}{call}; ctx.after = v; ctx.f = f({receiver}, 1)"
                    );
                    match run_with(&src, ctx, "{}") {
                        Ok(m) => json(&m),
                        Err(e) => format!("{:?} {:?}", e.caused_by.as_ref().map(|c| (&c.kind, &c.reason)), e.reason),
                    }
                };
                let in_place = run("v");
                assert_eq!(in_place, run("(v ?: v)"), "{receiver}{dot}{call}");
                outcomes.insert(in_place);
            }
        }
    }
    let errors = outcomes.iter().filter(|o| o.starts_with("Some(")).count();
    assert!(errors > 10 && outcomes.len() > errors + 30, "{errors} errors in {} outcomes", outcomes.len());
}

// ---- java.math.BigInteger: a document's integer beyond a long ----

/// 12345678901234567890: `intValue()` -350287150, `longValue()`
/// -6101065172474983726, `doubleValue()` 1.2345678901234567E19.
const BIG: &str = r#"{"n": 12345678901234567890, "m": 12345678901234567890, "k": -99999999999999999999}"#;

fn big_eval(expr: &str) -> Value {
    run(&format!("ctx.r = {expr}"), BIG).get("r").cloned().unwrap_or(Value::Null)
}

fn big_err(src: &str) -> (String, String) {
    cause(&run_with(src, BIG, "{}").unwrap_err())
}

#[test]
fn big_integers_are_java_math_big_integers() {
    for (test, holds) in [
        ("ctx.n instanceof Number", true),
        ("ctx.n instanceof BigInteger", true),
        ("ctx.n instanceof Long", false),
        ("ctx.n instanceof Integer", false),
        ("ctx.n instanceof Double", false),
        ("ctx.n == null", false),
        ("ctx.n != null", true),
        ("ctx.n == 'x'", false),
        ("ctx.n == ctx.m", true),
        ("ctx.n == ctx.k", false),
        ("ctx.n.equals(ctx.m)", true),
        ("ctx.n.equals(-350287150)", false),
        ("[ctx.n].contains(ctx.m)", true),
    ] {
        assert_eq!(cond(test, BIG), holds, "{test}");
        assert_eq!(big_eval(test), Value::Bool(holds), "{test}");
    }
    assert_eq!(big_eval("ctx.n"), Value::integer_of_text("12345678901234567890").unwrap());
    assert_eq!(json(&run("ctx.copy = ctx.k; ctx.list = [ctx.n, 1]", BIG)), r#"{"n":12345678901234567890,"m":12345678901234567890,"k":-99999999999999999999,"copy":-99999999999999999999,"list":[12345678901234567890,1]}"#);
    assert_eq!(big_eval("ctx.n.toString()"), Value::from("12345678901234567890"));
    assert_eq!(big_eval("'n=' + ctx.k"), Value::from("n=-99999999999999999999"));
    assert_eq!(big_eval("String.valueOf(ctx.n)"), Value::from("12345678901234567890"));
    assert_eq!(big_eval("ctx.n.hashCode()"), Value::Int(0xAB54A98Cu32.wrapping_mul(31).wrapping_add(0xEB1F0AD2) as i32));
}

/// Number's narrowing as Java's BigInteger does it, and the methods of
/// `java.math.BigInteger` the library has.
#[test]
fn big_integer_methods() {
    assert_eq!(big_eval("ctx.n.intValue()"), Value::Int(-350287150));
    assert_eq!(big_eval("ctx.n.longValue()"), Value::Long(-6101065172474983726));
    assert_eq!(big_eval("ctx.n.doubleValue()"), Value::Double(1.2345678901234567E19));
    assert_eq!(big_eval("ctx.n.floatValue()"), Value::Float(1.2345679E19));
    assert_eq!(big_eval("ctx.n.shortValue()"), Value::Int(-350287150i32 as i16 as i32));
    assert_eq!(big_eval("ctx.n.compareTo(ctx.k)"), Value::Int(1));
    assert_eq!(big_eval("ctx.k.compareTo(ctx.n)"), Value::Int(-1));
    assert_eq!(big_eval("ctx.n.compareTo(ctx.m)"), Value::Int(0));
    assert_eq!(big_eval("ctx.k.signum()"), Value::Int(-1));
    let sorted = run("ctx.s = [ctx.n, ctx.k]; Collections.sort(ctx.s)", BIG);
    assert_eq!(sorted["s"].to_json(), "[-99999999999999999999,12345678901234567890]");
    assert_eq!(big_eval("ctx.k.abs()"), Value::integer_of_text("99999999999999999999").unwrap());
    assert_eq!(big_eval("ctx.n.negate()"), Value::integer_of_text("-12345678901234567890").unwrap());
    assert_eq!(big_eval("ctx.n.max(ctx.k)"), Value::integer_of_text("12345678901234567890").unwrap());
    assert_eq!(big_eval("ctx.n.min(ctx.k)"), Value::integer_of_text("-99999999999999999999").unwrap());
    let e = big_err("ctx.r = ctx.n.longValueExact()");
    assert_eq!(e, ("arithmetic_exception".into(), "BigInteger out of long range".into()));
    let e = big_err("ctx.r = ctx.n.compareTo(1)");
    assert_eq!(e.1, "class java.lang.Integer cannot be cast to class java.math.BigInteger (java.lang.Integer and java.math.BigInteger are in module java.base of loader 'bootstrap')");
    // Whitelisted but not implemented here: named, and no script can catch it.
    let e = run_with("try { ctx.r = ctx.n.add(ctx.m) } catch (Exception e) { ctx.r = 0 }", BIG, "{}").unwrap_err();
    assert_eq!(cause(&e).1, "the method [java.math.BigInteger, add/1] is not supported by this engine");
    // Not in the whitelist at all: refused when the script compiles.
    let e = run_with("ctx.r = new BigInteger('1')", BIG, "{}").unwrap_err();
    assert!(cause(&e).1.starts_with("unsupported Painless feature constructor [BigInteger/1]"), "{:?}", cause(&e));
}

/// `DefMath`'s generic operators: a BigInteger is a Number none of the
/// boxes, so beside an Integer (or another BigInteger) it is taken as
/// `intValue()`, beside a Long as `longValue()`, beside a Double as
/// `doubleValue()`; negation and the bitwise operators refuse it.
#[test]
fn big_integer_def_arithmetic_follows_def_math() {
    assert_eq!(big_eval("ctx.n + 1"), Value::Int(-350287149));
    assert_eq!(big_eval("ctx.n * ctx.m"), Value::Int(726733892));
    assert_eq!(big_eval("ctx.n + 1L"), Value::Long(-6101065172474983725));
    assert_eq!(big_eval("ctx.n + 1.0"), Value::Double(1.2345678901234567E19));
    assert_eq!(big_eval("ctx.n + 1.0f"), Value::Float(1.2345679E19));
    assert_eq!(big_eval("ctx.n / 2"), Value::Int(-175143575));
    assert_eq!(big_eval("ctx.n + (char) 1"), Value::Int(-350287149));
    // Comparisons narrow the same way: the int value is negative.
    assert_eq!(big_eval("ctx.n < 0"), Value::Bool(true));
    assert_eq!(big_eval("ctx.n > 0L"), Value::Bool(false));
    assert_eq!(big_eval("ctx.n > 0.0"), Value::Bool(true));
    assert!(cond("ctx.n == -350287150", BIG));
    assert!(cond("ctx.n == -6101065172474983726L", BIG));
    assert!(cond("ctx.n == 1.2345678901234567E19", BIG));
    assert!(!cond("ctx.n == 12345", BIG));
    for (src, message) in [
        ("ctx.r = -ctx.n", "Cannot apply [-] operation to type [java.math.BigInteger]."),
        ("ctx.r = ~ctx.n", "Cannot apply [~] operation to type [java.math.BigInteger]."),
        ("ctx.r = ctx.n & 1", "Cannot convert [java.math.BigInteger] to an integral value."),
        ("ctx.r = 1L | ctx.n", "Cannot convert [java.math.BigInteger] to an integral value."),
        ("ctx.r = ctx.n << 1", "Cannot convert [java.math.BigInteger] to an integral value."),
        ("ctx.r = ctx.n + true", "Cannot apply [+] operation to types [java.math.BigInteger] and [java.lang.Boolean]."),
    ] {
        assert_eq!(big_err(src), ("class_cast_exception".into(), message.into()), "{src}");
    }
    // A compound assignment casts its result back to the receiver's class
    // (DefMath.dynamicReceiverCast), which no operator's result is.
    for src in ["ctx.n += 1", "ctx.n++", "def x = ctx.n; x -= 1L", "ctx.n += 'x'"] {
        assert!(big_err(src).1.starts_with("Cannot cast java.lang."), "{src}: {:?}", big_err(src));
    }
    assert_eq!(big_err("ctx.n *= 2.0").1, "Cannot cast java.lang.Double to java.math.BigInteger");
    // Def.defTolongExplicit takes the boxes only.
    assert!(big_err("ctx.r = (long) ctx.n").1.contains("java.math.BigInteger"));
}

// ---- ctx: Elasticsearch's IngestCtxMap ----

/// A document with metadata as the simulator builds it (`_routing` given).
const CTX_DOC: &str = r#"{"o":1,"a":2,"_index":"i","_id":"x","_version":-3,"_routing":"r"}"#;

/// `CtxMap.entrySet()` (server/src/main/java/org/elasticsearch/script/CtxMap.java)
/// iterates the source map, then the metadata keys through a
/// `new HashSet<>(metadata.keySet())`; `AbstractMap`'s `toString`,
/// `keySet`, `values` and `forEach` go through it. Elasticsearch gives
/// `{a=2, o=1, _routing=r, _index=i, _id=x, _version=-3}`; one `HashMap`
/// of all six keys would give `{_routing=r, a=2, _index=i, _id=x, _version=-3, o=1}`.
#[test]
fn ctx_iterates_its_source_then_its_metadata() {
    let src = "def keys = []; for (def k : ctx.keySet()) { keys.add(k) } \
               def values = []; for (def v : ctx.values()) { values.add(v) } \
               def entries = []; for (def e : ctx.entrySet()) { entries.add(e.getKey() + '=' + e.getValue()) } \
               def each = []; ctx.forEach((k, v) -> each.add(k)); \
               def seenKeys = []; ctx.keySet().removeIf(k -> { seenKeys.add(k); return false }); \
               def seenValues = []; ctx.values().removeIf(v -> { seenValues.add(v); return false }); \
               def it = ctx.keySet().iterator(); def iterated = []; while (it.hasNext()) { iterated.add(it.next()) } \
               String text = ctx.toString(); \
               ctx.r = [text, keys, values, entries, each, seenKeys, seenValues, iterated, ctx.size(), ctx.isEmpty()]";
    let out = run(src, CTX_DOC);
    assert_eq!(
        out["r"].to_json(),
        concat!(
            r#"["{a=2, o=1, _routing=r, _index=i, _id=x, _version=-3}","#,
            r#"["a","o","_routing","_index","_id","_version"],[2,1,"r","i","x",-3],"#,
            r#"["a=2","o=1","_routing=r","_index=i","_id=x","_version=-3"],"#,
            r#"["a","o","_routing","_index","_id","_version"],["a","o","_routing","_index","_id","_version"],"#,
            r#"[2,1,"r","i","x",-3],["a","o","_routing","_index","_id","_version"],6,false]"#
        )
    );
    // After a put (entries made from the puts): still the source first,
    // `zz` in bucket 0 of the source's table.
    let out = run("ctx.zz = 1; ctx.r = ctx.toString()", CTX_DOC);
    assert_eq!(out["r"], Value::from("{zz=1, a=2, o=1, _routing=r, _index=i, _id=x, _version=-3}"));
    // The source's table is sized for its own 12 keys (16 buckets, `q`
    // before `a` in bucket 1), not for 15 with the metadata (32 buckets).
    let doc = r#"{"q":0,"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"_index":"i","_id":"x","_version":-3}"#;
    assert_eq!(
        run("ctx.r = ctx.keySet().toString()", doc)["r"],
        Value::from("[q, a, b, c, d, e, f, g, h, i, j, k, _index, _id, _version]")
    );
}

/// A condition's `ctx` is the same `IngestCtxMap` behind
/// ConditionalProcessor's read-only wrapper, whose `keySet()` and
/// `values()` go through it.
#[test]
fn a_conditions_ctx_iterates_as_a_scripts() {
    let keys = "def l = []; for (def k : ctx.keySet()) { l.add(k) } return l.toString() == '[a, o, _routing, _index, _id, _version]'";
    assert!(cond(keys, CTX_DOC));
    let values = "def l = []; for (def v : ctx.values()) { l.add(v) } return l.toString() == '[2, 1, r, i, x, -3]'";
    assert!(cond(values, CTX_DOC));
    // Maps inside it are HashMaps.
    assert!(cond("def l = []; for (def k : ctx.m.keySet()) { l.add(k) } return l.toString() == '[_id, o]'", r#"{"m":{"o":1,"_id":2}}"#));
}

/// `AbstractList` (java.util.txt whitelists the class, with no members of
/// its own): `ArrayList`, `LinkedList` and the lists `Arrays.asList`,
/// `Collections.emptyList` and `singletonList` return extend it; sets,
/// maps and strings do not (JDK 17 `instanceof`, observed). A variable of
/// the type has List's methods; a failed cast is the JVM's message.
#[test]
fn abstract_list_is_every_list_a_script_holds() {
    assert_eq!(
        eval("[[] instanceof AbstractList, new LinkedList() instanceof AbstractList, Arrays.asList(1) instanceof AbstractList, Collections.emptyList() instanceof AbstractList, Collections.singletonList(1) instanceof AbstractList, new HashSet() instanceof AbstractList, 'x' instanceof AbstractList, [:] instanceof AbstractList, null instanceof AbstractList]").to_json(),
        "[true,true,true,true,true,false,false,false,false]"
    );
    let out = run("AbstractList l = new ArrayList(); l.add('a'); l.add(0, 'b'); ctx.r = [l.size(), l.get(0), l instanceof List]", "{}");
    assert_eq!(out["r"].to_json(), r#"[2,"b",true]"#);
    // A list or a string by its size, as the cisco_asa pipeline measures a
    // key-value pair's value (a repeated key gives a list).
    let size = "boolean empty(def v) { return (v instanceof AbstractList ? v.size() : v.length()) == 0 } ctx.r = [empty(ctx.s), empty(ctx.l), empty(''), empty([])]";
    assert_eq!(run(size, r#"{"s": "ab", "l": ["x"]}"#)["r"].to_json(), "[false,false,true,true]");
    for (value, class) in [("'x'", "java.lang.String"), ("new HashSet()", "java.util.HashSet")] {
        let e = run_err(&format!("def v = {value}; AbstractList l = (AbstractList) v"), "{}");
        let message = format!("class {class} cannot be cast to class java.util.AbstractList ({class} and java.util.AbstractList are in module java.base of loader 'bootstrap')");
        assert_eq!(cause(&e), ("class_cast_exception".into(), message), "{value}");
    }
}

/// `ctx` is an `IngestCtxMap`: a `Map` and an `AbstractMap`, not a
/// `HashMap`; its views are `AbstractMap`'s and CtxMap's own classes.
#[test]
fn ctx_is_an_ingest_ctx_map() {
    assert_eq!(
        eval("[ctx instanceof Map, ctx instanceof AbstractMap, ctx instanceof HashMap, ctx instanceof LinkedHashMap, ctx.keySet() instanceof Set]").to_json(),
        "[true,true,false,false,true]"
    );
    // A function whose body is folded for a HashMap argument is not used for it.
    let out = run("boolean f(def v) { return v instanceof HashMap } ctx.r = [f(ctx), f(new HashMap()), f(ctx.keySet())]", "{}");
    assert_eq!(out["r"].to_json(), "[false,true,false]");
    let e = run_err("HashMap m = (HashMap) ctx", "{}");
    assert_eq!(cause(&e), ("class_cast_exception".into(), "class org.elasticsearch.ingest.IngestCtxMap cannot be cast to class java.util.HashMap".into()));
    let e = run_err("def c = ctx; c.substring(1)", "{}");
    assert_eq!(cause(&e).1, "dynamic method [org.elasticsearch.ingest.IngestCtxMap, substring/1] not found");
    // The JVM's class names (`Class.getName`) in a failed cast of its views.
    for (view, message) in [
        ("keySet", "class java.util.AbstractMap$1 cannot be cast to class java.util.List (java.util.AbstractMap$1 and java.util.List are in module java.base of loader 'bootstrap')"),
        ("values", "class java.util.AbstractMap$2 cannot be cast to class java.util.List (java.util.AbstractMap$2 and java.util.List are in module java.base of loader 'bootstrap')"),
        ("entrySet", "class org.elasticsearch.script.CtxMap$EntrySet cannot be cast to class java.util.List"),
    ] {
        let e = run_err(&format!("def v = ctx.{view}(); List l = (List) v"), "{}");
        assert_eq!(cause(&e).1, message, "{view}");
    }
    // A copy of it is an ordinary HashMap.
    assert_eq!(eval("new HashMap(ctx) instanceof HashMap"), Value::Bool(true));
}

/// `CtxMap.equals` wants another `CtxMap` (a script has only its own);
/// `AbstractMap.equals` of another map compares the entries.
/// `CtxMap.hashCode` is `Objects.hash(source, metadata)`, the metadata's
/// being `Objects.hash(map)` (server/src/main/java/org/elasticsearch/script/Metadata.java).
#[test]
fn ctx_equals_and_hashes_as_a_ctx_map() {
    let out = run(
        "def copy = new HashMap(ctx); boolean same = ctx == ctx; boolean toCopy = ctx.equals(copy); boolean fromCopy = copy.equals(ctx); \
         def source = new HashMap(); def metadata = new HashMap(); \
         for (def e : ctx.entrySet()) { if (e.getKey().startsWith('_')) { metadata.put(e.getKey(), e.getValue()) } else { source.put(e.getKey(), e.getValue()) } } \
         int expected = 31 * (31 + source.hashCode()) + (31 + metadata.hashCode()); \
         def copies = [copy]; def selves = [ctx];          ctx.r = [same, toCopy, fromCopy, ctx == copy, copy == ctx, ctx.hashCode() == expected, ctx.hashCode() == copy.hashCode(),                   copies.contains(ctx), copies.indexOf(ctx), selves.contains(copy), selves.contains(ctx)]",
        CTX_DOC,
    );
    // `list.contains(x)` asks `x.equals(item)`.
    assert_eq!(out["r"].to_json(), "[true,false,true,false,true,true,false,false,-1,true,true]");
    // Compared as a key while it takes a put, or a key of a map that is
    // its own key: an answer, neither a panic nor a recursion without end.
    for src in ["def m = [:]; ctx.put(m, 1); ctx.put(ctx, 2)", "def m = [:]; m.put(ctx, 1); ctx.put(m, 2); m.put(ctx, 3)"] {
        assert!(run_with(src, CTX_DOC, "{}").is_ok(), "{src}");
    }
}

/// `CtxMap.clear()` removes each metadata key, checked, while iterating
/// the metadata `HashMap`'s own key set: after the first removal the
/// iteration fails fast, before the source is cleared; `_version` cannot
/// be removed at all.
#[test]
fn clearing_ctx_fails_as_in_elasticsearch() {
    let out = run("try { ctx.clear() } catch (ConcurrentModificationException e) { ctx.caught = e.toString() }", CTX_DOC);
    assert_eq!(json(&out), r#"{"o":1,"a":2,"_index":"i","_id":"x","_version":-3,"caught":"java.util.ConcurrentModificationException"}"#);
    let out = run("try { ctx.clear() } catch (Exception e) { ctx.caught = e.getMessage() }", r#"{"a":1,"_index":"i","_id":"x","_version":-3}"#);
    assert_eq!(json(&out), r#"{"a":1,"_id":"x","_version":-3,"caught":null}"#);
    let e = run_err("ctx.remove('_index'); ctx.remove('_id'); ctx.clear()", r#"{"a":1,"_index":"i","_id":"x","_version":-3}"#);
    assert_eq!(cause(&e), ("illegal_argument_exception".into(), "_version cannot be removed".into()));
    // Any other map clears.
    assert_eq!(eval("def m = ['_version': 1, 'a': 2]; m.clear(); m").to_json(), "{}");
}

// ---- LinkedList ----

/// `new LinkedList()` is a `java.util.LinkedList`: a List (equal to an
/// ArrayList of the same items, as AbstractList.equals has it), a Deque and
/// a Queue, not an ArrayList.
#[test]
fn linked_lists_are_their_own_class() {
    assert_eq!(
        eval("def l = new LinkedList([1, 2]); [l instanceof LinkedList, l instanceof List, l instanceof Collection, l instanceof Deque, l instanceof Queue, l instanceof ArrayList, new ArrayList() instanceof LinkedList, new ArrayList() instanceof Deque]").to_json(),
        "[true,true,true,true,true,false,false,false]"
    );
    assert_eq!(
        eval("def l = new LinkedList([1, 2]); [l == [1, 2], [1, 2] == l, l.equals([1, 2]), l.hashCode() == [1, 2].hashCode(), l.toString(), new ArrayList(l) instanceof ArrayList]").to_json(),
        r#"[true,true,true,true,"[1, 2]",true]"#
    );
    let out = run("boolean f(def v) { return v instanceof ArrayList } ctx.r = [f(new LinkedList()), f(new ArrayList())]", "{}");
    assert_eq!(out["r"].to_json(), "[false,true]");
    let e = run_err("def l = new LinkedList(); ArrayList a = (ArrayList) l", "{}");
    assert_eq!(
        cause(&e).1,
        "class java.util.LinkedList cannot be cast to class java.util.ArrayList (java.util.LinkedList and java.util.ArrayList are in module java.base of loader 'bootstrap')"
    );
    assert_eq!(cause(&run_err("def l = new LinkedList(); l.substring(1)", "{}")).1, "dynamic method [java.util.LinkedList, substring/1] not found");
    // Stored in the document it is a list.
    assert_eq!(json(&run("def l = new LinkedList(); l.add('a'); ctx.l = l", "{}")), r#"{"l":["a"]}"#);
}

/// The Deque and Queue methods java.util.txt gives a LinkedList, with
/// `java.util.LinkedList`'s semantics.
#[test]
fn linked_lists_are_deques() {
    assert_eq!(eval("def l = new LinkedList(); l.add(1); l.addFirst(0); l.addLast(2); l.push(-1); [l.offer(3), l.offerFirst(-2), l.offerLast(4), l]").to_json(), "[true,true,true,[-2,-1,0,1,2,3,4]]");
    assert_eq!(
        eval("def l = new LinkedList([1, 2, 3, 4, 5]); [l.peek(), l.peekFirst(), l.peekLast(), l.getFirst(), l.getLast(), l.element(), l.poll(), l.pollLast(), l.pop(), l.removeFirst(), l.remove(), l.size()]").to_json(),
        "[1,1,5,1,5,1,1,5,2,3,4,0]"
    );
    assert_eq!(eval("def l = new LinkedList([1, 2, 3]); [l.removeLast(), l.pollFirst(), l]").to_json(), "[3,1,[2]]");
    assert_eq!(eval("def l = new LinkedList(); [l.peek(), l.peekFirst(), l.peekLast(), l.poll(), l.pollFirst(), l.pollLast()]").to_json(), "[null,null,null,null,null,null]");
    assert_eq!(
        eval("def l = new LinkedList([1, 2, 1, 3, 1]); [l.removeLastOccurrence(1), l.removeFirstOccurrence(1), l.removeFirstOccurrence(9), l]").to_json(),
        "[true,true,false,[2,1,3]]"
    );
    // `remove/1` is List.remove(int), as on every List.
    assert_eq!(eval("def l = new LinkedList(['a', 'b']); [l.remove(1), l]").to_json(), r#"["b",["a"]]"#);
    for method in ["getFirst", "getLast", "element", "removeFirst", "removeLast", "remove", "pop"] {
        let e = run_err(&format!("new LinkedList().{method}()"), "{}");
        assert_eq!(cause(&e), ("no_such_element_exception".into(), String::new()), "{method}");
    }
    let out = run("try { new LinkedList().pop() } catch (NoSuchElementException e) { ctx.r = e.toString() }", "{}");
    assert_eq!(out["r"], Value::from("java.util.NoSuchElementException"));
    // Not an ArrayList's methods.
    assert_eq!(cause(&run_err("def l = new ArrayList(); l.addFirst(1)", "{}")).1, "dynamic method [java.util.ArrayList, addFirst/1] not found");
    assert_eq!(eval("def l = new LinkedList([1, 2]); def c = l.clone(); c.push(0); [l, c, c instanceof LinkedList]").to_json(), "[[1,2],[0,1,2],true]");
}

/// Map's `replace(k, old, new)`, `remove(k, v)` and `replaceAll(f)`
/// (java.util.txt), as JDK 17's HashMap and TreeMap answer them (the
/// expected values are what a small Java program printed).
#[test]
fn maps_replace_and_remove_conditionally() {
    let m = "def m = new HashMap(); m.a = 1; m.b = null; m.c = 3";
    assert_eq!(eval(&format!("{m}; [m.replace('a', 2, 5), m.replace('a', 1, 5), m.replace('b', null, 7), m.replace('z', null, 1), m.toString()]")).to_json(), r#"[false,true,true,false,"{a=5, b=7, c=3}"]"#);
    assert_eq!(eval(&format!("{m}; [m.remove('a', 2), m.remove('a', 1), m.remove('z', null), m.toString()]")).to_json(), r#"[false,true,false,"{b=null, c=3}"]"#);
    assert_eq!(eval(&format!("{m}; m.replaceAll((k, v) -> k + '=' + v); m.toString()")).to_json(), r#""{a=a=1, b=b=null, c=c=3}""#);
    let t = "def t = new TreeMap((x, y) -> x.compareToIgnoreCase(y)); t.a = 1; t.B = 2";
    assert_eq!(eval(&format!("{t}; [t.replace('A', 1, 9), t.remove('b', 2), t.remove('b', 2), t.toString()]")).to_json(), r#"[true,true,false,"{a=9}"]"#);
    assert_eq!(eval(&format!("{t}; t.replaceAll((k, v) -> v + '!'); t.toString()")).to_json(), r#""{a=1!, B=2!}""#);
}

/// gcp's pipelines (audit, firewall, vpcflow, ... `default.yml`) end with a
/// script that walks the document with `entrySet().iterator()` and drops
/// empty values and keys made only of dots with `Iterator.remove()`: the
/// removals reach the document's nested maps and `ctx` itself.
#[test]
fn iterator_remove_drops_entries_of_the_document() {
    let src = r"
        boolean drop(Object o) {
          if (o == null || o == '') {
            return true;
          } else if (o instanceof Map) {
            def m = ((Map) o);
            def it = m.entrySet().iterator();
            while (it.hasNext()) {
              def e = ((Map.Entry) it.next());
              def key = ((String) e.getKey());
              def value = e.getValue();
              Pattern onlyDotsRegex = /^\.+$/;
              if (onlyDotsRegex.matcher(key).matches() || drop(value)) {
                it.remove();
              }
            }
            return (m.size() == 0);
          } else if (o instanceof List) {
            def l = ((List) o);
            l.removeIf(v -> drop(v));
            return (l.length == 0);
          }
          return false;
        }
        drop(ctx);";
    let out = run(src, r#"{"a": "", "..": 1, "b": {"c": null, "...": {"x": 1}, "d": [{"e": ""}, 2]}, "f": {"g": ""}, "h": 3}"#);
    assert_eq!(Value::Map(out).to_json(), r#"{"b":{"d":[2]},"h":3}"#);
}

/// A set placed in the document prints as Elasticsearch's simulate response
/// prints it: `IngestDocument.deepCopy` copies it, in its own order, into
/// `Sets.newHashSetWithExpectedSize(size)`, so it comes out in the bucket
/// order of that table whatever set it was. Expected orders from a JDK 17
/// program doing that copy; inside the script the set keeps its own order.
#[test]
fn sets_in_the_document_print_in_deep_copy_order() {
    let tree = "def t = new TreeSet(); t.addAll(['user:zed@example.org', 'roles/owner', 'roles/viewer', 'group:ops@example.org', 'projects/p1'])";
    let out = run(&format!("{tree}; ctx.r = t; ctx.s = t.toString()"), "{}");
    assert_eq!(out["r"].to_json(), r#"["group:ops@example.org","roles/owner","user:zed@example.org","roles/viewer","projects/p1"]"#);
    assert_eq!(out["s"], Value::from("[group:ops@example.org, projects/p1, roles/owner, roles/viewer, user:zed@example.org]"));
    // Three elements: the set's table has 16 buckets, the copy's 8.
    let out = run("def h = new HashSet(); h.addAll(['alpha', 'bravo', 'delta']); ctx.r = h; ctx.s = h.toString()", "{}");
    assert_eq!(out["r"].to_json(), r#"["bravo","delta","alpha"]"#);
    assert_eq!(out["s"], Value::from("[bravo, alpha, delta]"));
    let out = run("def l = new LinkedHashSet(); l.add('zz'); l.add('aa'); l.add(42); l.add('mm'); ctx.a = [l]; ctx.b = ['k': l]", "{}");
    assert_eq!(out["a"].to_json(), r#"[["zz","aa","mm",42]]"#);
    assert_eq!(out["b"].to_json(), r#"{"k":["zz","aa","mm",42]}"#);
    // `Processors.json` writes the set itself, in its own order.
    let out = run("def t = new TreeSet(); t.addAll(['c', 'a', 'b']); ctx.r = Processors.json(['k': t])", "{}");
    assert_eq!(out["r"], Value::from(r#"{"k":["a","b","c"]}"#));
}

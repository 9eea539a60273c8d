//! Writing a script's `ctx` back onto the document it was copied from.
//!
//! An ingest script runs on a copy of the document's maps and lists (their
//! strings borrow the document's text), and afterwards the document must be
//! what [`Val::to_value`] makes of that copy. Rebuilding it whole costs a
//! hash, a key and an entry per field, although most scripts change a few
//! fields or none. Instead the copy is compared with the document, by value
//! and in the order `to_value` writes it: what is equal stays where it is,
//! and only what differs is written, built by `to_value` itself. The
//! document comes out the same as a rebuild, field order included.
//! A run that changed no map or list (`val::container_changes`) needs no
//! comparison: `Script::execute` then writes nothing back.

use super::val::{JMap, ListRef, MapKind, MapRef, Put, Val, MAX_DOCUMENT_DEPTH};
use crate::value::{Map as ValueMap, Value};

/// What has to change in a document value to make it the script's value.
#[derive(Debug)]
pub enum Patch {
    Same,
    New(Value),
    /// A map changed in place.
    Map(Box<MapPatch>),
    /// A list of unchanged length, changed element by element (by index).
    List(Vec<(usize, Patch)>),
}

/// Changes to a map, by the index of its entries in the original.
#[derive(Debug, Default)]
pub struct MapPatch {
    /// Entries whose values change.
    pub changed: Vec<(usize, Patch)>,
    /// Entries removed, ascending.
    pub removed: Vec<usize>,
    /// Entries put after the removals, in order, as `to_value` inserts them.
    pub added: Vec<(String, Value)>,
}

impl Patch {
    pub fn apply(self, target: &mut Value) {
        match self {
            Patch::Same => {}
            Patch::New(v) => *target = v,
            Patch::Map(p) => {
                if let Value::Map(m) = target {
                    p.apply(m);
                }
            }
            Patch::List(items) => {
                if let Value::List(l) = target {
                    for (i, p) in items {
                        p.apply(&mut l[i]);
                    }
                }
            }
        }
    }
}

impl MapPatch {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty() && self.added.is_empty()
    }

    /// Applies the patch to the map it was made against.
    pub fn apply(self, m: &mut ValueMap) {
        for (i, p) in self.changed {
            if let Some((_, v)) = m.get_index_mut(i) {
                p.apply(v);
            }
        }
        if !self.removed.is_empty() {
            let mut removed = self.removed.iter().peekable();
            let mut i = 0;
            m.retain(|_, _| {
                let gone = removed.next_if_eq(&&i).is_some();
                i += 1;
                !gone
            });
        }
        for (k, v) in self.added {
            m.insert(k, v);
        }
    }
}

/// A walk down a script's values beside the document's.
#[derive(Default)]
pub struct Walk {
    /// The containers being converted, as `to_value_in` tracks them.
    path: Vec<usize>,
    /// How deep the result nests, as far as walked: a document's depth
    /// is checked after every script, and the walk sees all of it.
    deepest: usize,
}

impl Walk {
    pub fn deepest(&self) -> usize {
        self.deepest
    }

    /// `v` as `to_value` writes it, at the current depth.
    fn convert(&mut self, v: &Val<'_>) -> Value {
        let value = v.to_value_in(&mut self.path);
        self.deepest = self.deepest.max(self.path.len() + nesting_depth(&value));
        value
    }
}

/// How many maps and lists deep `value` nests.
pub fn nesting_depth(value: &Value) -> usize {
    max_nesting_depth(std::iter::once(value))
}

/// The deepest nesting among `values`.
pub fn max_nesting_depth<'v>(values: impl Iterator<Item = &'v Value>) -> usize {
    let mut deepest = 0;
    for v in values {
        deepest = deepest.max(depth_within(v, RECURSION_BUDGET));
    }
    deepest
}

fn is_container(v: &&Value) -> bool {
    matches!(v, Value::Map(_) | Value::List(_))
}

/// How many levels a document's depth is measured by plain recursion,
/// which needs no allocation; below that a walk with a stack takes over,
/// so a document 1,000 deep recurses no deeper than this.
const RECURSION_BUDGET: u32 = 32;

/// How many maps and lists deep `v` nests (0 for a scalar or string).
/// A map or list holding no container, most of a document's, is answered
/// by a look at its values, without a call; the others by
/// [`container_depth`] with `budget`.
#[inline]
fn depth_within(v: &Value, budget: u32) -> usize {
    match v {
        Value::Map(m) if m.values().any(|c| is_container(&c)) => container_depth(v, budget),
        Value::List(l) if l.iter().any(|c| is_container(&c)) => container_depth(v, budget),
        Value::Map(_) | Value::List(_) => 1,
        _ => 0,
    }
}

/// How deep the map or list `v` nests (1 for one holding no container),
/// recursing at most `budget` levels.
fn container_depth(v: &Value, budget: u32) -> usize {
    if budget == 0 {
        return depth_with_stack(v);
    }
    let mut inner = 0;
    match v {
        Value::Map(m) => {
            for c in m.values() {
                inner = inner.max(depth_within(c, budget - 1));
            }
        }
        Value::List(l) => {
            for c in l {
                inner = inner.max(depth_within(c, budget - 1));
            }
        }
        _ => return 0,
    }
    1 + inner
}

/// How deep `v` nests, in one walk with one stack, without recursing.
fn depth_with_stack(v: &Value) -> usize {
    // Only containers are stacked.
    let mut stack: Vec<(&Value, usize)> = std::iter::once(v).filter(is_container).map(|v| (v, 1)).collect();
    let mut max = 0;
    while let Some((v, d)) = stack.pop() {
        max = max.max(d);
        match v {
            Value::Map(m) => stack.extend(m.values().filter(is_container).map(|c| (c, d + 1))),
            Value::List(l) => stack.extend(l.iter().filter(is_container).map(|c| (c, d + 1))),
            _ => {}
        }
    }
    max
}

/// Whether `v` is the scalar or string `orig` is, as `to_value` writes
/// it: most of what a walk meets, answered in place, without a patch.
#[inline]
fn same_scalar(v: &Val<'_>, orig: &Value) -> bool {
    match (v, orig) {
        (Val::Null, Value::Null) => true,
        (Val::Bool(a), Value::Bool(b)) => a == b,
        (Val::Int(a), Value::Int(b)) => a == b,
        (Val::Long(a), Value::Long(b)) => a == b,
        (Val::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
        (Val::Double(a), Value::Double(b)) => a.to_bits() == b.to_bits(),
        (Val::Str(a), Value::String(b)) => same_text(a, b),
        _ => false,
    }
}

/// The patch that turns `orig` into `v.to_value_in(path)`.
pub fn diff(v: &Val<'_>, orig: &Value, path: &mut Walk) -> Patch {
    if same_scalar(v, orig) {
        return Patch::Same;
    }
    let same = match (v, orig) {
        (Val::Map(_), Value::Map(o)) => {
            if let Some(p) = diff_map(v, Some(o), o.len(), |i| o.get_index(i).map(|(k, v)| (k.as_str(), v)).expect("index in range"), path) {
                return if p.is_empty() { Patch::Same } else { Patch::Map(Box::new(p)) };
            }
            false
        }
        (Val::List(ListRef::Own(l)), Value::List(o)) => {
            let items = enter(v, path, |path| {
                let items = l.try_borrow().ok()?;
                (items.len() == o.len()).then(|| {
                    items.iter().zip(o).enumerate().filter_map(|(i, (x, y))| match same_scalar(x, y) {
                        true => None,
                        false => match diff(x, y, path) {
                            Patch::Same => None,
                            p => Some((i, p)),
                        },
                    })
                    .collect::<Vec<_>>()
                })
            });
            if let Some(items) = items {
                return if items.is_empty() { Patch::Same } else { Patch::List(items) };
            }
            false
        }
        _ => false,
    };
    if same {
        Patch::Same
    } else {
        Patch::New(path.convert(v))
    }
}

/// The patch that turns the `len` entries `orig` gives (by index) into the
/// map `v.to_value_in(path)` writes; `None` when `v` is not such a map, or
/// `to_value_in` would write something else for it (a cycle marker).
/// `orig_map` is the document map `orig` reads, when there is one.
pub fn diff_map<'o>(
    v: &Val<'_>,
    orig_map: Option<&ValueMap>,
    len: usize,
    orig: impl Fn(usize) -> (&'o str, &'o Value),
    path: &mut Walk,
) -> Option<MapPatch> {
    let Val::Map(MapRef::Own(m)) = v else { return None };
    enter(v, path, |path| {
        let map = m.try_borrow().ok()?;
        // Other kinds are written in their iteration order, not entry order.
        if !matches!(map.kind, MapKind::Linked | MapKind::Document | MapKind::Ctx) {
            return None;
        }
        if let (Some((doc, puts)), Some(orig_map)) = (map.puts_into_copy(), orig_map) {
            if std::ptr::eq(doc, orig_map) {
                return Some(diff_puts(&map, doc, puts, path).unwrap_or_else(|| diff_entries(&map, len, orig, path)));
            }
        }
        let copied_from = match (map.unchanged_copy_of(), orig_map) {
            (Some(from), Some(to)) if std::ptr::eq(from, to) => Some(to),
            _ => None,
        };
        let Some(copied_from) = copied_from else { return Some(diff_entries(&map, len, orig, path)) };
        if map.untouched() {
            // Nothing under it can have changed. What it holds is only
            // measured, and only taken as it is when a rebuild would not
            // cut it at the depth limit (`path` holds it already).
            let inner = max_nesting_depth(copied_from.values());
            if path.path.len() - 1 + inner <= MAX_DOCUMENT_DEPTH {
                path.deepest = path.deepest.max(path.path.len() + inner);
                return Some(MapPatch::default());
            }
            // Compared whole, its values made for that.
            return Some(diff_entries(&map, len, orig, path));
        }
        Some(diff_containers(&map, orig, path))
    })
}

/// [`diff_entries`] for a map still holding the entries copied from
/// `orig`: its keys, scalars and strings are the original's, so only
/// the containers among its values (as far as they were made) can differ.
fn diff_containers<'o>(map: &JMap<'_>, orig: impl Fn(usize) -> (&'o str, &'o Value), path: &mut Walk) -> MapPatch {
    let mut patch = MapPatch::default();
    map.values_in_order(|i, v| {
        if matches!(v, Val::Map(_) | Val::List(_)) {
            match diff(v, orig(i).1, path) {
                Patch::Same => {}
                p => patch.changed.push((i, p)),
            }
        }
    });
    patch
}

/// [`diff_entries`] for a map still to copy from `doc` that the script
/// put entries into: the document's keys keep their place, the values put
/// under them are compared, the keys it lacked are added after them in the
/// order put, and of the rest only the containers made can differ (the
/// others are measured, as for an untouched map). `None` when a rebuild
/// would cut what is measured at the depth limit.
fn diff_puts(map: &JMap<'_>, doc: &ValueMap, puts: &[Put<'_>], path: &mut Walk) -> Option<MapPatch> {
    let put_at = |i: usize| puts.iter().any(|put| put.at == Some(i));
    let mut made = false;
    let mut patch = MapPatch::default();
    map.values_in_order(|i, v| {
        made = true;
        if matches!(v, Val::Map(_) | Val::List(_)) && !put_at(i) {
            match diff(v, &doc[i], path) {
                Patch::Same => {}
                p => patch.changed.push((i, p)),
            }
        }
    });
    if !made {
        let inner = max_nesting_depth(doc.values().enumerate().filter(|&(i, _)| !put_at(i)).map(|(_, v)| v));
        if path.path.len() - 1 + inner > MAX_DOCUMENT_DEPTH {
            return None;
        }
        path.deepest = path.deepest.max(path.path.len() + inner);
    }
    for put in puts {
        match put.at {
            Some(i) => match diff(&put.value, &doc[i], path) {
                Patch::Same => {}
                p => patch.changed.push((i, p)),
            },
            None => {
                let Val::Str(key) = &put.key.0 else { unreachable!("puts into a copy are under string keys") };
                patch.added.push((key.to_string(), path.convert(&put.value)));
            }
        }
    }
    patch.changed.sort_by_key(|&(i, _)| i);
    Some(patch)
}

/// `to_value` writes the entries in order, inserting each key's text. The
/// original's entries that the map still has in the same relative order
/// keep their place; from the first entry that is not such, everything is
/// added after the removals, which puts it where the rebuild would.
fn diff_entries<'o>(map: &JMap<'_>, len: usize, orig: impl Fn(usize) -> (&'o str, &'o Value), path: &mut Walk) -> MapPatch {
    let mut patch = MapPatch::default();
    let mut next = 0;
    let mut adding = false;
    for (k, v) in map.iter() {
        if !adding {
            if let Val::Str(s) = &k.0 {
                if let Some(at) = (next..len).find(|&i| same_text(orig(i).0, s)) {
                    patch.removed.extend(next..at);
                    match diff(v, orig(at).1, path) {
                        Patch::Same => {}
                        p => patch.changed.push((at, p)),
                    }
                    next = at + 1;
                    continue;
                }
            }
            adding = true;
        }
        let key = match &k.0 {
            Val::Str(s) => s.to_string(),
            other => other.to_java_string(),
        };
        patch.added.push((key, path.convert(v)));
    }
    patch.removed.extend(next..len);
    patch
}

/// Equal text. The document's own strings, still borrowed by the script's
/// copy, are found by address without reading them.
fn same_text(a: &str, b: &str) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// Runs `f` with container `v` on the path, as `to_value_in` converts its
/// contents; `None` where `to_value_in` would write a cycle marker instead.
fn enter<T>(v: &Val<'_>, walk: &mut Walk, f: impl FnOnce(&mut Walk) -> Option<T>) -> Option<T> {
    let id = v.container_id()?;
    if walk.path.contains(&id) || walk.path.len() > MAX_DOCUMENT_DEPTH {
        return None;
    }
    walk.path.push(id);
    let out = f(walk);
    walk.path.pop();
    // Counted when the contents are written from here (`Some`); otherwise
    // `convert` counts what is written instead.
    if out.is_some() {
        walk.deepest = walk.deepest.max(walk.path.len() + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{compile, interp, val, Script, ScriptContext};
    use crate::value::{Map, Value};

    /// The document as a rebuild makes it: the whole `ctx` copied into
    /// script objects, and the result converted back whole.
    fn rebuilt(script: &Script, ctx: &mut Map, params: &Map) -> Result<(), String> {
        let shared = val::Val::new_map(val::map_from_value(ctx));
        let mut it = interp::Interp::new(&script.program, false);
        let result = it.run(shared.clone(), val::Val::Map(val::MapRef::Doc(params))).map(drop);
        if let Value::Map(m) = shared.to_value() {
            *ctx = m;
        }
        result.map_err(|e| script.runtime_error(&e).to_string())?;
        let depth = super::super::map_nesting_depth(ctx);
        if depth > val::MAX_DOCUMENT_DEPTH {
            return Err(super::super::document_too_deep(depth).to_string());
        }
        Ok(())
    }

    fn doc(json: &str) -> Map {
        match Value::from_json_str(json).unwrap() {
            Value::Map(m) => m,
            _ => panic!("not an object"),
        }
    }

    /// `execute` (fields or whole ctx, patched back) and `interpret` give
    /// the document and the outcome a rebuild gives, field order included.
    fn check(source: &str, json: &str) {
        check_doc(source, &doc(json), json);
    }

    fn check_doc(source: &str, original: &Map, json: &str) {
        let script = compile(source, ScriptContext::Ingest).unwrap_or_else(|e| panic!("{source}: {e}"));
        let params = doc(r#"{"p": {"x": [1, {"y": "z"}]}, "s": "t"}"#);
        let mut expected = original.clone();
        let expected_result = rebuilt(&script, &mut expected, &params);
        let expected_json = Value::Map(expected.clone()).to_json();
        let mut executed = original.clone();
        let executed_result = script.execute(&mut executed, &params).map_err(|e| e.to_string());
        let mut interpreted = original.clone();
        let interpreted_result = script.interpret(&mut interpreted, &params).map_err(|e| e.to_string());
        for (how, result, got) in [("execute", executed_result, executed), ("interpret", interpreted_result, interpreted)] {
            // Past the depth limit, a run on some fields leaves the others
            // uncut, and counts them so (as it did before patching).
            if how == "execute" && json.starts_with("depth") {
                assert_eq!(result.is_err(), expected_result.is_err(), "{how}: {source} on {json}");
                continue;
            }
            assert_eq!(result, expected_result, "{how}: {source} on {json}");
            assert_eq!(Value::Map(got.clone()).to_json(), expected_json, "{how}: {source} on {json}");
            assert!(Value::Map(got) == Value::Map(expected.clone()), "{how}: {source} on {json}");
        }
    }

    const DOCS: &[&str] = &[
        r#"{}"#,
        r#"{"a": 1, "b": {"x": 1, "y": "", "z": [1, "", null, {}]}, "c": "s", "d": null, "e": [], "f": {"g": {}}}"#,
        r#"{"user": {"name": ["n"], "id": ["i", "j"], "email": "e"}, "n": 2, "l": 3000000000, "f": 1.5, "t": true, "m": {"1": "one", "k": "v"}}"#,
        r#"{"b": {"x": [[1, 2], ["", {"q": null}]], "y": {"z": {"w": ""}}}, "a": "", "s": "same", "s2": "same", "z": -0.0}"#,
    ];

    #[test]
    fn patched_document_is_the_rebuilt_document() {
        let scripts = [
            // Unchanged, read only.
            "def x = ctx.a",
            "for (def k : ctx.keySet()) { def v = ctx[k] }",
            // Values changed in place, types changed, strings from elsewhere.
            "ctx.a = 2; ctx.c = ctx.s2",
            "if (ctx.b != null) { ctx.b.x = 'changed' }",
            "ctx.n = (long) 2; ctx.t = 1",
            "ctx.s = ctx.s2; ctx.s2 = 'same'",
            "ctx.f = 1.5f",
            "ctx.z = 0.0",
            // Removed, added, removed and added back, reordered.
            "ctx.remove('a'); ctx.new = [1, 2]; ctx.b?.remove('y')",
            "def v = ctx.remove('a'); ctx.a = v",
            "def v = ctx.remove('b'); ctx.q = 1; ctx.b = v",
            "ctx.clear(); ctx.z = 1; ctx.a = 2",
            "ctx.keySet().removeIf(k -> k.startsWith('s'))",
            // Aliases: a map reached twice, a view, an entry.
            "def m = ctx.user; if (m != null) { m.x = 1; ctx.copy = m }",
            "def m = ctx.b; if (m != null) { ctx.b2 = m; m.added = true }",
            "ctx.a = ctx.b; ctx.b = ctx.f",
            "if (ctx.b instanceof Map) { ctx.b.values().removeIf(v -> v == '') }",
            "for (def e : ctx.entrySet()) { if (e.getValue() instanceof String) { e.setValue(e.getValue() + '!') } }",
            "if (ctx.user instanceof Map) { for (String key : ['name', 'email', 'id']) { def v = ctx.user[key]; if (v instanceof List && v.size() == 1) { ctx.user[key] = v[0] } } }",
            // Maps read only for their scalars and strings (made nothing), then changed or not.
            "if (ctx.b instanceof Map) { def y = ctx.b.y; def x = ctx.b.x; ctx.b2 = [y, x] }",
            "if (ctx.user instanceof Map) { for (def v : ctx.user.values()) { ctx.seen = v } }",
            "if (ctx.m instanceof Map) { ctx.m.values().removeIf(v -> v == 'one') }",
            "if (ctx.m instanceof Map) { def k = ctx.m.k; ctx.m.k = k + '!'; ctx.m.values().removeIf(v -> false) }",
            // Lists: same length changed, grown, shrunk, replaced.
            "if (ctx.b?.z instanceof List) { ctx.b.z[0] = 2; ctx.b.z[3].k = 'v' }",
            "if (ctx.b?.z instanceof List) { ctx.b.z.add(5) }",
            "if (ctx.b?.z instanceof List) { ctx.b.z.removeIf(x -> x == null) }",
            "if (ctx.e instanceof List) { ctx.e.add(ctx.e) }",
            // Other map kinds, keys that are not strings, colliding key text.
            "ctx.m = new TreeMap(); ctx.m.b = 1; ctx.m.a = 2",
            "if (ctx.b instanceof Map) { ctx.b = new HashMap(ctx.b) }",
            "if (ctx.m instanceof Map) { ctx.m.put(1, 'int one'); ctx.m.put(2L, 'two') }",
            "if (ctx.m instanceof Map) { def v = ctx.m.remove('1'); ctx.m.put(1, v) }",
            "ctx.put(1, 'x')",
            // Cycles.
            "ctx.self = ctx",
            "if (ctx.b instanceof Map) { ctx.b.self = ctx.b; ctx.b.up = ctx }",
            "if (ctx.b instanceof Map) { ctx.b.y = ctx.b }",
            "ctx.l2 = []; ctx.l2.add(ctx.l2)",
            // Errors after changes: the changes stay.
            "ctx.a = 5; ctx.remove('c'); ctx.added = 1; throw new IllegalArgumentException('x')",
            "if (ctx.b instanceof Map) { ctx.b.x = 9 } ctx.nothing.x = 1",
            "ctx.q = params.p; ctx.q.x.add(1); ctx.r = params.s",
            // Too deep.
            "def m = [:]; for (int i = 0; i < 1005; i++) { m = ['a': m] } ctx.deep = m",
            // The recursive drop of empty values.
            "boolean isEmpty(def v) { if (v == null || (v instanceof String && v == '')) { return true; } if (v instanceof Map) { v.values().removeIf(x -> isEmpty(x)); return v.isEmpty(); } if (v instanceof List) { v.removeIf(x -> isEmpty(x)); return v.isEmpty(); } return false; } isEmpty(ctx);",
        ];
        for source in scripts {
            for json in DOCS {
                std::thread::Builder::new()
                    .stack_size(8 << 20)
                    .spawn(move || check(source, json))
                    .unwrap()
                    .join()
                    .unwrap_or_else(|_| panic!("{source} on {json}"));
            }
        }
    }

    /// A document nested deeper than a document can be written: the
    /// same cut and the same error as a rebuild, whether the script
    /// changes the deep part or not.
    #[test]
    fn too_deep_documents_fail_as_rebuilt() {
        std::thread::Builder::new()
            .stack_size(16 << 20)
            .spawn(|| {
                for depth in [999, 1000, 1001, 1003] {
                    let mut deep = Value::Int(1);
                    for _ in 0..depth {
                        let mut m = Map::default();
                        m.insert("a".into(), deep);
                        deep = Value::Map(m);
                    }
                    let mut original = Map::default();
                    original.insert("x".into(), Value::Int(1));
                    original.insert("d".into(), deep);
                    for source in ["def x = ctx.x", "ctx.x = 2", "ctx.remove('d')", "ctx.y = ctx.d", "def m = ctx.d; for (int i = 0; i < 900; i++) { m = m.a } m.b = 1"] {
                        check_doc(source, &original, &format!("depth {depth}"));
                    }
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    /// A document's depth measured by recursion (a map or list holding no
    /// container answered without a call), then by a stack past the
    /// recursion budget, is the depth a stack alone measures, at every
    /// depth around the switch.
    #[test]
    fn nesting_depth_is_measured_alike_at_every_depth() {
        std::thread::Builder::new()
            .stack_size(16 << 20)
            .spawn(|| {
                for document in generated_documents(300) {
                    let v = Value::Map(document);
                    assert_eq!(super::nesting_depth(&v), super::depth_with_stack(&v));
                }
                // Containers holding none, beside and below ones that do.
                for json in [r#"{}"#, r#"[]"#, r#"{"a": {}, "b": [], "c": [1, "x"], "d": {"e": null}}"#, r#"[[{"a": 1}, [], {}], {"b": [[]]}, 2]"#] {
                    let v = Value::from_json_str(json).unwrap();
                    assert_eq!(super::nesting_depth(&v), super::depth_with_stack(&v), "{json}");
                }
                for depth in [0, 1, 2, 30, 31, 32, 33, 34, 64, 65, 1005] {
                    // Maps and lists in turn, a scalar beside each level.
                    let mut v = Value::Int(1);
                    for i in 0..depth {
                        v = match i % 2 {
                            0 => Value::List(vec![Value::Null, v, Value::Bool(true)]),
                            _ => Value::Map(Map::from_iter([("s".to_string(), Value::Int(1)), ("a".to_string(), v)])),
                        };
                    }
                    let shallow = Value::Map(Map::from_iter([("x".to_string(), Value::List(vec![]))]));
                    assert_eq!(super::nesting_depth(&v), depth, "{depth}");
                    assert_eq!(super::depth_with_stack(&v), depth, "{depth}");
                    assert_eq!(super::max_nesting_depth([&shallow, &v, &Value::Null].into_iter()), depth.max(2), "{depth}");
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    /// A map or list the script shares keeps sharing after the copy in:
    /// changing it through one name changes the document under the other.
    #[test]
    fn aliases_change_the_document() {
        let script = compile("def m = ctx.user; m.x = 1; def l = ctx.tags; l.add('b'); ctx.user.y = l.size()", ScriptContext::Ingest).unwrap();
        let mut ctx = doc(r#"{"user": {"name": "n"}, "tags": ["a"]}"#);
        script.execute(&mut ctx, &Map::default()).unwrap();
        assert_eq!(Value::Map(ctx).to_json(), r#"{"user":{"name":"n","x":1,"y":2},"tags":["a","b"]}"#);
    }

    /// Documents of nested maps and lists from a few keys and values.
    fn generated_documents(count: usize) -> Vec<Map> {
        // xorshift: the same documents on every run, without a dependency.
        let mut rng = crate::xorshift::XorShift(0x9E37_79B9_7F4A_7C15);
        let mut below = move |n: u64| rng.next() % n;
        fn value(below: &mut dyn FnMut(u64) -> u64, depth: u32) -> Value {
            // Maps most often near the top, where the scripts look.
            match below(if depth < 3 { 12 } else { 6 }) {
                0 => Value::Null,
                1 => Value::String(String::new()),
                2 => Value::String(["s", "x", "a"][below(3) as usize].into()),
                3 => Value::Int(below(3) as i32),
                4 => Value::Double(-0.0),
                5 => Value::Bool(true),
                6 => Value::List((0..below(4)).map(|_| value(below, depth + 1)).collect()),
                _ => Value::Map(map(below, depth + 1)),
            }
        }
        fn map(below: &mut dyn FnMut(u64) -> u64, depth: u32) -> Map {
            let mut m = Map::default();
            for _ in 0..below(6) {
                m.insert(["a", "b", "c", "x", "y"][below(5) as usize].into(), value(below, depth));
            }
            m
        }
        (0..count).map(|_| map(&mut below, 0)).collect()
    }

    /// Maps the script leaves alone are written back by their containers
    /// only; maps it moves, copies, swaps, empties and refills, changes
    /// through views and entries, or puts back unchanged are compared in
    /// full: all as a rebuild makes the document.
    #[test]
    fn untouched_maps_and_moved_maps_are_written_as_rebuilt() {
        let scripts = [
            "def n = 0; for (def v : ctx.values()) { n++ }",
            "def t = ctx.a; ctx.a = ctx.b; ctx.b = t",
            "if (ctx.a instanceof Map) { ctx.b = ctx.a }",
            "if (ctx.a instanceof Map) { ctx.a = new LinkedHashMap(ctx.a) }",
            "if (ctx.a instanceof Map) { ctx.a = new HashMap(ctx.a) }",
            "if (ctx.a instanceof Map) { ctx.a.x = ctx.a.x }",
            "if (ctx.a instanceof Map) { def v = ctx.a.remove('x'); ctx.a.x = v }",
            "if (ctx.a instanceof Map && ctx.b instanceof Map) { ctx.a.b = ctx.b; ctx.remove('b') }",
            "if (ctx.a instanceof Map && ctx.b instanceof Map) { def t = ctx.a.x; ctx.a.x = ctx.b.x; ctx.b.x = t }",
            "if (ctx.a instanceof Map && ctx.a.c instanceof Map) { def c = ctx.a.c; ctx.a.remove('c'); ctx.a.c = c }",
            "if (ctx.a instanceof Map && ctx.a.b instanceof Map) { ctx.c = ctx.a.b; ctx.a.b = ctx.c; ctx.c.z = 1 }",
            "def m = ctx.a; if (m instanceof Map) { m.clear(); m.putAll(ctx.b instanceof Map ? ctx.b : [:]) }",
            "for (def e : ctx.entrySet()) { if (e.getValue() instanceof Map) { e.setValue(e.getValue()) } }",
            "if (ctx.a instanceof Map) { ctx.a.keySet().removeIf(k -> k == 'x') }",
            "if (ctx.a instanceof Map) { ctx.a.values().removeIf(v -> v == null) }",
            "if (ctx.a instanceof List) { ctx.a.add(ctx.b) } if (ctx.b instanceof List && ctx.b.size() > 0) { ctx.b[0] = ctx.c }",
            "if (ctx.a instanceof Map) { ctx.a.self = ctx.a }",
            // Maps copied from the document when first used: still shared
            // by copies of their parent, still one object however reached.
            "if (ctx.a instanceof Map) { def c = new HashMap(ctx.a); if (c.x instanceof Map) { c.x.q = 1 } ctx.c = c }",
            "if (ctx.a instanceof Map) { def c = new LinkedHashMap(ctx.a); for (def v : c.values()) { if (v instanceof Map) { v.q = 1 } } }",
            "def m = ctx.a; def n = ctx.a; if (m instanceof Map) { ctx.same = m === n; n.q = 1 }",
            "if (ctx.a instanceof Map && ctx.a.x instanceof Map) { def x = ctx.a.x; ctx.a.remove('x'); x.q = 1; ctx.b = x }",
            "if (ctx.a instanceof List && ctx.a.size() > 0 && ctx.a[0] instanceof Map) { ctx.a[0].q = ctx.a[0].size() }",
            "if (ctx.a instanceof Map) { ctx.h = ctx.a.hashCode(); ctx.s = ctx.a.toString(); ctx.e = ctx.a == ctx.b }",
            "if (ctx.b instanceof Map) { ctx.k = new ArrayList(ctx.b.keySet()); ctx.v = ctx.b.values().size() }",
            "if (ctx.a instanceof Map && ctx.a.x instanceof Map) { ctx.a.x.up = ctx }",
            "boolean isEmpty(def v) { if (v == null || (v instanceof String && v == '')) { return true; } if (v instanceof Map) { v.values().removeIf(x -> isEmpty(x)); return v.isEmpty(); } if (v instanceof List) { v.removeIf(x -> isEmpty(x)); return v.isEmpty(); } return false; } isEmpty(ctx);",
        ];
        check_each(scripts.iter().map(|s| s.to_string()).collect(), generated_documents(100));
    }

    /// Scripts that may change nothing: when no map or list was handed
    /// out for change (`val::container_changes`), `execute` and
    /// `interpret` write nothing back without a walk. Drawn from reads,
    /// iterations, removals that pick nothing, copies changed off the
    /// document, changes undone, and errors, over generated documents:
    /// the same document and outcome as a rebuild.
    #[test]
    fn scripts_that_change_nothing_write_back_as_rebuilt() {
        let statements = [
            "def r{n} = ctx.{a};",
            "if (ctx.{a} instanceof Map) { for (def e : ctx.{a}.entrySet()) { def k{n} = e.getKey(); def v{n} = e.getValue(); } }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.values().removeIf(v -> v instanceof Long); }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.keySet().removeIf(k -> k == 'none'); }",
            "if (ctx.{a} instanceof List) { ctx.{a}.removeIf(v -> v instanceof Long); }",
            "if (ctx.{a} instanceof List) { def s{n} = ctx.{a}.size() + (ctx.{a}.contains(ctx.{b}) ? 1 : 0); }",
            "if (ctx.{a} instanceof List) { def c{n} = new ArrayList(ctx.{a}); c{n}.add(1); }",
            "if (ctx.{a} instanceof Map) { def c{n} = new HashMap(ctx.{a}); c{n}.{b} = 1; }",
            "if (ctx.{a} instanceof List) { ctx.{a}.add(1); ctx.{a}.remove(ctx.{a}.size() - 1); }",
            "if (ctx.{a} instanceof Map && ctx.{a}.{b} != null) { def t{n} = ctx.{a}.remove('{b}'); ctx.{a}.{b} = t{n}; }",
            "if (ctx.{a} instanceof Map) { def v{n} = ctx.{a}.{b}; if (v{n} instanceof Map) { def w{n} = v{n}.{c}; } }",
            "if (ctx.{a} == '') { throw new IllegalArgumentException('empty'); }",
            "def s{n} = String.valueOf(ctx.{a});",
        ];
        let scripts = random_scripts(&statements, 200, 3, 0x7F4A_7C15_2545_F491);
        check_each(scripts, generated_documents(40));
    }

    /// What counts as a change: handing a document map or list out for
    /// change, even to put back what was there; reading, iterating and a
    /// `removeIf` that picks nothing do not.
    #[test]
    fn container_changes_count_what_is_handed_out_for_change() {
        let original = doc(DOCS[1]);
        let params = Map::default();
        let changes = |source: &str| {
            let script = compile(source, ScriptContext::Ingest).unwrap();
            let shared = val::Val::new_map(val::map_from_doc(&original));
            let mut it = interp::Interp::new(&script.program, false);
            let before = val::container_changes();
            it.run(shared, val::Val::Map(val::MapRef::Doc(&params))).unwrap();
            val::container_changes() - before
        };
        for unchanged in [
            "def n = 0; for (def v : ctx.values()) { n++ }",
            "ctx.b.values().removeIf(v -> v == 'none')",
            "ctx.b.z.removeIf(v -> v == 'none')",
            "def l = ctx.b.z; def n = l.size() + l.indexOf(1); def m = ctx.b; n += m.size()",
        ] {
            assert_eq!(changes(unchanged), 0, "{unchanged}");
        }
        for changed in ["ctx.a = 1", "ctx.b.z.add(1); ctx.b.z.remove(4)", "ctx.b.values().removeIf(v -> v == '')", "ctx.b.z.removeIf(v -> v == null)"] {
            assert!(changes(changed) > 0, "{changed}");
        }
    }

    /// `count` scripts of 1 to `most` statements picked from `statements`,
    /// whose `{n}` is the statement's position and `{a}`, `{b}`, `{c}` keys
    /// of the generated documents; the same ones for the same `seed`.
    fn random_scripts(statements: &[&str], count: usize, most: usize, seed: u64) -> Vec<String> {
        let mut rng = crate::xorshift::XorShift(seed);
        let mut below = move |n: usize| (rng.next() % n as u64) as usize;
        let keys = ["a", "b", "c", "x", "y"];
        (0..count)
            .map(|_| {
                (0..1 + below(most))
                    .map(|n| {
                        statements[below(statements.len())]
                            .replace("{n}", &n.to_string())
                            .replace("{a}", keys[below(keys.len())])
                            .replace("{b}", keys[below(keys.len())])
                            .replace("{c}", keys[below(keys.len())])
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// [`check_doc`] for every script on every document, on a thread with
    /// room for the deep documents' recursion.
    fn check_each(scripts: Vec<String>, documents: Vec<Map>) {
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || {
                for source in &scripts {
                    for document in &documents {
                        let json = Value::Map(document.clone()).to_json();
                        check_doc(source, document, &json);
                    }
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    /// Scripts of a few statements drawn from moves, aliases, copies,
    /// removals, additions and changes through views, over generated
    /// documents: the same document and outcome as a rebuild.
    #[test]
    fn generated_scripts_write_back_as_rebuilt() {
        let statements = [
            "def t{n} = ctx.{a}; ctx.{b} = t{n};",
            "ctx.remove('{a}');",
            "ctx.{a} = ['{b}': ctx.{c}];",
            "ctx.{a} = ctx.{b} == ctx.{c};",
            "if (ctx.{a} instanceof Map) { ctx.{a}.{b} = ctx.{c}; }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.remove('{b}'); }",
            "if (ctx.{a} instanceof Map && ctx.{a}.{b} instanceof Map) { ctx.{a}.{b}.{c} = ctx.{c}; }",
            "if (ctx.{a} instanceof Map && ctx.{a}.{b} instanceof Map) { ctx.{c} = ctx.{a}.{b}; }",
            "if (ctx.{a} instanceof List) { ctx.{a}.add(ctx.{b}); }",
            "if (ctx.{a} instanceof Map) { def c{n} = new HashMap(ctx.{a}); ctx.{b} = c{n}; }",
            "if (ctx.{a} instanceof Map) { for (def v : ctx.{a}.values()) { if (v instanceof Map) { v.{b} = 1; } } }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.values().removeIf(v -> v instanceof Map); }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.keySet().removeIf(k -> k == '{b}'); }",
            "def m{n} = ctx.{a}; if (m{n} instanceof Map) { m{n}.{b} = m{n}.{c}; }",
            "if (ctx.{a} instanceof Map && ctx.{b} instanceof Map) { ctx.{a}.putAll(ctx.{b}); }",
            "if (ctx.{a} instanceof Map) { ctx.{b} = ctx.{a}.toString(); }",
            "for (def e : ctx.entrySet()) { if (e.getKey() == '{a}') { e.setValue(ctx.{b}); } }",
        ];
        let scripts = random_scripts(&statements, 300, 4, 0x2545_F491_4F6C_DD1D);
        check_each(scripts, generated_documents(30));
    }

    /// Puts into document maps not yet copied (noted beside the document
    /// map, see `JMap::put`), then every kind of use of those maps:
    /// reads, size, iteration, text, views, removals, more puts, copies,
    /// aliases and changes inside what was put or replaced, over generated
    /// documents: the same document and outcome as a rebuild.
    #[test]
    fn puts_into_uncopied_maps_write_back_as_rebuilt() {
        let statements = [
            "ctx.{a} = ctx.{b};",
            "ctx['{a}'] = '{b}';",
            "ctx.{a}{n} = {n};",
            "if (ctx.{a} instanceof Map) { ctx.{a}.{b} = {n}; }",
            "if (ctx.{a} instanceof Map) { ctx.{a}['{b}'] = ctx.{c}; }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.new{n} = ['{b}': ctx.{c}]; }",
            "if (ctx.{a} instanceof Map) { ctx.{a}[{n}] = 'int key'; }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.{b} = ctx.{a}; }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.{b} = null; ctx.{a}.{c} = ''; }",
            "if (ctx.{a} instanceof Map && ctx.{a}.{b} instanceof Map) { ctx.{a}.{b}.{c} = ctx.{a}.size(); }",
            "if (ctx.{a} instanceof Map && ctx.{a}.{b} instanceof Map) { def o{n} = ctx.{a}.{b}; ctx.{a}.{b} = 1; o{n}.q = 2; ctx.{c} = o{n}; }",
            "if (ctx.{a} instanceof Map && ctx.{a}.{b} instanceof List && ctx.{a}.{b}.size() == 1) { ctx.{a}.{b} = ctx.{a}.{b}[0]; }",
            "if (ctx.{a} instanceof Map) { ctx.s{n} = ctx.{a}.toString() + ctx.{a}.size() + ctx.{a}.keySet() + ctx.{a}.containsKey('{b}'); }",
            "if (ctx.{a} instanceof Map) { ctx.k{n} = new ArrayList(ctx.{a}.keySet()); }",
            "if (ctx.{a} instanceof Map) { for (def e : ctx.{a}.entrySet()) { if (e.getValue() instanceof Map) { e.getValue().q = 1; } } }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.values().removeIf(v -> v == null || v instanceof Map); }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.keySet().removeIf(k -> k == '{b}'); }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.remove('{b}'); }",
            "if (ctx.{a} instanceof Map) { ctx.{a}.put('{b}', {n}); }",
            "if (ctx.{a} instanceof Map) { ctx.{c} = new HashMap(ctx.{a}); }",
            "if (ctx.{a} instanceof Map) { ctx.h{n} = ctx.{a}.hashCode(); ctx.e{n} = ctx.{a} == ctx.{b}; }",
            "ctx.remove('{a}');",
        ];
        let scripts = random_scripts(&statements, 300, 4, 0x9E37_79B9_7F4A_7C15);
        check_each(scripts, generated_documents(30));
    }

    /// A script that changes nothing leaves every value where it was.
    #[test]
    fn unchanged_document_is_not_rebuilt() {
        let script = compile("def n = 0; for (def v : ctx.values()) { n++ }", ScriptContext::Ingest).unwrap();
        let original = doc(DOCS[1]);
        let mut ctx = original.clone();
        let before: Vec<*const Value> = ctx.values().map(|v| v as *const Value).collect();
        script.execute(&mut ctx, &Map::default()).unwrap();
        let after: Vec<*const Value> = ctx.values().map(|v| v as *const Value).collect();
        assert_eq!(before, after);
        assert!(Value::Map(ctx) == Value::Map(original));
    }
}

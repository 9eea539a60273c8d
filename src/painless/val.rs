//! Runtime values: Java objects with reference semantics.
//!
//! Lists, maps, sets and arrays are shared (`Rc<RefCell<..>>`) so that an
//! alias (`def m = ctx.user; m.name = 'x'`) and a view
//! (`map.values().removeIf(..)`) change the one object, as in Java.
//! Conditions read the document in place: the `Doc` variants borrow the
//! caller's `Value`s and refuse mutation, which is also what Elasticsearch
//! does to `ctx` inside an `if`.

use super::ast::Lambda;
use super::lib::Obj;
use crate::value::{Map as ValueMap, Value};
use indexmap::{Equivalent, IndexMap};
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

#[derive(Clone, Debug)]
pub enum Str<'a> {
    Own(Rc<str>),
    Doc(&'a str),
}

impl std::ops::Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Str::Own(s) => s,
            Str::Doc(s) => s,
        }
    }
}

pub type Shared<T> = Rc<RefCell<T>>;

/// The hasher of script maps: their keys are short strings and small
/// numbers, hashed once per lookup and per entry copied in from a document,
/// where SipHash's flood resistance buys nothing.
pub type FastHash = std::hash::BuildHasherDefault<FxHasher>;

/// The Firefox/rustc hash: a multiply and rotate per word.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            self.add(u64::from_le_bytes(*word));
            rest = tail;
        }
        // The tail by fixed-size reads: copying it into a word would call
        // `memcpy` for a variable length on every short key.
        if let Some((word, tail)) = rest.split_first_chunk::<4>() {
            self.add(u32::from_le_bytes(*word) as u64);
            rest = tail;
        }
        if let Some((word, tail)) = rest.split_first_chunk::<2>() {
            self.add(u16::from_le_bytes(*word) as u64);
            rest = tail;
        }
        if let Some(&byte) = rest.first() {
            self.add(byte as u64);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}
/// How a map iterates, which decides where its keys land in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// `LinkedHashMap`: insertion order.
    Linked,
    /// `HashMap` (map literals, `new HashMap()`, collectors): Java's bucket order.
    Hash,
    /// A map of the document or of `params`: a `HashMap` in Elasticsearch, so
    /// scripts iterate it in bucket order, but it goes back into the document
    /// with its keys where they were (key order means nothing to a verdict).
    Document,
    /// `TreeMap`: natural key order.
    Tree,
}

/// A script map: entries in insertion order plus the Java class's iteration rule.
#[derive(Debug, Clone)]
pub struct JMap<'a> {
    pub entries: IndexMap<Key<'a>, Val<'a>, FastHash>,
    pub kind: MapKind,
}

impl<'a> JMap<'a> {
    pub fn new(kind: MapKind) -> JMap<'a> {
        JMap { entries: IndexMap::default(), kind }
    }

    /// Entries in the order Java would iterate them.
    pub fn ordered(&self) -> Vec<(Val<'a>, Val<'a>)> {
        let entry = |(k, v): (&Key<'a>, &Val<'a>)| (k.0.clone(), v.clone());
        match self.kind {
            MapKind::Hash | MapKind::Document if self.entries.len() > 1 => {
                let capacity = java_table_capacity(self.entries.len());
                // Each key's bucket once, not once per comparison; the
                // index breaks ties, keeping a bucket's keys in insertion order.
                if capacity <= SMALL_TABLE {
                    // Nearly every map is this small: bucket and index packed
                    // in one integer, sorted on the stack.
                    let mut order = [0u16; SMALL_TABLE];
                    for (i, k) in self.entries.keys().enumerate() {
                        order[i] = ((java_bucket(&k.0, capacity) as u16) << 8) | i as u16;
                    }
                    let order = &mut order[..self.entries.len()];
                    order.sort_unstable();
                    return order.iter().filter_map(|packed| self.entries.get_index((packed & 0xff) as usize).map(entry)).collect();
                }
                let mut order: Vec<(usize, usize)> =
                    self.entries.keys().enumerate().map(|(i, k)| (java_bucket(&k.0, capacity), i)).collect();
                order.sort_unstable();
                order.into_iter().filter_map(|(_, i)| self.entries.get_index(i).map(entry)).collect()
            }
            MapKind::Tree => {
                let mut out: Vec<(Val<'a>, Val<'a>)> = self.entries.iter().map(entry).collect();
                out.sort_by(|(a, _), (b, _)| super::lib::collections::natural_cmp(a, b).unwrap_or(std::cmp::Ordering::Equal));
                out
            }
            _ => self.entries.iter().map(entry).collect(),
        }
    }
}

/// The largest table [`JMap::ordered`] orders on the stack: up to 24 keys,
/// each bucket and index below 256.
const SMALL_TABLE: usize = 32;

/// Length of a Java `HashMap`'s table holding `len` keys: 16, doubling at
/// a 0.75 load factor.
fn java_table_capacity(len: usize) -> usize {
    let mut capacity = 16usize;
    while len * 4 > capacity * 3 {
        capacity *= 2;
    }
    capacity
}

/// The bucket a Java `HashMap` or `HashSet` puts `k` in.
fn java_bucket(k: &Val<'_>, capacity: usize) -> usize {
    let h = match k {
        // ASCII text is its own UTF-16: `String.hashCode` without decoding.
        Val::Str(s) if s.is_ascii() => s.bytes().fold(0i32, |h, b| h.wrapping_mul(31).wrapping_add(b as i32)),
        other => super::lib::misc::hash_code(other),
    } as u32;
    ((h ^ (h >> 16)) as usize) & (capacity - 1)
}

impl<'a> std::ops::Deref for JMap<'a> {
    type Target = IndexMap<Key<'a>, Val<'a>, FastHash>;
    fn deref(&self) -> &Self::Target {
        &self.entries
    }
}

impl std::ops::DerefMut for JMap<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.entries
    }
}

/// A script-owned list back to the document model, read in place. Kept out
/// of `to_value_inner` so its stack frame, paid once per nesting level, stays small.
#[inline(never)]
fn own_list_to_value(items: &[Val<'_>], path: &mut Vec<usize>) -> Value {
    Value::List(items.iter().map(|v| v.to_value_in(path)).collect())
}

/// A script map iterated in insertion order back to the document model,
/// read in place, keys straight from their text.
#[inline(never)]
fn own_map_to_value(m: &JMap<'_>, path: &mut Vec<usize>) -> Value {
    let mut out = ValueMap::with_capacity_and_hasher(m.entries.len(), Default::default());
    for (k, v) in &m.entries {
        let key = match &k.0 {
            Val::Str(s) => s.to_string(),
            other => other.to_java_string(),
        };
        out.insert(key, v.to_value_in(path));
    }
    Value::Map(out)
}

/// Jackson's default maximum nesting depth for writing a document
/// (`StreamWriteConstraints`): Elasticsearch cannot write a deeper one.
pub const MAX_DOCUMENT_DEPTH: usize = 1000;

#[derive(Clone, Debug)]
pub enum ListRef<'a> {
    Own(Shared<Vec<Val<'a>>>),
    Doc(&'a Vec<Value>),
}

#[derive(Clone, Debug)]
pub enum MapRef<'a> {
    Own(Shared<JMap<'a>>),
    Doc(&'a ValueMap),
}

/// A Java array: fixed length, with its element type for `instanceof` and defaults.
#[derive(Debug)]
pub struct JArray<'a> {
    pub elem: super::ast::Type,
    pub items: Vec<Val<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    Keys,
    Values,
    Entries,
}

#[derive(Clone, Debug)]
pub enum Val<'a> {
    Null,
    Bool(bool),
    Byte(i8),
    Short(i16),
    Char(u16),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Str(Str<'a>),
    List(ListRef<'a>),
    Map(MapRef<'a>),
    Set(Shared<IndexMap<Key<'a>, ()>>),
    Array(Shared<JArray<'a>>),
    /// `keySet()`, `values()`, `entrySet()`: live views of a map.
    View(MapRef<'a>, ViewKind),
    /// A `Map.Entry`; `setValue` writes through to the map.
    Entry(Rc<(Val<'a>, RefCell<Val<'a>>, Option<MapRef<'a>>)>),
    Func(Rc<Closure<'a>>),
    Obj(Rc<Obj<'a>>),
}

#[derive(Debug)]
pub enum Closure<'a> {
    Lambda { lambda: &'a Lambda, captured: Vec<Val<'a>> },
    /// A script function by index.
    Local(usize),
    /// `Class::method`: static, or an instance method with the receiver first.
    Method { class: &'a str, method: &'a str },
    Constructor(&'a str),
    Bound { receiver: Val<'a>, method: &'a str },
}

impl<'a> Val<'a> {
    /// Drops the value; for the variants that own nothing (primitives and
    /// borrowed document parts, most of what conditions handle) without
    /// calling the drop glue, which the compiler does not inline.
    #[inline(always)]
    pub fn discard(self) {
        match self {
            Val::Null
            | Val::Bool(_)
            | Val::Byte(_)
            | Val::Short(_)
            | Val::Char(_)
            | Val::Int(_)
            | Val::Long(_)
            | Val::Float(_)
            | Val::Double(_)
            | Val::Str(Str::Doc(_))
            | Val::Map(MapRef::Doc(_))
            | Val::List(ListRef::Doc(_)) => std::mem::forget(self),
            other => drop(other),
        }
    }

    pub fn str(s: &str) -> Val<'a> {
        Val::Str(Str::Own(Rc::from(s)))
    }
    pub fn string(s: String) -> Val<'a> {
        Val::Str(Str::Own(Rc::from(s)))
    }
    pub fn new_list(items: Vec<Val<'a>>) -> Val<'a> {
        Val::List(ListRef::Own(Rc::new(RefCell::new(items))))
    }
    pub fn new_map(map: JMap<'a>) -> Val<'a> {
        Val::Map(MapRef::Own(Rc::new(RefCell::new(map))))
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn is_numeric(&self) -> bool {
        matches!(self, Val::Byte(_) | Val::Short(_) | Val::Char(_) | Val::Int(_) | Val::Long(_) | Val::Float(_) | Val::Double(_))
    }

    /// Borrow a document value without copying containers.
    pub fn from_doc(v: &'a Value) -> Val<'a> {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(i) => Val::Int(*i),
            Value::Long(l) => Val::Long(*l),
            Value::Float(f) => Val::Float(*f),
            Value::Double(d) => Val::Double(*d),
            Value::String(s) => Val::Str(Str::Doc(s)),
            Value::List(l) => Val::List(ListRef::Doc(l)),
            Value::Map(m) => Val::Map(MapRef::Doc(m)),
        }
    }

    /// Deep-copy a document value into shared, mutable objects.
    pub fn from_value(v: &Value) -> Val<'a> {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(i) => Val::Int(*i),
            Value::Long(l) => Val::Long(*l),
            Value::Float(f) => Val::Float(*f),
            Value::Double(d) => Val::Double(*d),
            Value::String(s) => Val::str(s),
            Value::List(l) => Val::new_list(l.iter().map(Val::from_value).collect()),
            Value::Map(m) => Val::new_map(map_from_value(m)),
        }
    }

    /// Copy a document value into shared, mutable objects whose strings
    /// borrow the document's text: only the containers are new.
    pub fn from_doc_copy(v: &'a Value) -> Val<'a> {
        match v {
            Value::String(s) => Val::Str(Str::Doc(s)),
            Value::List(l) => Val::new_list(l.iter().map(Val::from_doc_copy).collect()),
            Value::Map(m) => Val::new_map(map_from_doc(m)),
            scalar => Val::from_doc(scalar),
        }
    }

    /// A value about to be stored in a script-owned container: borrowed
    /// (read-only) lists and maps from `params` become owned copies, so the
    /// script can go on to change them as it could in Java.
    pub fn owned(self) -> Val<'a> {
        match &self {
            Val::List(ListRef::Doc(_)) | Val::Map(MapRef::Doc(_)) => Val::from_value(&self.to_value()),
            _ => self,
        }
    }

    /// Back to the document model. Objects without a JSON form become their
    /// Java `toString`, as XContent writes them.
    /// Containers deeper than [`MAX_DOCUMENT_DEPTH`] end as a marker.
    pub fn to_value(&self) -> Value {
        self.to_value_in(&mut Vec::new())
    }

    /// Identity of a shared container, to stop at cycles.
    pub(super) fn container_id(&self) -> Option<usize> {
        Some(match self {
            Val::List(ListRef::Own(l)) => Rc::as_ptr(l) as *const () as usize,
            Val::Map(MapRef::Own(m)) | Val::View(MapRef::Own(m), _) => Rc::as_ptr(m) as *const () as usize,
            Val::Set(s) => Rc::as_ptr(s) as *const () as usize,
            Val::Array(a) => Rc::as_ptr(a) as *const () as usize,
            _ => return None,
        })
    }

    /// `path` holds the containers being converted, so a collection that
    /// contains itself ends as Java's `(this Collection)` instead of looping.
    pub(super) fn to_value_in(&self, path: &mut Vec<usize>) -> Value {
        let id = self.container_id();
        if let Some(id) = id {
            // Past the depth a document can be written at, stop: the caller
            // refuses such a document (`Script::execute`).
            if path.contains(&id) || path.len() > MAX_DOCUMENT_DEPTH {
                return Value::String("(this Collection)".into());
            }
            path.push(id);
        }
        let v = self.to_value_inner(path);
        if id.is_some() {
            path.pop();
        }
        v
    }

    fn to_value_inner(&self, path: &mut Vec<usize>) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Byte(b) => Value::Int(*b as i32),
            Val::Short(s) => Value::Int(*s as i32),
            Val::Char(c) => Value::String(char_to_string(*c)),
            Val::Int(i) => Value::Int(*i),
            Val::Long(l) => Value::Long(*l),
            Val::Float(f) => Value::Float(*f),
            Val::Double(d) => Value::Double(*d),
            Val::Str(s) => Value::String(s.to_string()),
            // Containers are read in place (a cycle never reaches here:
            // `to_value_in` stops at it before borrowing again).
            Val::List(ListRef::Own(l)) if l.try_borrow().is_ok() => own_list_to_value(&l.borrow(), path),
            Val::List(l) => Value::List(list_items(l).iter().map(|v| v.to_value_in(path)).collect()),
            Val::Array(a) => Value::List(a.borrow().items.iter().map(|v| v.to_value_in(path)).collect()),
            Val::Set(_) => Value::List(iter_items(self).unwrap_or_default().iter().map(|k| k.to_value_in(path)).collect()),
            // Insertion order: written as they are, keys straight from their text.
            Val::Map(MapRef::Own(m)) if m.try_borrow().is_ok_and(|j| matches!(j.kind, MapKind::Linked | MapKind::Document)) => {
                own_map_to_value(&m.borrow(), path)
            }
            Val::Map(m) => {
                let entries = match m {
                    MapRef::Own(own) if own.try_borrow().is_ok_and(|j| j.kind == MapKind::Document) => {
                        own.borrow().entries.iter().map(|(k, v)| (k.0.clone(), v.clone())).collect()
                    }
                    _ => map_entries(m),
                };
                let mut out = ValueMap::default();
                for (k, v) in entries {
                    out.insert(k.to_java_string(), v.to_value_in(path));
                }
                Value::Map(out)
            }
            Val::View(m, kind) => Value::List(view_items(m, *kind).iter().map(|v| v.to_value_in(path)).collect()),
            Val::Obj(o) => match &**o {
                Obj::Time(t) => Value::String(t.to_xcontent_string()),
                _ => Value::String(o.to_java_string()),
            },
            other => Value::String(other.to_java_string()),
        }
    }

    pub fn to_java_string(&self) -> String {
        let mut out = String::new();
        self.write_java_string(&mut out, &mut Vec::new());
        out
    }

    fn write_java_string(&self, out: &mut String, path: &mut Vec<usize>) {
        let id = self.container_id();
        if let Some(id) = id {
            if path.contains(&id) || path.len() > 200 {
                out.push_str(if matches!(self, Val::Map(_)) { "(this Map)" } else { "(this Collection)" });
                return;
            }
            path.push(id);
        }
        self.write_java_string_inner(out, path);
        if id.is_some() {
            path.pop();
        }
    }

    fn write_java_string_inner(&self, out: &mut String, path: &mut Vec<usize>) {
        use std::fmt::Write;
        match self {
            Val::Null => out.push_str("null"),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Byte(b) => write!(out, "{b}").unwrap(),
            Val::Short(s) => write!(out, "{s}").unwrap(),
            Val::Char(c) => out.push_str(&char_to_string(*c)),
            Val::Int(i) => write!(out, "{i}").unwrap(),
            Val::Long(l) => write!(out, "{l}").unwrap(),
            Val::Float(f) => out.push_str(&crate::value::java_float_to_string(*f)),
            Val::Double(d) => out.push_str(&crate::value::java_double_to_string(*d)),
            Val::Str(s) => out.push_str(s),
            Val::List(_) | Val::Set(_) | Val::View(_, ViewKind::Keys | ViewKind::Values | ViewKind::Entries) => {
                out.push('[');
                for (i, item) in iter_items(self).unwrap_or_default().iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_java_string(out, path);
                }
                out.push(']');
            }
            Val::Array(a) => {
                let code = match &a.borrow().elem {
                    super::ast::Type::Prim(p) => match p {
                        super::ast::Prim::Int => "I",
                        super::ast::Prim::Long => "J",
                        super::ast::Prim::Double => "D",
                        super::ast::Prim::Float => "F",
                        super::ast::Prim::Boolean => "Z",
                        super::ast::Prim::Byte => "B",
                        super::ast::Prim::Short => "S",
                        super::ast::Prim::Char => "C",
                    }
                    .to_string(),
                    other => format!("L{};", class_of_type(other)),
                };
                write!(out, "[{code}@{:x}", Rc::as_ptr(a) as usize as u32).unwrap();
            }
            Val::Map(m) => {
                out.push('{');
                for (i, (k, v)) in map_entries(m).iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    k.write_java_string(out, path);
                    out.push('=');
                    v.write_java_string(out, path);
                }
                out.push('}');
            }
            Val::Entry(e) => {
                e.0.write_java_string(out, path);
                out.push('=');
                e.1.borrow().write_java_string(out, path);
            }
            Val::Func(_) => out.push_str("$Lambda"),
            Val::Obj(o) => out.push_str(&o.to_java_string()),
        }
    }

    /// The runtime class name used in error messages.
    pub fn class_name(&self) -> String {
        match self {
            Val::Null => "null".into(),
            Val::Bool(_) => "java.lang.Boolean".into(),
            Val::Byte(_) => "java.lang.Byte".into(),
            Val::Short(_) => "java.lang.Short".into(),
            Val::Char(_) => "java.lang.Character".into(),
            Val::Int(_) => "java.lang.Integer".into(),
            Val::Long(_) => "java.lang.Long".into(),
            Val::Float(_) => "java.lang.Float".into(),
            Val::Double(_) => "java.lang.Double".into(),
            Val::Str(_) => "java.lang.String".into(),
            Val::List(_) => "java.util.ArrayList".into(),
            Val::Map(MapRef::Own(_)) => "java.util.HashMap".into(),
            Val::Map(MapRef::Doc(_)) => "java.util.HashMap".into(),
            Val::Set(_) => "java.util.HashSet".into(),
            Val::Array(a) => format!("{}[]", class_of_type(&a.borrow().elem)),
            Val::View(_, ViewKind::Keys) => "java.util.HashMap$KeySet".into(),
            Val::View(_, ViewKind::Values) => "java.util.HashMap$Values".into(),
            Val::View(_, ViewKind::Entries) => "java.util.HashMap$EntrySet".into(),
            Val::Entry(_) => "java.util.HashMap$Node".into(),
            Val::Func(_) => "java.util.function.Function".into(),
            Val::Obj(o) => o.class_name().into(),
        }
    }

    /// Name of the primitive a boxed value unboxes to, as Painless casts print it.
    pub fn unboxed_name(&self) -> String {
        match self {
            Val::Bool(_) => "boolean".into(),
            Val::Byte(_) => "byte".into(),
            Val::Short(_) => "short".into(),
            Val::Char(_) => "char".into(),
            Val::Int(_) => "int".into(),
            Val::Long(_) => "long".into(),
            Val::Float(_) => "float".into(),
            Val::Double(_) => "double".into(),
            other => other.class_name(),
        }
    }

    /// `Object.equals`: boxed numbers equal only with the same box type.
    pub fn java_equals(&self, other: &Val<'a>) -> bool {
        self.equals_depth(other, 0)
    }

    /// Deeply nested or cyclic structures compare unequal past 100 levels
    /// (Java would overflow its stack).
    fn equals_depth(&self, other: &Val<'a>, depth: usize) -> bool {
        if depth > 100 {
            return false;
        }
        let d = depth + 1;
        match (self, other) {
            (Val::Null, Val::Null) => true,
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Byte(a), Val::Byte(b)) => a == b,
            (Val::Short(a), Val::Short(b)) => a == b,
            (Val::Char(a), Val::Char(b)) => a == b,
            (Val::Int(a), Val::Int(b)) => a == b,
            (Val::Long(a), Val::Long(b)) => a == b,
            (Val::Float(a), Val::Float(b)) => a.to_bits() == b.to_bits() || (a == b && *a != 0.0),
            (Val::Double(a), Val::Double(b)) => a.to_bits() == b.to_bits() || (a == b && *a != 0.0),
            (Val::Str(a), Val::Str(b)) => **a == **b,
            (a @ (Val::List(_) | Val::View(_, ViewKind::Values)), b @ (Val::List(_) | Val::View(_, ViewKind::Values))) => {
                if let (Val::List(ListRef::Own(x)), Val::List(ListRef::Own(y))) = (a, b) {
                    if Rc::ptr_eq(x, y) {
                        return true;
                    }
                }
                let (x, y) = (iter_items(a).unwrap_or_default(), iter_items(b).unwrap_or_default());
                x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| p.equals_depth(q, d))
            }
            (Val::Map(a), Val::Map(b)) => {
                if let (MapRef::Own(x), MapRef::Own(y)) = (a, b) {
                    if Rc::ptr_eq(x, y) {
                        return true;
                    }
                }
                let (x, y) = (map_entries(a), map_entries(b));
                x.len() == y.len()
                    && x.iter().all(|(k, v)| y.iter().any(|(k2, v2)| k.equals_depth(k2, d) && v.equals_depth(v2, d)))
            }
            (a @ (Val::Set(_) | Val::View(_, ViewKind::Keys | ViewKind::Entries)), b @ (Val::Set(_) | Val::View(_, ViewKind::Keys | ViewKind::Entries))) => {
                let (x, y) = (iter_items(a).unwrap_or_default(), iter_items(b).unwrap_or_default());
                x.len() == y.len() && x.iter().all(|p| y.iter().any(|q| p.equals_depth(q, d)))
            }
            (Val::Entry(a), Val::Entry(b)) => a.0.equals_depth(&b.0, d) && a.1.borrow().equals_depth(&b.1.borrow(), d),
            (Val::Array(a), Val::Array(b)) => Rc::ptr_eq(a, b),
            (Val::Func(a), Val::Func(b)) => Rc::ptr_eq(a, b),
            (Val::Obj(a), Val::Obj(b)) => a.equals(b),
            _ => false,
        }
    }

    /// `===`: identity for objects, value for primitives and strings.
    pub fn identical(&self, other: &Val<'a>) -> bool {
        match (self, other) {
            (Val::List(ListRef::Own(a)), Val::List(ListRef::Own(b))) => Rc::ptr_eq(a, b),
            (Val::List(ListRef::Doc(a)), Val::List(ListRef::Doc(b))) => std::ptr::eq(*a, *b),
            (Val::Map(MapRef::Own(a)), Val::Map(MapRef::Own(b))) => Rc::ptr_eq(a, b),
            (Val::Map(MapRef::Doc(a)), Val::Map(MapRef::Doc(b))) => std::ptr::eq(*a, *b),
            (Val::Set(a), Val::Set(b)) => Rc::ptr_eq(a, b),
            (Val::Array(a), Val::Array(b)) => Rc::ptr_eq(a, b),
            (Val::Obj(a), Val::Obj(b)) => Rc::ptr_eq(a, b),
            (Val::List(_) | Val::Map(_) | Val::Set(_) | Val::Array(_) | Val::Obj(_) | Val::View(..) | Val::Entry(_) | Val::Func(_), _) => false,
            _ => self.java_equals(other),
        }
    }
}

pub fn char_to_string(c: u16) -> String {
    String::from_utf16_lossy(&[c])
}

pub fn class_of_type(t: &super::ast::Type) -> String {
    match t {
        super::ast::Type::Def => "java.lang.Object".into(),
        super::ast::Type::Prim(p) => p.name().into(),
        super::ast::Type::Class(c) => super::lib::qualified_class(&c.name),
        super::ast::Type::Array(inner) => format!("{}[]", class_of_type(inner)),
    }
}

/// Elasticsearch's documents, the maps its processors build and a script's
/// `params` are all `HashMap`s, so a script iterates them in bucket order.
pub fn map_from_value<'a>(m: &ValueMap) -> JMap<'a> {
    let mut out = JMap::new(MapKind::Document);
    out.entries.reserve(m.len());
    for (k, v) in m {
        out.insert(Key(Val::str(k)), Val::from_value(v));
    }
    out
}

/// [`map_from_value`] with the keys and strings borrowed from `m`.
pub fn map_from_doc<'a>(m: &'a ValueMap) -> JMap<'a> {
    let mut out = JMap::new(MapKind::Document);
    out.entries.reserve(m.len());
    for (k, v) in m {
        out.insert(Key(Val::Str(Str::Doc(k))), Val::from_doc_copy(v));
    }
    out
}

pub fn list_items<'a>(l: &ListRef<'a>) -> Vec<Val<'a>> {
    match l {
        ListRef::Own(v) => v.try_borrow().map(|v| v.clone()).unwrap_or_default(),
        ListRef::Doc(v) => v.iter().map(Val::from_doc).collect(),
    }
}

pub fn list_len(l: &ListRef<'_>) -> usize {
    match l {
        ListRef::Own(v) => v.try_borrow().map(|v| v.len()).unwrap_or(0),
        ListRef::Doc(v) => v.len(),
    }
}

pub fn list_get<'a>(l: &ListRef<'a>, i: usize) -> Option<Val<'a>> {
    match l {
        ListRef::Own(v) => v.try_borrow().ok().and_then(|v| v.get(i).cloned()),
        ListRef::Doc(v) => v.get(i).map(Val::from_doc),
    }
}

pub fn map_entries<'a>(m: &MapRef<'a>) -> Vec<(Val<'a>, Val<'a>)> {
    match m {
        MapRef::Own(map) => map.try_borrow().map(|m| m.ordered()).unwrap_or_default(),
        MapRef::Doc(map) => crate::value::java_hash_map_order(map).into_iter().map(|(k, v)| (Val::Str(Str::Doc(k)), Val::from_doc(v))).collect(),
    }
}

pub fn map_len(m: &MapRef<'_>) -> usize {
    match m {
        MapRef::Own(map) => map.try_borrow().map(|m| m.len()).unwrap_or(0),
        MapRef::Doc(map) => map.len(),
    }
}

pub fn map_get<'a>(m: &MapRef<'a>, key: &Val<'a>) -> Option<Val<'a>> {
    match m {
        MapRef::Own(map) => {
            let map = map.try_borrow().ok()?;
            match key {
                Val::Str(s) => map.get(&StrKey(s)).cloned(),
                other => map.get(&Key(other.clone())).cloned(),
            }
        }
        MapRef::Doc(map) => match key {
            Val::Str(s) => map.get(&**s).map(Val::from_doc),
            _ => None,
        },
    }
}

pub fn map_get_str<'a>(m: &MapRef<'a>, key: &str) -> Option<Val<'a>> {
    match m {
        MapRef::Own(map) => map.try_borrow().ok()?.get(&StrKey(key)).cloned(),
        MapRef::Doc(map) => map.get(key).map(Val::from_doc),
    }
}

pub fn view_items<'a>(m: &MapRef<'a>, kind: ViewKind) -> Vec<Val<'a>> {
    let entries = map_entries(m);
    match kind {
        ViewKind::Keys => entries.into_iter().map(|(k, _)| k).collect(),
        ViewKind::Values => entries.into_iter().map(|(_, v)| v).collect(),
        ViewKind::Entries => entries.into_iter().map(|(k, v)| Val::Entry(Rc::new((k, RefCell::new(v), Some(m.clone()))))).collect(),
    }
}

/// `HashSet` iteration order: Java's bucket order at the table's capacity.
pub fn hash_set_order(items: Vec<Val<'_>>) -> Vec<Val<'_>> {
    if items.len() < 2 {
        return items;
    }
    let capacity = java_table_capacity(items.len());
    let mut keyed: Vec<(usize, Val<'_>)> = items.into_iter().map(|k| (java_bucket(&k, capacity), k)).collect();
    // Stable: keys sharing a bucket stay in insertion order.
    keyed.sort_by_key(|(bucket, _)| *bucket);
    keyed.into_iter().map(|(_, k)| k).collect()
}

// The helpers above use `try_borrow`: a collection compared or hashed while
// it is being modified (a map used inside its own key) reads as empty
// rather than panicking.

/// The elements a for-each loop or a stream sees, `None` if not iterable.
pub fn iter_items<'a>(v: &Val<'a>) -> Option<Vec<Val<'a>>> {
    Some(match v {
        Val::List(l) => list_items(l),
        Val::Set(s) => hash_set_order(s.borrow().keys().map(|k| k.0.clone()).collect()),
        Val::Array(a) => a.borrow().items.clone(),
        Val::View(m, kind) => view_items(m, *kind),
        Val::Obj(o) => return o.iter_items(),
        _ => return None,
    })
}

/// A hash key with Java `equals`/`hashCode` semantics for the common cases.
#[derive(Clone, Debug)]
pub struct Key<'a>(pub Val<'a>);

impl Hash for Key<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.0 {
            Val::Str(s) => {
                state.write_u8(1);
                s.hash(state);
            }
            Val::Int(i) => {
                state.write_u8(2);
                i.hash(state)
            }
            Val::Long(l) => {
                state.write_u8(3);
                l.hash(state)
            }
            Val::Bool(b) => {
                state.write_u8(4);
                b.hash(state)
            }
            Val::Double(d) => {
                state.write_u8(5);
                d.to_bits().hash(state)
            }
            Val::Char(c) => {
                state.write_u8(6);
                c.hash(state)
            }
            _ => state.write_u8(0),
        }
    }
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.java_equals(&other.0)
    }
}
impl Eq for Key<'_> {}

/// Borrowed string probe for `JMap` lookups without allocating; hashes
/// exactly as `Key` hashes a string.
pub struct StrKey<'s>(pub &'s str);

impl Hash for StrKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(1);
        self.0.hash(state);
    }
}

impl<'a> Equivalent<Key<'a>> for StrKey<'_> {
    fn equivalent(&self, key: &Key<'a>) -> bool {
        matches!(&key.0, Val::Str(s) if **s == *self.0)
    }
}

/// Dropping a container that holds the only reference to another container
/// recurses once per level: a script that nests maps or lists 100,000 deep
/// (`m = ['a': m]` in a loop) would overflow the Rust stack. These drops
/// take the children of uniquely owned containers out into a work list
/// instead, so every drop is shallow.
fn take_children<'a>(v: &mut Val<'a>, pending: &mut Vec<Val<'a>>) {
    match v {
        Val::List(ListRef::Own(rc)) => {
            if Rc::strong_count(rc) == 1 {
                if let Ok(mut items) = rc.try_borrow_mut() {
                    pending.append(&mut items);
                }
            }
        }
        Val::Map(MapRef::Own(rc)) | Val::View(MapRef::Own(rc), _) => {
            if Rc::strong_count(rc) == 1 {
                if let Ok(mut map) = rc.try_borrow_mut() {
                    pending.extend(map.entries.drain(..).map(|(_, v)| v));
                }
            }
        }
        Val::Array(rc) => {
            if Rc::strong_count(rc) == 1 {
                if let Ok(mut a) = rc.try_borrow_mut() {
                    pending.append(&mut a.items);
                }
            }
        }
        _ => {}
    }
}

fn drop_iteratively<'a>(mut pending: Vec<Val<'a>>) {
    while let Some(mut v) = pending.pop() {
        take_children(&mut v, &mut pending);
    }
}

thread_local! {
    /// How many container drops are in progress on this thread. Up to
    /// [`DROP_RECURSION`] of them nest by plain recursion, which needs no
    /// work list; deeper ones go through [`drop_iteratively`].
    static DROP_DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}
const DROP_RECURSION: u32 = 64;

/// Runs `drop_now` (which drops a container's children) one level deeper
/// in the recursion, or returns `false` when that is too deep.
fn drop_recursively(drop_now: impl FnOnce()) -> bool {
    let depth = DROP_DEPTH.with(|d| d.get());
    if depth >= DROP_RECURSION {
        return false;
    }
    DROP_DEPTH.with(|d| d.set(depth + 1));
    drop_now();
    DROP_DEPTH.with(|d| d.set(depth));
    true
}

impl Drop for JMap<'_> {
    fn drop(&mut self) {
        if self.entries.is_empty() || drop_recursively(|| drop(std::mem::take(&mut self.entries))) {
            return;
        }
        if self.entries.values().any(|v| matches!(v, Val::List(ListRef::Own(_)) | Val::Map(MapRef::Own(_)) | Val::Array(_))) {
            drop_iteratively(self.entries.drain(..).map(|(_, v)| v).collect());
        }
    }
}

impl Drop for JArray<'_> {
    fn drop(&mut self) {
        if !self.items.is_empty() && !drop_recursively(|| drop(std::mem::take(&mut self.items))) {
            drop_iteratively(std::mem::take(&mut self.items));
        }
    }
}

impl Drop for ListRef<'_> {
    fn drop(&mut self) {
        if let ListRef::Own(rc) = self {
            if Rc::strong_count(rc) == 1 {
                if let Ok(mut items) = rc.try_borrow_mut() {
                    if items.is_empty() {
                        return;
                    }
                    let taken = std::mem::take(&mut *items);
                    drop(items);
                    let mut taken = Some(taken);
                    if !drop_recursively(|| drop(taken.take())) {
                        let taken = taken.take().unwrap_or_default();
                        if taken.iter().any(|v| matches!(v, Val::List(ListRef::Own(_)) | Val::Map(MapRef::Own(_)) | Val::Array(_))) {
                            drop_iteratively(taken);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod drop_tests {
    use crate::painless::{compile, ScriptContext};
    use crate::value::{Map, Value};

    /// A script's values reach the document whole up to the depth a
    /// document can be written at (they were cut at 200 levels before);
    /// deeper is an error, not a silently truncated document.
    #[test]
    fn script_values_keep_their_depth_up_to_the_document_limit() {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                let ok = compile("def m = [:]; for (int i = 0; i < 998; i++) { m = ['a': m] } ctx.m = m", ScriptContext::Ingest).unwrap();
                let mut ctx = Map::default();
                ok.execute(&mut ctx, &Map::default()).unwrap();
                let json = Value::Map(ctx).to_json();
                assert!(!json.contains("(this Collection)"));
                assert_eq!(json.matches('{').count(), 1000);
                let deep = compile("def m = [:]; for (int i = 0; i < 5000; i++) { m = ['a': m] } ctx.m = m", ScriptContext::Ingest).unwrap();
                let e = deep.execute(&mut Map::default(), &Map::default()).unwrap_err();
                assert!(e.reason.starts_with("Document nesting depth (1001) exceeds the maximum allowed (1000"), "{}", e.reason);
            })
            .unwrap()
            .join()
            .unwrap();
    }

    /// Maps, lists and arrays nested 100,000 deep by a loop drop without
    /// recursing per level (this overflowed the stack before).
    #[test]
    fn deeply_nested_script_values_drop_without_overflow() {
        for source in [
            "def m = [:]; for (int i = 0; i < 100000; i++) { m = ['a': m] } m = null; ctx.ok = true",
            "def l = []; for (int i = 0; i < 100000; i++) { l = [l] } l = null; ctx.ok = true",
            "def a = new def[1]; for (int i = 0; i < 100000; i++) { def b = new def[1]; b[0] = a; a = b } ctx.ok = true",
        ] {
            let script = compile(source, ScriptContext::Ingest).unwrap();
            let mut ctx = Map::default();
            std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || {
                    script.execute(&mut ctx, &Map::default()).unwrap();
                    assert_eq!(ctx.get("ok"), Some(&Value::Bool(true)));
                })
                .unwrap()
                .join()
                .unwrap();
        }
    }
}

#[cfg(test)]
mod order_tests {
    use super::*;

    /// The order before buckets were cached: a stable sort by each key's
    /// bucket from the general `hashCode`.
    fn reference_order<'a>(keys: &[Val<'a>]) -> Vec<Val<'a>> {
        let capacity = java_table_capacity(keys.len());
        let mut out = keys.to_vec();
        out.sort_by_key(|k| {
            let h = crate::painless::lib::misc::hash_code(k) as u32;
            ((h ^ (h >> 16)) as usize) & (capacity - 1)
        });
        out
    }

    #[test]
    fn hash_orders_match_the_general_hash_code() {
        let named = ["", "a", "b", "message", "@timestamp", "é", "日本", "Aa", "BB", "user.name", "q", "z9", "ü-x", "event", "source", "destination"];
        // Past 24 keys the order is sorted off the stack.
        let texts: Vec<String> = named.iter().map(|t| t.to_string()).chain((0..30).map(|i| format!("field_{i}"))).collect();
        for n in 1..=texts.len() {
            let mut keys: Vec<Val<'_>> = texts[..n].iter().map(|t| Val::str(t)).collect();
            keys.push(Val::Int(7));
            keys.push(Val::Long(1 << 40));
            let expected: Vec<String> = reference_order(&keys).iter().map(Val::to_java_string).collect();
            let mut map = JMap::new(MapKind::Document);
            for (i, k) in keys.iter().enumerate() {
                map.insert(Key(k.clone()), Val::Int(i as i32));
            }
            let got: Vec<String> = map.ordered().iter().map(|(k, _)| k.to_java_string()).collect();
            assert_eq!(got, expected);
            let set: Vec<String> = hash_set_order(keys.clone()).iter().map(Val::to_java_string).collect();
            assert_eq!(set, expected);
        }
    }
}

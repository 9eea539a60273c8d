//! java.util collections: List, Map, Set, the live views `keySet()`,
//! `values()` and `entrySet()`, Map.Entry, Iterator, arrays, Optional,
//! and eager streams with the common Collectors. Painless's Augmentation
//! methods on collections (`any`, `every`, `each`, `collect`, `find`,
//! `findAll`, `join`, `sum`, `getLength`) are included.
//!
//! Callbacks into the interpreter never run while a collection is borrowed:
//! the elements are copied out first, the predicate runs, then the result
//! is written back, so a lambda may read the collection it filters.

use super::super::ast::Type;
use super::super::interp::{as_index, Callee, Interp};
use super::super::val::*;
use super::super::Exc;
use super::{arg_str, Obj};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &[
    "add", "addAll", "get", "set", "remove", "removeIf", "size", "isEmpty", "contains", "containsAll", "indexOf", "lastIndexOf", "clear",
    "sort", "iterator", "stream", "forEach", "subList", "put", "putAll", "putIfAbsent", "getOrDefault", "containsKey", "containsValue",
    "keySet", "values", "entrySet", "computeIfAbsent", "getKey", "getValue", "setValue", "hasNext", "next", "filter", "map", "collect",
    "anyMatch", "allMatch", "noneMatch", "count", "findFirst", "findAny", "distinct", "sorted", "limit", "skip", "mapToInt", "mapToLong",
    "mapToDouble", "mapToObj", "boxed", "sum", "max", "min", "toArray", "reduce", "flatMap", "isPresent", "orElse", "orElseGet",
    "ifPresent", "orElseThrow", "any", "every", "each", "find", "findAll", "join", "getLength", "retainAll", "removeAll", "asList",
    "average", "getAsInt", "getAsDouble", "getAsLong", "replaceAll", "merge", "compute", "asCollection", "replace", "computeIfPresent",
    "clone", "forEachRemaining",
];

pub const STATICS: &[(&str, &str)] = &[
    ("Collections", "sort"),
    ("Collections", "reverse"),
    ("Collections", "emptyList"),
    ("Collections", "emptyMap"),
    ("Collections", "emptySet"),
    ("Collections", "singletonList"),
    ("Collections", "singleton"),
    ("Collections", "singletonMap"),
    ("Collections", "unmodifiableList"),
    ("Collections", "unmodifiableMap"),
    ("Collections", "max"),
    ("Collections", "min"),
    ("Collections", "frequency"),
    ("Arrays", "asList"),
    ("Collectors", "toList"),
    ("Collectors", "toSet"),
    ("Collectors", "joining"),
    ("Collectors", "toMap"),
    ("Collectors", "groupingBy"),
    ("Collectors", "counting"),
    ("Optional", "of"),
    ("Optional", "ofNullable"),
    ("Optional", "empty"),
    ("Stream", "of"),
    ("Stream", "empty"),
];

pub const CONSTRUCTORS: &[&str] = &["ArrayList", "HashMap", "LinkedHashMap", "HashSet", "LinkedHashSet", "TreeMap", "TreeSet", "LinkedList"];

fn doc_error(it: &Interp<'_>) -> Exc {
    it.doc_mutation()
}

fn own_list<'a, 'b>(it: &Interp<'a>, l: &'b ListRef<'a>) -> R<&'b Shared<JList<'a>>> {
    match l {
        ListRef::Own(v) => Ok(v),
        ListRef::Doc(_) => Err(doc_error(it)),
    }
}

fn own_map<'a, 'b>(it: &Interp<'a>, m: &'b MapRef<'a>) -> R<&'b Shared<JMap<'a>>> {
    match m {
        MapRef::Own(v) => Ok(v),
        MapRef::Doc(_) => Err(doc_error(it)),
    }
}

pub(super) fn predicate<'a>(it: &mut Interp<'a>, f: &Val<'a>, args: &mut [Val<'a>]) -> R<bool> {
    callee_predicate(it, &Callee::of(f), args)
}

/// A `removeIf` predicate looked into once for all its calls (the general
/// path, in tests that compare with it, looks into it at every call).
fn remove_if_callee<'f, 'a>(pred: &'f Val<'a>) -> Callee<'f, 'a> {
    if general_path_only() {
        Callee::Value(pred)
    } else {
        Callee::of(pred)
    }
}

/// [`predicate`] for a method that calls it for each element.
fn callee_predicate<'a>(it: &mut Interp<'a>, f: &Callee<'_, 'a>, args: &mut [Val<'a>]) -> R<bool> {
    it.callee_holds(f, args)
}

/// `Collection.contains(x)`: `x.equals(item)` for some item, the argument
/// the receiver of `equals` as in Java's collections (which matters for
/// `ctx`, whose `equals` is its own).
fn contains<'a>(items: &[Val<'a>], x: &Val<'a>) -> bool {
    items.iter().any(|v| x.java_equals(v))
}

/// Natural ordering (`Comparable`): numbers by value, strings by UTF-16.
pub fn natural_cmp<'a>(a: &Val<'a>, b: &Val<'a>) -> R<Ordering> {
    if a.is_numeric() && b.is_numeric() && std::mem::discriminant(a) == std::mem::discriminant(b) {
        let x = super::number::to_f64(a).unwrap_or(0.0);
        let y = super::number::to_f64(b).unwrap_or(0.0);
        if let (Val::Long(p), Val::Long(q)) = (a, b) {
            return Ok(p.cmp(q));
        }
        return Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal));
    }
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => Ok(super::string::compare_to(x, y).cmp(&0)),
        (Val::Bool(x), Val::Bool(y)) => Ok(x.cmp(y)),
        (Val::Obj(x), Val::Obj(y)) => match (&**x, &**y) {
            (Obj::Time(p), Obj::Time(q)) => Ok(super::time::compare_to(p, q).cmp(&0)),
            (Obj::BigInteger(p), Obj::BigInteger(q)) => Ok(p.cmp(q)),
            _ => Err(Exc::class_cast(format!("class {} cannot be cast to class java.lang.Comparable", a.class_name()))),
        },
        (Val::Null, _) | (_, Val::Null) => Err(Exc::npe("Cannot invoke \"java.lang.Comparable.compareTo(Object)\" because \"a[runHi]\" is null")),
        _ => Err(super::super::interp::jvm_cast_error(&a.class_name(), &b.class_name())),
    }
}

/// Stable merge sort with a fallible comparator (Java's TimSort is stable too).
pub fn sort_values<'a>(it: &mut Interp<'a>, items: &mut Vec<Val<'a>>, cmp: Option<&Val<'a>>) -> R<()> {
    let mut err = None;
    let mut compare = |a: &Val<'a>, b: &Val<'a>| -> Ordering {
        if err.is_some() {
            return Ordering::Equal;
        }
        let r = match cmp {
            Some(f) if !f.is_null() => super::comparator::compare(it, f, a, b).map(|i| i.cmp(&0)),
            _ => natural_cmp(a, b),
        };
        match r {
            Ok(o) => o,
            Err(e) => {
                err = Some(e);
                Ordering::Equal
            }
        }
    };
    // `sort_by` needs a `FnMut` without fallible returns; errors are parked.
    let mut v = std::mem::take(items);
    v.sort_by(&mut compare);
    *items = v;
    match err {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

pub fn new_stream<'a>(items: Vec<Val<'a>>) -> Val<'a> {
    Val::Obj(Rc::new(Obj::Stream(RefCell::new(items))))
}

/// A `HashSet` (or `LinkedHashSet`) of `items`.
fn new_set<'a>(kind: SetKind, items: Vec<Val<'a>>) -> Val<'a> {
    let mut s = JSet::new(kind);
    for i in items {
        s.insert(Key(i), ());
    }
    Val::Set(Rc::new(RefCell::new(s)))
}

fn optional<'a>(v: Option<Val<'a>>) -> Val<'a> {
    Val::Obj(Rc::new(Obj::Optional(v)))
}

pub fn entry_set_value<'a>(it: &Interp<'a>, e: &Rc<(Val<'a>, RefCell<Val<'a>>, Option<MapRef<'a>>)>, value: Val<'a>) -> R<Val<'a>> {
    if let Some(m) = &e.2 {
        let m = own_map(it, m)?;
        if let Some(slot) = m.borrow_mut().get_mut(&Key(e.0.clone())) {
            *slot = value.clone();
        }
    }
    Ok(e.1.replace(value))
}

/// Methods shared by every Collection (List, Set, views): read-only ones
/// work on a copy of the elements.
pub(super) fn collection_common<'a>(it: &mut Interp<'a>, recv: &Val<'a>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let items = iter_items(recv)?;
    let r = (|| -> R<Option<Val<'a>>> {
        Ok(Some(match (name, args.len()) {
            ("size", 0) => Val::Int(items.len() as i32),
            ("isEmpty", 0) => Val::Bool(items.is_empty()),
            ("contains", 1) => Val::Bool(contains(&items, &args[0])),
            ("containsAll", 1) => {
                let other = iter_items(&args[0]).ok_or_else(|| Exc::class_cast("argument is not a Collection"))?;
                Val::Bool(other.iter().all(|x| contains(&items, x)))
            }
            ("iterator", 0) => {
                let from = match recv {
                    Val::Set(_) => IterFrom::Element(recv.clone()),
                    Val::View(m, ViewKind::Keys) => IterFrom::Key(m.clone(), items.clone()),
                    Val::View(m, _) => IterFrom::Key(m.clone(), map_entries(m).into_iter().map(|(k, _)| k).collect()),
                    // A list or an `ArrayDeque`, the other collections that come here.
                    _ => IterFrom::Forward(recv.clone(), 0),
                };
                new_iterator(items, from)
            }
            ("stream", 0) => new_stream(items),
            ("forEach" | "each", 1) => {
                for i in items {
                    it.call_func(&args[0], &mut [i])?;
                }
                if name == "each" {
                    recv.clone()
                } else {
                    Val::Null
                }
            }
            ("any", 1) => {
                for i in items {
                    if predicate(it, &args[0], &mut [i])? {
                        return Ok(Some(Val::Bool(true)));
                    }
                }
                Val::Bool(false)
            }
            ("every", 1) => {
                for i in items {
                    if !predicate(it, &args[0], &mut [i])? {
                        return Ok(Some(Val::Bool(false)));
                    }
                }
                Val::Bool(true)
            }
            ("find", 1) => {
                for i in items {
                    if predicate(it, &args[0], &mut [i.clone()])? {
                        return Ok(Some(i));
                    }
                }
                Val::Null
            }
            ("findAll", 1) => {
                let mut out = Vec::new();
                for i in items {
                    if predicate(it, &args[0], &mut [i.clone()])? {
                        out.push(i);
                    }
                }
                Val::new_list(out)
            }
            ("collect", 1) if matches!(args[0], Val::Func(_)) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(it.call_func(&args[0], &mut [i])?);
                }
                Val::new_list(out)
            }
            ("join", 1) => {
                let sep = arg_str(args, 0, name)?;
                Val::string(items.iter().map(|v| v.to_java_string()).collect::<Vec<_>>().join(sep))
            }
            ("sum", 0) => Val::Double(items.iter().map(|v| super::number::to_f64(v).unwrap_or(0.0)).sum()),
            ("asList" | "asCollection", 0) => Val::new_list(items),
            ("toArray", 0) => Val::Array(Rc::new(RefCell::new(JArray { elem: Type::Def, items }))),
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

pub fn call<'a>(it: &mut Interp<'a>, recv: &Val<'a>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    match recv {
        Val::List(l) => list_call(it, recv, l, name, args)
            .or_else(|| linked_list_call(l, name, args))
            .or_else(|| collection_common(it, recv, name, args)),
        Val::Set(s) => set_call(it, s, name, args).or_else(|| collection_common(it, recv, name, args)),
        Val::View(m, kind) => view_call(it, m, *kind, name, args).or_else(|| collection_common(it, recv, name, args)),
        Val::Map(m) => map_call(it, m, name, args),
        Val::Entry(e) => match (name, args.len()) {
            ("getKey", 0) => Some(Ok(e.0.clone())),
            ("getValue", 0) => Some(Ok(e.1.borrow().clone())),
            ("setValue", 1) => Some(entry_set_value(it, e, args[0].clone())),
            _ => None,
        },
        Val::Array(_) => None,
        _ => None,
    }
}

fn list_call<'a>(it: &mut Interp<'a>, recv: &Val<'a>, l: &ListRef<'a>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        Ok(Some(match (name, args.len()) {
            ("get", 1) => {
                let i = as_index(&args[0])?;
                let len = list_len(l);
                if i < 0 || i as usize >= len {
                    return Err(Exc::index_oob(i, len));
                }
                list_get(l, i as usize).unwrap_or_else(|| Val::Null)
            }
            ("getLength", 0) => Val::Int(list_len(l) as i32),
            // As `collection_common` answers them, without copying the elements.
            ("size", 0) => Val::Int(list_len(l) as i32),
            ("isEmpty", 0) => Val::Bool(list_len(l) == 0),
            ("contains", 1) => Val::Bool(match l {
                ListRef::Own(v) => v.try_borrow().map(|v| contains(&v, &args[0])).unwrap_or(false),
                ListRef::Doc(v) => v.iter().any(|item| args[0].java_equals(&Val::from_doc(item))),
            }),
            ("indexOf", 1) => Val::Int(list_items(l).iter().position(|v| args[0].java_equals(v)).map(|i| i as i32).unwrap_or(-1)),
            ("lastIndexOf", 1) => Val::Int(list_items(l).iter().rposition(|v| args[0].java_equals(v)).map(|i| i as i32).unwrap_or(-1)),
            ("subList", 2) => {
                let items = list_items(l);
                let (from, to) = (as_index(&args[0])?, as_index(&args[1])?);
                if from < 0 || to as usize > items.len() || from > to {
                    return Err(Exc::new("IndexOutOfBoundsException", format!("fromIndex: {from}, toIndex: {to}, size: {}", items.len())));
                }
                Val::new_list(items[from as usize..to as usize].to_vec())
            }
            ("add", 1) => {
                own_list(it, l)?.borrow_mut().push(args[0].clone().owned());
                Val::Bool(true)
            }
            ("add", 2) => {
                let v = own_list(it, l)?;
                let i = as_index(&args[0])?;
                let len = v.borrow().len();
                if i < 0 || i as usize > len {
                    return Err(Exc::index_oob(i, len));
                }
                v.borrow_mut().insert(i as usize, args[1].clone().owned());
                Val::Null
            }
            ("addAll", 1) => {
                let items = iter_items(&args[0]).ok_or_else(|| Exc::class_cast(format!("Cannot cast [{}] to [java.util.Collection]", args[0].class_name())))?;
                let changed = !items.is_empty();
                let list = own_list(it, l)?;
                Exc::check_len(list.borrow().len() + items.len())?;
                list.borrow_mut().extend(items);
                Val::Bool(changed)
            }
            ("set", 2) => {
                let v = own_list(it, l)?;
                let i = as_index(&args[0])?;
                let len = v.borrow().len();
                if i < 0 || i as usize >= len {
                    return Err(Exc::index_oob(i, len));
                }
                std::mem::replace(&mut v.borrow_mut()[i as usize], args[1].clone())
            }
            // Painless resolves `remove/1` on a List to `remove(int)`.
            ("remove", 1) => {
                let v = own_list(it, l)?;
                let i = match &args[0] {
                    Val::Int(_) | Val::Short(_) | Val::Byte(_) | Val::Char(_) => as_index(&args[0])?,
                    other => return Err(Exc::class_cast(format!("cannot cast def [{}] to int", other.unboxed_name()))),
                };
                let len = v.borrow().len();
                if i < 0 || i as usize >= len {
                    return Err(Exc::index_oob(i, len));
                }
                v.borrow_mut().remove(i as usize)
            }
            ("removeIf", 1) => list_remove_if(it, l, &args[0])?,
            ("removeAll" | "retainAll", 1) => {
                let other = iter_items(&args[0]).ok_or_else(|| Exc::class_cast("argument is not a Collection"))?;
                let v = own_list(it, l)?;
                let before = v.borrow().len();
                let retain = name == "retainAll";
                v.borrow_mut().retain(|x| contains(&other, x) == retain);
                Val::Bool(v.borrow().len() != before)
            }
            ("replaceAll", 1) => {
                let v = own_list(it, l)?.clone();
                let items = v.borrow().clone();
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(it.call_func(&args[0], &mut [i])?);
                }
                **v.borrow_mut() = out;
                Val::Null
            }
            ("clear", 0) => {
                own_list(it, l)?.borrow_mut().clear();
                Val::Null
            }
            ("sort", 1) => {
                let v = own_list(it, l)?.clone();
                let mut items = v.borrow().clone();
                sort_values(it, &mut items, Some(&args[0]))?;
                **v.borrow_mut() = items;
                Val::Null
            }
            ("equals", 1) => Val::Bool(recv.java_equals(&args[0])),
            // `ArrayList.clone()`, `LinkedList.clone()`: shallow copies of
            // the same class. A condition's read-only list has none.
            ("clone", 0) => match l {
                ListRef::Own(v) => {
                    let v = v.borrow();
                    let mut copy = JList::from(v.to_vec());
                    copy.linked = v.linked;
                    Val::List(ListRef::Own(Rc::new(RefCell::new(copy))))
                }
                ListRef::Doc(_) => return Ok(None),
            },
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

/// The `Deque` and `Queue` methods Painless whitelists for a `LinkedList`
/// (see `deque`). `remove(x)` is not among them: Painless binds `remove/1`
/// on a `LinkedList` to `List.remove(int)`, as on every List (its lookup
/// builder copies `List`'s methods in before `Deque`'s and keeps the first).
/// `None` for any other list, which lacks them.
fn linked_list_call<'a>(l: &ListRef<'a>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let ListRef::Own(list) = l else { return None };
    if !list.try_borrow().is_ok_and(|list| list.linked) {
        return None;
    }
    super::deque::deque_call(&Val::List(l.clone()), list, false, name, args)
}

fn set_call<'a>(it: &mut Interp<'a>, s: &Shared<JSet<'a>>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    if s.try_borrow().is_ok_and(|s| s.kind == SetKind::Tree) {
        if let Some(r) = super::sorted::set_call(it, s, name, args) {
            return Some(r);
        }
    }
    let r = (|| -> R<Option<Val<'a>>> {
        Ok(Some(match (name, args.len()) {
            ("add", 1) => Val::Bool(s.borrow_mut().insert(Key(args[0].clone()), ()).is_none()),
            ("addAll", 1) => {
                let items = iter_items(&args[0]).ok_or_else(|| Exc::class_cast("argument is not a Collection"))?;
                let mut changed = false;
                for i in items {
                    changed |= s.borrow_mut().insert(Key(i), ()).is_none();
                }
                Val::Bool(changed)
            }
            ("remove", 1) => Val::Bool(s.borrow_mut().shift_remove(&Key(args[0].clone())).is_some()),
            ("contains", 1) => Val::Bool(s.borrow().contains_key(&Key(args[0].clone()))),
            // As `collection_common` answers them, without ordering a copy of the elements.
            ("size", 0) => Val::Int(s.borrow().len() as i32),
            ("isEmpty", 0) => Val::Bool(s.borrow().is_empty()),
            ("clear", 0) => {
                s.borrow_mut().clear();
                Val::Null
            }
            ("removeIf", 1) => {
                let items: Vec<Val<'a>> = s.borrow().keys().map(|k| k.0.clone()).collect();
                let mut removed = false;
                for i in items {
                    if predicate(it, &args[0], &mut [i.clone()])? {
                        s.borrow_mut().shift_remove(&Key(i));
                        removed = true;
                    }
                }
                Val::Bool(removed)
            }
            // `HashSet.clone()` (a `LinkedHashSet`'s too), `TreeSet.clone()`:
            // a shallow copy of the same class and order.
            ("clone", 0) => {
                let s = s.borrow();
                let mut copy = JSet::new(s.kind);
                copy.comparator = s.comparator.clone();
                copy.extend(s.keys().map(|k| (k.clone(), ())));
                Val::Set(Rc::new(RefCell::new(copy)))
            }
            ("removeAll" | "retainAll", 1) => {
                let other = iter_items(&args[0]).ok_or_else(|| Exc::class_cast("argument is not a Collection"))?;
                let before = s.borrow().len();
                let retain = name == "retainAll";
                s.borrow_mut().retain(|k, _| contains(&other, &k.0) == retain);
                Val::Bool(s.borrow().len() != before)
            }
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

/// Mutations through `keySet()`, `values()` and `entrySet()` change the map.
fn view_call<'a>(it: &mut Interp<'a>, m: &MapRef<'a>, kind: ViewKind, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        Ok(Some(match (name, args.len()) {
            ("removeIf", 1) => view_remove_if(it, m, kind, &args[0])?,
            ("remove", 1) => {
                let key = match kind {
                    ViewKind::Keys => Some(args[0].clone()),
                    ViewKind::Values => map_entries(m).into_iter().find(|(_, v)| args[0].java_equals(v)).map(|(k, _)| k),
                    ViewKind::Entries => match &args[0] {
                        Val::Entry(e) => Some(e.0.clone()),
                        _ => None,
                    },
                };
                match key {
                    Some(k) => Val::Bool(own_map(it, m)?.borrow_mut().shift_remove(&Key(k)).is_some()),
                    None => Val::Bool(false),
                }
            }
            ("clear", 0) => {
                own_map(it, m)?.borrow_mut().clear();
                Val::Null
            }
            // As `collection_common` answers them, without ordering a copy of the entries.
            ("size", 0) => Val::Int(map_len(m) as i32),
            ("isEmpty", 0) => Val::Bool(map_len(m) == 0),
            ("add" | "addAll", _) => return Err(Exc::bare("UnsupportedOperationException")),
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

/// `List.removeIf`. The predicate sees the elements as they were when the
/// call began, each handed over from a copy rather than copied again; a
/// list still to copy from the document whose values are strings and
/// scalars (no identity to keep) hands them over from the document, so
/// going through it makes nothing.
fn list_remove_if<'a>(it: &mut Interp<'a>, l: &ListRef<'a>, pred: &Val<'a>) -> R<Val<'a>> {
    list_remove_if_with(it, l, &remove_if_callee(pred))
}

/// [`list_remove_if`] with the predicate's call.
pub fn list_remove_if_with<'a>(it: &mut Interp<'a>, l: &ListRef<'a>, pred: &Callee<'_, 'a>) -> R<Val<'a>> {
    let v = own_list(it, l)?.clone();
    let scalars = v.try_borrow().ok().and_then(|list| list.uncopied()).filter(|doc| !general_path_only() && !doc.iter().any(is_container));
    let (doomed, len) = match scalars {
        Some(doc) => (picked(it, pred, doc.iter().map(Val::from_doc), doc.len())?, doc.len()),
        None => {
            let items = v.borrow().clone();
            let len = items.len();
            (picked(it, pred, items.into_iter(), len)?, len)
        }
    };
    let removed = !doomed.is_empty();
    let mut current = v.borrow_mut();
    if removed && current.len() == len {
        let mut idx = 0;
        current.retain(|_| {
            idx += 1;
            !doomed[idx - 1]
        });
    }
    Ok(Val::Bool(removed))
}

/// Which of the `len` `items` the predicate picks, by position; empty
/// when it picks none (most calls remove nothing and need no note).
fn picked<'a>(it: &mut Interp<'a>, pred: &Callee<'_, 'a>, items: impl Iterator<Item = Val<'a>>, len: usize) -> R<Vec<bool>> {
    let mut doomed: Vec<bool> = Vec::new();
    for (i, item) in items.enumerate() {
        let mut args = [item];
        let picked = callee_predicate(it, pred, &mut args)?;
        let [item] = args;
        item.discard();
        if picked {
            if doomed.is_empty() {
                doomed.resize(len, false);
            }
            doomed[i] = true;
        }
    }
    Ok(doomed)
}

fn is_container(v: &crate::value::Value) -> bool {
    matches!(v, crate::value::Value::Map(_) | crate::value::Value::List(_))
}

/// `removeIf` on `keySet()`, `values()` or `entrySet()`: the predicate sees
/// the entries in the map's iteration order, as they were when the call
/// began; the entries it picks leave the map.
pub fn view_remove_if<'a>(it: &mut Interp<'a>, m: &MapRef<'a>, kind: ViewKind, pred: &Val<'a>) -> R<Val<'a>> {
    view_remove_if_with(it, m, kind, &remove_if_callee(pred))
}

/// [`view_remove_if`] with the predicate's call.
pub fn view_remove_if_with<'a>(it: &mut Interp<'a>, m: &MapRef<'a>, kind: ViewKind, pred: &Callee<'_, 'a>) -> R<Val<'a>> {
    if let (MapRef::Own(map), false) = (m, general_path_only()) {
        let snapshot = map.try_borrow().ok().and_then(|map| Some((map.uncopied_snapshot()?, map.changes(), map.kind)));
        if let Some(((doc, values), changes, map_kind)) = snapshot {
            let order = match map_kind {
                MapKind::Ctx => JavaOrder::of_ctx_doc(doc),
                _ => JavaOrder::of_doc(doc),
            };
            return remove_if_uncopied(it, map, kind, pred, (doc, order), values.as_deref().map(Vec::as_slice), changes);
        }
    }
    let entries = map_entries(m);
    let mut doomed = Vec::new();
    for (k, v) in entries {
        let arg = match kind {
            ViewKind::Keys => k.clone(),
            ViewKind::Values => v,
            ViewKind::Entries => Val::Entry(Rc::new((k.clone(), RefCell::new(v), Some(m.clone())))),
        };
        if callee_predicate(it, pred, &mut [arg])? {
            doomed.push(k);
        }
    }
    if !doomed.is_empty() {
        let map = own_map(it, m)?;
        let mut map = map.borrow_mut();
        for k in &doomed {
            map.shift_remove(&Key(k.clone()));
        }
    }
    Ok(Val::Bool(!doomed.is_empty()))
}

#[cfg(test)]
thread_local! {
    /// Set by tests that compare [`view_remove_if`]'s fast path with its
    /// general one (the entries copied and ordered, removed by key).
    static GENERAL_PATH_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
fn general_path_only() -> bool {
    GENERAL_PATH_ONLY.with(|g| g.get())
}

#[cfg(not(test))]
fn general_path_only() -> bool {
    false
}

/// [`view_remove_if`] on a map still to copy from the document map `doc`:
/// what it held when the call began is `doc` and, when `doc` holds a
/// container, `values` (shared with the map), so nothing is copied to go
/// through it; the predicate sees the entries in Java's `order`, by their
/// positions. The picked entries leave in one pass when the predicate
/// changed nothing (`changes`), else by key, one at a time, as the general
/// path removes them.
fn remove_if_uncopied<'a>(
    it: &mut Interp<'a>,
    map: &Shared<JMap<'a>>,
    kind: ViewKind,
    pred: &Callee<'_, 'a>,
    (doc, order): (&'a crate::value::Map, JavaOrder),
    values: Option<&[Val<'a>]>,
    changes: u64,
) -> R<Val<'a>> {
    let mut doomed: Vec<usize> = Vec::new();
    for i in order.positions() {
        let (key, value) = doc.get_index(i).expect("a position of the map");
        let key = || Val::Str(Str::Doc(key));
        let value = || match values {
            Some(values) => values[i].clone(),
            None => Val::from_doc(value),
        };
        let arg = match kind {
            ViewKind::Keys => key(),
            ViewKind::Values => value(),
            ViewKind::Entries => Val::Entry(Rc::new((key(), RefCell::new(value()), Some(MapRef::Own(map.clone()))))),
        };
        let mut args = [arg];
        let picked = callee_predicate(it, pred, &mut args)?;
        let [arg] = args;
        arg.discard();
        if picked {
            doomed.push(i);
        }
    }
    if doomed.is_empty() {
        return Ok(Val::Bool(false));
    }
    let mut map = map.borrow_mut();
    if map.changes() == changes {
        doomed.sort_unstable();
        map.remove_at(&doomed);
    } else {
        for i in doomed {
            let (key, _) = doc.get_index(i).expect("a position of the map");
            map.shift_remove(&StrKey(key));
        }
    }
    Ok(Val::Bool(true))
}

/// Collection methods that scripts call once per container they walk,
/// bound by the resolve pass from their name and argument count, so that a
/// call on a List, Map or view needs no comparison of names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundMethod {
    Size,
    IsEmpty,
    Values,
    KeySet,
    EntrySet,
    RemoveIf,
}

impl BoundMethod {
    pub fn of(name: &str, argc: usize) -> Option<BoundMethod> {
        Some(match (name, argc) {
            ("size", 0) => BoundMethod::Size,
            ("isEmpty", 0) => BoundMethod::IsEmpty,
            ("values", 0) => BoundMethod::Values,
            ("keySet", 0) => BoundMethod::KeySet,
            ("entrySet", 0) => BoundMethod::EntrySet,
            ("removeIf", 1) => BoundMethod::RemoveIf,
            _ => return None,
        })
    }
}

/// A bound method on a receiver it is answered for here, exactly as the
/// call by name answers it (`list_call`, `map_call`, `view_call`); `None`
/// for other receivers (a string's `isEmpty`, a set's `removeIf`, ...),
/// which go by name.
pub fn call_bound<'a>(it: &mut Interp<'a>, recv: &Val<'a>, method: BoundMethod, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    // By method first, then receiver: one branch each, not a search
    // through every (method, receiver, arguments) combination.
    let view = |kind: ViewKind| match (recv, args) {
        (Val::Map(m), []) => Some(Ok(Val::View(m.clone(), kind))),
        _ => None,
    };
    match method {
        BoundMethod::Size | BoundMethod::IsEmpty => {
            let len = match (recv, args) {
                (Val::List(l), []) => list_len(l),
                (Val::Map(m) | Val::View(m, _), []) => map_len(m),
                _ => return None,
            };
            Some(Ok(if method == BoundMethod::Size { Val::Int(len as i32) } else { Val::Bool(len == 0) }))
        }
        BoundMethod::Values => view(ViewKind::Values),
        BoundMethod::KeySet => view(ViewKind::Keys),
        BoundMethod::EntrySet => view(ViewKind::Entries),
        BoundMethod::RemoveIf => match (recv, args) {
            (Val::List(l), [pred]) => Some(list_remove_if(it, l, pred)),
            (Val::View(m, kind), [pred]) => Some(view_remove_if(it, m, *kind, pred)),
            _ => None,
        },
    }
}

fn map_call<'a>(it: &mut Interp<'a>, m: &MapRef<'a>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    if let MapRef::Own(tree) = m {
        if tree.try_borrow().is_ok_and(|t| t.kind == MapKind::Tree) {
            if let Some(r) = super::sorted::map_call(it, tree, name, args) {
                return Some(r);
            }
        }
    }
    let r = (|| -> R<Option<Val<'a>>> {
        Ok(Some(match (name, args.len()) {
            ("get", 1) => map_get(m, &args[0]).unwrap_or_else(|| Val::Null),
            ("getOrDefault", 2) => map_get(m, &args[0]).unwrap_or_else(|| args[1].clone()),
            ("containsKey", 1) => Val::Bool(map_get(m, &args[0]).is_some()),
            ("containsValue", 1) => Val::Bool(map_entries(m).iter().any(|(_, v)| args[0].java_equals(v))),
            ("size", 0) => Val::Int(map_len(m) as i32),
            ("isEmpty", 0) => Val::Bool(map_len(m) == 0),
            ("keySet", 0) => Val::View(m.clone(), ViewKind::Keys),
            ("values", 0) => Val::View(m.clone(), ViewKind::Values),
            ("entrySet", 0) => Val::View(m.clone(), ViewKind::Entries),
            ("put", 2) => {
                let map = own_map(it, m)?;
                if let Some(key) = args[0].as_str() {
                    it.check_ctx_put(map, key, &args[1])?;
                }
                map.borrow_mut().insert(Key(args[0].clone()), args[1].clone().owned()).unwrap_or_else(|| Val::Null)
            }
            ("putIfAbsent", 2) => {
                let map = own_map(it, m)?;
                let existing = map.borrow().get(&Key(args[0].clone())).cloned();
                match existing {
                    Some(v) if !v.is_null() => v,
                    _ => {
                        if let Some(key) = args[0].as_str() {
                            it.check_ctx_put(map, key, &args[1])?;
                        }
                        map.borrow_mut().insert(Key(args[0].clone()), args[1].clone().owned());
                        Val::Null
                    }
                }
            }
            ("putAll", 1) => {
                let entries = match &args[0] {
                    Val::Map(o) => map_entries(o),
                    other => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.Map]", other.class_name()))),
                };
                let shared = own_map(it, m)?;
                for (k, v) in entries {
                    // Each entry is put, and checked, in turn: a refused one leaves those before it in.
                    if let Some(key) = k.as_str() {
                        it.check_ctx_put(shared, key, &v)?;
                    }
                    shared.borrow_mut().insert(Key(k), v);
                }
                Val::Null
            }
            ("remove", 1) => {
                let map = own_map(it, m)?;
                it.check_ctx_remove(map, &args[0])?;
                map.borrow_mut().shift_remove(&Key(args[0].clone())).unwrap_or_else(|| Val::Null)
            }
            ("clear", 0) => {
                let map = own_map(it, m)?;
                it.clear_ctx_metadata(map)?;
                map.borrow_mut().clear();
                Val::Null
            }
            ("computeIfAbsent", 2) => {
                let map = own_map(it, m)?.clone();
                let existing = map.borrow().get(&Key(args[0].clone())).cloned();
                match existing {
                    Some(v) if !v.is_null() => v,
                    _ => {
                        let v = it.call_func(&args[1], &mut [args[0].clone()])?;
                        if !v.is_null() {
                            map.borrow_mut().insert(Key(args[0].clone()), v.clone());
                        }
                        v
                    }
                }
            }
            ("compute", 2) => {
                let map = own_map(it, m)?.clone();
                let old = map.borrow().get(&Key(args[0].clone())).cloned().unwrap_or_else(|| Val::Null);
                let v = it.call_func(&args[1], &mut [args[0].clone(), old])?;
                if v.is_null() {
                    map.borrow_mut().shift_remove(&Key(args[0].clone()));
                } else {
                    map.borrow_mut().insert(Key(args[0].clone()), v.clone());
                }
                v
            }
            ("merge", 3) => {
                let map = own_map(it, m)?.clone();
                let old = map.borrow().get(&Key(args[0].clone())).cloned();
                let v = match old {
                    Some(o) if !o.is_null() => it.call_func(&args[2], &mut [o, args[1].clone()])?,
                    _ => args[1].clone(),
                };
                if v.is_null() {
                    map.borrow_mut().shift_remove(&Key(args[0].clone()));
                } else {
                    map.borrow_mut().insert(Key(args[0].clone()), v.clone());
                }
                v
            }
            ("forEach" | "each", 1) => {
                for (k, v) in map_entries(m) {
                    it.call_func(&args[0], &mut [k, v])?;
                }
                if name == "each" {
                    Val::Map(m.clone())
                } else {
                    Val::Null
                }
            }
            // Painless's Map augmentations take (key, value) functions.
            ("collect", 1) => {
                let mut out = Vec::new();
                for (k, v) in map_entries(m) {
                    out.push(it.call_func(&args[0], &mut [k, v])?);
                }
                Val::new_list(out)
            }
            ("count", 1) => {
                let mut n = 0;
                for (k, v) in map_entries(m) {
                    if predicate(it, &args[0], &mut [k, v])? {
                        n += 1;
                    }
                }
                Val::Int(n)
            }
            ("every", 1) => {
                for (k, v) in map_entries(m) {
                    if !predicate(it, &args[0], &mut [k, v])? {
                        return Ok(Some(Val::Bool(false)));
                    }
                }
                Val::Bool(true)
            }
            ("find", 1) => {
                for (k, v) in map_entries(m) {
                    if predicate(it, &args[0], &mut [k.clone(), v.clone()])? {
                        return Ok(Some(Val::Entry(Rc::new((k, RefCell::new(v), Some(m.clone()))))));
                    }
                }
                Val::Null
            }
            ("findAll", 1) => {
                let mut out = JMap::new(MapKind::Hash);
                for (k, v) in map_entries(m) {
                    if predicate(it, &args[0], &mut [k.clone(), v.clone()])? {
                        out.insert(Key(k), v);
                    }
                }
                Val::new_map(out)
            }
            ("replace", 2) => {
                let map = own_map(it, m)?;
                let key = Key(args[0].clone());
                let mut map = map.borrow_mut();
                match map.get_mut(&key) {
                    Some(slot) => std::mem::replace(slot, args[1].clone().owned()),
                    None => Val::Null,
                }
            }
            // `Map.replace(key, oldValue, newValue)`: only while the key maps
            // to `oldValue` (`Objects.equals`).
            ("replace", 3) => {
                let map = own_map(it, m)?;
                let mut map = map.borrow_mut();
                match map.get_mut(&Key(args[0].clone())) {
                    Some(slot) if args[1].java_equals(slot) => {
                        *slot = args[2].clone().owned();
                        Val::Bool(true)
                    }
                    _ => Val::Bool(false),
                }
            }
            // `Map.remove(key, value)`: only while the key maps to `value`.
            ("remove", 2) => {
                let map = own_map(it, m)?;
                let key = Key(args[0].clone());
                let matches = map.borrow().get(&key).is_some_and(|v| args[1].java_equals(v));
                if matches {
                    it.check_ctx_remove(map, &args[0])?;
                    map.borrow_mut().shift_remove(&key);
                }
                Val::Bool(matches)
            }
            // `Map.replaceAll(f)`: each value becomes `f(key, value)`, in the
            // map's iteration order.
            ("replaceAll", 1) => {
                let map = own_map(it, m)?.clone();
                for (k, v) in map_entries(m) {
                    let new = it.call_func(&args[0], &mut [k.clone(), v])?.owned();
                    if let Some(slot) = map.borrow_mut().get_mut(&Key(k)) {
                        *slot = new;
                    }
                }
                Val::Null
            }
            ("computeIfPresent", 2) => {
                let map = own_map(it, m)?.clone();
                let old = map.borrow().get(&Key(args[0].clone())).cloned();
                match old {
                    Some(o) if !o.is_null() => {
                        let v = it.call_func(&args[1], &mut [args[0].clone(), o])?;
                        if v.is_null() {
                            map.borrow_mut().shift_remove(&Key(args[0].clone()));
                        } else {
                            map.borrow_mut().insert(Key(args[0].clone()), v.clone());
                        }
                        v
                    }
                    _ => Val::Null,
                }
            }
            ("equals", 1) => Val::Bool(Val::Map(m.clone()).java_equals(&args[0])),
            // `HashMap.clone()` (a `LinkedHashMap`'s too), `TreeMap.clone()`:
            // a shallow copy of the same class and order. Neither `ctx` nor
            // a condition's read-only map has one.
            ("clone", 0) => {
                let (kind, comparator) = match m {
                    MapRef::Own(own) if own.borrow().kind != MapKind::Ctx => {
                        let own = own.borrow();
                        (if own.kind == MapKind::Document { MapKind::Hash } else { own.kind }, own.comparator.clone())
                    }
                    _ => return Ok(None),
                };
                let mut copy = JMap::new(kind);
                copy.comparator = comparator;
                for (k, v) in map_entries(m) {
                    copy.insert(Key(k), v);
                }
                Val::new_map(copy)
            }
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

/// An `Iterator` over its collection's elements as they were when
/// `iterator()` was called (a change made to the collection meanwhile is
/// not seen, where Java's fail-fast iterators throw
/// `ConcurrentModificationException`), whose `remove()` takes the element
/// `next()` last returned out of that collection.
#[derive(Debug)]
pub struct IterState<'a> {
    items: Vec<Val<'a>>,
    pos: usize,
    /// The index in `items` of the element `next()` last returned, until
    /// `remove()` takes it: Java's `lastRet`, whose absence makes `remove()`
    /// an `IllegalStateException`.
    last: Option<usize>,
    from: IterFrom<'a>,
}

/// Where an iterator's `remove()` removes from, and how it finds the element there.
#[derive(Debug)]
pub enum IterFrom<'a> {
    /// A list or deque read head first, and how many elements `remove()`
    /// took out of it: they stood before the cursor, so `items`' index `k`
    /// is the collection's `k - removed`.
    Forward(Val<'a>, usize),
    /// A deque read tail first (`descendingIterator`), and its length then:
    /// removals stand behind the cursor, so `items`' index `k` stays the
    /// collection's `len - 1 - k`.
    Backward(Val<'a>, usize),
    /// A set: its elements are unique, so one leaves by its value.
    Element(Val<'a>),
    /// A map's `keySet()`, `values()` or `entrySet()`: the entry leaves by
    /// its key (the map's keys in `items`' order).
    Key(MapRef<'a>, Vec<Val<'a>>),
}

pub fn new_iterator<'a>(items: Vec<Val<'a>>, from: IterFrom<'a>) -> Val<'a> {
    Val::Obj(Rc::new(Obj::Iterator(Box::new(RefCell::new(IterState { items, pos: 0, last: None, from })))))
}

fn iterator_next<'a>(state: &RefCell<IterState<'a>>) -> Option<Val<'a>> {
    let mut s = state.borrow_mut();
    let i = s.pos;
    let v = s.items.get(i).cloned()?;
    s.pos += 1;
    s.last = Some(i);
    Some(v)
}

/// `Iterator.remove()`: the collection's own `remove` (by index, value or
/// key) does the removal, so a document's map or list and `ctx`'s metadata
/// checks behave as when the script calls it; the state is released first.
fn iterator_remove<'a>(it: &mut Interp<'a>, state: &RefCell<IterState<'a>>) -> R<()> {
    let (target, arg) = {
        let mut s = state.borrow_mut();
        let Some(k) = s.last.take() else {
            return Err(Exc::bare("IllegalStateException"));
        };
        let element = s.items[k].clone();
        match &mut s.from {
            IterFrom::Forward(source, removed) => {
                let index = k - *removed;
                *removed += 1;
                (source.clone(), Val::Int(index as i32))
            }
            IterFrom::Backward(source, len) => (source.clone(), Val::Int((*len - 1 - k) as i32)),
            IterFrom::Element(source) => (source.clone(), element),
            IterFrom::Key(map, keys) => (Val::Map(map.clone()), keys[k].clone()),
        }
    };
    // An `ArrayDeque`'s own `remove(x)` is by value: by index here.
    if let (Val::Obj(o), Val::Int(i)) = (&target, &arg) {
        if let Obj::ArrayDeque(items) = &**o {
            items.borrow_mut().remove(*i as usize);
            return Ok(());
        }
    }
    super::call_method(it, &target, "remove", &[arg]).map(|_| ())
}

/// Streams, Optionals and Iterators.
pub fn call_obj<'a>(it: &mut Interp<'a>, o: &Rc<Obj<'a>>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        Ok(Some(match &**o {
            Obj::Iterator(state) => match (name, args.len()) {
                ("hasNext", 0) => {
                    let s = state.borrow();
                    Val::Bool(s.pos < s.items.len())
                }
                ("next", 0) => match iterator_next(state) {
                    Some(v) => v,
                    None => return Err(Exc::bare("NoSuchElementException")),
                },
                ("remove", 0) => {
                    iterator_remove(it, state)?;
                    Val::Null
                }
                ("forEachRemaining", 1) => {
                    while let Some(v) = iterator_next(state) {
                        it.call_func(&args[0], &mut [v])?;
                    }
                    Val::Null
                }
                _ => return Ok(None),
            },
            Obj::Optional(v) => match (name, args.len()) {
                ("isPresent", 0) => Val::Bool(v.is_some()),
                ("isEmpty", 0) => Val::Bool(v.is_none()),
                ("get" | "orElseThrow" | "getAsInt" | "getAsLong" | "getAsDouble", 0) => match v {
                    Some(x) => x.clone(),
                    None => return Err(Exc::new("NoSuchElementException", "No value present")),
                },
                ("orElse", 1) => v.clone().unwrap_or_else(|| args[0].clone()),
                ("orElseGet", 1) => match v {
                    Some(x) => x.clone(),
                    None => it.call_func(&args[0], &mut [])?,
                },
                ("ifPresent", 1) => {
                    if let Some(x) = v {
                        it.call_func(&args[0], &mut [x.clone()])?;
                    }
                    Val::Null
                }
                ("map", 1) => match v {
                    Some(x) => {
                        let r = it.call_func(&args[0], &mut [x.clone()])?;
                        optional(if r.is_null() { None } else { Some(r) })
                    }
                    None => optional(None),
                },
                ("filter", 1) => match v {
                    Some(x) if predicate(it, &args[0], &mut [x.clone()])? => optional(Some(x.clone())),
                    _ => optional(None),
                },
                _ => return Ok(None),
            },
            Obj::Stream(items) => {
                let items = items.borrow().clone();
                stream_call(it, items, name, args)?
            }
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

fn stream_call<'a>(it: &mut Interp<'a>, items: Vec<Val<'a>>, name: &str, args: &[Val<'a>]) -> R<Val<'a>> {
    Ok(match (name, args.len()) {
        ("filter", 1) => {
            let mut out = Vec::new();
            for i in items {
                if predicate(it, &args[0], &mut [i.clone()])? {
                    out.push(i);
                }
            }
            new_stream(out)
        }
        ("map" | "mapToInt" | "mapToLong" | "mapToDouble" | "mapToObj", 1) => {
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                let v = it.call_func(&args[0], &mut [i])?;
                out.push(match name {
                    "mapToLong" => super::super::interp::coerce(&Type::Prim(super::super::ast::Prim::Long), v, false)?,
                    "mapToDouble" => super::super::interp::coerce(&Type::Prim(super::super::ast::Prim::Double), v, false)?,
                    "mapToInt" => super::super::interp::coerce(&Type::Prim(super::super::ast::Prim::Int), v, false)?,
                    _ => v,
                });
            }
            new_stream(out)
        }
        ("flatMap", 1) => {
            let mut out = Vec::new();
            for i in items {
                let s = it.call_func(&args[0], &mut [i])?;
                out.extend(iter_items(&s).unwrap_or_default());
            }
            new_stream(out)
        }
        ("boxed", 0) => new_stream(items),
        ("distinct", 0) => {
            let mut out: Vec<Val<'a>> = Vec::new();
            for i in items {
                if !contains(&out, &i) {
                    out.push(i);
                }
            }
            new_stream(out)
        }
        ("sorted", 0 | 1) => {
            let mut items = items;
            sort_values(it, &mut items, args.first())?;
            new_stream(items)
        }
        ("limit", 1) => new_stream(items.into_iter().take(as_index(&args[0])?.max(0) as usize).collect()),
        ("skip", 1) => new_stream(items.into_iter().skip(as_index(&args[0])?.max(0) as usize).collect()),
        ("anyMatch" | "allMatch" | "noneMatch", 1) => {
            let mut any = false;
            let mut all = true;
            for i in items {
                let p = predicate(it, &args[0], &mut [i])?;
                any |= p;
                all &= p;
                if (name == "anyMatch" || name == "noneMatch") && any || name == "allMatch" && !all {
                    break;
                }
            }
            Val::Bool(match name {
                "anyMatch" => any,
                "allMatch" => all,
                _ => !any,
            })
        }
        ("count", 0) => Val::Long(items.len() as i64),
        ("findFirst" | "findAny", 0) => optional(items.into_iter().next()),
        ("forEach", 1) => {
            for i in items {
                it.call_func(&args[0], &mut [i])?;
            }
            Val::Null
        }
        ("toArray", 0) => Val::Array(Rc::new(RefCell::new(JArray { elem: Type::Def, items }))),
        ("sum", 0) => {
            if items.iter().all(|v| matches!(v, Val::Int(_))) {
                Val::Int(items.iter().fold(0i32, |a, v| a.wrapping_add(if let Val::Int(i) = v { *i } else { 0 })))
            } else if items.iter().all(|v| matches!(v, Val::Int(_) | Val::Long(_))) {
                Val::Long(items.iter().fold(0i64, |a, v| a.wrapping_add(as_index(v).unwrap_or(0))))
            } else {
                Val::Double(items.iter().map(|v| super::number::to_f64(v).unwrap_or(0.0)).sum())
            }
        }
        ("average", 0) => {
            if items.is_empty() {
                optional(None)
            } else {
                let n = items.len() as f64;
                optional(Some(Val::Double(items.iter().map(|v| super::number::to_f64(v).unwrap_or(0.0)).sum::<f64>() / n)))
            }
        }
        ("max" | "min", 0 | 1) => {
            let mut best: Option<Val<'a>> = None;
            for i in items {
                best = Some(match best {
                    None => i,
                    Some(b) => {
                        let ord = match args.first() {
                            // `BinaryOperator.maxBy`/`minBy`: `compare(best, next)`,
                            // the best kept on a tie.
                            Some(f) => super::comparator::compare(it, f, &b, &i)?.cmp(&0).reverse(),
                            None => natural_cmp(&i, &b)?,
                        };
                        if (name == "max" && ord == Ordering::Greater) || (name == "min" && ord == Ordering::Less) {
                            i
                        } else {
                            b
                        }
                    }
                });
            }
            optional(best)
        }
        ("reduce", 2) => {
            let mut acc = args[0].clone();
            for i in items {
                acc = it.call_func(&args[1], &mut [acc, i])?;
            }
            acc
        }
        ("reduce", 1) => {
            let mut acc: Option<Val<'a>> = None;
            for i in items {
                acc = Some(match acc {
                    None => i,
                    Some(a) => it.call_func(&args[0], &mut [a, i])?,
                });
            }
            optional(acc)
        }
        ("collect", 1) => collect(it, items, &args[0])?,
        _ => return Err(Exc::illegal_arg(format!("dynamic method [java.util.stream.Stream, {name}/{}] not found", args.len()))),
    })
}

fn collect<'a>(it: &mut Interp<'a>, items: Vec<Val<'a>>, collector: &Val<'a>) -> R<Val<'a>> {
    let (kind, spec) = match collector {
        Val::Obj(o) => match &**o {
            Obj::Collector(kind, args) => (*kind, args),
            _ => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.stream.Collector]", collector.class_name()))),
        },
        _ => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.stream.Collector]", collector.class_name()))),
    };
    // `spec[0]` is unused padding so that argument indices read naturally.
    let spec: Vec<Val<'a>> = std::iter::once(Val::Null).chain(spec.iter().cloned()).collect();
    Ok(match kind {
        "toList" => Val::new_list(items),
        "toSet" => new_set(SetKind::Hash, items),
        "counting" => Val::Long(items.len() as i64),
        "joining" => {
            let s = |i: usize| spec.get(i).map(|v| v.to_java_string()).unwrap_or_default();
            format!("{}{}{}", s(2), items.iter().map(|v| v.to_java_string()).collect::<Vec<_>>().join(&s(1)), s(3)).into_val()
        }
        "toMap" => {
            let mut m = JMap::new(MapKind::Hash);
            for i in items {
                let k = it.call_func(&spec[1], &mut [i.clone()])?;
                let v = it.call_func(&spec[2], &mut [i])?;
                // The JDK's accumulator requires a value (`Objects.requireNonNull`).
                if v.is_null() {
                    return Err(Exc::bare("NullPointerException"));
                }
                if m.contains_key(&Key(k.clone())) {
                    return Err(Exc::new("IllegalStateException", format!("Duplicate key {} (attempted merging values {} and {})", k.to_java_string(), m[&Key(k.clone())].to_java_string(), v.to_java_string())));
                }
                m.insert(Key(k), v);
            }
            Val::new_map(m)
        }
        "groupingBy" => {
            let mut m: JMap<'a> = JMap::new(MapKind::Hash);
            for i in items {
                let k = it.call_func(&spec[1], &mut [i.clone()])?;
                match m.get(&Key(k.clone())) {
                    Some(Val::List(ListRef::Own(l))) => l.borrow_mut().push(i),
                    _ => {
                        m.insert(Key(k), Val::new_list(vec![i]));
                    }
                }
            }
            Val::new_map(m)
        }
        _ => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.stream.Collector]", collector.class_name()))),
    })
}

trait IntoVal<'a> {
    fn into_val(self) -> Val<'a>;
}
impl<'a> IntoVal<'a> for String {
    fn into_val(self) -> Val<'a> {
        Val::string(self)
    }
}

/// A `Collector`: which one, and the functions or strings it was given.
fn collector<'a>(kind: &'static str, args: &[Val<'a>]) -> Val<'a> {
    Val::Obj(Rc::new(Obj::Collector(kind, args.to_vec())))
}

pub fn call_static<'a>(it: &mut Interp<'a>, class: &str, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        Ok(Some(match (class, name, args.len()) {
            ("Collectors", "toList", 0) => collector("toList", args),
            ("Collectors", "toSet", 0) => collector("toSet", args),
            ("Collectors", "counting", 0) => collector("counting", args),
            ("Collectors", "joining", 0) => collector("joining", &[Val::str(""), Val::str(""), Val::str("")]),
            ("Collectors", "joining", 1) => collector("joining", &[args[0].clone(), Val::str(""), Val::str("")]),
            ("Collectors", "joining", 3) => collector("joining", args),
            ("Collectors", "toMap", 2) => collector("toMap", args),
            ("Collectors", "groupingBy", 1) => collector("groupingBy", args),
            ("Collections", "emptyList", 0) => Val::new_list(vec![]),
            ("Collections", "emptyMap", 0) => Val::new_map(JMap::new(MapKind::Hash)),
            ("Collections", "emptySet", 0) => new_set(SetKind::Hash, vec![]),
            ("Collections", "singletonList", 1) => Val::new_list(vec![args[0].clone()]),
            ("Collections", "singleton", 1) => new_set(SetKind::Hash, vec![args[0].clone()]),
            ("Collections", "singletonMap", 2) => {
                let mut m = JMap::new(MapKind::Hash);
                m.insert(Key(args[0].clone()), args[1].clone());
                Val::new_map(m)
            }
            ("Collections", "unmodifiableList" | "unmodifiableMap", 1) => args[0].clone(),
            ("Collections", "sort", 1 | 2) => {
                let Val::List(l) = &args[0] else {
                    return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.List]", args[0].class_name())));
                };
                let v = own_list(it, l)?.clone();
                let mut items = v.borrow().clone();
                sort_values(it, &mut items, args.get(1))?;
                **v.borrow_mut() = items;
                Val::Null
            }
            ("Collections", "reverse", 1) => {
                let Val::List(l) = &args[0] else {
                    return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.List]", args[0].class_name())));
                };
                own_list(it, l)?.borrow_mut().reverse();
                Val::Null
            }
            ("Collections", "max" | "min", 1 | 2) => {
                let items = iter_items(&args[0]).ok_or_else(|| Exc::class_cast("argument is not a Collection"))?;
                let mut best: Option<Val<'a>> = None;
                for i in items {
                    best = Some(match best {
                        None => i,
                        Some(b) => {
                            let o = match args.get(1) {
                                // `max(coll, null)` is `max(coll)`.
                                Some(c) if !c.is_null() => super::comparator::compare(it, c, &i, &b)?.cmp(&0),
                                _ => natural_cmp(&i, &b)?,
                            };
                            if (name == "max" && o == Ordering::Greater) || (name == "min" && o == Ordering::Less) {
                                i
                            } else {
                                b
                            }
                        }
                    });
                }
                match best {
                    Some(b) => b,
                    None => return Err(Exc::bare("NoSuchElementException")),
                }
            }
            ("Collections", "frequency", 2) => {
                let items = iter_items(&args[0]).ok_or_else(|| Exc::class_cast("argument is not a Collection"))?;
                Val::Int(items.iter().filter(|v| v.java_equals(&args[1])).count() as i32)
            }
            ("Arrays", "asList", _) => match args {
                [Val::Array(a)] => Val::new_list(a.borrow().items.clone()),
                _ => Val::new_list(args.to_vec()),
            },
            ("Optional", "of", 1) => {
                if args[0].is_null() {
                    return Err(Exc::bare("NullPointerException"));
                }
                optional(Some(args[0].clone()))
            }
            ("Optional", "ofNullable", 1) => optional(if args[0].is_null() { None } else { Some(args[0].clone()) }),
            ("Optional", "empty", 0) => optional(None),
            // java.util.stream.txt: `Stream of(def[])`, the varargs method
            // taking one array; the argument is cast to `Object[]` first.
            ("Stream", "of", 1) => match &args[0] {
                Val::Array(a) => {
                    let a = a.borrow();
                    if let Type::Prim(p) = &a.elem {
                        return Err(super::super::interp::jvm_cast_error(&format!("[{}", jvm_descriptor(*p)), "[Ljava.lang.Object;"));
                    }
                    new_stream(a.items.clone())
                }
                // JDK 17's helpful message from `Arrays.stream(array)`.
                Val::Null => return Err(Exc::npe("Cannot read the array length because \"array\" is null")),
                other => return Err(super::super::interp::jvm_cast_error(&other.class_name(), "[Ljava.lang.Object;")),
            },
            ("Stream", "empty", 0) => new_stream(Vec::new()),
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

pub fn construct<'a>(_it: &mut Interp<'a>, class: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let copy_items = || -> R<Vec<Val<'a>>> {
        match args.first() {
            None => Ok(Vec::new()),
            Some(v) => iter_items(v).ok_or_else(|| Exc::class_cast(format!("Cannot cast [{}] to [java.util.Collection]", v.class_name()))),
        }
    };
    // java.util.txt gives TreeMap and TreeSet `()` and `(Comparator)` only:
    // a null comparator is natural order, any other argument is cast to
    // Comparator.
    if let "TreeMap" | "TreeSet" = class {
        return Some(match args.first() {
            Some(c) if !c.is_null() && !super::comparator::is_comparator(c) => Err(super::super::interp::jvm_cast_error(&c.class_name(), "java.util.Comparator")),
            c if class == "TreeMap" => Ok(super::sorted::new_map(c.cloned())),
            c => Ok(super::sorted::new_set(c.cloned())),
        });
    }
    Some(match class {
        "ArrayList" => copy_items().map(Val::new_list),
        "LinkedList" => copy_items().map(|items| {
            let mut list = JList::from(items);
            list.linked = true;
            Val::List(ListRef::Own(Rc::new(RefCell::new(list))))
        }),
        "HashSet" => copy_items().map(|items| new_set(SetKind::Hash, items)),
        "LinkedHashSet" => copy_items().map(|items| new_set(SetKind::Linked, items)),
        "HashMap" | "LinkedHashMap" => {
            let kind = if class == "HashMap" { MapKind::Hash } else { MapKind::Linked };
            match args.first() {
            Some(Val::Map(m)) => {
                let mut out = JMap::new(kind);
                for (k, v) in map_entries(m) {
                    out.insert(Key(k), v);
                }
                Ok(Val::new_map(out))
            }
            None => Ok(Val::new_map(JMap::new(kind))),
            Some(v) => Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.Map]", v.class_name()))),
            }
        }
        _ => return None,
    })
}

/// The JVM's descriptor letter of a primitive, as array class names use it
/// (`[I` for `int[]`).
fn jvm_descriptor(p: super::super::ast::Prim) -> char {
    use super::super::ast::Prim;
    match p {
        Prim::Boolean => 'Z',
        Prim::Byte => 'B',
        Prim::Short => 'S',
        Prim::Char => 'C',
        Prim::Int => 'I',
        Prim::Long => 'J',
        Prim::Float => 'F',
        Prim::Double => 'D',
    }
}

#[cfg(test)]
mod remove_if_tests {
    use super::GENERAL_PATH_ONLY;
    use crate::painless::{compile, ScriptContext};
    use crate::value::{Map, Value};

    /// Keys with equal `String.hashCode`s ("Aa", "BB", ...) share a
    /// bucket; past 24 keys the order is sorted off the stack.
    const KEYS: &[&str] = &["a", "b", "Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa", "é", "日本", "", "message", "k"];
    const VALUES: &[&str] = &[
        "null", "\"\"", "\"x\"", "1", "2", "3000000000", "1.5", "true", "[]", "[null, \"\"]", "{}", "{\"z\": null}", "{\"y\": [\"\", {}], \"Aa\": 1}", "[1, {\"q\": \"\"}]",
    ];

    /// A document whose `m` has `n` entries picked by `seed`.
    fn document(seed: &mut u64, n: usize) -> Map {
        let mut next = |bound: usize| {
            *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((*seed >> 33) as usize) % bound
        };
        let mut fields = Vec::new();
        for i in 0..n {
            let key = match next(3) {
                0 => format!("k{i}"),
                _ => format!("{}{}", KEYS[next(KEYS.len())], if next(2) == 0 { String::new() } else { i.to_string() }),
            };
            fields.push(format!("{}: {}", Value::String(key).to_json(), VALUES[next(VALUES.len())]));
        }
        let json = format!("{{\"m\": {{{}}}, \"n\": {}}}", fields.join(", "), VALUES[next(VALUES.len())]);
        match Value::from_json_str(&json).unwrap() {
            Value::Map(m) => m,
            _ => unreachable!(),
        }
    }

    fn outcome(source: &str, doc: &Map, general: bool) -> String {
        let script = compile(source, ScriptContext::Ingest).unwrap_or_else(|e| panic!("{source}: {e}"));
        let mut doc = doc.clone();
        GENERAL_PATH_ONLY.with(|g| g.set(general));
        let result = script.execute(&mut doc, &Map::default());
        GENERAL_PATH_ONLY.with(|g| g.set(false));
        let result = match result {
            Ok(()) => "ok".to_string(),
            Err(e) => e.to_value().to_json(),
        };
        format!("{result} {}", Value::Map(doc).to_json())
    }

    /// `removeIf` on `values()`, `keySet()` and `entrySet()` gives, by
    /// positions in one pass, what the entries copied, ordered and removed
    /// by key give: the predicate's arguments and their order, the result,
    /// the map and the document after, errors part-way, predicates that
    /// change the map, every kind of map.
    #[test]
    fn remove_if_on_views_agrees_with_the_general_path() {
        let maps = ["ctx.m", "new HashMap(ctx.m)", "new LinkedHashMap(ctx.m)", "tree(ctx.m)", "['x': null, 1: '', 2L: 3, 'Aa': [], 'BB': 'v']"];
        let predicates = [
            "x -> x == null",
            "x -> x == '' || x == null",
            "x -> isEmpty(x)",
            "x -> { ctx.seen.add(x); return x == null || x == 1 }",
            "x -> { ctx.seen.add(x); return 1 / (x instanceof Integer ? x - 1 : 1) == 0 }",
            "x -> x.z == null",
            "x -> { m.remove('a'); return x == null }",
            "x -> { m.put('a0', ''); return x == '' }",
            "x -> { m.clear(); return true }",
            "x -> x instanceof Map.Entry ? (x.getValue() == null || x.getKey() == 'b') : x instanceof String && x.length() < 2",
            "x -> x instanceof Map.Entry ? x.setValue(null) == null : false",
        ];
        let views = ["values", "keySet", "entrySet"];
        let mut seed = 7u64;
        let mut seen = std::collections::BTreeSet::new();
        for n in [0, 1, 2, 3, 5, 8, 13, 26, 30] {
            for round in 0..3 {
                let doc = document(&mut seed, n);
                for map in maps {
                    for view in views {
                        for predicate in predicates {
                            let source = format!(
                                "boolean isEmpty(def v) {{ if (v == null || (v instanceof String && v == '')) {{ return true; }} \
                                 if (v instanceof Map) {{ v.values().removeIf(x -> isEmpty(x)); return v.isEmpty(); }} \
                                 if (v instanceof List) {{ v.removeIf(x -> isEmpty(x)); return v.isEmpty(); }} return false; }} \
                                 def tree(def m) {{ def t = new TreeMap(); t.putAll(m); return t; }} \
                                 ctx.seen = []; def m = {map}; ctx.r = m.{view}().removeIf({predicate}); ctx.after = m; ctx.n2 = isEmpty(ctx.n)"
                            );
                            let expected = outcome(&source, &doc, true);
                            assert_eq!(outcome(&source, &doc, false), expected, "{source} on {doc:?} (round {round})");
                            seen.insert(expected);
                        }
                    }
                }
            }
        }
        let errors = seen.iter().filter(|o| o.starts_with("{\"root_cause\"")).count();
        assert!(errors > 10 && seen.len() > errors + 100, "{errors} errors in {} outcomes", seen.len());
    }

    /// `removeIf` on a document list still to copy hands its strings and
    /// scalars over from the document, and gives what the items copied
    /// give: the predicate's arguments and their order, the result, the
    /// list and the document after, errors part-way, predicates that
    /// change the list, lists holding containers.
    #[test]
    fn remove_if_on_document_lists_agrees_with_the_general_path() {
        let predicates = [
            "x -> x == null",
            "x -> x == '' || x == null",
            "x -> isEmpty(x)",
            "x -> { ctx.seen.add(x); return x instanceof String }",
            "x -> { l.add(x); return x == null }",
            "x -> { l.set(0, 'z'); return x == '' }",
            "x -> { l.clear(); return true }",
            "x -> { ctx.seen.add(l.size()); return 1 / (x instanceof Integer ? x - 1 : 1) == 0 }",
            "x -> x === l[0]",
        ];
        let mut seed = 5u64;
        let mut seen = std::collections::BTreeSet::new();
        for n in [0, 1, 2, 3, 5, 9] {
            for _round in 0..4 {
                let doc = document(&mut seed, n);
                // `m`'s values, as a list of the document.
                let list = doc["m"].as_map().map(|m| Value::List(m.values().cloned().collect())).unwrap_or(Value::List(Vec::new()));
                let mut doc = doc;
                doc.insert("l".into(), list);
                for predicate in predicates {
                    let source = format!(
                        "boolean isEmpty(def v) {{ if (v == null || (v instanceof String && v == '')) {{ return true; }} \
                         if (v instanceof Map) {{ v.values().removeIf(x -> isEmpty(x)); return v.isEmpty(); }} \
                         if (v instanceof List) {{ v.removeIf(x -> isEmpty(x)); return v.isEmpty(); }} return false; }} \
                         ctx.seen = []; def l = ctx.l; ctx.r = l.removeIf({predicate}); ctx.after = l; ctx.same = ctx.l === l"
                    );
                    let expected = outcome(&source, &doc, true);
                    assert_eq!(outcome(&source, &doc, false), expected, "{source} on {doc:?}");
                    seen.insert(expected);
                }
            }
        }
        let errors = seen.iter().filter(|o| o.starts_with("{\"root_cause\"")).count();
        assert!(errors > 3 && seen.len() > errors + 30, "{errors} errors in {} outcomes", seen.len());
    }

    /// A predicate looked into once per `removeIf` call answers as one
    /// looked into at every call, on lists and map views: forwarding
    /// lambdas, typed (converting) or not, of the wrong arity, recursing
    /// past the call depth limit, throwing part-way, and other function
    /// values.
    #[test]
    fn remove_if_predicates_agree_with_the_general_path() {
        let receivers = ["ctx.m.values()", "ctx.m.keySet()", "ctx.m.entrySet()", "new ArrayList(ctx.m.values())", "[ctx.n, 1, '', null]", "[]"];
        let predicates = [
            "x -> isEmpty(x)",
            "(def x) -> isEmpty(x)",
            "(String x) -> isEmpty(x)",
            "(int x) -> isEmpty(x)",
            "(x, y) -> two(x, y)",
            "x -> two(x, x)",
            "x -> deep(x)",
            "x -> throws(x)",
            "x -> isEmpty(x) || throws(x)",
            "this::isEmpty",
            "Objects::isNull",
        ];
        let mut seed = 11u64;
        let mut seen = std::collections::BTreeSet::new();
        for n in [0, 1, 3, 8, 26] {
            for round in 0..3 {
                let doc = document(&mut seed, n);
                for receiver in receivers {
                    for predicate in predicates {
                        let source = format!(
                            "boolean isEmpty(def v) {{ if (v == null || (v instanceof String && v == '')) {{ return true; }} \
                             if (v instanceof Map) {{ v.values().removeIf(x -> isEmpty(x)); return v.isEmpty(); }} \
                             if (v instanceof List) {{ v.removeIf(x -> isEmpty(x)); return v.isEmpty(); }} return false; }} \
                             boolean two(def a, def b) {{ return a == b; }} \
                             boolean deep(def x) {{ return deep(x); }} \
                             boolean throws(def x) {{ if (x instanceof Number) {{ throw new IllegalArgumentException('n ' + x); }} return x == null; }} \
                             def r = {receiver}; ctx.r = r.removeIf({predicate}); ctx.after = r"
                        );
                        let expected = outcome(&source, &doc, true);
                        assert_eq!(outcome(&source, &doc, false), expected, "{source} on {doc:?} (round {round})");
                        seen.insert(expected);
                    }
                }
            }
        }
        let errors = seen.iter().filter(|o| o.starts_with("{\"root_cause\"")).count();
        assert!(errors > 10 && seen.len() > errors + 30, "{errors} errors in {} outcomes", seen.len());
    }
}

#[cfg(test)]
mod iterator_tests {
    use super::super::super::script_outcome as run;

    /// `Iterator.remove()` (java.util.txt's `void remove()`) takes the
    /// element `next()` last returned out of the collection the iterator
    /// came from. Each expected value is what a small Java program printed
    /// for the same calls on JDK 17.
    #[test]
    fn remove_takes_the_last_returned_element_out_of_its_collection() {
        for (source, expected) in [
            ("def l = [1, 2, 2, 3, 4, 5, 6]; def i = l.iterator(); while (i.hasNext()) { if (i.next() % 2 == 0) { i.remove() } } def r = l; r", "[1,3,5]"),
            (
                "def m = new HashMap(); m.a = 1; m.b = 2; m.c = 3; def v = m.values().iterator(); while (v.hasNext()) { if (v.next() == 2) { v.remove() } } def k = m.keySet().iterator(); k.next(); k.remove(); m",
                r#"{"c":3}"#,
            ),
            ("def m = ['x': 1, '..': 2, 'y': 3]; def i = m.entrySet().iterator(); while (i.hasNext()) { if (i.next().getKey() == '..') { i.remove() } } def r = m; r", r#"{"x":1,"y":3}"#),
            ("def s = new HashSet([1, 2, 3, 4]); def i = s.iterator(); while (i.hasNext()) { if (i.next() > 2) { i.remove() } } def r = s; r", "[1,2]"),
            ("def d = new ArrayDeque([1, 2, 3, 4]); def i = d.descendingIterator(); i.next(); i.next(); i.remove(); d", "[1,2,4]"),
            ("def d = new ArrayDeque([1, 2, 4]); def i = d.iterator(); i.next(); i.remove(); i.next(); i.remove(); d", "[4]"),
            ("def l = new LinkedList([1, 2, 3, 4]); def i = l.descendingIterator(); i.next(); i.remove(); l", "[1,2,3]"),
            ("def t = new TreeSet(); t.addAll([3, 1, 2]); def i = t.descendingIterator(); i.next(); i.remove(); t", "[1,2]"),
            // `forEachRemaining` leaves the last element as the one `remove()` takes.
            ("def out = []; def l = [3, 1, 2]; def i = l.iterator(); i.next(); i.forEachRemaining(x -> out.add(x)); i.remove(); [out, l]", "[[1,2],[3,1]]"),
        ] {
            assert_eq!(run(source), expected, "{source}");
        }
    }

    /// Before any `next()`, and a second time after one, `remove()` throws
    /// `IllegalStateException` without a message, as `ArrayList$Itr` and
    /// `HashMap$HashIterator` do (observed on JDK 17).
    #[test]
    fn remove_without_a_new_element_is_an_illegal_state() {
        for source in [
            "def i = [1].iterator(); i.remove(); 0",
            "def i = [1].iterator(); i.next(); i.remove(); i.remove(); 0",
            "def i = ['a': 'b'].keySet().iterator(); i.remove(); 0",
        ] {
            assert_eq!(run(source), "illegal_state_exception: ", "{source}");
        }
    }
}

//! `java.util.TreeMap` and `java.util.TreeSet`, with natural order or a
//! `Comparator` (`new TreeMap(Comparator)`), and the `SortedMap`,
//! `NavigableMap`, `SortedSet` and `NavigableSet` members lang-painless's
//! `java.util.txt` whitelists.
//!
//! A tree keeps its entries (a [`JMap`] of kind `Tree`) or elements (a
//! [`JSet`] of kind `Tree`) in its order, so iterating it reads them as
//! they are; every put or add finds its place by binary search with the
//! tree's comparison, which calls the comparator (a lambda or a library
//! comparator) or the keys' `compareTo`. As in OpenJDK 17's `TreeMap`, a
//! key that compares equal to one present is that key (its entry keeps
//! the key first put), and the comparison's exceptions are the caller's:
//! a natural-order tree refuses a null key with a bare
//! `NullPointerException` (or, put into an empty tree, the one
//! `compare(key, key)` raises, naming `k1`) and a key that is no
//! `Comparable` with a `ClassCastException`.
//!
//! The sub-maps and sub-sets (`headMap`, `tailMap`, `subMap`,
//! `descendingMap`, `headSet`, ..., `descendingKeySet`) are copies, new trees
//! of the same order, not the JDK's live views.

use super::super::interp::Interp;
use super::super::val::*;
use super::super::Exc;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &[
    "comparator", "firstKey", "lastKey", "headMap", "tailMap", "subMap", "ceilingKey", "floorKey", "higherKey", "lowerKey", "ceilingEntry",
    "floorEntry", "higherEntry", "lowerEntry", "firstEntry", "lastEntry", "pollFirstEntry", "pollLastEntry", "descendingMap", "descendingKeySet",
    "navigableKeySet", "first", "last", "headSet", "tailSet", "subSet", "ceiling", "floor", "higher", "lower", "descendingSet", "pollFirst",
    "pollLast",
];

/// `compare(a, b)` of a tree: its comparator's, or `a.compareTo(b)` with
/// `a` cast to `Comparable` first (TreeMap's `compare`, whose `a` is `k1`).
fn compare<'a>(it: &mut Interp<'a>, comparator: Option<&Val<'a>>, a: &Val<'a>, b: &Val<'a>) -> R<Ordering> {
    Ok(match comparator {
        Some(c) => super::comparator::compare(it, c, a, b)?.cmp(&0),
        None => super::comparator::natural_compare(it, a, b, "\"k1\"")?.cmp(&0),
    })
}

/// What a natural-order tree checks of a key before it searches for it
/// (`getEntry`, and `put` into a tree that is not empty):
/// `Objects.requireNonNull`, then the cast to `Comparable`.
fn natural_key<'a>(comparator: Option<&Val<'a>>, key: &Val<'a>) -> R<()> {
    if comparator.is_some() {
        return Ok(());
    }
    if key.is_null() {
        return Err(Exc::bare("NullPointerException"));
    }
    if !super::comparator::is_comparable(key) {
        return Err(super::super::interp::jvm_cast_error(&key.class_name(), "java.lang.Comparable"));
    }
    Ok(())
}

/// The keys of a tree, read one at a time: the tree stays unborrowed
/// while the comparator runs (which may read it).
trait Keys<'a> {
    fn len(&self) -> usize;
    fn key_at(&self, i: usize) -> Option<Val<'a>>;
    fn comparator(&self) -> Option<Val<'a>>;
}

impl<'a> Keys<'a> for RefCell<JMap<'a>> {
    fn len(&self) -> usize {
        self.borrow().len()
    }
    fn key_at(&self, i: usize) -> Option<Val<'a>> {
        self.borrow().get_index(i).map(|(k, _)| k.0.clone())
    }
    fn comparator(&self) -> Option<Val<'a>> {
        self.borrow().comparator.as_deref().cloned()
    }
}

impl<'a> Keys<'a> for RefCell<JSet<'a>> {
    fn len(&self) -> usize {
        self.borrow().len()
    }
    fn key_at(&self, i: usize) -> Option<Val<'a>> {
        self.borrow().get_index(i).map(|(k, _)| k.0.clone())
    }
    fn comparator(&self) -> Option<Val<'a>> {
        self.borrow().comparator.as_deref().cloned()
    }
}

/// Binary search for `key`: `Ok(i)` for the key at `i` that compares
/// equal to it, `Err(i)` for where it would go.
fn search<'a>(it: &mut Interp<'a>, tree: &impl Keys<'a>, comparator: Option<&Val<'a>>, key: &Val<'a>) -> R<Result<usize, usize>> {
    let (mut lo, mut hi) = (0, tree.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        // The comparator may have emptied the tree meanwhile.
        let Some(k) = tree.key_at(mid) else { break };
        match compare(it, comparator, key, &k)? {
            Ordering::Less => hi = mid,
            Ordering::Greater => lo = mid + 1,
            Ordering::Equal => return Ok(Ok(mid)),
        }
    }
    Ok(Err(lo.min(tree.len())))
}

/// `getEntry(key)`: the position of the key comparing equal to `key`.
fn find<'a>(it: &mut Interp<'a>, tree: &impl Keys<'a>, key: &Val<'a>) -> R<Option<usize>> {
    let comparator = tree.comparator();
    natural_key(comparator.as_ref(), key)?;
    Ok(search(it, tree, comparator.as_ref(), key)?.ok())
}

/// Where `put(key, ..)` goes: `Ok(i)` replaces the entry at `i`, `Err(i)`
/// inserts there. Into an empty tree `compare(key, key)` checks the key.
fn place<'a>(it: &mut Interp<'a>, tree: &impl Keys<'a>, key: &Val<'a>) -> R<Result<usize, usize>> {
    let comparator = tree.comparator();
    if tree.len() == 0 {
        compare(it, comparator.as_ref(), key, key)?;
        return Ok(Err(0));
    }
    natural_key(comparator.as_ref(), key)?;
    search(it, tree, comparator.as_ref(), key)
}

/// `TreeMap.put`: the value it replaces (null when the key is new).
pub fn put<'a>(it: &mut Interp<'a>, map: &Shared<JMap<'a>>, key: Val<'a>, value: Val<'a>) -> R<Val<'a>> {
    let value = value.owned();
    match place(it, &**map, &key)? {
        Ok(i) => {
            let mut map = map.borrow_mut();
            match map.get_index_mut(i) {
                Some((_, slot)) => Ok(std::mem::replace(slot, value)),
                None => Ok(Val::Null),
            }
        }
        Err(i) => {
            let mut map = map.borrow_mut();
            let at = i.min(map.len());
            map.shift_insert(at, Key(key.owned()), value);
            Ok(Val::Null)
        }
    }
}

/// `TreeMap.get`.
pub fn get<'a>(it: &mut Interp<'a>, map: &Shared<JMap<'a>>, key: &Val<'a>) -> R<Option<Val<'a>>> {
    Ok(match find(it, &**map, key)? {
        Some(i) => map.borrow().get_index(i).map(|(_, v)| v.clone()),
        None => None,
    })
}

/// `TreeMap.remove`: the value removed.
fn remove<'a>(it: &mut Interp<'a>, map: &Shared<JMap<'a>>, key: &Val<'a>) -> R<Option<Val<'a>>> {
    Ok(match find(it, &**map, key)? {
        Some(i) => map.borrow_mut().shift_remove_index(i).map(|(_, v)| v),
        None => None,
    })
}

/// A read of `key` that the map's hash lookup missed, on a tree: the
/// comparator may find a key that compares equal without being equal, or
/// throw. Null for any other map.
pub fn missed<'a>(it: &mut Interp<'a>, map: &MapRef<'a>, key: impl FnOnce() -> Val<'a>) -> R<Val<'a>> {
    match map {
        MapRef::Own(m) if m.try_borrow().is_ok_and(|m| m.kind == MapKind::Tree) => Ok(get(it, m, &key())?.unwrap_or(Val::Null)),
        _ => Ok(Val::Null),
    }
}

fn entry<'a>(k: Val<'a>, v: Val<'a>) -> Val<'a> {
    Val::Entry(Rc::new((k, RefCell::new(v), None)))
}

/// Which side of a bound a navigation method looks on.
#[derive(Clone, Copy)]
enum Nav {
    Ceiling,
    Floor,
    Higher,
    Lower,
}

impl Nav {
    fn of(name: &str) -> Option<Nav> {
        Some(match name {
            "ceiling" | "ceilingKey" | "ceilingEntry" => Nav::Ceiling,
            "floor" | "floorKey" | "floorEntry" => Nav::Floor,
            "higher" | "higherKey" | "higherEntry" => Nav::Higher,
            "lower" | "lowerKey" | "lowerEntry" => Nav::Lower,
            _ => return None,
        })
    }
}

/// `getCeilingEntry` and its kin: the position of the least key at or
/// above (`Ceiling`), above (`Higher`), the greatest at or below
/// (`Floor`), below (`Lower`) `key`. As the JDK's, an empty tree answers
/// without comparing, and no null check precedes the comparisons.
fn navigate<'a>(it: &mut Interp<'a>, tree: &impl Keys<'a>, nav: Nav, key: &Val<'a>) -> R<Option<usize>> {
    if tree.len() == 0 {
        return Ok(None);
    }
    let comparator = tree.comparator();
    let len = tree.len();
    Ok(match (search(it, tree, comparator.as_ref(), key)?, nav) {
        (Ok(i), Nav::Ceiling | Nav::Floor) => Some(i),
        (Ok(i), Nav::Higher) => Some(i + 1).filter(|&j| j < len),
        (Err(i), Nav::Ceiling | Nav::Higher) => Some(i).filter(|&j| j < len),
        (Ok(i) | Err(i), Nav::Floor | Nav::Lower) => i.checked_sub(1),
    })
}

/// The positions `[from, to)` a sub-map or sub-set keeps: below `hi`
/// (at or below when `hi_inclusive`), at or above `lo` likewise. A bound
/// is checked as `NavigableSubMap`'s constructor checks it:
/// `compare(lo, hi) > 0` is "fromKey > toKey", a lone bound is compared
/// with itself.
fn range<'a>(it: &mut Interp<'a>, tree: &impl Keys<'a>, lo: Bound<'_, 'a>, hi: Bound<'_, 'a>) -> R<(usize, usize)> {
    let comparator = tree.comparator();
    let cmp = comparator.as_ref();
    match (lo, hi) {
        (Some((l, _)), Some((h, _))) => {
            if compare(it, cmp, l, h)? == Ordering::Greater {
                return Err(Exc::illegal_arg("fromKey > toKey"));
            }
        }
        (Some((b, _)), None) | (None, Some((b, _))) => {
            compare(it, cmp, b, b)?;
        }
        (None, None) => {}
    }
    let from = match lo {
        Some((l, inclusive)) => match search(it, tree, cmp, l)? {
            Ok(i) if inclusive => i,
            Ok(i) => i + 1,
            Err(i) => i,
        },
        None => 0,
    };
    let to = match hi {
        Some((h, inclusive)) => match search(it, tree, cmp, h)? {
            Ok(i) if inclusive => i + 1,
            Ok(i) | Err(i) => i,
        },
        None => tree.len(),
    };
    Ok((from, to.max(from)))
}

/// A bound of a sub-map or sub-set: the key, and whether it is inside.
type Bound<'v, 'a> = Option<(&'v Val<'a>, bool)>;

/// The bounds of `headMap`/`tailMap`/`subMap` (and the set's) from their
/// arguments: the one-bound SortedMap forms exclude their upper bound and
/// include their lower one; the NavigableMap forms say.
fn bounds<'v, 'a>(name: &str, args: &'v [Val<'a>]) -> Option<(Bound<'v, 'a>, Bound<'v, 'a>)> {
    let flag = |v: &Val<'a>| matches!(v, Val::Bool(true));
    Some(match (name, args) {
        ("headMap" | "headSet", [hi]) => (None, Some((hi, false))),
        ("headMap" | "headSet", [hi, inclusive]) => (None, Some((hi, flag(inclusive)))),
        ("tailMap" | "tailSet", [lo]) => (Some((lo, true)), None),
        ("tailMap" | "tailSet", [lo, inclusive]) => (Some((lo, flag(inclusive))), None),
        ("subMap" | "subSet", [lo, hi]) => (Some((lo, true)), Some((hi, false))),
        ("subMap" | "subSet", [lo, lo_inclusive, hi, hi_inclusive]) => (Some((lo, flag(lo_inclusive))), Some((hi, flag(hi_inclusive)))),
        _ => return None,
    })
}

/// The boolean arguments of the NavigableMap forms, checked as Painless
/// casts a `def` argument to a `boolean` parameter.
fn check_flags(name: &str, args: &[Val<'_>]) -> R<()> {
    let flags: &[usize] = match (name, args.len()) {
        ("headMap" | "headSet" | "tailMap" | "tailSet", 2) => &[1],
        ("subMap" | "subSet", 4) => &[1, 3],
        _ => &[],
    };
    for &i in flags {
        if !matches!(args[i], Val::Bool(_)) {
            return Err(Exc::class_cast(format!("cannot cast def [{}] to boolean", args[i].unboxed_name())));
        }
    }
    Ok(())
}

/// The comparator of a descending view: `Collections.reverseOrder(c)`,
/// or of natural order `Collections.reverseOrder()`.
fn reversed<'a>(comparator: Option<&Val<'a>>) -> R<Val<'a>> {
    let args: Vec<Val<'a>> = comparator.into_iter().cloned().collect();
    super::comparator::call_static("Collections", "reverseOrder", &args).unwrap_or_else(|| Err(Exc::illegal_arg("reverseOrder")))
}

fn new_tree_map<'a>(comparator: Option<Val<'a>>, entries: impl Iterator<Item = (Val<'a>, Val<'a>)>) -> Val<'a> {
    let mut map = JMap::new(MapKind::Tree);
    map.comparator = comparator.map(Box::new);
    for (k, v) in entries {
        map.insert(Key(k), v);
    }
    Val::new_map(map)
}

fn new_tree_set<'a>(comparator: Option<Val<'a>>, items: impl Iterator<Item = Val<'a>>) -> Val<'a> {
    let mut set = JSet::new(SetKind::Tree);
    set.comparator = comparator.map(Box::new);
    for k in items {
        set.insert(Key(k), ());
    }
    Val::Set(Rc::new(RefCell::new(set)))
}

/// `new TreeMap()`, `new TreeMap(Comparator)` (null: natural order).
pub fn new_map<'a>(comparator: Option<Val<'a>>) -> Val<'a> {
    new_tree_map(comparator.filter(|c| !c.is_null()), std::iter::empty())
}

/// `new TreeSet()`, `new TreeSet(Comparator)` (null: natural order).
pub fn new_set<'a>(comparator: Option<Val<'a>>) -> Val<'a> {
    new_tree_set(comparator.filter(|c| !c.is_null()), std::iter::empty())
}

/// A method of a `TreeMap` that its order decides: the lookups and puts,
/// which compare keys, and SortedMap's and NavigableMap's. `None` for the
/// others, which any map answers alike.
pub fn map_call<'a>(it: &mut Interp<'a>, map: &Shared<JMap<'a>>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        let first_key = |map: &Shared<JMap<'a>>, last: bool| {
            let map = map.borrow();
            let at = if last { map.len().checked_sub(1) } else { Some(0) };
            at.and_then(|i| map.get_index(i).map(|(k, v)| (i, k.0.clone(), v.clone())))
        };
        Ok(Some(match (name, args) {
            ("get", [key]) => get(it, map, key)?.unwrap_or(Val::Null),
            ("getOrDefault", [key, default]) => get(it, map, key)?.unwrap_or_else(|| default.clone()),
            ("containsKey", [key]) => Val::Bool(find(it, &**map, key)?.is_some()),
            ("put", [key, value]) => put(it, map, key.clone(), value.clone())?,
            ("remove", [key]) => remove(it, map, key)?.unwrap_or(Val::Null),
            ("putAll", [other]) => {
                let entries = match other {
                    Val::Map(o) => map_entries(o),
                    other => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.Map]", other.class_name()))),
                };
                for (k, v) in entries {
                    put(it, map, k, v)?;
                }
                Val::Null
            }
            ("putIfAbsent", [key, value]) => match get(it, map, key)? {
                Some(v) if !v.is_null() => v,
                _ => {
                    put(it, map, key.clone(), value.clone())?;
                    Val::Null
                }
            },
            ("replace", [key, value]) => match find(it, &**map, key)? {
                Some(i) => match map.borrow_mut().get_index_mut(i) {
                    Some((_, slot)) => std::mem::replace(slot, value.clone().owned()),
                    None => Val::Null,
                },
                None => Val::Null,
            },
            ("replace", [key, old, value]) => match find(it, &**map, key)? {
                Some(i) => match map.borrow_mut().get_index_mut(i) {
                    Some((_, slot)) if old.java_equals(slot) => {
                        *slot = value.clone().owned();
                        Val::Bool(true)
                    }
                    _ => Val::Bool(false),
                },
                None => Val::Bool(false),
            },
            ("remove", [key, value]) => match find(it, &**map, key)? {
                Some(i) if map.borrow().get_index(i).is_some_and(|(_, v)| value.java_equals(v)) => {
                    map.borrow_mut().shift_remove_index(i);
                    Val::Bool(true)
                }
                _ => Val::Bool(false),
            },
            ("computeIfAbsent", [key, f]) => match get(it, map, key)? {
                Some(v) if !v.is_null() => v,
                _ => {
                    let v = it.call_func(f, &mut [key.clone()])?;
                    if !v.is_null() {
                        put(it, map, key.clone(), v.clone())?;
                    }
                    v
                }
            },
            ("computeIfPresent", [key, f]) => match get(it, map, key)? {
                Some(old) if !old.is_null() => {
                    let v = it.call_func(f, &mut [key.clone(), old])?;
                    store(it, map, key, &v)?;
                    v
                }
                _ => Val::Null,
            },
            ("compute", [key, f]) => {
                let old = get(it, map, key)?.unwrap_or(Val::Null);
                let v = it.call_func(f, &mut [key.clone(), old])?;
                store(it, map, key, &v)?;
                v
            }
            ("merge", [key, value, f]) => {
                let v = match get(it, map, key)? {
                    Some(old) if !old.is_null() => it.call_func(f, &mut [old, value.clone()])?,
                    _ => value.clone(),
                };
                store(it, map, key, &v)?;
                v
            }
            ("comparator", []) => map.borrow().comparator.as_deref().cloned().unwrap_or(Val::Null),
            ("firstKey" | "lastKey", []) => match first_key(map, name == "lastKey") {
                Some((_, k, _)) => k,
                None => return Err(Exc::bare("NoSuchElementException")),
            },
            ("firstEntry" | "lastEntry", []) => first_key(map, name == "lastEntry").map_or(Val::Null, |(_, k, v)| entry(k, v)),
            ("pollFirstEntry" | "pollLastEntry", []) => match first_key(map, name == "pollLastEntry") {
                Some((i, k, v)) => {
                    map.borrow_mut().shift_remove_index(i);
                    entry(k, v)
                }
                None => Val::Null,
            },
            ("ceilingKey" | "floorKey" | "higherKey" | "lowerKey" | "ceilingEntry" | "floorEntry" | "higherEntry" | "lowerEntry", [key]) => {
                let nav = Nav::of(name).expect("a navigation method");
                let found = navigate(it, &**map, nav, key)?.and_then(|i| map.borrow().get_index(i).map(|(k, v)| (k.0.clone(), v.clone())));
                match found {
                    Some((k, _)) if name.ends_with("Key") => k,
                    Some((k, v)) => entry(k, v),
                    None => Val::Null,
                }
            }
            ("headMap" | "tailMap" | "subMap", _) => {
                let Some((lo, hi)) = bounds(name, args) else { return Ok(None) };
                check_flags(name, args)?;
                let (from, to) = range(it, &**map, lo, hi)?;
                let map = map.borrow();
                let entries: Vec<(Val<'a>, Val<'a>)> = (from..to).filter_map(|i| map.get_index(i).map(|(k, v)| (k.0.clone(), v.clone()))).collect();
                new_tree_map(map.comparator.as_deref().cloned(), entries.into_iter())
            }
            ("descendingMap", []) => {
                let comparator = reversed(map.borrow().comparator.as_deref())?;
                let entries: Vec<(Val<'a>, Val<'a>)> = map.borrow().iter().rev().map(|(k, v)| (k.0.clone(), v.clone())).collect();
                new_tree_map(Some(comparator), entries.into_iter())
            }
            ("navigableKeySet", []) => Val::View(MapRef::Own(map.clone()), ViewKind::Keys),
            ("descendingKeySet", []) => {
                let comparator = reversed(map.borrow().comparator.as_deref())?;
                let keys: Vec<Val<'a>> = map.borrow().keys().rev().map(|k| k.0.clone()).collect();
                new_tree_set(Some(comparator), keys.into_iter())
            }
            _ => return Ok(None),
        }))
    })();
    r.transpose()
}

/// The end of `compute`, `computeIfPresent` and `merge`: a null value
/// removes the key, any other is put.
fn store<'a>(it: &mut Interp<'a>, map: &Shared<JMap<'a>>, key: &Val<'a>, value: &Val<'a>) -> R<()> {
    if value.is_null() {
        remove(it, map, key)?;
    } else {
        put(it, map, key.clone(), value.clone())?;
    }
    Ok(())
}

/// `TreeSet.add`: whether the element is new.
fn add<'a>(it: &mut Interp<'a>, set: &Shared<JSet<'a>>, item: Val<'a>) -> R<bool> {
    match place(it, &**set, &item)? {
        Ok(_) => Ok(false),
        Err(i) => {
            let mut set = set.borrow_mut();
            let at = i.min(set.len());
            set.shift_insert(at, Key(item.owned()), ());
            Ok(true)
        }
    }
}

/// A method of a `TreeSet` that its order decides: adds, lookups and
/// removals, which compare elements, and SortedSet's and NavigableSet's.
/// `None` for the others, which any set answers alike.
pub fn set_call<'a>(it: &mut Interp<'a>, set: &Shared<JSet<'a>>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        let end = |set: &Shared<JSet<'a>>, last: bool| {
            let set = set.borrow();
            let at = if last { set.len().checked_sub(1) } else { Some(0) };
            at.and_then(|i| set.get_index(i).map(|(k, _)| (i, k.0.clone())))
        };
        Ok(Some(match (name, args) {
            ("add", [item]) => Val::Bool(add(it, set, item.clone())?),
            ("addAll", [other]) => {
                let items = iter_items(other).ok_or_else(|| super::super::interp::jvm_cast_error(&other.class_name(), "java.util.Collection"))?;
                let mut changed = false;
                for item in items {
                    changed |= add(it, set, item)?;
                }
                Val::Bool(changed)
            }
            ("contains", [item]) => Val::Bool(find(it, &**set, item)?.is_some()),
            ("remove", [item]) => match find(it, &**set, item)? {
                Some(i) => Val::Bool(set.borrow_mut().shift_remove_index(i).is_some()),
                None => Val::Bool(false),
            },
            ("comparator", []) => set.borrow().comparator.as_deref().cloned().unwrap_or(Val::Null),
            ("first" | "last", []) => match end(set, name == "last") {
                Some((_, k)) => k,
                None => return Err(Exc::bare("NoSuchElementException")),
            },
            ("pollFirst" | "pollLast", []) => match end(set, name == "pollLast") {
                Some((i, k)) => {
                    set.borrow_mut().shift_remove_index(i);
                    k
                }
                None => Val::Null,
            },
            ("ceiling" | "floor" | "higher" | "lower", [item]) => {
                let nav = Nav::of(name).expect("a navigation method");
                navigate(it, &**set, nav, item)?.and_then(|i| set.key_at(i)).unwrap_or(Val::Null)
            }
            ("headSet" | "tailSet" | "subSet", _) => {
                let Some((lo, hi)) = bounds(name, args) else { return Ok(None) };
                check_flags(name, args)?;
                let (from, to) = range(it, &**set, lo, hi)?;
                let set = set.borrow();
                let items: Vec<Val<'a>> = (from..to).filter_map(|i| set.get_index(i).map(|(k, _)| k.0.clone())).collect();
                new_tree_set(set.comparator.as_deref().cloned(), items.into_iter())
            }
            ("descendingSet", []) => {
                let comparator = reversed(set.borrow().comparator.as_deref())?;
                let items: Vec<Val<'a>> = set.borrow().keys().rev().map(|k| k.0.clone()).collect();
                new_tree_set(Some(comparator), items.into_iter())
            }
            ("descendingIterator", []) => {
                let items: Vec<Val<'a>> = set.borrow().keys().rev().map(|k| k.0.clone()).collect();
                super::collections::new_iterator(items, super::collections::IterFrom::Element(Val::Set(set.clone())))
            }
            _ => return Ok(None),
        }))
    })();
    r.transpose()
}

#[cfg(test)]
mod tests {
    use super::super::super::script_outcome as run;

    fn cast(from: &str, to: &str) -> String {
        format!("class_cast_exception: class {from} cannot be cast to class {to} ({from} and {to} are in module java.base of loader 'bootstrap')")
    }

    const K1_NULL: &str = r#"null_pointer_exception: Cannot invoke "java.lang.Comparable.compareTo(Object)" because "k1" is null"#;

    /// A `TreeMap` with a comparator orders, finds and merges keys by it;
    /// the SortedMap and NavigableMap members answer as OpenJDK 17's (each
    /// expected value is what a small Java program printed for the same
    /// calls on JDK 17).
    #[test]
    fn tree_maps_order_by_their_comparator() {
        let m = "def m = new TreeMap((x, y) -> x.length() - y.length()); m.put('bb', 1); m.put('a', 2); m.put('cc', 3); m.put('ddd', 4)";
        let cases = [
            ("m.toString()", r#""{a=2, bb=3, ddd=4}""#),
            ("m", r#"{"a":2,"bb":3,"ddd":4}"#),
            ("[m.get('zz'), m.zz, m['zz'], m.containsKey('q'), m.getOrDefault('qqqq', 0)]", "[3,3,3,true,0]"),
            ("[m.firstKey(), m.lastKey(), m.firstEntry().toString(), m.lastEntry().toString()]", r#"["a","ddd","a=2","ddd=4"]"#),
            ("[m.headMap('bb'), m.tailMap('bb'), m.subMap('a', 'ddd')].toString()", r#""[{a=2}, {bb=3, ddd=4}, {a=2, bb=3}]""#),
            ("[m.headMap('bb', true), m.tailMap('bb', false), m.subMap('a', false, 'ddd', true)].toString()", r#""[{a=2, bb=3}, {ddd=4}, {bb=3, ddd=4}]""#),
            ("[m.ceilingKey('xx'), m.floorKey('xxxxx'), m.higherKey('xx'), m.lowerKey('a'), m.ceilingKey('xxxx'), m.lowerEntry('xx').toString()]", r#"["bb","ddd","ddd",null,null,"a=2"]"#),
            ("m.descendingMap().toString()", r#""{ddd=4, bb=3, a=2}""#),
            ("[m.pollFirstEntry().toString(), m.pollLastEntry().toString(), m.toString()]", r#"["a=2","ddd=4","{bb=3}"]"#),
            ("[m.remove('zz'), m.size()]", "[3,2]"),
            ("[m.putIfAbsent('x', 9), m.merge('yy', 1, (a, b) -> a + b), m.compute('zzz', (k, v) -> null), m.computeIfAbsent('qqqqq', k -> 5), m].toString()", r#""[2, 4, null, 5, {a=2, bb=4, qqqqq=5}]""#),
        ];
        for (expr, want) in cases {
            assert_eq!(run(&format!("{m}; {expr}")), want, "{expr}");
        }
        // A key comparing equal is the key already there: it keeps its text.
        assert_eq!(run("def m = new TreeMap((x, y) -> x.compareToIgnoreCase(y)); m.a = 1; m.A = 2; m.b = 3; [m.toString(), m.B, m.remove('B'), m]"), r#"["{a=2, b=3}",3,3,{"a":2}]"#);
        assert_eq!(run("def m = new TreeMap(Comparator.reverseOrder()); m.a = 1; m.c = 2; m.b = 3; [m.toString(), m.descendingMap().toString(), m.descendingKeySet().toString(), m.navigableKeySet().toString(), m.equals(['a': 1, 'b': 3, 'c': 2])]"), r#"["{c=2, b=3, a=1}","{a=1, b=3, c=2}","[a, b, c]","[c, b, a]",true]"#);
        assert_eq!(run("def m = new TreeMap(Comparator.nullsFirst(Comparator.naturalOrder())); m.a = 1; m.put(null, 2); [m.toString(), m.get(null)]"), r#"["{null=2, a=1}",2]"#);
        // Stored in the document in the tree's order.
        assert_eq!(run("def m = new TreeMap(Comparator.reverseOrder()); m.a = 1; m.c = 2; m.b = 3; m"), r#"{"c":2,"b":3,"a":1}"#);
        assert_eq!(run("def c = Comparator.reverseOrder(); def m = new TreeMap(c); [m.comparator() == c, new TreeMap().comparator(), new TreeMap(null).comparator()]"), "[true,null,null]");
        // A comparator's failure is the put's (here Painless's, the lambda's
        // parameters being `def`).
        assert_eq!(run("def m = new TreeMap((x, y) -> x.length() - y.length()); m.a = 1; m[1] = 2"), "illegal_argument_exception: dynamic method [java.lang.Integer, length/0] not found");
        assert_eq!(run("new TreeMap([:])"), cast("java.util.HashMap", "java.util.Comparator"));
    }

    /// A natural-order `TreeMap` refuses what OpenJDK 17's refuses, where
    /// it refuses it.
    #[test]
    fn natural_tree_maps_refuse_keys_as_the_jdk() {
        assert_eq!(run("def m = new TreeMap(); m[10] = 1; m[2] = 1; m[-1] = 1; [m.toString(), new ArrayList(m.keySet())]"), r#"["{-1=1, 2=1, 10=1}",[-1,2,10]]"#);
        assert_eq!(run("new TreeMap().put(null, 1)"), K1_NULL);
        assert_eq!(run("def m = new TreeMap(); m.a = 1; m.put(null, 1)"), "null_pointer_exception: ");
        assert_eq!(run("new TreeMap().get(null)"), "null_pointer_exception: ");
        assert_eq!(run("def m = new TreeMap(); m.a = 1; m.put(1, 1)"), cast("java.lang.String", "java.lang.Integer"));
        assert_eq!(run("def m = new TreeMap(); m.a = 1; m.get(1)"), cast("java.lang.String", "java.lang.Integer"));
        assert_eq!(run("def m = new TreeMap(); m.a = 1; m[1]"), cast("java.lang.String", "java.lang.Integer"));
        assert_eq!(run("new TreeMap().put([], 1)"), cast("java.util.ArrayList", "java.lang.Comparable"));
        assert_eq!(run("new TreeMap().firstKey()"), "no_such_element_exception: ");
        assert_eq!(run("new TreeMap().lastKey()"), "no_such_element_exception: ");
        assert_eq!(run("[new TreeMap().firstEntry(), new TreeMap().pollLastEntry(), new TreeMap().ceilingKey(null)]"), "[null,null,null]");
        assert_eq!(run("def m = new TreeMap(); m.b = 1; m.subMap('z', 'a')"), "illegal_argument_exception: fromKey > toKey");
        assert_eq!(run("new TreeMap().headMap(null)"), K1_NULL);
        assert_eq!(run("def m = new TreeMap(); m.a = 1; m.ceilingKey(null)"), K1_NULL);
        assert_eq!(run("def m = new TreeMap(); m.a = 1; m.headMap('b', 1)"), "class_cast_exception: cannot cast def [int] to boolean");
    }

    /// A `TreeSet`, natural or with a comparator, as OpenJDK 17's.
    #[test]
    fn tree_sets_order_by_their_comparator() {
        let s = "def s = new TreeSet(Comparator.reverseOrder()); s.add('a'); s.add('c'); s.add('b')";
        let cases = [
            ("s.toString()", r#""[c, b, a]""#),
            ("new ArrayList(s)", r#"["c","b","a"]"#),
            ("[s.first(), s.last(), s.ceiling('bb'), s.floor('bb'), s.higher('b'), s.lower('b')]", r#"["c","a","b","c","a","c"]"#),
            ("[s.headSet('b'), s.tailSet('b'), s.subSet('c', 'a'), s.descendingSet()].toString()", r#""[[c], [b, a], [c, b], [a, b, c]]""#),
            ("[s.pollFirst(), s.pollLast(), s.toString(), s.add('b'), s.add('d'), s.contains('d')]", r#"["c","a","[b]",false,true,true]"#),
            ("def i = s.descendingIterator(); def out = []; while (i.hasNext()) { out.add(i.next()) } def r = out; r", r#"["a","b","c"]"#),
        ];
        for (expr, want) in cases {
            assert_eq!(run(&format!("{s}; {expr}")), want, "{expr}");
        }
        assert_eq!(run("def s = new TreeSet(); s.addAll(['b', 'a', 'b']); [s.toString(), s.headSet('b', true).toString(), s.tailSet('a', false).toString(), s.subSet('a', true, 'b', true).toString(), s.equals(new HashSet(['a', 'b']))]"), r#"["[a, b]","[a, b]","[b]","[a, b]",true]"#);
        assert_eq!(run("def s = new TreeSet((a, b) -> b - a); s.addAll([3, 1, 2]); [s.toString(), s.stream().map(x -> x * 10).collect(Collectors.toList()), s.remove(2), new ArrayList(s)]"), r#"["[3, 2, 1]",[30,20,10],true,[3,1]]"#);
        assert_eq!(run("new TreeSet().add(null)"), K1_NULL);
        assert_eq!(run("def s = new TreeSet(); s.add('a'); s.add(null)"), "null_pointer_exception: ");
        assert_eq!(run("new TreeSet().contains(null)"), "null_pointer_exception: ");
        assert_eq!(run("def s = new TreeSet(); s.add('a'); s.contains(1)"), cast("java.lang.String", "java.lang.Integer"));
        assert_eq!(run("def s = new TreeSet(); s.add('a'); s.remove(1)"), cast("java.lang.String", "java.lang.Integer"));
        assert_eq!(run("new TreeSet().first()"), "no_such_element_exception: ");
        assert_eq!(run("new TreeSet().pollFirst()"), "null");
        assert_eq!(run("new TreeSet([1])"), cast("java.util.ArrayList", "java.util.Comparator"));
    }

    /// Each set and sorted map is its own class: a `LinkedHashSet` is a
    /// `HashSet` iterating in insertion order, a `TreeSet` is a
    /// `SortedSet`/`NavigableSet` and no `HashSet`, a `TreeMap` a
    /// `SortedMap`/`NavigableMap`.
    #[test]
    fn sets_and_sorted_maps_are_their_own_classes() {
        assert_eq!(run("def s = new LinkedHashSet(); s.add('b'); s.add('a'); s.add('Aa'); [s.toString(), new ArrayList(s)]"), r#"["[b, a, Aa]",["b","a","Aa"]]"#);
        assert_eq!(run("def s = new HashSet(); s.add('b'); s.add('a'); s.add('Aa'); s.toString()"), r#""[Aa, a, b]""#);
        assert_eq!(
            run("def t = new TreeSet(); def l = new LinkedHashSet(); def h = new HashSet(); [t instanceof Set, t instanceof HashSet, t instanceof TreeSet, t instanceof SortedSet, t instanceof NavigableSet, t instanceof LinkedHashSet, l instanceof HashSet, l instanceof LinkedHashSet, l instanceof TreeSet, h instanceof HashSet, h instanceof LinkedHashSet, h instanceof SortedSet]"),
            "[true,false,true,true,true,false,true,true,false,true,false,false]"
        );
        assert_eq!(run("def m = new TreeMap(); [m instanceof SortedMap, m instanceof NavigableMap, m instanceof HashMap, new HashMap() instanceof SortedMap, new LinkedHashMap() instanceof NavigableMap]"), "[true,true,false,false,false]");
        assert_eq!(run("def s = new LinkedHashSet(); (List) s"), cast("java.util.LinkedHashSet", "java.util.List"));
        assert_eq!(run("def s = new TreeSet(); (List) s"), cast("java.util.TreeSet", "java.util.List"));
    }

    /// `clone()` of the collections java.util.txt gives one: shallow
    /// copies of the same class, order and comparator.
    #[test]
    fn collections_clone_shallowly() {
        assert_eq!(run("def l = [1, [2]]; def c = l.clone(); c.add(3); c[1].add(4); [l, c]"), "[[1,[2,4]],[1,[2,4],3]]");
        assert_eq!(run("def m = new TreeMap(Comparator.reverseOrder()); m.a = 1; m.b = 2; def c = m.clone(); c.c = 3; [c.toString(), m.toString(), c instanceof TreeMap]"), r#"["{c=3, b=2, a=1}","{b=2, a=1}",true]"#);
        assert_eq!(run("def s = new LinkedHashSet(['b', 'a']); def c = s.clone(); [c.toString(), c instanceof LinkedHashSet, new LinkedList([1]).clone() instanceof LinkedList]"), r#"["[b, a]",true,true]"#);
        assert_eq!(run("ctx.clone()"), "illegal_argument_exception: dynamic method [org.elasticsearch.ingest.IngestCtxMap, clone/0] not found");
    }
}

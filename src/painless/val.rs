//! Runtime values: Java objects with reference semantics.
//!
//! Lists, maps, sets and arrays are shared (`Rc<RefCell<..>>`) so that an
//! alias (`def m = ctx.user; m.name = 'x'`) and a view
//! (`map.values().removeIf(..)`) change the one object, as in Java.
//! Conditions read the document in place: the `Doc` variants borrow the
//! caller's `Value`s and refuse mutation, which is also what Elasticsearch
//! does to `ctx` inside an `if`.

use super::compile::LambdaCode;
use super::lib::Obj;
use crate::document::metadata;
use crate::value::{Map as ValueMap, Value};
use indexmap::{Equivalent, IndexMap};
use std::cell::{OnceCell, RefCell};
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

thread_local! {
    /// How many times, on this thread, the contents of a script map or list
    /// were handed out for change. A script run that leaves it where it
    /// was changed no container, so the document it was copied from is
    /// still exactly what it would write back.
    static CONTAINER_CHANGES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn note_container_change() {
    CONTAINER_CHANGES.with(|c| c.set(c.get().wrapping_add(1)));
}

/// See [`CONTAINER_CHANGES`]: compare before and after a script runs.
pub fn container_changes() -> u64 {
    CONTAINER_CHANGES.with(|c| c.get())
}

/// A script list's items. Every change goes through `DerefMut`, which
/// notes it (see [`container_changes`]); reading goes through `Deref`.
///
/// A list copied from the document is copied when first used: until
/// then it holds exactly the document list's values, which a `removeIf`
/// over strings and scalars goes through in place (see
/// [`JList::uncopied`]), so walking such a list makes nothing. The items,
/// once made, stay the list's, so aliases of the containers among them
/// stay aliases.
#[derive(Debug, Default)]
pub struct JList<'a> {
    /// Unset only while `copied_from` holds the list still to copy.
    items: OnceCell<Vec<Val<'a>>>,
    /// The document list this one is a copy of.
    copied_from: Option<&'a Vec<Value>>,
    /// A `java.util.LinkedList` (`new LinkedList()`) rather than an
    /// `ArrayList`: the same items and list methods, another class (its
    /// name, `instanceof`, casts) and the `Deque` methods besides.
    pub linked: bool,
}

impl<'a> JList<'a> {
    /// A copy of a document list, made when first used.
    fn copy_of(l: &'a Vec<Value>) -> JList<'a> {
        JList { items: OnceCell::new(), copied_from: Some(l), linked: false }
    }

    /// The document list still to copy, while the items are not made:
    /// the list then holds exactly its values.
    pub fn uncopied(&self) -> Option<&'a Vec<Value>> {
        match self.items.get() {
            None => self.copied_from,
            Some(_) => None,
        }
    }

    /// The number of items, without making them.
    pub fn len(&self) -> usize {
        match (self.items.get(), self.copied_from) {
            (None, Some(doc)) => doc.len(),
            _ => self.items().len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn items(&self) -> &Vec<Val<'a>> {
        self.items.get_or_init(|| self.copied_from.map(|l| l.iter().map(Val::from_doc_copy).collect()).unwrap_or_default())
    }

    /// Whether there are no items of its own to drop (none made, or none).
    fn owns_no_items(&self) -> bool {
        self.items.get().is_none_or(Vec::is_empty)
    }

    /// The items, taken out by a drop: the list is unreachable then, so
    /// this changes nothing a script can see and is not noted. A list
    /// still to copy holds nothing of its own.
    fn take_for_drop(&mut self) -> Vec<Val<'a>> {
        self.items.take().unwrap_or_default()
    }
}

impl<'a> From<Vec<Val<'a>>> for JList<'a> {
    fn from(items: Vec<Val<'a>>) -> JList<'a> {
        JList { items: OnceCell::from(items), copied_from: None, linked: false }
    }
}

impl<'a> std::ops::Deref for JList<'a> {
    type Target = Vec<Val<'a>>;
    fn deref(&self) -> &Self::Target {
        self.items()
    }
}

impl std::ops::DerefMut for JList<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.items();
        note_container_change();
        self.items.get_mut().expect("items made just now")
    }
}

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
    /// `TreeMap`: its entries kept in key order, natural or its
    /// comparator's ([`JMap::comparator`]), by `lib::sorted`, which every
    /// put into one goes through.
    Tree,
    /// The ingest script's `ctx`: Elasticsearch's `IngestCtxMap`, an
    /// `AbstractMap` over the source map and the metadata (see
    /// [`JavaOrder::of_ctx`] for its iteration order). It goes back into the
    /// document as a `Document` map does.
    Ctx,
}

pub type Entries<'a> = IndexMap<Key<'a>, Val<'a>, FastHash>;

/// A script map: entries in insertion order plus the Java class's iteration rule.
///
/// A map copied from the document is copied when first used, not when
/// its parent is: a script that reads `ctx.source?.domain` copies
/// `source` but none of the maps inside it. And until the script changes
/// it, or uses it in a way the document map cannot answer, only its
/// values are copied, and only once a container among them is needed:
/// lookups, its size and its iteration read the document map's keys (and
/// its scalars and strings), which spares building a hash table for every
/// map a script only walks. Every other use of the entries goes through
/// `Deref`/`DerefMut`, which make them first, so the laziness is
/// invisible; the values (the child maps among them) are made once and
/// then moved into the entries, so aliases of them stay aliases. (Hence
/// no `Clone`: a clone of a map not yet copied would make its child maps
/// a second time.)
#[derive(Debug)]
pub struct JMap<'a> {
    /// Unset only while `copied_from` holds the map still to copy.
    /// Changed only through `DerefMut`, which forgets `copied_from`.
    entries: OnceCell<Entries<'a>>,
    /// While `entries` is unset: what the script put into the map since
    /// it was copied, in order (see [`JMap::put`]). Entries made from
    /// `copied_from` include them; they then stay, unread, as the mark
    /// that the entries are no longer the document map's, until
    /// `DerefMut` clears them with `copied_from`.
    puts: Vec<Put<'a>>,
    /// While `entries` is unset: the values of `copied_from`, in its
    /// order, once something needed them. Shared with a `removeIf` going
    /// through them (see [`JMap::uncopied_snapshot`]).
    values: RefCell<Option<Rc<Vec<Val<'a>>>>>,
    pub kind: MapKind,
    /// The document map this one was copied from, as long as it holds
    /// exactly the entries copied (the containers among them may have
    /// changed since) with the `puts` over them: writing it back can
    /// skip its keys and scalars.
    copied_from: Option<&'a ValueMap>,
    /// How many times the entries were handed out for change (`DerefMut`,
    /// [`JMap::remove_at`]): positions noted before a call back into the
    /// script still hold after it if this has not moved.
    changes: u64,
    /// A `TreeMap`'s comparator (`new TreeMap(Comparator)`); none for
    /// natural order and every other map. Boxed: most maps never have one.
    pub comparator: Option<Box<Val<'a>>>,
}

impl<'a> JMap<'a> {
    pub fn new(kind: MapKind) -> JMap<'a> {
        JMap::with_capacity(kind, 0)
    }

    /// An empty map with room for `capacity` entries.
    pub fn with_capacity(kind: MapKind, capacity: usize) -> JMap<'a> {
        let entries = OnceCell::from(IndexMap::with_capacity_and_hasher(capacity, FastHash::default()));
        JMap { entries, puts: Vec::new(), values: RefCell::new(None), kind, copied_from: None, changes: 0, comparator: None }
    }

    /// A copy of a document map, made when first used.
    fn copy_of(m: &'a ValueMap) -> JMap<'a> {
        JMap { entries: OnceCell::new(), puts: Vec::new(), values: RefCell::new(None), kind: MapKind::Document, copied_from: Some(m), changes: 0, comparator: None }
    }

    /// The document map whose entries this map still holds, in its order,
    /// with the same keys, scalars and strings, and each container value
    /// the one copied from the document's (though it may have changed).
    pub fn unchanged_copy_of(&self) -> Option<&'a ValueMap> {
        self.copied_from.filter(|_| self.puts.is_empty())
    }

    /// For a map still to copy that the script put entries into: the
    /// document map and the puts, which are all that differs from it
    /// (besides changes inside the containers among its values).
    pub fn puts_into_copy(&self) -> Option<(&'a ValueMap, &[Put<'a>])> {
        match (self.entries.get(), self.copied_from) {
            (None, Some(doc)) if !self.puts.is_empty() => Some((doc, &self.puts)),
            _ => None,
        }
    }

    /// Whether nothing in or under the map can have changed: its entries
    /// were never made and none of its containers handed out (reading its
    /// scalars and strings changes nothing). It is still exactly
    /// `unchanged_copy_of()`.
    pub fn untouched(&self) -> bool {
        self.uncopied().is_some() && self.values.try_borrow().is_ok_and(|v| v.is_none())
    }

    /// The document map still to copy, while the entries are not made
    /// and nothing was put into the map: it then holds exactly the
    /// document map's entries.
    fn uncopied(&self) -> Option<&'a ValueMap> {
        match self.entries.get() {
            None if self.puts.is_empty() => self.copied_from,
            _ => None,
        }
    }

    /// The value at `i` in `doc`, the map still to copy. Scalars and
    /// strings come straight from the document: they have no identity to
    /// keep, so reading them makes nothing, and a map only read for them
    /// stays untouched. Containers come from the values, made once, so
    /// every reader gets the same object.
    fn uncopied_value(&self, doc: &'a ValueMap, i: usize) -> Option<Val<'a>> {
        match doc.get_index(i)?.1 {
            Value::Map(_) | Value::List(_) => self.uncopied_values(doc).get(i).cloned(),
            scalar => Some(Val::from_doc(scalar)),
        }
    }

    /// The values of `doc`, the map still to copy, made now if not yet.
    fn uncopied_values(&self, doc: &'a ValueMap) -> std::cell::Ref<'_, [Val<'a>]> {
        if self.values.borrow().is_none() {
            *self.values.borrow_mut() = Some(Rc::new(doc.values().map(Val::from_doc_copy).collect()));
        }
        std::cell::Ref::map(self.values.borrow(), |values| values.as_deref().map_or(&[][..], Vec::as_slice))
    }

    /// The values in entry order, as far as they are made: all of them,
    /// or none for an untouched map.
    pub fn values_in_order(&self, mut f: impl FnMut(usize, &Val<'a>)) {
        match self.entries.get() {
            Some(entries) => entries.values().enumerate().for_each(|(i, v)| f(i, v)),
            None => {
                if let Some(values) = self.values.try_borrow().ok().as_deref().and_then(Option::as_ref) {
                    values.iter().enumerate().for_each(|(i, v)| f(i, v));
                }
            }
        }
    }

    /// The number of entries, without making them.
    pub fn len(&self) -> usize {
        match (self.entries.get(), self.copied_from) {
            (None, Some(doc)) => doc.len() + self.puts.iter().filter(|put| put.at.is_none()).count(),
            _ => self.entries().len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value under a string key, without making the entries.
    pub fn get_str(&self, key: &str) -> Option<Val<'a>> {
        match (self.entries.get(), self.copied_from) {
            (None, Some(doc)) => match self.puts.iter().find(|put| put.key_is(key)) {
                Some(put) => Some(put.value.clone()),
                None => doc.get_index_of(key).and_then(|i| self.uncopied_value(doc, i)),
            },
            _ => self.entries().get(&StrKey(key)).cloned(),
        }
    }

    /// Puts `value` under `key`, as `insert` does. A map still to copy
    /// notes the put instead of making its entries, when the key is a
    /// string: a script that adds or replaces a field of a document map
    /// then neither copies the map nor has it compared whole on the way
    /// back (see `doc_patch`).
    pub fn put(&mut self, key: Key<'a>, value: Val<'a>) {
        match (&key.0, self.copied_from.filter(|_| self.entries.get().is_none())) {
            (Val::Str(text), Some(doc)) => {
                let at = doc.get_index_of(&**text);
                let text = text.clone();
                self.put_into_copy(at, text, value);
            }
            _ => {
                self.insert(key, value);
            }
        }
    }

    /// [`JMap::put`] under the string `key`, whose text is copied only if
    /// the map lacks it.
    pub fn put_str(&mut self, key: &str, value: Val<'a>) {
        match self.copied_from.filter(|_| self.entries.get().is_none()) {
            Some(doc) => match doc.get_full(key) {
                Some((at, doc_key, _)) => self.put_into_copy(Some(at), Str::Doc(doc_key), value),
                None => self.put_into_copy(None, Str::Own(key.into()), value),
            },
            None => match self.get_mut(&StrKey(key)) {
                Some(slot) => *slot = value,
                None => {
                    self.insert(Key(Val::str(key)), value);
                }
            },
        }
    }

    /// Notes a put into a map still to copy, under the key `text`, found
    /// at `at` in the document map (`None`: not there).
    fn put_into_copy(&mut self, at: Option<usize>, text: Str<'a>, value: Val<'a>) {
        self.changes += 1;
        note_container_change();
        match self.puts.iter_mut().find(|put| put.key_is(&text)) {
            Some(put) => put.value = value,
            None => self.puts.push(Put { at, key: Key(Val::Str(text)), value }),
        }
    }

    fn entries(&self) -> &Entries<'a> {
        match self.entries.get() {
            Some(entries) => entries,
            None => self.entries.get_or_init(|| self.copy_entries()),
        }
    }

    /// The entries of the document map still to copy: keys and strings
    /// borrowed, the values already made moved in, maps copied when first used.
    #[cold]
    fn copy_entries(&self) -> Entries<'a> {
        let m = self.copied_from.expect("an uncopied map knows its document map");
        let mut out = IndexMap::with_capacity_and_hasher(m.len(), FastHash::default());
        let keys = m.keys().map(|k| Key(Val::Str(Str::Doc(k))));
        // A reader still holding the values (never the case when the
        // entries are needed) would share them instead.
        let made = match self.values.try_borrow_mut() {
            Ok(mut values) => values.take(),
            Err(_) => self.values.borrow().clone(),
        };
        match made.map(unshared) {
            Some(values) => out.extend(keys.zip(values)),
            None => out.extend(keys.zip(m.values().map(Val::from_doc_copy))),
        }
        for put in &self.puts {
            out.insert(put.key.clone(), put.value.clone());
        }
        out
    }

    fn entries_mut(&mut self) -> Option<&mut Entries<'a>> {
        self.entries.get_mut()
    }

    /// Entries in the order Java would iterate them.
    pub fn ordered(&self) -> Vec<(Val<'a>, Val<'a>)> {
        let entry = |(k, v): (&Key<'a>, &Val<'a>)| (k.0.clone(), v.clone());
        if let Some(doc) = self.uncopied().filter(|_| self.kind != MapKind::Tree) {
            return self.ordered_uncopied(doc);
        }
        match self.kind {
            MapKind::Hash | MapKind::Document if self.len() > 1 => {
                let entries = self.entries();
                in_java_order(entries.keys().map(|k| java_hash_code(&k.0)), entries.len(), |i| entries.get_index(i).map(entry))
            }
            MapKind::Ctx => {
                let entries = self.entries();
                let order = JavaOrder::of_ctx(entries.keys().map(|k| (k.0.as_str(), java_hash_code(&k.0))));
                order.positions().filter_map(|i| entries.get_index(i).map(entry)).collect()
            }
            _ => self.iter().map(entry).collect(),
        }
    }

    /// [`JMap::ordered`] for a map still to copy from `doc`: the values
    /// are made only when one of them is a container (see
    /// [`JMap::uncopied_value`]), so walking a map of scalars makes nothing.
    fn ordered_uncopied(&self, doc: &'a ValueMap) -> Vec<(Val<'a>, Val<'a>)> {
        let made = doc.values().any(|v| matches!(v, Value::Map(_) | Value::List(_))).then(|| self.uncopied_values(doc));
        let entry = |i: usize| {
            let (k, v) = doc.get_index(i)?;
            let v = match &made {
                Some(values) => values.get(i)?.clone(),
                None => Val::from_doc(v),
            };
            Some((Val::Str(Str::Doc(k)), v))
        };
        let order = match self.kind {
            MapKind::Hash | MapKind::Document if doc.len() > 1 => JavaOrder::of_doc(doc),
            MapKind::Ctx => JavaOrder::of_ctx_doc(doc),
            _ => return (0..doc.len()).filter_map(entry).collect(),
        };
        let mut out = Vec::with_capacity(order.len());
        out.extend(order.positions().filter_map(entry));
        out
    }

    /// For a map still to copy: the document map and, when it holds a
    /// container, its values as made, shared (the others are read from
    /// the document): what the map holds now, for a caller to go through
    /// while the script may change the map.
    pub fn uncopied_snapshot(&self) -> Option<(&'a ValueMap, Option<Rc<Vec<Val<'a>>>>)> {
        let doc = self.uncopied()?;
        if !doc.values().any(|v| matches!(v, Value::Map(_) | Value::List(_))) {
            return Some((doc, None));
        }
        drop(self.uncopied_values(doc));
        Some((doc, self.values.try_borrow().ok()?.clone()))
    }

    /// How many times the entries were handed out for change: equal before
    /// and after a call, the map's positions are the same.
    pub fn changes(&self) -> u64 {
        self.changes
    }

    /// Removes the entries at `positions` (ascending) in one pass, keeping
    /// the others in their order. A map still to copy makes entries of the
    /// kept ones only.
    pub fn remove_at(&mut self, positions: &[usize]) {
        if let Some(doc) = self.uncopied() {
            let mut made = self.values.get_mut().take().map(|values| unshared(values).into_iter());
            let mut doomed = positions.iter().peekable();
            let mut kept = IndexMap::with_capacity_and_hasher(doc.len().saturating_sub(positions.len()), FastHash::default());
            for (i, (k, v)) in doc.iter().enumerate() {
                let value = made.as_mut().and_then(Iterator::next);
                if doomed.next_if_eq(&&i).is_none() {
                    kept.insert(Key(Val::Str(Str::Doc(k))), value.unwrap_or_else(|| Val::from_doc_copy(v)));
                }
            }
            // Unset while the map is still to copy.
            let _ = self.entries.set(kept);
            self.copied_from = None;
            self.changes += 1;
            note_container_change();
            return;
        }
        let mut doomed = positions.iter().peekable();
        let mut i = 0;
        (**self).retain(|_, _| {
            let gone = doomed.next_if_eq(&&i).is_some();
            i += 1;
            !gone
        });
    }

    fn drop_values(&mut self) {
        drop(std::mem::take(&mut self.puts));
        drop(self.values.get_mut().take());
        if let Some(entries) = self.entries.get_mut() {
            drop(std::mem::take(entries));
        }
    }

    /// Takes the values out, for a drop that does not recurse.
    fn take_values(&mut self) -> Vec<Val<'a>> {
        let mut values = self.values.get_mut().take().map(unshared).unwrap_or_default();
        values.extend(self.puts.drain(..).map(|put| put.value));
        if let Some(entries) = self.entries.get_mut() {
            values.extend(entries.drain(..).map(|(_, v)| v));
        }
        values
    }
}

/// An entry put into a map still to copy (see [`JMap::put`]).
#[derive(Debug)]
pub struct Put<'a> {
    /// Where the key is in the document map; `None` for a key it lacks,
    /// which the put adds after the document's entries.
    pub at: Option<usize>,
    pub key: Key<'a>,
    pub value: Val<'a>,
}

impl Put<'_> {
    fn key_is(&self, key: &str) -> bool {
        matches!(&self.key.0, Val::Str(s) if **s == *key)
    }
}

/// What `item` gives for each of the `len` keys whose `String.hashCode`s
/// `hashes` gives, in the order a Java `HashMap` iterates them (see
/// [`JavaOrder`]), made straight into a vector of the final length.
fn in_java_order<T>(hashes: impl Iterator<Item = i32>, len: usize, item: impl FnMut(usize) -> Option<T>) -> Vec<T> {
    let order = JavaOrder::of(hashes, len);
    let mut out = Vec::with_capacity(order.len());
    out.extend(order.positions().filter_map(item));
    out
}

/// The positions of a map's keys in the order a Java `HashMap` iterates
/// them: by bucket, each key's bucket computed once, a bucket's keys in
/// insertion order. Nearly every map has at most 24 keys (a table of
/// 32): those are ordered on the stack and kept in bytes.
pub enum JavaOrder {
    Inline(u8, [u8; 24]),
    /// Each position in the low 32 bits of a word whose high bits held
    /// what it was sorted by: sorting words is cheaper than pairs, and
    /// the words are kept as they were sorted.
    Spilled(Vec<u64>),
}

impl JavaOrder {
    /// The order of the `len` keys whose `String.hashCode`s `hashes` gives.
    pub fn of(hashes: impl Iterator<Item = i32>, len: usize) -> JavaOrder {
        let capacity = java_table_capacity(len);
        if len <= 24 {
            // Each key inserted where it goes as it comes, behind the keys
            // of its bucket and before those of later buckets: maps are
            // small, so this costs less than sorting afterwards.
            let mut positions = [0u8; 24];
            let mut buckets = [0u8; 24];
            let mut n = 0;
            for h in hashes.take(24) {
                let bucket = java_hash_bucket(h, capacity) as u8;
                let mut at = n;
                while at > 0 && buckets[at - 1] > bucket {
                    buckets[at] = buckets[at - 1];
                    positions[at] = positions[at - 1];
                    at -= 1;
                }
                buckets[at] = bucket;
                positions[at] = n as u8;
                n += 1;
            }
            JavaOrder::Inline(n as u8, positions)
        } else {
            let mut slots: Vec<u64> = hashes.enumerate().map(|(i, h)| (java_hash_bucket(h, capacity) as u64) << 32 | i as u64).collect();
            slots.sort_unstable();
            JavaOrder::Spilled(slots)
        }
    }

    /// The order of a document map's keys, from the digests it keeps of
    /// them, which are their `String.hashCode`s.
    pub fn of_doc(doc: &ValueMap) -> JavaOrder {
        if doc.len() < 2 {
            return JavaOrder::Inline(doc.len() as u8, [0; 24]);
        }
        JavaOrder::of(doc.digests().map(|d| d as i32), doc.len())
    }

    /// The order `CtxMap.entrySet()` iterates an ingest document's `ctx`
    /// in (server/src/main/java/org/elasticsearch/script/CtxMap.java): the
    /// source map's entries first, in that `HashMap`'s order (a table sized
    /// for the source keys alone), then the metadata keys present, in
    /// `document::metadata::ITERATION_ORDER`. `keys` gives each key of the
    /// map, by position, with its `hashCode`.
    pub fn of_ctx<'k>(keys: impl ExactSizeIterator<Item = (Option<&'k str>, i32)>) -> JavaOrder {
        let len = keys.len();
        let mut metadata = [u32::MAX; metadata::ITERATION_ORDER.len()];
        let present = |metadata: [u32; 8]| metadata.into_iter().filter(|&p| p != u32::MAX);
        if len <= 24 {
            let mut hashes = [0i32; 24];
            let mut positions = [0u8; 24];
            let mut sources = 0;
            for (i, (key, hash)) in keys.enumerate().take(24) {
                match key.and_then(metadata::iteration_rank) {
                    Some(rank) => metadata[rank] = i as u32,
                    None => {
                        hashes[sources] = hash;
                        positions[sources] = i as u8;
                        sources += 1;
                    }
                }
            }
            let source = JavaOrder::of(hashes[..sources].iter().copied(), sources);
            let mut order = [0u8; 24];
            let mut n = 0;
            for p in source.positions().map(|k| positions[k]).chain(present(metadata).map(|p| p as u8)) {
                order[n] = p;
                n += 1;
            }
            return JavaOrder::Inline(n as u8, order);
        }
        // The source keys' hashes first, then, once their number (and so
        // the table's) is known, their buckets.
        let mut slots = Vec::with_capacity(len);
        for (i, (key, hash)) in keys.enumerate() {
            match key.and_then(metadata::iteration_rank) {
                Some(rank) => metadata[rank] = i as u32,
                None => slots.push((hash as u32 as u64) << 32 | i as u64),
            }
        }
        let capacity = java_table_capacity(slots.len());
        for slot in &mut slots {
            let bucket = java_hash_bucket((*slot >> 32) as u32 as i32, capacity);
            *slot = (bucket as u64) << 32 | (*slot & u64::from(u32::MAX));
        }
        slots.sort_unstable();
        slots.extend(present(metadata).map(u64::from));
        JavaOrder::Spilled(slots)
    }

    /// [`JavaOrder::of_ctx`] of a document map, from the digests it keeps.
    /// Out of line: one call per script's walk of `ctx`, kept out of the
    /// `removeIf` it serves.
    #[inline(never)]
    pub fn of_ctx_doc(doc: &ValueMap) -> JavaOrder {
        JavaOrder::of_ctx(doc.keys().map(|k| Some(k.as_str())).zip(doc.digests().map(|d| d as i32)))
    }

    pub fn len(&self) -> usize {
        match self {
            JavaOrder::Inline(n, _) => *n as usize,
            JavaOrder::Spilled(slots) => slots.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The position of the `k`th key in iteration order.
    pub fn get(&self, k: usize) -> usize {
        match self {
            JavaOrder::Inline(_, positions) => positions[k] as usize,
            JavaOrder::Spilled(slots) => slots[k] as u32 as usize,
        }
    }

    pub fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).map(|k| self.get(k))
    }
}

/// The values of a map that was still to copy, for entries of their own:
/// moved out, or copied while a `removeIf` still goes through them.
fn unshared<'a>(values: Rc<Vec<Val<'a>>>) -> Vec<Val<'a>> {
    Rc::try_unwrap(values).unwrap_or_else(|shared| (*shared).clone())
}

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
    java_hash_bucket(java_hash_code(k), capacity)
}

/// `k.hashCode()`, ASCII strings without decoding them.
fn java_hash_code(k: &Val<'_>) -> i32 {
    match k {
        Val::Str(s) => crate::value::map::digest(s) as i32,
        other => super::lib::misc::hash_code(other),
    }
}

/// The bucket of a key with hash code `h` in a table of `capacity`.
fn java_hash_bucket(h: i32, capacity: usize) -> usize {
    let h = h as u32;
    ((h ^ (h >> 16)) as usize) & (capacity - 1)
}

impl<'a> std::ops::Deref for JMap<'a> {
    type Target = Entries<'a>;
    fn deref(&self) -> &Self::Target {
        self.entries()
    }
}

impl std::ops::DerefMut for JMap<'_> {
    /// Any access that could change the entries ends their claim to be
    /// the document's.
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.entries();
        self.puts.clear();
        self.copied_from = None;
        self.changes += 1;
        note_container_change();
        self.entries.get_mut().expect("entries copied just now")
    }
}

/// A script-owned list back to the document model, read in place. Kept out
/// of `to_value_inner` so its stack frame, paid once per nesting level, stays small.
#[inline(never)]
fn own_list_to_value<const COPY: bool>(items: &[Val<'_>], path: &mut Vec<usize>) -> Value {
    Value::List(items.iter().map(|v| v.convert::<COPY>(path)).collect())
}

/// A script map iterated in insertion order back to the document model,
/// read in place, keys straight from their text.
#[inline(never)]
fn own_map_to_value<const COPY: bool>(m: &JMap<'_>, path: &mut Vec<usize>) -> Value {
    let mut out = ValueMap::with_capacity(m.len());
    for (k, v) in m.iter() {
        let key = match &k.0 {
            Val::Str(s) => s.to_string(),
            other => other.to_java_string(),
        };
        out.insert(key, v.convert::<COPY>(path));
    }
    Value::Map(out)
}

/// Jackson's default maximum nesting depth for writing a document
/// (`StreamWriteConstraints`): Elasticsearch cannot write a deeper one.
pub const MAX_DOCUMENT_DEPTH: usize = 1000;

#[derive(Clone, Debug)]
pub enum ListRef<'a> {
    Own(Shared<JList<'a>>),
    Doc(&'a Vec<Value>),
}

#[derive(Clone, Debug)]
pub enum MapRef<'a> {
    Own(Shared<JMap<'a>>),
    Doc(&'a ValueMap),
}

impl MapRef<'_> {
    /// Which Java map class the map is, which its iteration rule follows
    /// from (a document's maps are `HashMap`s in Elasticsearch).
    pub fn kind(&self) -> MapKind {
        match self {
            MapRef::Own(m) => m.borrow().kind,
            MapRef::Doc(_) => MapKind::Document,
        }
    }

    /// Whether the map is a script's `ctx`; asked where the map may be
    /// borrowed for change (a key compared while its map takes a put).
    pub fn is_ctx(&self) -> bool {
        matches!(self, MapRef::Own(m) if m.try_borrow().is_ok_and(|m| m.kind == MapKind::Ctx))
    }
}

/// A Java array: fixed length, with its element type for `instanceof` and defaults.
#[derive(Debug)]
pub struct JArray<'a> {
    pub elem: super::ast::Type,
    pub items: Vec<Val<'a>>,
}

/// Which `java.util.Set` a script's set is, which decides how it iterates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    /// `HashSet` (`new HashSet()`, `Collectors.toSet()`, ...): Java's bucket order.
    Hash,
    /// `LinkedHashSet`: insertion order.
    Linked,
    /// `TreeSet`: its elements kept in order, natural or its comparator's,
    /// by `lib::sorted`, which every add to one goes through.
    Tree,
}

/// A script's set: its elements in insertion order (kept sorted for a
/// `TreeSet`), with Java's `equals` as their identity.
#[derive(Debug)]
pub struct JSet<'a> {
    items: IndexMap<Key<'a>, ()>,
    pub kind: SetKind,
    /// A `TreeSet`'s comparator (`new TreeSet(Comparator)`); none for natural order.
    pub comparator: Option<Box<Val<'a>>>,
}

impl<'a> JSet<'a> {
    pub fn new(kind: SetKind) -> JSet<'a> {
        JSet { items: IndexMap::new(), kind, comparator: None }
    }
}

impl<'a> std::ops::Deref for JSet<'a> {
    type Target = IndexMap<Key<'a>, ()>;
    fn deref(&self) -> &Self::Target {
        &self.items
    }
}

impl std::ops::DerefMut for JSet<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.items
    }
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
    Set(Shared<JSet<'a>>),
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
    Lambda { lambda: &'a LambdaCode, captured: Vec<Val<'a>> },
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

    /// A document's integer beyond a `long`: a `java.math.BigInteger`.
    #[cold]
    pub fn big_integer(n: &crate::value::BigInteger) -> Val<'a> {
        Val::Obj(Rc::new(Obj::BigInteger(n.clone())))
    }

    /// The `java.math.BigInteger` this value is, if it is one.
    pub fn as_big_integer(&self) -> Option<&crate::value::BigInteger> {
        match self {
            Val::Obj(o) => match &**o {
                Obj::BigInteger(n) => Some(n),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn is_big_integer(&self) -> bool {
        self.as_big_integer().is_some()
    }
    pub fn string(s: String) -> Val<'a> {
        Val::Str(Str::Own(Rc::from(s)))
    }
    pub fn new_list(items: Vec<Val<'a>>) -> Val<'a> {
        Val::List(ListRef::Own(Rc::new(RefCell::new(items.into()))))
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
            Value::BigInteger(n) => Val::big_integer(n),
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
            Value::BigInteger(n) => Val::big_integer(n),
            Value::String(s) => Val::str(s),
            Value::List(l) => Val::new_list(l.iter().map(Val::from_value).collect()),
            Value::Map(m) => Val::new_map(map_from_value(m)),
        }
    }

    /// Copy a document value into shared, mutable objects whose strings
    /// borrow the document's text: only the containers are new, and their
    /// contents are copied when first used.
    pub fn from_doc_copy(v: &'a Value) -> Val<'a> {
        match v {
            Value::String(s) => Val::Str(Str::Doc(s)),
            Value::List(l) => Val::List(ListRef::Own(Rc::new(RefCell::new(JList::copy_of(l))))),
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
    /// Java `toString`, as XContent writes them; a set becomes a list in the
    /// order the simulate response prints it ([`deep_copied_set_order`]).
    /// Containers deeper than [`MAX_DOCUMENT_DEPTH`] end as a marker.
    pub fn to_value(&self) -> Value {
        self.convert::<true>(&mut Vec::new())
    }

    /// As XContent writes the value itself, not a document copy of it: sets
    /// in their own iteration order (`Processors.json`).
    pub fn to_value_as_written(&self) -> Value {
        self.convert::<false>(&mut Vec::new())
    }

    /// Identity of a shared container, to stop at cycles.
    pub(super) fn container_id(&self) -> Option<usize> {
        Some(match self {
            Val::List(ListRef::Own(l)) => Rc::as_ptr(l) as *const () as usize,
            Val::Map(MapRef::Own(m)) | Val::View(MapRef::Own(m), _) => Rc::as_ptr(m) as *const () as usize,
            Val::Set(s) => Rc::as_ptr(s) as *const () as usize,
            Val::Array(a) => Rc::as_ptr(a) as *const () as usize,
            Val::Obj(o) if matches!(&**o, Obj::ArrayDeque(_)) => Rc::as_ptr(o) as *const () as usize,
            _ => return None,
        })
    }

    /// `path` holds the containers being converted, so a collection that
    /// contains itself ends as Java's `(this Collection)` instead of looping.
    pub(super) fn to_value_in(&self, path: &mut Vec<usize>) -> Value {
        self.convert::<true>(path)
    }

    /// `COPY`: sets ordered as `IngestDocument.deepCopy` leaves them.
    fn convert<const COPY: bool>(&self, path: &mut Vec<usize>) -> Value {
        let id = self.container_id();
        if let Some(id) = id {
            // Past the depth a document can be written at, stop: the caller
            // refuses such a document (`Script::execute`).
            if path.contains(&id) || path.len() > MAX_DOCUMENT_DEPTH {
                return Value::String("(this Collection)".into());
            }
            path.push(id);
        }
        let v = self.to_value_inner::<COPY>(path);
        if id.is_some() {
            path.pop();
        }
        v
    }

    fn to_value_inner<const COPY: bool>(&self, path: &mut Vec<usize>) -> Value {
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
            Val::List(ListRef::Own(l)) if l.try_borrow().is_ok() => own_list_to_value::<COPY>(&l.borrow(), path),
            Val::List(l) => Value::List(list_items(l).iter().map(|v| v.convert::<COPY>(path)).collect()),
            Val::Array(a) => Value::List(a.borrow().items.iter().map(|v| v.convert::<COPY>(path)).collect()),
            Val::Set(_) => {
                let items = iter_items(self).unwrap_or_default();
                let items = if COPY { deep_copied_set_order(items) } else { items };
                Value::List(items.iter().map(|k| k.convert::<COPY>(path)).collect())
            }
            // Insertion order: written as they are, keys straight from their text.
            Val::Map(MapRef::Own(m)) if m.try_borrow().is_ok_and(|j| matches!(j.kind, MapKind::Linked | MapKind::Document | MapKind::Ctx)) => {
                own_map_to_value::<COPY>(&m.borrow(), path)
            }
            Val::Map(m) => {
                let entries = match m {
                    MapRef::Own(own) if own.try_borrow().is_ok_and(|j| matches!(j.kind, MapKind::Document | MapKind::Ctx)) => {
                        own.borrow().iter().map(|(k, v)| (k.0.clone(), v.clone())).collect()
                    }
                    _ => map_entries(m),
                };
                let mut out = ValueMap::default();
                for (k, v) in entries {
                    out.insert(k.to_java_string(), v.convert::<COPY>(path));
                }
                Value::Map(out)
            }
            Val::View(m, kind) => Value::List(view_items(m, *kind).iter().map(|v| v.convert::<COPY>(path)).collect()),
            Val::Obj(o) => match &**o {
                Obj::Time(t) => Value::String(t.to_xcontent_string()),
                // XContentElasticsearchExtension writes a Date as its Instant.
                Obj::Date(ms) => Value::String(super::lib::legacy_date::date_xcontent(ms.get())),
                Obj::BigInteger(n) => Value::BigInteger(n.clone()),
                // XContent writes any Iterable as an array.
                Obj::ArrayDeque(d) => Value::List(d.borrow().iter().map(|v| v.convert::<COPY>(path)).collect()),
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

    /// `AbstractCollection.toString`: `[a, b]`.
    fn write_items(&self, out: &mut String, path: &mut Vec<usize>) {
        out.push('[');
        for (i, item) in iter_items(self).unwrap_or_default().iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            item.write_java_string(out, path);
        }
        out.push(']');
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
            Val::List(_) | Val::Set(_) | Val::View(_, ViewKind::Keys | ViewKind::Values | ViewKind::Entries) => self.write_items(out, path),
            Val::Obj(o) if matches!(&**o, Obj::ArrayDeque(_)) => self.write_items(out, path),
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
            // Borrowed document containers are the read-only wrappers a
            // condition sees (see `lib::is_instance`).
            Val::List(ListRef::Doc(_)) => "org.elasticsearch.ingest.ConditionalProcessor$UnmodifiableIngestList".into(),
            Val::List(ListRef::Own(l)) if l.try_borrow().is_ok_and(|l| l.linked) => "java.util.LinkedList".into(),
            Val::List(ListRef::Own(_)) => "java.util.ArrayList".into(),
            Val::Map(MapRef::Doc(_)) => "org.elasticsearch.ingest.ConditionalProcessor$UnmodifiableIngestData".into(),
            Val::Map(m) => match m.kind() {
                MapKind::Linked => "java.util.LinkedHashMap",
                MapKind::Tree => "java.util.TreeMap",
                MapKind::Hash | MapKind::Document => "java.util.HashMap",
                MapKind::Ctx => "org.elasticsearch.ingest.IngestCtxMap",
            }
            .into(),
            Val::Set(s) => match s.try_borrow().map_or(SetKind::Hash, |s| s.kind) {
                SetKind::Hash => "java.util.HashSet",
                SetKind::Linked => "java.util.LinkedHashSet",
                SetKind::Tree => "java.util.TreeSet",
            }
            .into(),
            Val::Array(a) => format!("{}[]", class_of_type(&a.borrow().elem)),
            // `IngestCtxMap` has AbstractMap's `keySet()` and `values()`
            // (anonymous classes) and CtxMap's own `entrySet()`.
            Val::View(m, kind) if m.is_ctx() => match kind {
                ViewKind::Keys => "java.util.AbstractMap$1",
                ViewKind::Values => "java.util.AbstractMap$2",
                ViewKind::Entries => "org.elasticsearch.script.CtxMap$EntrySet",
            }
            .into(),
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
                // `CtxMap.equals` wants another `CtxMap`, and a script has
                // only the one (another map may still equal it).
                if a.is_ctx() {
                    return false;
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
    let mut out = JMap::with_capacity(MapKind::Document, m.len());
    for (k, v) in m {
        out.insert(Key(Val::str(k)), Val::from_value(v));
    }
    out
}

/// [`map_from_value`] with the keys and strings borrowed from `m`, its
/// entries copied when first used.
pub fn map_from_doc<'a>(m: &'a ValueMap) -> JMap<'a> {
    JMap::copy_of(m)
}

/// The ingest script's `ctx` over the document map `m` (see [`MapKind::Ctx`]),
/// copied as [`map_from_doc`] copies.
pub fn ctx_from_doc<'a>(m: &'a ValueMap) -> JMap<'a> {
    let mut ctx = JMap::copy_of(m);
    ctx.kind = MapKind::Ctx;
    ctx
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
        MapRef::Doc(map) if is_condition_ctx(map) => {
            let order = JavaOrder::of_ctx_doc(map);
            order.positions().filter_map(|i| map.get_index(i)).map(|(k, v)| (Val::Str(Str::Doc(k)), Val::from_doc(v))).collect()
        }
        MapRef::Doc(map) => crate::value::java_hash_map_order(map).into_iter().map(|(k, v)| (Val::Str(Str::Doc(k)), Val::from_doc(v))).collect(),
    }
}

thread_local! {
    /// The document map a condition running on this thread reads as `ctx`
    /// (its address, only compared; null when none runs).
    static CONDITION_CTX: std::cell::Cell<*const ValueMap> = const { std::cell::Cell::new(std::ptr::null()) };
}

/// Runs `f`, a condition reading `ctx`. A condition's `ctx` is the
/// document's `IngestCtxMap` behind ConditionalProcessor's read-only
/// wrapper, whose `keySet()` and `values()` go through the `IngestCtxMap`:
/// it iterates as a script's `ctx` does ([`JavaOrder::of_ctx`]), its maps
/// inside as `HashMap`s.
pub fn with_condition_ctx<T>(ctx: &ValueMap, f: impl FnOnce() -> T) -> T {
    let outer = CONDITION_CTX.with(|c| c.replace(ctx));
    let result = f();
    CONDITION_CTX.with(|c| c.set(outer));
    result
}

fn is_condition_ctx(map: &ValueMap) -> bool {
    CONDITION_CTX.with(|c| std::ptr::eq(c.get(), map))
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
                Val::Str(s) => map.get_str(s),
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
        MapRef::Own(map) => map.try_borrow().ok()?.get_str(key),
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

/// The order a set placed in the document comes out in. Elasticsearch's
/// simulate response renders a copy of the document (`IngestDocument.deepCopy`),
/// which copies a set, whatever its class, into
/// `Sets.newHashSetWithExpectedSize(size)`: a `HashSet` whose table is the
/// power of two at least `size < 2 ? size + 1 : (int) (size / 0.75 + 1.0)`,
/// filled in the set's own order. So a `TreeSet` or `LinkedHashSet` prints
/// in bucket order, and a `HashSet` in that of the copy's table, which may
/// be smaller or larger than the one the set grew to; elements sharing a
/// bucket keep the set's order.
pub fn deep_copied_set_order(items: Vec<Val<'_>>) -> Vec<Val<'_>> {
    let n = items.len();
    if n < 2 {
        return items;
    }
    let table = ((n as f64 / 0.75 + 1.0) as usize).next_power_of_two();
    let mut keyed: Vec<(usize, Val<'_>)> = items.into_iter().map(|k| (java_bucket(&k, table), k)).collect();
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
        Val::Set(s) => {
            let s = s.borrow();
            let items = s.keys().map(|k| k.0.clone()).collect();
            match s.kind {
                SetKind::Hash => hash_set_order(items),
                SetKind::Linked | SetKind::Tree => items,
            }
        }
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
                    pending.append(&mut items.take_for_drop());
                }
            }
        }
        Val::Map(MapRef::Own(rc)) | Val::View(MapRef::Own(rc), _) => {
            if Rc::strong_count(rc) == 1 {
                if let Ok(mut map) = rc.try_borrow_mut() {
                    pending.append(&mut map.take_values());
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
        let has_values = self.entries_mut().is_some_and(|entries| !entries.is_empty()) || self.values.get_mut().is_some() || !self.puts.is_empty();
        if !has_values || drop_recursively(|| self.drop_values()) {
            return;
        }
        let values = self.take_values();
        if values.iter().any(|v| matches!(v, Val::List(ListRef::Own(_)) | Val::Map(MapRef::Own(_)) | Val::Array(_))) {
            drop_iteratively(values);
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
                    if items.owns_no_items() {
                        return;
                    }
                    let taken = items.take_for_drop();
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

    /// `ctx` iterates its source keys in the order of a `HashMap` of them
    /// alone, then the metadata keys present in `ITERATION_ORDER`, wherever
    /// they sit in the document map; still to copy, made whole, and past
    /// the 24 keys ordered on the stack.
    #[test]
    fn ctx_orders_its_source_then_its_metadata() {
        let metadata = ["_version", "_index", "_dynamic_templates", "_id", "_routing", "_if_seq_no", "_version_type", "_if_primary_term"];
        for n in 0..40 {
            for (m, every) in [(0, 1), (3, 1), (3, 7), (8, 3), (8, 5)] {
                let mut doc = ValueMap::default();
                let mut source = Vec::new();
                let mut placed = 0;
                for i in 0..n + m {
                    if placed < m && i % every == 0 {
                        doc.insert(metadata[placed].to_string(), Value::Int(i as i32));
                        placed += 1;
                    } else {
                        let key = format!("f{i}");
                        source.push(Val::str(&key));
                        doc.insert(key, Value::Int(i as i32));
                    }
                }
                let mut expected: Vec<String> = reference_order(&source).iter().map(Val::to_java_string).collect();
                let present: Vec<&str> = metadata.iter().copied().filter(|k| doc.contains_key(*k)).collect();
                expected.extend(crate::document::metadata::ITERATION_ORDER.iter().filter(|k| present.contains(k)).map(|k| k.to_string()));
                let keys = |ctx: &JMap<'_>| ctx.ordered().iter().map(|(k, _)| k.to_java_string()).collect::<Vec<_>>();
                let ctx = ctx_from_doc(&doc);
                assert_eq!(keys(&ctx), expected, "{n} source keys, {m} metadata keys");
                assert_eq!(ctx.keys().count(), doc.len(), "made whole");
                assert_eq!(keys(&ctx), expected, "{n} source keys, {m} metadata keys, made whole");
            }
        }
    }

    /// A map copied from the document answers its size, lookups and
    /// iteration from the document map as the map copied whole does, and
    /// hands out the same child objects before and after its entries are made.
    #[test]
    fn uncopied_maps_answer_as_copied_ones() {
        let texts = ["message", "é", "a", "日本", "Aa", "BB", "user", "x.y", "", "source", "z9", "ü-x", "event", "geo", "q", "k"];
        for n in 0..=2 * texts.len() {
            let mut doc = ValueMap::default();
            for i in 0..n {
                let key = format!("{}{}", texts[i % texts.len()], i / texts.len());
                let value = match i % 3 {
                    0 => Value::Int(i as i32),
                    1 => Value::String(key.clone()),
                    _ => Value::Map(ValueMap::from_iter([("in".to_string(), Value::Int(i as i32))])),
                };
                doc.insert(key, value);
            }
            let eager = map_from_value(&doc);
            let text = |entries: Vec<(Val<'_>, Val<'_>)>| entries.iter().map(|(k, v)| format!("{}={}", k.to_java_string(), v.to_java_string())).collect::<Vec<_>>();
            for first in ["len", "get", "ordered", "entries"] {
                let lazy = map_from_doc(&doc);
                match first {
                    "len" => assert_eq!(lazy.len(), eager.len()),
                    "get" => assert_eq!(lazy.get_str("missing").is_none(), eager.get(&StrKey("missing")).is_none()),
                    "ordered" => assert_eq!(text(lazy.ordered()), text(eager.ordered())),
                    _ => assert_eq!(lazy.keys().count(), eager.keys().count()),
                }
                let children: Vec<Option<usize>> = doc.keys().map(|k| lazy.get_str(k).and_then(|v| v.container_id())).collect();
                assert_eq!(text(lazy.ordered()), text(eager.ordered()), "{first}, {n} keys");
                assert_eq!(lazy.len(), eager.len());
                for (k, child) in doc.keys().zip(&children) {
                    assert_eq!(lazy.get_str(k).map(|v| v.to_java_string()), eager.get(&StrKey(k)).map(Val::to_java_string));
                    assert_eq!(lazy.get_str(k).and_then(|v| v.container_id()), *child, "{k}: one object");
                }
                assert!(lazy.get_str("missing").is_none());
                // Made whole: the same entries, in the document's order, the same objects.
                let keys: Vec<String> = lazy.iter().map(|(k, _)| k.0.to_java_string()).collect();
                assert_eq!(keys, doc.keys().cloned().collect::<Vec<_>>());
                for (k, child) in doc.keys().zip(&children) {
                    assert_eq!(lazy.get(&StrKey(k)).and_then(|v| v.container_id()), *child, "{k}: one object once made");
                }
                assert_eq!(text(lazy.ordered()), text(eager.ordered()));
            }
        }
    }

    /// A map still to copy that puts were noted in answers as the map
    /// copied whole with the same inserts: its size, lookups, iteration
    /// order (insertion and Java's), before and after its entries are made,
    /// and further puts after that.
    #[test]
    fn puts_into_uncopied_maps_answer_as_inserts() {
        let texts = ["message", "é", "a", "Aa", "BB", "user", "", "z9"];
        let text = |entries: Vec<(Val<'_>, Val<'_>)>| entries.iter().map(|(k, v)| format!("{}={}", k.to_java_string(), v.to_java_string())).collect::<Vec<_>>();
        for n in 0..=texts.len() {
            let mut doc = ValueMap::default();
            for (i, key) in texts.iter().take(n).enumerate() {
                let value = match i % 3 {
                    0 => Value::Int(i as i32),
                    1 => Value::String(key.to_string()),
                    _ => Value::Map(ValueMap::from_iter([("in".to_string(), Value::Int(i as i32))])),
                };
                doc.insert(key.to_string(), value);
            }
            let puts: [(&str, Val<'_>); 5] = [("a", Val::Int(7)), ("new", Val::str("x")), ("Aa", Val::Null), ("new", Val::Int(1)), ("BB", Val::new_map(JMap::new(MapKind::Hash)))];
            for (made_after, put_after_made) in [(0, false), (2, false), (5, false), (3, true)] {
                let mut eager = map_from_value(&doc);
                let mut lazy = map_from_doc(&doc);
                for (i, (k, v)) in puts.iter().enumerate() {
                    if i == made_after {
                        assert_eq!(lazy.keys().count(), eager.len(), "made");
                    }
                    eager.insert(Key(Val::str(k)), v.clone());
                    if put_after_made || i % 2 == 0 {
                        lazy.put_str(k, v.clone());
                    } else {
                        lazy.put(Key(Val::str(k)), v.clone());
                    }
                    assert_eq!(lazy.len(), eager.len(), "{n} keys, {i} puts");
                    for key in texts.iter().chain(&["new", "missing"]) {
                        assert_eq!(lazy.get_str(key).map(|v| v.to_java_string()), eager.get(&StrKey(key)).map(Val::to_java_string), "{key}");
                    }
                    assert!(lazy.unchanged_copy_of().is_none());
                }
                assert_eq!(text(lazy.ordered()), text(eager.ordered()));
                let keys = |m: &JMap<'_>| m.keys().map(|k| k.0.to_java_string()).collect::<Vec<_>>();
                assert_eq!(keys(&lazy), keys(&eager));
                lazy.kind = MapKind::Linked;
                eager.kind = MapKind::Linked;
                assert_eq!(text(lazy.ordered()), text(eager.ordered()));
            }
        }
    }

    /// Reading a document map's scalars and strings, by key or by walking
    /// it, makes nothing: the map stays untouched (and is skipped when the
    /// document is written back); handing out a container does not.
    #[test]
    fn maps_read_for_scalars_stay_untouched() {
        let doc = |json: &str| match Value::from_json_str(json).unwrap() {
            Value::Map(m) => m,
            _ => unreachable!(),
        };
        let scalars = doc(r#"{"a": 1, "b": "x", "c": null, "d": 1.5, "e": true, "f": 3000000000, "g": "é"}"#);
        let eager = map_from_value(&scalars);
        let lazy = map_from_doc(&scalars);
        for k in scalars.keys() {
            assert_eq!(lazy.get_str(k).map(|v| v.to_java_string()), eager.get(&StrKey(k)).map(Val::to_java_string));
            assert!(matches!(lazy.get_str(k), Some(Val::Str(Str::Doc(_)))) == matches!(scalars[k.as_str()], Value::String(_)), "{k}: borrowed text");
        }
        let text = |entries: Vec<(Val<'_>, Val<'_>)>| entries.iter().map(|(k, v)| format!("{}={}", k.to_java_string(), v.to_java_string())).collect::<Vec<_>>();
        assert_eq!(text(lazy.ordered()), text(eager.ordered()));
        assert!(lazy.untouched());
        let one = doc(r#"{"a": ""}"#);
        let lazy_one = map_from_doc(&one);
        assert_eq!(text(lazy_one.ordered()), ["a="]);
        assert!(lazy_one.untouched());

        let mixed = doc(r#"{"a": 1, "m": {"x": 1}, "l": [1]}"#);
        for container in ["m", "l"] {
            let lazy = map_from_doc(&mixed);
            lazy.get_str("a");
            assert!(lazy.untouched());
            let first = lazy.get_str(container).and_then(|v| v.container_id());
            assert!(!lazy.untouched());
            assert_eq!(lazy.get_str(container).and_then(|v| v.container_id()), first, "one object");
        }
        let lazy = map_from_doc(&mixed);
        let children: Vec<Option<usize>> = lazy.ordered().iter().map(|(_, v)| v.container_id()).collect();
        assert!(!lazy.untouched());
        assert_eq!(lazy.ordered().iter().map(|(_, v)| v.container_id()).collect::<Vec<_>>(), children);
        assert_eq!(text(lazy.ordered()), text(map_from_value(&mixed).ordered()));
    }

    /// The four-at-a-time hash is `String.hashCode` for every length and
    /// refuses text that is not ASCII wherever it starts; a document map's
    /// key digest is `String.hashCode`, ASCII or not.
    #[test]
    fn ascii_hash_code_is_string_hash_code() {
        use crate::value::map::{ascii_hash_code, digest};
        let text = "abcdefghijklmnopqrstuvwxyz0123456789_.@ ~\u{7f}";
        for start in 0..8 {
            for end in start..text.len() {
                let s = &text[start..end];
                let expected = s.bytes().fold(0i32, |h, b| h.wrapping_mul(31).wrapping_add(b as i32));
                assert_eq!(ascii_hash_code(s), Some(expected), "{s:?}");
                assert_eq!(ascii_hash_code(s), Some(crate::painless::lib::misc::hash_code(&Val::str(s))), "{s:?}");
                assert_eq!(digest(s) as i32, expected, "{s:?}");
                for odd in ["é", "日", "😀"] {
                    for t in [format!("{s}{odd}"), format!("{odd}{s}")] {
                        assert_eq!(ascii_hash_code(&t), None);
                        assert_eq!(digest(&t) as i32, crate::painless::lib::misc::hash_code(&Val::str(&t)), "{t:?}");
                    }
                }
            }
        }
    }

    /// The order is a stable sort of the positions by bucket, for any
    /// hash codes: spread, colliding in a few buckets, or all in one.
    #[test]
    fn java_order_is_a_stable_sort_by_bucket() {
        let mut rng = crate::xorshift::XorShift(0x2545_f491_4f6c_dd1d);
        let mut random = move || rng.next();
        for len in 0..=60 {
            for spread in [u32::MAX, 0xF_000F, 3, 0] {
                let hashes: Vec<i32> = (0..len).map(|_| (random() as u32 & spread) as i32).collect();
                let capacity = java_table_capacity(len);
                let mut expected: Vec<usize> = (0..len).collect();
                expected.sort_by_key(|&i| java_hash_bucket(hashes[i], capacity));
                let order = JavaOrder::of(hashes.iter().copied(), len);
                assert_eq!(order.positions().collect::<Vec<_>>(), expected, "{len} keys, spread {spread:x}");
            }
        }
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

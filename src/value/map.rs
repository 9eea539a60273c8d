//! [`Map`], the map of a document's objects: keys in insertion order, found
//! by comparing them in order while the map is small and through a hash
//! index once it is not.
//!
//! A document's objects mostly hold one to fifteen fields. For those a hash
//! table costs more than it saves: a second allocation, hashing the key on
//! every insert, and re-indexing the entries after a removed one. A scan
//! over the entries compares each key's [digest](digest), kept beside it,
//! and looks at the text only where the digests agree. Past
//! [`INDEXED_FROM`] entries the map keeps a table of positions by key hash,
//! so that no input (an object of ten thousand fields) makes lookups slow.
//!
//! Many lookups are of keys a map does not hold: a write of a new field,
//! a condition or a `rename` testing a field that is not there. A scan
//! finds those absent only at its end, so every map also keeps a one-word
//! filter of its keys (see [`Slot::keys_so_far`]): a key whose bit is not
//! in it is absent for one test, with no scan.
//!
//! The interface is the part of `IndexMap`'s the code uses, with the same
//! meaning: insertion order everywhere, a replaced key keeps its place,
//! `shift_remove` keeps the order of the others, and `==` compares entries
//! whatever their order.

use std::fmt;
use std::hash::BuildHasher;
use std::ops::{Index, IndexMut};

use hashbrown::HashTable;

use super::{same_key, Value};

/// A map's key: a field name.
pub type Key = String;

/// The size from which a map keeps a hash index. Below it, scanning the
/// digests costs less than hashing keys on every insert and lookup: on the
/// Message Trace bench an index from 17 entries cost 0.4% more, from 9
/// entries 2.5% more, than from 33.
const INDEXED_FROM: usize = 33;

/// A 32-bit digest of a key: Java's `String.hashCode` of it. Equal keys
/// have equal digests and keys that differ seldom share one, so a scan
/// comparing digests seldom compares the text of a key that is not the one
/// sought. Being Java's hash, it is also what places the key in a Java
/// `HashMap`'s iteration order, which scripts iterating a document map
/// follow (`painless::val::JavaOrder::of_doc` reads it from [`Map::digests`]
/// instead of hashing every key again). It is not the hash of the index,
/// whose low bits must be well mixed.
#[inline]
pub fn digest(key: &str) -> u32 {
    match ascii_hash_code(key) {
        Some(h) => h as u32,
        None => key.encode_utf16().fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(unit as i32)) as u32,
    }
}

/// `String.hashCode` of ASCII text, which is its own UTF-16, in one pass
/// without decoding; `None` for other text. Four characters at a time:
/// `h * 31^4 + c0 * 31^3 + c1 * 31^2 + c2 * 31 + c3` is four steps of
/// `h * 31 + c`.
#[inline]
pub fn ascii_hash_code(s: &str) -> Option<i32> {
    let mut h = 0i32;
    let mut words = s.as_bytes().chunks_exact(4);
    for word in words.by_ref() {
        let word = [word[0], word[1], word[2], word[3]];
        if u32::from_ne_bytes(word) & 0x8080_8080 != 0 {
            return None;
        }
        let [c0, c1, c2, c3] = word.map(i32::from);
        h = h.wrapping_mul(923_521).wrapping_add(c0 * 29_791 + c1 * 961 + c2 * 31 + c3);
    }
    for &b in words.remainder() {
        if !b.is_ascii() {
            return None;
        }
        h = h.wrapping_mul(31).wrapping_add(b as i32);
    }
    Some(h)
}

/// A document map: entries in insertion order.
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<Slot>,
    /// Positions in `entries` by key hash; present in every map of
    /// [`INDEXED_FROM`] entries or more (and kept when one shrinks).
    index: Option<Box<HashIndex>>,
}

#[derive(Clone)]
/// An entry as the map keeps it.
struct Slot {
    key: Key,
    value: Value,
    /// [`digest`] of `key`.
    digest: u32,
    /// The [`filter_bit`]s of this key and of every key before it: the
    /// last entry's is the map's filter, which a key the map holds always
    /// passes. Kept per entry because it fits in the slot's padding (an
    /// entry is 64 bytes with it or without it), where a field of the map
    /// would make every `Value` 8 bytes larger; a push sets it from the
    /// entry before, and a removal or a move sets it again for the entries
    /// from there to the end, which it shifts anyway.
    keys_so_far: u32,
}

/// The bit of a key with digest `key_digest` in a map's key filter. The
/// digest's bits are mixed first (Fibonacci hashing: the top five bits of
/// a multiple by 2^32 / phi), so that a digest whose entropy lies in its
/// low bits or its high bits spreads as well.
#[inline]
fn filter_bit(key_digest: u32) -> u32 {
    1 << (mixed(key_digest) >> 27)
}

/// A key digest with its bits mixed (multiplied by 2^32 / phi), for
/// callers that pick a few top bits of it: a Java hash code of a short key
/// has none of them set.
#[inline]
pub fn mixed(key_digest: u32) -> u32 {
    key_digest.wrapping_mul(0x9e37_79b9)
}

impl Slot {
    /// An entry yet to be placed: [`Map::push`] sets its filter.
    fn new(key: Key, value: Value, digest: u32) -> Slot {
        Slot { key, value, digest, keys_so_far: 0 }
    }
}

/// The hash index of a large map.
#[derive(Clone)]
struct HashIndex {
    positions: HashTable<usize>,
    hasher: foldhash::fast::RandomState,
}

impl HashIndex {
    fn of(entries: &[Slot]) -> HashIndex {
        let mut index = HashIndex {
            positions: HashTable::with_capacity(entries.len()),
            hasher: foldhash::fast::RandomState::default(),
        };
        for position in 0..entries.len() {
            index.add(entries, position);
        }
        index
    }

    fn hash(hasher: &foldhash::fast::RandomState, key: &str) -> u64 {
        hasher.hash_one(key)
    }

    fn find(&self, entries: &[Slot], key: &str) -> Option<usize> {
        let hash = Self::hash(&self.hasher, key);
        self.positions.find(hash, |&i| entries[i].key == key).copied()
    }

    /// Indexes the entry at `position`.
    fn add(&mut self, entries: &[Slot], position: usize) {
        let HashIndex { positions, hasher } = self;
        let hash = Self::hash(hasher, &entries[position].key);
        positions.insert_unique(hash, position, |&i| Self::hash(hasher, &entries[i].key));
    }

    /// Forgets the entry at `position`, whose key is `key`; the positions
    /// after it are left as they are.
    fn forget(&mut self, key: &str, position: usize) {
        let hash = Self::hash(&self.hasher, key);
        if let Ok(entry) = self.positions.find_entry(hash, |&i| i == position) {
            entry.remove();
        }
    }

    /// Moves the positions after `removed` one down, after a removal from
    /// the middle.
    fn close_gap(&mut self, removed: usize) {
        for position in self.positions.iter_mut() {
            if *position > removed {
                *position -= 1;
            }
        }
    }
}

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    /// A map with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Map {
        Map { entries: Vec::with_capacity(capacity), index: None }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.entries.capacity()
    }

    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.index = None;
    }

    /// The position of `key`.
    #[inline]
    pub fn get_index_of(&self, key: &str) -> Option<usize> {
        self.find(key, digest(key))
    }

    /// The position of `key`, whose [`digest`] is `key_digest`: for a
    /// caller that looks the same name up many times.
    #[inline(always)]
    pub fn find(&self, key: &str, key_digest: u32) -> Option<usize> {
        if !self.may_hold(key_digest) {
            return None;
        }
        match &self.index {
            None => self.entries.iter().position(|e| e.digest == key_digest && same_key(e.key.as_bytes(), key.as_bytes())),
            Some(index) => index.find(&self.entries, key),
        }
    }

    /// False when the map certainly lacks every key whose [`digest`] is
    /// `key_digest`: one test of the key filter, for a caller that can
    /// skip its lookup then.
    #[inline]
    pub fn may_hold(&self, key_digest: u32) -> bool {
        self.entries.last().is_some_and(|last| last.keys_so_far & filter_bit(key_digest) != 0)
    }

    #[inline]
    pub fn contains_key(&self, key: &str) -> bool {
        self.get_index_of(key).is_some()
    }

    #[inline]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.get_index_of(key).map(|i| &self.entries[i].value)
    }

    #[inline]
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.get_index_of(key).map(|i| &mut self.entries[i].value)
    }

    /// The position, key and value under `key`.
    pub fn get_full(&self, key: &str) -> Option<(usize, &Key, &Value)> {
        let i = self.get_index_of(key)?;
        let e = &self.entries[i];
        Some((i, &e.key, &e.value))
    }

    pub fn get_key_value(&self, key: &str) -> Option<(&Key, &Value)> {
        self.get_full(key).map(|(_, k, v)| (k, v))
    }

    #[inline]
    pub fn get_index(&self, position: usize) -> Option<(&Key, &Value)> {
        self.entries.get(position).map(|e| (&e.key, &e.value))
    }

    #[inline]
    pub fn get_index_mut(&mut self, position: usize) -> Option<(&Key, &mut Value)> {
        self.entries.get_mut(position).map(|e| (&e.key, &mut e.value))
    }

    /// The key at `position`, if its digest is `key_digest` and its text
    /// `key`: a check of a remembered position.
    #[inline]
    pub fn key_at_is(&self, position: usize, key: &str, key_digest: u32) -> Option<&Value> {
        let e = self.entries.get(position)?;
        (e.digest == key_digest && same_key(e.key.as_bytes(), key.as_bytes())).then_some(&e.value)
    }

    pub fn first(&self) -> Option<(&Key, &Value)> {
        self.get_index(0)
    }

    pub fn last(&self) -> Option<(&Key, &Value)> {
        self.entries.last().map(|e| (&e.key, &e.value))
    }

    /// Puts `value` under `key`: in the key's place when the map has it
    /// (the key itself is kept; the old value is returned), else at the end.
    #[inline]
    pub fn insert(&mut self, key: Key, value: Value) -> Option<Value> {
        self.insert_full(key, value).1
    }

    /// [`insert`](Self::insert), with the entry's position.
    pub fn insert_full(&mut self, key: Key, value: Value) -> (usize, Option<Value>) {
        let key_digest = digest(&key);
        match self.find(&key, key_digest) {
            Some(i) => (i, Some(std::mem::replace(&mut self.entries[i].value, value))),
            None => (self.push(Slot::new(key, value, key_digest)), None),
        }
    }

    /// Adds `key`, whose [`digest`] is `key_digest`, with `value`, for a
    /// caller that just found the map without it; the new entry's position.
    pub fn insert_absent(&mut self, key: &str, key_digest: u32, value: Value) -> usize {
        debug_assert!(self.find(key, key_digest).is_none(), "{key} is in the map");
        self.push(Slot::new(Key::from(key), value, key_digest))
    }

    /// Adds an entry whose key the map does not have, at the end; its
    /// position.
    fn push(&mut self, mut slot: Slot) -> usize {
        let position = self.entries.len();
        slot.keys_so_far = filter_bit(slot.digest) | self.entries.last().map_or(0, |e| e.keys_so_far);
        self.entries.push(slot);
        match &mut self.index {
            Some(index) => index.add(&self.entries, position),
            None if self.entries.len() >= INDEXED_FROM => self.index = Some(Box::new(HashIndex::of(&self.entries))),
            None => {}
        }
        position
    }

    /// Removes `key`'s entry, keeping the others in their order.
    pub fn shift_remove(&mut self, key: &str) -> Option<Value> {
        let i = self.get_index_of(key)?;
        self.shift_remove_index(i).map(|(_, v)| v)
    }

    /// Removes the entry at `position`, keeping the others in their order.
    pub fn shift_remove_index(&mut self, position: usize) -> Option<(Key, Value)> {
        if position >= self.entries.len() {
            return None;
        }
        if let Some(index) = &mut self.index {
            index.forget(&self.entries[position].key, position);
            index.close_gap(position);
        }
        let e = self.entries.remove(position);
        self.refilter_from(position);
        Some((e.key, e.value))
    }

    /// Removes `key`'s entry, moving the last entry into its place.
    pub fn swap_remove(&mut self, key: &str) -> Option<Value> {
        let i = self.get_index_of(key)?;
        let last = self.entries.len() - 1;
        if let Some(index) = &mut self.index {
            index.forget(&self.entries[i].key, i);
            if i != last {
                index.forget(&self.entries[last].key, last);
            }
        }
        let e = self.entries.swap_remove(i);
        if i != last {
            if let Some(index) = &mut self.index {
                index.add(&self.entries, i);
            }
        }
        self.refilter_from(i);
        Some(e.value)
    }

    /// Moves the entry at `from` to `to`, shifting the ones between.
    pub fn move_index(&mut self, from: usize, to: usize) {
        let entry = self.entries.remove(from);
        self.entries.insert(to, entry);
        self.refilter_from(from.min(to));
        self.reindex();
    }

    /// Keeps the entries `keep` accepts, in their order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Key, &mut Value) -> bool) {
        let len = self.entries.len();
        self.entries.retain_mut(|e| keep(&e.key, &mut e.value));
        if self.entries.len() != len {
            self.refilter_from(0);
            self.reindex();
        }
    }

    /// Sets the key filters of the entries from `start` on, after entries
    /// there were removed or moved.
    fn refilter_from(&mut self, start: usize) {
        let mut keys = match start.checked_sub(1) {
            Some(before) => self.entries[before].keys_so_far,
            None => 0,
        };
        for e in &mut self.entries[start..] {
            keys |= filter_bit(e.digest);
            e.keys_so_far = keys;
        }
    }

    /// Makes the index afresh after entries moved: none for a map that
    /// became small.
    fn reindex(&mut self) {
        if self.index.is_some() {
            self.index = (self.entries.len() >= INDEXED_FROM).then(|| Box::new(HashIndex::of(&self.entries)));
        }
    }

    /// The entry of `key`, to read or fill.
    pub fn entry(&mut self, key: Key) -> Entry<'_> {
        let key_digest = digest(&key);
        match self.find(&key, key_digest) {
            Some(position) => Entry::Occupied(OccupiedEntry { map: self, position }),
            None => Entry::Vacant(VacantEntry { map: self, key, digest: key_digest }),
        }
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.entries.iter_mut())
    }

    pub fn keys(&self) -> Keys<'_> {
        Keys(self.entries.iter())
    }

    /// The keys' [`digest`]s (their `String.hashCode`s), in order.
    pub fn digests(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        self.entries.iter().map(|e| e.digest)
    }

    pub fn values(&self) -> Values<'_> {
        Values(self.entries.iter())
    }

    pub fn values_mut(&mut self) -> ValuesMut<'_> {
        ValuesMut(self.entries.iter_mut())
    }
}

/// An entry of a [`Map`], as [`Map::entry`] finds it.
pub enum Entry<'m> {
    Occupied(OccupiedEntry<'m>),
    Vacant(VacantEntry<'m>),
}

pub struct OccupiedEntry<'m> {
    map: &'m mut Map,
    position: usize,
}

pub struct VacantEntry<'m> {
    map: &'m mut Map,
    key: Key,
    digest: u32,
}

impl<'m> Entry<'m> {
    pub fn or_insert(self, value: Value) -> &'m mut Value {
        self.or_insert_with(|| value)
    }

    pub fn or_insert_with(self, value: impl FnOnce() -> Value) -> &'m mut Value {
        match self {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(value()),
        }
    }

    pub fn key(&self) -> &str {
        match self {
            Entry::Occupied(entry) => entry.key(),
            Entry::Vacant(entry) => &entry.key,
        }
    }
}

impl<'m> OccupiedEntry<'m> {
    pub fn key(&self) -> &Key {
        &self.map.entries[self.position].key
    }

    pub fn get(&self) -> &Value {
        &self.map.entries[self.position].value
    }

    pub fn get_mut(&mut self) -> &mut Value {
        &mut self.map.entries[self.position].value
    }

    pub fn into_mut(self) -> &'m mut Value {
        &mut self.map.entries[self.position].value
    }

    /// Replaces the value, keeping the key and its place; the old value.
    pub fn insert(&mut self, value: Value) -> Value {
        std::mem::replace(self.get_mut(), value)
    }

    pub fn index(&self) -> usize {
        self.position
    }
}

impl<'m> VacantEntry<'m> {
    pub fn key(&self) -> &Key {
        &self.key
    }

    pub fn insert(self, value: Value) -> &'m mut Value {
        let position = self.map.push(Slot::new(self.key, value, self.digest));
        &mut self.map.entries[position].value
    }

    pub fn index(&self) -> usize {
        self.map.len()
    }
}

/// Entries compare whatever their order, as `IndexMap`'s (and Java's
/// `Map.equals`) do.
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Index<usize> for Map {
    type Output = Value;

    #[inline]
    fn index(&self, position: usize) -> &Value {
        &self.entries[position].value
    }
}

impl IndexMut<usize> for Map {
    #[inline]
    fn index_mut(&mut self, position: usize) -> &mut Value {
        &mut self.entries[position].value
    }
}

impl Index<&str> for Map {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        self.get(key).expect("Map: key not found")
    }
}

impl Extend<(Key, Value)> for Map {
    fn extend<I: IntoIterator<Item = (Key, Value)>>(&mut self, entries: I) {
        for (k, v) in entries {
            self.insert(k, v);
        }
    }
}

impl FromIterator<(Key, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (Key, Value)>>(entries: I) -> Map {
        let entries = entries.into_iter();
        let mut map = Map::with_capacity(entries.size_hint().0);
        map.extend(entries);
        map
    }
}

impl<const N: usize> From<[(Key, Value); N]> for Map {
    fn from(entries: [(Key, Value); N]) -> Map {
        entries.into_iter().collect()
    }
}

macro_rules! iterator {
    ($(#[$doc:meta])* $name:ident$(<$l:lifetime>)?, $inner:ty, $item:ty, |$e:ident| $out:expr) => {
        $(#[$doc])*
        pub struct $name$(<$l>)?($inner);

        impl$(<$l>)? Iterator for $name$(<$l>)? {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                self.0.next().map(|$e| $out)
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                self.0.size_hint()
            }
        }

        impl$(<$l>)? DoubleEndedIterator for $name$(<$l>)? {
            #[inline]
            fn next_back(&mut self) -> Option<$item> {
                self.0.next_back().map(|$e| $out)
            }
        }

        impl$(<$l>)? ExactSizeIterator for $name$(<$l>)? {}
    };
}

iterator!(
    /// The entries of a [`Map`], in order.
    Iter<'a>, std::slice::Iter<'a, Slot>, (&'a Key, &'a Value), |e| (&e.key, &e.value)
);
iterator!(
    /// The entries of a [`Map`], values to change.
    IterMut<'a>, std::slice::IterMut<'a, Slot>, (&'a Key, &'a mut Value), |e| (&e.key, &mut e.value)
);
iterator!(
    /// The keys of a [`Map`], in order.
    Keys<'a>, std::slice::Iter<'a, Slot>, &'a Key, |e| &e.key
);
iterator!(
    /// The values of a [`Map`], in order.
    Values<'a>, std::slice::Iter<'a, Slot>, &'a Value, |e| &e.value
);
iterator!(
    /// The values of a [`Map`], to change.
    ValuesMut<'a>, std::slice::IterMut<'a, Slot>, &'a mut Value, |e| &mut e.value
);
iterator!(
    /// The entries of a [`Map`], taken.
    IntoIter, std::vec::IntoIter<Slot>, (Key, Value), |e| (e.key, e.value)
);

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Key, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Key, &'a mut Value);
    type IntoIter = IterMut<'a>;

    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl IntoIterator for Map {
    type Item = (Key, Value);
    type IntoIter = IntoIter;

    fn into_iter(mut self) -> IntoIter {
        IntoIter(std::mem::take(&mut self.entries).into_iter())
    }
}

/// A map frees its strings (most of its values) itself, in one loop over
/// its entries: dropping each value through `Value`'s drop, a call per
/// entry that saves and restores registers to free a string or to do
/// nothing for a number, cost more than the freeing.
impl Drop for Map {
    fn drop(&mut self) {
        let entries = &mut self.entries;
        let len = entries.len();
        // SAFETY: the length is set to 0 before any entry is dropped, so
        // each is dropped once, here (a panicking drop would leak the rest,
        // never drop one twice); the vector then frees its buffer alone.
        unsafe {
            entries.set_len(0);
            for slot in std::slice::from_raw_parts_mut(entries.as_mut_ptr(), len) {
                std::ptr::drop_in_place(&mut slot.key);
                match &mut slot.value {
                    Value::String(text) => std::ptr::drop_in_place(text),
                    Value::List(_) | Value::Map(_) | Value::BigInteger(_) => std::ptr::drop_in_place(&mut slot.value),
                    Value::Null | Value::Bool(_) | Value::Int(_) | Value::Long(_) | Value::Float(_) | Value::Double(_) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    use crate::xorshift::XorShift as Rng;

    fn same_entries(map: &Map, model: &IndexMap<String, Value>) -> bool {
        map.len() == model.len() && map.iter().zip(model).all(|((k, v), (mk, mv))| k.as_str() == mk.as_str() && v == mv)
    }

    /// Random operations on a [`Map`] and on an `IndexMap` give the same
    /// answers and the same entries in the same order, with maps small
    /// and large (indexed), growing and shrinking across the index's size.
    #[test]
    fn behaves_as_index_map() {
        // Keys of equal lengths and shared prefixes, an empty one, long
        // ones, ones that differ only in the middle, and two that share a
        // digest (`String.hashCode`: "Aa" and "BB").
        let mut keys: Vec<String> = (0..50)
            .map(|i| match i % 5 {
                0 => format!("k{i}"),
                1 => format!("key_{}", i % 10),
                2 => "x".repeat(i / 5),
                3 => format!("a.long.field.name.number.{i}"),
                _ => format!("the_same_{:02}_at_the_ends", i),
            })
            .collect();
        (keys[4], keys[9]) = ("Aa".to_string(), "BB".to_string());
        assert_eq!(digest(&keys[4]), digest(&keys[9]));
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..300 {
            let mut map = Map::default();
            let mut model: IndexMap<String, Value> = IndexMap::new();
            // Some rounds grow large, others stay small.
            let grow = [3, 10, 40][round % 3];
            for step in 0..400 {
                let key = &keys[rng.below(keys.len())];
                let value = Value::Int(step);
                match rng.below(12) {
                    0..=2 if model.len() < grow => {
                        assert_eq!(map.insert_full(key.clone(), value.clone()), model.insert_full(key.clone(), value));
                    }
                    0..=2 => {
                        assert_eq!(map.insert(key.clone(), value.clone()), model.insert(key.clone(), value));
                    }
                    3 => assert_eq!(map.shift_remove(key), model.shift_remove(key)),
                    4 => assert_eq!(map.swap_remove(key), model.swap_remove(key)),
                    5 => {
                        let at = rng.below(model.len() + 2);
                        assert_eq!(map.shift_remove_index(at), model.shift_remove_index(at));
                    }
                    6 => {
                        assert_eq!(map.get_full(key).map(|(i, k, v)| (i, k.clone(), v.clone())), model.get_full(key).map(|(i, k, v)| (i, k.clone(), v.clone())));
                        assert_eq!(map.contains_key(key), model.contains_key(key));
                        let at = rng.below(model.len() + 2);
                        assert_eq!(map.get_index(at), model.get_index(at));
                    }
                    7 => {
                        let modulus = 2 + rng.below(5);
                        let keep = |k: &String, v: &mut Value| {
                            *v = Value::Int(k.len() as i32);
                            k.len() % modulus != 0
                        };
                        map.retain(keep);
                        model.retain(keep);
                    }
                    8 if !model.is_empty() => {
                        let (from, to) = (rng.below(model.len()), rng.below(model.len()));
                        map.move_index(from, to);
                        model.move_index(from, to);
                    }
                    9 => {
                        let added = Value::from("added");
                        let got = map.entry(key.clone()).or_insert_with(|| added.clone()).clone();
                        assert_eq!(got, *model.entry(key.clone()).or_insert(added));
                    }
                    10 if rng.below(20) == 0 => {
                        map.clear();
                        model.clear();
                    }
                    _ => {
                        if let Some(v) = map.get_mut(key) {
                            *v = Value::Long(step as i64);
                        }
                        if let Some(v) = model.get_mut(key) {
                            *v = Value::Long(step as i64);
                        }
                    }
                }
                assert!(same_entries(&map, &model), "round {round} step {step}: {map:?} != {model:?}");
                for key in &keys {
                    assert_eq!(map.get_index_of(key), model.get_index_of(key.as_str()), "{key}");
                }
            }
        }
    }

    /// The key filter is a fast path of every lookup: after any sequence of
    /// pushes, removals (shifting and swapping), moves and retains it
    /// rules out no key the map holds, so lookups answer as a plain scan of
    /// the entries does; and it rules out most absent keys of a map of a
    /// document object's size, for which it is kept.
    #[test]
    fn key_filter_never_hides_a_key() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let names: Vec<String> = (0..80).map(|i| if i % 3 == 0 { format!("field_{i}") } else { format!("{}{i}", ["a", "ecs", "user.name", "x"][i % 4]) }).collect();
        let (mut absent, mut ruled_out) = (0, 0);
        for round in 0..400 {
            let mut map = Map::default();
            for _ in 0..rng.below(40) {
                map.insert(names[rng.below(names.len())].clone(), Value::Null);
            }
            for _ in 0..rng.below(4) {
                match rng.below(4) {
                    0 => drop(map.shift_remove_index(rng.below(map.len() + 1))),
                    1 => drop(map.swap_remove(&names[rng.below(names.len())])),
                    2 if !map.is_empty() => map.move_index(rng.below(map.len()), rng.below(map.len())),
                    _ => map.retain(|k, _| k.len() % 3 != round % 3),
                }
            }
            for name in &names {
                let scanned = map.keys().position(|k| k == name);
                assert_eq!(map.get_index_of(name), scanned, "round {round}: {name} in {map:?}");
                if scanned.is_some() {
                    assert!(map.may_hold(digest(name)), "round {round}: {name} ruled out of {map:?}");
                } else if (8..=16).contains(&map.len()) {
                    absent += 1;
                    ruled_out += usize::from(!map.may_hold(digest(name)));
                }
            }
        }
        assert!(ruled_out * 2 > absent, "{ruled_out} of {absent} absent keys ruled out");
    }

    /// Maps are equal when they hold the same entries, in any order.
    #[test]
    fn equality_ignores_order() {
        let mut rng = Rng(7);
        for size in 0..40 {
            let entries: Vec<(Key, Value)> = (0..size).map(|i| (format!("f{i}"), Value::Int(i as i32))).collect();
            let map: Map = entries.iter().cloned().collect();
            let mut shuffled = entries.clone();
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, rng.below(i + 1));
            }
            let other: Map = shuffled.into_iter().collect();
            assert_eq!(map, other);
            if size > 0 {
                let mut changed = other.clone();
                changed.insert(format!("f{}", size - 1), Value::Null);
                assert_ne!(map, changed);
                let mut fewer = other.clone();
                fewer.shift_remove("f0");
                assert_ne!(map, fewer);
                fewer.insert("g".into(), Value::Int(0));
                assert_ne!(map, fewer);
            }
        }
    }

    #[test]
    fn debug_output_is_index_maps() {
        let map: Map = [("a".to_string(), Value::Int(1)), ("b".to_string(), Value::from("x"))].into();
        let model: IndexMap<String, Value> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        assert_eq!(format!("{map:?}"), format!("{model:?}"));
        assert_eq!(format!("{map:#?}"), format!("{model:#?}"));
    }
}

//! The iteration order of a `java.util.HashMap<String, _>`.
//!
//! Dissect collects its results in `HashMap`s and the processor sets the
//! fields in the map's iteration order, which decides where new keys land in
//! the document. The order depends on `String.hashCode`, the table capacity
//! (initial capacity, growth at 0.75 load, `putAll` pre-sizing as in JDK 21)
//! and, within a bucket, on insertion order; this type tracks all three.

#[derive(Debug, Clone)]
pub struct JavaHashMap<V> {
    entries: Vec<(Option<String>, V)>,
    /// Table length; 0 while the table is not allocated.
    capacity: usize,
    /// Java's `threshold`: the initial capacity before allocation.
    threshold: usize,
}

/// `HashMap.tableSizeFor`: the next power of two, at least 1.
fn table_size_for(n: usize) -> usize {
    n.max(1).next_power_of_two()
}

/// `HashMap.hash`: a null key hashes to 0.
fn spread(key: Option<&str>) -> u32 {
    key.map_or(0, crate::value::java_hash_spread)
}

impl<V> JavaHashMap<V> {
    /// `new HashMap<>(initialCapacity)`.
    pub fn with_capacity(initial: usize) -> JavaHashMap<V> {
        JavaHashMap {
            entries: Vec::new(),
            capacity: 0,
            threshold: table_size_for(initial),
        }
    }

    fn resize(&mut self) {
        self.capacity = if self.capacity == 0 {
            self.threshold.max(1)
        } else {
            self.capacity * 2
        };
        self.threshold = (self.capacity as f32 * 0.75) as usize;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn get_mut(&mut self, key: Option<&str>) -> Option<&mut V> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k.as_deref() == key)
            .map(|(_, v)| v)
    }

    /// `put`: a new key goes last in insertion order, an existing one keeps its place.
    pub fn put(&mut self, key: Option<String>, value: V) {
        if self.capacity == 0 {
            self.resize();
        }
        if let Some(slot) = self.get_mut(key.as_deref()) {
            *slot = value;
            return;
        }
        self.entries.push((key, value));
        if self.entries.len() > self.threshold {
            self.resize();
        }
    }

    /// `computeIfAbsent(key, k -> make())`.
    pub fn entry_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        if self.get_mut(Some(key)).is_none() {
            self.put(Some(key.to_string()), make());
        }
        self.get_mut(Some(key)).expect("just inserted")
    }

    /// `putAll`, with its pre-sizing.
    pub fn put_all(&mut self, other: Vec<(Option<String>, V)>) {
        let s = other.len();
        if s == 0 {
            return;
        }
        if self.capacity == 0 {
            let t = (s as f64 / 0.75).ceil() as usize;
            if t > self.threshold {
                self.threshold = table_size_for(t);
            }
        } else {
            while s > self.threshold {
                self.resize();
            }
        }
        for (k, v) in other {
            self.put(k, v);
        }
    }

    /// The entries in the order Java iterates them.
    pub fn into_ordered(mut self) -> Vec<(Option<String>, V)> {
        let mask = self.capacity.max(1) - 1;
        // Stable (the cached keys are sorted with their positions), as a
        // bucket's chain is.
        self.entries.sort_by_cached_key(|(k, _)| spread(k.as_deref()) as usize & mask);
        self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::java_string_hash;

    #[test]
    fn string_hash_matches_java() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99162322);
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
    }

    #[test]
    fn order_follows_buckets() {
        // new HashMap<>(3) holds 4 buckets: "d"(100)->0, "a"(97)->1, "b"->2, "c"->3.
        let mut m = JavaHashMap::with_capacity(3);
        for k in ["c", "b", "a", "d"] {
            m.put(Some(k.to_string()), ());
        }
        let keys: Vec<String> = m
            .into_ordered()
            .into_iter()
            .map(|(k, _)| k.unwrap())
            .collect();
        // Four entries exceed 4 * 0.75, so the table doubled to 8: a=1, b=2, c=3, d=4.
        assert_eq!(keys, ["a", "b", "c", "d"]);
    }
}

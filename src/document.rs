//! The document a pipeline works on, with Elasticsearch's field-path rules.
//!
//! Like Elasticsearch's `IngestDocument`, the source and the metadata fields
//! (`_index`, `_id`, ...) share one map, which is what Painless sees as `ctx`;
//! the `_ingest` metadata (timestamp, on-failure details, foreach's `_value`)
//! lives in a second map reached through the `_ingest.` prefix.

use crate::value::{Map, Value};

/// Metadata keys that live beside the source but are not part of `_source`.
pub const METADATA_KEYS: &[&str] = &[
    "_index",
    "_id",
    "_routing",
    "_version",
    "_version_type",
    "_if_seq_no",
    "_if_primary_term",
    "_dynamic_templates",
];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct IngestDocument {
    /// Source fields and metadata fields together: Painless's `ctx`.
    pub ctx: Map,
    /// The `_ingest` map: `timestamp`, `pipeline`, `on_failure_*`, `_value`, ...
    pub ingest: Map,
}

/// Which map a path starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Ctx,
    Ingest,
}

/// A parsed dotted field path such as `_ingest.on_failure_message` or `a.0.b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    original: String,
    root: Root,
    elements: Vec<String>,
}

/// The deepest field path accepted: Jackson's default maximum nesting depth
/// for writing a document (`StreamWriteConstraints`).
pub const MAX_PATH_DEPTH: usize = 1000;

impl FieldPath {
    pub fn parse(path: &str) -> Result<FieldPath, String> {
        if path.is_empty() {
            return Err("path cannot be null nor empty".into());
        }
        let (root, rest) = if let Some(rest) = path.strip_prefix("_ingest.") {
            (Root::Ingest, rest)
        } else if let Some(rest) = path.strip_prefix("_source.") {
            (Root::Ctx, rest)
        } else {
            (Root::Ctx, path)
        };
        // Java's String.split drops trailing empty strings.
        let mut elements: Vec<String> = rest.split('.').map(str::to_string).collect();
        while elements.last().is_some_and(|e| e.is_empty()) {
            elements.pop();
        }
        if elements.is_empty() {
            return Err(format!("path [{path}] is not valid"));
        }
        if elements.len() > MAX_PATH_DEPTH {
            // Elasticsearch builds the maps, then fails writing the document
            // (Jackson's nesting limit is 1000); refusing the path up front
            // keeps the nested values from overflowing the Rust stack.
            let shown: String = path.chars().take(100).collect();
            return Err(format!(
                "path [{shown}...] is nested more than {MAX_PATH_DEPTH} levels deep; a document nested that deeply cannot be written"
            ));
        }
        Ok(FieldPath {
            original: path.to_string(),
            root,
            elements,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.original
    }
}

/// `ZonedDateTime.toString()` for a UTC instant at the microsecond precision
/// Java's system clock has: seconds only when not zero, the fraction in
/// groups of three digits, `Z` for the zone.
pub fn java_zoned_date_time(t: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let nanos = t.nanosecond() % 1_000_000_000 / 1000 * 1000;
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute()
    );
    if t.second() > 0 || nanos > 0 {
        out.push_str(&format!(":{:02}", t.second()));
        if nanos > 0 {
            if nanos % 1_000_000 == 0 {
                out.push_str(&format!(".{:03}", nanos / 1_000_000));
            } else if nanos % 1000 == 0 {
                out.push_str(&format!(".{:06}", nanos / 1000));
            } else {
                out.push_str(&format!(".{nanos:09}"));
            }
        }
    }
    out.push('Z');
    out
}

fn index_of(element: &str, len: usize, path: &str) -> Result<usize, String> {
    let index: i32 = element.parse().map_err(|_| {
        format!(
            "[{element}] is not an integer, cannot be used as an index as part of path [{path}]"
        )
    })?;
    if index < 0 || index as usize >= len {
        return Err(format!(
            "[{index}] is out of bounds for array with length [{len}] as part of path [{path}]"
        ));
    }
    Ok(index as usize)
}

impl IngestDocument {
    /// A document as Elasticsearch creates one: `_ingest.timestamp` is the
    /// time the document entered ingest.
    pub fn new(source: Map) -> IngestDocument {
        IngestDocument::at(source, chrono::Utc::now())
    }

    /// A document entering ingest at a given time (for reproducible runs).
    pub fn at(source: Map, now: chrono::DateTime<chrono::Utc>) -> IngestDocument {
        let mut ingest = Map::new();
        ingest.insert("timestamp".into(), Value::String(java_zoned_date_time(now)));
        IngestDocument {
            ctx: source,
            ingest,
        }
    }

    fn root(&self, root: Root) -> &Map {
        match root {
            Root::Ctx => &self.ctx,
            Root::Ingest => &self.ingest,
        }
    }

    fn root_mut(&mut self, root: Root) -> &mut Map {
        match root {
            Root::Ctx => &mut self.ctx,
            Root::Ingest => &mut self.ingest,
        }
    }

    /// `_source` as Elasticsearch returns it: the ctx map without metadata.
    pub fn source(&self) -> Map {
        self.ctx
            .iter()
            .filter(|(k, _)| !METADATA_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub fn metadata(&self, key: &str) -> Option<&Value> {
        self.ctx.get(key)
    }

    /// Resolves a path, with Elasticsearch's error for every way it can fail.
    pub fn get(&self, path: &FieldPath) -> Result<&Value, String> {
        let p = path.as_str();
        let mut elements = path.elements.iter();
        let first = elements.next().expect("non-empty path");
        let mut current = self
            .root(path.root)
            .get(first)
            .ok_or_else(|| format!("field [{first}] not present as part of path [{p}]"))?;
        for element in elements {
            current = match current {
                Value::Null => {
                    return Err(format!(
                        "cannot resolve [{element}] from null as part of path [{p}]"
                    ))
                }
                Value::Map(map) => map.get(element).ok_or_else(|| {
                    format!("field [{element}] not present as part of path [{p}]")
                })?,
                Value::List(list) => &list[index_of(element, list.len(), p)?],
                other => {
                    return Err(format!(
                        "cannot resolve [{element}] from object of type [{}] as part of path [{p}]",
                        other.java_class()
                    ))
                }
            };
        }
        Ok(current)
    }

    pub fn get_str(&self, path: &str) -> Result<&Value, String> {
        self.get(&FieldPath::parse(path)?)
    }

    /// Like [`get`](Self::get) but a missing field is `None` rather than an error.
    pub fn get_opt(&self, path: &FieldPath) -> Option<&Value> {
        self.get(path).ok()
    }

    /// Elasticsearch's `hasField`: resolvable, list indices in range.
    pub fn has(&self, path: &FieldPath) -> bool {
        self.get(path).is_ok()
    }

    fn get_mut(&mut self, path: &FieldPath) -> Result<&mut Value, String> {
        let p = path.original.clone();
        let root = path.root;
        let mut elements = path.elements.iter();
        let first = elements.next().expect("non-empty path");
        let mut current = self
            .root_mut(root)
            .get_mut(first)
            .ok_or_else(|| format!("field [{first}] not present as part of path [{p}]"))?;
        for element in elements {
            current = match current {
                Value::Null => {
                    return Err(format!(
                        "cannot resolve [{element}] from null as part of path [{p}]"
                    ))
                }
                Value::Map(map) => map.get_mut(element).ok_or_else(|| {
                    format!("field [{element}] not present as part of path [{p}]")
                })?,
                Value::List(list) => {
                    let i = index_of(element, list.len(), &p)?;
                    &mut list[i]
                }
                other => {
                    return Err(format!(
                        "cannot resolve [{element}] from object of type [{}] as part of path [{p}]",
                        other.java_class()
                    ))
                }
            };
        }
        Ok(current)
    }

    /// Mutable access to an existing field (for processors that rewrite in place).
    pub fn get_value_mut(&mut self, path: &FieldPath) -> Result<&mut Value, String> {
        self.get_mut(path)
    }

    /// Elasticsearch's `setFieldValue`: creates intermediate maps, replaces the leaf.
    pub fn set(&mut self, path: &FieldPath, value: Value) -> Result<(), String> {
        self.write(path, value, WriteMode::Set)
    }

    /// Elasticsearch's `appendFieldValue`: turns a scalar leaf into a list and adds to it.
    pub fn append(
        &mut self,
        path: &FieldPath,
        value: Value,
        allow_duplicates: bool,
    ) -> Result<(), String> {
        self.write(path, value, WriteMode::Append { allow_duplicates })
    }

    fn write(&mut self, path: &FieldPath, value: Value, mode: WriteMode) -> Result<(), String> {
        let p = path.original.clone();
        let leaf = path.elements.last().expect("non-empty path").clone();
        let parent: &mut Value;
        let root_level: bool = path.elements.len() == 1;
        if root_level {
            let map = self.root_mut(path.root);
            write_into_map(map, &leaf, value, mode);
            return Ok(());
        }
        let containers = &path.elements[..path.elements.len() - 1];
        parent = parent_for_write(self.root_mut(path.root), containers, &p)?;
        match parent {
            Value::Null => Err(format!(
                "cannot set [{leaf}] with null parent as part of path [{p}]"
            )),
            Value::Map(map) => {
                write_into_map(map, &leaf, value, mode);
                Ok(())
            }
            Value::List(list) => {
                let i = index_of(&leaf, list.len(), &p)?;
                match mode {
                    WriteMode::Set => list[i] = value,
                    WriteMode::Append { allow_duplicates } => {
                        append_values(&mut list[i], value, allow_duplicates)
                    }
                }
                Ok(())
            }
            other => Err(format!(
                "cannot set [{leaf}] with parent object of type [{}] as part of path [{p}]",
                other.java_class()
            )),
        }
    }

    /// Elasticsearch's `removeField`.
    pub fn remove(&mut self, path: &FieldPath) -> Result<Value, String> {
        let p = path.original.clone();
        let leaf = path.elements.last().expect("non-empty path").clone();
        if path.elements.len() == 1 {
            return self
                .root_mut(path.root)
                .shift_remove(&leaf)
                .ok_or_else(|| format!("field [{leaf}] not present as part of path [{p}]"));
        }
        let parent_path = FieldPath {
            original: p.clone(),
            root: path.root,
            elements: path.elements[..path.elements.len() - 1].to_vec(),
        };
        let parent = self.get_mut(&parent_path)?;
        match parent {
            Value::Null => Err(format!(
                "cannot remove [{leaf}] from null as part of path [{p}]"
            )),
            Value::Map(map) => map
                .shift_remove(&leaf)
                .ok_or_else(|| format!("field [{leaf}] not present as part of path [{p}]")),
            Value::List(list) => {
                let i = index_of(&leaf, list.len(), &p)?;
                Ok(list.remove(i))
            }
            other => Err(format!(
                "cannot remove [{leaf}] from object of type [{}] as part of path [{p}]",
                other.java_class()
            )),
        }
    }
}

/// Walks to the container of the leaf, creating missing maps on the way.
fn parent_for_write<'a>(
    root: &'a mut Map,
    containers: &[String],
    p: &str,
) -> Result<&'a mut Value, String> {
    let (first, rest) = containers.split_first().expect("at least one container");
    let mut current = root
        .entry(first.clone())
        .or_insert_with(|| Value::Map(Map::new()));
    for element in rest {
        current = match current {
            Value::Null => {
                return Err(format!(
                    "cannot set [{element}] with null parent as part of path [{p}]"
                ))
            }
            Value::Map(map) => map
                .entry(element.clone())
                .or_insert_with(|| Value::Map(Map::new())),
            Value::List(list) => {
                let i = index_of(element, list.len(), p)?;
                &mut list[i]
            }
            other => {
                return Err(format!(
                    "cannot set [{element}] with parent object of type [{}] as part of path [{p}]",
                    other.java_class()
                ))
            }
        };
    }
    Ok(current)
}

#[derive(Clone, Copy)]
enum WriteMode {
    Set,
    Append { allow_duplicates: bool },
}

fn write_into_map(map: &mut Map, leaf: &str, value: Value, mode: WriteMode) {
    match mode {
        WriteMode::Set => {
            map.insert(leaf.to_string(), value);
        }
        WriteMode::Append { allow_duplicates } => match map.get_mut(leaf) {
            Some(existing) => append_values(existing, value, allow_duplicates),
            // A new field takes every value: Elasticsearch does not check
            // duplicates when it creates the list.
            None => {
                let list = match value {
                    Value::List(items) => items,
                    other => vec![other],
                };
                map.insert(leaf.to_string(), Value::List(list));
            }
        },
    }
}

/// Elasticsearch's `appendValues`: a list value contributes each element.
/// Without duplicates allowed, a scalar that gains nothing stays a scalar.
pub fn append_values(target: &mut Value, value: Value, allow_duplicates: bool) {
    let was_list = matches!(target, Value::List(_));
    let mut list = match &mut *target {
        Value::List(list) => std::mem::take(list),
        scalar => vec![scalar.clone()],
    };
    let before = list.len();
    let mut push = |v: Value| {
        if allow_duplicates || !list.contains(&v) {
            list.push(v);
        }
    };
    match value {
        Value::List(items) => items.into_iter().for_each(&mut push),
        other => push(other),
    }
    if was_list || allow_duplicates || list.len() > before {
        *target = Value::List(list);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> IngestDocument {
        match Value::from_json_str(json).unwrap() {
            Value::Map(m) => IngestDocument::new(m),
            _ => panic!(),
        }
    }

    /// A path of 100,000 segments would nest maps deeper than any document
    /// can be written, and deeper than the Rust stack can drop or print.
    #[test]
    fn a_path_deeper_than_a_document_can_be_is_refused() {
        let deep = vec!["a"; MAX_PATH_DEPTH + 1].join(".");
        let e = FieldPath::parse(&deep).unwrap_err();
        assert!(e.contains("nested more than 1000 levels deep"), "{e}");
        let ok = vec!["a"; MAX_PATH_DEPTH].join(".");
        let mut d = doc("{}");
        d.set(&FieldPath::parse(&ok).unwrap(), Value::from(1)).unwrap();
        assert!(Value::Map(d.source()).to_json().ends_with(&format!("1{}", "}".repeat(MAX_PATH_DEPTH))));
    }

    fn path(p: &str) -> FieldPath {
        FieldPath::parse(p).unwrap()
    }

    #[test]
    fn get_errors_match_elasticsearch() {
        let d = doc(r#"{"a":"x","l":[1,2]}"#);
        assert_eq!(
            d.get(&path("b.c")).unwrap_err(),
            "field [b] not present as part of path [b.c]"
        );
        assert_eq!(
            d.get(&path("a.b")).unwrap_err(),
            "cannot resolve [b] from object of type [java.lang.String] as part of path [a.b]"
        );
        assert_eq!(
            d.get(&path("l.5")).unwrap_err(),
            "[5] is out of bounds for array with length [2] as part of path [l.5]"
        );
        assert_eq!(
            d.get(&path("l.x")).unwrap_err(),
            "[x] is not an integer, cannot be used as an index as part of path [l.x]"
        );
        assert_eq!(d.get(&path("l.1")).unwrap(), &Value::Int(2));
    }

    #[test]
    fn set_creates_intermediate_maps() {
        let mut d = doc(r#"{"a":"x"}"#);
        d.set(&path("b.c.d"), Value::Int(1)).unwrap();
        assert_eq!(d.ctx.get("b").unwrap().to_json(), r#"{"c":{"d":1}}"#);
        assert_eq!(
            d.set(&path("a.b"), Value::Int(1)).unwrap_err(),
            "cannot set [b] with parent object of type [java.lang.String] as part of path [a.b]"
        );
        d.set(&path("_source.s"), Value::Int(2)).unwrap();
        assert_eq!(d.ctx["s"], Value::Int(2));
        d.set(&path("_ingest.x"), Value::Int(3)).unwrap();
        assert_eq!(d.ingest["x"], Value::Int(3));
    }

    #[test]
    fn append_turns_scalars_into_lists() {
        let mut d = doc(r#"{"a":"x"}"#);
        d.append(&path("a"), Value::from("y"), true).unwrap();
        d.append(&path("a"), Value::from("y"), false).unwrap();
        d.append(
            &path("n"),
            Value::List(vec![Value::Int(1), Value::Int(1)]),
            false,
        )
        .unwrap();
        d.append(&path("s"), Value::from("z"), false).unwrap();
        d.append(&path("s"), Value::from("z"), false).unwrap();
        assert_eq!(
            Value::Map(d.ctx).to_json(),
            r#"{"a":["x","y"],"n":[1,1],"s":["z"]}"#
        );
        let mut d = doc(r#"{"a":"x"}"#);
        d.append(&path("a"), Value::from("x"), false).unwrap();
        assert_eq!(
            Value::Map(d.ctx).to_json(),
            r#"{"a":"x"}"#,
            "a scalar that gains nothing stays a scalar"
        );
    }

    #[test]
    fn ingest_timestamp_prints_like_zoned_date_time() {
        use chrono::TimeZone;
        let at = |s, n| java_zoned_date_time(chrono::Utc.timestamp_opt(s, n).unwrap());
        assert_eq!(at(1_700_000_000, 0), "2023-11-14T22:13:20Z");
        assert_eq!(at(1_699_999_980, 0), "2023-11-14T22:13Z");
        assert_eq!(at(1_700_000_000, 120_000_000), "2023-11-14T22:13:20.120Z");
        assert_eq!(
            at(1_700_000_000, 123_456_789),
            "2023-11-14T22:13:20.123456Z"
        );
        let d = IngestDocument::new(Map::new());
        assert!(matches!(d.ingest.get("timestamp"), Some(Value::String(s)) if s.ends_with('Z')));
    }

    #[test]
    fn remove_reports_missing() {
        let mut d = doc(r#"{"a":{"b":1}}"#);
        assert_eq!(
            d.remove(&path("a.c")).unwrap_err(),
            "field [c] not present as part of path [a.c]"
        );
        assert_eq!(d.remove(&path("a.b")).unwrap(), Value::Int(1));
        assert_eq!(
            FieldPath::parse("").unwrap_err(),
            "path cannot be null nor empty"
        );
    }
}

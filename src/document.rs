//! The document a pipeline works on, with Elasticsearch's field-path rules.
//!
//! Like Elasticsearch's `IngestDocument`, the source and the metadata fields
//! (`_index`, `_id`, ...) share one map, which is what Painless sees as `ctx`;
//! the `_ingest` metadata (timestamp, on-failure details, foreach's `_value`)
//! lives in a second map reached through the `_ingest.` prefix.

use crate::value::{FieldName, Map, Value};

pub mod metadata;

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
    elements: Vec<FieldName>,
    /// Whether the path starts at a metadata key of `ctx`, whose writes
    /// and removals are checked (`metadata`): known when parsed, so that
    /// other paths pay one test of this flag.
    at_metadata: bool,
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
        let mut names: Vec<&str> = rest.split('.').collect();
        while names.last().is_some_and(|e| e.is_empty()) {
            names.pop();
        }
        let elements: Vec<FieldName> = names.into_iter().map(FieldName::new).collect();
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
        let at_metadata = root == Root::Ctx && metadata::is_checked_key(elements[0].name());
        Ok(FieldPath {
            original: path.to_string(),
            root,
            elements,
            at_metadata,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.original
    }
}

/// Paths parsed once, when a processor is built, for the field names it
/// knows it will write (grok's capture names, dissect's keys); a name not
/// among them is parsed when it comes, with the same result.
#[derive(Debug, Clone, Default)]
pub struct KnownPaths(Vec<FieldPath>);

impl KnownPaths {
    /// Names that are not valid paths are left out: they fail when met.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> KnownPaths {
        KnownPaths(names.into_iter().filter_map(|n| FieldPath::parse(n).ok()).collect())
    }

    /// `FieldPath::parse(name)`, from the parsed ones when it is known.
    pub fn path(&self, name: &str) -> Result<std::borrow::Cow<'_, FieldPath>, String> {
        match self.0.iter().find(|p| p.original == name) {
            Some(p) => Ok(std::borrow::Cow::Borrowed(p)),
            None => FieldPath::parse(name).map(std::borrow::Cow::Owned),
        }
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

/// Why a path did not resolve. Lookups that only ask whether a field is
/// there (`has`, `get_opt`, `rename`'s checks) never need the message, so
/// it is built only when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss<'p> {
    NotPresent(&'p str),
    FromNull(&'p str),
    FromType(&'p str, &'static str),
    NotAnInteger(&'p str),
    OutOfBounds(i32, usize),
}

impl Miss<'_> {
    /// Elasticsearch's message for this miss in `path`.
    pub fn message(self, path: &str) -> String {
        match self {
            Miss::NotPresent(element) => {
                format!("field [{element}] not present as part of path [{path}]")
            }
            Miss::FromNull(element) => {
                format!("cannot resolve [{element}] from null as part of path [{path}]")
            }
            Miss::FromType(element, class) => format!(
                "cannot resolve [{element}] from object of type [{class}] as part of path [{path}]"
            ),
            Miss::NotAnInteger(element) => format!(
                "[{element}] is not an integer, cannot be used as an index as part of path [{path}]"
            ),
            Miss::OutOfBounds(index, len) => format!(
                "[{index}] is out of bounds for array with length [{len}] as part of path [{path}]"
            ),
        }
    }

    /// `hasField(path, failOutOfRange = true)` fails on these instead of
    /// answering false.
    pub fn is_out_of_bounds(self) -> bool {
        matches!(self, Miss::OutOfBounds(..))
    }
}

fn list_index(element: &str, len: usize) -> Result<usize, Miss<'_>> {
    let index: i32 = element.parse().map_err(|_| Miss::NotAnInteger(element))?;
    if index < 0 || index as usize >= len {
        return Err(Miss::OutOfBounds(index, len));
    }
    Ok(index as usize)
}

fn index_of(element: &str, len: usize, path: &str) -> Result<usize, String> {
    list_index(element, len).map_err(|m| m.message(path))
}

/// One step of a read: the child `element` of `current`.
fn step<'v, 'p>(current: &'v Value, element: &'p FieldName) -> Result<&'v Value, Miss<'p>> {
    let name = element.name();
    match current {
        Value::Null => Err(Miss::FromNull(name)),
        Value::Map(map) => map_field(map, element),
        Value::List(list) => Ok(&list[list_index(name, list.len())?]),
        other => Err(Miss::FromType(name, other.java_class())),
    }
}

fn step_mut<'v, 'p>(current: &'v mut Value, element: &'p FieldName) -> Result<&'v mut Value, Miss<'p>> {
    let name = element.name();
    match current {
        Value::Null => Err(Miss::FromNull(name)),
        Value::Map(map) => map_field_mut(map, element),
        Value::List(list) => {
            let i = list_index(name, list.len())?;
            Ok(&mut list[i])
        }
        other => Err(Miss::FromType(name, other.java_class())),
    }
}

#[inline]
fn map_field<'v, 'p>(map: &'v Map, element: &'p FieldName) -> Result<&'v Value, Miss<'p>> {
    element.value_in(map).ok_or(Miss::NotPresent(element.name()))
}

#[inline]
fn map_field_mut<'v, 'p>(map: &'v mut Map, element: &'p FieldName) -> Result<&'v mut Value, Miss<'p>> {
    match element.index_in(map) {
        Some(i) => Ok(&mut map[i]),
        None => Err(Miss::NotPresent(element.name())),
    }
}

fn resolve_mut<'v, 'p>(root: &'v mut Map, elements: &'p [FieldName]) -> Result<&'v mut Value, Miss<'p>> {
    let (first, rest) = elements.split_first().expect("non-empty path");
    let mut current = map_field_mut(root, first)?;
    for element in rest {
        current = step_mut(current, element)?;
    }
    Ok(current)
}

impl IngestDocument {
    /// A document as Elasticsearch creates one: `_ingest.timestamp` is the
    /// time the document entered ingest.
    pub fn new(source: Map) -> IngestDocument {
        IngestDocument::at(source, chrono::Utc::now())
    }

    /// A document entering ingest at a given time (for reproducible runs).
    pub fn at(source: Map, now: chrono::DateTime<chrono::Utc>) -> IngestDocument {
        let mut ingest = Map::default();
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
        self.resolve(path).map_err(|m| m.message(path.as_str()))
    }

    /// Resolves a path; the miss, if any, says why without building a message.
    pub fn resolve<'p>(&self, path: &'p FieldPath) -> Result<&Value, Miss<'p>> {
        let (first, rest) = path.elements.split_first().expect("non-empty path");
        let mut current = map_field(self.root(path.root), first)?;
        for element in rest {
            current = step(current, element)?;
        }
        Ok(current)
    }

    pub fn get_str(&self, path: &str) -> Result<&Value, String> {
        self.get(&FieldPath::parse(path)?)
    }

    /// Like [`get`](Self::get) but a missing field is `None` rather than an error.
    pub fn get_opt(&self, path: &FieldPath) -> Option<&Value> {
        self.resolve(path).ok()
    }

    /// Elasticsearch's `hasField`: resolvable, list indices in range.
    pub fn has(&self, path: &FieldPath) -> bool {
        self.resolve(path).is_ok()
    }

    fn get_mut(&mut self, path: &FieldPath) -> Result<&mut Value, String> {
        resolve_mut(self.root_mut(path.root), &path.elements).map_err(|m| m.message(path.as_str()))
    }

    /// Mutable access to an existing field (for processors that rewrite in place).
    pub fn get_value_mut(&mut self, path: &FieldPath) -> Result<&mut Value, String> {
        self.get_mut(path)
    }

    /// Elasticsearch's `setFieldValue`: creates intermediate maps, replaces the leaf.
    pub fn set(&mut self, path: &FieldPath, value: Value) -> Result<(), String> {
        self.write(path, value, WriteMode::Set).map_err(|(e, _)| e)
    }

    /// Elasticsearch's `appendFieldValue`: turns a scalar leaf into a list and adds to it.
    pub fn append(
        &mut self,
        path: &FieldPath,
        value: Value,
        allow_duplicates: bool,
    ) -> Result<(), String> {
        self.write(path, value, WriteMode::Append { allow_duplicates })
            .map_err(|(e, _)| e)
    }

    /// Like [`set`](Self::set), but a failed write hands the value back
    /// (`rename` puts it back where it came from).
    pub fn set_or_return(&mut self, path: &FieldPath, value: Value) -> Result<(), (String, Value)> {
        self.write(path, value, WriteMode::Set)
    }

    fn write(&mut self, path: &FieldPath, value: Value, mode: WriteMode) -> Result<(), (String, Value)> {
        let p = path.as_str();
        let (leaf_element, containers) = path.elements.split_last().expect("non-empty path");
        let leaf = leaf_element.name();
        let root = self.root_mut(path.root);
        if containers.is_empty() {
            if path.at_metadata {
                return write_metadata(root, leaf_element, value, mode);
            }
            write_element(root, leaf_element, value, mode);
            return Ok(());
        }
        if path.at_metadata && containers[0].index_in(root).is_none() {
            // Elasticsearch puts a new map under the key first.
            if let Err(e) = metadata::check_put(containers[0].name(), &Value::Map(Map::default())) {
                return Err((e, value));
            }
        }
        let parent = match parent_for_write(root, containers, p) {
            Ok(parent) => parent,
            Err(e) => return Err((e, value)),
        };
        match parent {
            Value::Null => Err((
                format!("cannot set [{leaf}] with null parent as part of path [{p}]"),
                value,
            )),
            Value::Map(map) => {
                write_element(map, leaf_element, value, mode);
                Ok(())
            }
            Value::List(list) => {
                let i = match index_of(leaf, list.len(), p) {
                    Ok(i) => i,
                    Err(e) => return Err((e, value)),
                };
                write_field(&mut list[i], value, mode);
                Ok(())
            }
            other => Err((
                format!(
                    "cannot set [{leaf}] with parent object of type [{}] as part of path [{p}]",
                    other.java_class()
                ),
                value,
            )),
        }
    }

    /// `rename` from `from` to `to` when the two name keys of one map: the
    /// paths differ only in their last element and what they lead to is a
    /// map. Elasticsearch checks both fields, removes one and sets the other,
    /// four walks down the same path; here the map is found once. `None`
    /// when the paths are not of that shape or their container is not a
    /// map there (missing, a list, a scalar): the caller then takes the
    /// general path, which also gives the errors.
    pub fn rename_within_map(&mut self, from: &FieldPath, to: &FieldPath, replace: bool) -> Option<MapRename> {
        let (from_key, containers) = from.elements.split_last().expect("non-empty path");
        let (to_key, to_containers) = to.elements.split_last().expect("non-empty path");
        if from.root != to.root || containers != to_containers {
            return None;
        }
        // Writes and removals of metadata keys are checked on the general path.
        if containers.is_empty() && (from.at_metadata || to.at_metadata) {
            return None;
        }
        let root = self.root_mut(from.root);
        let map = if containers.is_empty() {
            root
        } else {
            resolve_mut(root, containers).ok()?.as_map_mut()?
        };
        let Some(from_index) = from_key.index_in(map) else {
            return Some(MapRename::FieldMissing);
        };
        if !replace && to_key.index_in(map).is_some() {
            return Some(MapRename::TargetExists);
        }
        let (_, value) = map.shift_remove_index(from_index).expect("found above");
        if replace {
            write_element(map, to_key, value, WriteMode::Set);
        } else {
            // `to` was looked for above and is not there: it goes at the end
            // without being looked for again.
            to_key.remember(map.insert_absent(to_key.name(), to_key.digest(), value));
        }
        Some(MapRename::Renamed)
    }

    /// Elasticsearch's `removeField`.
    pub fn remove(&mut self, path: &FieldPath) -> Result<Value, String> {
        let p = path.as_str();
        let (leaf_element, containers) = path.elements.split_last().expect("non-empty path");
        let leaf = leaf_element.name();
        let root = self.root_mut(path.root);
        if containers.is_empty() {
            if path.at_metadata && leaf_element.index_in(root).is_some() {
                metadata::check_remove(leaf)?;
            }
            return remove_element(root, leaf_element)
                .ok_or_else(|| format!("field [{leaf}] not present as part of path [{p}]"));
        }
        let parent = resolve_mut(root, containers).map_err(|m| m.message(p))?;
        match parent {
            Value::Null => Err(format!(
                "cannot remove [{leaf}] from null as part of path [{p}]"
            )),
            Value::Map(map) => remove_element(map, leaf_element)
                .ok_or_else(|| format!("field [{leaf}] not present as part of path [{p}]")),
            Value::List(list) => {
                let i = index_of(leaf, list.len(), p)?;
                Ok(list.remove(i))
            }
            other => Err(format!(
                "cannot remove [{leaf}] from object of type [{}] as part of path [{p}]",
                other.java_class()
            )),
        }
    }
}

/// What [`IngestDocument::rename_within_map`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapRename {
    Renamed,
    /// `from` is not in the map: nothing changed.
    FieldMissing,
    /// `to` is in the map and replacing was not asked for: nothing changed.
    TargetExists,
}

/// Walks to the container of the leaf, creating missing maps on the way.
fn parent_for_write<'a>(
    root: &'a mut Map,
    containers: &[FieldName],
    p: &str,
) -> Result<&'a mut Value, String> {
    let (first, rest) = containers.split_first().expect("at least one container");
    let mut current = child_element_or_new_map(root, first);
    for container in rest {
        let element = container.name();
        current = match current {
            Value::Null => {
                return Err(format!(
                    "cannot set [{element}] with null parent as part of path [{p}]"
                ))
            }
            Value::Map(map) => child_element_or_new_map(map, container),
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

/// `map[element]`, inserting an empty map first when absent; starts from
/// the element's guess. The key is only copied when it is inserted.
fn child_element_or_new_map<'a>(map: &'a mut Map, element: &FieldName) -> &'a mut Value {
    let i = match element.index_in(map) {
        Some(i) => i,
        None => {
            let i = map.insert_absent(element.name(), element.digest(), Value::Map(new_object()));
            element.remember(i);
            i
        }
    };
    &mut map[i]
}

/// An object created by a write: most get several fields soon after (an
/// ECS object such as `source.user` or `event` gets four to eight), so
/// room for eight from the start saves a table rebuild or two; room for
/// more measured slower.
fn new_object() -> Map {
    Map::with_capacity(8)
}

#[derive(Clone, Copy)]
enum WriteMode {
    Set,
    Append { allow_duplicates: bool },
}

/// Writes `leaf` of `map`, starting from its guess. Replacing keeps the
/// key (and its place); only a new key is copied.
fn write_element(map: &mut Map, leaf: &FieldName, value: Value, mode: WriteMode) {
    match leaf.index_in(map) {
        Some(i) => write_field(&mut map[i], value, mode),
        None => leaf.remember(map.insert_absent(leaf.name(), leaf.digest(), new_field_value(value, mode))),
    }
}

/// [`write_element`] of a metadata key of `ctx`, with the check
/// Elasticsearch's `CtxMap.put` makes of the value it puts: the value set,
/// or the list an append makes. An append that changes a list in place or
/// adds nothing puts nothing, so it is not checked.
fn write_metadata(map: &mut Map, leaf: &FieldName, value: Value, mode: WriteMode) -> Result<(), (String, Value)> {
    let key = leaf.name();
    let put = match (leaf.index_in(map), mode) {
        (Some(i), WriteMode::Append { .. }) if matches!(map[i], Value::List(_)) => {
            write_field(&mut map[i], value, mode);
            return Ok(());
        }
        (Some(i), WriteMode::Append { .. }) => {
            let mut appended = map[i].clone();
            write_field(&mut appended, value, mode);
            if !matches!(appended, Value::List(_)) {
                return Ok(());
            }
            appended
        }
        (_, mode) => new_field_value(value, mode),
    };
    if let Err(e) = metadata::check_put(key, &put) {
        return Err((e, put));
    }
    write_element(map, leaf, put, WriteMode::Set);
    Ok(())
}

/// A write to a field that is there.
fn write_field(field: &mut Value, value: Value, mode: WriteMode) {
    match mode {
        WriteMode::Set => *field = value,
        WriteMode::Append { allow_duplicates } => append_values(field, value, allow_duplicates),
    }
}

/// What a write puts in a field that was not there. Appending makes a list
/// of every value: Elasticsearch does not check duplicates when it creates
/// the list.
fn new_field_value(value: Value, mode: WriteMode) -> Value {
    match (mode, value) {
        (WriteMode::Set, value) => value,
        (WriteMode::Append { .. }, Value::List(items)) => Value::List(items),
        (WriteMode::Append { .. }, other) => Value::List(vec![other]),
    }
}

/// `map.remove(key)`, keeping the order of the other fields.
fn remove_element(map: &mut Map, leaf: &FieldName) -> Option<Value> {
    leaf.index_in(map).and_then(|i| map.shift_remove_index(i)).map(|(_, v)| v)
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

    /// `allow_duplicates: false` tests with `List.contains`, so `equals`: a
    /// BigInteger is a duplicate only of a BigInteger of the same value,
    /// never of a Long or Double, even one it narrows or rounds to.
    #[test]
    fn append_compares_big_integers_by_equals() {
        let mut d = doc(r#"{"a":[12345678901234567890]}"#);
        let big = Value::integer_of_text("12345678901234567890").unwrap();
        d.append(&path("a"), big, false).unwrap();
        d.append(&path("a"), Value::Long(-6101065172474983726), false).unwrap();
        d.append(&path("a"), Value::Double(1.2345678901234567E19), false).unwrap();
        assert_eq!(Value::Map(d.ctx).to_json(), r#"{"a":[12345678901234567890,-6101065172474983726,1.2345678901234567E19]}"#);
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
        let d = IngestDocument::new(Map::default());
        assert!(matches!(d.ingest.get("timestamp"), Some(Value::String(s)) if s.ends_with('Z')));
    }

    #[test]
    fn known_paths_parse_as_field_path_does() {
        let known = KnownPaths::new(["a.b", "_ingest.x", "", "c..", "_source.s"]);
        for name in ["a.b", "_ingest.x", "", "c..", "_source.s", "unknown.name", "."] {
            assert_eq!(known.path(name).map(|p| p.into_owned()), FieldPath::parse(name), "{name}");
        }
    }

    /// Writes, appends, removals and child maps give the maps the map's own
    /// operations give, in small maps and in large (hash-indexed) ones.
    #[test]
    fn map_writes_are_map_operations() {
        for size in 0..20 {
            let mut base = Map::default();
            for i in 0..size {
                // Keys of one length differ only in content.
                base.insert(format!("k{}", i % 10) + &"x".repeat(i / 10), Value::Int(i as i32));
            }
            let keys: Vec<String> = base.keys().cloned().chain(["k".into(), "missing".into(), "".into()]).collect();
            for key in &keys {
                let name = FieldName::new(key);
                assert_eq!(FieldName::new(key).found_in(&base), base.get_index_of(key.as_str()), "{size} {key}");

                let mut expected = base.clone();
                expected.insert(key.clone(), Value::from("new"));
                let mut m = base.clone();
                write_element(&mut m, &name, Value::from("new"), WriteMode::Set);
                assert_eq!(m.iter().collect::<Vec<_>>(), expected.iter().collect::<Vec<_>>(), "set {size} {key}");

                let mut expected = base.clone();
                match expected.get_mut(key.as_str()) {
                    Some(v) => append_values(v, Value::from("new"), false),
                    None => {
                        expected.insert(key.clone(), Value::List(vec![Value::from("new")]));
                    }
                }
                let mut m = base.clone();
                write_element(&mut m, &name, Value::from("new"), WriteMode::Append { allow_duplicates: false });
                assert_eq!(m.iter().collect::<Vec<_>>(), expected.iter().collect::<Vec<_>>(), "append {size} {key}");

                let mut expected = base.clone();
                let removed = expected.shift_remove(key.as_str());
                let mut m = base.clone();
                assert_eq!(remove_element(&mut m, &name), removed);
                assert_eq!(m.iter().collect::<Vec<_>>(), expected.iter().collect::<Vec<_>>(), "remove {size} {key}");

                let mut expected = base.clone();
                expected.entry(key.clone()).or_insert_with(|| Value::Map(Map::default()));
                let mut m = base.clone();
                let child = child_element_or_new_map(&mut m, &name).clone();
                assert_eq!(&child, &expected[key.as_str()]);
                assert_eq!(m.iter().collect::<Vec<_>>(), expected.iter().collect::<Vec<_>>(), "child {size} {key}");
            }
        }
    }

    /// The positions a path remembers are guesses: gets, sets, appends,
    /// removals and renames give the same answers and documents with paths
    /// used before on other documents (right, wrong and stale guesses) as
    /// with paths parsed afresh (no guess).
    #[test]
    fn remembered_positions_change_no_answer() {
        let big: String = (0..12).map(|i| format!(r#""k{i}":{i},"#)).collect();
        let big_reversed: String = (0..12).rev().map(|i| format!(r#""k{i}":{i},"#)).collect();
        let docs = [
            r#"{"a":{"b":1,"c":2},"b":3,"l":[{"x":1},2]}"#.to_string(),
            r#"{"b":3,"a":{"c":2,"b":1},"l":[2,{"x":1}]}"#.to_string(),
            r#"{"a":null,"s":"text","n":{}}"#.to_string(),
            format!(r#"{{{big}"a":{{{big}"b":1}},"b":2}}"#),
            format!(r#"{{"b":2,{big_reversed}"a":{{"b":1,{big_reversed}"c":3}}}}"#),
            "{}".to_string(),
        ];
        let names = [
            "a", "b", "c", "a.b", "a.c", "a.d", "a.b.c", "k3", "k11", "a.k3", "a.k11", "a.k0", "l.0", "l.1", "l.0.x",
            "l.5", "n.m", "s.t", "_ingest.x", "_ingest.y.z", "_source.a.b", "missing.x",
        ];
        let warm: Vec<FieldPath> = names.iter().map(|n| path(n)).collect();
        let mut rng = crate::xorshift::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut next = move |n: usize| (rng.next() % n as u64) as usize;
        let printed = |d: &IngestDocument| format!("{} {}", Value::Map(d.ctx.clone()).to_json(), Value::Map(d.ingest.clone()).to_json());
        let mut operations = 0;
        for round in 0..40 {
            for json in &docs {
                let (mut with_guesses, mut fresh) = (doc(json), doc(json));
                fresh.ingest = with_guesses.ingest.clone();
                for _ in 0..(round % 7 + 1) * 4 {
                    let (i, j) = (next(names.len()), next(names.len()));
                    let (p, q) = (&warm[i], &warm[j]);
                    let (p2, q2) = (path(names[i]), path(names[j]));
                    let value = Value::from(format!("v{}", next(3)));
                    let case = format!("{json} {} {}", names[i], names[j]);
                    match next(6) {
                        0 => assert_eq!(with_guesses.get(p), fresh.get(&p2), "get {case}"),
                        1 => assert_eq!(with_guesses.set(p, value.clone()), fresh.set(&p2, value), "set {case}"),
                        2 => assert_eq!(with_guesses.append(p, value.clone(), false), fresh.append(&p2, value, false), "append {case}"),
                        3 => assert_eq!(with_guesses.remove(p), fresh.remove(&p2), "remove {case}"),
                        4 => assert_eq!(with_guesses.rename_within_map(p, q, false), fresh.rename_within_map(&p2, &q2, false), "rename {case}"),
                        _ => assert_eq!(with_guesses.get_value_mut(p).cloned(), fresh.get_value_mut(&p2).cloned(), "get_mut {case}"),
                    }
                    assert_eq!(printed(&with_guesses), printed(&fresh), "{case}");
                    operations += 1;
                }
            }
        }
        assert!(operations > 3_000, "{operations}");
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

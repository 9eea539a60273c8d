//! Mustache templates as Elasticsearch's ingest templates evaluate them.
//!
//! A string option that Elasticsearch treats as a template is compiled once;
//! a string without `{{` stays a literal and costs nothing to render. The
//! model a template sees is the document: its fields, `_source.*` and
//! `_ingest.*`.
//!
//! Elasticsearch renders with mustache.java plus its `CustomMustacheFactory`:
//! `{{x}}` is escaped for the template's content type (JSON string escaping
//! unless told otherwise), `{{{x}}}` and `{{& x}}` are raw, a missing name is
//! empty, list elements are reached by index (`{{list.0}}`), sections iterate
//! lists and are skipped for null, `false`, `""` and empty lists, and the
//! custom sections `toJson`, `join` and `url` transform their content.

use crate::document::{FieldPath, IngestDocument};
use std::borrow::Cow;
use crate::error::EsError;
use crate::value::{FieldName, Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    source: String,
    nodes: Vec<Node>,
    escaping: Escaping,
}

/// How `{{x}}` escapes, chosen by the template's content type as in
/// Elasticsearch's `CustomMustacheFactory`: JSON string escaping by default
/// (`application/json`), none for `text/plain`, URL encoding for
/// `application/x-www-form-urlencoded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Escaping {
    #[default]
    Json,
    Plain,
    Url,
}

impl Escaping {
    /// The escaping for a `media_type` option value.
    pub fn for_media_type(media_type: &str) -> Option<Escaping> {
        match media_type {
            "application/json" => Some(Escaping::Json),
            "text/plain" => Some(Escaping::Plain),
            "application/x-www-form-urlencoded" => Some(Escaping::Url),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    /// `{{x}}` (escaped) or `{{{x}}}` / `{{& x}}` (raw).
    Var {
        name: Name,
        escaped: bool,
    },
    Section {
        name: String,
        inverted: bool,
        children: Vec<Node>,
    },
    /// `{{#toJson}}name{{/toJson}}`: the named list or map as JSON.
    ToJson(String),
    /// `{{#join}}name{{/join}}`: the named list's elements joined.
    Join {
        delimiter: String,
        name: String,
    },
    /// `{{#url}}...{{/url}}`: the rendered content, URL-encoded.
    Url(Vec<Node>),
}

/// A variable's dotted name, split into its segments once, when the
/// template is compiled, rather than at every render. Each segment
/// remembers where it was last found in a map, as a field path's keys do.
#[derive(Debug, Clone, PartialEq)]
struct Name {
    text: String,
    segments: Vec<FieldName>,
}

impl Name {
    fn new(text: &str) -> Name {
        Name {
            text: text.to_string(),
            segments: text.split('.').map(FieldName::new).collect(),
        }
    }

    /// What [`lookup_name`] finds with the document as the only scope, for
    /// the common name of document fields through maps: read straight from
    /// the maps, without scopes or [`Found`]. `Some(None)` when there is no
    /// such field; `None` when the lookup is left to [`lookup_name`] (`.`,
    /// `_ingest` and `_source`, a list on the way).
    fn document_field<'a>(&self, doc: &'a IngestDocument) -> Option<Option<&'a Value>> {
        let (first, rest) = self.segments.split_first()?;
        if self.text == "." || matches!(first.name(), "_ingest" | "_source") {
            return None;
        }
        let Some(mut value) = first.value_in(&doc.ctx) else {
            return Some(None);
        };
        for segment in rest {
            value = match value {
                Value::Map(map) => match segment.value_in(map) {
                    Some(field) => field,
                    None => return Some(None),
                },
                Value::List(_) => return None,
                _ => return Some(None),
            };
        }
        Some(Some(value))
    }
}

/// One segment of a name as a lookup takes it: split at render time, or
/// split at compile time with the position it was last found at.
trait Segment<'s>: Copy {
    fn text(self) -> &'s str;

    /// The field of `map` this segment names.
    fn field_of(self, map: &Map) -> Option<&Value>;
}

impl<'s> Segment<'s> for &'s str {
    fn text(self) -> &'s str {
        self
    }

    fn field_of(self, map: &Map) -> Option<&Value> {
        map.get(self)
    }
}

impl<'s> Segment<'s> for &'s FieldName {
    fn text(self) -> &'s str {
        self.name()
    }

    #[inline]
    fn field_of(self, map: &Map) -> Option<&Value> {
        self.index_in(map).map(|i| &map[i])
    }
}

enum Tag<'a> {
    Var(&'a str, bool),
    Open(&'a str, bool),
    Close(&'a str),
    Comment,
}

impl Template {
    pub fn compile(source: &str) -> Result<Template, EsError> {
        Template::compile_with(source, Escaping::Json)
    }

    pub fn compile_with(source: &str, escaping: Escaping) -> Result<Template, EsError> {
        let mut tokens = Vec::new();
        let mut rest = source;
        while let Some(start) = rest.find("{{") {
            if start > 0 {
                tokens.push(Err(&rest[..start]));
            }
            let after = &rest[start..];
            let (tag, consumed) = if let Some(inner) = after.strip_prefix("{{{") {
                let end = inner
                    .find("}}}")
                    .ok_or_else(|| template_error(source, "unclosed triple mustache"))?;
                (Tag::Var(inner[..end].trim(), false), 3 + end + 3)
            } else {
                let inner = &after[2..];
                let end = inner
                    .find("}}")
                    .ok_or_else(|| template_error(source, "unclosed tag"))?;
                let tag = inner[..end].trim();
                let tag = match tag.chars().next() {
                    Some('&') => Tag::Var(tag_body(tag), false),
                    Some('!') => Tag::Comment,
                    Some('#') => Tag::Open(tag_body(tag), false),
                    Some('^') => Tag::Open(tag_body(tag), true),
                    Some('/') => Tag::Close(tag_body(tag)),
                    Some(c @ ('>' | '<' | '=' | '$')) => {
                        return Err(template_error(
                            source,
                            &format!(
                            "mustache tag [{c}] (partials, delimiters, blocks) is not supported"
                        ),
                        ))
                    }
                    _ => Tag::Var(tag, true),
                };
                (tag, 2 + end + 2)
            };
            tokens.push(Ok(tag));
            rest = &after[consumed..];
        }
        if !rest.is_empty() {
            tokens.push(Err(rest));
        }
        let mut iter = tokens.into_iter();
        let nodes = parse_nodes(&mut iter, None, source, 0)?;
        Ok(Template {
            source: source.to_string(),
            nodes,
            escaping,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// True when the text has no tags: rendering returns it unchanged.
    pub fn is_literal(&self) -> bool {
        self.nodes.iter().all(|n| matches!(n, Node::Text(_)))
    }

    pub fn render(&self, doc: &IngestDocument) -> String {
        self.render_cow(doc).into_owned()
    }

    /// Renders without allocating when the template is plain text (the
    /// common case of a field name or a constant value).
    pub fn render_cow(&self, doc: &IngestDocument) -> Cow<'_, str> {
        match self.nodes.as_slice() {
            [] => Cow::Borrowed(""),
            [Node::Text(text)] => Cow::Borrowed(text),
            // A lone `{{{x}}}` (common for `set`'s value) is the variable's
            // text itself: no scope stack, no second buffer.
            [Node::Var {
                name,
                escaped: false,
            }] => Cow::Owned(
                match name.document_field(doc) {
                    Some(field) => field.map(Found::Value),
                    None => lookup_name(&[Scope::Doc(doc)], name),
                }
                .map(Found::text)
                .unwrap_or_default(),
            ),
            nodes => {
                let mut out = String::new();
                let mut scopes = vec![Scope::Doc(doc)];
                render_nodes(nodes, &mut scopes, self.escaping, &mut out);
                Cow::Owned(out)
            }
        }
    }
}

/// A field-name option that Elasticsearch treats as a template (`set`'s
/// `field`, `rename`'s `field` and `target_field`, ...). Most are plain
/// names, which are parsed into a [`FieldPath`] once here instead of once
/// per document; a templated one is rendered and parsed per document, as
/// Elasticsearch does. A plain name that is not a valid path keeps its
/// error for run time, where Elasticsearch reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldTemplate {
    template: Template,
    parsed: Option<Result<FieldPath, String>>,
}

impl FieldTemplate {
    pub fn compile(source: &str) -> Result<FieldTemplate, EsError> {
        FieldTemplate::new(Template::compile(source)?)
    }

    pub fn new(template: Template) -> Result<FieldTemplate, EsError> {
        let parsed = match template.nodes.as_slice() {
            [] => Some(FieldPath::parse("")),
            [Node::Text(text)] => Some(FieldPath::parse(text)),
            _ => None,
        };
        Ok(FieldTemplate { template, parsed })
    }

    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The field's name for this document.
    pub fn render(&self, doc: &IngestDocument) -> Cow<'_, str> {
        self.template.render_cow(doc)
    }

    /// The field's path for this document: `FieldPath::parse` of the
    /// rendered name. Inlined: for a plain name the caller's match on the
    /// result folds away.
    #[inline]
    pub fn path(&self, doc: &IngestDocument) -> Result<Cow<'_, FieldPath>, String> {
        match &self.parsed {
            Some(Ok(path)) => Ok(Cow::Borrowed(path)),
            Some(Err(e)) => Err(e.clone()),
            None => FieldPath::parse(&self.template.render_cow(doc)).map(Cow::Owned),
        }
    }
}

/// A tag's name after its sigil (`#`, `^`, `/`, `&`).
fn tag_body(tag: &str) -> &str {
    tag[1..].trim()
}

type Token<'a> = Result<Tag<'a>, &'a str>;

/// Sections nested deeper than this are refused: parsing and rendering
/// recurse once per level, and no real template comes near it.
const MAX_SECTION_DEPTH: usize = 100;

fn parse_nodes<'a>(
    tokens: &mut impl Iterator<Item = Token<'a>>,
    open: Option<&str>,
    source: &str,
    depth: usize,
) -> Result<Vec<Node>, EsError> {
    if depth > MAX_SECTION_DEPTH {
        return Err(template_error(
            source,
            &format!("sections are nested more than {MAX_SECTION_DEPTH} levels deep"),
        ));
    }
    let mut nodes = Vec::new();
    while let Some(token) = tokens.next() {
        match token {
            Err(text) => nodes.push(Node::Text(text.to_string())),
            Ok(Tag::Comment) => {}
            Ok(Tag::Var(name, escaped)) => nodes.push(Node::Var {
                name: Name::new(name),
                escaped,
            }),
            Ok(Tag::Close(name)) => {
                return match open {
                    Some(o) if o == name => Ok(nodes),
                    Some(o) => Err(template_error(
                        source,
                        &format!("Mismatched start/end tags: {o} != {name}"),
                    )),
                    None => Err(template_error(
                        source,
                        &format!("Closing tag [{name}] without an opening tag"),
                    )),
                };
            }
            Ok(Tag::Open(name, inverted)) => {
                let children = parse_nodes(tokens, Some(name), source, depth + 1)?;
                let node = if inverted {
                    Node::Section {
                        name: name.to_string(),
                        inverted,
                        children,
                    }
                } else if name.eq_ignore_ascii_case("toJson") {
                    Node::ToJson(function_argument("toJson", children, source)?)
                } else if name.eq_ignore_ascii_case("url") {
                    Node::Url(children)
                } else if name.eq_ignore_ascii_case("join") {
                    Node::Join {
                        delimiter: ",".into(),
                        name: function_argument("join", children, source)?,
                    }
                } else if let Some(delimiter) = custom_join_delimiter(name) {
                    Node::Join {
                        delimiter: delimiter.to_string(),
                        name: function_argument("join", children, source)?,
                    }
                } else {
                    Node::Section {
                        name: name.to_string(),
                        inverted,
                        children,
                    }
                };
                nodes.push(node);
            }
        }
    }
    match open {
        Some(o) => Err(template_error(
            source,
            &format!("Failed to close '{o}' tag"),
        )),
        None => Ok(nodes),
    }
}

/// `join delimiter='x'`, exactly as Elasticsearch's pattern has it.
fn custom_join_delimiter(name: &str) -> Option<&str> {
    name.strip_prefix("join delimiter='")?.strip_suffix('\'')
}

/// A custom function's body is the name of the value it works on: one piece
/// of plain text, taken as it is (not trimmed). A tag in its place stands
/// for its own source text, which names nothing.
fn function_argument(function: &str, children: Vec<Node>, source: &str) -> Result<String, EsError> {
    match children.as_slice() {
        [Node::Text(name)] => Ok(name.clone()),
        [Node::Var {
            name,
            escaped: true,
        }] => Ok(format!("{{{{{name}}}}}", name = name.text)),
        [Node::Var {
            name,
            escaped: false,
        }] => Ok(format!("{{{{{{{name}}}}}}}", name = name.text)),
        [_] => Ok(String::new()),
        _ => Err(template_error(
            source,
            &format!("Mustache function [{function}] must contain one and only one identifier"),
        )),
    }
}

fn template_error(source: &str, message: &str) -> EsError {
    EsError::new(
        "general_script_exception",
        format!("Failed to compile inline script [{source}] using lang [mustache]"),
    )
    .caused_by(EsError::new("mustache_exception", message.to_string()))
}

/// A context a name can be looked up in: the document at the bottom, then
/// the values sections push.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Doc(&'a IngestDocument),
    Value(&'a Value),
    /// `_ingest` or `_source` entered by a section.
    Map(&'a Map),
}

#[derive(Clone, Copy)]
enum Found<'a> {
    Value(&'a Value),
    Map(&'a Map),
    /// A list's `size`.
    Size(usize),
}

impl<'a> Found<'a> {
    fn child<'s>(self, key: impl Segment<'s>) -> Option<Found<'a>> {
        match self {
            Found::Map(m) | Found::Value(Value::Map(m)) => key.field_of(m).map(Found::Value),
            // Elasticsearch's object handler reaches list elements by
            // index, and a list's length as `size`.
            Found::Value(Value::List(l)) if key.text() == "size" => Some(Found::Size(l.len())),
            Found::Value(Value::List(l)) => key
                .text()
                .parse::<usize>()
                .ok()
                .and_then(|i| l.get(i))
                .map(Found::Value),
            Found::Value(_) | Found::Size(_) => None,
        }
    }

    fn to_value(self) -> Value {
        match self {
            Found::Value(v) => v.clone(),
            Found::Map(m) => Value::Map(m.clone()),
            Found::Size(n) => Value::integer(n as i64),
        }
    }

    fn text(self) -> String {
        match self {
            Found::Value(Value::Null) => String::new(),
            Found::Value(v) => v.to_java_string(),
            Found::Map(m) => Value::Map(m.clone()).to_java_string(),
            Found::Size(n) => n.to_string(),
        }
    }
}

fn scope_child<'a, 's>(scope: Scope<'a>, key: impl Segment<'s>) -> Option<Found<'a>> {
    match scope {
        Scope::Doc(doc) => match key.text() {
            "_ingest" => Some(Found::Map(&doc.ingest)),
            // `_source` is the whole ctx map here; metadata keys are reachable
            // through it too, as in Elasticsearch's template model.
            "_source" => Some(Found::Map(&doc.ctx)),
            _ => key.field_of(&doc.ctx).map(Found::Value),
        },
        Scope::Value(v) => Found::Value(v).child(key),
        Scope::Map(m) => Found::Map(m).child(key),
    }
}

/// mustache.java's lookup: the first segment is searched from the innermost
/// scope outwards; the rest are resolved inside what it found.
fn lookup<'a>(scopes: &[Scope<'a>], name: &str) -> Option<Found<'a>> {
    lookup_segments(scopes, name, name.split('.'))
}

/// [`lookup`] of a variable, with its name already split.
fn lookup_name<'a>(scopes: &[Scope<'a>], name: &Name) -> Option<Found<'a>> {
    lookup_segments(scopes, &name.text, name.segments.iter())
}

fn lookup_segments<'a, 's, S: Segment<'s>>(
    scopes: &[Scope<'a>],
    name: &str,
    mut segments: impl Iterator<Item = S>,
) -> Option<Found<'a>> {
    if name == "." {
        return match scopes.last()? {
            Scope::Doc(doc) => Some(Found::Map(&doc.ctx)),
            Scope::Value(v) => Some(Found::Value(v)),
            Scope::Map(m) => Some(Found::Map(m)),
        };
    }
    let first = segments.next()?;
    let mut found = scopes.iter().rev().find_map(|s| scope_child(*s, first))?;
    for segment in segments {
        found = found.child(segment)?;
    }
    Some(found)
}

fn truthy(found: Option<Found>) -> bool {
    match found {
        None | Some(Found::Value(Value::Null)) | Some(Found::Value(Value::Bool(false))) => false,
        Some(Found::Value(Value::String(s))) => !s.is_empty(),
        Some(Found::Value(Value::List(l))) => !l.is_empty(),
        Some(_) => true,
    }
}

fn render_nodes<'a>(
    nodes: &'a [Node],
    scopes: &mut Vec<Scope<'a>>,
    escaping: Escaping,
    out: &mut String,
) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Var { name, escaped } => {
                let found = lookup_name(scopes, name);
                // A string is its own text: written straight from the document.
                let owned;
                let text = match found {
                    Some(Found::Value(Value::String(s))) => s.as_str(),
                    other => {
                        owned = other.map(Found::text).unwrap_or_default();
                        owned.as_str()
                    }
                };
                if *escaped {
                    escape(text, escaping, out);
                } else {
                    out.push_str(text);
                }
            }
            Node::Section {
                name,
                inverted: true,
                children,
            } => {
                if !truthy(lookup(scopes, name)) {
                    render_nodes(children, scopes, escaping, out);
                }
            }
            Node::Section {
                name,
                inverted: false,
                children,
            } => {
                let found = lookup(scopes, name);
                if !truthy(found) {
                    continue;
                }
                match found {
                    Some(Found::Value(Value::List(items))) => {
                        for item in items {
                            scopes.push(Scope::Value(item));
                            render_nodes(children, scopes, escaping, out);
                            scopes.pop();
                        }
                    }
                    Some(Found::Value(v)) => {
                        scopes.push(Scope::Value(v));
                        render_nodes(children, scopes, escaping, out);
                        scopes.pop();
                    }
                    Some(Found::Map(m)) => {
                        scopes.push(Scope::Map(m));
                        render_nodes(children, scopes, escaping, out);
                        scopes.pop();
                    }
                    // A list's `size`: a number, which has no fields.
                    _ => render_nodes(children, scopes, escaping, out),
                }
            }
            Node::ToJson(name) => match lookup(scopes, name) {
                None | Some(Found::Value(Value::Null)) => {}
                Some(found @ (Found::Map(_) | Found::Value(Value::Map(_) | Value::List(_)))) => {
                    out.push_str(&crate::value::to_json_java_order(&found.to_value()))
                }
                // Anything else is not JSON to Elasticsearch: printed as is.
                Some(found) => out.push_str(&found.text()),
            },
            Node::Join { delimiter, name } => match lookup(scopes, name) {
                Some(Found::Value(Value::List(items))) => {
                    let parts: Vec<String> = items.iter().map(Value::to_java_string).collect();
                    out.push_str(&parts.join(delimiter));
                }
                // Not a list: Elasticsearch writes the function's body, the name.
                _ => out.push_str(name),
            },
            Node::Url(children) => {
                let text = render_to_string(children, scopes, escaping);
                escape(&text, Escaping::Url, out);
            }
        }
    }
}

fn render_to_string<'a>(
    nodes: &'a [Node],
    scopes: &mut Vec<Scope<'a>>,
    escaping: Escaping,
) -> String {
    let mut s = String::new();
    render_nodes(nodes, scopes, escaping, &mut s);
    s
}

fn escape(text: &str, escaping: Escaping, out: &mut String) {
    match escaping {
        Escaping::Plain => out.push_str(text),
        Escaping::Json => {
            // Jackson's quoteAsString: the JSON string body without quotes.
            let mut quoted = String::new();
            crate::value::write_json_string(text, &mut quoted);
            out.push_str(&quoted[1..quoted.len() - 1]);
        }
        Escaping::Url => {
            // java.net.URLEncoder with UTF-8.
            for b in text.bytes() {
                match b {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                        out.push(b as char)
                    }
                    b' ' => out.push('+'),
                    b => out.push_str(&format!("%{b:02X}")),
                }
            }
        }
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

    fn render(t: &str, json: &str) -> String {
        Template::compile(t).unwrap().render(&doc(json))
    }

    /// A BigInteger renders as `toString()` writes it, all its digits;
    /// inside a map or list too (`toString`), and `toJson` writes it whole.
    #[test]
    fn big_integers_render_whole() {
        let json = r#"{"n": 12345678901234567890, "l": [-99999999999999999999], "m": {"k": 18446744073709551616}}"#;
        assert_eq!(render("{{n}}", json), "12345678901234567890");
        assert_eq!(render("{{l}} {{m}}", json), "[-99999999999999999999] {k=18446744073709551616}");
        assert_eq!(render("{{#toJson}}m{{/toJson}}", json), r#"{"k":18446744073709551616}"#);
        assert_eq!(render("{{#n}}yes{{/n}}", json), "yes");
    }

    /// Deeply nested sections are a compile error, not a stack overflow.
    #[test]
    fn deeply_nested_sections_are_refused() {
        let deep = format!("{}x{}", "{{#a}}".repeat(50_000), "{{/a}}".repeat(50_000));
        let e = Template::compile(&deep).unwrap_err();
        let cause = e.caused_by.as_deref().unwrap();
        assert_eq!(cause.kind, "mustache_exception");
        assert_eq!(cause.reason, "sections are nested more than 100 levels deep");
        let ok = format!("{}x{}", "{{#a}}".repeat(100), "{{/a}}".repeat(100));
        assert_eq!(render(&ok, r#"{"a": true}"#), "x");
    }

    /// A name split at compile time finds what splitting it at render time
    /// finds, in the document and inside sections.
    #[test]
    fn precomputed_names_look_up_as_split_names() {
        let names = ["a", "a.b", "a..c", "a.", ".", "", "l.0.k", "l.1", "l.size", "l.x", "_ingest.timestamp", "_source.a.b", "n", "n.x", "m.1", "k", "a.b.c", "..", "nope.nope"];
        // One set of names over several documents, as a pipeline uses a
        // template: each segment's remembered position is right, wrong or
        // out of range by turns, and never changes what is found.
        let precomputed: Vec<Name> = names.iter().map(|n| Name::new(n)).collect();
        let filler: String = (0..12).map(|i| format!(r#""f{i}":{i},"#)).collect();
        for json in [
            r#"{"a":{"b":"x","":{"c":1}},"l":[{"k":2},"y"],"":3,"n":null,"m":{"1":4}}"#.to_string(),
            r#"{"m":{"0":0,"1":5},"n":{"x":1},"":4,"l":["y",{"k":3}],"a":{"":{"c":2},"b":"z"}}"#.to_string(),
            format!(r#"{{{filler}"a":{{{filler}"b":"w"}},"l":[],"k":"top"}}"#),
            "{}".to_string(),
        ] {
            let d = doc(&json);
            let item = Value::from_json_str(r#"{"k":"in","a":"shadow"}"#).unwrap();
            for scopes in [vec![Scope::Doc(&d)], vec![Scope::Doc(&d), Scope::Value(&item)], vec![Scope::Doc(&d), Scope::Map(&d.ingest)]] {
                for (name, precomputed) in names.iter().zip(&precomputed) {
                    let split = lookup(&scopes, name).map(Found::text);
                    assert_eq!(split, lookup_name(&scopes, precomputed).map(Found::text), "{name} in {json}");
                    assert_eq!(split, lookup_name(&scopes, &Name::new(name)).map(Found::text), "{name} in {json}");
                }
            }
        }
    }

    /// A lone `{{{name}}}` renders what the general renderer gives it,
    /// whether its name is read straight from the document's maps or not.
    #[test]
    fn lone_variables_render_as_in_general() {
        let names = ["a", "a.b", "a..c", "a.", ".", "", "l.0.k", "l.1", "l.size", "l.x", "_ingest.timestamp", "_ingest", "_source.a.b", "_source", "n", "n.x", "m.1", "k", "a.b.c", "..", "nope.nope", "s.x", "d"];
        let filler: String = (0..12).map(|i| format!(r#""f{i}":{i},"#)).collect();
        let docs = [
            r#"{"a":{"b":"x","":{"c":1}},"l":[{"k":2},"y"],"":3,"n":null,"m":{"1":4},"s":"t","d":1.5}"#.to_string(),
            r#"{"m":{"0":0,"1":[5]},"n":{"x":1},"":4,"l":["y",{"k":3}],"a":{"":{"c":2},"b":{"z":true}},"k":false}"#.to_string(),
            format!(r#"{{{filler}"a":{{{filler}"b":"w"}},"l":[],"k":"top","_ingest":"shadow","_source":{{"a":{{"b":"s"}}}}}}"#),
            "{}".to_string(),
        ];
        let templates: Vec<Template> = names.iter().map(|n| Template::compile(&format!("{{{{{{{n}}}}}}}")).unwrap()).collect();
        // Each template renders every document, so remembered positions are right and wrong by turns.
        for _ in 0..2 {
            for json in &docs {
                let d = doc(json);
                for (name, template) in names.iter().zip(&templates) {
                    let mut general = String::new();
                    render_nodes(&template.nodes, &mut vec![Scope::Doc(&d)], template.escaping, &mut general);
                    assert_eq!(template.render(&d), general, "{name} in {json}");
                }
            }
        }
    }

    #[test]
    fn renders_fields_missing_as_empty() {
        let d = doc(r#"{"a":{"b":"x\"y"},"n":1}"#);
        assert_eq!(
            Template::compile("{{a.b}}-{{{a.b}}}-{{n}}-{{nope}}")
                .unwrap()
                .render(&d),
            r#"x\"y-x"y-1-"#
        );
        assert!(Template::compile("plain").unwrap().is_literal());
        assert_eq!(
            render("{{& a.b}}|{{!comment}}", r#"{"a":{"b":"<\\"}}"#),
            "<\\|"
        );
    }

    #[test]
    fn escaping_follows_content_type() {
        let d = doc(r#"{"s":"a b&\"\n"}"#);
        let with = |e| Template::compile_with("{{s}}", e).unwrap().render(&d);
        assert_eq!(with(Escaping::Json), "a b&\\\"\\n");
        assert_eq!(with(Escaping::Plain), "a b&\"\n");
        assert_eq!(with(Escaping::Url), "a+b%26%22%0A");
    }

    #[test]
    fn list_indices_values_and_source_prefix() {
        let json = r#"{"l":["x","y"],"d":1.0,"m":{"k":[1,2]},"b":true}"#;
        assert_eq!(
            render("{{l.1}} {{d}} {{m.k}} {{b}} {{l.9}}", json),
            "y 1.0 [1, 2] true "
        );
        assert_eq!(render("{{_source.l.0}}", json), "x");
    }

    #[test]
    fn ingest_metadata_is_reachable() {
        let mut d = doc("{}");
        d.ingest
            .insert("on_failure_message".into(), Value::from("boom"));
        assert_eq!(
            Template::compile("{{ _ingest.on_failure_message }}")
                .unwrap()
                .render(&d),
            "boom"
        );
    }

    #[test]
    fn sections_iterate_and_skip_falsy() {
        let json = r#"{"l":["a","b"],"e":[],"f":false,"s":"","m":{"k":"v"},"n":0}"#;
        assert_eq!(render("{{#l}}<{{.}}>{{/l}}", json), "<a><b>");
        assert_eq!(
            render(
                "{{#e}}x{{/e}}{{#f}}x{{/f}}{{#s}}x{{/s}}{{#missing}}x{{/missing}}",
                json
            ),
            ""
        );
        assert_eq!(
            render(
                "{{^e}}1{{/e}}{{^f}}2{{/f}}{{^s}}3{{/s}}{{^missing}}4{{/missing}}{{^l}}5{{/l}}",
                json
            ),
            "1234"
        );
        assert_eq!(render("{{#m}}{{k}}{{/m}}{{#n}}[{{.}}]{{/n}}", json), "v[0]");
        // Names not found in the pushed scope are looked up outside it.
        assert_eq!(render("{{#m}}{{n}}{{/m}}", json), "0");
    }

    #[test]
    fn custom_functions() {
        let json = r#"{"l":["a","b",1],"m":{"k":"v\""},"u":"a b/c","s":"x\"y"}"#;
        assert_eq!(render("{{#toJson}}m{{/toJson}}", json), r#"{"k":"v\""}"#);
        assert_eq!(render("{{#toJson}}l{{/toJson}}", json), r#"["a","b",1]"#);
        // Maps come out in Java's HashMap order.
        let nested = r#"{"m":{"message":{"z":1,"host":2},"b":[{"message":0,"a":1}]}}"#;
        assert_eq!(
            render("{{#toJson}}m{{/toJson}}", nested),
            r#"{"b":[{"a":1,"message":0}],"message":{"host":2,"z":1}}"#
        );
        assert_eq!(
            render("{{#TOJSON}}s{{/TOJSON}}|{{#toJson}}nope{{/toJson}}", json),
            "x\"y|"
        );
        assert_eq!(render("{{#join}}l{{/join}}", json), "a,b,1");
        assert_eq!(
            render("{{#join delimiter=' | '}}l{{/join delimiter=' | '}}", json),
            "a | b | 1"
        );
        // Not a list: the body itself is written.
        assert_eq!(render("{{#join}}s{{/join}}", json), "s");
        assert_eq!(render("{{#url}}{{{u}}}{{/url}}", json), "a+b%2Fc");
        assert_eq!(render("{{#url}}{{s}}{{/url}}", json), "x%5C%22y");
        assert_eq!(render("{{#l.size}}{{/l.size}}{{l.size}}", json), "3");
        let e = Template::compile("{{#toJson}}a{{b}}{{/toJson}}").unwrap_err();
        assert_eq!(
            e.caused_by.unwrap().reason,
            "Mustache function [toJson] must contain one and only one identifier"
        );
    }

    #[test]
    fn malformed_templates_fail_to_compile() {
        for bad in ["{{#a}}x", "{{/a}}", "{{#a}}{{/b}}", "{{x", "{{>partial}}"] {
            let e = Template::compile(bad).unwrap_err();
            assert_eq!(e.kind, "general_script_exception", "{bad}");
            assert_eq!(e.caused_by.unwrap().kind, "mustache_exception");
        }
    }
}

//! Dissect: splits a string by the delimiters between `%{key}`s, as
//! Elasticsearch's `libs/dissect` (`DissectParser`, `DissectKey`,
//! `DissectMatch`) does, byte for byte.
//!
//! Key modifiers: `+` appends to a key of the same name (`+key/N` orders the
//! parts), `?` and the empty key skip, `*key`/`&key` take a field name and a
//! value from two places, and a trailing `->` skips repeated delimiters to the
//! right. Results come out in the order Elasticsearch's `HashMap` yields them,
//! which is the order the processor sets the fields in.

mod java_hash_map;

use crate::error::EsError;
use crate::value::Value;
use java_hash_map::JavaHashMap;
use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Java's `$` (no MULTILINE): the end, or a final line terminator before it.
const JAVA_DOLLAR: &str = r"(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z";

/// The `%{key}delimiter` pairs of a pattern, as Elasticsearch's
/// `%\{([^}]*?)}(.+?(?=%\{)|.*$)` (DOTALL) finds them: a key runs to the first
/// `}`; its delimiter runs up to the next `%{` at least one character on, or
/// else to the end of the pattern.
fn key_delimiter_pairs(pattern: &str) -> Vec<(&str, &str)> {
    let mut pairs = Vec::new();
    let mut from = 0;
    while let Some(rel) = pattern[from..].find("%{") {
        let open = from + rel;
        let key_start = open + 2;
        let Some(close) = pattern[key_start..].find('}').map(|p| key_start + p) else {
            // No `}` after this `%{`: the search goes on one character later.
            from = open + 1;
            continue;
        };
        let rest = &pattern[close + 1..];
        let first_len = rest.chars().next().map_or(0, char::len_utf8);
        let delimiter_len = if first_len == 0 {
            0
        } else {
            match rest[first_len..].find("%{") {
                Some(p) => first_len + p,
                None => rest.len(),
            }
        };
        pairs.push((&pattern[key_start..close], &rest[..delimiter_len]));
        from = close + 1 + delimiter_len;
        if delimiter_len == rest.len() {
            break;
        }
    }
    pairs
}

fn left_modifier_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!(r"(?s)([+*&?])(.*?)(->)?{JAVA_DOLLAR}")).expect("valid"))
}

fn right_padding_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!(r"(?s)\A(.*?)(->)?{JAVA_DOLLAR}")).expect("valid"))
}

fn append_with_order_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(r"(?s)[+](.*?)(/)([0-9]+)(->)?{JAVA_DOLLAR}")).expect("valid")
    })
}

fn pattern_parse(pattern: &str, reason: &str) -> EsError {
    EsError::new(
        "pattern_parse",
        format!("Unable to parse pattern: {pattern} Reason: {reason}"),
    )
}

fn key_parse(key: &str, reason: &str) -> EsError {
    EsError::new(
        "key_parse",
        format!("Unable to parse key: {key} Reason: {reason}"),
    )
}

/// `DissectException.FindMatch`.
pub fn find_match_error(pattern: &str, source: &str) -> EsError {
    EsError::new(
        "find_match",
        format!("Unable to find match for dissect pattern: {pattern} against source: {source}"),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    None,
    AppendWithOrder,
    Append,
    FieldName,
    FieldValue,
    NamedSkip,
}

impl Modifier {
    fn from_char(c: char) -> Option<Modifier> {
        Some(match c {
            '/' => Modifier::AppendWithOrder,
            '+' => Modifier::Append,
            '*' => Modifier::FieldName,
            '&' => Modifier::FieldValue,
            '?' => Modifier::NamedSkip,
            _ => return None,
        })
    }

    /// `Modifier.findModifier`: at most one modifier, except `+` then `/`.
    fn find(key: &str) -> Result<Modifier, EsError> {
        let mut modifier = Modifier::None;
        let mut matches = 0;
        for c in key.chars() {
            let Some(found) = Modifier::from_char(c) else {
                continue;
            };
            let prior = modifier;
            modifier = found;
            matches += 1;
            if matches > 1 && !(prior == Modifier::Append && modifier == Modifier::AppendWithOrder)
            {
                return Err(key_parse(key, "multiple modifiers are not allowed."));
            }
        }
        Ok(modifier)
    }
}

/// One `%{...}` of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct DissectKey {
    pub modifier: Modifier,
    pub skip: bool,
    pub skip_right_padding: bool,
    pub append_position: i32,
    pub name: String,
}

impl DissectKey {
    pub fn parse(key: &str) -> Result<DissectKey, EsError> {
        let mut skip = key.is_empty();
        let modifier = Modifier::find(key)?;
        let mut name: Option<String> = None;
        let mut skip_right_padding = false;
        let mut append_position = 0;
        match modifier {
            Modifier::None => {
                if let Some(c) = right_padding_regex().captures(key) {
                    name = Some(c[1].to_string());
                    skip_right_padding = c.get(2).is_some();
                }
                skip = name.as_deref().is_none_or(str::is_empty);
            }
            Modifier::NamedSkip | Modifier::Append | Modifier::FieldName | Modifier::FieldValue => {
                if let Some(c) = left_modifier_regex().captures(key) {
                    name = Some(c[2].to_string());
                    skip_right_padding = c.get(3).is_some();
                }
                if modifier == Modifier::NamedSkip {
                    skip = true;
                }
            }
            Modifier::AppendWithOrder => {
                if let Some(c) = append_with_order_regex().captures(key) {
                    name = Some(c[1].to_string());
                    // Short.valueOf: out of range fails like Java does.
                    // Short.valueOf: Integer.parseInt's error past int, its own past short.
                    append_position = match c[3].parse::<i32>() {
                        Err(_) => {
                            return Err(EsError::new(
                                "number_format_exception",
                                format!("For input string: \"{}\"", &c[3]),
                            ))
                        }
                        Ok(v) if v > i16::MAX as i32 => {
                            return Err(EsError::new(
                                "number_format_exception",
                                format!("Value out of range. Value:\"{}\" Radix:10", &c[3]),
                            ))
                        }
                        Ok(v) => v,
                    };
                    skip_right_padding = c.get(4).is_some();
                }
            }
        }
        match name {
            Some(name) if !name.is_empty() || skip => Ok(DissectKey {
                modifier,
                skip,
                skip_right_padding,
                append_position,
                name,
            }),
            _ => Err(key_parse(key, "The key name could not be determined")),
        }
    }
}

#[derive(Debug, Clone)]
struct DissectPair {
    key: DissectKey,
    delimiter: String,
}

/// A compiled dissect pattern.
#[derive(Debug, Clone)]
pub struct DissectParser {
    pattern: String,
    pairs: Vec<DissectPair>,
    leading_delimiter: String,
    max_matches: usize,
    max_results: usize,
    append_count: usize,
    reference_count: usize,
    append_separator: String,
    /// Result names and their pairs, for patterns of plain keys only.
    simple_order: Option<Vec<(String, Vec<usize>)>>,
}

/// Java's line terminators, which `.` does not match without DOTALL.
fn is_java_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

impl DissectParser {
    pub fn new(pattern: &str, append_separator: &str) -> Result<DissectParser, EsError> {
        // LEADING_DELIMITER_PATTERN "^(.*?)%\{": the text before the first `%{`,
        // unless a line terminator comes first.
        let leading_delimiter = match pattern.find("%{") {
            Some(p) if !pattern[..p].chars().any(is_java_line_terminator) => {
                pattern[..p].to_string()
            }
            _ => String::new(),
        };
        let mut pairs = Vec::new();
        for (key, delimiter) in key_delimiter_pairs(&pattern[leading_delimiter.len()..]) {
            pairs.push(DissectPair { key: DissectKey::parse(key)?, delimiter: delimiter.to_string() });
        }
        let max_matches = pairs.len();
        let mut names: Vec<&str> = Vec::new();
        for p in pairs.iter().filter(|p| !p.key.skip) {
            if !names.contains(&p.key.name.as_str()) {
                names.push(&p.key.name);
            }
        }
        let max_results = names.len();
        if max_matches == 0 || max_results == 0 {
            return Err(pattern_parse(
                pattern,
                "Unable to find any keys or delimiters.",
            ));
        }
        let mut append_names: Vec<String> = Vec::new();
        for p in &pairs {
            if matches!(p.key.modifier, Modifier::Append | Modifier::AppendWithOrder)
                && !append_names.contains(&p.key.name)
            {
                append_names.push(p.key.name.clone());
            }
        }
        if !append_names.is_empty() {
            for p in pairs.iter_mut() {
                if p.key.modifier == Modifier::None && append_names.contains(&p.key.name) {
                    p.key.modifier = Modifier::Append;
                }
            }
        }
        let append_count = append_names.len();
        // '*' and '&' must come in pairs.
        let mut groups: Vec<(String, usize)> = Vec::new();
        for p in pairs
            .iter()
            .filter(|p| matches!(p.key.modifier, Modifier::FieldName | Modifier::FieldValue))
        {
            match groups.iter_mut().find(|(n, _)| *n == p.key.name) {
                Some(g) => g.1 += 1,
                None => groups.push((p.key.name.clone(), 1)),
            }
        }
        // Elasticsearch walks the groups in HashMap order; the first bad one is reported.
        let mut group_map = JavaHashMap::with_capacity(16);
        for (name, count) in &groups {
            group_map.put(Some(name.clone()), *count);
        }
        for (name, count) in group_map.into_ordered() {
            if count != 2 {
                let name = name.unwrap_or_default();
                let listed = vec![name.as_str(); count].join(",");
                return Err(pattern_parse(
                    pattern,
                    &format!(
                        "Found invalid key/reference associations: '{listed}' Please ensure each '*<key>' is matched with a matching '&<key>"
                    ),
                ));
            }
        }
        let reference_count = groups.len() * 2;
        let mut parser = DissectParser {
            pattern: pattern.to_string(),
            pairs,
            leading_delimiter,
            max_matches,
            max_results,
            append_count,
            reference_count,
            append_separator: append_separator.to_string(),
            simple_order: None,
        };
        parser.simple_order = simple_order(&parser);
        Ok(parser)
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The names of the keys that are not skipped: the fields a match can
    /// set (besides those a `*`/`&` reference pair names from the input).
    pub fn key_names(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().filter(|p| !p.key.skip).map(|p| p.key.name.as_str())
    }

    /// Dissects `input`: the fields in the order Elasticsearch sets them
    /// (values are strings, or null for a reference whose value never
    /// came), or `Unable to find match for dissect pattern: ...`. A name
    /// can come twice (a reference named `null` beside one whose name never
    /// came); setting the fields in turn gives what Elasticsearch's map does.
    pub fn parse(&self, input: &str) -> Result<Vec<(Cow<'_, str>, Value)>, EsError> {
        self.try_parse(input)
            .ok_or_else(|| find_match_error(&self.pattern, input))
    }

    /// `DissectParser.parse`: `None` when the input does not match.
    pub fn try_parse(&self, input: &str) -> Option<Vec<(Cow<'_, str>, Value)>> {
        let spans = self.scan(input);
        match &self.simple_order {
            Some(order) => self.assemble_simple(input, &spans, order),
            None => self.assemble(input, &spans),
        }
    }

    /// Where each key's value lies: `(pair index, start, end)` in the order
    /// the keys matched.
    fn scan(&self, input: &str) -> Vec<(usize, usize, usize)> {
        let mut spans = Vec::with_capacity(self.pairs.len());
        if input.len() > self.leading_delimiter.len() && input.starts_with(&self.leading_delimiter) {
            let bytes = input.as_bytes();
            let mut it = self.pairs.iter().enumerate();
            let (mut index, mut pair) = it.next().expect("at least one key");
            let mut delimiter = pair.delimiter.as_bytes();
            // Dissection starts right after the leading delimiter's bytes.
            let mut i = self.leading_delimiter.len();
            let mut value_start = i;
            let delimiter_at = |i: usize, d: &[u8]| -> bool {
                let mut count = 0;
                for (j, b) in d.iter().enumerate() {
                    if i + j < bytes.len() && bytes[i + j] == *b {
                        count += 1;
                    }
                }
                count == d.len()
            };
            'outer: while i < bytes.len() {
                if !delimiter.is_empty() && bytes[i] == delimiter[0] && delimiter_at(i, delimiter) {
                    spans.push((index, value_start, i));
                    i += delimiter.len();
                    // Repeated delimiters are skipped only after `->`; otherwise the
                    // next keys find them and take empty values (elasticsearch#119264).
                    if pair.key.skip_right_padding {
                        while i < bytes.len() && delimiter_at(i, delimiter) {
                            i += delimiter.len();
                        }
                    }
                    match it.next() {
                        None => break 'outer,
                        Some(next) => {
                            (index, pair) = next;
                            delimiter = pair.delimiter.as_bytes();
                            value_start = i;
                        }
                    }
                } else {
                    i += 1;
                }
            }
            if spans.len() != self.max_matches && delimiter.is_empty() {
                spans.push((index, value_start, bytes.len()));
            }
        }
        spans
    }

    /// The results of the matched `spans`, through `DissectMatch`.
    fn assemble(&self, input: &str, spans: &[(usize, usize, usize)]) -> Option<Vec<(Cow<'_, str>, Value)>> {
        let mut m = DissectMatch::new(self);
        for &(index, start, end) in spans {
            m.add(&self.pairs[index].key, span_text(input, start, end));
        }
        let results = m.results()?;
        Some(results.into_iter().map(|(name, value)| (Cow::Owned(name), value)).collect())
    }

    /// [`DissectParser::assemble`] for a pattern of plain keys: all of them
    /// must match, and each name takes its last value, in `order`.
    fn assemble_simple<'o>(
        &self,
        input: &str,
        spans: &[(usize, usize, usize)],
        order: &'o [(String, Vec<usize>)],
    ) -> Option<Vec<(Cow<'o, str>, Value)>> {
        if spans.len() != self.max_matches {
            return None;
        }
        // Every key matched, in pattern order: span `i` is pair `i`'s.
        let results = order.iter().map(|(name, pairs)| {
            let &last = pairs.last().expect("a name comes from a key");
            let (_, start, end) = spans[last];
            (Cow::Borrowed(name.as_str()), Value::String(span_text(input, start, end)))
        });
        Some(results.collect())
    }
}

/// A value's text; a delimiter may split a character only in input that
/// is not UTF-8 at the split, which Java decodes with replacements.
fn span_text(input: &str, start: usize, end: usize) -> String {
    let start = start.min(end);
    match input.get(start..end) {
        // Whole characters: the text as it is, without decoding it again.
        Some(text) => text.to_owned(),
        None => String::from_utf8_lossy(&input.as_bytes()[start..end]).into_owned(),
    }
}

/// For a pattern of plain (and skipped) keys, the names its results come
/// out in and the pairs that carry each: the order depends only on the
/// names, so it is `DissectMatch`'s order for any full match.
fn simple_order(parser: &DissectParser) -> Option<Vec<(String, Vec<usize>)>> {
    if parser.append_count > 0 || parser.reference_count > 0 {
        return None;
    }
    let spans: Vec<(usize, usize, usize)> = (0..parser.pairs.len()).map(|i| (i, 0, 0)).collect();
    let names = parser.assemble("", &spans)?;
    let order = names
        .into_iter()
        .map(|(name, _)| {
            let pairs = (0..parser.pairs.len())
                .filter(|&i| !parser.pairs[i].key.skip && parser.pairs[i].key.name == name)
                .collect();
            (name.into_owned(), pairs)
        })
        .collect();
    Some(order)
}

#[derive(Debug)]
struct AppendResult {
    values: Vec<(String, i32)>,
}

#[derive(Debug, Default)]
struct ReferenceResult {
    key: Option<String>,
    value: Option<String>,
}

/// `DissectMatch`: collects values per key kind in Java hash maps.
struct DissectMatch<'a> {
    parser: &'a DissectParser,
    simple: JavaHashMap<String>,
    references: JavaHashMap<ReferenceResult>,
    appends: JavaHashMap<AppendResult>,
    implicit_append_order: i32,
    matches: usize,
    simple_count: isize,
}

impl<'a> DissectMatch<'a> {
    fn new(parser: &'a DissectParser) -> DissectMatch<'a> {
        let simple_count = parser.max_matches as isize
            - parser.reference_count as isize
            - parser.append_count as isize;
        DissectMatch {
            parser,
            simple: JavaHashMap::with_capacity(simple_count.max(0) as usize),
            references: JavaHashMap::with_capacity(parser.reference_count),
            appends: JavaHashMap::with_capacity(parser.append_count),
            implicit_append_order: -1000,
            matches: 0,
            simple_count,
        }
    }

    fn add(&mut self, key: &DissectKey, value: String) {
        self.matches += 1;
        if key.skip {
            return;
        }
        match key.modifier {
            Modifier::None => self.simple.put(Some(key.name.clone()), value),
            Modifier::Append => {
                let order = self.implicit_append_order;
                self.implicit_append_order += 1;
                self.appends
                    .entry_or_insert_with(&key.name, || AppendResult { values: Vec::new() })
                    .values
                    .push((value, order));
            }
            Modifier::AppendWithOrder => {
                self.appends
                    .entry_or_insert_with(&key.name, || AppendResult { values: Vec::new() })
                    .values
                    .push((value, key.append_position));
            }
            Modifier::FieldName => {
                self.references
                    .entry_or_insert_with(&key.name, ReferenceResult::default)
                    .key = Some(value)
            }
            Modifier::FieldValue => {
                self.references
                    .entry_or_insert_with(&key.name, ReferenceResult::default)
                    .value = Some(value)
            }
            Modifier::NamedSkip => {}
        }
    }

    fn fully_matched(&self) -> bool {
        self.matches == self.parser.max_matches
    }

    fn results(self) -> Option<Vec<(String, Value)>> {
        let fully_matched = self.fully_matched();
        let separator = self.parser.append_separator.clone();
        let mut results: JavaHashMap<Option<String>> =
            JavaHashMap::with_capacity(self.parser.max_results);
        if self.simple_count > 0 {
            results.put_all(
                self.simple
                    .into_ordered()
                    .into_iter()
                    .map(|(k, v)| (k, Some(v)))
                    .collect(),
            );
        }
        if self.parser.reference_count > 0 {
            for (_, r) in self.references.into_ordered() {
                results.put(r.key, r.value);
            }
        }
        if self.parser.append_count > 0 {
            for (k, mut a) in self.appends.into_ordered() {
                a.values.sort_by_key(|(_, order)| *order);
                let joined: Vec<String> = a.values.into_iter().map(|(v, _)| v).collect();
                results.put(k, Some(joined.join(&separator)));
            }
        }
        if !(fully_matched && results.len() == self.parser.max_results) {
            return None;
        }
        Some(
            results
                .into_ordered()
                .into_iter()
                .map(|(k, v)| {
                    (
                        k.unwrap_or_else(|| "null".to_string()),
                        v.map(Value::String).unwrap_or(Value::Null),
                    )
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests;

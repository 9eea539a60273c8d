//! Grok: named regular-expression patterns expanded into one Oniguruma regex,
//! as Elasticsearch's `libs/grok` does it.
//!
//! Elasticsearch runs grok on Joni, a Java port of Oniguruma, with the Ruby
//! syntax; this module runs the real Oniguruma (through the `onig` crate) with
//! the same syntax, so named groups, lookaround, atomic groups, possessive
//! quantifiers and backreferences behave the same.
//!
//! * [`PatternBank`]: the built-in patterns of an `ecs_compatibility` mode,
//!   extended with `pattern_definitions`, checked for circular and dangling
//!   references like Elasticsearch's `PatternBank`.
//! * [`Grok::compile`]: expands `%{SYNTAX}`, `%{SYNTAX:field}` and
//!   `%{SYNTAX:field:type}` (Elasticsearch's `toRegex`), joins several
//!   patterns into one alternation (`GrokProcessor.combinePatterns`) and reads
//!   the capture configuration (`GrokCaptureConfig`).
//! * Joni's Ruby syntax makes `\w`, `\d` and `\s` ASCII-only while `\b` and
//!   POSIX brackets stay Unicode; [`ascii_range_shorthands`] spells the
//!   shorthands out so Oniguruma matches the same text.
//! * [`Grok::captures`]: one search, captures converted to their types and
//!   repeated names collected into a list (`GrokCaptureExtracter`). A search
//!   that backtracks without end is cut off by Oniguruma's retry limits and
//!   reported with the watchdog's message.

use crate::error::EsError;
use crate::value::Value;
use indexmap::IndexMap;
use onig::{MatchParam, Regex, RegexOptions, Region, SearchOptions, Syntax};
use std::sync::OnceLock;

mod lazy_split;
use lazy_split::LazySplit;

/// `ecs_compatibility`: which built-in pattern set is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EcsMode {
    /// `disabled`, Elasticsearch's default: the legacy patterns.
    #[default]
    Disabled,
    /// `v1`: the ECS-compliant patterns.
    V1,
}

impl EcsMode {
    /// The modes Elasticsearch accepts, in its order.
    pub const NAMES: [&'static str; 2] = ["disabled", "v1"];

    pub fn parse(name: &str) -> Option<EcsMode> {
        match name {
            "disabled" => Some(EcsMode::Disabled),
            "v1" => Some(EcsMode::V1),
            _ => None,
        }
    }
}

/// `ingest.grok.watchdog.max_execution_time`'s default, as the error reports it.
pub const MAX_EXECUTION_TIME_MILLIS: u64 = 1000;

/// Backtracking budget of one search: Oniguruma's retry limits stand in for
/// Elasticsearch's one-second watchdog. Ten million retries at one start
/// position (Oniguruma's own default) and a hundred million over the whole
/// search are a fraction of a second to a few seconds of work.
const RETRY_LIMIT_IN_MATCH: u32 = 10_000_000;
const RETRY_LIMIT_IN_SEARCH: u64 = 100_000_000;

/// Elasticsearch's `GrokBuiltinPatterns` file order: later files override earlier ones.
const LEGACY_FILES: &[(&str, &str)] = &[
    ("aws", include_str!("patterns/legacy/aws")),
    ("bacula", include_str!("patterns/legacy/bacula")),
    ("bind", include_str!("patterns/legacy/bind")),
    ("bro", include_str!("patterns/legacy/bro")),
    ("exim", include_str!("patterns/legacy/exim")),
    ("firewalls", include_str!("patterns/legacy/firewalls")),
    (
        "grok-patterns",
        include_str!("patterns/legacy/grok-patterns"),
    ),
    ("haproxy", include_str!("patterns/legacy/haproxy")),
    ("httpd", include_str!("patterns/legacy/httpd")),
    ("java", include_str!("patterns/legacy/java")),
    ("junos", include_str!("patterns/legacy/junos")),
    ("linux-syslog", include_str!("patterns/legacy/linux-syslog")),
    ("maven", include_str!("patterns/legacy/maven")),
    (
        "mcollective-patterns",
        include_str!("patterns/legacy/mcollective-patterns"),
    ),
    ("mongodb", include_str!("patterns/legacy/mongodb")),
    ("nagios", include_str!("patterns/legacy/nagios")),
    ("postgresql", include_str!("patterns/legacy/postgresql")),
    ("rails", include_str!("patterns/legacy/rails")),
    ("redis", include_str!("patterns/legacy/redis")),
    ("ruby", include_str!("patterns/legacy/ruby")),
    ("squid", include_str!("patterns/legacy/squid")),
];

/// Elasticsearch's ECS file order.
const ECS_V1_FILES: &[(&str, &str)] = &[
    ("aws", include_str!("patterns/ecs-v1/aws")),
    ("bacula", include_str!("patterns/ecs-v1/bacula")),
    ("bind", include_str!("patterns/ecs-v1/bind")),
    ("bro", include_str!("patterns/ecs-v1/bro")),
    ("exim", include_str!("patterns/ecs-v1/exim")),
    ("firewalls", include_str!("patterns/ecs-v1/firewalls")),
    (
        "grok-patterns",
        include_str!("patterns/ecs-v1/grok-patterns"),
    ),
    ("haproxy", include_str!("patterns/ecs-v1/haproxy")),
    ("httpd", include_str!("patterns/ecs-v1/httpd")),
    ("java", include_str!("patterns/ecs-v1/java")),
    ("junos", include_str!("patterns/ecs-v1/junos")),
    ("linux-syslog", include_str!("patterns/ecs-v1/linux-syslog")),
    ("maven", include_str!("patterns/ecs-v1/maven")),
    ("mcollective", include_str!("patterns/ecs-v1/mcollective")),
    ("mongodb", include_str!("patterns/ecs-v1/mongodb")),
    ("nagios", include_str!("patterns/ecs-v1/nagios")),
    ("postgresql", include_str!("patterns/ecs-v1/postgresql")),
    ("rails", include_str!("patterns/ecs-v1/rails")),
    ("redis", include_str!("patterns/ecs-v1/redis")),
    ("ruby", include_str!("patterns/ecs-v1/ruby")),
    ("squid", include_str!("patterns/ecs-v1/squid")),
    ("zeek", include_str!("patterns/ecs-v1/zeek")),
];

/// Reads a pattern file the way `GrokBuiltinPatterns.loadPatternsFromFile`
/// does: leading whitespace trimmed, `#` comments and blank lines skipped,
/// name and definition split at the first run of whitespace.
pub fn parse_pattern_file(text: &str, into: &mut IndexMap<String, String>) {
    for line in text.lines() {
        let trimmed = line.trim_start_matches(is_java_whitespace);
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let Some(split) = trimmed.find(is_java_whitespace) else {
            continue;
        };
        let name = &trimmed[..split];
        let definition = trimmed[split..].trim_start_matches(is_java_whitespace);
        // Java's split("\\s+", 2) keeps a trailing empty definition out.
        if definition.is_empty() && trimmed[split..].chars().all(is_java_whitespace) {
            // "NAME   " splits into ["NAME", ""]: Java keeps it as two parts.
            into.insert(name.to_string(), String::new());
            continue;
        }
        into.insert(name.to_string(), definition.to_string());
    }
}

/// `\s` in java.util.regex: space, tab, newline, vertical tab, form feed, CR.
fn is_java_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r')
}

fn builtin_map(mode: EcsMode) -> &'static IndexMap<String, String> {
    static LEGACY: OnceLock<IndexMap<String, String>> = OnceLock::new();
    static ECS: OnceLock<IndexMap<String, String>> = OnceLock::new();
    let (cell, files) = match mode {
        EcsMode::Disabled => (&LEGACY, LEGACY_FILES),
        EcsMode::V1 => (&ECS, ECS_V1_FILES),
    };
    cell.get_or_init(|| {
        let mut map = IndexMap::new();
        for (_, text) in files {
            parse_pattern_file(text, &mut map);
        }
        map
    })
}

/// A checked set of named patterns.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternBank {
    bank: IndexMap<String, String>,
}

impl PatternBank {
    /// Checks the bank like Elasticsearch's `PatternBank` constructor.
    pub fn new(bank: IndexMap<String, String>) -> Result<PatternBank, EsError> {
        forbid_circular_references(&bank)?;
        Ok(PatternBank { bank })
    }

    /// The built-in patterns of a mode.
    pub fn builtin(mode: EcsMode) -> PatternBank {
        PatternBank {
            bank: builtin_map(mode).clone(),
        }
    }

    /// `extendWith`: the built-ins overlaid with `pattern_definitions`, checked again.
    pub fn extend_with<I, K, V>(&self, extra: I) -> Result<PatternBank, EsError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut bank = self.bank.clone();
        let mut added = false;
        for (k, v) in extra {
            bank.insert(k.into(), v.into());
            added = true;
        }
        if !added {
            return Ok(self.clone());
        }
        PatternBank::new(bank)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.bank.get(name).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.bank.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bank.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.bank.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The names a definition references: what lies between `%{` and the first
/// `}` or `:` after it, without repeats, in order of appearance.
fn referenced_names<'a>(
    bank: &'a IndexMap<String, String>,
    name: &str,
) -> Result<Vec<&'a str>, EsError> {
    let pattern = bank.get(name).map(String::as_str).unwrap_or("");
    let mut refs: Vec<&str> = Vec::new();
    let mut from = 0;
    while let Some(rel) = pattern[from..].find("%{") {
        let i = from + rel;
        let begin = i + 2;
        let bracket = pattern[begin..].find('}').map(|p| p + begin);
        let colon = pattern[begin..].find(':').map(|p| p + begin);
        let end = match (bracket, colon) {
            (Some(b), None) => b,
            (None, Some(c)) => c,
            (Some(b), Some(c)) => b.min(c),
            (None, None) => {
                return Err(EsError::illegal_argument(format!(
                    "pattern [{pattern}] has an invalid syntax"
                )));
            }
        };
        let other = &pattern[begin..end];
        if !refs.contains(&other) {
            match bank.get_key_value(other) {
                Some((k, _)) => refs.push(k.as_str()),
                None => {
                    return Err(EsError::illegal_argument(format!(
                        "pattern [{name}] is referencing a non-existent pattern [{other}]"
                    )))
                }
            }
        }
        // Java advances by one char from the match: indexOf("%{", i + 1).
        from = i + 1;
    }
    Ok(refs)
}

/// Elasticsearch's `PatternBank.forbidCircularReferences`: a depth-first walk
/// from every pattern; a path that comes back to its start is reported as
/// `circular reference detected: A->B->A`.
fn forbid_circular_references(bank: &IndexMap<String, String>) -> Result<(), EsError> {
    use std::collections::HashSet;
    let mut all_visited: HashSet<&str> = HashSet::new();
    let mut visited_more_than_once: HashSet<&str> = HashSet::new();
    for start in bank.keys() {
        let start = start.as_str();
        if !visited_more_than_once.contains(start) && all_visited.contains(start) {
            continue;
        }
        let mut visited_from_start: indexmap::IndexSet<&str> = indexmap::IndexSet::new();
        // Each level: neighbours, and how many of them are done.
        let mut stack: Vec<(Vec<&str>, usize)> = vec![(vec![start], 0)];
        let mut unwinding = false;
        while let Some((level, idx)) = stack.last() {
            let idx = *idx;
            let node = level[idx];
            let level_len = level.len();
            let mut end_of_path = false;
            if unwinding {
                end_of_path = true;
            } else if node == start && stack.len() > 1 {
                let path: Vec<&str> = stack.iter().map(|(l, i)| l[*i]).collect();
                return Err(EsError::illegal_argument(format!(
                    "circular reference detected: {}",
                    path.join("->")
                )));
            } else if visited_from_start.contains(node) {
                visited_more_than_once.insert(node);
                end_of_path = true;
            } else {
                visited_from_start.insert(node);
                let neighbours = referenced_names(bank, node)?;
                if neighbours.is_empty() {
                    end_of_path = true;
                } else {
                    stack.push((neighbours, 0));
                }
            }
            if end_of_path {
                if idx == level_len - 1 {
                    stack.pop();
                    unwinding = true;
                } else {
                    stack.last_mut().expect("non-empty").1 += 1;
                    unwinding = false;
                }
            } else {
                unwinding = false;
            }
        }
        all_visited.extend(visited_from_start);
    }
    Ok(())
}

/// The type a capture is converted to (`%{NUMBER:n:int}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureType {
    String,
    Int,
    Long,
    Float,
    Double,
    Boolean,
}

impl CaptureType {
    /// `GrokCaptureType.fromString`: unknown names fall back to string.
    pub fn from_name(name: &str) -> CaptureType {
        match name {
            "int" => CaptureType::Int,
            "long" => CaptureType::Long,
            "float" => CaptureType::Float,
            "double" => CaptureType::Double,
            "boolean" => CaptureType::Boolean,
            _ => CaptureType::String,
        }
    }

    fn convert(self, text: &str) -> Result<Value, EsError> {
        Ok(match self {
            CaptureType::String => Value::String(text.to_string()),
            CaptureType::Int => Value::Int(
                parse_java_int(text)
                    .and_then(|v| i32::try_from(v).ok())
                    .ok_or_else(|| number_format(text))?,
            ),
            CaptureType::Long => {
                Value::Long(parse_java_int(text).ok_or_else(|| number_format(text))?)
            }
            CaptureType::Float => Value::Float(parse_java_f32(text)?),
            CaptureType::Double => Value::Double(parse_java_float(text)?),
            CaptureType::Boolean => Value::Bool(text.eq_ignore_ascii_case("true")),
        })
    }
}

fn number_format(text: &str) -> EsError {
    EsError::new(
        "number_format_exception",
        format!("For input string: \"{text}\""),
    )
}

/// `Long.parseLong`: an optional sign and decimal digits, nothing else.
fn parse_java_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<i64>().ok()
}

/// A decimal number as `Double.parseDouble` / `Float.parseFloat` read it:
/// surrounding control characters and spaces trimmed, an optional sign, an
/// optional `f`/`d` suffix, `NaN` and `Infinity`.
enum JavaDecimal<'a> {
    NaN,
    Infinity(bool),
    Number(bool, &'a str),
}

fn java_decimal(text: &str) -> Result<JavaDecimal<'_>, EsError> {
    let trimmed = text.trim_matches(|c: char| c <= ' ');
    if trimmed.is_empty() {
        return Err(EsError::new("number_format_exception", "empty String"));
    }
    let (negative, body) = match trimmed.as_bytes()[0] {
        b'-' => (true, &trimmed[1..]),
        b'+' => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    match body {
        "NaN" => return Ok(JavaDecimal::NaN),
        "Infinity" => return Ok(JavaDecimal::Infinity(negative)),
        _ => {}
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    let valid = !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && body.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.');
    if !valid {
        return Err(number_format(text));
    }
    Ok(JavaDecimal::Number(negative, body))
}

/// `Double.parseDouble`.
fn parse_java_float(text: &str) -> Result<f64, EsError> {
    match java_decimal(text)? {
        JavaDecimal::NaN => Ok(f64::NAN),
        JavaDecimal::Infinity(negative) => Ok(if negative { f64::NEG_INFINITY } else { f64::INFINITY }),
        JavaDecimal::Number(negative, body) => body
            .parse::<f64>()
            .map(|v| if negative { -v } else { v })
            .map_err(|_| number_format(text)),
    }
}

/// `Float.parseFloat`: rounded once, straight to single precision.
fn parse_java_f32(text: &str) -> Result<f32, EsError> {
    match java_decimal(text)? {
        JavaDecimal::NaN => Ok(f32::NAN),
        JavaDecimal::Infinity(negative) => Ok(if negative { f32::NEG_INFINITY } else { f32::INFINITY }),
        JavaDecimal::Number(negative, body) => body
            .parse::<f32>()
            .map(|v| if negative { -v } else { v })
            .map_err(|_| number_format(text)),
    }
}

/// One name the regex can capture: `GrokCaptureConfig`.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureConfig {
    /// The field name (`%{WORD:name}` gives `name`).
    pub name: String,
    pub kind: CaptureType,
    /// Group numbers carrying this group name, in order.
    groups: Vec<usize>,
}

impl CaptureConfig {
    fn from_group_name(group_name: &str, groups: Vec<usize>) -> CaptureConfig {
        let parts = java_split_colon(group_name);
        let name = match parts.len() {
            0 => String::new(),
            1 => parts[0].to_string(),
            _ => parts[1].to_string(),
        };
        let kind = if parts.len() == 3 {
            CaptureType::from_name(parts[2])
        } else {
            CaptureType::String
        };
        CaptureConfig { name, kind, groups }
    }
}

/// `String.split(":")`: trailing empty strings removed.
fn java_split_colon(s: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = s.split(':').collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

/// A compiled grok expression.
#[derive(Debug)]
pub struct Grok {
    expression: String,
    regex: Regex,
    captures: Vec<CaptureConfig>,
    /// The expression as a [`LazySplit`], when it has that shape.
    lazy_split: Option<LazySplit>,
    /// Number of patterns joined, and whether their alternatives are traced.
    pattern_count: usize,
    traced: bool,
}

/// The key `trace_match` records the matching pattern's index under.
pub const PATTERN_MATCH_KEY: &str = "_ingest._grok_match_index";

fn grok_reference_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::with_options(
            r"%\{(?<name>(?<pattern>[A-z0-9]+)(?::(?<subname>[[:alnum:]@\[\]_:.-]+))?)(?:=(?<definition>(?:[^{}]+|\.+)+))?\}",
            RegexOptions::REGEX_OPTION_NONE,
            Syntax::ruby(),
        )
        .expect("the grok reference regex compiles")
    })
}

const MAX_TO_REGEX_ITERATIONS: usize = 100_000;

/// Elasticsearch's `Grok.toRegex`: replaces the first `%{...}` with its
/// definition, as a named group when a field is given, and scans again from
/// there, so references inside definitions expand too.
pub fn to_regex(bank: &PatternBank, grok_pattern: &str) -> Result<String, EsError> {
    let re = grok_reference_regex();
    let mut result = String::new();
    let mut pattern = grok_pattern.to_string();
    for _ in 0..MAX_TO_REGEX_ITERATIONS {
        let mut region = Region::new();
        let found = re
            .search_with_param(
                pattern.as_str(),
                0,
                pattern.len(),
                SearchOptions::SEARCH_OPTION_NONE,
                Some(&mut region),
                MatchParam::default(),
            )
            .map_err(|e| EsError::illegal_argument(e.description().to_string()))?;
        let Some(start) = found else {
            result.push_str(&pattern);
            return Ok(result);
        };
        let group = |name: &str| -> Option<&str> {
            let mut number = None;
            re.foreach_name(|n, groups| {
                if n == name {
                    number = groups.first().copied();
                    false
                } else {
                    true
                }
            });
            let (b, e) = region.pos(number? as usize)?;
            Some(&pattern[b..e])
        };
        let reference = group("name").unwrap_or("").to_string();
        let sub_name = group("subname").map(str::to_string);
        let pattern_name = group("pattern").unwrap_or("").to_string();
        let (_, end) = region.pos(0).expect("a match has group 0");
        let Some(definition) = bank.get(&pattern_name) else {
            return Err(EsError::illegal_argument(format!(
                "Unable to find pattern [{pattern_name}] in Grok's pattern dictionary"
            )));
        };
        if definition.contains(&format!("%{{{pattern_name}}}"))
            || definition.contains(&format!("%{{{pattern_name}:"))
        {
            return Err(EsError::illegal_argument(format!(
                "circular reference in pattern back [{pattern_name}]"
            )));
        }
        let part = match sub_name {
            Some(_) => format!("(?<{reference}>{definition})"),
            None => format!("(?:{definition})"),
        };
        result.push_str(&pattern[..start]);
        pattern = format!("{part}{}", &pattern[end..]);
    }
    Err(EsError::illegal_argument(
        "Can not convert grok patterns to regular expression",
    ))
}

/// Joni compiles grok with Ruby syntax options `ASCII_RANGE |
/// POSIX_BRACKET_ALL_RANGE | WORD_BOUND_ALL_RANGE`: `\w`, `\d` and `\s` (and
/// their negations) match ASCII only, while POSIX brackets and `\b` stay
/// Unicode. Oniguruma has no option for that mix, so the shorthand classes
/// are spelled out as ASCII classes and everything else is left as is.
pub fn ascii_range_shorthands(expression: &str) -> String {
    const WORD: &str = "a-zA-Z0-9_";
    const DIGIT: &str = "0-9";
    const SPACE: &str = "\\t\\n\\v\\f\\r ";
    let mut out = String::with_capacity(expression.len() + 16);
    let mut chars = expression.chars().peekable();
    // Nesting depth of character classes; POSIX brackets count as nested classes.
    let mut depth = 0usize;
    // Whether the previous token opened a class (a `]` right after is literal).
    let mut class_start = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let set = match next.to_ascii_lowercase() {
                    'w' => Some(WORD),
                    'd' => Some(DIGIT),
                    's' => Some(SPACE),
                    _ => None,
                };
                match (set, next.is_ascii_uppercase(), depth > 0) {
                    (Some(set), false, true) => out.push_str(set),
                    (Some(set), false, false) => {
                        out.push('[');
                        out.push_str(set);
                        out.push(']');
                    }
                    (Some(set), true, _) => {
                        out.push_str("[^");
                        out.push_str(set);
                        out.push(']');
                    }
                    (None, _, _) => {
                        out.push(c);
                        out.push(next);
                    }
                }
            }
            '[' => {
                depth += 1;
                out.push(c);
                class_start = true;
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                continue;
            }
            ']' if depth > 0 && !class_start => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
        class_start = false;
    }
    out
}

/// `GrokProcessor.combinePatterns`: one pattern as is; several as an
/// alternation, each wrapped in a named group when `trace_match` is set.
pub fn combine_patterns(patterns: &[String], trace_match: bool) -> String {
    if patterns.len() == 1 {
        return patterns[0].clone();
    }
    let wrapped: Vec<String> = patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if trace_match {
                format!("(?<{PATTERN_MATCH_KEY}.{i}>{p})")
            } else {
                format!("(?:{p})")
            }
        })
        .collect();
    wrapped.join("|")
}

/// What a successful match yields: the captures in Elasticsearch's order
/// (first appearance of each name), and the index of the pattern that
/// matched when it is known (one pattern, or `trace_match`).
#[derive(Debug, Clone, PartialEq)]
pub struct GrokMatch {
    pub captures: Vec<(String, Value)>,
    pub pattern_index: Option<usize>,
}

impl Grok {
    /// Compiles `patterns` (tried as one alternation, in order) against the
    /// built-in patterns of `ecs_mode` extended with `definitions`.
    pub fn compile<K, V>(
        patterns: &[String],
        definitions: impl IntoIterator<Item = (K, V)>,
        ecs_mode: EcsMode,
    ) -> Result<Grok, EsError>
    where
        K: Into<String>,
        V: Into<String>,
    {
        let bank = PatternBank::builtin(ecs_mode).extend_with(definitions)?;
        Grok::with_bank(&bank, patterns, false)
    }

    /// Compiles against a prepared bank; `trace_match` wraps each of several
    /// patterns in an `_ingest._grok_match_index.N` group, as Elasticsearch does.
    pub fn with_bank(
        bank: &PatternBank,
        patterns: &[String],
        trace_match: bool,
    ) -> Result<Grok, EsError> {
        if patterns.is_empty() {
            return Err(EsError::illegal_argument(
                "List of patterns must not be empty",
            ));
        }
        let combined = combine_patterns(patterns, trace_match);
        let expression = to_regex(bank, &combined)?;
        let compiled = ascii_range_shorthands(&expression);
        let regex = Regex::with_options(
            &compiled,
            RegexOptions::REGEX_OPTION_NONE,
            Syntax::ruby(),
        )
        .map_err(|e| EsError::illegal_argument(e.description().to_string()))?;
        let mut entries: Vec<(String, Vec<usize>)> = Vec::new();
        regex.foreach_name(|name, groups| {
            entries.push((
                name.to_string(),
                groups.iter().map(|&g| g as usize).collect(),
            ));
            true
        });
        // Joni lists names in order of first definition.
        entries.sort_by_key(|(_, groups)| groups.iter().copied().min().unwrap_or(usize::MAX));
        let captures = entries
            .into_iter()
            .map(|(name, groups)| CaptureConfig::from_group_name(&name, groups))
            .collect();
        Ok(Grok {
            lazy_split: LazySplit::recognise(&compiled),
            expression,
            regex,
            captures,
            pattern_count: patterns.len(),
            traced: trace_match,
        })
    }

    /// The expanded regular expression.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    pub fn capture_configs(&self) -> &[CaptureConfig] {
        &self.captures
    }

    /// Searches `text`. `Ok(None)` when nothing matches; `Err` when the search
    /// ran out of its backtracking budget or a typed capture did not convert.
    pub fn captures(&self, text: &str) -> Result<Option<GrokMatch>, EsError> {
        if let Some(found) = self.lazy_split.as_ref().and_then(|split| split.find(text)) {
            return match found {
                Some(spans) => self.collect(text, |group| spans.get(group).copied().flatten()).map(Some),
                None => Ok(None),
            };
        }
        self.captures_by_oniguruma(text)
    }

    /// [`Grok::captures`] by Oniguruma's search, whatever the expression.
    fn captures_by_oniguruma(&self, text: &str) -> Result<Option<GrokMatch>, EsError> {
        let mut region = Region::new();
        let mut param = MatchParam::default();
        param.set_retry_limit_in_match(RETRY_LIMIT_IN_MATCH);
        // SAFETY: the pointer is the live match parameter owned by `param`.
        unsafe {
            onig_sys::onig_set_retry_limit_in_search_of_match_param(
                param.as_raw(),
                RETRY_LIMIT_IN_SEARCH as std::os::raw::c_ulong,
            );
        }
        let found = self.regex.search_with_param(
            text,
            0,
            text.len(),
            SearchOptions::SEARCH_OPTION_NONE,
            Some(&mut region),
            param,
        );
        match found {
            Ok(Some(_)) => {}
            Ok(None) => return Ok(None),
            Err(_) => {
                return Err(EsError::new(
                    "runtime_exception",
                    format!(
                    "grok pattern matching was interrupted after [{MAX_EXECUTION_TIME_MILLIS}] ms"
                ),
                ))
            }
        }
        self.collect(text, |group| region.pos(group)).map(Some)
    }

    /// The captures of a match whose groups span `pos(group)`.
    fn collect(&self, text: &str, pos: impl Fn(usize) -> Option<(usize, usize)>) -> Result<GrokMatch, EsError> {
        // A pattern has a handful of named groups: a list searched by name
        // costs less than hashing each one.
        let mut result: Vec<(String, Value)> = Vec::with_capacity(self.captures.len());
        let mut pattern_index = if self.pattern_count == 1 {
            Some(0)
        } else {
            None
        };
        for config in &self.captures {
            for &group in &config.groups {
                let Some((b, e)) = pos(group) else {
                    continue;
                };
                let value = config.kind.convert(&text[b..e])?;
                if self.traced {
                    if let Some(i) = config
                        .name
                        .strip_prefix(PATTERN_MATCH_KEY)
                        .and_then(|r| r.strip_prefix('.'))
                    {
                        pattern_index = i.parse().ok();
                    }
                }
                match result.iter_mut().find(|(name, _)| *name == config.name).map(|(_, v)| v) {
                    None => result.push((config.name.clone(), value)),
                    Some(Value::List(items)) => items.push(value),
                    Some(existing) => {
                        let first = std::mem::take(existing);
                        *existing = Value::List(vec![first, value]);
                    }
                }
            }
        }
        Ok(GrokMatch {
            captures: result,
            pattern_index,
        })
    }

    /// `match`: captures and the matching pattern's index, `None` when nothing matches.
    pub fn r#match(&self, text: &str) -> Result<Option<(Vec<(String, Value)>, usize)>, EsError> {
        self.match_text(text)
    }

    /// Captures and the matching pattern's index (0 when unknown).
    pub fn match_text(&self, text: &str) -> Result<Option<(Vec<(String, Value)>, usize)>, EsError> {
        Ok(self
            .captures(text)?
            .map(|m| (m.captures, m.pattern_index.unwrap_or(0))))
    }
}

#[cfg(test)]
mod tests;

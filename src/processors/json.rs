//! `json`: parses a JSON string into a value, at a target field or merged
//! into the document root.

use super::support::{get_field, set_field};
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{metadata, FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::{Map, Value};
use crate::value::map::Entry;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "json",
    description: "Converts a JSON string into a structured JSON object.",
    options: &[
        OptionSpec::required("field", String, "The field to be parsed."),
        OptionSpec::optional("target_field", String, "The field that the converted structured object will be written into. Any existing content in this field will be overwritten."),
        OptionSpec::optional("add_to_root", Bool, "Flag that forces the parsed JSON to be added at the top level of the document. target_field must not be set when this option is chosen.")
            .default("false"),
        OptionSpec::optional("add_to_root_conflict_strategy", String, "When add_to_root is true, what to do with fields that already exist: replace or merge.")
            .default("replace"),
        OptionSpec::optional("allow_duplicate_keys", Bool, "When true, the JSON parser does not fail on duplicate keys; the last one wins.")
            .default("false"),
        OptionSpec::optional("strict_json_parsing", Bool, "When false, anything after the first JSON value is ignored (\"123 foo\" parses as 123).")
            .default("true"),
    ],
    examples: &[
        Example {
            title: "an object to a target field",
            config: r#"{"field": "s", "target_field": "o"}"#,
            input: r#"{"s": "{\"a\": [1, 2.5, null], \"b\": {\"c\": true}}"}"#,
            output: Ok(r#"{"s": "{\"a\": [1, 2.5, null], \"b\": {\"c\": true}}", "o": {"a": [1, 2.5, null], "b": {"c": true}}}"#),
        },
        Example {
            title: "scalars parse too",
            config: r#"{"field": "s"}"#,
            input: r#"{"s": "\"text\""}"#,
            output: Ok(r#"{"s": "text"}"#),
        },
        Example {
            title: "add_to_root replaces top-level fields",
            config: r#"{"field": "s", "add_to_root": true}"#,
            input: r#"{"s": "{\"a\": {\"x\": 1}}", "a": {"y": 2}}"#,
            output: Ok(r#"{"s": "{\"a\": {\"x\": 1}}", "a": {"x": 1}}"#),
        },
        Example {
            title: "the merge strategy merges maps recursively",
            config: r#"{"field": "s", "add_to_root": true, "add_to_root_conflict_strategy": "merge"}"#,
            input: r#"{"s": "{\"a\": {\"x\": 1}}", "a": {"y": 2}}"#,
            output: Ok(r#"{"s": "{\"a\": {\"x\": 1}}", "a": {"y": 2, "x": 1}}"#),
        },
        Example {
            title: "integers beyond a long are BigIntegers, kept whole",
            config: r#"{"field": "s", "add_to_root": true}"#,
            input: r#"{"s": "{\"id\": 12345678901234567890, \"ids\": [-9223372036854775809, 1]}"}"#,
            output: Ok(r#"{"s": "{\"id\": 12345678901234567890, \"ids\": [-9223372036854775809, 1]}", "id": 12345678901234567890, "ids": [-9223372036854775809, 1]}"#),
        },
        Example {
            title: "only a map can go to the root",
            config: r#"{"field": "s", "add_to_root": true}"#,
            input: r#"{"s": "[1]"}"#,
            output: Err("cannot add non-map fields to root of document"),
        },
        Example {
            title: "trailing content fails strict parsing",
            config: r#"{"field": "s"}"#,
            input: r#"{"s": "123 \"foo\""}"#,
            output: Err("The input 123 \"foo\" is not valid JSON and the strict_json_parsing parameter is true"),
        },
        Example {
            title: "lenient parsing keeps the first value",
            config: r#"{"field": "s", "strict_json_parsing": false}"#,
            input: r#"{"s": "123 \"foo\""}"#,
            output: Ok(r#"{"s": 123}"#),
        },
        Example {
            title: "duplicate keys fail unless allowed",
            config: r#"{"field": "s"}"#,
            input: r#"{"s": "{\"a\": 1, \"a\": 2}"}"#,
            output: Err("Duplicate field 'a'"),
        },
        Example {
            title: "allow_duplicate_keys keeps the last",
            config: r#"{"field": "s", "allow_duplicate_keys": true}"#,
            input: r#"{"s": "{\"a\": 1, \"a\": 2}"}"#,
            output: Ok(r#"{"s": {"a": 2}}"#),
        },
    ],
    build: Some(build),
};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Conflict {
    Replace,
    Merge,
}

#[derive(Debug)]
struct Json {
    field: std::string::String,
    path: FieldPath,
    target: FieldPath,
    add_to_root: bool,
    conflict: Conflict,
    allow_duplicate_keys: bool,
    strict: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let target = o.opt_string("target_field")?;
    let add_to_root = o.bool_or("add_to_root", false)?;
    let allow_duplicate_keys = o.bool_or("allow_duplicate_keys", false)?;
    let strategy = o.opt_string("add_to_root_conflict_strategy")?;
    let conflict = match strategy.as_deref().map(str::to_uppercase).as_deref() {
        None | Some("REPLACE") => Conflict::Replace,
        Some("MERGE") => Conflict::Merge,
        Some(_) => {
            let s = strategy.clone().unwrap_or_default();
            return Err(o.error(
                "add_to_root_conflict_strategy",
                &format!("conflict strategy [{s}] not supported, cannot convert field."),
            ));
        }
    };
    if add_to_root && target.is_some() {
        return Err(o.error(
            "target_field",
            "Cannot set a target field while also setting `add_to_root` to true",
        ));
    }
    if !add_to_root && strategy.is_some() {
        return Err(o.error(
            "add_to_root_conflict_strategy",
            "Cannot set `add_to_root_conflict_strategy` if `add_to_root` is false",
        ));
    }
    let strict = o.bool_or("strict_json_parsing", true)?;
    let target = target.unwrap_or_else(|| field.clone());
    Ok(Box::new(Json {
        path: FieldPath::parse(&field).map_err(|e| o.error("field", &e))?,
        target: FieldPath::parse(&target).map_err(|e| o.error("target_field", &e))?,
        field,
        add_to_root,
        conflict,
        allow_duplicate_keys,
        strict,
    }))
}

impl Processor for Json {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        if self.add_to_root {
            // Elasticsearch reads the field as a top-level key of the
            // document here, not as a dotted path.
            let text = doc
                .ctx
                .get(&self.field)
                .map(Value::to_java_string)
                .unwrap_or_else(|| "null".into());
            let Value::Map(parsed) = parse(&text, self.allow_duplicate_keys, self.strict)? else {
                return Err(EsError::illegal_argument(
                    "cannot add non-map fields to root of document",
                ));
            };
            let (parsed, refused) = stop_at_refused_metadata(&doc.ctx, parsed, self.conflict);
            match self.conflict {
                Conflict::Replace => doc.ctx.extend(parsed),
                Conflict::Merge => merge(&mut doc.ctx, parsed),
            }
            if let Some(message) = refused {
                return Err(EsError::illegal_argument(message));
            }
        } else {
            let text = get_field(doc, &self.path, false)?.map(Value::java_text).unwrap_or_default();
            let value = parse(&text, self.allow_duplicate_keys, self.strict)?;
            set_field(doc, &self.target, value)?;
        }
        Ok(Flow::Continue)
    }
}

/// Elasticsearch puts the parsed entries into the document one by one, in
/// the parsed `HashMap`'s order, and the document map checks each metadata
/// key it puts (`CtxMap.put`, see `document::metadata`): a refused one
/// stops the processor with the entries before it already in. The entries
/// to add, and the refusal if there is one. Merging a map into a map puts
/// nothing at the top, so it is not checked.
fn stop_at_refused_metadata(ctx: &Map, parsed: Map, conflict: Conflict) -> (Map, Option<std::string::String>) {
    if !parsed.keys().any(|k| metadata::is_checked_key(k)) {
        return (parsed, None);
    }
    let merged_in_place = |key: &str, value: &Value| {
        conflict == Conflict::Merge && matches!((ctx.get(key), value), (Some(Value::Map(_)), Value::Map(_)))
    };
    let in_java_order = crate::value::java_hash_map_order(&parsed);
    let refused = in_java_order.iter().enumerate().find_map(|(i, (key, value))| {
        if merged_in_place(key, value) {
            return None;
        }
        metadata::check_put(key, value).err().map(|message| (i, message))
    });
    let Some((stop, message)) = refused else {
        return (parsed, None);
    };
    let put: Vec<std::string::String> = in_java_order[..stop].iter().map(|(k, _)| k.to_string()).collect();
    let parsed = parsed.into_iter().filter(|(k, _)| put.iter().any(|p| p == k.as_str())).collect();
    (parsed, Some(message))
}

fn merge(target: &mut Map, from: Map) {
    for (key, value) in from {
        match (target.get_mut(&key), value) {
            (Some(Value::Map(existing)), Value::Map(incoming)) => merge(existing, incoming),
            (_, value) => {
                target.insert(key, value);
            }
        }
    }
}

/// Parses like the json processor's XContent parser: any JSON value, with
/// duplicate keys refused unless allowed, and in strict mode nothing after it.
/// The [`Reader`](crate::value::Reader) reads what it can; serde_json the
/// rest, and gives the errors.
pub fn parse(text: &str, allow_duplicate_keys: bool, strict: bool) -> Result<Value, EsError> {
    let mut reader = crate::value::Reader::new(text, !allow_duplicate_keys);
    match reader.value() {
        Some(value) if !strict || reader.at_end() => Ok(value),
        _ => parse_with_serde_json(text, allow_duplicate_keys, strict),
    }
}

fn parse_with_serde_json(text: &str, allow_duplicate_keys: bool, strict: bool) -> Result<Value, EsError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = JsonSeed {
        allow_duplicate_keys,
    }
    .deserialize(&mut de)
    .map_err(|e| EsError::illegal_argument(parse_error_message(&e, text)))?;
    if strict && de.end().is_err() {
        return Err(EsError::illegal_argument(format!(
            "The input {text} is not valid JSON and the strict_json_parsing parameter is true"
        )));
    }
    // serde_json rounds an integer beyond 64 bits to a double, where
    // Jackson keeps a BigInteger: such a text (the reader leaves serde_json
    // only what it cannot read, here one nested too deep) is refused.
    if crate::value::integer_beyond_u64_in(text) {
        return Err(EsError::illegal_argument(
            "an integer beyond 64 bits in a document nested deeper than 100 levels is not supported",
        ));
    }
    Ok(value)
}

fn parse_error_message(e: &serde_json::Error, text: &str) -> std::string::String {
    // Jackson's StreamReadConstraints refuse an integer of more than 1000
    // digits before anything else is said of it.
    if let Some(digits) = crate::value::integer_too_long_in(text) {
        return format!(
            "Number value length ({digits}) exceeds the maximum allowed ({}, from `StreamReadConstraints.getMaxNumberLength()`)",
            crate::value::MAX_NUMBER_LENGTH
        );
    }
    let message = e.to_string();
    // serde_json appends " at line L column C"; the duplicate-key message is ours.
    match message.find(" at line ") {
        Some(i) if message.starts_with("Duplicate field") => message[..i].to_string(),
        _ => message,
    }
}

#[derive(Clone, Copy)]
struct JsonSeed {
    allow_duplicate_keys: bool,
}

impl<'de> DeserializeSeed<'de> for JsonSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonSeed {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::integer(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::wide_integer(v as i128))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Double(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::with_capacity(crate::value::PARSED_OBJECT_CAPACITY);
        while let Some(key) = access.next_key::<std::string::String>()? {
            let value = access.next_value_seed(self)?;
            // A repeated key keeps its first place and takes the last value.
            match map.entry(key) {
                Entry::Occupied(entry) if !self.allow_duplicate_keys => {
                    return Err(A::Error::custom(format!("Duplicate field '{}'", entry.key())));
                }
                Entry::Occupied(mut entry) => {
                    entry.insert(value);
                }
                Entry::Vacant(entry) => {
                    entry.insert(value);
                }
            }
        }
        Ok(Value::Map(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An integer of up to 1000 digits is a BigInteger; a longer one is
    /// refused as Jackson's StreamReadConstraints refuse it.
    #[test]
    fn integers_up_to_jacksons_limit() {
        let text = format!("{{\"n\": -{}}}", "9".repeat(1000));
        assert_eq!(parse(&text, false, true).unwrap().to_json(), text.replace(' ', ""));
        let e = parse(&format!("[{}]", "9".repeat(1001)), false, true).unwrap_err();
        assert_eq!(e.reason, "Number value length (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)");
    }

    /// Whatever the reader reads, with each option, is what serde_json
    /// gives; what it leaves gets serde_json's value or error.
    #[test]
    fn parse_is_serde_json_parse_for_random_texts() {
        let pieces = [
            "{", "}", "[", "]", ",", ":", " ", "\"k\"", "\"a\\\"b\"", "\"\\u00e9\"", "\"x\\q\"", "0", "-0", "12",
            "1.25", "3e5", "00", "true", "null", "\"\"", "x", "\t",
        ];
        let mut rng = crate::xorshift::XorShift(0x2545_f491_4f6c_dd1d);
        for _ in 0..100_000 {
            let mut text = std::string::String::new();
            for _ in 0..1 + rng.0 % 10 {
                text.push_str(pieces[rng.below(pieces.len())]);
            }
            for (allow_duplicate_keys, strict) in [(false, true), (true, true), (false, false), (true, false)] {
                let fast = parse(&text, allow_duplicate_keys, strict);
                let general = parse_with_serde_json(&text, allow_duplicate_keys, strict);
                let shown = |r: &Result<Value, EsError>| match r {
                    Ok(v) => format!("{v:?} {}", v.to_json()),
                    Err(e) => format!("{e:?}"),
                };
                assert_eq!(shown(&fast), shown(&general), "{text:?} {allow_duplicate_keys} {strict}");
            }
        }
    }
}

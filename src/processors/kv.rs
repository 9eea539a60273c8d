//! `kv`: extracts `key=value` pairs from a string into fields.

use super::field_values::cast_error;
use super::java_split::{self, JAVA_END};
use super::{Example, Flow, OptionKind, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::template::Template;
use crate::value::Value;
use fancy_regex::Regex;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "kv",
    description: "Parses messages (or specific event fields) of the foo=bar variety into fields.",
    options: &[
        OptionSpec::required("field", OptionKind::String, "The field to be parsed.").templated(),
        OptionSpec::required("field_split", OptionKind::String, "Java regex pattern to split key-value pairs."),
        OptionSpec::required("value_split", OptionKind::String, "Java regex pattern to split the key from the value."),
        OptionSpec::optional(
            "target_field",
            OptionKind::String,
            "The field to insert the extracted keys into; the document root by default.",
        )
        .templated(),
        OptionSpec::optional("include_keys", OptionKind::StringList, "Keys to keep; all by default."),
        OptionSpec::optional("exclude_keys", OptionKind::StringList, "Keys to leave out."),
        OptionSpec::optional("ignore_missing", OptionKind::Bool, "Do nothing when the field is missing or null.")
            .default("false"),
        OptionSpec::optional("prefix", OptionKind::String, "Prefix to add to extracted keys."),
        OptionSpec::optional("trim_key", OptionKind::String, "Characters to trim from extracted keys."),
        OptionSpec::optional("trim_value", OptionKind::String, "Characters to trim from extracted values."),
        OptionSpec::optional(
            "strip_brackets",
            OptionKind::Bool,
            "Strip one leading ( [ < \" ' and one trailing ) ] > \" ' from values.",
        )
        .default("false"),
    ],
    examples: &[
        Example {
            title: "space-separated pairs (Elasticsearch's REST test)",
            config: r#"{"field": "foo", "field_split": " ", "value_split": "="}"#,
            input: r#"{"foo": "goodbye=everybody hello=world"}"#,
            output: Ok(r#"{"foo": "goodbye=everybody hello=world", "goodbye": "everybody", "hello": "world"}"#),
        },
        Example {
            title: "repeated keys become lists; target, prefix, trimming and brackets",
            config: r#"{"field": "m", "field_split": "&", "value_split": "=", "target_field": "q", "prefix": "p_",
                "trim_key": " ", "strip_brackets": true}"#,
            input: r#"{"m": " a=(1)& a=<2>&b='x'"}"#,
            output: Ok(r#"{"m": " a=(1)& a=<2>&b='x'", "q": {"p_a": ["1", "2"], "p_b": "x"}}"#),
        },
        Example {
            title: "include_keys",
            config: r#"{"field": "m", "field_split": ",", "value_split": ":", "include_keys": ["b"]}"#,
            input: r#"{"m": "a:1,b:2"}"#,
            output: Ok(r#"{"m": "a:1,b:2", "b": "2"}"#),
        },
        Example {
            title: "a pair without value_split fails",
            config: r#"{"field": "m", "field_split": " ", "value_split": "="}"#,
            input: r#"{"m": "a=1 b"}"#,
            output: Err("field [m] does not contain value_split [=]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Kv {
    field: Template,
    target_field: Option<Template>,
    field_split: Regex,
    value_split: Regex,
    value_split_text: String,
    include_keys: Option<Vec<String>>,
    exclude_keys: Option<Vec<String>>,
    ignore_missing: bool,
    prefix: String,
    trim_key: Option<Regex>,
    trim_value: Option<Regex>,
    strip_brackets: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = Template::compile(&o.string("field")?)?;
    let target_field = o.opt_string("target_field")?.map(|t| Template::compile(&t)).transpose()?;
    let field_split_text = o.string("field_split")?;
    let value_split_text = o.string("value_split")?;
    let trim_key = o.opt_string("trim_key")?;
    let trim_value = o.opt_string("trim_value")?;
    let prefix = o.opt_string("prefix")?.unwrap_or_default();
    let strip_brackets = o.bool_or("strip_brackets", false)?;
    let include_keys = o.opt_string_list("include_keys")?;
    let exclude_keys = o.opt_string_list("exclude_keys")?;
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let field_split = java_split::compile(&field_split_text).map_err(|e| o.error("field_split", &e))?;
    let value_split = java_split::compile(&value_split_text).map_err(|e| o.error("value_split", &e))?;
    let trimmer = |o: &Options, name: &str, chars: Option<String>| -> Result<Option<Regex>, EsError> {
        chars
            .map(|c| java_split::compile(&format!("(^([{c}]+))|([{c}]+{JAVA_END})")).map_err(|e| o.error(name, &e)))
            .transpose()
    };
    let trim_key = trimmer(o, "trim_key", trim_key)?;
    let trim_value = trimmer(o, "trim_value", trim_value)?;
    Ok(Box::new(Kv {
        field,
        target_field,
        field_split,
        value_split,
        value_split_text,
        include_keys,
        exclude_keys,
        ignore_missing,
        prefix,
        trim_key,
        trim_value,
        strip_brackets,
    }))
}

fn trim(re: &Option<Regex>, s: &str) -> Result<std::string::String, EsError> {
    match re {
        None => Ok(s.to_string()),
        Some(re) => {
            // `replace_all` would panic on a regex runtime error; find_iter reports it.
            let mut out = String::with_capacity(s.len());
            let mut last = 0;
            for m in re.find_iter(s) {
                let m = m.map_err(|e| EsError::illegal_argument(format!("Error trimming [{s}]: {e}")))?;
                out.push_str(&s[last..m.start()]);
                last = m.end();
            }
            out.push_str(&s[last..]);
            Ok(out)
        }
    }
}

const LINE_TERMINATORS: &[&str] = &["\r\n", "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"];

/// Removes one opening bracket or quote at the start and one closing one
/// at the end (where Java's `$` matches: also before a final line break).
fn strip_brackets(value: &str) -> String {
    let mut s = value;
    if s.starts_with(['(', '[', '<', '"', '\'']) {
        s = &s[1..];
    }
    let (body, terminator) = LINE_TERMINATORS
        .iter()
        .find_map(|t| s.strip_suffix(t).map(|b| (b, *t)))
        .unwrap_or((s, ""));
    match body.chars().last() {
        Some(c) if [')', ']', '>', '"', '\''].contains(&c) => format!("{}{terminator}", &body[..body.len() - 1]),
        _ => s.to_string(),
    }
}

impl Kv {
    fn keep(&self, key: &str) -> bool {
        self.include_keys.as_ref().is_none_or(|keys| keys.iter().any(|k| k == key))
            && !self.exclude_keys.as_ref().is_some_and(|keys| keys.iter().any(|k| k == key))
    }
}

impl Processor for Kv {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let target = self.target_field.as_ref().map(|t| t.render(doc)).unwrap_or_default();
        let path_prefix = if target.is_empty() { self.prefix.clone() } else { format!("{target}.{}", self.prefix) };
        let path_text = self.field.render(doc);
        let path = FieldPath::parse(&path_text).ok().filter(|p| doc.has(p));
        let Some(path) = path else {
            if self.ignore_missing {
                return Ok(Flow::Continue);
            }
            return Err(EsError::illegal_argument(format!("field [{path_text}] doesn't exist")));
        };
        let text = match doc.get(&path).map_err(EsError::illegal_argument)? {
            Value::String(s) => s.clone(),
            Value::Null if self.ignore_missing => return Ok(Flow::Continue),
            Value::Null => {
                return Err(EsError::illegal_argument(format!(
                    "field [{path_text}] is null, cannot extract key-value pairs."
                )))
            }
            other => return Err(cast_error(&path, other, "java.lang.String")),
        };
        for part in java_split::split(&self.field_split, &text, 0)? {
            let kv = java_split::split(&self.value_split, part, 2)?;
            if kv.len() != 2 {
                return Err(EsError::illegal_argument(format!(
                    "field [{path_text}] does not contain value_split [{}]",
                    self.value_split_text
                )));
            }
            let key = trim(&self.trim_key, kv[0])?;
            if !self.keep(&key) {
                continue;
            }
            let value = if self.strip_brackets { strip_brackets(kv[1]) } else { kv[1].to_string() };
            let value = trim(&self.trim_value, &value)?;
            let target = FieldPath::parse(&format!("{path_prefix}{key}")).map_err(EsError::illegal_argument)?;
            let value = Value::String(value);
            if doc.has(&target) {
                doc.append(&target, value, true)
            } else {
                doc.set(&target, value)
            }
            .map_err(EsError::illegal_argument)?;
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processors::examples::run_example;
    use crate::processors::lookup;

    fn kv(config: &str, input: &str) -> Result<std::string::String, std::string::String> {
        let example = Example { title: "", config: Box::leak(config.into()), input: Box::leak(input.into()), output: Ok("") };
        run_example(lookup("kv").unwrap(), &example)
    }

    #[test]
    fn brackets() {
        assert_eq!(strip_brackets("(x)"), "x");
        assert_eq!(strip_brackets("\""), "");
        assert_eq!(strip_brackets("\"\""), "");
        assert_eq!(strip_brackets("\"a\"\n"), "a\n");
        assert_eq!(strip_brackets("a)"), "a");
        assert_eq!(strip_brackets("[a"), "a");
    }

    #[test]
    fn templates_and_missing_fields() {
        let cfg = r#"{"field": "{{origin}}", "target_field": "{{target}}", "field_split": " ", "value_split": "="}"#;
        let out = kv(cfg, r#"{"origin": "f", "f": "a=1 b=2", "target": "bar"}"#).unwrap();
        assert_eq!(out, r#"{"origin":"f","f":"a=1 b=2","target":"bar","bar":{"a":"1","b":"2"}}"#);
        let cfg = r#"{"field": "{{nothing}}", "field_split": " ", "value_split": "=", "ignore_missing": true}"#;
        assert_eq!(kv(cfg, r#"{"x": 1}"#).unwrap(), r#"{"x":1}"#);
        let cfg = r#"{"field": "f", "field_split": " ", "value_split": "="}"#;
        assert_eq!(kv(cfg, r#"{"x": 1}"#).unwrap_err(), "field [f] doesn't exist");
        assert_eq!(kv(cfg, r#"{"f": null}"#).unwrap_err(), "field [f] is null, cannot extract key-value pairs.");
        assert_eq!(kv(cfg, r#"{"f": 3}"#).unwrap_err(), "field [f] of type [java.lang.Integer] cannot be cast to [java.lang.String]");
    }

    #[test]
    fn regex_splits_with_lookahead_and_trimming() {
        let cfg = r#"{"field": "m", "field_split": " (?=[a-z]+=)", "value_split": "=", "trim_value": "\"", "exclude_keys": ["x"]}"#;
        let out = kv(cfg, r#"{"m": "msg=\"hello world\" x=1 n=2"}"#).unwrap();
        assert_eq!(out, r#"{"m":"msg=\"hello world\" x=1 n=2","msg":"hello world","n":"2"}"#);
    }

    #[test]
    fn elasticsearch_trim_and_bracket_cases() {
        // KeyValueProcessorTests.testTrimMultiCharSequence
        let cfg = r#"{"field": "m", "field_split": " ", "value_split": "=", "target_field": "t", "trim_key": "%+", "trim_value": "<>,"}"#;
        let input = r#"{"m": "to=<foo@example.com>, orig_to=<bar@example.com>, %+relay=mail.example.com[private/dovecot-lmtp], delay=2.2, delays=1.9/0.01/0.01/0.21, dsn=2.0.0, status=sent "}"#;
        let Value::Map(out) = Value::from_json_str(&kv(cfg, input).unwrap()).unwrap() else { panic!() };
        assert_eq!(
            Value::Map(out["t"].as_map().unwrap().clone()).to_json(),
            r#"{"to":"foo@example.com","orig_to":"bar@example.com","relay":"mail.example.com[private/dovecot-lmtp]","delay":"2.2","delays":"1.9/0.01/0.01/0.21","dsn":"2.0.0","status":"sent"}"#
        );
        // KeyValueProcessorTests.testStripBrackets
        let cfg = r#"{"field": "m", "field_split": "&", "value_split": "=", "target_field": "t", "strip_brackets": true}"#;
        let input = r#"{"m": "first=<hello>&second=\"world\"&second=(universe)&third=<foo>&fourth=[bar]&fifth='last'"}"#;
        let Value::Map(out) = Value::from_json_str(&kv(cfg, input).unwrap()).unwrap() else { panic!() };
        assert_eq!(
            Value::Map(out["t"].as_map().unwrap().clone()).to_json(),
            r#"{"first":"hello","second":["world","universe"],"third":"foo","fourth":"bar","fifth":"last"}"#
        );
    }

    #[test]
    fn value_split_keeps_the_rest() {
        let cfg = r#"{"field": "m", "field_split": ",", "value_split": "="}"#;
        assert_eq!(kv(cfg, r#"{"m": "a=b=c"}"#).unwrap(), r#"{"m":"a=b=c","a":"b=c"}"#);
    }

    #[test]
    fn java_character_classes_are_ascii() {
        // Java's \s does not match a no-break space, so it stays inside the value.
        let cfg = r#"{"field": "m", "field_split": "\\s", "value_split": "="}"#;
        assert_eq!(kv(cfg, "{\"m\": \"a=1\u{a0}x b=2\"}").unwrap(), "{\"m\":\"a=1\u{a0}x b=2\",\"a\":\"1\u{a0}x\",\"b\":\"2\"}");
    }
}

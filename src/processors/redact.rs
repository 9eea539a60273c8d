//! `redact`: replaces text matched by grok patterns with the name of the
//! pattern's first capture, e.g. `<client>`.
//!
//! Elasticsearch licenses this processor at Platinum; the simulator runs it
//! as a licensed cluster would, so `skip_if_unlicensed` never applies.

use super::field_values::cast_error;
use super::{Example, Flow, OptionKind, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::grok::{EcsMode, Grok, PatternBank};
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;
use onig::{MatchParam, Region, SearchOptions};

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "redact",
    description: "Uses the Grok rules engine to obscure text in the input document matching the given Grok patterns.",
    options: &[
        OptionSpec::required("field", OptionKind::String, "The field to be redacted."),
        OptionSpec::required("patterns", OptionKind::StringList, "A list of grok expressions to match and redact."),
        OptionSpec::optional("pattern_definitions", OptionKind::Map, "Custom grok patterns, added to the ECS patterns."),
        OptionSpec::optional("prefix", OptionKind::String, "Start a redacted section with this token.").default("<"),
        OptionSpec::optional("suffix", OptionKind::String, "End a redacted section with this token.").default(">"),
        OptionSpec::optional("ignore_missing", OptionKind::Bool, "Do nothing when the field is missing or null.")
            .default("true"),
        OptionSpec::optional(
            "skip_if_unlicensed",
            OptionKind::Bool,
            "Skip instead of failing on a cluster without the licence; the simulator is always licensed.",
        )
        .default("false"),
        OptionSpec::optional(
            "trace_redact",
            OptionKind::Bool,
            "Set _ingest._redact._is_redacted to true when something was redacted.",
        )
        .default("false"),
    ],
    examples: &[
        Example {
            title: "an address and an email",
            config: r#"{"field": "message", "patterns": ["%{IP:client}", "%{EMAILADDRESS:email}"]}"#,
            input: r#"{"message": "55.3.244.1 GET /index.html 15824 0.043 test@elastic.co"}"#,
            output: Ok(r#"{"message": "<client> GET /index.html 15824 0.043 <email>"}"#),
        },
        Example {
            title: "custom patterns and tokens",
            config: r#"{"field": "m", "patterns": ["%{CARD:card}"], "pattern_definitions": {"CARD": "\\d{4}[ -]\\d{4}"},
                "prefix": "[", "suffix": "]"}"#,
            input: r#"{"m": "paid with 1234-5678 today"}"#,
            output: Ok(r#"{"m": "paid with [card] today"}"#),
        },
        Example {
            title: "a missing field fails without ignore_missing",
            config: r#"{"field": "to_redact", "ignore_missing": false, "patterns": ["%{IP:IP_ADDRESS}"]}"#,
            input: r#"{"wrong_field": "will error"}"#,
            output: Err("field [to_redact] is null or missing"),
        },
    ],
    build: Some(build),
};

/// One pattern: its regex and the name its matches are replaced with.
struct Matcher {
    regex: onig::Regex,
    name: Option<std::string::String>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("name", &self.name).finish()
    }
}

#[derive(Debug)]
struct Redact {
    field: FieldPath,
    matchers: Vec<Matcher>,
    prefix: std::string::String,
    suffix: std::string::String,
    ignore_missing: bool,
    trace_redact: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let patterns = o.opt_string_list("patterns")?.ok_or_else(|| o.error("patterns", "required property is missing"))?;
    let ignore_missing = o.bool_or("ignore_missing", true)?;
    o.bool_or("skip_if_unlicensed", false)?;
    let prefix = o.opt_string("prefix")?.unwrap_or_else(|| "<".into());
    let suffix = o.opt_string("suffix")?.unwrap_or_else(|| ">".into());
    let trace_redact = o.bool_or("trace_redact", false)?;
    if patterns.is_empty() {
        return Err(o.error("patterns", "List of patterns must not be empty"));
    }
    let definitions = o.opt_map("pattern_definitions")?.unwrap_or_default();
    let invalid = |o: &Options, e: EsError| {
        o.error("patterns", &format!("Invalid regex pattern found in: [{}]. {}", patterns.join(", "), e.reason))
    };
    let definitions: Vec<(std::string::String, std::string::String)> =
        definitions.into_iter().map(|(k, v)| (k, v.to_java_string())).collect();
    // Redact always uses the ECS patterns.
    let bank = PatternBank::builtin(EcsMode::V1).extend_with(definitions).map_err(|e| invalid(o, e))?;
    let mut matchers = Vec::with_capacity(patterns.len());
    for pattern in &patterns {
        let grok = Grok::with_bank(&bank, std::slice::from_ref(pattern), false).map_err(|e| invalid(o, e))?;
        let regex = onig::Regex::with_options(grok.expression(), onig::RegexOptions::REGEX_OPTION_NONE, onig::Syntax::ruby())
            .map_err(|e| invalid(o, EsError::illegal_argument(e.description().to_string())))?;
        matchers.push(Matcher { regex, name: grok.capture_configs().first().map(|c| c.name.clone()) });
    }
    let field = FieldPath::parse(&field).map_err(|e| o.error("field", &e))?;
    Ok(Box::new(Redact { field, matchers, prefix, suffix, ignore_missing, trace_redact }))
}

impl Processor for Redact {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let text = match doc.get(&self.field) {
            Ok(Value::String(s)) => s.clone(),
            Ok(Value::Null) | Err(_) if self.ignore_missing => return Ok(Flow::Continue),
            Ok(Value::Null) | Err(_) => {
                return Err(EsError::illegal_argument(format!(
                    "field [{}] is null or missing",
                    self.field.as_str()
                )))
            }
            Ok(other) => return Err(cast_error(&self.field, other, "java.lang.String")),
        };
        let redacted = self.redact(&text)?;
        let changed = redacted != text;
        doc.set(&self.field, Value::String(redacted)).map_err(EsError::illegal_argument)?;
        if self.trace_redact && changed {
            let flag = FieldPath::parse("_ingest._redact._is_redacted").expect("static path");
            if !matches!(doc.get(&flag), Ok(Value::Bool(true))) {
                doc.set(&flag, Value::Bool(true)).map_err(EsError::illegal_argument)?;
            }
        }
        Ok(Flow::Continue)
    }
}

/// A matched region of the input, in bytes, and its replacement name.
#[derive(Debug, Clone, PartialEq)]
struct Replacement {
    start: usize,
    end: usize,
    name: std::string::String,
}

impl Redact {
    fn redact(&self, text: &str) -> Result<std::string::String, EsError> {
        let mut found = Vec::new();
        for matcher in &self.matchers {
            // A pattern without a named capture fails as Elasticsearch's
            // `captureConfig().get(0)` does, reported as its timeout.
            let name = matcher.name.clone().ok_or_else(timeout)?;
            let mut offset = 0;
            let length = text.len();
            loop {
                let mut region = Region::new();
                let mut param = MatchParam::default();
                param.set_retry_limit_in_match(10_000_000);
                let hit = matcher
                    .regex
                    .search_with_param(text, offset, length, SearchOptions::SEARCH_OPTION_NONE, Some(&mut region), param)
                    .map_err(|_| timeout())?;
                if hit.is_none() {
                    break;
                }
                let (start, end) = region.pos(0).ok_or_else(timeout)?;
                found.push(Replacement { start, end, name: name.clone() });
                offset = if end == offset { next_boundary(text, offset) } else { end };
                if offset >= length {
                    break;
                }
            }
        }
        if found.is_empty() {
            return Ok(text.to_string());
        }
        let mut out = Vec::with_capacity(text.len());
        let mut read = 0;
        for r in merge_overlapping(found) {
            out.extend_from_slice(&text.as_bytes()[read..r.start.max(read)]);
            read = r.end.max(read);
            out.extend_from_slice(format!("{}{}{}", self.prefix, r.name, self.suffix).as_bytes());
        }
        out.extend_from_slice(&text.as_bytes()[read..]);
        Ok(std::string::String::from_utf8_lossy(&out).into_owned())
    }
}

fn timeout() -> EsError {
    EsError::new("timeout_exception", "Grok pattern matching timed out")
}

/// The next position after `offset` where a search can start (Oniguruma
/// moves a start inside a character to the next character).
fn next_boundary(text: &str, offset: usize) -> usize {
    let mut next = offset + 1;
    while next < text.len() && !text.is_char_boundary(next) {
        next += 1;
    }
    next
}

/// Elasticsearch's `mergeOverlappingReplacements`: sorted by start; regions
/// that overlap or touch are merged, named after the longest of them.
fn merge_overlapping(mut found: Vec<Replacement>) -> Vec<Replacement> {
    if found.len() == 1 {
        return found;
    }
    found.sort_by_key(|r| r.start);
    let mut result = Vec::new();
    let mut current = 0;
    let mut next = 1;
    while current < found.len() {
        let head = &found[current];
        if next >= found.len() || head.end < found[next].start {
            result.push(head.clone());
        } else {
            loop {
                let previous_end = found[next].end;
                next += 1;
                if !(next < found.len() && previous_end >= found[next].start) {
                    break;
                }
            }
            result.push(merge_longest(&found[current..next]));
        }
        current = next;
        next += 1;
    }
    result
}

fn merge_longest(group: &[Replacement]) -> Replacement {
    let mut longest = 0;
    let mut end = group[0].end;
    for (i, r) in group.iter().enumerate().skip(1) {
        if r.end - r.start > group[longest].end - group[longest].start {
            longest = i;
        }
        end = end.max(r.end);
    }
    Replacement { start: group[0].start, end, name: group[longest].name.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: usize, end: usize, name: &str) -> Replacement {
        Replacement { start, end, name: name.into() }
    }

    #[test]
    fn overlapping_and_touching_regions_merge_under_the_longest_name() {
        let merged = merge_overlapping(vec![r(5, 9, "b"), r(0, 3, "a"), r(2, 8, "long"), r(12, 14, "c"), r(14, 15, "d")]);
        assert_eq!(merged, vec![r(0, 9, "long"), r(12, 15, "c")]);
        assert_eq!(merge_overlapping(vec![r(0, 1, "x")]), vec![r(0, 1, "x")]);
    }

    fn run(config: &str, input: &str) -> Result<std::string::String, std::string::String> {
        use crate::processors::examples::run_example;
        let example = Example { title: "", config: Box::leak(config.into()), input: Box::leak(input.into()), output: Ok("") };
        run_example(crate::processors::lookup("redact").unwrap(), &example)
    }

    #[test]
    fn adjacent_matches_merge_and_repeats_are_all_found() {
        let cfg = r#"{"field": "m", "patterns": ["%{INT:n}"]}"#;
        assert_eq!(run(cfg, r#"{"m": "1 22 333"}"#).unwrap(), r#"{"m":"<n> <n> <n>"}"#);
        let cfg = r#"{"field": "m", "patterns": ["%{WORD:w}", "%{INT:n}"]}"#;
        // "12" is a WORD and an INT of equal length: the earlier pattern's name wins.
        assert_eq!(run(cfg, r#"{"m": "ab 12"}"#).unwrap(), r#"{"m":"<w> <w>"}"#);
        // "ab" and "-12" touch, so they merge under the longer match's name.
        assert_eq!(run(cfg, r#"{"m": "ab-12"}"#).unwrap(), r#"{"m":"<n>"}"#);
        // "ab12" is one WORD; the INT inside overlaps it and the longer name wins.
        assert_eq!(run(cfg, r#"{"m": "ab12"}"#).unwrap(), r#"{"m":"<w>"}"#);
    }

    #[test]
    fn errors_and_options() {
        let e = run(r#"{"field": "m", "patterns": ["%{NOPE:x}"]}"#, "{}").unwrap_err();
        assert!(e.starts_with("load: [patterns] Invalid regex pattern found in: [%{NOPE:x}]. "), "{e}");
        let e = run(r#"{"field": "m", "patterns": []}"#, "{}").unwrap_err();
        assert_eq!(e, "load: [patterns] List of patterns must not be empty");
        let e = run(r#"{"field": "m", "patterns": ["a"]}"#, r#"{"m": "a"}"#).unwrap_err();
        assert_eq!(e, "Grok pattern matching timed out", "a pattern without a capture has no name");
        assert_eq!(run(r#"{"field": "m", "patterns": ["%{IP:ip}"]}"#, r#"{"x": 1}"#).unwrap(), r#"{"x":1}"#);
        let e = run(r#"{"field": "m", "patterns": ["%{IP:ip}"]}"#, r#"{"m": 1}"#).unwrap_err();
        assert_eq!(e, "field [m] of type [java.lang.Integer] cannot be cast to [java.lang.String]");
    }

    #[test]
    fn trace_redact_marks_the_document() {
        use crate::pipeline::{Pipeline, RunContext};
        let config = r#"{"processors": [{"redact": {"field": "m", "patterns": ["%{IP:ip}"], "trace_redact": true}},
            {"set": {"field": "flag", "copy_from": "_ingest._redact._is_redacted"}}]}"#;
        let pipeline = Pipeline::from_value("t", &Value::from_json_str(config).unwrap(), &BuildContext::default()).unwrap();
        let Value::Map(source) = Value::from_json_str(r#"{"m": "from 10.0.0.1"}"#).unwrap() else { panic!() };
        let mut doc = IngestDocument::new(source);
        pipeline.execute(&mut doc, &mut RunContext::default()).unwrap();
        assert_eq!(Value::Map(doc.source()).to_json(), r#"{"m":"from <ip>","flag":true}"#);
    }
}

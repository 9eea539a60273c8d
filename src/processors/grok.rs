//! `grok`: extracts fields from a text field with named regular-expression patterns.

use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use super::field_values::get_string_to_process;
use crate::document::{FieldPath, IngestDocument, KnownPaths};
use crate::error::EsError;
use crate::grok::{EcsMode, Grok, PatternBank, PATTERN_MATCH_KEY};
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "grok",
    description: "Extracts structured fields out of a single text field within a document, with grok patterns.",
    options: &[
        OptionSpec::required("field", String, "The field to use for grok expression parsing."),
        OptionSpec::required(
            "patterns",
            StringList,
            "Grok expressions to match; the first one that matches (at the earliest position) wins.",
        ),
        OptionSpec::optional("pattern_definitions", Map, "Pattern names and definitions added to the built-in ones."),
        OptionSpec::optional("ecs_compatibility", String, "Built-in pattern set: `disabled` (legacy) or `v1` (ECS).")
            .default("disabled"),
        OptionSpec::optional("trace_match", Bool, "Record the index of the matching pattern in `_ingest._grok_match_index`.")
            .default("false"),
        OptionSpec::optional("ignore_missing", Bool, "Quietly skip a missing or null field.").default("false"),
    ],
    examples: &[
        Example {
            title: "typed captures",
            config: r#"{"field": "message", "patterns": ["%{NUMBER:val:float} %{NUMBER:status:int} <%{WORD:msg}>"]}"#,
            input: r#"{"message": "123.42 400 <foo>"}"#,
            output: Ok(r#"{"message": "123.42 400 <foo>", "val": 123.42, "status": 400, "msg": "foo"}"#),
        },
        Example {
            title: "dotted field names make objects",
            config: r#"{"field": "email", "patterns": ["^%{DATA}@%{DATA:source.domain}$"], "ignore_missing": true}"#,
            input: r#"{"email": "john@example.com"}"#,
            output: Ok(r#"{"email": "john@example.com", "source": {"domain": "example.com"}}"#),
        },
        Example {
            title: "ignore_missing skips a missing field",
            config: r#"{"field": "email", "patterns": ["^%{DATA}@%{DATA:source.domain}$"], "ignore_missing": true}"#,
            input: r#"{"other": 1}"#,
            output: Ok(r#"{"other": 1}"#),
        },
        Example {
            title: "custom pattern definitions",
            config: r#"{"field": "f", "patterns": ["<%{MY_PATTERN:msg}>"], "pattern_definitions": {"MY_PATTERN": "foo"}}"#,
            input: r#"{"f": "<foo>"}"#,
            output: Ok(r#"{"f": "<foo>", "msg": "foo"}"#),
        },
        Example {
            title: "repeated names collect into a list",
            config: r#"{"field": "f", "patterns": ["%{INT:n:int}-%{INT:n:int}"]}"#,
            input: r#"{"f": "1-2"}"#,
            output: Ok(r#"{"f": "1-2", "n": [1, 2]}"#),
        },
        Example {
            title: "ECS patterns",
            config: r#"{"field": "m", "patterns": ["%{SYSLOGPROG}"], "ecs_compatibility": "v1"}"#,
            input: r#"{"m": "sshd[42]"}"#,
            output: Ok(r#"{"m": "sshd[42]", "process": {"name": "sshd", "pid": 42}}"#),
        },
        Example {
            title: "no pattern matches",
            config: r#"{"field": "f", "patterns": ["%{INT:n}"]}"#,
            input: r#"{"f": "abc"}"#,
            output: Err("Provided Grok expressions do not match field value: [abc]"),
        },
        Example {
            title: "a null field fails without ignore_missing",
            config: r#"{"field": "f", "patterns": ["%{INT:n}"]}"#,
            input: r#"{"f": null}"#,
            output: Err("field [f] is null, cannot process it."),
        },
        Example {
            title: "a non-string field fails",
            config: r#"{"field": "f", "patterns": ["%{INT:n}"]}"#,
            input: r#"{"f": 12}"#,
            output: Err("field [f] of type [java.lang.Integer] cannot be cast to [java.lang.String]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct GrokProcessor {
    field: FieldPath,
    patterns: Vec<std::string::String>,
    grok: Grok,
    paths: KnownPaths,
    trace_match: bool,
    ignore_missing: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let patterns = o
        .opt_string_list("patterns")?
        .ok_or_else(|| o.error("patterns", "required property is missing"))?;
    let trace_match = o.bool_or("trace_match", false)?;
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let ecs_name = o
        .opt_string("ecs_compatibility")?
        .unwrap_or_else(|| EcsMode::NAMES[0].to_string());
    let Some(ecs_mode) = EcsMode::parse(&ecs_name) else {
        return Err(o.error(
            "ecs_compatibility",
            &format!("unsupported mode '{ecs_name}'"),
        ));
    };
    if patterns.is_empty() {
        return Err(o.error("patterns", "List of patterns must not be empty"));
    }
    let definitions = o.opt_map("pattern_definitions")?.unwrap_or_default();
    let field = FieldPath::parse(&field).map_err(|e| o.error("field", &e))?;
    let invalid = |reason: &str| {
        o.error(
            "patterns",
            &format!(
                "Invalid regex pattern found in: [{}]. {reason}",
                patterns.join(", ")
            ),
        )
    };
    // Elasticsearch reads the definitions as a Map<String, String> unchecked:
    // another value fails when the pattern bank first reads it as a string.
    let mut custom = Vec::with_capacity(definitions.len());
    for (name, value) in definitions {
        match value {
            Value::String(text) => custom.push((name, text)),
            Value::Null => {
                return Err(invalid("Cannot invoke \"String.indexOf(String)\" because \"pattern\" is null"))
            }
            other => {
                let class = other.java_class();
                return Err(invalid(&format!(
                    "class {class} cannot be cast to class java.lang.String ({class} and java.lang.String are in module java.base of loader 'bootstrap')"
                )));
            }
        }
    }
    let grok = PatternBank::builtin(ecs_mode)
        .extend_with(custom)
        .and_then(|bank| Grok::with_bank(&bank, &patterns, trace_match))
        .map_err(|e| invalid(&e.reason))?;
    let paths = KnownPaths::new(grok.capture_configs().iter().map(|c| c.name.as_str()));
    Ok(Box::new(GrokProcessor {
        field,
        patterns,
        grok,
        paths,
        trace_match,
        ignore_missing,
    }))
}

impl Processor for GrokProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let Some(text) = get_string_to_process(doc, &self.field, self.ignore_missing)? else {
            return Ok(Flow::Continue);
        };
        let Some(found) = self.grok.captures(text)? else {
            return Err(EsError::illegal_argument(format!(
                "Provided Grok expressions do not match field value: [{text}]"
            )));
        };
        for (name, value) in found.captures {
            let path = self.paths.path(&name).map_err(EsError::illegal_argument)?;
            doc.set(&path, value).map_err(EsError::illegal_argument)?;
        }
        if self.trace_match {
            let key = FieldPath::parse(PATTERN_MATCH_KEY).expect("valid path");
            let index = if self.patterns.len() > 1 {
                // Elasticsearch reads back the map its traced group made and keeps its key.
                match doc.get(&key) {
                    Ok(Value::Map(m)) => m.keys().next().cloned(),
                    _ => found.pattern_index.map(|i| i.to_string()),
                }
            } else {
                Some("0".to_string())
            };
            if let Some(index) = index {
                doc.set(&key, Value::String(index))
                    .map_err(EsError::illegal_argument)?;
            }
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{BuildContext, Pipeline};
    use crate::value::Map;

    fn run(config: &str, source: &str) -> Result<IngestDocument, crate::error::EsError> {
        let mut processor = Map::default();
        processor.insert("grok".into(), Value::from_json_str(config).unwrap());
        let mut pipeline = Map::default();
        pipeline.insert(
            "processors".into(),
            Value::List(vec![Value::Map(processor)]),
        );
        let pipeline = Pipeline::from_value("t", &Value::Map(pipeline), &BuildContext::default())?;
        let Value::Map(source) = Value::from_json_str(source).unwrap() else {
            panic!()
        };
        let mut doc = IngestDocument::new(source);
        pipeline.execute(&mut doc, &mut RunContext::default())?;
        Ok(doc)
    }

    #[test]
    fn trace_match_records_the_matching_pattern() {
        let doc = run(
            r#"{"field": "field", "patterns": ["%{ONE:one}", "%{TWO:two}"], "pattern_definitions": {"ONE": "1", "TWO": "2"}, "trace_match": true}"#,
            r#"{"field": "abc2xyz"}"#,
        )
        .unwrap();
        assert_eq!(
            doc.ingest.get("_grok_match_index"),
            Some(&Value::String("1".into()))
        );
        assert_eq!(doc.ctx.get("two"), Some(&Value::String("2".into())));
        let doc = run(
            r#"{"field": "f", "patterns": ["%{INT:n}"], "trace_match": true}"#,
            r#"{"f": "5"}"#,
        )
        .unwrap();
        assert_eq!(
            doc.ingest.get("_grok_match_index"),
            Some(&Value::String("0".into()))
        );
    }

    #[test]
    fn configuration_errors() {
        let reason = |config: &str| run(config, r#"{"f": "x"}"#).unwrap_err().reason;
        assert_eq!(
            reason(r#"{"field": "f", "patterns": ["%{INVALID_PATTERN:field}"]}"#),
            "[patterns] Invalid regex pattern found in: [%{INVALID_PATTERN:field}]. Unable to find pattern [INVALID_PATTERN] in Grok's pattern dictionary"
        );
        assert_eq!(
            reason(r#"{"field": "f", "patterns": ["["]}"#),
            "[patterns] Invalid regex pattern found in: [[]. premature end of char-class"
        );
        assert_eq!(
            reason(r#"{"field": "f", "patterns": ["%{MY_PATTERN:name}!"], "pattern_definitions": {"MY_PATTERN": "["}}"#),
            "[patterns] Invalid regex pattern found in: [%{MY_PATTERN:name}!]. premature end of char-class"
        );
        assert_eq!(
            reason(r#"{"field": "f", "patterns": []}"#),
            "[patterns] List of patterns must not be empty"
        );
        assert_eq!(
            reason(r#"{"field": "f", "patterns": ["%{A}"], "pattern_definitions": {"A": 1}}"#),
            "[patterns] Invalid regex pattern found in: [%{A}]. class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and java.lang.String are in module java.base of loader 'bootstrap')"
        );
        assert_eq!(
            reason(r#"{"field": "f"}"#),
            "[patterns] required property is missing"
        );
        assert_eq!(
            reason(r#"{"patterns": ["x"]}"#),
            "[field] required property is missing"
        );
        assert_eq!(
            reason(r#"{"field": "f", "patterns": ["x"], "ecs_compatibility": "abc"}"#),
            "[ecs_compatibility] unsupported mode 'abc'"
        );
        assert_eq!(
            reason(r#"{"field": "f", "patterns": ["%{A}"], "pattern_definitions": {"A": "%{B}", "B": "%{A}"}}"#),
            "[patterns] Invalid regex pattern found in: [%{A}]. circular reference detected: A->B->A"
        );
    }

    #[test]
    fn missing_field() {
        let e = run(
            r#"{"field": "missing", "patterns": ["x"]}"#,
            r#"{"f": "x"}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.root().reason,
            "field [missing] not present as part of path [missing]"
        );
    }

    fn get(doc: &IngestDocument, path: &str) -> Option<Value> {
        doc.get(&FieldPath::parse(path).unwrap()).ok().cloned()
    }

    #[test]
    fn grok_processor_tests_from_elasticsearch() {
        let defs =
            r#""pattern_definitions": {"ONE": "1", "TWO": "2", "THREE": "3", "ONETWO": "1|2"}"#;
        // testIgnoreCase
        let doc = run(
            r#"{"field": "f", "patterns": ["(?<a>(?i)A)"]}"#,
            r#"{"f": "A"}"#,
        )
        .unwrap();
        assert_eq!(get(&doc, "a"), Some(Value::String("A".into())));
        // testMultiplePatternsWithMatchReturn
        let doc = run(&format!(r#"{{"field": "f", "patterns": ["%{{ONE:one}}", "%{{TWO:two}}", "%{{THREE:three}}"], {defs}}}"#), r#"{"f": "2"}"#).unwrap();
        assert_eq!(
            (get(&doc, "one"), get(&doc, "two"), get(&doc, "three")),
            (None, Some(Value::String("2".into())), None)
        );
        // testSetMetadata
        let doc = run(
            &format!(r#"{{"field": "f", "patterns": ["%{{ONE:one}}", "%{{TWO:two}}", "%{{THREE:three}}"], "trace_match": true, {defs}}}"#),
            r#"{"f": "abc23"}"#,
        )
        .unwrap();
        assert_eq!(
            get(&doc, "_ingest._grok_match_index"),
            Some(Value::String("1".into()))
        );
        // testCombineSamePatternNameAcrossPatterns
        for trace in [false, true] {
            let doc = run(
                &format!(r#"{{"field": "f", "patterns": ["%{{ONE:first}}-%{{TWO:second}}", "%{{ONE:first}}-%{{THREE:second}}"], "trace_match": {trace}, {defs}}}"#),
                r#"{"f": "1-3"}"#,
            )
            .unwrap();
            assert_eq!(
                (get(&doc, "first"), get(&doc, "second")),
                (
                    Some(Value::String("1".into())),
                    Some(Value::String("3".into()))
                )
            );
        }
        // testShouldCaptureAllSameNameGroupsAsList
        let doc = run(
            &format!(
                r#"{{"field": "f", "patterns": ["%{{ONETWO:first}}%{{ONETWO:first}}"], {defs}}}"#
            ),
            r#"{"f": "12"}"#,
        )
        .unwrap();
        assert_eq!(
            get(&doc, "first"),
            Some(Value::List(vec![
                Value::String("1".into()),
                Value::String("2".into())
            ]))
        );
        // testUnmatchedNamesNotIncludedInDocument
        let doc = run(
            &format!(
                r#"{{"field": "f", "patterns": ["%{{ONETWO:first}}|%{{THREE:second}}"], {defs}}}"#
            ),
            r#"{"f": "3"}"#,
        )
        .unwrap();
        assert_eq!(
            (get(&doc, "first"), get(&doc, "second")),
            (None, Some(Value::String("3".into())))
        );
        // testNotStringFieldWithIgnoreMissing: the cast still fails
        let e = run(
            r#"{"field": "f", "patterns": ["x"], "ignore_missing": true}"#,
            r#"{"f": 1}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.root().reason,
            "field [f] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
        );
        // testMissingField
        let e = run(r#"{"field": "foo.bar", "patterns": ["x"]}"#, r#"{"a": 1}"#).unwrap_err();
        assert_eq!(
            e.root().reason,
            "field [foo] not present as part of path [foo.bar]"
        );
        // testMatchWithoutCaptures: the document is unchanged
        let doc = run(
            r#"{"field": "value", "patterns": ["value"]}"#,
            r#"{"value": "value"}"#,
        )
        .unwrap();
        assert_eq!(Value::Map(doc.source()).to_json(), r#"{"value":"value"}"#);
    }

    #[test]
    fn upstream_pipeline_grok() {
        let doc = run(
            r#"{"field": "email", "patterns": ["^%{DATA}@%{DATA:source.domain}$"], "ignore_missing": true}"#,
            r#"{"email": "a@b.example"}"#,
        )
        .unwrap();
        assert_eq!(
            doc.source().get("source").unwrap().to_json(),
            r#"{"domain":"b.example"}"#
        );
    }
}

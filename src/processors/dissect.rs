//! `dissect`: splits a text field by the delimiters of a pattern.

use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::dissect::DissectParser;
use super::field_values::get_string_to_process;
use crate::document::{FieldPath, IngestDocument, KnownPaths};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "dissect",
    description: "Extracts structured fields out of a single text field by matching the field against a delimiter-based pattern.",
    options: &[
        OptionSpec::required("field", String, "The field to dissect."),
        OptionSpec::required("pattern", String, "The pattern to apply to the field."),
        OptionSpec::optional("append_separator", String, "The characters that separate appended fields.")
            .default("\"\""),
        OptionSpec::optional("ignore_missing", Bool, "Quietly skip a missing or null field.").default("false"),
    ],
    examples: &[
        Example {
            title: "keys and delimiters",
            config: r#"{"field": "message", "pattern": "%{a} %{b} %{c}"}"#,
            input: r#"{"message": "foo bar baz"}"#,
            output: Ok(r#"{"message": "foo bar baz", "a": "foo", "b": "bar", "c": "baz"}"#),
        },
        Example {
            title: "dotted keys make objects",
            config: r#"{"field": "to", "pattern": "%{_temp_.to_user_name}@%{_temp_.to_user_domain}", "ignore_missing": true}"#,
            input: r#"{"to": "john@example.com"}"#,
            // Elasticsearch's HashMap yields to_user_domain first.
            output: Ok(r#"{"to": "john@example.com", "_temp_": {"to_user_domain": "example.com", "to_user_name": "john"}}"#),
        },
        Example {
            title: "ignore_missing skips a missing field",
            config: r#"{"field": "to", "pattern": "%{_temp_.to_user_name}@%{_temp_.to_user_domain}", "ignore_missing": true}"#,
            input: r#"{"other": 1}"#,
            output: Ok(r#"{"other": 1}"#),
        },
        Example {
            title: "append with order and separator, right padding",
            config: r#"{"field": "m", "pattern": "%{+name/2->} %{+name/1} %{?skip}", "append_separator": " "}"#,
            input: r#"{"m": "Doe    John x"}"#,
            output: Ok(r#"{"m": "Doe    John x", "name": "John Doe"}"#),
        },
        Example {
            title: "reference keys",
            config: r#"{"field": "m", "pattern": "%{*key}=%{&key}"}"#,
            input: r#"{"m": "color=blue"}"#,
            output: Ok(r#"{"m": "color=blue", "color": "blue"}"#),
        },
        Example {
            title: "no match",
            config: r#"{"field": "message", "pattern": "%{a},%{b},%{c}"}"#,
            input: r#"{"message": "foo bar baz"}"#,
            output: Err("Unable to find match for dissect pattern: %{a},%{b},%{c} against source: foo bar baz"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Dissect {
    field: FieldPath,
    parser: DissectParser,
    paths: KnownPaths,
    ignore_missing: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let pattern = o.string("pattern")?;
    let append_separator = o.opt_string("append_separator")?.unwrap_or_default();
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let field = FieldPath::parse(&field).map_err(|e| o.error("field", &e))?;
    // The parser's exception escapes the factory and Elasticsearch wraps it.
    let parser = DissectParser::new(&pattern, &append_separator).map_err(|e| {
        let class = match e.kind.as_str() {
            "pattern_parse" => "org.elasticsearch.dissect.DissectException$PatternParse",
            "key_parse" => "org.elasticsearch.dissect.DissectException$KeyParse",
            _ => "java.lang.NumberFormatException",
        };
        EsError::new("exception", format!("{class}: {}", e.reason))
            .with("processor_type", "dissect")
            .caused_by(e)
    })?;
    let paths = KnownPaths::new(parser.key_names());
    Ok(Box::new(Dissect {
        field,
        parser,
        paths,
        ignore_missing,
    }))
}

impl Processor for Dissect {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let Some(text) = get_string_to_process(doc, &self.field, self.ignore_missing)? else {
            return Ok(Flow::Continue);
        };
        for (name, value) in self.parser.parse(text)? {
            let path = self.paths.path(&name).map_err(EsError::illegal_argument)?;
            doc.set(&path, value).map_err(EsError::illegal_argument)?;
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Pipeline;
    use crate::value::{Map, Value};

    fn run(config: &str, source: &str) -> Result<IngestDocument, EsError> {
        let mut processor = Map::default();
        processor.insert("dissect".into(), Value::from_json_str(config).unwrap());
        let mut pipeline = Map::default();
        pipeline.insert("processors".into(), Value::List(vec![Value::Map(processor)]));
        let pipeline = Pipeline::from_value("t", &Value::Map(pipeline), &BuildContext::default())?;
        let Value::Map(source) = Value::from_json_str(source).unwrap() else { panic!() };
        let mut doc = IngestDocument::new(source);
        pipeline.execute(&mut doc, &mut RunContext::default())?;
        Ok(doc)
    }

    fn source(doc: &IngestDocument) -> std::string::String {
        Value::Map(doc.source()).to_json()
    }

    #[test]
    fn dissect_processor_tests_from_elasticsearch() {
        // testMatchOverwrite: existing fields are replaced.
        let doc = run(r#"{"field": "message", "pattern": "%{a},%{b}"}"#, r#"{"message": "foo,bar", "a": "willgetstompped"}"#).unwrap();
        assert_eq!(source(&doc), r#"{"message":"foo,bar","a":"foo","b":"bar"}"#);
        // testMatchEmptyBrackets
        let doc = run(r#"{"field": "message", "pattern": "[%{a}][%{b}][%{c}]"}"#, r#"{"message": "[foo][][bar]"}"#).unwrap();
        let m = doc.source();
        assert_eq!((m.get("a"), m.get("b"), m.get("c")), (Some(&Value::from("foo")), Some(&Value::from("")), Some(&Value::from("bar"))));
        // testAdvancedMatch: append with order and separator, skip, reference
        let doc = run(
            r#"{"field": "message", "pattern": "%{a->},%{+a/2} %{b} %{?skip} %{*c}:%{&c}", "append_separator": "-"}"#,
            r#"{"message": "foo,,,,bar baz x k:v"}"#,
        );
        let m = doc.unwrap().source();
        assert_eq!(m.get("k"), Some(&Value::from("v")));
        assert_eq!(m.get("a"), Some(&Value::from("foo-bar")));
        assert_eq!(m.get("b"), Some(&Value::from("baz")));
        assert_eq!(m.get("skip"), None);
        // testNullValueWithIgnoreMissing / without
        assert!(run(r#"{"field": "m", "pattern": "%{a}", "ignore_missing": true}"#, r#"{"m": null}"#).is_ok());
        let e = run(r#"{"field": "m", "pattern": "%{a}"}"#, r#"{"m": null}"#).unwrap_err();
        assert_eq!(e.root().reason, "field [m] is null, cannot process it.");
        // testNonStringValueWithIgnoreMissing: the cast still fails
        let e = run(r#"{"field": "m", "pattern": "%{a}", "ignore_missing": true}"#, r#"{"m": 5}"#).unwrap_err();
        assert_eq!(e.root().reason, "field [m] of type [java.lang.Integer] cannot be cast to [java.lang.String]");
        // A missing field without ignore_missing
        let e = run(r#"{"field": "x.y", "pattern": "%{a}"}"#, r#"{"m": 5}"#).unwrap_err();
        assert_eq!(e.root().reason, "field [x] not present as part of path [x.y]");
    }

    #[test]
    fn invalid_patterns_fail_to_load() {
        let e = run(r#"{"field": "m", "pattern": "bad pattern"}"#, r#"{}"#).unwrap_err();
        assert_eq!(e.root().reason, "Unable to parse pattern: bad pattern Reason: Unable to find any keys or delimiters.");
        assert_eq!(e.root().kind, "pattern_parse");
        let e = run(r#"{"field": "m", "pattern": "%{*a} %{b}"}"#, r#"{}"#).unwrap_err();
        assert!(e.root().reason.contains("Found invalid key/reference associations: 'a'"), "{}", e.root().reason);
        let e = run(r#"{"field": "m"}"#, r#"{}"#).unwrap_err();
        assert_eq!(e.reason, "[pattern] required property is missing");
    }
}

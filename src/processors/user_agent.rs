//! `user_agent`: parses a user agent string with Elasticsearch's regex
//! database (see [`crate::user_agent`]).

use super::support::{cannot_cast, get_field, set_field};
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::user_agent::{self as ua, Parser};
use crate::value::{Map, Value};
use std::sync::Arc;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "user_agent",
    description: "Extracts details from the user agent string a browser sends with its web requests, with \
                  Elasticsearch's regex database; a custom regex_file is read from the directory in \
                  INGOT_USER_AGENT_DIR (Elasticsearch's config/ingest-user-agent).",
    options: &[
        OptionSpec::required("field", String, "The field containing the user agent string."),
        OptionSpec::optional("target_field", String, "The field that will be filled with the user agent details.")
            .default("user_agent"),
        OptionSpec::optional(
            "regex_file",
            String,
            "The name of the file in the config/ingest-user-agent directory (INGOT_USER_AGENT_DIR) containing the \
             regular expressions for parsing the user agent string.",
        ),
        OptionSpec::optional(
            "properties",
            StringList,
            "Controls what properties are added to target_field: name, os, device, original, version.",
        ),
        OptionSpec::optional(
            "extract_device_type",
            Bool,
            "Extracts device type from the user agent string on a best-effort basis (beta).",
        )
        .default("false"),
        OptionSpec::optional(
            "ignore_missing",
            Bool,
            "If true and field does not exist, the processor quietly exits without modifying the document.",
        )
        .default("false"),
    ],
    examples: &[
        Example {
            title: "Elasticsearch's documented example",
            config: r#"{"field": "agent"}"#,
            input: r#"{"agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36"}"#,
            output: Ok(r#"{"agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36",
                "user_agent": {"original": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36",
                "os": {"name": "Mac OS X", "version": "10.12.5", "full": "Mac OS X 10.12.5"},
                "name": "Chrome", "device": {"name": "Mac"}, "version": "51.0.2704.103"}}"#),
        },
        Example {
            title: "extract_device_type",
            config: r#"{"field": "agent", "extract_device_type": true}"#,
            input: r#"{"agent": "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1"}"#,
            output: Ok(r#"{"agent": "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1",
                "user_agent": {"original": "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1",
                "os": {"name": "iOS", "version": "12.2", "full": "iOS 12.2"},
                "name": "Mobile Safari", "device": {"name": "iPad", "type": "Tablet"}, "version": "12.1"}}"#),
        },
        Example {
            title: "an unknown agent is Other",
            config: r#"{"field": "agent", "target_field": "ua", "extract_device_type": true}"#,
            input: r#"{"agent": "Something I made up v42.0.1"}"#,
            output: Ok(r#"{"agent": "Something I made up v42.0.1", "ua": {"original": "Something I made up v42.0.1",
                "name": "Other", "device": {"name": "Other", "type": "Other"}}}"#),
        },
        Example {
            title: "properties",
            config: r#"{"field": "agent", "properties": ["os"]}"#,
            input: r#"{"agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.149 Safari/537.36"}"#,
            output: Ok(r#"{"agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.149 Safari/537.36",
                "user_agent": {"os": {"name": "Mac OS X", "version": "10.9.2", "full": "Mac OS X 10.9.2"}}}"#),
        },
        Example {
            title: "ignore_missing",
            config: r#"{"field": "agent", "ignore_missing": true}"#,
            input: r#"{"agent": null}"#,
            output: Ok(r#"{"agent": null}"#),
        },
        Example {
            title: "a null field fails",
            config: r#"{"field": "agent"}"#,
            input: r#"{"agent": null}"#,
            output: Err("field [agent] is null, cannot parse user-agent."),
        },
    ],
    build: Some(build),
};

/// `UserAgentProcessor.Property`, in its declaration order, which is the
/// order an `EnumSet` iterates in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Property {
    Name,
    Os,
    Device,
    Original,
    Version,
}

const PROPERTIES: [(Property, &str); 5] = [
    (Property::Name, "NAME"),
    (Property::Os, "OS"),
    (Property::Device, "DEVICE"),
    (Property::Original, "ORIGINAL"),
    (Property::Version, "VERSION"),
];

#[derive(Debug)]
struct UserAgent {
    field: FieldPath,
    target_field: FieldPath,
    parser: Arc<Parser>,
    properties: Vec<Property>,
    extract_device_type: bool,
    ignore_missing: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let target_field = o.opt_string("target_field")?.unwrap_or_else(|| "user_agent".into());
    let regex_file = o.opt_string("regex_file")?.unwrap_or_else(|| ua::DEFAULT_PARSER_NAME.into());
    let property_names = o.opt_string_list("properties")?;
    let extract_device_type = o.bool_or("extract_device_type", false)?;
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let parser = ua::parser_for(&regex_file).map_err(|e| o.error("regex_file", &e))?;
    let properties = match property_names {
        None => PROPERTIES.iter().map(|(p, _)| *p).collect(),
        Some(names) => {
            let mut chosen = Vec::new();
            for name in names {
                // `valueOf(name.toUpperCase(Locale.ROOT))`.
                let upper = name.to_uppercase();
                let Some((p, _)) = PROPERTIES.iter().find(|(_, n)| *n == upper) else {
                    let valid: Vec<&str> = PROPERTIES.iter().map(|(_, n)| *n).collect();
                    return Err(o.error(
                        "properties",
                        &format!("illegal property value [{name}]. valid values are [{}]", valid.join(", ")),
                    ));
                };
                if !chosen.contains(p) {
                    chosen.push(*p);
                }
            }
            // An EnumSet iterates in declaration order.
            PROPERTIES.iter().map(|(p, _)| *p).filter(|p| chosen.contains(p)).collect()
        }
    };
    let field = FieldPath::parse(&field).map_err(|e| o.error("field", &e))?;
    let target_field = FieldPath::parse(&target_field).map_err(|e| o.error("target_field", &e))?;
    Ok(Box::new(UserAgent { field, target_field, parser, properties, extract_device_type, ignore_missing }))
}

/// Orders entries as a `java.util.HashMap` created with a table of
/// `table` buckets and filled in this order iterates them: by bucket of the
/// final table, insertion order within a bucket.
fn hash_map_order(entries: Vec<(&'static str, Value)>, table: usize) -> Map {
    crate::value::java_hash_map_of(entries, table)
}

impl Processor for UserAgent {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let agent = match get_field(doc, &self.field, self.ignore_missing)? {
            None | Some(Value::Null) if self.ignore_missing => return Ok(Flow::Continue),
            None | Some(Value::Null) => {
                return Err(EsError::illegal_argument(format!(
                    "field [{}] is null, cannot parse user-agent.",
                    self.field.as_str()
                )))
            }
            Some(Value::String(s)) => s.clone(),
            Some(other) => return Err(cannot_cast(self.field.as_str(), other, "java.lang.String")),
        };
        let details = self.parser.parse(&agent, self.extract_device_type).map_err(EsError::illegal_state)?;
        let s = |v: &str| Value::String(v.to_string());
        let mut out = Vec::new();
        for property in &self.properties {
            match property {
                Property::Original => out.push(("original", s(&agent))),
                Property::Name => {
                    let name = details.user_agent.as_ref().map_or("Other", |u| u.name.as_str());
                    out.push(("name", s(name)));
                }
                Property::Version => {
                    if let Some(v) = details.user_agent.as_ref().and_then(|u| u.version()) {
                        out.push(("version", Value::String(v)));
                    }
                }
                Property::Os => {
                    if let Some(os) = &details.os {
                        let mut entries = vec![("name", s(&os.name))];
                        if let Some(v) = os.version() {
                            entries.push(("full", Value::String(format!("{} {v}", os.name))));
                            entries.insert(1, ("version", Value::String(v)));
                        }
                        // `Maps.newMapWithExpectedSize(3)`: a table of 8.
                        out.push(("os", Value::Map(hash_map_order(entries, 8))));
                    }
                }
                Property::Device => {
                    let name = details.device.as_ref().map_or("Other", |d| d.name.as_str());
                    let mut entries = vec![("name", s(name))];
                    if self.extract_device_type {
                        let t = details.device_type.as_deref().unwrap_or("Other");
                        entries.push(("type", s(t)));
                    }
                    // `Maps.newMapWithExpectedSize(1)`: a table of 2.
                    out.push(("device", Value::Map(hash_map_order(entries, 2))));
                }
            }
        }
        set_field(doc, &self.target_field, Value::Map(hash_map_order(out, 16)))?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::SPEC;
    use crate::processors::examples::run_example;
    use crate::processors::Example;

    fn run(config: &'static str, input: &'static str) -> Result<String, String> {
        run_example(&SPEC, &Example { title: "", config, input, output: Ok("") })
    }

    fn json(s: &str) -> String {
        crate::value::Value::from_json_str(s).unwrap().to_json()
    }

    #[test]
    fn a_custom_regex_file_from_the_user_agent_directory() {
        // Elasticsearch's 30_custom_regex REST test, with our own file.
        let dir_guard = tempfile::tempdir().unwrap();
        let dir = dir_guard.path().to_path_buf();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("test-regexes.yml"), "user_agent_parsers:\n  - regex: '.*'\n    family_replacement: 'Test'\n")
            .unwrap();
        std::fs::write(dir.join("bad-regexes.yml"), "user_agent_parsers:\n  - regex: '(unclosed'\n").unwrap();
        std::env::set_var(crate::user_agent::DIR_ENV, &dir);
        let agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.149 Safari/537.36";
        let input: &'static str = Box::leak(format!(r#"{{"field1": "{agent}"}}"#).into_boxed_str());
        let got = run(r#"{"field": "field1", "regex_file": "test-regexes.yml"}"#, input).unwrap();
        let want = format!(
            r#"{{"field1": "{agent}", "user_agent": {{"original": "{agent}", "name": "Test", "device": {{"name": "Other"}}}}}}"#
        );
        assert_eq!(got, json(&want));
        let got = run(r#"{"field": "field1", "regex_file": "test-regexes.yml", "extract_device_type": true}"#, input).unwrap();
        // As in 30_custom_regex: "Test" is no known browser, so no type.
        assert!(got.contains(r#""device":{"name":"Other","type":"Other"}"#), "{got}");

        let e = run(r#"{"field": "field1", "regex_file": "nope.yml"}"#, input).unwrap_err();
        assert!(e.contains("[regex_file] regex file [nope.yml] doesn't exist (has to exist at node startup)"), "{e}");
        let e = run(r#"{"field": "field1", "regex_file": "bad-regexes.yml"}"#, input).unwrap_err();
        assert!(e.contains("regex file [bad-regexes.yml]") && e.contains("failed to load"), "{e}");
    }

    #[test]
    fn configuration_and_field_errors() {
        let e = run(r#"{"field": "a", "properties": ["name", "foo"]}"#, r#"{"a": "x"}"#).unwrap_err();
        assert_eq!(e, "load: [properties] illegal property value [foo]. valid values are [NAME, OS, DEVICE, ORIGINAL, VERSION]");
        let e = run(r#"{"field": "a"}"#, r#"{"a": 1}"#).unwrap_err();
        assert_eq!(e, "field [a] of type [java.lang.Integer] cannot be cast to [java.lang.String]");
        let e = run(r#"{"field": "a"}"#, r#"{}"#).unwrap_err();
        assert_eq!(e, "field [a] not present as part of path [a]");
        assert_eq!(run(r#"{"field": "a", "ignore_missing": true}"#, r#"{}"#).unwrap(), json("{}"));
    }

    #[test]
    fn properties_keep_elasticsearch_order_and_case() {
        let got = run(
            r#"{"field": "a", "properties": ["VERSION", "Name"]}"#,
            r#"{"a": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.141 Safari/537.36"}"#,
        )
        .unwrap();
        assert!(got.ends_with(r#""user_agent":{"name":"Chrome","version":"87.0.4280.141"}}"#), "{got}");
    }

    #[test]
    fn windows_and_spider_agents_as_elasticsearch_tests_expect() {
        let got = run(
            r#"{"field": "a", "extract_device_type": true, "properties": ["os", "device"]}"#,
            r#"{"a": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.141 Safari/537.36"}"#,
        )
        .unwrap();
        assert!(got.contains(r#""os":{"name":"Windows","version":"10","full":"Windows 10"}"#), "{got}");
        assert!(got.contains(r#""device":{"name":"Other","type":"Desktop"}"#), "{got}");
        let got = run(
            r#"{"field": "a", "extract_device_type": true}"#,
            r#"{"a": "Mozilla/5.0 (compatible; EasouSpider; +http://www.easou.com/search/spider.html)"}"#,
        )
        .unwrap();
        assert!(got.contains(r#""name":"EasouSpider""#) && got.contains(r#""device":{"name":"Spider","type":"Robot"}"#), "{got}");
        assert!(!got.contains(r#""os""#) && !got.contains(r#""version""#), "{got}");
    }
}

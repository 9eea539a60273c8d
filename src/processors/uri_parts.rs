//! `uri_parts`: splits a URI into its parts, as Java's `URI` (or, failing
//! that, `URL`) reads them.

use super::field_values::get_string;
use super::java_url;
use super::{Example, Flow, OptionKind, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::geoip::java_hash_order;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "uri_parts",
    description: "Parses a Uniform Resource Identifier (URI) string and extracts its components as an object.",
    options: &[
        OptionSpec::required("field", OptionKind::String, "Field containing the URI string."),
        OptionSpec::optional("target_field", OptionKind::String, "Output field for the URI object.").default("url"),
        OptionSpec::optional(
            "keep_original",
            OptionKind::Bool,
            "Copy the unparsed URI to <target_field>.original.",
        )
        .default("true"),
        OptionSpec::optional(
            "remove_if_successful",
            OptionKind::Bool,
            "Remove the field after parsing the URI string.",
        )
        .default("false"),
        OptionSpec::optional("ignore_missing", OptionKind::Bool, "Do nothing when the field is missing or null.")
            .default("false"),
    ],
    examples: &[
        Example {
            title: "every part (Elasticsearch's REST test)",
            config: r#"{"field": "my_uri"}"#,
            input: r#"{"my_uri": "https://user:pw@testing.google.com:8080/foo/bar.txt?foo1=bar1&foo2=bar2#anchorVal"}"#,
            output: Ok(r#"{"my_uri": "https://user:pw@testing.google.com:8080/foo/bar.txt?foo1=bar1&foo2=bar2#anchorVal",
                "url": {"path": "/foo/bar.txt", "fragment": "anchorVal", "extension": "txt", "password": "pw",
                "original": "https://user:pw@testing.google.com:8080/foo/bar.txt?foo1=bar1&foo2=bar2#anchorVal",
                "scheme": "https", "port": 8080, "user_info": "user:pw", "domain": "testing.google.com",
                "query": "foo1=bar1&foo2=bar2", "username": "user"}}"#),
        },
        Example {
            title: "remove_if_successful, no original",
            config: r#"{"field": "u", "keep_original": false, "remove_if_successful": true}"#,
            input: r#"{"u": "http://example.com/a%20b"}"#,
            output: Ok(r#"{"url": {"path": "/a b", "scheme": "http", "domain": "example.com"}}"#),
        },
        Example {
            title: "an opaque URI has no domain",
            config: r#"{"field": "u", "keep_original": false}"#,
            input: r#"{"u": "mailto:someone@example.com"}"#,
            output: Ok(r#"{"u": "mailto:someone@example.com", "url": {"scheme": "mailto", "domain": null}}"#),
        },
        Example {
            title: "an unparsable URI fails",
            config: r#"{"field": "u"}"#,
            input: r#"{"u": "not a uri"}"#,
            output: Err("unable to parse URI [not a uri]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct UriParts {
    field: FieldPath,
    target_field: FieldPath,
    same_field: bool,
    keep_original: bool,
    remove_if_successful: bool,
    ignore_missing: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let target_field = o.opt_string("target_field")?.unwrap_or_else(|| "url".into());
    let remove_if_successful = o.bool_or("remove_if_successful", false)?;
    let keep_original = o.bool_or("keep_original", true)?;
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let same_field = field == target_field;
    Ok(Box::new(UriParts {
        field: FieldPath::parse(&field).map_err(|e| o.error("field", &e))?,
        target_field: FieldPath::parse(&target_field).map_err(|e| o.error("target_field", &e))?,
        same_field,
        keep_original,
        remove_if_successful,
        ignore_missing,
    }))
}

impl Processor for UriParts {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let value = match get_string(doc, &self.field, self.ignore_missing)? {
            Some(v) => v.to_string(),
            None if self.ignore_missing => return Ok(Flow::Continue),
            // Elasticsearch hands the null to `new URI`, whose parser fails on
            // `input.length()`; the JDK's helpful message is approximated.
            None => {
                return Err(EsError::new(
                    "null_pointer_exception",
                    "Cannot invoke \"String.length()\" because \"this.input\" is null",
                ))
            }
        };
        let mut parts = uri_parts(&value)?;
        if self.keep_original {
            parts.push(("original", Value::String(value)));
        }
        if self.remove_if_successful && !self.same_field {
            doc.remove(&self.field).map_err(EsError::illegal_argument)?;
        }
        doc.set(&self.target_field, Value::Map(java_hash_order(parts))).map_err(EsError::illegal_argument)?;
        Ok(Flow::Continue)
    }
}

/// The entries Elasticsearch puts in its result map, in insertion order.
fn uri_parts(text: &str) -> Result<Vec<(&'static str, Value)>, EsError> {
    let p = java_url::parse(text)
        .ok_or_else(|| EsError::illegal_argument(format!("unable to parse URI [{text}]")))?;
    let text_or_null = |v: Option<String>| v.map(Value::String).unwrap_or(Value::Null);
    let mut out = vec![("domain", text_or_null(p.host))];
    if let Some(fragment) = p.fragment {
        out.push(("fragment", Value::String(fragment)));
    }
    if let Some(path) = p.path {
        // The extension comes from the last segment only, without its dot.
        if let Some(slash) = path.rfind('/') {
            if let Some(dot) = path[slash..].rfind('.') {
                let extension = path[slash + dot + 1..].to_string();
                out.push(("path", Value::String(path.clone())));
                out.push(("extension", Value::String(extension)));
            } else {
                out.push(("path", Value::String(path)));
            }
        } else {
            out.push(("path", Value::String(path)));
        }
    }
    if let Some(port) = p.port {
        out.push(("port", Value::Int(port)));
    }
    if let Some(query) = p.query {
        out.push(("query", Value::String(query)));
    }
    out.push(("scheme", text_or_null(p.scheme)));
    if let Some(user_info) = p.user_info {
        let split = user_info.split_once(':').map(|(u, pw)| (u.to_string(), pw.to_string()));
        out.push(("user_info", Value::String(user_info)));
        if let Some((username, password)) = split {
            out.push(("username", Value::String(username)));
            out.push(("password", Value::String(password)));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    fn parts(s: &str) -> Map {
        java_hash_order(uri_parts(s).unwrap())
    }

    /// The parts as sorted `key=json` pairs, to compare without order.
    fn sorted(s: &str) -> Vec<std::string::String> {
        let mut v: Vec<_> = parts(s).iter().map(|(k, v)| format!("{k}={}", v.to_json())).collect();
        v.sort();
        v
    }

    fn want(pairs: &[(&str, &str)]) -> Vec<std::string::String> {
        let mut v: Vec<_> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        v.sort();
        v
    }

    #[test]
    fn elasticsearch_unit_test_cases() {
        // UriPartsProcessorTests.testUriParts and testUrlWithCharactersNotToleratedByUri.
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("http://www.google.com", &[("scheme", r#""http""#), ("domain", r#""www.google.com""#), ("path", r#""""#)]),
            ("http://www.google.com:88", &[("scheme", r#""http""#), ("domain", r#""www.google.com""#), ("path", r#""""#), ("port", "88")]),
            (
                "http://www.google.com:88/google.png",
                &[("scheme", r#""http""#), ("domain", r#""www.google.com""#), ("extension", r#""png""#), ("path", r#""/google.png""#), ("port", "88")],
            ),
            (
                "https://www.google.com:88/foo#bar",
                &[("scheme", r#""https""#), ("domain", r#""www.google.com""#), ("fragment", r#""bar""#), ("path", r#""/foo""#), ("port", "88")],
            ),
            (
                "https://www.google.com:88/foo?key=val",
                &[("scheme", r#""https""#), ("domain", r#""www.google.com""#), ("path", r#""/foo""#), ("query", r#""key=val""#), ("port", "88")],
            ),
            (
                "https://user:@www.google.com:88/foo",
                &[
                    ("scheme", r#""https""#), ("domain", r#""www.google.com""#), ("path", r#""/foo""#), ("port", "88"),
                    ("user_info", r#""user:""#), ("username", r#""user""#), ("password", r#""""#),
                ],
            ),
            (
                "ftp://ftp.is.co.za/rfc/rfc1808.txt",
                &[("scheme", r#""ftp""#), ("path", r#""/rfc/rfc1808.txt""#), ("extension", r#""txt""#), ("domain", r#""ftp.is.co.za""#)],
            ),
            ("telnet://192.0.2.16:80/", &[("scheme", r#""telnet""#), ("path", r#""/""#), ("port", "80"), ("domain", r#""192.0.2.16""#)]),
            (
                "ldap://[2001:db8::7]/c=GB?objectClass?one",
                &[("scheme", r#""ldap""#), ("path", r#""/c=GB""#), ("query", r#""objectClass?one""#), ("domain", r#""[2001:db8::7]""#)],
            ),
            (
                "http://www.google.com/path with spaces",
                &[("scheme", r#""http""#), ("domain", r#""www.google.com""#), ("path", r#""/path with spaces""#)],
            ),
            (
                "https://user:pw@testing.google.com:8080/foo with space/bar?foo1=bar1&foo2=bar2#anchorVal",
                &[
                    ("scheme", r#""https""#), ("domain", r#""testing.google.com""#), ("fragment", r#""anchorVal""#),
                    ("path", r#""/foo with space/bar""#), ("port", "8080"), ("username", r#""user""#), ("password", r#""pw""#),
                    ("user_info", r#""user:pw""#), ("query", r#""foo1=bar1&foo2=bar2""#),
                ],
            ),
        ];
        for (uri, expected) in cases {
            assert_eq!(sorted(uri), want(expected), "{uri}");
        }
        // UriPartsProcessorTests.testInvalidUri
        assert_eq!(uri_parts("not:\\/_a_valid_uri").unwrap_err().reason, "unable to parse URI [not:\\/_a_valid_uri]");
    }

    #[test]
    fn extension_comes_from_the_last_segment() {
        assert_eq!(parts("http://a.b/c.d/e")["path"], Value::from("/c.d/e"));
        assert!(!parts("http://a.b/c.d/e").contains_key("extension"));
        assert_eq!(parts("http://a.b/x.tar.gz")["extension"], Value::from("gz"));
        assert_eq!(parts("http://a.b/x.")["extension"], Value::from(""));
        assert!(!parts("relative.txt").contains_key("extension"), "no slash, no extension");
    }

    #[test]
    fn user_info_without_password() {
        let m = parts("ftp://anonymous@ftp.example.org/");
        assert_eq!(m["user_info"], Value::from("anonymous"));
        assert!(!m.contains_key("username"));
        let m = parts("ftp://u:@h/");
        assert_eq!(m["password"], Value::from(""));
    }

    #[test]
    fn relative_references_have_null_scheme_and_domain() {
        let m = parts("/a/b.html?x=1");
        assert_eq!(m["scheme"], Value::Null);
        assert_eq!(m["domain"], Value::Null);
        assert_eq!(m["query"], Value::from("x=1"));
    }
}

//! `fingerprint`: a hash of chosen fields' values, base64-encoded.
//!
//! The bytes hashed are exactly Elasticsearch's, so fingerprints used as
//! `_id`s agree: the salt, then for every leaf value (fields in sorted order,
//! lists in order, map entries sorted by key) a zero byte and the value's
//! bytes; a map key is written the same way before its value. Numbers are
//! little-endian in their Java width, `true`/`false` are the bytes 1 and 2,
//! and `null` is nothing. Field names themselves are not hashed.

use super::{Example, Flow, OptionKind, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;
use base64::Engine as _;
use std::cmp::Ordering;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "fingerprint",
    description: "Computes a hash of the document's content.",
    options: &[
        OptionSpec::required("fields", OptionKind::StringList, "Array of fields to include in the fingerprint."),
        OptionSpec::optional("target_field", OptionKind::String, "Output field for the fingerprint.")
            .default("fingerprint"),
        OptionSpec::optional("salt", OptionKind::String, "Salt value for the hash function.").default(""),
        OptionSpec::optional(
            "method",
            OptionKind::String,
            "The hash method: MD5, SHA-1, SHA-256, SHA-512 or MurmurHash3.",
        )
        .default("SHA-1"),
        OptionSpec::optional("ignore_missing", OptionKind::Bool, "Skip missing fields instead of failing.")
            .default("false"),
    ],
    examples: &[
        Example {
            title: "SHA-1 of two fields (Elasticsearch's own test vector)",
            config: r#"{"fields": ["foo", "bar"]}"#,
            input: r#"{"foo": "fooValue", "bar": "barValue"}"#,
            output: Ok(r#"{"foo": "fooValue", "bar": "barValue", "fingerprint": "IgxzmZVknx4+Og/eUpvIlqH9PdI="}"#),
        },
        Example {
            title: "MurmurHash3 into another field",
            config: r#"{"fields": ["foo", "bar"], "method": "MurmurHash3", "target_field": "event.hash"}"#,
            input: r#"{"foo": "foo", "bar": "bar"}"#,
            output: Ok(r#"{"foo": "foo", "bar": "bar", "event": {"hash": "yjfaOoy2UQ3EHZRAzFK9sw=="}}"#),
        },
        Example {
            title: "with a salt",
            config: r#"{"fields": ["foo"], "salt": "salt"}"#,
            input: r#"{"foo": "foo"}"#,
            output: Ok(r#"{"foo": "foo", "fingerprint": "rWTTCYvRPQAzKXydmKwyC+//dmM="}"#),
        },
        Example {
            title: "a missing field fails",
            config: r#"{"fields": ["foo", "baz"]}"#,
            input: r#"{"foo": "foo"}"#,
            output: Err("missing field [baz] when calculating fingerprint"),
        },
    ],
    build: Some(build),
};

const METHODS: &[&str] = &["MD5", "SHA-1", "SHA-256", "SHA-512", "MurmurHash3"];

#[derive(Debug, Clone, Copy)]
enum Method {
    Md5,
    Sha1,
    Sha256,
    Sha512,
    Murmur3,
}

#[derive(Debug)]
struct Fingerprint {
    /// Sorted as Java sorts strings (by UTF-16 code unit).
    fields: Vec<(std::string::String, FieldPath)>,
    target_field: FieldPath,
    salt: Vec<u8>,
    method: Method,
    ignore_missing: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let fields = o.opt_string_list("fields")?.ok_or_else(|| o.error("fields", "required property is missing"))?;
    if fields.is_empty() {
        return Err(o.error("fields", "must specify at least one field"));
    }
    let target_field = o.opt_string("target_field")?.unwrap_or_else(|| "fingerprint".into());
    let salt = o.opt_string("salt")?.unwrap_or_default();
    let method_name = o.opt_string("method")?.unwrap_or_else(|| "SHA-1".into());
    let method = match method_name.as_str() {
        "MD5" => Method::Md5,
        "SHA-1" => Method::Sha1,
        "SHA-256" => Method::Sha256,
        "SHA-512" => Method::Sha512,
        "MurmurHash3" => Method::Murmur3,
        _ => {
            return Err(o.error(
                "method",
                &format!("[{method_name}] must be one of the supported hash methods [{}]", METHODS.join(",")),
            ))
        }
    };
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let mut fields = fields
        .into_iter()
        .map(|f| FieldPath::parse(&f).map(|p| (f, p)).map_err(|e| o.error("fields", &e)))
        .collect::<Result<Vec<_>, _>>()?;
    fields.sort_by(|a, b| java_cmp(&a.0, &b.0));
    let target_field = FieldPath::parse(&target_field).map_err(|e| o.error("target_field", &e))?;
    // Only a salt with non-whitespace text counts (`Strings.hasText`).
    let salt = if salt.chars().any(|c| !java_is_whitespace(c)) { salt.into_bytes() } else { Vec::new() };
    Ok(Box::new(Fingerprint { fields, target_field, salt, method, ignore_missing }))
}

/// `Character.isWhitespace`: Unicode spaces except the no-break ones, and
/// the ASCII controls tab to carriage return and the four separators.
fn java_is_whitespace(c: char) -> bool {
    match c {
        '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{85}' => false,
        '\u{1c}'..='\u{1f}' => true,
        c => c.is_whitespace(),
    }
}

/// `String.compareTo`: UTF-16 code unit order.
fn java_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

impl Processor for Fingerprint {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        // Room for a few short fields, so the buffer rarely grows.
        let mut bytes = Vec::with_capacity(self.salt.len() + 256);
        bytes.extend_from_slice(&self.salt);
        let mut any = false;
        // Elasticsearch gathers every field before hashing any, so a
        // missing field is reported before a value it cannot hash.
        let mut unhashable = None;
        for (name, path) in &self.fields {
            match doc.get(path) {
                Ok(v) if !v.is_null() => {
                    any = true;
                    if unhashable.is_none() {
                        unhashable = feed(v, &mut bytes).err();
                    }
                }
                _ if self.ignore_missing => continue,
                _ => {
                    return Err(EsError::illegal_argument(format!(
                        "missing field [{name}] when calculating fingerprint"
                    )))
                }
            }
        }
        if let Some(class) = unhashable {
            return Err(EsError::illegal_argument(format!("cannot convert object of type [{class}] to bytes")));
        }
        if any {
            let digest = hash(self.method, &bytes);
            let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
            doc.set(&self.target_field, Value::String(encoded)).map_err(EsError::illegal_argument)?;
        }
        Ok(Flow::Continue)
    }
}

/// Appends a value's bytes in Elasticsearch's traversal order; the Java
/// class of the first value `FingerprintProcessor.toBytes` has no bytes for
/// (a `BigInteger`) fails it.
fn feed(value: &Value, out: &mut Vec<u8>) -> Result<(), &'static str> {
    match value {
        Value::List(items) => items.iter().try_for_each(|v| feed(v, out)),
        Value::Map(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| java_cmp(a.0, b.0));
            for (k, v) in entries {
                out.push(0);
                out.extend_from_slice(k.as_bytes());
                feed(v, out)?;
            }
            Ok(())
        }
        Value::BigInteger(_) => Err(value.java_class()),
        leaf => {
            out.push(0);
            match leaf {
                Value::String(s) => out.extend_from_slice(s.as_bytes()),
                Value::Int(i) => out.extend_from_slice(&i.to_le_bytes()),
                Value::Long(l) => out.extend_from_slice(&l.to_le_bytes()),
                Value::Float(f) => out.extend_from_slice(&f.to_le_bytes()),
                Value::Double(d) => out.extend_from_slice(&d.to_le_bytes()),
                Value::Bool(true) => out.push(1),
                Value::Bool(false) => out.push(2),
                _ => {}
            }
            Ok(())
        }
    }
}

fn hash(method: Method, bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    match method {
        Method::Md5 => md5::Md5::digest(bytes).to_vec(),
        Method::Sha1 => sha1::Sha1::digest(bytes).to_vec(),
        Method::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
        Method::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
        Method::Murmur3 => {
            // Elasticsearch's Murmur3Hasher: x64 128-bit, seed 0, h1 then h2, big-endian.
            let h = murmur3::murmur3_x64_128(&mut std::io::Cursor::new(bytes), 0).expect("reading from memory");
            let (h1, h2) = (h as u64, (h >> 64) as u64);
            [h1.to_be_bytes(), h2.to_be_bytes()].concat()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processors::examples::run_example;
    use crate::processors::lookup;

    fn fingerprint(config: &str, input: &str) -> Result<std::string::String, std::string::String> {
        let example = Example { title: "", config: Box::leak(config.into()), input: Box::leak(input.into()), output: Ok("") };
        run_example(lookup("fingerprint").unwrap(), &example)
    }

    fn value_of(out: &str) -> std::string::String {
        let Value::Map(m) = Value::from_json_str(out).unwrap() else { panic!() };
        m["fingerprint"].as_str().unwrap().to_string()
    }

    #[test]
    fn every_method_matches_elasticsearch() {
        // FingerprintProcessorTests.testMethod: foo=foo, bar=bar.
        let expected = [
            ("MD5", "b+3QyaPYdnUF1lb5IKE+1g=="),
            ("SHA-1", "SX/93t223OurJvgMUOCtSl9hcpg="),
            ("SHA-256", "zDQYTy34tBlmNedlDdn++N7NN+wBY15mCoPDINmUxXc="),
            (
                "SHA-512",
                "xNIpYyJzRmg5R0T44ZORC2tgh8N4tVtTFzD5AdBqxmdOuRUjibQQ64lgefkbuZFl8Hv9ze9U6PAmrlgJPcRPGA==",
            ),
            ("MurmurHash3", "yjfaOoy2UQ3EHZRAzFK9sw=="),
        ];
        for (method, want) in expected {
            let out = fingerprint(&format!(r#"{{"fields": ["foo", "bar"], "method": "{method}"}}"#), r#"{"foo": "foo", "bar": "bar"}"#);
            assert_eq!(value_of(&out.unwrap()), want, "{method}");
        }
    }

    #[test]
    fn ignore_missing_vectors() {
        // FingerprintProcessorTests.testIgnoreMissing.
        let cfg = r#"{"fields": ["foo", "bar", "baz"], "ignore_missing": true}"#;
        assert_eq!(value_of(&fingerprint(cfg, r#"{"foo": "foo"}"#).unwrap()), "WoyqQDn9vALAGmScjA9Z2yg7sos=");
        assert_eq!(value_of(&fingerprint(cfg, r#"{"foo": "foo", "bar": "foo"}"#).unwrap()), "vjq2RyU5UA8vzeM5gIbfrOGir7w=");
        assert_eq!(
            value_of(&fingerprint(cfg, r#"{"foo": "foo", "bar": "foo", "baz": "foo"}"#).unwrap()),
            "2Ozd89kaee2AnbrjU8zB6QGn9Wo="
        );
        // Nothing present: no fingerprint at all.
        assert_eq!(fingerprint(cfg, r#"{"x": 1}"#).unwrap(), r#"{"x":1}"#);
        // A null value counts as missing.
        let err = fingerprint(r#"{"fields": ["foo"]}"#, r#"{"foo": null}"#).unwrap_err();
        assert_eq!(err, "missing field [foo] when calculating fingerprint");
    }

    #[test]
    fn bytes_follow_the_traversal_order() {
        let mut out = Vec::new();
        let v = Value::from_json_str(r#"{"b": [1, 2147483648, 1.5, true, null], "a": {"z": false, "y": "s"}}"#).unwrap();
        feed(&v, &mut out).unwrap();
        let mut want = vec![0, b'a', 0, b'y', 0, b's', 0, b'z', 0, 2, 0, b'b', 0, 1, 0, 0, 0, 0];
        want.extend_from_slice(&2147483648i64.to_le_bytes());
        want.push(0);
        want.extend_from_slice(&1.5f64.to_le_bytes());
        want.extend_from_slice(&[0, 1, 0]);
        assert_eq!(out, want);
    }

    /// `FingerprintProcessor.toBytes` lists no `BigInteger`: an integer
    /// beyond a `long`, even deep in a list or map, fails the processor
    /// with its exception, after any missing field is reported.
    #[test]
    fn a_big_integer_has_no_bytes() {
        for input in [r#"{"a": 12345678901234567890}"#, r#"{"a": {"b": [1, -99999999999999999999]}}"#] {
            let err = fingerprint(r#"{"fields": ["a"]}"#, input).unwrap_err();
            assert_eq!(err, "cannot convert object of type [java.math.BigInteger] to bytes", "{input}");
        }
        let err = fingerprint(r#"{"fields": ["a", "z"]}"#, r#"{"a": 12345678901234567890}"#).unwrap_err();
        assert_eq!(err, "missing field [z] when calculating fingerprint");
        assert!(fingerprint(r#"{"fields": ["a"]}"#, r#"{"a": 9223372036854775807}"#).is_ok());
    }

    #[test]
    fn murmur3_streams_like_one_buffer() {
        // Longer than one 16-byte block, so the tail and body both count.
        let out = fingerprint(
            r#"{"fields": ["m"], "method": "MurmurHash3"}"#,
            r#"{"m": "a fairly long value that spans several murmur blocks"}"#,
        );
        assert_eq!(value_of(&out.unwrap()).len(), 24);
    }

    #[test]
    fn configuration_errors() {
        let err = fingerprint(r#"{"fields": ["a"], "method": "sha-1"}"#, "{}").unwrap_err();
        assert_eq!(err, "load: [method] [sha-1] must be one of the supported hash methods [MD5,SHA-1,SHA-256,SHA-512,MurmurHash3]");
        let err = fingerprint(r#"{"fields": []}"#, "{}").unwrap_err();
        assert_eq!(err, "load: [fields] must specify at least one field");
        let err = fingerprint(r#"{"target_field": "x"}"#, "{}").unwrap_err();
        assert_eq!(err, "load: [fields] required property is missing");
    }

    #[test]
    fn blank_salts_are_ignored_but_no_break_spaces_count() {
        let unsalted = value_of(&fingerprint(r#"{"fields": ["foo"]}"#, r#"{"foo": "foo"}"#).unwrap());
        let blank = value_of(&fingerprint(r#"{"fields": ["foo"], "salt": " \t"}"#, r#"{"foo": "foo"}"#).unwrap());
        let nbsp = value_of(&fingerprint(r#"{"fields": ["foo"], "salt": "\u00a0"}"#, r#"{"foo": "foo"}"#).unwrap());
        assert_eq!(unsalted, blank);
        assert_ne!(unsalted, nbsp);
    }

    #[test]
    fn java_string_order() {
        // U+FF5E sorts after U+1F600 in UTF-16 (surrogates are 0xD83D...), unlike in UTF-8.
        assert_eq!(java_cmp("\u{ff5e}", "\u{1f600}"), Ordering::Greater);
        assert_eq!(java_cmp("a", "b"), Ordering::Less);
    }
}

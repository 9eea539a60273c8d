//! The checks Elasticsearch makes on every write of a metadata key of
//! `ctx` (`_index`, `_version`, ...), by processors and by scripts alike.
//!
//! In Elasticsearch 8 the document map is an `IngestCtxMap`
//! (server/src/main/java/org/elasticsearch/ingest/IngestCtxMap.java), a
//! `CtxMap` (server/src/main/java/org/elasticsearch/script/CtxMap.java)
//! whose `put` and `remove` send a metadata key to its `Metadata`
//! (server/src/main/java/org/elasticsearch/script/Metadata.java), which
//! checks the key's `FieldProperty` before it changes the map:
//!
//! - `put(key, value)` (`MapOperation.UPDATE`): a key that is not writable
//!   fails with `<key> cannot be updated`; then a null value of a key that
//!   is not nullable fails with `<key> cannot be null`; a value whose class
//!   is not assignable to the key's type fails with
//!   `<key> [<value>] is wrong type, expected assignable to [<type>], not [<class>]`;
//!   then the key's own validation runs.
//! - `remove(key)` (`MapOperation.REMOVE`): a key that is not both writable
//!   and nullable fails with `<key> cannot be removed`.
//!
//! All are `IllegalArgumentException`s. The properties are
//! `IngestDocMetadata.PROPERTIES`
//! (server/src/main/java/org/elasticsearch/ingest/IngestDocMetadata.java):
//!
//! | key | type | nullable | writable | validation |
//! |---|---|---|---|---|
//! | `_index`, `_id`, `_routing` | `java.lang.String` | yes | yes | |
//! | `_version_type` | `java.lang.String` | yes | yes | `VersionType.fromString` |
//! | `_version` | `java.lang.Number` | no | yes | long-valued |
//! | `_if_seq_no`, `_if_primary_term` | `java.lang.Number` | yes | yes | long-valued |
//! | `_dynamic_templates` | `java.util.Map` | yes | yes | |
//! | `_type` | `java.lang.String` | yes | no | |
//!
//! Long-valued (`FieldProperty.LONGABLE_NUMBER`): `v.doubleValue() ==
//! v.longValue()`, else `<key> may only be set to an int or a long but was
//! [<value>] with type [<class>]`. `_version_type`
//! (`IngestDocMetadata.versionTypeValidator`): one of `internal`,
//! `external`, `external_gt`, `external_gte`, else `<key> must be a null or
//! one of [internal, external, external_gte] but was [<value>] with type
//! [java.lang.String]`.
//!
//! `IngestDocument` (server/src/main/java/org/elasticsearch/ingest/IngestDocument.java)
//! reaches these through the ctx map: `setFieldValue` puts the leaf (and,
//! for a missing first container, a new `HashMap`); `appendFieldValue`
//! puts the new list unless it changed a list in place or added nothing;
//! `removeField` removes a key only when `containsKey` finds it (else
//! `field [..] not present`). A script's `ctx.x = v`, `ctx.put`,
//! `ctx.remove` are the same `CtxMap` calls.

use crate::value::Value;

/// A metadata key's `FieldProperty`.
struct Property {
    /// The Java class a value must be assignable to.
    type_name: &'static str,
    nullable: bool,
    writable: bool,
    validation: Validation,
}

#[derive(Clone, Copy, PartialEq)]
enum Validation {
    None,
    LongValued,
    VersionType,
}

const WRITABLE_NULLABLE_STRING: Property =
    Property { type_name: "java.lang.String", nullable: true, writable: true, validation: Validation::None };
const WRITABLE_NULLABLE_LONG: Property =
    Property { type_name: "java.lang.Number", nullable: true, writable: true, validation: Validation::LongValued };

/// The property of `key`, if it is a metadata key.
fn property(key: &str) -> Option<&'static Property> {
    Some(match key {
        "_index" | "_id" | "_routing" => &WRITABLE_NULLABLE_STRING,
        "_version_type" => &Property { validation: Validation::VersionType, ..WRITABLE_NULLABLE_STRING },
        "_version" => &Property { nullable: false, ..WRITABLE_NULLABLE_LONG },
        "_if_seq_no" | "_if_primary_term" => &WRITABLE_NULLABLE_LONG,
        "_dynamic_templates" => {
            &Property { type_name: "java.util.Map", nullable: true, writable: true, validation: Validation::None }
        }
        // Deprecated, not in `_source` nor in the document's metadata, but
        // still a property: Elasticsearch refuses to write it.
        "_type" => &Property { writable: false, ..WRITABLE_NULLABLE_STRING },
        _ => return None,
    })
}

/// Whether a write of `key` is checked: a metadata key, or `_type`.
/// Answered in line by the key's first two bytes and length for almost
/// every other key (most fields lack the `_`; scratch fields such as
/// `_tmp` or `_conf` fail on the length).
#[inline]
pub fn is_checked_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    let candidate = bytes.len() >= 3
        && bytes[0] == b'_'
        && match bytes[1] {
            b'i' => matches!(bytes.len(), 3 | 6 | 10 | 16),
            b'r' => bytes.len() == 8,
            b'v' => matches!(bytes.len(), 8 | 13),
            b'd' => bytes.len() == 18,
            b't' => bytes.len() == 5,
            _ => false,
        };
    candidate && property(key).is_some()
}

/// The order the metadata keys of `ctx` are iterated in, after its source
/// entries. `CtxMap.entrySet()` iterates a copy of the metadata's keys,
/// `new HashSet<>(metadata.keySet())` (server/src/main/java/org/elasticsearch/script/CtxMap.java),
/// whose table has 16 buckets for up to 12 keys (`HashSet(Collection)`:
/// at least 16); each of these keys' `hashCode`s, spread as `HashMap`
/// spreads them, falls in a bucket of its own (0, 2, 3, 4, 8, 11, 13,
/// 15), so whichever of them are present come in this order. `_type` is
/// never present: it cannot be written.
pub const ITERATION_ORDER: [&str; 8] =
    ["_routing", "_dynamic_templates", "_version_type", "_index", "_if_primary_term", "_id", "_version", "_if_seq_no"];

/// The place of `key` in [`ITERATION_ORDER`], if it is a metadata key.
#[inline]
pub fn iteration_rank(key: &str) -> Option<usize> {
    if !is_checked_key(key) {
        return None;
    }
    ITERATION_ORDER.iter().position(|k| *k == key)
}

/// A value as `FieldProperty.check` sees it: its class and `toString`,
/// and for a number whose `longValue()` may not be its value (a `Float`,
/// a `Double`, a `BigInteger`) its `doubleValue()` and `longValue()`.
pub struct JavaValue<'c> {
    /// `getClass().getName()`; `null` for null.
    pub class: &'c str,
    pub text: String,
    pub narrowed: Option<(f64, i64)>,
}

impl JavaValue<'static> {
    pub fn of(value: &Value) -> JavaValue<'static> {
        let narrowed = match value {
            Value::Float(f) => Some(narrowed_float(f64::from(*f))),
            Value::Double(d) => Some(narrowed_float(*d)),
            Value::BigInteger(n) => Some((n.double_value(), n.long_value())),
            _ => None,
        };
        JavaValue { class: value.java_class(), text: value.to_java_string(), narrowed }
    }
}

/// A `Float`'s or `Double`'s `doubleValue()` and `longValue()` (Java's
/// saturating cast, NaN to 0, as Rust's `as`).
pub fn narrowed_float(d: f64) -> (f64, i64) {
    (d, d as i64)
}

/// `Metadata.put`'s check of `value` for `key`; `Ok` for any other key.
pub fn check_put(key: &str, value: &Value) -> Result<(), String> {
    match property(key) {
        Some(property) => check_property_put(key, property, &JavaValue::of(value)),
        None => Ok(()),
    }
}

/// [`check_put`] of a value seen through its Java class (a script's
/// `Character`, `Short`, `TreeMap`, ...).
pub fn check_java_put(key: &str, value: &JavaValue<'_>) -> Result<(), String> {
    match property(key) {
        Some(property) => check_property_put(key, property, value),
        None => Ok(()),
    }
}

fn check_property_put(key: &str, property: &Property, value: &JavaValue<'_>) -> Result<(), String> {
    if !property.writable {
        return Err(format!("{key} cannot be updated"));
    }
    if value.class == "null" {
        return match property.nullable {
            true => Ok(()),
            false => Err(format!("{key} cannot be null")),
        };
    }
    let assignable = match property.type_name {
        "java.lang.String" => value.class == "java.lang.String",
        "java.lang.Number" => {
            value.class == "java.math.BigInteger"
                || value.class.strip_prefix("java.lang.").is_some_and(|c| {
                    matches!(c, "Byte" | "Short" | "Integer" | "Long" | "Float" | "Double")
                })
        }
        _ => matches!(value.class, "java.util.HashMap" | "java.util.LinkedHashMap" | "java.util.TreeMap"),
    };
    if !assignable {
        return Err(format!(
            "{key} [{}] is wrong type, expected assignable to [{}], not [{}]",
            value.text, property.type_name, value.class
        ));
    }
    match property.validation {
        Validation::None => Ok(()),
        Validation::LongValued => check_long_valued(key, value),
        Validation::VersionType => check_version_type(key, value),
    }
}

/// `Metadata.remove`'s check for `key`; `Ok` for any other key.
pub fn check_remove(key: &str) -> Result<(), String> {
    match property(key) {
        Some(p) if !(p.writable && p.nullable) => Err(format!("{key} cannot be removed")),
        _ => Ok(()),
    }
}

/// `FieldProperty.LONGABLE_NUMBER`: the number's `doubleValue()` equals
/// its `longValue()` compared as a double. Every int and long passes: its
/// long, widened, is its own double; a `BigInteger` beyond a long never
/// does (its `longValue()` keeps only the low 64 bits).
fn check_long_valued(key: &str, value: &JavaValue<'_>) -> Result<(), String> {
    match value.narrowed {
        Some((d, l)) if d != l as f64 => Err(format!(
            "{key} may only be set to an int or a long but was [{}] with type [{}]",
            value.text, value.class
        )),
        _ => Ok(()),
    }
}

/// `IngestDocMetadata.versionTypeValidator`: `VersionType.fromString`
/// accepts `external_gt` too, which `VersionType.values()` does not list.
fn check_version_type(key: &str, value: &JavaValue<'_>) -> Result<(), String> {
    match value.text.as_str() {
        "internal" | "external" | "external_gt" | "external_gte" => Ok(()),
        other => Err(format!(
            "{key} must be a null or one of [internal, external, external_gte] but was [{other}] with type [{}]",
            value.class
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::BuildContext;
    use crate::simulate::{execute, parse_request};

    fn json(text: &str) -> Value {
        Value::from_json_str(text).unwrap()
    }

    /// The in-line test by first bytes and length lets through every key
    /// that has a property, and keys that differ from one only slightly
    /// are not checked.
    #[test]
    fn the_key_prefilter_passes_every_property_key() {
        let keys = ["_index", "_id", "_routing", "_version_type", "_version", "_if_seq_no", "_if_primary_term", "_dynamic_templates", "_type"];
        for key in keys {
            assert!(property(key).is_some(), "{key}");
            assert!(is_checked_key(key), "{key}");
        }
        for key in ["_indexx", "_Index", "index", "_ids", "_tmp", "_conf", "_versions", "_"] {
            assert!(!is_checked_key(key), "{key}");
        }
    }

    /// `ITERATION_ORDER` is the bucket order of the metadata keys in a
    /// 16-bucket `HashSet`: `String.hashCode`, spread as `HashMap.hash`
    /// spreads it, one bucket per key, ascending.
    #[test]
    fn metadata_iterates_in_bucket_order() {
        let buckets: Vec<u32> = ITERATION_ORDER
            .iter()
            .map(|k| {
                let h = crate::value::map::digest(k);
                (h ^ (h >> 16)) & 15
            })
            .collect();
        assert_eq!(buckets, [0, 2, 3, 4, 8, 11, 13, 15]);
        let mut keys: Vec<&str> = ITERATION_ORDER.to_vec();
        keys.sort_unstable();
        let mut metadata_keys = crate::document::METADATA_KEYS.to_vec();
        metadata_keys.sort_unstable();
        assert_eq!(keys, metadata_keys);
        for (rank, key) in ITERATION_ORDER.iter().enumerate() {
            assert_eq!(iteration_rank(key), Some(rank));
        }
        for key in ["_type", "_source", "a", "_indexx", ""] {
            assert_eq!(iteration_rank(key), None, "{key}");
        }
    }

    /// The messages of IngestCtxMapTests.testValidators and testRemove.
    #[test]
    fn checks_give_elasticsearch_messages() {
        let wrong = |key: &str, value: &str| check_put(key, &json(value)).unwrap_err();
        assert_eq!(wrong("_index", "555"), "_index [555] is wrong type, expected assignable to [java.lang.String], not [java.lang.Integer]");
        assert_eq!(wrong("_id", "555"), "_id [555] is wrong type, expected assignable to [java.lang.String], not [java.lang.Integer]");
        assert_eq!(wrong("_routing", "555"), "_routing [555] is wrong type, expected assignable to [java.lang.String], not [java.lang.Integer]");
        assert_eq!(
            wrong("_version", r#""five-five-five""#),
            "_version [five-five-five] is wrong type, expected assignable to [java.lang.Number], not [java.lang.String]"
        );
        assert_eq!(
            wrong("_version_type", r#""vt""#),
            "_version_type must be a null or one of [internal, external, external_gte] but was [vt] with type [java.lang.String]"
        );
        assert_eq!(
            wrong("_version_type", r#""EXTERNAL""#),
            "_version_type must be a null or one of [internal, external, external_gte] but was [EXTERNAL] with type [java.lang.String]"
        );
        assert_eq!(
            wrong("_dynamic_templates", r#""5""#),
            "_dynamic_templates [5] is wrong type, expected assignable to [java.util.Map], not [java.lang.String]"
        );
        assert_eq!(wrong("_version", "1.5"), "_version may only be set to an int or a long but was [1.5] with type [java.lang.Double]");
        assert_eq!(
            wrong("_if_seq_no", "1e300"),
            "_if_seq_no may only be set to an int or a long but was [1.0E300] with type [java.lang.Double]"
        );
        assert_eq!(
            wrong("_if_primary_term", "[1]"),
            "_if_primary_term [[1]] is wrong type, expected assignable to [java.lang.Number], not [java.util.ArrayList]"
        );
        assert_eq!(wrong("_id", r#"{"a":1}"#), "_id [{a=1}] is wrong type, expected assignable to [java.lang.String], not [java.util.HashMap]");
        assert_eq!(wrong("_index", "true"), "_index [true] is wrong type, expected assignable to [java.lang.String], not [java.lang.Boolean]");
        assert_eq!(wrong("_version", "null"), "_version cannot be null");
        assert_eq!(wrong("_type", r#""doc""#), "_type cannot be updated");
        assert_eq!(check_remove("_version").unwrap_err(), "_version cannot be removed");
        assert_eq!(check_remove("_type").unwrap_err(), "_type cannot be removed");
    }

    #[test]
    fn checks_accept_what_elasticsearch_accepts() {
        let accepted = [
            ("_index", r#""i""#),
            ("_id", r#""x""#),
            ("_routing", r#""r""#),
            ("_version", "5"),
            ("_version", "5000000000"),
            ("_version", "2.0"),
            ("_version", "-3"),
            ("_if_seq_no", "7"),
            ("_if_primary_term", "1.0"),
            ("_dynamic_templates", r#"{"a":"b"}"#),
        ];
        for (key, value) in accepted {
            assert_eq!(check_put(key, &json(value)), Ok(()), "{key} {value}");
        }
        for version_type in ["internal", "external", "external_gt", "external_gte"] {
            assert_eq!(check_put("_version_type", &Value::from(version_type)), Ok(()));
        }
        for key in ["_index", "_id", "_routing", "_version_type", "_if_seq_no", "_if_primary_term", "_dynamic_templates"] {
            assert_eq!(check_put(key, &Value::Null), Ok(()), "{key} is nullable");
            assert_eq!(check_remove(key), Ok(()), "{key} is removable");
        }
        assert_eq!(check_put("_version", &Value::Float(3.0)), Ok(()));
        assert!(check_put("_version", &Value::Float(3.5)).unwrap_err().ends_with("but was [3.5] with type [java.lang.Float]"));
        assert!(check_put("_version", &Value::Double(f64::NAN)).is_err());
        // Every int and long is long-valued; a double is when it rounds to one.
        assert_eq!(check_put("_version", &Value::Long(i64::MAX)), Ok(()));
        assert_eq!(check_put("_version", &Value::Double(9.223372036854776E18)), Ok(()));
        // A BigInteger is a Number, but its longValue() is not its value:
        // 2^63 narrows to Long.MIN_VALUE.
        for big in ["9223372036854775808", "-12345678901234567890"] {
            let value = Value::integer_of_text(big).unwrap();
            assert_eq!(
                check_put("_if_seq_no", &value).unwrap_err(),
                format!("_if_seq_no may only be set to an int or a long but was [{big}] with type [java.math.BigInteger]")
            );
        }
        for key in ["_source", "_ingest", "_versions", "version", "index", "_Index", "_"] {
            assert_eq!(check_put(key, &json(r#""x""#)), Ok(()), "{key} is an ordinary field");
            assert_eq!(check_remove(key), Ok(()));
        }
    }

    /// The first document's result of `_simulate` with these processors.
    fn simulate(processors: &str, doc: &str) -> String {
        let body = json(&format!(r#"{{"pipeline":{{"processors":{processors}}},"docs":[{doc}]}}"#));
        let request = parse_request(&body, None, false, &BuildContext::default()).unwrap();
        let response = execute(&request);
        response.as_map().unwrap()["docs"].as_list().unwrap()[0].to_json()
    }

    const DOC: &str = r#"{"_source":{"a":"x","n":1},"_routing":"r"}"#;

    fn failure(processors: &str) -> String {
        let out = simulate(processors, DOC);
        let reason = out.split(r#""reason":""#).nth(1).unwrap_or_else(|| panic!("no failure: {out}"));
        reason[..reason.find('"').unwrap()].to_string()
    }

    #[test]
    fn processors_writing_metadata_fail_as_in_elasticsearch() {
        assert_eq!(
            failure(r#"[{"set":{"field":"_version","value":"abc"}}]"#),
            "_version [abc] is wrong type, expected assignable to [java.lang.Number], not [java.lang.String]"
        );
        assert_eq!(
            simulate(r#"[{"set":{"field":"_version","value":"abc"}}]"#, DOC),
            concat!(
                r#"{"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"_version [abc] is wrong type, "#,
                r#"expected assignable to [java.lang.Number], not [java.lang.String]"}],"type":"illegal_argument_exception","#,
                r#""reason":"_version [abc] is wrong type, expected assignable to [java.lang.Number], not [java.lang.String]"}}"#
            )
        );
        assert_eq!(failure(r#"[{"set":{"field":"_version","value":null}}]"#), "_version cannot be null");
        assert_eq!(failure(r#"[{"set":{"field":"_type","value":"doc"}}]"#), "_type cannot be updated");
        assert_eq!(
            failure(r#"[{"set":{"field":"_source._index","value":7}}]"#),
            "_index [7] is wrong type, expected assignable to [java.lang.String], not [java.lang.Integer]"
        );
        assert_eq!(failure(r#"[{"remove":{"field":"_version"}}]"#), "_version cannot be removed");
        assert_eq!(failure(r#"[{"remove":{"field":"_if_seq_no"}}]"#), "field [_if_seq_no] not present as part of path [_if_seq_no]");
        assert_eq!(
            failure(r#"[{"append":{"field":"_id","value":"y"}}]"#),
            "_id [[_id, y]] is wrong type, expected assignable to [java.lang.String], not [java.util.ArrayList]"
        );
        assert_eq!(
            failure(r#"[{"append":{"field":"_if_seq_no","value":1}}]"#),
            "_if_seq_no [[1]] is wrong type, expected assignable to [java.lang.Number], not [java.util.ArrayList]"
        );
        assert_eq!(
            failure(r#"[{"set":{"field":"_if_seq_no.x","value":1}}]"#),
            "_if_seq_no [{}] is wrong type, expected assignable to [java.lang.Number], not [java.util.HashMap]"
        );
        assert_eq!(
            failure(r#"[{"set":{"field":"_routing.x","value":1}}]"#),
            "cannot set [x] with parent object of type [java.lang.String] as part of path [_routing.x]"
        );
        assert_eq!(failure(r#"[{"rename":{"field":"_version","target_field":"v"}}]"#), "_version cannot be removed");
        assert_eq!(
            failure(r#"[{"rename":{"field":"a","target_field":"_if_seq_no"}}]"#),
            "_if_seq_no [x] is wrong type, expected assignable to [java.lang.Number], not [java.lang.String]"
        );
        // The renamed field goes back where it was.
        assert!(simulate(r#"[{"rename":{"field":"a","target_field":"_if_seq_no","ignore_failure":true}}]"#, DOC)
            .contains(r#""_source":{"n":1,"a":"x"}"#));
        let json_doc = r#"{"_source":{"j":"{\"_version\":\"v\"}"}}"#;
        assert!(simulate(r#"[{"json":{"field":"j","add_to_root":true}}]"#, json_doc)
            .contains(r#""reason":"_version [v] is wrong type, expected assignable to [java.lang.Number], not [java.lang.String]""#));
        let json_doc = r#"{"_source":{"j":"{\"_index\":\"i\",\"b\":1}"}}"#;
        assert!(simulate(r#"[{"json":{"field":"j","add_to_root":true}}]"#, json_doc).contains(r#""_index":"i""#));
    }

    #[test]
    fn processors_write_valid_metadata() {
        let out = simulate(
            r#"[{"set":{"field":"_version","value":5}},{"set":{"field":"_index","value":"{{a}}"}},
                {"set":{"field":"_version_type","value":"external_gt"}},{"remove":{"field":"_routing"}},
                {"set":{"field":"_if_seq_no","value":null}},{"set":{"field":"_dynamic_templates.f","value":"t"}},
                {"append":{"field":"_id","value":"_id","allow_duplicates":false}},
                {"set":{"field":"_versions","value":"ordinary"}},{"remove":{"field":"n"}}]"#,
            DOC,
        );
        let out = out.split(r#","_ingest""#).next().unwrap();
        assert_eq!(
            out,
            concat!(
                r#"{"doc":{"_dynamic_templates":"{f=t}","_version_type":"external_gt","_id":"_id","_index":"x","#,
                r#""_version":"5","_source":{"a":"x","_versions":"ordinary"}"#
            ),
        );
    }

    fn script(source: &str) -> String {
        let processor = Value::Map([("source".to_string(), Value::from(source))].into_iter().collect());
        simulate(&format!(r#"[{{"script":{}}}]"#, processor.to_json()), DOC)
    }

    /// A script's write goes through the same checks, which throw at the
    /// write: the script's failure, caught by `try` like any exception.
    #[test]
    fn scripts_writing_metadata_fail_as_in_elasticsearch() {
        let out = script("ctx.a = 2; ctx._version = 'x'; ctx.b = 3");
        assert_eq!(
            out,
            concat!(
                r#"{"error":{"root_cause":[{"type":"script_exception","reason":"runtime error","#,
                r#""script_stack":["ctx._version = 'x'; ","   ^---- HERE"],"script":"ctx.a = 2; ctx._version = 'x'; ctx.b = 3","#,
                r#""lang":"painless","position":{"offset":14,"start":11,"end":31}}],"type":"script_exception","#,
                r#""reason":"runtime error","script_stack":["ctx._version = 'x'; ","   ^---- HERE"],"#,
                r#""script":"ctx.a = 2; ctx._version = 'x'; ctx.b = 3","lang":"painless","#,
                r#""position":{"offset":14,"start":11,"end":31},"caused_by":{"type":"illegal_argument_exception","#,
                r#""reason":"_version [x] is wrong type, expected assignable to [java.lang.Number], not [java.lang.String]"}}}"#
            )
        );
        let cause = |source: &str| {
            let out = script(source);
            let reason = out.split(r#""caused_by":{"type":"illegal_argument_exception","reason":""#).nth(1).unwrap_or_else(|| panic!("{out}"));
            reason[..reason.find('"').unwrap()].to_string()
        };
        assert_eq!(cause("ctx.remove('_version')"), "_version cannot be removed");
        assert_eq!(cause("ctx.remove('_type')"), "_type cannot be removed");
        assert_eq!(cause("ctx._version = null"), "_version cannot be null");
        assert_eq!(cause("ctx._type = 'doc'"), "_type cannot be updated");
        assert_eq!(cause("ctx['_routing'] = 5"), "_routing [5] is wrong type, expected assignable to [java.lang.String], not [java.lang.Integer]");
        assert_eq!(cause("ctx.put('_if_seq_no', 1.5)"), "_if_seq_no may only be set to an int or a long but was [1.5] with type [java.lang.Double]");
        assert_eq!(
            cause("ctx.putIfAbsent('_if_primary_term', 'p')"),
            "_if_primary_term [p] is wrong type, expected assignable to [java.lang.Number], not [java.lang.String]"
        );
        assert_eq!(
            cause("ctx.putAll(['_version_type': 'bad'])"),
            "_version_type must be a null or one of [internal, external, external_gte] but was [bad] with type [java.lang.String]"
        );
        assert_eq!(
            cause("ctx._id = 'ab'.charAt(0)"),
            "_id [a] is wrong type, expected assignable to [java.lang.String], not [java.lang.Character]"
        );
        // Routes checked when the script ends: the refused value never
        // reaches the document.
        assert_eq!(
            cause("ctx.compute('_dynamic_templates', (k, v) -> 'x')"),
            "_dynamic_templates [x] is wrong type, expected assignable to [java.util.Map], not [java.lang.String]"
        );
        let processor = r#"[{"script":{"source":"ctx.compute('_version', (k, v) -> 'x')","ignore_failure":true}}]"#;
        assert!(simulate(processor, DOC).contains(r#""_version":"-3","_source":{"a":"x","n":1}"#), "{}", simulate(processor, DOC));
        assert!(script("try { ctx.remove('_version') } catch (IllegalArgumentException e) { ctx.m = e.getMessage() }")
            .contains(r#""m":"_version cannot be removed""#));
    }

    /// A script sees `ctx` as Elasticsearch's `IngestCtxMap`: source
    /// entries, then the metadata (CtxMap.entrySet), a `Map` but not a `HashMap`.
    #[test]
    fn scripts_see_ctx_as_an_ingest_ctx_map() {
        let out = script("ctx.s = ctx.toString(); ctx.h = ctx instanceof HashMap");
        assert!(
            out.contains(r#""s":"{a=x, n=1, _routing=r, _index=_index, _id=_id, _version=-3}","h":false"#),
            "{out}"
        );
    }

    #[test]
    fn scripts_write_valid_metadata() {
        let out = script(
            "ctx._version = (short) 3; ctx._version = 7L; ctx._index = 'i'; ctx.put('_version_type', 'external'); ctx.remove('_routing'); \
             ctx._dynamic_templates = ['f': 't']; ctx._dynamic_templates.g = 1; ctx._if_seq_no = 2.0; ctx._foo = 'ordinary'",
        );
        let out = out.split(r#","_ingest""#).next().unwrap();
        assert_eq!(
            out,
            concat!(
                r#"{"doc":{"_dynamic_templates":"{f=t, g=1}","_version_type":"external","_id":"_id","_index":"i","#,
                r#""_version":"7","_if_seq_no":"2.0","_source":{"a":"x","n":1,"_foo":"ordinary"}"#
            )
        );
    }
}

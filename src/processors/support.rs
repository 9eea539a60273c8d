//! Field access as Elasticsearch's processors do it, shared by the processor files.

use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::value::Value;

/// Parses a configured or rendered field name; a bad path fails the document.
pub fn path(field: &str) -> Result<FieldPath, EsError> {
    FieldPath::parse(field).map_err(EsError::illegal_argument)
}

/// `getFieldValue(field, Object.class, ignoreMissing)`: with `ignore_missing`
/// an absent field is `None`; without it, absence is the path's error.
pub fn get_field<'d>(
    doc: &'d IngestDocument,
    field: &FieldPath,
    ignore_missing: bool,
) -> Result<Option<&'d Value>, EsError> {
    match doc.get(field) {
        Ok(v) => Ok(Some(v)),
        Err(_) if ignore_missing => Ok(None),
        Err(e) => Err(EsError::illegal_argument(e)),
    }
}

/// `setFieldValue` with its error as an `illegal_argument_exception`.
pub fn set_field(doc: &mut IngestDocument, field: &FieldPath, value: Value) -> Result<(), EsError> {
    doc.set(field, value).map_err(EsError::illegal_argument)
}

/// `getFieldValue(field, String.class)`'s cast failure.
pub fn cannot_cast(field: &str, value: &Value, to: &str) -> EsError {
    EsError::illegal_argument(format!(
        "field [{field}] of type [{}] cannot be cast to [{to}]",
        value.java_class()
    ))
}

#[cfg(test)]
mod robustness {
    //! Arbitrary text through every parser the core processors own: errors
    //! are fine, panics are not.
    use crate::document::IngestDocument;
    use crate::template::Template;
    use crate::value::{Map, Value};

    /// A small deterministic generator of awkward strings.
    fn strings(count: usize) -> Vec<String> {
        const PIECES: &[&str] = &[
            "{{",
            "}}",
            "{{{",
            "}}}",
            "#",
            "^",
            "/",
            "&",
            "!",
            ".",
            "a",
            "b.c",
            "%",
            "%4",
            "%zz",
            "%C3%A9",
            "+",
            "-",
            "0x",
            "1",
            "9",
            "e",
            "E",
            "kb",
            "b",
            " ",
            "\t",
            "\n",
            "<",
            ">",
            "</",
            "<p",
            "&amp;",
            "&#",
            ";",
            "\"",
            "'",
            "\\",
            "\\Q",
            "\\E",
            "\\p{",
            "}",
            "[",
            "]",
            "(",
            ")",
            "?",
            "*",
            "$",
            "$1",
            "${",
            "é",
            "日",
            "😀",
            "\u{0}",
            "toJson",
            "join",
            "url",
            "delimiter='",
            "NaN",
            "Infinity",
            "true",
            "null",
            ",",
            ":",
        ];
        let mut rng = crate::xorshift::XorShift(0x2545_f491_4f6c_dd1d);
        let mut next = move || rng.next();
        (0..count)
            .map(|_| {
                let len = (next() % 12) as usize;
                (0..len)
                    .map(|_| PIECES[(next() as usize) % PIECES.len()])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn parsers_never_panic() {
        let mut source = Map::default();
        source.insert("a".into(), Value::from("x"));
        source.insert(
            "l".into(),
            Value::List(vec![Value::Int(1), Value::Map(Map::default())]),
        );
        let doc = IngestDocument::new(source);
        for s in strings(4000) {
            if let Ok(t) = Template::compile(&s) {
                t.render(&doc);
            }
            let _ = super::super::java_regex::compile(&s).map(|r| {
                let _ = super::super::java_regex::replace_all(&r, "a.b 1 é", &s);
                let _ = super::super::java_regex::split(&r, "a,b,,c", true);
            });
            let _ = super::super::urldecode::decode(&s);
            let _ = super::super::html_strip::strip(&s);
            let _ = super::super::bytes::parse_byte_size(&s, "f");
            let _ = super::super::convert::parse_java_double(&s);
            let _ = super::super::convert::parse_java_integer(&s, 32);
            let _ = super::super::json::parse(&s, false, true);
            let _ = super::super::json::parse(&s, true, false);
        }
    }
}

//! Elasticsearch's `IngestDocument.getFieldValue(path, type, ignoreMissing)`
//! as processors call it: a missing field is an error unless ignored, a
//! null value reads as absent, and a value of the wrong type fails the cast.

use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::value::Value;

/// The value at `path`; `None` when it is null, or missing and `ignore_missing`.
pub fn get_value<'d>(doc: &'d IngestDocument, path: &FieldPath, ignore_missing: bool) -> Result<Option<&'d Value>, EsError> {
    match doc.get(path) {
        Ok(Value::Null) => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(_) if ignore_missing => Ok(None),
        Err(e) => Err(EsError::illegal_argument(e)),
    }
}

/// Like [`get_value`], but the value must be a string.
pub fn get_string<'d>(doc: &'d IngestDocument, path: &FieldPath, ignore_missing: bool) -> Result<Option<&'d str>, EsError> {
    match get_value(doc, path, ignore_missing)? {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(cast_error(path, other, "java.lang.String")),
    }
}

/// The string a parsing processor works on (grok, dissect, csv, ...): absent
/// only when `ignore_missing` lets a missing or null field pass; otherwise a
/// null fails as Elasticsearch's `field [x] is null, cannot process it.`
pub fn get_string_to_process<'d>(
    doc: &'d IngestDocument,
    path: &FieldPath,
    ignore_missing: bool,
) -> Result<Option<&'d str>, EsError> {
    match get_string(doc, path, ignore_missing)? {
        Some(s) => Ok(Some(s)),
        None if ignore_missing => Ok(None),
        None => Err(EsError::illegal_argument(format!("field [{}] is null, cannot process it.", path.as_str()))),
    }
}

/// `field [x] of type [java.lang.Integer] cannot be cast to [java.lang.String]`.
pub fn cast_error(path: &FieldPath, value: &Value, java_type: &str) -> EsError {
    EsError::illegal_argument(format!(
        "field [{}] of type [{}] cannot be cast to [{java_type}]",
        path.as_str(),
        value.java_class()
    ))
}

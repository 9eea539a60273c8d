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

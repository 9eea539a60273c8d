//! Elasticsearch's `AbstractStringProcessor`: the shape shared by
//! `lowercase`, `uppercase`, `trim`, `gsub`, `urldecode`, `html_strip` and
//! `bytes`. The field holds a string or a list of strings; the result goes
//! to `target_field` (default: the field itself).

use super::support::{get_field, set_field};
use super::{OptionKind, OptionSpec, Options};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::value::Value;

/// The options every string processor has, in Elasticsearch's order.
pub const fn options(field: &'static str, target: &'static str) -> [OptionSpec; 3] {
    [
        OptionSpec::required("field", OptionKind::String, field),
        OptionSpec::optional("ignore_missing", OptionKind::Bool, "If true and field does not exist or is null, the processor quietly exits without modifying the document.")
            .default("false"),
        OptionSpec::optional("target_field", OptionKind::String, target),
    ]
}

#[derive(Debug)]
pub struct StringField {
    field: String,
    path: FieldPath,
    target: FieldPath,
    ignore_missing: bool,
}

impl StringField {
    pub fn read(o: &mut Options) -> Result<StringField, EsError> {
        let field = o.string("field")?;
        let ignore_missing = o.bool_or("ignore_missing", false)?;
        let target = o
            .opt_string("target_field")?
            .unwrap_or_else(|| field.clone());
        Ok(StringField {
            path: FieldPath::parse(&field).map_err(|e| o.error("field", &e))?,
            target: FieldPath::parse(&target).map_err(|e| o.error("target_field", &e))?,
            field,
            ignore_missing,
        })
    }

    /// The configured field name, as errors quote it.
    pub fn name(&self) -> &str {
        &self.field
    }

    /// Applies `process` to the string or to each string of the list.
    pub fn apply(
        &self,
        doc: &mut IngestDocument,
        process: impl Fn(&str) -> Result<Value, EsError>,
    ) -> Result<(), EsError> {
        let field = &self.field;
        let new_value = match get_field(doc, &self.path, self.ignore_missing)? {
            None | Some(Value::Null) if self.ignore_missing => return Ok(()),
            None | Some(Value::Null) => {
                return Err(EsError::illegal_argument(format!("field [{field}] is null, cannot process it.")))
            }
            Some(Value::List(items)) => Value::List(
                items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => process(s),
                        other => Err(EsError::illegal_argument(format!(
                            "value [{}] of type [{}] in list field [{field}] cannot be cast to [java.lang.String]",
                            other.to_java_string(),
                            other.java_class()
                        ))),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Some(Value::String(s)) => process(s)?,
            Some(other) => return Err(super::support::cannot_cast(field, other, "java.lang.String")),
        };
        set_field(doc, &self.target, new_value)
    }
}

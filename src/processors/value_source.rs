//! Elasticsearch's `ValueSource`: a configured value whose strings are
//! templates, recursively through lists and maps.

use crate::document::IngestDocument;
use crate::error::EsError;
use crate::template::{Escaping, Template};
use crate::value::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum ValueSource {
    Literal(Value),
    Template(Template),
    List(Vec<ValueSource>),
    /// Keys are templates too, as in Elasticsearch's `MapValue`.
    Map(Vec<(Template, ValueSource)>),
}

impl ValueSource {
    pub fn wrap(value: Value, escaping: Escaping) -> Result<ValueSource, EsError> {
        Ok(match value {
            Value::String(s) => {
                let t = Template::compile_with(&s, escaping)?;
                if t.is_literal() {
                    ValueSource::Literal(Value::String(s))
                } else {
                    ValueSource::Template(t)
                }
            }
            Value::List(items) => ValueSource::List(
                items
                    .into_iter()
                    .map(|v| ValueSource::wrap(v, escaping))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(m) => ValueSource::Map(
                m.into_iter()
                    .map(|(k, v)| {
                        Ok((
                            Template::compile_with(&k, escaping)?,
                            ValueSource::wrap(v, escaping)?,
                        ))
                    })
                    .collect::<Result<_, EsError>>()?,
            ),
            other => ValueSource::Literal(other),
        })
    }

    pub fn is_template(&self) -> bool {
        matches!(self, ValueSource::Template(_))
    }

    pub fn resolve(&self, doc: &IngestDocument) -> Value {
        match self {
            ValueSource::Literal(v) => v.clone(),
            ValueSource::Template(t) => Value::String(t.render(doc)),
            ValueSource::List(items) => Value::List(items.iter().map(|v| v.resolve(doc)).collect()),
            ValueSource::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.render(doc), v.resolve(doc)))
                    .collect::<Map>(),
            ),
        }
    }
}

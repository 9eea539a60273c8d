//! Exceptions as Elasticsearch reports them.
//!
//! Every failure a pipeline can produce, at load time or at run time, is an
//! [`EsError`]: the exception's type name (`illegal_argument_exception`), its
//! reason, the extra fields Elasticsearch adds (`processor_type`,
//! `script_stack`, ...) and an optional cause. `to_value` renders the JSON body
//! Elasticsearch returns, `root_cause` included.

use crate::value::{Map, Value};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct EsError {
    /// Snake-case exception name, e.g. `illegal_argument_exception`.
    pub kind: String,
    pub reason: String,
    /// Fields such as `processor_type`, `processor_tag`, `property_name`,
    /// `script_stack`, `script`, `lang`, `position`, in the order they print.
    pub extra: Map,
    pub caused_by: Option<Box<EsError>>,
    /// Elasticsearch's exception headers (`processor_type`, `processor_tag`,
    /// `pipeline_origin`): they say where a failure happened and feed
    /// `_ingest.on_failure_*`; they are not part of the rendered body.
    pub headers: Map,
}

impl EsError {
    pub fn new(kind: &str, reason: impl Into<String>) -> EsError {
        EsError {
            kind: kind.to_string(),
            reason: reason.into(),
            extra: Map::default(),
            caused_by: None,
            headers: Map::default(),
        }
    }

    pub fn illegal_argument(reason: impl Into<String>) -> EsError {
        EsError::new("illegal_argument_exception", reason)
    }

    pub fn illegal_state(reason: impl Into<String>) -> EsError {
        EsError::new("illegal_state_exception", reason)
    }

    /// A pipeline configuration error (`ElasticsearchParseException`).
    pub fn parse(reason: impl Into<String>) -> EsError {
        EsError::new("parse_exception", reason)
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> EsError {
        self.extra.insert(key.to_string(), value.into());
        self
    }

    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers.get(key).and_then(Value::as_str)
    }

    pub fn with_header(mut self, key: &str, value: impl Into<Value>) -> EsError {
        self.headers.insert(key.to_string(), value.into());
        self
    }

    pub fn caused_by(mut self, cause: EsError) -> EsError {
        self.caused_by = Some(Box::new(cause));
        self
    }

    /// The innermost cause (Java's `getRootCause`): what
    /// `_ingest.on_failure_message` holds.
    pub fn root(&self) -> &EsError {
        let mut e = self;
        while let Some(c) = &e.caused_by {
            e = c;
        }
        e
    }

    fn body(&self) -> Map {
        let mut m = Map::default();
        m.insert("type".into(), Value::from(self.kind.as_str()));
        m.insert("reason".into(), Value::from(self.reason.as_str()));
        for (k, v) in self.extra.iter().filter(|(k, _)| k.as_str() != "suppressed") {
            m.insert(k.clone(), v.clone());
        }
        if let Some(c) = &self.caused_by {
            m.insert("caused_by".into(), Value::Map(c.body()));
        }
        // suppressed exceptions come after the cause, as Elasticsearch writes them
        if let Some(v) = self.extra.get("suppressed") {
            m.insert("suppressed".into(), v.clone());
        }
        m
    }

    /// `{"root_cause": [...], "type": ..., "reason": ..., ...}`. Elasticsearch
    /// guesses root causes by unwrapping only its wrapper exceptions (which
    /// ingot models as headers), so the root cause it lists is this error
    /// itself, not the innermost cause that `_ingest.on_failure_message` uses.
    pub fn to_value(&self) -> Value {
        let mut root = self.body();
        root.shift_remove("caused_by");
        let mut m = Map::default();
        m.insert("root_cause".into(), Value::List(vec![Value::Map(root)]));
        for (k, v) in self.body() {
            m.insert(k, v);
        }
        Value::Map(m)
    }
}

impl fmt::Display for EsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.reason)?;
        if let Some(c) = &self.caused_by {
            write!(f, "; caused by {c}")?;
        }
        Ok(())
    }
}

impl std::error::Error for EsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_cause_is_the_error_itself_and_caused_by_nests() {
        let e = EsError::illegal_argument("unable to convert [x] to long")
            .caused_by(EsError::new("number_format_exception", "For input string: \"x\""));
        assert_eq!(e.root().reason, "For input string: \"x\"");
        assert_eq!(
            e.to_value().to_json(),
            r#"{"root_cause":[{"type":"illegal_argument_exception","reason":"unable to convert [x] to long"}],"type":"illegal_argument_exception","reason":"unable to convert [x] to long","caused_by":{"type":"number_format_exception","reason":"For input string: \"x\""}}"#
        );
    }
}

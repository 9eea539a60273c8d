//! Deterministic YAML text from values, with the generated-file header.

use crate::package::GENERATED_NOTE;
use crate::value::Value;

/// `# <note>` then the YAML document; map keys keep their insertion order.
pub fn document(value: &Value) -> String {
    let body = serde_yaml_ng::to_string(value).unwrap_or_default();
    format!("# {GENERATED_NOTE}\n{body}")
}

/// A map from `(key, value)` pairs, skipping absent values.
pub fn map(entries: impl IntoIterator<Item = (&'static str, Option<Value>)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect(),
    )
}

pub fn s(text: &str) -> Option<Value> {
    Some(Value::from(text))
}

pub fn opt_s(text: &Option<String>) -> Option<Value> {
    text.as_deref().map(Value::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_carry_the_note_and_keep_key_order() {
        let v = map([
            ("name", s("b")),
            ("skipped", None),
            ("a", Some(Value::Bool(true))),
        ]);
        assert_eq!(
            document(&v),
            format!("# {GENERATED_NOTE}\nname: b\na: true\n")
        );
    }
}

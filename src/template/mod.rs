//! Mustache templates as Elasticsearch's ingest templates evaluate them.
//!
//! A string option that Elasticsearch treats as a template is compiled once;
//! a string without `{{` stays a literal and costs nothing to render. The
//! model a template sees is the document: its fields, `_source.*` and
//! `_ingest.*`.

use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::value::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
    escaping: Escaping,
}

/// How `{{x}}` escapes, chosen by the template's content type as in
/// Elasticsearch's `CustomMustacheFactory`: JSON string escaping by default
/// (`application/json`), none for `text/plain`, URL encoding for
/// `application/x-www-form-urlencoded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Escaping {
    #[default]
    Json,
    Plain,
    Url,
}

impl Escaping {
    /// The escaping for a `media_type` option value.
    pub fn for_media_type(media_type: &str) -> Option<Escaping> {
        match media_type {
            "application/json" => Some(Escaping::Json),
            "text/plain" => Some(Escaping::Plain),
            "application/x-www-form-urlencoded" => Some(Escaping::Url),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    /// `{{x}}`: HTML-escaped.
    Escaped(String),
    /// `{{{x}}}` or `{{& x}}`: verbatim.
    Raw(String),
}

impl Template {
    pub fn compile(source: &str) -> Result<Template, EsError> {
        Template::compile_with(source, Escaping::Json)
    }

    pub fn compile_with(source: &str, escaping: Escaping) -> Result<Template, EsError> {
        let mut parts = Vec::new();
        let mut rest = source;
        while let Some(start) = rest.find("{{") {
            if start > 0 {
                parts.push(Part::Text(rest[..start].to_string()));
            }
            let after = &rest[start..];
            let (part, consumed) = if let Some(inner) = after.strip_prefix("{{{") {
                let end = inner
                    .find("}}}")
                    .ok_or_else(|| template_error(source, "unclosed triple mustache"))?;
                (Part::Raw(inner[..end].trim().to_string()), 3 + end + 3)
            } else {
                let inner = &after[2..];
                let end = inner.find("}}").ok_or_else(|| template_error(source, "unclosed tag"))?;
                let tag = inner[..end].trim();
                let part = match tag.chars().next() {
                    Some('&') => Part::Raw(tag[1..].trim().to_string()),
                    Some('!') => Part::Text(String::new()),
                    Some(c @ ('#' | '^' | '/' | '>' | '=')) => {
                        return Err(template_error(
                            source,
                            &format!("mustache tag [{c}] (sections, partials, delimiters) is not supported yet"),
                        ))
                    }
                    _ => Part::Escaped(tag.to_string()),
                };
                (part, 2 + end + 2)
            };
            parts.push(part);
            rest = &after[consumed..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template { source: source.to_string(), parts, escaping })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// True when the text has no tags: rendering returns it unchanged.
    pub fn is_literal(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Text(_)))
    }

    pub fn render(&self, doc: &IngestDocument) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Escaped(name) => escape(&lookup(doc, name), self.escaping, &mut out),
                Part::Raw(name) => out.push_str(&lookup(doc, name)),
            }
        }
        out
    }
}

fn template_error(source: &str, message: &str) -> EsError {
    EsError::new("general_script_exception", format!("Failed to compile inline script [{source}] using lang [mustache]"))
        .caused_by(EsError::new("mustache_exception", message.to_string()))
}

/// A missing name renders as the empty string, as in Mustache.
fn lookup(doc: &IngestDocument, name: &str) -> String {
    if name == "." {
        return String::new();
    }
    let Ok(path) = FieldPath::parse(name) else { return String::new() };
    match doc.get(&path) {
        Ok(Value::Null) | Err(_) => String::new(),
        Ok(v) => v.to_java_string(),
    }
}

fn escape(text: &str, escaping: Escaping, out: &mut String) {
    match escaping {
        Escaping::Plain => out.push_str(text),
        Escaping::Json => {
            // Jackson's quoteAsString: the JSON string body without quotes.
            let mut quoted = String::new();
            crate::value::write_json_string(text, &mut quoted);
            out.push_str(&quoted[1..quoted.len() - 1]);
        }
        Escaping::Url => {
            for b in text.bytes() {
                match b {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => out.push(b as char),
                    b' ' => out.push('+'),
                    b => out.push_str(&format!("%{b:02X}")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> IngestDocument {
        match Value::from_json_str(json).unwrap() {
            Value::Map(m) => IngestDocument::new(m),
            _ => panic!(),
        }
    }

    #[test]
    fn renders_fields_missing_as_empty() {
        let d = doc(r#"{"a":{"b":"x\"y"},"n":1}"#);
        assert_eq!(Template::compile("{{a.b}}-{{{a.b}}}-{{n}}-{{nope}}").unwrap().render(&d), r#"x\"y-x"y-1-"#);
        assert!(Template::compile("plain").unwrap().is_literal());
    }
}

//! `html_strip`: removes HTML markup, as Lucene's `HTMLStripCharFilter` does
//! for the common cases: block-level tags become a newline, inline tags and
//! comments disappear, `script`/`style` elements become a newline, and
//! character entities (the common named ones, numeric references) are decoded.

use super::string_processor::{self, StringField};
use super::{Example, Flow, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

const OPTIONS: [OptionSpec; 3] = string_processor::options(
    "The string-valued field to remove HTML tags from.",
    "The field to assign the value to, by default field is updated in-place.",
);

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "html_strip",
    description: "Removes HTML tags from the field. If the field is an array of strings, HTML tags will be removed from all members of the array.",
    options: &OPTIONS,
    examples: &[
        Example {
            title: "block tags become newlines, inline tags vanish",
            config: r#"{"field": "h"}"#,
            input: r#"{"h": "<p><b>test</b>x<p><b>test</b>"}"#,
            output: Ok(r#"{"h": "\ntestx\ntest"}"#),
        },
        Example {
            title: "entities, comments and scripts",
            config: r#"{"field": "h", "target_field": "t"}"#,
            input: r#"{"h": "a &amp; b<!-- c --><script>d()</script>&#65;&#x42;"}"#,
            output: Ok(r#"{"h": "a &amp; b<!-- c --><script>d()</script>&#65;&#x42;", "t": "a & b\nAB"}"#),
        },
        Example {
            title: "a lone angle bracket is text",
            config: r#"{"field": "h"}"#,
            input: r#"{"h": "1 < 2 > 0"}"#,
            output: Ok(r#"{"h": "1 < 2 > 0"}"#),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct HtmlStrip {
    field: StringField,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    Ok(Box::new(HtmlStrip {
        field: StringField::read(o)?,
    }))
}

impl Processor for HtmlStrip {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        self.field.apply(doc, |s| Ok(Value::String(strip(s))))?;
        Ok(Flow::Continue)
    }
}

/// Lucene's inline elements: removed without a trace. Every other tag,
/// unknown ones included, is block-level and becomes a newline.
const INLINE: &[&str] = &[
    "a", "b", "i", "q", "s", "u", "abbr", "acronym", "basefont", "bdo", "big", "cite", "code",
    "dfn", "em", "font", "img", "input", "kbd", "label", "samp", "select", "small", "span",
    "strike", "strong", "sub", "sup", "textarea", "tt", "var",
];

/// A tag at the start of `s` (which begins with `<`): its lowercased name,
/// whether it closes, and its length. `None` when `<` does not start a tag.
fn tag_at(s: &str) -> Option<(String, bool, usize)> {
    let bytes = s.as_bytes();
    let mut i = 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric()
            || (i > start && matches!(bytes[i], b'-' | b':' | b'_')))
    {
        i += 1;
    }
    if i == start || !bytes[start].is_ascii_alphabetic() {
        return None;
    }
    let name = s[start..i].to_ascii_lowercase();
    let mut quote = None;
    while i < bytes.len() {
        match (bytes[i], quote) {
            (b'"' | b'\'', None) => quote = Some(bytes[i]),
            (q, Some(open)) if q == open => quote = None,
            (b'>', None) => return Some((name, closing, i + 1)),
            (b'<', None) => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

fn entity_at(s: &str) -> Option<(char, usize)> {
    let end = s[1..].find(';').map(|i| i + 1).filter(|&i| i <= 10)?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(code)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "copy" => '©',
            "reg" => '®',
            "trade" => '™',
            "hellip" => '…',
            "mdash" => '—',
            "ndash" => '–',
            "laquo" => '«',
            "raquo" => '»',
            "euro" => '€',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

pub fn strip(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("<!--") {
            if let Some(end) = rest.find("-->") {
                i += end + 3;
                continue;
            }
        }
        if rest.starts_with('<') {
            if let Some((name, closing, len)) = tag_at(rest) {
                i += len;
                if !closing && (name == "script" || name == "style") {
                    let close = format!("</{name}");
                    let lower = s[i..].to_ascii_lowercase();
                    match lower
                        .find(&close)
                        .and_then(|p| lower[p..].find('>').map(|q| p + q + 1))
                    {
                        Some(end) => i += end,
                        None => i = s.len(),
                    }
                    out.push('\n');
                } else if !INLINE.contains(&name.as_str()) {
                    out.push('\n');
                }
                continue;
            }
        }
        if rest.starts_with('&') {
            if let Some((c, len)) = entity_at(rest) {
                out.push(c);
                i += len;
                continue;
            }
        }
        let c = rest.chars().next().expect("non-empty");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

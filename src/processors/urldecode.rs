//! `urldecode`: URL-decodes a string as Java's `URLDecoder.decode(s, UTF_8)`.

use super::string_processor::{self, StringField};
use super::{Example, Flow, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

const OPTIONS: [OptionSpec; 3] = string_processor::options(
    "The field to decode.",
    "The field to assign the converted value to, by default field is updated in-place.",
);

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "urldecode",
    description: "URL-decodes a string. If the field is an array of strings, all members of the array will be decoded.",
    options: &OPTIONS,
    examples: &[
        Example {
            title: "percent escapes and plus signs",
            config: r#"{"field": "u"}"#,
            input: r#"{"u": "Hello%20World%21+x%C3%A9"}"#,
            output: Ok(r#"{"u": "Hello World! xé"}"#),
        },
        Example {
            title: "a bad escape fails as in Java",
            config: r#"{"field": "u"}"#,
            input: r#"{"u": "a%zz"}"#,
            output: Err(r#"URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: "zz""#),
        },
        Example {
            title: "a truncated escape fails",
            config: r#"{"field": "u"}"#,
            input: r#"{"u": "a%4"}"#,
            output: Err("URLDecoder: Incomplete trailing escape (%) pattern"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct UrlDecode {
    field: StringField,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    Ok(Box::new(UrlDecode {
        field: StringField::read(o)?,
    }))
}

impl Processor for UrlDecode {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        self.field.apply(doc, |s| {
            decode(s)
                .map(Value::String)
                .map_err(EsError::illegal_argument)
        })?;
        Ok(Flow::Continue)
    }
}

/// `Integer.parseInt(s, 16)` on the two characters after a `%`.
fn hex_pair(pair: &[char]) -> Result<i32, String> {
    let text: String = pair.iter().collect();
    let err = |index: usize| format!("Error at index {index} in: \"{text}\"");
    let (sign, digits, offset) = match pair[0] {
        '-' => (-1, &pair[1..], 1),
        '+' => (1, &pair[1..], 1),
        _ => (1, pair, 0),
    };
    let mut v = 0i32;
    for (i, c) in digits.iter().enumerate() {
        v = v * 16 + c.to_digit(16).ok_or_else(|| err(i + offset))? as i32;
    }
    Ok(sign * v)
}

pub fn decode(s: &str) -> Result<String, String> {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < n {
        match chars[i] {
            '+' => {
                out.push(' ');
                i += 1;
            }
            '%' => {
                let mut bytes = Vec::new();
                while i + 2 < n && chars[i] == '%' {
                    let v = hex_pair(&chars[i + 1..i + 3]).map_err(|m| {
                        format!("URLDecoder: Illegal hex characters in escape (%) pattern - {m}")
                    })?;
                    if v < 0 {
                        return Err("URLDecoder: Illegal hex characters in escape (%) pattern - negative value".into());
                    }
                    bytes.push(v as u8);
                    i += 3;
                }
                if i < n && chars[i] == '%' {
                    return Err("URLDecoder: Incomplete trailing escape (%) pattern".into());
                }
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

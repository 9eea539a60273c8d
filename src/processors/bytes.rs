//! `bytes`: converts a human-readable byte size (`1kb`) to its number of bytes.

use super::string_processor::{self, StringField};
use super::{Example, Flow, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

const OPTIONS: [OptionSpec; 3] = string_processor::options(
    "The field to convert.",
    "The field to assign the converted value to, by default field is updated in-place.",
);

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "bytes",
    description: "Converts a human readable byte value (e.g. 1kb) to its value in bytes (e.g. 1024).",
    options: &OPTIONS,
    examples: &[
        Example {
            title: "units are binary and case-insensitive",
            config: r#"{"field": "size"}"#,
            input: r#"{"size": "1KB"}"#,
            output: Ok(r#"{"size": 1024}"#),
        },
        Example {
            title: "fractions are accepted",
            config: r#"{"field": "size", "target_field": "n"}"#,
            input: r#"{"size": "1.5k"}"#,
            output: Ok(r#"{"size": "1.5k", "n": 1536}"#),
        },
        Example {
            title: "a unit is required",
            config: r#"{"field": "size"}"#,
            input: r#"{"size": "12"}"#,
            output: Err("failed to parse setting [size] with value [12] as a size in bytes: unit is missing or unrecognized"),
        },
        Example {
            title: "a bad number",
            config: r#"{"field": "size"}"#,
            input: r#"{"size": "xkb"}"#,
            output: Err("failed to parse [xkb]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Bytes {
    field: StringField,
    name: String,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = StringField::read(o)?;
    Ok(Box::new(Bytes {
        name: field.name().to_string(),
        field,
    }))
}

impl Processor for Bytes {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        self.field.apply(doc, |s| {
            parse_byte_size(s, &self.name).map(|n| Value::Long(n))
        })?;
        Ok(Flow::Continue)
    }
}

const UNITS: [(&str, u32); 11] = [
    ("k", 1),
    ("kb", 1),
    ("m", 2),
    ("mb", 2),
    ("g", 3),
    ("gb", 3),
    ("t", 4),
    ("tb", 4),
    ("p", 5),
    ("pb", 5),
    ("b", 0),
];

/// Elasticsearch's `ByteSizeValue.parseBytesSizeValue`.
pub fn parse_byte_size(input: &str, setting: &str) -> Result<i64, EsError> {
    let lower = input.to_lowercase();
    let lower = lower.trim();
    // The order matters: "kb" also ends with "b", so the longer suffixes are
    // tried in the order Elasticsearch tries them.
    let unit = UNITS.iter().find(|(suffix, _)| lower.ends_with(suffix));
    let Some((suffix, power)) = unit else {
        return match lower {
            "-1" => Ok(-1),
            "0" => Ok(0),
            _ => Err(EsError::parse(format!(
                "failed to parse setting [{setting}] with value [{input}] as a size in bytes: unit is missing or unrecognized"
            ))),
        };
    };
    let multiplier = 1024i64.pow(*power);
    let number = lower[..lower.len() - suffix.len()].trim();
    let bytes = match number.parse::<i64>() {
        Ok(n) => n.checked_mul(multiplier),
        Err(_) => match number.parse::<f64>() {
            Ok(d) if !number.contains(char::is_alphabetic) => Some((d * multiplier as f64) as i64),
            _ => return Err(EsError::parse(format!("failed to parse [{input}]"))),
        },
    };
    match bytes {
        Some(b) if b >= -1 => Ok(b),
        Some(_) => Err(EsError::illegal_argument(format!(
            "Values less than -1 bytes are not supported: {input}"
        ))),
        None => Err(EsError::illegal_argument(format!(
            "Values greater than {} bytes are not supported: {input}",
            i64::MAX
        ))),
    }
}

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
            title: "a bad number fails with Java's message",
            config: r#"{"field": "size"}"#,
            input: r#"{"size": "xkb"}"#,
            output: Err("For input string: \"x\""),
        },
        Example {
            title: "negative sizes are refused",
            config: r#"{"field": "size"}"#,
            input: r#"{"size": "-2kb"}"#,
            output: Err("Values less than -1 bytes are not supported: -2kb"),
        },
        Example {
            title: "bytes, with spaces around",
            config: r#"{"field": "size"}"#,
            input: r#"{"size": [" 12 B ", "-1", "2m"]}"#,
            output: Ok(r#"{"size": [12, -1, 2097152]}"#),
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

/// Suffixes in the order Elasticsearch tries them, with their power of 1024.
const UNITS: [(&str, u32); 10] = [
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
];

const SUFFIXES: [&str; 6] = ["b", "kb", "mb", "gb", "tb", "pb"];

/// `new ByteSizeValue(size, unit)`'s range check.
fn byte_size(size: i64, power: u32) -> Result<i64, std::string::String> {
    let unit = 1024i64.pow(power);
    let suffix = SUFFIXES[power as usize];
    if size < -1 || (size == -1 && power != 0) {
        return Err(format!(
            "Values less than -1 bytes are not supported: {size}{suffix}"
        ));
    }
    if size > i64::MAX / unit {
        return Err(format!(
            "Values greater than {} bytes are not supported: {size}{suffix}",
            i64::MAX
        ));
    }
    Ok(size * unit)
}

/// `Long.parseLong`'s failure.
fn number_format(s: &str) -> EsError {
    EsError::new(
        "number_format_exception",
        format!("For input string: \"{s}\""),
    )
}

/// Elasticsearch's `ByteSizeValue.parseBytesSizeValue`. Errors are
/// `parse_exception`s whose cause (what `_ingest.on_failure_message` shows)
/// is Java's own exception.
pub fn parse_byte_size(input: &str, setting: &str) -> Result<i64, EsError> {
    match input {
        "0" | "0b" | "0B" => return Ok(0),
        "1b" | "1B" => return Ok(1),
        "-1" | "-1b" | "-1B" => return Ok(-1),
        _ => {}
    }
    let failed = || {
        EsError::parse(format!(
            "failed to parse setting [{setting}] with value [{input}]"
        ))
    };
    let out_of_range = |message: std::string::String| {
        EsError::parse(format!(
            "failed to parse setting [{setting}] with value [{input}] as a size in bytes"
        ))
        .caused_by(EsError::illegal_argument(message))
    };
    let lower = input.to_lowercase();
    let lower = lower.trim_matches(|c: char| c <= ' ');
    let Some((suffix, power)) = UNITS.iter().find(|(suffix, _)| lower.ends_with(suffix)) else {
        if let Some(number) = lower.strip_suffix('b') {
            let number = number.trim_matches(|c: char| c <= ' ');
            let size = super::convert::parse_java_integer_decimal(number)
                .ok_or_else(|| failed().caused_by(number_format(number)))?;
            return byte_size(size, 0).map_err(out_of_range);
        }
        return Err(EsError::parse(format!(
            "failed to parse setting [{setting}] with value [{input}] as a size in bytes: unit is missing or unrecognized"
        )));
    };
    let number = lower[..lower.len() - suffix.len()].trim_matches(|c: char| c <= ' ');
    match super::convert::parse_java_integer_decimal(number) {
        Some(size) => byte_size(size, *power).map_err(out_of_range),
        None => match super::convert::parse_java_double(number) {
            // A fraction is taken in bytes, truncated (Java's long cast saturates).
            Some(d) => byte_size((d * 1024f64.powi(*power as i32)) as i64, 0).map_err(out_of_range),
            None => Err(failed().caused_by(number_format(number))),
        },
    }
}

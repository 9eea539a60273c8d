//! `convert`: converts a value (or each value of a list) to another type,
//! parsing numbers as Java's `Integer.parseInt`, `Long.parseLong`,
//! `Float.parseFloat` and `Double.parseDouble` do.

use super::support::{get_field, set_field};
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "convert",
    description: "Converts a field in the currently ingested document to a different type, such as converting a string to an integer.",
    options: &[
        OptionSpec::required("field", String, "The field whose value is to be converted."),
        OptionSpec::required("type", String, "The type to convert to: integer, long, float, double, string, boolean, ip or auto."),
        OptionSpec::optional("target_field", String, "The field to assign the converted value to, by default field is updated in-place."),
        OptionSpec::optional("ignore_missing", Bool, "If true and field does not exist or is null, the processor quietly exits without modifying the document.")
            .default("false"),
    ],
    examples: &[
        Example {
            title: "string to integer, hex included",
            config: r#"{"field": "n", "type": "integer"}"#,
            input: r#"{"n": ["12", "-0x1F", "+7"]}"#,
            output: Ok(r#"{"n": [12, -31, 7]}"#),
        },
        Example {
            title: "a decimal is not an integer (the root cause is Java's)",
            config: r#"{"field": "n", "type": "integer"}"#,
            input: r#"{"n": 1.5}"#,
            output: Err("For input string: \"1.5\""),
        },
        Example {
            title: "an empty string is no double",
            config: r#"{"field": "n", "type": "double"}"#,
            input: r#"{"n": " "}"#,
            output: Err("empty String"),
        },
        Example {
            title: "auto picks boolean, then integer, long, float, double",
            config: r#"{"field": "v", "type": "auto"}"#,
            input: r#"{"v": ["TRUE", "12", "12345678901", "1.5", "x", 3]}"#,
            output: Ok(r#"{"v": [true, 12, 12345678901, 1.5, "x", 3]}"#),
        },
        Example {
            title: "to string, as Java prints",
            config: r#"{"field": "v", "type": "string", "target_field": "s"}"#,
            input: r#"{"v": [1, 2.0, false]}"#,
            output: Ok(r#"{"v": [1, 2.0, false], "s": ["1", "2.0", "false"]}"#),
        },
        Example {
            title: "an invalid boolean",
            config: r#"{"field": "v", "type": "boolean"}"#,
            input: r#"{"v": "yes"}"#,
            output: Err("[yes] is not a boolean value, cannot convert to boolean"),
        },
        Example {
            title: "ip validates and keeps the string",
            config: r#"{"field": "v", "type": "ip"}"#,
            input: r#"{"v": "::1"}"#,
            output: Ok(r#"{"v": "::1"}"#),
        },
        Example {
            title: "an invalid ip",
            config: r#"{"field": "v", "type": "ip"}"#,
            input: r#"{"v": "1.2.3.256"}"#,
            output: Err("'1.2.3.256' is not an IP string literal."),
        },
        Example {
            title: "an integer beyond a long (a BigInteger) converts through its text",
            config: r#"{"field": "n", "type": "double", "target_field": "d"}"#,
            input: r#"{"n": 12345678901234567890}"#,
            output: Ok(r#"{"n": 12345678901234567890, "d": 1.2345678901234567E19}"#),
        },
        Example {
            title: "which Long.parseLong refuses",
            config: r#"{"field": "n", "type": "long"}"#,
            input: r#"{"n": -12345678901234567890}"#,
            output: Err("For input string: \"-12345678901234567890\""),
        },
        Example {
            title: "null fails",
            config: r#"{"field": "v", "type": "long"}"#,
            input: r#"{"v": null}"#,
            output: Err("Field [v] is null, cannot be converted to type [long]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Type {
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    Ip,
    String,
    Auto,
}

impl Type {
    fn name(self) -> &'static str {
        match self {
            Type::Integer => "integer",
            Type::Long => "long",
            Type::Float => "float",
            Type::Double => "double",
            Type::Boolean => "boolean",
            Type::Ip => "ip",
            Type::String => "string",
            Type::Auto => "auto",
        }
    }

    fn parse(s: &str) -> Option<Type> {
        let all = [
            Type::Integer,
            Type::Long,
            Type::Float,
            Type::Double,
            Type::Boolean,
            Type::Ip,
            Type::String,
            Type::Auto,
        ];
        all.into_iter().find(|t| t.name().eq_ignore_ascii_case(s))
    }
}

#[derive(Debug)]
struct Convert {
    field: std::string::String,
    path: FieldPath,
    target: FieldPath,
    kind: Type,
    ignore_missing: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let type_name = o.string("type")?;
    let target = o
        .opt_string("target_field")?
        .unwrap_or_else(|| field.clone());
    let kind = Type::parse(&type_name).ok_or_else(|| {
        o.error(
            "type",
            &format!("type [{type_name}] not supported, cannot convert field."),
        )
    })?;
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    Ok(Box::new(Convert {
        path: FieldPath::parse(&field).map_err(|e| o.error("field", &e))?,
        target: FieldPath::parse(&target).map_err(|e| o.error("target_field", &e))?,
        field,
        kind,
        ignore_missing,
    }))
}

impl Processor for Convert {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let new_value = match get_field(doc, &self.path, self.ignore_missing)? {
            None | Some(Value::Null) if self.ignore_missing => return Ok(Flow::Continue),
            None | Some(Value::Null) => {
                return Err(EsError::illegal_argument(format!(
                    "Field [{}] is null, cannot be converted to type [{}]",
                    self.field,
                    self.kind.name()
                )))
            }
            Some(Value::List(items)) => Value::List(
                items
                    .iter()
                    .map(|v| convert(self.kind, v))
                    .collect::<Result<_, _>>()?,
            ),
            Some(v) => convert(self.kind, v)?,
        };
        set_field(doc, &self.target, new_value)?;
        Ok(Flow::Continue)
    }
}

fn convert(kind: Type, value: &Value) -> Result<Value, EsError> {
    if value.is_null() {
        // value.toString() on a null list element.
        return Err(EsError::new(
            "null_pointer_exception",
            "Cannot invoke \"Object.toString()\" because \"value\" is null",
        ));
    }
    let text = value.to_java_string();
    // Elasticsearch wraps Java's NumberFormatException, whose message is the
    // root cause `_ingest.on_failure_message` shows.
    let unable = |to: &str| {
        let cause = match to {
            "float" | "double" => decimal_format_error(&text),
            _ => integer_format_error(&text),
        };
        EsError::illegal_argument(format!("unable to convert [{text}] to {to}"))
            .caused_by(EsError::new("number_format_exception", cause))
    };
    Ok(match kind {
        Type::Integer => {
            Value::Int(parse_java_integer(&text, 32).ok_or_else(|| unable("integer"))? as i32)
        }
        Type::Long => Value::Long(parse_java_integer(&text, 64).ok_or_else(|| unable("long"))?),
        Type::Float => Value::Float(parse_java_float(&text).ok_or_else(|| unable("float"))?),
        Type::Double => Value::Double(parse_java_double(&text).ok_or_else(|| unable("double"))?),
        Type::Boolean => match text.to_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => {
                return Err(EsError::illegal_argument(format!(
                    "[{text}] is not a boolean value, cannot convert to boolean"
                )))
            }
        },
        Type::Ip => {
            let Value::String(s) = value else {
                return Err(EsError::new(
                    "class_cast_exception",
                    format!(
                        "class {} cannot be cast to class java.lang.String ({} and java.lang.String are in module java.base of loader 'bootstrap')",
                        value.java_class(),
                        value.java_class()
                    ),
                ));
            };
            if !is_ip_literal(s) {
                return Err(EsError::illegal_argument(format!(
                    "'{s}' is not an IP string literal."
                )));
            }
            value.clone()
        }
        Type::String => Value::String(text),
        Type::Auto => {
            let Value::String(s) = value else {
                return Ok(value.clone());
            };
            if s.eq_ignore_ascii_case("true") {
                Value::Bool(true)
            } else if s.eq_ignore_ascii_case("false") {
                Value::Bool(false)
            } else if let Some(i) = parse_java_integer(s, 32) {
                Value::Int(i as i32)
            } else if let Some(l) = parse_java_integer(s, 64) {
                Value::Long(l)
            } else if let Some(f) = parse_java_float(s) {
                Value::Float(f)
            } else {
                value.clone()
            }
        }
    })
}

/// `Integer.parseInt`/`Long.parseLong`, or `decode` for a `0x`/`-0x` prefix.
pub fn parse_java_integer(s: &str, bits: u32) -> Option<i64> {
    let (negative, digits, radix) = if let Some(hex) = s.strip_prefix("0x") {
        (false, hex, 16)
    } else if let Some(hex) = s.strip_prefix("-0x") {
        (true, hex, 16)
    } else if let Some(rest) = s.strip_prefix('-') {
        (true, rest, 10)
    } else if let Some(rest) = s.strip_prefix('+') {
        (false, rest, 10)
    } else {
        (false, s, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    let v = if negative { -magnitude } else { magnitude };
    let (min, max) = if bits == 32 {
        (i32::MIN as i128, i32::MAX as i128)
    } else {
        (i64::MIN as i128, i64::MAX as i128)
    };
    (min..=max).contains(&v).then_some(v as i64)
}

/// The message of the NumberFormatException `Integer.parseInt` (or
/// `Integer.decode`, for `0x` numbers) throws.
fn integer_format_error(s: &str) -> std::string::String {
    let hex = s.strip_prefix("0x").or_else(|| s.strip_prefix("-0x"));
    match hex {
        Some(digits) if digits.starts_with(['-', '+']) => "Sign character in wrong position".into(),
        Some(digits) => {
            let constant = if s.starts_with('-') {
                format!("-{digits}")
            } else {
                digits.to_string()
            };
            format!("For input string: \"{constant}\" under radix 16")
        }
        None => format!("For input string: \"{s}\""),
    }
}

/// The message of the NumberFormatException `Double.parseDouble` throws.
fn decimal_format_error(s: &str) -> std::string::String {
    if s.trim_matches(|c: char| c <= ' ').is_empty() {
        "empty String".into()
    } else {
        format!("For input string: \"{s}\"")
    }
}

/// `Long.parseLong` in base 10.
pub fn parse_java_integer_decimal(s: &str) -> Option<i64> {
    if s.starts_with("0x") || s.starts_with("-0x") {
        return None;
    }
    parse_java_integer(s, 64)
}

/// `Double.parseDouble`: surrounding whitespace (up to U+0020) ignored, an
/// optional `f`/`d` suffix, `NaN` and `Infinity` spelled exactly.
pub fn parse_java_double(s: &str) -> Option<f64> {
    java_decimal(s).and_then(|(sign, body)| body.parse::<f64>().ok().map(|v| sign * v))
}

/// `Float.parseFloat`: rounds the decimal straight to single precision.
pub fn parse_java_float(s: &str) -> Option<f32> {
    java_decimal(s).and_then(|(sign, body)| body.parse::<f32>().ok().map(|v| sign as f32 * v))
}

/// The sign and the digits Rust can parse, or `None` when Java would refuse.
fn java_decimal(s: &str) -> Option<(f64, &str)> {
    let t = s.trim_matches(|c: char| c <= ' ');
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, t.strip_prefix('+').unwrap_or(t)),
    };
    match body {
        "NaN" | "Infinity" => return Some((sign, if body == "NaN" { "NaN" } else { "inf" })),
        _ => {}
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    let valid = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && body
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.');
    if !valid {
        return None;
    }
    Some((sign, body))
}

fn is_ip_literal(s: &str) -> bool {
    s.parse::<std::net::Ipv4Addr>().is_ok() || s.parse::<std::net::Ipv6Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_wrap_java_number_format_errors() {
        let e = convert(Type::Long, &Value::from("12x")).unwrap_err();
        assert_eq!(e.reason, "unable to convert [12x] to long");
        assert_eq!(e.root().kind, "number_format_exception");
        assert_eq!(e.root().reason, "For input string: \"12x\"");
        let e = convert(Type::Integer, &Value::from("0xZZ")).unwrap_err();
        assert_eq!(e.root().reason, "For input string: \"ZZ\" under radix 16");
        let e = convert(Type::Integer, &Value::from("3000000000")).unwrap_err();
        assert_eq!(e.reason, "unable to convert [3000000000] to integer");
        // ConvertProcessor converts `value.toString()`: a BigInteger's digits.
        let big = Value::integer_of_text("12345678901234567890").unwrap();
        let e = convert(Type::Long, &big).unwrap_err();
        assert_eq!(e.reason, "unable to convert [12345678901234567890] to long");
        assert_eq!(e.root().reason, "For input string: \"12345678901234567890\"");
        assert_eq!(convert(Type::String, &big).unwrap(), Value::from("12345678901234567890"));
        assert_eq!(convert(Type::Float, &big).unwrap(), Value::Float(1.2345679E19));
        assert_eq!(convert(Type::Auto, &big).unwrap(), big);
        let e = convert(Type::Boolean, &big).unwrap_err();
        assert_eq!(e.reason, "[12345678901234567890] is not a boolean value, cannot convert to boolean");
        let e = convert(Type::Ip, &big).unwrap_err();
        assert!(e.reason.starts_with("class java.math.BigInteger cannot be cast to class java.lang.String"), "{}", e.reason);
    }

    #[test]
    fn java_number_parsing() {
        assert_eq!(parse_java_integer("+12", 32), Some(12));
        assert_eq!(parse_java_integer("-0x80000000", 32), Some(i32::MIN as i64));
        assert_eq!(parse_java_integer("2147483648", 32), None);
        assert_eq!(parse_java_integer("", 64), None);
        assert_eq!(parse_java_double(" 1.5e3d "), Some(1500.0));
        assert_eq!(parse_java_double("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_java_double("inf"), None);
        assert_eq!(parse_java_double("1_0"), None);
        assert_eq!(parse_java_float("0.1"), Some(0.1f32));
    }
}

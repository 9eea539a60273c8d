//! JSON as elastic-package handles it: numbers kept as their literal text
//! (Go's `json.Number`/`json.RawMessage`), object keys sorted, and written
//! with Go's `encoding/json` escaping and 4-space indentation.
//!
//! Expected files and simulated results both go through this form, so a
//! number is written exactly as it was read (`42.0` stays `42.0`) and only
//! compared by value (see `compare`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A JSON value whose numbers keep their literal text. Keys sort byte-wise,
/// as Go sorts map keys when it encodes.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>),
}

impl Json {
    pub fn as_object(&self) -> Option<&BTreeMap<String, Json>> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Go's `%T` for the value once decoded into `interface{}` with float64 numbers.
    pub fn go_type(&self) -> &'static str {
        match self {
            Json::Null => "<nil>",
            Json::Bool(_) => "bool",
            Json::Number(_) => "float64",
            Json::String(_) => "string",
            Json::Array(_) => "[]interface {}",
            Json::Object(_) => "map[string]interface {}",
        }
    }

    /// Go's `%v` of the value decoded with float64 numbers.
    pub fn go_display(&self) -> String {
        match self {
            Json::Null => "<nil>".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => go_float_v(n.parse::<f64>().unwrap_or(f64::NAN)),
            Json::String(s) => s.clone(),
            Json::Array(items) => {
                let parts: Vec<String> = items.iter().map(Json::go_display).collect();
                format!("[{}]", parts.join(" "))
            }
            Json::Object(map) => {
                let parts: Vec<String> = map
                    .iter()
                    .map(|(k, v)| format!("{k}:{}", v.go_display()))
                    .collect();
                format!("map[{}]", parts.join(" "))
            }
        }
    }

    /// Parses one JSON value; trailing data other than whitespace is an error,
    /// worded as elastic-package words it.
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut p = Parser {
            bytes: text.as_bytes(),
            pos: 0,
        };
        p.skip_ws();
        if p.pos >= p.bytes.len() {
            return Err("unexpected end of JSON input".into());
        }
        let value = p.value(0)?;
        p.skip_ws();
        if p.pos < p.bytes.len() {
            return Err("more data after top-level value".into());
        }
        Ok(value)
    }

    /// Pretty form: 4-space indentation, sorted keys, Go escaping (HTML
    /// characters escaped when `escape_html`), no trailing newline.
    pub fn to_pretty(&self, escape_html: bool) -> String {
        let mut out = String::new();
        write_pretty(self, 0, escape_html, &mut out);
        out
    }

    /// Compact form with Go escaping, HTML characters left alone.
    pub fn to_compact(&self) -> String {
        let mut out = String::new();
        write_compact(self, &mut out);
        out
    }
}

/// Go's `%v` for a float64: `strconv.FormatFloat(f, 'g', -1, 64)`, which
/// switches to `e` notation for exponents below -4 or at least 6.
pub fn go_float_v(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let exp = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    if (-4..6).contains(&exp) {
        format!("{f}")
    } else {
        go_exponent(&format!("{f:e}"))
    }
}

/// Go's `e` formatting of a shortest-digits float: `1e+21`, `1.5e-07`.
fn go_exponent(rust: &str) -> String {
    let (mantissa, exp) = rust.split_once('e').unwrap_or((rust, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.abs())
}

/// The JSON text Go's encoder gives a float64 (as YAML floats become):
/// `1.0` → `1`, `1e21` → `1e+21`, `1e-7` → `1e-07`.
pub fn go_float_json(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        go_exponent(&format!("{f:e}"))
    } else {
        format!("{f}")
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

const MAX_DEPTH: usize = 10_000;

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len()
            && matches!(self.bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r')
        {
            self.pos += 1;
        }
    }

    fn err(&self, what: &str) -> String {
        let (line, col) = self.line_col();
        format!("{what} at line {line}, column {col}")
    }

    fn line_col(&self) -> (usize, usize) {
        let before = &self.bytes[..self.pos.min(self.bytes.len())];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let col = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        (line, col)
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err(self.err("exceeded max depth"));
        }
        self.skip_ws();
        let Some(&b) = self.bytes.get(self.pos) else {
            return Err("unexpected end of JSON input".into());
        };
        match b {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => Ok(Json::String(self.string()?)),
            b't' => self.literal("true", Json::Bool(true)),
            b'f' => self.literal("false", Json::Bool(false)),
            b'n' => self.literal("null", Json::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(self.err(&format!(
                "invalid character '{}' looking for beginning of value",
                b as char
            ))),
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.err("invalid literal"))
        }
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while p.pos < p.bytes.len() && p.bytes[p.pos].is_ascii_digit() {
                p.pos += 1;
            }
            p.pos - s
        };
        if self.bytes[self.pos] == b'-' {
            self.pos += 1;
        }
        if digits(self) == 0 {
            return Err(self.err("invalid number"));
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        Ok(Json::Number(
            String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned(),
        ))
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut raw: Vec<u8> = Vec::new();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err("unexpected end of JSON input".into());
            };
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.bytes.get(self.pos) else {
                        return Err("unexpected end of JSON input".into());
                    };
                    self.pos += 1;
                    match e {
                        b'"' => raw.push(b'"'),
                        b'\\' => raw.push(b'\\'),
                        b'/' => raw.push(b'/'),
                        b'b' => raw.push(8),
                        b'f' => raw.push(12),
                        b'n' => raw.push(b'\n'),
                        b'r' => raw.push(b'\r'),
                        b't' => raw.push(b'\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&first)
                                && self.bytes[self.pos..].starts_with(b"\\u")
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let second = self.hex4()?;
                                if (0xDC00..0xE000).contains(&second) {
                                    char::from_u32(
                                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00),
                                    )
                                } else {
                                    self.pos = save;
                                    None
                                }
                            } else {
                                char::from_u32(first)
                            };
                            let mut buf = [0u8; 4];
                            raw.extend_from_slice(
                                c.unwrap_or('\u{FFFD}').encode_utf8(&mut buf).as_bytes(),
                            );
                        }
                        _ => return Err(self.err("invalid character in string escape code")),
                    }
                }
                b if b < 0x20 => return Err(self.err("invalid character in string literal")),
                b => raw.push(b),
            }
        }
        Ok(String::from_utf8_lossy(&raw).into_owned())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let end = self.pos + 4;
        let text = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| self.err("invalid unicode escape"))?;
        let text = std::str::from_utf8(text).map_err(|_| self.err("invalid unicode escape"))?;
        let v = u32::from_str_radix(text, 16).map_err(|_| self.err("invalid unicode escape"))?;
        self.pos = end;
        Ok(v)
    }

    fn array(&mut self, depth: usize) -> Result<Json, String> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                None => return Err("unexpected end of JSON input".into()),
                _ => return Err(self.err("invalid character after array element")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, String> {
        self.pos += 1;
        let mut map = BTreeMap::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Json::Object(map));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(
                    self.err("invalid character looking for beginning of object key string")
                );
            }
            let key = self.string()?;
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.err("invalid character after object key"));
            }
            self.pos += 1;
            let value = self.value(depth + 1)?;
            map.insert(key, value);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(map));
                }
                None => return Err("unexpected end of JSON input".into()),
                _ => return Err(self.err("invalid character after object key:value pair")),
            }
        }
    }
}

/// Go's `encoding/json` string escaping (Go 1.22+: `\b` and `\f` short forms).
pub fn write_go_string(s: &str, escape_html: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            '<' | '>' | '&' if escape_html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn indent(level: usize, out: &mut String) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("    ");
    }
}

fn write_pretty(v: &Json, level: usize, escape_html: bool, out: &mut String) {
    match v {
        Json::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(level + 1, out);
                write_pretty(item, level + 1, escape_html, out);
            }
            indent(level, out);
            out.push(']');
        }
        Json::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(level + 1, out);
                write_go_string(k, escape_html, out);
                out.push_str(": ");
                write_pretty(item, level + 1, escape_html, out);
            }
            indent(level, out);
            out.push('}');
        }
        other => write_scalar(other, escape_html, out),
    }
}

fn write_compact(v: &Json, out: &mut String) {
    match v {
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        Json::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_string(k, false, out);
                out.push(':');
                write_compact(item, out);
            }
            out.push('}');
        }
        other => write_scalar(other, false, out),
    }
}

fn write_scalar(v: &Json, escape_html: bool, out: &mut String) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(n),
        Json::String(s) => write_go_string(s, escape_html, out),
        Json::Array(_) => out.push_str("[]"),
        Json::Object(_) => out.push_str("{}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_literal_text() {
        let j = Json::parse(r#"{"b": 42.0, "a": 6.920071768563516E18}"#).unwrap();
        assert_eq!(j.to_compact(), r#"{"a":6.920071768563516E18,"b":42.0}"#);
    }

    #[test]
    fn pretty_form_matches_go() {
        let j = Json::parse(r#"{"expected":[{"m":"<a&b>","e":[],"o":{}},null]}"#).unwrap();
        assert_eq!(
            j.to_pretty(false),
            "{\n    \"expected\": [\n        {\n            \"e\": [],\n            \"m\": \"<a&b>\",\n            \"o\": {}\n        },\n        null\n    ]\n}"
        );
        assert!(j.to_pretty(true).contains(r#""\u003ca\u0026b\u003e""#));
    }

    #[test]
    fn trailing_data_is_an_error() {
        assert_eq!(
            Json::parse("{} {}").unwrap_err(),
            "more data after top-level value"
        );
    }

    #[test]
    fn escapes_follow_go() {
        let j = Json::String("a\u{1}\u{2028}\"".into());
        assert_eq!(j.to_compact(), r#""a\u0001\u2028\"""#);
    }

    #[test]
    fn go_float_formats() {
        assert_eq!(go_float_json(1.0), "1");
        assert_eq!(go_float_json(1e21), "1e+21");
        assert_eq!(go_float_json(1.5), "1.5");
        assert_eq!(go_float_v(1e6), "1e+06");
        assert_eq!(go_float_v(42.0), "42");
        assert_eq!(go_float_v(1.5), "1.5");
    }
}

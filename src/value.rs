//! The value model shared by documents, pipeline configuration and Painless.
//!
//! Elasticsearch parses JSON with Jackson into Java objects: integers become
//! `Integer` when they fit 32 bits, `Long` when they fit 64 and `BigInteger`
//! beyond, other numbers become `Double`. Painless arithmetic and `instanceof` depend on that
//! distinction, so [`Value`] keeps it instead of collapsing to one number type.
//! Maps keep insertion order so output is deterministic.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

mod big_integer;
pub mod map;
mod read;
pub use big_integer::{BigInteger, MAX_NUMBER_LENGTH};
pub use map::{Key, Map};
pub(crate) use read::{integer_beyond_u64_in, integer_too_long_in, Reader};

#[derive(Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    /// An integer beyond a `long`, read from JSON or YAML as Jackson
    /// reads one: a `java.math.BigInteger`.
    BigInteger(BigInteger),
    String(String),
    List(Vec<Value>),
    Map(Map),
}

/// A string is copied as [`owned_text`] copies it, without a `memcpy`
/// call for a short one: values are copied whole by `set`'s `copy_from`,
/// GeoIP's kept results and scripts.
impl Clone for Value {
    fn clone(&self) -> Value {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(*b),
            Value::Int(i) => Value::Int(*i),
            Value::Long(l) => Value::Long(*l),
            Value::Float(f) => Value::Float(*f),
            Value::Double(d) => Value::Double(*d),
            Value::BigInteger(n) => Value::BigInteger(n.clone()),
            Value::String(s) => Value::String(owned_text(s)),
            Value::List(items) => Value::List(items.clone()),
            Value::Map(map) => Value::Map(map.clone()),
        }
    }
}

impl Value {
    /// The Java class name Elasticsearch puts in its error messages.
    pub fn java_class(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "java.lang.Boolean",
            Value::Int(_) => "java.lang.Integer",
            Value::Long(_) => "java.lang.Long",
            Value::Float(_) => "java.lang.Float",
            Value::Double(_) => "java.lang.Double",
            Value::BigInteger(_) => "java.math.BigInteger",
            Value::String(_) => "java.lang.String",
            Value::List(_) => "java.util.ArrayList",
            Value::Map(_) => "java.util.HashMap",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&Vec<Value>> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Integral value of an `Int` or `Long`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i as i64),
            Value::Long(l) => Some(*l),
            _ => None,
        }
    }

    /// `Number.doubleValue()` of any number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Long(l) => Some(*l as f64),
            Value::Float(f) => Some(*f as f64),
            Value::Double(d) => Some(*d),
            Value::BigInteger(n) => Some(n.double_value()),
            _ => None,
        }
    }

    /// `instanceof Number`.
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Value::Int(_) | Value::Long(_) | Value::Float(_) | Value::Double(_) | Value::BigInteger(_)
        )
    }

    /// An integer as Jackson would box it: `Integer` when it fits, else `Long`.
    pub fn integer(i: i64) -> Value {
        match i32::try_from(i) {
            Ok(small) => Value::Int(small),
            Err(_) => Value::Long(i),
        }
    }

    /// A 128-bit integer as Jackson would box it: beyond a `long`, a
    /// `BigInteger`.
    pub fn wide_integer(i: i128) -> Value {
        match i64::try_from(i) {
            Ok(i) => Value::integer(i),
            Err(_) => Value::BigInteger(BigInteger::from_i128(i)),
        }
    }

    /// The integer of a decimal text (an optional sign, then digits) as
    /// Jackson boxes a JSON integer: `Integer`, `Long` or `BigInteger`.
    pub fn integer_of_text(text: &str) -> Option<Value> {
        let n = BigInteger::parse(text)?;
        Some(match n.to_i64() {
            Some(i) => Value::integer(i),
            None => Value::BigInteger(n),
        })
    }

    /// Java's `String.valueOf(Object)` / `Objects.toString`, which is what
    /// Elasticsearch uses when it turns a value into text (templates, `convert`,
    /// string concatenation in Painless).
    pub fn to_java_string(&self) -> String {
        if let Value::String(s) = self {
            return s.clone();
        }
        let mut out = String::new();
        self.write_java_string(&mut out);
        out
    }

    /// [`to_java_string`](Self::to_java_string), borrowing a string's own text.
    pub fn java_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Value::String(s) => std::borrow::Cow::Borrowed(s),
            other => std::borrow::Cow::Owned(other.to_java_string()),
        }
    }

    fn write_java_string(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => write!(out, "{i}").unwrap(),
            Value::Long(l) => write!(out, "{l}").unwrap(),
            Value::Float(f) => out.push_str(&java_float_to_string(*f)),
            Value::Double(d) => out.push_str(&java_double_to_string(*d)),
            Value::BigInteger(n) => out.push_str(n.text()),
            Value::String(s) => out.push_str(s),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_java_string(out);
                }
                out.push(']');
            }
            Value::Map(map) => {
                out.push('{');
                for (i, (k, v)) in java_hash_map_order(map).into_iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push('=');
                    v.write_java_string(out);
                }
                out.push('}');
            }
        }
    }

    /// Compact JSON as Elasticsearch's XContent writes it.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out);
        out
    }

    /// The JSON text as serde_json reads it, through the [`Reader`] when it
    /// can read it.
    pub fn from_json_str(text: &str) -> Result<Value, serde_json::Error> {
        let mut reader = Reader::new(text, false);
        match reader.value() {
            Some(value) if reader.at_end() => Ok(value),
            _ => Value::from_json_str_by_serde(text),
        }
    }

    /// What serde_json reads, refusing a text whose integers it would
    /// round: the reader leaves it only texts nested deeper than it reads
    /// and texts it cannot read, and holding a rounded number where Jackson
    /// keeps a `BigInteger` would be silently wrong.
    #[cold]
    fn from_json_str_by_serde(text: &str) -> Result<Value, serde_json::Error> {
        let value = serde_json::from_str(text).map_err(|e| match read::integer_too_long_in(text) {
            // Jackson's StreamReadConstraints refuse the number first.
            Some(digits) => serde::de::Error::custom(format_args!(
                "Number value length ({digits}) exceeds the maximum allowed ({MAX_NUMBER_LENGTH}, from `StreamReadConstraints.getMaxNumberLength()`)"
            )),
            None => e,
        })?;
        if read::integer_beyond_u64_in(text) {
            return Err(serde::de::Error::custom(
                "an integer beyond 64 bits in a document nested deeper than 100 levels is not supported",
            ));
        }
        Ok(value)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::integer(i)
    }
}
impl From<f64> for Value {
    fn from(d: f64) -> Self {
        Value::Double(d)
    }
}
impl From<Vec<Value>> for Value {
    fn from(l: Vec<Value>) -> Self {
        Value::List(l)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_java_string())
    }
}

/// A field name that remembers the position its key was last found at in
/// a map: one name of a `FieldPath`, of a template variable, of a
/// condition's field chain.
///
/// The documents one pipeline sees have mostly the same shape, so a field
/// is usually where it was in the previous document: comparing the key at
/// that position (keys are unique) finds it for one string comparison
/// instead of a hash or a scan, and a mismatch looks it up in full and
/// remembers where it was. The position is only a guess checked on every
/// use, so no answer depends on it; it is a relaxed atomic because
/// pipelines are shared between threads, and it is no part of the path's
/// identity (equality, debug output).
pub struct FieldName {
    name: String,
    /// The name's [`map::digest`], which map lookups compare first.
    digest: u32,
    last_position: AtomicUsize,
}

impl FieldName {
    pub(crate) fn new(name: &str) -> FieldName {
        FieldName { name: name.to_string(), digest: map::digest(name), last_position: AtomicUsize::new(0) }
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn digest(&self) -> u32 {
        self.digest
    }

    /// The position of this key in `map`, when the guess is right.
    #[inline]
    pub(crate) fn guessed_in(&self, map: &Map) -> Option<usize> {
        let guess = self.last_position.load(Relaxed);
        map.key_at_is(guess, &self.name, self.digest).map(|_| guess)
    }

    /// The position of this key in `map`.
    #[inline]
    pub(crate) fn index_in(&self, map: &Map) -> Option<usize> {
        self.guessed_in(map).or_else(|| self.looked_up_in(map))
    }

    /// `map`'s value under this key: on a right guess straight from the
    /// entry compared, without indexing the map a second time.
    #[inline(always)]
    pub(crate) fn value_in<'m>(&self, map: &'m Map) -> Option<&'m Value> {
        if let Some(value) = map.key_at_is(self.last_position.load(Relaxed), &self.name, self.digest) {
            return Some(value);
        }
        self.looked_up_in(map).map(|i| &map[i])
    }

    /// Past a wrong guess: a key the map's filter rules out (mostly a
    /// field the map does not have) is answered in line, without the call.
    #[inline(always)]
    fn looked_up_in(&self, map: &Map) -> Option<usize> {
        if !map.may_hold(self.digest) {
            return None;
        }
        self.found_in(map)
    }

    /// [`index_in`](Self::index_in) past a wrong guess and the key filter,
    /// out of line.
    #[inline(never)]
    pub(crate) fn found_in(&self, map: &Map) -> Option<usize> {
        let found = map.find(&self.name, self.digest)?;
        self.remember(found);
        Some(found)
    }

    pub(crate) fn remember(&self, position: usize) {
        self.last_position.store(position, Relaxed);
    }
}

impl Clone for FieldName {
    fn clone(&self) -> FieldName {
        FieldName { name: self.name.clone(), digest: self.digest, last_position: AtomicUsize::new(self.last_position.load(Relaxed)) }
    }
}

impl PartialEq for FieldName {
    fn eq(&self, other: &FieldName) -> bool {
        self.name == other.name
    }
}

impl Eq for FieldName {}

impl std::fmt::Debug for FieldName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.name.fmt(f)
    }
}

/// `a == b` for field names, which are mostly short: up to 16 bytes, two
/// overlapping words from each end compare in place of a call to `bcmp`.
#[inline(always)]
pub fn same_key(a: &[u8], b: &[u8]) -> bool {
    fn word<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
        s[at..at + N].try_into().expect("N bytes")
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        8..=16 => word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, n - 8) == word::<8>(b, n - 8),
        4..=7 => word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4),
        _ => a == b,
    }
}

/// Splits a finite non-zero float's shortest round-trip representation into
/// its decimal digits and the exponent of the first digit (`d.ddd × 10^exp`).
fn shortest_digits(text: &str) -> (String, i32) {
    let text = text.trim_start_matches('-');
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(pos) => (&text[..pos], text[pos + 1..].parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = format!("{int_part}{frac_part}");
    let leading_zeros = all.len() - all.trim_start_matches('0').len();
    let digits = all
        .trim_start_matches('0')
        .trim_end_matches('0')
        .to_string();
    let point = int_part.len() as i32 + exp;
    let first_digit_exp = point - leading_zeros as i32 - 1;
    (
        if digits.is_empty() {
            "0".into()
        } else {
            digits
        },
        first_digit_exp,
    )
}

/// Java's `Double.toString` (JDK 19+, shortest digits): plain notation for
/// 10^-3 <= |d| < 10^7, otherwise computerized scientific notation (`1.0E10`).
pub fn java_double_to_string(d: f64) -> String {
    let mut out = String::new();
    write_java_double(d, &mut out);
    out
}

/// [`java_double_to_string`], appended to `out`: a document's doubles are
/// written out this way without a string each.
pub fn write_java_double(d: f64, out: &mut String) {
    if d.is_nan() {
        return out.push_str("NaN");
    }
    if d.is_infinite() {
        return out.push_str(if d > 0.0 { "Infinity" } else { "-Infinity" });
    }
    if d == 0.0 {
        return out.push_str(if d.is_sign_negative() { "-0.0" } else { "0.0" });
    }
    let mut buf = ryu::Buffer::new();
    let shortest = buf.format_finite(d);
    let plain = d.abs() >= 1e-3 && d.abs() < 1e7;
    // In Java's plain range ryu's own plain text (shortest digits, `.0` when
    // integral) is already Java's: no need to take it apart.
    if plain && !shortest.contains('e') {
        return out.push_str(shortest);
    }
    out.push_str(&format_java_decimal(shortest, d < 0.0, plain));
}

/// Java's `Float.toString`, the same rules at `float` precision.
pub fn java_float_to_string(f: f32) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let mut buf = ryu::Buffer::new();
    format_java_decimal(
        buf.format_finite(f),
        f < 0.0,
        f.abs() >= 1e-3 && f.abs() < 1e7,
    )
}

fn format_java_decimal(shortest: &str, negative: bool, plain: bool) -> String {
    let (digits, exp) = shortest_digits(shortest);
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if plain {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        out.push('.');
        if digits.len() > 1 {
            out.push_str(&digits[1..]);
        } else {
            out.push('0');
        }
        write!(out, "E{exp}").unwrap();
    }
    out
}

/// The order a `java.util.HashMap` holding these entries iterates in, which
/// is what `toString` prints: documents and the maps processors build are
/// HashMaps in Elasticsearch. Entries go by bucket (`String.hashCode` spread
/// over a power-of-two table, at least 16, resized at 0.75 load) and keep
/// insertion order within a bucket. A map that shrank may have a larger
/// table in Java than its size implies; that history is not kept.
pub fn java_hash_map_order(map: &Map) -> Vec<(&Key, &Value)> {
    let mut capacity = 16usize;
    while map.len() * 4 > capacity * 3 {
        capacity *= 2;
    }
    let mut entries: Vec<(&Key, &Value)> = map.iter().collect();
    entries.sort_by_cached_key(|(k, _)| java_hash_spread(k) as usize & (capacity - 1));
    entries
}

/// Java's `String.hashCode`: over UTF-16 code units, which for ASCII text
/// are its bytes.
pub fn java_string_hash(s: &str) -> i32 {
    let step = |h: i32, unit: u16| h.wrapping_mul(31).wrapping_add(unit as i32);
    if s.is_ascii() {
        s.bytes().fold(0, |h, b| step(h, b as u16))
    } else {
        s.encode_utf16().fold(0, step)
    }
}

/// `HashMap.hash(key)`: the key's hash with its high half folded into the
/// low half; its low bits pick the bucket.
pub fn java_hash_spread(key: &str) -> u32 {
    let h = java_string_hash(key) as u32;
    h ^ (h >> 16)
}

/// A map holding `entries` in the order a `java.util.HashMap` of at least
/// `table` buckets, filled in this order, iterates them: by bucket of the
/// final table (doubled at 0.75 load), insertion order within a bucket.
pub fn java_hash_map_of(mut entries: Vec<(&'static str, Value)>, mut table: usize) -> Map {
    while entries.len() * 4 > table * 3 {
        table *= 2;
    }
    // The sort is stable (the cached keys are sorted with their positions),
    // as a bucket's chain is.
    entries.sort_by_cached_key(|(k, _)| java_hash_spread(k) as usize & (table - 1));
    let mut map = Map::with_capacity(entries.len());
    map.extend(entries.into_iter().map(|(k, v)| (k.to_owned(), v)));
    map
}

/// Compact JSON with maps in `java.util.HashMap` order, as Elasticsearch
/// writes a document's maps when it serialises them itself (Mustache's
/// `toJson`, for one).
pub fn to_json_java_order(value: &Value) -> String {
    fn write(value: &Value, out: &mut String) {
        match value {
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, out);
                }
                out.push(']');
            }
            Value::Map(map) => {
                out.push('{');
                for (i, (k, v)) in java_hash_map_order(map).into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(k, out);
                    out.push(':');
                    write(v, out);
                }
                out.push('}');
            }
            scalar => write_json(scalar, out),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// Writes `value` as compact JSON, numbers formatted as Jackson formats them.
pub fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => append_framed(out, b"", itoa::Buffer::new().format(*i), b""),
        Value::Long(l) => append_framed(out, b"", itoa::Buffer::new().format(*l), b""),
        Value::Float(f) => write_json_float(f.is_finite(), &java_float_to_string(*f), out),
        Value::Double(d) if d.is_finite() => write_java_double(*d, out),
        Value::Double(d) => write_json_float(false, &java_double_to_string(*d), out),
        Value::BigInteger(n) => out.push_str(n.text()),
        Value::String(s) => write_json_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_element(item, out);
            }
            out.push(']');
        }
        Value::Map(map) if map.is_empty() => out.push_str("{}"),
        Value::Map(map) => {
            for (i, (k, v)) in map.iter().enumerate() {
                write_json_member_name(i == 0, k, out);
                write_json_element(v, out);
            }
            out.push('}');
        }
    }
}

/// [`write_json`] of a member's value or a list's item, with a string (most
/// of them) written in place: a call of `write_json` for each string cost
/// more, in saving and restoring registers, than writing the string.
#[inline(always)]
pub fn write_json_element(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => write_json_string(s, out),
        other => write_json(other, out),
    }
}

/// Writes an object member's name and colon, opening the object (`{`) for
/// its first member and separating it from the one before (`,`) otherwise:
/// one capacity check for the whole of `,"name":` when the name needs no
/// escaping, as most do.
#[inline]
pub fn write_json_member_name(first: bool, name: &str, out: &mut String) {
    match next_escape(name.as_bytes(), 0) {
        None => append_framed(out, if first { b"{\"" } else { b",\"" }, name, b"\":"),
        Some(escape) => {
            out.push_str(if first { "{\"" } else { ",\"" });
            write_escaped_json_string(name, escape, out);
            out.push(':');
        }
    }
}

/// A float's Java text as JSON. Jackson writes non-finite doubles as quoted
/// strings when asked to produce valid JSON; Elasticsearch's XContent does
/// the same.
fn write_json_float(finite: bool, text: &str, out: &mut String) {
    if finite {
        out.push_str(text);
    } else {
        out.push('"');
        out.push_str(text);
        out.push('"');
    }
}

/// JSON string escaping as Jackson does it: control characters as `\uXXXX`
/// except the short forms, everything else (including non-ASCII) literal.
// Inlined in release builds only: in a debug build its locals would
// enlarge every frame of `write_json`'s recursion, and a document nested
// as deep as Elasticsearch allows (1,000) would overflow a test thread's
// stack.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn write_json_string(s: &str, out: &mut String) {
    // Most strings (every key of a typical document, most values) need no
    // escaping: they are copied whole, with room for them and their quotes
    // made once. This part is small enough to inline where documents are
    // written; the escaping is not.
    match next_escape(s.as_bytes(), 0) {
        None => append_framed(out, b"\"", s, b"\""),
        Some(first) => {
            out.push('"');
            write_escaped_json_string(s, first, out);
        }
    }
}

/// [`write_json_string`] of a string whose first byte to escape is at
/// `first`. Between escapes the text is copied by [`copy_run`], sixteen
/// bytes at a time: runs are copied without a call, and a string dense
/// with escapes (a JSON document held as a string) costs a few
/// instructions an escape. The opening quote is the caller's; the closing
/// one is written here.
#[inline(never)]
fn write_escaped_json_string(s: &str, first: usize, out: &mut String) {
    let bytes = s.as_bytes();
    // SAFETY: what is appended is the runs of `s` between bytes to escape
    // (split at ASCII bytes, so at character boundaries) and ASCII
    // escapes, so `out` is valid UTF-8 when this returns.
    let out = unsafe { out.as_mut_vec() };
    out.extend_from_slice(&bytes[..first]);
    let mut read = first;
    while read < bytes.len() {
        // Room for a word holding the escape of `bytes[read]` (a byte to
        // escape), then for what `copy_run` needs: the rest of the text and
        // a block past it.
        out.reserve(8 + bytes.len() - read + 16);
        let escape = JsonEscape::of(bytes[read]);
        // SAFETY: `reserve` made room for the word; its first `len` bytes
        // are the escape, written just now. It keeps at most 6 of the 8
        // bytes made room for while reading one, so `copy_run` has the
        // room it needs.
        unsafe {
            std::ptr::write_unaligned(out.as_mut_ptr().add(out.len()).cast::<[u8; 8]>(), escape.text);
            out.set_len(out.len() + escape.len);
            read = copy_run(bytes, read + 1, out);
        }
    }
    out.push(b'"');
}

/// Copies `bytes` from `from` up to the next byte to escape (or the end)
/// to the end of `out`, and returns where it stopped. Each block of 16 is
/// written whole and `out` keeps only the bytes before the block's first
/// byte to escape; fewer than 16 left are copied one at a time.
///
/// # Safety
/// `out` must have room for `bytes.len() - from + 16` more bytes.
#[inline(always)]
unsafe fn copy_run(bytes: &[u8], from: usize, out: &mut Vec<u8>) -> usize {
    let mut read = from;
    while read + 16 <= bytes.len() {
        let block: &[u8; 16] = bytes[read..read + 16].try_into().expect("16 bytes");
        let marks = escape_marks(block);
        let kept = if marks == 0 { 16 } else { marks.trailing_zeros() as usize };
        // SAFETY: the caller made room for 16 bytes past the rest of the
        // text, and what is kept is never more than the text read, so the
        // room for a block stays; the bytes kept were written just now.
        unsafe {
            std::ptr::write_unaligned(out.as_mut_ptr().add(out.len()).cast::<[u8; 16]>(), *block);
            out.set_len(out.len() + kept);
        }
        read += kept;
        if marks != 0 {
            return read;
        }
    }
    while read < bytes.len() && !needs_escape(bytes[read]) {
        out.push(bytes[read]);
        read += 1;
    }
    read
}

/// `text` in a string of its own, copied as [`append_framed`] copies it:
/// most of a document's strings are short, and `to_owned` copies with a
/// `memcpy` call.
#[inline]
pub(crate) fn owned_text(text: &str) -> String {
    let mut owned = String::with_capacity(text.len());
    append_framed(&mut owned, b"", text, b"");
    owned
}

/// Appends `prefix`, `text` and `suffix` (ASCII, a few bytes each) to `out`
/// with one capacity check, and texts of up to 32 bytes (most keys and
/// values) copied by a few word moves rather than a `memcpy` call each:
/// those two, not the scan for escapes, were most of the cost of writing a
/// document.
#[inline(always)]
fn append_framed(out: &mut String, prefix: &[u8], text: &str, suffix: &[u8]) {
    assert!(prefix.is_ascii() && suffix.is_ascii());
    let added = prefix.len() + text.len() + suffix.len();
    out.reserve(added);
    // SAFETY: `reserve` made room for the `added` bytes written after the
    // string's end, and they are whole UTF-8 text (ASCII around a `str`),
    // so the string stays valid UTF-8 when its length takes them in.
    unsafe {
        let bytes = out.as_mut_vec();
        let end = bytes.as_mut_ptr().add(bytes.len());
        copy_short(prefix, end);
        copy_short(text.as_bytes(), end.add(prefix.len()));
        copy_short(suffix, end.add(prefix.len() + text.len()));
        bytes.set_len(bytes.len() + added);
    }
}

/// Copies `src` to `dst` as two overlapping moves of the widest word that
/// fits (the second ending where `src` ends), or with `memcpy` above 32
/// bytes.
///
/// # Safety
/// `dst` must be valid for writing `src.len()` bytes that do not overlap
/// `src`.
#[inline(always)]
unsafe fn copy_short(src: &[u8], dst: *mut u8) {
    /// The first and the last `size_of::<W>()` bytes of the `n` at `from`.
    unsafe fn copy_ends<W>(from: *const u8, dst: *mut u8, n: usize) {
        use std::ptr::{read_unaligned, write_unaligned};
        let last = n - std::mem::size_of::<W>();
        unsafe {
            write_unaligned(dst.cast::<W>(), read_unaligned(from.cast::<W>()));
            write_unaligned(dst.add(last).cast::<W>(), read_unaligned(from.add(last).cast::<W>()));
        }
    }
    let n = src.len();
    let from = src.as_ptr();
    unsafe {
        match n {
            0 => {}
            1..=3 => {
                *dst = *from;
                *dst.add(n / 2) = *from.add(n / 2);
                *dst.add(n - 1) = *from.add(n - 1);
            }
            4..=7 => copy_ends::<u32>(from, dst, n),
            8..=16 => copy_ends::<u64>(from, dst, n),
            17..=32 => copy_ends::<u128>(from, dst, n),
            _ => std::ptr::copy_nonoverlapping(from, dst, n),
        }
    }
}

/// The first byte at or after `from` that needs escaping. Up to 16 bytes
/// from `from` are read as two overlapping words (the second ending where
/// the text ends: the bytes it reads again add no mark, since none of them
/// needs escaping); fewer than eight as two overlapping four-byte halves,
/// the same way; fewer than four byte by byte. A longer text is scanned
/// sixteen bytes at a time ([`next_escape_in_long`]). Most strings a
/// document holds are short: a call is a handful of word tests, inlined
/// where strings are written and read (as a call, saving and restoring
/// registers cost a quarter of it).
#[inline(always)]
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = &bytes[from..];
    let first_mark = |mask: u64| (mask.trailing_zeros() / 8) as usize;
    if rest.len() < 8 {
        if rest.len() < 4 {
            return rest.iter().position(|&b| needs_escape(b)).map(|i| from + i);
        }
        let half = |at: usize| u32::from_le_bytes(rest[at..at + 4].try_into().expect("4 bytes")) as u64;
        let last = rest.len() - 4;
        let mask = escape_mask(half(0) | half(last) << 32);
        return match mask {
            0 => None,
            m if m as u32 != 0 => Some(from + first_mark(m)),
            m => Some(from + last + first_mark(m >> 32)),
        };
    }
    let word_at = |i: usize| escape_mask(u64::from_le_bytes(rest[i..i + 8].try_into().expect("8 bytes")));
    if rest.len() <= 16 {
        let last = rest.len() - 8;
        let head = word_at(0);
        if head != 0 {
            return Some(from + first_mark(head));
        }
        let tail = word_at(last);
        return (tail != 0).then(|| from + last + first_mark(tail));
    }
    next_escape_in_long(rest).map(|i| from + i)
}

/// [`next_escape`] in a text of more than 16 bytes, sixteen at a time.
/// What is left after the whole blocks is read as one block that ends
/// where the text ends, as `next_escape` does with words.
#[inline(always)]
fn next_escape_in_long(rest: &[u8]) -> Option<usize> {
    debug_assert!(rest.len() > 16);
    let block_at = |i: usize| escape_marks(rest[i..i + 16].try_into().expect("16 bytes"));
    let mut i = 0;
    while i + 16 <= rest.len() {
        let marks = block_at(i);
        if marks != 0 {
            return Some(i + marks.trailing_zeros() as usize);
        }
        i += 16;
    }
    if i == rest.len() {
        return None;
    }
    let last = rest.len() - 16;
    let marks = block_at(last);
    (marks != 0).then(|| last + marks.trailing_zeros() as usize)
}

/// A bit for each byte of `block` that needs escaping (bit `i` for byte
/// `i`), with SSE2 (part of every x86-64 processor): a quote, a backslash
/// or a byte of at most 0x1f. Callers use only the lowest bit.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn escape_marks(block: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: the load reads the 16 bytes of `block`, unaligned; the other
    // intrinsics only compute on registers (SSE2 is always there on x86-64).
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        // `min(b, 0x1f) == b` exactly when `b <= 0x1f`, unsigned.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control)) as u32
    }
}

/// [`escape_marks`] a word at a time: only the lowest bit, which is all
/// callers use.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn escape_marks(block: &[u8; 16]) -> u32 {
    let word = |at: usize| escape_mask(u64::from_le_bytes(block[at..at + 8].try_into().expect("8 bytes")));
    match (word(0), word(8)) {
        (0, 0) => 0,
        (0, high) => 1 << (8 + high.trailing_zeros() / 8),
        (low, _) => 1 << (low.trailing_zeros() / 8),
    }
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The high bit of each of the eight bytes (little-endian) that needs
/// escaping: a control character, a quote or a backslash. The classic "has
/// a byte below n" and "has a zero byte" tests; a false mark can only sit
/// above a true one, so the lowest mark is always a byte to escape.
#[inline]
fn escape_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * n as u64) & !x & HIGHS;
    let quote = w ^ (ONES * b'"' as u64);
    let backslash = w ^ (ONES * b'\\' as u64);
    below(w, 0x20) | below(quote, 1) | below(backslash, 1)
}

/// How Jackson escapes a byte that needs it: the short forms where JSON
/// has one, `\u00XX` (upper-case hex) for other control characters.
struct JsonEscape {
    /// The escape's text, then padding: a whole word is written and only
    /// `len` bytes kept.
    text: [u8; 8],
    len: usize,
}

impl JsonEscape {
    fn of(b: u8) -> JsonEscape {
        let short = |c: u8| JsonEscape { text: [b'\\', c, 0, 0, 0, 0, 0, 0], len: 2 };
        match b {
            b'"' => short(b'"'),
            b'\\' => short(b'\\'),
            b'\n' => short(b'n'),
            b'\r' => short(b'r'),
            b'\t' => short(b't'),
            0x08 => short(b'b'),
            0x0c => short(b'f'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                let text = [b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize], 0, 0];
                JsonEscape { text, len: 6 }
            }
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i32(*i),
            Value::Long(l) => serializer.serialize_i64(*l),
            Value::Float(f) => serializer.serialize_f32(*f),
            Value::Double(d) => serializer.serialize_f64(*d),
            Value::BigInteger(n) => {
                // serde's data model has integers up to 128 bits; a wider
                // one cannot be written as a number through it.
                if let Ok(wide) = n.text().parse::<i128>() {
                    serializer.serialize_i128(wide)
                } else if let Ok(wide) = n.text().parse::<u128>() {
                    serializer.serialize_u128(wide)
                } else {
                    Err(serde::ser::Error::custom(format_args!("the integer {} is beyond 128 bits and cannot be written as a number here", n.text())))
                }
            }
            Value::String(s) => serializer.serialize_str(s),
            Value::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(map) => {
                let mut m = serializer.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// Room made for an object's fields when the parser cannot say how many
/// there are (serde_json never does): growing a map moves its entries, and a document's top-level object, or a record a
/// `json` processor parses, often holds more than eight fields (and gains
/// more in the pipeline); a small object pays only a larger first
/// allocation.
pub const PARSED_OBJECT_CAPACITY: usize = 16;

struct ValueVisitor;

/// What Elasticsearch reads from a whole float64 as Go's encoding/json
/// writes it: its shortest digits padded with zeros (Rust's `Display`
/// writes the same) below 10^21, an integer read as Jackson boxes it;
/// from 10^21 an exponent form, read as a Double.
fn go_float64_as_json_number(f: f64) -> Value {
    if f.abs() < 1e21 {
        if let Some(value) = Value::integer_of_text(&format!("{f}")) {
            return value;
        }
    }
    Value::Double(f)
}

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::integer(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::wide_integer(v as i128))
    }
    // Only YAML (serde_yaml_ng) gives integers beyond 64 bits here. A YAML
    // document reaches Elasticsearch through elastic-package, whose Go
    // yaml.v3 holds such an integer as a float64 and sends it as
    // encoding/json writes that float: shortest digits padded with zeros
    // below 10^21 (which Elasticsearch reads as a BigInteger), an exponent
    // from there (a Double).
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => Value::integer(i),
            Err(_) => go_float64_as_json_number(v as f64),
        })
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => Value::integer(i),
            Err(_) => go_float64_as_json_number(v as f64),
        })
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Double(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        serde::Deserialize::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::with_capacity(access.size_hint().unwrap_or(PARSED_OBJECT_CAPACITY));
        while let Some((k, v)) = access.next_entry::<String, Value>()? {
            map.insert(k, v);
        }
        Ok(Value::Map(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_as_bytes_do() {
        let text = b"abcdefghijklmnopqrstuvwxyz0123456789";
        for n in 0..text.len() {
            let a = &text[..n];
            assert!(same_key(a, a));
            assert!(!same_key(a, &text[..n + 1]) && !same_key(&text[..n + 1], a));
            for at in 0..n {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert!(!same_key(a, &b), "{n} {at}");
            }
        }
    }

    /// Strings, member names and numbers are appended exactly as `push_str`
    /// and `write!` append them, character by character, whatever the
    /// string holds (every control character, quotes, backslashes, one- to
    /// four-byte characters), at every length up to 64 and whether or not
    /// the buffer has room: the word-at-a-time scan for escapes and the
    /// word-wise copies included.
    #[test]
    fn json_text_is_appended_like_push_str_writes_it() {
        fn pushed_string(s: &str, out: &mut String) {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '\u{8}' => out.push_str("\\b"),
                    '\u{c}' => out.push_str("\\f"),
                    c if (c as u32) < 0x20 => write!(out, "\\u{:04X}", c as u32).unwrap(),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        let mut alphabet: Vec<char> = (0u8..0x20).map(char::from).collect();
        alphabet.extend(['"', '\\', 'a', 'Z', '0', ' ', '/', '\u{7f}', '\u{80}', 'é', '€', '\u{ffff}', '😀']);
        let mut rng = crate::xorshift::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.next();
        for len in 0..=64 {
            for round in 0..200 {
                // Mostly plain text, so that runs of every length sit between escapes.
                let text: String = (0..len)
                    .map(|_| match next() % 4 {
                        0 => alphabet[(next() % alphabet.len() as u64) as usize],
                        _ => char::from(b'a' + (next() % 26) as u8),
                    })
                    .collect();
                let before = "x".repeat((next() % 40) as usize);
                let fresh = |room: bool| {
                    let mut out = String::with_capacity(before.len() + if room { 400 } else { 0 });
                    out.push_str(&before);
                    out
                };
                let room = round % 2 == 0;
                let (mut got, mut expected) = (fresh(room), fresh(room));
                write_json_string(&text, &mut got);
                pushed_string(&text, &mut expected);
                assert_eq!(got, expected, "{text:?}");
                let first = round % 3 == 0;
                let (mut got, mut expected) = (fresh(room), fresh(room));
                write_json_member_name(first, &text, &mut got);
                expected.push(if first { '{' } else { ',' });
                pushed_string(&text, &mut expected);
                expected.push(':');
                assert_eq!(got, expected, "{text:?}");
            }
        }
        for i in [0, -1, 7, 42, 1000, i32::MIN, i32::MAX] {
            assert_eq!(Value::Int(i).to_json(), i.to_string());
        }
        for l in [0, -10_000_000_000, i64::MIN, i64::MAX] {
            assert_eq!(Value::Long(l).to_json(), l.to_string());
        }
        let v = Value::from_json_str(r#"{"a":{},"b":[],"c":{"d\"":[1,{"e":null}],"f":"\u0001"},"":true}"#).unwrap();
        assert_eq!(v.to_json(), r#"{"a":{},"b":[],"c":{"d\"":[1,{"e":null}],"f":"\u0001"},"":true}"#);
    }

    /// The scan for the next byte to escape (words, halves, 16-byte blocks)
    /// finds what a byte-by-byte search finds, at every start in texts of
    /// every length up to 80 with escapes at random places, none, or only
    /// bytes on either side of the ones that need escaping.
    #[test]
    fn next_escape_finds_what_a_byte_search_finds() {
        let mut rng = crate::xorshift::XorShift(0x2545_f491_4f6c_dd1d);
        let mut next = move || rng.next();
        let bytes_to_escape = [0u8, 0x1f, b'"', b'\\', b'\n'];
        let near_misses = [0x20u8, b'!', b'#', b'[', b']', 0x7f, 0x80, 0x9f, 0xdc, 0xff, b'a'];
        for len in 0..=80usize {
            for round in 0..100 {
                let escapes = match round % 4 {
                    0 => 0,
                    1 => 1,
                    _ => 1 + (next() % 4) as usize,
                };
                let mut text: Vec<u8> = (0..len).map(|_| near_misses[(next() % near_misses.len() as u64) as usize]).collect();
                for _ in 0..escapes.min(len) {
                    let at = (next() % len as u64) as usize;
                    text[at] = bytes_to_escape[(next() % bytes_to_escape.len() as u64) as usize];
                }
                for from in 0..=len {
                    let expected = text[from..].iter().position(|&b| needs_escape(b)).map(|i| from + i);
                    assert_eq!(next_escape(&text, from), expected, "{text:?} from {from}");
                }
            }
        }
    }

    /// Maps free their entries themselves: maps holding every kind of
    /// value, nested in maps and lists, dropped whole, emptied through
    /// `into_iter` (whose entries come out intact) or after removals.
    #[test]
    fn maps_drop_every_kind_of_value() {
        let text = r#"{"s":"text","e":"","n":null,"b":true,"i":1,"l":12345678901,"d":1.5,
            "list":["a",{"m":{"x":"y"}},[],[1,"b"]],"map":{"a":{"b":["c"]},"s":"t"},"empty":{}}"#;
        let value = Value::from_json_str(text).unwrap();
        for _ in 0..100 {
            drop(value.clone());
            let Value::Map(map) = value.clone() else { panic!("a map") };
            let entries: Vec<(Key, Value)> = map.into_iter().collect();
            assert_eq!(Value::Map(entries.into_iter().collect()), value);
            let Value::Map(mut map) = value.clone() else { panic!("a map") };
            map.shift_remove("list");
            map.swap_remove("s");
            map.insert("new".into(), value.clone());
            drop(map);
        }
    }

    /// ryu's plain text is taken as is in Java's plain range: the same text
    /// as rebuilding it from the digits.
    #[test]
    fn plain_doubles_print_as_rebuilt_from_digits() {
        let mut rng = crate::xorshift::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.next();
        for _ in 0..20_000 {
            let mantissa = (next() % 1_000_000_000) as f64;
            let scale = 10f64.powi((next() % 20) as i32 - 12);
            let d = if next() % 2 == 0 { mantissa * scale } else { -mantissa * scale };
            let d = if next() % 3 == 0 { f64::from_bits(next() >> 2) } else { d };
            if !d.is_finite() || d == 0.0 {
                continue;
            }
            let mut buf = ryu::Buffer::new();
            let rebuilt = format_java_decimal(buf.format_finite(d), d < 0.0, d.abs() >= 1e-3 && d.abs() < 1e7);
            assert_eq!(java_double_to_string(d), rebuilt, "{d:e}");
        }
        for d in [0.001, 1e7 - 1.0, 1.0, 100.0, 0.1, 47.2513, -0.0931, 1234567.0, 9999999.999] {
            let mut buf = ryu::Buffer::new();
            let rebuilt = format_java_decimal(buf.format_finite(d), d < 0.0, true);
            assert_eq!(java_double_to_string(d), rebuilt, "{d}");
        }
    }

    /// The map built in Java HashMap order is the one a table of buckets
    /// filled entry by entry gives.
    #[test]
    fn java_hash_map_of_iterates_like_a_bucket_table() {
        let names = ["lat", "lon", "ip", "city_name", "country_iso_code", "location", "asn", "é", "network", "a", "q", "Aa", "BB", "timezone", "region_name", "continent_code", "x1", "x2", "x3", "x4", "postal_code"];
        for n in 0..names.len() {
            for initial in [2, 16] {
                let entries: Vec<(&'static str, Value)> =
                    names[..n].iter().enumerate().map(|(i, k)| (*k, Value::Int(i as i32))).collect();
                let mut table = initial;
                while n * 4 > table * 3 {
                    table *= 2;
                }
                let mut buckets: Vec<Vec<(&str, Value)>> = vec![Vec::new(); table];
                for (k, v) in &entries {
                    let h = k.encode_utf16().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(c as i32)) as u32;
                    buckets[((h ^ (h >> 16)) as usize) & (table - 1)].push((k, v.clone()));
                }
                let expected: Vec<(String, Value)> = buckets.into_iter().flatten().map(|(k, v)| (k.to_string(), v)).collect();
                let got: Vec<(String, Value)> = java_hash_map_of(entries, initial).into_iter().collect();
                assert_eq!(got, expected, "{n} {initial}");
            }
        }
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
        assert_eq!(java_string_hash("é😀"), "é😀".encode_utf16().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(c as i32)));
    }

    /// Numbers are written as Java prints them, non-finite ones quoted.
    #[test]
    fn json_floats_are_java_text() {
        let doubles = [1.0, -0.0, 0.0, 47.2513, 1e7, 1.5e-10, -123456.789, f64::MAX, f64::MIN_POSITIVE, 5e-324, f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        for d in doubles {
            let text = java_double_to_string(d);
            let expected = if d.is_finite() { text } else { format!("\"{text}\"") };
            assert_eq!(Value::Double(d).to_json(), expected, "{d:e}");
        }
        let floats = [1.1f32, -0.0, 3.4e38, 1e-3, 1e7, f32::NAN, f32::NEG_INFINITY];
        for f in floats {
            let text = java_float_to_string(f);
            let expected = if f.is_finite() { text } else { format!("\"{text}\"") };
            assert_eq!(Value::Float(f).to_json(), expected, "{f:e}");
        }
    }

    #[test]
    fn doubles_print_like_java() {
        assert_eq!(java_double_to_string(1.0), "1.0");
        assert_eq!(java_double_to_string(47.2513), "47.2513");
        assert_eq!(java_double_to_string(-0.0931), "-0.0931");
        assert_eq!(java_double_to_string(1e7), "1.0E7");
        assert_eq!(java_double_to_string(1.5e10), "1.5E10");
        assert_eq!(java_double_to_string(0.001), "0.001");
        assert_eq!(java_double_to_string(0.0001), "1.0E-4");
        assert_eq!(java_double_to_string(123456.789), "123456.789");
        assert_eq!(
            java_double_to_string(6.920071768563516E18),
            "6.920071768563516E18"
        );
        assert_eq!(java_float_to_string(1.1f32), "1.1");
    }

    #[test]
    fn integers_keep_their_width() {
        let v = Value::from_json_str(r#"{"a":1,"b":9007199254740993,"c":1.0}"#).unwrap();
        let m = v.as_map().unwrap();
        assert_eq!(m["a"], Value::Int(1));
        assert_eq!(m["b"], Value::Long(9007199254740993));
        assert_eq!(m["c"], Value::Double(1.0));
        assert_eq!(v.to_json(), r#"{"a":1,"b":9007199254740993,"c":1.0}"#);
    }

    /// Jackson boxes a JSON integer in the smallest of Integer, Long and
    /// BigInteger that holds it, and XContentBuilder writes a BigInteger
    /// back with all its digits: beyond a long, positive or negative,
    /// whether the reader reads the text or serde_json does (beyond 100
    /// levels of nesting, only up to 64 bits; wider ones are refused).
    #[test]
    fn integers_beyond_a_long_keep_their_digits() {
        let text = r#"{"a":12345678901234567890,"b":-9223372036854775809,"c":[9223372036854775808,-99999999999999999999999999999],"d":9223372036854775807,"e":1.2345678901234567890e19}"#;
        let v = Value::from_json_str(text).unwrap();
        let m = v.as_map().unwrap();
        assert_eq!(m["a"], Value::BigInteger(BigInteger::parse("12345678901234567890").unwrap()));
        assert_eq!(m["a"].java_class(), "java.math.BigInteger");
        assert_eq!(m["b"].java_class(), "java.math.BigInteger");
        assert_eq!(m["d"], Value::Long(i64::MAX));
        assert_eq!(m["e"], Value::Double(1.2345678901234567E19));
        assert_eq!(v.to_json(), r#"{"a":12345678901234567890,"b":-9223372036854775809,"c":[9223372036854775808,-99999999999999999999999999999],"d":9223372036854775807,"e":1.2345678901234567E19}"#);
        assert_eq!(m["c"].to_java_string(), "[9223372036854775808, -99999999999999999999999999999]");
        assert_eq!(to_json_java_order(&m["c"]), "[9223372036854775808,-99999999999999999999999999999]");
        // BigInteger.equals: equal only to a BigInteger of the same value.
        assert_eq!(Value::from_json_str("12345678901234567890").unwrap(), m["a"]);
        assert_ne!(m["a"], Value::Double(1.2345678901234567E19));
        assert!(m["a"].is_number() && m["a"].as_i64().is_none());
        assert_eq!(m["a"].as_f64(), Some(1.2345678901234567E19));
        // The same through serde_json's visitor, which reads 64-bit
        // unsigned integers exactly.
        let by_serde: Value = serde_json::from_str("[18446744073709551615,9223372036854775808]").unwrap();
        assert_eq!(by_serde.to_json(), "[18446744073709551615,9223372036854775808]");
        let deep = |n: &str| format!("{}{n}{}", "[".repeat(110), "]".repeat(110));
        assert_eq!(Value::from_json_str(&deep("18446744073709551615")).unwrap().to_json(), deep("18446744073709551615"));
        let refused = Value::from_json_str(&deep("18446744073709551616")).unwrap_err().to_string();
        assert!(refused.starts_with("an integer beyond 64 bits in a document nested deeper than 100 levels is not supported"), "{refused}");
        // Up to Jackson's 1000 digits; beyond, refused with its message.
        let long = format!("-{}", "9".repeat(1000));
        assert_eq!(Value::from_json_str(&long).unwrap().to_json(), long);
        let refused = Value::from_json_str(&format!("[-{}]", "9".repeat(1001))).unwrap_err().to_string();
        assert_eq!(refused, "Number value length (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)");
        // YAML's, as elastic-package sends them: up to 2^64 - 1 exactly (a
        // uint64 in Go), beyond as a float64 written by encoding/json.
        let yaml: Value = serde_yaml_ng::from_str("[18446744073709551615, 12345678901234567890123, 123456789012345678901, -9223372036854775809]").unwrap();
        assert_eq!(yaml.to_json(), "[18446744073709551615,1.2345678901234568E22,123456789012345680000,-9223372036854776000]");
        // Written through serde (package files) while it fits 128 bits.
        assert_eq!(serde_json::to_string(&m["b"]).unwrap(), "-9223372036854775809");
        assert_eq!(serde_json::to_string(&m["c"]).unwrap(), "[9223372036854775808,-99999999999999999999999999999]");
        assert!(serde_json::to_string(&Value::integer_of_text(&"9".repeat(40)).unwrap()).is_err());
    }

    #[test]
    fn value_keeps_its_size() {
        assert_eq!(std::mem::size_of::<Value>(), 32);
    }

    #[test]
    fn java_string_of_collections() {
        let v = Value::from_json_str(r#"{"a":[1,"x",null],"b":true}"#).unwrap();
        assert_eq!(v.to_java_string(), "{a=[1, x, null], b=true}");
        // HashMap order, not insertion order: "b" (98) and "a" (97) land in
        // buckets 2 and 1 of a 16-slot table, "host" in 8, "message" in 12.
        let v = Value::from_json_str(r#"{"message":3,"host":1,"b":2,"a":4}"#).unwrap();
        assert_eq!(v.to_java_string(), "{a=4, b=2, host=1, message=3}");
    }
}

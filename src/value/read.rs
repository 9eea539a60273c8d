//! A JSON reader that builds a [`Value`] straight from the text: every line
//! of input and every `json` processor's record goes through it. serde_json
//! reaches a `Value` through its `Deserializer` and our visitor, a call
//! through each layer for every value, key and string.
//!
//! The reader only answers for text it reads exactly as serde_json does.
//! Anything else (a syntax error, a surrogate escape that is not a pair,
//! deep nesting, a refused duplicate key) makes it give up, and the caller
//! parses the text with serde_json, which gives the value or the error it
//! always gave. Numbers other than plain integers are read by serde_json
//! from their own text.

use std::borrow::Cow;

use super::map::{digest, mixed};
use super::{copy_run, next_escape, owned_text, Map, Value, MAX_NUMBER_LENGTH, PARSED_OBJECT_CAPACITY};

/// Nesting deeper than this is left to serde_json, which has its own limit
/// (128) and error for it; the reader's recursion stays well inside it.
const MAX_DEPTH: usize = 100;

/// Integers of up to this many digits cannot overflow an `i64`; longer ones
/// are read by [`Reader::long_integer`].
const PLAIN_INTEGER_DIGITS: usize = 18;

pub(crate) struct Reader<'t> {
    text: &'t str,
    pos: usize,
    depth: usize,
    /// Whether a repeated key in an object makes the text unreadable here
    /// (the `json` processor refuses them) rather than replacing the first
    /// value in its place.
    refuse_duplicate_keys: bool,
    /// The text of a string with escapes, put together here and then copied
    /// into a string of its exact length: one allocation per string however
    /// many runs and escapes it has. Room for the rest of the text is made
    /// once, by the first such string.
    scratch: Vec<u8>,
}

impl<'t> Reader<'t> {
    pub(crate) fn new(text: &'t str, refuse_duplicate_keys: bool) -> Reader<'t> {
        Reader { text, pos: 0, depth: 0, refuse_duplicate_keys, scratch: Vec::new() }
    }

    /// The first value of the text, or `None` when serde_json is to read it.
    pub(crate) fn value(&mut self) -> Option<Value> {
        match self.peek_past_whitespace()? {
            b'"' => {
                self.pos += 1;
                self.string().map(|text| {
                    Value::String(match text {
                        Cow::Borrowed(text) => owned_text(text),
                        Cow::Owned(text) => text,
                    })
                })
            }
            b'{' => self.object(),
            b'[' => self.array(),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// Whether nothing but whitespace follows what was read.
    pub(crate) fn at_end(&mut self) -> bool {
        self.peek_past_whitespace().is_none()
    }

    /// The next byte that is not JSON whitespace, left unread.
    #[inline]
    fn peek_past_whitespace(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    fn literal(&mut self, word: &str, value: Value) -> Option<Value> {
        let end = self.pos + word.len();
        (self.text.as_bytes().get(self.pos..end)? == word.as_bytes()).then(|| {
            self.pos = end;
            value
        })
    }

    fn object(&mut self) -> Option<Value> {
        self.enter()?;
        let mut map = Map::with_capacity(PARSED_OBJECT_CAPACITY);
        // A bit for each key read, chosen by the top bits of its mixed
        // digest: a key whose bit is clear is not in the map yet, which spares the
        // scan of the keys before it that a lookup makes (most objects
        // repeat no key, and a scan for each key is quadratic).
        let mut keys_read: u64 = 0;
        if self.peek_past_whitespace()? == b'}' {
            self.pos += 1;
        } else {
            loop {
                if self.peek_past_whitespace()? != b'"' {
                    return None;
                }
                self.pos += 1;
                let key = self.string()?;
                if self.peek_past_whitespace()? != b':' {
                    return None;
                }
                self.pos += 1;
                let value = self.value()?;
                let key_digest = digest(&key);
                let bit = 1u64 << (mixed(key_digest) >> 26);
                let repeated = if keys_read & bit == 0 { None } else { map.find(&key, key_digest) };
                keys_read |= bit;
                match repeated {
                    None => {
                        map.insert_absent(&key, key_digest, value);
                    }
                    // A repeated key keeps its first place and takes the
                    // last value, as serde_json's visitors insert it.
                    Some(_) if self.refuse_duplicate_keys => return None,
                    Some(position) => *map.get_index_mut(position).expect("found").1 = value,
                }
                match self.peek_past_whitespace()? {
                    b',' => self.pos += 1,
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(Value::Map(map))
    }

    fn array(&mut self) -> Option<Value> {
        self.enter()?;
        let mut items = Vec::new();
        if self.peek_past_whitespace()? == b']' {
            self.pos += 1;
        } else {
            loop {
                items.push(self.value()?);
                match self.peek_past_whitespace()? {
                    b',' => self.pos += 1,
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(Value::List(items))
    }

    /// Steps past the bracket that opens an object or array, one level
    /// deeper.
    fn enter(&mut self) -> Option<()> {
        self.pos += 1;
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// The string whose opening quote was just read. A string without
    /// escapes is one run, found sixteen bytes at a time and borrowed from
    /// the text: a key is copied once, into the map, and a value into its
    /// own allocation.
    fn string(&mut self) -> Option<Cow<'t, str>> {
        let text = self.text;
        let start = self.pos;
        let at = next_escape(text.as_bytes(), start)?;
        if text.as_bytes()[at] == b'"' {
            self.pos = at + 1;
            return Some(Cow::Borrowed(&text[start..at]));
        }
        self.escaped_string(start, at).map(Cow::Owned)
    }

    /// The string from `start` whose first byte to escape is at `first`,
    /// unescaped in the scratch, the runs between escapes copied by
    /// [`copy_run`] sixteen bytes at a time: a string dense with escapes (a
    /// JSON document held as a string) costs a few instructions an escape.
    #[inline(never)]
    fn escaped_string(&mut self, start: usize, first: usize) -> Option<String> {
        let bytes = self.text.as_bytes();
        let out = &mut self.scratch;
        out.clear();
        // A string is never longer unescaped than escaped, so the scratch
        // holds at most `read - start` bytes when the text has been read up
        // to `read`: the rest of the text and a block more is room for what
        // `copy_run` writes.
        out.reserve(bytes.len() - start + 16);
        out.extend_from_slice(&bytes[start..first]);
        let mut read = first;
        loop {
            // `bytes[read]`, if the text goes on, is a byte to escape.
            match *bytes.get(read)? {
                b'"' => break,
                b'\\' => read = unescape(bytes, read + 1, out)?,
                // A control character, which JSON strings may not hold.
                _ => return None,
            }
            // SAFETY: the room made above, as argued there.
            read = unsafe { copy_run(bytes, read, out) };
        }
        self.pos = read + 1;
        // SAFETY: the scratch holds the text's runs between escapes, split
        // at ASCII bytes (so at character boundaries), and the characters
        // of the escapes, each whole UTF-8: valid UTF-8 now that the
        // string has ended at its closing quote.
        debug_assert!(std::str::from_utf8(out).is_ok());
        Some(unsafe { std::str::from_utf8_unchecked(out) }.to_owned())
    }

    /// A number as serde_json reads it into a [`Value`]: an integer that
    /// fits 32 bits is an `Int`, one that fits 64 a `Long`, and `-0` is the
    /// double `-0.0`. Plain integers are read here; a fraction, an exponent
    /// or more digits send the number's own text to serde_json, whose
    /// reading of a number does not depend on what surrounds it.
    fn number(&mut self) -> Option<Value> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let negative = bytes[start] == b'-';
        let digits_start = start + negative as usize;
        let mut end = skip_digits(bytes, digits_start);
        let digits = &bytes[digits_start..end];
        // No digits, or a leading zero before more digits, is an error.
        if digits.is_empty() || (digits.len() > 1 && digits[0] == b'0') {
            return None;
        }
        let fraction_or_exponent = matches!(bytes.get(end), Some(b'.' | b'e' | b'E'));
        if !fraction_or_exponent && digits.len() <= PLAIN_INTEGER_DIGITS {
            let magnitude = digits.iter().fold(0i64, |n, d| n * 10 + (d - b'0') as i64);
            self.pos = end;
            return Some(match (negative, magnitude) {
                (false, n) => Value::integer(n),
                (true, 0) => Value::Double(-0.0),
                (true, n) => Value::integer(-n),
            });
        }
        if !fraction_or_exponent {
            return self.long_integer(start, end);
        }
        if bytes.get(end) == Some(&b'.') {
            let fraction_start = end + 1;
            end = skip_digits(bytes, fraction_start);
            if end == fraction_start {
                return None;
            }
        }
        if matches!(bytes.get(end), Some(b'e' | b'E')) {
            let sign = matches!(bytes.get(end + 1), Some(b'+' | b'-'));
            let exponent_start = end + 1 + sign as usize;
            end = skip_digits(bytes, exponent_start);
            if end == exponent_start {
                return None;
            }
        }
        let value = serde_json::from_str::<Value>(&self.text[start..end]).ok()?;
        self.pos = end;
        Some(value)
    }
}

impl Reader<'_> {
    /// An integer of more digits than surely fit a `long`, as Jackson
    /// boxes it: a `Long` when it fits, else a `BigInteger` with all its
    /// digits (serde_json would round one beyond 64 bits to a double). One
    /// longer than Jackson reads (`MAX_NUMBER_LENGTH` digits) is left to
    /// serde_json, whose caller reports Jackson's error for it (see
    /// [`integer_too_long_in`]).
    #[cold]
    #[inline(never)]
    fn long_integer(&mut self, start: usize, end: usize) -> Option<Value> {
        let text = &self.text[start..end];
        if text.trim_start_matches('-').len() > MAX_NUMBER_LENGTH {
            return None;
        }
        let value = Value::integer_of_text(text)?;
        self.pos = end;
        Some(value)
    }
}

/// Whether a JSON text holds an integer literal beyond 64 bits (more than
/// 19 digits, no fraction or exponent), which serde_json reads as a double:
/// a caller that had to leave the text to serde_json refuses it rather
/// than hold a rounded number where Jackson keeps a `BigInteger`.
pub(crate) fn integer_beyond_u64_in(text: &str) -> bool {
    first_integer_literal(text, |digits| digits.len() > 19 && digits.parse::<u64>().is_err()).is_some()
}

/// The number of digits of the first integer literal of a JSON text longer
/// than Jackson reads (`MAX_NUMBER_LENGTH` digits, the sign not counted, as
/// `ParserBase.resetInt` validates the integer's length).
pub(crate) fn integer_too_long_in(text: &str) -> Option<usize> {
    first_integer_literal(text, |digits| digits.len() > MAX_NUMBER_LENGTH).map(str::len)
}

/// The digits (without their sign) of the first integer literal (no
/// fraction or exponent) of a JSON text that `pick` picks. Strings are
/// stepped over, escapes included.
fn first_integer_literal(text: &str, pick: impl Fn(&str) -> bool) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'0'..=b'9' => {
                let end = skip_digits(bytes, i);
                let integral = !matches!(bytes.get(end), Some(b'.' | b'e' | b'E'));
                if integral && pick(&text[i..end]) {
                    return Some(&text[i..end]);
                }
                // A fraction's or an exponent's digits are no integer.
                i = end;
                while i < bytes.len() && matches!(bytes[i], b'.' | b'e' | b'E' | b'+' | b'-' | b'0'..=b'9') {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// Appends to `out` the character of the escape whose backslash is before
/// `at`; returns where the text goes on.
#[inline]
fn unescape(bytes: &[u8], at: usize, out: &mut Vec<u8>) -> Option<usize> {
    let c = match *bytes.get(at)? {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'u' => return unescape_unicode(bytes, at + 1, out),
        _ => return None,
    };
    out.push(c);
    Some(at + 1)
}

/// A `\uXXXX` escape whose hex digits start at `at`: a character of the
/// Basic Multilingual Plane, or a surrogate pair as two escapes.
fn unescape_unicode(bytes: &[u8], at: usize, out: &mut Vec<u8>) -> Option<usize> {
    let unit = hex_unit(bytes.get(at..at + 4)?)?;
    let (c, end) = if (0xD800..0xDC00).contains(&unit) {
        if bytes.get(at + 4..at + 6)? != b"\\u" {
            return None;
        }
        let low = hex_unit(bytes.get(at + 6..at + 10)?)?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        (char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?, at + 10)
    } else {
        // A lone low surrogate is no character: `from_u32` refuses it.
        (char::from_u32(unit)?, at + 4)
    };
    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    Some(end)
}

fn skip_digits(bytes: &[u8], from: usize) -> usize {
    from + bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count()
}

/// The UTF-16 code unit of four hex digits.
fn hex_unit(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0, |unit, &d| Some(unit << 4 | (d as char).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json makes of `text` through [`Value`]'s visitor, and
    /// what the reader makes of it, as `from_json_str` reads a document.
    fn both(text: &str) -> (Result<Value, String>, Option<Value>) {
        let general = serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
        let mut reader = Reader::new(text, false);
        let fast = reader.value().filter(|_| reader.at_end());
        (general, fast)
    }

    /// `Value`'s `PartialEq` has `NaN != NaN` and `0.0 == -0.0`; the reader
    /// must match bit for bit, so compare the JSON text and the types. An
    /// integer beyond 64 bits, which serde_json rounds to a double, the
    /// reader keeps whole, as Jackson does.
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Double(x), Value::Double(y)) => x.to_bits() == y.to_bits(),
            (Value::BigInteger(n), Value::Double(y)) => n.double_value() == *y && n.to_i64().is_none(),
            (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
            (Value::Map(x), Value::Map(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|((ka, a), (kb, b))| ka == kb && same(a, b))
            }
            _ => a == b && std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }

    fn check(text: &str) -> bool {
        let (general, fast) = both(text);
        if let Some(fast) = &fast {
            let general = general.unwrap_or_else(|e| panic!("{text:?}: the reader read what serde_json refuses ({e})"));
            assert!(same(fast, &general), "{text:?}: {fast:?} != {general:?}");
        }
        fast.is_some()
    }

    /// Only an integer literal beyond 64 bits counts: not a fraction's or
    /// an exponent's digits, not digits inside a string.
    #[test]
    fn integers_beyond_u64_are_found_where_serde_json_would_round_them() {
        for (text, found) in [
            ("[18446744073709551616]", true),
            ("{\"a\":-99999999999999999999}", true),
            ("[18446744073709551615,-9223372036854775808]", false),
            ("[1.18446744073709551616,1e18446744073709551616,0.5E-18446744073709551616]", false),
            (r#"["18446744073709551616","a\"18446744073709551616"]"#, false),
            (r#"["a\\",18446744073709551616]"#, true),
        ] {
            assert_eq!(integer_beyond_u64_in(text), found, "{text}");
        }
        let long = format!("[1.{0},-{0}]", "9".repeat(1001));
        assert_eq!(integer_too_long_in(&long), Some(1001));
        assert_eq!(integer_too_long_in(&format!("-{}", "9".repeat(1000))), None);
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let read = [
            r#"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
            " \t\r\n{ \"a\" : [ ] , \"b\" : { } } \n",
            r#""plain""#,
            r#""esc\"aped\\ \/ \b\f\n\r\t \u0041\u00e9\u20AC \ud83d\ude00 end""#,
            r#"{"message":"{\"a\":\"b\",\"c\":12}","tags":["x"]}"#,
            r#"[0,-1,2147483647,2147483648,-2147483648,-2147483649,999999999999999999,-999999999999999999]"#,
            "-0",
            "[1.5,-0.0,1e3,1E-3,2.5e+10,12345678901234567890,123456789012345678901234,9223372036854775807,9223372036854775808,-9223372036854775808,-9223372036854775809]",
            r#"{"a":1,"a":2,"b":3}"#,
            r#"{"é😀":"ü","":""}"#,
        ];
        for text in read {
            assert!(check(text), "{text:?} not read");
        }
    }

    #[test]
    fn leaves_to_serde_json_what_it_might_read_differently() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let left = [
            "", " ", "{", "}", "[1,]", r#"{"a":1,}"#, r#"{"a" 1}"#, r#"{a:1}"#, "01", "-", "-a", "1.", "1e", "1e+",
            ".5", "+1", "1e400", "tru", "nul", r#""open"#, "\"tab\there\"", r#""\x""#, r#""\u12""#, r#""\ud83d""#,
            r#""\ud83d\u0041""#, r#""\ude00""#, "[1 2]", "1 2", "{} x", "\u{feff}{}", &deep,
        ];
        for text in left {
            assert!(!check(text), "{text:?} read");
        }
    }

    #[test]
    fn duplicate_keys_are_left_to_serde_json_when_refused() {
        let mut reader = Reader::new(r#"{"a":1,"b":{"a":1},"a":2}"#, true);
        assert!(reader.value().is_none());
        let mut reader = Reader::new(r#"{"a":1,"b":{"a":1}}"#, true);
        assert!(reader.value().is_some());
    }

    /// Objects of up to 80 keys drawn from pools of several sizes, so that
    /// keys repeat or not, the filter of keys read has bits in common, and
    /// maps pass the size from which they keep a hash index: read as
    /// serde_json reads them, and refused (left to serde_json) exactly when
    /// a key repeats and repeated keys are refused.
    #[test]
    fn objects_with_and_without_repeated_keys_read_as_serde_json_reads_them() {
        let mut rng = crate::xorshift::XorShift(0x9e37_79b9_7f4a_7c15);
        for round in 0..3_000 {
            let pool = [4, 40, 100, 1_000][round % 4];
            let len = rng.below(81);
            let keys: Vec<String> = (0..len).map(|_| format!("k{}", rng.below(pool))).collect();
            let members: Vec<String> = keys.iter().enumerate().map(|(i, k)| format!("\"{k}\":{i}")).collect();
            let text = format!("{{{}}}", members.join(","));
            assert!(check(&text), "{text:?} not read");
            let repeats = keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k));
            let mut refusing = Reader::new(&text, true);
            assert_eq!(refusing.value().is_none(), repeats, "{text:?}");
        }
    }

    /// Random documents built from JSON's pieces, valid and not: whatever
    /// the reader reads, serde_json reads the same.
    #[test]
    fn random_texts_read_as_serde_json_reads_them() {
        let pieces = [
            "{", "}", "[", "]", ",", ":", " ", "\"k\"", "\"a\\\"b\"", "\"\\u00e9\\n\"", "\"\\ud83d\\ude00\"", "\"x\\q\"",
            "0", "-0", "12", "-7", "1.25", "3e5", "2147483648", "-1e-2", "00", "true", "false", "null", "\"é\"",
            "\"\"", "\"\\\\\"", "\"\\/\"", "1234567890123456789", "\t", "\"",
        ];
        let mut rng = crate::xorshift::XorShift(0x853c_49e6_748f_ea9b);
        let mut read = 0;
        for _ in 0..200_000 {
            let mut text = String::new();
            for _ in 0..1 + rng.0 % 12 {
                text.push_str(pieces[rng.below(pieces.len())]);
            }
            read += check(&text) as usize;
        }
        assert!(read > 1000, "only {read} read");
        // Well-formed documents of every shape, read in full.
        for _ in 0..2_000 {
            let mut text = String::new();
            random_value(&mut rng, 0, &mut text);
            assert!(check(&text), "{text:?} not read");
        }
    }

    /// Strings of every length with escapes of every kind at every place,
    /// and the same strings cut short or holding a raw control character.
    #[test]
    fn escaped_strings_read_as_serde_json_reads_them() {
        let alphabet = ['a', 'b', '"', '\\', '/', '\n', '\t', '\u{1}', '\u{8}', '\u{c}', 'é', '€', '😀', ' ', '{', ':'];
        let mut rng = crate::xorshift::XorShift(0x2545_f491_4f6c_dd1d);
        let mut next = move || rng.next();
        for len in 0..70 {
            for _ in 0..60 {
                let mut text = String::from("\"");
                for _ in 0..len {
                    let c = alphabet[(next() % alphabet.len() as u64) as usize];
                    match (c, next() % 4) {
                        (c, 0) => {
                            let mut units = [0u16; 2];
                            for unit in c.encode_utf16(&mut units) {
                                text.push_str(&format!("\\u{unit:04x}"));
                            }
                        }
                        ('/', 1) => text.push_str("\\/"),
                        (c, _) => {
                            let quoted = serde_json::to_string(&c.to_string()).unwrap();
                            text.push_str(&quoted[1..quoted.len() - 1]);
                        }
                    }
                }
                text.push('"');
                assert!(check(&text), "{text:?} not read");
                for cut in 1..text.len() {
                    if text.is_char_boundary(cut) {
                        check(&text[..cut]);
                        check(&format!("{}\u{1}{}", &text[..cut], &text[cut..]));
                    }
                }
            }
        }
    }

    fn random_value(rng: &mut crate::xorshift::XorShift, depth: usize, out: &mut String) {
        rng.next();
        let strings = ["\"a\"", "\"k\\\"ey\"", "\"\\u20ac x\\t\"", "\"\"", "\"{\\\"m\\\":\\\"v\\\"}\""];
        let scalars = ["1", "-2", "0.5", "-0", "4294967296", "1e2", "true", "null"];
        match (rng.0 % 4, depth < 4) {
            (0, true) => {
                out.push('{');
                for i in 0..rng.0 % 5 {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(strings[(rng.0 >> (8 + i)) as usize % strings.len()]);
                    out.push(':');
                    random_value(rng, depth + 1, out);
                }
                out.push('}');
            }
            (1, true) => {
                out.push('[');
                for i in 0..rng.0 % 4 {
                    if i > 0 {
                        out.push_str(" , ");
                    }
                    random_value(rng, depth + 1, out);
                }
                out.push(']');
            }
            (2, _) => out.push_str(strings[(rng.0 >> 20) as usize % strings.len()]),
            _ => out.push_str(scalars[(rng.0 >> 20) as usize % scalars.len()]),
        }
    }
}
